//! Cipher suites, key-exchange groups, ephemeral keys and the randomness source.

use crate::error::{Error, Result};
use crate::keys::{KeyType, SignatureFormat};
use aws_lc_rs::aead;
use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey};
use aws_lc_rs::kem::{Ciphertext, DecapsulationKey, EncapsulationKey, ML_KEM_768};
use zeroize::Zeroizing;

/// ML-KEM-768 sizes (FIPS 203).
pub(crate) const MLKEM768_EK_LEN: usize = 1184;
pub(crate) const MLKEM768_CT_LEN: usize = 1088;
pub(crate) const MLKEM768_SS_LEN: usize = 32;
/// Expanded decapsulation key (only used by the deterministic test entropy).
#[cfg(test)]
pub(crate) const MLKEM768_DK_LEN: usize = 2400;
const X25519_LEN: usize = 32;

/// A cipher suite: key exchange + server signature + key derivation + packet AEAD.
///
/// [`Suite::code`] is the 16-bit wire code and the C constant `GAMECRYPT_SUITE_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Suite {
    /// ECDH P-256, ECDSA P-256 (fixed r||s signatures), HKDF-SHA256, AES-256-GCM. The default.
    /// Code 0x0001.
    P256EcdsaAes256GcmSha256,
    /// X25519, Ed25519, HKDF-SHA256, ChaCha20-Poly1305. Code 0x0002.
    X25519Ed25519ChaCha20Poly1305Sha256,
    /// Hybrid X25519 + ML-KEM-768 key exchange (post-quantum), Ed25519, HKDF-SHA256,
    /// ChaCha20-Poly1305. Code 0x0003.
    X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
    /// Hybrid X25519 + ML-KEM-768 key exchange (post-quantum), ECDSA P-256 (fixed r||s),
    /// HKDF-SHA256, AES-256-GCM. Code 0x0004.
    X25519MlKem768EcdsaP256Aes256GcmSha256,
}

impl Suite {
    /// Every suite, in the default client preference order: the hybrid post-quantum suites
    /// first (docs/PROTOCOL.md section 20.3).
    pub fn all() -> &'static [Suite] {
        &[
            Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
            Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
            Suite::P256EcdsaAes256GcmSha256,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256,
        ]
    }

    /// Is the key exchange the hybrid X25519 + ML-KEM-768?
    pub const fn is_post_quantum(self) -> bool {
        matches!(self.group(), Group::X25519MlKem768)
    }

    /// The 16-bit wire code (also the C constant).
    pub const fn code(self) -> u16 {
        match self {
            Suite::P256EcdsaAes256GcmSha256 => 0x0001,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256 => 0x0002,
            Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256 => 0x0003,
            Suite::X25519MlKem768EcdsaP256Aes256GcmSha256 => 0x0004,
        }
    }

    /// The suite with this wire code, if it is known.
    pub fn from_code(code: u16) -> Option<Suite> {
        Suite::all().iter().copied().find(|s| s.code() == code)
    }

    /// The suite's name as written in the specification.
    pub const fn name(self) -> &'static str {
        match self {
            Suite::P256EcdsaAes256GcmSha256 => "P256_ECDSA_AES256GCM_SHA256",
            Suite::X25519Ed25519ChaCha20Poly1305Sha256 => "X25519_ED25519_CHACHA20POLY1305_SHA256",
            Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256 => {
                "X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256"
            }
            Suite::X25519MlKem768EcdsaP256Aes256GcmSha256 => {
                "X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256"
            }
        }
    }

    /// The type of server identity key that can sign for this suite.
    pub const fn key_type(self) -> KeyType {
        match self {
            Suite::P256EcdsaAes256GcmSha256 | Suite::X25519MlKem768EcdsaP256Aes256GcmSha256 => {
                KeyType::EcdsaP256
            }
            Suite::X25519Ed25519ChaCha20Poly1305Sha256
            | Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256 => KeyType::Ed25519,
        }
    }

    pub(crate) const fn group(self) -> Group {
        match self {
            Suite::P256EcdsaAes256GcmSha256 => Group::P256,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256 => Group::X25519,
            Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256
            | Suite::X25519MlKem768EcdsaP256Aes256GcmSha256 => Group::X25519MlKem768,
        }
    }

    pub(crate) fn aead(self) -> &'static aead::Algorithm {
        match self.key_type() {
            KeyType::EcdsaP256 => &aead::AES_256_GCM,
            _ => &aead::CHACHA20_POLY1305,
        }
    }

    pub(crate) const fn signature_format(self) -> SignatureFormat {
        match self.key_type() {
            KeyType::EcdsaP256 => SignatureFormat::EcdsaFixed,
            _ => SignatureFormat::Default,
        }
    }
}

