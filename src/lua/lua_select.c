/* Selections from Lua: src:select{...} and the table it takes, checked
 * key by key (kinds, ranges) into an mdx_selection, and from it the
 * query (mdexafs/query.h) that the selection userdata owns until its
 * __gc, which checks names and describes the selection. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "lua_private.h"
#include "mdexafs/feff.h"

/* Append a rule; *rules and *n always describe what is allocated, so
 * that the selection's __gc frees it if an error interrupts the parse. */
static void add_rule(lua_State *L, mdx_type_rule **rules, size_t *n,
                     size_t *cap, const char *name, double limit)
{
    mdx_type_rule *grown = mdx_grow(*rules, cap, *n + 1, sizeof **rules, 8);
    if (!grown)
        luaL_error(L, "out of memory");
    *rules = grown;
    (*rules)[*n].reff_max = limit;
    if (!((*rules)[*n].name = strdup(name)))
        luaL_error(L, "out of memory");
    ++*n;
}

/* types = {"U-O", ["U-U"] = 4.5}: names, each with an optional reff
 * limit (the query sorts them and refuses repeats and negative limits). */
static void parse_rules(lua_State *L, int idx, const char *key,
                        mdx_type_rule **rules, size_t *n)
{
    size_t cap = 0;
    *n = 0;
    if (lua_type(L, idx) == LUA_TSTRING) {
        add_rule(L, rules, n, &cap, lua_tostring(L, idx), INFINITY);
    } else if (lua_istable(L, idx)) {
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            if (lua_type(L, -2) == LUA_TNUMBER && lua_type(L, -1) == LUA_TSTRING)
                add_rule(L, rules, n, &cap, lua_tostring(L, -1), INFINITY);
            else if (lua_type(L, -2) == LUA_TSTRING &&
                     lua_type(L, -1) == LUA_TNUMBER)
                add_rule(L, rules, n, &cap, lua_tostring(L, -2),
                         lua_tonumber(L, -1));
            else
                luaL_error(L, "select: '%s' entries must be names or name = "
                              "reff limit", key);
            lua_pop(L, 1);
        }
    } else {
        luaL_error(L, "select: '%s' must be a type name, a list of names or "
                      "a table of name = reff limit", key);
    }
    if (*n == 0)
        luaL_error(L, "select: '%s' is empty", key);
}

/* "520", "0.5": a number in messages as %.14g writes it (Lua's %f would
 * write "520.0"; the Python package writes the same words). */
static const char *number_text(char buf[32], double v)
{
    snprintf(buf, 32, "%.14g", v);
    return buf;
}

/* A number, and with `whole` an integer within ±2^53 (where doubles hold
 * every integer, and C's long and int can be told apart from "no
 * limit"); a NaN reff is the query's to refuse. */
static double check_value(lua_State *L, int idx, const char *key, int whole)
{
    if (lua_type(L, idx) != LUA_TNUMBER)
        luaL_error(L, "select: '%s' must be %s, not %s", key,
                   whole ? "whole numbers" : "numbers", luaL_typename(L, idx));
    double v = lua_tonumber(L, idx);
    if (whole && isnan(v))
        luaL_error(L, "select: '%s' is NaN, not a number", key);
    if (whole && (v != floor(v) || fabs(v) > 9007199254740992.0)) {
        char text[32];
        luaL_error(L, "select: '%s' must be whole numbers within ±2^53, not "
                   "%s", key, number_text(text, v));
    }
    return v;
}

/* How many keys the table at idx has (a list of n has n). */
static size_t count_keys(lua_State *L, int idx)
{
    size_t n = 0;
    for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
        n++;
    return n;
}

/* A number, or {low, high} (inclusive); either end of a pair may be
 * omitted with false. With `whole`, the ends must be integers. (An empty
 * range is the query's to refuse.) */
