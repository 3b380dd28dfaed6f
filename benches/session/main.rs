//! gamecrypt's benchmark harness for the secure session: `cargo bench --bench session`
//! (or `scripts/bench.sh`). It prints figures and never fails on speed.
//!
//! What it measures (method and interpretation are in `docs/PERFORMANCE.md`):
//! 1. seal and open through the C ABI (`gamecrypt_session_seal` / `gamecrypt_session_open`
//!    on an established datagram session pair) next to raw aws-lc-rs `LessSafeKey`
//!    `seal_in_place_separate_tag` / `open_in_place` with the same AEAD, sizes and an
//!    8-byte AAD, in the same run and interleaved batch by batch;
//! 2. heap allocations per steady-state seal and open (Rust and C heaps);
//! 3. heap bytes per established session (client and server) for every suite, with the
//!    client pinning the server key, then with a pinned fingerprint, client authentication
//!    and retry cookies; plus `size_of` figures;
//! 4. handshakes per second for every suite: server work only, full handshake, and the raw
//!    aws-lc-rs primitive cost of each side.
//!
//! Every configuration names its suite explicitly on both sides (the library's default
//! client offer puts the hybrid post-quantum suites first). The packet figures use the two
//! classic suites, one per AEAD: packet protection does not depend on the key exchange.
//!
//! Timing: each case runs in batches calibrated to about `GAMECRYPT_BENCH_BATCH_MS` (100) ms
//! of measured time; a round runs `GAMECRYPT_BENCH_BATCHES` (5) batches of every case of a
//! group, interleaved batch by batch; the figure is the median over
//! `GAMECRYPT_BENCH_ROUNDS` (3) rounds of each round's median.
//!
//! Heap accounting uses two counters that are switched on only outside timed code:
//! - a counting `#[global_allocator]` (every Rust allocation);
//! - an interposed C `malloc`/`free`/`calloc`/`realloc`/`posix_memalign`/`aligned_alloc`/
//!   `memalign` that forwards to glibc's `__libc_*` functions: it sees every heap block of the
//!   process, including those aws-lc allocates in C with `OPENSSL_malloc` (which calls
//!   `malloc`), such as the `EVP_AEAD_CTX` behind every `LessSafeKey`. The C share is the
//!   difference between the two.
//!
//! Without `--bench` (e.g. under `cargo test --all-targets`) it runs a few-second smoke pass
//! with tiny batches; its numbers mean nothing.

#[path = "../../tests/session_support/mod.rs"]
mod session_support;

use aws_lc_rs::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::{agreement, digest, hkdf, kem, rand, signature};
use gamecrypt::ffi::client_config::*;
use gamecrypt::ffi::gamecrypt_result;
use gamecrypt::ffi::keys::{
    gamecrypt_public_key_free, gamecrypt_public_key_from_spki_der, gamecrypt_signing_key_free,
    gamecrypt_signing_key_from_der,
};
use gamecrypt::ffi::server_config::*;
use gamecrypt::ffi::session::*;
use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{Mode, Session, Suite};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::os::raw::c_void;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

mod handshakes;
mod heap;
mod memory;
mod packets;
mod stats;

use handshakes::*;
use heap::*;
use memory::*;
use packets::*;
use stats::*;

