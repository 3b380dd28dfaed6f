//! Packet protection after the handshake: header, nonce, seal and open, key update and usage
//! limits (docs/PROTOCOL.md sections 10, 17 and 18).
//!
//! Packet = header (8 bytes: type byte, 56-bit big-endian packet number) || ciphertext ||
//! 16-byte tag. AAD = the header. Nonce = IV XOR the packet number as a 96-bit big-endian
//! integer. Sealing and opening do not allocate; a key update does (new AEAD keys), and so
//! does the first packet with the other key phase in a generation (it derives the next
//! receive keys, see [`RecvHalf`]).

use crate::error::{Error, Result};
use crate::session::replay::{ReplayWindow, WINDOW};
use crate::session::suite::Suite;
use crate::session::Mode;
use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::hmac;
use zeroize::Zeroizing;

pub(crate) const KEY_LEN: usize = 32;
pub(crate) const IV_LEN: usize = 12;
pub(crate) const SECRET_LEN: usize = 32;
pub(crate) const HEADER_LEN: usize = 8;
pub(crate) const TAG_LEN: usize = 16;
pub(crate) const OVERHEAD: usize = HEADER_LEN + TAG_LEN;
/// Largest plaintext of one packet (16 MiB).
pub(crate) const MAX_PAYLOAD_LEN: usize = 1 << 24;
/// Largest packet number (56 bits).
pub(crate) const MAX_PACKET_NUMBER: u64 = (1 << 56) - 1;

/// Type byte of an application data packet (key phase 0; | 1 for phase 1).
pub(crate) const TYPE_DATA: u8 = 0x40;
/// Type byte of an authenticated close packet (key phase 0; | 1 for phase 1).
pub(crate) const TYPE_CLOSE: u8 = 0x42;

/// HKDF labels (info strings) of the traffic keys and of the key update.
pub(crate) const LABEL_KEY: &[u8] = b"gamecrypt v1 key";
pub(crate) const LABEL_IV: &[u8] = b"gamecrypt v1 iv";
pub(crate) const LABEL_KEY_UPDATE: &[u8] = b"gamecrypt v1 key update";

/// AES-256-GCM confidentiality limit in units (packets of up to 64 KiB) per send key
/// (RFC 9001 section 6.6).
pub(crate) const AES_GCM_CONFIDENTIALITY_LIMIT: u64 = 1 << 23;
/// AES-256-GCM integrity limit: failed opens per session (RFC 9001 section 6.6).
pub(crate) const AES_GCM_INTEGRITY_LIMIT: u64 = 1 << 52;
/// ChaCha20-Poly1305 integrity limit: failed opens per session (RFC 9001 section 6.6).
pub(crate) const CHACHA20_POLY1305_INTEGRITY_LIMIT: u64 = 1 << 36;
/// Bytes of plaintext per usage unit.
const UNIT_LEN: usize = 1 << 16;

/// The usage limits of one suite (docs/PROTOCOL.md section 18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Units a send key may protect (`None`: no limit below the packet-number space).
    pub(crate) confidentiality: Option<u64>,
    /// Failed authentications tolerated per session.
    pub(crate) integrity: u64,
}

impl Limits {
    pub(crate) fn for_suite(suite: Suite) -> Limits {
        if suite.aead() == &aws_lc_rs::aead::AES_256_GCM {
            Limits {
                confidentiality: Some(AES_GCM_CONFIDENTIALITY_LIMIT),
                integrity: AES_GCM_INTEGRITY_LIMIT,
            }
        } else {
            Limits {
                confidentiality: None,
                integrity: CHACHA20_POLY1305_INTEGRITY_LIMIT,
            }
        }
    }
}

/// A send key's confidentiality limit in units and its key-update threshold (3/4 of the
/// limit, section 18), computed once per key rather than per packet. Without a limit both
/// are `u64::MAX`: every data packet is then [`Usage::Fine`].
#[derive(Clone, Copy, Debug)]
struct UsageLimit {
    /// A data packet that brings the key's usage above this wants a key update first.
    update_at: u64,
    /// No data packet may bring the key's usage above this.
    limit: u64,
}

