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
mod locks;
mod machine;
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
use locks::Locks;
use machine::{ClientHelloState, Failure, Halves, Handshake, Next, ServerStartState, Step};
use parking_lot::Mutex;
use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use suite::{Entropy, SystemEntropy};

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

/// The value of the state field of a session that was rejected (`reject`): `Failed` for
/// [`Session::state`], `SessionRejected` for every later call.
const STATE_REJECTED: u8 = 7;

/// How a session ends ([`Session::end`]).
#[derive(Clone, Copy)]
enum End {
    Failed,
    Rejected,
    Closed,
}

impl End {
    /// The value of the state field.
    const fn code(self) -> u8 {
        match self {
            End::Failed => State::Failed.code() as u8,
            End::Rejected => STATE_REJECTED,
            End::Closed => State::Closed.code() as u8,
        }
    }
}

/// How the packet path reaches the session's state and halves: through the atomic state
/// and the locks (`&Session`), or directly (`&mut Session`: the caller owns the session, so
/// no lock is taken and no atomic operation runs).
trait PacketAccess {
    /// The send half while it is held.
    type Send<'a>: std::ops::DerefMut<Target = Option<transport::SendHalf>>
    where
        Self: 'a;
    /// The receive half while it is held (and the way to the send half).
    type Recv<'a>: locks::RecvAt
    where
        Self: 'a;
    /// The session, for the paths that go on without the halves.
    fn session(&self) -> &Session;
    /// The state field.
    fn state(&mut self) -> u8;
    /// Takes the send half.
    fn send(&mut self) -> Self::Send<'_>;
    /// Takes the receive half.
    fn recv(&mut self) -> Self::Recv<'_>;
}

impl PacketAccess for &Session {
    type Send<'a>
        = locks::SendGuard<'a>
    where
        Self: 'a;
    type Recv<'a>
        = locks::RecvGuard<'a>
    where
        Self: 'a;
    #[inline(always)]
    fn session(&self) -> &Session {
        self
    }
    #[inline(always)]
    fn state(&mut self) -> u8 {
        self.state.load(Ordering::Acquire)
    }
    #[inline(always)]
    fn send(&mut self) -> locks::SendGuard<'_> {
        self.halves.send()
    }
    #[inline(always)]
    fn recv(&mut self) -> locks::RecvGuard<'_> {
        self.halves.recv()
    }
}

impl PacketAccess for &mut Session {
    type Send<'a>
        = &'a mut Option<transport::SendHalf>
    where
        Self: 'a;
    type Recv<'a>
        = locks::BothMut<'a>
    where
        Self: 'a;
    #[inline(always)]
    fn session(&self) -> &Session {
        self
    }
    #[inline(always)]
    fn state(&mut self) -> u8 {
        *self.state.get_mut()
    }
    #[inline(always)]
    fn send(&mut self) -> &mut Option<transport::SendHalf> {
        self.halves.send_mut()
    }
    #[inline(always)]
    fn recv(&mut self) -> locks::BothMut<'_> {
        self.halves.both_mut()
    }
}

/// The seal path, shared by [`Session::seal`] (locked) and [`Session::seal_exclusive`]:
/// the checks in the order [`Session::seal`] documents, a key update near the usage limit
/// (out of line, [`Session::update_keys_near_limit`], without the send lock), the seal.
#[inline(always)]
fn seal_packet<A: PacketAccess>(
    mut access: A,
    plaintext: transport::Plaintext,
    out: &mut [u8],
) -> Result<usize> {
    let raw = access.state();
    access.session().check_packet_state(raw)?;
    let len = plaintext.len();
    let mut tried_update = false;
    loop {
        let mut send = access.send();
        let Some(half) = send.as_mut() else {
            drop(send);
            return Err(access.session().dead_or_wrong_state());
        };
        half.check(len, out.len())?;
        let (usage, units) = half.usage(len);
        match usage {
            transport::Usage::Fine => {}
            _ if !tried_update => {
                // The update needs the receive lock, which is taken before the send lock.
                drop(send);
                tried_update = true;
                access.session().update_keys_near_limit()?;
                continue;
            }
            transport::Usage::WantsUpdate => {}
            transport::Usage::OverLimit => return Err(Error::KeyUpdateBlocked),
        }
        return half.seal_data_checked(plaintext, units, out);
    }
}

