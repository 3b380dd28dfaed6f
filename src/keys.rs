//! Signing keys and public keys: generate, import, export, sign, verify, fingerprint.
//!
//! Both types are cheap to clone (the key material is shared behind an `Arc`) and are
//! `Send + Sync`: one key may sign or verify from many threads at once.

use crate::der::{self, oid, Reader};
use crate::error::{Error, Result};
use crate::pem;
use crate::sigcheck;
use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::error::KeyRejected;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as sig, EcdsaKeyPair, Ed25519KeyPair, KeyPair, ParsedPublicKey};
use std::fmt;
use std::sync::Arc;
use zeroize::Zeroizing;

/// Size of an Ed25519 public key.
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

/// The private-key containers `SigningKey::from_der` understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PrivateContainer {
    /// PKCS#8 `PrivateKeyInfo` / `OneAsymmetricKey` (v1 or v2), label `PRIVATE KEY`.
    Pkcs8(KeyType),
    /// SEC1 / RFC 5915 `ECPrivateKey`, label `EC PRIVATE KEY`.
    Sec1(KeyType),
    /// PKCS#1 `RSAPrivateKey`, label `RSA PRIVATE KEY`.
    Pkcs1Rsa,
}

impl PrivateContainer {
    const PEM_LABELS: [&'static str; 3] = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"];

    fn pem_label(self) -> &'static str {
        match self {
            PrivateContainer::Pkcs8(_) => Self::PEM_LABELS[0],
            PrivateContainer::Sec1(_) => Self::PEM_LABELS[1],
            PrivateContainer::Pkcs1Rsa => Self::PEM_LABELS[2],
        }
    }

    /// Reads just enough of `der` to know the container and the key type.
    fn detect(der: &[u8]) -> Result<PrivateContainer> {
        let mut seq = der::outer_sequence(der)?;
        let version = seq.read_small_uint()?;
        match seq.peek_tag() {
            Some(der::TAG_SEQUENCE) if version <= 1 => {
                let alg = der::read_algorithm_identifier(&mut seq)?;
                Ok(PrivateContainer::Pkcs8(key_type_of_algorithm(&alg)?))
            }
            Some(der::TAG_OCTET_STRING) if version == 1 => {
                let private = seq.read(der::TAG_OCTET_STRING)?;
                let key_type = match seq.read_optional(der::TAG_CONTEXT_0)? {
                    Some(params) => {
                        let mut params = Reader::new(params);
                        if params.peek_tag() != Some(der::TAG_OID) {
                            // Explicit curve parameters: never for the named curves we support.
                            return Err(Error::UnsupportedAlgorithm);
                        }
                        let curve = params.read(der::TAG_OID)?;
                        params.finish()?;
                        key_type_of_curve(curve)?
                    }
                    // RFC 5915 lets the curve be implied; the scalar length tells ours apart.
                    None => match private.len() {
                        32 => KeyType::EcdsaP256,
                        48 => KeyType::EcdsaP384,
                        _ => return Err(Error::KeyMalformed),
                    },
                };
                Ok(PrivateContainer::Sec1(key_type))
            }
            // RSAPrivateKey: version, then the modulus.
            Some(der::TAG_INTEGER) if version <= 1 => Ok(PrivateContainer::Pkcs1Rsa),
            _ => Err(Error::KeyMalformed),
        }
    }
}

/// The key type named by an `AlgorithmIdentifier` (PKCS#8 or SubjectPublicKeyInfo).
fn key_type_of_algorithm(alg: &der::AlgorithmIdentifier<'_>) -> Result<KeyType> {
    if alg.oid == oid::EC_PUBLIC_KEY {
        match alg.params {
            Some((der::TAG_OID, curve)) => key_type_of_curve(curve),
            // Explicit curve parameters (RFC 3279 ECParameters): not supported.
            Some((der::TAG_SEQUENCE, _)) => Err(Error::UnsupportedAlgorithm),
            _ => Err(Error::KeyMalformed),
        }
    } else if alg.oid == oid::ED25519 {
        // RFC 8410: the parameters MUST be absent.
        match alg.params {
            None => Ok(KeyType::Ed25519),
            Some(_) => Err(Error::KeyMalformed),
        }
    } else if alg.oid == oid::RSA_ENCRYPTION {
        match alg.params {
            None | Some((der::TAG_NULL, [])) => Ok(KeyType::Rsa),
            Some(_) => Err(Error::KeyMalformed),
        }
    } else {
        // X25519, Ed448, DSA, RSASSA-PSS keys, ...: well-formed but not ours.
        Err(Error::UnsupportedAlgorithm)
    }
}

fn key_type_of_curve(curve: &[u8]) -> Result<KeyType> {
    if curve == oid::P256 {
        Ok(KeyType::EcdsaP256)
    } else if curve == oid::P384 {
        Ok(KeyType::EcdsaP384)
    } else {
        Err(Error::UnsupportedAlgorithm) // secp256k1, P-521, brainpool, ...
    }
}

/// Maps aws-lc's reason for refusing a key: a key that parsed but is unacceptable is
/// `KeyRejected`, everything else is `KeyMalformed`.
fn rejected(e: KeyRejected) -> Error {
    match e.description_() {
        "TooSmall" | "TooLarge" | "InconsistentComponents" => Error::KeyRejected,
        _ => Error::KeyMalformed,
    }
}

impl SigningKey {
    /// Generates a fresh key. RSA generation is not offered (import RSA keys instead):
    /// `UnsupportedAlgorithm`.
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

    /// Imports an unencrypted private key in DER, detecting its encoding:
    /// - PKCS#8 `PrivateKeyInfo` v1 or v2 (what `openssl genpkey` writes): ECDSA P-256/P-384,
    ///   Ed25519, RSA;
    /// - SEC1 `ECPrivateKey` (what `openssl ec` and Godot's `CryptoKey` write): P-256/P-384;
    /// - PKCS#1 `RSAPrivateKey` (what `openssl rsa -traditional` writes).
    ///
    /// Errors: `KeyMalformed` (not one of these, or not a valid key, including an embedded
    /// public key that does not belong to the private key), `UnsupportedAlgorithm` (a
    /// well-formed key of another algorithm or curve), `KeyRejected` (RSA below 2048 or above
    /// 8192 bits).
    pub fn from_der(der: &[u8]) -> Result<SigningKey> {
        let container = PrivateContainer::detect(der)?;
        SigningKey::from_container(container, der)
    }

