//! Immutable, shareable server and client configurations.

use crate::error::{Error, Result};
use crate::keys::{KeyType, PublicKey, SigningKey, FINGERPRINT_LEN};
use crate::session::cert::Certificate;
use crate::session::clientauth::{ClientAuthRequest, CLIENT_TOKEN_MAX_LEN};
use crate::session::retry::{
    self, RetryAction, RetryState, MAX_RETRY_PERIOD_SECS, RETRY_SECRET_LEN,
};
use crate::session::suite::{identity_key_len, Suite};
use std::fmt;
use std::sync::Arc;
use zeroize::Zeroizing;

/// Returns the current time in unix seconds. Must be safe to call from any thread.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

fn check_suites(suites: &[Suite]) -> Result<()> {
    if suites.is_empty() {
        return Err(Error::InvalidArgument);
    }
    for (i, s) in suites.iter().enumerate() {
        if suites[..i].contains(s) {
            return Err(Error::InvalidArgument);
        }
    }
    Ok(())
}

fn check_identity_type(kt: KeyType) -> Result<()> {
    identity_key_len(kt).map(|_| ()).ok_or(Error::WrongKeyType)
}

/// The system clock in unix seconds.
pub(crate) fn system_now() -> Result<u64> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Error::Internal)
}

fn now_with(clock: Option<&Clock>) -> Result<u64> {
    match clock {
        Some(clock) => Ok(clock()),
        None => system_now(),
    }
}

/// What the server sends as its identity: its raw public key, or a certificate.
#[derive(Clone, Debug)]
pub(crate) enum Identity {
    RawKey(Vec<u8>),
    Certificate(Certificate),
}

/// Server settings shared by all its sessions. Build with [`ServerConfig::builder`].
#[derive(Clone)]
pub struct ServerConfig {
    pub(crate) key: SigningKey,
    pub(crate) identity: Identity,
    pub(crate) suites: Vec<Suite>,
    pub(crate) client_auth: ClientAuthRequest,
    pub(crate) retry: Option<Arc<RetryState>>,
    pub(crate) clock: Option<Clock>,
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("key", &self.key)
            .field("identity", &self.identity)
            .field("suites", &self.suites)
            .field("client_auth", &self.client_auth)
            .field("retry", &self.retry)
            .field("custom_clock", &self.clock.is_some())
            .finish()
    }
}

impl ServerConfig {
    /// Starts a configuration for a server with this identity key (ECDSA P-256 or Ed25519,
    /// else `WrongKeyType`). The default suites are every suite the key can sign for.
    pub fn builder(identity: SigningKey) -> Result<ServerConfigBuilder> {
        check_identity_type(identity.key_type())?;
        let suites = Suite::all()
            .iter()
            .copied()
            .filter(|s| s.key_type() == identity.key_type())
            .collect();
        Ok(ServerConfigBuilder {
            key: identity,
            certificate: None,
            suites,
            client_auth: ClientAuthRequest::default(),
            retry: None,
            clock: None,
        })
    }

    /// What this server asks of its clients.
    pub fn client_auth(&self) -> ClientAuthRequest {
        self.client_auth
    }

    /// The retry time slot in seconds, when stateless retry is on.
    pub fn retry_period(&self) -> Option<u64> {
        self.retry.as_ref().map(|r| r.period())
    }

    /// The current time: the configured clock, else the system clock.
    pub(crate) fn now(&self) -> Result<u64> {
        now_with(self.clock.as_ref())
    }

    /// Decides statelessly what to do with a datagram from `client_address` (opaque bytes
    /// identifying the sender, e.g. its sockaddr; 1..=128 bytes, else `InvalidLength`) that
    /// may be a ClientHello (docs/PROTOCOL.md section 22.4). Costs at most a SHA-256 and two
    /// HMACs: no ECDH, no signature, no allocation of session state. Without retry, every
    /// well-formed ClientHello is `Accept`. Safe to call from any number of threads.
    pub fn check_client_hello(
        &self,
        client_address: &[u8],
        datagram: &[u8],
    ) -> Result<RetryAction> {
        retry::check(
            self.retry.as_deref(),
            || self.now(),
            client_address,
            datagram,
        )
    }

    /// Rotates the retry secret: a new random secret becomes current, the current one stays
    /// valid for the cookies it already made until they expire, the one before is erased.
    /// `InvalidArgument` when retry is off; `RandomFailed`.
    pub fn rotate_retry_secret(&self) -> Result<()> {
        let r = self.retry.as_ref().ok_or(Error::InvalidArgument)?;
        r.rotate(None, None)
    }

