//! C ABI for server certificates (docs/PROTOCOL.md section 9): issue, verify and read the
//! certificates that root-trusting clients check.

use crate::error::Error;
use crate::ffi::gamecrypt_result;
use crate::ffi::keys::{gamecrypt_public_key, gamecrypt_signing_key};
use crate::ffi::{ffi_result, input, input_str, out_ptr, Handle, OutBuf};
use crate::session::{limits, Certificate};
use std::os::raw::c_char;

/// The largest server certificate.
pub const GAMECRYPT_CERTIFICATE_MAX_LEN: usize = 414;

const _: () = assert!(GAMECRYPT_CERTIFICATE_MAX_LEN == limits::CERTIFICATE_MAX_LEN);

/// GAMECRYPT_CERTIFICATE_MAX_LEN as a function.
#[no_mangle]
pub extern "C" fn gamecrypt_certificate_max_len() -> usize {
    GAMECRYPT_CERTIFICATE_MAX_LEN
}

/// Issues a server certificate (at most GAMECRYPT_CERTIFICATE_MAX_LEN bytes): the root key
/// (ECDSA P-256 or Ed25519) certifies the server key (ECDSA P-256 or Ed25519) for `server_name` (NUL-terminated
/// UTF-8, 1..255 bytes) from `not_before` to `not_after` inclusive (unix seconds). A pure
/// function: run it where the root key lives (offline) and ship the bytes to the server.
///
/// Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE, INVALID_ARGUMENT (bad UTF-8,
/// not_before > not_after), INVALID_LENGTH (name length), BUFFER_TOO_SMALL.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn gamecrypt_certificate_issue(
    root: *const gamecrypt_signing_key,
    server_key: *const gamecrypt_public_key,
    server_name: *const c_char,
    not_before: u64,
    not_after: u64,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let root = unsafe { gamecrypt_signing_key::try_ref(root) }?;
        // SAFETY: by the caller's contract.
        let server = unsafe { gamecrypt_public_key::try_ref(server_key) }?;
        // SAFETY: by the caller's contract.
        let name = unsafe { input_str(server_name) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        let cert = Certificate::issue(root, server, name, not_before, not_after)?;
        out.write(cert.as_bytes())
    })
}

/// Checks a certificate exactly as a root-trusting client does: layout, root signature,
/// validity at `now` (unix seconds), and the name if `server_name` is not NULL.
///
/// Returns OK, NULL_ARGUMENT, WRONG_KEY_TYPE (root), CERTIFICATE_MALFORMED, PUBLIC_KEY_WEAK,
/// CERTIFICATE_SIGNATURE_INVALID, CERTIFICATE_NOT_YET_VALID, CERTIFICATE_EXPIRED,
/// CERTIFICATE_WRONG_NAME, INVALID_ARGUMENT (name not UTF-8).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn gamecrypt_certificate_verify(
    certificate: *const u8,
    certificate_len: usize,
    root_key: *const gamecrypt_public_key,
    server_name: *const c_char,
    now: u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let cert = unsafe { input(certificate, certificate_len) }?;
        // SAFETY: by the caller's contract.
        let root = unsafe { gamecrypt_public_key::try_ref(root_key) }?;
        crate::session::suite::identity_key_len(root.key_type()).ok_or(Error::WrongKeyType)?;
        let name = if server_name.is_null() {
            None
        } else {
            // SAFETY: by the caller's contract.
            Some(unsafe { input_str(server_name) }?)
        };
        Certificate::parse(cert)?.verify(root, name, now)
    })
}

/// Reads a certificate's validity period (unix seconds, inclusive). Does not verify it.
///
/// Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, PUBLIC_KEY_WEAK (a weak Ed25519 key).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_certificate_validity(
    certificate: *const u8,
    certificate_len: usize,
    out_not_before: *mut u64,
    out_not_after: *mut u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let nb = unsafe { out_ptr(out_not_before) }?;
        // SAFETY: by the caller's contract.
        let na = unsafe { out_ptr(out_not_after) }?;
        // SAFETY: by the caller's contract.
        let cert = Certificate::parse(unsafe { input(certificate, certificate_len) }?)?;
        *nb = cert.not_before();
        *na = cert.not_after();
        Ok(())
    })
}

/// Reads a certificate's server name (UTF-8 bytes, no NUL terminator). Does not verify it.
///
/// Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, PUBLIC_KEY_WEAK, BUFFER_TOO_SMALL.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_certificate_server_name(
    certificate: *const u8,
    certificate_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let bytes = unsafe { input(certificate, certificate_len) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[bytes]) }?;
        let cert = Certificate::parse(bytes)?;
        out.write(cert.server_name().as_bytes())
    })
}

/// Reads the server key of a certificate into a new public key handle in `*out_key` (the
/// caller frees it with gamecrypt_public_key_free()). Does not verify the certificate.
///
/// Returns OK, NULL_ARGUMENT, CERTIFICATE_MALFORMED, PUBLIC_KEY_WEAK (a weak Ed25519 key).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_certificate_public_key(
    certificate: *const u8,
    certificate_len: usize,
    out_key: *mut *mut gamecrypt_public_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_key) }?;
        // SAFETY: by the caller's contract.
        let bytes = unsafe { input(certificate, certificate_len) }?;
        let cert = Certificate::parse(bytes)?;
        *out = gamecrypt_public_key::into_raw(cert.public_key().clone());
        Ok(())
    })
}
