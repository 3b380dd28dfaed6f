/*
 * gamecrypt UDP demo, server side: one secure session over UDP on 127.0.0.1.
 *
 *   udp_server <p256|ed25519> <run_dir> [--lose-some]
 *
 * Generates a fresh identity key, writes its public key to <run_dir>/server_key.pub.pem (the
 * client pins it), binds a free UDP port on 127.0.0.1 only and writes it to <run_dir>/port.
 * Then: answers one client's handshake, echoes every message it opens, reports and drops bad
 * datagrams (the session goes on), and exits 0 when the client's authenticated close arrives.
 * It gives up (exit 1) after IDLE_TIMEOUT_MS without a datagram or TOTAL_TIMEOUT_MS overall.
 * Everything it prints also goes to <run_dir>/server.log.
 *
 * With --lose-some it pretends that its first ServerHello, the first ClientFinished and the
 * first data packet were lost on the way, so that the retransmissions of docs/PROTOCOL.md
 * section 13 happen: the client resends its ClientHello (the server answers with its saved
 * ServerHello), resends its ClientFinished, and seals its message again as a new packet.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "udp_common.h"

#define IDLE_TIMEOUT_MS 5000
#define TOTAL_TIMEOUT_MS 20000

static FILE *log_file;

static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("server: ");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
    if (log_file != NULL) {
        va_start(ap, fmt);
        vfprintf(log_file, fmt, ap);
        fprintf(log_file, "\n");
        fflush(log_file);
        va_end(ap);
    }
}

/* Writes a file so that readers never see it half-written (write a temporary, then rename). */
static int write_file_atomic(const char *dir, const char *name, const void *data, size_t len) {
    char tmp[1024], path[1024];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        return -1;
    }
    size_t written = fwrite(data, 1, len, f);
    if (fclose(f) != 0 || written != len) {
        return -1;
    }
    return rename(tmp, path);
}

