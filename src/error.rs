//! The one error type of the safe core.
//!
//! Every variant has an explicit numeric code that is also its value in the C enum
//! `gamecrypt_result` (see `src/ffi/result.rs`). Codes are never reused: a retired variant
//! keeps its number as a comment. Ranges:
//!
//! | range   | area                                   |
//! |---------|----------------------------------------|
//! | 1-99    | arguments, buffers, internal failures  |
//! | 100-199 | keys, signatures, encodings            |
//! | 200-299 | primitives, AEAD keys, sealed boxes    |
//! | 300-399 | secure session: handshake, trust, packets |
//! | 400-499 | session hardening: key update, client auth, retry cookies, close |

use core::fmt;

/// Everything that can go wrong in gamecrypt.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    // ---- 1-99: arguments, buffers, internal ----
    /// A required pointer was NULL (a NULL buffer is only allowed with length 0).
    NullArgument = 1,
    /// An argument has a value that is never valid (an unknown enum value, a zero count...).
    InvalidArgument = 2,
    /// The output buffer is too small; the needed length was reported.
    BufferTooSmall = 3,
    /// A bug inside gamecrypt was caught at the C boundary. Please report it.
    Panic = 4,
    /// The underlying crypto library failed unexpectedly.
    Internal = 5,
    /// The algorithm is not supported for this operation.
    UnsupportedAlgorithm = 6,
    /// The operating system's random number generator failed.
    RandomFailed = 7,
    /// A length is outside what the operation accepts.
    InvalidLength = 8,

    // ---- 100-199: keys, signatures, encodings ----
    /// The key bytes could not be parsed (bad DER, bad point, wrong length).
    KeyMalformed = 100,
    /// The text is not valid PEM, or has no block with a label this call accepts.
    PemMalformed = 101,
    /// The key is of another type than the operation needs.
    WrongKeyType = 102,
    /// The signature does not verify with this key and message.
    SignatureInvalid = 103,
    /// The key parsed but is unacceptable (too small, inconsistent, encrypted PEM...).
    KeyRejected = 104,
    /// This key type cannot be written in the requested format.
    UnsupportedFormat = 105,

    // ---- 200-299: primitives, AEAD, sealed boxes ----
    /// The sealed data did not authenticate: wrong key or password, wrong associated data, or tampered data.
    OpenFailed = 200,
    /// The sealed box is truncated or its header is not a gamecrypt box header.
    BoxMalformed = 201,
    /// The sealed box was made by a newer format version or with an unknown algorithm.
    BoxUnsupported = 202,
    /// The streaming context was already finished and cannot be used again.
    ContextFinished = 203,
    /// The MAC (HMAC tag) does not match the key and data.
    MacInvalid = 204,
    /// The sealed box was made for another kind of key: another AEAD algorithm (a
    /// ChaCha20-Poly1305 box given to an AES-256-GCM key, or the reverse), or a password box
    /// given to a key (or the reverse).
    BoxKeyMismatch = 205,

    // ---- 300-399: secure session ----
    /// This call is not allowed in the session's current state (a step out of order).
    WrongState = 300,
    /// A handshake message is malformed (bad length, bad field, unknown type).
    HandshakeMalformed = 301,
    /// The peer speaks a protocol version we do not support.
    UnsupportedVersion = 302,
    /// Client and server have no cipher suite in common.
    NoCommonSuite = 303,
    /// The server chose a suite that the client did not offer, or a downgrade was detected.
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
    /// The server certificate names another server.
    CertificateWrongName = 310,
    /// The server certificate is not signed by the trusted root key.
    CertificateSignatureInvalid = 311,
    /// The server certificate is malformed.
    CertificateMalformed = 312,
    /// The session failed earlier and can no longer be used.
    SessionFailed = 313,
    /// The session was closed and can no longer be used.
    SessionClosed = 314,
    /// A packet did not authenticate (forged, corrupted, or sealed with other keys).
    PacketAuthFailed = 320,
    /// A packet with this number was already opened (replay or duplicate).
    PacketReplayed = 321,
    /// A packet is older than the anti-replay window.
    PacketTooOld = 322,
    /// A packet is malformed (too short, bad header).
    PacketMalformed = 323,
    /// In stream mode a packet arrived out of order or a packet is missing.
    PacketOutOfOrder = 324,
    /// The packet-number space of this key is used up; a new session is needed.
    KeyExhausted = 325,
    /// The server certificate is required by the trust settings but the server sent none.
    CertificateMissing = 326,
}

