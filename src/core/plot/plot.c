/* Plots through PLplot: PNG and PDF by its cairo devices, SVG by its own
 * (which keeps text as text); a white page, black axes, one colour and
 * one line style per curve, shaded bands, maps as images with a colour
 * bar, and a legend. PLplot writes to
 * a temporary name beside the destination, renamed into place once the
 * page is complete. What PLplot would refuse (ticks too dense, a range it
 * cannot divide) is refused before it is called; an error PLplot raises
 * all the same ends the page, not the process (it calls exit()). */
#include <math.h>
#include <plplot.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mdexafs/plot.h"

#define MAX_CURVES 16

/* Why the page being drawn failed ("" while it has not): PLplot's
 * message, or a drawing's own. */
static char plplot_error[256];

const char *mdx_legend_name(enum mdx_legend l)
{
    static const char *const names[] = {"inside", "outside", "none"};
    return (unsigned)l < 3 ? names[l] : NULL;
}

/* Curve colours (a colour-blind-safe set), then black for the axes. */
static const int palette[][3] = {
    {0, 114, 178}, {213, 94, 0},  {0, 158, 115}, {204, 121, 167},
    {230, 159, 0}, {86, 180, 233}, {0, 0, 0},     {120, 120, 120},
};
#define NCOLOURS (int)(sizeof palette / sizeof palette[0])
#define AXES 15  /* cmap0 index used for axes and text */
#define BAND 14  /* cmap0 index of a band: its curve's colour, see-through */
#define NSTYLES 8  /* PLplot's line styles: solid, then dashes and dots */

/* Curve c's line style: with the colours cycling every NCOLOURS, the
 * styles shift by one each cycle, so that no two of 16 curves look alike. */
static PLINT style_of(size_t c)
{
    return 1 + (PLINT)((c + c / NCOLOURS) % NSTYLES);
}

/* Does any curve of the panel have a legend label? */
static int has_labels(const mdx_panel *p)
{
    for (size_t c = 0; c < p->ncurves; c++)
        if (p->curves[c].label && p->curves[c].label[0])
            return 1;
    return 0;
}

static void y_range(const mdx_panel *p, double *lo, double *hi)
{
    if (p->map) {  /* the map's own range, edge to edge */
        *lo = p->map->y[0];
        *hi = p->map->y[p->map->ny - 1];
        return;
    }
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t c = 0; c < p->ncurves; c++) {
        const mdx_curve *cv = &p->curves[c];
        for (size_t i = 0; i < cv->n; i++) {
            double x = cv->x[i], y = cv->y[i];
            if (x < p->xmin || x > p->xmax || !isfinite(y))
                continue;
            *lo = fmin(*lo, cv->lo ? fmin(y, cv->lo[i]) : y);
            *hi = fmax(*hi, cv->hi ? fmax(y, cv->hi[i]) : y);
        }
    }
    if (!(*lo <= *hi))
        *lo = -1, *hi = 1;
    double span = *hi - *lo, size = fmax(fabs(*lo), fabs(*hi));
    double pad = 0.05 * (span > 1e-9 * size ? span : size > 0 ? size : 1);
    *lo -= pad;
    *hi += pad;
}

#define MAX_TICKS 1000

/* Can PLplot draw an axis from lo to hi with ticks `step` apart? The
 * range must be finite and wide enough for numbers of its size to tell
 * its ends apart, and hold at most MAX_TICKS ticks (PLplot exits on too
 * many, and loops for ever on a step lost in the rounding). */
static mdx_status check_axis(const char *file, size_t panel, const char *x,
                             double lo, double hi, double step,
                             mdx_error *err)
{
    double span = hi - lo;
    if (!(isfinite(span) && span > 1e-9 * fmax(fabs(lo), fabs(hi))))
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "plot: panel %zu: "
                             "%s from %g to %g is no range a plot can show",
                             panel, x, lo, hi);
    if (span / step > MAX_TICKS)
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "plot: panel %zu: "
                             "%s ticks %g apart from %g to %g would be %.3g "
                             "of them (at most %d)", panel, x, step, lo, hi,
                             span / step, MAX_TICKS);
    return MDX_OK;
}

/* A map PLplot can draw: a grid of 2 x 2 points or more, increasing,
 * finite values. */
