/*
 * The session hardening exports through the C ABI (include/gamecrypt.h): key update
 * (docs/PROTOCOL.md section 17), the hybrid post-quantum suites (section 20), client
 * authentication (section 21) and retry cookies (section 22), with their NULL pointers, short
 * buffers, unknown enumeration values and wrong-state calls.
 *
 * Expected sizes, codes and byte layouts come from docs/PROTOCOL.md; the key fixtures and
 * their fingerprints are the openssl-generated files of tests/data/keys (make.sh).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"

#define SUITE_P256 GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256
#define SUITE_X25519 GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256
#define SUITE_PQ_ED GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256
#define SUITE_PQ_P256 GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256
#define DGRAM GAMECRYPT_SESSION_MODE_DATAGRAM
#define STREAM GAMECRYPT_SESSION_MODE_STREAM
#define NEED_WRITE GAMECRYPT_SESSION_STATE_NEED_WRITE
#define NEED_READ GAMECRYPT_SESSION_STATE_NEED_READ
#define ESTABLISHED GAMECRYPT_SESSION_STATE_ESTABLISHED
#define FAILED GAMECRYPT_SESSION_STATE_FAILED
#define CLOSED GAMECRYPT_SESSION_STATE_CLOSED
#define NEED_ACCEPT GAMECRYPT_SESSION_STATE_NEED_ACCEPT
#define OVERHEAD GAMECRYPT_PACKET_OVERHEAD
#define HS_MAX GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN
#define FP_LEN GAMECRYPT_SESSION_FINGERPRINT_LEN
#define AUTH_NONE GAMECRYPT_CLIENT_AUTH_NONE
#define AUTH_OPT GAMECRYPT_CLIENT_AUTH_OPTIONAL
#define AUTH_REQ GAMECRYPT_CLIENT_AUTH_REQUIRED
#define ACT_ACCEPT GAMECRYPT_RETRY_ACTION_ACCEPT
#define ACT_RETRY GAMECRYPT_RETRY_ACTION_SEND_RETRY
#define ACT_DROP GAMECRYPT_RETRY_ACTION_DROP

#define R_OK GAMECRYPT_RESULT_OK
#define R_NULL GAMECRYPT_RESULT_NULL_ARGUMENT
#define R_INVALID GAMECRYPT_RESULT_INVALID_ARGUMENT
#define R_LENGTH GAMECRYPT_RESULT_INVALID_LENGTH
#define R_SMALL GAMECRYPT_RESULT_BUFFER_TOO_SMALL
#define R_STATE GAMECRYPT_RESULT_WRONG_STATE
#define R_BLOCKED GAMECRYPT_RESULT_KEY_UPDATE_BLOCKED
#define R_REJECTED GAMECRYPT_RESULT_SESSION_REJECTED

#define STATE(s) gamecrypt_session_get_state(s)

/* ------------------------------------------------------------------------------------------ */
/* Helpers */

static uint16_t be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

static uint64_t be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* The 56-bit packet number of a sealed packet (bytes 1..7, big-endian; section 10). */
static uint64_t packet_number(const uint8_t *pkt) {
    uint64_t v = 0;
    for (int i = 1; i < 8; i++) {
        v = (v << 8) | pkt[i];
    }
    return v;
}

static gamecrypt_signing_key *load_signing_key(const char *name) {
    char path[256];
    snprintf(path, sizeof path, "keys/%s", name);
    size_t len = 0;
    uint8_t *der = read_fixture(path, &len);
    gamecrypt_signing_key *k = NULL;
    CHECK_OK(gamecrypt_signing_key_from_der(der, len, &k));
    free(der);
    return k;
}

static gamecrypt_public_key *public_of(const gamecrypt_signing_key *k) {
    gamecrypt_public_key *p = NULL;
    CHECK_OK(gamecrypt_signing_key_public_key(k, &p));
    return p;
}

/* True when the key's fingerprint is the openssl-computed one in tests/data/keys/<fp_file>. */
static bool fingerprint_is(const gamecrypt_public_key *k, const char *fp_file) {
    char path[256];
    snprintf(path, sizeof path, "keys/%s", fp_file);
    size_t len = 0;
    uint8_t *expected = read_fixture(path, &len);
    uint8_t fp[FP_LEN];
    memset(fp, 0, sizeof fp);
    CHECK_OK(gamecrypt_public_key_fingerprint(k, fp, sizeof fp));
    bool same = expected != NULL && len == FP_LEN && memcmp(fp, expected, FP_LEN) == 0;
    free(expected);
    return same;
}

/* An application clock (unix seconds) for retry time slots. */
typedef struct {
    uint64_t now;
    unsigned calls;
} test_clock;

static uint64_t clock_cb(void *ctx) {
    test_clock *c = ctx;
    c->calls++;
    return c->now;
}

/* Identity keys: index 0 Ed25519, 1 ECDSA P-256 (fixtures), with their suites. */
typedef struct {
    const char *pkcs8;
    const char *fingerprint;
    gamecrypt_suite classic;
    gamecrypt_suite hybrid;
    size_t hybrid_server_hello_len; /* section 20.2: 1229 + 2M + raw key length, M = 2 */
    size_t client_signature_entry;  /* section 21.3: 4 + 3 + key_len + 64 */
} key_info;

static const key_info KEYS[2] = {
    {"ed25519.pkcs8.der", "ed25519.fingerprint.bin", SUITE_X25519, SUITE_PQ_ED, 1265, 103},
    {"p256.pkcs8.der", "p256.fingerprint.bin", SUITE_P256, SUITE_PQ_P256, 1298, 136},
};

/* Builds and frees the builder. */
static gamecrypt_server_config *build_server(gamecrypt_server_config_builder *b) {
    gamecrypt_server_config *cfg = NULL;
    CHECK_OK(gamecrypt_server_config_builder_build(b, &cfg));
    gamecrypt_server_config_builder_free(b);
    return cfg;
}

static gamecrypt_client_config *build_client(gamecrypt_client_config_builder *b) {
    gamecrypt_client_config *cfg = NULL;
    CHECK_OK(gamecrypt_client_config_builder_build(b, &cfg));
    gamecrypt_client_config_builder_free(b);
    return cfg;
}

/* A server builder for `id`, limited to `suite` unless it is 0 (then every suite of the key). */
static gamecrypt_server_config_builder *server_builder(const gamecrypt_signing_key *id,
                                                      gamecrypt_suite suite) {
    gamecrypt_server_config_builder *b = NULL;
    CHECK_OK(gamecrypt_server_config_builder_new(id, &b));
    if (suite != 0) {
        CHECK_OK(gamecrypt_server_config_builder_set_suites(b, &suite, 1));
    }
    return b;
}

/* A client builder pinned to the key of `id`, offering `suite` unless it is 0 (default). */
static gamecrypt_client_config_builder *client_builder(const gamecrypt_signing_key *id,
                                                      gamecrypt_suite suite) {
    gamecrypt_public_key *pub = public_of(id);
    gamecrypt_client_config_builder *b = NULL;
    CHECK_OK(gamecrypt_client_config_builder_new_pinned_key(pub, &b));
    gamecrypt_public_key_free(pub);
    if (suite != 0) {
        CHECK_OK(gamecrypt_client_config_builder_set_suites(b, &suite, 1));
    }
    return b;
}

/* The three handshake messages as they went over the wire. */
typedef struct {
    uint8_t ch[HS_MAX];
    size_t ch_len;
    uint8_t sh[HS_MAX];
    size_t sh_len;
    uint8_t cf[HS_MAX];
    size_t cf_len;
} transcript;

/* Runs the handshake by state and returns the first failure. On success the client is
 * ESTABLISHED and the server ESTABLISHED or NEED_ACCEPT (the caller checks which). */
static gamecrypt_result run_handshake(const gamecrypt_session *c, const gamecrypt_session *s,
                                      transcript *t) {
    transcript local;
    if (t == NULL) {
        t = &local;
    }
    CHECK(STATE(c) == NEED_WRITE);
    CHECK(STATE(s) == NEED_READ);
    CHECK_OK(gamecrypt_session_write_handshake(c, t->ch, sizeof t->ch, &t->ch_len));
    gamecrypt_result rc = gamecrypt_session_read_handshake(s, t->ch, t->ch_len);
    if (rc != R_OK) {
        CHECK(STATE(s) == FAILED);
        return rc;
    }
    CHECK_OK(gamecrypt_session_write_handshake(s, t->sh, sizeof t->sh, &t->sh_len));
    rc = gamecrypt_session_read_handshake(c, t->sh, t->sh_len);
    if (rc != R_OK) {
        CHECK(STATE(c) == FAILED);
        return rc;
    }
    CHECK_OK(gamecrypt_session_write_handshake(c, t->cf, sizeof t->cf, &t->cf_len));
    CHECK(STATE(c) == ESTABLISHED);
    rc = gamecrypt_session_read_handshake(s, t->cf, t->cf_len);
    if (rc != R_OK) {
        CHECK(STATE(s) == FAILED);
        return rc;
    }
    CHECK(STATE(s) == ESTABLISHED || STATE(s) == NEED_ACCEPT);
    return R_OK;
}

static void new_pair(const gamecrypt_client_config *cc, const gamecrypt_server_config *sc,
                     gamecrypt_session_mode mode, gamecrypt_session **c, gamecrypt_session **s) {
    *c = NULL;
    *s = NULL;
    CHECK_OK(gamecrypt_session_new_client(cc, mode, c));
    CHECK_OK(gamecrypt_session_new_server(sc, mode, s));
}

/* Seals `msg` on `from` into pkt (capacity 512): checks the type byte and returns the length. */
static size_t seal_msg(const gamecrypt_session *from, const char *msg, uint8_t *pkt,
                       uint8_t expected_type) {
    size_t n = strlen(msg), len = 0;
    CHECK_OK(gamecrypt_session_seal(from, (const uint8_t *)msg, n, pkt, 512, &len));
    CHECK(len == n + OVERHEAD);
    CHECK(pkt[0] == expected_type);
    return len;
}

static void open_expect(const gamecrypt_session *to, const uint8_t *pkt, size_t len,
                        const char *expected) {
    uint8_t out[512];
    size_t out_len = 0;
    CHECK_OK(gamecrypt_session_open(to, pkt, len, out, sizeof out, &out_len));
    CHECK(out_len == strlen(expected) && memcmp(out, expected, out_len) == 0);
}

/* One phase-0 data packet each way (the server is then confirmed at the client). */
static void ping_pong(const gamecrypt_session *c, const gamecrypt_session *s, uint8_t type) {
    uint8_t pkt[512];
    size_t len = seal_msg(c, "ping", pkt, type);
    open_expect(s, pkt, len, "ping");
    len = seal_msg(s, "pong", pkt, type);
    open_expect(c, pkt, len, "pong");
}

static uint64_t generation(const gamecrypt_session *x) {
    uint64_t g = 0xdead;
    CHECK_OK(gamecrypt_session_key_generation(x, &g));
    return g;
}

/* ------------------------------------------------------------------------------------------ */
/* Constants and size functions */

