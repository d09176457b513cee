/* r:wavelet{kweight =, rmax_out =, nfft =}: the Cauchy wavelet map of a
 * chi(k) result as xraylarch's cauchy_wavelet (mdx_cauchy_wavelet), a
 * table of k, r and the rows of re, im and mag (one per R, as larch's
 * wcauchy_re, _im, _mag), with nk, nr, kweight and label. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/chi.h"

/* Set t[key] (t on top) to the rows of v: nr tables of nk numbers. */
static void set_rows(lua_State *L, const char *key, const double *v,
                     size_t nr, size_t nk)
{
    lua_createtable(L, (int)nr, 0);
    for (size_t i = 0; i < nr; i++) {
        mdx_lua_push_array(L, v + i * nk, nk);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, key);
}

int mdx_lua_result_wavelet(lua_State *L)
{
    static const char *const keys[] = {"kweight", "rmax_out", "nfft", NULL};
    mdx_lua_result *r = mdx_lua_check_result(L, 1);
    if (r->kweight != 0)
        return luaL_error(L, "wavelet: this result is k^%f chi(k); wavelet "
                             "weights chi(k) itself (its kweight)",
                          r->kweight);
    double kweight = 0, rmax_out = 10, nfft = 2048;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "wavelet", "option");
        kweight = mdx_lua_opt_number(L, 2, "wavelet", "kweight", kweight);
        rmax_out = mdx_lua_opt_number(L, 2, "wavelet", "rmax_out", rmax_out);
        nfft = mdx_lua_opt_number(L, 2, "wavelet", "nfft", nfft);
    }
    if (!(nfft >= 16 && nfft <= 65536 && nfft == floor(nfft)))
        return luaL_error(L, "wavelet: nfft must be a power of two from 16 "
                             "to 65536");
    mdx_wavelet w;
    mdx_error err;
    if (mdx_cauchy_wavelet(r->k, r->chi, r->n, kweight, rmax_out,
                           (size_t)nfft, &w, &err))
        return mdx_lua_raise(L, &err);
    lua_createtable(L, 0, 9);
    mdx_lua_push_array(L, w.k, w.nk);
    lua_setfield(L, -2, "k");
    mdx_lua_push_array(L, w.r, w.nr);
    lua_setfield(L, -2, "r");
    set_rows(L, "re", w.re, w.nr, w.nk);
    set_rows(L, "im", w.im, w.nr, w.nk);
    set_rows(L, "mag", w.mag, w.nr, w.nk);
    mdx_lua_set_integer(L, "nk", (lua_Integer)w.nk);
    mdx_lua_set_integer(L, "nr", (lua_Integer)w.nr);
    mdx_lua_set_number(L, "kweight", kweight);
    lua_pushfstring(L, "Cauchy wavelet of k^%f chi(k): %s", kweight,
                    r->label);
    lua_setfield(L, -2, "label");
    mdx_wavelet_free(&w);
    return 1;
}
