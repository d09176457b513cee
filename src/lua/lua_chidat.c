/* src:chidat{frames=, atoms=} -> result: the mean of FEFF's own chi.dat
 * over the folders, on the k values all have. */
#include <stdio.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/average.h"

/* The average being made, and what went wrong. */
typedef struct chidat_avg {
    mdx_average avg;
    int started;
    mdx_error err;
    char first[300], other[300];  /* two grids that differ, for stderr */
} chidat_avg;

/* "frame_500/atom_0: k = 0.05 .. 20, 400 values" */
static void describe_grid(char *buf, size_t size, const mdx_folder_chidat *f)
{
    snprintf(buf, size, "%.200s: k = %g .. %g, %zu values", f->dir, f->k[0],
             f->k[f->n - 1], f->n);
}

/* Each chi.dat on its own k grid: the mean is over the k values all have,
 * not row by row (as the reference does, misaligning 0, 0.05, ... with
 * 0.05, 0.1, ...). */
static int add_chidat(void *ctx, const mdx_folder_chidat *f)
{
    chidat_avg *c = ctx;
    if (f->n == 0)
        return 0;
    if (!c->started) {
        if (mdx_average_init(&c->avg, f->n, f->k, &c->err))
            return 1;
        c->started = 1;
        describe_grid(c->first, sizeof c->first, f);
    }
    if (mdx_average_add_aligned(&c->avg, f->k, f->chi, f->n, 0) &&
        !c->other[0])
        describe_grid(c->other, sizeof c->other, f);
    return 0;
}

int mdx_lua_source_chidat(lua_State *L)
{
    static const char *const keys[] = {"frames", "atoms", NULL};
    mdx_source *src = mdx_lua_check_source(L, 1);
    lua_selection *ls = lua_newuserdatauv(L, sizeof *ls, 2);
    memset(ls, 0, sizeof *ls);
    luaL_setmetatable(L, MDX_SELECTION_MT);  /* frees what parsing owns */
    mdx_lua_parse_selection(L, 2, lua_gettop(L), ls, keys, "chidat");
    chidat_avg c = {0};
    mdx_error err;
    if (mdx_source_each_chidat(src, &ls->sel, add_chidat, &c, &err)) {
        mdx_average_free(&c.avg);
        return mdx_lua_raise(L, &err);
    }
    if (!c.started) {
        if (c.err.msg[0])
            return mdx_lua_raise(L, &c.err);
        return luaL_error(L, "chidat: no folder with a chi.dat in the selection");
    }
    if (c.avg.n == 0) {
        mdx_average_free(&c.avg);
        return luaL_error(L, "chidat: no k value is common to all chi.dat "
                             "files (%s; %s)", c.first, c.other);
    }
    if (c.other[0])
        fprintf(stderr, "mdexafs: chi.dat files are on different k grids (%s; "
                "%s): the mean is over the %zu values all have, k = %g .. %g\n",
                c.first, c.other, c.avg.n, c.avg.k[0], c.avg.k[c.avg.n - 1]);
    char label[1200], text[1100];
    snprintf(text, sizeof text, "FEFF chi.dat%s%s", ls->label[0] ? "; " : "",
             ls->label);
    mdx_lua_result_label(src, text, label, sizeof label);
    mdx_lua_push_average(L, &c.avg, label);
    mdx_average_free(&c.avg);
    ((mdx_lua_result *)lua_touserdata(L, -1))->chidat = 1;
    return 1;
}

