/* Signing keys and public keys through the C ABI: generation, import of keys written by openssl
 * (tests/data/keys/, see make.sh there), export, sign and verify, raw and compressed points,
 * fingerprints, and every error path.
 *
 * Independent references: the openssl-written fixtures (keys, SubjectPublicKeyInfo, PEM text,
 * fingerprints, signatures over message.txt) and RFC 8032 section 7.1 (Ed25519). */
#include "check.h"

#define U8(s) ((const uint8_t *)(s))

/* ------------------------------------------------------------------------------------------ */
/* Helpers. */

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Loads a private key fixture (PEM or DER by its name); NULL (and a failed check) on error. */
static gamecrypt_signing_key *load_signing(const char *name) {
    size_t len;
    uint8_t *data = read_fixture(name, &len);
    if (data == NULL) {
        return NULL;
    }
    gamecrypt_signing_key *key = NULL;
    gamecrypt_result rc = ends_with(name, ".pem")
                              ? gamecrypt_signing_key_from_pem((const char *)data, len, &key)
                              : gamecrypt_signing_key_from_der(data, len, &key);
    free(data);
    if (rc != GAMECRYPT_RESULT_OK) {
        fprintf(stderr, "loading %s: %s\n", name, gamecrypt_result_str((uint32_t)rc));
    }
    CHECK(rc == GAMECRYPT_RESULT_OK && key != NULL);
    return key;
}

/* Loads a public key fixture (PEM or SubjectPublicKeyInfo DER by its name). */
static gamecrypt_public_key *load_public(const char *name) {
    size_t len;
    uint8_t *data = read_fixture(name, &len);
    if (data == NULL) {
        return NULL;
    }
    gamecrypt_public_key *key = NULL;
    gamecrypt_result rc = ends_with(name, ".pem")
                              ? gamecrypt_public_key_from_pem((const char *)data, len, &key)
                              : gamecrypt_public_key_from_spki_der(data, len, &key);
    free(data);
    if (rc != GAMECRYPT_RESULT_OK) {
        fprintf(stderr, "loading %s: %s\n", name, gamecrypt_result_str((uint32_t)rc));
    }
    CHECK(rc == GAMECRYPT_RESULT_OK && key != NULL);
    return key;
}

/* True when the public key's SubjectPublicKeyInfo DER is byte for byte the fixture `name`. */
static int spki_equals_fixture(const gamecrypt_public_key *key, const char *name) {
    size_t len;
    uint8_t *expected = read_fixture(name, &len);
    uint8_t der[1024];
    size_t der_len = 0;
    int ok = expected != NULL &&
             gamecrypt_public_key_to_spki_der(key, der, sizeof der, &der_len) ==
                 GAMECRYPT_RESULT_OK &&
             der_len == len && memcmp(der, expected, len) == 0;
    free(expected);
    return ok;
}

/* True when two public keys have the same SubjectPublicKeyInfo DER. */
static int same_public_key(const gamecrypt_public_key *a, const gamecrypt_public_key *b) {
    uint8_t da[1024], db[1024];
    size_t la = 0, lb = 0;
    return gamecrypt_public_key_to_spki_der(a, da, sizeof da, &la) == GAMECRYPT_RESULT_OK &&
           gamecrypt_public_key_to_spki_der(b, db, sizeof db, &lb) == GAMECRYPT_RESULT_OK &&
           la == lb && memcmp(da, db, la) == 0;
}

static gamecrypt_public_key *public_of(const gamecrypt_signing_key *key) {
    gamecrypt_public_key *pk = NULL;
    CHECK_OK(gamecrypt_signing_key_public_key(key, &pk));
    return pk;
}

static gamecrypt_signing_key *generate(gamecrypt_key_type type) {
    gamecrypt_signing_key *key = NULL;
    CHECK_OK(gamecrypt_signing_key_generate(type, &key));
    CHECK(key != NULL);
    return key;
}

/* ------------------------------------------------------------------------------------------ */

static void test_sizes(void) {
    CHECK(gamecrypt_public_key_fingerprint_len() == GAMECRYPT_FINGERPRINT_LEN);
    CHECK(GAMECRYPT_FINGERPRINT_LEN == 32);
    CHECK(gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P256) == 65);
    CHECK(gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P256) ==
          GAMECRYPT_P256_PUBLIC_KEY_LEN);
    CHECK(gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P384) ==
          GAMECRYPT_P384_PUBLIC_KEY_LEN);
    CHECK(GAMECRYPT_P384_PUBLIC_KEY_LEN == 97);
    CHECK(gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ED25519) ==
          GAMECRYPT_ED25519_PUBLIC_KEY_LEN);
    CHECK(GAMECRYPT_ED25519_PUBLIC_KEY_LEN == 32);
    CHECK(gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_RSA) == 0);
    CHECK(gamecrypt_public_key_raw_len(0) == 0);
    CHECK(gamecrypt_public_key_raw_len(5) == 0);
    CHECK(gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ECDSA_P256) ==
          GAMECRYPT_P256_COMPRESSED_PUBLIC_KEY_LEN);
    CHECK(GAMECRYPT_P256_COMPRESSED_PUBLIC_KEY_LEN == 33);
    CHECK(gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ECDSA_P384) ==
          GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN);
    CHECK(GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN == 49);
    CHECK(gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ED25519) == 0);
    CHECK(gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_RSA) == 0);
    CHECK(gamecrypt_public_key_raw_compressed_len(0xFFFFFFFFu) == 0);

    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ED25519, GAMECRYPT_SIGNATURE_DEFAULT) ==
          GAMECRYPT_ED25519_SIGNATURE_LEN);
    CHECK(GAMECRYPT_ED25519_SIGNATURE_LEN == 64);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ECDSA_P256,
                                      GAMECRYPT_SIGNATURE_ECDSA_FIXED) ==
          GAMECRYPT_P256_FIXED_SIGNATURE_LEN);
    CHECK(GAMECRYPT_P256_FIXED_SIGNATURE_LEN == 64);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ECDSA_P256,
                                      GAMECRYPT_SIGNATURE_ECDSA_DER) ==
          GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ECDSA_P256, GAMECRYPT_SIGNATURE_DEFAULT) ==
          GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN);
    /* DER: SEQUENCE(2) + 2 * INTEGER(2 + 33) = 72 for P-256; the 3-byte long form for P-384. */
    CHECK(GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN == 72);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ECDSA_P384,
                                      GAMECRYPT_SIGNATURE_ECDSA_FIXED) ==
          GAMECRYPT_P384_FIXED_SIGNATURE_LEN);
    CHECK(GAMECRYPT_P384_FIXED_SIGNATURE_LEN == 96);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ECDSA_P384,
                                      GAMECRYPT_SIGNATURE_ECDSA_DER) ==
          GAMECRYPT_P384_MAX_DER_SIGNATURE_LEN);
    CHECK(GAMECRYPT_P384_MAX_DER_SIGNATURE_LEN == 104);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_RSA, GAMECRYPT_SIGNATURE_DEFAULT) ==
          GAMECRYPT_MAX_SIGNATURE_LEN);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_RSA,
                                      GAMECRYPT_SIGNATURE_RSA_PSS_SHA256) ==
          GAMECRYPT_MAX_SIGNATURE_LEN);
    /* A format that does not fit the type, and unknown values: 0. */
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ED25519,
                                      GAMECRYPT_SIGNATURE_ECDSA_FIXED) == 0);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ECDSA_P256,
                                      GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256) == 0);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_RSA, GAMECRYPT_SIGNATURE_ECDSA_DER) == 0);
    CHECK(gamecrypt_signature_max_len(0, GAMECRYPT_SIGNATURE_DEFAULT) == 0);
    CHECK(gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ECDSA_P256, 5) == 0);
    CHECK(gamecrypt_signature_max_len_any() == GAMECRYPT_MAX_SIGNATURE_LEN);
    CHECK(GAMECRYPT_MAX_SIGNATURE_LEN == 1024);
}

/* Generated keys: sign and verify in every format that fits, and every way a signature must
 * fail to verify. */
