//! C ABI for the connection endpoint (docs/ENDPOINT.md): endpoint settings and endpoints.
//!
//! Thread rules (also in the header): an endpoint is used by one thread at a time (every
//! call takes it mutably); different endpoints are independent. Configurations given to
//! `gamecrypt_endpoint_new_*` are copied (endpoint settings) or shared (session
//! configurations), so they may be freed right after.

use crate::endpoint::{
    CloseReason, Datagram, Endpoint, EndpointConfig, EndpointStats, Event, PeerId, PeerState,
};
use crate::error::{Error, Result};
use crate::ffi::client_config::gamecrypt_client_config;
use crate::ffi::gamecrypt_result;
use crate::ffi::keys::GAMECRYPT_FINGERPRINT_LEN;
use crate::ffi::server_config::gamecrypt_server_config;
use crate::ffi::session::gamecrypt_suite;
use crate::ffi::{ffi_result, input, out_ptr, panic_boundary, Handle, OutBuf};

/// A peer of an endpoint: never 0; never reused by the same endpoint.
pub type gamecrypt_peer_id = u64;

/// `gamecrypt_endpoint_next_deadline()` when no timer runs.
pub const GAMECRYPT_ENDPOINT_NO_DEADLINE: u64 = u64::MAX;
/// Longest peer address (the same limit as the retry check's client address).
pub const GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN: usize = 128;

/// What an event reports (one of `GAMECRYPT_ENDPOINT_EVENT_*`).
pub type gamecrypt_endpoint_event_kind = u32;
/// No event is waiting.
pub const GAMECRYPT_ENDPOINT_EVENT_NONE: gamecrypt_endpoint_event_kind = 0;
/// The peer is connected; `suite` and the fingerprint are set. Client: the server answered.
/// Server: the handshake completed (and, with client authentication, it was accepted).
pub const GAMECRYPT_ENDPOINT_EVENT_CONNECTED: gamecrypt_endpoint_event_kind = 1;
/// An application message from the peer, copied into the caller's data buffer (`data_len`).
pub const GAMECRYPT_ENDPOINT_EVENT_DATA: gamecrypt_endpoint_event_kind = 2;
/// Server with client authentication: read the client's fingerprint and token, then call
/// gamecrypt_endpoint_accept() or gamecrypt_endpoint_reject().
pub const GAMECRYPT_ENDPOINT_EVENT_CLIENT_CREDENTIALS: gamecrypt_endpoint_event_kind = 3;
/// The peer ended (`close_reason`, `code`); its id is no longer valid.
pub const GAMECRYPT_ENDPOINT_EVENT_CLOSED: gamecrypt_endpoint_event_kind = 4;

/// Why a peer ended (one of `GAMECRYPT_ENDPOINT_CLOSE_*`; 0 in other events).
pub type gamecrypt_endpoint_close_reason = u32;
/// The peer sent an authenticated close packet.
pub const GAMECRYPT_ENDPOINT_CLOSE_PEER_CLOSED: gamecrypt_endpoint_close_reason = 1;
/// Nothing authenticated arrived from the connected peer within the idle timeout.
pub const GAMECRYPT_ENDPOINT_CLOSE_IDLE_TIMEOUT: gamecrypt_endpoint_close_reason = 2;
/// The handshake did not complete within the handshake timeout.
pub const GAMECRYPT_ENDPOINT_CLOSE_HANDSHAKE_TIMEOUT: gamecrypt_endpoint_close_reason = 3;
/// Client: the server rejected this client. Server: the application rejected the client.
pub const GAMECRYPT_ENDPOINT_CLOSE_REJECTED: gamecrypt_endpoint_close_reason = 4;
/// The session failed; `code` says why.
pub const GAMECRYPT_ENDPOINT_CLOSE_FAILED: gamecrypt_endpoint_close_reason = 5;
/// The application called gamecrypt_endpoint_close().
pub const GAMECRYPT_ENDPOINT_CLOSE_LOCAL: gamecrypt_endpoint_close_reason = 6;
/// Server: the client at this peer's address connected again (a new handshake from the same
/// address completed, e.g. after the game restarted); the new peer's CONNECTED follows.
pub const GAMECRYPT_ENDPOINT_CLOSE_REPLACED: gamecrypt_endpoint_close_reason = 7;

