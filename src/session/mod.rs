//! The secure session: a 1-RTT authenticated key exchange followed by packet protection
//! with anti-replay, for any transport (sans-IO: every step takes bytes and gives bytes).
//!
//! The wire protocol is specified byte for byte in `docs/PROTOCOL.md`.
//!
//! ```text
//! client                                     server
//!   new_client(cfg)      NEED_WRITE            new_server(cfg)   NEED_READ
//!   write_handshake -> ClientHello  ------->   read_handshake    NEED_WRITE
//!                        NEED_READ             write_handshake
//!   read_handshake  <-- ServerHello  <-------                    NEED_READ
//!                        NEED_WRITE
//!   write_handshake -> ClientFinished ----->   read_handshake    ESTABLISHED
//!                        ESTABLISHED
//!   seal / open  <========== packets ==========>  seal / open
//! ```
//!
//! With client authentication (docs/PROTOCOL.md section 21) the server stops in
//! `NEED_ACCEPT` after the ClientFinished until [`Session::accept`] or [`Session::reject`].
//! With retry cookies (section 22) a UDP server first runs
//! [`ServerConfig::check_client_hello`] statelessly and creates sessions with
//! [`Session::new_server_for_address`]; a client that reads a Retry writes a new ClientHello.
//!
//! A [`Session`] is `Send + Sync`: sealing and opening use separate locks, so one thread may
//! seal while another opens. Once established, `seal` and `open` do not allocate (except
//! during a key update, which is rare, and once per key generation in `open` for the first
//! packet with the other key phase, which derives the next receive keys: section 17.1).
//!
//! Key update (section 17): either side may call [`Session::update_keys`]; the library also
//! updates the send keys automatically before the AEAD usage limit (section 18). When both
//! the receive and the send lock are needed, the receive lock is always taken first.

pub mod cert;
pub mod clientauth;
pub mod config;
pub(crate) mod handshake;
pub(crate) mod replay;
pub mod retry;
pub mod suite;
pub(crate) mod transport;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_clientauth;
#[cfg(test)]
mod tests_hardening;
#[cfg(test)]
mod tests_vectors_hardening;

pub use cert::Certificate;
pub use clientauth::{ClientAuthMode, ClientAuthRequest};
pub use config::{
    ClientConfig, ClientConfigBuilder, Clock, ServerConfig, ServerConfigBuilder, TrustAnchor,
};
pub use retry::RetryAction;
pub use suite::Suite;

use crate::error::{Error, Result};
use crate::keys::PublicKey;
use clientauth::ClientCredentials;
use handshake::ClientHello;
use parking_lot::Mutex;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use suite::{Entropy, SystemEntropy};
use transport::{RecvHalf, SendHalf};

/// How the transport delivers packets. [`Mode::code`] is the C constant `GAMECRYPT_SESSION_MODE_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Packets may be lost, reordered or duplicated (UDP, ENet unreliable, Steam unreliable).
    /// A sliding anti-replay window accepts each packet number once; rejected packets do not
    /// end the session. Code 1.
    Datagram,
    /// Packets arrive exactly once and in order (TCP, WebSocket, reliable channels). Any gap,
    /// reorder, replay or bad packet is fatal. Code 2.
    Stream,
}

impl Mode {
    /// The C constant of this mode.
    pub const fn code(self) -> u32 {
        match self {
            Mode::Datagram => 1,
            Mode::Stream => 2,
        }
    }

    /// The mode with this C constant.
    pub fn from_code(code: u32) -> Result<Mode> {
        match code {
            1 => Ok(Mode::Datagram),
            2 => Ok(Mode::Stream),
            _ => Err(Error::InvalidArgument),
        }
    }
}

/// Where a session is. [`State::code`] is the C constant `GAMECRYPT_SESSION_STATE_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// Call `write_handshake` and send the message.
    NeedWrite,
    /// Wait for the peer's handshake message and pass it to `read_handshake`.
    NeedRead,
    /// `seal` and `open` work.
    Established,
    /// A fatal error happened; every call now returns `SessionFailed`.
    Failed,
    /// The session was closed (locally or by an authenticated close from the peer); every
    /// call now returns `SessionClosed`.
    Closed,
    /// Server with client authentication: the ClientFinished was verified; read the client's
    /// key and token, then call [`Session::accept`] or [`Session::reject`]. No data is sealed
    /// or opened before `accept`.
    NeedAccept,
}

impl State {
    /// The C constant of this state.
    pub const fn code(self) -> u32 {
        match self {
            State::NeedWrite => 1,
            State::NeedRead => 2,
            State::Established => 3,
            State::Failed => 4,
            State::Closed => 5,
            State::NeedAccept => 6,
        }
    }

    fn from_u8(v: u8) -> State {
        match v {
            1 => State::NeedWrite,
            2 => State::NeedRead,
            3 => State::Established,
            5 => State::Closed,
            6 => State::NeedAccept,
            _ => State::Failed,
        }
    }
}

/// Which side of the handshake a session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Starts the handshake and authenticates the server.
    Client,
    /// Answers the handshake and proves its identity.
    Server,
}

