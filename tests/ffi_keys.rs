//! The key C ABI (src/ffi/keys.rs), exercised from Rust.

use gamecrypt::ffi::gamecrypt_result;
use gamecrypt::ffi::keys::*;
use gamecrypt_result as R;
use std::ptr::{null, null_mut};

const P256_PKCS8_PEM: &[u8] = include_bytes!("data/keys/p256.pkcs8.pem");
const P256_SPKI_DER: &[u8] = include_bytes!("data/keys/p256.spki.der");
const P256_FINGERPRINT: &[u8] = include_bytes!("data/keys/p256.fingerprint.bin");

fn generate(kt: gamecrypt_key_type) -> *mut gamecrypt_signing_key {
    let mut key = null_mut();
    assert_eq!(
        unsafe { gamecrypt_signing_key_generate(kt, &mut key) },
        R::Ok
    );
    assert!(!key.is_null());
    key
}

fn public_of(key: *const gamecrypt_signing_key) -> *mut gamecrypt_public_key {
    let mut pk = null_mut();
    assert_eq!(
        unsafe { gamecrypt_signing_key_public_key(key, &mut pk) },
        R::Ok
    );
    pk
}

#[test]
fn size_functions_match_constants_and_reject_unknown_values() {
    assert_eq!(gamecrypt_public_key_fingerprint_len(), 32);
    assert_eq!(
        gamecrypt_signature_max_len_any(),
        GAMECRYPT_MAX_SIGNATURE_LEN
    );
    assert_eq!(
        gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P256),
        65
    );
    assert_eq!(
        gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ECDSA_P384),
        97
    );
    assert_eq!(gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_ED25519), 32);
    assert_eq!(gamecrypt_public_key_raw_len(GAMECRYPT_KEY_TYPE_RSA), 0);
    assert_eq!(gamecrypt_public_key_raw_len(0), 0);
    assert_eq!(gamecrypt_public_key_raw_len(99), 0);
    assert_eq!(
        gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ECDSA_P256),
        33
    );
    assert_eq!(
        gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ECDSA_P384),
        49
    );
    assert_eq!(
        gamecrypt_public_key_raw_compressed_len(GAMECRYPT_KEY_TYPE_ED25519),
        0
    );
    use GAMECRYPT_KEY_TYPE_ECDSA_P256 as P256;
    use GAMECRYPT_KEY_TYPE_ECDSA_P384 as P384;
    for (kt, f, len) in [
        (
            P256,
            GAMECRYPT_SIGNATURE_DEFAULT,
            GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN,
        ),
        (
            P256,
            GAMECRYPT_SIGNATURE_ECDSA_DER,
            GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN,
        ),
        (
            P256,
            GAMECRYPT_SIGNATURE_ECDSA_FIXED,
            GAMECRYPT_P256_FIXED_SIGNATURE_LEN,
        ),
        (
            P384,
            GAMECRYPT_SIGNATURE_ECDSA_DER,
            GAMECRYPT_P384_MAX_DER_SIGNATURE_LEN,
        ),
        (
            P384,
            GAMECRYPT_SIGNATURE_ECDSA_FIXED,
            GAMECRYPT_P384_FIXED_SIGNATURE_LEN,
        ),
        (
            GAMECRYPT_KEY_TYPE_ED25519,
            GAMECRYPT_SIGNATURE_DEFAULT,
            GAMECRYPT_ED25519_SIGNATURE_LEN,
        ),
        (
            GAMECRYPT_KEY_TYPE_RSA,
            GAMECRYPT_SIGNATURE_RSA_PSS_SHA256,
            GAMECRYPT_MAX_SIGNATURE_LEN,
        ),
        // Formats that do not fit, unknown values.
        (GAMECRYPT_KEY_TYPE_ED25519, GAMECRYPT_SIGNATURE_ECDSA_DER, 0),
        (P256, GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256, 0),
        (P256, 5, 0),
        (0, GAMECRYPT_SIGNATURE_DEFAULT, 0),
    ] {
        assert_eq!(gamecrypt_signature_max_len(kt, f), len, "{kt} {f}");
    }
}