impl UsageLimit {
    fn new(confidentiality: Option<u64>) -> UsageLimit {
        match confidentiality {
            Some(c) => UsageLimit {
                update_at: c - c / 4,
                limit: c,
            },
            None => UsageLimit {
                update_at: u64::MAX,
                limit: u64::MAX,
            },
        }
    }
}

/// Usage units of a packet with `len` plaintext bytes: max(1, ceil(len / 65536)).
pub(crate) fn units(len: usize) -> u64 {
    (len.div_ceil(UNIT_LEN)).max(1) as u64
}

/// One direction's AEAD key and IV (test vectors and the key schedule).
pub(crate) struct Keys {
    pub(crate) key: Zeroizing<[u8; KEY_LEN]>,
    pub(crate) iv: Zeroizing<[u8; IV_LEN]>,
}

/// The HMAC-SHA256 key of one secret used as an HKDF PRK, set up once (the inner and outer
/// padded key blocks are hashed once) for every expansion from it. aws-lc-rs' `hkdf::Prk`
/// repeats that setup on every `expand`: two SHA-256 compressions each time.
pub(crate) struct Prk(hmac::Key);

impl Prk {
    pub(crate) fn new(secret: &[u8; SECRET_LEN]) -> Prk {
        Prk(hmac::Key::new(hmac::HMAC_SHA256, secret))
    }

    /// HKDF-Expand(PRK, label, out.len()) for `out.len()` ≤ 32 (RFC 5869 section 2.3: one
    /// block, T(1) = HMAC(PRK, label || 0x01), truncated).
    pub(crate) fn expand(&self, label: &[u8], out: &mut [u8]) {
        debug_assert!(out.len() <= SECRET_LEN);
        let mut ctx = hmac::Context::with_key(&self.0);
        ctx.update(label);
        ctx.update(&[1]);
        let tag = ctx.sign();
        out.copy_from_slice(&tag.as_ref()[..out.len()]);
    }

    /// key = Expand(secret, "gamecrypt v1 key", 32), iv = Expand(secret, "gamecrypt v1 iv", 12).
    fn traffic_keys(&self) -> Keys {
        let mut keys = Keys {
            key: Zeroizing::new([0u8; KEY_LEN]),
            iv: Zeroizing::new([0u8; IV_LEN]),
        };
        self.expand(LABEL_KEY, &mut keys.key[..]);
        self.expand(LABEL_IV, &mut keys.iv[..]);
        keys
    }

    /// The next generation's traffic secret: Expand(secret, "gamecrypt v1 key update", 32).
    fn next_secret(&self) -> Zeroizing<[u8; SECRET_LEN]> {
        let mut out = Zeroizing::new([0u8; SECRET_LEN]);
        self.expand(LABEL_KEY_UPDATE, &mut out[..]);
        out
    }
}

/// key = Expand(secret, "gamecrypt v1 key", 32), iv = Expand(secret, "gamecrypt v1 iv", 12).
#[cfg(test)]
pub(crate) fn traffic_keys(secret: &[u8; SECRET_LEN]) -> Result<Keys> {
    Ok(Prk::new(secret).traffic_keys())
}

/// The next generation's traffic secret: Expand(secret, "gamecrypt v1 key update", 32).
pub(crate) fn next_secret(secret: &[u8; SECRET_LEN]) -> Result<Zeroizing<[u8; SECRET_LEN]>> {
    Ok(Prk::new(secret).next_secret())
}

#[inline]
fn nonce(iv: &[u8; IV_LEN], pn: u64) -> Nonce {
    let mut n = *iv;
    let mut low = [0u8; 8];
    low.copy_from_slice(&iv[IV_LEN - 8..]);
    n[IV_LEN - 8..].copy_from_slice(&(u64::from_be_bytes(low) ^ pn).to_be_bytes());
    Nonce::assume_unique_for_key(n)
}

#[inline]
fn header(ptype: u8, pn: u64) -> [u8; HEADER_LEN] {
    let mut h = pn.to_be_bytes();
    h[0] = ptype;
    h
}

