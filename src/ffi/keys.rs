//! C ABI for keys: signing keys, public keys, signatures and fingerprints.
//!
//! Two handles, both immutable once created and therefore usable from many threads at once:
//! `gamecrypt_signing_key` (a private key) and `gamecrypt_public_key`. Key types and signature
//! formats are `uint32_t` values with named constants; their numbers are those of
//! [`crate::keys::KeyType`] and [`crate::keys::SignatureFormat`].

use super::{
    ffi_result, gamecrypt_result, input, out_ptr, panic_boundary, write_fixed, Handle, OutBuf,
};
use crate::keys::{self, KeyType, PublicKey, SignatureFormat, SigningKey};
use std::os::raw::c_char;

// ---------------------------------------------------------------------------------------------
// Enumerations passed in from C.

/// A key type: one of the `GAMECRYPT_KEY_TYPE_*` constants. Any other value is
/// `GAMECRYPT_RESULT_INVALID_ARGUMENT`.
pub type gamecrypt_key_type = u32;
/// ECDSA on NIST P-256 with SHA-256: the default choice.
pub const GAMECRYPT_KEY_TYPE_ECDSA_P256: gamecrypt_key_type = 1;
/// ECDSA on NIST P-384 with SHA-384.
pub const GAMECRYPT_KEY_TYPE_ECDSA_P384: gamecrypt_key_type = 2;
/// Ed25519.
pub const GAMECRYPT_KEY_TYPE_ED25519: gamecrypt_key_type = 3;
/// RSA, 2048 to 8192 bits: import, sign and verify only (no generation, no raw form).
pub const GAMECRYPT_KEY_TYPE_RSA: gamecrypt_key_type = 4;

/// A signature encoding: one of the `GAMECRYPT_SIGNATURE_*` constants. Any other value is
/// `GAMECRYPT_RESULT_INVALID_ARGUMENT`; a format that does not fit the key's type is
/// `GAMECRYPT_RESULT_WRONG_KEY_TYPE`.
pub type gamecrypt_signature_format = u32;
/// The key's natural format: DER for ECDSA, the only format for Ed25519, PKCS#1 v1.5 with
/// SHA-256 for RSA.
pub const GAMECRYPT_SIGNATURE_DEFAULT: gamecrypt_signature_format = 0;
/// ECDSA only: ASN.1 DER `SEQUENCE { r, s }`, variable length (what OpenSSL writes).
pub const GAMECRYPT_SIGNATURE_ECDSA_DER: gamecrypt_signature_format = 1;
/// ECDSA only: fixed-length `r || s` (IEEE P1363, what JWS and WebCrypto use).
pub const GAMECRYPT_SIGNATURE_ECDSA_FIXED: gamecrypt_signature_format = 2;
/// RSA only: PKCS#1 v1.5 with SHA-256.
pub const GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256: gamecrypt_signature_format = 3;
/// RSA only: PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
pub const GAMECRYPT_SIGNATURE_RSA_PSS_SHA256: gamecrypt_signature_format = 4;

const _: () = {
    assert!(GAMECRYPT_KEY_TYPE_ECDSA_P256 == KeyType::EcdsaP256 as u32);
    assert!(GAMECRYPT_KEY_TYPE_ECDSA_P384 == KeyType::EcdsaP384 as u32);
    assert!(GAMECRYPT_KEY_TYPE_ED25519 == KeyType::Ed25519 as u32);
    assert!(GAMECRYPT_KEY_TYPE_RSA == KeyType::Rsa as u32);
    assert!(GAMECRYPT_SIGNATURE_DEFAULT == SignatureFormat::Default as u32);
    assert!(GAMECRYPT_SIGNATURE_ECDSA_DER == SignatureFormat::EcdsaDer as u32);
    assert!(GAMECRYPT_SIGNATURE_ECDSA_FIXED == SignatureFormat::EcdsaFixed as u32);
    assert!(GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256 == SignatureFormat::RsaPkcs1Sha256 as u32);
    assert!(GAMECRYPT_SIGNATURE_RSA_PSS_SHA256 == SignatureFormat::RsaPssSha256 as u32);
};

// ---------------------------------------------------------------------------------------------
// Sizes.

