/* FEFF's feff.bin, version v03: a text file of header lines and "packed
 * ascii" numbers (PAD) holding every path of one absorber. The layout
 * follows FEFF 8.5L's rdfbin.f and padlib.f; the conversion to a path
 * file's seven columns follows fdtarr.f and pijump.f, in double precision
 * where FEFF uses single (FEFF 8.5L's src/FF2X and src/COMMON). */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feffbin_private.h"
#include "util/number.h"
#include "mdexafs/feff.h"

#define MAX_WORDS 64
#define MAX_POT 64

/* FEFF 8.5L's Bohr radius and Hartree (const.h); FEFF 10 (marker "#=")
 * writes its own newer Bohr radius. */
#define BOHR_85 0.529177249
#define BOHR_10 0.52917721067
#define HARTREE 27.211396

int mdx_fb_next_line(mdx_fb_reader *r)
{
    if (r->p >= r->end)
        return 0;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    r->line = r->p;
    r->len = (size_t)((nl ? nl : r->end) - r->p);
    if (r->len && r->line[r->len - 1] == '\r')
        r->len--;
    r->p = nl ? nl + 1 : r->end;
    r->lineno++;
    return 1;
}


int mdx_fb_to_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

int mdx_fb_to_double(const char *s, double *out)
{
    const char *end;
    return mdx_parse_double(s, &end, out) && *end == '\0';
}

int mdx_fb_words(const mdx_fb_reader *r, size_t skip, char *buf, size_t size,
                 char **w, int max)
{
    if (r->len < skip || r->len - skip >= size)
        return -1;
    memcpy(buf, r->line + skip, r->len - skip);
    buf[r->len - skip] = '\0';
    int count = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " \t", &save); t;
         t = strtok_r(NULL, " \t", &save)) {
        if (count == max)
            return -1;
        w[count++] = t;
    }
    return count;
}

/* Does the current line hold `word`? */
int mdx_fb_contains(const mdx_fb_reader *r, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= r->len; i++)
        if (!memcmp(r->line + i, word, n))
            return 1;
    return 0;
}

/* Fill r's error, at the current line: fmt with one %s, `what`. */
static mdx_status fail(mdx_fb_reader *r, const char *fmt, const char *what)
{
    return mdx_error_set(r->err, MDX_ERR_FORMAT, r->name, r->lineno, fmt,
                         what);
}

/* The next line, which must start with `marker`; 0 and an error if not. */
static int expect(mdx_fb_reader *r, const char *marker, const char *what)
{
    if (!mdx_fb_next_line(r)) {  /* named at the file's last line */
        fail(r, "the file ends where %s was expected", what);
        return 0;
    }
    size_t m = strlen(marker);
    if (r->len < m || memcmp(r->line, marker, m) != 0) {
        fail(r, "expected %s", what);
        return 0;
    }
    return 1;
}

/* One PAD number of npack characters (padlib.f's unpad, summed in its
 * order); 0 if a character is outside '%'..'~'. */
static int unpad(const char *s, int npack, double *v)
{
    for (int i = 0; i < npack; i++)
        if (s[i] < 37 || s[i] > 126)
            return 0;
    /* 90^i, exact in a double up to i = 8 (and pow's own value beyond) */
    static const double p90[] = {1, 90, 8100, 729000, 65610000, 5904900000.0,
                                 531441000000.0, 47829690000000.0,
                                 4304672100000000.0};
    int iexp = s[0] - 37 - 45;
    int isgn = (s[1] - 37) % 2 * 2 - 1;
    double sum = (double)((s[1] - 37) / 2) / (90.0 * 90.0);
    for (int i = npack; i >= 3; i--)
        sum += (double)(s[i - 1] - 37) / (i <= 8 ? p90[i] : pow(90.0, i));
    *v = mdx_scale10(2 * isgn * 90 * sum, iexp);
    return 1;
}

/* Read n PAD values (n complex pairs, as 2n values, when complex) from
 * the lines that follow, each starting with '!' (reals) or '$'. */