static void parse_range(lua_State *L, int idx, const char *key, int whole,
                        double *lo, double *hi)
{
    if (lua_type(L, idx) == LUA_TNUMBER) {
        *lo = *hi = check_value(L, idx, key, whole);
        return;
    }
    if (!lua_istable(L, idx) || lua_rawlen(L, idx) != 2 ||
        count_keys(L, idx) != 2)
        luaL_error(L, "select: '%s' must be a number or {low, high} (false "
                      "for an open end)", key);
    for (int end = 1; end <= 2; end++) {
        lua_rawgeti(L, idx, end);
        if (lua_toboolean(L, -1))
            *(end == 1 ? lo : hi) = check_value(L, -1, key, whole);
        else if (!lua_isboolean(L, -1))
            luaL_error(L, "select: '%s' %s end must be a number or false", key,
                       end == 1 ? "low" : "high");
        lua_pop(L, 1);
    }
}

/* atoms = 3 or {0, 2, ...}: whole numbers, at least one. The array goes
 * into ls at once, so that __gc frees it if an error interrupts. */
static void parse_atoms(lua_State *L, int idx, lua_selection *ls)
{
    int one = lua_type(L, idx) == LUA_TNUMBER;
    if (!one && !lua_istable(L, idx))
        luaL_error(L, "select: 'atoms' must be an atom number or a list of "
                      "them, not %s", luaL_typename(L, idx));
    size_t len = one ? 1 : (size_t)lua_rawlen(L, idx);
    if (!one && count_keys(L, idx) != len)  /* {[1] = 0, [3] = 1}, {0, x = 1} */
        luaL_error(L, "select: 'atoms' must be a list of atom numbers, "
                      "without gaps or other keys");
    if (len == 0)
        luaL_error(L, "select: 'atoms' is an empty list");
    if (!(ls->atoms = malloc(len * sizeof *ls->atoms)))
        luaL_error(L, "out of memory");
    for (size_t i = 0; i < len; i++) {
        if (!one)
            lua_rawgeti(L, idx, (lua_Integer)i + 1);
        double v = check_value(L, one ? idx : -1, "atoms", 1);
        if (!(v >= (double)LONG_MIN && v <= (double)LONG_MAX)) {
            char text[32];
            luaL_error(L, "select: atom %s is out of range", number_text(text, v));
        }
        ls->atoms[i] = (long)v;
        ls->sel.natoms = i + 1;
        if (!one)
            lua_pop(L, 1);
    }
}

static const char *const select_keys[] = {
    "types", "elements", "reff", "nleg", "frames", "atoms", "absorber", "where",
    "folders", "empty", "params", NULL};

/* Parse the selection table at idx into ls->sel, the userdata at index
 * ud (whose uservalues 2 and 4 receive `where` and `folders`, 3 the
 * parameter table). Only the keys in `allowed` may appear; `what` names
 * the call in messages. */