    /// Imports an unencrypted PKCS#8 `PrivateKeyInfo` (DER) of any supported type. Other
    /// containers are `KeyMalformed`; see [`SigningKey::from_der`] for the other errors.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<SigningKey> {
        match PrivateContainer::detect(der)? {
            c @ PrivateContainer::Pkcs8(_) => SigningKey::from_container(c, der),
            _ => Err(Error::KeyMalformed),
        }
    }

    /// Imports the first `PRIVATE KEY`, `EC PRIVATE KEY` or `RSA PRIVATE KEY` block of a PEM
    /// text (other text and blocks are skipped; see `pem` for the exact rules). The block's
    /// content must be the encoding its label names.
    ///
    /// Errors: `PemMalformed` (no such block, bad base64), `KeyRejected` (an encrypted key:
    /// `ENCRYPTED PRIVATE KEY` or `Proc-Type: 4,ENCRYPTED`), `InvalidLength` (text over 1 MiB),
    /// and the errors of [`SigningKey::from_der`].
    pub fn from_pem(pem_text: &[u8]) -> Result<SigningKey> {
        let (label, der) = pem::decode(
            pem_text,
            &PrivateContainer::PEM_LABELS,
            &["ENCRYPTED PRIVATE KEY"],
        )?;
        let container = PrivateContainer::detect(&der)?;
        if container.pem_label() != label {
            return Err(Error::KeyMalformed);
        }
        SigningKey::from_container(container, &der)
    }

    fn from_container(container: PrivateContainer, der: &[u8]) -> Result<SigningKey> {
        match container {
            PrivateContainer::Pkcs8(key_type) => SigningKey::from_pkcs8_der_typed(key_type, der),
            PrivateContainer::Sec1(key_type) => {
                let (der_alg, fixed_alg) = ecdsa_algs(key_type);
                SigningKey::from_inner(SigningInner::Ecdsa {
                    key_type,
                    der: EcdsaKeyPair::from_private_key_der(der_alg, der).map_err(rejected)?,
                    fixed: EcdsaKeyPair::from_private_key_der(fixed_alg, der).map_err(rejected)?,
                })
            }
            PrivateContainer::Pkcs1Rsa => SigningKey::from_inner(SigningInner::Rsa(
                sig::RsaKeyPair::from_der(der).map_err(rejected)?,
            )),
        }
    }

    fn from_pkcs8_der_typed(key_type: KeyType, der: &[u8]) -> Result<SigningKey> {
        let inner = match key_type {
            KeyType::EcdsaP256 | KeyType::EcdsaP384 => {
                let (der_alg, fixed_alg) = ecdsa_algs(key_type);
                SigningInner::Ecdsa {
                    key_type,
                    der: EcdsaKeyPair::from_pkcs8(der_alg, der).map_err(rejected)?,
                    fixed: EcdsaKeyPair::from_pkcs8(fixed_alg, der).map_err(rejected)?,
                }
            }
            // Accepts v1 and v2; a v2 public key must match the private key.
            KeyType::Ed25519 => {
                SigningInner::Ed25519(Ed25519KeyPair::from_pkcs8(der).map_err(rejected)?)
            }
            KeyType::Rsa => SigningInner::Rsa(sig::RsaKeyPair::from_pkcs8(der).map_err(rejected)?),
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

    /// Exports the key as unencrypted PKCS#8 v1 DER (`PRIVATE KEY`), for every key type.
    /// The returned bytes are secret and zeroed when dropped.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        let der: Pkcs8V1Der<'static> = match &*self.inner {
            SigningInner::Ecdsa { der, .. } => {
                let doc = der.to_pkcs8v1().map_err(|_| Error::Internal)?;
                return Ok(Zeroizing::new(doc.as_ref().to_vec()));
            }
            SigningInner::Ed25519(kp) => kp.as_der().map_err(|_| Error::Internal)?,
            SigningInner::Rsa(kp) => kp.as_der().map_err(|_| Error::Internal)?,
        };
        // aws-lc zeroes its own buffer when `der` is dropped.
        Ok(Zeroizing::new(der.as_ref().to_vec()))
    }

    /// Exports the key as a PEM `PRIVATE KEY` block (PKCS#8 v1, LF line endings, ending in a
    /// newline). The text is secret and zeroed when dropped.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        Ok(pem::encode("PRIVATE KEY", &self.to_pkcs8_der()?))
    }

    /// The largest signature this key makes in `format` (exact for fixed-size formats).
    /// A format that does not fit the key is `WrongKeyType`.
    pub fn max_signature_len(&self, format: SignatureFormat) -> Result<usize> {
        let format = format.resolve(self.key_type())?;
        Ok(match (&*self.inner, format) {
            (SigningInner::Rsa(kp), _) => kp.public_modulus_len(),
            (_, f) => max_signature_len(self.key_type(), f)?,
        })
    }

    /// Signs `message` in `format` (`Default` picks the key's natural format). ECDSA and
    /// RSA-PSS signatures are randomized; Ed25519 and RSA PKCS#1 v1.5 are deterministic.
    /// A format that does not fit the key is `WrongKeyType`.
    ///
    /// A message that begins with one of the protocol's signature contexts (the ServerHello,
    /// client authentication and certificate contexts of docs/PROTOCOL.md sections 6, 21.3 and
    /// 8) is refused: an identity key used for other signatures can then never be made to
    /// sign a handshake. ECDSA signatures are low-S (s <= n/2).
    pub fn sign(&self, message: &[u8], format: SignatureFormat) -> Result<Vec<u8>> {
        format.resolve(self.key_type())?;
        sigcheck::check_not_protocol_message(message)?;
        self.sign_protocol(message, format)
    }

    /// [`SigningKey::sign`] without the context refusal: for the protocol's own signatures.
    pub(crate) fn sign_protocol(&self, message: &[u8], format: SignatureFormat) -> Result<Vec<u8>> {
        let format = format.resolve(self.key_type())?;
        let rng = SystemRandom::new();
        let signature = match (&*self.inner, format) {
            (SigningInner::Ecdsa { der, key_type, .. }, SignatureFormat::EcdsaDer) => {
                let signature = der.sign(&rng, message)?.as_ref().to_vec();
                sigcheck::normalize_der(signature, ecdsa_scalar_len(*key_type))?
            }
            (SigningInner::Ecdsa { fixed, .. }, SignatureFormat::EcdsaFixed) => {
                let mut signature = fixed.sign(&rng, message)?.as_ref().to_vec();
                sigcheck::normalize_fixed(&mut signature)?;
                signature
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

/// The scalar length of an ECDSA curve (32 for P-256, 48 for P-384).
fn ecdsa_scalar_len(key_type: KeyType) -> usize {
    if key_type == KeyType::EcdsaP384 {
        48
    } else {
        32
    }
}

/// The largest signature of a key type in a format, without a key at hand (RSA: the largest
/// supported modulus). A format that does not fit the type is `WrongKeyType`.
pub fn max_signature_len(key_type: KeyType, format: SignatureFormat) -> Result<usize> {
    use SignatureFormat as F;
    Ok(match (key_type, format.resolve(key_type)?) {
        (KeyType::EcdsaP256, F::EcdsaFixed) => P256_FIXED_SIGNATURE_LEN,
        (KeyType::EcdsaP256, _) => P256_MAX_DER_SIGNATURE_LEN,
        (KeyType::EcdsaP384, F::EcdsaFixed) => P384_FIXED_SIGNATURE_LEN,
        (KeyType::EcdsaP384, _) => P384_MAX_DER_SIGNATURE_LEN,
        (KeyType::Ed25519, _) => ED25519_SIGNATURE_LEN,
        (KeyType::Rsa, _) => MAX_SIGNATURE_LEN,
    })
}

/// A public key that verifies. Cheap to clone; safe to use from many threads at once.
#[derive(Clone)]
pub struct PublicKey {
    inner: Arc<PublicInner>,
}

struct PublicInner {
    key_type: KeyType,
    /// SubjectPublicKeyInfo DER: the canonical form (and the input of the fingerprint). For
    /// EC and Ed25519 keys the raw key is its suffix (after the fixed prefix).
    spki: SpkiBytes,
    fingerprint: [u8; FINGERPRINT_LEN],
}

/// The longest EC or Ed25519 SubjectPublicKeyInfo (P-384: 23-byte prefix + 97-byte point).
const INLINE_SPKI_MAX: usize = 120;

/// SPKI bytes kept inside the key object itself for EC and Ed25519 keys, so that a public key
/// is one heap block (a session keeps one per peer: see docs/PERFORMANCE.md); RSA keys are
/// larger and go on the heap.
enum SpkiBytes {
    Inline {
        len: u8,
        bytes: [u8; INLINE_SPKI_MAX],
    },
    Heap(Box<[u8]>),
}

impl SpkiBytes {
    fn new(spki: &[u8]) -> SpkiBytes {
        if spki.len() <= INLINE_SPKI_MAX {
            let mut bytes = [0u8; INLINE_SPKI_MAX];
            bytes[..spki.len()].copy_from_slice(spki);
            SpkiBytes::Inline {
                len: spki.len() as u8,
                bytes,
            }
        } else {
            SpkiBytes::Heap(spki.into())
        }
    }

    fn as_slice(&self) -> &[u8] {
        match self {
            SpkiBytes::Inline { len, bytes } => &bytes[..usize::from(*len)],
            SpkiBytes::Heap(b) => b,
        }
    }
}

impl PublicInner {
    /// EC: the uncompressed point; Ed25519: the 32-byte key; RSA: empty.
    fn raw(&self) -> &[u8] {
        let spki = self.spki.as_slice();
        match self.key_type {
            KeyType::EcdsaP256 => &spki[P256_SPKI_PREFIX.len()..],
            KeyType::EcdsaP384 => &spki[P384_SPKI_PREFIX.len()..],
            KeyType::Ed25519 => &spki[ED25519_SPKI_PREFIX.len()..],
            KeyType::Rsa => &[],
        }
    }
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

impl PublicKey {
    /// Test hook: do both handles share one key object (not merely equal keys)?
    #[cfg(test)]
    pub(crate) fn same_object(&self, other: &PublicKey) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.inner.spki.as_slice() == other.inner.spki.as_slice()
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
    /// Imports a raw key: an X9.62 point for ECDSA (P-256: 65 bytes uncompressed or 33
    /// compressed; P-384: 97 or 49), 32 bytes for Ed25519.
    ///
    /// Errors: `KeyMalformed` (wrong length for the type, or not a point on the curve),
    /// `UnsupportedFormat` for RSA, which has no raw form (use SubjectPublicKeyInfo),
    /// `PublicKeyWeak` for an Ed25519 key of small order or in a non-canonical encoding
    /// (docs/PROTOCOL.md section 3): such a key verifies forged signatures.
    pub fn from_raw(key_type: KeyType, raw: &[u8]) -> Result<PublicKey> {
        let lengths: &[usize] = match key_type {
            KeyType::EcdsaP256 => &[P256_PUBLIC_KEY_LEN, P256_COMPRESSED_PUBLIC_KEY_LEN],
            KeyType::EcdsaP384 => &[P384_PUBLIC_KEY_LEN, P384_COMPRESSED_PUBLIC_KEY_LEN],
            KeyType::Ed25519 => &[ED25519_PUBLIC_KEY_LEN],
            KeyType::Rsa => return Err(Error::UnsupportedFormat),
        };
        // Checked here: aws-lc would also take a SubjectPublicKeyInfo in place of the point.
        if !lengths.contains(&raw.len()) {
            return Err(Error::KeyMalformed);
        }
        PublicKey::from_parsable(key_type, raw)
    }

    /// Imports a SubjectPublicKeyInfo DER (`PUBLIC KEY`): ECDSA P-256/P-384 (uncompressed or
    /// compressed point), Ed25519, RSA (`rsaEncryption`, 2048 to 8192 bits).
    ///
    /// Errors: `KeyMalformed` (not a valid SubjectPublicKeyInfo or key), `UnsupportedAlgorithm`
    /// (a well-formed key of another algorithm or curve), `KeyRejected` (RSA of an unsupported
    /// size), `PublicKeyWeak` (a weak Ed25519 key, as for [`PublicKey::from_raw`]).
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey> {
        let mut spki = der::outer_sequence(der)?;
        let alg = der::read_algorithm_identifier(&mut spki)?;
        spki.read(der::TAG_BIT_STRING)?;
        spki.finish()?;
        let key_type = key_type_of_algorithm(&alg)?;
        PublicKey::from_parsable(key_type, der)
    }

    /// Imports a PKCS#1 `RSAPublicKey` DER (`RSA PUBLIC KEY`). Errors as for
    /// [`PublicKey::from_spki_der`].
    pub fn from_pkcs1_rsa_der(der: &[u8]) -> Result<PublicKey> {
        let mut seq = der::outer_sequence(der)?;
        seq.read(der::TAG_INTEGER)?;
        seq.read(der::TAG_INTEGER)?;
        seq.finish()?;
        PublicKey::from_parsable(KeyType::Rsa, der)
    }

    /// Imports the first `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1) block
    /// of a PEM text.
    ///
    /// Errors: `PemMalformed` (no such block, bad base64), `InvalidLength` (text over 1 MiB),
    /// and those of [`PublicKey::from_spki_der`].
    pub fn from_pem(pem_text: &[u8]) -> Result<PublicKey> {
        match pem::decode(pem_text, &["PUBLIC KEY", "RSA PUBLIC KEY"], &[])? {
            ("PUBLIC KEY", der) => PublicKey::from_spki_der(&der),
            (_, der) => PublicKey::from_pkcs1_rsa_der(&der),
        }
    }

    /// Parses any encoding aws-lc accepts for `key_type` and stores the canonical form.
    fn from_parsable(key_type: KeyType, bytes: &[u8]) -> Result<PublicKey> {
        let parsed = ParsedPublicKey::new(verification_alg(key_type), bytes).map_err(rejected)?;
        // Re-encode: the canonical DER (uncompressed point, NULL RSA parameters) is what we
        // store and fingerprint, whatever form the key came in.
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
        if key_type == KeyType::Rsa {
            let bits = rsa_modulus_bits(spki)?;
            if !(2048..=8192).contains(&bits) {
                return Err(Error::KeyRejected);
            }
        } else {
            match spki.strip_prefix(prefix) {
                Some(raw) if raw.len() == raw_len => {
                    if key_type == KeyType::Ed25519 {
                        // Small-order and non-canonical keys verify forged signatures.
                        sigcheck::check_ed25519_key(raw)?;
                    }
                }
                _ => return Err(Error::KeyMalformed),
            }
        }
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, spki);
        let mut fingerprint = [0u8; FINGERPRINT_LEN];
        fingerprint.copy_from_slice(digest.as_ref());
        Ok(PublicKey {
            inner: Arc::new(PublicInner {
                key_type,
                spki: SpkiBytes::new(spki),
                fingerprint,
            }),
        })
    }

    /// The type of this key.
    pub fn key_type(&self) -> KeyType {
        self.inner.key_type
    }

    /// SubjectPublicKeyInfo DER, canonical (uncompressed EC point).
    pub fn spki_der(&self) -> &[u8] {
        self.inner.spki.as_slice()
    }

    /// SubjectPublicKeyInfo as a PEM `PUBLIC KEY` block (LF line endings, final newline).
    pub fn to_pem(&self) -> String {
        // Not secret: move it out of the zeroizing wrapper.
        String::clone(&pem::encode("PUBLIC KEY", self.inner.spki.as_slice()))
    }

    /// The raw key: uncompressed point for ECDSA, 32 bytes for Ed25519. RSA has none
    /// (`UnsupportedFormat`).
    pub fn raw(&self) -> Result<&[u8]> {
        if self.inner.key_type == KeyType::Rsa {
            return Err(Error::UnsupportedFormat);
        }
        Ok(self.inner.raw())
    }

    /// The compressed X9.62 point (ECDSA keys only, else `UnsupportedFormat`).
    pub fn raw_compressed(&self) -> Result<Vec<u8>> {
        match self.inner.key_type {
            KeyType::EcdsaP256 | KeyType::EcdsaP384 => {
                let raw = self.inner.raw();
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
    /// A signature that does not verify is `Error::SignatureInvalid`; a format that does not
    /// fit the key is `WrongKeyType`.
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
            KeyType::Rsa => self.inner.spki.as_slice(),
            _ => self.inner.raw(),
        };
        sig::UnparsedPublicKey::new(alg, key_bytes)
            .verify(message, signature)
            .map_err(|_| Error::SignatureInvalid)
    }
}

/// The size in bits of the modulus of a (canonical) RSA SubjectPublicKeyInfo.
fn rsa_modulus_bits(spki: &[u8]) -> Result<usize> {
    let mut outer = der::outer_sequence(spki)?;
    der::read_algorithm_identifier(&mut outer)?;
    let bits = outer.read(der::TAG_BIT_STRING)?;
    let (&unused, key) = bits.split_first().ok_or(Error::KeyMalformed)?;
    if unused != 0 {
        return Err(Error::KeyMalformed);
    }
    let mut rsa = der::outer_sequence(key)?;
    let modulus = rsa.read(der::TAG_INTEGER)?;
    let modulus = match modulus.iter().position(|&b| b != 0) {
        Some(i) => &modulus[i..],
        None => return Err(Error::KeyMalformed),
    };
    Ok(modulus.len() * 8 - modulus[0].leading_zeros() as usize)
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

    // ---- Fixtures written by the openssl CLI (tests/data/keys/make.sh). ----

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!("../tests/data/keys/", $name)).as_slice()
        };
    }

    const MESSAGE: &[u8] = fixture!("message.txt");

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// (name, private key file, is PEM, type, openssl's SPKI DER, openssl's fingerprint)
    type PrivateFixture = (
        &'static str,
        &'static [u8],
        bool,
        KeyType,
        &'static [u8],
        &'static [u8],
    );

    fn openssl_private_keys() -> Vec<PrivateFixture> {
        let p256 = (fixture!("p256.spki.der"), fixture!("p256.fingerprint.bin"));
        let p384 = (fixture!("p384.spki.der"), fixture!("p384.fingerprint.bin"));
        let ed = (
            fixture!("ed25519.spki.der"),
            fixture!("ed25519.fingerprint.bin"),
        );
        let rsa = (
            fixture!("rsa2048.spki.der"),
            fixture!("rsa2048.fingerprint.bin"),
        );
        use KeyType::*;
        vec![
            (
                "p256.pkcs8.pem",
                fixture!("p256.pkcs8.pem"),
                true,
                EcdsaP256,
                p256.0,
                p256.1,
            ),
            (
                "p256.pkcs8.der",
                fixture!("p256.pkcs8.der"),
                false,
                EcdsaP256,
                p256.0,
                p256.1,
            ),
            (
                "p256.sec1.pem",
                fixture!("p256.sec1.pem"),
                true,
                EcdsaP256,
                p256.0,
                p256.1,
            ),
            (
                "p256.sec1.der",
                fixture!("p256.sec1.der"),
                false,
                EcdsaP256,
                p256.0,
                p256.1,
            ),
            (
                "p256.sec1-nopub.pem",
                fixture!("p256.sec1-nopub.pem"),
                true,
                EcdsaP256,
                p256.0,
                p256.1,
            ),
            (
                "p384.pkcs8.pem",
                fixture!("p384.pkcs8.pem"),
                true,
                EcdsaP384,
                p384.0,
                p384.1,
            ),
            (
                "p384.sec1.pem",
                fixture!("p384.sec1.pem"),
                true,
                EcdsaP384,
                p384.0,
                p384.1,
            ),
            (
                "p384.sec1.der",
                fixture!("p384.sec1.der"),
                false,
                EcdsaP384,
                p384.0,
                p384.1,
            ),
            (
                "ed25519.pkcs8.pem",
                fixture!("ed25519.pkcs8.pem"),
                true,
                Ed25519,
                ed.0,
                ed.1,
            ),
            (
                "ed25519.pkcs8.der",
                fixture!("ed25519.pkcs8.der"),
                false,
                Ed25519,
                ed.0,
                ed.1,
            ),
            (
                "rsa2048.pkcs8.pem",
                fixture!("rsa2048.pkcs8.pem"),
                true,
                Rsa,
                rsa.0,
                rsa.1,
            ),
            (
                "rsa2048.pkcs8.der",
                fixture!("rsa2048.pkcs8.der"),
                false,
                Rsa,
                rsa.0,
                rsa.1,
            ),
            (
                "rsa2048.pkcs1.pem",
                fixture!("rsa2048.pkcs1.pem"),
                true,
                Rsa,
                rsa.0,
                rsa.1,
            ),
            (
                "rsa2048.pkcs1.der",
                fixture!("rsa2048.pkcs1.der"),
                false,
                Rsa,
                rsa.0,
                rsa.1,
            ),
        ]
    }

    #[test]
    fn imports_openssl_private_keys_in_every_container() {
        for (name, bytes, is_pem, kt, spki, fingerprint) in openssl_private_keys() {
            let key = if is_pem {
                SigningKey::from_pem(bytes)
            } else {
                SigningKey::from_der(bytes)
            }
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(key.key_type(), kt, "{name}");
            assert_eq!(key.public_key().spki_der(), spki, "{name}");
            assert_eq!(&key.public_key().fingerprint()[..], fingerprint, "{name}");
            // PKCS#8 DER also loads through the PKCS#8-only entry point; other DER does not.
            if !is_pem {
                let pkcs8 = SigningKey::from_pkcs8_der(bytes);
                if name.contains("pkcs8") {
                    assert_eq!(pkcs8.unwrap().public_key(), key.public_key(), "{name}");
                } else {
                    assert_eq!(pkcs8.unwrap_err(), Error::KeyMalformed, "{name}");
                }
            }
        }
    }

    #[test]
    fn sec1_key_without_curve_parameters_is_recognised_by_scalar_length() {
        // SEQUENCE { INTEGER 1, OCTET STRING scalar } rebuilt from openssl's SEC1 key.
        for (pem_text, kt, spki) in [
            (
                fixture!("p256.sec1.pem"),
                KeyType::EcdsaP256,
                fixture!("p256.spki.der"),
            ),
            (
                fixture!("p384.sec1.pem"),
                KeyType::EcdsaP384,
                fixture!("p384.spki.der"),
            ),
        ] {
            let (_, der_bytes) = pem::decode(pem_text, &["EC PRIVATE KEY"], &[]).unwrap();
            let mut seq = der::outer_sequence(&der_bytes).unwrap();
            seq.read_small_uint().unwrap();
            let scalar = seq.read(der::TAG_OCTET_STRING).unwrap();
            let mut bare = vec![0x30, (5 + scalar.len()) as u8, 0x02, 0x01, 0x01, 0x04];
            bare.push(scalar.len() as u8);
            bare.extend_from_slice(scalar);
            let key = SigningKey::from_der(&bare).unwrap();
            assert_eq!(key.key_type(), kt);
            assert_eq!(key.public_key().spki_der(), spki);
            // A scalar of any other length cannot be placed on a curve.
            let mut odd = bare.clone();
            odd[1] += 1;
            odd[6] += 1;
            odd.push(0x01);
            assert_eq!(SigningKey::from_der(&odd).unwrap_err(), Error::KeyMalformed);
        }
    }

    #[test]
    fn ed25519_pkcs8_v2_from_rfc8410_loads_and_checks_its_public_key() {
        let text = fixture!("ed25519.rfc8410-v2.pem");
        let key = SigningKey::from_pem(text).unwrap();
        assert_eq!(key.key_type(), KeyType::Ed25519);
        assert_eq!(
            key.public_key().raw().unwrap(),
            hex("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1")
        );
        // Same document with a public key that does not belong to the private key.
        let (_, der_bytes) = pem::decode(text, &["PRIVATE KEY"], &[]).unwrap();
        let mut bad = der_bytes.to_vec();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        // aws-lc does not say why it refused, so this is KeyMalformed (documented).
        assert_eq!(SigningKey::from_der(&bad).unwrap_err(), Error::KeyMalformed);
    }

    #[test]
    fn openssl_signatures_verify_and_deterministic_ones_match() {
        let p256 = PublicKey::from_pem(fixture!("p256.spki.pem")).unwrap();
        let p384 = PublicKey::from_pem(fixture!("p384.spki.pem")).unwrap();
        let ed = PublicKey::from_pem(fixture!("ed25519.spki.pem")).unwrap();
        let rsa = PublicKey::from_pem(fixture!("rsa2048.spki.pem")).unwrap();
        let cases: [(&PublicKey, &[u8], SignatureFormat); 7] = [
            (&p256, fixture!("p256.sig.der"), SignatureFormat::Default),
            (&p256, fixture!("p256.sig.der"), SignatureFormat::EcdsaDer),
            (&p384, fixture!("p384.sig.der"), SignatureFormat::EcdsaDer),
            (&ed, fixture!("ed25519.sig"), SignatureFormat::Default),
            (
                &rsa,
                fixture!("rsa2048.sig.pkcs1"),
                SignatureFormat::Default,
            ),
            (
                &rsa,
                fixture!("rsa2048.sig.pkcs1"),
                SignatureFormat::RsaPkcs1Sha256,
            ),
            (
                &rsa,
                fixture!("rsa2048.sig.pss"),
                SignatureFormat::RsaPssSha256,
            ),
        ];
        for (i, (pk, signature, format)) in cases.into_iter().enumerate() {
            pk.verify(MESSAGE, signature, format)
                .unwrap_or_else(|e| panic!("case {i}: {e:?}"));
            assert_eq!(
                pk.verify(b"another message", signature, format),
                Err(Error::SignatureInvalid),
                "case {i}"
            );
            let mut flipped = signature.to_vec();
            let mid = flipped.len() / 2;
            flipped[mid] ^= 0x10;
            assert_eq!(
                pk.verify(MESSAGE, &flipped, format),
                Err(Error::SignatureInvalid),
                "case {i}"
            );
        }
        // Wrong padding for the signature, and formats that do not fit the key.
        assert_eq!(
            rsa.verify(
                MESSAGE,
                fixture!("rsa2048.sig.pss"),
                SignatureFormat::RsaPkcs1Sha256
            ),
            Err(Error::SignatureInvalid)
        );
        assert_eq!(
            p256.verify(
                MESSAGE,
                fixture!("p256.sig.der"),
                SignatureFormat::RsaPssSha256
            ),
            Err(Error::WrongKeyType)
        );
        assert_eq!(
            ed.verify(
                MESSAGE,
                fixture!("ed25519.sig"),
                SignatureFormat::EcdsaFixed
            ),
            Err(Error::WrongKeyType)
        );
        assert_eq!(
            rsa.verify(
                MESSAGE,
                fixture!("rsa2048.sig.pkcs1"),
                SignatureFormat::EcdsaDer
            ),
            Err(Error::WrongKeyType)
        );

        // Ed25519 and RSA PKCS#1 v1.5 are deterministic: our signature is openssl's.
        let ed_key = SigningKey::from_pem(fixture!("ed25519.pkcs8.pem")).unwrap();
        assert_eq!(
            ed_key.sign(MESSAGE, SignatureFormat::Default).unwrap(),
            fixture!("ed25519.sig")
        );
        let rsa_key = SigningKey::from_pem(fixture!("rsa2048.pkcs1.pem")).unwrap();
        assert_eq!(
            rsa_key.sign(MESSAGE, SignatureFormat::Default).unwrap(),
            fixture!("rsa2048.sig.pkcs1")
        );
        let pss = rsa_key
            .sign(MESSAGE, SignatureFormat::RsaPssSha256)
            .unwrap();
        assert_eq!(pss.len(), 256);
        rsa.verify(MESSAGE, &pss, SignatureFormat::RsaPssSha256)
            .unwrap();
    }

    #[test]
    fn ecdsa_fixed_signatures_are_the_der_integers() {
        // Convert openssl's DER signature to r || s by hand and check both forms verify.
        for (spki, sig_der, half) in [
            (fixture!("p256.spki.der"), fixture!("p256.sig.der"), 32),
            (fixture!("p384.spki.der"), fixture!("p384.sig.der"), 48),
        ] {
            let pk = PublicKey::from_spki_der(spki).unwrap();
            let mut seq = der::outer_sequence(sig_der).unwrap();
            let mut fixed = Vec::new();
            for _ in 0..2 {
                let int = seq.read(der::TAG_INTEGER).unwrap();
                let int = &int[int.len().saturating_sub(half)..];
                fixed.extend(std::iter::repeat_n(0u8, half - int.len()));
                fixed.extend_from_slice(int);
            }
            pk.verify(MESSAGE, &fixed, SignatureFormat::EcdsaFixed)
                .unwrap();
            assert_eq!(
                pk.verify(MESSAGE, &fixed, SignatureFormat::EcdsaDer),
                Err(Error::SignatureInvalid)
            );
            assert_eq!(
                pk.verify(MESSAGE, sig_der, SignatureFormat::EcdsaFixed),
                Err(Error::SignatureInvalid)
            );
        }
    }

    #[test]
    fn encrypted_and_too_small_keys_are_rejected() {
        assert_eq!(
            SigningKey::from_pem(fixture!("p256.encrypted.pem")).unwrap_err(),
            Error::KeyRejected
        );
        assert_eq!(
            SigningKey::from_pem(fixture!("p256.sec1-encrypted.pem")).unwrap_err(),
            Error::KeyRejected
        );
        assert_eq!(
            SigningKey::from_pem(fixture!("rsa1024.pkcs8.pem")).unwrap_err(),
            Error::KeyRejected
        );
        assert_eq!(
            PublicKey::from_pem(fixture!("rsa1024.spki.pem")).unwrap_err(),
            Error::KeyRejected
        );
        assert_eq!(
            PublicKey::from_spki_der(fixture!("rsa1024.spki.der")).unwrap_err(),
            Error::KeyRejected
        );
    }

    #[test]
    fn other_algorithms_and_curves_are_unsupported() {
        for (name, text) in [
            ("secp256k1 pkcs8", fixture!("secp256k1.pkcs8.pem")),
            ("secp256k1 sec1", fixture!("secp256k1.sec1.pem")),
            ("p521 pkcs8", fixture!("p521.pkcs8.pem")),
            ("x25519 pkcs8", fixture!("x25519.pkcs8.pem")),
            ("explicit curve", fixture!("p256.sec1-explicit.pem")),
        ] {
            assert_eq!(
                SigningKey::from_pem(text).unwrap_err(),
                Error::UnsupportedAlgorithm,
                "{name}"
            );
        }
        for (name, text) in [
            ("secp256k1 spki", fixture!("secp256k1.spki.pem")),
            ("x25519 spki", fixture!("x25519.spki.pem")),
        ] {
            assert_eq!(
                PublicKey::from_pem(text).unwrap_err(),
                Error::UnsupportedAlgorithm,
                "{name}"
            );
        }
        assert_eq!(
            SigningKey::generate(KeyType::Rsa).unwrap_err(),
            Error::UnsupportedAlgorithm
        );
    }

    #[test]
    fn malformed_private_keys() {
        let pkcs8 = fixture!("p256.pkcs8.der");
        let mut trailing = pkcs8.to_vec();
        trailing.push(0);
        let mut bad_scalar = fixture!("ed25519.pkcs8.der").to_vec();
        bad_scalar.truncate(bad_scalar.len() - 1); // truncated inside the key
        for (name, der_bytes) in [
            ("empty", &[][..]),
            ("junk", &b"junk"[..]),
            ("truncated", &pkcs8[..pkcs8.len() - 1]),
            ("trailing byte", &trailing[..]),
            ("truncated ed25519", &bad_scalar[..]),
            ("public key", fixture!("p256.spki.der")),
            ("empty sequence", &[0x30, 0x00][..]),
            ("version 2", &[0x30, 0x05, 0x02, 0x01, 0x02, 0x30, 0x00][..]),
        ] {
            assert_eq!(
                SigningKey::from_der(der_bytes).unwrap_err(),
                Error::KeyMalformed,
                "{name}"
            );
        }
        // A PEM label that does not match its content.
        let (_, sec1) = pem::decode(fixture!("p256.sec1.pem"), &["EC PRIVATE KEY"], &[]).unwrap();
        let mislabeled = pem::encode("PRIVATE KEY", &sec1);
        assert_eq!(
            SigningKey::from_pem(mislabeled.as_bytes()).unwrap_err(),
            Error::KeyMalformed
        );
        let mislabeled = pem::encode("RSA PRIVATE KEY", fixture!("rsa2048.pkcs8.der"));
        assert_eq!(
            SigningKey::from_pem(mislabeled.as_bytes()).unwrap_err(),
            Error::KeyMalformed
        );
        // PEM without a private key block.
        assert_eq!(
            SigningKey::from_pem(fixture!("p256.spki.pem")).unwrap_err(),
            Error::PemMalformed
        );
        assert_eq!(SigningKey::from_pem(b"").unwrap_err(), Error::PemMalformed);
        // A private key DER with the public key of another key.
        let other = SigningKey::generate(KeyType::EcdsaP256).unwrap();
        let mut mixed = fixture!("p256.sec1.der").to_vec();
        let n = mixed.len();
        mixed[n - 65..].copy_from_slice(other.public_key().raw().unwrap());
        assert_eq!(
            SigningKey::from_der(&mixed).unwrap_err(),
            Error::KeyMalformed
        );
    }

    #[test]
    fn public_keys_from_openssl_in_every_form() {
        for (spki_pem, spki, compressed, fingerprint, kt) in [
            (
                fixture!("p256.spki.pem"),
                fixture!("p256.spki.der"),
                Some(fixture!("p256.spki-compressed.der")),
                fixture!("p256.fingerprint.bin"),
                KeyType::EcdsaP256,
            ),
            (
                fixture!("p384.spki.pem"),
                fixture!("p384.spki.der"),
                Some(fixture!("p384.spki-compressed.der")),
                fixture!("p384.fingerprint.bin"),
                KeyType::EcdsaP384,
            ),
            (
                fixture!("ed25519.spki.pem"),
                fixture!("ed25519.spki.der"),
                None,
                fixture!("ed25519.fingerprint.bin"),
                KeyType::Ed25519,
            ),
            (
                fixture!("rsa2048.spki.pem"),
                fixture!("rsa2048.spki.der"),
                None,
                fixture!("rsa2048.fingerprint.bin"),
                KeyType::Rsa,
            ),
        ] {
            let from_pem = PublicKey::from_pem(spki_pem).unwrap();
            let from_der = PublicKey::from_spki_der(spki).unwrap();
            assert_eq!(from_pem, from_der);
            assert_eq!(from_der.key_type(), kt);
            assert_eq!(from_der.spki_der(), spki);
            assert_eq!(&from_der.fingerprint()[..], fingerprint);
            // openssl writes the same PEM text (64 columns, LF).
            assert_eq!(from_der.to_pem().as_bytes(), spki_pem);
            match kt {
                KeyType::Rsa => {
                    assert_eq!(from_der.raw().unwrap_err(), Error::UnsupportedFormat);
                    assert_eq!(
                        from_der.raw_compressed().unwrap_err(),
                        Error::UnsupportedFormat
                    );
                }
                _ => {
                    // The raw key is the content of the SPKI's BIT STRING: its last bytes.
                    let raw = from_der.raw().unwrap();
                    assert_eq!(raw, &spki[spki.len() - raw.len()..]);
                    assert_eq!(PublicKey::from_raw(kt, raw).unwrap(), from_der);
                }
            }
            if let Some(compressed) = compressed {
                let from_c = PublicKey::from_spki_der(compressed).unwrap();
                assert_eq!(from_c, from_der);
                assert_eq!(from_c.spki_der(), spki, "stored canonically");
                let point = from_der.raw_compressed().unwrap();
                assert_eq!(point, &compressed[compressed.len() - point.len()..]);
                assert_eq!(PublicKey::from_raw(kt, &point).unwrap(), from_der);
            }
        }
        // RSA PUBLIC KEY (PKCS#1) from `openssl rsa -RSAPublicKey_out`.
        let pkcs1 = PublicKey::from_pem(fixture!("rsa2048.pkcs1-public.pem")).unwrap();
        assert_eq!(pkcs1.spki_der(), fixture!("rsa2048.spki.der"));
    }

    #[test]
    fn malformed_public_keys() {
        let spki = fixture!("p256.spki.der");
        let raw = &spki[spki.len() - 65..];
        // Not on the curve: change y.
        let mut off_curve = raw.to_vec();
        off_curve[64] ^= 1;
        let mut bad_prefix = raw.to_vec();
        bad_prefix[0] = 0x05;
        let mut spki_off_curve = spki.to_vec();
        let n = spki_off_curve.len();
        spki_off_curve[n - 1] ^= 1;
        for (name, kt, bytes) in [
            ("empty", KeyType::EcdsaP256, &[][..]),
            ("P-384 length for P-256", KeyType::EcdsaP256, &[4u8; 97][..]),
            ("SPKI as raw", KeyType::EcdsaP256, spki),
            ("off curve", KeyType::EcdsaP256, &off_curve[..]),
            ("bad prefix", KeyType::EcdsaP256, &bad_prefix[..]),
            ("truncated compressed", KeyType::EcdsaP256, &raw[..32]),
            ("P-256 point for P-384", KeyType::EcdsaP384, raw),
            ("31-byte Ed25519", KeyType::Ed25519, &raw[..31]),
            ("33-byte Ed25519", KeyType::Ed25519, &raw[..33]),
        ] {
            assert_eq!(
                PublicKey::from_raw(kt, bytes).unwrap_err(),
                Error::KeyMalformed,
                "{name}"
            );
        }
        assert_eq!(
            PublicKey::from_raw(KeyType::Rsa, fixture!("rsa2048.spki.der")).unwrap_err(),
            Error::UnsupportedFormat
        );
        let mut trailing = spki.to_vec();
        trailing.push(0);
        for (name, bytes) in [
            ("empty", &[][..]),
            ("raw point", raw),
            ("off curve", &spki_off_curve[..]),
            ("trailing byte", &trailing[..]),
            ("truncated", &spki[..spki.len() - 1]),
            ("private key", fixture!("p256.pkcs8.der")),
        ] {
            assert_eq!(
                PublicKey::from_spki_der(bytes).unwrap_err(),
                Error::KeyMalformed,
                "{name}"
            );
        }
        assert_eq!(
            PublicKey::from_pkcs1_rsa_der(spki).unwrap_err(),
            Error::KeyMalformed
        );
        assert_eq!(
            PublicKey::from_pem(fixture!("p256.pkcs8.pem")).unwrap_err(),
            Error::PemMalformed
        );
    }

    #[test]
    fn exports_load_back_and_match_openssl_where_canonical() {
        // Ed25519 and RSA PKCS#8 v1 have one DER encoding: ours must be openssl's.
        for (text, der_expected) in [
            (fixture!("ed25519.pkcs8.pem"), fixture!("ed25519.pkcs8.der")),
            (fixture!("rsa2048.pkcs1.pem"), fixture!("rsa2048.pkcs8.der")),
            (fixture!("rsa2048.pkcs8.pem"), fixture!("rsa2048.pkcs8.der")),
        ] {
            let key = SigningKey::from_pem(text).unwrap();
            assert_eq!(&key.to_pkcs8_der().unwrap()[..], der_expected);
        }
        assert_eq!(
            SigningKey::from_pem(fixture!("rsa2048.pkcs8.pem"))
                .unwrap()
                .to_pkcs8_pem()
                .unwrap()
                .as_bytes(),
            fixture!("rsa2048.pkcs8.pem")
        );
        for (name, bytes, is_pem, ..) in openssl_private_keys() {
            let key = if is_pem {
                SigningKey::from_pem(bytes)
            } else {
                SigningKey::from_der(bytes)
            }
            .unwrap();
            let der_out = key.to_pkcs8_der().unwrap();
            let again = SigningKey::from_der(&der_out).unwrap();
            assert_eq!(again.public_key(), key.public_key(), "{name}");
            let pem_out = key.to_pkcs8_pem().unwrap();
            assert!(
                pem_out.starts_with("-----BEGIN PRIVATE KEY-----\n"),
                "{name}"
            );
            let again = SigningKey::from_pem(pem_out.as_bytes()).unwrap();
            assert_eq!(again.public_key(), key.public_key(), "{name}");
            // The reloaded key signs for the original public key.
            let signature = again.sign(MESSAGE, SignatureFormat::Default).unwrap();
            key.public_key()
                .verify(MESSAGE, &signature, SignatureFormat::Default)
                .unwrap();
        }
    }

    #[test]
    fn signature_lengths() {
        use SignatureFormat as F;
        for (kt, format, max) in [
            (KeyType::EcdsaP256, F::Default, P256_MAX_DER_SIGNATURE_LEN),
            (KeyType::EcdsaP256, F::EcdsaDer, P256_MAX_DER_SIGNATURE_LEN),
            (KeyType::EcdsaP256, F::EcdsaFixed, P256_FIXED_SIGNATURE_LEN),
            (KeyType::EcdsaP384, F::EcdsaDer, P384_MAX_DER_SIGNATURE_LEN),
            (KeyType::EcdsaP384, F::EcdsaFixed, P384_FIXED_SIGNATURE_LEN),
            (KeyType::Ed25519, F::Default, ED25519_SIGNATURE_LEN),
        ] {
            assert_eq!(max_signature_len(kt, format), Ok(max));
            let key = SigningKey::generate(kt).unwrap();
            assert_eq!(key.max_signature_len(format), Ok(max));
            for _ in 0..20 {
                let s = key.sign(b"m", format).unwrap();
                assert!(s.len() <= max);
                if format == F::EcdsaFixed || kt == KeyType::Ed25519 {
                    assert_eq!(s.len(), max);
                }
            }
        }
        assert_eq!(
            max_signature_len(KeyType::Rsa, F::RsaPssSha256),
            Ok(MAX_SIGNATURE_LEN)
        );
        let rsa = SigningKey::from_pem(fixture!("rsa2048.pkcs8.pem")).unwrap();
        assert_eq!(rsa.max_signature_len(F::Default), Ok(256));
        assert_eq!(
            rsa.max_signature_len(F::EcdsaFixed),
            Err(Error::WrongKeyType)
        );
        assert_eq!(
            max_signature_len(KeyType::Ed25519, F::EcdsaDer),
            Err(Error::WrongKeyType)
        );
        // DER ECDSA sizes: SEQUENCE header + two INTEGERs of up to 33 (P-256) or 49 (P-384) bytes.
        assert_eq!(P256_MAX_DER_SIGNATURE_LEN, 2 + 2 * (2 + 33));
        assert_eq!(P384_MAX_DER_SIGNATURE_LEN, 2 + 2 * (2 + 49));
    }
}
