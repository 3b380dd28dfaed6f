//! Benchmark of the connection endpoint (docs/ENDPOINT.md): `cargo bench --bench endpoint`.
//! It prints figures and never fails on speed.
//!
//! 1. Memory: heap bytes per peer of a server endpoint holding `GAMECRYPT_BENCH_PEERS`
//!    (10,000) connected peers (session plus endpoint bookkeeping: peer table, timer heap,
//!    queues), measured as the heap that dropping the endpoint returns (glibc `mallinfo2`,
//!    which sees Rust and C allocations alike), divided by the number of peers.
//! 2. Datagrams per second through that server endpoint against the bare session, 64 and
//!    1200-byte messages, both AEADs:
//!    - in: `receive` of a sealed data packet from a random one of the peers (address
//!      look-up, open into the event queue) plus `poll_event`, against a bare
//!      `Session::open` of the same kind of packet;
//!    - in, direct: the same with `receive_into` (the message opened straight into the
//!      caller's buffer, the events still polled after it);
//!    - in, batch: the same datagrams given 32 at a time to `receive_batch` (which prefetches
//!      the table entries and peers of the datagrams after the one it processes), then
//!      `poll_event`;
//!    - out: `send` to a random peer plus `poll_transmit`, against a bare `Session::seal`.
//!
//!    The packets for the "in" direction are sealed by the clients before each timed batch.
//!    Batches of both paths are interleaved; the figure is the median batch.
//! 3. With `-- --callgrind` (valgrind installed; `-- --callgrind-only` skips 1 and 2): the same paths run once under
//!    `valgrind --tool=callgrind` with `GAMECRYPT_BENCH_CG_PEERS` (200) peers, and the
//!    instructions per datagram are printed (stable on a shared machine).
//!
//! Without `--bench` (e.g. `cargo test --all-targets`) it runs a tiny smoke pass.

use gamecrypt::endpoint::{Datagram, Endpoint, EndpointConfig, Event, PeerId};
use gamecrypt::session::{Mode, Session, Suite};
use std::hint::black_box;
use std::time::Instant;

// The one definition of a test session pair, its configurations and the seeded PRNG.
#[path = "../tests/session_support/mod.rs"]
mod session_support;
use session_support::{established_suite, handshake, suite_configs, Rng};

fn heap_in_use() -> usize {
    // SAFETY: mallinfo2 only reads glibc's allocator statistics.
    let m = unsafe { libc::mallinfo2() };
    // Bytes in chunks in use plus large blocks that malloc took straight from mmap.
    m.uordblks + m.hblkhd
}

