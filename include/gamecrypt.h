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
 * Header of a sealed packet: 1 type byte + 56-bit big-endian packet number.
 */
#define GAMECRYPT_PACKET_HEADER_LEN 8

/**
 * Authentication tag at the end of a sealed packet.
 */
#define GAMECRYPT_PACKET_TAG_LEN 16

/**
 * Bytes a sealed packet adds to its plaintext (header + tag).
 */
#define GAMECRYPT_PACKET_OVERHEAD 24

/**
 * Largest plaintext of one packet (16 MiB).
 */
#define GAMECRYPT_PACKET_MAX_PAYLOAD_LEN 16777216

/**
 * First byte of an application data packet.
 */
#define GAMECRYPT_PACKET_TYPE_DATA 64

/**
 * First byte of an authenticated close packet.
 */
#define GAMECRYPT_PACKET_TYPE_CLOSE 66

/**
 * First byte of a ClientHello.
 */
#define GAMECRYPT_SESSION_MESSAGE_CLIENT_HELLO 1

/**
 * First byte of a ServerHello.
 */
#define GAMECRYPT_SESSION_MESSAGE_SERVER_HELLO 2

/**
 * First byte of a ClientFinished.
 */
#define GAMECRYPT_SESSION_MESSAGE_CLIENT_FINISHED 3

/**
 * No handshake message is longer than this: a buffer of this size always suffices for
 * gamecrypt_session_write_handshake().
 */
#define GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN 4096

/**
 * Datagram mode: a packet may arrive this many packet numbers behind the newest one.
 */
#define GAMECRYPT_SESSION_REPLAY_WINDOW 1984

/**
 * Length of a pinned fingerprint (SHA-256 of the server key's SubjectPublicKeyInfo DER).
 */
#define GAMECRYPT_SESSION_FINGERPRINT_LEN 32

/**
 * The largest server certificate.
 */
#define GAMECRYPT_CERTIFICATE_MAX_LEN 414

/**
 * Size of an Ed25519 public key and of each half of a P-256 signature.
 */
#define ED25519_PUBLIC_KEY_LEN 32

/**
 * Uncompressed X9.62 P-256 point (0x04 || x || y).
 */
#define P256_PUBLIC_KEY_LEN 65

/**
 * Compressed X9.62 P-256 point (0x02/0x03 || x).
 */
#define P256_COMPRESSED_PUBLIC_KEY_LEN 33

/**
 * Uncompressed X9.62 P-384 point.
 */
#define P384_PUBLIC_KEY_LEN 97

/**
 * Compressed X9.62 P-384 point.
 */
#define P384_COMPRESSED_PUBLIC_KEY_LEN 49

/**
 * Ed25519 signature.
 */
#define ED25519_SIGNATURE_LEN 64

/**
 * ECDSA P-256 signature in fixed r||s (IEEE P1363) form.
 */
#define P256_FIXED_SIGNATURE_LEN 64

/**
 * ECDSA P-384 signature in fixed r||s (IEEE P1363) form.
 */
#define P384_FIXED_SIGNATURE_LEN 96

/**
 * Largest ECDSA P-256 signature in DER form.
 */
#define P256_MAX_DER_SIGNATURE_LEN 72

/**
 * Largest ECDSA P-384 signature in DER form.
 */
#define P384_MAX_DER_SIGNATURE_LEN 104

/**
 * Largest signature of any supported key (RSA-8192).
 */
#define MAX_SIGNATURE_LEN 1024

/**
 * SHA-256 fingerprint of a public key's SubjectPublicKeyInfo DER.
 */
#define FINGERPRINT_LEN 32

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
 * An immutable client configuration, shareable by any number of sessions and threads.
 * Free with gamecrypt_client_config_free() (sessions keep their own reference).
 */
typedef struct gamecrypt_client_config gamecrypt_client_config;

/**
 * Builder of a client configuration. Not thread-safe; free with
 * gamecrypt_client_config_builder_free().
 */
typedef struct gamecrypt_client_config_builder gamecrypt_client_config_builder;

