//! Issue 7, finding 1: weak Ed25519 public keys (the 8 small-order points and non-canonical
//! encodings) are refused wherever a public key enters: raw, SubjectPublicKeyInfo and PEM
//! import, certificates, the ServerHello's raw key (pinned fingerprint) and certificate (root
//! trust), and the client's key in client authentication. With the identity key, the
//! signature R = identity, S = 0 verifies for every message: before the fix each of these
//! paths accepted a key nobody holds.

mod session_support;

use gamecrypt::keys::{KeyType, PublicKey, SignatureFormat, SigningKey};
use gamecrypt::session::{Certificate, ClientConfig, Mode, Session, State, Suite, TrustAnchor};
use gamecrypt::Error;
use session_support::*;

#[test]
fn every_weak_encoding_is_refused_by_raw_spki_and_pem_import() {
    for k in weak_keys() {
        assert_eq!(
            PublicKey::from_raw(KeyType::Ed25519, &k).unwrap_err(),
            WEAK_KEY,
            "{k:02x?}"
        );
        let spki = ed25519_spki(&k);
        assert_eq!(PublicKey::from_spki_der(&spki).unwrap_err(), WEAK_KEY);
        let pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            base64_encode(&spki)
        );
        assert_eq!(PublicKey::from_pem(pem.as_bytes()).unwrap_err(), WEAK_KEY);
    }
    // A real key still imports in every form.
    let good = SigningKey::generate(KeyType::Ed25519).unwrap();
    let raw = good.public_key().raw().unwrap().to_vec();
    PublicKey::from_raw(KeyType::Ed25519, &raw).unwrap();
    PublicKey::from_spki_der(good.public_key().spki_der()).unwrap();
    PublicKey::from_pem(good.public_key().to_pem().as_bytes()).unwrap();
}

fn base64_encode(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A certificate (section 8) for `weak` under `root`, correctly signed by the root.
fn certificate_for(root: &SigningKey, weak: &[u8; 32], name: &str) -> Vec<u8> {
    let placeholder = SigningKey::generate(KeyType::Ed25519).unwrap();
    let cert = Certificate::issue(root, placeholder.public_key(), name, 0, u64::MAX).unwrap();
    let mut bytes = cert.as_bytes().to_vec();
    assert_eq!(bytes[1..4], [3, 0, 32]);
    bytes[4..36].copy_from_slice(weak);
    let body_len = bytes.len() - 64;
    let signed = [&b"gamecrypt certificate v1\x00"[..], &bytes[..body_len]].concat();
    let sig = raw_sign(root, &signed, SignatureFormat::EcdsaFixed);
    bytes[body_len..].copy_from_slice(&sig);
    bytes
}

#[test]
fn a_certificate_for_a_weak_key_is_refused_although_the_root_signed_it() {
    for root_type in [KeyType::Ed25519, KeyType::EcdsaP256] {
        let root = SigningKey::generate(root_type).unwrap();
        for k in weak_keys() {
            let bytes = certificate_for(&root, &k, "srv");
            assert_eq!(
                Certificate::parse(&bytes).unwrap_err(),
                WEAK_KEY,
                "{k:02x?}"
            );
        }
    }
}

/// Offsets of the identity field of a one-suite X25519 ServerHello (section 6).
fn identity_at(sh: &[u8]) -> usize {
    let at = 38 + 2 * usize::from(sh[37]);
    let share_len = usize::from(u16::from_be_bytes([sh[at], sh[at + 1]]));
    at + 2 + share_len
}

/// A real ServerHello whose identity field is replaced by (`id_type`, `identity`) and whose
/// signature is the forgery R = identity, S = 0. Returns the client's verdict and state.
fn client_verdict(
    client: ClientConfigArc,
    id_type: u8,
    identity: &[u8],
    mode: Mode,
) -> (Result<(), Error>, State) {
    let server_key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let server = x25519_server(server_key, |b| b, mode);
    let c = Session::new_client(client, mode).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    server.read_handshake(&buf[..n]).unwrap();
    let n = server.write_handshake(&mut buf).unwrap();
    let sh = &buf[..n];
    let at = identity_at(sh);
    let old_len = usize::from(u16::from_be_bytes([sh[at + 1], sh[at + 2]]));
    let mut forged = sh[..at].to_vec();
    forged.push(id_type);
    forged.extend_from_slice(&(identity.len() as u16).to_be_bytes());
    forged.extend_from_slice(identity);
    forged.extend_from_slice(&sh[at + 3 + old_len..n - 64]);
    forged.extend_from_slice(&forged_signature());
    let got = c.read_handshake(&forged);
    (got, c.state())
}

type ClientConfigArc = std::sync::Arc<ClientConfig>;

fn x25519_client(anchor: TrustAnchor, name: Option<&str>) -> ClientConfigArc {
    let mut b = ClientConfig::builder(anchor)
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap();
    if let Some(n) = name {
        b = b.server_name(n).unwrap();
    }
    b.build().unwrap()
}

fn fingerprint(spki: &[u8]) -> [u8; 32] {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, spki);
    d.as_ref().try_into().unwrap()
}

