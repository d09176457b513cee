/* Asserting an error completely: the status returned, the code, file and
 * line the API filled in, and a part of the message. Include after
 * <cmocka.h> and <string.h>. */
#ifndef MDX_EXPECT_H
#define MDX_EXPECT_H

/* `got` is what the call returned, `err` the mdx_error it filled; `file`
 * "" and `line` 0 where none applies. */
#define assert_error(got, err, want, file_, line_, text)                    \
    do {                                                                     \
        assert_int_equal((got), (want));                                     \
        assert_int_equal((err).code, (want));                                \
        assert_string_equal((err).file, (file_));                            \
        assert_int_equal((err).line, (line_));                               \
        if (!strstr((err).msg, (text)))                                      \
            fail_msg("message '%s' lacks '%s'", (err).msg, (text));          \
    } while (0)

#endif
