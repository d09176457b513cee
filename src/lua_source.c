/* Lua sources and selections: src = mdexafs.open(path),
 * sel = src:select{...}, then sel:average(), sel:sums(), sel:by_type(),
 * sel:paths(), sel:count(), src:chidat{...} for FEFF's own chi.dat and
 * src:export(...) to write a path file back. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "lua_private.h"
#include "mdexafs/average.h"
#include "mdexafs/chi.h"
#include "mdexafs/source.h"

typedef struct lua_source {
    mdx_source *src;   /* NULL once closed */
} lua_source;

/* A selection and everything it owns. Uservalue 1 is its source, 2 its
 * `where` function, 3 its path-parameter table (or nil). */
typedef struct lua_selection {
    mdx_selection sel;
    mdx_type_rule *types, *elements;
    long *atoms;
    char *absorber;
    int skip_empty;    /* empty = "skip": the reference's denominator */
    mdx_lua_seen types_seen, elements_seen;  /* of the last query's paths */
    char label[1024];
} lua_selection;

static mdx_source *check_source(lua_State *L, int idx)
{
    lua_source *s = luaL_checkudata(L, idx, MDX_SOURCE_MT);
    if (!s->src)
        luaL_error(L, "source is closed");
    return s->src;
}

/* mdexafs.open(path [, {failed = "stop" | "skip"}]) -> source */
int mdx_lua_open(lua_State *L)
{
    static const char *const keys[] = {"failed", NULL};
    const char *path = luaL_checkstring(L, 1);
    int skip = 0;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "open", "option");
        if (lua_getfield(L, 2, "failed") != LUA_TNIL) {
            const char *policy = lua_tostring(L, -1);
            if (lua_type(L, -1) != LUA_TSTRING ||
                (strcmp(policy, "stop") && strcmp(policy, "skip")))
                return luaL_error(L, "open: 'failed' must be \"stop\" or "
                                     "\"skip\", not '%s'",
                                  luaL_tolstring(L, -1, NULL));
            skip = strcmp(policy, "skip") == 0;
        }
        lua_pop(L, 1);
    }
    lua_source *s = lua_newuserdatauv(L, sizeof *s, 0);
    mdx_error err;
    s->src = NULL;
    luaL_setmetatable(L, MDX_SOURCE_MT);
    if (mdx_source_open(path, &s->src, &err))
        return mdx_lua_fail(L, &err);
    mdx_source_skip_failed(s->src, skip);
    const char *const *notes;
    size_t nnotes = mdx_source_notes(s->src, &notes);
    for (size_t i = 0; i < nnotes; i++)
        fprintf(stderr, "mdexafs: %s: %s\n", path, notes[i]);
    return 1;
}

/* A result's label: the selection's, and the failed folders the query
 * left out, which stderr hears of too. */
static void result_label(mdx_source *src, const char *label, char *buf,
                         size_t size)
{
    size_t n = mdx_source_left_out(src);
    if (n == 0) {
        snprintf(buf, size, "%s", label);
        return;
    }
    snprintf(buf, size, "%s; %zu failed folder%s left out", label, n,
             n == 1 ? "" : "s");
    fprintf(stderr, "mdexafs: %s: left out %zu folder%s that failed to build "
            "(mdexafs info %s lists them)\n", mdx_source_path(src), n,
            n == 1 ? "" : "s", mdx_source_path(src));
}

static int source_close(lua_State *L)
{
    lua_source *s = luaL_checkudata(L, 1, MDX_SOURCE_MT);
    mdx_source_close(s->src);
    s->src = NULL;
    return 0;
}

static int source_tostring(lua_State *L)
{
    lua_source *s = luaL_checkudata(L, 1, MDX_SOURCE_MT);
    if (!s->src)
        lua_pushstring(L, "mdexafs source (closed)");
    else
        lua_pushfstring(L, "mdexafs %s %s", mdx_source_kind(s->src),
                        mdx_source_path(s->src));
    return 1;
}

/* src.kind ("database" or "tree"), src.path, or a method (upvalue 1). */
static int source_index(lua_State *L)
{
    const char *key = luaL_checkstring(L, 2);
    if (lua_getfield(L, lua_upvalueindex(1), key) != LUA_TNIL)
        return 1;
    mdx_source *src = check_source(L, 1);
    if (!strcmp(key, "kind"))
        lua_pushstring(L, mdx_source_kind(src));
    else if (!strcmp(key, "path"))
        lua_pushstring(L, mdx_source_path(src));
    else
        lua_pushnil(L);
    return 1;
}

