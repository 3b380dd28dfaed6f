//! Primitives: secure random bytes, SHA-2 hashing, HMAC, HKDF, PBKDF2 and constant-time
//! comparison, all over aws-lc-rs.
//!
//! Every function here is safe Rust and returns [`Error`] codes for bad input; none panics on
//! input it is given. The streaming contexts ([`HashContext`], [`HmacContext`]) are `Send` (they
//! can move between threads) but are used from one thread at a time.

use crate::error::{Error, Result};
use aws_lc_rs::{constant_time, digest, hkdf, hmac, pbkdf2, rand};
use std::fmt;
use std::num::NonZeroU32;
use zeroize::Zeroize;

/// cbindgen:ignore
/// SHA-256 digest length in bytes.
pub const SHA256_LEN: usize = 32;
/// cbindgen:ignore
/// SHA-384 digest length in bytes.
pub const SHA384_LEN: usize = 48;
/// cbindgen:ignore
/// SHA-512 digest length in bytes.
pub const SHA512_LEN: usize = 64;
/// cbindgen:ignore
/// The longest digest (and HMAC tag) of any supported hash.
pub const MAX_DIGEST_LEN: usize = 64;
/// cbindgen:ignore
/// PBKDF2-HMAC-SHA256 iteration count recommended for new password-derived keys: 600 000,
/// the OWASP Password Storage Cheat Sheet figure (2023) for PBKDF2-HMAC-SHA256.
pub const PBKDF2_RECOMMENDED_ITERATIONS: u32 = 600_000;

/// A SHA-2 hash function. The numbers are the C constants `GAMECRYPT_HASH_*`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// SHA-256.
    Sha256 = 1,
    /// SHA-384.
    Sha384 = 2,
    /// SHA-512.
    Sha512 = 3,
}

impl HashAlgorithm {
    /// The algorithm with this C constant; anything else is `InvalidArgument`.
    pub fn from_code(code: u32) -> Result<HashAlgorithm> {
        match code {
            1 => Ok(HashAlgorithm::Sha256),
            2 => Ok(HashAlgorithm::Sha384),
            3 => Ok(HashAlgorithm::Sha512),
            _ => Err(Error::InvalidArgument),
        }
    }

    /// The digest length in bytes (also the HMAC tag length and the HKDF PRK length).
    pub const fn output_len(self) -> usize {
        match self {
            HashAlgorithm::Sha256 => SHA256_LEN,
            HashAlgorithm::Sha384 => SHA384_LEN,
            HashAlgorithm::Sha512 => SHA512_LEN,
        }
    }

    fn digest_alg(self) -> &'static digest::Algorithm {
        match self {
            HashAlgorithm::Sha256 => &digest::SHA256,
            HashAlgorithm::Sha384 => &digest::SHA384,
            HashAlgorithm::Sha512 => &digest::SHA512,
        }
    }

    fn hmac_alg(self) -> hmac::Algorithm {
        match self {
            HashAlgorithm::Sha256 => hmac::HMAC_SHA256,
            HashAlgorithm::Sha384 => hmac::HMAC_SHA384,
            HashAlgorithm::Sha512 => hmac::HMAC_SHA512,
        }
    }

    fn hkdf_alg(self) -> hkdf::Algorithm {
        match self {
            HashAlgorithm::Sha256 => hkdf::HKDF_SHA256,
            HashAlgorithm::Sha384 => hkdf::HKDF_SHA384,
            HashAlgorithm::Sha512 => hkdf::HKDF_SHA512,
        }
    }

    /// The longest HKDF-Expand output: 255 times the digest length (RFC 5869 §2.3).
    pub const fn hkdf_max_output_len(self) -> usize {
        255 * self.output_len()
    }
}

// ---------------------------------------------------------------------------------------------
// Random
// ---------------------------------------------------------------------------------------------

/// Fills `out` with bytes from aws-lc's CSPRNG (seeded by the operating system).
pub fn random_bytes(out: &mut [u8]) -> Result<()> {
    if out.is_empty() {
        return Ok(());
    }
    rand::fill(out).map_err(|_| Error::RandomFailed)
}

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------

/// A digest, HMAC tag or HKDF PRK: the algorithm's output length (at most
/// [`MAX_DIGEST_LEN`] bytes). Zeroed when dropped, since tags and PRKs can be secret; `Debug`
/// shows only the length.
#[derive(Clone, PartialEq, Eq)]
pub struct Digest {
    bytes: [u8; MAX_DIGEST_LEN],
    len: usize,
}