static void parse_keys(lua_State *L, int idx, int ud, lua_selection *ls,
                       const char *const *allowed, const char *what)
{
    mdx_selection *s = &ls->sel;
    luaL_checktype(L, idx, LUA_TTABLE);
    mdx_lua_check_keys(L, idx, allowed, what, "key");  /* refuse first */
    for (int i = 0; allowed[i]; i++) {  /* then read in a fixed order */
        const char *key = allowed[i];
        int v = lua_gettop(L) + 1;
        if (lua_getfield(L, idx, key) == LUA_TNIL) {
            lua_pop(L, 1);
            continue;
        }
        if (!strcmp(key, "types")) {
            parse_rules(L, v, key, &ls->types, &s->ntypes);
            s->types = ls->types;
        } else if (!strcmp(key, "elements")) {
            parse_rules(L, v, key, &ls->elements, &s->nelements);
            s->elements = ls->elements;
        } else if (!strcmp(key, "reff")) {
            if (lua_type(L, v) == LUA_TNUMBER)  /* one number: the largest */
                s->reff_max = check_value(L, v, key, 0);
            else
                parse_range(L, v, key, 0, &s->reff_min, &s->reff_max);
        } else if (!strcmp(key, "nleg")) {
            double lo = 0, hi = INT_MAX;
            parse_range(L, v, key, 1, &lo, &hi);
            s->nleg_min = (int)fmin(fmax(lo, INT_MIN), INT_MAX);
            s->nleg_max = (int)fmin(fmax(hi, INT_MIN), INT_MAX);
        } else if (!strcmp(key, "frames")) {
            double lo = (double)LONG_MIN, hi = (double)LONG_MAX;
            parse_range(L, v, key, 1, &lo, &hi);
            s->frame_min = lo <= (double)LONG_MIN ? LONG_MIN : (long)lo;
            s->frame_max = hi >= (double)LONG_MAX ? LONG_MAX : (long)hi;
        } else if (!strcmp(key, "atoms")) {
            parse_atoms(L, v, ls);
            s->atoms = ls->atoms;
        } else if (!strcmp(key, "absorber")) {
            if (lua_type(L, v) != LUA_TSTRING)  /* the query checks the rest */
                luaL_error(L, "select: 'absorber' must be an element symbol "
                              "such as \"U\", not '%s'", luaL_tolstring(L, v, NULL));
            if (!(ls->absorber = strdup(lua_tostring(L, v))))
                luaL_error(L, "out of memory");
            s->absorber = ls->absorber;
        } else if (!strcmp(key, "where") || !strcmp(key, "folders")) {
            luaL_checktype(L, v, LUA_TFUNCTION);
            lua_pushvalue(L, v);
            lua_setiuservalue(L, ud, key[0] == 'w' ? 2 : 4);
        } else if (!strcmp(key, "empty")) {
            const char *rule = lua_tostring(L, v);
            if (lua_type(L, v) != LUA_TSTRING ||
                (strcmp(rule, "zero") && strcmp(rule, "skip")))
                luaL_error(L, "select: 'empty' must be \"zero\" (a folder "
                              "without selected paths counts as zero) or "
                              "\"skip\", not '%s'", luaL_tolstring(L, v, NULL));
            ls->skip_empty = strcmp(rule, "skip") == 0;
        } else {  /* params */
            mdx_lua_check_params(L, v, 1);
            lua_pushvalue(L, v);
            lua_setiuservalue(L, ud, 3);
        }
        lua_pop(L, 1);
    }
}

void mdx_lua_parse_selection(lua_State *L, int idx, int ud,
                             lua_selection *ls, const char *const *allowed,
                             const char *what)
{
    mdx_error err;
    mdx_selection_init(&ls->sel);
    if (!lua_isnoneornil(L, idx))
        parse_keys(L, idx, ud, ls, allowed, what);
    lua_getiuservalue(L, ud, 1);
    mdx_source *src = mdx_lua_check_source(L, -1);
    lua_pop(L, 1);
    if (mdx_query_new(src, &ls->sel, &ls->query, &err))
        mdx_lua_raise(L, &err);
    mdx_query_skip_empty(ls->query, ls->skip_empty);
    static const struct { int value; const char *note; } notes[] = {
        {2, "a where function"}, {4, "a folders function"}};
    for (int i = 0; i < 2; i++) {
        if (lua_getiuservalue(L, ud, notes[i].value) == LUA_TFUNCTION)
            mdx_query_note(ls->query, notes[i].note);
        lua_pop(L, 1);
    }
    if (lua_getiuservalue(L, ud, 3) == LUA_TTABLE)
        mdx_lua_query_params(L, -1, ls->query);
    lua_pop(L, 1);
}

lua_selection *mdx_lua_check_selection(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, MDX_SELECTION_MT);
}

/* src:select{...} -> selection */
int mdx_lua_source_select(lua_State *L)
{
    mdx_lua_check_source(L, 1);
    lua_selection *ls = lua_newuserdatauv(L, sizeof *ls, 4);
    memset(ls, 0, sizeof *ls);
    luaL_setmetatable(L, MDX_SELECTION_MT);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    mdx_lua_parse_selection(L, 2, lua_gettop(L), ls, select_keys, "select");
    return 1;
}

int mdx_lua_selection_gc(lua_State *L)
{
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    for (size_t i = 0; ls->types && i < ls->sel.ntypes; i++)
        free((char *)ls->types[i].name);
    for (size_t i = 0; ls->elements && i < ls->sel.nelements; i++)
        free((char *)ls->elements[i].name);
    free(ls->types);
    free(ls->elements);
    free(ls->atoms);
    free(ls->absorber);
    mdx_query_free(ls->query);
    memset(ls, 0, sizeof *ls);
    return 0;
}

