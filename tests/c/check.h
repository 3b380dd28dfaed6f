/* Minimal test helpers for the gamecrypt C tests. */
#ifndef GAMECRYPT_TEST_CHECK_H
#define GAMECRYPT_TEST_CHECK_H

#include <stddef.h>
#include <stdint.h>
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

/* Helpers below are `static inline` so that a test file that does not use one of them
 * compiles cleanly under -Wall -Werror. */

/* Decodes the hex string `hex` (no separators) into `out`; returns the number of bytes, or
 * aborts the test program on a malformed string or a too-small buffer (a bug in the test). */
static inline size_t hex_decode(const char *hex, uint8_t *out, size_t cap) {
    size_t n = strlen(hex);
    if (n % 2 != 0 || n / 2 > cap) {
        fprintf(stderr, "hex_decode: bad test vector \"%s\"\n", hex);
        abort();
    }
    for (size_t i = 0; i < n / 2; i++) {
        unsigned int byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            fprintf(stderr, "hex_decode: bad test vector \"%s\"\n", hex);
            abort();
        }
        out[i] = (uint8_t)byte;
    }
    return n / 2;
}

/* True when `buf[0..len]` equals the bytes written as hex in `hex`. */
static inline int bytes_eq_hex(const uint8_t *buf, size_t len, const char *hex) {
    uint8_t expected[1024];
    size_t n = hex_decode(hex, expected, sizeof expected);
    return n == len && memcmp(buf, expected, len) == 0;
}

/* True when every byte of `buf[0..len]` is `value` (for canary checks: "nothing written"). */
static inline int all_bytes_are(const uint8_t *buf, size_t len, uint8_t value) {
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != value) {
            return 0;
        }
    }
    return 1;
}

/* The canary byte that output buffers are filled with before a call that must not write. */
#define CANARY 0xA5

/* A non-NULL pointer value that no gamecrypt function returns: a handle output initialised
 * with it shows whether a failing call wrote the output (it must not). */
static inline void *check_sentinel(void) {
    static max_align_t object;
    return &object;
}
#define SENTINEL(type) ((type *)check_sentinel())

/* Reads the file `name` under tests/data/ (the directory named by $GAMECRYPT_TEST_DATA, which
 * run.sh sets; otherwise tests/data relative to the current directory, i.e. the repo root).
 * Returns a malloc'd buffer with a NUL byte after the `*len` bytes of content (so PEM text is
 * also a C string), or NULL (and a failed check) if the file cannot be read. Free it. */
static inline uint8_t *read_fixture(const char *name, size_t *len) {
    const char *dir = getenv("GAMECRYPT_TEST_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir != NULL ? dir : "tests/data", name);
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0;
    if (f != NULL) {
        for (;;) {
            uint8_t *bigger = realloc(data, size + 4096 + 1);
            if (bigger == NULL) {
                break;
            }
            data = bigger;
            size_t got = fread(data + size, 1, 4096, f);
            size += got;
            if (got < 4096) {
                break;
            }
        }
        int read_error = ferror(f);
        fclose(f);
        if (read_error || data == NULL) {
            free(data);
            data = NULL;
        }
    }
    if (data == NULL) {
        check_failures++;
        fprintf(stderr, "cannot read test fixture %s\n", path);
        *len = 0;
        return NULL;
    }
    data[size] = 0;
    *len = size;
    return data;
}

/* Prints the closing line that CI reads and returns the process exit code. */
static int check_report(const char *suite) {
    printf("%s: %d passed, %d failed\n", suite, check_passes, check_failures);
    return check_failures == 0 ? 0 : 1;
}

#endif
