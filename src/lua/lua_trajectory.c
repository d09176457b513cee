/* Lua trajectories and frames: mdexafs.trajectory(path, options) reads an
 * MD trajectory a frame at a time; t:frames{first, last, step} walks the
 * frames wanted (stepping over the others without reading their atoms).
 * A frame is valid until its trajectory reads the next one: using it later
 * raises, it never shows another frame's atoms. */
#include <stdlib.h>
#include <string.h>

#include "lua_md.h"

#define MDX_TRAJ_MT "mdexafs.trajectory"
#define MDX_FRAME_MT "mdexafs.frame"

typedef struct lua_traj {
    mdx_trajectory *t;   /* NULL once closed */
    long generation;     /* frames read: a frame holds the one it was */
    mdx_grid *grid;      /* of the current frame, made by its first cluster */
} lua_traj;

typedef struct lua_frame {
    long generation;
} lua_frame;

static lua_traj *check_traj(lua_State *L, int idx)
{
    lua_traj *lt = luaL_checkudata(L, idx, MDX_TRAJ_MT);
    if (!lt->t)
        luaL_error(L, "trajectory: it was closed");
    return lt;
}

/* The frame at idx, and its trajectory (pushed nowhere: kept as user value
 * 1 of the frame). Raises when the trajectory has moved on. */
static const mdx_frame *check_frame(lua_State *L, int idx, lua_traj **owner)
{
    lua_frame *fr = luaL_checkudata(L, idx, MDX_FRAME_MT);
    lua_getiuservalue(L, idx, 1);
    lua_traj *lt = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (!lt->t || lt->generation != fr->generation)
        luaL_error(L, "frame: the trajectory has read on since (a frame is valid in its"
                   " own turn of the loop only)");
    if (owner)
        *owner = lt;
    return mdx_trajectory_frame(lt->t);
}

/* The type map of options.types, {[1] = "U", Ow = "O", ...}: its labels
 * are kept alive in a table left on the stack. */
static void read_types(lua_State *L, int idx, mdx_traj_options *o)
{
    if (lua_getfield(L, idx, "types") == LUA_TNIL)
        return;
    if (!lua_istable(L, -1))
        luaL_error(L, "trajectory: types must be a table (type = element)");
    int tbl = lua_gettop(L);
    size_t n = 0;
    for (lua_pushnil(L); lua_next(L, tbl); lua_pop(L, 1))
        n++;
    const char **label = lua_newuserdatauv(L, (n ? n : 1) * sizeof *label, 0);
    int *z = lua_newuserdatauv(L, (n ? n : 1) * sizeof *z, 0);
    lua_newtable(L);
    int anchor = lua_gettop(L);
    size_t i = 0;
    for (lua_pushnil(L); lua_next(L, tbl); lua_pop(L, 1), i++) {
        int kt = lua_type(L, -2);
        if (kt != LUA_TSTRING && !(kt == LUA_TNUMBER && lua_isinteger(L, -2)))
            luaL_error(L, "trajectory: types: a key must be a type number or label, not %s",
                       kt == LUA_TNUMBER ? "a fraction" : luaL_typename(L, -2));
        lua_pushvalue(L, -2);
        label[i] = lua_tostring(L, -1);
        lua_rawseti(L, anchor, (lua_Integer)i + 1);
        const char *sym = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!sym || (z[i] = mdx_element_z(sym)) == 0)
            luaL_error(L, "trajectory: types: type %s: %s is not an element", label[i],
                       sym ? sym : luaL_typename(L, -1));
    }
    o->ntypes = n;
    o->type_label = label;
    o->type_z = z;
}

/* mdexafs.trajectory(path [, {format=, types=, cell=}]) -> trajectory */
int mdx_lua_trajectory(lua_State *L)
{
    static const char *const keys[] = {"format", "types", "cell", NULL};
    const char *path = luaL_checkstring(L, 1);
    mdx_traj_options o = {0};
    mdx_cell cell;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "trajectory", "option");
        o.format = mdx_lua_opt_string(L, 2, "trajectory", "format", NULL);
        read_types(L, 2, &o);
        if (lua_getfield(L, 2, "cell") != LUA_TNIL) {
            mdx_lua_check_cell(L, lua_gettop(L), "trajectory: cell", &cell);
            o.cell = &cell;
        }
    }
    lua_traj *lt = lua_newuserdatauv(L, sizeof *lt, 0);
    memset(lt, 0, sizeof *lt);
    luaL_setmetatable(L, MDX_TRAJ_MT);
    mdx_error err;
    if (mdx_trajectory_open(path, &o, &lt->t, &err) != MDX_OK)
        return mdx_lua_raise(L, &err);
    return 1;
}

