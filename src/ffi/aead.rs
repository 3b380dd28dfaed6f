//! C ABI for AEAD keys, sealed boxes and password boxes. Byte layout: `docs/FORMATS.md`.

use super::{ffi_result, gamecrypt_result, input, out_ptr, panic_boundary, Handle, OutBuf};
use crate::aead::{self as core_aead, AeadAlgorithm, AeadKey, BoxInfo};
use crate::error::Error;

/// An AEAD algorithm: one of the `GAMECRYPT_AEAD_*` constants. Always chosen explicitly; 0 and
/// unknown values are INVALID_ARGUMENT.
pub type gamecrypt_aead = u32;

/// AES-256-GCM: the recommended default (hardware-accelerated on desktop, console and most
/// mobile CPUs). Also the algorithm byte `1` in a box header.
pub const GAMECRYPT_AEAD_AES_256_GCM: gamecrypt_aead = 1;
/// ChaCha20-Poly1305: for CPUs without AES instructions. Also the algorithm byte `2` in a box
/// header.
pub const GAMECRYPT_AEAD_CHACHA20_POLY1305: gamecrypt_aead = 2;

/// AEAD key length in bytes (both algorithms).
pub const GAMECRYPT_AEAD_KEY_LEN: usize = 32;
/// AEAD nonce length in bytes (both algorithms).
pub const GAMECRYPT_AEAD_NONCE_LEN: usize = 12;
/// AEAD tag length in bytes (both algorithms).
pub const GAMECRYPT_AEAD_TAG_LEN: usize = 16;
/// Bytes a key box adds to its plaintext (8-byte header + nonce + tag): a box of an n-byte
/// plaintext is n + 36 bytes.
pub const GAMECRYPT_BOX_OVERHEAD: usize = 36;
/// Bytes a password box adds to its plaintext (28-byte header with PBKDF2 salt and iteration
/// count + nonce + tag): a password box of an n-byte plaintext is n + 56 bytes.
pub const GAMECRYPT_PASSWORD_BOX_OVERHEAD: usize = 56;
/// Length of the PBKDF2 salt in a password box, and the shortest salt
/// gamecrypt_aead_key_from_password() accepts.
pub const GAMECRYPT_PASSWORD_SALT_LEN: usize = 16;
/// The largest PBKDF2 iteration count of a password box: sealing with more is
/// INVALID_ARGUMENT, opening a box that claims more is BOX_UNSUPPORTED (so a hostile file
/// cannot make the game spin).
pub const GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS: u32 = 10_000_000;

// The header constants are literals (cbindgen cannot evaluate paths); they must equal the core.
const _: () = assert!(GAMECRYPT_AEAD_KEY_LEN == core_aead::KEY_LEN);
const _: () = assert!(GAMECRYPT_AEAD_NONCE_LEN == core_aead::NONCE_LEN);
const _: () = assert!(GAMECRYPT_AEAD_TAG_LEN == core_aead::TAG_LEN);
const _: () = assert!(GAMECRYPT_BOX_OVERHEAD == core_aead::BOX_OVERHEAD);
const _: () = assert!(GAMECRYPT_PASSWORD_BOX_OVERHEAD == core_aead::PASSWORD_BOX_OVERHEAD);
const _: () = assert!(GAMECRYPT_PASSWORD_SALT_LEN == core_aead::PASSWORD_SALT_LEN);
const _: () =
    assert!(GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS == core_aead::PASSWORD_BOX_MAX_ITERATIONS);
const _: () = assert!(GAMECRYPT_AEAD_AES_256_GCM == AeadAlgorithm::Aes256Gcm as u32);
const _: () = assert!(GAMECRYPT_AEAD_CHACHA20_POLY1305 == AeadAlgorithm::ChaCha20Poly1305 as u32);

/// A symmetric key for sealed boxes and raw AEAD (AES-256-GCM or ChaCha20-Poly1305).
///
/// Made by gamecrypt_aead_key_from_bytes(), gamecrypt_aead_key_generate() or
/// gamecrypt_aead_key_from_password(); freed by gamecrypt_aead_key_free(), which zeroes the key.
/// Immutable: one key may seal and open from many threads at once.
#[derive(Debug)]
pub struct gamecrypt_aead_key {
    _private: [u8; 0],
}

