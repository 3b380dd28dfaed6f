/*
 * gamecrypt.hpp: a header-only C++17 wrapper over gamecrypt.h.
 *
 * - Every handle of the C API is a move-only RAII type that frees its handle (and so zeroes
 *   its secrets) when it goes out of scope: SigningKey, PublicKey, HashContext, HmacContext,
 *   AeadKey, ServerConfigBuilder, ServerConfig, ClientConfigBuilder, ClientConfig, Session,
 *   EndpointConfig, Endpoint. Server certificates are byte strings (Certificate).
 *   get() gives the C handle, release() hands it over, so C and C++ calls can be mixed.
 * - Inputs are ByteView (pointer + length; made implicitly from std::vector<uint8_t>,
 *   std::array<uint8_t, N> or a (pointer, length) pair). Outputs are std::vector<uint8_t>
 *   (or std::string for PEM text); the session also seals and opens into caller buffers.
 * - Fallible calls return gamecrypt::Result<T> (or Status = Result<void>): the value, or the
 *   gamecrypt_result code with its message. No exceptions are thrown, so the header builds
 *   with -fno-exceptions. Reading the value of a failed Result is a bug and aborts.
 * - Session::read_handshake() gives HandshakeRead::dropped, not an error, for a datagram-mode
 *   handshake message that failed its checks and was ignored (the C code
 *   GAMECRYPT_RESULT_HANDSHAKE_MESSAGE_DROPPED): nothing changed, keep waiting.
 * - Constants, algorithm identifiers and result codes are the C ones (GAMECRYPT_*).
 */
#ifndef GAMECRYPT_HPP
#define GAMECRYPT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "gamecrypt.h"

namespace gamecrypt {

/* ---------------------------------------------------------------------------------------- */
/* Errors and results                                                                        */

/** A gamecrypt_result code with its message. */
class Error {
  public:
    constexpr Error() noexcept = default;
    constexpr explicit Error(gamecrypt_result code) noexcept : code_(code) {}
    constexpr gamecrypt_result code() const noexcept { return code_; }
    /** The library's static description of the code (never NULL). */
    const char *message() const noexcept {
        return gamecrypt_result_str(static_cast<uint32_t>(code_));
    }
    constexpr bool ok() const noexcept { return code_ == GAMECRYPT_RESULT_OK; }

  private:
    gamecrypt_result code_ = GAMECRYPT_RESULT_OK;
};

namespace detail {
/* A failure without a code would be a success without a value: make it an internal error. */
constexpr gamecrypt_result failure_code(Error e) noexcept {
    return e.ok() ? GAMECRYPT_RESULT_INTERNAL : e.code();
}
}  // namespace detail

/** The value of a call that succeeded, or the code and message of one that failed. */
template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : code_(GAMECRYPT_RESULT_OK), value_(std::move(value)) {}
    Result(Error error) noexcept : code_(detail::failure_code(error)) {}

    bool ok() const noexcept { return code_ == GAMECRYPT_RESULT_OK; }
    explicit operator bool() const noexcept { return ok(); }
    gamecrypt_result code() const noexcept { return code_; }
    const char *message() const noexcept { return error().message(); }
    Error error() const noexcept { return Error(code_); }