static void check_sign_verify(gamecrypt_key_type type, gamecrypt_signature_format format,
                              size_t expected_max, int fixed_length) {
    gamecrypt_signing_key *key = generate(type);
    gamecrypt_signing_key *other = generate(type);
    gamecrypt_public_key *pk = public_of(key);
    gamecrypt_public_key *other_pk = public_of(other);
    gamecrypt_key_type got_type = 0;
    CHECK_OK(gamecrypt_signing_key_type(key, &got_type));
    CHECK(got_type == type);
    got_type = 0;
    CHECK_OK(gamecrypt_public_key_type(pk, &got_type));
    CHECK(got_type == type);

    size_t max = 0;
    CHECK_OK(gamecrypt_signing_key_max_signature_len(key, format, &max));
    CHECK(max == expected_max);
    CHECK(max == gamecrypt_signature_max_len(type, format));

    const char *msg = "DLC manifest: level-pack-3.pak sha256=...";
    size_t msg_len = strlen(msg);
    uint8_t sig[GAMECRYPT_MAX_SIGNATURE_LEN + 1];
    memset(sig, CANARY, sizeof sig);
    size_t sig_len = 0;
    CHECK_OK(gamecrypt_signing_key_sign(key, U8(msg), msg_len, format, sig, max, &sig_len));
    CHECK(sig_len > 0 && sig_len <= max);
    if (fixed_length) {
        CHECK(sig_len == max);
    } else {
        CHECK(sig[0] == 0x30); /* a DER SEQUENCE */
    }
    CHECK(all_bytes_are(sig + sig_len, sizeof sig - sig_len, CANARY));

    CHECK_OK(gamecrypt_public_key_verify(pk, U8(msg), msg_len, sig, sig_len, format));
    /* Altered message, truncated message, empty message. */
    char altered[64];
    memcpy(altered, msg, msg_len + 1);
    altered[0] ^= 0x20;
    CHECK_RC(gamecrypt_public_key_verify(pk, U8(altered), msg_len, sig, sig_len, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    CHECK_RC(gamecrypt_public_key_verify(pk, U8(msg), msg_len - 1, sig, sig_len, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    CHECK_RC(gamecrypt_public_key_verify(pk, NULL, 0, sig, sig_len, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    /* Altered signature: a bit in the middle, the last byte; truncated; extended; empty. */
    sig[sig_len / 2] ^= 0x01;
    CHECK_RC(gamecrypt_public_key_verify(pk, U8(msg), msg_len, sig, sig_len, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    sig[sig_len / 2] ^= 0x01;
    sig[sig_len - 1] ^= 0x80;
    CHECK_RC(gamecrypt_public_key_verify(pk, U8(msg), msg_len, sig, sig_len, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    sig[sig_len - 1] ^= 0x80;
    CHECK_RC(gamecrypt_public_key_verify(pk, U8(msg), msg_len, sig, sig_len - 1, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    CHECK_RC(gamecrypt_public_key_verify(pk, U8(msg), msg_len, sig, sig_len + 1, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    CHECK_RC(gamecrypt_public_key_verify(pk, U8(msg), msg_len, NULL, 0, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    /* A signature by another key of the same type. */
    CHECK_RC(gamecrypt_public_key_verify(other_pk, U8(msg), msg_len, sig, sig_len, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    /* Still valid after all that. */
    CHECK_OK(gamecrypt_public_key_verify(pk, U8(msg), msg_len, sig, sig_len, format));

    /* Empty message as (NULL, 0). */
    CHECK_OK(gamecrypt_signing_key_sign(key, NULL, 0, format, sig, max, &sig_len));
    CHECK_OK(gamecrypt_public_key_verify(pk, NULL, 0, sig, sig_len, format));
    CHECK_RC(gamecrypt_public_key_verify(pk, U8("x"), 1, sig, sig_len, format),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);

    /* ECDSA is randomized, Ed25519 deterministic. */
    uint8_t sig2[GAMECRYPT_MAX_SIGNATURE_LEN];
    size_t sig2_len = 0;
    CHECK_OK(gamecrypt_signing_key_sign(key, NULL, 0, format, sig2, sizeof sig2, &sig2_len));
    int same = sig2_len == sig_len && memcmp(sig, sig2, sig_len) == 0;
    CHECK(type == GAMECRYPT_KEY_TYPE_ED25519 ? same : !same);

    /* The public key outlives the signing key it came from. */
    gamecrypt_signing_key_free(key);
    CHECK_OK(gamecrypt_public_key_verify(pk, NULL, 0, sig2, sig2_len, format));

    gamecrypt_public_key_free(pk);
    gamecrypt_public_key_free(other_pk);
    gamecrypt_signing_key_free(other);
}

static void test_generate_sign_verify(void) {
    check_sign_verify(GAMECRYPT_KEY_TYPE_ECDSA_P256, GAMECRYPT_SIGNATURE_DEFAULT, 72, 0);
    check_sign_verify(GAMECRYPT_KEY_TYPE_ECDSA_P256, GAMECRYPT_SIGNATURE_ECDSA_DER, 72, 0);
    check_sign_verify(GAMECRYPT_KEY_TYPE_ECDSA_P256, GAMECRYPT_SIGNATURE_ECDSA_FIXED, 64, 1);
    check_sign_verify(GAMECRYPT_KEY_TYPE_ECDSA_P384, GAMECRYPT_SIGNATURE_DEFAULT, 104, 0);
    check_sign_verify(GAMECRYPT_KEY_TYPE_ECDSA_P384, GAMECRYPT_SIGNATURE_ECDSA_FIXED, 96, 1);
    check_sign_verify(GAMECRYPT_KEY_TYPE_ED25519, GAMECRYPT_SIGNATURE_DEFAULT, 64, 1);

    /* DEFAULT is DER for ECDSA; a DER signature is not a FIXED one and vice versa. */
    gamecrypt_signing_key *key = generate(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    gamecrypt_public_key *pk = public_of(key);
    uint8_t sig[GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN];
    size_t len = 0;
    CHECK_OK(gamecrypt_signing_key_sign(key, U8("m"), 1, GAMECRYPT_SIGNATURE_DEFAULT, sig,
                                        sizeof sig, &len));
    CHECK_OK(gamecrypt_public_key_verify(pk, U8("m"), 1, sig, len, GAMECRYPT_SIGNATURE_ECDSA_DER));
    CHECK_RC(gamecrypt_public_key_verify(pk, U8("m"), 1, sig, len,
                                         GAMECRYPT_SIGNATURE_ECDSA_FIXED),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    CHECK_OK(gamecrypt_signing_key_sign(key, U8("m"), 1, GAMECRYPT_SIGNATURE_ECDSA_FIXED, sig,
                                        sizeof sig, &len));
    CHECK(len == 64);
    CHECK_OK(gamecrypt_public_key_verify(pk, U8("m"), 1, sig, len,
                                         GAMECRYPT_SIGNATURE_ECDSA_FIXED));
    CHECK_RC(gamecrypt_public_key_verify(pk, U8("m"), 1, sig, len, GAMECRYPT_SIGNATURE_DEFAULT),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    gamecrypt_public_key_free(pk);
    gamecrypt_signing_key_free(key);

    /* Each generate makes a new key. */
    gamecrypt_signing_key *a = generate(GAMECRYPT_KEY_TYPE_ED25519);
    gamecrypt_signing_key *b = generate(GAMECRYPT_KEY_TYPE_ED25519);
    gamecrypt_public_key *pa = public_of(a);
    gamecrypt_public_key *pb = public_of(b);
    CHECK(!same_public_key(pa, pb));
    gamecrypt_public_key_free(pa);
    gamecrypt_public_key_free(pb);
    gamecrypt_signing_key_free(a);
    gamecrypt_signing_key_free(b);

    /* Generation errors: the output is not written. */
    gamecrypt_signing_key *untouched = SENTINEL(gamecrypt_signing_key);
    CHECK_RC(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_RSA, &untouched),
             GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM);
    CHECK_RC(gamecrypt_signing_key_generate(0, &untouched), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_generate(5, &untouched), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_generate(0xFFFFFFFFu, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(untouched == SENTINEL(gamecrypt_signing_key));
    CHECK_RC(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
}

/* Export to PKCS#8 (DER and PEM) and back. */
static void test_export_import_round_trip(void) {
    const gamecrypt_key_type types[] = {GAMECRYPT_KEY_TYPE_ECDSA_P256, GAMECRYPT_KEY_TYPE_ECDSA_P384,
                                        GAMECRYPT_KEY_TYPE_ED25519};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        gamecrypt_signing_key *key = generate(types[i]);
        gamecrypt_public_key *pk = public_of(key);

        /* DER: size query, then export, then import. */
        size_t der_len = 0;
        CHECK_RC(gamecrypt_signing_key_to_pkcs8_der(key, NULL, 0, &der_len),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(der_len > 0 && der_len < 512);
        uint8_t der[512];
        size_t got = 0;
        CHECK_OK(gamecrypt_signing_key_to_pkcs8_der(key, der, der_len, &got));
        CHECK(got == der_len);
        CHECK(der[0] == 0x30);
        gamecrypt_signing_key *back = NULL;
        CHECK_OK(gamecrypt_signing_key_from_der(der, der_len, &back));
        gamecrypt_public_key *back_pk = public_of(back);
        CHECK(same_public_key(pk, back_pk));
        /* The reloaded key signs for the original public key. */
        uint8_t sig[GAMECRYPT_MAX_SIGNATURE_LEN];
        size_t sig_len = 0;
        CHECK_OK(gamecrypt_signing_key_sign(back, U8("save"), 4, GAMECRYPT_SIGNATURE_DEFAULT, sig,
                                            sizeof sig, &sig_len));
        CHECK_OK(gamecrypt_public_key_verify(pk, U8("save"), 4, sig, sig_len,
                                             GAMECRYPT_SIGNATURE_DEFAULT));
        gamecrypt_public_key_free(back_pk);
        gamecrypt_signing_key_free(back);

        /* PEM: size query, exact buffer, text form, import. */
        size_t pem_len = 0;
        CHECK_RC(gamecrypt_signing_key_to_pkcs8_pem(key, NULL, 0, &pem_len),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        char pem[1024];
        CHECK(pem_len > 0 && pem_len < sizeof pem);
        memset(pem, CANARY, sizeof pem);
        CHECK_OK(gamecrypt_signing_key_to_pkcs8_pem(key, pem, pem_len, &got));
        CHECK(got == pem_len);
        CHECK(all_bytes_are((const uint8_t *)pem + pem_len, sizeof pem - pem_len, CANARY));
        pem[pem_len] = '\0';
        CHECK(strncmp(pem, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
        CHECK(ends_with(pem, "\n-----END PRIVATE KEY-----\n"));
        CHECK(strchr(pem, '\r') == NULL);
        back = NULL;
        CHECK_OK(gamecrypt_signing_key_from_pem(pem, pem_len, &back));
        back_pk = public_of(back);
        CHECK(same_public_key(pk, back_pk));
        gamecrypt_public_key_free(back_pk);
        gamecrypt_signing_key_free(back);

        /* Public key: SPKI DER and PEM round trips. */
        uint8_t spki[256];
        size_t spki_len = 0;
        CHECK_OK(gamecrypt_public_key_to_spki_der(pk, spki, sizeof spki, &spki_len));
        gamecrypt_public_key *pk2 = NULL;
        CHECK_OK(gamecrypt_public_key_from_spki_der(spki, spki_len, &pk2));
        CHECK(same_public_key(pk, pk2));
        gamecrypt_public_key_free(pk2);
        CHECK_OK(gamecrypt_public_key_to_pem(pk, pem, sizeof pem, &pem_len));
        CHECK(pem_len < sizeof pem);
        pem[pem_len] = '\0';
        CHECK(strncmp(pem, "-----BEGIN PUBLIC KEY-----\n", 27) == 0);
        CHECK(ends_with(pem, "\n-----END PUBLIC KEY-----\n"));
        pk2 = NULL;
        CHECK_OK(gamecrypt_public_key_from_pem(pem, pem_len, &pk2));
        CHECK(same_public_key(pk, pk2));
        gamecrypt_public_key_free(pk2);

        /* The fingerprint is SHA-256 of the SPKI DER. */
        uint8_t fp[GAMECRYPT_FINGERPRINT_LEN], digest[GAMECRYPT_SHA256_LEN];
        size_t digest_len = 0;
        CHECK_OK(gamecrypt_public_key_fingerprint(pk, fp, sizeof fp));
        CHECK_OK(gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, spki, spki_len, digest,
                                       sizeof digest, &digest_len));
        CHECK(memcmp(fp, digest, sizeof fp) == 0);

        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(key);
    }
}

/* Ed25519 test vectors 1 and 2 of RFC 8032 section 7.1, the private keys wrapped in PKCS#8 as
 * RFC 8410 section 7 describes (302e020100300506032b657004220420 || seed). */
static void test_ed25519_rfc8032(void) {
    static const struct {
        const char *pkcs8;
        const char *public_key;
        const char *message;
        const char *signature;
    } vectors[] = {
        {"302e020100300506032b657004220420"
         "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
         "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"302e020100300506032b657004220420"
         "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
         "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        uint8_t der[64], msg[8], raw[32], sig[64];
        size_t der_len = hex_decode(vectors[i].pkcs8, der, sizeof der);
        size_t msg_len = hex_decode(vectors[i].message, msg, sizeof msg);
        gamecrypt_signing_key *key = NULL;
        CHECK_OK(gamecrypt_signing_key_from_der(der, der_len, &key));
        gamecrypt_public_key *pk = public_of(key);
        size_t len = 0;
        CHECK_OK(gamecrypt_public_key_to_raw(pk, raw, sizeof raw, &len));
        CHECK(bytes_eq_hex(raw, len, vectors[i].public_key));
        CHECK_OK(gamecrypt_signing_key_sign(key, msg_len ? msg : NULL, msg_len,
                                            GAMECRYPT_SIGNATURE_DEFAULT, sig, sizeof sig, &len));
        CHECK(bytes_eq_hex(sig, len, vectors[i].signature));
        /* The same public key imported from its raw form verifies the RFC signature. */
        gamecrypt_public_key *from_raw = NULL;
        CHECK_OK(gamecrypt_public_key_from_raw(GAMECRYPT_KEY_TYPE_ED25519, raw, 32, &from_raw));
        uint8_t rfc_sig[64];
        hex_decode(vectors[i].signature, rfc_sig, sizeof rfc_sig);
        CHECK_OK(gamecrypt_public_key_verify(from_raw, msg_len ? msg : NULL, msg_len, rfc_sig, 64,
                                             GAMECRYPT_SIGNATURE_DEFAULT));
        /* The PKCS#8 export is the RFC 8410 encoding we imported. */
        uint8_t out[128];
        CHECK_OK(gamecrypt_signing_key_to_pkcs8_der(key, out, sizeof out, &len));
        CHECK(len == der_len && memcmp(out, der, der_len) == 0);
        gamecrypt_public_key_free(from_raw);
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(key);
    }
}

/* Keys written by openssl load, give openssl's public key and fingerprint, and sign what
 * openssl verifies (Ed25519 and RSA PKCS#1 v1.5 are deterministic: byte-identical). */
static void test_openssl_private_keys(void) {
    static const struct {
        const char *file;
        gamecrypt_key_type type;
        const char *base; /* keys/<base>.spki.der, .spki.pem, .fingerprint.bin */
        const char *openssl_sig; /* deterministic signature over message.txt, or NULL */
    } keys[] = {
        {"keys/p256.pkcs8.pem", GAMECRYPT_KEY_TYPE_ECDSA_P256, "keys/p256", NULL},
        {"keys/p256.pkcs8.der", GAMECRYPT_KEY_TYPE_ECDSA_P256, "keys/p256", NULL},
        {"keys/p256.sec1.pem", GAMECRYPT_KEY_TYPE_ECDSA_P256, "keys/p256", NULL},
        {"keys/p256.sec1.der", GAMECRYPT_KEY_TYPE_ECDSA_P256, "keys/p256", NULL},
        {"keys/p256.sec1-nopub.pem", GAMECRYPT_KEY_TYPE_ECDSA_P256, "keys/p256", NULL},
        {"keys/p384.pkcs8.pem", GAMECRYPT_KEY_TYPE_ECDSA_P384, "keys/p384", NULL},
        {"keys/p384.sec1.pem", GAMECRYPT_KEY_TYPE_ECDSA_P384, "keys/p384", NULL},
        {"keys/p384.sec1.der", GAMECRYPT_KEY_TYPE_ECDSA_P384, "keys/p384", NULL},
        {"keys/ed25519.pkcs8.pem", GAMECRYPT_KEY_TYPE_ED25519, "keys/ed25519", "keys/ed25519.sig"},
        {"keys/ed25519.pkcs8.der", GAMECRYPT_KEY_TYPE_ED25519, "keys/ed25519", "keys/ed25519.sig"},
        {"keys/rsa2048.pkcs8.pem", GAMECRYPT_KEY_TYPE_RSA, "keys/rsa2048", "keys/rsa2048.sig.pkcs1"},
        {"keys/rsa2048.pkcs8.der", GAMECRYPT_KEY_TYPE_RSA, "keys/rsa2048", "keys/rsa2048.sig.pkcs1"},
        {"keys/rsa2048.pkcs1.pem", GAMECRYPT_KEY_TYPE_RSA, "keys/rsa2048", "keys/rsa2048.sig.pkcs1"},
        {"keys/rsa2048.pkcs1.der", GAMECRYPT_KEY_TYPE_RSA, "keys/rsa2048", "keys/rsa2048.sig.pkcs1"},
    };
    size_t msg_len;
    uint8_t *msg = read_fixture("keys/message.txt", &msg_len);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char name[128];
        gamecrypt_signing_key *key = load_signing(keys[i].file);
        if (key == NULL || msg == NULL) {
            continue;
        }
        gamecrypt_key_type type = 0;
        CHECK_OK(gamecrypt_signing_key_type(key, &type));
        CHECK(type == keys[i].type);
        gamecrypt_public_key *pk = public_of(key);

        snprintf(name, sizeof name, "%s.spki.der", keys[i].base);
        CHECK(spki_equals_fixture(pk, name));

        /* The PEM text is what `openssl pkey -pubout` wrote, byte for byte. */
        size_t expected_len;
        snprintf(name, sizeof name, "%s.spki.pem", keys[i].base);
        uint8_t *expected = read_fixture(name, &expected_len);
        char pem[1024];
        size_t pem_len = 0;
        CHECK_OK(gamecrypt_public_key_to_pem(pk, pem, sizeof pem, &pem_len));
        CHECK(expected != NULL && pem_len == expected_len &&
              memcmp(pem, expected, expected_len) == 0);
        free(expected);

        /* The fingerprint is `openssl dgst -sha256` of the SPKI DER. */
        snprintf(name, sizeof name, "%s.fingerprint.bin", keys[i].base);
        expected = read_fixture(name, &expected_len);
        uint8_t fp[GAMECRYPT_FINGERPRINT_LEN];
        CHECK_OK(gamecrypt_public_key_fingerprint(pk, fp, sizeof fp));
        CHECK(expected != NULL && expected_len == 32 && memcmp(fp, expected, 32) == 0);
        free(expected);

        /* Sign message.txt; the signature verifies; deterministic schemes match openssl. */
        size_t max = 0;
        CHECK_OK(gamecrypt_signing_key_max_signature_len(key, GAMECRYPT_SIGNATURE_DEFAULT, &max));
        if (type == GAMECRYPT_KEY_TYPE_RSA) {
            CHECK(max == 256); /* RSA-2048: the exact modulus length */
        }
        uint8_t sig[GAMECRYPT_MAX_SIGNATURE_LEN];
        size_t sig_len = 0;
        CHECK_OK(gamecrypt_signing_key_sign(key, msg, msg_len, GAMECRYPT_SIGNATURE_DEFAULT, sig,
                                            max, &sig_len));
        CHECK_OK(gamecrypt_public_key_verify(pk, msg, msg_len, sig, sig_len,
                                             GAMECRYPT_SIGNATURE_DEFAULT));
        if (keys[i].openssl_sig != NULL) {
            expected = read_fixture(keys[i].openssl_sig, &expected_len);
            CHECK(expected != NULL && sig_len == expected_len &&
                  memcmp(sig, expected, expected_len) == 0);
            free(expected);
        }
        if (type == GAMECRYPT_KEY_TYPE_RSA) {
            CHECK_OK(gamecrypt_signing_key_sign(key, msg, msg_len,
                                                GAMECRYPT_SIGNATURE_RSA_PSS_SHA256, sig, sizeof sig,
                                                &sig_len));
            CHECK(sig_len == 256);
            CHECK_OK(gamecrypt_public_key_verify(pk, msg, msg_len, sig, sig_len,
                                                 GAMECRYPT_SIGNATURE_RSA_PSS_SHA256));
            CHECK_RC(gamecrypt_public_key_verify(pk, msg, msg_len, sig, sig_len,
                                                 GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256),
                     GAMECRYPT_RESULT_SIGNATURE_INVALID);
        }
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(key);
    }
    free(msg);

    /* PKCS#8 v2 (RFC 8410 section 10.3 example, with attributes and the public key). */
    gamecrypt_signing_key *v2 = load_signing("keys/ed25519.rfc8410-v2.pem");
    if (v2 != NULL) {
        gamecrypt_public_key *pk = public_of(v2);
        uint8_t raw[32];
        size_t len = 0;
        CHECK_OK(gamecrypt_public_key_to_raw(pk, raw, sizeof raw, &len));
        CHECK(len == 32 && raw[0] == 0x19 && raw[1] == 0xbf && raw[30] == 0x66 && raw[31] == 0xe1);
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(v2);
    }

    /* A private key exported by gamecrypt is the same PKCS#8 that openssl wrote, for the
     * types whose PKCS#8 has a single canonical form (Ed25519; RSA from PKCS#8). */
    static const char *const same_pkcs8[][2] = {
        {"keys/ed25519.pkcs8.pem", "keys/ed25519.pkcs8.der"},
        {"keys/rsa2048.pkcs1.pem", "keys/rsa2048.pkcs8.der"},
    };
    for (size_t i = 0; i < sizeof same_pkcs8 / sizeof same_pkcs8[0]; i++) {
        gamecrypt_signing_key *key = load_signing(same_pkcs8[i][0]);
        size_t expected_len;
        uint8_t *expected = read_fixture(same_pkcs8[i][1], &expected_len);
        uint8_t der[2048];
        size_t der_len = 0;
        CHECK_OK(gamecrypt_signing_key_to_pkcs8_der(key, der, sizeof der, &der_len));
        CHECK(expected != NULL && der_len == expected_len &&
              memcmp(der, expected, expected_len) == 0);
        free(expected);
        gamecrypt_signing_key_free(key);
    }
}

/* Public keys and signatures written by openssl. */
static void test_openssl_public_keys_and_signatures(void) {
    size_t msg_len;
    uint8_t *msg = read_fixture("keys/message.txt", &msg_len);
    static const struct {
        const char *key;
        const char *spki_der;
        const char *sig;
        gamecrypt_signature_format format;
    } cases[] = {
        {"keys/p256.spki.pem", "keys/p256.spki.der", "keys/p256.sig.der",
         GAMECRYPT_SIGNATURE_DEFAULT},
        {"keys/p256.spki.der", "keys/p256.spki.der", "keys/p256.sig.der",
         GAMECRYPT_SIGNATURE_ECDSA_DER},
        {"keys/p256.spki-compressed.der", "keys/p256.spki.der", "keys/p256.sig.der",
         GAMECRYPT_SIGNATURE_DEFAULT},
        {"keys/p384.spki.pem", "keys/p384.spki.der", "keys/p384.sig.der",
         GAMECRYPT_SIGNATURE_DEFAULT},
        {"keys/p384.spki-compressed.der", "keys/p384.spki.der", "keys/p384.sig.der",
         GAMECRYPT_SIGNATURE_ECDSA_DER},
        {"keys/ed25519.spki.pem", "keys/ed25519.spki.der", "keys/ed25519.sig",
         GAMECRYPT_SIGNATURE_DEFAULT},
        {"keys/ed25519.spki.der", "keys/ed25519.spki.der", "keys/ed25519.sig",
         GAMECRYPT_SIGNATURE_DEFAULT},
        {"keys/rsa2048.spki.pem", "keys/rsa2048.spki.der", "keys/rsa2048.sig.pkcs1",
         GAMECRYPT_SIGNATURE_DEFAULT},
        {"keys/rsa2048.spki.der", "keys/rsa2048.spki.der", "keys/rsa2048.sig.pkcs1",
         GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256},
        {"keys/rsa2048.pkcs1-public.pem", "keys/rsa2048.spki.der", "keys/rsa2048.sig.pss",
         GAMECRYPT_SIGNATURE_RSA_PSS_SHA256},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0] && msg != NULL; i++) {
        gamecrypt_public_key *pk = load_public(cases[i].key);
        size_t sig_len;
        uint8_t *sig = read_fixture(cases[i].sig, &sig_len);
        if (pk == NULL || sig == NULL) {
            gamecrypt_public_key_free(pk);
            free(sig);
            continue;
        }
        /* Whatever form it came in, the key is the canonical SPKI openssl wrote. */
        CHECK(spki_equals_fixture(pk, cases[i].spki_der));
        CHECK_OK(gamecrypt_public_key_verify(pk, msg, msg_len, sig, sig_len, cases[i].format));
        msg[0] ^= 1;
        CHECK_RC(gamecrypt_public_key_verify(pk, msg, msg_len, sig, sig_len, cases[i].format),
                 GAMECRYPT_RESULT_SIGNATURE_INVALID);
        msg[0] ^= 1;
        sig[sig_len - 1] ^= 1;
        CHECK_RC(gamecrypt_public_key_verify(pk, msg, msg_len, sig, sig_len, cases[i].format),
                 GAMECRYPT_RESULT_SIGNATURE_INVALID);
        free(sig);
        gamecrypt_public_key_free(pk);
    }

    /* An ECDSA signature in the wrong encoding, RSA signatures with the other padding, and a
     * signature checked against another key. */
    gamecrypt_public_key *p256 = load_public("keys/p256.spki.der");
    gamecrypt_public_key *p384 = load_public("keys/p384.spki.der");
    gamecrypt_public_key *rsa = load_public("keys/rsa2048.spki.der");
    size_t len;
    uint8_t *p256_sig = read_fixture("keys/p256.sig.der", &len);
    if (msg != NULL && p256_sig != NULL) {
        CHECK_RC(gamecrypt_public_key_verify(p256, msg, msg_len, p256_sig, len,
                                             GAMECRYPT_SIGNATURE_ECDSA_FIXED),
                 GAMECRYPT_RESULT_SIGNATURE_INVALID);
        CHECK_RC(gamecrypt_public_key_verify(p384, msg, msg_len, p256_sig, len,
                                             GAMECRYPT_SIGNATURE_DEFAULT),
                 GAMECRYPT_RESULT_SIGNATURE_INVALID);
    }
    free(p256_sig);
    uint8_t *pss = read_fixture("keys/rsa2048.sig.pss", &len);
    if (msg != NULL && pss != NULL) {
        CHECK_RC(gamecrypt_public_key_verify(rsa, msg, msg_len, pss, len,
                                             GAMECRYPT_SIGNATURE_DEFAULT),
                 GAMECRYPT_RESULT_SIGNATURE_INVALID);
    }
    free(pss);
    uint8_t *pkcs1 = read_fixture("keys/rsa2048.sig.pkcs1", &len);
    if (msg != NULL && pkcs1 != NULL) {
        CHECK_RC(gamecrypt_public_key_verify(rsa, msg, msg_len, pkcs1, len,
                                             GAMECRYPT_SIGNATURE_RSA_PSS_SHA256),
                 GAMECRYPT_RESULT_SIGNATURE_INVALID);
    }
    free(pkcs1);
    gamecrypt_public_key_free(p256);
    gamecrypt_public_key_free(p384);
    gamecrypt_public_key_free(rsa);
    free(msg);
}

/* Raw and compressed points agree with the SubjectPublicKeyInfo openssl wrote: the
 * uncompressed point is the BIT STRING at its end; the compressed one is 02/03 (parity of y)
 * followed by x. */
static void check_raw_forms(const char *spki_file, gamecrypt_key_type type, size_t raw_len,
                            size_t compressed_len) {
    size_t spki_len;
    uint8_t *spki = read_fixture(spki_file, &spki_len);
    gamecrypt_public_key *pk = load_public(spki_file);
    if (spki == NULL || pk == NULL) {
        free(spki);
        gamecrypt_public_key_free(pk);
        return;
    }
    const uint8_t *point = spki + spki_len - raw_len;
    uint8_t raw[128];
    size_t len = 0;
    CHECK_OK(gamecrypt_public_key_to_raw(pk, raw, sizeof raw, &len));
    CHECK(len == raw_len && memcmp(raw, point, raw_len) == 0);
    CHECK(len == gamecrypt_public_key_raw_len(type));

    gamecrypt_public_key *again = NULL;
    CHECK_OK(gamecrypt_public_key_from_raw(type, raw, len, &again));
    CHECK(same_public_key(pk, again));
    gamecrypt_public_key_free(again);

    if (compressed_len != 0) {
        CHECK(point[0] == 0x04);
        uint8_t comp[64];
        CHECK_OK(gamecrypt_public_key_to_raw_compressed(pk, comp, sizeof comp, &len));
        CHECK(len == compressed_len && len == gamecrypt_public_key_raw_compressed_len(type));
        CHECK(comp[0] == (uint8_t)(0x02 | (point[raw_len - 1] & 1)));
        CHECK(memcmp(comp + 1, point + 1, compressed_len - 1) == 0);
        again = NULL;
        CHECK_OK(gamecrypt_public_key_from_raw(type, comp, len, &again));
        CHECK(same_public_key(pk, again));
        gamecrypt_public_key_free(again);

        /* A point that is not on the curve (y changed) and a bad prefix. */
        uint8_t bad[128];
        memcpy(bad, raw, raw_len);
        bad[raw_len - 1] ^= 1;
        gamecrypt_public_key *untouched = SENTINEL(gamecrypt_public_key);
        CHECK_RC(gamecrypt_public_key_from_raw(type, bad, raw_len, &untouched),
                 GAMECRYPT_RESULT_KEY_MALFORMED);
        memcpy(bad, raw, raw_len);
        bad[0] = 0x05;
        CHECK_RC(gamecrypt_public_key_from_raw(type, bad, raw_len, &untouched),
                 GAMECRYPT_RESULT_KEY_MALFORMED);
        CHECK(untouched == SENTINEL(gamecrypt_public_key));
    } else {
        uint8_t comp[64];
        memset(comp, CANARY, sizeof comp);
        CHECK_RC(gamecrypt_public_key_to_raw_compressed(pk, comp, sizeof comp, &len),
                 GAMECRYPT_RESULT_UNSUPPORTED_FORMAT);
        CHECK(all_bytes_are(comp, sizeof comp, CANARY));
    }
    /* Wrong lengths for the type. */
    gamecrypt_public_key *untouched = SENTINEL(gamecrypt_public_key);
    CHECK_RC(gamecrypt_public_key_from_raw(type, raw, raw_len - 1, &untouched),
             GAMECRYPT_RESULT_KEY_MALFORMED);
    CHECK_RC(gamecrypt_public_key_from_raw(type, NULL, 0, &untouched),
             GAMECRYPT_RESULT_KEY_MALFORMED);
    CHECK(untouched == SENTINEL(gamecrypt_public_key));
    free(spki);
    gamecrypt_public_key_free(pk);
}

static void test_raw_forms(void) {
    check_raw_forms("keys/p256.spki.der", GAMECRYPT_KEY_TYPE_ECDSA_P256, 65, 33);
    check_raw_forms("keys/p384.spki.der", GAMECRYPT_KEY_TYPE_ECDSA_P384, 97, 49);
    check_raw_forms("keys/ed25519.spki.der", GAMECRYPT_KEY_TYPE_ED25519, 32, 0);

    /* A P-256 point is not a P-384 key, nor an Ed25519 one. */
    gamecrypt_public_key *p256 = load_public("keys/p256.spki.der");
    uint8_t raw[65];
    size_t len = 0;
    CHECK_OK(gamecrypt_public_key_to_raw(p256, raw, sizeof raw, &len));
    gamecrypt_public_key *untouched = SENTINEL(gamecrypt_public_key);
    CHECK_RC(gamecrypt_public_key_from_raw(GAMECRYPT_KEY_TYPE_ECDSA_P384, raw, len, &untouched),
             GAMECRYPT_RESULT_KEY_MALFORMED);
    CHECK_RC(gamecrypt_public_key_from_raw(GAMECRYPT_KEY_TYPE_ED25519, raw, len, &untouched),
             GAMECRYPT_RESULT_KEY_MALFORMED);
    /* RSA has no raw form; unknown types are invalid. */
    CHECK_RC(gamecrypt_public_key_from_raw(GAMECRYPT_KEY_TYPE_RSA, raw, len, &untouched),
             GAMECRYPT_RESULT_UNSUPPORTED_FORMAT);
    CHECK_RC(gamecrypt_public_key_from_raw(0, raw, len, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_from_raw(42, raw, len, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(untouched == SENTINEL(gamecrypt_public_key));
    gamecrypt_public_key_free(p256);

    gamecrypt_public_key *rsa = load_public("keys/rsa2048.spki.der");
    uint8_t out[600];
    memset(out, CANARY, sizeof out);
    CHECK_RC(gamecrypt_public_key_to_raw(rsa, out, sizeof out, &len),
             GAMECRYPT_RESULT_UNSUPPORTED_FORMAT);
    CHECK_RC(gamecrypt_public_key_to_raw_compressed(rsa, out, sizeof out, &len),
             GAMECRYPT_RESULT_UNSUPPORTED_FORMAT);
    CHECK(all_bytes_are(out, sizeof out, CANARY));
    gamecrypt_key_type type = 0;
    CHECK_OK(gamecrypt_public_key_type(rsa, &type));
    CHECK(type == GAMECRYPT_KEY_TYPE_RSA);
    gamecrypt_public_key_free(rsa);
}

/* Keys that must be refused, with the right code, and without writing the output. */
static void test_rejected_keys(void) {
    static const struct {
        const char *file;
        gamecrypt_result expected;
    } private_keys[] = {
        {"keys/p256.encrypted.pem", GAMECRYPT_RESULT_KEY_REJECTED},
        {"keys/p256.sec1-encrypted.pem", GAMECRYPT_RESULT_KEY_REJECTED},
        {"keys/rsa1024.pkcs8.pem", GAMECRYPT_RESULT_KEY_REJECTED},
        {"keys/secp256k1.pkcs8.pem", GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM},
        {"keys/secp256k1.sec1.pem", GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM},
        {"keys/p521.pkcs8.pem", GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM},
        {"keys/x25519.pkcs8.pem", GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM},
        {"keys/p256.sec1-explicit.pem", GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM},
        /* A public key is not a private key. */
        {"keys/p256.spki.pem", GAMECRYPT_RESULT_PEM_MALFORMED},
        {"keys/p256.spki.der", GAMECRYPT_RESULT_KEY_MALFORMED},
    };
    for (size_t i = 0; i < sizeof private_keys / sizeof private_keys[0]; i++) {
        size_t len;
        uint8_t *data = read_fixture(private_keys[i].file, &len);
        if (data == NULL) {
            continue;
        }
        gamecrypt_signing_key *key = SENTINEL(gamecrypt_signing_key);
        gamecrypt_result rc = ends_with(private_keys[i].file, ".pem")
                                  ? gamecrypt_signing_key_from_pem((const char *)data, len, &key)
                                  : gamecrypt_signing_key_from_der(data, len, &key);
        if (rc != private_keys[i].expected) {
            fprintf(stderr, "%s: got %s\n", private_keys[i].file,
                    gamecrypt_result_str((uint32_t)rc));
        }
        CHECK(rc == private_keys[i].expected);
        CHECK(key == SENTINEL(gamecrypt_signing_key));
        free(data);
    }
    static const struct {
        const char *file;
        gamecrypt_result expected;
    } public_keys[] = {
        {"keys/rsa1024.spki.pem", GAMECRYPT_RESULT_KEY_REJECTED},
        {"keys/rsa1024.spki.der", GAMECRYPT_RESULT_KEY_REJECTED},
        {"keys/secp256k1.spki.pem", GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM},
        {"keys/x25519.spki.pem", GAMECRYPT_RESULT_UNSUPPORTED_ALGORITHM},
        /* A private key is not a public key. */
        {"keys/p256.pkcs8.pem", GAMECRYPT_RESULT_PEM_MALFORMED},
        {"keys/p256.pkcs8.der", GAMECRYPT_RESULT_KEY_MALFORMED},
    };
    for (size_t i = 0; i < sizeof public_keys / sizeof public_keys[0]; i++) {
        size_t len;
        uint8_t *data = read_fixture(public_keys[i].file, &len);
        if (data == NULL) {
            continue;
        }
        gamecrypt_public_key *key = SENTINEL(gamecrypt_public_key);
        gamecrypt_result rc = ends_with(public_keys[i].file, ".pem")
                                  ? gamecrypt_public_key_from_pem((const char *)data, len, &key)
                                  : gamecrypt_public_key_from_spki_der(data, len, &key);
        if (rc != public_keys[i].expected) {
            fprintf(stderr, "%s: got %s\n", public_keys[i].file,
                    gamecrypt_result_str((uint32_t)rc));
        }
        CHECK(rc == public_keys[i].expected);
        CHECK(key == SENTINEL(gamecrypt_public_key));
        free(data);
    }
}

/* A private key whose embedded public key is not its own is KEY_MALFORMED. */
static void test_embedded_public_key_mismatch(void) {
    gamecrypt_signing_key *other = generate(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    gamecrypt_public_key *other_pk = public_of(other);
    uint8_t other_point[65];
    size_t len = 0;
    CHECK_OK(gamecrypt_public_key_to_raw(other_pk, other_point, sizeof other_point, &len));
    /* openssl's SEC1 and PKCS#8 P-256 keys end with the public point (BIT STRING in [1]). */
    const char *files[] = {"keys/p256.sec1.der", "keys/p256.pkcs8.der"};
    for (size_t i = 0; i < 2; i++) {
        size_t der_len;
        uint8_t *der = read_fixture(files[i], &der_len);
        if (der == NULL) {
            continue;
        }
        gamecrypt_signing_key *key = NULL;
        CHECK_OK(gamecrypt_signing_key_from_der(der, der_len, &key));
        gamecrypt_signing_key_free(key);
        CHECK(der[der_len - 65] == 0x04);
        memcpy(der + der_len - 65, other_point, 65);
        key = SENTINEL(gamecrypt_signing_key);
        CHECK_RC(gamecrypt_signing_key_from_der(der, der_len, &key), GAMECRYPT_RESULT_KEY_MALFORMED);
        CHECK(key == SENTINEL(gamecrypt_signing_key));
        free(der);
    }
    gamecrypt_public_key_free(other_pk);
    gamecrypt_signing_key_free(other);

    /* RFC 8410 section 10.3: PKCS#8 v2 with attributes and the public key 19bf...66e1. */
    static const char V2[] =
        "3072020101300506032b657004220420d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a8"
        "8f44755842a01f301d060a2a864886f70d01090914310f0c0d437572646c652043686169727381210019bf"
        "44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";
    uint8_t v2[128];
    size_t v2_len = hex_decode(V2, v2, sizeof v2);
    gamecrypt_signing_key *key = NULL;
    CHECK_OK(gamecrypt_signing_key_from_der(v2, v2_len, &key));
    gamecrypt_signing_key_free(key);
    v2[v2_len - 1] ^= 1;
    key = SENTINEL(gamecrypt_signing_key);
    CHECK_RC(gamecrypt_signing_key_from_der(v2, v2_len, &key), GAMECRYPT_RESULT_KEY_MALFORMED);
    CHECK(key == SENTINEL(gamecrypt_signing_key));
}

/* Malformed PEM and DER. */
static void test_bad_pem_and_der(void) {
    gamecrypt_signing_key *key = SENTINEL(gamecrypt_signing_key);
    gamecrypt_public_key *pk = SENTINEL(gamecrypt_public_key);
    const char *junk = "this is not a key";
    CHECK_RC(gamecrypt_signing_key_from_pem(junk, strlen(junk), &key),
             GAMECRYPT_RESULT_PEM_MALFORMED);
    CHECK_RC(gamecrypt_public_key_from_pem(junk, strlen(junk), &pk),
             GAMECRYPT_RESULT_PEM_MALFORMED);
    CHECK_RC(gamecrypt_signing_key_from_der(U8(junk), strlen(junk), &key),
             GAMECRYPT_RESULT_KEY_MALFORMED);
    CHECK_RC(gamecrypt_public_key_from_spki_der(U8(junk), strlen(junk), &pk),
             GAMECRYPT_RESULT_KEY_MALFORMED);
    /* (NULL, 0) is an empty input: not a key, but not a NULL error either. */
    CHECK_RC(gamecrypt_signing_key_from_pem(NULL, 0, &key), GAMECRYPT_RESULT_PEM_MALFORMED);
    CHECK_RC(gamecrypt_public_key_from_pem(NULL, 0, &pk), GAMECRYPT_RESULT_PEM_MALFORMED);
    CHECK_RC(gamecrypt_signing_key_from_der(NULL, 0, &key), GAMECRYPT_RESULT_KEY_MALFORMED);
    CHECK_RC(gamecrypt_public_key_from_spki_der(NULL, 0, &pk), GAMECRYPT_RESULT_KEY_MALFORMED);

    size_t len;
    char *pem = (char *)read_fixture("keys/p256.pkcs8.pem", &len);
    char *pub_pem = (char *)read_fixture("keys/p256.spki.pem", &len);
    if (pem != NULL && pub_pem != NULL) {
        size_t pem_len = strlen(pem);
        char *copy = malloc(pem_len + 64);
        /* No END line. */
        memcpy(copy, pem, pem_len + 1);
        char *end = strstr(copy, "-----END");
        *end = '\0';
        CHECK_RC(gamecrypt_signing_key_from_pem(copy, strlen(copy), &key),
                 GAMECRYPT_RESULT_PEM_MALFORMED);
        /* Bad base64. */
        memcpy(copy, pem, pem_len + 1);
        copy[40] = '!';
        CHECK_RC(gamecrypt_signing_key_from_pem(copy, pem_len, &key),
                 GAMECRYPT_RESULT_PEM_MALFORMED);
        /* Cut in the middle of the base64 (the END line kept): not a key any more. */
        memcpy(copy, pem, pem_len + 1);
        end = strstr(copy, "-----END");
        memmove(copy + 60, end, strlen(end) + 1);
        gamecrypt_result rc = gamecrypt_signing_key_from_pem(copy, strlen(copy), &key);
        CHECK(rc == GAMECRYPT_RESULT_PEM_MALFORMED || rc == GAMECRYPT_RESULT_KEY_MALFORMED);
        /* The label says SEC1 but the content is PKCS#8. */
        memcpy(copy, pem, pem_len + 1);
        char relabeled[1024];
        const char *body = copy + strlen("-----BEGIN PRIVATE KEY-----");
        char *body_end = strstr(copy, "-----END PRIVATE KEY-----");
        *body_end = '\0';
        snprintf(relabeled, sizeof relabeled,
                 "-----BEGIN EC PRIVATE KEY-----%s-----END EC PRIVATE KEY-----\n", body);
        CHECK_RC(gamecrypt_signing_key_from_pem(relabeled, strlen(relabeled), &key),
                 GAMECRYPT_RESULT_KEY_MALFORMED);
        /* A truncated length: the END line is cut off. */
        CHECK_RC(gamecrypt_signing_key_from_pem(pem, pem_len - 10, &key),
                 GAMECRYPT_RESULT_PEM_MALFORMED);
        CHECK(key == SENTINEL(gamecrypt_signing_key));
        CHECK(pk == SENTINEL(gamecrypt_public_key));

        /* Accepted variations: a terminating NUL inside pem_len, text around the block, CRLF. */
        gamecrypt_signing_key *ok = NULL;
        CHECK_OK(gamecrypt_signing_key_from_pem(pem, pem_len + 1, &ok));
        gamecrypt_signing_key_free(ok);
        char *wrapped = malloc(2 * pem_len + 256);
        int n = sprintf(wrapped, "Key for the DLC server\n%s%strailing notes\n", pub_pem, pem);
        ok = NULL;
        CHECK_OK(gamecrypt_signing_key_from_pem(wrapped, (size_t)n, &ok));
        gamecrypt_signing_key_free(ok);
        gamecrypt_public_key *ok_pk = NULL;
        CHECK_OK(gamecrypt_public_key_from_pem(wrapped, (size_t)n, &ok_pk));
        CHECK(spki_equals_fixture(ok_pk, "keys/p256.spki.der"));
        gamecrypt_public_key_free(ok_pk);
        size_t j = 0;
        for (size_t i = 0; i < pem_len; i++) {
            if (pem[i] == '\n') {
                wrapped[j++] = '\r';
            }
            wrapped[j++] = pem[i];
        }
        ok = NULL;
        CHECK_OK(gamecrypt_signing_key_from_pem(wrapped, j, &ok));
        gamecrypt_signing_key_free(ok);
        free(wrapped);
        free(copy);

        /* Truncated DER. */
        uint8_t *der = read_fixture("keys/p256.pkcs8.der", &len);
        if (der != NULL) {
            CHECK_RC(gamecrypt_signing_key_from_der(der, len - 1, &key),
                     GAMECRYPT_RESULT_KEY_MALFORMED);
            CHECK_RC(gamecrypt_signing_key_from_der(der, len / 2, &key),
                     GAMECRYPT_RESULT_KEY_MALFORMED);
            /* A trailing byte after the DER (read_fixture puts a 0 there). */
            CHECK_RC(gamecrypt_signing_key_from_der(der, len + 1, &key),
                     GAMECRYPT_RESULT_KEY_MALFORMED);
            free(der);
        }
        uint8_t *spki = read_fixture("keys/p256.spki.der", &len);
        if (spki != NULL) {
            CHECK_RC(gamecrypt_public_key_from_spki_der(spki, len - 1, &pk),
                     GAMECRYPT_RESULT_KEY_MALFORMED);
            CHECK_RC(gamecrypt_public_key_from_spki_der(spki, len + 1, &pk),
                     GAMECRYPT_RESULT_KEY_MALFORMED);
            spki[len - 1] ^= 1; /* the point is no longer on the curve */
            CHECK_RC(gamecrypt_public_key_from_spki_der(spki, len, &pk),
                     GAMECRYPT_RESULT_KEY_MALFORMED);
            free(spki);
        }
        CHECK(key == SENTINEL(gamecrypt_signing_key));
        CHECK(pk == SENTINEL(gamecrypt_public_key));
    }
    free(pem);
    free(pub_pem);

    /* PEM text over 1 MiB. */
    size_t big_len = (1u << 20) + 1;
    char *big = malloc(big_len);
    if (big != NULL) {
        memset(big, 'A', big_len);
        CHECK_RC(gamecrypt_signing_key_from_pem(big, big_len, &key),
                 GAMECRYPT_RESULT_INVALID_LENGTH);
        CHECK_RC(gamecrypt_public_key_from_pem(big, big_len, &pk),
                 GAMECRYPT_RESULT_INVALID_LENGTH);
        free(big);
    }
    CHECK(key == SENTINEL(gamecrypt_signing_key));
    CHECK(pk == SENTINEL(gamecrypt_public_key));
}

/* A signature format that does not fit the key is WRONG_KEY_TYPE (not SIGNATURE_INVALID);
 * an unknown one is INVALID_ARGUMENT. Nothing is written. */
static void test_wrong_key_type_and_unknown_format(void) {
    gamecrypt_signing_key *ed = generate(GAMECRYPT_KEY_TYPE_ED25519);
    gamecrypt_signing_key *ec = generate(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    gamecrypt_signing_key *rsa = load_signing("keys/rsa2048.pkcs8.pem");
    gamecrypt_public_key *ed_pk = public_of(ed);
    gamecrypt_public_key *ec_pk = public_of(ec);
    gamecrypt_public_key *rsa_pk = public_of(rsa);
    uint8_t sig[GAMECRYPT_MAX_SIGNATURE_LEN];
    size_t len = 777;
    const struct {
        const gamecrypt_signing_key *key;
        const gamecrypt_public_key *pk;
        gamecrypt_signature_format format;
    } wrong[] = {
        {ed, ed_pk, GAMECRYPT_SIGNATURE_ECDSA_DER},
        {ed, ed_pk, GAMECRYPT_SIGNATURE_ECDSA_FIXED},
        {ed, ed_pk, GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256},
        {ed, ed_pk, GAMECRYPT_SIGNATURE_RSA_PSS_SHA256},
        {ec, ec_pk, GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256},
        {ec, ec_pk, GAMECRYPT_SIGNATURE_RSA_PSS_SHA256},
        {rsa, rsa_pk, GAMECRYPT_SIGNATURE_ECDSA_DER},
        {rsa, rsa_pk, GAMECRYPT_SIGNATURE_ECDSA_FIXED},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        memset(sig, CANARY, sizeof sig);
        len = 777;
        CHECK_RC(gamecrypt_signing_key_sign(wrong[i].key, U8("m"), 1, wrong[i].format, sig,
                                            sizeof sig, &len),
                 GAMECRYPT_RESULT_WRONG_KEY_TYPE);
        CHECK(len == 777 && all_bytes_are(sig, sizeof sig, CANARY));
        CHECK_RC(gamecrypt_public_key_verify(wrong[i].pk, U8("m"), 1, sig, 64, wrong[i].format),
                 GAMECRYPT_RESULT_WRONG_KEY_TYPE);
        CHECK_RC(gamecrypt_signing_key_max_signature_len(wrong[i].key, wrong[i].format, &len),
                 GAMECRYPT_RESULT_WRONG_KEY_TYPE);
        CHECK(len == 777);
    }
    const gamecrypt_signature_format unknown[] = {5, 99, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        memset(sig, CANARY, sizeof sig);
        CHECK_RC(gamecrypt_signing_key_sign(ec, U8("m"), 1, unknown[i], sig, sizeof sig, &len),
                 GAMECRYPT_RESULT_INVALID_ARGUMENT);
        CHECK(all_bytes_are(sig, sizeof sig, CANARY));
        CHECK_RC(gamecrypt_public_key_verify(ec_pk, U8("m"), 1, sig, 64, unknown[i]),
                 GAMECRYPT_RESULT_INVALID_ARGUMENT);
        CHECK_RC(gamecrypt_signing_key_max_signature_len(ec, unknown[i], &len),
                 GAMECRYPT_RESULT_INVALID_ARGUMENT);
    }
    /* A signature of one key type checked by a key of another type. */
    CHECK_OK(gamecrypt_signing_key_sign(ed, U8("m"), 1, GAMECRYPT_SIGNATURE_DEFAULT, sig,
                                        sizeof sig, &len));
    CHECK_RC(gamecrypt_public_key_verify(ec_pk, U8("m"), 1, sig, len,
                                         GAMECRYPT_SIGNATURE_ECDSA_FIXED),
             GAMECRYPT_RESULT_SIGNATURE_INVALID);
    gamecrypt_public_key_free(ed_pk);
    gamecrypt_public_key_free(ec_pk);
    gamecrypt_public_key_free(rsa_pk);
    gamecrypt_signing_key_free(ed);
    gamecrypt_signing_key_free(ec);
    gamecrypt_signing_key_free(rsa);
}

typedef gamecrypt_result (*public_export_fn)(const gamecrypt_public_key *, uint8_t *, size_t,
                                             size_t *);

static gamecrypt_result public_to_pem(const gamecrypt_public_key *key, uint8_t *out,
                                      size_t out_cap, size_t *out_len) {
    return gamecrypt_public_key_to_pem(key, (char *)out, out_cap, out_len);
}

typedef gamecrypt_result (*private_export_fn)(const gamecrypt_signing_key *, uint8_t *, size_t,
                                              size_t *);

static gamecrypt_result private_to_pem(const gamecrypt_signing_key *key, uint8_t *out,
                                       size_t out_cap, size_t *out_len) {
    return gamecrypt_signing_key_to_pkcs8_pem(key, (char *)out, out_cap, out_len);
}

/* (out, out_cap, out_len) outputs: size query, one byte short (needed length, buffer
 * untouched), exact size. */
static void test_output_buffers(void) {
    gamecrypt_signing_key *key = load_signing("keys/p256.pkcs8.pem");
    gamecrypt_public_key *pk = public_of(key);
    uint8_t buf[2048];
    size_t len;

    const struct {
        const char *name;
        public_export_fn fn;
        const char *fixture;
    } public_exports[] = {
        {"spki", gamecrypt_public_key_to_spki_der, "keys/p256.spki.der"},
        {"pem", public_to_pem, "keys/p256.spki.pem"},
        {"raw", gamecrypt_public_key_to_raw, NULL},
        {"compressed", gamecrypt_public_key_to_raw_compressed, NULL},
    };
    for (size_t i = 0; i < sizeof public_exports / sizeof public_exports[0]; i++) {
        size_t needed = 0;
        CHECK_RC(public_exports[i].fn(pk, NULL, 0, &needed), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        if (public_exports[i].fixture != NULL) {
            size_t fixture_len;
            uint8_t *fixture = read_fixture(public_exports[i].fixture, &fixture_len);
            CHECK(needed == fixture_len);
            free(fixture);
        }
        CHECK(needed > 0 && needed < sizeof buf);
        memset(buf, CANARY, sizeof buf);
        len = 0;
        CHECK_RC(public_exports[i].fn(pk, buf, needed - 1, &len),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(len == needed);
        CHECK(all_bytes_are(buf, sizeof buf, CANARY));
        len = 0;
        CHECK_OK(public_exports[i].fn(pk, buf, needed, &len));
        CHECK(len == needed);
        CHECK(all_bytes_are(buf + needed, sizeof buf - needed, CANARY));
        /* NULL out with a capacity, NULL out_len. */
        CHECK_RC(public_exports[i].fn(pk, NULL, needed, &len), GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(public_exports[i].fn(pk, buf, sizeof buf, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(public_exports[i].fn(NULL, buf, sizeof buf, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
    }
    CHECK(gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P256) == 65);

    const struct {
        const char *name;
        private_export_fn fn;
    } private_exports[] = {
        {"pkcs8 der", gamecrypt_signing_key_to_pkcs8_der},
        {"pkcs8 pem", private_to_pem},
    };
    for (size_t i = 0; i < sizeof private_exports / sizeof private_exports[0]; i++) {
        size_t needed = 0;
        CHECK_RC(private_exports[i].fn(key, NULL, 0, &needed), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(needed > 0 && needed < sizeof buf);
        memset(buf, CANARY, sizeof buf);
        len = 0;
        CHECK_RC(private_exports[i].fn(key, buf, needed - 1, &len),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(len == needed);
        CHECK(all_bytes_are(buf, sizeof buf, CANARY));
        CHECK_OK(private_exports[i].fn(key, buf, needed, &len));
        CHECK(len == needed);
        CHECK_RC(private_exports[i].fn(key, NULL, needed, &len), GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(private_exports[i].fn(key, buf, sizeof buf, NULL),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(private_exports[i].fn(NULL, buf, sizeof buf, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
    }

    /* Sign: the capacity needed is the maximum, even though a DER signature is shorter. */
    size_t needed = 0;
    CHECK_RC(gamecrypt_signing_key_sign(key, U8("m"), 1, GAMECRYPT_SIGNATURE_DEFAULT, NULL, 0,
                                        &needed),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN);
    memset(buf, CANARY, sizeof buf);
    len = 0;
    CHECK_RC(gamecrypt_signing_key_sign(key, U8("m"), 1, GAMECRYPT_SIGNATURE_DEFAULT, buf,
                                        needed - 1, &len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == needed && all_bytes_are(buf, sizeof buf, CANARY));
    CHECK_RC(gamecrypt_signing_key_sign(key, U8("m"), 1, GAMECRYPT_SIGNATURE_ECDSA_FIXED, buf, 63,
                                        &len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == 64 && all_bytes_are(buf, sizeof buf, CANARY));
    CHECK_OK(gamecrypt_signing_key_sign(key, U8("m"), 1, GAMECRYPT_SIGNATURE_ECDSA_FIXED, buf, 64,
                                        &len));
    CHECK(len == 64);

    /* Sign: the output must not overlap the message. */
    uint8_t overlap[256];
    memset(overlap, 7, sizeof overlap);
    CHECK_RC(gamecrypt_signing_key_sign(key, overlap, 100, GAMECRYPT_SIGNATURE_DEFAULT,
                                        overlap + 50, 100, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_signing_key_sign(key, overlap, 100, GAMECRYPT_SIGNATURE_DEFAULT,
                                        overlap + 100, 100, &len));

    /* Fingerprint: a fixed 32-byte output without out_len. */
    uint8_t fp[GAMECRYPT_FINGERPRINT_LEN + 1];
    memset(fp, CANARY, sizeof fp);
    CHECK_RC(gamecrypt_public_key_fingerprint(pk, fp, 31), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK_RC(gamecrypt_public_key_fingerprint(pk, fp, 0), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(all_bytes_are(fp, sizeof fp, CANARY));
    CHECK_OK(gamecrypt_public_key_fingerprint(pk, fp, sizeof fp));
    CHECK(fp[32] == CANARY);

    gamecrypt_public_key_free(pk);
    gamecrypt_signing_key_free(key);
}

/* Each pointer argument of each key function, given NULL. */
static void test_null_arguments(void) {
    gamecrypt_signing_key *key = generate(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    gamecrypt_public_key *pk = public_of(key);
    gamecrypt_signing_key *out_key = SENTINEL(gamecrypt_signing_key);
    gamecrypt_public_key *out_pk = SENTINEL(gamecrypt_public_key);
    uint8_t buf[256];
    size_t len = 0;
    gamecrypt_key_type type = 0;
    size_t der_len;
    uint8_t *der = read_fixture("keys/p256.pkcs8.der", &der_len);
    size_t pem_len;
    char *pem = (char *)read_fixture("keys/p256.pkcs8.pem", &pem_len);
    size_t spki_len;
    uint8_t *spki = read_fixture("keys/p256.spki.der", &spki_len);
    size_t pub_pem_len;
    char *pub_pem = (char *)read_fixture("keys/p256.spki.pem", &pub_pem_len);
    if (der == NULL || pem == NULL || spki == NULL || pub_pem == NULL) {
        spki_len = 0; /* a failed check was counted; run what does not need the fixtures */
    }

    CHECK_RC(gamecrypt_signing_key_from_der(NULL, der_len, &out_key),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_from_der(der, der_len, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_from_pem(NULL, pem_len, &out_key),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_from_pem(pem, pem_len, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK(out_key == SENTINEL(gamecrypt_signing_key));
    CHECK_RC(gamecrypt_signing_key_public_key(NULL, &out_pk), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_public_key(key, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_type(NULL, &type), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_type(key, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK(type == 0);
    CHECK_RC(gamecrypt_signing_key_max_signature_len(NULL, GAMECRYPT_SIGNATURE_DEFAULT, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_max_signature_len(key, GAMECRYPT_SIGNATURE_DEFAULT, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_sign(NULL, U8("m"), 1, 0, buf, sizeof buf, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_sign(key, NULL, 1, 0, buf, sizeof buf, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_sign(key, U8("m"), 1, 0, NULL, sizeof buf, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_signing_key_sign(key, U8("m"), 1, 0, buf, sizeof buf, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);

    CHECK_RC(gamecrypt_public_key_from_spki_der(NULL, spki_len, &out_pk),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_from_spki_der(spki, spki_len, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_from_pem(NULL, pub_pem_len, &out_pk),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_from_pem(pub_pem, pub_pem_len, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_from_raw(GAMECRYPT_KEY_TYPE_ECDSA_P256, NULL, 65, &out_pk),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    uint8_t point[65] = {0x04};
    if (spki_len >= 65) {
        memcpy(point, spki + spki_len - 65, 65);
    }
    CHECK_RC(gamecrypt_public_key_from_raw(GAMECRYPT_KEY_TYPE_ECDSA_P256, point, 65, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK(out_pk == SENTINEL(gamecrypt_public_key));
    CHECK_RC(gamecrypt_public_key_fingerprint(NULL, buf, 32), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_fingerprint(pk, NULL, 32), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_type(NULL, &type), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_type(pk, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    uint8_t sig[72];
    size_t sig_len = 0;
    CHECK_OK(gamecrypt_signing_key_sign(key, U8("m"), 1, 0, sig, sizeof sig, &sig_len));
    CHECK_RC(gamecrypt_public_key_verify(NULL, U8("m"), 1, sig, sig_len, 0),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_verify(pk, NULL, 1, sig, sig_len, 0),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_public_key_verify(pk, U8("m"), 1, NULL, sig_len, 0),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_OK(gamecrypt_public_key_verify(pk, U8("m"), 1, sig, sig_len, 0));

    /* Freeing NULL is fine. */
    gamecrypt_signing_key_free(NULL);
    gamecrypt_public_key_free(NULL);

    free(der);
    free(pem);
    free(spki);
    free(pub_pem);
    gamecrypt_public_key_free(pk);
    gamecrypt_signing_key_free(key);
}

int main(void) {
    test_sizes();
    test_generate_sign_verify();
    test_export_import_round_trip();
    test_ed25519_rfc8032();
    test_openssl_private_keys();
    test_openssl_public_keys_and_signatures();
    test_raw_forms();
    test_rejected_keys();
    test_embedded_public_key_mismatch();
    test_bad_pem_and_der();
    test_wrong_key_type_and_unknown_format();
    test_output_buffers();
    test_null_arguments();
    return check_report("c keys");
}