/// Length of a public key fingerprint (SHA-256 of its SubjectPublicKeyInfo DER).
/// Same as `gamecrypt_public_key_fingerprint_len()`.
pub const GAMECRYPT_FINGERPRINT_LEN: usize = 32;
/// Raw Ed25519 public key. Same as `gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ED25519)`.
pub const GAMECRYPT_ED25519_PUBLIC_KEY_LEN: usize = 32;
/// Uncompressed P-256 point (0x04 || x || y).
/// Same as `gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P256)`.
pub const GAMECRYPT_P256_PUBLIC_KEY_LEN: usize = 65;
/// Compressed P-256 point (0x02 or 0x03 || x).
/// Same as `gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ECDSA_P256)`.
pub const GAMECRYPT_P256_COMPRESSED_PUBLIC_KEY_LEN: usize = 33;
/// Uncompressed P-384 point. Same as `gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P384)`.
pub const GAMECRYPT_P384_PUBLIC_KEY_LEN: usize = 97;
/// Compressed P-384 point.
/// Same as `gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ECDSA_P384)`.
pub const GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN: usize = 49;
/// Ed25519 signature (always exactly this long).
/// Same as `gamecrypt_signature_max_len(GAMECRYPT_KEY_TYPE_ED25519, GAMECRYPT_SIGNATURE_DEFAULT)`.
pub const GAMECRYPT_ED25519_SIGNATURE_LEN: usize = 64;
/// P-256 signature in `GAMECRYPT_SIGNATURE_ECDSA_FIXED` form (always exactly this long).
pub const GAMECRYPT_P256_FIXED_SIGNATURE_LEN: usize = 64;
/// P-384 signature in `GAMECRYPT_SIGNATURE_ECDSA_FIXED` form (always exactly this long).
pub const GAMECRYPT_P384_FIXED_SIGNATURE_LEN: usize = 96;
/// Largest P-256 signature in `GAMECRYPT_SIGNATURE_ECDSA_DER` form (they vary in length).
pub const GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN: usize = 72;
/// Largest P-384 signature in `GAMECRYPT_SIGNATURE_ECDSA_DER` form (they vary in length).
pub const GAMECRYPT_P384_MAX_DER_SIGNATURE_LEN: usize = 104;
/// Largest signature of any supported key (RSA-8192): a buffer this large always fits.
/// Same as `gamecrypt_signature_max_len_any()`.
pub const GAMECRYPT_MAX_SIGNATURE_LEN: usize = 1024;

const _: () = {
    assert!(GAMECRYPT_FINGERPRINT_LEN == keys::FINGERPRINT_LEN);
    assert!(GAMECRYPT_ED25519_PUBLIC_KEY_LEN == keys::ED25519_PUBLIC_KEY_LEN);
    assert!(GAMECRYPT_P256_PUBLIC_KEY_LEN == keys::P256_PUBLIC_KEY_LEN);
    assert!(GAMECRYPT_P256_COMPRESSED_PUBLIC_KEY_LEN == keys::P256_COMPRESSED_PUBLIC_KEY_LEN);
    assert!(GAMECRYPT_P384_PUBLIC_KEY_LEN == keys::P384_PUBLIC_KEY_LEN);
    assert!(GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN == keys::P384_COMPRESSED_PUBLIC_KEY_LEN);
    assert!(GAMECRYPT_ED25519_SIGNATURE_LEN == keys::ED25519_SIGNATURE_LEN);
    assert!(GAMECRYPT_P256_FIXED_SIGNATURE_LEN == keys::P256_FIXED_SIGNATURE_LEN);
    assert!(GAMECRYPT_P384_FIXED_SIGNATURE_LEN == keys::P384_FIXED_SIGNATURE_LEN);
    assert!(GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN == keys::P256_MAX_DER_SIGNATURE_LEN);
    assert!(GAMECRYPT_P384_MAX_DER_SIGNATURE_LEN == keys::P384_MAX_DER_SIGNATURE_LEN);
    assert!(GAMECRYPT_MAX_SIGNATURE_LEN == keys::MAX_SIGNATURE_LEN);
};

/// `GAMECRYPT_FINGERPRINT_LEN`, for languages that cannot read macros.
#[no_mangle]
pub extern "C" fn gamecrypt_public_key_fingerprint_len() -> usize {
    panic_boundary(GAMECRYPT_FINGERPRINT_LEN, || GAMECRYPT_FINGERPRINT_LEN)
}