/* ---- parsing a selection table ---- */

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

/* types = {"U-O", ["U-U"] = 4.5}: names, each with an optional reff limit,
 * sorted by name so that descriptions do not depend on table order. */
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
static void parse_selection(lua_State *L, int idx, int ud, lua_selection *ls,
                            const char *const *allowed, const char *what)
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

static lua_selection *check_selection(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, MDX_SELECTION_MT);
}

/* src:select{...} -> selection */
static int source_select(lua_State *L)
{
    check_source(L, 1);
    lua_selection *ls = lua_newuserdatauv(L, sizeof *ls, 4);
    memset(ls, 0, sizeof *ls);
    luaL_setmetatable(L, MDX_SELECTION_MT);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    parse_selection(L, 2, lua_gettop(L), ls, select_keys, "select");
    if (!ls->label[0])
        snprintf(ls->label, sizeof ls->label, "all paths");
    return 1;
}

static int selection_gc(lua_State *L)
{
    lua_selection *ls = check_selection(L, 1);
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

/* ---- running a selection ---- */

/* The first kept path of a query: where results' absorber and edge come
 * from. */
typedef struct first_path {
    long frame, atom;
    int num;
    char element[8];
    int found;
} first_path;

/* The selection's callbacks: `where` and the path parameters. */
typedef struct query {
    lua_State *L;
    lua_selection *ls;
    int where;            /* stack index of `where`, 0 if none */
    int params;           /* stack index of the parameter table, 0 if none */
    int folders;          /* stack index of `folders`, 0 if none */
    first_path first;
    char error[1024];     /* what a callback raised */
} query;

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

static int push_meta_protected(lua_State *L)
{
    mdx_lua_push_meta(L, lua_touserdata(L, 1));
    return 1;
}

/* Call the predicate at stack index fn on the table `push` makes of arg,
 * in protected mode (a Lua error must not unwind through the C query,
 * which holds memory and SQLite statements): 1 keep, 0 drop, -1 it
 * raised (the message goes to q->error). */
static int call_predicate(query *q, int fn, lua_CFunction push, const void *arg)
{
    lua_State *L = q->L;
    int top = lua_gettop(L), keep = -1;
    lua_pushvalue(L, fn);
    lua_pushcfunction(L, push);
    lua_pushlightuserdata(L, (void *)arg);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_pcall(L, 1, 1, 0) == LUA_OK)
        keep = lua_toboolean(L, -1);
    else
        snprintf(q->error, sizeof q->error, "%s", lua_tostring(L, -1));
    lua_settop(L, top);
    return keep;
}

static int push_folder_protected(lua_State *L)
{
    const mdx_folder_meta *f = lua_touserdata(L, 1);
    lua_createtable(L, 0, 4);
    mdx_lua_set_integer(L, "frame", f->frame);
    mdx_lua_set_integer(L, "atom", f->atom);
    mdx_lua_set_string(L, "absorber", f->absorber);
    mdx_lua_set_string(L, "dir", f->dir);
    luaL_setmetatable(L, MDX_FOLDER_MT);
    return 1;
}

/* The folder_keep callback: folders(f). */
static int call_folders(void *ctx, const mdx_folder_meta *f)
{
    query *q = ctx;
    return call_predicate(q, q->folders, push_folder_protected, f);
}

/* The keep callback: `where`, if any, and note the first kept path. */
/* The keep callback: `where`, if any; note the first kept path and the
 * types and elements of all. */
static int call_keep(void *ctx, const mdx_path_meta *m)
{
    query *q = ctx;
    int keep = q->where ? call_predicate(q, q->where, push_meta_protected, m)
                        : 1;
    if (keep != 1)
        return keep;
    if (!q->first.found) {
        q->first = (first_path){m->frame, m->atom, m->num, "", 1};
        snprintf(q->first.element, sizeof q->first.element, "%s", m->absorber);
    } else if (strcmp(q->first.element, m->absorber) != 0) {
        snprintf(q->error, sizeof q->error, "select: the paths have absorbers "
                 "%s (frame %ld atom %ld) and %s (frame %ld atom %ld): an "
                 "average of two edges means nothing; choose one with "
                 "absorber =", q->first.element, q->first.frame,
                 q->first.atom, m->absorber, m->frame, m->atom);
        return -1;
    }
    if (!mdx_lua_seen_add(&q->ls->types_seen, m->type) ||
        (q->ls->sel.nelements &&
         !mdx_lua_seen_add(&q->ls->elements_seen, m->elements))) {
        snprintf(q->error, sizeof q->error, "out of memory");
        return -1;
    }
    return 1;
}