impl Error {
    /// Every variant, for tests and for the C message table.
    pub const ALL: &'static [Error] = &[
        Error::NullArgument,
        Error::InvalidArgument,
        Error::BufferTooSmall,
        Error::Panic,
        Error::Internal,
        Error::UnsupportedAlgorithm,
        Error::RandomFailed,
        Error::InvalidLength,
        Error::KeyMalformed,
        Error::PemMalformed,
        Error::WrongKeyType,
        Error::SignatureInvalid,
        Error::KeyRejected,
        Error::UnsupportedFormat,
        Error::OpenFailed,
        Error::BoxMalformed,
        Error::BoxUnsupported,
        Error::ContextFinished,
        Error::MacInvalid,
        Error::BoxKeyMismatch,
        Error::WrongState,
        Error::HandshakeMalformed,
        Error::UnsupportedVersion,
        Error::NoCommonSuite,
        Error::DowngradeDetected,
        Error::HandshakeSignatureInvalid,
        Error::PinnedKeyMismatch,
        Error::FingerprintMismatch,
        Error::CertificateExpired,
        Error::CertificateNotYetValid,
        Error::CertificateWrongName,
        Error::CertificateSignatureInvalid,
        Error::CertificateMalformed,
        Error::SessionFailed,
        Error::SessionClosed,
        Error::PacketAuthFailed,
        Error::PacketReplayed,
        Error::PacketTooOld,
        Error::PacketMalformed,
        Error::PacketOutOfOrder,
        Error::KeyExhausted,
        Error::CertificateMissing,
    ];

    /// The stable numeric code (the value in the C enum).
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The variant with this code, if any.
    pub fn from_code(code: u32) -> Option<Error> {
        Error::ALL.iter().copied().find(|e| e.code() == code)
    }

    /// A short, static, human-readable message.
    pub const fn message(self) -> &'static str {
        match self {
            Error::NullArgument => "a required pointer argument was NULL",
            Error::InvalidArgument => "an argument has an invalid value",
            Error::BufferTooSmall => "the output buffer is too small (the needed length was written to out_len)",
            Error::Panic => "internal bug caught at the C boundary (please report it)",
            Error::Internal => "the crypto library failed unexpectedly",
            Error::UnsupportedAlgorithm => "the algorithm is not supported for this operation",
            Error::RandomFailed => "the system random number generator failed",
            Error::InvalidLength => "a length is outside the range this operation accepts",
            Error::KeyMalformed => "the key could not be parsed (bad DER, bad point or wrong length)",
            Error::PemMalformed => "the text is not valid PEM or has no block with an accepted label",
            Error::WrongKeyType => "the key is of the wrong type for this operation",
            Error::SignatureInvalid => "the signature does not verify",
            Error::KeyRejected => "the key is not acceptable (too small, inconsistent or encrypted)",
            Error::UnsupportedFormat => "this key type cannot be written in the requested format",
            Error::OpenFailed => "the data did not authenticate: wrong key or password, wrong associated data, or tampered data",
            Error::BoxMalformed => "the sealed box is truncated or is not a gamecrypt box",
            Error::BoxUnsupported => "the sealed box uses an unknown version or algorithm",
            Error::ContextFinished => "the streaming context was already finished",
            Error::MacInvalid => "the MAC does not match the key and data",
            Error::BoxKeyMismatch => "the sealed box was made for another algorithm or kind of key (key or password)",
            Error::WrongState => "this call is not allowed in the session's current state",
            Error::HandshakeMalformed => "a handshake message is malformed",
            Error::UnsupportedVersion => "the peer uses an unsupported protocol version",
            Error::NoCommonSuite => "client and server have no cipher suite in common",
            Error::DowngradeDetected => "the handshake was downgraded or the server chose a suite that was not offered",
            Error::HandshakeSignatureInvalid => "the server's handshake signature does not verify",
            Error::PinnedKeyMismatch => "the server's key does not match the pinned public key",
            Error::FingerprintMismatch => "the server's key does not match the pinned fingerprint",
            Error::CertificateExpired => "the server certificate has expired",
            Error::CertificateNotYetValid => "the server certificate is not valid yet",
            Error::CertificateWrongName => "the server certificate is for another server name",
            Error::CertificateSignatureInvalid => "the server certificate is not signed by the trusted root key",
            Error::CertificateMalformed => "the server certificate is malformed",
            Error::SessionFailed => "the session failed earlier and can no longer be used",
            Error::SessionClosed => "the session is closed",
            Error::PacketAuthFailed => "the packet did not authenticate",
            Error::PacketReplayed => "the packet was already received (replay or duplicate)",
            Error::PacketTooOld => "the packet is older than the anti-replay window",
            Error::PacketMalformed => "the packet is malformed",
            Error::PacketOutOfOrder => "stream mode: the packet arrived out of order or one is missing",
            Error::KeyExhausted => "the packet numbers of this session are used up; start a new session",
            Error::CertificateMissing => "the server sent no certificate but the client requires one",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

impl From<aws_lc_rs::error::Unspecified> for Error {
    fn from(_: aws_lc_rs::error::Unspecified) -> Self {
        Error::Internal
    }
}

/// Shorthand used across the crate.
pub type Result<T> = core::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_nonzero_and_round_trip() {
        let mut seen = HashSet::new();
        for e in Error::ALL {
            assert_ne!(e.code(), 0, "0 is reserved for OK");
            assert!(seen.insert(e.code()), "duplicate code {}", e.code());
            assert_eq!(Error::from_code(e.code()), Some(*e));
            assert!(!e.message().is_empty());
        }
        assert_eq!(Error::from_code(0), None);
        assert_eq!(Error::from_code(9999), None);
    }
}