    /** The value; calling it on a failed result aborts the program. */
    T &value() & { return checked(), *value_; }
    const T &value() const & { return checked(), *value_; }
    /** On an rvalue the value is moved out (returned by value: no dangling reference). */
    T value() && { return checked(), std::move(*value_); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T operator*() && { return std::move(*this).value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    template <class U>
    T value_or(U &&fallback) const & {
        return ok() ? *value_ : static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    T value_or(U &&fallback) && {
        return ok() ? std::move(*value_) : static_cast<T>(std::forward<U>(fallback));
    }

  private:
    void checked() const {
        if (!ok()) {
            std::abort();
        }
    }
    gamecrypt_result code_;
    std::optional<T> value_;
};

/** Success, or the code and message of a failure. */
template <>
class [[nodiscard]] Result<void> {
  public:
    Result() noexcept = default;
    Result(Error error) noexcept : code_(error.code()) {}
    /** Any code, GAMECRYPT_RESULT_OK included. */
    static Result from_code(gamecrypt_result code) noexcept { return Result(Error(code)); }

    bool ok() const noexcept { return code_ == GAMECRYPT_RESULT_OK; }
    explicit operator bool() const noexcept { return ok(); }
    gamecrypt_result code() const noexcept { return code_; }
    const char *message() const noexcept { return error().message(); }
    Error error() const noexcept { return Error(code_); }

  private:
    gamecrypt_result code_ = GAMECRYPT_RESULT_OK;
};

using Status = Result<void>;

/* ---------------------------------------------------------------------------------------- */
/* Buffers                                                                                   */

/** A read-only view of bytes: (pointer, length). (nullptr, 0) is the empty buffer. */
class ByteView {
  public:
    constexpr ByteView() noexcept = default;
    constexpr ByteView(const uint8_t *data, size_t size) noexcept : data_(data), size_(size) {}
    ByteView(const std::vector<uint8_t> &bytes) noexcept : data_(bytes.data()), size_(bytes.size()) {}
    template <size_t N>
    constexpr ByteView(const std::array<uint8_t, N> &bytes) noexcept
        : data_(bytes.data()), size_(N) {}
    /** The bytes of a text (no NUL terminator). */
    static ByteView of(std::string_view text) noexcept {
        return ByteView(reinterpret_cast<const uint8_t *>(text.data()), text.size());
    }
    constexpr const uint8_t *data() const noexcept { return data_; }
    constexpr size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }
    std::vector<uint8_t> to_vector() const { return std::vector<uint8_t>(data_, data_ + size_); }

  private:
    const uint8_t *data_ = nullptr;
    size_t size_ = 0;
};

namespace detail {

inline Status status(gamecrypt_result rc) noexcept { return Status::from_code(rc); }

/* Calls `write(out, cap, &len)` with `guess` bytes of room, and once more with the needed
 * length if the C function answers BUFFER_TOO_SMALL. Container is std::vector<uint8_t> or
 * std::string. */
template <class Container, class Write>
Result<Container> read_out(size_t guess, Write &&write) {
    using Elem = typename Container::value_type;
    Container out(guess, Elem{});
    for (int attempt = 0;; ++attempt) {
        size_t len = 0;
        gamecrypt_result rc = write(out.empty() ? nullptr : &out[0], out.size(), &len);
        if (rc == GAMECRYPT_RESULT_OK) {
            out.resize(len);
            return out;
        }
        if (rc != GAMECRYPT_RESULT_BUFFER_TOO_SMALL || attempt > 0 || len <= out.size()) {
            return Error(rc);
        }
        out.resize(len);
    }
}

template <class Write>
Result<std::vector<uint8_t>> read_bytes(size_t guess, Write &&write) {
    return read_out<std::vector<uint8_t>>(guess, std::forward<Write>(write));
}

/* Reads a text output (PEM), which the C functions write without a NUL terminator. */
template <class Write>
Result<std::string> read_text(size_t guess, Write &&write) {
    return read_out<std::string>(guess, [&](char *out, size_t cap, size_t *len) {
        return write(out, cap, len);
    });
}

template <class Write>
Result<std::vector<uint8_t>> fill_bytes(size_t len, Write &&write) {
    std::vector<uint8_t> out(len);
    gamecrypt_result rc = write(out.empty() ? nullptr : out.data(), out.size());
    if (rc != GAMECRYPT_RESULT_OK) {
        return Error(rc);
    }
    return out;
}

/* The owner of one C handle: move-only, frees it (Free accepts NULL) when destroyed. */
template <class T, void (*Free)(T *)>
class Handle {
  public:
    using c_type = T;
    Handle() noexcept = default;
    explicit Handle(T *handle) noexcept : handle_(handle) {}
    Handle(Handle &&other) noexcept : handle_(other.release()) {}
    Handle &operator=(Handle &&other) noexcept {
        if (this != &other) {
            reset(other.release());
        }
        return *this;
    }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    ~Handle() { Free(handle_); }

    /** The C handle (still owned by this object). */
    T *get() const noexcept { return handle_; }
    /** Gives up ownership: the caller frees the returned handle. */
    T *release() noexcept {
        T *handle = handle_;
        handle_ = nullptr;
        return handle;
    }
    /** Frees the current handle and owns `handle` instead. */
    void reset(T *handle = nullptr) noexcept {
        T *old = handle_;
        handle_ = handle;
        Free(old);
    }
    explicit operator bool() const noexcept { return handle_ != nullptr; }

  private:
    T *handle_ = nullptr;
};

/* Runs `create(&handle)` and wraps the new handle in Owner. */
template <class Owner, class Create>
Result<Owner> make(Create &&create) {
    typename Owner::c_type *handle = nullptr;
    gamecrypt_result rc = create(&handle);
    if (rc != GAMECRYPT_RESULT_OK) {
        return Error(rc);
    }
    return Owner(handle);
}

}  // namespace detail

/* ---------------------------------------------------------------------------------------- */
/* Keys                                                                                      */

/** A public key that verifies signatures (ECDSA P-256/P-384, Ed25519, RSA). */
class PublicKey : public detail::Handle<gamecrypt_public_key, gamecrypt_public_key_free> {
  public:
    using Handle::Handle;

    static Result<PublicKey> from_spki_der(ByteView der) {
        return detail::make<PublicKey>([&](gamecrypt_public_key **out) {
            return gamecrypt_public_key_from_spki_der(der.data(), der.size(), out);
        });
    }
    static Result<PublicKey> from_pem(std::string_view pem) {
        return detail::make<PublicKey>([&](gamecrypt_public_key **out) {
            return gamecrypt_public_key_from_pem(pem.data(), pem.size(), out);
        });
    }
    static Result<PublicKey> from_raw(gamecrypt_key_type type, ByteView raw) {
        return detail::make<PublicKey>([&](gamecrypt_public_key **out) {
            return gamecrypt_public_key_from_raw(type, raw.data(), raw.size(), out);
        });
    }

    Result<gamecrypt_key_type> type() const {
        gamecrypt_key_type type = 0;
        gamecrypt_result rc = gamecrypt_public_key_type(get(), &type);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return type;
    }
    Result<std::vector<uint8_t>> to_spki_der() const {
        return detail::read_bytes(128, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_public_key_to_spki_der(get(), out, cap, len);
        });
    }
    Result<std::string> to_pem() const {
        return detail::read_text(256, [&](char *out, size_t cap, size_t *len) {
            return gamecrypt_public_key_to_pem(get(), out, cap, len);
        });
    }
    Result<std::vector<uint8_t>> to_raw() const {
        return detail::read_bytes(GAMECRYPT_P384_PUBLIC_KEY_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_public_key_to_raw(get(), out, cap, len);
        });
    }
    Result<std::vector<uint8_t>> to_raw_compressed() const {
        return detail::read_bytes(GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN,
                                  [&](uint8_t *out, size_t cap, size_t *len) {
                                      return gamecrypt_public_key_to_raw_compressed(get(), out, cap, len);
                                  });
    }
    /** SHA-256 of the SubjectPublicKeyInfo DER. */
    Result<std::array<uint8_t, GAMECRYPT_FINGERPRINT_LEN>> fingerprint() const {
        std::array<uint8_t, GAMECRYPT_FINGERPRINT_LEN> out{};
        gamecrypt_result rc = gamecrypt_public_key_fingerprint(get(), out.data(), out.size());
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return out;
    }
    /** OK when `signature` is a valid signature of `message`; SIGNATURE_INVALID when not. */
    Status verify(ByteView message, ByteView signature,
                  gamecrypt_signature_format format = GAMECRYPT_SIGNATURE_DEFAULT) const {
        return detail::status(gamecrypt_public_key_verify(get(), message.data(), message.size(),
                                                          signature.data(), signature.size(), format));
    }
};

/** A private key that signs. Freeing it zeroes the key material. */
class SigningKey : public detail::Handle<gamecrypt_signing_key, gamecrypt_signing_key_free> {
  public:
    using Handle::Handle;

    static Result<SigningKey> generate(gamecrypt_key_type type) {
        return detail::make<SigningKey>(
            [&](gamecrypt_signing_key **out) { return gamecrypt_signing_key_generate(type, out); });
    }
    static Result<SigningKey> from_der(ByteView der) {
        return detail::make<SigningKey>([&](gamecrypt_signing_key **out) {
            return gamecrypt_signing_key_from_der(der.data(), der.size(), out);
        });
    }
    static Result<SigningKey> from_pem(std::string_view pem) {
        return detail::make<SigningKey>([&](gamecrypt_signing_key **out) {
            return gamecrypt_signing_key_from_pem(pem.data(), pem.size(), out);
        });
    }

