/*
 * Helpers shared by the UDP demo (udp_server.c, udp_client.c): the clock, and the two halves
 * of an endpoint's I/O on a UDP socket. The peer address given to the endpoint is the raw
 * struct sockaddr_in that recvfrom() fills in. Not part of the library.
 */
#ifndef GAMECRYPT_UDP_COMMON_H
#define GAMECRYPT_UDP_COMMON_H


#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "gamecrypt.h"

#define DATAGRAM_MAX 65536

static inline uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Waits until a datagram arrives or the endpoint's next deadline (at most `max_ms`), then
 * gives every waiting datagram to the endpoint (up to 8 per call: a batch is faster for a
 * server with many peers) and runs its timers. -1 on a socket or endpoint error. Its
 * buffers are static: one endpoint loop per program (one thread). */
static inline int endpoint_step(gamecrypt_endpoint *ep, int fd, uint64_t max_ms) {
    uint64_t deadline = 0, now = now_ms();
    if (gamecrypt_endpoint_next_deadline(ep, &deadline) != GAMECRYPT_RESULT_OK) {
        return -1;
    }
    uint64_t wait = deadline <= now ? 0 : deadline - now;
    struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, (int)(wait < max_ms ? wait : max_ms)) < 0 && errno != EINTR) {
        return -1;
    }
    enum { BATCH = 8 };
    static uint8_t bufs[BATCH][DATAGRAM_MAX];
    static struct sockaddr_in from[BATCH];
    size_t n;
    do {
        gamecrypt_endpoint_datagram batch[BATCH];
        for (n = 0; n < BATCH; n++) {
            socklen_t from_len = sizeof from[n];
            memset(&from[n], 0, sizeof from[n]);
            ssize_t got = recvfrom(fd, bufs[n], sizeof bufs[n], MSG_DONTWAIT,
                                   (struct sockaddr *)&from[n], &from_len);
            if (got < 0) {
                break;
            }
            batch[n] = (gamecrypt_endpoint_datagram){(const uint8_t *)&from[n], sizeof from[n],
                                                     bufs[n], (size_t)got};
        }
        if (gamecrypt_endpoint_receive_batch(ep, now_ms(), batch, n) != GAMECRYPT_RESULT_OK) {
            return -1;
        }
    } while (n == BATCH);
    return gamecrypt_endpoint_handle_timeout(ep, now_ms()) == GAMECRYPT_RESULT_OK ? 0 : -1;
}

/* Sends every datagram the endpoint queued. `lose` (may be NULL) is asked about each one and
 * drops it when it returns 1, to show the retransmissions. Returns the number sent. */
static inline int endpoint_flush(gamecrypt_endpoint *ep, int fd, int (*lose)(const uint8_t *, size_t)) {
    static uint8_t buf[DATAGRAM_MAX];
    int sent = 0;
    for (;;) {
        struct sockaddr_in to;
        size_t to_len = 0, len = 0;
        if (gamecrypt_endpoint_poll_transmit(ep, (uint8_t *)&to, sizeof to, &to_len, buf,
                                             sizeof buf, &len) != GAMECRYPT_RESULT_OK ||
            len == 0) {
            return sent;
        }
        if (to_len == sizeof to && (lose == NULL || !lose(buf, len)) &&
            sendto(fd, buf, len, 0, (const struct sockaddr *)&to, sizeof to) == (ssize_t)len) {
            sent++;
        }
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

/* The first 8 bytes of a fingerprint as hex, for the log. */
static inline const char *short_hex(const uint8_t *fp) {
    static char out[17];
    for (int i = 0; i < 8; i++) {
        snprintf(out + 2 * i, 3, "%02x", fp[i]);
    }
    return out;
}

#endif