/// Length of the raw public key of `key_type`: the uncompressed point for ECDSA
/// (`GAMECRYPT_P256_PUBLIC_KEY_LEN`, `GAMECRYPT_P384_PUBLIC_KEY_LEN`), 32 for Ed25519.
/// Returns 0 for RSA (no raw form) and for unknown types.
#[no_mangle]
pub extern "C" fn gamecrypt_public_key_raw_len(key_type: gamecrypt_key_type) -> usize {
    panic_boundary(0, || match KeyType::from_code(key_type) {
        Ok(KeyType::EcdsaP256) => GAMECRYPT_P256_PUBLIC_KEY_LEN,
        Ok(KeyType::EcdsaP384) => GAMECRYPT_P384_PUBLIC_KEY_LEN,
        Ok(KeyType::Ed25519) => GAMECRYPT_ED25519_PUBLIC_KEY_LEN,
        _ => 0,
    })
}

/// Length of the compressed point of an ECDSA `key_type`
/// (`GAMECRYPT_P256_COMPRESSED_PUBLIC_KEY_LEN`, `GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN`).
/// Returns 0 for the other types (they have no compressed form) and for unknown types.
#[no_mangle]
pub extern "C" fn gamecrypt_public_key_raw_compressed_len(key_type: gamecrypt_key_type) -> usize {
    panic_boundary(0, || match KeyType::from_code(key_type) {
        Ok(KeyType::EcdsaP256) => GAMECRYPT_P256_COMPRESSED_PUBLIC_KEY_LEN,
        Ok(KeyType::EcdsaP384) => GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN,
        _ => 0,
    })
}

/// The largest signature a key of `key_type` makes in `format` (exact for Ed25519 and
/// `GAMECRYPT_SIGNATURE_ECDSA_FIXED`; for RSA the largest supported modulus, 1024 bytes: use
/// `gamecrypt_signing_key_max_signature_len()` for the exact size of one key). Returns 0 for
/// unknown values and for a format that does not fit the type.
#[no_mangle]
pub extern "C" fn gamecrypt_signature_max_len(
    key_type: gamecrypt_key_type,
    format: gamecrypt_signature_format,
) -> usize {
    panic_boundary(0, || {
        let kt = KeyType::from_code(key_type);
        let f = SignatureFormat::from_code(format);
        match (kt, f) {
            (Ok(kt), Ok(f)) => keys::max_signature_len(kt, f).unwrap_or(0),
            _ => 0,
        }
    })
}

/// `GAMECRYPT_MAX_SIGNATURE_LEN`: a buffer of this size holds any gamecrypt signature.
#[no_mangle]
pub extern "C" fn gamecrypt_signature_max_len_any() -> usize {
    panic_boundary(GAMECRYPT_MAX_SIGNATURE_LEN, || GAMECRYPT_MAX_SIGNATURE_LEN)
}

// ---------------------------------------------------------------------------------------------
// Handles.

/// A private key that signs: ECDSA P-256, ECDSA P-384, Ed25519 or RSA.
///
/// Created by `gamecrypt_signing_key_generate()`, `gamecrypt_signing_key_from_der()` or
/// `gamecrypt_signing_key_from_pem()`; freed exactly once with `gamecrypt_signing_key_free()`,
/// which zeroes the key material.
///
/// Thread rules: the key never changes after creation, so one handle may be used by any
/// number of threads at the same time (sign, export, ...). Only the free must not race with
/// other uses of the handle.
#[derive(Debug)]
pub struct gamecrypt_signing_key {
    _private: [u8; 0],
}

impl Handle for gamecrypt_signing_key {
    type Inner = SigningKey;
}

/// A public key that verifies signatures: ECDSA P-256, ECDSA P-384, Ed25519 or RSA.
///
/// Created by `gamecrypt_public_key_from_spki_der()`, `gamecrypt_public_key_from_pem()`,
/// `gamecrypt_public_key_from_raw()` or `gamecrypt_signing_key_public_key()`; freed exactly
/// once with `gamecrypt_public_key_free()`.
///
/// Thread rules: immutable; one handle may be used by any number of threads at the same time.
/// Only the free must not race with other uses of the handle.
#[derive(Debug)]
pub struct gamecrypt_public_key {
    _private: [u8; 0],
}

impl Handle for gamecrypt_public_key {
    type Inner = PublicKey;
}

/// Stores a new handle in `*out` (already checked non-NULL).
fn put<H: Handle>(out: &mut *mut H, inner: H::Inner) {
    *out = H::into_raw(inner);
}