#[test]
fn unknown_enum_values_are_invalid_argument() {
    let mut key = null_mut();
    for bad in [0, 5, u32::MAX] {
        assert_eq!(
            unsafe { gamecrypt_signing_key_generate(bad, &mut key) },
            R::InvalidArgument
        );
        assert!(key.is_null());
    }
    assert_eq!(
        unsafe { gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_RSA, &mut key) },
        R::UnsupportedAlgorithm
    );
    assert!(key.is_null());
    let key = generate(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    let pk = public_of(key);
    let mut sig = [0u8; GAMECRYPT_MAX_SIGNATURE_LEN];
    let mut len = 0;
    for bad in [5, 1000, u32::MAX] {
        let r = unsafe {
            gamecrypt_signing_key_sign(
                key,
                b"m".as_ptr(),
                1,
                bad,
                sig.as_mut_ptr(),
                sig.len(),
                &mut len,
            )
        };
        assert_eq!(r, R::InvalidArgument);
        let r = unsafe { gamecrypt_public_key_verify(pk, b"m".as_ptr(), 1, sig.as_ptr(), 64, bad) };
        assert_eq!(r, R::InvalidArgument);
        let r = unsafe { gamecrypt_signing_key_max_signature_len(key, bad, &mut len) };
        assert_eq!(r, R::InvalidArgument);
    }
    let mut raw_pk = null_mut();
    let r = unsafe { gamecrypt_public_key_from_raw(7, sig.as_ptr(), 65, &mut raw_pk) };
    assert_eq!(r, R::InvalidArgument);
    assert!(raw_pk.is_null());
    unsafe {
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(key);
    }
}