#[test]
fn a_server_hello_with_a_weak_raw_key_is_refused_by_a_fingerprint_pinning_client() {
    for k in weak_keys() {
        let cfg = x25519_client(
            TrustAnchor::PinnedFingerprint(fingerprint(&ed25519_spki(&k))),
            None,
        );
        let (got, state) = client_verdict(cfg, 0x01, &k, Mode::Stream);
        assert_eq!(got, Err(WEAK_KEY), "{k:02x?}");
        assert_eq!(state, State::Failed);
    }
}

#[test]
fn a_server_hello_with_a_certificate_for_a_weak_key_is_refused_by_a_root_trusting_client() {
    let root = SigningKey::generate(KeyType::Ed25519).unwrap();
    for k in weak_keys() {
        let cfg = x25519_client(TrustAnchor::Root(root.public_key().clone()), Some("srv"));
        let cert = certificate_for(&root, &k, "srv");
        let (got, state) = client_verdict(cfg, 0x02, &cert, Mode::Stream);
        assert_eq!(got, Err(WEAK_KEY), "{k:02x?}");
        assert_eq!(state, State::Failed);
    }
}

#[test]
fn the_forgery_is_rejected_for_a_real_key() {
    // Control: with the real server's key, the forged signature fails at step 7.
    let server_key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let raw: [u8; 32] = server_key.public_key().raw().unwrap().try_into().unwrap();
    let cfg = x25519_client(
        TrustAnchor::PinnedFingerprint(fingerprint(&ed25519_spki(&raw))),
        None,
    );
    let (got, _) = client_verdict(cfg, 0x01, &raw, Mode::Stream);
    assert_eq!(got, Err(Error::HandshakeSignatureInvalid));
}

#[test]
fn a_client_key_of_small_order_is_refused_by_the_server() {
    for k in weak_keys() {
        let server = signature_required_server(Mode::Stream);
        let client = RefClient::start(&server);
        let p = RefClient::ed25519_signature_entry(&k, &forged_signature());
        let got = server.read_handshake(&client.finished(&p));
        assert_eq!(got, Err(WEAK_KEY), "{k:02x?}");
        assert_eq!(server.state(), State::Failed);
    }
}

#[test]
fn a_real_client_key_still_authenticates_through_the_reference_client() {
    // Control for the harness above: a correct signature entry reaches NEED_ACCEPT.
    let server = signature_required_server(Mode::Stream);
    let client = RefClient::start(&server);
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let raw: [u8; 32] = key.public_key().raw().unwrap().try_into().unwrap();
    let mut p = RefClient::ed25519_signature_entry(&raw, &[0; 64]);
    let signed_len = p.len() - 64;
    let sig = raw_sign(
        &key,
        &client.client_signed_message(&p[..signed_len]),
        SignatureFormat::EcdsaFixed,
    );
    p[signed_len..].copy_from_slice(&sig);
    server.read_handshake(&client.finished(&p)).unwrap();
    assert_eq!(server.state(), State::NeedAccept);
    assert_eq!(
        server.client_public_key().unwrap().unwrap(),
        *key.public_key()
    );
}

#[test]
fn aws_lc_rejects_ed25519_signatures_with_s_at_or_above_the_group_order() {
    // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let sig = key.sign(b"message", SignatureFormat::Default).unwrap();
    key.public_key()
        .verify(b"message", &sig, SignatureFormat::Default)
        .unwrap();
    // S + L (the same scalar mod L, a non-canonical S).
    let mut bad = sig.clone();
    let mut carry = 0u16;
    for i in 0..32 {
        let v = u16::from(bad[32 + i]) + u16::from(L[i]) + carry;
        bad[32 + i] = v as u8;
        carry = v >> 8;
    }
    assert_eq!(carry, 0);
    assert_eq!(
        key.public_key()
            .verify(b"message", &bad, SignatureFormat::Default),
        Err(Error::SignatureInvalid)
    );
    // S = L exactly (with R = identity) is refused as well.
    let mut s_is_l = forged_signature();
    s_is_l[32..].copy_from_slice(&L);
    assert_eq!(
        key.public_key()
            .verify(b"message", &s_is_l, SignatureFormat::Default),
        Err(Error::SignatureInvalid)
    );
}