impl Handle for gamecrypt_aead_key {
    type Inner = AeadKey;
}

// ---------------------------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------------------------

/// GAMECRYPT_AEAD_KEY_LEN (32).
#[no_mangle]
pub extern "C" fn gamecrypt_aead_key_len() -> usize {
    panic_boundary(GAMECRYPT_AEAD_KEY_LEN, || GAMECRYPT_AEAD_KEY_LEN)
}

/// GAMECRYPT_AEAD_NONCE_LEN (12).
#[no_mangle]
pub extern "C" fn gamecrypt_aead_nonce_len() -> usize {
    panic_boundary(GAMECRYPT_AEAD_NONCE_LEN, || GAMECRYPT_AEAD_NONCE_LEN)
}

/// GAMECRYPT_AEAD_TAG_LEN (16).
#[no_mangle]
pub extern "C" fn gamecrypt_aead_tag_len() -> usize {
    panic_boundary(GAMECRYPT_AEAD_TAG_LEN, || GAMECRYPT_AEAD_TAG_LEN)
}

/// GAMECRYPT_BOX_OVERHEAD (36): a key box is this much longer than its plaintext.
#[no_mangle]
pub extern "C" fn gamecrypt_box_overhead() -> usize {
    panic_boundary(GAMECRYPT_BOX_OVERHEAD, || GAMECRYPT_BOX_OVERHEAD)
}

/// GAMECRYPT_PASSWORD_BOX_OVERHEAD (56): a password box is this much longer than its
/// plaintext.
#[no_mangle]
pub extern "C" fn gamecrypt_password_box_overhead() -> usize {
    panic_boundary(GAMECRYPT_PASSWORD_BOX_OVERHEAD, || {
        GAMECRYPT_PASSWORD_BOX_OVERHEAD
    })
}

/// GAMECRYPT_PASSWORD_SALT_LEN (16).
#[no_mangle]
pub extern "C" fn gamecrypt_password_salt_len() -> usize {
    panic_boundary(GAMECRYPT_PASSWORD_SALT_LEN, || GAMECRYPT_PASSWORD_SALT_LEN)
}

/// GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS (10 000 000).
#[no_mangle]
pub extern "C" fn gamecrypt_password_box_max_iterations() -> u32 {
    panic_boundary(GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS, || {
        GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS
    })
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/// Makes a key for `alg` from `key[0..key_len]` (exactly GAMECRYPT_AEAD_KEY_LEN bytes, which
/// are copied; the caller should zero its copy) and writes it to `*out`.
///
/// The caller owns the key and frees it with gamecrypt_aead_key_free().
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`), INVALID_LENGTH (`key_len` is
/// not 32).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_aead_key_from_bytes(
    alg: gamecrypt_aead,
    key: *const u8,
    key_len: usize,
    out: *mut *mut gamecrypt_aead_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: a non-NULL `out` is writable; `key` is readable.
        let out = unsafe { out_ptr(out) }?;
        let key = unsafe { input(key, key_len) }?;
        let alg = AeadAlgorithm::from_code(alg)?;
        *out = gamecrypt_aead_key::into_raw(AeadKey::from_bytes(alg, key)?);
        Ok(())
    })
}

/// Makes a fresh random key for `alg` and writes it to `*out`.
///
/// The key cannot be exported: it suits data that lives only as long as the process (a
/// temporary cache). To keep a key across runs, make GAMECRYPT_AEAD_KEY_LEN bytes with
/// gamecrypt_random_bytes(), store them safely and use gamecrypt_aead_key_from_bytes().
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`), RANDOM_FAILED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_aead_key_generate(
    alg: gamecrypt_aead,
    out: *mut *mut gamecrypt_aead_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: a non-NULL `out` is writable.
        let out = unsafe { out_ptr(out) }?;
        let alg = AeadAlgorithm::from_code(alg)?;
        *out = gamecrypt_aead_key::into_raw(AeadKey::generate(alg)?);
        Ok(())
    })
}

