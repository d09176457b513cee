/* A group's potential files: kept from its reference's run (in the
 * reference's folder, MDX_POT_KEPT, which drops leave alone, with their
 * hash and the feff.inp hash and program that made them), copied into each member's
 * scratch folder with a feff.inp that runs the path modules only,
 * checked unchanged after the run (they then move in with its outputs,
 * as after a FEFF run by hand), and the member's note naming the
 * reference and the potentials' hash. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "run_private.h"
#include "util/file.h"

/* Where a reference keeps its potential files. */
#define MDX_POT_KEPT ".mdexafs-potentials"

/* The files FEFF's potentials and phases modules write and its later
 * modules read: FEFF 8.5L's (Debian's feff8l writes the .pad ones and
 * xsect.json) and FEFF 9 and 10's. */
static const char *const pot_files[] = {"pot.pad", "pot.bin", "phase.pad", "phase.bin",
                                        "xsect.json", "xsect.bin", "xsect.dat", NULL};

/* dir/name into buf: 1, or 0 when cut short (no file has such a name). */
static int join(char *buf, size_t size, const char *dir, const char *name)
{
    return snprintf(buf, size, "%s/%s", dir, name) < (int)size;
}

/* The hash of the potential files in dir, names and contents, into hash:
 * how many there are (0 with hash ""), or -1 when one cannot be read. */
static int hash_files(const char *dir, char hash[17])
{
    XXH3_state_t *h = XXH3_createState();
    int n = h ? 0 : -1;
    char path[8192];
    if (h)
        XXH3_64bits_reset(h);
    for (int i = 0; n >= 0 && pot_files[i]; i++) {
        join(path, sizeof path, dir, pot_files[i]);
        char *text;
        size_t len;
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        if (mdx_read_file(path, &text, &len, NULL) != MDX_OK) {
            n = -1;
            break;
        }
        XXH3_64bits_update(h, pot_files[i], strlen(pot_files[i]) + 1);
        XXH3_64bits_update(h, &len, sizeof len);
        XXH3_64bits_update(h, text, len);
        free(text);
        n++;
    }
    if (n > 0)
        snprintf(hash, 17, "%016llx", (unsigned long long)XXH3_64bits_digest(h));
    else
        hash[0] = '\0';
    XXH3_freeState(h);
    return n;
}

/* Copy the potential files of dir into folder to: how many, or -1 with
 * errno. */
static int copy_files(const char *dir, const char *to)
{
    char from[8192], dest[8192];
    int n = 0;
    struct stat sb;
    for (int i = 0; pot_files[i]; i++) {
        join(from, sizeof from, dir, pot_files[i]);
        join(dest, sizeof dest, to, pot_files[i]);
        if (stat(from, &sb) != 0)
            continue;
        if (!mdx_copy_file(from, dest))
            return -1;
        n++;
    }
    return n;
}

/* What made the kept potentials: MDX_POT_MADE in MDX_POT_KEPT. */
#define MDX_POT_MADE "made-by.txt"

void mdx_pot_forget(mdx_pot_group *g)
{
    char kept[4096];
    join(kept, sizeof kept, g->ref, MDX_POT_KEPT);
    mdx_run_remove_tree(kept);
    g->hash[0] = '\0';
}

/* The text of MDX_POT_MADE for potentials of hash pots made by a run of
 * the feff.inp of hash inp by program, into buf. */
static void made_by(const char *pots, const char *inp, const char *program, char *buf,
                    size_t size)
{
    snprintf(buf, size, "potentials = %s\nfeff_inp = %s\nprogram = %s\n", pots, inp,
             program);
}

/* Copied into a new folder with what made them, synced, then put in the
 * place of the kept ones. */
mdx_status mdx_pot_keep(mdx_pot_group *g, const char *from, const char *inp,
                        const char *program, mdx_error *err)
{
    char kept[4096], fresh[4096];
    join(kept, sizeof kept, g->ref, MDX_POT_KEPT);
    join(fresh, sizeof fresh, g->ref, MDX_POT_KEPT ".new");
    mdx_run_remove_tree(fresh);
    if (mkdir(fresh, 0755) != 0)
        return mdx_error_set(err, MDX_ERR_IO, fresh, 0, "cannot make the folder: %s",
                             strerror(errno));
    int n = copy_files(from, fresh);
    mdx_status st = n < 0 ? mdx_error_set(err, MDX_ERR_IO, fresh, 0, "cannot keep the "
                                          "potentials here: %s", strerror(errno))
                  : n == 0 ? mdx_error_set(err, MDX_ERR_FORMAT, g->ref, 0, "its FEFF run wrote "
                                           "no potential files (pot.pad or pot.bin): this "
                                           "FEFF cannot share potentials")
                  : hash_files(fresh, g->hash) > 0 ? MDX_OK
                  : mdx_error_set(err, MDX_ERR_IO, fresh, 0, "cannot read the potentials "
                                  "kept here");
    char made[4200], path[8192];
    made_by(g->hash, inp, program, made, sizeof made);
    join(path, sizeof path, fresh, MDX_POT_MADE);
    if (st == MDX_OK)
        st = mdx_write_file(path, made, strlen(made), err);
    if (st == MDX_OK)
        st = mdx_sync_folder(fresh, 0, err);
    if (st == MDX_OK) {
        mdx_run_remove_tree(kept);
        if (rename(fresh, kept) != 0)
            st = mdx_error_set(err, MDX_ERR_IO, kept, 0, "cannot keep the potentials here: "
                               "%s", strerror(errno));
    }
    if (st != MDX_OK) {
        mdx_run_remove_tree(fresh);
        g->hash[0] = '\0';
    }
    return st;
}

