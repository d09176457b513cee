/* A C program using the installed libmdexafs as a user's would: open a
 * database (or a FEFF tree), select the U-O paths up to 3.0 Å, average
 * each folder's sum over the folders and write "k chi" at %.6f.
 *
 *     cc average.c $(pkg-config --cflags --libs mdexafs) -o average
 *     LD_LIBRARY_PATH=PREFIX/lib ./average SOURCE OUT
 * (or link with -Wl,-rpath,PREFIX/lib). */
#include <stdio.h>

#include <mdexafs/mdexafs.h>

static int fail(const mdx_error *err)
{
    char msg[2048];
    mdx_error_format(err, msg, sizeof msg);
    fprintf(stderr, "average: %s (%s)\n", msg, mdx_status_name(err->code));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: average SOURCE OUT\n");
        return 2;
    }
    if (MDX_VERSION_NUMBER < 100 || !mdx_version()[0])
        return 1;  /* the headers and the library know their version */

    mdx_source *src;
    mdx_error err;
    if (mdx_source_open(argv[1], &src, &err))
        return fail(&err);
    mdx_type_rule uo = {"U-O", 3.0};
    mdx_selection sel;
    mdx_selection_init(&sel);
    sel.ntypes = 1;
    sel.types = &uo;

    /* The query checks what a bare mdx_source_sum would not: a type no
     * path has (a typo) is an error, and so is an average of nothing. */
    mdx_query *q;
    mdx_average *avg;
    double mean[MDX_NK];
    mdx_status rc = mdx_query_new(src, &sel, &q, &err);
    if (rc == MDX_OK && (rc = mdx_query_average(q, &avg, &err)) == MDX_OK) {
        mdx_average_result(avg, mean, NULL);
        mdx_chik curve = {mdx_average_size(avg), mdx_average_k(avg), mean, NULL, 0, mdx_query_label(q),
                          mdx_query_element(q), mdx_query_edge(q)};
        mdx_output plain = {0};
        rc = mdx_write_chik(argv[2], &plain, &curve, &err);
        mdx_average_free(avg);
    }
    mdx_query_free(q);
    mdx_source_close(src);
    return rc ? fail(&err) : 0;
}