/// Derives a key for `alg` from a password: PBKDF2-HMAC-SHA256(password, salt, iterations,
/// 32 bytes), and writes it to `*out`.
///
/// The caller must store the salt (random, at least GAMECRYPT_PASSWORD_SALT_LEN bytes) and the
/// iteration count (GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS for new data) to make the same key
/// again. gamecrypt_box_seal_with_password() does all that for you and is usually the better
/// choice; this function suits sealing many boxes with one password-derived key. Takes time in
/// proportion to `iterations`: call it off the main thread.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, empty password, `iterations`
/// 0), INVALID_LENGTH (salt shorter than 16 bytes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_aead_key_from_password(
    alg: gamecrypt_aead,
    password: *const u8,
    password_len: usize,
    salt: *const u8,
    salt_len: usize,
    iterations: u32,
    out: *mut *mut gamecrypt_aead_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: a non-NULL `out` is writable; the inputs are readable.
        let out = unsafe { out_ptr(out) }?;
        let password = unsafe { input(password, password_len) }?;
        let salt = unsafe { input(salt, salt_len) }?;
        let alg = AeadAlgorithm::from_code(alg)?;
        let key = AeadKey::from_password(alg, password, salt, iterations)?;
        *out = gamecrypt_aead_key::into_raw(key);
        Ok(())
    })
}

/// The algorithm of `key` (a `GAMECRYPT_AEAD_*` constant), or 0 if `key` is NULL.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_aead_key_algorithm(
    key: *const gamecrypt_aead_key,
) -> gamecrypt_aead {
    panic_boundary(0, || {
        // SAFETY: `key` is NULL or a live key.
        match unsafe { gamecrypt_aead_key::try_ref(key) } {
            Ok(key) => key.algorithm() as u32,
            Err(_) => 0,
        }
    })
}

/// Frees a key; its key material is zeroed. NULL is ignored. No other thread may be using the
/// key.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_aead_key_free(key: *mut gamecrypt_aead_key) {
    panic_boundary((), || {
        // SAFETY: `key` is NULL or a key from a gamecrypt_aead_key constructor, freed once.
        unsafe { gamecrypt_aead_key::free(key) }
    })
}

// ---------------------------------------------------------------------------------------------
// Boxes
// ---------------------------------------------------------------------------------------------

/// Seals `plaintext` into a self-describing box (header || random nonce || ciphertext || tag;
/// see docs/FORMATS.md) and writes it to `out`.
///
/// The box is exactly `plaintext_len + GAMECRYPT_BOX_OVERHEAD` bytes. `ad` (associated data,
/// may be empty) is authenticated but not stored: give the same bytes to
/// gamecrypt_aead_key_open() (e.g. the save slot name, so a box cannot be moved to another
/// slot). The nonce is random; one key should seal at most 2^32 boxes. Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (`out` overlaps an input), INVALID_LENGTH
/// (plaintext over 2^36 - 32 bytes), BUFFER_TOO_SMALL (needed length in `*out_len`),
/// RANDOM_FAILED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_aead_key_seal(
    key: *const gamecrypt_aead_key,
    plaintext: *const u8,
    plaintext_len: usize,
    ad: *const u8,
    ad_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `key` is NULL or a live key; the inputs are readable, the outputs writable.
        let key = unsafe { gamecrypt_aead_key::try_ref(key) }?;
        let plaintext = unsafe { input(plaintext, plaintext_len) }?;
        let ad = unsafe { input(ad, ad_len) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[plaintext, ad]) }?;
        let len = core_aead::box_len(plaintext.len())?;
        out.write_with(len, |buf| key.seal_into(plaintext, ad, buf))
    })
}