int mdx_pot_ready(mdx_pot_group *g, const char *program)
{
    char kept[4096], reason[MDX_RUN_REASON_MAX], from[4096], hash[17], inp[17];
    char want[4200], path[8192], ran[4096];
    join(kept, sizeof kept, g->ref, MDX_POT_KEPT);
    g->hash[0] = '\0';
    if (mdx_run_state(g->ref, reason, sizeof reason, NULL) != MDX_RUN_OK ||
        mdx_pot_note_read(g->ref, from, sizeof from, hash, NULL) != 0 ||
        mdx_run_inp_hash(g->ref, inp, NULL) != MDX_OK)
        return 0;
    join(path, sizeof path, kept, MDX_POT_MADE);
    char *made = NULL;
    size_t len;
    int same = 0;
    if (hash_files(kept, g->hash) > 0 && mdx_read_file(path, &made, &len, NULL) == MDX_OK) {
        made_by(g->hash, inp, program, want, sizeof want);
        same = !strcmp(made, want);   /* whole, of this feff.inp and program */
    }
    free(made);
    if (same)
        return 1;
    g->hash[0] = '\0';   /* else from its finished run, when by this program */
    return mdx_run_program(g->ref, ran, sizeof ran) && !strcmp(ran, program) &&
           hash_files(g->ref, hash) > 0 && mdx_pot_keep(g, g->ref, inp, program, NULL) == MDX_OK;
}

mdx_status mdx_pot_share(const mdx_pot_group *g, const char *dir, const char *scratch,
                         mdx_error *err)
{
    char path[8192], kept[4096];
    join(path, sizeof path, dir, "feff.inp");
    char *text, *paths_only = NULL;
    size_t len;
    mdx_status st = mdx_read_file(path, &text, &len, err);
    if (st == MDX_OK)
        st = mdx_feffinp_paths_only(text, path, &paths_only, err);
    free(text);
    join(path, sizeof path, scratch, "feff.inp");
    if (st == MDX_OK)
        st = mdx_write_file(path, paths_only, strlen(paths_only), err);
    free(paths_only);
    join(kept, sizeof kept, g->ref, MDX_POT_KEPT);
    errno = 0;   /* copy_files sets it when a copy fails, not when none is there */
    if (st == MDX_OK && copy_files(kept, scratch) <= 0)
        st = mdx_error_set(err, MDX_ERR_IO, kept, 0, "cannot copy the group's potentials "
                           "from here: %s", errno ? strerror(errno) : "none there");
    return st;
}

void mdx_pot_relative(const char *dir, const char *ref, char *buf, size_t size)
{
    size_t common = 0;   /* up to the last folder both are in */
    for (size_t i = 0; dir[i] && dir[i] == ref[i]; i++)
        if (dir[i] == '/')
            common = i + 1;
    size_t n = 0;
    buf[0] = '\0';
    for (const char *p = dir + common; *p && n < size; p += strcspn(p, "/"), p += *p == '/')
        n += (size_t)snprintf(buf + n, size - n, "../");
    if (n < size)
        snprintf(buf + n, size - n, "%s", ref + common);
}

mdx_status mdx_pot_unshare(const mdx_pot_group *g, const char *dir, const char *scratch,
                           char *reason, size_t size, mdx_error *err)
{
    char hash[17], path[8192], from[4096];
    if (!reason[0] && (hash_files(scratch, hash) < 0 || strcmp(hash, g->hash)))
        snprintf(reason, size, "FEFF changed the group's potential files (it ran its "
                 "potentials modules despite CONTROL 0 0 ...): this FEFF cannot share "
                 "potentials");
    mdx_pot_relative(dir, g->ref, from, sizeof from);
    join(path, sizeof path, scratch, MDX_POT_NOTE);
    mdx_outfile out;
    mdx_status st = mdx_outfile_open(&out, path, err);
    if (st != MDX_OK)
        return st;
    fprintf(out.fp, "# mdexafs feff --potentials=once: this folder's FEFF run used the\n"
            "# potentials of another folder, running its path modules only\n"
            "from = %s\npotentials = %s\n", from, g->hash);
    return mdx_outfile_commit(&out, err);
}

int mdx_pot_note_read(const char *dir, char *from, size_t size, char hash[17], mdx_error *err)
{
    char path[8192];
    join(path, sizeof path, dir, MDX_POT_NOTE);
    struct stat sb;
    if (stat(path, &sb) != 0 && errno == ENOENT)
        return 0;
    char *text;
    size_t len;
    if (mdx_read_file(path, &text, &len, err) != MDX_OK)
        return -1;
    mdx_status st = mdx_potentials_note_parse(text, path, "", from, size, hash, err);
    free(text);
    return st == MDX_OK ? 1 : -1;
}

int mdx_pot_member_current(const mdx_pot_group *g, const char *dir)
{
    char reason[MDX_RUN_REASON_MAX], from[4096], want[4096], hash[17];
    if (!g->hash[0] || mdx_run_state(dir, reason, sizeof reason, NULL) != MDX_RUN_OK ||
        mdx_pot_note_read(dir, from, sizeof from, hash, NULL) != 1)
        return 0;
    mdx_pot_relative(dir, g->ref, want, sizeof want);
    return !strcmp(from, want) && !strcmp(hash, g->hash);
}
