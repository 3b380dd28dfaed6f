/*
 * gamecrypt UDP demo, client side: one secure session over UDP with a server on 127.0.0.1.
 *
 *   udp_client <port> <server_key.pub.pem> [message_count]
 *
 * Trusts exactly the server key in the PEM file (pinning), performs the handshake with
 * retransmission (docs/PROTOCOL.md section 13), sends message_count (default 5) messages and
 * checks each echo, sends one deliberately tampered datagram and one replayed datagram (the
 * server must reject both while the session goes on), then closes with an authenticated close
 * packet. Every wait is bounded; exit 0 only if everything above happened.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "udp_common.h"

#define RESEND_MS 400 /* wait this long for an answer before resending */
#define MAX_TRIES 8   /* handshake messages are sent at most this often */
#define DATA_TRIES 3  /* each message is sent (sealed anew) at most this often */

static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("client: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static uint8_t buf[DATAGRAM_MAX], plain[DATAGRAM_MAX];

/* Receives one non-empty datagram within `timeout_ms`: its length, 0 on timeout, -1 on
 * error. */
static ssize_t receive(int fd, int64_t timeout_ms) {
    const int64_t end = now_ms() + timeout_ms;
    for (;;) {
        int ready = wait_readable(fd, end - now_ms());
        if (ready <= 0) {
            return ready;
        }
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) {
            perror("client: recv");
            return -1;
        }
        if (n > 0) {
            return n;
        }
    }
}

static int send_bytes(int fd, const uint8_t *data, size_t len) {
    if (send(fd, data, len, 0) != (ssize_t)len) {
        perror("client: send");
        return -1;
    }
    return 0;
}

/* Handshake messages from the server while we wait for something else: only late
 * duplicates are expected (WRONG_STATE, ignored); anything else ends the demo. */
static int ignore_handshake_message(const gamecrypt_session *session, size_t n) {
    gamecrypt_result rc = gamecrypt_session_read_handshake(session, buf, n);
    if (rc == GAMECRYPT_RESULT_WRONG_STATE) {
        say("<- late duplicate handshake message (%zu bytes), ignored", n);
        return 0;
    }
    say("unexpected handshake message: %s (%d): %s", result_name(rc), (int)rc,
        gamecrypt_result_str(rc));
    return -1;
}

/* Waits up to `timeout_ms` for a data packet from the server and opens it into `plain`.
 * Returns the plaintext length, -1 on timeout, -2 on a fatal error. Dropped packets are
 * reported and waiting goes on. */
