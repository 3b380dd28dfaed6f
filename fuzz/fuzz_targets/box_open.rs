//! Key boxes (`AeadKey::open`) and raw AEAD (`AeadKey::open_with_nonce`) with fixed keys.
//!
//! Modes (low 2 bits of the first byte; bit 4 picks the algorithm of honest data):
//! - 0: arbitrary box bytes, opened with both fixed keys;
//! - 1: an honest box, edited by the fuzzer, opened with the same or other associated data
//!   and with both keys: it must open exactly when nothing changed;
//! - 2: arbitrary raw nonce / associated data / ciphertext, opened with both keys;
//! - 3: an honest raw AEAD ciphertext, edited: it must open exactly when nothing changed.
//!
//! Every open is also checked against FORMATS.md, the C ABI, and for genuineness (see
//! `boxcheck`).
#![no_main]

use gamecrypt::aead::AeadAlgorithm;
use gamecrypt_fuzz::boxcheck::{key, open_key_box, open_raw, ALGS};
use gamecrypt_fuzz::mutate::apply_edits;
use gamecrypt_fuzz::Input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: gamecrypt_fuzz::init("box_open"), |data: &[u8]| {
    let mut input = Input::new(data);
    let mode = input.u8();
    let alg = if mode & 0x10 == 0 {
        AeadAlgorithm::Aes256Gcm
    } else {
        AeadAlgorithm::ChaCha20Poly1305
    };
    match mode % 4 {
        0 => {
            let ad = input.short_bytes();
            let sealed = input.rest();
            for a in ALGS {
                open_key_box(a, sealed, ad);
            }
        }
        1 => {
            let ad = input.short_bytes();
            let plaintext = input.short_bytes();
            let honest = key(alg).seal(plaintext, ad).expect("seal");
            let mut sealed = honest.clone();
            apply_edits(&mut sealed, &mut input);
            let other_ad = input.short_bytes();
            let open_ad = if input.bool() { other_ad } else { ad };
            for a in ALGS {
                let opened = open_key_box(a, &sealed, open_ad);
                let genuine = a == alg && sealed == honest && open_ad == ad;
                assert_eq!(opened.is_some(), genuine, "edited box opened, or honest box did not");
                if let Some(pt) = opened {
                    assert_eq!(pt, plaintext);
                }
            }
        }
        2 => {
            // Mostly 12-byte nonces, sometimes another length.
            let n = input.u8();
            let nonce = input.bytes(if n < 240 { 12 } else { usize::from(n % 16) });
            let ad = input.short_bytes();
            let ct = input.rest();
            for a in ALGS {
                open_raw(a, nonce, ad, ct);
            }
        }
        _ => {
            let mut nonce = [0u8; 12];
            let n = input.bytes(12);
            nonce[..n.len()].copy_from_slice(n);
            let ad = input.short_bytes().to_vec();
            let plaintext = input.short_bytes();
            let honest = key(alg)
                .seal_with_nonce_dangerous(&nonce, &ad, plaintext)
                .expect("seal");
            let mut ct = honest.clone();
            apply_edits(&mut ct, &mut input);
            let mut open_nonce = nonce.to_vec();
            apply_edits(&mut open_nonce, &mut input);
            let mut open_ad = ad.clone();
            apply_edits(&mut open_ad, &mut input);
            for a in ALGS {
                let opened = open_raw(a, &open_nonce, &open_ad, &ct);
                let genuine = a == alg && ct == honest && open_nonce == nonce && open_ad == ad;
                assert_eq!(opened.is_some(), genuine, "edited ciphertext opened, or honest one did not");
                if let Some(pt) = opened {
                    assert_eq!(pt, plaintext);
                }
            }
        }
    }
});
