/*
 * gamecrypt C demo: the things a game usually needs, step by step.
 *
 *   1. A signing key for your DLC server (ECDSA P-256), saved as a PEM file and loaded again.
 *   2. Signing a DLC manifest on the server, verifying it in the game, and seeing a tampered
 *      manifest rejected.
 *   3. Encrypting a save file with the player's password (a "password box"), writing it to
 *      disk, reading it back, and seeing a wrong password rejected.
 *   4. Encrypting a save file with a key the game keeps (an "AEAD key box").
 *
 * Build and run it with examples/c/build.sh. The files it writes go to the directory given as
 * its first argument (build.sh passes examples/c/build/).
 *
 * How to read the API (every function follows these rules, see include/gamecrypt.h):
 *   - Functions that can fail return a gamecrypt_result. GAMECRYPT_RESULT_OK (0) is success;
 *     gamecrypt_result_str(code) gives a readable message for any code.
 *   - Inputs are (pointer, length) pairs. Outputs come last: a buffer, its capacity, and a
 *     size_t that receives the length written. If the buffer is too small you get
 *     GAMECRYPT_RESULT_BUFFER_TOO_SMALL and the length you need; nothing else is written.
 *   - Objects (keys, ...) are opaque handles: made by a gamecrypt_<type>_<verb>() function,
 *     released with gamecrypt_<type>_free(). Freeing a key wipes it from memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gamecrypt.h"

/* ------------------------------------------------------------------------------------------ */
/* Small helpers. */

/* The directory the demo writes its files to. */
static const char *out_dir = ".";

/* Checks that a gamecrypt call returned what we expected; otherwise explains and exits. */
static void expect(gamecrypt_result got, gamecrypt_result expected, const char *what) {
    if (got != expected) {
        fprintf(stderr, "UNEXPECTED: %s returned %d (%s), expected %d (%s)\n", what, (int)got,
                gamecrypt_result_str((uint32_t)got), (int)expected,
                gamecrypt_result_str((uint32_t)expected));
        exit(EXIT_FAILURE);
    }
}

/* Shorthand: the call must succeed. */
static void ok(gamecrypt_result got, const char *what) {
    expect(got, GAMECRYPT_RESULT_OK, what);
}

static void fail(const char *message) {
    fprintf(stderr, "UNEXPECTED: %s\n", message);
    exit(EXIT_FAILURE);
}

/* Builds "<out_dir>/<name>" in a static buffer. */
static const char *path_of(const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    return path;
}

static void write_file(const char *name, const void *data, size_t len) {
    const char *path = path_of(name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(EXIT_FAILURE);
    }
    printf("    wrote %zu bytes to %s\n", len, path);
}

/* Reads a whole file into a malloc'd buffer (the caller frees it). */
static unsigned char *read_file(const char *name, size_t *len) {
    const char *path = path_of(name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(EXIT_FAILURE);
    }
    unsigned char *data = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : 4096;
            unsigned char *bigger = realloc(data, cap);
            if (bigger == NULL) {
                fail("out of memory");
            }
            data = bigger;
        }
        size_t got = fread(data + size, 1, cap - size, f);
        size += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(EXIT_FAILURE);
    }
    fclose(f);
    printf("    read %zu bytes from %s\n", size, path);
    *len = size;
    return data;
}

static void print_hex(const char *label, const uint8_t *data, size_t len) {
    printf("    %s", label);
    for (size_t i = 0; i < len; i++) {
        printf("%02x", data[i]);
    }
    printf("\n");
}

/* ------------------------------------------------------------------------------------------ */
/* 1. A signing key, saved to and loaded from a PEM file. */

