/* The connection endpoint through the C ABI (docs/ENDPOINT.md): settings, creation, the
 * handshake with retransmission, data, keep-alive, idle and handshake timeouts, close,
 * client authentication (accept and reject), retry cookies, a reconnect from the same address,
 * every buffer and error path. */
#include "check.h"

#define ADDR_MAX GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN
#define DGRAM_MAX 4096

static const uint8_t SERVER_ADDR[] = "server:7777";
static const uint8_t CLIENT_ADDR[] = "client:1";
static const uint8_t CLIENT2_ADDR[] = "client:2";

static gamecrypt_signing_key *new_key(void) {
    gamecrypt_signing_key *k = NULL;
    CHECK_OK(gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &k));
    return k;
}

static gamecrypt_server_config *server_config(const gamecrypt_signing_key *id, int client_auth,
                                              int retry) {
    gamecrypt_server_config_builder *b = NULL;
    gamecrypt_server_config *cfg = NULL;
    CHECK_OK(gamecrypt_server_config_builder_new(id, &b));
    if (client_auth) {
        CHECK_OK(gamecrypt_server_config_builder_set_client_auth(
            b, GAMECRYPT_CLIENT_AUTH_REQUIRED, GAMECRYPT_CLIENT_AUTH_OPTIONAL));
    }
    if (retry) {
        CHECK_OK(gamecrypt_server_config_builder_set_retry(b, 10));
    }
    CHECK_OK(gamecrypt_server_config_builder_build(b, &cfg));
    gamecrypt_server_config_builder_free(b);
    return cfg;
}

static gamecrypt_client_config *client_config(const gamecrypt_signing_key *server,
                                              const gamecrypt_signing_key *client_key,
                                              const char *token) {
    gamecrypt_public_key *pk = NULL;
    gamecrypt_client_config_builder *b = NULL;
    gamecrypt_client_config *cfg = NULL;
    CHECK_OK(gamecrypt_signing_key_public_key(server, &pk));
    CHECK_OK(gamecrypt_client_config_builder_new_pinned_key(pk, &b));
    if (client_key != NULL) {
        CHECK_OK(gamecrypt_client_config_builder_set_client_key(b, client_key));
    }
    if (token != NULL) {
        CHECK_OK(gamecrypt_client_config_builder_set_token(b, (const uint8_t *)token,
                                                            strlen(token)));
    }
    CHECK_OK(gamecrypt_client_config_builder_build(b, &cfg));
    gamecrypt_client_config_builder_free(b);
    gamecrypt_public_key_free(pk);
    return cfg;
}

/* Moves every queued datagram of `from` to `to`, or drops it when `to` is NULL. Returns the
 * number of datagrams moved. */
static int pump(gamecrypt_endpoint *from, const uint8_t *from_addr, size_t from_len,
                gamecrypt_endpoint *to, uint64_t now) {
    int n = 0;
    for (;;) {
        static uint8_t addr[ADDR_MAX], dgram[65536];
        size_t alen = 99, dlen = 99;
        gamecrypt_result rc = gamecrypt_endpoint_poll_transmit(from, addr, sizeof addr, &alen,
                                                               dgram, sizeof dgram, &dlen);
        CHECK_OK(rc);
        if (rc != GAMECRYPT_RESULT_OK || dlen == 0) {
            CHECK(alen == 0);
            return n;
        }
        n++;
        if (to != NULL) {
            CHECK_OK(gamecrypt_endpoint_receive(to, now, from_addr, from_len, dgram, dlen));
        }
    }
}

/* Takes the next event; its data (if any) goes to `data`. */
static gamecrypt_endpoint_event next_event(gamecrypt_endpoint *ep, uint8_t *data, size_t cap,
                                           size_t *len) {
    gamecrypt_endpoint_event ev;
    size_t dummy = 0;
    CHECK_OK(gamecrypt_endpoint_poll_event(ep, &ev, data, cap, len != NULL ? len : &dummy));
    return ev;
}

