//! The engine-free part of `GameCryptMultiplayerPeer`: one gamecrypt session per remote peer,
//! driven by the messages of ENet's control channel, plus the mapping of Godot's transfer
//! modes and channels onto ENet channels and packet flags.
//!
//! Wire layout (over ENet):
//! - ENet channel 0 (reliable): the handshake messages, then sealed control packets.
//! - ENet channel 1: reliable game packets on the default channel; channel 2: unreliable and
//!   unreliable-ordered game packets on the default channel; channel 2 + c: game channel c.
//! - Every packet after the handshake is a gamecrypt datagram-mode packet whose plaintext is
//!   `[kind, transfer mode, payload...]`; the transfer mode travels inside the authenticated
//!   plaintext, since ENet does not report a received packet's flags to GDExtensions.
//!
//! Datagram mode is used because unreliable packets may be lost and the packets of different
//! channels reorder against each other. A peer counts as connected only after the handshake:
//! the server once it accepted the client (and sent its first sealed packet), the client once
//! it opened the first sealed packet from the server.

use gamecrypt::session::{limits, ClientConfig, Mode, ServerConfig, Session, State};
use gamecrypt::{Error, Result};
use std::sync::Arc;

/// ENet channel of the handshake and the control packets.
pub const CH_CONTROL: i32 = 0;
/// ENet channel of reliable packets on game channel 0.
pub const CH_RELIABLE: i32 = 1;
/// ENet channel of unreliable packets on game channel 0.
pub const CH_UNRELIABLE: i32 = 2;
/// ENet channels used besides the game's extra channels.
pub const SYSTEM_CHANNELS: i32 = 3;

/// ENet packet flags (the `ENetPacketPeer.FLAG_*` constants).
pub const FLAG_RELIABLE: i32 = 1;
/// Unsequenced: not ordered against other packets.
pub const FLAG_UNSEQUENCED: i32 = 2;
/// Large packets are fragmented unreliably instead of becoming reliable.
pub const FLAG_UNRELIABLE_FRAGMENT: i32 = 8;

/// Godot's `MultiplayerPeer.TransferMode` values.
pub const MODE_UNRELIABLE: u8 = 0;
/// Unreliable but ordered.
pub const MODE_UNRELIABLE_ORDERED: u8 = 1;
/// Reliable and ordered.
pub const MODE_RELIABLE: u8 = 2;

const KIND_READY: u8 = 1;
const KIND_DATA: u8 = 2;
/// Bytes of our own in a sealed plaintext (kind and transfer mode).
const FRAME_LEN: usize = 2;

/// The largest game packet.
pub const MAX_PACKET_SIZE: usize = limits::MAX_PAYLOAD_LEN - FRAME_LEN;

/// The ENet channel for a transfer mode and game channel (0 = default).
pub fn enet_channel(mode: u8, channel: i32) -> i32 {
    if channel > 0 {
        SYSTEM_CHANNELS + channel - 1
    } else if mode == MODE_RELIABLE {
        CH_RELIABLE
    } else {
        CH_UNRELIABLE
    }
}

/// The game channel of an ENet channel (0 for the system channels).
pub fn game_channel(enet_channel: i32) -> i32 {
    if enet_channel >= SYSTEM_CHANNELS {
        enet_channel - SYSTEM_CHANNELS + 1
    } else {
        0
    }
}

/// The ENet packet flags for a transfer mode.
pub fn enet_flags(mode: u8) -> i32 {
    match mode {
        MODE_RELIABLE => FLAG_RELIABLE,
        MODE_UNRELIABLE_ORDERED => FLAG_UNRELIABLE_FRAGMENT,
        _ => FLAG_UNSEQUENCED | FLAG_UNRELIABLE_FRAGMENT,
    }
}

/// What the owner of a [`Link`] must do after it handled a message.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    /// Send these bytes to the peer on the control channel (reliable).
    SendControl(Vec<u8>),
    /// The handshake is done and accepted: the peer counts as connected from now on.
    Connected,
    /// A game packet from the peer.
    Data {
        /// Godot transfer mode the sender used.
        mode: u8,
        /// The packet.
        payload: Vec<u8>,
    },
    /// A packet was rejected (forged, tampered, replayed, too old); the session goes on.
    Dropped(Error),
    /// The session ended (handshake failure, rejection, close from the peer): disconnect.
    Fail(Error),
}

/// What the server application decides about a client that authenticated itself.
pub trait Gatekeeper {
    /// True to accept the client of `session` (in `NeedAccept`: its key and token are known).
    fn admit(&mut self, session: &Session) -> bool;
}

impl<F: FnMut(&Session) -> bool> Gatekeeper for F {
    fn admit(&mut self, session: &Session) -> bool {
        self(session)
    }
}

