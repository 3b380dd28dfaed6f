//! Byte FIFO for outgoing datagrams and received data: one growable buffer that is reused
//! (both ends go back to 0 whenever it is empty), so that a steady state in which the
//! application drains the queue after each call never allocates. And the FIFO of events:
//! a ring of small `Copy` records, as cheap per push and pop as the byte queue.

use crate::error::{Error, Result};

#[derive(Debug, Default)]
pub(crate) struct ByteQueue {
    buf: Vec<u8>,
    head: usize,
    tail: usize,
    limit: usize,
}

impl ByteQueue {
    #[inline]
    pub(crate) fn new(limit: usize) -> ByteQueue {
        ByteQueue {
            buf: Vec::new(),
            head: 0,
            tail: 0,
            limit,
        }
    }

    /// `n` writable bytes at the tail, starting at the returned offset; nothing is queued
    /// until [`ByteQueue::commit`]. `QueueFull` (a code of the endpoint) past the limit.
    #[inline(always)]
    pub(crate) fn reserve(&mut self, n: usize, full: Error) -> Result<(usize, &mut [u8])> {
        if self.head == self.tail {
            self.head = 0;
            self.tail = 0;
        }
        let start = self.tail;
        match start.checked_add(n) {
            Some(end) if end <= self.buf.len() => Ok((start, &mut self.buf[start..end])),
            _ => self.reserve_grow(n, full),
        }
    }

    /// `reserve` when the buffer must grow (or cannot).
    #[cold]
    #[inline(never)]
    fn reserve_grow(&mut self, n: usize, full: Error) -> Result<(usize, &mut [u8])> {
        let end = self.tail.checked_add(n).ok_or(full)?;
        if end > self.buf.len() {
            if end > self.limit {
                return Err(full);
            }
            let grown = end.max(self.buf.len() * 2).min(self.limit.max(end));
            self.buf.resize(grown, 0);
        }
        Ok((self.tail, &mut self.buf[self.tail..end]))
    }

    /// Queues `n` bytes written after the last `reserve`.
    #[inline]
    pub(crate) fn commit(&mut self, n: usize) {
        self.tail += n;
        debug_assert!(self.tail <= self.buf.len());
    }

    /// The bytes `start..start + len` (an earlier reservation); they are dequeued with
    /// everything before them.
    #[inline]
    pub(crate) fn take(&mut self, start: usize, len: usize) -> &[u8] {
        self.head = start + len;
        &self.buf[start..start + len]
    }

    /// Queues `bytes` even past the limit (a few bytes that must not be refused).
    pub(crate) fn push_always(&mut self, bytes: &[u8]) {
        let limit = std::mem::replace(&mut self.limit, usize::MAX);
        if let Ok((_, out)) = self.reserve(bytes.len(), Error::Internal) {
            out.copy_from_slice(bytes);
            self.commit(bytes.len());
        }
        self.limit = limit;
    }

    /// The offset of the first queued byte and the two little-endian words there, if 16
    /// bytes are queued.
    #[inline(always)]
    pub(crate) fn front_words(&self) -> Option<(usize, [u64; 2])> {
        let start = self.head;
        if self.tail.wrapping_sub(start) < 16 || self.tail < start {
            return None;
        }
        let w = self.buf.get(start..start + 16)?;
        let w0 = u64::from_le_bytes(w[..8].try_into().ok()?);
        let w1 = u64::from_le_bytes(w[8..].try_into().ok()?);
        Some((start, [w0, w1]))
    }

    /// Offset of the first queued byte.
    #[inline]
    pub(crate) fn head(&self) -> usize {
        self.head
    }

    /// The queued bytes from the head on.
    #[inline]
    pub(crate) fn front(&self) -> &[u8] {
        &self.buf[self.head..self.tail]
    }
}

/// FIFO of small `Copy` records (the endpoint's events): a power-of-two ring that doubles
/// when full and never shrinks, so that a steady state never allocates and a push or pop
/// is a few instructions.
#[derive(Debug)]
pub(crate) struct Ring<T: Copy> {
    buf: Vec<T>,
    head: usize,
    len: usize,
}

impl<T: Copy> Ring<T> {
    pub(crate) fn new() -> Ring<T> {
        Ring {
            buf: Vec::new(),
            head: 0,
            len: 0,
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.len
    }

    #[inline(always)]
    pub(crate) fn push_back(&mut self, x: T) {
        if self.len == self.buf.len() {
            self.grow(x);
        }
        let i = (self.head + self.len) & (self.buf.len() - 1);
        self.buf[i] = x;
        self.len += 1;
    }

    /// Doubles the ring (at least 16 records), the records in order from index 0; `fill`
    /// fills the free records.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, fill: T) {
        let old = self.buf.len();
        let mut buf = Vec::with_capacity((old * 2).max(16));
        buf.extend((0..self.len).map(|k| self.buf[(self.head + k) & (old - 1)]));
        buf.resize(buf.capacity(), fill);
        self.buf = buf;
        self.head = 0;
    }

    #[inline(always)]
    pub(crate) fn pop_front(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        let x = self.buf[self.head];
        self.head = (self.head + 1) & (self.buf.len() - 1);
        self.len -= 1;
        Some(x)
    }

    #[cfg(test)]
    fn front(&self) -> Option<&T> {
        (self.len > 0).then(|| &self.buf[self.head])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pushes and pops against a `VecDeque`, with the ring wrapping around and growing while
    /// it wraps.
    #[test]
    fn ring_agrees_with_a_vecdeque() {
        let mut ring = Ring::new();
        let mut reference = std::collections::VecDeque::new();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for step in 0..50_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Phases that mostly push, then mostly pop, so the length goes up and down.
            let push_bias = if (step / 1000) % 2 == 0 { 3 } else { 1 };
            if x % 4 < push_bias {
                ring.push_back(step);
                reference.push_back(step);
            } else {
                assert_eq!(ring.pop_front(), reference.pop_front());
            }
            assert_eq!(ring.len(), reference.len());
            assert_eq!(ring.front(), reference.front());
        }
        while let Some(v) = reference.pop_front() {
            assert_eq!(ring.pop_front(), Some(v));
        }
        assert_eq!(ring.pop_front(), None);
    }
}