fn addr(i: usize) -> Vec<u8> {
    // A sockaddr_in-sized address, as a C application would give.
    let mut a = vec![2u8, 0, 0x1f, 0x90, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    a[4..8].copy_from_slice(&(0x0a00_0000u32 + i as u32).to_be_bytes());
    a
}

/// A server endpoint with `n` connected peers and the client session of each.
struct World {
    server: Endpoint,
    clients: Vec<Session>,
    peers: Vec<PeerId>,
    addrs: Vec<Vec<u8>>,
    now: u64,
}

fn world(suite: Suite, n: usize) -> World {
    let (sc, cc) = suite_configs(suite);
    let mut settings = EndpointConfig::default();
    settings.set_max_peers(n).unwrap();
    settings.set_max_handshakes(n).unwrap();
    settings.set_idle_timeout_ms(3_600_000).unwrap();
    let mut server = Endpoint::new_server(sc, settings).unwrap();
    let mut clients = Vec::with_capacity(n);
    let mut peers = Vec::with_capacity(n);
    let addrs: Vec<Vec<u8>> = (0..n).map(addr).collect();
    let mut buf = vec![0u8; 4096];
    for a in &addrs {
        let c = Session::new_client(cc.clone(), Mode::Datagram).unwrap();
        let len = c.write_handshake(&mut buf).unwrap();
        server.receive(0, a, &buf[..len]).unwrap();
        let sh = server.poll_transmit().unwrap().data.to_vec();
        c.read_handshake(&sh).unwrap();
        let len = c.write_handshake(&mut buf).unwrap();
        server.receive(0, a, &buf[..len]).unwrap();
        let confirm = server.poll_transmit().unwrap().data.to_vec();
        c.open(&confirm, &mut buf).unwrap();
        match server.poll_event() {
            Some(Event::Connected { peer, .. }) => peers.push(peer),
            other => panic!("{other:?}"),
        }
        clients.push(c);
    }
    World {
        server,
        clients,
        peers,
        addrs,
        now: 0,
    }
}

/// `n` bare established session pairs: (clients, servers).
fn bare_world(suite: Suite, n: usize) -> (Vec<Session>, Vec<Session>) {
    let (sc, cc) = suite_configs(suite);
    (0..n)
        .map(|_| {
            let c = Session::new_client(cc.clone(), Mode::Datagram).unwrap();
            let s = Session::new_server(sc.clone(), Mode::Datagram);
            handshake(&c, &s);
            (c, s)
        })
        .unzip()
}

#[inline(never)]
fn bare_open_many(servers: &[Session], packets: &[(usize, Vec<u8>)], out: &mut [u8]) -> usize {
    let mut total = 0;
    for (i, p) in packets {
        total += servers[*i].open(p, out).unwrap();
    }
    total
}

/// As `bare_open_many`, with the application's own look-up of the session by address (what
/// a server without the endpoint does for every datagram).
#[inline(never)]
fn bare_open_lookup(
    servers: &[Session],
    by_addr: &std::collections::HashMap<Vec<u8>, usize>,
    addrs: &[Vec<u8>],
    packets: &[(usize, Vec<u8>)],
    out: &mut [u8],
) -> usize {
    let mut total = 0;
    for (i, p) in packets {
        let s = by_addr[addrs[*i].as_slice()];
        total += servers[s].open(p, out).unwrap();
    }
    total
}

#[inline(never)]
fn bare_seal_many(servers: &[Session], targets: &[usize], msg: &[u8], out: &mut [u8]) -> usize {
    let mut total = 0;
    for i in targets {
        total += servers[*i].seal(msg, out).unwrap();
        black_box(&out[..]);
    }
    total
}

#[inline(never)]
fn bare_open(server: &Session, packets: &[Vec<u8>], out: &mut [u8]) -> usize {
    let mut total = 0;
    for p in packets {
        total += server.open(p, out).unwrap();
    }
    total
}

#[inline(never)]
fn bare_seal(server: &Session, count: usize, msg: &[u8], out: &mut [u8]) -> usize {
    let mut total = 0;
    for _ in 0..count {
        total += server.seal(msg, out).unwrap();
        black_box(&out[..]);
    }
    total
}

#[inline(never)]
fn endpoint_receive(w: &mut World, packets: &[(usize, Vec<u8>)]) -> usize {
    let mut total = 0;
    for (i, p) in packets {
        w.server.receive(w.now, &w.addrs[*i], p).unwrap();
        while let Some(e) = w.server.poll_event() {
            if let Event::Data { data, .. } = e {
                total += black_box(data).len();
            }
        }
    }
    total
}

#[inline(never)]
fn endpoint_receive_into(w: &mut World, packets: &[(usize, Vec<u8>)], out: &mut [u8]) -> usize {
    let mut total = 0;
    for (i, p) in packets {
        if let Some((_, n)) = w.server.receive_into(w.now, &w.addrs[*i], p, out).unwrap() {
            total += black_box(&out[..n]).len();
        }
        while let Some(e) = w.server.poll_event() {
            if let Event::Data { data, .. } = e {
                total += black_box(data).len();
            }
        }
    }
    total
}

/// Datagrams per `receive_batch` call (as many as one `recvmmsg` call might return).
const RECV_BATCH: usize = 32;

#[inline(never)]
fn endpoint_receive_batch(w: &mut World, packets: &[(usize, Vec<u8>)]) -> usize {
    let mut total = 0;
    for chunk in packets.chunks(RECV_BATCH) {
        let mut datagrams = [Datagram {
            addr: &[],
            data: &[],
        }; RECV_BATCH];
        for (d, (i, p)) in datagrams.iter_mut().zip(chunk) {
            *d = Datagram {
                addr: &w.addrs[*i],
                data: p,
            };
        }
        w.server
            .receive_batch(w.now, &datagrams[..chunk.len()])
            .unwrap();
        while let Some(e) = w.server.poll_event() {
            if let Event::Data { data, .. } = e {
                total += black_box(data).len();
            }
        }
    }
    total
}

#[inline(never)]
fn endpoint_send(w: &mut World, targets: &[usize], msg: &[u8]) -> usize {
    let mut total = 0;
    for i in targets {
        w.server.send(w.now, w.peers[*i], msg).unwrap();
        while let Some(t) = w.server.poll_transmit() {
            total += black_box(t.data).len();
        }
    }
    total
}

/// Packets from random clients of the world (sealed outside the timed code).
fn inbound(w: &World, rng: &mut Rng, count: usize, msg: &[u8]) -> Vec<(usize, Vec<u8>)> {
    (0..count)
        .map(|_| {
            let i = (rng.next() % w.clients.len() as u64) as usize;
            let mut p = vec![0u8; msg.len() + 24];
            w.clients[i].seal(msg, &mut p).unwrap();
            (i, p)
        })
        .collect()
}

/// Keeps both directions of the bare pair confirmed (the automatic key update needs a packet
/// from the peer under the current keys).
fn exchange(c: &Session, s: &Session) {
    let mut p = [0u8; 64];
    let mut o = [0u8; 64];
    let n = c.seal(&[], &mut p).unwrap();
    s.open(&p[..n], &mut o).unwrap();
    let n = s.seal(&[], &mut p).unwrap();
    c.open(&p[..n], &mut o).unwrap();
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!(
        "{model}; load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}

const SUITES: [(Suite, &str); 2] = [
    (Suite::P256EcdsaAes256GcmSha256, "AES-256-GCM"),
    (
        Suite::X25519Ed25519ChaCha20Poly1305Sha256,
        "ChaCha20-Poly1305",
    ),
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn memory(peers: usize) {
    println!("\n## Memory per peer (server endpoint, {peers} connected peers)\n");
    println!("| suite | bytes per peer | a bare server session | limit |");
    println!("|---|---|---|---|");
    for (suite, name) in SUITES {
        let w = world(suite, peers);
        let World {
            server, clients, ..
        } = w;
        let before = heap_in_use();
        drop(server);
        let per_peer = (before - heap_in_use()) as f64 / peers as f64;
        drop(clients);
        // The bare server sessions alone, measured the same way.
        let (clients, servers) = bare_world(suite, peers);
        let before = heap_in_use();
        drop(servers);
        let per_session = (before - heap_in_use()) as f64 / peers as f64;
        drop(clients);
        println!("| {name} | {per_peer:.0} B | {per_session:.0} B | 2560 B |");
    }
}

fn throughput(peers: usize, batch: usize, rounds: usize) {
    println!("\n## Datagrams per second: server endpoint with {peers} peers vs the bare session\n");
    println!("Columns: one hot bare session (the same session every time); {peers} bare sessions");
    println!("picked in the same random order as the endpoint's peers (the same cache misses);");
    println!("the same with the application's own HashMap from address to session (receive");
    println!("only: what a server without the endpoint does per datagram); the endpoint.");
    println!("Percentages: endpoint / each of the three.\n");
    println!("| suite | message | direction | one session/s | {peers} sessions/s | + address map/s | endpoint/s | vs one | vs {peers} | vs + map |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut rng = Rng(7);
    for (suite, name) in SUITES {
        let mut w = world(suite, peers);
        let (bare_clients, bare_servers) = bare_world(suite, peers);
        let by_addr: std::collections::HashMap<Vec<u8>, usize> = w
            .addrs
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, a)| (a, i))
            .collect();
        let (c, s) = established_suite(suite, Mode::Datagram);
        for size in [64usize, 1200] {
            let msg = vec![0x42u8; size];
            let mut out = vec![0u8; size + 24];
            let mut rates = [(); 9].map(|_| Vec::new());
            for _ in 0..rounds {
                let rate = |t: Instant| batch as f64 / t.elapsed().as_secs_f64();
                // in: one session, many sessions, the endpoint
                let one: Vec<Vec<u8>> = (0..batch)
                    .map(|_| {
                        let mut p = vec![0u8; size + 24];
                        c.seal(&msg, &mut p).unwrap();
                        p
                    })
                    .collect();
                let t = Instant::now();
                black_box(bare_open(&s, &one, &mut out));
                rates[0].push(rate(t));
                let many: Vec<(usize, Vec<u8>)> = (0..batch)
                    .map(|_| {
                        let i = (rng.next() % peers as u64) as usize;
                        let mut p = vec![0u8; size + 24];
                        bare_clients[i].seal(&msg, &mut p).unwrap();
                        (i, p)
                    })
                    .collect();
                let t = Instant::now();
                black_box(bare_open_many(&bare_servers, &many, &mut out));
                rates[1].push(rate(t));
                let many: Vec<(usize, Vec<u8>)> = (0..batch)
                    .map(|_| {
                        let i = (rng.next() % peers as u64) as usize;
                        let mut p = vec![0u8; size + 24];
                        bare_clients[i].seal(&msg, &mut p).unwrap();
                        (i, p)
                    })
                    .collect();
                let t = Instant::now();
                black_box(bare_open_lookup(
                    &bare_servers,
                    &by_addr,
                    &w.addrs,
                    &many,
                    &mut out,
                ));
                rates[6].push(rate(t));
                let packets = inbound(&w, &mut rng, batch, &msg);
                let t = Instant::now();
                black_box(endpoint_receive(&mut w, &packets));
                rates[2].push(rate(t));
                let packets = inbound(&w, &mut rng, batch, &msg);
                let t = Instant::now();
                black_box(endpoint_receive_into(&mut w, &packets, &mut out));
                rates[7].push(rate(t));
                let packets = inbound(&w, &mut rng, batch, &msg);
                let t = Instant::now();
                black_box(endpoint_receive_batch(&mut w, &packets));
                rates[8].push(rate(t));
                // out
                let targets: Vec<usize> = (0..batch)
                    .map(|_| (rng.next() % peers as u64) as usize)
                    .collect();
                let t = Instant::now();
                black_box(bare_seal(&s, batch, &msg, &mut out));
                rates[3].push(rate(t));
                let t = Instant::now();
                black_box(bare_seal_many(&bare_servers, &targets, &msg, &mut out));
                rates[4].push(rate(t));
                let t = Instant::now();
                black_box(endpoint_send(&mut w, &targets, &msg));
                rates[5].push(rate(t));
                exchange(&c, &s);
            }
            let r = rates.map(median);
            // The receive paths against the three bare columns (one, many, many + map).
            for (path, e) in [
                ("receive".to_string(), r[2]),
                ("receive_into".to_string(), r[7]),
                (format!("receive_batch of {RECV_BATCH}"), r[8]),
            ] {
                println!(
                    "| {name} | {size} B | in (open / {path}) | {:.0} | {:.0} | {:.0} | {e:.0} | {:.1}% | {:.1}% | {:.1}% |",
                    r[0],
                    r[1],
                    r[6],
                    100.0 * e / r[0],
                    100.0 * e / r[1],
                    100.0 * e / r[6]
                );
            }
            println!(
                "| {name} | {size} B | out (seal / send) | {:.0} | {:.0} | - | {:.0} | {:.1}% | {:.1}% | - |",
                r[3],
                r[4],
                r[5],
                100.0 * r[5] / r[3],
                100.0 * r[5] / r[4]
            );
        }
    }
}

/// Runs under callgrind: one batch of each path per suite and size.
fn callgrind_child(peers: usize, batch: usize, suite_index: usize, size: usize) {
    let mut rng = Rng(9);
    {
        let suite = SUITES[suite_index % SUITES.len()].0;
        let mut w = world(suite, peers);
        let (c, s) = established_suite(suite, Mode::Datagram);
        {
            let msg = vec![0x42u8; size];
            let mut out = vec![0u8; size + 24];
            // Warm-up (queues and buffers at their working size), then the measured calls.
            for pass in 0..2 {
                let n = if pass == 0 { 64 } else { batch };
                let bare_packets: Vec<Vec<u8>> = (0..n)
                    .map(|_| {
                        let mut p = vec![0u8; size + 24];
                        c.seal(&msg, &mut p).unwrap();
                        p
                    })
                    .collect();
                let packets = inbound(&w, &mut rng, n, &msg);
                let targets: Vec<usize> = (0..n)
                    .map(|_| (rng.next() % peers as u64) as usize)
                    .collect();
                if pass == 0 {
                    bare_open(&s, &bare_packets, &mut out);
                    endpoint_receive(&mut w, &packets);
                    let packets = inbound(&w, &mut rng, n, &msg);
                    endpoint_receive_into(&mut w, &packets, &mut out);
                    let packets = inbound(&w, &mut rng, n, &msg);
                    endpoint_receive_batch(&mut w, &packets);
                    bare_seal(&s, n, &msg, &mut out);
                    endpoint_send(&mut w, &targets, &msg);
                } else {
                    measured_bare_open(&s, &bare_packets, &mut out, suite, size);
                    measured_endpoint_receive(&mut w, &packets, suite, size);
                    let packets = inbound(&w, &mut rng, n, &msg);
                    measured_endpoint_receive_into(&mut w, &packets, &mut out, suite, size);
                    let packets = inbound(&w, &mut rng, n, &msg);
                    measured_endpoint_receive_batch(&mut w, &packets, suite, size);
                    measured_bare_seal(&s, n, &msg, &mut out, suite, size);
                    measured_endpoint_send(&mut w, &targets, &msg, suite, size);
                }
            }
        }
    }
}

// One function per measured case, so that callgrind's inclusive cost of each is one figure.
macro_rules! measured {
    ($($name:ident($($arg:ident: $ty:ty),*) => $body:expr;)*) => {$(
        #[inline(never)]
        fn $name($($arg: $ty,)* suite: Suite, size: usize) -> usize {
            let tag = (suite as usize) * 10_000 + size;
            black_box(tag);
            black_box($body)
        }
    )*};
}

measured! {
    measured_bare_open(s: &Session, p: &[Vec<u8>], out: &mut [u8]) => bare_open(s, p, out);
    measured_endpoint_receive(w: &mut World, p: &[(usize, Vec<u8>)]) => endpoint_receive(w, p);
    measured_endpoint_receive_into(w: &mut World, p: &[(usize, Vec<u8>)], out: &mut [u8]) => endpoint_receive_into(w, p, out);
    measured_endpoint_receive_batch(w: &mut World, p: &[(usize, Vec<u8>)]) => endpoint_receive_batch(w, p);
    measured_bare_seal(s: &Session, n: usize, m: &[u8], out: &mut [u8]) => bare_seal(s, n, m, out);
    measured_endpoint_send(w: &mut World, t: &[usize], m: &[u8]) => endpoint_send(w, t, m);
}

fn callgrind(peers: usize, batch: usize) {
    println!(
        "\n## Instructions per datagram (callgrind, {peers} peers, {batch} datagrams per case)\n"
    );
    println!("| suite | message | in: open | in: receive + poll_event | bare / endpoint | in: receive_into | bare / receive_into | in: receive_batch of {RECV_BATCH} + poll_event | bare / receive_batch | out: seal | out: send + poll_transmit | bare / endpoint |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (si, (_, name)) in SUITES.iter().enumerate() {
        for size in [64usize, 1200] {
            match callgrind_case(peers, batch, si, size) {
                Some([bo, eo, bs, es, ei, eb]) => println!(
                    "| {name} | {size} B | {bo:.0} | {eo:.0} | {:.1}% | {ei:.0} | {:.1}% | {eb:.0} | {:.1}% | {bs:.0} | {es:.0} | {:.1}% |",
                    100.0 * bo / eo,
                    100.0 * bo / ei,
                    100.0 * bo / eb,
                    100.0 * bs / es
                ),
                None => {
                    println!("valgrind --tool=callgrind or callgrind_annotate is not available or failed");
                    return;
                }
            }
        }
    }
}

/// Instructions per datagram of the six measured functions in one callgrind run.
fn callgrind_case(peers: usize, batch: usize, suite: usize, size: usize) -> Option<[f64; 6]> {
    let exe = std::env::current_exe().ok()?;
    let dir = std::env::temp_dir().join(format!("gamecrypt-endpoint-cg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let out = dir.join("callgrind.out");
    let status = std::process::Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(&exe)
        .arg("--callgrind-child")
        .env("GAMECRYPT_BENCH_CG_PEERS", peers.to_string())
        .env("GAMECRYPT_BENCH_CG_BATCH", batch.to_string())
        .env("GAMECRYPT_BENCH_CG_SUITE", suite.to_string())
        .env("GAMECRYPT_BENCH_CG_SIZE", size.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    let annotate = std::process::Command::new("callgrind_annotate")
        .arg("--inclusive=yes")
        .arg("--threshold=100")
        .arg(&out)
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&annotate.stdout);
    let names = [
        "measured_bare_open",
        "measured_endpoint_receive",
        "measured_bare_seal",
        "measured_endpoint_send",
        "measured_endpoint_receive_into",
        "measured_endpoint_receive_batch",
    ];
    let mut ir = [0f64; 6];
    for line in text.lines() {
        for (k, f) in names.iter().enumerate() {
            // The line of the function itself, e.g. "17,038,752 (2.20%)  benches/endpoint.rs:endpoint::measured_endpoint_receive [...]".
            if line.contains(&format!("endpoint::{f} "))
                || line.ends_with(&format!("endpoint::{f}"))
            {
                let n: f64 = line
                    .split_whitespace()
                    .next()
                    .unwrap_or("0")
                    .replace(',', "")
                    .parse()
                    .unwrap_or(0.0);
                ir[k] = ir[k].max(n);
            }
        }
    }
    if ir.contains(&0.0) {
        return None;
    }
    Some(ir.map(|n| n / batch as f64))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--callgrind-child") {
        callgrind_child(
            env_usize("GAMECRYPT_BENCH_CG_PEERS", 200),
            env_usize("GAMECRYPT_BENCH_CG_BATCH", 2_000),
            env_usize("GAMECRYPT_BENCH_CG_SUITE", 0),
            env_usize("GAMECRYPT_BENCH_CG_SIZE", 64),
        );
        return;
    }
    let bench = args.iter().any(|a| a == "--bench");
    let (peers, batch, rounds) = if bench {
        (env_usize("GAMECRYPT_BENCH_PEERS", 10_000), 20_000, 9)
    } else {
        (50, 100, 1)
    };
    println!("# gamecrypt endpoint benchmark\n");
    println!("machine: {}", machine());
    if !args.iter().any(|a| a == "--callgrind-only") {
        memory(peers);
        throughput(peers, batch, rounds);
    }
    if args
        .iter()
        .any(|a| a == "--callgrind" || a == "--callgrind-only")
    {
        callgrind(env_usize("GAMECRYPT_BENCH_CG_PEERS", 200), 2_000);
    }
}