static void test_constants(void) {
    /* Functions equal the macros, and the macros the values of docs/PROTOCOL.md. */
    CHECK(gamecrypt_retry_len() == GAMECRYPT_RETRY_LEN && GAMECRYPT_RETRY_LEN == 76);
    CHECK(gamecrypt_retry_secret_len() == GAMECRYPT_RETRY_SECRET_LEN);
    CHECK(GAMECRYPT_RETRY_SECRET_LEN == 32);
    CHECK(gamecrypt_client_address_max_len() == GAMECRYPT_CLIENT_ADDRESS_MAX_LEN);
    CHECK(GAMECRYPT_CLIENT_ADDRESS_MAX_LEN == 128);
    CHECK(gamecrypt_client_token_max_len() == GAMECRYPT_CLIENT_TOKEN_MAX_LEN);
    CHECK(GAMECRYPT_CLIENT_TOKEN_MAX_LEN == 1024);
    CHECK(GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS == 10);
    CHECK(GAMECRYPT_PACKET_TYPE_DATA_PHASE1 == 0x41 && GAMECRYPT_PACKET_TYPE_CLOSE_PHASE1 == 0x43);
    CHECK(GAMECRYPT_SESSION_MESSAGE_RETRY == 0x04);
    CHECK(SUITE_PQ_ED == 0x0003 && SUITE_PQ_P256 == 0x0004);
    CHECK(AUTH_NONE == 0 && AUTH_OPT == 1 && AUTH_REQ == 2);
    CHECK(NEED_ACCEPT != NEED_WRITE && NEED_ACCEPT != NEED_READ && NEED_ACCEPT != ESTABLISHED &&
          NEED_ACCEPT != FAILED && NEED_ACCEPT != CLOSED);
    CHECK(ACT_ACCEPT != ACT_RETRY && ACT_RETRY != ACT_DROP && ACT_ACCEPT != ACT_DROP);
    /* Error codes in brackets in the protocol document. */
    CHECK(GAMECRYPT_RESULT_KEY_UPDATE_BLOCKED == 400);
    CHECK(GAMECRYPT_RESULT_PEER_CLOSED == 402);
    CHECK(GAMECRYPT_RESULT_CLIENT_AUTH_REQUIRED == 450);
    CHECK(GAMECRYPT_RESULT_CLIENT_AUTH_INVALID == 451);
    CHECK(GAMECRYPT_RESULT_CLIENT_TOKEN_REQUIRED == 452);
    CHECK(GAMECRYPT_RESULT_SESSION_REJECTED == 453);
    CHECK(GAMECRYPT_RESULT_RETRY_COOKIE_INVALID == 454);
    for (uint32_t code = 450; code <= 454; code++) {
        const char *msg = gamecrypt_result_str(code);
        CHECK(msg != NULL && strlen(msg) > 0);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Key update (section 17) */

/* One session of the given configurations: the initiator `a` (client or server) updates with a
 * packet of the old phase still in flight, the peer `b` follows; then b updates by itself,
 * then both at once, then a closes under phase 1. */
static void key_update_case(const gamecrypt_client_config *cc, const gamecrypt_server_config *sc,
                            gamecrypt_session_mode mode, bool client_starts) {
    gamecrypt_session *c = NULL, *s = NULL;
    new_pair(cc, sc, mode, &c, &s);
    CHECK_OK(run_handshake(c, s, NULL));
    CHECK(STATE(s) == ESTABLISHED);
    CHECK(generation(c) == 0 && generation(s) == 0);
    /* The client's generation 0 is confirmed only by the first packet it opens (17.2). */
    CHECK_RC(gamecrypt_session_update_keys(c), R_BLOCKED);
    CHECK(generation(c) == 0 && STATE(c) == ESTABLISHED);
    ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA); /* client pn 1, server pn 0 */

    const gamecrypt_session *a = client_starts ? c : s, *b = client_starts ? s : c;
    const uint64_t a_pn = client_starts ? 2 : 1; /* a's next packet number */
    uint8_t old_pkt[512], new_pkt[512], pkt[512], out[512];
    size_t out_len = 0;
    size_t old_len = seal_msg(a, "old phase", old_pkt, GAMECRYPT_PACKET_TYPE_DATA);
    CHECK(packet_number(old_pkt) == a_pn);
    CHECK_OK(gamecrypt_session_update_keys(a));
    CHECK(generation(a) == 1 && generation(b) == 0);
    /* A second update before the peer answered under generation 1 is refused. */
    CHECK_RC(gamecrypt_session_update_keys(a), R_BLOCKED);
    CHECK(generation(a) == 1 && STATE(a) == ESTABLISHED);
    size_t new_len = seal_msg(a, "new phase", new_pkt, GAMECRYPT_PACKET_TYPE_DATA_PHASE1);
    /* Packet numbers continue across the update. */
    CHECK(packet_number(new_pkt) == a_pn + 1);
    CHECK(memcmp(old_pkt + 1, new_pkt + 1, 7) != 0);

    if (mode == DGRAM) {
        /* Reordered: the new phase arrives first and moves b, then the late old one opens. */
        open_expect(b, new_pkt, new_len, "new phase");
        CHECK(generation(b) == 1);
        open_expect(b, old_pkt, old_len, "old phase");
        CHECK(generation(b) == 1);
        CHECK_RC(gamecrypt_session_open(b, old_pkt, old_len, out, sizeof out, &out_len),
                 GAMECRYPT_RESULT_PACKET_REPLAYED);
        CHECK_RC(gamecrypt_session_open(b, new_pkt, new_len, out, sizeof out, &out_len),
                 GAMECRYPT_RESULT_PACKET_REPLAYED);
        CHECK(STATE(b) == ESTABLISHED);
    } else {
        open_expect(b, old_pkt, old_len, "old phase");
        CHECK(generation(b) == 0);
        open_expect(b, new_pkt, new_len, "new phase");
        CHECK(generation(b) == 1);
    }

    /* b answers under the new phase; until a opens it, a may not update again. */
    size_t len = seal_msg(b, "answer", pkt, GAMECRYPT_PACKET_TYPE_DATA_PHASE1);
    CHECK_RC(gamecrypt_session_update_keys(a), R_BLOCKED);
    open_expect(a, pkt, len, "answer");
    CHECK(generation(a) == 1);

    /* b heard a under generation 1 (confirmed), so b can start generation 2 by itself. */
    CHECK_OK(gamecrypt_session_update_keys(b));
    CHECK(generation(b) == 2 && generation(a) == 1);
    len = seal_msg(b, "generation two", pkt, GAMECRYPT_PACKET_TYPE_DATA);
    open_expect(a, pkt, len, "generation two");
    CHECK(generation(a) == 2);
    len = seal_msg(a, "ack two", pkt, GAMECRYPT_PACKET_TYPE_DATA);
    open_expect(b, pkt, len, "ack two");

    /* Both update at the same time: both end in generation 3 and understand each other. */
    CHECK_OK(gamecrypt_session_update_keys(a));
    CHECK_OK(gamecrypt_session_update_keys(b));
    uint8_t pa[512], pb[512];
    size_t la = seal_msg(a, "from a", pa, GAMECRYPT_PACKET_TYPE_DATA_PHASE1);
    size_t lb = seal_msg(b, "from b", pb, GAMECRYPT_PACKET_TYPE_DATA_PHASE1);
    open_expect(b, pa, la, "from a");
    open_expect(a, pb, lb, "from b");
    CHECK(generation(a) == 3 && generation(b) == 3);

    /* Close under phase 1: type 0x43 (section 19). */
    uint8_t closing[OVERHEAD + 8];
    memset(closing, CANARY, sizeof closing);
    CHECK_OK(gamecrypt_session_close(a, closing, sizeof closing, &len));
    CHECK(len == OVERHEAD && closing[0] == GAMECRYPT_PACKET_TYPE_CLOSE_PHASE1);
    CHECK(all_bytes_are(closing + OVERHEAD, 8, CANARY));
    CHECK_RC(gamecrypt_session_open(b, closing, len, out, sizeof out, &out_len),
             GAMECRYPT_RESULT_PEER_CLOSED);
    uint64_t g = 77;
    CHECK_RC(gamecrypt_session_update_keys(a), GAMECRYPT_RESULT_SESSION_CLOSED);
    CHECK_RC(gamecrypt_session_update_keys(b), GAMECRYPT_RESULT_SESSION_CLOSED);
    CHECK_RC(gamecrypt_session_key_generation(a, &g), GAMECRYPT_RESULT_SESSION_CLOSED);
    CHECK_RC(gamecrypt_session_key_generation(b, &g), GAMECRYPT_RESULT_SESSION_CLOSED);
    CHECK(g == 77);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);
}

static void test_key_update(void) {
    for (int k = 0; k < 2; k++) {
        gamecrypt_signing_key *id = load_signing_key(KEYS[k].pkcs8);
        for (int h = 0; h < 2; h++) {
            gamecrypt_suite suite = h == 0 ? KEYS[k].classic : KEYS[k].hybrid;
            gamecrypt_server_config *sc = build_server(server_builder(id, suite));
            gamecrypt_client_config *cc = build_client(client_builder(id, suite));
            for (int m = 0; m < 2; m++) {
                key_update_case(cc, sc, m == 0 ? DGRAM : STREAM, true);
                key_update_case(cc, sc, m == 0 ? DGRAM : STREAM, false);
            }
            gamecrypt_client_config_free(cc);
            gamecrypt_server_config_free(sc);
        }
        gamecrypt_signing_key_free(id);
    }
}

static void test_key_update_errors(void) {
    gamecrypt_signing_key *id = load_signing_key(KEYS[0].pkcs8);
    gamecrypt_server_config *sc = build_server(server_builder(id, KEYS[0].classic));
    gamecrypt_client_config *cc = build_client(client_builder(id, KEYS[0].classic));
    uint64_t g = 77;
    CHECK_RC(gamecrypt_session_update_keys(NULL), R_NULL);
    CHECK_RC(gamecrypt_session_key_generation(NULL, &g), R_NULL);
    CHECK_RC(gamecrypt_session_key_generation(NULL, NULL), R_NULL);
    CHECK(g == 77);

    /* During the handshake: WRONG_STATE, nothing changes. */
    gamecrypt_session *c = NULL, *s = NULL;
    new_pair(cc, sc, STREAM, &c, &s);
    CHECK_RC(gamecrypt_session_key_generation(c, NULL), R_NULL);
    CHECK_RC(gamecrypt_session_update_keys(c), R_STATE);
    CHECK_RC(gamecrypt_session_update_keys(s), R_STATE);
    CHECK_RC(gamecrypt_session_key_generation(c, &g), R_STATE);
    CHECK_RC(gamecrypt_session_key_generation(s, &g), R_STATE);
    CHECK(g == 77 && STATE(c) == NEED_WRITE && STATE(s) == NEED_READ);
    uint8_t ch[HS_MAX];
    size_t ch_len = 0;
    CHECK_OK(gamecrypt_session_write_handshake(c, ch, sizeof ch, &ch_len));
    CHECK_OK(gamecrypt_session_read_handshake(s, ch, ch_len));
    CHECK_RC(gamecrypt_session_update_keys(c), R_STATE);
    CHECK_RC(gamecrypt_session_update_keys(s), R_STATE);
    CHECK_RC(gamecrypt_session_key_generation(s, &g), R_STATE);
    CHECK(g == 77 && STATE(c) == NEED_READ && STATE(s) == NEED_WRITE);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);

    /* Established, then failed (stream mode: a bad packet is fatal). */
    new_pair(cc, sc, STREAM, &c, &s);
    CHECK_OK(run_handshake(c, s, NULL));
    CHECK_RC(gamecrypt_session_key_generation(s, NULL), R_NULL);
    uint8_t pkt[512], out[512];
    size_t len = seal_msg(c, "tampered", pkt, GAMECRYPT_PACKET_TYPE_DATA), out_len = 0;
    pkt[len - 1] ^= 1;
    CHECK_RC(gamecrypt_session_open(s, pkt, len, out, sizeof out, &out_len),
             GAMECRYPT_RESULT_PACKET_AUTH_FAILED);
    CHECK(STATE(s) == FAILED);
    CHECK_RC(gamecrypt_session_update_keys(s), GAMECRYPT_RESULT_SESSION_FAILED);
    CHECK_RC(gamecrypt_session_key_generation(s, &g), GAMECRYPT_RESULT_SESSION_FAILED);
    CHECK(g == 77);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_signing_key_free(id);
}

