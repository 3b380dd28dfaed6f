//! The last failure of a GameCrypt call (per thread), the mapping from gamecrypt's error
//! codes to Godot's `Error`, and `push_error` on misuse.

use gamecrypt::Error as CoreError;
use godot::global::Error as GdError;
use std::cell::RefCell;

/// One failure: the core's code and a readable message that names the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The gamecrypt error (its `code()` is the C result code).
    pub code: CoreError,
    /// "call: what went wrong".
    pub message: String,
}

thread_local! {
    static LAST: RefCell<Option<Failure>> = const { RefCell::new(None) };
}

/// The message of the last failed call on this thread ("" when the last call succeeded).
pub fn last_message() -> String {
    LAST.with(|l| {
        l.borrow()
            .as_ref()
            .map(|f| f.message.clone())
            .unwrap_or_default()
    })
}

/// The gamecrypt result code of the last failed call on this thread (0 when it succeeded).
pub fn last_code() -> u32 {
    LAST.with(|l| l.borrow().as_ref().map(|f| f.code.code()).unwrap_or(0))
}

/// The Godot `Error` of the last call on this thread (`OK` when it succeeded).
pub fn last_godot_error() -> GdError {
    LAST.with(|l| {
        l.borrow()
            .as_ref()
            .map(|f| godot_error_of(f.code))
            .unwrap_or(GdError::OK)
    })
}

/// Errors that mean the caller used the API wrongly (as opposed to bad or forged data):
/// these also go to Godot's error log with `push_error`.
pub fn is_misuse(e: CoreError) -> bool {
    matches!(
        e,
        CoreError::NullArgument
            | CoreError::InvalidArgument
            | CoreError::WrongKeyType
            | CoreError::UnsupportedFormat
            | CoreError::WrongState
            | CoreError::ContextFinished
    )
}

/// Records a failure of `call` and returns the matching Godot error. Misuse is also pushed
/// to Godot's error log.
pub fn fail(call: &str, e: CoreError) -> GdError {
    fail_msg(call, e, e.message())
}

/// Like [`fail`] with a message of the binding's own (for misuse the core cannot see, such
/// as a key object that holds no key yet).
pub fn fail_msg(call: &str, e: CoreError, detail: &str) -> GdError {
    let message = format!("{call}: {detail}");
    if is_misuse(e) && !cfg!(test) {
        godot::global::godot_error!("GameCrypt {message}");
    }
    LAST.with(|l| *l.borrow_mut() = Some(Failure { code: e, message }));
    godot_error_of(e)
}

/// Marks the last call as successful.
pub fn clear() {
    LAST.with(|l| *l.borrow_mut() = None);
}

/// Runs `f` as the call `call`: clears the last error on success, records it on failure.
pub fn run<T>(call: &str, f: impl FnOnce() -> gamecrypt::Result<T>) -> Option<T> {
    match f() {
        Ok(v) => {
            clear();
            Some(v)
        }
        Err(e) => {
            fail(call, e);
            None
        }
    }
}

/// Like [`run`] for calls that return a Godot `Error`.
pub fn run_err(call: &str, f: impl FnOnce() -> gamecrypt::Result<()>) -> GdError {
    match f() {
        Ok(()) => {
            clear();
            GdError::OK
        }
        Err(e) => fail(call, e),
    }
}

/// The Godot `Error` closest to a gamecrypt error.
pub fn godot_error_of(e: CoreError) -> GdError {
    use CoreError as E;
    match e {
        E::NullArgument | E::InvalidArgument | E::InvalidLength | E::WrongKeyType => {
            GdError::ERR_INVALID_PARAMETER
        }
        E::KeyMalformed
        | E::PemMalformed
        | E::BoxMalformed
        | E::CertificateMalformed
        | E::HandshakeMalformed
        | E::PacketMalformed => GdError::ERR_PARSE_ERROR,
        E::SignatureInvalid
        | E::OpenFailed
        | E::MacInvalid
        | E::KeyRejected
        | E::BoxKeyMismatch
        | E::PacketAuthFailed
        | E::PacketReplayed
        | E::PacketTooOld
        | E::PacketOutOfOrder
        | E::HandshakeSignatureInvalid
        | E::DowngradeDetected
        | E::CertificateExpired
        | E::CertificateNotYetValid
        | E::CertificateWrongName
        | E::CertificateSignatureInvalid
        | E::CertificateMissing
        | E::HandshakeMessageDropped
        | E::PublicKeyWeak => GdError::ERR_INVALID_DATA,
        E::PinnedKeyMismatch
        | E::FingerprintMismatch
        | E::ClientAuthRequired
        | E::ClientAuthInvalid
        | E::ClientTokenRequired
        | E::SessionRejected
        | E::RetryCookieInvalid => GdError::ERR_UNAUTHORIZED,
        E::UnsupportedAlgorithm
        | E::UnsupportedFormat
        | E::BoxUnsupported
        | E::UnsupportedVersion
        | E::NoCommonSuite => GdError::ERR_UNAVAILABLE,
        E::WrongState | E::ContextFinished | E::KeyUpdateBlocked | E::ServerNameRequired => {
            GdError::ERR_UNCONFIGURED
        }
        E::SessionFailed
        | E::SessionClosed
        | E::PeerClosed
        | E::KeyExhausted
        | E::IntegrityLimitReached => GdError::ERR_CONNECTION_ERROR,
        E::BufferTooSmall | E::Panic | E::Internal => GdError::ERR_BUG,
        E::RandomFailed => GdError::FAILED,
        _ => GdError::FAILED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_records_and_clears_the_last_failure() {
        assert_eq!(run("t.ok", || Ok(5)), Some(5));
        assert_eq!(last_message(), "");
        assert_eq!(last_code(), 0);
        assert_eq!(last_godot_error(), GdError::OK);

        let r: Option<()> = run("t.verify", || Err(CoreError::SignatureInvalid));
        assert_eq!(r, None);
        assert_eq!(
            last_message(),
            format!("t.verify: {}", CoreError::SignatureInvalid.message())
        );
        assert_eq!(last_code(), CoreError::SignatureInvalid.code());
        assert_eq!(last_godot_error(), GdError::ERR_INVALID_DATA);

        assert_eq!(run_err("t.ok2", || Ok(())), GdError::OK);
        assert_eq!(last_code(), 0);
    }

    #[test]
    fn every_core_error_maps_to_a_godot_error_other_than_ok() {
        for e in CoreError::ALL {
            assert_ne!(godot_error_of(*e), GdError::OK, "{e:?}");
        }
        assert_eq!(
            godot_error_of(CoreError::PemMalformed),
            GdError::ERR_PARSE_ERROR
        );
        assert_eq!(
            godot_error_of(CoreError::FingerprintMismatch),
            GdError::ERR_UNAUTHORIZED
        );
        assert_eq!(
            godot_error_of(CoreError::HandshakeMessageDropped),
            GdError::ERR_INVALID_DATA
        );
    }

    #[test]
    fn forged_data_is_not_misuse_but_wrong_state_is() {
        assert!(!is_misuse(CoreError::OpenFailed));
        assert!(!is_misuse(CoreError::SignatureInvalid));
        assert!(is_misuse(CoreError::WrongState));
        assert!(is_misuse(CoreError::InvalidArgument));
    }
}
