//! The hash, HMAC, KDF and random C ABI (src/ffi/primitives.rs), exercised from Rust.

use gamecrypt::ffi::gamecrypt_result;
use gamecrypt::ffi::primitives::*;
use gamecrypt_result as R;
use std::ptr::{null, null_mut};

mod session_support;
use session_support::hex;

const SHA256_ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const SHA256_EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[test]
fn size_functions_and_constants() {
    assert_eq!(
        gamecrypt_hash_len(GAMECRYPT_HASH_SHA256),
        GAMECRYPT_SHA256_LEN
    );
    assert_eq!(
        gamecrypt_hash_len(GAMECRYPT_HASH_SHA384),
        GAMECRYPT_SHA384_LEN
    );
    assert_eq!(
        gamecrypt_hash_len(GAMECRYPT_HASH_SHA512),
        GAMECRYPT_SHA512_LEN
    );
    assert_eq!(GAMECRYPT_SHA256_LEN, 32);
    assert_eq!(GAMECRYPT_SHA384_LEN, 48);
    assert_eq!(GAMECRYPT_HASH_MAX_LEN, 64);
    for bad in [0, 4, u32::MAX] {
        assert_eq!(gamecrypt_hash_len(bad), 0);
        assert_eq!(gamecrypt_hkdf_max_output_len(bad), 0);
    }
    assert_eq!(gamecrypt_hkdf_max_output_len(GAMECRYPT_HASH_SHA256), 8160);
    assert_eq!(
        gamecrypt_hkdf_max_output_len(GAMECRYPT_HASH_SHA384),
        255 * 48
    );
    assert_eq!(gamecrypt_pbkdf2_recommended_iterations(), 600_000);
    assert_eq!(GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS, 600_000);
}

#[test]
fn random_bytes() {
    unsafe {
        assert_eq!(gamecrypt_random_bytes(null_mut(), 0), R::Ok);
        assert_eq!(gamecrypt_random_bytes(null_mut(), 5), R::NullArgument);
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        assert_eq!(gamecrypt_random_bytes(a.as_mut_ptr(), a.len()), R::Ok);
        assert_eq!(gamecrypt_random_bytes(b.as_mut_ptr(), b.len()), R::Ok);
        assert_ne!(a, b);
        // Only the requested bytes are written.
        let mut c = [0u8; 8];
        assert_eq!(gamecrypt_random_bytes(c.as_mut_ptr(), 4), R::Ok);
        assert_eq!(&c[4..], &[0; 4]);
    }
}

