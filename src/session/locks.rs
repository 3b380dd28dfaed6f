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
//!
//! A caller that owns the session (`&mut Session`, e.g. the endpoint) needs no lock:
//! [`Locks::both_mut`] and [`Locks::send_mut`] borrow the halves directly
//! (`Mutex::get_mut`), and the packet path runs the same code on them, the send half
//! reached through [`SendAt`] either way.

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

/// Both halves, borrowed without a lock ([`Locks::both_mut`]).
pub(super) struct BothMut<'a>(&'a mut Option<RecvHalf>, &'a mut Option<SendHalf>);

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

    /// The receive half and the send half, borrowed without a lock (the caller owns the
    /// session, so nothing else can hold either lock).
    #[inline]
    pub(super) fn both_mut(&mut self) -> BothMut<'_> {
        BothMut(self.recv.get_mut(), self.send.get_mut())
    }

    /// The send half, borrowed without a lock (the caller owns the session).
    #[inline]
    pub(super) fn send_mut(&mut self) -> &mut Option<SendHalf> {
        self.send.get_mut()
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

/// The receive half while it is held, and the way to the send half: locked
/// ([`RecvGuard`]) or borrowed ([`BothMut`]).
pub(super) trait RecvAt {
    /// The way to the send half.
    type SendAt<'b>: SendAt
    where
        Self: 'b;
    /// The receive half and the way to the send half.
    fn split(&mut self) -> (&mut Option<RecvHalf>, Self::SendAt<'_>);
}

impl<'a> RecvAt for RecvGuard<'a> {
    type SendAt<'b>
        = SendLock<'a>
    where
        Self: 'b;
    #[inline(always)]
    fn split(&mut self) -> (&mut Option<RecvHalf>, SendLock<'a>) {
        RecvGuard::split(self)
    }
}

impl RecvAt for BothMut<'_> {
    type SendAt<'b>
        = &'b mut Option<SendHalf>
    where
        Self: 'b;
    #[inline(always)]
    fn split(&mut self) -> (&mut Option<RecvHalf>, &mut Option<SendHalf>) {
        (self.0, self.1)
    }
}

/// The send half, reached while the receive half is held: through its lock ([`SendLock`],
/// the order kept) or borrowed when the caller owns the session.
pub(super) trait SendAt {
    /// The send half while it is held.
    type Half: DerefMut<Target = Option<SendHalf>>;
    /// Takes the send half.
    fn take(self) -> Self::Half;
}

impl<'a> SendAt for SendLock<'a> {
    type Half = SendGuard<'a>;
    #[inline]
    fn take(self) -> SendGuard<'a> {
        self.lock()
    }
}

impl<'a> SendAt for &'a mut Option<SendHalf> {
    type Half = &'a mut Option<SendHalf>;
    #[inline]
    fn take(self) -> Self::Half {
        self
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
