//! Byte FIFO for outgoing datagrams and received data: one growable buffer that is reused
//! (both ends go back to 0 whenever it is empty), so that a steady state in which the
//! application drains the queue after each call never allocates.

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

    /// Whether `reserve(n)` succeeds on this queue when it is empty (the buffer never grows
    /// past the limit: it starts empty and `reserve_grow` stops at the limit).
    #[inline(always)]
    pub(crate) fn fits_empty(&self, n: usize) -> bool {
        debug_assert!(self.buf.len() <= self.limit);
        n <= self.limit
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

    /// The offset of the first queued byte and the `N` bytes there, if `N` are queued.
    #[inline(always)]
    pub(crate) fn front_bytes<const N: usize>(&self) -> Option<(usize, [u8; N])> {
        // head <= tail always.
        let start = self.head;
        if self.tail - start < N {
            return None;
        }
        let bytes = self.buf.get(start..start + N)?.try_into().ok()?;
        Some((start, bytes))
    }

    /// The offset of the first queued byte and the two little-endian words there, if 16
    /// bytes are queued.
    #[inline(always)]
    pub(crate) fn front_words(&self) -> Option<(usize, [u64; 2])> {
        let (start, b) = self.front_bytes::<16>()?;
        let w0 = u64::from_le_bytes(b[..8].try_into().ok()?);
        let w1 = u64::from_le_bytes(b[8..].try_into().ok()?);
        Some((start, [w0, w1]))
    }
}
