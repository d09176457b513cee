/* Selections: the criteria a path's metadata must meet. The database
 * applies them in SQL too; these functions are the one definition both
 * sources follow. */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "mdexafs/source.h"

void mdx_selection_init(mdx_selection *s)
{
    memset(s, 0, sizeof *s);
    s->reff_min = -INFINITY;
    s->reff_max = INFINITY;
    s->nleg_min = 0;
    s->nleg_max = INT_MAX;
    s->frame_min = LONG_MIN;
    s->frame_max = LONG_MAX;
}

int mdx_selection_has_folder(const mdx_selection *s, long frame, long atom)
{
    if (frame < s->frame_min || frame > s->frame_max)
        return 0;
    if (s->natoms == 0)
        return 1;
    for (size_t i = 0; i < s->natoms; i++)
        if (s->atoms[i] == atom)
            return 1;
    return 0;
}

int mdx_selection_admits(const mdx_selection *s, const mdx_folder_meta *f)
{
    if (!mdx_selection_has_folder(s, f->frame, f->atom) ||
        (s->absorber && strcmp(s->absorber, f->absorber) != 0))
        return 0;
    return s->folder_keep ? s->folder_keep(s->folder_keep_ctx, f) : 1;
}

/* Is `name` one of the rules, with reff within its limit? */
static int rule_matches(size_t n, const mdx_type_rule *rules, const char *name,
                        double reff)
{
    if (n == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i].name, name) == 0 && reff <= rules[i].reff_max)
            return 1;
    return 0;
}

int mdx_selection_matches(const mdx_selection *s, const mdx_path_meta *m)
{
    return mdx_selection_has_folder(s, m->frame, m->atom) &&
           m->reff >= s->reff_min && m->reff <= s->reff_max &&
           m->nleg >= s->nleg_min && m->nleg <= s->nleg_max &&
           (!s->absorber || strcmp(s->absorber, m->absorber) == 0) &&
           rule_matches(s->ntypes, s->types, m->type, m->reff) &&
           rule_matches(s->nelements, s->elements, m->elements, m->reff);
}
