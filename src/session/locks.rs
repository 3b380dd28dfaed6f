//! The session's two packet locks, and their order, as types.
//!
//! Sealing takes only the send lock and opening only the receive lock, so the two directions
//! never wait for each other. The few paths that need both halves (a key update, a packet
//! under the peer's new key phase, ending the session) take the receive lock first, then the
//! send lock. That order is not a comment: the send lock is reached while the receive lock
//! is held only through the [`SendLock`] that [`RecvGuard::split`] hands out (there is no
//! other way to make one), and a [`SendGuard`] has no way to reach the receive lock. Taking
//! both at once is [`Locks::both`]. Sealing's [`Locks::send`] must be dropped before the
//! receive lock is taken (the seal path does so before a key update).

use super::transport::{RecvHalf, SendHalf};
use parking_lot::{Mutex, MutexGuard};
use std::ops::{Deref, DerefMut};

/// The receive and send halves of an established session, each behind its own lock
/// (`None` before the handshake completes and after the session ends).
pub(super) struct Locks {
    recv: Mutex<Option<RecvHalf>>,
    send: Mutex<Option<SendHalf>>,
}

/// The locked receive half; the way to the send lock while it is held.
pub(super) struct RecvGuard<'a> {
    recv: MutexGuard<'a, Option<RecvHalf>>,
    send: SendLock<'a>,
}

/// The right to take the send lock, handed out only by a [`RecvGuard`].
#[derive(Clone, Copy)]
pub(super) struct SendLock<'a>(&'a Mutex<Option<SendHalf>>);

/// The locked send half. It gives no access to the receive lock.
pub(super) struct SendGuard<'a>(MutexGuard<'a, Option<SendHalf>>);

impl Locks {
    pub(super) const fn new() -> Self {
        Locks {
            recv: Mutex::new(None),
            send: Mutex::new(None),
        }
    }

    /// Locks the receive half (the first lock of the order).
    #[inline]
    pub(super) fn recv(&self) -> RecvGuard<'_> {
        RecvGuard {
            recv: self.recv.lock(),
            send: SendLock(&self.send),
        }
    }

    /// Locks the send half alone (sealing). Drop it before taking the receive lock.
    #[inline]
    pub(super) fn send(&self) -> SendGuard<'_> {
        SendGuard(self.send.lock())
    }

    /// Locks both halves, in order.
    #[inline]
    pub(super) fn both(&self) -> (RecvGuard<'_>, SendGuard<'_>) {
        let recv = self.recv();
        let send = recv.send.lock();
        (recv, send)
    }

    /// Installs the halves of a completed handshake (receive, then send).
    pub(super) fn install(&self, recv: RecvHalf, send: SendHalf) {
        let (mut r, mut s) = self.both();
        *r = Some(recv);
        *s = Some(send);
    }

    /// Erases both halves (their keys are zeroed when dropped).
    pub(super) fn clear(&self) {
        let (mut r, mut s) = self.both();
        *s = None;
        *r = None;
    }
}

impl<'a> RecvGuard<'a> {
    /// The receive half and the right to take the send lock (the second lock of the order).
    #[inline]
    pub(super) fn split(&mut self) -> (&mut Option<RecvHalf>, SendLock<'a>) {
        (&mut self.recv, self.send)
    }
}

impl<'a> SendLock<'a> {
    /// Locks the send half (the receive lock is held: the order is kept).
    #[inline]
    pub(super) fn lock(self) -> SendGuard<'a> {
        SendGuard(self.0.lock())
    }
}

impl Deref for RecvGuard<'_> {
    type Target = Option<RecvHalf>;
    #[inline]
    fn deref(&self) -> &Self::Target {
        &self.recv
    }
}

impl DerefMut for RecvGuard<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.recv
    }
}

impl Deref for SendGuard<'_> {
    type Target = Option<SendHalf>;
    #[inline]
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for SendGuard<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}
