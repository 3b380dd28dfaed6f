//! Reference checks written from the specifications only (`docs/PROTOCOL.md`,
//! `docs/FORMATS.md`), not from the library's parsers. The targets compare the library's
//! verdict on every input with these. They use the library only for what the documents treat
//! as primitives: public-key validity (`PublicKey::from_raw`), signature verification and
//! fingerprints.

use crate::fixtures::ClientSpec;
use gamecrypt::aead::{AeadAlgorithm, AeadKey};
use gamecrypt::keys::{KeyType, PublicKey, SignatureFormat, SigningKey};
use gamecrypt::primitives::{hash, hkdf_expand, hkdf_extract, hmac_sign, HashAlgorithm};
use gamecrypt::session::{Suite, TrustAnchor};
use gamecrypt::Error;

/// PROTOCOL.md section 8: the prefix of the root's certificate signature.
pub const CERT_CONTEXT: &[u8] = b"gamecrypt certificate v1\x00";
/// PROTOCOL.md section 6: the prefix of the server's handshake signature.
pub const SERVER_SIGNATURE_CONTEXT: &[u8] = b"gamecrypt session v1 server signature\x00";
/// Section 21.3: the prefix of the client's signature.
pub const CLIENT_SIGNATURE_CONTEXT: &[u8] = b"gamecrypt session v1 client signature\x00";
/// Section 22.2: the prefix of the cookie MAC input.
pub const COOKIE_LABEL: &[u8] = b"gamecrypt retry cookie v1\x00";

/// Section 3: the code of a weak Ed25519 key (`PublicKeyWeak`).
pub const WEAK_KEY: Error = Error::PublicKeyWeak;
/// Section 12.1: the code of a dropped handshake message (`HandshakeMessageDropped`).
pub const DROPPED: Error = Error::HandshakeMessageDropped;

/// Section 3: the 8 small-order Ed25519 encodings listed in the spec.
const ED25519_SMALL_ORDER: [&str; 8] = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
];

/// Section 3: a weak Ed25519 key (small order, y >= p, or x = 0 with the sign bit set).
pub fn ed25519_key_weak(raw: &[u8]) -> bool {
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    if ED25519_SMALL_ORDER.contains(&hex.as_str()) {
        return true;
    }
    // y little-endian without the top bit, compared with p = 2^255 - 19 from the top byte.
    let mut y = raw.to_vec();
    let sign = y[31] >> 7;
    y[31] &= 0x7f;
    let mut p = [0xffu8; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    let ge_p = y.iter().rev().cmp(p.iter().rev()) != std::cmp::Ordering::Less;
    let mut one = [0u8; 32];
    one[0] = 1;
    let mut p_minus_1 = p;
    p_minus_1[0] = 0xec;
    ge_p || (sign == 1 && (y == one || y == p_minus_1))
}

/// The order n of P-256, big-endian.
const P256_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// Section 3: 2s > n for the big-endian 32-byte s of a P-256 r||s signature.
fn p256_high_s(s: &[u8]) -> bool {
    // Double s into 33 bytes and compare with n (33 bytes with a leading zero).
    let mut d = [0u8; 33];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let v = u16::from(s[i]) * 2 + carry;
        d[i + 1] = v as u8;
        carry = v >> 8;
    }
    d[0] = carry as u8;
    let mut n = [0u8; 33];
    n[1..].copy_from_slice(&P256_N);
    d > n
}

/// Section 3: the low-S rule of the session's P-256 signatures (Ed25519: always true).
pub fn low_s(kt: KeyType, sig: &[u8]) -> bool {
    kt != KeyType::EcdsaP256 || (sig.len() == 64 && !p256_high_s(&sig[32..]))
}