#[test]
fn null_arguments() {
    let key = generate(GAMECRYPT_KEY_TYPE_ED25519);
    let pk = public_of(key);
    let mut buf = [0u8; 128];
    let mut len = 0usize;
    let mut kt = 0;
    let mut out_key = null_mut();
    let mut out_pk = null_mut();
    unsafe {
        assert_eq!(
            gamecrypt_signing_key_generate(1, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_from_der(null(), 5, &mut out_key),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_from_der(buf.as_ptr(), 5, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_from_pem(null(), 5, &mut out_key),
            R::NullArgument
        );
        // (NULL, 0) is an empty input, which is not a key.
        assert_eq!(
            gamecrypt_signing_key_from_der(null(), 0, &mut out_key),
            R::KeyMalformed
        );
        assert_eq!(
            gamecrypt_signing_key_from_pem(null(), 0, &mut out_key),
            R::PemMalformed
        );
        assert!(out_key.is_null());
        assert_eq!(
            gamecrypt_signing_key_to_pkcs8_der(null(), buf.as_mut_ptr(), 128, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_to_pkcs8_der(key, buf.as_mut_ptr(), 128, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_to_pkcs8_der(key, null_mut(), 128, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_to_pkcs8_pem(null(), null_mut(), 0, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_public_key(null(), &mut out_pk),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_public_key(key, null_mut()),
            R::NullArgument
        );
        assert_eq!(gamecrypt_signing_key_type(null(), &mut kt), R::NullArgument);
        assert_eq!(gamecrypt_signing_key_type(key, null_mut()), R::NullArgument);
        assert_eq!(
            gamecrypt_signing_key_max_signature_len(key, 0, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_max_signature_len(null(), 0, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_sign(null(), null(), 0, 0, buf.as_mut_ptr(), 128, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_sign(key, null(), 3, 0, buf.as_mut_ptr(), 128, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_signing_key_sign(key, null(), 0, 0, buf.as_mut_ptr(), 128, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_from_spki_der(null(), 3, &mut out_pk),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_from_spki_der(buf.as_ptr(), 3, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_from_pem(null(), 3, &mut out_pk),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_from_raw(3, null(), 32, &mut out_pk),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_from_raw(3, buf.as_ptr(), 32, null_mut()),
            R::NullArgument
        );
        assert!(out_pk.is_null());
        assert_eq!(
            gamecrypt_public_key_to_spki_der(null(), buf.as_mut_ptr(), 128, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_to_pem(pk, buf.as_mut_ptr().cast(), 128, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_to_raw(null(), buf.as_mut_ptr(), 128, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_to_raw_compressed(null(), buf.as_mut_ptr(), 128, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_fingerprint(null(), buf.as_mut_ptr(), 32),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_fingerprint(pk, null_mut(), 32),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_verify(null(), null(), 0, buf.as_ptr(), 64, 0),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_verify(pk, null(), 1, buf.as_ptr(), 64, 0),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_public_key_verify(pk, null(), 0, null(), 64, 0),
            R::NullArgument
        );
        assert_eq!(gamecrypt_public_key_type(null(), &mut kt), R::NullArgument);
        assert_eq!(gamecrypt_public_key_type(pk, null_mut()), R::NullArgument);
        gamecrypt_signing_key_free(null_mut());
        gamecrypt_public_key_free(null_mut());
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(key);
    }
}

#[test]
fn empty_message_and_empty_signature_are_valid_inputs() {
    let key = generate(GAMECRYPT_KEY_TYPE_ECDSA_P256);
    let pk = public_of(key);
    let mut sig = [0u8; GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN];
    let mut len = 0;
    unsafe {
        let r =
            gamecrypt_signing_key_sign(key, null(), 0, 0, sig.as_mut_ptr(), sig.len(), &mut len);
        assert_eq!(r, R::Ok);
        assert!(len > 8 && len <= sig.len());
        assert_eq!(
            gamecrypt_public_key_verify(pk, null(), 0, sig.as_ptr(), len, 0),
            R::Ok
        );
        assert_eq!(
            gamecrypt_public_key_verify(pk, b"x".as_ptr(), 1, sig.as_ptr(), len, 0),
            R::SignatureInvalid
        );
        assert_eq!(
            gamecrypt_public_key_verify(pk, null(), 0, null(), 0, 0),
            R::SignatureInvalid
        );
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(key);
    }
}

#[test]
fn buffer_too_small_reports_the_length_and_writes_nothing() {
    let mut key = null_mut();
    let r = unsafe {
        gamecrypt_signing_key_from_pem(
            P256_PKCS8_PEM.as_ptr().cast(),
            P256_PKCS8_PEM.len(),
            &mut key,
        )
    };
    assert_eq!(r, R::Ok);
    let pk = public_of(key);
    type Export = unsafe extern "C" fn(
        *const gamecrypt_public_key,
        *mut u8,
        usize,
        *mut usize,
    ) -> gamecrypt_result;
    unsafe extern "C" fn to_pem(
        k: *const gamecrypt_public_key,
        o: *mut u8,
        c: usize,
        l: *mut usize,
    ) -> gamecrypt_result {
        // SAFETY: forwards the caller's pointers unchanged.
        unsafe { gamecrypt_public_key_to_pem(k, o.cast(), c, l) }
    }
    for (name, f, expected_len) in [
        (
            "spki",
            gamecrypt_public_key_to_spki_der as Export,
            P256_SPKI_DER.len(),
        ),
        ("raw", gamecrypt_public_key_to_raw as Export, 65),
        (
            "compressed",
            gamecrypt_public_key_to_raw_compressed as Export,
            33,
        ),
        (
            "pem",
            to_pem,
            include_bytes!("data/keys/p256.spki.pem").len(),
        ),
    ] {
        let mut len = 0usize;
        // Size query.
        assert_eq!(
            unsafe { f(pk, null_mut(), 0, &mut len) },
            R::BufferTooSmall,
            "{name}"
        );
        assert_eq!(len, expected_len, "{name}");
        // One byte short: nothing written.
        let mut buf = vec![0xaau8; expected_len];
        let mut len2 = 0usize;
        assert_eq!(
            unsafe { f(pk, buf.as_mut_ptr(), expected_len - 1, &mut len2) },
            R::BufferTooSmall
        );
        assert_eq!(len2, expected_len);
        assert!(buf.iter().all(|&b| b == 0xaa), "{name}");
        // Exact size works.
        assert_eq!(
            unsafe { f(pk, buf.as_mut_ptr(), expected_len, &mut len2) },
            R::Ok
        );
        assert_eq!(len2, expected_len);
    }
    // The SPKI is openssl's.
    let mut spki = [0u8; 128];
    let mut len = 0;
    assert_eq!(
        unsafe { gamecrypt_public_key_to_spki_der(pk, spki.as_mut_ptr(), 128, &mut len) },
        R::Ok
    );
    assert_eq!(&spki[..len], P256_SPKI_DER);
    // Fingerprint: fixed size.
    let mut fp = [0xaau8; 32];
    assert_eq!(
        unsafe { gamecrypt_public_key_fingerprint(pk, fp.as_mut_ptr(), 31) },
        R::BufferTooSmall
    );
    assert!(fp.iter().all(|&b| b == 0xaa));
    assert_eq!(
        unsafe { gamecrypt_public_key_fingerprint(pk, fp.as_mut_ptr(), 32) },
        R::Ok
    );
    assert_eq!(&fp[..], P256_FINGERPRINT);
    // Signing: the capacity needed is the maximum, even though the DER signature is shorter.
    let mut sig = [0xaau8; 80];
    let mut len = 0;
    let r = unsafe {
        gamecrypt_signing_key_sign(key, b"m".as_ptr(), 1, 0, sig.as_mut_ptr(), 71, &mut len)
    };
    assert_eq!(r, R::BufferTooSmall);
    assert_eq!(len, GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN);
    assert!(sig.iter().all(|&b| b == 0xaa));
    let mut needed = 0;
    assert_eq!(
        unsafe {
            gamecrypt_signing_key_max_signature_len(
                key,
                GAMECRYPT_SIGNATURE_ECDSA_FIXED,
                &mut needed,
            )
        },
        R::Ok
    );
    assert_eq!(needed, 64);
    let r = unsafe {
        gamecrypt_signing_key_sign(
            key,
            b"m".as_ptr(),
            1,
            GAMECRYPT_SIGNATURE_ECDSA_FIXED,
            sig.as_mut_ptr(),
            64,
            &mut len,
        )
    };
    assert_eq!(r, R::Ok);
    assert_eq!(len, 64);
    assert_eq!(sig[64], 0xaa, "nothing written past the signature");
    unsafe {
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(key);
    }
}

#[test]
fn sign_output_must_not_overlap_the_message() {
    let key = generate(GAMECRYPT_KEY_TYPE_ED25519);
    let mut buf = [7u8; 200];
    let mut len = 0;
    let p = buf.as_mut_ptr();
    // The message is buf[0..100], the output buf[50..200].
    let r = unsafe { gamecrypt_signing_key_sign(key, p, 100, 0, p.add(50), 150, &mut len) };
    assert_eq!(r, R::InvalidArgument);
    let r = unsafe { gamecrypt_signing_key_sign(key, p, 100, 0, p.add(100), 100, &mut len) };
    assert_eq!(r, R::Ok);
    assert_eq!(len, 64);
    unsafe { gamecrypt_signing_key_free(key) };
}

#[test]
fn handles_work_across_threads_and_outlive_each_other() {
    let key = generate(GAMECRYPT_KEY_TYPE_ECDSA_P384);
    let pk = public_of(key);
    // The public key handle stays valid after the signing key is freed.
    let mut sig = [0u8; GAMECRYPT_P384_MAX_DER_SIGNATURE_LEN];
    let mut len = 0;
    assert_eq!(
        unsafe {
            gamecrypt_signing_key_sign(
                key,
                b"t".as_ptr(),
                1,
                0,
                sig.as_mut_ptr(),
                sig.len(),
                &mut len,
            )
        },
        R::Ok
    );
    let (k, p) = (key as usize, pk as usize);
    std::thread::scope(|s| {
        for i in 0..4u8 {
            s.spawn(move || {
                let (key, pk) = (
                    k as *const gamecrypt_signing_key,
                    p as *const gamecrypt_public_key,
                );
                for j in 0..20u8 {
                    let msg = [i, j];
                    let mut sig = [0u8; GAMECRYPT_P384_MAX_DER_SIGNATURE_LEN];
                    let mut len = 0;
                    let r = unsafe {
                        gamecrypt_signing_key_sign(
                            key,
                            msg.as_ptr(),
                            2,
                            0,
                            sig.as_mut_ptr(),
                            sig.len(),
                            &mut len,
                        )
                    };
                    assert_eq!(r, R::Ok);
                    let r = unsafe {
                        gamecrypt_public_key_verify(pk, msg.as_ptr(), 2, sig.as_ptr(), len, 0)
                    };
                    assert_eq!(r, R::Ok);
                }
            });
        }
    });
    unsafe { gamecrypt_signing_key_free(key) };
    let r = unsafe { gamecrypt_public_key_verify(pk, b"t".as_ptr(), 1, sig.as_ptr(), len, 0) };
    assert_eq!(r, R::Ok);
    let mut kt = 0;
    assert_eq!(unsafe { gamecrypt_public_key_type(pk, &mut kt) }, R::Ok);
    assert_eq!(kt, GAMECRYPT_KEY_TYPE_ECDSA_P384);
    unsafe { gamecrypt_public_key_free(pk) };
}

#[test]
fn wrong_format_for_key_is_wrong_key_type_not_signature_invalid() {
    let key = generate(GAMECRYPT_KEY_TYPE_ED25519);
    let pk = public_of(key);
    let mut sig = [0u8; 64];
    let mut len = 0;
    unsafe {
        let r = gamecrypt_signing_key_sign(
            key,
            null(),
            0,
            GAMECRYPT_SIGNATURE_ECDSA_FIXED,
            sig.as_mut_ptr(),
            64,
            &mut len,
        );
        assert_eq!(r, R::WrongKeyType);
        let r = gamecrypt_signing_key_sign(
            key,
            null(),
            0,
            GAMECRYPT_SIGNATURE_DEFAULT,
            sig.as_mut_ptr(),
            64,
            &mut len,
        );
        assert_eq!(r, R::Ok);
        let r = gamecrypt_public_key_verify(
            pk,
            null(),
            0,
            sig.as_ptr(),
            64,
            GAMECRYPT_SIGNATURE_RSA_PSS_SHA256,
        );
        assert_eq!(r, R::WrongKeyType);
        assert_eq!(
            gamecrypt_public_key_verify(pk, null(), 0, sig.as_ptr(), 64, 0),
            R::Ok
        );
        let mut raw = [0u8; 33];
        assert_eq!(
            gamecrypt_public_key_to_raw_compressed(pk, raw.as_mut_ptr(), 33, &mut len),
            R::UnsupportedFormat
        );
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(key);
    }
}
