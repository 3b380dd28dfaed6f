//! The AEAD key and box C ABI (src/ffi/aead.rs), exercised from Rust: buffers, errors,
//! tampering, raw AEAD, threads.

use gamecrypt::ffi::aead::*;
use gamecrypt::ffi::gamecrypt_result;
use gamecrypt_result as R;
use std::ptr::{null, null_mut};

mod session_support;
use session_support::hex;

fn key(alg: gamecrypt_aead, bytes: &[u8]) -> *mut gamecrypt_aead_key {
    let mut k = null_mut();
    assert_eq!(
        unsafe { gamecrypt_aead_key_from_bytes(alg, bytes.as_ptr(), bytes.len(), &mut k) },
        R::Ok
    );
    k
}

fn seal(k: *const gamecrypt_aead_key, pt: &[u8], ad: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; pt.len() + GAMECRYPT_BOX_OVERHEAD];
    let mut len = 0;
    let r = unsafe {
        gamecrypt_aead_key_seal(
            k,
            pt.as_ptr(),
            pt.len(),
            ad.as_ptr(),
            ad.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut len,
        )
    };
    assert_eq!(r, R::Ok);
    assert_eq!(len, out.len());
    out
}

/// Opens into a buffer pre-filled with 0xCC; returns the result, the plaintext, and whether
/// the rest of the buffer is untouched.
fn open(k: *const gamecrypt_aead_key, sealed: &[u8], ad: &[u8]) -> (gamecrypt_result, Vec<u8>) {
    let mut out = vec![0xCCu8; sealed.len() + 8];
    let mut len = 12345usize;
    let r = unsafe {
        gamecrypt_aead_key_open(
            k,
            sealed.as_ptr(),
            sealed.len(),
            ad.as_ptr(),
            ad.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut len,
        )
    };
    if r == R::Ok {
        assert!(out[len..].iter().all(|&b| b == 0xCC));
        out.truncate(len);
    } else {
        // A box that does not authenticate was decrypted into `out` and wiped (the header
        // convention); every other error comes before `out` is touched.
        let wiped = if r == R::OpenFailed {
            sealed.len() - GAMECRYPT_BOX_OVERHEAD
        } else {
            0
        };
        assert!(
            out[..wiped].iter().all(|&b| b == 0),
            "{r:?}: plaintext left on failure"
        );
        assert!(
            out[wiped..].iter().all(|&b| b == 0xCC),
            "{r:?}: output written on failure"
        );
        if r != R::BufferTooSmall {
            assert_eq!(len, 12345, "{r:?}: out_len written on failure");
        }
    }
    (r, out)
}

#[test]
fn sizes() {
    assert_eq!(gamecrypt_aead_key_len(), 32);
    assert_eq!(gamecrypt_aead_nonce_len(), 12);
    assert_eq!(gamecrypt_aead_tag_len(), 16);
    assert_eq!(gamecrypt_box_overhead(), 36);
    assert_eq!(gamecrypt_password_box_overhead(), 56);
    assert_eq!(gamecrypt_password_salt_len(), 16);
    assert_eq!(gamecrypt_password_box_max_iterations(), 10_000_000);
}

