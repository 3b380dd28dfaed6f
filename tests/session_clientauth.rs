//! Client authentication through the public Rust API (docs/PROTOCOL.md section 21): every
//! combination of modes and credentials, the NEED_ACCEPT state, accept and reject.

use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{
    ClientAuthMode as M, ClientAuthRequest, ClientConfig, Mode, ServerConfig, Session, State,
    TrustAnchor,
};
use gamecrypt::Error;

struct Setup {
    client: Session,
    server: Session,
}

fn setup(
    sig: M,
    token_mode: M,
    client_key: Option<&SigningKey>,
    token: Option<&[u8]>,
    server_type: KeyType,
) -> Setup {
    let server_key = SigningKey::generate(server_type).unwrap();
    let scfg = ServerConfig::builder(server_key.clone())
        .unwrap()
        .client_auth(ClientAuthRequest {
            signature: sig,
            token: token_mode,
        })
        .build();
    let mut cb =
        ClientConfig::builder(TrustAnchor::PinnedKey(server_key.public_key().clone())).unwrap();
    if let Some(k) = client_key {
        cb = cb.client_key(k.clone()).unwrap();
    }
    if let Some(t) = token {
        cb = cb.token(t).unwrap();
    }
    let ccfg = cb.build().unwrap();
    // Stream mode: a failed check is fatal at once (datagram mode drops, section 12.1).
    Setup {
        client: Session::new_client(ccfg, Mode::Stream).unwrap(),
        server: Session::new_server(scfg, Mode::Stream),
    }
}

/// ClientHello -> ServerHello; returns the result of the client reading the ServerHello.
fn to_server_hello(s: &Setup) -> Result<(), Error> {
    let mut buf = vec![0u8; 4096];
    let n = s.client.write_handshake(&mut buf).unwrap();
    s.server.read_handshake(&buf[..n]).unwrap();
    let n = s.server.write_handshake(&mut buf).unwrap();
    s.client.read_handshake(&buf[..n])
}

/// The whole handshake; returns the ClientFinished and the server's result of reading it.
fn handshake(s: &Setup) -> (Vec<u8>, Result<(), Error>) {
    to_server_hello(s).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = s.client.write_handshake(&mut buf).unwrap();
    let fin = buf[..n].to_vec();
    let r = s.server.read_handshake(&fin);
    (fin, r)
}

fn exchange(a: &Session, b: &Session, msg: &[u8]) {
    let mut pkt = vec![0u8; msg.len() + 24];
    let n = a.seal(msg, &mut pkt).unwrap();
    let mut out = vec![0u8; msg.len()];
    let m = b.open(&pkt[..n], &mut out).unwrap();
    assert_eq!(&out[..m], msg);
}

#[test]
fn signature_and_token_reach_the_server_and_data_flows_after_accept() {
    for client_type in [KeyType::Ed25519, KeyType::EcdsaP256] {
        for server_type in [KeyType::Ed25519, KeyType::EcdsaP256] {
            for token in [
                vec![0x42u8],
                (0..1024).map(|i| i as u8).collect::<Vec<u8>>(),
            ] {
                let key = SigningKey::generate(client_type).unwrap();
                let s = setup(
                    M::Required,
                    M::Required,
                    Some(&key),
                    Some(&token),
                    server_type,
                );
                let (fin, r) = handshake(&s);
                r.unwrap();
                let sig_entry = 4 + 3 + key.public_key().raw().unwrap().len() + 64;
                assert_eq!(fin.len(), 24 + 4 + token.len() + sig_entry);
                assert_eq!(s.client.state(), State::Established);
                assert_eq!(s.server.state(), State::NeedAccept);
                let got = s.server.client_public_key().unwrap().unwrap();
                assert_eq!(&got, key.public_key());
                assert_eq!(got.fingerprint(), key.public_key().fingerprint());
                assert_eq!(
                    s.server.client_token().unwrap().unwrap().as_slice(),
                    &token[..]
                );

                // Nothing is sealed or opened before the accept.
                let mut pkt = vec![0u8; 64];
                let n = s.client.seal(b"early", &mut pkt).unwrap();
                let early = pkt[..n].to_vec();
                let mut out = vec![0u8; 64];
                assert_eq!(s.server.open(&early, &mut out), Err(Error::WrongState));
                assert_eq!(s.server.seal(b"x", &mut out), Err(Error::WrongState));
                assert_eq!(s.server.state(), State::NeedAccept);

                s.server.accept().unwrap();
                assert_eq!(s.server.state(), State::Established);
                assert_eq!(s.server.accept(), Err(Error::WrongState));
                // The early packet opens now (the replay window accepts it).
                let m = s.server.open(&early, &mut out).unwrap();
                assert_eq!(&out[..m], b"early");
                exchange(&s.server, &s.client, b"welcome");
                exchange(&s.client, &s.server, b"thanks");
                // The credentials stay readable.
                assert_eq!(
                    &s.server.client_public_key().unwrap().unwrap(),
                    key.public_key()
                );
            }
        }
    }
}

