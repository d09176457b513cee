/* mdexafs.feff_run(tree [, {jobs, program, progress, shard, scratch, db,
 * drop_paths, potentials, potentials_from, check, seed}]): FEFF in every
 * folder of a tree that needs a run, from a recipe, so that one recipe
 * can write the inputs and run FEFF in one go. Nothing of Lua can fail
 * while FEFF runs but the progress function, called protected: the runner
 * always ends its runs before an error is raised. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/run.h"
#include "util/grow.h"

/* Strings gathered while FEFF runs. */
typedef struct strings {
    char **s;
    size_t n, cap;
} strings;

/* What the callbacks need: the state, the progress function's index, the
 * failures gathered (dir then reason) and the database's problems. */
typedef struct run_ctx {
    lua_State *L;
    int progress;
    int raised;   /* the progress function raised: its error is on the stack */
    strings failed, problems;
    int groups;   /* the table of groups (potentials = "once"), 0 without */
    int nomem;
} run_ctx;

static void add_string(run_ctx *c, strings *l, const char *s)
{
    if (c->nomem)
        return;
    char **more = mdx_grow(l->s, &l->cap, l->n + 1, sizeof *more, 16);
    char *copy = more ? strdup(s) : NULL;
    if (more)
        l->s = more;
    if (copy)
        l->s[l->n++] = copy;
    else
        c->nomem = 1;
}

static void free_strings(strings *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
}

static void push_stats(lua_State *L, const mdx_run_stats *st)
{
    lua_createtable(L, 0, 9);
    mdx_lua_set_integer(L, "folders", (lua_Integer)st->folders);
    mdx_lua_set_integer(L, "stored", (lua_Integer)st->stored);
    mdx_lua_set_integer(L, "unstored", (lua_Integer)st->unstored);
    mdx_lua_set_integer(L, "finished", (lua_Integer)st->finished);
    mdx_lua_set_integer(L, "todo", (lua_Integer)st->todo);
    mdx_lua_set_integer(L, "done", (lua_Integer)st->done);
    mdx_lua_set_integer(L, "failed", (lua_Integer)st->failed);
    mdx_lua_set_integer(L, "running", (lua_Integer)st->running);
    mdx_lua_set_number(L, "seconds", st->seconds);
}

/* progress(stats), its stats made inside the protected call: 1 result. */
static int call_progress(lua_State *L)
{
    const mdx_run_stats *st = lua_touserdata(L, 2);
    lua_settop(L, 1);
    push_stats(L, st);
    lua_call(L, 1, 1);
    return 1;
}

/* true from progress stops the runs; an error stops them too, and is
 * raised once they are stopped. */
static int on_progress(void *ctx, const mdx_run_stats *st)
{
    run_ctx *c = ctx;
    if (!c->progress)
        return 0;
    if (!lua_checkstack(c->L, 4)) {
        c->nomem = 1;
        return 1;
    }
    lua_pushcfunction(c->L, call_progress);
    lua_pushvalue(c->L, c->progress);
    lua_pushlightuserdata(c->L, (void *)st);
    if (lua_pcall(c->L, 2, 1, 0) != LUA_OK) {
        c->raised = 1;
        return 1;
    }
    int stop = lua_toboolean(c->L, -1);
    lua_pop(c->L, 1);
    return stop;
}

/* A failed run, or one not stored cleanly, into the failures. */
static void on_ended(void *ctx, const mdx_run_result *r)
{
    run_ctx *c = ctx;
    if (r->ok && (!r->stored || !r->stored[0]))
        return;
    char reason[1200];
    snprintf(reason, sizeof reason, "%s%s", r->ok ? "ran, but not stored cleanly: " : "",
             r->ok ? r->stored : r->reason);
    add_string(c, &c->failed, r->dir);
    add_string(c, &c->failed, reason);
}

/* A group that shared potentials (a light userdata) appended to the
 * table at index 1, inside a protected call. */
