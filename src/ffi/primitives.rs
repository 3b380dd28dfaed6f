//! C ABI for the primitives: random bytes, SHA-2, HMAC, HKDF, PBKDF2, constant-time compare.

use super::{ffi_result, gamecrypt_result, input, out_ptr, panic_boundary, Handle, OutBuf};
use crate::error::{Error, Result};
use crate::primitives::{self as prim, HashAlgorithm, HashContext, HmacContext};

/// A hash function, for hashing, HMAC and HKDF: one of the `GAMECRYPT_HASH_*` constants.
pub type gamecrypt_hash = u32;

/// SHA-256 (32-byte digest). The usual choice.
pub const GAMECRYPT_HASH_SHA256: gamecrypt_hash = 1;
/// SHA-384 (48-byte digest).
pub const GAMECRYPT_HASH_SHA384: gamecrypt_hash = 2;
/// SHA-512 (64-byte digest).
pub const GAMECRYPT_HASH_SHA512: gamecrypt_hash = 3;

/// Length of a SHA-256 digest, HMAC-SHA256 tag and HKDF-SHA256 PRK, in bytes.
pub const GAMECRYPT_SHA256_LEN: usize = 32;
/// Length of a SHA-384 digest, HMAC-SHA384 tag and HKDF-SHA384 PRK, in bytes.
pub const GAMECRYPT_SHA384_LEN: usize = 48;
/// Length of a SHA-512 digest, HMAC-SHA512 tag and HKDF-SHA512 PRK, in bytes.
pub const GAMECRYPT_SHA512_LEN: usize = 64;
/// The longest digest of any `gamecrypt_hash`: a buffer this size fits every digest and tag.
pub const GAMECRYPT_HASH_MAX_LEN: usize = 64;
/// PBKDF2-HMAC-SHA256 iteration count recommended for new password-derived keys (600 000,
/// the OWASP Password Storage Cheat Sheet figure). Takes roughly 0.1-0.5 s on a desktop CPU.
pub const GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS: u32 = 600_000;

// The header constants are literals (cbindgen cannot evaluate paths); they must equal the core.
const _: () = assert!(GAMECRYPT_SHA256_LEN == prim::SHA256_LEN);
const _: () = assert!(GAMECRYPT_SHA384_LEN == prim::SHA384_LEN);
const _: () = assert!(GAMECRYPT_SHA512_LEN == prim::SHA512_LEN);
const _: () = assert!(GAMECRYPT_HASH_MAX_LEN == prim::MAX_DIGEST_LEN);
const _: () =
    assert!(GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS == prim::PBKDF2_RECOMMENDED_ITERATIONS);

/// A streaming hash (like Godot's HashingContext), for data fed in pieces (a big file).
///
/// Create with gamecrypt_hash_context_new(), feed with gamecrypt_hash_context_update(), get the
/// digest once with gamecrypt_hash_context_finish(), free with gamecrypt_hash_context_free().
/// Not thread-safe: use one context from one thread at a time (it may move between threads).
#[derive(Debug)]
pub struct gamecrypt_hash_context {
    _private: [u8; 0],
}

impl Handle for gamecrypt_hash_context {
    type Inner = HashContext;
}

/// A streaming HMAC, for data fed in pieces.
///
/// Create with gamecrypt_hmac_context_new(), feed with gamecrypt_hmac_context_update(), end
/// once with gamecrypt_hmac_context_finish() or gamecrypt_hmac_context_verify(), free with
/// gamecrypt_hmac_context_free() (which zeroes the key state). Not thread-safe: use one context
/// from one thread at a time (it may move between threads).
#[derive(Debug)]
pub struct gamecrypt_hmac_context {
    _private: [u8; 0],
}

impl Handle for gamecrypt_hmac_context {
    type Inner = HmacContext;
}

/// An output of exactly `len` bytes chosen by the caller (a key, random bytes): `(NULL, 0)`
/// is allowed, `(NULL, n > 0)` is `NULL_ARGUMENT`, and it must not overlap `inputs`.
///
/// # Safety
/// A non-NULL `ptr` points at `len` writable bytes.
unsafe fn exact_out(
    ptr: *mut u8,
    len: usize,
    inputs: &[&[u8]],
    f: impl FnOnce(&mut [u8]) -> Result<()>,
) -> Result<()> {
    let mut written = 0usize;
    // SAFETY: by the caller's contract; `written` is a live local.
    let out = unsafe { OutBuf::new(ptr, len, &mut written, inputs) }?;
    out.write_with(len, |buf| f(buf).map(|()| len))
}

// ---------------------------------------------------------------------------------------------
// Random
// ---------------------------------------------------------------------------------------------

/// Fills `out[0..len]` with cryptographically secure random bytes (aws-lc's DRBG, seeded by the
/// operating system). Use it for keys, salts and tokens.
///
/// `(NULL, 0)` does nothing. Thread-safe.
///
/// Returns OK, NULL_ARGUMENT (`out` NULL with `len` > 0), RANDOM_FAILED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_random_bytes(out: *mut u8, len: usize) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the caller gives `len` writable bytes at `out`.
        unsafe { exact_out(out, len, &[], prim::random_bytes) }
    })
}

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------

