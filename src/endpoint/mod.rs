//! A sans-IO connection endpoint over the secure session: it owns handshake retransmission
//! and timeouts, keep-alive and idle timeout, the authenticated close, the server's peer
//! table (by address), limits, retry cookies and the quiet dropping of late duplicates and
//! stray datagrams. Behaviour, timers and defaults: docs/ENDPOINT.md. The wire protocol is
//! docs/PROTOCOL.md unchanged (keep-alive is an empty data packet, section 10.2;
//! retransmission follows section 13; close section 19; retry cookies section 22).
//!
//! The application drives it with the current monotonic time in milliseconds:
//!
//! ```text
//! loop {
//!     wait for a datagram or until next_deadline()
//!     receive(now, addr, datagram)            for each datagram
//!         (or receive_batch(now, &datagrams)  for all of them at once: faster at many peers)
//!     handle_timeout(now)
//!     while let Some(t) = poll_transmit()     send t.data to t.addr
//!     while let Some(e) = poll_event()        Connected / Data / ClientCredentials / Closed
//!     send(now, peer, data)                   as the game wants
//! }
//! ```
//!
//! No heap allocation happens per packet once the queues and the timer heap have grown to
//! their working size: packets are sealed straight into the transmit queue and opened
//! straight into the received-data queue.

mod addr;
pub mod config;
mod hint;
pub(crate) mod queue;

pub use config::{defaults, EndpointConfig, MAX_DATA_LEN_LIMIT};

use crate::error::{Error, Result};
use crate::keys::FINGERPRINT_LEN;
use crate::session::{
    limits, ClientConfig, Mode, RetryAction, ServerConfig, Session, State, Suite,
};
use addr::{addr_copy, addr_eq, AddrKey, AddrTable};
use queue::ByteQueue;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::Arc;

/// The endpoint's own result codes (docs/ENDPOINT.md section 6), as named constants.
pub mod codes {
    use crate::error::Error;
    /// The peer id is not (or no longer) a peer of this endpoint.
    pub const UNKNOWN_PEER: Error = Error::UnknownPeer;
    /// `now_ms` is smaller than the time of an earlier call.
    pub const TIME_WENT_BACKWARDS: Error = Error::TimeWentBackwards;
    /// The peer is not connected yet (or is waiting for accept/reject).
    pub const NOT_CONNECTED: Error = Error::PeerNotConnected;
    /// A queue is at its limit (`max_queued_bytes`).
    pub const QUEUE_FULL: Error = Error::QueueFull;
    /// The endpoint holds `max_peers` peers.
    pub const PEER_LIMIT: Error = Error::PeerLimit;
    /// A client call on a server endpoint or the reverse.
    pub const WRONG_ROLE: Error = Error::WrongRole;
    /// `connect` to an address that already has a peer.
    pub const ADDRESS_IN_USE: Error = Error::AddressInUse;
    /// The code of a `Closed` event after the idle timeout.
    pub const IDLE_TIMEOUT: Error = Error::IdleTimeout;
    /// The code of a `Closed` event after the handshake timeout.
    pub const HANDSHAKE_TIMEOUT: Error = Error::HandshakeTimeout;
}

const MSG_CLIENT_HELLO: u8 = 0x01;
const MSG_SERVER_HELLO: u8 = 0x02;
const MSG_CLIENT_FINISHED: u8 = 0x03;
const MSG_RETRY: u8 = 0x04;
const TYPE_DATA: u8 = 0x40;
const TYPE_CLOSE_PHASE1: u8 = 0x43;

/// A peer of an endpoint: never 0, never reused for another peer of the same endpoint
/// while the endpoint lives (a slot index and a generation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId(pub u64);

impl PeerId {
    fn new(index: u32, generation: u32) -> PeerId {
        PeerId(((generation as u64) << 32) | (index as u64 + 1))
    }
    fn index(self) -> Option<(usize, u32)> {
        let low = (self.0 & 0xffff_ffff) as usize;
        low.checked_sub(1).map(|i| (i, (self.0 >> 32) as u32))
    }
}

/// Client or server endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Connects to servers with [`Endpoint::connect`].
    Client,
    /// Accepts peers that send a ClientHello.
    Server,
}

/// Why a peer ended. [`CloseReason::code`] is the C constant `GAMECRYPT_ENDPOINT_CLOSE_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CloseReason {
    /// The peer sent an authenticated close packet. Code 1.
    PeerClosed,
    /// Nothing authenticated arrived from the connected peer for the idle timeout. Code 2.
    IdleTimeout,
    /// The handshake did not complete within the handshake timeout. Code 3.
    HandshakeTimeout,
    /// Client: the server rejected our credentials (close before any data). Server: the
    /// application called [`Endpoint::reject`]. Code 4.
    Rejected,
    /// The session failed (a fatal handshake or packet error; see the event's error). Code 5.
    Failed,
    /// The application called [`Endpoint::close`]. Code 6.
    Local,
    /// Server: the client at this peer's address connected again (a new handshake from the
    /// same address completed, for example after the game restarted); the new peer's
    /// `Connected` follows. Code 7.
    Replaced,
}

impl CloseReason {
    /// The C constant.
    pub const fn code(self) -> u32 {
        match self {
            CloseReason::PeerClosed => 1,
            CloseReason::IdleTimeout => 2,
            CloseReason::HandshakeTimeout => 3,
            CloseReason::Rejected => 4,
            CloseReason::Failed => 5,
            CloseReason::Local => 6,
            CloseReason::Replaced => 7,
        }
    }
}

/// What [`Endpoint::poll_event`] reports.
#[derive(Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// The peer is connected: `send` works and data may arrive. Client: the server answered
    /// our ClientFinished with a packet. Server: the ClientFinished was verified (and with
    /// client authentication, the application accepted). `fingerprint`: client: the
    /// server's key; server: the client's key (client authentication), else `None`.
    Connected {
        /// The peer.
        peer: PeerId,
        /// The negotiated suite.
        suite: Suite,
        /// SHA-256 fingerprint of the peer's authenticated public key.
        fingerprint: Option<[u8; FINGERPRINT_LEN]>,
    },
    /// An application message from the peer (never empty: keep-alives are not reported).
    Data {
        /// The peer.
        peer: PeerId,
        /// The message, valid until the next call on the endpoint.
        data: &'a [u8],
    },
    /// Server with client authentication: read the client's key and token
    /// ([`Endpoint::peer_fingerprint`], [`Endpoint::peer_client_token`]) and call
    /// [`Endpoint::accept`] or [`Endpoint::reject`].
    ClientCredentials {
        /// The peer.
        peer: PeerId,
    },
    /// The peer ended; its id is no longer valid. Reported once for every peer the
    /// application knew (client: from `connect`; server: from `Connected` or
    /// `ClientCredentials`).
    Closed {
        /// The peer.
        peer: PeerId,
        /// Why.
        reason: CloseReason,
        /// The result code behind it (for `Failed`: the session's error).
        error: Error,
    },
}

/// A queued event other than data (those are records of the received-data queue, see
/// `RX_HEADER`).
#[derive(Debug)]
enum EventRec {
    Connected {
        peer: PeerId,
        suite: Suite,
        fingerprint: Option<Box<[u8; FINGERPRINT_LEN]>>,
    },
    ClientCredentials {
        peer: PeerId,
    },
    Closed {
        peer: PeerId,
        reason: CloseReason,
        error: Error,
    },
}

