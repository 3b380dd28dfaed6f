//! Stateless helpers (`GameCrypt`), hashing and HMAC contexts, and password boxes.

use crate::errors::{self, fail_msg, run, run_err};
use gamecrypt::aead::{self, AeadAlgorithm, AeadKey};
use gamecrypt::primitives::{self, HashAlgorithm, HashContext, HmacContext};
use gamecrypt::Error as CoreError;
use godot::global::Error as GdError;
use godot::prelude::*;

pub(crate) fn bytes(v: &[u8]) -> PackedByteArray {
    PackedByteArray::from(v)
}

/// Converts a GDScript int constant with the core's `from_code` (unknown: `InvalidArgument`).
pub(crate) fn code_arg<T>(
    call: &str,
    code: i64,
    from_code: fn(u32) -> gamecrypt::Result<T>,
) -> Option<T> {
    run(call, || {
        u32::try_from(code)
            .map_err(|_| CoreError::InvalidArgument)
            .and_then(from_code)
    })
}

pub(crate) fn hash_alg(call: &str, code: i64) -> Option<HashAlgorithm> {
    code_arg(call, code, HashAlgorithm::from_code)
}

fn aead_alg(call: &str, code: i64) -> Option<AeadAlgorithm> {
    code_arg(call, code, AeadAlgorithm::from_code)
}

/// The streaming contexts of the core (hash and HMAC) behind one `update`/`finish` wrapper.
trait Streaming {
    fn update(&mut self, data: &[u8]) -> gamecrypt::Result<()>;
    fn finish(&mut self) -> gamecrypt::Result<primitives::Digest>;
}

impl Streaming for HashContext {
    fn update(&mut self, data: &[u8]) -> gamecrypt::Result<()> {
        HashContext::update(self, data)
    }
    fn finish(&mut self) -> gamecrypt::Result<primitives::Digest> {
        HashContext::finish(self)
    }
}

impl Streaming for HmacContext {
    fn update(&mut self, data: &[u8]) -> gamecrypt::Result<()> {
        HmacContext::update(self, data)
    }
    fn finish(&mut self) -> gamecrypt::Result<primitives::Digest> {
        HmacContext::finish(self)
    }
}

const NOT_STARTED: &str = "call start() first";

fn stream_update<C: Streaming>(
    call: &str,
    ctx: Option<&mut C>,
    chunk: &PackedByteArray,
) -> GdError {
    match ctx {
        Some(ctx) => run_err(call, || ctx.update(chunk.as_slice())),
        None => fail_msg(call, CoreError::WrongState, NOT_STARTED),
    }
}

fn stream_finish<C: Streaming>(call: &str, ctx: Option<&mut C>) -> PackedByteArray {
    match ctx {
        Some(ctx) => run(call, || ctx.finish().map(|d| bytes(d.as_ref()))).unwrap_or_default(),
        None => {
            fail_msg(call, CoreError::WrongState, NOT_STARTED);
            PackedByteArray::new()
        }
    }
}

fn out_len(call: &str, len: i64) -> Option<usize> {
    run(call, || {
        usize::try_from(len).map_err(|_| CoreError::InvalidLength)
    })
}

/// Cryptography for games, by gamecrypt: random bytes, hashes, HMAC, HKDF, PBKDF2,
/// constant-time comparison and password-sealed boxes (for save games).
///
/// Every method is static: [code]GameCrypt.hash(GameCrypt.SHA256, data)[/code]. A call that
/// fails returns an empty array (or [code]false[/code]) and leaves a readable reason in
/// [method get_last_error].
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCrypt {}

#[godot_api]
impl GameCrypt {
    /// SHA-256 (32-byte digest).
    #[constant]
    pub const SHA256: i64 = 1;
    /// SHA-384 (48-byte digest).
    #[constant]
    pub const SHA384: i64 = 2;
    /// SHA-512 (64-byte digest).
    #[constant]
    pub const SHA512: i64 = 3;
    /// AES-256-GCM (the default AEAD).
    #[constant]
    pub const AES_256_GCM: i64 = 1;
    /// ChaCha20-Poly1305.
    #[constant]
    pub const CHACHA20_POLY1305: i64 = 2;
    /// PBKDF2 iteration count recommended for new password boxes (OWASP 2023).
    #[constant]
    pub const PBKDF2_RECOMMENDED_ITERATIONS: i64 = primitives::PBKDF2_RECOMMENDED_ITERATIONS as i64;

