//! C ABI for sessions: create, handshake, seal/open packets, close, key update, client
//! credentials; the packet and handshake constants.
//!
//! Thread rules (also in the header): a session may be used from two threads at once when
//! one only seals (and closes) and the other only opens; every other combination is also
//! memory-safe (all state is locked) but the handshake calls are meant for one thread.
//! Freeing a handle while another thread uses it is never allowed.

use crate::error::{Error, Result};
use crate::ffi::client_config::gamecrypt_client_config;
use crate::ffi::gamecrypt_result;
use crate::ffi::keys::gamecrypt_public_key;
use crate::ffi::server_config::gamecrypt_server_config;
use crate::ffi::{ffi_result, input, input_and_out, out_ptr, panic_boundary, Handle, OutBuf};
use crate::keys::FINGERPRINT_LEN;
use crate::session::{limits, Mode, Session, State, Suite};

/// A cipher suite (one of `GAMECRYPT_SUITE_*`). The value is also the 16-bit wire code.
pub type gamecrypt_suite = u32;
/// ECDH P-256 + ECDSA P-256 + HKDF-SHA256 + AES-256-GCM (the default; identity key ECDSA P-256).
pub const GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256: gamecrypt_suite = 1;
/// X25519 + Ed25519 + HKDF-SHA256 + ChaCha20-Poly1305 (identity key Ed25519).
pub const GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256: gamecrypt_suite = 2;
/// Hybrid X25519 + ML-KEM-768 (post-quantum) + Ed25519 + HKDF-SHA256 + ChaCha20-Poly1305
/// (identity key Ed25519). Offered first by default (docs/PROTOCOL.md section 20).
pub const GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256: gamecrypt_suite = 3;
/// Hybrid X25519 + ML-KEM-768 (post-quantum) + ECDSA P-256 + HKDF-SHA256 + AES-256-GCM
/// (identity key ECDSA P-256). Offered second by default.
pub const GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256: gamecrypt_suite = 4;

/// How the transport delivers packets (one of `GAMECRYPT_SESSION_MODE_*`).
pub type gamecrypt_session_mode = u32;
/// Packets may be lost, reordered or duplicated (UDP...): a replay window drops bad packets
/// without ending the session.
pub const GAMECRYPT_SESSION_MODE_DATAGRAM: gamecrypt_session_mode = 1;
/// Packets arrive once and in order (TCP, WebSocket): any bad packet ends the session.
pub const GAMECRYPT_SESSION_MODE_STREAM: gamecrypt_session_mode = 2;

/// Where a session is (one of `GAMECRYPT_SESSION_STATE_*`).
pub type gamecrypt_session_state = u32;
/// Only returned by gamecrypt_session_get_state() for a NULL session.
pub const GAMECRYPT_SESSION_STATE_INVALID: gamecrypt_session_state = 0;
/// Call gamecrypt_session_write_handshake() and send the message to the peer.
pub const GAMECRYPT_SESSION_STATE_NEED_WRITE: gamecrypt_session_state = 1;
/// Pass the peer's next handshake message to gamecrypt_session_read_handshake().
pub const GAMECRYPT_SESSION_STATE_NEED_READ: gamecrypt_session_state = 2;
/// gamecrypt_session_seal() and gamecrypt_session_open() work.
pub const GAMECRYPT_SESSION_STATE_ESTABLISHED: gamecrypt_session_state = 3;
/// A fatal error happened; every call now returns GAMECRYPT_RESULT_SESSION_FAILED.
pub const GAMECRYPT_SESSION_STATE_FAILED: gamecrypt_session_state = 4;
/// The session was closed; every call now returns GAMECRYPT_RESULT_SESSION_CLOSED.
pub const GAMECRYPT_SESSION_STATE_CLOSED: gamecrypt_session_state = 5;
/// Server with client authentication: the ClientFinished was verified. Read the client's
/// credentials (gamecrypt_session_client_public_key(), gamecrypt_session_client_token()), then
/// call gamecrypt_session_accept() or gamecrypt_session_reject(). Nothing is sealed or opened
/// before the accept.
pub const GAMECRYPT_SESSION_STATE_NEED_ACCEPT: gamecrypt_session_state = 6;

