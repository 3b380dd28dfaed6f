//! Issue 7, memory: a server with client authentication can hand the client's key and token
//! to the application and keep no copy, so that its established session costs the same
//! Rust heap as one without client authentication. (The AEAD contexts are aws-lc's C heap,
//! the same in both; `benches/session.rs` measures both heaps.)

mod session_support;

mod alloc_support;
use alloc_support::live_bytes as live;

use gamecrypt::keys::{KeyType, SignatureFormat, SigningKey};
use gamecrypt::session::{
    ClientAuthMode, ClientAuthRequest, ClientConfig, Mode, ServerConfig, Session, State,
    TrustAnchor,
};
use gamecrypt::Error;
/// The Rust heap bytes an established server session keeps, with or without client
/// authentication (signature and a 32-byte token required), and the session.
fn established_server(auth: bool, kt: KeyType) -> (i64, Session) {
    let server_key = SigningKey::generate(kt).unwrap();
    let mut sb = ServerConfig::builder(server_key.clone()).unwrap();
    let mut cb = ClientConfig::builder(TrustAnchor::PinnedKey(server_key.public_key().clone()))
        .unwrap()
        .client_key(SigningKey::generate(kt).unwrap())
        .unwrap()
        .token(&[7u8; 32])
        .unwrap();
    if auth {
        sb = sb.client_auth(ClientAuthRequest {
            signature: ClientAuthMode::Required,
            token: ClientAuthMode::Required,
        });
    } else {
        cb = cb.suites(&session_support::classic_suites()).unwrap();
    }
    let (scfg, ccfg) = (sb.build(), cb.build().unwrap());
    let before = live();
    let s = Session::new_server(scfg.clone(), Mode::Datagram);
    let c = Session::new_client(ccfg.clone(), Mode::Datagram).unwrap();
    let transcript = session_support::handshake_steps(&c, &s, |_, call| call());
    if auth {
        s.accept().unwrap();
    }
    assert_eq!(s.state(), State::Established);
    drop((c, transcript));
    let kept = live() - before;
    drop((scfg, ccfg)); // the session holds its own reference to its configuration
    (kept, s)
}

#[test]
fn taking_the_client_credentials_frees_them() {
    for kt in [KeyType::EcdsaP256, KeyType::Ed25519] {
        let (plain, _s) = established_server(false, kt);
        let (with_auth, s) = established_server(true, kt);
        let key = s.client_public_key().unwrap().unwrap();
        assert!(with_auth > plain, "{kt:?}: {with_auth} <= {plain}");
        let before = live();
        let (taken_key, token) = s.take_client_credentials().unwrap();
        assert_eq!(taken_key.as_ref(), Some(&key));
        assert_eq!(token.as_deref().map(|t| &t[..]), Some(&[7u8; 32][..]));
        drop((taken_key, token, key));
        let freed = before - live();
        println!("{kt:?}: Rust heap of an established server session (beyond the Session value): {plain} B without client auth, {with_auth} B with, {freed} B freed by take");
        assert_eq!(
            with_auth - freed,
            plain,
            "{kt:?}: what remains is a plain session"
        );
        // Taken once: the session has nothing left to give.
        assert_eq!(s.take_client_credentials(), Err(Error::WrongState));
        assert_eq!(s.client_public_key(), Err(Error::WrongState));
        assert_eq!(s.client_token(), Err(Error::WrongState));
        // Data still flows.
        let mut out = [0u8; 64];
        s.seal(b"x", &mut out).unwrap();
    }
}

#[test]
fn take_is_only_for_servers_with_client_auth_from_need_accept_on() {
    let (_, s) = established_server(false, KeyType::Ed25519);
    assert_eq!(s.take_client_credentials(), Err(Error::WrongState));
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let c = Session::new_client(session_support::pinned(&key), Mode::Stream).unwrap();
    assert_eq!(c.take_client_credentials(), Err(Error::WrongState));
    // Before NEED_ACCEPT (a fresh server): nothing yet.
    let s = session_support::signature_required_server(Mode::Stream);
    assert_eq!(s.take_client_credentials(), Err(Error::WrongState));
    // In NEED_ACCEPT: allowed, then accept still works.
    let client = session_support::RefClient::start(&s);
    let ck = SigningKey::generate(KeyType::Ed25519).unwrap();
    let raw: [u8; 32] = ck.public_key().raw().unwrap().try_into().unwrap();
    let mut p = session_support::RefClient::ed25519_signature_entry(&raw, &[0; 64]);
    let n = p.len() - 64;
    let sig = session_support::raw_sign(
        &ck,
        &client.client_signed_message(&p[..n]),
        SignatureFormat::EcdsaFixed,
    );
    p[n..].copy_from_slice(&sig);
    s.read_handshake(&client.finished(&p)).unwrap();
    assert_eq!(s.state(), State::NeedAccept);
    let (k, t) = s.take_client_credentials().unwrap();
    assert_eq!(k.as_ref(), Some(ck.public_key()));
    assert!(t.is_none());
    s.accept().unwrap();
    assert_eq!(s.state(), State::Established);
}
