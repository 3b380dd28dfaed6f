//! The endpoint's API: connect, data, keep-alive, timeouts, close, client authentication,
//! retry cookies and every error path of the Rust API (docs/ENDPOINT.md). The network
//! simulator with loss and many clients is tests/endpoint_sim.rs.

mod session_support;

use gamecrypt::endpoint::{codes, CloseReason, Endpoint, EndpointConfig, Event, PeerId, PeerState};
use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::Error;
use session_support::{pinned, server_config};

const SERVER: &[u8] = b"server:1";
const CLIENT: &[u8] = b"client:1";

/// Moves every queued datagram of `from` (at address `from_addr`) into `to`.
fn deliver(
    now: u64,
    from: &mut Endpoint,
    from_addr: &[u8],
    to: &mut Endpoint,
    to_addr: &[u8],
) -> usize {
    let mut n = 0;
    let mut out = Vec::new();
    while let Some(t) = from.poll_transmit() {
        assert_eq!(t.addr, to_addr);
        out.push(t.data.to_vec());
    }
    for d in out {
        to.receive(now, from_addr, &d).unwrap();
        n += 1;
    }
    n
}

#[derive(Debug, PartialEq)]
enum Ev {
    Connected(PeerId),
    Data(PeerId, Vec<u8>),
    Credentials(PeerId),
    Closed(PeerId, CloseReason, Error),
}

fn events(ep: &mut Endpoint) -> Vec<Ev> {
    let mut v = Vec::new();
    while let Some(e) = ep.poll_event() {
        v.push(match e {
            Event::Connected { peer, .. } => Ev::Connected(peer),
            Event::Data { peer, data } => Ev::Data(peer, data.to_vec()),
            Event::ClientCredentials { peer } => Ev::Credentials(peer),
            Event::Closed {
                peer,
                reason,
                error,
            } => Ev::Closed(peer, reason, error),
        });
    }
    v
}

struct Pair {
    client: Endpoint,
    server: Endpoint,
    cpeer: PeerId,
    key: SigningKey,
}

fn pair_with(cfg: EndpointConfig) -> Pair {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let mut client = Endpoint::new_client(pinned(&key), cfg.clone()).unwrap();
    let server = Endpoint::new_server(server_config(&key), cfg).unwrap();
    let cpeer = client.connect(0, SERVER).unwrap();
    Pair {
        client,
        server,
        cpeer,
        key,
    }
}

/// Runs the handshake without loss; returns the server's id of the client.
fn connect(p: &mut Pair, now: u64) -> PeerId {
    assert_eq!(
        deliver(now, &mut p.client, CLIENT, &mut p.server, SERVER),
        1
    ); // CH
    assert_eq!(
        deliver(now, &mut p.server, SERVER, &mut p.client, CLIENT),
        1
    ); // SH
    assert_eq!(
        deliver(now, &mut p.client, CLIENT, &mut p.server, SERVER),
        1
    ); // CF
    let sev = events(&mut p.server);
    let [Ev::Connected(speer)] = sev[..] else {
        panic!("{sev:?}")
    };
    assert_eq!(
        deliver(now, &mut p.server, SERVER, &mut p.client, CLIENT),
        1
    ); // empty data
    assert_eq!(events(&mut p.client), vec![Ev::Connected(p.cpeer)]);
    speer
}

#[test]
fn connect_and_exchange_data() {
    let mut p = pair_with(EndpointConfig::default());
    assert_eq!(p.client.peer_state(p.cpeer), Ok(PeerState::Handshake));
    let speer = connect(&mut p, 5);
    assert_eq!(p.client.peer_state(p.cpeer), Ok(PeerState::Connected));
    assert_eq!(p.server.peer_state(speer), Ok(PeerState::Connected));
    assert_eq!(
        p.client.peer_fingerprint(p.cpeer).unwrap(),
        Some(*p.key.public_key().fingerprint())
    );
    assert_eq!(p.server.peer_fingerprint(speer).unwrap(), None);
    assert_eq!(p.server.peer_address(speer).unwrap(), CLIENT);
    p.client.send(10, p.cpeer, b"hello").unwrap();
    p.client.send(10, p.cpeer, b"world").unwrap();
    deliver(10, &mut p.client, CLIENT, &mut p.server, SERVER);
    assert_eq!(
        events(&mut p.server),
        vec![
            Ev::Data(speer, b"hello".to_vec()),
            Ev::Data(speer, b"world".to_vec())
        ]
    );
    p.server.send(11, speer, b"back").unwrap();
    deliver(11, &mut p.server, SERVER, &mut p.client, CLIENT);
    assert_eq!(
        events(&mut p.client),
        vec![Ev::Data(p.cpeer, b"back".to_vec())]
    );
    // Close: the server learns it from the authenticated close packet.
    p.client.close(12, p.cpeer).unwrap();
    assert_eq!(
        events(&mut p.client),
        vec![Ev::Closed(
            p.cpeer,
            CloseReason::Local,
            Error::SessionClosed
        )]
    );
    assert_eq!(deliver(12, &mut p.client, CLIENT, &mut p.server, SERVER), 3);
    assert_eq!(
        events(&mut p.server),
        vec![Ev::Closed(
            speer,
            CloseReason::PeerClosed,
            Error::PeerClosed
        )]
    );
    assert_eq!(p.server.peer_count(), 0);
    assert_eq!(p.server.stats().dropped_stray, 2); // the two later copies
    assert_eq!(p.client.send(13, p.cpeer, b"x"), Err(codes::UNKNOWN_PEER));
}