    Result<gamecrypt_key_type> type() const {
        gamecrypt_key_type type = 0;
        gamecrypt_result rc = gamecrypt_signing_key_type(get(), &type);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return type;
    }
    Result<PublicKey> public_key() const {
        return detail::make<PublicKey>(
            [&](gamecrypt_public_key **out) { return gamecrypt_signing_key_public_key(get(), out); });
    }
    /** The private key as PKCS#8 DER: protect it and wipe it after use. */
    Result<std::vector<uint8_t>> to_pkcs8_der() const {
        return detail::read_bytes(256, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_signing_key_to_pkcs8_der(get(), out, cap, len);
        });
    }
    /** The private key as a PEM "PRIVATE KEY" block: protect it and wipe it after use. */
    Result<std::string> to_pkcs8_pem() const {
        return detail::read_text(512, [&](char *out, size_t cap, size_t *len) {
            return gamecrypt_signing_key_to_pkcs8_pem(get(), out, cap, len);
        });
    }
    Result<size_t> max_signature_len(gamecrypt_signature_format format = GAMECRYPT_SIGNATURE_DEFAULT) const {
        size_t len = 0;
        gamecrypt_result rc = gamecrypt_signing_key_max_signature_len(get(), format, &len);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return len;
    }
    Result<std::vector<uint8_t>> sign(ByteView message,
                                      gamecrypt_signature_format format = GAMECRYPT_SIGNATURE_DEFAULT) const {
        return detail::read_bytes(GAMECRYPT_MAX_SIGNATURE_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_signing_key_sign(get(), message.data(), message.size(), format, out, cap, len);
        });
    }
};

/* ---------------------------------------------------------------------------------------- */
/* Primitives                                                                                */

/** `len` bytes from the system's secure random generator. */
inline Result<std::vector<uint8_t>> random_bytes(size_t len) {
    return detail::fill_bytes(len, [](uint8_t *out, size_t n) { return gamecrypt_random_bytes(out, n); });
}

/** Digest of `data` with `alg` (one of GAMECRYPT_HASH_*). */
inline Result<std::vector<uint8_t>> hash(gamecrypt_hash alg, ByteView data) {
    return detail::read_bytes(GAMECRYPT_HASH_MAX_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
        return gamecrypt_hash_digest(alg, data.data(), data.size(), out, cap, len);
    });
}

/** A streaming hash, for data fed in pieces. One thread at a time. */
class HashContext : public detail::Handle<gamecrypt_hash_context, gamecrypt_hash_context_free> {
  public:
    using Handle::Handle;

    static Result<HashContext> create(gamecrypt_hash alg) {
        return detail::make<HashContext>(
            [&](gamecrypt_hash_context **out) { return gamecrypt_hash_context_new(alg, out); });
    }
    Status update(ByteView data) {
        return detail::status(gamecrypt_hash_context_update(get(), data.data(), data.size()));
    }
    /** The digest; the context is spent afterwards (CONTEXT_FINISHED). */
    Result<std::vector<uint8_t>> finish() {
        return detail::read_bytes(GAMECRYPT_HASH_MAX_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_hash_context_finish(get(), out, cap, len);
        });
    }
};

inline Result<std::vector<uint8_t>> hmac_sign(gamecrypt_hash alg, ByteView key, ByteView data) {
    return detail::read_bytes(GAMECRYPT_HASH_MAX_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
        return gamecrypt_hmac_sign(alg, key.data(), key.size(), data.data(), data.size(), out, cap, len);
    });
}

/** OK when `tag` is the HMAC of `data` under `key` (constant time); MAC_INVALID when not. */
inline Status hmac_verify(gamecrypt_hash alg, ByteView key, ByteView data, ByteView tag) {
    return detail::status(
        gamecrypt_hmac_verify(alg, key.data(), key.size(), data.data(), data.size(), tag.data(), tag.size()));
}

/** A streaming HMAC. Freeing it zeroes the key state. One thread at a time. */
class HmacContext : public detail::Handle<gamecrypt_hmac_context, gamecrypt_hmac_context_free> {
  public:
    using Handle::Handle;

    static Result<HmacContext> create(gamecrypt_hash alg, ByteView key) {
        return detail::make<HmacContext>([&](gamecrypt_hmac_context **out) {
            return gamecrypt_hmac_context_new(alg, key.data(), key.size(), out);
        });
    }
    Status update(ByteView data) {
        return detail::status(gamecrypt_hmac_context_update(get(), data.data(), data.size()));
    }
    Result<std::vector<uint8_t>> finish() {
        return detail::read_bytes(GAMECRYPT_HASH_MAX_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_hmac_context_finish(get(), out, cap, len);
        });
    }
    Status verify(ByteView tag) {
        return detail::status(gamecrypt_hmac_context_verify(get(), tag.data(), tag.size()));
    }
};

inline Result<std::vector<uint8_t>> hkdf_extract(gamecrypt_hash alg, ByteView salt, ByteView ikm) {
    return detail::read_bytes(GAMECRYPT_HASH_MAX_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
        return gamecrypt_hkdf_extract(alg, salt.data(), salt.size(), ikm.data(), ikm.size(), out, cap, len);
    });
}

inline Result<std::vector<uint8_t>> hkdf_expand(gamecrypt_hash alg, ByteView prk, ByteView info, size_t len) {
    return detail::fill_bytes(len, [&](uint8_t *out, size_t n) {
        return gamecrypt_hkdf_expand(alg, prk.data(), prk.size(), info.data(), info.size(), out, n);
    });
}

inline Result<std::vector<uint8_t>> hkdf_derive(gamecrypt_hash alg, ByteView salt, ByteView ikm, ByteView info,
                                                size_t len) {
    return detail::fill_bytes(len, [&](uint8_t *out, size_t n) {
        return gamecrypt_hkdf_derive(alg, salt.data(), salt.size(), ikm.data(), ikm.size(), info.data(),
                                     info.size(), out, n);
    });
}

inline Result<std::vector<uint8_t>> pbkdf2_sha256(ByteView password, ByteView salt, uint32_t iterations,
                                                  size_t len) {
    return detail::fill_bytes(len, [&](uint8_t *out, size_t n) {
        return gamecrypt_pbkdf2_sha256_derive(password.data(), password.size(), salt.data(), salt.size(),
                                              iterations, out, n);
    });
}

