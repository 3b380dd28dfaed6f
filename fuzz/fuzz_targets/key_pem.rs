//! Key import from PEM text: `SigningKey::from_pem` and `PublicKey::from_pem` on the same
//! input, checked against the C ABI (also with a terminating NUL counted in the length, which
//! the C ABI documents as ignored) and, on success, for round trips (see `keycheck`).
#![no_main]

use gamecrypt::keys::{PublicKey, SigningKey};
use gamecrypt_fuzz::keycheck::{check_public_key, check_signing_key};
use gamecrypt_fuzz::{cabi, code};
use libfuzzer_sys::fuzz_target;

/// The documented PEM size limit (1 MiB).
const MAX_PEM_LEN: usize = 1 << 20;

fuzz_target!(init: gamecrypt_fuzz::init("key_pem"), |text: &[u8]| {
    let with_nul = [text, b"\0"].concat();

    let r = SigningKey::from_pem(text);
    assert_eq!(code(&r), cabi::signing_key_from_pem(text));
    if text.len() < MAX_PEM_LEN {
        assert_eq!(code(&r), cabi::signing_key_from_pem(&with_nul));
    }
    if let Ok(k) = r {
        check_signing_key(&k);
    }

    let r = PublicKey::from_pem(text);
    assert_eq!(code(&r), cabi::public_key_from_pem(text));
    if text.len() < MAX_PEM_LEN {
        assert_eq!(code(&r), cabi::public_key_from_pem(&with_nul));
    }
    if let Ok(k) = r {
        check_public_key(&k);
    }
});
