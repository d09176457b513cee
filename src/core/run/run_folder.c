/* One folder's run: whether it needs one (its record against its
 * feff.inp), a clean start (the last run's outputs removed, a scratch
 * folder with a copy of feff.inp), and the end: FEFF judged by what it
 * wrote, its outputs moved into the folder, the record written. The
 * record is written before the outputs move ("moving", listing them) and
 * again after, so a run cut anywhere is found unfinished and its outputs
 * removed by the next. */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>

#include "feff/feff_private.h"
#include "run_private.h"
#include "util/file.h"
#include "util/grow.h"

enum { RECORD_NONE, RECORD_OK, RECORD_FAILED, RECORD_MOVING };

/* A folder's record, as read back. */
typedef struct record {
    int status;
    char hash[17];
    char **outputs;
    size_t n, cap;
} record;

static void record_free(record *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->outputs[i]);
    free(r->outputs);
    memset(r, 0, sizeof *r);
}

static void join(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* The XXH3 hash of text as 16 hex digits. */
static void hash_text(const char *text, size_t len, char hex[17])
{
    snprintf(hex, 17, "%016llx", (unsigned long long)XXH3_64bits(text, len));
}

static int add_output(record *r, const char *name)
{
    char **more = mdx_grow(r->outputs, &r->cap, r->n + 1, sizeof *more, 64);
    if (!more)
        return 0;
    r->outputs = more;
    return (r->outputs[r->n] = strdup(name)) != NULL && ++r->n;
}

/* Read dir's record into r (status RECORD_NONE when there is none). */
static mdx_status read_record(const char *dir, record *r, mdx_error *err)
{
    char path[4096];
    join(path, sizeof path, dir, MDX_RUN_RECORD);
    memset(r, 0, sizeof *r);
    char *text;
    size_t len;
    struct stat sb;
    if (stat(path, &sb) != 0 && errno == ENOENT)
        return MDX_OK;
    mdx_status st = mdx_read_file(path, &text, &len, err);
    if (st != MDX_OK)
        return st;
    r->status = RECORD_MOVING;   /* unless it says otherwise */
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char value[1024];
        if (sscanf(line, "status = %1023s", value) == 1)
            r->status = !strcmp(value, "ok") ? RECORD_OK
                        : !strcmp(value, "failed") ? RECORD_FAILED : RECORD_MOVING;
        else if (sscanf(line, "feff_inp = %16s", r->hash) == 1)
            continue;
        else if (sscanf(line, "output = %1023[^\n]", value) == 1 && !add_output(r, value)) {
            free(text);
            record_free(r);
            return mdx_error_set(err, MDX_ERR_NOMEM, path, 0, "out of memory");
        }
    }
    free(text);
    return MDX_OK;
}

int mdx_run_needed(const char *dir, mdx_error *err)
{
    char path[4096];
    join(path, sizeof path, dir, "feff.inp");
    char *text;
    size_t len;
    if (mdx_read_file(path, &text, &len, err) != MDX_OK)
        return -1;
    char hash[17];
    hash_text(text, len, hash);
    free(text);
    record r;
    if (read_record(dir, &r, err) != MDX_OK)
        return -1;
    int needed = r.status != RECORD_OK || strcmp(r.hash, hash) != 0;
    record_free(&r);
    return needed;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void mdx_run_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Remove the outputs dir's record lists (a name with a '/' is none of
 * them), then the record. */
static mdx_status remove_outputs(const char *dir, mdx_error *err)
{
    record r;
    mdx_status st = read_record(dir, &r, err);
    if (st != MDX_OK)
        return st;
    char path[4096];
    for (size_t i = 0; i < r.n; i++)
        if (!strchr(r.outputs[i], '/') && strcmp(r.outputs[i], "feff.inp") != 0) {
            join(path, sizeof path, dir, r.outputs[i]);
            if (remove(path) != 0 && errno != ENOENT)
                st = mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot remove: %s",
                                   strerror(errno));
        }
    record_free(&r);
    join(path, sizeof path, dir, MDX_RUN_RECORD);
    if (st == MDX_OK && remove(path) != 0 && errno != ENOENT)
        st = mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot remove: %s", strerror(errno));
    return st;
}