static int read_pad(mdx_fb_reader *r, int complex_values, size_t n, double *out,
                    const char *what)
{
    size_t want = complex_values ? 2 * n : n, got = 0;
    while (got < want) {
        if (!expect(r, complex_values ? "$" : "!", what))
            return 0;
        size_t chars = r->len - 1;
        if (chars == 0 || chars % (size_t)(complex_values ? 2 * r->npack
                                                           : r->npack)) {
            fail(r, "%s: a line of packed numbers of the wrong length", what);
            return 0;
        }
        for (size_t c = 0; c < chars && got < want; c += (size_t)r->npack)
            if (!unpad(r->line + 1 + c, r->npack, &out[got++])) {
                fail(r, "%s: a character outside the packing alphabet "
                        "('%%' to '~')", what);
                return 0;
            }
    }
    return 1;
}

/* FEFF's pijump: move ph by a multiple of 2 pi to within pi of old. */
static double pijump(double ph, double old)
{
    const double twopi = 2 * M_PI;
    double x[3];
    x[0] = ph - old;
    double jump = floor((fabs(x[0]) + M_PI) / twopi);  /* FEFF's int() */
    x[1] = x[0] - jump * twopi;
    x[2] = x[0] + jump * twopi;
    double least = fmin(fabs(x[0]), fmin(fabs(x[1]), fabs(x[2])));
    int keep = 0;
    for (int i = 0; i < 3; i++)
        if (fabs(least - fabs(x[i])) <= 0.01)
            keep = i;
    return old + x[keep];
}

/* What every path shares: the header and the three energy arrays. */
typedef struct common {
    char version[MDX_VERSION_MAX];
    long npot, ne, ihole, ilinit;
    double rnrmav, edge, bohr;
    char label[MAX_POT][MDX_LABEL_MAX];
    long iz[MAX_POT];
    double *phc, *ck, *xk;   /* complex ones as re, im pairs */
    size_t ne1;
} common;

static const char *edge_name(long ihole)
{
    static const char *const names[] = {
        "K", "L1", "L2", "L3", "M1", "M2", "M3", "M4", "M5",
        "N1", "N2", "N3", "N4", "N5", "N6", "N7"};
    return ihole >= 1 && ihole <= 16 ? names[ihole - 1] : "";
}

static int read_header(mdx_fb_reader *r, common *c)
{
    char buf[1024], *w[MAX_WORDS];
    long npack;
    if (!expect(r, "#_feff", "the first line '#_feff.bin v03: ...'"))
        return 0;
    if (r->len < 14 || (memcmp(r->line, "#_feff.bin v03", 14) &&
                        memcmp(r->line, "#_feff.pad v03", 14))) {
        fail(r, "%s: not feff.bin version v03 (the only one mdexafs reads)",
             r->len >= 14 && !memcmp(r->line + 11, "v0", 2) ? "another version"
                                                           : "no version");
        return 0;
    }
    const char *v = memchr(r->line, ':', r->len);
    size_t vlen = v ? r->len - (size_t)(v + 1 - r->line) : 0;
    while (v && vlen && v[1] == ' ')
        v++, vlen--;
    snprintf(c->version, sizeof c->version, "%.*s", (int)vlen, v ? v + 1 : "");
    if (!expect(r, "#_", "'#_ npot ne npack'") ||
        mdx_fb_words(r, 2, buf, sizeof buf, w, MAX_WORDS) != 3 ||
        !mdx_fb_to_int(w[0], 0, MAX_POT - 1, &c->npot) ||
        !mdx_fb_to_int(w[1], MDX_MIN_ROWS, 100000, &c->ne) ||
        !mdx_fb_to_int(w[2], 3, 16, &npack))
        return r->err->msg[0] ? 0 : (fail(r, "%s", "expected npot (below "
                                           "64), ne and npack (3 to 16)"), 0);
    r->npack = (int)npack;
    if (!mdx_fb_next_line(r) || r->len < 2 ||
        (memcmp(r->line, "#&", 2) && memcmp(r->line, "#=", 2)))
        return fail(r, "%s", "expected '#& ihole iorder ilinit rnrmav xmu "
                             "edge'"), 0;
    c->bohr = r->line[1] == '=' ? BOHR_10 : BOHR_85;
    long iorder;
    double xmu;
    if (mdx_fb_words(r, 2, buf, sizeof buf, w, MAX_WORDS) != 6 ||
        !mdx_fb_to_int(w[0], 0, 100, &c->ihole) || !mdx_fb_to_int(w[1], 0, 100, &iorder) ||
        !mdx_fb_to_int(w[2], 0, 10, &c->ilinit) || !mdx_fb_to_double(w[3], &c->rnrmav) ||
        !mdx_fb_to_double(w[4], &xmu) || !mdx_fb_to_double(w[5], &c->edge))
        return fail(r, "%s", "expected ihole iorder ilinit (whole numbers) "
                             "and rnrmav xmu edge"), 0;
    if (!expect(r, "#@", "'#@' potential labels and atomic numbers"))
        return 0;
    int n = mdx_fb_words(r, 2, buf, sizeof buf, w, MAX_WORDS);
    if (n != 2 * (int)(c->npot + 1))
        return fail(r, "%s", "expected npot + 1 labels, then as many atomic "
                             "numbers"), 0;
    for (long i = 0; i <= c->npot; i++) {
        if (strlen(w[i]) >= MDX_LABEL_MAX ||
            !mdx_fb_to_int(w[c->npot + 1 + i], 1, 118, &c->iz[i]))
            return fail(r, "%s", "a potential label longer than 15 "
                                 "characters, or an atomic number outside "
                                 "1-118"), 0;
        snprintf(c->label[i], sizeof c->label[i], "%s", w[i]);
    }
    size_t ne = (size_t)c->ne;
    if (!(c->phc = malloc(2 * ne * sizeof *c->phc)) ||
        !(c->ck = malloc(2 * ne * sizeof *c->ck)) ||
        !(c->xk = malloc(ne * sizeof *c->xk))) {
        mdx_error_set(r->err, MDX_ERR_NOMEM, r->name, 0, "out of memory");
        return 0;
    }
    return read_pad(r, 1, ne, c->phc, "phc") &&
           read_pad(r, 1, ne, c->ck, "ck") && read_pad(r, 0, ne, c->xk, "xk");
}

