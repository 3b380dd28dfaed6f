/* Version, result strings and the panic boundary, through the C ABI. */
#include "check.h"

static const char SHA256_ABC[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void test_version(void) {
    CHECK(strcmp(gamecrypt_version(), GAMECRYPT_VERSION_STRING) == 0);
    CHECK(gamecrypt_version_number() ==
          (uint32_t)(GAMECRYPT_VERSION_MAJOR * 10000 + GAMECRYPT_VERSION_MINOR * 100 +
                     GAMECRYPT_VERSION_PATCH));
}

static void test_result_str(void) {
    CHECK(strcmp(gamecrypt_result_str(GAMECRYPT_RESULT_OK), "success") == 0);
    CHECK(strstr(gamecrypt_result_str(GAMECRYPT_RESULT_BUFFER_TOO_SMALL), "too small") != NULL);
    CHECK(strstr(gamecrypt_result_str(GAMECRYPT_RESULT_SIGNATURE_INVALID), "signature") != NULL);
    /* Any integer is safe to pass, including values that are no code at all. */
    CHECK(strcmp(gamecrypt_result_str(9999), "unknown gamecrypt result code") == 0);
    CHECK(strcmp(gamecrypt_result_str(0xFFFFFFFFu), "unknown gamecrypt result code") == 0);
    CHECK(strcmp(gamecrypt_result_str(9), "unknown gamecrypt result code") == 0);
    /* Codes are stable: they are part of the ABI. */
    CHECK(GAMECRYPT_RESULT_NULL_ARGUMENT == 1);
    CHECK(GAMECRYPT_RESULT_OPEN_FAILED == 200);
    CHECK(GAMECRYPT_RESULT_WRONG_STATE == 300);

    /* Every code of the enum has its own, non-empty message. */
    static const gamecrypt_result all[] = {
        GAMECRYPT_RESULT_OK,
        GAMECRYPT_RESULT_NULL_ARGUMENT,
        GAMECRYPT_RESULT_INVALID_ARGUMENT,
        GAMECRYPT_RESULT_BUFFER_TOO_SMALL,
        GAMECRYPT_RESULT_PANIC,
        GAMECRYPT_RESULT_INTERNAL,
        GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM,
        GAMECRYPT_RESULT_RANDOM_FAILED,
        GAMECRYPT_RESULT_INVALID_LENGTH,
        GAMECRYPT_RESULT_KEY_MALFORMED,
        GAMECRYPT_RESULT_PEM_MALFORMED,
        GAMECRYPT_RESULT_WRONG_KEY_TYPE,
        GAMECRYPT_RESULT_SIGNATURE_INVALID,
        GAMECRYPT_RESULT_KEY_REJECTED,
        GAMECRYPT_RESULT_UNSUPPORTED_FORMAT,
        GAMECRYPT_RESULT_OPEN_FAILED,
        GAMECRYPT_RESULT_BOX_MALFORMED,
        GAMECRYPT_RESULT_BOX_UNSUPPORTED,
        GAMECRYPT_RESULT_CONTEXT_FINISHED,
        GAMECRYPT_RESULT_MAC_INVALID,
        GAMECRYPT_RESULT_BOX_KEY_MISMATCH,
        GAMECRYPT_RESULT_WRONG_STATE,
        GAMECRYPT_RESULT_HANDSHAKE_MALFORMED,
        GAMECRYPT_RESULT_UNSUPPORTED_VERSION,
        GAMECRYPT_RESULT_NO_COMMON_SUITE,
        GAMECRYPT_RESULT_DOWNGRADE_DETECTED,
        GAMECRYPT_RESULT_HANDSHAKE_SIGNATURE_INVALID,
        GAMECRYPT_RESULT_PINNED_KEY_MISMATCH,
        GAMECRYPT_RESULT_FINGERPRINT_MISMATCH,
        GAMECRYPT_RESULT_CERTIFICATE_EXPIRED,
        GAMECRYPT_RESULT_CERTIFICATE_NOT_YET_VALID,
        GAMECRYPT_RESULT_CERTIFICATE_WRONG_NAME,
        GAMECRYPT_RESULT_CERTIFICATE_SIGNATURE_INVALID,
        GAMECRYPT_RESULT_CERTIFICATE_MALFORMED,
        GAMECRYPT_RESULT_SESSION_FAILED,
        GAMECRYPT_RESULT_SESSION_CLOSED,
        GAMECRYPT_RESULT_PACKET_AUTH_FAILED,
        GAMECRYPT_RESULT_PACKET_REPLAYED,
        GAMECRYPT_RESULT_PACKET_TOO_OLD,
        GAMECRYPT_RESULT_PACKET_MALFORMED,
        GAMECRYPT_RESULT_PACKET_OUT_OF_ORDER,
        GAMECRYPT_RESULT_KEY_EXHAUSTED,
        GAMECRYPT_RESULT_CERTIFICATE_MISSING,
    };
    size_t n = sizeof all / sizeof all[0];
    int distinct = 1;
    for (size_t i = 0; i < n; i++) {
        const char *msg = gamecrypt_result_str((uint32_t)all[i]);
        CHECK(msg != NULL && msg[0] != '\0');
        CHECK(strcmp(msg, "unknown gamecrypt result code") != 0);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(msg, gamecrypt_result_str((uint32_t)all[j])) == 0) {
                fprintf(stderr, "codes %d and %d share the message \"%s\"\n", (int)all[j],
                        (int)all[i], msg);
                distinct = 0;
            }
        }
    }
    CHECK(distinct);
}

