//! `gamecrypt_result`: the result code of every fallible C function.

use crate::error::Error;
use std::os::raw::c_char;

/// Defines `gamecrypt_result` from the entries of the error table in `src/error.rs`.
macro_rules! define_result {
    ($($(#[doc = $doc:literal])* $name:ident = $code:literal => $message:literal,)*) => {
        /// The result of every fallible gamecrypt function.
        ///
        /// Values are explicit and never reused (a retired code stays reserved).
        /// `GAMECRYPT_RESULT_OK` is 0; every error has the same number as in the Rust
        /// `gamecrypt::Error`. `gamecrypt_result_str()` gives a static message for any value.
        /// Defined by the error table in `src/error.rs`; `build.rs` writes its C form into
        /// the header from the same table.
        #[repr(C)]
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum gamecrypt_result {
            /// Success.
            Ok = 0,
            $($(#[doc = $doc])* $name = $code,)*
        }

        impl From<Error> for gamecrypt_result {
            fn from(e: Error) -> Self {
                match e {
                    $(Error::$name => gamecrypt_result::$name,)*
                }
            }
        }

        // Every C value is the Rust value (they are ABI), and no error uses 0 (OK).
        const _: () = {
            $(
                assert!(gamecrypt_result::$name as u32 == Error::$name as u32);
                assert!(gamecrypt_result::$name as u32 != gamecrypt_result::Ok as u32);
            )*
        };
    };
}
crate::error::error_table!(define_result);

impl From<crate::Result<()>> for gamecrypt_result {
    fn from(r: crate::Result<()>) -> Self {
        match r {
            Ok(()) => gamecrypt_result::Ok,
            Err(e) => e.into(),
        }
    }
}

/// A static, NUL-terminated English description of a `gamecrypt_result` value.
///
/// Takes the code as an integer so that any value is safe to pass. Never returns NULL;
/// unknown codes give "unknown gamecrypt result code". The string lives forever and must not
/// be freed. Safe to call from any thread.
#[no_mangle]
pub extern "C" fn gamecrypt_result_str(result: u32) -> *const c_char {
    crate::ffi::panic_boundary(c"internal bug caught at the C boundary".as_ptr(), || {
        message_cstr(result).as_ptr()
    })
}

fn message_cstr(code: u32) -> &'static std::ffi::CStr {
    use std::collections::HashMap;
    use std::ffi::CString;
    use std::sync::OnceLock;
    static TABLE: OnceLock<HashMap<u32, CString>> = OnceLock::new();
    if code == 0 {
        return c"success";
    }
    let table = TABLE.get_or_init(|| {
        Error::ALL
            .iter()
            .map(|e| {
                let text = CString::new(e.message()).expect("messages contain no NUL");
                (e.code(), text)
            })
            .collect()
    });
    match table.get(&code) {
        Some(s) => s.as_c_str(),
        None => c"unknown gamecrypt result code",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let header = include_str!("../../include/gamecrypt.h");
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
}
