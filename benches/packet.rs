//! Packet seal/open through the C ABI against AWS-LC's own `EVP_AEAD_CTX_seal` /
//! `EVP_AEAD_CTX_open` (through aws-lc-sys, the same static library aws-lc-rs links), in one
//! process: `cargo bench --bench packet` (or `scripts/bench.sh`). It prints figures and ratios
//! and never fails on speed.
//!
//! Cases, for AES-256-GCM and ChaCha20-Poly1305 at 64 and 1200 payload bytes:
//! - `gc seal`: `gamecrypt_session_seal` on an established datagram session (plaintext buffer
//!   in, packet buffer out);
//! - `gc seal in place`: `gamecrypt_session_seal_in_place` (the payload is already in the packet
//!   buffer; the benchmark does not rewrite it between packets, which does not change the cost);
//! - `raw seal`: `EVP_AEAD_CTX_seal` from the same plaintext buffer into a packet buffer, with
//!   the nonce made from a counter and an 8-byte header as AAD, as the session does;
//! - `gc open` / `raw open`: `gamecrypt_session_open` / `EVP_AEAD_CTX_open` of packets sealed
//!   beforehand (a fresh packet for every open: the session's replay window refuses repeats).
//!
//! Two measures, each printed with the ratio raw / gamecrypt (100% = as fast as raw AWS-LC):
//! 1. instructions per packet, counted by `valgrind --tool=callgrind` in the measured loop
//!    only (`--collect-atstart=no --toggle-collect=*measured_loop*`): the benchmark runs itself
//!    under valgrind once per case (`--case N --iters K`). Stable on a shared machine. Skipped
//!    (with a note) when valgrind is not installed.
//! 2. wall clock: ns per packet, cases interleaved round by round; the fastest round of each
//!    case (the machine is shared: slower rounds measure the neighbours).
//!
//! Knobs: `GAMECRYPT_BENCH_PACKET_ROUNDS` (15), `GAMECRYPT_BENCH_PACKET_ITERS` (4096 packets
//! per round and case), `GAMECRYPT_BENCH_CALLGRIND_ITERS` (2000). Without `--bench` (e.g.
//! under `cargo test --all-targets`) it runs a tiny smoke pass; its numbers mean nothing.

#[path = "../tests/session_support/mod.rs"]
mod session_support;

use aws_lc_sys as sys;
use gamecrypt::ffi::gamecrypt_result;
use gamecrypt::ffi::session::*;
use gamecrypt::keys::KeyType;
use gamecrypt::session::{Mode, Session};
use std::hint::black_box;
use std::time::Instant;

const SIZES: [usize; 2] = [64, 1200];
const AAD_LEN: usize = GAMECRYPT_PACKET_HEADER_LEN;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Aead {
    Aes256Gcm,
    ChaCha20Poly1305,
}