static mdx_status check_map(const char *file, size_t panel,
                            const mdx_map *m, mdx_error *err)
{
    int ok = m->nx >= 2 && m->ny >= 2 && m->nx <= 100000 && m->ny <= 100000;
    for (size_t i = 1; ok && i < m->nx; i++)
        ok = m->x[i] > m->x[i - 1] && isfinite(m->x[i]) && isfinite(m->x[0]);
    for (size_t j = 1; ok && j < m->ny; j++)
        ok = m->y[j] > m->y[j - 1] && isfinite(m->y[j]) && isfinite(m->y[0]);
    for (size_t i = 0; ok && i < m->nx * m->ny; i++)
        ok = isfinite(m->z[i]);
    if (!ok)
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "plot: panel %zu: a "
                             "map needs x and y of 2 or more increasing "
                             "numbers and finite z", panel);
    return MDX_OK;
}

static void draw_legend(const mdx_panel *p, enum mdx_legend where)
{
    if (where == MDX_LEGEND_NONE)
        return;
    PLINT opts[MAX_CURVES], colours[MAX_CURVES], styles[MAX_CURVES];
    PLFLT widths[MAX_CURVES];
    const char *text[MAX_CURVES];
    PLINT n = 0;
    for (size_t c = 0; c < p->ncurves; c++) {
        if (!p->curves[c].label || !p->curves[c].label[0])
            continue;
        opts[n] = PL_LEGEND_LINE;
        colours[n] = 1 + (PLINT)(c % NCOLOURS);
        styles[n] = style_of(c);
        widths[n] = 2.0;
        text[n++] = p->curves[c].label;
    }
    if (n == 0)
        return;
    PLFLT w, h;
    PLINT text_colours[MAX_CURVES];
    for (PLINT i = 0; i < n; i++)
        text_colours[i] = AXES;
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             where == MDX_LEGEND_OUTSIDE
                 ? PL_POSITION_RIGHT | PL_POSITION_OUTSIDE
                 : PL_POSITION_TOP | PL_POSITION_RIGHT | PL_POSITION_INSIDE,
             0.02, where == MDX_LEGEND_OUTSIDE ? 0.0 : 0.03, 0.08, 0, AXES, 1,
             0, 0, n, opts, 1.0, 0.8, 2.0, 0.0,
             text_colours, text, NULL, NULL, NULL, NULL, colours, styles,
             widths, NULL, NULL, NULL, NULL);
}

/* A tick interval as PLplot's own chooses it (1, 2 or 5 times a power of
 * ten, four to ten ticks over the range). */
static double tick_step(double lo, double hi)
{
    double range = fabs(hi - lo);
    if (!(range > 0))
        return 1;
    double power = pow(10, floor(log10(range)));
    double t = range / power;
    return power * (t > 7.9 ? 2 : t > 4.9 ? 1 : t > 2 ? 0.5 : 0.2);
}

/* A tick label with as many decimals as the interval needs and a true
 * minus sign (U+2212), not a hyphen. data: the x and y intervals. */
static void tick_label(PLINT axis, PLFLT value, char *label, PLINT length,
                       PLPointer data)
{
    const double *step = data;
    double s = step[axis == PL_Y_AXIS];
    int decimals = s >= 1 ? 0 : (int)ceil(-log10(s) - 1e-9);
    if (fabs(value) < s * 1e-9)
        value = 0;
    snprintf(label, (size_t)length, "%s%.*f", value < 0 ? "\xe2\x88\x92" : "",
             decimals, fabs(value));
}

/* The band of curve c: the polygon lo forward, hi back, filled. */
static void draw_band(const mdx_curve *c, size_t index)
{
    PLFLT *px = malloc(2 * c->n * sizeof *px), *py = malloc(2 * c->n * sizeof *py);
    if (px && py) {
        for (size_t i = 0; i < c->n; i++) {
            px[i] = c->x[i];
            py[i] = c->lo[i];
            px[2 * c->n - 1 - i] = c->x[i];
            py[2 * c->n - 1 - i] = c->hi[i];
        }
        const int *rgb = palette[index % NCOLOURS];
        plscol0a(BAND, rgb[0], rgb[1], rgb[2], 0.25);
        plcol0(BAND);
        plfill((PLINT)(2 * c->n), px, py);
    }
    free(px);
    free(py);
}

