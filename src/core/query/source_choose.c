/* Choosing a source: a database when it is fresh with its tree, else a
 * build or the files, decided once here for every face (CLI recipes, Lua,
 * Python), which add only their own words. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mdexafs/source.h"

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Open the tree the plan names, as it says. */
static mdx_status open_files(mdx_source_plan *p, mdx_source **out,
                             mdx_error *err)
{
    return mdx_source_open_as(p->fresh.tree, p->prefer, out, err);
}

/* A fresh database that does not open as one is damaged (MDX_ERR_FORMAT),
 * or was built reading the other files of folders with both (its open
 * refuses the preference asked for, MDX_ERR_ARG: see check_prefer in
 * source_db.c): then stale, as a build with it would change it. */
static void not_opened(mdx_source_plan *p, mdx_status st, const mdx_error *e)
{
    char *d = p->fresh.detail;
    size_t n = 0;
    p->fresh.state = st == MDX_ERR_ARG ? MDX_STALE : MDX_DAMAGED;
    if (st == MDX_ERR_ARG)
        n = (size_t)snprintf(d, sizeof p->fresh.detail, "built from the "
                             "other files: ");
    mdx_error_format(e, d + n, sizeof p->fresh.detail - n);  /* cut short */
}

static mdx_status choose(const mdx_source_request *r, mdx_source_plan *p,
                         mdx_source **out, mdx_error *err)
{
    *out = NULL;
    memset(p, 0, sizeof *p);
    p->prefer = r->prefer;
    if (!r->db) {
        if (!r->tree)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "give a "
                                 "database, a tree or both");
        p->choice = MDX_CHOOSE_TREE;
        snprintf(p->fresh.tree, sizeof p->fresh.tree, "%s", r->tree);
        return open_files(p, out, err);
    }
    mdx_status st = mdx_source_check(r->db, err);
    if (st)
        return st;
    mdx_check_freshness(r->db, r->tree, r->verify, &p->fresh);
    if (r->tree)
        snprintf(p->fresh.tree, sizeof p->fresh.tree, "%s", r->tree);
    const char *tree = p->fresh.tree[0] ? p->fresh.tree : NULL;
    if (p->fresh.state == MDX_UNKNOWN && tree && !is_dir(tree)) {
        p->choice = MDX_CHOOSE_UNCHECKED;
        return mdx_source_open_as(r->db, r->prefer, out, err);
    }
    if (p->fresh.state == MDX_FRESH) {
        mdx_error e;
        p->choice = MDX_CHOOSE_DB;
        st = mdx_source_open_as(r->db, r->prefer, out, &e);
        if (st != MDX_ERR_FORMAT && st != MDX_ERR_ARG)  /* not its content: */
            return st ? mdx_error_copy(err, &e) : MDX_OK;  /* no rebuild */
        not_opened(p, st, &e);
    }
    if (r->build && tree && p->fresh.state != MDX_UNKNOWN) {
        p->choice = MDX_CHOOSE_BUILD;
        p->rebuild = p->fresh.state == MDX_DAMAGED;
        return MDX_OK;
    }
    if (!tree)
        return mdx_error_set(err, p->fresh.state == MDX_MISSING ? MDX_ERR_IO
                             : MDX_ERR_FORMAT, NULL, 0, "%s is %s (%s) and no "
                             "tree was given to compute from", r->db,
                             mdx_freshness_state_name(p->fresh.state),
                             p->fresh.detail);
    /* from the files, folders with both are read as the database reads
     * them unless asked otherwise */
    p->choice = MDX_CHOOSE_FILES;
    if (r->prefer == MDX_PREFER_RECORDED)
        p->prefer = p->fresh.prefer;
    return open_files(p, out, err);
}

mdx_status mdx_source_choose(const mdx_source_request *r,
                             mdx_source_plan *p, mdx_source **out,
                             mdx_error *err)
{
    mdx_status st = choose(r, p, out, err);
    if (*out)
        mdx_source_skip_failed(*out, r->skip_failed);
    return st;
}

const char *mdx_freshness_state_name(enum mdx_freshness_state s)
{
    static const char *const names[] = {
        [MDX_FRESH] = "fresh", [MDX_STALE] = "stale",
        [MDX_MISSING] = "missing", [MDX_DAMAGED] = "damaged",
        [MDX_UNKNOWN] = "unknown"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}

const char *mdx_source_choice_name(enum mdx_source_choice c)
{
    static const char *const names[] = {
        [MDX_CHOOSE_TREE] = "tree", [MDX_CHOOSE_DB] = "database",
        [MDX_CHOOSE_UNCHECKED] = "unchecked", [MDX_CHOOSE_BUILD] = "build",
        [MDX_CHOOSE_FILES] = "files"};
    return (unsigned)c < sizeof names / sizeof *names ? names[c] : "?";
}

const char *mdx_prefer_name(enum mdx_prefer p)
{
    return p == MDX_PREFER_BIN ? "feff.bin"
         : p == MDX_PREFER_DAT ? "feffNNNN.dat" : NULL;
}