/// One secure link to one remote peer.
#[derive(Debug)]
pub struct Link {
    session: Session,
    connected: bool,
    tamper_next: bool,
}

impl Link {
    /// A client link and its first message (the ClientHello) for the control channel.
    pub fn client(config: Arc<ClientConfig>) -> Result<(Link, Vec<u8>)> {
        let session = Session::new_client(config, Mode::Datagram)?;
        let hello = write_handshake(&session)?;
        Ok((Link::with(session), hello))
    }

    /// A server link waiting for the client's hello.
    pub fn server(config: Arc<ServerConfig>) -> Link {
        Link::with(Session::new_server(config, Mode::Datagram))
    }

    fn with(session: Session) -> Link {
        Link {
            session,
            connected: false,
            tamper_next: false,
        }
    }

    /// The session (for its keys, token and state).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Has the peer been announced as connected?
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    /// Test hook: flips one bit of the next sealed packet (the receiver must drop it).
    pub fn tamper_next_packet(&mut self) {
        self.tamper_next = true;
    }

    /// Seals one game packet.
    pub fn seal(&mut self, mode: u8, payload: &[u8]) -> Result<Vec<u8>> {
        if mode > MODE_RELIABLE {
            return Err(Error::InvalidArgument);
        }
        if payload.len() > MAX_PACKET_SIZE {
            return Err(Error::InvalidLength);
        }
        let mut plain = Vec::with_capacity(FRAME_LEN + payload.len());
        plain.extend_from_slice(&[KIND_DATA, mode]);
        plain.extend_from_slice(payload);
        self.seal_plain(&plain)
    }

    fn seal_plain(&mut self, plain: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0u8; plain.len() + limits::PACKET_OVERHEAD];
        let n = self.session.seal(plain, &mut out)?;
        out.truncate(n);
        if std::mem::take(&mut self.tamper_next) {
            if let Some(last) = out.last_mut() {
                *last ^= 0x01;
            }
        }
        Ok(out)
    }

    /// A close packet for the peer (empty when the session was not established); the
    /// session is closed afterwards.
    pub fn close(&mut self) -> Vec<u8> {
        let mut out = vec![0u8; limits::PACKET_OVERHEAD];
        match self.session.close(&mut out) {
            Ok(n) => {
                out.truncate(n);
                out
            }
            Err(_) => Vec::new(),
        }
    }

    /// Handles one message from the peer that arrived on `enet_channel`.
    pub fn handle(
        &mut self,
        enet_channel: i32,
        msg: &[u8],
        gate: &mut dyn Gatekeeper,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        match self.session.state() {
            State::NeedRead if enet_channel == CH_CONTROL => {
                self.handshake(msg, gate, &mut actions)
            }
            State::Established => self.open(msg, &mut actions),
            // A game packet during the handshake cannot be authentic yet.
            State::NeedRead | State::NeedWrite | State::NeedAccept => {
                actions.push(Action::Dropped(Error::WrongState))
            }
            State::Failed => actions.push(Action::Fail(Error::SessionFailed)),
            State::Closed => actions.push(Action::Fail(Error::SessionClosed)),
        }
        actions
    }

    fn handshake(&mut self, msg: &[u8], gate: &mut dyn Gatekeeper, actions: &mut Vec<Action>) {
        // A datagram-mode session drops a handshake message that fails its checks
        // (`HandshakeMessageDropped`) and waits for another copy. ENet's reliable control
        // channel delivers each message of the peer exactly once, so no other copy comes:
        // the failure is final here (for example the server key does not match the pin).
        if let Err(e) = self.session.read_handshake(msg) {
            actions.push(Action::Fail(e));
            return;
        }
        if self.session.state() == State::NeedWrite {
            match write_handshake(&self.session) {
                Ok(reply) => actions.push(Action::SendControl(reply)),
                Err(e) => return actions.push(Action::Fail(e)),
            }
        }
        if self.session.state() == State::NeedAccept {
            if gate.admit(&self.session) {
                if let Err(e) = self.session.accept() {
                    return actions.push(Action::Fail(e));
                }
            } else {
                let mut close = vec![0u8; limits::PACKET_OVERHEAD];
                if let Ok(n) = self.session.reject(&mut close) {
                    close.truncate(n);
                    actions.push(Action::SendControl(close));
                }
                return actions.push(Action::Fail(Error::SessionRejected));
            }
        }
        // The server is established now (the client already after writing its Finished,
        // but it waits for the server's first packet, which proves the server accepted it).
        if self.session.state() == State::Established && self.is_server() {
            match self.seal_plain(&[KIND_READY, 0]) {
                Ok(ready) => {
                    actions.push(Action::SendControl(ready));
                    self.connected = true;
                    actions.push(Action::Connected);
                }
                Err(e) => actions.push(Action::Fail(e)),
            }
        }
    }

    fn is_server(&self) -> bool {
        self.session.role() == gamecrypt::session::Role::Server
    }

    fn open(&mut self, packet: &[u8], actions: &mut Vec<Action>) {
        let mut plain = vec![0u8; packet.len().saturating_sub(limits::PACKET_OVERHEAD)];
        let n = match self.session.open(packet, &mut plain) {
            Ok(n) => n,
            Err(e) if self.session.state() == State::Established => {
                return actions.push(Action::Dropped(e));
            }
            Err(e) => return actions.push(Action::Fail(e)),
        };
        plain.truncate(n);
        if !self.connected {
            self.connected = true;
            actions.push(Action::Connected);
        }
        match (plain.first(), plain.get(1)) {
            (Some(&KIND_READY), _) => {}
            (Some(&KIND_DATA), Some(&mode)) if mode <= MODE_RELIABLE => {
                plain.drain(..FRAME_LEN);
                actions.push(Action::Data {
                    mode,
                    payload: plain,
                });
            }
            // Authentic but unknown: a newer peer's control packet; ignore it.
            _ => actions.push(Action::Dropped(Error::PacketMalformed)),
        }
    }
}

