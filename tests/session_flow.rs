//! End-to-end handshake and packet flow through the public Rust API.

use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{ClientConfig, Mode, ServerConfig, Session, State, Suite, TrustAnchor};
use gamecrypt::Error;

fn pair(kt: KeyType, mode: Mode) -> (Session, Session) {
    let key = SigningKey::generate(kt).unwrap();
    let server_cfg = ServerConfig::builder(key.clone()).unwrap().build();
    let client_cfg = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .build()
        .unwrap();
    let client = Session::new_client(client_cfg, mode).unwrap();
    let server = Session::new_server(server_cfg, mode);
    (client, server)
}

fn handshake(client: &Session, server: &Session) {
    let mut buf = [0u8; 4096];
    assert_eq!(client.state(), State::NeedWrite);
    assert_eq!(server.state(), State::NeedRead);
    let n = client.write_handshake(&mut buf).unwrap();
    assert_eq!(client.state(), State::NeedRead);
    server.read_handshake(&buf[..n]).unwrap();
    assert_eq!(server.state(), State::NeedWrite);
    let n = server.write_handshake(&mut buf).unwrap();
    assert_eq!(server.state(), State::NeedRead);
    client.read_handshake(&buf[..n]).unwrap();
    assert_eq!(client.state(), State::NeedWrite);
    let n = client.write_handshake(&mut buf).unwrap();
    assert_eq!(client.state(), State::Established);
    server.read_handshake(&buf[..n]).unwrap();
    assert_eq!(server.state(), State::Established);
}

#[test]
fn both_suites_end_to_end_both_modes() {
    for (kt, suite) in [
        (KeyType::EcdsaP256, Suite::P256EcdsaAes256GcmSha256),
        (KeyType::Ed25519, Suite::X25519Ed25519ChaCha20Poly1305Sha256),
    ] {
        for mode in [Mode::Datagram, Mode::Stream] {
            let (c, s) = pair(kt, mode);
            handshake(&c, &s);
            assert_eq!(c.suite().unwrap(), suite);
            assert_eq!(s.suite().unwrap(), suite);
            assert_eq!(
                c.server_public_key().unwrap(),
                s.server_public_key().unwrap()
            );
            let mut pkt = [0u8; 100];
            let mut pt = [0u8; 100];
            for i in 0..10u8 {
                let n = c.seal(&[i; 20], &mut pkt).unwrap();
                assert_eq!(n, 44);
                assert_eq!(s.open(&pkt[..n], &mut pt).unwrap(), 20);
                assert_eq!(&pt[..20], &[i; 20]);
                let n = s.seal(&[i; 3], &mut pkt).unwrap();
                assert_eq!(c.open(&pkt[..n], &mut pt).unwrap(), 3);
                assert_eq!(&pt[..3], &[i; 3]);
            }
            let n = c.close(&mut pkt).unwrap();
            assert_eq!(n, 24);
            assert_eq!(c.state(), State::Closed);
            assert_eq!(s.open(&pkt[..n], &mut pt), Err(Error::SessionClosed));
            assert_eq!(s.state(), State::Closed);
            assert_eq!(s.seal(b"x", &mut pkt), Err(Error::SessionClosed));
        }
    }
}
