//! Stateless retry cookies (docs/PROTOCOL.md section 22): a UDP server answers a ClientHello
//! without a valid cookie with a small Retry message and spends no ECDH or signature until
//! the client proves that it receives packets at its address.

use crate::error::{Error, Result};
use crate::session::handshake::{parse_client_hello, sha256, ClientHello, Reader, VERSION};
use aws_lc_rs::hmac;
use parking_lot::RwLock;
use std::fmt;
use zeroize::Zeroizing;

/// Type byte of the Retry message.
pub(crate) const MSG_RETRY: u8 = 0x04;
/// ClientHello extension type that carries the cookie.
pub(crate) const EXT_COOKIE: u16 = 0x0101;
/// Length of a retry secret.
pub const RETRY_SECRET_LEN: usize = 32;
/// Longest client address (opaque bytes chosen by the application, e.g. a sockaddr).
pub const CLIENT_ADDRESS_MAX_LEN: usize = 128;
/// Length of the cookies this implementation makes: slot (8) || HMAC tag (32).
pub(crate) const COOKIE_LEN: usize = 8 + 32;
/// Length of the Retry messages this implementation sends.
pub const RETRY_LEN: usize = 1 + 2 + 32 + 1 + COOKIE_LEN;
/// Default length of a time slot: a cookie is valid in its slot and the next one.
pub const DEFAULT_RETRY_PERIOD_SECS: u64 = 10;
/// Longest allowed time slot.
pub const MAX_RETRY_PERIOD_SECS: u64 = 3600;
/// Prefix of the cookie MAC input.
const COOKIE_LABEL: &[u8] = b"gamecrypt retry cookie v1\x00";

/// What a server does with a datagram that may be a ClientHello (see
/// [`crate::session::ServerConfig::check_client_hello`]). [`RetryAction::code`] is the C
/// constant `GAMECRYPT_RETRY_ACTION_*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryAction {
    /// Create a server session for this address and give it the ClientHello. Code 1.
    Accept,
    /// Send these bytes (a Retry message, smaller than the datagram) back to the address and
    /// forget the datagram. Code 2.
    SendRetry(Vec<u8>),
    /// Ignore the datagram (not a well-formed ClientHello, or an invalid, expired or foreign
    /// cookie). Code 3.
    Drop,
}

impl RetryAction {
    /// The C constant of [`RetryAction::Accept`].
    pub const ACCEPT_CODE: u32 = 1;
    /// The C constant of [`RetryAction::SendRetry`].
    pub const SEND_RETRY_CODE: u32 = 2;
    /// The C constant of [`RetryAction::Drop`].
    pub const DROP_CODE: u32 = 3;

    /// The C constant of this action.
    pub const fn code(&self) -> u32 {
        match self {
            RetryAction::Accept => Self::ACCEPT_CODE,
            RetryAction::SendRetry(_) => Self::SEND_RETRY_CODE,
            RetryAction::Drop => Self::DROP_CODE,
        }
    }
}

struct Secrets {
    current: Zeroizing<[u8; RETRY_SECRET_LEN]>,
    previous: Option<Zeroizing<[u8; RETRY_SECRET_LEN]>>,
    /// When `current` became current (None: not known yet; set at the first use).
    since: Option<u64>,
}

/// The retry settings and the rotating server secret of one server configuration. Shared by
/// every thread that uses the configuration; the secret is behind a read-write lock.
pub(crate) struct RetryState {
    period: u64,
    rotation_interval: u64,
    secrets: RwLock<Secrets>,
}

impl fmt::Debug for RetryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryState")
            .field("period", &self.period)
            .field("rotation_interval", &self.rotation_interval)
            .finish_non_exhaustive()
    }
}

fn random_secret() -> Result<Zeroizing<[u8; RETRY_SECRET_LEN]>> {
    let mut s = Zeroizing::new([0u8; RETRY_SECRET_LEN]);
    aws_lc_rs::rand::fill(&mut s[..]).map_err(|_| Error::RandomFailed)?;
    Ok(s)
}

/// SHA-256 of the ClientHello core: every byte before the extension-block length.
pub(crate) fn client_hello_core_hash(client_hello: &[u8], core_len: usize) -> [u8; 32] {
    sha256(&[&client_hello[..core_len]])
}