/// Splits a packet header. Only checks the length; the caller checks the type byte.
#[inline]
pub(crate) fn parse_header(packet: &[u8]) -> Result<(u8, u64)> {
    if packet.len() < OVERHEAD || packet.len() - OVERHEAD > MAX_PAYLOAD_LEN {
        return Err(Error::PacketMalformed);
    }
    let mut pn = [0u8; 8];
    pn[1..].copy_from_slice(&packet[1..HEADER_LEN]);
    Ok((packet[0], u64::from_be_bytes(pn)))
}

/// The AEAD key and IV of one generation and direction.
struct PacketKey {
    key: LessSafeKey,
    iv: Zeroizing<[u8; IV_LEN]>,
}

impl PacketKey {
    fn new(suite: Suite, secret: &[u8; SECRET_LEN]) -> Result<PacketKey> {
        let keys = Prk::new(secret).traffic_keys();
        Ok(PacketKey {
            key: LessSafeKey::new(UnboundKey::new(suite.aead(), &keys.key[..])?),
            iv: keys.iv,
        })
    }

    /// Opens `packet` (header already parsed) into `out` (exactly the plaintext length).
    /// On failure `out` is zeroed.
    #[inline(always)]
    fn open(&self, packet: &[u8], pn: u64, out: &mut [u8]) -> Result<()> {
        let (hdr, rest) = packet.split_at(HEADER_LEN);
        let (ct, tag) = rest.split_at(out.len());
        if self
            .key
            .open_separate_gather(nonce(&self.iv, pn), Aad::from(hdr), ct, tag, out)
            .is_err()
        {
            out.fill(0);
            return Err(Error::PacketAuthFailed);
        }
        Ok(())
    }
}

/// The sending half: the current generation's secret and key, the packet number (shared by
/// every generation) and the usage of the current key.
pub(crate) struct SendHalf {
    suite: Suite,
    secret: Zeroizing<[u8; SECRET_LEN]>,
    key: PacketKey,
    generation: u64,
    next_pn: u64,
    used: u64,
    /// From the suite's confidentiality limit.
    usage_limit: UsageLimit,
}

impl SendHalf {
    /// The send half of generation 0 from the direction's traffic secret (section 9).
    pub(crate) fn new(suite: Suite, secret: &[u8; SECRET_LEN]) -> Result<SendHalf> {
        Ok(SendHalf {
            suite,
            secret: Zeroizing::new(*secret),
            key: PacketKey::new(suite, secret)?,
            generation: 0,
            next_pn: 0,
            used: 0,
            usage_limit: UsageLimit::new(Limits::for_suite(suite).confidentiality),
        })
    }