/// One received datagram, for [`Endpoint::receive_batch`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Datagram<'a> {
    /// The sender's address, as for [`Endpoint::receive`].
    pub addr: &'a [u8],
    /// The datagram.
    pub data: &'a [u8],
}

/// One datagram to send, from [`Endpoint::poll_transmit`].
#[derive(Debug, PartialEq, Eq)]
pub struct Transmit<'a> {
    /// The address given by the application for this peer.
    pub addr: &'a [u8],
    /// The datagram.
    pub data: &'a [u8],
}

/// Where a peer is, from [`Endpoint::peer_state`]. [`PeerState::code`] is the C constant
/// `GAMECRYPT_ENDPOINT_PEER_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerState {
    /// Handshake in progress. Code 1.
    Handshake,
    /// Server with client authentication: waiting for accept or reject. Code 2.
    AwaitingAccept,
    /// Connected. Code 3.
    Connected,
}

impl PeerState {
    /// The C constant.
    pub const fn code(self) -> u32 {
        match self {
            PeerState::Handshake => 1,
            PeerState::AwaitingAccept => 2,
            PeerState::Connected => 3,
        }
    }
}

/// Counters of an endpoint (all since creation, except `peers` and `handshakes`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndpointStats {
    /// Peers now (connected and in handshake).
    pub peers: u64,
    /// Server handshakes in progress now.
    pub handshakes: u64,
    /// Datagrams given to `receive` or `receive_into`.
    pub datagrams_received: u64,
    /// Datagrams queued for sending.
    pub datagrams_sent: u64,
    /// Datagrams from addresses with no peer that were not a usable ClientHello.
    pub dropped_stray: u64,
    /// Datagrams for a peer that were dropped (duplicates, replays, forgeries, early data,
    /// messages that do not belong to the peer's state).
    pub dropped_invalid: u64,
    /// ClientHellos refused because of `max_peers` or `max_handshakes`.
    pub refused: u64,
    /// Retry messages sent (server with retry cookies).
    pub retries_sent: u64,
    /// Server handshakes that failed (a bad message that ended the session).
    pub handshakes_failed: u64,
    /// Handshake messages sent again.
    pub handshake_resends: u64,
    /// Keep-alive packets sent.
    pub keepalives_sent: u64,
    /// Datagrams or events dropped because a queue was full.
    pub queue_overflows: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Client: ClientHello sent (or CH2 after a Retry), waiting for the ServerHello.
    ClientHello,
    /// Client: ClientFinished sent, waiting for the server's first packet.
    ClientFinished,
    /// Server: ServerHello sent, waiting for the ClientFinished.
    ServerHello,
    /// Server: credentials reported, waiting for accept or reject.
    ServerAccept,
    /// Data flows.
    Connected,
}

/// Handshake bookkeeping, freed when the peer is connected.
struct Handshake {
    /// The message to send again (client: CH/CH2/ClientFinished; server: ServerHello).
    msg: Vec<u8>,
    next_resend: u64,
    interval: u64,
    started: u64,
}

struct Peer {
    id: PeerId,
    addr: AddrKey,
    session: Session,
    phase: Phase,
    hs: Option<Box<Handshake>>,
    last_recv: u64,
    last_send: u64,
    /// Deadline of this peer's live entry in the timer heap (u64::MAX: none).
    timer_at: u64,
    /// Server: last time a duplicate ClientFinished was answered with an empty packet.
    last_confirm: u64,
    /// The application knows this peer (it gets a `Closed` event at the end).
    announced: bool,
    /// Server: the ClientHello that made this peer ([`hello_id`]), kept after the
    /// handshake: its late copies get the ServerHello again or are dropped, never start a
    /// new handshake. Client: zero.
    client_hello: [u8; 16],
    /// Server, a peer in the address table: slot + 1 of the handshake that a new ClientHello
    /// from the same address started beside it (0: none); it replaces this peer when it
    /// completes.
    successor: u32,
    /// Server, such a successor: slot + 1 of the peer it will replace (0: none). A successor
    /// is not in the address table; it enters it when it replaces that peer or when that
    /// peer ends first.
    replaces: u32,
}

/// Server: what identifies a ClientHello and its copies: the first 16 bytes of its
/// client_random (docs/PROTOCOL.md section 4: bytes 3..19), `None` when the datagram is too
/// short to hold them. A client draws a fresh random for each new connection; its second
/// ClientHello after a Retry keeps it (section 22.3), and so does any other ClientHello
/// built by someone who saw the first: those are treated as copies (answered with the same
/// ServerHello while it waits, else dropped), which starts nothing.
fn hello_id(client_hello: &[u8]) -> Option<[u8; 16]> {
    client_hello.get(3..19)?.try_into().ok()
}

impl Peer {
    fn deadline(&self, cfg: &EndpointConfig) -> u64 {
        match (&self.hs, self.phase) {
            (_, Phase::Connected) => (self.last_recv + cfg.idle_timeout_ms)
                .min(self.last_send + cfg.keepalive_interval_ms),
            (Some(hs), Phase::ClientHello | Phase::ClientFinished) => {
                hs.next_resend.min(hs.started + cfg.handshake_timeout_ms)
            }
            (Some(hs), _) => hs.started + cfg.handshake_timeout_ms,
            (None, _) => u64::MAX,
        }
    }
}

struct Slot {
    generation: u32,
    /// Inline (not boxed): a look-up reads the slot and the peer in one place.
    peer: Option<Peer>,
}

enum Configs {
    Client(Arc<ClientConfig>),
    Server(Arc<ServerConfig>),
}

