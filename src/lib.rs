//! gamecrypt: hard-to-misuse cryptography for game engines, with a plain C ABI.
//!
//! The safe Rust core lives in the modules below; `ffi` is the only place with `extern "C"`
//! code. Everything is built on aws-lc-rs.

#![deny(unsafe_op_in_unsafe_fn)]
// `unsafe` lives only in `ffi` (the C ABI) and in `endpoint::hint` (the prefetch instruction of
// the batch receive), which allow it; the compiler refuses it anywhere else in the crate.
#![deny(unsafe_code)]
#![warn(missing_debug_implementations)]

/// cbindgen:ignore
pub mod aead;
/// cbindgen:ignore
pub(crate) mod der;
/// cbindgen:ignore
pub mod endpoint;
pub mod error;
#[allow(unsafe_code)]
pub mod ffi;
/// cbindgen:ignore
pub mod keys;
/// cbindgen:ignore
pub(crate) mod pem;
/// cbindgen:ignore
pub mod primitives;
/// cbindgen:ignore
pub mod session;
pub(crate) mod sigcheck;

pub use error::{Error, Result};

// The unit tests share the integration tests' session helpers (one definition of a test
// session pair), which name the crate `gamecrypt`.
#[cfg(test)]
extern crate self as gamecrypt;
#[cfg(test)]
#[path = "../tests/session_support/mod.rs"]
pub(crate) mod session_support;

/// The crate version as one number: major * 10000 + minor * 100 + patch.
pub const VERSION_NUMBER: u32 = {
    const fn parse(s: &str) -> u32 {
        let b = s.as_bytes();
        let mut i = 0;
        let mut n = 0u32;
        while i < b.len() {
            n = n * 10 + (b[i] - b'0') as u32;
            i += 1;
        }
        n
    }
    parse(env!("CARGO_PKG_VERSION_MAJOR")) * 10000
        + parse(env!("CARGO_PKG_VERSION_MINOR")) * 100
        + parse(env!("CARGO_PKG_VERSION_PATCH"))
};