    /// Moves to the next generation; the old secret and key are erased.
    pub(crate) fn update(&mut self) -> Result<()> {
        let secret = next_secret(&self.secret)?;
        self.key = PacketKey::new(self.suite, &secret)?;
        self.secret = secret;
        self.generation += 1;
        self.used = 0;
        Ok(())
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Checks what `seal` would refuse before anything changes: `InvalidLength`,
    /// `BufferTooSmall`, `KeyExhausted`.
    #[inline]
    pub(crate) fn check(&self, plaintext_len: usize, out_len: usize) -> Result<()> {
        if plaintext_len > MAX_PAYLOAD_LEN {
            return Err(Error::InvalidLength);
        }
        if out_len < plaintext_len + OVERHEAD {
            return Err(Error::BufferTooSmall);
        }
        if self.next_pn > MAX_PACKET_NUMBER {
            return Err(Error::KeyExhausted);
        }
        Ok(())
    }

    /// Where a data packet of `len` bytes stands against the confidentiality limit: under
    /// the update threshold (3/4 of the limit), past it, or over the limit itself. Also
    /// returns the packet's usage units to pass to the seal.
    ///
    /// The sum wraps instead of overflowing: with a limit the usage stays within it (far
    /// below `u64::MAX`); without one (thresholds `u64::MAX`) every packet is `Fine` and the
    /// count means nothing.
    #[inline]
    pub(crate) fn usage(&self, len: usize) -> (Usage, u64) {
        let units = units(len);
        let after = self.used.wrapping_add(units);
        let usage = if after <= self.usage_limit.update_at {
            Usage::Fine
        } else if after > self.usage_limit.limit {
            Usage::OverLimit
        } else {
            Usage::WantsUpdate
        };
        (usage, units)
    }

    /// Seals a data (`kind` 0) or close (`kind` 1) packet with the current generation's
    /// key phase. Does not apply the usage limits (the session does).
    pub(crate) fn seal(&mut self, kind: u8, plaintext: &[u8], out: &mut [u8]) -> Result<usize> {
        let ptype = TYPE_DATA | (kind << 1) | (self.generation & 1) as u8;
        self.seal_typed(ptype, plaintext, out)
    }

    /// Seals `plaintext` as a packet of type `ptype` into `out`; returns the packet length.
    pub(crate) fn seal_typed(
        &mut self,
        ptype: u8,
        plaintext: &[u8],
        out: &mut [u8],
    ) -> Result<usize> {
        self.check(plaintext.len(), out.len())?;
        self.seal_checked(
            ptype,
            Plaintext::From(plaintext),
            units(plaintext.len()),
            out,
        )
    }

    /// Seals a data packet into `out` after [`SendHalf::check`] passed for the plaintext
    /// length and `out.len()`. Returns the packet length.
    #[inline(always)]
    pub(crate) fn seal_data_checked(
        &mut self,
        plaintext: Plaintext,
        units: u64,
        out: &mut [u8],
    ) -> Result<usize> {
        let ptype = TYPE_DATA | (self.generation & 1) as u8;
        self.seal_checked(ptype, plaintext, units, out)
    }

    /// Writes the header, then encrypts the payload into `out[HEADER_LEN..]` (from the
    /// plaintext buffer, or where it already is) and writes the tag after it, with no
    /// intermediate copy.
    #[inline(always)]
    fn seal_checked(
        &mut self,
        ptype: u8,
        plaintext: Plaintext,
        units: u64,
        out: &mut [u8],
    ) -> Result<usize> {
        let len = plaintext.len();
        let total = len + OVERHEAD;
        let pn = self.next_pn;
        let hdr = header(ptype, pn);
        let (head, rest) = out[..total].split_at_mut(HEADER_LEN);
        let (body, tag_out) = rest.split_at_mut(len);
        let nonce = nonce(&self.key.iv, pn);
        match plaintext {
            Plaintext::From(p) => self.key.key.seal_out_of_place_scatter(
                nonce,
                Aad::from(&hdr),
                p,
                body,
                &[],
                tag_out,
            )?,
            Plaintext::InPlace(_) => {
                self.key
                    .key
                    .seal_in_place_scatter(nonce, Aad::from(&hdr), body, &[], tag_out)?
            }
        }
        head.copy_from_slice(&hdr);
        self.next_pn = pn + 1;
        // Wraps, as in `usage`, without a limit only.
        self.used = self.used.wrapping_add(units);
        Ok(total)
    }

    /// The packet number of the next packet (which may be past the last usable one).
    pub(crate) fn next_packet_number(&self) -> u64 {
        self.next_pn
    }

    #[cfg(test)]
    pub(crate) fn set_next_packet_number(&mut self, pn: u64) {
        self.next_pn = pn;
    }

    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn set_confidentiality_limit(&mut self, limit: Option<u64>) {
        self.usage_limit = UsageLimit::new(limit);
    }
}

/// Where the plaintext of a packet to seal is.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Plaintext<'a> {
    /// In this buffer (copied into the packet as it is encrypted).
    From(&'a [u8]),
    /// Already in the packet buffer at the payload offset, this many bytes.
    InPlace(usize),
}

impl Plaintext<'_> {
    #[inline]
    pub(crate) fn len(&self) -> usize {
        match self {
            Plaintext::From(p) => p.len(),
            Plaintext::InPlace(n) => *n,
        }
    }
}

/// A data packet against the send key's confidentiality limit (section 18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Usage {
    /// Below the update threshold.
    Fine,
    /// Past 3/4 of the limit: start a key update first if possible.
    WantsUpdate,
    /// Past the limit: only a key update allows sealing again.
    OverLimit,
}

#[allow(clippy::large_enum_variant)] // one per session, kept inline: no allocation
enum Replay {
    Window(ReplayWindow),
    Stream { next: u64 },
}

