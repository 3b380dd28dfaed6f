//! C ABI for server configurations: the builder (identity key, certificate, suites, client
//! authentication, retry cookies, clock), the immutable configuration it builds, and the
//! stateless retry check (docs/PROTOCOL.md section 22).
//!
//! Thread rules (also in the header): a configuration is immutable once built and may be
//! shared by any number of sessions and threads; its only mutable part, the retry secret,
//! rotates behind a read-write lock, so checks and rotations may run on any threads. A
//! builder is not thread-safe.

use crate::ffi::client_config::{clock_from_c, gamecrypt_clock_fn};
use crate::ffi::gamecrypt_result;
use crate::ffi::keys::gamecrypt_signing_key;
use crate::ffi::session::{gamecrypt_suite, suites_input};
use crate::ffi::{ffi_result, input, out_ptr, panic_boundary, Handle, OutBuf};
use crate::session::{
    limits, ClientAuthMode, ClientAuthRequest, RetryAction, ServerConfig, ServerConfigBuilder,
};
use std::os::raw::c_void;
use std::sync::Arc;

/// Builder of a server configuration. Not thread-safe; free with
/// gamecrypt_server_config_builder_free().
#[derive(Debug)]
pub struct gamecrypt_server_config_builder {
    _private: [u8; 0],
}
impl Handle for gamecrypt_server_config_builder {
    type Inner = ServerConfigBuilder;
}

/// An immutable server configuration, shareable by any number of sessions and threads.
/// Free with gamecrypt_server_config_free() (sessions keep their own reference). Its only
/// mutable part is the retry secret, behind a read-write lock:
/// gamecrypt_server_config_check_client_hello() and the rotate calls may run on any threads
/// at the same time.
#[derive(Debug)]
pub struct gamecrypt_server_config {
    _private: [u8; 0],
}
impl Handle for gamecrypt_server_config {
    type Inner = Arc<ServerConfig>;
}

/// Starts a server configuration with the server's identity key (ECDSA P-256 or Ed25519; load
/// or generate it with the gamecrypt_signing_key_* functions). By default the server accepts
/// every suite its key can sign for. The configuration keeps its own reference to the key:
/// the caller may free `identity` at any time after this call.
///
/// Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE (not P-256 or Ed25519).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_new(
    identity: *const gamecrypt_signing_key,
    out: *mut *mut gamecrypt_server_config_builder,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract (see the header).
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_signing_key::try_ref(identity) }?.clone();
        let builder = ServerConfig::builder(key)?;
        *out = gamecrypt_server_config_builder::into_raw(builder);
        Ok(())
    })
}

/// Makes the server send this certificate (from gamecrypt_certificate_issue()) instead of
/// its bare public key. Needed by clients that trust a root key.
///
/// Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, INVALID_ARGUMENT (the certificate is
/// for another key). On error the builder is unchanged.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_set_certificate(
    builder: *mut gamecrypt_server_config_builder,
    certificate: *const u8,
    certificate_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_server_config_builder::try_mut(builder) }?;
        // SAFETY: by the caller's contract.
        let cert = unsafe { input(certificate, certificate_len) }?;
        *b = b.clone().certificate(cert)?;
        Ok(())
    })
}

/// Sets the suites the server accepts (`count` values of `GAMECRYPT_SUITE_*`; order does not
/// matter, the client's preference decides).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (count 0, unknown or repeated suite),
/// WRONG_KEY_TYPE (the identity key cannot sign for a listed suite). On error the builder is
/// unchanged.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_set_suites(
    builder: *mut gamecrypt_server_config_builder,
    suites: *const gamecrypt_suite,
    count: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_server_config_builder::try_mut(builder) }?;
        // SAFETY: by the caller's contract.
        let suites = unsafe { suites_input(suites, count) }?;
        *b = b.clone().suites(&suites)?;
        Ok(())
    })
}