    /// Like [`ServerConfig::rotate_retry_secret`] with a given 32-byte secret (`InvalidLength`
    /// otherwise), so that several server processes behind one address share cookies.
    pub fn rotate_retry_secret_to(&self, secret: &[u8]) -> Result<()> {
        let r = self.retry.as_ref().ok_or(Error::InvalidArgument)?;
        let secret: &[u8; RETRY_SECRET_LEN] =
            secret.try_into().map_err(|_| Error::InvalidLength)?;
        r.rotate(Some(secret), None)
    }

    /// The suites this server accepts.
    pub fn suites(&self) -> &[Suite] {
        &self.suites
    }

    /// The server's identity public key.
    pub fn public_key(&self) -> &PublicKey {
        self.key.public_key()
    }
}

/// Stateless retry settings of a builder.
#[derive(Clone)]
struct RetrySettings {
    period: u64,
    rotation_interval: u64,
    secret: Zeroizing<[u8; RETRY_SECRET_LEN]>,
}

impl fmt::Debug for RetrySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetrySettings")
            .field("period", &self.period)
            .field("rotation_interval", &self.rotation_interval)
            .finish_non_exhaustive()
    }
}

/// Builder for [`ServerConfig`].
#[derive(Clone)]
pub struct ServerConfigBuilder {
    key: SigningKey,
    certificate: Option<Certificate>,
    suites: Vec<Suite>,
    client_auth: ClientAuthRequest,
    retry: Option<RetrySettings>,
    clock: Option<Clock>,
}

impl fmt::Debug for ServerConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfigBuilder")
            .field("key", &self.key)
            .field("certificate", &self.certificate)
            .field("suites", &self.suites)
            .field("client_auth", &self.client_auth)
            .field("retry", &self.retry)
            .field("custom_clock", &self.clock.is_some())
            .finish()
    }
}

impl ServerConfigBuilder {
    /// Sends this certificate instead of the bare public key. It must parse
    /// (`CertificateMalformed`) and certify the identity key (`InvalidArgument` otherwise).
    pub fn certificate(mut self, cert: &[u8]) -> Result<Self> {
        let cert = Certificate::parse(cert)?;
        if cert.public_key() != self.key.public_key() {
            return Err(Error::InvalidArgument);
        }
        self.certificate = Some(cert);
        Ok(self)
    }

    /// The suites to accept (order does not matter: the client's preference decides).
    /// Empty or duplicated lists are `InvalidArgument`; a suite whose signature the identity
    /// key cannot make is `WrongKeyType`.
    pub fn suites(mut self, suites: &[Suite]) -> Result<Self> {
        check_suites(suites)?;
        if suites.iter().any(|s| s.key_type() != self.key.key_type()) {
            return Err(Error::WrongKeyType);
        }
        self.suites = suites.to_vec();
        Ok(self)
    }

    /// Asks clients for a signature and/or a token (docs/PROTOCOL.md section 21). With any
    /// request, a server session stops in `NeedAccept` after the ClientFinished until the
    /// application calls [`crate::session::Session::accept`] or `reject`. Default: nothing
    /// (protocol v1 behaviour).
    pub fn client_auth(mut self, request: ClientAuthRequest) -> Self {
        self.client_auth = request;
        self
    }

    /// Turns on stateless retry cookies (section 22) with time slots of `period_secs`
    /// (1..=3600, else `InvalidArgument`; 0 turns retry off): a cookie is valid in its slot
    /// and the next one, so for `period_secs` to `2 * period_secs` seconds. The first call
    /// draws a random secret (`RandomFailed`); configurations built from this builder share
    /// it until one rotates. Sessions of a retry-enabled configuration must be created with
    /// [`crate::session::Session::new_server_for_address`].
    pub fn retry(mut self, period_secs: u64) -> Result<Self> {
        if period_secs == 0 {
            self.retry = None;
            return Ok(self);
        }
        if period_secs > MAX_RETRY_PERIOD_SECS {
            return Err(Error::InvalidArgument);
        }
        match &mut self.retry {
            Some(r) => {
                if r.rotation_interval != 0 && r.rotation_interval < 2 * period_secs {
                    return Err(Error::InvalidArgument);
                }
                r.period = period_secs;
            }
            None => {
                let mut secret = Zeroizing::new([0u8; RETRY_SECRET_LEN]);
                aws_lc_rs::rand::fill(&mut secret[..]).map_err(|_| Error::RandomFailed)?;
                self.retry = Some(RetrySettings {
                    period: period_secs,
                    rotation_interval: 0,
                    secret,
                });
            }
        }
        Ok(self)
    }

