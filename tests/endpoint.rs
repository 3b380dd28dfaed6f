//! The endpoint's API: connect, data, keep-alive, timeouts, close, client authentication,
//! retry cookies and every error path of the Rust API (docs/ENDPOINT.md). The network
//! simulator with loss and many clients is tests/endpoint_sim.rs.

mod session_support;

use gamecrypt::endpoint::{
    codes, CloseReason, Datagram, Endpoint, EndpointConfig, Event, PeerId, PeerState,
};
use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::limits::PACKET_OVERHEAD;
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

/// Every queued datagram of `ep` (all to `to`), dequeued.
fn take(ep: &mut Endpoint, to: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(t) = ep.poll_transmit() {
        assert_eq!(t.addr, to);
        out.push(t.data.to_vec());
    }
    out
}

fn give(now: u64, ep: &mut Endpoint, from: &[u8], datagrams: &[Vec<u8>]) {
    for d in datagrams {
        ep.receive(now, from, d).unwrap();
    }
}

/// A client that restarts (a new endpoint and session) reconnects from the same address while
/// the server still holds its old peer: the old peer works until the new handshake is
/// authenticated, then ends with reason `Replaced` just before the new peer's `Connected`.
/// Late copies of the old ClientHello start nothing; the old session's packets are dropped.
#[test]
fn reconnect_from_the_same_address_replaces_the_old_peer() {
    let cfg = EndpointConfig::default();
    let mut p = pair_with(cfg.clone());
    let old_hello = take(&mut p.client, SERVER);
    give(0, &mut p.server, CLIENT, &old_hello);
    let sh = take(&mut p.server, CLIENT);
    give(0, &mut p.client, SERVER, &sh);
    let cf = take(&mut p.client, SERVER);
    give(0, &mut p.server, CLIENT, &cf);
    let [Ev::Connected(old)] = events(&mut p.server)[..] else {
        panic!()
    };
    deliver(0, &mut p.server, SERVER, &mut p.client, CLIENT);
    assert_eq!(events(&mut p.client), vec![Ev::Connected(p.cpeer)]);
    p.client.send(10, p.cpeer, b"before").unwrap();
    let old_packet = take(&mut p.client, SERVER);
    give(10, &mut p.server, CLIENT, &old_packet);
    assert_eq!(
        events(&mut p.server),
        vec![Ev::Data(old, b"before".to_vec())]
    );

    // The game restarts: a new client endpoint at the same address, 1 s later.
    let mut client = Endpoint::new_client(pinned(&p.key), cfg).unwrap();
    let cpeer = client.connect(1_000, SERVER).unwrap();
    let hello = take(&mut client, SERVER);
    give(1_000, &mut p.server, CLIENT, &hello);
    let sh = take(&mut p.server, CLIENT);
    assert_eq!(sh.len(), 1);
    assert_eq!(p.server.stats().handshakes, 1);
    assert_eq!(p.server.peer_count(), 1);
    assert!(events(&mut p.server).is_empty());
    // Meanwhile the old peer is still the address's peer, and a copy of the new ClientHello
    // gets the same ServerHello again.
    assert_eq!(p.server.peer_state(old), Ok(PeerState::Connected));
    give(1_001, &mut p.server, CLIENT, &hello);
    assert_eq!(take(&mut p.server, CLIENT), sh);
    // A late copy of the old session's ClientHello starts nothing and sends nothing.
    let invalid = p.server.stats().dropped_invalid;
    give(1_002, &mut p.server, CLIENT, &old_hello);
    assert!(take(&mut p.server, CLIENT).is_empty());
    assert_eq!(p.server.stats().handshakes, 1);
    assert_eq!(p.server.stats().dropped_invalid, invalid + 1);

    // The new client finishes; the server replaces the old peer.
    give(1_010, &mut client, SERVER, &sh);
    let cf = take(&mut client, SERVER);
    give(1_020, &mut p.server, CLIENT, &cf);
    let ev = events(&mut p.server);
    let [Ev::Closed(closed, CloseReason::Replaced, Error::SessionClosed), Ev::Connected(new)] =
        ev[..]
    else {
        panic!("{ev:?}")
    };
    assert_eq!(closed, old);
    assert_ne!(new, old);
    assert_eq!(p.server.peer_count(), 1);
    assert_eq!(p.server.stats().handshakes, 0);
    assert_eq!(p.server.peer_address(new).unwrap(), CLIENT);
    assert_eq!(p.server.send(1_020, old, b"x"), Err(codes::UNKNOWN_PEER));
    deliver(1_020, &mut p.server, SERVER, &mut client, CLIENT);
    assert_eq!(events(&mut client), vec![Ev::Connected(cpeer)]);

    // Data of the new client reaches the new peer, and back.
    client.send(1_030, cpeer, b"after restart").unwrap();
    deliver(1_030, &mut client, CLIENT, &mut p.server, SERVER);
    assert_eq!(
        events(&mut p.server),
        vec![Ev::Data(new, b"after restart".to_vec())]
    );
    p.server.send(1_031, new, b"welcome back").unwrap();
    deliver(1_031, &mut p.server, SERVER, &mut client, CLIENT);
    assert_eq!(
        events(&mut client),
        vec![Ev::Data(cpeer, b"welcome back".to_vec())]
    );

    // The old session's packets (a late copy, and a close from its endpoint) are dropped
    // quietly: no event, the new peer goes on.
    let invalid = p.server.stats().dropped_invalid;
    give(1_040, &mut p.server, CLIENT, &old_packet);
    p.client.close(1_040, p.cpeer).unwrap();
    let old_close = take(&mut p.client, SERVER);
    give(1_040, &mut p.server, CLIENT, &old_close);
    assert!(events(&mut p.server).is_empty());
    assert!(take(&mut p.server, CLIENT).is_empty());
    assert_eq!(
        p.server.stats().dropped_invalid,
        invalid + 1 + old_close.len() as u64
    );
    assert_eq!(p.server.peer_state(new), Ok(PeerState::Connected));
    client.send(1_050, cpeer, b"still fine").unwrap();
    deliver(1_050, &mut client, CLIENT, &mut p.server, SERVER);
    assert_eq!(
        events(&mut p.server),
        vec![Ev::Data(new, b"still fine".to_vec())]
    );
}