/* A perceptually even colour ramp (viridis' ends and middle) for maps. */
static void map_colours(void)
{
    PLFLT at[] = {0, 0.25, 0.5, 0.75, 1};
    PLFLT r[] = {0.267, 0.230, 0.128, 0.369, 0.993};
    PLFLT g[] = {0.005, 0.322, 0.567, 0.789, 0.906};
    PLFLT b[] = {0.329, 0.546, 0.551, 0.383, 0.144};
    plscmap1n(256);
    plscmap1l(1, 5, at, r, g, b, NULL);
}

/* The edges of the cells centred on x[0..n): halfway between points,
 * and half a step beyond the ends. */
static void cell_edges(const double *x, size_t n, double *e)
{
    e[0] = x[0] - (x[1] - x[0]) / 2;
    for (size_t i = 1; i < n; i++)
        e[i] = (x[i - 1] + x[i]) / 2;
    e[n] = x[n - 1] + (x[n - 1] - x[n - 2]) / 2;
}

/* The map's image, each value a cell centred on its point (an uneven
 * grid drawn as it is), and its colour bar on the right. */
static void draw_map(const mdx_map *m)
{
    PLFLT **z;
    PLcGrid2 corners = {NULL, NULL, NULL, (PLINT)m->nx + 1,
                        (PLINT)m->ny + 1};
    double *ex = malloc((m->nx + 1 + m->ny + 1) * sizeof *ex);
    if (!ex) {  /* the page fails, never drawn without its map */
        snprintf(plplot_error, sizeof plplot_error, "out of memory");
        return;
    }
    double *ey = ex + m->nx + 1;
    cell_edges(m->x, m->nx, ex);
    cell_edges(m->y, m->ny, ey);
    plAlloc2dGrid(&z, (PLINT)m->nx, (PLINT)m->ny);
    plAlloc2dGrid(&corners.xg, (PLINT)m->nx + 1, (PLINT)m->ny + 1);
    plAlloc2dGrid(&corners.yg, (PLINT)m->nx + 1, (PLINT)m->ny + 1);
    double zmin = INFINITY, zmax = -INFINITY;
    for (size_t i = 0; i < m->nx; i++)
        for (size_t j = 0; j < m->ny; j++) {
            z[i][j] = m->z[j * m->nx + i];
            zmin = fmin(zmin, z[i][j]);
            zmax = fmax(zmax, z[i][j]);
        }
    for (size_t i = 0; i <= m->nx; i++)
        for (size_t j = 0; j <= m->ny; j++) {
            corners.xg[i][j] = ex[i];
            corners.yg[i][j] = ey[j];
        }
    if (!(zmax > zmin))
        zmax = zmin + 1;
    plimagefr((PLFLT_MATRIX)z, (PLINT)m->nx, (PLINT)m->ny, 0, (PLFLT)m->nx,
              0, (PLFLT)m->ny, zmin, zmax, zmin, zmax, pltr2, &corners);
    plFree2dGrid(z, (PLINT)m->nx, (PLINT)m->ny);
    plFree2dGrid(corners.xg, (PLINT)m->nx + 1, (PLINT)m->ny + 1);
    plFree2dGrid(corners.yg, (PLINT)m->nx + 1, (PLINT)m->ny + 1);
    free(ex);
    /* the colour bar: a ramp from zmin to zmax in its own viewport */
    PLFLT **ramp;
    enum { NRAMP = 256 };
    plAlloc2dGrid(&ramp, 2, NRAMP);
    for (PLINT j = 0; j < NRAMP; j++)
        ramp[0][j] = ramp[1][j] = zmin + (zmax - zmin) * j / (NRAMP - 1);
    plvpor(0.86, 0.89, 0.15, 0.88);
    plwind(0, 1, zmin, zmax);
    plimage((PLFLT_MATRIX)ramp, 2, NRAMP, 0, 1, zmin, zmax, zmin, zmax, 0, 1,
            zmin, zmax);
    plFree2dGrid(ramp, 2, NRAMP);
    plcol0(AXES);
    plbox("bc", 0, 0, "bcmstv", 0, 0);
    if (m->zlabel)
        plmtex("r", 5.0, 0.5, 0.5, m->zlabel);
}

