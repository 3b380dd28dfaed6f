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


/**
 * Length of a public key fingerprint (SHA-256 of its SubjectPublicKeyInfo DER).
 * Same as `gamecrypt_public_key_fingerprint_len()`.
 */
#define GAMECRYPT_FINGERPRINT_LEN 32

/**
 * Raw Ed25519 public key. Same as `gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ED25519)`.
 */
#define GAMECRYPT_ED25519_PUBLIC_KEY_LEN 32

/**
 * Uncompressed P-256 point (0x04 || x || y).
 * Same as `gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P256)`.
 */
#define GAMECRYPT_P256_PUBLIC_KEY_LEN 65

/**
 * Compressed P-256 point (0x02 or 0x03 || x).
 * Same as `gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ECDSA_P256)`.
 */
#define GAMECRYPT_P256_COMPRESSED_PUBLIC_KEY_LEN 33

/**
 * Uncompressed P-384 point. Same as `gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P384)`.
 */
#define GAMECRYPT_P384_PUBLIC_KEY_LEN 97

/**
 * Compressed P-384 point.
 * Same as `gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ECDSA_P384)`.
 */
#define GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN 49

/**
 * Ed25519 signature (always exactly this long).
 * Same as `gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ED25519, GAMECRYPT_SIGNATURE_DEFAULT)`.
 */
#define GAMECRYPT_ED25519_SIGNATURE_LEN 64

/**
 * P-256 signature in `GAMECRYPT_SIGNATURE_ECDSA_FIXED` form (always exactly this long).
 */
#define GAMECRYPT_P256_FIXED_SIGNATURE_LEN 64

/**
 * P-384 signature in `GAMECRYPT_SIGNATURE_ECDSA_FIXED` form (always exactly this long).
 */
#define GAMECRYPT_P384_FIXED_SIGNATURE_LEN 96

/**
 * Largest P-256 signature in `GAMECRYPT_SIGNATURE_ECDSA_DER` form (they vary in length).
 */
#define GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN 72

/**
 * Largest P-384 signature in `GAMECRYPT_SIGNATURE_ECDSA_DER` form (they vary in length).
 */
#define GAMECRYPT_P384_MAX_DER_SIGNATURE_LEN 104

/**
 * Largest signature of any supported key (RSA-8192): a buffer this large always fits.
 * Same as `gamecrypt_signature_max_len_any()`.
 */
#define GAMECRYPT_MAX_SIGNATURE_LEN 1024

/**
 * The result of every fallible gamecrypt function.
 *
 * Values are explicit and never reused (a retired code stays reserved). `GAMECRYPT_RESULT_OK`
 * is 0; every error has the same number as in the Rust `gamecrypt::Error`.
 * `gamecrypt_result_str()` gives a static message for any value.
 */