/// The digest length of `alg` in bytes (32, 48 or 64), or 0 for an unknown algorithm. This is
/// also its HMAC tag length and HKDF PRK length.
#[no_mangle]
pub extern "C" fn gamecrypt_hash_len(alg: gamecrypt_hash) -> usize {
    panic_boundary(0, || {
        HashAlgorithm::from_code(alg)
            .map(HashAlgorithm::output_len)
            .unwrap_or(0)
    })
}

/// Hashes `data[0..data_len]` with `alg` in one call and writes the digest to `out`.
///
/// `out_cap` must be at least gamecrypt_hash_len(alg); `*out_len` receives the digest length.
/// Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps `data`),
/// BUFFER_TOO_SMALL (needed length in `*out_len`).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hash_digest(
    alg: gamecrypt_hash,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the caller gives readable `data` and writable `out`/`out_len`.
        let data = unsafe { input(data, data_len) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[data]) }?;
        let alg = HashAlgorithm::from_code(alg)?;
        out.write(prim::hash(alg, data).as_ref())
    })
}

/// Starts a streaming hash with `alg` and writes the new context to `*out`.
///
/// The caller owns the context and frees it with gamecrypt_hash_context_free().
///
/// Returns OK, NULL_ARGUMENT (`out` NULL), INVALID_ARGUMENT (unknown `alg`).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hash_context_new(
    alg: gamecrypt_hash,
    out: *mut *mut gamecrypt_hash_context,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: a non-NULL `out` is writable by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        let alg = HashAlgorithm::from_code(alg)?;
        *out = gamecrypt_hash_context::into_raw(HashContext::new(alg));
        Ok(())
    })
}

/// Feeds `data[0..data_len]` into the hash. May be called any number of times.
///
/// Returns OK, NULL_ARGUMENT, CONTEXT_FINISHED (gamecrypt_hash_context_finish() was called).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hash_context_update(
    ctx: *mut gamecrypt_hash_context,
    data: *const u8,
    data_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `ctx` is NULL or a live context used by one thread; `data` is readable.
        let ctx = unsafe { gamecrypt_hash_context::try_mut(ctx) }?;
        let data = unsafe { input(data, data_len) }?;
        ctx.update(data)
    })
}

/// Finishes the hash and writes the digest (gamecrypt_hash_len(alg) bytes) to `out`.
///
/// After success the context is spent: any further update/finish gives CONTEXT_FINISHED (free
/// it, or make a new one). A too-small buffer does not finish the context, so the call can be
/// retried with a bigger one.
///
/// Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in `*out_len`),
/// CONTEXT_FINISHED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hash_context_finish(
    ctx: *mut gamecrypt_hash_context,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `ctx` is NULL or a live context; `out`/`out_len` are writable.
        let ctx = unsafe { gamecrypt_hash_context::try_mut(ctx) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        if ctx.is_finished() {
            return Err(Error::ContextFinished);
        }
        let len = ctx.algorithm().output_len();
        out.write_with(len, |buf| {
            buf.copy_from_slice(ctx.finish()?.as_ref());
            Ok(len)
        })
    })
}

/// Frees a hash context. NULL is ignored. The context must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hash_context_free(ctx: *mut gamecrypt_hash_context) {
    panic_boundary((), || {
        // SAFETY: `ctx` is NULL or a context from gamecrypt_hash_context_new, freed once.
        unsafe { gamecrypt_hash_context::free(ctx) }
    })
}

// ---------------------------------------------------------------------------------------------
// HMAC
// ---------------------------------------------------------------------------------------------

/// Computes HMAC-`alg`(`key`, `data`) (RFC 2104) and writes the tag (gamecrypt_hash_len(alg)
/// bytes) to `out`.
///
/// Any key length is accepted, including empty; use at least gamecrypt_hash_len(alg) random
/// bytes. To check a tag, use gamecrypt_hmac_verify(), never memcmp. Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps an input),
/// BUFFER_TOO_SMALL (needed length in `*out_len`).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hmac_sign(
    alg: gamecrypt_hash,
    key: *const u8,
    key_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the caller gives readable inputs and writable outputs.
        let key = unsafe { input(key, key_len) }?;
        let data = unsafe { input(data, data_len) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[key, data]) }?;
        let alg = HashAlgorithm::from_code(alg)?;
        out.write(prim::hmac_sign(alg, key, data).as_ref())
    })
}

/// Checks an HMAC tag in constant time.
///
/// Only a full-length tag (gamecrypt_hash_len(alg) bytes) can verify: a tag of any other
/// length, including a truncated prefix of the right tag, gives MAC_INVALID. Thread-safe.
///
/// Returns OK (the tag is right), MAC_INVALID (it is not), NULL_ARGUMENT, INVALID_ARGUMENT
/// (unknown `alg`).
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hmac_verify(
    alg: gamecrypt_hash,
    key: *const u8,
    key_len: usize,
    data: *const u8,
    data_len: usize,
    tag: *const u8,
    tag_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the caller gives readable inputs.
        let key = unsafe { input(key, key_len) }?;
        let data = unsafe { input(data, data_len) }?;
        let tag = unsafe { input(tag, tag_len) }?;
        let alg = HashAlgorithm::from_code(alg)?;
        prim::hmac_verify(alg, key, data, tag)
    })
}