#[test]
fn key_constructors() {
    unsafe {
        let bytes = [7u8; 32];
        let mut k = null_mut();
        assert_eq!(
            gamecrypt_aead_key_from_bytes(1, bytes.as_ptr(), 32, null_mut()),
            R::NullArgument
        );
        for bad_alg in [0, 3, u32::MAX] {
            assert_eq!(
                gamecrypt_aead_key_from_bytes(bad_alg, bytes.as_ptr(), 32, &mut k),
                R::InvalidArgument
            );
            assert_eq!(
                gamecrypt_aead_key_generate(bad_alg, &mut k),
                R::InvalidArgument
            );
            assert_eq!(
                gamecrypt_aead_key_from_password(
                    bad_alg,
                    b"pw".as_ptr(),
                    2,
                    bytes.as_ptr(),
                    16,
                    1,
                    &mut k
                ),
                R::InvalidArgument
            );
        }
        assert_eq!(
            gamecrypt_aead_key_from_bytes(1, bytes.as_ptr(), 31, &mut k),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_aead_key_from_bytes(1, bytes.as_ptr(), 0, &mut k),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_aead_key_from_bytes(1, null(), 32, &mut k),
            R::NullArgument
        );
        assert_eq!(gamecrypt_aead_key_generate(1, null_mut()), R::NullArgument);
        let pw = b"password";
        assert_eq!(
            gamecrypt_aead_key_from_password(1, pw.as_ptr(), 0, bytes.as_ptr(), 16, 1, &mut k),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_aead_key_from_password(1, pw.as_ptr(), 8, bytes.as_ptr(), 16, 0, &mut k),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_aead_key_from_password(1, pw.as_ptr(), 8, bytes.as_ptr(), 15, 1, &mut k),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_aead_key_from_password(1, pw.as_ptr(), 8, null(), 16, 1, &mut k),
            R::NullArgument
        );
        assert!(k.is_null(), "no handle written on failure");

        assert_eq!(gamecrypt_aead_key_algorithm(null()), 0);
        for alg in [GAMECRYPT_AEAD_AES_256_GCM, GAMECRYPT_AEAD_CHACHA20_POLY1305] {
            let mut a = null_mut();
            let mut b = null_mut();
            let mut c = null_mut();
            assert_eq!(
                gamecrypt_aead_key_from_bytes(alg, bytes.as_ptr(), 32, &mut a),
                R::Ok
            );
            assert_eq!(gamecrypt_aead_key_generate(alg, &mut b), R::Ok);
            assert_eq!(
                gamecrypt_aead_key_from_password(
                    alg,
                    pw.as_ptr(),
                    8,
                    bytes.as_ptr(),
                    16,
                    100,
                    &mut c
                ),
                R::Ok
            );
            for k in [a, b, c] {
                assert_eq!(gamecrypt_aead_key_algorithm(k), alg);
                let sealed = seal(k, b"data", b"");
                assert_eq!(open(k, &sealed, b""), (R::Ok, b"data".to_vec()));
                gamecrypt_aead_key_free(k);
            }
        }
        gamecrypt_aead_key_free(null_mut());
    }
}