/// A client or server endpoint: many peers over one datagram socket, sans-IO.
pub struct Endpoint {
    configs: Configs,
    cfg: EndpointConfig,
    now: u64,
    slots: Vec<Slot>,
    free: Vec<u32>,
    by_addr: AddrTable,
    timers: BinaryHeap<Reverse<(u64, u32, u32)>>,
    tx: ByteQueue,
    rx: ByteQueue,
    /// Events other than data, in order; each has a `RX_CONTROL` record in `rx`.
    events: VecDeque<EventRec>,
    /// Events queued (data and others), against `max_pending_events`.
    pending: usize,
    handshakes: usize,
    stats: EndpointStats,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("role", &self.role())
            .field("now", &self.now)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

/// Transmit record header: address length (u8) and datagram length (u32, little-endian).
const TX_HEADER: usize = 5;

/// Received-data queue record header, two little-endian words: the kind (low byte) and the
/// data length (high 32 bits), then the peer id. Every event is such a record, in order: a
/// message (`RX_DATA`, the data follows) or the next event of `Endpoint::events`
/// (`RX_CONTROL`), so that a received message is queued and reported without a second queue.
const RX_HEADER: usize = 16;
const RX_DATA: u64 = 1;
const RX_CONTROL: u64 = 2;

#[inline]
fn check_addr(addr: &[u8]) -> Result<()> {
    if addr.is_empty() || addr.len() > limits::CLIENT_ADDRESS_MAX_LEN {
        return Err(Error::InvalidLength);
    }
    Ok(())
}

/// Queues one datagram for `addr`, written by `fill` into at most `max_len` bytes.
#[inline]
fn push_tx(
    tx: &mut ByteQueue,
    stats: &mut EndpointStats,
    addr: &[u8],
    max_len: usize,
    fill: impl FnOnce(&mut [u8]) -> Result<usize>,
) -> Result<usize> {
    let (_, buf) = match tx.reserve(TX_HEADER + addr.len() + max_len, codes::QUEUE_FULL) {
        Ok(r) => r,
        Err(e) => {
            stats.queue_overflows += 1;
            return Err(e);
        }
    };
    let (head, rest) = buf.split_at_mut(TX_HEADER + addr.len());
    let n = fill(&mut rest[..max_len])?;
    head[0] = addr.len() as u8;
    head[1..5].copy_from_slice(&(n as u32).to_le_bytes());
    addr_copy(&mut head[TX_HEADER..], addr);
    tx.commit(TX_HEADER + addr.len() + n);
    stats.datagrams_sent += 1;
    Ok(n)
}

/// Opens a data or close packet of `peer` straight into the received-data queue, where a
/// message (not empty) becomes a `Data` event record: `Ok(true)`; `Ok(false)` when the
/// queue is full (counted; the packet is not opened); else the session's error.
#[inline(always)]
fn open_into(
    rx: &mut ByteQueue,
    pending: &mut usize,
    stats: &mut EndpointStats,
    peer: &mut Peer,
    datagram: &[u8],
) -> Result<bool> {
    let max = datagram.len().saturating_sub(limits::PACKET_OVERHEAD);
    let Ok((_, buf)) = rx.reserve(RX_HEADER + max, codes::QUEUE_FULL) else {
        stats.queue_overflows += 1;
        return Ok(false);
    };
    let (head, out) = buf.split_at_mut(RX_HEADER);
    let n = peer.session.open_exclusive(datagram, out)?;
    if n > 0 {
        head[..8].copy_from_slice(&(RX_DATA | ((n as u64) << 32)).to_le_bytes());
        head[8..].copy_from_slice(&peer.id.0.to_le_bytes());
        rx.commit(RX_HEADER + n);
        *pending += 1;
    }
    Ok(true)
}

fn push_copy(tx: &mut ByteQueue, stats: &mut EndpointStats, addr: &[u8], msg: &[u8]) {
    let _ = push_tx(tx, stats, addr, msg.len(), |out| {
        out.copy_from_slice(msg);
        Ok(msg.len())
    });
}

impl Endpoint {
    /// A client endpoint; peers are made by [`Endpoint::connect`].
    /// `InvalidArgument` when the settings contradict each other.
    pub fn new_client(config: Arc<ClientConfig>, settings: EndpointConfig) -> Result<Endpoint> {
        Self::new(Configs::Client(config), settings)
    }

    /// A server endpoint: a ClientHello from a new address makes a peer (within the limits;
    /// with retry cookies configured, only after the client proved its address).
    pub fn new_server(config: Arc<ServerConfig>, settings: EndpointConfig) -> Result<Endpoint> {
        Self::new(Configs::Server(config), settings)
    }

    fn new(configs: Configs, cfg: EndpointConfig) -> Result<Endpoint> {
        cfg.check()?;
        Ok(Endpoint {
            configs,
            tx: ByteQueue::new(cfg.max_queued_bytes),
            rx: ByteQueue::new(cfg.max_queued_bytes),
            cfg,
            now: 0,
            slots: Vec::new(),
            free: Vec::new(),
            by_addr: AddrTable::new(),
            timers: BinaryHeap::new(),
            events: VecDeque::new(),
            pending: 0,
            handshakes: 0,
            stats: EndpointStats::default(),
        })
    }

    /// Client or server.
    pub fn role(&self) -> Role {
        match self.configs {
            Configs::Client(_) => Role::Client,
            Configs::Server(_) => Role::Server,
        }
    }

    /// The settings.
    pub fn config(&self) -> &EndpointConfig {
        &self.cfg
    }

    /// The counters.
    pub fn stats(&self) -> EndpointStats {
        EndpointStats {
            peers: self.by_addr.len() as u64,
            handshakes: self.handshakes as u64,
            ..self.stats
        }
    }

    /// Number of peers (connected and in handshake).
    pub fn peer_count(&self) -> usize {
        self.by_addr.len()
    }

    #[inline]
    fn advance(&mut self, now: u64) -> Result<()> {
        if now < self.now {
            return Err(codes::TIME_WENT_BACKWARDS);
        }
        self.now = now;
        Ok(())
    }

    #[inline]
    fn slot_of(&self, peer: PeerId) -> Result<usize> {
        let (i, generation) = peer.index().ok_or(codes::UNKNOWN_PEER)?;
        match self.slots.get(i) {
            Some(s) if s.generation == generation && s.peer.is_some() => Ok(i),
            _ => Err(codes::UNKNOWN_PEER),
        }
    }

    fn peer(&self, peer: PeerId) -> Result<&Peer> {
        let i = self.slot_of(peer)?;
        self.slots[i].peer.as_ref().ok_or(codes::UNKNOWN_PEER)
    }

    /// The slot of the peer at `addr`, whose tag is `tag` ([`AddrTable::tag`]).
    #[inline(always)]
    fn lookup(&self, addr: &[u8], tag: u32) -> Option<u32> {
        let slots = &self.slots;
        self.by_addr.find(tag, |i| {
            matches!(slots.get(i as usize), Some(Slot { peer: Some(p), .. }) if addr_eq(p.addr.as_slice(), addr))
        })
    }

