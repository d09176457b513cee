/* Lua results: chi(k) with its k grid, counts and standard error. Fields
 * k, chi, sem (tables, each made on its first read and the same table at
 * every later one: read-only), nfolders, folders_with_paths, npaths, k_weight
 * (chi is k^k_weight chi(k)), frame, atom, label, element,
 * edge, n; methods write, kweight, xftf, wavelet; results add, subtract, scale and
 * negate; and mdexafs.read_chi. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/query.h"
#include "mdexafs/output.h"
#include "mdexafs/feff.h"

static int result_gc(lua_State *L)
{
    mdx_lua_result *r = luaL_checkudata(L, 1, MDX_RESULT_MT);
    free(r->k);
    free(r->chi);
    free(r->sem);
    free(r->label);
    memset(r, 0, sizeof *r);
    return 0;
}

mdx_lua_result *mdx_lua_new_result(lua_State *L, size_t n, int with_sem,
                                   const char *label)
{
    /* user values: the tables of k, chi and sem, once read (RESULT_K...) */
    mdx_lua_result *r = lua_newuserdatauv(L, sizeof *r, 3);
    memset(r, 0, sizeof *r);
    luaL_setmetatable(L, MDX_RESULT_MT);  /* __gc frees whatever was made */
    r->n = n;
    r->frame = r->atom = -1;
    r->k = calloc(n ? n : 1, sizeof *r->k);
    r->chi = calloc(n ? n : 1, sizeof *r->chi);
    r->sem = with_sem ? calloc(n ? n : 1, sizeof *r->sem) : NULL;
    r->label = strdup(label);
    if (!r->k || !r->chi || (with_sem && !r->sem) || !r->label)
        luaL_error(L, "out of memory");
    return r;
}

/* The user values of a result that keep its k, chi and sem tables. */
enum { RESULT_K = 1, RESULT_CHI, RESULT_SEM };

/* A result's kept tables (r.k, r.chi, r.sem) are read-only. */
static void check_kept(lua_State *L, int idx, const mdx_lua_result *r)
{
    static const char *const names[] = {"k", "chi", "sem", NULL};
    const double *const v[] = {r->k, r->chi, r->sem};
    mdx_lua_check_kept_arrays(L, idx, "result", names, v, r->n);
}

mdx_lua_result *mdx_lua_check_result(lua_State *L, int idx)
{
    mdx_lua_result *r = luaL_checkudata(L, idx, MDX_RESULT_MT);
    check_kept(L, idx, r);
    return r;
}

mdx_lua_result *mdx_lua_test_result(lua_State *L, int idx)
{
    mdx_lua_result *r = luaL_testudata(L, idx, MDX_RESULT_MT);
    if (r)
        check_kept(L, idx, r);
    return r;
}

static mdx_lua_result *check_result(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, MDX_RESULT_MT);
}

/* A copy of r with its own label; sem is dropped unless keep_sem. */
static mdx_lua_result *copy(lua_State *L, const mdx_lua_result *r,
                            const char *label, int keep_sem)
{
    mdx_lua_result *c = mdx_lua_new_result(L, r->n, keep_sem && r->sem, label);
    memcpy(c->k, r->k, r->n * sizeof *c->k);
    memcpy(c->chi, r->chi, r->n * sizeof *c->chi);
    if (c->sem)
        memcpy(c->sem, r->sem, r->n * sizeof *c->sem);
    c->nfolders = r->nfolders;
    c->nwith = r->nwith;
    c->mean = r->mean;
    c->kweight = r->kweight;
    c->chidat = r->chidat;
    c->npaths = r->npaths;
    c->frame = r->frame;
    c->atom = r->atom;
    memcpy(c->element, r->element, sizeof c->element);
    memcpy(c->edge, r->edge, sizeof c->edge);
    return c;
}

/* r:write(file [, options]) -> true | nil, message
 * By default two columns "k chi" at %.6f (a third, the standard error,
 * with sem) after one '#' line saying what was averaged: the reference
 * workflow's files. With columns = "athena" or xdi, xraylarch's column
 * form: k, chi, [k chi, k^2 chi, k^3 chi,] [sem]. */
