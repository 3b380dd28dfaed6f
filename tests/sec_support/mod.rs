//! Helpers of the security tests (tests/sec_*.rs): the weak Ed25519 encodings, a forged
//! signature, a reference client written from docs/PROTOCOL.md that seals any ClientFinished
//! plaintext, and signing that bypasses the library's context refusal (what a malicious peer
//! with its own code does).
#![allow(dead_code, unused_imports)]

use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey};
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use gamecrypt::aead::{AeadAlgorithm, AeadKey};
use gamecrypt::keys::SigningKey;
use gamecrypt::primitives::{hash, hkdf_expand, hkdf_extract, HashAlgorithm};
use gamecrypt::session::{ServerConfig, Session};
use gamecrypt::Error;

/// The code of a weak Ed25519 public key.
pub const WEAK_KEY: Error = Error::PublicKeyWeak;
pub use crate::session_support::DROPPED;
/// The code of a root-trusting client configuration without an expected server name.
pub const NAME_REQUIRED: Error = Error::ServerNameRequired;
/// The code of a message refused by the generic sign (a protocol signature context).
pub const RESERVED_CONTEXT: Error = Error::SignContextReserved;

fn hex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

/// The 8 small-order points of edwards25519 in their canonical encodings (y little-endian,
/// top bit = sign of x), as listed in the literature (e.g. "Taming the many EdDSAs").
pub fn small_order_keys() -> Vec<[u8; 32]> {
    [
        "0100000000000000000000000000000000000000000000000000000000000000", // identity
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
        "0000000000000000000000000000000000000000000000000000000000000000", // order 4
        "0000000000000000000000000000000000000000000000000000000000000080", // order 4
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // order 8
    ]
    .iter()
    .map(|h| hex32(h))
    .collect()
}

/// Non-canonical encodings: y >= p (p, p + 1, p + 18 = 2^255 - 1, with either sign), and
/// x = 0 with the sign bit set.
pub fn non_canonical_keys() -> Vec<[u8; 32]> {
    [
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // y = 2^255 - 1
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // y = p + 1, sign
        "0100000000000000000000000000000000000000000000000000000000000080", // -0, y = 1
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // -0, y = p - 1
    ]
    .iter()
    .map(|h| hex32(h))
    .collect()
}

/// Every weak encoding: the 8 small-order ones, then the non-canonical ones.
pub fn weak_keys() -> Vec<[u8; 32]> {
    let mut v = small_order_keys();
    v.extend(non_canonical_keys());
    v
}

/// R = the identity point, S = 0: valid for every message under the identity key.
pub fn forged_signature() -> [u8; 64] {
    let mut s = [0u8; 64];
    s[0] = 1;
    s
}

/// The SubjectPublicKeyInfo DER of a raw Ed25519 key.
pub fn ed25519_spki(raw: &[u8; 32]) -> Vec<u8> {
    let mut v = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    v.extend_from_slice(raw);
    v
}

/// Signs `msg` with `key` directly through aws-lc (no context refusal, no low-S
/// normalization): what a peer with its own implementation does. ECDSA: r||s.
pub fn raw_sign(key: &SigningKey, msg: &[u8]) -> Vec<u8> {
    crate::session_support::raw_sign(key, msg, gamecrypt::keys::SignatureFormat::EcdsaFixed)
}

/// The raw public key bytes of an Ed25519 signing key through aws-lc.
pub fn ed25519_raw_public(key: &SigningKey) -> Vec<u8> {
    let der = key.to_pkcs8_der().unwrap();
    Ed25519KeyPair::from_pkcs8(&der)
        .unwrap()
        .public_key()
        .as_ref()
        .to_vec()
}

pub use crate::session_support::{is_high_s, negate_s, P256_N, P384_N};

/// A reference client (sections 4, 9, 10): an X25519 ClientHello offering suite 0x0002 only,
/// for a server that accepts it.
pub struct RefClient {
    pub client_hello: Vec<u8>,
    pub server_hello: Vec<u8>,
    c2s_key: [u8; 32],
    c2s_iv: [u8; 12],
}