// ---------------------------------------------------------------------------------------
// Report

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let cores = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let flags = cpuinfo
        .lines()
        .find(|l| l.starts_with("flags"))
        .map(|l| {
            let want = [
                "aes",
                "pclmulqdq",
                "avx2",
                "avx512f",
                "vaes",
                "vpclmulqdq",
                "sha_ni",
            ];
            l.split_whitespace()
                .filter(|f| want.contains(f))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    format!("{model}, {cores} logical CPUs; crypto flags: {flags}")
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 10_000.0 {
        format!("{:.1} us", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Prints and clears the per-table notes.
fn print_notes(notes: &mut Vec<String>) {
    if !notes.is_empty() {
        println!();
        for n in notes.drain(..) {
            println!("{n}");
        }
    }
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let s = Settings::from_env(bench);
    let started = Instant::now();
    println!("# gamecrypt session benchmark");
    if s.smoke {
        println!("(smoke pass without --bench: tiny batches, the figures mean nothing)");
    }
    println!("machine: {}", machine());
    println!("load average at start: {}", loadavg());
    if !C_HEAP_COUNTED {
        println!("note: not glibc: C heap blocks (aws-lc) are not counted on this platform");
    }
    println!(
        "method: batches of ~{} ms measured time, {} batches per case per round, {} interleaved rounds; \
         figure = median of round medians (best = fastest batch; spread = max/min round median)",
        s.batch.as_millis(),
        s.batches,
        s.rounds
    );
    println!(
        "max payload: {} bytes (16384-byte payloads are allowed)",
        GAMECRYPT_PACKET_MAX_PAYLOAD_LEN
    );

    let configs: Vec<(SuiteId, Configs)> =
        SuiteId::ALL.iter().map(|&x| (x, Configs::new(x))).collect();
    let sizes: &[usize] = &[64, 256, 1200, 16384];
    let mut notes: Vec<String> = Vec::new();

    if s.section('1') {
        // 1. Throughput.
        println!("\n## 1. Packet protection through the C ABI vs raw aws-lc-rs (datagram mode, 8-byte AAD)\n");
        println!(
        "ns per packet (median of round medians); % raw = raw time / gamecrypt time, median over \
         the back-to-back batch pairs (100% = as fast as raw aws-lc-rs); spread = largest \
         max/min round median of the row.\n"
    );
        println!("| AEAD | payload B | gc seal | raw seal | seal % raw | gc open | raw open | open % raw | gc seal MB/s | gc open MB/s | max spread |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (suite, cfg) in configs.iter().filter(|(x, _)| !x.hybrid()) {
            for &size in sizes {
                let mut gs = GcSeal::new(cfg, size);
                let mut rs = RawSeal {
                    key: raw_key(*suite),
                    buf: vec![0x5a; size],
                    ctr: 0,
                };
                let mut go = GcOpen::new(cfg, size);
                let mut ro = RawOpen::new(*suite, size);
                let g = measure(&s, &mut [&mut gs, &mut rs, &mut go, &mut ro]);
                let st = &g.stats;
                let mbps = |ns: f64| size as f64 / ns * 1e3;
                println!(
                "| {} | {} | {:.0} | {:.0} | {:.1}% | {:.0} | {:.0} | {:.1}% | {:.0} | {:.0} | {:.2} |",
                suite.aead_label(),
                size,
                st[0].median,
                st[1].median,
                g.paired_ratio(&[1], &[0]) * 100.0,
                st[2].median,
                st[3].median,
                g.paired_ratio(&[3], &[2]) * 100.0,
                mbps(st[0].median),
                mbps(st[2].median),
                g.spread()
            );
                notes.push(format!(
                "- {} {} B, fastest batch: gc seal {:.0}, raw seal {:.0}, gc open {:.0}, raw open {:.0} ns",
                suite.aead_label(),
                size,
                st[0].best,
                st[1].best,
                st[2].best,
                st[3].best
            ));
            }
        }
        print_notes(&mut notes);

        // 1b. Where the per-packet overhead goes. Fewer batches: these are differences of
        // figures already shown above.
        let bs = Settings {
            batches: s.batches.min(3),
            ..s.clone()
        };
        println!("\n### Where the per-packet time goes: C ABI vs safe Rust API vs raw aws-lc-rs\n");
        println!(
            "raw+copy = raw seal preceded by the plaintext copy into the packet buffer, as \
             gamecrypt's seal does it (seal only). Medians of {} rounds of {} batches.\n",
            bs.rounds, bs.batches
        );
        println!(
            "| AEAD | payload B | op | C ABI ns | Rust API ns | raw+copy ns | raw ns | C ABI - Rust API | Rust API - raw(+copy) | copy | max spread |"
        );
        println!("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (suite, cfg) in configs.iter().filter(|(x, _)| !x.hybrid()) {
            for size in [64, 1200] {
                let seal_bufs = || {
                    let mut b = TwoBuffers::new(
                        size,
                        size + GAMECRYPT_PACKET_OVERHEAD,
                        GAMECRYPT_PACKET_HEADER_LEN,
                    );
                    b.split().0.fill(0x5a);
                    b
                };
                let mut gs = GcSeal::new(cfg, size);
                let (c, srv) = rust_pair(*suite);
                let mut rseal = RustSeal {
                    client: c,
                    server: srv,
                    bufs: seal_bufs(),
                };
                let mut rcs = RawCopySeal {
                    key: raw_key(*suite),
                    bufs: seal_bufs(),
                    ctr: 0,
                };
                let mut raws = RawSeal {
                    key: raw_key(*suite),
                    buf: vec![0x5a; size],
                    ctr: 0,
                };
                let mut go = GcOpen::new(cfg, size);
                let (c, srv) = rust_pair(*suite);
                let pkt = size + GAMECRYPT_PACKET_OVERHEAD;
                let mut ropen = RustOpen {
                    client: c,
                    server: srv,
                    plaintext: vec![0x5a; size],
                    bufs: TwoBuffers::new((CHUNK_BYTES / pkt).max(1) * pkt, size, 0),
                };
                let mut rawo = RawOpen::new(*suite, size);
                let g = measure(
                    &bs,
                    &mut [
                        &mut gs, &mut rseal, &mut rcs, &mut raws, &mut go, &mut ropen, &mut rawo,
                    ],
                );
                let m: Vec<f64> = g.stats.iter().map(|x| x.median).collect();
                let spread =
                    |cases: &[usize]| cases.iter().map(|&c| g.stats[c].spread).fold(1.0, f64::max);
                println!(
                    "| {} | {size} | seal | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |",
                    suite.aead_label(),
                    m[0],
                    m[1],
                    m[2],
                    m[3],
                    m[0] - m[1],
                    m[1] - m[2],
                    m[2] - m[3],
                    spread(&[0, 1, 2, 3])
                );
                println!(
                    "| {} | {size} | open | {:.1} | {:.1} | | {:.1} | {:.1} | {:.1} | | {:.2} |",
                    suite.aead_label(),
                    m[4],
                    m[5],
                    m[6],
                    m[4] - m[5],
                    m[5] - m[6],
                    spread(&[4, 5, 6])
                );
            }
        }
    }

    if s.section('2') {
        // 2. Allocations.
        println!(
            "\n## 2. Heap allocations per steady-state operation (1200-byte payloads, C ABI)\n"
        );
        println!(
        "Rust = calls into the global allocator; all = calls to malloc/calloc/realloc/memalign by \
         anyone in the process (Rust and aws-lc C code).\n"
    );
        println!("| suite | seal: Rust | seal: all | open: Rust | open: all | handshake client: Rust / all | handshake server: Rust / all |");
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for (suite, cfg) in &configs {
            let a = count_allocs(&s, cfg);
            println!(
                "| {} | {} | {} | {} | {} | {:.1} / {:.1} | {:.1} / {:.1} |",
                suite.label(),
                a.seal_rust,
                a.seal_all,
                a.open_rust,
                a.open_all,
                a.hs_client.0,
                a.hs_client.1,
                a.hs_server.0,
                a.hs_server.1
            );
        }
        println!(
            "\n(counted over {} seals and {} opens per suite, after a 100-packet warm-up)",
            s.alloc_ops, s.alloc_ops
        );
    }

    if s.section('3') {
        // 3. Memory.
        println!(
            "\n## 3. Heap bytes per established session ({} pairs per suite)\n",
            s.sessions
        );
        println!(
        "chunk bytes = what glibc charges: usable block size + 8-byte header (mallinfo2 agrees); \
         C share = all - Rust.\n"
    );
        println!("| suite | side | Rust requested B | Rust blocks | Rust chunk B | all chunk B | all blocks | C (aws-lc) chunk B | mallinfo2 B |");
        println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (suite, cfg) in &configs {
            let m = memory_per_session(&s, cfg);
            for (side, x) in [("client", m.client), ("server", m.server)] {
                println!(
                    "| {} | {} | {:.0} | {:.2} | {:.0} | {:.0} | {:.2} | {:.0} | {:.0} |",
                    suite.label(),
                    side,
                    x.rust_requested,
                    x.rust_blocks,
                    x.rust_chunk,
                    x.all_chunk,
                    x.all_blocks,
                    x.all_chunk - x.rust_chunk,
                    x.mallinfo
                );
            }
            let avg = (m.client.all_chunk + m.server.all_chunk) / 2.0;
            println!(
                "| {} | **average** | {:.0} | | | **{:.0}** | | | |",
                suite.label(),
                (m.client.rust_requested + m.server.rust_requested) / 2.0,
                avg
            );
            notes.push(format!(
                "- {}: heap left after freeing every session: {:.1} B per pair",
                suite.label(),
                m.residue
            ));
        }
        print_notes(&mut notes);
        println!(
            "\nOther configurations ({} pairs each; heap bytes per established session as above, \
             all = Rust + C chunk bytes; the pinned-key rows above are the reference):\n",
            s.sessions
        );
        println!("| suite | configuration | client all chunk B | client blocks | server all chunk B | server blocks |");
        println!("|---|---|---:|---:|---:|---:|");
        for suite in SuiteId::ALL {
            for variant in [
                Variant {
                    fingerprint: true,
                    ..Variant::default()
                },
                Variant {
                    client_auth: true,
                    ..Variant::default()
                },
                Variant {
                    retry: true,
                    ..Variant::default()
                },
            ] {
                let cfg = Configs::with(suite, variant);
                let m = memory_per_session(&s, &cfg);
                println!(
                    "| {} | {} | {:.0} | {:.2} | {:.0} | {:.2} |",
                    suite.label(),
                    variant.label(),
                    m.client.all_chunk,
                    m.client.all_blocks,
                    m.server.all_chunk,
                    m.server.all_blocks
                );
            }
        }
        println!();
        for suite in SuiteId::CLASSIC {
            let k = memory_per_aead_key(suite, s.sessions);
            println!(
            "one aws-lc-rs LessSafeKey ({}): Rust {:.0} B in {:.2} blocks; all heap {:.0} B chunk in {:.2} blocks \
             (EVP_AEAD_CTX via OPENSSL_malloc)",
            suite.aead_label(),
            k.rust_requested,
            k.rust_blocks,
            k.all_chunk,
            k.all_blocks
        );
        }
        println!(
            "size_of: Session {} B, LessSafeKey {} B, UnboundKey {} B, PublicKey {} B",
            std::mem::size_of::<gamecrypt::session::Session>(),
            std::mem::size_of::<LessSafeKey>(),
            std::mem::size_of::<UnboundKey>(),
            std::mem::size_of::<gamecrypt::keys::PublicKey>()
        );
    }

    if s.section('4') {
        // 4. Handshakes.
        println!(
            "\n## 4. Handshakes per second, one core (C ABI, raw-key identity, datagram mode)\n"
        );
        println!(
            "server = server work only (new session, read ClientHello, write ServerHello, read \
         ClientFinished, free) with client messages made outside the timed part; full = both \
         sides; raw = aws-lc-rs primitives of one side, no encoding (keygen, ECDH, sign or verify, \
         SHA-256, HKDF, 2 AEAD keys, Finished).\n"
        );
        println!("| suite | gc server us | gc server /s | raw server us | raw server /s | gc server % raw | gc full us | gc full /s | raw client+server us | raw full /s | full % raw | max spread |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (suite, cfg) in &configs {
            let mut sv = ServerHandshake { cfg };
            let mut full = FullHandshake {
                cfg,
                buf: vec![0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN],
            };
            let (ch, sh) = hello_sizes(cfg);
            let transcript = ch + sh - SERVER_SIGNATURE_LEN;
            let mut raw_s = RawSide::new(*suite, true, transcript);
            let mut raw_c = RawSide::new(*suite, false, transcript);
            notes.push(format!(
                "- {}: ClientHello {ch} B, ServerHello {sh} B (raw sides hash {transcript} B)",
                suite.label()
            ));
            let g = measure(&s, &mut [&mut sv, &mut full, &mut raw_s, &mut raw_c]);
            let st = &g.stats;
            let us = |ns: f64| ns / 1000.0;
            let per_s = |ns: f64| 1e9 / ns;
            let raw_full = st[2].median + st[3].median;
            println!(
            "| {} | {:.1} | {:.0} | {:.1} | {:.0} | {:.1}% | {:.1} | {:.0} | {:.1} | {:.0} | {:.1}% | {:.2} |",
            suite.label(),
            us(st[0].median),
            per_s(st[0].median),
            us(st[2].median),
            per_s(st[2].median),
            g.paired_ratio(&[2], &[0]) * 100.0,
            us(st[1].median),
            per_s(st[1].median),
            us(raw_full),
            per_s(raw_full),
            g.paired_ratio(&[2, 3], &[1]) * 100.0,
            g.spread()
        );
            notes.push(format!(
                "- {}, fastest batch: gc server {}, gc full {}, raw server {}, raw client {}",
                suite.label(),
                fmt_ns(st[0].best),
                fmt_ns(st[1].best),
                fmt_ns(st[2].best),
                fmt_ns(st[3].best)
            ));
        }
        print_notes(&mut notes);
    }

    println!("\nload average at end: {}", loadavg());
    println!("total run time: {:.0} s", started.elapsed().as_secs_f64());
}