/// Protocol constants (also in the C header as `GAMECRYPT_*`).
pub mod limits {
    /// Header of a sealed packet: type byte + 56-bit packet number.
    pub const HEADER_LEN: usize = super::transport::HEADER_LEN;
    /// AEAD tag of a sealed packet.
    pub const TAG_LEN: usize = super::transport::TAG_LEN;
    /// Bytes a sealed packet adds to its plaintext (header + tag).
    pub const PACKET_OVERHEAD: usize = super::transport::OVERHEAD;
    /// Largest plaintext of one packet.
    pub const MAX_PAYLOAD_LEN: usize = super::transport::MAX_PAYLOAD_LEN;
    /// No handshake message is longer than this.
    pub const MAX_HANDSHAKE_LEN: usize = super::handshake::MAX_HANDSHAKE_LEN;
    /// Datagram mode: how far behind the newest packet a packet may arrive.
    pub const REPLAY_WINDOW: u64 = super::replay::WINDOW;
    /// The largest certificate.
    pub const CERTIFICATE_MAX_LEN: usize = super::cert::CERT_MAX_LEN;
    /// The longest client token.
    pub const CLIENT_TOKEN_MAX_LEN: usize = super::clientauth::CLIENT_TOKEN_MAX_LEN;
    /// Length of the Retry messages this implementation sends.
    pub const RETRY_LEN: usize = super::retry::RETRY_LEN;
    /// Datagram mode: a session fails at the `HANDSHAKE_DROP_LIMIT`-th handshake message
    /// that fails its checks while it waits for the ServerHello (client) or the
    /// ClientFinished (server); the ones before are dropped (docs/PROTOCOL.md section 12).
    pub const HANDSHAKE_DROP_LIMIT: usize = 8;
    /// Length of a retry secret.
    pub const RETRY_SECRET_LEN: usize = super::retry::RETRY_SECRET_LEN;
    /// Longest client address given to the retry check.
    pub const CLIENT_ADDRESS_MAX_LEN: usize = super::retry::CLIENT_ADDRESS_MAX_LEN;
}

/// A sealed data or close packet (types 0x40-0x43, at least header + tag long).
fn is_data_or_close(msg: &[u8]) -> bool {
    msg.len() >= transport::OVERHEAD
        && (transport::TYPE_DATA..=transport::TYPE_CLOSE | 1).contains(&msg[0])
}

/// The code of a handshake message that was dropped (datagram mode, section 12).
pub(crate) const HANDSHAKE_DROPPED: Error = Error::HandshakeMessageDropped;

/// The handshake state. Every variant is boxed: an established session keeps only
/// `Handshake::Done` (one word plus the tag), not the largest variant's size inline.
enum Handshake {
    /// Client before or after sending its hello.
    ClientHello(Box<ClientHelloState>),
    /// Client that accepted the ServerHello and must send its Finished.
    ClientFinished(Box<ClientFinishedState>),
    /// Server waiting for a ClientHello.
    ServerStart(Box<ServerStartState>),
    /// Server that answered and waits for the client's Finished.
    ServerHello(Box<ServerHelloState>),
    /// Server that verified the client's credentials and waits for the application.
    ServerAccept(Box<Halves>),
    /// Established, failed or closed.
    Done,
}

/// The packet protection halves, held by the handshake until the session is established.
struct Halves {
    send: SendHalf,
    recv: RecvHalf,
}

struct ClientHelloState {
    cfg: Arc<ClientConfig>,
    hello: ClientHello,
    written: bool,
    /// A Retry was followed (at most one per session).
    retried: bool,
    /// Handshake messages dropped so far (datagram mode, section 12).
    drops: u8,
}

struct ClientFinishedState {
    finished: Vec<u8>,
    halves: Halves,
}

struct ServerStartState {
    cfg: Arc<ServerConfig>,
    entropy: Box<dyn Entropy + Send>,
    client_address: Option<Vec<u8>>,
}

struct ServerHelloState {
    cfg: Arc<ServerConfig>,
    server_hello: Vec<u8>,
    /// Kept only when client authentication is configured (the client signs it).
    client_hello: Vec<u8>,
    client_hello_hash: [u8; 32],
    /// SHA-256 of the answered ClientHello's core (section 22.1).
    client_hello_core: [u8; 32],
    written: bool,
    /// Handshake messages dropped so far (datagram mode, section 12).
    drops: u8,
    halves: Halves,
}

struct Negotiated {
    suite: Suite,
    server_key: PublicKey,
}

/// One secure session (client or server side).
pub struct Session {
    role: Role,
    mode: Mode,
    state: AtomicU8,
    handshake: Mutex<Handshake>,
    send: Mutex<Option<SendHalf>>,
    recv: Mutex<Option<RecvHalf>>,
    negotiated: OnceLock<Negotiated>,
    /// Boxed: only servers with client authentication have it.
    /// `None` again after [`Session::take_client_credentials`].
    client_credentials: Mutex<Option<Box<ClientCredentials>>>,
    rejected: AtomicBool,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("role", &self.role)
            .field("mode", &self.mode)
            .field("state", &self.state())
            .field("suite", &self.negotiated.get().map(|n| n.suite))
            .finish()
    }
}