/// Header of a sealed packet: 1 type byte + 56-bit big-endian packet number.
pub const GAMECRYPT_PACKET_HEADER_LEN: usize = 8;
/// Authentication tag at the end of a sealed packet.
pub const GAMECRYPT_PACKET_TAG_LEN: usize = 16;
/// Bytes a sealed packet adds to its plaintext (header + tag).
pub const GAMECRYPT_PACKET_OVERHEAD: usize = 24;
/// Largest plaintext of one packet (16 MiB).
pub const GAMECRYPT_PACKET_MAX_PAYLOAD_LEN: usize = 16777216;
/// First byte of an application data packet.
pub const GAMECRYPT_PACKET_TYPE_DATA: u8 = 0x40;
/// First byte of an authenticated close packet.
pub const GAMECRYPT_PACKET_TYPE_CLOSE: u8 = 0x42;
/// First byte of an application data packet under key phase 1 (odd key generations).
pub const GAMECRYPT_PACKET_TYPE_DATA_PHASE1: u8 = 0x41;
/// First byte of an authenticated close packet under key phase 1 (odd key generations).
pub const GAMECRYPT_PACKET_TYPE_CLOSE_PHASE1: u8 = 0x43;
/// First byte of a ClientHello.
pub const GAMECRYPT_SESSION_MESSAGE_CLIENT_HELLO: u8 = 0x01;
/// First byte of a ServerHello.
pub const GAMECRYPT_SESSION_MESSAGE_SERVER_HELLO: u8 = 0x02;
/// First byte of a ClientFinished.
pub const GAMECRYPT_SESSION_MESSAGE_CLIENT_FINISHED: u8 = 0x03;
/// No handshake message is longer than this: a buffer of this size always suffices for
/// gamecrypt_session_write_handshake().
pub const GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN: usize = 4096;
/// Datagram mode: a packet may arrive this many packet numbers behind the newest one.
pub const GAMECRYPT_SESSION_REPLAY_WINDOW: u64 = 1984;
/// Length of a pinned fingerprint (SHA-256 of the server key's SubjectPublicKeyInfo DER).
pub const GAMECRYPT_SESSION_FINGERPRINT_LEN: usize = 32;

// The C constants are the core's values (they are ABI): checked at compile time.
const _: () = {
    assert!(
        GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256
            == Suite::P256EcdsaAes256GcmSha256.code() as u32
    );
    assert!(
        GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256
            == Suite::X25519Ed25519ChaCha20Poly1305Sha256.code() as u32
    );
    assert!(
        GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256
            == Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256.code() as u32
    );
    assert!(
        GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256
            == Suite::X25519MlKem768EcdsaP256Aes256GcmSha256.code() as u32
    );
    assert!(GAMECRYPT_SESSION_MODE_DATAGRAM == Mode::Datagram.code());
    assert!(GAMECRYPT_SESSION_MODE_STREAM == Mode::Stream.code());
    assert!(GAMECRYPT_SESSION_STATE_NEED_WRITE == State::NeedWrite.code());
    assert!(GAMECRYPT_SESSION_STATE_NEED_READ == State::NeedRead.code());
    assert!(GAMECRYPT_SESSION_STATE_ESTABLISHED == State::Established.code());
    assert!(GAMECRYPT_SESSION_STATE_FAILED == State::Failed.code());
    assert!(GAMECRYPT_SESSION_STATE_CLOSED == State::Closed.code());
    assert!(GAMECRYPT_SESSION_STATE_NEED_ACCEPT == State::NeedAccept.code());
    assert!(GAMECRYPT_PACKET_HEADER_LEN == limits::HEADER_LEN);
    assert!(GAMECRYPT_PACKET_TAG_LEN == limits::TAG_LEN);
    assert!(GAMECRYPT_PACKET_OVERHEAD == limits::PACKET_OVERHEAD);
    assert!(GAMECRYPT_PACKET_MAX_PAYLOAD_LEN == limits::MAX_PAYLOAD_LEN);
    assert!(GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN == limits::MAX_HANDSHAKE_LEN);
    assert!(GAMECRYPT_SESSION_REPLAY_WINDOW == limits::REPLAY_WINDOW);
    assert!(GAMECRYPT_SESSION_FINGERPRINT_LEN == FINGERPRINT_LEN);
    assert!(GAMECRYPT_PACKET_TYPE_DATA == crate::session::transport::TYPE_DATA);
    assert!(GAMECRYPT_PACKET_TYPE_CLOSE == crate::session::transport::TYPE_CLOSE);
    assert!(GAMECRYPT_PACKET_TYPE_DATA_PHASE1 == crate::session::transport::TYPE_DATA | 1);
    assert!(GAMECRYPT_PACKET_TYPE_CLOSE_PHASE1 == crate::session::transport::TYPE_CLOSE | 1);
    assert!(GAMECRYPT_SESSION_MESSAGE_CLIENT_HELLO == crate::session::handshake::MSG_CLIENT_HELLO);
    assert!(GAMECRYPT_SESSION_MESSAGE_SERVER_HELLO == crate::session::handshake::MSG_SERVER_HELLO);
    assert!(
        GAMECRYPT_SESSION_MESSAGE_CLIENT_FINISHED == crate::session::handshake::MSG_CLIENT_FINISHED
    );
};