static int result_write(lua_State *L)
{
    mdx_lua_result *r = mdx_lua_check_result(L, 1);
    const char *file = luaL_checkstring(L, 2);
    mdx_output o = mdx_lua_write_options(L, 3);
    char what[1300];
    mdx_chik_describe(what, sizeof what, r->label, r->nfolders, r->nwith,
                      r->npaths, r->mean || r->sem != NULL, r->chidat);
    mdx_chik c = {r->n, r->k, r->chi, r->sem, r->kweight, what, r->element,
                  r->edge};
    mdx_error err;
    if (mdx_write_chik(file, &o, &c, &err))
        return err.code == MDX_ERR_ARG ? mdx_lua_raise(L, &err)
                                       : mdx_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

/* "k chi chik2": the labels, for messages. */
static const char *labels_of(lua_State *L, const mdx_columns *c)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < c->ncols; i++) {
        if (i)
            luaL_addchar(&b, ' ');
        luaL_addstring(&b, c->labels[i]);
    }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

/* The column labelled `key`; for chi, the first labelled as chi(k) is
 * ("chi(k)", "chi_k"); -1 when none is. */
static int find_default(const mdx_columns *c, const char *key)
{
    int col = mdx_columns_find(c, key);
    double w;
    for (size_t i = 0; col < 0 && !strcmp(key, "chi") && i < c->ncols; i++)
        if (mdx_columns_chi(c->labels[i], &w) && w == 0)
            col = (int)i;
    return col;
}

/* The column option `key` of the table at idx (a label or a number from
 * 1), else the column labelled `key` (find_default); in a file without
 * labels column `def` (from 0), as for chi a column `def` labelled as
 * k-weighted chi ("k k2chi": read as weighted). Another labelled file
 * without such a column is an error: guessing would take energies for k. */
static int pick_column(lua_State *L, int idx, const char *key,
                       const mdx_columns *c, int def, const char *file)
{
    int type = lua_isnil(L, idx) ? LUA_TNIL : lua_getfield(L, idx, key);
    int col = -1;
    if (type == LUA_TNUMBER) {
        lua_Integer i = lua_tointeger(L, -1);
        if (i < 1 || (size_t)i > c->ncols)
            luaL_error(L, "read_chi: %s: %s = %d, but it has %d columns",
                       file, key, (int)i, (int)c->ncols);
        col = (int)i - 1;
    } else if (type == LUA_TSTRING) {
        const char *want = lua_tostring(L, -1);
        if ((col = mdx_columns_find(c, want)) < 0) {
            const char *have = labels_of(L, c);
            luaL_error(L, "read_chi: %s: no column labelled '%s' (columns: "
                          "%s)", file, want, have);
        }
    } else if (type != LUA_TNIL) {
        luaL_error(L, "read_chi: %s must be a column label or number", key);
    } else if ((col = find_default(c, key)) < 0) {
        double w;
        int weighted = !strcmp(key, "chi") && (size_t)def < c->ncols &&
                       mdx_columns_chi(c->labels[def], &w);  /* "k k2chi" */
        if (c->labels[0][0] && !weighted)
            luaL_error(L, "read_chi: %s: no column labelled %s (columns: "
                          "%s): name one: {%s = N} or {%s = \"label\"}",
                       file, key, labels_of(L, c), key, key);
        col = def;
    }
    if (type != LUA_TNIL)
        lua_pop(L, 1);
    if ((size_t)col >= c->ncols)
        luaL_error(L, "read_chi: %s: one column only: no %s column", file,
                   key);
    return col;
}

/* The k-weight of chi column col: that of the options at idx when given,
 * else 0 for a column chosen by number (the user's word that it is chi),
 * else the one its label says. */
static double chi_kweight(lua_State *L, int idx, const mdx_columns *c,
                          int col)
{
    double w = 0;
    mdx_columns_chi(c->labels[col], &w);
    if (lua_isnil(L, idx))
        return w;
    if (lua_getfield(L, idx, "chi") == LUA_TNUMBER)
        w = 0;
    lua_pop(L, 1);
    w = mdx_lua_opt_number(L, idx, "read_chi", "kweight", w);
    if (!isfinite(w))
        luaL_error(L, "read_chi: kweight must be a finite number");
    return w;
}

static int columns_gc(lua_State *L)
{
    mdx_columns_free(lua_touserdata(L, 1));
    return 0;
}