    /// The reason of the last failed GameCrypt call on this thread, or "" when the last call
    /// succeeded.
    #[func]
    pub fn get_last_error() -> GString {
        GString::from(errors::last_message().as_str())
    }

    /// The Godot [enum Error] of the last GameCrypt call on this thread ([constant OK] when
    /// it succeeded).
    #[func]
    pub fn get_last_error_code() -> GdError {
        errors::last_godot_error()
    }

    /// The gamecrypt result code of the last failed call (0 when it succeeded); the same
    /// numbers as the C library's [code]gamecrypt_result[/code].
    #[func]
    pub fn get_last_result_code() -> i64 {
        i64::from(errors::last_code())
    }

    /// The version of the gamecrypt library ("major.minor.patch").
    #[func]
    pub fn get_version() -> GString {
        let v = gamecrypt::VERSION_NUMBER;
        GString::from(format!("{}.{}.{}", v / 10000, v / 100 % 100, v % 100).as_str())
    }

    /// [param size] cryptographically secure random bytes (from the operating system).
    #[func]
    pub fn random_bytes(size: i64) -> PackedByteArray {
        let Some(n) = out_len("random_bytes", size) else {
            return PackedByteArray::new();
        };
        run("random_bytes", || {
            let mut out = vec![0u8; n];
            primitives::random_bytes(&mut out)?;
            Ok(bytes(&out))
        })
        .unwrap_or_default()
    }

    /// True when [param a] and [param b] are equal; the time taken does not depend on the
    /// contents (use it to compare MACs, tokens and password hashes).
    #[func]
    pub fn constant_time_compare(a: PackedByteArray, b: PackedByteArray) -> bool {
        errors::clear();
        primitives::constant_time_eq(a.as_slice(), b.as_slice())
    }

    /// The digest of [param data] with [param algorithm] ([constant SHA256], [constant SHA384]
    /// or [constant SHA512]).
    #[func]
    pub fn hash(algorithm: i64, data: PackedByteArray) -> PackedByteArray {
        match hash_alg("hash", algorithm) {
            Some(alg) => bytes(primitives::hash(alg, data.as_slice()).as_ref()),
            None => PackedByteArray::new(),
        }
    }

    /// HMAC of [param data] under [param key] with [param algorithm].
    #[func]
    pub fn hmac(algorithm: i64, key: PackedByteArray, data: PackedByteArray) -> PackedByteArray {
        match hash_alg("hmac", algorithm) {
            Some(alg) => {
                bytes(primitives::hmac_sign(alg, key.as_slice(), data.as_slice()).as_ref())
            }
            None => PackedByteArray::new(),
        }
    }

    /// True when [param tag] is the HMAC of [param data] under [param key] (compared in
    /// constant time).
    #[func]
    pub fn hmac_verify(
        algorithm: i64,
        key: PackedByteArray,
        data: PackedByteArray,
        tag: PackedByteArray,
    ) -> bool {
        let Some(alg) = hash_alg("hmac_verify", algorithm) else {
            return false;
        };
        run("hmac_verify", || {
            primitives::hmac_verify(alg, key.as_slice(), data.as_slice(), tag.as_slice())
        })
        .is_some()
    }

    /// HKDF (RFC 5869): [param length] bytes of key material derived from [param ikm] with
    /// [param salt] and [param info].
    #[func]
    pub fn hkdf(
        algorithm: i64,
        ikm: PackedByteArray,
        salt: PackedByteArray,
        info: PackedByteArray,
        length: i64,
    ) -> PackedByteArray {
        let (Some(alg), Some(n)) = (hash_alg("hkdf", algorithm), out_len("hkdf", length)) else {
            return PackedByteArray::new();
        };
        run("hkdf", || {
            let mut out = vec![0u8; n];
            primitives::hkdf(
                alg,
                salt.as_slice(),
                ikm.as_slice(),
                info.as_slice(),
                &mut out,
            )?;
            Ok(bytes(&out))
        })
        .unwrap_or_default()
    }

    /// PBKDF2-HMAC-SHA256: [param length] bytes derived from [param password] and
    /// [param salt] (16 random bytes or more) with [param iterations] rounds.
    #[func]
    pub fn pbkdf2_sha256(
        password: PackedByteArray,
        salt: PackedByteArray,
        iterations: i64,
        length: i64,
    ) -> PackedByteArray {
        let Some(n) = out_len("pbkdf2_sha256", length) else {
            return PackedByteArray::new();
        };
        run("pbkdf2_sha256", || {
            let it = u32::try_from(iterations).map_err(|_| CoreError::InvalidArgument)?;
            let mut out = vec![0u8; n];
            primitives::pbkdf2_hmac_sha256(password.as_slice(), salt.as_slice(), it, &mut out)?;
            Ok(bytes(&out))
        })
        .unwrap_or_default()
    }

