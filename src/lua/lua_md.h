/* What the Lua faces of trajectories and clusters share. */
#ifndef MDX_LUA_MD_H
#define MDX_LUA_MD_H

#include <lauxlib.h>
#include <lua.h>

#include "lua_util.h"
#include "mdexafs/feff.h"
#include "mdexafs/md.h"

/* Read the cell table at idx, {a = {x, y, z}, b = ..., c = ..., pbc =
 * {true, true, true}} (pbc: all periodic when left out), into *cell;
 * raise "WHAT: ..." when it is not one (in lua_cluster.c). */
void mdx_lua_check_cell(lua_State *L, int idx, const char *what, mdx_cell *cell);

/* Push a cell as such a table. */
void mdx_lua_push_cell(lua_State *L, const mdx_cell *cell);

/* Push the cluster of radius cutoff around atom i (from 0) of frame f,
 * binned in g: a copy that outlives the frame. Raises on an error. */
void mdx_lua_push_cluster(lua_State *L, const mdx_grid *g, const mdx_frame *f, size_t i,
                          double cutoff, double min_distance);

int mdx_lua_trajectory(lua_State *L);   /* mdexafs.trajectory (lua_trajectory.c) */
int mdx_lua_feff_input(lua_State *L);   /* mdexafs.feff_input (lua_cluster.c) */
int mdx_lua_check_feff_input(lua_State *L);   /* mdexafs.check_feff_input */
int mdx_lua_check_cell_table(lua_State *L);   /* mdexafs.check_cell */
void mdx_lua_open_trajectory(lua_State *L);
void mdx_lua_open_cluster(lua_State *L);

#endif
