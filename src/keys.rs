//! Signing keys and public keys: generate, import, export, sign, verify, fingerprint.
//!
//! Both types are cheap to clone (the key material is shared behind an `Arc`) and are
//! `Send + Sync`: one key may sign or verify from many threads at once.

use crate::error::{Error, Result};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as sig, EcdsaKeyPair, Ed25519KeyPair, KeyPair, ParsedPublicKey};
use std::fmt;
use std::sync::Arc;

/// Size of an Ed25519 public key and of each half of a P-256 signature.
pub const ED25519_PUBLIC_KEY_LEN: usize = 32;
/// Uncompressed X9.62 P-256 point (0x04 || x || y).
pub const P256_PUBLIC_KEY_LEN: usize = 65;
/// Compressed X9.62 P-256 point (0x02/0x03 || x).
pub const P256_COMPRESSED_PUBLIC_KEY_LEN: usize = 33;
/// Uncompressed X9.62 P-384 point.
pub const P384_PUBLIC_KEY_LEN: usize = 97;
/// Compressed X9.62 P-384 point.
pub const P384_COMPRESSED_PUBLIC_KEY_LEN: usize = 49;
/// Ed25519 signature.
pub const ED25519_SIGNATURE_LEN: usize = 64;
/// ECDSA P-256 signature in fixed r||s (IEEE P1363) form.
pub const P256_FIXED_SIGNATURE_LEN: usize = 64;
/// ECDSA P-384 signature in fixed r||s (IEEE P1363) form.
pub const P384_FIXED_SIGNATURE_LEN: usize = 96;
/// Largest ECDSA P-256 signature in DER form.
pub const P256_MAX_DER_SIGNATURE_LEN: usize = 72;
/// Largest ECDSA P-384 signature in DER form.
pub const P384_MAX_DER_SIGNATURE_LEN: usize = 104;
/// Largest signature of any supported key (RSA-8192).
pub const MAX_SIGNATURE_LEN: usize = 1024;
/// SHA-256 fingerprint of a public key's SubjectPublicKeyInfo DER.
pub const FINGERPRINT_LEN: usize = 32;

/// The type of a key. The numbers are the C constants `GAMECRYPT_KEY_TYPE_*`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// ECDSA on P-256 with SHA-256: the default.
    EcdsaP256 = 1,
    /// ECDSA on P-384 with SHA-384.
    EcdsaP384 = 2,
    /// Ed25519.
    Ed25519 = 3,
    /// RSA (import, sign and verify only), 2048 to 8192 bits.
    Rsa = 4,
}

impl KeyType {
    /// The key type with this C constant.
    pub fn from_code(code: u32) -> Result<KeyType> {
        match code {
            1 => Ok(KeyType::EcdsaP256),
            2 => Ok(KeyType::EcdsaP384),
            3 => Ok(KeyType::Ed25519),
            4 => Ok(KeyType::Rsa),
            _ => Err(Error::InvalidArgument),
        }
    }
}

/// How a signature is encoded. The numbers are the C constants `GAMECRYPT_SIGNATURE_*`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureFormat {
    /// The natural format of the key: DER for ECDSA, the only format for Ed25519,
    /// PKCS#1 v1.5 with SHA-256 for RSA.
    Default = 0,
    /// ECDSA only: ASN.1 DER `SEQUENCE { r, s }` (what OpenSSL writes).
    EcdsaDer = 1,
    /// ECDSA only: fixed-length `r || s` (IEEE P1363, what JWS and WebCrypto use).
    EcdsaFixed = 2,
    /// RSA only: PKCS#1 v1.5 with SHA-256.
    RsaPkcs1Sha256 = 3,
    /// RSA only: PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    RsaPssSha256 = 4,
}

impl SignatureFormat {
    /// The format with this C constant.
    pub fn from_code(code: u32) -> Result<SignatureFormat> {
        match code {
            0 => Ok(SignatureFormat::Default),
            1 => Ok(SignatureFormat::EcdsaDer),
            2 => Ok(SignatureFormat::EcdsaFixed),
            3 => Ok(SignatureFormat::RsaPkcs1Sha256),
            4 => Ok(SignatureFormat::RsaPssSha256),
            _ => Err(Error::InvalidArgument),
        }
    }