fn write_handshake(session: &Session) -> Result<Vec<u8>> {
    let mut out = vec![0u8; session.pending_handshake_len()?];
    let n = session.write_handshake(&mut out)?;
    out.truncate(n);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gamecrypt::keys::{KeyType, PublicKey, SigningKey};
    use gamecrypt::session::{ClientAuthMode, ClientAuthRequest, TrustAnchor};

    fn accept_all(_: &Session) -> bool {
        true
    }

    struct Pair {
        client: Link,
        server: Link,
    }

    /// Runs the handshake in memory; returns the links and what each side reported.
    fn connect(
        server_cfg: Arc<ServerConfig>,
        client_cfg: Arc<ClientConfig>,
        gate: &mut dyn Gatekeeper,
    ) -> (Pair, Vec<Action>, Vec<Action>) {
        let (mut client, hello) = Link::client(client_cfg).unwrap();
        let mut server = Link::server(server_cfg);
        let mut to_server = vec![hello];
        let (mut seen_c, mut seen_s) = (Vec::new(), Vec::new());
        for _ in 0..4 {
            let mut to_client = Vec::new();
            for m in to_server.drain(..) {
                for a in server.handle(CH_CONTROL, &m, gate) {
                    match a {
                        Action::SendControl(b) => to_client.push(b),
                        other => seen_s.push(other),
                    }
                }
            }
            for m in to_client {
                for a in client.handle(CH_CONTROL, &m, &mut accept_all) {
                    match a {
                        Action::SendControl(b) => to_server.push(b),
                        other => seen_c.push(other),
                    }
                }
            }
        }
        (Pair { client, server }, seen_c, seen_s)
    }

    fn configs(
        token: Option<&[u8]>,
        pin: Option<PublicKey>,
    ) -> (Arc<ServerConfig>, Arc<ClientConfig>) {
        let id = SigningKey::generate(KeyType::Ed25519).unwrap();
        let mut sb = ServerConfig::builder(id.clone()).unwrap();
        if token.is_some() {
            sb = sb.client_auth(ClientAuthRequest {
                signature: ClientAuthMode::None,
                token: ClientAuthMode::Required,
            });
        }
        let pinned = pin.unwrap_or_else(|| id.public_key().clone());
        let mut cb =
            ClientConfig::builder(TrustAnchor::PinnedFingerprint(*pinned.fingerprint())).unwrap();
        if let Some(t) = token {
            cb = cb.token(t).unwrap();
        }
        (sb.build(), cb.build().unwrap())
    }

    #[test]
    fn handshake_then_every_mode_round_trips_and_tampering_is_dropped() {
        let (s, c) = configs(None, None);
        let (mut p, seen_c, seen_s) = connect(s, c, &mut accept_all);
        assert_eq!(seen_s, vec![Action::Connected]);
        assert_eq!(seen_c, vec![Action::Connected]);
        assert!(p.client.is_connected() && p.server.is_connected());
        for mode in [MODE_UNRELIABLE, MODE_UNRELIABLE_ORDERED, MODE_RELIABLE] {
            let pkt = p.client.seal(mode, b"hello").unwrap();
            let ch = enet_channel(mode, 0);
            assert_eq!(
                p.server.handle(ch, &pkt, &mut accept_all),
                vec![Action::Data {
                    mode,
                    payload: b"hello".to_vec()
                }]
            );
            let back = p.server.seal(mode, b"").unwrap();
            assert_eq!(
                p.client.handle(ch, &back, &mut accept_all),
                vec![Action::Data {
                    mode,
                    payload: Vec::new()
                }]
            );
        }
        p.client.tamper_next_packet();
        let bad = p.client.seal(MODE_RELIABLE, b"evil").unwrap();
        assert_eq!(
            p.server.handle(CH_RELIABLE, &bad, &mut accept_all),
            vec![Action::Dropped(Error::PacketAuthFailed)]
        );
        let good = p.client.seal(MODE_RELIABLE, b"still here").unwrap();
        assert_eq!(
            p.server.handle(CH_RELIABLE, &good, &mut accept_all),
            vec![Action::Data {
                mode: MODE_RELIABLE,
                payload: b"still here".to_vec()
            }]
        );
        // A replayed packet is dropped too.
        assert_eq!(
            p.server.handle(CH_RELIABLE, &good, &mut accept_all),
            vec![Action::Dropped(Error::PacketReplayed)]
        );
        // Closing reaches the other side as a failure of the session.
        let close = p.client.close();
        assert!(!close.is_empty());
        assert_eq!(
            p.server.handle(CH_CONTROL, &close, &mut accept_all),
            vec![Action::Fail(Error::PeerClosed)]
        );
    }

    #[test]
    fn wrong_pin_fails_the_client_and_nobody_connects() {
        let other = SigningKey::generate(KeyType::Ed25519)
            .unwrap()
            .public_key()
            .clone();
        let (s, c) = configs(None, Some(other));
        let (p, seen_c, seen_s) = connect(s, c, &mut accept_all);
        // The core drops the mismatching ServerHello (datagram mode); over ENet that is final.
        assert_eq!(seen_c, vec![Action::Fail(Error::HandshakeMessageDropped)]);
        assert!(seen_s.is_empty(), "{seen_s:?}");
        assert!(!p.client.is_connected() && !p.server.is_connected());
    }

    #[test]
    fn the_gatekeeper_sees_the_token_and_a_refusal_closes_the_client() {
        let (s, c) = configs(Some(b"ticket-42"), None);
        let mut seen_token = Vec::new();
        let mut refuse = |sess: &Session| {
            seen_token = sess.client_token().unwrap().unwrap().to_vec();
            false
        };
        let (p, seen_c, seen_s) = connect(s, c, &mut refuse);
        assert_eq!(seen_token, b"ticket-42");
        assert_eq!(seen_s, vec![Action::Fail(Error::SessionRejected)]);
        assert_eq!(seen_c, vec![Action::Fail(Error::PeerClosed)]);
        assert!(!p.client.is_connected());

        let (s, c) = configs(Some(b"ticket-42"), None);
        let mut admit = |sess: &Session| {
            sess.client_token().unwrap().as_deref().map(|t| &t[..]) == Some(&b"ticket-42"[..])
        };
        let (p, seen_c, seen_s) = connect(s, c, &mut admit);
        assert_eq!(
            (seen_c, seen_s),
            (vec![Action::Connected], vec![Action::Connected])
        );
        assert!(p.client.is_connected());
    }

    #[test]
    fn game_packets_before_the_handshake_are_dropped() {
        let (s, _) = configs(None, None);
        let mut server = Link::server(s);
        assert_eq!(
            server.handle(CH_RELIABLE, b"not yet", &mut accept_all),
            vec![Action::Dropped(Error::WrongState)]
        );
        // A garbage hello fails the handshake.
        assert!(matches!(
            server
                .handle(CH_CONTROL, b"garbage", &mut accept_all)
                .as_slice(),
            [Action::Fail(_)]
        ));
    }

    #[test]
    fn channels_and_flags_follow_enet_multiplayer_peer() {
        assert_eq!(enet_channel(MODE_RELIABLE, 0), CH_RELIABLE);
        assert_eq!(enet_channel(MODE_UNRELIABLE, 0), CH_UNRELIABLE);
        assert_eq!(enet_channel(MODE_UNRELIABLE_ORDERED, 0), CH_UNRELIABLE);
        assert_eq!(enet_channel(MODE_RELIABLE, 1), 3);
        assert_eq!(enet_channel(MODE_UNRELIABLE, 4), 6);
        for c in 1..10 {
            assert_eq!(game_channel(enet_channel(MODE_UNRELIABLE, c)), c);
        }
        assert_eq!(game_channel(CH_RELIABLE), 0);
        assert_eq!(enet_flags(MODE_RELIABLE), 1);
        assert_eq!(enet_flags(MODE_UNRELIABLE), 2 | 8);
        assert_eq!(enet_flags(MODE_UNRELIABLE_ORDERED), 8);
    }

    #[test]
    fn seal_rejects_bad_modes() {
        let (s, c) = configs(None, None);
        let (mut p, _, _) = connect(s, c, &mut accept_all);
        assert_eq!(p.client.seal(3, b"x"), Err(Error::InvalidArgument));
    }
}
