/* Reading a feff.bin with the files FEFF writes beside it: the number of
 * points from xsect.bin, and the paths list.dat lists, checked against
 * the feff.bin (a list.dat of another run is refused); without list.dat,
 * the paths of paths.dat must all be there (a feff.bin cut short). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feffbin_private.h"
#include "util/file.h"
#include "mdexafs/feff.h"

/* ne1 from xsect.bin: the second number of the line after the one that
 * ends "method to calculate xsect" (FEFF's "gamach, # of points"). */
static mdx_status xsect_points(const mdx_text *t, size_t *ne1, mdx_error *err)
{
    const char *file = t->name;
    mdx_fb_reader r = {file, t->text, t->text + t->len, NULL, 0, 0, 8, err};
    long n = -1;
    while (mdx_fb_next_line(&r))
        if (mdx_fb_contains(&r, "method to calculate")) {
            char buf[256];
            double gamach;
            if (mdx_fb_next_line(&r) && r.len < sizeof buf) {
                memcpy(buf, r.line, r.len);
                buf[r.len] = '\0';
                if (sscanf(buf, "%lf %ld", &gamach, &n) != 2 || n < 1)
                    n = -1;
            }
            break;
        }
    if (n < 0)
        return mdx_error_set(err, MDX_ERR_FORMAT, file, r.lineno, "no number "
                             "of points after the 'method to calculate "
                             "xsect' line");
    *ne1 = (size_t)n;
    return MDX_OK;
}

/* One path line of list.dat: "index sig2 amp-ratio deg nlegs reff". */
typedef struct listed {
    int index, nleg;
    double deg, reff;
    long line;
} listed;

/* Parse the current line as a path line; 0 if it is not one. */
static int path_line(const mdx_fb_reader *r, listed *e)
{
    char buf[256], *w[6];
    long index, nleg;
    double sig2, amp;
    if (mdx_fb_words(r, 0, buf, sizeof buf, w, 6) != 6 || !mdx_fb_to_int(w[0], 0, 99999999, &index) ||
        !mdx_fb_to_double(w[1], &sig2) || !mdx_fb_to_double(w[2], &amp) ||
        !mdx_fb_to_double(w[3], &e->deg) || !mdx_fb_to_int(w[4], 2, MDX_NLEG_MAX, &nleg) ||
        !mdx_fb_to_double(w[5], &e->reff))
        return 0;
    e->index = (int)index;
    e->nleg = (int)nleg;
    e->line = r->lineno;
    return 1;
}

/* The paths list.dat lists, each line after the one naming "pathindex"
 * (*list is malloc'd); any other line there is an error. */
static mdx_status list_paths(const mdx_text *t, listed **list, size_t *n,
                             mdx_error *err)
{
    const char *file = t->name;
    size_t cap = 0;
    mdx_status rc = MDX_OK;
    mdx_fb_reader r = {file, t->text, t->text + t->len, NULL, 0, 0, 8, err};
    int in_list = 0;
    *list = NULL;
    *n = 0;
    while (rc == MDX_OK && mdx_fb_next_line(&r)) {
        if (!in_list) {
            in_list = mdx_fb_contains(&r, "pathindex");
            continue;
        }
        if (strspn(r.line, " \t") == r.len)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            listed *grown = realloc(*list, cap * sizeof *grown);
            if (!grown) {
                rc = mdx_error_set(err, MDX_ERR_NOMEM, file, 0,
                                   "out of memory");
                break;
            }
            *list = grown;
        }
        if (!path_line(&r, &(*list)[*n]))
            rc = mdx_error_set(err, MDX_ERR_FORMAT, file, r.lineno, "not a "
                               "path line 'index sig2 amp deg nlegs reff'");
        ++*n;
    }
    if (rc == MDX_OK && !in_list)
        rc = mdx_error_set(err, MDX_ERR_FORMAT, file, 0, "no 'pathindex' "
                           "line: not FEFF's list.dat");
    else if (rc == MDX_OK && *n == 0)
        rc = mdx_error_set(err, MDX_ERR_FORMAT, file, 0, "no path listed "
                           "after its 'pathindex' line: FEFF found none "
                           "(RPATH below the nearest neighbour?)");
    if (rc) {
        free(*list);
        *list = NULL;
    }
    return rc;
}

/* Does a value of feff.bin read as list.dat printed it, to half a unit
 * of its last digit? feff.bin holds single precision values: a value half
 * way between two printed ones (4.2540500 printed 4.2540) may go either
 * way, and its difference comes out a little above the half unit. */
static int printed_as(double value, double printed, double half_unit)
{
    return fabs(value - printed) <= half_unit + 4 * FLT_EPSILON * fabs(value);
}

/* Do the paths list.dat lists agree with feff.bin's (nleg, degeneracy,
 * reff as list.dat prints them)? A list.dat of another run does not. */
static mdx_status list_agrees(const char *file, const listed *list, size_t n,
                              const mdx_feffbin *fb, mdx_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const mdx_path *p = fb->paths;
        while (p < fb->paths + fb->npaths && p->index != list[i].index)
            p++;
        if (p->nleg != list[i].nleg || !printed_as(p->deg, list[i].deg, 5e-4) ||
            !printed_as(p->reff, list[i].reff, 5e-5))
            return mdx_error_set(err, MDX_ERR_FORMAT, file, list[i].line,
                                 "path %d: nleg %d, deg %g, reff %g here but "
                                 "%d, %g, %.5f in feff.bin: a list.dat of "
                                 "another run?", list[i].index, list[i].nleg,
                                 list[i].deg, list[i].reff, p->nleg, p->deg,
                                 p->reff);
    }
    return MDX_OK;
}