/// Opens a box made by gamecrypt_aead_key_seal() with this key and the same `ad`, and writes
/// the plaintext (`box_len - GAMECRYPT_BOX_OVERHEAD` bytes) to `out`.
///
/// No plaintext is written unless the box is authentic (on failure `out` may have been
/// zeroed; `*out_len` is not written). `out` must not overlap the box. No allocation (with up
/// to 480 bytes of `ad`). Thread-safe.
///
/// Returns OK; OPEN_FAILED (wrong key, wrong `ad`, or the box was changed); BOX_MALFORMED
/// (truncated, or not a gamecrypt box); BOX_UNSUPPORTED (unknown version or algorithm);
/// BOX_KEY_MISMATCH (a box of the other algorithm, e.g. a ChaCha20-Poly1305 box given to an
/// AES-256-GCM key, or a password box); BUFFER_TOO_SMALL (needed length in `*out_len`);
/// NULL_ARGUMENT; INVALID_ARGUMENT (`out` overlaps an input).
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_aead_key_open(
    key: *const gamecrypt_aead_key,
    sealed: *const u8,
    sealed_len: usize,
    ad: *const u8,
    ad_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `key` is NULL or a live key; the inputs are readable, the outputs writable.
        let key = unsafe { gamecrypt_aead_key::try_ref(key) }?;
        let sealed = unsafe { input(sealed, sealed_len) }?;
        let ad = unsafe { input(ad, ad_len) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[sealed, ad]) }?;
        let needed = || BoxInfo::parse(sealed).map_or(0, |info| info.plaintext_len);
        out.fill(needed, |buf| key.open_into(sealed, ad, buf))
    })
}

/// Seals `plaintext` with a password into a password box, whose header also stores a fresh
/// random PBKDF2 salt and `iterations`, so gamecrypt_box_open_with_password() needs only the
/// password (and `ad`). Writes `plaintext_len + GAMECRYPT_PASSWORD_BOX_OVERHEAD` bytes to `out`.
///
/// The key is PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes); use
/// GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS (600 000). Every call runs PBKDF2, so it takes as
/// long as one password check: call it off the main thread. `ad` as for
/// gamecrypt_aead_key_seal(). Thread-safe.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown `alg`, empty password, `iterations` 0
/// or above GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS, `out` overlaps an input), INVALID_LENGTH,
/// BUFFER_TOO_SMALL (needed length in `*out_len`, checked before any PBKDF2 work),
/// RANDOM_FAILED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_box_seal_with_password(
    alg: gamecrypt_aead,
    password: *const u8,
    password_len: usize,
    iterations: u32,
    plaintext: *const u8,
    plaintext_len: usize,
    ad: *const u8,
    ad_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the inputs are readable, the outputs writable.
        let password = unsafe { input(password, password_len) }?;
        let plaintext = unsafe { input(plaintext, plaintext_len) }?;
        let ad = unsafe { input(ad, ad_len) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[password, plaintext, ad]) }?;
        let alg = AeadAlgorithm::from_code(alg)?;
        core_aead::check_password_args(password, iterations)?;
        let len = core_aead::password_box_len(plaintext.len())?;
        out.write_with(len, |buf| {
            core_aead::seal_with_password_into(alg, password, iterations, plaintext, ad, buf)
        })
    })
}

/// Opens a password box made by gamecrypt_box_seal_with_password() with the same password and
/// `ad`, and writes the plaintext (`box_len - GAMECRYPT_PASSWORD_BOX_OVERHEAD` bytes) to `out`.
///
/// Runs PBKDF2 with the count stored in the box, which is at most
/// GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS (a box claiming more is refused before any work).
/// Nothing is written unless the box is authentic. Thread-safe.
///
/// Returns OK; OPEN_FAILED (wrong password, wrong `ad`, or the box was changed);
/// BOX_MALFORMED (truncated, not a gamecrypt box, iteration count 0); BOX_UNSUPPORTED (unknown
/// version or algorithm, iteration count above the bound); BOX_KEY_MISMATCH (a key box, which
/// needs gamecrypt_aead_key_open()); BUFFER_TOO_SMALL (needed length in `*out_len`, checked
/// before any PBKDF2 work); INVALID_ARGUMENT (empty password, `out` overlaps an input);
/// NULL_ARGUMENT.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_box_open_with_password(
    password: *const u8,
    password_len: usize,
    sealed: *const u8,
    sealed_len: usize,
    ad: *const u8,
    ad_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: the inputs are readable, the outputs writable.
        let password = unsafe { input(password, password_len) }?;
        let sealed = unsafe { input(sealed, sealed_len) }?;
        let ad = unsafe { input(ad, ad_len) }?;
        let mut out = unsafe { OutBuf::new(out, out_cap, out_len, &[password, sealed, ad]) }?;
        let info = BoxInfo::parse(sealed)?;
        core_aead::check_password_box(&info)?;
        if password.is_empty() {
            return Err(Error::InvalidArgument);
        }
        out.reserve(info.plaintext_len)?;
        let plaintext = core_aead::open_with_password(password, sealed, ad)?;
        out.write(&plaintext)
    })
}

