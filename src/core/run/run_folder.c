/* One folder's run: whether it needs one (its record against its
 * feff.inp), a clean start (the last run's outputs removed, a scratch
 * folder with a copy of feff.inp), and the end: FEFF judged by what it
 * wrote, its outputs moved into the folder, the record written. The
 * record is written before the outputs move ("moving", listing them) and
 * again after, so a run cut anywhere is found unfinished and its outputs
 * removed by the next. */
#define _GNU_SOURCE   /* F_OFD_SETLK */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build/scan.h"
#include "feff/feff_private.h"
#include "mdexafs/chi.h"
#include "mdexafs/feff.h"
#include "run_private.h"
#include "util/file.h"
#include "util/grow.h"

enum { RECORD_NONE, RECORD_OK, RECORD_FAILED, RECORD_MOVING };

/* A folder's record, as read back. */
typedef struct record {
    int status;
    char hash[17];
    char program[4096];
    char reason[MDX_RUN_REASON_MAX];
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
        else if (!strncmp(line, "program = ", 10))
            snprintf(r->program, sizeof r->program, "%s", line + 10);
        else if (!strncmp(line, "reason = ", 9))
            snprintf(r->reason, sizeof r->reason, "%s", line + 9);
        else if (sscanf(line, "output = %1023[^\n]", value) == 1 && !add_output(r, value)) {
            free(text);
            record_free(r);
            return mdx_error_set(err, MDX_ERR_NOMEM, path, 0, "out of memory");
        }
    }
    free(text);
    return MDX_OK;
}

mdx_status mdx_run_inp_hash(const char *dir, char hash[17], mdx_error *err)
{
    char path[4096];
    join(path, sizeof path, dir, "feff.inp");
    char *text;
    size_t len;
    mdx_status st = mdx_read_file(path, &text, &len, err);
    if (st == MDX_OK)
        mdx_feffinp_hash(text, len, hash);
    free(text);
    return st;
}

int mdx_run_program(const char *dir, char *program, size_t size)
{
    record r;
    int ok = read_record(dir, &r, NULL) == MDX_OK && r.status == RECORD_OK;
    snprintf(program, size, "%s", ok ? r.program : "");
    record_free(&r);
    return ok;
}

int mdx_run_state(const char *dir, char *reason, size_t size, mdx_error *err)
{
    char hash[17];
    if (mdx_run_inp_hash(dir, hash, err) != MDX_OK)
        return -1;
    record r;
    if (read_record(dir, &r, err) != MDX_OK)
        return -1;
    static const int state[] = {[RECORD_NONE] = MDX_RUN_NONE, [RECORD_OK] = MDX_RUN_OK,
                                [RECORD_FAILED] = MDX_RUN_FAILED, [RECORD_MOVING] = MDX_RUN_CUT};
    int st = r.status == RECORD_OK && strcmp(r.hash, hash) ? MDX_RUN_STALE : state[r.status];
    snprintf(reason, size, "%s", r.reason);
    record_free(&r);
    return st;
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

/* Is name one a run must never remove or write over: the inputs, the
 * record, a hidden name, or no plain file name at all? */
static int is_kept(const char *name)
{
    return name[0] == '.' || strchr(name, '/') || strchr(name, '\n') ||
           !strcmp(name, "feff.inp") || !strcmp(name, "atom.txt") ||
           !strcmp(name, MDX_RUN_RECORD);
}

/* Is name a file only a FEFF run writes (files.dat, chi.dat, feffNNNN.dat,
 * feff.bin, ...)? Such files in a folder without a record mean FEFF ran
 * there by other hands. */
static int is_run_output(const char *name)
{
    static const char *const names[] = {"files.dat", "paths.dat", "chi.dat", "list.dat",
                                        NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i]))
            return 1;
    return mdx_holds_paths(name);
}

