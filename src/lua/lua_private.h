/* What the files of the mdexafs Lua module share. */
#ifndef MDX_LUA_PRIVATE_H
#define MDX_LUA_PRIVATE_H

#include <lauxlib.h>
#include <lua.h>
#include <stddef.h>

#include "mdexafs/chi.h"
#include "mdexafs/error.h"
#include "mdexafs/output.h"
#include "mdexafs/query.h"
#include "mdexafs/source.h"
#include "mdexafs/plot.h"
#include "mdexafs/feff.h"
#include "lua_util.h"

#define MDX_SOURCE_MT "mdexafs.source"
#define MDX_SELECTION_MT "mdexafs.selection"
#define MDX_RESULT_MT "mdexafs.result"
#define MDX_PATH_MT "mdexafs.path"
#define MDX_FOLDER_MT "mdexafs.folder"

/* A chi(k) result: k, chi and optionally its standard error. */
typedef struct mdx_lua_result {
    size_t n;
    double *k, *chi, *sem;   /* sem NULL when unknown */
    size_t nfolders, npaths;
    size_t nwith;            /* folders with selected paths */
    double kweight;          /* chi is k^kweight chi(k) */
    int chidat;              /* a mean of FEFF's chi.dat, not of paths */
    int mean;                /* a mean over folders (of one, too) */
    long frame, atom;        /* of a one-folder result, else -1 */
    char *label;             /* what was averaged, for file headers */
    char element[8], edge[8];/* absorber and edge of its paths ("": not
                                known), for XDI headers */
} mdx_lua_result;

/* Push a new result with n points (k, chi zeroed; sem allocated if
 * with_sem). Raises on out of memory. */
/* The result at idx (raising when it is none, or when one of its kept
 * tables r.k, r.chi, r.sem was changed in place), or NULL from
 * mdx_lua_test_result when it is none (in lua_result.c). */
mdx_lua_result *mdx_lua_check_result(lua_State *L, int idx);
mdx_lua_result *mdx_lua_test_result(lua_State *L, int idx);

mdx_lua_result *mdx_lua_new_result(lua_State *L, size_t n, int with_sem,
                                   const char *label);

typedef struct lua_source {
    mdx_source *src;   /* NULL once closed */
    int busy;          /* queries running (a callback may start another) */
} lua_source;

/* A selection and everything it owns. Uservalue 1 is its source, 2 its
 * `where` function, 3 its path-parameter table, 4 its `folders` function
 * (or nils). */
typedef struct lua_selection {
    mdx_selection sel;           /* as parsed; its arrays below */
    mdx_type_rule *types, *elements;
    long *atoms;
    char *absorber;
    int skip_empty;              /* empty = "skip": the reference's rule */
    mdx_query *query;            /* made of sel: what runs, checks, describes */
} lua_selection;

/* The open source at idx; raises if it is not one or is closed (in
 * lua_source.c). */
mdx_source *mdx_lua_check_source(lua_State *L, int idx);

/* Parse the selection table at idx into ls, the userdata at index ud;
 * only the keys in `allowed` may appear, `what` names the call (in
 * lua_select.c). */
void mdx_lua_parse_selection(lua_State *L, int idx, int ud,
                             lua_selection *ls, const char *const *allowed,
                             const char *what);
lua_selection *mdx_lua_check_selection(lua_State *L, int idx);
int mdx_lua_source_select(lua_State *L);   /* src:select{...} */
int mdx_lua_source_chidat(lua_State *L);   /* src:chidat{...} (lua_chidat.c) */
int mdx_lua_selection_gc(lua_State *L);

/* Where a query's folder sums go: fn, with the context around this
 * struct; release frees what it gathered when the query fails (in
 * lua_run.c). */
typedef struct mdx_lua_sink {
    int (*fn)(void *ctx, const mdx_folder_chi *f);
    void (*release)(void *s);
    int nomem;
} mdx_lua_sink;

/* Run query call `run` of the selection ls at index 1 with its Lua
 * callbacks as hooks; raises when it fails (run frees what it made
 * then) and says on stderr when it left failed folders out (in
 * lua_run.c). */
typedef mdx_status (*mdx_lua_runner)(mdx_query *q, void *arg, mdx_error *err);
void mdx_lua_run(lua_State *L, lua_selection *ls, mdx_lua_runner run, void *arg);

/* The source of the selection at index 1. */
mdx_source *mdx_lua_selection_source(lua_State *L);

/* Run the selection with `grouping`, each folder's sums to the sink;
 * raises (after release) when the query fails. */
void mdx_lua_run_sums(lua_State *L, lua_selection *ls,
                      enum mdx_grouping grouping, mdx_lua_sink *k);

/* Run the selection path by path, fn(ctx, meta) for each; raises (after
 * release(ctx)) when the query fails or fn ran out of memory (*nomem). */
void mdx_lua_run_paths(lua_State *L, lua_selection *ls,
                       int (*fn)(void *ctx, const mdx_path_meta *m), void *ctx,
                       const int *nomem, void (*release)(void *ctx));