/// A protocol signature (sections 6, 8, 21.3) as a compliant peer makes it, through aws-lc
/// (the library's generic sign refuses the protocol contexts): P-256 r||s low-S, or Ed25519.
pub fn protocol_sign(key: &SigningKey, msg: &[u8]) -> Vec<u8> {
    use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    let der = key.to_pkcs8_der().expect("pkcs8");
    match key.key_type() {
        KeyType::Ed25519 => Ed25519KeyPair::from_pkcs8(&der)
            .expect("ed25519")
            .sign(msg)
            .as_ref()
            .to_vec(),
        _ => {
            let kp =
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der).expect("p256");
            let rng = aws_lc_rs::rand::SystemRandom::new();
            let mut sig = kp.sign(&rng, msg).expect("sign").as_ref().to_vec();
            if p256_high_s(&sig[32..]) {
                // s := n - s
                let mut borrow = 0i16;
                for i in (0..32).rev() {
                    let mut d = i16::from(P256_N[i]) - i16::from(sig[32 + i]) - borrow;
                    borrow = i16::from(d < 0);
                    if d < 0 {
                        d += 256;
                    }
                    sig[32 + i] = d as u8;
                }
            }
            sig
        }
    }
}

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

/// [`raw_identity_key`] with the weak-key rule of section 3: `Err(WEAK_KEY)` for a weak
/// Ed25519 key, `Err(other)` for any other invalid key.
pub fn identity_key_or(kt: KeyType, raw: &[u8], other: Error) -> Result<PublicKey, Error> {
    if kt == KeyType::Ed25519 && raw.len() == 32 && ed25519_key_weak(raw) {
        return Err(WEAK_KEY);
    }
    raw_identity_key(kt, raw).ok_or(other)
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

/// Section 8, "Parsing": `CertificateMalformed`, or `WEAK_KEY` for a weak Ed25519 key (the
/// fields are checked in order).
pub fn parse_certificate(b: &[u8]) -> Result<SpecCert<'_>, Error> {
    let mut weak = false;
    parse_certificate_fields(b, &mut weak).ok_or(if weak {
        WEAK_KEY
    } else {
        Error::CertificateMalformed
    })
}

fn parse_certificate_fields<'a>(b: &'a [u8], weak: &mut bool) -> Option<SpecCert<'a>> {
    let mut f = Fields(b);
    if f.u8()? != 0x01 {
        return None;
    }
    let kt = key_type_from_code(f.u8()?)?;
    let key_len = usize::from(f.u16()?);
    if key_len != identity_len(kt) {
        return None;
    }
    let key = identity_key_or(kt, f.take(key_len)?, Error::CertificateMalformed)
        .map_err(|e| *weak = e == WEAK_KEY)
        .ok()?;
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
    if std::str::from_utf8(name).is_err() || name.contains(&0) {
        return None;
    }
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

/// Key-exchange groups (sections 3 and 20).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    P256,
    X25519,
    /// X25519MLKEM768 (section 20.1).
    Hybrid,
}

/// Sections 3 and 20: the suite codes of v1, with their group and identity key type.
pub fn suite_info(code: u16) -> Option<(Group, KeyType)> {
    match code {
        0x0001 => Some((Group::P256, KeyType::EcdsaP256)),
        0x0002 => Some((Group::X25519, KeyType::Ed25519)),
        0x0003 => Some((Group::Hybrid, KeyType::Ed25519)),
        0x0004 => Some((Group::Hybrid, KeyType::EcdsaP256)),
        _ => None,
    }
}

pub fn group(suite: Suite) -> Group {
    suite_info(suite.code()).expect("a v1 suite").0
}

/// The identity key type of a suite (section 3).
pub fn identity_type(suite: Suite) -> KeyType {
    suite_info(suite.code()).expect("a v1 suite").1
}

/// Sections 3 and 20.1: the AEAD of a suite.
pub fn aead_of(suite: Suite) -> AeadAlgorithm {
    match suite.code() {
        0x0001 | 0x0004 => AeadAlgorithm::Aes256Gcm,
        _ => AeadAlgorithm::ChaCha20Poly1305,
    }
}

