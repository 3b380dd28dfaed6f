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
 *    One exception: when sealing or opening fails after it started (a packet or box that does
 *    not authenticate), the output buffer may have been wiped with zeros; it never holds
 *    unauthenticated plaintext, and *out_len is not written.
 *  - Input and output buffers must not overlap (GAMECRYPT_RESULT_INVALID_ARGUMENT).
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
   * An argument has a value that is never valid (an unknown enum value, a zero count...).
   */
  GAMECRYPT_RESULT_INVALID_ARGUMENT = 2,
  /**
   * The output buffer is too small; the needed length was reported.
   */
  GAMECRYPT_RESULT_BUFFER_TOO_SMALL = 3,
  /**
   * A bug inside gamecrypt was caught at the C boundary. Please report it.
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
   * The operating system's random number generator failed.
   */
  GAMECRYPT_RESULT_RANDOM_FAILED = 7,
  /**
   * A length is outside what the operation accepts.
   */
  GAMECRYPT_RESULT_INVALID_LENGTH = 8,
  /**
   * The key bytes could not be parsed (bad DER, bad point, wrong length).
   */
  GAMECRYPT_RESULT_KEY_MALFORMED = 100,
  /**
   * The text is not valid PEM, or has no block with a label this call accepts.
   */
  GAMECRYPT_RESULT_PEM_MALFORMED = 101,
  /**
   * The key is of another type than the operation needs.
   */
  GAMECRYPT_RESULT_WRONG_KEY_TYPE = 102,
  /**
   * The signature does not verify with this key and message.
   */
  GAMECRYPT_RESULT_SIGNATURE_INVALID = 103,
  /**
   * The key parsed but is unacceptable (too small, inconsistent, encrypted PEM...).
   */
  GAMECRYPT_RESULT_KEY_REJECTED = 104,
  /**
   * This key type cannot be written in the requested format.
   */
  GAMECRYPT_RESULT_UNSUPPORTED_FORMAT = 105,
  /**
   * A weak Ed25519 public key: one of the 8 points of small order, or a
   * non-canonical encoding (docs/PROTOCOL.md section 3). Signatures can be forged
   * for such a key, so it is refused wherever a public key enters.
   */
  GAMECRYPT_RESULT_PUBLIC_KEY_WEAK = 106,
  /**
   * The message begins with a signature context reserved for the gamecrypt protocol
   * (ServerHello, client authentication or certificate signatures): the generic sign
   * refuses it, so that an identity key can never be made to sign a handshake.
   */
  GAMECRYPT_RESULT_SIGN_CONTEXT_RESERVED = 107,
  /**
   * The sealed data did not authenticate: wrong key or password, wrong associated data, or tampered data.
   */
  GAMECRYPT_RESULT_OPEN_FAILED = 200,
  /**
   * The sealed box is truncated or its header is not a gamecrypt box header.
   */
  GAMECRYPT_RESULT_BOX_MALFORMED = 201,
  /**
   * The sealed box was made by a newer format version or with an unknown algorithm.
   */
  GAMECRYPT_RESULT_BOX_UNSUPPORTED = 202,
  /**
   * The streaming context was already finished and cannot be used again.
   */
  GAMECRYPT_RESULT_CONTEXT_FINISHED = 203,
  /**
   * The MAC (HMAC tag) does not match the key and data.
   */
  GAMECRYPT_RESULT_MAC_INVALID = 204,
  /**
   * The sealed box was made for another kind of key: another AEAD algorithm (a
   * ChaCha20-Poly1305 box given to an AES-256-GCM key, or the reverse), or a password box
   * given to a key (or the reverse).
   */
  GAMECRYPT_RESULT_BOX_KEY_MISMATCH = 205,
  /**
   * This call is not allowed in the session's current state (a step out of order).
   */
  GAMECRYPT_RESULT_WRONG_STATE = 300,
  /**
   * A handshake message is malformed (bad length, bad field, unknown type).
   */
  GAMECRYPT_RESULT_HANDSHAKE_MALFORMED = 301,
  /**
   * The peer speaks a protocol version we do not support.
   */
  GAMECRYPT_RESULT_UNSUPPORTED_VERSION = 302,
  /**
   * Client and server have no cipher suite in common.
   */
  GAMECRYPT_RESULT_NO_COMMON_SUITE = 303,
  /**
   * The server chose a suite that the client did not offer, or a downgrade was detected.
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
   * The server certificate names another server.
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
   * The session was closed and can no longer be used.
   */
  GAMECRYPT_RESULT_SESSION_CLOSED = 314,
  /**
   * A packet did not authenticate (forged, corrupted, or sealed with other keys).
   */
  GAMECRYPT_RESULT_PACKET_AUTH_FAILED = 320,
  /**
   * A packet with this number was already opened (replay or duplicate).
   */
  GAMECRYPT_RESULT_PACKET_REPLAYED = 321,
  /**
   * A packet is older than the anti-replay window.
   */
  GAMECRYPT_RESULT_PACKET_TOO_OLD = 322,
  /**
   * A packet is malformed (too short, bad header).
   */
  GAMECRYPT_RESULT_PACKET_MALFORMED = 323,
  /**
   * In stream mode a packet arrived out of order or a packet is missing.
   */
  GAMECRYPT_RESULT_PACKET_OUT_OF_ORDER = 324,
  /**
   * The packet-number space of this key is used up; a new session is needed.
   */
  GAMECRYPT_RESULT_KEY_EXHAUSTED = 325,
  /**
   * The server certificate is required by the trust settings but the server sent none.
   */
  GAMECRYPT_RESULT_CERTIFICATE_MISSING = 326,
  /**
   * Datagram mode: a handshake message failed its checks (it may be spoofed) and was
   * dropped; nothing changed and the session still waits for the real message. The
   * 8th such message ends the session with its own error (docs/PROTOCOL.md section 12.1).
   */
  GAMECRYPT_RESULT_HANDSHAKE_MESSAGE_DROPPED = 327,
  /**
   * A client configuration that trusts a root key needs the expected server name
   * (or the explicit dangerous_accept_any_server_name).
   */
  GAMECRYPT_RESULT_SERVER_NAME_REQUIRED = 328,
  /**
   * A key update is not allowed yet: no packet from the peer has authenticated under the
   * current keys (a previous update is not confirmed). Also returned by seal when the
   * current key reached its usage limit and cannot be updated yet. Nothing changed; try
   * again after a packet from the peer was opened.
   */
  GAMECRYPT_RESULT_KEY_UPDATE_BLOCKED = 400,
  /**
   * Too many received packets failed to authenticate (AEAD integrity limit); the session
   * was ended.
   */
  GAMECRYPT_RESULT_INTEGRITY_LIMIT_REACHED = 401,
  /**
   * The peer closed the session with an authenticated close packet.
   */
  GAMECRYPT_RESULT_PEER_CLOSED = 402,
  /**
   * The server requires a client signature (client authentication) and none was given.
   */
  GAMECRYPT_RESULT_CLIENT_AUTH_REQUIRED = 450,
  /**
   * The client's authentication (its public key or its signature) is invalid.
   */
  GAMECRYPT_RESULT_CLIENT_AUTH_INVALID = 451,
  /**
   * The server requires a client token (login ticket) and none was given.
   */
  GAMECRYPT_RESULT_CLIENT_TOKEN_REQUIRED = 452,
  /**
   * The server application rejected the session after reading the client's credentials.
   */
  GAMECRYPT_RESULT_SESSION_REJECTED = 453,
  /**
   * The ClientHello carries no valid retry cookie for this client address.
   */
  GAMECRYPT_RESULT_RETRY_COOKIE_INVALID = 454,
  /**
   * The peer id is not a peer of this endpoint: it never was, or the peer ended.
   */
  GAMECRYPT_RESULT_UNKNOWN_PEER = 500,
  /**
   * The time passed is earlier than the time of an earlier call; nothing changed.
   */
  GAMECRYPT_RESULT_TIME_WENT_BACKWARDS = 501,
  /**
   * The peer is not connected yet (handshake in progress or waiting for accept).
   */
  GAMECRYPT_RESULT_PEER_NOT_CONNECTED = 502,
  /**
   * A queue of the endpoint is full: take its datagrams or events first.
   */
  GAMECRYPT_RESULT_QUEUE_FULL = 503,
  /**
   * The endpoint holds as many peers as its settings allow.
   */
  GAMECRYPT_RESULT_PEER_LIMIT = 504,
  /**
   * A client call on a server endpoint or the reverse.
   */
  GAMECRYPT_RESULT_WRONG_ROLE = 505,
  /**
   * The endpoint already has a peer with this address.
   */
  GAMECRYPT_RESULT_ADDRESS_IN_USE = 506,
  /**
   * Nothing authenticated arrived from the connected peer within the idle timeout.
   */
  GAMECRYPT_RESULT_IDLE_TIMEOUT = 507,
  /**
   * The handshake did not complete within the handshake timeout.
   */
  GAMECRYPT_RESULT_HANDSHAKE_TIMEOUT = 508,
} gamecrypt_result;

/**
 * AEAD key length in bytes (both algorithms).
 */
#define GAMECRYPT_AEAD_KEY_LEN 32

/**
 * AEAD nonce length in bytes (both algorithms).
 */
#define GAMECRYPT_AEAD_NONCE_LEN 12

/**
 * AEAD tag length in bytes (both algorithms).
 */
#define GAMECRYPT_AEAD_TAG_LEN 16

/**
 * Bytes a key box adds to its plaintext (8-byte header + nonce + tag): a box of an n-byte
 * plaintext is n + 36 bytes.
 */
#define GAMECRYPT_BOX_OVERHEAD 36

/**
 * Bytes a password box adds to its plaintext (28-byte header with PBKDF2 salt and iteration
 * count + nonce + tag): a password box of an n-byte plaintext is n + 56 bytes.
 */
#define GAMECRYPT_PASSWORD_BOX_OVERHEAD 56

/**
 * Length of the PBKDF2 salt in a password box, and the shortest salt
 * gamecrypt_aead_key_from_password() accepts.
 */
#define GAMECRYPT_PASSWORD_SALT_LEN 16

/**
 * The largest PBKDF2 iteration count of a password box: sealing with more is
 * INVALID_ARGUMENT, opening a box that claims more is BOX_UNSUPPORTED (so a hostile file
 * cannot make the game spin).
 */
#define GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS 10000000

/**
 * The largest server certificate.
 */
#define GAMECRYPT_CERTIFICATE_MAX_LEN 414

/**
 * Longest client token.
 */
#define GAMECRYPT_CLIENT_TOKEN_MAX_LEN 1024

/**
 * `gamecrypt_endpoint_next_deadline()` when no timer runs.
 */