static int push_group(lua_State *L)
{
    const mdx_run_group *g = lua_touserdata(L, 2);
    lua_settop(L, 1);
    lua_createtable(L, 0, 5);
    mdx_lua_set_string(L, "reference", g->reference);
    mdx_lua_set_string(L, "label", g->label);
    mdx_lua_set_integer(L, "folders", (lua_Integer)g->folders);
    mdx_lua_set_integer(L, "unchecked", (lua_Integer)g->unchecked);
    lua_createtable(L, (int)g->nchecks, 0);
    for (size_t i = 0; i < g->nchecks; i++) {
        const mdx_run_check *k = &g->checks[i];
        lua_createtable(L, 0, 5);
        mdx_lua_set_string(L, "dir", k->dir);
        mdx_lua_set_number(L, "raw", k->raw);
        mdx_lua_set_number(L, "rfactor", k->rfactor);
        mdx_lua_set_number(L, "e0", k->e0);
        mdx_lua_set_number(L, "amplitude", k->amplitude);
        lua_rawseti(L, -2, (lua_Integer)(i + 1));
    }
    lua_setfield(L, -2, "checks");
    lua_rawseti(L, 1, (lua_Integer)lua_rawlen(L, 1) + 1);
    return 0;
}

/* A group that shared potentials, into the groups table; out of memory
 * said once the runs are over. */
static void on_group(void *ctx, const mdx_run_group *g)
{
    run_ctx *c = ctx;
    if (c->nomem || !lua_checkstack(c->L, 4)) {
        c->nomem = 1;
        return;
    }
    lua_pushcfunction(c->L, push_group);
    lua_pushvalue(c->L, c->groups);
    lua_pushlightuserdata(c->L, (void *)g);
    if (lua_pcall(c->L, 2, 0, 0) != LUA_OK) {
        lua_pop(c->L, 1);
        c->nomem = 1;
    }
}

/* opts.potentials ("once" or "own"), potentials_from (a folder or a list
 * of them), check and seed into o; the list's strings stay in opts. */
static void check_potentials(lua_State *L, mdx_run_options *o, const char ***from)
{
    const char *how = mdx_lua_opt_string(L, 2, "feff_run", "potentials", "own");
    if (strcmp(how, "once") && strcmp(how, "own"))
        luaL_error(L, "feff_run: potentials must be \"once\" or \"own\", not \"%s\"", how);
    o->potentials_once = !strcmp(how, "once");
    lua_Integer check = mdx_lua_opt_integer(L, 2, "feff_run", "check", 0);
    lua_Integer seed = mdx_lua_opt_integer(L, 2, "feff_run", "seed", 1);
    if (check < 0 || seed < 0)
        luaL_error(L, "feff_run: %s must be 0 or more", check < 0 ? "check" : "seed");
    o->check = (size_t)check;
    o->seed = (uint64_t)seed;
    int t = lua_getfield(L, 2, "potentials_from");
    if (t == LUA_TSTRING) {
        lua_createtable(L, 1, 0);
        lua_insert(L, -2);
        lua_rawseti(L, -2, 1);
        t = LUA_TTABLE;
    }
    if (t == LUA_TTABLE) {   /* the names stay in opts; the array on the stack */
        size_t n = lua_rawlen(L, -1);
        *from = lua_newuserdatauv(L, (n ? n : 1) * sizeof **from, 0);
        lua_insert(L, -2);
        for (size_t i = 0; i < n; i++) {
            if (lua_rawgeti(L, -1, (lua_Integer)(i + 1)) != LUA_TSTRING)
                luaL_error(L, "feff_run: potentials_from[%d] must be a folder, not a %s",
                           (int)(i + 1), luaL_typename(L, -1));
            (*from)[i] = lua_tostring(L, -1);
            lua_pop(L, 1);
        }
        o->potentials_from = *from;
        o->npotentials_from = n;
    } else if (t != LUA_TNIL)
        luaL_error(L, "feff_run: potentials_from must be a folder or a list of them, not a %s",
                   luaL_typename(L, -1));
    lua_pop(L, 1);
    if (!o->potentials_once && (o->check || o->npotentials_from))
        luaL_error(L, "feff_run: check and potentials_from need potentials = \"once\"");
    if (lua_getfield(L, 2, "seed") != LUA_TNIL && !o->check)
        luaL_error(L, "feff_run: seed needs check");
    lua_pop(L, 1);
}

static void on_problem(void *ctx, const mdx_error *e)
{
    run_ctx *c = ctx;
    char msg[1200];
    mdx_error_format(e, msg, sizeof msg);
    add_string(c, &c->problems, msg);
}

