/* What sharing potentials costs a folder, measured: its chi.dat from the
 * path modules on its group's potentials against the chi.dat of its run
 * in full, kept aside (MDX_POT_CHECK). Both weighted by k^w over the
 * check's k range: the worst raw difference, and the R-factor left once
 * one E0 shift and one amplitude, the two a fit's E0 and S0^2 absorb, are
 * chosen best. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/chi.h"
#include "mdexafs/feff.h"
#include "run_private.h"
#include "util/file.h"
#include "util/spline.h"

#define CHECK_HEAD "# mdexafs feff --check: FEFF's chi.dat of this folder's run in full " \
                   "(on its own potentials), feff.inp "

mdx_status mdx_pot_check_keep(const char *dir, const char *scratch, const char *hash,
                              mdx_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/chi.dat", scratch);
    char *text;
    size_t len;
    mdx_status st = mdx_read_file(path, &text, &len, err);
    if (st != MDX_OK)
        return st;
    snprintf(path, sizeof path, "%s/%s", dir, MDX_POT_CHECK);
    mdx_outfile out;
    if ((st = mdx_outfile_open(&out, path, err)) == MDX_OK) {
        fprintf(out.fp, CHECK_HEAD "%s\n", hash);
        fwrite(text, 1, len, out.fp);
        st = mdx_outfile_commit(&out, err);
    }
    free(text);
    return st;
}

int mdx_pot_check_current(const char *dir)
{
    char path[4096], line[256], hash[17], want[256];
    snprintf(path, sizeof path, "%s/%s", dir, MDX_POT_CHECK);
    FILE *fp = fopen(path, "r");
    int ok = fp && fgets(line, sizeof line, fp) && mdx_run_inp_hash(dir, hash, NULL) == MDX_OK;
    snprintf(want, sizeof want, CHECK_HEAD "%s\n", ok ? hash : "");
    if (fp)
        fclose(fp);
    return ok && !strcmp(line, want);
}

/* The k and chi columns of chi.dat file `path` (*kchi as
 * mdx_chidat_parse gives them). */
static mdx_status read_chidat(const char *path, double **kchi, size_t *n, mdx_error *err)
{
    char *text;
    size_t len;
    mdx_status st = mdx_read_file(path, &text, &len, err);
    if (st == MDX_OK)
        st = mdx_chidat_parse(text, path, kchi, n, err);
    free(text);
    if (st == MDX_OK && *n < 4)
        st = mdx_error_set(err, MDX_ERR_FORMAT, path, 0, "fewer than 4 points");
    return st;
}

/* The two spectra of a check on the full run's k points in range:
 * d = k^w full(k), and the shared run's spline. */
typedef struct spectra {
    const double *k, *d;
    size_t n;
    mdx_spline s;
    double weight_sum;   /* sum d^2 */
} spectra;

/* m(k) = k^w shared(sqrt(k^2 - e0 ETOK)) at point i; *piece the
 * spline's piece of the point before (q grows with k). */
static double model(const spectra *sp, size_t i, double e0, size_t *piece)
{
    double q2 = sp->k[i] * sp->k[i] - e0 * MDX_ETOK;
    double q = q2 > 0 ? sqrt(q2) : 0;
    *piece = mdx_spline_piece(&sp->s, q, *piece);
    return pow(sp->k[i], MDX_CHECK_KWEIGHT) * mdx_spline_at(&sp->s, *piece, 0, q);
}

/* The R-factor at e0 with the best amplitude (into *a). */
static double rfactor(const spectra *sp, double e0, double *a)
{
    double md = 0, mm = 0;
    size_t piece = 0;
    for (size_t i = 0; i < sp->n; i++) {
        double m = model(sp, i, e0, &piece);
        md += m * sp->d[i], mm += m * m;
    }
    *a = mm > 0 ? md / mm : 0;
    double r = 0;
    piece = 0;
    for (size_t i = 0; i < sp->n; i++) {
        double diff = *a * model(sp, i, e0, &piece) - sp->d[i];
        r += diff * diff;
    }
    return r / sp->weight_sum;
}

