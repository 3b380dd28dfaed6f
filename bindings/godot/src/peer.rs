//! `GameCryptMultiplayerPeer`: Godot's high-level multiplayer over ENet, every packet sealed
//! with a gamecrypt session per remote peer. The protocol logic is in `link.rs`.

use crate::errors::{self, fail_msg};
use crate::keys::GameCryptPublicKey;
use crate::link::{self, Action, Link, CH_CONTROL, FLAG_RELIABLE, SYSTEM_CHANNELS};
use crate::session::{GameCryptClientConfig, GameCryptServerConfig};
use gamecrypt::session::{ClientConfig, ServerConfig, Session};
use gamecrypt::Error as CoreError;
use godot::classes::enet_connection::EventType;
use godot::classes::multiplayer_peer::{ConnectionStatus, TransferMode};
use godot::classes::{
    ENetConnection, ENetPacketPeer, IMultiplayerPeerExtension, MultiplayerPeerExtension,
};
use godot::global::Error as GdError;
use godot::prelude::*;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

struct Slot {
    enet: Gd<ENetPacketPeer>,
    link: Option<Link>,
}

struct Packet {
    from: i32,
    channel: i32,
    mode: u8,
    data: Vec<u8>,
}

fn mode_code(m: TransferMode) -> u8 {
    if m == TransferMode::RELIABLE {
        link::MODE_RELIABLE
    } else if m == TransferMode::UNRELIABLE_ORDERED {
        link::MODE_UNRELIABLE_ORDERED
    } else {
        link::MODE_UNRELIABLE
    }
}

fn transfer_mode(code: u8) -> TransferMode {
    match code {
        link::MODE_RELIABLE => TransferMode::RELIABLE,
        link::MODE_UNRELIABLE_ORDERED => TransferMode::UNRELIABLE_ORDERED,
        _ => TransferMode::UNRELIABLE,
    }
}

/// A [MultiplayerPeer] whose packets are end-to-end encrypted and authenticated with
/// gamecrypt sessions, over Godot's own ENet ([ENetConnection]): reliable, unreliable and
/// unreliable-ordered transfer modes and channels work as with [ENetMultiplayerPeer].
///
/// The client recognises the server by a pinned key, a pinned fingerprint or a root
/// certificate ([GameCryptClientConfig]); the server may require a client key and/or a login
/// token and decide in [method set_auth_callback]. A peer counts as connected (and
/// [signal MultiplayerPeer.peer_connected] is emitted) only after its handshake. Packets that
/// fail to authenticate are dropped and counted ([method get_rejected_packet_count]); the
/// session goes on. Use it like ENet:
/// [codeblock]
/// var peer = GameCryptMultiplayerPeer.new()
/// peer.create_client("127.0.0.1", 7000, client_config)
/// multiplayer.multiplayer_peer = peer
/// [/codeblock]
#[derive(GodotClass)]
#[class(tool, base=MultiplayerPeerExtension, init)]
pub struct GameCryptMultiplayerPeer {
    base: Base<MultiplayerPeerExtension>,
    host: Option<Gd<ENetConnection>>,
    server_config: Option<Arc<ServerConfig>>,
    client_config: Option<Arc<ClientConfig>>,
    server: bool,
    unique_id: i32,
    #[init(val = ConnectionStatus::DISCONNECTED)]
    status: ConnectionStatus,
    peers: HashMap<i32, Slot>,
    by_enet: HashMap<InstanceId, i32>,
    incoming: VecDeque<Packet>,
    target_peer: i32,
    #[init(val = TransferMode::RELIABLE)]
    transfer_mode: TransferMode,
    transfer_channel: i32,
    channel_count: i32,
    refuse_new: bool,
    auth_callback: Option<Callable>,
    rejected_packets: i64,
    tamper_next: bool,
    #[init(val = "*".into())]
    bind_ip: GString,
    signals: Vec<(&'static str, i32)>,
    /// The last failure of this peer (handshakes run inside poll(), so the thread-wide
    /// last error may be overwritten by other calls before the game looks).
    last_error: String,
}

impl GameCryptMultiplayerPeer {
    fn reset(&mut self) {
        self.host = None;
        self.server_config = None;
        self.client_config = None;
        self.server = false;
        self.unique_id = 0;
        self.status = ConnectionStatus::DISCONNECTED;
        self.peers.clear();
        self.by_enet.clear();
        self.incoming.clear();
        self.target_peer = 0;
        self.rejected_packets = 0;
        self.tamper_next = false;
        self.last_error.clear();
    }