#[test]
fn missing_required_credentials_fail_at_the_client_with_their_code() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    type Case<'a> = (M, M, Option<&'a SigningKey>, Option<&'a [u8]>, Error);
    let cases: [Case; 3] = [
        (
            M::Required,
            M::None,
            None,
            Some(b"t"),
            Error::ClientAuthRequired,
        ),
        (
            M::None,
            M::Required,
            Some(&key),
            None,
            Error::ClientTokenRequired,
        ),
        (
            M::Required,
            M::Required,
            None,
            None,
            Error::ClientAuthRequired,
        ),
    ];
    for (sig, tok, k, t, expected) in cases {
        let s = setup(sig, tok, k, t, KeyType::Ed25519);
        assert_eq!(to_server_hello(&s), Err(expected));
        assert_eq!(s.client.state(), State::Failed);
        let mut buf = vec![0u8; 4096];
        assert_eq!(
            s.client.write_handshake(&mut buf),
            Err(Error::SessionFailed)
        );
    }
}

#[test]
fn optional_credentials_may_be_absent() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    // Nothing at all.
    let s = setup(M::Optional, M::Optional, None, None, KeyType::Ed25519);
    let (fin, r) = handshake(&s);
    r.unwrap();
    assert_eq!(fin.len(), 24);
    assert_eq!(s.server.state(), State::NeedAccept);
    assert_eq!(s.server.client_public_key().unwrap(), None);
    assert_eq!(s.server.client_token().unwrap(), None);
    s.server.accept().unwrap();
    exchange(&s.client, &s.server, b"hi");
    // Only a key, token not asked although the client has one: the token is not sent.
    let s = setup(
        M::Optional,
        M::None,
        Some(&key),
        Some(b"secret"),
        KeyType::Ed25519,
    );
    let (fin, r) = handshake(&s);
    r.unwrap();
    assert_eq!(fin.len(), 24 + 103);
    assert_eq!(s.server.client_token().unwrap(), None);
    assert!(s.server.client_public_key().unwrap().is_some());
}

#[test]
fn without_client_auth_the_protocol_is_v1_even_if_the_client_has_credentials() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let s = setup(
        M::None,
        M::None,
        Some(&key),
        Some(b"ticket"),
        KeyType::Ed25519,
    );
    let (fin, r) = handshake(&s);
    r.unwrap();
    assert_eq!(fin.len(), 24, "empty ClientFinished plaintext");
    assert_eq!(s.server.state(), State::Established);
    assert_eq!(s.server.client_public_key(), Err(Error::WrongState));
    assert_eq!(s.server.accept(), Err(Error::WrongState));
    exchange(&s.server, &s.client, b"v1");
}

