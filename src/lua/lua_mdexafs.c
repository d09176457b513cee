/* The mdexafs.core Lua module: functions over the core API, and the
 * registration of sources, selections and results. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mdexafs/version.h"
#include "lua_md.h"
#include "lua_private.h"
#include "mdexafs/build.h"
#include "mdexafs/chi.h"
#include "mdexafs/feff.h"
#include "mdexafs/output.h"
#include "mdexafs/source.h"

static void push_path(lua_State *L, const mdx_path *p)
{
    char type[MDX_TYPE_MAX];
    mdx_path_type(p, type, sizeof type);
    lua_createtable(L, 0, 12);
    mdx_lua_set_string(L, "version", p->version);
    mdx_lua_set_integer(L, "index", p->index);
    mdx_lua_set_string(L, "type", type);
    mdx_lua_set_integer(L, "nleg", p->nleg);
    mdx_lua_set_number(L, "deg", p->deg);
    mdx_lua_set_number(L, "reff", p->reff);
    mdx_lua_set_string(L, "absorber", mdx_element_symbol(p->abs_iz));
    mdx_lua_set_string(L, "edge", p->edge_label);
    mdx_lua_set_integer(L, "nrows", (lua_Integer)p->nrows);
    lua_createtable(L, p->nleg, 0);
    for (int i = 0; i < p->nleg; i++) {
        const mdx_leg *l = &p->legs[i];
        lua_createtable(L, 0, 7);
        mdx_lua_set_number(L, "x", l->x);
        mdx_lua_set_number(L, "y", l->y);
        mdx_lua_set_number(L, "z", l->z);
        mdx_lua_set_integer(L, "ipot", l->ipot);
        mdx_lua_set_integer(L, "iz", l->iz);
        mdx_lua_set_string(L, "element", mdx_element_symbol(l->iz));
        mdx_lua_set_string(L, "label", l->label);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "legs");
}

/* Parse the path file `file`, which must not be a feff.bin (by its
 * content, whatever its name): every path of a run, not one. */
static mdx_status parse_one(const char *file, mdx_path *path, mdx_error *err)
{
    if (mdx_feffbin_sniff(file)) {
        memset(path, 0, sizeof *path);
        return mdx_error_set(err, MDX_ERR_FORMAT, file, 0, "a feff.bin "
                             "(every path of a FEFF run), not one path file: "
                             "`mdexafs parse %s` lists its paths", file);
    }
    return mdx_feff_parse_file(file, path, err);
}

/* mdexafs.parse(file) -> path table | nil, message */
static int l_parse(lua_State *L)
{
    const char *file = luaL_checkstring(L, 1);
    mdx_path path;
    mdx_error err;
    if (parse_one(file, &path, &err) != MDX_OK)
        return mdx_lua_fail(L, &err);
    push_path(L, &path);
    mdx_path_free(&path);
    return 1;
}

/* mdexafs.chi(file [, params]) -> result | nil, message
 * chi(k) of one path file on the standard grid. */
static int l_chi(lua_State *L)
{
    const char *file = luaL_checkstring(L, 1);
    mdx_chi_params par;
    mdx_path path;
    mdx_chi_work work = {0};
    mdx_error err;
    double k[MDX_NK], chi[MDX_NK];

    par = mdx_chi_defaults();
    if (!lua_isnoneornil(L, 2)) {
        mdx_lua_check_params(L, 2, 0);
        mdx_lua_path_params(L, 2, &par);
    }
    mdx_kgrid(k);
    mdx_status st = parse_one(file, &path, &err);
    if (st == MDX_OK)
        st = mdx_chi(&path, &par, MDX_NK, k, chi, &work, &err);
    mdx_path_free(&path);
    mdx_chi_work_free(&work);
    if (st != MDX_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", file);
        return mdx_lua_fail(L, &err);
    }
    mdx_lua_result *r = mdx_lua_new_result(L, MDX_NK, 0, file);
    memcpy(r->k, k, sizeof k);
    memcpy(r->chi, chi, sizeof chi);
    r->npaths = 1;
    return 1;
}

