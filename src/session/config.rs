//! Immutable, shareable server and client configurations.

use crate::error::{Error, Result};
use crate::keys::{KeyType, PublicKey, SigningKey, FINGERPRINT_LEN};
use crate::session::cert::Certificate;
use crate::session::suite::{identity_key_len, Suite};
use std::fmt;
use std::sync::Arc;

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
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("key", &self.key)
            .field("identity", &self.identity)
            .field("suites", &self.suites)
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
        })
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

/// Builder for [`ServerConfig`].
#[derive(Clone, Debug)]
pub struct ServerConfigBuilder {
    key: SigningKey,
    certificate: Option<Certificate>,
    suites: Vec<Suite>,
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

    /// Freezes the configuration.
    pub fn build(&self) -> Arc<ServerConfig> {
        let identity = match &self.certificate {
            Some(c) => Identity::Certificate(c.clone()),
            None => Identity::RawKey(self.key.public_key().raw().unwrap_or_default().to_vec()),
        };
        Arc::new(ServerConfig {
            key: self.key.clone(),
            identity,
            suites: self.suites.clone(),
        })
    }
}

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
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("anchor", &self.anchor)
            .field("suites", &self.suites)
            .field("server_name", &self.server_name)
            .field("custom_clock", &self.clock.is_some())
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
            clock: None,
        })
    }

    /// The suites offered, in preference order.
    pub fn suites(&self) -> &[Suite] {
        &self.suites
    }

    /// The current time for certificate checks: the configured clock, else the system clock.
    pub(crate) fn now(&self) -> Result<u64> {
        match &self.clock {
            Some(clock) => Ok(clock()),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .map_err(|_| Error::Internal),
        }
    }
}

/// Builder for [`ClientConfig`].
#[derive(Clone)]
pub struct ClientConfigBuilder {
    anchor: TrustAnchor,
    suites: Vec<Suite>,
    server_name: Option<String>,
    clock: Option<Clock>,
}

impl fmt::Debug for ClientConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfigBuilder")
            .field("anchor", &self.anchor)
            .field("suites", &self.suites)
            .field("server_name", &self.server_name)
            .finish()
    }
}

impl ClientConfigBuilder {
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
    /// dropped; if none is left: `WrongKeyType`.
    pub fn build(&self) -> Result<Arc<ClientConfig>> {
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
        }))
    }
}
