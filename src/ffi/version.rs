//! Version information at run time (the header has the matching compile-time macros).

use std::os::raw::c_char;

/// The library version as a static NUL-terminated string, e.g. "0.1.0". Never NULL, never freed.
///
/// Compare it with `GAMECRYPT_VERSION_STRING` to catch a header that does not match the library.
#[no_mangle]
pub extern "C" fn gamecrypt_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// The library version as one number: major * 10000 + minor * 100 + patch.
#[no_mangle]
pub extern "C" fn gamecrypt_version_number() -> u32 {
    crate::VERSION_NUMBER
}
