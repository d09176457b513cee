/* A folder's note that its FEFF run used another folder's potentials
 * (MDX_POT_NOTE, written by mdexafs feff --potentials=once): "key =
 * value" lines, '#' comments; `from` names the folder relative to this
 * one, `potentials` the hash of its potential files. And the hash of a
 * feff.inp by which runs and checks name what they ran. */
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "mdexafs/feff.h"

/* dir joined with the relative path rel, ".." and "." resolved, into
 * buf; a ".." above dir's top is kept. */
static void resolve(const char *dir, const char *rel, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%s", dir);
    for (const char *p = rel; *p && n < size;) {
        size_t len = strcspn(p, "/");
        if (len == 2 && !strncmp(p, "..", 2) && n > 0 &&
            strcmp(buf + (strrchr(buf, '/') ? strrchr(buf, '/') - buf + 1 : 0), "..")) {
            char *slash = strrchr(buf, '/');
            n = slash ? (size_t)(slash - buf) : 0;
            buf[n] = '\0';
        } else if (len > 0 && !(len == 1 && p[0] == '.'))
            n += (size_t)snprintf(buf + n, size - n, "%s%.*s", n ? "/" : "", (int)len, p);
        p += len + (p[len] == '/');
    }
}

void mdx_feffinp_hash(const char *text, size_t len, char hex[17])
{
    snprintf(hex, 17, "%016llx", (unsigned long long)XXH3_64bits(text, len));
}

mdx_status mdx_potentials_note_parse(const char *text, const char *name, const char *dir,
                                     char *ref, size_t size, char *hash, mdx_error *err)
{
    char from[4096] = "", pots[64] = "";
    for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
        int n = (int)strcspn(p, "\n");
        if (!strncmp(p, "from = ", 7))
            snprintf(from, sizeof from, "%.*s", n - 7, p + 7);
        else if (!strncmp(p, "potentials = ", 13))
            snprintf(pots, sizeof pots, "%.*s", n - 13, p + 13);
    }
    if (!from[0] || strlen(pots) != 16 || strspn(pots, "0123456789abcdef") != 16)
        return mdx_error_set(err, MDX_ERR_FORMAT, name, 0, "names no folder or no "
                             "potentials (\"from = DIR\", \"potentials = HASH\")");
    resolve(dir, from, ref, size);
    if (hash)
        snprintf(hash, 17, "%.16s", pots);
    return MDX_OK;
}
