//! Password boxes (`open_with_password`).
//!
//! PBKDF2 cost: a box claiming more than 10 000 000 iterations is refused before any PBKDF2
//! work, but any count up to that is honoured, and a fuzzer that finds a header with, say,
//! 5 000 000 iterations would spend seconds on one input. So this target PATCHES the input
//! before opening it: an iteration field (bytes 8..12) in 17 ..= 10 000 000 is replaced by
//! `1 + count % 16`. Counts 0 and above 10 000 000 are left alone: they exercise the up-front
//! refusals (`BOX_MALFORMED`, `BOX_UNSUPPORTED`), which cost nothing. All checks apply to the
//! patched bytes.
//!
//! Modes (low bit of the first byte; bit 4 picks the algorithm of honest boxes):
//! - 0: arbitrary box bytes with an arbitrary (non-empty) password;
//! - 1: an honest box (1 to 4 iterations), edited by the fuzzer, opened with the same or
//!   another password and associated data: it must open exactly when nothing changed.
#![no_main]

use gamecrypt::aead::{self, AeadAlgorithm};
use gamecrypt::primitives::{hash, HashAlgorithm};
use gamecrypt_fuzz::boxcheck::open_password_box;
use gamecrypt_fuzz::mutate::apply_edits;
use gamecrypt_fuzz::Input;
use libfuzzer_sys::fuzz_target;

const DEFAULT_PASSWORD: &[u8] = b"correct horse battery staple";

/// See the module documentation.
fn cap_iterations(sealed: &mut [u8]) {
    if sealed.len() >= 12 {
        let it = u32::from_be_bytes([sealed[8], sealed[9], sealed[10], sealed[11]]);
        if (17..=aead::PASSWORD_BOX_MAX_ITERATIONS).contains(&it) {
            sealed[8..12].copy_from_slice(&(1 + it % 16).to_be_bytes());
        }
    }
}

/// Whether two passwords give the same PBKDF2-HMAC-SHA256 key. HMAC (RFC 2104) pads a key
/// with zero bytes to the 64-byte block and replaces a key longer than that by its SHA-256, so
/// `"a"` and `"a\0"`, or a 100-byte password and its digest, are the same HMAC key: a property
/// of PBKDF2-HMAC, not of gamecrypt (the fuzzer found it).
fn same_hmac_key(a: &[u8], b: &[u8]) -> bool {
    fn block(k: &[u8]) -> [u8; 64] {
        let digest;
        let k = if k.len() > 64 {
            digest = hash(HashAlgorithm::Sha256, k);
            digest.as_ref()
        } else {
            k
        };
        let mut out = [0u8; 64];
        out[..k.len()].copy_from_slice(k);
        out
    }
    block(a) == block(b)
}

fn password<'a>(input: &mut Input<'a>) -> &'a [u8] {
    match input.short_bytes() {
        [] => DEFAULT_PASSWORD,
        p => p,
    }
}

fuzz_target!(init: gamecrypt_fuzz::init("box_password"), |data: &[u8]| {
    let mut input = Input::new(data);
    let mode = input.u8();
    if mode & 1 == 0 {
        let pw = password(&mut input);
        let ad = input.short_bytes();
        let mut sealed = input.rest().to_vec();
        cap_iterations(&mut sealed);
        open_password_box(pw, &sealed, ad);
    } else {
        let alg = if mode & 0x10 == 0 {
            AeadAlgorithm::Aes256Gcm
        } else {
            AeadAlgorithm::ChaCha20Poly1305
        };
        let iterations = 1 + u32::from(input.u8() % 4);
        let pw = password(&mut input);
        let ad = input.short_bytes();
        let plaintext = input.short_bytes();
        let honest = aead::seal_with_password(alg, pw, iterations, plaintext, ad).expect("seal");
        let mut sealed = honest.clone();
        apply_edits(&mut sealed, &mut input);
        cap_iterations(&mut sealed);
        let other_pw = password(&mut input);
        let open_pw = if input.bool() { other_pw } else { pw };
        let other_ad = input.short_bytes();
        let open_ad = if input.bool() { other_ad } else { ad };
        let opened = open_password_box(open_pw, &sealed, open_ad);
        let genuine = sealed == honest && same_hmac_key(open_pw, pw) && open_ad == ad;
        assert_eq!(opened.is_some(), genuine, "edited box opened, or honest box did not");
        if let Some(pt) = opened {
            assert_eq!(pt, plaintext);
        }
    }
});