// ---------------------------------------------------------------------------------------------
// Signing keys.

/// Generates a new signing key of `key_type` (ECDSA P-256, ECDSA P-384 or Ed25519) from the
/// system random generator and stores its handle in `*out`.
///
/// The caller owns the new handle and frees it with `gamecrypt_signing_key_free()`.
/// Safe to call from any thread.
///
/// Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT` (out is NULL), `INVALID_ARGUMENT` (unknown
/// key type), `UNSUPPORTED_ALGORITHM` (RSA: import RSA keys instead), `RANDOM_FAILED`.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_generate(
    key_type: gamecrypt_key_type,
    out: *mut *mut gamecrypt_signing_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: `out` is NULL or writable by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        let key = SigningKey::generate(KeyType::from_code(key_type)?)?;
        put(out, key);
        Ok(())
    })
}

/// Imports an unencrypted private key in DER and stores its handle in `*out`. The encoding is
/// detected: PKCS#8 `PrivateKeyInfo` v1 or v2 (`openssl genpkey`) of ECDSA P-256/P-384,
/// Ed25519 or RSA; SEC1 `ECPrivateKey` (`openssl ec`, Godot's `CryptoKey`); PKCS#1
/// `RSAPrivateKey`.
///
/// `der` is only read during the call. The caller owns the new handle.
/// Safe to call from any thread.
///
/// Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `KEY_MALFORMED` (not such a key, or its
/// embedded public key does not match); `UNSUPPORTED_ALGORITHM` (another algorithm or curve,
/// e.g. secp256k1, P-521, X25519); `KEY_REJECTED` (RSA below 2048 or above 8192 bits).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_from_der(
    der: *const u8,
    der_len: usize,
    out: *mut *mut gamecrypt_signing_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let der = unsafe { input(der, der_len) }?;
        put(out, SigningKey::from_der(der)?);
        Ok(())
    })
}

/// Imports the first `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY` (SEC1) or `RSA PRIVATE KEY`
/// (PKCS#1) block of a PEM text and stores its handle in `*out`.
///
/// `pem` is `pem_len` bytes of text; it need not be NUL-terminated (a terminating NUL inside
/// `pem_len` is ignored). Text before, between and after blocks is skipped, lines may end in
/// LF or CRLF, and other blocks (e.g. `EC PARAMETERS`) are skipped. At most 1 MiB
/// (1048576 bytes). The caller owns the new handle. Safe to call from any thread.
///
/// Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `PEM_MALFORMED` (no such block, a block
/// without END line, bad base64); `KEY_REJECTED` (an encrypted key: `ENCRYPTED PRIVATE KEY`
/// or `Proc-Type: 4,ENCRYPTED`; decrypt it first, or RSA of an unsupported size);
/// `INVALID_LENGTH` (text over 1 MiB); and the codes of `gamecrypt_signing_key_from_der()`
/// (`KEY_MALFORMED` also when the content does not match the label).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_from_pem(
    pem: *const c_char,
    pem_len: usize,
    out: *mut *mut gamecrypt_signing_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let pem = unsafe { input(pem.cast(), pem_len) }?;
        put(out, SigningKey::from_pem(pem)?);
        Ok(())
    })
}

/// Exports `key` as unencrypted PKCS#8 v1 DER (for every key type), into
/// `(out, out_cap, out_len)`. Call with `out_cap` 0 to learn the length.
///
/// The output is the private key: protect it and wipe it after use (gamecrypt wipes its own
/// copy). Safe to call from any thread, also while others use `key`.
///
/// Returns `GAMECRYPT_RESULT_OK` with the length in `*out_len`; `BUFFER_TOO_SMALL` with the
/// needed length in `*out_len`; `NULL_ARGUMENT`; `INTERNAL`.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_to_pkcs8_der(
    key: *const gamecrypt_signing_key,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        // SAFETY: `key` is NULL or a live handle by the caller's contract.
        let key = unsafe { gamecrypt_signing_key::try_ref(key) }?;
        out.write(&key.to_pkcs8_der()?)
    })
}