#define GAMECRYPT_ENDPOINT_NO_DEADLINE UINT64_MAX

/**
 * Longest peer address (the same limit as the retry check's client address).
 */
#define GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN 128

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
 * Length of a SHA-256 digest, HMAC-SHA256 tag and HKDF-SHA256 PRK, in bytes.
 */
#define GAMECRYPT_SHA256_LEN 32

/**
 * Length of a SHA-384 digest, HMAC-SHA384 tag and HKDF-SHA384 PRK, in bytes.
 */
#define GAMECRYPT_SHA384_LEN 48

/**
 * Length of a SHA-512 digest, HMAC-SHA512 tag and HKDF-SHA512 PRK, in bytes.
 */
#define GAMECRYPT_SHA512_LEN 64

/**
 * The longest digest of any `gamecrypt_hash`: a buffer this size fits every digest and tag.
 */
#define GAMECRYPT_HASH_MAX_LEN 64

/**
 * PBKDF2-HMAC-SHA256 iteration count recommended for new password-derived keys (600 000,
 * the OWASP Password Storage Cheat Sheet figure). Takes roughly 0.1-0.5 s on a desktop CPU.
 */
#define GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS 600000

/**
 * First byte of a Retry message (server to client, stateless).
 */
#define GAMECRYPT_SESSION_MESSAGE_RETRY 4

/**
 * Length of the Retry messages gamecrypt servers send (a buffer of this size always
 * suffices for gamecrypt_server_config_check_client_hello()).
 */
#define GAMECRYPT_RETRY_LEN 76

/**
 * Length of a retry secret.
 */
#define GAMECRYPT_RETRY_SECRET_LEN 32

/**
 * Longest client address accepted by the retry functions (opaque bytes, e.g. a sockaddr).
 */
#define GAMECRYPT_CLIENT_ADDRESS_MAX_LEN 128

/**
 * Default retry time slot in seconds (a cookie lives one to two slots).
 */
#define GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS 10

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
 * First byte of an application data packet under key phase 1 (odd key generations).
 */
#define GAMECRYPT_PACKET_TYPE_DATA_PHASE1 65

/**
 * First byte of an authenticated close packet under key phase 1 (odd key generations).
 */
#define GAMECRYPT_PACKET_TYPE_CLOSE_PHASE1 67

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
 * A symmetric key for sealed boxes and raw AEAD (AES-256-GCM or ChaCha20-Poly1305).
 *
 * Made by gamecrypt_aead_key_from_bytes(), gamecrypt_aead_key_generate() or
 * gamecrypt_aead_key_from_password(); freed by gamecrypt_aead_key_free(), which zeroes the key.
 * Immutable: one key may seal and open from many threads at once.
 */
typedef struct gamecrypt_aead_key gamecrypt_aead_key;

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
 * A client or server endpoint: many peers over one datagram socket, sans-IO (it never
 * touches a socket or a clock: the application passes the time and the datagrams). One
 * thread at a time. Free with gamecrypt_endpoint_free().
 */
typedef struct gamecrypt_endpoint gamecrypt_endpoint;

/**
 * Endpoint settings (timers, limits): created with the documented defaults by
 * gamecrypt_endpoint_config_new(), changed by the setters, copied by
 * gamecrypt_endpoint_new_client()/new_server(). Free with gamecrypt_endpoint_config_free().
 */
typedef struct gamecrypt_endpoint_config gamecrypt_endpoint_config;

/**
 * A streaming hash (like Godot's HashingContext), for data fed in pieces (a big file).
 *
 * Create with gamecrypt_hash_context_new(), feed with gamecrypt_hash_context_update(), get the
 * digest once with gamecrypt_hash_context_finish(), free with gamecrypt_hash_context_free().
 * Not thread-safe: use one context from one thread at a time (it may move between threads).
 */
typedef struct gamecrypt_hash_context gamecrypt_hash_context;

/**
 * A streaming HMAC, for data fed in pieces.
 *
 * Create with gamecrypt_hmac_context_new(), feed with gamecrypt_hmac_context_update(), end
 * once with gamecrypt_hmac_context_finish() or gamecrypt_hmac_context_verify(), free with
 * gamecrypt_hmac_context_free() (which zeroes the key state). Not thread-safe: use one context
 * from one thread at a time (it may move between threads).
 */
typedef struct gamecrypt_hmac_context gamecrypt_hmac_context;

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
 * An immutable server configuration, shareable by any number of sessions and threads.
 * Free with gamecrypt_server_config_free() (sessions keep their own reference). Its only
 * mutable part is the retry secret, behind a read-write lock:
 * gamecrypt_server_config_check_client_hello() and the rotate calls may run on any threads
 * at the same time.
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
 * An AEAD algorithm: one of the `GAMECRYPT_AEAD_*` constants. Always chosen explicitly; 0 and
 * unknown values are INVALID_ARGUMENT.
 */
typedef uint32_t gamecrypt_aead;

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
 * A peer of an endpoint: never 0; never reused by the same endpoint.
 */
typedef uint64_t gamecrypt_peer_id;

/**
 * One received datagram for gamecrypt_endpoint_receive_batch(): the sender's address and
 * the datagram, as the arguments of gamecrypt_endpoint_receive().
 */
typedef struct {
  /**
   * The sender's address (1..=GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN bytes).
   */
  const uint8_t *addr;
  /**
   * Its length.
   */
  size_t addr_len;
  /**
   * The datagram (NULL with `data_len` 0 is an empty datagram).
   */
  const uint8_t *data;
  /**
   * Its length.
   */
  size_t data_len;
} gamecrypt_endpoint_datagram;

/**
 * What an event reports (one of `GAMECRYPT_ENDPOINT_EVENT_*`).
 */
typedef uint32_t gamecrypt_endpoint_event_kind;

/**
 * Why a peer ended (one of `GAMECRYPT_ENDPOINT_CLOSE_*`; 0 in other events).
 */
typedef uint32_t gamecrypt_endpoint_close_reason;

/**
 * One event, filled by gamecrypt_endpoint_poll_event(). Fields that do not apply to the
 * event's kind are 0.
 */
typedef struct {
  /**
   * `GAMECRYPT_ENDPOINT_EVENT_*`; NONE when no event was waiting.
   */
  gamecrypt_endpoint_event_kind kind;
  /**
   * CLOSED: `GAMECRYPT_ENDPOINT_CLOSE_*`.
   */
  gamecrypt_endpoint_close_reason close_reason;
  /**
   * The peer the event is about.
   */
  gamecrypt_peer_id peer;
  /**
   * CONNECTED: the negotiated suite (`GAMECRYPT_SUITE_*`).
   */
  gamecrypt_suite suite;
  /**
   * CLOSED: the result code behind the reason (FAILED: the session's error; PEER_CLOSED:
   * PEER_CLOSED; IDLE_TIMEOUT: IDLE_TIMEOUT; HANDSHAKE_TIMEOUT: HANDSHAKE_TIMEOUT; LOCAL and
   * REPLACED: SESSION_CLOSED; REJECTED: SESSION_REJECTED (server) or PEER_CLOSED (client)).
   */
  gamecrypt_result code;
  /**
   * CONNECTED: whether `fingerprint` holds the peer key's fingerprint (client: always;
   * server: only with client authentication and a client key).
   */
  bool has_fingerprint;
  /**
   * CONNECTED: SHA-256 of the peer's authenticated public key (SubjectPublicKeyInfo DER).
   */
  uint8_t fingerprint[GAMECRYPT_FINGERPRINT_LEN];
  /**
   * DATA: the message length (also written to `*data_len`).
   */
  size_t data_len;
} gamecrypt_endpoint_event;

/**
 * Where a peer is (one of `GAMECRYPT_ENDPOINT_PEER_*`).
 */
typedef uint32_t gamecrypt_endpoint_peer_state;

/**
 * Counters of an endpoint, filled by gamecrypt_endpoint_get_stats() (all since creation,
 * except `peers` and `handshakes`).
 */
typedef struct {
  /**
   * Peers now (connected and in handshake).
   */
  uint64_t peers;
  /**
   * Server handshakes in progress now.
   */
  uint64_t handshakes;
  /**
   * Datagrams given to gamecrypt_endpoint_receive() or gamecrypt_endpoint_receive_into().
   */
  uint64_t datagrams_received;
  /**
   * Datagrams queued for sending.
   */
  uint64_t datagrams_sent;
  /**
   * Datagrams from addresses without a peer that were not a usable ClientHello.
   */
  uint64_t dropped_stray;
  /**
   * Datagrams for a peer that were dropped (duplicates, replays, forgeries, early data).
   */
  uint64_t dropped_invalid;
  /**
   * ClientHellos refused because of the peer or handshake limit.
   */
  uint64_t refused;
  /**
   * Retry messages sent.
   */
  uint64_t retries_sent;
  /**
   * Server handshakes that failed.
   */
  uint64_t handshakes_failed;
  /**
   * Handshake messages sent again.
   */
  uint64_t handshake_resends;
  /**
   * Keep-alive packets sent.
   */
  uint64_t keepalives_sent;
  /**
   * Datagrams or events dropped because a queue was full.
   */
  uint64_t queue_overflows;
} gamecrypt_endpoint_stats;

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
 * A hash function, for hashing, HMAC and HKDF: one of the `GAMECRYPT_HASH_*` constants.
 */
typedef uint32_t gamecrypt_hash;

/**
 * Whether a server asks for a client credential (one of `GAMECRYPT_CLIENT_AUTH_*`).
 */
typedef uint32_t gamecrypt_client_auth_mode;

/**
 * What to do with a datagram checked by gamecrypt_server_config_check_client_hello() (one
 * of `GAMECRYPT_RETRY_ACTION_*`).
 */
typedef uint32_t gamecrypt_retry_action;

/**
 * How the transport delivers packets (one of `GAMECRYPT_SESSION_MODE_*`).
 */
typedef uint32_t gamecrypt_session_mode;

/**
 * Where a session is (one of `GAMECRYPT_SESSION_STATE_*`).
 */
typedef uint32_t gamecrypt_session_state;

/**
 * AES-256-GCM: the recommended default (hardware-accelerated on desktop, console and most
 * mobile CPUs). Also the algorithm byte `1` in a box header.
 */
#define GAMECRYPT_AEAD_AES_256_GCM 1

/**
 * ChaCha20-Poly1305: for CPUs without AES instructions. Also the algorithm byte `2` in a box
 * header.
 */
#define GAMECRYPT_AEAD_CHACHA20_POLY1305 2

/**
 * No event is waiting.
 */
#define GAMECRYPT_ENDPOINT_EVENT_NONE 0

/**
 * The peer is connected; `suite` and the fingerprint are set. Client: the server answered.
 * Server: the handshake completed (and, with client authentication, it was accepted).
 */