    /// Seals [param plaintext] with a password (PBKDF2-HMAC-SHA256 with a random salt, then
    /// AES-256-GCM) into a box that [method open_with_password] opens. [param associated_data]
    /// is authenticated but not stored (e.g. the save slot name). [param iterations] 0 means
    /// [constant PBKDF2_RECOMMENDED_ITERATIONS].
    #[func]
    pub fn seal_with_password(
        password: GString,
        plaintext: PackedByteArray,
        #[opt(default = &PackedByteArray::new())] associated_data: PackedByteArray,
        #[opt(default = 0)] iterations: i64,
    ) -> PackedByteArray {
        run("seal_with_password", || {
            let it = match iterations {
                0 => primitives::PBKDF2_RECOMMENDED_ITERATIONS,
                n => u32::try_from(n).map_err(|_| CoreError::InvalidArgument)?,
            };
            let pw = password.to_string();
            let sealed = aead::seal_with_password(
                AeadAlgorithm::Aes256Gcm,
                pw.as_bytes(),
                it,
                plaintext.as_slice(),
                associated_data.as_slice(),
            )?;
            Ok(bytes(&sealed))
        })
        .unwrap_or_default()
    }

    /// Opens a box made by [method seal_with_password]. A wrong password, other associated
    /// data or a tampered box returns an empty array (see [method get_last_error]).
    #[func]
    pub fn open_with_password(
        password: GString,
        sealed: PackedByteArray,
        #[opt(default = &PackedByteArray::new())] associated_data: PackedByteArray,
    ) -> PackedByteArray {
        run("open_with_password", || {
            let pw = password.to_string();
            let plain = aead::open_with_password(
                pw.as_bytes(),
                sealed.as_slice(),
                associated_data.as_slice(),
            )?;
            Ok(bytes(&plain))
        })
        .unwrap_or_default()
    }
}

/// A streaming hash like Godot's [HashingContext], with SHA-256, SHA-384 and SHA-512:
/// [method start], any number of [method update], then [method finish].
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptHashingContext {
    ctx: Option<HashContext>,
}

