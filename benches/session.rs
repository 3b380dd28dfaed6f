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
use gamecrypt::session::{ClientConfig, Mode, ServerConfig, Session, Suite, TrustAnchor};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::os::raw::c_void;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Heap accounting

/// Counting is on only while this is set (never inside timed code).
static TRACK: AtomicBool = AtomicBool::new(false);

/// One set of heap counters.
struct Counters {
    /// Allocation calls (alloc, alloc_zeroed, realloc; malloc, calloc, realloc, memalign...).
    allocs: AtomicU64,
    /// Free calls.
    frees: AtomicU64,
    /// Live blocks (allocations minus frees).
    blocks: AtomicI64,
    /// Live bytes as glibc charges them: usable size of the block + its 8-byte chunk header.
    chunk_bytes: AtomicI64,
    /// Live bytes as requested by the caller (Rust only; the C side does not know it at free).
    requested: AtomicI64,
}

impl Counters {
    const fn new() -> Counters {
        Counters {
            allocs: AtomicU64::new(0),
            frees: AtomicU64::new(0),
            blocks: AtomicI64::new(0),
            chunk_bytes: AtomicI64::new(0),
            requested: AtomicI64::new(0),
        }
    }

    fn snapshot(&self) -> Snap {
        Snap {
            allocs: self.allocs.load(Relaxed) as i64,
            frees: self.frees.load(Relaxed) as i64,
            blocks: self.blocks.load(Relaxed),
            chunk_bytes: self.chunk_bytes.load(Relaxed),
            requested: self.requested.load(Relaxed),
        }
    }

    /// # Safety
    /// `ptr` is NULL or a live glibc heap block.
    unsafe fn added(&self, ptr: *mut c_void, requested: usize) {
        if ptr.is_null() || !TRACK.load(Relaxed) {
            return;
        }
        self.allocs.fetch_add(1, Relaxed);
        self.blocks.fetch_add(1, Relaxed);
        // SAFETY: a live block returned by glibc (caller's contract).
        let usable = unsafe { usable_size(ptr) };
        self.chunk_bytes.fetch_add(usable as i64 + 8, Relaxed);
        self.requested.fetch_add(requested as i64, Relaxed);
    }

    /// # Safety
    /// `ptr` is NULL or a live glibc heap block about to be freed.
    unsafe fn removed(&self, ptr: *mut c_void, requested: usize) {
        if ptr.is_null() || !TRACK.load(Relaxed) {
            return;
        }
        self.frees.fetch_add(1, Relaxed);
        self.blocks.fetch_sub(1, Relaxed);
        // SAFETY: a live block (caller's contract).
        let usable = unsafe { usable_size(ptr) };
        self.chunk_bytes.fetch_sub(usable as i64 + 8, Relaxed);
        self.requested.fetch_sub(requested as i64, Relaxed);
    }
}

/// Difference-friendly copy of a `Counters`.
#[derive(Clone, Copy, Debug, Default)]
struct Snap {
    allocs: i64,
    frees: i64,
    blocks: i64,
    chunk_bytes: i64,
    requested: i64,
}

impl std::ops::Sub for Snap {
    type Output = Snap;
    fn sub(self, o: Snap) -> Snap {
        Snap {
            allocs: self.allocs - o.allocs,
            frees: self.frees - o.frees,
            blocks: self.blocks - o.blocks,
            chunk_bytes: self.chunk_bytes - o.chunk_bytes,
            requested: self.requested - o.requested,
        }
    }
}

/// Every Rust heap operation (through the global allocator).
static RUST: Counters = Counters::new();
/// Every C heap operation of the process (Rust's `System` allocator also calls `malloc`).
static ALL: Counters = Counters::new();

/// The counting global allocator: `System` plus the `RUST` counters.
struct CountingAlloc;

