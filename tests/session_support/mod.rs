//! Helpers shared by the session tests: the one place where test session pairs are made.
//!
//! Used by the integration tests (`mod session_support;`), by the crate's unit tests (through
//! `#[path]` in `src/lib.rs`, with `extern crate self as gamecrypt`) and by the benchmarks
//! (through `#[path]`), so that there is one definition of a session pair.
#![allow(dead_code)]

use gamecrypt::keys::{KeyType, SignatureFormat, SigningKey};
use gamecrypt::session::{ClientConfig, Mode, ServerConfig, Session, State, Suite, TrustAnchor};
use std::sync::Arc;

/// The code of a handshake message dropped in datagram mode (docs/PROTOCOL.md section 12.1).
pub const DROPPED: gamecrypt::Error = gamecrypt::Error::HandshakeMessageDropped;

/// The classic (v1, non-hybrid) suites, in default preference order.
pub fn classic_suites() -> Vec<Suite> {
    Suite::all()
        .iter()
        .copied()
        .filter(|s| !s.is_post_quantum())
        .collect()
}

/// A server accepting the classic suite of its key type (the hybrid suites have their own
/// tests: tests/session_hardening.rs).
pub fn server_config(key: &SigningKey) -> Arc<ServerConfig> {
    let suites: Vec<Suite> = classic_suites()
        .into_iter()
        .filter(|s| s.key_type() == key.key_type())
        .collect();
    ServerConfig::builder(key.clone())
        .unwrap()
        .suites(&suites)
        .unwrap()
        .build()
}

/// A client pinning `key` and offering the classic suites.
pub fn pinned(key: &SigningKey) -> Arc<ClientConfig> {
    ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .suites(&classic_suites())
        .unwrap()
        .build()
        .unwrap()
}

/// Client and server sessions that trust each other (pinned key).
pub fn pair(kt: KeyType, mode: Mode) -> (Session, Session, SigningKey) {
    let key = SigningKey::generate(kt).unwrap();
    let c = Session::new_client(pinned(&key), mode).unwrap();
    let s = Session::new_server(server_config(&key), mode);
    (c, s, key)
}

/// An established pair (pinned key, `mode`) negotiating exactly `suite`, which both sides
/// are configured with; checked on both sides.
pub fn established_suite(suite: Suite, mode: Mode) -> (Session, Session) {
    let key = SigningKey::generate(suite.key_type()).unwrap();
    let scfg = ServerConfig::builder(key.clone())
        .unwrap()
        .suites(&[suite])
        .unwrap()
        .build();
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .suites(&[suite])
        .unwrap()
        .build()
        .unwrap();
    let c = Session::new_client(ccfg, mode).unwrap();
    let s = Session::new_server(scfg, mode);
    handshake(&c, &s);
    assert_eq!(c.suite().unwrap(), suite);
    assert_eq!(s.suite().unwrap(), suite);
    (c, s)
}

/// The three handshake messages of a completed handshake.
pub struct Transcript {
    pub client_hello: Vec<u8>,
    pub server_hello: Vec<u8>,
    pub client_finished: Vec<u8>,
}

/// Runs the handshake to completion and checks every state on the way.
pub fn handshake(c: &Session, s: &Session) -> Transcript {
    let mut buf = vec![0u8; 4096];
    assert_eq!(c.state(), State::NeedWrite);
    assert_eq!(s.state(), State::NeedRead);
    let n = c.write_handshake(&mut buf).unwrap();
    let client_hello = buf[..n].to_vec();
    assert_eq!(c.state(), State::NeedRead);
    s.read_handshake(&client_hello).unwrap();
    assert_eq!(s.state(), State::NeedWrite);
    let n = s.write_handshake(&mut buf).unwrap();
    let server_hello = buf[..n].to_vec();
    assert_eq!(s.state(), State::NeedRead);
    c.read_handshake(&server_hello).unwrap();
    assert_eq!(c.state(), State::NeedWrite);
    let n = c.write_handshake(&mut buf).unwrap();
    let client_finished = buf[..n].to_vec();
    assert_eq!(c.state(), State::Established);
    s.read_handshake(&client_finished).unwrap();
    assert_eq!(s.state(), State::Established);
    Transcript {
        client_hello,
        server_hello,
        client_finished,
    }
}

pub fn established(kt: KeyType, mode: Mode) -> (Session, Session) {
    let (c, s, _) = pair(kt, mode);
    handshake(&c, &s);
    (c, s)
}

pub fn seal(s: &Session, pt: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; pt.len() + 24];
    let n = s.seal(pt, &mut out).unwrap();
    out.truncate(n);
    out
}

