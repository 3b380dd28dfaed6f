//! `GameCryptEndpoint`: the sans-IO connection endpoint (handshake retransmission, timeouts,
//! keep-alive, close, the server's peer table) for any datagram transport, e.g. Godot's
//! `PacketPeerUDP`.

use crate::crypto::bytes;
use crate::errors::{self, fail_msg, run, run_err};
use crate::session::{GameCryptClientConfig, GameCryptServerConfig};
use gamecrypt::endpoint::{CloseReason, Endpoint, EndpointConfig, Event, PeerId, Role};
use gamecrypt::Error as CoreError;
use godot::global::Error as GdError;
use godot::prelude::*;

fn peer_id(peer: i64) -> PeerId {
    PeerId(peer as u64)
}

fn close_reason_name(r: CloseReason) -> &'static str {
    match r {
        CloseReason::PeerClosed => "peer_closed",
        CloseReason::IdleTimeout => "idle_timeout",
        CloseReason::HandshakeTimeout => "handshake_timeout",
        CloseReason::Rejected => "rejected",
        CloseReason::Failed => "failed",
        CloseReason::Local => "local",
        CloseReason::Replaced => "replaced",
    }
}

/// A secure connection endpoint over any datagram transport (sans-IO). You carry its
/// datagrams (for example with [PacketPeerUDP]) and give it the time; it runs the handshakes,
/// resends lost handshake messages, keeps connections alive, times out dead peers and closes
/// them with an authenticated close. Addresses are opaque bytes of your choice (for example
/// [code]("%s:%d" % [ip, port]).to_utf8_buffer()[/code]).
///
/// Loop: [method receive] each datagram, [method handle_timeout], then send everything
/// [method poll_transmit] returns and handle everything [method poll_event] returns.
/// Times are monotonic milliseconds ([method Time.get_ticks_msec]).
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptEndpoint {
    endpoint: Option<Endpoint>,
    settings: EndpointConfig,
}

impl GameCryptEndpoint {
    fn need(&mut self, call: &str) -> Option<&mut Endpoint> {
        if self.endpoint.is_none() {
            fail_msg(
                call,
                CoreError::WrongState,
                "no endpoint started (start_client or start_server)",
            );
        }
        self.endpoint.as_mut()
    }

    fn settings(
        call: &str,
        settings: &VarDictionary,
        mut cfg: EndpointConfig,
    ) -> Option<EndpointConfig> {
        run(call, || {
            for (k, v) in settings.iter_shared() {
                let key = k.to_string();
                let n = v.try_to::<i64>().map_err(|_| CoreError::InvalidArgument)?;
                let u = u64::try_from(n).map_err(|_| CoreError::InvalidArgument)?;
                match key.as_str() {
                    "handshake_resend_initial_ms" => cfg.set_handshake_resend_initial_ms(u)?,
                    "handshake_resend_max_ms" => cfg.set_handshake_resend_max_ms(u)?,
                    "handshake_timeout_ms" => cfg.set_handshake_timeout_ms(u)?,
                    "keepalive_interval_ms" => cfg.set_keepalive_interval_ms(u)?,
                    "idle_timeout_ms" => cfg.set_idle_timeout_ms(u)?,
                    "max_peers" => cfg.set_max_peers(u as usize)?,
                    "max_handshakes" => cfg.set_max_handshakes(u as usize)?,
                    "max_data_len" => cfg.set_max_data_len(u as usize)?,
                    _ => return Err(CoreError::InvalidArgument),
                }
            }
            Ok(cfg)
        })
    }
}

