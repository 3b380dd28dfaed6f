//! Compact binary server certificates signed by an offline root key.
//!
//! Layout (all integers big-endian), see `docs/PROTOCOL.md` section "Certificate":
//!
//! ```text
//! u8  format = 0x01
//! u8  server key type (1 = ECDSA P-256, 3 = Ed25519)
//! u16 key length, then the raw server public key (65-byte uncompressed point or 32 bytes)
//! u64 not_before (unix seconds)      u64 not_after (unix seconds, inclusive)
//! u8  name length (1..=255), then the server name (UTF-8)
//! u8  root key type (1 or 3)         8 bytes root key id = SHA-256(root SPKI DER)[0..8]
//! 64  signature by the root over "gamecrypt certificate v1" || 0x00 || all bytes before it
//! ```

use crate::error::{Error, Result};
use crate::keys::{KeyType, PublicKey, SignatureFormat, SigningKey};
use crate::session::suite::identity_key_len;
use crate::sigcheck;
use std::fmt;

/// Format byte of a version 1 certificate.
pub(crate) const CERT_FORMAT_V1: u8 = 0x01;
/// Domain-separation prefix of the root's signature.
pub(crate) const CERT_SIGNATURE_CONTEXT: &[u8] = b"gamecrypt certificate v1\x00";
/// Length of the root key id.
pub(crate) const ROOT_KEY_ID_LEN: usize = 8;
/// Length of the root signature (ECDSA P-256 r||s or Ed25519).
pub(crate) const CERT_SIGNATURE_LEN: usize = 64;
/// The largest certificate: P-256 key and a 255-byte name.
pub(crate) const CERT_MAX_LEN: usize = 1 + 1 + 2 + 65 + 8 + 8 + 1 + 255 + 1 + 8 + 64;

fn key_type_code(kt: KeyType) -> Result<u8> {
    match kt {
        KeyType::EcdsaP256 => Ok(1),
        KeyType::Ed25519 => Ok(3),
        _ => Err(Error::WrongKeyType),
    }
}

fn key_type_from_code(code: u8) -> Option<KeyType> {
    match code {
        1 => Some(KeyType::EcdsaP256),
        3 => Some(KeyType::Ed25519),
        _ => None,
    }
}

fn signature_format(kt: KeyType) -> SignatureFormat {
    match kt {
        KeyType::EcdsaP256 => SignatureFormat::EcdsaFixed,
        _ => SignatureFormat::Default,
    }
}

/// A parsed server certificate. Parsing checks only the layout; [`Certificate::verify`]
/// checks the signature, the validity period and the name.
#[derive(Clone)]
pub struct Certificate {
    bytes: Vec<u8>,
    key: PublicKey,
    not_before: u64,
    not_after: u64,
    name: String,
    root_key_type: KeyType,
    root_key_id: [u8; ROOT_KEY_ID_LEN],
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("name", &self.name)
            .field("key", &self.key)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .finish()
    }
}

impl Certificate {
    /// Issues a certificate for `server_key` under `root` (which can stay offline: this is
    /// a pure function of its inputs). Both keys must be ECDSA P-256 or Ed25519.
    ///
    /// Errors: `WrongKeyType` for another key type, `InvalidLength` for an empty name or one
    /// longer than 255 bytes, `InvalidArgument` when `not_before > not_after` or the name holds a NUL byte.
    pub fn issue(
        root: &SigningKey,
        server_key: &PublicKey,
        name: &str,
        not_before: u64,
        not_after: u64,
    ) -> Result<Certificate> {
        let root_type = key_type_code(root.key_type())?;
        let server_type = key_type_code(server_key.key_type())?;
        if name.is_empty() || name.len() > 255 {
            return Err(Error::InvalidLength);
        }
        if name.contains('\0') {
            return Err(Error::InvalidArgument);
        }
        if not_before > not_after {
            return Err(Error::InvalidArgument);
        }
        let raw = server_key.raw()?;
        let mut out = Vec::with_capacity(CERT_MAX_LEN);
        out.push(CERT_FORMAT_V1);
        out.push(server_type);
        out.extend_from_slice(&(raw.len() as u16).to_be_bytes());
        out.extend_from_slice(raw);
        out.extend_from_slice(&not_before.to_be_bytes());
        out.extend_from_slice(&not_after.to_be_bytes());
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        out.push(root_type);
        out.extend_from_slice(&root.public_key().fingerprint()[..ROOT_KEY_ID_LEN]);
        let mut signed = Vec::with_capacity(CERT_SIGNATURE_CONTEXT.len() + out.len());
        signed.extend_from_slice(CERT_SIGNATURE_CONTEXT);
        signed.extend_from_slice(&out);
        let sig = root.sign_protocol(&signed, signature_format(root.key_type()))?;
        if sig.len() != CERT_SIGNATURE_LEN {
            return Err(Error::Internal);
        }
        out.extend_from_slice(&sig);
        Certificate::parse(&out)
    }

