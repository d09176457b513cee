/* mdexafs.lcf{data =, components = {...}, ...}: measured chi(k) as a
 * mixture of components (chi(k) results on one k grid: MD ensembles' or
 * standards' averages) as xraylarch's lincombo_fit, through mdx_lcf.
 * Options: kmin, kmax, kweight, sum_to_one, vary_e0 (mdx_lcf_defaults).
 * The result: fractions, stderr, e0, e0_stderr (lists in the components'
 * order), chi_square, chi2_reduced, rfactor, ndata, nvarys, errorbars,
 * success, message, and fit (the mixture's chi(k) on the data's k in the
 * range). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/lcf.h"

#define LCF "lcf"

/* The components at idx: results of chi(k), not k-weighted, on one k
 * grid (the first's). */
static size_t read_components(lua_State *L, int idx,
                              const mdx_lua_result **comps)
{
    if (!lua_istable(L, idx))
        luaL_error(L, "lcf: components must be a list of chi(k) results");
    size_t n = (size_t)lua_rawlen(L, idx);
    if (n < 2 || n > MDX_LCF_MAX)
        luaL_error(L, "lcf: give 2 to %d components, not %d", MDX_LCF_MAX,
                   (int)n);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i + 1);
        comps[i] = mdx_lua_test_result(L, -1);
        lua_pop(L, 1);  /* the list keeps it alive */
        if (!comps[i] || comps[i]->kweight != 0)
            luaL_error(L, "lcf: component %d must be chi(k), as an average "
                          "or mdx.read_chi gives it%s", (int)i + 1,
                       comps[i] ? ", not k-weighted" : "");
        int same = comps[i]->n == comps[0]->n;
        for (size_t j = 0; same && j < comps[0]->n; j++)
            same = comps[i]->k[j] == comps[0]->k[j];
        if (!same) {
            char msg[200];
            snprintf(msg, sizeof msg, "lcf: component %zu's k grid (%zu "
                     "points, %g .. %g) is not component 1's (%zu points, %g "
                     ".. %g)", i + 1, comps[i]->n, comps[i]->k[0],
                     comps[i]->k[comps[i]->n - 1], comps[0]->n,
                     comps[0]->k[0], comps[0]->k[comps[0]->n - 1]);
            luaL_error(L, "%s", msg);
        }
    }
    return n;
}

static void push_list(lua_State *L, const char *key, const double *v,
                      size_t n)
{
    mdx_lua_push_array(L, v, n);
    lua_setfield(L, -2, key);
}

int mdx_lua_lcf(lua_State *L)
{
    static const char *const keys[] = {"data", "components", "kmin", "kmax",
                                       "kweight", "sum_to_one", "vary_e0",
                                       NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    mdx_lua_check_keys(L, 1, keys, LCF, "option");
    lua_getfield(L, 1, "data");                                   /* 2 */
    const mdx_lua_result *data = mdx_lua_test_result(L, 2);
    if (!data || data->kweight != 0)
        return luaL_error(L, "lcf: data must be chi(k), as mdx.read_chi"
                             "(file) gives it%s", data ? ", not k-weighted"
                                                       : "");
    lua_getfield(L, 1, "components");                             /* 3 */
    const mdx_lua_result *comps[MDX_LCF_MAX] = {0};
    size_t ncomps = read_components(L, 3, comps);
    mdx_lcf_options o = mdx_lcf_defaults();
    o.kmin = mdx_lua_opt_number(L, 1, LCF, "kmin", o.kmin);
    o.kmax = mdx_lua_opt_number(L, 1, LCF, "kmax", o.kmax);
    o.kweight = mdx_lua_opt_number(L, 1, LCF, "kweight", o.kweight);
    o.sum_to_one = mdx_lua_opt_boolean(L, 1, LCF, "sum_to_one", o.sum_to_one);
    o.vary_e0 = mdx_lua_opt_boolean(L, 1, LCF, "vary_e0", o.vary_e0);
    const double *chis[MDX_LCF_MAX];
    for (size_t i = 0; i < ncomps; i++)
        chis[i] = comps[i]->chi;
    mdx_lcf_result r;
    mdx_error err;
    if (mdx_lcf(data->k, data->chi, data->n, comps[0]->k, comps[0]->n, chis,
                ncomps, &o, &r, &err))
        return mdx_lua_raise(L, &err);
    lua_createtable(L, 0, 14);
    push_list(L, "fractions", r.fraction, ncomps);
    push_list(L, "stderr", r.fraction_err, ncomps);
    push_list(L, "e0", r.e0, ncomps);
    push_list(L, "e0_stderr", r.e0_err, ncomps);
    mdx_lua_set_number(L, "chi_square", r.chi_square);
    mdx_lua_set_number(L, "chi2_reduced", r.chi2_reduced);
    mdx_lua_set_number(L, "rfactor", r.rfactor);
    mdx_lua_set_integer(L, "ndata", (lua_Integer)r.ndata);
    mdx_lua_set_integer(L, "nvarys", (lua_Integer)r.nvarys);
    lua_pushboolean(L, r.errorbars);
    lua_setfield(L, -2, "errorbars");
    lua_pushboolean(L, r.status >= 1 && r.status <= 4);
    lua_setfield(L, -2, "success");
    mdx_lua_set_string(L, "message", r.message);
    char label[1400];
    snprintf(label, sizeof label, "linear combination of %zu components "
             "fitted to %s", ncomps, data->label);
    mdx_lua_result *fit = mdx_lua_new_result(L, r.n, 0, label);
    memcpy(fit->k, r.k, r.n * sizeof *fit->k);
    memcpy(fit->chi, r.fit, r.n * sizeof *fit->chi);
    fit->nfolders = fit->nwith = 0;
    lua_setfield(L, -2, "fit");
    mdx_lcf_result_free(&r);
    return 1;
}