/* fdtarr.f: the seven columns of a path file from the path's |chi| and
 * phase (amff, phff) and what all paths share; reff in Å. */
static void columns(const common *c, double reff, const double *amff,
                    const double *phff, mdx_path *p)
{
    const double b = c->bohr, l0pi = (double)c->ilinit * M_PI;
    double rb = reff / b, phffo = 0, cdelto = 0;
    for (size_t ie = 0; ie < c->ne1; ie++) {
        double complex cchi = amff[ie] * cexp(I * phff[ie]);
        double complex phc = c->phc[2 * ie] + I * c->phc[2 * ie + 1];
        double ck_re = c->ck[2 * ie], ck_im = c->ck[2 * ie + 1];
        double xlam = fabs(ck_im) > 1e-16 ? 1 / ck_im : 1e10;
        double redfac = exp(-2 * cimag(phc));
        double cdelt = 2 * creal(phc);
        double complex cfms = cchi * c->xk[ie] * rb * rb * exp(2 * rb / xlam) /
                              redfac;
        double ph = cabs(cchi) < 1e-16 ? 0 : carg(cchi);
        if (ie > 0) {
            ph = pijump(ph, phffo);
            cdelt = pijump(cdelt, cdelto);
        }
        phffo = ph;
        cdelto = cdelt;
        p->col[MDX_COL_K][ie] = c->xk[ie] / b;
        p->col[MDX_COL_REAL_PHC][ie] = cdelt + l0pi;
        p->col[MDX_COL_MAG][ie] = cabs(cfms) * b;
        p->col[MDX_COL_PHASE][ie] = ph - cdelt - l0pi;
        p->col[MDX_COL_RED][ie] = redfac;
        p->col[MDX_COL_LAM][ie] = xlam * b;
        p->col[MDX_COL_REP][ie] = ck_re / b;
    }
}

