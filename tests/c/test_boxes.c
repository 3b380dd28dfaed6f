/* AEAD keys, sealed boxes, password boxes and raw AEAD through the C ABI.
 *
 * Independent references: the AES-256-GCM test case 16 of the GCM specification (McGrew and
 * Viega), the ChaCha20-Poly1305 example of RFC 8439 section 2.8.2, and boxes built by hand in
 * Python (`cryptography` + hashlib) from the layout in docs/FORMATS.md, which gamecrypt must
 * open. Boxes gamecrypt seals are in turn taken apart by hand here, following the same
 * document, and opened with the raw AEAD functions. */
#include "check.h"

#define U8(s) ((const uint8_t *)(s))

/* Boxes made in Python from docs/FORMATS.md: key = 00 01 .. 1f, nonce = 00 01 .. 0b,
 * plaintext "saved game: level 7, 3 lives", associated data "slot-1". */
static const char PT[] = "saved game: level 7, 3 lives";
static const char AD[] = "slot-1";
static const char PY_KEY_BOX_AES[] =
    "4743425801010100000102030405060708090a0b3463a07ea1c5a57ae024adabdd8c0e08eff6b018d0487f10"
    "511180f6cf88815d94cc9e1285b476f443c408ab";
static const char PY_KEY_BOX_CHACHA[] =
    "4743425801010200000102030405060708090a0bfa9a7e654d37c221dae605d3f4787806a55085cb71478dd5"
    "8fe14ab6cca0172786ad0c117ccdcad30bd13e93";
/* Password boxes: password "correct horse battery staple", 1000 iterations,
 * salt = 10 11 .. 1f, same nonce, plaintext and associated data. */
static const char PASSWORD[] = "correct horse battery staple";
static const char PY_PASSWORD_BOX_AES[] =
    "4743425801020100000003e8101112131415161718191a1b1c1d1e1f000102030405060708090a0be32ea1fd"
    "622fb4cf1644a8dc1229ee526ff84dd974cab16c5c1ba3b3832d61cfa475fa8582c838ce6c54d945";
static const char PY_PASSWORD_BOX_CHACHA[] =
    "4743425801020200000003e8101112131415161718191a1b1c1d1e1f000102030405060708090a0b7799f342"
    "944f1584d456824323ec99d41461cc4ea59196e807bf8a472e7f2a98201b4105647f29fa555b2244";

/* Few iterations keep the tests fast under valgrind; real saves use the recommended count. */
#define TEST_ITERATIONS 1000u

static gamecrypt_aead_key *key_from_bytes(gamecrypt_aead alg, const uint8_t *bytes) {
    gamecrypt_aead_key *key = NULL;
    CHECK_OK(gamecrypt_aead_key_from_bytes(alg, bytes, GAMECRYPT_AEAD_KEY_LEN, &key));
    CHECK(key != NULL);
    return key;
}

static gamecrypt_aead_key *test_key(gamecrypt_aead alg) {
    uint8_t bytes[32];
    for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (uint8_t)i;
    return key_from_bytes(alg, bytes);
}

static void test_sizes(void) {
    CHECK(gamecrypt_aead_key_len() == GAMECRYPT_AEAD_KEY_LEN && GAMECRYPT_AEAD_KEY_LEN == 32);
    CHECK(gamecrypt_aead_nonce_len() == GAMECRYPT_AEAD_NONCE_LEN && GAMECRYPT_AEAD_NONCE_LEN == 12);
    CHECK(gamecrypt_aead_tag_len() == GAMECRYPT_AEAD_TAG_LEN && GAMECRYPT_AEAD_TAG_LEN == 16);
    /* FORMATS.md: 8-byte header + nonce + tag; 28-byte header + nonce + tag. */
    CHECK(gamecrypt_box_overhead() == GAMECRYPT_BOX_OVERHEAD && GAMECRYPT_BOX_OVERHEAD == 8 + 12 + 16);
    CHECK(gamecrypt_password_box_overhead() == GAMECRYPT_PASSWORD_BOX_OVERHEAD &&
          GAMECRYPT_PASSWORD_BOX_OVERHEAD == 28 + 12 + 16);
    CHECK(gamecrypt_password_salt_len() == GAMECRYPT_PASSWORD_SALT_LEN &&
          GAMECRYPT_PASSWORD_SALT_LEN == 16);
    CHECK(gamecrypt_password_box_max_iterations() == GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS &&
          GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS == 10000000u);
}

