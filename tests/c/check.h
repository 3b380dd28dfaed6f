/* Minimal test helpers for the gamecrypt C tests. */
#ifndef GAMECRYPT_TEST_CHECK_H
#define GAMECRYPT_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gamecrypt.h"

static int check_failures = 0;
static int check_passes = 0;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (cond) {                                                                    \
            check_passes++;                                                            \
        } else {                                                                       \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                              \
    } while (0)

/* Checks that an expression returns the expected gamecrypt_result. */
#define CHECK_RC(expr, expected)                                                       \
    do {                                                                               \
        gamecrypt_result check_rc_ = (expr);                                           \
        if (check_rc_ == (expected)) {                                                 \
            check_passes++;                                                            \
        } else {                                                                       \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d (%s)\n", __FILE__, \
                    __LINE__, #expr, (int)check_rc_, gamecrypt_result_str((uint32_t)check_rc_), \
                    (int)(expected), gamecrypt_result_str((uint32_t)(expected)));       \
        }                                                                              \
    } while (0)

#define CHECK_OK(expr) CHECK_RC(expr, GAMECRYPT_RESULT_OK)

/* Prints the closing line that CI reads and returns the process exit code. */
static int check_report(const char *suite) {
    printf("%s: %d passed, %d failed\n", suite, check_passes, check_failures);
    return check_failures == 0 ? 0 : 1;
}

#endif