/// Which receive key opened a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Opened {
    /// The current generation.
    Current,
    /// A late packet of the previous generation.
    Previous,
    /// The peer started an update: the receive side moved to the next generation (the
    /// caller must move the send side too).
    Next,
}

/// The receiving half: the secret and keys of the current generation, the keys of the next
/// and of the previous generation while they are needed, the replay state and the forgery
/// counter.
///
/// The next generation's secret and keys are derived lazily (docs/PROTOCOL.md section
/// 17.1): only the current 32-byte secret is kept until a packet with the other key phase
/// needs them (so the handshake does not derive a secret that most sessions never use). They
/// are then kept (a flood of forged packets with that phase costs one derivation, not one
/// per packet) and become the current keys when the generation changes. This saves an
/// AEAD context (about 600 bytes of aws-lc heap) per established session. The next and
/// previous keys are boxed: they exist only around a key update, and the box of the next
/// keys is reused for the previous ones.
pub(crate) struct RecvHalf {
    suite: Suite,
    generation: u64,
    current: PacketKey,
    /// Keys of generation + 1, once a packet with the other phase needed them.
    next: Option<Box<PacketKey>>,
    /// Keys of generation − 1, while late packets may still use them.
    previous: Option<Box<PacketKey>>,
    /// Secret of the current generation (the next generation's secret comes from it).
    secret: Zeroizing<[u8; SECRET_LEN]>,
    /// Lowest packet number authenticated under the current generation.
    low: Option<u64>,
    failures: u64,
    integrity_limit: u64,
    replay: Replay,
}

