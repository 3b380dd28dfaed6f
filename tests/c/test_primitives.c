/* Primitives through the C ABI: random bytes, SHA-2 (one-shot and streaming), HMAC (one-shot
 * and streaming), HKDF, PBKDF2 and constant-time compare.
 *
 * Known answers come from the standards: FIPS 180-2 examples (SHA-2), RFC 4231 (HMAC),
 * RFC 5869 (HKDF-SHA256), RFC 7914 section 11 (PBKDF2-HMAC-SHA256). Values without an RFC
 * vector (HKDF-SHA384/512, HMAC with an empty key, PBKDF2 with an empty password) were computed
 * with Python's hashlib/hmac and the `cryptography` package, never with gamecrypt. */
#include "check.h"

#define U8(s) ((const uint8_t *)(s))

static const char SHA256_ABC[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char SHA384_ABC[] =
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
    "8086072ba1e7cc2358baeca134c825a7";
static const char SHA512_ABC[] =
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
static const char SHA256_EMPTY[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char SHA256_448[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
static const char SHA256_MILLION_A[] =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

/* RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?". */
static const char JEFE_DATA[] = "what do ya want for nothing?";
static const char HMAC256_JEFE[] =
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
static const char HMAC384_JEFE[] =
    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
    "8e2240ca5e69e2c78b3239ecfab21649";
static const char HMAC512_JEFE[] =
    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";
/* RFC 4231 test case 1: key 0x0b * 20, data "Hi There". */
static const char HMAC256_TC1[] = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
/* HMAC-SHA256 with an empty key over empty data (Python hmac). */
static const char HMAC256_EMPTY[] =
    "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";

/* ------------------------------------------------------------------------------------------ */

static void test_random(void) {
    uint8_t a[32], b[32];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    CHECK_OK(gamecrypt_random_bytes(a, sizeof a));
    CHECK_OK(gamecrypt_random_bytes(b, sizeof b));
    /* 2^-256 chance of a false failure. */
    CHECK(memcmp(a, b, sizeof a) != 0);
    CHECK(!all_bytes_are(a, sizeof a, 0));
    /* (NULL, 0) is an empty output; (NULL, n) is not. */
    CHECK_OK(gamecrypt_random_bytes(NULL, 0));
    CHECK_RC(gamecrypt_random_bytes(NULL, 5), GAMECRYPT_RESULT_NULL_ARGUMENT);
    /* Exactly len bytes are written. */
    uint8_t c[17];
    memset(c, CANARY, sizeof c);
    CHECK_OK(gamecrypt_random_bytes(c, 16));
    CHECK(c[16] == CANARY);
}

static void test_hash_sizes(void) {
    CHECK(gamecrypt_hash_len(GAMECRYPT_HASH_SHA256) == GAMECRYPT_SHA256_LEN);
    CHECK(gamecrypt_hash_len(GAMECRYPT_HASH_SHA384) == GAMECRYPT_SHA384_LEN);
    CHECK(gamecrypt_hash_len(GAMECRYPT_HASH_SHA512) == GAMECRYPT_SHA512_LEN);
    CHECK(GAMECRYPT_SHA256_LEN == 32 && GAMECRYPT_SHA384_LEN == 48 && GAMECRYPT_SHA512_LEN == 64);
    CHECK(GAMECRYPT_HASH_MAX_LEN == 64);
    CHECK(gamecrypt_hash_len(0) == 0);
    CHECK(gamecrypt_hash_len(4) == 0);
    CHECK(gamecrypt_hash_len(0xFFFFFFFFu) == 0);
    CHECK(gamecrypt_hkdf_max_output_len(GAMECRYPT_HASH_SHA256) == 255 * 32);
    CHECK(gamecrypt_hkdf_max_output_len(GAMECRYPT_HASH_SHA384) == 255 * 48);
    CHECK(gamecrypt_hkdf_max_output_len(GAMECRYPT_HASH_SHA512) == 255 * 64);
    CHECK(gamecrypt_hkdf_max_output_len(0) == 0);
    CHECK(gamecrypt_hkdf_max_output_len(99) == 0);
    CHECK(gamecrypt_pbkdf2_recommended_iterations() == GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS);
    CHECK(GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS == 600000);
}

static void test_hash_digest(void) {
    uint8_t out[GAMECRYPT_HASH_MAX_LEN];
    size_t len = 0;
    CHECK_OK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, U8("abc"), 3, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, SHA256_ABC));
    CHECK_OK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA384, U8("abc"), 3, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, SHA384_ABC));
    CHECK_OK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA512, U8("abc"), 3, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, SHA512_ABC));
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK_OK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, U8(m448), strlen(m448), out, sizeof out,
                                   &len));
    CHECK(bytes_eq_hex(out, len, SHA256_448));

    /* (NULL, 0) is the empty message. */
    CHECK_OK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, NULL, 0, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, SHA256_EMPTY));

    /* Exactly the digest is written, nothing after it. */
    memset(out, CANARY, sizeof out);
    CHECK_OK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, U8("abc"), 3, out, sizeof out, &len));
    CHECK(len == 32 && all_bytes_are(out + 32, sizeof out - 32, CANARY));

    /* Errors. */
    CHECK_RC(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, NULL, 3, out, sizeof out, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, U8("abc"), 3, NULL, sizeof out, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, U8("abc"), 3, out, sizeof out, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hash_digest(0, U8("abc"), 3, out, sizeof out, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_hash_digest(4, U8("abc"), 3, out, sizeof out, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);

    /* Size query, then one byte short: the needed length, nothing written. */
    for (gamecrypt_hash alg = GAMECRYPT_HASH_SHA256; alg <= GAMECRYPT_HASH_SHA512; alg++) {
        size_t needed = 0;
        CHECK_RC(gamecrypt_hash_digest(alg, U8("abc"), 3, NULL, 0, &needed),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(needed == gamecrypt_hash_len(alg));
        memset(out, CANARY, sizeof out);
        len = 0;
        CHECK_RC(gamecrypt_hash_digest(alg, U8("abc"), 3, out, needed - 1, &len),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(len == needed);
        CHECK(all_bytes_are(out, sizeof out, CANARY));
        CHECK_OK(gamecrypt_hash_digest(alg, U8("abc"), 3, out, needed, &len));
        CHECK(len == needed);
    }

    /* The output must not overlap the input. */
    uint8_t buf[64];
    memcpy(buf, "abc", 3);
    CHECK_RC(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, buf, 3, buf, sizeof buf, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
}

static void test_hash_context(void) {
    uint8_t out[GAMECRYPT_HASH_MAX_LEN];
    size_t len = 0;
    gamecrypt_hash_context *ctx = NULL;

    /* Pieces give the same digest as one call. */
    CHECK_OK(gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA384, &ctx));
    CHECK(ctx != NULL);
    CHECK_OK(gamecrypt_hash_context_update(ctx, U8("a"), 1));
    CHECK_OK(gamecrypt_hash_context_update(ctx, NULL, 0)); /* empty input is fine */
    CHECK_OK(gamecrypt_hash_context_update(ctx, U8("bc"), 2));
    CHECK_OK(gamecrypt_hash_context_finish(ctx, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, SHA384_ABC));

    /* Use after finish. */
    CHECK_RC(gamecrypt_hash_context_update(ctx, U8("d"), 1), GAMECRYPT_RESULT_CONTEXT_FINISHED);
    memset(out, CANARY, sizeof out);
    CHECK_RC(gamecrypt_hash_context_finish(ctx, out, sizeof out, &len),
             GAMECRYPT_RESULT_CONTEXT_FINISHED);
    CHECK(all_bytes_are(out, sizeof out, CANARY));
    gamecrypt_hash_context_free(ctx);

    /* One million 'a' in 1000-byte pieces (FIPS 180-2). */
    uint8_t chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    CHECK_OK(gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA256, &ctx));
    int ok = 1;
    for (int i = 0; i < 1000; i++) {
        ok &= gamecrypt_hash_context_update(ctx, chunk, sizeof chunk) == GAMECRYPT_RESULT_OK;
    }
    CHECK(ok);

    /* A too-small buffer reports the length and does not finish the context. */
    size_t needed = 0;
    CHECK_RC(gamecrypt_hash_context_finish(ctx, NULL, 0, &needed), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == 32);
    memset(out, CANARY, sizeof out);
    len = 0;
    CHECK_RC(gamecrypt_hash_context_finish(ctx, out, 31, &len), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == 32);
    CHECK(all_bytes_are(out, sizeof out, CANARY));
    CHECK_OK(gamecrypt_hash_context_finish(ctx, out, 32, &len));
    CHECK(bytes_eq_hex(out, len, SHA256_MILLION_A));
    gamecrypt_hash_context_free(ctx);

    /* The empty message, and SHA-512. */
    CHECK_OK(gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA256, &ctx));
    CHECK_OK(gamecrypt_hash_context_finish(ctx, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, SHA256_EMPTY));
    gamecrypt_hash_context_free(ctx);
    CHECK_OK(gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA512, &ctx));
    CHECK_OK(gamecrypt_hash_context_update(ctx, U8("abc"), 3));
    CHECK_OK(gamecrypt_hash_context_finish(ctx, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, SHA512_ABC));

    /* NULL arguments, with a live context. */
    CHECK_RC(gamecrypt_hash_context_update(NULL, U8("a"), 1), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hash_context_finish(NULL, out, sizeof out, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    gamecrypt_hash_context_free(ctx);
    CHECK_OK(gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA256, &ctx));
    CHECK_RC(gamecrypt_hash_context_update(ctx, NULL, 1), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hash_context_finish(ctx, NULL, 32, &len), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hash_context_finish(ctx, out, sizeof out, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    /* ... none of which finished it. */
    CHECK_OK(gamecrypt_hash_context_update(ctx, U8("abc"), 3));
    CHECK_OK(gamecrypt_hash_context_finish(ctx, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, SHA256_ABC));
    gamecrypt_hash_context_free(ctx);

    /* Bad constructor arguments leave the output alone. */
    gamecrypt_hash_context *untouched = SENTINEL(gamecrypt_hash_context);
    CHECK_RC(gamecrypt_hash_context_new(0, &untouched), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_hash_context_new(7, &untouched), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(untouched == SENTINEL(gamecrypt_hash_context));
    CHECK_RC(gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA256, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);

    gamecrypt_hash_context_free(NULL);
}

static void test_hmac(void) {
    uint8_t out[GAMECRYPT_HASH_MAX_LEN];
    size_t len = 0;
    const uint8_t *jefe = U8("Jefe");
    const uint8_t *data = U8(JEFE_DATA);
    size_t data_len = strlen(JEFE_DATA);

    CHECK_OK(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, jefe, 4, data, data_len, out, sizeof out,
                                 &len));
    CHECK(bytes_eq_hex(out, len, HMAC256_JEFE));
    CHECK_OK(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA384, jefe, 4, data, data_len, out, sizeof out,
                                 &len));
    CHECK(bytes_eq_hex(out, len, HMAC384_JEFE));
    CHECK_OK(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA512, jefe, 4, data, data_len, out, sizeof out,
                                 &len));
    CHECK(bytes_eq_hex(out, len, HMAC512_JEFE));
    uint8_t key0b[20];
    memset(key0b, 0x0b, sizeof key0b);
    CHECK_OK(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, key0b, sizeof key0b, U8("Hi There"), 8,
                                 out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, HMAC256_TC1));
    /* Empty key and empty data as (NULL, 0). */
    CHECK_OK(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, NULL, 0, NULL, 0, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, HMAC256_EMPTY));

    /* Sign errors. */
    CHECK_RC(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, NULL, 4, data, data_len, out, sizeof out,
                                 &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, jefe, 4, NULL, data_len, out, sizeof out,
                                 &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, jefe, 4, data, data_len, NULL, sizeof out,
                                 &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, jefe, 4, data, data_len, out, sizeof out,
                                 NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_sign(0, jefe, 4, data, data_len, out, sizeof out, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    size_t needed = 0;
    CHECK_RC(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA384, jefe, 4, data, data_len, NULL, 0, &needed),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == 48);
    memset(out, CANARY, sizeof out);
    len = 0;
    CHECK_RC(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA384, jefe, 4, data, data_len, out, 47, &len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == 48);
    CHECK(all_bytes_are(out, sizeof out, CANARY));
    uint8_t overlap[64];
    memcpy(overlap, "Jefe", 4);
    CHECK_RC(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, overlap, 4, data, data_len, overlap + 2,
                                 32, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);

    /* Verify. */
    uint8_t tag[GAMECRYPT_SHA256_LEN];
    hex_decode(HMAC256_JEFE, tag, sizeof tag);
    CHECK_OK(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, jefe, 4, data, data_len, tag, 32));
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, jefe, 4, data, data_len, tag, 31),
             GAMECRYPT_RESULT_MAC_INVALID); /* truncated prefix of the right tag */
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, jefe, 4, data, data_len, NULL, 0),
             GAMECRYPT_RESULT_MAC_INVALID); /* empty tag */
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, U8("Jeff"), 4, data, data_len, tag, 32),
             GAMECRYPT_RESULT_MAC_INVALID); /* wrong key */
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, jefe, 4, data, data_len - 1, tag, 32),
             GAMECRYPT_RESULT_MAC_INVALID); /* altered data */
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA384, jefe, 4, data, data_len, tag, 32),
             GAMECRYPT_RESULT_MAC_INVALID); /* other algorithm */
    tag[31] ^= 1;
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, jefe, 4, data, data_len, tag, 32),
             GAMECRYPT_RESULT_MAC_INVALID); /* altered tag */
    tag[31] ^= 1;
    CHECK_RC(gamecrypt_hmac_verify(5, jefe, 4, data, data_len, tag, 32),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, NULL, 4, data, data_len, tag, 32),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, jefe, 4, NULL, data_len, tag, 32),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, jefe, 4, data, data_len, NULL, 32),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    uint8_t empty_tag[32];
    hex_decode(HMAC256_EMPTY, empty_tag, sizeof empty_tag);
    CHECK_OK(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, NULL, 0, NULL, 0, empty_tag, 32));
}

