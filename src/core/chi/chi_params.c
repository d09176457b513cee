/* Path parameters by name: the names EXAFS analysis and xraylarch give
 * the fields of mdx_chi_params, and the values each may take. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "mdexafs/chi.h"

typedef struct param_name {
    const char *name;
    size_t offset;      /* of the double in mdx_chi_params */
    const char *alias;  /* the name this one is another name for, or NULL */
} param_name;

#define SLOT(field) offsetof(mdx_chi_params, field)
static const param_name names[] = {
    {"s02", SLOT(s02), NULL},     {"e0", SLOT(e0), NULL},
    {"sigma2", SLOT(sigma2), NULL}, {"deltar", SLOT(deltar), NULL},
    {"c3", SLOT(c3), NULL},       {"c4", SLOT(c4), NULL},
    {"ei", SLOT(ei), NULL},       {"degen", SLOT(degen), NULL},
    {"third", SLOT(c3), "c3"},    {"fourth", SLOT(c4), "c4"},
    {NULL, 0, NULL},
};
#undef SLOT

static const param_name *find(const char *name)
{
    for (const param_name *p = names; name && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

double *mdx_chi_param(mdx_chi_params *par, const char *name)
{
    const param_name *p = find(name);
    return p ? (double *)((char *)par + p->offset) : NULL;
}

const char *mdx_chi_param_canonical(const char *name)
{
    const param_name *p = find(name);
    return !p ? NULL : p->alias ? p->alias : p->name;
}

const char *mdx_chi_param_names(void)
{
    return "s02 e0 sigma2 deltar c3 c4 ei degen; third = c3, fourth = c4";
}

mdx_status mdx_chi_param_set(mdx_chi_params *par, const char *name, double v,
                             mdx_error *err)
{
    double *field = mdx_chi_param(par, name);
    if (!field)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "unknown path parameter '%s' (known: %s)", name,
                             mdx_chi_param_names());
    if (isnan(v))  /* %g writes "nan" or "-nan" as the sign bit has it */
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "path parameter '%s' "
                             "is NaN, not a finite number", name);
    if (!isfinite(v))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "path parameter '%s' is %g, not a finite number",
                             name, v);
    if (field == &par->degen && v < 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "path parameter '%s' is %g: a degeneracy counts "
                             "paths", name, v);
    *field = v;
    return MDX_OK;
}