#define GAMECRYPT_ENDPOINT_EVENT_CONNECTED 1

/**
 * An application message from the peer, copied into the caller's data buffer (`data_len`).
 */
#define GAMECRYPT_ENDPOINT_EVENT_DATA 2

/**
 * Server with client authentication: read the client's fingerprint and token, then call
 * gamecrypt_endpoint_accept() or gamecrypt_endpoint_reject().
 */
#define GAMECRYPT_ENDPOINT_EVENT_CLIENT_CREDENTIALS 3

/**
 * The peer ended (`close_reason`, `code`); its id is no longer valid.
 */
#define GAMECRYPT_ENDPOINT_EVENT_CLOSED 4

/**
 * The peer sent an authenticated close packet.
 */
#define GAMECRYPT_ENDPOINT_CLOSE_PEER_CLOSED 1

/**
 * Nothing authenticated arrived from the connected peer within the idle timeout.
 */
#define GAMECRYPT_ENDPOINT_CLOSE_IDLE_TIMEOUT 2

/**
 * The handshake did not complete within the handshake timeout.
 */
#define GAMECRYPT_ENDPOINT_CLOSE_HANDSHAKE_TIMEOUT 3

/**
 * Client: the server rejected this client. Server: the application rejected the client.
 */
#define GAMECRYPT_ENDPOINT_CLOSE_REJECTED 4

/**
 * The session failed; `code` says why.
 */
#define GAMECRYPT_ENDPOINT_CLOSE_FAILED 5

/**
 * The application called gamecrypt_endpoint_close().
 */
#define GAMECRYPT_ENDPOINT_CLOSE_LOCAL 6

/**
 * Server: the client at this peer's address connected again (a new handshake from the same
 * address completed, e.g. after the game restarted); the new peer's CONNECTED follows.
 */
#define GAMECRYPT_ENDPOINT_CLOSE_REPLACED 7

/**
 * Handshake in progress.
 */
#define GAMECRYPT_ENDPOINT_PEER_HANDSHAKE 1

/**
 * Server with client authentication: waiting for accept or reject.
 */
#define GAMECRYPT_ENDPOINT_PEER_AWAITING_ACCEPT 2

/**
 * Connected: gamecrypt_endpoint_send() works.
 */
#define GAMECRYPT_ENDPOINT_PEER_CONNECTED 3

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

/**
 * SHA-256 (32-byte digest). The usual choice.
 */
#define GAMECRYPT_HASH_SHA256 1

/**
 * SHA-384 (48-byte digest).
 */
#define GAMECRYPT_HASH_SHA384 2

/**
 * SHA-512 (64-byte digest).
 */
#define GAMECRYPT_HASH_SHA512 3

/**
 * Not asked (the default; protocol v1 behaviour when both credentials are NONE).
 */
#define GAMECRYPT_CLIENT_AUTH_NONE 0

/**
 * Asked; a client that has it sends it, a client without it may still connect.
 */
#define GAMECRYPT_CLIENT_AUTH_OPTIONAL 1

/**
 * Required; a client without it fails the handshake.
 */
#define GAMECRYPT_CLIENT_AUTH_REQUIRED 2

/**
 * Create a session with gamecrypt_session_new_server_for_address() for this address and pass
 * it the datagram with gamecrypt_session_read_handshake().
 */
#define GAMECRYPT_RETRY_ACTION_ACCEPT 1

/**
 * Send the `*out_len` bytes written to `out_retry` back to the address, create nothing.
 */
#define GAMECRYPT_RETRY_ACTION_SEND_RETRY 2

/**
 * Ignore the datagram.
 */
#define GAMECRYPT_RETRY_ACTION_DROP 3

/**
 * ECDH P-256 + ECDSA P-256 + HKDF-SHA256 + AES-256-GCM (the default; identity key ECDSA P-256).
 */
#define GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256 1

/**
 * X25519 + Ed25519 + HKDF-SHA256 + ChaCha20-Poly1305 (identity key Ed25519).
 */
#define GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256 2

/**
 * Hybrid X25519 + ML-KEM-768 (post-quantum) + Ed25519 + HKDF-SHA256 + ChaCha20-Poly1305
 * (identity key Ed25519). Offered first by default (docs/PROTOCOL.md section 20).
 */
#define GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256 3

/**
 * Hybrid X25519 + ML-KEM-768 (post-quantum) + ECDSA P-256 + HKDF-SHA256 + AES-256-GCM
 * (identity key ECDSA P-256). Offered second by default.
 */
#define GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256 4

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

/**
 * Server with client authentication: the ClientFinished was verified. Read the client's
 * credentials (gamecrypt_session_client_public_key(), gamecrypt_session_client_token()), then
 * call gamecrypt_session_accept() or gamecrypt_session_reject(). Nothing is sealed or opened
 * before the accept.
 */
#define GAMECRYPT_SESSION_STATE_NEED_ACCEPT 6

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * GAMECRYPT_AEAD_KEY_LEN (32).
 */
size_t gamecrypt_aead_key_len(void);

/**
 * GAMECRYPT_AEAD_NONCE_LEN (12).
 */
size_t gamecrypt_aead_nonce_len(void);

/**
 * GAMECRYPT_AEAD_TAG_LEN (16).
 */
size_t gamecrypt_aead_tag_len(void);

/**
 * GAMECRYPT_BOX_OVERHEAD (36): a key box is this much longer than its plaintext.
 */
size_t gamecrypt_box_overhead(void);

/**
 * GAMECRYPT_PASSWORD_BOX_OVERHEAD (56): a password box is this much longer than its
 * plaintext.
 */
size_t gamecrypt_password_box_overhead(void);

/**
 * GAMECRYPT_PASSWORD_SALT_LEN (16).
 */
size_t gamecrypt_password_salt_len(void);

/**
 * GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS (10 000 000).
 */
uint32_t gamecrypt_password_box_max_iterations(void);

/**
 * Makes a key for `alg` from `key[0..key_len]` (exactly GAMECRYPT_AEAD_KEY_LEN bytes, which
 * are copied; the caller should zero its copy) and writes it to `*out`.
 *
 * The caller owns the key and frees it with gamecrypt_aead_key_free().
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`), INVALID_LENGTH (`key_len` is
 * not 32).
 */
gamecrypt_result gamecrypt_aead_key_from_bytes(gamecrypt_aead alg,
                                               const uint8_t *key,
                                               size_t key_len,
                                               gamecrypt_aead_key **out);

/**
 * Makes a fresh random key for `alg` and writes it to `*out`.
 *
 * The key cannot be exported: it suits data that lives only as long as the process (a
 * temporary cache). To keep a key across runs, make GAMECRYPT_AEAD_KEY_LEN bytes with
 * gamecrypt_random_bytes(), store them safely and use gamecrypt_aead_key_from_bytes().
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`), RANDOM_FAILED.
 */
gamecrypt_result gamecrypt_aead_key_generate(gamecrypt_aead alg, gamecrypt_aead_key **out);

/**
 * Derives a key for `alg` from a password: PBKDF2-HMAC-SHA256(password, salt, iterations,
 * 32 bytes), and writes it to `*out`.
 *
 * The caller must store the salt (random, at least GAMECRYPT_PASSWORD_SALT_LEN bytes) and the
 * iteration count (GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS for new data) to make the same key
 * again. gamecrypt_box_seal_with_password() does all that for you and is usually the better
 * choice; this function suits sealing many boxes with one password-derived key. Takes time in
 * proportion to `iterations`: call it off the main thread.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, empty password, `iterations`
 * 0), INVALID_LENGTH (salt shorter than 16 bytes).
 */
gamecrypt_result gamecrypt_aead_key_from_password(gamecrypt_aead alg,
                                                  const uint8_t *password,
                                                  size_t password_len,
                                                  const uint8_t *salt,
                                                  size_t salt_len,
                                                  uint32_t iterations,
                                                  gamecrypt_aead_key **out);

/**
 * The algorithm of `key` (a `GAMECRYPT_AEAD_*` constant), or 0 if `key` is NULL.
 */
gamecrypt_aead gamecrypt_aead_key_algorithm(const gamecrypt_aead_key *key);

/**
 * Frees a key; its key material is zeroed. NULL is ignored. No other thread may be using the
 * key.
 */
void gamecrypt_aead_key_free(gamecrypt_aead_key *key);

/**
 * Seals `plaintext` into a self-describing box (header || random nonce || ciphertext || tag;
 * see docs/FORMATS.md) and writes it to `out`.
 *
 * The box is exactly `plaintext_len + GAMECRYPT_BOX_OVERHEAD` bytes. `ad` (associated data,
 * may be empty) is authenticated but not stored: give the same bytes to
 * gamecrypt_aead_key_open() (e.g. the save slot name, so a box cannot be moved to another
 * slot). The nonce is random; one key should seal at most 2^32 boxes. Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (`out` overlaps an input), INVALID_LENGTH
 * (plaintext over 2^36 - 32 bytes), BUFFER_TOO_SMALL (needed length in `*out_len`),
 * RANDOM_FAILED.
 */
gamecrypt_result gamecrypt_aead_key_seal(const gamecrypt_aead_key *key,
                                         const uint8_t *plaintext,
                                         size_t plaintext_len,
                                         const uint8_t *ad,
                                         size_t ad_len,
                                         uint8_t *out,
                                         size_t out_cap,
                                         size_t *out_len);

/**
 * Opens a box made by gamecrypt_aead_key_seal() with this key and the same `ad`, and writes
 * the plaintext (`box_len - GAMECRYPT_BOX_OVERHEAD` bytes) to `out`.
 *
 * No plaintext is written unless the box is authentic (on failure `out` may have been
 * zeroed; `*out_len` is not written). `out` must not overlap the box. No allocation (with up
 * to 480 bytes of `ad`). Thread-safe.
 *
 * Returns OK; OPEN_FAILED (wrong key, wrong `ad`, or the box was changed); BOX_MALFORMED
 * (truncated, or not a gamecrypt box); BOX_UNSUPPORTED (unknown version or algorithm);
 * BOX_KEY_MISMATCH (a box of the other algorithm, e.g. a ChaCha20-Poly1305 box given to an
 * AES-256-GCM key, or a password box); BUFFER_TOO_SMALL (needed length in `*out_len`);
 * NULL_ARGUMENT; INVALID_ARGUMENT (`out` overlaps an input).
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_aead_key_open(const gamecrypt_aead_key *key,
                                         const uint8_t *sealed,
                                         size_t sealed_len,
                                         const uint8_t *ad,
                                         size_t ad_len,
                                         uint8_t *out,
                                         size_t out_cap,
                                         size_t *out_len);

/**
 * Seals `plaintext` with a password into a password box, whose header also stores a fresh
 * random PBKDF2 salt and `iterations`, so gamecrypt_box_open_with_password() needs only the
 * password (and `ad`). Writes `plaintext_len + GAMECRYPT_PASSWORD_BOX_OVERHEAD` bytes to `out`.
 *
 * The key is PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes); use
 * GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS (600 000). Every call runs PBKDF2, so it takes as
 * long as one password check: call it off the main thread. `ad` as for
 * gamecrypt_aead_key_seal(). Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, empty password, `iterations` 0
 * or above GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS, `out` overlaps an input), INVALID_LENGTH,
 * BUFFER_TOO_SMALL (needed length in `*out_len`, checked before any PBKDF2 work),
 * RANDOM_FAILED.
 */
