/* Links the STATIC gamecrypt library into one program together with OpenSSL's libcrypto and
 * uses both: SHA-256 and HMAC-SHA256 through each must agree, and a signature made by
 * gamecrypt must verify with OpenSSL. A clash of symbols (gamecrypt carries AWS-LC, an OpenSSL
 * fork, whose symbols are prefixed) would fail the link or call the wrong function.
 * Built and run by scripts/test-package.sh. */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "gamecrypt.h"

static int failures = 0;
#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            failures++;                                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

int main(void) {
    static const uint8_t msg[] = "the same bytes through two libraries";
    const size_t msg_len = sizeof msg - 1;

    uint8_t ours[GAMECRYPT_SHA256_LEN], theirs[SHA256_DIGEST_LENGTH];
    size_t ours_len = 0;
    CHECK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, msg, msg_len, ours, sizeof ours, &ours_len) ==
          GAMECRYPT_RESULT_OK);
    CHECK(SHA256(msg, msg_len, theirs) != NULL);
    CHECK(ours_len == sizeof theirs && memcmp(ours, theirs, sizeof theirs) == 0);

    static const uint8_t key[] = "a key of some length";
    unsigned int theirs_len = 0;
    CHECK(gamecrypt_hmac_sign(GAMECRYPT_HASH_SHA256, key, sizeof key - 1, msg, msg_len, ours, sizeof ours,
                              &ours_len) == GAMECRYPT_RESULT_OK);
    CHECK(HMAC(EVP_sha256(), key, (int)(sizeof key - 1), msg, msg_len, theirs, &theirs_len) != NULL);
    CHECK(ours_len == theirs_len && memcmp(ours, theirs, theirs_len) == 0);

    /* An ECDSA P-256 signature by gamecrypt, verified by OpenSSL from gamecrypt's SPKI DER. */
    gamecrypt_signing_key *sk = NULL;
    gamecrypt_public_key *pk = NULL;
    uint8_t spki[256], sig[GAMECRYPT_MAX_SIGNATURE_LEN];
    size_t spki_len = 0, sig_len = 0;
    CHECK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ECDSA_P256, &sk) == GAMECRYPT_RESULT_OK);
    CHECK(gamecrypt_signing_key_public_key(sk, &pk) == GAMECRYPT_RESULT_OK);
    CHECK(gamecrypt_public_key_to_spki_der(pk, spki, sizeof spki, &spki_len) == GAMECRYPT_RESULT_OK);
    CHECK(gamecrypt_signing_key_sign(sk, msg, msg_len, GAMECRYPT_SIGNATURE_ECDSA_DER, sig, sizeof sig, &sig_len) ==
          GAMECRYPT_RESULT_OK);
    const unsigned char *p = spki;
    EVP_PKEY *pkey = d2i_PUBKEY(NULL, &p, (long)spki_len);
    CHECK(pkey != NULL);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    CHECK(md != NULL && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1);
    CHECK(EVP_DigestVerify(md, sig, sig_len, msg, msg_len) == 1);
    sig[sig_len / 2] ^= 1;
    CHECK(EVP_DigestVerify(md, sig, sig_len, msg, msg_len) != 1);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    gamecrypt_public_key_free(pk);
    gamecrypt_signing_key_free(sk);

    printf("static gamecrypt %s + %s: %s\n", gamecrypt_version(), OpenSSL_version(OPENSSL_VERSION),
           failures == 0 ? "SHA-256, HMAC and ECDSA agree" : "FAILED");
    return failures == 0 ? 0 : 1;
}