impl Session {
    /// A client session; its ClientHello (with fresh ephemeral keys) is ready to write.
    pub fn new_client(config: Arc<ClientConfig>, mode: Mode) -> Result<Session> {
        Self::new_client_with(config, mode, &mut SystemEntropy)
    }

    pub(crate) fn new_client_with(
        config: Arc<ClientConfig>,
        mode: Mode,
        entropy: &mut dyn Entropy,
    ) -> Result<Session> {
        let hello = handshake::build_client_hello(&config, entropy)?;
        Ok(Self::with(
            Role::Client,
            mode,
            State::NeedWrite,
            Handshake::ClientHello(Box::new(ClientHelloState {
                cfg: config,
                hello,
                written: false,
                retried: false,
                drops: 0,
            })),
        ))
    }

    /// A server session waiting for a ClientHello. A configuration with retry cookies needs
    /// [`Session::new_server_for_address`] instead (this session would fail every ClientHello
    /// with `RetryCookieInvalid`).
    pub fn new_server(config: Arc<ServerConfig>, mode: Mode) -> Session {
        Self::new_server_with(config, mode, None, Box::new(SystemEntropy))
    }

    /// A server session for the client at `client_address` (the same opaque bytes that
    /// were given to [`ServerConfig::check_client_hello`]; 1..=128 bytes, else
    /// `InvalidLength`). With retry cookies on, the session answers only a ClientHello whose
    /// cookie is valid for this address.
    pub fn new_server_for_address(
        config: Arc<ServerConfig>,
        mode: Mode,
        client_address: &[u8],
    ) -> Result<Session> {
        retry::check_address(client_address)?;
        Ok(Self::new_server_with(
            config,
            mode,
            Some(client_address.to_vec()),
            Box::new(SystemEntropy),
        ))
    }

    pub(crate) fn new_server_with(
        config: Arc<ServerConfig>,
        mode: Mode,
        client_address: Option<Vec<u8>>,
        entropy: Box<dyn Entropy + Send>,
    ) -> Session {
        Self::with(
            Role::Server,
            mode,
            State::NeedRead,
            Handshake::ServerStart(Box::new(ServerStartState {
                cfg: config,
                entropy,
                client_address,
            })),
        )
    }

    fn with(role: Role, mode: Mode, state: State, hs: Handshake) -> Session {
        Session {
            role,
            mode,
            state: AtomicU8::new(state.code() as u8),
            handshake: Mutex::new(hs),
            send: Mutex::new(None),
            recv: Mutex::new(None),
            negotiated: OnceLock::new(),
            client_credentials: Mutex::new(None),
            rejected: AtomicBool::new(false),
        }
    }

    /// Client or server.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Datagram or stream.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The current state.
    pub fn state(&self) -> State {
        State::from_u8(self.state.load(Ordering::Acquire))
    }

    fn set_state(&self, s: State) {
        self.state.store(s.code() as u8, Ordering::Release);
    }

    /// `Err(SessionFailed)` / `Err(SessionClosed)` for a dead session, else the state.
    fn live_state(&self) -> Result<State> {
        match self.state() {
            State::Failed if self.rejected.load(Ordering::Acquire) => Err(Error::SessionRejected),
            State::Failed => Err(Error::SessionFailed),
            State::Closed => Err(Error::SessionClosed),
            s => Ok(s),
        }
    }

    /// Ends the session for good after a fatal error and returns that error.
    fn fail(&self, hs: Option<&mut Handshake>, e: Error) -> Error {
        self.set_state(State::Failed);
        if let Some(hs) = hs {
            *hs = Handshake::Done;
        }
        *self.send.lock() = None;
        *self.recv.lock() = None;
        e
    }

    /// A handshake message failed its checks (parsing or authentication) in a state where
    /// an unauthenticated message can be spoofed (client waiting for the ServerHello, server
    /// waiting for the ClientFinished). Datagram mode: the message is dropped (`e` is kept
    /// for nothing, the state does not change) and [`HANDSHAKE_DROPPED`] is returned, up to
    /// [`limits::HANDSHAKE_DROP_LIMIT`] - 1 times; the next failure is fatal with its own
    /// code. Stream mode: always fatal (section 12).
    fn drop_or_fail(&self, hs: &mut Handshake, e: Error) -> Error {
        if self.mode == Mode::Datagram {
            let drops = match hs {
                Handshake::ClientHello(st) => Some(&mut st.drops),
                Handshake::ServerHello(st) => Some(&mut st.drops),
                _ => None,
            };
            if let Some(drops) = drops {
                *drops += 1;
                if usize::from(*drops) < limits::HANDSHAKE_DROP_LIMIT {
                    return HANDSHAKE_DROPPED;
                }
            }
        }
        self.fail(Some(hs), e)
    }

    /// The chosen suite: known to the client after the ServerHello, to the server after the
    /// ClientHello. Before: `WrongState`.
    pub fn suite(&self) -> Result<Suite> {
        self.live_state()?;
        self.negotiated
            .get()
            .map(|n| n.suite)
            .ok_or(Error::WrongState)
    }