static void test_aead_keys(void) {
    uint8_t bytes[33];
    for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (uint8_t)i;
    gamecrypt_aead_key *aes = key_from_bytes(GAMECRYPT_AEAD_AES_256_GCM, bytes);
    gamecrypt_aead_key *chacha = key_from_bytes(GAMECRYPT_AEAD_CHACHA20_POLY1305, bytes);
    CHECK(gamecrypt_aead_key_algorithm(aes) == GAMECRYPT_AEAD_AES_256_GCM);
    CHECK(gamecrypt_aead_key_algorithm(chacha) == GAMECRYPT_AEAD_CHACHA20_POLY1305);
    CHECK(gamecrypt_aead_key_algorithm(NULL) == 0);
    gamecrypt_aead_key_free(aes);
    gamecrypt_aead_key_free(chacha);

    /* Bad arguments: nothing written. */
    gamecrypt_aead_key *untouched = SENTINEL(gamecrypt_aead_key);
    CHECK_RC(gamecrypt_aead_key_from_bytes(GAMECRYPT_AEAD_AES_256_GCM, bytes, 31, &untouched),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_aead_key_from_bytes(GAMECRYPT_AEAD_AES_256_GCM, bytes, 33, &untouched),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_aead_key_from_bytes(GAMECRYPT_AEAD_AES_256_GCM, NULL, 0, &untouched),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_aead_key_from_bytes(GAMECRYPT_AEAD_AES_256_GCM, NULL, 32, &untouched),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_from_bytes(0, bytes, 32, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_from_bytes(3, bytes, 32, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_from_bytes(0xFFFFFFFFu, bytes, 32, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_generate(0, &untouched), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_generate(3, &untouched), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(untouched == SENTINEL(gamecrypt_aead_key));
    CHECK_RC(gamecrypt_aead_key_from_bytes(GAMECRYPT_AEAD_AES_256_GCM, bytes, 32, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_generate(GAMECRYPT_AEAD_AES_256_GCM, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);

    /* Generated keys: right algorithm, and two of them are different keys. */
    for (gamecrypt_aead alg = GAMECRYPT_AEAD_AES_256_GCM; alg <= GAMECRYPT_AEAD_CHACHA20_POLY1305;
         alg++) {
        gamecrypt_aead_key *a = NULL, *b = NULL;
        CHECK_OK(gamecrypt_aead_key_generate(alg, &a));
        CHECK_OK(gamecrypt_aead_key_generate(alg, &b));
        CHECK(gamecrypt_aead_key_algorithm(a) == alg);
        uint8_t box[64], out[64];
        size_t box_len = 0, len = 0;
        CHECK_OK(gamecrypt_aead_key_seal(a, U8("cache"), 5, NULL, 0, box, sizeof box, &box_len));
        CHECK_OK(gamecrypt_aead_key_open(a, box, box_len, NULL, 0, out, sizeof out, &len));
        CHECK(len == 5 && memcmp(out, "cache", 5) == 0);
        CHECK_RC(gamecrypt_aead_key_open(b, box, box_len, NULL, 0, out, sizeof out, &len),
                 GAMECRYPT_RESULT_OPEN_FAILED);
        gamecrypt_aead_key_free(a);
        gamecrypt_aead_key_free(b);
    }

    /* The key bytes are copied: wiping the caller's copy changes nothing. */
    uint8_t wiped[32];
    for (size_t i = 0; i < sizeof wiped; i++) wiped[i] = (uint8_t)i;
    gamecrypt_aead_key *key = key_from_bytes(GAMECRYPT_AEAD_AES_256_GCM, wiped);
    memset(wiped, 0, sizeof wiped);
    uint8_t box[sizeof PY_KEY_BOX_AES / 2], out[64];
    size_t box_len = hex_decode(PY_KEY_BOX_AES, box, sizeof box), len = 0;
    CHECK_OK(gamecrypt_aead_key_open(key, box, box_len, U8(AD), strlen(AD), out, sizeof out, &len));
    gamecrypt_aead_key_free(key);

    gamecrypt_aead_key_free(NULL);
}

/* Raw AEAD against published vectors. */
static void test_raw_aead_vectors(void) {
    static const struct {
        gamecrypt_aead alg;
        const char *key, *nonce, *ad, *plaintext, *sealed;
    } vectors[] = {
        /* GCM specification, test case 16 (AES-256). */
        {GAMECRYPT_AEAD_AES_256_GCM,
         "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
         "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
         "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
         "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
         "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
         "76fc6ece0f4e1768cddf8853bb2d551b"},
        /* RFC 8439 section 2.8.2. */
        {GAMECRYPT_AEAD_CHACHA20_POLY1305,
         "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
         "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
         /* "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for
          * the future, sunscreen would be it." */
         "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
         "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
         "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
         "637265656e20776f756c642062652069742e",
         "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
         "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
         "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
         "3ff4def08e4b7a9de576d26586cec64b6116"
         "1ae10b594f09e26a7e902ecbd0600691"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        uint8_t key_bytes[32], nonce[12], ad[32], pt[128], sealed[160], out[160];
        hex_decode(vectors[i].key, key_bytes, sizeof key_bytes);
        hex_decode(vectors[i].nonce, nonce, sizeof nonce);
        size_t ad_len = hex_decode(vectors[i].ad, ad, sizeof ad);
        size_t pt_len = hex_decode(vectors[i].plaintext, pt, sizeof pt);
        size_t sealed_len = hex_decode(vectors[i].sealed, sealed, sizeof sealed);
        CHECK(sealed_len == pt_len + GAMECRYPT_AEAD_TAG_LEN);
        gamecrypt_aead_key *key = key_from_bytes(vectors[i].alg, key_bytes);
        size_t len = 0;

        /* Seal gives the published ciphertext and tag. */
        memset(out, CANARY, sizeof out);
        CHECK_OK(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 12, ad, ad_len, pt,
                                                              pt_len, out, sizeof out, &len));
        CHECK(len == sealed_len && memcmp(out, sealed, sealed_len) == 0);
        CHECK(all_bytes_are(out + len, sizeof out - len, CANARY));
        /* Open gives the plaintext back. */
        memset(out, CANARY, sizeof out);
        CHECK_OK(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, sealed_len,
                                                    out, sizeof out, &len));
        CHECK(len == pt_len && memcmp(out, pt, pt_len) == 0);

        /* Size queries. */
        size_t needed = 0;
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 12, ad, ad_len, pt,
                                                              pt_len, NULL, 0, &needed),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(needed == sealed_len);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, sealed_len,
                                                    NULL, 0, &needed),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(needed == pt_len);
        /* One byte short: the needed length, nothing written. */
        memset(out, CANARY, sizeof out);
        len = 0;
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 12, ad, ad_len, pt,
                                                              pt_len, out, sealed_len - 1, &len),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(len == sealed_len && all_bytes_are(out, sizeof out, CANARY));
        len = 0;
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, sealed_len,
                                                    out, pt_len - 1, &len),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(len == pt_len && all_bytes_are(out, sizeof out, CANARY));

        /* Everything that must not open: no plaintext is left (data that does not authenticate
         * was decrypted into `out` and wiped with zeros, as the header says), *out_len is not
         * written, nothing is written past the plaintext length. */
        len = 777;
        sealed[3] ^= 1; /* ciphertext */
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, sealed_len,
                                                    out, sizeof out, &len),
                 GAMECRYPT_RESULT_OPEN_FAILED);
        sealed[3] ^= 1;
        sealed[sealed_len - 1] ^= 1; /* tag */
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, sealed_len,
                                                    out, sizeof out, &len),
                 GAMECRYPT_RESULT_OPEN_FAILED);
        sealed[sealed_len - 1] ^= 1;
        nonce[0] ^= 1;
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, sealed_len,
                                                    out, sizeof out, &len),
                 GAMECRYPT_RESULT_OPEN_FAILED);
        nonce[0] ^= 1;
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len - 1, sealed,
                                                    sealed_len, out, sizeof out, &len),
                 GAMECRYPT_RESULT_OPEN_FAILED);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, NULL, 0, sealed, sealed_len,
                                                    out, sizeof out, &len),
                 GAMECRYPT_RESULT_OPEN_FAILED);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed,
                                                    sealed_len - 1, out, sizeof out, &len),
                 GAMECRYPT_RESULT_OPEN_FAILED);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, 15, out,
                                                    sizeof out, &len),
                 GAMECRYPT_RESULT_OPEN_FAILED); /* shorter than a tag */
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, NULL, 0, out,
                                                    sizeof out, &len),
                 GAMECRYPT_RESULT_OPEN_FAILED);
        CHECK(len == 777 && all_bytes_are(out, pt_len, 0) &&
              all_bytes_are(out + pt_len, sizeof out - pt_len, CANARY));
        memset(out, CANARY, sizeof out);

        /* Nonce length, NULLs, overlap: refused before anything is written. */
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 11, ad, ad_len, pt,
                                                              pt_len, out, sizeof out, &len),
                 GAMECRYPT_RESULT_INVALID_LENGTH);
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 13, ad, ad_len, pt,
                                                              pt_len, out, sizeof out, &len),
                 GAMECRYPT_RESULT_INVALID_LENGTH);
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, NULL, 0, ad, ad_len, pt, pt_len,
                                                              out, sizeof out, &len),
                 GAMECRYPT_RESULT_INVALID_LENGTH);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 11, ad, ad_len, sealed, sealed_len,
                                                    out, sizeof out, &len),
                 GAMECRYPT_RESULT_INVALID_LENGTH);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, NULL, 0, ad, ad_len, sealed, sealed_len,
                                                    out, sizeof out, &len),
                 GAMECRYPT_RESULT_INVALID_LENGTH);
        CHECK(len == 777 && all_bytes_are(out, sizeof out, CANARY));
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(NULL, nonce, 12, ad, ad_len, pt,
                                                              pt_len, out, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, NULL, 12, ad, ad_len, pt,
                                                              pt_len, out, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 12, NULL, ad_len, pt,
                                                              pt_len, out, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 12, ad, ad_len, NULL,
                                                              pt_len, out, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 12, ad, ad_len, pt,
                                                              pt_len, NULL, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 12, ad, ad_len, pt,
                                                              pt_len, out, sizeof out, NULL),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(NULL, nonce, 12, ad, ad_len, sealed,
                                                    sealed_len, out, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, NULL, 12, ad, ad_len, sealed, sealed_len,
                                                    out, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, NULL, ad_len, sealed,
                                                    sealed_len, out, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, NULL, sealed_len,
                                                    out, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, sealed_len,
                                                    NULL, sizeof out, &len),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, sealed_len,
                                                    out, sizeof out, NULL),
                 GAMECRYPT_RESULT_NULL_ARGUMENT);
        CHECK_RC(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, ad, ad_len, sealed, sealed_len,
                                                    sealed + 4, pt_len, &len),
                 GAMECRYPT_RESULT_INVALID_ARGUMENT); /* output overlaps the input */
        CHECK_RC(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 12, ad, ad_len, pt,
                                                              pt_len, pt, sizeof pt, &len),
                 GAMECRYPT_RESULT_INVALID_ARGUMENT);
        CHECK(len == 777);

        /* Empty plaintext and AD: just a tag, which opens to nothing. */
        CHECK_OK(gamecrypt_aead_key_seal_with_nonce_dangerous(key, nonce, 12, NULL, 0, NULL, 0,
                                                              out, sizeof out, &len));
        CHECK(len == 16);
        size_t empty_len = 777;
        CHECK_OK(gamecrypt_aead_key_open_with_nonce(key, nonce, 12, NULL, 0, out, 16, NULL, 0,
                                                    &empty_len));
        CHECK(empty_len == 0);
        gamecrypt_aead_key_free(key);
    }
}

