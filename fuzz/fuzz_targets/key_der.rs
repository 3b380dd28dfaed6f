//! Key import from binary encodings: `SigningKey::from_der` / `from_pkcs8_der`,
//! `PublicKey::from_spki_der` / `from_pkcs1_rsa_der` / `from_raw` (every key type code),
//! checked against the C ABI and, on success, for round trips (see `keycheck`).
//!
//! Input: selector byte, then (for `from_raw`) a key type byte, then the encoding.
#![no_main]

use gamecrypt::keys::{KeyType, PublicKey, SigningKey};
use gamecrypt_fuzz::keycheck::{check_public_key, check_signing_key};
use gamecrypt_fuzz::{cabi, code, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: gamecrypt_fuzz::init("key_der"), |data: &[u8]| {
    let mut input = Input::new(data);
    match input.u8() % 5 {
        0 => {
            let der = input.rest();
            let r = SigningKey::from_der(der);
            assert_eq!(code(&r), cabi::signing_key_from_der(der));
            if let Ok(k) = r {
                check_signing_key(&k);
            }
        }
        1 => {
            let der = input.rest();
            let r = SigningKey::from_pkcs8_der(der);
            if let Ok(k) = r {
                // PKCS#8 is one of the encodings from_der detects.
                let any = SigningKey::from_der(der).expect("from_der accepts what from_pkcs8_der does");
                assert_eq!(any.public_key(), k.public_key());
                check_signing_key(&k);
            }
        }
        2 => {
            let der = input.rest();
            let r = PublicKey::from_spki_der(der);
            assert_eq!(code(&r), cabi::public_key_from_spki_der(der));
            if let Ok(k) = r {
                check_public_key(&k);
            }
        }
        3 => {
            let der = input.rest();
            if let Ok(k) = PublicKey::from_pkcs1_rsa_der(der) {
                assert_eq!(k.key_type(), KeyType::Rsa);
                check_public_key(&k);
            }
        }
        _ => {
            // 0 and 5 are invalid type codes; 4 (RSA) has no raw form.
            let type_code = u32::from(input.u8() % 6);
            let raw = input.rest();
            let r = KeyType::from_code(type_code).and_then(|kt| PublicKey::from_raw(kt, raw));
            assert_eq!(code(&r), cabi::public_key_from_raw(type_code, raw));
            if let Ok(k) = r {
                check_public_key(&k);
                // The accepted encoding is exactly the canonical one: uncompressed (0x04) or
                // compressed (0x02/0x03) point, or the 32 Ed25519 bytes.
                let canonical = if raw.len() == k.raw().unwrap().len() {
                    k.raw().unwrap().to_vec()
                } else {
                    k.raw_compressed().unwrap()
                };
                assert_eq!(raw, &canonical[..], "a non-canonical raw key was accepted");
            }
        }
    }
});
