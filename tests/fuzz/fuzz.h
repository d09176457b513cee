/* What the libFuzzer harnesses share: the entry point's declaration and a
 * check that stops the run (a finding) when a promise is broken. */
#ifndef MDX_FUZZ_H
#define MDX_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

/* The input as text with a NUL after it (malloc'd), or NULL. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

#endif
