//! Wycheproof signature vectors (ECDSA P-256/SHA-256 and P-384/SHA-384 in DER and P1363 form,
//! Ed25519) through the C ABI: `gamecrypt_public_key_from_raw` / `_from_spki_der` and
//! `gamecrypt_public_key_verify`.
//!
//! Every vector marked valid must verify; every invalid one must be rejected with
//! `GAMECRYPT_RESULT_SIGNATURE_INVALID`. A group whose public key does not import counts as
//! rejecting its invalid vectors, and fails the test if it has valid ones. "Acceptable" vectors
//! are counted and printed but do not fail. Run with `--nocapture` to see the counts.

use gamecrypt::ffi::gamecrypt_result as R;
use gamecrypt::ffi::keys::*;
use std::ptr::null_mut;
use wycheproof::TestResult;

struct Public(*mut gamecrypt_public_key);

impl Drop for Public {
    fn drop(&mut self) {
        unsafe { gamecrypt_public_key_free(self.0) }
    }
}

fn from_raw(kt: gamecrypt_key_type, raw: &[u8]) -> Result<Public, R> {
    let mut p = null_mut();
    match unsafe { gamecrypt_public_key_from_raw(kt, raw.as_ptr(), raw.len(), &mut p) } {
        R::Ok => Ok(Public(p)),
        e => Err(e),
    }
}

fn from_spki(der: &[u8]) -> Result<Public, R> {
    let mut p = null_mut();
    match unsafe { gamecrypt_public_key_from_spki_der(der.as_ptr(), der.len(), &mut p) } {
        R::Ok => Ok(Public(p)),
        e => Err(e),
    }
}

fn fingerprint(pk: &Public) -> [u8; GAMECRYPT_FINGERPRINT_LEN] {
    let mut fp = [0u8; GAMECRYPT_FINGERPRINT_LEN];
    assert_eq!(
        unsafe { gamecrypt_public_key_fingerprint(pk.0, fp.as_mut_ptr(), fp.len()) },
        R::Ok
    );
    fp
}

fn verify(pk: &Public, msg: &[u8], sig: &[u8], format: gamecrypt_signature_format) -> R {
    unsafe {
        gamecrypt_public_key_verify(
            pk.0,
            msg.as_ptr(),
            msg.len(),
            sig.as_ptr(),
            sig.len(),
            format,
        )
    }
}

/// One vector, as the runner needs it.
struct Vector<'a> {
    id: usize,
    comment: &'a str,
    msg: &'a [u8],
    sig: &'a [u8],
    result: TestResult,
}

#[derive(Default, Debug)]
struct Counts {
    groups: usize,
    groups_rejected: usize,
    valid: usize,
    invalid: usize,
    acceptable_accepted: usize,
    acceptable_rejected: usize,
    failures: Vec<String>,
}

impl Counts {
    fn print(&self, set: &str) {
        println!(
            "wycheproof {set}: {} groups ({} with a rejected key), {} valid verified, {} invalid \
             rejected, acceptable: {} accepted / {} rejected, {} failures",
            self.groups,
            self.groups_rejected,
            self.valid,
            self.invalid,
            self.acceptable_accepted,
            self.acceptable_rejected,
            self.failures.len()
        );
    }
}