/** Compares in time that depends only on the lengths. */
inline bool constant_time_eq(ByteView a, ByteView b) noexcept {
    return gamecrypt_constant_time_eq(a.data(), a.size(), b.data(), b.size());
}

/** The library's version string, e.g. "0.1.0" (compare with GAMECRYPT_VERSION_STRING). */
inline const char *version() noexcept { return gamecrypt_version(); }

/* ---------------------------------------------------------------------------------------- */
/* Sealed boxes and raw AEAD                                                                 */

/** A symmetric key (AES-256-GCM or ChaCha20-Poly1305). Freeing it zeroes the key. */
class AeadKey : public detail::Handle<gamecrypt_aead_key, gamecrypt_aead_key_free> {
  public:
    using Handle::Handle;

    static Result<AeadKey> from_bytes(gamecrypt_aead alg, ByteView key) {
        return detail::make<AeadKey>([&](gamecrypt_aead_key **out) {
            return gamecrypt_aead_key_from_bytes(alg, key.data(), key.size(), out);
        });
    }
    static Result<AeadKey> generate(gamecrypt_aead alg) {
        return detail::make<AeadKey>([&](gamecrypt_aead_key **out) { return gamecrypt_aead_key_generate(alg, out); });
    }
    static Result<AeadKey> from_password(gamecrypt_aead alg, ByteView password, ByteView salt, uint32_t iterations) {
        return detail::make<AeadKey>([&](gamecrypt_aead_key **out) {
            return gamecrypt_aead_key_from_password(alg, password.data(), password.size(), salt.data(), salt.size(),
                                                    iterations, out);
        });
    }

    gamecrypt_aead algorithm() const noexcept { return gamecrypt_aead_key_algorithm(get()); }

    /** A self-describing box of plaintext.size() + GAMECRYPT_BOX_OVERHEAD bytes. */
    Result<std::vector<uint8_t>> seal(ByteView plaintext, ByteView ad = {}) const {
        return detail::read_bytes(plaintext.size() + GAMECRYPT_BOX_OVERHEAD, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_aead_key_seal(get(), plaintext.data(), plaintext.size(), ad.data(), ad.size(), out, cap,
                                           len);
        });
    }
    /** The plaintext of a box; OPEN_FAILED when it does not authenticate. */
    Result<std::vector<uint8_t>> open(ByteView sealed, ByteView ad = {}) const {
        return detail::read_bytes(sealed.size(), [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_aead_key_open(get(), sealed.data(), sealed.size(), ad.data(), ad.size(), out, cap, len);
        });
    }
    /** Raw AEAD opening with the caller's nonce (ciphertext || tag). */
    Result<std::vector<uint8_t>> open_with_nonce(ByteView nonce, ByteView ad, ByteView ciphertext_and_tag) const {
        return detail::read_bytes(ciphertext_and_tag.size(), [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_aead_key_open_with_nonce(get(), nonce.data(), nonce.size(), ad.data(), ad.size(),
                                                      ciphertext_and_tag.data(), ciphertext_and_tag.size(), out,
                                                      cap, len);
        });
    }
    /** Raw AEAD sealing with a caller-chosen nonce: a nonce used twice with one key breaks it. */
    Result<std::vector<uint8_t>> seal_with_nonce_dangerous(ByteView nonce, ByteView ad, ByteView plaintext) const {
        return detail::read_bytes(plaintext.size() + GAMECRYPT_AEAD_TAG_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_aead_key_seal_with_nonce_dangerous(get(), nonce.data(), nonce.size(), ad.data(),
                                                                ad.size(), plaintext.data(), plaintext.size(), out,
                                                                cap, len);
        });
    }
};

/** A password box (it stores its salt and iteration count). */
inline Result<std::vector<uint8_t>> seal_with_password(gamecrypt_aead alg, ByteView password, uint32_t iterations,
                                                       ByteView plaintext, ByteView ad = {}) {
    return detail::read_bytes(plaintext.size() + GAMECRYPT_PASSWORD_BOX_OVERHEAD,
                              [&](uint8_t *out, size_t cap, size_t *len) {
                                  return gamecrypt_box_seal_with_password(alg, password.data(), password.size(),
                                                                          iterations, plaintext.data(),
                                                                          plaintext.size(), ad.data(), ad.size(), out,
                                                                          cap, len);
                              });
}

inline Result<std::vector<uint8_t>> open_with_password(ByteView password, ByteView sealed, ByteView ad = {}) {
    return detail::read_bytes(sealed.size(), [&](uint8_t *out, size_t cap, size_t *len) {
        return gamecrypt_box_open_with_password(password.data(), password.size(), sealed.data(), sealed.size(),
                                                ad.data(), ad.size(), out, cap, len);
    });
}

/* ---------------------------------------------------------------------------------------- */
/* Server certificates                                                                       */

/** A server certificate: its bytes (what gamecrypt_certificate_issue() writes). */
class Certificate {
  public:
    Certificate() = default;
    explicit Certificate(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}

    /** A certificate for `server_key` and `server_name`, signed by `root`. */
    static Result<Certificate> issue(const SigningKey &root, const PublicKey &server_key, const std::string &server_name,
                                     uint64_t not_before, uint64_t not_after) {
        auto bytes = detail::read_bytes(GAMECRYPT_CERTIFICATE_MAX_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_certificate_issue(root.get(), server_key.get(), server_name.c_str(), not_before,
                                               not_after, out, cap, len);
        });
        if (!bytes) {
            return bytes.error();
        }
        return Certificate(std::move(bytes).value());
    }

    const std::vector<uint8_t> &bytes() const noexcept { return bytes_; }
    ByteView view() const noexcept { return ByteView(bytes_); }

    /** OK when signed by `root_key`, for `server_name`, and valid at `now` (unix seconds). */
    Status verify(const PublicKey &root_key, const std::string &server_name, uint64_t now) const {
        return detail::status(gamecrypt_certificate_verify(bytes_.data(), bytes_.size(), root_key.get(),
                                                           server_name.c_str(), now));
    }
    /** (not_before, not_after) in unix seconds. Does not verify. */
    Result<std::pair<uint64_t, uint64_t>> validity() const {
        uint64_t not_before = 0;
        uint64_t not_after = 0;
        gamecrypt_result rc = gamecrypt_certificate_validity(bytes_.data(), bytes_.size(), &not_before, &not_after);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return std::make_pair(not_before, not_after);
    }
    /** The server name (UTF-8). Does not verify. */
    Result<std::string> server_name() const {
        return detail::read_text(256, [&](char *out, size_t cap, size_t *len) {
            return gamecrypt_certificate_server_name(bytes_.data(), bytes_.size(), reinterpret_cast<uint8_t *>(out),
                                                     cap, len);
        });
    }
    /** The server key it names. Does not verify. */
    Result<PublicKey> public_key() const {
        return detail::make<PublicKey>([&](gamecrypt_public_key **out) {
            return gamecrypt_certificate_public_key(bytes_.data(), bytes_.size(), out);
        });
    }

  private:
    std::vector<uint8_t> bytes_;
};