/* The panel's frame again after a map: the curves go on the map. */
static void map_frame(double xmin, double xmax, double lo, double hi)
{
    plvpor(0.12, 0.82, 0.15, 0.88);
    plwind(xmin, xmax, lo, hi);
}

static void draw_panel(const mdx_panel *p, enum mdx_legend legend)
{
    double lo, hi;
    y_range(p, &lo, &hi);
    pladv(0);
    plvpor(0.12, p->map ? 0.82 : legend == MDX_LEGEND_OUTSIDE && has_labels(p)
                 ? 0.64 : 0.95, 0.15, 0.88);
    plwind(p->xmin, p->xmax, lo, hi);
    if (p->map) {
        draw_map(p->map);
        map_frame(p->xmin, p->xmax, lo, hi);
    }
    plcol0(AXES);
    plwidth(1.0);
    double steps[2] = {p->xstep > 0 ? p->xstep : tick_step(p->xmin, p->xmax),
                       tick_step(lo, hi)};
    plslabelfunc(tick_label, steps);
    plbox("bcnsto", steps[0], 0, "bcnstvo", steps[1], 0);
    plslabelfunc(NULL, NULL);
    pllab(p->xlabel, p->ylabel, p->title ? p->title : "");
    for (size_t c = 0; c < p->ncurves; c++)
        if (p->curves[c].lo && p->curves[c].hi)
            draw_band(&p->curves[c], c);
    for (size_t c = 0; c < p->ncurves; c++) {
        plcol0(1 + (PLINT)(c % NCOLOURS));
        plwidth(2.0);
        pllsty(style_of(c));
        plline((PLINT)p->curves[c].n, p->curves[c].x, p->curves[c].y);
    }
    pllsty(1);
    plwidth(1.0);
    draw_legend(p, legend);
}

/* Where an error PLplot raises goes: plexit (which would exit the
 * process) jumps back to draw_file, plabort (which goes on without the
 * part it refused) is remembered. PLplot is one state per process:
 * draw_file runs one page at a time. (plplot_error is at the top.) */
static jmp_buf plplot_jump;

static int on_plexit(PLCHAR_VECTOR msg)
{
    snprintf(plplot_error, sizeof plplot_error, "%s", msg);
    longjmp(plplot_jump, 1);
}

static void on_plabort(PLCHAR_VECTOR msg)
{
    if (!plplot_error[0])
        snprintf(plplot_error, sizeof plplot_error, "%s", msg);
}

/* Draw the page into tmp with PLplot; its error message, or "" when the
 * page is whole. */
static void draw_file(const char *tmp, const char *device,
                      const mdx_panel *panels, size_t npanels,
                      const mdx_page *page, PLINT width, PLINT height,
                      PLFLT dpi, char *error, size_t size)
{
    PLINT stream, previous, code = 0;
    char quiet[1024];  /* plabort writes here rather than on stderr */
    plplot_error[0] = '\0';
    plgstrm(&previous);
    plmkstrm(&stream);
    plsError(&code, quiet);
    plsexit(on_plexit);
    plsabort(on_plabort);
    if (setjmp(plplot_jump) == 0) {
        plsdev(device);
        plsfnam(tmp);
        plspage(dpi, dpi, width, height, 0, 0);
        plscolbg(255, 255, 255);
        for (int i = 0; i < NCOLOURS; i++)
            plscol0(1 + i, palette[i][0], palette[i][1], palette[i][2]);
        plscol0(AXES, 0, 0, 0);
        plssub(1, (PLINT)npanels);
        map_colours();
        plinit();
        plfontld(1);
        for (size_t i = 0; i < npanels; i++)
            draw_panel(&panels[i], page->legend);
    }
    if (setjmp(plplot_jump) == 0)
        plend1();  /* after an error too: the stream is closed */
    plsexit(NULL);
    plsabort(NULL);
    plsstrm(previous);
    snprintf(error, size, "%s", plplot_error);
}

/* The PLplot device for the file's extension, or NULL. */
static const char *device_for(const char *file)
{
    const char *dot = strrchr(file, '.');
    if (dot && strcasecmp(dot, ".png") == 0)
        return "pngcairo";
    if (dot && strcasecmp(dot, ".svg") == 0)
        return "svg";
    if (dot && strcasecmp(dot, ".pdf") == 0)
        return "pdfcairo";
    return NULL;
}