/// Exports `key` as a PEM `PRIVATE KEY` block (PKCS#8 v1): ASCII text with 64-column lines,
/// LF line endings and a final newline, into `(out, out_cap, out_len)`.
///
/// No NUL terminator is written: `*out_len` is the length of the text. (To get a C string,
/// pass a buffer one byte larger and set `out[*out_len] = 0` yourself.) Call with `out_cap` 0
/// to learn the length. The output is the private key: protect it and wipe it after use.
/// Safe to call from any thread.
///
/// Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
/// `NULL_ARGUMENT`; `INTERNAL`.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_to_pkcs8_pem(
    key: *const gamecrypt_signing_key,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out.cast(), out_cap, out_len, &[]) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_signing_key::try_ref(key) }?;
        out.write(key.to_pkcs8_pem()?.as_bytes())
    })
}

/// Stores a new handle to the public key of `key` in `*out_public`.
///
/// The new handle is independent of `key` (either may be freed first); the caller owns it and
/// frees it with `gamecrypt_public_key_free()`. Safe to call from any thread.
///
/// Returns `GAMECRYPT_RESULT_OK` or `NULL_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_public_key(
    key: *const gamecrypt_signing_key,
    out_public: *mut *mut gamecrypt_public_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_public) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_signing_key::try_ref(key) }?;
        put(out, key.public_key().clone());
        Ok(())
    })
}

/// Stores the type of `key` (a `GAMECRYPT_KEY_TYPE_*` value) in `*out_type`.
///
/// Returns `GAMECRYPT_RESULT_OK` or `NULL_ARGUMENT`. Safe to call from any thread.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_type(
    key: *const gamecrypt_signing_key,
    out_type: *mut gamecrypt_key_type,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_type) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_signing_key::try_ref(key) }?;
        *out = key.key_type() as gamecrypt_key_type;
        Ok(())
    })
}

/// Stores in `*out_len` the output capacity `gamecrypt_signing_key_sign()` needs for `key` in
/// `format`: the exact length for Ed25519, RSA and `ECDSA_FIXED`, the largest possible for
/// `ECDSA_DER` (whose signatures vary by a few bytes).
///
/// Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `INVALID_ARGUMENT` (unknown format);
/// `WRONG_KEY_TYPE` (the format does not fit the key). Safe to call from any thread.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_max_signature_len(
    key: *const gamecrypt_signing_key,
    format: gamecrypt_signature_format,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_len) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_signing_key::try_ref(key) }?;
        *out = key.max_signature_len(SignatureFormat::from_code(format)?)?;
        Ok(())
    })
}

/// Signs the `msg_len` bytes at `msg` with `key` in `format` and writes the signature to
/// `(out, out_cap, out_len)`.
///
/// The message is hashed inside (SHA-256 for P-256 and RSA, SHA-384 for P-384; Ed25519 signs
/// the message itself); pass the message, not a digest. `out_cap` must be at least
/// `gamecrypt_signing_key_max_signature_len()` (`GAMECRYPT_MAX_SIGNATURE_LEN` always fits),
/// even though a DER signature may come out a few bytes shorter: `*out_len` is its actual
/// length. ECDSA and RSA-PSS signatures are randomized; ECDSA signatures are low-S
/// (s <= n/2). `out` must not overlap `msg`.
/// Safe to call from any thread, also with the same key at the same time.
///
/// A message that begins with one of the session protocol's signature contexts
/// ("gamecrypt session v1 server signature\0", "gamecrypt session v1 client signature\0",
/// "gamecrypt certificate v1\0") is refused with `SIGN_CONTEXT_RESERVED`: a key that signs
/// handshakes can then never be made to sign one through this call (docs/PROTOCOL.md
/// section 15).
///
/// Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed capacity in `*out_len`;
/// `NULL_ARGUMENT`; `INVALID_ARGUMENT` (unknown format, or `out` overlaps `msg`);
/// `WRONG_KEY_TYPE` (the format does not fit the key); `SIGN_CONTEXT_RESERVED`; `INTERNAL`.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_sign(
    key: *const gamecrypt_signing_key,
    msg: *const u8,
    msg_len: usize,
    format: gamecrypt_signature_format,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_signing_key::try_ref(key) }?;
        // SAFETY: by the caller's contract.
        let msg = unsafe { input(msg, msg_len) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[msg]) }?;
        let format = SignatureFormat::from_code(format)?;
        let max = key.max_signature_len(format)?;
        out.write_with(max, |buf| {
            let signature = key.sign(msg, format)?;
            let dst = buf
                .get_mut(..signature.len())
                .ok_or(crate::Error::Internal)?;
            dst.copy_from_slice(&signature);
            Ok(signature.len())
        })
    })
}