/* ---------------------------------------------------------------------------------------- */
/* Session configurations                                                                    */

/** An immutable server configuration, shared by any number of sessions and threads. */
class ServerConfig : public detail::Handle<gamecrypt_server_config, gamecrypt_server_config_free> {
  public:
    using Handle::Handle;

    /** What gamecrypt_server_config_check_client_hello() decided for a datagram. */
    struct RetryDecision {
        gamecrypt_retry_action action = GAMECRYPT_RETRY_ACTION_DROP;
        std::vector<uint8_t> retry;  // the Retry message to send back when SEND_RETRY
    };

    /** Stateless check of a datagram from an address without a session (retry cookies). */
    Result<RetryDecision> check_client_hello(ByteView client_address, ByteView datagram) const {
        RetryDecision decision;
        auto retry = detail::read_bytes(GAMECRYPT_RETRY_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_server_config_check_client_hello(get(), client_address.data(), client_address.size(),
                                                              datagram.data(), datagram.size(), out, cap, len,
                                                              &decision.action);
        });
        if (!retry) {
            return retry.error();
        }
        decision.retry = std::move(retry).value();
        return decision;
    }
    Status rotate_retry_secret() const { return detail::status(gamecrypt_server_config_rotate_retry_secret(get())); }
    Status rotate_retry_secret_to(ByteView secret) const {
        return detail::status(gamecrypt_server_config_rotate_retry_secret_to(get(), secret.data(), secret.size()));
    }
};

/** Builder of a ServerConfig. One thread at a time. */
class ServerConfigBuilder
    : public detail::Handle<gamecrypt_server_config_builder, gamecrypt_server_config_builder_free> {
  public:
    using Handle::Handle;

    static Result<ServerConfigBuilder> create(const SigningKey &identity) {
        return detail::make<ServerConfigBuilder>([&](gamecrypt_server_config_builder **out) {
            return gamecrypt_server_config_builder_new(identity.get(), out);
        });
    }
    Status set_certificate(ByteView certificate) {
        return detail::status(
            gamecrypt_server_config_builder_set_certificate(get(), certificate.data(), certificate.size()));
    }
    Status set_certificate(const Certificate &certificate) { return set_certificate(certificate.view()); }
    Status set_suites(const std::vector<gamecrypt_suite> &suites) {
        return detail::status(gamecrypt_server_config_builder_set_suites(get(), suites.data(), suites.size()));
    }
    Status set_client_auth(gamecrypt_client_auth_mode signature, gamecrypt_client_auth_mode token) {
        return detail::status(gamecrypt_server_config_builder_set_client_auth(get(), signature, token));
    }
    Status set_retry(uint64_t period_secs) {
        return detail::status(gamecrypt_server_config_builder_set_retry(get(), period_secs));
    }
    Status set_retry_rotation(uint64_t interval_secs) {
        return detail::status(gamecrypt_server_config_builder_set_retry_rotation(get(), interval_secs));
    }
    Status set_retry_secret(ByteView secret) {
        return detail::status(gamecrypt_server_config_builder_set_retry_secret(get(), secret.data(), secret.size()));
    }
    /** `clock(ctx)` must be thread-safe and `ctx` must outlive every config and session. */
    Status set_clock(gamecrypt_clock_fn clock, void *ctx) {
        return detail::status(gamecrypt_server_config_builder_set_clock(get(), clock, ctx));
    }
    Result<ServerConfig> build() const {
        return detail::make<ServerConfig>(
            [&](gamecrypt_server_config **out) { return gamecrypt_server_config_builder_build(get(), out); });
    }
};

/** An immutable client configuration, shared by any number of sessions and threads. */
class ClientConfig : public detail::Handle<gamecrypt_client_config, gamecrypt_client_config_free> {
  public:
    using Handle::Handle;
};

/** Builder of a ClientConfig. One thread at a time. */
class ClientConfigBuilder
    : public detail::Handle<gamecrypt_client_config_builder, gamecrypt_client_config_builder_free> {
  public:
    using Handle::Handle;

    /** Trusts exactly this server key. */
    static Result<ClientConfigBuilder> pinned_key(const PublicKey &server_key) {
        return detail::make<ClientConfigBuilder>([&](gamecrypt_client_config_builder **out) {
            return gamecrypt_client_config_builder_new_pinned_key(server_key.get(), out);
        });
    }
    /** Trusts the server key with this SHA-256 SPKI fingerprint. */
    static Result<ClientConfigBuilder> pinned_fingerprint(ByteView fingerprint) {
        return detail::make<ClientConfigBuilder>([&](gamecrypt_client_config_builder **out) {
            return gamecrypt_client_config_builder_new_pinned_fingerprint(fingerprint.data(), fingerprint.size(), out);
        });
    }
    /**
     * Trusts servers with a certificate signed by this root key for the name given to
     * set_server_name(); without a name build() fails with SERVER_NAME_REQUIRED.
     */
    static Result<ClientConfigBuilder> root(const PublicKey &root_key) {
        return detail::make<ClientConfigBuilder>([&](gamecrypt_client_config_builder **out) {
            return gamecrypt_client_config_builder_new_root(root_key.get(), out);
        });
    }
    Status set_suites(const std::vector<gamecrypt_suite> &suites) {
        return detail::status(gamecrypt_client_config_builder_set_suites(get(), suites.data(), suites.size()));
    }
    /** Root trust needs it: build() fails with SERVER_NAME_REQUIRED without it. */
    Status set_server_name(const std::string &server_name) {
        return detail::status(gamecrypt_client_config_builder_set_server_name(get(), server_name.c_str()));
    }
    /**
     * DANGEROUS: root trust without a server name: every server the root certified can then
     * impersonate every other one. Only for a root that certifies exactly one server, or tests.
     * A name set with set_server_name() is still checked. INVALID_ARGUMENT for a pinning builder.
     */
    Status dangerous_accept_any_server_name() {
        return detail::status(gamecrypt_client_config_builder_dangerous_accept_any_server_name(get()));
    }
    /** `clock(ctx)` must be thread-safe and `ctx` must outlive every config and session. */
    Status set_clock(gamecrypt_clock_fn clock, void *ctx) {
        return detail::status(gamecrypt_client_config_builder_set_clock(get(), clock, ctx));
    }
    Status set_client_key(const SigningKey &client_key) {
        return detail::status(gamecrypt_client_config_builder_set_client_key(get(), client_key.get()));
    }
    Status set_token(ByteView token) {
        return detail::status(gamecrypt_client_config_builder_set_token(get(), token.data(), token.size()));
    }
    Result<ClientConfig> build() const {
        return detail::make<ClientConfig>(
            [&](gamecrypt_client_config **out) { return gamecrypt_client_config_builder_build(get(), out); });
    }
};

