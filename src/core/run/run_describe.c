/* Where the FEFF runs of a tree stand (mdexafs info TREE): how many
 * folders are finished, failed, interrupted or not run, and each failure
 * with its reason. A tree without a run is refused: a database was
 * meant. */
#include <stdio.h>
#include <string.h>

#include "run_private.h"

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
    mdx_run_folders_free(&f);
    return rc;
}