static void make_and_save_signing_key(void) {
    printf("\n[1] Generate an ECDSA P-256 signing key and save it as PEM\n");

    gamecrypt_signing_key *key = NULL;
    ok(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ECDSA_P256, &key),
       "gamecrypt_signing_key_generate");
    printf("    generated a new P-256 key\n");

    /* Ask for the length first (capacity 0), then allocate exactly that. This is the pattern
     * for every variable-length output. */
    size_t pem_len = 0;
    expect(gamecrypt_signing_key_to_pkcs8_pem(key, NULL, 0, &pem_len),
           GAMECRYPT_RESULT_BUFFER_TOO_SMALL, "size query of gamecrypt_signing_key_to_pkcs8_pem");
    char *pem = malloc(pem_len);
    if (pem == NULL) {
        fail("out of memory");
    }
    ok(gamecrypt_signing_key_to_pkcs8_pem(key, pem, pem_len, &pem_len),
       "gamecrypt_signing_key_to_pkcs8_pem");
    /* This file IS the private key. On a real server keep it in a secrets store, never in the
     * game's files. */
    write_file("dlc_signing_key.pem", pem, pem_len);
    /* Wipe our copy of the private key before freeing it. (A plain memset may be optimised
     * away before free(); volatile stops that.) */
    for (volatile char *p = pem; p < pem + pem_len; p++) {
        *p = 0;
    }
    free(pem);

    /* The game only needs the public key: ship this one with the game. */
    gamecrypt_public_key *public_key = NULL;
    ok(gamecrypt_signing_key_public_key(key, &public_key), "gamecrypt_signing_key_public_key");
    char public_pem[512];
    size_t public_pem_len = 0;
    ok(gamecrypt_public_key_to_pem(public_key, public_pem, sizeof public_pem, &public_pem_len),
       "gamecrypt_public_key_to_pem");
    write_file("dlc_public_key.pem", public_pem, public_pem_len);

    gamecrypt_public_key_free(public_key);
    gamecrypt_signing_key_free(key); /* wipes the key material */
}

/* ------------------------------------------------------------------------------------------ */
/* 2. Sign a DLC manifest on the server; verify it in the game. */

static const char MANIFEST[] =
    "{ \"dlc\": \"frost-islands\", \"version\": 3, "
    "\"files\": { \"frost.pak\": \"sha256:9f2c...\" } }";

static void sign_and_verify_manifest(void) {
    printf("\n[2] Sign a DLC manifest and verify it\n");

    /* Server side: load the private key from its PEM file. PEM need not be NUL-terminated:
     * pass its length. */
    size_t pem_len = 0;
    unsigned char *pem = read_file("dlc_signing_key.pem", &pem_len);
    gamecrypt_signing_key *key = NULL;
    ok(gamecrypt_signing_key_from_pem((const char *)pem, pem_len, &key),
       "gamecrypt_signing_key_from_pem");
    for (volatile unsigned char *p = pem; p < pem + pem_len; p++) {
        *p = 0;
    }
    free(pem);
    printf("    loaded the signing key back from PEM\n");

    /* Sign. GAMECRYPT_MAX_SIGNATURE_LEN fits any signature; *sig_len is the real length (an
     * ECDSA signature in the default DER format is 70-72 bytes). Pass the message itself, not
     * a hash of it: gamecrypt hashes it (SHA-256 for P-256). */
    uint8_t signature[GAMECRYPT_MAX_SIGNATURE_LEN];
    size_t sig_len = 0;
    ok(gamecrypt_signing_key_sign(key, (const uint8_t *)MANIFEST, strlen(MANIFEST),
                                  GAMECRYPT_SIGNATURE_DEFAULT, signature, sizeof signature,
                                  &sig_len),
       "gamecrypt_signing_key_sign");
    printf("    signed the manifest: %zu-byte signature\n", sig_len);
    gamecrypt_signing_key_free(key);

    /* Game side: load the public key that shipped with the game. */
    size_t public_pem_len = 0;
    unsigned char *public_pem = read_file("dlc_public_key.pem", &public_pem_len);
    gamecrypt_public_key *public_key = NULL;
    ok(gamecrypt_public_key_from_pem((const char *)public_pem, public_pem_len, &public_key),
       "gamecrypt_public_key_from_pem");
    free(public_pem);

    /* A fingerprint identifies a public key in 32 bytes (handy in logs and for pinning). */
    uint8_t fingerprint[GAMECRYPT_FINGERPRINT_LEN];
    ok(gamecrypt_public_key_fingerprint(public_key, fingerprint, sizeof fingerprint),
       "gamecrypt_public_key_fingerprint");
    print_hex("public key fingerprint: ", fingerprint, sizeof fingerprint);

    /* Verify. Only GAMECRYPT_RESULT_OK means "genuine". */
    gamecrypt_result rc = gamecrypt_public_key_verify(
        public_key, (const uint8_t *)MANIFEST, strlen(MANIFEST), signature, sig_len,
        GAMECRYPT_SIGNATURE_DEFAULT);
    ok(rc, "gamecrypt_public_key_verify of the genuine manifest");
    printf("    genuine manifest: %s -> install the DLC\n", gamecrypt_result_str((uint32_t)rc));

    /* A cheater edits the manifest (version 3 -> 9). The signature no longer matches. */
    char tampered[sizeof MANIFEST];
    memcpy(tampered, MANIFEST, sizeof MANIFEST);
    char *version = strstr(tampered, "\"version\": 3");
    if (version == NULL) {
        fail("the manifest has no version");
    }
    version[strlen("\"version\": ")] = '9';
    rc = gamecrypt_public_key_verify(public_key, (const uint8_t *)tampered, strlen(tampered),
                                     signature, sig_len, GAMECRYPT_SIGNATURE_DEFAULT);
    expect(rc, GAMECRYPT_RESULT_SIGNATURE_INVALID, "gamecrypt_public_key_verify of a tampered manifest");
    printf("    tampered manifest: code %d, GAMECRYPT_RESULT_SIGNATURE_INVALID (\"%s\") -> refuse it\n",
           (int)rc, gamecrypt_result_str((uint32_t)rc));

    gamecrypt_public_key_free(public_key);
}