/* mdexafs.read_chi(file [, {k = label|n, chi = label|n, kweight = w}]) ->
 * result | nil, message: the k and chi columns of a column file
 * (xraylarch's and Athena's .chik and .chi, plain "k chi", XDI): by
 * default those labelled k and chi, else the first two; a column labelled
 * sem is its standard error. The chi column holds k^w chi with the w its
 * label says (k2chi), unless chosen by number (the user's word: chi) or
 * kweight says otherwise. */
int mdx_lua_read_chi(lua_State *L)
{
    static const char *const keys[] = {"k", "chi", "kweight", NULL};
    const char *file = luaL_checkstring(L, 1);
    mdx_columns c;
    mdx_error err;
    lua_settop(L, 2);
    if (!lua_isnil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "read_chi", "option");
    }
    if (mdx_columns_read(file, &c, &err))
        return mdx_lua_fail(L, &err);
    mdx_columns *held = lua_newuserdatauv(L, sizeof *held, 0);
    *held = c;  /* freed by __gc however this ends */
    if (luaL_newmetatable(L, "mdexafs.columns")) {
        lua_pushcfunction(L, columns_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    int kcol = pick_column(L, 2, "k", held, 0, file);
    int chicol = pick_column(L, 2, "chi", held, 1, file);
    double kweight = chi_kweight(L, 2, held, chicol);
    int semcol = mdx_columns_find(held, "sem");  /* multipath's --sem */
    mdx_lua_result *r = mdx_lua_new_result(L, held->nrows, semcol >= 0, file);
    for (size_t i = 0; i < held->nrows; i++) {
        r->k[i] = held->v[i * held->ncols + (size_t)kcol];
        r->chi[i] = held->v[i * held->ncols + (size_t)chicol];
        if (semcol >= 0)
            r->sem[i] = held->v[i * held->ncols + (size_t)semcol];
        if (i && !(r->k[i] > r->k[i - 1])) {
            mdx_error_set(&err, MDX_ERR_FORMAT, file, held->lines[i],
                          "k = %g does not increase (the row before has %g)",
                          r->k[i], r->k[i - 1]);
            return mdx_lua_fail(L, &err);
        }
    }
    r->kweight = kweight;
    return 1;
}

/* r:kweight(w) -> a result with chi * k^w */
static int result_kweight(lua_State *L)
{
    mdx_lua_result *r = mdx_lua_check_result(L, 1);
    lua_Number w = luaL_checknumber(L, 2);
    char label[1100];
    snprintf(label, sizeof label, "k^%g * (%s)", w, r->label);
    mdx_lua_result *c = copy(L, r, label, 1);
    c->kweight = r->kweight + w;
    for (size_t i = 0; i < c->n; i++) {
        double f = pow(c->k[i], w);
        c->chi[i] *= f;
        if (c->sem)
            c->sem[i] *= f;
    }
    return 1;
}

static int result_index(lua_State *L)
{
    mdx_lua_result *r = check_result(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (lua_getfield(L, lua_upvalueindex(1), key) != LUA_TNIL)
        return 1;  /* a method */
    /* a result's numbers never change once made: one table each */
    if (!strcmp(key, "k"))
        mdx_lua_push_kept_array(L, 1, RESULT_K, r->k, r->n);
    else if (!strcmp(key, "chi"))
        mdx_lua_push_kept_array(L, 1, RESULT_CHI, r->chi, r->n);
    else if (!strcmp(key, "sem") && r->sem)
        mdx_lua_push_kept_array(L, 1, RESULT_SEM, r->sem, r->n);
    else if (!strcmp(key, "n"))
        lua_pushinteger(L, (lua_Integer)r->n);
    else if (!strcmp(key, "nfolders"))
        lua_pushinteger(L, (lua_Integer)r->nfolders);
    else if (!strcmp(key, "folders_with_paths"))
        lua_pushinteger(L, (lua_Integer)r->nwith);
    else if (!strcmp(key, "k_weight"))
        lua_pushnumber(L, r->kweight);
    else if (!strcmp(key, "npaths"))
        lua_pushinteger(L, (lua_Integer)r->npaths);
    else if (!strcmp(key, "frame") && r->frame >= 0)
        lua_pushinteger(L, r->frame);
    else if (!strcmp(key, "atom") && r->atom >= 0)
        lua_pushinteger(L, r->atom);
    else if (!strcmp(key, "label"))
        lua_pushstring(L, r->label);
    else if (!strcmp(key, "element") && r->element[0])
        lua_pushstring(L, r->element);
    else if (!strcmp(key, "edge") && r->edge[0])
        lua_pushstring(L, r->edge);
    else
        lua_pushnil(L);
    return 1;
}

/* a + b, a - b: both results on the same k grid. */
static int combine(lua_State *L, double sign, const char *op)
{
    mdx_lua_result *a = mdx_lua_check_result(L, 1),
                   *b = mdx_lua_check_result(L, 2);
    if (a->n != b->n || memcmp(a->k, b->k, a->n * sizeof *a->k) != 0)
        return luaL_error(L, "cannot %s results on different k grids", op);
    if (a->kweight != b->kweight) {
        char msg[128];
        snprintf(msg, sizeof msg, "cannot %s k^%g chi(k) and k^%g chi(k)", op,
                 a->kweight, b->kweight);
        return luaL_error(L, "%s", msg);
    }
    char label[2300];
    snprintf(label, sizeof label, "(%s) %s (%s)", a->label,
             sign > 0 ? "+" : "-", b->label);
    mdx_lua_result *c = copy(L, a, label, 0);
    for (size_t i = 0; i < c->n; i++)
        c->chi[i] += sign * b->chi[i];
    c->npaths = a->npaths + b->npaths;
    c->nfolders = a->nfolders > b->nfolders ? a->nfolders : b->nfolders;
    c->nwith = a->nwith > b->nwith ? a->nwith : b->nwith;
    return 1;
}

static int result_add(lua_State *L) { return combine(L, 1, "add"); }
static int result_sub(lua_State *L) { return combine(L, -1, "subtract"); }

/* r * x, x * r, r / x: scaled, standard error too. */
static int scale(lua_State *L, int divide)
{
    int ridx = lua_isnumber(L, 1) && !divide ? 2 : 1;
    mdx_lua_result *r = mdx_lua_check_result(L, ridx);
    lua_Number x = luaL_checknumber(L, 3 - ridx);
    if (divide && x == 0)
        return luaL_error(L, "division of a result by zero");
    double f = divide ? 1 / x : x;
    char label[1100];
    snprintf(label, sizeof label, "%g * (%s)", f, r->label);
    mdx_lua_result *c = copy(L, r, label, 1);
    for (size_t i = 0; i < c->n; i++) {
        c->chi[i] *= f;
        if (c->sem)
            c->sem[i] *= fabs(f);
    }
    return 1;
}

static int result_mul(lua_State *L) { return scale(L, 0); }
static int result_div(lua_State *L) { return scale(L, 1); }

static int result_unm(lua_State *L)
{
    lua_settop(L, 1);
    lua_pushnumber(L, -1);
    return scale(L, 0);
}

static int result_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)check_result(L, 1)->n);
    return 1;
}