/// The open path, shared by [`Session::open`] (locked) and [`Session::open_exclusive`]:
/// the checks in the order [`Session::open`] documents, a key update started by the peer
/// (the send half follows, taken while the receive half is held) and what the result means
/// for the session.
#[inline(always)]
fn open_packet<A: PacketAccess>(mut access: A, packet: &[u8], out: &mut [u8]) -> Result<usize> {
    use locks::RecvAt;
    let raw = access.state();
    access.session().check_packet_state(raw)?;
    let mode = access.session().mode;
    let mut guard = access.recv();
    let (slot, send_at) = guard.split();
    let Some(recv) = slot.as_mut() else {
        drop(send_at);
        drop(guard);
        return Err(access.session().dead_or_wrong_state());
    };
    let result = open_on(recv, send_at, packet, out);
    let end = match result {
        Ok((ptype, _)) if ptype & !1 == transport::TYPE_CLOSE => (End::Closed, Error::PeerClosed),
        Ok((_, n)) => return Ok(n),
        Err(Error::BufferTooSmall) => return Err(Error::BufferTooSmall),
        Err(e @ (Error::IntegrityLimitReached | Error::Internal)) => (End::Failed, e),
        Err(e) if mode == Mode::Stream => (End::Failed, e),
        Err(e) => return Err(e),
    };
    *guard.split().0 = None;
    drop(guard);
    access.session().end(None, end.0);
    Err(end.1)
}