static void test_config(void) {
    gamecrypt_endpoint_config *c = NULL;
    CHECK_RC(gamecrypt_endpoint_config_new(NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_new(&c));
    CHECK_OK(gamecrypt_endpoint_config_set_handshake_resend_initial_ms(c, 100));
    CHECK_RC(gamecrypt_endpoint_config_set_handshake_resend_initial_ms(c, 9),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_handshake_resend_max_ms(c, 800));
    CHECK_RC(gamecrypt_endpoint_config_set_handshake_resend_max_ms(c, 60001),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_handshake_timeout_ms(c, 5000));
    CHECK_RC(gamecrypt_endpoint_config_set_handshake_timeout_ms(c, 99),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_keepalive_interval_ms(c, 500));
    CHECK_RC(gamecrypt_endpoint_config_set_keepalive_interval_ms(c, 0),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_idle_timeout_ms(c, 3000));
    CHECK_RC(gamecrypt_endpoint_config_set_idle_timeout_ms(c, 3600001),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_max_peers(c, 4));
    CHECK_RC(gamecrypt_endpoint_config_set_max_peers(c, 0), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_max_handshakes(c, 2));
    CHECK_RC(gamecrypt_endpoint_config_set_max_handshakes(c, 0),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_max_data_len(c, 0));
    CHECK_OK(gamecrypt_endpoint_config_set_max_data_len(c, 65483));
    CHECK_RC(gamecrypt_endpoint_config_set_max_data_len(c, 65484),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_close_copies(c, 1));
    CHECK_RC(gamecrypt_endpoint_config_set_close_copies(c, 11), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_max_queued_bytes(c, 65536));
    CHECK_RC(gamecrypt_endpoint_config_set_max_queued_bytes(c, 65535),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_max_pending_events(c, 16));
    CHECK_RC(gamecrypt_endpoint_config_set_max_pending_events(c, 15),
             GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_config_set_max_peers(NULL, 4), GAMECRYPT_RESULT_NULL_ARGUMENT);

    /* Settings that contradict each other are refused when the endpoint is created. */
    gamecrypt_signing_key *k = new_key();
    gamecrypt_client_config *cc = client_config(k, NULL, NULL);
    gamecrypt_endpoint *ep = SENTINEL(gamecrypt_endpoint);
    CHECK_OK(gamecrypt_endpoint_config_set_keepalive_interval_ms(c, 3000)); /* = idle timeout */
    CHECK_RC(gamecrypt_endpoint_new_client(cc, c, &ep), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(ep == SENTINEL(gamecrypt_endpoint));
    CHECK_OK(gamecrypt_endpoint_config_set_keepalive_interval_ms(c, 500));
    CHECK_OK(gamecrypt_endpoint_config_set_max_handshakes(c, 5)); /* > max_peers */
    CHECK_RC(gamecrypt_endpoint_new_client(cc, c, &ep), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_max_handshakes(c, 2));
    CHECK_OK(gamecrypt_endpoint_config_set_handshake_resend_initial_ms(c, 900)); /* > max */
    CHECK_RC(gamecrypt_endpoint_new_client(cc, c, &ep), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_config_set_handshake_resend_initial_ms(c, 100));
    CHECK_OK(gamecrypt_endpoint_new_client(cc, c, &ep));
    gamecrypt_endpoint_free(ep);
    gamecrypt_endpoint_config_free(c);
    gamecrypt_endpoint_config_free(NULL);
    gamecrypt_client_config_free(cc);
    gamecrypt_signing_key_free(k);
}

static void test_create_errors(void) {
    gamecrypt_signing_key *k = new_key();
    gamecrypt_client_config *cc = client_config(k, NULL, NULL);
    gamecrypt_server_config *sc = server_config(k, 0, 0);
    gamecrypt_endpoint *ep = SENTINEL(gamecrypt_endpoint);
    CHECK_RC(gamecrypt_endpoint_new_client(NULL, NULL, &ep), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_new_client(cc, NULL, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_new_server(NULL, NULL, &ep), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_new_server(sc, NULL, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK(ep == SENTINEL(gamecrypt_endpoint));
    gamecrypt_endpoint_free(NULL);

    /* A server endpoint cannot connect; NULL handles everywhere. */
    gamecrypt_endpoint *server = NULL;
    CHECK_OK(gamecrypt_endpoint_new_server(sc, NULL, &server));
    gamecrypt_peer_id peer = 77;
    CHECK_RC(gamecrypt_endpoint_connect(server, 0, SERVER_ADDR, sizeof SERVER_ADDR, &peer),
             GAMECRYPT_RESULT_WRONG_ROLE);
    CHECK(peer == 77);
    CHECK_RC(gamecrypt_endpoint_connect(NULL, 0, SERVER_ADDR, sizeof SERVER_ADDR, &peer),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive(NULL, 0, CLIENT_ADDR, 1, NULL, 0),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive(server, 0, NULL, 3, NULL, 0),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive(server, 0, CLIENT_ADDR, 1, NULL, 5),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    /* Address lengths 0 and 129 are refused; 128 is fine. */
    uint8_t long_addr[ADDR_MAX + 1];
    memset(long_addr, 'a', sizeof long_addr);
    CHECK_RC(gamecrypt_endpoint_receive(server, 0, NULL, 0, NULL, 0),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_endpoint_receive(server, 0, long_addr, sizeof long_addr, NULL, 0),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_OK(gamecrypt_endpoint_receive(server, 0, long_addr, ADDR_MAX, NULL, 0));
    CHECK_RC(gamecrypt_endpoint_handle_timeout(NULL, 0), GAMECRYPT_RESULT_NULL_ARGUMENT);
    uint64_t deadline = 0;
    CHECK_RC(gamecrypt_endpoint_next_deadline(NULL, &deadline), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_next_deadline(server, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_next_deadline(server, &deadline));
    CHECK(deadline == GAMECRYPT_ENDPOINT_NO_DEADLINE);
    size_t alen = 0, dlen = 0;
    uint8_t buf[64];
    CHECK_RC(gamecrypt_endpoint_poll_transmit(NULL, buf, 8, &alen, buf + 8, 8, &dlen),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_poll_transmit(server, buf, 8, NULL, buf + 8, 8, &dlen),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_poll_transmit(server, buf, 8, &alen, buf + 8, 8, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_poll_transmit(server, buf, 16, &alen, buf + 8, 8, &dlen),
             GAMECRYPT_RESULT_INVALID_ARGUMENT); /* the outputs overlap */
    gamecrypt_endpoint_event ev;
    CHECK_RC(gamecrypt_endpoint_poll_event(NULL, &ev, NULL, 0, &dlen),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_poll_event(server, NULL, NULL, 0, &dlen),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_poll_event(server, &ev, NULL, 0, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    ev.kind = 99;
    CHECK_OK(gamecrypt_endpoint_poll_event(server, &ev, NULL, 0, &dlen));
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_NONE && dlen == 0);
    CHECK_RC(gamecrypt_endpoint_send(NULL, 0, 1, NULL, 0), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_send(server, 0, 1, NULL, 4), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_send(server, 0, 1, NULL, 0), GAMECRYPT_RESULT_UNKNOWN_PEER);
    CHECK_RC(gamecrypt_endpoint_close(NULL, 0, 1), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_close(server, 0, 0), GAMECRYPT_RESULT_UNKNOWN_PEER);
    CHECK_RC(gamecrypt_endpoint_accept(NULL, 0, 1), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_accept(server, 0, 1), GAMECRYPT_RESULT_UNKNOWN_PEER);
    CHECK_RC(gamecrypt_endpoint_reject(NULL, 0, 1), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_reject(server, 0, 1), GAMECRYPT_RESULT_UNKNOWN_PEER);
    gamecrypt_endpoint_peer_state st = 0;
    CHECK_RC(gamecrypt_endpoint_get_peer_state(NULL, 1, &st), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_get_peer_state(server, 1, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_get_peer_state(server, 1, &st), GAMECRYPT_RESULT_UNKNOWN_PEER);
    gamecrypt_suite suite = 0;
    CHECK_RC(gamecrypt_endpoint_get_peer_suite(NULL, 1, &suite), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_get_peer_suite(server, 1, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_get_peer_address(NULL, 1, buf, sizeof buf, &alen),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_get_peer_address(server, 1, buf, sizeof buf, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_get_peer_fingerprint(NULL, 1, buf, sizeof buf, &alen),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_get_peer_client_token(NULL, 1, buf, sizeof buf, &alen),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_get_peer_client_token(server, 1, buf, sizeof buf, &alen),
             GAMECRYPT_RESULT_UNKNOWN_PEER);
    gamecrypt_endpoint_stats stats;
    CHECK_RC(gamecrypt_endpoint_get_stats(NULL, &stats), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_get_stats(server, NULL), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.datagrams_received == 1 && stats.dropped_stray == 1 && stats.peers == 0);

    /* Time going backwards changes nothing. */
    CHECK_OK(gamecrypt_endpoint_handle_timeout(server, 1000));
    CHECK_RC(gamecrypt_endpoint_handle_timeout(server, 999), GAMECRYPT_RESULT_TIME_WENT_BACKWARDS);
    CHECK_RC(gamecrypt_endpoint_receive(server, 999, CLIENT_ADDR, 1, NULL, 0),
             GAMECRYPT_RESULT_TIME_WENT_BACKWARDS);
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.datagrams_received == 1);

    /* The panic boundary. */
    gamecrypt_testing_panic_next_call();
    CHECK_RC(gamecrypt_endpoint_handle_timeout(server, 1000), GAMECRYPT_RESULT_PANIC);

    gamecrypt_endpoint_free(server);
    gamecrypt_server_config_free(sc);
    gamecrypt_client_config_free(cc);
    gamecrypt_signing_key_free(k);
}

/* Connects `client` (peer `cpeer`) to `server` without loss; returns the server's peer id. */
static gamecrypt_peer_id handshake(gamecrypt_endpoint *client, const uint8_t *caddr,
                                   size_t caddr_len, gamecrypt_endpoint *server, uint64_t now) {
    CHECK(pump(client, caddr, caddr_len, server, now) == 1);                      /* CH */
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, client, now) == 1);       /* SH */
    CHECK(pump(client, caddr, caddr_len, server, now) == 1);                      /* CF */
    gamecrypt_endpoint_event ev = next_event(server, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED);
    CHECK(ev.has_fingerprint == false);
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, client, now) == 1);       /* confirm */
    return ev.peer;
}

static void test_connect_data_close(void) {
    gamecrypt_signing_key *k = new_key();
    gamecrypt_client_config *cc = client_config(k, NULL, NULL);
    gamecrypt_server_config *sc = server_config(k, 0, 0);
    gamecrypt_endpoint *client = NULL, *server = NULL;
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &client));
    CHECK_OK(gamecrypt_endpoint_new_server(sc, NULL, &server));
    gamecrypt_client_config_free(cc); /* the endpoints keep their own references */
    gamecrypt_server_config_free(sc);

    gamecrypt_peer_id cpeer = 0;
    CHECK_RC(gamecrypt_endpoint_connect(client, 0, SERVER_ADDR, 0, &cpeer),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_endpoint_connect(client, 0, SERVER_ADDR, sizeof SERVER_ADDR, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_OK(gamecrypt_endpoint_connect(client, 0, SERVER_ADDR, sizeof SERVER_ADDR, &cpeer));
    CHECK(cpeer != 0);
    gamecrypt_peer_id again = 5;
    CHECK_RC(gamecrypt_endpoint_connect(client, 0, SERVER_ADDR, sizeof SERVER_ADDR, &again),
             GAMECRYPT_RESULT_ADDRESS_IN_USE);
    CHECK(again == 5);
    gamecrypt_endpoint_peer_state st = 0;
    CHECK_OK(gamecrypt_endpoint_get_peer_state(client, cpeer, &st));
    CHECK(st == GAMECRYPT_ENDPOINT_PEER_HANDSHAKE);
    gamecrypt_suite suite = 0;
    CHECK_RC(gamecrypt_endpoint_get_peer_suite(client, cpeer, &suite), GAMECRYPT_RESULT_WRONG_STATE);
    CHECK_RC(gamecrypt_endpoint_send(client, 0, cpeer, (const uint8_t *)"x", 1),
             GAMECRYPT_RESULT_PEER_NOT_CONNECTED);
    uint64_t deadline = 0;
    CHECK_OK(gamecrypt_endpoint_next_deadline(client, &deadline));
    CHECK(deadline == 250); /* the first retransmission */

    /* poll_transmit: a size query, then too small buffers; nothing is dequeued. */
    size_t alen = 0, dlen = 0;
    CHECK_RC(gamecrypt_endpoint_poll_transmit(client, NULL, 0, &alen, NULL, 0, &dlen),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(alen == sizeof SERVER_ADDR && dlen >= 1200);
    size_t ch_len = dlen;
    uint8_t addr[ADDR_MAX], dgram[DGRAM_MAX];
    memset(dgram, CANARY, sizeof dgram);
    CHECK_RC(gamecrypt_endpoint_poll_transmit(client, addr, sizeof addr, &alen, dgram, ch_len - 1,
                                              &dlen),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(dlen == ch_len && all_bytes_are(dgram, sizeof dgram, CANARY));
    CHECK_RC(gamecrypt_endpoint_poll_transmit(client, addr, 3, &alen, dgram, sizeof dgram, &dlen),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(alen == sizeof SERVER_ADDR);

    /* The ClientHello is lost; the timer sends the same bytes again at 250 ms. */
    CHECK(pump(client, CLIENT_ADDR, sizeof CLIENT_ADDR, NULL, 0) == 1);
    CHECK_OK(gamecrypt_endpoint_handle_timeout(client, 249));
    CHECK(pump(client, CLIENT_ADDR, sizeof CLIENT_ADDR, NULL, 249) == 0);
    CHECK_OK(gamecrypt_endpoint_handle_timeout(client, 250));
    CHECK_OK(gamecrypt_endpoint_next_deadline(client, &deadline));
    CHECK(deadline == 750); /* doubled */

    gamecrypt_peer_id speer = handshake(client, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 260);
    uint8_t data[2048];
    size_t data_len = 0;
    gamecrypt_endpoint_event ev = next_event(client, data, sizeof data, &data_len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED && ev.peer == cpeer);
    CHECK(ev.suite == GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256);
    CHECK(ev.has_fingerprint == true && data_len == 0);
    uint8_t fp[64];
    size_t fp_len = 0;
    CHECK_OK(gamecrypt_endpoint_get_peer_fingerprint(client, cpeer, fp, sizeof fp, &fp_len));
    CHECK(fp_len == GAMECRYPT_FINGERPRINT_LEN && memcmp(fp, ev.fingerprint, fp_len) == 0);
    CHECK_RC(gamecrypt_endpoint_get_peer_fingerprint(client, cpeer, fp, 31, &fp_len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(fp_len == 32);
    CHECK_OK(gamecrypt_endpoint_get_peer_fingerprint(server, speer, fp, sizeof fp, &fp_len));
    CHECK(fp_len == 0); /* no client authentication */
    CHECK_RC(gamecrypt_endpoint_get_peer_client_token(server, speer, fp, sizeof fp, &fp_len),
             GAMECRYPT_RESULT_WRONG_STATE);
    CHECK_OK(gamecrypt_endpoint_get_peer_state(server, speer, &st));
    CHECK(st == GAMECRYPT_ENDPOINT_PEER_CONNECTED);
    CHECK_OK(gamecrypt_endpoint_get_peer_suite(server, speer, &suite));
    CHECK(suite == GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256);
    CHECK_OK(gamecrypt_endpoint_get_peer_address(server, speer, addr, sizeof addr, &alen));
    CHECK(alen == sizeof CLIENT_ADDR && memcmp(addr, CLIENT_ADDR, alen) == 0);
    CHECK_RC(gamecrypt_endpoint_get_peer_address(server, speer, addr, 2, &alen),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);

    /* Data both ways; oversize, unknown peer and backwards time change nothing. */
    CHECK_OK(gamecrypt_endpoint_send(client, 300, cpeer, (const uint8_t *)"hello", 5));
    uint8_t big[1201];
    memset(big, 7, sizeof big);
    CHECK_RC(gamecrypt_endpoint_send(client, 300, cpeer, big, sizeof big),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_endpoint_send(client, 300, cpeer + 1, big, 3),
             GAMECRYPT_RESULT_UNKNOWN_PEER);
    CHECK_RC(gamecrypt_endpoint_send(client, 299, cpeer, big, 3),
             GAMECRYPT_RESULT_TIME_WENT_BACKWARDS);
    CHECK_OK(gamecrypt_endpoint_send(client, 300, cpeer, big, 1200));
    CHECK(pump(client, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 300) == 2);
    /* poll_event: size query, then the data. */
    CHECK_RC(gamecrypt_endpoint_poll_event(server, &ev, NULL, 0, &data_len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(data_len == 5);
    ev = next_event(server, data, sizeof data, &data_len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_DATA && ev.peer == speer);
    CHECK(data_len == 5 && ev.data_len == 5 && memcmp(data, "hello", 5) == 0);
    ev = next_event(server, data, sizeof data, &data_len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_DATA && data_len == 1200 && data[1199] == 7);
    ev = next_event(server, data, sizeof data, &data_len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_NONE);

    /* Keep-alive: 1000 ms after the server's last packet it sends an empty one. */
    gamecrypt_endpoint_stats stats;
    CHECK_OK(gamecrypt_endpoint_handle_timeout(server, 1260));
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.keepalives_sent == 1 && stats.peers == 1);
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, client, 1260) == 1);
    ev = next_event(client, data, sizeof data, &data_len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_NONE); /* keep-alives are not events */

    /* A replayed datagram is dropped quietly. */
    CHECK_OK(gamecrypt_endpoint_send(client, 1300, cpeer, (const uint8_t *)"once", 4));
    CHECK_OK(gamecrypt_endpoint_poll_transmit(client, addr, sizeof addr, &alen, dgram,
                                              sizeof dgram, &dlen));
    CHECK_OK(gamecrypt_endpoint_receive(server, 1300, CLIENT_ADDR, sizeof CLIENT_ADDR, dgram, dlen));
    CHECK_OK(gamecrypt_endpoint_receive(server, 1300, CLIENT_ADDR, sizeof CLIENT_ADDR, dgram, dlen));
    ev = next_event(server, data, sizeof data, &data_len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_DATA && data_len == 4);
    ev = next_event(server, data, sizeof data, &data_len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_NONE);
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.dropped_invalid == 1);

    /* Close: the server sees PEER_CLOSED; the peer id is gone on both sides. */
    CHECK_OK(gamecrypt_endpoint_close(client, 1400, cpeer));
    ev = next_event(client, data, sizeof data, &data_len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLOSED && ev.peer == cpeer);
    CHECK(ev.close_reason == GAMECRYPT_ENDPOINT_CLOSE_LOCAL);
    CHECK(pump(client, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 1400) == 3);
    ev = next_event(server, data, sizeof data, &data_len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLOSED && ev.peer == speer);
    CHECK(ev.close_reason == GAMECRYPT_ENDPOINT_CLOSE_PEER_CLOSED);
    CHECK(ev.code == GAMECRYPT_RESULT_PEER_CLOSED);
    CHECK_RC(gamecrypt_endpoint_send(client, 1500, cpeer, NULL, 0), GAMECRYPT_RESULT_UNKNOWN_PEER);
    CHECK_RC(gamecrypt_endpoint_close(client, 1500, cpeer), GAMECRYPT_RESULT_UNKNOWN_PEER);
    CHECK_RC(gamecrypt_endpoint_get_peer_state(server, speer, &st), GAMECRYPT_RESULT_UNKNOWN_PEER);
    CHECK_OK(gamecrypt_endpoint_next_deadline(server, &deadline));

    gamecrypt_endpoint_free(client);
    gamecrypt_endpoint_free(server);
    gamecrypt_signing_key_free(k);
}

static void test_timeouts(void) {
    gamecrypt_signing_key *k = new_key();
    gamecrypt_client_config *cc = client_config(k, NULL, NULL);
    gamecrypt_server_config *sc = server_config(k, 0, 0);
    gamecrypt_endpoint *client = NULL, *server = NULL;
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &client));
    CHECK_OK(gamecrypt_endpoint_new_server(sc, NULL, &server));

    /* Handshake timeout: nobody answers; CLOSED at exactly 10000 ms. */
    gamecrypt_peer_id lost = 0;
    CHECK_OK(gamecrypt_endpoint_connect(client, 0, CLIENT2_ADDR, sizeof CLIENT2_ADDR, &lost));
    uint64_t now = 0, deadline = 0;
    int sent = 0;
    gamecrypt_endpoint_event ev;
    for (;;) {
        sent += pump(client, CLIENT_ADDR, sizeof CLIENT_ADDR, NULL, now);
        ev = next_event(client, NULL, 0, NULL);
        if (ev.kind != GAMECRYPT_ENDPOINT_EVENT_NONE) {
            break;
        }
        CHECK_OK(gamecrypt_endpoint_next_deadline(client, &deadline));
        if (deadline == GAMECRYPT_ENDPOINT_NO_DEADLINE || deadline > 20000) {
            break;
        }
        now = deadline;
        CHECK_OK(gamecrypt_endpoint_handle_timeout(client, now));
    }
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLOSED && ev.peer == lost);
    CHECK(ev.close_reason == GAMECRYPT_ENDPOINT_CLOSE_HANDSHAKE_TIMEOUT);
    CHECK(ev.code == GAMECRYPT_RESULT_HANDSHAKE_TIMEOUT);
    CHECK(now == 10000);
    /* 0, 250, 750, 1750, 3750, 5750, 7750, 9750 */
    CHECK(sent == 8);

    /* Idle timeout: the client goes silent; the server closes it 10000 ms after the last
     * packet it received. */
    gamecrypt_peer_id cpeer = 0;
    CHECK_OK(gamecrypt_endpoint_connect(client, now, SERVER_ADDR, sizeof SERVER_ADDR, &cpeer));
    gamecrypt_peer_id speer = handshake(client, CLIENT_ADDR, sizeof CLIENT_ADDR, server, now);
    uint64_t last = now;
    for (;;) {
        pump(server, SERVER_ADDR, sizeof SERVER_ADDR, NULL, now); /* keep-alives, dropped */
        ev = next_event(server, NULL, 0, NULL);
        if (ev.kind != GAMECRYPT_ENDPOINT_EVENT_NONE) {
            break;
        }
        CHECK_OK(gamecrypt_endpoint_next_deadline(server, &deadline));
        if (deadline == GAMECRYPT_ENDPOINT_NO_DEADLINE || deadline > last + 20000) {
            break;
        }
        now = deadline;
        CHECK_OK(gamecrypt_endpoint_handle_timeout(server, now));
    }
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLOSED && ev.peer == speer);
    CHECK(ev.close_reason == GAMECRYPT_ENDPOINT_CLOSE_IDLE_TIMEOUT);
    CHECK(ev.code == GAMECRYPT_RESULT_IDLE_TIMEOUT);
    CHECK(now == last + 10000);
    gamecrypt_endpoint_stats stats;
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.peers == 0 && stats.keepalives_sent == 9);

    gamecrypt_endpoint_free(client);
    gamecrypt_endpoint_free(server);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_signing_key_free(k);
}

static void test_client_auth_and_retry(void) {
    gamecrypt_signing_key *k = new_key();
    gamecrypt_signing_key *ck = new_key();
    gamecrypt_client_config *cc = client_config(k, ck, "player-42");
    gamecrypt_server_config *sc = server_config(k, 1, 1);
    gamecrypt_endpoint *c1 = NULL, *c2 = NULL, *server = NULL;
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &c1));
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &c2));
    CHECK_OK(gamecrypt_endpoint_new_server(sc, NULL, &server));

    gamecrypt_peer_id p1 = 0, p2 = 0;
    CHECK_OK(gamecrypt_endpoint_connect(c1, 0, SERVER_ADDR, sizeof SERVER_ADDR, &p1));
    CHECK_OK(gamecrypt_endpoint_connect(c2, 0, SERVER_ADDR, sizeof SERVER_ADDR, &p2));
    /* CH -> Retry -> CH2 -> SH -> CF for each client. */
    for (int round = 0; round < 3; round++) {
        pump(c1, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 10);
        pump(c2, CLIENT2_ADDR, sizeof CLIENT2_ADDR, server, 10);
        /* The server answers both; route by address. */
        for (;;) {
            uint8_t addr[ADDR_MAX], dgram[DGRAM_MAX];
            size_t alen = 0, dlen = 0;
            CHECK_OK(gamecrypt_endpoint_poll_transmit(server, addr, sizeof addr, &alen, dgram,
                                                      sizeof dgram, &dlen));
            if (dlen == 0) {
                break;
            }
            gamecrypt_endpoint *to = memcmp(addr, CLIENT_ADDR, sizeof CLIENT_ADDR) == 0 ? c1 : c2;
            CHECK_OK(gamecrypt_endpoint_receive(to, 10, SERVER_ADDR, sizeof SERVER_ADDR, dgram,
                                                dlen));
        }
    }
    gamecrypt_endpoint_stats stats;
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.retries_sent == 2 && stats.handshakes == 2 && stats.peers == 2);

    gamecrypt_peer_id s1 = 0, s2 = 0;
    for (int i = 0; i < 2; i++) {
        gamecrypt_endpoint_event ev = next_event(server, NULL, 0, NULL);
        CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLIENT_CREDENTIALS);
        uint8_t addr[ADDR_MAX];
        size_t alen = 0;
        CHECK_OK(gamecrypt_endpoint_get_peer_address(server, ev.peer, addr, sizeof addr, &alen));
        if (memcmp(addr, CLIENT_ADDR, sizeof CLIENT_ADDR) == 0) {
            s1 = ev.peer;
        } else {
            s2 = ev.peer;
        }
    }
    CHECK(s1 != 0 && s2 != 0);
    gamecrypt_endpoint_peer_state st = 0;
    CHECK_OK(gamecrypt_endpoint_get_peer_state(server, s1, &st));
    CHECK(st == GAMECRYPT_ENDPOINT_PEER_AWAITING_ACCEPT);
    uint8_t token[64];
    size_t token_len = 0;
    CHECK_RC(gamecrypt_endpoint_get_peer_client_token(server, s1, NULL, 0, &token_len),
             GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(token_len == 9);
    CHECK_OK(gamecrypt_endpoint_get_peer_client_token(server, s1, token, sizeof token, &token_len));
    CHECK(token_len == 9 && memcmp(token, "player-42", 9) == 0);
    uint8_t fp[32], expected[32];
    size_t fp_len = 0;
    CHECK_OK(gamecrypt_endpoint_get_peer_fingerprint(server, s1, fp, sizeof fp, &fp_len));
    gamecrypt_public_key *cpk = NULL;
    CHECK_OK(gamecrypt_signing_key_public_key(ck, &cpk));
    CHECK_OK(gamecrypt_public_key_fingerprint(cpk, expected, sizeof expected));
    CHECK(fp_len == 32 && memcmp(fp, expected, 32) == 0);
    gamecrypt_public_key_free(cpk);
    CHECK_RC(gamecrypt_endpoint_send(server, 10, s1, NULL, 0), GAMECRYPT_RESULT_PEER_NOT_CONNECTED);

    /* Accept the first, reject the second. */
    CHECK_OK(gamecrypt_endpoint_accept(server, 10, s1));
    CHECK_RC(gamecrypt_endpoint_accept(server, 10, s1), GAMECRYPT_RESULT_WRONG_STATE);
    CHECK_RC(gamecrypt_endpoint_reject(server, 10, s1), GAMECRYPT_RESULT_WRONG_STATE);
    gamecrypt_endpoint_event ev = next_event(server, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED && ev.peer == s1);
    CHECK(ev.has_fingerprint == true && memcmp(ev.fingerprint, expected, 32) == 0);
    CHECK_OK(gamecrypt_endpoint_reject(server, 11, s2));
    ev = next_event(server, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLOSED && ev.peer == s2);
    CHECK(ev.close_reason == GAMECRYPT_ENDPOINT_CLOSE_REJECTED);
    CHECK(ev.code == GAMECRYPT_RESULT_SESSION_REJECTED);
    for (;;) {
        uint8_t addr[ADDR_MAX], dgram[DGRAM_MAX];
        size_t alen = 0, dlen = 0;
        CHECK_OK(gamecrypt_endpoint_poll_transmit(server, addr, sizeof addr, &alen, dgram,
                                                  sizeof dgram, &dlen));
        if (dlen == 0) {
            break;
        }
        gamecrypt_endpoint *to = memcmp(addr, CLIENT_ADDR, sizeof CLIENT_ADDR) == 0 ? c1 : c2;
        CHECK_OK(gamecrypt_endpoint_receive(to, 12, SERVER_ADDR, sizeof SERVER_ADDR, dgram, dlen));
    }
    ev = next_event(c1, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED && ev.peer == p1);
    ev = next_event(c2, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLOSED && ev.peer == p2);
    CHECK(ev.close_reason == GAMECRYPT_ENDPOINT_CLOSE_REJECTED);
    CHECK(ev.code == GAMECRYPT_RESULT_PEER_CLOSED);

    gamecrypt_endpoint_free(c1);
    gamecrypt_endpoint_free(c2);
    gamecrypt_endpoint_free(server);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_signing_key_free(k);
    gamecrypt_signing_key_free(ck);
}

/* Takes the one datagram `from` queued (to `to_addr`) into `out`; returns its length. */
static size_t take_one(gamecrypt_endpoint *from, const uint8_t *to_addr, size_t to_len,
                       uint8_t *out, size_t cap) {
    uint8_t addr[ADDR_MAX];
    size_t alen = 0, dlen = 0;
    CHECK_OK(gamecrypt_endpoint_poll_transmit(from, addr, sizeof addr, &alen, out, cap, &dlen));
    CHECK(dlen > 0 && alen == to_len && memcmp(addr, to_addr, to_len) == 0);
    return dlen;
}

/* A client that restarts reconnects from the same address at once (client authentication and
 * retry cookies on): the old peer keeps working until the application accepts the new one,
 * then ends with CLOSE_REPLACED just before the new peer's CONNECTED. A late copy of the old
 * ClientHello starts nothing. */
static void test_reconnect_same_address(void) {
    gamecrypt_signing_key *k = new_key();
    gamecrypt_signing_key *ck = new_key();
    gamecrypt_client_config *cc = client_config(k, ck, "player-7");
    gamecrypt_server_config *sc = server_config(k, 1, 1);
    gamecrypt_endpoint *old = NULL, *fresh = NULL, *server = NULL;
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &old));
    CHECK_OK(gamecrypt_endpoint_new_server(sc, NULL, &server));

    /* First life: CH -> Retry -> CH2 (kept) -> SH -> CF -> accept -> confirm. */
    static uint8_t old_hello[DGRAM_MAX], dgram[DGRAM_MAX];
    gamecrypt_peer_id p_old = 0, s_old = 0, p_new = 0, s_new = 0;
    CHECK_OK(gamecrypt_endpoint_connect(old, 0, SERVER_ADDR, sizeof SERVER_ADDR, &p_old));
    CHECK(pump(old, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 0) == 1);
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, old, 0) == 1); /* Retry */
    size_t old_hello_len = take_one(old, SERVER_ADDR, sizeof SERVER_ADDR, old_hello,
                                    sizeof old_hello);
    CHECK_OK(gamecrypt_endpoint_receive(server, 0, CLIENT_ADDR, sizeof CLIENT_ADDR, old_hello,
                                        old_hello_len));
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, old, 0) == 1); /* SH */
    CHECK(pump(old, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 0) == 1); /* CF */
    gamecrypt_endpoint_event ev = next_event(server, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLIENT_CREDENTIALS);
    s_old = ev.peer;
    CHECK_OK(gamecrypt_endpoint_accept(server, 0, s_old));
    ev = next_event(server, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED && ev.peer == s_old);
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, old, 0) == 1);
    ev = next_event(old, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED && ev.peer == p_old);

    /* The game restarts (the old endpoint vanishes without a close) and connects again. */
    gamecrypt_endpoint_free(old);
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &fresh));
    CHECK_OK(gamecrypt_endpoint_connect(fresh, 100, SERVER_ADDR, sizeof SERVER_ADDR, &p_new));
    for (int round = 0; round < 3; round++) { /* CH -> Retry -> CH2 -> SH -> CF */
        pump(fresh, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 100);
        if (round < 2) {
            CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, fresh, 100) == 1);
        }
    }
    /* The new handshake waits for accept; the old peer is still connected and sends. */
    gamecrypt_endpoint_stats stats;
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.peers == 1 && stats.handshakes == 1 && stats.retries_sent == 2);
    ev = next_event(server, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLIENT_CREDENTIALS && ev.peer != s_old);
    s_new = ev.peer;
    gamecrypt_endpoint_peer_state st = 0;
    CHECK_OK(gamecrypt_endpoint_get_peer_state(server, s_old, &st));
    CHECK(st == GAMECRYPT_ENDPOINT_PEER_CONNECTED);
    CHECK_OK(gamecrypt_endpoint_send(server, 100, s_old, (const uint8_t *)"old", 3));
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, fresh, 100) == 1); /* dropped there */
    CHECK(next_event(fresh, NULL, 0, NULL).kind == GAMECRYPT_ENDPOINT_EVENT_NONE);
    /* A late copy of the old session's ClientHello: nothing new, nothing sent. */
    CHECK_OK(gamecrypt_endpoint_receive(server, 101, CLIENT_ADDR, sizeof CLIENT_ADDR, old_hello,
                                        old_hello_len));
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, NULL, 101) == 0);
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.handshakes == 1);

    /* Accepting the new client replaces the old peer: CLOSED (REPLACED), then CONNECTED. */
    CHECK_OK(gamecrypt_endpoint_accept(server, 102, s_new));
    ev = next_event(server, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CLOSED && ev.peer == s_old);
    CHECK(ev.close_reason == GAMECRYPT_ENDPOINT_CLOSE_REPLACED);
    CHECK(ev.code == GAMECRYPT_RESULT_SESSION_CLOSED);
    ev = next_event(server, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED && ev.peer == s_new);
    CHECK(ev.has_fingerprint == true);
    CHECK(next_event(server, NULL, 0, NULL).kind == GAMECRYPT_ENDPOINT_EVENT_NONE);
    CHECK_RC(gamecrypt_endpoint_send(server, 102, s_old, NULL, 0), GAMECRYPT_RESULT_UNKNOWN_PEER);
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.peers == 1 && stats.handshakes == 0);
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, fresh, 102) == 1);
    ev = next_event(fresh, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED && ev.peer == p_new);

    /* The new client's data reaches the new peer. */
    CHECK_OK(gamecrypt_endpoint_send(fresh, 103, p_new, (const uint8_t *)"again", 5));
    CHECK(pump(fresh, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 103) == 1);
    size_t len = 0;
    ev = next_event(server, dgram, sizeof dgram, &len);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_DATA && ev.peer == s_new);
    CHECK(len == 5 && memcmp(dgram, "again", 5) == 0);

    gamecrypt_endpoint_free(fresh);
    gamecrypt_endpoint_free(server);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_signing_key_free(k);
    gamecrypt_signing_key_free(ck);
}

