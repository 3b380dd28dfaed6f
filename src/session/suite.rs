//! Cipher suites, key-exchange groups, ephemeral keys and the randomness source.

use crate::error::{Error, Result};
use crate::keys::{KeyType, SignatureFormat};
use aws_lc_rs::aead;
use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey};
use zeroize::Zeroizing;

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
}

impl Suite {
    /// Every suite, in the default client preference order.
    pub fn all() -> &'static [Suite] {
        &[
            Suite::P256EcdsaAes256GcmSha256,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256,
        ]
    }

    /// The 16-bit wire code (also the C constant).
    pub const fn code(self) -> u16 {
        match self {
            Suite::P256EcdsaAes256GcmSha256 => 0x0001,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256 => 0x0002,
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
        }
    }

    /// The type of server identity key that can sign for this suite.
    pub const fn key_type(self) -> KeyType {
        match self {
            Suite::P256EcdsaAes256GcmSha256 => KeyType::EcdsaP256,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256 => KeyType::Ed25519,
        }
    }

    pub(crate) const fn group(self) -> Group {
        match self {
            Suite::P256EcdsaAes256GcmSha256 => Group::P256,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256 => Group::X25519,
        }
    }

    pub(crate) fn aead(self) -> &'static aead::Algorithm {
        match self {
            Suite::P256EcdsaAes256GcmSha256 => &aead::AES_256_GCM,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256 => &aead::CHACHA20_POLY1305,
        }
    }

    pub(crate) const fn signature_format(self) -> SignatureFormat {
        match self {
            Suite::P256EcdsaAes256GcmSha256 => SignatureFormat::EcdsaFixed,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256 => SignatureFormat::Default,
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
}

impl Group {
    fn alg(self) -> &'static agreement::Algorithm {
        match self {
            Group::P256 => &agreement::ECDH_P256,
            Group::X25519 => &agreement::X25519,
        }
    }

    /// Length of a key share: uncompressed point (65) or X25519 u-coordinate (32).
    pub(crate) const fn share_len(self) -> usize {
        match self {
            Group::P256 => 65,
            Group::X25519 => 32,
        }
    }

    /// Length of a private scalar (used only by the deterministic test entropy).
    #[cfg(test)]
    pub(crate) const fn private_len(self) -> usize {
        32
    }
}

/// An ephemeral key-exchange private key and its public share.
pub(crate) struct Ephemeral {
    pub(crate) group: Group,
    key: PrivateKey,
    pub(crate) share: Vec<u8>,
}

impl Ephemeral {
    fn from_key(group: Group, key: PrivateKey) -> Result<Ephemeral> {
        let share = key.compute_public_key()?.as_ref().to_vec();
        if share.len() != group.share_len() {
            return Err(Error::Internal);
        }
        Ok(Ephemeral { group, key, share })
    }

    /// ECDH with the peer's share. Any invalid share (wrong length, not on the curve, not
    /// uncompressed, low order giving an all-zero secret) is `HandshakeMalformed`.
    pub(crate) fn agree(&self, peer_share: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        if peer_share.len() != self.group.share_len() {
            return Err(Error::HandshakeMalformed);
        }
        if self.group == Group::P256 && peer_share[0] != 0x04 {
            return Err(Error::HandshakeMalformed);
        }
        let secret = agreement::agree(
            &self.key,
            UnparsedPublicKey::new(self.group.alg(), peer_share),
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

/// Where the handshake gets its randomness. The system source is the only one outside tests.
pub(crate) trait Entropy {
    fn fill(&mut self, out: &mut [u8]) -> Result<()>;
    fn ephemeral(&mut self, group: Group) -> Result<Ephemeral>;
}

/// The operating system's random number generator (through aws-lc).
pub(crate) struct SystemEntropy;

impl Entropy for SystemEntropy {
    fn fill(&mut self, out: &mut [u8]) -> Result<()> {
        aws_lc_rs::rand::fill(out).map_err(|_| Error::RandomFailed)
    }

    fn ephemeral(&mut self, group: Group) -> Result<Ephemeral> {
        let key = PrivateKey::generate(group.alg()).map_err(|_| Error::RandomFailed)?;
        Ephemeral::from_key(group, key)
    }
}

/// Deterministic entropy for the test vectors: hands out the given bytes in order; each
/// ephemeral key takes the next 32 bytes as its private scalar.
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
        let scalar = self.take(group.private_len())?.to_vec();
        let key =
            PrivateKey::from_private_key(group.alg(), &scalar).map_err(|_| Error::Internal)?;
        Ephemeral::from_key(group, key)
    }
}