gamecrypt_result gamecrypt_box_seal_with_password(gamecrypt_aead alg,
                                                  const uint8_t *password,
                                                  size_t password_len,
                                                  uint32_t iterations,
                                                  const uint8_t *plaintext,
                                                  size_t plaintext_len,
                                                  const uint8_t *ad,
                                                  size_t ad_len,
                                                  uint8_t *out,
                                                  size_t out_cap,
                                                  size_t *out_len);

/**
 * Opens a password box made by gamecrypt_box_seal_with_password() with the same password and
 * `ad`, and writes the plaintext (`box_len - GAMECRYPT_PASSWORD_BOX_OVERHEAD` bytes) to `out`.
 *
 * Runs PBKDF2 with the count stored in the box, which is at most
 * GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS (a box claiming more is refused before any work).
 * Nothing is written unless the box is authentic. Thread-safe.
 *
 * Returns OK; OPEN_FAILED (wrong password, wrong `ad`, or the box was changed);
 * BOX_MALFORMED (truncated, not a gamecrypt box, iteration count 0); BOX_UNSUPPORTED (unknown
 * version or algorithm, iteration count above the bound); BOX_KEY_MISMATCH (a key box, which
 * needs gamecrypt_aead_key_open()); BUFFER_TOO_SMALL (needed length in `*out_len`, checked
 * before any PBKDF2 work); INVALID_ARGUMENT (empty password, `out` overlaps an input);
 * NULL_ARGUMENT.
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_box_open_with_password(const uint8_t *password,
                                                  size_t password_len,
                                                  const uint8_t *sealed,
                                                  size_t sealed_len,
                                                  const uint8_t *ad,
                                                  size_t ad_len,
                                                  uint8_t *out,
                                                  size_t out_cap,
                                                  size_t *out_len);

/**
 * Raw AEAD open, for data sealed by another system: `ciphertext_and_tag` is the ciphertext
 * followed by the 16-byte tag, with the explicit 12-byte `nonce` and associated data `ad`.
 * Writes the plaintext (`ciphertext_and_tag_len - 16` bytes) to `out`.
 *
 * No plaintext is written unless the data is authentic (on failure `out` may have been
 * zeroed). No allocation. For gamecrypt's own data use boxes
 * (gamecrypt_aead_key_open()). Thread-safe.
 *
 * Returns OK, OPEN_FAILED (does not authenticate, or shorter than a tag), INVALID_LENGTH
 * (`nonce_len` is not 12), BUFFER_TOO_SMALL (needed length in `*out_len`), NULL_ARGUMENT,
 * INVALID_ARGUMENT (`out` overlaps an input).
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_aead_key_open_with_nonce(const gamecrypt_aead_key *key,
                                                    const uint8_t *nonce,
                                                    size_t nonce_len,
                                                    const uint8_t *ad,
                                                    size_t ad_len,
                                                    const uint8_t *ciphertext_and_tag,
                                                    size_t ciphertext_and_tag_len,
                                                    uint8_t *out,
                                                    size_t out_cap,
                                                    size_t *out_len);

/**
 * DANGEROUS: raw AEAD seal with a nonce that the caller chooses. Writes `ciphertext || tag`
 * (`plaintext_len + 16` bytes) to `out`.
 *
 * **Never use the same nonce twice with the same key.** A repeated nonce reveals the XOR of
 * the two plaintexts and, for both AES-GCM and ChaCha20-Poly1305, lets an attacker forge new
 * messages under that key. Only use this to produce data for another system whose protocol
 * fixes the nonce (e.g. a counter you are sure never repeats). For data at rest, use
 * gamecrypt_aead_key_seal(), which picks a random nonce and needs no care. Thread-safe.
 *
 * Returns OK, INVALID_LENGTH (`nonce_len` is not 12, or plaintext too long),
 * BUFFER_TOO_SMALL (needed length in `*out_len`), NULL_ARGUMENT, INVALID_ARGUMENT (`out`
 * overlaps an input).
 */
gamecrypt_result gamecrypt_aead_key_seal_with_nonce_dangerous(const gamecrypt_aead_key *key,
                                                              const uint8_t *nonce,
                                                              size_t nonce_len,
                                                              const uint8_t *ad,
                                                              size_t ad_len,
                                                              const uint8_t *plaintext,
                                                              size_t plaintext_len,
                                                              uint8_t *out,
                                                              size_t out_cap,
                                                              size_t *out_len);

/**
 * GAMECRYPT_CERTIFICATE_MAX_LEN as a function.
 */
size_t gamecrypt_certificate_max_len(void);

/**
 * Issues a server certificate (at most GAMECRYPT_CERTIFICATE_MAX_LEN bytes): the root key
 * (ECDSA P-256 or Ed25519) certifies the server key (ECDSA P-256 or Ed25519) for `server_name` (NUL-terminated
 * UTF-8, 1..255 bytes) from `not_before` to `not_after` inclusive (unix seconds). A pure
 * function: run it where the root key lives (offline) and ship the bytes to the server.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE, INVALID_ARGUMENT (bad UTF-8,
 * not_before > not_after), INVALID_LENGTH (name length), BUFFER_TOO_SMALL.
 */