/// Raw public key length on the wire for a key type usable as a session identity.
pub(crate) fn identity_key_len(key_type: KeyType) -> Option<usize> {
    match key_type {
        KeyType::EcdsaP256 => Some(crate::keys::P256_PUBLIC_KEY_LEN),
        KeyType::Ed25519 => Some(crate::keys::ED25519_PUBLIC_KEY_LEN),
        _ => None,
    }
}

/// A key-exchange group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Group {
    P256,
    X25519,
    /// X25519MLKEM768: ML-KEM-768 + X25519 (docs/PROTOCOL.md section 20.1).
    X25519MlKem768,
}

impl Group {
    /// The elliptic-curve part of the group.
    fn alg(self) -> &'static agreement::Algorithm {
        match self {
            Group::P256 => &agreement::ECDH_P256,
            Group::X25519 | Group::X25519MlKem768 => &agreement::X25519,
        }
    }

    /// The group of the elliptic-curve part (X25519 for the hybrid group).
    const fn ec_group(self) -> Group {
        match self {
            Group::P256 => Group::P256,
            _ => Group::X25519,
        }
    }

    /// Length of the client's key share: uncompressed point (65), X25519 u-coordinate (32),
    /// ML-KEM-768 encapsulation key || X25519 (1216).
    pub(crate) const fn share_len(self) -> usize {
        match self {
            Group::P256 => 65,
            Group::X25519 => X25519_LEN,
            Group::X25519MlKem768 => MLKEM768_EK_LEN + X25519_LEN,
        }
    }

    /// Length of the server's key share: as the client's, but ML-KEM-768 ciphertext ||
    /// X25519 (1120) for the hybrid group.
    pub(crate) const fn server_share_len(self) -> usize {
        match self {
            Group::X25519MlKem768 => MLKEM768_CT_LEN + X25519_LEN,
            g => g.share_len(),
        }
    }
}

/// An ephemeral key-exchange private key and its public share (the client's share for the
/// hybrid group).
pub(crate) struct Ephemeral {
    pub(crate) group: Group,
    key: PrivateKey,
    kem: Option<DecapsulationKey>,
    pub(crate) share: Vec<u8>,
}

impl Ephemeral {
    fn from_key(group: Group, key: PrivateKey) -> Result<Ephemeral> {
        let share = key.compute_public_key()?.as_ref().to_vec();
        if share.len() != group.share_len() {
            return Err(Error::Internal);
        }
        Ok(Ephemeral {
            group,
            key,
            kem: None,
            share,
        })
    }

    /// A hybrid ephemeral: share = encapsulation key || X25519 public key.
    fn hybrid(kem: DecapsulationKey, ek: &[u8], x25519: Ephemeral) -> Result<Ephemeral> {
        if ek.len() != MLKEM768_EK_LEN || x25519.group != Group::X25519 {
            return Err(Error::Internal);
        }
        let share = [ek, &x25519.share].concat();
        Ok(Ephemeral {
            group: Group::X25519MlKem768,
            key: x25519.key,
            kem: Some(kem),
            share,
        })
    }