/// A spoofed ClientHello from the address of an established peer (a valid one, of another
/// client) costs a handshake slot and nothing else: the peer's data flows both ways, its
/// keep-alives and idle timer run as before, and the half-open handshake ends silently at the
/// handshake timeout without replacing anything. A newer spoofed ClientHello takes the place
/// of the pending one (one handshake per address beside its peer).
#[test]
fn spoofed_client_hello_does_not_disturb_an_established_peer() {
    let cfg = EndpointConfig::default();
    let mut p = pair_with(cfg.clone());
    let speer = connect(&mut p, 0);
    let spoof = |t: u64| -> Vec<Vec<u8>> {
        let mut other = Endpoint::new_client(pinned(&p.key), cfg.clone()).unwrap();
        other.connect(t, SERVER).unwrap();
        take(&mut other, SERVER)
    };
    let hello = spoof(100);
    give(100, &mut p.server, CLIENT, &hello);
    // The ServerHello goes to the real client, which drops it.
    let sh = take(&mut p.server, CLIENT);
    assert_eq!(sh.len(), 1);
    give(100, &mut p.client, SERVER, &sh);
    assert!(events(&mut p.client).is_empty());
    assert!(take(&mut p.client, SERVER).is_empty());
    assert_eq!(p.server.stats().handshakes, 1);
    assert_eq!(p.server.peer_count(), 1);
    // A second spoofed ClientHello replaces the pending one: still one handshake.
    let hello2 = spoof(200);
    give(200, &mut p.server, CLIENT, &hello2);
    assert_eq!(take(&mut p.server, CLIENT).len(), 1);
    assert_eq!(p.server.stats().handshakes, 1);
    // A forged ClientFinished from the address changes nothing either.
    let mut forged = vec![0x03u8; 60];
    forged[1..]
        .iter_mut()
        .enumerate()
        .for_each(|(k, b)| *b = k as u8);
    // (The connected peer takes it for a retransmitted ClientFinished of its client and
    // answers with an empty packet, as without the pending handshake.)
    give(300, &mut p.server, CLIENT, &[forged]);
    deliver(300, &mut p.server, SERVER, &mut p.client, CLIENT);
    assert!(events(&mut p.client).is_empty());
    assert_eq!(p.server.stats().handshakes, 1);
    // The peer keeps working, both ways, up to and past the spoofed handshake's timeout.
    for (k, t) in [400u64, 4_000, 8_000, 10_199, 10_200, 12_000, 16_000]
        .into_iter()
        .enumerate()
    {
        p.server.handle_timeout(t).unwrap();
        p.client.handle_timeout(t).unwrap();
        let msg = format!("message {k}").into_bytes();
        p.client.send(t, p.cpeer, &msg).unwrap();
        p.server.send(t, speer, &msg).unwrap();
        deliver(t, &mut p.client, CLIENT, &mut p.server, SERVER);
        deliver(t, &mut p.server, SERVER, &mut p.client, CLIENT);
        assert_eq!(events(&mut p.server), vec![Ev::Data(speer, msg.clone())]);
        assert_eq!(events(&mut p.client), vec![Ev::Data(p.cpeer, msg)]);
        let handshakes = p.server.stats().handshakes;
        // The pending handshake started at 200 ends silently at 200 + 10,000.
        assert_eq!(handshakes, u64::from(t < 10_200), "at {t}");
        assert_eq!(p.server.peer_state(speer), Ok(PeerState::Connected));
    }
    assert_eq!(p.server.peer_count(), 1);
    assert!(p.server.stats().handshakes_failed >= 1);
}