/* One path record: its "##" line and six packed arrays, converted. */
static int read_path(mdx_fb_reader *r, const common *c, double *work, mdx_path *p,
                     double *importance)
{
    char buf[1024], *w[MAX_WORDS];
    long ipath, nleg;
    int n = mdx_fb_words(r, 2, buf, sizeof buf, w, MAX_WORDS);
    if (n < 6 || !mdx_fb_to_int(w[0], 0, 99999999, &ipath) ||
        !mdx_fb_to_int(w[1], 2, MDX_NLEG_MAX, &nleg) || n != 5 + nleg ||
        !mdx_fb_to_double(w[2], &p->deg) || !mdx_fb_to_double(w[3], &p->reff) ||
        !mdx_fb_to_double(w[4], importance) || p->deg < 0 || p->reff <= 0)
        return fail(r, "%s", "expected '## ipath nleg deg reff importance' "
                             "and nleg potential indices"), 0;
    p->index = (int)ipath;
    p->nleg = (int)nleg;
    p->nrows = c->ne1;
    if (!(p->legs = calloc((size_t)nleg, sizeof *p->legs))) {
        mdx_error_set(r->err, MDX_ERR_NOMEM, r->name, 0, "out of memory");
        return 0;
    }
    long ipot[MDX_NLEG_MAX];
    for (long j = 0; j < nleg; j++)
        if (!mdx_fb_to_int(w[5 + j], 0, c->npot, &ipot[j]))
            return fail(r, "%s", "a potential index outside 0-npot"), 0;
    double *rat = work, *amff = work + 3 * MDX_NLEG_MAX,
           *phff = amff + c->ne;
    double skip[MDX_NLEG_MAX];
    if (!read_pad(r, 0, 3 * (size_t)nleg, rat, "rat") ||
        !read_pad(r, 0, (size_t)nleg, skip, "beta") ||
        !read_pad(r, 0, (size_t)nleg, skip, "eta") ||
        !read_pad(r, 0, (size_t)nleg, skip, "ri") ||
        !read_pad(r, 0, (size_t)c->ne, amff, "amff") ||
        !read_pad(r, 0, (size_t)c->ne, phff, "phff"))
        return 0;
    for (long j = 0; j < nleg; j++) {  /* the absorber, rat's last, first */
        long src = (j + nleg - 1) % nleg;
        mdx_leg *leg = &p->legs[j];
        leg->x = rat[3 * src] * c->bohr;
        leg->y = rat[3 * src + 1] * c->bohr;
        leg->z = rat[3 * src + 2] * c->bohr;
        leg->ipot = (int)ipot[src];
        leg->iz = (int)c->iz[ipot[src]];
        snprintf(leg->label, sizeof leg->label, "%s", c->label[ipot[src]]);
    }
    double *block = malloc(MDX_NCOLUMNS * c->ne1 * sizeof *block);
    if (!block) {  /* one block, as mdx_path_free frees it */
        mdx_error_set(r->err, MDX_ERR_NOMEM, r->name, 0, "out of memory");
        return 0;
    }
    for (int k = 0; k < MDX_NCOLUMNS; k++)
        p->col[k] = block + (size_t)k * c->ne1;
    snprintf(p->version, sizeof p->version, "%s", c->version);
    snprintf(p->edge_label, sizeof p->edge_label, "%s", edge_name(c->ihole));
    p->rnrmav = c->rnrmav;
    p->edge = c->edge * HARTREE;
    p->abs_iz = (int)c->iz[0];
    columns(c, p->reff, amff, phff, p);
    for (size_t ie = 0; ie < c->ne1; ie++) {
        for (int k = 0; k < MDX_NCOLUMNS; k++)
            if (!isfinite(p->col[k][ie]))
                return fail(r, "%s", "this path's numbers give a table value "
                                     "that is not finite"), 0;
        if (ie > 0 && !(p->col[MDX_COL_K][ie] > p->col[MDX_COL_K][ie - 1]))
            return fail(r, "%s", "k does not increase over the points kept "
                                 "(xsect.bin's count, or where it stops)"), 0;
    }
    return 1;
}

/* The points of the table: ne1 when given (at most ne), else up to where
 * k stops increasing. */
static size_t table_points(const common *c, size_t ne1)
{
    size_t n = 1, ne = (size_t)c->ne;
    if (ne1)
        return ne1 < ne ? ne1 : ne;
    while (n < ne && c->xk[n] > c->xk[n - 1])
        n++;
    return n;
}

/* Is path `index` among keep[0..nkeep) (all are, when keep is NULL)? */
static int kept(const int *keep, size_t nkeep, int index)
{
    for (size_t i = 0; i < nkeep; i++)
        if (keep[i] == index)
            return 1;
    return keep == NULL;
}