#[test]
fn seal_open_buffers_and_errors() {
    unsafe {
        let k = key(GAMECRYPT_AEAD_AES_256_GCM, &[1u8; 32]);
        // (NULL, 0) plaintext and ad.
        let mut out = [0u8; 64];
        let mut len = 0;
        assert_eq!(
            gamecrypt_aead_key_seal(k, null(), 0, null(), 0, out.as_mut_ptr(), 64, &mut len),
            R::Ok
        );
        assert_eq!(len, GAMECRYPT_BOX_OVERHEAD);
        assert_eq!(open(k, &out[..len], b""), (R::Ok, vec![]));
        // Size query and too-small buffer for seal.
        let mut len = 0;
        assert_eq!(
            gamecrypt_aead_key_seal(k, b"hello".as_ptr(), 5, null(), 0, null_mut(), 0, &mut len),
            R::BufferTooSmall
        );
        assert_eq!(len, 41);
        let mut small = [0x5Au8; 40];
        assert_eq!(
            gamecrypt_aead_key_seal(
                k,
                b"hello".as_ptr(),
                5,
                null(),
                0,
                small.as_mut_ptr(),
                40,
                &mut len
            ),
            R::BufferTooSmall
        );
        assert_eq!(len, 41);
        assert_eq!(small, [0x5Au8; 40]);
        // NULLs.
        assert_eq!(
            gamecrypt_aead_key_seal(
                null(),
                b"hello".as_ptr(),
                5,
                null(),
                0,
                out.as_mut_ptr(),
                64,
                &mut len
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_aead_key_seal(k, null(), 5, null(), 0, out.as_mut_ptr(), 64, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_aead_key_seal(
                k,
                b"hello".as_ptr(),
                5,
                null(),
                2,
                out.as_mut_ptr(),
                64,
                &mut len
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_aead_key_seal(
                k,
                b"hello".as_ptr(),
                5,
                null(),
                0,
                out.as_mut_ptr(),
                64,
                null_mut()
            ),
            R::NullArgument
        );
        // In-place (overlapping) is refused.
        let p = out.as_mut_ptr();
        assert_eq!(
            gamecrypt_aead_key_seal(k, p, 5, null(), 0, p, 64, &mut len),
            R::InvalidArgument
        );

        let sealed = seal(k, b"hello", b"slot-1");
        // Open: size query, too small, right.
        let mut len = 0;
        assert_eq!(
            gamecrypt_aead_key_open(
                k,
                sealed.as_ptr(),
                sealed.len(),
                b"slot-1".as_ptr(),
                6,
                null_mut(),
                0,
                &mut len
            ),
            R::BufferTooSmall
        );
        assert_eq!(len, 5);
        let mut small = [0x5Au8; 4];
        assert_eq!(
            gamecrypt_aead_key_open(
                k,
                sealed.as_ptr(),
                sealed.len(),
                b"slot-1".as_ptr(),
                6,
                small.as_mut_ptr(),
                4,
                &mut len
            ),
            R::BufferTooSmall
        );
        assert_eq!(small, [0x5Au8; 4]);
        assert_eq!(open(k, &sealed, b"slot-1"), (R::Ok, b"hello".to_vec()));
        // Wrong ad, wrong key, wrong algorithm, password box.
        assert_eq!(open(k, &sealed, b"slot-2").0, R::OpenFailed);
        assert_eq!(open(k, &sealed, b"").0, R::OpenFailed);
        let other = key(GAMECRYPT_AEAD_AES_256_GCM, &[2u8; 32]);
        assert_eq!(open(other, &sealed, b"slot-1").0, R::OpenFailed);
        let chacha = key(GAMECRYPT_AEAD_CHACHA20_POLY1305, &[1u8; 32]);
        assert_eq!(open(chacha, &sealed, b"slot-1").0, R::BoxKeyMismatch);
        assert_eq!(open(k, &seal(chacha, b"x", b""), b"").0, R::BoxKeyMismatch);
        // Truncated, garbage, empty.
        for n in 0..GAMECRYPT_BOX_OVERHEAD {
            assert_eq!(open(k, &sealed[..n], b"slot-1").0, R::BoxMalformed, "{n}");
        }
        assert_eq!(
            open(k, &sealed[..sealed.len() - 1], b"slot-1").0,
            R::OpenFailed
        );
        assert_eq!(
            gamecrypt_aead_key_open(k, null(), 0, null(), 0, out.as_mut_ptr(), 64, &mut len),
            R::BoxMalformed
        );
        assert_eq!(open(k, &[0u8; 50], b"").0, R::BoxMalformed);
        let mut v9 = sealed.clone();
        v9[4] = 9;
        assert_eq!(open(k, &v9, b"slot-1").0, R::BoxUnsupported);
        // NULLs.
        assert_eq!(
            gamecrypt_aead_key_open(
                null(),
                sealed.as_ptr(),
                sealed.len(),
                null(),
                0,
                out.as_mut_ptr(),
                64,
                &mut len
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_aead_key_open(k, null(), 40, null(), 0, out.as_mut_ptr(), 64, &mut len),
            R::NullArgument
        );
        gamecrypt_aead_key_free(k);
        gamecrypt_aead_key_free(other);
        gamecrypt_aead_key_free(chacha);
    }
}

#[test]
fn every_bit_flip_is_rejected_through_the_c_abi() {
    for alg in [GAMECRYPT_AEAD_AES_256_GCM, GAMECRYPT_AEAD_CHACHA20_POLY1305] {
        let k = key(alg, &[3u8; 32]);
        let sealed = seal(k, b"save", b"ad");
        for bit in 0..sealed.len() * 8 {
            let mut bad = sealed.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            let (r, _) = open(k, &bad, b"ad");
            let want = match bit / 8 {
                0..=3 => R::BoxMalformed,
                4..=7 => R::BoxUnsupported,
                _ => R::OpenFailed,
            };
            assert_eq!(r, want, "alg {alg} bit {bit}");
        }
        unsafe { gamecrypt_aead_key_free(k) };
    }
}

fn seal_pw(alg: gamecrypt_aead, pw: &[u8], iterations: u32, pt: &[u8], ad: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; pt.len() + GAMECRYPT_PASSWORD_BOX_OVERHEAD];
    let mut len = 0;
    let r = unsafe {
        gamecrypt_box_seal_with_password(
            alg,
            pw.as_ptr(),
            pw.len(),
            iterations,
            pt.as_ptr(),
            pt.len(),
            ad.as_ptr(),
            ad.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut len,
        )
    };
    assert_eq!(r, R::Ok);
    assert_eq!(len, out.len());
    out
}

fn open_pw(pw: &[u8], sealed: &[u8], ad: &[u8]) -> (gamecrypt_result, Vec<u8>) {
    let mut out = vec![0xCCu8; sealed.len()];
    let mut len = 999usize;
    let r = unsafe {
        gamecrypt_box_open_with_password(
            pw.as_ptr(),
            pw.len(),
            sealed.as_ptr(),
            sealed.len(),
            ad.as_ptr(),
            ad.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut len,
        )
    };
    if r == R::Ok {
        out.truncate(len);
    } else {
        assert!(
            out.iter().all(|&b| b == 0xCC),
            "{r:?}: output written on failure"
        );
        assert_eq!(len, 999);
    }
    (r, out)
}

#[test]
fn password_boxes() {
    unsafe {
        for alg in [GAMECRYPT_AEAD_AES_256_GCM, GAMECRYPT_AEAD_CHACHA20_POLY1305] {
            let sealed = seal_pw(alg, b"hunter2", 1000, b"progress: 42%", b"slot-3");
            assert_eq!(
                open_pw(b"hunter2", &sealed, b"slot-3"),
                (R::Ok, b"progress: 42%".to_vec())
            );
            assert_eq!(open_pw(b"hunter3", &sealed, b"slot-3").0, R::OpenFailed);
            assert_eq!(open_pw(b"hunter2", &sealed, b"slot-4").0, R::OpenFailed);
            assert_eq!(open_pw(b"", &sealed, b"slot-3").0, R::InvalidArgument);
            for n in 0..GAMECRYPT_PASSWORD_BOX_OVERHEAD {
                assert_eq!(
                    open_pw(b"hunter2", &sealed[..n], b"slot-3").0,
                    R::BoxMalformed
                );
            }
            // A key box is not a password box, and the reverse.
            let k = key(alg, &[4u8; 32]);
            assert_eq!(
                open_pw(b"hunter2", &seal(k, b"x", b""), b"").0,
                R::BoxKeyMismatch
            );
            assert_eq!(open(k, &sealed, b"slot-3").0, R::BoxKeyMismatch);
            gamecrypt_aead_key_free(k);
        }
        // Seal argument errors.
        let mut out = [0u8; 128];
        let mut len = 0;
        let pw = b"pw";
        let s = |alg, pw: &[u8], it, out: *mut u8, cap, len: *mut usize| {
            gamecrypt_box_seal_with_password(
                alg,
                pw.as_ptr(),
                pw.len(),
                it,
                b"x".as_ptr(),
                1,
                null(),
                0,
                out,
                cap,
                len,
            )
        };
        assert_eq!(
            s(0, pw, 1, out.as_mut_ptr(), 128, &mut len),
            R::InvalidArgument
        );
        assert_eq!(
            s(1, b"", 1, out.as_mut_ptr(), 128, &mut len),
            R::InvalidArgument
        );
        assert_eq!(
            s(1, pw, 0, out.as_mut_ptr(), 128, &mut len),
            R::InvalidArgument
        );
        assert_eq!(
            s(1, pw, 10_000_001, out.as_mut_ptr(), 128, &mut len),
            R::InvalidArgument
        );
        assert_eq!(
            s(1, pw, 1, out.as_mut_ptr(), 128, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_box_seal_with_password(
                1,
                null(),
                2,
                1,
                null(),
                0,
                null(),
                0,
                out.as_mut_ptr(),
                128,
                &mut len
            ),
            R::NullArgument
        );
        // Size queries come before any PBKDF2 work, even at the iteration bound.
        let t = std::time::Instant::now();
        let mut len = 0;
        assert_eq!(
            s(1, pw, 10_000_000, null_mut(), 0, &mut len),
            R::BufferTooSmall
        );
        assert_eq!(len, 1 + GAMECRYPT_PASSWORD_BOX_OVERHEAD);
        let mut slow = seal_pw(1, pw, 1, b"x", b"");
        slow[8..12].copy_from_slice(&10_000_000u32.to_be_bytes());
        let mut len = 0;
        assert_eq!(
            gamecrypt_box_open_with_password(
                pw.as_ptr(),
                2,
                slow.as_ptr(),
                slow.len(),
                null(),
                0,
                null_mut(),
                0,
                &mut len
            ),
            R::BufferTooSmall
        );
        assert_eq!(len, 1);
        // Above the bound: refused without work.
        slow[8..12].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(open_pw(pw, &slow, b"").0, R::BoxUnsupported);
        assert!(
            t.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            t.elapsed()
        );
    }
}

// RFC 8439 §2.8.2.
#[test]
fn raw_aead() {
    unsafe {
        let k = key(
            GAMECRYPT_AEAD_CHACHA20_POLY1305,
            &hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"),
        );
        let nonce = hex("070000004041424344454647");
        let aad = hex("50515253c0c1c2c3c4c5c6c7");
        let pt: &[u8] = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
        let mut ct = hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116");
        ct.extend_from_slice(&hex("1ae10b594f09e26a7e902ecbd0600691"));

        let mut out = vec![0u8; 200];
        let mut len = 0;
        let r = gamecrypt_aead_key_seal_with_nonce_dangerous(
            k,
            nonce.as_ptr(),
            12,
            aad.as_ptr(),
            aad.len(),
            pt.as_ptr(),
            pt.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut len,
        );
        assert_eq!(r, R::Ok);
        assert_eq!(&out[..len], &ct[..]);
        let r = gamecrypt_aead_key_open_with_nonce(
            k,
            nonce.as_ptr(),
            12,
            aad.as_ptr(),
            aad.len(),
            ct.as_ptr(),
            ct.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut len,
        );
        assert_eq!(r, R::Ok);
        assert_eq!(&out[..len], pt);

        // Size queries.
        let r = gamecrypt_aead_key_open_with_nonce(
            k,
            nonce.as_ptr(),
            12,
            aad.as_ptr(),
            aad.len(),
            ct.as_ptr(),
            ct.len(),
            null_mut(),
            0,
            &mut len,
        );
        assert_eq!((r, len), (R::BufferTooSmall, pt.len()));
        let r = gamecrypt_aead_key_seal_with_nonce_dangerous(
            k,
            nonce.as_ptr(),
            12,
            null(),
            0,
            pt.as_ptr(),
            pt.len(),
            null_mut(),
            0,
            &mut len,
        );
        assert_eq!((r, len), (R::BufferTooSmall, pt.len() + 16));

        // Errors; the output stays untouched.
        let mut out = vec![0xCCu8; 200];
        let mut len = 7usize;
        for n in [0usize, 8, 11, 13, 16] {
            let nn = vec![0u8; n];
            let r = gamecrypt_aead_key_open_with_nonce(
                k,
                nn.as_ptr(),
                n,
                null(),
                0,
                ct.as_ptr(),
                ct.len(),
                out.as_mut_ptr(),
                200,
                &mut len,
            );
            assert_eq!(r, R::InvalidLength);
            let r = gamecrypt_aead_key_seal_with_nonce_dangerous(
                k,
                nn.as_ptr(),
                n,
                null(),
                0,
                pt.as_ptr(),
                pt.len(),
                out.as_mut_ptr(),
                200,
                &mut len,
            );
            assert_eq!(r, R::InvalidLength);
        }
        let r = gamecrypt_aead_key_open_with_nonce(
            k,
            nonce.as_ptr(),
            12,
            null(),
            0,
            ct.as_ptr(),
            ct.len(),
            out.as_mut_ptr(),
            200,
            &mut len,
        );
        assert_eq!(r, R::OpenFailed, "wrong ad");
        // Decrypted into `out` and wiped: no unauthenticated plaintext is left.
        let pt_len = ct.len() - 16;
        assert!(out[..pt_len].iter().all(|&b| b == 0));
        assert!(out[pt_len..].iter().all(|&b| b == 0xCC));
        out.fill(0xCC);
        let r = gamecrypt_aead_key_open_with_nonce(
            k,
            nonce.as_ptr(),
            12,
            aad.as_ptr(),
            aad.len(),
            ct.as_ptr(),
            15,
            out.as_mut_ptr(),
            200,
            &mut len,
        );
        assert_eq!(r, R::OpenFailed, "shorter than a tag");
        let r = gamecrypt_aead_key_open_with_nonce(
            k,
            nonce.as_ptr(),
            12,
            aad.as_ptr(),
            aad.len(),
            null(),
            0,
            out.as_mut_ptr(),
            200,
            &mut len,
        );
        assert_eq!(r, R::OpenFailed, "empty");
        let r = gamecrypt_aead_key_open_with_nonce(
            k,
            null(),
            12,
            aad.as_ptr(),
            aad.len(),
            ct.as_ptr(),
            ct.len(),
            out.as_mut_ptr(),
            200,
            &mut len,
        );
        assert_eq!(r, R::NullArgument);
        let r = gamecrypt_aead_key_open_with_nonce(
            null(),
            nonce.as_ptr(),
            12,
            aad.as_ptr(),
            aad.len(),
            ct.as_ptr(),
            ct.len(),
            out.as_mut_ptr(),
            200,
            &mut len,
        );
        assert_eq!(r, R::NullArgument);
        assert!(out.iter().all(|&b| b == 0xCC));
        assert_eq!(len, 7);
        gamecrypt_aead_key_free(k);
    }
}

#[test]
fn one_key_many_threads() {
    let k = key(GAMECRYPT_AEAD_AES_256_GCM, &[8u8; 32]) as usize;
    let threads: Vec<_> = (0..4u8)
        .map(|i| {
            std::thread::spawn(move || {
                let k = k as *const gamecrypt_aead_key;
                for j in 0..100u8 {
                    let sealed = seal(k, &[i, j], &[i]);
                    assert_eq!(open(k, &sealed, &[i]), (R::Ok, vec![i, j]));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    unsafe { gamecrypt_aead_key_free(k as *mut gamecrypt_aead_key) };
}