/**
 * An immutable server configuration, shareable by any number of sessions and threads.
 * Free with gamecrypt_server_config_free() (sessions keep their own reference).
 */
typedef struct gamecrypt_server_config gamecrypt_server_config;

/**
 * Builder of a server configuration. Not thread-safe; free with
 * gamecrypt_server_config_builder_free().
 */
typedef struct gamecrypt_server_config_builder gamecrypt_server_config_builder;

/**
 * One secure session (client or server side), sans-IO: it never sends or receives by
 * itself; the application carries its bytes. Free with gamecrypt_session_free().
 *
 * Handshake: while gamecrypt_session_get_state() is NEED_WRITE, call
 * gamecrypt_session_write_handshake() and send the bytes; when a message arrives and the state
 * is NEED_READ, pass it to gamecrypt_session_read_handshake(). Client: write ClientHello, read
 * ServerHello, write ClientFinished (then ESTABLISHED; send the Finished together with the
 * first data). Server: read ClientHello, write ServerHello, read ClientFinished.
 *
 * Demultiplexing received bytes: first byte below 0x40 (gamecrypt_session_is_handshake_message())
 * goes to gamecrypt_session_read_handshake(), anything else to gamecrypt_session_open().
 *
 * Thread rules: every call is memory-safe from any thread (all state is locked). Sealing
 * (gamecrypt_session_seal(), gamecrypt_session_close()) and opening (gamecrypt_session_open())
 * use separate locks, so one thread may seal while another opens without waiting on each
 * other. gamecrypt_session_get_state(), gamecrypt_session_suite() and
 * gamecrypt_session_server_public_key() may be called from any thread at any time. The
 * handshake calls are meant for one thread. gamecrypt_session_free() must not run
 * concurrently with any other call on the same session.
 */
typedef struct gamecrypt_session gamecrypt_session;

/**
 * A cipher suite (one of `GAMECRYPT_SUITE_*`). The value is also the 16-bit wire code.
 */
typedef uint32_t gamecrypt_suite;

/**
 * Returns the current time in unix seconds for certificate checks. Called from whichever
 * thread reads the ServerHello, so it must be thread-safe.
 */
typedef uint64_t (*gamecrypt_clock_fn)(void *ctx);

/**
 * How the transport delivers packets (one of `GAMECRYPT_SESSION_MODE_*`).
 */
typedef uint32_t gamecrypt_session_mode;

/**
 * Where a session is (one of `GAMECRYPT_SESSION_STATE_*`).
 */
typedef uint32_t gamecrypt_session_state;

/**
 * ECDH P-256 + ECDSA P-256 + HKDF-SHA256 + AES-256-GCM (the default; identity key ECDSA P-256).
 */
#define GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256 1

/**
 * X25519 + Ed25519 + HKDF-SHA256 + ChaCha20-Poly1305 (identity key Ed25519).
 */
#define GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256 2

/**
 * Packets may be lost, reordered or duplicated (UDP...): a replay window drops bad packets
 * without ending the session.
 */
#define GAMECRYPT_SESSION_MODE_DATAGRAM 1

/**
 * Packets arrive once and in order (TCP, WebSocket): any bad packet ends the session.
 */
#define GAMECRYPT_SESSION_MODE_STREAM 2

/**
 * Only returned by gamecrypt_session_get_state() for a NULL session.
 */
#define GAMECRYPT_SESSION_STATE_INVALID 0

/**
 * Call gamecrypt_session_write_handshake() and send the message to the peer.
 */
#define GAMECRYPT_SESSION_STATE_NEED_WRITE 1

/**
 * Pass the peer's next handshake message to gamecrypt_session_read_handshake().
 */
#define GAMECRYPT_SESSION_STATE_NEED_READ 2

/**
 * gamecrypt_session_seal() and gamecrypt_session_open() work.
 */
#define GAMECRYPT_SESSION_STATE_ESTABLISHED 3

/**
 * A fatal error happened; every call now returns GAMECRYPT_RESULT_SESSION_FAILED.
 */
#define GAMECRYPT_SESSION_STATE_FAILED 4

/**
 * The session was closed; every call now returns GAMECRYPT_RESULT_SESSION_CLOSED.
 */
