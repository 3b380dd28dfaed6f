//! Endpoint settings: timers, limits and queue sizes (docs/ENDPOINT.md section 3).

use crate::error::{Error, Result};

/// Timers and limits of an [`super::Endpoint`]. Every value has a documented default
/// (docs/ENDPOINT.md); each setter checks its own range (`InvalidArgument` outside it and
/// nothing changes), and `Endpoint::new_*` checks the relations between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointConfig {
    pub(crate) handshake_resend_initial_ms: u64,
    pub(crate) handshake_resend_max_ms: u64,
    pub(crate) handshake_timeout_ms: u64,
    pub(crate) keepalive_interval_ms: u64,
    pub(crate) idle_timeout_ms: u64,
    pub(crate) max_peers: usize,
    pub(crate) max_handshakes: usize,
    pub(crate) max_data_len: usize,
    pub(crate) close_copies: u32,
    pub(crate) max_queued_bytes: usize,
    pub(crate) max_pending_events: usize,
}

/// Defaults (docs/ENDPOINT.md section 3).
pub mod defaults {
    /// First handshake retransmission after this many ms; doubled after each retransmission.
    pub const HANDSHAKE_RESEND_INITIAL_MS: u64 = 250;
    /// The retransmission interval stops doubling at this many ms.
    pub const HANDSHAKE_RESEND_MAX_MS: u64 = 2_000;
    /// A handshake not confirmed this many ms after it started ends the peer.
    pub const HANDSHAKE_TIMEOUT_MS: u64 = 10_000;
    /// An empty data packet is sent to a connected peer after this many quiet ms.
    pub const KEEPALIVE_INTERVAL_MS: u64 = 1_000;
    /// A connected peer from which nothing authenticated arrived for this many ms is closed.
    pub const IDLE_TIMEOUT_MS: u64 = 10_000;
    /// Most peers at once (connected plus handshakes in progress).
    pub const MAX_PEERS: usize = 1_024;
    /// Most server handshakes in progress at once.
    pub const MAX_HANDSHAKES: usize = 128;
    /// Largest application message for `send` (a 1,224-byte datagram fits any Internet path).
    pub const MAX_DATA_LEN: usize = 1_200;
    /// Copies of the close packet sent by `close` and `reject`.
    pub const CLOSE_COPIES: u32 = 3;
    /// Bytes the transmit queue and the received-data queue may each hold.
    pub const MAX_QUEUED_BYTES: usize = 4 << 20;
    /// Events that may wait for `poll_event`.
    pub const MAX_PENDING_EVENTS: usize = 4_096;
}

/// The largest `max_data_len`: a UDP datagram of 65,507 bytes minus the packet overhead.
pub const MAX_DATA_LEN_LIMIT: usize = 65_507 - crate::session::limits::PACKET_OVERHEAD;

impl Default for EndpointConfig {
    fn default() -> Self {
        use defaults::*;
        EndpointConfig {
            handshake_resend_initial_ms: HANDSHAKE_RESEND_INITIAL_MS,
            handshake_resend_max_ms: HANDSHAKE_RESEND_MAX_MS,
            handshake_timeout_ms: HANDSHAKE_TIMEOUT_MS,
            keepalive_interval_ms: KEEPALIVE_INTERVAL_MS,
            idle_timeout_ms: IDLE_TIMEOUT_MS,
            max_peers: MAX_PEERS,
            max_handshakes: MAX_HANDSHAKES,
            max_data_len: MAX_DATA_LEN,
            close_copies: CLOSE_COPIES,
            max_queued_bytes: MAX_QUEUED_BYTES,
            max_pending_events: MAX_PENDING_EVENTS,
        }
    }
}

fn in_range<T: PartialOrd>(v: T, lo: T, hi: T) -> Result<T> {
    if v < lo || v > hi {
        return Err(Error::InvalidArgument);
    }
    Ok(v)
}

impl EndpointConfig {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// First handshake retransmission interval, 10..=60,000 ms.
    pub fn set_handshake_resend_initial_ms(&mut self, ms: u64) -> Result<()> {
        self.handshake_resend_initial_ms = in_range(ms, 10, 60_000)?;
        Ok(())
    }