/* Remove the scratch folders of earlier runs in dir. One whose FEFF
 * outlived its runner (a program FEFF started, still writing) may not go
 * yet: it is left for a later run, and the new run takes a folder of its
 * own. */
static void remove_old_scratch(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char path[4096];
    size_t len = strlen(MDX_RUN_SCRATCH);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (!strncmp(e->d_name, MDX_RUN_SCRATCH, len)) {
            join(path, sizeof path, dir, e->d_name);
            mdx_run_remove_tree(path);
        }
    closedir(d);
}

mdx_status mdx_run_prepare(const char *dir, char *scratch, size_t size, char hash[17],
                           mdx_error *err)
{
    static unsigned long runs;
    mdx_status st = remove_outputs(dir, err);
    if (st != MDX_OK)
        return st;
    remove_old_scratch(dir);
    snprintf(scratch, size, "%s/%s.%ld.%lu", dir, MDX_RUN_SCRATCH, (long)getpid(), ++runs);
    if (mkdir(scratch, 0755) != 0)
        return mdx_error_set(err, MDX_ERR_IO, scratch, 0, "cannot make the folder: %s",
                             strerror(errno));
    char path[4096];
    join(path, sizeof path, dir, "feff.inp");
    char *text;
    size_t len;
    if ((st = mdx_read_file(path, &text, &len, err)) != MDX_OK)
        return st;
    hash_text(text, len, hash);
    join(path, sizeof path, scratch, "feff.inp");
    FILE *fp = fopen(path, "wb");
    int ok = fp && fwrite(text, 1, len, fp) == len;
    if (fp && fclose(fp) != 0)
        ok = 0;
    free(text);
    return ok ? MDX_OK : mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot write: %s",
                                       strerror(errno));
}

/* Is name a regular file in dir, and not empty? */
static int has_file(const char *dir, const char *name)
{
    char path[4096];
    struct stat sb;
    join(path, sizeof path, dir, name);
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
}

/* FEFF's last words in feff.log: its last line that names an error, else
 * its last line that says anything, trimmed, into buf ("" for none). */
static void last_words(const char *scratch, char *buf, size_t size)
{
    char path[4096];
    join(path, sizeof path, scratch, "feff.log");
    buf[0] = '\0';
    char *text;
    size_t len;
    if (mdx_read_file(path, &text, &len, NULL) != MDX_OK)
        return;
    const char *said = NULL, *error = NULL;
    size_t said_len = 0, error_len = 0;
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        size_t lead = strspn(line, " \t\r"), end = n;
        while (end > lead && (line[end - 1] == ' ' || line[end - 1] == '\r'))
            end--;
        if (end > lead) {
            said = line + lead, said_len = end - lead;
            for (size_t i = lead; i + 5 <= end; i++)
                if (!strncasecmp(line + i, "error", 5) || !strncasecmp(line + i, "fatal", 5)) {
                    error = said, error_len = said_len;
                    break;
                }
        }
        line += n + (line[n] == '\n');
    }
    if (error)
        said = error, said_len = error_len;
    if (said)
        snprintf(buf, size, "%.*s", (int)(said_len > 200 ? 200 : said_len), said);
    free(text);
}

/* Why the run in scratch is not finished, into reason ("" when it is):
 * FEFF must have exited 0 and written chi.dat and every path file its
 * files.dat lists (or a feff.bin). */