/// Length of a client key share (sections 3 and 20.1).
pub fn client_share_len(g: Group) -> usize {
    match g {
        Group::P256 => 65,
        Group::X25519 => 32,
        Group::Hybrid => 1216,
    }
}

/// Length of a server key share (sections 3 and 20.1).
pub fn server_share_len(g: Group) -> usize {
    match g {
        Group::P256 => 65,
        Group::X25519 => 32,
        Group::Hybrid => 1120,
    }
}

/// Section 20.1 (FIPS 203 encapsulation key check): 1184 bytes, 768 12-bit coefficients
/// (little-endian packing, two per three bytes) each below q = 3329, then the 32-byte seed.
pub fn mlkem768_ek_valid(ek: &[u8]) -> bool {
    ek.len() == 1184
        && ek[..1152].chunks(3).all(|b| {
            let c0 = u16::from(b[0]) | (u16::from(b[1] & 0x0f) << 8);
            let c1 = u16::from(b[1] >> 4) | (u16::from(b[2]) << 4);
            c0 < 3329 && c1 < 3329
        })
}

fn p256_point_valid(share: &[u8]) -> bool {
    share.len() == 65 && share[0] == 0x04 && PublicKey::from_raw(KeyType::EcdsaP256, share).is_ok()
}

/// Sections 3, 4 (step 6) and 20.1: a valid client share of `g` with a non-zero ECDH output.
pub fn client_share_valid(g: Group, share: &[u8]) -> bool {
    match g {
        Group::P256 => p256_point_valid(share),
        Group::X25519 => share.len() == 32 && !x25519_small_order(share),
        Group::Hybrid => {
            share.len() == 1216
                && mlkem768_ek_valid(&share[..1184])
                && !x25519_small_order(&share[1184..])
        }
    }
}

/// Section 7 step 9 and 20.1: a server share of `g` (of the right length) with a non-zero
/// ECDH output. The ML-KEM ciphertext never fails (implicit rejection).
pub fn server_share_valid(g: Group, share: &[u8]) -> bool {
    match g {
        Group::P256 => p256_point_valid(share),
        Group::X25519 => share.len() == 32 && !x25519_small_order(share),
        Group::Hybrid => share.len() == 1120 && !x25519_small_order(&share[1088..]),
    }
}

/// Extension and entry codes (sections 21.1 and 22.3).
pub const EXT_COOKIE: u16 = 0x0101;
pub const EXT_CLIENT_AUTH: u16 = 0x0102;
pub const ENTRY_TOKEN: u16 = 0x0103;
pub const ENTRY_SIGNATURE: u16 = 0x0104;

/// A ClientHello that passed checks 1-4 of section 4.
#[derive(Debug)]
pub struct ParsedHello<'a> {
    /// Every byte before `ext_len` (section 22.1).
    pub core: &'a [u8],
    pub offers: Vec<(u16, &'a [u8])>,
    pub extensions: Vec<(u16, &'a [u8])>,
    pub len: usize,
}

impl<'a> ParsedHello<'a> {
    /// The cookie extension's data (section 22.3), if any.
    pub fn cookie(&self) -> Option<&'a [u8]> {
        self.extensions
            .iter()
            .find(|(t, _)| *t == EXT_COOKIE)
            .map(|(_, d)| *d)
    }

    /// Does it offer a hybrid suite (section 20.2)?
    pub fn offers_hybrid(&self) -> bool {
        self.offers
            .iter()
            .any(|(c, _)| matches!(suite_info(*c), Some((Group::Hybrid, _))))
    }
}

/// Section 4, server checks 1-4 (no cryptography).
pub fn parse_client_hello(msg: &[u8]) -> Result<ParsedHello<'_>, Error> {
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
        // Check 4: no suite 0x0000 (no phantom offers parsed from the zero padding).
        if code == 0 || offers.iter().any(|(c, _)| *c == code) {
            return Err(M);
        }
        offers.push((code, share));
    }
    let core = &msg[..msg.len() - f.0.len()];
    let ext_len = usize::from(f.u16().ok_or(M)?);
    let extensions = parse_extensions(f.take(ext_len).ok_or(M)?).ok_or(M)?;
    if f.0.iter().any(|&b| b != 0) {
        return Err(M);
    }
    Ok(ParsedHello {
        core,
        offers,
        extensions,
        len: msg.len(),
    })
}

