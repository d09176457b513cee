/* mdexafs.feff_run(tree [, {jobs, program, progress}]): FEFF in every
 * folder of a tree that needs a run, from a recipe, so that one recipe
 * can write the inputs and run FEFF in one go. */
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/run.h"

/* What the callbacks need: the state, the progress function's index, and
 * the failures table's. */
typedef struct run_ctx {
    lua_State *L;
    int progress, failures;
    int raised;   /* the progress function raised: its error is on the stack */
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

/* progress(stats) -> true stops the runs; an error stops them too and is
 * raised once they are stopped. */
static int on_progress(void *ctx, const mdx_run_stats *st)
{
    run_ctx *c = ctx;
    if (!c->progress)
        return 0;
    lua_pushvalue(c->L, c->progress);
    push_stats(c->L, st);
    if (lua_pcall(c->L, 1, 1, 0) != LUA_OK) {
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
    if (r->ok)
        return;
    lua_createtable(c->L, 0, 2);
    mdx_lua_set_string(c->L, "dir", r->dir);
    mdx_lua_set_string(c->L, "reason", r->reason);
    lua_rawseti(c->L, c->failures, (lua_Integer)luaL_len(c->L, c->failures) + 1);
}

/* mdexafs.feff_run(tree [, opts]) -> stats ({folders, finished, todo, done,
 * failed, seconds, failures = {{dir, reason}, ...}}) */
int mdx_lua_feff_run(lua_State *L)
{
    static const char *const keys[] = {"jobs", "program", "progress", NULL};
    const char *tree = luaL_checkstring(L, 1);
    mdx_run_options o = {0};
    run_ctx c = {L, 0, 0, 0};
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "feff_run", "option");
        lua_Integer jobs = mdx_lua_opt_integer(L, 2, "feff_run", "jobs", 0);
        if (jobs < 0 || jobs > 1024)
            return luaL_error(L, "feff_run: jobs must be from 1 to 1024 (0: one per core)");
        o.jobs = (int)jobs;
        o.program = mdx_lua_opt_string(L, 2, "feff_run", "program", NULL);
        if (lua_getfield(L, 2, "progress") != LUA_TNIL) {
            luaL_argexpected(L, lua_isfunction(L, -1), 2, "progress: a function");
            c.progress = lua_gettop(L);
        }
    }
    lua_newtable(L);
    c.failures = lua_gettop(L);
    o.progress = on_progress;
    o.ended = on_ended;
    o.ctx = &c;
    mdx_run_stats st;
    mdx_error err;
    mdx_status rc = mdx_feff_run(tree, &o, &st, &err);
    if (c.raised)
        return lua_error(L);
    if (rc != MDX_OK)
        return mdx_lua_raise(L, &err);
    push_stats(L, &st);
    lua_pushvalue(L, c.failures);
    lua_setfield(L, -2, "failures");
    return 1;
}
