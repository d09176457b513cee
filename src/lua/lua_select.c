/* Selections from Lua: src:select{...} and the table it takes, checked
 * key by key (kinds, ranges, names) into an mdx_selection that the
 * selection userdata owns until its __gc. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "lua_private.h"
#include "mdexafs/feff.h"

/* Append a part to the selection's description, "; "-separated. */
static void label_add(lua_selection *ls, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void label_add(lua_selection *ls, const char *fmt, ...)
{
    size_t n = strlen(ls->label);
    char part[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(part, sizeof part, fmt, ap);
    va_end(ap);
    snprintf(ls->label + n, sizeof ls->label - n, "%s%s", n ? "; " : "", part);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const mdx_type_rule *)a)->name,
                  ((const mdx_type_rule *)b)->name);
}

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

/* types = {"U-O", ["U-U"] = 4.5}: names, each with an optional reff limit,
 * sorted by name so that descriptions do not depend on table order. */
static void parse_rules(lua_State *L, int idx, const char *key,
                        mdx_type_rule **rules, size_t *n, lua_selection *ls)
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
                     lua_type(L, -1) == LUA_TNUMBER) {
                double limit = lua_tonumber(L, -1);
                if (!(limit >= 0))  /* NaN too */
                    luaL_error(L, "select: '%s' limit of '%s' is %f: a reff "
                                  "limit is a distance >= 0", key,
                               lua_tostring(L, -2), limit);
                add_rule(L, rules, n, &cap, lua_tostring(L, -2), limit);
            }
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
    qsort(*rules, *n, sizeof **rules, by_name);
    for (size_t i = 1; i < *n; i++)
        if (strcmp((*rules)[i].name, (*rules)[i - 1].name) == 0)
            luaL_error(L, "select: '%s' names '%s' twice", key, (*rules)[i].name);
    for (size_t i = 0; i < *n; i++)
        if (isinf((*rules)[i].reff_max))
            label_add(ls, "%s", (*rules)[i].name);
        else
            label_add(ls, "%s reff <= %g", (*rules)[i].name,
                      (*rules)[i].reff_max);
}

/* A number that is not NaN, and with `whole` an integer, at idx. */
static double check_value(lua_State *L, int idx, const char *key, int whole)
{
    if (lua_type(L, idx) != LUA_TNUMBER)
        luaL_error(L, "select: '%s' must be %s, not %s", key,
                   whole ? "whole numbers" : "numbers", luaL_typename(L, idx));
    double v = lua_tonumber(L, idx);
    if (isnan(v))
        luaL_error(L, "select: '%s' is NaN, not a number", key);
    if ((whole && !lua_isinteger(L, idx) &&
                     (v != floor(v) || fabs(v) > 9007199254740992.0)))
        luaL_error(L, "select: '%s' must be %s, not %f", key,
                   whole ? "whole numbers" : "numbers", v);
    return v;
}

/* A number, or {low, high} (inclusive); either end of a pair may be
 * omitted with false. With `whole`, the ends must be integers. */
static void parse_range(lua_State *L, int idx, const char *key, int whole,
                        double *lo, double *hi)
{
    if (lua_type(L, idx) == LUA_TNUMBER) {
        *lo = *hi = check_value(L, idx, key, whole);
        return;
    }
    if (!lua_istable(L, idx) || lua_rawlen(L, idx) != 2)
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
    if (*lo > *hi)
        luaL_error(L, "select: '%s' range is empty (%f > %f)", key, *lo, *hi);
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
    if (len == 0)
        luaL_error(L, "select: 'atoms' is an empty list");
    if (!(ls->atoms = malloc(len * sizeof *ls->atoms)))
        luaL_error(L, "out of memory");
    for (size_t i = 0; i < len; i++) {
        if (!one)
            lua_rawgeti(L, idx, (lua_Integer)i + 1);
        double v = check_value(L, one ? idx : -1, "atoms", 1);
        if (!(v >= (double)LONG_MIN && v <= (double)LONG_MAX))
            luaL_error(L, "select: atom %f is out of range", v);
        ls->atoms[i] = (long)v;
        ls->sel.natoms = i + 1;
        if (!one)
            lua_pop(L, 1);
    }
}

static const char *const select_keys[] = {
    "types", "elements", "reff", "nleg", "frames", "atoms", "absorber", "where",
    "folders", "empty", "params", NULL};

/* Parse the selection table at idx into ls, the userdata at index ud
 * (whose uservalue 2 receives `where`). Only the keys in `allowed` may
 * appear; `what` names the call in messages. */
