/* Where the FEFF runs of a tree stand (mdexafs info TREE): how many
 * folders are finished, failed, interrupted or not run, and each failure
 * with its reason; how many ran on another folder's potentials, and what
 * that cost those also run in full (mdexafs feff --check). A tree without
 * a run is refused: a database was meant. */
#include <stdio.h>
#include <string.h>

#include "run_private.h"

/* The finished folders that ran on another folder's potentials, and the
 * checks of those also run in full. */
static mdx_status describe_potentials(const mdx_run_folders *f, FILE *out, mdx_error *err)
{
    char from[4096], hash[17], reason[MDX_RUN_REASON_MAX];
    size_t shared = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && shared)
            fprintf(out, "potentials  %zu finished folders ran on another folder's "
                    "(mdexafs feff --potentials=once; each names it in " MDX_POT_NOTE ")\n",
                    shared);
        for (size_t i = 0; i < f->n; i++) {
            if (mdx_run_state(f->dir[i], reason, sizeof reason, NULL) != MDX_RUN_OK)
                continue;
            int note = mdx_pot_note_read(f->dir[i], from, sizeof from, hash, err);
            if (note < 0)
                return err ? err->code : MDX_ERR_FORMAT;
            if (pass == 0) {
                shared += note;
                continue;
            }
            mdx_run_check c;
            mdx_error e;
            if (note && mdx_pot_check_current(f->dir[i])) {
                if (mdx_pot_compare(f->dir[i], &c, &e) == MDX_OK)
                    fprintf(out, "checked     %s in full: raw difference %.3g, R-factor "
                            "%.3g after an E0 shift of %+.3f eV and amplitude %.4f\n",
                            f->dir[i], c.raw, c.rfactor, c.e0, c.amplitude);
                else
                    fprintf(out, "checked     %s in full: cannot compare: %s\n", f->dir[i],
                            e.msg);
            }
        }
    }
    return MDX_OK;
}

mdx_status mdx_run_describe(const char *tree, FILE *out, mdx_error *err)
{
    static const char *const names[] = {
        [MDX_RUN_NONE] = "not run", [MDX_RUN_OK] = "finished",
        [MDX_RUN_STALE] = "finished with another feff.inp",
        [MDX_RUN_FAILED] = "failed", [MDX_RUN_CUT] = "interrupted"};
    size_t count[5] = {0};
    mdx_run_folders f = {0};
    mdx_status rc = mdx_run_find_folders(tree, &f, err);
    if (rc == MDX_OK && f.n == 0)
        rc = mdx_error_set(err, MDX_ERR_ARG, tree, 0, "no folder with a feff.inp below it");
    char reason[MDX_RUN_REASON_MAX];
    for (int pass = 0; rc == MDX_OK && pass < 2; pass++) {
        if (pass == 1 && count[MDX_RUN_NONE] == f.n) {  /* likely a database meant */
            rc = mdx_error_set(err, MDX_ERR_ARG, tree, 0, "is a folder, not a database, and "
                               "mdexafs feff has run in none of its folders");
            break;
        }
        if (pass == 1) {
            fprintf(out, "tree        %s\nfolders     %zu with a feff.inp\nruns       ", tree,
                    f.n);
            static const int order[] = {MDX_RUN_OK, MDX_RUN_STALE, MDX_RUN_FAILED,
                                        MDX_RUN_CUT, MDX_RUN_NONE};
            for (int s = 0; s < 5; s++)
                fprintf(out, " %zu %s%s", count[order[s]], names[order[s]],
                        s < 4 ? "," : "\n");
        }
        for (size_t i = 0; rc == MDX_OK && i < f.n; i++) {
            int state = mdx_run_state(f.dir[i], reason, sizeof reason, err);
            if (state < 0)
                rc = err ? err->code : MDX_ERR_IO;
            else if (pass == 0)
                count[state]++;
            else if (state == MDX_RUN_FAILED)
                fprintf(out, "failed      %s: %s\n", f.dir[i], reason);
        }
    }
    if (rc == MDX_OK)
        rc = describe_potentials(&f, out, err);
    mdx_run_folders_free(&f);
    return rc;
}