/// Starts a streaming HMAC with `alg` and `key[0..key_len]` (copied) and writes the new
/// context to `*out`.
///
/// The caller owns the context and frees it with gamecrypt_hmac_context_free().
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hmac_context_new(
    alg: gamecrypt_hash,
    key: *const u8,
    key_len: usize,
    out: *mut *mut gamecrypt_hmac_context,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: a non-NULL `out` is writable; `key` is readable.
        let out = unsafe { out_ptr(out) }?;
        let key = unsafe { input(key, key_len) }?;
        let alg = HashAlgorithm::from_code(alg)?;
        *out = gamecrypt_hmac_context::into_raw(HmacContext::new(alg, key));
        Ok(())
    })
}

/// Feeds `data[0..data_len]` into the HMAC. May be called any number of times.
///
/// Returns OK, NULL_ARGUMENT, CONTEXT_FINISHED (finish or verify was called).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hmac_context_update(
    ctx: *mut gamecrypt_hmac_context,
    data: *const u8,
    data_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `ctx` is NULL or a live context used by one thread; `data` is readable.
        let ctx = unsafe { gamecrypt_hmac_context::try_mut(ctx) }?;
        let data = unsafe { input(data, data_len) }?;
        ctx.update(data)
    })
}

/// Finishes the HMAC and writes the tag (gamecrypt_hash_len(alg) bytes) to `out`.
///
/// After success the context is spent (further calls give CONTEXT_FINISHED). A too-small
/// buffer does not finish the context.
///
/// Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in `*out_len`),
/// CONTEXT_FINISHED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hmac_context_finish(
    ctx: *mut gamecrypt_hmac_context,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `ctx` is NULL or a live context; `out`/`out_len` are writable.
        let ctx = unsafe { gamecrypt_hmac_context::try_mut(ctx) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        if ctx.is_finished() {
            return Err(Error::ContextFinished);
        }
        let len = ctx.algorithm().output_len();
        out.write_with(len, |buf| {
            buf.copy_from_slice(ctx.finish()?.as_ref());
            Ok(len)
        })
    })
}

/// Finishes the HMAC and checks `tag[0..tag_len]` in constant time (full-length tags only, as
/// for gamecrypt_hmac_verify()). The context is spent afterwards, whatever the outcome.
///
/// Returns OK (the tag is right), MAC_INVALID, NULL_ARGUMENT, CONTEXT_FINISHED.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hmac_context_verify(
    ctx: *mut gamecrypt_hmac_context,
    tag: *const u8,
    tag_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `ctx` is NULL or a live context; `tag` is readable.
        let ctx = unsafe { gamecrypt_hmac_context::try_mut(ctx) }?;
        let tag = unsafe { input(tag, tag_len) }?;
        ctx.verify(tag)
    })
}

/// Frees an HMAC context (its key state is zeroed). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hmac_context_free(ctx: *mut gamecrypt_hmac_context) {
    panic_boundary((), || {
        // SAFETY: `ctx` is NULL or a context from gamecrypt_hmac_context_new, freed once.
        unsafe { gamecrypt_hmac_context::free(ctx) }
    })
}

// ---------------------------------------------------------------------------------------------
// HKDF
// ---------------------------------------------------------------------------------------------

/// The longest output HKDF-Expand with `alg` can give: 255 * gamecrypt_hash_len(alg) bytes
/// (8160 for SHA-256), or 0 for an unknown algorithm.
#[no_mangle]
pub extern "C" fn gamecrypt_hkdf_max_output_len(alg: gamecrypt_hash) -> usize {
    panic_boundary(0, || {
        HashAlgorithm::from_code(alg)
            .map(HashAlgorithm::hkdf_max_output_len)
            .unwrap_or(0)
    })
}

/// HKDF-Extract (RFC 5869 §2.2): PRK = HMAC-`alg`(salt, ikm), written to `out`
/// (gamecrypt_hash_len(alg) bytes; secret: zero it after use).
///
/// An empty salt means a string of zeros (RFC 5869). Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps an input),
/// BUFFER_TOO_SMALL (needed length in `*out_len`).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hkdf_extract(
    alg: gamecrypt_hash,
    salt: *const u8,
    salt_len: usize,
    ikm: *const u8,
    ikm_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the caller gives readable inputs and writable outputs.
        let salt = unsafe { input(salt, salt_len) }?;
        let ikm = unsafe { input(ikm, ikm_len) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[salt, ikm]) }?;
        let alg = HashAlgorithm::from_code(alg)?;
        out.write(prim::hkdf_extract(alg, salt, ikm).as_ref())
    })
}