/// Frees a signing key and zeroes its key material. NULL is ignored.
///
/// Call it exactly once per handle, after every other use of the handle (in every thread) has
/// returned.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_signing_key_free(key: *mut gamecrypt_signing_key) {
    panic_boundary((), || {
        // SAFETY: NULL or a live handle, freed once, by the caller's contract.
        unsafe { gamecrypt_signing_key::free(key) }
    })
}

// ---------------------------------------------------------------------------------------------
// Public keys.

/// Imports a SubjectPublicKeyInfo DER (what `openssl pkey -pubout -outform DER` writes) and
/// stores its handle in `*out`: ECDSA P-256/P-384 (uncompressed or compressed point),
/// Ed25519, or RSA (`rsaEncryption`, 2048 to 8192 bits).
///
/// The caller owns the new handle and frees it with `gamecrypt_public_key_free()`.
/// Safe to call from any thread.
///
/// Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `KEY_MALFORMED` (not a valid
/// SubjectPublicKeyInfo, or a point not on the curve); `UNSUPPORTED_ALGORITHM` (another
/// algorithm or curve); `KEY_REJECTED` (RSA of an unsupported size); `PUBLIC_KEY_WEAK` (an
/// Ed25519 key of small order or in a non-canonical encoding: signatures can be forged for
/// it, docs/PROTOCOL.md section 3).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_from_spki_der(
    der: *const u8,
    der_len: usize,
    out: *mut *mut gamecrypt_public_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let der = unsafe { input(der, der_len) }?;
        put(out, PublicKey::from_spki_der(der)?);
        Ok(())
    })
}

/// Imports the first `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1) block
/// of a PEM text and stores its handle in `*out`.
///
/// `pem` is `pem_len` bytes of text, not necessarily NUL-terminated; other text and blocks are
/// skipped; at most 1 MiB. The caller owns the new handle. Safe to call from any thread.
///
/// Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `PEM_MALFORMED` (no such block, bad
/// base64); `INVALID_LENGTH` (text over 1 MiB); and the codes of
/// `gamecrypt_public_key_from_spki_der()`.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_from_pem(
    pem: *const c_char,
    pem_len: usize,
    out: *mut *mut gamecrypt_public_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let pem = unsafe { input(pem.cast(), pem_len) }?;
        put(out, PublicKey::from_pem(pem)?);
        Ok(())
    })
}

/// Imports a raw public key of `key_type` and stores its handle in `*out`: an X9.62 point for
/// ECDSA (P-256: 65 bytes uncompressed or 33 compressed; P-384: 97 or 49), 32 bytes for
/// Ed25519.
///
/// The caller owns the new handle. Safe to call from any thread.
///
/// Returns `GAMECRYPT_RESULT_OK`; `NULL_ARGUMENT`; `INVALID_ARGUMENT` (unknown key type);
/// `KEY_MALFORMED` (wrong length for the type, or not a point on the curve);
/// `UNSUPPORTED_FORMAT` (RSA has no raw form: use SubjectPublicKeyInfo); `PUBLIC_KEY_WEAK`
/// (an Ed25519 key of small order or in a non-canonical encoding).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_from_raw(
    key_type: gamecrypt_key_type,
    raw: *const u8,
    raw_len: usize,
    out: *mut *mut gamecrypt_public_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        let key_type = KeyType::from_code(key_type)?;
        // SAFETY: by the caller's contract.
        let raw = unsafe { input(raw, raw_len) }?;
        put(out, PublicKey::from_raw(key_type, raw)?);
        Ok(())
    })
}

/// Writes `key` as SubjectPublicKeyInfo DER (canonical: uncompressed point) to
/// `(out, out_cap, out_len)`. Call with `out_cap` 0 to learn the length.
///
/// Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
/// `NULL_ARGUMENT`. Safe to call from any thread.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_to_spki_der(
    key: *const gamecrypt_public_key,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_public_key::try_ref(key) }?;
        out.write(key.spki_der())
    })
}

/// Writes `key` as a PEM `PUBLIC KEY` block (SubjectPublicKeyInfo; 64-column lines, LF line
/// endings, final newline) to `(out, out_cap, out_len)`.
///
/// No NUL terminator is written: `*out_len` is the length of the text. Call with `out_cap` 0
/// to learn the length. Safe to call from any thread.
///
/// Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
/// `NULL_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_to_pem(
    key: *const gamecrypt_public_key,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out.cast(), out_cap, out_len, &[]) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_public_key::try_ref(key) }?;
        out.write(key.to_pem().as_bytes())
    })
}