static void test_peer_limit(void) {
    gamecrypt_signing_key *k = new_key();
    gamecrypt_client_config *cc = client_config(k, NULL, NULL);
    gamecrypt_server_config *sc = server_config(k, 0, 0);
    gamecrypt_endpoint_config *settings = NULL;
    CHECK_OK(gamecrypt_endpoint_config_new(&settings));
    CHECK_OK(gamecrypt_endpoint_config_set_max_peers(settings, 1));
    CHECK_OK(gamecrypt_endpoint_config_set_max_handshakes(settings, 1));
    gamecrypt_endpoint *c1 = NULL, *c2 = NULL, *server = NULL;
    CHECK_OK(gamecrypt_endpoint_new_client(cc, settings, &c1));
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &c2));
    CHECK_OK(gamecrypt_endpoint_new_server(sc, settings, &server));
    gamecrypt_peer_id p1 = 0, p2 = 0, p3 = 0;
    CHECK_OK(gamecrypt_endpoint_connect(c1, 0, SERVER_ADDR, sizeof SERVER_ADDR, &p1));
    CHECK_RC(gamecrypt_endpoint_connect(c1, 0, CLIENT2_ADDR, sizeof CLIENT2_ADDR, &p3),
             GAMECRYPT_RESULT_PEER_LIMIT); /* the client's own peer limit */
    CHECK_OK(gamecrypt_endpoint_connect(c2, 0, SERVER_ADDR, sizeof SERVER_ADDR, &p2));
    handshake(c1, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 1);
    CHECK(pump(c2, CLIENT2_ADDR, sizeof CLIENT2_ADDR, server, 1) == 1);
    CHECK(pump(server, SERVER_ADDR, sizeof SERVER_ADDR, NULL, 1) == 0); /* refused, no answer */
    gamecrypt_endpoint_stats stats;
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.refused == 1 && stats.peers == 1);
    gamecrypt_endpoint_free(c1);
    gamecrypt_endpoint_free(c2);
    gamecrypt_endpoint_free(server);
    gamecrypt_endpoint_config_free(settings);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_signing_key_free(k);
}