/// One secure session (client or server side), sans-IO: it never sends or receives by
/// itself; the application carries its bytes. Free with gamecrypt_session_free().
///
/// Handshake: while gamecrypt_session_get_state() is NEED_WRITE, call
/// gamecrypt_session_write_handshake() and send the bytes; when a message arrives and the state
/// is NEED_READ, pass it to gamecrypt_session_read_handshake(). Client: write ClientHello, read
/// ServerHello, write ClientFinished (then ESTABLISHED; send the Finished together with the
/// first data). Server: read ClientHello, write ServerHello, read ClientFinished.
///
/// Demultiplexing received bytes: first byte below 0x40 (gamecrypt_session_is_handshake_message())
/// goes to gamecrypt_session_read_handshake(), anything else to gamecrypt_session_open().
///
/// Thread rules: every call is memory-safe from any thread (all state is locked). Sealing
/// (gamecrypt_session_seal(), gamecrypt_session_close()) and opening (gamecrypt_session_open())
/// use separate locks, so one thread may seal while another opens without waiting on each
/// other. gamecrypt_session_get_state(), gamecrypt_session_suite() and
/// gamecrypt_session_server_public_key() may be called from any thread at any time. The
/// handshake calls are meant for one thread. gamecrypt_session_free() must not run
/// concurrently with any other call on the same session.
#[derive(Debug)]
pub struct gamecrypt_session {
    _private: [u8; 0],
}
impl Handle for gamecrypt_session {
    type Inner = Session;
}

fn suite_from_code(code: gamecrypt_suite) -> Result<Suite> {
    u16::try_from(code)
        .ok()
        .and_then(Suite::from_code)
        .ok_or(Error::InvalidArgument)
}

/// # Safety
/// A non-NULL `ptr` points at `count` readable values.
pub(crate) unsafe fn suites_input(ptr: *const gamecrypt_suite, count: usize) -> Result<Vec<Suite>> {
    if count == 0 {
        return Err(Error::InvalidArgument);
    }
    if ptr.is_null() {
        return Err(Error::NullArgument);
    }
    if count > 64 {
        // More entries than suites exist: some repeat or are unknown, as the header says.
        return Err(Error::InvalidArgument);
    }
    // SAFETY: non-NULL, count checked, validity by the caller's contract.
    let codes = unsafe { std::slice::from_raw_parts(ptr, count) };
    codes.iter().map(|&c| suite_from_code(c)).collect()
}

/// Creates a client session (state NEED_WRITE: its ClientHello with fresh ephemeral keys is
/// ready). The session keeps its own reference to the configuration.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown mode), RANDOM_FAILED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_new_client(
    config: *const gamecrypt_client_config,
    mode: gamecrypt_session_mode,
    out: *mut *mut gamecrypt_session,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let config = unsafe { gamecrypt_client_config::try_ref(config) }?;
        let mode = Mode::from_code(mode)?;
        *out = gamecrypt_session::into_raw(Session::new_client(config.clone(), mode)?);
        Ok(())
    })
}

/// Creates a server session (state NEED_READ: waiting for a ClientHello). The session keeps
/// its own reference to the configuration.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown mode).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_new_server(
    config: *const gamecrypt_server_config,
    mode: gamecrypt_session_mode,
    out: *mut *mut gamecrypt_session,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let config = unsafe { gamecrypt_server_config::try_ref(config) }?;
        let mode = Mode::from_code(mode)?;
        *out = gamecrypt_session::into_raw(Session::new_server(config.clone(), mode));
        Ok(())
    })
}