    fn check_idle(&self, call: &str) -> Option<GdError> {
        if self.host.is_some() {
            return Some(fail_msg(
                call,
                CoreError::WrongState,
                "the peer is already active; call close() first",
            ));
        }
        None
    }

    fn channels_arg(call: &str, channel_count: i64) -> Option<i32> {
        match i32::try_from(channel_count) {
            Ok(c) if (0..=250).contains(&c) => Some(c),
            _ => {
                fail_msg(
                    call,
                    CoreError::InvalidArgument,
                    "channel_count must be 0..=250",
                );
                None
            }
        }
    }

    /// Sends `bytes` to a slot on ENet channel `channel` with `flags`.
    fn send_raw(enet: &mut Gd<ENetPacketPeer>, channel: i32, bytes: &[u8], flags: i32) -> GdError {
        enet.send(channel, &PackedByteArray::from(bytes), flags)
    }

    fn handle_connect(&mut self, mut enet: Gd<ENetPacketPeer>, data: i64) {
        let key = enet.instance_id();
        if self.server {
            let id = i32::try_from(data).unwrap_or(0);
            let server_config = self.server_config.clone();
            if self.refuse_new || id <= 1 || self.peers.contains_key(&id) || server_config.is_none()
            {
                enet.peer_disconnect_now();
                return;
            }
            let link = server_config.map(Link::server);
            self.by_enet.insert(key, id);
            self.peers.insert(id, Slot { enet, link });
        } else {
            // The server answered the ENet connection: start the handshake.
            let Some(cfg) = self.client_config.clone() else {
                return;
            };
            match Link::client(cfg) {
                Ok((link, hello)) => {
                    Self::send_raw(&mut enet, CH_CONTROL, &hello, FLAG_RELIABLE);
                    self.by_enet.insert(key, 1);
                    self.peers.insert(
                        1,
                        Slot {
                            enet,
                            link: Some(link),
                        },
                    );
                }
                Err(e) => {
                    self.record(errors::fail("GameCryptMultiplayerPeer.connect", e));
                    enet.peer_disconnect_now();
                    self.status = ConnectionStatus::DISCONNECTED;
                }
            }
        }
    }

    fn forget(&mut self, id: i32) -> Option<Slot> {
        let slot = self.peers.remove(&id)?;
        self.by_enet.remove(&slot.enet.instance_id());
        let was_connected = slot.link.as_ref().is_some_and(|l| l.is_connected());
        if was_connected {
            self.signals.push(("peer_disconnected", id));
        }
        if !self.server {
            self.status = ConnectionStatus::DISCONNECTED;
        }
        Some(slot)
    }