/// The packet's header and type byte, then [`transport::RecvHalf::open`]; a packet under
/// the peer's new key phase moves the send half (reached through `send_at`) too. The type
/// byte and the plaintext length.
#[inline(always)]
fn open_on(
    recv: &mut transport::RecvHalf,
    send_at: impl locks::SendAt,
    packet: &[u8],
    out: &mut [u8],
) -> Result<(u8, usize)> {
    let (ptype, pn) = transport::parse_header(packet)?;
    if !(transport::TYPE_DATA..=transport::TYPE_CLOSE | 1).contains(&ptype) {
        return Err(Error::PacketMalformed);
    }
    let (n, opened) = recv.open(packet, ptype & 1, pn, out)?;
    if opened == transport::Opened::Next {
        // The peer started an update: our send side follows.
        let mut send = send_at.take();
        let half = send.as_mut().ok_or(Error::Internal)?;
        if half.generation() + 1 != recv.generation() {
            return Err(Error::Internal);
        }
        half.update()?;
    }
    Ok((ptype, n))
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
    /// The send and receive halves, each behind its own lock; [`Locks`] fixes their order.
    halves: Locks,
    negotiated: OnceLock<Negotiated>,
    /// Boxed: only servers with client authentication have it.
    /// `None` again after [`Session::take_client_credentials`].
    client_credentials: Mutex<Option<Box<ClientCredentials>>>,
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
        Self::new_client_with(config, mode, &mut SystemEntropy::new())
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
        Self::new_server_with(config, mode, None, Box::new(SystemEntropy::new()))
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
            Box::new(SystemEntropy::new()),
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
            Handshake::ServerStart(Box::new(ServerStartState {
                cfg: config,
                entropy,
                client_address,
            })),
        )
    }

    fn with(role: Role, mode: Mode, hs: Handshake) -> Session {
        let state = hs.state().unwrap_or(State::Failed);
        Session {
            role,
            mode,
            state: AtomicU8::new(state.code() as u8),
            handshake: Mutex::new(hs),
            halves: Locks::new(),
            negotiated: OnceLock::new(),
            client_credentials: Mutex::new(None),
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

    /// Publishes the session's state (the packet path reads it without a lock). Only
    /// [`Session::apply`] (handshake states) and [`Session::end`] (the end states) call it,
    /// and `open` when the peer closes.
    fn set_state(&self, s: State) {
        self.state.store(s.code() as u8, Ordering::Release);
    }

    /// `Err(SessionFailed)` / `Err(SessionClosed)` for a dead session, else the state.
    fn live_state(&self) -> Result<State> {
        let raw = self.state.load(Ordering::Acquire);
        if raw == STATE_REJECTED {
            return Err(Error::SessionRejected);
        }
        match State::from_u8(raw) {
            State::Failed => Err(Error::SessionFailed),
            State::Closed => Err(Error::SessionClosed),
            s => Ok(s),
        }
    }

    /// Ends the session for good: publishes the end state, drops the handshake (`hs`, the
    /// locked handshake when the caller holds it, else it is locked here) and erases the
    /// keys. Every fatal error, `reject` and `close` end here.
    fn end(&self, hs: Option<&mut Handshake>, how: End) {
        self.state.store(how.code(), Ordering::Release);
        match hs {
            Some(hs) => *hs = Handshake::Done,
            None => *self.handshake.lock() = Handshake::Done,
        }
        self.halves.clear();
    }

    /// Ends the session after a fatal error and returns that error.
    fn fail(&self, hs: Option<&mut Handshake>, e: Error) -> Error {
        self.end(hs, End::Failed);
        e
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
        self.handshake
            .lock()
            .pending()
            .map(<[u8]>::len)
            .ok_or(Error::WrongState)
    }

    /// Runs one transition of the handshake: takes the state out of `hs`, gives it to
    /// `event` and applies the result (the next state, or the state given back, or the end
    /// of the session).
    fn transition<T>(
        &self,
        hs: &mut Handshake,
        event: impl FnOnce(Handshake) -> machine::Transition<(Step, T)>,
    ) -> Result<T> {
        let current = std::mem::replace(hs, Handshake::Done);
        match event(current) {
            Ok((step, out)) => {
                self.apply(hs, step);
                Ok(out)
            }
            Err(Failure::Keep(kept, e)) => {
                *hs = kept;
                Err(e)
            }
            Err(Failure::Fatal(e)) => Err(self.fail(Some(hs), e)),
        }
    }

    /// Applies a successful transition.
    fn apply(&self, hs: &mut Handshake, step: Step) {
        let Step {
            next,
            negotiated,
            credentials,
        } = step;
        if let Some(n) = negotiated {
            let _ = self.negotiated.set(n);
        }
        if let Some(c) = credentials {
            *self.client_credentials.lock() = Some(Box::new(c));
        }
        match next {
            Next::Handshake(next) => {
                let state = next.state().unwrap_or(State::Failed);
                *hs = next;
                self.set_state(state);
            }
            Next::Established(Halves { send, recv }) => {
                self.halves.install(recv, send);
                self.set_state(State::Established);
            }
        }
    }

    /// Writes the next handshake message into `out` and returns its length. Only in
    /// `NeedWrite` (else `WrongState`); a short buffer is `BufferTooSmall` and changes
    /// nothing (see [`Session::pending_handshake_len`]).
    pub fn write_handshake(&self, out: &mut [u8]) -> Result<usize> {
        self.live_state()?;
        let mut hs = self.handshake.lock();
        self.transition(&mut hs, |st| st.write(out))
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
        let mode = self.mode;
        self.transition(&mut hs, |st| st.read(msg, mode).map(|step| (step, ())))
    }

    /// Server in `NeedAccept`: the application accepts the client; the session becomes
    /// `Established`. Else `WrongState` (nothing changes), `SessionFailed`, `SessionClosed`.
    pub fn accept(&self) -> Result<()> {
        self.live_state()?;
        let mut hs = self.handshake.lock();
        self.transition(&mut hs, |st| {
            let halves = st.accept()?;
            let step = Step {
                next: Next::Established(halves),
                negotiated: None,
                credentials: None,
            };
            Ok((step, ()))
        })
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
        let current = std::mem::replace(&mut *hs, Handshake::Done);
        match current.reject(out) {
            Ok(n) => {
                self.end(Some(&mut hs), End::Rejected);
                Ok(n)
            }
            Err(Failure::Keep(kept, e)) => {
                *hs = kept;
                Err(e)
            }
            Err(Failure::Fatal(e)) => Err(self.fail(Some(&mut hs), e)),
        }
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

    /// `Ok` when established (`raw`: the state field), else the error of [`Session::seal`]
    /// and [`Session::open`] for the state (`WrongState`, `SessionFailed`,
    /// `SessionClosed`...). One atomic load on the shared packet path, none on the exclusive
    /// one.
    #[inline]
    fn check_packet_state(&self, raw: u8) -> Result<()> {
        if raw == State::Established.code() as u8 {
            return Ok(());
        }
        self.live_state()?;
        Err(Error::WrongState)
    }

    /// The packet path, inlined into its callers (the C ABI exports).
    #[inline(always)]
    fn seal_with(&self, plaintext: transport::Plaintext, out: &mut [u8]) -> Result<usize> {
        seal_packet(self, plaintext, out)
    }

    /// [`Session::seal`] for a caller that owns the session (the endpoint): no lock is
    /// taken and no atomic operation runs; same checks, order, errors and changes (the same
    /// code: [`seal_packet`]).
    #[inline]
    pub(crate) fn seal_exclusive(&mut self, plaintext: &[u8], out: &mut [u8]) -> Result<usize> {
        seal_packet(self, transport::Plaintext::From(plaintext), out)
    }

    /// The key update that [`Session::seal`] starts near the usage limit (section 18):
    /// `KeyUpdateBlocked` is not an error there (the seal goes on under the current key while
    /// the limit allows it).
    #[cold]
    #[inline(never)]
    fn update_keys_near_limit(&self) -> Result<()> {
        match self.update_keys() {
            Ok(()) | Err(Error::KeyUpdateBlocked) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The error of a packet call when the halves are gone: the session's end state, else
    /// `WrongState`.
    #[cold]
    #[inline(never)]
    fn dead_or_wrong_state(&self) -> Error {
        self.live_state().err().unwrap_or(Error::WrongState)
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
        let (mut recv_guard, mut send_guard) = self.halves.both();
        let (Some(recv), Some(send)) = (recv_guard.as_mut(), send_guard.as_mut()) else {
            return Err(self.dead_or_wrong_state());
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
        match self.halves.send().as_ref() {
            Some(half) => Ok(half.generation()),
            None => Err(self.dead_or_wrong_state()),
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
        open_packet(self, packet, out)
    }

    /// [`Session::open`] for a caller that owns the session (the endpoint): no lock is
    /// taken and no atomic operation runs on the way; same checks, order, errors and changes
    /// (the same code: [`open_packet`]).
    #[inline]
    pub(crate) fn open_exclusive(&mut self, packet: &[u8], out: &mut [u8]) -> Result<usize> {
        open_packet(self, packet, out)
    }

    /// Closes the session. When established, writes an authenticated close packet for the
    /// peer into `out` (`PACKET_OVERHEAD` bytes) and returns its length; during the handshake
    /// (or when the packet numbers are used up) writes nothing and returns 0. Afterwards every
    /// call returns `SessionClosed`; the keys are erased.
    pub fn close(&self, out: &mut [u8]) -> Result<usize> {
        let state = self.live_state()?;
        let mut written = 0;
        if state == State::Established {
            let mut send = self.halves.send();
            if let Some(half) = send.as_mut() {
                match half.seal(1, &[], out) {
                    Ok(n) => written = n,
                    Err(Error::KeyExhausted) => {}
                    Err(e) => return Err(e),
                }
            }
            *send = None;
        }
        self.end(None, End::Closed);
        Ok(written)
    }

    /// Test hook: replaces the usage limits of this session (confidentiality limit of the
    /// send key in units, `None` for none; integrity limit in failed opens).
    /// Also in `testing` builds, for the C ABI tests in `tests/`.
    #[cfg(any(test, feature = "testing"))]
    #[doc(hidden)]
    pub fn set_limits_for_test(&self, confidentiality: Option<u64>, integrity: u64) {
        let (mut recv, mut send) = self.halves.both();
        if let Some(r) = recv.as_mut() {
            r.set_integrity_limit(integrity);
        }
        if let Some(s) = send.as_mut() {
            s.set_confidentiality_limit(confidentiality);
        }
    }

    /// Test hook: is the previous generation's receive key still kept?
    #[cfg(test)]
    pub(crate) fn keeps_previous_key(&self) -> bool {
        self.halves
            .recv()
            .as_ref()
            .is_some_and(|r| r.has_previous())
    }

    /// Test hook: are the next generation's receive keys derived (section 17.1: lazily)?
    #[cfg(test)]
    pub(crate) fn derived_next_key(&self) -> bool {
        self.halves.recv().as_ref().is_some_and(|r| r.has_next())
    }

    /// Test hook: pretends that `pn` packets were already sent.
    #[cfg(test)]
    pub(crate) fn set_next_packet_number(&self, pn: u64) {
        if let Some(half) = self.halves.send().as_mut() {
            half.set_next_packet_number(pn);
        }
    }

    /// Number of packets sent so far in this session (including the client's Finished).
    pub fn packets_sent(&self) -> u64 {
        self.halves
            .send()
            .as_ref()
            .map(|h| h.next_packet_number())
            .unwrap_or(0)
    }
}
