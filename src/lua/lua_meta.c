/* The tables a selection's Lua functions see: a path's metadata and a
 * folder's, which raise when a field they do not have is read. */
#include "lua_private.h"

/* __index of path and folder tables: reading a field they do not have
 * (p.nlegs) is an error, not nil, which a misspelt name in `where` would
 * take for "select nothing". Upvalues: the noun and its fields. */
static int unknown_field(lua_State *L)
{
    return luaL_error(L, "%s has no field '%s' (fields: %s)",
                      lua_tostring(L, lua_upvalueindex(1)),
                      luaL_tolstring(L, 2, NULL),
                      lua_tostring(L, lua_upvalueindex(2)));
}

void mdx_lua_push_meta(lua_State *L, const mdx_path_meta *m)
{
    lua_createtable(L, 0, 10);
    mdx_lua_set_integer(L, "frame", m->frame);
    mdx_lua_set_integer(L, "atom", m->atom);
    mdx_lua_set_integer(L, "num", m->num);
    mdx_lua_set_integer(L, "nleg", m->nleg);
    mdx_lua_set_number(L, "deg", m->deg);
    mdx_lua_set_number(L, "reff", m->reff);
    mdx_lua_set_string(L, "type", m->type);
    mdx_lua_set_string(L, "elements", m->elements);
    mdx_lua_set_string(L, "absorber", m->absorber);
    mdx_lua_set_string(L, "dir", m->dir);
    luaL_setmetatable(L, MDX_PATH_MT);
}

void mdx_lua_push_folder(lua_State *L, const mdx_folder_meta *f)
{
    lua_createtable(L, 0, 4);
    mdx_lua_set_integer(L, "frame", f->frame);
    mdx_lua_set_integer(L, "atom", f->atom);
    mdx_lua_set_string(L, "absorber", f->absorber);
    mdx_lua_set_string(L, "dir", f->dir);
    luaL_setmetatable(L, MDX_FOLDER_MT);
}

void mdx_lua_open_paths(lua_State *L)
{
    static const char *const path_fields[] = {
        "frame", "atom", "num", "nleg", "deg", "reff", "type", "elements",
        "absorber", "dir", NULL};
    static const char *const folder_fields[] = {"frame", "atom", "absorber",
                                                "dir", NULL};
    const char *const *fields[] = {path_fields, folder_fields};
    const char *const nouns[] = {"path", "folder"};
    const char *const classes[] = {MDX_PATH_MT, MDX_FOLDER_MT};
    for (int i = 0; i < 2; i++) {
        luaL_newmetatable(L, classes[i]);
        lua_pushstring(L, nouns[i]);
        mdx_lua_push_joined(L, fields[i]);
        lua_pushcclosure(L, unknown_field, 2);
        lua_setfield(L, -2, "__index");
        lua_pop(L, 1);
    }
}