void mdx_feffbin_free(mdx_feffbin *fb)
{
    for (size_t i = 0; i < fb->npaths; i++)
        mdx_path_free(&fb->paths[i]);
    free(fb->paths);
    free(fb->importance);
    memset(fb, 0, sizeof *fb);
}

mdx_status mdx_feffbin_parse(const char *text, size_t len, const char *name,
                             size_t ne1, const int *keep, size_t nkeep,
                             mdx_feffbin *fb, mdx_error *err)
{
    mdx_error local;
    mdx_fb_reader r = {name, text, text + len, NULL, 0, 0, 8, err ? err : &local};
    common c = {0};
    size_t cap = 0;
    double *work = NULL;
    r.err->msg[0] = '\0';
    memset(fb, 0, sizeof *fb);
    int ok = 1;
    if (len == 0) {
        r.lineno = 1;
        ok = !fail(&r, "%s", "the file is empty");
    } else if (text[len - 1] != '\n') {  /* FEFF ends every line */
        r.lineno = 1;
        for (size_t i = 0; i + 1 < len; i++)
            r.lineno += text[i] == '\n';
        ok = !fail(&r, "%s", "the file ends inside a line: cut short");
    }
    ok = ok && read_header(&r, &c);
    if (ok) {
        c.ne1 = table_points(&c, ne1);
        if (c.ne1 < MDX_MIN_ROWS)
            ok = !fail(&r, "%s", "fewer than 4 points below where k stops "
                                 "increasing");
        work = malloc((3 * MDX_NLEG_MAX + 2 * (size_t)c.ne) * sizeof *work);
        ok = ok && work;
    }
    while (ok && mdx_fb_next_line(&r)) {
        if (r.len == 0)
            continue;
        if (r.len < 2 || memcmp(r.line, "##", 2)) {
            ok = !fail(&r, "%s", "expected a path record '## ipath nleg deg "
                                 "reff ...'");
            break;
        }
        if (fb->npaths == cap) {
            cap = cap ? 2 * cap : 64;
            mdx_path *paths = realloc(fb->paths, cap * sizeof *paths);
            double *imp = paths ? realloc(fb->importance, cap * sizeof *imp)
                                : NULL;
            if (paths)
                fb->paths = paths;
            if (imp)
                fb->importance = imp;
            if (!paths || !imp) {
                ok = 0;
                mdx_error_set(r.err, MDX_ERR_NOMEM, name, 0, "out of memory");
                break;
            }
        }
        mdx_path *p = &fb->paths[fb->npaths];
        memset(p, 0, sizeof *p);
        long at = r.lineno;
        ok = read_path(&r, &c, work, p, &fb->importance[fb->npaths]);
        for (size_t i = 0; ok && i < fb->npaths; i++)
            if (fb->paths[i].index == p->index) {
                r.lineno = at;
                ok = !fail(&r, "%s", "a path whose number an earlier record "
                                     "has: one path twice?");
            }
        if (ok && kept(keep, nkeep, p->index))
            fb->npaths++;
        else
            mdx_path_free(p);
    }
    if (ok && fb->npaths == 0)
        ok = !fail(&r, "%s", "no path record (or none that list.dat names)");
    for (size_t i = 0; ok && keep && i < nkeep; i++) {
        size_t j = 0;
        while (j < fb->npaths && fb->paths[j].index != keep[i])
            j++;
        if (j == fb->npaths) {
            char what[64];
            snprintf(what, sizeof what, "%d", keep[i]);
            ok = !mdx_error_set(r.err, MDX_ERR_FORMAT, name, 0, "list.dat "
                                "names path %s, which it does not hold", what);
        }
    }
    fb->npoints = c.ne1;
    free(work);
    free(c.phc);
    free(c.ck);
    free(c.xk);
    if (!ok) {
        mdx_status code = r.err->code ? r.err->code : MDX_ERR_NOMEM;
        if (!r.err->msg[0])
            mdx_error_set(r.err, MDX_ERR_NOMEM, name, 0, "out of memory");
        mdx_feffbin_free(fb);
        return code;
    }
    return MDX_OK;
}