/* Remove the outputs dir's record lists but the kept names (whatever an
 * edited record says) and those spare says to keep (NULL: none); all it
 * can, the first failure said. */
static mdx_status remove_recorded(const char *dir, int (*spare)(const char *name),
                                  mdx_error *err)
{
    record r;
    mdx_status st = read_record(dir, &r, err);
    char path[4096];
    for (size_t i = 0; i < r.n; i++)
        if (!is_kept(r.outputs[i]) && !(spare && spare(r.outputs[i]))) {
            join(path, sizeof path, dir, r.outputs[i]);
            if (remove(path) != 0 && errno != ENOENT && st == MDX_OK)
                st = mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot remove: %s",
                                   strerror(errno));
        }
    record_free(&r);
    return st;
}

/* Remove the outputs dir's record lists, then the record. */
static mdx_status remove_outputs(const char *dir, mdx_error *err)
{
    char path[4096];
    mdx_status st = remove_recorded(dir, NULL, err);
    join(path, sizeof path, dir, MDX_RUN_RECORD);
    if (st == MDX_OK && remove(path) != 0 && errno != ENOENT)
        st = mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot remove: %s", strerror(errno));
    return st;
}

/* Is name a file FEFF wrote that a folder keeps once its paths are
 * dropped into a database: a log, files.dat, paths.dat or chi.dat, or
 * the note of whose potentials the run used? */
static int kept_after_drop(const char *name)
{
    size_t n = strlen(name);
    return !strcmp(name, "files.dat") || !strcmp(name, "paths.dat") ||
           !strcmp(name, "chi.dat") || !strcmp(name, MDX_POT_NOTE) ||
           (n > 4 && !strcmp(name + n - 4, ".log"));
}

mdx_status mdx_run_drop_outputs(const char *dir, mdx_error *err)
{
    return remove_recorded(dir, kept_after_drop, err);
}

/* Remove the scratch folders of earlier runs in dir (the folder is
 * locked: no run of ours uses them). A program an earlier FEFF started
 * and that outlived its runner may still write into one; the new run
 * takes a folder of its own. */
static void remove_old_scratch(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char path[4096];
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (mdx_run_is_scratch(e->d_name)) {
            join(path, sizeof path, dir, e->d_name);
            mdx_run_remove_tree(path);
        }
    closedir(d);
}

int mdx_run_is_scratch(const char *name)
{
    size_t n = strlen(MDX_RUN_SCRATCH);
    return !strncmp(name, MDX_RUN_SCRATCH, n) && name[n] == '.' && strlen(name + n + 1) == 6;
}

/* Lock dir for this run (a lock file, held until *lock is closed); an
 * error when another runner, or another run of this one, holds it
 * (MDX_ERR_RANGE) or there can be no lock file (MDX_ERR_IO). The lock is
 * the open file's, not the process's: closing another descriptor of the
 * file (a check's, ended) leaves it held. */
static mdx_status lock_folder(const char *dir, int *lock, mdx_error *err)
{
    char path[4096];
    join(path, sizeof path, dir, ".mdexafs-lock");
    *lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (*lock < 0)
        return mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot lock the folder: %s",
                             strerror(errno));
    struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(*lock, F_OFD_SETLK, &l) == 0)
        return MDX_OK;
    int e = errno;
    close(*lock);
    *lock = -1;
    return e == EACCES || e == EAGAIN
               ? mdx_error_set(err, MDX_ERR_RANGE, dir, 0, "another mdexafs feff is "
                               "running in this folder")
               : mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot lock the folder: %s",
                               strerror(e));
}

/* FEFF's files in dir that no record lists (FEFF run there by hand, or a
 * record removed): the first two names into buf; 0 when there are none. */
static int unlisted_outputs(const char *dir, char *buf, size_t size)
{
    DIR *d = opendir(dir);
    size_t found = 0;
    buf[0] = '\0';
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        if (is_run_output(e->d_name) && found++ < 2) {
            size_t n = strlen(buf);
            snprintf(buf + n, size - n, "%s%.60s", n ? ", " : "", e->d_name);
        }
    if (d)
        closedir(d);
    return found > 0;
}

