/* Shards: which of N parts a (frame, atom) folder belongs to, the same for
 * every command that takes --shard I/N (build, feff), and the numbers of
 * frame_N and atom_M folders they are chosen by. */
#include <limits.h>
#include <string.h>
#include <xxhash.h>

#include "util/shard.h"

long mdx_scan_number(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0 || !name[n])
        return -1;
    long v = 0;
    for (const char *p = name + n; *p; p++) {
        if (*p < '0' || *p > '9' || v > (LONG_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

unsigned mdx_shard_of(long frame, long atom, unsigned count)
{
    long key[2] = {frame, atom};
    return (unsigned)(XXH3_64bits(key, sizeof key) % count);
}
