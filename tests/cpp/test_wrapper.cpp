// Tests of include/gamecrypt.hpp, the header-only C++17 wrapper: every class, against known
// answers (FIPS 180, RFC 4231, RFC 5869) and against the C API it wraps, a full session
// handshake with packets both ways, client authentication, retry cookies, the datagram
// handshake drops, root trust and the server name, weak keys, reserved signing contexts,
// low-S ECDSA, in-place sealing, the endpoint and the error paths.
// scripts/test-package.sh builds it from the PACKAGE (dist/...) with -std=c++17 -Wall -Wextra
// -Wpedantic -Werror under ASan+UBSan, and once more with -fno-exceptions -fno-rtti.
#include <gamecrypt.hpp>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <type_traits>
#include <vector>

namespace {

int failures = 0;
int passes = 0;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            passes++;                                                                 \
        } else {                                                                      \
            failures++;                                                               \
            std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                             \
    } while (0)

// A Result or Status that must carry exactly this code.
#define CHECK_CODE(expr, expected)                                                        \
    do {                                                                                  \
        const auto &check_result_ = (expr);                                                    \
        if (check_result_.code() == (expected)) {                                         \
            passes++;                                                                     \
        } else {                                                                          \
            failures++;                                                                   \
            std::fprintf(stderr, "%s:%d: %s gave %d (%s), expected %d\n", __FILE__, __LINE__, #expr, \
                         static_cast<int>(check_result_.code()), check_result_.message(),  \
                         static_cast<int>(expected));                                     \
        }                                                                                 \
    } while (0)
#define CHECK_OK(expr) CHECK_CODE(expr, GAMECRYPT_RESULT_OK)

using namespace gamecrypt;
using Bytes = std::vector<uint8_t>;

Bytes from_hex(const char *hex) {
    Bytes out;
    for (size_t i = 0; hex[i] != 0 && hex[i + 1] != 0; i += 2) {
        unsigned int byte = 0;
        std::sscanf(hex + i, "%2x", &byte);
        out.push_back(static_cast<uint8_t>(byte));
    }
    return out;
}

Bytes text(const char *s) { return Bytes(s, s + std::strlen(s)); }

uint64_t now() { return static_cast<uint64_t>(std::time(nullptr)); }

// Every handle type is move-only and its moves cannot fail.
template <class T>
constexpr bool move_only() {
    return !std::is_copy_constructible<T>::value && !std::is_copy_assignable<T>::value &&
           std::is_nothrow_move_constructible<T>::value && std::is_nothrow_move_assignable<T>::value;
}
static_assert(move_only<SigningKey>() && move_only<PublicKey>() && move_only<HashContext>() &&
                  move_only<HmacContext>() && move_only<AeadKey>() && move_only<ServerConfigBuilder>() &&
                  move_only<ServerConfig>() && move_only<ClientConfigBuilder>() && move_only<ClientConfig>() &&
                  move_only<Session>() && move_only<EndpointConfig>() && move_only<Endpoint>(),
              "handles are move-only");

