/* sel:reweight{data =, transform =, theta =}: weights of the selection's
 * folders that bring their average toward measured chi(k), with
 * maximum-entropy regularisation (mdx_reweight). Each folder's sum is the
 * one sel:sums() gives; equal weights are sel:average(). The result:
 * theta (the one kept), folders ({frame, atom, weight} each, in (frame,
 * atom) order), weights (the same numbers, a list), chi2_before,
 * chi2_after, n_idp, ndata, entropy, n_eff, noise_reached, average (a
 * result with its standard error) and scan ({theta, chi2, entropy,
 * n_eff} per theta tried, largest first). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "lua_fit.h"
#include "mdexafs/chi.h"
#include "mdexafs/reweight.h"

#define MAX_THETAS 200
#define SCAN_THETAS 15  /* theta = "scan": 10^-3 .. 10^4, half decades */

/* The folders' sums, one after another, MDX_NK each. */
typedef struct folder_sums {
    mdx_lua_sink base;
    double *chi;
    long *frame, *atom;
    size_t n, cap, cap_frame, cap_atom;
    size_t npaths;  /* in all the sums */
} folder_sums;

static int add_folder(void *ctx, const mdx_folder_chi *f)
{
    folder_sums *s = ctx;
    size_t cap = s->cap;
    double *chi = mdx_grow(s->chi, &cap, (s->n + 1) * MDX_NK, sizeof *chi,
                           64 * MDX_NK);
    if (!chi)
        return s->base.nomem = 1;
    s->chi = chi;
    s->cap = cap;
    long *frame = mdx_grow(s->frame, &s->cap_frame, s->n + 1, sizeof *frame,
                           64);
    if (frame)
        s->frame = frame;
    long *atom = mdx_grow(s->atom, &s->cap_atom, s->n + 1, sizeof *atom, 64);
    if (atom)
        s->atom = atom;
    if (!frame || !atom)
        return s->base.nomem = 1;
    memcpy(s->chi + s->n * MDX_NK, f->chi, MDX_NK * sizeof *s->chi);
    s->frame[s->n] = f->frame;
    s->atom[s->n++] = f->atom;
    s->npaths += f->npaths;
    return 0;
}

static void release_sums(void *ctx)
{
    folder_sums *s = ctx;
    free(s->chi);
    free(s->frame);
    free(s->atom);
}

/* The thetas option at idx: a number, a list, or "scan". */
static size_t read_thetas(lua_State *L, int idx, double *thetas)
{
    if (lua_type(L, idx) == LUA_TSTRING && !strcmp(lua_tostring(L, idx),
                                                   "scan")) {
        for (int i = 0; i < SCAN_THETAS; i++)
            thetas[i] = pow(10, -3 + 0.5 * i);
        return SCAN_THETAS;
    }
    if (lua_type(L, idx) == LUA_TNUMBER) {
        thetas[0] = lua_tonumber(L, idx);
        return 1;
    }
    if (!lua_istable(L, idx))
        luaL_error(L, "reweight: theta must be a number, a list of them or "
                      "\"scan\", not %s", luaL_typename(L, idx));
    size_t n = (size_t)lua_rawlen(L, idx);
    if (n < 1 || n > MAX_THETAS)
        luaL_error(L, "reweight: theta: give 1 to %d values", MAX_THETAS);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i + 1);
        int ok;
        thetas[i] = lua_tonumberx(L, -1, &ok);
        if (!ok)
            luaL_error(L, "reweight: theta[%d] is not a number", (int)i + 1);
        lua_pop(L, 1);
    }
    return n;
}

