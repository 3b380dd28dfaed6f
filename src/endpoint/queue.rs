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
    #[inline]
    pub(crate) fn reserve(&mut self, n: usize, full: Error) -> Result<(usize, &mut [u8])> {
        if self.head == self.tail {
            self.head = 0;
            self.tail = 0;
        }
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