/* ---------------------------------------------------------------------------------------- */
/* Session                                                                                   */

/** What Session::read_handshake() did with a message it did not fail on. */
enum class HandshakeRead {
    /** The message was taken: see Session::state() for what comes next. */
    processed,
    /**
     * Datagram mode, waiting for the ServerHello (client) or the ClientFinished (server): the
     * message failed its checks (it may be spoofed) and was ignored. Nothing changed; keep
     * waiting and resending. The 8th such message fails the session with its own error code.
     */
    dropped,
};

/** One secure session (sans-IO): the application carries its bytes. See gamecrypt.h. */
class Session : public detail::Handle<gamecrypt_session, gamecrypt_session_free> {
  public:
    using Handle::Handle;

    static Result<Session> client(const ClientConfig &config, gamecrypt_session_mode mode) {
        return detail::make<Session>(
            [&](gamecrypt_session **out) { return gamecrypt_session_new_client(config.get(), mode, out); });
    }
    static Result<Session> server(const ServerConfig &config, gamecrypt_session_mode mode) {
        return detail::make<Session>(
            [&](gamecrypt_session **out) { return gamecrypt_session_new_server(config.get(), mode, out); });
    }
    static Result<Session> server_for_address(const ServerConfig &config, gamecrypt_session_mode mode,
                                              ByteView client_address) {
        return detail::make<Session>([&](gamecrypt_session **out) {
            return gamecrypt_session_new_server_for_address(config.get(), mode, client_address.data(),
                                                            client_address.size(), out);
        });
    }
    /** True for bytes that go to read_handshake() (first byte below 0x40), false for open(). */
    static bool is_handshake_message(ByteView data) noexcept {
        return gamecrypt_session_is_handshake_message(data.data(), data.size());
    }

    /** One of GAMECRYPT_SESSION_STATE_*. */
    gamecrypt_session_state state() const noexcept { return gamecrypt_session_get_state(get()); }
    bool established() const noexcept { return state() == GAMECRYPT_SESSION_STATE_ESTABLISHED; }

    /** The next handshake message to send (state NEED_WRITE). */
    Result<std::vector<uint8_t>> write_handshake() const {
        return detail::read_bytes(GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_session_write_handshake(get(), out, cap, len);
        });
    }
    /**
     * Processes a handshake message (state NEED_READ): processed, or dropped (datagram mode: a
     * message that failed its checks was ignored, nothing changed). Errors as in gamecrypt.h:
     * WRONG_STATE and PACKET_REPLAYED change nothing; the others fail the session.
     */
    Result<HandshakeRead> read_handshake(ByteView message) const {
        gamecrypt_result rc = gamecrypt_session_read_handshake(get(), message.data(), message.size());
        if (rc == GAMECRYPT_RESULT_OK) {
            return HandshakeRead::processed;
        }
        if (rc == GAMECRYPT_RESULT_HANDSHAKE_MESSAGE_DROPPED) {
            return HandshakeRead::dropped;
        }
        return Error(rc);
    }

    /** Seals into `out` (room for plaintext.size() + GAMECRYPT_PACKET_OVERHEAD bytes); no allocation. */
    Result<size_t> seal(ByteView plaintext, uint8_t *out, size_t out_cap) const {
        size_t len = 0;
        gamecrypt_result rc = gamecrypt_session_seal(get(), plaintext.data(), plaintext.size(), out, out_cap, &len);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return len;
    }
    Result<std::vector<uint8_t>> seal(ByteView plaintext) const {
        return detail::read_bytes(plaintext.size() + GAMECRYPT_PACKET_OVERHEAD, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_session_seal(get(), plaintext.data(), plaintext.size(), out, cap, len);
        });
    }
    /**
     * Seals in place: the payload is already in `buf` at offset GAMECRYPT_PACKET_HEADER_LEN
     * (`payload_len` bytes); `buf_cap` needs payload_len + GAMECRYPT_PACKET_OVERHEAD. The packet
     * is the first (returned) bytes of `buf`. No copy, no allocation; `buf` unchanged on error.
     */
    Result<size_t> seal_in_place(uint8_t *buf, size_t buf_cap, size_t payload_len) const {
        size_t len = 0;
        gamecrypt_result rc = gamecrypt_session_seal_in_place(get(), buf, buf_cap, payload_len, &len);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return len;
    }
    /** Opens into `out` (room for packet.size() - GAMECRYPT_PACKET_OVERHEAD bytes); no allocation. */
    Result<size_t> open(ByteView packet, uint8_t *out, size_t out_cap) const {
        size_t len = 0;
        gamecrypt_result rc = gamecrypt_session_open(get(), packet.data(), packet.size(), out, out_cap, &len);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return len;
    }
    Result<std::vector<uint8_t>> open(ByteView packet) const {
        size_t room = packet.size() > GAMECRYPT_PACKET_OVERHEAD ? packet.size() - GAMECRYPT_PACKET_OVERHEAD : 0;
        return detail::read_bytes(room, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_session_open(get(), packet.data(), packet.size(), out, cap, len);
        });
    }
    /** The authenticated close packet to send; the session is CLOSED afterwards. */
    Result<std::vector<uint8_t>> close() const {
        return detail::read_bytes(GAMECRYPT_PACKET_OVERHEAD, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_session_close(get(), out, cap, len);
        });
    }

    Result<gamecrypt_suite> suite() const {
        gamecrypt_suite suite = 0;
        gamecrypt_result rc = gamecrypt_session_suite(get(), &suite);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return suite;
    }
    Result<PublicKey> server_public_key() const {
        return detail::make<PublicKey>(
            [&](gamecrypt_public_key **out) { return gamecrypt_session_server_public_key(get(), out); });
    }
    Status update_keys() const { return detail::status(gamecrypt_session_update_keys(get())); }
    Result<uint64_t> key_generation() const {
        uint64_t generation = 0;
        gamecrypt_result rc = gamecrypt_session_key_generation(get(), &generation);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return generation;
    }

    /** Server with client authentication: the client's proven key (empty if it sent none). */
    Result<PublicKey> client_public_key() const {
        return detail::make<PublicKey>(
            [&](gamecrypt_public_key **out) { return gamecrypt_session_client_public_key(get(), out); });
    }
    /** Server with client authentication: the client's token (empty if it sent none). */
    Result<std::vector<uint8_t>> client_token() const {
        return detail::read_bytes(GAMECRYPT_CLIENT_TOKEN_MAX_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_session_client_token(get(), out, cap, len);
        });
    }
    /**
     * Server with client authentication, from NEED_ACCEPT on: erases the client's key and token
     * the session holds (read them first); afterwards those reads and this call are WRONG_STATE.
     */
    Status release_client_credentials() const {
        return detail::status(gamecrypt_session_release_client_credentials(get()));
    }
    Status accept() const { return detail::status(gamecrypt_session_accept(get())); }
    /** Rejects the client (state NEED_ACCEPT); returns the close packet to send. */
    Result<std::vector<uint8_t>> reject() const {
        return detail::read_bytes(GAMECRYPT_PACKET_OVERHEAD, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_session_reject(get(), out, cap, len);
        });
    }
};

