//! Invariants of every key that imports successfully: its encodings round-trip, its fingerprint
//! is the SHA-256 of its SubjectPublicKeyInfo, and a private key's signatures verify with the
//! public key it reports.

use crate::cabi;
use gamecrypt::keys::{KeyType, PublicKey, SignatureFormat, SigningKey};
use gamecrypt::primitives::{hash, HashAlgorithm};
use gamecrypt::Error;

pub fn check_public_key(pk: &PublicKey) {
    let spki = pk.spki_der();
    let again = PublicKey::from_spki_der(spki).expect("a key's own SPKI re-imports");
    assert_eq!(&again, pk);
    assert_eq!(again.spki_der(), spki, "SPKI is not canonical");
    assert_eq!(again.key_type(), pk.key_type());
    assert_eq!(cabi::public_key_from_spki_der(spki), 0);
    assert_eq!(
        &pk.fingerprint()[..],
        hash(HashAlgorithm::Sha256, spki).as_ref(),
        "fingerprint is not SHA-256(SPKI)"
    );
    let pem = pk.to_pem();
    assert_eq!(
        &PublicKey::from_pem(pem.as_bytes()).expect("own PEM re-imports"),
        pk
    );
    let kt = pk.key_type();
    match kt {
        KeyType::Rsa => {
            assert_eq!(pk.raw().unwrap_err(), Error::UnsupportedFormat);
            assert_eq!(pk.raw_compressed().unwrap_err(), Error::UnsupportedFormat);
        }
        _ => {
            let raw = pk.raw().expect("raw form");
            let expected = match kt {
                KeyType::EcdsaP256 => 65,
                KeyType::EcdsaP384 => 97,
                _ => 32,
            };
            assert_eq!(raw.len(), expected);
            assert_eq!(&PublicKey::from_raw(kt, raw).expect("raw re-imports"), pk);
            if kt == KeyType::Ed25519 {
                assert_eq!(pk.raw_compressed().unwrap_err(), Error::UnsupportedFormat);
            } else {
                assert_eq!(raw[0], 0x04);
                let c = pk.raw_compressed().expect("compressed form");
                assert_eq!(c.len(), 1 + (expected - 1) / 2);
                assert_eq!(
                    &PublicKey::from_raw(kt, &c).expect("compressed re-imports"),
                    pk
                );
            }
        }
    }
}

pub fn check_signing_key(sk: &SigningKey) {
    let pk = sk.public_key();
    assert_eq!(sk.key_type(), pk.key_type());
    check_public_key(pk);
    let der = sk.to_pkcs8_der().expect("PKCS#8 export");
    let back = SigningKey::from_der(&der).expect("own PKCS#8 re-imports");
    assert_eq!(back.public_key(), pk);
    let back = SigningKey::from_pkcs8_der(&der).expect("own PKCS#8 re-imports (pkcs8)");
    assert_eq!(back.public_key(), pk);
    assert_eq!(cabi::signing_key_from_der(&der), 0);
    let pem = sk.to_pkcs8_pem().expect("PEM export");
    let back = SigningKey::from_pem(pem.as_bytes()).expect("own PEM re-imports");
    assert_eq!(back.public_key(), pk);
    // The imported private key belongs to the public key it reports.
    let msg = b"gamecrypt fuzz message";
    let sig = sk.sign(msg, SignatureFormat::Default).expect("sign");
    assert!(sig.len() <= sk.max_signature_len(SignatureFormat::Default).unwrap());
    pk.verify(msg, &sig, SignatureFormat::Default)
        .expect("a fresh signature verifies with the key's own public key");
    assert_eq!(
        pk.verify(b"another message", &sig, SignatureFormat::Default),
        Err(Error::SignatureInvalid)
    );
}