/* ------------------------------------------------------------------------------------------ */
/* Hybrid post-quantum suites (section 20) */

static void test_hybrid_suites(void) {
    for (int k = 0; k < 2; k++) {
        const key_info *ki = &KEYS[k];
        gamecrypt_signing_key *id = load_signing_key(ki->pkcs8);
        /* Defaults on both sides: every suite of the key, hybrid offered first. */
        gamecrypt_server_config *sc = build_server(server_builder(id, 0));
        gamecrypt_client_config *cc = build_client(client_builder(id, 0));
        for (int m = 0; m < 2; m++) {
            gamecrypt_session *c = NULL, *s = NULL;
            transcript t;
            new_pair(cc, sc, m == 0 ? DGRAM : STREAM, &c, &s);
            CHECK_OK(run_handshake(c, s, &t));
            CHECK(STATE(s) == ESTABLISHED);
            gamecrypt_suite cs = 0, ss = 0;
            CHECK_OK(gamecrypt_session_suite(c, &cs));
            CHECK_OK(gamecrypt_session_suite(s, &ss));
            CHECK(cs == ki->hybrid && ss == ki->hybrid);
            /* ClientHello: padded to at least 2048; the pinned key offers the two suites of
             * its type, hybrid first, with the 1216-byte client share (20.1). */
            CHECK(t.ch_len >= 2048 && t.ch_len <= HS_MAX);
            CHECK(t.ch[35] == 2 && be16(t.ch + 36) == ki->hybrid && be16(t.ch + 38) == 1216);
            CHECK(be16(t.ch + 40 + 1216) == ki->classic);
            /* ServerHello: smaller than the ClientHello, exact size of 20.2, 1120-byte share. */
            CHECK(t.sh_len < t.ch_len);
            CHECK(t.sh_len == ki->hybrid_server_hello_len);
            CHECK(be16(t.sh + 35) == ki->hybrid && t.sh[37] == 2);
            CHECK(be16(t.sh + 42) == 1120);
            CHECK(t.cf_len == 24);
            /* Data both ways, an update, a close. */
            ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA);
            CHECK_OK(gamecrypt_session_update_keys(s));
            uint8_t pkt[512];
            size_t len = seal_msg(s, "post-quantum", pkt, GAMECRYPT_PACKET_TYPE_DATA_PHASE1);
            open_expect(c, pkt, len, "post-quantum");
            ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA_PHASE1);
            CHECK(generation(c) == 1 && generation(s) == 1);
            CHECK_OK(gamecrypt_session_close(c, pkt, sizeof pkt, &len));
            CHECK(pkt[0] == GAMECRYPT_PACKET_TYPE_CLOSE_PHASE1);
            uint8_t out[16];
            size_t out_len = 0;
            CHECK_RC(gamecrypt_session_open(s, pkt, len, out, sizeof out, &out_len),
                     GAMECRYPT_RESULT_PEER_CLOSED);
            gamecrypt_session_free(c);
            gamecrypt_session_free(s);
        }
        gamecrypt_client_config_free(cc);

        /* A fingerprint-pinned client offers the default list of all four suites (20.3):
         * 3, 4, 1, 2, in a 2583-byte ClientHello. */
        gamecrypt_public_key *pub = public_of(id);
        uint8_t fp[FP_LEN];
        CHECK_OK(gamecrypt_public_key_fingerprint(pub, fp, sizeof fp));
        gamecrypt_public_key_free(pub);
        gamecrypt_client_config_builder *fb = NULL;
        CHECK_OK(gamecrypt_client_config_builder_new_pinned_fingerprint(fp, FP_LEN, &fb));
        cc = build_client(fb);
        gamecrypt_session *c = NULL, *s = NULL;
        transcript t;
        new_pair(cc, sc, DGRAM, &c, &s);
        CHECK_OK(run_handshake(c, s, &t));
        CHECK(t.ch_len == 2583 && t.ch[35] == 4);
        CHECK(be16(t.ch + 36) == SUITE_PQ_ED && be16(t.ch + 38) == 1216);
        CHECK(be16(t.ch + 40 + 1216) == SUITE_PQ_P256 && be16(t.ch + 42 + 1216) == 1216);
        CHECK(t.sh_len < t.ch_len && t.sh_len == ki->hybrid_server_hello_len);
        gamecrypt_suite cs = 0;
        CHECK_OK(gamecrypt_session_suite(c, &cs));
        CHECK(cs == ki->hybrid);
        ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA);
        gamecrypt_session_free(c);
        gamecrypt_session_free(s);
        gamecrypt_client_config_free(cc);

        /* A classic-only server answers the same default offer with the classic suite. */
        gamecrypt_server_config *classic = build_server(server_builder(id, ki->classic));
        cc = build_client(client_builder(id, 0));
        new_pair(cc, classic, STREAM, &c, &s);
        CHECK_OK(run_handshake(c, s, &t));
        CHECK_OK(gamecrypt_session_suite(c, &cs));
        CHECK(cs == ki->classic && t.sh_len < 300 && t.ch_len >= 2048);
        ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA);
        gamecrypt_session_free(c);
        gamecrypt_session_free(s);
        gamecrypt_client_config_free(cc);
        gamecrypt_server_config_free(classic);
        gamecrypt_server_config_free(sc);
        gamecrypt_signing_key_free(id);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Client authentication (section 21) */

/* A token with a zero byte and high bytes: it must come back exactly. */
static const uint8_t TOKEN[] = {'t', 'i', 'c', 'k', 'e', 't', 0x00, 0xff, 0x80, 0x01, '\n', 0x7f};

/* A client of the server `id` (classic suite of key k), with an optional client key and token. */
static gamecrypt_client_config *auth_client(const gamecrypt_signing_key *id, int k,
                                            const gamecrypt_signing_key *client_key,
                                            const uint8_t *token, size_t token_len) {
    gamecrypt_client_config_builder *b = client_builder(id, KEYS[k].classic);
    if (client_key != NULL) {
        CHECK_OK(gamecrypt_client_config_builder_set_client_key(b, client_key));
    }
    if (token != NULL) {
        CHECK_OK(gamecrypt_client_config_builder_set_token(b, token, token_len));
    }
    return build_client(b);
}

static gamecrypt_server_config *auth_server(const gamecrypt_signing_key *id, int k,
                                            gamecrypt_client_auth_mode sig,
                                            gamecrypt_client_auth_mode tok) {
    gamecrypt_server_config_builder *b = server_builder(id, KEYS[k].classic);
    CHECK_OK(gamecrypt_server_config_builder_set_client_auth(b, sig, tok));
    return build_server(b);
}

/* Every signature mode x token mode x (client has a key) x (client has a token). */
static void test_client_auth_matrix(void) {
    int n = 0;
    for (int k = 0; k < 2; k++) {
        gamecrypt_signing_key *id = load_signing_key(KEYS[k].pkcs8);
        /* The client's key is of the other type than the server's. */
        const key_info *cki = &KEYS[1 - k];
        gamecrypt_signing_key *ck = load_signing_key(cki->pkcs8);
        for (gamecrypt_client_auth_mode sig = AUTH_NONE; sig <= AUTH_REQ; sig++) {
            for (gamecrypt_client_auth_mode tok = AUTH_NONE; tok <= AUTH_REQ; tok++) {
                gamecrypt_server_config *sc = auth_server(id, k, sig, tok);
                for (int has = 0; has < 4; n++, has++) {
                    bool has_key = has & 1, has_tok = has & 2;
                    gamecrypt_session_mode mode = n % 2 == 0 ? DGRAM : STREAM;
                    gamecrypt_client_config *cc = auth_client(id, k, has_key ? ck : NULL,
                                                              has_tok ? TOKEN : NULL, sizeof TOKEN);
                    gamecrypt_session *c = NULL, *s = NULL;
                    transcript t;
                    new_pair(cc, sc, mode, &c, &s);
                    gamecrypt_result expected = R_OK;
                    if (sig == AUTH_REQ && !has_key) {
                        expected = GAMECRYPT_RESULT_CLIENT_AUTH_REQUIRED;
                    } else if (tok == AUTH_REQ && !has_tok) {
                        expected = GAMECRYPT_RESULT_CLIENT_TOKEN_REQUIRED;
                    }
                    bool asked = sig != AUTH_NONE || tok != AUTH_NONE;
                    CHECK_RC(run_handshake(c, s, &t), expected);
                    /* The request is in the ServerHello: 6 more bytes (21.2). */
                    const size_t classic_sh = k == 0 ? 175 : 241;
                    CHECK(t.sh_len == classic_sh + (asked ? 6 : 0));
                    if (asked) {
                        const uint8_t *ext = t.sh + t.sh_len - 64 - 8;
                        CHECK(be16(ext) == 6 && be16(ext + 2) == 0x0102 && be16(ext + 4) == 2);
                        CHECK(ext[6] == sig && ext[7] == tok);
                    }
                    if (expected != R_OK) {
                        /* The client aborts before sending anything; the server waits. */
                        CHECK(STATE(c) == FAILED && STATE(s) == NEED_READ);
                        uint8_t buf[64];
                        size_t len = 5;
                        CHECK_RC(gamecrypt_session_write_handshake(c, buf, sizeof buf, &len),
                                 GAMECRYPT_RESULT_SESSION_FAILED);
                        CHECK(len == 5);
                    } else {
                        bool sends_key = sig != AUTH_NONE && has_key;
                        bool sends_tok = tok != AUTH_NONE && has_tok;
                        /* ClientFinished sizes of 21.3. */
                        CHECK(t.cf_len == 24 + (sends_tok ? 4 + sizeof TOKEN : 0) +
                                              (sends_key ? cki->client_signature_entry : 0));
                        CHECK(STATE(s) == (asked ? NEED_ACCEPT : ESTABLISHED));
                        gamecrypt_public_key *key = SENTINEL(gamecrypt_public_key);
                        uint8_t tok_out[64];
                        size_t tok_len = 999;
                        memset(tok_out, CANARY, sizeof tok_out);
                        if (!asked) {
                            CHECK_RC(gamecrypt_session_client_public_key(s, &key), R_STATE);
                            CHECK_RC(gamecrypt_session_client_token(s, tok_out, sizeof tok_out,
                                                                    &tok_len),
                                     R_STATE);
                            CHECK(key == SENTINEL(gamecrypt_public_key) && tok_len == 999);
                        } else {
                            CHECK_OK(gamecrypt_session_client_public_key(s, &key));
                            if (sends_key) {
                                CHECK(key != NULL && fingerprint_is(key, cki->fingerprint));
                            } else {
                                CHECK(key == NULL);
                            }
                            gamecrypt_public_key_free(key);
                            CHECK_OK(gamecrypt_session_client_token(s, tok_out, sizeof tok_out,
                                                                    &tok_len));
                            if (sends_tok) {
                                CHECK(tok_len == sizeof TOKEN &&
                                      memcmp(tok_out, TOKEN, sizeof TOKEN) == 0);
                            } else {
                                CHECK(tok_len == 0);
                            }
                            CHECK(all_bytes_are(tok_out + tok_len, sizeof tok_out - tok_len,
                                                CANARY));
                            CHECK_OK(gamecrypt_session_accept(s));
                        }
                        CHECK(STATE(s) == ESTABLISHED);
                        ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA);
                    }
                    gamecrypt_session_free(c);
                    gamecrypt_session_free(s);
                    gamecrypt_client_config_free(cc);
                }
                gamecrypt_server_config_free(sc);
            }
        }
        gamecrypt_signing_key_free(ck);
        gamecrypt_signing_key_free(id);
    }
    CHECK(n == 72);
}