/* ---------------------------------------------------------------------------------------- */
/* Endpoint                                                                                  */

/** Settings of an Endpoint (timers, limits, queues); see gamecrypt.h for each range. */
class EndpointConfig : public detail::Handle<gamecrypt_endpoint_config, gamecrypt_endpoint_config_free> {
  public:
    using Handle::Handle;

    /** The default settings. */
    static Result<EndpointConfig> create() {
        return detail::make<EndpointConfig>(
            [](gamecrypt_endpoint_config **out) { return gamecrypt_endpoint_config_new(out); });
    }
    Status set_handshake_resend_initial_ms(uint64_t value) {
        return detail::status(gamecrypt_endpoint_config_set_handshake_resend_initial_ms(get(), value));
    }
    Status set_handshake_resend_max_ms(uint64_t value) {
        return detail::status(gamecrypt_endpoint_config_set_handshake_resend_max_ms(get(), value));
    }
    Status set_handshake_timeout_ms(uint64_t value) {
        return detail::status(gamecrypt_endpoint_config_set_handshake_timeout_ms(get(), value));
    }
    Status set_keepalive_interval_ms(uint64_t value) {
        return detail::status(gamecrypt_endpoint_config_set_keepalive_interval_ms(get(), value));
    }
    Status set_idle_timeout_ms(uint64_t value) {
        return detail::status(gamecrypt_endpoint_config_set_idle_timeout_ms(get(), value));
    }
    Status set_max_peers(size_t value) {
        return detail::status(gamecrypt_endpoint_config_set_max_peers(get(), value));
    }
    Status set_max_handshakes(size_t value) {
        return detail::status(gamecrypt_endpoint_config_set_max_handshakes(get(), value));
    }
    Status set_max_data_len(size_t value) {
        return detail::status(gamecrypt_endpoint_config_set_max_data_len(get(), value));
    }
    Status set_close_copies(uint32_t value) {
        return detail::status(gamecrypt_endpoint_config_set_close_copies(get(), value));
    }
    Status set_max_queued_bytes(size_t value) {
        return detail::status(gamecrypt_endpoint_config_set_max_queued_bytes(get(), value));
    }
    Status set_max_pending_events(size_t value) {
        return detail::status(gamecrypt_endpoint_config_set_max_pending_events(get(), value));
    }
};

/**
 * A sans-IO connection endpoint over sessions (client: one server; server: many peers by
 * address): feed it datagrams and the time (ms, the application's clock), send what
 * poll_transmit() gives, act on what poll_event() gives. See gamecrypt.h and docs/ENDPOINT.md.
 */
class Endpoint : public detail::Handle<gamecrypt_endpoint, gamecrypt_endpoint_free> {
  public:
    using Handle::Handle;
    using PeerId = gamecrypt_peer_id;

    /** A datagram to send; empty() when nothing was waiting. */
    struct Transmit {
        std::vector<uint8_t> address;
        std::vector<uint8_t> datagram;
        bool empty() const noexcept { return datagram.empty(); }
    };

    /** An event; kind() is GAMECRYPT_ENDPOINT_EVENT_NONE when nothing was waiting. */
    struct Event {
        gamecrypt_endpoint_event info{};
        std::vector<uint8_t> data;  // DATA: the message
        gamecrypt_endpoint_event_kind kind() const noexcept { return info.kind; }
        PeerId peer() const noexcept { return info.peer; }
        /** CLOSED: the code behind close_reason (e.g. IDLE_TIMEOUT, HANDSHAKE_TIMEOUT, PEER_CLOSED). */
        Error close_error() const noexcept { return Error(info.code); }
    };

    /** `settings` may be null (the defaults). The configurations may be freed afterwards. */
    static Result<Endpoint> client(const ClientConfig &config, const EndpointConfig *settings = nullptr) {
        return detail::make<Endpoint>([&](gamecrypt_endpoint **out) {
            return gamecrypt_endpoint_new_client(config.get(), settings ? settings->get() : nullptr, out);
        });
    }
    static Result<Endpoint> server(const ServerConfig &config, const EndpointConfig *settings = nullptr) {
        return detail::make<Endpoint>([&](gamecrypt_endpoint **out) {
            return gamecrypt_endpoint_new_server(config.get(), settings ? settings->get() : nullptr, out);
        });
    }