    /// Rotates the retry secret automatically every `interval_secs` (0: only by
    /// [`ServerConfig::rotate_retry_secret`], the default). Must be at least two periods
    /// (`InvalidArgument`); retry must be on (`InvalidArgument`).
    pub fn retry_rotation_interval(mut self, interval_secs: u64) -> Result<Self> {
        let r = self.retry.as_mut().ok_or(Error::InvalidArgument)?;
        if interval_secs != 0 && interval_secs < 2 * r.period {
            return Err(Error::InvalidArgument);
        }
        r.rotation_interval = interval_secs;
        Ok(self)
    }

    /// Sets the initial 32-byte retry secret (`InvalidLength` otherwise), e.g. shared by the
    /// server processes behind one address. Retry must be on (`InvalidArgument`).
    pub fn retry_secret(mut self, secret: &[u8]) -> Result<Self> {
        let r = self.retry.as_mut().ok_or(Error::InvalidArgument)?;
        let secret: [u8; RETRY_SECRET_LEN] = secret.try_into().map_err(|_| Error::InvalidLength)?;
        r.secret = Zeroizing::new(secret);
        Ok(self)
    }

    /// Uses this clock (unix seconds) for retry time slots instead of the system clock.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Sets or removes the custom clock.
    pub(crate) fn clock_option(mut self, clock: Option<Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Freezes the configuration.
    pub fn build(&self) -> Arc<ServerConfig> {
        let identity = match &self.certificate {
            Some(c) => Identity::Certificate(c.clone()),
            None => Identity::RawKey(self.key.public_key().raw().unwrap_or_default().to_vec()),
        };
        let retry = self.retry.as_ref().map(|r| {
            Arc::new(RetryState::from_settings(
                r.period,
                r.rotation_interval,
                &r.secret,
            ))
        });
        Arc::new(ServerConfig {
            key: self.key.clone(),
            identity,
            suites: self.suites.clone(),
            client_auth: self.client_auth,
            retry,
            clock: self.clock.clone(),
        })
    }
}

/// The code of a root-trusting configuration built without an expected server name.
pub(crate) const SERVER_NAME_REQUIRED: Error = Error::ServerNameRequired;

/// How a client decides that it talks to the real server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustAnchor {
    /// The server's public key is known in advance.
    PinnedKey(PublicKey),
    /// SHA-256 of the server key's SubjectPublicKeyInfo DER is known in advance.
    PinnedFingerprint([u8; FINGERPRINT_LEN]),
    /// The server presents a certificate signed by this root key.
    Root(PublicKey),
}

/// Client settings shared by all its sessions. Build with [`ClientConfig::builder`].
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) anchor: TrustAnchor,
    pub(crate) suites: Vec<Suite>,
    pub(crate) server_name: Option<String>,
    pub(crate) clock: Option<Clock>,
    pub(crate) client_key: Option<SigningKey>,
    pub(crate) token: Option<Zeroizing<Vec<u8>>>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("anchor", &self.anchor)
            .field("suites", &self.suites)
            .field("server_name", &self.server_name)
            .field("custom_clock", &self.clock.is_some())
            .field("client_key", &self.client_key)
            .field("token_len", &self.token.as_ref().map(|t| t.len()))
            .finish()
    }
}

impl ClientConfig {
    /// Starts a client configuration. Keys in the anchor must be ECDSA P-256 or Ed25519
    /// (`WrongKeyType`). With a pinned key, only suites that key can sign for are offered.
    pub fn builder(anchor: TrustAnchor) -> Result<ClientConfigBuilder> {
        match &anchor {
            TrustAnchor::PinnedKey(k) | TrustAnchor::Root(k) => check_identity_type(k.key_type())?,
            TrustAnchor::PinnedFingerprint(_) => {}
        }
        Ok(ClientConfigBuilder {
            anchor,
            suites: Suite::all().to_vec(),
            server_name: None,
            any_server_name: false,
            clock: None,
            client_key: None,
            token: None,
        })
    }

    /// The suites offered, in preference order.
    pub fn suites(&self) -> &[Suite] {
        &self.suites
    }

    /// The current time for certificate checks: the configured clock, else the system clock.
    pub(crate) fn now(&self) -> Result<u64> {
        now_with(self.clock.as_ref())
    }
}