/// A ClientHello with the client_random of the one that made a peer but other bytes (the
/// random's second half, the padding) is taken for a copy of it (docs/ENDPOINT.md): while the
/// handshake waits it gets the same ServerHello again, once connected it is dropped; it never
/// starts a handshake beside the peer.
#[test]
fn client_hello_with_a_peers_random_starts_no_handshake() {
    let mut p = pair_with(EndpointConfig::default());
    let hello = take(&mut p.client, SERVER);
    give(0, &mut p.server, CLIENT, &hello);
    let sh = take(&mut p.server, CLIENT);
    let mut other = hello[0].clone();
    other[30] ^= 0x5a;
    *other.last_mut().unwrap() ^= 1;
    let before = p.server.stats();
    give(5, &mut p.server, CLIENT, &[other.clone()]);
    assert_eq!(take(&mut p.server, CLIENT), sh);
    let after = p.server.stats();
    assert_eq!(after.handshakes, 1);
    assert_eq!(after.handshake_resends, before.handshake_resends + 1);
    assert_eq!(p.server.peer_count(), 1);
    // Connected: the copy is dropped.
    give(10, &mut p.client, SERVER, &sh);
    let cf = take(&mut p.client, SERVER);
    give(10, &mut p.server, CLIENT, &cf);
    let [Ev::Connected(speer)] = events(&mut p.server)[..] else {
        panic!()
    };
    deliver(10, &mut p.server, SERVER, &mut p.client, CLIENT);
    assert_eq!(events(&mut p.client), vec![Ev::Connected(p.cpeer)]);
    let invalid = p.server.stats().dropped_invalid;
    give(20, &mut p.server, CLIENT, &[other]);
    assert!(take(&mut p.server, CLIENT).is_empty());
    assert_eq!(p.server.stats().dropped_invalid, invalid + 1);
    assert_eq!(p.server.stats().handshakes, 0);
    // The ClientHello with another random is a new one: a handshake beside the peer.
    let mut fresh = hello[0].clone();
    fresh[3] ^= 0xff;
    give(30, &mut p.server, CLIENT, &[fresh]);
    assert_eq!(p.server.stats().handshakes, 1);
    assert_eq!(take(&mut p.server, CLIENT).len(), 1);
    // The peer is untouched.
    p.client.send(40, p.cpeer, b"fine").unwrap();
    deliver(40, &mut p.client, CLIENT, &mut p.server, SERVER);
    assert_eq!(
        events(&mut p.server),
        vec![Ev::Data(speer, b"fine".to_vec())]
    );
}

/// The old peer ends first (idle timeout) while the new handshake from its address waits: the
/// new handshake takes the address and completes alone (no `Replaced`).
#[test]
fn reconnect_when_the_old_peer_ends_first() {
    let cfg = EndpointConfig::default();
    let mut p = pair_with(cfg.clone());
    let old = connect(&mut p, 0);
    let mut client = Endpoint::new_client(pinned(&p.key), cfg).unwrap();
    let cpeer = client.connect(1_000, SERVER).unwrap();
    let hello = take(&mut client, SERVER);
    give(1_000, &mut p.server, CLIENT, &hello);
    let sh = take(&mut p.server, CLIENT);
    assert_eq!(sh.len(), 1);
    // Nothing from the old client since 0: its peer idles out at 10,000.
    p.server.handle_timeout(10_000).unwrap();
    let _ = take(&mut p.server, CLIENT); // keep-alives of the old peer
    assert_eq!(
        events(&mut p.server),
        vec![Ev::Closed(
            old,
            CloseReason::IdleTimeout,
            codes::IDLE_TIMEOUT
        )]
    );
    assert_eq!(p.server.peer_count(), 1);
    assert_eq!(p.server.stats().handshakes, 1);
    // The waiting handshake holds the address now: a copy of its ClientHello is answered.
    give(10_100, &mut p.server, CLIENT, &hello);
    assert_eq!(take(&mut p.server, CLIENT), sh);
    give(10_200, &mut client, SERVER, &sh);
    deliver(10_200, &mut client, CLIENT, &mut p.server, SERVER);
    let ev = events(&mut p.server);
    let [Ev::Connected(new)] = ev[..] else {
        panic!("{ev:?}")
    };
    deliver(10_200, &mut p.server, SERVER, &mut client, CLIENT);
    assert_eq!(events(&mut client), vec![Ev::Connected(cpeer)]);
    client.send(10_300, cpeer, b"hi").unwrap();
    deliver(10_300, &mut client, CLIENT, &mut p.server, SERVER);
    assert_eq!(events(&mut p.server), vec![Ev::Data(new, b"hi".to_vec())]);
    assert_eq!(p.server.stats().handshakes, 0);
}