typedef enum {
  /**
   * Success.
   */
  GAMECRYPT_RESULT_OK = 0,
  /**
   * A required pointer was NULL (a NULL buffer is only allowed with length 0).
   */
  GAMECRYPT_RESULT_NULL_ARGUMENT = 1,
  /**
   * An argument has a value that is never valid.
   */
  GAMECRYPT_RESULT_INVALID_ARGUMENT = 2,
  /**
   * The output buffer is too small; the needed length was written to `*out_len`.
   */
  GAMECRYPT_RESULT_BUFFER_TOO_SMALL = 3,
  /**
   * An internal bug was caught at the C boundary.
   */
  GAMECRYPT_RESULT_PANIC = 4,
  /**
   * The underlying crypto library failed unexpectedly.
   */
  GAMECRYPT_RESULT_INTERNAL = 5,
  /**
   * The algorithm is not supported for this operation.
   */
  GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM = 6,
  /**
   * The system random number generator failed.
   */
  GAMECRYPT_RESULT_RANDOM_FAILED = 7,
  /**
   * A length is outside the range this operation accepts.
   */
  GAMECRYPT_RESULT_INVALID_LENGTH = 8,
  /**
   * The key could not be parsed.
   */
  GAMECRYPT_RESULT_KEY_MALFORMED = 100,
  /**
   * The text is not valid PEM or has no block with an accepted label.
   */
  GAMECRYPT_RESULT_PEM_MALFORMED = 101,
  /**
   * The key is of the wrong type for this operation.
   */
  GAMECRYPT_RESULT_WRONG_KEY_TYPE = 102,
  /**
   * The signature does not verify.
   */
  GAMECRYPT_RESULT_SIGNATURE_INVALID = 103,
  /**
   * The key is not acceptable (too small, inconsistent or encrypted).
   */
  GAMECRYPT_RESULT_KEY_REJECTED = 104,
  /**
   * This key type cannot be written in the requested format.
   */
  GAMECRYPT_RESULT_UNSUPPORTED_FORMAT = 105,
  /**
   * The data did not authenticate (wrong key or password, wrong associated data, tampering).
   */
  GAMECRYPT_RESULT_OPEN_FAILED = 200,
  /**
   * The sealed box is truncated or is not a gamecrypt box.
   */
  GAMECRYPT_RESULT_BOX_MALFORMED = 201,
  /**
   * The sealed box uses an unknown version or algorithm.
   */
  GAMECRYPT_RESULT_BOX_UNSUPPORTED = 202,
  /**
   * The streaming context was already finished.
   */
  GAMECRYPT_RESULT_CONTEXT_FINISHED = 203,
  /**
   * This call is not allowed in the session's current state.
   */
  GAMECRYPT_RESULT_WRONG_STATE = 300,
  /**
   * A handshake message is malformed.
   */
  GAMECRYPT_RESULT_HANDSHAKE_MALFORMED = 301,
  /**
   * The peer uses an unsupported protocol version.
   */
  GAMECRYPT_RESULT_UNSUPPORTED_VERSION = 302,
  /**
   * Client and server have no cipher suite in common.
   */
  GAMECRYPT_RESULT_NO_COMMON_SUITE = 303,
  /**
   * The handshake was downgraded.
   */
  GAMECRYPT_RESULT_DOWNGRADE_DETECTED = 304,
  /**
   * The server's handshake signature does not verify.
   */
  GAMECRYPT_RESULT_HANDSHAKE_SIGNATURE_INVALID = 305,
  /**
   * The server's key does not match the pinned public key.
   */
  GAMECRYPT_RESULT_PINNED_KEY_MISMATCH = 306,
  /**
   * The server's key does not match the pinned fingerprint.
   */
  GAMECRYPT_RESULT_FINGERPRINT_MISMATCH = 307,
  /**
   * The server certificate has expired.
   */
  GAMECRYPT_RESULT_CERTIFICATE_EXPIRED = 308,
  /**
   * The server certificate is not valid yet.
   */
  GAMECRYPT_RESULT_CERTIFICATE_NOT_YET_VALID = 309,
  /**
   * The server certificate is for another server name.
   */
  GAMECRYPT_RESULT_CERTIFICATE_WRONG_NAME = 310,
  /**
   * The server certificate is not signed by the trusted root key.
   */
  GAMECRYPT_RESULT_CERTIFICATE_SIGNATURE_INVALID = 311,
  /**
   * The server certificate is malformed.
   */
  GAMECRYPT_RESULT_CERTIFICATE_MALFORMED = 312,
  /**
   * The session failed earlier and can no longer be used.
   */
  GAMECRYPT_RESULT_SESSION_FAILED = 313,
  /**
   * The session is closed.
   */
  GAMECRYPT_RESULT_SESSION_CLOSED = 314,
  /**
   * The packet did not authenticate. The session goes on (datagram mode).
   */
  GAMECRYPT_RESULT_PACKET_AUTH_FAILED = 320,
  /**
   * The packet was already received. The session goes on (datagram mode).
   */
  GAMECRYPT_RESULT_PACKET_REPLAYED = 321,
  /**
   * The packet is older than the anti-replay window. The session goes on (datagram mode).
   */
  GAMECRYPT_RESULT_PACKET_TOO_OLD = 322,
  /**
   * The packet is malformed. The session goes on (datagram mode).
   */
  GAMECRYPT_RESULT_PACKET_MALFORMED = 323,
  /**
   * Stream mode: the packet arrived out of order or one is missing.
   */
  GAMECRYPT_RESULT_PACKET_OUT_OF_ORDER = 324,
  /**
   * The packet numbers of this session are used up.
   */
  GAMECRYPT_RESULT_KEY_EXHAUSTED = 325,
  /**
   * The server sent no certificate but the client requires one.
   */
  GAMECRYPT_RESULT_CERTIFICATE_MISSING = 326,
} gamecrypt_result;

