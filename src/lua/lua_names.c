/* Names checked against the source: a path type (or element string) that a
 * selection or its path parameters name, and that no selected path has,
 * is an error that says whether the source has it at all, suggests the
 * closest name it has, and lists them — never an empty or a partial
 * average. */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "lua_private.h"

static int find(const mdx_lua_seen *s, const char *name, size_t *at)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->name[mid], name);
        if (c == 0) {
            *at = mid;
            return 1;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return 0;
}

int mdx_lua_seen_add(mdx_lua_seen *s, const char *name)
{
    size_t at;
    if (find(s, name, &at))
        return 1;
    char **grown = mdx_grow(s->name, &s->cap, s->n + 1, sizeof *s->name, 16);
    char *copy = grown ? strdup(name) : NULL;
    if (!copy)
        return 0;
    s->name = grown;
    memmove(s->name + at + 1, s->name + at, (s->n - at) * sizeof *s->name);
    s->name[at] = copy;
    s->n++;
    return 1;
}

int mdx_lua_seen_has(const mdx_lua_seen *s, const char *name)
{
    size_t at;
    return find(s, name, &at);
}

void mdx_lua_seen_clear(mdx_lua_seen *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->name[i]);
    s->n = 0;
}

void mdx_lua_seen_free(mdx_lua_seen *s)
{
    mdx_lua_seen_clear(s);
    free(s->name);
    memset(s, 0, sizeof *s);
}

/* Levenshtein distance of two short names. */
static size_t distance(const char *a, const char *b)
{
    size_t lb = strlen(b), row[MDX_TYPE_MAX];
    if (lb >= MDX_TYPE_MAX)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; *a; a++, i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (*a != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

typedef struct gather {
    mdx_lua_seen *names;
    int elements;   /* gather elements strings, not types */
    int nomem;
} gather;

static int gather_name(void *ctx, const mdx_path_meta *m)
{
    gather *g = ctx;
    g->nomem = !mdx_lua_seen_add(g->names, g->elements ? m->elements : m->type);
    return g->nomem;
}

int mdx_lua_unknown_name(lua_State *L, mdx_source *src,
                         const mdx_selection *sel, const char *what,
                         const char *name, const char *label)
{
    mdx_selection scope;   /* the same folders, any path */
    mdx_selection_init(&scope);
    scope.frame_min = sel->frame_min;
    scope.frame_max = sel->frame_max;
    scope.natoms = sel->natoms;
    scope.atoms = sel->atoms;
    mdx_lua_seen known = {0};
    gather g = {&known, strcmp(what, "elements") == 0, 0};
    mdx_error err;
    if (mdx_source_each_path(src, &scope, gather_name, &g, &err) || g.nomem) {
        mdx_lua_seen_free(&known);
        return luaL_error(L, "%s: no selected path has %s '%s'", what,
                          g.elements ? "elements" : "type", name);
    }
    if (known.n == 0) {
        mdx_lua_seen_free(&known);
        return luaL_error(L, "%s: no path in %s within the selection's frames "
                             "and atoms (%s)", what, mdx_source_path(src), label);
    }
    if (mdx_lua_seen_has(&known, name)) {
        mdx_lua_seen_free(&known);
        return luaL_error(L, "%s: no '%s' path passes the selection (%s)",
                          what, name, label);
    }
    luaL_Buffer b;
    const char *closest = NULL;
    size_t best = (size_t)-1;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < known.n; i++) {
        size_t d = distance(name, known.name[i]);
        if (d < best) {
            best = d;
            closest = known.name[i];
        }
        if (i < 24) {
            luaL_addchar(&b, ' ');
            luaL_addstring(&b, known.name[i]);
        }
    }
    if (known.n > 24)
        luaL_addstring(&b, " ...");
    luaL_pushresult(&b);
    lua_pushfstring(L, "%s: no path %s '%s' in %s; %s%s%sknown:%s", what,
                    g.elements ? "elements" : "type", name,
                    mdx_source_path(src), closest ? "did you mean '" : "",
                    closest ? closest : "", closest ? "'? " : "",
                    lua_tostring(L, -1));
    mdx_lua_seen_free(&known);
    return lua_error(L);
}