#define GAMECRYPT_SESSION_STATE_CLOSED 5

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
 * Starts a server configuration with the server's identity key, given as unencrypted
 * PKCS#8 DER (ECDSA P-256 or Ed25519). By default the server accepts every suite its key
 * can sign for. The builder does not keep a pointer to the input.
 *
 * Returns OK, NULL_ARGUMENT, KEY_MALFORMED, WRONG_KEY_TYPE (not P-256 or Ed25519).
 */
gamecrypt_result gamecrypt_server_config_builder_new(const uint8_t *identity_pkcs8,
                                                     size_t identity_pkcs8_len,
                                                     gamecrypt_server_config_builder **out);

/**
 * Makes the server send this certificate (from gamecrypt_certificate_issue()) instead of
 * its bare public key. Needed by clients that trust a root key.
 *
 * Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, INVALID_ARGUMENT (the certificate is
 * for another key). On error the builder is unchanged.
 */
gamecrypt_result gamecrypt_server_config_builder_set_certificate(gamecrypt_server_config_builder *builder,
                                                                 const uint8_t *certificate,
                                                                 size_t certificate_len);

/**
 * Sets the suites the server accepts (`count` values of `GAMECRYPT_SUITE_*`; order does not
 * matter, the client's preference decides).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (count 0, unknown or repeated suite),
 * WRONG_KEY_TYPE (the identity key cannot sign for a listed suite). On error the builder is
 * unchanged.
 */
gamecrypt_result gamecrypt_server_config_builder_set_suites(gamecrypt_server_config_builder *builder,
                                                            const gamecrypt_suite *suites,
                                                            size_t count);

/**
 * Creates an immutable configuration from the builder. The builder stays valid (it can be
 * changed and built again) and must still be freed.
 *
 * Returns OK, NULL_ARGUMENT.
 */
gamecrypt_result gamecrypt_server_config_builder_build(const gamecrypt_server_config_builder *builder,
                                                       gamecrypt_server_config **out);

/**
 * Frees a server configuration builder. NULL is ignored.
 */
void gamecrypt_server_config_builder_free(gamecrypt_server_config_builder *builder);

/**
 * Frees a server configuration. Sessions created from it stay usable. NULL is ignored.
 */
void gamecrypt_server_config_free(gamecrypt_server_config *config);

/**
 * Starts a client configuration that trusts exactly one server key, given as
 * SubjectPublicKeyInfo DER (ECDSA P-256 or Ed25519). Only suites that key can sign for are
 * offered.
 *
 * Returns OK, NULL_ARGUMENT, KEY_MALFORMED, WRONG_KEY_TYPE.
 */
gamecrypt_result gamecrypt_client_config_builder_new_pinned_key(const uint8_t *server_key_spki,
                                                                size_t server_key_spki_len,
                                                                gamecrypt_client_config_builder **out);

/**
 * Starts a client configuration that trusts the server key whose fingerprint (SHA-256 of
 * its SubjectPublicKeyInfo DER, `GAMECRYPT_SESSION_FINGERPRINT_LEN` bytes) is given.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH.
 */
gamecrypt_result gamecrypt_client_config_builder_new_pinned_fingerprint(const uint8_t *fingerprint,
                                                                        size_t fingerprint_len,
                                                                        gamecrypt_client_config_builder **out);

/**
 * Starts a client configuration that trusts any server presenting a valid certificate
 * signed by this root key (SubjectPublicKeyInfo DER, ECDSA P-256 or Ed25519). Set the
 * expected server name with gamecrypt_client_config_builder_set_server_name(); without it,
 * any name the root certified is accepted.
 *
 * Returns OK, NULL_ARGUMENT, KEY_MALFORMED, WRONG_KEY_TYPE.
 */
gamecrypt_result gamecrypt_client_config_builder_new_root(const uint8_t *root_key_spki,
                                                          size_t root_key_spki_len,
                                                          gamecrypt_client_config_builder **out);

/**
 * Sets the suites to offer, most preferred first (`count` values of `GAMECRYPT_SUITE_*`).
 * Default: P-256 suite, then X25519 suite.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (count 0, unknown or repeated suite). On
 * error the builder is unchanged.
 */