/// Where a peer is (one of `GAMECRYPT_ENDPOINT_PEER_*`).
pub type gamecrypt_endpoint_peer_state = u32;
/// Handshake in progress.
pub const GAMECRYPT_ENDPOINT_PEER_HANDSHAKE: gamecrypt_endpoint_peer_state = 1;
/// Server with client authentication: waiting for accept or reject.
pub const GAMECRYPT_ENDPOINT_PEER_AWAITING_ACCEPT: gamecrypt_endpoint_peer_state = 2;
/// Connected: gamecrypt_endpoint_send() works.
pub const GAMECRYPT_ENDPOINT_PEER_CONNECTED: gamecrypt_endpoint_peer_state = 3;

const _: () = {
    assert!(CloseReason::PeerClosed.code() == GAMECRYPT_ENDPOINT_CLOSE_PEER_CLOSED);
    assert!(CloseReason::IdleTimeout.code() == GAMECRYPT_ENDPOINT_CLOSE_IDLE_TIMEOUT);
    assert!(CloseReason::HandshakeTimeout.code() == GAMECRYPT_ENDPOINT_CLOSE_HANDSHAKE_TIMEOUT);
    assert!(CloseReason::Rejected.code() == GAMECRYPT_ENDPOINT_CLOSE_REJECTED);
    assert!(CloseReason::Failed.code() == GAMECRYPT_ENDPOINT_CLOSE_FAILED);
    assert!(CloseReason::Local.code() == GAMECRYPT_ENDPOINT_CLOSE_LOCAL);
    assert!(CloseReason::Replaced.code() == GAMECRYPT_ENDPOINT_CLOSE_REPLACED);
    assert!(PeerState::Handshake.code() == GAMECRYPT_ENDPOINT_PEER_HANDSHAKE);
    assert!(PeerState::AwaitingAccept.code() == GAMECRYPT_ENDPOINT_PEER_AWAITING_ACCEPT);
    assert!(PeerState::Connected.code() == GAMECRYPT_ENDPOINT_PEER_CONNECTED);
    assert!(crate::session::limits::CLIENT_ADDRESS_MAX_LEN == GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN);
};

/// One event, filled by gamecrypt_endpoint_poll_event(). Fields that do not apply to the
/// event's kind are 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct gamecrypt_endpoint_event {
    /// `GAMECRYPT_ENDPOINT_EVENT_*`; NONE when no event was waiting.
    pub kind: gamecrypt_endpoint_event_kind,
    /// CLOSED: `GAMECRYPT_ENDPOINT_CLOSE_*`.
    pub close_reason: gamecrypt_endpoint_close_reason,
    /// The peer the event is about.
    pub peer: gamecrypt_peer_id,
    /// CONNECTED: the negotiated suite (`GAMECRYPT_SUITE_*`).
    pub suite: gamecrypt_suite,
    /// CLOSED: the result code behind the reason (FAILED: the session's error; PEER_CLOSED:
    /// PEER_CLOSED; IDLE_TIMEOUT: IDLE_TIMEOUT; HANDSHAKE_TIMEOUT: HANDSHAKE_TIMEOUT; LOCAL and
    /// REPLACED: SESSION_CLOSED; REJECTED: SESSION_REJECTED (server) or PEER_CLOSED (client)).
    pub code: gamecrypt_result,
    /// CONNECTED: whether `fingerprint` holds the peer key's fingerprint (client: always;
    /// server: only with client authentication and a client key).
    pub has_fingerprint: bool,
    /// CONNECTED: SHA-256 of the peer's authenticated public key (SubjectPublicKeyInfo DER).
    pub fingerprint: [u8; GAMECRYPT_FINGERPRINT_LEN],
    /// DATA: the message length (also written to `*data_len`).
    pub data_len: usize,
}

const EMPTY_EVENT: gamecrypt_endpoint_event = gamecrypt_endpoint_event {
    kind: GAMECRYPT_ENDPOINT_EVENT_NONE,
    close_reason: 0,
    peer: 0,
    suite: 0,
    code: gamecrypt_result::Ok,
    has_fingerprint: false,
    fingerprint: [0; GAMECRYPT_FINGERPRINT_LEN],
    data_len: 0,
};