    /// Resolves `Default` for a key type and rejects formats that do not fit it.
    fn resolve(self, key_type: KeyType) -> Result<SignatureFormat> {
        use SignatureFormat as F;
        match (key_type, self) {
            (KeyType::EcdsaP256 | KeyType::EcdsaP384, F::Default) => Ok(F::EcdsaDer),
            (KeyType::EcdsaP256 | KeyType::EcdsaP384, F::EcdsaDer | F::EcdsaFixed) => Ok(self),
            (KeyType::Ed25519, F::Default) => Ok(F::Default),
            (KeyType::Rsa, F::Default) => Ok(F::RsaPkcs1Sha256),
            (KeyType::Rsa, F::RsaPkcs1Sha256 | F::RsaPssSha256) => Ok(self),
            _ => Err(Error::WrongKeyType),
        }
    }
}

enum SigningInner {
    /// The same key loaded twice, once per output encoding (aws-lc-rs binds it to one).
    Ecdsa {
        key_type: KeyType,
        der: EcdsaKeyPair,
        fixed: EcdsaKeyPair,
    },
    Ed25519(Ed25519KeyPair),
    Rsa(sig::RsaKeyPair),
}

/// A private key that signs. Cheap to clone; safe to use from many threads at once.
#[derive(Clone)]
pub struct SigningKey {
    inner: Arc<SigningInner>,
    public: PublicKey,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the private key: only its type and public fingerprint.
        f.debug_struct("SigningKey")
            .field("type", &self.key_type())
            .field("public", &self.public)
            .finish()
    }
}

fn ecdsa_algs(
    key_type: KeyType,
) -> (
    &'static sig::EcdsaSigningAlgorithm,
    &'static sig::EcdsaSigningAlgorithm,
) {
    match key_type {
        KeyType::EcdsaP384 => (
            &sig::ECDSA_P384_SHA384_ASN1_SIGNING,
            &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
        ),
        _ => (
            &sig::ECDSA_P256_SHA256_ASN1_SIGNING,
            &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
        ),
    }
}

impl SigningKey {
    /// Generates a fresh key. RSA generation is not offered (import RSA keys instead).
    pub fn generate(key_type: KeyType) -> Result<SigningKey> {
        match key_type {
            KeyType::EcdsaP256 | KeyType::EcdsaP384 => {
                let (der_alg, _) = ecdsa_algs(key_type);
                let doc = EcdsaKeyPair::generate_pkcs8(der_alg, &SystemRandom::new())
                    .map_err(|_| Error::RandomFailed)?;
                SigningKey::from_pkcs8_der_typed(key_type, doc.as_ref())
            }
            KeyType::Ed25519 => {
                let kp = Ed25519KeyPair::generate().map_err(|_| Error::RandomFailed)?;
                SigningKey::from_inner(SigningInner::Ed25519(kp))
            }
            KeyType::Rsa => Err(Error::UnsupportedAlgorithm),
        }
    }

