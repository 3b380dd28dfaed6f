/*
 * gamecrypt UDP demo, client side: connects to udp_server through the connection endpoint
 * (docs/ENDPOINT.md), pinning the server's public key, sends <count> messages and waits for
 * each echo (sending it again as a new packet after 300 ms without one), then closes.
 * It also sends one tampered and one replayed datagram, which the server drops.
 *
 *   udp_client <port> <server_key.pub.pem> <count>
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <unistd.h>

#include "udp_common.h"

/* Keeps a copy of the first data packet sent (first byte 0x40) to replay and tamper with. */
static uint8_t first_data[DATAGRAM_MAX];
static size_t first_data_len = 0;
static int keep_first_data(const uint8_t *d, size_t len) {
    if (first_data_len == 0 && d[0] == GAMECRYPT_PACKET_TYPE_DATA && len > 24) {
        memcpy(first_data, d, len);
        first_data_len = len;
    }
    return 0; /* never lose anything */
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 4) {
        fprintf(stderr, "usage: %s <port> <server_key.pub.pem> <count>\n", argv[0]);
        return 2;
    }
    int count = atoi(argv[3]), echoed = 0, status = 1;
    char pem[8192];
    FILE *f = fopen(argv[2], "rb");
    size_t pem_len = f != NULL ? fread(pem, 1, sizeof pem, f) : 0;
    if (f != NULL) {
        fclose(f);
    }
    gamecrypt_public_key *pinned = NULL;
    gamecrypt_client_config_builder *b = NULL;
    gamecrypt_client_config *cfg = NULL;
    gamecrypt_endpoint *ep = NULL;
    if (gamecrypt_public_key_from_pem(pem, pem_len, &pinned) != GAMECRYPT_RESULT_OK ||
        gamecrypt_client_config_builder_new_pinned_key(pinned, &b) != GAMECRYPT_RESULT_OK ||
        gamecrypt_client_config_builder_build(b, &cfg) != GAMECRYPT_RESULT_OK ||
        gamecrypt_endpoint_new_client(cfg, NULL, &ep) != GAMECRYPT_RESULT_OK) {
        fprintf(stderr, "client: setup failed\n");
        goto out;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in server = {.sin_family = AF_INET,
                                 .sin_port = htons((uint16_t)atoi(argv[1])),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    gamecrypt_peer_id peer = 0;
    if (fd < 0 || gamecrypt_endpoint_connect(ep, now_ms(), (const uint8_t *)&server,
                                             sizeof server, &peer) != GAMECRYPT_RESULT_OK) {
        fprintf(stderr, "client: cannot connect\n");
        goto out;
    }

    int connected = 0, done = 0;
    uint64_t sent_at = 0;
    char msg[64];
    const uint64_t end = now_ms() + 15000;
    while (!done && now_ms() < end) {
        endpoint_flush(ep, fd, keep_first_data);
        if (endpoint_step(ep, fd, 50) != 0) {
            break;
        }
        gamecrypt_endpoint_event ev;
        static uint8_t data[DATAGRAM_MAX];
        size_t len = 0;
        while (gamecrypt_endpoint_poll_event(ep, &ev, data, sizeof data, &len) ==
                   GAMECRYPT_RESULT_OK &&
               ev.kind != GAMECRYPT_ENDPOINT_EVENT_NONE) {
            if (ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED) {
                printf("client: connected, %s, server key %s...\n", suite_name(ev.suite),
                       short_hex(ev.fingerprint));
                connected = 1;
            } else if (ev.kind == GAMECRYPT_ENDPOINT_EVENT_DATA) {
                int n = snprintf(msg, sizeof msg, "message %d of %d", echoed + 1, count);
                if (len == (size_t)n && memcmp(data, msg, len) == 0) {
                    echoed++;
                    sent_at = 0;
                }
            } else if (ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLOSED) {
                printf("client: closed (reason %u: %s)\n", ev.close_reason,
                        gamecrypt_result_str(ev.code));
                done = 1;
                status = ev.close_reason == GAMECRYPT_ENDPOINT_CLOSE_LOCAL && echoed == count ? 0 : 1;
            }
        }
        if (connected && echoed == count && !done) {
            /* The tampered copy and the replay of our first data packet, then the close. */
            if (first_data_len > 0) {
                sendto(fd, first_data, first_data_len, 0, (struct sockaddr *)&server, sizeof server);
                first_data[first_data_len - 1] ^= 1;
                sendto(fd, first_data, first_data_len, 0, (struct sockaddr *)&server, sizeof server);
            }
            printf("client: %d echoes received; closing\n", echoed);
            gamecrypt_endpoint_close(ep, now_ms(), peer);
        } else if (connected && echoed < count && now_ms() >= sent_at + 300) {
            int n = snprintf(msg, sizeof msg, "message %d of %d", echoed + 1, count);
            gamecrypt_endpoint_send(ep, now_ms(), peer, (const uint8_t *)msg, (size_t)n);
            sent_at = now_ms();
        }
    }
    endpoint_flush(ep, fd, NULL);
    close(fd);
out:
    gamecrypt_endpoint_free(ep);
    gamecrypt_client_config_free(cfg);
    gamecrypt_client_config_builder_free(b);
    gamecrypt_public_key_free(pinned);
    return status;
}
