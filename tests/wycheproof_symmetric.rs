//! Wycheproof vectors for the symmetric primitives, run through the C ABI (the `extern "C"`
//! functions called from Rust, exactly as a C caller would).
//!
//! Every vector marked `valid` must pass and every `invalid` one must be rejected. What we run:
//!
//! - AES-GCM (`aes_gcm_test.json`): only groups with a 256-bit key, 96-bit nonce and 128-bit tag
//!   (what `gamecrypt_aead_key` supports); other groups are counted as skipped. Each vector is
//!   opened with `gamecrypt_aead_key_open_with_nonce`; valid ones are also sealed with
//!   `gamecrypt_aead_key_seal_with_nonce_dangerous` and must give `ct || tag` exactly.
//! - ChaCha20-Poly1305 (`chacha20_poly1305_test.json`): the same, with the 96-bit nonce groups
//!   (other nonce sizes are skipped).
//! - HKDF-SHA256/384/512: `gamecrypt_hkdf_derive`, and for valid vectors also
//!   `gamecrypt_hkdf_extract` + `gamecrypt_hkdf_expand`. Invalid ones (output size too large)
//!   must be `INVALID_LENGTH`.
//! - HMAC-SHA256/384/512: full-length-tag groups through `gamecrypt_hmac_sign` and
//!   `gamecrypt_hmac_verify` (invalid tags must give `MAC_INVALID`). Truncated-tag groups: our
//!   API only verifies full-length tags, so for those we check (a) that the truncated prefix of
//!   our full tag equals the vector's tag exactly when the vector is valid, and (b) that
//!   `gamecrypt_hmac_verify` rejects every truncated tag (policy: no truncated verification).

use gamecrypt::ffi::aead::*;
use gamecrypt::ffi::gamecrypt_result as R;
use gamecrypt::ffi::primitives::*;
use std::ptr::null_mut;
use wycheproof::TestResult;

#[derive(Default)]
struct Counts {
    passed: usize,
    rejected: usize,
    skipped: usize,
}

impl Counts {
    fn report(&self, name: &str) {
        println!(
            "{name}: {} valid passed, {} invalid rejected, {} skipped",
            self.passed, self.rejected, self.skipped
        );
        assert!(
            self.passed + self.rejected > 0,
            "{name}: nothing was checked"
        );
        assert!(
            self.passed > 0 && self.rejected > 0,
            "{name}: one side was never exercised"
        );
    }
}

fn make_key(alg: gamecrypt_aead, key: &[u8]) -> *mut gamecrypt_aead_key {
    let mut k = null_mut();
    let r = unsafe { gamecrypt_aead_key_from_bytes(alg, key.as_ptr(), key.len(), &mut k) };
    assert_eq!(r, R::Ok);
    k
}