// SAFETY: every method forwards to `System` unchanged; the counters only observe.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        // SAFETY: `p` is NULL or a fresh glibc block (System uses malloc/posix_memalign).
        unsafe { RUST.added(p.cast(), layout.size()) };
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        // SAFETY: as in `alloc`.
        unsafe { RUST.added(p.cast(), layout.size()) };
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is live until the call below.
        unsafe { RUST.removed(ptr.cast(), layout.size()) };
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` is live until the call below.
        unsafe { RUST.removed(ptr.cast(), layout.size()) };
        // Counted as one free + one allocation; undo the free count so that `allocs`
        // counts calls and `frees` only real frees.
        if TRACK.load(Relaxed) {
            RUST.frees.fetch_sub(1, Relaxed);
        }
        // SAFETY: forwarded unchanged.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            // The old block is still there.
            // SAFETY: `ptr` is still live.
            unsafe { RUST.added(ptr.cast(), layout.size()) };
            if TRACK.load(Relaxed) {
                RUST.allocs.fetch_sub(1, Relaxed);
            }
        } else {
            // SAFETY: a fresh glibc block.
            unsafe { RUST.added(p.cast(), new_size) };
        }
        p
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// The usable size glibc gave a block (0 where that cannot be asked).
///
/// # Safety
/// `ptr` is a live heap block.
unsafe fn usable_size(ptr: *mut c_void) -> usize {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: a live block (the caller's contract).
        unsafe { libc::malloc_usable_size(ptr) }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        let _ = ptr;
        0
    }
}

/// Whether the C heap (aws-lc's allocations) is counted: only with glibc, whose allocator the
/// interposer below forwards to. Elsewhere the "all" and `mallinfo2` columns stay 0.
const C_HEAP_COUNTED: bool = cfg!(all(target_os = "linux", target_env = "gnu"));

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod interposer {
    // The C heap interposer. An executable that defines `malloc` and friends replaces glibc's for
    // the whole process (glibc supports this, see "Replacing malloc" in its manual); these
    // forward to glibc's own implementation, exported as `__libc_*`, so behaviour is unchanged.
    use super::{ALL, TRACK};
    use std::os::raw::c_void;
    use std::sync::atomic::Ordering::Relaxed;

    extern "C" {
        fn __libc_malloc(size: usize) -> *mut c_void;
        fn __libc_calloc(n: usize, size: usize) -> *mut c_void;
        fn __libc_realloc(ptr: *mut c_void, size: usize) -> *mut c_void;
        fn __libc_free(ptr: *mut c_void);
        fn __libc_memalign(align: usize, size: usize) -> *mut c_void;
    }

    /// Interposed `malloc` (counts into `ALL`).
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
        // SAFETY: glibc's malloc.
        let p = unsafe { __libc_malloc(size) };
        // SAFETY: NULL or a fresh block.
        unsafe { ALL.added(p, size) };
        p
    }

    /// Interposed `calloc`.
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn calloc(n: usize, size: usize) -> *mut c_void {
        // SAFETY: glibc's calloc.
        let p = unsafe { __libc_calloc(n, size) };
        // SAFETY: NULL or a fresh block.
        unsafe { ALL.added(p, n.saturating_mul(size)) };
        p
    }

    /// Interposed `realloc` (a free of the old block plus an allocation of the new one).
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
        let tracking = TRACK.load(Relaxed);
        let old_usable = if ptr.is_null() || !tracking {
            0
        } else {
            // SAFETY: `ptr` is a live block (the caller's contract for realloc).
            unsafe { libc::malloc_usable_size(ptr) }
        };
        // SAFETY: glibc's realloc.
        let p = unsafe { __libc_realloc(ptr, size) };
        if !tracking || (p.is_null() && size != 0) {
            return p; // failed: the old block is unchanged
        }
        if !ptr.is_null() {
            ALL.frees.fetch_add(1, Relaxed);
            ALL.blocks.fetch_sub(1, Relaxed);
            ALL.chunk_bytes.fetch_sub(old_usable as i64 + 8, Relaxed);
        }
        // SAFETY: NULL (realloc(ptr, 0) freed the block) or a live block.
        unsafe { ALL.added(p, size) };
        p
    }

    /// Interposed `free`.
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn free(ptr: *mut c_void) {
        // SAFETY: `ptr` is NULL or live (the caller's contract for free).
        unsafe { ALL.removed(ptr, 0) };
        // SAFETY: glibc's free.
        unsafe { __libc_free(ptr) }
    }

    /// Interposed `posix_memalign` (Rust's `System` uses it for alignments above 16).
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn posix_memalign(
        out: *mut *mut c_void,
        align: usize,
        size: usize,
    ) -> i32 {
        if align < std::mem::size_of::<usize>() || !align.is_power_of_two() {
            return libc::EINVAL;
        }
        // SAFETY: glibc's memalign with a valid alignment.
        let p = unsafe { __libc_memalign(align, size) };
        if p.is_null() {
            return libc::ENOMEM;
        }
        // SAFETY: a fresh block.
        unsafe { ALL.added(p, size) };
        // SAFETY: `out` is writable (the caller's contract for posix_memalign).
        unsafe { *out = p };
        0
    }

    /// Interposed `aligned_alloc`.
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn aligned_alloc(align: usize, size: usize) -> *mut c_void {
        // SAFETY: glibc's memalign.
        let p = unsafe { __libc_memalign(align, size) };
        // SAFETY: NULL or a fresh block.
        unsafe { ALL.added(p, size) };
        p
    }

    /// Interposed `memalign`.
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn memalign(align: usize, size: usize) -> *mut c_void {
        // SAFETY: glibc's memalign.
        let p = unsafe { __libc_memalign(align, size) };
        // SAFETY: NULL or a fresh block.
        unsafe { ALL.added(p, size) };
        p
    }
}

/// Rust, all-heap and glibc (`mallinfo2`: in-use bytes of every arena plus mmapped blocks)
/// views of the heap at one moment.
#[derive(Clone, Copy, Debug, Default)]
struct Heap {
    rust: Snap,
    all: Snap,
    mallinfo: i64,
}

impl std::ops::Sub for Heap {
    type Output = Heap;
    fn sub(self, o: Heap) -> Heap {
        Heap {
            rust: self.rust - o.rust,
            all: self.all - o.all,
            mallinfo: self.mallinfo - o.mallinfo,
        }
    }
}

fn heap() -> Heap {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    let mallinfo = {
        // SAFETY: mallinfo2 has no preconditions.
        let mi = unsafe { libc::mallinfo2() };
        (mi.uordblks + mi.hblkhd) as i64
    };
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let mallinfo = 0;
    Heap {
        rust: RUST.snapshot(),
        all: ALL.snapshot(),
        mallinfo,
    }
}

// ---------------------------------------------------------------------------------------
// Settings and statistics

#[derive(Clone, Debug)]
struct Settings {
    /// Target measured time of one batch.
    batch: Duration,
    /// Batches of each case per round.
    batches: usize,
    /// Interleaved rounds.
    rounds: usize,
    /// Session pairs for the memory figures.
    sessions: usize,
    /// Operations for the allocation counts.
    alloc_ops: usize,
    /// Which report sections to run (`GAMECRYPT_BENCH_SECTIONS`, e.g. "13"; default all).
    sections: String,
    smoke: bool,
}

impl Settings {
    fn section(&self, n: char) -> bool {
        self.sections.contains(n)
    }

    fn from_env(bench: bool) -> Settings {
        let var = |name: &str, default: u64| -> u64 {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        if !bench {
            return Settings {
                batch: Duration::from_millis(2),
                batches: 1,
                rounds: 1,
                sessions: 20,
                alloc_ops: 100,
                sections: "1234".into(),
                smoke: true,
            };
        }
        Settings {
            batch: Duration::from_millis(var("GAMECRYPT_BENCH_BATCH_MS", 100)),
            batches: var("GAMECRYPT_BENCH_BATCHES", 5).max(1) as usize,
            rounds: var("GAMECRYPT_BENCH_ROUNDS", 3).max(1) as usize,
            sessions: var("GAMECRYPT_BENCH_SESSIONS", 1000).max(1) as usize,
            alloc_ops: var("GAMECRYPT_BENCH_ALLOC_OPS", 10_000).max(1) as usize,
            sections: std::env::var("GAMECRYPT_BENCH_SECTIONS").unwrap_or_else(|_| "1234".into()),
            smoke: false,
        }
    }
}

/// Result of one case: nanoseconds per operation.
#[derive(Clone, Copy, Debug)]
struct Stat {
    /// Median of the round medians.
    median: f64,
    /// Fastest batch.
    best: f64,
    /// Largest round median / smallest round median (1.00 = perfectly stable).
    spread: f64,
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// A measurable operation. `run(n)` performs `n` operations and returns the time that
/// counts (untimed preparation, such as sealing the packets an open will consume, is
/// excluded by the case itself).
trait Case {
    fn run(&mut self, n: u64) -> Duration;
}

/// How many operations make a batch of about `target` measured time.
fn calibrate(case: &mut dyn Case, target: Duration) -> u64 {
    let mut n = 1u64;
    loop {
        let t = case.run(n);
        if t >= target / 10 || n >= 1 << 40 {
            let per_op = t.as_secs_f64() / n as f64;
            return ((target.as_secs_f64() / per_op.max(1e-12)) as u64).max(1);
        }
        n *= 4;
    }
}

/// The per-batch figures of a group of cases: `per_op[case][round][batch]` in ns.
struct Group {
    stats: Vec<Stat>,
    per_op: Vec<Vec<Vec<f64>>>,
}

impl Group {
    /// Median over every (round, batch) of `time(num) / time(den)`, where `time` sums the
    /// listed cases of that batch. Batches of one index ran back to back, so this ratio is
    /// less sensitive to load changing during the run than a ratio of two medians.
    fn paired_ratio(&self, num: &[usize], den: &[usize]) -> f64 {
        let mut ratios = Vec::new();
        for r in 0..self.per_op[0].len() {
            for b in 0..self.per_op[0][r].len() {
                let sum =
                    |cases: &[usize]| cases.iter().map(|&c| self.per_op[c][r][b]).sum::<f64>();
                ratios.push(sum(num) / sum(den));
            }
        }
        median(&mut ratios)
    }

    /// Largest spread of the group's cases.
    fn spread(&self) -> f64 {
        self.stats.iter().map(|x| x.spread).fold(1.0, f64::max)
    }
}

/// Runs a group of cases with interleaved batches: round after round, batch index after
/// batch index, one batch of every case in turn.
fn measure(s: &Settings, cases: &mut [&mut dyn Case]) -> Group {
    let ns: Vec<u64> = cases
        .iter_mut()
        .map(|c| calibrate(&mut **c, s.batch))
        .collect();
    let mut per_op: Vec<Vec<Vec<f64>>> = vec![Vec::new(); cases.len()];
    for _ in 0..s.rounds {
        for case in per_op.iter_mut() {
            case.push(Vec::with_capacity(s.batches));
        }
        for _ in 0..s.batches {
            for (i, c) in cases.iter_mut().enumerate() {
                let t = c.run(ns[i]);
                if let Some(round) = per_op[i].last_mut() {
                    round.push(t.as_secs_f64() * 1e9 / ns[i] as f64);
                }
            }
        }
    }
    let stats = per_op
        .iter()
        .map(|per_round| {
            let best = per_round
                .iter()
                .flatten()
                .cloned()
                .fold(f64::INFINITY, f64::min);
            let mut meds: Vec<f64> = per_round.iter().map(|v| median(&mut v.clone())).collect();
            let lo = meds.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = meds.iter().cloned().fold(0.0, f64::max);
            Stat {
                median: median(&mut meds),
                best,
                spread: hi / lo,
            }
        })
        .collect();
    Group { stats, per_op }
}

// ---------------------------------------------------------------------------------------
// Sessions through the C ABI

fn check(r: gamecrypt_result, what: &str) {
    assert_eq!(r, gamecrypt_result::Ok, "{what}");
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SuiteId {
    P256Aes,
    X25519ChaCha,
    HybridEd25519ChaCha,
    HybridP256Aes,
}

impl SuiteId {
    /// Every suite, each pinned explicitly on both sides (the library's default client offer
    /// puts the hybrid suites first: no figure here depends on that default).
    const ALL: [SuiteId; 4] = [
        SuiteId::P256Aes,
        SuiteId::X25519ChaCha,
        SuiteId::HybridEd25519ChaCha,
        SuiteId::HybridP256Aes,
    ];
    /// The classic suites: one per AEAD. Packet protection does not depend on the key
    /// exchange, so the packet figures use these.
    const CLASSIC: [SuiteId; 2] = [SuiteId::P256Aes, SuiteId::X25519ChaCha];

    fn label(self) -> &'static str {
        self.suite().name()
    }
    fn suite(self) -> Suite {
        match self {
            SuiteId::P256Aes => Suite::P256EcdsaAes256GcmSha256,
            SuiteId::X25519ChaCha => Suite::X25519Ed25519ChaCha20Poly1305Sha256,
            SuiteId::HybridEd25519ChaCha => Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
            SuiteId::HybridP256Aes => Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
        }
    }
    fn hybrid(self) -> bool {
        self.suite().is_post_quantum()
    }
    fn aead_label(self) -> &'static str {
        match self.key_type() {
            KeyType::EcdsaP256 => "AES-256-GCM",
            _ => "ChaCha20-Poly1305",
        }
    }
    fn key_type(self) -> KeyType {
        self.suite().key_type()
    }
    fn code(self) -> gamecrypt_suite {
        gamecrypt_suite::from(self.suite().code())
    }
    fn aead(self) -> &'static aead::Algorithm {
        match self.key_type() {
            KeyType::EcdsaP256 => &aead::AES_256_GCM,
            _ => &aead::CHACHA20_POLY1305,
        }
    }
}

/// Optional features of a configuration pair (the memory section measures each).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Variant {
    /// The client trusts the server key's fingerprint instead of pinning the key itself.
    fingerprint: bool,
    /// The server requires a client signature and a client token (section 21); the client
    /// has a key of the suite's type and a 32-byte token; the server accepts every client.
    client_auth: bool,
    /// The server uses retry cookies (section 22): each handshake starts with the stateless
    /// check, a Retry and a second ClientHello with the cookie.
    retry: bool,
}

impl Variant {
    fn label(self) -> &'static str {
        match (self.fingerprint, self.client_auth, self.retry) {
            (false, false, false) => "pinned key",
            (true, false, false) => "client pins the fingerprint",
            (false, true, false) => "server requires client signature + 32-byte token",
            (false, false, true) => "server uses retry cookies",
            _ => "combined",
        }
    }
}

/// The client's address as the retry check sees it (any stable byte string).
const CLIENT_ADDRESS: [u8; 6] = [127, 0, 0, 1, 0x30, 0x39];

/// A server and a client configuration (C handles) for one suite: the server's identity key
/// is fresh, the client pins it (or its fingerprint).
struct Configs {
    server: *mut gamecrypt_server_config,
    client: *mut gamecrypt_client_config,
    variant: Variant,
}

impl Configs {
    fn new(suite: SuiteId) -> Configs {
        Configs::with(suite, Variant::default())
    }

    fn with(suite: SuiteId, variant: Variant) -> Configs {
        let key = SigningKey::generate(suite.key_type()).expect("key generation");
        let pkcs8 = key.to_pkcs8_der().expect("PKCS#8 export");
        let spki = key.public_key().spki_der();
        let fingerprint = key.public_key().fingerprint().to_vec();
        let client_pkcs8 = SigningKey::generate(suite.key_type())
            .and_then(|k| k.to_pkcs8_der())
            .expect("client key");
        let token = [0x7au8; 32];
        let mut identity = std::ptr::null_mut();
        let mut client_key = std::ptr::null_mut();
        let mut server_key = std::ptr::null_mut();
        let mut sb = std::ptr::null_mut();
        let mut server = std::ptr::null_mut();
        let mut cb = std::ptr::null_mut();
        let mut client = std::ptr::null_mut();
        let code = [suite.code()];
        // SAFETY: valid buffers and out-pointers; handles are used as documented.
        unsafe {
            check(
                gamecrypt_signing_key_from_der(pkcs8.as_ptr(), pkcs8.len(), &mut identity),
                "identity key",
            );
            check(
                gamecrypt_public_key_from_spki_der(spki.as_ptr(), spki.len(), &mut server_key),
                "server public key",
            );
            check(
                gamecrypt_server_config_builder_new(identity, &mut sb),
                "server builder",
            );
            check(
                gamecrypt_server_config_builder_set_suites(sb, code.as_ptr(), 1),
                "server suites",
            );
            if variant.client_auth {
                check(
                    gamecrypt_server_config_builder_set_client_auth(
                        sb,
                        GAMECRYPT_CLIENT_AUTH_REQUIRED,
                        GAMECRYPT_CLIENT_AUTH_REQUIRED,
                    ),
                    "client auth",
                );
            }
            if variant.retry {
                check(
                    gamecrypt_server_config_builder_set_retry(
                        sb,
                        GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS,
                    ),
                    "retry",
                );
            }
            check(
                gamecrypt_server_config_builder_build(sb, &mut server),
                "server config",
            );
            gamecrypt_server_config_builder_free(sb);
            if variant.fingerprint {
                check(
                    gamecrypt_client_config_builder_new_pinned_fingerprint(
                        fingerprint.as_ptr(),
                        fingerprint.len(),
                        &mut cb,
                    ),
                    "client builder",
                );
            } else {
                check(
                    gamecrypt_client_config_builder_new_pinned_key(server_key, &mut cb),
                    "client builder",
                );
            }
            check(
                gamecrypt_client_config_builder_set_suites(cb, code.as_ptr(), 1),
                "client suites",
            );
            if variant.client_auth {
                check(
                    gamecrypt_signing_key_from_der(
                        client_pkcs8.as_ptr(),
                        client_pkcs8.len(),
                        &mut client_key,
                    ),
                    "client key",
                );
                check(
                    gamecrypt_client_config_builder_set_client_key(cb, client_key),
                    "client key",
                );
                check(
                    gamecrypt_client_config_builder_set_token(cb, token.as_ptr(), token.len()),
                    "client token",
                );
                gamecrypt_signing_key_free(client_key);
            }
            check(
                gamecrypt_client_config_builder_build(cb, &mut client),
                "client config",
            );
            gamecrypt_client_config_builder_free(cb);
            // The configurations keep their own references to the keys.
            gamecrypt_signing_key_free(identity);
            gamecrypt_public_key_free(server_key);
        }
        Configs {
            server,
            client,
            variant,
        }
    }
}

impl Drop for Configs {
    fn drop(&mut self) {
        // SAFETY: handles created in `new`, freed once.
        unsafe {
            gamecrypt_server_config_free(self.server);
            gamecrypt_client_config_free(self.client);
        }
    }
}

const MODE: gamecrypt_session_mode = GAMECRYPT_SESSION_MODE_DATAGRAM;

/// A fresh client session (its ClientHello is ready).
fn new_client(cfg: &Configs) -> *mut gamecrypt_session {
    let mut c = std::ptr::null_mut();
    // SAFETY: valid config handle and out-pointer.
    check(
        unsafe { gamecrypt_session_new_client(cfg.client, MODE, &mut c) },
        "new client",
    );
    c
}

/// A fresh server session (for `CLIENT_ADDRESS` when the server uses retry cookies).
fn new_server(cfg: &Configs) -> *mut gamecrypt_session {
    let mut s = std::ptr::null_mut();
    // SAFETY: valid config handle, address and out-pointer.
    let r = unsafe {
        if cfg.variant.retry {
            gamecrypt_session_new_server_for_address(
                cfg.server,
                MODE,
                CLIENT_ADDRESS.as_ptr(),
                CLIENT_ADDRESS.len(),
                &mut s,
            )
        } else {
            gamecrypt_session_new_server(cfg.server, MODE, &mut s)
        }
    };
    check(r, "new server");
    s
}

/// The stateless retry check of a datagram from `CLIENT_ADDRESS`: (action, Retry length).
fn check_client_hello(cfg: &Configs, datagram: &[u8], retry: &mut [u8]) -> (u32, usize) {
    let (mut len, mut action) = (0, 0);
    // SAFETY: valid config handle, buffers and out-pointers.
    let r = unsafe {
        gamecrypt_server_config_check_client_hello(
            cfg.server,
            CLIENT_ADDRESS.as_ptr(),
            CLIENT_ADDRESS.len(),
            datagram.as_ptr(),
            datagram.len(),
            retry.as_mut_ptr(),
            retry.len(),
            &mut len,
            &mut action,
        )
    };
    check(r, "check ClientHello");
    (action, len)
}

/// Writes `session`'s next handshake message into `buf`; returns its length.
fn write_hs(session: *mut gamecrypt_session, buf: &mut [u8]) -> usize {
    let mut n = 0;
    // SAFETY: live session, valid buffer.
    check(
        unsafe { gamecrypt_session_write_handshake(session, buf.as_mut_ptr(), buf.len(), &mut n) },
        "write handshake",
    );
    n
}

fn read_hs(session: *mut gamecrypt_session, msg: &[u8]) {
    // SAFETY: live session, valid buffer.
    check(
        unsafe { gamecrypt_session_read_handshake(session, msg.as_ptr(), msg.len()) },
        "read handshake",
    );
}

/// Runs the complete handshake of a new client and a new server; returns (client, server).
/// With retry cookies it starts with the stateless check, the Retry and the second
/// ClientHello; with client authentication the server accepts the client at the end.
fn handshake_pair(
    cfg: &Configs,
    buf: &mut [u8],
) -> (*mut gamecrypt_session, *mut gamecrypt_session) {
    let c = new_client(cfg);
    let mut n = write_hs(c, buf);
    if cfg.variant.retry {
        let mut retry = [0u8; GAMECRYPT_RETRY_LEN];
        let (action, len) = check_client_hello(cfg, &buf[..n], &mut retry);
        assert_eq!(action, GAMECRYPT_RETRY_ACTION_SEND_RETRY);
        read_hs(c, &retry[..len]);
        n = write_hs(c, buf);
        let (action, _) = check_client_hello(cfg, &buf[..n], &mut retry);
        assert_eq!(action, GAMECRYPT_RETRY_ACTION_ACCEPT);
    }
    let s = new_server(cfg);
    read_hs(s, &buf[..n]);
    let n = write_hs(s, buf);
    read_hs(c, &buf[..n]);
    let n = write_hs(c, buf);
    read_hs(s, &buf[..n]);
    if cfg.variant.client_auth {
        // SAFETY: live session.
        check(unsafe { gamecrypt_session_accept(s) }, "accept");
    }
    (c, s)
}

/// The lengths of the ClientHello and the ServerHello of one handshake with `cfg`.
fn hello_sizes(cfg: &Configs) -> (usize, usize) {
    let mut buf = vec![0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
    let c = new_client(cfg);
    let s = new_server(cfg);
    let ch = write_hs(c, &mut buf);
    read_hs(s, &buf[..ch]);
    let sh = write_hs(s, &mut buf);
    // SAFETY: live sessions, freed once.
    unsafe {
        gamecrypt_session_free(c);
        gamecrypt_session_free(s);
    }
    (ch, sh)
}

/// An established client/server pair, freed on drop.
struct Pair {
    client: *mut gamecrypt_session,
    server: *mut gamecrypt_session,
}

impl Pair {
    fn new(cfg: &Configs) -> Pair {
        let mut buf = vec![0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
        let (client, server) = handshake_pair(cfg, &mut buf);
        // SAFETY: live sessions.
        unsafe {
            assert_eq!(
                gamecrypt_session_get_state(client),
                GAMECRYPT_SESSION_STATE_ESTABLISHED
            );
            assert_eq!(
                gamecrypt_session_get_state(server),
                GAMECRYPT_SESSION_STATE_ESTABLISHED
            );
        }
        Pair { client, server }
    }
}

impl Pair {
    /// One empty packet each way (untimed). A sender may start a key update only once a
    /// packet from its peer opened under its current key generation (docs/PROTOCOL.md
    /// sections 17.3 and 18); with one-way traffic, an AES-256-GCM sender would stop with
    /// KEY_UPDATE_BLOCKED after 2^23 packets. The timed cases call this between batches or
    /// chunks, as an application's return traffic would.
    fn exchange(&self) {
        let mut pkt = [0u8; GAMECRYPT_PACKET_OVERHEAD];
        let mut out = [0u8; 1];
        for (from, to) in [(self.client, self.server), (self.server, self.client)] {
            let mut len = 0;
            // SAFETY: live sessions, valid non-overlapping buffers.
            unsafe {
                check(
                    gamecrypt_session_seal(
                        from,
                        std::ptr::null(),
                        0,
                        pkt.as_mut_ptr(),
                        pkt.len(),
                        &mut len,
                    ),
                    "exchange seal",
                );
                check(
                    gamecrypt_session_open(to, pkt.as_ptr(), len, out.as_mut_ptr(), 0, &mut len),
                    "exchange open",
                );
            }
        }
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        // SAFETY: sessions created in `new`, freed once.
        unsafe {
            gamecrypt_session_free(self.client);
            gamecrypt_session_free(self.server);
        }
    }
}

type SealFn = unsafe extern "C" fn(
    *const gamecrypt_session,
    *const u8,
    usize,
    *mut u8,
    usize,
    *mut usize,
) -> gamecrypt_result;

/// The C ABI functions as opaque function pointers: each call is a real call, as from C.
fn seal_fn() -> SealFn {
    black_box(gamecrypt_session_seal as SealFn)
}
fn open_fn() -> SealFn {
    black_box(gamecrypt_session_open as SealFn)
}

/// Room for the packets an open batch consumes, sealed just before the timed opens.
const CHUNK_BYTES: usize = 256 * 1024;

/// Two buffers in one allocation, placed so that the data area of the second starts half a
/// page (2048 bytes modulo 4096) after the first. Buffers allocated back to back can end up
/// at a distance that is a multiple of 4096 plus a few bytes; on this machine's CPU (AMD Zen 3)
/// glibc's `memcpy` of 16 KB then takes ~6 us instead of ~0.2 us (4K aliasing in `rep movsb`),
/// which would be measured as "gamecrypt overhead" although it is an accident of placement.
struct TwoBuffers {
    mem: Vec<u8>,
    a_len: usize,
    b_start: usize,
    b_len: usize,
}

impl TwoBuffers {
    /// `b_data` is where the interesting data starts inside the second buffer (the packet
    /// header length for a sealed packet).
    fn new(a_len: usize, b_len: usize, b_data: usize) -> TwoBuffers {
        let b_start = a_len.next_multiple_of(4096) + 2048 - b_data;
        TwoBuffers {
            mem: vec![0; b_start + b_len],
            a_len,
            b_start,
            b_len,
        }
    }

    fn split(&mut self) -> (&mut [u8], &mut [u8]) {
        let (a, b) = self.mem.split_at_mut(self.b_start);
        (&mut a[..self.a_len], &mut b[..self.b_len])
    }
}

/// `gamecrypt_session_seal` from the client, `size`-byte payloads, into one output buffer.
struct GcSeal {
    pair: Pair,
    seal: SealFn,
    /// Plaintext, then the packet buffer.
    bufs: TwoBuffers,
}

impl GcSeal {
    fn new(cfg: &Configs, size: usize) -> GcSeal {
        let mut bufs = TwoBuffers::new(
            size,
            size + GAMECRYPT_PACKET_OVERHEAD,
            GAMECRYPT_PACKET_HEADER_LEN,
        );
        bufs.split().0.fill(0x5a);
        GcSeal {
            pair: Pair::new(cfg),
            seal: seal_fn(),
            bufs,
        }
    }
}

impl Case for GcSeal {
    fn run(&mut self, n: u64) -> Duration {
        self.pair.exchange();
        let (seal, s) = (self.seal, self.pair.client);
        let (pt, out) = self.bufs.split();
        let mut len = 0;
        let t = Instant::now();
        for _ in 0..n {
            // SAFETY: live session, valid non-overlapping buffers.
            let r = unsafe {
                seal(
                    s,
                    pt.as_ptr(),
                    pt.len(),
                    out.as_mut_ptr(),
                    out.len(),
                    &mut len,
                )
            };
            if r != gamecrypt_result::Ok {
                panic!("seal: {r:?}");
            }
        }
        let e = t.elapsed();
        black_box(&out);
        e
    }
}

/// `gamecrypt_session_open` on the server of packets the client sealed just before
/// (untimed) in chunks of at most `CHUNK_BYTES`: each opened packet is fresh and in order.
struct GcOpen {
    pair: Pair,
    seal: SealFn,
    open: SealFn,
    plaintext: Vec<u8>,
    /// The chunk of sealed packets, then the plaintext output buffer.
    bufs: TwoBuffers,
}

impl GcOpen {
    fn new(cfg: &Configs, size: usize) -> GcOpen {
        let pkt = size + GAMECRYPT_PACKET_OVERHEAD;
        let per_chunk = (CHUNK_BYTES / pkt).max(1);
        GcOpen {
            pair: Pair::new(cfg),
            seal: seal_fn(),
            open: open_fn(),
            plaintext: vec![0x5a; size],
            bufs: TwoBuffers::new(per_chunk * pkt, size, 0),
        }
    }
}

impl Case for GcOpen {
    fn run(&mut self, n: u64) -> Duration {
        let pkt = self.plaintext.len() + GAMECRYPT_PACKET_OVERHEAD;
        let (c, s, seal, open) = (self.pair.client, self.pair.server, self.seal, self.open);
        let pt = &self.plaintext;
        let (chunk, out) = self.bufs.split();
        let per_chunk = (chunk.len() / pkt) as u64;
        let mut total = Duration::ZERO;
        let mut left = n;
        while left > 0 {
            self.pair.exchange();
            let k = left.min(per_chunk) as usize;
            for slot in chunk.chunks_exact_mut(pkt).take(k) {
                let mut len = 0;
                // SAFETY: live session, valid non-overlapping buffers.
                let r = unsafe {
                    seal(
                        c,
                        pt.as_ptr(),
                        pt.len(),
                        slot.as_mut_ptr(),
                        slot.len(),
                        &mut len,
                    )
                };
                assert_eq!(r, gamecrypt_result::Ok, "seal");
            }
            let t = Instant::now();
            for p in chunk.chunks_exact(pkt).take(k) {
                let mut len = 0;
                // SAFETY: live session, valid non-overlapping buffers.
                let r = unsafe {
                    open(
                        s,
                        p.as_ptr(),
                        p.len(),
                        out.as_mut_ptr(),
                        out.len(),
                        &mut len,
                    )
                };
                if r != gamecrypt_result::Ok {
                    panic!("open: {r:?}");
                }
            }
            total += t.elapsed();
            black_box(&out);
            left -= k as u64;
        }
        total
    }
}

/// An established pair made with the safe Rust API (no C ABI), for the overhead breakdown.
fn rust_pair(suite: SuiteId) -> (Session, Session) {
    let key = SigningKey::generate(suite.key_type()).expect("key");
    let suites = [suite.suite()];
    let server_cfg = ServerConfig::builder(key.clone())
        .and_then(|b| b.suites(&suites))
        .expect("config")
        .build();
    let client_cfg = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .and_then(|b| b.suites(&suites))
        .expect("config")
        .build()
        .expect("config");
    let c = Session::new_client(client_cfg, Mode::Datagram).expect("client");
    let s = Session::new_server(server_cfg, Mode::Datagram);
    let mut buf = [0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
    let n = c.write_handshake(&mut buf).expect("hello");
    s.read_handshake(&buf[..n]).expect("hello");
    let n = s.write_handshake(&mut buf).expect("server hello");
    c.read_handshake(&buf[..n]).expect("server hello");
    let n = c.write_handshake(&mut buf).expect("finished");
    s.read_handshake(&buf[..n]).expect("finished");
    (c, s)
}

/// One empty packet each way with the Rust API (see `Pair::exchange`).
fn exchange(client: &Session, server: &Session) {
    let mut pkt = [0u8; GAMECRYPT_PACKET_OVERHEAD];
    let mut out = [0u8; 0];
    for (from, to) in [(client, server), (server, client)] {
        let n = from.seal(&[], &mut pkt).expect("exchange seal");
        to.open(&pkt[..n], &mut out).expect("exchange open");
    }
}

/// `Session::seal` (Rust API), laid out like `GcSeal`.
struct RustSeal {
    client: Session,
    server: Session,
    bufs: TwoBuffers,
}

impl Case for RustSeal {
    fn run(&mut self, n: u64) -> Duration {
        exchange(&self.client, &self.server);
        let (pt, out) = self.bufs.split();
        let t = Instant::now();
        for _ in 0..n {
            if let Err(e) = self.client.seal(pt, out) {
                panic!("seal: {e:?}");
            }
        }
        let e = t.elapsed();
        black_box(&out);
        e
    }
}

/// `Session::open` (Rust API) of packets sealed just before, chunked like `GcOpen`.
struct RustOpen {
    client: Session,
    server: Session,
    plaintext: Vec<u8>,
    bufs: TwoBuffers,
}

impl Case for RustOpen {
    fn run(&mut self, n: u64) -> Duration {
        let pkt = self.plaintext.len() + GAMECRYPT_PACKET_OVERHEAD;
        let (chunk, out) = self.bufs.split();
        let per_chunk = (chunk.len() / pkt) as u64;
        let mut total = Duration::ZERO;
        let mut left = n;
        while left > 0 {
            exchange(&self.client, &self.server);
            let k = left.min(per_chunk) as usize;
            for slot in chunk.chunks_exact_mut(pkt).take(k) {
                self.client.seal(&self.plaintext, slot).expect("seal");
            }
            let t = Instant::now();
            for p in chunk.chunks_exact(pkt).take(k) {
                if let Err(e) = self.server.open(p, out) {
                    panic!("open: {e:?}");
                }
            }
            total += t.elapsed();
            black_box(&out);
            left -= k as u64;
        }
        total
    }
}

/// Raw aws-lc-rs: the same AEAD, a counter nonce, an 8-byte AAD.
fn raw_key(suite: SuiteId) -> LessSafeKey {
    let mut k = [0u8; 32];
    rand::fill(&mut k).expect("random");
    LessSafeKey::new(UnboundKey::new(suite.aead(), &k).expect("key"))
}

fn raw_nonce(ctr: u64) -> (Nonce, [u8; 8]) {
    let mut n = [0u8; 12];
    n[4..].copy_from_slice(&ctr.to_be_bytes());
    let mut aad = ctr.to_be_bytes();
    aad[0] = 0x40;
    (Nonce::assume_unique_for_key(n), aad)
}

/// `LessSafeKey::seal_in_place_separate_tag`, in place in one buffer.
struct RawSeal {
    key: LessSafeKey,
    buf: Vec<u8>,
    ctr: u64,
}

impl Case for RawSeal {
    fn run(&mut self, n: u64) -> Duration {
        let t = Instant::now();
        for _ in 0..n {
            let (nonce, aad) = raw_nonce(self.ctr);
            self.ctr += 1;
            let tag = self
                .key
                .seal_in_place_separate_tag(nonce, Aad::from(aad), &mut self.buf)
                .expect("raw seal");
            black_box(&tag);
        }
        t.elapsed()
    }
}

/// What gamecrypt's seal does to the bytes, without the session: copy the plaintext behind an
/// 8-byte header in the packet buffer, seal it in place there, copy the tag after it.
struct RawCopySeal {
    key: LessSafeKey,
    /// Plaintext, then the packet buffer (laid out like `GcSeal`).
    bufs: TwoBuffers,
    ctr: u64,
}

impl Case for RawCopySeal {
    fn run(&mut self, n: u64) -> Duration {
        let (pt, out) = self.bufs.split();
        let size = pt.len();
        let t = Instant::now();
        for _ in 0..n {
            let (nonce, aad) = raw_nonce(self.ctr);
            self.ctr += 1;
            let (head, rest) = out.split_at_mut(GAMECRYPT_PACKET_HEADER_LEN);
            let (body, tag_out) = rest.split_at_mut(size);
            head.copy_from_slice(&aad);
            body.copy_from_slice(pt);
            let tag = self
                .key
                .seal_in_place_separate_tag(nonce, Aad::from(aad), body)
                .expect("raw seal");
            tag_out.copy_from_slice(tag.as_ref());
        }
        let e = t.elapsed();
        black_box(&out);
        e
    }
}

/// `LessSafeKey::open_in_place` of ciphertext||tag sealed just before (untimed), chunked
/// like `GcOpen`.
struct RawOpen {
    key: LessSafeKey,
    size: usize,
    chunk: Vec<u8>,
    ctr: u64,
}

impl RawOpen {
    fn new(suite: SuiteId, size: usize) -> RawOpen {
        let slot = size + aead::MAX_TAG_LEN;
        let per_chunk = (CHUNK_BYTES / (size + GAMECRYPT_PACKET_OVERHEAD)).max(1);
        RawOpen {
            key: raw_key(suite),
            size,
            chunk: vec![0; per_chunk * slot],
            ctr: 0,
        }
    }
}

impl Case for RawOpen {
    fn run(&mut self, n: u64) -> Duration {
        let slot = self.size + aead::MAX_TAG_LEN;
        let per_chunk = (self.chunk.len() / slot) as u64;
        let mut total = Duration::ZERO;
        let mut left = n;
        while left > 0 {
            let k = left.min(per_chunk) as usize;
            let first = self.ctr;
            for (i, s) in self.chunk.chunks_exact_mut(slot).take(k).enumerate() {
                let (nonce, aad) = raw_nonce(first + i as u64);
                let (body, tag_out) = s.split_at_mut(self.size);
                body.fill(0x5a);
                let tag = self
                    .key
                    .seal_in_place_separate_tag(nonce, Aad::from(aad), body)
                    .expect("raw seal");
                tag_out.copy_from_slice(tag.as_ref());
            }
            let t = Instant::now();
            for (i, s) in self.chunk.chunks_exact_mut(slot).take(k).enumerate() {
                let (nonce, aad) = raw_nonce(first + i as u64);
                let pt = self
                    .key
                    .open_in_place(nonce, Aad::from(aad), s)
                    .expect("raw open");
                black_box(pt);
            }
            total += t.elapsed();
            self.ctr += k as u64;
            left -= k as u64;
        }
        total
    }
}

// ---------------------------------------------------------------------------------------
// Handshake cases

/// Server work only: new session, read ClientHello, write ServerHello (timed); the clients
/// process the ServerHellos and write their ClientFinished (untimed); read ClientFinished,
/// free the session (timed). ClientHellos are generated before, untimed.
struct ServerHandshake<'a> {
    cfg: &'a Configs,
}

impl Case for ServerHandshake<'_> {
    fn run(&mut self, n: u64) -> Duration {
        let n = n as usize;
        let max = GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN;
        let clients: Vec<_> = (0..n).map(|_| new_client(self.cfg)).collect();
        let mut ch = vec![0u8; n * max];
        let mut ch_len = vec![0usize; n];
        for (i, &c) in clients.iter().enumerate() {
            ch_len[i] = write_hs(c, &mut ch[i * max..(i + 1) * max]);
        }
        let mut sh = vec![0u8; n * max];
        let mut sh_len = vec![0usize; n];
        let mut servers = Vec::with_capacity(n);

        let t = Instant::now();
        for i in 0..n {
            let s = new_server(self.cfg);
            read_hs(s, &ch[i * max..i * max + ch_len[i]]);
            sh_len[i] = write_hs(s, &mut sh[i * max..(i + 1) * max]);
            servers.push(s);
        }
        let mut timed = t.elapsed();

        let mut cf = vec![0u8; n * 64];
        let mut cf_len = vec![0usize; n];
        for (i, &c) in clients.iter().enumerate() {
            read_hs(c, &sh[i * max..i * max + sh_len[i]]);
            cf_len[i] = write_hs(c, &mut cf[i * 64..(i + 1) * 64]);
        }

        let t = Instant::now();
        for (i, &s) in servers.iter().enumerate() {
            read_hs(s, &cf[i * 64..i * 64 + cf_len[i]]);
            // SAFETY: live session, freed once.
            unsafe { gamecrypt_session_free(s) };
        }
        timed += t.elapsed();

        for c in clients {
            // SAFETY: live session, freed once.
            unsafe { gamecrypt_session_free(c) };
        }
        timed
    }
}

/// Both sides, every step, including session creation (the client's ephemeral key) and
/// freeing.
struct FullHandshake<'a> {
    cfg: &'a Configs,
    buf: Vec<u8>,
}

impl Case for FullHandshake<'_> {
    fn run(&mut self, n: u64) -> Duration {
        let t = Instant::now();
        for _ in 0..n {
            let (c, s) = handshake_pair(self.cfg, &mut self.buf);
            // SAFETY: live sessions, freed once.
            unsafe {
                gamecrypt_session_free(c);
                gamecrypt_session_free(s);
            }
        }
        t.elapsed()
    }
}

/// The signing half of a raw server identity.
enum RawSigner {
    Ecdsa(signature::EcdsaKeyPair),
    Ed25519(signature::Ed25519KeyPair),
}

/// ML-KEM-768 ciphertext length (FIPS 203).
const MLKEM768_CT_LEN: usize = 1088;
/// The ServerHello ends with a 64-byte signature (fixed r||s or Ed25519), outside the
/// transcript hash.
const SERVER_SIGNATURE_LEN: usize = 64;

/// Raw aws-lc-rs cost of one side's primitives, no encoding (as in the reference figures):
/// server = ephemeral keygen + public key + ECDH + sign(70 bytes) + SHA-256(transcript) + HKDF
/// (extract + 6 expands) + 2 AEAD key setups + seal and open of an empty Finished; client =
/// keygen + public key + ECDH + verify + the same hashing, HKDF, AEAD setups and the seal.
/// Hybrid suites (X25519MLKEM768) add, on the server, parsing the client's ML-KEM-768
/// encapsulation key and one encapsulation; on the client, an ML-KEM-768 key generation, its
/// encapsulation key bytes and one decapsulation. The transcript hashed has the length of
/// the real ClientHello + ServerHello of the suite's configuration.
struct RawSide {
    suite: SuiteId,
    server: bool,
    signer: RawSigner,
    verify_key: Vec<u8>,
    /// The peer's X25519 or P-256 share.
    peer_share: Vec<u8>,
    /// Hybrid, server: a client's ML-KEM-768 encapsulation key.
    peer_ek: Vec<u8>,
    /// Hybrid, client: a server's ML-KEM-768 ciphertext (made for another key: decapsulation
    /// then takes its implicit-rejection path, which costs the same, FIPS 203 is constant
    /// time).
    peer_ct: Vec<u8>,
    signature: Vec<u8>,
    transcript: Vec<u8>,
    rng: rand::SystemRandom,
}

impl RawSide {
    fn new(suite: SuiteId, server: bool, transcript_len: usize) -> RawSide {
        let rng = rand::SystemRandom::new();
        let kx = kx_alg(suite);
        let peer = agreement::PrivateKey::generate(kx).expect("keygen");
        let peer_share = peer.compute_public_key().expect("share").as_ref().to_vec();
        let (mut peer_ek, mut peer_ct) = (Vec::new(), Vec::new());
        if suite.hybrid() {
            let dk = kem::DecapsulationKey::generate(&kem::ML_KEM_768).expect("ML-KEM keygen");
            let ek = dk.encapsulation_key().expect("ek");
            peer_ek = ek.key_bytes().expect("ek bytes").as_ref().to_vec();
            let (ct, _) = ek.encapsulate().expect("encapsulate");
            peer_ct = ct.as_ref().to_vec();
            assert_eq!(peer_ct.len(), MLKEM768_CT_LEN);
        }
        let msg = [7u8; 70];
        let (signer, verify_key, signature) = match suite.key_type() {
            KeyType::EcdsaP256 => {
                let k =
                    signature::EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)
                        .expect("ecdsa keygen");
                use signature::KeyPair;
                let pk = k.public_key().as_ref().to_vec();
                let sig = k.sign(&rng, &msg).expect("sign").as_ref().to_vec();
                (RawSigner::Ecdsa(k), pk, sig)
            }
            _ => {
                let k = signature::Ed25519KeyPair::generate().expect("ed25519 keygen");
                use signature::KeyPair;
                let pk = k.public_key().as_ref().to_vec();
                let sig = k.sign(&msg).as_ref().to_vec();
                (RawSigner::Ed25519(k), pk, sig)
            }
        };
        RawSide {
            suite,
            server,
            signer,
            verify_key,
            peer_share,
            peer_ek,
            peer_ct,
            signature,
            transcript: vec![1u8; transcript_len],
            rng,
        }
    }

    fn one(&self) {
        let kx = kx_alg(self.suite);
        // Hybrid: the ML-KEM part first (client: key generation; server: encapsulation).
        let mut kem_ss = [0u8; 32];
        if self.suite.hybrid() {
            if self.server {
                let ek =
                    kem::EncapsulationKey::new(&kem::ML_KEM_768, &self.peer_ek).expect("ek parse");
                let (ct, ss) = ek.encapsulate().expect("encapsulate");
                black_box(ct.as_ref());
                kem_ss.copy_from_slice(ss.as_ref());
            } else {
                let dk = kem::DecapsulationKey::generate(&kem::ML_KEM_768).expect("ML-KEM keygen");
                let ek = dk.encapsulation_key().expect("ek");
                black_box(ek.key_bytes().expect("ek bytes").as_ref());
                let ss = dk
                    .decapsulate(kem::Ciphertext::from(&self.peer_ct[..]))
                    .expect("decapsulate");
                kem_ss.copy_from_slice(ss.as_ref());
            }
        }
        let eph = agreement::PrivateKey::generate(kx).expect("keygen");
        black_box(eph.compute_public_key().expect("share"));
        let shared = agreement::agree(
            &eph,
            agreement::UnparsedPublicKey::new(kx, &self.peer_share),
            (),
            |s| {
                let mut k = [0u8; 64];
                k[..32].copy_from_slice(&kem_ss);
                k[32..].copy_from_slice(s);
                Ok(k)
            },
        )
        .expect("agree");
        let shared = if self.suite.hybrid() {
            &shared[..]
        } else {
            &shared[32..]
        };
        let th = digest::digest(&digest::SHA256, &self.transcript);
        let msg = [7u8; 70];
        if self.server {
            match &self.signer {
                RawSigner::Ecdsa(k) => black_box(k.sign(&self.rng, &msg).expect("sign")),
                RawSigner::Ed25519(k) => black_box(k.sign(&msg)),
            };
        } else {
            let alg: &dyn signature::VerificationAlgorithm = match self.suite.key_type() {
                KeyType::EcdsaP256 => &signature::ECDSA_P256_SHA256_FIXED,
                _ => &signature::ED25519,
            };
            signature::UnparsedPublicKey::new(alg, &self.verify_key)
                .verify(&msg, &self.signature)
                .expect("verify");
        }
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, th.as_ref()).extract(shared);
        let mut keys = [[0u8; 32]; 6];
        for (i, k) in keys.iter_mut().enumerate() {
            let info = [&[i as u8][..]];
            let okm = prk.expand(&info, hkdf::HKDF_SHA256).expect("expand");
            okm.fill(k).expect("fill");
        }
        let send = LessSafeKey::new(UnboundKey::new(self.suite.aead(), &keys[2]).expect("key"));
        let recv = LessSafeKey::new(UnboundKey::new(self.suite.aead(), &keys[4]).expect("key"));
        let (nonce, aad) = raw_nonce(0);
        let mut fin = [0u8; 16];
        let tag = send
            .seal_in_place_separate_tag(nonce, Aad::from(aad), &mut [])
            .expect("seal");
        fin.copy_from_slice(tag.as_ref());
        if self.server {
            let (nonce, aad) = raw_nonce(0);
            // Stands for opening the client's Finished (the raw server cannot have one made
            // under its fresh key in advance): it opens the 16-byte tag just sealed.
            let ok = send.open_in_place(nonce, Aad::from(aad), &mut fin).is_ok();
            assert!(ok, "raw Finished open");
        }
        black_box((&send, &recv));
    }
}

impl Case for RawSide {
    fn run(&mut self, n: u64) -> Duration {
        let t = Instant::now();
        for _ in 0..n {
            self.one();
        }
        t.elapsed()
    }
}

/// The elliptic-curve group (X25519 for the hybrid suites).
fn kx_alg(suite: SuiteId) -> &'static agreement::Algorithm {
    match suite {
        SuiteId::P256Aes => &agreement::ECDH_P256,
        _ => &agreement::X25519,
    }
}

// ---------------------------------------------------------------------------------------
// Allocation counts and memory

struct AllocCounts {
    seal_rust: f64,
    seal_all: f64,
    open_rust: f64,
    open_all: f64,
    hs_client: (f64, f64),
    hs_server: (f64, f64),
}

/// Counts heap allocations over `ops` steady-state seals and `ops` opens (1200-byte
/// payloads) through the C ABI, and per handshake for each side.
fn count_allocs(s: &Settings, cfg: &Configs) -> AllocCounts {
    let ops = s.alloc_ops;
    let size = 1200;
    let pkt = size + GAMECRYPT_PACKET_OVERHEAD;
    let pair = Pair::new(cfg);
    let (seal, open) = (seal_fn(), open_fn());
    let pt = vec![0x5au8; size];
    let mut out = vec![0u8; size];
    let mut packets = vec![0u8; ops * pkt];
    let mut single = vec![0u8; pkt];
    let mut len = 0;
    // Warm up (first calls may initialise lazily).
    for _ in 0..100 {
        // SAFETY: live sessions, valid buffers.
        unsafe {
            check(
                seal(
                    pair.client,
                    pt.as_ptr(),
                    size,
                    single.as_mut_ptr(),
                    pkt,
                    &mut len,
                ),
                "seal",
            );
            check(
                open(
                    pair.server,
                    single.as_ptr(),
                    pkt,
                    out.as_mut_ptr(),
                    size,
                    &mut len,
                ),
                "open",
            );
        }
    }
    TRACK.store(true, Relaxed);
    let h0 = heap();
    for _ in 0..ops {
        // SAFETY: as above.
        let r = unsafe {
            seal(
                pair.client,
                pt.as_ptr(),
                size,
                single.as_mut_ptr(),
                pkt,
                &mut len,
            )
        };
        check(r, "seal");
    }
    let d_seal = heap() - h0;
    TRACK.store(false, Relaxed);
    for p in packets.chunks_exact_mut(pkt) {
        // SAFETY: as above.
        check(
            unsafe {
                seal(
                    pair.client,
                    pt.as_ptr(),
                    size,
                    p.as_mut_ptr(),
                    pkt,
                    &mut len,
                )
            },
            "seal",
        );
    }
    TRACK.store(true, Relaxed);
    let h0 = heap();
    for p in packets.chunks_exact(pkt) {
        // SAFETY: as above.
        let r = unsafe {
            open(
                pair.server,
                p.as_ptr(),
                pkt,
                out.as_mut_ptr(),
                size,
                &mut len,
            )
        };
        check(r, "open");
    }
    let d_open = heap() - h0;

    // Per handshake, each side: allocation calls during its own steps.
    let n = 20;
    let mut buf = vec![0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
    let (mut cl, mut sv) = (Snap::default(), Snap::default());
    let (mut cl_all, mut sv_all) = (Snap::default(), Snap::default());
    let side = |f: &mut dyn FnMut(), rust: &mut Snap, all: &mut Snap| {
        let h = heap();
        f();
        let d = heap() - h;
        rust.allocs += d.rust.allocs;
        all.allocs += d.all.allocs;
    };
    for _ in 0..n {
        let mut c = std::ptr::null_mut();
        let mut srv = std::ptr::null_mut();
        let mut len = 0;
        side(
            &mut || {
                c = new_client(cfg);
                len = write_hs(c, &mut buf);
            },
            &mut cl,
            &mut cl_all,
        );
        side(
            &mut || {
                srv = new_server(cfg);
                read_hs(srv, &buf[..len]);
                len = write_hs(srv, &mut buf);
            },
            &mut sv,
            &mut sv_all,
        );
        side(
            &mut || {
                read_hs(c, &buf[..len]);
                len = write_hs(c, &mut buf);
            },
            &mut cl,
            &mut cl_all,
        );
        side(&mut || read_hs(srv, &buf[..len]), &mut sv, &mut sv_all);
        // SAFETY: live sessions, freed once.
        unsafe {
            gamecrypt_session_free(c);
            gamecrypt_session_free(srv);
        }
    }
    TRACK.store(false, Relaxed);
    let per = |x: i64, k: usize| x as f64 / k as f64;
    AllocCounts {
        seal_rust: per(d_seal.rust.allocs, ops),
        seal_all: per(d_seal.all.allocs, ops),
        open_rust: per(d_open.rust.allocs, ops),
        open_all: per(d_open.all.allocs, ops),
        hs_client: (per(cl.allocs, n), per(cl_all.allocs, n)),
        hs_server: (per(sv.allocs, n), per(sv_all.allocs, n)),
    }
}

/// Heap per established session, one side: (Rust requested bytes, Rust blocks, Rust chunk
/// bytes, all chunk bytes, all blocks, mallinfo2 bytes), each divided by the session count.
#[derive(Clone, Copy, Debug, Default)]
struct SideMem {
    rust_requested: f64,
    rust_blocks: f64,
    rust_chunk: f64,
    all_chunk: f64,
    all_blocks: f64,
    mallinfo: f64,
}

fn side_mem(d: Heap, n: usize) -> SideMem {
    let f = |x: i64| x as f64 / n as f64;
    SideMem {
        rust_requested: f(d.rust.requested),
        rust_blocks: f(d.rust.blocks),
        rust_chunk: f(d.rust.chunk_bytes),
        all_chunk: f(d.all.chunk_bytes),
        all_blocks: f(d.all.blocks),
        mallinfo: f(d.mallinfo),
    }
}

struct MemResult {
    client: SideMem,
    server: SideMem,
    /// Heap left over after everything was freed, per pair (should be ~0).
    residue: f64,
}

/// Creates `n` established pairs, then frees the servers, then the clients, reading the
/// heap after each step: server cost = before - after freeing the servers, and so on.
fn memory_per_session(s: &Settings, cfg: &Configs) -> MemResult {
    let n = s.sessions;
    let mut buf = vec![0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
    let mut clients = Vec::with_capacity(n);
    let mut servers = Vec::with_capacity(n);
    // Warm-up: lazy initialisation, glibc caches.
    for _ in 0..50 {
        drop(Pair::new(cfg));
    }
    TRACK.store(true, Relaxed);
    let h0 = heap();
    for _ in 0..n {
        let (c, srv) = handshake_pair(cfg, &mut buf);
        clients.push(c);
        servers.push(srv);
    }
    let h1 = heap();
    for &srv in &servers {
        // SAFETY: live session, freed once.
        unsafe { gamecrypt_session_free(srv) };
    }
    let h2 = heap();
    for &c in &clients {
        // SAFETY: live session, freed once.
        unsafe { gamecrypt_session_free(c) };
    }
    let h3 = heap();
    TRACK.store(false, Relaxed);
    MemResult {
        server: side_mem(h1 - h2, n),
        client: side_mem(h2 - h3, n),
        residue: (h3 - h0).all.chunk_bytes as f64 / n as f64,
    }
}

/// Heap of a bare aws-lc-rs `LessSafeKey` (the AEAD context of one direction).
fn memory_per_aead_key(suite: SuiteId, n: usize) -> SideMem {
    let mut keys = Vec::with_capacity(n);
    let k = [9u8; 32];
    TRACK.store(true, Relaxed);
    let h0 = heap();
    for _ in 0..n {
        keys.push(LessSafeKey::new(
            UnboundKey::new(suite.aead(), &k).expect("key"),
        ));
    }
    let h1 = heap();
    drop(keys);
    TRACK.store(false, Relaxed);
    side_mem(h1 - h0, n)
}

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
