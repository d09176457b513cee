/* libFuzzer harness: the FEFF path-file parser, then chi(k) of whatever it
 * accepts. Any input must give either a clear error or a path that keeps
 * the parser's promises; crashes, leaks and undefined behaviour are
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
    mdx_path p;
    mdx_error err;
    if (!text)
        return 0;
    if (mdx_feff_parse(text, size, "fuzz", &p, &err) == MDX_OK) {
        check(p.nrows >= MDX_MIN_ROWS && p.nleg >= 2 && p.legs != NULL);
        for (size_t i = 0; i < p.nrows; i++)
            for (int c = 0; c < MDX_NCOLUMNS; c++)
                check(isfinite(p.col[c][i]));
        for (size_t i = 1; i < p.nrows; i++)
            check(p.col[MDX_COL_K][i] > p.col[MDX_COL_K][i - 1]);
        for (int l = 0; l < p.nleg; l++) {  /* a label is one word */
            const unsigned char *c = (const unsigned char *)p.legs[l].label;
            check(*c != '\0');
            for (; *c; c++)
                check(*c > ' ');
        }
        char type[1024];
        check(mdx_path_type(&p, type, sizeof type) < sizeof type);
        double k[MDX_NK], chi[MDX_NK];
        mdx_chi_params par = mdx_chi_defaults();
        mdx_chi_work w = {0};
        mdx_kgrid(k);
        mdx_chi(&p, &par, MDX_NK, k, chi, &w, &err);
        mdx_chi_work_free(&w);
        mdx_path_free(&p);
    } else {
        check(err.msg[0] != '\0' && p.legs == NULL && p.col[0] == NULL);
    }
    free(text);
    return 0;
}
