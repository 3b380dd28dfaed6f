//! C ABI for client configurations: the builder (trust anchor, suites, server name, clock,
//! client credentials) and the immutable configuration it builds.
//!
//! Thread rules (also in the header): a configuration is immutable once built and may be
//! shared by any number of sessions and threads. A builder is not thread-safe.

use crate::error::{Error, Result};
use crate::ffi::gamecrypt_result;
use crate::ffi::keys::{gamecrypt_public_key, gamecrypt_signing_key};
use crate::ffi::session::{gamecrypt_suite, suites_input};
use crate::ffi::{ffi_result, input, input_str, out_ptr, panic_boundary, Handle};
use crate::keys::FINGERPRINT_LEN;
use crate::session::{limits, ClientConfig, ClientConfigBuilder, Clock, TrustAnchor};
use std::os::raw::{c_char, c_void};
use std::sync::Arc;

/// Longest client token.
pub const GAMECRYPT_CLIENT_TOKEN_MAX_LEN: usize = 1024;

const _: () = assert!(GAMECRYPT_CLIENT_TOKEN_MAX_LEN == limits::CLIENT_TOKEN_MAX_LEN);

/// Returns the current time in unix seconds for certificate checks. Called from whichever
/// thread reads the ServerHello, so it must be thread-safe.
pub type gamecrypt_clock_fn = Option<unsafe extern "C" fn(ctx: *mut c_void) -> u64>;

/// Builder of a client configuration. Not thread-safe; free with
/// gamecrypt_client_config_builder_free().
#[derive(Debug)]
pub struct gamecrypt_client_config_builder {
    _private: [u8; 0],
}
impl Handle for gamecrypt_client_config_builder {
    type Inner = ClientConfigBuilder;
}

/// An immutable client configuration, shareable by any number of sessions and threads.
/// Free with gamecrypt_client_config_free() (sessions keep their own reference).
#[derive(Debug)]
pub struct gamecrypt_client_config {
    _private: [u8; 0],
}
impl Handle for gamecrypt_client_config {
    type Inner = Arc<ClientConfig>;
}

fn client_builder(anchor: TrustAnchor) -> Result<*mut gamecrypt_client_config_builder> {
    Ok(gamecrypt_client_config_builder::into_raw(
        ClientConfig::builder(anchor)?,
    ))
}

/// Starts a client configuration that trusts exactly one server key (ECDSA P-256 or Ed25519;
/// load it with the gamecrypt_public_key_* functions). Only suites that key can sign for are
/// offered. The configuration keeps its own reference: `server_key` may be freed after this.
///
/// Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_new_pinned_key(
    server_key: *const gamecrypt_public_key,
    out: *mut *mut gamecrypt_client_config_builder,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_public_key::try_ref(server_key) }?.clone();
        *out = client_builder(TrustAnchor::PinnedKey(key))?;
        Ok(())
    })
}

/// Starts a client configuration that trusts the server key whose fingerprint (SHA-256 of
/// its SubjectPublicKeyInfo DER, `GAMECRYPT_SESSION_FINGERPRINT_LEN` bytes) is given.
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_new_pinned_fingerprint(
    fingerprint: *const u8,
    fingerprint_len: usize,
    out: *mut *mut gamecrypt_client_config_builder,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let fp = unsafe { input(fingerprint, fingerprint_len) }?;
        let fp: [u8; FINGERPRINT_LEN] = fp.try_into().map_err(|_| Error::InvalidLength)?;
        *out = client_builder(TrustAnchor::PinnedFingerprint(fp))?;
        Ok(())
    })
}

/// Starts a client configuration that trusts any server presenting a valid certificate
/// signed by this root key (ECDSA P-256 or Ed25519) for the expected server name. Set that
/// name with gamecrypt_client_config_builder_set_server_name(): without it the build fails
/// with SERVER_NAME_REQUIRED (or call
/// gamecrypt_client_config_builder_dangerous_accept_any_server_name()). The configuration
/// keeps its own reference: `root_key` may be freed after this.
///
/// Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_new_root(
    root_key: *const gamecrypt_public_key,
    out: *mut *mut gamecrypt_client_config_builder,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_public_key::try_ref(root_key) }?.clone();
        *out = client_builder(TrustAnchor::Root(key))?;
        Ok(())
    })
}

/// Sets the suites to offer, most preferred first (`count` values of `GAMECRYPT_SUITE_*`).
/// Default: the two hybrid post-quantum suites, then the P-256 suite, then the X25519 suite.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (count 0, unknown or repeated suite). On
/// error the builder is unchanged.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_set_suites(
    builder: *mut gamecrypt_client_config_builder,
    suites: *const gamecrypt_suite,
    count: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_client_config_builder::try_mut(builder) }?;
        // SAFETY: by the caller's contract.
        let suites = unsafe { suites_input(suites, count) }?;
        *b = b.clone().suites(&suites)?;
        Ok(())
    })
}