    /// Client: the shared secret from the server's share. Classic groups: the ECDH output
    /// (32 bytes). Hybrid: ML-KEM-768 decapsulation of the ciphertext || X25519 (64 bytes).
    /// Any invalid share is `HandshakeMalformed`.
    pub(crate) fn agree(&self, peer_share: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if peer_share.len() != self.group.server_share_len() {
            return Err(Error::HandshakeMalformed);
        }
        match (&self.kem, self.group) {
            (Some(kem), Group::X25519MlKem768) => {
                let (ct, x) = peer_share.split_at(MLKEM768_CT_LEN);
                let ss = kem
                    .decapsulate(Ciphertext::from(ct))
                    .map_err(|_| Error::HandshakeMalformed)?;
                if ss.as_ref().len() != MLKEM768_SS_LEN {
                    return Err(Error::Internal);
                }
                let ecdh = self.ecdh(x)?;
                let mut out = Zeroizing::new(Vec::with_capacity(64));
                out.extend_from_slice(ss.as_ref());
                out.extend_from_slice(&ecdh[..]);
                Ok(out)
            }
            (None, Group::P256 | Group::X25519) => {
                let ecdh = self.ecdh(peer_share)?;
                Ok(Zeroizing::new(ecdh.to_vec()))
            }
            _ => Err(Error::Internal),
        }
    }

    /// ECDH of the elliptic-curve part with the peer's EC share. Any invalid share (wrong
    /// length, not on the curve, not uncompressed, low order giving an all-zero secret) is
    /// `HandshakeMalformed`.
    fn ecdh(&self, peer_share: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let ec = self.group.ec_group();
        if peer_share.len() != ec.share_len() {
            return Err(Error::HandshakeMalformed);
        }
        if ec == Group::P256 && peer_share[0] != 0x04 {
            return Err(Error::HandshakeMalformed);
        }
        let secret = agreement::agree(
            &self.key,
            UnparsedPublicKey::new(ec.alg(), peer_share),
            Error::HandshakeMalformed,
            |ss| {
                let mut out = Zeroizing::new([0u8; 32]);
                if ss.len() != 32 {
                    return Err(Error::HandshakeMalformed);
                }
                out.copy_from_slice(ss);
                Ok(out)
            },
        )?;
        if secret.iter().all(|&b| b == 0) {
            return Err(Error::HandshakeMalformed);
        }
        Ok(secret)
    }
}

/// Server: answers the client's share of `group` with its own share and the shared secret
/// (section 20.1 for the hybrid group). Randomness: the EC scalar from `ent`; the ML-KEM
/// encapsulation uses the system generator (aws-lc has no deterministic encapsulation).
pub(crate) fn server_exchange(
    group: Group,
    client_share: &[u8],
    ent: &mut dyn Entropy,
) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
    if client_share.len() != group.share_len() {
        return Err(Error::HandshakeMalformed);
    }
    match group {
        Group::P256 | Group::X25519 => {
            let eph = ent.ephemeral(group)?;
            let ss = eph.ecdh(client_share)?;
            Ok((eph.share, Zeroizing::new(ss.to_vec())))
        }
        Group::X25519MlKem768 => {
            let (ek, x) = client_share.split_at(MLKEM768_EK_LEN);
            let ek =
                EncapsulationKey::new(&ML_KEM_768, ek).map_err(|_| Error::HandshakeMalformed)?;
            let eph = ent.ephemeral(Group::X25519)?;
            let ss_x = eph.ecdh(x)?;
            let (ct, ss_k) = ek.encapsulate().map_err(|_| Error::HandshakeMalformed)?;
            if ct.as_ref().len() != MLKEM768_CT_LEN || ss_k.as_ref().len() != MLKEM768_SS_LEN {
                return Err(Error::Internal);
            }
            let share = [ct.as_ref(), &eph.share].concat();
            let mut ss = Zeroizing::new(Vec::with_capacity(64));
            ss.extend_from_slice(ss_k.as_ref());
            ss.extend_from_slice(&ss_x[..]);
            Ok((share, ss))
        }
    }
}

/// Where the handshake gets its randomness. The system source is the only one outside tests.
pub(crate) trait Entropy {
    fn fill(&mut self, out: &mut [u8]) -> Result<()>;
    fn ephemeral(&mut self, group: Group) -> Result<Ephemeral>;
}