/* Calls on a rejected server session: SESSION_REJECTED, nothing written. */
static void check_rejected(const gamecrypt_session *s) {
    uint8_t buf[64], out[64];
    size_t len = 777;
    uint64_t g = 77;
    gamecrypt_suite suite = 99;
    gamecrypt_public_key *key = SENTINEL(gamecrypt_public_key);
    memset(buf, 0, sizeof buf);
    buf[0] = GAMECRYPT_PACKET_TYPE_DATA;
    memset(out, CANARY, sizeof out);
    CHECK(STATE(s) == FAILED);
    CHECK_RC(gamecrypt_session_accept(s), R_REJECTED);
    CHECK_RC(gamecrypt_session_reject(s, out, sizeof out, &len), R_REJECTED);
    CHECK_RC(gamecrypt_session_client_public_key(s, &key), R_REJECTED);
    CHECK_RC(gamecrypt_session_client_token(s, out, sizeof out, &len), R_REJECTED);
    CHECK_RC(gamecrypt_session_seal(s, buf, 4, out, sizeof out, &len), R_REJECTED);
    CHECK_RC(gamecrypt_session_open(s, buf, 40, out, sizeof out, &len), R_REJECTED);
    CHECK_RC(gamecrypt_session_update_keys(s), R_REJECTED);
    CHECK_RC(gamecrypt_session_key_generation(s, &g), R_REJECTED);
    CHECK_RC(gamecrypt_session_write_handshake(s, out, sizeof out, &len), R_REJECTED);
    CHECK_RC(gamecrypt_session_read_handshake(s, buf, 24), R_REJECTED);
    CHECK_RC(gamecrypt_session_suite(s, &suite), R_REJECTED);
    CHECK_RC(gamecrypt_session_server_public_key(s, &key), R_REJECTED);
    CHECK_RC(gamecrypt_session_close(s, out, sizeof out, &len), R_REJECTED);
    CHECK(len == 777 && g == 77 && suite == 99 && key == SENTINEL(gamecrypt_public_key));
    CHECK(all_bytes_are(out, sizeof out, CANARY));
    CHECK(STATE(s) == FAILED);
}

/* The NEED_ACCEPT state, accept and reject, wrong states, NULLs and short buffers. */
static void test_need_accept(void) {
    gamecrypt_signing_key *id = load_signing_key(KEYS[0].pkcs8);
    gamecrypt_signing_key *ck = load_signing_key(KEYS[1].pkcs8);
    gamecrypt_server_config *sc = auth_server(id, 0, AUTH_REQ, AUTH_REQ);
    gamecrypt_client_config *cc = auth_client(id, 0, ck, TOKEN, sizeof TOKEN);
    for (int m = 0; m < 2; m++) {
        for (int accept = 0; accept < 2; accept++) {
            gamecrypt_session_mode mode = m == 0 ? DGRAM : STREAM;
            gamecrypt_session *c = NULL, *s = NULL;
            new_pair(cc, sc, mode, &c, &s);
            uint8_t ch[HS_MAX], sh[HS_MAX], cf[HS_MAX], out[128], pkt[512];
            size_t ch_len = 0, sh_len = 0, cf_len = 0, len = 777, out_len = 0;
            gamecrypt_public_key *key = SENTINEL(gamecrypt_public_key);
            memset(out, CANARY, sizeof out);

            /* Before the ClientFinished: WRONG_STATE for everything of section 21.5. */
            CHECK_RC(gamecrypt_session_accept(s), R_STATE);
            CHECK_RC(gamecrypt_session_reject(s, out, sizeof out, &len), R_STATE);
            CHECK_RC(gamecrypt_session_client_public_key(s, &key), R_STATE);
            CHECK_RC(gamecrypt_session_client_token(s, out, sizeof out, &len), R_STATE);
            CHECK(len == 777 && key == SENTINEL(gamecrypt_public_key));
            CHECK(all_bytes_are(out, sizeof out, CANARY) && STATE(s) == NEED_READ);
            CHECK_OK(gamecrypt_session_write_handshake(c, ch, sizeof ch, &ch_len));
            CHECK_OK(gamecrypt_session_read_handshake(s, ch, ch_len));
            CHECK_RC(gamecrypt_session_accept(s), R_STATE);
            CHECK_OK(gamecrypt_session_write_handshake(s, sh, sizeof sh, &sh_len));
            CHECK_OK(gamecrypt_session_read_handshake(c, sh, sh_len));
            CHECK_OK(gamecrypt_session_write_handshake(c, cf, sizeof cf, &cf_len));
            CHECK(STATE(c) == ESTABLISHED);
            CHECK_RC(gamecrypt_session_client_public_key(s, &key), R_STATE);
            CHECK_RC(gamecrypt_session_reject(s, out, sizeof out, &len), R_STATE);
            CHECK(len == 777 && all_bytes_are(out, sizeof out, CANARY));

            /* The client may send at once; it cannot update before hearing the server. */
            size_t early_len = seal_msg(c, "early data", pkt, GAMECRYPT_PACKET_TYPE_DATA);
            CHECK_RC(gamecrypt_session_update_keys(c), R_BLOCKED);
            /* Client sessions have no client credentials. */
            CHECK_RC(gamecrypt_session_client_public_key(c, &key), R_STATE);
            CHECK_RC(gamecrypt_session_client_token(c, out, sizeof out, &len), R_STATE);
            CHECK_RC(gamecrypt_session_accept(c), R_STATE);
            CHECK_RC(gamecrypt_session_reject(c, out, sizeof out, &len), R_STATE);
            CHECK(len == 777 && key == SENTINEL(gamecrypt_public_key));
            CHECK(all_bytes_are(out, sizeof out, CANARY) && STATE(c) == ESTABLISHED);

            CHECK_OK(gamecrypt_session_read_handshake(s, cf, cf_len));
            CHECK(STATE(s) == NEED_ACCEPT);
            /* A duplicate ClientFinished changes nothing. */
            CHECK_RC(gamecrypt_session_read_handshake(s, cf, cf_len), R_STATE);
            CHECK(STATE(s) == NEED_ACCEPT);
            /* Nothing is sealed or opened before the accept; the handshake facts are there. */
            uint64_t g = 77;
            CHECK_RC(gamecrypt_session_seal(s, pkt, 4, out, sizeof out, &len), R_STATE);
            CHECK_RC(gamecrypt_session_open(s, pkt, early_len, out, sizeof out, &len), R_STATE);
            CHECK_RC(gamecrypt_session_update_keys(s), R_STATE);
            CHECK_RC(gamecrypt_session_key_generation(s, &g), R_STATE);
            CHECK_RC(gamecrypt_session_write_handshake(s, out, sizeof out, &len), R_STATE);
            CHECK(len == 777 && g == 77 && all_bytes_are(out, sizeof out, CANARY));
            gamecrypt_suite suite = 0;
            CHECK_OK(gamecrypt_session_suite(s, &suite));
            CHECK(suite == KEYS[0].classic);

            /* NULL arguments and short buffers of the credential calls. */
            CHECK_RC(gamecrypt_session_client_public_key(NULL, &key), R_NULL);
            CHECK_RC(gamecrypt_session_client_public_key(s, NULL), R_NULL);
            CHECK(key == SENTINEL(gamecrypt_public_key));
            CHECK_RC(gamecrypt_session_client_token(NULL, out, sizeof out, &len), R_NULL);
            CHECK_RC(gamecrypt_session_client_token(s, out, sizeof out, NULL), R_NULL);
            CHECK_RC(gamecrypt_session_client_token(s, NULL, 5, &len), R_NULL);
            CHECK(len == 777);
            CHECK_RC(gamecrypt_session_client_token(s, out, sizeof TOKEN - 1, &len), R_SMALL);
            CHECK(len == sizeof TOKEN && all_bytes_are(out, sizeof out, CANARY));
            len = 0;
            CHECK_RC(gamecrypt_session_client_token(s, NULL, 0, &len), R_SMALL);
            CHECK(len == sizeof TOKEN);
            CHECK_RC(gamecrypt_session_accept(NULL), R_NULL);
            len = 777;
            CHECK_RC(gamecrypt_session_reject(NULL, out, sizeof out, &len), R_NULL);
            CHECK_RC(gamecrypt_session_reject(s, out, sizeof out, NULL), R_NULL);
            CHECK_RC(gamecrypt_session_reject(s, NULL, 24, &len), R_NULL);
            CHECK(len == 777);
            CHECK_RC(gamecrypt_session_reject(s, out, OVERHEAD - 1, &len), R_SMALL);
            CHECK(len == OVERHEAD && all_bytes_are(out, sizeof out, CANARY));
            len = 0;
            CHECK_RC(gamecrypt_session_reject(s, NULL, 0, &len), R_SMALL);
            CHECK(len == OVERHEAD && STATE(s) == NEED_ACCEPT);

            /* The credentials, exact. */
            key = NULL;
            CHECK_OK(gamecrypt_session_client_public_key(s, &key));
            CHECK(key != NULL && fingerprint_is(key, KEYS[1].fingerprint));
            gamecrypt_public_key_free(key);
            CHECK_OK(gamecrypt_session_client_token(s, out, sizeof TOKEN, &len));
            CHECK(len == sizeof TOKEN && memcmp(out, TOKEN, sizeof TOKEN) == 0);
            CHECK(all_bytes_are(out + sizeof TOKEN, sizeof out - sizeof TOKEN, CANARY));

            if (accept) {
                CHECK_OK(gamecrypt_session_accept(s));
                CHECK(STATE(s) == ESTABLISHED);
                CHECK_RC(gamecrypt_session_accept(s), R_STATE);
                memset(out, CANARY, sizeof out);
                len = 777;
                CHECK_RC(gamecrypt_session_reject(s, out, sizeof out, &len), R_STATE);
                CHECK(len == 777 && all_bytes_are(out, sizeof out, CANARY));
                CHECK(STATE(s) == ESTABLISHED);
                /* Still readable after the accept. */
                key = NULL;
                CHECK_OK(gamecrypt_session_client_public_key(s, &key));
                CHECK(key != NULL && fingerprint_is(key, KEYS[1].fingerprint));
                gamecrypt_public_key_free(key);
                /* The early packet opens now; data flows both ways. */
                open_expect(s, pkt, early_len, "early data");
                CHECK(generation(s) == 0);
                ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA);
                CHECK_OK(gamecrypt_session_update_keys(c));
                ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA_PHASE1);
            } else {
                uint8_t closing[OVERHEAD + 8];
                memset(closing, CANARY, sizeof closing);
                CHECK_OK(gamecrypt_session_reject(s, closing, sizeof closing, &len));
                /* Section 21.5: type 0x42, s2c packet number 0, empty plaintext. */
                CHECK(len == OVERHEAD && closing[0] == GAMECRYPT_PACKET_TYPE_CLOSE);
                CHECK(packet_number(closing) == 0);
                CHECK(all_bytes_are(closing + OVERHEAD, 8, CANARY));
                check_rejected(s);
                /* The client learns at once. */
                out_len = 777;
                CHECK_RC(gamecrypt_session_open(c, closing, len, out, sizeof out, &out_len),
                         GAMECRYPT_RESULT_PEER_CLOSED);
                CHECK(STATE(c) == CLOSED && out_len == 777);
                CHECK_RC(gamecrypt_session_open(c, closing, len, out, sizeof out, &out_len),
                         GAMECRYPT_RESULT_SESSION_CLOSED);
                CHECK_RC(gamecrypt_session_seal(c, pkt, 4, out, sizeof out, &out_len),
                         GAMECRYPT_RESULT_SESSION_CLOSED);
                CHECK_RC(gamecrypt_session_update_keys(c), GAMECRYPT_RESULT_SESSION_CLOSED);
            }
            gamecrypt_session_free(c);
            gamecrypt_session_free(s);
        }
    }
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_signing_key_free(ck);
    gamecrypt_signing_key_free(id);
}