pub fn open(s: &Session, pkt: &[u8]) -> gamecrypt::Result<Vec<u8>> {
    let mut out = vec![0u8; pkt.len()];
    let n = s.open(pkt, &mut out)?;
    out.truncate(n);
    Ok(out)
}

pub fn sha256(parts: &[&[u8]]) -> Vec<u8> {
    let mut ctx = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    for p in parts {
        ctx.update(p);
    }
    ctx.finish().as_ref().to_vec()
}

/// Field offsets of a v1 ServerHello (docs/PROTOCOL.md section 6).
pub struct ShLayout {
    pub suite: usize,
    pub suite_count: usize,
    pub share_len: usize,
}

pub fn sh_layout(sh: &[u8]) -> ShLayout {
    let suite = 35;
    let suite_count = 37;
    let share_len = suite_count + 1 + 2 * sh[suite_count] as usize;
    ShLayout {
        suite,
        suite_count,
        share_len,
    }
}

/// Replaces the signature of a ServerHello body with a valid one over `client_hello`, as a
/// malicious server holding `key` would (section 6).
pub fn sign_server_hello(
    client_hello: &[u8],
    body: &[u8],
    key: &SigningKey,
    suite: Suite,
) -> Vec<u8> {
    let th = sha256(&[client_hello, body]);
    let mut msg = b"gamecrypt session v1 server signature\x00".to_vec();
    msg.extend_from_slice(&th);
    let format = match suite {
        Suite::P256EcdsaAes256GcmSha256 => SignatureFormat::EcdsaFixed,
        _ => SignatureFormat::Default,
    };
    let mut out = body.to_vec();
    out.extend(raw_sign(key, &msg, format));
    out
}

/// Signs `msg` with `key` directly through aws-lc, as a peer with its own implementation
/// does: without the library's refusal of the protocol's signature contexts. P-256 r||s
/// (`EcdsaFixed`) is low-S, as the protocol requires; other ECDSA forms are as aws-lc
/// makes them.
pub fn raw_sign(key: &SigningKey, msg: &[u8], format: SignatureFormat) -> Vec<u8> {
    use aws_lc_rs::signature::{self as sig, EcdsaKeyPair, Ed25519KeyPair};
    let der = key.to_pkcs8_der().unwrap();
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let ecdsa = |alg: &'static sig::EcdsaSigningAlgorithm| {
        let kp = EcdsaKeyPair::from_pkcs8(alg, &der).unwrap();
        kp.sign(&rng, msg).unwrap().as_ref().to_vec()
    };
    let fixed = format == SignatureFormat::EcdsaFixed;
    match key.key_type() {
        KeyType::Ed25519 => Ed25519KeyPair::from_pkcs8(&der)
            .unwrap()
            .sign(msg)
            .as_ref()
            .to_vec(),
        KeyType::EcdsaP256 if fixed => {
            // Low-S (docs/PROTOCOL.md section 3), as every compliant signer sends.
            let mut s = ecdsa(&sig::ECDSA_P256_SHA256_FIXED_SIGNING);
            if is_high_s(&s[32..], &P256_N) {
                let low = negate_s(&s[32..], &P256_N);
                s[32..].copy_from_slice(&low);
            }
            s
        }
        KeyType::EcdsaP256 => ecdsa(&sig::ECDSA_P256_SHA256_ASN1_SIGNING),
        KeyType::EcdsaP384 if fixed => ecdsa(&sig::ECDSA_P384_SHA384_FIXED_SIGNING),
        KeyType::EcdsaP384 => ecdsa(&sig::ECDSA_P384_SHA384_ASN1_SIGNING),
        kt => panic!("raw_sign: {kt:?}"),
    }
}

/// The order n of P-256, big-endian.
pub const P256_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
/// The order n of P-384, big-endian.
pub const P384_N: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

/// 2 * s > n, for big-endian s and n of the same length (u128 limbs would do; bytes suffice).
pub fn is_high_s(s: &[u8], n: &[u8]) -> bool {
    // Compare 2s with n: double s with a carry, from the least significant byte.
    let mut doubled = vec![0u8; s.len() + 1];
    let mut carry = 0u16;
    for i in (0..s.len()).rev() {
        let v = u16::from(s[i]) * 2 + carry;
        doubled[i + 1] = v as u8;
        carry = v >> 8;
    }
    doubled[0] = carry as u8;
    let mut nn = vec![0u8];
    nn.extend_from_slice(n);
    doubled > nn
}

/// n - s, big-endian.
pub fn negate_s(s: &[u8], n: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; n.len()];
    let mut borrow = 0i32;
    for i in (0..n.len()).rev() {
        let mut d = i32::from(n[i]) - i32::from(s[i]) - borrow;
        borrow = i32::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

/// A tiny seeded PRNG (xorshift64*) for the simulations.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
