/* Issue 7 security findings through the C ABI: weak Ed25519 keys at every entry point,
 * the sign-context refusal, root trust that requires the server name (and the dangerous
 * opt-out), datagram handshake drops, low-S ECDSA, and releasing the client's credentials. */
#include "check.h"

#define R_OK GAMECRYPT_RESULT_OK
#define R_WEAK GAMECRYPT_RESULT_PUBLIC_KEY_WEAK
#define R_STATE GAMECRYPT_RESULT_WRONG_STATE
#define R_NULL GAMECRYPT_RESULT_NULL_ARGUMENT
#define R_DROPPED GAMECRYPT_RESULT_HANDSHAKE_MESSAGE_DROPPED
#define HS_MAX GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN

/* The 8 small-order Ed25519 encodings, then non-canonical ones (y >= p, negative zero). */
static const char *const WEAK[] = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "0100000000000000000000000000000000000000000000000000000000000080",
};
#define N_WEAK (sizeof WEAK / sizeof WEAK[0])

static const uint8_t ED25519_SPKI_PREFIX[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

static void base64(const uint8_t *in, size_t n, char *out) {
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        out[o++] = t[(v >> 18) & 63];
        out[o++] = t[(v >> 12) & 63];
        out[o++] = i + 1 < n ? t[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? t[v & 63] : '=';
    }
    out[o] = 0;
}

static void test_weak_keys(void) {
    gamecrypt_signing_key *root = NULL, *server = NULL;
    gamecrypt_public_key *server_pub = NULL;
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &root));
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &server));
    CHECK_OK(gamecrypt_signing_key_public_key(server, &server_pub));
    uint8_t cert[GAMECRYPT_CERTIFICATE_MAX_LEN];
    size_t cert_len = 0;
    CHECK_OK(gamecrypt_certificate_issue(root, server_pub, "srv", 0, 100, cert, sizeof cert,
                                         &cert_len));
    for (size_t i = 0; i < N_WEAK; i++) {
        uint8_t raw[32];
        CHECK(hex_decode(WEAK[i], raw, sizeof raw) == 32);
        gamecrypt_public_key *k = SENTINEL(gamecrypt_public_key);
        CHECK_RC(gamecrypt_public_key_from_raw(GAMECRYPT_KEY_TYPE_ED25519, raw, 32, &k), R_WEAK);
        CHECK(k == SENTINEL(gamecrypt_public_key));
        uint8_t spki[44];
        memcpy(spki, ED25519_SPKI_PREFIX, 12);
        memcpy(spki + 12, raw, 32);
        CHECK_RC(gamecrypt_public_key_from_spki_der(spki, sizeof spki, &k), R_WEAK);
        char pem[200], b64[64];
        base64(spki, sizeof spki, b64);
        int n = snprintf(pem, sizeof pem, "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n",
                         b64);
        CHECK_RC(gamecrypt_public_key_from_pem(pem, (size_t)n, &k), R_WEAK);
        CHECK(k == SENTINEL(gamecrypt_public_key));
        /* A certificate for the weak key (its key field replaced): refused at parsing. */
        uint8_t weak_cert[GAMECRYPT_CERTIFICATE_MAX_LEN];
        memcpy(weak_cert, cert, cert_len);
        memcpy(weak_cert + 4, raw, 32);
        CHECK_RC(gamecrypt_certificate_public_key(weak_cert, cert_len, &k), R_WEAK);
        gamecrypt_public_key *root_pub = NULL;
        CHECK_OK(gamecrypt_signing_key_public_key(root, &root_pub));
        CHECK_RC(gamecrypt_certificate_verify(weak_cert, cert_len, root_pub, "srv", 50), R_WEAK);
        gamecrypt_public_key_free(root_pub);
    }
    gamecrypt_public_key_free(server_pub);
    gamecrypt_signing_key_free(server);
    gamecrypt_signing_key_free(root);
}

static void test_sign_context(void) {
    static const char *const contexts[] = {"gamecrypt session v1 server signature",
                                           "gamecrypt session v1 client signature",
                                           "gamecrypt certificate v1"};
    gamecrypt_signing_key *k = NULL;
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ECDSA_P256, &k));
    for (size_t i = 0; i < 3; i++) {
        uint8_t msg[80] = {0};
        size_t n = strlen(contexts[i]) + 1; /* with its zero byte */
        memcpy(msg, contexts[i], n);
        uint8_t sig[GAMECRYPT_MAX_SIGNATURE_LEN];
        size_t len = 777;
        CHECK_RC(gamecrypt_signing_key_sign(k, msg, n + 32, GAMECRYPT_SIGNATURE_ECDSA_FIXED, sig,
                                            sizeof sig, &len),
                 GAMECRYPT_RESULT_SIGN_CONTEXT_RESERVED);
        CHECK(len == 777);
        /* Without the zero byte it is an ordinary message. */
        CHECK_OK(gamecrypt_signing_key_sign(k, msg, n - 1, GAMECRYPT_SIGNATURE_ECDSA_FIXED, sig,
                                            sizeof sig, &len));
        /* Low-S: s <= n/2, i.e. the top byte of s is at most 0x7f (n/2 = 7fffffff 80000000...). */
        CHECK(len == 64 && sig[32] <= 0x7f);
    }
    gamecrypt_signing_key_free(k);
}