/// The operating system's random number generator (through aws-lc's DRBG), drawn 64 bytes at
/// a time: a session's 32-byte random and its X25519 private scalar come from one
/// `RAND_bytes` call instead of two (each call costs ~2,400 instructions of DRBG update
/// whatever its length). Bytes are erased from the pool as they are handed out; the pool is
/// erased when dropped.
pub(crate) struct SystemEntropy {
    pool: Zeroizing<[u8; POOL_LEN]>,
    /// Bytes at the end of `pool` not handed out yet.
    left: usize,
}

const POOL_LEN: usize = 64;

impl SystemEntropy {
    pub(crate) fn new() -> SystemEntropy {
        SystemEntropy {
            pool: Zeroizing::new([0u8; POOL_LEN]),
            left: 0,
        }
    }
}

impl Entropy for SystemEntropy {
    fn fill(&mut self, out: &mut [u8]) -> Result<()> {
        let rand = |b: &mut [u8]| aws_lc_rs::rand::fill(b).map_err(|_| Error::RandomFailed);
        if out.len() > POOL_LEN {
            return rand(out);
        }
        if out.len() > self.left {
            rand(&mut self.pool[..])?;
            self.left = POOL_LEN;
        }
        let taken = &mut self.pool[POOL_LEN - self.left..][..out.len()];
        out.copy_from_slice(taken);
        taken.fill(0);
        self.left -= out.len();
        Ok(())
    }

    fn ephemeral(&mut self, group: Group) -> Result<Ephemeral> {
        if group == Group::X25519MlKem768 {
            let kem = DecapsulationKey::generate(&ML_KEM_768).map_err(|_| Error::RandomFailed)?;
            let ek = kem.encapsulation_key()?.key_bytes()?;
            let x = self.ephemeral(Group::X25519)?;
            return Ephemeral::hybrid(kem, ek.as_ref(), x);
        }
        let key = if group == Group::X25519 {
            // Any 32 bytes are an X25519 private key (RFC 7748 clamps them): the scalar from
            // the pool, as `X25519_keypair` would draw it.
            let mut scalar = Zeroizing::new([0u8; 32]);
            self.fill(&mut scalar[..])?;
            PrivateKey::from_private_key(group.alg(), &scalar[..])
                .map_err(|_| Error::RandomFailed)?
        } else {
            PrivateKey::generate(group.alg()).map_err(|_| Error::RandomFailed)?
        };
        Ephemeral::from_key(group, key)
    }
}

/// Deterministic entropy for the test vectors: hands out the given bytes in order; each
/// ephemeral key takes the next 32 bytes as its private scalar. A hybrid ephemeral takes the
/// 2400-byte expanded ML-KEM-768 decapsulation key, then the 32-byte X25519 scalar.
#[cfg(test)]
pub(crate) struct FixedEntropy {
    bytes: Vec<u8>,
    pos: usize,
}

#[cfg(test)]
impl FixedEntropy {
    pub(crate) fn new(bytes: Vec<u8>) -> FixedEntropy {
        FixedEntropy { bytes, pos: 0 }
    }

    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.pos + n;
        let out = self.bytes.get(self.pos..end).ok_or(Error::RandomFailed)?;
        self.pos = end;
        Ok(out)
    }

    pub(crate) fn is_used_up(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

#[cfg(test)]
impl Entropy for FixedEntropy {
    fn fill(&mut self, out: &mut [u8]) -> Result<()> {
        let n = out.len();
        out.copy_from_slice(self.take(n)?);
        Ok(())
    }

    fn ephemeral(&mut self, group: Group) -> Result<Ephemeral> {
        if group == Group::X25519MlKem768 {
            let dk = self.take(MLKEM768_DK_LEN)?.to_vec();
            let kem = DecapsulationKey::new(&ML_KEM_768, &dk).map_err(|_| Error::Internal)?;
            // FIPS 203: dk = dk_pke (384 * k = 1152 bytes) || ek || H(ek) || z.
            let ek = &dk[1152..1152 + MLKEM768_EK_LEN];
            let x = self.ephemeral(Group::X25519)?;
            return Ephemeral::hybrid(kem, ek, x);
        }
        let scalar = self.take(32)?.to_vec();
        let key =
            PrivateKey::from_private_key(group.alg(), &scalar).map_err(|_| Error::Internal)?;
        Ephemeral::from_key(group, key)
    }
}