    /// Imports an unencrypted PKCS#8 `PrivateKeyInfo` (DER) of any supported type.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<SigningKey> {
        for key_type in [
            KeyType::EcdsaP256,
            KeyType::EcdsaP384,
            KeyType::Ed25519,
            KeyType::Rsa,
        ] {
            if let Ok(k) = SigningKey::from_pkcs8_der_typed(key_type, der) {
                return Ok(k);
            }
        }
        Err(Error::KeyMalformed)
    }

    fn from_pkcs8_der_typed(key_type: KeyType, der: &[u8]) -> Result<SigningKey> {
        let inner = match key_type {
            KeyType::EcdsaP256 | KeyType::EcdsaP384 => {
                let (der_alg, fixed_alg) = ecdsa_algs(key_type);
                SigningInner::Ecdsa {
                    key_type,
                    der: EcdsaKeyPair::from_pkcs8(der_alg, der).map_err(|_| Error::KeyMalformed)?,
                    fixed: EcdsaKeyPair::from_pkcs8(fixed_alg, der)
                        .map_err(|_| Error::KeyMalformed)?,
                }
            }
            KeyType::Ed25519 => SigningInner::Ed25519(
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(|_| Error::KeyMalformed)?,
            ),
            KeyType::Rsa => SigningInner::Rsa(
                sig::RsaKeyPair::from_pkcs8(der).map_err(|_| Error::KeyMalformed)?,
            ),
        };
        SigningKey::from_inner(inner)
    }

    fn from_inner(inner: SigningInner) -> Result<SigningKey> {
        let public = match &inner {
            SigningInner::Ecdsa { key_type, der, .. } => {
                PublicKey::from_raw(*key_type, der.public_key().as_ref())?
            }
            SigningInner::Ed25519(kp) => {
                PublicKey::from_raw(KeyType::Ed25519, kp.public_key().as_ref())?
            }
            SigningInner::Rsa(kp) => {
                let spki = kp.public_key().as_der().map_err(|_| Error::Internal)?;
                PublicKey::from_spki_der(spki.as_ref())?
            }
        };
        Ok(SigningKey {
            inner: Arc::new(inner),
            public,
        })
    }

    /// The type of this key.
    pub fn key_type(&self) -> KeyType {
        self.public.key_type()
    }

    /// The matching public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// Exports the key as unencrypted PKCS#8 v1 DER. The returned bytes are secret.
    pub fn to_pkcs8_der(&self) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        let doc = match &*self.inner {
            SigningInner::Ecdsa { der, .. } => der.to_pkcs8v1().map_err(|_| Error::Internal)?,
            SigningInner::Ed25519(kp) => kp.to_pkcs8v1().map_err(|_| Error::Internal)?,
            SigningInner::Rsa(_) => return Err(Error::UnsupportedFormat),
        };
        Ok(zeroize::Zeroizing::new(doc.as_ref().to_vec()))
    }

    /// Signs `message` in `format` (`Default` picks the key's natural format).
    pub fn sign(&self, message: &[u8], format: SignatureFormat) -> Result<Vec<u8>> {
        let format = format.resolve(self.key_type())?;
        let rng = SystemRandom::new();
        let signature = match (&*self.inner, format) {
            (SigningInner::Ecdsa { der, .. }, SignatureFormat::EcdsaDer) => {
                der.sign(&rng, message)?.as_ref().to_vec()
            }
            (SigningInner::Ecdsa { fixed, .. }, SignatureFormat::EcdsaFixed) => {
                fixed.sign(&rng, message)?.as_ref().to_vec()
            }
            (SigningInner::Ed25519(kp), _) => kp.try_sign(message)?.as_ref().to_vec(),
            (SigningInner::Rsa(kp), f) => {
                let padding: &'static dyn sig::RsaEncoding = if f == SignatureFormat::RsaPssSha256 {
                    &sig::RSA_PSS_SHA256
                } else {
                    &sig::RSA_PKCS1_SHA256
                };
                let mut out = vec![0u8; kp.public_modulus_len()];
                kp.sign(padding, &rng, message, &mut out)?;
                out
            }
            _ => return Err(Error::WrongKeyType),
        };
        Ok(signature)
    }
}

/// A public key that verifies. Cheap to clone; safe to use from many threads at once.
#[derive(Clone)]
pub struct PublicKey {
    inner: Arc<PublicInner>,
}

struct PublicInner {
    key_type: KeyType,
    /// SubjectPublicKeyInfo DER: the canonical form (and the input of the fingerprint).
    spki: Vec<u8>,
    /// EC: uncompressed point; Ed25519: 32 bytes; RSA: empty.
    raw: Vec<u8>,
    fingerprint: [u8; FINGERPRINT_LEN],
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fp: String = self.inner.fingerprint[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        f.debug_struct("PublicKey")
            .field("type", &self.inner.key_type)
            .field("fingerprint", &format_args!("{fp}…"))
            .finish()
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.inner.spki == other.inner.spki
    }
}
impl Eq for PublicKey {}

const P256_SPKI_PREFIX: &[u8] = &[
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];
const P384_SPKI_PREFIX: &[u8] = &[
    0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
    0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00,
];
const ED25519_SPKI_PREFIX: &[u8] = &[
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

fn verification_alg(key_type: KeyType) -> &'static dyn sig::VerificationAlgorithm {
    match key_type {
        KeyType::EcdsaP256 => &sig::ECDSA_P256_SHA256_ASN1,
        KeyType::EcdsaP384 => &sig::ECDSA_P384_SHA384_ASN1,
        KeyType::Ed25519 => &sig::ED25519,
        KeyType::Rsa => &sig::RSA_PKCS1_2048_8192_SHA256,
    }
}

