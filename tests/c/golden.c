/* xraylarch goldens: reading them for comparisons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "testutil.h"

/* "# params s02=0.85 e0=3.5 ..." with larch's names third/fourth. */
static void read_params(const char *line, mdx_chi_params *par)
{
    static const char *const names[] = {"s02", "e0", "sigma2", "deltar",
                                        "third", "fourth", "ei"};
    double *slots[] = {&par->s02, &par->e0, &par->sigma2, &par->deltar,
                       &par->c3, &par->c4, &par->ei};
    int found = 0;
    for (int i = 0; i < 7; i++) {
        char key[16];
        snprintf(key, sizeof key, " %s=", names[i]);
        const char *p = strstr(line, key);
        if (p) {
            *slots[i] = strtod(p + strlen(key), NULL);
            found++;
        }
    }
    assert_int_equal(found, 7);
}

void load_golden(const char *rel, golden *g)
{
    char *text = read_text(data_path(rel), NULL), *save;
    g->par = mdx_chi_defaults();
    g->ncols = 0;
    int row = 0;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(line, "# params", 8)) {
            read_params(line, &g->par);
        } else if (!strncmp(line, "# k ", 4)) {
            char *s2, *w = strtok_r(line + 4, " ", &s2);
            for (; w; w = strtok_r(NULL, " ", &s2)) {
                assert_true(g->ncols < MAX_COLS);
                g->names[g->ncols++] = strdup(w);
            }
            g->chi = malloc((size_t)g->ncols * MDX_NK * sizeof *g->chi);
        } else {
            char *p = line;
            assert_true(row < MDX_NK);
            g->k[row] = strtod(p, &p);
            for (int c = 0; c < g->ncols; c++)
                g->chi[(size_t)c * MDX_NK + row] = strtod(p, &p);
            row++;
        }
    }
    assert_int_equal(row, MDX_NK);
    assert_true(g->ncols > 0);
    free(text);
}

void free_golden(golden *g)
{
    for (int c = 0; c < g->ncols; c++)
        free(g->names[c]);
    free(g->chi);
}


const double *golden_column(const golden *g, const char *name)
{
    for (int c = 0; c < g->ncols; c++)
        if (!strcmp(g->names[c], name))
            return g->chi + (size_t)c * MDX_NK;
    return NULL;
}
