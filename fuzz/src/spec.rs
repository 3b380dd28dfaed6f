//! Reference checks written from the specifications only (`docs/PROTOCOL.md`,
//! `docs/FORMATS.md`), not from the library's parsers. The targets compare the library's
//! verdict on every input with these. They use the library only for what the documents treat
//! as primitives: public-key validity (`PublicKey::from_raw`), signature verification and
//! fingerprints.

use crate::fixtures::ClientSpec;
use gamecrypt::aead::AeadAlgorithm;
use gamecrypt::keys::{KeyType, PublicKey, SignatureFormat};
use gamecrypt::session::{Suite, TrustAnchor};
use gamecrypt::Error;

/// PROTOCOL.md section 8: the prefix of the root's certificate signature.
pub const CERT_CONTEXT: &[u8] = b"gamecrypt certificate v1\x00";
/// PROTOCOL.md section 6: the prefix of the server's handshake signature.
pub const SERVER_SIGNATURE_CONTEXT: &[u8] = b"gamecrypt session v1 server signature\x00";

/// A big-endian reader that returns `None` when a field is incomplete.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8).map(|b| {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            u64::from_be_bytes(a)
        })
    }
}

/// Section 3: key type codes.
pub fn key_type_from_code(code: u8) -> Option<KeyType> {
    match code {
        1 => Some(KeyType::EcdsaP256),
        3 => Some(KeyType::Ed25519),
        _ => None,
    }
}

/// Section 3: raw identity key lengths.
pub fn identity_len(kt: KeyType) -> usize {
    match kt {
        KeyType::EcdsaP256 => 65,
        _ => 32,
    }
}

/// Section 3: ECDSA signatures are r||s, Ed25519 is pure.
pub fn signature_format(kt: KeyType) -> SignatureFormat {
    match kt {
        KeyType::EcdsaP256 => SignatureFormat::EcdsaFixed,
        _ => SignatureFormat::Default,
    }
}

/// Section 3: a raw identity key (P-256: 65 bytes starting with 0x04 and on the curve).
pub fn raw_identity_key(kt: KeyType, raw: &[u8]) -> Option<PublicKey> {
    if raw.len() != identity_len(kt) || (kt == KeyType::EcdsaP256 && raw[0] != 0x04) {
        return None;
    }
    PublicKey::from_raw(kt, raw).ok()
}

/// A certificate as section 8 describes it.
#[derive(Debug)]
pub struct SpecCert<'a> {
    pub key: PublicKey,
    pub not_before: u64,
    pub not_after: u64,
    pub name: &'a [u8],
    pub root_type: KeyType,
    pub root_id: [u8; 8],
    /// Every byte before the signature.
    pub signed: &'a [u8],
    pub signature: &'a [u8],
}

/// Section 8, "Parsing".
pub fn parse_certificate(b: &[u8]) -> Option<SpecCert<'_>> {
    let mut f = Fields(b);
    if f.u8()? != 0x01 {
        return None;
    }
    let kt = key_type_from_code(f.u8()?)?;
    let key_len = usize::from(f.u16()?);
    if key_len != identity_len(kt) {
        return None;
    }
    let key = raw_identity_key(kt, f.take(key_len)?)?;
    let not_before = f.u64()?;
    let not_after = f.u64()?;
    if not_before > not_after {
        return None;
    }
    let name_len = usize::from(f.u8()?);
    if name_len == 0 {
        return None;
    }
    let name = f.take(name_len)?;
    std::str::from_utf8(name).ok()?;
    let root_type = key_type_from_code(f.u8()?)?;
    let mut root_id = [0u8; 8];
    root_id.copy_from_slice(f.take(8)?);
    let signed_len = b.len() - f.0.len();
    let signature = f.take(64)?;
    if !f.0.is_empty() {
        return None;
    }
    Some(SpecCert {
        key,
        not_before,
        not_after,
        name,
        root_type,
        root_id,
        signed: &b[..signed_len],
        signature,
    })
}

/// Section 8, "Validation against a trusted root key".
pub fn verify_certificate(
    c: &SpecCert<'_>,
    root: &PublicKey,
    name: Option<&[u8]>,
    now: u64,
) -> Result<(), Error> {
    let signed = [CERT_CONTEXT, c.signed].concat();
    if root.key_type() != c.root_type
        || root.fingerprint()[..8] != c.root_id
        || root
            .verify(&signed, c.signature, signature_format(root.key_type()))
            .is_err()
    {
        return Err(Error::CertificateSignatureInvalid);
    }
    if now < c.not_before {
        return Err(Error::CertificateNotYetValid);
    }
    if now > c.not_after {
        return Err(Error::CertificateExpired);
    }
    match name {
        Some(n) if n != c.name => Err(Error::CertificateWrongName),
        _ => Ok(()),
    }
}