/* ------------------------------------------------------------------------------------------ */
/* 3. A save file protected by the player's password. */

static const char SAVE_GAME[] = "{ \"level\": 7, \"lives\": 3, \"gold\": 1250 }";
/* Associated data: not stored in the box, but it must be the same to open it. Using the save
 * slot's name means a save copied into another slot will not open. */
static const char SLOT[] = "slot-1";

static void password_protected_save(void) {
    printf("\n[3] Encrypt a save file with a password\n");
    const char *password = "hunter2 but longer";

    /* A password box stores everything needed to open it (random salt, iteration count,
     * random nonce) except the password. The iteration count makes guessing passwords slow;
     * it also makes this call take a noticeable fraction of a second, so in a game run it
     * off the main thread. */
    size_t box_cap = strlen(SAVE_GAME) + GAMECRYPT_PASSWORD_BOX_OVERHEAD;
    uint8_t *box = malloc(box_cap);
    if (box == NULL) {
        fail("out of memory");
    }
    size_t box_len = 0;
    ok(gamecrypt_box_seal_with_password(GAMECRYPT_AEAD_AES_256_GCM, (const uint8_t *)password,
                                        strlen(password), GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS,
                                        (const uint8_t *)SAVE_GAME, strlen(SAVE_GAME),
                                        (const uint8_t *)SLOT, strlen(SLOT), box, box_cap,
                                        &box_len),
       "gamecrypt_box_seal_with_password");
    printf("    sealed %zu bytes of save data into a %zu-byte password box (%d PBKDF2 iterations)\n",
           strlen(SAVE_GAME), box_len, GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS);
    write_file("slot-1.save", box, box_len);
    free(box);

    /* Next session: read the file and open it with the password the player types. */
    size_t file_len = 0;
    uint8_t *file = read_file("slot-1.save", &file_len);
    char save[256];
    size_t save_len = 0;
    ok(gamecrypt_box_open_with_password((const uint8_t *)password, strlen(password), file,
                                        file_len, (const uint8_t *)SLOT, strlen(SLOT),
                                        (uint8_t *)save, sizeof save - 1, &save_len),
       "gamecrypt_box_open_with_password");
    save[save_len] = '\0';
    if (strcmp(save, SAVE_GAME) != 0) {
        fail("the opened save differs from what was sealed");
    }
    printf("    opened with the right password: %s\n", save);

    /* The wrong password: OPEN_FAILED, and nothing is written to the output. */
    const char *wrong = "hunter3 but longer";
    gamecrypt_result rc = gamecrypt_box_open_with_password(
        (const uint8_t *)wrong, strlen(wrong), file, file_len, (const uint8_t *)SLOT, strlen(SLOT),
        (uint8_t *)save, sizeof save - 1, &save_len);
    expect(rc, GAMECRYPT_RESULT_OPEN_FAILED, "gamecrypt_box_open_with_password with a wrong password");
    printf("    wrong password: code %d, GAMECRYPT_RESULT_OPEN_FAILED (\"%s\")\n", (int)rc,
           gamecrypt_result_str((uint32_t)rc));
    free(file);
}

/* ------------------------------------------------------------------------------------------ */
/* 4. A save file protected by a key the game keeps. */