/// (type, len, data) entries with distinct types (section 4, check 4).
fn parse_extensions(mut block: &[u8]) -> Option<Vec<(u16, &[u8])>> {
    let mut out: Vec<(u16, &[u8])> = Vec::new();
    while !block.is_empty() {
        let mut f = Fields(block);
        let t = f.u16()?;
        let len = usize::from(f.u16()?);
        let data = f.take(len)?;
        if out.iter().any(|(s, _)| *s == t) {
            return None;
        }
        out.push((t, data));
        block = f.0;
    }
    Some(out)
}

/// Section 4 checks 5-6 (suite selection of section 5, share and hybrid length checks).
pub fn choose_suite(h: &ParsedHello<'_>, server_suites: &[Suite]) -> Result<Suite, Error> {
    let (suite, share) = h
        .offers
        .iter()
        .find_map(|&(code, share)| {
            server_suites
                .iter()
                .find(|s| s.code() == code)
                .map(|s| (*s, share))
        })
        .ok_or(Error::NoCommonSuite)?;
    let g = group(suite);
    if !client_share_valid(g, share) || (g == Group::Hybrid && h.len < 2048) {
        return Err(Error::HandshakeMalformed);
    }
    Ok(suite)
}

/// Section 6: the ClientHello without its zero padding (`msg_type` through the extension
/// block, which ends it), what the transcript hashes. A message too short for its own
/// length fields is returned whole.
pub fn client_hello_unpadded(ch: &[u8]) -> &[u8] {
    let u16_at = |at: usize| {
        ch.get(at..at + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
    };
    let mut at = 36;
    for _ in 0..ch.get(35).copied().unwrap_or(0) {
        match u16_at(at + 2) {
            Some(len) => at += 4 + len,
            None => return ch,
        }
    }
    match u16_at(at) {
        Some(ext_len) if at + 2 + ext_len <= ch.len() => &ch[..at + 2 + ext_len],
        _ => ch,
    }
}

/// Section 6: `transcript_hash = SHA-256(CH_unpadded || SH_body)`.
pub fn transcript_hash(client_hello: &[u8], sh_body: &[u8]) -> Vec<u8> {
    hash(
        HashAlgorithm::Sha256,
        &[client_hello_unpadded(client_hello), sh_body].concat(),
    )
    .as_ref()
    .to_vec()
}

/// Section 4: the verdict of a server without retry on a ClientHello (the suite it chooses,
/// or the error).
pub fn client_hello(msg: &[u8], server_suites: &[Suite]) -> Result<Suite, Error> {
    choose_suite(&parse_client_hello(msg)?, server_suites)
}

/// The longest ServerHello a server may send for a suite (sections 6 and 20.2).
pub fn server_hello_max_len(suite: Suite) -> usize {
    if group(suite) == Group::Hybrid {
        1681
    } else {
        626
    }
}

/// What a client has to answer a client authentication request with (section 21.3).
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub key: Option<&'static SigningKey>,
    pub token: Option<Vec<u8>>,
}

/// What a client accepts from a ServerHello.
#[derive(Debug)]
pub struct Accepted {
    pub suite: Suite,
    pub server_key: PublicKey,
    /// The client authentication request (signature mode, token mode), if any.
    pub request: Option<(u8, u8)>,
}

/// Section 21.2: an extension block the client accepts, and the request it holds.
fn client_auth_request(block: &[u8]) -> Result<Option<(u8, u8)>, Error> {
    match block {
        [] => Ok(None),
        [0x01, 0x02, 0x00, 0x02, s, t] if *s <= 2 && *t <= 2 && (*s, *t) != (0, 0) => {
            Ok(Some((*s, *t)))
        }
        _ => Err(Error::HandshakeMalformed),
    }
}