    /// The server's identity key (for the client: the authenticated key of its peer). Known
    /// when [`Session::suite`] is.
    pub fn server_public_key(&self) -> Result<PublicKey> {
        self.live_state()?;
        self.negotiated
            .get()
            .map(|n| n.server_key.clone())
            .ok_or(Error::WrongState)
    }

    /// The length of the message `write_handshake` would write now (`WrongState` when there
    /// is none to write).
    pub fn pending_handshake_len(&self) -> Result<usize> {
        self.live_state()?;
        match &*self.handshake.lock() {
            Handshake::ClientHello(st) if !st.written => Ok(st.hello.bytes.len()),
            Handshake::ClientFinished(st) => Ok(st.finished.len()),
            Handshake::ServerHello(st) if !st.written => Ok(st.server_hello.len()),
            _ => Err(Error::WrongState),
        }
    }

    /// Writes the next handshake message into `out` and returns its length. Only in
    /// `NeedWrite` (else `WrongState`); a short buffer is `BufferTooSmall` and changes
    /// nothing (see [`Session::pending_handshake_len`]).
    pub fn write_handshake(&self, out: &mut [u8]) -> Result<usize> {
        self.live_state()?;
        let mut hs = self.handshake.lock();
        let copy = |msg: &[u8], out: &mut [u8]| -> Result<usize> {
            let dst = out.get_mut(..msg.len()).ok_or(Error::BufferTooSmall)?;
            dst.copy_from_slice(msg);
            Ok(msg.len())
        };
        match &mut *hs {
            Handshake::ClientHello(st) if !st.written => {
                let n = copy(&st.hello.bytes, out)?;
                st.written = true;
                self.set_state(State::NeedRead);
                Ok(n)
            }
            Handshake::ServerHello(st) if !st.written => {
                let n = copy(&st.server_hello, out)?;
                st.written = true;
                self.set_state(State::NeedRead);
                Ok(n)
            }
            Handshake::ClientFinished(st) => {
                let n = copy(&st.finished, out)?;
                let Handshake::ClientFinished(st) = std::mem::replace(&mut *hs, Handshake::Done)
                else {
                    return Err(Error::Internal);
                };
                self.establish(st.halves);
                Ok(n)
            }
            _ => Err(Error::WrongState),
        }
    }

    fn establish(&self, halves: Halves) {
        let Halves { send, recv } = halves;
        *self.send.lock() = Some(send);
        *self.recv.lock() = Some(recv);
        self.set_state(State::Established);
    }

