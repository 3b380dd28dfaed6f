/*
 * gamecrypt UDP demo, server side: a secure echo server for several clients at once, on the
 * connection endpoint (docs/ENDPOINT.md), which owns the handshakes, retransmissions,
 * keep-alives, timeouts and the peer table.
 *
 *   udp_server <p256|ed25519> <run_dir> <clients> [--lose-some]
 *
 * Writes its public key to <run_dir>/server_key.pub.pem (the clients pin it) and its port on
 * 127.0.0.1 to <run_dir>/port, echoes every message, and exits 0 once <clients> clients have
 * connected and closed (1 after 20 s). With --lose-some it "loses" the first datagram it sends
 * to each client (the ServerHello), so that the retransmissions happen. Prints and logs to
 * <run_dir>/server.log.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "udp_common.h"

static FILE *log_file;

static void say(const char *fmt, ...) {
    va_list ap;
    for (int i = 0; i < 2; i++) {
        FILE *f = i == 0 ? stdout : log_file;
        if (f == NULL) {
            continue;
        }
        va_start(ap, fmt);
        fprintf(f, "server: ");
        vfprintf(f, fmt, ap);
        fprintf(f, "\n");
        fflush(f);
        va_end(ap);
    }
}

/* --lose-some: drop each ServerHello (first byte 0x02) the first time it is sent. */
static int lose_first_server_hellos(const uint8_t *d, size_t len) {
    static int lost = 0;
    (void)len;
    return d[0] == GAMECRYPT_SESSION_MESSAGE_SERVER_HELLO && lost++ % 2 == 0;
}

static int write_file(const char *dir, const char *name, const void *data, size_t len) {
    char tmp[1024], path[1024];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(tmp, "wb");
    int ok = f != NULL && fwrite(data, 1, len, f) == len;
    return (f != NULL && fclose(f) == 0 && ok) ? rename(tmp, path) : -1;
}

int main(int argc, char **argv) {
    int lossy = argc == 5 && strcmp(argv[4], "--lose-some") == 0;
    if ((argc != 4 && !lossy) || (strcmp(argv[1], "p256") && strcmp(argv[1], "ed25519"))) {
        fprintf(stderr, "usage: %s <p256|ed25519> <run_dir> <clients> [--lose-some]\n", argv[0]);
        return 2;
    }
    char log_path[1024];
    snprintf(log_path, sizeof log_path, "%s/server.log", argv[2]);
    log_file = fopen(log_path, "w");
    int expected = atoi(argv[3]), closed = 0, status = 1;

    /* Identity key (its public key goes to the clients) and the server endpoint. */
    gamecrypt_signing_key *id = NULL;
    gamecrypt_public_key *pub = NULL;
    gamecrypt_server_config_builder *b = NULL;
    gamecrypt_server_config *cfg = NULL;
    gamecrypt_endpoint *ep = NULL;
    char pem[4096];
    size_t pem_len = 0;
    gamecrypt_key_type type = strcmp(argv[1], "p256") == 0 ? GAMECRYPT_KEY_TYPE_ECDSA_P256
                                                           : GAMECRYPT_KEY_TYPE_ED25519;
    if (gamecrypt_signing_key_generate(type, &id) != GAMECRYPT_RESULT_OK ||
        gamecrypt_signing_key_public_key(id, &pub) != GAMECRYPT_RESULT_OK ||
        gamecrypt_public_key_to_pem(pub, pem, sizeof pem, &pem_len) != GAMECRYPT_RESULT_OK ||
        write_file(argv[2], "server_key.pub.pem", pem, pem_len) != 0 ||
        gamecrypt_server_config_builder_new(id, &b) != GAMECRYPT_RESULT_OK ||
        gamecrypt_server_config_builder_build(b, &cfg) != GAMECRYPT_RESULT_OK ||
        gamecrypt_endpoint_new_server(cfg, NULL, &ep) != GAMECRYPT_RESULT_OK) {
        say("setup failed");
        goto out;
    }

    /* A UDP socket on a free port of 127.0.0.1. */
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t addr_len = sizeof addr;
    char port[16];
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &addr_len) != 0 ||
        write_file(argv[2], "port", port,
                   (size_t)snprintf(port, sizeof port, "%u\n", ntohs(addr.sin_port))) != 0) {
        say("cannot bind a UDP socket");
        goto out;
    }
    say("%s identity, listening on 127.0.0.1:%u for %d clients", argv[1], ntohs(addr.sin_port),
        expected);

    const uint64_t end = now_ms() + 20000;
    while (closed < expected && now_ms() < end) {
        if (endpoint_step(ep, fd, 100) != 0) {
            goto out;
        }
        gamecrypt_endpoint_event ev;
        static uint8_t data[DATAGRAM_MAX];
        size_t len = 0;
        while (gamecrypt_endpoint_poll_event(ep, &ev, data, sizeof data, &len) ==
                   GAMECRYPT_RESULT_OK &&
               ev.kind != GAMECRYPT_ENDPOINT_EVENT_NONE) {
            if (ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED) {
                say("peer %llu connected (%s)", (unsigned long long)ev.peer, suite_name(ev.suite));
            } else if (ev.kind == GAMECRYPT_ENDPOINT_EVENT_DATA) {
                say("peer %llu: \"%.*s\"", (unsigned long long)ev.peer, (int)len, (char *)data);
                gamecrypt_endpoint_send(ep, now_ms(), ev.peer, data, len); /* echo */
            } else if (ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLOSED) {
                say("peer %llu closed (reason %u: %s)", (unsigned long long)ev.peer,
                    ev.close_reason, gamecrypt_result_str(ev.code));
                closed++;
            }
        }
        endpoint_flush(ep, fd, lossy ? lose_first_server_hellos : NULL);
    }
    gamecrypt_endpoint_stats st;
    gamecrypt_endpoint_get_stats(ep, &st);
    say("done: %d clients closed; dropped %llu bad or replayed datagrams, %llu stray; "
        "resent %llu handshake messages",
        closed, (unsigned long long)st.dropped_invalid, (unsigned long long)st.dropped_stray,
        (unsigned long long)st.handshake_resends);
    status = closed == expected ? 0 : 1;
    close(fd);
out:
    gamecrypt_endpoint_free(ep);
    gamecrypt_server_config_free(cfg);
    gamecrypt_server_config_builder_free(b);
    gamecrypt_public_key_free(pub);
    gamecrypt_signing_key_free(id);
    if (log_file != NULL) {
        fclose(log_file);
    }
    return status;
}