/* The metatables of path and folder tables (in lua_meta.c). */
void mdx_lua_open_paths(lua_State *L);

/* Push a table of the folder's frame, atom, absorber and dir; reading
 * another field raises (in lua_meta.c). */
void mdx_lua_push_folder(lua_State *L, const mdx_folder_meta *f);

/* Push a result holding the average, labelled and with the absorber of
 * query q, with a standard error when it is over two folders or more (in
 * lua_run.c). */
void mdx_lua_push_average(lua_State *L, const mdx_average *avg, mdx_query *q);

/* The metatable of selections and their query methods (in lua_query.c). */
void mdx_lua_open_selection(lua_State *L);

/* The selections' statistics methods: stats, histogram, spread (in
 * lua_stats.c). */
void mdx_lua_open_stats(lua_State *L);
void mdx_lua_open_reweight(lua_State *L);

/* mdexafs.distance(r, ref [, opts]) and check_distance(opts) (in
 * lua_stats.c). */
int mdx_lua_distance(lua_State *L);
int mdx_lua_check_distance(lua_State *L);

/* Push a table of the path's metadata: frame, atom, num, nleg, deg, reff,
 * type, elements, absorber, dir; reading another field raises (in
 * lua_meta.c). */
void mdx_lua_push_meta(lua_State *L, const mdx_path_meta *m);

/* Refuse a path-parameter table at idx with unknown names or values other
 * than numbers — or, with per_path, tables of path type = number and
 * functions of the path (in lua_params.c). */
void mdx_lua_check_params(lua_State *L, int idx, int per_path);

/* Set *par from the checked table at idx of numbers only (in
 * lua_params.c). */
void mdx_lua_path_params(lua_State *L, int idx, mdx_chi_params *par);

/* Hand the checked per-path table at idx to query q: numbers and tables
 * of path type = number as values, functions as per-path parameters. */
void mdx_lua_query_params(lua_State *L, int idx, mdx_query *q);

/* Set the parameters of path m that the table at idx gives as functions:
 * calls them, so call it protected. */
void mdx_lua_param_functions(lua_State *L, int idx, const mdx_path_meta *m,
                             mdx_chi_params *par);

/* The options table of the write methods at idx (see lua_write.c). */
mdx_output mdx_lua_write_options(lua_State *L, int idx);

/* The xftf options table at idx (kmin kmax dk dk2 kweight window rmax_out
 * nfft kstep), with larch's names and defaults (in lua_chir.c). */
mdx_xft_options mdx_lua_xft_options(lua_State *L, int idx);

/* mdexafs.plot{...} (in lua_plot.c). */
int mdx_lua_plot(lua_State *L);

/* mdexafs.figure{...}, and the page options (size, dpi, legend) of the
 * table at idx that it and mdx.plot share (in lua_figure.c). */
int mdx_lua_figure(lua_State *L);
mdx_page mdx_lua_page_options(lua_State *L, int idx, const char *what);

/* r:xftf{...} -> chi(R) of a chi(k) result (in lua_chir.c). */
int mdx_lua_result_xftf(lua_State *L);

/* r:wavelet{...} -> the Cauchy wavelet map of a chi(k) result (in
 * lua_wavelet.c). */
int mdx_lua_result_wavelet(lua_State *L);

/* mdexafs.read_chi(file) -> result: the k and chi columns of a file. */
int mdx_lua_read_chi(lua_State *L);

/* mdexafs.fit{data, model, vars, params, transform} -> fit (in
 * lua_fit_report.c, the model in lua_fit.c). */
int mdx_lua_fit(lua_State *L);
int mdx_lua_lcf(lua_State *L);

/* mdexafs.open(path) -> source | nil, message; mdexafs.choose{...} ->
 * source | nil, plan (in lua_source.c) */
int mdx_lua_open(lua_State *L);
int mdx_lua_choose(lua_State *L);

/* mdexafs.path_kind, folder_empty, make_folders, file_info, list_folder
 * (in lua_fs.c) */
int mdx_lua_path_kind(lua_State *L);
int mdx_lua_folder_empty(lua_State *L);
int mdx_lua_make_folders(lua_State *L);
int mdx_lua_file_info(lua_State *L);
int mdx_lua_list_folder(lua_State *L);

/* mdexafs.feff_run (in lua_feff_run.c) */
int mdx_lua_feff_run(lua_State *L);

/* The option prefer ("feff.bin" or "feffNNNN.dat") of the table at idx:
 * which files folders with both are read from; MDX_PREFER_RECORDED when
 * it is not given. */
enum mdx_prefer mdx_lua_opt_prefer(lua_State *L, int idx, const char *what);

/* Register the metatables and methods of each userdata type. */
void mdx_lua_open_source(lua_State *L);
void mdx_lua_open_result(lua_State *L);
void mdx_lua_open_chir(lua_State *L);

#endif
