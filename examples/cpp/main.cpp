// A C++ game's use of gamecrypt through the package (include/gamecrypt.hpp): a server
// identity, a client that pins its key, the handshake (a forged datagram dropped on the way),
// one sealed packet each way, the same over the endpoint (which resends a lost datagram), and
// a save file sealed with a password. No exceptions: every call returns a gamecrypt::Result.
//
// Build it from the package with CMake (find_package) or pkg-config: see README.md here.
#include <gamecrypt.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

// Prints the failure and says whether the call succeeded.
template <class R>
bool ok(const R &result, const char *what) {
    if (!result) {
        std::fprintf(stderr, "%s failed: %s (code %d)\n", what, result.message(), static_cast<int>(result.code()));
    }
    return static_cast<bool>(result);
}

Bytes bytes(const std::string &s) { return Bytes(s.begin(), s.end()); }

// Two endpoints joined by an in-memory "network" that loses the first datagram it carries:
// the endpoint resends it on its timer. Returns the message the server received.
std::string endpoint_demo(const gamecrypt::ClientConfig &client_config, const gamecrypt::ServerConfig &server_config) {
    const Bytes client_addr = bytes("10.0.0.2:50000"), server_addr = bytes("10.0.0.1:7777");
    auto client = gamecrypt::Endpoint::client(client_config);
    auto server = gamecrypt::Endpoint::server(server_config);
    if (!ok(client, "client endpoint") || !ok(server, "server endpoint")) return "";
    uint64_t now_ms = 0;
    auto peer = client->connect(now_ms, server_addr);
    if (!ok(peer, "connect")) return "";
    bool lost_one = false;
    for (int round = 0; round < 50; ++round) {
        // Carry every queued datagram both ways (the first one is lost).
        for (auto *from : {&*client, &*server}) {
            for (auto t = from->poll_transmit(); t.ok() && !t->empty(); t = from->poll_transmit()) {
                auto *to = from == &*client ? &*server : &*client;
                const Bytes &source = from == &*client ? client_addr : server_addr;
                if (!lost_one) {
                    lost_one = true;
                    continue;
                }
                if (!ok(to->receive(now_ms, source, t->datagram), "receive")) return "";
            }
        }
        for (auto e = client->poll_event(); e.ok() && e->kind() != GAMECRYPT_ENDPOINT_EVENT_NONE;
             e = client->poll_event()) {
            if (e->kind() == GAMECRYPT_ENDPOINT_EVENT_CONNECTED &&
                !ok(client->send(now_ms, *peer, bytes("ready")), "send"))
                return "";
        }
        for (auto e = server->poll_event(); e.ok() && e->kind() != GAMECRYPT_ENDPOINT_EVENT_NONE;
             e = server->poll_event()) {
            if (e->kind() == GAMECRYPT_ENDPOINT_EVENT_DATA) {
                std::printf("endpoint: first message at %llu ms (one datagram lost and resent)\n",
                            static_cast<unsigned long long>(now_ms));
                return std::string(e->data.begin(), e->data.end());
            }
        }
        // Nothing more to carry: wait (here: jump) to the earlier of the two deadlines.
        uint64_t next = std::min(client->next_deadline().value_or(GAMECRYPT_ENDPOINT_NO_DEADLINE),
                                 server->next_deadline().value_or(GAMECRYPT_ENDPOINT_NO_DEADLINE));
        if (next == GAMECRYPT_ENDPOINT_NO_DEADLINE) break;
        now_ms = std::max(now_ms, next);
        if (!ok(client->handle_timeout(now_ms), "timeout") || !ok(server->handle_timeout(now_ms), "timeout")) return "";
    }
    return "";
}

}  // namespace

int main() {
    std::printf("gamecrypt %s (header %s)\n", gamecrypt::version(), GAMECRYPT_VERSION_STRING);

    // The server's identity key; the client ships with its public key pinned.
    auto identity = gamecrypt::SigningKey::generate(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    if (!ok(identity, "generate")) return 1;
    auto server_key = identity->public_key();
    auto server_builder = gamecrypt::ServerConfigBuilder::create(*identity);
    if (!ok(server_key, "public_key") || !ok(server_builder, "server builder")) return 1;
    auto server_config = server_builder->build();
    auto client_builder = gamecrypt::ClientConfigBuilder::pinned_key(*server_key);
    if (!ok(server_config, "server config") || !ok(client_builder, "client builder")) return 1;
    auto client_config = client_builder->build();
    if (!ok(client_config, "client config")) return 1;

    auto client = gamecrypt::Session::client(*client_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
    auto server = gamecrypt::Session::server(*server_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
    if (!ok(client, "client session") || !ok(server, "server session")) return 1;

    // The handshake: here the "network" is a function call.
    auto client_hello = client->write_handshake();
    if (!ok(client_hello, "ClientHello") || !ok(server->read_handshake(*client_hello), "read ClientHello")) return 1;
    auto server_hello = server->write_handshake();
    if (!ok(server_hello, "ServerHello")) return 1;
    // Anyone can send a datagram: a forged ServerHello is dropped (nothing changes) instead of
    // ending the handshake.
    Bytes forged = *server_hello;
    forged.back() ^= 1;
    auto forged_read = client->read_handshake(forged);
    if (!ok(forged_read, "read forged ServerHello") || *forged_read != gamecrypt::HandshakeRead::dropped) return 1;
    std::printf("a forged ServerHello: dropped, the client still waits\n");
    if (!ok(client->read_handshake(*server_hello), "read ServerHello")) return 1;
    auto client_finished = client->write_handshake();
    if (!ok(client_finished, "ClientFinished") || !ok(server->read_handshake(*client_finished), "read ClientFinished"))
        return 1;
    std::printf("handshake: %zu + %zu + %zu bytes, both sides established: %s\n", client_hello->size(),
                server_hello->size(), client_finished->size(),
                client->established() && server->established() ? "yes" : "no");

    auto packet = client->seal(bytes("move 3 4"));
    if (!ok(packet, "seal")) return 1;
    auto opened = server->open(*packet);
    if (!ok(opened, "open")) return 1;
    std::printf("server got \"%s\" from a %zu-byte packet\n", std::string(opened->begin(), opened->end()).c_str(),
                packet->size());
    auto replay = server->open(*packet);
    std::printf("the same packet again: %s\n", replay.message());

    auto reply = server->seal(bytes("ok"));
    auto reply_opened = reply ? client->open(*reply) : gamecrypt::Result<Bytes>(reply.error());
    if (!ok(reply_opened, "reply")) return 1;

    const std::string over_endpoint = endpoint_demo(*client_config, *server_config);
    if (over_endpoint != "ready") return 1;
    std::printf("endpoint: server got \"%s\"\n", over_endpoint.c_str());

    // A save file sealed with the player's password (the box stores its own salt).
    auto box = gamecrypt::seal_with_password(GAMECRYPT_AEAD_AES_256_GCM, bytes("hunter2"), 100000,
                                             bytes("{\"gold\": 1200}"));
    if (!ok(box, "seal save")) return 1;
    auto save = gamecrypt::open_with_password(bytes("hunter2"), *box);
    auto wrong = gamecrypt::open_with_password(bytes("hunter3"), *box);
    if (!ok(save, "open save")) return 1;
    std::printf("save box: %zu bytes; right password: ok, wrong password: %s\n", box->size(), wrong.message());
    return replay.code() == GAMECRYPT_RESULT_PACKET_REPLAYED && !wrong ? 0 : 1;
}