/// Section 7: the client's verdict on a ServerHello, given the ClientHello it sent (only the
/// suite list of `client` matters, not its first offers), followed by the checks of section
/// 21.3 when the ServerHello carries a request.
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
    let ext = f.take(ext_len).ok_or(M)?;
    if f.0.len() != 64 {
        return Err(M);
    }
    let request = client_auth_request(ext)?;
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
    let g = group(suite);
    // 5.
    if share.len() != server_share_len(g) {
        return Err(M);
    }
    // 6.
    let kt = self::identity_type(suite);
    let (server_key, cert) = match identity_type {
        0x01 => (identity_key_or(kt, identity, M)?, None),
        0x02 => {
            let c = parse_certificate(identity)?;
            if c.key.key_type() != kt {
                return Err(M);
            }
            (c.key.clone(), Some(c))
        }
        _ => return Err(M),
    };
    // 7.
    let body = &msg[..msg.len() - 64];
    let th = transcript_hash(client_hello, body);
    let signed = [SERVER_SIGNATURE_CONTEXT, th.as_ref()].concat();
    if !low_s(kt, signature) {
        return Err(Error::HandshakeSignatureInvalid);
    }
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
    if !server_share_valid(g, share) {
        return Err(M);
    }
    // 21.3.
    if let Some((s, t)) = request {
        if s == 2 && client.credentials.key.is_none() {
            return Err(Error::ClientAuthRequired);
        }
        if t == 2 && client.credentials.token.is_none() {
            return Err(Error::ClientTokenRequired);
        }
    }
    Ok(Accepted {
        suite,
        server_key,
        request,
    })
}

fn entry(t: u16, data: &[u8]) -> Vec<u8> {
    [
        &t.to_be_bytes()[..],
        &(data.len() as u16).to_be_bytes(),
        data,
    ]
    .concat()
}

/// Section 21.3: the signed message of a client signature (over the unpadded ClientHello).
pub fn client_signed_message(ch: &[u8], sh: &[u8], p_prime: &[u8]) -> Vec<u8> {
    let h = hash(
        HashAlgorithm::Sha256,
        &[client_hello_unpadded(ch), sh, p_prime].concat(),
    );
    [CLIENT_SIGNATURE_CONTEXT, h.as_ref()].concat()
}

/// Section 21.3: the ClientFinished plaintext a client with `creds` sends for `request`
/// (an empty one without request). `ch` and `sh` are the complete hellos.
pub fn client_finished_plaintext(
    request: Option<(u8, u8)>,
    creds: &Credentials,
    ch: &[u8],
    sh: &[u8],
) -> Vec<u8> {
    let Some((s, t)) = request else {
        return Vec::new();
    };
    let mut p = Vec::new();
    if let (1..=2, Some(token)) = (t, &creds.token) {
        p.extend(entry(ENTRY_TOKEN, token));
    }
    if let (1..=2, Some(key)) = (s, creds.key) {
        let kt = key.key_type();
        let raw = key.public_key().raw().expect("raw client key");
        let code = if kt == KeyType::EcdsaP256 { 1u8 } else { 3 };
        let mut data = vec![code];
        data.extend_from_slice(&(raw.len() as u16).to_be_bytes());
        data.extend_from_slice(raw);
        let mut e = entry(ENTRY_SIGNATURE, &data);
        // The entry's length counts the signature that follows.
        let len = (data.len() + 64) as u16;
        e[2..4].copy_from_slice(&len.to_be_bytes());
        p.extend(e);
        let signed = client_signed_message(ch, sh, &p);
        p.extend(protocol_sign(key, &signed));
    }
    p
}

/// What a server learns from a valid authenticated ClientFinished (section 21.5).
#[derive(Debug, PartialEq)]
pub struct ClientIdentity {
    pub key: Option<PublicKey>,
    pub token: Option<Vec<u8>>,
}