/**
 * A public key that verifies signatures: ECDSA P-256, ECDSA P-384, Ed25519 or RSA.
 *
 * Created by `gamecrypt_public_key_from_spki_der()`, `gamecrypt_public_key_from_pem()`,
 * `gamecrypt_public_key_from_raw()` or `gamecrypt_signing_key_public_key()`; freed exactly
 * once with `gamecrypt_public_key_free()`.
 *
 * Thread rules: immutable; one handle may be used by any number of threads at the same time.
 * Only the free must not race with other uses of the handle.
 */
typedef struct gamecrypt_public_key gamecrypt_public_key;

/**
 * A private key that signs: ECDSA P-256, ECDSA P-384, Ed25519 or RSA.
 *
 * Created by `gamecrypt_signing_key_generate()`, `gamecrypt_signing_key_from_der()` or
 * `gamecrypt_signing_key_from_pem()`; freed exactly once with `gamecrypt_signing_key_free()`,
 * which zeroes the key material.
 *
 * Thread rules: the key never changes after creation, so one handle may be used by any
 * number of threads at the same time (sign, export, ...). Only the free must not race with
 * other uses of the handle.
 */
typedef struct gamecrypt_signing_key gamecrypt_signing_key;

/**
 * A key type: one of the `GAMECRYPT_KEY_TYPE_*` constants. Any other value is
 * `GAMECRYPT_RESULT_INVALID_ARGUMENT`.
 */
typedef uint32_t gamecrypt_key_type;

/**
 * A signature encoding: one of the `GAMECRYPT_SIGNATURE_*` constants. Any other value is
 * `GAMECRYPT_RESULT_INVALID_ARGUMENT`; a format that does not fit the key's type is
 * `GAMECRYPT_RESULT_WRONG_KEY_TYPE`.
 */
typedef uint32_t gamecrypt_signature_format;

/**
 * ECDSA on NIST P-256 with SHA-256: the default choice.
 */
#define GAMECRYPT_KEY_TYPE_ECDSA_P256 1

/**
 * ECDSA on NIST P-384 with SHA-384.
 */
#define GAMECRYPT_KEY_TYPE_ECDSA_P384 2

/**
 * Ed25519.
 */
#define GAMECRYPT_KEY_TYPE_ED25519 3

/**
 * RSA, 2048 to 8192 bits: import, sign and verify only (no generation, no raw form).
 */
#define GAMECRYPT_KEY_TYPE_RSA 4

/**
 * The key's natural format: DER for ECDSA, the only format for Ed25519, PKCS#1 v1.5 with
 * SHA-256 for RSA.
 */
#define GAMECRYPT_SIGNATURE_DEFAULT 0

/**
 * ECDSA only: ASN.1 DER `SEQUENCE { r, s }`, variable length (what OpenSSL writes).
 */
#define GAMECRYPT_SIGNATURE_ECDSA_DER 1

/**
 * ECDSA only: fixed-length `r || s` (IEEE P1363, what JWS and WebCrypto use).
 */
#define GAMECRYPT_SIGNATURE_ECDSA_FIXED 2

/**
 * RSA only: PKCS#1 v1.5 with SHA-256.
 */
#define GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256 3

/**
 * RSA only: PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
 */