/// Sets the name the server certificate must carry (NUL-terminated UTF-8, compared byte for
/// byte). Only for root-trusting configurations.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (bad UTF-8, or the builder pins a key or
/// fingerprint), INVALID_LENGTH (empty or longer than 255 bytes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_set_server_name(
    builder: *mut gamecrypt_client_config_builder,
    server_name: *const c_char,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_client_config_builder::try_mut(builder) }?;
        // SAFETY: by the caller's contract.
        let name = unsafe { input_str(server_name) }?;
        *b = b.clone().server_name(name)?;
        Ok(())
    })
}

/// DANGEROUS: lets a root-trusting configuration accept a certificate for any server name.
/// Every server the root certified can then impersonate every other one
/// (docs/PROTOCOL.md section 8). Only for a root that certifies exactly one server, or for
/// tests. A name set with gamecrypt_client_config_builder_set_server_name() is still checked.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (the builder pins a key or fingerprint).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_dangerous_accept_any_server_name(
    builder: *mut gamecrypt_client_config_builder,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_client_config_builder::try_mut(builder) }?;
        *b = b.clone().dangerous_accept_any_server_name()?;
        Ok(())
    })
}

struct CClock {
    f: unsafe extern "C" fn(*mut c_void) -> u64,
    ctx: *mut c_void,
}
// SAFETY: the header requires the clock function and its context to be usable from any thread.
unsafe impl Send for CClock {}
// SAFETY: as above.
unsafe impl Sync for CClock {}

/// The core clock that calls a C clock function (None: the system clock). Used by the client
/// and the server configuration builders.
pub(crate) fn clock_from_c(clock: gamecrypt_clock_fn, ctx: *mut c_void) -> Option<Clock> {
    clock.map(|f| {
        let c = CClock { f, ctx };
        let clock: Clock = Arc::new(move || {
            let c = &c;
            // SAFETY: the caller promised a valid, thread-safe function and context.
            unsafe { (c.f)(c.ctx) }
        });
        clock
    })
}

/// Makes certificate checks use `clock(ctx)` (unix seconds) instead of the system clock, e.g.
/// for consoles or tests. `clock` must be thread-safe and `ctx` must stay valid as long as
/// any configuration built from this builder or any session using one exists. A NULL
/// `clock` goes back to the system clock.
///
/// Returns OK, NULL_ARGUMENT (builder).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_set_clock(
    builder: *mut gamecrypt_client_config_builder,
    clock: gamecrypt_clock_fn,
    ctx: *mut c_void,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_client_config_builder::try_mut(builder) }?;
        *b = b.clone().clock_option(clock_from_c(clock, ctx));
        Ok(())
    })
}

/// Creates an immutable configuration from the builder. The builder stays valid and must
/// still be freed.
///
/// Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE (the pinned key can sign for none of the
/// configured suites), SERVER_NAME_REQUIRED (root trust without a server name and without
/// gamecrypt_client_config_builder_dangerous_accept_any_server_name()).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_build(
    builder: *const gamecrypt_client_config_builder,
    out: *mut *mut gamecrypt_client_config,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_client_config_builder::try_ref(builder) }?;
        *out = gamecrypt_client_config::into_raw(b.build()?);
        Ok(())
    })
}

/// Frees a client configuration builder. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_free(
    builder: *mut gamecrypt_client_config_builder,
) {
    panic_boundary((), || {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_client_config_builder::free(builder) }
    })
}

/// Frees a client configuration. Sessions created from it stay usable. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_free(config: *mut gamecrypt_client_config) {
    panic_boundary((), || {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_client_config::free(config) }
    })
}

/// Gives the client its own key (ECDSA P-256 or Ed25519) for servers that ask for client
/// authentication: it signs the handshake transcript only when a server asks, and its public
/// key travels encrypted. The configuration keeps its own reference: `client_key` may be
/// freed after this call.
///
/// Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_set_client_key(
    builder: *mut gamecrypt_client_config_builder,
    client_key: *const gamecrypt_signing_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_client_config_builder::try_mut(builder) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_signing_key::try_ref(client_key) }?.clone();
        *b = b.clone().client_key(key)?;
        Ok(())
    })
}

/// Gives the client an opaque token (e.g. a login ticket from the game's backend,
/// 1..=GAMECRYPT_CLIENT_TOKEN_MAX_LEN bytes, copied) that it sends encrypted, inside its
/// ClientFinished, to servers that ask for one.
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_client_config_builder_set_token(
    builder: *mut gamecrypt_client_config_builder,
    token: *const u8,
    token_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let b = unsafe { gamecrypt_client_config_builder::try_mut(builder) }?;
        // SAFETY: by the caller's contract.
        let token = unsafe { input(token, token_len) }?;
        *b = b.clone().token(token)?;
        Ok(())
    })
}

/// GAMECRYPT_CLIENT_TOKEN_MAX_LEN as a function.
#[no_mangle]
pub extern "C" fn gamecrypt_client_token_max_len() -> usize {
    GAMECRYPT_CLIENT_TOKEN_MAX_LEN
}