    fn handle_receive(&mut self, enet: Gd<ENetPacketPeer>, channel: i32) {
        let mut enet_peer = enet;
        let packet = enet_peer.get_packet();
        let Some(&id) = self.by_enet.get(&enet_peer.instance_id()) else {
            return;
        };
        let Some(mut slot) = self.peers.remove(&id) else {
            return;
        };
        let Some(mut link) = slot.link.take() else {
            self.peers.insert(id, slot);
            return;
        };
        let callback = self.auth_callback.clone();
        let actions = {
            let this = &mut *self;
            let mut gate = |s: &Session| this.admit(callback.as_ref(), id, s);
            link.handle(channel, packet.as_slice(), &mut gate)
        };
        slot.link = Some(link);
        self.peers.insert(id, slot);
        for action in actions {
            match action {
                Action::SendControl(bytes) => {
                    if let Some(slot) = self.peers.get_mut(&id) {
                        Self::send_raw(&mut slot.enet, CH_CONTROL, &bytes, FLAG_RELIABLE);
                    }
                }
                Action::Connected => {
                    if !self.server {
                        self.status = ConnectionStatus::CONNECTED;
                    }
                    self.signals.push(("peer_connected", id));
                }
                Action::Data { mode, payload } => self.incoming.push_back(Packet {
                    from: id,
                    channel: link::game_channel(channel),
                    mode,
                    data: payload,
                }),
                Action::Dropped(_) => self.rejected_packets += 1,
                Action::Fail(e) => {
                    let was_connected = self
                        .peers
                        .get(&id)
                        .and_then(|s| s.link.as_ref())
                        .is_some_and(|l| l.is_connected());
                    let detail = match (self.server, was_connected, e) {
                        // A connected peer that closes its session simply leaves.
                        (_, true, CoreError::PeerClosed) => None,
                        (false, false, CoreError::PeerClosed) => Some(
                            "the server refused this client (login token or client key not accepted)"
                                .to_string(),
                        ),
                        // Over ENet's reliable channel no other copy of a dropped
                        // handshake message comes (see link.rs).
                        (false, false, CoreError::HandshakeMessageDropped) => Some(
                            "the server's handshake failed its checks (its key does not match the pinned key, fingerprint or root)"
                                .to_string(),
                        ),
                        (true, false, CoreError::HandshakeMessageDropped) => Some(format!(
                            "the handshake of peer {id} failed its checks"
                        )),
                        (true, _, _) => Some(format!("session with peer {id} ended: {}", e.message())),
                        (false, _, _) => Some(format!("session with the server ended: {}", e.message())),
                    };
                    if let Some(detail) = detail {
                        self.record(errors::fail_msg("GameCryptMultiplayerPeer", e, &detail));
                    }
                    if let Some(mut slot) = self.forget(id) {
                        if self.server {
                            // After the close packet of a rejection has been delivered.
                            slot.enet.peer_disconnect_later();
                        } else {
                            slot.enet.peer_disconnect();
                        }
                    }
                    if let Some(host) = self.host.as_mut() {
                        host.flush();
                    }
                    break;
                }
            }
        }
    }

    /// Asks the application (auth callback) whether to admit a client.
    fn admit(&mut self, callback: Option<&Callable>, id: i32, session: &Session) -> bool {
        let Some(cb) = callback else {
            fail_msg(
                "GameCryptMultiplayerPeer",
                CoreError::WrongState,
                "client authentication is on but no auth callback is set: client rejected",
            );
            return false;
        };
        let token = session
            .client_token()
            .ok()
            .flatten()
            .map(|t| PackedByteArray::from(&t[..]))
            .unwrap_or_default();
        let key = session.client_public_key().ok().flatten();
        let key_var = match key {
            Some(k) => GameCryptPublicKey::wrap(k).to_variant(),
            None => Variant::nil(),
        };
        let args = [id.to_variant(), token.to_variant(), key_var];
        // The callback may call back into this peer: release our borrow while it runs.
        let result = {
            let _guard = self.base_mut();
            cb.call(&args)
        };
        result.try_to::<bool>().unwrap_or(false)
    }

    /// Keeps the message of the failure just recorded by `errors` as this peer's last error.
    fn record(&mut self, _err: GdError) {
        self.last_error = errors::last_message();
    }

    fn flush_signals(&mut self) {
        for (name, id) in std::mem::take(&mut self.signals) {
            self.base_mut().emit_signal(name, &[id.to_variant()]);
        }
    }

    fn targets(&self) -> Vec<i32> {
        if !self.server {
            return vec![1];
        }
        let connected = self
            .peers
            .iter()
            .filter(|(_, s)| s.link.as_ref().is_some_and(|l| l.is_connected()))
            .map(|(id, _)| *id);
        match self.target_peer {
            0 => connected.collect(),
            t if t < 0 => connected.filter(|id| *id != -t).collect(),
            t => connected.filter(|id| *id == t).collect(),
        }
    }
}

#[godot_api]
impl IMultiplayerPeerExtension for GameCryptMultiplayerPeer {
    fn get_available_packet_count(&self) -> i32 {
        self.incoming.len() as i32
    }

    fn get_max_packet_size(&self) -> i32 {
        link::MAX_PACKET_SIZE as i32
    }

    fn get_packet_script(&mut self) -> PackedByteArray {
        match self.incoming.pop_front() {
            Some(p) => PackedByteArray::from(&p.data[..]),
            None => {
                fail_msg(
                    "GameCryptMultiplayerPeer.get_packet",
                    CoreError::WrongState,
                    "no packet available",
                );
                PackedByteArray::new()
            }
        }
    }