#[test]
fn hash_digest_and_buffers() {
    unsafe {
        let mut out = [0xAAu8; 64];
        let mut len = 0usize;
        let r = gamecrypt_hash_digest(
            GAMECRYPT_HASH_SHA256,
            b"abc".as_ptr(),
            3,
            out.as_mut_ptr(),
            64,
            &mut len,
        );
        assert_eq!(r, R::Ok);
        assert_eq!(len, 32);
        assert_eq!(&out[..32], &hex(SHA256_ABC)[..]);
        assert_eq!(
            &out[32..],
            &[0xAA; 32],
            "nothing past the digest is written"
        );
        // (NULL, 0) is the empty message.
        let r = gamecrypt_hash_digest(
            GAMECRYPT_HASH_SHA256,
            null(),
            0,
            out.as_mut_ptr(),
            64,
            &mut len,
        );
        assert_eq!(r, R::Ok);
        assert_eq!(&out[..len], &hex(SHA256_EMPTY)[..]);
        // Errors.
        assert_eq!(
            gamecrypt_hash_digest(
                GAMECRYPT_HASH_SHA256,
                null(),
                3,
                out.as_mut_ptr(),
                64,
                &mut len
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_hash_digest(
                GAMECRYPT_HASH_SHA256,
                b"abc".as_ptr(),
                3,
                out.as_mut_ptr(),
                64,
                null_mut()
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_hash_digest(
                GAMECRYPT_HASH_SHA256,
                b"abc".as_ptr(),
                3,
                null_mut(),
                64,
                &mut len
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_hash_digest(0, b"abc".as_ptr(), 3, out.as_mut_ptr(), 64, &mut len),
            R::InvalidArgument
        );
        // Too small: needed length reported, buffer untouched.
        let mut small = [0x55u8; 47];
        let mut len = 0usize;
        let r = gamecrypt_hash_digest(
            GAMECRYPT_HASH_SHA384,
            b"abc".as_ptr(),
            3,
            small.as_mut_ptr(),
            47,
            &mut len,
        );
        assert_eq!(r, R::BufferTooSmall);
        assert_eq!(len, 48);
        assert_eq!(small, [0x55u8; 47]);
        // Size query.
        let mut len = 0usize;
        let r = gamecrypt_hash_digest(GAMECRYPT_HASH_SHA512, null(), 0, null_mut(), 0, &mut len);
        assert_eq!(r, R::BufferTooSmall);
        assert_eq!(len, 64);
        // Output overlapping the input.
        let mut buf = [0u8; 64];
        let p = buf.as_mut_ptr();
        assert_eq!(
            gamecrypt_hash_digest(GAMECRYPT_HASH_SHA256, p, 10, p, 64, &mut len),
            R::InvalidArgument
        );
    }
}

#[test]
fn hash_context_lifecycle() {
    unsafe {
        let mut ctx: *mut gamecrypt_hash_context = null_mut();
        assert_eq!(
            gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA256, null_mut()),
            R::NullArgument
        );
        assert_eq!(gamecrypt_hash_context_new(9, &mut ctx), R::InvalidArgument);
        assert!(ctx.is_null(), "output written only on success");
        assert_eq!(
            gamecrypt_hash_context_new(GAMECRYPT_HASH_SHA256, &mut ctx),
            R::Ok
        );
        assert!(!ctx.is_null());
        assert_eq!(gamecrypt_hash_context_update(ctx, b"a".as_ptr(), 1), R::Ok);
        assert_eq!(gamecrypt_hash_context_update(ctx, null(), 0), R::Ok);
        assert_eq!(
            gamecrypt_hash_context_update(ctx, null(), 1),
            R::NullArgument
        );
        assert_eq!(gamecrypt_hash_context_update(ctx, b"bc".as_ptr(), 2), R::Ok);
        // Too small does not finish the context.
        let mut small = [0x11u8; 31];
        let mut len = 0usize;
        assert_eq!(
            gamecrypt_hash_context_finish(ctx, small.as_mut_ptr(), 31, &mut len),
            R::BufferTooSmall
        );
        assert_eq!(len, 32);
        assert_eq!(small, [0x11u8; 31]);
        let mut out = [0u8; 32];
        assert_eq!(
            gamecrypt_hash_context_finish(ctx, out.as_mut_ptr(), 32, &mut len),
            R::Ok
        );
        assert_eq!(len, 32);
        assert_eq!(&out[..], &hex(SHA256_ABC)[..]);
        // Spent.
        assert_eq!(
            gamecrypt_hash_context_update(ctx, b"a".as_ptr(), 1),
            R::ContextFinished
        );
        assert_eq!(
            gamecrypt_hash_context_finish(ctx, out.as_mut_ptr(), 32, &mut len),
            R::ContextFinished
        );
        gamecrypt_hash_context_free(ctx);
        gamecrypt_hash_context_free(null_mut());
        // NULL context.
        assert_eq!(
            gamecrypt_hash_context_update(null_mut(), b"a".as_ptr(), 1),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_hash_context_finish(null_mut(), out.as_mut_ptr(), 32, &mut len),
            R::NullArgument
        );
    }
}

// RFC 4231 test case 2.
const JEFE_DATA: &[u8] = b"what do ya want for nothing?";
const JEFE_SHA256: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

#[test]
fn hmac_one_shot() {
    unsafe {
        let want = hex(JEFE_SHA256);
        let mut out = [0u8; 64];
        let mut len = 0usize;
        let r = gamecrypt_hmac_sign(
            GAMECRYPT_HASH_SHA256,
            b"Jefe".as_ptr(),
            4,
            JEFE_DATA.as_ptr(),
            JEFE_DATA.len(),
            out.as_mut_ptr(),
            64,
            &mut len,
        );
        assert_eq!(r, R::Ok);
        assert_eq!(&out[..len], &want[..]);
        let v = |tag: &[u8]| {
            gamecrypt_hmac_verify(
                GAMECRYPT_HASH_SHA256,
                b"Jefe".as_ptr(),
                4,
                JEFE_DATA.as_ptr(),
                JEFE_DATA.len(),
                tag.as_ptr(),
                tag.len(),
            )
        };
        assert_eq!(v(&want), R::Ok);
        assert_eq!(v(&want[..16]), R::MacInvalid);
        assert_eq!(v(&[]), R::MacInvalid);
        let mut bad = want.clone();
        bad[31] ^= 1;
        assert_eq!(v(&bad), R::MacInvalid);
        assert_eq!(
            gamecrypt_hmac_verify(
                GAMECRYPT_HASH_SHA256,
                b"Jefe".as_ptr(),
                4,
                JEFE_DATA.as_ptr(),
                JEFE_DATA.len(),
                null(),
                0
            ),
            R::MacInvalid
        );
        assert_eq!(
            gamecrypt_hmac_verify(
                GAMECRYPT_HASH_SHA256,
                b"Jefe".as_ptr(),
                4,
                JEFE_DATA.as_ptr(),
                JEFE_DATA.len(),
                null(),
                32
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_hmac_verify(
                7,
                b"Jefe".as_ptr(),
                4,
                JEFE_DATA.as_ptr(),
                JEFE_DATA.len(),
                want.as_ptr(),
                32
            ),
            R::InvalidArgument
        );
        // Too small.
        let mut small = [0x77u8; 16];
        let r = gamecrypt_hmac_sign(
            GAMECRYPT_HASH_SHA256,
            b"Jefe".as_ptr(),
            4,
            JEFE_DATA.as_ptr(),
            JEFE_DATA.len(),
            small.as_mut_ptr(),
            16,
            &mut len,
        );
        assert_eq!(r, R::BufferTooSmall);
        assert_eq!(len, 32);
        assert_eq!(small, [0x77u8; 16]);
        // Empty key and data are valid: HMAC-SHA256("", "") from Python's hmac module.
        let r = gamecrypt_hmac_sign(
            GAMECRYPT_HASH_SHA256,
            null(),
            0,
            null(),
            0,
            out.as_mut_ptr(),
            64,
            &mut len,
        );
        assert_eq!(r, R::Ok);
        assert_eq!(
            &out[..32],
            &hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")[..]
        );
        assert_eq!(
            gamecrypt_hmac_sign(
                GAMECRYPT_HASH_SHA256,
                null(),
                3,
                null(),
                0,
                out.as_mut_ptr(),
                64,
                &mut len
            ),
            R::NullArgument
        );
    }
}

#[test]
fn hmac_context_lifecycle() {
    unsafe {
        let want = hex(JEFE_SHA256);
        let mut ctx: *mut gamecrypt_hmac_context = null_mut();
        assert_eq!(
            gamecrypt_hmac_context_new(0, b"Jefe".as_ptr(), 4, &mut ctx),
            R::InvalidArgument
        );
        assert!(ctx.is_null());
        assert_eq!(
            gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, null(), 4, &mut ctx),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, b"Jefe".as_ptr(), 4, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, b"Jefe".as_ptr(), 4, &mut ctx),
            R::Ok
        );
        for chunk in JEFE_DATA.chunks(5) {
            assert_eq!(
                gamecrypt_hmac_context_update(ctx, chunk.as_ptr(), chunk.len()),
                R::Ok
            );
        }
        let mut len = 0usize;
        assert_eq!(
            gamecrypt_hmac_context_finish(ctx, null_mut(), 0, &mut len),
            R::BufferTooSmall
        );
        assert_eq!(len, 32);
        let mut out = [0u8; 32];
        assert_eq!(
            gamecrypt_hmac_context_finish(ctx, out.as_mut_ptr(), 32, &mut len),
            R::Ok
        );
        assert_eq!(&out[..], &want[..]);
        assert_eq!(
            gamecrypt_hmac_context_update(ctx, b"x".as_ptr(), 1),
            R::ContextFinished
        );
        assert_eq!(
            gamecrypt_hmac_context_finish(ctx, out.as_mut_ptr(), 32, &mut len),
            R::ContextFinished
        );
        assert_eq!(
            gamecrypt_hmac_context_verify(ctx, want.as_ptr(), 32),
            R::ContextFinished
        );
        gamecrypt_hmac_context_free(ctx);

        // verify: right tag, then spent; wrong tag.
        for (tag, expect) in [
            (&want[..], R::Ok),
            (&want[..31], R::MacInvalid),
            (&[0u8; 32][..], R::MacInvalid),
        ] {
            let mut ctx: *mut gamecrypt_hmac_context = null_mut();
            assert_eq!(
                gamecrypt_hmac_context_new(GAMECRYPT_HASH_SHA256, b"Jefe".as_ptr(), 4, &mut ctx),
                R::Ok
            );
            assert_eq!(
                gamecrypt_hmac_context_update(ctx, JEFE_DATA.as_ptr(), JEFE_DATA.len()),
                R::Ok
            );
            assert_eq!(
                gamecrypt_hmac_context_verify(ctx, tag.as_ptr(), tag.len()),
                expect
            );
            assert_eq!(
                gamecrypt_hmac_context_verify(ctx, want.as_ptr(), 32),
                R::ContextFinished
            );
            gamecrypt_hmac_context_free(ctx);
        }
        gamecrypt_hmac_context_free(null_mut());
        assert_eq!(
            gamecrypt_hmac_context_verify(null_mut(), want.as_ptr(), 32),
            R::NullArgument
        );
    }
}

// RFC 5869 test case 1.
#[test]
fn hkdf_functions() {
    unsafe {
        let ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        let salt = hex("000102030405060708090a0b0c");
        let info = hex("f0f1f2f3f4f5f6f7f8f9");
        let prk_want = hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        let okm_want = hex(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        );
        let mut prk = [0u8; 64];
        let mut len = 0usize;
        let r = gamecrypt_hkdf_extract(
            GAMECRYPT_HASH_SHA256,
            salt.as_ptr(),
            salt.len(),
            ikm.as_ptr(),
            ikm.len(),
            prk.as_mut_ptr(),
            64,
            &mut len,
        );
        assert_eq!(r, R::Ok);
        assert_eq!(&prk[..len], &prk_want[..]);
        let mut okm = vec![0u8; okm_want.len()];
        let r = gamecrypt_hkdf_expand(
            GAMECRYPT_HASH_SHA256,
            prk.as_ptr(),
            32,
            info.as_ptr(),
            info.len(),
            okm.as_mut_ptr(),
            okm.len(),
        );
        assert_eq!(r, R::Ok);
        assert_eq!(okm, okm_want);
        let mut okm2 = vec![0u8; okm_want.len()];
        let r = gamecrypt_hkdf_derive(
            GAMECRYPT_HASH_SHA256,
            salt.as_ptr(),
            salt.len(),
            ikm.as_ptr(),
            ikm.len(),
            info.as_ptr(),
            info.len(),
            okm2.as_mut_ptr(),
            okm2.len(),
        );
        assert_eq!(r, R::Ok);
        assert_eq!(okm2, okm_want);

        // Lengths.
        let mut big = vec![0u8; 8161];
        assert_eq!(
            gamecrypt_hkdf_expand(
                GAMECRYPT_HASH_SHA256,
                prk.as_ptr(),
                32,
                null(),
                0,
                big.as_mut_ptr(),
                8161
            ),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_hkdf_expand(
                GAMECRYPT_HASH_SHA256,
                prk.as_ptr(),
                32,
                null(),
                0,
                big.as_mut_ptr(),
                8160
            ),
            R::Ok
        );
        assert_eq!(
            gamecrypt_hkdf_derive(
                GAMECRYPT_HASH_SHA256,
                null(),
                0,
                null(),
                0,
                null(),
                0,
                big.as_mut_ptr(),
                8161
            ),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_hkdf_derive(
                GAMECRYPT_HASH_SHA256,
                null(),
                0,
                null(),
                0,
                null(),
                0,
                big.as_mut_ptr(),
                0
            ),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_hkdf_expand(
                GAMECRYPT_HASH_SHA256,
                prk.as_ptr(),
                31,
                null(),
                0,
                big.as_mut_ptr(),
                32
            ),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_hkdf_expand(
                GAMECRYPT_HASH_SHA256,
                null(),
                0,
                null(),
                0,
                big.as_mut_ptr(),
                32
            ),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_hkdf_expand(
                GAMECRYPT_HASH_SHA256,
                prk.as_ptr(),
                32,
                null(),
                0,
                null_mut(),
                32
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_hkdf_expand(0, prk.as_ptr(), 32, null(), 0, big.as_mut_ptr(), 32),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_hkdf_derive(
                GAMECRYPT_HASH_SHA256,
                null(),
                1,
                null(),
                0,
                null(),
                0,
                big.as_mut_ptr(),
                32
            ),
            R::NullArgument
        );
        // Extract: too small.
        let mut small = [0x33u8; 20];
        assert_eq!(
            gamecrypt_hkdf_extract(
                GAMECRYPT_HASH_SHA384,
                null(),
                0,
                null(),
                0,
                small.as_mut_ptr(),
                20,
                &mut len
            ),
            R::BufferTooSmall
        );
        assert_eq!(len, 48);
        assert_eq!(small, [0x33u8; 20]);
        // Output overlapping an input.
        let p = big.as_mut_ptr();
        assert_eq!(
            gamecrypt_hkdf_derive(
                GAMECRYPT_HASH_SHA256,
                p,
                16,
                null(),
                0,
                null(),
                0,
                p.add(8),
                32
            ),
            R::InvalidArgument
        );
    }
}

// RFC 7914 §11 first PBKDF2-HMAC-SHA256 vector.
#[test]
fn pbkdf2() {
    unsafe {
        let want = hex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
        let mut out = vec![0u8; 64];
        assert_eq!(
            gamecrypt_pbkdf2_sha256_derive(
                b"passwd".as_ptr(),
                6,
                b"salt".as_ptr(),
                4,
                1,
                out.as_mut_ptr(),
                64
            ),
            R::Ok
        );
        assert_eq!(out, want);
        let mut out2 = [0xEEu8; 16];
        assert_eq!(
            gamecrypt_pbkdf2_sha256_derive(
                b"passwd".as_ptr(),
                6,
                b"salt".as_ptr(),
                4,
                0,
                out2.as_mut_ptr(),
                16
            ),
            R::InvalidArgument
        );
        assert_eq!(out2, [0xEE; 16]);
        assert_eq!(
            gamecrypt_pbkdf2_sha256_derive(
                b"passwd".as_ptr(),
                6,
                b"salt".as_ptr(),
                4,
                1,
                out2.as_mut_ptr(),
                0
            ),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_pbkdf2_sha256_derive(
                null(),
                6,
                b"salt".as_ptr(),
                4,
                1,
                out2.as_mut_ptr(),
                16
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_pbkdf2_sha256_derive(
                b"passwd".as_ptr(),
                6,
                b"salt".as_ptr(),
                4,
                1,
                null_mut(),
                16
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_pbkdf2_sha256_derive(null(), 0, null(), 0, 1, out2.as_mut_ptr(), 16),
            R::Ok
        );
    }
}

#[test]
fn constant_time_eq() {
    unsafe {
        let eq = |a: &[u8], b: &[u8]| {
            gamecrypt_constant_time_eq(a.as_ptr(), a.len(), b.as_ptr(), b.len())
        };
        assert!(eq(b"secret", b"secret"));
        assert!(!eq(b"secret", b"secreT"));
        assert!(!eq(b"secret", b"secre"));
        assert!(!eq(b"", b"x"));
        assert!(gamecrypt_constant_time_eq(null(), 0, null(), 0));
        assert!(!gamecrypt_constant_time_eq(null(), 3, null(), 3));
        assert!(!gamecrypt_constant_time_eq(b"abc".as_ptr(), 3, null(), 3));
    }
}