/// Frees a session and erases its keys. NULL is ignored. No other call on this session may
/// be running or follow.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_free(session: *mut gamecrypt_session) {
    panic_boundary((), || {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_session::free(session) }
    })
}

/// The session's state (`GAMECRYPT_SESSION_STATE_*`); GAMECRYPT_SESSION_STATE_INVALID for
/// NULL. Safe to call from any thread at any time.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_get_state(
    session: *const gamecrypt_session,
) -> gamecrypt_session_state {
    panic_boundary(GAMECRYPT_SESSION_STATE_INVALID, || {
        // SAFETY: by the caller's contract.
        match unsafe { gamecrypt_session::try_ref(session) } {
            Ok(s) => s.state().code(),
            Err(_) => GAMECRYPT_SESSION_STATE_INVALID,
        }
    })
}

/// Writes the next handshake message (at most GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN bytes) to
/// send to the peer. Only in state NEED_WRITE. In datagram mode keep a copy: you resend it
/// if the peer's answer does not come (see docs/PROTOCOL.md, "Retransmission").
///
/// Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in *out_len; nothing changes),
/// WRONG_STATE (nothing to write now), SESSION_FAILED, SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_write_handshake(
    session: *const gamecrypt_session,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        let needed = s.pending_handshake_len()?;
        out.write_with(needed, |buf| s.write_handshake(buf))
    })
}

/// Processes a handshake message from the peer (a message whose first byte is below 0x40;
/// see gamecrypt_session_is_handshake_message()). Only in state NEED_READ.
///
/// Returns OK; NULL_ARGUMENT, WRONG_STATE (not waiting for a message: e.g. a late duplicate,
/// ignore it), PACKET_REPLAYED (server only: a copy of the ClientHello already answered,
/// resend your ServerHello), HANDSHAKE_MESSAGE_DROPPED (datagram mode, while waiting for the
/// ServerHello or the ClientFinished: the message failed its checks and was ignored, keep
/// waiting; the 8th such message is fatal with its own code, docs/PROTOCOL.md section 12.1):
/// these change nothing. Fatal (state becomes FAILED; in datagram mode for the
/// ServerHello/Retry/ClientFinished checks only from the 8th failed message on):
/// HANDSHAKE_MALFORMED, UNSUPPORTED_VERSION, NO_COMMON_SUITE, DOWNGRADE_DETECTED,
/// HANDSHAKE_SIGNATURE_INVALID, PINNED_KEY_MISMATCH, FINGERPRINT_MISMATCH,
/// CERTIFICATE_EXPIRED, CERTIFICATE_NOT_YET_VALID, CERTIFICATE_WRONG_NAME,
/// CERTIFICATE_SIGNATURE_INVALID, CERTIFICATE_MALFORMED, CERTIFICATE_MISSING,
/// PUBLIC_KEY_WEAK (a small-order Ed25519 key of the server or the client),
/// PACKET_AUTH_FAILED (bad ClientFinished), and with client authentication or retry
/// (docs/PROTOCOL.md sections 21, 22): CLIENT_AUTH_REQUIRED, CLIENT_TOKEN_REQUIRED,
/// CLIENT_AUTH_INVALID, RETRY_COOKIE_INVALID. Afterwards: SESSION_FAILED, SESSION_CLOSED.
/// A client that reads a Retry (first byte 0x04) goes back to NEED_WRITE: write and send its
/// new ClientHello; a second Retry in the same session is WRONG_STATE (ignore it). A server
/// with client authentication goes to NEED_ACCEPT after the ClientFinished.
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn gamecrypt_session_read_handshake(
    session: *const gamecrypt_session,
    message: *const u8,
    message_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        // SAFETY: by the caller's contract.
        let msg = unsafe { input(message, message_len) }?;
        s.read_handshake(msg)
    })
}