/// Section 21.4 step 3-6 on an opened plaintext `p`.
pub fn check_finished_plaintext(
    p: &[u8],
    request: (u8, u8),
    ch: &[u8],
    sh: &[u8],
) -> Result<ClientIdentity, Error> {
    const M: Error = Error::HandshakeMalformed;
    let (sig_mode, token_mode) = request;
    let mut f = Fields(p);
    let mut last_type = None;
    let mut token = None;
    let mut signature = None;
    while !f.0.is_empty() {
        let t = f.u16().ok_or(M)?;
        let len = usize::from(f.u16().ok_or(M)?);
        let data = f.take(len).ok_or(M)?;
        if last_type.is_some_and(|l| t <= l) {
            return Err(M);
        }
        last_type = Some(t);
        match t {
            ENTRY_TOKEN if token_mode != 0 && (1..=1024).contains(&len) => token = Some(data),
            ENTRY_SIGNATURE if sig_mode != 0 && f.0.is_empty() => {
                let mut d = Fields(data);
                let kt = key_type_from_code(d.u8().ok_or(M)?).ok_or(M)?;
                let key_len = usize::from(d.u16().ok_or(M)?);
                if key_len != identity_len(kt) {
                    return Err(M);
                }
                let key = d.take(key_len).ok_or(M)?;
                if d.0.len() != 64 {
                    return Err(M);
                }
                signature = Some((kt, key, d.0));
            }
            _ => return Err(M),
        }
    }
    if sig_mode == 2 && signature.is_none() {
        return Err(Error::ClientAuthRequired);
    }
    if token_mode == 2 && token.is_none() {
        return Err(Error::ClientTokenRequired);
    }
    let key = match signature {
        None => None,
        Some((kt, raw, sig)) => {
            let key = identity_key_or(kt, raw, Error::ClientAuthInvalid)?;
            let signed = client_signed_message(ch, sh, &p[..p.len() - 64]);
            if !low_s(kt, sig) {
                return Err(Error::ClientAuthInvalid);
            }
            key.verify(&signed, sig, signature_format(kt))
                .map_err(|_| Error::ClientAuthInvalid)?;
            Some(key)
        }
    };
    Ok(ClientIdentity {
        key,
        token: token.map(<[u8]>::to_vec),
    })
}

/// Section 9 (and 17.1): the key and IV of a traffic secret.
pub fn packet_keys(secret: &[u8]) -> ([u8; 32], [u8; 12]) {
    let mut key = [0u8; 32];
    let mut iv = [0u8; 12];
    hkdf_expand(HashAlgorithm::Sha256, secret, b"gamecrypt v1 key", &mut key).expect("hkdf");
    hkdf_expand(HashAlgorithm::Sha256, secret, b"gamecrypt v1 iv", &mut iv).expect("hkdf");
    (key, iv)
}

/// Section 9: (c2s_secret, s2c_secret) from the ECDH output and the transcript hash.
pub fn traffic_secrets(shared: &[u8], transcript_hash: &[u8]) -> ([u8; 32], [u8; 32]) {
    let prk = hkdf_extract(HashAlgorithm::Sha256, transcript_hash, shared);
    let mut c2s = [0u8; 32];
    let mut s2c = [0u8; 32];
    hkdf_expand(
        HashAlgorithm::Sha256,
        prk.as_ref(),
        b"gamecrypt v1 c2s",
        &mut c2s,
    )
    .expect("hkdf");
    hkdf_expand(
        HashAlgorithm::Sha256,
        prk.as_ref(),
        b"gamecrypt v1 s2c",
        &mut s2c,
    )
    .expect("hkdf");
    (c2s, s2c)
}

/// Section 17.1: the next generation's secret.
pub fn next_secret(secret: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    hkdf_expand(
        HashAlgorithm::Sha256,
        secret,
        b"gamecrypt v1 key update",
        &mut out,
    )
    .expect("hkdf");
    out
}

/// One direction's packet protection (section 10).
pub struct PacketKey {
    key: AeadKey,
    iv: [u8; 12],
}