static void test_client_auth_config_errors(void) {
    gamecrypt_signing_key *id = load_signing_key(KEYS[0].pkcs8);
    gamecrypt_signing_key *ck = load_signing_key(KEYS[1].pkcs8);

    /* set_client_auth: NULL builder, unknown modes (the builder keeps its setting). */
    gamecrypt_server_config_builder *sb = server_builder(id, KEYS[0].classic);
    CHECK_RC(gamecrypt_server_config_builder_set_client_auth(NULL, AUTH_REQ, AUTH_NONE), R_NULL);
    CHECK_OK(gamecrypt_server_config_builder_set_client_auth(sb, AUTH_REQ, AUTH_NONE));
    CHECK_RC(gamecrypt_server_config_builder_set_client_auth(sb, 3, AUTH_NONE), R_INVALID);
    CHECK_RC(gamecrypt_server_config_builder_set_client_auth(sb, AUTH_NONE, 3), R_INVALID);
    CHECK_RC(gamecrypt_server_config_builder_set_client_auth(sb, 0xFFFFFFFFu, AUTH_OPT),
             R_INVALID);
    CHECK_RC(gamecrypt_server_config_builder_set_client_auth(sb, AUTH_OPT, 0x80000000u), R_INVALID);
    gamecrypt_server_config *sc = build_server(sb);
    gamecrypt_client_config *cc = auth_client(id, 0, NULL, TOKEN, sizeof TOKEN);
    gamecrypt_session *c = NULL, *s = NULL;
    new_pair(cc, sc, DGRAM, &c, &s);
    CHECK_RC(run_handshake(c, s, NULL), GAMECRYPT_RESULT_CLIENT_AUTH_REQUIRED);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    /* Both required and both missing: the signature is checked first (21.3). */
    sc = auth_server(id, 0, AUTH_REQ, AUTH_REQ);
    cc = auth_client(id, 0, NULL, NULL, 0);
    new_pair(cc, sc, STREAM, &c, &s);
    CHECK_RC(run_handshake(c, s, NULL), GAMECRYPT_RESULT_CLIENT_AUTH_REQUIRED);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);

    /* set_client_key: NULLs, a key type that cannot sign the protocol (P-384). */
    gamecrypt_client_config_builder *cb = client_builder(id, KEYS[0].classic);
    gamecrypt_signing_key *p384 = NULL;
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ECDSA_P384, &p384));
    CHECK_RC(gamecrypt_client_config_builder_set_client_key(NULL, ck), R_NULL);
    CHECK_RC(gamecrypt_client_config_builder_set_client_key(cb, NULL), R_NULL);
    CHECK_RC(gamecrypt_client_config_builder_set_client_key(cb, p384),
             GAMECRYPT_RESULT_WRONG_KEY_TYPE);
    gamecrypt_signing_key_free(p384);
    /* set_token: NULLs and lengths 0, 1025 (1024 is fine). */
    uint8_t *big = malloc(GAMECRYPT_CLIENT_TOKEN_MAX_LEN + 1);
    CHECK(big != NULL);
    if (big == NULL) {
        return;
    }
    for (size_t i = 0; i <= GAMECRYPT_CLIENT_TOKEN_MAX_LEN; i++) {
        big[i] = (uint8_t)(i * 7 + 3);
    }
    CHECK_RC(gamecrypt_client_config_builder_set_token(NULL, TOKEN, sizeof TOKEN), R_NULL);
    CHECK_RC(gamecrypt_client_config_builder_set_token(cb, NULL, 5), R_NULL);
    CHECK_RC(gamecrypt_client_config_builder_set_token(cb, NULL, 0), R_LENGTH);
    CHECK_RC(gamecrypt_client_config_builder_set_token(cb, TOKEN, 0), R_LENGTH);
    CHECK_RC(gamecrypt_client_config_builder_set_token(cb, big, GAMECRYPT_CLIENT_TOKEN_MAX_LEN + 1),
             R_LENGTH);
    /* The failed calls left the builder without key and token: a server that requires them
     * is refused. */
    cc = build_client(cb);
    sc = auth_server(id, 0, AUTH_OPT, AUTH_REQ);
    new_pair(cc, sc, DGRAM, &c, &s);
    CHECK_RC(run_handshake(c, s, NULL), GAMECRYPT_RESULT_CLIENT_TOKEN_REQUIRED);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);
    gamecrypt_client_config_free(cc);

    /* The largest token and a key, given from heap copies freed right after (the builder
     * copies/references them); the token arrives exactly. */
    cb = client_builder(id, KEYS[0].classic);
    gamecrypt_signing_key *tmp = load_signing_key(KEYS[1].pkcs8);
    CHECK_OK(gamecrypt_client_config_builder_set_client_key(cb, tmp));
    gamecrypt_signing_key_free(tmp);
    CHECK_OK(gamecrypt_client_config_builder_set_token(cb, big, GAMECRYPT_CLIENT_TOKEN_MAX_LEN));
    uint8_t *copy = malloc(GAMECRYPT_CLIENT_TOKEN_MAX_LEN);
    CHECK(copy != NULL);
    if (copy == NULL) {
        free(big);
        return;
    }
    memcpy(copy, big, GAMECRYPT_CLIENT_TOKEN_MAX_LEN);
    free(big);
    cc = build_client(cb);
    transcript t;
    new_pair(cc, sc, STREAM, &c, &s);
    CHECK_OK(run_handshake(c, s, &t));
    /* 21.3: the largest ClientFinished with a P-256 signature is 24 + 1028 + 136 = 1188. */
    CHECK(t.cf_len == 1188);
    CHECK(STATE(s) == NEED_ACCEPT);
    uint8_t *tok = malloc(GAMECRYPT_CLIENT_TOKEN_MAX_LEN);
    size_t tok_len = 0;
    CHECK(tok != NULL);
    if (tok != NULL) {
        CHECK_OK(gamecrypt_session_client_token(s, tok, GAMECRYPT_CLIENT_TOKEN_MAX_LEN, &tok_len));
        CHECK(tok_len == GAMECRYPT_CLIENT_TOKEN_MAX_LEN &&
              memcmp(tok, copy, GAMECRYPT_CLIENT_TOKEN_MAX_LEN) == 0);
        free(tok);
    }
    gamecrypt_public_key *key = NULL;
    CHECK_OK(gamecrypt_session_client_public_key(s, &key));
    CHECK(key != NULL && fingerprint_is(key, KEYS[1].fingerprint));
    gamecrypt_public_key_free(key);
    CHECK_OK(gamecrypt_session_accept(s));
    ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);
    gamecrypt_server_config_free(sc);
    free(copy);

    /* The same client against a server that asks nothing sends nothing: 24-byte Finished. */
    sc = auth_server(id, 0, AUTH_NONE, AUTH_NONE);
    new_pair(cc, sc, DGRAM, &c, &s);
    CHECK_OK(run_handshake(c, s, &t));
    CHECK(t.cf_len == 24 && STATE(s) == ESTABLISHED);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);
    gamecrypt_server_config_free(sc);
    gamecrypt_client_config_free(cc);
    gamecrypt_signing_key_free(ck);
    gamecrypt_signing_key_free(id);
}

/* ------------------------------------------------------------------------------------------ */
/* Retry cookies (section 22) */

#define RETRY_MSG_LEN GAMECRYPT_RETRY_LEN
#define T0 1000005u /* in slot 100000 of 10 s */

static const uint8_t ADDR_A[] = {192, 0, 2, 1, 0x1f, 0x90};
static const uint8_t ADDR_B[] = {192, 0, 2, 2, 0x1f, 0x90};

/* Length of a ClientHello's core (everything before ext_len, section 22.1). */
static size_t core_len(const uint8_t *ch, size_t ch_len) {
    size_t off = 36;
    for (unsigned i = 0; i < ch[35] && off + 4 <= ch_len; i++) {
        off += 4 + be16(ch + off + 2);
    }
    return off;
}

/* The Retry of the reference implementation for this ClientHello (22.1, 22.2), computed from
 * the document with the library's SHA-256 and HMAC. */
static void expected_retry(const uint8_t secret[32], uint64_t slot, const uint8_t *addr,
                           size_t addr_len, const uint8_t *ch, size_t ch_len,
                           uint8_t out[RETRY_MSG_LEN]) {
    uint8_t hash[32], msg[26 + 8 + 2 + 128 + 32];
    size_t n = 0, len = 0;
    CHECK_OK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, ch, core_len(ch, ch_len), hash,
                                   sizeof hash, &len));
    memcpy(msg, "gamecrypt retry cookie v1", 25);
    msg[25] = 0;
    n = 26;
    for (int i = 7; i >= 0; i--) {
        msg[n++] = (uint8_t)(slot >> (8 * i));
    }
    msg[n++] = (uint8_t)(addr_len >> 8);
    msg[n++] = (uint8_t)addr_len;
    memcpy(msg + n, addr, addr_len);
    n += addr_len;
    memcpy(msg + n, hash, 32);
    n += 32;
    out[0] = 0x04;
    out[1] = 0x00;
    out[2] = 0x01;
    memcpy(out + 3, hash, 32);
    out[35] = 40;
    for (int i = 0; i < 8; i++) {
        out[36 + i] = (uint8_t)(slot >> (8 * (7 - i)));
    }
    CHECK_OK(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, secret, 32, msg, n, out + 44, 32, &len));
    CHECK(len == 32);
}

/* check_client_hello with a canary-filled buffer: returns the action, checks out_len and that
 * nothing is written beyond the Retry (or at all for ACCEPT and DROP). */