static void push_result(lua_State *L, const mdx_reweight_result *r,
                        const folder_sums *s, const char *what)
{
    lua_createtable(L, 0, 14);
    mdx_lua_set_number(L, "theta", r->theta);
    mdx_lua_set_number(L, "chi2_before", r->chi2_before);
    mdx_lua_set_number(L, "chi2_after", r->chi2_after);
    mdx_lua_set_number(L, "n_idp", r->n_idp);
    mdx_lua_set_integer(L, "ndata", (lua_Integer)r->ndata);
    mdx_lua_set_number(L, "entropy", r->entropy);
    mdx_lua_set_number(L, "n_eff", r->n_eff);
    lua_pushboolean(L, r->noise_reached);
    lua_setfield(L, -2, "noise_reached");
    mdx_lua_push_array(L, r->weights, r->nfolders);
    lua_setfield(L, -2, "weights");
    lua_createtable(L, (int)r->nfolders, 0);
    for (size_t i = 0; i < r->nfolders; i++) {
        lua_createtable(L, 0, 3);
        mdx_lua_set_integer(L, "frame", s->frame[i]);
        mdx_lua_set_integer(L, "atom", s->atom[i]);
        mdx_lua_set_number(L, "weight", r->weights[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "folders");
    lua_createtable(L, (int)r->nscan, 0);
    for (size_t i = 0; i < r->nscan; i++) {
        lua_createtable(L, 0, 4);
        mdx_lua_set_number(L, "theta", r->scan_theta[i]);
        mdx_lua_set_number(L, "chi2", r->scan_chi2[i]);
        mdx_lua_set_number(L, "entropy", r->scan_entropy[i]);
        mdx_lua_set_number(L, "n_eff", r->scan_n_eff[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "scan");
    char label[1400];
    snprintf(label, sizeof label, "reweighted average (theta %g, %.1f "
             "effective of %zu folders): %s", r->theta, r->n_eff,
             r->nfolders, what);
    mdx_lua_result *avg = mdx_lua_new_result(L, r->nk, 1, label);
    mdx_kgrid(avg->k);
    memcpy(avg->chi, r->average, r->nk * sizeof *avg->chi);
    memcpy(avg->sem, r->sem, r->nk * sizeof *avg->sem);
    avg->nfolders = avg->nwith = r->nfolders;
    avg->npaths = s->npaths;
    avg->mean = 1;
    lua_setfield(L, -2, "average");
}

static int selection_reweight(lua_State *L)
{
    static const char *const keys[] = {"data", "transform", "theta", NULL};
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
    mdx_lua_check_keys(L, 2, keys, "reweight", "option");
    lua_getfield(L, 2, "data");                                   /* 3 */
    const mdx_lua_result *data = mdx_lua_test_result(L, 3);
    if (!data || data->kweight != 0)
        return luaL_error(L, "reweight: data must be chi(k), as "
                             "mdx.read_chi(file) gives it%s",
                          data ? ", not k-weighted" : "");
    lua_getfield(L, 2, "transform");                              /* 4 */
    mdx_fit_transform t = mdx_lua_fit_transform(L, 4);
    if (lua_getfield(L, 2, "theta") == LUA_TNIL)                  /* 5 */
        return luaL_error(L, "reweight: theta is required: a number above "
                             "0, a list of them, or \"scan\"");
    double thetas[MAX_THETAS];
    size_t nthetas = read_thetas(L, 5, thetas);
    folder_sums *s = lua_newuserdatauv(L, sizeof *s, 0);         /* 6 */
    memset(s, 0, sizeof *s);
    s->base = (mdx_lua_sink){add_folder, release_sums, 0};
    lua_pushvalue(L, 1);  /* the sums read the selection at index 1 */
    lua_insert(L, 1);
    mdx_lua_run_sums(L, ls, MDX_GROUP_NONE, &s->base);
    lua_remove(L, 1);
    mdx_reweight_result r;
    mdx_error err;
    mdx_status rc = mdx_reweight(data->k, data->chi, data->n, &t, s->chi,
                                 s->n, MDX_NK, thetas, nthetas, &r, &err);
    if (rc) {
        release_sums(s);
        return mdx_lua_raise(L, &err);
    }
    push_result(L, &r, s, mdx_query_label(ls->query));
    mdx_reweight_result_free(&r);
    release_sums(s);
    return 1;
}

void mdx_lua_open_reweight(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"reweight", selection_reweight},
        {NULL, NULL},
    };
    mdx_lua_add_methods(L, MDX_SELECTION_MT, methods);
}