    /// Parses a certificate's layout. Any deviation is `CertificateMalformed`.
    /// A weak Ed25519 server key (small order or non-canonical) is `PublicKeyWeak`.
    pub fn parse(bytes: &[u8]) -> Result<Certificate> {
        let mut weak = false;
        Self::parse_inner(bytes, &mut weak).ok_or(if weak {
            sigcheck::WEAK_KEY
        } else {
            Error::CertificateMalformed
        })
    }

    fn parse_inner(bytes: &[u8], weak: &mut bool) -> Option<Certificate> {
        let mut r = super::handshake::Reader::new(bytes);
        if r.u8()? != CERT_FORMAT_V1 {
            return None;
        }
        let key_type = key_type_from_code(r.u8()?)?;
        let key_len = r.u16()? as usize;
        if Some(key_len) != identity_key_len(key_type) {
            return None;
        }
        let raw = r.bytes(key_len)?;
        if key_type == KeyType::EcdsaP256 && raw[0] != 0x04 {
            return None;
        }
        let key = PublicKey::from_raw(key_type, raw)
            .map_err(|e| *weak = e == sigcheck::WEAK_KEY)
            .ok()?;
        let not_before = r.u64()?;
        let not_after = r.u64()?;
        if not_before > not_after {
            return None;
        }
        let name_len = r.u8()? as usize;
        if name_len == 0 {
            return None;
        }
        let name = std::str::from_utf8(r.bytes(name_len)?).ok()?.to_owned();
        if name.contains('\0') {
            return None;
        }
        let root_key_type = key_type_from_code(r.u8()?)?;
        let mut root_key_id = [0u8; ROOT_KEY_ID_LEN];
        root_key_id.copy_from_slice(r.bytes(ROOT_KEY_ID_LEN)?);
        r.bytes(CERT_SIGNATURE_LEN)?;
        if !r.is_empty() {
            return None;
        }
        Some(Certificate {
            bytes: bytes.to_vec(),
            key,
            not_before,
            not_after,
            name,
            root_key_type,
            root_key_id,
        })
    }

    /// The encoded certificate.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The server's public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }

    /// Start of the validity period (unix seconds, inclusive).
    pub fn not_before(&self) -> u64 {
        self.not_before
    }

    /// End of the validity period (unix seconds, inclusive).
    pub fn not_after(&self) -> u64 {
        self.not_after
    }

    /// The server name.
    pub fn server_name(&self) -> &str {
        &self.name
    }

    /// Checks that `root` signed this certificate. `CertificateSignatureInvalid` otherwise
    /// (including a root key of another type or with another key id).
    pub fn verify_signature(&self, root: &PublicKey) -> Result<()> {
        if root.key_type() != self.root_key_type
            || root.fingerprint()[..ROOT_KEY_ID_LEN] != self.root_key_id
        {
            return Err(Error::CertificateSignatureInvalid);
        }
        let split = self.bytes.len() - CERT_SIGNATURE_LEN;
        let mut signed = Vec::with_capacity(CERT_SIGNATURE_CONTEXT.len() + split);
        signed.extend_from_slice(CERT_SIGNATURE_CONTEXT);
        signed.extend_from_slice(&self.bytes[..split]);
        root.verify(
            &signed,
            &self.bytes[split..],
            signature_format(root.key_type()),
        )
        .map_err(|_| Error::CertificateSignatureInvalid)
    }