/// Counters of an endpoint, filled by gamecrypt_endpoint_get_stats() (all since creation,
/// except `peers` and `handshakes`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct gamecrypt_endpoint_stats {
    /// Peers now (connected and in handshake).
    pub peers: u64,
    /// Server handshakes in progress now.
    pub handshakes: u64,
    /// Datagrams given to gamecrypt_endpoint_receive() or gamecrypt_endpoint_receive_into().
    pub datagrams_received: u64,
    /// Datagrams queued for sending.
    pub datagrams_sent: u64,
    /// Datagrams from addresses without a peer that were not a usable ClientHello.
    pub dropped_stray: u64,
    /// Datagrams for a peer that were dropped (duplicates, replays, forgeries, early data).
    pub dropped_invalid: u64,
    /// ClientHellos refused because of the peer or handshake limit.
    pub refused: u64,
    /// Retry messages sent.
    pub retries_sent: u64,
    /// Server handshakes that failed.
    pub handshakes_failed: u64,
    /// Handshake messages sent again.
    pub handshake_resends: u64,
    /// Keep-alive packets sent.
    pub keepalives_sent: u64,
    /// Datagrams or events dropped because a queue was full.
    pub queue_overflows: u64,
}

impl From<EndpointStats> for gamecrypt_endpoint_stats {
    fn from(s: EndpointStats) -> Self {
        gamecrypt_endpoint_stats {
            peers: s.peers,
            handshakes: s.handshakes,
            datagrams_received: s.datagrams_received,
            datagrams_sent: s.datagrams_sent,
            dropped_stray: s.dropped_stray,
            dropped_invalid: s.dropped_invalid,
            refused: s.refused,
            retries_sent: s.retries_sent,
            handshakes_failed: s.handshakes_failed,
            handshake_resends: s.handshake_resends,
            keepalives_sent: s.keepalives_sent,
            queue_overflows: s.queue_overflows,
        }
    }
}

/// Endpoint settings (timers, limits): created with the documented defaults by
/// gamecrypt_endpoint_config_new(), changed by the setters, copied by
/// gamecrypt_endpoint_new_client()/new_server(). Free with gamecrypt_endpoint_config_free().
#[derive(Debug)]
pub struct gamecrypt_endpoint_config {
    _private: [u8; 0],
}
impl Handle for gamecrypt_endpoint_config {
    type Inner = EndpointConfig;
}

/// A client or server endpoint: many peers over one datagram socket, sans-IO (it never
/// touches a socket or a clock: the application passes the time and the datagrams). One
/// thread at a time. Free with gamecrypt_endpoint_free().
#[derive(Debug)]
pub struct gamecrypt_endpoint {
    _private: [u8; 0],
}
impl Handle for gamecrypt_endpoint {
    type Inner = Endpoint;
}

/// Creates endpoint settings with the defaults of docs/ENDPOINT.md.
///
/// Returns OK, NULL_ARGUMENT.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_new(
    out: *mut *mut gamecrypt_endpoint_config,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        *out = gamecrypt_endpoint_config::into_raw(EndpointConfig::default());
        Ok(())
    })
}

/// Frees endpoint settings. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_free(config: *mut gamecrypt_endpoint_config) {
    panic_boundary((), || {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::free(config) }
    })
}

/// First handshake retransmission interval, 10..=60000 ms (default 250); it doubles
/// after each retransmission up to the maximum.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_handshake_resend_initial_ms(
    config: *mut gamecrypt_endpoint_config,
    value: u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?
            .set_handshake_resend_initial_ms(value)
    })
}

/// Largest handshake retransmission interval, 10..=60000 ms (default 2000; at least the
/// initial interval, checked when the endpoint is created).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_handshake_resend_max_ms(
    config: *mut gamecrypt_endpoint_config,
    value: u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_handshake_resend_max_ms(value)
    })
}

/// Handshake timeout, 100..=600000 ms (default 10000).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_handshake_timeout_ms(
    config: *mut gamecrypt_endpoint_config,
    value: u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_handshake_timeout_ms(value)
    })
}

/// Quiet interval after which an empty data packet is sent to a connected peer,
/// 10..=600000 ms (default 1000; below the idle timeout, checked at creation).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_keepalive_interval_ms(
    config: *mut gamecrypt_endpoint_config,
    value: u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_keepalive_interval_ms(value)
    })
}

/// Idle timeout of a connected peer, 100..=3600000 ms (default 10000).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_idle_timeout_ms(
    config: *mut gamecrypt_endpoint_config,
    value: u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_idle_timeout_ms(value)
    })
}

/// Most peers, 1..=1000000 (default 1024).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_max_peers(
    config: *mut gamecrypt_endpoint_config,
    value: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_max_peers(value)
    })
}

/// Most server handshakes in progress, 1..=1000000 (default 128; at most the peer
/// limit, checked at creation).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_max_handshakes(
    config: *mut gamecrypt_endpoint_config,
    value: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_max_handshakes(value)
    })
}

