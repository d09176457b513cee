/* Shards of a FEFF tree's folders, and the numbers in their names. */
#ifndef MDX_SHARD_H
#define MDX_SHARD_H

/* The number N of "frame_N" or "atom_N" (prefix given), or -1. */
long mdx_scan_number(const char *name, const char *prefix);

/* The shard (0 to count - 1) of the folder of this frame and atom. */
unsigned mdx_shard_of(long frame, long atom, unsigned count);

#endif
