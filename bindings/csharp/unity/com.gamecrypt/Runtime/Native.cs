// Every P/Invoke declaration of the binding, one per C function of include/gamecrypt.h.
//
// Rules kept here (they matter for Mono and IL2CPP):
//  - Cdecl everywhere; library "gamecrypt", or "__Internal" where it is linked statically.
//  - Handles travel as SafeHandle subclasses: the marshaller adds a reference for the call, so a
//    handle disposed on another thread is never freed under a running call, and a closed handle
//    throws ObjectDisposedException instead of passing a dangling pointer.
//    Exception: the packet path (gamecrypt_session_seal/_seal_in_place/_open) takes the raw
//    pointer. On Mono the SafeHandle marshalling costs 100-200 ns per call, more than 10% of a 1200-byte seal; Session
//    checks IsClosed itself (ObjectDisposedException) and keeps the handle alive across the
//    call, and, as in the C API, Dispose must not race with Seal/TryOpen on another thread.
//    Their out_len is a pointer to a local (a few % cheaper than an `out` parameter on Mono).
//  - Buffers are byte* pinned by the caller with `fixed` (never Span<T> in a signature, never
//    a managed array in the packet path); size_t is UIntPtr.
//  - `const char*` results are IntPtr, read with Marshal.PtrToStringAnsi: a `string` return
//    would make the marshaller free the library's static string.
//  - C `bool` is one byte: [return: MarshalAs(UnmanagedType.I1)].
using System;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate ulong ClockFn(IntPtr ctx);

    internal static unsafe class Native
    {
#if (UNITY_IOS || UNITY_WEBGL) && !UNITY_EDITOR
        internal const string Lib = "__Internal";
#else
        internal const string Lib = "gamecrypt";
#endif
        private const CallingConvention Cc = CallingConvention.Cdecl;

        // ---- version and sizes ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern IntPtr gamecrypt_version();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern uint gamecrypt_version_number();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern IntPtr gamecrypt_result_str(uint result);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_aead_key_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_aead_nonce_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_aead_tag_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_box_overhead();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_password_box_overhead();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_password_salt_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern uint gamecrypt_password_box_max_iterations();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_public_key_fingerprint_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_public_key_raw_len(KeyType keyType);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_public_key_raw_compressed_len(KeyType keyType);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_signature_max_len(KeyType keyType, SignatureFormat format);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_signature_max_len_any();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_hash_len(HashAlgorithm alg);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_hkdf_max_output_len(HashAlgorithm alg);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern uint gamecrypt_pbkdf2_recommended_iterations();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_packet_overhead();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_packet_max_payload_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_session_max_handshake_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_session_fingerprint_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_certificate_max_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_retry_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_retry_secret_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_client_address_max_len();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern UIntPtr gamecrypt_client_token_max_len();

        // ---- AEAD keys, boxes, raw AEAD ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_aead_key_from_bytes(Aead alg, byte* key, UIntPtr keyLen, out AeadKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_aead_key_generate(Aead alg, out AeadKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_aead_key_from_password(Aead alg, byte* password, UIntPtr passwordLen, byte* salt, UIntPtr saltLen, uint iterations, out AeadKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern Aead gamecrypt_aead_key_algorithm(AeadKeyHandle key);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_aead_key_free(IntPtr key);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_aead_key_seal(AeadKeyHandle key, byte* plaintext, UIntPtr plaintextLen, byte* ad, UIntPtr adLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_aead_key_open(AeadKeyHandle key, byte* sealedBox, UIntPtr sealedLen, byte* ad, UIntPtr adLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_box_seal_with_password(Aead alg, byte* password, UIntPtr passwordLen, uint iterations, byte* plaintext, UIntPtr plaintextLen, byte* ad, UIntPtr adLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_box_open_with_password(byte* password, UIntPtr passwordLen, byte* sealedBox, UIntPtr sealedLen, byte* ad, UIntPtr adLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_aead_key_open_with_nonce(AeadKeyHandle key, byte* nonce, UIntPtr nonceLen, byte* ad, UIntPtr adLen, byte* ciphertextAndTag, UIntPtr ciphertextAndTagLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_aead_key_seal_with_nonce_dangerous(AeadKeyHandle key, byte* nonce, UIntPtr nonceLen, byte* ad, UIntPtr adLen, byte* plaintext, UIntPtr plaintextLen, byte* output, UIntPtr outCap, out UIntPtr outLen);

        // ---- signing keys ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_signing_key_generate(KeyType keyType, out SigningKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_signing_key_from_der(byte* der, UIntPtr derLen, out SigningKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_signing_key_from_pem(byte* pem, UIntPtr pemLen, out SigningKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_signing_key_to_pkcs8_der(SigningKeyHandle key, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_signing_key_to_pkcs8_pem(SigningKeyHandle key, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_signing_key_public_key(SigningKeyHandle key, out PublicKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_signing_key_type(SigningKeyHandle key, out KeyType type);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_signing_key_max_signature_len(SigningKeyHandle key, SignatureFormat format, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_signing_key_sign(SigningKeyHandle key, byte* msg, UIntPtr msgLen, SignatureFormat format, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_signing_key_free(IntPtr key);

        // ---- public keys ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_from_spki_der(byte* der, UIntPtr derLen, out PublicKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_from_pem(byte* pem, UIntPtr pemLen, out PublicKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_from_raw(KeyType keyType, byte* raw, UIntPtr rawLen, out PublicKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_to_spki_der(PublicKeyHandle key, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_to_pem(PublicKeyHandle key, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_to_raw(PublicKeyHandle key, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_to_raw_compressed(PublicKeyHandle key, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_fingerprint(PublicKeyHandle key, byte* output, UIntPtr outCap);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_verify(PublicKeyHandle key, byte* msg, UIntPtr msgLen, byte* sig, UIntPtr sigLen, SignatureFormat format);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_public_key_type(PublicKeyHandle key, out KeyType type);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_public_key_free(IntPtr key);

        // ---- random, hashing, HMAC, HKDF, PBKDF2, comparison ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_random_bytes(byte* output, UIntPtr len);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hash_digest(HashAlgorithm alg, byte* data, UIntPtr dataLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hash_context_new(HashAlgorithm alg, out HashContextHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hash_context_update(HashContextHandle ctx, byte* data, UIntPtr dataLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hash_context_finish(HashContextHandle ctx, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_hash_context_free(IntPtr ctx);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hmac_sign(HashAlgorithm alg, byte* key, UIntPtr keyLen, byte* data, UIntPtr dataLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hmac_verify(HashAlgorithm alg, byte* key, UIntPtr keyLen, byte* data, UIntPtr dataLen, byte* tag, UIntPtr tagLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hmac_context_new(HashAlgorithm alg, byte* key, UIntPtr keyLen, out HmacContextHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hmac_context_update(HmacContextHandle ctx, byte* data, UIntPtr dataLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hmac_context_finish(HmacContextHandle ctx, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hmac_context_verify(HmacContextHandle ctx, byte* tag, UIntPtr tagLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_hmac_context_free(IntPtr ctx);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hkdf_extract(HashAlgorithm alg, byte* salt, UIntPtr saltLen, byte* ikm, UIntPtr ikmLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hkdf_expand(HashAlgorithm alg, byte* prk, UIntPtr prkLen, byte* info, UIntPtr infoLen, byte* output, UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_hkdf_derive(HashAlgorithm alg, byte* salt, UIntPtr saltLen, byte* ikm, UIntPtr ikmLen, byte* info, UIntPtr infoLen, byte* output, UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_pbkdf2_sha256_derive(byte* password, UIntPtr passwordLen, byte* salt, UIntPtr saltLen, uint iterations, byte* output, UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] [return: MarshalAs(UnmanagedType.I1)] internal static extern bool gamecrypt_constant_time_eq(byte* a, UIntPtr aLen, byte* b, UIntPtr bLen);

        // ---- server configuration ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_builder_new(SigningKeyHandle identity, out ServerConfigBuilderHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_builder_set_certificate(ServerConfigBuilderHandle builder, byte* certificate, UIntPtr certificateLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_builder_set_suites(ServerConfigBuilderHandle builder, uint* suites, UIntPtr count);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_builder_set_client_auth(ServerConfigBuilderHandle builder, ClientAuthMode signature, ClientAuthMode token);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_builder_set_retry(ServerConfigBuilderHandle builder, ulong periodSecs);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_builder_set_retry_rotation(ServerConfigBuilderHandle builder, ulong intervalSecs);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_builder_set_retry_secret(ServerConfigBuilderHandle builder, byte* secret, UIntPtr secretLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_builder_set_clock(ServerConfigBuilderHandle builder, ClockFn clock, IntPtr ctx);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_builder_build(ServerConfigBuilderHandle builder, out ServerConfigHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_server_config_builder_free(IntPtr builder);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_server_config_free(IntPtr config);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_check_client_hello(ServerConfigHandle config, byte* clientAddress, UIntPtr clientAddressLen, byte* datagram, UIntPtr datagramLen, byte* outRetry, UIntPtr outCap, out UIntPtr outLen, out RetryAction action);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_rotate_retry_secret(ServerConfigHandle config);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_server_config_rotate_retry_secret_to(ServerConfigHandle config, byte* secret, UIntPtr secretLen);

        // ---- client configuration ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_new_pinned_key(PublicKeyHandle serverKey, out ClientConfigBuilderHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_new_pinned_fingerprint(byte* fingerprint, UIntPtr fingerprintLen, out ClientConfigBuilderHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_new_root(PublicKeyHandle rootKey, out ClientConfigBuilderHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_set_suites(ClientConfigBuilderHandle builder, uint* suites, UIntPtr count);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_set_server_name(ClientConfigBuilderHandle builder, byte* serverName);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_dangerous_accept_any_server_name(ClientConfigBuilderHandle builder);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_set_clock(ClientConfigBuilderHandle builder, ClockFn clock, IntPtr ctx);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_set_client_key(ClientConfigBuilderHandle builder, SigningKeyHandle clientKey);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_set_token(ClientConfigBuilderHandle builder, byte* token, UIntPtr tokenLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_client_config_builder_build(ClientConfigBuilderHandle builder, out ClientConfigHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_client_config_builder_free(IntPtr builder);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_client_config_free(IntPtr config);

        // ---- sessions ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_new_client(ClientConfigHandle config, SessionMode mode, out SessionHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_new_server(ServerConfigHandle config, SessionMode mode, out SessionHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_new_server_for_address(ServerConfigHandle config, SessionMode mode, byte* clientAddress, UIntPtr clientAddressLen, out SessionHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_session_free(IntPtr session);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern SessionState gamecrypt_session_get_state(SessionHandle session);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_write_handshake(SessionHandle session, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_read_handshake(SessionHandle session, byte* message, UIntPtr messageLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_seal(IntPtr session, byte* plaintext, UIntPtr plaintextLen, byte* output, UIntPtr outCap, UIntPtr* outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_seal_in_place(IntPtr session, byte* buf, UIntPtr bufCap, UIntPtr payloadLen, UIntPtr* outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_open(IntPtr session, byte* packet, UIntPtr packetLen, byte* output, UIntPtr outCap, UIntPtr* outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_close(SessionHandle session, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_suite(SessionHandle session, out Suite suite);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_server_public_key(SessionHandle session, out PublicKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] [return: MarshalAs(UnmanagedType.I1)] internal static extern bool gamecrypt_session_is_handshake_message(byte* data, UIntPtr dataLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_update_keys(SessionHandle session);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_key_generation(SessionHandle session, out ulong generation);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_client_public_key(SessionHandle session, out PublicKeyHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_client_token(SessionHandle session, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_release_client_credentials(SessionHandle session);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_accept(SessionHandle session);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_session_reject(SessionHandle session, byte* output, UIntPtr outCap, out UIntPtr outLen);

        // ---- certificates ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_certificate_issue(SigningKeyHandle root, PublicKeyHandle serverKey, byte* serverName, ulong notBefore, ulong notAfter, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_certificate_verify(byte* certificate, UIntPtr certificateLen, PublicKeyHandle rootKey, byte* serverName, ulong now);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_certificate_validity(byte* certificate, UIntPtr certificateLen, out ulong notBefore, out ulong notAfter);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_certificate_server_name(byte* certificate, UIntPtr certificateLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_certificate_public_key(byte* certificate, UIntPtr certificateLen, out PublicKeyHandle handle);

        // ---- endpoint ----
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_new(out EndpointConfigHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_endpoint_config_free(IntPtr config);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_handshake_resend_initial_ms(EndpointConfigHandle config, ulong value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_handshake_resend_max_ms(EndpointConfigHandle config, ulong value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_handshake_timeout_ms(EndpointConfigHandle config, ulong value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_keepalive_interval_ms(EndpointConfigHandle config, ulong value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_idle_timeout_ms(EndpointConfigHandle config, ulong value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_max_peers(EndpointConfigHandle config, UIntPtr value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_max_handshakes(EndpointConfigHandle config, UIntPtr value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_max_data_len(EndpointConfigHandle config, UIntPtr value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_close_copies(EndpointConfigHandle config, uint value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_max_queued_bytes(EndpointConfigHandle config, UIntPtr value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_config_set_max_pending_events(EndpointConfigHandle config, UIntPtr value);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_new_client(ClientConfigHandle config, EndpointConfigHandle settings, out EndpointHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_new_server(ServerConfigHandle config, EndpointConfigHandle settings, out EndpointHandle handle);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void gamecrypt_endpoint_free(IntPtr endpoint);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_connect(EndpointHandle endpoint, ulong nowMs, byte* addr, UIntPtr addrLen, out ulong peer);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_receive(EndpointHandle endpoint, ulong nowMs, byte* addr, UIntPtr addrLen, byte* datagram, UIntPtr datagramLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_receive_into(EndpointHandle endpoint, ulong nowMs, byte* addr, UIntPtr addrLen, byte* datagram, UIntPtr datagramLen, out ulong peer, byte* data, UIntPtr dataCap, out UIntPtr dataLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_receive_batch(EndpointHandle endpoint, ulong nowMs, NativeDatagram* datagrams, UIntPtr count);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_handle_timeout(EndpointHandle endpoint, ulong nowMs);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_next_deadline(EndpointHandle endpoint, out ulong ms);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_poll_transmit(EndpointHandle endpoint, byte* addr, UIntPtr addrCap, out UIntPtr addrLen, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_poll_event(EndpointHandle endpoint, EndpointEvent* ev, byte* data, UIntPtr dataCap, out UIntPtr dataLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_send(EndpointHandle endpoint, ulong nowMs, ulong peer, byte* data, UIntPtr dataLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_close(EndpointHandle endpoint, ulong nowMs, ulong peer);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_accept(EndpointHandle endpoint, ulong nowMs, ulong peer);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_reject(EndpointHandle endpoint, ulong nowMs, ulong peer);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_get_peer_address(EndpointHandle endpoint, ulong peer, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_get_peer_state(EndpointHandle endpoint, ulong peer, out EndpointPeerState state);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_get_peer_suite(EndpointHandle endpoint, ulong peer, out Suite suite);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_get_peer_fingerprint(EndpointHandle endpoint, ulong peer, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_get_peer_client_token(EndpointHandle endpoint, ulong peer, byte* output, UIntPtr outCap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern ResultCode gamecrypt_endpoint_get_stats(EndpointHandle endpoint, out EndpointStats stats);
    }
}
