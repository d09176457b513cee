/* Averages across folders, and k-chi files. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/average.h"
#include "mdexafs/file.h"
#include "mdexafs/number.h"

mdx_status mdx_average_init(mdx_average *a, size_t n, const double *k,
                            mdx_error *err)
{
    memset(a, 0, sizeof *a);
    a->n = n;
    a->k = malloc((n ? n : 1) * sizeof *a->k);
    a->sum = calloc(n ? n : 1, sizeof *a->sum);
    a->mean = calloc(n ? n : 1, sizeof *a->mean);
    a->m2 = calloc(n ? n : 1, sizeof *a->m2);
    if (!a->k || !a->sum || !a->mean || !a->m2) {
        mdx_average_free(a);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    memcpy(a->k, k, n * sizeof *k);
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

void mdx_average_result(const mdx_average *a, double *mean, double *sem)
{
    double nf = (double)a->nfolders;
    for (size_t i = 0; i < a->n; i++) {
        mean[i] = a->nfolders ? a->sum[i] / nf : 0;
        if (sem)
            sem[i] = a->nfolders > 1 ? sqrt(a->m2[i] / (nf - 1) / nf) : 0;
    }
}

void mdx_average_free(mdx_average *a)
{
    free(a->k);
    free(a->sum);
    free(a->mean);
    free(a->m2);
    memset(a, 0, sizeof *a);
}

/* One value of a k chi file, followed by `sep`. */
static void put_value(FILE *fp, double v, int full, char sep)
{
    char buf[32];
    if (full)
        fprintf(fp, "%s%c", mdx_format_shortest(v, buf), sep);
    else
        fprintf(fp, "%.6f%c", v, sep);
}

mdx_status mdx_write_chi(const char *file, const char *header,
                         const char *labels, int full, size_t n,
                         const double *k, const double *chi,
                         const double *sem, mdx_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(k[i]) || !isfinite(chi[i]) || (sem && !isfinite(sem[i])))
            return mdx_error_set(err, MDX_ERR_ARG, file, 0, "not written: "
                                 "row %zu (k = %g) holds a value that is not "
                                 "finite", i + 1, k[i]);
    mdx_outfile out;
    mdx_status rc = mdx_outfile_open(&out, file, err);
    if (rc)
        return rc;
    fprintf(out.fp, "# %s\n# %s\n", header, labels);
    for (size_t i = 0; i < n; i++) {
        put_value(out.fp, k[i], full, ' ');
        put_value(out.fp, chi[i], full, sem ? ' ' : '\n');
        if (sem)
            put_value(out.fp, sem[i], full, '\n');
    }
    return mdx_outfile_commit(&out, err);
}