gamecrypt_result gamecrypt_client_config_builder_set_suites(gamecrypt_client_config_builder *builder,
                                                            const gamecrypt_suite *suites,
                                                            size_t count);

/**
 * Sets the name the server certificate must carry (NUL-terminated UTF-8, compared byte for
 * byte). Only for root-trusting configurations.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (bad UTF-8, or the builder pins a key or
 * fingerprint), INVALID_LENGTH (empty or longer than 255 bytes).
 */
gamecrypt_result gamecrypt_client_config_builder_set_server_name(gamecrypt_client_config_builder *builder,
                                                                 const char *server_name);

/**
 * Makes certificate checks use `clock(ctx)` (unix seconds) instead of the system clock, e.g.
 * for consoles or tests. `clock` must be thread-safe and `ctx` must stay valid as long as
 * any configuration built from this builder or any session using one exists. A NULL
 * `clock` goes back to the system clock.
 *
 * Returns OK, NULL_ARGUMENT (builder).
 */
gamecrypt_result gamecrypt_client_config_builder_set_clock(gamecrypt_client_config_builder *builder,
                                                           gamecrypt_clock_fn clock,
                                                           void *ctx);

/**
 * Creates an immutable configuration from the builder. The builder stays valid and must
 * still be freed.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE (the pinned key can sign for none of the
 * configured suites).
 */
gamecrypt_result gamecrypt_client_config_builder_build(const gamecrypt_client_config_builder *builder,
                                                       gamecrypt_client_config **out);

/**
 * Frees a client configuration builder. NULL is ignored.
 */
void gamecrypt_client_config_builder_free(gamecrypt_client_config_builder *builder);

/**
 * Frees a client configuration. Sessions created from it stay usable. NULL is ignored.
 */
void gamecrypt_client_config_free(gamecrypt_client_config *config);

/**
 * Creates a client session (state NEED_WRITE: its ClientHello with fresh ephemeral keys is
 * ready). The session keeps its own reference to the configuration.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown mode), RANDOM_FAILED.
 */
gamecrypt_result gamecrypt_session_new_client(const gamecrypt_client_config *config,
                                              gamecrypt_session_mode mode,
                                              gamecrypt_session **out);

/**
 * Creates a server session (state NEED_READ: waiting for a ClientHello). The session keeps
 * its own reference to the configuration.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown mode).
 */
gamecrypt_result gamecrypt_session_new_server(const gamecrypt_server_config *config,
                                              gamecrypt_session_mode mode,
                                              gamecrypt_session **out);

/**
 * Frees a session and erases its keys. NULL is ignored. No other call on this session may
 * be running or follow.
 */
void gamecrypt_session_free(gamecrypt_session *session);

/**
 * The session's state (`GAMECRYPT_SESSION_STATE_*`); GAMECRYPT_SESSION_STATE_INVALID for
 * NULL. Safe to call from any thread at any time.
 */
gamecrypt_session_state gamecrypt_session_get_state(const gamecrypt_session *session);