impl Digest {
    fn from_slice(s: &[u8]) -> Digest {
        let mut bytes = [0u8; MAX_DIGEST_LEN];
        let len = s.len().min(MAX_DIGEST_LEN);
        bytes[..len].copy_from_slice(&s[..len]);
        Digest { bytes, len }
    }
}

impl AsRef<[u8]> for Digest {
    fn as_ref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl Drop for Digest {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({} bytes)", self.len)
    }
}

/// Hashes `data` in one call.
pub fn hash(alg: HashAlgorithm, data: &[u8]) -> Digest {
    Digest::from_slice(digest::digest(alg.digest_alg(), data).as_ref())
}

/// A streaming hash (for data too large to hold at once, e.g. a big file read in chunks).
///
/// After [`finish`](HashContext::finish) the context is spent: further calls return
/// `ContextFinished`.
pub struct HashContext {
    alg: HashAlgorithm,
    state: Option<digest::Context>,
}

impl fmt::Debug for HashContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HashContext")
            .field("alg", &self.alg)
            .field("finished", &self.state.is_none())
            .finish()
    }
}

impl HashContext {
    /// Starts a new hash.
    pub fn new(alg: HashAlgorithm) -> HashContext {
        HashContext {
            alg,
            state: Some(digest::Context::new(alg.digest_alg())),
        }
    }

    /// The algorithm of this context.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.alg
    }

    /// Whether `finish` was called.
    pub fn is_finished(&self) -> bool {
        self.state.is_none()
    }

    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) -> Result<()> {
        self.state
            .as_mut()
            .ok_or(Error::ContextFinished)?
            .update(data);
        Ok(())
    }

    /// Finishes the hash and returns the digest. The context cannot be used afterwards.
    pub fn finish(&mut self) -> Result<Digest> {
        let ctx = self.state.take().ok_or(Error::ContextFinished)?;
        Ok(Digest::from_slice(ctx.finish().as_ref()))
    }
}

// ---------------------------------------------------------------------------------------------
// HMAC
// ---------------------------------------------------------------------------------------------

/// Computes HMAC(`key`, `data`) with the given hash (RFC 2104). Any key length is accepted,
/// including empty (a key shorter than the hash length is weak; use at least that many random
/// bytes).
pub fn hmac_sign(alg: HashAlgorithm, key: &[u8], data: &[u8]) -> Digest {
    let key = hmac::Key::new(alg.hmac_alg(), key);
    Digest::from_slice(hmac::sign(&key, data).as_ref())
}

/// Checks an HMAC tag in constant time. Only a full-length tag can verify; a tag of any other
/// length (including a truncated prefix of the right tag) is `MacInvalid`.
#[must_use = "an unchecked MAC verification lets forged data through"]
pub fn hmac_verify(alg: HashAlgorithm, key: &[u8], data: &[u8], tag: &[u8]) -> Result<()> {
    let key = hmac::Key::new(alg.hmac_alg(), key);
    hmac::verify(&key, data, tag).map_err(|_| Error::MacInvalid)
}

/// A streaming HMAC. After [`finish`](HmacContext::finish) or
/// [`verify`](HmacContext::verify) the context is spent: further calls return
/// `ContextFinished`.
pub struct HmacContext {
    alg: HashAlgorithm,
    state: Option<hmac::Context>,
}

impl fmt::Debug for HmacContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the key.
        f.debug_struct("HmacContext")
            .field("alg", &self.alg)
            .field("finished", &self.state.is_none())
            .finish()
    }
}

impl HmacContext {
    /// Starts a new HMAC with `key` (copied into aws-lc, which zeroes it when dropped).
    pub fn new(alg: HashAlgorithm, key: &[u8]) -> HmacContext {
        let key = hmac::Key::new(alg.hmac_alg(), key);
        HmacContext {
            alg,
            state: Some(hmac::Context::with_key(&key)),
        }
    }