fn run_aead(name: &str, set: wycheproof::aead::TestName, alg: gamecrypt_aead) {
    let set = wycheproof::aead::TestSet::load(set).expect("wycheproof set loads");
    let mut c = Counts::default();
    for group in &set.test_groups {
        if group.key_size != 256 || group.nonce_size != 96 || group.tag_size != 128 {
            c.skipped += group.tests.len();
            continue;
        }
        for t in &group.tests {
            let k = make_key(alg, &t.key);
            let mut input = t.ct.to_vec();
            input.extend_from_slice(&t.tag);
            let mut out = vec![0xA5u8; input.len() + 1];
            let mut len = 0usize;
            let r = unsafe {
                gamecrypt_aead_key_open_with_nonce(
                    k,
                    t.nonce.as_ptr(),
                    t.nonce.len(),
                    t.aad.as_ptr(),
                    t.aad.len(),
                    input.as_ptr(),
                    input.len(),
                    out.as_mut_ptr(),
                    out.len(),
                    &mut len,
                )
            };
            match t.result {
                TestResult::Valid => {
                    assert_eq!(r, R::Ok, "{name} tc {} ({}) must open", t.tc_id, t.comment);
                    assert_eq!(&out[..len], &t.pt[..], "{name} tc {} plaintext", t.tc_id);
                    // Sealing the same inputs gives the same ciphertext and tag.
                    let mut sealed = vec![0u8; t.pt.len() + GAMECRYPT_AEAD_TAG_LEN];
                    let r = unsafe {
                        gamecrypt_aead_key_seal_with_nonce_dangerous(
                            k,
                            t.nonce.as_ptr(),
                            t.nonce.len(),
                            t.aad.as_ptr(),
                            t.aad.len(),
                            t.pt.as_ptr(),
                            t.pt.len(),
                            sealed.as_mut_ptr(),
                            sealed.len(),
                            &mut len,
                        )
                    };
                    assert_eq!(r, R::Ok, "{name} tc {} seal", t.tc_id);
                    assert_eq!(
                        &sealed[..len],
                        &input[..],
                        "{name} tc {} seal output",
                        t.tc_id
                    );
                    c.passed += 1;
                }
                TestResult::Invalid => {
                    assert!(
                        r == R::OpenFailed || r == R::InvalidLength,
                        "{name} tc {} ({}) must be rejected, got {r:?}",
                        t.tc_id,
                        t.comment
                    );
                    // Data that does not authenticate was decrypted into `out` and wiped
                    // (the header's convention): no plaintext left, nothing past its length.
                    let wiped = if r == R::OpenFailed { t.ct.len() } else { 0 };
                    assert!(
                        out[..wiped].iter().all(|&b| b == 0),
                        "{name} tc {}: plaintext left",
                        t.tc_id
                    );
                    assert!(
                        out[wiped..].iter().all(|&b| b == 0xA5),
                        "{name} tc {}: output written",
                        t.tc_id
                    );
                    c.rejected += 1;
                }
                TestResult::Acceptable => c.skipped += 1,
            }
            unsafe { gamecrypt_aead_key_free(k) };
        }
    }
    c.report(name);
}

#[test]
fn wycheproof_aes_256_gcm() {
    run_aead(
        "AES-256-GCM",
        wycheproof::aead::TestName::AesGcm,
        GAMECRYPT_AEAD_AES_256_GCM,
    );
}

#[test]
fn wycheproof_chacha20_poly1305() {
    run_aead(
        "ChaCha20-Poly1305",
        wycheproof::aead::TestName::ChaCha20Poly1305,
        GAMECRYPT_AEAD_CHACHA20_POLY1305,
    );
}

fn run_hkdf(name: &str, set: wycheproof::hkdf::TestName, alg: gamecrypt_hash) {
    let set = wycheproof::hkdf::TestSet::load(set).expect("wycheproof set loads");
    let mut c = Counts::default();
    for group in &set.test_groups {
        for t in &group.tests {
            let mut out = vec![0u8; t.size];
            let r = unsafe {
                gamecrypt_hkdf_derive(
                    alg,
                    t.salt.as_ptr(),
                    t.salt.len(),
                    t.ikm.as_ptr(),
                    t.ikm.len(),
                    t.info.as_ptr(),
                    t.info.len(),
                    out.as_mut_ptr(),
                    out.len(),
                )
            };
            match t.result {
                TestResult::Valid => {
                    assert_eq!(r, R::Ok, "{name} tc {} ({})", t.tc_id, t.comment);
                    assert_eq!(&out[..], &t.okm[..], "{name} tc {} okm", t.tc_id);
                    // The two-step path gives the same output.
                    let mut prk = [0u8; GAMECRYPT_HASH_MAX_LEN];
                    let mut prk_len = 0usize;
                    let r = unsafe {
                        gamecrypt_hkdf_extract(
                            alg,
                            t.salt.as_ptr(),
                            t.salt.len(),
                            t.ikm.as_ptr(),
                            t.ikm.len(),
                            prk.as_mut_ptr(),
                            prk.len(),
                            &mut prk_len,
                        )
                    };
                    assert_eq!(r, R::Ok);
                    assert_eq!(prk_len, gamecrypt_hash_len(alg));
                    let mut out2 = vec![0u8; t.size];
                    let r = unsafe {
                        gamecrypt_hkdf_expand(
                            alg,
                            prk.as_ptr(),
                            prk_len,
                            t.info.as_ptr(),
                            t.info.len(),
                            out2.as_mut_ptr(),
                            out2.len(),
                        )
                    };
                    assert_eq!(r, R::Ok);
                    assert_eq!(
                        &out2[..],
                        &t.okm[..],
                        "{name} tc {} extract+expand",
                        t.tc_id
                    );
                    c.passed += 1;
                }
                TestResult::Invalid => {
                    assert_eq!(r, R::InvalidLength, "{name} tc {} ({})", t.tc_id, t.comment);
                    c.rejected += 1;
                }
                TestResult::Acceptable => c.skipped += 1,
            }
        }
    }
    c.report(name);
}