void test_results() {
    Result<int> good(7);
    CHECK(good.ok() && static_cast<bool>(good) && *good == 7 && good.code() == GAMECRYPT_RESULT_OK);
    CHECK(std::strcmp(good.message(), gamecrypt_result_str(GAMECRYPT_RESULT_OK)) == 0);
    Result<int> bad{Error(GAMECRYPT_RESULT_INVALID_LENGTH)};
    CHECK(!bad.ok() && !bad && bad.code() == GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK(std::strcmp(bad.message(), gamecrypt_result_str(GAMECRYPT_RESULT_INVALID_LENGTH)) == 0);
    CHECK(std::move(bad).value_or(3) == 3);
    // An "error" without a code cannot pass for a success without a value.
    Result<int> no_code{Error()};
    CHECK(no_code.code() == GAMECRYPT_RESULT_INTERNAL);
    Status fine;
    CHECK(fine.ok());
    Status failed = Status::from_code(GAMECRYPT_RESULT_MAC_INVALID);
    CHECK(!failed && failed.error().code() == GAMECRYPT_RESULT_MAC_INVALID);
    CHECK(std::strcmp(version(), GAMECRYPT_VERSION_STRING) == 0);

    // The codes added with the security fixes and the endpoint each have their own message.
    const char *unknown = gamecrypt_result_str(9999);
    const gamecrypt_result added[] = {
        GAMECRYPT_RESULT_PUBLIC_KEY_WEAK,     GAMECRYPT_RESULT_SIGN_CONTEXT_RESERVED,
        GAMECRYPT_RESULT_HANDSHAKE_MESSAGE_DROPPED, GAMECRYPT_RESULT_SERVER_NAME_REQUIRED,
        GAMECRYPT_RESULT_UNKNOWN_PEER,        GAMECRYPT_RESULT_TIME_WENT_BACKWARDS,
        GAMECRYPT_RESULT_PEER_NOT_CONNECTED,  GAMECRYPT_RESULT_QUEUE_FULL,
        GAMECRYPT_RESULT_PEER_LIMIT,          GAMECRYPT_RESULT_WRONG_ROLE,
        GAMECRYPT_RESULT_ADDRESS_IN_USE,      GAMECRYPT_RESULT_IDLE_TIMEOUT,
        GAMECRYPT_RESULT_HANDSHAKE_TIMEOUT,
    };
    for (size_t i = 0; i < sizeof added / sizeof added[0]; ++i) {
        Status st = Status::from_code(added[i]);
        CHECK(!st && std::strcmp(st.message(), unknown) != 0);
        for (size_t j = 0; j < i; ++j) {
            CHECK(std::strcmp(st.message(), Error(added[j]).message()) != 0);
        }
    }
}

void test_primitives() {
    const Bytes abc = text("abc");
    auto digest = hash(GAMECRYPT_HASH_SHA256, abc);
    CHECK_OK(digest);
    CHECK(*digest == from_hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    CHECK_CODE(hash(999, abc), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK(hash(GAMECRYPT_HASH_SHA512, ByteView())->size() == GAMECRYPT_SHA512_LEN);

    // The streaming hash gives the one-shot digest; a finished context refuses more input.
    auto ctx = HashContext::create(GAMECRYPT_HASH_SHA256);
    CHECK_OK(ctx);
    CHECK_OK(ctx->update(ByteView(abc.data(), 1)));
    CHECK_OK(ctx->update(ByteView(abc.data() + 1, 2)));
    CHECK(ctx->finish().value_or(Bytes()) == *digest);
    CHECK_CODE(ctx->update(abc), GAMECRYPT_RESULT_CONTEXT_FINISHED);
    CHECK_CODE(HashContext::create(0), GAMECRYPT_RESULT_INVALID_ARGUMENT);

    // RFC 4231 test case 2.
    const Bytes key = text("Jefe");
    const Bytes data = text("what do ya want for nothing?");
    const Bytes tag = from_hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hmac_sign(GAMECRYPT_HASH_SHA256, key, data).value_or(Bytes()) == tag);
    CHECK_OK(hmac_verify(GAMECRYPT_HASH_SHA256, key, data, tag));
    Bytes bad_tag = tag;
    bad_tag[5] ^= 1;
    CHECK_CODE(hmac_verify(GAMECRYPT_HASH_SHA256, key, data, bad_tag), GAMECRYPT_RESULT_MAC_INVALID);
    auto mac = HmacContext::create(GAMECRYPT_HASH_SHA256, key);
    CHECK_OK(mac);
    CHECK_OK(mac->update(data));
    CHECK(mac->finish().value_or(Bytes()) == tag);
    auto mac2 = HmacContext::create(GAMECRYPT_HASH_SHA256, key);
    CHECK_OK(mac2->update(data));
    CHECK_CODE(mac2->verify(bad_tag), GAMECRYPT_RESULT_MAC_INVALID);
    auto mac3 = HmacContext::create(GAMECRYPT_HASH_SHA256, key);
    CHECK_OK(mac3->update(data));
    CHECK_OK(mac3->verify(tag));

    // RFC 5869 test case 1.
    const Bytes ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    const Bytes salt = from_hex("000102030405060708090a0b0c");
    const Bytes info = from_hex("f0f1f2f3f4f5f6f7f8f9");
    const Bytes prk = from_hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    const Bytes okm = from_hex(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    CHECK(hkdf_extract(GAMECRYPT_HASH_SHA256, salt, ikm).value_or(Bytes()) == prk);
    CHECK(hkdf_expand(GAMECRYPT_HASH_SHA256, prk, info, okm.size()).value_or(Bytes()) == okm);
    CHECK(hkdf_derive(GAMECRYPT_HASH_SHA256, salt, ikm, info, okm.size()).value_or(Bytes()) == okm);
    CHECK_CODE(hkdf_expand(GAMECRYPT_HASH_SHA256, prk, info, 0), GAMECRYPT_RESULT_INVALID_LENGTH);

    // PBKDF2-HMAC-SHA256("password", "salt", 1 iteration, 32 bytes): the published test vector.
    auto derived = pbkdf2_sha256(text("password"), text("salt"), 1, 32);
    CHECK(derived.value_or(Bytes()) ==
          from_hex("120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"));

    auto r1 = random_bytes(32);
    auto r2 = random_bytes(32);
    CHECK(r1.ok() && r2.ok() && r1->size() == 32 && *r1 != *r2);
    CHECK(random_bytes(0).ok());
    CHECK(constant_time_eq(tag, tag) && !constant_time_eq(tag, bad_tag) && !constant_time_eq(tag, data));
}

void test_keys() {
    for (gamecrypt_key_type type : {GAMECRYPT_KEY_TYPE_ECDSA_P256, GAMECRYPT_KEY_TYPE_ED25519,
                                    GAMECRYPT_KEY_TYPE_ECDSA_P384}) {
        auto key = SigningKey::generate(type);
        CHECK_OK(key);
        CHECK(key->type().value_or(0) == type);
        auto pub = key->public_key();
        CHECK_OK(pub);
        CHECK(pub->type().value_or(0) == type);
        const Bytes msg = text("level pack 7");
        auto sig = key->sign(msg);
        CHECK_OK(sig);
        CHECK(sig->size() <= key->max_signature_len().value_or(0));
        CHECK_OK(pub->verify(msg, *sig));
        Bytes other = msg;
        other[0] ^= 1;
        CHECK_CODE(pub->verify(other, *sig), GAMECRYPT_RESULT_SIGNATURE_INVALID);

        // Every export form comes back as the same key (same fingerprint).
        auto fp = pub->fingerprint();
        CHECK_OK(fp);
        auto der = pub->to_spki_der();
        auto pem = pub->to_pem();
        auto raw = pub->to_raw();
        CHECK(der.ok() && pem.ok() && raw.ok());
        CHECK(hash(GAMECRYPT_HASH_SHA256, *der).value_or(Bytes()) == Bytes(fp->begin(), fp->end()));
        CHECK(pem->rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
        CHECK(*PublicKey::from_spki_der(*der)->fingerprint() == *fp);
        CHECK(*PublicKey::from_pem(*pem)->fingerprint() == *fp);
        CHECK(*PublicKey::from_raw(type, *raw)->fingerprint() == *fp);
        if (type == GAMECRYPT_KEY_TYPE_ED25519) {
            CHECK(raw->size() == GAMECRYPT_ED25519_PUBLIC_KEY_LEN);
            CHECK_CODE(pub->to_raw_compressed(), GAMECRYPT_RESULT_UNSUPPORTED_FORMAT);
        } else {
            auto compressed = pub->to_raw_compressed();
            CHECK_OK(compressed);
            CHECK(*PublicKey::from_raw(type, *compressed)->fingerprint() == *fp);
        }

        // The private key round-trips through PKCS#8 DER and PEM.
        auto pkcs8 = key->to_pkcs8_der();
        auto pkcs8_pem = key->to_pkcs8_pem();
        CHECK(pkcs8.ok() && pkcs8_pem.ok());
        CHECK(pkcs8_pem->rfind("-----BEGIN PRIVATE KEY-----", 0) == 0 && pkcs8_pem->back() == '\n');
        auto again = SigningKey::from_der(*pkcs8);
        auto again_pem = SigningKey::from_pem(*pkcs8_pem);
        CHECK(again.ok() && again_pem.ok());
        CHECK(*again->public_key()->fingerprint() == *fp && *again_pem->public_key()->fingerprint() == *fp);
        CHECK_OK(pub->verify(msg, *again_pem->sign(msg)));
    }
    auto p256 = SigningKey::generate(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    auto fixed = p256->sign(text("x"), GAMECRYPT_SIGNATURE_ECDSA_FIXED);
    CHECK(fixed.ok() && fixed->size() == GAMECRYPT_P256_FIXED_SIGNATURE_LEN);
    CHECK_OK(p256->public_key()->verify(text("x"), *fixed, GAMECRYPT_SIGNATURE_ECDSA_FIXED));

    CHECK_CODE(SigningKey::generate(77), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_CODE(SigningKey::from_der(text("not a key")), GAMECRYPT_RESULT_KEY_MALFORMED);
    CHECK_CODE(SigningKey::from_pem("no pem here"), GAMECRYPT_RESULT_PEM_MALFORMED);
    CHECK_CODE(PublicKey::from_raw(GAMECRYPT_KEY_TYPE_ED25519, text("short")), GAMECRYPT_RESULT_KEY_MALFORMED);

    // Ownership: release() hands the C handle over, reset() frees, moves leave an empty handle.
    SigningKey moved = std::move(*p256);
    CHECK(moved && !*p256);
    gamecrypt_signing_key *raw_handle = moved.release();
    CHECK(!moved && raw_handle != nullptr);
    SigningKey adopted(raw_handle);
    CHECK(adopted.get() == raw_handle && adopted.sign(text("y")).ok());
    adopted.reset();
    CHECK(!adopted);
    // A call on an empty handle is the C library's NULL_ARGUMENT, not a crash.
    CHECK_CODE(adopted.sign(text("y")), GAMECRYPT_RESULT_NULL_ARGUMENT);
}

void test_boxes() {
    const Bytes save = text("{\"gold\": 1200}");
    const Bytes slot = text("slot 1");
    for (gamecrypt_aead alg : {GAMECRYPT_AEAD_AES_256_GCM, GAMECRYPT_AEAD_CHACHA20_POLY1305}) {
        auto key = AeadKey::generate(alg);
        CHECK_OK(key);
        CHECK(key->algorithm() == alg);
        auto box = key->seal(save, slot);
        CHECK(box.ok() && box->size() == save.size() + GAMECRYPT_BOX_OVERHEAD);
        CHECK(key->open(*box, slot).value_or(Bytes()) == save);
        CHECK_CODE(key->open(*box, text("slot 2")), GAMECRYPT_RESULT_OPEN_FAILED);
        CHECK_CODE(key->open(ByteView(box->data(), 3)), GAMECRYPT_RESULT_BOX_MALFORMED);
    }
    // Raw AEAD with a caller nonce: RFC 8439 section 2.8.2 would need its own key; check the
    // round trip and that a known key from bytes opens what it sealed.
    const Bytes key_bytes(GAMECRYPT_AEAD_KEY_LEN, 0x42);
    auto key = AeadKey::from_bytes(GAMECRYPT_AEAD_CHACHA20_POLY1305, key_bytes);
    CHECK_OK(key);
    const Bytes nonce(GAMECRYPT_AEAD_NONCE_LEN, 7);
    auto sealed = key->seal_with_nonce_dangerous(nonce, slot, save);
    CHECK(sealed.ok() && sealed->size() == save.size() + GAMECRYPT_AEAD_TAG_LEN);
    CHECK(key->open_with_nonce(nonce, slot, *sealed).value_or(Bytes()) == save);
    Bytes tampered = *sealed;
    tampered[0] ^= 1;
    CHECK_CODE(key->open_with_nonce(nonce, slot, tampered), GAMECRYPT_RESULT_OPEN_FAILED);
    CHECK_CODE(AeadKey::from_bytes(GAMECRYPT_AEAD_AES_256_GCM, text("short")), GAMECRYPT_RESULT_INVALID_LENGTH);

    // Password boxes and password-derived keys.
    auto pbox = seal_with_password(GAMECRYPT_AEAD_AES_256_GCM, text("hunter2"), 1000, save);
    CHECK(pbox.ok() && pbox->size() == save.size() + GAMECRYPT_PASSWORD_BOX_OVERHEAD);
    CHECK(open_with_password(text("hunter2"), *pbox).value_or(Bytes()) == save);
    CHECK_CODE(open_with_password(text("hunter3"), *pbox), GAMECRYPT_RESULT_OPEN_FAILED);
    const Bytes salt(GAMECRYPT_PASSWORD_SALT_LEN, 9);
    auto k1 = AeadKey::from_password(GAMECRYPT_AEAD_AES_256_GCM, text("pw"), salt, 1000);
    auto k2 = AeadKey::from_password(GAMECRYPT_AEAD_AES_256_GCM, text("pw"), salt, 1000);
    CHECK(k1.ok() && k2.ok());
    CHECK(k2->open(*k1->seal(save)).value_or(Bytes()) == save);
}

// Runs the handshake messages between two sessions until neither has one to write.
void pump(const Session &client, const Session &server) {
    const Session *sides[2] = {&client, &server};
    for (int round = 0; round < 8; ++round) {
        bool moved = false;
        for (int i = 0; i < 2; ++i) {
            if (sides[i]->state() == GAMECRYPT_SESSION_STATE_NEED_WRITE) {
                auto msg = sides[i]->write_handshake();
                CHECK_OK(msg);
                if (!msg) {
                    return;
                }
                CHECK(Session::is_handshake_message(*msg));
                auto read = sides[1 - i]->read_handshake(*msg);
                CHECK(read.ok() && *read == HandshakeRead::processed);
                moved = true;
            }
        }
        if (!moved) {
            return;
        }
    }
}

// Packets both ways, into vectors and into caller buffers. In datagram mode a replayed and a
// forged packet are rejected and the session goes on (in stream mode either would end it).
void exchange(const Session &a, const Session &b, bool datagram = true) {
    const Bytes hello = text("player 1 moved to (3, 4)");
    auto packet = a.seal(hello);
    CHECK(packet.ok() && packet->size() == hello.size() + GAMECRYPT_PACKET_OVERHEAD);
    CHECK(!Session::is_handshake_message(*packet));
    CHECK(b.open(*packet).value_or(Bytes()) == hello);
    if (datagram) {
        CHECK_CODE(b.open(*packet), GAMECRYPT_RESULT_PACKET_REPLAYED);
    }

    uint8_t wire[64];
    uint8_t plain[64];
    const Bytes reply = text("ack");
    auto wire_len = b.seal(reply, wire, sizeof wire);
    CHECK_OK(wire_len);
    if (!wire_len) {
        return;
    }
    CHECK(*wire_len == reply.size() + GAMECRYPT_PACKET_OVERHEAD);
    CHECK_CODE(a.seal(reply, wire, 4), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK_CODE(a.open(ByteView(wire, *wire_len), plain, 2), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    if (datagram) {
        wire[*wire_len - 1] ^= 1;
        CHECK_CODE(a.open(ByteView(wire, *wire_len), plain, sizeof plain), GAMECRYPT_RESULT_PACKET_AUTH_FAILED);
        wire[*wire_len - 1] ^= 1;
    }
    auto plain_len = a.open(ByteView(wire, *wire_len), plain, sizeof plain);
    CHECK(plain_len.ok() && Bytes(plain, plain + *plain_len) == reply);
}

struct Identity {
    SigningKey key;
    PublicKey pub;
};

Identity identity(gamecrypt_key_type type) {
    auto key = SigningKey::generate(type);
    auto pub = key->public_key();
    return Identity{std::move(key).value(), std::move(pub).value()};
}

void test_certificate() {
    Identity root = identity(GAMECRYPT_KEY_TYPE_ED25519);
    Identity server = identity(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    const uint64_t t = now();
    auto cert = Certificate::issue(root.key, server.pub, "play.example.com", t - 60, t + 3600);
    CHECK_OK(cert);
    CHECK(cert->bytes().size() <= GAMECRYPT_CERTIFICATE_MAX_LEN);
    CHECK_OK(cert->verify(root.pub, "play.example.com", t));
    CHECK_CODE(cert->verify(root.pub, "other.example.com", t), GAMECRYPT_RESULT_CERTIFICATE_WRONG_NAME);
    CHECK_CODE(cert->verify(root.pub, "play.example.com", t + 7200), GAMECRYPT_RESULT_CERTIFICATE_EXPIRED);
    CHECK_CODE(cert->verify(server.pub, "play.example.com", t), GAMECRYPT_RESULT_CERTIFICATE_SIGNATURE_INVALID);
    auto validity = cert->validity();
    CHECK(validity.ok() && validity->first == t - 60 && validity->second == t + 3600);
    CHECK(cert->server_name().value_or("") == "play.example.com");
    CHECK(*cert->public_key()->fingerprint() == *server.pub.fingerprint());
    CHECK_CODE(Certificate(text("junk")).validity(), GAMECRYPT_RESULT_CERTIFICATE_MALFORMED);
}

uint64_t far_future_clock(void *ctx) { return *static_cast<uint64_t *>(ctx); }

// A server configuration with a certificate from `root` for `name`, valid from a minute ago
// for an hour.
Result<ServerConfig> certified_server(const Identity &root, const Identity &server, const char *name) {
    const uint64_t t = now();
    auto cert = Certificate::issue(root.key, server.pub, name, t - 60, t + 3600);
    CHECK_OK(cert);
    auto sb = ServerConfigBuilder::create(server.key);
    CHECK_OK(sb);
    CHECK_OK(sb->set_certificate(*cert));
    return sb->build();
}

void test_session() {
    Identity root = identity(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    Identity server_id = identity(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    const uint64_t t = now();
    auto server_config = certified_server(root, server_id, "play.example.com");
    CHECK_OK(server_config);

    // Trust by root key and server name: the default suites; stream and datagram mode.
    auto cb = ClientConfigBuilder::root(root.pub);
    CHECK_OK(cb);
    CHECK_OK(cb->set_server_name("play.example.com"));
    auto client_config = cb->build();
    CHECK_OK(client_config);
    for (gamecrypt_session_mode mode : {GAMECRYPT_SESSION_MODE_DATAGRAM, GAMECRYPT_SESSION_MODE_STREAM}) {
        auto client = Session::client(*client_config, mode);
        auto server = Session::server(*server_config, mode);
        CHECK(client.ok() && server.ok());
        CHECK(client->state() == GAMECRYPT_SESSION_STATE_NEED_WRITE);
        CHECK(server->state() == GAMECRYPT_SESSION_STATE_NEED_READ);
        CHECK_CODE(client->seal(text("too early")), GAMECRYPT_RESULT_WRONG_STATE);
        pump(*client, *server);
        CHECK(client->established() && server->established());
        CHECK(client->suite().ok() && client->suite().value_or(0) == server->suite().value_or(1));
        CHECK(*client->server_public_key()->fingerprint() == *server_id.pub.fingerprint());
        const bool datagram = mode == GAMECRYPT_SESSION_MODE_DATAGRAM;
        exchange(*client, *server, datagram);
        exchange(*server, *client, datagram);

        // Key update, then an authenticated close.
        CHECK(client->key_generation().value_or(99) == 0);
        CHECK_OK(client->update_keys());
        exchange(*client, *server, datagram);
        CHECK(server->key_generation().value_or(99) == 1);
        auto bye = client->close();
        CHECK_OK(bye);
        CHECK(client->state() == GAMECRYPT_SESSION_STATE_CLOSED);
        CHECK_CODE(server->open(*bye), GAMECRYPT_RESULT_PEER_CLOSED);
        CHECK(server->state() == GAMECRYPT_SESSION_STATE_CLOSED);
        CHECK_CODE(server->seal(text("x")), GAMECRYPT_RESULT_SESSION_CLOSED);
    }

    // Pinned key and pinned fingerprint, one suite; a wrong pin fails the handshake.
    Identity ed = identity(GAMECRYPT_KEY_TYPE_ED25519);
    auto ed_builder = ServerConfigBuilder::create(ed.key);
    CHECK_OK(ed_builder->set_suites({GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256}));
    auto ed_config = ed_builder->build();
    auto pinned = ClientConfigBuilder::pinned_key(ed.pub);
    CHECK_OK(pinned->set_suites({GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256}));
    CHECK_CODE(pinned->set_server_name("play.example.com"), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    auto pinned_config = pinned->build();
    auto fp = ed.pub.fingerprint();
    auto by_fp = ClientConfigBuilder::pinned_fingerprint(*fp);
    CHECK_OK(by_fp);
    auto fp_config = by_fp->build();
    for (const ClientConfig *config : {&*pinned_config, &*fp_config}) {
        auto client = Session::client(*config, GAMECRYPT_SESSION_MODE_DATAGRAM);
        auto server = Session::server(*ed_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
        pump(*client, *server);
        CHECK(client->established() && server->established());
        CHECK(client->suite().value_or(0) == GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256);
        exchange(*client, *server);
    }
    Identity stranger = identity(GAMECRYPT_KEY_TYPE_ED25519);
    auto wrong_pin = ClientConfigBuilder::pinned_key(stranger.pub)->build();
    auto client = Session::client(*wrong_pin, GAMECRYPT_SESSION_MODE_DATAGRAM);
    auto server = Session::server(*ed_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
    auto ch = client->write_handshake();
    CHECK_OK(server->read_handshake(*ch));
    // In datagram mode a ServerHello signed by a key the client does not trust proves nothing
    // (anyone can send one): dropped 7 times, the 8th fails the session with its own code.
    auto untrusted = server->write_handshake();
    for (int i = 1; i < 8; ++i) {
        auto read = client->read_handshake(*untrusted);
        CHECK(read.ok() && *read == HandshakeRead::dropped);
        CHECK(client->state() == GAMECRYPT_SESSION_STATE_NEED_READ);
    }
    CHECK_CODE(client->read_handshake(*untrusted), GAMECRYPT_RESULT_PINNED_KEY_MISMATCH);
    CHECK(client->state() == GAMECRYPT_SESSION_STATE_FAILED);
    CHECK_CODE(client->read_handshake(*untrusted), GAMECRYPT_RESULT_SESSION_FAILED);
    // In stream mode the first one is fatal.
    auto stream_client = Session::client(*wrong_pin, GAMECRYPT_SESSION_MODE_STREAM);
    auto stream_server = Session::server(*ed_config, GAMECRYPT_SESSION_MODE_STREAM);
    CHECK_OK(stream_server->read_handshake(*stream_client->write_handshake()));
    CHECK_CODE(stream_client->read_handshake(*stream_server->write_handshake()),
               GAMECRYPT_RESULT_PINNED_KEY_MISMATCH);
    CHECK(stream_client->state() == GAMECRYPT_SESSION_STATE_FAILED);
    CHECK_CODE(ClientConfigBuilder::pinned_fingerprint(text("short")), GAMECRYPT_RESULT_INVALID_LENGTH);

    // The client's clock decides certificate validity: two hours later it has expired.
    uint64_t later = t + 7200;
    auto late_builder = ClientConfigBuilder::root(root.pub);
    CHECK_OK(late_builder->set_server_name("play.example.com"));
    CHECK_OK(late_builder->set_clock(far_future_clock, &later));
    auto late_config = late_builder->build();
    auto late_client = Session::client(*late_config, GAMECRYPT_SESSION_MODE_STREAM);
    auto late_server = Session::server(*server_config, GAMECRYPT_SESSION_MODE_STREAM);
    CHECK_OK(late_server->read_handshake(*late_client->write_handshake()));
    CHECK_CODE(late_client->read_handshake(*late_server->write_handshake()), GAMECRYPT_RESULT_CERTIFICATE_EXPIRED);
}

void test_client_auth() {
    Identity server_id = identity(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    Identity player = identity(GAMECRYPT_KEY_TYPE_ED25519);
    auto sb = ServerConfigBuilder::create(server_id.key);
    CHECK_OK(sb->set_client_auth(GAMECRYPT_CLIENT_AUTH_REQUIRED, GAMECRYPT_CLIENT_AUTH_OPTIONAL));
    CHECK_CODE(sb->set_client_auth(9, GAMECRYPT_CLIENT_AUTH_NONE), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    auto server_config = sb->build();
    auto cb = ClientConfigBuilder::pinned_key(server_id.pub);
    CHECK_OK(cb->set_client_key(player.key));
    const Bytes ticket = text("login ticket 1234");
    CHECK_OK(cb->set_token(ticket));
    auto client_config = cb->build();

    for (int accept = 1; accept >= 0; --accept) {
        auto client = Session::client(*client_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
        auto server = Session::server(*server_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
        pump(*client, *server);
        CHECK(client->established());
        CHECK(server->state() == GAMECRYPT_SESSION_STATE_NEED_ACCEPT);
        auto who = server->client_public_key();
        CHECK(who.ok() && *who && *who->fingerprint() == *player.pub.fingerprint());
        CHECK(server->client_token().value_or(Bytes()) == ticket);
        if (accept) {
            CHECK_CODE(client->release_client_credentials(), GAMECRYPT_RESULT_WRONG_STATE);
            CHECK_OK(server->accept());
            // The application took what it needs: the session erases its copies.
            CHECK(server->client_token().value_or(Bytes()) == ticket);
            CHECK_OK(server->release_client_credentials());
            CHECK_CODE(server->release_client_credentials(), GAMECRYPT_RESULT_WRONG_STATE);
            CHECK_CODE(server->client_public_key(), GAMECRYPT_RESULT_WRONG_STATE);
            CHECK_CODE(server->client_token(), GAMECRYPT_RESULT_WRONG_STATE);
            CHECK(server->established());
            exchange(*client, *server);
        } else {
            auto no = server->reject();
            CHECK_OK(no);
            CHECK_CODE(client->open(*no), GAMECRYPT_RESULT_PEER_CLOSED);
            CHECK_CODE(server->accept(), GAMECRYPT_RESULT_SESSION_REJECTED);
        }
    }
    // A client without a key cannot connect to a server that requires one.
    auto keyless = ClientConfigBuilder::pinned_key(server_id.pub)->build();
    auto client = Session::client(*keyless, GAMECRYPT_SESSION_MODE_DATAGRAM);
    auto server = Session::server(*server_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
    CHECK_OK(server->read_handshake(*client->write_handshake()));
    CHECK_CODE(client->read_handshake(*server->write_handshake()), GAMECRYPT_RESULT_CLIENT_AUTH_REQUIRED);
}

// P-256's group order n, big-endian.
const char *const P256_N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

// a < b for big-endian numbers of one length.
bool less_than(const uint8_t *a, const uint8_t *b, size_t len) {
    for (size_t i = 0; i < len; ++i) {
        if (a[i] != b[i]) {
            return a[i] < b[i];
        }
    }
    return false;
}

// n - s for big-endian numbers of one length (s < n).
Bytes subtract(const Bytes &n, const uint8_t *s) {
    Bytes out(n.size());
    int borrow = 0;
    for (size_t i = n.size(); i-- > 0;) {
        int d = n[i] - s[i] - borrow;
        borrow = d < 0;
        out[i] = static_cast<uint8_t>(d + (borrow ? 256 : 0));
    }
    return out;
}

void test_key_hardening() {
    // Small-order and non-canonical Ed25519 keys are refused wherever a public key enters.
    const char *const weak[] = {
        "0100000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };
    const Bytes ed25519_spki_prefix = from_hex("302a300506032b6570032100");
    for (const char *hex : weak) {
        const Bytes raw = from_hex(hex);
        CHECK_CODE(PublicKey::from_raw(GAMECRYPT_KEY_TYPE_ED25519, raw), GAMECRYPT_RESULT_PUBLIC_KEY_WEAK);
        Bytes spki = ed25519_spki_prefix;
        spki.insert(spki.end(), raw.begin(), raw.end());
        CHECK_CODE(PublicKey::from_spki_der(spki), GAMECRYPT_RESULT_PUBLIC_KEY_WEAK);
    }
    // A real key's raw bytes load (the refusal is about the key, not the form).
    auto ed = SigningKey::generate(GAMECRYPT_KEY_TYPE_ED25519);
    CHECK_OK(PublicKey::from_raw(GAMECRYPT_KEY_TYPE_ED25519, *ed->public_key()->to_raw()));

    // The generic sign refuses messages that begin with a protocol signing context (with its
    // zero byte), so an identity key can never be made to sign a handshake or a certificate.
    auto key = SigningKey::generate(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    for (const char *context : {"gamecrypt session v1 server signature", "gamecrypt session v1 client signature",
                                "gamecrypt certificate v1"}) {
        Bytes msg(context, context + std::strlen(context) + 1);
        msg.resize(msg.size() + 32, 0xab);
        CHECK_CODE(key->sign(msg), GAMECRYPT_RESULT_SIGN_CONTEXT_RESERVED);
        CHECK_CODE(ed->sign(msg), GAMECRYPT_RESULT_SIGN_CONTEXT_RESERVED);
        CHECK_OK(key->sign(ByteView(msg.data(), std::strlen(context))));  // no zero byte: ordinary
    }

    // Every ECDSA signature is low-S (s <= n/2; without the rule half would be high); the
    // general verify still accepts the high-S twin n - s.
    const Bytes n = from_hex(P256_N);
    Bytes half_n = n;  // n/2, rounded down
    for (size_t i = 0, carry = 0; i < half_n.size(); ++i) {
        size_t v = carry * 256 + n[i];
        half_n[i] = static_cast<uint8_t>(v / 2);
        carry = v % 2;
    }
    auto pub = key->public_key();
    int low = 0;
    for (uint8_t i = 0; i < 32; ++i) {
        const Bytes msg(20, i);
        auto sig = key->sign(msg, GAMECRYPT_SIGNATURE_ECDSA_FIXED);
        if (!sig || sig->size() != GAMECRYPT_P256_FIXED_SIGNATURE_LEN) {
            CHECK(false);
            continue;
        }
        const uint8_t *s_bytes = sig->data() + 32;
        low += !less_than(half_n.data(), s_bytes, 32);
        Bytes high(sig->begin(), sig->begin() + 32);
        const Bytes high_s = subtract(n, s_bytes);
        high.insert(high.end(), high_s.begin(), high_s.end());
        CHECK(less_than(half_n.data(), high_s.data(), 32));
        CHECK_OK(pub->verify(msg, high, GAMECRYPT_SIGNATURE_ECDSA_FIXED));
    }
    CHECK(low == 32);
}

// A root-trusting client needs the server name unless it explicitly accepts any name.
void test_root_name() {
    Identity root = identity(GAMECRYPT_KEY_TYPE_ED25519);
    Identity server_id = identity(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    auto server_config = certified_server(root, server_id, "eu-1.example.com");
    CHECK_OK(server_config);

    auto nameless = ClientConfigBuilder::root(root.pub);
    CHECK_OK(nameless);
    CHECK_CODE(nameless->build(), GAMECRYPT_RESULT_SERVER_NAME_REQUIRED);
    // The dangerous opt-out: any certified name is accepted; the handshake completes.
    CHECK_OK(nameless->dangerous_accept_any_server_name());
    auto any_name = nameless->build();
    CHECK_OK(any_name);
    auto client = Session::client(*any_name, GAMECRYPT_SESSION_MODE_DATAGRAM);
    auto server = Session::server(*server_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
    pump(*client, *server);
    CHECK(client->established() && server->established());
    CHECK(*client->server_public_key()->fingerprint() == *server_id.pub.fingerprint());
    exchange(*client, *server);

    // A name set as well is still checked (stream mode: the mismatch is fatal at once).
    auto named = ClientConfigBuilder::root(root.pub);
    CHECK_OK(named->dangerous_accept_any_server_name());
    CHECK_OK(named->set_server_name("us-2.example.com"));
    auto named_config = named->build();
    CHECK_OK(named_config);
    auto wrong_client = Session::client(*named_config, GAMECRYPT_SESSION_MODE_STREAM);
    auto wrong_server = Session::server(*server_config, GAMECRYPT_SESSION_MODE_STREAM);
    CHECK_OK(wrong_server->read_handshake(*wrong_client->write_handshake()));
    CHECK_CODE(wrong_client->read_handshake(*wrong_server->write_handshake()),
               GAMECRYPT_RESULT_CERTIFICATE_WRONG_NAME);

    // Pinning builders name one server already: the opt-out is refused.
    auto pinned = ClientConfigBuilder::pinned_key(server_id.pub);
    CHECK_CODE(pinned->dangerous_accept_any_server_name(), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_CODE(ClientConfigBuilder().dangerous_accept_any_server_name(), GAMECRYPT_RESULT_NULL_ARGUMENT);
}

// Datagram mode: spoofed handshake datagrams are dropped (a distinct, non-error outcome) and
// the real handshake completes afterwards; stream mode stays fatal.
void test_handshake_drops() {
    for (gamecrypt_key_type type : {GAMECRYPT_KEY_TYPE_ECDSA_P256, GAMECRYPT_KEY_TYPE_ED25519}) {
        Identity server_id = identity(type);
        auto server_config = ServerConfigBuilder::create(server_id.key)->build();
        auto client_config = ClientConfigBuilder::pinned_key(server_id.pub)->build();
        auto client = Session::client(*client_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
        auto server = Session::server(*server_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
        auto ch = client->write_handshake();
        CHECK(server->read_handshake(*ch).value_or(HandshakeRead::dropped) == HandshakeRead::processed);
        auto sh = server->write_handshake();
        CHECK_OK(sh);

        // Spoofed ServerHellos: a bad signature, truncated, a wrong type, one byte.
        Bytes bad_signature = *sh;
        bad_signature.back() ^= 1;
        Bytes truncated(sh->begin(), sh->begin() + 100);
        Bytes wrong_type = *sh;
        wrong_type[0] = 0x09;
        for (const Bytes &spoofed : {bad_signature, truncated, wrong_type, Bytes{0x02}}) {
            auto read = client->read_handshake(spoofed);
            CHECK_OK(read);
            CHECK(read.value_or(HandshakeRead::processed) == HandshakeRead::dropped);
            CHECK(client->state() == GAMECRYPT_SESSION_STATE_NEED_READ);
        }
        CHECK(client->read_handshake(*sh).value_or(HandshakeRead::dropped) == HandshakeRead::processed);
        auto cf = client->write_handshake();
        CHECK_OK(cf);

        // Spoofed ClientFinished messages: a right header with a random tag, a short one, empty.
        Bytes garbage = {3, 0, 0, 0, 0, 0, 0, 0};
        for (uint8_t i = 0; i < 16; ++i) {
            garbage.push_back(static_cast<uint8_t>(i * 31 + 7));
        }
        for (const Bytes &spoofed : {garbage, Bytes(10, 3), Bytes()}) {
            auto read = server->read_handshake(spoofed);
            CHECK(read.ok() && *read == HandshakeRead::dropped);
            CHECK(server->state() == GAMECRYPT_SESSION_STATE_NEED_READ);
        }
        // A data packet the established client sent before its ClientFinished arrived: dropped.
        auto early = client->seal(text("early"));
        CHECK(server->read_handshake(*early).value_or(HandshakeRead::processed) == HandshakeRead::dropped);
        CHECK(server->read_handshake(*cf).value_or(HandshakeRead::dropped) == HandshakeRead::processed);
        CHECK(client->established() && server->established());
        exchange(*client, *server);
        exchange(*server, *client);
        // Once established, a late handshake copy is WRONG_STATE (ignore it), not a drop.
        CHECK_CODE(client->read_handshake(*sh), GAMECRYPT_RESULT_WRONG_STATE);
    }

    // The same spoofed ClientFinished in stream mode ends the session.
    Identity server_id = identity(GAMECRYPT_KEY_TYPE_ED25519);
    auto server_config = ServerConfigBuilder::create(server_id.key)->build();
    auto client_config = ClientConfigBuilder::pinned_key(server_id.pub)->build();
    auto client = Session::client(*client_config, GAMECRYPT_SESSION_MODE_STREAM);
    auto server = Session::server(*server_config, GAMECRYPT_SESSION_MODE_STREAM);
    CHECK_OK(server->read_handshake(*client->write_handshake()));
    CHECK_OK(server->write_handshake());
    Bytes garbage = {3, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    CHECK_CODE(server->read_handshake(garbage), GAMECRYPT_RESULT_PACKET_AUTH_FAILED);
    CHECK(server->state() == GAMECRYPT_SESSION_STATE_FAILED);
}

// seal_in_place(): the payload sealed where it lies in the caller's buffer.
void test_seal_in_place() {
    Identity server_id = identity(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    auto server_config = ServerConfigBuilder::create(server_id.key)->build();
    auto client_config = ClientConfigBuilder::pinned_key(server_id.pub)->build();
    auto client = Session::client(*client_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
    auto server = Session::server(*server_config, GAMECRYPT_SESSION_MODE_DATAGRAM);

    const Bytes payload = text("state update 17: (3, 4) -> (5, 6)");
    uint8_t buf[128];
    std::memset(buf, 0xee, sizeof buf);
    std::memcpy(buf + GAMECRYPT_PACKET_HEADER_LEN, payload.data(), payload.size());
    uint8_t before[sizeof buf];
    std::memcpy(before, buf, sizeof buf);
    CHECK_CODE(client->seal_in_place(buf, sizeof buf, payload.size()), GAMECRYPT_RESULT_WRONG_STATE);
    pump(*client, *server);
    CHECK(client->established() && server->established());

    // Too little room: BUFFER_TOO_SMALL and the buffer untouched.
    const size_t packet_len = payload.size() + GAMECRYPT_PACKET_OVERHEAD;
    CHECK_CODE(client->seal_in_place(buf, packet_len - 1, payload.size()), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
    CHECK(std::memcmp(buf, before, sizeof buf) == 0);

    auto len = client->seal_in_place(buf, packet_len, payload.size());
    CHECK_OK(len);
    if (!len) {
        return;
    }
    CHECK(*len == packet_len);
    CHECK(buf[packet_len] == 0xee);  // nothing written past the packet
    CHECK(std::memcmp(buf + GAMECRYPT_PACKET_HEADER_LEN, payload.data(), payload.size()) != 0);  // encrypted
    CHECK(!Session::is_handshake_message(ByteView(buf, *len)));
    CHECK(server->open(ByteView(buf, *len)).value_or(Bytes()) == payload);
    CHECK_CODE(server->open(ByteView(buf, *len)), GAMECRYPT_RESULT_PACKET_REPLAYED);

    // The other way, the payload filling the buffer exactly; then an empty payload.
    std::vector<uint8_t> packet(GAMECRYPT_PACKET_HEADER_LEN + payload.size() + GAMECRYPT_AEAD_TAG_LEN);
    std::copy(payload.begin(), payload.end(), packet.begin() + GAMECRYPT_PACKET_HEADER_LEN);
    auto back = server->seal_in_place(packet.data(), packet.size(), payload.size());
    CHECK(back.ok() && *back == packet.size());
    CHECK(client->open(packet).value_or(Bytes()) == payload);
    uint8_t empty[GAMECRYPT_PACKET_OVERHEAD];
    auto empty_len = server->seal_in_place(empty, sizeof empty, 0);
    CHECK(empty_len.ok() && *empty_len == GAMECRYPT_PACKET_OVERHEAD);
    auto opened = client->open(ByteView(empty, sizeof empty));
    CHECK(opened.ok() && opened->empty());
    CHECK_CODE(client->seal_in_place(nullptr, 0, 0), GAMECRYPT_RESULT_BUFFER_TOO_SMALL);
}

uint64_t fixed_clock(void *ctx) { return *static_cast<uint64_t *>(ctx); }

void test_retry() {
    Identity server_id = identity(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    uint64_t clock = 1700000000;
    const Bytes secret(GAMECRYPT_RETRY_SECRET_LEN, 0x33);
    auto sb = ServerConfigBuilder::create(server_id.key);
    CHECK_CODE(sb->set_retry_rotation(100), GAMECRYPT_RESULT_INVALID_ARGUMENT);  // retry is off
    CHECK_OK(sb->set_retry(GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS));
    CHECK_OK(sb->set_retry_rotation(600));
    CHECK_OK(sb->set_retry_secret(secret));
    CHECK_OK(sb->set_clock(fixed_clock, &clock));
    auto config = sb->build();
    CHECK_OK(config);
    auto client_config = ClientConfigBuilder::pinned_key(server_id.pub)->build();

    const Bytes address = text("198.51.100.7:4000");
    auto client = Session::client(*client_config, GAMECRYPT_SESSION_MODE_DATAGRAM);
    auto ch1 = client->write_handshake();
    auto first = config->check_client_hello(address, *ch1);
    CHECK(first.ok() && first->action == GAMECRYPT_RETRY_ACTION_SEND_RETRY && first->retry.size() == GAMECRYPT_RETRY_LEN);
    CHECK_OK(client->read_handshake(first->retry));
    auto ch2 = client->write_handshake();
    auto second = config->check_client_hello(address, *ch2);
    CHECK(second.ok() && second->action == GAMECRYPT_RETRY_ACTION_ACCEPT && second->retry.empty());
    // The cookie is bound to the address.
    auto elsewhere = config->check_client_hello(text("203.0.113.9:4000"), *ch2);
    CHECK(elsewhere.ok() && elsewhere->action != GAMECRYPT_RETRY_ACTION_ACCEPT);
    auto server = Session::server_for_address(*config, GAMECRYPT_SESSION_MODE_DATAGRAM, address);
    CHECK_OK(server);
    CHECK_OK(server->read_handshake(*ch2));
    pump(*client, *server);
    CHECK(client->established() && server->established());
    exchange(*client, *server);

    // After two rotations the old cookie is no longer accepted.
    CHECK_OK(config->rotate_retry_secret());
    CHECK_OK(config->rotate_retry_secret_to(Bytes(GAMECRYPT_RETRY_SECRET_LEN, 0x44)));
    auto stale = config->check_client_hello(address, *ch2);
    CHECK(stale.ok() && stale->action != GAMECRYPT_RETRY_ACTION_ACCEPT);
    CHECK_CODE(config->rotate_retry_secret_to(text("short")), GAMECRYPT_RESULT_INVALID_LENGTH);
    CHECK_CODE(Session::server_for_address(*config, GAMECRYPT_SESSION_MODE_DATAGRAM, ByteView()),
               GAMECRYPT_RESULT_INVALID_LENGTH);
}

// Moves every queued datagram of `from` into `to` (or drops them when `to` is null), as
// coming from `from_address`. Returns how many there were.
int pump(Endpoint &from, const Bytes &from_address, Endpoint *to, uint64_t now_ms, const Bytes &to_address) {
    int n = 0;
    for (;;) {
        auto t = from.poll_transmit();
        CHECK_OK(t);
        if (!t || t->empty()) {
            return n;
        }
        CHECK(t->address == to_address);
        ++n;
        if (to != nullptr) {
            CHECK_OK(to->receive(now_ms, from_address, t->datagram));
        }
    }
}

Endpoint::Event next_event(Endpoint &endpoint) {
    auto e = endpoint.poll_event();
    CHECK_OK(e);
    return e ? std::move(e).value() : Endpoint::Event{};
}

void test_endpoint() {
    const Bytes server_address = text("server:7777");
    const Bytes client_address = text("client:1");
    Identity server_id = identity(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    Identity player = identity(GAMECRYPT_KEY_TYPE_ED25519);

    auto settings = EndpointConfig::create();
    CHECK_OK(settings);
    CHECK_OK(settings->set_handshake_resend_initial_ms(100));
    CHECK_OK(settings->set_handshake_resend_max_ms(800));
    CHECK_OK(settings->set_handshake_timeout_ms(5000));
    CHECK_OK(settings->set_keepalive_interval_ms(500));
    CHECK_OK(settings->set_idle_timeout_ms(3000));
    CHECK_OK(settings->set_max_peers(4));
    CHECK_OK(settings->set_max_handshakes(2));
    CHECK_OK(settings->set_max_data_len(1200));
    CHECK_OK(settings->set_close_copies(2));
    CHECK_OK(settings->set_max_queued_bytes(1 << 20));
    CHECK_OK(settings->set_max_pending_events(64));
    CHECK_CODE(settings->set_max_peers(0), GAMECRYPT_RESULT_INVALID_ARGUMENT);

    auto sb = ServerConfigBuilder::create(server_id.key);
    CHECK_OK(sb->set_client_auth(GAMECRYPT_CLIENT_AUTH_OPTIONAL, GAMECRYPT_CLIENT_AUTH_OPTIONAL));
    auto server_config = sb->build();
    auto cb = ClientConfigBuilder::pinned_key(server_id.pub);
    CHECK_OK(cb->set_client_key(player.key));
    const Bytes ticket = text("ticket 42");
    CHECK_OK(cb->set_token(ticket));
    auto client_config = cb->build();

    // Settings that contradict each other are refused when the endpoint is made.
    CHECK_OK(settings->set_keepalive_interval_ms(3000));
    CHECK_CODE(Endpoint::client(*client_config, &*settings), GAMECRYPT_RESULT_INVALID_ARGUMENT);
    CHECK_OK(settings->set_keepalive_interval_ms(500));

    auto client = Endpoint::client(*client_config, &*settings);
    auto server = Endpoint::server(*server_config, &*settings);
    CHECK(client.ok() && server.ok());
    CHECK(next_event(*client).kind() == GAMECRYPT_ENDPOINT_EVENT_NONE);
    CHECK(client->poll_transmit()->empty());
    CHECK(client->next_deadline().value_or(0) == GAMECRYPT_ENDPOINT_NO_DEADLINE);

    uint64_t now = 1000;
    auto cpeer = client->connect(now, server_address);
    CHECK_OK(cpeer);
    CHECK(client->peer_state(*cpeer).value_or(0) == GAMECRYPT_ENDPOINT_PEER_HANDSHAKE);
    CHECK(client->peer_address(*cpeer).value_or(Bytes()) == server_address);
    CHECK(client->next_deadline().value_or(0) == now + 100);  // the first retransmission
    CHECK_CODE(client->send(now, *cpeer, text("early")), GAMECRYPT_RESULT_PEER_NOT_CONNECTED);
    CHECK_CODE(server->connect(now, client_address), GAMECRYPT_RESULT_WRONG_ROLE);
    CHECK_CODE(client->connect(now, server_address), GAMECRYPT_RESULT_ADDRESS_IN_USE);
    CHECK_CODE(client->handle_timeout(now - 1), GAMECRYPT_RESULT_TIME_WENT_BACKWARDS);
    CHECK_CODE(server->accept(now, *cpeer + 1000), GAMECRYPT_RESULT_UNKNOWN_PEER);

    // The ClientHello is lost; the timer sends it again.
    CHECK(pump(*client, client_address, nullptr, now, server_address) == 1);
    now += 100;
    CHECK_OK(client->handle_timeout(now));
    CHECK(pump(*client, client_address, &*server, now, server_address) == 1);       // ClientHello
    CHECK(pump(*server, server_address, &*client, now, client_address) == 1);       // ServerHello
    CHECK(pump(*client, client_address, &*server, now, server_address) >= 1);       // ClientFinished

    // The server sees the client's credentials and decides.
    auto credentials = next_event(*server);
    CHECK(credentials.kind() == GAMECRYPT_ENDPOINT_EVENT_CLIENT_CREDENTIALS);
    const Endpoint::PeerId speer = credentials.peer();
    CHECK(server->peer_state(speer).value_or(0) == GAMECRYPT_ENDPOINT_PEER_AWAITING_ACCEPT);
    CHECK(server->peer_client_token(speer).value_or(Bytes()) == ticket);
    auto player_fp = player.pub.fingerprint();
    CHECK(server->peer_fingerprint(speer).value_or(Bytes()) == Bytes(player_fp->begin(), player_fp->end()));
    CHECK(server->peer_address(speer).value_or(Bytes()) == client_address);
    CHECK_OK(server->accept(now, speer));
    CHECK(next_event(*server).kind() == GAMECRYPT_ENDPOINT_EVENT_CONNECTED);
    CHECK(server->peer_state(speer).value_or(0) == GAMECRYPT_ENDPOINT_PEER_CONNECTED);
    CHECK_CODE(server->accept(now, speer), GAMECRYPT_RESULT_WRONG_STATE);
    // The server's confirmation connects the client.
    CHECK(pump(*server, server_address, &*client, now, client_address) >= 1);
    auto connected = next_event(*client);
    CHECK(connected.kind() == GAMECRYPT_ENDPOINT_EVENT_CONNECTED && connected.peer() == *cpeer);
    CHECK(connected.info.has_fingerprint);
    CHECK(Bytes(connected.info.fingerprint, connected.info.fingerprint + GAMECRYPT_FINGERPRINT_LEN) ==
          client->peer_fingerprint(*cpeer).value_or(Bytes()));
    auto server_fp = server_id.pub.fingerprint();
    CHECK(client->peer_fingerprint(*cpeer).value_or(Bytes()) == Bytes(server_fp->begin(), server_fp->end()));
    CHECK(client->peer_suite(*cpeer).value_or(0) == connected.info.suite);

    // Data both ways.
    CHECK_OK(server->send(now, speer, text("welcome")));
    pump(*server, server_address, &*client, now, client_address);
    auto data = next_event(*client);
    CHECK(data.kind() == GAMECRYPT_ENDPOINT_EVENT_DATA && data.data == text("welcome"));
    CHECK_OK(client->send(now, *cpeer, text("move 3 4")));
    pump(*client, client_address, &*server, now, server_address);
    data = next_event(*server);
    CHECK(data.kind() == GAMECRYPT_ENDPOINT_EVENT_DATA && data.peer() == speer && data.data == text("move 3 4"));
    {
        // receive_into: the message straight into the buffer (no event waits); one too small
        // a buffer, and it goes to the event queue.
        CHECK_OK(client->send(now, *cpeer, text("move 5 6")));
        auto tx = client->poll_transmit();
        CHECK(tx.ok() && !tx->empty());
        uint8_t buf[64];
        Endpoint::PeerId from = 0;
        auto n = server->receive_into(now, client_address, tx->datagram, buf, sizeof buf, &from);
        CHECK(n.ok() && *n == 8 && from == speer && Bytes(buf, buf + 8) == text("move 5 6"));
        CHECK(next_event(*server).kind() == GAMECRYPT_ENDPOINT_EVENT_NONE);
        CHECK_OK(client->send(now, *cpeer, text("move 7 8")));
        tx = client->poll_transmit();
        n = server->receive_into(now, client_address, tx->datagram, buf, 7, &from);
        CHECK(n.ok() && *n == 0 && from == 0);
        data = next_event(*server);
        CHECK(data.kind() == GAMECRYPT_ENDPOINT_EVENT_DATA && data.data == text("move 7 8"));
        CHECK_CODE(server->receive_into(now, Bytes(), tx->datagram, buf, sizeof buf, &from), GAMECRYPT_RESULT_INVALID_LENGTH);
    }
    {
        // receive_batch: two messages and a stranger's datagram in one call, in order; a bad
        // address anywhere, and nothing is taken.
        std::vector<Bytes> sent;
        for (const char *m : {"move 9 9", "jump"}) {
            CHECK_OK(client->send(now, *cpeer, text(m)));
            auto tx = client->poll_transmit();
            CHECK(tx.ok() && !tx->empty());
            sent.push_back(tx->datagram);
        }
        const Bytes stranger = text("10.0.0.99:4000");
        std::vector<Endpoint::Datagram> batch = {Endpoint::datagram(client_address, sent[0]),
                                                 Endpoint::datagram(stranger, sent[1]),
                                                 Endpoint::datagram(client_address, sent[1])};
        auto bad = batch;
        const Bytes no_address;
        bad[2] = Endpoint::datagram(no_address, sent[1]);
        auto before = server->stats();
        CHECK_CODE(server->receive_batch(now, bad), GAMECRYPT_RESULT_INVALID_LENGTH);
        CHECK(server->stats()->datagrams_received == before->datagrams_received);
        CHECK_OK(server->receive_batch(now, batch));
        auto after = server->stats();
        CHECK(after->datagrams_received == before->datagrams_received + 3);
        CHECK(after->dropped_stray == before->dropped_stray + 1);
        data = next_event(*server);
        CHECK(data.kind() == GAMECRYPT_ENDPOINT_EVENT_DATA && data.peer() == speer && data.data == text("move 9 9"));
        data = next_event(*server);
        CHECK(data.kind() == GAMECRYPT_ENDPOINT_EVENT_DATA && data.peer() == speer && data.data == text("jump"));
        CHECK(next_event(*server).kind() == GAMECRYPT_ENDPOINT_EVENT_NONE);
    }
    CHECK_CODE(client->send(now, *cpeer, Bytes(1201, 1)), GAMECRYPT_RESULT_INVALID_LENGTH);

    auto stats = client->stats();
    CHECK(stats.ok() && stats->peers == 1 && stats->handshake_resends == 1);

    // The client closes; the server hears it.
    CHECK_OK(client->close(now, *cpeer));
    auto closed = next_event(*client);
    CHECK(closed.kind() == GAMECRYPT_ENDPOINT_EVENT_CLOSED &&
          closed.info.close_reason == GAMECRYPT_ENDPOINT_CLOSE_LOCAL);
    CHECK(closed.close_error().code() == GAMECRYPT_RESULT_SESSION_CLOSED);
    CHECK(pump(*client, client_address, &*server, now, server_address) >= 1);
    closed = next_event(*server);
    CHECK(closed.kind() == GAMECRYPT_ENDPOINT_EVENT_CLOSED &&
          closed.info.close_reason == GAMECRYPT_ENDPOINT_CLOSE_PEER_CLOSED && closed.peer() == speer);
    CHECK(closed.close_error().code() == GAMECRYPT_RESULT_PEER_CLOSED);
    CHECK_CODE(server->peer_state(speer), GAMECRYPT_RESULT_UNKNOWN_PEER);  // forgotten
    CHECK_CODE(server->send(now, speer, text("late")), GAMECRYPT_RESULT_UNKNOWN_PEER);

    // A server that never answers: the handshake times out.
    auto lonely = Endpoint::client(*client_config);
    auto lost = lonely->connect(0, server_address);
    CHECK_OK(lost);
    uint64_t t = 0;
    bool timed_out = false;
    for (int i = 0; i < 100 && !timed_out; ++i) {
        pump(*lonely, client_address, nullptr, t, server_address);
        auto deadline = lonely->next_deadline();
        CHECK(deadline.ok() && *deadline != GAMECRYPT_ENDPOINT_NO_DEADLINE);
        if (!deadline || *deadline == GAMECRYPT_ENDPOINT_NO_DEADLINE) {
            break;
        }
        t = *deadline;
        CHECK_OK(lonely->handle_timeout(t));
        auto e = next_event(*lonely);
        if (e.kind() != GAMECRYPT_ENDPOINT_EVENT_NONE) {
            CHECK(e.kind() == GAMECRYPT_ENDPOINT_EVENT_CLOSED && e.peer() == *lost);
            CHECK(e.info.close_reason == GAMECRYPT_ENDPOINT_CLOSE_HANDSHAKE_TIMEOUT);
            CHECK(e.close_error().code() == GAMECRYPT_RESULT_HANDSHAKE_TIMEOUT);
            timed_out = true;
        }
    }
    CHECK(timed_out);
    CHECK(lonely->stats().value_or(gamecrypt_endpoint_stats{}).handshake_resends > 0);
    CHECK(t >= 10000);  // the default handshake timeout
}

}  // namespace

int main() {
    test_results();
    test_primitives();
    test_keys();
    test_boxes();
    test_certificate();
    test_session();
    test_client_auth();
    test_retry();
    test_key_hardening();
    test_root_name();
    test_handshake_drops();
    test_seal_in_place();
    test_endpoint();
    std::printf("gamecrypt.hpp: %d passed, %d failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