    /// Full check, in this order: signature (`CertificateSignatureInvalid`), validity at
    /// `now` (`CertificateNotYetValid`, `CertificateExpired`), then the name if one is
    /// expected (`CertificateWrongName`; names compare byte for byte).
    pub fn verify(&self, root: &PublicKey, expected_name: Option<&str>, now: u64) -> Result<()> {
        self.verify_signature(root)?;
        if now < self.not_before {
            return Err(Error::CertificateNotYetValid);
        }
        if now > self.not_after {
            return Err(Error::CertificateExpired);
        }
        if let Some(name) = expected_name {
            if name.as_bytes() != self.name.as_bytes() {
                return Err(Error::CertificateWrongName);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_parse_verify_all_key_combinations() {
        for rt in [KeyType::EcdsaP256, KeyType::Ed25519] {
            for st in [KeyType::EcdsaP256, KeyType::Ed25519] {
                let root = SigningKey::generate(rt).unwrap();
                let server = SigningKey::generate(st).unwrap();
                let c = Certificate::issue(&root, server.public_key(), "eu-1.game.example", 10, 20)
                    .unwrap();
                assert_eq!(c.public_key(), server.public_key());
                assert_eq!(c.server_name(), "eu-1.game.example");
                let again = Certificate::parse(c.as_bytes()).unwrap();
                again
                    .verify(root.public_key(), Some("eu-1.game.example"), 10)
                    .unwrap();
                again.verify(root.public_key(), None, 20).unwrap();
                assert_eq!(
                    again.verify(root.public_key(), None, 9).unwrap_err(),
                    Error::CertificateNotYetValid
                );
                assert_eq!(
                    again.verify(root.public_key(), None, 21).unwrap_err(),
                    Error::CertificateExpired
                );
                assert_eq!(
                    again
                        .verify(root.public_key(), Some("eu-2.game.example"), 15)
                        .unwrap_err(),
                    Error::CertificateWrongName
                );
                let other = SigningKey::generate(rt).unwrap();
                assert_eq!(
                    again.verify(other.public_key(), None, 15).unwrap_err(),
                    Error::CertificateSignatureInvalid
                );
            }
        }
    }

    #[test]
    fn issue_rejects_bad_arguments() {
        let root = SigningKey::generate(KeyType::Ed25519).unwrap();
        let server = SigningKey::generate(KeyType::EcdsaP256).unwrap();
        let p384 = SigningKey::generate(KeyType::EcdsaP384).unwrap();
        let pk = server.public_key();
        assert_eq!(
            Certificate::issue(&root, pk, "", 0, 1).unwrap_err(),
            Error::InvalidLength
        );
        let long = "a".repeat(256);
        assert_eq!(
            Certificate::issue(&root, pk, &long, 0, 1).unwrap_err(),
            Error::InvalidLength
        );
        assert!(Certificate::issue(&root, pk, &long[..255], 0, 1).is_ok());
        assert_eq!(
            Certificate::issue(&root, pk, "x", 2, 1).unwrap_err(),
            Error::InvalidArgument
        );
        assert_eq!(
            Certificate::issue(&p384, pk, "x", 0, 1).unwrap_err(),
            Error::WrongKeyType
        );
        assert_eq!(
            Certificate::issue(&root, p384.public_key(), "x", 0, 1).unwrap_err(),
            Error::WrongKeyType
        );
        // A NUL byte could never match a name given as a C string: refused both ways.
        assert_eq!(
            Certificate::issue(&root, pk, "eu\0west", 0, 1).unwrap_err(),
            Error::InvalidArgument
        );
        let cert = Certificate::issue(&root, pk, "eu-west", 0, 1).unwrap();
        let mut bytes = cert.as_bytes().to_vec();
        let at = bytes.windows(7).position(|w| w == b"eu-west").unwrap();
        bytes[at + 2] = 0;
        assert_eq!(
            Certificate::parse(&bytes).unwrap_err(),
            Error::CertificateMalformed
        );
    }

    #[test]
    fn every_bit_flip_is_rejected() {
        let root = SigningKey::generate(KeyType::Ed25519).unwrap();
        let server = SigningKey::generate(KeyType::Ed25519).unwrap();
        let c = Certificate::issue(&root, server.public_key(), "srv", 0, u64::MAX).unwrap();
        let bytes = c.as_bytes().to_vec();
        for i in 0..bytes.len() * 8 {
            let mut b = bytes.clone();
            b[i / 8] ^= 1 << (i % 8);
            let outcome =
                Certificate::parse(&b).and_then(|c| c.verify(root.public_key(), Some("srv"), 5));
            assert!(outcome.is_err(), "bit {i} accepted");
        }
        // Truncations and extensions are malformed.
        for n in 0..bytes.len() {
            assert_eq!(
                Certificate::parse(&bytes[..n]).unwrap_err(),
                Error::CertificateMalformed
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            Certificate::parse(&longer).unwrap_err(),
            Error::CertificateMalformed
        );
    }
}
