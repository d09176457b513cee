/* Lua clusters and feff.inp: f:cluster(i, cutoff) gives the absorber and
 * every periodic image within the cutoff, nearest first, as c[1] ... c[#c]
 * ({index, id, element, x, y, z, r, image}); c:count(element, rmax)
 * counts neighbours; mdexafs.feff_input{header, cluster, potentials}
 * writes its feff.inp (check_feff_input checks the header and potentials
 * alone, check_cell a cell). A cluster is a copy: it outlives its frame. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua_md.h"

#define MDX_CLUSTER_MT "mdexafs.cluster"

/* The cluster's atoms as a frame of their own (atom i of the cluster is
 * atom i of `own`), and where each came from in the trajectory's frame. */
typedef struct lua_cluster {
    mdx_frame own;
    mdx_cluster c;
    size_t *from;
} lua_cluster;

static lua_cluster *check_cluster(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, MDX_CLUSTER_MT);
}

static int cluster_gc(lua_State *L)
{
    lua_cluster *lc = check_cluster(L, 1);
    mdx_cluster_free(&lc->c);
    free(lc->own.id);
    free(lc->own.z);
    free(lc->from);
    memset(lc, 0, sizeof *lc);
    return 0;
}

void mdx_lua_push_cluster(lua_State *L, const mdx_grid *g, const mdx_frame *f, size_t i,
                          double cutoff, double min_distance)
{
    lua_cluster *lc = lua_newuserdatauv(L, sizeof *lc, 0);
    memset(lc, 0, sizeof *lc);
    luaL_setmetatable(L, MDX_CLUSTER_MT);
    mdx_error err;
    if (mdx_cluster_build(g, i, cutoff, min_distance, &lc->c, &err) != MDX_OK)
        mdx_lua_raise(L, &err);
    size_t n = lc->c.n;
    lc->own = (mdx_frame){.file = NULL, .line = f->line, .index = f->index,
                          .timestep = f->timestep, .natoms = n, .cell = f->cell};
    lc->own.id = malloc(n * sizeof *lc->own.id);
    lc->own.z = malloc(n * sizeof *lc->own.z);
    lc->from = malloc(n * sizeof *lc->from);
    if (!lc->own.id || !lc->own.z || !lc->from)
        luaL_error(L, "cluster: out of memory");
    for (size_t k = 0; k < n; k++) {
        size_t at = lc->c.atoms[k].atom;
        lc->from[k] = at;
        lc->own.id[k] = f->id[at];
        lc->own.z[k] = f->z[at];
        lc->c.atoms[k].atom = k;
    }
}

/* c[k] -> {index, id, element, x, y, z, r, image = {a, b, c}}; c.n */
static int cluster_index(lua_State *L)
{
    lua_cluster *lc = check_cluster(L, 1);
    if (lua_type(L, 2) == LUA_TSTRING) {
        if (strcmp(lua_tostring(L, 2), "n") == 0) {
            lua_pushinteger(L, (lua_Integer)lc->c.n);
            return 1;
        }
        lua_pushvalue(L, 2);
        lua_gettable(L, lua_upvalueindex(1));
        return 1;
    }
    lua_Integer k = luaL_checkinteger(L, 2);
    if (k < 1 || (size_t)k > lc->c.n) {
        lua_pushnil(L);
        return 1;
    }
    const mdx_cluster_atom *a = &lc->c.atoms[k - 1];
    lua_createtable(L, 0, 8);
    mdx_lua_set_integer(L, "index", (lua_Integer)lc->from[k - 1] + 1);
    mdx_lua_set_integer(L, "id", lc->own.id[k - 1]);
    mdx_lua_set_string(L, "element", mdx_element_symbol(lc->own.z[k - 1]));
    mdx_lua_set_number(L, "x", a->xyz[0]);
    mdx_lua_set_number(L, "y", a->xyz[1]);
    mdx_lua_set_number(L, "z", a->xyz[2]);
    mdx_lua_set_number(L, "r", a->r);
    lua_createtable(L, 3, 0);
    for (int j = 0; j < 3; j++) {
        lua_pushinteger(L, a->image[j]);
        lua_rawseti(L, -2, j + 1);
    }
    lua_setfield(L, -2, "image");
    return 1;
}

static int cluster_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)check_cluster(L, 1)->c.n);
    return 1;
}

/* c:count([element [, rmax]]) -> the neighbours (the absorber not
 * counted) of that element (any: nil) within rmax (the cutoff: nil) */
static int cluster_count(lua_State *L)
{
    lua_cluster *lc = check_cluster(L, 1);
    int z = 0;
    if (!lua_isnoneornil(L, 2) && !(z = mdx_element_z(luaL_checkstring(L, 2))))
        return luaL_error(L, "count: \"%s\" is not an element", lua_tostring(L, 2));
    double rmax = luaL_optnumber(L, 3, INFINITY);
    lua_Integer n = 0;
    for (size_t k = 1; k < lc->c.n; k++)
        n += (!z || lc->own.z[k] == z) && lc->c.atoms[k].r <= rmax;
    lua_pushinteger(L, n);
    return 1;
}

/* The spec of the table at idx ({header = "...", potentials = {"O",
 * "U"}}), its potentials' atomic numbers in pot_z (room for 12). */