/* Seals `text` and sends it to the peer. */
static int send_sealed(int fd, const struct sockaddr_in *peer, const gamecrypt_session *session,
                       const uint8_t *text, size_t text_len) {
    uint8_t pkt[DATAGRAM_MAX];
    size_t len = 0;
    gamecrypt_result rc = gamecrypt_session_seal(session, text, text_len, pkt, sizeof pkt, &len);
    if (rc != GAMECRYPT_RESULT_OK) {
        say("seal failed: %s", gamecrypt_result_str(rc));
        return -1;
    }
    if (sendto(fd, pkt, len, 0, (const struct sockaddr *)peer, sizeof *peer) != (ssize_t)len) {
        perror("server: sendto");
        return -1;
    }
    say("-> \"%.*s\" (packet %llu, %zu bytes)", (int)text_len, (const char *)text,
        packet_number(pkt), len);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    int lossy = argc == 4 && strcmp(argv[3], "--lose-some") == 0;
    if ((argc != 3 && !lossy) ||
        (strcmp(argv[1], "p256") != 0 && strcmp(argv[1], "ed25519") != 0)) {
        fprintf(stderr, "usage: %s <p256|ed25519> <run_dir> [--lose-some]\n", argv[0]);
        return 2;
    }
    int lost_server_hello = 0, lost_finished = 0, lost_data = 0;
    const char *dir = argv[2];
    char log_path[1024];
    snprintf(log_path, sizeof log_path, "%s/server.log", dir);
    log_file = fopen(log_path, "w");

    int status = 1, fd = -1;
    gamecrypt_signing_key *identity = NULL;
    gamecrypt_public_key *public_key = NULL;
    gamecrypt_server_config_builder *builder = NULL;
    gamecrypt_server_config *config = NULL;
    gamecrypt_session *session = NULL;
    char *pem = NULL;

    /* 1. Identity key, its public key for the client, its fingerprint for the log. */
    gamecrypt_key_type type = strcmp(argv[1], "p256") == 0 ? GAMECRYPT_KEY_TYPE_ECDSA_P256
                                                           : GAMECRYPT_KEY_TYPE_ED25519;
    gamecrypt_result rc = gamecrypt_signing_key_generate(type, &identity);
    if (rc == GAMECRYPT_RESULT_OK) {
        rc = gamecrypt_signing_key_public_key(identity, &public_key);
    }
    size_t pem_len = 0;
    if (rc == GAMECRYPT_RESULT_OK &&
        gamecrypt_public_key_to_pem(public_key, NULL, 0, &pem_len) ==
            GAMECRYPT_RESULT_BUFFER_TOO_SMALL &&
        (pem = malloc(pem_len)) != NULL) {
        rc = gamecrypt_public_key_to_pem(public_key, pem, pem_len, &pem_len);
    }
    if (rc != GAMECRYPT_RESULT_OK || pem == NULL) {
        say("cannot create the identity key: %s", gamecrypt_result_str(rc));
        goto out;
    }
    char fp[2 * GAMECRYPT_FINGERPRINT_LEN + 1];
    if (fingerprint_hex(public_key, fp) != 0 ||
        write_file_atomic(dir, "server_key.pub.pem", pem, pem_len) != 0) {
        say("cannot write the public key");
        goto out;
    }
    say("identity key %s, fingerprint %s", argv[1], fp);
    say("public key written to %s/server_key.pub.pem (the client pins it)", dir);

    /* 2. Configuration (it keeps its own reference to the key). */
    rc = gamecrypt_server_config_builder_new(identity, &builder);
    if (rc == GAMECRYPT_RESULT_OK) {
        rc = gamecrypt_server_config_builder_build(builder, &config);
    }
    if (rc == GAMECRYPT_RESULT_OK) {
        rc = gamecrypt_session_new_server(config, GAMECRYPT_SESSION_MODE_DATAGRAM, &session);
    }
    if (rc != GAMECRYPT_RESULT_OK) {
        say("cannot create the session: %s", gamecrypt_result_str(rc));
        goto out;
    }

    /* 3. A UDP socket on a free port of 127.0.0.1 (loopback only). */
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t addr_len = sizeof addr;
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &addr_len) != 0) {
        perror("server: socket");
        goto out;
    }
    char port_text[16];
    int port_len = snprintf(port_text, sizeof port_text, "%u\n", (unsigned)ntohs(addr.sin_port));
    if (write_file_atomic(dir, "port", port_text, (size_t)port_len) != 0) {
        say("cannot write the port file");
        goto out;
    }
    say("listening on 127.0.0.1:%u", (unsigned)ntohs(addr.sin_port));

    /* 4. The session loop: demultiplex every datagram by its first byte. */
    struct sockaddr_in peer;
    int have_peer = 0, closed = 0;
    unsigned drops = 0, echoed = 0;
    uint8_t server_hello[GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
    size_t server_hello_len = 0;
    static uint8_t buf[DATAGRAM_MAX], plain[DATAGRAM_MAX], reply[DATAGRAM_MAX];
    const int64_t end = now_ms() + TOTAL_TIMEOUT_MS;
    int64_t idle_end = now_ms() + IDLE_TIMEOUT_MS;

    while (!closed) {
        int64_t t = now_ms(), deadline = idle_end < end ? idle_end : end;
        if (t >= deadline) {
            say("timed out (%s) without a close from the client",
                deadline == end ? "total time" : "no datagram for 5 s");
            goto out;
        }
        int ready = wait_readable(fd, deadline - t);
        if (ready < 0) {
            perror("server: poll");
            goto out;
        }
        if (ready == 0) {
            continue;
        }
        struct sockaddr_in from;
        socklen_t from_len = sizeof from;
        ssize_t got = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len);
        if (got < 0) {
            perror("server: recvfrom");
            goto out;
        }
        size_t n = (size_t)got;
        if (!have_peer) {
            /* The first ClientHello chooses the one client this demo serves. */
            if (n == 0 || buf[0] != GAMECRYPT_SESSION_MESSAGE_CLIENT_HELLO) {
                say("ignoring a %zu-byte datagram: not a ClientHello", n);
                continue;
            }
            peer = from;
            have_peer = 1;
        } else if (from.sin_addr.s_addr != peer.sin_addr.s_addr || from.sin_port != peer.sin_port) {
            say("ignoring a datagram from another address");
            continue;
        }
        idle_end = now_ms() + IDLE_TIMEOUT_MS;
        if (lossy && n > 0 && !lost_finished && buf[0] == GAMECRYPT_SESSION_MESSAGE_CLIENT_FINISHED) {
            lost_finished = 1;
            say("(simulated loss) the first ClientFinished (%zu bytes) never arrived", n);
            continue;
        }
        if (lossy && n > 0 && !lost_data && buf[0] == GAMECRYPT_PACKET_TYPE_DATA) {
            lost_data = 1;
            say("(simulated loss) the first data packet (%zu bytes) never arrived", n);
            continue;
        }

        if (gamecrypt_session_is_handshake_message(buf, n)) {
            rc = gamecrypt_session_read_handshake(session, buf, n);
            if (rc == GAMECRYPT_RESULT_OK &&
                gamecrypt_session_get_state(session) == GAMECRYPT_SESSION_STATE_NEED_WRITE) {
                gamecrypt_suite suite = 0;
                (void)gamecrypt_session_suite(session, &suite);
                say("<- ClientHello (%zu bytes), suite %s", n, suite_name(suite));
                rc = gamecrypt_session_write_handshake(session, server_hello, sizeof server_hello,
                                                       &server_hello_len);
                if (rc != GAMECRYPT_RESULT_OK) {
                    say("write_handshake failed: %s", gamecrypt_result_str(rc));
                    goto out;
                }
                /* Keep the ServerHello: it is resent if the ClientHello comes again. */
                if (lossy && !lost_server_hello) {
                    lost_server_hello = 1;
                    say("(simulated loss) the ServerHello (%zu bytes) is lost on the way",
                        server_hello_len);
                } else {
                    sendto(fd, server_hello, server_hello_len, 0, (struct sockaddr *)&peer,
                           sizeof peer);
                    say("-> ServerHello (%zu bytes, signed by the identity key)",
                        server_hello_len);
                }
            } else if (rc == GAMECRYPT_RESULT_OK) {
                say("<- ClientFinished (%zu bytes): session established", n);
                /* Send something soon, so that the client stops resending its Finished. */
                static const char welcome[] = "welcome to the gamecrypt UDP demo";
                if (send_sealed(fd, &peer, session, (const uint8_t *)welcome,
                                sizeof welcome - 1) != 0) {
                    goto out;
                }
            } else if (rc == GAMECRYPT_RESULT_PACKET_REPLAYED) {
                say("<- the same ClientHello again (PACKET_REPLAYED): our ServerHello was lost, "
                    "resending it");
                sendto(fd, server_hello, server_hello_len, 0, (struct sockaddr *)&peer,
                       sizeof peer);
            } else if (rc == GAMECRYPT_RESULT_WRONG_STATE) {
                say("<- late duplicate handshake message (%zu bytes), ignored", n);
            } else {
                say("handshake failed: %s (%d): %s", result_name(rc), (int)rc,
                    gamecrypt_result_str(rc));
                goto out;
            }
            continue;
        }

        size_t plain_len = 0;
        rc = gamecrypt_session_open(session, buf, n, plain, sizeof plain, &plain_len);
        if (rc == GAMECRYPT_RESULT_OK) {
            say("<- \"%.*s\" (packet %llu, %zu bytes)", (int)plain_len, (const char *)plain,
                packet_number(buf), n);
            memcpy(reply, "echo: ", 6);
            size_t reply_len = plain_len + 6 < sizeof reply ? plain_len + 6 : sizeof reply;
            memcpy(reply + 6, plain, reply_len - 6);
            if (send_sealed(fd, &peer, session, reply, reply_len) != 0) {
                goto out;
            }
            echoed++;
        } else if (rc == GAMECRYPT_RESULT_PEER_CLOSED) {
            /* An authenticated close: from now on every call returns SESSION_CLOSED. */
            say("<- close packet (%zu bytes): the client closed the session", n);
            closed = 1;
        } else if (rc == GAMECRYPT_RESULT_WRONG_STATE) {
            say("<- data before the ClientFinished (%zu bytes): dropped as lost", n);
        } else if (is_drop(rc)) {
            drops++;
            say("<- datagram of %zu bytes REJECTED: %s (%d): %s; the session goes on", n,
                result_name(rc), (int)rc, gamecrypt_result_str(rc));
        } else {
            say("open failed: %s (%d): %s", result_name(rc), (int)rc, gamecrypt_result_str(rc));
            goto out;
        }
    }
    say("done: %u messages echoed, %u datagrams rejected, session %s", echoed, drops,
        gamecrypt_session_get_state(session) == GAMECRYPT_SESSION_STATE_CLOSED ? "closed"
                                                                               : "not closed");
    status = 0;

out:
    if (fd >= 0) {
        close(fd);
    }
    gamecrypt_session_free(session);
    gamecrypt_server_config_free(config);
    gamecrypt_server_config_builder_free(builder);
    gamecrypt_public_key_free(public_key);
    gamecrypt_signing_key_free(identity);
    free(pem);
    if (log_file != NULL) {
        fclose(log_file);
    }
    return status;
}
