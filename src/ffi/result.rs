//! `gamecrypt_result`: the result code of every fallible C function.

use crate::error::Error;
use std::os::raw::c_char;

/// The result of every fallible gamecrypt function.
///
/// Values are explicit and never reused (a retired code stays reserved). `GAMECRYPT_RESULT_OK`
/// is 0; every error has the same number as in the Rust `gamecrypt::Error`.
/// `gamecrypt_result_str()` gives a static message for any value.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum gamecrypt_result {
    /// Success.
    Ok = 0,
    /// A required pointer was NULL (a NULL buffer is only allowed with length 0).
    NullArgument = 1,
    /// An argument has a value that is never valid.
    InvalidArgument = 2,
    /// The output buffer is too small; the needed length was written to `*out_len`.
    BufferTooSmall = 3,
    /// An internal bug was caught at the C boundary.
    Panic = 4,
    /// The underlying crypto library failed unexpectedly.
    Internal = 5,
    /// The algorithm is not supported for this operation.
    UnsupportedAlgorithm = 6,
    /// The system random number generator failed.
    RandomFailed = 7,
    /// A length is outside the range this operation accepts.
    InvalidLength = 8,
    /// The key could not be parsed.
    KeyMalformed = 100,
    /// The text is not valid PEM or has no block with an accepted label.
    PemMalformed = 101,
    /// The key is of the wrong type for this operation.
    WrongKeyType = 102,
    /// The signature does not verify.
    SignatureInvalid = 103,
    /// The key is not acceptable (too small, inconsistent or encrypted).
    KeyRejected = 104,
    /// This key type cannot be written in the requested format.
    UnsupportedFormat = 105,
    /// The data did not authenticate (wrong key or password, wrong associated data, tampering).
    OpenFailed = 200,
    /// The sealed box is truncated or is not a gamecrypt box.
    BoxMalformed = 201,
    /// The sealed box uses an unknown version or algorithm.
    BoxUnsupported = 202,
    /// The streaming context was already finished.
    ContextFinished = 203,
    /// The MAC (HMAC tag) does not match the key and data.
    MacInvalid = 204,
    /// The sealed box was made for another algorithm or kind of key (key or password).
    BoxKeyMismatch = 205,
    /// This call is not allowed in the session's current state.
    WrongState = 300,
    /// A handshake message is malformed.
    HandshakeMalformed = 301,
    /// The peer uses an unsupported protocol version.
    UnsupportedVersion = 302,
    /// Client and server have no cipher suite in common.
    NoCommonSuite = 303,
    /// The handshake was downgraded.
    DowngradeDetected = 304,
    /// The server's handshake signature does not verify.
    HandshakeSignatureInvalid = 305,
    /// The server's key does not match the pinned public key.
    PinnedKeyMismatch = 306,
    /// The server's key does not match the pinned fingerprint.
    FingerprintMismatch = 307,
    /// The server certificate has expired.
    CertificateExpired = 308,
    /// The server certificate is not valid yet.
    CertificateNotYetValid = 309,
    /// The server certificate is for another server name.
    CertificateWrongName = 310,
    /// The server certificate is not signed by the trusted root key.
    CertificateSignatureInvalid = 311,
    /// The server certificate is malformed.
    CertificateMalformed = 312,
    /// The session failed earlier and can no longer be used.
    SessionFailed = 313,
    /// The session is closed.
    SessionClosed = 314,
    /// The packet did not authenticate. The session goes on (datagram mode).
    PacketAuthFailed = 320,
    /// The packet was already received. The session goes on (datagram mode).
    PacketReplayed = 321,
    /// The packet is older than the anti-replay window. The session goes on (datagram mode).
    PacketTooOld = 322,
    /// The packet is malformed. The session goes on (datagram mode).
    PacketMalformed = 323,
    /// Stream mode: the packet arrived out of order or one is missing.
    PacketOutOfOrder = 324,
    /// The packet numbers of this session are used up.
    KeyExhausted = 325,
    /// The server sent no certificate but the client requires one.
    CertificateMissing = 326,
}

impl From<Error> for gamecrypt_result {
    fn from(e: Error) -> Self {
        use gamecrypt_result as R;
        match e {
            Error::NullArgument => R::NullArgument,
            Error::InvalidArgument => R::InvalidArgument,
            Error::BufferTooSmall => R::BufferTooSmall,
            Error::Panic => R::Panic,
            Error::Internal => R::Internal,
            Error::UnsupportedAlgorithm => R::UnsupportedAlgorithm,
            Error::RandomFailed => R::RandomFailed,
            Error::InvalidLength => R::InvalidLength,
            Error::KeyMalformed => R::KeyMalformed,
            Error::PemMalformed => R::PemMalformed,
            Error::WrongKeyType => R::WrongKeyType,
            Error::SignatureInvalid => R::SignatureInvalid,
            Error::KeyRejected => R::KeyRejected,
            Error::UnsupportedFormat => R::UnsupportedFormat,
            Error::OpenFailed => R::OpenFailed,
            Error::BoxMalformed => R::BoxMalformed,
            Error::BoxUnsupported => R::BoxUnsupported,
            Error::ContextFinished => R::ContextFinished,
            Error::MacInvalid => R::MacInvalid,
            Error::BoxKeyMismatch => R::BoxKeyMismatch,
            Error::WrongState => R::WrongState,
            Error::HandshakeMalformed => R::HandshakeMalformed,
            Error::UnsupportedVersion => R::UnsupportedVersion,
            Error::NoCommonSuite => R::NoCommonSuite,
            Error::DowngradeDetected => R::DowngradeDetected,
            Error::HandshakeSignatureInvalid => R::HandshakeSignatureInvalid,
            Error::PinnedKeyMismatch => R::PinnedKeyMismatch,
            Error::FingerprintMismatch => R::FingerprintMismatch,
            Error::CertificateExpired => R::CertificateExpired,
            Error::CertificateNotYetValid => R::CertificateNotYetValid,
            Error::CertificateWrongName => R::CertificateWrongName,
            Error::CertificateSignatureInvalid => R::CertificateSignatureInvalid,
            Error::CertificateMalformed => R::CertificateMalformed,
            Error::SessionFailed => R::SessionFailed,
            Error::SessionClosed => R::SessionClosed,
            Error::PacketAuthFailed => R::PacketAuthFailed,
            Error::PacketReplayed => R::PacketReplayed,
            Error::PacketTooOld => R::PacketTooOld,
            Error::PacketMalformed => R::PacketMalformed,
            Error::PacketOutOfOrder => R::PacketOutOfOrder,
            Error::KeyExhausted => R::KeyExhausted,
            Error::CertificateMissing => R::CertificateMissing,
        }
    }
}

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
}