// ---------------------------------------------------------------------------------------------
// Raw AEAD
// ---------------------------------------------------------------------------------------------

/// Raw AEAD open, for data sealed by another system: `ciphertext_and_tag` is the ciphertext
/// followed by the 16-byte tag, with the explicit 12-byte `nonce` and associated data `ad`.
/// Writes the plaintext (`ciphertext_and_tag_len - 16` bytes) to `out`.
///
/// No plaintext is written unless the data is authentic (on failure `out` may have been
/// zeroed). No allocation. For gamecrypt's own data use boxes
/// (gamecrypt_aead_key_open()). Thread-safe.
///
/// Returns OK, OPEN_FAILED (does not authenticate, or shorter than a tag), INVALID_LENGTH
/// (`nonce_len` is not 12), BUFFER_TOO_SMALL (needed length in `*out_len`), NULL_ARGUMENT,
/// INVALID_ARGUMENT (`out` overlaps an input).
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_aead_key_open_with_nonce(
    key: *const gamecrypt_aead_key,
    nonce: *const u8,
    nonce_len: usize,
    ad: *const u8,
    ad_len: usize,
    ciphertext_and_tag: *const u8,
    ciphertext_and_tag_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `key` is NULL or a live key; the inputs are readable, the outputs writable.
        let key = unsafe { gamecrypt_aead_key::try_ref(key) }?;
        let nonce = unsafe { input(nonce, nonce_len) }?;
        let ad = unsafe { input(ad, ad_len) }?;
        let ct = unsafe { input(ciphertext_and_tag, ciphertext_and_tag_len) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[nonce, ad, ct]) }?;
        out.fill(
            || ct.len().saturating_sub(GAMECRYPT_AEAD_TAG_LEN),
            |buf| key.open_with_nonce_into(nonce, ad, ct, buf),
        )
    })
}

/// DANGEROUS: raw AEAD seal with a nonce that the caller chooses. Writes `ciphertext || tag`
/// (`plaintext_len + 16` bytes) to `out`.
///
/// **Never use the same nonce twice with the same key.** A repeated nonce reveals the XOR of
/// the two plaintexts and, for both AES-GCM and ChaCha20-Poly1305, lets an attacker forge new
/// messages under that key. Only use this to produce data for another system whose protocol
/// fixes the nonce (e.g. a counter you are sure never repeats). For data at rest, use
/// gamecrypt_aead_key_seal(), which picks a random nonce and needs no care. Thread-safe.
///
/// Returns OK, INVALID_LENGTH (`nonce_len` is not 12, or plaintext too long),
/// BUFFER_TOO_SMALL (needed length in `*out_len`), NULL_ARGUMENT, INVALID_ARGUMENT (`out`
/// overlaps an input).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_aead_key_seal_with_nonce_dangerous(
    key: *const gamecrypt_aead_key,
    nonce: *const u8,
    nonce_len: usize,
    ad: *const u8,
    ad_len: usize,
    plaintext: *const u8,
    plaintext_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `key` is NULL or a live key; the inputs are readable, the outputs writable.
        let key = unsafe { gamecrypt_aead_key::try_ref(key) }?;
        let nonce = unsafe { input(nonce, nonce_len) }?;
        let ad = unsafe { input(ad, ad_len) }?;
        let plaintext = unsafe { input(plaintext, plaintext_len) }?;
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[nonce, ad, plaintext]) }?;
        if nonce.len() != GAMECRYPT_AEAD_NONCE_LEN {
            return Err(Error::InvalidLength);
        }
        let len = AeadKey::raw_sealed_len(plaintext.len())?;
        out.write_with(len, |buf| {
            key.seal_with_nonce_dangerous_into(nonce, ad, plaintext, buf)
        })
    })
}
