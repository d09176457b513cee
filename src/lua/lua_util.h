/* Helpers every file of the mdexafs Lua module uses: errors, option
 * tables, pushing values and registering classes. They call nothing else
 * in the module. */
#ifndef MDX_LUA_UTIL_H
#define MDX_LUA_UTIL_H

#include <lauxlib.h>
#include <lua.h>
#include <stddef.h>

#include "mdexafs/error.h"

/* "FILE:LINE: message" and, when one applies, its remedy in a Lua user's
 * words: "(failed = \"skip\", a recipe's --skip-failed)". */
void mdx_lua_format_error(const mdx_error *err, char *buf, size_t size);

/* Push nil and the formatted error; returns 2 (the Lua idiom for an
 * ordinary failure). */
int mdx_lua_fail(lua_State *L, const mdx_error *err);

/* Raise the formatted error. */
int mdx_lua_raise(lua_State *L, const mdx_error *err);

/* Raise "WHAT: unknown NOUN 'k' (known: ...)" if the table at idx has a
 * key not in the NULL-terminated list `keys`. */
void mdx_lua_check_keys(lua_State *L, int idx, const char *const *keys,
                        const char *what, const char *noun);

/* Push "a b c", the NULL-terminated `names` joined by blanks. */
const char *mdx_lua_push_joined(lua_State *L, const char *const *names);

/* Field `key` of the options table at idx, or `def` when it is nil;
 * raise "WHAT: 'key' must be ..." when it has another type. Strings stay
 * alive in the table. */
double mdx_lua_opt_number(lua_State *L, int idx, const char *what,
                          const char *key, double def);
lua_Integer mdx_lua_opt_integer(lua_State *L, int idx, const char *what,
                                const char *key, lua_Integer def);
const char *mdx_lua_opt_string(lua_State *L, int idx, const char *what,
                               const char *key, const char *def);
int mdx_lua_opt_boolean(lua_State *L, int idx, const char *what,
                        const char *key, int def);

/* The index in the NULL-terminated `values` of the string option key of
 * the table at idx (def when nil); raise "WHAT: key must be one of: ...". */
int mdx_lua_opt_choice(lua_State *L, int idx, const char *what,
                       const char *key, const char *const *values, int def);

/* Push a Lua array (1-based) of v[0..n). */
void mdx_lua_push_array(lua_State *L, const double *v, size_t n);

/* Kept arrays are read-only: raise "WHAT.NAME was changed in place: ..."
 * when the table kept in user value s + 1 of the userdata at idx (for
 * names[s], up to a NULL) no longer holds v[s][0..n). The data the
 * userdata writes and transforms never disagree with what it showed. */
void mdx_lua_check_kept_arrays(lua_State *L, int idx, const char *what,
                               const char *const *names,
                               const double *const *v, size_t n);

/* Push the array of v[0..n) kept in user value `slot` of the userdata at
 * idx, made on the first call: every later call pushes that same table.
 * For data that never change once the userdata is in Lua's hands. */
void mdx_lua_push_kept_array(lua_State *L, int idx, int slot,
                             const double *v, size_t n);

/* Set field `key` of the table at the stack top. */
void mdx_lua_set_number(lua_State *L, const char *key, double v);
void mdx_lua_set_integer(lua_State *L, const char *key, lua_Integer v);
void mdx_lua_set_string(lua_State *L, const char *key, const char *v);

/* Register the metatable `name` with the metamethods `meta` (may be NULL)
 * and the `methods` as its __index table, or, when `index` is not NULL,
 * as the upvalue of the __index closure `index`. */
void mdx_lua_new_class(lua_State *L, const char *name, const luaL_Reg *meta,
                       const luaL_Reg *methods, lua_CFunction index);

/* Add `methods` to the class `name` made by mdx_lua_new_class. */
void mdx_lua_add_methods(lua_State *L, const char *name,
                         const luaL_Reg *methods);

#endif