/// The X25519 public keys of small order (every encoding, the ignored top bit cleared):
/// 0, 1, the two points of order 8, p - 1, p, p + 1. Their ECDH output is all zero.
const X25519_SMALL_ORDER: [[u8; 32]; 7] = {
    let mut t = [[0u8; 32]; 7];
    t[1][0] = 1;
    t[2] = [
        0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4,
        0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49,
        0xb8, 0x00,
    ];
    t[3] = [
        0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef,
        0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f,
        0x11, 0x57,
    ];
    let mut i = 0;
    while i < 3 {
        let mut k = [0xffu8; 32];
        k[0] = 0xec + i as u8;
        k[31] = 0x7f;
        t[4 + i] = k;
        i += 1;
    }
    t
};

/// An X25519 share whose ECDH output is all zero.
pub fn x25519_small_order(share: &[u8]) -> bool {
    let mut s = [0u8; 32];
    if share.len() != 32 {
        return false;
    }
    s.copy_from_slice(share);
    s[31] &= 0x7f;
    X25519_SMALL_ORDER.contains(&s)
}

/// Section 3: a valid key share of `suite`'s group with a non-zero ECDH output.
pub fn share_valid(suite: Suite, share: &[u8]) -> bool {
    match suite {
        Suite::P256EcdsaAes256GcmSha256 => {
            share.len() == 65
                && share[0] == 0x04
                && PublicKey::from_raw(KeyType::EcdsaP256, share).is_ok()
        }
        _ => share.len() == 32 && !x25519_small_order(share),
    }
}

fn share_len(suite: Suite) -> usize {
    match suite {
        Suite::P256EcdsaAes256GcmSha256 => 65,
        _ => 32,
    }
}

fn parse_extensions(mut block: &[u8]) -> Option<()> {
    let mut seen = Vec::new();
    while !block.is_empty() {
        let mut f = Fields(block);
        let t = f.u16()?;
        let len = usize::from(f.u16()?);
        f.take(len)?;
        if seen.contains(&t) {
            return None;
        }
        seen.push(t);
        block = f.0;
    }
    Some(())
}

/// Section 4: the server's verdict on a ClientHello (the suite it chooses, or the error).
pub fn client_hello(msg: &[u8], server_suites: &[Suite]) -> Result<Suite, Error> {
    const M: Error = Error::HandshakeMalformed;
    let mut f = Fields(msg);
    if f.u8() != Some(0x01) {
        return Err(M);
    }
    if f.u16().ok_or(M)? != 0x0001 {
        return Err(Error::UnsupportedVersion);
    }
    if !(1200..=4096).contains(&msg.len()) {
        return Err(M);
    }
    f.take(32).ok_or(M)?;
    let n = f.u8().ok_or(M)?;
    if !(1..=16).contains(&n) {
        return Err(M);
    }
    let mut offers: Vec<(u16, &[u8])> = Vec::new();
    for _ in 0..n {
        let code = f.u16().ok_or(M)?;
        let len = usize::from(f.u16().ok_or(M)?);
        let share = f.take(len).ok_or(M)?;
        if offers.iter().any(|(c, _)| *c == code) {
            return Err(M);
        }
        offers.push((code, share));
    }
    let ext_len = usize::from(f.u16().ok_or(M)?);
    parse_extensions(f.take(ext_len).ok_or(M)?).ok_or(M)?;
    if f.0.iter().any(|&b| b != 0) {
        return Err(M);
    }
    let (suite, share) = offers
        .iter()
        .find_map(|&(code, share)| {
            server_suites
                .iter()
                .find(|s| s.code() == code)
                .map(|s| (*s, share))
        })
        .ok_or(Error::NoCommonSuite)?;
    if !share_valid(suite, share) {
        return Err(M);
    }
    Ok(suite)
}

/// What a client accepts from a ServerHello.
#[derive(Debug)]
pub struct Accepted {
    pub suite: Suite,
    pub server_key: PublicKey,
}