gamecrypt_result gamecrypt_certificate_issue(const gamecrypt_signing_key *root,
                                             const gamecrypt_public_key *server_key,
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
 * Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE (root), CERTIFICATE_MALFORMED, PUBLIC_KEY_WEAK,
 * CERTIFICATE_SIGNATURE_INVALID, CERTIFICATE_NOT_YET_VALID, CERTIFICATE_EXPIRED,
 * CERTIFICATE_WRONG_NAME, INVALID_ARGUMENT (name not UTF-8).
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_certificate_verify(const uint8_t *certificate,
                                              size_t certificate_len,
                                              const gamecrypt_public_key *root_key,
                                              const char *server_name,
                                              uint64_t now);

/**
 * Reads a certificate's validity period (unix seconds, inclusive). Does not verify it.
 *
 * Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, PUBLIC_KEY_WEAK (a weak Ed25519 key).
 */
gamecrypt_result gamecrypt_certificate_validity(const uint8_t *certificate,
                                                size_t certificate_len,
                                                uint64_t *out_not_before,
                                                uint64_t *out_not_after);

/**
 * Reads a certificate's server name (UTF-8 bytes, no NUL terminator). Does not verify it.
 *
 * Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, PUBLIC_KEY_WEAK, BUFFER_TOO_SMALL.
 */
gamecrypt_result gamecrypt_certificate_server_name(const uint8_t *certificate,
                                                   size_t certificate_len,
                                                   uint8_t *out,
                                                   size_t out_cap,
                                                   size_t *out_len);

/**
 * Reads the server key of a certificate into a new public key handle in `*out_key` (the
 * caller frees it with gamecrypt_public_key_free()). Does not verify the certificate.
 *
 * Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, PUBLIC_KEY_WEAK (a weak Ed25519 key).
 */
gamecrypt_result gamecrypt_certificate_public_key(const uint8_t *certificate,
                                                  size_t certificate_len,
                                                  gamecrypt_public_key **out_key);

/**
 * Starts a client configuration that trusts exactly one server key (ECDSA P-256 or Ed25519;
 * load it with the gamecrypt_public_key_* functions). Only suites that key can sign for are
 * offered. The configuration keeps its own reference: `server_key` may be freed after this.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE.
 */
gamecrypt_result gamecrypt_client_config_builder_new_pinned_key(const gamecrypt_public_key *server_key,
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
 * signed by this root key (ECDSA P-256 or Ed25519) for the expected server name. Set that
 * name with gamecrypt_client_config_builder_set_server_name(): without it the build fails
 * with SERVER_NAME_REQUIRED (or call
 * gamecrypt_client_config_builder_dangerous_accept_any_server_name()). The configuration
 * keeps its own reference: `root_key` may be freed after this.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE.
 */
gamecrypt_result gamecrypt_client_config_builder_new_root(const gamecrypt_public_key *root_key,
                                                          gamecrypt_client_config_builder **out);

/**
 * Sets the suites to offer, most preferred first (`count` values of `GAMECRYPT_SUITE_*`).
 * Default: the two hybrid post-quantum suites, then the P-256 suite, then the X25519 suite.
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
 * DANGEROUS: lets a root-trusting configuration accept a certificate for any server name.
 * Every server the root certified can then impersonate every other one
 * (docs/PROTOCOL.md section 8). Only for a root that certifies exactly one server, or for
 * tests. A name set with gamecrypt_client_config_builder_set_server_name() is still checked.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (the builder pins a key or fingerprint).
 */
gamecrypt_result gamecrypt_client_config_builder_dangerous_accept_any_server_name(gamecrypt_client_config_builder *builder);

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
 * configured suites), SERVER_NAME_REQUIRED (root trust without a server name and without
 * gamecrypt_client_config_builder_dangerous_accept_any_server_name()).
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
 * Gives the client its own key (ECDSA P-256 or Ed25519) for servers that ask for client
 * authentication: it signs the handshake transcript only when a server asks, and its public
 * key travels encrypted. The configuration keeps its own reference: `client_key` may be
 * freed after this call.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE.
 */
gamecrypt_result gamecrypt_client_config_builder_set_client_key(gamecrypt_client_config_builder *builder,
                                                                const gamecrypt_signing_key *client_key);

/**
 * Gives the client an opaque token (e.g. a login ticket from the game's backend,
 * 1..=GAMECRYPT_CLIENT_TOKEN_MAX_LEN bytes, copied) that it sends encrypted, inside its
 * ClientFinished, to servers that ask for one.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH.
 */
gamecrypt_result gamecrypt_client_config_builder_set_token(gamecrypt_client_config_builder *builder,
                                                           const uint8_t *token,
                                                           size_t token_len);

/**
 * GAMECRYPT_CLIENT_TOKEN_MAX_LEN as a function.
 */
size_t gamecrypt_client_token_max_len(void);

/**
 * Creates endpoint settings with the defaults of docs/ENDPOINT.md.
 *
 * Returns OK, NULL_ARGUMENT.
 */
gamecrypt_result gamecrypt_endpoint_config_new(gamecrypt_endpoint_config **out);

/**
 * Frees endpoint settings. NULL is ignored.
 */
void gamecrypt_endpoint_config_free(gamecrypt_endpoint_config *config);

/**
 * First handshake retransmission interval, 10..=60000 ms (default 250); it doubles
 * after each retransmission up to the maximum.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_handshake_resend_initial_ms(gamecrypt_endpoint_config *config,
                                                                           uint64_t value);

/**
 * Largest handshake retransmission interval, 10..=60000 ms (default 2000; at least the
 * initial interval, checked when the endpoint is created).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_handshake_resend_max_ms(gamecrypt_endpoint_config *config,
                                                                       uint64_t value);

/**
 * Handshake timeout, 100..=600000 ms (default 10000).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_handshake_timeout_ms(gamecrypt_endpoint_config *config,
                                                                    uint64_t value);

/**
 * Quiet interval after which an empty data packet is sent to a connected peer,
 * 10..=600000 ms (default 1000; below the idle timeout, checked at creation).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_keepalive_interval_ms(gamecrypt_endpoint_config *config,
                                                                     uint64_t value);

/**
 * Idle timeout of a connected peer, 100..=3600000 ms (default 10000).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_idle_timeout_ms(gamecrypt_endpoint_config *config,
                                                               uint64_t value);

/**
 * Most peers, 1..=1000000 (default 1024).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_max_peers(gamecrypt_endpoint_config *config,
                                                         size_t value);

/**
 * Most server handshakes in progress, 1..=1000000 (default 128; at most the peer
 * limit, checked at creation).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_max_handshakes(gamecrypt_endpoint_config *config,
                                                              size_t value);

/**
 * Largest message for gamecrypt_endpoint_send(), 0..=65483 bytes (default 1200).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_max_data_len(gamecrypt_endpoint_config *config,
                                                            size_t value);

/**
 * Copies of the close packet sent by close and reject, 1..=10 (default 3).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_close_copies(gamecrypt_endpoint_config *config,
                                                            uint32_t value);

/**
 * Bytes the transmit queue and the received-data queue may each hold,
 * 65536..=1073741824 (default 4 MiB).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_max_queued_bytes(gamecrypt_endpoint_config *config,
                                                                size_t value);

/**
 * Events that may wait for gamecrypt_endpoint_poll_event(), 16..=1000000 (default 4096).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_config_set_max_pending_events(gamecrypt_endpoint_config *config,
                                                                  size_t value);

/**
 * Creates a client endpoint; connect with gamecrypt_endpoint_connect(). `settings` may be
 * NULL (the defaults). Both configurations may be freed afterwards.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (settings that contradict each other: resend
 * initial above maximum, keep-alive not below the idle timeout, more handshakes than peers).
 */
gamecrypt_result gamecrypt_endpoint_new_client(const gamecrypt_client_config *config,
                                               const gamecrypt_endpoint_config *endpoint_settings,
                                               gamecrypt_endpoint **out);

/**
 * Creates a server endpoint: a ClientHello from a new address makes a peer (within the
 * limits; with retry cookies in the server configuration, only after the client proved
 * its address). `settings` may be NULL (the defaults).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (as for gamecrypt_endpoint_new_client()).
 */
gamecrypt_result gamecrypt_endpoint_new_server(const gamecrypt_server_config *config,
                                               const gamecrypt_endpoint_config *endpoint_settings,
                                               gamecrypt_endpoint **out);

/**
 * Frees an endpoint and erases the keys of all its peers (no close packets are sent: close
 * the peers first if they should learn it at once). NULL is ignored.
 */
void gamecrypt_endpoint_free(gamecrypt_endpoint *endpoint);

/**
 * Client: starts a handshake with the server at `addr` (opaque bytes, 1..=128, e.g. a
 * sockaddr; the same bytes must be given to gamecrypt_endpoint_receive() for its
 * datagrams). The ClientHello is queued (gamecrypt_endpoint_poll_transmit()); the peer
 * reports CONNECTED or CLOSED (HANDSHAKE_TIMEOUT, FAILED, REJECTED) later.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH (address), WRONG_ROLE (server endpoint),
 * ADDRESS_IN_USE (a peer with this address exists), PEER_LIMIT, TIME_WENT_BACKWARDS (`now_ms`
 * is earlier than in an earlier call), RANDOM_FAILED. Nothing changes on error.
 */
gamecrypt_result gamecrypt_endpoint_connect(gamecrypt_endpoint *endpoint,
                                            uint64_t now_ms,
                                            const uint8_t *addr,
                                            size_t addr_len,
                                            gamecrypt_peer_id *out_peer);

/**
 * Gives the endpoint a datagram received from `addr` (1..=128 bytes). Datagrams that
 * belong to no peer, duplicates, replays and forgeries are dropped quietly (counted in the
 * stats) and return OK; so does a datagram that ends a peer (a CLOSED event follows).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH (address), TIME_WENT_BACKWARDS (`now_ms` earlier
 * than in an earlier call; nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_receive(gamecrypt_endpoint *endpoint,
                                            uint64_t now_ms,
                                            const uint8_t *addr,
                                            size_t addr_len,
                                            const uint8_t *datagram,
                                            size_t datagram_len);

/**
 * gamecrypt_endpoint_receive() that may hand a message straight to the caller, without
 * the copy through the event queue: when the datagram is a data packet of a connected
 * peer, no event is waiting, and `data` holds the plaintext (`datagram_len -
 * GAMECRYPT_PACKET_OVERHEAD` bytes, or more; max_data_len bytes always do), the message is
 * opened into `data`, its length written to `*data_len` (>= 1) and its peer to `*out_peer`.
 * Otherwise (another kind of datagram, events waiting, a keep-alive, a dropped datagram,
 * `data` too small) it does exactly what gamecrypt_endpoint_receive() does (messages and
 * events queued) and writes 0 to `*data_len` and `*out_peer`. Always poll events after it,
 * as after gamecrypt_endpoint_receive(); messages come out in order either way. `data` may
 * be NULL with `data_cap` 0 (then it is gamecrypt_endpoint_receive()). Bytes of `data`
 * past `*data_len` are unspecified.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH (address), INVALID_ARGUMENT (`data` overlaps
 * `addr` or `datagram`), TIME_WENT_BACKWARDS (as gamecrypt_endpoint_receive(); nothing
 * changes). Outputs are written only on OK.
 */
gamecrypt_result gamecrypt_endpoint_receive_into(gamecrypt_endpoint *endpoint,
                                                 uint64_t now_ms,
                                                 const uint8_t *addr,
                                                 size_t addr_len,
                                                 const uint8_t *datagram,
                                                 size_t datagram_len,
                                                 gamecrypt_peer_id *out_peer,
                                                 uint8_t *data,
                                                 size_t data_cap,
                                                 size_t *data_len);

/**
 * gamecrypt_endpoint_receive() of each of the `count` datagrams in order, for a server that
 * reads several datagrams per wake-up (`recvmmsg`, or its socket read in a loop): the same
 * drops, events and counters as that many calls, and faster at many peers (while one
 * datagram is processed, the peer-table entries and peers of the next ones are fetched
 * from memory). Messages are queued as DATA events: poll them after the batch (a batch of
 * more than max_pending_events messages drops the ones beyond, counted as queue
 * overflows, as gamecrypt_endpoint_receive() would). `(NULL, 0)` is an empty batch.
 *
 * Returns OK, NULL_ARGUMENT (`endpoint`, `datagrams` with `count` > 0, or a NULL pointer
 * with a length above 0 in any datagram), INVALID_ARGUMENT (`datagrams` not aligned for its
 * type), INVALID_LENGTH (an address outside 1..=GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN bytes, or
 * a length above `PTRDIFF_MAX` bytes), TIME_WENT_BACKWARDS. Every datagram is checked before
 * the first is processed: on these errors, nothing changes.
 */
gamecrypt_result gamecrypt_endpoint_receive_batch(gamecrypt_endpoint *endpoint,
                                                  uint64_t now_ms,
                                                  const gamecrypt_endpoint_datagram *datagrams,
                                                  size_t count);

/**
 * Runs the timers due at `now_ms`: handshake retransmissions and timeouts, keep-alives,
 * idle timeouts. Call it when gamecrypt_endpoint_next_deadline() is reached (calling it
 * earlier or more often is harmless).
 *
 * Returns OK, NULL_ARGUMENT, TIME_WENT_BACKWARDS (nothing changes).
 */
gamecrypt_result gamecrypt_endpoint_handle_timeout(gamecrypt_endpoint *endpoint, uint64_t now_ms);

/**
 * Writes to `*out_ms` the time (ms, the application's clock) at which
 * gamecrypt_endpoint_handle_timeout() must be called next, or
 * GAMECRYPT_ENDPOINT_NO_DEADLINE when no timer runs. It may be earlier than needed, never
 * later.
 *
 * Returns OK, NULL_ARGUMENT.
 */
gamecrypt_result gamecrypt_endpoint_next_deadline(const gamecrypt_endpoint *endpoint,
                                                  uint64_t *out_ms);

/**
 * Takes the next datagram to send: its destination address into `addr` and its bytes into
 * `out`. When none is waiting: OK with `*addr_len` and `*out_len` set to 0. A datagram is
 * at most GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN bytes or max_data_len +
 * GAMECRYPT_PACKET_OVERHEAD, whichever is larger; an address at most
 * GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (`addr` and `out` overlap), BUFFER_TOO_SMALL
 * (both needed lengths written to `*addr_len` and `*out_len`; the datagram stays queued).
 */
gamecrypt_result gamecrypt_endpoint_poll_transmit(gamecrypt_endpoint *endpoint,
                                                  uint8_t *addr,
                                                  size_t addr_cap,
                                                  size_t *addr_len,
                                                  uint8_t *out,
                                                  size_t out_cap,
                                                  size_t *out_len);

/**
 * Takes the next event into `*event`; a DATA event's message is copied into `data`
 * (`data_cap` bytes; at most max_data_len bytes are ever needed) and its length written to
 * `*data_len` (0 for other events). When none is waiting: OK with `event->kind` NONE.
 *
 * Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (the needed length written to `*data_len`;
 * the event stays queued; `data` may be NULL with `data_cap` 0 for this size query).
 */
gamecrypt_result gamecrypt_endpoint_poll_event(gamecrypt_endpoint *endpoint,
                                               gamecrypt_endpoint_event *event,
                                               uint8_t *data,
                                               size_t data_cap,
                                               size_t *data_len);

/**
 * Sends `data` (0..=max_data_len bytes) to a connected peer: sealed as one packet into the
 * transmit queue (gamecrypt_endpoint_poll_transmit()). Allocation-free.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH (data above max_data_len), UNKNOWN_PEER,
 * TIME_WENT_BACKWARDS, PEER_NOT_CONNECTED (handshake in progress or waiting for accept),
 * QUEUE_FULL (take the queued datagrams first), KEY_UPDATE_BLOCKED (try later), or a fatal
 * session error (the peer then reports CLOSED). Nothing else changes on error.
 */
gamecrypt_result gamecrypt_endpoint_send(gamecrypt_endpoint *endpoint,
                                         uint64_t now_ms,
                                         gamecrypt_peer_id peer,
                                         const uint8_t *data,
                                         size_t data_len);

/**
 * Closes a peer: a connected one is sent close_copies copies of the authenticated close
 * packet; a handshake just ends. A CLOSED event (reason LOCAL) follows.
 *
 * Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, TIME_WENT_BACKWARDS.
 */
gamecrypt_result gamecrypt_endpoint_close(gamecrypt_endpoint *endpoint,
                                          uint64_t now_ms,
                                          gamecrypt_peer_id peer);

/**
 * Server, after CLIENT_CREDENTIALS: accepts the client; CONNECTED follows.
 *
 * Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, TIME_WENT_BACKWARDS, WRONG_STATE (the peer is not
 * waiting for accept or reject).
 */
gamecrypt_result gamecrypt_endpoint_accept(gamecrypt_endpoint *endpoint,
                                           uint64_t now_ms,
                                           gamecrypt_peer_id peer);

/**
 * Server, after CLIENT_CREDENTIALS: rejects the client, which is told by close packets;
 * CLOSED (reason REJECTED) follows.
 *
 * Returns as gamecrypt_endpoint_accept().
 */
gamecrypt_result gamecrypt_endpoint_reject(gamecrypt_endpoint *endpoint,
                                           uint64_t now_ms,
                                           gamecrypt_peer_id peer);

/**
 * Copies a peer's address into `out`.
 *
 * Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, BUFFER_TOO_SMALL.
 */
gamecrypt_result gamecrypt_endpoint_get_peer_address(const gamecrypt_endpoint *endpoint,
                                                     gamecrypt_peer_id peer,
                                                     uint8_t *out,
                                                     size_t out_cap,
                                                     size_t *out_len);

/**
 * Writes where a peer is (`GAMECRYPT_ENDPOINT_PEER_*`) to `*out_state`.
 *
 * Returns OK, NULL_ARGUMENT, UNKNOWN_PEER.
 */
gamecrypt_result gamecrypt_endpoint_get_peer_state(const gamecrypt_endpoint *endpoint,
                                                   gamecrypt_peer_id peer,
                                                   gamecrypt_endpoint_peer_state *out_state);

/**
 * Writes the peer's negotiated suite (`GAMECRYPT_SUITE_*`) to `*out_suite`.
 *
 * Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, WRONG_STATE (not known yet).
 */
gamecrypt_result gamecrypt_endpoint_get_peer_suite(const gamecrypt_endpoint *endpoint,
                                                   gamecrypt_peer_id peer,
                                                   gamecrypt_suite *out_suite);

/**
 * Copies the fingerprint (32 bytes) of the peer's authenticated key into `out`: client:
 * the server's key (WRONG_STATE before the ServerHello was verified); server: the client's
 * key with client authentication, else nothing (`*out_len` = 0).
 *
 * Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, WRONG_STATE, BUFFER_TOO_SMALL.
 */
gamecrypt_result gamecrypt_endpoint_get_peer_fingerprint(const gamecrypt_endpoint *endpoint,
                                                         gamecrypt_peer_id peer,
                                                         uint8_t *out,
                                                         size_t out_cap,
                                                         size_t *out_len);

/**
 * Server with client authentication, from CLIENT_CREDENTIALS on: copies the client's token
 * into `out` (`*out_len` = 0 when it sent none).
 *
 * Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, WRONG_STATE (client endpoint, no client
 * authentication, or before the credentials), BUFFER_TOO_SMALL.
 */
gamecrypt_result gamecrypt_endpoint_get_peer_client_token(const gamecrypt_endpoint *endpoint,
                                                          gamecrypt_peer_id peer,
                                                          uint8_t *out,
                                                          size_t out_cap,
                                                          size_t *out_len);

/**
 * Fills `*out` with the endpoint's counters.
 *
 * Returns OK, NULL_ARGUMENT.
 */
gamecrypt_result gamecrypt_endpoint_get_stats(const gamecrypt_endpoint *endpoint,
                                              gamecrypt_endpoint_stats *out);

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
 * length. ECDSA and RSA-PSS signatures are randomized; ECDSA signatures are low-S
 * (s <= n/2). `out` must not overlap `msg`.
 * Safe to call from any thread, also with the same key at the same time.
 *
 * A message that begins with one of the session protocol's signature contexts
 * ("gamecrypt session v1 server signature\0", "gamecrypt session v1 client signature\0",
 * "gamecrypt certificate v1\0") is refused with `SIGN_CONTEXT_RESERVED`: a key that signs
 * handshakes can then never be made to sign one through this call (docs/PROTOCOL.md
 * section 15).
 *
 * Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed capacity in `*out_len`;
 * `NULL_ARGUMENT`; `INVALID_ARGUMENT` (unknown format, or `out` overlaps `msg`);
 * `WRONG_KEY_TYPE` (the format does not fit the key); `SIGN_CONTEXT_RESERVED`; `INTERNAL`.
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
 * algorithm or curve); `KEY_REJECTED` (RSA of an unsupported size); `PUBLIC_KEY_WEAK` (an
 * Ed25519 key of small order or in a non-canonical encoding: signatures can be forged for
 * it, docs/PROTOCOL.md section 3).
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
 * `UNSUPPORTED_FORMAT` (RSA has no raw form: use SubjectPublicKeyInfo); `PUBLIC_KEY_WEAK`
 * (an Ed25519 key of small order or in a non-canonical encoding).
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
 * Fills `out[0..len]` with cryptographically secure random bytes (aws-lc's DRBG, seeded by the
 * operating system). Use it for keys, salts and tokens.
 *
 * `(NULL, 0)` does nothing. Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT (`out` NULL with `len` > 0), RANDOM_FAILED.
 */