/// Runs one group: `key` is the result of importing its public key.
fn run_group(
    counts: &mut Counts,
    set: &str,
    key: Result<Public, R>,
    format: gamecrypt_signature_format,
    vectors: &[Vector<'_>],
) {
    counts.groups += 1;
    let key = match key {
        Ok(key) => key,
        Err(e) => {
            counts.groups_rejected += 1;
            for v in vectors {
                match v.result {
                    TestResult::Valid => counts.failures.push(format!(
                        "{set} tc {}: key import failed with {e:?} but the vector is valid ({})",
                        v.id, v.comment
                    )),
                    TestResult::Invalid => counts.invalid += 1,
                    TestResult::Acceptable => counts.acceptable_rejected += 1,
                }
            }
            return;
        }
    };
    for v in vectors {
        let r = verify(&key, v.msg, v.sig, format);
        match (v.result, r) {
            (TestResult::Valid, R::Ok) => counts.valid += 1,
            (TestResult::Invalid, R::SignatureInvalid) => counts.invalid += 1,
            (TestResult::Acceptable, R::Ok) => counts.acceptable_accepted += 1,
            (TestResult::Acceptable, R::SignatureInvalid) => counts.acceptable_rejected += 1,
            (expected, got) => counts.failures.push(format!(
                "{set} tc {}: expected {expected:?}, got {got:?} ({})",
                v.id, v.comment
            )),
        }
    }
}

fn check(set: &str, counts: &Counts) {
    counts.print(set);
    assert!(
        counts.failures.is_empty(),
        "{set}:\n{}",
        counts.failures.join("\n")
    );
    assert!(counts.groups > 0, "{set}: no groups");
    assert!(counts.valid > 0, "{set}: no valid vector ran");
    assert!(counts.invalid > 0, "{set}: no invalid vector ran");
}

fn run_ecdsa(
    name: wycheproof::ecdsa::TestName,
    set: &str,
    kt: gamecrypt_key_type,
    hash: wycheproof::HashFunction,
    format: gamecrypt_signature_format,
) {
    let test_set = wycheproof::ecdsa::TestSet::load(name).expect("load wycheproof set");
    let mut counts = Counts::default();
    for group in &test_set.test_groups {
        assert_eq!(group.hash, hash, "{set}: unexpected hash in a group");
        // The same key in two encodings must import the same way.
        let raw = from_raw(kt, &group.key.key);
        let spki = from_spki(&group.der);
        match (&raw, &spki) {
            (Ok(a), Ok(b)) => assert_eq!(fingerprint(a), fingerprint(b), "{set}"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!(
                "{set}: raw and SPKI import disagree: {:?} vs {:?}",
                a.as_ref().err(),
                b.as_ref().err()
            ),
        }
        // The compressed form of the same point decompresses to the same key.
        let point: &[u8] = &group.key.key;
        let coord = (point.len() - 1) / 2;
        let mut compressed = vec![0x02 | (point[point.len() - 1] & 1)];
        compressed.extend_from_slice(&point[1..1 + coord]);
        match (from_raw(kt, &compressed), &raw) {
            (Ok(c), Ok(r)) => assert_eq!(fingerprint(&c), fingerprint(r), "{set}"),
            (Err(_), Err(_)) => {}
            (c, _) => panic!("{set}: compressed import disagrees: {:?}", c.err()),
        }
        drop(raw);
        let vectors: Vec<Vector<'_>> = group
            .tests
            .iter()
            .map(|t| Vector {
                id: t.tc_id,
                comment: &t.comment,
                msg: &t.msg,
                sig: &t.sig,
                result: t.result,
            })
            .collect();
        run_group(&mut counts, set, spki, format, &vectors);
    }
    check(set, &counts);
}

#[test]
fn wycheproof_ecdsa_p256_sha256_der() {
    run_ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp256r1Sha256,
        "ecdsa_secp256r1_sha256 (DER)",
        GAMECRYPT_KEY_TYPE_ECDSA_P256,
        wycheproof::HashFunction::Sha2_256,
        GAMECRYPT_SIGNATURE_ECDSA_DER,
    );
}

#[test]
fn wycheproof_ecdsa_p256_sha256_p1363() {
    run_ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp256r1Sha256P1363,
        "ecdsa_secp256r1_sha256_p1363",
        GAMECRYPT_KEY_TYPE_ECDSA_P256,
        wycheproof::HashFunction::Sha2_256,
        GAMECRYPT_SIGNATURE_ECDSA_FIXED,
    );
}

#[test]
fn wycheproof_ecdsa_p384_sha384_der() {
    run_ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp384r1Sha384,
        "ecdsa_secp384r1_sha384 (DER)",
        GAMECRYPT_KEY_TYPE_ECDSA_P384,
        wycheproof::HashFunction::Sha2_384,
        GAMECRYPT_SIGNATURE_ECDSA_DER,
    );
}

#[test]
fn wycheproof_ecdsa_p384_sha384_p1363() {
    run_ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp384r1Sha384P1363,
        "ecdsa_secp384r1_sha384_p1363",
        GAMECRYPT_KEY_TYPE_ECDSA_P384,
        wycheproof::HashFunction::Sha2_384,
        GAMECRYPT_SIGNATURE_ECDSA_FIXED,
    );
}

#[test]
fn wycheproof_ed25519() {
    let set = "ed25519";
    let test_set =
        wycheproof::eddsa::TestSet::load(wycheproof::eddsa::TestName::Ed25519).expect("load set");
    let mut counts = Counts::default();
    for group in &test_set.test_groups {
        let raw = from_raw(GAMECRYPT_KEY_TYPE_ED25519, &group.key.pk);
        let spki = from_spki(&group.der);
        match (&raw, &spki) {
            (Ok(a), Ok(b)) => assert_eq!(fingerprint(a), fingerprint(b), "{set}"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!(
                "{set}: raw and SPKI import disagree: {:?} vs {:?}",
                a.as_ref().err(),
                b.as_ref().err()
            ),
        }
        drop(spki);
        let vectors: Vec<Vector<'_>> = group
            .tests
            .iter()
            .map(|t| Vector {
                id: t.tc_id,
                comment: &t.comment,
                msg: &t.msg,
                sig: &t.sig,
                result: t.result,
            })
            .collect();
        run_group(&mut counts, set, raw, GAMECRYPT_SIGNATURE_DEFAULT, &vectors);
    }
    check(set, &counts);
}
