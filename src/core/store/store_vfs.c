/* Page checksums: a VFS over the default one that keeps an XXH3 checksum of
 * every page of a database in the page's last 8 bytes (SQLite's "reserved
 * bytes") and verifies it whenever the page is read, so that a flipped
 * byte anywhere in the file — a row, an index, a page header — is an
 * error, not a different answer. The idea is that of SQLite's own
 * ext/misc/cksumvfs.c, which Debian does not ship.
 *
 * Only main database files are checked, and only when their header says
 * 8 reserved bytes (databases made before have none, and are read as
 * they are). Journals and the WAL have their own integrity; pages reach
 * the database file through xWrite, which stamps them. Memory-mapped
 * reads would bypass xRead, so xFetch maps nothing of a checked file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <xxhash.h>

#include "store.h"
#include "store_vfs.h"

#define CKSUM_BYTES MDX_PAGE_CHECKSUM_BYTES

typedef struct ck_file {
    sqlite3_file base;         /* our methods */
    int checked;               /* the file's pages carry checksums */
    int main_db;
    unsigned char *page;       /* scratch for stamping a page on write */
    int page_size;
    sqlite3_file *real;        /* the default VFS's file, right after us */
} ck_file;

static sqlite3_vfs ck_vfs;
static sqlite3_io_methods ck_methods;

static sqlite3_vfs *real_vfs(void) { return ck_vfs.pAppData; }

/* A whole page: a power of two from 512 to 65536 at a multiple of it. */
static int is_page(int amt, sqlite3_int64 offset)
{
    return amt >= 512 && amt <= 65536 && (amt & (amt - 1)) == 0 &&
           offset % amt == 0;
}

static XXH64_hash_t page_sum(const unsigned char *page, int amt)
{
    return XXH3_64bits(page, (size_t)(amt - CKSUM_BYTES));
}

/* Header byte 20 is the number of reserved bytes at the end of a page. */
static int has_checksums(const unsigned char *header)
{
    return header[20] == CKSUM_BYTES;
}

static int ck_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 offset)
{
    ck_file *p = (ck_file *)f;
    int rc = p->real->pMethods->xRead(p->real, buf, amt, offset);
    if (rc != SQLITE_OK || !p->checked || !is_page(amt, offset))
        return rc;
    const unsigned char *page = buf;
    XXH64_hash_t stored;
    memcpy(&stored, page + amt - CKSUM_BYTES, sizeof stored);
    return stored == page_sum(page, amt) ? SQLITE_OK : SQLITE_IOERR_DATA;
}

static int ck_write(sqlite3_file *f, const void *buf, int amt,
                    sqlite3_int64 offset)
{
    ck_file *p = (ck_file *)f;
    if (p->main_db && offset == 0 && amt >= 100)  /* page 1 sets it */
        p->checked = has_checksums(buf);
    if (!p->checked || !is_page(amt, offset))
        return p->real->pMethods->xWrite(p->real, buf, amt, offset);
    if (p->page_size != amt) {
        unsigned char *page = sqlite3_realloc(p->page, amt);
        if (!page)
            return SQLITE_IOERR_NOMEM;
        p->page = page;
        p->page_size = amt;
    }
    memcpy(p->page, buf, (size_t)amt);
    XXH64_hash_t sum = page_sum(p->page, amt);
    memcpy(p->page + amt - CKSUM_BYTES, &sum, sizeof sum);
    return p->real->pMethods->xWrite(p->real, p->page, amt, offset);
}

static int ck_close(sqlite3_file *f)
{
    ck_file *p = (ck_file *)f;
    sqlite3_free(p->page);
    return p->real->pMethods->xClose(p->real);
}

static int ck_fetch(sqlite3_file *f, sqlite3_int64 offset, int amt, void **pp)
{
    ck_file *p = (ck_file *)f;
    if (p->checked) {
        *pp = NULL;
        return SQLITE_OK;
    }
    return p->real->pMethods->xFetch(p->real, offset, amt, pp);
}