static gamecrypt_retry_action check_hello(const gamecrypt_server_config *sc, const uint8_t *addr,
                                          size_t addr_len, const uint8_t *dgram, size_t len,
                                          uint8_t *retry_out) {
    uint8_t buf[RETRY_MSG_LEN + 16];
    size_t out_len = 999;
    gamecrypt_retry_action action = 999;
    memset(buf, CANARY, sizeof buf);
    CHECK_OK(gamecrypt_server_config_check_client_hello(sc, addr, addr_len, dgram, len, buf,
                                                        sizeof buf, &out_len, &action));
    if (action == ACT_RETRY) {
        CHECK(out_len == RETRY_MSG_LEN && out_len < len && buf[0] == GAMECRYPT_SESSION_MESSAGE_RETRY);
        CHECK(all_bytes_are(buf + RETRY_MSG_LEN, sizeof buf - RETRY_MSG_LEN, CANARY));
        if (retry_out != NULL) {
            memcpy(retry_out, buf, RETRY_MSG_LEN);
        }
    } else {
        CHECK(action == ACT_ACCEPT || action == ACT_DROP);
        CHECK(out_len == 0 && all_bytes_are(buf, sizeof buf, CANARY));
    }
    return action;
}

/* A retry-enabled server configuration (period 10 s, the test clock, optional secret). */
static gamecrypt_server_config *retry_server(const gamecrypt_signing_key *id, gamecrypt_suite suite,
                                             test_clock *clk, const uint8_t *secret) {
    gamecrypt_server_config_builder *b = server_builder(id, suite);
    CHECK_OK(gamecrypt_server_config_builder_set_retry(b, GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS));
    CHECK_OK(gamecrypt_server_config_builder_set_clock(b, clock_cb, clk));
    if (secret != NULL) {
        CHECK_OK(gamecrypt_server_config_builder_set_retry_secret(b, secret, 32));
    }
    return build_server(b);
}

/* A new datagram client: its first ClientHello gets a Retry from `sc` for `addr`, it follows
 * it and writes CH2 into ch2. Returns the client. */
static gamecrypt_session *client_after_retry(const gamecrypt_client_config *cc,
                                             const gamecrypt_server_config *sc,
                                             const uint8_t *addr, size_t addr_len, uint8_t *ch2,
                                             size_t *ch2_len) {
    gamecrypt_session *c = NULL;
    uint8_t ch1[HS_MAX], retry[RETRY_MSG_LEN];
    size_t ch1_len = 0;
    CHECK_OK(gamecrypt_session_new_client(cc, DGRAM, &c));
    CHECK_OK(gamecrypt_session_write_handshake(c, ch1, sizeof ch1, &ch1_len));
    CHECK(check_hello(sc, addr, addr_len, ch1, ch1_len, retry) == ACT_RETRY);
    CHECK_OK(gamecrypt_session_read_handshake(c, retry, RETRY_MSG_LEN));
    CHECK(STATE(c) == NEED_WRITE);
    CHECK_OK(gamecrypt_session_write_handshake(c, ch2, HS_MAX, ch2_len));
    return c;
}

/* The rest of the handshake for a server session created for the client's address. */
static void finish_after_retry(const gamecrypt_session *c, const gamecrypt_server_config *sc,
                               const uint8_t *addr, size_t addr_len, const uint8_t *ch2,
                               size_t ch2_len) {
    gamecrypt_session *s = NULL;
    uint8_t sh[HS_MAX], cf[HS_MAX];
    size_t sh_len = 0, cf_len = 0;
    CHECK_OK(gamecrypt_session_new_server_for_address(sc, DGRAM, addr, addr_len, &s));
    CHECK_OK(gamecrypt_session_read_handshake(s, ch2, ch2_len));
    CHECK_OK(gamecrypt_session_write_handshake(s, sh, sizeof sh, &sh_len));
    CHECK(sh_len < ch2_len);
    CHECK_OK(gamecrypt_session_read_handshake(c, sh, sh_len));
    CHECK_OK(gamecrypt_session_write_handshake(c, cf, sizeof cf, &cf_len));
    CHECK_OK(gamecrypt_session_read_handshake(s, cf, cf_len));
    CHECK(STATE(c) == ESTABLISHED && STATE(s) == ESTABLISHED);
    ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA);
    gamecrypt_session_free(s);
}

static gamecrypt_result read_new_server(const gamecrypt_server_config *sc, const uint8_t *addr,
                                        size_t addr_len, const uint8_t *msg, size_t len) {
    gamecrypt_session *s = NULL;
    if (addr == NULL) {
        CHECK_OK(gamecrypt_session_new_server(sc, DGRAM, &s));
    } else {
        CHECK_OK(gamecrypt_session_new_server_for_address(sc, DGRAM, addr, addr_len, &s));
    }
    gamecrypt_result rc = gamecrypt_session_read_handshake(s, msg, len);
    CHECK(STATE(s) == (rc == R_OK ? NEED_WRITE : FAILED));
    gamecrypt_session_free(s);
    return rc;
}

static void test_retry(void) {
    static const uint8_t SECRET[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                       12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                       23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    for (int k = 0; k < 2; k++) {
        /* Key 0 with the default (hybrid) suites, key 1 with its classic suite. */
        test_clock clk = {T0, 0};
        gamecrypt_suite suite = k == 0 ? 0 : KEYS[k].classic;
        size_t min_ch = k == 0 ? 2048 : 1200;
        gamecrypt_signing_key *id = load_signing_key(KEYS[k].pkcs8);
        gamecrypt_server_config *sc = retry_server(id, suite, &clk, k == 1 ? SECRET : NULL);
        gamecrypt_client_config *cc = build_client(client_builder(id, suite));
        gamecrypt_session *c = NULL, *s = NULL;
        CHECK_OK(gamecrypt_session_new_client(cc, DGRAM, &c));
        uint8_t ch1[HS_MAX], ch2[HS_MAX], sh[HS_MAX], cf[HS_MAX];
        uint8_t retry[RETRY_MSG_LEN + 8], retry2[RETRY_MSG_LEN], retry_b[RETRY_MSG_LEN];
        size_t ch1_len = 0, ch2_len = 0, sh_len = 0, cf_len = 0, len = 0;
        gamecrypt_retry_action action = 999;
        CHECK_OK(gamecrypt_session_write_handshake(c, ch1, sizeof ch1, &ch1_len));
        CHECK(ch1_len >= min_ch);

        /* Size query and a short buffer: the needed length, nothing written. */
        memset(retry, CANARY, sizeof retry);
        CHECK_RC(gamecrypt_server_config_check_client_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len,
                                                            NULL, 0, &len, &action),
                 R_SMALL);
        CHECK(len == RETRY_MSG_LEN && action == 999);
        len = 0;
        CHECK_RC(gamecrypt_server_config_check_client_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len,
                                                            retry, RETRY_MSG_LEN - 1, &len, &action),
                 R_SMALL);
        CHECK(len == RETRY_MSG_LEN && action == 999 && all_bytes_are(retry, sizeof retry, CANARY));
        CHECK_OK(gamecrypt_server_config_check_client_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len,
                                                            retry, RETRY_MSG_LEN, &len, &action));
        CHECK(action == ACT_RETRY && len == RETRY_MSG_LEN && len < ch1_len);
        CHECK(all_bytes_are(retry + RETRY_MSG_LEN, 8, CANARY));
        /* Layout of 22.1/22.2: 04 0001 hash[32] 40 u64(slot) tag[32]. */
        CHECK(retry[0] == 0x04 && be16(retry + 1) == 1 && retry[35] == 40);
        CHECK(be64(retry + 36) == T0 / 10);
        if (k == 1) {
            uint8_t expected[RETRY_MSG_LEN];
            expected_retry(SECRET, T0 / 10, ADDR_A, sizeof ADDR_A, ch1, ch1_len, expected);
            CHECK(memcmp(retry, expected, RETRY_MSG_LEN) == 0);
        }
        /* Stateless and deterministic; another address gets another tag, same hash. */
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len, retry2) == ACT_RETRY);
        CHECK(memcmp(retry, retry2, RETRY_MSG_LEN) == 0);
        CHECK(check_hello(sc, ADDR_B, sizeof ADDR_B, ch1, ch1_len, retry_b) == ACT_RETRY);
        CHECK(memcmp(retry, retry_b, 44) == 0 && memcmp(retry + 44, retry_b + 44, 32) != 0);
        /* Without a cookie, no server session answers. */
        CHECK_RC(read_new_server(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len),
                 GAMECRYPT_RESULT_RETRY_COOKIE_INVALID);

        /* The client follows the Retry with CH2 = same core || cookie extension || zeros. */
        CHECK(gamecrypt_session_is_handshake_message(retry, RETRY_MSG_LEN));
        CHECK_OK(gamecrypt_session_read_handshake(c, retry, RETRY_MSG_LEN));
        CHECK(STATE(c) == NEED_WRITE);
        CHECK_OK(gamecrypt_session_write_handshake(c, ch2, sizeof ch2, &ch2_len));
        CHECK(STATE(c) == NEED_READ);
        size_t core = core_len(ch1, ch1_len);
        CHECK(be16(ch1 + core) == 0);
        CHECK(ch2_len >= min_ch && memcmp(ch1, ch2, core) == 0);
        CHECK(be16(ch2 + core) == 4 + 40 && be16(ch2 + core + 2) == 0x0101);
        CHECK(be16(ch2 + core + 4) == 40 && memcmp(ch2 + core + 6, retry + 36, 40) == 0);
        CHECK(all_bytes_are(ch2 + core + 46, ch2_len - core - 46, 0));
        /* At most one Retry per session. */
        CHECK_RC(gamecrypt_session_read_handshake(c, retry2, RETRY_MSG_LEN), R_STATE);
        CHECK(STATE(c) == NEED_READ);

        /* The stateless check: ACCEPT only the echoed CH2 from the same address. */
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_ACCEPT);
        CHECK(check_hello(sc, ADDR_B, sizeof ADDR_B, ch2, ch2_len, NULL) == ACT_DROP);
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A - 1, ch2, ch2_len, NULL) == ACT_DROP);
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len, NULL) == ACT_RETRY);
        uint8_t bad[HS_MAX];
        memcpy(bad, ch2, ch2_len);
        bad[core + 6 + 20] ^= 1; /* a tag byte of the cookie */
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, bad, ch2_len, NULL) == ACT_DROP);
        /* Server sessions check the same (22.5). */
        CHECK_RC(read_new_server(sc, ADDR_B, sizeof ADDR_B, ch2, ch2_len),
                 GAMECRYPT_RESULT_RETRY_COOKIE_INVALID);
        CHECK_RC(read_new_server(sc, NULL, 0, ch2, ch2_len), GAMECRYPT_RESULT_RETRY_COOKIE_INVALID);
        CHECK_RC(read_new_server(sc, ADDR_A, sizeof ADDR_A, bad, ch2_len),
                 GAMECRYPT_RESULT_RETRY_COOKIE_INVALID);

        /* The session for address A completes the handshake. */
        CHECK_OK(gamecrypt_session_new_server_for_address(sc, DGRAM, ADDR_A, sizeof ADDR_A, &s));
        CHECK(STATE(s) == NEED_READ);
        CHECK_OK(gamecrypt_session_read_handshake(s, ch2, ch2_len));
        CHECK_OK(gamecrypt_session_write_handshake(s, sh, sizeof sh, &sh_len));
        CHECK(sh_len < ch2_len);
        /* Late copies: the first ClientHello is ignored, CH2 is a replay (22.5, 13). */
        CHECK_RC(gamecrypt_session_read_handshake(s, ch1, ch1_len), R_STATE);
        CHECK_RC(gamecrypt_session_read_handshake(s, ch2, ch2_len),
                 GAMECRYPT_RESULT_PACKET_REPLAYED);
        CHECK(STATE(s) == NEED_READ);
        CHECK_OK(gamecrypt_session_read_handshake(c, sh, sh_len));
        CHECK_OK(gamecrypt_session_write_handshake(c, cf, sizeof cf, &cf_len));
        CHECK_OK(gamecrypt_session_read_handshake(s, cf, cf_len));
        CHECK(STATE(c) == ESTABLISHED && STATE(s) == ESTABLISHED);
        gamecrypt_suite cs = 0;
        CHECK_OK(gamecrypt_session_suite(c, &cs));
        CHECK(cs == (k == 0 ? KEYS[k].hybrid : KEYS[k].classic));
        ping_pong(c, s, GAMECRYPT_PACKET_TYPE_DATA);
        gamecrypt_session_free(s);
        gamecrypt_session_free(c);

        /* Time (the server clock): a cookie is valid in its slot and the next one. */
        unsigned calls = clk.calls;
        clk.now = T0 + 14; /* slot + 1 */
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_ACCEPT);
        CHECK(clk.calls > calls);
        clk.now = T0 + 15; /* slot + 2: expired */
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_DROP);
        CHECK_RC(read_new_server(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len),
                 GAMECRYPT_RESULT_RETRY_COOKIE_INVALID);
        clk.now = T0 - 6; /* slot - 1: the cookie is from the future */
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_DROP);
        clk.now = T0;
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_ACCEPT);

        /* Rotation: the previous secret still counts, the one before does not. */
        CHECK_OK(gamecrypt_server_config_rotate_retry_secret(sc));
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_ACCEPT);
        CHECK(read_new_server(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len) == R_OK);
        /* A new Retry for the same ClientHello uses the new secret. */
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len, retry2) == ACT_RETRY);
        CHECK(memcmp(retry2, retry, 44) == 0 && memcmp(retry2 + 44, retry + 44, 32) != 0);
        CHECK_OK(gamecrypt_server_config_rotate_retry_secret(sc));
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_DROP);
        CHECK_RC(read_new_server(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len),
                 GAMECRYPT_RESULT_RETRY_COOKIE_INVALID);
        /* A new client gets through after the rotations. */
        c = client_after_retry(cc, sc, ADDR_B, sizeof ADDR_B, ch2, &ch2_len);
        finish_after_retry(c, sc, ADDR_B, sizeof ADDR_B, ch2, ch2_len);
        gamecrypt_session_free(c);
        gamecrypt_client_config_free(cc);
        gamecrypt_server_config_free(sc);
        gamecrypt_signing_key_free(id);
    }
}

