//! The endpoint's receive path (docs/ENDPOINT.md): a client endpoint and a server endpoint
//! exchange honest datagrams while the fuzzer injects its own (arbitrary bytes, edited or
//! replayed honest ones) from chosen addresses, moves the clock and sends data.
//!
//! Input: a byte choosing the pair (bits 0-1: classic P-256, classic Ed25519, or the same with
//! retry cookies; bit 2: the server takes honest datagrams with `receive_batch`, all those
//! to it at the front of the flight queue in one call, with a byte choosing whether a
//! fuzzer datagram from another address goes in among them, and where), then operations. Each operation byte: bits 0-2 = the operation: 0 deliver
//! the oldest honest datagram in flight; 1 drop it (loss); 2 inject fuzzer bytes; 3 inject an
//! edited copy of an honest datagram seen earlier; 4 replay an honest datagram seen earlier;
//! 5 advance the clock by a fuzzer amount and run the timers; 6 send a message (either side);
//! 7 close (either side). Bit 3 picks the side an injection goes to; bits 4-5 the address it
//! comes from (0: the honest peer's own address, 1-3: other addresses).
//!
//! Checked: no call panics; `receive`, `receive_batch` and `handle_timeout` with a valid address and a clock
//! that does not go backwards always return Ok; every `Data` event carries a message the
//! other side sent, at most once; every peer gets at most one `Closed`; nothing the fuzzer
//! injects from an address other than the honest peer's ends the connection on either side
//! (no `Closed`, the client's peer stays); `Connected` precedes `Data`.
#![no_main]

use gamecrypt::endpoint::{Datagram, Endpoint, EndpointConfig, Event, PeerId};
use gamecrypt_fuzz::fixtures;
use gamecrypt_fuzz::mutate::apply_edits;
use gamecrypt_fuzz::Input;
use libfuzzer_sys::fuzz_target;
use std::collections::{HashSet, VecDeque};

const CLIENT: &[u8] = b"client";
const SERVER: &[u8] = b"server";
const OTHERS: [&[u8]; 3] = [b"stranger-1", b"stranger-2", b"a-third-one"];

struct Side {
    ep: Endpoint,
    /// Messages this side sent (each one distinct: it carries a counter).
    sent: HashSet<Vec<u8>>,
    /// Messages it received.
    got: HashSet<Vec<u8>>,
    connected: HashSet<PeerId>,
    closed: HashSet<PeerId>,
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let f = fixtures::get();
    let choice = input.u8();
    // Classic pairs without client authentication: P-256 (6, 6) and Ed25519 (7, 7).
    let (ci, si) = if choice & 1 == 0 { (6, 6) } else { (7, 7) };
    let mut server_config = f.servers[si].config.clone();
    if choice & 2 != 0 {
        let key = f.servers[si].key.clone();
        server_config = gamecrypt::session::ServerConfig::builder(key)
            .unwrap()
            .suites(&f.servers[si].suites)
            .unwrap()
            .retry(10)
            .unwrap()
            .build();
    }
    let batch = choice & 4 != 0;
    let settings = EndpointConfig::default();
    let mut client = Side {
        ep: Endpoint::new_client(f.clients[ci].config.clone(), settings.clone()).unwrap(),
        sent: HashSet::new(),
        got: HashSet::new(),
        connected: HashSet::new(),
        closed: HashSet::new(),
    };
    let mut server = Side {
        ep: Endpoint::new_server(server_config, settings).unwrap(),
        sent: HashSet::new(),
        got: HashSet::new(),
        connected: HashSet::new(),
        closed: HashSet::new(),
    };
    let mut now = 0u64;
    let cpeer = client.ep.connect(now, SERVER).unwrap();
    // In flight: (to the server?, bytes). Seen: every honest datagram.
    let mut flight: VecDeque<(bool, Vec<u8>)> = VecDeque::new();
    let mut seen: Vec<(bool, Vec<u8>)> = Vec::new();
    let mut counter = 0u32;