static void key_protected_save(void) {
    printf("\n[4] Encrypt a save file with an AEAD key\n");

    /* 32 random bytes are the key. A real game would create them once and keep them in the
     * platform's secure storage (Keychain, Android Keystore, DPAPI, a console's save-data
     * encryption API ...). Here they only live for this run. */
    uint8_t key_bytes[GAMECRYPT_AEAD_KEY_LEN];
    ok(gamecrypt_random_bytes(key_bytes, sizeof key_bytes), "gamecrypt_random_bytes");
    gamecrypt_aead_key *key = NULL;
    ok(gamecrypt_aead_key_from_bytes(GAMECRYPT_AEAD_AES_256_GCM, key_bytes, sizeof key_bytes,
                                     &key),
       "gamecrypt_aead_key_from_bytes");
    /* The key object has its own copy: wipe ours. */
    for (volatile uint8_t *p = key_bytes; p < key_bytes + sizeof key_bytes; p++) {
        *p = 0;
    }

    /* A key box is the save data plus GAMECRYPT_BOX_OVERHEAD (36) bytes: a header, a random
     * nonce (never chosen by you) and an authentication tag. This is fast: no PBKDF2. */
    uint8_t box[256];
    size_t box_len = 0;
    ok(gamecrypt_aead_key_seal(key, (const uint8_t *)SAVE_GAME, strlen(SAVE_GAME),
                               (const uint8_t *)SLOT, strlen(SLOT), box, sizeof box, &box_len),
       "gamecrypt_aead_key_seal");
    printf("    sealed %zu bytes of save data into a %zu-byte box\n", strlen(SAVE_GAME), box_len);
    write_file("slot-1.keybox", box, box_len);

    size_t file_len = 0;
    uint8_t *file = read_file("slot-1.keybox", &file_len);

    /* Don't know how big the plaintext is? Ask first (capacity 0): the box tells. */
    size_t needed = 0;
    expect(gamecrypt_aead_key_open(key, file, file_len, (const uint8_t *)SLOT, strlen(SLOT), NULL,
                                   0, &needed),
           GAMECRYPT_RESULT_BUFFER_TOO_SMALL, "size query of gamecrypt_aead_key_open");
    char *save = malloc(needed + 1);
    if (save == NULL) {
        fail("out of memory");
    }
    size_t save_len = 0;
    ok(gamecrypt_aead_key_open(key, file, file_len, (const uint8_t *)SLOT, strlen(SLOT),
                               (uint8_t *)save, needed, &save_len),
       "gamecrypt_aead_key_open");
    save[save_len] = '\0';
    if (strcmp(save, SAVE_GAME) != 0) {
        fail("the opened save differs from what was sealed");
    }
    printf("    opened: %s\n", save);

    /* Someone copies slot 1's file into slot 2: the associated data differs, it won't open. */
    gamecrypt_result rc = gamecrypt_aead_key_open(key, file, file_len, (const uint8_t *)"slot-2",
                                                  6, (uint8_t *)save, needed, &save_len);
    expect(rc, GAMECRYPT_RESULT_OPEN_FAILED, "gamecrypt_aead_key_open in another slot");
    printf("    the same file opened as slot-2: code %d, GAMECRYPT_RESULT_OPEN_FAILED\n", (int)rc);

    /* One flipped bit anywhere in the file (a corrupted download, a hex editor): refused. */
    file[file_len / 2] ^= 0x01;
    rc = gamecrypt_aead_key_open(key, file, file_len, (const uint8_t *)SLOT, strlen(SLOT),
                                 (uint8_t *)save, needed, &save_len);
    expect(rc, GAMECRYPT_RESULT_OPEN_FAILED, "gamecrypt_aead_key_open of a modified file");
    printf("    the file with one bit flipped: code %d, GAMECRYPT_RESULT_OPEN_FAILED\n", (int)rc);

    free(save);
    free(file);
    gamecrypt_aead_key_free(key); /* wipes the key */
}

int main(int argc, char **argv) {
    if (argc > 1) {
        out_dir = argv[1];
    }
    /* The header and the library must be the same version. */
    printf("gamecrypt %s (header %s)\n", gamecrypt_version(), GAMECRYPT_VERSION_STRING);
    if (strcmp(gamecrypt_version(), GAMECRYPT_VERSION_STRING) != 0) {
        fail("the header does not match the library");
    }

    make_and_save_signing_key();
    sign_and_verify_manifest();
    password_protected_save();
    key_protected_save();

    printf("\nAll steps behaved as expected.\n");
    return EXIT_SUCCESS;
}
