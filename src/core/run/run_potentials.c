/* The groups of folders that share potentials (mdexafs feff
 * --potentials=once): one per absorber and potential list, its reference
 * named or its first folder, every other folder's potential cards checked
 * against the reference's, and the folders to check in full chosen. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "run_private.h"
#include "util/file.h"

void mdx_pot_plan_free(mdx_pot_plan *plan)
{
    for (size_t i = 0; i < plan->nrefused; i++)
        free(plan->refused[i]);
    free(plan->refused);
    for (size_t i = 0; i < plan->n; i++) {
        mdx_feffinp_pots_free(&plan->g[i].pots);
        free(plan->g[i].member);
        free(plan->g[i].check);
    }
    free(plan->g);
    memset(plan, 0, sizeof *plan);
}

/* The potentials' part of folder dir's feff.inp into p. */
static mdx_status read_pots(const char *dir, mdx_feffinp_pots *p, mdx_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/feff.inp", dir);
    char *text;
    size_t len;
    mdx_status st = mdx_read_file(path, &text, &len, err);
    if (st == MDX_OK)
        st = mdx_feffinp_pots_read(text, path, p, err);
    free(text);
    return st;
}

/* Is dir the folder named by one of from[] (realpaths compared)? Its index
 * into *which. */
static int named(const char *dir, const char *const *from, size_t nfrom, size_t *which)
{
    char real[PATH_MAX], want[PATH_MAX];
    if (!realpath(dir, real))
        return 0;
    for (size_t i = 0; i < nfrom; i++)
        if (realpath(from[i], want) && !strcmp(real, want)) {
            *which = i;
            return 1;
        }
    return 0;
}

/* Choose g->ncheck of g's members at random (xorshift from seed), in the
 * members' order. */
static mdx_status choose_checks(mdx_pot_group *g, size_t check, uint64_t seed, mdx_error *err)
{
    g->ncheck = check < g->n ? check : g->n;
    if (g->ncheck == 0)
        return MDX_OK;
    size_t *pick = malloc(g->n * sizeof *pick);
    g->check = malloc(g->ncheck * sizeof *g->check);
    if (!pick || !g->check) {
        free(pick);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < g->n; i++)
        pick[i] = i;
    uint64_t x = seed * 2654435761u + 1;   /* the first ncheck of a shuffle */
    for (size_t i = 0; i < g->ncheck; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t j = i + (size_t)(x % (uint64_t)(g->n - i)), t = pick[i];
        pick[i] = pick[j], pick[j] = t;
    }
    for (size_t i = 0, k = 0; i < g->n; i++)   /* in order */
        for (size_t j = 0; j < g->ncheck; j++)
            if (pick[j] == i)
                g->check[k++] = g->member[i];
    free(pick);
    return MDX_OK;
}

/* Add folder dir to the group of its potential list in plan (a new one
 * when none has it yet), p then owned by the plan. */
