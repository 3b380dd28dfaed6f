//! Issue 7, finding 4: every ECDSA signature the library makes is low-S (s <= n/2), in DER and
//! fixed form, on P-256 and P-384; the session rejects high-S ServerHello and client
//! authentication signatures; the general verify accepts both forms (as Wycheproof expects).

mod session_support;

use gamecrypt::keys::{KeyType, SignatureFormat, SigningKey};
use gamecrypt::session::{
    ClientAuthMode, ClientAuthRequest, ClientConfig, Mode, ServerConfig, Session, State, Suite,
    TrustAnchor,
};
use gamecrypt::Error;
use session_support::*;

/// (r, s) of a DER signature.
fn der_parts(sig: &[u8]) -> (Vec<u8>, Vec<u8>) {
    assert_eq!(sig[0], 0x30);
    assert_eq!(usize::from(sig[1]), sig.len() - 2);
    let mut at = 2;
    let mut parts = Vec::new();
    for _ in 0..2 {
        assert_eq!(sig[at], 0x02);
        let len = usize::from(sig[at + 1]);
        let v = &sig[at + 2..at + 2 + len];
        assert!(v[0] & 0x80 == 0, "negative INTEGER");
        assert!(
            len == 1 || v[0] != 0 || v[1] & 0x80 != 0,
            "non-minimal INTEGER"
        );
        parts.push(v.to_vec());
        at += 2 + len;
    }
    assert_eq!(at, sig.len());
    (parts[0].clone(), parts[1].clone())
}

fn fixed_len(v: &[u8], len: usize) -> Vec<u8> {
    let v: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
    let mut out = vec![0u8; len - v.len()];
    out.extend(v);
    out
}

#[test]
fn every_ecdsa_signature_is_low_s() {
    // Half of all raw signatures are high-S: 64 signatures per form make a miss 2^-64.
    for (kt, n) in [
        (KeyType::EcdsaP256, &P256_N[..]),
        (KeyType::EcdsaP384, &P384_N[..]),
    ] {
        let key = SigningKey::generate(kt).unwrap();
        for i in 0..64u8 {
            let msg = [i; 20];
            let fixed = key.sign(&msg, SignatureFormat::EcdsaFixed).unwrap();
            assert_eq!(fixed.len(), 2 * n.len());
            assert!(!is_high_s(&fixed[n.len()..], n), "{kt:?} fixed");
            key.public_key()
                .verify(&msg, &fixed, SignatureFormat::EcdsaFixed)
                .unwrap();
            for format in [SignatureFormat::EcdsaDer, SignatureFormat::Default] {
                let der = key.sign(&msg, format).unwrap();
                let (_, s) = der_parts(&der);
                assert!(!is_high_s(&fixed_len(&s, n.len()), n), "{kt:?} DER");
                key.public_key().verify(&msg, &der, format).unwrap();
            }
        }
    }
}

#[test]
fn the_general_verify_accepts_high_s() {
    for (kt, n) in [
        (KeyType::EcdsaP256, &P256_N[..]),
        (KeyType::EcdsaP384, &P384_N[..]),
    ] {
        let key = SigningKey::generate(kt).unwrap();
        let sig = key.sign(b"msg", SignatureFormat::EcdsaFixed).unwrap();
        let mut high = sig[..n.len()].to_vec();
        high.extend(negate_s(&sig[n.len()..], n));
        assert!(is_high_s(&high[n.len()..], n));
        key.public_key()
            .verify(b"msg", &high, SignatureFormat::EcdsaFixed)
            .unwrap();
    }
}

/// A high-S copy of a 64-byte P-256 r||s signature (whichever form it had).
fn high_s_of(sig: &[u8]) -> Vec<u8> {
    let mut out = sig[..32].to_vec();
    if is_high_s(&sig[32..], &P256_N) {
        out.extend_from_slice(&sig[32..]);
    } else {
        out.extend(negate_s(&sig[32..], &P256_N));
    }
    out
}

#[test]
fn a_high_s_server_hello_is_rejected() {
    let (sc, cc) = suite_configs(Suite::P256EcdsaAes256GcmSha256);
    let s = Session::new_server(sc, Mode::Stream);
    let c = Session::new_client(cc, Mode::Stream).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    s.read_handshake(&buf[..n]).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    let sh = buf[..n].to_vec();
    assert!(!is_high_s(&sh[n - 32..], &P256_N), "the server signs low-S");
    let mut high = sh[..n - 64].to_vec();
    high.extend(high_s_of(&sh[n - 64..]));
    assert_eq!(
        c.read_handshake(&high),
        Err(Error::HandshakeSignatureInvalid)
    );
    assert_eq!(c.state(), State::Failed);
}

/// Runs a P-256 handshake with client authentication; `tamper` may change the ClientFinished
/// plaintext's signature before the reference client seals it.
fn client_auth_verdict(make_high: bool) -> (Result<(), Error>, State) {
    let server = signature_required_server(Mode::Stream);
    let client = RefClient::start(&server);
    let key = SigningKey::generate(KeyType::EcdsaP256).unwrap();
    let mut p = vec![0x01, 0x04, 0x00, 132, 1, 0x00, 65];
    p.extend_from_slice(key.public_key().raw().unwrap());
    let signed_len = p.len();
    let sig = raw_sign(
        &key,
        &client.client_signed_message(&p[..signed_len]),
        SignatureFormat::EcdsaFixed,
    );
    let sig = if make_high {
        high_s_of(&sig)
    } else {
        let mut low = sig[..32].to_vec();
        low.extend(if is_high_s(&sig[32..], &P256_N) {
            negate_s(&sig[32..], &P256_N)
        } else {
            sig[32..].to_vec()
        });
        low
    };
    p.extend_from_slice(&sig);
    let got = server.read_handshake(&client.finished(&p));
    (got, server.state())
}

#[test]
fn a_high_s_client_signature_is_rejected_and_a_low_s_one_accepted() {
    assert_eq!(client_auth_verdict(false), (Ok(()), State::NeedAccept));
    assert_eq!(
        client_auth_verdict(true),
        (Err(Error::ClientAuthInvalid), State::Failed)
    );
}

#[test]
fn the_client_signs_low_s_in_client_authentication() {
    // The library client's signature (inside its sealed ClientFinished) is accepted by the
    // server, which refuses high-S: 32 handshakes make a high-S miss 2^-32.
    for _ in 0..32 {
        let server_key = SigningKey::generate(KeyType::EcdsaP256).unwrap();
        let suites = [Suite::P256EcdsaAes256GcmSha256];
        let s = Session::new_server(
            ServerConfig::builder(server_key.clone())
                .unwrap()
                .suites(&suites)
                .unwrap()
                .client_auth(ClientAuthRequest {
                    signature: ClientAuthMode::Required,
                    token: ClientAuthMode::None,
                })
                .build(),
            Mode::Stream,
        );
        let c = Session::new_client(
            ClientConfig::builder(TrustAnchor::PinnedKey(server_key.public_key().clone()))
                .unwrap()
                .suites(&suites)
                .unwrap()
                .client_key(SigningKey::generate(KeyType::EcdsaP256).unwrap())
                .unwrap()
                .build()
                .unwrap(),
            Mode::Stream,
        )
        .unwrap();
        handshake_steps(&c, &s, |_, call| call());
        assert_eq!(s.state(), State::NeedAccept);
    }
}