    /** Client: starts a handshake with the server at `address`. */
    Result<PeerId> connect(uint64_t now_ms, ByteView address) {
        PeerId peer = 0;
        gamecrypt_result rc = gamecrypt_endpoint_connect(get(), now_ms, address.data(), address.size(), &peer);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return peer;
    }
    Status receive(uint64_t now_ms, ByteView address, ByteView datagram) {
        return detail::status(gamecrypt_endpoint_receive(get(), now_ms, address.data(), address.size(),
                                                         datagram.data(), datagram.size()));
    }
    /** receive() that may open a message straight into `data` (see gamecrypt_endpoint_receive_into()):
     *  its length (0 when the datagram went the way of receive(); poll events after it as after
     *  receive()), and its peer in `*peer` (0 when none). */
    Result<size_t> receive_into(uint64_t now_ms, ByteView address, ByteView datagram, uint8_t *data, size_t data_cap,
                                PeerId *peer) {
        size_t len = 0;
        PeerId p = 0;
        gamecrypt_result rc = gamecrypt_endpoint_receive_into(get(), now_ms, address.data(), address.size(),
                                                              datagram.data(), datagram.size(), &p, data, data_cap, &len);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        if (peer != nullptr) {
            *peer = p;
        }
        return len;
    }
    /** One received datagram for receive_batch(). */
    using Datagram = gamecrypt_endpoint_datagram;
    /** A Datagram of `address` and `datagram` (the bytes are not copied: keep them alive until
     *  receive_batch(); a temporary vector is refused at compile time). */
    static Datagram datagram(ByteView address, ByteView datagram) noexcept {
        return Datagram{address.data(), address.size(), datagram.data(), datagram.size()};
    }
    static Datagram datagram(std::vector<uint8_t> &&, ByteView) = delete;
    static Datagram datagram(ByteView, std::vector<uint8_t> &&) = delete;
    static Datagram datagram(std::vector<uint8_t> &&, std::vector<uint8_t> &&) = delete;
    /** receive() of each datagram in order, faster at many peers (see
     *  gamecrypt_endpoint_receive_batch()). Every datagram is checked first: on an error nothing
     *  changes. Messages come out of poll_event(). */
    Status receive_batch(uint64_t now_ms, const Datagram *datagrams, size_t count) {
        return detail::status(gamecrypt_endpoint_receive_batch(get(), now_ms, datagrams, count));
    }
    Status receive_batch(uint64_t now_ms, const std::vector<Datagram> &datagrams) {
        return receive_batch(now_ms, datagrams.data(), datagrams.size());
    }
    Status handle_timeout(uint64_t now_ms) { return detail::status(gamecrypt_endpoint_handle_timeout(get(), now_ms)); }
    /** When to call handle_timeout() next; GAMECRYPT_ENDPOINT_NO_DEADLINE when no timer runs. */
    Result<uint64_t> next_deadline() const {
        uint64_t deadline = 0;
        gamecrypt_result rc = gamecrypt_endpoint_next_deadline(get(), &deadline);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return deadline;
    }

    /** The next datagram to send (empty() when none). */
    Result<Transmit> poll_transmit() {
        Transmit t;
        t.address.resize(GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN);
        t.datagram.resize(GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN);
        for (int attempt = 0;; ++attempt) {
            size_t address_len = 0;
            size_t datagram_len = 0;
            gamecrypt_result rc = gamecrypt_endpoint_poll_transmit(get(), t.address.data(), t.address.size(),
                                                                   &address_len, t.datagram.data(),
                                                                   t.datagram.size(), &datagram_len);
            if (rc == GAMECRYPT_RESULT_BUFFER_TOO_SMALL && attempt == 0) {
                t.address.resize(address_len > t.address.size() ? address_len : t.address.size());
                t.datagram.resize(datagram_len > t.datagram.size() ? datagram_len : t.datagram.size());
                continue;
            }
            if (rc != GAMECRYPT_RESULT_OK) {
                return Error(rc);
            }
            t.address.resize(address_len);
            t.datagram.resize(datagram_len);
            return t;
        }
    }

    /** The next event (kind() NONE when none); a DATA event carries its message. */
    Result<Event> poll_event() {
        Event e;
        auto data = detail::read_bytes(0, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_endpoint_poll_event(get(), &e.info, out, cap, len);
        });
        if (!data) {
            return data.error();
        }
        e.data = std::move(data).value();
        return e;
    }

    Status send(uint64_t now_ms, PeerId peer, ByteView data) {
        return detail::status(gamecrypt_endpoint_send(get(), now_ms, peer, data.data(), data.size()));
    }
    Status close(uint64_t now_ms, PeerId peer) { return detail::status(gamecrypt_endpoint_close(get(), now_ms, peer)); }
    /** Server with client authentication, after CLIENT_CREDENTIALS. */
    Status accept(uint64_t now_ms, PeerId peer) {
        return detail::status(gamecrypt_endpoint_accept(get(), now_ms, peer));
    }
    Status reject(uint64_t now_ms, PeerId peer) {
        return detail::status(gamecrypt_endpoint_reject(get(), now_ms, peer));
    }

    Result<std::vector<uint8_t>> peer_address(PeerId peer) const {
        return detail::read_bytes(GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_endpoint_get_peer_address(get(), peer, out, cap, len);
        });
    }
    Result<gamecrypt_endpoint_peer_state> peer_state(PeerId peer) const {
        gamecrypt_endpoint_peer_state state = 0;
        gamecrypt_result rc = gamecrypt_endpoint_get_peer_state(get(), peer, &state);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return state;
    }
    Result<gamecrypt_suite> peer_suite(PeerId peer) const {
        gamecrypt_suite suite = 0;
        gamecrypt_result rc = gamecrypt_endpoint_get_peer_suite(get(), peer, &suite);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return suite;
    }
    /** The fingerprint of the peer's authenticated key (empty: a client that sent none). */
    Result<std::vector<uint8_t>> peer_fingerprint(PeerId peer) const {
        return detail::read_bytes(GAMECRYPT_FINGERPRINT_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_endpoint_get_peer_fingerprint(get(), peer, out, cap, len);
        });
    }
    Result<std::vector<uint8_t>> peer_client_token(PeerId peer) const {
        return detail::read_bytes(GAMECRYPT_CLIENT_TOKEN_MAX_LEN, [&](uint8_t *out, size_t cap, size_t *len) {
            return gamecrypt_endpoint_get_peer_client_token(get(), peer, out, cap, len);
        });
    }
    Result<gamecrypt_endpoint_stats> stats() const {
        gamecrypt_endpoint_stats stats{};
        gamecrypt_result rc = gamecrypt_endpoint_get_stats(get(), &stats);
        if (rc != GAMECRYPT_RESULT_OK) {
            return Error(rc);
        }
        return stats;
    }
};

}  // namespace gamecrypt

#endif /* GAMECRYPT_HPP */