static int traj_close(lua_State *L)
{
    lua_traj *lt = luaL_checkudata(L, 1, MDX_TRAJ_MT);
    mdx_grid_free(lt->grid);
    mdx_trajectory_close(lt->t);
    lt->grid = NULL;
    lt->t = NULL;
    return 0;
}

/* Read the next frame (its atoms too when parse); push it, or nil at the
 * end of the file. */
static int read_next(lua_State *L, int tidx, int parse)
{
    lua_traj *lt = check_traj(L, tidx);
    mdx_grid_free(lt->grid);
    lt->grid = NULL;
    lt->generation++;
    mdx_error err;
    int got;
    if (mdx_trajectory_next(lt->t, parse, &got, &err) != MDX_OK)
        return mdx_lua_raise(L, &err);
    if (!got) {
        lua_pushnil(L);
        return 1;
    }
    lua_frame *fr = lua_newuserdatauv(L, sizeof *fr, 1);
    fr->generation = lt->generation;
    lua_pushvalue(L, tidx);
    lua_setiuservalue(L, -2, 1);
    luaL_setmetatable(L, MDX_FRAME_MT);
    return 1;
}

/* t:read() -> the next frame, or nil at the end */
static int traj_read(lua_State *L) { return read_next(L, 1, 1); }

/* The iterator of t:frames: upvalues the trajectory, first, last (-1: to
 * the end) and step. */
static int frames_step(lua_State *L)
{
    lua_traj *lt = check_traj(L, lua_upvalueindex(1));
    lua_Integer first = lua_tointeger(L, lua_upvalueindex(2));
    lua_Integer last = lua_tointeger(L, lua_upvalueindex(3));
    lua_Integer step = lua_tointeger(L, lua_upvalueindex(4));
    for (;;) {
        lua_Integer next = mdx_trajectory_frame(lt->t)->index + 1;
        if (last >= 0 && next > last) {
            lua_pushnil(L);
            return 1;
        }
        int wanted = next >= first && (next - first) % step == 0;
        read_next(L, lua_upvalueindex(1), wanted);
        if (lua_isnil(L, -1)) {
            if (last >= 0 || next <= first)
                return luaL_error(L, "%s: %I frames: no frame %I (frames count from 0)",
                                  mdx_trajectory_frame(lt->t)->file, next,
                                  last >= 0 ? last : first);
            return 1;
        }
        if (wanted)
            return 1;
        lua_pop(L, 1);
    }
}

/* t:frames{first = 0, last = nil, step = 1} -> iterator over frames */
static int traj_frames(lua_State *L)
{
    static const char *const keys[] = {"first", "last", "step", NULL};
    lua_traj *lt = check_traj(L, 1);
    lua_Integer first = 0, last = -1, step = 1;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "frames", "key");
        first = mdx_lua_opt_integer(L, 2, "frames", "first", 0);
        last = mdx_lua_opt_integer(L, 2, "frames", "last", -1);
        step = mdx_lua_opt_integer(L, 2, "frames", "step", 1);
        if (first < 0 || step < 1 || (last != -1 && last < first))
            return luaL_error(L, "frames: first %I, last %I, step %I: first and last"
                              " count from 0, last not before first, step from 1",
                              first, last, step);
    }
    if (mdx_trajectory_frame(lt->t)->index >= 0)
        return luaL_error(L, "frames: the trajectory has read frames already (open it"
                          " again)");
    lua_pushvalue(L, 1);
    lua_pushinteger(L, first);
    lua_pushinteger(L, last);
    lua_pushinteger(L, step);
    lua_pushcclosure(L, frames_step, 4);
    return 1;
}

/* t.bytes: how much of the file has been read */
static int traj_index(lua_State *L)
{
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "bytes") == 0) {
        lua_pushinteger(L, mdx_trajectory_offset(check_traj(L, 1)->t));
        return 1;
    }
    lua_pushvalue(L, 2);
    lua_gettable(L, lua_upvalueindex(1));
    return 1;
}