    /// Puts a new peer in a free slot and in the address table, or, with `beside`, as the
    /// successor of the peer in that slot (same address; not in the table).
    fn insert(
        &mut self,
        addr: &[u8],
        session: Session,
        phase: Phase,
        hs: Handshake,
        client_hello: [u8; 16],
        beside: Option<usize>,
    ) -> PeerId {
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                if self.slots.len() == self.slots.capacity() {
                    // Grow by at most 1,024 slots: an unused slot costs a whole peer's size.
                    // Up to `max_peers`, then the handshakes beside peers (reconnects).
                    let len = self.slots.len();
                    let room = match self.cfg.max_peers.checked_sub(len) {
                        Some(n @ 1..) => n,
                        _ => (self.cfg.max_peers + self.cfg.max_handshakes).saturating_sub(len),
                    }
                    .clamp(1, 1024);
                    self.slots.reserve_exact(room);
                }
                self.slots.push(Slot {
                    generation: 0,
                    peer: None,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let replaces = match beside {
            Some(j) => {
                if let Some(old) = self.slots[j].peer.as_mut() {
                    old.successor = index + 1;
                }
                j as u32 + 1
            }
            None => {
                let tag = self.by_addr.tag(addr);
                self.by_addr.insert(tag, index);
                0
            }
        };
        let slot = &mut self.slots[index as usize];
        let id = PeerId::new(index, slot.generation);
        let addr = AddrKey::new(addr);
        if phase == Phase::ServerHello {
            self.handshakes += 1;
        }
        slot.peer = Some(Peer {
            id,
            addr,
            session,
            phase,
            hs: Some(Box::new(hs)),
            last_recv: self.now,
            last_send: self.now,
            timer_at: u64::MAX,
            last_confirm: 0,
            announced: false,
            client_hello,
            successor: 0,
            replaces,
        });
        self.schedule(index as usize);
        id
    }

    /// Makes sure the timer heap has an entry at or before the peer's deadline.
    fn schedule(&mut self, i: usize) {
        let Some(p) = self.slots[i].peer.as_mut() else {
            return;
        };
        let d = p.deadline(&self.cfg);
        if d < p.timer_at {
            p.timer_at = d;
            self.timers
                .push(Reverse((d, i as u32, self.slots[i].generation)));
        }
    }

    /// Removes a peer; reports `Closed` if the application knew it.
    fn remove(&mut self, i: usize, reason: CloseReason, error: Error) {
        let slot = &mut self.slots[i];
        let Some(p) = slot.peer.take() else {
            return;
        };
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(i as u32);
        if let Some(j) = p.replaces.checked_sub(1) {
            // A successor that ended first: its address's peer goes on alone.
            if let Some(old) = self.slots[j as usize].peer.as_mut() {
                old.successor = 0;
            }
        } else {
            let tag = self.by_addr.tag(p.addr.as_slice());
            self.by_addr.remove(tag, i as u32);
            if let Some(s) = p.successor.checked_sub(1) {
                // The handshake started beside it now holds the address.
                self.by_addr.insert(tag, s);
                if let Some(next) = self.slots[s as usize].peer.as_mut() {
                    next.replaces = 0;
                }
            }
        }
        if matches!(p.phase, Phase::ServerHello | Phase::ServerAccept) {
            self.handshakes -= 1;
        }
        if p.announced {
            // Always reported, even beyond max_pending_events: it ends the peer's id.
            self.push_event(EventRec::Closed {
                peer: p.id,
                reason,
                error,
            });
        }
    }

    /// Queues an event other than data (never refused: these are few per peer).
    fn push_event(&mut self, e: EventRec) {
        self.events.push_back(e);
        let mut marker = [0u8; RX_HEADER];
        marker[..8].copy_from_slice(&RX_CONTROL.to_le_bytes());
        self.rx.push_always(&marker);
        self.pending += 1;
    }

    // ---- client ----

    /// Client: starts a handshake with the server at `addr` (opaque bytes, 1..=128, that
    /// the application also gives to `receive` for its datagrams). The ClientHello is queued
    /// for sending. Errors: `WRONG_ROLE`, `ADDRESS_IN_USE`, `PEER_LIMIT`, `InvalidLength`,
    /// `TIME_WENT_BACKWARDS`.
    pub fn connect(&mut self, now: u64, addr: &[u8]) -> Result<PeerId> {
        let Configs::Client(cc) = &self.configs else {
            return Err(codes::WRONG_ROLE);
        };
        let cc = cc.clone();
        check_addr(addr)?;
        if now < self.now {
            return Err(codes::TIME_WENT_BACKWARDS);
        }
        if self.lookup(addr, self.by_addr.tag(addr)).is_some() {
            return Err(codes::ADDRESS_IN_USE);
        }
        if self.by_addr.len() >= self.cfg.max_peers {
            return Err(codes::PEER_LIMIT);
        }
        let session = Session::new_client(cc, Mode::Datagram)?;
        let mut msg = vec![0u8; session.pending_handshake_len()?];
        let n = session.write_handshake(&mut msg)?;
        msg.truncate(n);
        self.now = now;
        push_copy(&mut self.tx, &mut self.stats, addr, &msg);
        let hs = Handshake {
            msg,
            next_resend: now + self.cfg.handshake_resend_initial_ms,
            interval: self.cfg.handshake_resend_initial_ms,
            started: now,
        };
        let id = self.insert(addr, session, Phase::ClientHello, hs, [0; 16], None);
        if let Ok(i) = self.slot_of(id) {
            if let Some(p) = self.slots[i].peer.as_mut() {
                p.announced = true;
            }
        }
        Ok(id)
    }

    // ---- receive ----

    /// Gives the endpoint a datagram received from `addr` (1..=128 bytes, else
    /// `InvalidLength`). Datagrams that belong to no peer, duplicates, replays and forgeries
    /// are dropped quietly (counted in [`Endpoint::stats`]) and return Ok.
    #[inline]
    pub fn receive(&mut self, now: u64, addr: &[u8], datagram: &[u8]) -> Result<()> {
        self.receive_with(now, addr, datagram, None).map(|_| ())
    }

    /// [`Endpoint::receive`] that may hand a message straight to the caller: when the
    /// datagram is a data packet of a connected peer, no event is waiting (so that every
    /// event queued before, such as this peer's `Connected`, is polled before its data), and
    /// `out` holds the plaintext (`datagram.len() - PACKET_OVERHEAD` bytes, or more), the
    /// packet is opened into `out` without going through the event queue:
    /// `Ok(Some((peer, len)))` for a message of `len` (>= 1) bytes at the start of `out`, and
    /// `Ok(None)` for a keep-alive (the peer's last receive time is updated, as by
    /// `receive`). In every other case it does exactly what `receive` does (data and events
    /// queued for [`Endpoint::poll_event`]) and returns `Ok(None)`. Same checks, order,
    /// errors and counters as `receive` (the same code). Always poll events after it, as
    /// after `receive`. The bytes of `out` past a returned message are unspecified (a packet
    /// that did not open may have left bytes there).
    #[inline]
    pub fn receive_into(
        &mut self,
        now: u64,
        addr: &[u8],
        datagram: &[u8],
        out: &mut [u8],
    ) -> Result<Option<(PeerId, usize)>> {
        self.receive_with(now, addr, datagram, Some(out))
    }

    /// [`Endpoint::receive`] of each datagram in order, for a server that takes several
    /// datagrams per wake-up (`recvmmsg`, or the engine's socket read in a loop): the same
    /// checks, drops, events and counters as that many calls, and faster at many peers:
    /// while one datagram is processed, the table entries and the peers of the next ones are
    /// already being fetched from memory, so their cache misses overlap. `now` and every
    /// address are checked before anything else: on such an error nothing has changed. (An
    /// internal error of one datagram, never expected, does not stop the batch: the first is
    /// returned after the rest are processed, as a loop of `receive` calls would.) Messages
    /// are queued as `Data` events (poll them after the batch; a batch larger than
    /// `max_pending_events` drops the messages beyond it, counted as queue overflows).
    pub fn receive_batch(&mut self, now: u64, datagrams: &[Datagram<'_>]) -> Result<()> {
        self.receive_batch_with(now, datagrams.len(), |k| datagrams[k])
    }

    /// [`Endpoint::receive_batch`] of the datagrams `at(0)`, ..., `at(count - 1)` (the C
    /// ABI reads them from its own array).
    #[inline]
    pub(crate) fn receive_batch_with<'d>(
        &mut self,
        now: u64,
        count: usize,
        at: impl Fn(usize) -> Datagram<'d>,
    ) -> Result<()> {
        for k in 0..count {
            check_addr(at(k).addr)?;
        }
        self.advance(now)?;
        // The table entry of the datagram AHEAD places on is prefetched (its tag kept in
        // `tags`), then the peer of the one AHEAD / 2 places on, then the datagram is
        // processed: each miss has the time of a few datagrams to complete.
        const AHEAD: usize = 4;
        const RING: usize = 8;
        let mut tags = [0u32; RING];
        let mut result = Ok(());
        for (k, t) in tags.iter_mut().enumerate().take(count.min(AHEAD)) {
            *t = self.by_addr.tag(at(k).addr);
            self.by_addr.prefetch(*t);
        }
        for k in 0..count {
            if k + AHEAD < count {
                let t = self.by_addr.tag(at(k + AHEAD).addr);
                tags[(k + AHEAD) % RING] = t;
                self.by_addr.prefetch(t);
            }
            if k + AHEAD / 2 < count {
                if let Some(slot) = self
                    .by_addr
                    .first(tags[(k + AHEAD / 2) % RING])
                    .and_then(|i| self.slots.get(i as usize))
                {
                    hint::prefetch(slot);
                }
            }
            let d = at(k);
            // As a loop of `receive` calls: an error of one datagram (never expected once the
            // arguments are checked) does not stop the others; the first is returned.
            if let Err(e) = self.receive_checked(now, d.addr, tags[k % RING], d.data, None) {
                result = result.and(Err(e));
            }
        }
        result
    }

    /// `receive`, and with `direct` `receive_into`: the one copy of the receive path.
    #[inline(always)]
    fn receive_with(
        &mut self,
        now: u64,
        addr: &[u8],
        datagram: &[u8],
        direct: Option<&mut [u8]>,
    ) -> Result<Option<(PeerId, usize)>> {
        check_addr(addr)?;
        self.advance(now)?;
        let tag = self.by_addr.tag(addr);
        self.receive_checked(now, addr, tag, datagram, direct)
    }

    /// `receive_with` once the address and the time are checked (`tag`: the address's).
    #[inline(always)]
    fn receive_checked(
        &mut self,
        now: u64,
        addr: &[u8],
        tag: u32,
        datagram: &[u8],
        direct: Option<&mut [u8]>,
    ) -> Result<Option<(PeerId, usize)>> {
        self.stats.datagrams_received += 1;
        let Some(i) = self.lookup(addr, tag) else {
            self.receive_stranger(addr, datagram);
            return Ok(None);
        };
        let i = i as usize;
        // The steady state, kept inline: a data or close packet for a connected peer.
        let first = datagram.first().copied().unwrap_or(0);
        let p = match self.slots.get_mut(i) {
            Some(Slot { peer: Some(p), .. })
                if p.phase == Phase::Connected
                    && (TYPE_DATA..=TYPE_CLOSE_PHASE1).contains(&first) =>
            {
                p
            }
            _ => return self.receive_peer(i, datagram).map(|()| None),
        };
        let max = datagram.len().saturating_sub(limits::PACKET_OVERHEAD);
        if let Some(out) = direct {
            // Only where the queue would have taken it (an empty queue: nothing to keep
            // in order with, and below `max_pending_events`, which is at least 16).
            if self.pending == 0 && out.len() >= max && self.rx.fits_empty(RX_HEADER + max) {
                return match p.session.open_exclusive(datagram, out) {
                    Ok(n) => {
                        p.last_recv = now;
                        Ok((n > 0).then_some((p.id, n)))
                    }
                    Err(e) => {
                        self.packet_error(i, e);
                        Ok(None)
                    }
                };
            }
        }
        if self.pending >= self.cfg.max_pending_events {
            self.stats.queue_overflows += 1;
            return Ok(None);
        }
        match open_into(
            &mut self.rx,
            &mut self.pending,
            &mut self.stats,
            p,
            datagram,
        ) {
            Ok(true) => p.last_recv = now,
            Ok(false) => {}
            Err(e) => self.packet_error(i, e),
        }
        Ok(None)
    }

    /// A datagram from an address without a peer.
    #[inline(never)]
    fn receive_stranger(&mut self, addr: &[u8], datagram: &[u8]) {
        if let Configs::Server(sc) = &self.configs {
            let sc = sc.clone();
            self.receive_new(&sc, addr, datagram, None);
        } else {
            self.stats.dropped_stray += 1;
        }
    }

    /// Server: a datagram from an address with no peer, or (`beside`: that peer's slot) a
    /// new ClientHello from the address of a peer, which starts a handshake beside it (the
    /// peer's successor; it does not count against `max_peers`, as it replaces the peer).
    /// A successor of that peer still waiting for its ClientFinished gives way to it.
    fn receive_new(
        &mut self,
        sc: &Arc<ServerConfig>,
        addr: &[u8],
        datagram: &[u8],
        beside: Option<usize>,
    ) {
        if datagram.first() != Some(&MSG_CLIENT_HELLO) {
            self.stats.dropped_stray += 1;
            return;
        }
        let pending = beside.and_then(|j| self.pending_successor(j));
        let full = beside.is_none() && self.by_addr.len() >= self.cfg.max_peers;
        if full || self.handshakes - usize::from(pending.is_some()) >= self.cfg.max_handshakes {
            self.stats.refused += 1;
            return;
        }
        match sc.check_client_hello(addr, datagram) {
            Ok(RetryAction::Accept) => {}
            Ok(RetryAction::SendRetry(retry)) => {
                self.stats.retries_sent += 1;
                push_copy(&mut self.tx, &mut self.stats, addr, &retry);
                return;
            }
            Ok(RetryAction::Drop) | Err(_) => {
                self.stats.dropped_stray += 1;
                return;
            }
        }
        let answered =
            Session::new_server_for_address(sc.clone(), Mode::Datagram, addr).and_then(|session| {
                session.read_handshake(datagram)?;
                let mut msg = vec![0u8; session.pending_handshake_len()?];
                let n = session.write_handshake(&mut msg)?;
                msg.truncate(n);
                Ok((session, msg))
            });
        let (session, msg) = match answered {
            Ok(r) => r,
            Err(_) => {
                self.stats.handshakes_failed += 1;
                return;
            }
        };
        if let Some(s) = pending {
            // Never reported to the application: it ends silently.
            self.remove(s, CloseReason::HandshakeTimeout, codes::HANDSHAKE_TIMEOUT);
        }
        push_copy(&mut self.tx, &mut self.stats, addr, &msg);
        let hs = Handshake {
            msg,
            next_resend: u64::MAX,
            interval: 0,
            started: self.now,
        };
        self.insert(
            addr,
            session,
            Phase::ServerHello,
            hs,
            // The session read the ClientHello: it holds a client_random.
            hello_id(datagram).unwrap_or_default(),
            beside,
        );
    }

    /// Server: the successor of the peer in slot `i` (see [`Peer::successor`]), if any.
    fn successor(&self, i: usize) -> Option<usize> {
        let s = self.slots[i].peer.as_ref()?.successor.checked_sub(1)?;
        Some(s as usize)
    }

    /// The successor of the peer in slot `i` if it still waits for its ClientFinished.
    fn pending_successor(&self, i: usize) -> Option<usize> {
        let s = self.successor(i)?;
        matches!(&self.slots[s].peer, Some(p) if p.phase == Phase::ServerHello).then_some(s)
    }

    /// Server: a ClientHello from the address of the peer in slot `i`. A copy of the
    /// ClientHello that made the peer or its successor (the same client_random,
    /// [`hello_id`]) gets the same ServerHello again while that handshake waits for the
    /// ClientFinished, and is dropped after; any other one starts a new handshake beside the
    /// peer ([`Endpoint::receive_new`]). The peer itself is not touched.
    fn receive_hello_again(&mut self, sc: &Arc<ServerConfig>, i: usize, datagram: &[u8]) {
        let id = hello_id(datagram);
        for s in [Some(i), self.successor(i)].into_iter().flatten() {
            let Some(p) = self.slots[s].peer.as_ref() else {
                continue;
            };
            if id != Some(p.client_hello) {
                continue;
            }
            match (p.phase, p.hs.as_deref()) {
                (Phase::ServerHello, Some(hs)) => {
                    // Our ServerHello was lost: send the same bytes again (section 13).
                    self.stats.handshake_resends += 1;
                    push_copy(&mut self.tx, &mut self.stats, p.addr.as_slice(), &hs.msg);
                }
                _ => self.stats.dropped_invalid += 1, // a late copy
            }
            return;
        }
        let Some(p) = self.slots[i].peer.as_ref() else {
            return;
        };
        let addr = p.addr.clone();
        self.receive_new(sc, addr.as_slice(), datagram, Some(i));
    }

    /// Server: the peer in slot `i` (in the handshake) verified its ClientFinished: it is
    /// connected (after the peer it replaces ends), or waits for `accept`. Else the
    /// session's error, and nothing changed here.
    fn receive_client_finished(&mut self, i: usize, datagram: &[u8]) -> Result<()> {
        let now = self.now;
        let p = self.slots[i].peer.as_mut().ok_or(Error::Internal)?;
        p.session.read_handshake(datagram)?;
        p.last_recv = now;
        p.announced = true;
        if p.session.state() == State::NeedAccept {
            // Still a handshake (its timeout runs) until accept or reject.
            p.phase = Phase::ServerAccept;
            if let Some(hs) = p.hs.as_deref_mut() {
                hs.msg = Vec::new();
            }
            let peer = p.id;
            self.push_event(EventRec::ClientCredentials { peer });
        } else {
            self.handshakes -= 1;
            self.take_over(i);
            self.connected(i);
        }
        Ok(())
    }

    /// A successor whose handshake is authenticated replaces its address's peer: that peer
    /// ends (`Closed`, reason `Replaced`, reported before the successor's `Connected`) and
    /// the successor takes its place in the address table. Nothing is sent to the old
    /// session: its client is gone (its packets would reach the new one, which drops them).
    fn take_over(&mut self, i: usize) {
        let Some(j) = self.slots[i]
            .peer
            .as_ref()
            .and_then(|p| p.replaces.checked_sub(1))
        else {
            return;
        };
        self.remove(j as usize, CloseReason::Replaced, Error::SessionClosed);
    }

    #[inline(never)]
    fn receive_peer(&mut self, i: usize, datagram: &[u8]) -> Result<()> {
        let now = self.now;
        let first = datagram.first().copied().unwrap_or(0);
        if let Configs::Server(sc) = &self.configs {
            if first == MSG_CLIENT_HELLO {
                let sc = sc.clone();
                self.receive_hello_again(&sc, i, datagram);
                return Ok(());
            }
            if first == MSG_CLIENT_FINISHED {
                if let Some(s) = self.pending_successor(i) {
                    // The new handshake's, or else (dropped there) the peer's own.
                    match self.receive_client_finished(s, datagram) {
                        Ok(()) => return Ok(()),
                        Err(e) => self.successor_finished_error(s, e),
                    }
                }
            }
        }
        let Some(p) = self.slots[i].peer.as_mut() else {
            return Ok(());
        };
        match p.phase {
            Phase::ClientHello => {
                if first != MSG_SERVER_HELLO && first != MSG_RETRY {
                    self.stats.dropped_invalid += 1;
                    return Ok(());
                }
                match p.session.read_handshake(datagram) {
                    Ok(()) => {
                        let hs = p.hs.as_deref_mut().ok_or(Error::Internal)?;
                        let n = p.session.pending_handshake_len()?;
                        hs.msg.resize(n, 0);
                        let n = p.session.write_handshake(&mut hs.msg)?;
                        hs.msg.truncate(n);
                        hs.interval = self.cfg.handshake_resend_initial_ms;
                        hs.next_resend = now + hs.interval;
                        if p.session.state() == State::Established {
                            p.phase = Phase::ClientFinished;
                        }
                        push_copy(&mut self.tx, &mut self.stats, p.addr.as_slice(), &hs.msg);
                        p.last_send = now;
                        self.schedule(i);
                    }
                    Err(e) => self.handshake_error(i, e),
                }
            }
            Phase::ServerHello => match first {
                MSG_CLIENT_FINISHED => {
                    if let Err(e) = self.receive_client_finished(i, datagram) {
                        self.handshake_error(i, e);
                    }
                }
                _ => self.stats.dropped_invalid += 1, // early data: lost (section 13)
            },
            Phase::ServerAccept => self.stats.dropped_invalid += 1,
            Phase::ClientFinished | Phase::Connected => {
                if !(TYPE_DATA..=TYPE_CLOSE_PHASE1).contains(&first) {
                    self.stats.dropped_invalid += 1;
                    if first == MSG_CLIENT_FINISHED
                        && p.phase == Phase::Connected
                        && now >= p.last_confirm + self.cfg.handshake_resend_initial_ms
                    {
                        // The client did not get our first packet yet: send an empty one.
                        p.last_confirm = now;
                        self.stats.handshake_resends += 1;
                        Self::seal_to(&mut self.tx, &mut self.stats, p, now, &[]);
                    }
                    return Ok(());
                }
                self.receive_packet(i, datagram);
            }
        }
        Ok(())
    }

    /// A data or close packet (type checked) for a peer whose ClientFinished was sent (client)
    /// or verified (server): opened straight into the received-data queue. (`receive` has
    /// its own copy of this for connected peers, the steady state.)
    #[inline(never)]
    fn receive_packet(&mut self, i: usize, datagram: &[u8]) {
        let now = self.now;
        let Some(p) = self.slots[i].peer.as_mut() else {
            return;
        };
        if self.pending >= self.cfg.max_pending_events {
            self.stats.queue_overflows += 1;
            return;
        }
        if p.phase != Phase::ClientFinished {
            match open_into(
                &mut self.rx,
                &mut self.pending,
                &mut self.stats,
                p,
                datagram,
            ) {
                Ok(true) => p.last_recv = now,
                Ok(false) => {}
                Err(e) => self.packet_error(i, e),
            }
            return;
        }
        // Client, the server's first packet: `Connected` is reported before its message,
        // so the message is opened aside (once per connection) and queued after.
        let max = datagram.len().saturating_sub(limits::PACKET_OVERHEAD);
        if self.rx.reserve(RX_HEADER + max, codes::QUEUE_FULL).is_err() {
            self.stats.queue_overflows += 1;
            return;
        }
        let mut data = vec![0u8; max];
        match p.session.open(datagram, &mut data) {
            Ok(n) => {
                p.last_recv = now;
                let peer = p.id;
                self.connected(i);
                if n > 0 {
                    let mut head = [0u8; RX_HEADER];
                    head[..8].copy_from_slice(&(RX_DATA | ((n as u64) << 32)).to_le_bytes());
                    head[8..].copy_from_slice(&peer.0.to_le_bytes());
                    // Room was checked above; the `Connected` record may have taken some.
                    self.rx.push_always(&head);
                    self.rx.push_always(&data[..n]);
                    self.pending += 1;
                }
            }
            Err(e) => self.packet_error(i, e),
        }
    }

    /// A packet that did not open: a close ends the peer, a failed session too; anything
    /// else (duplicates, replays, forgeries) is dropped.
    #[cold]
    #[inline(never)]
    fn packet_error(&mut self, i: usize, e: Error) {
        let Some(p) = self.slots[i].peer.as_ref() else {
            return;
        };
        if e == Error::PeerClosed {
            let reason = if p.phase == Phase::ClientFinished {
                CloseReason::Rejected
            } else {
                CloseReason::PeerClosed
            };
            self.remove(i, reason, Error::PeerClosed);
        } else if matches!(p.session.state(), State::Failed | State::Closed) {
            self.remove(i, CloseReason::Failed, e);
        } else {
            self.stats.dropped_invalid += 1;
        }
    }

    /// A ClientFinished that the successor in slot `s` could not open: it goes on to the
    /// peer it would replace (not counted as dropped here); a successor whose session failed
    /// ends.
    fn successor_finished_error(&mut self, s: usize, e: Error) {
        if matches!(&self.slots[s].peer, Some(p) if matches!(p.session.state(), State::Failed | State::Closed))
        {
            self.handshake_error(s, e);
        }
    }

    /// A handshake message failed: dropped if the session can go on (datagram-mode drop
    /// codes), else the peer ends.
    fn handshake_error(&mut self, i: usize, e: Error) {
        let Some(p) = self.slots[i].peer.as_ref() else {
            return;
        };
        if matches!(p.session.state(), State::Failed | State::Closed) {
            if !p.announced {
                self.stats.handshakes_failed += 1;
            }
            self.remove(i, CloseReason::Failed, e);
        } else {
            self.stats.dropped_invalid += 1;
        }
    }

    /// The peer's session is established and confirmed: report `Connected`; a server sends
    /// an empty packet at once so that the client stops resending its ClientFinished.
    fn connected(&mut self, i: usize) {
        let now = self.now;
        let Some(p) = self.slots[i].peer.as_mut() else {
            return;
        };
        let server = p.phase != Phase::ClientFinished;
        p.phase = Phase::Connected;
        p.hs = None;
        p.last_recv = now;
        let suite = p.session.suite().unwrap_or(Suite::P256EcdsaAes256GcmSha256);
        let fingerprint = peer_fingerprint(&p.session, server).map(Box::new);
        let peer = p.id;
        if server {
            p.last_confirm = now;
            Self::seal_to(&mut self.tx, &mut self.stats, p, now, &[]);
        }
        self.push_event(EventRec::Connected {
            peer,
            suite,
            fingerprint,
        });
        self.schedule(i);
    }

    fn seal_to(tx: &mut ByteQueue, stats: &mut EndpointStats, p: &mut Peer, now: u64, data: &[u8]) {
        let session = &mut p.session;
        if push_tx(
            tx,
            stats,
            p.addr.as_slice(),
            data.len() + limits::PACKET_OVERHEAD,
            |out| session.seal_exclusive(data, out),
        )
        .is_ok()
        {
            p.last_send = now;
        }
    }

    // ---- application calls ----

    /// Sends `data` (0..=`max_data_len` bytes, else `InvalidLength`) to a connected peer:
    /// it is sealed as one packet into the transmit queue. Errors: `UNKNOWN_PEER`,
    /// `NOT_CONNECTED`, `QUEUE_FULL`, `TIME_WENT_BACKWARDS`, and the session's errors
    /// (`KeyUpdateBlocked` changes nothing; a fatal one ends the peer with `Closed`).
    #[inline]
    pub fn send(&mut self, now: u64, peer: PeerId, data: &[u8]) -> Result<()> {
        let i = self.slot_of(peer)?;
        if now < self.now {
            return Err(codes::TIME_WENT_BACKWARDS);
        }
        if data.len() > self.cfg.max_data_len {
            return Err(Error::InvalidLength);
        }
        let Some(p) = self.slots[i].peer.as_mut() else {
            return Err(codes::UNKNOWN_PEER);
        };
        if p.phase != Phase::Connected {
            return Err(codes::NOT_CONNECTED);
        }
        self.now = now;
        let session = &mut p.session;
        let r = push_tx(
            &mut self.tx,
            &mut self.stats,
            p.addr.as_slice(),
            data.len() + limits::PACKET_OVERHEAD,
            |out| session.seal_exclusive(data, out),
        );
        match r {
            Ok(_) => {
                p.last_send = now;
                Ok(())
            }
            Err(e) => {
                self.send_error(i, e);
                Err(e)
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn send_error(&mut self, i: usize, e: Error) {
        if matches!(&self.slots[i].peer, Some(p) if matches!(p.session.state(), State::Failed | State::Closed))
        {
            self.remove(i, CloseReason::Failed, e);
        }
    }

    /// Closes a peer: a connected one gets `close_copies` copies of the authenticated close
    /// packet; a handshake just ends. Reports `Closed` with reason `Local`.
    pub fn close(&mut self, now: u64, peer: PeerId) -> Result<()> {
        let i = self.slot_of(peer)?;
        self.advance(now)?;
        self.send_close(i, |s, out| s.close(out));
        if let Some(p) = self.slots[i].peer.as_mut() {
            p.announced = true;
        }
        self.remove(i, CloseReason::Local, Error::SessionClosed);
        Ok(())
    }

    fn send_close(&mut self, i: usize, f: impl FnOnce(&Session, &mut [u8]) -> Result<usize>) {
        let Some(p) = self.slots[i].peer.as_ref() else {
            return;
        };
        let mut packet = [0u8; limits::PACKET_OVERHEAD];
        if let Ok(n @ 1..) = f(&p.session, &mut packet) {
            for _ in 0..self.cfg.close_copies {
                push_copy(
                    &mut self.tx,
                    &mut self.stats,
                    p.addr.as_slice(),
                    &packet[..n],
                );
            }
        }
    }

    fn awaiting_accept(&mut self, now: u64, peer: PeerId) -> Result<usize> {
        let i = self.slot_of(peer)?;
        if now < self.now {
            return Err(codes::TIME_WENT_BACKWARDS);
        }
        match self.slots[i].peer.as_ref() {
            Some(p) if p.phase == Phase::ServerAccept => {
                self.now = now;
                Ok(i)
            }
            _ => Err(Error::WrongState),
        }
    }

    /// Server, after `ClientCredentials`: accepts the client. The peer is connected
    /// (`Connected` follows). Else `WrongState` (nothing changes), `UNKNOWN_PEER`.
    pub fn accept(&mut self, now: u64, peer: PeerId) -> Result<()> {
        let i = self.awaiting_accept(now, peer)?;
        let p = self.slots[i].peer.as_mut().ok_or(codes::UNKNOWN_PEER)?;
        p.session.accept()?;
        self.handshakes -= 1;
        self.take_over(i);
        self.connected(i);
        Ok(())
    }

    /// Server, after `ClientCredentials`: rejects the client; `close_copies` copies of the
    /// close packet tell it at once. Reports `Closed` with reason `Rejected`.
    pub fn reject(&mut self, now: u64, peer: PeerId) -> Result<()> {
        let i = self.awaiting_accept(now, peer)?;
        self.send_close(i, |s, out| s.reject(out));
        self.remove(i, CloseReason::Rejected, Error::SessionRejected);
        Ok(())
    }

    // ---- timers ----

    /// When the application must call [`Endpoint::handle_timeout`] next (absolute ms), or
    /// `None` when no timer runs. It may be earlier than needed, never later.
    pub fn next_deadline(&self) -> Option<u64> {
        self.timers.peek().map(|Reverse((at, _, _))| *at)
    }

    /// Runs the timers due at `now`: handshake retransmissions and timeouts, keep-alives,
    /// idle timeouts.
    pub fn handle_timeout(&mut self, now: u64) -> Result<()> {
        self.advance(now)?;
        while let Some(&Reverse((at, index, generation))) = self.timers.peek() {
            if at > now {
                break;
            }
            self.timers.pop();
            let i = index as usize;
            let live = matches!(self.slots.get(i), Some(s) if s.generation == generation)
                && matches!(&self.slots[i].peer, Some(p) if p.timer_at == at);
            if !live {
                continue;
            }
            if let Some(p) = self.slots[i].peer.as_mut() {
                p.timer_at = u64::MAX;
            }
            self.fire(i, now);
            self.schedule(i);
        }
        Ok(())
    }

    fn fire(&mut self, i: usize, now: u64) {
        let cfg = &self.cfg;
        let Some(p) = self.slots[i].peer.as_mut() else {
            return;
        };
        match (p.phase, p.hs.as_deref_mut()) {
            (Phase::Connected, _) => {
                if now >= p.last_recv + cfg.idle_timeout_ms {
                    self.remove(i, CloseReason::IdleTimeout, codes::IDLE_TIMEOUT);
                } else if now >= p.last_send + cfg.keepalive_interval_ms {
                    self.stats.keepalives_sent += 1;
                    Self::seal_to(&mut self.tx, &mut self.stats, p, now, &[]);
                }
            }
            (_, Some(hs)) if now >= hs.started + cfg.handshake_timeout_ms => {
                if !p.announced {
                    self.stats.handshakes_failed += 1;
                }
                let _ = p.session.close(&mut []);
                self.remove(i, CloseReason::HandshakeTimeout, codes::HANDSHAKE_TIMEOUT);
            }
            (Phase::ClientHello | Phase::ClientFinished, Some(hs)) if now >= hs.next_resend => {
                hs.interval = (hs.interval * 2).min(cfg.handshake_resend_max_ms);
                hs.next_resend = now + hs.interval;
                self.stats.handshake_resends += 1;
                push_copy(&mut self.tx, &mut self.stats, p.addr.as_slice(), &hs.msg);
                p.last_send = now;
            }
            _ => {}
        }
    }

    // ---- output ----

    /// The next datagram to send, or `None`. The slices stay valid until the next call on
    /// the endpoint.
    #[inline]
    pub fn poll_transmit(&mut self) -> Option<Transmit<'_>> {
        let (start, [alen, d0, d1, d2, d3]) = self.tx.front_bytes::<TX_HEADER>()?;
        let (alen, dlen) = (alen as usize, u32::from_le_bytes([d0, d1, d2, d3]) as usize);
        let rec = self.tx.take(start, TX_HEADER + alen + dlen);
        let (addr, data) = rec[TX_HEADER..].split_at(alen);
        Some(Transmit { addr, data })
    }

    /// Address and datagram lengths of the next datagram, without dequeuing it.
    #[inline]
    pub fn peek_transmit(&self) -> Option<(usize, usize)> {
        let (_, [alen, d0, d1, d2, d3]) = self.tx.front_bytes::<TX_HEADER>()?;
        Some((alen as usize, u32::from_le_bytes([d0, d1, d2, d3]) as usize))
    }

    /// The next event, or `None`. The data of a `Data` event stays valid until the next
    /// call on the endpoint.
    #[inline]
    pub fn poll_event(&mut self) -> Option<Event<'_>> {
        let (start, [kind_len, peer]) = self.rx.front_words()?;
        self.pending -= 1;
        if kind_len & 0xff == RX_DATA {
            let data = self.rx.take(start + RX_HEADER, (kind_len >> 32) as usize);
            return Some(Event::Data {
                peer: PeerId(peer),
                data,
            });
        }
        self.rx.take(start, RX_HEADER);
        self.control_event()
    }

    /// The event of an `RX_CONTROL` record.
    #[cold]
    #[inline(never)]
    fn control_event(&mut self) -> Option<Event<'_>> {
        Some(match self.events.pop_front()? {
            EventRec::Connected {
                peer,
                suite,
                fingerprint,
            } => Event::Connected {
                peer,
                suite,
                fingerprint: fingerprint.map(|f| *f),
            },
            EventRec::ClientCredentials { peer } => Event::ClientCredentials { peer },
            EventRec::Closed {
                peer,
                reason,
                error,
            } => Event::Closed {
                peer,
                reason,
                error,
            },
        })
    }

    /// Length of the next event's data (0 for events without data), or `None` when there
    /// is no event.
    pub fn peek_event_len(&self) -> Option<usize> {
        self.rx.front_words().map(|(_, [kind_len, _])| {
            if kind_len & 0xff == RX_DATA {
                (kind_len >> 32) as usize
            } else {
                0
            }
        })
    }

    // ---- peer information ----

    /// The address of a peer.
    pub fn peer_address(&self, peer: PeerId) -> Result<&[u8]> {
        Ok(self.peer(peer)?.addr.as_slice())
    }

    /// Where a peer is.
    pub fn peer_state(&self, peer: PeerId) -> Result<PeerState> {
        Ok(match self.peer(peer)?.phase {
            Phase::Connected => PeerState::Connected,
            Phase::ServerAccept => PeerState::AwaitingAccept,
            _ => PeerState::Handshake,
        })
    }

    /// The negotiated suite (`WrongState` before it is known).
    pub fn peer_suite(&self, peer: PeerId) -> Result<Suite> {
        self.peer(peer)?.session.suite()
    }

    /// Fingerprint of the peer's authenticated key: client: the server's key once the
    /// ServerHello was verified (`WrongState` before); server: the client's key with client
    /// authentication, else `None`.
    pub fn peer_fingerprint(&self, peer: PeerId) -> Result<Option<[u8; FINGERPRINT_LEN]>> {
        let p = self.peer(peer)?;
        match self.role() {
            Role::Client => Ok(Some(*p.session.server_public_key()?.fingerprint())),
            Role::Server => Ok(peer_fingerprint(&p.session, true)),
        }
    }

    /// Server with client authentication: the client's token (`None` if it sent none).
    /// `WrongState` on a client, without client authentication or before the credentials.
    pub fn peer_client_token(&self, peer: PeerId) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>> {
        self.peer(peer)?.session.client_token()
    }
}

fn peer_fingerprint(session: &Session, server: bool) -> Option<[u8; FINGERPRINT_LEN]> {
    if server {
        session
            .client_public_key()
            .ok()
            .flatten()
            .map(|k| *k.fingerprint())
    } else {
        session.server_public_key().ok().map(|k| *k.fingerprint())
    }
}