/// With client authentication the new peer is reported (`ClientCredentials`) while the old one
/// still works; `reject` ends only the new one, and a later reconnect that the application
/// accepts replaces the old peer (`Closed` before `Connected`).
#[test]
fn reconnect_with_client_authentication_waits_for_accept() {
    use gamecrypt::session::TrustAnchor;
    use gamecrypt::session::{ClientAuthMode, ClientAuthRequest, ClientConfig, ServerConfig};
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let server_cfg = ServerConfig::builder(key.clone())
        .unwrap()
        .client_auth(ClientAuthRequest {
            signature: ClientAuthMode::Required,
            token: ClientAuthMode::Optional,
        })
        .retry(10)
        .unwrap()
        .build();
    let client_cfg = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .client_key(SigningKey::generate(KeyType::Ed25519).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let cfg = EndpointConfig::default();
    let mut server = Endpoint::new_server(server_cfg, cfg.clone()).unwrap();
    // CH -> Retry -> CH2 -> SH -> CF, then the application's verdict.
    let handshake = |now: u64, server: &mut Endpoint| -> (Endpoint, PeerId, PeerId) {
        let mut client = Endpoint::new_client(client_cfg.clone(), cfg.clone()).unwrap();
        let cpeer = client.connect(now, SERVER).unwrap();
        for _ in 0..3 {
            deliver(now, &mut client, CLIENT, server, SERVER);
            deliver(now, server, SERVER, &mut client, CLIENT);
        }
        let ev = events(server);
        let [Ev::Credentials(speer)] = ev[..] else {
            panic!("{ev:?}")
        };
        (client, cpeer, speer)
    };
    let (mut c1, p1, s1) = handshake(0, &mut server);
    server.accept(0, s1).unwrap();
    assert_eq!(events(&mut server), vec![Ev::Connected(s1)]);
    deliver(0, &mut server, SERVER, &mut c1, CLIENT);
    assert_eq!(events(&mut c1), vec![Ev::Connected(p1)]);

    // A second life that the application rejects: the old peer is untouched.
    let (_c2, _p2, s2) = handshake(100, &mut server);
    assert_eq!(server.peer_state(s2), Ok(PeerState::AwaitingAccept));
    assert_eq!(server.peer_state(s1), Ok(PeerState::Connected));
    assert_eq!(server.peer_count(), 1);
    c1.send(110, p1, b"first life").unwrap();
    deliver(110, &mut c1, CLIENT, &mut server, SERVER);
    assert_eq!(
        events(&mut server),
        vec![Ev::Data(s1, b"first life".to_vec())]
    );
    server.reject(120, s2).unwrap();
    assert_eq!(
        events(&mut server),
        vec![Ev::Closed(
            s2,
            CloseReason::Rejected,
            Error::SessionRejected
        )]
    );
    let _ = take(&mut server, CLIENT); // the reject close packets
    assert_eq!(server.peer_state(s1), Ok(PeerState::Connected));
    server.send(130, s1, b"still yours").unwrap();
    deliver(130, &mut server, SERVER, &mut c1, CLIENT);
    assert_eq!(events(&mut c1), vec![Ev::Data(p1, b"still yours".to_vec())]);

    // A third life, accepted: the old peer is replaced.
    let (mut c3, p3, s3) = handshake(200, &mut server);
    assert_eq!(server.peer_state(s1), Ok(PeerState::Connected));
    server.accept(210, s3).unwrap();
    assert_eq!(
        events(&mut server),
        vec![
            Ev::Closed(s1, CloseReason::Replaced, Error::SessionClosed),
            Ev::Connected(s3)
        ]
    );
    deliver(210, &mut server, SERVER, &mut c3, CLIENT);
    assert_eq!(events(&mut c3), vec![Ev::Connected(p3)]);
    assert_eq!(server.peer_count(), 1);
    assert_eq!(server.stats().handshakes, 0);
}

/// A server at its peer limit still takes a reconnect from a peer's address (it replaces a
/// peer, it does not add one), while a new address is refused.
#[test]
fn reconnect_at_the_peer_limit() {
    let mut cfg = EndpointConfig::default();
    cfg.set_max_peers(1).unwrap();
    cfg.set_max_handshakes(1).unwrap();
    let mut p = pair_with(cfg.clone());
    let old = connect(&mut p, 0);
    let mut other = Endpoint::new_client(pinned(&p.key), cfg.clone()).unwrap();
    other.connect(10, SERVER).unwrap();
    let refused = p.server.stats().refused;
    deliver(10, &mut other, b"client:2", &mut p.server, SERVER);
    assert!(take(&mut p.server, b"client:2").is_empty());
    assert_eq!(p.server.stats().refused, refused + 1);

    let mut client = Endpoint::new_client(pinned(&p.key), cfg).unwrap();
    let cpeer = client.connect(20, SERVER).unwrap();
    for _ in 0..2 {
        deliver(20, &mut client, CLIENT, &mut p.server, SERVER);
        deliver(20, &mut p.server, SERVER, &mut client, CLIENT);
    }
    let ev = events(&mut p.server);
    let [Ev::Closed(closed, CloseReason::Replaced, _), Ev::Connected(new)] = ev[..] else {
        panic!("{ev:?}")
    };
    assert_eq!(closed, old);
    assert_eq!(events(&mut client), vec![Ev::Connected(cpeer)]);
    assert_eq!(p.server.peer_count(), 1);
    client.send(30, cpeer, b"back").unwrap();
    deliver(30, &mut client, CLIENT, &mut p.server, SERVER);
    assert_eq!(events(&mut p.server), vec![Ev::Data(new, b"back".to_vec())]);
}

/// One server endpoint and its clients, for `receive_into_is_receive_then_poll`: `direct`
/// servers are fed with `receive_into` (and an `out` buffer of the size the step chose),
/// the others with `receive`. `stream` is every message and event the server gave, in order.
struct World {
    server: Endpoint,
    key: SigningKey,
    clients: Vec<(Endpoint, Vec<u8>, PeerId)>,
    direct: bool,
    stream: Vec<Ev>,
    /// Datagrams the server got, for replays.
    seen: Vec<(Vec<u8>, Vec<u8>)>,
    /// Messages given by `receive_into`, and through the queue.
    direct_data: usize,
    queued_data: usize,
}

impl World {
    fn new(direct: bool) -> World {
        let key = SigningKey::generate(KeyType::Ed25519).unwrap();
        let mut cfg = EndpointConfig::default();
        cfg.set_max_pending_events(16).unwrap();
        let server = Endpoint::new_server(server_config(&key), cfg).unwrap();
        World {
            server,
            key,
            clients: Vec::new(),
            direct,
            stream: Vec::new(),
            seen: Vec::new(),
            direct_data: 0,
            queued_data: 0,
        }
    }

    /// The server's `receive` or `receive_into` (its result without the message).
    fn receive(&mut self, now: u64, addr: &[u8], d: &[u8], out_cap: usize) -> Result<(), Error> {
        if !self.direct {
            // What `receive_into` is meant to be: `receive`, then, when nothing was queued
            // before and `out` holds the plaintext, taking the message it queued (if any).
            let empty = self.server.peek_event_len().is_none();
            self.server.receive(now, addr, d)?;
            let fits = out_cap >= d.len().saturating_sub(PACKET_OVERHEAD);
            // (Only a `Data` event has a length above 0.)
            if empty && fits && self.server.peek_event_len() > Some(0) {
                let Some(Event::Data { peer, data }) = self.server.poll_event() else {
                    panic!("not data");
                };
                self.stream.push(Ev::Data(peer, data.to_vec()));
            }
        } else {
            let mut out = vec![0u8; out_cap];
            if let Some((peer, n)) = self.server.receive_into(now, addr, d, &mut out)? {
                assert!(n > 0 && n <= out_cap);
                self.stream.push(Ev::Data(peer, out[..n].to_vec()));
                self.direct_data += 1;
            }
        }
        self.seen.push((addr.to_vec(), d.to_vec()));
        Ok(())
    }

    fn poll(&mut self) {
        let mut e = events(&mut self.server);
        self.queued_data += e.iter().filter(|e| matches!(e, Ev::Data(..))).count();
        self.stream.append(&mut e);
    }

    /// Every queued datagram of client `k` to the server; `mangle` may change each one.
    fn client_to_server(
        &mut self,
        now: u64,
        k: usize,
        out_cap: usize,
        mangle: &mut dyn FnMut(&mut Vec<u8>),
    ) {
        let addr = self.clients[k].1.clone();
        for mut d in take(&mut self.clients[k].0, SERVER) {
            mangle(&mut d);
            self.receive(now, &addr, &d, out_cap).unwrap();
        }
    }

    /// Every queued datagram of the server to its clients (their events are dropped).
    fn server_to_clients(&mut self, now: u64) {
        while let Some(t) = self.server.poll_transmit() {
            let (addr, d) = (t.addr.to_vec(), t.data.to_vec());
            if let Some((c, _, _)) = self.clients.iter_mut().find(|c| c.1 == addr) {
                c.receive(now, SERVER, &d).unwrap();
                events(c);
            }
        }
    }

    /// A new client runs its handshake; the server's `Connected` stays queued.
    fn add_client(&mut self, now: u64) {
        let addr = format!("client:{}", self.clients.len()).into_bytes();
        let mut c = Endpoint::new_client(pinned(&self.key), EndpointConfig::default()).unwrap();
        let peer = c.connect(now, SERVER).unwrap();
        self.clients.push((c, addr, peer));
        let k = self.clients.len() - 1;
        self.client_to_server(now, k, 2048, &mut |_| {}); // CH
        self.server_to_clients(now); // SH
        self.client_to_server(now, k, 2048, &mut |_| {}); // CF
        self.server_to_clients(now); // the empty confirmation: the client is connected
    }
}

/// `receive_into` followed by `poll_event` gives the same messages and events, in the same
/// order, the same counters, errors and timers as `receive` followed by `poll_event`, over a
/// random sequence of data, keep-alives, closes, forgeries, replays, truncations, new peers
/// (whose data arrives while their `Connected` is still queued), full queues and `out`
/// buffers too small for the message.
#[test]
fn receive_into_is_receive_then_poll() {
    let mut rng = session_support::Rng(0x5eed_d12e);
    let mut w = [World::new(false), World::new(true)];
    let mut now = 0u64;
    for step in 0..3000 {
        now += rng.below(3);
        let live: Vec<usize> = (0..w[0].clients.len())
            .filter(|&k| {
                w[0].clients[k].0.peer_state(w[0].clients[k].2) == Ok(PeerState::Connected)
            })
            .collect();
        let roll = rng.below(100);
        if live.is_empty() || (roll < 3 && w[0].clients.len() < 12) {
            for x in &mut w {
                x.add_client(now);
            }
            // Its first message comes while its Connected event is still queued.
            let k = w[0].clients.len() - 1;
            for x in &mut w {
                let peer = x.clients[k].2;
                x.clients[k].0.send(now, peer, b"first").unwrap();
                x.client_to_server(now, k, 2048, &mut |_| {});
            }
            continue;
        }
        let k = live[rng.below(live.len() as u64) as usize];
        // The server's `out`: mostly large enough, sometimes a byte short, sometimes empty.
        let len = match rng.below(10) {
            0 => 0,
            1..=6 => 1 + rng.below(64) as usize,
            _ => 1 + rng.below(1200) as usize,
        };
        let out_cap = match rng.below(10) {
            0 => 0,
            1 => len.saturating_sub(1),
            _ => 2048,
        };
        if roll < 6 {
            for x in &mut w {
                let peer = x.clients[k].2;
                x.clients[k].0.close(now, peer).unwrap();
                x.client_to_server(now, k, out_cap, &mut |_| {});
            }
        } else if roll < 12 && !w[0].seen.is_empty() {
            let j = rng.below(w[0].seen.len() as u64) as usize;
            for x in &mut w {
                let (a, d) = x.seen[j].clone();
                x.receive(now, &a, &d, out_cap).unwrap();
            }
        } else {
            let (flip, cut) = (rng.chance(8), rng.chance(3));
            let pos = rng.next() as usize;
            for x in &mut w {
                let peer = x.clients[k].2;
                x.clients[k]
                    .0
                    .send(now, peer, &vec![step as u8; len])
                    .unwrap();
                x.client_to_server(now, k, out_cap, &mut |d| {
                    if flip {
                        let i = pos % d.len();
                        d[i] ^= 0x20;
                    }
                    if cut {
                        d.truncate(pos % d.len());
                    }
                });
            }
        }
        // Errors: the same, and nothing changes.
        if rng.chance(3) {
            for x in &mut w {
                assert_eq!(x.receive(now, b"", b"\x40", 64), Err(Error::InvalidLength));
                if now > 0 {
                    assert_eq!(
                        x.receive(now - 1, b"a", b"\x40", 64),
                        Err(codes::TIME_WENT_BACKWARDS)
                    );
                }
            }
        }
        if rng.chance(30) {
            for x in &mut w {
                x.server.handle_timeout(now).unwrap();
                x.server_to_clients(now);
                x.poll();
            }
            assert_eq!(w[0].stream, w[1].stream, "step {step}");
        }
        assert_eq!(w[0].server.stats(), w[1].server.stats(), "step {step}");
        assert_eq!(w[0].server.next_deadline(), w[1].server.next_deadline());
    }
    for x in &mut w {
        x.poll();
    }
    assert_eq!(w[0].stream, w[1].stream);
    let s = w[0].server.stats();
    // The sequence did reach every case.
    assert!(s.dropped_invalid > 50, "{s:?}");
    assert!(
        w[0].stream
            .iter()
            .filter(|e| matches!(e, Ev::Closed(..)))
            .count()
            > 5
    );
    // Both paths ran: most messages directly, the others (events waiting, `out` too small)
    // through the queue.
    assert!(
        w[1].direct_data > 500 && w[1].queued_data > 100,
        "{} {}",
        w[1].direct_data,
        w[1].queued_data
    );
}

/// One server and its clients for `receive_batch_is_receive_in_order`: the server of side 0
/// gets its datagrams one `receive` at a time, that of side 1 in `receive_batch` calls.
struct Side {
    server: Endpoint,
    clients: Vec<(Endpoint, Vec<u8>, PeerId)>,
    stream: Vec<Ev>,
    /// The server's datagrams: (address, length), in order.
    sent: Vec<(Vec<u8>, usize)>,
}

impl Side {
    /// Every datagram the server queued goes to its client (whose events are dropped).
    fn server_to_clients(&mut self, now: u64) {
        while let Some(t) = self.server.poll_transmit() {
            let (addr, d) = (t.addr.to_vec(), t.data.to_vec());
            self.sent.push((addr.clone(), d.len()));
            if let Some((c, _, _)) = self.clients.iter_mut().find(|c| c.1 == addr) {
                c.receive(now, SERVER, &d).unwrap();
                events(c);
            }
        }
    }
}

/// `receive_batch` does what `receive` of each of its datagrams in order does: the same
/// events in the same order, the same counters, timers and datagrams to send, over batches
/// of 1 to 40 datagrams that mix data, keep-alives, closes (a peer's data after its close
/// in the same batch), new peers (the peer table grows in the middle of a batch), their
/// handshakes, replays, forgeries and datagrams from unknown addresses. A batch with one bad
/// address, or a time that went backwards, changes nothing.
#[test]
fn receive_batch_is_receive_in_order() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let mut cfg = EndpointConfig::default();
    cfg.set_max_pending_events(64).unwrap();
    let mut sides: Vec<Side> = (0..2)
        .map(|_| Side {
            server: Endpoint::new_server(server_config(&key), cfg.clone()).unwrap(),
            clients: Vec::new(),
            stream: Vec::new(),
            sent: Vec::new(),
        })
        .collect();
    let mut rng = session_support::Rng(0x0ba7_c4e5);
    let mut seen: Vec<(Vec<u8>, [Vec<u8>; 2])> = Vec::new();
    let mut now = 0u64;
    let mut batched = 0usize;
    for round in 0..400 {
        // The time of the server's last call (`now` of the previous round).
        let last = now;
        now += rng.below(40);
        // The batch of each side: (address, datagram), built by the same choices.
        let mut batch: [Vec<(Vec<u8>, Vec<u8>)>; 2] = [Vec::new(), Vec::new()];
        // What the clients queued since the last round (handshake messages) comes first.
        for (x, b) in sides.iter_mut().zip(&mut batch) {
            for (c, addr, _) in &mut x.clients {
                for d in take(c, SERVER) {
                    b.push((addr.clone(), d));
                }
            }
        }
        let size = 1 + rng.below(40) as usize;
        while batch[0].len() < size {
            let live: Vec<usize> = (0..sides[0].clients.len())
                .filter(|&k| {
                    let (c, _, peer) = &sides[0].clients[k];
                    c.peer_state(*peer) == Ok(PeerState::Connected)
                })
                .collect();
            let roll = rng.below(100);
            let room = sides[0].clients.len() < 150;
            if room && (roll < 8 || live.is_empty()) {
                // A new client: its ClientHello.
                for (x, b) in sides.iter_mut().zip(&mut batch) {
                    let addr = format!("client:{}", x.clients.len()).into_bytes();
                    let mut c =
                        Endpoint::new_client(pinned(&key), EndpointConfig::default()).unwrap();
                    let peer = c.connect(now, SERVER).unwrap();
                    for d in take(&mut c, SERVER) {
                        b.push((addr.clone(), d));
                    }
                    x.clients.push((c, addr, peer));
                }
            } else if roll < 14 || live.is_empty() {
                // A datagram from an unknown address (sometimes shaped as a ClientHello).
                let addr = format!("stray:{}", rng.below(1000)).into_bytes();
                let mut d = vec![0u8; rng.below(300) as usize];
                d.iter_mut().for_each(|b| *b = rng.next() as u8);
                if let (Some(first), true) = (d.first_mut(), rng.chance(50)) {
                    *first = 0x01;
                }
                for b in &mut batch {
                    b.push((addr.clone(), d.clone()));
                }
            } else if roll < 20 && !seen.is_empty() {
                // A replay of an earlier datagram.
                let (addr, d) = &seen[rng.below(seen.len() as u64) as usize];
                for (k, b) in batch.iter_mut().enumerate() {
                    b.push((addr.clone(), d[k].clone()));
                }
            } else {
                let k = live[rng.below(live.len() as u64) as usize];
                let (close, flip) = (roll < 23, rng.chance(10));
                let len = rng.below(200) as usize;
                let pos = rng.next() as usize;
                for (x, b) in sides.iter_mut().zip(&mut batch) {
                    let (c, addr, peer) = &mut x.clients[k];
                    if close {
                        c.close(now, *peer).unwrap();
                    } else {
                        c.send(now, *peer, &vec![round as u8; len]).unwrap();
                    }
                    for mut d in take(c, SERVER) {
                        if flip {
                            let i = pos % d.len();
                            d[i] ^= 4;
                        }
                        b.push((addr.clone(), d));
                    }
                }
            }
        }
        assert_eq!(batch[0].len(), batch[1].len());
        for ((a0, d0), (a1, d1)) in batch[0].iter().zip(&batch[1]) {
            assert_eq!(a0, a1);
            if rng.chance(5) {
                seen.push((a0.clone(), [d0.clone(), d1.clone()]));
            }
        }
        // Bad arguments: an error, and nothing changes.
        let before = (sides[1].server.stats(), sides[1].server.next_deadline());
        let good: Vec<Datagram> = batch[1]
            .iter()
            .map(|(a, d)| Datagram { addr: a, data: d })
            .collect();
        let mut bad = good.clone();
        let at = rng.below(bad.len() as u64) as usize;
        let long = [7u8; 200];
        bad[at].addr = if rng.chance(50) { &[] } else { &long[..] };
        assert_eq!(
            sides[1].server.receive_batch(now, &bad),
            Err(Error::InvalidLength)
        );
        if let Some(earlier) = last.checked_sub(1) {
            assert_eq!(
                sides[1].server.receive_batch(earlier, &good),
                Err(codes::TIME_WENT_BACKWARDS)
            );
        }
        assert_eq!(
            before,
            (sides[1].server.stats(), sides[1].server.next_deadline())
        );
        // The same datagrams: one by one, and as one batch.
        for (a, d) in &batch[0] {
            sides[0].server.receive(now, a, d).unwrap();
        }
        sides[1].server.receive_batch(now, &good).unwrap();
        batched += good.len();
        for x in &mut sides {
            x.server.handle_timeout(now).unwrap();
            x.server_to_clients(now);
            let mut e = events(&mut x.server);
            x.stream.append(&mut e);
        }
        assert_eq!(sides[0].stream, sides[1].stream, "round {round}");
        assert_eq!(sides[0].sent, sides[1].sent, "round {round}");
        assert_eq!(
            sides[0].server.stats(),
            sides[1].server.stats(),
            "round {round}"
        );
        assert_eq!(
            sides[0].server.next_deadline(),
            sides[1].server.next_deadline()
        );
    }
    // The sequence reached every case.
    let s = sides[0].server.stats();
    let count = |f: fn(&Ev) -> bool| sides[0].stream.iter().filter(|e| f(e)).count();
    assert!(count(|e| matches!(e, Ev::Connected(..))) > 100, "{s:?}");
    assert!(count(|e| matches!(e, Ev::Data(..))) > 2000, "{s:?}");
    assert!(count(|e| matches!(e, Ev::Closed(..))) > 20, "{s:?}");
    assert!(s.dropped_invalid > 50 && s.dropped_stray > 50, "{s:?}");
    assert!(batched > 6000, "{batched}");
}
