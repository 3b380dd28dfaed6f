//! The same operations through the C ABI, so that the targets can check that it reports exactly
//! what the Rust API does (same code, same output) for every fuzzed input.
//!
//! Every function returns the `gamecrypt_result` as a number and frees what it created.

use gamecrypt::ffi::aead as a;
use gamecrypt::ffi::keys as k;
/// The session C ABI, all handle types.
mod s {
    pub use gamecrypt::ffi::certificate::*;
    pub use gamecrypt::ffi::server_config::*;
}
use std::ffi::CStr;
use std::ptr;

/// A non-NULL pointer for a possibly empty slice (`(NULL, 0)` is also valid, but the
/// non-NULL case is the common one for callers).
fn p(b: &[u8]) -> *const u8 {
    b.as_ptr()
}

/// Output buffer of at least `cap` bytes, never empty (so the pointer is a real allocation).
fn outbuf(cap: usize) -> Vec<u8> {
    vec![0u8; cap.max(1)]
}

pub fn signing_key_from_der(der: &[u8]) -> u32 {
    let mut h = ptr::null_mut();
    // SAFETY: valid input slice and out pointer; the handle is freed below.
    let r = unsafe { k::gamecrypt_signing_key_from_der(p(der), der.len(), &mut h) };
    // SAFETY: NULL or a handle this call created.
    unsafe { k::gamecrypt_signing_key_free(h) };
    r as u32
}

pub fn signing_key_from_pem(pem: &[u8]) -> u32 {
    let mut h = ptr::null_mut();
    // SAFETY: valid input slice and out pointer; the handle is freed below.
    let r = unsafe { k::gamecrypt_signing_key_from_pem(p(pem).cast(), pem.len(), &mut h) };
    // SAFETY: NULL or a handle this call created.
    unsafe { k::gamecrypt_signing_key_free(h) };
    r as u32
}

pub fn public_key_from_spki_der(der: &[u8]) -> u32 {
    let mut h = ptr::null_mut();
    // SAFETY: valid input slice and out pointer; the handle is freed below.
    let r = unsafe { k::gamecrypt_public_key_from_spki_der(p(der), der.len(), &mut h) };
    // SAFETY: NULL or a handle this call created.
    unsafe { k::gamecrypt_public_key_free(h) };
    r as u32
}

pub fn public_key_from_pem(pem: &[u8]) -> u32 {
    let mut h = ptr::null_mut();
    // SAFETY: valid input slice and out pointer; the handle is freed below.
    let r = unsafe { k::gamecrypt_public_key_from_pem(p(pem).cast(), pem.len(), &mut h) };
    // SAFETY: NULL or a handle this call created.
    unsafe { k::gamecrypt_public_key_free(h) };
    r as u32
}

pub fn public_key_from_raw(key_type: u32, raw: &[u8]) -> u32 {
    let mut h = ptr::null_mut();
    // SAFETY: valid input slice and out pointer; the handle is freed below.
    let r = unsafe { k::gamecrypt_public_key_from_raw(key_type, p(raw), raw.len(), &mut h) };
    // SAFETY: NULL or a handle this call created.
    unsafe { k::gamecrypt_public_key_free(h) };
    r as u32
}

/// `gamecrypt_aead_key_from_bytes` + `gamecrypt_aead_key_open`: (code, plaintext).
pub fn aead_key_open(alg: u32, key: &[u8], sealed: &[u8], ad: &[u8]) -> (u32, Vec<u8>) {
    with_aead_key(alg, key, |h| {
        let mut out = outbuf(sealed.len());
        let mut n = 0usize;
        // SAFETY: valid handle, input slices and output buffer of `out.len()` bytes.
        let r = unsafe {
            a::gamecrypt_aead_key_open(
                h,
                p(sealed),
                sealed.len(),
                p(ad),
                ad.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut n,
            )
        };
        out.truncate(n);
        (r as u32, out)
    })
}

/// `gamecrypt_aead_key_open_with_nonce`: (code, plaintext).
pub fn aead_key_open_with_nonce(
    alg: u32,
    key: &[u8],
    nonce: &[u8],
    ad: &[u8],
    ct: &[u8],
) -> (u32, Vec<u8>) {
    with_aead_key(alg, key, |h| {
        let mut out = outbuf(ct.len());
        let mut n = 0usize;
        // SAFETY: valid handle, input slices and output buffer of `out.len()` bytes.
        let r = unsafe {
            a::gamecrypt_aead_key_open_with_nonce(
                h,
                p(nonce),
                nonce.len(),
                p(ad),
                ad.len(),
                p(ct),
                ct.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut n,
            )
        };
        out.truncate(n);
        (r as u32, out)
    })
}