static mdx_status add_to_group(mdx_pot_plan *plan, const char *dir, mdx_feffinp_pots *p,
                               int is_ref, mdx_error *err)
{
    mdx_pot_group *g = NULL;
    for (size_t i = 0; i < plan->n && !g; i++)
        if (!strcmp(plan->g[i].pots.key, p->key))
            g = &plan->g[i];
    if (!g) {
        mdx_pot_group *more = realloc(plan->g, (plan->n + 1) * sizeof *more);
        if (!more)
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        plan->g = more;
        g = &plan->g[plan->n++];
        *g = (mdx_pot_group){.ref = dir, .pots = *p};
        *p = (mdx_feffinp_pots){0};
        return MDX_OK;
    }
    if (is_ref) {   /* it takes the reference's place */
        mdx_feffinp_pots t = g->pots;
        g->pots = *p, *p = t;
        const char *was = g->ref;
        g->ref = dir, dir = was;
    }
    const char **more = realloc(g->member, (g->n + 1) * sizeof *more);
    if (!more)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    g->member = more;
    g->member[g->n++] = dir;
    mdx_feffinp_pots_free(p);
    return MDX_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Refuse folder dir for the reason in why: not run, said. */
static mdx_status refuse(mdx_pot_plan *plan, const char *dir, const char *why, mdx_error *err)
{
    char **more = realloc(plan->refused, (plan->nrefused + 2) * sizeof *more);
    if (more)
        plan->refused = more;
    char *d = more ? strdup(dir) : NULL, *w = d ? strdup(why) : NULL;
    if (!w) {
        free(d);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    plan->refused[plan->nrefused++] = d;
    plan->refused[plan->nrefused++] = w;
    return MDX_OK;
}

/* Every member's potential cards against its reference's: those that
 * differ refused, naming the card on each side, and out of the group. */
static mdx_status check_alike(mdx_pot_plan *plan, mdx_pot_group *g, mdx_error *err)
{
    size_t kept = 0;
    mdx_status st = MDX_OK;
    for (size_t i = 0; st == MDX_OK && i < g->n; i++) {
        mdx_feffinp_pots p;
        char mine[256], theirs[256], why[1024];
        if ((st = read_pots(g->member[i], &p, err)) != MDX_OK)
            break;
        int differ = mdx_feffinp_pots_differ(&p, &g->pots, mine, theirs, sizeof mine);
        mdx_feffinp_pots_free(&p);
        if (!differ) {
            g->member[kept++] = g->member[i];
            continue;
        }
        snprintf(why, sizeof why, "its feff.inp has %s%s%s where %s, whose potentials its "
                 "group would share, has %s%s%s: make them alike, name another reference "
                 "(--potentials-from), or run without --potentials=once",
                 mine[0] ? "\"" : "", mine[0] ? mine : "nothing", mine[0] ? "\"" : "", g->ref,
                 theirs[0] ? "\"" : "", theirs[0] ? theirs : "nothing", theirs[0] ? "\"" : "");
        st = refuse(plan, g->member[i], why, err);
    }
    g->n = kept;
    return st;
}

/* The reference the members' notes name, when it is a folder of g that
 * ran on its own potentials: it stays the reference (a folder added
 * before it, or shards of another count, would move it and rerun the
 * group); g's first folder else. */
static mdx_status keep_reference(mdx_pot_group *g, mdx_error *err)
{
    char from[4096], hash[17], ref[8200], named[PATH_MAX];
    for (size_t i = 0; i < g->n; i++) {
        if (mdx_pot_note_read(g->member[i], from, sizeof from, hash, NULL) != 1)
            continue;
        snprintf(ref, sizeof ref, "%s/%s", g->member[i], from);
        if (!realpath(ref, named))
            continue;
        for (size_t j = 0; j < g->n; j++) {
            char real[PATH_MAX];
            if (j == i || !realpath(g->member[j], real) || strcmp(real, named) ||
                mdx_pot_note_read(g->member[j], from, sizeof from, hash, NULL) != 0)
                continue;
            const char *was = g->ref;   /* the note's folder and the first swap */
            g->ref = g->member[j];
            g->member[j] = was;
            qsort(g->member, g->n, sizeof *g->member, by_name);
            mdx_feffinp_pots_free(&g->pots);
            return read_pots(g->ref, &g->pots, err);
        }
        return MDX_OK;
    }
    return MDX_OK;
}

/* Is dir one of the folders of f (realpaths compared)? */
static int among(const mdx_run_folders *f, const char *dir)
{
    size_t which;
    for (size_t i = 0; i < f->n; i++)
        if (named(f->dir[i], &dir, 1, &which))
            return 1;
    return 0;
}

mdx_status mdx_pot_plan_make(const mdx_run_folders *f, const mdx_run_folders *all,
                             const char *const *from, size_t nfrom, size_t check,
                             uint64_t seed, mdx_pot_plan *plan, mdx_error *err)
{
    memset(plan, 0, sizeof *plan);
    const char **chosen = calloc(nfrom ? nfrom : 1, sizeof *chosen);
    mdx_status st = chosen ? MDX_OK : mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0,
                                                    "out of memory");
    for (size_t i = 0; st == MDX_OK && i < f->n; i++) {
        mdx_feffinp_pots p;
        size_t which = 0;
        int is_ref = named(f->dir[i], from, nfrom, &which);
        mdx_error e;
        if (read_pots(f->dir[i], &p, &e) != MDX_OK) {   /* its own fault: it alone */
            char why[1200];
            if (e.code == MDX_ERR_NOMEM || e.code == MDX_ERR_IO) {
                st = mdx_error_copy(err, &e);
                break;
            }
            mdx_error_format(&e, why, sizeof why);
            st = refuse(plan, f->dir[i], why, err);
            continue;
        }
        if (is_ref)
            chosen[which] = f->dir[i];
        st = add_to_group(plan, f->dir[i], &p, is_ref, err);
        mdx_feffinp_pots_free(&p);
    }
    for (size_t i = 0; st == MDX_OK && i < nfrom; i++)   /* another shard's: its own */
        if (!chosen[i] && !among(all, from[i]))
            st = mdx_error_set(err, MDX_ERR_ARG, from[i], 0, "not a folder with a feff.inp "
                               "under the tree (--potentials-from)");
    for (size_t i = 0; st == MDX_OK && i < plan->n; i++) {
        mdx_pot_group *g = &plan->g[i];
        for (size_t j = 0; j < g->n; j++)
            for (size_t k = 0; k < nfrom; k++)
                if (chosen[k] == g->member[j])
                    st = mdx_error_set(err, MDX_ERR_ARG, g->member[j], 0, "and %s are both "
                                       "named to give the potentials of one group (%s): "
                                       "name one", g->ref, g->pots.label);
        if (st == MDX_OK && g->n)
            qsort(g->member, g->n, sizeof *g->member, by_name);
        int is_named = 0;
        for (size_t k = 0; k < nfrom; k++)
            is_named |= chosen[k] == g->ref;
        if (st == MDX_OK && !is_named)
            st = keep_reference(g, err);
        if (st == MDX_OK)
            st = check_alike(plan, g, err);
        if (st == MDX_OK)
            st = choose_checks(g, check, seed, err);
    }
    free(chosen);
    if (st != MDX_OK)
        mdx_pot_plan_free(plan);
    return st;
}