gamecrypt_result gamecrypt_random_bytes(uint8_t *out, size_t len);

/**
 * The digest length of `alg` in bytes (32, 48 or 64), or 0 for an unknown algorithm. This is
 * also its HMAC tag length and HKDF PRK length.
 */
size_t gamecrypt_hash_len(gamecrypt_hash alg);

/**
 * Hashes `data[0..data_len]` with `alg` in one call and writes the digest to `out`.
 *
 * `out_cap` must be at least gamecrypt_hash_len(alg); `*out_len` receives the digest length.
 * Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps `data`),
 * BUFFER_TOO_SMALL (needed length in `*out_len`).
 */
gamecrypt_result gamecrypt_hash_digest(gamecrypt_hash alg,
                                       const uint8_t *data,
                                       size_t data_len,
                                       uint8_t *out,
                                       size_t out_cap,
                                       size_t *out_len);

/**
 * Starts a streaming hash with `alg` and writes the new context to `*out`.
 *
 * The caller owns the context and frees it with gamecrypt_hash_context_free().
 *
 * Returns OK, NULL_ARGUMENT (`out` NULL), INVALID_ARGUMENT (unknown `alg`).
 */
gamecrypt_result gamecrypt_hash_context_new(gamecrypt_hash alg, gamecrypt_hash_context **out);

/**
 * Feeds `data[0..data_len]` into the hash. May be called any number of times.
 *
 * Returns OK, NULL_ARGUMENT, CONTEXT_FINISHED (gamecrypt_hash_context_finish() was called).
 */
gamecrypt_result gamecrypt_hash_context_update(gamecrypt_hash_context *ctx,
                                               const uint8_t *data,
                                               size_t data_len);

/**
 * Finishes the hash and writes the digest (gamecrypt_hash_len(alg) bytes) to `out`.
 *
 * After success the context is spent: any further update/finish gives CONTEXT_FINISHED (free
 * it, or make a new one). A too-small buffer does not finish the context, so the call can be
 * retried with a bigger one.
 *
 * Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in `*out_len`),
 * CONTEXT_FINISHED.
 */
gamecrypt_result gamecrypt_hash_context_finish(gamecrypt_hash_context *ctx,
                                               uint8_t *out,
                                               size_t out_cap,
                                               size_t *out_len);

/**
 * Frees a hash context. NULL is ignored. The context must not be used afterwards.
 */
void gamecrypt_hash_context_free(gamecrypt_hash_context *ctx);

/**
 * Computes HMAC-`alg`(`key`, `data`) (RFC 2104) and writes the tag (gamecrypt_hash_len(alg)
 * bytes) to `out`.
 *
 * Any key length is accepted, including empty; use at least gamecrypt_hash_len(alg) random
 * bytes. To check a tag, use gamecrypt_hmac_verify(), never memcmp. Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps an input),
 * BUFFER_TOO_SMALL (needed length in `*out_len`).
 */
gamecrypt_result gamecrypt_hmac_sign(gamecrypt_hash alg,
                                     const uint8_t *key,
                                     size_t key_len,
                                     const uint8_t *data,
                                     size_t data_len,
                                     uint8_t *out,
                                     size_t out_cap,
                                     size_t *out_len);

/**
 * Checks an HMAC tag in constant time.
 *
 * Only a full-length tag (gamecrypt_hash_len(alg) bytes) can verify: a tag of any other
 * length, including a truncated prefix of the right tag, gives MAC_INVALID. Thread-safe.
 *
 * Returns OK (the tag is right), MAC_INVALID (it is not), NULL_ARGUMENT, INVALID_ARGUMENT
 * (unknown `alg`).
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_hmac_verify(gamecrypt_hash alg,
                                       const uint8_t *key,
                                       size_t key_len,
                                       const uint8_t *data,
                                       size_t data_len,
                                       const uint8_t *tag,
                                       size_t tag_len);

/**
 * Starts a streaming HMAC with `alg` and `key[0..key_len]` (copied) and writes the new
 * context to `*out`.
 *
 * The caller owns the context and frees it with gamecrypt_hmac_context_free().
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`).
 */
gamecrypt_result gamecrypt_hmac_context_new(gamecrypt_hash alg,
                                            const uint8_t *key,
                                            size_t key_len,
                                            gamecrypt_hmac_context **out);

/**
 * Feeds `data[0..data_len]` into the HMAC. May be called any number of times.
 *
 * Returns OK, NULL_ARGUMENT, CONTEXT_FINISHED (finish or verify was called).
 */
