//! The handshake state machine (docs/PROTOCOL.md sections 10-12, 21, 22), snow-style: one
//! value per handshake state, and one method per state and event that consumes the value
//! and returns the next one. The wire encoding lives in `handshake`, `retry` and
//! `clientauth`; [`Session`](super::Session) only applies the returned [`Step`] (publishes
//! the state, installs the packet halves, ends the session on a fatal error).

use super::clientauth::{self, ClientCredentials};
use super::config::{ClientConfig, ServerConfig};
use super::handshake::{self, AnsweredHello, ClientHello, Schedule};
use super::suite::{Entropy, Suite};
use super::transport::{RecvHalf, SendHalf};
use super::{is_data_or_close, limits, retry, Mode, Negotiated, Role, State, HANDSHAKE_DROPPED};
use crate::error::{Error, Result};
use std::sync::Arc;

/// The handshake state. Every variant is boxed: an established session keeps only
/// `Handshake::Done` (one word plus the tag), not the largest variant's size inline.
pub(super) enum Handshake {
    /// Client before or after sending its hello.
    ClientHello(Box<ClientHelloState>),
    /// Client that accepted the ServerHello and must send its Finished.
    ClientFinished(Box<ClientFinishedState>),
    /// Server waiting for a ClientHello.
    ServerStart(Box<ServerStartState>),
    /// Server that answered and waits for the client's Finished.
    ServerHello(Box<ServerHelloState>),
    /// Server that verified the client's credentials and waits for the application.
    ServerAccept(Box<Halves>),
    /// Established, failed or closed.
    Done,
}

/// The packet protection halves, held by the handshake until the session is established.
pub(super) struct Halves {
    pub(super) send: SendHalf,
    pub(super) recv: RecvHalf,
}

impl Halves {
    /// The traffic keys of both directions, derived once per handshake from its schedule.
    fn derive(role: Role, suite: Suite, schedule: &Schedule, mode: Mode) -> Result<Halves> {
        let (own, peer) = match role {
            Role::Client => (&schedule.c2s_secret, &schedule.s2c_secret),
            Role::Server => (&schedule.s2c_secret, &schedule.c2s_secret),
        };
        let send = SendHalf::new(suite, own)?;
        let recv = RecvHalf::new(suite, peer, mode)?;
        Ok(Halves { send, recv })
    }
}

pub(super) struct ClientHelloState {
    pub(super) cfg: Arc<ClientConfig>,
    pub(super) hello: ClientHello,
    pub(super) written: bool,
    /// A Retry was followed (at most one per session).
    pub(super) retried: bool,
    /// Handshake messages dropped so far (datagram mode, section 12).
    pub(super) drops: u8,
}

pub(super) struct ClientFinishedState {
    finished: Vec<u8>,
    halves: Halves,
}

pub(super) struct ServerStartState {
    pub(super) cfg: Arc<ServerConfig>,
    pub(super) entropy: Box<dyn Entropy + Send>,
    pub(super) client_address: Option<Vec<u8>>,
}

pub(super) struct ServerHelloState {
    cfg: Arc<ServerConfig>,
    server_hello: Vec<u8>,
    /// The answered ClientHello without its padding (what the transcript covers), kept only
    /// when client authentication is configured (the client signs it).
    client_hello: Vec<u8>,
    /// Recognizes a retransmitted copy of the answered ClientHello.
    answered: AnsweredHello,
    /// SHA-256 of the answered ClientHello's core (section 22.1).
    client_hello_core: [u8; 32],
    written: bool,
    /// Handshake messages dropped so far (datagram mode, section 12).
    drops: u8,
    halves: Halves,
}

/// Where a transition leads. Only on the stack for the moment of the transition (boxing the
/// halves would cost an allocation per handshake).
#[allow(clippy::large_enum_variant)]
pub(super) enum Next {
    /// Still in the handshake: this state ([`Handshake::state`] is what the session shows).
    Handshake(Handshake),
    /// The handshake is over: the session is established with these halves.
    Established(Halves),
}

/// A successful transition and what the session learns from it.
pub(super) struct Step {
    pub(super) next: Next,
    /// The suite and server key, once known.
    pub(super) negotiated: Option<Negotiated>,
    /// The client's verified credentials (server with client authentication).
    pub(super) credentials: Option<ClientCredentials>,
}