/// Section 7: the client's verdict on a ServerHello, given the ClientHello it sent (whose
/// first offer of each group is the client's share; only the suite list matters here).
pub fn server_hello(
    msg: &[u8],
    client_hello: &[u8],
    client: &ClientSpec,
) -> Result<Accepted, Error> {
    const M: Error = Error::HandshakeMalformed;
    let mut f = Fields(msg);
    // 1-2.
    if f.u8() != Some(0x02) {
        return Err(M);
    }
    if f.u16().ok_or(M)? != 0x0001 {
        return Err(Error::UnsupportedVersion);
    }
    // 3.
    if msg.len() > 4096 {
        return Err(M);
    }
    f.take(32).ok_or(M)?;
    let chosen = f.u16().ok_or(M)?;
    let m = f.u8().ok_or(M)?;
    if !(1..=16).contains(&m) {
        return Err(M);
    }
    let mut server_suites = Vec::new();
    for _ in 0..m {
        let c = f.u16().ok_or(M)?;
        if server_suites.contains(&c) {
            return Err(M);
        }
        server_suites.push(c);
    }
    let share_len_field = usize::from(f.u16().ok_or(M)?);
    let share = f.take(share_len_field).ok_or(M)?;
    let identity_type = f.u8().ok_or(M)?;
    let identity_len_field = usize::from(f.u16().ok_or(M)?);
    let identity = f.take(identity_len_field).ok_or(M)?;
    let ext_len = usize::from(f.u16().ok_or(M)?);
    f.take(ext_len).ok_or(M)?;
    if f.0.len() != 64 || ext_len != 0 {
        return Err(M);
    }
    let signature = f.0;
    // 4.
    let expected = client
        .suites
        .iter()
        .find(|s| server_suites.contains(&s.code()));
    let suite = match expected {
        Some(s) if s.code() == chosen => *s,
        _ => return Err(Error::DowngradeDetected),
    };
    // 5.
    if share.len() != share_len(suite) {
        return Err(M);
    }
    // 6.
    let kt = suite.key_type();
    let (server_key, cert) = match identity_type {
        0x01 => (raw_identity_key(kt, identity).ok_or(M)?, None),
        0x02 => {
            let c = parse_certificate(identity).ok_or(Error::CertificateMalformed)?;
            if c.key.key_type() != kt {
                return Err(M);
            }
            (c.key.clone(), Some(c))
        }
        _ => return Err(M),
    };
    // 7.
    let body = &msg[..msg.len() - 64];
    let th = gamecrypt::primitives::hash(
        gamecrypt::primitives::HashAlgorithm::Sha256,
        &[client_hello, body].concat(),
    );
    let signed = [SERVER_SIGNATURE_CONTEXT, th.as_ref()].concat();
    server_key
        .verify(&signed, signature, signature_format(kt))
        .map_err(|_| Error::HandshakeSignatureInvalid)?;
    // 8.
    match &client.anchor {
        TrustAnchor::PinnedKey(pin) => {
            if *pin != server_key {
                return Err(Error::PinnedKeyMismatch);
            }
        }
        TrustAnchor::PinnedFingerprint(fp) => {
            if fp != server_key.fingerprint() {
                return Err(Error::FingerprintMismatch);
            }
        }
        TrustAnchor::Root(root) => {
            let c = cert.as_ref().ok_or(Error::CertificateMissing)?;
            verify_certificate(c, root, client.server_name.map(str::as_bytes), client.now)?;
        }
    }
    // 9.
    if !share_valid(suite, share) {
        return Err(M);
    }
    Ok(Accepted { suite, server_key })
}

/// Who opens a box (FORMATS.md).
#[derive(Clone, Copy, Debug)]
pub enum Opener {
    Key(AeadAlgorithm),
    Password,
}

/// FORMATS.md "Opening: result codes", steps 1-5: the error of a box before decryption, or
/// the plaintext length it would open to.
pub fn box_precheck(b: &[u8], opener: Opener) -> Result<usize, Error> {
    if b.len() < 8 || b[..4] != *b"GCBX" {
        return Err(Error::BoxMalformed);
    }
    let alg = match b[6] {
        1 => Some(AeadAlgorithm::Aes256Gcm),
        2 => Some(AeadAlgorithm::ChaCha20Poly1305),
        _ => None,
    };
    if b[4] != 1 || !(1..=2).contains(&b[5]) || alg.is_none() || b[7] != 0 {
        return Err(Error::BoxUnsupported);
    }
    let password = b[5] == 2;
    let overhead = if password { 56 } else { 36 };
    if b.len() < overhead {
        return Err(Error::BoxMalformed);
    }
    if password {
        let it = u32::from_be_bytes([b[8], b[9], b[10], b[11]]);
        if it == 0 {
            return Err(Error::BoxMalformed);
        }
        if it > 10_000_000 {
            return Err(Error::BoxUnsupported);
        }
    }
    let mismatch = match opener {
        Opener::Key(a) => password || alg != Some(a),
        Opener::Password => !password,
    };
    if mismatch {
        return Err(Error::BoxKeyMismatch);
    }
    Ok(b.len() - overhead)
}
