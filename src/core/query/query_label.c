/* A query's description, "U-O reff <= 3; frames 500..519; a where
 * function", made from its criteria, the caller's notes and its
 * parameter table, for messages and file headers. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "query_private.h"

/* Append a part to buf (n bytes used of size), "; "-separated. */
static size_t add_part(char *buf, size_t n, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static size_t add_part(char *buf, size_t n, size_t size, const char *fmt, ...)
{
    va_list ap;
    if (n >= size)
        return n;
    if (n)
        n += (size_t)snprintf(buf + n, size - n, "; ");
    if (n >= size)
        return n;
    va_start(ap, fmt);
    n += (size_t)vsnprintf(buf + n, size - n, fmt, ap);
    va_end(ap);
    return n;
}

mdx_status mdx_query_note(mdx_query *q, const char *part)
{
    size_t n = strlen(q->notes);
    if (add_part(q->notes, n, sizeof q->notes, "%s", part) >= sizeof q->notes)
        return MDX_ERR_ARG;
    return MDX_OK;
}

static size_t describe_rules(char *buf, size_t n, size_t size,
                             const mdx_type_rule *r, size_t nrules)
{
    for (size_t i = 0; i < nrules; i++)
        n = isinf(r[i].reff_max)
                ? add_part(buf, n, size, "%s", r[i].name)
                : add_part(buf, n, size, "%s reff <= %g", r[i].name, r[i].reff_max);
    return n;
}

const char *mdx_query_label(mdx_query *q)
{
    const mdx_selection *s = &q->sel;
    char *buf = q->label;
    size_t size = sizeof q->label, n = 0;
    buf[0] = '\0';
    if (q->chidat)
        n = add_part(buf, n, size, "FEFF chi.dat");
    n = describe_rules(buf, n, size, s->types, s->ntypes);
    n = describe_rules(buf, n, size, s->elements, s->nelements);
    if (isinf(s->reff_min) && s->reff_max < INFINITY)
        n = add_part(buf, n, size, "reff <= %g", s->reff_max);
    else if (!isinf(s->reff_min) && isinf(s->reff_max))
        n = add_part(buf, n, size, "reff >= %g", s->reff_min);
    else if (!isinf(s->reff_min))
        n = add_part(buf, n, size, "%g <= reff <= %g", s->reff_min, s->reff_max);
    if (s->nleg_min > 0 || s->nleg_max < INT_MAX)
        n = add_part(buf, n, size, "nleg %d..%d", s->nleg_min, s->nleg_max);
    if (s->frame_min == LONG_MIN && s->frame_max < LONG_MAX)
        n = add_part(buf, n, size, "frames <= %ld", s->frame_max);
    else if (s->frame_min > LONG_MIN && s->frame_max == LONG_MAX)
        n = add_part(buf, n, size, "frames >= %ld", s->frame_min);
    else if (s->frame_min > LONG_MIN)
        n = add_part(buf, n, size, "frames %ld..%ld", s->frame_min, s->frame_max);
    if (s->natoms)
        n = add_part(buf, n, size, "%zu atom ids", s->natoms);
    if (s->absorber)
        n = add_part(buf, n, size, "absorber %s", s->absorber);
    if (q->notes[0])
        n = add_part(buf, n, size, "%s", q->notes);
    if (q->potentials[0])
        n = add_part(buf, n, size, "%s", q->potentials);
    if (q->skip_empty && !q->chidat)
        n = add_part(buf, n, size, "folders without selected paths left out");
    char params[512];
    mdx_query_describe_params(q, params, sizeof params);
    if (params[0] && !q->chidat)
        n = add_part(buf, n, size, "%s", params);
    if (n == 0)
        n = add_part(buf, n, size, "all paths");
    size_t left = mdx_query_left_out(q);
    if (left)
        add_part(buf, n, size, "%zu failed folder%s left out", left,
                 left == 1 ? "" : "s");
    return buf;
}

size_t mdx_query_left_out(const mdx_query *q)
{
    return mdx_source_left_out(q->src);
}