static void test_hmac_context(void) {
    uint8_t out[GAMECRYPT_HASH_MAX_LEN];
    size_t len = 0;
    gamecrypt_hmac_context *ctx = NULL;
    const uint8_t *data = U8(JEFE_DATA);

    /* finish in pieces */
    CHECK_OK(gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA512, U8("Jefe"), 4, &ctx));
    CHECK_OK(gamecrypt_hmac_context_update(ctx, data, 10));
    CHECK_OK(gamecrypt_hmac_context_update(ctx, NULL, 0));
    CHECK_OK(gamecrypt_hmac_context_update(ctx, data + 10, strlen(JEFE_DATA) - 10));
    size_t needed = 0;
    CHECK_RC(gamecrypt_hmac_context_finish(ctx, NULL, 0, &needed), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == 64);
    memset(out, CANARY, sizeof out);
    CHECK_RC(gamecrypt_hmac_context_finish(ctx, out, 63, &len), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == 64 && all_bytes_are(out, sizeof out, CANARY));
    CHECK_OK(gamecrypt_hmac_context_finish(ctx, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, HMAC512_JEFE));
    /* use after finish */
    CHECK_RC(gamecrypt_hmac_context_update(ctx, data, 1), GAMECRYPT_RESULT_CONTEXT_FINISHED);
    CHECK_RC(gamecrypt_hmac_context_finish(ctx, out, sizeof out, &len),
             GAMECRYPT_RESULT_CONTEXT_FINISHED);
    CHECK_RC(gamecrypt_hmac_context_verify(ctx, out, 64), GAMECRYPT_RESULT_CONTEXT_FINISHED);
    gamecrypt_hmac_context_free(ctx);

    /* verify: right tag */
    uint8_t tag[32];
    hex_decode(HMAC256_JEFE, tag, sizeof tag);
    CHECK_OK(gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, U8("Jefe"), 4, &ctx));
    CHECK_OK(gamecrypt_hmac_context_update(ctx, data, strlen(JEFE_DATA)));
    CHECK_OK(gamecrypt_hmac_context_verify(ctx, tag, sizeof tag));
    CHECK_RC(gamecrypt_hmac_context_verify(ctx, tag, sizeof tag),
             GAMECRYPT_RESULT_CONTEXT_FINISHED);
    CHECK_RC(gamecrypt_hmac_context_update(ctx, data, 1), GAMECRYPT_RESULT_CONTEXT_FINISHED);
    gamecrypt_hmac_context_free(ctx);

    /* verify: a wrong tag spends the context too */
    CHECK_OK(gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, U8("Jefe"), 4, &ctx));
    CHECK_OK(gamecrypt_hmac_context_update(ctx, data, strlen(JEFE_DATA)));
    tag[0] ^= 0x80;
    CHECK_RC(gamecrypt_hmac_context_verify(ctx, tag, sizeof tag), GAMECRYPT_RESULT_MAC_INVALID);
    tag[0] ^= 0x80;
    CHECK_RC(gamecrypt_hmac_context_verify(ctx, tag, sizeof tag),
             GAMECRYPT_RESULT_CONTEXT_FINISHED);
    gamecrypt_hmac_context_free(ctx);

    /* verify: a truncated tag */
    CHECK_OK(gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, U8("Jefe"), 4, &ctx));
    CHECK_OK(gamecrypt_hmac_context_update(ctx, data, strlen(JEFE_DATA)));
    CHECK_RC(gamecrypt_hmac_context_verify(ctx, tag, 16), GAMECRYPT_RESULT_MAC_INVALID);
    gamecrypt_hmac_context_free(ctx);

    /* empty key (NULL, 0), empty data */
    uint8_t empty_tag[32];
    hex_decode(HMAC256_EMPTY, empty_tag, sizeof empty_tag);
    CHECK_OK(gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, NULL, 0, &ctx));
    CHECK_OK(gamecrypt_hmac_context_verify(ctx, empty_tag, sizeof empty_tag));
    gamecrypt_hmac_context_free(ctx);

    /* The key is copied: changing the caller's buffer after new() changes nothing. */
    uint8_t key_copy[4];
    memcpy(key_copy, "Jefe", 4);
    CHECK_OK(gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, key_copy, 4, &ctx));
    memset(key_copy, 0, sizeof key_copy);
    CHECK_OK(gamecrypt_hmac_context_update(ctx, data, strlen(JEFE_DATA)));
    CHECK_OK(gamecrypt_hmac_context_finish(ctx, out, sizeof out, &len));
    CHECK(bytes_eq_hex(out, len, HMAC256_JEFE));
    gamecrypt_hmac_context_free(ctx);

    /* NULL arguments and bad constructor arguments. */
    gamecrypt_hmac_context *untouched = SENTINEL(gamecrypt_hmac_context);
    CHECK_RC(gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, U8("k"), 1, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, NULL, 1, &untouched),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_context_new(0, U8("k"), 1, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_context_new(1000, U8("k"), 1, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(untouched == SENTINEL(gamecrypt_hmac_context));
    CHECK_RC(gamecrypt_hmac_context_update(NULL, data, 1), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_context_finish(NULL, out, sizeof out, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_context_verify(NULL, tag, sizeof tag), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_OK(gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, U8("Jefe"), 4, &ctx));
    CHECK_RC(gamecrypt_hmac_context_update(ctx, NULL, 1), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_context_finish(ctx, NULL, 32, &len), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_context_finish(ctx, out, sizeof out, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hmac_context_verify(ctx, NULL, 32), GAMECRYPT_RESULT_NULL_ARGUMENT);
    /* ... none of which spent it. */
    CHECK_OK(gamecrypt_hmac_context_update(ctx, data, strlen(JEFE_DATA)));
    CHECK_OK(gamecrypt_hmac_context_verify(ctx, tag, sizeof tag));
    gamecrypt_hmac_context_free(ctx);

    gamecrypt_hmac_context_free(NULL);
}

/* RFC 5869 appendix A, test cases 1 and 3 (SHA-256), and the test case 1 inputs with
 * SHA-384/512 (Python `cryptography`). */
static void test_hkdf(void) {
    uint8_t ikm[22], salt[13], info[10];
    memset(ikm, 0x0b, sizeof ikm);
    for (size_t i = 0; i < sizeof salt; i++) salt[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof info; i++) info[i] = (uint8_t)(0xf0 + i);
    uint8_t prk[GAMECRYPT_HASH_MAX_LEN], okm[42];
    size_t len = 0;

    /* Test case 1. */
    CHECK_OK(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA256, salt, sizeof salt, ikm, sizeof ikm,
                                    prk, sizeof prk, &len));
    CHECK(bytes_eq_hex(prk, len,
                       "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
    static const char OKM1[] =
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
    CHECK_OK(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk, len, info, sizeof info, okm, 42));
    CHECK(bytes_eq_hex(okm, 42, OKM1));
    memset(okm, 0, sizeof okm);
    CHECK_OK(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, salt, sizeof salt, ikm, sizeof ikm, info,
                                   sizeof info, okm, 42));
    CHECK(bytes_eq_hex(okm, 42, OKM1));

    /* Test case 3: empty salt and info as (NULL, 0). */
    CHECK_OK(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA256, NULL, 0, ikm, sizeof ikm, prk,
                                    sizeof prk, &len));
    CHECK(bytes_eq_hex(prk, len,
                       "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"));
    static const char OKM3[] =
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";
    CHECK_OK(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk, len, NULL, 0, okm, 42));
    CHECK(bytes_eq_hex(okm, 42, OKM3));
    CHECK_OK(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, NULL, 0, ikm, sizeof ikm, NULL, 0, okm,
                                   42));
    CHECK(bytes_eq_hex(okm, 42, OKM3));

    /* SHA-384 and SHA-512. */
    CHECK_OK(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA384, salt, sizeof salt, ikm, sizeof ikm,
                                    prk, sizeof prk, &len));
    CHECK(bytes_eq_hex(prk, len,
                       "704b39990779ce1dc548052c7dc39f303570dd13fb39f7acc564680bef80e8de"
                       "c70ee9a7e1f3e293ef68eceb072a5ade"));
    CHECK_OK(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA384, prk, len, info, sizeof info, okm, 42));
    CHECK(bytes_eq_hex(okm, 42,
                       "9b5097a86038b805309076a44b3a9f38063e25b516dcbf369f394cfab43685f7"
                       "48b6457763e4f0204fc5"));
    CHECK_OK(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA512, salt, sizeof salt, ikm, sizeof ikm, info,
                                   sizeof info, okm, 42));
    CHECK(bytes_eq_hex(okm, 42,
                       "832390086cda71fb47625bb5ceb168e4c8e26a1a16ed34d9fc7fe92c14815793"
                       "38da362cb8d9f925d7cb"));

    /* extract: size query, too small, NULL, unknown algorithm. */
    size_t needed = 0;
    CHECK_RC(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA512, salt, sizeof salt, ikm, sizeof ikm,
                                    NULL, 0, &needed),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == 64);
    memset(prk, CANARY, sizeof prk);
    len = 0;
    CHECK_RC(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA512, salt, sizeof salt, ikm, sizeof ikm, prk,
                                    63, &len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == 64 && all_bytes_are(prk, sizeof prk, CANARY));
    CHECK_RC(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA256, NULL, 3, ikm, sizeof ikm, prk,
                                    sizeof prk, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA256, salt, sizeof salt, NULL, 3, prk,
                                    sizeof prk, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA256, salt, sizeof salt, ikm, sizeof ikm,
                                    NULL, sizeof prk, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA256, salt, sizeof salt, ikm, sizeof ikm, prk,
                                    sizeof prk, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_extract(0, salt, sizeof salt, ikm, sizeof ikm, prk, sizeof prk, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_extract(GAMECRYPT_HASH_SHA256, salt, sizeof salt, ikm, sizeof ikm,
                                    ikm, sizeof ikm, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT); /* output overlaps the ikm */

    /* expand: lengths out of range and NULLs; the output is never written on error. */
    uint8_t prk32[32];
    memset(prk32, 7, sizeof prk32);
    uint8_t *big = malloc(255 * 32 + 1);
    CHECK(big != NULL);
    if (big != NULL) {
        CHECK_OK(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk32, 32, NULL, 0, big, 255 * 32));
        memset(big, CANARY, 255 * 32 + 1);
        CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk32, 32, NULL, 0, big,
                                       255 * 32 + 1),
                 GAMECRYPT_RESULT_INVALID_LENGTH);
        CHECK(all_bytes_are(big, 255 * 32 + 1, CANARY));
        CHECK_RC(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, NULL, 0, prk32, 32, NULL, 0, big,
                                       255 * 32 + 1),
                 GAMECRYPT_RESULT_INVALID_LENGTH);
        CHECK(all_bytes_are(big, 255 * 32 + 1, CANARY));
        free(big);
    }
    memset(okm, CANARY, sizeof okm);
    CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk32, 31, NULL, 0, okm, 42),
             GAMECRYPT_RESULT_INVALID_LENGTH); /* PRK shorter than the hash */
    CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA384, prk32, 32, NULL, 0, okm, 42),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    uint8_t prk65[65];
    memset(prk65, 7, sizeof prk65);
    CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk65, 65, NULL, 0, okm, 42),
             GAMECRYPT_RESULT_INVALID_LENGTH); /* PRK longer than 64 */
    CHECK(all_bytes_are(okm, sizeof okm, CANARY));
    CHECK_OK(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk65, 64, NULL, 0, okm, 42));
    CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk32, 32, NULL, 0, okm, 0),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk32, 32, NULL, 0, NULL, 0),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk32, 32, NULL, 0, NULL, 42),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, NULL, 32, NULL, 0, okm, 42),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk32, 32, NULL, 5, okm, 42),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_expand(9, prk32, 32, NULL, 0, okm, 42),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_expand(GAMECRYPT_HASH_SHA256, prk32, 32, NULL, 0, prk32 + 16, 8),
             GAMECRYPT_RESULT_INVALID_ARGUMENT); /* output overlaps the PRK */

    /* derive: NULLs, lengths, algorithm. */
    CHECK_RC(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, NULL, 1, ikm, sizeof ikm, NULL, 0, okm,
                                   42),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, NULL, 0, NULL, 1, NULL, 0, okm, 42),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, NULL, 0, ikm, sizeof ikm, NULL, 1, okm,
                                   42),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, NULL, 0, ikm, sizeof ikm, NULL, 0, NULL,
                                   42),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, NULL, 0, ikm, sizeof ikm, NULL, 0, okm,
                                   0),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_hkdf_derive(0, NULL, 0, ikm, sizeof ikm, NULL, 0, okm, 42),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, NULL, 0, ikm, sizeof ikm, NULL, 0, ikm,
                                   8),
             GAMECRYPT_RESULT_INVALID_ARGUMENT); /* output overlaps the ikm */
    /* An empty ikm is allowed. */
    CHECK_OK(gamecrypt_hkdf_derive(GAMECRYPT_HASH_SHA256, NULL, 0, NULL, 0, NULL, 0, okm, 42));
}