fn with_aead_key(
    alg: u32,
    key: &[u8],
    f: impl FnOnce(*const a::gamecrypt_aead_key) -> (u32, Vec<u8>),
) -> (u32, Vec<u8>) {
    let mut h = ptr::null_mut();
    // SAFETY: valid input slice and out pointer.
    let r = unsafe { a::gamecrypt_aead_key_from_bytes(alg, p(key), key.len(), &mut h) };
    assert_eq!(r as u32, 0, "gamecrypt_aead_key_from_bytes failed");
    let out = f(h);
    // SAFETY: a handle created above.
    unsafe { a::gamecrypt_aead_key_free(h) };
    out
}

/// `gamecrypt_box_open_with_password`: (code, plaintext).
pub fn box_open_with_password(password: &[u8], sealed: &[u8], ad: &[u8]) -> (u32, Vec<u8>) {
    let mut out = outbuf(sealed.len());
    let mut n = 0usize;
    // SAFETY: valid input slices and output buffer of `out.len()` bytes.
    let r = unsafe {
        a::gamecrypt_box_open_with_password(
            p(password),
            password.len(),
            p(sealed),
            sealed.len(),
            p(ad),
            ad.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut n,
        )
    };
    out.truncate(n);
    (r as u32, out)
}

/// A public key handle from a DER SubjectPublicKeyInfo, for `f`, freed afterwards.
fn with_public_key<R>(spki: &[u8], f: impl FnOnce(*const k::gamecrypt_public_key) -> R) -> R {
    let mut h = ptr::null_mut();
    // SAFETY: valid input slice and out pointer.
    let r = unsafe { k::gamecrypt_public_key_from_spki_der(p(spki), spki.len(), &mut h) };
    assert_eq!(r as u32, 0, "gamecrypt_public_key_from_spki_der failed");
    let out = f(h);
    // SAFETY: a handle created above.
    unsafe { k::gamecrypt_public_key_free(h) };
    out
}

/// `gamecrypt_certificate_verify` with a root key handle made from `root_spki`.
pub fn certificate_verify(cert: &[u8], root_spki: &[u8], name: Option<&CStr>, now: u64) -> u32 {
    let name = name.map_or(ptr::null(), CStr::as_ptr);
    with_public_key(root_spki, |root| {
        // SAFETY: valid input slice and handle; `name` is NULL or a NUL-terminated string.
        let r = unsafe { s::gamecrypt_certificate_verify(p(cert), cert.len(), root, name, now) };
        r as u32
    })
}

/// `gamecrypt_certificate_validity`: (code, not_before, not_after).
pub fn certificate_validity(cert: &[u8]) -> (u32, u64, u64) {
    let (mut nb, mut na) = (0u64, 0u64);
    // SAFETY: valid input slice and out pointers.
    let r = unsafe { s::gamecrypt_certificate_validity(p(cert), cert.len(), &mut nb, &mut na) };
    (r as u32, nb, na)
}

/// `gamecrypt_certificate_server_name`: (code, name bytes).
pub fn certificate_server_name(cert: &[u8]) -> (u32, Vec<u8>) {
    let mut out = outbuf(256);
    let mut n = 0usize;
    // SAFETY: valid input slice and output buffer of `out.len()` bytes.
    let r = unsafe {
        s::gamecrypt_certificate_server_name(
            p(cert),
            cert.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut n,
        )
    };
    out.truncate(n);
    (r as u32, out)
}

