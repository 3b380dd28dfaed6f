//! Signing keys and public keys.

use crate::crypto::{bytes, code_arg};
use crate::errors::{self, fail_msg, run, run_err};
use gamecrypt::keys::{KeyType, PublicKey, SignatureFormat, SigningKey};
use gamecrypt::Error as CoreError;
use godot::classes::file_access::ModeFlags;
use godot::classes::FileAccess;
use godot::global::Error as GdError;
use godot::prelude::*;

fn key_type(call: &str, code: i64) -> Option<KeyType> {
    code_arg(call, code, KeyType::from_code)
}

fn sig_format(call: &str, code: i64) -> Option<SignatureFormat> {
    code_arg(call, code, SignatureFormat::from_code)
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Reads a whole file through Godot (res://, user:// or an OS path).
pub(crate) fn read_file(call: &str, path: &GString) -> Option<Vec<u8>> {
    let data = FileAccess::get_file_as_bytes(path);
    if data.is_empty() {
        let err = FileAccess::get_open_error();
        if err != GdError::OK {
            fail_msg(
                call,
                CoreError::InvalidArgument,
                &format!("cannot read {path}: {err:?}"),
            );
            return None;
        }
    }
    Some(data.as_slice().to_vec())
}

/// Writes a whole file through Godot.
pub(crate) fn write_file(call: &str, path: &GString, data: &[u8]) -> GdError {
    match FileAccess::open(path, ModeFlags::WRITE) {
        Some(mut f) => {
            f.store_buffer(&PackedByteArray::from(data));
            f.close();
            errors::clear();
            GdError::OK
        }
        None => {
            let err = FileAccess::get_open_error();
            fail_msg(
                call,
                CoreError::InvalidArgument,
                &format!("cannot write {path}: {err:?}"),
            );
            err
        }
    }
}

fn looks_like_pem(data: &[u8]) -> bool {
    data.windows(11).any(|w| w == b"-----BEGIN ")
}

/// A private key that signs: ECDSA P-256 (the default), ECDSA P-384, Ed25519, or RSA
/// (imported only). Loads and saves PEM (PKCS#8, SEC1 and PKCS#1, so the text that Godot's
/// [method CryptoKey.save_to_string] writes works) and DER; saves PKCS#8.
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptSigningKey {
    pub(crate) key: Option<SigningKey>,
}

#[godot_api]
impl GameCryptSigningKey {
    /// ECDSA on P-256 with SHA-256 (the default).
    #[constant]
    pub const KEY_ECDSA_P256: i64 = 1;
    /// ECDSA on P-384 with SHA-384.
    #[constant]
    pub const KEY_ECDSA_P384: i64 = 2;
    /// Ed25519.
    #[constant]
    pub const KEY_ED25519: i64 = 3;
    /// RSA 2048 to 8192 bits (import, sign and verify only).
    #[constant]
    pub const KEY_RSA: i64 = 4;
    /// The key's natural signature format: DER for ECDSA, PKCS#1 v1.5 SHA-256 for RSA.
    #[constant]
    pub const SIGNATURE_DEFAULT: i64 = 0;
    /// ECDSA: ASN.1 DER (what OpenSSL and Godot's [Crypto] use).
    #[constant]
    pub const SIGNATURE_ECDSA_DER: i64 = 1;
    /// ECDSA: fixed-length r||s (JWS, WebCrypto).
    #[constant]
    pub const SIGNATURE_ECDSA_FIXED: i64 = 2;
    /// RSA PKCS#1 v1.5 with SHA-256 (what Godot's [method Crypto.sign] makes over a SHA-256 hash).
    #[constant]
    pub const SIGNATURE_RSA_PKCS1_SHA256: i64 = 3;
    /// RSA-PSS with SHA-256.
    #[constant]
    pub const SIGNATURE_RSA_PSS_SHA256: i64 = 4;

    /// A new random key of [param key_type], or null on failure.
    #[func]
    pub fn generate(#[opt(default = 1)] key_type: i64) -> Option<Gd<GameCryptSigningKey>> {
        let kt = self::key_type("GameCryptSigningKey.generate", key_type)?;
        let key = run("GameCryptSigningKey.generate", || SigningKey::generate(kt))?;
        Some(Gd::from_object(GameCryptSigningKey { key: Some(key) }))
    }

    /// Loads the first private key of a PEM text ([code]PRIVATE KEY[/code],
    /// [code]EC PRIVATE KEY[/code] or [code]RSA PRIVATE KEY[/code]; encrypted keys are refused).
    #[func]
    pub fn load_from_string(&mut self, pem: GString) -> GdError {
        self.set("GameCryptSigningKey.load_from_string", || {
            SigningKey::from_pem(pem.to_string().as_bytes())
        })
    }

    /// Loads a DER private key (PKCS#8, SEC1 or PKCS#1).
    #[func]
    pub fn load_from_der(&mut self, der: PackedByteArray) -> GdError {
        self.set("GameCryptSigningKey.load_from_der", || {
            SigningKey::from_der(der.as_slice())
        })
    }

    /// Loads a key file (PEM or DER, detected).
    #[func]
    pub fn load(&mut self, path: GString) -> GdError {
        const CALL: &str = "GameCryptSigningKey.load";
        let Some(data) = read_file(CALL, &path) else {
            return errors::last_godot_error();
        };
        let data = zeroize::Zeroizing::new(data);
        self.set(CALL, || {
            if looks_like_pem(&data) {
                SigningKey::from_pem(&data)
            } else {
                SigningKey::from_der(&data)
            }
        })
    }

    fn set(&mut self, call: &str, f: impl FnOnce() -> gamecrypt::Result<SigningKey>) -> GdError {
        match run(call, f) {
            Some(k) => {
                self.key = Some(k);
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    fn need(&self, call: &str) -> Option<&SigningKey> {
        if self.key.is_none() {
            fail_msg(
                call,
                CoreError::WrongState,
                "no key loaded (generate() or load first)",
            );
        }
        self.key.as_ref()
    }

    /// The key as PKCS#8 PEM text ([code]-----BEGIN PRIVATE KEY-----[/code]), which Godot's
    /// [method CryptoKey.load_from_string] also reads. Keep it secret.
    #[func]
    pub fn save_to_string(&self) -> GString {
        const CALL: &str = "GameCryptSigningKey.save_to_string";
        let Some(k) = self.need(CALL) else {
            return GString::new();
        };
        run(CALL, || k.to_pkcs8_pem())
            .map(|p| GString::from(p.as_str()))
            .unwrap_or_default()
    }

    /// The key as PKCS#8 DER.
    #[func]
    pub fn save_to_der(&self) -> PackedByteArray {
        const CALL: &str = "GameCryptSigningKey.save_to_der";
        let Some(k) = self.need(CALL) else {
            return PackedByteArray::new();
        };
        run(CALL, || k.to_pkcs8_der())
            .map(|d| bytes(&d))
            .unwrap_or_default()
    }

    /// Writes the key as PKCS#8 PEM to [param path].
    #[func]
    pub fn save(&self, path: GString) -> GdError {
        const CALL: &str = "GameCryptSigningKey.save";
        let Some(k) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        match run(CALL, || k.to_pkcs8_pem()) {
            Some(pem) => write_file(CALL, &path, pem.as_bytes()),
            None => errors::last_godot_error(),
        }
    }

    /// True once a key is loaded or generated.
    #[func]
    pub fn is_valid(&self) -> bool {
        self.key.is_some()
    }

    /// The key type ([constant KEY_ECDSA_P256]...), 0 when empty.
    #[func]
    pub fn get_key_type(&self) -> i64 {
        self.key.as_ref().map(|k| k.key_type() as i64).unwrap_or(0)
    }

    /// Signs [param message] (the whole message, not a hash) in [param format].
    #[func]
    pub fn sign(
        &self,
        message: PackedByteArray,
        #[opt(default = 0)] format: i64,
    ) -> PackedByteArray {
        const CALL: &str = "GameCryptSigningKey.sign";
        let Some(k) = self.need(CALL) else {
            return PackedByteArray::new();
        };
        let Some(f) = sig_format(CALL, format) else {
            return PackedByteArray::new();
        };
        run(CALL, || k.sign(message.as_slice(), f))
            .map(|s| bytes(&s))
            .unwrap_or_default()
    }

    /// The matching public key.
    #[func]
    pub fn get_public_key(&self) -> Option<Gd<GameCryptPublicKey>> {
        let k = self.need("GameCryptSigningKey.get_public_key")?;
        Some(GameCryptPublicKey::wrap(k.public_key().clone()))
    }

    /// The reason of the last failed GameCrypt call on this thread ("" after a success).
    #[func]
    pub fn get_last_error(&self) -> GString {
        crate::crypto::GameCrypt::get_last_error()
    }
}

/// A public key that verifies signatures. Loads and saves PEM
/// ([code]PUBLIC KEY[/code], also what [code]CryptoKey.save_to_string(true)[/code] writes, and
/// [code]RSA PUBLIC KEY[/code]), SubjectPublicKeyInfo DER and raw keys. Its fingerprint is
/// SHA-256 of the SubjectPublicKeyInfo DER, the value clients pin.
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptPublicKey {
    pub(crate) key: Option<PublicKey>,
}

impl GameCryptPublicKey {
    pub(crate) fn wrap(key: PublicKey) -> Gd<GameCryptPublicKey> {
        Gd::from_object(GameCryptPublicKey { key: Some(key) })
    }

    pub(crate) fn need(&self, call: &str) -> Option<&PublicKey> {
        if self.key.is_none() {
            fail_msg(call, CoreError::WrongState, "no key loaded");
        }
        self.key.as_ref()
    }

    fn set(&mut self, call: &str, f: impl FnOnce() -> gamecrypt::Result<PublicKey>) -> GdError {
        match run(call, f) {
            Some(k) => {
                self.key = Some(k);
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }
}

#[godot_api]
impl GameCryptPublicKey {
    /// Loads the first public key of a PEM text.
    #[func]
    pub fn load_from_string(&mut self, pem: GString) -> GdError {
        self.set("GameCryptPublicKey.load_from_string", || {
            PublicKey::from_pem(pem.to_string().as_bytes())
        })
    }

    /// Loads a SubjectPublicKeyInfo DER.
    #[func]
    pub fn load_from_der(&mut self, der: PackedByteArray) -> GdError {
        self.set("GameCryptPublicKey.load_from_der", || {
            PublicKey::from_spki_der(der.as_slice())
        })
    }

    /// Loads a raw key of [param key_type]: 32 bytes for Ed25519, an uncompressed (65/97
    /// bytes) or compressed (33/49 bytes) point for ECDSA.
    #[func]
    pub fn load_from_raw(&mut self, key_type: i64, raw: PackedByteArray) -> GdError {
        const CALL: &str = "GameCryptPublicKey.load_from_raw";
        let Some(kt) = self::key_type(CALL, key_type) else {
            return errors::last_godot_error();
        };
        self.set(CALL, || PublicKey::from_raw(kt, raw.as_slice()))
    }

    /// Loads a public key file (PEM or DER, detected).
    #[func]
    pub fn load(&mut self, path: GString) -> GdError {
        const CALL: &str = "GameCryptPublicKey.load";
        let Some(data) = read_file(CALL, &path) else {
            return errors::last_godot_error();
        };
        self.set(CALL, || {
            if looks_like_pem(&data) {
                PublicKey::from_pem(&data)
            } else {
                PublicKey::from_spki_der(&data)
            }
        })
    }

    /// The key as PEM ([code]-----BEGIN PUBLIC KEY-----[/code]).
    #[func]
    pub fn save_to_string(&self) -> GString {
        match self.need("GameCryptPublicKey.save_to_string") {
            Some(k) => {
                errors::clear();
                GString::from(k.to_pem().as_str())
            }
            None => GString::new(),
        }
    }

    /// The key as SubjectPublicKeyInfo DER.
    #[func]
    pub fn save_to_der(&self) -> PackedByteArray {
        match self.need("GameCryptPublicKey.save_to_der") {
            Some(k) => {
                errors::clear();
                bytes(k.spki_der())
            }
            None => PackedByteArray::new(),
        }
    }

    /// Writes the key as PEM to [param path].
    #[func]
    pub fn save(&self, path: GString) -> GdError {
        const CALL: &str = "GameCryptPublicKey.save";
        match self.need(CALL) {
            Some(k) => write_file(CALL, &path, k.to_pem().as_bytes()),
            None => errors::last_godot_error(),
        }
    }

    /// The raw key (Ed25519: 32 bytes; ECDSA: the uncompressed point). RSA has none.
    #[func]
    pub fn get_raw(&self) -> PackedByteArray {
        const CALL: &str = "GameCryptPublicKey.get_raw";
        let Some(k) = self.need(CALL) else {
            return PackedByteArray::new();
        };
        run(CALL, || k.raw().map(bytes)).unwrap_or_default()
    }

    /// True once a key is loaded.
    #[func]
    pub fn is_valid(&self) -> bool {
        self.key.is_some()
    }

    /// The key type ([constant GameCryptSigningKey.KEY_ECDSA_P256]...), 0 when empty.
    #[func]
    pub fn get_key_type(&self) -> i64 {
        self.key.as_ref().map(|k| k.key_type() as i64).unwrap_or(0)
    }

    /// SHA-256 of the SubjectPublicKeyInfo DER (32 bytes): what a client pins.
    #[func]
    pub fn get_fingerprint(&self) -> PackedByteArray {
        match self.need("GameCryptPublicKey.get_fingerprint") {
            Some(k) => bytes(k.fingerprint()),
            None => PackedByteArray::new(),
        }
    }

    /// The fingerprint as 64 lowercase hex digits (for display and config files).
    #[func]
    pub fn get_fingerprint_hex(&self) -> GString {
        match self.need("GameCryptPublicKey.get_fingerprint_hex") {
            Some(k) => GString::from(hex(k.fingerprint()).as_str()),
            None => GString::new(),
        }
    }

    /// True when [param signature] is a valid signature of [param message] in [param format].
    /// A bad or malformed signature returns false, never an error in the log.
    #[func]
    pub fn verify(
        &self,
        message: PackedByteArray,
        signature: PackedByteArray,
        #[opt(default = 0)] format: i64,
    ) -> bool {
        const CALL: &str = "GameCryptPublicKey.verify";
        let Some(k) = self.need(CALL) else {
            return false;
        };
        let Some(f) = sig_format(CALL, format) else {
            return false;
        };
        run_err(CALL, || {
            k.verify(message.as_slice(), signature.as_slice(), f)
        }) == GdError::OK
    }

    /// True when [param other] holds the same key.
    #[func]
    pub fn equals(&self, other: Option<Gd<GameCryptPublicKey>>) -> bool {
        match (other, &self.key) {
            (Some(o), Some(k)) => o.bind().key.as_ref() == Some(k),
            _ => false,
        }
    }

    /// The reason of the last failed GameCrypt call on this thread ("" after a success).
    #[func]
    pub fn get_last_error(&self) -> GString {
        crate::crypto::GameCrypt::get_last_error()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_pem_detection() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
        assert!(looks_like_pem(b"junk\n-----BEGIN PUBLIC KEY-----\n"));
        assert!(!looks_like_pem(&[0x30, 0x82, 0x01]));
    }
}