/* A client checks the Retry it receives (22.3). */
static void test_retry_client_checks(void) {
    test_clock clk = {T0, 0};
    gamecrypt_signing_key *id = load_signing_key(KEYS[0].pkcs8);
    gamecrypt_server_config *sc = retry_server(id, KEYS[0].classic, &clk, NULL);
    gamecrypt_client_config *cc = build_client(client_builder(id, KEYS[0].classic));
    for (int i = 0; i < 4; i++) {
        gamecrypt_session *c = NULL;
        uint8_t ch1[HS_MAX], retry[RETRY_MSG_LEN];
        size_t ch1_len = 0, len = RETRY_MSG_LEN;
        /* Stream mode: a bad Retry is fatal (datagram mode drops it, section 12.1). */
        CHECK_OK(gamecrypt_session_new_client(cc, STREAM, &c));
        CHECK_OK(gamecrypt_session_write_handshake(c, ch1, sizeof ch1, &ch1_len));
        CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len, retry) == ACT_RETRY);
        gamecrypt_result expected = GAMECRYPT_RESULT_HANDSHAKE_MALFORMED;
        switch (i) {
        case 0: /* the hash of another ClientHello */
            retry[10] ^= 1;
            break;
        case 1: /* another version */
            retry[2] = 2;
            expected = GAMECRYPT_RESULT_UNSUPPORTED_VERSION;
            break;
        case 2: /* truncated */
            len = RETRY_MSG_LEN - 1;
            break;
        default: /* cookie_len 0 */
            retry[35] = 0;
            len = 36;
            break;
        }
        CHECK_RC(gamecrypt_session_read_handshake(c, retry, len), expected);
        CHECK(STATE(c) == FAILED);
        gamecrypt_session_free(c);
    }
    /* A Retry before the ClientHello was written: WRONG_STATE, nothing changes. */
    gamecrypt_session *c = NULL, *other = NULL;
    uint8_t ch1[HS_MAX], retry[RETRY_MSG_LEN];
    size_t ch1_len = 0;
    CHECK_OK(gamecrypt_session_new_client(cc, DGRAM, &other));
    CHECK_OK(gamecrypt_session_write_handshake(other, ch1, sizeof ch1, &ch1_len));
    CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len, retry) == ACT_RETRY);
    CHECK_OK(gamecrypt_session_new_client(cc, DGRAM, &c));
    CHECK_RC(gamecrypt_session_read_handshake(c, retry, RETRY_MSG_LEN), R_STATE);
    CHECK(STATE(c) == NEED_WRITE);
    /* The Retry of another client's ClientHello is malformed for this one: dropped in
     * datagram mode (section 12.1), nothing changes. */
    CHECK_OK(gamecrypt_session_write_handshake(c, ch1, sizeof ch1, &ch1_len));
    CHECK_RC(gamecrypt_session_read_handshake(c, retry, RETRY_MSG_LEN),
             GAMECRYPT_RESULT_HANDSHAKE_MESSAGE_DROPPED);
    CHECK(STATE(c) == NEED_READ);
    gamecrypt_session_free(c);
    gamecrypt_session_free(other);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_signing_key_free(id);
}