#[test]
fn bad_input_changes_nothing() {
    let mut p = pair_with(EndpointConfig::default());
    let speer = connect(&mut p, 100);
    let before = p.server.stats();
    let deadline = p.server.next_deadline();
    // Time going backwards: every call refuses it.
    assert_eq!(
        p.server.receive(99, CLIENT, b"x"),
        Err(codes::TIME_WENT_BACKWARDS)
    );
    assert_eq!(p.server.handle_timeout(99), Err(codes::TIME_WENT_BACKWARDS));
    assert_eq!(
        p.server.send(99, speer, b"x"),
        Err(codes::TIME_WENT_BACKWARDS)
    );
    assert_eq!(p.server.close(99, speer), Err(codes::TIME_WENT_BACKWARDS));
    assert_eq!(
        p.client.connect(99, b"other"),
        Err(codes::TIME_WENT_BACKWARDS)
    );
    // Unknown peers, oversize data, bad addresses.
    let unknown = PeerId(speer.0 + (1 << 32));
    assert_eq!(p.server.send(100, unknown, b"x"), Err(codes::UNKNOWN_PEER));
    assert_eq!(
        p.server.send(100, PeerId(0), b"x"),
        Err(codes::UNKNOWN_PEER)
    );
    assert_eq!(p.server.close(100, unknown), Err(codes::UNKNOWN_PEER));
    assert_eq!(p.server.accept(100, speer), Err(Error::WrongState));
    assert_eq!(p.server.reject(100, speer), Err(Error::WrongState));
    assert_eq!(
        p.server.send(100, speer, &[0u8; 1201]),
        Err(Error::InvalidLength)
    );
    assert_eq!(p.server.receive(100, b"", b"x"), Err(Error::InvalidLength));
    assert_eq!(
        p.server.receive(100, &[1u8; 129], b"x"),
        Err(Error::InvalidLength)
    );
    assert_eq!(p.server.connect(100, b"x"), Err(codes::WRONG_ROLE));
    assert_eq!(p.client.connect(100, SERVER), Err(codes::ADDRESS_IN_USE));
    assert_eq!(p.server.stats(), before);
    assert_eq!(p.server.next_deadline(), deadline);
    assert!(p.server.poll_transmit().is_none());
    assert!(p.server.poll_event().is_none());
    // The peer still works.
    p.server.send(100, speer, b"still here").unwrap();
    deliver(100, &mut p.server, SERVER, &mut p.client, CLIENT);
    assert_eq!(
        events(&mut p.client),
        vec![Ev::Data(p.cpeer, b"still here".to_vec())]
    );
}

#[test]
fn settings_are_checked() {
    let mut c = EndpointConfig::default();
    assert_eq!(c.set_idle_timeout_ms(99), Err(Error::InvalidArgument));
    assert_eq!(c, EndpointConfig::default());
    c.set_keepalive_interval_ms(10_000).unwrap(); // = idle timeout
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    assert_eq!(
        Endpoint::new_server(server_config(&key), c.clone()).err(),
        Some(Error::InvalidArgument)
    );
    c.set_keepalive_interval_ms(9_999).unwrap();
    Endpoint::new_server(server_config(&key), c).unwrap();
}

/// Events come out in the order they happened, whatever their kind: the client's
/// `Connected` before the message of the server's first packet when the server's empty
/// confirmation is lost; `peek_event_len` tells each one's length.
#[test]
fn connected_comes_before_the_first_message() {
    let mut p = pair_with(EndpointConfig::default());
    deliver(0, &mut p.client, CLIENT, &mut p.server, SERVER); // CH
    deliver(0, &mut p.server, SERVER, &mut p.client, CLIENT); // SH
    deliver(0, &mut p.client, CLIENT, &mut p.server, SERVER); // CF
    let [Ev::Connected(speer)] = events(&mut p.server)[..] else {
        panic!()
    };
    while p.server.poll_transmit().is_some() {} // the empty confirmation is lost
    p.server.send(1, speer, b"first").unwrap();
    deliver(1, &mut p.server, SERVER, &mut p.client, CLIENT);
    assert_eq!(p.client.peek_event_len(), Some(0));
    assert!(
        matches!(p.client.poll_event(), Some(Event::Connected { peer, .. }) if peer == p.cpeer)
    );
    assert_eq!(p.client.peek_event_len(), Some(5));
    assert_eq!(
        events(&mut p.client),
        vec![Ev::Data(p.cpeer, b"first".to_vec())]
    );
    assert_eq!(p.client.peek_event_len(), None);
}

/// At `max_pending_events` further packets are dropped (counted, not opened), but a
/// `Closed` event is still reported, after the messages before it.
#[test]
fn pending_event_limit_drops_messages_not_closes() {
    let mut cfg = EndpointConfig::default();
    cfg.set_max_pending_events(16).unwrap();
    let mut p = pair_with(cfg);
    let speer = connect(&mut p, 0);
    for i in 0..20u8 {
        p.client.send(1, p.cpeer, &[i; 3]).unwrap();
    }
    deliver(1, &mut p.client, CLIENT, &mut p.server, SERVER);
    assert_eq!(p.server.stats().queue_overflows, 4);
    p.server.handle_timeout(1 << 40).unwrap(); // long past the idle timeout
    let mut want: Vec<Ev> = (0..16u8).map(|i| Ev::Data(speer, vec![i; 3])).collect();
    want.push(Ev::Closed(
        speer,
        CloseReason::IdleTimeout,
        codes::IDLE_TIMEOUT,
    ));
    assert_eq!(events(&mut p.server), want);
    assert_eq!(p.server.peek_event_len(), None);
}