    fn put_packet_script(&mut self, buffer: PackedByteArray) -> GdError {
        const CALL: &str = "GameCryptMultiplayerPeer.put_packet";
        if self.status != ConnectionStatus::CONNECTED || self.host.is_none() {
            return fail_msg(CALL, CoreError::WrongState, "not connected");
        }
        let targets = self.targets();
        if self.server && self.target_peer > 0 && targets.is_empty() {
            return fail_msg(
                CALL,
                CoreError::InvalidArgument,
                &format!("no connected peer {}", self.target_peer),
            );
        }
        let mode = mode_code(self.transfer_mode);
        let channel = link::enet_channel(mode, self.transfer_channel);
        let flags = link::enet_flags(mode);
        let tamper = std::mem::take(&mut self.tamper_next);
        let mut result = GdError::OK;
        for id in targets {
            let Some(slot) = self.peers.get_mut(&id) else {
                continue;
            };
            let Some(link) = slot.link.as_mut() else {
                continue;
            };
            if tamper {
                link.tamper_next_packet();
            }
            match link.seal(mode, buffer.as_slice()) {
                Ok(sealed) => {
                    let e = Self::send_raw(&mut slot.enet, channel, &sealed, flags);
                    if e != GdError::OK {
                        result = e;
                    }
                }
                Err(e) => result = errors::fail(CALL, e),
            }
        }
        result
    }

    fn get_packet_channel(&self) -> i32 {
        self.incoming.front().map(|p| p.channel).unwrap_or(0)
    }

    fn get_packet_mode(&self) -> TransferMode {
        self.incoming
            .front()
            .map(|p| transfer_mode(p.mode))
            .unwrap_or(TransferMode::RELIABLE)
    }

    fn set_transfer_channel(&mut self, channel: i32) {
        if channel < 0 || channel > self.channel_count {
            fail_msg(
                "GameCryptMultiplayerPeer.set_transfer_channel",
                CoreError::InvalidArgument,
                &format!("channel {channel} is not in 0..={}", self.channel_count),
            );
            return;
        }
        self.transfer_channel = channel;
    }

    fn get_transfer_channel(&self) -> i32 {
        self.transfer_channel
    }

    fn set_transfer_mode(&mut self, mode: TransferMode) {
        self.transfer_mode = mode;
    }

    fn get_transfer_mode(&self) -> TransferMode {
        self.transfer_mode
    }

    fn set_target_peer(&mut self, peer: i32) {
        self.target_peer = peer;
    }

    fn get_packet_peer(&self) -> i32 {
        self.incoming.front().map(|p| p.from).unwrap_or(0)
    }

    fn is_server(&self) -> bool {
        self.server
    }

    fn poll(&mut self) {
        let Some(mut host) = self.host.clone() else {
            return;
        };
        loop {
            let event = host.service_ex().timeout(0).done();
            if event.len() < 4 {
                break;
            }
            let kind = event.at(0).try_to::<i64>().unwrap_or(-1);
            let enet = event.at(1).try_to::<Gd<ENetPacketPeer>>().ok();
            let data = event.at(2).try_to::<i64>().unwrap_or(0);
            let channel = event.at(3).try_to::<i64>().unwrap_or(0) as i32;
            match (kind, enet) {
                (k, _) if k == EventType::NONE.ord() as i64 => break,
                (k, _) if k == EventType::ERROR.ord() as i64 => {
                    let e = fail_msg(
                        "GameCryptMultiplayerPeer.poll",
                        CoreError::Internal,
                        "ENet service error",
                    );
                    self.record(e);
                    break;
                }
                (k, Some(p)) if k == EventType::CONNECT.ord() as i64 => {
                    self.handle_connect(p, data)
                }
                (k, Some(p)) if k == EventType::DISCONNECT.ord() as i64 => {
                    if let Some(&id) = self.by_enet.get(&p.instance_id()) {
                        self.forget(id);
                    } else if !self.server {
                        self.status = ConnectionStatus::DISCONNECTED;
                    }
                }
                (k, Some(p)) if k == EventType::RECEIVE.ord() as i64 => {
                    self.handle_receive(p, channel)
                }
                _ => {}
            }
            if self.host.is_none() {
                break;
            }
        }
        self.flush_signals();
    }

    fn close(&mut self) {
        if let Some(mut host) = self.host.take() {
            for slot in self.peers.values_mut() {
                if let Some(link) = slot.link.as_mut() {
                    let bye = link.close();
                    if !bye.is_empty() {
                        Self::send_raw(&mut slot.enet, CH_CONTROL, &bye, FLAG_RELIABLE);
                    }
                }
            }
            host.flush();
            for slot in self.peers.values_mut() {
                slot.enet.peer_disconnect_now();
            }
            host.destroy();
        }
        self.reset();
    }