mdx_status mdx_plot(const char *file, const mdx_panel *panels, size_t npanels,
                    mdx_error *err)
{
    mdx_page page = {0, 0, 0, MDX_LEGEND_INSIDE};
    return mdx_plot_page(file, panels, npanels, &page, err);
}

/* The page's size in the device's units: pixels for PNG (at dpi),
 * points for PDF and SVG. */
static mdx_status page_size(const mdx_page *page, size_t npanels,
                            const char *device, const char *file,
                            PLINT *w, PLINT *h, PLFLT *dpi, mdx_error *err)
{
    double width = page->width ? page->width : 900.0 / 96;
    double height = page->height ? page->height : 420.0 / 96 * (double)npanels;
    *dpi = page->dpi ? page->dpi : 96;
    if (!(width > 0 && height > 0 && *dpi > 0 && isfinite(width) &&
          isfinite(height) && isfinite(*dpi)))
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "plot: the size (%g "
                             "x %g in) and the resolution (%g dpi) must be "
                             "positive numbers", width, height, *dpi);
    double unit = strcmp(device, "pngcairo") ? 72 : *dpi;
    if (width * unit > 20000 || height * unit > 20000 || width * unit < 50 ||
        height * unit < 50)
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "plot: %g x %g in at "
                             "%g dpi is %.0f x %.0f: out of 50 .. 20000",
                             width, height, *dpi, width * unit,
                             height * unit);
    *w = (PLINT)lround(width * unit);
    *h = (PLINT)lround(height * unit);
    return MDX_OK;
}

mdx_status mdx_plot_page(const char *file, const mdx_panel *panels,
                         size_t npanels, const mdx_page *page,
                         mdx_error *err)
{
    const char *device = device_for(file);
    if (!device)
        return mdx_error_set(err, MDX_ERR_ARG, file, 0,
                             "plot: the file name must end in .png, .svg or "
                             ".pdf");
    for (size_t i = 0; i < npanels; i++) {
        const mdx_panel *p = &panels[i];
        if ((p->ncurves == 0 && !p->map) || p->ncurves > MAX_CURVES ||
            !(p->xmin < p->xmax))
            return mdx_error_set(err, MDX_ERR_ARG, file, 0,
                                 "plot: each panel needs 1 to %d curves (or "
                                 "a map) and an x range", MAX_CURVES);
        if (p->map && check_map(file, i + 1, p->map, err))
            return err->code;
        double lo, hi;
        y_range(p, &lo, &hi);
        mdx_status rc = check_axis(file, i + 1, "x", p->xmin, p->xmax,
                                   p->xstep > 0 ? p->xstep
                                   : tick_step(p->xmin, p->xmax), err);
        if (rc == MDX_OK)
            rc = check_axis(file, i + 1, "y", lo, hi, tick_step(lo, hi), err);
        if (rc)
            return rc;
    }
    PLINT width = 0, height = 0;  /* (set by page_size) */
    PLFLT dpi = 0;
    mdx_status size_rc = page_size(page, npanels, device, file, &width,
                                   &height, &dpi, err);
    if (size_rc)
        return size_rc;
    size_t len = strlen(file);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return mdx_error_set(err, MDX_ERR_NOMEM, file, 0, "out of memory");
    snprintf(tmp, len + 16, "%s.part%s", file, file + len - 4);
    FILE *probe = fopen(tmp, "w");  /* PLplot would exit on failure */
    if (!probe) {
        free(tmp);
        return mdx_error_set(err, MDX_ERR_IO, file, 0, "cannot write here");
    }
    fclose(probe);

    char error[256];
#pragma omp critical
    draw_file(tmp, device, panels, npanels, page, width, height, dpi, error,
              sizeof error);
    if (error[0]) {
        remove(tmp);
        free(tmp);
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "plot: PLplot "
                             "refused the figure: %s", error);
    }

    mdx_status rc = MDX_OK;
    if (rename(tmp, file) != 0) {
        remove(tmp);
        rc = mdx_error_set(err, MDX_ERR_IO, file, 0, "cannot write the plot");
    }
    free(tmp);
    return rc;
}