/// Largest message for gamecrypt_endpoint_send(), 0..=65483 bytes (default 1200).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_max_data_len(
    config: *mut gamecrypt_endpoint_config,
    value: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_max_data_len(value)
    })
}

/// Copies of the close packet sent by close and reject, 1..=10 (default 3).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_close_copies(
    config: *mut gamecrypt_endpoint_config,
    value: u32,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_close_copies(value)
    })
}

/// Bytes the transmit queue and the received-data queue may each hold,
/// 65536..=1073741824 (default 4 MiB).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_max_queued_bytes(
    config: *mut gamecrypt_endpoint_config,
    value: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_max_queued_bytes(value)
    })
}

/// Events that may wait for gamecrypt_endpoint_poll_event(), 16..=1000000 (default 4096).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (out of range; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_config_set_max_pending_events(
    config: *mut gamecrypt_endpoint_config,
    value: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint_config::try_mut(config) }?.set_max_pending_events(value)
    })
}

/// # Safety
/// `settings` is NULL or a live handle.
unsafe fn settings(settings: *const gamecrypt_endpoint_config) -> Result<EndpointConfig> {
    if settings.is_null() {
        return Ok(EndpointConfig::default());
    }
    // SAFETY: by the caller's contract.
    Ok(unsafe { gamecrypt_endpoint_config::try_ref(settings) }?.clone())
}

/// Creates a client endpoint; connect with gamecrypt_endpoint_connect(). `settings` may be
/// NULL (the defaults). Both configurations may be freed afterwards.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (settings that contradict each other: resend
/// initial above maximum, keep-alive not below the idle timeout, more handshakes than peers).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_new_client(
    config: *const gamecrypt_client_config,
    endpoint_settings: *const gamecrypt_endpoint_config,
    out: *mut *mut gamecrypt_endpoint,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let config = unsafe { gamecrypt_client_config::try_ref(config) }?;
        // SAFETY: by the caller's contract.
        let s = unsafe { settings(endpoint_settings) }?;
        *out = gamecrypt_endpoint::into_raw(Endpoint::new_client(config.clone(), s)?);
        Ok(())
    })
}

/// Creates a server endpoint: a ClientHello from a new address makes a peer (within the
/// limits; with retry cookies in the server configuration, only after the client proved
/// its address). `settings` may be NULL (the defaults).
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (as for gamecrypt_endpoint_new_client()).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_new_server(
    config: *const gamecrypt_server_config,
    endpoint_settings: *const gamecrypt_endpoint_config,
    out: *mut *mut gamecrypt_endpoint,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        // SAFETY: by the caller's contract.
        let config = unsafe { gamecrypt_server_config::try_ref(config) }?;
        // SAFETY: by the caller's contract.
        let s = unsafe { settings(endpoint_settings) }?;
        *out = gamecrypt_endpoint::into_raw(Endpoint::new_server(config.clone(), s)?);
        Ok(())
    })
}

/// Frees an endpoint and erases the keys of all its peers (no close packets are sent: close
/// the peers first if they should learn it at once). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_free(endpoint: *mut gamecrypt_endpoint) {
    panic_boundary((), || {
        // SAFETY: by the caller's contract.
        unsafe { gamecrypt_endpoint::free(endpoint) }
    })
}

/// # Safety
/// A live endpoint handle or NULL.
unsafe fn ep_mut<'a>(ep: *mut gamecrypt_endpoint) -> Result<&'a mut Endpoint> {
    // SAFETY: by the caller's contract.
    unsafe { gamecrypt_endpoint::try_mut(ep) }
}

/// Client: starts a handshake with the server at `addr` (opaque bytes, 1..=128, e.g. a
/// sockaddr; the same bytes must be given to gamecrypt_endpoint_receive() for its
/// datagrams). The ClientHello is queued (gamecrypt_endpoint_poll_transmit()); the peer
/// reports CONNECTED or CLOSED (HANDSHAKE_TIMEOUT, FAILED, REJECTED) later.
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH (address), WRONG_ROLE (server endpoint),
/// ADDRESS_IN_USE (a peer with this address exists), PEER_LIMIT, TIME_WENT_BACKWARDS (`now_ms`
/// is earlier than in an earlier call), RANDOM_FAILED. Nothing changes on error.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_connect(
    endpoint: *mut gamecrypt_endpoint,
    now_ms: u64,
    addr: *const u8,
    addr_len: usize,
    out_peer: *mut gamecrypt_peer_id,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { ep_mut(endpoint) }?;
        // SAFETY: by the caller's contract.
        let addr = unsafe { input(addr, addr_len) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_peer) }?;
        *out = ep.connect(now_ms, addr)?.0;
        Ok(())
    })
}