    /// The algorithm of this context.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.alg
    }

    /// Whether `finish` or `verify` was called.
    pub fn is_finished(&self) -> bool {
        self.state.is_none()
    }

    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) -> Result<()> {
        self.state
            .as_mut()
            .ok_or(Error::ContextFinished)?
            .update(data);
        Ok(())
    }

    /// Finishes and returns the tag. The context cannot be used afterwards.
    pub fn finish(&mut self) -> Result<Digest> {
        let ctx = self.state.take().ok_or(Error::ContextFinished)?;
        Ok(Digest::from_slice(ctx.sign().as_ref()))
    }

    /// Finishes and checks `tag` in constant time (`MacInvalid` when it does not match, as
    /// for [`hmac_verify`]). The context cannot be used afterwards.
    #[must_use = "an unchecked MAC verification lets forged data through"]
    pub fn verify(&mut self, tag: &[u8]) -> Result<()> {
        let computed = self.finish()?;
        constant_time::verify_slices_are_equal(computed.as_ref(), tag)
            .map_err(|_| Error::MacInvalid)
    }
}

// ---------------------------------------------------------------------------------------------
// HKDF (RFC 5869)
// ---------------------------------------------------------------------------------------------

/// HKDF-Extract: PRK = HMAC-Hash(salt, IKM). An empty salt means HashLen zero bytes (RFC 5869
/// §2.2; HMAC pads keys with zeros, so both give the same PRK). The PRK is secret.
pub fn hkdf_extract(alg: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Digest {
    hmac_sign(alg, salt, ikm)
}

/// HKDF-Expand: fills `out` from `prk` and `info`.
///
/// `prk` must be at least the hash length (RFC 5869 §2.3) and at most [`MAX_DIGEST_LEN`]
/// bytes, else `InvalidLength`. `out` must hold 1 to 255 * hash length bytes, else
/// `InvalidLength`.
pub fn hkdf_expand(alg: HashAlgorithm, prk: &[u8], info: &[u8], out: &mut [u8]) -> Result<()> {
    if prk.len() < alg.output_len() || prk.len() > MAX_DIGEST_LEN {
        return Err(Error::InvalidLength);
    }
    check_hkdf_len(alg, out.len())?;
    let prk = hkdf::Prk::new_less_safe(alg.hkdf_alg(), prk);
    fill_okm(&prk, info, out)
}

/// Extract then expand in one call (the usual way to use HKDF).
pub fn hkdf(
    alg: HashAlgorithm,
    salt: &[u8],
    ikm: &[u8],
    info: &[u8],
    out: &mut [u8],
) -> Result<()> {
    check_hkdf_len(alg, out.len())?;
    let prk = hkdf::Salt::new(alg.hkdf_alg(), salt).extract(ikm);
    fill_okm(&prk, info, out)
}

fn check_hkdf_len(alg: HashAlgorithm, len: usize) -> Result<()> {
    if len == 0 || len > alg.hkdf_max_output_len() {
        return Err(Error::InvalidLength);
    }
    Ok(())
}

/// An output length for `Prk::expand`, which wants a `KeyType`.
struct OkmLen(usize);

impl hkdf::KeyType for OkmLen {
    fn len(&self) -> usize {
        self.0
    }
}

fn fill_okm(prk: &hkdf::Prk, info: &[u8], out: &mut [u8]) -> Result<()> {
    let info = [info];
    let okm = prk
        .expand(&info, OkmLen(out.len()))
        .map_err(|_| Error::InvalidLength)?;
    okm.fill(out).map_err(|_| Error::Internal)
}

// ---------------------------------------------------------------------------------------------
// PBKDF2 (RFC 8018)
// ---------------------------------------------------------------------------------------------

/// PBKDF2-HMAC-SHA256: fills `out` with a key derived from `password` and `salt`.
///
/// `iterations` 0 is `InvalidArgument` (use [`PBKDF2_RECOMMENDED_ITERATIONS`] for new data);
/// an empty `out` is `InvalidLength`. Use a random salt of at least 16 bytes per password.
pub fn pbkdf2_hmac_sha256(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<()> {
    let iterations = NonZeroU32::new(iterations).ok_or(Error::InvalidArgument)?;
    // RFC 8018 limit: dkLen <= (2^32 - 1) * hLen.
    if out.is_empty() || out.len() as u64 > (u32::MAX as u64) * (SHA256_LEN as u64) {
        return Err(Error::InvalidLength);
    }
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt, password, out);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Constant time
// ---------------------------------------------------------------------------------------------

/// Compares two byte strings; the time taken depends on the lengths but not on the contents.
/// Different lengths are unequal.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    constant_time::verify_slices_are_equal(a, b).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    // FIPS 180-2 appendix examples / NIST CSRC "example values".
    #[test]
    fn sha2_known_answers() {
        let cases: &[(HashAlgorithm, &[u8], &str)] = &[
            (HashAlgorithm::Sha256, b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (HashAlgorithm::Sha256, b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (HashAlgorithm::Sha256, b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (HashAlgorithm::Sha384, b"abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
            (HashAlgorithm::Sha384, b"", "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"),
            (HashAlgorithm::Sha512, b"abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
            (HashAlgorithm::Sha512, b"", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        ];
        for (alg, msg, want) in cases {
            assert_eq!(hash(*alg, msg).as_ref(), hex(want), "{alg:?} {msg:?}");
            assert_eq!(hash(*alg, msg).as_ref().len(), alg.output_len());
            // Streaming, one byte at a time, gives the same digest.
            let mut ctx = HashContext::new(*alg);
            for b in msg.iter() {
                ctx.update(std::slice::from_ref(b)).unwrap();
            }
            assert_eq!(ctx.finish().unwrap().as_ref(), hex(want));
        }
    }

    // FIPS 180-2: SHA-256 of one million 'a'.
    #[test]
    fn sha256_million_a_streaming() {
        let mut ctx = HashContext::new(HashAlgorithm::Sha256);
        let chunk = [b'a'; 1000];
        for _ in 0..1000 {
            ctx.update(&chunk).unwrap();
        }
        assert_eq!(
            ctx.finish().unwrap().as_ref(),
            hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        );
    }

    #[test]
    fn hash_context_after_finish() {
        let mut ctx = HashContext::new(HashAlgorithm::Sha512);
        assert!(!ctx.is_finished());
        ctx.finish().unwrap();
        assert!(ctx.is_finished());
        assert_eq!(ctx.update(b"x"), Err(Error::ContextFinished));
        assert_eq!(ctx.finish(), Err(Error::ContextFinished));
    }

    #[test]
    fn hash_algorithm_codes() {
        assert_eq!(HashAlgorithm::from_code(1), Ok(HashAlgorithm::Sha256));
        assert_eq!(HashAlgorithm::from_code(2), Ok(HashAlgorithm::Sha384));
        assert_eq!(HashAlgorithm::from_code(3), Ok(HashAlgorithm::Sha512));
        for bad in [0, 4, 256, u32::MAX] {
            assert_eq!(HashAlgorithm::from_code(bad), Err(Error::InvalidArgument));
        }
    }

    struct Rfc4231 {
        key: &'static str,
        data: &'static str,
        sha256: &'static str,
        sha384: &'static str,
        sha512: &'static str,
    }

    // RFC 4231 §4.2-4.8 (test case 5 is the truncated-output case, checked separately).
    const RFC4231: &[Rfc4231] = &[
        Rfc4231 {
            key: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
            data: "4869205468657265",
            sha256: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            sha384: "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            sha512: "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
        },
        Rfc4231 {
            key: "4a656665",
            data: "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
            sha256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            sha384: "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
            sha512: "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        },
        Rfc4231 {
            key: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            data: "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
            sha256: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            sha384: "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
            sha512: "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
        },
        Rfc4231 {
            key: "0102030405060708090a0b0c0d0e0f10111213141516171819",
            data: "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
            sha256: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            sha384: "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
            sha512: "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
        },
        Rfc4231 {
            key: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            data: "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
            sha256: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            sha384: "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
            sha512: "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
        },
        Rfc4231 {
            key: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            data: "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
            sha256: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            sha384: "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
            sha512: "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
        },
    ];

    #[test]
    fn hmac_rfc4231() {
        for (i, case) in RFC4231.iter().enumerate() {
            let (key, data) = (hex(case.key), hex(case.data));
            for (alg, want) in [
                (HashAlgorithm::Sha256, case.sha256),
                (HashAlgorithm::Sha384, case.sha384),
                (HashAlgorithm::Sha512, case.sha512),
            ] {
                let want = hex(want);
                assert_eq!(
                    hmac_sign(alg, &key, &data).as_ref(),
                    want,
                    "case {i} {alg:?}"
                );
                assert_eq!(hmac_verify(alg, &key, &data, &want), Ok(()));
                // Streaming, split in two.
                let mut ctx = HmacContext::new(alg, &key);
                let (a, b) = data.split_at(data.len() / 2);
                ctx.update(a).unwrap();
                ctx.update(b).unwrap();
                assert_eq!(ctx.finish().unwrap().as_ref(), want);
                let mut ctx = HmacContext::new(alg, &key);
                ctx.update(&data).unwrap();
                assert_eq!(ctx.verify(&want), Ok(()));
            }
        }
    }

    #[test]
    fn hmac_rejects_wrong_and_truncated_tags() {
        let key = hex(RFC4231[0].key);
        let data = hex(RFC4231[0].data);
        let good = hex(RFC4231[0].sha256);
        // RFC 4231 test case 5 gives a 128-bit truncation; we accept only full tags.
        assert_eq!(
            hmac_verify(HashAlgorithm::Sha256, &key, &data, &good[..16]),
            Err(Error::MacInvalid)
        );
        assert_eq!(
            hmac_verify(HashAlgorithm::Sha256, &key, &data, &[]),
            Err(Error::MacInvalid)
        );
        for i in 0..good.len() * 8 {
            let mut bad = good.clone();
            bad[i / 8] ^= 1 << (i % 8);
            assert_eq!(
                hmac_verify(HashAlgorithm::Sha256, &key, &data, &bad),
                Err(Error::MacInvalid)
            );
        }
        // Right tag, other algorithm / key / data.
        assert_eq!(
            hmac_verify(HashAlgorithm::Sha384, &key, &data, &good),
            Err(Error::MacInvalid)
        );
        assert_eq!(
            hmac_verify(HashAlgorithm::Sha256, b"k", &data, &good),
            Err(Error::MacInvalid)
        );
        assert_eq!(
            hmac_verify(HashAlgorithm::Sha256, &key, b"d", &good),
            Err(Error::MacInvalid)
        );
        let mut ctx = HmacContext::new(HashAlgorithm::Sha256, &key);
        ctx.update(&data).unwrap();
        assert_eq!(ctx.verify(&good[..31]), Err(Error::MacInvalid));
        assert!(ctx.is_finished());
    }

    #[test]
    fn hmac_rfc4231_case5_truncated_prefix() {
        // RFC 4231 §4.6: output truncated to 128 bits; our full tag starts with it.
        let key = hex("0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c");
        let data = b"Test With Truncation";
        assert_eq!(
            &hmac_sign(HashAlgorithm::Sha256, &key, data).as_ref()[..16],
            hex("a3b6167473100ee06e0c796c2955552b")
        );
        assert_eq!(
            &hmac_sign(HashAlgorithm::Sha512, &key, data).as_ref()[..16],
            hex("415fad6271580a531d4179bc891d87a6")
        );
    }

    #[test]
    fn hmac_context_after_finish() {
        let mut ctx = HmacContext::new(HashAlgorithm::Sha256, b"key");
        ctx.finish().unwrap();
        assert_eq!(ctx.update(b"x"), Err(Error::ContextFinished));
        assert_eq!(ctx.finish(), Err(Error::ContextFinished));
        assert_eq!(ctx.verify(&[0; 32]), Err(Error::ContextFinished));
        // Debug never shows key material.
        assert!(!format!("{ctx:?}").contains("key"));
    }

    // RFC 5869 appendix A (SHA-256 cases 1-3).
    #[test]
    fn hkdf_rfc5869() {
        struct Case {
            ikm: &'static str,
            salt: &'static str,
            info: &'static str,
            prk: &'static str,
            okm: &'static str,
        }
        let cases = [
            Case {
                ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
                salt: "000102030405060708090a0b0c",
                info: "f0f1f2f3f4f5f6f7f8f9",
                prk: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
                okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
            },
            Case {
                ikm: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
                salt: "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
                info: "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
                prk: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
                okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
            },
            Case {
                ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
                salt: "",
                info: "",
                prk: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
                okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
            },
        ];
        for (i, c) in cases.iter().enumerate() {
            let (ikm, salt, info) = (hex(c.ikm), hex(c.salt), hex(c.info));
            let prk = hkdf_extract(HashAlgorithm::Sha256, &salt, &ikm);
            assert_eq!(prk.as_ref(), hex(c.prk), "case {}", i + 1);
            let want = hex(c.okm);
            let mut out = vec![0u8; want.len()];
            hkdf_expand(HashAlgorithm::Sha256, prk.as_ref(), &info, &mut out).unwrap();
            assert_eq!(out, want, "case {}", i + 1);
            let mut out2 = vec![0u8; want.len()];
            hkdf(HashAlgorithm::Sha256, &salt, &ikm, &info, &mut out2).unwrap();
            assert_eq!(out2, want, "case {}", i + 1);
        }
    }

    #[test]
    fn hkdf_lengths() {
        let prk = [7u8; 32];
        let mut max = vec![0u8; 255 * 32];
        hkdf_expand(HashAlgorithm::Sha256, &prk, b"", &mut max).unwrap();
        let mut over = vec![0u8; 255 * 32 + 1];
        assert_eq!(
            hkdf_expand(HashAlgorithm::Sha256, &prk, b"", &mut over),
            Err(Error::InvalidLength)
        );
        assert_eq!(
            hkdf(HashAlgorithm::Sha256, b"s", b"k", b"", &mut over),
            Err(Error::InvalidLength)
        );
        let mut over384 = vec![0u8; 255 * 48 + 1];
        assert_eq!(
            hkdf(HashAlgorithm::Sha384, b"s", b"k", b"", &mut over384),
            Err(Error::InvalidLength)
        );
        hkdf(
            HashAlgorithm::Sha384,
            b"s",
            b"k",
            b"",
            &mut over384[..255 * 48],
        )
        .unwrap();
        assert_eq!(
            hkdf_expand(HashAlgorithm::Sha256, &prk, b"", &mut []),
            Err(Error::InvalidLength)
        );
        // A PRK shorter than the hash, or longer than any digest, is refused.
        let mut out = [0u8; 16];
        assert_eq!(
            hkdf_expand(HashAlgorithm::Sha256, &prk[..31], b"", &mut out),
            Err(Error::InvalidLength)
        );
        assert_eq!(
            hkdf_expand(HashAlgorithm::Sha384, &prk, b"", &mut out),
            Err(Error::InvalidLength)
        );
        assert_eq!(
            hkdf_expand(HashAlgorithm::Sha256, &[0u8; 65], b"", &mut out),
            Err(Error::InvalidLength)
        );
    }

    // PBKDF2-HMAC-SHA256 vectors: RFC 7914 §11, and the RFC 6070-style vectors for SHA-256
    // published by Stack Overflow answer 5136918 / used by many libraries (e.g. Go x/crypto).
    #[test]
    fn pbkdf2_known_answers() {
        let cases: &[(&[u8], &[u8], u32, &str)] = &[
            (b"passwd", b"salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
            (b"Password", b"NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
            (b"password", b"salt", 1, "120fb6cffcf8b32c43e7225256c4f837a86548c9"),
            (b"password", b"salt", 2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8e"),
            (b"password", b"salt", 4096, "c5e478d59288c841aa530db6845c4c8d962893a0"),
            (b"passwordPASSWORDpassword", b"saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c"),
            (b"pass\0word", b"sa\0lt", 4096, "89b69d0516f829893c696226650a8687"),
        ];
        for (pw, salt, iters, want) in cases {
            let want = hex(want);
            let mut out = vec![0u8; want.len()];
            pbkdf2_hmac_sha256(pw, salt, *iters, &mut out).unwrap();
            assert_eq!(out, want, "{pw:?} {salt:?} {iters}");
        }
    }

    #[test]
    fn pbkdf2_errors() {
        let mut out = [0u8; 32];
        assert_eq!(
            pbkdf2_hmac_sha256(b"pw", b"salt", 0, &mut out),
            Err(Error::InvalidArgument)
        );
        assert_eq!(
            pbkdf2_hmac_sha256(b"pw", b"salt", 1, &mut []),
            Err(Error::InvalidLength)
        );
        // Empty password and salt are valid inputs to the primitive.
        pbkdf2_hmac_sha256(b"", b"", 1, &mut out).unwrap();
    }

    #[test]
    fn random_and_constant_time() {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        random_bytes(&mut a).unwrap();
        random_bytes(&mut b).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 32]);
        random_bytes(&mut []).unwrap();
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(constant_time_eq(b"", b""));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn contexts_are_send() {
        fn send<T: Send>() {}
        send::<HashContext>();
        send::<HmacContext>();
    }
}
