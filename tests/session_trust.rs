//! The three ways a client trusts the server, each failure with its own code, and the
//! downgrade protection against an active attacker.

mod session_support;

use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{
    Certificate, ClientConfig, Mode, ServerConfig, Session, State, Suite, TrustAnchor,
};
use gamecrypt::Error;
use session_support::*;
use std::sync::Arc;

/// Runs the handshake until the client has read the ServerHello; returns its result.
/// Stream mode: every failed check is fatal (in datagram mode it is a drop, section 12.1).
fn client_verdict(ccfg: Arc<ClientConfig>, scfg: Arc<ServerConfig>) -> Result<(), Error> {
    let c = Session::new_client(ccfg, Mode::Stream).unwrap();
    let s = Session::new_server(scfg, Mode::Stream);
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    s.read_handshake(&buf[..n]).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    let r = c.read_handshake(&buf[..n]);
    match r {
        Ok(()) => {
            let n = c.write_handshake(&mut buf).unwrap();
            s.read_handshake(&buf[..n]).unwrap();
            assert_eq!(open(&s, &seal(&c, b"hi")).unwrap(), b"hi");
        }
        Err(_) => assert_eq!(c.state(), State::Failed),
    }
    r
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn pinned_key() {
    for kt in [KeyType::EcdsaP256, KeyType::Ed25519] {
        let key = SigningKey::generate(kt).unwrap();
        let other = SigningKey::generate(kt).unwrap();
        assert_eq!(client_verdict(pinned(&key), server_config(&key)), Ok(()));
        assert_eq!(
            client_verdict(pinned(&other), server_config(&key)),
            Err(Error::PinnedKeyMismatch)
        );
    }
}

#[test]
fn pinned_fingerprint() {
    for kt in [KeyType::EcdsaP256, KeyType::Ed25519] {
        let key = SigningKey::generate(kt).unwrap();
        let fp = |k: &SigningKey| {
            ClientConfig::builder(TrustAnchor::PinnedFingerprint(
                *k.public_key().fingerprint(),
            ))
            .unwrap()
            .build()
            .unwrap()
        };
        assert_eq!(client_verdict(fp(&key), server_config(&key)), Ok(()));
        let other = SigningKey::generate(kt).unwrap();
        assert_eq!(
            client_verdict(fp(&other), server_config(&key)),
            Err(Error::FingerprintMismatch)
        );
        // The fingerprint is SHA-256 of the SubjectPublicKeyInfo DER.
        assert_eq!(
            sha256(&[key.public_key().spki_der()]),
            key.public_key().fingerprint().to_vec()
        );
    }
}

struct Pki {
    root: SigningKey,
    server: SigningKey,
}

impl Pki {
    fn new(root_kt: KeyType, server_kt: KeyType) -> Pki {
        Pki {
            root: SigningKey::generate(root_kt).unwrap(),
            server: SigningKey::generate(server_kt).unwrap(),
        }
    }
    fn server(&self, name: &str, nb: u64, na: u64) -> Arc<ServerConfig> {
        let cert = Certificate::issue(&self.root, self.server.public_key(), name, nb, na).unwrap();
        ServerConfig::builder(self.server.clone())
            .unwrap()
            .certificate(cert.as_bytes())
            .unwrap()
            .build()
    }
    fn client(&self, name: Option<&str>, clock: Option<u64>) -> Arc<ClientConfig> {
        let mut b =
            ClientConfig::builder(TrustAnchor::Root(self.root.public_key().clone())).unwrap();
        if let Some(n) = name {
            b = b.server_name(n).unwrap();
        } else {
            b = b.dangerous_accept_any_server_name().unwrap();
        }
        if let Some(t) = clock {
            b = b.clock(Arc::new(move || t));
        }
        b.build().unwrap()
    }
}

#[test]
fn certificates_every_failure_has_its_code() {
    for (rk, sk) in [
        (KeyType::Ed25519, KeyType::Ed25519),
        (KeyType::EcdsaP256, KeyType::EcdsaP256),
        (KeyType::Ed25519, KeyType::EcdsaP256),
        (KeyType::EcdsaP256, KeyType::Ed25519),
    ] {
        let pki = Pki::new(rk, sk);
        let name = "eu-1.game.example";
        let scfg = pki.server(name, 1000, 2000);
        let verdict = |cfg| client_verdict(cfg, scfg.clone());
        assert_eq!(verdict(pki.client(Some(name), Some(1500))), Ok(()));
        // Bounds are inclusive.
        assert_eq!(verdict(pki.client(Some(name), Some(1000))), Ok(()));
        assert_eq!(verdict(pki.client(Some(name), Some(2000))), Ok(()));
        assert_eq!(
            verdict(pki.client(Some(name), Some(999))),
            Err(Error::CertificateNotYetValid)
        );
        assert_eq!(
            verdict(pki.client(Some(name), Some(2001))),
            Err(Error::CertificateExpired)
        );
        assert_eq!(
            verdict(pki.client(Some("us-1.game.example"), Some(1500))),
            Err(Error::CertificateWrongName)
        );
        assert_eq!(
            verdict(pki.client(Some("EU-1.game.example"), Some(1500))),
            Err(Error::CertificateWrongName)
        );
        // No expected name: any name the root certified.
        assert_eq!(verdict(pki.client(None, Some(1500))), Ok(()));
        // Another root.
        let other = Pki::new(rk, sk);
        assert_eq!(
            client_verdict(other.client(Some(name), Some(1500)), scfg.clone()),
            Err(Error::CertificateSignatureInvalid)
        );
        // A server without certificate.
        assert_eq!(
            client_verdict(
                pki.client(Some(name), Some(1500)),
                server_config(&pki.server)
            ),
            Err(Error::CertificateMissing)
        );
        // A pinned-key client accepts a certificate-carrying server (the key is what counts).
        assert_eq!(client_verdict(pinned(&pki.server), scfg.clone()), Ok(()));
    }
}

#[test]
fn certificates_use_the_system_clock_by_default() {
    let pki = Pki::new(KeyType::Ed25519, KeyType::EcdsaP256);
    let t = now();
    assert_eq!(
        client_verdict(
            pki.client(Some("a"), None),
            pki.server("a", t - 60, t + 3600)
        ),
        Ok(())
    );
    assert_eq!(
        client_verdict(pki.client(Some("a"), None), pki.server("a", 0, t - 3600)),
        Err(Error::CertificateExpired)
    );
    assert_eq!(
        client_verdict(
            pki.client(Some("a"), None),
            pki.server("a", t + 3600, t + 7200)
        ),
        Err(Error::CertificateNotYetValid)
    );
}

#[test]
fn a_certificate_signed_by_the_wrong_key_type_or_tampered_is_rejected() {
    let pki = Pki::new(KeyType::Ed25519, KeyType::Ed25519);
    let cert = Certificate::issue(&pki.root, pki.server.public_key(), "a", 0, 10).unwrap();
    let p256_root = SigningKey::generate(KeyType::EcdsaP256).unwrap();
    let parsed = Certificate::parse(cert.as_bytes()).unwrap();
    assert_eq!(
        parsed.verify(p256_root.public_key(), None, 5),
        Err(Error::CertificateSignatureInvalid)
    );
    assert_eq!(parsed.verify(pki.root.public_key(), Some("a"), 5), Ok(()));
    assert_eq!(parsed.server_name(), "a");
    assert_eq!(parsed.not_before(), 0);
    assert_eq!(parsed.not_after(), 10);
}

// ---- Downgrade protection (docs/PROTOCOL.md section 15) ----

/// A client offering both suites, an Ed25519 server, and the real handshake messages.
fn both_suites_setup() -> (SigningKey, Arc<ClientConfig>, Arc<ServerConfig>) {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedFingerprint(
        *key.public_key().fingerprint(),
    ))
    .unwrap()
    .suites(&classic_suites())
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(ccfg.suites().len(), 2);
    (key.clone(), ccfg, server_config(&key))
}