/// Gives the endpoint a datagram received from `addr` (1..=128 bytes). Datagrams that
/// belong to no peer, duplicates, replays and forgeries are dropped quietly (counted in the
/// stats) and return OK; so does a datagram that ends a peer (a CLOSED event follows).
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH (address), TIME_WENT_BACKWARDS (`now_ms` earlier
/// than in an earlier call; nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_receive(
    endpoint: *mut gamecrypt_endpoint,
    now_ms: u64,
    addr: *const u8,
    addr_len: usize,
    datagram: *const u8,
    datagram_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { ep_mut(endpoint) }?;
        // SAFETY: by the caller's contract.
        let addr = unsafe { input(addr, addr_len) }?;
        // SAFETY: by the caller's contract.
        let datagram = unsafe { input(datagram, datagram_len) }?;
        ep.receive(now_ms, addr, datagram)
    })
}

/// gamecrypt_endpoint_receive() that may hand a message straight to the caller, without
/// the copy through the event queue: when the datagram is a data packet of a connected
/// peer, no event is waiting, and `data` holds the plaintext (`datagram_len -
/// GAMECRYPT_PACKET_OVERHEAD` bytes, or more; max_data_len bytes always do), the message is
/// opened into `data`, its length written to `*data_len` (>= 1) and its peer to `*out_peer`.
/// Otherwise (another kind of datagram, events waiting, a keep-alive, a dropped datagram,
/// `data` too small) it does exactly what gamecrypt_endpoint_receive() does (messages and
/// events queued) and writes 0 to `*data_len` and `*out_peer`. Always poll events after it,
/// as after gamecrypt_endpoint_receive(); messages come out in order either way. `data` may
/// be NULL with `data_cap` 0 (then it is gamecrypt_endpoint_receive()). Bytes of `data`
/// past `*data_len` are unspecified.
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH (address), INVALID_ARGUMENT (`data` overlaps
/// `addr` or `datagram`), TIME_WENT_BACKWARDS (as gamecrypt_endpoint_receive(); nothing
/// changes). Outputs are written only on OK.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn gamecrypt_endpoint_receive_into(
    endpoint: *mut gamecrypt_endpoint,
    now_ms: u64,
    addr: *const u8,
    addr_len: usize,
    datagram: *const u8,
    datagram_len: usize,
    out_peer: *mut gamecrypt_peer_id,
    data: *mut u8,
    data_cap: usize,
    data_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { ep_mut(endpoint) }?;
        // SAFETY: by the caller's contract.
        let addr = unsafe { input(addr, addr_len) }?;
        // SAFETY: by the caller's contract.
        let datagram = unsafe { input(datagram, datagram_len) }?;
        // SAFETY: by the caller's contract.
        let peer_out = unsafe { out_ptr(out_peer) }?;
        // SAFETY: by the caller's contract.
        let o = unsafe { OutBuf::new(data, data_cap, data_len, &[addr, datagram]) }?;
        let mut peer = 0;
        o.fill(
            || 0,
            |buf| {
                let got = ep.receive_into(now_ms, addr, datagram, buf)?;
                peer = got.map_or(0, |(p, _)| p.0);
                Ok(got.map_or(0, |(_, n)| n))
            },
        )?;
        *peer_out = peer;
        Ok(())
    })
}

/// One received datagram for gamecrypt_endpoint_receive_batch(): the sender's address and
/// the datagram, as the arguments of gamecrypt_endpoint_receive().
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct gamecrypt_endpoint_datagram {
    /// The sender's address (1..=GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN bytes).
    pub addr: *const u8,
    /// Its length.
    pub addr_len: usize,
    /// The datagram (NULL with `data_len` 0 is an empty datagram).
    pub data: *const u8,
    /// Its length.
    pub data_len: usize,
}