static void on_build_problem(void *ctx, const mdx_error *e)
{
    char buf[2048];
    (void)ctx;
    mdx_lua_format_error(e, buf, sizeof buf);
    fprintf(stderr, "mdexafs: %s\n", buf);
}

/* mdexafs.build{tree=, db=, jobs=, rebuild=, tables_only=} -> stats | nil,
 * message
 * Bad path files are reported on stderr and counted in stats.failed. */
static int l_build(lua_State *L)
{
    static const char *const keys[] = {"tree", "db", "jobs", "rebuild",
                                       "tables_only", "prefer", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    mdx_lua_check_keys(L, 1, keys, "build", "option");
    mdx_build_options o = {0};
    o.tree = mdx_lua_opt_string(L, 1, "build", "tree", NULL);
    o.db = mdx_lua_opt_string(L, 1, "build", "db", NULL);
    if (!o.tree || !o.db)
        return luaL_error(L, "build: 'tree' and 'db' are required");
    o.rebuild = mdx_lua_opt_boolean(L, 1, "build", "rebuild", 0);
    o.tables_only = mdx_lua_opt_boolean(L, 1, "build", "tables_only", 0);
    o.prefer = mdx_lua_opt_prefer(L, 1, "build");
    double jobs = mdx_lua_opt_number(L, 1, "build", "jobs", 0);
    if (!(jobs >= 0 && jobs <= 4096) || jobs != (int)jobs)
        return luaL_error(L, "build: 'jobs' must be a whole number of "
                             "threads (0: all cores)");
    o.threads = (int)jobs;
    mdx_build_hooks hooks = {NULL, NULL, on_build_problem, NULL};
    mdx_build_stats st;
    mdx_error err;
    if (mdx_build(&o, &hooks, &st, &err))
        return mdx_lua_fail(L, &err);
    lua_createtable(L, 0, 11);
    mdx_lua_set_integer(L, "folders", (lua_Integer)st.folders);
    mdx_lua_set_integer(L, "added", (lua_Integer)st.added);
    mdx_lua_set_integer(L, "replaced", (lua_Integer)st.replaced);
    mdx_lua_set_integer(L, "touched", (lua_Integer)st.touched);
    mdx_lua_set_integer(L, "unchanged", (lua_Integer)st.unchanged);
    mdx_lua_set_integer(L, "removed", (lua_Integer)st.removed);
    mdx_lua_set_integer(L, "missing", (lua_Integer)st.missing);
    mdx_lua_set_integer(L, "failed", (lua_Integer)st.failed);
    mdx_lua_set_integer(L, "paths", (lua_Integer)st.paths);
    mdx_lua_set_number(L, "seconds", st.seconds);
    return 1;
}

/* mdexafs.freshness(db [, tree [, verify]]) -> state, detail, tree
 * state: "fresh", "stale", "missing", "damaged" or "unknown" (the tree
 * cannot be read, wholly or in part); tree defaults to the one the
 * database was built from; verify is "folders" (the default: their times
 * and witness files) or "files" (every file's size and time). */
static int l_freshness(lua_State *L)
{
    const char *const levels[] = {mdx_verify_name(MDX_VERIFY_FOLDERS),
                                  mdx_verify_name(MDX_VERIFY_FILES), NULL};
    const char *db = luaL_checkstring(L, 1);
    const char *tree = luaL_optstring(L, 2, NULL);
    int verify = luaL_checkoption(L, 3, "folders", levels);
    mdx_freshness f;
    mdx_check_freshness(db, tree, (enum mdx_verify)verify, &f);
    lua_pushstring(L, mdx_freshness_state_name(f.state));
    lua_pushstring(L, f.detail);
    lua_pushstring(L, f.tree);
    lua_pushstring(L, mdx_prefer_name(f.prefer));  /* nil when unknown */
    return 4;
}

/* mdexafs.known(kind, text) -> text | nil, message: is text one the core
 * takes, as the functions that take it will read it? kind "window"
 * (xftf's and fit's, larch's names: "hann" is hanning), "element" (a
 * symbol), "edge" (one XDI knows) or "source" (a path that is not a data
 * file given where a database belongs). For arguments checked before
 * use. */
static int l_known(lua_State *L)
{
    static const char *const kinds[] = {"window", "element", "edge", "source",
                                        NULL};
    int kind = luaL_checkoption(L, 1, NULL, kinds);
    const char *text = luaL_checkstring(L, 2);
    mdx_error err;
    enum mdx_window w;
    if (kind == 0 && mdx_window_parse(text, &w, &err))
        return mdx_lua_fail(L, &err);
    if (kind == 1 && !mdx_element_z(text)) {
        mdx_error_set(&err, MDX_ERR_ARG, NULL, 0, "'%s' is not an element "
                      "symbol", text);
        return mdx_lua_fail(L, &err);
    }
    if (kind == 2 && !mdx_xdi_edge_known(text)) {
        mdx_error_set(&err, MDX_ERR_ARG, NULL, 0, "'%s' is not an edge XDI "
                      "knows (K, L1-L3, M1-M5, N1-N7)", text);
        return mdx_lua_fail(L, &err);
    }
    if (kind == 3 && mdx_source_check(text, &err))
        return mdx_lua_fail(L, &err);
    lua_pushvalue(L, 2);
    return 1;
}

/* mdexafs.kgrid() -> {0, 0.05, ..., 20} */
static int l_kgrid(lua_State *L)
{
    double k[MDX_NK];
    mdx_kgrid(k);
    mdx_lua_push_array(L, k, MDX_NK);
    return 1;
}

static const luaL_Reg functions[] = {
    {"parse", l_parse},
    {"chi", l_chi},
    {"read_chi", mdx_lua_read_chi},
    {"fit", mdx_lua_fit},
    {"lcf", mdx_lua_lcf},
    {"figure", mdx_lua_figure},
    {"distance", mdx_lua_distance},
    {"check_distance", mdx_lua_check_distance},
    {"known", l_known},
    {"plot", mdx_lua_plot},
    {"open", mdx_lua_open},
    {"choose", mdx_lua_choose},
    {"path_kind", mdx_lua_path_kind},
    {"folder_empty", mdx_lua_folder_empty},
    {"make_folders", mdx_lua_make_folders},
    {"build", l_build},
    {"freshness", l_freshness},
    {"kgrid", l_kgrid},
    {"trajectory", mdx_lua_trajectory},
    {"feff_input", mdx_lua_feff_input},
    {"check_feff_input", mdx_lua_check_feff_input},
    {"check_cell", mdx_lua_check_cell_table},
    {"feff_run", mdx_lua_feff_run},
    {"file_info", mdx_lua_file_info},
    {"list_folder", mdx_lua_list_folder},
    {NULL, NULL},
};

MDX_API int luaopen_mdexafs_core(lua_State *L)
{
    static const luaL_Reg source_queries[] = {
        {"select", mdx_lua_source_select},
        {"chidat", mdx_lua_source_chidat},
        {NULL, NULL},
    };
    mdx_lua_open_source(L);
    mdx_lua_add_methods(L, MDX_SOURCE_MT, source_queries);
    mdx_lua_open_selection(L);
    mdx_lua_open_stats(L);
    mdx_lua_open_reweight(L);
    mdx_lua_open_result(L);
    mdx_lua_open_chir(L);
    mdx_lua_open_trajectory(L);
    mdx_lua_open_cluster(L);
    luaL_newlib(L, functions);
    lua_pushstring(L, MDX_VERSION_STRING);
    lua_setfield(L, -2, "version");
    return 1;
}