impl PacketKey {
    pub fn new(suite: Suite, secret: &[u8]) -> PacketKey {
        let (key, iv) = packet_keys(secret);
        PacketKey {
            key: AeadKey::from_bytes(aead_of(suite), &key).expect("aead key"),
            iv,
        }
    }

    fn nonce(&self, pn: u64) -> [u8; 12] {
        let mut n = self.iv;
        for (a, b) in n[4..].iter_mut().zip(pn.to_be_bytes()) {
            *a ^= b;
        }
        n
    }

    /// Section 10: a sealed packet.
    pub fn seal(&self, ptype: u8, pn: u64, plaintext: &[u8]) -> Vec<u8> {
        let mut header = vec![ptype];
        header.extend_from_slice(&pn.to_be_bytes()[1..]);
        let ct = self
            .key
            .seal_with_nonce_dangerous(&self.nonce(pn), &header, plaintext)
            .expect("seal");
        [header, ct].concat()
    }

    /// Section 10: opens a packet (header checks are the caller's).
    pub fn open(&self, packet: &[u8]) -> Option<Vec<u8>> {
        if packet.len() < 24 {
            return None;
        }
        let mut pn = [0u8; 8];
        pn[1..].copy_from_slice(&packet[1..8]);
        let pn = u64::from_be_bytes(pn);
        self.key
            .open_with_nonce(&self.nonce(pn), &packet[..8], &packet[8..])
            .ok()
            .map(|p| p.to_vec())
    }
}

/// Section 21.4: the verdict of a server that sent `request` on a ClientFinished, given the
/// c2s protection.
pub fn server_reads_auth_finished(
    msg: &[u8],
    c2s: &PacketKey,
    request: (u8, u8),
    ch: &[u8],
    sh: &[u8],
) -> Result<ClientIdentity, Error> {
    if !(24..=1188).contains(&msg.len()) || msg[..8] != [3, 0, 0, 0, 0, 0, 0, 0] {
        return Err(Error::HandshakeMalformed);
    }
    let p = c2s.open(msg).ok_or(Error::PacketAuthFailed)?;
    check_finished_plaintext(&p, request, ch, sh)
}

/// Section 12.1: does a server in datagram mode waiting for the ClientFinished drop `msg`
/// (a data or close packet, or a message that fails the layout or AEAD checks of section
/// 10.1 / 21.4 steps 1-2)? The first such message is dropped, not fatal.
pub fn finished_dropped(msg: &[u8], c2s: &PacketKey, auth: bool) -> bool {
    let data_or_close = msg.len() >= 24 && (0x40..=0x43).contains(&msg[0]);
    let max = if auth { 1188 } else { 24 };
    let layout = (24..=max).contains(&msg.len()) && msg[..8] == [3, 0, 0, 0, 0, 0, 0, 0];
    data_or_close || !layout || c2s.open(msg).is_none()
}

/// Section 12.1: is a client's failure on a ServerHello (checks of section 7) a drop in
/// datagram mode? Every check of section 7 is; the client's own requirements of section 21.3
/// (checked after an authenticated ServerHello) stay fatal.
pub fn server_hello_failure_dropped(e: Error) -> bool {
    !matches!(e, Error::ClientAuthRequired | Error::ClientTokenRequired)
}

/// Section 22.2: the reference cookie.
pub fn cookie(secret: &[u8; 32], slot: u64, address: &[u8], core: &[u8]) -> [u8; 40] {
    let core_hash = hash(HashAlgorithm::Sha256, core);
    let data = [
        COOKIE_LABEL,
        &slot.to_be_bytes(),
        &(address.len() as u16).to_be_bytes(),
        address,
        core_hash.as_ref(),
    ]
    .concat();
    let tag = hmac_sign(HashAlgorithm::Sha256, secret, &data);
    let mut out = [0u8; 40];
    out[..8].copy_from_slice(&slot.to_be_bytes());
    out[8..].copy_from_slice(tag.as_ref());
    out
}