static void test_queue_full(void) {
    gamecrypt_signing_key *k = new_key();
    gamecrypt_client_config *cc = client_config(k, NULL, NULL);
    gamecrypt_server_config *sc = server_config(k, 0, 0);
    gamecrypt_endpoint_config *settings = NULL;
    CHECK_OK(gamecrypt_endpoint_config_new(&settings));
    CHECK_OK(gamecrypt_endpoint_config_set_max_queued_bytes(settings, 65536));
    CHECK_OK(gamecrypt_endpoint_config_set_max_data_len(settings, 30000));
    gamecrypt_endpoint *client = NULL, *server = NULL;
    CHECK_OK(gamecrypt_endpoint_new_client(cc, settings, &client));
    CHECK_OK(gamecrypt_endpoint_new_server(sc, settings, &server));
    gamecrypt_peer_id cpeer = 0;
    CHECK_OK(gamecrypt_endpoint_connect(client, 0, SERVER_ADDR, sizeof SERVER_ADDR, &cpeer));
    handshake(client, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 0);
    static uint8_t big[30000];
    CHECK_OK(gamecrypt_endpoint_send(client, 1, cpeer, big, sizeof big));
    CHECK_OK(gamecrypt_endpoint_send(client, 1, cpeer, big, sizeof big));
    CHECK_RC(gamecrypt_endpoint_send(client, 1, cpeer, big, sizeof big), GAMECRYPT_RESULT_QUEUE_FULL);
    CHECK(pump(client, CLIENT_ADDR, sizeof CLIENT_ADDR, NULL, 1) == 2); /* nothing else queued */
    CHECK_OK(gamecrypt_endpoint_send(client, 1, cpeer, big, sizeof big));
    CHECK(pump(client, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 1) == 1);
    gamecrypt_endpoint_event ev = next_event(client, NULL, 0, NULL);
    CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED);
    gamecrypt_endpoint_stats stats;
    CHECK_OK(gamecrypt_endpoint_get_stats(client, &stats));
    CHECK(stats.queue_overflows == 1);
    gamecrypt_endpoint_free(client);
    gamecrypt_endpoint_free(server);
    gamecrypt_endpoint_config_free(settings);
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_signing_key_free(k);
}

