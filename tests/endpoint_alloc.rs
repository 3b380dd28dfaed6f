//! Once peers are connected and the queues have grown to their working size, the endpoint's
//! steady state (send, receive, poll_transmit, poll_event, keep-alive timers) never
//! allocates, with `receive`, with `receive_into` and with `receive_batch`.

mod session_support;

use gamecrypt::endpoint::{Datagram, Endpoint, EndpointConfig, Event};
use gamecrypt::keys::{KeyType, SigningKey};
use session_support::{pinned, server_config};

mod alloc_support;
use alloc_support::count_allocations;

/// How `shuttle` gives datagrams to the receiving endpoint.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Path {
    Receive,
    Into,
    Batch,
}

/// Moves every queued datagram from `from` to `to` through stack buffers (given with
/// `receive`, `receive_into` or one `receive_batch`); returns the number of bytes of
/// messages `to` gave (`receive_into` and `Data` events).
fn shuttle(
    now: u64,
    from: &mut Endpoint,
    from_addr: &[u8],
    to: &mut Endpoint,
    path: Path,
) -> usize {
    const MAX: usize = 8;
    let mut bufs = [[0u8; 2048]; MAX];
    let mut lens = [0usize; MAX];
    let mut count = 0;
    let mut out = [0u8; 2048];
    let mut got = 0;
    while let Some(t) = from.poll_transmit() {
        let n = t.data.len();
        let buf = &mut bufs[count % MAX];
        buf[..n].copy_from_slice(t.data);
        match path {
            Path::Into => {
                if let Some((_, m)) = to
                    .receive_into(now, from_addr, &buf[..n], &mut out)
                    .unwrap()
                {
                    got += m;
                }
            }
            Path::Receive => to.receive(now, from_addr, &buf[..n]).unwrap(),
            Path::Batch => {
                assert!(count < MAX, "more datagrams than the batch holds");
                lens[count] = n;
                count += 1;
            }
        }
    }
    if path == Path::Batch {
        let mut batch = [Datagram {
            addr: &[],
            data: &[],
        }; MAX];
        for (d, (buf, &n)) in batch.iter_mut().zip(bufs.iter().zip(&lens)) {
            *d = Datagram {
                addr: from_addr,
                data: &buf[..n],
            };
        }
        to.receive_batch(now, &batch[..count]).unwrap();
    }
    while let Some(e) = to.poll_event() {
        match e {
            // `receive_into` opens every message itself: the queue is empty each time.
            Event::Data { data, .. } if path != Path::Into => got += data.len(),
            other => panic!("unexpected event {other:?}"),
        }
    }
    got
}

#[test]
fn steady_state_does_not_allocate() {
    assert_eq!(
        count_allocations(|| drop(std::hint::black_box(vec![1u8; 10]))),
        1
    );
    for (kt, path) in [
        (KeyType::EcdsaP256, Path::Receive),
        (KeyType::Ed25519, Path::Receive),
        (KeyType::Ed25519, Path::Into),
        (KeyType::Ed25519, Path::Batch),
    ] {
        let key = SigningKey::generate(kt).unwrap();
        let cfg = EndpointConfig::default();
        let mut client = Endpoint::new_client(pinned(&key), cfg.clone()).unwrap();
        let mut server = Endpoint::new_server(server_config(&key), cfg).unwrap();
        let (c_addr, s_addr) = (b"client".as_slice(), b"server".as_slice());
        let cpeer = client.connect(0, s_addr).unwrap();
        let mut speer = None;
        for _ in 0..3 {
            let mut buf = [0u8; 4096];
            while let Some(t) = client.poll_transmit() {
                let n = t.data.len();
                buf[..n].copy_from_slice(t.data);
                server.receive(0, c_addr, &buf[..n]).unwrap();
            }
            while let Some(t) = server.poll_transmit() {
                let n = t.data.len();
                buf[..n].copy_from_slice(t.data);
                client.receive(0, s_addr, &buf[..n]).unwrap();
            }
            while let Some(e) = server.poll_event() {
                if let Event::Connected { peer, .. } = e {
                    speer = Some(peer);
                }
            }
            while client.poll_event().is_some() {}
        }
        let speer = speer.expect("connected");
        let msg = [0x5au8; 1200];
        // The server answers every 8th round only, so its keep-alive timer fires in between.
        let round = |now: u64, client: &mut Endpoint, server: &mut Endpoint| {
            client.send(now, cpeer, &msg).unwrap();
            client.send(now, cpeer, &msg[..64]).unwrap();
            // Six datagrams a round: more than `receive_batch` looks ahead (its prefetches of
            // the datagrams 2 and 4 places on run too).
            for _ in 0..4 {
                client.send(now, cpeer, &msg[..16]).unwrap();
            }
            assert_eq!(shuttle(now, client, c_addr, server, path), 1328);
            if now % 2400 == 1 {
                server.send(now, speer, &msg[..100]).unwrap();
                assert_eq!(shuttle(now, server, s_addr, client, path), 100);
            }
            client.handle_timeout(now).unwrap();
            server.handle_timeout(now).unwrap();
            shuttle(now, client, c_addr, server, path);
            shuttle(now, server, s_addr, client, path);
        };
        // Warm-up: the queues and the timer heap reach their working size.
        let mut now = 1;
        for _ in 0..100 {
            round(now, &mut client, &mut server);
            now += 300; // keep-alive timers come due now and then
        }
        let allocs = count_allocations(|| {
            for _ in 0..2_000 {
                round(now, &mut client, &mut server);
                now += 300;
            }
        });
        assert_eq!(allocs, 0, "{kt:?} {path:?}");
        assert!(server.stats().keepalives_sent > 200, "{:?}", server.stats());
    }
}