/// Seals `plaintext` into a packet of `plaintext_len + GAMECRYPT_PACKET_OVERHEAD` bytes.
/// Only in state ESTABLISHED. No allocation. May run concurrently with
/// gamecrypt_session_open() on the same session.
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH (plaintext above
/// GAMECRYPT_PACKET_MAX_PAYLOAD_LEN), BUFFER_TOO_SMALL (needed length in *out_len),
/// WRONG_STATE, KEY_EXHAUSTED (2^56 packets sent: start a new session), KEY_UPDATE_BLOCKED
/// (the key reached its usage limit and the automatic key update waits for a packet from the
/// peer: nothing was sealed, not fatal), SESSION_FAILED, SESSION_CLOSED. `out` must not
/// overlap `plaintext`. Near the usage limit this call starts a key update itself (then it
/// may allocate once).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_seal(
    session: *const gamecrypt_session,
    plaintext: *const u8,
    plaintext_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        // SAFETY: by the caller's contract.
        let (pt, out) = unsafe { input_and_out(plaintext, plaintext_len, out, out_cap, out_len) }?;
        out.fill(
            || pt.len() + GAMECRYPT_PACKET_OVERHEAD,
            |buf| s.seal(pt, buf),
        )
    })
}

/// Seals in place, for engines that build packets in their send buffer: the plaintext is
/// already in `buf` at offset GAMECRYPT_PACKET_HEADER_LEN (`payload_len` bytes); the header is
/// written in front of it, the payload is encrypted where it is and the tag written after
/// it. `buf_cap` must be at least `payload_len + GAMECRYPT_PACKET_OVERHEAD`; the packet is
/// the first `*out_len` bytes of `buf`. Saves the plaintext copy of gamecrypt_session_seal().
/// Only in state ESTABLISHED. No allocation. May run concurrently with
/// gamecrypt_session_open() on the same session.
///
/// Returns the same codes as gamecrypt_session_seal(), checked in the same order; on any
/// error `buf` is unchanged (BUFFER_TOO_SMALL: needed length in *out_len; `buf` may be NULL
/// with `buf_cap` 0 to ask for it).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn gamecrypt_session_seal_in_place(
    session: *const gamecrypt_session,
    buf: *mut u8,
    buf_cap: usize,
    payload_len: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(buf, buf_cap, out_len, &[]) }?;
        out.fill(
            || payload_len.saturating_add(GAMECRYPT_PACKET_OVERHEAD),
            |buf| s.seal_in_place(buf, payload_len),
        )
    })
}

/// Opens a packet (first byte 0x40 or above) into `out`, which needs
/// `packet_len - GAMECRYPT_PACKET_OVERHEAD` bytes. Only in state ESTABLISHED. No allocation,
/// except once per key generation: the first packet with the other key phase (a key update
/// by the peer, or a forgery) derives the next receive keys, which are then kept.
/// May run concurrently with gamecrypt_session_seal() on the same session.
///
/// Returns OK; NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in *out_len), WRONG_STATE:
/// nothing changes. PACKET_MALFORMED, PACKET_TOO_OLD, PACKET_REPLAYED, PACKET_AUTH_FAILED:
/// drop the packet; in datagram mode the session goes on, in stream mode they (and
/// PACKET_OUT_OF_ORDER) are fatal. INTEGRITY_LIMIT_REACHED: too many forged packets, the
/// session failed. PEER_CLOSED: this packet was the peer's authenticated close (the session
/// is now CLOSED). SESSION_CLOSED: closed before. SESSION_FAILED. On any error `out` holds
/// no plaintext. `out` must not overlap `packet`. A packet under the peer's new key phase
/// moves this session to the new key generation (see gamecrypt_session_update_keys()).
#[no_mangle]
#[must_use]
pub unsafe extern "C" fn gamecrypt_session_open(
    session: *const gamecrypt_session,
    packet: *const u8,
    packet_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        // SAFETY: by the caller's contract.
        let (pkt, out) = unsafe { input_and_out(packet, packet_len, out, out_cap, out_len) }?;
        out.fill(
            || pkt.len().saturating_sub(GAMECRYPT_PACKET_OVERHEAD),
            |buf| s.open(pkt, buf),
        )
    })
}

/// Closes the session and erases its keys. When ESTABLISHED, writes an authenticated close
/// packet (GAMECRYPT_PACKET_OVERHEAD bytes) to send to the peer; during the handshake writes
/// nothing (*out_len = 0; `out` may then be NULL with `out_cap` 0). Afterwards every call
/// returns SESSION_CLOSED. Counts as a sealing call for the thread rules.
///
/// Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (nothing changes), SESSION_FAILED,
/// SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_close(
    session: *const gamecrypt_session,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        let needed = match s.state() {
            State::Established => GAMECRYPT_PACKET_OVERHEAD,
            _ => 0,
        };
        out.write_with(needed, |buf| s.close(buf))
    })
}

