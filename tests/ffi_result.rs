//! `gamecrypt_result` and its messages (src/ffi/result.rs) against the error table.

use gamecrypt::ffi::gamecrypt_result;
use gamecrypt::ffi::result::*;
use gamecrypt::Error;
use std::ffi::CStr;

#[test]
fn every_error_maps_to_the_same_code_and_has_a_message() {
    for e in Error::ALL {
        let r: gamecrypt_result = (*e).into();
        assert_eq!(r as u32, e.code(), "{e:?}");
        let s = unsafe { CStr::from_ptr(gamecrypt_result_str(r as u32)) };
        assert_eq!(s.to_str().unwrap(), e.message());
    }
    let ok = unsafe { CStr::from_ptr(gamecrypt_result_str(0)) };
    assert_eq!(ok.to_str().unwrap(), "success");
}

/// build.rs writes the header's enum from the same table: same codes, same order, OK first.
#[test]
fn header_enum_has_every_code_of_the_table() {
    let header = include_str!("../include/gamecrypt.h");
    let body = &header[header.find("typedef enum {").unwrap()..];
    let body = &body[..body.find("} gamecrypt_result;").unwrap()];
    let codes: Vec<u32> = body
        .lines()
        .filter_map(|l| l.trim().strip_prefix("GAMECRYPT_RESULT_"))
        .map(|l| {
            l.split(" = ")
                .nth(1)
                .unwrap()
                .trim_end_matches(',')
                .parse()
                .unwrap()
        })
        .collect();
    let expected: Vec<u32> = std::iter::once(0)
        .chain(Error::ALL.iter().map(|e| e.code()))
        .collect();
    assert_eq!(codes, expected);
    assert!(body.contains("GAMECRYPT_RESULT_BUFFER_TOO_SMALL = 3,"));
    assert!(body.contains("GAMECRYPT_RESULT_RETRY_COOKIE_INVALID = 454,"));
}