/// Builder for [`ClientConfig`].
#[derive(Clone)]
pub struct ClientConfigBuilder {
    anchor: TrustAnchor,
    suites: Vec<Suite>,
    server_name: Option<String>,
    /// Root trust without an expected name (see `dangerous_accept_any_server_name`).
    any_server_name: bool,
    clock: Option<Clock>,
    client_key: Option<SigningKey>,
    token: Option<Zeroizing<Vec<u8>>>,
}

impl fmt::Debug for ClientConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfigBuilder")
            .field("anchor", &self.anchor)
            .field("suites", &self.suites)
            .field("server_name", &self.server_name)
            .field("any_server_name", &self.any_server_name)
            .field("client_key", &self.client_key)
            .field("token_len", &self.token.as_ref().map(|t| t.len()))
            .finish()
    }
}

impl ClientConfigBuilder {
    /// The client's own key (ECDSA P-256 or Ed25519, else `WrongKeyType`) for servers that
    /// ask for client authentication (docs/PROTOCOL.md section 21). It signs the transcript
    /// only when a server asks; the public key is sent encrypted.
    pub fn client_key(mut self, key: SigningKey) -> Result<Self> {
        check_identity_type(key.key_type())?;
        self.client_key = Some(key);
        Ok(self)
    }

    /// An opaque token (a login ticket from the game's backend, 1..=1024 bytes, else
    /// `InvalidLength`) sent encrypted to servers that ask for one.
    pub fn token(mut self, token: &[u8]) -> Result<Self> {
        if token.is_empty() || token.len() > CLIENT_TOKEN_MAX_LEN {
            return Err(Error::InvalidLength);
        }
        self.token = Some(Zeroizing::new(token.to_vec()));
        Ok(self)
    }

    /// The suites to offer, most preferred first (default: [`Suite::all`], the hybrid
    /// post-quantum suites first).
    /// Empty or duplicated lists are `InvalidArgument`.
    pub fn suites(mut self, suites: &[Suite]) -> Result<Self> {
        check_suites(suites)?;
        self.suites = suites.to_vec();
        Ok(self)
    }

    /// The name the server certificate must carry (compared byte for byte). Only meaningful
    /// with a [`TrustAnchor::Root`]; with a pin it is `InvalidArgument` (a pin already names
    /// exactly one server). Empty or longer than 255 bytes: `InvalidLength`.
    pub fn server_name(mut self, name: &str) -> Result<Self> {
        if !matches!(self.anchor, TrustAnchor::Root(_)) {
            return Err(Error::InvalidArgument);
        }
        if name.is_empty() || name.len() > 255 {
            return Err(Error::InvalidLength);
        }
        self.server_name = Some(name.to_owned());
        Ok(self)
    }

    /// DANGEROUS: root trust that accepts a certificate for any server name. Every server
    /// the root certified can then impersonate every other one (docs/PROTOCOL.md section 8).
    /// Only for a root that certifies exactly one server, or for tests. Only with a
    /// [`TrustAnchor::Root`] (else `InvalidArgument`); a name set with
    /// [`ClientConfigBuilder::server_name`] is still checked.
    pub fn dangerous_accept_any_server_name(mut self) -> Result<Self> {
        if !matches!(self.anchor, TrustAnchor::Root(_)) {
            return Err(Error::InvalidArgument);
        }
        self.any_server_name = true;
        Ok(self)
    }

    /// Uses this clock (unix seconds) for certificate validity instead of the system clock.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Sets or removes the custom clock.
    pub(crate) fn clock_option(mut self, clock: Option<Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Freezes the configuration. With a pinned key, suites the key cannot sign for are
    /// dropped; if none is left: `WrongKeyType`. A root anchor needs the expected server
    /// name ([`ClientConfigBuilder::server_name`]) or the explicit
    /// [`ClientConfigBuilder::dangerous_accept_any_server_name`], else `ServerNameRequired`.
    pub fn build(&self) -> Result<Arc<ClientConfig>> {
        if matches!(self.anchor, TrustAnchor::Root(_))
            && self.server_name.is_none()
            && !self.any_server_name
        {
            return Err(SERVER_NAME_REQUIRED);
        }
        let suites: Vec<Suite> = match &self.anchor {
            TrustAnchor::PinnedKey(k) => self
                .suites
                .iter()
                .copied()
                .filter(|s| s.key_type() == k.key_type())
                .collect(),
            _ => self.suites.clone(),
        };
        if suites.is_empty() {
            return Err(Error::WrongKeyType);
        }
        Ok(Arc::new(ClientConfig {
            anchor: self.anchor.clone(),
            suites,
            server_name: self.server_name.clone(),
            clock: self.clock.clone(),
            client_key: self.client_key.clone(),
            token: self.token.clone(),
        }))
    }
}