/// Section 22.1: a Retry message.
pub fn retry_message(core: &[u8], cookie: &[u8]) -> Vec<u8> {
    let mut m = vec![0x04, 0x00, 0x01];
    m.extend_from_slice(hash(HashAlgorithm::Sha256, core).as_ref());
    m.push(cookie.len() as u8);
    m.extend_from_slice(cookie);
    m
}

/// Section 22.3: the cookie of a Retry that a client accepts after sending `ch`.
pub fn client_reads_retry<'a>(msg: &'a [u8], ch: &[u8]) -> Result<&'a [u8], Error> {
    const M: Error = Error::HandshakeMalformed;
    let mut f = Fields(msg);
    if f.u8() != Some(0x04) {
        return Err(M);
    }
    if f.u16().ok_or(M)? != 0x0001 {
        return Err(Error::UnsupportedVersion);
    }
    let h = f.take(32).ok_or(M)?;
    let n = usize::from(f.u8().ok_or(M)?);
    if n == 0 || f.0.len() != n {
        return Err(M);
    }
    let core = parse_client_hello(ch)
        .expect("the client's own ClientHello")
        .core;
    if h != hash(HashAlgorithm::Sha256, core).as_ref() {
        return Err(M);
    }
    Ok(f.0)
}

/// Section 22.3: the second ClientHello, with the cookie, built from the first's core.
pub fn client_hello_with_cookie(ch: &[u8], cookie: &[u8]) -> Result<Vec<u8>, Error> {
    let h = parse_client_hello(ch).expect("the client's own ClientHello");
    let mut m = h.core.to_vec();
    m.extend_from_slice(&((4 + cookie.len()) as u16).to_be_bytes());
    m.extend(entry(EXT_COOKIE, cookie));
    let min = if h.offers_hybrid() { 2048 } else { 1200 };
    if m.len() < min {
        m.resize(min, 0);
    }
    if m.len() > 4096 {
        return Err(Error::HandshakeMalformed);
    }
    Ok(m)
}

/// A retry-enabled server's cookie secrets and clock (section 22.2).
#[derive(Clone, Debug)]
pub struct RetryServer {
    pub current: [u8; 32],
    pub previous: Option<[u8; 32]>,
    pub period: u64,
    pub now: u64,
}

impl RetryServer {
    /// Section 22.2: is `cookie` valid for this address and ClientHello core?
    pub fn cookie_valid(&self, cookie: &[u8], address: &[u8], core: &[u8]) -> bool {
        if cookie.len() != 40 {
            return false;
        }
        let slot = self.now / self.period;
        let mut s = [0u8; 8];
        s.copy_from_slice(&cookie[..8]);
        let cslot = u64::from_be_bytes(s);
        if cslot != slot && Some(cslot) != slot.checked_sub(1) {
            return false;
        }
        std::iter::once(&self.current)
            .chain(self.previous.as_ref())
            .any(|secret| cookie == self::cookie(secret, cslot, address, core))
    }
}

/// What a server does with a datagram (section 22.4).
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Accept,
    SendRetry(Vec<u8>),
    Drop,
}

/// Section 22.4, with the address rule of section 22.2 (1..128 bytes, else `InvalidLength`).
pub fn check_client_hello(
    retry: Option<&RetryServer>,
    address: &[u8],
    datagram: &[u8],
) -> Result<Action, Error> {
    if !(1..=128).contains(&address.len()) {
        return Err(Error::InvalidLength);
    }
    let Ok(h) = parse_client_hello(datagram) else {
        return Ok(Action::Drop);
    };
    let Some(r) = retry else {
        return Ok(Action::Accept);
    };
    Ok(match h.cookie() {
        None => {
            let c = cookie(&r.current, r.now / r.period, address, h.core);
            Action::SendRetry(retry_message(h.core, &c))
        }
        Some(c) if r.cookie_valid(c, address, h.core) => Action::Accept,
        Some(_) => Action::Drop,
    })
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