static void test_root_name_required(void) {
    gamecrypt_signing_key *root = NULL;
    gamecrypt_public_key *root_pub = NULL, *pin = NULL;
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &root));
    CHECK_OK(gamecrypt_signing_key_public_key(root, &root_pub));
    CHECK_OK(gamecrypt_signing_key_public_key(root, &pin));
    gamecrypt_client_config_builder *b = NULL;
    gamecrypt_client_config *cfg = SENTINEL(gamecrypt_client_config);
    CHECK_OK(gamecrypt_client_config_builder_new_root(root_pub, &b));
    CHECK_RC(gamecrypt_client_config_builder_build(b, &cfg), GAMECRYPT_RESULT_SERVER_NAME_REQUIRED);
    CHECK(cfg == SENTINEL(gamecrypt_client_config));
    CHECK_OK(gamecrypt_client_config_builder_dangerous_accept_any_server_name(b));
    CHECK_OK(gamecrypt_client_config_builder_build(b, &cfg));
    gamecrypt_client_config_free(cfg);
    gamecrypt_client_config_builder_free(b);
    CHECK_RC(gamecrypt_client_config_builder_dangerous_accept_any_server_name(NULL), R_NULL);
    /* Pins name exactly one server: the opt-out does not apply. */
    CHECK_OK(gamecrypt_client_config_builder_new_pinned_key(pin, &b));
    CHECK_RC(gamecrypt_client_config_builder_dangerous_accept_any_server_name(b),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    gamecrypt_client_config_builder_free(b);
    gamecrypt_public_key_free(pin);
    gamecrypt_public_key_free(root_pub);
    gamecrypt_signing_key_free(root);
}

/* A pinned-key pair (Ed25519, suite 0x0002) with optional client authentication. */
static void pair(int auth, gamecrypt_session_mode mode, gamecrypt_session **c,
                 gamecrypt_session **s) {
    gamecrypt_signing_key *id = NULL, *ck = NULL;
    gamecrypt_public_key *pub = NULL;
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &id));
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &ck));
    CHECK_OK(gamecrypt_signing_key_public_key(id, &pub));
    gamecrypt_suite suite = GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256;
    gamecrypt_server_config_builder *sb = NULL;
    gamecrypt_client_config_builder *cb = NULL;
    gamecrypt_server_config *sc = NULL;
    gamecrypt_client_config *cc = NULL;
    CHECK_OK(gamecrypt_server_config_builder_new(id, &sb));
    CHECK_OK(gamecrypt_server_config_builder_set_suites(sb, &suite, 1));
    CHECK_OK(gamecrypt_client_config_builder_new_pinned_key(pub, &cb));
    CHECK_OK(gamecrypt_client_config_builder_set_suites(cb, &suite, 1));
    if (auth) {
        CHECK_OK(gamecrypt_server_config_builder_set_client_auth(sb, GAMECRYPT_CLIENT_AUTH_REQUIRED,
                                                                 GAMECRYPT_CLIENT_AUTH_REQUIRED));
        CHECK_OK(gamecrypt_client_config_builder_set_client_key(cb, ck));
        CHECK_OK(gamecrypt_client_config_builder_set_token(cb, (const uint8_t *)"ticket", 6));
    }
    CHECK_OK(gamecrypt_server_config_builder_build(sb, &sc));
    CHECK_OK(gamecrypt_client_config_builder_build(cb, &cc));
    CHECK_OK(gamecrypt_session_new_client(cc, mode, c));
    CHECK_OK(gamecrypt_session_new_server(sc, mode, s));
    gamecrypt_server_config_builder_free(sb);
    gamecrypt_client_config_builder_free(cb);
    gamecrypt_server_config_free(sc);
    gamecrypt_client_config_free(cc);
    gamecrypt_public_key_free(pub);
    gamecrypt_signing_key_free(ck);
    gamecrypt_signing_key_free(id);
}

