/* src:chidat{frames=, atoms=} -> result: the mean of FEFF's own chi.dat
 * over the folders, on the k values all have (mdx_query_chidat). */
#include <stdio.h>
#include <string.h>

#include "lua_private.h"

typedef struct chidat_run {
    mdx_average *avg;
    char note[800];
} chidat_run;

static mdx_status run_chidat(mdx_query *q, void *arg, mdx_error *err)
{
    chidat_run *c = arg;
    return mdx_query_chidat(q, &c->avg, c->note, sizeof c->note, err);
}

int mdx_lua_source_chidat(lua_State *L)
{
    static const char *const keys[] = {"frames", "atoms", NULL};
    mdx_lua_check_source(L, 1);
    lua_selection *ls = lua_newuserdatauv(L, sizeof *ls, 4);
    memset(ls, 0, sizeof *ls);
    luaL_setmetatable(L, MDX_SELECTION_MT);  /* frees what parsing owns */
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    mdx_lua_parse_selection(L, 2, lua_gettop(L), ls, keys, "chidat");
    lua_replace(L, 1);  /* mdx_lua_run reads the selection at index 1 */
    chidat_run c;
    mdx_lua_run(L, ls, run_chidat, &c);
    if (c.note[0])
        fprintf(stderr, "mdexafs: %s\n", c.note);
    mdx_lua_push_average(L, c.avg, ls->query);
    mdx_average_free(c.avg);
    ((mdx_lua_result *)lua_touserdata(L, -1))->chidat = 1;
    return 1;
}