/// `gamecrypt_certificate_public_key` and `gamecrypt_public_key_to_spki_der` of the handle
/// it returns: (code, SubjectPublicKeyInfo DER).
pub fn certificate_public_key(cert: &[u8]) -> (u32, Vec<u8>) {
    let mut h = ptr::null_mut();
    // SAFETY: valid input slice and out pointer.
    let r = unsafe { s::gamecrypt_certificate_public_key(p(cert), cert.len(), &mut h) };
    if r as u32 != 0 {
        assert!(h.is_null(), "a handle written on failure");
        return (r as u32, Vec::new());
    }
    let mut out = outbuf(256);
    let mut n = 0usize;
    // SAFETY: a valid handle and an output buffer of `out.len()` bytes.
    let r2 = unsafe { k::gamecrypt_public_key_to_spki_der(h, out.as_mut_ptr(), out.len(), &mut n) };
    // SAFETY: a handle created above.
    unsafe { k::gamecrypt_public_key_free(h) };
    assert_eq!(r2 as u32, 0, "gamecrypt_public_key_to_spki_der failed");
    out.truncate(n);
    (0, out)
}

/// A retry-enabled server configuration built through the C ABI
/// (`gamecrypt_server_config_builder_*`), with a fixed clock.
pub struct RetryConfig {
    config: *mut s::gamecrypt_server_config,
    /// The clock's context; it must outlive the configuration.
    _now: Box<u64>,
}

unsafe extern "C" fn fixed_clock(ctx: *mut std::ffi::c_void) -> u64 {
    // SAFETY: `ctx` is the `Box<u64>` of a live `RetryConfig`.
    unsafe { *ctx.cast::<u64>() }
}

impl RetryConfig {
    /// Identity key (PKCS#8 DER), retry period, initial secret, clock; then a rotation to
    /// `rotate_to` if given.
    pub fn new(
        key_der: &[u8],
        period: u64,
        secret: &[u8],
        now: u64,
        rotate_to: Option<&[u8]>,
    ) -> RetryConfig {
        let now = Box::new(now);
        let mut key = ptr::null_mut();
        let mut builder = ptr::null_mut();
        let mut config = ptr::null_mut();
        // SAFETY: valid slices, handles and out pointers; `now` outlives the configuration
        // (it is dropped after `gamecrypt_server_config_free` in `Drop`).
        unsafe {
            assert_eq!(
                k::gamecrypt_signing_key_from_der(p(key_der), key_der.len(), &mut key) as u32,
                0
            );
            assert_eq!(
                s::gamecrypt_server_config_builder_new(key, &mut builder) as u32,
                0
            );
            k::gamecrypt_signing_key_free(key);
            assert_eq!(
                s::gamecrypt_server_config_builder_set_retry(builder, period) as u32,
                0
            );
            assert_eq!(
                s::gamecrypt_server_config_builder_set_retry_secret(
                    builder,
                    p(secret),
                    secret.len()
                ) as u32,
                0
            );
            let ctx: *const u64 = &*now;
            assert_eq!(
                s::gamecrypt_server_config_builder_set_clock(
                    builder,
                    Some(fixed_clock),
                    ctx.cast_mut().cast()
                ) as u32,
                0
            );
            assert_eq!(
                s::gamecrypt_server_config_builder_build(builder, &mut config) as u32,
                0
            );
            s::gamecrypt_server_config_builder_free(builder);
            if let Some(r) = rotate_to {
                assert_eq!(
                    s::gamecrypt_server_config_rotate_retry_secret_to(config, p(r), r.len()) as u32,
                    0
                );
            }
        }
        RetryConfig { config, _now: now }
    }

    /// `gamecrypt_server_config_check_client_hello` with an output buffer of `cap` bytes:
    /// (code, action (0 when not written), output length, output bytes).
    pub fn check_client_hello(
        &self,
        address: &[u8],
        datagram: &[u8],
        cap: usize,
    ) -> (u32, u32, usize, Vec<u8>) {
        let mut out = outbuf(cap);
        let mut n = usize::MAX;
        let mut action = 0u32;
        // SAFETY: a live configuration, valid input slices, an output buffer of at least
        // `cap` bytes and out pointers.
        let r = unsafe {
            s::gamecrypt_server_config_check_client_hello(
                self.config,
                p(address),
                address.len(),
                p(datagram),
                datagram.len(),
                out.as_mut_ptr(),
                cap,
                &mut n,
                &mut action,
            )
        };
        let written = if r as u32 == 0 { n.min(cap) } else { 0 };
        out.truncate(written);
        (r as u32, action, n, out)
    }
}

impl Drop for RetryConfig {
    fn drop(&mut self) {
        // SAFETY: a configuration created in `new`, freed once.
        unsafe { s::gamecrypt_server_config_free(self.config) };
    }
}