/* After a query: every path type and elements string the selection or
 * its parameter tables name must have been on a selected path. The first
 * that was not goes to what ("select", "elements", "params") and name;
 * returns 0 when all were. */
static int unmatched_name(lua_State *L, lua_selection *ls, char what[16],
                          char *name, size_t size)
{
    for (size_t i = 0; i < ls->sel.ntypes; i++)
        if (!mdx_lua_seen_has(&ls->types_seen, ls->types[i].name)) {
            snprintf(what, 16, "select");
            snprintf(name, size, "%s", ls->types[i].name);
            return 1;
        }
    for (size_t i = 0; i < ls->sel.nelements; i++)
        if (!mdx_lua_seen_has(&ls->elements_seen, ls->elements[i].name)) {
            snprintf(what, 16, "elements");
            snprintf(name, size, "%s", ls->elements[i].name);
            return 1;
        }
    int found = 0, params = lua_gettop(L) + 1;
    lua_getiuservalue(L, 1, 3);  /* params: {name = {[type] = value}} */
    if (lua_istable(L, params)) {
        lua_pushnil(L);
        while (!found && lua_next(L, params)) {
            int table = lua_gettop(L);
            for (lua_pushnil(L); lua_istable(L, table) && lua_next(L, table);
                 lua_pop(L, 1))
                if (lua_type(L, -2) == LUA_TSTRING &&
                    strcmp(lua_tostring(L, -2), "*") != 0 &&
                    !mdx_lua_seen_has(&ls->types_seen, lua_tostring(L, -2))) {
                    snprintf(what, 16, "params");
                    snprintf(name, size, "%s", lua_tostring(L, -2));
                    found = 1;
                    break;
                }
            lua_settop(L, table - 1);  /* keep the key for lua_next */
        }
    }
    lua_settop(L, params - 1);
    return found;
}

typedef struct params_call {
    const mdx_path_meta *m;
    mdx_chi_params *par;
} params_call;

/* (call, table): runs in its own frame, so the table comes as argument. */
static int path_params_protected(lua_State *L)
{
    params_call *c = lua_touserdata(L, 1);
    mdx_lua_path_params(L, 2, c->m, c->par);
    return 0;
}

