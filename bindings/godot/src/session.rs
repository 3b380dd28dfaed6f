//! Certificates, client and server configurations, and sessions (sans-IO).

use crate::crypto::bytes;
use crate::errors::{self, fail_msg, run, run_err};
use crate::keys::{GameCryptPublicKey, GameCryptSigningKey};
use gamecrypt::keys::{PublicKey, SigningKey, FINGERPRINT_LEN};
use gamecrypt::session::{
    limits, Certificate, ClientAuthMode, ClientAuthRequest, ClientConfig, Mode, ServerConfig,
    Session, State, TrustAnchor,
};
use gamecrypt::Error as CoreError;
use godot::global::Error as GdError;
use godot::prelude::*;
use std::sync::Arc;

fn public_of(call: &str, key: &Option<Gd<GameCryptPublicKey>>) -> Option<PublicKey> {
    match key {
        Some(k) => k.bind().need(call).cloned(),
        None => {
            fail_msg(call, CoreError::NullArgument, "the key is null");
            None
        }
    }
}

fn signing_of(call: &str, key: &Option<Gd<GameCryptSigningKey>>) -> Option<SigningKey> {
    let k = key.as_ref().and_then(|k| k.bind().key.clone());
    if k.is_none() {
        fail_msg(
            call,
            CoreError::NullArgument,
            "the signing key is null or empty",
        );
    }
    k
}

/// A server certificate: the server's public key and name, valid between two dates, signed
/// by a root key that clients trust ([method GameCryptClientConfig.trust_root]). The root key
/// can stay offline: [method issue] is run once by the game's backend or build.
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptCertificate {
    pub(crate) cert: Option<Certificate>,
}

#[godot_api]
impl GameCryptCertificate {
    /// Issues a certificate for [param server_key] named [param server_name], valid from
    /// [param not_before] to [param not_after] (unix seconds), signed by [param root].
    #[func]
    pub fn issue(
        root: Option<Gd<GameCryptSigningKey>>,
        server_key: Option<Gd<GameCryptPublicKey>>,
        server_name: GString,
        not_before: i64,
        not_after: i64,
    ) -> Option<Gd<GameCryptCertificate>> {
        const CALL: &str = "GameCryptCertificate.issue";
        let root = signing_of(CALL, &root)?;
        let server = public_of(CALL, &server_key)?;
        let cert = run(CALL, || {
            let nb = u64::try_from(not_before).map_err(|_| CoreError::InvalidArgument)?;
            let na = u64::try_from(not_after).map_err(|_| CoreError::InvalidArgument)?;
            Certificate::issue(&root, &server, &server_name.to_string(), nb, na)
        })?;
        Some(Gd::from_object(GameCryptCertificate { cert: Some(cert) }))
    }