impl Step {
    fn to(next: Handshake) -> Step {
        Step {
            next: Next::Handshake(next),
            negotiated: None,
            credentials: None,
        }
    }
}

/// The result of a transition.
pub(super) type Transition<T> = std::result::Result<T, Failure>;

/// A failed transition.
pub(super) enum Failure {
    /// Nothing changes: the state is given back with the error to return.
    Keep(Handshake, Error),
    /// Fatal: the session ends with this error.
    Fatal(Error),
}

/// A handshake message failed its checks (parsing or authentication) in a state where an
/// unauthenticated message can be spoofed (client waiting for the ServerHello, server
/// waiting for the ClientFinished). Datagram mode: the message is dropped (the state does
/// not change but for the drop count) and [`HANDSHAKE_DROPPED`] is returned, up to
/// [`limits::HANDSHAKE_DROP_LIMIT`] - 1 times; the next failure is fatal with its own code.
/// Stream mode: always fatal (section 12). `None`: fatal with the message's own code.
fn spoofable(mode: Mode, drops: &mut u8) -> Option<Error> {
    if mode == Mode::Datagram {
        *drops += 1;
        if usize::from(*drops) < limits::HANDSHAKE_DROP_LIMIT {
            return Some(HANDSHAKE_DROPPED);
        }
    }
    None
}

/// Copies a handshake message into `out` (`BufferTooSmall` when it does not fit).
fn copy_out(msg: &[u8], out: &mut [u8]) -> Result<usize> {
    let dst = out.get_mut(..msg.len()).ok_or(Error::BufferTooSmall)?;
    dst.copy_from_slice(msg);
    Ok(msg.len())
}

/// `NeedWrite` -> `NeedRead`: the hello of `st` goes out (a short buffer changes nothing).
fn write_once<S>(
    mut st: Box<S>,
    out: &mut [u8],
    msg: fn(&S) -> &[u8],
    written: fn(&mut S) -> &mut bool,
    wrap: fn(Box<S>) -> Handshake,
) -> Transition<(Step, usize)> {
    match copy_out(msg(&st), out) {
        Ok(n) => {
            *written(&mut st) = true;
            Ok((Step::to(wrap(st)), n))
        }
        Err(e) => Err(Failure::Keep(wrap(st), e)),
    }
}

impl Handshake {
    /// What the session shows in this handshake state (`Done` has no handshake state; the
    /// session's own state field says established, failed or closed).
    pub(super) fn state(&self) -> Option<State> {
        match self {
            Handshake::ClientHello(st) if !st.written => Some(State::NeedWrite),
            Handshake::ClientHello(_) => Some(State::NeedRead),
            Handshake::ClientFinished(_) => Some(State::NeedWrite),
            Handshake::ServerStart(_) => Some(State::NeedRead),
            Handshake::ServerHello(st) if !st.written => Some(State::NeedWrite),
            Handshake::ServerHello(_) => Some(State::NeedRead),
            Handshake::ServerAccept(_) => Some(State::NeedAccept),
            Handshake::Done => None,
        }
    }

    /// The message `write` would write now, if any.
    pub(super) fn pending(&self) -> Option<&[u8]> {
        match self {
            Handshake::ClientHello(st) if !st.written => Some(&st.hello.bytes),
            Handshake::ClientFinished(st) => Some(&st.finished),
            Handshake::ServerHello(st) if !st.written => Some(&st.server_hello),
            _ => None,
        }
    }

    /// The `write_handshake` event: writes the pending message into `out`.
    pub(super) fn write(self, out: &mut [u8]) -> Transition<(Step, usize)> {
        match self {
            Handshake::ClientHello(st) if !st.written => st.write_hello(out),
            Handshake::ClientFinished(st) => st.write_finished(out),
            Handshake::ServerHello(st) if !st.written => st.write_hello(out),
            other => Err(Failure::Keep(other, Error::WrongState)),
        }
    }

