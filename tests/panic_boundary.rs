//! A panic inside an export never unwinds into the caller: it comes back as
//! `GAMECRYPT_RESULT_PANIC`, nothing is written, and the library keeps working.
//!
//! Needs the `testing` feature (fault injection). It is its own test binary with one test, so
//! the global injection flag cannot race with other tests.
#![cfg(feature = "testing")]

use gamecrypt::ffi::gamecrypt_result;
use gamecrypt::ffi::keys::*;
use gamecrypt::ffi::testing::gamecrypt_testing_panic_next_call;
use std::ptr;

#[test]
fn injected_panic_is_caught_reported_and_harmless() {
    let mut key: *mut gamecrypt_signing_key = ptr::null_mut();

    gamecrypt_testing_panic_next_call();
    let rc = unsafe { gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &mut key) };
    assert_eq!(rc, gamecrypt_result::Panic);
    assert!(
        key.is_null(),
        "an export that panicked must not write its output"
    );

    // The flag is one-shot and the library is still usable afterwards.
    let rc = unsafe { gamecrypt_signing_key_generate(GAMECRYPT_KEY_TYPE_ED25519, &mut key) };
    assert_eq!(rc, gamecrypt_result::Ok);
    assert!(!key.is_null());
    unsafe { gamecrypt_signing_key_free(key) };
}