fn cookie_input(slot: u64, addr: &[u8], ch_hash: &[u8; 32]) -> Vec<u8> {
    let mut m = Vec::with_capacity(COOKIE_LABEL.len() + 8 + 2 + addr.len() + 32);
    m.extend_from_slice(COOKIE_LABEL);
    m.extend_from_slice(&slot.to_be_bytes());
    m.extend_from_slice(&(addr.len() as u16).to_be_bytes());
    m.extend_from_slice(addr);
    m.extend_from_slice(ch_hash);
    m
}

/// Checks an application-supplied client address.
pub(crate) fn check_address(addr: &[u8]) -> Result<()> {
    if addr.is_empty() || addr.len() > CLIENT_ADDRESS_MAX_LEN {
        return Err(Error::InvalidLength);
    }
    Ok(())
}

impl RetryState {
    /// `period` 1..=3600 seconds and `rotation_interval` 0 (manual rotation only) or at
    /// least two periods, as checked by the builder.
    pub(crate) fn from_settings(
        period: u64,
        rotation_interval: u64,
        secret: &[u8; RETRY_SECRET_LEN],
    ) -> RetryState {
        RetryState {
            period,
            rotation_interval,
            secrets: RwLock::new(Secrets {
                current: Zeroizing::new(*secret),
                previous: None,
                since: None,
            }),
        }
    }

    /// The length of a time slot in seconds.
    pub(crate) fn period(&self) -> u64 {
        self.period
    }

    /// The previous secret is dropped, the current one becomes the previous one (cookies
    /// made with it stay valid until they expire), and `secret` (or a random one) is current.
    pub(crate) fn rotate(
        &self,
        secret: Option<&[u8; RETRY_SECRET_LEN]>,
        now: Option<u64>,
    ) -> Result<()> {
        let next = match secret {
            Some(s) => Zeroizing::new(*s),
            None => random_secret()?,
        };
        let mut s = self.secrets.write();
        let old = std::mem::replace(&mut s.current, next);
        s.previous = Some(old);
        s.since = now;
        Ok(())
    }

    /// Automatic rotation: when the current secret is older than the rotation interval.
    fn rotate_if_due(&self, now: u64) -> Result<()> {
        let interval = self.rotation_interval;
        let is_due = |since: Option<u64>| matches!(since, Some(t) if interval != 0 && now >= t.saturating_add(interval));
        let since = self.secrets.read().since;
        if since.is_none() {
            self.secrets.write().since.get_or_insert(now);
        } else if is_due(since) {
            let next = random_secret()?;
            let mut w = self.secrets.write();
            if is_due(w.since) {
                // (Another thread may have rotated in between.)
                let old = std::mem::replace(&mut w.current, next);
                w.previous = Some(old);
                w.since = Some(now);
            }
        }
        Ok(())
    }

    fn tag(secret: &[u8], slot: u64, addr: &[u8], ch_hash: &[u8; 32]) -> hmac::Tag {
        let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
        hmac::sign(&key, &cookie_input(slot, addr, ch_hash))
    }

    /// A fresh cookie for this address and ClientHello core hash.
    pub(crate) fn make_cookie(&self, now: u64, addr: &[u8], ch_hash: &[u8; 32]) -> Result<Vec<u8>> {
        self.rotate_if_due(now)?;
        let slot = now / self.period;
        let s = self.secrets.read();
        let mut c = Vec::with_capacity(COOKIE_LEN);
        c.extend_from_slice(&slot.to_be_bytes());
        c.extend_from_slice(Self::tag(&s.current[..], slot, addr, ch_hash).as_ref());
        Ok(c)
    }

    /// True when `cookie` was made by this server (current or previous secret) for this
    /// address and ClientHello core, in the current or the previous time slot.
    pub(crate) fn verify_cookie(
        &self,
        now: u64,
        addr: &[u8],
        ch_hash: &[u8; 32],
        cookie: &[u8],
    ) -> Result<bool> {
        self.rotate_if_due(now)?;
        if cookie.len() != COOKIE_LEN {
            return Ok(false);
        }
        let mut slot_bytes = [0u8; 8];
        slot_bytes.copy_from_slice(&cookie[..8]);
        let slot = u64::from_be_bytes(slot_bytes);
        let current = now / self.period;
        if slot != current && Some(slot) != current.checked_sub(1) {
            return Ok(false);
        }
        let msg = cookie_input(slot, addr, ch_hash);
        let tag = &cookie[8..];
        let s = self.secrets.read();
        let ok = std::iter::once(&s.current)
            .chain(s.previous.as_ref())
            .any(|secret| {
                let key = hmac::Key::new(hmac::HMAC_SHA256, &secret[..]);
                hmac::verify(&key, &msg, tag).is_ok()
            });
        Ok(ok)
    }
}