impl PublicKey {
    /// Imports a raw key: an X9.62 point (uncompressed or compressed) for ECDSA, 32 bytes for
    /// Ed25519. RSA has no raw form (use SubjectPublicKeyInfo).
    pub fn from_raw(key_type: KeyType, raw: &[u8]) -> Result<PublicKey> {
        if key_type == KeyType::Rsa {
            return Err(Error::UnsupportedFormat);
        }
        let parsed = ParsedPublicKey::new(verification_alg(key_type), raw)
            .map_err(|_| Error::KeyMalformed)?;
        let spki = parsed.as_der().map_err(|_| Error::KeyMalformed)?;
        PublicKey::from_spki_typed(key_type, spki.as_ref())
    }

    /// Imports a SubjectPublicKeyInfo DER (`PUBLIC KEY`) of any supported type.
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey> {
        let key_type = if der.starts_with(P256_SPKI_PREFIX) {
            KeyType::EcdsaP256
        } else if der.starts_with(P384_SPKI_PREFIX) {
            KeyType::EcdsaP384
        } else if der.starts_with(ED25519_SPKI_PREFIX) {
            KeyType::Ed25519
        } else {
            KeyType::Rsa
        };
        let parsed = ParsedPublicKey::new(verification_alg(key_type), der)
            .map_err(|_| Error::KeyMalformed)?;
        // Re-encode: the canonical DER (uncompressed point) is what we store and fingerprint.
        let spki = parsed.as_der().map_err(|_| Error::KeyMalformed)?;
        PublicKey::from_spki_typed(key_type, spki.as_ref())
    }

