/* libFuzzer harness: the feff.bin reader, then chi(k) of the paths it
 * accepts. Any input must give either a clear error or paths that keep
 * the reader's promises; crashes, leaks and undefined behaviour are
 * reported by the sanitizers. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/chi.h"
#include "mdexafs/feff.h"
#include "fuzz.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    mdx_feffbin fb;
    mdx_error err;
    if (!text)
        return 0;
    if (mdx_feffbin_parse(text, size, "fuzz", 0, NULL, 0, &fb, &err) == MDX_OK) {
        check(fb.npaths >= 1 && fb.npoints >= MDX_MIN_ROWS);
        double k[MDX_NK], chi[MDX_NK];
        mdx_chi_params par = mdx_chi_defaults();
        mdx_chi_work w = {0};
        mdx_kgrid(k);
        for (size_t i = 0; i < fb.npaths; i++) {
            const mdx_path *p = &fb.paths[i];
            check(p->nrows == fb.npoints && p->nleg >= 2 && p->legs != NULL);
            for (size_t r = 0; r < p->nrows; r++)
                for (int c = 0; c < MDX_NCOLUMNS; c++)
                    check(isfinite(p->col[c][r]));
            mdx_chi(p, &par, MDX_NK, k, chi, &w, &err);
        }
        mdx_chi_work_free(&w);
        mdx_feffbin_free(&fb);
    } else {
        check(err.msg[0] != '\0' && fb.paths == NULL);
    }
    free(text);
    return 0;
}