/// The negotiated suite (`GAMECRYPT_SUITE_*`): known to the client after it read the
/// ServerHello and to the server after it read the ClientHello.
///
/// Returns OK, NULL_ARGUMENT, WRONG_STATE (not negotiated yet), SESSION_FAILED,
/// SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_suite(
    session: *const gamecrypt_session,
    out_suite: *mut gamecrypt_suite,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_suite) }?;
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        *out = u32::from(s.suite()?.code());
        Ok(())
    })
}

/// The server's identity public key, as a new public key handle in `*out_key` (the caller
/// frees it with gamecrypt_public_key_free()). For the client it is the key that the trust
/// check accepted. Available when gamecrypt_session_suite() is.
///
/// Returns OK, NULL_ARGUMENT, WRONG_STATE, SESSION_FAILED, SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_server_public_key(
    session: *const gamecrypt_session,
    out_key: *mut *mut gamecrypt_public_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_key) }?;
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        let key = s.server_public_key()?;
        *out = gamecrypt_public_key::into_raw(key.clone());
        Ok(())
    })
}

/// True when `data` starts like a handshake message (first byte 0x01..0x3F), which goes to
/// gamecrypt_session_read_handshake(); false for sealed packets (first byte 0x40 and above,
/// for gamecrypt_session_open()), empty input or NULL.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_is_handshake_message(
    data: *const u8,
    data_len: usize,
) -> bool {
    panic_boundary(false, || {
        // SAFETY: by the caller's contract.
        match unsafe { input(data, data_len) } {
            Ok([first, ..]) => (1..0x40).contains(first),
            _ => false,
        }
    })
}

/// GAMECRYPT_PACKET_OVERHEAD as a function.
#[no_mangle]
pub extern "C" fn gamecrypt_packet_overhead() -> usize {
    GAMECRYPT_PACKET_OVERHEAD
}

/// GAMECRYPT_PACKET_MAX_PAYLOAD_LEN as a function.
#[no_mangle]
pub extern "C" fn gamecrypt_packet_max_payload_len() -> usize {
    GAMECRYPT_PACKET_MAX_PAYLOAD_LEN
}

/// GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN as a function.
#[no_mangle]
pub extern "C" fn gamecrypt_session_max_handshake_len() -> usize {
    GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN
}

/// GAMECRYPT_SESSION_FINGERPRINT_LEN as a function.
#[no_mangle]
pub extern "C" fn gamecrypt_session_fingerprint_len() -> usize {
    GAMECRYPT_SESSION_FINGERPRINT_LEN
}

/// Starts a key update (docs/PROTOCOL.md section 17): both directions move to the next key
/// generation without a new handshake; the next sealed packet carries the new key phase and
/// the peer follows when it opens it. Packets of the previous generation still in flight
/// are accepted for a while. Either side may call this at any time when ESTABLISHED; the
/// library also updates automatically before the AEAD usage limit. Counts as a sealing and
/// an opening call for the thread rules (it takes both locks briefly). May allocate.
///
/// Returns OK, NULL_ARGUMENT, WRONG_STATE (not established), KEY_UPDATE_BLOCKED (no packet
/// from the peer was opened under the current generation yet, e.g. the previous update is
/// not confirmed: nothing changes, try again after opening one), SESSION_FAILED,
/// SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_update_keys(
    session: *const gamecrypt_session,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        s.update_keys()
    })
}

/// Writes the current key generation to `*out_generation`: 0 after the handshake, one more
/// after each key update (started by either side). The key phase bit of sealed packets
/// (bit 0 of the first byte) is `generation & 1`. Safe from any thread.
///
/// Returns OK, NULL_ARGUMENT, WRONG_STATE (not established), SESSION_FAILED,
/// SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_key_generation(
    session: *const gamecrypt_session,
    out_generation: *mut u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_generation) }?;
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        *out = s.key_generation()?;
        Ok(())
    })
}

