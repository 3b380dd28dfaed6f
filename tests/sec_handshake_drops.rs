//! Issue 7, finding 2: in datagram mode a handshake message that fails parsing or
//! authentication is dropped (a drop code, no state change) while the session waits for the
//! ServerHello (client) or the ClientFinished (server); the 8th such message ends the session
//! (docs/PROTOCOL.md section 12). A real handshake completes after the spoofed datagrams.
//! Stream mode stays fatal.

mod session_support;

use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::limits::HANDSHAKE_DROP_LIMIT;
use gamecrypt::session::{
    ClientAuthMode, ClientAuthRequest, ClientConfig, Mode, ServerConfig, Session, State, Suite,
    TrustAnchor,
};
use gamecrypt::Error;
use session_support::*;

fn classic(kt: KeyType) -> Suite {
    match kt {
        KeyType::EcdsaP256 => Suite::P256EcdsaAes256GcmSha256,
        _ => Suite::X25519Ed25519ChaCha20Poly1305Sha256,
    }
}

fn pair_with(kt: KeyType, mode: Mode, auth: bool) -> (Session, Session) {
    let key = SigningKey::generate(kt).unwrap();
    let mut sb = ServerConfig::builder(key.clone())
        .unwrap()
        .suites(&[classic(kt)])
        .unwrap();
    let mut cb = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .suites(&[classic(kt)])
        .unwrap();
    if auth {
        sb = sb.client_auth(ClientAuthRequest {
            signature: ClientAuthMode::Required,
            token: ClientAuthMode::Optional,
        });
        cb = cb
            .client_key(SigningKey::generate(kt).unwrap())
            .unwrap()
            .token(b"ticket")
            .unwrap();
    }
    let c = Session::new_client(cb.build().unwrap(), mode).unwrap();
    let s = Session::new_server(sb.build(), mode);
    (c, s)
}

fn write(s: &Session) -> Vec<u8> {
    let mut buf = vec![0u8; s.pending_handshake_len().unwrap()];
    let n = s.write_handshake(&mut buf).unwrap();
    buf.truncate(n);
    buf
}

/// Runs the handshake up to the client's ServerHello; returns (ServerHello, ClientFinished
/// or None when `read_sh` is false).
fn to_server_hello(c: &Session, s: &Session) -> Vec<u8> {
    s.read_handshake(&write(c)).unwrap();
    write(s)
}

fn finish(c: &Session, s: &Session, sh: &[u8]) {
    c.read_handshake(sh).unwrap();
    let cf = write(c);
    s.read_handshake(&cf).unwrap();
    if s.state() == State::NeedAccept {
        s.accept().unwrap();
    }
    assert_eq!(c.state(), State::Established);
    assert_eq!(s.state(), State::Established);
    // Data flows both ways.
    let mut pkt = vec![0u8; 64];
    let n = c.seal(b"hello", &mut pkt).unwrap();
    let mut out = vec![0u8; 64];
    assert_eq!(s.open(&pkt[..n], &mut out).unwrap(), 5);
    let n = s.seal(b"world", &mut pkt).unwrap();
    assert_eq!(c.open(&pkt[..n], &mut out).unwrap(), 5);
}

/// 24 bytes: a ClientFinished header (type 0x03, packet number 0) and a random tag.
fn garbage_finished(i: u8) -> Vec<u8> {
    let mut g = vec![3u8, 0, 0, 0, 0, 0, 0, 0];
    g.extend((0..16u8).map(|j| j.wrapping_mul(31).wrapping_add(i)));
    g
}

fn bad_signature(sh: &[u8]) -> Vec<u8> {
    let mut b = sh.to_vec();
    let last = b.len() - 1;
    b[last] ^= 0x01;
    b
}

#[test]
fn spoofed_client_finished_messages_are_dropped_and_the_real_one_completes() {
    for kt in [KeyType::EcdsaP256, KeyType::Ed25519] {
        for auth in [false, true] {
            let (c, s) = pair_with(kt, Mode::Datagram, auth);
            let sh = to_server_hello(&c, &s);
            // Garbage of every shape: wrong AEAD tag, wrong type, wrong length, empty.
            let spoofed = [
                garbage_finished(1),
                {
                    let mut g = garbage_finished(2);
                    g[0] = 0x07;
                    g
                },
                vec![3u8; 10],
                vec![],
            ];
            for g in &spoofed {
                assert_eq!(s.read_handshake(g), Err(DROPPED), "{kt:?} auth={auth}");
                assert_eq!(s.state(), State::NeedRead);
            }
            finish(&c, &s, &sh);
        }
    }
}

#[test]
fn spoofed_server_hellos_are_dropped_and_the_real_one_completes() {
    for kt in [KeyType::EcdsaP256, KeyType::Ed25519] {
        let (c, s) = pair_with(kt, Mode::Datagram, false);
        let sh = to_server_hello(&c, &s);
        let mut truncated = sh.clone();
        truncated.truncate(100);
        let mut wrong_type = sh.clone();
        wrong_type[0] = 0x09;
        for g in [bad_signature(&sh), truncated, wrong_type, vec![0x02]] {
            assert_eq!(c.read_handshake(&g), Err(DROPPED), "{kt:?}");
            assert_eq!(c.state(), State::NeedRead);
        }
        finish(&c, &s, &sh);
    }
}