/* gamecrypt_endpoint_receive_into(): pointer and length checks (outputs untouched, the
 * datagram not taken), a message straight into the buffer, and the fallbacks to the event
 * queue (buffer too small, NULL buffer, an event waiting). */
static void test_receive_into(void) {
    gamecrypt_signing_key *k = new_key();
    gamecrypt_client_config *cc = client_config(k, NULL, NULL);
    gamecrypt_server_config *sc = server_config(k, 0, 0);
    gamecrypt_endpoint *client = NULL, *server = NULL;
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &client));
    CHECK_OK(gamecrypt_endpoint_new_server(sc, NULL, &server));
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_peer_id cpeer = 0;
    CHECK_OK(gamecrypt_endpoint_connect(client, 0, SERVER_ADDR, sizeof SERVER_ADDR, &cpeer));
    gamecrypt_peer_id speer = handshake(client, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 10);
    CHECK(next_event(client, NULL, 0, NULL).kind == GAMECRYPT_ENDPOINT_EVENT_CONNECTED);

    static uint8_t addr[ADDR_MAX], dgram[DGRAM_MAX], data[DGRAM_MAX];
    size_t alen = 0, dlen = 0, len = 77;
    gamecrypt_peer_id peer = 77;
    CHECK_OK(gamecrypt_endpoint_send(client, 20, cpeer, (const uint8_t *)"hello", 5));
    CHECK_OK(gamecrypt_endpoint_poll_transmit(client, addr, sizeof addr, &alen, dgram,
                                              sizeof dgram, &dlen));
    CHECK(dlen == 5 + GAMECRYPT_PACKET_OVERHEAD);
    const uint8_t *ca = CLIENT_ADDR;
    size_t cl = sizeof CLIENT_ADDR;
    CHECK_RC(gamecrypt_endpoint_receive_into(NULL, 20, ca, cl, dgram, dlen, &peer, data,
                                             sizeof data, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive_into(server, 20, NULL, cl, dgram, dlen, &peer, data,
                                             sizeof data, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive_into(server, 20, ca, cl, NULL, dlen, &peer, data,
                                             sizeof data, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive_into(server, 20, ca, cl, dgram, dlen, NULL, data,
                                             sizeof data, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive_into(server, 20, ca, cl, dgram, dlen, &peer, NULL,
                                             sizeof data, &len),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive_into(server, 20, ca, cl, dgram, dlen, &peer, data,
                                             sizeof data, NULL),
             GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive_into(server, 20, ca, 0, dgram, dlen, &peer, data,
                                             sizeof data, &len),
             GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_endpoint_receive_into(server, 20, ca, cl, dgram, dlen, &peer, dgram + 4,
                                             64, &len),
             GAMECRYPT_RESULT_INVALID_ARGUMENT); /* `data` overlaps the datagram */
    CHECK_RC(gamecrypt_endpoint_receive_into(server, 9, ca, cl, dgram, dlen, &peer, data,
                                             sizeof data, &len),
             GAMECRYPT_RESULT_TIME_WENT_BACKWARDS);
    CHECK(peer == 77 && len == 77);
    gamecrypt_endpoint_stats stats;
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &stats));
    CHECK(stats.datagrams_received == 2); /* CH and CF only */

    /* The message, straight into `data`; no event. */
    CHECK_OK(gamecrypt_endpoint_receive_into(server, 20, ca, cl, dgram, dlen, &peer, data,
                                             sizeof data, &len));
    CHECK(peer == speer && len == 5 && memcmp(data, "hello", 5) == 0);
    CHECK(next_event(server, NULL, 0, NULL).kind == GAMECRYPT_ENDPOINT_EVENT_NONE);
    /* A replay: dropped, nothing given. */
    CHECK_OK(gamecrypt_endpoint_receive_into(server, 21, ca, cl, dgram, dlen, &peer, data,
                                             sizeof data, &len));
    CHECK(peer == 0 && len == 0);

    /* `data` one byte short, then (NULL, 0): both messages queued, in order. */
    CHECK_OK(gamecrypt_endpoint_send(client, 22, cpeer, (const uint8_t *)"world", 5));
    CHECK_OK(gamecrypt_endpoint_send(client, 22, cpeer, (const uint8_t *)"again", 5));
    CHECK_OK(gamecrypt_endpoint_poll_transmit(client, addr, sizeof addr, &alen, dgram,
                                              sizeof dgram, &dlen));
    peer = 77;
    CHECK_OK(gamecrypt_endpoint_receive_into(server, 22, ca, cl, dgram, dlen, &peer, data, 4,
                                             &len));
    CHECK(peer == 0 && len == 0);
    CHECK_OK(gamecrypt_endpoint_poll_transmit(client, addr, sizeof addr, &alen, dgram,
                                              sizeof dgram, &dlen));
    /* An event is waiting: this one is queued too, even with room in `data`. */
    CHECK_OK(gamecrypt_endpoint_receive_into(server, 22, ca, cl, dgram, dlen, &peer, data,
                                             sizeof data, &len));
    CHECK(peer == 0 && len == 0);
    CHECK_OK(gamecrypt_endpoint_send(client, 22, cpeer, (const uint8_t *)"third", 5));
    CHECK_OK(gamecrypt_endpoint_poll_transmit(client, addr, sizeof addr, &alen, dgram,
                                              sizeof dgram, &dlen));
    CHECK_OK(gamecrypt_endpoint_receive_into(server, 22, ca, cl, dgram, dlen, &peer, NULL, 0,
                                             &len));
    CHECK(peer == 0 && len == 0);
    const char *want[] = {"world", "again", "third"};
    for (int i = 0; i < 3; i++) {
        gamecrypt_endpoint_event ev = next_event(server, data, sizeof data, &len);
        CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_DATA && ev.peer == speer);
        CHECK(len == 5 && memcmp(data, want[i], 5) == 0);
    }
    CHECK(next_event(server, NULL, 0, NULL).kind == GAMECRYPT_ENDPOINT_EVENT_NONE);

    gamecrypt_endpoint_free(client);
    gamecrypt_endpoint_free(server);
    gamecrypt_signing_key_free(k);
}