static void read_spec(lua_State *L, int idx, const char *what, mdx_feff_input_spec *spec,
                      int *pot_z)
{
    *spec = (mdx_feff_input_spec){0};
    spec->header = mdx_lua_opt_string(L, idx, what, "header", NULL);
    if (!spec->header)
        luaL_error(L, "%s: no header (the cards before POTENTIALS and ATOMS)", what);
    if (lua_getfield(L, idx, "potentials") != LUA_TNIL) {
        if (!lua_istable(L, -1))
            luaL_error(L, "%s: potentials must be a list of elements", what);
        lua_Integer n = luaL_len(L, -1);
        if (n < 1 || n > 11)
            luaL_error(L, "%s: potentials: 1 to 11 elements (FEFF's ipot 1 to 11), not %I",
                       what, n);
        for (lua_Integer k = 1; k <= n; k++) {
            lua_rawgeti(L, -1, k);
            const char *sym = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
            if (!(pot_z[k - 1] = mdx_element_z(sym)))
                luaL_error(L, "%s: potentials[%I]: \"%s\" is not an element", what, k, sym);
            lua_pop(L, 1);
        }
        spec->npot = (size_t)n;
        spec->pot_z = pot_z;
    }
    lua_pop(L, 1);
}

/* mdexafs.feff_input{header = "...", cluster = c [, potentials = {"O",
 * "U"}]} -> the text of feff.inp */
int mdx_lua_feff_input(lua_State *L)
{
    static const char *const keys[] = {"header", "cluster", "potentials", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    mdx_lua_check_keys(L, 1, keys, "feff_input", "key");
    mdx_feff_input_spec spec;
    int pot_z[12];
    read_spec(L, 1, "feff_input", &spec, pot_z);
    lua_getfield(L, 1, "cluster");
    lua_cluster *lc = luaL_testudata(L, -1, MDX_CLUSTER_MT);
    if (!lc)
        return luaL_error(L, "feff_input: cluster must be a cluster (frame:cluster(i, r))");
    char *text;
    size_t len;
    mdx_error err;
    if (mdx_feff_input(&spec, &lc->own, &lc->c, &text, &len, &err) != MDX_OK)
        return mdx_lua_raise(L, &err);
    lua_pushlstring(L, text, len);
    mdx_feff_input_free(text);
    return 1;
}

/* mdexafs.check_feff_input{header = "...", potentials = {...}} -> true,
 * or raises what feff_input would for any cluster */
int mdx_lua_check_feff_input(lua_State *L)
{
    static const char *const keys[] = {"header", "potentials", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    mdx_lua_check_keys(L, 1, keys, "check_feff_input", "key");
    mdx_feff_input_spec spec;
    int pot_z[12];
    read_spec(L, 1, "check_feff_input", &spec, pot_z);
    mdx_error err;
    if (mdx_feff_input_check(&spec, &err) != MDX_OK)
        return mdx_lua_raise(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

/* mdexafs.check_cell(cell) -> true, or raises what is wrong with it */
int mdx_lua_check_cell_table(lua_State *L)
{
    mdx_cell cell;
    mdx_lua_check_cell(L, 1, "cell", &cell);
    lua_pushboolean(L, 1);
    return 1;
}

void mdx_lua_check_cell(lua_State *L, int idx, const char *what, mdx_cell *cell)
{
    static const char *const keys[] = {"a", "b", "c", "pbc", NULL};
    static const char *const axes[] = {"a", "b", "c"};
    if (!lua_istable(L, idx))
        luaL_error(L, "%s must be a table {a = {x, y, z}, b = ..., c = ..., pbc = ...}", what);
    mdx_lua_check_keys(L, idx, keys, what, "key");
    for (int i = 0; i < 3; i++) {
        lua_getfield(L, idx, axes[i]);
        if (!lua_istable(L, -1) || luaL_len(L, -1) != 3)
            luaL_error(L, "%s: %s must be a vector {x, y, z} (Å)", what, axes[i]);
        for (int j = 0; j < 3; j++) {
            if (lua_rawgeti(L, -1, j + 1) != LUA_TNUMBER)
                luaL_error(L, "%s: %s[%d] is not a number", what, axes[i], j + 1);
            cell->h[i][j] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        cell->pbc[i] = 1;
    }
    if (lua_getfield(L, idx, "pbc") != LUA_TNIL) {
        if (!lua_istable(L, -1) || luaL_len(L, -1) != 3)
            luaL_error(L, "%s: pbc must be three booleans {true, true, true}", what);
        for (int j = 0; j < 3; j++) {
            if (lua_rawgeti(L, -1, j + 1) != LUA_TBOOLEAN)
                luaL_error(L, "%s: pbc[%d] is not true or false", what, j + 1);
            cell->pbc[j] = lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    mdx_error err;
    if (mdx_cell_check(cell, what, &err) != MDX_OK)
        mdx_lua_raise(L, &err);
}

void mdx_lua_push_cell(lua_State *L, const mdx_cell *cell)
{
    static const char *const axes[] = {"a", "b", "c"};
    lua_createtable(L, 0, 4);
    for (int i = 0; i < 3; i++) {
        mdx_lua_push_array(L, cell->h[i], 3);
        lua_setfield(L, -2, axes[i]);
    }
    lua_createtable(L, 3, 0);
    for (int j = 0; j < 3; j++) {
        lua_pushboolean(L, cell->pbc[j]);
        lua_rawseti(L, -2, j + 1);
    }
    lua_setfield(L, -2, "pbc");
}

void mdx_lua_open_cluster(lua_State *L)
{
    static const luaL_Reg meta[] = {{"__gc", cluster_gc}, {"__len", cluster_len},
                                    {NULL, NULL}};
    static const luaL_Reg methods[] = {{"count", cluster_count}, {NULL, NULL}};
    mdx_lua_new_class(L, MDX_CLUSTER_MT, meta, methods, cluster_index);
}