/* Push atom i (from 0) of f as {index (from 1), id, element, x, y, z}. */
static void push_atom(lua_State *L, const mdx_frame *f, size_t i)
{
    lua_createtable(L, 0, 6);
    mdx_lua_set_integer(L, "index", (lua_Integer)i + 1);
    mdx_lua_set_integer(L, "id", f->id[i]);
    mdx_lua_set_string(L, "element", mdx_element_symbol(f->z[i]));
    mdx_lua_set_number(L, "x", f->xyz[3 * i]);
    mdx_lua_set_number(L, "y", f->xyz[3 * i + 1]);
    mdx_lua_set_number(L, "z", f->xyz[3 * i + 2]);
}

static size_t check_atom_index(lua_State *L, int idx, const mdx_frame *f)
{
    lua_Integer i = luaL_checkinteger(L, idx);
    if (i < 1 || (size_t)i > f->natoms)
        luaL_error(L, "frame %I has %I atoms: no atom %I (atoms count from 1)",
                   (lua_Integer)f->index, (lua_Integer)f->natoms, i);
    return (size_t)i - 1;
}

/* f:atom(i) -> {index, id, element, x, y, z} */
static int frame_atom(lua_State *L)
{
    const mdx_frame *f = check_frame(L, 1, NULL);
    push_atom(L, f, check_atom_index(L, 2, f));
    return 1;
}

/* f:atoms([element]) -> every atom (of that element), in order */
static int frame_atoms(lua_State *L)
{
    const mdx_frame *f = check_frame(L, 1, NULL);
    int z = 0;
    if (!lua_isnoneornil(L, 2) && !(z = mdx_element_z(luaL_checkstring(L, 2))))
        return luaL_error(L, "atoms: \"%s\" is not an element", lua_tostring(L, 2));
    lua_newtable(L);
    lua_Integer n = 0;
    for (size_t i = 0; i < f->natoms; i++)
        if (!z || f->z[i] == z) {
            push_atom(L, f, i);
            lua_rawseti(L, -2, ++n);
        }
    return 1;
}

/* f:cluster(i, cutoff [, {min_distance = 0.926}]) -> cluster */
static int frame_cluster(lua_State *L)
{
    static const char *const keys[] = {"min_distance", NULL};
    lua_traj *lt;
    const mdx_frame *f = check_frame(L, 1, &lt);
    size_t i = check_atom_index(L, 2, f);
    double cutoff = luaL_checknumber(L, 3), dmin = MDX_MIN_DISTANCE;
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        mdx_lua_check_keys(L, 4, keys, "cluster", "option");
        dmin = mdx_lua_opt_number(L, 4, "cluster", "min_distance", dmin);
    }
    mdx_error err;
    if (!lt->grid && mdx_grid_new(f, cutoff, &lt->grid, &err) != MDX_OK)
        return mdx_lua_raise(L, &err);
    mdx_lua_push_cluster(L, lt->grid, f, i, cutoff, dmin);
    return 1;
}

static int frame_index(lua_State *L)
{
    const mdx_frame *f = check_frame(L, 1, NULL);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "index") == 0)
        lua_pushinteger(L, f->index);
    else if (strcmp(key, "timestep") == 0)
        f->timestep >= 0 ? lua_pushinteger(L, f->timestep) : lua_pushnil(L);
    else if (strcmp(key, "natoms") == 0)
        lua_pushinteger(L, (lua_Integer)f->natoms);
    else if (strcmp(key, "line") == 0)
        lua_pushinteger(L, f->line);
    else if (strcmp(key, "file") == 0)
        lua_pushstring(L, f->file);
    else if (strcmp(key, "cell") == 0)
        mdx_lua_push_cell(L, &f->cell);
    else {
        lua_pushvalue(L, 2);
        lua_gettable(L, lua_upvalueindex(1));
        if (lua_isnil(L, -1))
            return luaL_error(L, "frame: no field '%s' (index, timestep, natoms, line, file,"
                              " cell, atom, atoms, cluster)", key);
    }
    return 1;
}

void mdx_lua_open_trajectory(lua_State *L)
{
    static const luaL_Reg traj_meta[] = {{"__gc", traj_close}, {"__close", traj_close},
                                         {NULL, NULL}};
    static const luaL_Reg traj_methods[] = {{"read", traj_read}, {"frames", traj_frames},
                                            {"close", traj_close}, {NULL, NULL}};
    static const luaL_Reg frame_methods[] = {{"atom", frame_atom}, {"atoms", frame_atoms},
                                             {"cluster", frame_cluster}, {NULL, NULL}};
    mdx_lua_new_class(L, MDX_TRAJ_MT, traj_meta, traj_methods, traj_index);
    mdx_lua_new_class(L, MDX_FRAME_MT, NULL, frame_methods, frame_index);
}
