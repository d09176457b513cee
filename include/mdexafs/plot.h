/* mdexafs plots: curves overlaid in one or more stacked panels, written as
 * PNG, SVG or PDF through PLplot (text stays text in SVG and PDF). */
#ifndef MDEXAFS_PLOT_H
#define MDEXAFS_PLOT_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

typedef struct mdx_curve {
    size_t n;
    const double *x, *y;
    const char *label;       /* legend text; NULL or "" for none */
    const double *lo, *hi;   /* a band around the curve, shaded in its
                                colour (the standard error), or NULL */
} mdx_curve;

/* A map: z over a grid of x and y (a wavelet transform's magnitude over
 * k and R), drawn as an image with a colour bar. */
typedef struct mdx_map {
    size_t nx, ny;
    const double *x, *y;     /* increasing, nx and ny of them */
    const double *z;         /* ny rows of nx: z[j * nx + i] at x[i], y[j] */
    const char *zlabel;      /* the colour bar's label; NULL or "" for none */
} mdx_map;

typedef struct mdx_panel {
    const char *xlabel, *ylabel, *title;  /* PLplot text: #gx is chi */
    double xmin, xmax;                    /* x range shown */
    double xstep;                         /* x tick interval; 0: chosen */
    size_t ncurves;
    const mdx_curve *curves;
    const mdx_map *map;                   /* drawn under the curves (its y
                                             range the panel's), or NULL */
} mdx_panel;

/* Where a panel's legend goes. */
enum mdx_legend { MDX_LEGEND_INSIDE, MDX_LEGEND_OUTSIDE, MDX_LEGEND_NONE };

/* "inside", "outside", "none" (NULL beyond the enum). */
MDX_API const char *mdx_legend_name(enum mdx_legend l);

/* The page: its size and resolution, and the legends' place. */
typedef struct mdx_page {
    double width, height;   /* inches; 0: 9.375 x 4.375 per panel (900 x
                               420 pixels at 96 per inch) */
    double dpi;             /* pixels per inch of a PNG (0: 96) */
    enum mdx_legend legend;
} mdx_page;

/* mdx_plot on the page given. MDX_ERR_ARG for a size or resolution that
 * is not a positive number, or a page of more than 20000 pixels a side. */
MDX_API mdx_status mdx_plot_page(const char *file, const mdx_panel *panels,
                                 size_t npanels, const mdx_page *page,
                                 mdx_error *err);

/* Draw the panels one above the other into `file`, a .png, .svg or .pdf
 * (by its extension), whole or not at all. Each curve has its own colour
 * and its own line style, so that a black-and-white print tells them
 * apart too. */
MDX_API mdx_status mdx_plot(const char *file, const mdx_panel *panels, size_t npanels,
                            mdx_error *err);

MDX_END_DECLS

#endif