void mdx_lua_parse_selection(lua_State *L, int idx, int ud,
                             lua_selection *ls, const char *const *allowed,
                             const char *what)
{
    mdx_selection *s = &ls->sel;
    mdx_selection_init(s);
    if (lua_isnoneornil(L, idx))
        return;
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
            parse_rules(L, v, key, &ls->types, &s->ntypes, ls);
            s->types = ls->types;
        } else if (!strcmp(key, "elements")) {
            parse_rules(L, v, key, &ls->elements, &s->nelements, ls);
            s->elements = ls->elements;
        } else if (!strcmp(key, "reff")) {
            if (lua_type(L, v) == LUA_TNUMBER)  /* one number: the largest */
                s->reff_max = check_value(L, v, key, 0);
            else
                parse_range(L, v, key, 0, &s->reff_min, &s->reff_max);
            if (isinf(s->reff_min))
                label_add(ls, "reff <= %g", s->reff_max);
            else if (isinf(s->reff_max))
                label_add(ls, "reff >= %g", s->reff_min);
            else
                label_add(ls, "%g <= reff <= %g", s->reff_min, s->reff_max);
        } else if (!strcmp(key, "nleg")) {
            double lo = 0, hi = INT_MAX;
            parse_range(L, v, key, 1, &lo, &hi);
            lo = fmax(lo, 0);
            hi = fmin(hi, INT_MAX);
            s->nleg_min = (int)lo;
            s->nleg_max = (int)hi;
            label_add(ls, "nleg %g..%g", lo, hi);
        } else if (!strcmp(key, "frames")) {
            double lo = (double)LONG_MIN, hi = (double)LONG_MAX;
            parse_range(L, v, key, 1, &lo, &hi);
            s->frame_min = lo <= (double)LONG_MIN ? LONG_MIN : (long)lo;
            s->frame_max = hi >= (double)LONG_MAX ? LONG_MAX : (long)hi;
            if (lo <= (double)LONG_MIN && hi >= (double)LONG_MAX)
                label_add(ls, "all frames");
            else if (lo <= (double)LONG_MIN)
                label_add(ls, "frames <= %.0f", hi);
            else if (hi >= (double)LONG_MAX)
                label_add(ls, "frames >= %.0f", lo);
            else
                label_add(ls, "frames %.0f..%.0f", lo, hi);
        } else if (!strcmp(key, "atoms")) {
            parse_atoms(L, v, ls);
            s->atoms = ls->atoms;
            label_add(ls, "%zu atom ids", s->natoms);
        } else if (!strcmp(key, "absorber")) {
            if (lua_type(L, v) != LUA_TSTRING ||
                !mdx_element_z(lua_tostring(L, v)))
                luaL_error(L, "select: 'absorber' must be an element symbol "
                              "such as \"U\", not '%s'", luaL_tolstring(L, v, NULL));
            if (!(ls->absorber = strdup(lua_tostring(L, v))))
                luaL_error(L, "out of memory");
            s->absorber = ls->absorber;
            label_add(ls, "absorber %s", ls->absorber);
        } else if (!strcmp(key, "where")) {
            luaL_checktype(L, v, LUA_TFUNCTION);
            lua_pushvalue(L, v);
            lua_setiuservalue(L, ud, 2);
            label_add(ls, "a where function");
        } else if (!strcmp(key, "folders")) {
            luaL_checktype(L, v, LUA_TFUNCTION);
            lua_pushvalue(L, v);
            lua_setiuservalue(L, ud, 4);
            label_add(ls, "a folders function");
        } else if (!strcmp(key, "empty")) {
            const char *rule = lua_tostring(L, v);
            if (lua_type(L, v) != LUA_TSTRING ||
                (strcmp(rule, "zero") && strcmp(rule, "skip")))
                luaL_error(L, "select: 'empty' must be \"zero\" (a folder "
                              "without selected paths counts as zero) or "
                              "\"skip\", not '%s'", luaL_tolstring(L, v, NULL));
            ls->skip_empty = strcmp(rule, "skip") == 0;
            if (ls->skip_empty)
                label_add(ls, "folders without selected paths left out");
        } else {  /* params */
            char text[512];
            mdx_lua_check_params(L, v, 1);
            mdx_lua_describe_params(L, v, text, sizeof text);
            lua_pushvalue(L, v);
            lua_setiuservalue(L, ud, 3);
            label_add(ls, "path parameters %s", text);
        }
        lua_pop(L, 1);
    }
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
    if (!ls->label[0])
        snprintf(ls->label, sizeof ls->label, "all paths");
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
    mdx_lua_seen_free(&ls->types_seen);
    mdx_lua_seen_free(&ls->elements_seen);
    memset(ls, 0, sizeof *ls);
    return 0;
}

