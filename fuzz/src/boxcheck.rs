//! Shared checks of the sealed-box and raw AEAD targets.

use crate::spec::{self, Opener};
use crate::{cabi, code};
use gamecrypt::aead::{self, AeadAlgorithm, AeadKey, BoxInfo};
use gamecrypt::Error;

/// The fixed key bytes of each algorithm (fixed so that seed boxes stay openable).
pub fn key_bytes(alg: AeadAlgorithm) -> [u8; 32] {
    match alg {
        AeadAlgorithm::Aes256Gcm => [0x5a; 32],
        AeadAlgorithm::ChaCha20Poly1305 => [0xa5; 32],
    }
}

pub fn key(alg: AeadAlgorithm) -> AeadKey {
    AeadKey::from_bytes(alg, &key_bytes(alg)).expect("fixed AEAD key")
}

pub const ALGS: [AeadAlgorithm; 2] = [AeadAlgorithm::Aes256Gcm, AeadAlgorithm::ChaCha20Poly1305];

/// Opens `sealed` with the fixed key of `alg` and checks the result against FORMATS.md (the
/// error codes and their order), against the C ABI, and, when it opens, that it is a genuine
/// encryption: sealing the plaintext again with the box's nonce and AAD (header || ad) gives
/// exactly the box's ciphertext and tag. Returns the plaintext if it opened.
pub fn open_key_box(alg: AeadAlgorithm, sealed: &[u8], ad: &[u8]) -> Option<Vec<u8>> {
    let k = key(alg);
    let r = k.open(sealed, ad);
    let (c, out) = cabi::aead_key_open(alg as u32, &key_bytes(alg), sealed, ad);
    assert_eq!(c, code(&r), "C ABI and Rust disagree");
    let pre = spec::box_precheck(sealed, Opener::Key(alg));
    check_box_info(sealed, &pre);
    match (&pre, &r) {
        (Err(e), _) => assert_eq!(r.as_ref().err(), Some(e), "FORMATS.md error order"),
        (Ok(_), Err(e)) => assert_eq!(*e, Error::OpenFailed),
        (Ok(len), Ok(pt)) => {
            assert_eq!(pt.len(), *len);
            assert_eq!(&out[..], &pt[..]);
            let aad = [&sealed[..aead::BOX_HEADER_LEN], ad].concat();
            let again = k
                .seal_with_nonce_dangerous(&sealed[8..20], &aad, pt)
                .expect("reseal");
            assert_eq!(
                &again[..],
                &sealed[20..],
                "opened a box that is not a genuine encryption"
            );
        }
    }
    r.ok().map(|p| p.to_vec())
}

/// Opens a password box; checks as [`open_key_box`]. The genuine-encryption check derives
/// the key from the password, salt and iteration count in the box.
pub fn open_password_box(password: &[u8], sealed: &[u8], ad: &[u8]) -> Option<Vec<u8>> {
    let r = aead::open_with_password(password, sealed, ad);
    let (c, out) = cabi::box_open_with_password(password, sealed, ad);
    assert_eq!(c, code(&r), "C ABI and Rust disagree");
    let pre = spec::box_precheck(sealed, Opener::Password);
    check_box_info(sealed, &pre);
    match (&pre, &r) {
        (Err(e), _) => assert_eq!(r.as_ref().err(), Some(e), "FORMATS.md error order"),
        (Ok(_), Err(e)) => assert_eq!(*e, Error::OpenFailed),
        (Ok(len), Ok(pt)) => {
            assert_eq!(pt.len(), *len);
            assert_eq!(&out[..], &pt[..]);
            let alg = AeadAlgorithm::from_code(u32::from(sealed[6])).expect("algorithm");
            let iterations = u32::from_be_bytes([sealed[8], sealed[9], sealed[10], sealed[11]]);
            let k =
                AeadKey::from_password(alg, password, &sealed[12..28], iterations).expect("derive");
            let aad = [&sealed[..aead::PASSWORD_BOX_HEADER_LEN], ad].concat();
            let again = k
                .seal_with_nonce_dangerous(&sealed[28..40], &aad, pt)
                .expect("reseal");
            assert_eq!(
                &again[..],
                &sealed[40..],
                "opened a box that is not a genuine encryption"
            );
        }
    }
    r.ok().map(|p| p.to_vec())
}

/// `BoxInfo::parse` agrees with the reference on everything but the key check.
fn check_box_info(sealed: &[u8], pre: &Result<usize, Error>) {
    let info = BoxInfo::parse(sealed);
    match (pre, &info) {
        (Err(Error::BoxKeyMismatch), Ok(_)) => {}
        (Err(e), Err(i)) => assert_eq!(e, i),
        (Ok(len), Ok(i)) => assert_eq!(i.plaintext_len, *len),
        _ => panic!("BoxInfo::parse {info:?} but reference {pre:?}"),
    }
}

/// Raw AEAD open (`open_with_nonce`) with the fixed key; checks the C ABI, the documented
/// errors (`InvalidLength` for a nonce that is not 12 bytes, `OpenFailed` otherwise) and that
/// anything that opens is a genuine encryption.
pub fn open_raw(alg: AeadAlgorithm, nonce: &[u8], ad: &[u8], ct: &[u8]) -> Option<Vec<u8>> {
    let k = key(alg);
    let r = k.open_with_nonce(nonce, ad, ct);
    let (c, out) = cabi::aead_key_open_with_nonce(alg as u32, &key_bytes(alg), nonce, ad, ct);
    assert_eq!(c, code(&r), "C ABI and Rust disagree");
    match &r {
        Err(e) if nonce.len() != aead::NONCE_LEN => assert_eq!(*e, Error::InvalidLength),
        Err(e) => assert_eq!(*e, Error::OpenFailed),
        Ok(pt) => {
            assert_eq!(nonce.len(), aead::NONCE_LEN);
            assert_eq!(pt.len() + aead::TAG_LEN, ct.len());
            assert_eq!(&out[..], &pt[..]);
            let again = k.seal_with_nonce_dangerous(nonce, ad, pt).expect("reseal");
            assert_eq!(
                &again[..],
                ct,
                "opened data that is not a genuine encryption"
            );
        }
    }
    r.ok().map(|p| p.to_vec())
}