/* gamecrypt_endpoint_receive_batch(): every pointer and length checked before anything is
 * processed (an error changes nothing), then the datagrams in order, as one
 * gamecrypt_endpoint_receive() each: messages of two peers, a datagram from an unknown
 * address, a replay. */
static void test_receive_batch(void) {
    gamecrypt_signing_key *k = new_key();
    gamecrypt_client_config *cc = client_config(k, NULL, NULL);
    gamecrypt_server_config *sc = server_config(k, 0, 0);
    gamecrypt_endpoint *c1 = NULL, *c2 = NULL, *server = NULL;
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &c1));
    CHECK_OK(gamecrypt_endpoint_new_client(cc, NULL, &c2));
    CHECK_OK(gamecrypt_endpoint_new_server(sc, NULL, &server));
    gamecrypt_client_config_free(cc);
    gamecrypt_server_config_free(sc);
    gamecrypt_peer_id p1 = 0, p2 = 0;
    CHECK_OK(gamecrypt_endpoint_connect(c1, 0, SERVER_ADDR, sizeof SERVER_ADDR, &p1));
    CHECK_OK(gamecrypt_endpoint_connect(c2, 0, SERVER_ADDR, sizeof SERVER_ADDR, &p2));
    gamecrypt_peer_id s1 = handshake(c1, CLIENT_ADDR, sizeof CLIENT_ADDR, server, 10);
    gamecrypt_peer_id s2 = handshake(c2, CLIENT2_ADDR, sizeof CLIENT2_ADDR, server, 10);
    CHECK(next_event(server, NULL, 0, NULL).kind == GAMECRYPT_ENDPOINT_EVENT_NONE);

    static uint8_t d1[DGRAM_MAX], d2[DGRAM_MAX], d3[DGRAM_MAX], data[DGRAM_MAX];
    CHECK_OK(gamecrypt_endpoint_send(c1, 20, p1, (const uint8_t *)"one", 3));
    size_t n1 = take_one(c1, SERVER_ADDR, sizeof SERVER_ADDR, d1, sizeof d1);
    CHECK_OK(gamecrypt_endpoint_send(c2, 20, p2, (const uint8_t *)"two", 3));
    size_t n2 = take_one(c2, SERVER_ADDR, sizeof SERVER_ADDR, d2, sizeof d2);
    CHECK_OK(gamecrypt_endpoint_send(c1, 20, p1, (const uint8_t *)"three", 5));
    size_t n3 = take_one(c1, SERVER_ADDR, sizeof SERVER_ADDR, d3, sizeof d3);
    static const uint8_t stranger[] = "10.9.9.9:1";
    gamecrypt_endpoint_datagram batch[5] = {
        {CLIENT_ADDR, sizeof CLIENT_ADDR, d1, n1},
        {stranger, sizeof stranger, d2, n2},
        {CLIENT2_ADDR, sizeof CLIENT2_ADDR, d2, n2},
        {CLIENT_ADDR, sizeof CLIENT_ADDR, d1, n1}, /* a replay */
        {CLIENT_ADDR, sizeof CLIENT_ADDR, d3, n3},
    };
    gamecrypt_endpoint_stats before, after;
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &before));

    /* Errors: nothing is processed, even the datagrams before the bad one. */
    CHECK_RC(gamecrypt_endpoint_receive_batch(NULL, 20, batch, 5), GAMECRYPT_RESULT_NULL_ARGUMENT);
    CHECK_RC(gamecrypt_endpoint_receive_batch(server, 20, NULL, 5), GAMECRYPT_RESULT_NULL_ARGUMENT);
    gamecrypt_endpoint_datagram bad[5];
    memcpy(bad, batch, sizeof bad);
    bad[4].addr = NULL;
    CHECK_RC(gamecrypt_endpoint_receive_batch(server, 20, bad, 5), GAMECRYPT_RESULT_NULL_ARGUMENT);
    memcpy(bad, batch, sizeof bad);
    bad[3].data = NULL;
    CHECK_RC(gamecrypt_endpoint_receive_batch(server, 20, bad, 5), GAMECRYPT_RESULT_NULL_ARGUMENT);
    memcpy(bad, batch, sizeof bad);
    bad[2].addr_len = 0;
    CHECK_RC(gamecrypt_endpoint_receive_batch(server, 20, bad, 5), GAMECRYPT_RESULT_INVALID_LENGTH);
    memcpy(bad, batch, sizeof bad);
    bad[4].addr = d3;
    bad[4].addr_len = GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN + 1;
    CHECK_RC(gamecrypt_endpoint_receive_batch(server, 20, bad, 5), GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_RC(gamecrypt_endpoint_receive_batch(server, 9, batch, 5),
             GAMECRYPT_RESULT_TIME_WENT_BACKWARDS);
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &after));
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    CHECK(next_event(server, NULL, 0, NULL).kind == GAMECRYPT_ENDPOINT_EVENT_NONE);
    /* (NULL, 0): an empty batch. */
    CHECK_OK(gamecrypt_endpoint_receive_batch(server, 20, NULL, 0));

    CHECK_OK(gamecrypt_endpoint_receive_batch(server, 20, batch, 5));
    CHECK_OK(gamecrypt_endpoint_get_stats(server, &after));
    CHECK(after.datagrams_received == before.datagrams_received + 5);
    CHECK(after.dropped_stray == before.dropped_stray + 1);
    CHECK(after.dropped_invalid == before.dropped_invalid + 1); /* the replay */
    const char *want[] = {"one", "two", "three"};
    gamecrypt_peer_id from[] = {s1, s2, s1};
    size_t len = 0;
    for (int i = 0; i < 3; i++) {
        gamecrypt_endpoint_event ev = next_event(server, data, sizeof data, &len);
        CHECK(ev.kind == GAMECRYPT_ENDPOINT_EVENT_DATA && ev.peer == from[i]);
        CHECK(len == strlen(want[i]) && memcmp(data, want[i], len) == 0);
    }
    CHECK(next_event(server, NULL, 0, NULL).kind == GAMECRYPT_ENDPOINT_EVENT_NONE);

    gamecrypt_endpoint_free(c1);
    gamecrypt_endpoint_free(c2);
    gamecrypt_endpoint_free(server);
    gamecrypt_signing_key_free(k);
}

int main(void) {
    test_config();
    test_create_errors();
    test_connect_data_close();
    test_timeouts();
    test_client_auth_and_retry();
    test_reconnect_same_address();
    test_peer_limit();
    test_queue_full();
    test_receive_into();
    test_receive_batch();
    return check_report("test_endpoint");
}