#[godot_api]
impl GameCryptEndpoint {
    /// Changes the settings used by the next [method start_client] or [method start_server]:
    /// a dictionary with any of [code]handshake_resend_initial_ms[/code],
    /// [code]handshake_resend_max_ms[/code], [code]handshake_timeout_ms[/code],
    /// [code]keepalive_interval_ms[/code], [code]idle_timeout_ms[/code], [code]max_peers[/code],
    /// [code]max_handshakes[/code] and [code]max_data_len[/code] (defaults: docs/ENDPOINT.md).
    #[func]
    pub fn configure(&mut self, settings: VarDictionary) -> GdError {
        match Self::settings(
            "GameCryptEndpoint.configure",
            &settings,
            self.settings.clone(),
        ) {
            Some(s) => {
                self.settings = s;
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    /// Starts a client endpoint with [param config] (see [method configure]).
    #[func]
    pub fn start_client(&mut self, config: Option<Gd<GameCryptClientConfig>>) -> GdError {
        const CALL: &str = "GameCryptEndpoint.start_client";
        let Some(mut config) = config else {
            return fail_msg(CALL, CoreError::NullArgument, "the config is null");
        };
        let Some(cfg) = config.bind_mut().config(CALL) else {
            return errors::last_godot_error();
        };
        let settings = self.settings.clone();
        match run(CALL, || Endpoint::new_client(cfg, settings)) {
            Some(e) => {
                self.endpoint = Some(e);
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    /// Starts a server endpoint with [param config] (see [method configure]).
    #[func]
    pub fn start_server(&mut self, config: Option<Gd<GameCryptServerConfig>>) -> GdError {
        const CALL: &str = "GameCryptEndpoint.start_server";
        let Some(mut config) = config else {
            return fail_msg(CALL, CoreError::NullArgument, "the config is null");
        };
        let Some(cfg) = config.bind_mut().config(CALL) else {
            return errors::last_godot_error();
        };
        let settings = self.settings.clone();
        match run(CALL, || Endpoint::new_server(cfg, settings)) {
            Some(e) => {
                self.endpoint = Some(e);
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    /// True for a server endpoint.
    #[func]
    pub fn is_server(&self) -> bool {
        self.endpoint
            .as_ref()
            .is_some_and(|e| e.role() == Role::Server)
    }

    /// Client: starts a connection to [param address]; returns the new peer's id (0 on failure).
    #[func]
    pub fn connect_to(&mut self, now_ms: i64, address: PackedByteArray) -> i64 {
        const CALL: &str = "GameCryptEndpoint.connect_to";
        let Some(ep) = self.need(CALL) else { return 0 };
        run(CALL, || {
            ep.connect(now_ms.max(0) as u64, address.as_slice())
        })
        .map(|p| p.0 as i64)
        .unwrap_or(0)
    }

    /// Gives the endpoint a datagram that arrived from [param address].
    #[func]
    pub fn receive(
        &mut self,
        now_ms: i64,
        address: PackedByteArray,
        datagram: PackedByteArray,
    ) -> GdError {
        const CALL: &str = "GameCryptEndpoint.receive";
        let Some(ep) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        run_err(CALL, || {
            ep.receive(
                now_ms.max(0) as u64,
                address.as_slice(),
                datagram.as_slice(),
            )
        })
    }

    /// Runs the timers (resends, keep-alives, timeouts) due at [param now_ms].
    #[func]
    pub fn handle_timeout(&mut self, now_ms: i64) -> GdError {
        const CALL: &str = "GameCryptEndpoint.handle_timeout";
        let Some(ep) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        run_err(CALL, || ep.handle_timeout(now_ms.max(0) as u64))
    }

    /// When [method handle_timeout] must run next (milliseconds), or -1 when no timer is set.
    #[func]
    pub fn get_next_deadline(&self) -> i64 {
        self.endpoint
            .as_ref()
            .and_then(|e| e.next_deadline())
            .map(|t| t as i64)
            .unwrap_or(-1)
    }

    /// Sends [param data] to a connected [param peer] (one datagram).
    #[func]
    pub fn send(&mut self, now_ms: i64, peer: i64, data: PackedByteArray) -> GdError {
        const CALL: &str = "GameCryptEndpoint.send";
        let Some(ep) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        run_err(CALL, || {
            ep.send(now_ms.max(0) as u64, peer_id(peer), data.as_slice())
        })
    }

    /// Closes the connection to [param peer] (an authenticated close is queued).
    #[func]
    pub fn close_peer(&mut self, now_ms: i64, peer: i64) -> GdError {
        const CALL: &str = "GameCryptEndpoint.close_peer";
        let Some(ep) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        run_err(CALL, || ep.close(now_ms.max(0) as u64, peer_id(peer)))
    }

    /// Server with client authentication: admits [param peer] after its
    /// [code]client_credentials[/code] event.
    #[func]
    pub fn accept(&mut self, now_ms: i64, peer: i64) -> GdError {
        const CALL: &str = "GameCryptEndpoint.accept";
        let Some(ep) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        run_err(CALL, || ep.accept(now_ms.max(0) as u64, peer_id(peer)))
    }

    /// Server with client authentication: refuses [param peer].
    #[func]
    pub fn reject(&mut self, now_ms: i64, peer: i64) -> GdError {
        const CALL: &str = "GameCryptEndpoint.reject";
        let Some(ep) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        run_err(CALL, || ep.reject(now_ms.max(0) as u64, peer_id(peer)))
    }

    /// The next datagram to send as [code][address, datagram][/code], or an empty array.
    #[func]
    pub fn poll_transmit(&mut self) -> VarArray {
        let mut out = VarArray::new();
        if let Some(t) = self.endpoint.as_mut().and_then(|e| e.poll_transmit()) {
            out.push(&bytes(t.addr).to_variant());
            out.push(&bytes(t.data).to_variant());
        }
        out
    }

    /// The next event as a dictionary with [code]type[/code] ("connected", "data",
    /// "client_credentials" or "closed") and [code]peer[/code]; "connected" also has
    /// [code]suite[/code] and [code]fingerprint[/code], "data" has [code]data[/code], "closed"
    /// has [code]reason[/code] and [code]error[/code]. Empty when there is none.
    #[func]
    pub fn poll_event(&mut self) -> VarDictionary {
        let mut d = VarDictionary::new();
        let Some(ev) = self.endpoint.as_mut().and_then(|e| e.poll_event()) else {
            return d;
        };
        match ev {
            Event::Connected {
                peer,
                suite,
                fingerprint,
            } => {
                d.set("type", "connected");
                d.set("peer", peer.0 as i64);
                d.set("suite", suite.name());
                d.set(
                    "fingerprint",
                    &bytes(fingerprint.as_ref().map(|f| &f[..]).unwrap_or(&[])),
                );
            }
            Event::Data { peer, data } => {
                d.set("type", "data");
                d.set("peer", peer.0 as i64);
                d.set("data", &bytes(data));
            }
            Event::ClientCredentials { peer } => {
                d.set("type", "client_credentials");
                d.set("peer", peer.0 as i64);
            }
            Event::Closed {
                peer,
                reason,
                error,
            } => {
                d.set("type", "closed");
                d.set("peer", peer.0 as i64);
                d.set("reason", close_reason_name(reason));
                d.set("error", error.message());
            }
        }
        d
    }

    /// The login token [param peer] sent (server with client authentication), or empty.
    #[func]
    pub fn get_peer_token(&self, peer: i64) -> PackedByteArray {
        let token = self
            .endpoint
            .as_ref()
            .and_then(|e| e.peer_client_token(peer_id(peer)).ok().flatten());
        token.map(|t| bytes(&t)).unwrap_or_default()
    }

    /// Number of peers (connected and in handshake).
    #[func]
    pub fn get_peer_count(&self) -> i64 {
        self.endpoint
            .as_ref()
            .map(|e| e.peer_count() as i64)
            .unwrap_or(0)
    }
}