#define GAMECRYPT_SIGNATURE_RSA_PSS_SHA256 4

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * `GAMECRYPT_FINGERPRINT_LEN`, for languages that cannot read macros.
 */
size_t gamecrypt_public_key_fingerprint_len(void);

/**
 * Length of the raw public key of `key_type`: the uncompressed point for ECDSA
 * (`GAMECRYPT_P256_PUBLIC_KEY_LEN`, `GAMECRYPT_P384_PUBLIC_KEY_LEN`), 32 for Ed25519.
 * Returns 0 for RSA (no raw form) and for unknown types.
 */
size_t gamecrypt_public_key_raw_len(gamecrypt_key_type key_type);

/**
 * Length of the compressed point of an ECDSA `key_type`
 * (`GAMECRYPT_P256_COMPRESSED_PUBLIC_KEY_LEN`, `GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN`).
 * Returns 0 for the other types (they have no compressed form) and for unknown types.
 */
size_t gamecrypt_public_key_raw_compressed_len(gamecrypt_key_type key_type);

/**
 * The largest signature a key of `key_type` makes in `format` (exact for Ed25519 and
 * `GAMECRYPT_SIGNATURE_ECDSA_FIXED`; for RSA the largest supported modulus, 1024 bytes: use
 * `gamecrypt_signing_key_max_signature_len()` for the exact size of one key). Returns 0 for
 * unknown values and for a format that does not fit the type.
 */
size_t gamecrypt_signature_max_len(gamecrypt_key_type key_type, gamecrypt_signature_format format);

/**
 * `GAMECRYPT_MAX_SIGNATURE_LEN`: a buffer of this size holds any gamecrypt signature.
 */
size_t gamecrypt_signature_max_len_any(void);

/**
 * Generates a new signing key of `key_type` (ECDSA P-256, ECDSA P-384 or Ed25519) from the
 * system random generator and stores its handle in `*out`.
 *
 * The caller owns the new handle and frees it with `gamecrypt_signing_key_free()`.
 * Safe to call from any thread.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT` (out is NULL), `INVALID_ARGUMENT` (unknown
 * key type), `UNSUPPORTED_ALGORITHM` (RSA: import RSA keys instead), `RANDOM_FAILED`.
 */
gamecrypt_result gamecrypt_signing_key_generate(gamecrypt_key_type key_type,
                                                gamecrypt_signing_key **out);

/**
 * Imports an unencrypted private key in DER and stores its handle in `*out`. The encoding is
 * detected: PKCS#8 `PrivateKeyInfo` v1 or v2 (`openssl genpkey`) of ECDSA P-256/P-384,
 * Ed25519 or RSA; SEC1 `ECPrivateKey` (`openssl ec`, Godot's `CryptoKey`); PKCS#1
 * `RSAPrivateKey`.
 *
 * `der` is only read during the call. The caller owns the new handle.
 * Safe to call from any thread.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `KEY_MALFORMED` (not such a key, or its
 * embedded public key does not match); `UNSUPPORTED_ALGORITHM` (another algorithm or curve,
 * e.g. secp256k1, P-521, X25519); `KEY_REJECTED` (RSA below 2048 or above 8192 bits).
 */
gamecrypt_result gamecrypt_signing_key_from_der(const uint8_t *der,
                                                size_t der_len,
                                                gamecrypt_signing_key **out);

/**
 * Imports the first `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY` (SEC1) or `RSA PRIVATE KEY`
 * (PKCS#1) block of a PEM text and stores its handle in `*out`.
 *
 * `pem` is `pem_len` bytes of text; it need not be NUL-terminated (a terminating NUL inside
 * `pem_len` is ignored). Text before, between and after blocks is skipped, lines may end in
 * LF or CRLF, and other blocks (e.g. `EC PARAMETERS`) are skipped. At most 1 MiB
 * (1048576 bytes). The caller owns the new handle. Safe to call from any thread.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `PEM_MALFORMED` (no such block, a block
 * without END line, bad base64); `KEY_REJECTED` (an encrypted key: `ENCRYPTED PRIVATE KEY`
 * or `Proc-Type: 4,ENCRYPTED`; decrypt it first, or RSA of an unsupported size);
 * `INVALID_LENGTH` (text over 1 MiB); and the codes of `gamecrypt_signing_key_from_der()`
 * (`KEY_MALFORMED` also when the content does not match the label).
 */