/* RFC 7914 section 11: PBKDF2-HMAC-SHA256 test vectors. */
static void test_pbkdf2(void) {
    uint8_t out[64];
    CHECK_OK(gamecrypt_pbkdf2_sha256_derive(U8("passwd"), 6, U8("salt"), 4, 1, out, 64));
    CHECK(bytes_eq_hex(out, 64,
                       "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                       "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"));
    CHECK_OK(gamecrypt_pbkdf2_sha256_derive(U8("Password"), 8, U8("NaCl"), 4, 80000, out, 64));
    CHECK(bytes_eq_hex(out, 64,
                       "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                       "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"));
    /* An empty password is allowed here (Python hashlib). */
    CHECK_OK(gamecrypt_pbkdf2_sha256_derive(NULL, 0, U8("salt"), 4, 1, out, 32));
    CHECK(bytes_eq_hex(out, 32,
                       "f135c27993baf98773c5cdb40a5706ce6a345cde61b000a67858650cd6a324d7"));
    /* A prefix of a longer output (PBKDF2 blocks are independent). */
    uint8_t short_out[20];
    CHECK_OK(gamecrypt_pbkdf2_sha256_derive(U8("passwd"), 6, U8("salt"), 4, 1, short_out, 20));
    CHECK(bytes_eq_hex(short_out, 20, "55ac046e56e3089fec1691c22544b605f9418521"));

    memset(out, CANARY, sizeof out);
    CHECK_RC(gamecrypt_pbkdf2_sha256_derive(U8("pw"), 2, U8("salt"), 4, 0, out, 32),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_pbkdf2_sha256_derive(U8("pw"), 2, U8("salt"), 4, 1, out, 0),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_pbkdf2_sha256_derive(U8("pw"), 2, U8("salt"), 4, 1, NULL, 0),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_pbkdf2_sha256_derive(NULL, 2, U8("salt"), 4, 1, out, 32),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_pbkdf2_sha256_derive(U8("pw"), 2, NULL, 4, 1, out, 32),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_pbkdf2_sha256_derive(U8("pw"), 2, U8("salt"), 4, 1, NULL, 32),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK(all_bytes_are(out, sizeof out, CANARY));
    uint8_t overlap[64];
    memcpy(overlap, "password", 8);
    CHECK_RC(gamecrypt_pbkdf2_sha256_derive(overlap, 8, U8("salt"), 4, 1, overlap + 4, 32),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
}

static void test_constant_time_eq(void) {
    const uint8_t a[] = {1, 2, 3, 4};
    const uint8_t b[] = {1, 2, 3, 4};
    const uint8_t c[] = {1, 2, 3, 5};
    CHECK(gamecrypt_constant_time_eq(a, 4, b, 4));
    CHECK(!gamecrypt_constant_time_eq(a, 4, c, 4));
    CHECK(!gamecrypt_constant_time_eq(a, 4, b, 3)); /* different lengths */
    CHECK(!gamecrypt_constant_time_eq(a, 3, b, 4));
    CHECK(gamecrypt_constant_time_eq(a, 3, c, 3)); /* equal prefixes */
    CHECK(gamecrypt_constant_time_eq(NULL, 0, NULL, 0));
    CHECK(gamecrypt_constant_time_eq(NULL, 0, a, 0));
    CHECK(!gamecrypt_constant_time_eq(NULL, 4, b, 4));
    CHECK(!gamecrypt_constant_time_eq(a, 4, NULL, 4));
    CHECK(!gamecrypt_constant_time_eq(NULL, 4, NULL, 4));
}

int main(void) {
    test_random();
    test_hash_sizes();
    test_hash_digest();
    test_hash_context();
    test_hmac();
    test_hmac_context();
    test_hkdf();
    test_pbkdf2();
    test_constant_time_eq();
    return check_report("c primitives");
}