/* opts.shard, "I/N", into o. */
static void check_shard(lua_State *L, mdx_run_options *o)
{
    const char *shard = mdx_lua_opt_string(L, 2, "feff_run", "shard", NULL);
    unsigned i, n;
    char end;
    if (!shard)
        return;
    if (sscanf(shard, "%u/%u%c", &i, &n, &end) != 2 || n == 0 || i >= n)
        luaL_error(L, "feff_run: shard must be \"I/N\" with 0 <= I < N, not \"%s\"", shard);
    o->shard_index = i;
    o->shard_count = n;
}

/* mdexafs.feff_run(tree [, opts]) -> stats ({folders, finished, todo, done,
 * failed, stored, unstored, seconds, failures = {{dir, reason}, ...},
 * problems = {message, ...}}) */
int mdx_lua_feff_run(lua_State *L)
{
    static const char *const keys[] = {"jobs", "program", "progress", "shard", "scratch",
                                       "db", "drop_paths", "potentials", "potentials_from",
                                       "check", "seed", NULL};
    const char *tree = luaL_checkstring(L, 1);
    mdx_run_options o = {0};
    const char **from = NULL;
    run_ctx c = {.L = L};
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "feff_run", "option");
        lua_Integer jobs = mdx_lua_opt_integer(L, 2, "feff_run", "jobs", 0);
        if (jobs < 0 || jobs > 1024)
            return luaL_error(L, "feff_run: jobs must be from 1 to 1024 (0: one per core)");
        o.jobs = (int)jobs;
        o.program = mdx_lua_opt_string(L, 2, "feff_run", "program", NULL);
        o.scratch = mdx_lua_opt_string(L, 2, "feff_run", "scratch", NULL);
        o.db = mdx_lua_opt_string(L, 2, "feff_run", "db", NULL);
        o.drop_paths = mdx_lua_opt_boolean(L, 2, "feff_run", "drop_paths", 0);
        if (o.drop_paths && !o.db)
            return luaL_error(L, "feff_run: drop_paths needs db: the database keeps what is "
                              "dropped");
        check_shard(L, &o);
        check_potentials(L, &o, &from);
        if (lua_getfield(L, 2, "progress") != LUA_TNIL) {
            if (!lua_isfunction(L, -1))
                return luaL_error(L, "feff_run: progress must be a function, not a %s",
                                  luaL_typename(L, -1));
            c.progress = lua_gettop(L);
        }
    }
    o.progress = on_progress;
    o.ended = on_ended;
    o.problem = on_problem;
    o.ctx = &c;
    if (o.potentials_once) {
        lua_newtable(L);
        c.groups = lua_gettop(L);
        o.group = on_group;
    }
    mdx_run_stats st;
    mdx_error err;
    mdx_status rc = mdx_feff_run(tree, &o, &st, &err);
    if (c.raised || c.nomem || rc != MDX_OK) {
        free_strings(&c.failed);
        free_strings(&c.problems);
        if (c.raised)
            return lua_error(L);
        return c.nomem ? luaL_error(L, "feff_run: out of memory") : mdx_lua_raise(L, &err);
    }
    push_stats(L, &st);
    if (c.groups) {
        lua_pushvalue(L, c.groups);
        lua_setfield(L, -2, "groups");
    }
    lua_createtable(L, (int)(c.failed.n / 2), 0);
    for (size_t i = 0; i + 1 < c.failed.n; i += 2) {
        lua_createtable(L, 0, 2);
        mdx_lua_set_string(L, "dir", c.failed.s[i]);
        mdx_lua_set_string(L, "reason", c.failed.s[i + 1]);
        lua_rawseti(L, -2, (lua_Integer)(i / 2 + 1));
    }
    lua_setfield(L, -2, "failures");
    lua_createtable(L, (int)c.problems.n, 0);
    for (size_t i = 0; i < c.problems.n; i++) {
        lua_pushstring(L, c.problems.s[i]);
        lua_rawseti(L, -2, (lua_Integer)(i + 1));
    }
    lua_setfield(L, -2, "problems");
    free_strings(&c.failed);
    free_strings(&c.problems);
    return 1;
}