#[test]
fn reject_fails_the_session_and_the_client_sees_only_a_close() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    for send_close in [true, false] {
        let s = setup(
            M::Required,
            M::Optional,
            Some(&key),
            Some(b"bad ticket"),
            KeyType::Ed25519,
        );
        handshake(&s).1.unwrap();
        let mut small = [0u8; 23];
        assert_eq!(s.server.reject(&mut small), Err(Error::BufferTooSmall));
        assert_eq!(s.server.state(), State::NeedAccept, "nothing changed");
        let mut close = [0u8; 24];
        assert_eq!(s.server.reject(&mut close), Ok(24));
        assert_eq!(close[0], 0x42, "a close packet");
        assert_eq!(s.server.state(), State::Failed);
        assert_eq!(s.server.accept(), Err(Error::SessionRejected));
        assert_eq!(s.server.reject(&mut close), Err(Error::SessionRejected));
        assert_eq!(s.server.client_public_key(), Err(Error::SessionRejected));
        let mut out = [0u8; 64];
        assert_eq!(s.server.seal(b"x", &mut out), Err(Error::SessionRejected));
        // The client's packets go nowhere.
        let mut pkt = [0u8; 64];
        let n = s.client.seal(b"hello?", &mut pkt).unwrap();
        assert_eq!(
            s.server.open(&pkt[..n], &mut out),
            Err(Error::SessionRejected)
        );
        if send_close {
            assert_eq!(s.client.open(&close, &mut out), Err(Error::PeerClosed));
            assert_eq!(s.client.state(), State::Closed);
        } else {
            assert_eq!(s.client.state(), State::Established);
        }
    }
}

#[test]
fn accept_and_reject_only_in_need_accept_and_only_for_servers() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let s = setup(M::Required, M::None, Some(&key), None, KeyType::Ed25519);
    let mut out = [0u8; 24];
    assert_eq!(s.server.accept(), Err(Error::WrongState));
    assert_eq!(s.server.reject(&mut out), Err(Error::WrongState));
    assert_eq!(s.server.client_public_key(), Err(Error::WrongState));
    handshake(&s).1.unwrap();
    assert_eq!(s.client.accept(), Err(Error::WrongState));
    assert_eq!(s.client.client_public_key(), Err(Error::WrongState));
    assert_eq!(s.client.client_token(), Err(Error::WrongState));
    // A retransmitted ClientFinished after the accept is a late duplicate.
    s.server.accept().unwrap();
}

#[test]
fn config_options_are_validated() {
    let server_key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let b = ClientConfig::builder(TrustAnchor::PinnedKey(server_key.public_key().clone())).unwrap();
    assert_eq!(b.clone().token(&[]).err(), Some(Error::InvalidLength));
    assert_eq!(
        b.clone().token(&[0; 1025]).err(),
        Some(Error::InvalidLength)
    );
    assert!(b.clone().token(&[0; 1024]).is_ok());
    let p384 = SigningKey::generate(KeyType::EcdsaP384).unwrap();
    assert_eq!(b.clone().client_key(p384).err(), Some(Error::WrongKeyType));
    assert_eq!(M::from_code(3), Err(Error::InvalidArgument));
    assert_eq!(M::from_code(2), Ok(M::Required));
    let cfg = ServerConfig::builder(server_key).unwrap().build();
    assert!(cfg.client_auth().is_none());
}

#[test]
fn a_server_hello_with_a_client_auth_request_fails_a_client_that_sees_it_changed() {
    // The request is signed: flipping its mode bytes breaks the server signature.
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    for offset in [2usize, 1] {
        let s = setup(M::Required, M::Optional, Some(&key), None, KeyType::Ed25519);
        let mut buf = vec![0u8; 4096];
        let n = s.client.write_handshake(&mut buf).unwrap();
        s.server.read_handshake(&buf[..n]).unwrap();
        let n = s.server.write_handshake(&mut buf).unwrap();
        let mut sh = buf[..n].to_vec();
        let i = sh.len() - 64 - offset;
        sh[i] = 0; // "none": a downgrade of the request
        assert_eq!(
            s.client.read_handshake(&sh),
            Err(Error::HandshakeSignatureInvalid)
        );
    }
}