    /// The `read_handshake` event: processes the peer's message.
    pub(super) fn read(self, msg: &[u8], mode: Mode) -> Transition<Step> {
        match self {
            Handshake::ClientHello(st) if st.written && msg.first() == Some(&retry::MSG_RETRY) => {
                st.read_retry(msg, mode)
            }
            Handshake::ClientHello(st) if st.written => st.read_server_hello(msg, mode),
            Handshake::ServerStart(st) => st.read_client_hello(msg, mode),
            Handshake::ServerHello(st) if st.written => st.read_client_finished(msg, mode),
            other => Err(Failure::Keep(other, Error::WrongState)),
        }
    }

    /// The application's `accept` (server in `NeedAccept`).
    pub(super) fn accept(self) -> Transition<Halves> {
        match self {
            Handshake::ServerAccept(halves) => Ok(*halves),
            other => Err(Failure::Keep(other, Error::WrongState)),
        }
    }

    /// The application's `reject` (server in `NeedAccept`): the authenticated close packet
    /// for the client in `out`. The halves are dropped (the session ends) on success.
    pub(super) fn reject(self, out: &mut [u8]) -> Transition<usize> {
        match self {
            // Kind 1: a close packet (s2c packet number 0).
            Handshake::ServerAccept(mut halves) => match halves.send.seal(1, &[], out) {
                Ok(n) => Ok(n),
                Err(e) => Err(Failure::Keep(Handshake::ServerAccept(halves), e)),
            },
            other => Err(Failure::Keep(other, Error::WrongState)),
        }
    }
}

impl ClientHelloState {
    /// `NeedWrite` -> `NeedRead`: the ClientHello goes out.
    fn write_hello(self: Box<Self>, out: &mut [u8]) -> Transition<(Step, usize)> {
        write_once(
            self,
            out,
            |st| st.hello.bytes.as_slice(),
            |st| &mut st.written,
            Handshake::ClientHello,
        )
    }

    /// `NeedRead` + Retry -> `NeedWrite` with the ClientHello that carries the cookie
    /// (section 22.4). At most one Retry per session (a second is `WrongState`).
    fn read_retry(mut self: Box<Self>, msg: &[u8], mode: Mode) -> Transition<Step> {
        if self.retried {
            return Err(Failure::Keep(
                Handshake::ClientHello(self),
                Error::WrongState,
            ));
        }
        match retry::client_hello_with_cookie(&self.hello, msg) {
            Ok(bytes) => {
                self.hello.bytes = bytes;
                self.written = false;
                self.retried = true;
                Ok(Step::to(Handshake::ClientHello(self)))
            }
            Err(e) => Err(self.spoofed(mode, e)),
        }
    }

    /// `NeedRead` + ServerHello -> `NeedWrite` with the sealed ClientFinished.
    fn read_server_hello(self: Box<Self>, msg: &[u8], mode: Mode) -> Transition<Step> {
        let result = match handshake::client_process(&self.cfg, &self.hello, msg) {
            Ok(r) => r,
            Err(e) => return Err(self.spoofed(mode, e)),
        };
        let suite = result.suite;
        let mut halves =
            Halves::derive(Role::Client, suite, &result.schedule, mode).map_err(Failure::Fatal)?;
        let finished = clientauth::seal_finished(
            &mut halves.send,
            &result.auth_request,
            self.cfg.client_key.as_ref(),
            self.cfg.token.as_deref().map(|t| t.as_slice()),
            self.hello.unpadded(),
            msg,
        )
        .map_err(Failure::Fatal)?;
        Ok(Step {
            next: Next::Handshake(Handshake::ClientFinished(Box::new(ClientFinishedState {
                finished,
                halves,
            }))),
            negotiated: Some(Negotiated {
                suite,
                server_key: result.server_key,
            }),
            credentials: None,
        })
    }

    fn spoofed(mut self: Box<Self>, mode: Mode, e: Error) -> Failure {
        match spoofable(mode, &mut self.drops) {
            Some(dropped) => Failure::Keep(Handshake::ClientHello(self), dropped),
            None => Failure::Fatal(e),
        }
    }
}

impl ClientFinishedState {
    /// `NeedWrite` -> `Established`: the ClientFinished goes out.
    fn write_finished(self: Box<Self>, out: &mut [u8]) -> Transition<(Step, usize)> {
        match copy_out(&self.finished, out) {
            Ok(n) => {
                let ClientFinishedState { halves, .. } = *self;
                let step = Step {
                    next: Next::Established(halves),
                    negotiated: None,
                    credentials: None,
                };
                Ok((step, n))
            }
            Err(e) => Err(Failure::Keep(Handshake::ClientFinished(self), e)),
        }
    }
}