gamecrypt_result gamecrypt_hmac_context_update(gamecrypt_hmac_context *ctx,
                                               const uint8_t *data,
                                               size_t data_len);

/**
 * Finishes the HMAC and writes the tag (gamecrypt_hash_len(alg) bytes) to `out`.
 *
 * After success the context is spent (further calls give CONTEXT_FINISHED). A too-small
 * buffer does not finish the context.
 *
 * Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in `*out_len`),
 * CONTEXT_FINISHED.
 */
gamecrypt_result gamecrypt_hmac_context_finish(gamecrypt_hmac_context *ctx,
                                               uint8_t *out,
                                               size_t out_cap,
                                               size_t *out_len);

/**
 * Finishes the HMAC and checks `tag[0..tag_len]` in constant time (full-length tags only, as
 * for gamecrypt_hmac_verify()). The context is spent afterwards, whatever the outcome.
 *
 * Returns OK (the tag is right), MAC_INVALID, NULL_ARGUMENT, CONTEXT_FINISHED.
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_hmac_context_verify(gamecrypt_hmac_context *ctx,
                                               const uint8_t *tag,
                                               size_t tag_len);

/**
 * Frees an HMAC context (its key state is zeroed). NULL is ignored.
 */
void gamecrypt_hmac_context_free(gamecrypt_hmac_context *ctx);

/**
 * The longest output HKDF-Expand with `alg` can give: 255 * gamecrypt_hash_len(alg) bytes
 * (8160 for SHA-256), or 0 for an unknown algorithm.
 */
size_t gamecrypt_hkdf_max_output_len(gamecrypt_hash alg);

/**
 * HKDF-Extract (RFC 5869 §2.2): PRK = HMAC-`alg`(salt, ikm), written to `out`
 * (gamecrypt_hash_len(alg) bytes; secret: zero it after use).
 *
 * An empty salt means a string of zeros (RFC 5869). Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps an input),
 * BUFFER_TOO_SMALL (needed length in `*out_len`).
 */
gamecrypt_result gamecrypt_hkdf_extract(gamecrypt_hash alg,
                                        const uint8_t *salt,
                                        size_t salt_len,
                                        const uint8_t *ikm,
                                        size_t ikm_len,
                                        uint8_t *out,
                                        size_t out_cap,
                                        size_t *out_len);

/**
 * HKDF-Expand (RFC 5869 §2.3): fills exactly `out[0..out_len]` from `prk` and `info`.
 *
 * `prk_len` must be at least gamecrypt_hash_len(alg) and at most 64 (a PRK from
 * gamecrypt_hkdf_extract() fits). `out_len` must be 1 to gamecrypt_hkdf_max_output_len(alg).
 * Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps an input),
 * INVALID_LENGTH (`prk_len` or `out_len` out of range).
 */
gamecrypt_result gamecrypt_hkdf_expand(gamecrypt_hash alg,
                                       const uint8_t *prk,
                                       size_t prk_len,
                                       const uint8_t *info,
                                       size_t info_len,
                                       uint8_t *out,
                                       size_t out_len);

/**
 * HKDF extract-then-expand in one call (the usual way to turn a shared secret into keys):
 * fills exactly `out[0..out_len]`.
 *
 * `out_len` must be 1 to gamecrypt_hkdf_max_output_len(alg). Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps an input),
 * INVALID_LENGTH (`out_len` out of range).
 */
gamecrypt_result gamecrypt_hkdf_derive(gamecrypt_hash alg,
                                       const uint8_t *salt,
                                       size_t salt_len,
                                       const uint8_t *ikm,
                                       size_t ikm_len,
                                       const uint8_t *info,
                                       size_t info_len,
                                       uint8_t *out,
                                       size_t out_len);

/**
 * The recommended PBKDF2-HMAC-SHA256 iteration count for new data
 * (GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS, 600 000).
 */
uint32_t gamecrypt_pbkdf2_recommended_iterations(void);

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018): fills exactly `out[0..out_len]` with a key derived from
 * `password` and `salt`.
 *
 * Use a random salt of at least 16 bytes per password, store it with the data, and
 * GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS for new data. The time taken grows with
 * `iterations`: call it off the main thread. To encrypt with a password, prefer
 * gamecrypt_box_seal_with_password(), which handles salt and count. Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (`iterations` 0, or `out` overlaps an input),
 * INVALID_LENGTH (`out_len` 0).
 */
gamecrypt_result gamecrypt_pbkdf2_sha256_derive(const uint8_t *password,
                                                size_t password_len,
                                                const uint8_t *salt,
                                                size_t salt_len,
                                                uint32_t iterations,
                                                uint8_t *out,
                                                size_t out_len);

/**
 * Compares `a[0..a_len]` and `b[0..b_len]` in time that depends on the lengths but not on the
 * contents (for secrets such as tokens; for HMAC tags use gamecrypt_hmac_verify()).
 *
 * Returns true only when the lengths are equal and all bytes are equal. Different lengths are
 * unequal. A NULL pointer with a non-zero length gives false. Thread-safe.
 */
GAMECRYPT_MUST_USE
bool gamecrypt_constant_time_eq(const uint8_t *a,
                                size_t a_len,
                                const uint8_t *b,
                                size_t b_len);

/**
 * A static, NUL-terminated English description of a `gamecrypt_result` value.
 *
 * Takes the code as an integer so that any value is safe to pass. Never returns NULL;
 * unknown codes give "unknown gamecrypt result code". The string lives forever and must not
 * be freed. Safe to call from any thread.
 */
const char *gamecrypt_result_str(uint32_t result);

/**
 * Starts a server configuration with the server's identity key (ECDSA P-256 or Ed25519; load
 * or generate it with the gamecrypt_signing_key_* functions). By default the server accepts
 * every suite its key can sign for. The configuration keeps its own reference to the key:
 * the caller may free `identity` at any time after this call.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE (not P-256 or Ed25519).
 */
gamecrypt_result gamecrypt_server_config_builder_new(const gamecrypt_signing_key *identity,
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
 * Asks clients for a signature with their own key (`signature`) and/or an opaque token
 * (`token`), each one of `GAMECRYPT_CLIENT_AUTH_*` (docs/PROTOCOL.md section 21). With any
 * request, a server session stops in state NEED_ACCEPT after the ClientFinished until the
 * application calls gamecrypt_session_accept() or gamecrypt_session_reject(). Default: NONE,
 * NONE.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown mode; the builder is unchanged).
 */
gamecrypt_result gamecrypt_server_config_builder_set_client_auth(gamecrypt_server_config_builder *builder,
                                                                 gamecrypt_client_auth_mode signature,
                                                                 gamecrypt_client_auth_mode token);

/**
 * Turns on stateless retry cookies for UDP servers (docs/PROTOCOL.md section 22) with time
 * slots of `period_secs` seconds (1..=3600; GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS is a good
 * choice; 0 turns retry off). A cookie is valid in its slot and the next one. The first call
 * draws a random secret; configurations built from this builder share it until one rotates.
 * With retry on, check every datagram from an unknown address with
 * gamecrypt_server_config_check_client_hello() and create sessions with
 * gamecrypt_session_new_server_for_address().
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (period above 3600 or above half the rotation
 * interval), RANDOM_FAILED. On error the builder is unchanged.
 */
gamecrypt_result gamecrypt_server_config_builder_set_retry(gamecrypt_server_config_builder *builder,
                                                           uint64_t period_secs);

/**
 * Rotates the retry secret automatically every `interval_secs` seconds (at least two
 * periods; 0 = only by gamecrypt_server_config_rotate_retry_secret(), the default). Do not
 * use it when several processes share a secret set with
 * gamecrypt_server_config_builder_set_retry_secret().
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (retry is off, or the interval is shorter than
 * two periods).
 */
gamecrypt_result gamecrypt_server_config_builder_set_retry_rotation(gamecrypt_server_config_builder *builder,
                                                                    uint64_t interval_secs);

/**
 * Sets the initial retry secret (GAMECRYPT_RETRY_SECRET_LEN bytes, e.g. shared by the server
 * processes behind one address). Retry must be on. The bytes are copied.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH, INVALID_ARGUMENT (retry is off).
 */
gamecrypt_result gamecrypt_server_config_builder_set_retry_secret(gamecrypt_server_config_builder *builder,
                                                                  const uint8_t *secret,
                                                                  size_t secret_len);

/**
 * Makes retry time slots use `clock(ctx)` (unix seconds) instead of the system clock. Same
 * rules as gamecrypt_client_config_builder_set_clock(): `clock` must be thread-safe (it is
 * called from every thread that checks datagrams) and `ctx` must outlive every
 * configuration and session built from this builder. NULL goes back to the system clock.
 *
 * Returns OK, NULL_ARGUMENT (builder).
 */
gamecrypt_result gamecrypt_server_config_builder_set_clock(gamecrypt_server_config_builder *builder,
                                                           gamecrypt_clock_fn clock,
                                                           void *ctx);

/**
 * Decides statelessly what to do with a datagram from an address that has no session yet
 * (docs/PROTOCOL.md section 22.4). `client_address` is any stable byte string identifying
 * the sender (e.g. its sockaddr bytes; 1..=GAMECRYPT_CLIENT_ADDRESS_MAX_LEN bytes).
 * `*out_action` receives one of `GAMECRYPT_RETRY_ACTION_*`: ACCEPT (create the session),
 * SEND_RETRY (send the `*out_len` bytes written to `out_retry`; they are fewer than the
 * datagram's), DROP. `*out_len` is 0 for ACCEPT and DROP. Costs no ECDH and no signature and
 * keeps no state per client, so it is safe against floods of spoofed ClientHellos. Without
 * retry on the configuration, every well-formed ClientHello is ACCEPT.
 *
 * Thread rules: may run on any number of threads at once, also concurrently with
 * gamecrypt_server_config_rotate_retry_secret() (the secret is behind a read-write lock).
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH (address length), BUFFER_TOO_SMALL (only for
 * SEND_RETRY: needed length in *out_len, GAMECRYPT_RETRY_LEN always suffices; *out_action is
 * not written), RANDOM_FAILED (automatic rotation).
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_server_config_check_client_hello(const gamecrypt_server_config *config,
                                                            const uint8_t *client_address,
                                                            size_t client_address_len,
                                                            const uint8_t *datagram,
                                                            size_t datagram_len,
                                                            uint8_t *out_retry,
                                                            size_t out_cap,
                                                            size_t *out_len,
                                                            gamecrypt_retry_action *out_action);

/**
 * Rotates the retry secret now: a new random secret becomes current; cookies made with the
 * previous current secret stay valid until they expire; the secret before that is erased.
 * Call it e.g. every few minutes, or use gamecrypt_server_config_builder_set_retry_rotation().
 * Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (retry is off), RANDOM_FAILED.
 */
