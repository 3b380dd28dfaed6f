/*
 * gamecrypt: hard-to-misuse cryptography for game engines.
 *
 * GENERATED FILE: produced by build.rs with cbindgen from src/ffi/. Do not edit by hand.
 *
 * API conventions (every function follows them):
 *  - Names are gamecrypt_<type>_<verb>. Every handle has exactly one way to be created and one
 *    gamecrypt_<type>_free(), which accepts NULL.
 *  - Fallible functions return a gamecrypt_result; gamecrypt_result_str() describes any code.
 *    A signature that does not verify and data that does not authenticate have their own codes.
 *  - Input buffers are (pointer, length) pairs; (NULL, 0) is a valid empty buffer.
 *  - Outputs come last and are written only on success. An output buffer that is too small gives
 *    GAMECRYPT_RESULT_BUFFER_TOO_SMALL, writes the needed length to *out_len and nothing else.
 *  - No function ever lets a Rust panic reach the caller: it returns GAMECRYPT_RESULT_PANIC.
 *  - Secret material is zeroed when its handle is freed.
 */

#ifndef GAMECRYPT_H
#define GAMECRYPT_H



#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#define GAMECRYPT_VERSION_MAJOR 0
#define GAMECRYPT_VERSION_MINOR 1
#define GAMECRYPT_VERSION_PATCH 0
#define GAMECRYPT_VERSION_STRING "0.1.0"

/* Marks functions whose result must be checked (a verify or open that is ignored is a hole). */
#if defined(__GNUC__) || defined(__clang__)
#define GAMECRYPT_MUST_USE __attribute__((warn_unused_result))
#else
#define GAMECRYPT_MUST_USE
#endif


#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * A static, NUL-terminated English description of a `gamecrypt_result` value.
 *
 * Takes the code as an integer so that any value is safe to pass. Never returns NULL;
 * unknown codes give "unknown gamecrypt result code". The string lives forever and must not
 * be freed. Safe to call from any thread.
 */
const char *gamecrypt_result_str(uint32_t result);

/**
 * The library version as a static NUL-terminated string, e.g. "0.1.0". Never NULL, never freed.
 *
 * Compare it with `GAMECRYPT_VERSION_STRING` to catch a header that does not match the library.
 */
const char *gamecrypt_version(void);

/**
 * The library version as one number: major * 10000 + minor * 100 + patch.
 */
uint32_t gamecrypt_version_number(void);

#if defined(GAMECRYPT_TESTING)
/**
 * Testing builds only: makes the next fallible gamecrypt call panic inside its body, to
 * prove that the panic is caught and reported as `GAMECRYPT_RESULT_PANIC`.
 */
void gamecrypt_testing_panic_next_call(void);
#endif

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* GAMECRYPT_H */
