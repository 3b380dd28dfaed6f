//! Helpers shared by the session tests: the one place where test session pairs are made.
//!
//! Used by the integration tests (`mod session_support;`), by the crate's unit tests (through
//! `#[path]` in `src/lib.rs`, with `extern crate self as gamecrypt`) and by the benchmarks
//! (through `#[path]`), so that there is one definition of a session pair.
//!
//! It also holds the security tests' helpers (tests/sec_*.rs): the weak Ed25519 encodings, a
//! forged signature, a reference client written from docs/PROTOCOL.md that seals any
//! ClientFinished plaintext, and signing that bypasses the library's context refusal (what a
//! malicious peer with its own code does).
#![allow(dead_code)]

use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey};
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use gamecrypt::aead::{AeadAlgorithm, AeadKey};
use gamecrypt::keys::{KeyType, SignatureFormat, SigningKey};
use gamecrypt::primitives::{hash, hkdf_expand, hkdf_extract, HashAlgorithm};
use gamecrypt::session::{
    ClientAuthMode, ClientAuthRequest, ClientConfig, Mode, ServerConfig, ServerConfigBuilder,
    Session, State, Suite, TrustAnchor,
};
use gamecrypt::Error;
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

/// Server and client configurations (fresh key, pinned by the client) with exactly `suite`.
pub fn suite_configs(suite: Suite) -> (Arc<ServerConfig>, Arc<ClientConfig>) {
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
    (scfg, ccfg)
}

/// An established pair (pinned key, `mode`) negotiating exactly `suite`, which both sides
/// are configured with; checked on both sides.
pub fn established_suite(suite: Suite, mode: Mode) -> (Session, Session) {
    let (scfg, ccfg) = suite_configs(suite);
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

/// The side a handshake step runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

/// The one handshake loop: the three flights (ClientHello, ServerHello, ClientFinished),
/// each library call made through `step(side, call)`, which must run `call` once (to count
/// allocations or check states around it). Checks nothing itself.
pub fn handshake_steps(
    c: &Session,
    s: &Session,
    mut step: impl FnMut(Side, &mut dyn FnMut()),
) -> Transcript {
    let mut buf = vec![0u8; 4096];
    let mut n = 0;
    step(Side::Client, &mut || {
        n = c.write_handshake(&mut buf).unwrap()
    });
    let client_hello = buf[..n].to_vec();
    step(Side::Server, &mut || {
        s.read_handshake(&client_hello).unwrap()
    });
    step(Side::Server, &mut || {
        n = s.write_handshake(&mut buf).unwrap()
    });
    let server_hello = buf[..n].to_vec();
    step(Side::Client, &mut || {
        c.read_handshake(&server_hello).unwrap()
    });
    step(Side::Client, &mut || {
        n = c.write_handshake(&mut buf).unwrap()
    });
    let client_finished = buf[..n].to_vec();
    step(Side::Server, &mut || {
        s.read_handshake(&client_finished).unwrap()
    });
    Transcript {
        client_hello,
        server_hello,
        client_finished,
    }
}

/// Runs the handshake to completion and checks every state on the way.
pub fn handshake(c: &Session, s: &Session) -> Transcript {
    assert_eq!(c.state(), State::NeedWrite);
    assert_eq!(s.state(), State::NeedRead);
    // The state of the side that made each call, after it.
    let mut after = [
        State::NeedRead,    // client wrote the ClientHello
        State::NeedWrite,   // server read it
        State::NeedRead,    // server wrote the ServerHello
        State::NeedWrite,   // client read it
        State::Established, // client wrote the ClientFinished
        State::Established, // server read it
    ]
    .into_iter();
    handshake_steps(c, s, |side, call| {
        call();
        let session = if side == Side::Client { c } else { s };
        assert_eq!(session.state(), after.next().unwrap(), "{side:?}");
    })
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

/// A ClientHello without its zero padding: the core and the extension block, what the
/// transcript hashes (docs/PROTOCOL.md section 6). Parsed here, independently of the library.
pub fn unpadded(ch: &[u8]) -> &[u8] {
    let mut at = 1 + 2 + 32 + 1;
    for _ in 0..ch[35] {
        at += 4 + usize::from(u16::from_be_bytes([ch[at + 2], ch[at + 3]]));
    }
    &ch[..at + 2 + usize::from(u16::from_be_bytes([ch[at], ch[at + 1]]))]
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

/// Replaces the signature of a ServerHello body with a valid one over `client_hello` (its
/// unpadded part, as the transcript covers), as a malicious server holding `key` would
/// (section 6).
pub fn sign_server_hello(
    client_hello: &[u8],
    body: &[u8],
    key: &SigningKey,
    suite: Suite,
) -> Vec<u8> {
    let th = sha256(&[unpadded(client_hello), body]);
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

/// A tiny seeded PRNG (xorshift64*; seed it non-zero) for the simulations.
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
    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The code of a weak Ed25519 public key.
pub const WEAK_KEY: Error = Error::PublicKeyWeak;
/// The code of a root-trusting client configuration without an expected server name.
pub const NAME_REQUIRED: Error = Error::ServerNameRequired;
/// The code of a message refused by the generic sign (a protocol signature context).
pub const RESERVED_CONTEXT: Error = Error::SignContextReserved;

/// The bytes of a hex string (two digits a byte).
pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn hex32(s: &str) -> [u8; 32] {
    hex(s).try_into().unwrap()
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

/// The raw public key bytes of an Ed25519 signing key through aws-lc.
pub fn ed25519_raw_public(key: &SigningKey) -> Vec<u8> {
    let der = key.to_pkcs8_der().unwrap();
    Ed25519KeyPair::from_pkcs8(&der)
        .unwrap()
        .public_key()
        .as_ref()
        .to_vec()
}

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
            &[unpadded(&ch), &sh[..sh.len() - 64]].concat(),
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
            &[unpadded(&self.client_hello), &self.server_hello, p_prime].concat(),
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
    tweak: impl FnOnce(ServerConfigBuilder) -> ServerConfigBuilder,
    mode: Mode,
) -> Session {
    let b = ServerConfig::builder(key)
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap();
    Session::new_server(tweak(b).build(), mode)
}

/// A suite-0x0002 server (fresh Ed25519 key) that requires a client signature and no token.
pub fn signature_required_server(mode: Mode) -> Session {
    x25519_server(
        SigningKey::generate(KeyType::Ed25519).unwrap(),
        |b| {
            b.client_auth(ClientAuthRequest {
                signature: ClientAuthMode::Required,
                token: ClientAuthMode::None,
            })
        },
        mode,
    )
}