/// Creates an immutable configuration from the builder. The builder stays valid (it can be
/// changed and built again) and must still be freed.
///
/// Returns OK, NULL_ARGUMENT.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_build(
    builder: *const gamecrypt_server_config_builder,
    out: *mut *mut gamecrypt_server_config,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_server_config_builder::try_ref(builder) }?;
        *out = gamecrypt_server_config::into_raw(b.build());
        Ok(())
    })
}

/// Frees a server configuration builder. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_free(
    builder: *mut gamecrypt_server_config_builder,
) {
    panic_boundary((), || {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_server_config_builder::free(builder) }
    })
}

/// Frees a server configuration. Sessions created from it stay usable. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_free(config: *mut gamecrypt_server_config) {
    panic_boundary((), || {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_server_config::free(config) }
    })
}

/// Whether a server asks for a client credential (one of `GAMECRYPT_CLIENT_AUTH_*`).
pub type gamecrypt_client_auth_mode = u32;
/// Not asked (the default; protocol v1 behaviour when both credentials are NONE).
pub const GAMECRYPT_CLIENT_AUTH_NONE: gamecrypt_client_auth_mode = 0;
/// Asked; a client that has it sends it, a client without it may still connect.
pub const GAMECRYPT_CLIENT_AUTH_OPTIONAL: gamecrypt_client_auth_mode = 1;
/// Required; a client without it fails the handshake.
pub const GAMECRYPT_CLIENT_AUTH_REQUIRED: gamecrypt_client_auth_mode = 2;

/// What to do with a datagram checked by gamecrypt_server_config_check_client_hello() (one
/// of `GAMECRYPT_RETRY_ACTION_*`).
pub type gamecrypt_retry_action = u32;
/// Create a session with gamecrypt_session_new_server_for_address() for this address and pass
/// it the datagram with gamecrypt_session_read_handshake().
pub const GAMECRYPT_RETRY_ACTION_ACCEPT: gamecrypt_retry_action = 1;
/// Send the `*out_len` bytes written to `out_retry` back to the address, create nothing.
pub const GAMECRYPT_RETRY_ACTION_SEND_RETRY: gamecrypt_retry_action = 2;
/// Ignore the datagram.
pub const GAMECRYPT_RETRY_ACTION_DROP: gamecrypt_retry_action = 3;

/// First byte of a Retry message (server to client, stateless).
pub const GAMECRYPT_SESSION_MESSAGE_RETRY: u8 = 0x04;
/// Length of the Retry messages gamecrypt servers send (a buffer of this size always
/// suffices for gamecrypt_server_config_check_client_hello()).
pub const GAMECRYPT_RETRY_LEN: usize = 76;
/// Length of a retry secret.
pub const GAMECRYPT_RETRY_SECRET_LEN: usize = 32;
/// Longest client address accepted by the retry functions (opaque bytes, e.g. a sockaddr).
pub const GAMECRYPT_CLIENT_ADDRESS_MAX_LEN: usize = 128;
/// Default retry time slot in seconds (a cookie lives one to two slots).
pub const GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS: u64 = 10;

// The C constants are the core's values (they are ABI): checked at compile time.
const _: () = {
    assert!(GAMECRYPT_CLIENT_AUTH_NONE == ClientAuthMode::None.code());
    assert!(GAMECRYPT_CLIENT_AUTH_OPTIONAL == ClientAuthMode::Optional.code());
    assert!(GAMECRYPT_CLIENT_AUTH_REQUIRED == ClientAuthMode::Required.code());
    assert!(GAMECRYPT_RETRY_ACTION_ACCEPT == RetryAction::ACCEPT_CODE);
    assert!(GAMECRYPT_RETRY_ACTION_SEND_RETRY == RetryAction::SEND_RETRY_CODE);
    assert!(GAMECRYPT_RETRY_ACTION_DROP == RetryAction::DROP_CODE);
    assert!(GAMECRYPT_RETRY_LEN == limits::RETRY_LEN);
    assert!(GAMECRYPT_RETRY_SECRET_LEN == limits::RETRY_SECRET_LEN);
    assert!(GAMECRYPT_CLIENT_ADDRESS_MAX_LEN == limits::CLIENT_ADDRESS_MAX_LEN);
    assert!(GAMECRYPT_SESSION_MESSAGE_RETRY == crate::session::retry::MSG_RETRY);
    assert!(
        GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS == crate::session::retry::DEFAULT_RETRY_PERIOD_SECS
    );
};

