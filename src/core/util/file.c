/* Whole files in; whole-or-nothing files out (a temporary, then rename). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

/* Plain POSIX I/O: for a few-KB file, stdio's buffering only adds copies. */
mdx_status mdx_read_file(const char *filename, char **text, size_t *len,
                         mdx_error *err)
{
    struct stat sb;
    const char *why = NULL;
    char *buf = NULL;
    size_t n = 0;
    int fd = open(filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mdx_error_set(err, MDX_ERR_IO, filename, 0, "cannot open: %s",
                             strerror(errno));
    if (fstat(fd, &sb) != 0)
        why = strerror(errno);
    else if (S_ISDIR(sb.st_mode))
        why = "is a directory, not a file";
    else if (!S_ISREG(sb.st_mode))
        why = "not a regular file";
    else if (!(buf = malloc((size_t)sb.st_size + 1)))
        why = "out of memory";
    while (!why && n < (size_t)sb.st_size) {
        ssize_t got = read(fd, buf + n, (size_t)sb.st_size - n);
        if (got < 0 && errno != EINTR)
            why = strerror(errno);
        else if (got == 0)
            break;  /* the file shrank while we read it */
        else if (got > 0)
            n += (size_t)got;
    }
    close(fd);
    if (why) {
        free(buf);
        return mdx_error_set(err, MDX_ERR_IO, filename, 0, "%s", why);
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return MDX_OK;
}

/* Where an output file may go: `path`, or the file a link there points
 * to (the rename then replaces that file, not the link); 0 and err when
 * it is a folder, a device, a pipe, a dangling link or a database, which
 * an output must not replace. */
static int output_target(const char *path, char real[PATH_MAX],
                         mdx_error *err)
{
    struct stat sb;
    snprintf(real, PATH_MAX, "%s", path);
    if (lstat(path, &sb) != 0)
        return 1;  /* a new file */
    if (S_ISLNK(sb.st_mode) && (!realpath(path, real) || stat(real, &sb))) {
        mdx_error_set(err, MDX_ERR_IO, path, 0, "a symbolic link to nothing: "
                      "not written");
        return 0;
    }
    if (!S_ISREG(sb.st_mode)) {
        mdx_error_set(err, MDX_ERR_IO, path, 0, "not a regular file: not "
                      "written");
        return 0;
    }
    char magic[16] = "";
    FILE *fp = fopen(real, "rb");
    size_t got = fp ? fread(magic, 1, sizeof magic, fp) : 0;
    if (fp)
        fclose(fp);
    if (got == sizeof magic && memcmp(magic, "SQLite format 3", 16) == 0) {
        mdx_error_set(err, MDX_ERR_IO, path, 0, "is a database: not "
                      "overwritten with an output file");
        return 0;
    }
    return 1;
}

mdx_status mdx_outfile_open(mdx_outfile *out, const char *path, mdx_error *err)
{
    char real[PATH_MAX];
    memset(out, 0, sizeof *out);
    if (!output_target(path, real, err))
        return MDX_ERR_IO;
    path = real;
    size_t n = strlen(path) + sizeof ".XXXXXX";
    out->path = strdup(path);
    out->tmp = malloc(n);
    if (!out->path || !out->tmp) {
        mdx_outfile_abort(out);
        return mdx_error_set(err, MDX_ERR_NOMEM, path, 0, "out of memory");
    }
    snprintf(out->tmp, n, "%s.XXXXXX", path);
    int fd = mkstemp(out->tmp);  /* mode 0600: open it up like fopen would */
    if (fd < 0 || fchmod(fd, 0644) != 0 || !(out->fp = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(out->tmp);
        }
        free(out->tmp);
        out->tmp = NULL;
        mdx_outfile_abort(out);
        return mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot write: %s",
                             strerror(e));
    }
    return MDX_OK;
}

mdx_status mdx_outfile_commit(mdx_outfile *out, mdx_error *err)
{
    int failed = ferror(out->fp) | fflush(out->fp) | fsync(fileno(out->fp));
    int e = errno;
    failed |= fclose(out->fp);
    out->fp = NULL;
    if (!failed && rename(out->tmp, out->path) == 0) {
        free(out->tmp);
        out->tmp = NULL;
        mdx_outfile_abort(out);
        return MDX_OK;
    }
    if (!failed)
        e = errno;
    mdx_error_set(err, MDX_ERR_IO, out->path, 0, "cannot write: %s",
                  strerror(e));
    mdx_outfile_abort(out);
    return MDX_ERR_IO;
}

void mdx_outfile_abort(mdx_outfile *out)
{
    if (!out)
        return;
    if (out->fp)
        fclose(out->fp);
    if (out->tmp)
        unlink(out->tmp);
    free(out->tmp);
    free(out->path);
    memset(out, 0, sizeof *out);
}

mdx_status mdx_sync_folder(const char *dir, int parent, mdx_error *err)
{
    char up[4096];
    const char *slash = strrchr(dir, '/');
    if (parent)
        snprintf(up, sizeof up, "%.*s", slash ? (int)(slash - dir + 1) : 1,
                 slash ? dir : ".");
    const char *which = parent ? up : dir;
    int fd = open(which, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int bad = fd < 0 || fsync(fd) != 0;
    int e = errno;
    if (fd >= 0)
        close(fd);
    return bad ? mdx_error_set(err, MDX_ERR_IO, which, 0, "cannot sync: %s", strerror(e))
               : MDX_OK;
}

int mdx_copy_file(const char *from, const char *to)
{
    char buf[1 << 16];
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    int ok = out >= 0;
    for (ssize_t n; ok && (n = read(in, buf, sizeof buf)) != 0;)
        ok = n > 0 && write(out, buf, (size_t)n) == n;
    int e = errno;
    if (out >= 0 && close(out) != 0)
        ok = 0, e = errno;
    if (in >= 0)
        close(in);
    errno = e;
    return ok;
}

mdx_status mdx_write_file(const char *path, const char *text, size_t len, mdx_error *err)
{
    FILE *fp = fopen(path, "wb");
    int ok = fp && fwrite(text, 1, len, fp) == len;
    if (fp && fclose(fp) != 0)
        ok = 0;
    return ok ? MDX_OK : mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot write: %s",
                                       strerror(errno));
}