/* A panic inside an export comes back as GAMECRYPT_RESULT_PANIC: nothing is written, the
 * process goes on, and the next call works normally. */
static void test_panic_boundary(void) {
    fprintf(stderr, "(test_basics: the injected panic messages below are expected)\n");

    /* A variable-size output: neither the buffer nor *out_len is written. */
    uint8_t out[GAMECRYPT_SHA256_LEN];
    size_t out_len = 12345;
    memset(out, CANARY, sizeof out);
    gamecrypt_testing_panic_next_call();
    CHECK_RC(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, (const uint8_t *)"abc", 3, out,
                                   sizeof out, &out_len),
             GAMECRYPT_RESULT_PANIC);
    CHECK(all_bytes_are(out, sizeof out, CANARY));
    CHECK(out_len == 12345);
    /* The next call is not affected. */
    CHECK_OK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, (const uint8_t *)"abc", 3, out,
                                   sizeof out, &out_len));
    CHECK(bytes_eq_hex(out, out_len, SHA256_ABC));

    /* A handle output is not written either. */
    gamecrypt_signing_key *key = SENTINEL(gamecrypt_signing_key);
    gamecrypt_testing_panic_next_call();
    CHECK_RC(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &key),
             GAMECRYPT_RESULT_PANIC);
    CHECK(key == SENTINEL(gamecrypt_signing_key));
    key = NULL;
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &key));
    CHECK(key != NULL);
    gamecrypt_signing_key_free(key);

    /* A verify that panics never reports success, even for a correct tag. */
    static const char JEFE_TAG[] =
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    const char *data = "what do ya want for nothing?";
    uint8_t tag[GAMECRYPT_SHA256_LEN];
    hex_decode(JEFE_TAG, tag, sizeof tag);
    gamecrypt_testing_panic_next_call();
    CHECK_RC(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, (const uint8_t *)"Jefe", 4,
                                   (const uint8_t *)data, strlen(data), tag, sizeof tag),
             GAMECRYPT_RESULT_PANIC);
    CHECK_OK(gamecrypt_hmac_verify(GAMECRYPT_HASH_SHA256, (const uint8_t *)"Jefe", 4,
                                   (const uint8_t *)data, strlen(data), tag, sizeof tag));

    /* A streaming context survives a panicking call: the panic happens before the body runs,
     * so the context is neither finished nor corrupted. */
    gamecrypt_hash_context *ctx = NULL;
    CHECK_OK(gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA256, &ctx));
    CHECK_OK(gamecrypt_hash_context_update(ctx, (const uint8_t *)"ab", 2));
    gamecrypt_testing_panic_next_call();
    CHECK_RC(gamecrypt_hash_context_update(ctx, (const uint8_t *)"zz", 2), GAMECRYPT_RESULT_PANIC);
    CHECK_OK(gamecrypt_hash_context_update(ctx, (const uint8_t *)"c", 1));
    memset(out, CANARY, sizeof out);
    gamecrypt_testing_panic_next_call();
    CHECK_RC(gamecrypt_hash_context_finish(ctx, out, sizeof out, &out_len), GAMECRYPT_RESULT_PANIC);
    CHECK(all_bytes_are(out, sizeof out, CANARY));
    CHECK_OK(gamecrypt_hash_context_finish(ctx, out, sizeof out, &out_len));
    CHECK(bytes_eq_hex(out, out_len, SHA256_ABC));
    gamecrypt_hash_context_free(ctx);

    CHECK(strstr(gamecrypt_result_str(GAMECRYPT_RESULT_PANIC), "panic") != NULL ||
          strstr(gamecrypt_result_str(GAMECRYPT_RESULT_PANIC), "bug") != NULL);
}

int main(void) {
    test_version();
    test_result_str();
    test_panic_boundary();
    return check_report("c basics");
}