/// Creates a server session for the client at `client_address` (the bytes given to
/// gamecrypt_server_config_check_client_hello(); 1..=GAMECRYPT_CLIENT_ADDRESS_MAX_LEN). With
/// retry on, the session answers only a ClientHello with a valid cookie for this address
/// (else its read fails with RETRY_COOKIE_INVALID); without retry it is the same as
/// gamecrypt_session_new_server(). The session keeps its own reference to the configuration.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (unknown mode), INVALID_LENGTH (address).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_new_server_for_address(
    config: *const gamecrypt_server_config,
    mode: gamecrypt_session_mode,
    client_address: *const u8,
    client_address_len: usize,
    out: *mut *mut gamecrypt_session,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let config = unsafe { gamecrypt_server_config::try_ref(config) }?;
        // SAFETY: by the caller's contract.
        let addr = unsafe { input(client_address, client_address_len) }?;
        let mode = Mode::from_code(mode)?;
        let session = Session::new_server_for_address(config.clone(), mode, addr)?;
        *out = gamecrypt_session::into_raw(session);
        Ok(())
    })
}

/// Server with client authentication, in state NEED_ACCEPT or later: the client's public key,
/// proven by its signature over the handshake transcript, as a new public key handle in
/// `*out_key` (free it with gamecrypt_public_key_free()); compare e.g.
/// gamecrypt_public_key_fingerprint() with your account database. When the client sent no
/// signature (optional mode) the call succeeds and writes NULL.
///
/// Returns OK, NULL_ARGUMENT, WRONG_STATE (earlier, a client session, or no client
/// authentication configured), SESSION_FAILED, SESSION_REJECTED, SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_client_public_key(
    session: *const gamecrypt_session,
    out_key: *mut *mut gamecrypt_public_key,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_key) }?;
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        *out = match s.client_public_key()? {
            Some(key) => gamecrypt_public_key::into_raw(key),
            None => std::ptr::null_mut(),
        };
        Ok(())
    })
}

/// Server with client authentication, in state NEED_ACCEPT or later: copies the client's
/// token exactly as sent (at most GAMECRYPT_CLIENT_TOKEN_MAX_LEN bytes) to `out`. When the
/// client sent no token, succeeds with `*out_len` = 0.
///
/// Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in *out_len), WRONG_STATE,
/// SESSION_FAILED, SESSION_REJECTED, SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_client_token(
    session: *const gamecrypt_session,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        match s.client_token()? {
            Some(t) => out.write(&t),
            None => out.write(&[]),
        }
    })
}

/// Server with client authentication, from NEED_ACCEPT on: erases the client's public key and
/// token held by the session (read them first with gamecrypt_session_client_public_key() and
/// gamecrypt_session_client_token()), so that an established session costs no more memory
/// than one without client authentication. Afterwards those two calls and this one return
/// WRONG_STATE.
///
/// Returns OK, NULL_ARGUMENT, WRONG_STATE (not a server with client authentication, before
/// NEED_ACCEPT, or already released), SESSION_FAILED, SESSION_REJECTED, SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_release_client_credentials(
    session: *const gamecrypt_session,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        s.take_client_credentials()?;
        Ok(())
    })
}

/// Server in state NEED_ACCEPT: accepts the client; the session becomes ESTABLISHED and data
/// flows (open the client's data packets that arrived meanwhile now, or drop them).
///
/// Returns OK, NULL_ARGUMENT, WRONG_STATE (not in NEED_ACCEPT; nothing changes),
/// SESSION_FAILED, SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_accept(
    session: *const gamecrypt_session,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        s.accept()
    })
}

/// Server in state NEED_ACCEPT: rejects the client. Writes an authenticated close packet
/// (GAMECRYPT_PACKET_OVERHEAD bytes) to `out`; send it so that the client stops at once (its
/// gamecrypt_session_open() returns PEER_CLOSED), or do not, and the client only sees
/// silence. The session then fails for good, its keys are erased, and every later call
/// returns SESSION_REJECTED.
///
/// Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (needed length in *out_len; nothing changes),
/// WRONG_STATE (not in NEED_ACCEPT; nothing changes), SESSION_FAILED, SESSION_REJECTED,
/// SESSION_CLOSED.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_session_reject(
    session: *const gamecrypt_session,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let s = unsafe { gamecrypt_session::try_ref(session) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        let needed = match s.state() {
            State::NeedAccept => GAMECRYPT_PACKET_OVERHEAD,
            _ => 0,
        };
        out.write_with(needed, |buf| s.reject(buf))
    })
}