    fn disconnect_peer(&mut self, peer: i32, force: bool) {
        let Some(slot) = self.peers.get_mut(&peer) else {
            fail_msg(
                "GameCryptMultiplayerPeer.disconnect_peer",
                CoreError::InvalidArgument,
                &format!("no peer {peer}"),
            );
            return;
        };
        if let Some(link) = slot.link.as_mut() {
            let bye = link.close();
            if !bye.is_empty() {
                Self::send_raw(&mut slot.enet, CH_CONTROL, &bye, FLAG_RELIABLE);
            }
        }
        if let Some(host) = self.host.as_mut() {
            host.flush();
        }
        if force {
            if let Some(mut slot) = self.forget(peer) {
                slot.enet.peer_disconnect_now();
            }
            self.flush_signals();
        } else if let Some(slot) = self.peers.get_mut(&peer) {
            slot.enet.peer_disconnect_later();
        }
    }

    fn get_unique_id(&self) -> i32 {
        self.unique_id
    }

    fn set_refuse_new_connections(&mut self, enable: bool) {
        self.refuse_new = enable;
    }

    fn is_refusing_new_connections(&self) -> bool {
        self.refuse_new
    }

    fn is_server_relay_supported(&self) -> bool {
        true
    }

    fn get_connection_status(&self) -> ConnectionStatus {
        self.status
    }
}

#[godot_api]
impl GameCryptMultiplayerPeer {
    /// Listens on UDP [param port] for up to [param max_clients] clients, with
    /// [param channel_count] extra channels (as [method ENetMultiplayerPeer.create_server]).
    /// Every client runs a gamecrypt handshake with [param config] before it counts as connected.
    #[func]
    pub fn create_server(
        &mut self,
        port: i64,
        config: Option<Gd<GameCryptServerConfig>>,
        #[opt(default = 32)] max_clients: i64,
        #[opt(default = 0)] channel_count: i64,
    ) -> GdError {
        const CALL: &str = "GameCryptMultiplayerPeer.create_server";
        if let Some(e) = self.check_idle(CALL) {
            return e;
        }
        let Some(mut config) = config else {
            return fail_msg(CALL, CoreError::NullArgument, "the server config is null");
        };
        let Some(cfg) = config.bind_mut().config(CALL) else {
            return errors::last_godot_error();
        };
        let Some(channels) = Self::channels_arg(CALL, channel_count) else {
            return errors::last_godot_error();
        };
        let (Ok(port), Ok(max)) = (i32::try_from(port), i32::try_from(max_clients)) else {
            return fail_msg(
                CALL,
                CoreError::InvalidArgument,
                "port or max_clients out of range",
            );
        };
        let mut host = ENetConnection::new_gd();
        let err = host
            .create_host_bound_ex(&self.bind_ip, port)
            .max_peers(max)
            .max_channels(SYSTEM_CHANNELS + channels)
            .done();
        if err != GdError::OK {
            return fail_msg(
                CALL,
                CoreError::InvalidArgument,
                &format!("ENet could not listen on port {port}: {err:?}"),
            );
        }
        self.reset();
        self.host = Some(host);
        self.server_config = Some(cfg);
        self.server = true;
        self.unique_id = 1;
        self.channel_count = channels;
        self.status = ConnectionStatus::CONNECTED;
        errors::clear();
        GdError::OK
    }