impl RefClient {
    /// Sends the ClientHello to `server` and reads its ServerHello.
    pub fn start(server: &Session) -> RefClient {
        let eph = PrivateKey::generate(&agreement::X25519).unwrap();
        let share = eph.compute_public_key().unwrap();
        let mut ch = vec![0x01, 0x00, 0x01];
        ch.extend_from_slice(&[0x42; 32]);
        ch.extend_from_slice(&[1, 0x00, 0x02, 0x00, 0x20]);
        ch.extend_from_slice(share.as_ref());
        ch.extend_from_slice(&[0, 0]);
        ch.resize(1200, 0);
        server.read_handshake(&ch).unwrap();
        let mut sh = vec![0u8; server.pending_handshake_len().unwrap()];
        server.write_handshake(&mut sh).unwrap();
        let at = 38 + 2 * usize::from(sh[37]);
        let server_share = &sh[at + 2..at + 34];
        let shared = agreement::agree(
            &eph,
            UnparsedPublicKey::new(&agreement::X25519, server_share),
            (),
            |k| Ok(k.to_vec()),
        )
        .unwrap();
        let th = hash(
            HashAlgorithm::Sha256,
            &[&ch[..], &sh[..sh.len() - 64]].concat(),
        );
        let prk = hkdf_extract(HashAlgorithm::Sha256, th.as_ref(), &shared);
        let mut c2s = [0u8; 32];
        hkdf_expand(
            HashAlgorithm::Sha256,
            prk.as_ref(),
            b"gamecrypt v1 c2s",
            &mut c2s,
        )
        .unwrap();
        let (mut key, mut iv) = ([0u8; 32], [0u8; 12]);
        hkdf_expand(HashAlgorithm::Sha256, &c2s, b"gamecrypt v1 key", &mut key).unwrap();
        hkdf_expand(HashAlgorithm::Sha256, &c2s, b"gamecrypt v1 iv", &mut iv).unwrap();
        RefClient {
            client_hello: ch,
            server_hello: sh,
            c2s_key: key,
            c2s_iv: iv,
        }
    }

    /// The ClientFinished (type 0x03, packet number 0) with plaintext `p`.
    pub fn finished(&self, p: &[u8]) -> Vec<u8> {
        let header = [3u8, 0, 0, 0, 0, 0, 0, 0];
        let aead = AeadKey::from_bytes(AeadAlgorithm::ChaCha20Poly1305, &self.c2s_key).unwrap();
        let sealed = aead
            .seal_with_nonce_dangerous(&self.c2s_iv, &header, p)
            .unwrap();
        [&header[..], &sealed].concat()
    }

    /// A `client_signature` entry (section 21.3) for an Ed25519 key with this signature.
    pub fn ed25519_signature_entry(raw_key: &[u8; 32], sig: &[u8; 64]) -> Vec<u8> {
        let mut e = vec![0x01, 0x04, 0x00, 99, 3, 0x00, 32];
        e.extend_from_slice(raw_key);
        e.extend_from_slice(sig);
        e
    }

    /// `client_signed_message` (section 21.3) for the plaintext prefix `p_prime`.
    pub fn client_signed_message(&self, p_prime: &[u8]) -> Vec<u8> {
        let h = hash(
            HashAlgorithm::Sha256,
            &[&self.client_hello[..], &self.server_hello, p_prime].concat(),
        );
        [
            &b"gamecrypt session v1 client signature\x00"[..],
            h.as_ref(),
        ]
        .concat()
    }
}

/// A server session for suite 0x0002 with this configuration tweak.
pub fn x25519_server(
    key: SigningKey,
    tweak: impl FnOnce(
        gamecrypt::session::ServerConfigBuilder,
    ) -> gamecrypt::session::ServerConfigBuilder,
    mode: gamecrypt::session::Mode,
) -> Session {
    let b = ServerConfig::builder(key)
        .unwrap()
        .suites(&[gamecrypt::session::Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap();
    Session::new_server(tweak(b).build(), mode)
}

/// A suite-0x0002 server (fresh Ed25519 key) that requires a client signature and no token.
pub fn signature_required_server(mode: gamecrypt::session::Mode) -> Session {
    x25519_server(
        SigningKey::generate(gamecrypt::keys::KeyType::Ed25519).unwrap(),
        |b| {
            b.client_auth(gamecrypt::session::ClientAuthRequest {
                signature: gamecrypt::session::ClientAuthMode::Required,
                token: gamecrypt::session::ClientAuthMode::None,
            })
        },
        mode,
    )
}