/* The e0 of least R-factor in [-20, 20] eV: the best of a 0.05 eV grid,
 * then a golden-section search around it. */
static double best_e0(const spectra *sp)
{
    const double step = 0.05, golden = 0.6180339887498949;
    double best = 0, a, rbest = INFINITY;
    for (int i = -400; i <= 400; i++) {
        double r = rfactor(sp, i * step, &a);
        if (r < rbest)
            rbest = r, best = i * step;
    }
    double lo = best - step, hi = best + step;
    double x1 = hi - golden * (hi - lo), x2 = lo + golden * (hi - lo);
    double r1 = rfactor(sp, x1, &a), r2 = rfactor(sp, x2, &a);
    while (hi - lo > 1e-9) {
        if (r1 < r2)
            hi = x2, x2 = x1, r2 = r1, x1 = hi - golden * (hi - lo), r1 = rfactor(sp, x1, &a);
        else
            lo = x1, x1 = x2, r1 = r2, x2 = lo + golden * (hi - lo), r2 = rfactor(sp, x2, &a);
    }
    return 0.5 * (lo + hi);
}

mdx_status mdx_pot_compare(const char *dir, mdx_run_check *c, mdx_error *err)
{
    char shared_path[4096], full_path[4096];
    snprintf(shared_path, sizeof shared_path, "%s/chi.dat", dir);
    snprintf(full_path, sizeof full_path, "%s/%s", dir, MDX_POT_CHECK);
    double *shared = NULL, *full = NULL, *coef = NULL, *scratch = NULL, *d = NULL;
    size_t ns = 0, nf = 0;
    mdx_status st = read_chidat(shared_path, &shared, &ns, err);
    if (st == MDX_OK)
        st = read_chidat(full_path, &full, &nf, err);
    size_t first = 0, n = 0;   /* the full run's points in range */
    for (size_t i = 0; st == MDX_OK && i < nf; i++)
        if (full[i] >= MDX_CHECK_KMIN - 1e-9 && full[i] <= MDX_CHECK_KMAX + 1e-9)
            first = n ? first : i, n++;
    if (st == MDX_OK && (n < 2 || shared[0] > MDX_CHECK_KMIN - 1 || shared[ns - 1] <
                         MDX_CHECK_KMAX + 0.5))
        st = mdx_error_set(err, MDX_ERR_FORMAT, n < 2 ? full_path : shared_path, 0, "does "
                           "not cover k %g to %g", MDX_CHECK_KMIN, MDX_CHECK_KMAX);
    if (st == MDX_OK && (!(coef = malloc(4 * ns * sizeof *coef)) ||
                         !(scratch = malloc(6 * ns * sizeof *scratch)) ||
                         !(d = malloc(n * sizeof *d))))
        st = mdx_error_set(err, MDX_ERR_NOMEM, dir, 0, "out of memory");
    if (st == MDX_OK) {
        spectra sp = {.k = full + first, .d = d, .n = n};
        const double *y = shared + ns;
        mdx_spline_fit(&sp.s, ns, 1, shared, &y, coef, scratch);
        double top = 0, worst = 0;
        size_t piece = 0;
        for (size_t i = 0; i < n; i++) {
            d[i] = pow(sp.k[i], MDX_CHECK_KWEIGHT) * full[nf + first + i];
            sp.weight_sum += d[i] * d[i];
            top = fmax(top, fabs(d[i]));
            worst = fmax(worst, fabs(model(&sp, i, 0, &piece) - d[i]));
        }
        if (top == 0)
            st = mdx_error_set(err, MDX_ERR_FORMAT, full_path, 0, "chi is 0 throughout");
        else {
            c->raw = worst / top;
            c->e0 = best_e0(&sp);
            c->rfactor = rfactor(&sp, c->e0, &c->amplitude);
        }
    }
    free(shared);
    free(full);
    free(coef);
    free(scratch);
    free(d);
    return st;
}