    /// Connects to a server at [param address]:[param port]; the peer is
    /// [constant MultiplayerPeer.CONNECTION_CONNECTING] until the handshake with [param config]
    /// succeeded. [param channel_count] must match the server's.
    #[func]
    pub fn create_client(
        &mut self,
        address: GString,
        port: i64,
        config: Option<Gd<GameCryptClientConfig>>,
        #[opt(default = 0)] channel_count: i64,
    ) -> GdError {
        const CALL: &str = "GameCryptMultiplayerPeer.create_client";
        if let Some(e) = self.check_idle(CALL) {
            return e;
        }
        let Some(mut config) = config else {
            return fail_msg(CALL, CoreError::NullArgument, "the client config is null");
        };
        let Some(cfg) = config.bind_mut().config(CALL) else {
            return errors::last_godot_error();
        };
        let Some(channels) = Self::channels_arg(CALL, channel_count) else {
            return errors::last_godot_error();
        };
        let Ok(port) = i32::try_from(port) else {
            return fail_msg(CALL, CoreError::InvalidArgument, "port out of range");
        };
        let mut host = ENetConnection::new_gd();
        let err = host
            .create_host_ex()
            .max_peers(1)
            .max_channels(SYSTEM_CHANNELS + channels)
            .done();
        if err != GdError::OK {
            return fail_msg(
                CALL,
                CoreError::Internal,
                &format!("ENet could not create a host: {err:?}"),
            );
        }
        let id = self.base().generate_unique_id() as i32;
        let peer = host
            .connect_to_host_ex(&address, port)
            .channels(SYSTEM_CHANNELS + channels)
            .data(id)
            .done();
        if peer.is_none() {
            host.destroy();
            return fail_msg(
                CALL,
                CoreError::InvalidArgument,
                &format!("cannot connect to {address}:{port}"),
            );
        }
        self.reset();
        self.host = Some(host);
        self.client_config = Some(cfg);
        self.server = false;
        self.unique_id = id;
        self.channel_count = channels;
        self.status = ConnectionStatus::CONNECTING;
        errors::clear();
        GdError::OK
    }

    /// The address the server listens on ("*" for all, the default); set before
    /// [method create_server].
    #[func]
    pub fn set_bind_ip(&mut self, ip: GString) {
        self.bind_ip = ip;
    }

    /// Server with client authentication: [param callback] is called as
    /// [code]callback.call(peer_id: int, token: PackedByteArray, client_key: GameCryptPublicKey)[/code]
    /// (the key is null when the client sent none) and returns true to admit the client.
    /// Without a callback such clients are rejected.
    #[func]
    pub fn set_auth_callback(&mut self, callback: Callable) {
        self.auth_callback = callback.is_valid().then_some(callback);
    }

    /// Client: the server's authenticated identity key once connected, else null.
    #[func]
    pub fn get_server_public_key(&self) -> Option<Gd<GameCryptPublicKey>> {
        if self.server {
            return None;
        }
        let slot = self.peers.get(&1)?;
        let key = slot.link.as_ref()?.session().server_public_key().ok()?;
        Some(GameCryptPublicKey::wrap(key))
    }

    /// Server: the login token peer [param peer_id] authenticated with (empty when none).
    #[func]
    pub fn get_peer_token(&self, peer_id: i64) -> PackedByteArray {
        let token = i32::try_from(peer_id)
            .ok()
            .and_then(|id| self.peers.get(&id))
            .and_then(|s| s.link.as_ref())
            .and_then(|l| l.session().client_token().ok().flatten());
        token
            .map(|t| PackedByteArray::from(&t[..]))
            .unwrap_or_default()
    }

    /// The negotiated cipher suite with [param peer_id] (1 on a client), or "".
    #[func]
    pub fn get_peer_suite_name(&self, peer_id: i64) -> GString {
        let suite = i32::try_from(peer_id)
            .ok()
            .and_then(|id| self.peers.get(&id))
            .and_then(|s| s.link.as_ref())
            .and_then(|l| l.session().suite().ok());
        suite.map(|s| GString::from(s.name())).unwrap_or_default()
    }

    /// How many received packets failed to authenticate (forged, tampered, replayed or too
    /// old) and were dropped.
    #[func]
    pub fn get_rejected_packet_count(&self) -> i64 {
        self.rejected_packets
    }

    /// For tests: the next packet this peer sends has one bit flipped, so that the receiver
    /// must reject it (and go on).
    #[func]
    pub fn tamper_next_packet(&mut self) {
        self.tamper_next = true;
    }

    /// The underlying [ENetConnection] (for statistics), or null.
    #[func]
    pub fn get_host(&self) -> Option<Gd<ENetConnection>> {
        self.host.clone()
    }

    /// Why this peer's last handshake or session failed (for example a pinned key mismatch
    /// or a rejected login), or else the reason of the last failed GameCrypt call on this
    /// thread; "" when there is none.
    #[func]
    pub fn get_last_error(&self) -> GString {
        if self.last_error.is_empty() {
            crate::crypto::GameCrypt::get_last_error()
        } else {
            GString::from(self.last_error.as_str())
        }
    }
}