    fn from_spki_typed(key_type: KeyType, spki: &[u8]) -> Result<PublicKey> {
        let (prefix, raw_len) = match key_type {
            KeyType::EcdsaP256 => (P256_SPKI_PREFIX, P256_PUBLIC_KEY_LEN),
            KeyType::EcdsaP384 => (P384_SPKI_PREFIX, P384_PUBLIC_KEY_LEN),
            KeyType::Ed25519 => (ED25519_SPKI_PREFIX, ED25519_PUBLIC_KEY_LEN),
            KeyType::Rsa => (&[][..], 0),
        };
        let raw = if key_type == KeyType::Rsa {
            Vec::new()
        } else {
            match spki.strip_prefix(prefix) {
                Some(raw) if raw.len() == raw_len => raw.to_vec(),
                _ => return Err(Error::KeyMalformed),
            }
        };
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, spki);
        let mut fingerprint = [0u8; FINGERPRINT_LEN];
        fingerprint.copy_from_slice(digest.as_ref());
        Ok(PublicKey {
            inner: Arc::new(PublicInner {
                key_type,
                spki: spki.to_vec(),
                raw,
                fingerprint,
            }),
        })
    }

    /// The type of this key.
    pub fn key_type(&self) -> KeyType {
        self.inner.key_type
    }

    /// SubjectPublicKeyInfo DER.
    pub fn spki_der(&self) -> &[u8] {
        &self.inner.spki
    }

    /// The raw key: uncompressed point for ECDSA, 32 bytes for Ed25519. RSA has none.
    pub fn raw(&self) -> Result<&[u8]> {
        if self.inner.key_type == KeyType::Rsa {
            return Err(Error::UnsupportedFormat);
        }
        Ok(&self.inner.raw)
    }

    /// The compressed X9.62 point (ECDSA keys only).
    pub fn raw_compressed(&self) -> Result<Vec<u8>> {
        match self.inner.key_type {
            KeyType::EcdsaP256 | KeyType::EcdsaP384 => {
                let raw = &self.inner.raw;
                let coord = (raw.len() - 1) / 2;
                let mut out = Vec::with_capacity(1 + coord);
                out.push(0x02 | (raw[raw.len() - 1] & 1));
                out.extend_from_slice(&raw[1..1 + coord]);
                Ok(out)
            }
            _ => Err(Error::UnsupportedFormat),
        }
    }

    /// SHA-256 of the SubjectPublicKeyInfo DER.
    pub fn fingerprint(&self) -> &[u8; FINGERPRINT_LEN] {
        &self.inner.fingerprint
    }

    /// Verifies `signature` over `message`; `Default` is the key's natural format.
    /// A signature that does not verify is `Error::SignatureInvalid`.
    pub fn verify(&self, message: &[u8], signature: &[u8], format: SignatureFormat) -> Result<()> {
        let format = format.resolve(self.key_type())?;
        let alg: &'static dyn sig::VerificationAlgorithm = match (self.key_type(), format) {
            (KeyType::EcdsaP256, SignatureFormat::EcdsaDer) => &sig::ECDSA_P256_SHA256_ASN1,
            (KeyType::EcdsaP256, _) => &sig::ECDSA_P256_SHA256_FIXED,
            (KeyType::EcdsaP384, SignatureFormat::EcdsaDer) => &sig::ECDSA_P384_SHA384_ASN1,
            (KeyType::EcdsaP384, _) => &sig::ECDSA_P384_SHA384_FIXED,
            (KeyType::Ed25519, _) => &sig::ED25519,
            (KeyType::Rsa, SignatureFormat::RsaPssSha256) => &sig::RSA_PSS_2048_8192_SHA256,
            (KeyType::Rsa, _) => &sig::RSA_PKCS1_2048_8192_SHA256,
        };
        let key_bytes: &[u8] = match self.key_type() {
            KeyType::Rsa => &self.inner.spki,
            _ => &self.inner.raw,
        };
        sig::UnparsedPublicKey::new(alg, key_bytes)
            .verify(message, signature)
            .map_err(|_| Error::SignatureInvalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_every_generated_type_and_format() {
        for (kt, formats) in [
            (
                KeyType::EcdsaP256,
                &[
                    SignatureFormat::Default,
                    SignatureFormat::EcdsaDer,
                    SignatureFormat::EcdsaFixed,
                ][..],
            ),
            (
                KeyType::EcdsaP384,
                &[SignatureFormat::EcdsaDer, SignatureFormat::EcdsaFixed][..],
            ),
            (KeyType::Ed25519, &[SignatureFormat::Default][..]),
        ] {
            let key = SigningKey::generate(kt).unwrap();
            for &f in formats {
                let s = key.sign(b"hello", f).unwrap();
                key.public_key().verify(b"hello", &s, f).unwrap();
                assert_eq!(
                    key.public_key().verify(b"hellO", &s, f),
                    Err(Error::SignatureInvalid)
                );
            }
            assert_eq!(
                key.sign(b"x", SignatureFormat::RsaPssSha256),
                Err(Error::WrongKeyType)
            );
        }
    }

    #[test]
    fn raw_forms_round_trip_and_fingerprint_is_stable() {
        for kt in [KeyType::EcdsaP256, KeyType::EcdsaP384] {
            let key = SigningKey::generate(kt).unwrap();
            let pk = key.public_key();
            let compressed = pk.raw_compressed().unwrap();
            let from_c = PublicKey::from_raw(kt, &compressed).unwrap();
            assert_eq!(&from_c, pk);
            assert_eq!(from_c.raw().unwrap(), pk.raw().unwrap());
            assert_eq!(from_c.fingerprint(), pk.fingerprint());
            let from_spki = PublicKey::from_spki_der(pk.spki_der()).unwrap();
            assert_eq!(from_spki.fingerprint(), pk.fingerprint());
        }
        let ed = SigningKey::generate(KeyType::Ed25519).unwrap();
        let again = PublicKey::from_raw(KeyType::Ed25519, ed.public_key().raw().unwrap()).unwrap();
        assert_eq!(&again, ed.public_key());
        assert_eq!(
            ed.public_key().raw_compressed(),
            Err(Error::UnsupportedFormat)
        );
    }

    #[test]
    fn pkcs8_round_trip() {
        for kt in [KeyType::EcdsaP256, KeyType::EcdsaP384, KeyType::Ed25519] {
            let key = SigningKey::generate(kt).unwrap();
            let der = key.to_pkcs8_der().unwrap();
            let back = SigningKey::from_pkcs8_der(&der).unwrap();
            assert_eq!(back.key_type(), kt);
            assert_eq!(back.public_key(), key.public_key());
        }
        assert_eq!(
            SigningKey::from_pkcs8_der(b"junk").unwrap_err(),
            Error::KeyMalformed
        );
    }

    #[test]
    fn debug_never_shows_private_bytes() {
        let key = SigningKey::generate(KeyType::Ed25519).unwrap();
        let der = key.to_pkcs8_der().unwrap();
        let text = format!("{key:?}");
        let seed_hex: String = der[der.len() - 32..]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(!text.contains(&seed_hex));
    }
}