/* The params callback: the parameter table's values for path m. */
static int call_params(void *ctx, const mdx_path_meta *m, mdx_chi_params *par)
{
    query *q = ctx;
    lua_State *L = q->L;
    params_call c = {m, par};
    lua_pushcfunction(L, path_params_protected);
    lua_pushlightuserdata(L, &c);
    lua_pushvalue(L, q->params);
    if (lua_pcall(L, 2, 0, 0) == LUA_OK)
        return 0;
    snprintf(q->error, sizeof q->error, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return -1;
}

/* Prepare the callbacks; leaves `where`, the parameter table and
 * `folders` (or nils) on the stack. */
static void begin_query(lua_State *L, lua_selection *ls, query *q)
{
    q->L = L;
    q->ls = ls;
    mdx_lua_seen_clear(&ls->types_seen);
    mdx_lua_seen_clear(&ls->elements_seen);
    q->first.found = 0;
    q->error[0] = '\0';
    lua_getiuservalue(L, 1, 2);
    q->where = lua_isfunction(L, -1) ? lua_gettop(L) : 0;
    lua_getiuservalue(L, 1, 3);
    q->params = lua_istable(L, -1) ? lua_gettop(L) : 0;
    lua_getiuservalue(L, 1, 4);
    q->folders = lua_isfunction(L, -1) ? lua_gettop(L) : 0;
    ls->sel.folder_keep = q->folders ? call_folders : NULL;
    ls->sel.folder_keep_ctx = q;
    ls->sel.keep = call_keep;
    ls->sel.keep_ctx = q;
    ls->sel.params = q->params ? call_params : NULL;
    ls->sel.params_ctx = q;
}

/* Raise the query's failure: a callback's own error, as it raised it
 * (with its own position), if one did. */
static int query_failed(lua_State *L, const query *q, const mdx_error *err)
{
    if (q->error[0]) {
        lua_pushstring(L, q->error);
        return lua_error(L);
    }
    return mdx_lua_raise(L, err);
}

static mdx_source *selection_source(lua_State *L)
{
    lua_getiuservalue(L, 1, 1);
    mdx_source *src = check_source(L, -1);
    lua_pop(L, 1);
    return src;
}

/* An edge as XDI names it: FEFF 6 writes "LIII" where XDI has "L3". */
static void xdi_edge(const char *feff, char edge[8])
{
    static const char *const roman[] = {"I", "II", "III", "IV", "V"};
    snprintf(edge, 8, "%s", feff);
    if (feff[0] != 'L' && feff[0] != 'M')
        return;
    for (int i = 0; i < 5; i++)
        if (strcmp(feff + 1, roman[i]) == 0)
            snprintf(edge, 8, "%c%d", feff[0], i + 1);
}

/* The absorber and edge of the query's first kept path, for XDI headers
 * (left empty when they cannot be had). */
static void absorber_of(mdx_source *src, const query *q, char element[8],
                        char edge[8])
{
    const first_path *f = &q->first;
    mdx_path path;
    mdx_error err;
    element[0] = edge[0] = '\0';
    if (!f->found)
        return;
    snprintf(element, 8, "%s", f->element);
    if (mdx_source_get_path(src, f->frame, f->atom, f->num, &path, &err))
        return;
    xdi_edge(path.edge_label, edge);
    mdx_path_free(&path);
}

/* sel:average() -> result: the mean over folders of each folder's sum of
 * selected paths, with its standard error. Raises when nothing matches. */
typedef struct averaging {
    mdx_average avg;
    int skip_empty;
} averaging;

static int add_folder(void *ctx, const mdx_folder_chi *f)
{
    averaging *a = ctx;
    if (f->npaths > 0 || !a->skip_empty)
        mdx_average_add(&a->avg, f->chi, MDX_NK, f->npaths);
    return 0;
}

static void push_average(lua_State *L, const mdx_average *avg, const char *label)
{
    mdx_lua_result *r = mdx_lua_new_result(L, avg->n, 1, label);
    memcpy(r->k, avg->k, avg->n * sizeof *r->k);
    mdx_average_result(avg, r->chi, r->sem);
    r->nfolders = avg->nfolders;
    r->nwith = avg->nwith;
    r->npaths = avg->npaths;
}

static int selection_average(lua_State *L)
{
    lua_selection *ls = check_selection(L, 1);
    mdx_source *src = selection_source(L);
    query q;
    averaging a;
    mdx_error err;
    double k[MDX_NK];
    mdx_kgrid(k);
    begin_query(L, ls, &q);
    if (mdx_average_init(&a.avg, MDX_NK, k, &err))
        return mdx_lua_raise(L, &err);
    a.skip_empty = ls->skip_empty;
    mdx_status rc = mdx_source_sum(src, &ls->sel, MDX_GROUP_NONE, add_folder,
                                   &a, &err);
    if (rc) {
        mdx_average_free(&a.avg);
        return query_failed(L, &q, &err);
    }
    char what[16], name[256];
    if (unmatched_name(L, ls, what, name, sizeof name)) {
        mdx_average_free(&a.avg);
        return mdx_lua_unknown_name(L, src, &ls->sel, what, name, ls->label);
    }
    if (a.avg.nwith == 0) {
        mdx_average_free(&a.avg);
        return luaL_error(L, "average: no path in %s matches %s",
                          mdx_source_path(src), ls->label);
    }
    char label[1200];
    result_label(src, ls->label, label, sizeof label);
    push_average(L, &a.avg, label);
    mdx_average_free(&a.avg);
    mdx_lua_result *r = lua_touserdata(L, -1);
    absorber_of(src, &q, r->element, r->edge);
    return 1;
}

/* Where a query's folder sums go: fn, with the context around this
 * struct; release frees what it gathered when the query fails. */
typedef struct sink {
    int (*fn)(void *ctx, const mdx_folder_chi *f);
    void (*release)(struct sink *s);
    int nomem, skip_empty;
    char element[8], edge[8];  /* of the paths, for XDI headers */
} sink;

/* Per-folder sums, for sums(). */
typedef struct collected {
    sink base;
    struct folder_entry {
        long frame, atom;
        size_t npaths;
        double chi[MDX_NK];
    } *e;
    size_t n, cap;
} collected;

static int collect_folder(void *ctx, const mdx_folder_chi *f)
{
    collected *c = ctx;
    if (f->npaths == 0 && c->base.skip_empty)
        return 0;
    struct folder_entry *grown = mdx_grow(c->e, &c->cap, c->n + 1, sizeof *c->e, 64);
    if (!grown)
        return c->base.nomem = 1;
    c->e = grown;
    struct folder_entry *e = &c->e[c->n++];
    e->frame = f->frame;
    e->atom = f->atom;
    e->npaths = f->npaths;
    memcpy(e->chi, f->chi, sizeof e->chi);
    return 0;
}

static void release_collected(sink *s)
{
    free(((collected *)s)->e);
}

/* Run the selection with `grouping`, each folder's sums to the sink;
 * raises (after release) when the query fails. */
static void run_sums(lua_State *L, lua_selection *ls, enum mdx_grouping grouping,
                     sink *k)
{
    mdx_source *src = selection_source(L);
    query q;
    mdx_error err;
    k->skip_empty = ls->skip_empty;
    begin_query(L, ls, &q);
    mdx_status rc = mdx_source_sum(src, &ls->sel, grouping, k->fn, k, &err);
    if (rc == MDX_OK && !k->nomem)
        absorber_of(src, &q, k->element, k->edge);
    lua_pop(L, 3);  /* where, params, folders */
    char what[16], name[256];
    int unmatched = !rc && !k->nomem &&
                    unmatched_name(L, ls, what, name, sizeof name);
    if (rc || k->nomem || unmatched)
        k->release(k);
    if (k->nomem)
        luaL_error(L, "out of memory");
    if (rc)
        query_failed(L, &q, &err);
    if (unmatched)
        mdx_lua_unknown_name(L, src, &ls->sel, what, name, ls->label);
}

/* sel:sums() -> {result, ...}: each folder's sum, in (frame, atom) order,
 * each with .frame and .atom. */
static int selection_sums(lua_State *L)
{
    lua_selection *ls = check_selection(L, 1);
    collected c = {{collect_folder, release_collected, 0, 0, "", ""}, NULL, 0, 0};
    double k[MDX_NK];
    mdx_kgrid(k);
    run_sums(L, ls, MDX_GROUP_NONE, &c.base);
    lua_createtable(L, (int)c.n, 0);
    for (size_t i = 0; i < c.n; i++) {
        char label[1100];
        snprintf(label, sizeof label, "%s; frame %ld atom %ld", ls->label,
                 c.e[i].frame, c.e[i].atom);
        mdx_lua_result *r = mdx_lua_new_result(L, MDX_NK, 0, label);
        memcpy(r->k, k, sizeof k);
        memcpy(r->chi, c.e[i].chi, sizeof k);
        r->nfolders = 1;
        r->nwith = c.e[i].npaths > 0;
        r->npaths = c.e[i].npaths;
        r->frame = c.e[i].frame;
        r->atom = c.e[i].atom;
        memcpy(r->element, c.base.element, sizeof r->element);
        memcpy(r->edge, c.base.edge, sizeof r->edge);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(c.e);
    return 1;
}

/* sel:by_type() -> {[type] = result}: each path type's share of the
 * average. Every type is divided by the number of folders of the whole
 * selection, so that the shares add up to sel:average(). */
/* Each path type's running sum over the folders, for by_type(): memory
 * for the types, not for every folder. */
typedef struct type_sums {
    sink base;
    struct type_sum {
        char type[128];
        size_t npaths, nwith;
        double chi[MDX_NK];
    } *t;
    size_t n, cap, nfolders;
    long frame, atom;  /* of the last folder counted */
} type_sums;

static int add_type(void *ctx, const mdx_folder_chi *f)
{
    type_sums *s = ctx;
    if (f->npaths == 0 && s->base.skip_empty)
        return 0;
    if (s->nfolders == 0 || f->frame != s->frame || f->atom != s->atom) {
        s->nfolders++;
        s->frame = f->frame;
        s->atom = f->atom;
    }
    if (f->npaths == 0)  /* a folder without selected paths: zero */
        return 0;
    size_t i = 0;
    while (i < s->n && strcmp(s->t[i].type, f->group) != 0)
        i++;
    if (i == s->n) {
        struct type_sum *grown = mdx_grow(s->t, &s->cap, s->n + 1,
                                          sizeof *s->t, 16);
        if (!grown)
            return s->base.nomem = 1;
        s->t = grown;
        memset(&s->t[i], 0, sizeof s->t[i]);
        snprintf(s->t[i].type, sizeof s->t[i].type, "%s", f->group);
        s->n++;
    }
    for (int j = 0; j < MDX_NK; j++)
        s->t[i].chi[j] += f->chi[j];
    s->t[i].npaths += f->npaths;
    s->t[i].nwith++;
    return 0;
}

static void release_type_sums(sink *s)
{
    free(((type_sums *)s)->t);
}

/* sel:by_type() -> {[type] = result}: each path type's share of the
 * average. Every type is divided by the number of folders of the whole
 * selection, so that the shares add up to sel:average(). */
static int selection_by_type(lua_State *L)
{
    lua_selection *ls = check_selection(L, 1);
    type_sums s = {{add_type, release_type_sums, 0, 0, "", ""}, NULL, 0, 0, 0,
                   0, 0};
    double k[MDX_NK];
    mdx_kgrid(k);
    run_sums(L, ls, MDX_GROUP_TYPE, &s.base);
    char whole[1100];
    result_label(selection_source(L), ls->label, whole, sizeof whole);
    lua_newtable(L);
    for (size_t i = 0; i < s.n; i++) {
        char label[1400];
        snprintf(label, sizeof label, "%s; type %s (share of the average)",
                 whole, s.t[i].type);
        mdx_lua_result *r = mdx_lua_new_result(L, MDX_NK, 0, label);
        memcpy(r->k, k, sizeof k);
        for (int j = 0; j < MDX_NK; j++)
            r->chi[j] = s.t[i].chi[j] / (double)s.nfolders;
        r->nfolders = s.nfolders;
        r->nwith = s.t[i].nwith;
        r->npaths = s.t[i].npaths;
        memcpy(r->element, s.base.element, sizeof r->element);
        memcpy(r->edge, s.base.edge, sizeof r->edge);
        lua_setfield(L, -2, s.t[i].type);
    }
    free(s.t);
    return 1;
}

/* Selected paths' metadata, copied out of the source's buffers. */
typedef struct listed {
    struct listed_path {
        mdx_path_meta m;
        char type[128], elements[128], absorber[8], dir[1024];
    } *p;
    size_t n, cap;
    int nomem;
} listed;

static int list_path(void *ctx, const mdx_path_meta *m)
{
    listed *l = ctx;
    struct listed_path *grown = mdx_grow(l->p, &l->cap, l->n + 1, sizeof *l->p, 256);
    if (!grown)
        return l->nomem = 1;
    l->p = grown;
    struct listed_path *p = &l->p[l->n++];
    p->m = *m;
    snprintf(p->type, sizeof p->type, "%s", m->type);
    snprintf(p->elements, sizeof p->elements, "%s", m->elements);
    snprintf(p->absorber, sizeof p->absorber, "%s", m->absorber);
    snprintf(p->dir, sizeof p->dir, "%s", m->dir);
    return 0;
}

/* Run the selection path by path, fn(ctx, meta) for each; raises (after
 * freeing *owned, if owned) when the query fails or fn ran out of memory
 * (*nomem). */
static void run_paths(lua_State *L, lua_selection *ls,
                      int (*fn)(void *ctx, const mdx_path_meta *m), void *ctx,
                      const int *nomem, void **owned)
{
    mdx_source *src = selection_source(L);
    query q;
    mdx_error err;
    begin_query(L, ls, &q);
    mdx_status rc = mdx_source_each_path(src, &ls->sel, fn, ctx, &err);
    lua_pop(L, 3);  /* where, params, folders */
    char what[16], name[256];
    int unmatched = !rc && !*nomem &&
                    unmatched_name(L, ls, what, name, sizeof name);
    if ((rc || *nomem || unmatched) && owned)
        free(*owned);
    if (*nomem)
        luaL_error(L, "out of memory");
    if (rc)
        query_failed(L, &q, &err);
    if (unmatched)
        mdx_lua_unknown_name(L, src, &ls->sel, what, name, ls->label);
}

/* sel:paths() -> {{frame=, atom=, num=, nleg=, deg=, reff=, type=,
 * elements=, absorber=, dir=}, ...} */
static int selection_paths(lua_State *L)
{
    listed l = {0};
    run_paths(L, check_selection(L, 1), list_path, &l, &l.nomem, (void **)&l.p);
    lua_createtable(L, (int)l.n, 0);
    for (size_t i = 0; i < l.n; i++) {
        struct listed_path *p = &l.p[i];
        p->m.type = p->type;
        p->m.elements = p->elements;
        p->m.absorber = p->absorber;
        p->m.dir = p->dir;
        mdx_lua_push_meta(L, &p->m);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(l.p);
    return 1;
}

/* sel:count() -> paths, folders with them: counted as they come. */
typedef struct counted {
    size_t paths, folders;
    long frame, atom;
    int nomem;
} counted;

static int count_path(void *ctx, const mdx_path_meta *m)
{
    counted *c = ctx;
    if (c->paths++ == 0 || m->frame != c->frame || m->atom != c->atom) {
        c->folders++;
        c->frame = m->frame;
        c->atom = m->atom;
    }
    return 0;
}

static int selection_count(lua_State *L)
{
    counted c = {0};
    run_paths(L, check_selection(L, 1), count_path, &c, &c.nomem, NULL);
    lua_pushinteger(L, (lua_Integer)c.paths);
    lua_pushinteger(L, (lua_Integer)c.folders);
    return 2;
}

static int selection_tostring(lua_State *L)
{
    lua_pushfstring(L, "mdexafs selection: %s", check_selection(L, 1)->label);
    return 1;
}

/* src:chidat{frames=, atoms=} -> result: the mean of FEFF's own chi.dat
 * over the folders, on the k values all have. */
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

static int source_chidat(lua_State *L)
{
    static const char *const keys[] = {"frames", "atoms", NULL};
    mdx_source *src = check_source(L, 1);
    lua_selection *ls = lua_newuserdatauv(L, sizeof *ls, 2);
    memset(ls, 0, sizeof *ls);
    luaL_setmetatable(L, MDX_SELECTION_MT);  /* frees what parsing owns */
    parse_selection(L, 2, lua_gettop(L), ls, keys, "chidat");
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
    result_label(src, text, label, sizeof label);
    push_average(L, &c.avg, label);
    mdx_average_free(&c.avg);
    ((mdx_lua_result *)lua_touserdata(L, -1))->chidat = 1;
    return 1;
}

/* src:export(frame, atom, num, file) -> true | nil, message
 * Write path num of folder (frame, atom) as a feffNNNN.dat that gives the
 * same chi(k) as the file it was read from. */
static int source_export(lua_State *L)
{
    mdx_source *src = check_source(L, 1);
    long frame = (long)luaL_checkinteger(L, 2);
    long atom = (long)luaL_checkinteger(L, 3);
    int num = (int)luaL_checkinteger(L, 4);
    const char *file = luaL_checkstring(L, 5);
    char title[256];
    mdx_path path;
    mdx_error err;
    if (mdx_source_get_path(src, frame, atom, num, &path, &err))
        return mdx_lua_fail(L, &err);
    snprintf(title, sizeof title, "mdexafs: path %d of frame %ld atom %ld",
             num, frame, atom);
    mdx_status rc = mdx_feff_write(&path, file, title, &err);
    mdx_path_free(&path);
    if (rc)
        return mdx_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

void mdx_lua_open_source(lua_State *L)
{
    static const luaL_Reg source_methods[] = {
        {"select", source_select},
        {"export", source_export},
        {"chidat", source_chidat},
        {"close", source_close},
        {NULL, NULL},
    };
    static const luaL_Reg selection_methods[] = {
        {"average", selection_average},
        {"sums", selection_sums},
        {"by_type", selection_by_type},
        {"paths", selection_paths},
        {"count", selection_count},
        {NULL, NULL},
    };
    luaL_newmetatable(L, MDX_SOURCE_MT);
    luaL_newlib(L, source_methods);
    lua_pushcclosure(L, source_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, source_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, source_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, source_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    luaL_newmetatable(L, MDX_SELECTION_MT);
    luaL_newlib(L, selection_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, selection_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, selection_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    luaL_newmetatable(L, MDX_PATH_MT);
    lua_pushstring(L, "path");
    lua_pushstring(L, "frame atom num nleg deg reff type elements absorber dir");
    lua_pushcclosure(L, unknown_field, 2);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);

    luaL_newmetatable(L, MDX_FOLDER_MT);
    lua_pushstring(L, "folder");
    lua_pushstring(L, "frame atom absorber dir");
    lua_pushcclosure(L, unknown_field, 2);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}
