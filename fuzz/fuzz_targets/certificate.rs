//! Server certificates: `Certificate::parse` and `Certificate::verify`, and the
//! `gamecrypt_certificate_*` C functions, against the reference parser and validation written
//! from PROTOCOL.md section 8.
//!
//! Modes (low bit of the first byte):
//! - 0: arbitrary certificate bytes;
//! - 1: arbitrary certificate *body*, signed by one of the fixed roots (bit 4 picks it) before
//!   parsing, so that the fuzzer reaches the validity, name and re-issue checks behind the
//!   signature. A body naming that root must then verify at `not_before`, and re-issuing it
//!   with `Certificate::issue` must give the same bytes (all of them for an Ed25519 root,
//!   whose signatures are deterministic; all but the ECDSA signature otherwise).
//!
//! Then 8 bytes of "now" for the time checks.
#![no_main]

use gamecrypt::keys::KeyType;
use gamecrypt::session::{limits, Certificate};
use gamecrypt_fuzz::fixtures;
use gamecrypt_fuzz::spec::{self, SpecCert};
use gamecrypt_fuzz::{cabi, code, Input};
use libfuzzer_sys::fuzz_target;
use std::ffi::CString;

fuzz_target!(init: gamecrypt_fuzz::init("certificate"), |data: &[u8]| {
    let f = fixtures::get();
    let mut input = Input::new(data);
    let mode = input.u8();
    let now = input.u64();
    let root_type = if mode & 0x10 == 0 { KeyType::EcdsaP256 } else { KeyType::Ed25519 };
    let signer = f.root_key(root_type);
    let cert = if mode & 1 == 0 {
        input.rest().to_vec()
    } else {
        let body = input.rest();
        let sig = spec::protocol_sign(signer, &[spec::CERT_CONTEXT, body].concat());
        [body, &sig].concat()
    };

    let lib = Certificate::parse(&cert);
    let reference = spec::parse_certificate(&cert);
    let (vc, nb, na) = cabi::certificate_validity(&cert);
    assert_eq!(vc, code(&lib));
    let (nc, name) = cabi::certificate_server_name(&cert);
    assert_eq!(nc, code(&lib));
    let (kc, key_spki) = cabi::certificate_public_key(&cert);
    assert_eq!(kc, code(&lib));
    let (c, r) = match (lib, reference) {
        (Err(e), Err(x)) => {
            assert_eq!(e, x);
            return;
        }
        (Ok(c), Ok(r)) => (c, r),
        (lib, reference) => panic!("parse: library {lib:?}, reference {reference:?}"),
    };
    assert_eq!(c.as_bytes(), &cert[..]);
    assert!(cert.len() <= limits::CERTIFICATE_MAX_LEN);
    assert_eq!(c.public_key(), &r.key);
    assert_eq!((c.not_before(), c.not_after()), (r.not_before, r.not_after));
    assert_eq!((nb, na), (r.not_before, r.not_after));
    assert_eq!(c.server_name().as_bytes(), r.name);
    assert_eq!(&name[..], r.name);
    assert_eq!(&key_spki[..], r.key.spki_der());

    // Each combination checks one rule of the validation order (signature, not yet valid,
    // expired, name); every root but the right one fails at the signature.
    let cases: [(Option<&[u8]>, u64); 5] = [
        (None, now),
        (Some(r.name), r.not_before),
        (Some(b"other.example"), r.not_after),
        (None, r.not_before.wrapping_sub(1)),
        (Some(r.name), r.not_after.wrapping_add(1)),
    ];
    for root in [&f.root_p256, &f.root_ed25519, &f.server_p256] {
        for (name, t) in cases {
            check_verify(&c, &r, root.public_key(), name, t);
        }
    }

    if mode & 1 == 1 && r.root_type == root_type && r.root_id == signer.public_key().fingerprint()[..8] {
        // A body that names the root that signed it is a valid certificate of that root.
        c.verify(signer.public_key(), Some(c.server_name()), r.not_before)
            .expect("a certificate signed by its root verifies");
        let again = Certificate::issue(signer, c.public_key(), c.server_name(), r.not_before, r.not_after)
            .expect("re-issue");
        let n = cert.len() - 64;
        let same = if root_type == KeyType::Ed25519 { cert.len() } else { n };
        assert_eq!(again.as_bytes()[..same], cert[..same], "re-issued certificate differs");
    }
});

fn check_verify(
    c: &Certificate,
    r: &SpecCert<'_>,
    root: &gamecrypt::keys::PublicKey,
    name: Option<&[u8]>,
    now: u64,
) {
    let expected = spec::verify_certificate(r, root, name, now);
    // The Rust API takes a &str; a name that is not UTF-8 cannot be expected there.
    if let Some(n) = name {
        let Ok(n) = std::str::from_utf8(n) else {
            return;
        };
        assert_eq!(
            c.verify(root, Some(n), now),
            expected,
            "verify(name) for now={now}"
        );
    } else {
        assert_eq!(
            c.verify(root, None, now),
            expected,
            "verify(None) for now={now}"
        );
    }
    // The C ABI takes a NUL-terminated name: not for names with a NUL inside.
    let cname = match name {
        Some(n) => match CString::new(n) {
            Ok(s) => Some(s),
            Err(_) => return,
        },
        None => None,
    };
    let got = cabi::certificate_verify(c.as_bytes(), root.spki_der(), cname.as_deref(), now);
    assert_eq!(got, code(&expected), "C ABI verify");
}
