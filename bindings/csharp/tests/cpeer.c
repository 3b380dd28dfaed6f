/*
 * Cross-language peer for the C# tests: the same operations done in C through include/gamecrypt.h
 * (so by the Rust core), on files the C# tests write and read. Built by scripts/test-csharp.sh.
 *
 *   cpeer verify   <spki.der> <msg> <sig>           exit 0 valid, 1 invalid, 2 error
 *   cpeer keygen   <type> <msg> <spki.der out> <sig out>   new key, signs msg
 *   cpeer seal     <key32> <ad> <plaintext> <box out>       AES-256-GCM key box
 *   cpeer open     <key32> <ad> <box> <plaintext out>       exit 0 opened, 1 refused, 2 error
 *   cpeer pwseal   <password> <iterations> <plaintext> <box out>
 */
#include "gamecrypt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void write_file(const char *path, const unsigned char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len) { perror(path); exit(2); }
    fclose(f);
}

static void check(gamecrypt_result rc, const char *what) {
    if (rc != GAMECRYPT_RESULT_OK) {
        fprintf(stderr, "%s: %s (%u)\n", what, gamecrypt_result_str((uint32_t)rc), (unsigned)rc);
        exit(2);
    }
}

static gamecrypt_aead_key *aes_key(const char *path) {
    size_t len;
    unsigned char *bytes = read_file(path, &len);
    gamecrypt_aead_key *key = NULL;
    check(gamecrypt_aead_key_from_bytes(GAMECRYPT_AEAD_AES_256_GCM, bytes, len, &key), "aead_key_from_bytes");
    free(bytes);
    return key;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: see cpeer.c\n"); return 2; }
    const char *cmd = argv[1];
    if (strcmp(cmd, "verify") == 0 && argc == 5) {
        size_t der_len, msg_len, sig_len;
        unsigned char *der = read_file(argv[2], &der_len), *msg = read_file(argv[3], &msg_len),
                      *sig = read_file(argv[4], &sig_len);
        gamecrypt_public_key *pk = NULL;
        check(gamecrypt_public_key_from_spki_der(der, der_len, &pk), "public_key_from_spki_der");
        gamecrypt_result rc = gamecrypt_public_key_verify(pk, msg, msg_len, sig, sig_len, GAMECRYPT_SIGNATURE_DEFAULT);
        gamecrypt_public_key_free(pk);
        free(der); free(msg); free(sig);
        if (rc == GAMECRYPT_RESULT_OK) return 0;
        if (rc == GAMECRYPT_RESULT_SIGNATURE_INVALID) return 1;
        check(rc, "public_key_verify");
    } else if (strcmp(cmd, "keygen") == 0 && argc == 6) {
        size_t msg_len, der_len = 0, sig_len = 0;
        unsigned char *msg = read_file(argv[3], &msg_len);
        unsigned char der[256], sig[GAMECRYPT_MAX_SIGNATURE_LEN];
        gamecrypt_signing_key *sk = NULL;
        gamecrypt_public_key *pk = NULL;
        check(gamecrypt_signing_key_generate((gamecrypt_key_type)atoi(argv[2]), &sk), "signing_key_generate");
        check(gamecrypt_signing_key_sign(sk, msg, msg_len, GAMECRYPT_SIGNATURE_DEFAULT, sig, sizeof sig, &sig_len), "sign");
        check(gamecrypt_signing_key_public_key(sk, &pk), "public_key");
        check(gamecrypt_public_key_to_spki_der(pk, der, sizeof der, &der_len), "to_spki_der");
        write_file(argv[4], der, der_len);
        write_file(argv[5], sig, sig_len);
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(sk);
        free(msg);
        return 0;
    } else if (strcmp(cmd, "seal") == 0 && argc == 6) {
        gamecrypt_aead_key *key = aes_key(argv[2]);
        size_t pt_len, box_len = 0;
        unsigned char *pt = read_file(argv[4], &pt_len);
        unsigned char *box = malloc(pt_len + GAMECRYPT_BOX_OVERHEAD);
        check(gamecrypt_aead_key_seal(key, pt, pt_len, (const uint8_t *)argv[3], strlen(argv[3]), box,
                                      pt_len + GAMECRYPT_BOX_OVERHEAD, &box_len), "aead_key_seal");
        write_file(argv[5], box, box_len);
        gamecrypt_aead_key_free(key);
        free(pt); free(box);
        return 0;
    } else if (strcmp(cmd, "open") == 0 && argc == 6) {
        gamecrypt_aead_key *key = aes_key(argv[2]);
        size_t box_len, pt_len = 0;
        unsigned char *box = read_file(argv[4], &box_len);
        unsigned char *pt = malloc(box_len + 1);
        gamecrypt_result rc = gamecrypt_aead_key_open(key, box, box_len, (const uint8_t *)argv[3], strlen(argv[3]), pt,
                                                      box_len, &pt_len);
        gamecrypt_aead_key_free(key);
        if (rc == GAMECRYPT_RESULT_OK) write_file(argv[5], pt, pt_len);
        free(box); free(pt);
        if (rc == GAMECRYPT_RESULT_OK) return 0;
        if (rc == GAMECRYPT_RESULT_OPEN_FAILED) return 1;
        check(rc, "aead_key_open");
    } else if (strcmp(cmd, "pwseal") == 0 && argc == 6) {
        size_t pt_len, box_len = 0;
        unsigned char *pt = read_file(argv[4], &pt_len);
        unsigned char *box = malloc(pt_len + GAMECRYPT_PASSWORD_BOX_OVERHEAD);
        check(gamecrypt_box_seal_with_password(GAMECRYPT_AEAD_CHACHA20_POLY1305, (const uint8_t *)argv[2], strlen(argv[2]),
                                               (uint32_t)atoi(argv[3]), pt, pt_len, NULL, 0, box,
                                               pt_len + GAMECRYPT_PASSWORD_BOX_OVERHEAD, &box_len),
              "box_seal_with_password");
        write_file(argv[5], box, box_len);
        free(pt); free(box);
        return 0;
    }
    fprintf(stderr, "cpeer: bad command or arguments (see cpeer.c)\n");
    return 2;
}