/* Secrets shared between configurations: set at build time or rotated to a given value. */
static void test_retry_shared_secret(void) {
    uint8_t s1[32], s2[32];
    for (int i = 0; i < 32; i++) {
        s1[i] = (uint8_t)(0x11 * (i % 15 + 1));
        s2[i] = (uint8_t)(0xA0 ^ i);
    }
    test_clock clk = {T0, 0};
    gamecrypt_signing_key *id = load_signing_key(KEYS[1].pkcs8);
    gamecrypt_suite suite = KEYS[1].classic;
    gamecrypt_server_config *cfg1 = retry_server(id, suite, &clk, s1);
    gamecrypt_server_config *cfg2 = retry_server(id, suite, &clk, s1);
    gamecrypt_server_config *cfg3 = retry_server(id, suite, &clk, NULL);
    gamecrypt_client_config *cc = build_client(client_builder(id, suite));
    uint8_t ch2[HS_MAX], ch2b[HS_MAX];
    size_t ch2_len = 0, ch2b_len = 0;

    /* Same secret from the start: a cookie of cfg1 is good at cfg2, not at cfg3. */
    gamecrypt_session *c = client_after_retry(cc, cfg1, ADDR_A, sizeof ADDR_A, ch2, &ch2_len);
    CHECK(check_hello(cfg2, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_ACCEPT);
    CHECK(check_hello(cfg3, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_DROP);
    finish_after_retry(c, cfg2, ADDR_A, sizeof ADDR_A, ch2, ch2_len);
    gamecrypt_session_free(c);

    /* cfg1 and cfg3 rotate to the same given secret s2. */
    CHECK_OK(gamecrypt_server_config_rotate_retry_secret_to(cfg1, s2, sizeof s2));
    CHECK_OK(gamecrypt_server_config_rotate_retry_secret_to(cfg3, s2, sizeof s2));
    /* The old s1 cookie: still good at cfg1 (previous secret), never at cfg3. */
    CHECK(check_hello(cfg1, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_ACCEPT);
    CHECK(check_hello(cfg3, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_DROP);
    c = client_after_retry(cc, cfg1, ADDR_B, sizeof ADDR_B, ch2b, &ch2b_len);
    CHECK(check_hello(cfg3, ADDR_B, sizeof ADDR_B, ch2b, ch2b_len, NULL) == ACT_ACCEPT);
    CHECK(check_hello(cfg2, ADDR_B, sizeof ADDR_B, ch2b, ch2b_len, NULL) == ACT_DROP);
    /* The cookie is that of section 22.2 under s2. */
    size_t core = core_len(ch2b, ch2b_len);
    uint8_t expected[RETRY_MSG_LEN];
    expected_retry(s2, T0 / 10, ADDR_B, sizeof ADDR_B, ch2b, ch2b_len, expected);
    CHECK(memcmp(ch2b + core + 6, expected + 36, 40) == 0);
    finish_after_retry(c, cfg3, ADDR_B, sizeof ADDR_B, ch2b, ch2b_len);
    gamecrypt_session_free(c);
    /* cfg2 catches up. */
    CHECK_OK(gamecrypt_server_config_rotate_retry_secret_to(cfg2, s2, sizeof s2));
    CHECK(check_hello(cfg2, ADDR_B, sizeof ADDR_B, ch2b, ch2b_len, NULL) == ACT_ACCEPT);

    /* Configurations built from one builder share its random secret until one rotates. */
    gamecrypt_server_config_builder *b = server_builder(id, suite);
    CHECK_OK(gamecrypt_server_config_builder_set_retry(b, 10));
    CHECK_OK(gamecrypt_server_config_builder_set_clock(b, clock_cb, &clk));
    gamecrypt_server_config *x1 = NULL, *x2 = NULL;
    CHECK_OK(gamecrypt_server_config_builder_build(b, &x1));
    CHECK_OK(gamecrypt_server_config_builder_build(b, &x2));
    gamecrypt_server_config_builder_free(b);
    c = client_after_retry(cc, x1, ADDR_A, sizeof ADDR_A, ch2, &ch2_len);
    CHECK(check_hello(x2, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_ACCEPT);
    CHECK(check_hello(cfg1, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_DROP);
    gamecrypt_session_free(c);
    CHECK_OK(gamecrypt_server_config_rotate_retry_secret(x1));
    c = client_after_retry(cc, x1, ADDR_A, sizeof ADDR_A, ch2b, &ch2b_len);
    CHECK(check_hello(x2, ADDR_A, sizeof ADDR_A, ch2b, ch2b_len, NULL) == ACT_DROP);
    CHECK(check_hello(x1, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_ACCEPT);
    finish_after_retry(c, x1, ADDR_A, sizeof ADDR_A, ch2b, ch2b_len);
    gamecrypt_session_free(c);

    gamecrypt_server_config_free(x1);
    gamecrypt_server_config_free(x2);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(cfg1);
    gamecrypt_server_config_free(cfg2);
    gamecrypt_server_config_free(cfg3);
    gamecrypt_signing_key_free(id);
}

static void test_retry_errors(void) {
    static const uint8_t S[33] = {0};
    test_clock clk = {T0, 0};
    gamecrypt_signing_key *id = load_signing_key(KEYS[0].pkcs8);
    gamecrypt_suite suite = KEYS[0].classic;

    /* Builder calls. */
    gamecrypt_server_config_builder *b = server_builder(id, suite);
    CHECK_RC(gamecrypt_server_config_builder_set_retry(NULL, 10), R_NULL);
    CHECK_RC(gamecrypt_server_config_builder_set_retry_rotation(b, 20), R_INVALID); /* off */
    CHECK_RC(gamecrypt_server_config_builder_set_retry_secret(b, S, 32), R_INVALID);  /* off */
    CHECK_RC(gamecrypt_server_config_builder_set_retry(b, 3601), R_INVALID);
    CHECK_RC(gamecrypt_server_config_builder_set_retry(b, UINT64_MAX), R_INVALID);
    CHECK_OK(gamecrypt_server_config_builder_set_retry(b, 3600));
    CHECK_OK(gamecrypt_server_config_builder_set_retry(b, 10));
    CHECK_RC(gamecrypt_server_config_builder_set_retry_rotation(NULL, 20), R_NULL);
    CHECK_RC(gamecrypt_server_config_builder_set_retry_rotation(b, 19), R_INVALID);
    CHECK_RC(gamecrypt_server_config_builder_set_retry_rotation(b, 1), R_INVALID);
    CHECK_OK(gamecrypt_server_config_builder_set_retry_rotation(b, 0));
    CHECK_OK(gamecrypt_server_config_builder_set_retry_rotation(b, 20));
    /* A period above half the rotation interval is refused; the builder keeps 10. */
    CHECK_RC(gamecrypt_server_config_builder_set_retry(b, 11), R_INVALID);
    CHECK_RC(gamecrypt_server_config_builder_set_retry_secret(NULL, S, 32), R_NULL);
    CHECK_RC(gamecrypt_server_config_builder_set_retry_secret(b, NULL, 32), R_NULL);
    CHECK_RC(gamecrypt_server_config_builder_set_retry_secret(b, NULL, 0), R_LENGTH);
    CHECK_RC(gamecrypt_server_config_builder_set_retry_secret(b, S, 31), R_LENGTH);
    CHECK_RC(gamecrypt_server_config_builder_set_retry_secret(b, S, 33), R_LENGTH);
    CHECK_RC(gamecrypt_server_config_builder_set_clock(NULL, clock_cb, &clk), R_NULL);
    CHECK_OK(gamecrypt_server_config_builder_set_clock(b, NULL, NULL)); /* system clock */
    CHECK_OK(gamecrypt_server_config_builder_set_clock(b, clock_cb, &clk));
    gamecrypt_server_config *sc = build_server(b);

    gamecrypt_client_config *cc = build_client(client_builder(id, suite));
    gamecrypt_session *c = NULL;
    uint8_t ch1[HS_MAX];
    size_t ch1_len = 0;
    CHECK_OK(gamecrypt_session_new_client(cc, DGRAM, &c));
    CHECK_OK(gamecrypt_session_write_handshake(c, ch1, sizeof ch1, &ch1_len));
    gamecrypt_session_free(c);
    /* With rotation on and the period kept at 10: a cookie lives into the next slot. */
    uint8_t ch2[HS_MAX];
    size_t ch2_len = 0;
    c = client_after_retry(cc, sc, ADDR_A, sizeof ADDR_A, ch2, &ch2_len);
    clk.now = T0 + 14;
    CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len, NULL) == ACT_ACCEPT);
    finish_after_retry(c, sc, ADDR_A, sizeof ADDR_A, ch2, ch2_len);
    gamecrypt_session_free(c);
    clk.now = T0;

    /* check_client_hello: NULLs, address lengths, overlap; nothing written on error. */
    uint8_t addr_max[GAMECRYPT_CLIENT_ADDRESS_MAX_LEN + 1], out[RETRY_MSG_LEN + 8];
    memset(addr_max, 0x5c, sizeof addr_max);
    memset(out, CANARY, sizeof out);
    size_t len = 777;
    gamecrypt_retry_action action = 999;
    CHECK_RC(gamecrypt_server_config_check_client_hello(NULL, ADDR_A, sizeof ADDR_A, ch1, ch1_len,
                                                        out, sizeof out, &len, &action),
             R_NULL);
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, NULL, 6, ch1, ch1_len, out,
                                                        sizeof out, &len, &action),
             R_NULL);
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, ADDR_A, sizeof ADDR_A, NULL, ch1_len,
                                                        out, sizeof out, &len, &action),
             R_NULL);
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len,
                                                        NULL, sizeof out, &len, &action),
             R_NULL);
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len,
                                                        out, sizeof out, NULL, &action),
             R_NULL);
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len,
                                                        out, sizeof out, &len, NULL),
             R_NULL);
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, ADDR_A, 0, ch1, ch1_len, out,
                                                        sizeof out, &len, &action),
             R_LENGTH);
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, NULL, 0, ch1, ch1_len, out,
                                                        sizeof out, &len, &action),
             R_LENGTH);
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, addr_max, sizeof addr_max, ch1,
                                                        ch1_len, out, sizeof out, &len, &action),
             R_LENGTH);
    /* The output may not overlap the datagram or the address. */
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, ADDR_A, sizeof ADDR_A, ch1, ch1_len,
                                                        ch1 + 100, RETRY_MSG_LEN, &len, &action),
             R_INVALID);
    CHECK_RC(gamecrypt_server_config_check_client_hello(sc, addr_max, 16, ch1, ch1_len,
                                                        addr_max + 8, RETRY_MSG_LEN, &len, &action),
             R_INVALID);
    CHECK(len == 777 && action == 999 && all_bytes_are(out, sizeof out, CANARY));
    CHECK(all_bytes_are(addr_max, sizeof addr_max, 0x5c));
    /* The longest address works. */
    CHECK(check_hello(sc, addr_max, GAMECRYPT_CLIENT_ADDRESS_MAX_LEN, ch1, ch1_len, NULL) ==
          ACT_RETRY);

    /* What is not a well-formed ClientHello is dropped (22.4 step 1). */
    uint8_t junk[HS_MAX];
    CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, NULL, 0, NULL) == ACT_DROP);
    CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch1, 3, NULL) == ACT_DROP);
    CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, ch1, 1199, NULL) == ACT_DROP);
    memset(junk, 0x40, 1300);
    CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, junk, 1300, NULL) == ACT_DROP);
    memcpy(junk, ch1, ch1_len);
    junk[0] = GAMECRYPT_SESSION_MESSAGE_SERVER_HELLO;
    CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, junk, ch1_len, NULL) == ACT_DROP);
    memcpy(junk, ch1, ch1_len);
    junk[ch1_len - 1] = 1; /* non-zero padding */
    CHECK(check_hello(sc, ADDR_A, sizeof ADDR_A, junk, ch1_len, NULL) == ACT_DROP);

    /* Rotation calls. */
    CHECK_RC(gamecrypt_server_config_rotate_retry_secret(NULL), R_NULL);
    CHECK_RC(gamecrypt_server_config_rotate_retry_secret_to(NULL, S, 32), R_NULL);
    CHECK_RC(gamecrypt_server_config_rotate_retry_secret_to(sc, NULL, 32), R_NULL);
    CHECK_RC(gamecrypt_server_config_rotate_retry_secret_to(sc, NULL, 0), R_LENGTH);
    CHECK_RC(gamecrypt_server_config_rotate_retry_secret_to(sc, S, 31), R_LENGTH);
    CHECK_RC(gamecrypt_server_config_rotate_retry_secret_to(sc, S, 33), R_LENGTH);

    /* new_server_for_address: NULLs, unknown modes, address lengths; out stays unwritten. */
    gamecrypt_session *s = SENTINEL(gamecrypt_session);
    CHECK_RC(gamecrypt_session_new_server_for_address(NULL, DGRAM, ADDR_A, 6, &s), R_NULL);
    CHECK_RC(gamecrypt_session_new_server_for_address(sc, DGRAM, ADDR_A, 6, NULL), R_NULL);
    CHECK_RC(gamecrypt_session_new_server_for_address(sc, DGRAM, NULL, 6, &s), R_NULL);
    CHECK_RC(gamecrypt_session_new_server_for_address(sc, 0, ADDR_A, 6, &s), R_INVALID);
    CHECK_RC(gamecrypt_session_new_server_for_address(sc, 3, ADDR_A, 6, &s), R_INVALID);
    CHECK_RC(gamecrypt_session_new_server_for_address(sc, 0xFFFFFFFFu, ADDR_A, 6, &s), R_INVALID);
    CHECK_RC(gamecrypt_session_new_server_for_address(sc, DGRAM, ADDR_A, 0, &s), R_LENGTH);
    CHECK_RC(gamecrypt_session_new_server_for_address(sc, DGRAM, NULL, 0, &s), R_LENGTH);
    CHECK_RC(gamecrypt_session_new_server_for_address(sc, STREAM, addr_max, sizeof addr_max, &s),
             R_LENGTH);
    CHECK(s == SENTINEL(gamecrypt_session));
    CHECK_OK(gamecrypt_session_new_server_for_address(sc, STREAM, addr_max,
                                                      GAMECRYPT_CLIENT_ADDRESS_MAX_LEN, &s));
    CHECK(s != SENTINEL(gamecrypt_session) && STATE(s) == NEED_READ);
    gamecrypt_session_free(s);

    /* Without retry: every well-formed ClientHello is ACCEPT, no rotation, and a session
     * for an address is an ordinary server session. set_retry(0) turns retry off again. */
    gamecrypt_server_config_builder *nb = server_builder(id, suite);
    CHECK_OK(gamecrypt_server_config_builder_set_retry(nb, 10));
    CHECK_OK(gamecrypt_server_config_builder_set_retry(nb, 0));
    CHECK_RC(gamecrypt_server_config_builder_set_retry_secret(nb, S, 32), R_INVALID);
    gamecrypt_server_config *nr = build_server(nb);
    CHECK(check_hello(nr, ADDR_A, sizeof ADDR_A, ch1, ch1_len, NULL) == ACT_ACCEPT);
    CHECK(check_hello(nr, ADDR_A, sizeof ADDR_A, ch1, 1199, NULL) == ACT_DROP);
    CHECK_RC(gamecrypt_server_config_check_client_hello(nr, ADDR_A, 0, ch1, ch1_len, out,
                                                        sizeof out, &len, &action),
             R_LENGTH);
    CHECK_RC(gamecrypt_server_config_rotate_retry_secret(nr), R_INVALID);
    CHECK_RC(gamecrypt_server_config_rotate_retry_secret_to(nr, S, 32), R_INVALID);
    for (int m = 0; m < 2; m++) {
        gamecrypt_session *sv = NULL;
        transcript t;
        CHECK_OK(gamecrypt_session_new_client(cc, m == 0 ? DGRAM : STREAM, &c));
        CHECK_OK(gamecrypt_session_new_server_for_address(nr, m == 0 ? DGRAM : STREAM, ADDR_B,
                                                          sizeof ADDR_B, &sv));
        CHECK_OK(run_handshake(c, sv, &t));
        CHECK(STATE(sv) == ESTABLISHED);
        ping_pong(c, sv, GAMECRYPT_PACKET_TYPE_DATA);
        gamecrypt_session_free(c);
        gamecrypt_session_free(sv);
    }
    gamecrypt_server_config_free(nr);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_signing_key_free(id);
}

int main(void) {
    test_constants();
    test_key_update();
    test_key_update_errors();
    test_hybrid_suites();
    test_client_auth_matrix();
    test_need_accept();
    test_client_auth_config_errors();
    test_retry();
    test_retry_client_checks();
    test_retry_shared_secret();
    test_retry_errors();
    return check_report("c session hardening");
}
