/* What sharing potentials costs a folder, measured: its chi.dat from the
 * path modules on its group's potentials against the chi.dat of its run
 * in full, kept aside (MDX_POT_CHECK), by mdx_chi_match_e0. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/chi.h"
#include "mdexafs/feff.h"
#include "run_private.h"
#include "util/file.h"

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
        fprintf(out.fp, MDX_POT_CHECK_HEAD "%s\n", hash);
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
    snprintf(want, sizeof want, MDX_POT_CHECK_HEAD "%s\n", ok ? hash : "");
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
    return st;
}

mdx_status mdx_pot_compare(const char *dir, mdx_run_check *c, mdx_error *err)
{
    char shared_path[4096], full_path[4096];
    snprintf(shared_path, sizeof shared_path, "%s/chi.dat", dir);
    snprintf(full_path, sizeof full_path, "%s/%s", dir, MDX_POT_CHECK);
    double *shared = NULL, *full = NULL;
    size_t ns = 0, nf = 0;
    mdx_chi_match m;
    mdx_status st = read_chidat(shared_path, &shared, &ns, err);
    if (st == MDX_OK)
        st = read_chidat(full_path, &full, &nf, err);
    if (st == MDX_OK && (st = mdx_chi_match_e0(shared, ns, full, nf, MDX_POT_CHECK_KMIN,
                                               MDX_POT_CHECK_KMAX, &m, err)) != MDX_OK)
        snprintf(err->file, sizeof err->file, "%s", dir);
    if (st == MDX_OK)
        *c = (mdx_run_check){c->dir, m.raw, m.rfactor, m.e0, m.amplitude};
    free(shared);
    free(full);
    return st;
}