#[godot_api]
impl GameCryptHashingContext {
    /// Starts a new hash with [param algorithm] ([constant GameCrypt.SHA256],
    /// [constant GameCrypt.SHA384] or [constant GameCrypt.SHA512]); forgets any previous one.
    #[func]
    pub fn start(&mut self, algorithm: i64) -> GdError {
        match hash_alg("GameCryptHashingContext.start", algorithm) {
            Some(alg) => {
                self.ctx = Some(HashContext::new(alg));
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    /// Adds [param chunk] to the hash.
    #[func]
    pub fn update(&mut self, chunk: PackedByteArray) -> GdError {
        stream_update("GameCryptHashingContext.update", self.ctx.as_mut(), &chunk)
    }

    /// The digest of everything added; the context must be started again afterwards.
    #[func]
    pub fn finish(&mut self) -> PackedByteArray {
        stream_finish("GameCryptHashingContext.finish", self.ctx.as_mut())
    }

    /// The reason of the last failed GameCrypt call on this thread ("" after a success).
    #[func]
    pub fn get_last_error(&self) -> GString {
        GameCrypt::get_last_error()
    }
}

/// A streaming HMAC: [method start] with a key, [method update] with the data, then
/// [method finish] (the tag) or [method verify] (compare with a tag in constant time).
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptHmacContext {
    ctx: Option<HmacContext>,
}

#[godot_api]
impl GameCryptHmacContext {
    /// Starts a new HMAC with [param algorithm] and [param key].
    #[func]
    pub fn start(&mut self, algorithm: i64, key: PackedByteArray) -> GdError {
        match hash_alg("GameCryptHmacContext.start", algorithm) {
            Some(alg) => {
                self.ctx = Some(HmacContext::new(alg, key.as_slice()));
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    /// Adds [param chunk] to the authenticated data.
    #[func]
    pub fn update(&mut self, chunk: PackedByteArray) -> GdError {
        stream_update("GameCryptHmacContext.update", self.ctx.as_mut(), &chunk)
    }

    /// The tag of everything added.
    #[func]
    pub fn finish(&mut self) -> PackedByteArray {
        stream_finish("GameCryptHmacContext.finish", self.ctx.as_mut())
    }

    /// True when [param tag] is the tag of everything added (constant-time comparison).
    #[func]
    pub fn verify(&mut self, tag: PackedByteArray) -> bool {
        const CALL: &str = "GameCryptHmacContext.verify";
        match self.ctx.as_mut() {
            Some(ctx) => run(CALL, || ctx.verify(tag.as_slice())).is_some(),
            None => {
                fail_msg(CALL, CoreError::WrongState, NOT_STARTED);
                false
            }
        }
    }
}

/// A secret key for sealed boxes (AES-256-GCM or ChaCha20-Poly1305): [method generate] or
/// [method load_from_bytes], then [method seal] and [method open]. Boxes carry their own
/// random nonce and a header, so the same key can seal many boxes.
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptSecretKey {
    key: Option<AeadKey>,
    raw: Option<zeroize::Zeroizing<Vec<u8>>>,
}

#[godot_api]
impl GameCryptSecretKey {
    /// A new random key for [param algorithm] ([constant GameCrypt.AES_256_GCM] or
    /// [constant GameCrypt.CHACHA20_POLY1305]).
    #[func]
    pub fn generate(&mut self, #[opt(default = 1)] algorithm: i64) -> GdError {
        let mut raw = zeroize::Zeroizing::new(vec![0u8; aead::KEY_LEN]);
        if run("GameCryptSecretKey.generate", || {
            primitives::random_bytes(&mut raw)
        })
        .is_none()
        {
            return errors::last_godot_error();
        }
        self.load(algorithm, raw)
    }

    /// Uses the 32 bytes [param key] for [param algorithm].
    #[func]
    pub fn load_from_bytes(
        &mut self,
        key: PackedByteArray,
        #[opt(default = 1)] algorithm: i64,
    ) -> GdError {
        self.load(algorithm, zeroize::Zeroizing::new(key.as_slice().to_vec()))
    }

    fn load(&mut self, algorithm: i64, raw: zeroize::Zeroizing<Vec<u8>>) -> GdError {
        const CALL: &str = "GameCryptSecretKey.load";
        let Some(alg) = aead_alg(CALL, algorithm) else {
            return errors::last_godot_error();
        };
        match run(CALL, || AeadKey::from_bytes(alg, &raw)) {
            Some(k) => {
                self.key = Some(k);
                self.raw = Some(raw);
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    /// The 32 key bytes (keep them secret).
    #[func]
    pub fn to_bytes(&self) -> PackedByteArray {
        match &self.raw {
            Some(r) => bytes(r),
            None => {
                fail_msg(
                    "GameCryptSecretKey.to_bytes",
                    CoreError::WrongState,
                    "no key loaded",
                );
                PackedByteArray::new()
            }
        }
    }

    /// Seals [param plaintext] into a box; [param associated_data] is authenticated, not stored.
    #[func]
    pub fn seal(
        &self,
        plaintext: PackedByteArray,
        #[opt(default = &PackedByteArray::new())] associated_data: PackedByteArray,
    ) -> PackedByteArray {
        const CALL: &str = "GameCryptSecretKey.seal";
        let Some(key) = &self.key else {
            fail_msg(CALL, CoreError::WrongState, "no key loaded");
            return PackedByteArray::new();
        };
        run(CALL, || {
            key.seal(plaintext.as_slice(), associated_data.as_slice())
                .map(|b| bytes(&b))
        })
        .unwrap_or_default()
    }

    /// Opens a box sealed with this key; a tampered box, another key or other associated
    /// data returns an empty array (see [method get_last_error]).
    #[func]
    pub fn open(
        &self,
        sealed: PackedByteArray,
        #[opt(default = &PackedByteArray::new())] associated_data: PackedByteArray,
    ) -> PackedByteArray {
        const CALL: &str = "GameCryptSecretKey.open";
        let Some(key) = &self.key else {
            fail_msg(CALL, CoreError::WrongState, "no key loaded");
            return PackedByteArray::new();
        };
        run(CALL, || {
            key.open(sealed.as_slice(), associated_data.as_slice())
                .map(|b| bytes(&b))
        })
        .unwrap_or_default()
    }

    /// The reason of the last failed GameCrypt call on this thread ("" after a success).
    #[func]
    pub fn get_last_error(&self) -> GString {
        GameCrypt::get_last_error()
    }
}