/**
 * Writes the next handshake message (at most GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN bytes) to
 * send to the peer. Only in state NEED_WRITE. In datagram mode keep a copy: you resend it
 * if the peer's answer does not come (see docs/PROTOCOL.md, "Retransmission").
 *
 * Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in *out_len; nothing changes),
 * WRONG_STATE (nothing to write now), SESSION_FAILED, SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_write_handshake(const gamecrypt_session *session,
                                                   uint8_t *out,
                                                   size_t out_cap,
                                                   size_t *out_len);

/**
 * Processes a handshake message from the peer (a message whose first byte is below 0x40;
 * see gamecrypt_session_is_handshake_message()). Only in state NEED_READ.
 *
 * Returns OK; NULL_ARGUMENT, WRONG_STATE (not waiting for a message: e.g. a late duplicate,
 * ignore it), PACKET_REPLAYED (server only: a copy of the ClientHello already answered,
 * resend your ServerHello): these three change nothing. Fatal (state becomes FAILED):
 * HANDSHAKE_MALFORMED, UNSUPPORTED_VERSION, NO_COMMON_SUITE, DOWNGRADE_DETECTED,
 * HANDSHAKE_SIGNATURE_INVALID, PINNED_KEY_MISMATCH, FINGERPRINT_MISMATCH,
 * CERTIFICATE_EXPIRED, CERTIFICATE_NOT_YET_VALID, CERTIFICATE_WRONG_NAME,
 * CERTIFICATE_SIGNATURE_INVALID, CERTIFICATE_MALFORMED, CERTIFICATE_MISSING,
 * PACKET_AUTH_FAILED (bad ClientFinished). Afterwards: SESSION_FAILED, SESSION_CLOSED.
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_session_read_handshake(const gamecrypt_session *session,
                                                  const uint8_t *message,
                                                  size_t message_len);

/**
 * Seals `plaintext` into a packet of `plaintext_len + GAMECRYPT_PACKET_OVERHEAD` bytes.
 * Only in state ESTABLISHED. No allocation. May run concurrently with
 * gamecrypt_session_open() on the same session.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH (plaintext above
 * GAMECRYPT_PACKET_MAX_PAYLOAD_LEN), BUFFER_TOO_SMALL (needed length in *out_len),
 * WRONG_STATE, KEY_EXHAUSTED (2^56 packets sent: start a new session), SESSION_FAILED,
 * SESSION_CLOSED. `out` must not overlap `plaintext`.
 */
gamecrypt_result gamecrypt_session_seal(const gamecrypt_session *session,
                                        const uint8_t *plaintext,
                                        size_t plaintext_len,
                                        uint8_t *out,
                                        size_t out_cap,
                                        size_t *out_len);

/**
 * Opens a packet (first byte 0x40 or above) into `out`, which needs
 * `packet_len - GAMECRYPT_PACKET_OVERHEAD` bytes. Only in state ESTABLISHED. No allocation.
 * May run concurrently with gamecrypt_session_seal() on the same session.
 *
 * Returns OK; NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in *out_len), WRONG_STATE:
 * nothing changes. PACKET_MALFORMED, PACKET_TOO_OLD, PACKET_REPLAYED, PACKET_AUTH_FAILED:
 * drop the packet; in datagram mode the session goes on, in stream mode they (and
 * PACKET_OUT_OF_ORDER) are fatal. SESSION_CLOSED: the peer closed the session (the session
 * is now CLOSED), or it was closed before. SESSION_FAILED. On any error `out` holds no
 * plaintext. `out` must not overlap `packet`.
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_session_open(const gamecrypt_session *session,
                                        const uint8_t *packet,
                                        size_t packet_len,
                                        uint8_t *out,
                                        size_t out_cap,
                                        size_t *out_len);

/**
 * Closes the session and erases its keys. When ESTABLISHED, writes an authenticated close
 * packet (GAMECRYPT_PACKET_OVERHEAD bytes) to send to the peer; during the handshake writes
 * nothing (*out_len = 0; `out` may then be NULL with `out_cap` 0). Afterwards every call
 * returns SESSION_CLOSED. Counts as a sealing call for the thread rules.
 *
 * Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (nothing changes), SESSION_FAILED,
 * SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_close(const gamecrypt_session *session,
                                         uint8_t *out,
                                         size_t out_cap,
                                         size_t *out_len);

/**
 * The negotiated suite (`GAMECRYPT_SUITE_*`): known to the client after it read the
 * ServerHello and to the server after it read the ClientHello.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_STATE (not negotiated yet), SESSION_FAILED,
 * SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_suite(const gamecrypt_session *session,
                                         gamecrypt_suite *out_suite);

/**
 * The server's identity key as SubjectPublicKeyInfo DER (for the client: the key it
 * authenticated). Available when gamecrypt_session_suite() is.
 *
 * Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL, WRONG_STATE, SESSION_FAILED, SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_server_public_key(const gamecrypt_session *session,
                                                     uint8_t *out,
                                                     size_t out_cap,
                                                     size_t *out_len);

/**
 * True when `data` starts like a handshake message (first byte 0x01..0x3F), which goes to
 * gamecrypt_session_read_handshake(); false for sealed packets (first byte 0x40 and above,
 * for gamecrypt_session_open()), empty input or NULL.
 */