/// gamecrypt_endpoint_receive() of each of the `count` datagrams in order, for a server that
/// reads several datagrams per wake-up (`recvmmsg`, or its socket read in a loop): the same
/// drops, events and counters as that many calls, and faster at many peers (while one
/// datagram is processed, the peer-table entries and peers of the next ones are fetched
/// from memory). Messages are queued as DATA events: poll them after the batch (a batch of
/// more than max_pending_events messages drops the ones beyond, counted as queue
/// overflows, as gamecrypt_endpoint_receive() would). `(NULL, 0)` is an empty batch.
///
/// Returns OK, NULL_ARGUMENT (`endpoint`, `datagrams` with `count` > 0, or a NULL pointer
/// with a length above 0 in any datagram), INVALID_ARGUMENT (`datagrams` not aligned for its
/// type), INVALID_LENGTH (an address outside 1..=GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN bytes, or
/// a length above `PTRDIFF_MAX` bytes), TIME_WENT_BACKWARDS. Every datagram is checked before
/// the first is processed: on these errors, nothing changes.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_receive_batch(
    endpoint: *mut gamecrypt_endpoint,
    now_ms: u64,
    datagrams: *const gamecrypt_endpoint_datagram,
    count: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { ep_mut(endpoint) }?;
        // SAFETY: by the caller's contract.
        let list = unsafe { input(datagrams, count) }?;
        for d in list {
            // SAFETY: by the caller's contract.
            unsafe { datagram_view(d) }?;
        }
        ep.receive_batch_with(now_ms, list.len(), |k| {
            // SAFETY: by the caller's contract; every entry was checked above, so this is Ok
            // (the empty default is never used).
            unsafe { datagram_view(&list[k]) }.unwrap_or(Datagram {
                addr: &[],
                data: &[],
            })
        })
    })
}

/// The address and bytes of a C datagram, with [`input`]'s checks.
///
/// # Safety
/// As for [`input`], for both buffers.
unsafe fn datagram_view<'a>(d: &gamecrypt_endpoint_datagram) -> Result<Datagram<'a>> {
    // SAFETY: by the caller's contract.
    let (addr, data) = unsafe { (input(d.addr, d.addr_len)?, input(d.data, d.data_len)?) };
    Ok(Datagram { addr, data })
}

/// Runs the timers due at `now_ms`: handshake retransmissions and timeouts, keep-alives,
/// idle timeouts. Call it when gamecrypt_endpoint_next_deadline() is reached (calling it
/// earlier or more often is harmless).
///
/// Returns OK, NULL_ARGUMENT, TIME_WENT_BACKWARDS (nothing changes).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_handle_timeout(
    endpoint: *mut gamecrypt_endpoint,
    now_ms: u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { ep_mut(endpoint) }?.handle_timeout(now_ms)
    })
}

/// Writes to `*out_ms` the time (ms, the application's clock) at which
/// gamecrypt_endpoint_handle_timeout() must be called next, or
/// GAMECRYPT_ENDPOINT_NO_DEADLINE when no timer runs. It may be earlier than needed, never
/// later.
///
/// Returns OK, NULL_ARGUMENT.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_next_deadline(
    endpoint: *const gamecrypt_endpoint,
    out_ms: *mut u64,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { gamecrypt_endpoint::try_ref(endpoint) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_ms) }?;
        *out = ep.next_deadline().unwrap_or(GAMECRYPT_ENDPOINT_NO_DEADLINE);
        Ok(())
    })
}

/// Takes the next datagram to send: its destination address into `addr` and its bytes into
/// `out`. When none is waiting: OK with `*addr_len` and `*out_len` set to 0. A datagram is
/// at most GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN bytes or max_data_len +
/// GAMECRYPT_PACKET_OVERHEAD, whichever is larger; an address at most
/// GAMECRYPT_ENDPOINT_ADDRESS_MAX_LEN.
///
/// Returns OK, NULL_ARGUMENT, INVALID_ARGUMENT (`addr` and `out` overlap), BUFFER_TOO_SMALL
/// (both needed lengths written to `*addr_len` and `*out_len`; the datagram stays queued).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_poll_transmit(
    endpoint: *mut gamecrypt_endpoint,
    addr: *mut u8,
    addr_cap: usize,
    addr_len: *mut usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { ep_mut(endpoint) }?;
        if addr_cap > 0 && out_cap > 0 {
            let (a0, o0) = (addr as usize, out as usize);
            if a0 < o0.saturating_add(out_cap) && o0 < a0.saturating_add(addr_cap) {
                return Err(Error::InvalidArgument); // the two outputs overlap
            }
        }
        // SAFETY: by the caller's contract.
        let mut a = unsafe { OutBuf::new(addr, addr_cap, addr_len, &[]) }?;
        // SAFETY: by the caller's contract.
        let mut o = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        let Some((alen, dlen)) = ep.peek_transmit() else {
            return a.write(&[]).and_then(|()| o.write(&[]));
        };
        if a.reserve(alen).is_err() || o.reserve(dlen).is_err() {
            // SAFETY: both pointers were checked non-NULL by OutBuf::new.
            unsafe {
                *addr_len = alen;
                *out_len = dlen;
            }
            return Err(Error::BufferTooSmall);
        }
        let t = ep.poll_transmit().ok_or(Error::Internal)?;
        a.write(t.addr)?;
        o.write(t.data)
    })
}