impl Aead {
    const ALL: [Aead; 2] = [Aead::Aes256Gcm, Aead::ChaCha20Poly1305];
    fn label(self) -> &'static str {
        match self {
            Aead::Aes256Gcm => "AES-256-GCM",
            Aead::ChaCha20Poly1305 => "ChaCha20-Poly1305",
        }
    }
    /// The key type whose classic suite uses this AEAD.
    fn key_type(self) -> KeyType {
        match self {
            Aead::Aes256Gcm => KeyType::EcdsaP256,
            Aead::ChaCha20Poly1305 => KeyType::Ed25519,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    GcSeal,
    GcSealInPlace,
    RawSeal,
    GcOpen,
    RawOpen,
}

impl Op {
    const ALL: [Op; 5] = [
        Op::GcSeal,
        Op::GcSealInPlace,
        Op::RawSeal,
        Op::GcOpen,
        Op::RawOpen,
    ];
}

/// One case: an AEAD, a payload size, an operation.
#[derive(Clone, Copy, Debug)]
struct CaseId {
    aead: Aead,
    size: usize,
    op: Op,
}

fn all_cases() -> Vec<CaseId> {
    let mut v = Vec::new();
    for aead in Aead::ALL {
        for size in SIZES {
            for op in Op::ALL {
                v.push(CaseId { aead, size, op });
            }
        }
    }
    v
}

/// A raw AWS-LC AEAD context with a 12-byte IV, used as the session uses its key.
struct RawAead {
    ctx: *mut sys::EVP_AEAD_CTX,
    iv: [u8; 12],
}

impl RawAead {
    fn new(aead: Aead) -> RawAead {
        let key = [0x42u8; 32];
        // SAFETY: plain aws-lc calls with valid pointers; the context is freed in Drop.
        let ctx = unsafe {
            let alg = match aead {
                Aead::Aes256Gcm => sys::EVP_aead_aes_256_gcm(),
                Aead::ChaCha20Poly1305 => sys::EVP_aead_chacha20_poly1305(),
            };
            sys::EVP_AEAD_CTX_new(alg, key.as_ptr(), key.len(), 16)
        };
        assert!(!ctx.is_null(), "EVP_AEAD_CTX_new failed");
        RawAead { ctx, iv: [7u8; 12] }
    }

    #[inline(always)]
    fn nonce_and_header(&self, ctr: u64) -> ([u8; 12], [u8; AAD_LEN]) {
        let mut nonce = self.iv;
        for (b, p) in nonce[4..].iter_mut().zip(ctr.to_be_bytes()) {
            *b ^= p;
        }
        let mut hdr = ctr.to_be_bytes();
        hdr[0] = GAMECRYPT_PACKET_TYPE_DATA;
        (nonce, hdr)
    }

    /// Seals `pt` into `pkt` (header, ciphertext, tag) as packet `ctr`.
    #[inline(always)]
    fn seal(&self, ctr: u64, pt: &[u8], pkt: &mut [u8]) -> usize {
        let (nonce, hdr) = self.nonce_and_header(ctr);
        pkt[..AAD_LEN].copy_from_slice(&hdr);
        let mut len = 0usize;
        let body = &mut pkt[AAD_LEN..];
        // SAFETY: valid context and buffers of the lengths given.
        let ok = unsafe {
            sys::EVP_AEAD_CTX_seal(
                self.ctx,
                body.as_mut_ptr(),
                &mut len,
                body.len(),
                nonce.as_ptr(),
                nonce.len(),
                pt.as_ptr(),
                pt.len(),
                hdr.as_ptr(),
                hdr.len(),
            )
        };
        assert_eq!(ok, 1);
        AAD_LEN + len
    }

    /// Opens packet `pkt` (as sealed by `seal`) into `out`; returns the plaintext length.
    #[inline(always)]
    fn open(&self, pkt: &[u8], out: &mut [u8]) -> usize {
        let mut pn = [0u8; 8];
        pn[1..].copy_from_slice(&pkt[1..AAD_LEN]);
        let (nonce, _) = self.nonce_and_header(u64::from_be_bytes(pn));
        let mut len = 0usize;
        // SAFETY: valid context and buffers of the lengths given.
        let ok = unsafe {
            sys::EVP_AEAD_CTX_open(
                self.ctx,
                out.as_mut_ptr(),
                &mut len,
                out.len(),
                nonce.as_ptr(),
                nonce.len(),
                pkt[AAD_LEN..].as_ptr(),
                pkt.len() - AAD_LEN,
                pkt.as_ptr(),
                AAD_LEN,
            )
        };
        assert_eq!(ok, 1);
        len
    }
}

impl Drop for RawAead {
    fn drop(&mut self) {
        // SAFETY: made by EVP_AEAD_CTX_new, freed once.
        unsafe { sys::EVP_AEAD_CTX_free(self.ctx) };
    }
}

/// The state of one case: sessions or a raw context, buffers, and packets to open.
struct Case {
    id: CaseId,
    client: Session,
    server: Session,
    raw: RawAead,
    plaintext: Vec<u8>,
    /// The output packet (seals) or plaintext (opens).
    out: Vec<u8>,
    /// Packets to open, `stride` bytes apart, made by `refill` (not measured).
    packets: Vec<u8>,
    stride: usize,
    next: usize,
    ctr: u64,
}

fn session_ptr(s: &Session) -> *const gamecrypt_session {
    // A Rust session is what a C handle points at (tests/session_alloc.rs does the same).
    s as *const Session as *const gamecrypt_session
}

fn check(r: gamecrypt_result) {
    assert_eq!(r, gamecrypt_result::Ok);
}

impl Case {
    fn new(id: CaseId, batch: usize) -> Case {
        let (client, server) = session_support::established(id.aead.key_type(), Mode::Datagram);
        let stride = id.size + GAMECRYPT_PACKET_OVERHEAD;
        let mut case = Case {
            id,
            client,
            server,
            raw: RawAead::new(id.aead),
            plaintext: vec![0x5a; id.size],
            out: vec![0u8; stride],
            packets: vec![0u8; stride * batch],
            stride,
            next: 0,
            ctr: 0,
        };
        if matches!(id.op, Op::GcSealInPlace) {
            case.out[GAMECRYPT_PACKET_HEADER_LEN..][..id.size].fill(0x5a);
        }
        case.refill();
        case
    }

    /// Seals the packets that the next `batch` opens will open (not measured).
    fn refill(&mut self) {
        self.next = 0;
        let size = self.id.size;
        match self.id.op {
            Op::GcOpen => {
                for pkt in self.packets.chunks_mut(self.stride) {
                    let n = self.client.seal(&self.plaintext, pkt).unwrap();
                    assert_eq!(n, size + GAMECRYPT_PACKET_OVERHEAD);
                }
            }
            Op::RawOpen => {
                for pkt in self.packets.chunks_mut(self.stride) {
                    self.raw.seal(self.ctr, &self.plaintext, pkt);
                    self.ctr += 1;
                }
            }
            _ => {}
        }
    }

    /// One packet of this case.
    #[inline(always)]
    fn step(&mut self) {
        let mut len = 0usize;
        match self.id.op {
            Op::GcSeal => unsafe {
                check(gamecrypt_session_seal(
                    session_ptr(&self.client),
                    self.plaintext.as_ptr(),
                    self.plaintext.len(),
                    self.out.as_mut_ptr(),
                    self.out.len(),
                    &mut len,
                ));
            },
            Op::GcSealInPlace => unsafe {
                check(gamecrypt_session_seal_in_place(
                    session_ptr(&self.client),
                    self.out.as_mut_ptr(),
                    self.out.len(),
                    self.id.size,
                    &mut len,
                ));
            },
            Op::RawSeal => {
                len = self.raw.seal(self.ctr, &self.plaintext, &mut self.out);
                self.ctr += 1;
            }
            Op::GcOpen => unsafe {
                let pkt = &self.packets[self.next * self.stride..][..self.stride];
                check(gamecrypt_session_open(
                    session_ptr(&self.server),
                    pkt.as_ptr(),
                    pkt.len(),
                    self.out.as_mut_ptr(),
                    self.out.len(),
                    &mut len,
                ));
                self.next += 1;
            },
            Op::RawOpen => {
                let pkt = &self.packets[self.next * self.stride..][..self.stride];
                len = self.raw.open(pkt, &mut self.out);
                self.next += 1;
            }
        }
        black_box(len);
    }
}

/// The measured loop: callgrind counts instructions only inside this function.
#[inline(never)]
fn measured_loop(case: &mut Case, iters: usize) {
    for _ in 0..iters {
        case.step();
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Child mode under valgrind: runs `iters` packets of case `index` in `measured_loop`.
fn run_child(index: usize, iters: usize) {
    let id = all_cases()[index];
    let mut case = Case::new(id, iters + 1);
    // Warm-up outside the measured loop (lazy initialisation, first-touch of buffers).
    case.step();
    measured_loop(&mut case, iters);
}

/// Instructions per packet of every case by callgrind, or None without valgrind.
fn callgrind_counts(iters: usize) -> Option<Vec<f64>> {
    let exe = std::env::current_exe().ok()?;
    let dir = std::env::temp_dir().join(format!("gamecrypt-callgrind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let mut counts = Vec::new();
    for (i, _) in all_cases().iter().enumerate() {
        let out = dir.join(format!("case-{i}.out"));
        let status = std::process::Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg("--collect-atstart=no")
            .arg("--toggle-collect=*measured_loop*")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(&exe)
            .arg("--case")
            .arg(i.to_string())
            .arg("--iters")
            .arg(iters.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => {}
            _ => {
                let _ = std::fs::remove_dir_all(&dir);
                return None;
            }
        }
        let text = std::fs::read_to_string(&out).ok()?;
        let total: f64 = text
            .lines()
            .find_map(|l| l.strip_prefix("summary: ").or(l.strip_prefix("totals: ")))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())?;
        counts.push(total / iters as f64);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Some(counts)
}

/// ns per packet of every case: rounds of `iters` packets per case, cases interleaved; the
/// fastest round of each case (on a shared machine the other rounds measure the neighbours).
fn wall_clock(rounds: usize, iters: usize) -> Vec<f64> {
    let mut cases: Vec<Case> = all_cases()
        .into_iter()
        .map(|id| Case::new(id, iters))
        .collect();
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    for case in cases.iter_mut() {
        measured_loop(case, iters.min(64)); // warm-up
        case.refill();
    }
    for _ in 0..rounds {
        for (i, case) in cases.iter_mut().enumerate() {
            let t = Instant::now();
            measured_loop(case, iters);
            samples[i].push(t.elapsed().as_nanos() as f64 / iters as f64);
            case.refill();
        }
    }
    samples
        .iter()
        .map(|s| s.iter().copied().fold(f64::INFINITY, f64::min))
        .collect()
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// Prints one table: a row per AEAD and size, gamecrypt / raw figures and raw/gc ratios.
fn print_table(title: &str, unit: &str, v: &[f64], fmt: fn(f64) -> String) {
    println!("\n## {title}\n");
    println!(
        "| AEAD | payload B | gc seal {unit} | gc seal in place {unit} | raw seal {unit} | seal % raw | in place % raw | gc open {unit} | raw open {unit} | open % raw |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let ids = all_cases();
    for row in ids.chunks(Op::ALL.len()) {
        let base = ids
            .iter()
            .position(|c| c.aead == row[0].aead && c.size == row[0].size)
            .unwrap();
        let x = |op: Op| v[base + Op::ALL.iter().position(|&o| o == op).unwrap()];
        let pct = |raw: f64, gc: f64| format!("{:.1}%", raw / gc * 100.0);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row[0].aead.label(),
            row[0].size,
            fmt(x(Op::GcSeal)),
            fmt(x(Op::GcSealInPlace)),
            fmt(x(Op::RawSeal)),
            pct(x(Op::RawSeal), x(Op::GcSeal)),
            pct(x(Op::RawSeal), x(Op::GcSealInPlace)),
            fmt(x(Op::GcOpen)),
            fmt(x(Op::RawOpen)),
            pct(x(Op::RawOpen), x(Op::GcOpen)),
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<usize>().ok())
    };
    if let (Some(case), Some(iters)) = (arg("--case"), arg("--iters")) {
        run_child(case, iters);
        return;
    }
    let bench = args.iter().any(|a| a == "--bench");
    let (rounds, iters, cg_iters) = if bench {
        (
            env_usize("GAMECRYPT_BENCH_PACKET_ROUNDS", 15),
            env_usize("GAMECRYPT_BENCH_PACKET_ITERS", 4096),
            env_usize("GAMECRYPT_BENCH_CALLGRIND_ITERS", 2000),
        )
    } else {
        (1, 16, 0)
    };
    println!("# gamecrypt packets vs raw AWS-LC EVP_AEAD_CTX_seal/open");
    if !bench {
        println!("(smoke pass without --bench: the figures mean nothing)");
    }
    println!("CPU: {}", cpu_model());
    println!(
        "datagram sessions through the C ABI; raw = EVP_AEAD_CTX_seal/open with a counter nonce \
         and the 8-byte header as AAD; % raw = raw / gamecrypt (100% = as fast as raw)"
    );
    if cg_iters > 0 {
        match callgrind_counts(cg_iters) {
            Some(counts) => print_table(
                &format!(
                    "Instructions per packet (valgrind callgrind, measured loop only, {cg_iters} packets per case)"
                ),
                "instr",
                &counts,
                |x| format!("{x:.0}"),
            ),
            None => println!("\n(valgrind not available: no instruction counts)"),
        }
    }
    let ns = wall_clock(rounds, iters);
    print_table(
        &format!("Wall clock, ns per packet (fastest of {rounds} rounds of {iters} packets per case, interleaved)"),
        "ns",
        &ns,
        |x| format!("{x:.1}"),
    );
}
