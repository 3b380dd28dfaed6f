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
