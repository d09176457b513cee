/* What the faces share around mdx_source_choose: a request's options read
 * from the words users give, and the line that tells them the plan. */
#include <stdio.h>
#include <string.h>

#include "mdexafs/source.h"

/* An option's two words and the values they stand for. */
typedef struct option_words {
    const char *key;
    const char *word[2];
    int value[2];
} option_words;

static const option_words options[] = {
    {"prefer", {"feff.bin", "feffNNNN.dat"}, {MDX_PREFER_BIN, MDX_PREFER_DAT}},
    {"verify", {"folders", "files"}, {MDX_VERIFY_FOLDERS, MDX_VERIFY_FILES}},
    {"failed", {"stop", "skip"}, {0, 1}},
};

mdx_status mdx_source_request_option(mdx_source_request *r, const char *key,
                                     const char *value, mdx_error *err)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        const option_words *o = &options[i];
        if (strcmp(key, o->key) != 0)
            continue;
        for (int w = 0; w < 2; w++) {
            if (strcmp(value, o->word[w]) != 0)
                continue;
            if (i == 0)
                r->prefer = (enum mdx_prefer)o->value[w];
            else if (i == 1)
                r->verify = (enum mdx_verify)o->value[w];
            else
                r->skip_failed = o->value[w];
            return MDX_OK;
        }
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "source: %s must be "
                             "\"%s\" or \"%s\", not '%s'", key, o->word[0],
                             o->word[1], value);
    }
    return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "source: unknown option "
                         "'%s' (known: prefer verify failed)", key);
}

const char *mdx_verify_name(enum mdx_verify v)
{
    static const char *const names[] = {[MDX_VERIFY_FOLDERS] = "folders",
                                        [MDX_VERIFY_FILES] = "files"};
    return (unsigned)v < 2 ? names[v] : NULL;
}

void mdx_source_plan_note(const mdx_source_plan *p, const char *db,
                          char *buf, size_t size)
{
    const mdx_freshness *f = &p->fresh;
    const char *state = mdx_freshness_state_name(f->state);
    switch (p->choice) {
    case MDX_CHOOSE_TREE:
        snprintf(buf, size, "computing from the files in %s", f->tree);
        break;
    case MDX_CHOOSE_DB:
        snprintf(buf, size, "using the database %s", db);
        break;
    case MDX_CHOOSE_UNCHECKED:
        snprintf(buf, size, "%s: %s: using the database as it was built, "
                 "unchecked", db, f->detail);
        break;
    case MDX_CHOOSE_BUILD:
        snprintf(buf, size, "%s is %s (%s): %s it from %s", db, state,
                 f->detail, f->state == MDX_STALE ? "updating" : "building",
                 f->tree);
        break;
    default:
        snprintf(buf, size, "%s is %s (%s): computing from the files in %s",
                 db, state, f->detail, f->tree);
    }
}