/* Without list.dat: is every path of paths.dat (the pathfinder's, each
 * of which genfmt writes to feff.bin) in feff.bin? A feff.bin cut short
 * at a path record would otherwise lose paths without a word. */
static mdx_status paths_all_there(const mdx_text *t, const mdx_feffbin *fb,
                                  mdx_error *err)
{
    mdx_fb_reader r = {t->name, t->text, t->text + t->len, NULL, 0, 0, 8, err};
    size_t n = 0;
    while (mdx_fb_next_line(&r)) {
        char buf[256], *w[8];
        long index;
        if (!mdx_fb_contains(&r, "index, nleg, degeneracy"))
            continue;
        n++;
        if (mdx_fb_words(&r, 0, buf, sizeof buf, w, 8) < 1 ||
            !mdx_fb_to_int(w[0], 0, 99999999, &index))
            return mdx_error_set(err, MDX_ERR_FORMAT, t->name, r.lineno,
                                 "expected the path's index first");
        size_t i = 0;
        while (i < fb->npaths && fb->paths[i].index != index)
            i++;
        if (i == fb->npaths)
            return mdx_error_set(err, MDX_ERR_FORMAT, t->name, r.lineno,
                                 "path %ld, listed here, is not in feff.bin: "
                                 "is feff.bin cut short?", index);
    }
    if (n == 0)
        return mdx_error_set(err, MDX_ERR_FORMAT, t->name, 0, "no path "
                             "listed: not FEFF's paths.dat");
    return MDX_OK;
}

mdx_status mdx_feffbin_from_texts(const mdx_text *bin,
                                  const mdx_feffbin_beside *beside,
                                  mdx_feffbin *fb, mdx_error *err)
{
    const mdx_text *xsect = beside->xsect, *list_dat = beside->list_dat;
    size_t ne1 = 0, nlist = 0;
    listed *list = NULL;
    int *keep = NULL;
    mdx_status rc = MDX_OK;
    memset(fb, 0, sizeof *fb);
    if (xsect)
        rc = xsect_points(xsect, &ne1, err);
    if (rc == MDX_OK && list_dat) {
        rc = list_paths(list_dat, &list, &nlist, err);
        if (rc == MDX_OK && !(keep = malloc(nlist * sizeof *keep)))
            rc = mdx_error_set(err, MDX_ERR_NOMEM, bin->name, 0,
                               "out of memory");
        for (size_t i = 0; rc == MDX_OK && i < nlist; i++)
            keep[i] = list[i].index;
    }
    if (rc == MDX_OK)
        rc = mdx_feffbin_parse(bin->text, bin->len, bin->name, ne1, keep,
                               nlist, fb, err);
    if (rc == MDX_OK && list &&
        (rc = list_agrees(list_dat->name, list, nlist, fb, err)))
        mdx_feffbin_free(fb);
    else if (rc == MDX_OK && !list && beside->paths_dat &&
             (rc = paths_all_there(beside->paths_dat, fb, err)))
        mdx_feffbin_free(fb);
    free(keep);
    free(list);
    return rc;
}

/* Read `name` beside `file` into t (t->text NULL when there is no such
 * file); 0, or an error when it is there but cannot be read. */
static mdx_status read_beside(const char *file, const char *name,
                              char *buf, size_t size, mdx_text *t,
                              mdx_error *err)
{
    const char *slash = strrchr(file, '/');
    if (slash)
        snprintf(buf, size, "%.*s/%s", (int)(slash - file), file, name);
    else
        snprintf(buf, size, "%s", name);
    t->name = buf;
    t->text = NULL;
    FILE *probe = fopen(buf, "r");
    if (!probe)
        return MDX_OK;
    fclose(probe);
    return mdx_read_file(buf, &t->text, &t->len, err);
}

mdx_status mdx_feffbin_read(const char *file, mdx_feffbin *fb,
                            mdx_error *err)
{
    char names[3][4096];
    static const char *const beside_names[] = {"xsect.bin", "list.dat",
                                               "paths.dat"};
    mdx_text bin = {file, NULL, 0}, texts[3] = {{0}};
    memset(fb, 0, sizeof *fb);
    mdx_status rc = MDX_OK;
    for (int i = 0; i < 3 && rc == MDX_OK; i++)
        rc = read_beside(file, beside_names[i], names[i], sizeof names[i],
                         &texts[i], err);
    if (rc == MDX_OK)
        rc = mdx_read_file(file, &bin.text, &bin.len, err);
    mdx_feffbin_beside beside = {texts[0].text ? &texts[0] : NULL,
                                 texts[1].text ? &texts[1] : NULL,
                                 texts[2].text ? &texts[2] : NULL};
    if (rc == MDX_OK)
        rc = mdx_feffbin_from_texts(&bin, &beside, fb, err);
    free(bin.text);
    for (int i = 0; i < 3; i++)
        free(texts[i].text);
    return rc;
}

int mdx_feffbin_sniff(const char *file)
{
    char head[11];
    FILE *fp = fopen(file, "rb");
    if (!fp)
        return 0;
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    return n == sizeof head && (!memcmp(head, "#_feff.bin ", 11) ||
                                !memcmp(head, "#_feff.pad ", 11));
}

int mdx_prefer_from_name(const char *name, enum mdx_prefer *p)
{
    if (!strcmp(name, "feff.bin"))
        *p = MDX_PREFER_BIN;
    else if (!strcmp(name, "feffNNNN.dat"))
        *p = MDX_PREFER_DAT;
    else
        return 0;
    return 1;
}