static int result_tostring(lua_State *L)
{
    mdx_lua_result *r = check_result(L, 1);
    if (r->chidat)
        lua_pushfstring(L, "chi(k), %d points, %d folders' chi.dat: %s",
                        (int)r->n, (int)r->nfolders, r->label);
    else
        lua_pushfstring(L, "chi(k), %d points, %d folder%s (%d with selected "
                        "paths), %d path%s: %s", (int)r->n, (int)r->nfolders,
                        r->nfolders == 1 ? "" : "s", (int)r->nwith,
                        (int)r->npaths, r->npaths == 1 ? "" : "s", r->label);
    return 1;
}

void mdx_lua_open_result(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"write", result_write},
        {"kweight", result_kweight},
        {"xftf", mdx_lua_result_xftf},
        {"wavelet", mdx_lua_result_wavelet},
        {NULL, NULL},
    };
    static const luaL_Reg meta[] = {
        {"__gc", result_gc},       {"__add", result_add},
        {"__sub", result_sub},     {"__mul", result_mul},
        {"__div", result_div},     {"__unm", result_unm},
        {"__len", result_len},     {"__tostring", result_tostring},
        {NULL, NULL},
    };
    mdx_lua_new_class(L, MDX_RESULT_MT, meta, methods, result_index);
}