/* A new scratch folder for a run of dir (its path into scratch) in dir,
 * or in `under` when not NULL, holding a copy of feff.inp, whose hash
 * goes into hash. */
static mdx_status make_scratch(const char *dir, const char *under, char *scratch, size_t size,
                               char hash[17], mdx_error *err)
{
    char path[4096];
    mdx_status st;
    snprintf(scratch, size, "%s/%s.XXXXXX", under ? under : dir, MDX_RUN_SCRATCH);
    if (!mkdtemp(scratch))
        return mdx_error_set(err, MDX_ERR_IO, scratch, 0, "cannot make the folder: %s",
                             strerror(errno));
    join(path, sizeof path, dir, "feff.inp");
    char *text;
    size_t len;
    if ((st = mdx_read_file(path, &text, &len, err)) != MDX_OK)
        return st;
    mdx_feffinp_hash(text, len, hash);
    join(path, sizeof path, scratch, "feff.inp");
    st = mdx_write_file(path, text, len, err);
    free(text);
    return st;
}

mdx_status mdx_run_prepare(const char *dir, const char *under, int redo, char *scratch,
                           size_t size, char hash[17], int *lock, int *finished, mdx_error *err)
{
    char path[4096];
    *finished = 0;
    mdx_status st = lock_folder(dir, lock, err);
    if (st != MDX_OK)
        return st;
    int state = mdx_run_state(dir, path, sizeof path, err);  /* now that it is ours */
    if (state < 0 || (*finished = state == MDX_RUN_OK && !redo))
        return state < 0 ? err->code : MDX_OK;
    st = remove_outputs(dir, err);
    join(path, sizeof path, dir, MDX_DROPPED);  /* the paths to come are new */
    if (st == MDX_OK && remove(path) != 0 && errno != ENOENT)
        st = mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot remove: %s", strerror(errno));
    if (st != MDX_OK)
        return st;
    char names[256];
    if (unlisted_outputs(dir, names, sizeof names))
        return mdx_error_set(err, MDX_ERR_RANGE, dir, 0, "holds FEFF's files that no record"
                             " lists (%s, ...): remove them to run FEFF here", names);
    remove_old_scratch(dir);
    return make_scratch(dir, under, scratch, size, hash, err);
}