#[test]
fn wycheproof_hkdf() {
    use wycheproof::hkdf::TestName as N;
    run_hkdf("HKDF-SHA256", N::HkdfSha256, GAMECRYPT_HASH_SHA256);
    run_hkdf("HKDF-SHA384", N::HkdfSha384, GAMECRYPT_HASH_SHA384);
    run_hkdf("HKDF-SHA512", N::HkdfSha512, GAMECRYPT_HASH_SHA512);
}

fn run_hmac(name: &str, set: wycheproof::mac::TestName, alg: gamecrypt_hash) {
    let set = wycheproof::mac::TestSet::load(set).expect("wycheproof set loads");
    let full_bits = gamecrypt_hash_len(alg) * 8;
    let (mut full, mut truncated) = (Counts::default(), Counts::default());
    for group in &set.test_groups {
        for t in &group.tests {
            let mut tag = [0u8; GAMECRYPT_HASH_MAX_LEN];
            let mut tag_len = 0usize;
            let r = unsafe {
                gamecrypt_hmac_sign(
                    alg,
                    t.key.as_ptr(),
                    t.key.len(),
                    t.msg.as_ptr(),
                    t.msg.len(),
                    tag.as_mut_ptr(),
                    tag.len(),
                    &mut tag_len,
                )
            };
            assert_eq!(r, R::Ok);
            let verify = unsafe {
                gamecrypt_hmac_verify(
                    alg,
                    t.key.as_ptr(),
                    t.key.len(),
                    t.msg.as_ptr(),
                    t.msg.len(),
                    t.tag.as_ptr(),
                    t.tag.len(),
                )
            };
            if group.tag_size == full_bits {
                match t.result {
                    TestResult::Valid => {
                        assert_eq!(verify, R::Ok, "{name} tc {} ({})", t.tc_id, t.comment);
                        assert_eq!(&tag[..tag_len], &t.tag[..], "{name} tc {} sign", t.tc_id);
                        full.passed += 1;
                    }
                    TestResult::Invalid => {
                        assert_eq!(
                            verify,
                            R::MacInvalid,
                            "{name} tc {} ({})",
                            t.tc_id,
                            t.comment
                        );
                        full.rejected += 1;
                    }
                    TestResult::Acceptable => full.skipped += 1,
                }
            } else {
                // Truncated tag: never verifies through our API.
                assert_eq!(
                    verify,
                    R::MacInvalid,
                    "{name} tc {}: truncated tag verified",
                    t.tc_id
                );
                let prefix_matches = tag[..t.tag.len()] == t.tag[..];
                match t.result {
                    TestResult::Valid => {
                        assert!(
                            prefix_matches,
                            "{name} tc {} ({}) prefix",
                            t.tc_id, t.comment
                        );
                        truncated.passed += 1;
                    }
                    TestResult::Invalid => {
                        assert!(
                            !prefix_matches,
                            "{name} tc {} ({}) prefix",
                            t.tc_id, t.comment
                        );
                        truncated.rejected += 1;
                    }
                    TestResult::Acceptable => truncated.skipped += 1,
                }
            }
        }
    }
    full.report(&format!("{name} (full-length tags, verify)"));
    truncated.report(&format!(
        "{name} (truncated tags, prefix of our tag; verify rejects all)"
    ));
}

#[test]
fn wycheproof_hmac() {
    use wycheproof::mac::TestName as N;
    run_hmac("HMAC-SHA256", N::HmacSha256, GAMECRYPT_HASH_SHA256);
    run_hmac("HMAC-SHA384", N::HmacSha384, GAMECRYPT_HASH_SHA384);
    run_hmac("HMAC-SHA512", N::HmacSha512, GAMECRYPT_HASH_SHA512);
}