gamecrypt_result gamecrypt_signing_key_from_pem(const char *pem,
                                                size_t pem_len,
                                                gamecrypt_signing_key **out);

/**
 * Exports `key` as unencrypted PKCS#8 v1 DER (for every key type), into
 * `(out, out_cap, out_len)`. Call with `out_cap` 0 to learn the length.
 *
 * The output is the private key: protect it and wipe it after use (gamecrypt wipes its own
 * copy). Safe to call from any thread, also while others use `key`.
 *
 * Returns `GAMECRYPT_RESULT_OK` with the length in `*out_len`; `BUFFER_TOO_SMALL` with the
 * needed length in `*out_len`; `NULL_ARGUMENT`; `INTERNAL`.
 */
gamecrypt_result gamecrypt_signing_key_to_pkcs8_der(const gamecrypt_signing_key *key,
                                                    uint8_t *out,
                                                    size_t out_cap,
                                                    size_t *out_len);

/**
 * Exports `key` as a PEM `PRIVATE KEY` block (PKCS#8 v1): ASCII text with 64-column lines,
 * LF line endings and a final newline, into `(out, out_cap, out_len)`.
 *
 * No NUL terminator is written: `*out_len` is the length of the text. (To get a C string,
 * pass a buffer one byte larger and set `out[*out_len] = 0` yourself.) Call with `out_cap` 0
 * to learn the length. The output is the private key: protect it and wipe it after use.
 * Safe to call from any thread.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
 * `NULL_ARGUMENT`; `INTERNAL`.
 */
gamecrypt_result gamecrypt_signing_key_to_pkcs8_pem(const gamecrypt_signing_key *key,
                                                    char *out,
                                                    size_t out_cap,
                                                    size_t *out_len);

/**
 * Stores a new handle to the public key of `key` in `*out_public`.
 *
 * The new handle is independent of `key` (either may be freed first); the caller owns it and
 * frees it with `gamecrypt_public_key_free()`. Safe to call from any thread.
 *
 * Returns `GAMECRYPT_RESULT_OK` or `NULL_ARGUMENT`.
 */
gamecrypt_result gamecrypt_signing_key_public_key(const gamecrypt_signing_key *key,
                                                  gamecrypt_public_key **out_public);

/**
 * Stores the type of `key` (a `GAMECRYPT_KEY_TYPE_*` value) in `*out_type`.
 *
 * Returns `GAMECRYPT_RESULT_OK` or `NULL_ARGUMENT`. Safe to call from any thread.
 */
gamecrypt_result gamecrypt_signing_key_type(const gamecrypt_signing_key *key,
                                            gamecrypt_key_type *out_type);

/**
 * Stores in `*out_len` the output capacity `gamecrypt_signing_key_sign()` needs for `key` in
 * `format`: the exact length for Ed25519, RSA and `ECDSA_FIXED`, the largest possible for
 * `ECDSA_DER` (whose signatures vary by a few bytes).
 *
 * Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `INVALID_ARGUMENT` (unknown format);
 * `WRONG_KEY_TYPE` (the format does not fit the key). Safe to call from any thread.
 */
gamecrypt_result gamecrypt_signing_key_max_signature_len(const gamecrypt_signing_key *key,
                                                         gamecrypt_signature_format format,
                                                         size_t *out_len);