/// Writes the raw form of `key` to `(out, out_cap, out_len)`: the uncompressed X9.62 point for
/// ECDSA (65 or 97 bytes), 32 bytes for Ed25519. See `gamecrypt_public_key_raw_len()`.
///
/// Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
/// `NULL_ARGUMENT`; `UNSUPPORTED_FORMAT` (RSA has no raw form). Safe to call from any thread.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_to_raw(
    key: *const gamecrypt_public_key,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_public_key::try_ref(key) }?;
        out.write(key.raw()?)
    })
}

/// Writes the compressed X9.62 point of an ECDSA `key` (33 or 49 bytes) to
/// `(out, out_cap, out_len)`. See `gamecrypt_public_key_raw_compressed_len()`.
///
/// Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` with the needed length in `*out_len`;
/// `NULL_ARGUMENT`; `UNSUPPORTED_FORMAT` (Ed25519 and RSA keys). Safe to call from any thread.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_to_raw_compressed(
    key: *const gamecrypt_public_key,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_public_key::try_ref(key) }?;
        out.write(&key.raw_compressed()?)
    })
}

/// Writes the fingerprint of `key`, SHA-256 of its SubjectPublicKeyInfo DER
/// (`GAMECRYPT_FINGERPRINT_LEN` = 32 bytes), to `out`, which has room for `out_cap` bytes.
///
/// It equals `openssl pkey -pubin -outform DER | openssl dgst -sha256`, and is the same
/// whichever form (raw, compressed, SPKI, PEM) the key was imported from.
///
/// Returns `GAMECRYPT_RESULT_OK`; `BUFFER_TOO_SMALL` (`out_cap` below 32, nothing written);
/// `NULL_ARGUMENT`. Safe to call from any thread.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_fingerprint(
    key: *const gamecrypt_public_key,
    out: *mut u8,
    out_cap: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_public_key::try_ref(key) }?;
        // SAFETY: by the caller's contract.
        unsafe { write_fixed(out, out_cap, key.fingerprint()) }
    })
}

/// Verifies that `sig` (`sig_len` bytes) is a signature by `key` over the `msg_len` bytes at
/// `msg`, in `format` (`GAMECRYPT_SIGNATURE_DEFAULT` is the key's natural format).
///
/// Only `GAMECRYPT_RESULT_OK` means the signature is valid. Safe to call from any thread,
/// also with the same key at the same time.
///
/// Returns `GAMECRYPT_RESULT_OK`; `SIGNATURE_INVALID` (the signature does not verify: wrong
/// key, altered message, altered or truncated signature); `NULL_ARGUMENT`; `INVALID_ARGUMENT`
/// (unknown format); `WRONG_KEY_TYPE` (the format does not fit the key).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn gamecrypt_public_key_verify(
    key: *const gamecrypt_public_key,
    msg: *const u8,
    msg_len: usize,
    sig: *const u8,
    sig_len: usize,
    format: gamecrypt_signature_format,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_public_key::try_ref(key) }?;
        // SAFETY: by the caller's contract.
        let msg = unsafe { input(msg, msg_len) }?;
        // SAFETY: by the caller's contract.
        let sig = unsafe { input(sig, sig_len) }?;
        key.verify(msg, sig, SignatureFormat::from_code(format)?)
    })
}

/// Stores the type of `key` (a `GAMECRYPT_KEY_TYPE_*` value) in `*out_type`.
///
/// Returns `GAMECRYPT_RESULT_OK` or `NULL_ARGUMENT`. Safe to call from any thread.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_type(
    key: *const gamecrypt_public_key,
    out_type: *mut gamecrypt_key_type,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_type) }?;
        // SAFETY: by the caller's contract.
        let key = unsafe { gamecrypt_public_key::try_ref(key) }?;
        *out = key.key_type() as gamecrypt_key_type;
        Ok(())
    })
}

/// Frees a public key. NULL is ignored.
///
/// Call it exactly once per handle, after every other use of the handle has returned.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_public_key_free(key: *mut gamecrypt_public_key) {
    panic_boundary((), || {
        // SAFETY: NULL or a live handle, freed once, by the caller's contract.
        unsafe { gamecrypt_public_key::free(key) }
    })
}