    /// Processes the peer's handshake message. Only in `NeedRead` (else `WrongState`).
    ///
    /// Any problem with the message is fatal (the session becomes `Failed`) and returns its
    /// own code, with these exceptions:
    /// - a server waiting for the ClientFinished that receives an exact copy of the
    ///   ClientHello (a datagram retransmission: its ServerHello was lost) returns
    ///   `PacketReplayed` and stays as it is; the application resends its ServerHello;
    /// - datagram mode, client waiting for the ServerHello (or a Retry) and server waiting for
    ///   the ClientFinished: a message that fails its checks (which anyone could have sent) is
    ///   dropped with `HandshakeMessageDropped` and nothing changes; the
    ///   [`limits::HANDSHAKE_DROP_LIMIT`]-th such message is fatal with its own code. A data or
    ///   close packet given to a server waiting for the ClientFinished is dropped without
    ///   counting (docs/PROTOCOL.md section 12.1). Failures of an authenticated message (the
    ///   client-authentication checks after the ClientFinished opened) stay fatal.
    pub fn read_handshake(&self, msg: &[u8]) -> Result<()> {
        self.live_state()?;
        let mut hs = self.handshake.lock();
        match &mut *hs {
            Handshake::ClientHello(st) if st.written && msg.first() == Some(&retry::MSG_RETRY) => {
                let ClientHelloState {
                    hello,
                    written,
                    retried,
                    ..
                } = &mut **st;
                if *retried {
                    return Err(Error::WrongState); // at most one Retry per session
                }
                let rebuilt = retry::parse_retry(msg, &hello.core_hash()).and_then(|cookie| {
                    let mut ext = Vec::with_capacity(4 + cookie.len());
                    ext.extend_from_slice(&retry::EXT_COOKIE.to_be_bytes());
                    ext.extend_from_slice(&(cookie.len() as u16).to_be_bytes());
                    ext.extend_from_slice(cookie);
                    hello.with_extensions(&ext)
                });
                match rebuilt {
                    Ok(bytes) => {
                        hello.bytes = bytes;
                        *written = false;
                        *retried = true;
                        self.set_state(State::NeedWrite);
                        Ok(())
                    }
                    Err(e) => Err(self.drop_or_fail(&mut hs, e)),
                }
            }
            Handshake::ClientHello(st) if st.written => {
                let ClientHelloState { cfg, hello, .. } = &**st;
                let result = match handshake::client_process(cfg, hello, msg) {
                    Ok(r) => r,
                    Err(e) => return Err(self.drop_or_fail(&mut hs, e)),
                };
                let suite = result.suite;
                let halves = SendHalf::new(suite, &result.schedule.c2s_secret).and_then(|send| {
                    Ok((
                        send,
                        RecvHalf::new(suite, &result.schedule.s2c_secret, self.mode)?,
                    ))
                });
                let (mut send, recv) = match halves {
                    Ok(h) => h,
                    Err(e) => return Err(self.fail(Some(&mut hs), e)),
                };
                let plaintext = match clientauth::build_finished_plaintext(
                    &result.auth_request,
                    cfg.client_key.as_ref(),
                    cfg.token.as_deref().map(|t| t.as_slice()),
                    &hello.bytes,
                    msg,
                ) {
                    Ok(p) => zeroize::Zeroizing::new(p),
                    Err(e) => return Err(self.fail(Some(&mut hs), e)),
                };
                let mut finished = vec![0u8; plaintext.len() + transport::OVERHEAD];
                if let Err(e) =
                    send.seal_typed(handshake::MSG_CLIENT_FINISHED, &plaintext, &mut finished)
                {
                    return Err(self.fail(Some(&mut hs), e));
                }
                let _ = self.negotiated.set(Negotiated {
                    suite,
                    server_key: result.server_key,
                });
                *hs = Handshake::ClientFinished(Box::new(ClientFinishedState {
                    finished,
                    halves: Halves { send, recv },
                }));
                self.set_state(State::NeedWrite);
                Ok(())
            }
            Handshake::ServerStart(st) => {
                let ServerStartState {
                    cfg,
                    entropy,
                    client_address,
                } = &mut **st;
                let flight = match handshake::server_respond(
                    cfg,
                    msg,
                    client_address.as_deref(),
                    entropy.as_mut(),
                ) {
                    Ok(f) => f,
                    Err(e) => return Err(self.fail(Some(&mut hs), e)),
                };
                let suite = flight.suite;
                let halves = SendHalf::new(suite, &flight.schedule.s2c_secret).and_then(|send| {
                    Ok((
                        send,
                        RecvHalf::new(suite, &flight.schedule.c2s_secret, self.mode)?,
                    ))
                });
                let (send, recv) = match halves {
                    Ok(h) => h,
                    Err(e) => return Err(self.fail(Some(&mut hs), e)),
                };
                let _ = self.negotiated.set(Negotiated {
                    suite,
                    server_key: cfg.public_key().clone(),
                });
                let client_hello = if cfg.client_auth.is_none() {
                    Vec::new()
                } else {
                    msg.to_vec()
                };
                *hs = Handshake::ServerHello(Box::new(ServerHelloState {
                    cfg: cfg.clone(),
                    server_hello: flight.server_hello,
                    client_hello,
                    client_hello_hash: flight.client_hello_hash,
                    client_hello_core: flight.client_hello_core,
                    written: false,
                    drops: 0,
                    halves: Halves { send, recv },
                }));
                self.set_state(State::NeedWrite);
                Ok(())
            }
            Handshake::ServerHello(st) if st.written => {
                let ServerHelloState {
                    cfg,
                    server_hello,
                    client_hello,
                    client_hello_hash,
                    client_hello_core,
                    halves: Halves { recv, .. },
                    ..
                } = &mut **st;
                if msg.first() == Some(&handshake::MSG_CLIENT_HELLO) {
                    if handshake::sha256(&[msg]) == *client_hello_hash {
                        return Err(Error::PacketReplayed);
                    }
                    // A late copy of the first ClientHello of a Retry exchange (same core,
                    // no cookie) is ignored (section 22.5).
                    if let (Some(_), Ok(ch)) =
                        (cfg.retry.as_ref(), handshake::parse_client_hello(msg))
                    {
                        if retry::client_hello_core_hash(msg, ch.core_len) == *client_hello_core {
                            return Err(Error::WrongState);
                        }
                    }
                }
                let auth = cfg.client_auth;
                // Layout and AEAD: a message that fails them may be spoofed (dropped in
                // datagram mode). A data or close packet (the ClientFinished was lost or
                // reordered) is dropped without counting toward the limit.
                let plaintext = match Self::open_finished(recv, msg, !auth.is_none()) {
                    Ok(p) => p,
                    Err(_) if self.mode == Mode::Datagram && is_data_or_close(msg) => {
                        return Err(HANDSHAKE_DROPPED)
                    }
                    Err(e) => return Err(self.drop_or_fail(&mut hs, e)),
                };
                if !auth.is_none() {
                    // Authenticated by the c2s key: a failure here is the client's (fatal).
                    match clientauth::check_finished_plaintext(
                        &auth,
                        &plaintext,
                        client_hello,
                        server_hello,
                    ) {
                        Ok(creds) => {
                            *self.client_credentials.lock() = Some(Box::new(creds));
                        }
                        Err(e) => return Err(self.fail(Some(&mut hs), e)),
                    }
                }
                let Handshake::ServerHello(st) = std::mem::replace(&mut *hs, Handshake::Done)
                else {
                    return Err(Error::Internal);
                };
                if auth.is_none() {
                    self.establish(st.halves);
                } else {
                    *hs = Handshake::ServerAccept(Box::new(st.halves));
                    self.set_state(State::NeedAccept);
                }
                Ok(())
            }
            _ => Err(Error::WrongState),
        }
    }