impl RecvHalf {
    /// The receive half of generation 0 from the direction's traffic secret (section 9).
    pub(crate) fn new(suite: Suite, secret: &[u8; SECRET_LEN], mode: Mode) -> Result<RecvHalf> {
        Ok(RecvHalf {
            suite,
            generation: 0,
            current: PacketKey::new(suite, secret)?,
            next: None,
            previous: None,
            secret: Zeroizing::new(*secret),
            low: None,
            failures: 0,
            integrity_limit: Limits::for_suite(suite).integrity,
            replay: match mode {
                Mode::Datagram => Replay::Window(ReplayWindow::new()),
                Mode::Stream => Replay::Stream { next: 0 },
            },
        })
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Has a packet from the peer authenticated under the current generation?
    pub(crate) fn confirmed(&self) -> bool {
        self.low.is_some()
    }

    /// Is the previous generation's key still kept?
    #[cfg(test)]
    pub(crate) fn has_previous(&self) -> bool {
        self.previous.is_some()
    }

    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn set_integrity_limit(&mut self, limit: u64) {
        self.integrity_limit = limit;
    }

    /// Are the next generation's keys derived?
    #[cfg(test)]
    pub(crate) fn has_next(&self) -> bool {
        self.next.is_some()
    }

    /// Moves to the next generation (section 17.3 step 2): current ← next (derived now if no
    /// packet needed them yet), previous ← current, and the saved secret moves on. Nothing
    /// changes on error.
    pub(crate) fn rotate(&mut self) -> Result<()> {
        let secret = next_secret(&self.secret)?;
        let mut key = match self.next.take() {
            Some(key) => key,
            None => Box::new(PacketKey::new(self.suite, &secret)?),
        };
        // The box now holds the old current keys; the old previous keys are dropped.
        std::mem::swap(&mut *key, &mut self.current);
        self.previous = Some(key);
        self.secret = secret;
        self.generation += 1;
        self.low = None;
        Ok(())
    }

    /// Derives the next generation's keys unless they already are (kept until `rotate`).
    fn derive_next(&mut self) -> Result<()> {
        if self.next.is_none() {
            let secret = next_secret(&self.secret)?;
            self.next = Some(Box::new(PacketKey::new(self.suite, &secret)?));
        }
        Ok(())
    }

    /// Opens a packet whose header was parsed by [`parse_header`] into `out`; `phase` is the
    /// key phase bit of its type byte. Returns the plaintext length and which key opened it.
    /// Replay checks come before decryption; the replay state changes only after the packet
    /// authenticated. On failure `out` holds no plaintext. `IntegrityLimitReached` when the
    /// forgery count reaches the limit.
    ///
    /// The usual case (the current generation's key phase) is inlined into the packet path;
    /// the other phase goes to [`RecvHalf::open_other_phase`].
    #[inline(always)]
    pub(crate) fn open(
        &mut self,
        packet: &[u8],
        phase: u8,
        pn: u64,
        out: &mut [u8],
    ) -> Result<(usize, Opened)> {
        let n = packet.len() - OVERHEAD;
        if out.len() < n {
            return Err(Error::BufferTooSmall);
        }
        match &self.replay {
            Replay::Window(w) => w.check(pn)?,
            Replay::Stream { next } => {
                if pn < *next {
                    return Err(Error::PacketReplayed);
                }
                if pn > *next {
                    return Err(Error::PacketOutOfOrder);
                }
            }
        }
        let out = &mut out[..n];
        if u64::from(phase) != self.generation & 1 {
            return self.open_other_phase(packet, pn, out);
        }
        // The common case: the current generation's key phase, one candidate key.
        if self.current.open(packet, pn, out).is_err() {
            return Err(self.count_failure());
        }
        self.mark(pn);
        self.low = Some(self.low.map_or(pn, |l| l.min(pn)));
        if self.previous.is_some() {
            self.discard_previous();
        }
        Ok((n, Opened::Current))
    }

    /// [`RecvHalf::open`] of a packet that passed the replay check, with the other key phase
    /// than the current generation's; `out` is exactly the plaintext length.
    #[cold]
    #[inline(never)]
    fn open_other_phase(
        &mut self,
        packet: &[u8],
        pn: u64,
        out: &mut [u8],
    ) -> Result<(usize, Opened)> {
        let n = out.len();
        // Candidate keys (section 17.4), at most two, in order.
        let candidates: [Option<Opened>; 2] = match self.low {
            Some(low) if pn > low => [Some(Opened::Next), None],
            Some(_) => {
                if self.previous.is_none() {
                    return Err(Error::PacketTooOld);
                }
                [Some(Opened::Previous), None]
            }
            None if self.previous.is_some() => [Some(Opened::Previous), Some(Opened::Next)],
            None => [Some(Opened::Next), None],
        };
        let mut opened = None;
        for which in candidates.into_iter().flatten() {
            if which == Opened::Next {
                self.derive_next()?;
            }
            let key = match which {
                Opened::Current => Some(&self.current),
                Opened::Next => self.next.as_deref(),
                Opened::Previous => self.previous.as_deref(),
            };
            let Some(key) = key else { continue };
            if key.open(packet, pn, out).is_ok() {
                opened = Some(which);
                break;
            }
            if let e @ Error::IntegrityLimitReached = self.count_failure() {
                return Err(e);
            }
        }
        let Some(which) = opened else {
            return Err(Error::PacketAuthFailed);
        };
        self.mark(pn);
        match which {
            Opened::Current => self.low = Some(self.low.map_or(pn, |l| l.min(pn))),
            Opened::Previous => {}
            Opened::Next => {
                self.rotate()?;
                self.low = Some(pn);
            }
        }
        self.discard_previous();
        Ok((n, which))
    }

    /// Counts a packet that did not authenticate: `PacketAuthFailed`, or
    /// `IntegrityLimitReached` when the count reaches the limit.
    #[cold]
    fn count_failure(&mut self) -> Error {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= self.integrity_limit {
            Error::IntegrityLimitReached
        } else {
            Error::PacketAuthFailed
        }
    }

    /// Records an authenticated packet number in the replay state.
    #[inline]
    fn mark(&mut self, pn: u64) {
        match &mut self.replay {
            Replay::Window(w) => w.mark(pn),
            Replay::Stream { next } => *next = pn + 1,
        }
    }

    /// Erases the previous generation's key once it cannot open anything new.
    fn discard_previous(&mut self) {
        let (Some(low), Some(_)) = (self.low, &self.previous) else {
            return;
        };
        let done = match &self.replay {
            Replay::Stream { .. } => true,
            Replay::Window(w) => w.top() + 1 - low >= WINDOW,
        };
        if done {
            self.previous = None;
        }
    }
}
