// A C++ game's use of gamecrypt through the package (include/gamecrypt.hpp): a server
// identity, a client that pins its key, the handshake, one sealed packet each way, and a save
// file sealed with a password. No exceptions: every call returns a gamecrypt::Result.
//
// Build it from the package with CMake (find_package) or pkg-config: see README.md here.
#include <gamecrypt.hpp>

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
    if (!ok(server_hello, "ServerHello") || !ok(client->read_handshake(*server_hello), "read ServerHello")) return 1;
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
