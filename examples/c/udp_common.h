/*
 * Small helpers shared by the UDP demo (udp_server.c, udp_client.c): time, waiting for a
 * datagram with poll(), and printing gamecrypt values. Not part of the library.
 */
#ifndef GAMECRYPT_UDP_COMMON_H
#define GAMECRYPT_UDP_COMMON_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gamecrypt.h"

/* Largest UDP payload; every gamecrypt handshake message is at most 4096 bytes. */
#define DATAGRAM_MAX 65536

static inline int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 when `fd` has a datagram, 0 when `timeout_ms` passed first, -1 on error. */
static inline int wait_readable(int fd, int64_t timeout_ms) {
    if (timeout_ms <= 0) {
        return 0;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
    for (;;) {
        int r = poll(&p, 1, (int)timeout_ms);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            return -1;
        }
        return r > 0 ? 1 : 0;
    }
}

static inline const char *suite_name(gamecrypt_suite s) {
    switch (s) {
    case GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256:
        return "P256_ECDSA_AES256GCM_SHA256";
    case GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256:
        return "X25519_ED25519_CHACHA20POLY1305_SHA256";
    case GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256:
        return "X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256 (post-quantum hybrid)";
    case GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256:
        return "X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256 (post-quantum hybrid)";
    default:
        return "unknown suite";
    }
}

/* The symbolic name of the result codes this demo can meet. */
static inline const char *result_name(gamecrypt_result rc) {
    switch (rc) {
    case GAMECRYPT_RESULT_OK:
        return "OK";
    case GAMECRYPT_RESULT_WRONG_STATE:
        return "WRONG_STATE";
    case GAMECRYPT_RESULT_SESSION_FAILED:
        return "SESSION_FAILED";
    case GAMECRYPT_RESULT_SESSION_CLOSED:
        return "SESSION_CLOSED";
    case GAMECRYPT_RESULT_PEER_CLOSED:
        return "PEER_CLOSED";
    case GAMECRYPT_RESULT_PACKET_AUTH_FAILED:
        return "PACKET_AUTH_FAILED";
    case GAMECRYPT_RESULT_PACKET_REPLAYED:
        return "PACKET_REPLAYED";
    case GAMECRYPT_RESULT_PACKET_TOO_OLD:
        return "PACKET_TOO_OLD";
    case GAMECRYPT_RESULT_PACKET_MALFORMED:
        return "PACKET_MALFORMED";
    case GAMECRYPT_RESULT_PINNED_KEY_MISMATCH:
        return "PINNED_KEY_MISMATCH";
    case GAMECRYPT_RESULT_HANDSHAKE_SIGNATURE_INVALID:
        return "HANDSHAKE_SIGNATURE_INVALID";
    case GAMECRYPT_RESULT_HANDSHAKE_MALFORMED:
        return "HANDSHAKE_MALFORMED";
    default:
        return "ERROR";
    }
}

/* True for the datagram-mode "drop the packet, the session goes on" codes (PROTOCOL.md 10.4). */
static inline int is_drop(gamecrypt_result rc) {
    return rc == GAMECRYPT_RESULT_PACKET_AUTH_FAILED || rc == GAMECRYPT_RESULT_PACKET_REPLAYED ||
           rc == GAMECRYPT_RESULT_PACKET_TOO_OLD || rc == GAMECRYPT_RESULT_PACKET_MALFORMED;
}

/* Writes the key's fingerprint (SHA-256 of its SubjectPublicKeyInfo) as hex into out[65]. */
static inline int fingerprint_hex(const gamecrypt_public_key *key,
                                  char out[2 * GAMECRYPT_FINGERPRINT_LEN + 1]) {
    uint8_t fp[GAMECRYPT_FINGERPRINT_LEN];
    if (gamecrypt_public_key_fingerprint(key, fp, sizeof fp) != GAMECRYPT_RESULT_OK) {
        return -1;
    }
    for (size_t i = 0; i < sizeof fp; i++) {
        snprintf(out + 2 * i, 3, "%02x", fp[i]);
    }
    return 0;
}

/* The packet number of a sealed packet (bytes 1..7, big-endian). */
static inline unsigned long long packet_number(const uint8_t *pkt) {
    unsigned long long v = 0;
    for (int i = 1; i < 8; i++) {
        v = (v << 8) | pkt[i];
    }
    return v;
}

#endif