/// Asks clients for a signature with their own key (`signature`) and/or an opaque token
/// (`token`), each one of `GAMECRYPT_CLIENT_AUTH_*` (docs/PROTOCOL.md section 21). With any
/// request, a server session stops in state NEED_ACCEPT after the ClientFinished until the
/// application calls gamecrypt_session_accept() or gamecrypt_session_reject(). Default: NONE,
/// NONE.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown mode; the builder is unchanged).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_set_client_auth(
    builder: *mut gamecrypt_server_config_builder,
    signature: gamecrypt_client_auth_mode,
    token: gamecrypt_client_auth_mode,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_server_config_builder::try_mut(builder) }?;
        let request = ClientAuthRequest {
            signature: ClientAuthMode::from_code(signature)?,
            token: ClientAuthMode::from_code(token)?,
        };
        *b = b.clone().client_auth(request);
        Ok(())
    })
}

/// Turns on stateless retry cookies for UDP servers (docs/PROTOCOL.md section 22) with time
/// slots of `period_secs` seconds (1..=3600; GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS is a good
/// choice; 0 turns retry off). A cookie is valid in its slot and the next one. The first call
/// draws a random secret; configurations built from this builder share it until one rotates.
/// With retry on, check every datagram from an unknown address with
/// gamecrypt_server_config_check_client_hello() and create sessions with
/// gamecrypt_session_new_server_for_address().
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (period above 3600 or above half the rotation
/// interval), RANDOM_FAILED. On error the builder is unchanged.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_set_retry(
    builder: *mut gamecrypt_server_config_builder,
    period_secs: u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_server_config_builder::try_mut(builder) }?;
        *b = b.clone().retry(period_secs)?;
        Ok(())
    })
}

/// Rotates the retry secret automatically every `interval_secs` seconds (at least two
/// periods; 0 = only by gamecrypt_server_config_rotate_retry_secret(), the default). Do not
/// use it when several processes share a secret set with
/// gamecrypt_server_config_builder_set_retry_secret().
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (retry is off, or the interval is shorter than
/// two periods).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_set_retry_rotation(
    builder: *mut gamecrypt_server_config_builder,
    interval_secs: u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_server_config_builder::try_mut(builder) }?;
        *b = b.clone().retry_rotation_interval(interval_secs)?;
        Ok(())
    })
}

/// Sets the initial retry secret (GAMECRYPT_RETRY_SECRET_LEN bytes, e.g. shared by the server
/// processes behind one address). Retry must be on. The bytes are copied.
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH, INVALID_ARGUMENT (retry is off).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_set_retry_secret(
    builder: *mut gamecrypt_server_config_builder,
    secret: *const u8,
    secret_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_server_config_builder::try_mut(builder) }?;
        // SAFETY: by the caller's contract.
        let secret = unsafe { input(secret, secret_len) }?;
        *b = b.clone().retry_secret(secret)?;
        Ok(())
    })
}

/// Makes retry time slots use `clock(ctx)` (unix seconds) instead of the system clock. Same
/// rules as gamecrypt_client_config_builder_set_clock(): `clock` must be thread-safe (it is
/// called from every thread that checks datagrams) and `ctx` must outlive every
/// configuration and session built from this builder. NULL goes back to the system clock.
///
/// Returns OK, NULL_ARGUMENT (builder).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_builder_set_clock(
    builder: *mut gamecrypt_server_config_builder,
    clock: gamecrypt_clock_fn,
    ctx: *mut c_void,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_server_config_builder::try_mut(builder) }?;
        *b = b.clone().clock_option(clock_from_c(clock, ctx));
        Ok(())
    })
}

