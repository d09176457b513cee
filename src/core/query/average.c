/* Averages across folders. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/query.h"

struct mdx_average {
    size_t n;          /* points: the shortest of the folders added */
    double *k;
    double *sum;       /* plain sum, for the mean (as the reference) */
    double *mean, *m2; /* Welford's running mean and squared deviations */
    size_t nfolders, npaths;
    size_t nwith;      /* folders with at least one path */
};

mdx_status mdx_average_new(size_t n, const double *k, mdx_average **out,
                           mdx_error *err)
{
    mdx_average *a = calloc(1, sizeof *a);
    *out = NULL;
    if (a) {
        a->n = n;
        a->k = malloc((n ? n : 1) * sizeof *a->k);
        a->sum = calloc(n ? n : 1, sizeof *a->sum);
        a->mean = calloc(n ? n : 1, sizeof *a->mean);
        a->m2 = calloc(n ? n : 1, sizeof *a->m2);
    }
    if (!a || !a->k || !a->sum || !a->mean || !a->m2) {
        mdx_average_free(a);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    memcpy(a->k, k, n * sizeof *k);
    *out = a;
    return MDX_OK;
}

void mdx_average_add(mdx_average *a, const double *chi, size_t n,
                     size_t npaths)
{
    if (n < a->n)
        a->n = n;
    a->nfolders++;
    a->npaths += npaths;
    a->nwith += npaths > 0;
    for (size_t i = 0; i < a->n; i++) {
        double delta = chi[i] - a->mean[i];
        a->sum[i] += chi[i];
        a->mean[i] += delta / (double)a->nfolders;
        a->m2[i] += delta * (chi[i] - a->mean[i]);
    }
}

int mdx_average_add_aligned(mdx_average *a, const double *k,
                            const double *chi, size_t n, size_t npaths)
{
    size_t kept = 0, j = 0;
    int differs = n != a->n;
    a->nfolders++;
    a->npaths += npaths;
    a->nwith += npaths > 0;
    for (size_t i = 0; i < a->n; i++) {
        while (j < n && k[j] < a->k[i])
            j++;
        if (j == n || k[j] != a->k[i]) {  /* not in this grid: dropped */
            differs = 1;
            continue;
        }
        double v = chi[j++], delta = v - a->mean[i];
        a->k[kept] = a->k[i];
        a->sum[kept] = a->sum[i] + v;
        a->mean[kept] = a->mean[i] + delta / (double)a->nfolders;
        a->m2[kept] = a->m2[i] + delta * (v - a->mean[kept]);
        kept++;
    }
    a->n = kept;
    return differs;
}

size_t mdx_average_size(const mdx_average *a) { return a->n; }
const double *mdx_average_k(const mdx_average *a) { return a->k; }
size_t mdx_average_nfolders(const mdx_average *a) { return a->nfolders; }
size_t mdx_average_nwith(const mdx_average *a) { return a->nwith; }
size_t mdx_average_npaths(const mdx_average *a) { return a->npaths; }

void mdx_average_result(const mdx_average *a, double *mean, double *sem)
{
    double nf = (double)a->nfolders;
    for (size_t i = 0; i < a->n; i++) {
        mean[i] = a->nfolders ? a->sum[i] / nf : NAN;
        if (sem)
            sem[i] = a->nfolders > 1 ? sqrt(a->m2[i] / (nf - 1) / nf) : 0;
    }
}

void mdx_average_free(mdx_average *a)
{
    if (!a)
        return;
    free(a->k);
    free(a->sum);
    free(a->mean);
    free(a->m2);
    free(a);
}