static long wait_for_data(int fd, const gamecrypt_session *session, int64_t timeout_ms) {
    const int64_t end = now_ms() + timeout_ms;
    for (;;) {
        ssize_t n = receive(fd, end - now_ms());
        if (n == 0) {
            return -1;
        }
        if (n < 0) {
            return -2;
        }
        if (gamecrypt_session_is_handshake_message(buf, (size_t)n)) {
            if (ignore_handshake_message(session, (size_t)n) != 0) {
                return -2;
            }
            continue;
        }
        size_t len = 0;
        gamecrypt_result rc = gamecrypt_session_open(session, buf, (size_t)n, plain, sizeof plain,
                                                     &len);
        if (rc == GAMECRYPT_RESULT_OK) {
            return (long)len;
        }
        if (is_drop(rc)) {
            say("<- datagram dropped: %s (%d): %s", result_name(rc), (int)rc,
                gamecrypt_result_str(rc));
            continue;
        }
        say("open failed: %s (%d): %s", result_name(rc), (int)rc, gamecrypt_result_str(rc));
        return -2;
    }
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s <port> <server_key.pub.pem> [message_count]\n", argv[0]);
        return 2;
    }
    long port = strtol(argv[1], NULL, 10);
    long count = argc == 4 ? strtol(argv[3], NULL, 10) : 5;
    if (port < 1 || port > 65535 || count < 3 || count > 100) {
        fprintf(stderr, "port must be 1..65535 and message_count 3..100\n");
        return 2;
    }

    int status = 1, fd = -1;
    gamecrypt_public_key *pinned = NULL, *server_key = NULL;
    gamecrypt_client_config_builder *builder = NULL;
    gamecrypt_client_config *config = NULL;
    gamecrypt_session *session = NULL;
    gamecrypt_result rc;

    /* 1. Trust: exactly the key the server published. */
    FILE *f = fopen(argv[2], "rb");
    char pem[8192];
    size_t pem_len = 0;
    if (f != NULL) {
        pem_len = fread(pem, 1, sizeof pem, f);
        fclose(f);
    }
    if (f == NULL || pem_len == 0) {
        say("cannot read %s", argv[2]);
        goto out;
    }
    rc = gamecrypt_public_key_from_pem(pem, pem_len, &pinned);
    if (rc != GAMECRYPT_RESULT_OK) {
        say("bad public key in %s: %s", argv[2], gamecrypt_result_str(rc));
        goto out;
    }
    char fp[2 * GAMECRYPT_FINGERPRINT_LEN + 1];
    if (fingerprint_hex(pinned, fp) != 0) {
        goto out;
    }
    say("pinned server key from %s, fingerprint %s", argv[2], fp);
    rc = gamecrypt_client_config_builder_new_pinned_key(pinned, &builder);
    if (rc == GAMECRYPT_RESULT_OK) {
        rc = gamecrypt_client_config_builder_build(builder, &config);
    }
    if (rc == GAMECRYPT_RESULT_OK) {
        rc = gamecrypt_session_new_client(config, GAMECRYPT_SESSION_MODE_DATAGRAM, &session);
    }
    if (rc != GAMECRYPT_RESULT_OK) {
        say("cannot create the session: %s", gamecrypt_result_str(rc));
        goto out;
    }

    /* 2. A UDP socket connected to 127.0.0.1:port (only that peer's datagrams arrive). */
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)port);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("client: socket");
        goto out;
    }

    /* 3. ClientHello, resent until a ServerHello is accepted. */
    uint8_t hello[GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN], finished[GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
    size_t hello_len = 0, finished_len = 0;
    rc = gamecrypt_session_write_handshake(session, hello, sizeof hello, &hello_len);
    if (rc != GAMECRYPT_RESULT_OK) {
        say("write_handshake failed: %s", gamecrypt_result_str(rc));
        goto out;
    }
    int have_server_hello = 0;
    for (int attempt = 1; attempt <= MAX_TRIES && !have_server_hello; attempt++) {
        if (send_bytes(fd, hello, hello_len) != 0) {
            goto out;
        }
        say("-> ClientHello (%zu bytes)%s", hello_len, attempt > 1 ? ", resent" : "");
        const int64_t end = now_ms() + RESEND_MS;
        while (!have_server_hello) {
            ssize_t n = receive(fd, end - now_ms());
            if (n < 0) {
                goto out;
            }
            if (n == 0) {
                break; /* timeout: resend */
            }
            if (!gamecrypt_session_is_handshake_message(buf, (size_t)n)) {
                continue;
            }
            rc = gamecrypt_session_read_handshake(session, buf, (size_t)n);
            if (rc == GAMECRYPT_RESULT_OK) {
                say("<- ServerHello (%zu bytes): signature and pinned key verified", (size_t)n);
                have_server_hello = 1;
            } else if (rc != GAMECRYPT_RESULT_WRONG_STATE) {
                say("handshake failed: %s (%d): %s", result_name(rc), (int)rc,
                    gamecrypt_result_str(rc));
                goto out;
            }
        }
    }
    if (!have_server_hello) {
        say("no ServerHello after %d tries", MAX_TRIES);
        goto out;
    }
    gamecrypt_suite suite = 0;
    rc = gamecrypt_session_suite(session, &suite);
    if (rc == GAMECRYPT_RESULT_OK) {
        rc = gamecrypt_session_server_public_key(session, &server_key);
    }
    char server_fp[2 * GAMECRYPT_FINGERPRINT_LEN + 1];
    if (rc != GAMECRYPT_RESULT_OK || fingerprint_hex(server_key, server_fp) != 0) {
        goto out;
    }
    say("suite %s", suite_name(suite));
    say("server authenticated, key fingerprint %s", server_fp);

    /* 4. ClientFinished: now established; resent until the server's first packet opens. */
    rc = gamecrypt_session_write_handshake(session, finished, sizeof finished, &finished_len);
    if (rc != GAMECRYPT_RESULT_OK ||
        gamecrypt_session_get_state(session) != GAMECRYPT_SESSION_STATE_ESTABLISHED) {
        say("cannot write the ClientFinished: %s", gamecrypt_result_str(rc));
        goto out;
    }
    long got = -1;
    for (int attempt = 1; attempt <= MAX_TRIES && got == -1; attempt++) {
        if (send_bytes(fd, finished, finished_len) != 0) {
            goto out;
        }
        say("-> ClientFinished (%zu bytes)%s", finished_len, attempt > 1 ? ", resent" : "");
        got = wait_for_data(fd, session, RESEND_MS);
        if (got == -2) {
            goto out;
        }
    }
    if (got < 0) {
        say("no answer to the ClientFinished");
        goto out;
    }
    say("<- \"%.*s\": session established", (int)got, (const char *)plain);

    /* 5. Messages, each echoed. Message 2 is preceded by a tampered copy of its datagram,
     * message 3's datagram is replayed after its echo: the server must drop both. */
    for (long i = 1; i <= count; i++) {
        char msg[128], expected[160];
        int msg_len = snprintf(msg, sizeof msg, "message %ld of %ld: hello over UDP", i, count);
        int expected_len = snprintf(expected, sizeof expected, "echo: %s", msg);
        uint8_t pkt[256];
        size_t pkt_len = 0;
        int echoed = 0;
        for (int attempt = 1; attempt <= DATA_TRIES && !echoed; attempt++) {
            /* A retransmission is sealed anew (new packet number), never a resent packet. */
            rc = gamecrypt_session_seal(session, (const uint8_t *)msg, (size_t)msg_len, pkt,
                                        sizeof pkt, &pkt_len);
            if (rc != GAMECRYPT_RESULT_OK) {
                say("seal failed: %s", gamecrypt_result_str(rc));
                goto out;
            }
            if (i == 2 && attempt == 1) {
                uint8_t bad[256];
                memcpy(bad, pkt, pkt_len);
                bad[GAMECRYPT_PACKET_HEADER_LEN + 3] ^= 0x20;
                if (send_bytes(fd, bad, pkt_len) != 0) {
                    goto out;
                }
                say("-> TAMPERED copy of packet %llu (one ciphertext bit flipped): the server "
                    "must reject it",
                    packet_number(bad));
            }
            if (send_bytes(fd, pkt, pkt_len) != 0) {
                goto out;
            }
            say("-> \"%s\" (packet %llu, %zu bytes)%s", msg, packet_number(pkt), pkt_len,
                attempt > 1 ? ", sealed anew after a timeout" : "");
            const int64_t end = now_ms() + 1000;
            while (!echoed) {
                got = wait_for_data(fd, session, end - now_ms());
                if (got == -2) {
                    goto out;
                }
                if (got == -1) {
                    break;
                }
                if (got == expected_len && memcmp(plain, expected, (size_t)got) == 0) {
                    say("<- \"%.*s\"", (int)got, (const char *)plain);
                    echoed = 1;
                } else {
                    say("<- \"%.*s\" (not the echo we wait for; ignored)", (int)got,
                        (const char *)plain);
                }
            }
        }
        if (!echoed) {
            say("no echo for message %ld", i);
            goto out;
        }
        if (i == 3) {
            if (send_bytes(fd, pkt, pkt_len) != 0) {
                goto out;
            }
            say("-> REPLAY of packet %llu (the same datagram again): the server must reject it",
                packet_number(pkt));
        }
    }

    /* 6. Authenticated close. The session's keys are erased; every later call would
     * return SESSION_CLOSED. */
    uint8_t closing[GAMECRYPT_PACKET_OVERHEAD];
    size_t closing_len = 0;
    rc = gamecrypt_session_close(session, closing, sizeof closing, &closing_len);
    if (rc != GAMECRYPT_RESULT_OK || send_bytes(fd, closing, closing_len) != 0) {
        say("close failed: %s", gamecrypt_result_str(rc));
        goto out;
    }
    say("-> close packet (%zu bytes); session closed", closing_len);
    status = 0;

out:
    if (fd >= 0) {
        close(fd);
    }
    gamecrypt_session_free(session);
    gamecrypt_client_config_free(config);
    gamecrypt_client_config_builder_free(builder);
    gamecrypt_public_key_free(server_key);
    gamecrypt_public_key_free(pinned);
    return status;
}