static void judge(const char *scratch, int wstatus, char *reason, size_t size)
{
    reason[0] = '\0';
    if (wstatus == -1)
        snprintf(reason, size, "its exit status was lost");
    else if (WIFSIGNALED(wstatus))
        snprintf(reason, size, "killed by signal %d", WTERMSIG(wstatus));
    else if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
        snprintf(reason, size, "exit status %d", WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    else if (!has_file(scratch, "chi.dat"))
        snprintf(reason, size, "exit status 0 but no chi.dat");
    else if (!has_file(scratch, "files.dat") && !has_file(scratch, "feff.bin"))
        snprintf(reason, size, "exit status 0 but neither files.dat nor feff.bin");
    else if (has_file(scratch, "files.dat")) {
        char path[4096], name[256];
        join(path, sizeof path, scratch, "files.dat");
        char *text;
        size_t len, listed = 0;
        if (mdx_read_file(path, &text, &len, NULL) != MDX_OK) {
            snprintf(reason, size, "files.dat cannot be read");
            return;
        }
        for (const char *p = text; !reason[0] && mdx_filesdat_next(&p, name, sizeof name);) {
            listed++;
            if (!has_file(scratch, name))
                snprintf(reason, size, "files.dat lists %s, which is not there", name);
        }
        free(text);
        if (!reason[0] && listed == 0 && !has_file(scratch, "feff.bin"))
            snprintf(reason, size, "files.dat lists no path file");
    }
    if (reason[0]) {
        char words[256];
        last_words(scratch, words, sizeof words);
        size_t n = strlen(reason);
        if (words[0] && n + 3 < size)
            snprintf(reason + n, size - n, " (feff.log: %s)", words);
    }
}

/* Every name in scratch but feff.inp, sorted, into r. */
static mdx_status list_outputs(const char *scratch, record *r, mdx_error *err)
{
    struct dirent **names;
    int n = scandir(scratch, &names, NULL, alphasort);
    if (n < 0)
        return mdx_error_set(err, MDX_ERR_IO, scratch, 0, "cannot list: %s", strerror(errno));
    int ok = 1;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (ok && strcmp(name, ".") && strcmp(name, "..") && strcmp(name, "feff.inp"))
            ok = add_output(r, name);
        free(names[i]);
    }
    free(names);
    return ok ? MDX_OK : mdx_error_set(err, MDX_ERR_NOMEM, scratch, 0, "out of memory");
}

/* Write dir's record whole: status, feff.inp's hash, program, time, the
 * reason of a failure, and the outputs. */
static mdx_status write_record(const char *dir, const char *status, const char *hash,
                               const char *program, double seconds, const char *reason,
                               const record *r, mdx_error *err)
{
    char path[4096];
    join(path, sizeof path, dir, MDX_RUN_RECORD);
    mdx_outfile out;
    mdx_status st = mdx_outfile_open(&out, path, err);
    if (st != MDX_OK)
        return st;
    fprintf(out.fp, "# mdexafs feff: this folder's FEFF run\nstatus = %s\nfeff_inp = %s\n"
            "program = %s\nseconds = %.3f\n", status, hash, program, seconds);
    if (reason[0])
        fprintf(out.fp, "reason = %s\n", reason);
    for (size_t i = 0; i < r->n; i++)
        fprintf(out.fp, "output = %s\n", r->outputs[i]);
    return mdx_outfile_commit(&out, err);
}

mdx_status mdx_run_finish(const char *dir, const char *scratch, const char *hash,
                          const char *program, int wstatus, double seconds, int *ok,
                          char *reason, size_t rsize, mdx_error *err)
{
    judge(scratch, wstatus, reason, rsize);
    *ok = reason[0] == '\0';
    record r = {0};
    mdx_status st = list_outputs(scratch, &r, err);
    if (st == MDX_OK)
        st = write_record(dir, "moving", hash, program, seconds, "", &r, err);
    char from[4096], to[4096];
    for (size_t i = 0; st == MDX_OK && i < r.n; i++) {
        join(from, sizeof from, scratch, r.outputs[i]);
        join(to, sizeof to, dir, r.outputs[i]);
        if (rename(from, to) != 0)
            st = mdx_error_set(err, MDX_ERR_IO, to, 0, "cannot move FEFF's %s here: %s",
                               r.outputs[i], strerror(errno));
    }
    if (st == MDX_OK)
        st = write_record(dir, *ok ? "ok" : "failed", hash, program, seconds, reason, &r, err);
    record_free(&r);
    if (st == MDX_OK)
        mdx_run_remove_tree(scratch);
    return st;
}
