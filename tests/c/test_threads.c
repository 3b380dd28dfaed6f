/* The documented thread rules, from C: one signing key, public key and AEAD key used by several
 * threads at the same time (sign, verify, seal, open, export). Run under ASan and valgrind by
 * run.sh; each thread also checks its own results. */
#include <pthread.h>

#include "check.h"

#define THREADS 4
#define ROUNDS 25

struct shared {
    const gamecrypt_signing_key *signing_key;
    const gamecrypt_public_key *public_key;
    const gamecrypt_aead_key *aead_key;
};

struct result {
    int failures;
};

static void *worker(void *arg_) {
    void **args = arg_;
    const struct shared *shared = args[0];
    struct result *result = args[1];
    uintptr_t id = (uintptr_t)args[2];
    for (int round = 0; round < ROUNDS; round++) {
        uint8_t msg[16];
        memset(msg, (int)(id * 16 + (uintptr_t)round), sizeof msg);
        uint8_t sig[GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN];
        size_t sig_len = 0;
        if (gamecrypt_signing_key_sign(shared->signing_key, msg, sizeof msg,
                                       GAMECRYPT_SIGNATURE_DEFAULT, sig, sizeof sig,
                                       &sig_len) != GAMECRYPT_RESULT_OK ||
            gamecrypt_public_key_verify(shared->public_key, msg, sizeof msg, sig, sig_len,
                                        GAMECRYPT_SIGNATURE_DEFAULT) != GAMECRYPT_RESULT_OK) {
            result->failures++;
        }
        uint8_t box[sizeof msg + GAMECRYPT_BOX_OVERHEAD], out[sizeof msg];
        size_t box_len = 0, out_len = 0;
        if (gamecrypt_aead_key_seal(shared->aead_key, msg, sizeof msg, NULL, 0, box, sizeof box,
                                    &box_len) != GAMECRYPT_RESULT_OK ||
            gamecrypt_aead_key_open(shared->aead_key, box, box_len, NULL, 0, out, sizeof out,
                                    &out_len) != GAMECRYPT_RESULT_OK ||
            out_len != sizeof msg || memcmp(out, msg, sizeof msg) != 0) {
            result->failures++;
        }
        char pem[512];
        size_t pem_len = 0;
        if (gamecrypt_public_key_to_pem(shared->public_key, pem, sizeof pem, &pem_len) !=
                GAMECRYPT_RESULT_OK ||
            gamecrypt_signing_key_to_pkcs8_pem(shared->signing_key, pem, sizeof pem, &pem_len) !=
                GAMECRYPT_RESULT_OK) {
            result->failures++;
        }
    }
    return NULL;
}

int main(void) {
    gamecrypt_signing_key *signing_key = NULL;
    gamecrypt_public_key *public_key = NULL;
    gamecrypt_aead_key *aead_key = NULL;
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ECDSA_P256, &signing_key));
    CHECK_OK(gamecrypt_signing_key_public_key(signing_key, &public_key));
    CHECK_OK(gamecrypt_aead_key_generate(GAMECRYPT_AEAD_CHACHA20_POLY1305, &aead_key));
    struct shared shared = {signing_key, public_key, aead_key};

    pthread_t threads[THREADS];
    struct result results[THREADS];
    void *args[THREADS][3];
    int started[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++) {
        results[i].failures = 0;
        args[i][0] = &shared;
        args[i][1] = &results[i];
        args[i][2] = (void *)i;
        started[i] = pthread_create(&threads[i], NULL, worker, args[i]) == 0;
        CHECK(started[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        if (started[i]) {
            CHECK(pthread_join(threads[i], NULL) == 0);
            CHECK(results[i].failures == 0);
        }
    }

    gamecrypt_aead_key_free(aead_key);
    gamecrypt_public_key_free(public_key);
    gamecrypt_signing_key_free(signing_key);
    return check_report("c threads");
}