/* The methods that only pass through. */
#define REAL(f) (((ck_file *)(f))->real)
static int ck_truncate(sqlite3_file *f, sqlite3_int64 size)
{ return REAL(f)->pMethods->xTruncate(REAL(f), size); }
static int ck_sync(sqlite3_file *f, int flags)
{ return REAL(f)->pMethods->xSync(REAL(f), flags); }
static int ck_file_size(sqlite3_file *f, sqlite3_int64 *size)
{ return REAL(f)->pMethods->xFileSize(REAL(f), size); }
static int ck_lock(sqlite3_file *f, int lock)
{ return REAL(f)->pMethods->xLock(REAL(f), lock); }
static int ck_unlock(sqlite3_file *f, int lock)
{ return REAL(f)->pMethods->xUnlock(REAL(f), lock); }
static int ck_check_lock(sqlite3_file *f, int *out)
{ return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int ck_file_control(sqlite3_file *f, int op, void *arg)
{ return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }
static int ck_sector_size(sqlite3_file *f)
{ return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int ck_device(sqlite3_file *f)
{ return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int ck_shm_map(sqlite3_file *f, int page, int size, int extend,
                      void volatile **pp)
{ return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, pp); }
static int ck_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{ return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags); }
static void ck_shm_barrier(sqlite3_file *f)
{ REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int ck_shm_unmap(sqlite3_file *f, int delete_flag)
{ return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag); }
static int ck_unfetch(sqlite3_file *f, sqlite3_int64 offset, void *page)
{ return REAL(f)->pMethods->xUnfetch(REAL(f), offset, page); }

static int ck_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
                   int flags, int *out_flags)
{
    (void)vfs;
    ck_file *p = (ck_file *)f;
    memset(p, 0, sizeof *p);
    p->real = (sqlite3_file *)(p + 1);
    int rc = real_vfs()->xOpen(real_vfs(), name, p->real, flags, out_flags);
    if (rc != SQLITE_OK)
        return rc;
    p->base.pMethods = &ck_methods;
    p->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    unsigned char header[100];
    sqlite3_int64 size = 0;
    if (p->main_db && p->real->pMethods->xFileSize(p->real, &size) == SQLITE_OK &&
        size >= (sqlite3_int64)sizeof header &&
        p->real->pMethods->xRead(p->real, header, sizeof header, 0) == SQLITE_OK)
        p->checked = has_checksums(header);
    return SQLITE_OK;
}

static void install(void)
{
    sqlite3_vfs *real = sqlite3_vfs_find(NULL);
    ck_vfs = *real;
    ck_vfs.iVersion = real->iVersion < 3 ? real->iVersion : 3;
    ck_vfs.szOsFile = (int)sizeof(ck_file) + real->szOsFile;
    ck_vfs.pNext = NULL;
    ck_vfs.zName = MDX_VFS_NAME;
    ck_vfs.pAppData = real;
    ck_vfs.xOpen = ck_open;
    ck_methods = (sqlite3_io_methods){
        3, ck_close, ck_read, ck_write, ck_truncate, ck_sync, ck_file_size,
        ck_lock, ck_unlock, ck_check_lock, ck_file_control, ck_sector_size,
        ck_device, ck_shm_map, ck_shm_lock, ck_shm_barrier, ck_shm_unmap,
        ck_fetch, ck_unfetch};
    sqlite3_vfs_register(&ck_vfs, 0);
}

long mdx_store_damaged_pages(const char *file, void (*fn)(void *ctx, long page),
                             void *ctx, mdx_error *err)
{
    FILE *fp = fopen(file, "rb");
    unsigned char header[100], *page = NULL;
    long damaged = 0;
    if (!fp) {
        mdx_error_set(err, MDX_ERR_IO, file, 0, "cannot open: %s",
                      strerror(errno));
        return -1;
    }
    if (fread(header, 1, sizeof header, fp) != sizeof header ||
        !has_checksums(header)) {
        fclose(fp);
        return 0;
    }
    unsigned size = (unsigned)header[16] << 8 | header[17];
    if (size == 1)
        size = 65536;
    if (!is_page((int)size, 0) || !(page = malloc(size)) || fseek(fp, 0, SEEK_SET)) {
        free(page);
        fclose(fp);
        mdx_error_set(err, MDX_ERR_FORMAT, file, 0, "page size %u in its "
                      "header: damaged", size);
        return -1;
    }
    /* SQLite never writes the page holding its lock bytes (the one at
     * 1 GiB, PENDING_BYTE): no checksum there to verify */
    long lock_page = 0x40000000L / (long)size + 1;
    for (long n = 1; fread(page, 1, size, fp) == size; n++) {
        XXH64_hash_t stored;
        if (n == lock_page)
            continue;
        memcpy(&stored, page + size - CKSUM_BYTES, sizeof stored);
        if (stored != page_sum(page, (int)size)) {
            damaged++;
            fn(ctx, n);
        }
    }
    int failed = ferror(fp);
    free(page);
    fclose(fp);
    if (failed) {
        mdx_error_set(err, MDX_ERR_IO, file, 0, "read error");
        return -1;
    }
    return damaged;
}

const char *mdx_store_vfs(void)
{
    static once_flag once = ONCE_FLAG_INIT;
    call_once(&once, install);
    return MDX_VFS_NAME;
}