/// Builds a Retry message: type, version, ClientHello core hash, cookie.
pub(crate) fn build_retry(ch_hash: &[u8; 32], cookie: &[u8]) -> Result<Vec<u8>> {
    let cookie_len = u8::try_from(cookie.len()).map_err(|_| Error::Internal)?;
    let mut m = Vec::with_capacity(RETRY_LEN);
    m.push(MSG_RETRY);
    m.extend_from_slice(&VERSION.to_be_bytes());
    m.extend_from_slice(ch_hash);
    m.push(cookie_len);
    m.extend_from_slice(cookie);
    Ok(m)
}

/// Client that reads a Retry: checks it against its own ClientHello (section 22.4) and
/// returns the ClientHello to send instead, with the cookie extension (section 22.3).
pub(crate) fn client_hello_with_cookie(hello: &ClientHello, msg: &[u8]) -> Result<Vec<u8>> {
    let cookie = parse_retry(msg, &hello.core_hash())?;
    let mut ext = Vec::with_capacity(4 + cookie.len());
    ext.extend_from_slice(&EXT_COOKIE.to_be_bytes());
    ext.extend_from_slice(&(cookie.len() as u16).to_be_bytes());
    ext.extend_from_slice(cookie);
    hello.with_extensions(&ext)
}

/// Server waiting for the ClientFinished, with retry cookies on: is `msg` a late copy of the
/// first ClientHello of the Retry exchange (same core as the answered one, no cookie)?
/// Such a copy is ignored (section 22.5).
pub(crate) fn is_late_first_client_hello(msg: &[u8], answered_core: &[u8; 32]) -> bool {
    parse_client_hello(msg)
        .is_ok_and(|ch| client_hello_core_hash(msg, ch.core_len) == *answered_core)
}

/// Client: checks a Retry message against its own ClientHello core hash and returns the
/// cookie (section 22.3).
pub(crate) fn parse_retry<'a>(msg: &'a [u8], own_ch_hash: &[u8; 32]) -> Result<&'a [u8]> {
    const M: Error = Error::HandshakeMalformed;
    let mut r = Reader::new(msg);
    if r.u8() != Some(MSG_RETRY) {
        return Err(M);
    }
    if r.u16().ok_or(M)? != VERSION {
        return Err(Error::UnsupportedVersion);
    }
    let h = r.bytes(32).ok_or(M)?;
    let n = r.u8().ok_or(M)? as usize;
    let cookie = r.bytes(n).ok_or(M)?;
    if n == 0 || !r.is_empty() || h != own_ch_hash {
        return Err(M);
    }
    Ok(cookie)
}

/// The server's stateless decision for one datagram (section 22.4).
pub(crate) fn check(
    state: Option<&RetryState>,
    now: impl FnOnce() -> Result<u64>,
    addr: &[u8],
    datagram: &[u8],
) -> Result<RetryAction> {
    check_address(addr)?;
    let Ok(ch) = parse_client_hello(datagram) else {
        return Ok(RetryAction::Drop);
    };
    let Some(state) = state else {
        return Ok(RetryAction::Accept);
    };
    let now = now()?;
    let ch_hash = client_hello_core_hash(datagram, ch.core_len);
    match ch.extensions.iter().find(|(t, _)| *t == EXT_COOKIE) {
        None => {
            let cookie = state.make_cookie(now, addr, &ch_hash)?;
            Ok(RetryAction::SendRetry(build_retry(&ch_hash, &cookie)?))
        }
        Some((_, cookie)) => {
            if state.verify_cookie(now, addr, &ch_hash, cookie)? {
                Ok(RetryAction::Accept)
            } else {
                Ok(RetryAction::Drop)
            }
        }
    }
}
