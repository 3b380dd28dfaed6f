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
//! | 500-549 | connection endpoint (docs/ENDPOINT.md) |

use core::fmt;

/// The table of every error code, the one place where a code is defined: each line is
/// `Name = code => "message",` with its doc comment. From it come the Rust [`Error`] enum and
/// its messages (below), the C enum `gamecrypt_result` with its conversion and compile-time
/// value checks (`src/ffi/result.rs`), and the C header's enum (`build.rs` reads this table).
/// Adding a code is adding one entry here. `$callback` is a macro that receives the entries.
macro_rules! error_table {
    ($callback:ident) => {
        $callback! {
            // ---- 1-99: arguments, buffers, internal ----
            /// A required pointer was NULL (a NULL buffer is only allowed with length 0).
            NullArgument = 1 => "a required pointer argument was NULL",
            /// An argument has a value that is never valid (an unknown enum value, a zero count...).
            InvalidArgument = 2 => "an argument has an invalid value",
            /// The output buffer is too small; the needed length was reported.
            BufferTooSmall = 3 => "the output buffer is too small (the needed length was written to out_len)",
            /// A bug inside gamecrypt was caught at the C boundary. Please report it.
            Panic = 4 => "internal bug caught at the C boundary (please report it)",
            /// The underlying crypto library failed unexpectedly.
            Internal = 5 => "the crypto library failed unexpectedly",
            /// The algorithm is not supported for this operation.
            UnsupportedAlgorithm = 6 => "the algorithm is not supported for this operation",
            /// The operating system's random number generator failed.
            RandomFailed = 7 => "the system random number generator failed",
            /// A length is outside what the operation accepts.
            InvalidLength = 8 => "a length is outside the range this operation accepts",
            // ---- 100-199: keys, signatures, encodings ----
            /// The key bytes could not be parsed (bad DER, bad point, wrong length).
            KeyMalformed = 100 => "the key could not be parsed (bad DER, bad point or wrong length)",
            /// The text is not valid PEM, or has no block with a label this call accepts.
            PemMalformed = 101 => "the text is not valid PEM or has no block with an accepted label",
            /// The key is of another type than the operation needs.
            WrongKeyType = 102 => "the key is of the wrong type for this operation",
            /// The signature does not verify with this key and message.
            SignatureInvalid = 103 => "the signature does not verify",
            /// The key parsed but is unacceptable (too small, inconsistent, encrypted PEM...).
            KeyRejected = 104 => "the key is not acceptable (too small, inconsistent or encrypted)",
            /// This key type cannot be written in the requested format.
            UnsupportedFormat = 105 => "this key type cannot be written in the requested format",
            /// A weak Ed25519 public key: one of the 8 points of small order, or a
            /// non-canonical encoding (docs/PROTOCOL.md section 3). Signatures can be forged
            /// for such a key, so it is refused wherever a public key enters.
            PublicKeyWeak = 106 => "the Ed25519 public key is weak (a point of small order or a non-canonical encoding)",
            /// The message begins with a signature context reserved for the gamecrypt protocol
            /// (ServerHello, client authentication or certificate signatures): the generic sign
            /// refuses it, so that an identity key can never be made to sign a handshake.
            SignContextReserved = 107 => "the message begins with a signature context reserved for the gamecrypt protocol",
            // ---- 200-299: primitives, AEAD, sealed boxes ----
            /// The sealed data did not authenticate: wrong key or password, wrong associated data, or tampered data.
            OpenFailed = 200 => "the data did not authenticate: wrong key or password, wrong associated data, or tampered data",
            /// The sealed box is truncated or its header is not a gamecrypt box header.
            BoxMalformed = 201 => "the sealed box is truncated or is not a gamecrypt box",
            /// The sealed box was made by a newer format version or with an unknown algorithm.
            BoxUnsupported = 202 => "the sealed box uses an unknown version or algorithm",
            /// The streaming context was already finished and cannot be used again.
            ContextFinished = 203 => "the streaming context was already finished",
            /// The MAC (HMAC tag) does not match the key and data.
            MacInvalid = 204 => "the MAC does not match the key and data",
            /// The sealed box was made for another kind of key: another AEAD algorithm (a
            /// ChaCha20-Poly1305 box given to an AES-256-GCM key, or the reverse), or a password box
            /// given to a key (or the reverse).
            BoxKeyMismatch = 205 => "the sealed box was made for another algorithm or kind of key (key or password)",
            // ---- 300-399: secure session ----
            /// This call is not allowed in the session's current state (a step out of order).
            WrongState = 300 => "this call is not allowed in the session's current state",
            /// A handshake message is malformed (bad length, bad field, unknown type).
            HandshakeMalformed = 301 => "a handshake message is malformed",
            /// The peer speaks a protocol version we do not support.
            UnsupportedVersion = 302 => "the peer uses an unsupported protocol version",
            /// Client and server have no cipher suite in common.
            NoCommonSuite = 303 => "client and server have no cipher suite in common",
            /// The server chose a suite that the client did not offer, or a downgrade was detected.
            DowngradeDetected = 304 => "the handshake was downgraded or the server chose a suite that was not offered",
            /// The server's handshake signature does not verify.
            HandshakeSignatureInvalid = 305 => "the server's handshake signature does not verify",
            /// The server's key does not match the pinned public key.
            PinnedKeyMismatch = 306 => "the server's key does not match the pinned public key",
            /// The server's key does not match the pinned fingerprint.
            FingerprintMismatch = 307 => "the server's key does not match the pinned fingerprint",
            /// The server certificate has expired.
            CertificateExpired = 308 => "the server certificate has expired",
            /// The server certificate is not valid yet.
            CertificateNotYetValid = 309 => "the server certificate is not valid yet",
            /// The server certificate names another server.
            CertificateWrongName = 310 => "the server certificate is for another server name",
            /// The server certificate is not signed by the trusted root key.
            CertificateSignatureInvalid = 311 => "the server certificate is not signed by the trusted root key",
            /// The server certificate is malformed.
            CertificateMalformed = 312 => "the server certificate is malformed",
            /// The session failed earlier and can no longer be used.
            SessionFailed = 313 => "the session failed earlier and can no longer be used",
            /// The session was closed and can no longer be used.
            SessionClosed = 314 => "the session is closed",
            /// A packet did not authenticate (forged, corrupted, or sealed with other keys).
            PacketAuthFailed = 320 => "the packet did not authenticate",
            /// A packet with this number was already opened (replay or duplicate).
            PacketReplayed = 321 => "the packet was already received (replay or duplicate)",
            /// A packet is older than the anti-replay window.
            PacketTooOld = 322 => "the packet is older than the anti-replay window",
            /// A packet is malformed (too short, bad header).
            PacketMalformed = 323 => "the packet is malformed",
            /// In stream mode a packet arrived out of order or a packet is missing.
            PacketOutOfOrder = 324 => "stream mode: the packet arrived out of order or one is missing",
            /// The packet-number space of this key is used up; a new session is needed.
            KeyExhausted = 325 => "the packet numbers of this session are used up; start a new session",
            /// The server certificate is required by the trust settings but the server sent none.
            CertificateMissing = 326 => "the server sent no certificate but the client requires one",
            /// Datagram mode: a handshake message failed its checks (it may be spoofed) and was
            /// dropped; nothing changed and the session still waits for the real message. The
            /// 8th such message ends the session with its own error (docs/PROTOCOL.md section 12.1).
            HandshakeMessageDropped = 327 => "datagram mode: a handshake message failed its checks and was dropped; the session still waits",
            /// A client configuration that trusts a root key needs the expected server name
            /// (or the explicit dangerous_accept_any_server_name).
            ServerNameRequired = 328 => "root trust needs the expected server name (set_server_name, or the dangerous accept-any-name call)",
            // ---- 400-449: session hardening (key update, usage limits, close) ----
            /// A key update is not allowed yet: no packet from the peer has authenticated under the
            /// current keys (a previous update is not confirmed). Also returned by seal when the
            /// current key reached its usage limit and cannot be updated yet. Nothing changed; try
            /// again after a packet from the peer was opened.
            KeyUpdateBlocked = 400 => "a key update is not possible yet: wait until a packet from the peer has been opened",
            /// Too many received packets failed to authenticate (AEAD integrity limit); the session
            /// was ended.
            IntegrityLimitReached = 401 => "too many packets failed to authenticate; the session was ended",
            /// The peer closed the session with an authenticated close packet.
            PeerClosed = 402 => "the peer closed the session",
            // ---- 450-499: session hardening: client authentication and retry cookies ----
            /// The server requires a client signature (client authentication) and none was given.
            ClientAuthRequired = 450 => "the server requires client authentication (a client signing key) and none was given",
            /// The client's authentication (its public key or its signature) is invalid.
            ClientAuthInvalid = 451 => "the client's public key or signature is invalid",
            /// The server requires a client token (login ticket) and none was given.
            ClientTokenRequired = 452 => "the server requires a client token and none was given",
            /// The server application rejected the session after reading the client's credentials.
            SessionRejected = 453 => "the server application rejected the session",
            /// The ClientHello carries no valid retry cookie for this client address.
            RetryCookieInvalid = 454 => "the ClientHello carries no valid retry cookie for this client address",
            // ---- 500-549: connection endpoint (docs/ENDPOINT.md) ----
            /// The peer id is not a peer of this endpoint: it never was, or the peer ended.
            UnknownPeer = 500 => "the peer id is not a peer of this endpoint (never was, or the peer ended)",
            /// The time passed is earlier than the time of an earlier call; nothing changed.
            TimeWentBackwards = 501 => "the time passed is earlier than in an earlier call on this endpoint",
            /// The peer is not connected yet (handshake in progress or waiting for accept).
            PeerNotConnected = 502 => "the peer is not connected yet",
            /// A queue of the endpoint is full: take its datagrams or events first.
            QueueFull = 503 => "the endpoint's queue is full: take its datagrams (poll_transmit) or events (poll_event) first",
            /// The endpoint holds as many peers as its settings allow.
            PeerLimit = 504 => "the endpoint holds as many peers as its settings allow",
            /// A client call on a server endpoint or the reverse.
            WrongRole = 505 => "this call is for the other kind of endpoint (client or server)",
            /// The endpoint already has a peer with this address.
            AddressInUse = 506 => "the endpoint already has a peer with this address",
            /// Nothing authenticated arrived from the connected peer within the idle timeout.
            IdleTimeout = 507 => "nothing arrived from the peer within the idle timeout",
            /// The handshake did not complete within the handshake timeout.
            HandshakeTimeout = 508 => "the handshake did not complete within the handshake timeout",
        }
    };
}
pub(crate) use error_table;

/// Defines [`Error`] from the entries of [`error_table`].
macro_rules! define_error {
    ($($(#[doc = $doc:literal])* $name:ident = $code:literal => $message:literal,)*) => {
        /// Everything that can go wrong in gamecrypt.
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Error {
            $($(#[doc = $doc])* $name = $code,)*
        }

        impl Error {
            /// Every variant, for tests and for the C message table.
            pub const ALL: &'static [Error] = &[$(Error::$name,)*];

            /// A short, static, human-readable message.
            pub const fn message(self) -> &'static str {
                match self {
                    $(Error::$name => $message,)*
                }
            }
        }
    };
}
error_table!(define_error);

impl Error {
    /// The stable numeric code (the value in the C enum).
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The variant with this code, if any.
    pub fn from_code(code: u32) -> Option<Error> {
        Error::ALL.iter().copied().find(|e| e.code() == code)
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