    let drain = |side: &mut Side,
                 to_server: bool,
                 flight: &mut VecDeque<(bool, Vec<u8>)>,
                 seen: &mut Vec<(bool, Vec<u8>)>| {
        while let Some(t) = side.ep.poll_transmit() {
            if !to_server && t.addr != CLIENT {
                // The server answers a stranger's ClientHello (a new handshake): not ours.
                assert!(OTHERS.contains(&t.addr));
                continue;
            }
            assert_eq!(t.addr, if to_server { SERVER } else { CLIENT });
            flight.push_back((to_server, t.data.to_vec()));
            if seen.len() < 64 {
                seen.push((to_server, t.data.to_vec()));
            }
        }
    };
    let events = |side: &mut Side, other_sent: &HashSet<Vec<u8>>| {
        while let Some(e) = side.ep.poll_event() {
            match e {
                Event::Connected { peer, .. } => {
                    assert!(side.connected.insert(peer));
                }
                Event::Data { peer, data } => {
                    assert!(side.connected.contains(&peer) && !side.closed.contains(&peer));
                    assert!(other_sent.contains(data), "a message nobody sent");
                    assert!(side.got.insert(data.to_vec()), "delivered twice");
                }
                Event::ClientCredentials { .. } => panic!("no client authentication here"),
                Event::Closed { peer, .. } => {
                    assert!(side.closed.insert(peer), "closed twice");
                }
            }
        }
    };

    drain(&mut client, true, &mut flight, &mut seen);
    while !input.is_empty() {
        let op = input.u8();
        let to_server = op & 8 != 0;
        let from_own = (op >> 4) & 3 == 0;
        let from: &[u8] = if from_own {
            if to_server {
                CLIENT
            } else {
                SERVER
            }
        } else {
            OTHERS[((op >> 4) & 3) as usize - 1]
        };
        let client_peers_before = client.ep.peer_count();
        let closed_before = (client.closed.len(), server.closed.len());
        let mut injected_other = false;
        match op & 7 {
            0 if batch && flight.front().is_some_and(|f| f.0) => {
                let mut list = Vec::new();
                while flight.front().is_some_and(|f| f.0) {
                    list.extend(flight.pop_front().map(|f| (CLIENT, f.1)));
                }
                // A stranger's datagram among the honest ones (other addresses, other tags).
                let mix = input.u8();
                if mix & 1 != 0 {
                    let at = (mix >> 3) as usize % (list.len() + 1);
                    let from = OTHERS[((mix >> 1) & 3) as usize % OTHERS.len()];
                    list.insert(at, (from, input.short_bytes().to_vec()));
                }
                let datagrams: Vec<Datagram> = list
                    .iter()
                    .map(|(addr, d)| Datagram { addr, data: d })
                    .collect();
                server.ep.receive_batch(now, &datagrams).unwrap();
            }
            0 => {
                if let Some((to_s, d)) = flight.pop_front() {
                    if to_s {
                        server.ep.receive(now, CLIENT, &d).unwrap();
                    } else {
                        client.ep.receive(now, SERVER, &d).unwrap();
                    }
                }
            }
            1 => {
                flight.pop_front();
            }
            2..=4 => {
                let bytes = match op & 7 {
                    2 => input.short_bytes().to_vec(),
                    _ if seen.is_empty() => Vec::new(),
                    k => {
                        let i = input.u8() as usize % seen.len();
                        let mut d = seen[i].1.clone();
                        if k == 3 {
                            apply_edits(&mut d, &mut input);
                        }
                        d
                    }
                };
                if bytes.is_empty() && op & 7 != 2 {
                    continue;
                }
                injected_other = !from_own;
                let target = if to_server { &mut server } else { &mut client };
                target.ep.receive(now, from, &bytes).unwrap();
            }
            5 => {
                now += u64::from(input.u16());
                client.ep.handle_timeout(now).unwrap();
                server.ep.handle_timeout(now).unwrap();
            }
            6 => {
                counter += 1;
                let msg = counter.to_be_bytes().repeat(1 + (input.u8() % 8) as usize);
                let side = if to_server { &mut client } else { &mut server };
                let peer = if to_server {
                    Some(cpeer)
                } else {
                    side.connected.iter().next().copied()
                };
                if let Some(p) = peer {
                    if side.ep.send(now, p, &msg).is_ok() {
                        side.sent.insert(msg);
                    }
                }
            }
            _ => {
                let side = if to_server { &mut client } else { &mut server };
                let peer = if to_server {
                    Some(cpeer)
                } else {
                    side.connected.iter().next().copied()
                };
                if let Some(p) = peer {
                    let _ = side.ep.close(now, p);
                }
            }
        }
        drain(&mut client, true, &mut flight, &mut seen);
        drain(&mut server, false, &mut flight, &mut seen);
        let (server_sent, client_sent) = (server.sent.clone(), client.sent.clone());
        events(&mut client, &server_sent);
        events(&mut server, &client_sent);
        if injected_other {
            // Datagrams from strangers never end the honest peers (a stranger's own server
            // handshake, never announced, may start or end).
            assert_eq!(closed_before, (client.closed.len(), server.closed.len()));
            assert_eq!(client_peers_before, client.ep.peer_count());
        }
        assert!(server.ep.peer_count() <= EndpointConfig::default().max_peers());
    }
});