/// HKDF-Expand (RFC 5869 §2.3): fills exactly `out[0..out_len]` from `prk` and `info`.
///
/// `prk_len` must be at least gamecrypt_hash_len(alg) and at most 64 (a PRK from
/// gamecrypt_hkdf_extract() fits). `out_len` must be 1 to gamecrypt_hkdf_max_output_len(alg).
/// Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps an input),
/// INVALID_LENGTH (`prk_len` or `out_len` out of range).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hkdf_expand(
    alg: gamecrypt_hash,
    prk: *const u8,
    prk_len: usize,
    info: *const u8,
    info_len: usize,
    out: *mut u8,
    out_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the caller gives readable inputs and `out_len` writable bytes at `out`.
        let prk = unsafe { input(prk, prk_len) }?;
        let info = unsafe { input(info, info_len) }?;
        let alg = HashAlgorithm::from_code(alg)?;
        unsafe {
            exact_out(out, out_len, &[prk, info], |buf| {
                prim::hkdf_expand(alg, prk, info, buf)
            })
        }
    })
}

/// HKDF extract-then-expand in one call (the usual way to turn a shared secret into keys):
/// fills exactly `out[0..out_len]`.
///
/// `out_len` must be 1 to gamecrypt_hkdf_max_output_len(alg). Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, or `out` overlaps an input),
/// INVALID_LENGTH (`out_len` out of range).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_hkdf_derive(
    alg: gamecrypt_hash,
    salt: *const u8,
    salt_len: usize,
    ikm: *const u8,
    ikm_len: usize,
    info: *const u8,
    info_len: usize,
    out: *mut u8,
    out_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the caller gives readable inputs and `out_len` writable bytes at `out`.
        let salt = unsafe { input(salt, salt_len) }?;
        let ikm = unsafe { input(ikm, ikm_len) }?;
        let info = unsafe { input(info, info_len) }?;
        let alg = HashAlgorithm::from_code(alg)?;
        unsafe {
            exact_out(out, out_len, &[salt, ikm, info], |buf| {
                prim::hkdf(alg, salt, ikm, info, buf)
            })
        }
    })
}

// ---------------------------------------------------------------------------------------------
// PBKDF2
// ---------------------------------------------------------------------------------------------

/// The recommended PBKDF2-HMAC-SHA256 iteration count for new data
/// (GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS, 600 000).
#[no_mangle]
pub extern "C" fn gamecrypt_pbkdf2_recommended_iterations() -> u32 {
    panic_boundary(GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS, || {
        GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS
    })
}