#[test]
fn a_spoofed_retry_is_dropped() {
    let (c, s) = pair_with(KeyType::Ed25519, Mode::Datagram, false);
    let sh = to_server_hello(&c, &s);
    // A Retry (type 0x04) whose cookie binding is wrong.
    let mut retry = vec![0x04, 0x00, 0x01];
    retry.extend_from_slice(&[0u8; 32]);
    retry.extend_from_slice(&[0x00, 0x10]);
    retry.extend_from_slice(&[0x55; 16]);
    assert_eq!(c.read_handshake(&retry), Err(DROPPED));
    assert_eq!(c.state(), State::NeedRead);
    finish(&c, &s, &sh);
}

#[test]
fn data_packets_before_the_client_finished_are_dropped_without_counting() {
    let (c, s) = pair_with(KeyType::Ed25519, Mode::Datagram, false);
    let sh = to_server_hello(&c, &s);
    c.read_handshake(&sh).unwrap();
    let cf = write(&c);
    // The client is established and sends data; the ClientFinished is late.
    let mut pkt = vec![0u8; 64];
    for _ in 0..3 * HANDSHAKE_DROP_LIMIT {
        let n = c.seal(b"early", &mut pkt).unwrap();
        assert_eq!(s.read_handshake(&pkt[..n]), Err(DROPPED));
        assert_eq!(s.state(), State::NeedRead);
    }
    // A close packet too.
    let mut close = garbage_finished(9);
    close[0] = 0x42;
    assert_eq!(s.read_handshake(&close), Err(DROPPED));
    s.read_handshake(&cf).unwrap();
    assert_eq!(s.state(), State::Established);
}

#[test]
fn the_eighth_failed_message_ends_the_session_with_its_own_code() {
    assert_eq!(HANDSHAKE_DROP_LIMIT, 8);
    // Server.
    let (c, s) = pair_with(KeyType::EcdsaP256, Mode::Datagram, false);
    to_server_hello(&c, &s);
    for i in 1..HANDSHAKE_DROP_LIMIT {
        assert_eq!(s.read_handshake(&garbage_finished(i as u8)), Err(DROPPED));
        assert_eq!(s.state(), State::NeedRead);
    }
    assert_eq!(
        s.read_handshake(&garbage_finished(0)),
        Err(Error::PacketAuthFailed)
    );
    assert_eq!(s.state(), State::Failed);
    // Client.
    let (c, s) = pair_with(KeyType::Ed25519, Mode::Datagram, false);
    let sh = to_server_hello(&c, &s);
    for _ in 1..HANDSHAKE_DROP_LIMIT {
        assert_eq!(c.read_handshake(&bad_signature(&sh)), Err(DROPPED));
    }
    assert_eq!(
        c.read_handshake(&bad_signature(&sh)),
        Err(Error::HandshakeSignatureInvalid)
    );
    assert_eq!(c.state(), State::Failed);
    assert_eq!(c.read_handshake(&sh), Err(Error::SessionFailed));
}

#[test]
fn an_authenticated_client_finished_that_fails_client_auth_stays_fatal() {
    // Opened under the c2s key: only the client that made the ClientHello could seal it.
    let server = signature_required_server(Mode::Datagram);
    let client = RefClient::start(&server);
    assert_eq!(
        server.read_handshake(&client.finished(&[])),
        Err(Error::ClientAuthRequired)
    );
    assert_eq!(server.state(), State::Failed);
}

#[test]
fn stream_mode_stays_fatal() {
    let (c, s) = pair_with(KeyType::Ed25519, Mode::Stream, false);
    to_server_hello(&c, &s);
    assert_eq!(
        s.read_handshake(&garbage_finished(1)),
        Err(Error::PacketAuthFailed)
    );
    assert_eq!(s.state(), State::Failed);

    let (c, s) = pair_with(KeyType::Ed25519, Mode::Stream, false);
    let sh = to_server_hello(&c, &s);
    assert_eq!(
        c.read_handshake(&bad_signature(&sh)),
        Err(Error::HandshakeSignatureInvalid)
    );
    assert_eq!(c.state(), State::Failed);

    let (c, s) = pair_with(KeyType::Ed25519, Mode::Stream, false);
    let sh = to_server_hello(&c, &s);
    c.read_handshake(&sh).unwrap();
    write(&c);
    let mut pkt = vec![0u8; 64];
    let n = c.seal(b"early", &mut pkt).unwrap();
    assert_eq!(s.read_handshake(&pkt[..n]), Err(Error::HandshakeMalformed));
    assert_eq!(s.state(), State::Failed);
}

#[test]
fn an_offer_count_larger_than_the_offers_sent_is_malformed() {
    // Section 4 check 4: the zero padding must not parse as a suite-0x0000 offer.
    let (c, s) = pair_with(KeyType::Ed25519, Mode::Stream, false);
    let mut ch = write(&c);
    assert_eq!(ch[35], 1);
    ch[35] = 2;
    assert_eq!(s.read_handshake(&ch), Err(Error::HandshakeMalformed));
    assert_eq!(s.state(), State::Failed);
}