/// Decides statelessly what to do with a datagram from an address that has no session yet
/// (docs/PROTOCOL.md section 22.4). `client_address` is any stable byte string identifying
/// the sender (e.g. its sockaddr bytes; 1..=GAMECRYPT_CLIENT_ADDRESS_MAX_LEN bytes).
/// `*out_action` receives one of `GAMECRYPT_RETRY_ACTION_*`: ACCEPT (create the session),
/// SEND_RETRY (send the `*out_len` bytes written to `out_retry`; they are fewer than the
/// datagram's), DROP. `*out_len` is 0 for ACCEPT and DROP. Costs no ECDH and no signature and
/// keeps no state per client, so it is safe against floods of spoofed ClientHellos. Without
/// retry on the configuration, every well-formed ClientHello is ACCEPT.
///
/// Thread rules: may run on any number of threads at once, also concurrently with
/// gamecrypt_server_config_rotate_retry_secret() (the secret is behind a read-write lock).
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH (address length), BUFFER_TOO_SMALL (only for
/// SEND_RETRY: needed length in *out_len, GAMECRYPT_RETRY_LEN always suffices; *out_action is
/// not written), RANDOM_FAILED (automatic rotation).
#[no_mangle]
#[must_use]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn gamecrypt_server_config_check_client_hello(
    config: *const gamecrypt_server_config,
    client_address: *const u8,
    client_address_len: usize,
    datagram: *const u8,
    datagram_len: usize,
    out_retry: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
    out_action: *mut gamecrypt_retry_action,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let action_out = unsafe { out_ptr(out_action) }?;
        // SAFETY: by the caller's contract.
        let cfg = unsafe { gamecrypt_server_config::try_ref(config) }?;
        // SAFETY: by the caller's contract.
        let addr = unsafe { input(client_address, client_address_len) }?;
        // SAFETY: by the caller's contract.
        let dgram = unsafe { input(datagram, datagram_len) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out_retry, out_cap, out_len, &[addr, dgram]) }?;
        let action = cfg.check_client_hello(addr, dgram)?;
        match &action {
            RetryAction::SendRetry(msg) => out.write(msg)?,
            _ => out.write(&[])?,
        }
        *action_out = action.code();
        Ok(())
    })
}

/// Rotates the retry secret now: a new random secret becomes current; cookies made with the
/// previous current secret stay valid until they expire; the secret before that is erased.
/// Call it e.g. every few minutes, or use gamecrypt_server_config_builder_set_retry_rotation().
/// Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (retry is off), RANDOM_FAILED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_rotate_retry_secret(
    config: *const gamecrypt_server_config,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let cfg = unsafe { gamecrypt_server_config::try_ref(config) }?;
        cfg.rotate_retry_secret()
    })
}

/// Like gamecrypt_server_config_rotate_retry_secret() with a given secret of
/// GAMECRYPT_RETRY_SECRET_LEN bytes (for server processes that share cookies). Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH, INVALID_ARGUMENT (retry is off).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_server_config_rotate_retry_secret_to(
    config: *const gamecrypt_server_config,
    secret: *const u8,
    secret_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let cfg = unsafe { gamecrypt_server_config::try_ref(config) }?;
        // SAFETY: by the caller's contract.
        let secret = unsafe { input(secret, secret_len) }?;
        cfg.rotate_retry_secret_to(secret)
    })
}

/// GAMECRYPT_RETRY_LEN as a function.
#[no_mangle]
pub extern "C" fn gamecrypt_retry_len() -> usize {
    GAMECRYPT_RETRY_LEN
}

/// GAMECRYPT_RETRY_SECRET_LEN as a function.
#[no_mangle]
pub extern "C" fn gamecrypt_retry_secret_len() -> usize {
    GAMECRYPT_RETRY_SECRET_LEN
}

/// GAMECRYPT_CLIENT_ADDRESS_MAX_LEN as a function.
#[no_mangle]
pub extern "C" fn gamecrypt_client_address_max_len() -> usize {
    GAMECRYPT_CLIENT_ADDRESS_MAX_LEN
}