    /// Loads a certificate's bytes (as written by [method to_bytes]).
    #[func]
    pub fn load_from_bytes(&mut self, data: PackedByteArray) -> GdError {
        match run("GameCryptCertificate.load_from_bytes", || {
            Certificate::parse(data.as_slice())
        }) {
            Some(c) => {
                self.cert = Some(c);
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    fn need(&self, call: &str) -> Option<&Certificate> {
        if self.cert.is_none() {
            fail_msg(call, CoreError::WrongState, "no certificate loaded");
        }
        self.cert.as_ref()
    }

    /// The certificate's bytes.
    #[func]
    pub fn to_bytes(&self) -> PackedByteArray {
        self.need("GameCryptCertificate.to_bytes")
            .map(|c| bytes(c.as_bytes()))
            .unwrap_or_default()
    }

    /// The server key it certifies.
    #[func]
    pub fn get_public_key(&self) -> Option<Gd<GameCryptPublicKey>> {
        let c = self.need("GameCryptCertificate.get_public_key")?;
        Some(GameCryptPublicKey::wrap(c.public_key().clone()))
    }

    /// The server name it certifies.
    #[func]
    pub fn get_server_name(&self) -> GString {
        self.need("GameCryptCertificate.get_server_name")
            .map(|c| GString::from(c.server_name()))
            .unwrap_or_default()
    }

    /// Start of validity (unix seconds).
    #[func]
    pub fn get_not_before(&self) -> i64 {
        self.cert
            .as_ref()
            .map(|c| c.not_before() as i64)
            .unwrap_or(0)
    }

    /// End of validity (unix seconds).
    #[func]
    pub fn get_not_after(&self) -> i64 {
        self.cert
            .as_ref()
            .map(|c| c.not_after() as i64)
            .unwrap_or(0)
    }

    /// True when [param root] signed it, it is valid at [param now] (unix seconds) and, unless
    /// [param server_name] is empty, it names that server.
    #[func]
    pub fn verify(
        &self,
        root: Option<Gd<GameCryptPublicKey>>,
        server_name: GString,
        now: i64,
    ) -> bool {
        const CALL: &str = "GameCryptCertificate.verify";
        let Some(c) = self.need(CALL) else {
            return false;
        };
        let Some(root) = public_of(CALL, &root) else {
            return false;
        };
        let name = server_name.to_string();
        run_err(CALL, || {
            let now = u64::try_from(now).map_err(|_| CoreError::InvalidArgument)?;
            c.verify(&root, (!name.is_empty()).then_some(name.as_str()), now)
        }) == GdError::OK
    }
}

/// What a server needs for its sessions: its identity key, optionally a certificate, and
/// whether clients must authenticate (a client key signature and/or a login token).
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptServerConfig {
    identity: Option<SigningKey>,
    certificate: Option<Vec<u8>>,
    auth: ClientAuthRequest,
    built: Option<Arc<ServerConfig>>,
}

impl GameCryptServerConfig {
    /// The built configuration (cached until a setter changes it).
    pub(crate) fn config(&mut self, call: &str) -> Option<Arc<ServerConfig>> {
        if let Some(c) = &self.built {
            return Some(c.clone());
        }
        let Some(id) = self.identity.clone() else {
            fail_msg(
                call,
                CoreError::WrongState,
                "the server config has no identity key (set_identity)",
            );
            return None;
        };
        let cfg = run(call, || {
            let mut b = ServerConfig::builder(id)?.client_auth(self.auth);
            if let Some(cert) = &self.certificate {
                b = b.certificate(cert)?;
            }
            Ok(b.build())
        })?;
        self.built = Some(cfg.clone());
        Some(cfg)
    }
}

#[godot_api]
impl GameCryptServerConfig {
    /// Client authentication not requested.
    #[constant]
    pub const AUTH_NONE: i64 = 0;
    /// Requested: clients that have it send it.
    #[constant]
    pub const AUTH_OPTIONAL: i64 = 1;
    /// Required: clients without it fail the handshake.
    #[constant]
    pub const AUTH_REQUIRED: i64 = 2;

    /// The server's long-term identity key (ECDSA P-256 or Ed25519).
    #[func]
    pub fn set_identity(&mut self, key: Option<Gd<GameCryptSigningKey>>) -> GdError {
        const CALL: &str = "GameCryptServerConfig.set_identity";
        let Some(k) = signing_of(CALL, &key) else {
            return errors::last_godot_error();
        };
        // Checked now, so that a wrong key type is reported here.
        if let Err(e) = ServerConfig::builder(k.clone()) {
            return errors::fail(CALL, e);
        }
        self.identity = Some(k);
        self.built = None;
        errors::clear();
        GdError::OK
    }

    /// Presents [param certificate] (issued for the identity key) instead of the raw key.
    #[func]
    pub fn set_certificate(&mut self, certificate: Option<Gd<GameCryptCertificate>>) -> GdError {
        const CALL: &str = "GameCryptServerConfig.set_certificate";
        let Some(c) =
            certificate.and_then(|c| c.bind().cert.as_ref().map(|c| c.as_bytes().to_vec()))
        else {
            return fail_msg(
                CALL,
                CoreError::NullArgument,
                "the certificate is null or empty",
            );
        };
        self.certificate = Some(c);
        self.built = None;
        errors::clear();
        GdError::OK
    }

    /// Asks clients for a signature with their own key ([param signature]) and/or a login
    /// token ([param token]): [constant AUTH_NONE], [constant AUTH_OPTIONAL] or
    /// [constant AUTH_REQUIRED]. The server application then accepts or rejects each client
    /// (see [method GameCryptSession.accept] and [method GameCryptMultiplayerPeer.set_auth_callback]).
    #[func]
    pub fn set_client_auth(&mut self, signature: i64, token: i64) -> GdError {
        const CALL: &str = "GameCryptServerConfig.set_client_auth";
        let mode = |m: i64| {
            u32::try_from(m)
                .map_err(|_| CoreError::InvalidArgument)
                .and_then(ClientAuthMode::from_code)
        };
        match run(CALL, || {
            Ok(ClientAuthRequest {
                signature: mode(signature)?,
                token: mode(token)?,
            })
        }) {
            Some(req) => {
                self.auth = req;
                self.built = None;
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    /// The public key of the identity (what clients pin), or null.
    #[func]
    pub fn get_public_key(&self) -> Option<Gd<GameCryptPublicKey>> {
        self.identity
            .as_ref()
            .map(|k| GameCryptPublicKey::wrap(k.public_key().clone()))
    }
}

/// How a client recognises the real server: a pinned public key, a pinned fingerprint, or a
/// root key that signs server certificates; optionally the client's own key and login token.
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptClientConfig {
    anchor: Option<TrustAnchor>,
    server_name: Option<String>,
    client_key: Option<SigningKey>,
    token: Option<zeroize::Zeroizing<Vec<u8>>>,
    built: Option<Arc<ClientConfig>>,
}

impl GameCryptClientConfig {
    /// The built configuration (cached until a setter changes it).
    pub(crate) fn config(&mut self, call: &str) -> Option<Arc<ClientConfig>> {
        if let Some(c) = &self.built {
            return Some(c.clone());
        }
        let Some(anchor) = self.anchor.clone() else {
            fail_msg(call, CoreError::WrongState, "the client config trusts nothing yet (pin_public_key, pin_fingerprint or trust_root)");
            return None;
        };
        let cfg = run(call, || {
            let mut b = ClientConfig::builder(anchor)?;
            if let Some(n) = &self.server_name {
                b = b.server_name(n)?;
            }
            if let Some(k) = &self.client_key {
                b = b.client_key(k.clone())?;
            }
            if let Some(t) = &self.token {
                b = b.token(t)?;
            }
            b.build()
        })?;
        self.built = Some(cfg.clone());
        Some(cfg)
    }

    fn set_anchor(&mut self, call: &str, anchor: TrustAnchor) -> GdError {
        match run(call, || ClientConfig::builder(anchor.clone()).map(|_| ())) {
            Some(()) => {
                self.anchor = Some(anchor);
                self.built = None;
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }
}

#[godot_api]
impl GameCryptClientConfig {
    /// Trusts only the server whose identity key is [param key].
    #[func]
    pub fn pin_public_key(&mut self, key: Option<Gd<GameCryptPublicKey>>) -> GdError {
        const CALL: &str = "GameCryptClientConfig.pin_public_key";
        match public_of(CALL, &key) {
            Some(k) => self.set_anchor(CALL, TrustAnchor::PinnedKey(k)),
            None => errors::last_godot_error(),
        }
    }

    /// Trusts only the server whose key has this fingerprint (32 bytes, see
    /// [method GameCryptPublicKey.get_fingerprint]).
    #[func]
    pub fn pin_fingerprint(&mut self, fingerprint: PackedByteArray) -> GdError {
        const CALL: &str = "GameCryptClientConfig.pin_fingerprint";
        let Ok(fp) = <[u8; FINGERPRINT_LEN]>::try_from(fingerprint.as_slice()) else {
            return fail_msg(CALL, CoreError::InvalidLength, "a fingerprint is 32 bytes");
        };
        self.set_anchor(CALL, TrustAnchor::PinnedFingerprint(fp))
    }

    /// Trusts servers that present a valid certificate signed by [param root].
    #[func]
    pub fn trust_root(&mut self, root: Option<Gd<GameCryptPublicKey>>) -> GdError {
        const CALL: &str = "GameCryptClientConfig.trust_root";
        match public_of(CALL, &root) {
            Some(k) => self.set_anchor(CALL, TrustAnchor::Root(k)),
            None => errors::last_godot_error(),
        }
    }

    /// With [method trust_root]: the server name the certificate must carry.
    #[func]
    pub fn set_server_name(&mut self, name: GString) -> GdError {
        self.server_name = Some(name.to_string());
        self.built = None;
        errors::clear();
        GdError::OK
    }

    /// The client's own key, for servers that ask for a client signature.
    #[func]
    pub fn set_client_key(&mut self, key: Option<Gd<GameCryptSigningKey>>) -> GdError {
        const CALL: &str = "GameCryptClientConfig.set_client_key";
        let Some(k) = signing_of(CALL, &key) else {
            return errors::last_godot_error();
        };
        self.client_key = Some(k);
        self.built = None;
        errors::clear();
        GdError::OK
    }

    /// A login token from the game's backend (1 to 1024 bytes), for servers that ask for one.
    #[func]
    pub fn set_token(&mut self, token: PackedByteArray) -> GdError {
        const CALL: &str = "GameCryptClientConfig.set_token";
        if token.is_empty() || token.len() > limits::CLIENT_TOKEN_MAX_LEN {
            return fail_msg(CALL, CoreError::InvalidLength, "a token is 1 to 1024 bytes");
        }
        self.token = Some(zeroize::Zeroizing::new(token.as_slice().to_vec()));
        self.built = None;
        errors::clear();
        GdError::OK
    }
}

/// One secure session, sans-IO: you carry its bytes over any transport (for ENet use
/// [GameCryptMultiplayerPeer], which does all of this). Client: [method start_client],
/// send [method write_handshake], give the reply to [method read_handshake], send
/// [method write_handshake] again; then [method seal] and [method open].
#[derive(GodotClass)]
#[class(base=RefCounted, init)]
pub struct GameCryptSession {
    session: Option<Session>,
}

#[godot_api]
impl GameCryptSession {
    /// Packets may be lost, reordered or duplicated (UDP, unreliable channels).
    #[constant]
    pub const MODE_DATAGRAM: i64 = 1;
    /// Packets arrive exactly once and in order (TCP, WebSocket); any bad packet is fatal.
    #[constant]
    pub const MODE_STREAM: i64 = 2;
    /// No session started.
    #[constant]
    pub const STATE_NONE: i64 = 0;
    /// Call [method write_handshake] and send the message.
    #[constant]
    pub const STATE_NEED_WRITE: i64 = 1;
    /// Wait for the peer's message and pass it to [method read_handshake].
    #[constant]
    pub const STATE_NEED_READ: i64 = 2;
    /// [method seal] and [method open] work.
    #[constant]
    pub const STATE_ESTABLISHED: i64 = 3;
    /// A fatal error happened.
    #[constant]
    pub const STATE_FAILED: i64 = 4;
    /// Closed.
    #[constant]
    pub const STATE_CLOSED: i64 = 5;
    /// Server with client authentication: [method accept] or [method reject] the client.
    #[constant]
    pub const STATE_NEED_ACCEPT: i64 = 6;

    /// Starts a client session with [param config] (the ClientHello is ready to write).
    #[func]
    pub fn start_client(
        &mut self,
        config: Option<Gd<GameCryptClientConfig>>,
        #[opt(default = 1)] mode: i64,
    ) -> GdError {
        const CALL: &str = "GameCryptSession.start_client";
        let Some(mut config) = config else {
            return fail_msg(CALL, CoreError::NullArgument, "the config is null");
        };
        let Some(cfg) = config.bind_mut().config(CALL) else {
            return errors::last_godot_error();
        };
        match run(CALL, || Session::new_client(cfg, mode_of(mode)?)) {
            Some(s) => {
                self.session = Some(s);
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    /// Starts a server session with [param config] (it waits for a ClientHello).
    #[func]
    pub fn start_server(
        &mut self,
        config: Option<Gd<GameCryptServerConfig>>,
        #[opt(default = 1)] mode: i64,
    ) -> GdError {
        const CALL: &str = "GameCryptSession.start_server";
        let Some(mut config) = config else {
            return fail_msg(CALL, CoreError::NullArgument, "the config is null");
        };
        let Some(cfg) = config.bind_mut().config(CALL) else {
            return errors::last_godot_error();
        };
        match run(CALL, || Ok(Session::new_server(cfg, mode_of(mode)?))) {
            Some(s) => {
                self.session = Some(s);
                GdError::OK
            }
            None => errors::last_godot_error(),
        }
    }

    fn need(&self, call: &str) -> Option<&Session> {
        if self.session.is_none() {
            fail_msg(call, CoreError::WrongState, "no session started");
        }
        self.session.as_ref()
    }

    /// One of the [code]STATE_*[/code] constants.
    #[func]
    pub fn get_state(&self) -> i64 {
        self.session
            .as_ref()
            .map(|s| i64::from(s.state().code()))
            .unwrap_or(0)
    }

    /// True when [method seal] and [method open] work.
    #[func]
    pub fn is_established(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.state() == State::Established)
    }

    /// The next handshake message to send (empty when there is none or on failure).
    #[func]
    pub fn write_handshake(&mut self) -> PackedByteArray {
        const CALL: &str = "GameCryptSession.write_handshake";
        let Some(s) = self.need(CALL) else {
            return PackedByteArray::new();
        };
        run(CALL, || {
            let mut out = vec![0u8; s.pending_handshake_len()?];
            let n = s.write_handshake(&mut out)?;
            Ok(bytes(&out[..n]))
        })
        .unwrap_or_default()
    }

    /// Processes the peer's handshake message.
    #[func]
    pub fn read_handshake(&mut self, message: PackedByteArray) -> GdError {
        const CALL: &str = "GameCryptSession.read_handshake";
        let Some(s) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        run_err(CALL, || s.read_handshake(message.as_slice()))
    }

    /// Server in [constant STATE_NEED_ACCEPT]: accepts the client.
    #[func]
    pub fn accept(&mut self) -> GdError {
        const CALL: &str = "GameCryptSession.accept";
        let Some(s) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        run_err(CALL, || s.accept())
    }

    /// Server in [constant STATE_NEED_ACCEPT]: rejects the client; returns a close packet to
    /// send so that the client stops at once.
    #[func]
    pub fn reject(&mut self) -> PackedByteArray {
        const CALL: &str = "GameCryptSession.reject";
        let Some(s) = self.need(CALL) else {
            return PackedByteArray::new();
        };
        run(CALL, || {
            let mut out = [0u8; limits::PACKET_OVERHEAD];
            let n = s.reject(&mut out)?;
            Ok(bytes(&out[..n]))
        })
        .unwrap_or_default()
    }

    /// The client's login token (server with client authentication), or empty.
    #[func]
    pub fn get_client_token(&self) -> PackedByteArray {
        const CALL: &str = "GameCryptSession.get_client_token";
        let Some(s) = self.need(CALL) else {
            return PackedByteArray::new();
        };
        run(CALL, || s.client_token())
            .flatten()
            .map(|t| bytes(&t))
            .unwrap_or_default()
    }

    /// The client's authenticated public key (server with client signatures), or null.
    #[func]
    pub fn get_client_public_key(&self) -> Option<Gd<GameCryptPublicKey>> {
        const CALL: &str = "GameCryptSession.get_client_public_key";
        let s = self.need(CALL)?;
        run(CALL, || s.client_public_key())
            .flatten()
            .map(GameCryptPublicKey::wrap)
    }

    /// The server's authenticated identity key (known after the ServerHello), or null.
    #[func]
    pub fn get_server_public_key(&self) -> Option<Gd<GameCryptPublicKey>> {
        const CALL: &str = "GameCryptSession.get_server_public_key";
        let s = self.need(CALL)?;
        run(CALL, || s.server_public_key()).map(GameCryptPublicKey::wrap)
    }

    /// The negotiated cipher suite's name, or "".
    #[func]
    pub fn get_suite_name(&self) -> GString {
        match self.session.as_ref().and_then(|s| s.suite().ok()) {
            Some(suite) => GString::from(suite.name()),
            None => GString::new(),
        }
    }

    /// Seals [param plaintext] into one packet.
    #[func]
    pub fn seal(&mut self, plaintext: PackedByteArray) -> PackedByteArray {
        const CALL: &str = "GameCryptSession.seal";
        let Some(s) = self.need(CALL) else {
            return PackedByteArray::new();
        };
        run(CALL, || {
            let mut out = vec![0u8; plaintext.len() + limits::PACKET_OVERHEAD];
            let n = s.seal(plaintext.as_slice(), &mut out)?;
            Ok(bytes(&out[..n]))
        })
        .unwrap_or_default()
    }

    /// Opens one packet. A forged, tampered or replayed packet returns an empty array (see
    /// [method GameCrypt.get_last_error]); in datagram mode the session goes on.
    #[func]
    pub fn open(&mut self, packet: PackedByteArray) -> PackedByteArray {
        const CALL: &str = "GameCryptSession.open";
        let Some(s) = self.need(CALL) else {
            return PackedByteArray::new();
        };
        run(CALL, || {
            let mut out = vec![0u8; packet.len().saturating_sub(limits::PACKET_OVERHEAD)];
            let n = s.open(packet.as_slice(), &mut out)?;
            Ok(bytes(&out[..n]))
        })
        .unwrap_or_default()
    }

    /// Starts a key update (both directions move to fresh keys).
    #[func]
    pub fn update_keys(&mut self) -> GdError {
        const CALL: &str = "GameCryptSession.update_keys";
        let Some(s) = self.need(CALL) else {
            return errors::last_godot_error();
        };
        run_err(CALL, || s.update_keys())
    }

    /// Closes the session; returns a close packet for the peer (empty during the handshake).
    #[func]
    pub fn close(&mut self) -> PackedByteArray {
        const CALL: &str = "GameCryptSession.close";
        let Some(s) = self.need(CALL) else {
            return PackedByteArray::new();
        };
        run(CALL, || {
            let mut out = [0u8; limits::PACKET_OVERHEAD];
            let n = s.close(&mut out)?;
            Ok(bytes(&out[..n]))
        })
        .unwrap_or_default()
    }
}

fn mode_of(code: i64) -> gamecrypt::Result<Mode> {
    u32::try_from(code)
        .map_err(|_| CoreError::InvalidArgument)
        .and_then(Mode::from_code)
}