    /// Largest handshake retransmission interval, 10..=60,000 ms (at least the initial one).
    pub fn set_handshake_resend_max_ms(&mut self, ms: u64) -> Result<()> {
        self.handshake_resend_max_ms = in_range(ms, 10, 60_000)?;
        Ok(())
    }

    /// Handshake timeout, 100..=600,000 ms.
    pub fn set_handshake_timeout_ms(&mut self, ms: u64) -> Result<()> {
        self.handshake_timeout_ms = in_range(ms, 100, 600_000)?;
        Ok(())
    }

    /// Keep-alive interval, 10..=600,000 ms (less than the idle timeout).
    pub fn set_keepalive_interval_ms(&mut self, ms: u64) -> Result<()> {
        self.keepalive_interval_ms = in_range(ms, 10, 600_000)?;
        Ok(())
    }

    /// Idle timeout, 100..=3,600,000 ms.
    pub fn set_idle_timeout_ms(&mut self, ms: u64) -> Result<()> {
        self.idle_timeout_ms = in_range(ms, 100, 3_600_000)?;
        Ok(())
    }

    /// Most peers, 1..=1,000,000.
    pub fn set_max_peers(&mut self, n: usize) -> Result<()> {
        self.max_peers = in_range(n, 1, 1_000_000)?;
        Ok(())
    }

    /// Most server handshakes in progress, 1..=1,000,000 (at most `max_peers`).
    pub fn set_max_handshakes(&mut self, n: usize) -> Result<()> {
        self.max_handshakes = in_range(n, 1, 1_000_000)?;
        Ok(())
    }

    /// Largest message given to `send`, 0..=[`MAX_DATA_LEN_LIMIT`] bytes.
    pub fn set_max_data_len(&mut self, n: usize) -> Result<()> {
        self.max_data_len = in_range(n, 0, MAX_DATA_LEN_LIMIT)?;
        Ok(())
    }

    /// Copies of a close packet, 1..=10.
    pub fn set_close_copies(&mut self, n: u32) -> Result<()> {
        self.close_copies = in_range(n, 1, 10)?;
        Ok(())
    }

    /// Bytes each queue may hold, 65,536..=1 GiB.
    pub fn set_max_queued_bytes(&mut self, n: usize) -> Result<()> {
        self.max_queued_bytes = in_range(n, 65_536, 1 << 30)?;
        Ok(())
    }

    /// Events that may wait, 16..=1,000,000.
    pub fn set_max_pending_events(&mut self, n: usize) -> Result<()> {
        self.max_pending_events = in_range(n, 16, 1_000_000)?;
        Ok(())
    }

    /// The first handshake retransmission interval in ms.
    pub fn handshake_resend_initial_ms(&self) -> u64 {
        self.handshake_resend_initial_ms
    }
    /// The largest handshake retransmission interval in ms.
    pub fn handshake_resend_max_ms(&self) -> u64 {
        self.handshake_resend_max_ms
    }
    /// The handshake timeout in ms.
    pub fn handshake_timeout_ms(&self) -> u64 {
        self.handshake_timeout_ms
    }
    /// The keep-alive interval in ms.
    pub fn keepalive_interval_ms(&self) -> u64 {
        self.keepalive_interval_ms
    }
    /// The idle timeout in ms.
    pub fn idle_timeout_ms(&self) -> u64 {
        self.idle_timeout_ms
    }
    /// The peer limit.
    pub fn max_peers(&self) -> usize {
        self.max_peers
    }
    /// The limit on server handshakes in progress.
    pub fn max_handshakes(&self) -> usize {
        self.max_handshakes
    }
    /// The largest message for `send`.
    pub fn max_data_len(&self) -> usize {
        self.max_data_len
    }

    /// The relations between the values: resend initial <= max, keep-alive < idle timeout,
    /// handshakes <= peers. Else `InvalidArgument`.
    pub(crate) fn check(&self) -> Result<()> {
        if self.handshake_resend_initial_ms > self.handshake_resend_max_ms
            || self.keepalive_interval_ms >= self.idle_timeout_ms
            || self.max_handshakes > self.max_peers
        {
            return Err(Error::InvalidArgument);
        }
        Ok(())
    }
}