#[test]
fn a_server_ignoring_client_preference_is_a_downgrade() {
    // The server (holding the real key) claims to accept both suites but picks the client's
    // second choice. Its signature is valid; the client still refuses.
    let (key, ccfg, scfg) = both_suites_setup();
    let c = Session::new_client(ccfg, Mode::Stream).unwrap();
    let s = Session::new_server(scfg, Mode::Stream);
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    let ch = buf[..n].to_vec();
    s.read_handshake(&ch).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    let sh = buf[..n].to_vec();
    let l = sh_layout(&sh);
    assert_eq!(&sh[l.suite..l.suite + 2], &[0, 2]);
    assert_eq!(&sh[l.suite_count..l.share_len], &[1, 0, 2]);
    let mut body = sh[..l.suite_count].to_vec();
    body.extend([2, 0, 1, 0, 2]); // server_suites = [1, 2]
    body.extend(&sh[l.share_len..sh.len() - 64]);
    let forged = sign_server_hello(&ch, &body, &key, Suite::X25519Ed25519ChaCha20Poly1305Sha256);
    assert_eq!(c.read_handshake(&forged), Err(Error::DowngradeDetected));
}

#[test]
fn a_suite_the_client_did_not_offer_is_a_downgrade() {
    // Client offers only X25519; a ServerHello choosing P-256 is refused before anything else.
    let key = SigningKey::generate(KeyType::EcdsaP256).unwrap();
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedFingerprint(
        *key.public_key().fingerprint(),
    ))
    .unwrap()
    .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
    .unwrap()
    .build()
    .unwrap();
    let c = Session::new_client(ccfg, Mode::Stream).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    let ch = buf[..n].to_vec();
    // The real server answers a client offering P-256 ...
    let other_client = Session::new_client(
        ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
            .unwrap()
            .build()
            .unwrap(),
        Mode::Datagram,
    )
    .unwrap();
    let s = Session::new_server(server_config(&key), Mode::Datagram);
    let n = other_client.write_handshake(&mut buf).unwrap();
    s.read_handshake(&buf[..n]).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    // ... and that ServerHello (re-signed over our ClientHello) reaches our client.
    let sh = buf[..n].to_vec();
    let forged = sign_server_hello(
        &ch,
        &sh[..sh.len() - 64],
        &key,
        Suite::P256EcdsaAes256GcmSha256,
    );
    assert_eq!(c.read_handshake(&forged), Err(Error::DowngradeDetected));
}

