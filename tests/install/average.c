/* A C program using the installed libmdexafs as a user's would: open a
 * database (or a FEFF tree), select the U-O paths up to 3.0 Å, average
 * each folder's sum over the folders and write "k chi" at %.6f.
 *
 *     cc average.c $(pkg-config --cflags --libs mdexafs) -o average
 *     LD_LIBRARY_PATH=PREFIX/lib ./average SOURCE OUT
 * (or link with -Wl,-rpath,PREFIX/lib). */
#include <stdio.h>

#include <mdexafs/mdexafs.h>

static int add_folder(void *ctx, const mdx_folder_chi *f)
{
    mdx_average_add(ctx, f->chi, MDX_NK, f->npaths);
    return 0;  /* go on */
}

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

    double k[MDX_NK], mean[MDX_NK];
    mdx_kgrid(k);
    mdx_average avg;
    mdx_status rc = mdx_average_init(&avg, MDX_NK, k, &err);
    if (rc == MDX_OK)
        rc = mdx_source_sum(src, &sel, MDX_GROUP_NONE, add_folder, &avg, &err);
    if (rc == MDX_OK && avg.nwith == 0)  /* a typo in a type selects nothing */
        rc = mdx_error_set(&err, MDX_ERR_ARG, argv[1], 0, "no U-O path");
    if (rc == MDX_OK) {
        mdx_average_result(&avg, mean, NULL);
        mdx_chik curve = {MDX_NK, k, mean, NULL, 0, "U-O up to 3.0 A", "U",
                          "L3"};
        mdx_output plain = {0};
        rc = mdx_write_chik(argv[2], &plain, &curve, &err);
    }
    mdx_average_free(&avg);
    mdx_source_close(src);
    return rc ? fail(&err) : 0;
}
