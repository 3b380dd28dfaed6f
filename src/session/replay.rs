//! Anti-replay: a sliding window in the style of RFC 6479 for datagrams, and a strict
//! next-expected counter for streams.

use crate::error::{Error, Result};

/// Number of 64-bit blocks in the ring.
const BLOCKS: usize = 32;
/// Packet numbers older than the highest seen by this much or more are "too old".
pub(crate) const WINDOW: u64 = (BLOCKS as u64 - 1) * 64;

/// RFC 6479 ring of bitmap blocks. `check` runs before decryption, `mark` only after the
/// packet authenticated, so a forged packet never moves the window.
#[derive(Clone)]
pub(crate) struct ReplayWindow {
    /// Highest packet number marked so far (0 before any, which is harmless: packet 0 is
    /// still accepted once because its bit is clear).
    top: u64,
    bitmap: [u64; BLOCKS],
}

impl ReplayWindow {
    pub(crate) fn new() -> ReplayWindow {
        ReplayWindow {
            top: 0,
            bitmap: [0; BLOCKS],
        }
    }

    /// The highest packet number marked so far (0 before any).
    pub(crate) fn top(&self) -> u64 {
        self.top
    }

    fn slot(pn: u64) -> (usize, u64) {
        (((pn >> 6) as usize) & (BLOCKS - 1), 1u64 << (pn & 63))
    }

    /// Is this packet number acceptable (new and inside the window)?
    pub(crate) fn check(&self, pn: u64) -> Result<()> {
        if pn > self.top {
            return Ok(());
        }
        if self.top - pn >= WINDOW {
            return Err(Error::PacketTooOld);
        }
        let (block, bit) = Self::slot(pn);
        if self.bitmap[block] & bit != 0 {
            return Err(Error::PacketReplayed);
        }
        Ok(())
    }

    /// Records an authenticated packet number (which passed `check`).
    pub(crate) fn mark(&mut self, pn: u64) {
        if pn > self.top {
            let cur = self.top >> 6;
            let new = pn >> 6;
            let diff = new - cur;
            if diff >= BLOCKS as u64 {
                self.bitmap = [0; BLOCKS];
            } else {
                for i in 1..=diff {
                    self.bitmap[((cur + i) as usize) & (BLOCKS - 1)] = 0;
                }
            }
            self.top = pn;
        }
        let (block, bit) = Self::slot(pn);
        self.bitmap[block] |= bit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_accepts_new_rejects_replay_and_too_old() {
        let mut w = ReplayWindow::new();
        w.check(0).unwrap();
        w.mark(0);
        assert_eq!(w.check(0), Err(Error::PacketReplayed));
        w.check(5).unwrap();
        w.mark(5);
        w.check(3).unwrap();
        w.mark(3);
        assert_eq!(w.check(3), Err(Error::PacketReplayed));
        // Jump far ahead: everything at or below top - WINDOW is too old.
        let top = 10_000;
        w.mark(top);
        assert_eq!(w.check(top - WINDOW), Err(Error::PacketTooOld));
        w.check(top - WINDOW + 1).unwrap();
        assert_eq!(w.check(5), Err(Error::PacketTooOld));
        // The oldest slot inside the window is usable exactly once.
        w.mark(top - WINDOW + 1);
        assert_eq!(w.check(top - WINDOW + 1), Err(Error::PacketReplayed));
    }

    #[test]
    fn window_matches_a_naive_model() {
        // Compare against a set-based model over a pseudo-random walk.
        use std::collections::HashSet;
        let mut w = ReplayWindow::new();
        let mut seen = HashSet::new();
        let mut top = 0u64;
        let mut any = false;
        let mut x = 0x9e3779b97f4a7c15u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let delta = (x % 4000) as i64 - 2600;
            let pn = (top as i64 + delta).max(0) as u64;
            let expected = if any && pn <= top && top - pn >= WINDOW {
                Err(Error::PacketTooOld)
            } else if seen.contains(&pn) {
                Err(Error::PacketReplayed)
            } else {
                Ok(())
            };
            assert_eq!(w.check(pn), expected, "pn {pn} top {top}");
            if expected.is_ok() {
                w.mark(pn);
                seen.insert(pn);
                if pn > top || !any {
                    top = top.max(pn);
                }
                any = true;
            }
        }
    }
}