mdx_status mdx_run_prepare_aside(const char *dir, const char *under, char *scratch,
                                 size_t size, char hash[17], int *lock, mdx_error *err)
{
    mdx_status st = lock_folder(dir, lock, err);
    if (st == MDX_OK && (st = make_scratch(dir, under, scratch, size, hash, err)) != MDX_OK) {
        close(*lock);
        *lock = -1;
    }
    return st;
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

/* FEFF's programs may die while their runner exits 0 (feff8l does not
 * check them): every file it wrote must read whole. Its failure, if any,
 * into reason. */
static void check_path_file(const char *scratch, const char *name, char *reason, size_t size)
{
    char path[4096];
    join(path, sizeof path, scratch, name);
    mdx_path p = {0};
    mdx_error e;
    const double grid[2] = {0, (MDX_NK - 1) * MDX_KSTEP};  /* the build's k grid */
    if (mdx_feff_parse_file(path, &p, &e) != MDX_OK)
        snprintf(reason, size, "%s does not read whole: line %ld: %s", name, e.line, e.msg);
    else if (mdx_chi_covers(&p, 2, grid, &e) != MDX_OK)
        snprintf(reason, size, "%s: %s (or EXAFS below 20 in feff.inp)", name, e.msg);
    mdx_path_free(&p);
}

static void check_chidat(const char *scratch, char *reason, size_t size)
{
    char path[4096];
    join(path, sizeof path, scratch, "chi.dat");
    char *text = NULL;
    size_t len = 0;
    double *kchi = NULL;
    size_t n = 0;
    mdx_error e;
    if (mdx_read_file(path, &text, &len, &e) != MDX_OK ||
        mdx_chidat_parse(text, path, &kchi, &n, &e) != MDX_OK)
        snprintf(reason, size, "chi.dat does not read whole: %s", e.msg);
    else if (len == 0 || text[len - 1] != '\n')
        snprintf(reason, size, "chi.dat ends in the middle of a line");
    free(kchi);
    free(text);
}

/* Why the run in scratch is not finished, into reason ("" when it is):
 * FEFF must have exited 0 and written every path file its files.dat lists
 * (or a feff.bin), and its chi.dat when it wrote one (FEFF 6L writes none
 * by default). */
void mdx_run_judge(const char *scratch, int wstatus, char *reason, size_t size)
{
    reason[0] = '\0';
    if (wstatus == -1)
        snprintf(reason, size, "its exit status was lost");
    else if (WIFSIGNALED(wstatus))
        snprintf(reason, size, "killed by signal %d", WTERMSIG(wstatus));
    else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 126)
        snprintf(reason, size, "could not start in its scratch folder (exit status 126)");
    else if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
        snprintf(reason, size, "exit status %d", WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    else if (has_file(scratch, "chi.dat") && (check_chidat(scratch, reason, size), reason[0]))
        return;
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
            else
                check_path_file(scratch, name, reason, size);
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
                          const char *program, const char *failure, int wstatus,
                          double seconds, int *ok, char *reason, size_t rsize, mdx_error *err)
{
    if (failure)
        snprintf(reason, rsize, "%s", failure);
    else
        mdx_run_judge(scratch, wstatus, reason, rsize);
    record r = {0};
    mdx_status st = list_outputs(scratch, &r, err);
    char from[4096], to[4096];
    struct stat sb;
    for (size_t i = 0; st == MDX_OK && !reason[0] && i < r.n; i++) {
        join(to, sizeof to, dir, r.outputs[i]);
        if (is_kept(r.outputs[i]) || lstat(to, &sb) == 0)
            snprintf(reason, rsize, "it wrote %s, which %s", r.outputs[i],
                     is_kept(r.outputs[i]) ? "is not a file FEFF may write"
                                           : "the folder has already");
    }
    *ok = reason[0] == '\0';
    if (st == MDX_OK && !*ok) {   /* keep only what may move in */
        size_t kept = 0;
        for (size_t i = 0; i < r.n; i++) {
            join(to, sizeof to, dir, r.outputs[i]);
            if (!is_kept(r.outputs[i]) && lstat(to, &sb) != 0)
                r.outputs[kept++] = r.outputs[i];
            else
                free(r.outputs[i]);
        }
        r.n = kept;
    }
    if (st == MDX_OK)
        st = write_record(dir, "moving", hash, program, seconds, "", &r, err);
    for (size_t i = 0; st == MDX_OK && i < r.n; i++) {
        join(from, sizeof from, scratch, r.outputs[i]);
        join(to, sizeof to, dir, r.outputs[i]);
        if (rename(from, to) != 0 && (errno != EXDEV || !mdx_copy_file(from, to)))
            st = mdx_error_set(err, MDX_ERR_IO, to, 0, "cannot move FEFF's %s here: %s",
                               r.outputs[i], strerror(errno));
    }
    if (st == MDX_OK && !mdx_run_sync(dir))
        st = mdx_error_set(err, MDX_ERR_IO, dir, 0, "cannot write FEFF's files to disk: %s",
                           strerror(errno));
    if (st == MDX_OK)
        st = write_record(dir, *ok ? "ok" : "failed", hash, program, seconds, reason, &r, err);
    record_free(&r);
    if (st == MDX_OK)
        mdx_run_remove_tree(scratch);
    return st;
}