/* Key boxes: round trips, the documented layout, and boxes built elsewhere. */
static void test_key_box_round_trip_and_format(void) {
    for (gamecrypt_aead alg = GAMECRYPT_AEAD_AES_256_GCM; alg <= GAMECRYPT_AEAD_CHACHA20_POLY1305;
         alg++) {
        gamecrypt_aead_key *key = test_key(alg);
        size_t pt_len = strlen(PT);
        uint8_t box[128], box2[128], out[128];
        size_t box_len = 0, box2_len = 0, len = 0;

        size_t needed = 0;
        CHECK_RC(gamecrypt_aead_key_seal(key, U8(PT), pt_len, U8(AD), strlen(AD), NULL, 0, &needed),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(needed == pt_len + GAMECRYPT_BOX_OVERHEAD);
        memset(box, CANARY, sizeof box);
        CHECK_OK(gamecrypt_aead_key_seal(key, U8(PT), pt_len, U8(AD), strlen(AD), box, needed,
                                         &box_len));
        CHECK(box_len == needed);
        CHECK(all_bytes_are(box + box_len, sizeof box - box_len, CANARY));

        /* The header, as FORMATS.md describes it. */
        CHECK(memcmp(box, "GCBX", 4) == 0);
        CHECK(box[4] == 1 && box[5] == 1 && box[6] == (uint8_t)alg && box[7] == 0);
        /* Opened by hand: nonce at 8, ciphertext||tag at 20, AD = header || caller's AD. */
        uint8_t full_ad[8 + sizeof AD];
        memcpy(full_ad, box, 8);
        memcpy(full_ad + 8, AD, strlen(AD));
        CHECK_OK(gamecrypt_aead_key_open_with_nonce(key, box + 8, 12, full_ad, 8 + strlen(AD),
                                                    box + 20, box_len - 20, out, sizeof out,
                                                    &len));
        CHECK(len == pt_len && memcmp(out, PT, pt_len) == 0);

        /* Normal open. */
        memset(out, CANARY, sizeof out);
        CHECK_OK(gamecrypt_aead_key_open(key, box, box_len, U8(AD), strlen(AD), out, sizeof out,
                                         &len));
        CHECK(len == pt_len && memcmp(out, PT, pt_len) == 0);
        CHECK(all_bytes_are(out + len, sizeof out - len, CANARY));

        /* A fresh random nonce each time: the same plaintext seals differently. */
        CHECK_OK(gamecrypt_aead_key_seal(key, U8(PT), pt_len, U8(AD), strlen(AD), box2,
                                         sizeof box2, &box2_len));
        CHECK(box2_len == box_len && memcmp(box + 8, box2 + 8, 12) != 0);
        CHECK(memcmp(box, box2, box_len) != 0);

        /* A box built by hand in Python opens. */
        uint8_t py_box[128];
        size_t py_len = hex_decode(alg == GAMECRYPT_AEAD_AES_256_GCM ? PY_KEY_BOX_AES
                                                                     : PY_KEY_BOX_CHACHA,
                                   py_box, sizeof py_box);
        CHECK_OK(gamecrypt_aead_key_open(key, py_box, py_len, U8(AD), strlen(AD), out, sizeof out,
                                         &len));
        CHECK(len == pt_len && memcmp(out, PT, pt_len) == 0);

        /* Empty plaintext, no AD: a 36-byte box, opened into (NULL, 0). */
        CHECK_OK(gamecrypt_aead_key_seal(key, NULL, 0, NULL, 0, box, sizeof box, &box_len));
        CHECK(box_len == GAMECRYPT_BOX_OVERHEAD);
        len = 777;
        CHECK_OK(gamecrypt_aead_key_open(key, box, box_len, NULL, 0, NULL, 0, &len));
        CHECK(len == 0);
        /* ... which is not the same as an empty AD given as a pointer with length 0. */
        CHECK_OK(gamecrypt_aead_key_open(key, box, box_len, U8(AD), 0, out, sizeof out, &len));
        CHECK(len == 0);

        /* A big save (1 MiB) in and out. */
        size_t big_len = 1u << 20;
        uint8_t *big = malloc(big_len), *big_box = malloc(big_len + GAMECRYPT_BOX_OVERHEAD),
                *big_out = malloc(big_len);
        if (big != NULL && big_box != NULL && big_out != NULL) {
            for (size_t i = 0; i < big_len; i++) big[i] = (uint8_t)(i * 31 + 7);
            CHECK_OK(gamecrypt_aead_key_seal(key, big, big_len, NULL, 0, big_box,
                                             big_len + GAMECRYPT_BOX_OVERHEAD, &len));
            CHECK(len == big_len + GAMECRYPT_BOX_OVERHEAD);
            CHECK_OK(gamecrypt_aead_key_open(key, big_box, len, NULL, 0, big_out, big_len, &len));
            CHECK(len == big_len && memcmp(big, big_out, big_len) == 0);
        }
        free(big);
        free(big_box);
        free(big_out);
        gamecrypt_aead_key_free(key);
    }
}

/* Everything that must not open a key box, with the code FORMATS.md gives, and without
 * writing the output. */
static void test_key_box_failures(void) {
    gamecrypt_aead_key *aes = test_key(GAMECRYPT_AEAD_AES_256_GCM);
    gamecrypt_aead_key *chacha = test_key(GAMECRYPT_AEAD_CHACHA20_POLY1305);
    gamecrypt_aead_key *other = NULL;
    CHECK_OK(gamecrypt_aead_key_generate(GAMECRYPT_AEAD_AES_256_GCM, &other));
    uint8_t box[128], out[128];
    size_t pt_len = strlen(PT), ad_len = strlen(AD);
    size_t box_len = hex_decode(PY_KEY_BOX_AES, box, sizeof box);
    size_t len = 777;
    memset(out, CANARY, sizeof out);

/* A box that does not authenticate (OPEN_FAILED) was decrypted into `out` and wiped with
 * zeros (the header's convention): no plaintext is left and nothing is written past the
 * plaintext length. Every other failure comes before `out` is touched. */
#define EXPECT_OPEN(key, b, b_len, ad, ad_len, expected)                                     \
    do {                                                                                      \
        CHECK_RC(gamecrypt_aead_key_open(key, b, b_len, ad, ad_len, out, sizeof out, &len),   \
                 expected);                                                                   \
        size_t wiped_ = (expected) == GAMECRYPT_RESULT_OPEN_FAILED                            \
                            ? (size_t)(b_len) - GAMECRYPT_BOX_OVERHEAD                        \
                            : 0;                                                              \
        CHECK(len == 777 && all_bytes_are(out, wiped_, 0) &&                                  \
              all_bytes_are(out + wiped_, sizeof out - wiped_, CANARY));                      \
        memset(out, CANARY, sizeof out);                                                      \
    } while (0)

    /* Wrong key, wrong AD, no AD, AD of another slot. */
    EXPECT_OPEN(other, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_OPEN_FAILED);
    EXPECT_OPEN(aes, box, box_len, U8("slot-2"), 6, GAMECRYPT_RESULT_OPEN_FAILED);
    EXPECT_OPEN(aes, box, box_len, NULL, 0, GAMECRYPT_RESULT_OPEN_FAILED);
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len - 1, GAMECRYPT_RESULT_OPEN_FAILED);

    /* Any changed byte of nonce, ciphertext or tag. */
    size_t flips[] = {8, 19, 20, 20 + pt_len / 2, 20 + pt_len - 1, 20 + pt_len, box_len - 1};
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        box[flips[i]] ^= 0x40;
        EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_OPEN_FAILED);
        box[flips[i]] ^= 0x40;
    }
    /* A removed or an added byte. */
    EXPECT_OPEN(aes, box, box_len - 1, U8(AD), ad_len, GAMECRYPT_RESULT_OPEN_FAILED);
    uint8_t longer[129];
    memcpy(longer, box, box_len);
    longer[box_len] = 0;
    EXPECT_OPEN(aes, longer, box_len + 1, U8(AD), ad_len, GAMECRYPT_RESULT_OPEN_FAILED);

    /* Header: magic, version, kind, algorithm, flags. */
    box[0] = 'X';
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_MALFORMED);
    box[0] = 'G';
    box[3] = 'Y';
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_MALFORMED);
    box[3] = 'X';
    box[4] = 2;
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    box[4] = 0;
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    box[4] = 1;
    box[5] = 3;
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    box[5] = 0;
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    box[5] = 1;
    box[6] = 3;
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    box[6] = 0;
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    box[6] = 1;
    box[7] = 1;
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    box[7] = 0;
    /* The algorithm byte changed to the other algorithm: refused by the AES key as a box of
     * the other algorithm, and by the ChaCha key because the header is authenticated. */
    box[6] = GAMECRYPT_AEAD_CHACHA20_POLY1305;
    EXPECT_OPEN(aes, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_KEY_MISMATCH);
    EXPECT_OPEN(chacha, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_OPEN_FAILED);
    box[6] = GAMECRYPT_AEAD_AES_256_GCM;
    /* An AES box given to a ChaCha key. */
    EXPECT_OPEN(chacha, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_KEY_MISMATCH);

    /* Truncated: shorter than the header, shorter than the overhead, empty. */
    EXPECT_OPEN(aes, box, 7, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_MALFORMED);
    EXPECT_OPEN(aes, box, GAMECRYPT_BOX_OVERHEAD - 1, U8(AD), ad_len,
                GAMECRYPT_RESULT_BOX_MALFORMED);
    EXPECT_OPEN(aes, NULL, 0, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_MALFORMED);

    /* A password box given to a key. */
    uint8_t pw_box[128];
    size_t pw_box_len = hex_decode(PY_PASSWORD_BOX_AES, pw_box, sizeof pw_box);
    EXPECT_OPEN(aes, pw_box, pw_box_len, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_KEY_MISMATCH);

    /* Still opens after all that (every change above was undone). */
    CHECK_OK(gamecrypt_aead_key_open(aes, box, box_len, U8(AD), ad_len, out, sizeof out, &len));
    CHECK(len == pt_len && memcmp(out, PT, pt_len) == 0);

    /* Too-small output: reported with the plaintext length before decrypting (even for a
     * box that would not authenticate), nothing written. */
    memset(out, CANARY, sizeof out);
    size_t needed = 0;
    CHECK_RC(gamecrypt_aead_key_open(aes, box, box_len, U8(AD), ad_len, NULL, 0, &needed),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == pt_len);
    len = 0;
    CHECK_RC(gamecrypt_aead_key_open(aes, box, box_len, U8(AD), ad_len, out, pt_len - 1, &len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == pt_len && all_bytes_are(out, sizeof out, CANARY));
    len = 0;
    CHECK_RC(gamecrypt_aead_key_open(other, box, box_len, U8(AD), ad_len, out, pt_len - 1, &len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == pt_len && all_bytes_are(out, sizeof out, CANARY));

    /* Seal: too small, NULLs, overlap. */
    uint8_t sealed[128];
    memset(sealed, CANARY, sizeof sealed);
    len = 0;
    CHECK_RC(gamecrypt_aead_key_seal(aes, U8(PT), pt_len, NULL, 0, sealed,
                                     pt_len + GAMECRYPT_BOX_OVERHEAD - 1, &len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == pt_len + GAMECRYPT_BOX_OVERHEAD && all_bytes_are(sealed, sizeof sealed, CANARY));
    len = 777;
    CHECK_RC(gamecrypt_aead_key_seal(NULL, U8(PT), pt_len, NULL, 0, sealed, sizeof sealed, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_seal(aes, NULL, pt_len, NULL, 0, sealed, sizeof sealed, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_seal(aes, U8(PT), pt_len, NULL, 3, sealed, sizeof sealed, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_seal(aes, U8(PT), pt_len, NULL, 0, NULL, sizeof sealed, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_seal(aes, U8(PT), pt_len, NULL, 0, sealed, sizeof sealed, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    uint8_t in_place[128];
    memcpy(in_place, PT, pt_len);
    CHECK_RC(gamecrypt_aead_key_seal(aes, in_place, pt_len, NULL, 0, in_place, sizeof in_place,
                                     &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(len == 777 && all_bytes_are(sealed, sizeof sealed, CANARY));

    /* Open: NULLs, overlap. */
    CHECK_RC(gamecrypt_aead_key_open(NULL, box, box_len, U8(AD), ad_len, out, sizeof out, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_open(aes, NULL, box_len, U8(AD), ad_len, out, sizeof out, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_open(aes, box, box_len, NULL, ad_len, out, sizeof out, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_open(aes, box, box_len, U8(AD), ad_len, NULL, sizeof out, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_open(aes, box, box_len, U8(AD), ad_len, out, sizeof out, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_open(aes, box, box_len, U8(AD), ad_len, box + 20, pt_len, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(len == 777);
#undef EXPECT_OPEN

    gamecrypt_aead_key_free(aes);
    gamecrypt_aead_key_free(chacha);
    gamecrypt_aead_key_free(other);
}

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Password boxes. */
static void test_password_boxes(void) {
    size_t pt_len = strlen(PT), ad_len = strlen(AD), pw_len = strlen(PASSWORD);
    uint8_t box[160], out[160];
    size_t box_len = 0, len = 0;

    for (gamecrypt_aead alg = GAMECRYPT_AEAD_AES_256_GCM; alg <= GAMECRYPT_AEAD_CHACHA20_POLY1305;
         alg++) {
        /* Size query first: no PBKDF2 work is needed to answer it. */
        size_t needed = 0;
        CHECK_RC(gamecrypt_box_seal_with_password(alg, U8(PASSWORD), pw_len, TEST_ITERATIONS,
                                                  U8(PT), pt_len, U8(AD), ad_len, NULL, 0,
                                                  &needed),
                 GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
        CHECK(needed == pt_len + GAMECRYPT_PASSWORD_BOX_OVERHEAD);
        memset(box, CANARY, sizeof box);
        CHECK_OK(gamecrypt_box_seal_with_password(alg, U8(PASSWORD), pw_len, TEST_ITERATIONS,
                                                  U8(PT), pt_len, U8(AD), ad_len, box, needed,
                                                  &box_len));
        CHECK(box_len == needed && all_bytes_are(box + box_len, sizeof box - box_len, CANARY));

        /* Header as FORMATS.md describes it; opened by hand with PBKDF2 + raw AEAD. */
        CHECK(memcmp(box, "GCBX", 4) == 0);
        CHECK(box[4] == 1 && box[5] == 2 && box[6] == (uint8_t)alg && box[7] == 0);
        uint8_t be_iterations[4];
        put_be32(be_iterations, TEST_ITERATIONS);
        CHECK(memcmp(box + 8, be_iterations, 4) == 0);
        uint8_t derived[32];
        CHECK_OK(gamecrypt_pbkdf2_sha256_derive(U8(PASSWORD), pw_len, box + 12, 16,
                                                TEST_ITERATIONS, derived, sizeof derived));
        gamecrypt_aead_key *by_hand = key_from_bytes(alg, derived);
        uint8_t full_ad[28 + sizeof AD];
        memcpy(full_ad, box, 28);
        memcpy(full_ad + 28, AD, ad_len);
        CHECK_OK(gamecrypt_aead_key_open_with_nonce(by_hand, box + 28, 12, full_ad, 28 + ad_len,
                                                    box + 40, box_len - 40, out, sizeof out,
                                                    &len));
        CHECK(len == pt_len && memcmp(out, PT, pt_len) == 0);
        gamecrypt_aead_key_free(by_hand);

        /* Normal open. */
        memset(out, CANARY, sizeof out);
        CHECK_OK(gamecrypt_box_open_with_password(U8(PASSWORD), pw_len, box, box_len, U8(AD),
                                                  ad_len, out, sizeof out, &len));
        CHECK(len == pt_len && memcmp(out, PT, pt_len) == 0);
        CHECK(all_bytes_are(out + len, sizeof out - len, CANARY));

        /* Fresh salt and nonce for every box. */
        uint8_t box2[160];
        size_t box2_len = 0;
        CHECK_OK(gamecrypt_box_seal_with_password(alg, U8(PASSWORD), pw_len, TEST_ITERATIONS,
                                                  U8(PT), pt_len, U8(AD), ad_len, box2,
                                                  sizeof box2, &box2_len));
        CHECK(memcmp(box + 12, box2 + 12, 16) != 0 && memcmp(box + 28, box2 + 28, 12) != 0);

        /* A box built by hand in Python opens. */
        uint8_t py_box[160];
        size_t py_len = hex_decode(alg == GAMECRYPT_AEAD_AES_256_GCM ? PY_PASSWORD_BOX_AES
                                                                     : PY_PASSWORD_BOX_CHACHA,
                                   py_box, sizeof py_box);
        CHECK_OK(gamecrypt_box_open_with_password(U8(PASSWORD), pw_len, py_box, py_len, U8(AD),
                                                  ad_len, out, sizeof out, &len));
        CHECK(len == pt_len && memcmp(out, PT, pt_len) == 0);
    }

    /* Failures: nothing written. */
    box_len = hex_decode(PY_PASSWORD_BOX_AES, box, sizeof box);
    memset(out, CANARY, sizeof out);
    len = 777;
#define EXPECT_PW_OPEN(pw, pw_len_, b, b_len, ad, ad_len_, expected)                           \
    do {                                                                                        \
        CHECK_RC(gamecrypt_box_open_with_password(pw, pw_len_, b, b_len, ad, ad_len_, out,     \
                                                  sizeof out, &len),                            \
                 expected);                                                                     \
        CHECK(len == 777 && all_bytes_are(out, sizeof out, CANARY));                            \
    } while (0)

    EXPECT_PW_OPEN(U8("correct horse battery stapler"), pw_len + 1, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_OPEN_FAILED);
    EXPECT_PW_OPEN(U8("Correct horse battery staple"), pw_len, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_OPEN_FAILED);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, U8("slot-2"), 6,
                   GAMECRYPT_RESULT_OPEN_FAILED);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, NULL, 0, GAMECRYPT_RESULT_OPEN_FAILED);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len - 1, U8(AD), ad_len,
                   GAMECRYPT_RESULT_OPEN_FAILED);
    /* Changed salt, nonce, ciphertext, tag. */
    size_t flips[] = {12, 27, 28, 39, 40, box_len - 1};
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        box[flips[i]] ^= 1;
        EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                       GAMECRYPT_RESULT_OPEN_FAILED);
        box[flips[i]] ^= 1;
    }
    /* Iteration count: another valid count does not authenticate; 0 is malformed; above the
     * bound is refused before any work (10 000 001 and 0xFFFFFFFF would take minutes). */
    put_be32(box + 8, TEST_ITERATIONS + 1);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_OPEN_FAILED);
    put_be32(box + 8, 0);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_BOX_MALFORMED);
    put_be32(box + 8, GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS + 1);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    put_be32(box + 8, 0xFFFFFFFFu);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    put_be32(box + 8, TEST_ITERATIONS);
    /* Header bytes. */
    box[4] = 9;
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_BOX_UNSUPPORTED);
    box[4] = 1;
    box[6] = GAMECRYPT_AEAD_CHACHA20_POLY1305; /* authenticated: the other algorithm fails */
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_OPEN_FAILED);
    box[6] = GAMECRYPT_AEAD_AES_256_GCM;
    box[1] = 'B';
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_BOX_MALFORMED);
    box[1] = 'C';
    /* Truncated below the overhead; empty. */
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, GAMECRYPT_PASSWORD_BOX_OVERHEAD - 1, U8(AD), ad_len,
                   GAMECRYPT_RESULT_BOX_MALFORMED);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, NULL, 0, U8(AD), ad_len, GAMECRYPT_RESULT_BOX_MALFORMED);
    /* A key box needs a key. */
    uint8_t key_box[128];
    size_t key_box_len = hex_decode(PY_KEY_BOX_AES, key_box, sizeof key_box);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, key_box, key_box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_BOX_KEY_MISMATCH);
    /* Empty password; NULLs. */
    EXPECT_PW_OPEN(NULL, 0, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_INVALID_ARGUMENT);
    EXPECT_PW_OPEN(U8(PASSWORD), 0, box, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_INVALID_ARGUMENT);
    EXPECT_PW_OPEN(NULL, pw_len, box, box_len, U8(AD), ad_len, GAMECRYPT_RESULT_NULL_ARGUMENT);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, NULL, box_len, U8(AD), ad_len,
                   GAMECRYPT_RESULT_NULL_ARGUMENT);
    EXPECT_PW_OPEN(U8(PASSWORD), pw_len, box, box_len, NULL, ad_len,
                   GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_box_open_with_password(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                                              NULL, sizeof out, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_box_open_with_password(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                                              out, sizeof out, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_box_open_with_password(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                                              box + 40, pt_len, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(len == 777);
#undef EXPECT_PW_OPEN
    /* Too small: the plaintext length, nothing written. */
    size_t needed = 0;
    CHECK_RC(gamecrypt_box_open_with_password(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                                              NULL, 0, &needed),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == pt_len);
    len = 0;
    CHECK_RC(gamecrypt_box_open_with_password(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                                              out, pt_len - 1, &len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == pt_len && all_bytes_are(out, sizeof out, CANARY));
    /* Every change was undone: it still opens. */
    CHECK_OK(gamecrypt_box_open_with_password(U8(PASSWORD), pw_len, box, box_len, U8(AD), ad_len,
                                              out, sizeof out, &len));

    /* Seal errors: nothing written. */
    uint8_t sealed[160];
    memset(sealed, CANARY, sizeof sealed);
    len = 777;
#define EXPECT_PW_SEAL(alg, pw, pw_len_, iterations, expected)                                 \
    do {                                                                                        \
        CHECK_RC(gamecrypt_box_seal_with_password(alg, pw, pw_len_, iterations, U8(PT), pt_len, \
                                                  U8(AD), ad_len, sealed, sizeof sealed, &len), \
                 expected);                                                                     \
        CHECK(len == 777 && all_bytes_are(sealed, sizeof sealed, CANARY));                      \
    } while (0)
    EXPECT_PW_SEAL(0, U8(PASSWORD), pw_len, TEST_ITERATIONS, GAMECRYPT_RESULT_INVALID_ARGUMENT);
    EXPECT_PW_SEAL(3, U8(PASSWORD), pw_len, TEST_ITERATIONS, GAMECRYPT_RESULT_INVALID_ARGUMENT);
    EXPECT_PW_SEAL(GAMECRYPT_AEAD_AES_256_GCM, NULL, 0, TEST_ITERATIONS,
                   GAMECRYPT_RESULT_INVALID_ARGUMENT);
    EXPECT_PW_SEAL(GAMECRYPT_AEAD_AES_256_GCM, U8(PASSWORD), 0, TEST_ITERATIONS,
                   GAMECRYPT_RESULT_INVALID_ARGUMENT);
    EXPECT_PW_SEAL(GAMECRYPT_AEAD_AES_256_GCM, U8(PASSWORD), pw_len, 0,
                   GAMECRYPT_RESULT_INVALID_ARGUMENT);
    EXPECT_PW_SEAL(GAMECRYPT_AEAD_AES_256_GCM, U8(PASSWORD), pw_len,
                   GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS + 1, GAMECRYPT_RESULT_INVALID_ARGUMENT);
    EXPECT_PW_SEAL(GAMECRYPT_AEAD_AES_256_GCM, NULL, pw_len, TEST_ITERATIONS,
                   GAMECRYPT_RESULT_NULL_ARGUMENT);
#undef EXPECT_PW_SEAL
    CHECK_RC(gamecrypt_box_seal_with_password(GAMECRYPT_AEAD_AES_256_GCM, U8(PASSWORD), pw_len,
                                              TEST_ITERATIONS, NULL, pt_len, U8(AD), ad_len,
                                              sealed, sizeof sealed, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_box_seal_with_password(GAMECRYPT_AEAD_AES_256_GCM, U8(PASSWORD), pw_len,
                                              TEST_ITERATIONS, U8(PT), pt_len, NULL, ad_len,
                                              sealed, sizeof sealed, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_box_seal_with_password(GAMECRYPT_AEAD_AES_256_GCM, U8(PASSWORD), pw_len,
                                              TEST_ITERATIONS, U8(PT), pt_len, U8(AD), ad_len,
                                              NULL, sizeof sealed, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_box_seal_with_password(GAMECRYPT_AEAD_AES_256_GCM, U8(PASSWORD), pw_len,
                                              TEST_ITERATIONS, U8(PT), pt_len, U8(AD), ad_len,
                                              sealed, sizeof sealed, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    /* One byte short, even with the largest iteration count: answered before any PBKDF2 work
     * (10 million iterations would take seconds, minutes under valgrind). */
    len = 0;
    CHECK_RC(gamecrypt_box_seal_with_password(GAMECRYPT_AEAD_AES_256_GCM, U8(PASSWORD), pw_len,
                                              GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS, U8(PT),
                                              pt_len, U8(AD), ad_len, sealed,
                                              pt_len + GAMECRYPT_PASSWORD_BOX_OVERHEAD - 1, &len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(len == pt_len + GAMECRYPT_PASSWORD_BOX_OVERHEAD);
    CHECK(all_bytes_are(sealed, sizeof sealed, CANARY));
    uint8_t in_place[160];
    memcpy(in_place, PT, pt_len);
    CHECK_RC(gamecrypt_box_seal_with_password(GAMECRYPT_AEAD_AES_256_GCM, U8(PASSWORD), pw_len,
                                              TEST_ITERATIONS, in_place, pt_len, NULL, 0,
                                              in_place, sizeof in_place, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);

    /* Empty plaintext, no AD. */
    CHECK_OK(gamecrypt_box_seal_with_password(GAMECRYPT_AEAD_CHACHA20_POLY1305, U8("pw"), 2, 1,
                                              NULL, 0, NULL, 0, sealed, sizeof sealed, &len));
    CHECK(len == GAMECRYPT_PASSWORD_BOX_OVERHEAD);
    size_t empty_len = 777;
    CHECK_OK(gamecrypt_box_open_with_password(U8("pw"), 2, sealed, len, NULL, 0, NULL, 0,
                                              &empty_len));
    CHECK(empty_len == 0);
}

/* A key derived from a password is PBKDF2-HMAC-SHA256(password, salt, iterations, 32). */
static void test_key_from_password(void) {
    uint8_t salt[GAMECRYPT_PASSWORD_SALT_LEN];
    for (size_t i = 0; i < sizeof salt; i++) salt[i] = (uint8_t)(0x10 + i);
    size_t pw_len = strlen(PASSWORD);
    gamecrypt_aead_key *key = NULL;
    CHECK_OK(gamecrypt_aead_key_from_password(GAMECRYPT_AEAD_CHACHA20_POLY1305, U8(PASSWORD),
                                              pw_len, salt, sizeof salt, TEST_ITERATIONS, &key));
    CHECK(gamecrypt_aead_key_algorithm(key) == GAMECRYPT_AEAD_CHACHA20_POLY1305);
    /* The Python password box used the same password, salt and count: its key opens the
     * inner AEAD of that box. */
    uint8_t py_box[160], out[160];
    size_t py_len = hex_decode(PY_PASSWORD_BOX_CHACHA, py_box, sizeof py_box), len = 0;
    uint8_t full_ad[28 + sizeof AD];
    memcpy(full_ad, py_box, 28);
    memcpy(full_ad + 28, AD, strlen(AD));
    CHECK_OK(gamecrypt_aead_key_open_with_nonce(key, py_box + 28, 12, full_ad, 28 + strlen(AD),
                                                py_box + 40, py_len - 40, out, sizeof out, &len));
    CHECK(len == strlen(PT) && memcmp(out, PT, len) == 0);
    /* And it equals the key made from the PBKDF2 bytes. */
    uint8_t derived[32];
    CHECK_OK(gamecrypt_pbkdf2_sha256_derive(U8(PASSWORD), pw_len, salt, sizeof salt,
                                            TEST_ITERATIONS, derived, sizeof derived));
    gamecrypt_aead_key *same = key_from_bytes(GAMECRYPT_AEAD_CHACHA20_POLY1305, derived);
    uint8_t box[64];
    size_t box_len = 0;
    CHECK_OK(gamecrypt_aead_key_seal(key, U8("x"), 1, NULL, 0, box, sizeof box, &box_len));
    CHECK_OK(gamecrypt_aead_key_open(same, box, box_len, NULL, 0, out, sizeof out, &len));
    CHECK(len == 1 && out[0] == 'x');
    gamecrypt_aead_key_free(same);
    gamecrypt_aead_key_free(key);

    /* A longer salt is fine; a shorter one, an empty password, 0 iterations, an unknown
     * algorithm and NULLs are not. Nothing written. */
    uint8_t long_salt[32] = {0};
    key = NULL;
    CHECK_OK(gamecrypt_aead_key_from_password(GAMECRYPT_AEAD_AES_256_GCM, U8("pw"), 2, long_salt,
                                              sizeof long_salt, 1, &key));
    gamecrypt_aead_key_free(key);
    gamecrypt_aead_key *untouched = SENTINEL(gamecrypt_aead_key);
    CHECK_RC(gamecrypt_aead_key_from_password(GAMECRYPT_AEAD_AES_256_GCM, U8("pw"), 2, salt, 15, 1,
                                              &untouched),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_aead_key_from_password(GAMECRYPT_AEAD_AES_256_GCM, U8("pw"), 2, NULL, 0, 1,
                                              &untouched),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_aead_key_from_password(GAMECRYPT_AEAD_AES_256_GCM, NULL, 0, salt, 16, 1,
                                              &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_from_password(GAMECRYPT_AEAD_AES_256_GCM, U8("pw"), 2, salt, 16, 0,
                                              &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_from_password(0, U8("pw"), 2, salt, 16, 1, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_from_password(7, U8("pw"), 2, salt, 16, 1, &untouched),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_from_password(GAMECRYPT_AEAD_AES_256_GCM, NULL, 2, salt, 16, 1,
                                              &untouched),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_aead_key_from_password(GAMECRYPT_AEAD_AES_256_GCM, U8("pw"), 2, NULL, 16,
                                              1, &untouched),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK(untouched == SENTINEL(gamecrypt_aead_key));
    CHECK_RC(gamecrypt_aead_key_from_password(GAMECRYPT_AEAD_AES_256_GCM, U8("pw"), 2, salt, 16, 1,
                                              NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
}

int main(void) {
    test_sizes();
    test_aead_keys();
    test_raw_aead_vectors();
    test_key_box_round_trip_and_format();
    test_key_box_failures();
    test_password_boxes();
    test_key_from_password();
    return check_report("c boxes");
}