/**
 * Signs the `msg_len` bytes at `msg` with `key` in `format` and writes the signature to
 * `(out, out_cap, out_len)`.
 *
 * The message is hashed inside (SHA-256 for P-256 and RSA, SHA-384 for P-384; Ed25519 signs
 * the message itself); pass the message, not a digest. `out_cap` must be at least
 * `gamecrypt_signing_key_max_signature_len()` (`GAMECRYPT_MAX_SIGNATURE_LEN` always fits),
 * even though a DER signature may come out a few bytes shorter: `*out_len` is its actual
 * length. ECDSA and RSA-PSS signatures are randomized. `out` must not overlap `msg`.
 * Safe to call from any thread, also with the same key at the same time.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed capacity in `*out_len`;
 * `NULL_ARGUMENT`; `INVALID_ARGUMENT` (unknown format, or `out` overlaps `msg`);
 * `WRONG_KEY_TYPE` (the format does not fit the key); `INTERNAL`.
 */
gamecrypt_result gamecrypt_signing_key_sign(const gamecrypt_signing_key *key,
                                            const uint8_t *msg,
                                            size_t msg_len,
                                            gamecrypt_signature_format format,
                                            uint8_t *out,
                                            size_t out_cap,
                                            size_t *out_len);

/**
 * Frees a signing key and zeroes its key material. NULL is ignored.
 *
 * Call it exactly once per handle, after every other use of the handle (in every thread) has
 * returned.
 */
void gamecrypt_signing_key_free(gamecrypt_signing_key *key);

/**
 * Imports a SubjectPublicKeyInfo DER (what `openssl pkey -pubout -outform DER` writes) and
 * stores its handle in `*out`: ECDSA P-256/P-384 (uncompressed or compressed point),
 * Ed25519, or RSA (`rsaEncryption`, 2048 to 8192 bits).
 *
 * The caller owns the new handle and frees it with `gamecrypt_public_key_free()`.
 * Safe to call from any thread.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `KEY_MALFORMED` (not a valid
 * SubjectPublicKeyInfo, or a point not on the curve); `UNSUPPORTED_ALGORITHM` (another
 * algorithm or curve); `KEY_REJECTED` (RSA of an unsupported size).
 */
gamecrypt_result gamecrypt_public_key_from_spki_der(const uint8_t *der,
                                                    size_t der_len,
                                                    gamecrypt_public_key **out);

/**
 * Imports the first `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1) block
 * of a PEM text and stores its handle in `*out`.
 *
 * `pem` is `pem_len` bytes of text, not necessarily NUL-terminated; other text and blocks are
 * skipped; at most 1 MiB. The caller owns the new handle. Safe to call from any thread.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `PEM_MALFORMED` (no such block, bad
 * base64); `INVALID_LENGTH` (text over 1 MiB); and the codes of
 * `gamecrypt_public_key_from_spki_der()`.
 */
gamecrypt_result gamecrypt_public_key_from_pem(const char *pem,
                                               size_t pem_len,
                                               gamecrypt_public_key **out);

/**
 * Imports a raw public key of `key_type` and stores its handle in `*out`: an X9.62 point for
 * ECDSA (P-256: 65 bytes uncompressed or 33 compressed; P-384: 97 or 49), 32 bytes for
 * Ed25519.
 *
 * The caller owns the new handle. Safe to call from any thread.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `INVALID_ARGUMENT` (unknown key type);
 * `KEY_MALFORMED` (wrong length for the type, or not a point on the curve);
 * `UNSUPPORTED_FORMAT` (RSA has no raw form: use SubjectPublicKeyInfo).
 */
gamecrypt_result gamecrypt_public_key_from_raw(gamecrypt_key_type key_type,
                                               const uint8_t *raw,
                                               size_t raw_len,
                                               gamecrypt_public_key **out);

/**
 * Writes `key` as SubjectPublicKeyInfo DER (canonical: uncompressed point) to
 * `(out, out_cap, out_len)`. Call with `out_cap` 0 to learn the length.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
 * `NULL_ARGUMENT`. Safe to call from any thread.
 */
gamecrypt_result gamecrypt_public_key_to_spki_der(const gamecrypt_public_key *key,
                                                  uint8_t *out,
                                                  size_t out_cap,
                                                  size_t *out_len);