/// Takes the next event into `*event`; a DATA event's message is copied into `data`
/// (`data_cap` bytes; at most max_data_len bytes are ever needed) and its length written to
/// `*data_len` (0 for other events). When none is waiting: OK with `event->kind` NONE.
///
/// Returns OK, NULL_ARGUMENT, BUFFER_TOO_SMALL (the needed length written to `*data_len`;
/// the event stays queued; `data` may be NULL with `data_cap` 0 for this size query).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_poll_event(
    endpoint: *mut gamecrypt_endpoint,
    event: *mut gamecrypt_endpoint_event,
    data: *mut u8,
    data_cap: usize,
    data_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { ep_mut(endpoint) }?;
        // SAFETY: by the caller's contract.
        let ev_out = unsafe { out_ptr(event) }?;
        // SAFETY: by the caller's contract.
        let mut o = unsafe { OutBuf::new(data, data_cap, data_len, &[]) }?;
        let Some(needed) = ep.peek_event_len() else {
            o.write(&[])?;
            *ev_out = EMPTY_EVENT;
            return Ok(());
        };
        o.reserve(needed)?;
        let mut ev = EMPTY_EVENT;
        match ep.poll_event().ok_or(Error::Internal)? {
            Event::Connected {
                peer,
                suite,
                fingerprint,
            } => {
                ev.kind = GAMECRYPT_ENDPOINT_EVENT_CONNECTED;
                ev.peer = peer.0;
                ev.suite = suite.code() as gamecrypt_suite;
                if let Some(fp) = fingerprint {
                    ev.has_fingerprint = true;
                    ev.fingerprint = fp;
                }
                o.write(&[])?;
            }
            Event::Data { peer, data } => {
                ev.kind = GAMECRYPT_ENDPOINT_EVENT_DATA;
                ev.peer = peer.0;
                ev.data_len = data.len();
                o.write(data)?;
            }
            Event::ClientCredentials { peer } => {
                ev.kind = GAMECRYPT_ENDPOINT_EVENT_CLIENT_CREDENTIALS;
                ev.peer = peer.0;
                o.write(&[])?;
            }
            Event::Closed {
                peer,
                reason,
                error,
            } => {
                ev.kind = GAMECRYPT_ENDPOINT_EVENT_CLOSED;
                ev.peer = peer.0;
                ev.close_reason = reason.code();
                ev.code = error.into();
                o.write(&[])?;
            }
        }
        *ev_out = ev;
        Ok(())
    })
}

/// Sends `data` (0..=max_data_len bytes) to a connected peer: sealed as one packet into the
/// transmit queue (gamecrypt_endpoint_poll_transmit()). Allocation-free.
///
/// Returns OK, NULL_ARGUMENT, INVALID_LENGTH (data above max_data_len), UNKNOWN_PEER,
/// TIME_WENT_BACKWARDS, PEER_NOT_CONNECTED (handshake in progress or waiting for accept),
/// QUEUE_FULL (take the queued datagrams first), KEY_UPDATE_BLOCKED (try later), or a fatal
/// session error (the peer then reports CLOSED). Nothing else changes on error.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_send(
    endpoint: *mut gamecrypt_endpoint,
    now_ms: u64,
    peer: gamecrypt_peer_id,
    data: *const u8,
    data_len: usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { ep_mut(endpoint) }?;
        // SAFETY: by the caller's contract.
        let data = unsafe { input(data, data_len) }?;
        ep.send(now_ms, PeerId(peer), data)
    })
}

/// Closes a peer: a connected one is sent close_copies copies of the authenticated close
/// packet; a handshake just ends. A CLOSED event (reason LOCAL) follows.
///
/// Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, TIME_WENT_BACKWARDS.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_close(
    endpoint: *mut gamecrypt_endpoint,
    now_ms: u64,
    peer: gamecrypt_peer_id,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { ep_mut(endpoint) }?.close(now_ms, PeerId(peer))
    })
}