gamecrypt_result gamecrypt_server_config_rotate_retry_secret(const gamecrypt_server_config *config);

/**
 * Like gamecrypt_server_config_rotate_retry_secret() with a given secret of
 * GAMECRYPT_RETRY_SECRET_LEN bytes (for server processes that share cookies). Thread-safe.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_LENGTH, INVALID_ARGUMENT (retry is off).
 */
gamecrypt_result gamecrypt_server_config_rotate_retry_secret_to(const gamecrypt_server_config *config,
                                                                const uint8_t *secret,
                                                                size_t secret_len);

/**
 * GAMECRYPT_RETRY_LEN as a function.
 */
size_t gamecrypt_retry_len(void);

/**
 * GAMECRYPT_RETRY_SECRET_LEN as a function.
 */
size_t gamecrypt_retry_secret_len(void);

/**
 * GAMECRYPT_CLIENT_ADDRESS_MAX_LEN as a function.
 */
size_t gamecrypt_client_address_max_len(void);

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
 * resend your ServerHello), HANDSHAKE_MESSAGE_DROPPED (datagram mode, while waiting for the
 * ServerHello or the ClientFinished: the message failed its checks and was ignored, keep
 * waiting; the 8th such message is fatal with its own code, docs/PROTOCOL.md section 12.1):
 * these change nothing. Fatal (state becomes FAILED; in datagram mode for the
 * ServerHello/Retry/ClientFinished checks only from the 8th failed message on):
 * HANDSHAKE_MALFORMED, UNSUPPORTED_VERSION, NO_COMMON_SUITE, DOWNGRADE_DETECTED,
 * HANDSHAKE_SIGNATURE_INVALID, PINNED_KEY_MISMATCH, FINGERPRINT_MISMATCH,
 * CERTIFICATE_EXPIRED, CERTIFICATE_NOT_YET_VALID, CERTIFICATE_WRONG_NAME,
 * CERTIFICATE_SIGNATURE_INVALID, CERTIFICATE_MALFORMED, CERTIFICATE_MISSING,
 * PUBLIC_KEY_WEAK (a small-order Ed25519 key of the server or the client),
 * PACKET_AUTH_FAILED (bad ClientFinished), and with client authentication or retry
 * (docs/PROTOCOL.md sections 21, 22): CLIENT_AUTH_REQUIRED, CLIENT_TOKEN_REQUIRED,
 * CLIENT_AUTH_INVALID, RETRY_COOKIE_INVALID. Afterwards: SESSION_FAILED, SESSION_CLOSED.
 * A client that reads a Retry (first byte 0x04) goes back to NEED_WRITE: write and send its
 * new ClientHello; a second Retry in the same session is WRONG_STATE (ignore it). A server
 * with client authentication goes to NEED_ACCEPT after the ClientFinished.
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
 * WRONG_STATE, KEY_EXHAUSTED (2^56 packets sent: start a new session), KEY_UPDATE_BLOCKED
 * (the key reached its usage limit and the automatic key update waits for a packet from the
 * peer: nothing was sealed, not fatal), SESSION_FAILED, SESSION_CLOSED. `out` must not
 * overlap `plaintext`. Near the usage limit this call starts a key update itself (then it
 * may allocate once).
 */
gamecrypt_result gamecrypt_session_seal(const gamecrypt_session *session,
                                        const uint8_t *plaintext,
                                        size_t plaintext_len,
                                        uint8_t *out,
                                        size_t out_cap,
                                        size_t *out_len);

/**
 * Seals in place, for engines that build packets in their send buffer: the plaintext is
 * already in `buf` at offset GAMECRYPT_PACKET_HEADER_LEN (`payload_len` bytes); the header is
 * written in front of it, the payload is encrypted where it is and the tag written after
 * it. `buf_cap` must be at least `payload_len + GAMECRYPT_PACKET_OVERHEAD`; the packet is
 * the first `*out_len` bytes of `buf`. Saves the plaintext copy of gamecrypt_session_seal().
 * Only in state ESTABLISHED. No allocation. May run concurrently with
 * gamecrypt_session_open() on the same session.
 *
 * Returns the same codes as gamecrypt_session_seal(), checked in the same order; on any
 * error `buf` is unchanged (BUFFER_TOO_SMALL: needed length in *out_len; `buf` may be NULL
 * with `buf_cap` 0 to ask for it).
 */
GAMECRYPT_MUST_USE
gamecrypt_result gamecrypt_session_seal_in_place(const gamecrypt_session *session,
                                                 uint8_t *buf,
                                                 size_t buf_cap,
                                                 size_t payload_len,
                                                 size_t *out_len);

/**
 * Opens a packet (first byte 0x40 or above) into `out`, which needs
 * `packet_len - GAMECRYPT_PACKET_OVERHEAD` bytes. Only in state ESTABLISHED. No allocation,
 * except once per key generation: the first packet with the other key phase (a key update
 * by the peer, or a forgery) derives the next receive keys, which are then kept.
 * May run concurrently with gamecrypt_session_seal() on the same session.
 *
 * Returns OK; NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in *out_len), WRONG_STATE:
 * nothing changes. PACKET_MALFORMED, PACKET_TOO_OLD, PACKET_REPLAYED, PACKET_AUTH_FAILED:
 * drop the packet; in datagram mode the session goes on, in stream mode they (and
 * PACKET_OUT_OF_ORDER) are fatal. INTEGRITY_LIMIT_REACHED: too many forged packets, the
 * session failed. PEER_CLOSED: this packet was the peer's authenticated close (the session
 * is now CLOSED). SESSION_CLOSED: closed before. SESSION_FAILED. On any error `out` holds
 * no plaintext. `out` must not overlap `packet`. A packet under the peer's new key phase
 * moves this session to the new key generation (see gamecrypt_session_update_keys()).
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
 * The server's identity public key, as a new public key handle in `*out_key` (the caller
 * frees it with gamecrypt_public_key_free()). For the client it is the key that the trust
 * check accepted. Available when gamecrypt_session_suite() is.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_STATE, SESSION_FAILED, SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_server_public_key(const gamecrypt_session *session,
                                                     gamecrypt_public_key **out_key);

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
 * Starts a key update (docs/PROTOCOL.md section 17): both directions move to the next key
 * generation without a new handshake; the next sealed packet carries the new key phase and
 * the peer follows when it opens it. Packets of the previous generation still in flight
 * are accepted for a while. Either side may call this at any time when ESTABLISHED; the
 * library also updates automatically before the AEAD usage limit. Counts as a sealing and
 * an opening call for the thread rules (it takes both locks briefly). May allocate.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_STATE (not established), KEY_UPDATE_BLOCKED (no packet
 * from the peer was opened under the current generation yet, e.g. the previous update is
 * not confirmed: nothing changes, try again after opening one), SESSION_FAILED,
 * SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_update_keys(const gamecrypt_session *session);

/**
 * Writes the current key generation to `*out_generation`: 0 after the handshake, one more
 * after each key update (started by either side). The key phase bit of sealed packets
 * (bit 0 of the first byte) is `generation & 1`. Safe from any thread.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_STATE (not established), SESSION_FAILED,
 * SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_key_generation(const gamecrypt_session *session,
                                                  uint64_t *out_generation);

/**
 * Creates a server session for the client at `client_address` (the bytes given to
 * gamecrypt_server_config_check_client_hello(); 1..=GAMECRYPT_CLIENT_ADDRESS_MAX_LEN). With
 * retry on, the session answers only a ClientHello with a valid cookie for this address
 * (else its read fails with RETRY_COOKIE_INVALID); without retry it is the same as
 * gamecrypt_session_new_server(). The session keeps its own reference to the configuration.
 *
 * Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown mode), INVALID_LENGTH (address).
 */
gamecrypt_result gamecrypt_session_new_server_for_address(const gamecrypt_server_config *config,
                                                          gamecrypt_session_mode mode,
                                                          const uint8_t *client_address,
                                                          size_t client_address_len,
                                                          gamecrypt_session **out);

/**
 * Server with client authentication, in state NEED_ACCEPT or later: the client's public key,
 * proven by its signature over the handshake transcript, as a new public key handle in
 * `*out_key` (free it with gamecrypt_public_key_free()); compare e.g.
 * gamecrypt_public_key_fingerprint() with your account database. When the client sent no
 * signature (optional mode) the call succeeds and writes NULL.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_STATE (earlier, a client session, or no client
 * authentication configured), SESSION_FAILED, SESSION_REJECTED, SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_client_public_key(const gamecrypt_session *session,
                                                     gamecrypt_public_key **out_key);

/**
 * Server with client authentication, in state NEED_ACCEPT or later: copies the client's
 * token exactly as sent (at most GAMECRYPT_CLIENT_TOKEN_MAX_LEN bytes) to `out`. When the
 * client sent no token, succeeds with `*out_len` = 0.
 *
 * Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in *out_len), WRONG_STATE,
 * SESSION_FAILED, SESSION_REJECTED, SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_client_token(const gamecrypt_session *session,
                                                uint8_t *out,
                                                size_t out_cap,
                                                size_t *out_len);

/**
 * Server with client authentication, from NEED_ACCEPT on: erases the client's public key and
 * token held by the session (read them first with gamecrypt_session_client_public_key() and
 * gamecrypt_session_client_token()), so that an established session costs no more memory
 * than one without client authentication. Afterwards those two calls and this one return
 * WRONG_STATE.
 *
 * Returns OK, NULL_ARGUMENT, WRONG_STATE (not a server with client authentication, before
 * NEED_ACCEPT, or already released), SESSION_FAILED, SESSION_REJECTED, SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_release_client_credentials(const gamecrypt_session *session);

/**
 * Server in state NEED_ACCEPT: accepts the client; the session becomes ESTABLISHED and data
 * flows (open the client's data packets that arrived meanwhile now, or drop them).
 *
 * Returns OK, NULL_ARGUMENT, WRONG_STATE (not in NEED_ACCEPT; nothing changes),
 * SESSION_FAILED, SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_accept(const gamecrypt_session *session);

/**
 * Server in state NEED_ACCEPT: rejects the client. Writes an authenticated close packet
 * (GAMECRYPT_PACKET_OVERHEAD bytes) to `out`; send it so that the client stops at once (its
 * gamecrypt_session_open() returns PEER_CLOSED), or do not, and the client only sees
 * silence. The session then fails for good, its keys are erased, and every later call
 * returns SESSION_REJECTED.
 *
 * Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in *out_len; nothing changes),
 * WRONG_STATE (not in NEED_ACCEPT; nothing changes), SESSION_FAILED, SESSION_REJECTED,
 * SESSION_CLOSED.
 */
gamecrypt_result gamecrypt_session_reject(const gamecrypt_session *session,
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