/// PBKDF2-HMAC-SHA256 (RFC 8018): fills exactly `out[0..out_len]` with a key derived from
/// `password` and `salt`.
///
/// Use a random salt of at least 16 bytes per password, store it with the data, and
/// GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS for new data. The time taken grows with
/// `iterations`: call it off the main thread. To encrypt with a password, prefer
/// gamecrypt_box_seal_with_password(), which handles salt and count. Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (`iterations` 0, or `out` overlaps an input),
/// INVALID_LENGTH (`out_len` 0).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_pbkdf2_sha256_derive(
    password: *const u8,
    password_len: usize,
    salt: *const u8,
    salt_len: usize,
    iterations: u32,
    out: *mut u8,
    out_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the caller gives readable inputs and `out_len` writable bytes at `out`.
        let password = unsafe { input(password, password_len) }?;
        let salt = unsafe { input(salt, salt_len) }?;
        if iterations == 0 {
            return Err(Error::InvalidArgument);
        }
        if out_len == 0 {
            return Err(Error::InvalidLength);
        }
        unsafe {
            exact_out(out, out_len, &[password, salt], |buf| {
                prim::pbkdf2_hmac_sha256(password, salt, iterations, buf)
            })
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Constant time
// ---------------------------------------------------------------------------------------------

/// Compares `a[0..a_len]` and `b[0..b_len]` in time that depends on the lengths but not on the
/// contents (for secrets such as tokens; for HMAC tags use gamecrypt_hmac_verify()).
///
/// Returns true only when the lengths are equal and all bytes are equal. Different lengths are
/// unequal. A NULL pointer with a non-zero length gives false. Thread-safe.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_constant_time_eq(
    a: *const u8,
    a_len: usize,
    b: *const u8,
    b_len: usize,
) -> bool {
    panic_boundary(false, || {
        // SAFETY: the caller gives readable buffers.
        let (Ok(a), Ok(b)) = (unsafe { input(a, a_len) }, unsafe { input(b, b_len) }) else {
            return false;
        };
        prim::constant_time_eq(a, b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gamecrypt_result as R;
    use std::ptr::{null, null_mut};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    const SHA256_ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const SHA256_EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn size_functions_and_constants() {
        assert_eq!(
            gamecrypt_hash_len(GAMECRYPT_HASH_SHA256),
            GAMECRYPT_SHA256_LEN
        );
        assert_eq!(
            gamecrypt_hash_len(GAMECRYPT_HASH_SHA384),
            GAMECRYPT_SHA384_LEN
        );
        assert_eq!(
            gamecrypt_hash_len(GAMECRYPT_HASH_SHA512),
            GAMECRYPT_SHA512_LEN
        );
        assert_eq!(GAMECRYPT_SHA256_LEN, 32);
        assert_eq!(GAMECRYPT_SHA384_LEN, 48);
        assert_eq!(GAMECRYPT_HASH_MAX_LEN, 64);
        for bad in [0, 4, u32::MAX] {
            assert_eq!(gamecrypt_hash_len(bad), 0);
            assert_eq!(gamecrypt_hkdf_max_output_len(bad), 0);
        }
        assert_eq!(gamecrypt_hkdf_max_output_len(GAMECRYPT_HASH_SHA256), 8160);
        assert_eq!(
            gamecrypt_hkdf_max_output_len(GAMECRYPT_HASH_SHA384),
            255 * 48
        );
        assert_eq!(gamecrypt_pbkdf2_recommended_iterations(), 600_000);
        assert_eq!(GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS, 600_000);
    }

    #[test]
    fn random_bytes() {
        unsafe {
            assert_eq!(gamecrypt_random_bytes(null_mut(), 0), R::Ok);
            assert_eq!(gamecrypt_random_bytes(null_mut(), 5), R::NullArgument);
            let mut a = [0u8; 32];
            let mut b = [0u8; 32];
            assert_eq!(gamecrypt_random_bytes(a.as_mut_ptr(), a.len()), R::Ok);
            assert_eq!(gamecrypt_random_bytes(b.as_mut_ptr(), b.len()), R::Ok);
            assert_ne!(a, b);
            // Only the requested bytes are written.
            let mut c = [0u8; 8];
            assert_eq!(gamecrypt_random_bytes(c.as_mut_ptr(), 4), R::Ok);
            assert_eq!(&c[4..], &[0; 4]);
        }
    }

    #[test]
    fn hash_digest_and_buffers() {
        unsafe {
            let mut out = [0xAAu8; 64];
            let mut len = 0usize;
            let r = gamecrypt_hash_digest(
                GAMECRYPT_HASH_SHA256,
                b"abc".as_ptr(),
                3,
                out.as_mut_ptr(),
                64,
                &mut len,
            );
            assert_eq!(r, R::Ok);
            assert_eq!(len, 32);
            assert_eq!(&out[..32], &hex(SHA256_ABC)[..]);
            assert_eq!(
                &out[32..],
                &[0xAA; 32],
                "nothing past the digest is written"
            );
            // (NULL, 0) is the empty message.
            let r = gamecrypt_hash_digest(
                GAMECRYPT_HASH_SHA256,
                null(),
                0,
                out.as_mut_ptr(),
                64,
                &mut len,
            );
            assert_eq!(r, R::Ok);
            assert_eq!(&out[..len], &hex(SHA256_EMPTY)[..]);
            // Errors.
            assert_eq!(
                gamecrypt_hash_digest(
                    GAMECRYPT_HASH_SHA256,
                    null(),
                    3,
                    out.as_mut_ptr(),
                    64,
                    &mut len
                ),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_hash_digest(
                    GAMECRYPT_HASH_SHA256,
                    b"abc".as_ptr(),
                    3,
                    out.as_mut_ptr(),
                    64,
                    null_mut()
                ),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_hash_digest(
                    GAMECRYPT_HASH_SHA256,
                    b"abc".as_ptr(),
                    3,
                    null_mut(),
                    64,
                    &mut len
                ),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_hash_digest(0, b"abc".as_ptr(), 3, out.as_mut_ptr(), 64, &mut len),
                R::InvalidArgument
            );
            // Too small: needed length reported, buffer untouched.
            let mut small = [0x55u8; 47];
            let mut len = 0usize;
            let r = gamecrypt_hash_digest(
                GAMECRYPT_HASH_SHA384,
                b"abc".as_ptr(),
                3,
                small.as_mut_ptr(),
                47,
                &mut len,
            );
            assert_eq!(r, R::BufferTooSmall);
            assert_eq!(len, 48);
            assert_eq!(small, [0x55u8; 47]);
            // Size query.
            let mut len = 0usize;
            let r =
                gamecrypt_hash_digest(GAMECRYPT_HASH_SHA512, null(), 0, null_mut(), 0, &mut len);
            assert_eq!(r, R::BufferTooSmall);
            assert_eq!(len, 64);
            // Output overlapping the input.
            let mut buf = [0u8; 64];
            let p = buf.as_mut_ptr();
            assert_eq!(
                gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, p, 10, p, 64, &mut len),
                R::InvalidArgument
            );
        }
    }

    #[test]
    fn hash_context_lifecycle() {
        unsafe {
            let mut ctx: *mut gamecrypt_hash_context = null_mut();
            assert_eq!(
                gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA256, null_mut()),
                R::NullArgument
            );
            assert_eq!(gamecrypt_hash_context_new(9, &mut ctx), R::InvalidArgument);
            assert!(ctx.is_null(), "output written only on success");
            assert_eq!(
                gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA256, &mut ctx),
                R::Ok
            );
            assert!(!ctx.is_null());
            assert_eq!(gamecrypt_hash_context_update(ctx, b"a".as_ptr(), 1), R::Ok);
            assert_eq!(gamecrypt_hash_context_update(ctx, null(), 0), R::Ok);
            assert_eq!(
                gamecrypt_hash_context_update(ctx, null(), 1),
                R::NullArgument
            );
            assert_eq!(gamecrypt_hash_context_update(ctx, b"bc".as_ptr(), 2), R::Ok);
            // Too small does not finish the context.
            let mut small = [0x11u8; 31];
            let mut len = 0usize;
            assert_eq!(
                gamecrypt_hash_context_finish(ctx, small.as_mut_ptr(), 31, &mut len),
                R::BufferTooSmall
            );
            assert_eq!(len, 32);
            assert_eq!(small, [0x11u8; 31]);
            let mut out = [0u8; 32];
            assert_eq!(
                gamecrypt_hash_context_finish(ctx, out.as_mut_ptr(), 32, &mut len),
                R::Ok
            );
            assert_eq!(len, 32);
            assert_eq!(&out[..], &hex(SHA256_ABC)[..]);
            // Spent.
            assert_eq!(
                gamecrypt_hash_context_update(ctx, b"a".as_ptr(), 1),
                R::ContextFinished
            );
            assert_eq!(
                gamecrypt_hash_context_finish(ctx, out.as_mut_ptr(), 32, &mut len),
                R::ContextFinished
            );
            gamecrypt_hash_context_free(ctx);
            gamecrypt_hash_context_free(null_mut());
            // NULL context.
            assert_eq!(
                gamecrypt_hash_context_update(null_mut(), b"a".as_ptr(), 1),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_hash_context_finish(null_mut(), out.as_mut_ptr(), 32, &mut len),
                R::NullArgument
            );
        }
    }

    // RFC 4231 test case 2.
    const JEFE_DATA: &[u8] = b"what do ya want for nothing?";
    const JEFE_SHA256: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    #[test]
    fn hmac_one_shot() {
        unsafe {
            let want = hex(JEFE_SHA256);
            let mut out = [0u8; 64];
            let mut len = 0usize;
            let r = gamecrypt_hmac_sign(
                GAMECRYPT_HASH_SHA256,
                b"Jefe".as_ptr(),
                4,
                JEFE_DATA.as_ptr(),
                JEFE_DATA.len(),
                out.as_mut_ptr(),
                64,
                &mut len,
            );
            assert_eq!(r, R::Ok);
            assert_eq!(&out[..len], &want[..]);
            let v = |tag: &[u8]| {
                gamecrypt_hmac_verify(
                    GAMECRYPT_HASH_SHA256,
                    b"Jefe".as_ptr(),
                    4,
                    JEFE_DATA.as_ptr(),
                    JEFE_DATA.len(),
                    tag.as_ptr(),
                    tag.len(),
                )
            };
            assert_eq!(v(&want), R::Ok);
            assert_eq!(v(&want[..16]), R::MacInvalid);
            assert_eq!(v(&[]), R::MacInvalid);
            let mut bad = want.clone();
            bad[31] ^= 1;
            assert_eq!(v(&bad), R::MacInvalid);
            assert_eq!(
                gamecrypt_hmac_verify(
                    GAMECRYPT_HASH_SHA256,
                    b"Jefe".as_ptr(),
                    4,
                    JEFE_DATA.as_ptr(),
                    JEFE_DATA.len(),
                    null(),
                    0
                ),
                R::MacInvalid
            );
            assert_eq!(
                gamecrypt_hmac_verify(
                    GAMECRYPT_HASH_SHA256,
                    b"Jefe".as_ptr(),
                    4,
                    JEFE_DATA.as_ptr(),
                    JEFE_DATA.len(),
                    null(),
                    32
                ),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_hmac_verify(
                    7,
                    b"Jefe".as_ptr(),
                    4,
                    JEFE_DATA.as_ptr(),
                    JEFE_DATA.len(),
                    want.as_ptr(),
                    32
                ),
                R::InvalidArgument
            );
            // Too small.
            let mut small = [0x77u8; 16];
            let r = gamecrypt_hmac_sign(
                GAMECRYPT_HASH_SHA256,
                b"Jefe".as_ptr(),
                4,
                JEFE_DATA.as_ptr(),
                JEFE_DATA.len(),
                small.as_mut_ptr(),
                16,
                &mut len,
            );
            assert_eq!(r, R::BufferTooSmall);
            assert_eq!(len, 32);
            assert_eq!(small, [0x77u8; 16]);
            // Empty key and data are valid: HMAC-SHA256("", "") from Python's hmac module.
            let r = gamecrypt_hmac_sign(
                GAMECRYPT_HASH_SHA256,
                null(),
                0,
                null(),
                0,
                out.as_mut_ptr(),
                64,
                &mut len,
            );
            assert_eq!(r, R::Ok);
            assert_eq!(
                &out[..32],
                &hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")[..]
            );
            assert_eq!(
                gamecrypt_hmac_sign(
                    GAMECRYPT_HASH_SHA256,
                    null(),
                    3,
                    null(),
                    0,
                    out.as_mut_ptr(),
                    64,
                    &mut len
                ),
                R::NullArgument
            );
        }
    }

    #[test]
    fn hmac_context_lifecycle() {
        unsafe {
            let want = hex(JEFE_SHA256);
            let mut ctx: *mut gamecrypt_hmac_context = null_mut();
            assert_eq!(
                gamecrypt_hmac_context_new(0, b"Jefe".as_ptr(), 4, &mut ctx),
                R::InvalidArgument
            );
            assert!(ctx.is_null());
            assert_eq!(
                gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, null(), 4, &mut ctx),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, b"Jefe".as_ptr(), 4, null_mut()),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, b"Jefe".as_ptr(), 4, &mut ctx),
                R::Ok
            );
            for chunk in JEFE_DATA.chunks(5) {
                assert_eq!(
                    gamecrypt_hmac_context_update(ctx, chunk.as_ptr(), chunk.len()),
                    R::Ok
                );
            }
            let mut len = 0usize;
            assert_eq!(
                gamecrypt_hmac_context_finish(ctx, null_mut(), 0, &mut len),
                R::BufferTooSmall
            );
            assert_eq!(len, 32);
            let mut out = [0u8; 32];
            assert_eq!(
                gamecrypt_hmac_context_finish(ctx, out.as_mut_ptr(), 32, &mut len),
                R::Ok
            );
            assert_eq!(&out[..], &want[..]);
            assert_eq!(
                gamecrypt_hmac_context_update(ctx, b"x".as_ptr(), 1),
                R::ContextFinished
            );
            assert_eq!(
                gamecrypt_hmac_context_finish(ctx, out.as_mut_ptr(), 32, &mut len),
                R::ContextFinished
            );
            assert_eq!(
                gamecrypt_hmac_context_verify(ctx, want.as_ptr(), 32),
                R::ContextFinished
            );
            gamecrypt_hmac_context_free(ctx);

            // verify: right tag, then spent; wrong tag.
            for (tag, expect) in [
                (&want[..], R::Ok),
                (&want[..31], R::MacInvalid),
                (&[0u8; 32][..], R::MacInvalid),
            ] {
                let mut ctx: *mut gamecrypt_hmac_context = null_mut();
                assert_eq!(
                    gamecrypt_hmac_context_new(
                        GAMECRYPT_HASH_SHA256,
                        b"Jefe".as_ptr(),
                        4,
                        &mut ctx
                    ),
                    R::Ok
                );
                assert_eq!(
                    gamecrypt_hmac_context_update(ctx, JEFE_DATA.as_ptr(), JEFE_DATA.len()),
                    R::Ok
                );
                assert_eq!(
                    gamecrypt_hmac_context_verify(ctx, tag.as_ptr(), tag.len()),
                    expect
                );
                assert_eq!(
                    gamecrypt_hmac_context_verify(ctx, want.as_ptr(), 32),
                    R::ContextFinished
                );
                gamecrypt_hmac_context_free(ctx);
            }
            gamecrypt_hmac_context_free(null_mut());
            assert_eq!(
                gamecrypt_hmac_context_verify(null_mut(), want.as_ptr(), 32),
                R::NullArgument
            );
        }
    }

    // RFC 5869 test case 1.
    #[test]
    fn hkdf_functions() {
        unsafe {
            let ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
            let salt = hex("000102030405060708090a0b0c");
            let info = hex("f0f1f2f3f4f5f6f7f8f9");
            let prk_want = hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
            let okm_want = hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
            let mut prk = [0u8; 64];
            let mut len = 0usize;
            let r = gamecrypt_hkdf_extract(
                GAMECRYPT_HASH_SHA256,
                salt.as_ptr(),
                salt.len(),
                ikm.as_ptr(),
                ikm.len(),
                prk.as_mut_ptr(),
                64,
                &mut len,
            );
            assert_eq!(r, R::Ok);
            assert_eq!(&prk[..len], &prk_want[..]);
            let mut okm = vec![0u8; okm_want.len()];
            let r = gamecrypt_hkdf_expand(
                GAMECRYPT_HASH_SHA256,
                prk.as_ptr(),
                32,
                info.as_ptr(),
                info.len(),
                okm.as_mut_ptr(),
                okm.len(),
            );
            assert_eq!(r, R::Ok);
            assert_eq!(okm, okm_want);
            let mut okm2 = vec![0u8; okm_want.len()];
            let r = gamecrypt_hkdf_derive(
                GAMECRYPT_HASH_SHA256,
                salt.as_ptr(),
                salt.len(),
                ikm.as_ptr(),
                ikm.len(),
                info.as_ptr(),
                info.len(),
                okm2.as_mut_ptr(),
                okm2.len(),
            );
            assert_eq!(r, R::Ok);
            assert_eq!(okm2, okm_want);

            // Lengths.
            let mut big = vec![0u8; 8161];
            assert_eq!(
                gamecrypt_hkdf_expand(
                    GAMECRYPT_HASH_SHA256,
                    prk.as_ptr(),
                    32,
                    null(),
                    0,
                    big.as_mut_ptr(),
                    8161
                ),
                R::InvalidLength
            );
            assert_eq!(
                gamecrypt_hkdf_expand(
                    GAMECRYPT_HASH_SHA256,
                    prk.as_ptr(),
                    32,
                    null(),
                    0,
                    big.as_mut_ptr(),
                    8160
                ),
                R::Ok
            );
            assert_eq!(
                gamecrypt_hkdf_derive(
                    GAMECRYPT_HASH_SHA256,
                    null(),
                    0,
                    null(),
                    0,
                    null(),
                    0,
                    big.as_mut_ptr(),
                    8161
                ),
                R::InvalidLength
            );
            assert_eq!(
                gamecrypt_hkdf_derive(
                    GAMECRYPT_HASH_SHA256,
                    null(),
                    0,
                    null(),
                    0,
                    null(),
                    0,
                    big.as_mut_ptr(),
                    0
                ),
                R::InvalidLength
            );
            assert_eq!(
                gamecrypt_hkdf_expand(
                    GAMECRYPT_HASH_SHA256,
                    prk.as_ptr(),
                    31,
                    null(),
                    0,
                    big.as_mut_ptr(),
                    32
                ),
                R::InvalidLength
            );
            assert_eq!(
                gamecrypt_hkdf_expand(
                    GAMECRYPT_HASH_SHA256,
                    null(),
                    0,
                    null(),
                    0,
                    big.as_mut_ptr(),
                    32
                ),
                R::InvalidLength
            );
            assert_eq!(
                gamecrypt_hkdf_expand(
                    GAMECRYPT_HASH_SHA256,
                    prk.as_ptr(),
                    32,
                    null(),
                    0,
                    null_mut(),
                    32
                ),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_hkdf_expand(0, prk.as_ptr(), 32, null(), 0, big.as_mut_ptr(), 32),
                R::InvalidArgument
            );
            assert_eq!(
                gamecrypt_hkdf_derive(
                    GAMECRYPT_HASH_SHA256,
                    null(),
                    1,
                    null(),
                    0,
                    null(),
                    0,
                    big.as_mut_ptr(),
                    32
                ),
                R::NullArgument
            );
            // Extract: too small.
            let mut small = [0x33u8; 20];
            assert_eq!(
                gamecrypt_hkdf_extract(
                    GAMECRYPT_HASH_SHA384,
                    null(),
                    0,
                    null(),
                    0,
                    small.as_mut_ptr(),
                    20,
                    &mut len
                ),
                R::BufferTooSmall
            );
            assert_eq!(len, 48);
            assert_eq!(small, [0x33u8; 20]);
            // Output overlapping an input.
            let p = big.as_mut_ptr();
            assert_eq!(
                gamecrypt_hkdf_derive(
                    GAMECRYPT_HASH_SHA256,
                    p,
                    16,
                    null(),
                    0,
                    null(),
                    0,
                    p.add(8),
                    32
                ),
                R::InvalidArgument
            );
        }
    }

    // RFC 7914 §11 first PBKDF2-HMAC-SHA256 vector.
    #[test]
    fn pbkdf2() {
        unsafe {
            let want = hex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
            let mut out = vec![0u8; 64];
            assert_eq!(
                gamecrypt_pbkdf2_sha256_derive(
                    b"passwd".as_ptr(),
                    6,
                    b"salt".as_ptr(),
                    4,
                    1,
                    out.as_mut_ptr(),
                    64
                ),
                R::Ok
            );
            assert_eq!(out, want);
            let mut out2 = [0xEEu8; 16];
            assert_eq!(
                gamecrypt_pbkdf2_sha256_derive(
                    b"passwd".as_ptr(),
                    6,
                    b"salt".as_ptr(),
                    4,
                    0,
                    out2.as_mut_ptr(),
                    16
                ),
                R::InvalidArgument
            );
            assert_eq!(out2, [0xEE; 16]);
            assert_eq!(
                gamecrypt_pbkdf2_sha256_derive(
                    b"passwd".as_ptr(),
                    6,
                    b"salt".as_ptr(),
                    4,
                    1,
                    out2.as_mut_ptr(),
                    0
                ),
                R::InvalidLength
            );
            assert_eq!(
                gamecrypt_pbkdf2_sha256_derive(
                    null(),
                    6,
                    b"salt".as_ptr(),
                    4,
                    1,
                    out2.as_mut_ptr(),
                    16
                ),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_pbkdf2_sha256_derive(
                    b"passwd".as_ptr(),
                    6,
                    b"salt".as_ptr(),
                    4,
                    1,
                    null_mut(),
                    16
                ),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_pbkdf2_sha256_derive(null(), 0, null(), 0, 1, out2.as_mut_ptr(), 16),
                R::Ok
            );
        }
    }

    #[test]
    fn constant_time_eq() {
        unsafe {
            let eq = |a: &[u8], b: &[u8]| {
                gamecrypt_constant_time_eq(a.as_ptr(), a.len(), b.as_ptr(), b.len())
            };
            assert!(eq(b"secret", b"secret"));
            assert!(!eq(b"secret", b"secreT"));
            assert!(!eq(b"secret", b"secre"));
            assert!(!eq(b"", b"x"));
            assert!(gamecrypt_constant_time_eq(null(), 0, null(), 0));
            assert!(!gamecrypt_constant_time_eq(null(), 3, null(), 3));
            assert!(!gamecrypt_constant_time_eq(b"abc".as_ptr(), 3, null(), 3));
        }
    }
}
