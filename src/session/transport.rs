//! Packet protection after the handshake: header, nonce, seal and open.
//!
//! Packet = header (8 bytes: type byte, 56-bit big-endian packet number) || ciphertext ||
//! 16-byte tag. AAD = the header. Nonce = IV XOR the packet number as a 96-bit big-endian
//! integer. Nothing here allocates.

use crate::error::{Error, Result};
use crate::session::replay::ReplayWindow;
use crate::session::suite::Suite;
use crate::session::Mode;
use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey};
use zeroize::Zeroizing;

pub(crate) const KEY_LEN: usize = 32;
pub(crate) const IV_LEN: usize = 12;
pub(crate) const HEADER_LEN: usize = 8;
pub(crate) const TAG_LEN: usize = 16;
pub(crate) const OVERHEAD: usize = HEADER_LEN + TAG_LEN;
/// Largest plaintext of one packet (16 MiB).
pub(crate) const MAX_PAYLOAD_LEN: usize = 1 << 24;
/// Largest packet number (56 bits).
pub(crate) const MAX_PACKET_NUMBER: u64 = (1 << 56) - 1;

/// Type byte of an application data packet (key phase 0).
pub(crate) const TYPE_DATA: u8 = 0x40;
/// Type byte of an authenticated close packet (key phase 0).
pub(crate) const TYPE_CLOSE: u8 = 0x42;

/// One direction's AEAD key and IV.
pub(crate) struct Keys {
    pub(crate) key: Zeroizing<[u8; KEY_LEN]>,
    pub(crate) iv: Zeroizing<[u8; IV_LEN]>,
}

fn nonce(iv: &[u8; IV_LEN], pn: u64) -> Nonce {
    let mut n = *iv;
    for (b, p) in n[IV_LEN - 8..].iter_mut().zip(pn.to_be_bytes()) {
        *b ^= p;
    }
    Nonce::assume_unique_for_key(n)
}

fn header(ptype: u8, pn: u64) -> [u8; HEADER_LEN] {
    let mut h = pn.to_be_bytes();
    h[0] = ptype;
    h
}

/// Splits a packet header. Only checks the length; the caller checks the type byte.
pub(crate) fn parse_header(packet: &[u8]) -> Result<(u8, u64)> {
    if packet.len() < OVERHEAD || packet.len() - OVERHEAD > MAX_PAYLOAD_LEN {
        return Err(Error::PacketMalformed);
    }
    let mut pn = [0u8; 8];
    pn[1..].copy_from_slice(&packet[1..HEADER_LEN]);
    Ok((packet[0], u64::from_be_bytes(pn)))
}

/// The sending half: key, IV and the next packet number.
pub(crate) struct SendHalf {
    key: LessSafeKey,
    iv: Zeroizing<[u8; IV_LEN]>,
    next_pn: u64,
}

impl SendHalf {
    pub(crate) fn new(suite: Suite, keys: &Keys) -> Result<SendHalf> {
        Ok(SendHalf {
            key: LessSafeKey::new(UnboundKey::new(suite.aead(), &keys.key[..])?),
            iv: keys.iv.clone(),
            next_pn: 0,
        })
    }

    /// Seals `plaintext` as a packet of type `ptype` into `out`; returns the packet length.
    pub(crate) fn seal(&mut self, ptype: u8, plaintext: &[u8], out: &mut [u8]) -> Result<usize> {
        if plaintext.len() > MAX_PAYLOAD_LEN {
            return Err(Error::InvalidLength);
        }
        let total = plaintext.len() + OVERHEAD;
        if out.len() < total {
            return Err(Error::BufferTooSmall);
        }
        let pn = self.next_pn;
        if pn > MAX_PACKET_NUMBER {
            return Err(Error::KeyExhausted);
        }
        let hdr = header(ptype, pn);
        let (head, rest) = out[..total].split_at_mut(HEADER_LEN);
        let (body, tag_out) = rest.split_at_mut(plaintext.len());
        head.copy_from_slice(&hdr);
        body.copy_from_slice(plaintext);
        let tag =
            self.key
                .seal_in_place_separate_tag(nonce(&self.iv, pn), Aad::from(&hdr), body)?;
        tag_out.copy_from_slice(tag.as_ref());
        self.next_pn = pn + 1;
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
}

#[allow(clippy::large_enum_variant)] // one per session, kept inline: no allocation
enum Replay {
    Window(ReplayWindow),
    Stream { next: u64 },
}

/// The receiving half: key, IV and the replay state.
pub(crate) struct RecvHalf {
    key: LessSafeKey,
    iv: Zeroizing<[u8; IV_LEN]>,
    replay: Replay,
}

impl RecvHalf {
    pub(crate) fn new(suite: Suite, keys: &Keys, mode: Mode) -> Result<RecvHalf> {
        Ok(RecvHalf {
            key: LessSafeKey::new(UnboundKey::new(suite.aead(), &keys.key[..])?),
            iv: keys.iv.clone(),
            replay: match mode {
                Mode::Datagram => Replay::Window(ReplayWindow::new()),
                Mode::Stream => Replay::Stream { next: 0 },
            },
        })
    }

    /// Opens a packet whose header was parsed by [`parse_header`] into `out`; returns the
    /// plaintext length. Replay checks come before decryption; the replay state changes only
    /// after the packet authenticated. On failure `out` holds no plaintext.
    pub(crate) fn open(&mut self, packet: &[u8], pn: u64, out: &mut [u8]) -> Result<usize> {
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
        let (hdr, rest) = packet.split_at(HEADER_LEN);
        let (ct, tag) = rest.split_at(n);
        let out = &mut out[..n];
        if self
            .key
            .open_separate_gather(nonce(&self.iv, pn), Aad::from(hdr), ct, tag, out)
            .is_err()
        {
            out.fill(0);
            return Err(Error::PacketAuthFailed);
        }
        match &mut self.replay {
            Replay::Window(w) => w.mark(pn),
            Replay::Stream { next } => *next = pn + 1,
        }
        Ok(n)
    }
}