/// Server, after CLIENT_CREDENTIALS: accepts the client; CONNECTED follows.
///
/// Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, TIME_WENT_BACKWARDS, WRONG_STATE (the peer is not
/// waiting for accept or reject).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_accept(
    endpoint: *mut gamecrypt_endpoint,
    now_ms: u64,
    peer: gamecrypt_peer_id,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { ep_mut(endpoint) }?.accept(now_ms, PeerId(peer))
    })
}

/// Server, after CLIENT_CREDENTIALS: rejects the client, which is told by close packets;
/// CLOSED (reason REJECTED) follows.
///
/// Returns as gamecrypt_endpoint_accept().
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_reject(
    endpoint: *mut gamecrypt_endpoint,
    now_ms: u64,
    peer: gamecrypt_peer_id,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        unsafe { ep_mut(endpoint) }?.reject(now_ms, PeerId(peer))
    })
}

/// Copies a peer's address into `out`.
///
/// Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, BUFFER_TOO_SMALL.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_get_peer_address(
    endpoint: *const gamecrypt_endpoint,
    peer: gamecrypt_peer_id,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { gamecrypt_endpoint::try_ref(endpoint) }?;
        // SAFETY: by the caller's contract.
        let o = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        o.write(ep.peer_address(PeerId(peer))?)
    })
}

/// Writes where a peer is (`GAMECRYPT_ENDPOINT_PEER_*`) to `*out_state`.
///
/// Returns OK, NULL_ARGUMENT, UNKNOWN_PEER.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_get_peer_state(
    endpoint: *const gamecrypt_endpoint,
    peer: gamecrypt_peer_id,
    out_state: *mut gamecrypt_endpoint_peer_state,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { gamecrypt_endpoint::try_ref(endpoint) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_state) }?;
        *out = ep.peer_state(PeerId(peer))?.code();
        Ok(())
    })
}

/// Writes the peer's negotiated suite (`GAMECRYPT_SUITE_*`) to `*out_suite`.
///
/// Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, WRONG_STATE (not known yet).
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_get_peer_suite(
    endpoint: *const gamecrypt_endpoint,
    peer: gamecrypt_peer_id,
    out_suite: *mut gamecrypt_suite,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { gamecrypt_endpoint::try_ref(endpoint) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out_suite) }?;
        *out = ep.peer_suite(PeerId(peer))?.code() as gamecrypt_suite;
        Ok(())
    })
}

/// Copies the fingerprint (32 bytes) of the peer's authenticated key into `out`: client:
/// the server's key (WRONG_STATE before the ServerHello was verified); server: the client's
/// key with client authentication, else nothing (`*out_len` = 0).
///
/// Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, WRONG_STATE, BUFFER_TOO_SMALL.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_get_peer_fingerprint(
    endpoint: *const gamecrypt_endpoint,
    peer: gamecrypt_peer_id,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { gamecrypt_endpoint::try_ref(endpoint) }?;
        // SAFETY: by the caller's contract.
        let o = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        match ep.peer_fingerprint(PeerId(peer))? {
            Some(fp) => o.write(&fp),
            None => o.write(&[]),
        }
    })
}

/// Server with client authentication, from CLIENT_CREDENTIALS on: copies the client's token
/// into `out` (`*out_len` = 0 when it sent none).
///
/// Returns OK, NULL_ARGUMENT, UNKNOWN_PEER, WRONG_STATE (client endpoint, no client
/// authentication, or before the credentials), BUFFER_TOO_SMALL.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_get_peer_client_token(
    endpoint: *const gamecrypt_endpoint,
    peer: gamecrypt_peer_id,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { gamecrypt_endpoint::try_ref(endpoint) }?;
        // SAFETY: by the caller's contract.
        let o = unsafe { OutBuf::new(out, out_cap, out_len, &[]) }?;
        match ep.peer_client_token(PeerId(peer))? {
            Some(t) => o.write(&t),
            None => o.write(&[]),
        }
    })
}

/// Fills `*out` with the endpoint's counters.
///
/// Returns OK, NULL_ARGUMENT.
#[no_mangle]
pub unsafe extern "C" fn gamecrypt_endpoint_get_stats(
    endpoint: *const gamecrypt_endpoint,
    out: *mut gamecrypt_endpoint_stats,
) -> gamecrypt_result {
    ffi_result(|| {
        // SAFETY: by the caller's contract.
        let ep = unsafe { gamecrypt_endpoint::try_ref(endpoint) }?;
        // SAFETY: by the caller's contract.
        let out = unsafe { out_ptr(out) }?;
        *out = ep.stats().into();
        Ok(())
    })
}
