//! Issue 7, finding 3: root trust requires the expected server name. A root-trusting client
//! configuration without `server_name` does not build; `dangerous_accept_any_server_name`
//! is the explicit way to accept any name the root certified.

mod session_support;

use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{
    Certificate, ClientConfig, Mode, ServerConfig, Session, State, Suite, TrustAnchor,
};
use gamecrypt::Error;
use session_support::*;

fn root_builder(root: &SigningKey) -> gamecrypt::session::ClientConfigBuilder {
    ClientConfig::builder(TrustAnchor::Root(root.public_key().clone()))
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
}

/// A handshake against a server certified for `cert_name`.
fn handshake(
    cfg: std::sync::Arc<ClientConfig>,
    root: &SigningKey,
    cert_name: &str,
) -> Result<(), Error> {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let cert = Certificate::issue(root, key.public_key(), cert_name, 0, u64::MAX).unwrap();
    let sc = ServerConfig::builder(key)
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
        .certificate(cert.as_bytes())
        .unwrap()
        .build();
    let s = Session::new_server(sc, Mode::Stream);
    let c = Session::new_client(cfg, Mode::Stream).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    s.read_handshake(&buf[..n]).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    c.read_handshake(&buf[..n])?;
    assert_eq!(c.state(), State::NeedWrite);
    Ok(())
}

#[test]
fn root_trust_without_a_server_name_does_not_build() {
    let root = SigningKey::generate(KeyType::Ed25519).unwrap();
    assert_eq!(root_builder(&root).build().unwrap_err(), NAME_REQUIRED);
}

#[test]
fn with_the_expected_name_only_that_server_is_accepted() {
    let root = SigningKey::generate(KeyType::Ed25519).unwrap();
    let cfg = root_builder(&root)
        .server_name("eu-1")
        .unwrap()
        .build()
        .unwrap();
    handshake(cfg.clone(), &root, "eu-1").unwrap();
    assert_eq!(
        handshake(cfg, &root, "eu-2"),
        Err(Error::CertificateWrongName)
    );
}

#[test]
fn the_dangerous_call_accepts_any_certified_name() {
    let root = SigningKey::generate(KeyType::Ed25519).unwrap();
    let cfg = root_builder(&root)
        .dangerous_accept_any_server_name()
        .unwrap()
        .build()
        .unwrap();
    handshake(cfg.clone(), &root, "eu-1").unwrap();
    handshake(cfg, &root, "anything-else").unwrap();
    // A name set as well is still checked.
    let cfg = root_builder(&root)
        .dangerous_accept_any_server_name()
        .unwrap()
        .server_name("eu-1")
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        handshake(cfg, &root, "eu-2"),
        Err(Error::CertificateWrongName)
    );
}

#[test]
fn the_dangerous_call_is_only_for_root_trust() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let b = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone())).unwrap();
    assert_eq!(
        b.dangerous_accept_any_server_name().unwrap_err(),
        Error::InvalidArgument
    );
    let b = ClientConfig::builder(TrustAnchor::PinnedFingerprint(
        *key.public_key().fingerprint(),
    ))
    .unwrap();
    assert_eq!(
        b.dangerous_accept_any_server_name().unwrap_err(),
        Error::InvalidArgument
    );
    // Pins need no name.
    ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .build()
        .unwrap();
}