    /// Sections 10.1 and 21.4 steps 1-2: the ClientFinished's layout (type 0x03, packet
    /// number 0; exactly header + tag without client authentication) and its AEAD under the
    /// c2s key of generation 0, key phase 0. Returns the plaintext (empty without client
    /// authentication).
    fn open_finished(
        recv: &mut RecvHalf,
        msg: &[u8],
        client_auth: bool,
    ) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        let max = if client_auth {
            transport::OVERHEAD + clientauth::MAX_FINISHED_PLAINTEXT
        } else {
            transport::OVERHEAD
        };
        if msg.len() < transport::OVERHEAD || msg.len() > max {
            return Err(Error::HandshakeMalformed);
        }
        let (ptype, pn) = transport::parse_header(msg).map_err(|_| Error::HandshakeMalformed)?;
        if ptype != handshake::MSG_CLIENT_FINISHED || pn != 0 {
            return Err(Error::HandshakeMalformed);
        }
        let mut pt = zeroize::Zeroizing::new(vec![0u8; msg.len() - transport::OVERHEAD]);
        recv.open(msg, 0, pn, &mut pt)?; // generation 0, key phase 0
        Ok(pt)
    }

    /// Server in `NeedAccept`: the application accepts the client; the session becomes
    /// `Established`. Else `WrongState` (nothing changes), `SessionFailed`, `SessionClosed`.
    pub fn accept(&self) -> Result<()> {
        self.live_state()?;
        let mut hs = self.handshake.lock();
        if !matches!(&*hs, Handshake::ServerAccept(_)) {
            return Err(Error::WrongState);
        }
        let Handshake::ServerAccept(halves) = std::mem::replace(&mut *hs, Handshake::Done) else {
            return Err(Error::Internal);
        };
        self.establish(*halves);
        Ok(())
    }

    /// Server in `NeedAccept`: the application rejects the client. Writes an authenticated
    /// close packet (`PACKET_OVERHEAD` bytes, s2c packet number 0) into `out` that the
    /// application may send so that the client stops at once (it sees `PeerClosed`), and
    /// returns its length. The session then fails for good: its keys are erased and every
    /// later call returns `SessionRejected`. Else `WrongState`; a short buffer is
    /// `BufferTooSmall`; neither changes anything.
    pub fn reject(&self, out: &mut [u8]) -> Result<usize> {
        self.live_state()?;
        let mut hs = self.handshake.lock();
        let Handshake::ServerAccept(halves) = &mut *hs else {
            return Err(Error::WrongState);
        };
        let n = halves.send.seal(1, &[], out)?; // kind 1: close
        self.rejected.store(true, Ordering::Release);
        let _ = self.fail(Some(&mut hs), Error::SessionRejected);
        Ok(n)
    }

    /// Runs `f` on the client's credentials (server with client authentication, from
    /// `NeedAccept` on, before they were taken), else `WrongState`.
    fn with_credentials<T>(&self, f: impl FnOnce(&ClientCredentials) -> T) -> Result<T> {
        self.live_state()?;
        if self.role != Role::Server {
            return Err(Error::WrongState);
        }
        self.client_credentials
            .lock()
            .as_deref()
            .map(f)
            .ok_or(Error::WrongState)
    }

    /// Server with client authentication, from `NeedAccept` on: the client's public key,
    /// authenticated by its signature over the transcript, or `None` when the client sent
    /// no signature (optional mode). Before (or on a client, or without client
    /// authentication, or after [`Session::take_client_credentials`]): `WrongState`.
    pub fn client_public_key(&self) -> Result<Option<PublicKey>> {
        self.with_credentials(|c| c.key.clone())
    }

    /// Server with client authentication, from `NeedAccept` on: the client's token as it
    /// was sent (1..=1024 bytes), or `None`. Errors as for [`Session::client_public_key`].
    pub fn client_token(&self) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>> {
        self.with_credentials(|c| c.token.clone())
    }

    /// Server with client authentication, from `NeedAccept` on: moves the client's public
    /// key and token out of the session, which keeps no copy (the token's bytes are zeroed
    /// when the returned value is dropped). Call it once the application has what it needs,
    /// for example right after [`Session::accept`]: an established session then costs no
    /// more memory than one without client authentication. Afterwards
    /// [`Session::client_public_key`], [`Session::client_token`] and this call are
    /// `WrongState`. Errors otherwise as for [`Session::client_public_key`].
    #[allow(clippy::type_complexity)]
    pub fn take_client_credentials(
        &self,
    ) -> Result<(Option<PublicKey>, Option<zeroize::Zeroizing<Vec<u8>>>)> {
        self.live_state()?;
        if self.role != Role::Server {
            return Err(Error::WrongState);
        }
        let creds = self
            .client_credentials
            .lock()
            .take()
            .ok_or(Error::WrongState)?;
        let ClientCredentials { key, token } = *creds;
        Ok((key, token))
    }

    /// Seals `plaintext` into `out` (which needs `plaintext.len() + PACKET_OVERHEAD` bytes)
    /// and returns the packet length. Only when established (else `WrongState`).
    /// `KeyExhausted` once 2^56 packets were sent.
    ///
    /// Near the AEAD usage limit of the current key, starts a key update first (section 18);
    /// `KeyUpdateBlocked` (nothing sealed, not fatal) when the limit is reached and the
    /// update is not allowed yet (no packet from the peer opened under the current keys).
    ///
    /// Checks, in this order (the C ABI gives the same result for the same input): the
    /// session's state, `InvalidLength` (more than `MAX_PAYLOAD_LEN` bytes),
    /// `BufferTooSmall`, `KeyExhausted`, the usage limit. Nothing changes on error.
    #[inline]
    pub fn seal(&self, plaintext: &[u8], out: &mut [u8]) -> Result<usize> {
        self.seal_with(transport::Plaintext::From(plaintext), out)
    }

    /// Seals in place: the plaintext is already in `buf` at the payload offset
    /// (`buf[PACKET_HEADER_LEN..PACKET_HEADER_LEN + payload_len]`); the header is written in
    /// front of it, the payload is encrypted where it is and the tag follows it. `buf` needs
    /// `payload_len + PACKET_OVERHEAD` bytes; returns the packet length (the packet is
    /// `buf[..len]`). Same checks, order and errors as [`Session::seal`]; on error `buf` is
    /// unchanged.
    #[inline]
    pub fn seal_in_place(&self, buf: &mut [u8], payload_len: usize) -> Result<usize> {
        self.seal_with(transport::Plaintext::InPlace(payload_len), buf)
    }

    /// `Ok` when established, else the error of [`Session::seal`] and [`Session::open`] for
    /// the state (`WrongState`, `SessionFailed`, `SessionClosed`...). One atomic load on the
    /// packet path.
    #[inline]
    fn check_packet_state(&self) -> Result<()> {
        if self.state.load(Ordering::Acquire) == State::Established.code() as u8 {
            return Ok(());
        }
        self.live_state()?;
        Err(Error::WrongState)
    }

    #[inline]
    fn seal_with(&self, plaintext: transport::Plaintext, out: &mut [u8]) -> Result<usize> {
        self.check_packet_state()?;
        let len = plaintext.len();
        let mut tried_update = false;
        loop {
            let mut send = self.send.lock();
            let Some(half) = send.as_mut() else {
                return Err(self.live_state().err().unwrap_or(Error::WrongState));
            };
            half.check(len, out.len())?;
            let (usage, units) = half.usage(len);
            match usage {
                transport::Usage::Fine => {}
                _ if !tried_update => {
                    // The update needs the receive lock, which is taken before the send lock.
                    drop(send);
                    tried_update = true;
                    match self.update_keys() {
                        Ok(()) | Err(Error::KeyUpdateBlocked) => continue,
                        Err(e) => return Err(e),
                    }
                }
                transport::Usage::WantsUpdate => {}
                transport::Usage::OverLimit => return Err(Error::KeyUpdateBlocked),
            }
            return half.seal_data_checked(plaintext, units, out);
        }
    }

    /// Starts a key update (docs/PROTOCOL.md section 17): both directions move to the next
    /// key generation; the next sealed packet carries the new key phase. Only when
    /// established (else `WrongState`). `KeyUpdateBlocked` (nothing changes) until a packet
    /// from the peer has been opened under the current generation, e.g. while a previous
    /// update is not confirmed yet.
    pub fn update_keys(&self) -> Result<()> {
        if self.live_state()? != State::Established {
            return Err(Error::WrongState);
        }
        let mut recv_guard = self.recv.lock();
        let mut send_guard = self.send.lock();
        let (Some(recv), Some(send)) = (recv_guard.as_mut(), send_guard.as_mut()) else {
            return Err(self.live_state().err().unwrap_or(Error::WrongState));
        };
        if !recv.confirmed() {
            return Err(Error::KeyUpdateBlocked);
        }
        let result = if recv.generation() != send.generation() {
            Err(Error::Internal)
        } else {
            recv.rotate().and_then(|()| send.update())
        };
        if let Err(e) = result {
            *recv_guard = None;
            *send_guard = None;
            drop((recv_guard, send_guard));
            return Err(self.fail(None, e));
        }
        Ok(())
    }

    /// The current key generation (0 after the handshake, + 1 per key update; the key phase
    /// bit of sealed packets is its lowest bit). Only when established (else `WrongState`).
    pub fn key_generation(&self) -> Result<u64> {
        if self.live_state()? != State::Established {
            return Err(Error::WrongState);
        }
        match self.send.lock().as_ref() {
            Some(half) => Ok(half.generation()),
            None => Err(self.live_state().err().unwrap_or(Error::WrongState)),
        }
    }

    /// Opens a packet into `out` (which needs `packet.len() - PACKET_OVERHEAD` bytes) and
    /// returns the plaintext length.
    ///
    /// Errors: `PacketMalformed`, `PacketTooOld`, `PacketReplayed`, `PacketOutOfOrder`
    /// (stream), `PacketAuthFailed`. In datagram mode they only drop the packet; in stream
    /// mode they are fatal. `BufferTooSmall` is never fatal. `IntegrityLimitReached` (too
    /// many forgeries) is always fatal. An authenticated close packet from the peer closes
    /// the session and returns `PeerClosed`. A packet under the peer's new key phase moves
    /// this side to the new key generation too (section 17.4).
    ///
    /// Checks, in the order of section 10.4 (the C ABI gives the same result for the same
    /// input, whatever its output buffer): the session's state, the packet's length and
    /// type byte (`PacketMalformed`), `BufferTooSmall` (not fatal, nothing changes), the
    /// replay check, authentication.
    #[inline]
    pub fn open(&self, packet: &[u8], out: &mut [u8]) -> Result<usize> {
        self.check_packet_state()?;
        let mut guard = self.recv.lock();
        let Some(recv) = guard.as_mut() else {
            return Err(self.live_state().err().unwrap_or(Error::WrongState));
        };
        let result = transport::parse_header(packet).and_then(|(ptype, pn)| {
            if !(transport::TYPE_DATA..=transport::TYPE_CLOSE | 1).contains(&ptype) {
                return Err(Error::PacketMalformed);
            }
            let (n, opened) = recv.open(packet, ptype & 1, pn, out)?;
            if opened == transport::Opened::Next {
                // The peer started an update: our send side follows (lock order recv, send).
                let mut send = self.send.lock();
                let half = send.as_mut().ok_or(Error::Internal)?;
                if half.generation() + 1 != recv.generation() {
                    return Err(Error::Internal);
                }
                half.update()?;
            }
            Ok((ptype, n))
        });
        match result {
            Ok((ptype, _)) if ptype & !1 == transport::TYPE_CLOSE => {
                *guard = None;
                drop(guard);
                self.set_state(State::Closed);
                *self.send.lock() = None;
                Err(Error::PeerClosed)
            }
            Ok((_, n)) => Ok(n),
            Err(Error::BufferTooSmall) => Err(Error::BufferTooSmall),
            Err(e @ (Error::IntegrityLimitReached | Error::Internal)) => {
                *guard = None;
                drop(guard);
                Err(self.fail(None, e))
            }
            Err(e) if self.mode == Mode::Stream => {
                *guard = None;
                drop(guard);
                Err(self.fail(None, e))
            }
            Err(e) => Err(e),
        }
    }

    /// Closes the session. When established, writes an authenticated close packet for the
    /// peer into `out` (`PACKET_OVERHEAD` bytes) and returns its length; during the handshake
    /// (or when the packet numbers are used up) writes nothing and returns 0. Afterwards every
    /// call returns `SessionClosed`; the keys are erased.
    pub fn close(&self, out: &mut [u8]) -> Result<usize> {
        let state = self.live_state()?;
        let mut written = 0;
        if state == State::Established {
            let mut send = self.send.lock();
            if let Some(half) = send.as_mut() {
                match half.seal(1, &[], out) {
                    Ok(n) => written = n,
                    Err(Error::KeyExhausted) => {}
                    Err(e) => return Err(e),
                }
            }
            *send = None;
        }
        *self.handshake.lock() = Handshake::Done;
        self.set_state(State::Closed);
        *self.send.lock() = None;
        *self.recv.lock() = None;
        Ok(written)
    }

    /// Test hook: replaces the usage limits of this session (confidentiality limit of the
    /// send key in units, `None` for none; integrity limit in failed opens).
    /// Also in `testing` builds, for the C ABI tests in `tests/`.
    #[cfg(any(test, feature = "testing"))]
    #[doc(hidden)]
    pub fn set_limits_for_test(&self, confidentiality: Option<u64>, integrity: u64) {
        if let Some(r) = self.recv.lock().as_mut() {
            r.set_integrity_limit(integrity);
        }
        if let Some(s) = self.send.lock().as_mut() {
            s.set_confidentiality_limit(confidentiality);
        }
    }

    /// Test hook: is the previous generation's receive key still kept?
    #[cfg(test)]
    pub(crate) fn keeps_previous_key(&self) -> bool {
        self.recv.lock().as_ref().is_some_and(|r| r.has_previous())
    }

    /// Test hook: are the next generation's receive keys derived (section 17.1: lazily)?
    #[cfg(test)]
    pub(crate) fn derived_next_key(&self) -> bool {
        self.recv.lock().as_ref().is_some_and(|r| r.has_next())
    }

    /// Test hook: pretends that `pn` packets were already sent.
    #[cfg(test)]
    pub(crate) fn set_next_packet_number(&self, pn: u64) {
        if let Some(half) = self.send.lock().as_mut() {
            half.set_next_packet_number(pn);
        }
    }

    /// Number of packets sent so far in this session (including the client's Finished).
    pub fn packets_sent(&self) -> u64 {
        self.send
            .lock()
            .as_ref()
            .map(|h| h.next_packet_number())
            .unwrap_or(0)
    }
}