#[test]
fn a_mitm_stripping_suites_from_the_client_hello_breaks_the_signature() {
    // Client offers [P-256, X25519]; the MITM removes the P-256 offer before the server sees
    // it. The server answers the stripped hello (here with the same choice), but it signs a
    // transcript that differs from the one the client computes.
    let (_key, ccfg, scfg) = both_suites_setup();
    let c = Session::new_client(ccfg, Mode::Stream).unwrap();
    let s = Session::new_server(scfg, Mode::Stream);
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    let ch = buf[..n].to_vec();
    // ClientHello offers: count at 35, then (u16 suite, u16 len, share) entries.
    assert_eq!(ch[35], 2);
    let first_len = 4 + u16::from_be_bytes([ch[38], ch[39]]) as usize;
    let mut stripped = ch[..35].to_vec();
    stripped.push(1);
    stripped.extend(&ch[36 + first_len..]);
    stripped.resize(1200, 0);
    s.read_handshake(&stripped).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    assert_eq!(
        c.read_handshake(&buf[..n]),
        Err(Error::HandshakeSignatureInvalid)
    );
}

#[test]
fn a_tampered_server_suite_list_is_detected() {
    let (_key, ccfg, scfg) = both_suites_setup();
    let c = Session::new_client(ccfg, Mode::Stream).unwrap();
    let s = Session::new_server(scfg, Mode::Stream);
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    s.read_handshake(&buf[..n]).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    let sh = buf[..n].to_vec();
    let l = sh_layout(&sh);
    // Claim [1, 2] without re-signing: the expected choice becomes 1 => downgrade.
    let mut m = sh[..l.suite_count].to_vec();
    m.extend([2, 0, 1, 0, 2]);
    m.extend(&sh[l.share_len..]);
    assert_eq!(c.read_handshake(&m), Err(Error::DowngradeDetected));
}

#[test]
fn an_impostor_with_its_own_key_is_refused_by_every_anchor() {
    // A MITM answers with a valid handshake under its own key.
    let real = SigningKey::generate(KeyType::Ed25519).unwrap();
    let mitm = SigningKey::generate(KeyType::Ed25519).unwrap();
    let mitm_root = SigningKey::generate(KeyType::Ed25519).unwrap();
    let root = SigningKey::generate(KeyType::Ed25519).unwrap();
    let mitm_cert = Certificate::issue(&mitm_root, mitm.public_key(), "srv", 0, u64::MAX).unwrap();
    let mitm_cfg = ServerConfig::builder(mitm.clone())
        .unwrap()
        .certificate(mitm_cert.as_bytes())
        .unwrap()
        .build();
    assert_eq!(
        client_verdict(pinned(&real), mitm_cfg.clone()),
        Err(Error::PinnedKeyMismatch)
    );
    let fp = ClientConfig::builder(TrustAnchor::PinnedFingerprint(
        *real.public_key().fingerprint(),
    ))
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(
        client_verdict(fp, mitm_cfg.clone()),
        Err(Error::FingerprintMismatch)
    );
    let rooted = ClientConfig::builder(TrustAnchor::Root(root.public_key().clone()))
        .unwrap()
        .server_name("srv")
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        client_verdict(rooted, mitm_cfg),
        Err(Error::CertificateSignatureInvalid)
    );
}
