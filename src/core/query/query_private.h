/* What the files of queries share: the query itself, its parameter
 * table and the sets of names its paths had. */
#ifndef MDX_QUERY_PRIVATE_H
#define MDX_QUERY_PRIVATE_H

#include "mdexafs/query.h"

/* Distinct names (path types or element strings), sorted. */
typedef struct mdx_nameset {
    char **name;
    size_t n, cap;
} mdx_nameset;

/* Add a name if new; 0 when out of memory (in query_names.c). */
int mdx_nameset_add(mdx_nameset *s, const char *name);
int mdx_nameset_has(const mdx_nameset *s, const char *name);
void mdx_nameset_clear(mdx_nameset *s);
void mdx_nameset_free(mdx_nameset *s);

/* One value of the parameter table. */
typedef struct query_param {
    size_t offset;      /* of the double in mdx_chi_params */
    char name[8];       /* as given: "third" or "c3" */
    char *type;         /* NULL: every path; "*": the types not listed */
    double value;
    int function;       /* set per path by the params hook */
} query_param;

struct mdx_query {
    mdx_source *src;
    mdx_selection sel;      /* criteria owned, callbacks the caller's */
    int (*keep)(void *ctx, const mdx_path_meta *m);  /* the caller's */
    int (*params)(void *ctx, const mdx_path_meta *m, mdx_chi_params *par);
    void *keep_ctx, *params_ctx;
    query_param *par;
    size_t npar, par_cap;
    int skip_empty;
    int chidat;             /* the last run was mdx_query_chidat */
    char notes[512];
    char potentials[512];   /* the last sum's folders' shared potentials */
    char label[2048];
    mdx_nameset types_seen, elements_seen;  /* of the last run's paths */
    struct {                /* the first kept path of the last run */
        long frame, atom;
        int num, found;
        char element[8];
    } first;
    char element[8], edge[8];
    char error[1024];       /* what the query itself stopped a run for */
};

/* Say in the label when some folders the selection run allows had FEFF
 * potentials of another folder: how many, and whose. */
mdx_status mdx_query_note_potentials(mdx_query *q, const mdx_selection *run, mdx_error *err);

/* The parameter table's values for path m into *par (in
 * query_params.c); 0 ok, -1 with q->error set. */
int mdx_query_apply_params(mdx_query *q, const mdx_path_meta *m,
                           mdx_chi_params *par);

/* After the caller's params hook: the values it set per path must be
 * valid (else -1 with q->error set). */
int mdx_query_check_params(mdx_query *q, const mdx_path_meta *m,
                           mdx_chi_params *par);

/* "path parameters s02=0.9 sigma2=(by type)", or "" without any. */
void mdx_query_describe_params(const mdx_query *q, char *buf, size_t size);

void mdx_query_free_params(mdx_query *q);

/* After a run: the first name of the query that no selected path had,
 * as an error (in query_names.c); MDX_OK when all were met. */
mdx_status mdx_query_check_names(mdx_query *q, mdx_error *err);

#endif
