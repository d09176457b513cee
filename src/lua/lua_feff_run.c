/* mdexafs.feff_run(tree [, {jobs, program, progress}]): FEFF in every
 * folder of a tree that needs a run, from a recipe, so that one recipe
 * can write the inputs and run FEFF in one go. Nothing of Lua can fail
 * while FEFF runs but the progress function, called protected: the runner
 * always ends its runs before an error is raised. */
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/run.h"
#include "util/grow.h"

/* What the callbacks need: the state, the progress function's index, and
 * the failures gathered (their dir and reason, "" for out of memory). */
typedef struct run_ctx {
    lua_State *L;
    int progress;
    int raised;   /* the progress function raised: its error is on the stack */
    char **failed;
    size_t n, cap;
    int nomem;
} run_ctx;

static void push_stats(lua_State *L, const mdx_run_stats *st)
{
    lua_createtable(L, 0, 7);
    mdx_lua_set_integer(L, "folders", (lua_Integer)st->folders);
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

static void on_ended(void *ctx, const mdx_run_result *r)
{
    run_ctx *c = ctx;
    if (r->ok || c->nomem)
        return;
    char **more = mdx_grow(c->failed, &c->cap, c->n + 2, sizeof *more, 16);
    if (!more) {
        c->nomem = 1;
        return;
    }
    c->failed = more;
    c->failed[c->n] = strdup(r->dir);
    c->failed[c->n + 1] = strdup(r->reason);
    c->nomem |= !c->failed[c->n] || !c->failed[c->n + 1];
    c->n += 2;
}

static void free_failed(run_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->failed[i]);
    free(c->failed);
}

/* mdexafs.feff_run(tree [, opts]) -> stats ({folders, finished, todo, done,
 * failed, seconds, failures = {{dir, reason}, ...}}) */
int mdx_lua_feff_run(lua_State *L)
{
    static const char *const keys[] = {"jobs", "program", "progress", NULL};
    const char *tree = luaL_checkstring(L, 1);
    mdx_run_options o = {0};
    run_ctx c = {.L = L};
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "feff_run", "option");
        lua_Integer jobs = mdx_lua_opt_integer(L, 2, "feff_run", "jobs", 0);
        if (jobs < 0 || jobs > 1024)
            return luaL_error(L, "feff_run: jobs must be from 1 to 1024 (0: one per core)");
        o.jobs = (int)jobs;
        o.program = mdx_lua_opt_string(L, 2, "feff_run", "program", NULL);
        if (lua_getfield(L, 2, "progress") != LUA_TNIL) {
            if (!lua_isfunction(L, -1))
                return luaL_error(L, "feff_run: progress must be a function, not a %s",
                                  luaL_typename(L, -1));
            c.progress = lua_gettop(L);
        }
    }
    o.progress = on_progress;
    o.ended = on_ended;
    o.ctx = &c;
    mdx_run_stats st;
    mdx_error err;
    mdx_status rc = mdx_feff_run(tree, &o, &st, &err);
    if (c.raised || c.nomem || rc != MDX_OK) {
        free_failed(&c);
        if (c.raised)
            return lua_error(L);
        return c.nomem ? luaL_error(L, "feff_run: out of memory") : mdx_lua_raise(L, &err);
    }
    push_stats(L, &st);
    lua_createtable(L, (int)(c.n / 2), 0);
    for (size_t i = 0; i < c.n; i += 2) {
        lua_createtable(L, 0, 2);
        mdx_lua_set_string(L, "dir", c.failed[i]);
        mdx_lua_set_string(L, "reason", c.failed[i + 1]);
        lua_rawseti(L, -2, (lua_Integer)(i / 2 + 1));
    }
    free_failed(&c);
    lua_setfield(L, -2, "failures");
    return 1;
}