bool gamecrypt_session_is_handshake_message(const uint8_t *data, size_t data_len);

/**
 * GAMECRYPT_PACKET_OVERHEAD as a function.
 */
size_t gamecrypt_packet_overhead(void);

/**
 * GAMECRYPT_PACKET_MAX_PAYLOAD_LEN as a function.
 */
size_t gamecrypt_packet_max_payload_len(void);

/**
 * GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN as a function.
 */
size_t gamecrypt_session_max_handshake_len(void);

/**
 * GAMECRYPT_SESSION_FINGERPRINT_LEN as a function.
 */
size_t gamecrypt_session_fingerprint_len(void);

/**
 * GAMECRYPT_CERTIFICATE_MAX_LEN as a function.
 */
size_t gamecrypt_certificate_max_len(void);

/**
 * Issues a server certificate (at most GAMECRYPT_CERTIFICATE_MAX_LEN bytes): the root key
 * (unencrypted PKCS#8 DER, ECDSA P-256 or Ed25519) certifies the server key
 * (SubjectPublicKeyInfo DER, ECDSA P-256 or Ed25519) for `server_name` (NUL-terminated
 * UTF-8, 1..255 bytes) from `not_before` to `not_after` inclusive (unix seconds). A pure
 * function: run it where the root key lives (offline) and ship the bytes to the server.
 *
 * Returns OK, NULL_ARGUMENT, KEY_MALFORMED, WRONG_KEY_TYPE, INVALID_ARGUMENT (bad UTF-8,
 * not_before > not_after), INVALID_LENGTH (name length), BUFFER_TOO_SMALL.
 */
gamecrypt_result gamecrypt_certificate_issue(const uint8_t *root_pkcs8,
                                             size_t root_pkcs8_len,
                                             const uint8_t *server_key_spki,
                                             size_t server_key_spki_len,
                                             const char *server_name,
                                             uint64_t not_before,
                                             uint64_t not_after,
                                             uint8_t *out,
                                             size_t out_cap,
                                             size_t *out_len);

/**
 * Checks a certificate exactly as a root-trusting client does: layout, root signature,
 * validity at `now` (unix seconds), and the name if `server_name` is not NULL.
 *
 * Returns OK, NULL_ARGUMENT, KEY_MALFORMED (root), CERTIFICATE_MALFORMED,
 * CERTIFICATE_SIGNATURE_INVALID, CERTIFICATE_NOT_YET_VALID, CERTIFICATE_EXPIRED,
 * CERTIFICATE_WRONG_NAME, INVALID_ARGUMENT (name not UTF-8).
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_certificate_verify(const uint8_t *certificate,
                                              size_t certificate_len,
                                              const uint8_t *root_key_spki,
                                              size_t root_key_spki_len,
                                              const char *server_name,
                                              uint64_t now);

/**
 * Reads a certificate's validity period (unix seconds, inclusive). Does not verify it.
 *
 * Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED.
 */
gamecrypt_result gamecrypt_certificate_validity(const uint8_t *certificate,
                                                size_t certificate_len,
                                                uint64_t *out_not_before,
                                                uint64_t *out_not_after);

/**
 * Reads a certificate's server name (UTF-8 bytes, no NUL terminator). Does not verify it.
 *
 * Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, BUFFER_TOO_SMALL.
 */
gamecrypt_result gamecrypt_certificate_server_name(const uint8_t *certificate,
                                                   size_t certificate_len,
                                                   uint8_t *out,
                                                   size_t out_cap,
                                                   size_t *out_len);

/**
 * Reads the server key of a certificate as SubjectPublicKeyInfo DER. Does not verify it.
 *
 * Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, BUFFER_TOO_SMALL.
 */
gamecrypt_result gamecrypt_certificate_public_key(const uint8_t *certificate,
                                                  size_t certificate_len,
                                                  uint8_t *out,
                                                  size_t out_cap,
                                                  size_t *out_len);

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