impl ServerStartState {
    /// `NeedRead` + ClientHello -> `NeedWrite` with the ServerHello. Any failure is fatal.
    fn read_client_hello(mut self, msg: &[u8], mode: Mode) -> Transition<Step> {
        let ServerStartState {
            cfg,
            entropy,
            client_address,
        } = &mut self;
        let flight =
            handshake::server_respond(cfg, msg, client_address.as_deref(), entropy.as_mut())
                .map_err(Failure::Fatal)?;
        let suite = flight.suite;
        let halves =
            Halves::derive(Role::Server, suite, &flight.schedule, mode).map_err(Failure::Fatal)?;
        let negotiated = Negotiated {
            suite,
            server_key: cfg.public_key().clone(),
        };
        let client_hello = if cfg.client_auth.is_none() {
            Vec::new()
        } else {
            msg[..flight.answered.unpadded_len()].to_vec()
        };
        let next = Handshake::ServerHello(Box::new(ServerHelloState {
            cfg: cfg.clone(),
            server_hello: flight.server_hello,
            client_hello,
            answered: flight.answered,
            client_hello_core: flight.client_hello_core,
            written: false,
            drops: 0,
            halves,
        }));
        Ok(Step {
            next: Next::Handshake(next),
            negotiated: Some(negotiated),
            credentials: None,
        })
    }
}

impl ServerHelloState {
    /// `NeedWrite` -> `NeedRead`: the ServerHello goes out.
    fn write_hello(self: Box<Self>, out: &mut [u8]) -> Transition<(Step, usize)> {
        write_once(
            self,
            out,
            |st| st.server_hello.as_slice(),
            |st| &mut st.written,
            Handshake::ServerHello,
        )
    }

    /// `NeedRead` + ClientFinished -> `Established`, or `NeedAccept` with client
    /// authentication. A copy of the answered ClientHello is `PacketReplayed` (its
    /// ServerHello was lost); a late first ClientHello of a Retry exchange is `WrongState`;
    /// neither changes anything.
    fn read_client_finished(mut self: Box<Self>, msg: &[u8], mode: Mode) -> Transition<Step> {
        if msg.first() == Some(&handshake::MSG_CLIENT_HELLO) {
            if self.answered.is_copy(msg, &self.server_hello) {
                return Err(Failure::Keep(
                    Handshake::ServerHello(self),
                    Error::PacketReplayed,
                ));
            }
            if self.cfg.retry.is_some()
                && retry::is_late_first_client_hello(msg, &self.client_hello_core)
            {
                return Err(Failure::Keep(
                    Handshake::ServerHello(self),
                    Error::WrongState,
                ));
            }
        }
        let auth = self.cfg.client_auth;
        // Layout and AEAD: a message that fails them may be spoofed (dropped in datagram
        // mode). A data or close packet (the ClientFinished was lost or reordered) is
        // dropped without counting toward the limit.
        let plaintext = match clientauth::open_finished(&mut self.halves.recv, msg, !auth.is_none())
        {
            Ok(p) => p,
            Err(_) if mode == Mode::Datagram && is_data_or_close(msg) => {
                return Err(Failure::Keep(
                    Handshake::ServerHello(self),
                    HANDSHAKE_DROPPED,
                ))
            }
            Err(e) => {
                return Err(match spoofable(mode, &mut self.drops) {
                    Some(dropped) => Failure::Keep(Handshake::ServerHello(self), dropped),
                    None => Failure::Fatal(e),
                })
            }
        };
        if auth.is_none() {
            return Ok(Step {
                next: Next::Established(self.halves),
                negotiated: None,
                credentials: None,
            });
        }
        // Authenticated by the c2s key: a failure here is the client's (fatal).
        let creds = clientauth::check_finished_plaintext(
            &auth,
            &plaintext,
            &self.client_hello,
            &self.server_hello,
        )
        .map_err(Failure::Fatal)?;
        Ok(Step {
            next: Next::Handshake(Handshake::ServerAccept(Box::new(self.halves))),
            negotiated: None,
            credentials: Some(creds),
        })
    }
}