/**
 * Writes `key` as a PEM `PUBLIC KEY` block (SubjectPublicKeyInfo; 64-column lines, LF line
 * endings, final newline) to `(out, out_cap, out_len)`.
 *
 * No NUL terminator is written: `*out_len` is the length of the text. Call with `out_cap` 0
 * to learn the length. Safe to call from any thread.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
 * `NULL_ARGUMENT`.
 */
gamecrypt_result gamecrypt_public_key_to_pem(const gamecrypt_public_key *key,
                                             char *out,
                                             size_t out_cap,
                                             size_t *out_len);

/**
 * Writes the raw form of `key` to `(out, out_cap, out_len)`: the uncompressed X9.62 point for
 * ECDSA (65 or 97 bytes), 32 bytes for Ed25519. See `gamecrypt_public_key_raw_len()`.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
 * `NULL_ARGUMENT`; `UNSUPPORTED_FORMAT` (RSA has no raw form). Safe to call from any thread.
 */
gamecrypt_result gamecrypt_public_key_to_raw(const gamecrypt_public_key *key,
                                             uint8_t *out,
                                             size_t out_cap,
                                             size_t *out_len);

/**
 * Writes the compressed X9.62 point of an ECDSA `key` (33 or 49 bytes) to
 * `(out, out_cap, out_len)`. See `gamecrypt_public_key_raw_compressed_len()`.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
 * `NULL_ARGUMENT`; `UNSUPPORTED_FORMAT` (Ed25519 and RSA keys). Safe to call from any thread.
 */
gamecrypt_result gamecrypt_public_key_to_raw_compressed(const gamecrypt_public_key *key,
                                                        uint8_t *out,
                                                        size_t out_cap,
                                                        size_t *out_len);

/**
 * Writes the fingerprint of `key`, SHA-256 of its SubjectPublicKeyInfo DER
 * (`GAMECRYPT_FINGERPRINT_LEN` = 32 bytes), to `out`, which has room for `out_cap` bytes.
 *
 * It equals `openssl pkey -pubin -outform DER | openssl dgst -sha256`, and is the same
 * whichever form (raw, compressed, SPKI, PEM) the key was imported from.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` (`out_cap` below 32, nothing written);
 * `NULL_ARGUMENT`. Safe to call from any thread.
 */
gamecrypt_result gamecrypt_public_key_fingerprint(const gamecrypt_public_key *key,
                                                  uint8_t *out,
                                                  size_t out_cap);

/**
 * Verifies that `sig` (`sig_len` bytes) is a signature by `key` over the `msg_len` bytes at
 * `msg`, in `format` (`GAMECRYPT_SIGNATURE_DEFAULT` is the key's natural format).
 *
 * Only `GAMECRYPT_RESULT_OK` means the signature is valid. Safe to call from any thread,
 * also with the same key at the same time.
 *
 * Returns `GAMECRYPT_RESULT_OK`; `SIGNATURE_INVALID` (the signature does not verify: wrong
 * key, altered message, altered or truncated signature); `NULL_ARGUMENT`; `INVALID_ARGUMENT`
 * (unknown format); `WRONG_KEY_TYPE` (the format does not fit the key).
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_public_key_verify(const gamecrypt_public_key *key,
                                             const uint8_t *msg,
                                             size_t msg_len,
                                             const uint8_t *sig,
                                             size_t sig_len,
                                             gamecrypt_signature_format format);

/**
 * Stores the type of `key` (a `GAMECRYPT_KEY_TYPE_*` value) in `*out_type`.
 *
 * Returns `GAMECRYPT_RESULT_OK` or `NULL_ARGUMENT`. Safe to call from any thread.
 */
gamecrypt_result gamecrypt_public_key_type(const gamecrypt_public_key *key,
                                           gamecrypt_key_type *out_type);

/**
 * Frees a public key. NULL is ignored.
 *
 * Call it exactly once per handle, after every other use of the handle has returned.
 */
void gamecrypt_public_key_free(gamecrypt_public_key *key);

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