static void test_datagram_drops(void) {
    gamecrypt_session *c = NULL, *s = NULL;
    pair(0, GAMECRYPT_SESSION_MODE_DATAGRAM, &c, &s);
    uint8_t ch[HS_MAX], sh[HS_MAX], cf[HS_MAX];
    size_t ch_len = 0, sh_len = 0, cf_len = 0;
    CHECK_OK(gamecrypt_session_write_handshake(c, ch, sizeof ch, &ch_len));
    CHECK_OK(gamecrypt_session_read_handshake(s, ch, ch_len));
    CHECK_OK(gamecrypt_session_write_handshake(s, sh, sizeof sh, &sh_len));
    /* A ServerHello with a bad signature: dropped, the client still waits. */
    sh[sh_len - 1] ^= 1;
    CHECK_RC(gamecrypt_session_read_handshake(c, sh, sh_len), R_DROPPED);
    CHECK(gamecrypt_session_get_state(c) == GAMECRYPT_SESSION_STATE_NEED_READ);
    sh[sh_len - 1] ^= 1;
    CHECK_OK(gamecrypt_session_read_handshake(c, sh, sh_len));
    CHECK_OK(gamecrypt_session_write_handshake(c, cf, sizeof cf, &cf_len));
    /* A garbage ClientFinished (right header, wrong tag): dropped. */
    uint8_t garbage[24] = {3, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    CHECK_RC(gamecrypt_session_read_handshake(s, garbage, sizeof garbage), R_DROPPED);
    CHECK(gamecrypt_session_get_state(s) == GAMECRYPT_SESSION_STATE_NEED_READ);
    CHECK_OK(gamecrypt_session_read_handshake(s, cf, cf_len));
    CHECK(gamecrypt_session_get_state(s) == GAMECRYPT_SESSION_STATE_ESTABLISHED);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);

    /* Stream mode: the same garbage is fatal. */
    pair(0, GAMECRYPT_SESSION_MODE_STREAM, &c, &s);
    CHECK_OK(gamecrypt_session_write_handshake(c, ch, sizeof ch, &ch_len));
    CHECK_OK(gamecrypt_session_read_handshake(s, ch, ch_len));
    CHECK_OK(gamecrypt_session_write_handshake(s, sh, sizeof sh, &sh_len));
    CHECK_RC(gamecrypt_session_read_handshake(s, garbage, sizeof garbage),
             GAMECRYPT_RESULT_PACKET_AUTH_FAILED);
    CHECK(gamecrypt_session_get_state(s) == GAMECRYPT_SESSION_STATE_FAILED);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);
}

static void test_release_client_credentials(void) {
    gamecrypt_session *c = NULL, *s = NULL;
    pair(1, GAMECRYPT_SESSION_MODE_STREAM, &c, &s);
    uint8_t buf[HS_MAX];
    size_t len = 0;
    CHECK_RC(gamecrypt_session_release_client_credentials(s), R_STATE);
    CHECK_OK(gamecrypt_session_write_handshake(c, buf, sizeof buf, &len));
    CHECK_OK(gamecrypt_session_read_handshake(s, buf, len));
    CHECK_OK(gamecrypt_session_write_handshake(s, buf, sizeof buf, &len));
    CHECK_OK(gamecrypt_session_read_handshake(c, buf, len));
    CHECK_OK(gamecrypt_session_write_handshake(c, buf, sizeof buf, &len));
    CHECK_OK(gamecrypt_session_read_handshake(s, buf, len));
    CHECK(gamecrypt_session_get_state(s) == GAMECRYPT_SESSION_STATE_NEED_ACCEPT);
    CHECK_OK(gamecrypt_session_accept(s));
    gamecrypt_public_key *key = NULL;
    CHECK_OK(gamecrypt_session_client_public_key(s, &key));
    CHECK(key != NULL);
    gamecrypt_public_key_free(key);
    CHECK_OK(gamecrypt_session_client_token(s, buf, sizeof buf, &len));
    CHECK(len == 6 && memcmp(buf, "ticket", 6) == 0);
    CHECK_RC(gamecrypt_session_release_client_credentials(NULL), R_NULL);
    CHECK_RC(gamecrypt_session_release_client_credentials(c), R_STATE);
    CHECK_OK(gamecrypt_session_release_client_credentials(s));
    CHECK_RC(gamecrypt_session_release_client_credentials(s), R_STATE);
    key = SENTINEL(gamecrypt_public_key);
    CHECK_RC(gamecrypt_session_client_public_key(s, &key), R_STATE);
    CHECK(key == SENTINEL(gamecrypt_public_key));
    CHECK_RC(gamecrypt_session_client_token(s, buf, sizeof buf, &len), R_STATE);
    CHECK(gamecrypt_session_get_state(s) == GAMECRYPT_SESSION_STATE_ESTABLISHED);
    gamecrypt_session_free(c);
    gamecrypt_session_free(s);
}

int main(void) {
    test_weak_keys();
    test_sign_context();
    test_root_name_required();
    test_datagram_drops();
    test_release_client_credentials();
    return check_report("c security (issue 7)");
}
