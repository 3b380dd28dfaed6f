//! Allocation counts and memory (part of the session benchmark harness, see main.rs).

use super::*;

pub(crate) struct AllocCounts {
    pub(crate) seal_rust: f64,
    pub(crate) seal_all: f64,
    pub(crate) open_rust: f64,
    pub(crate) open_all: f64,
    pub(crate) hs_client: (f64, f64),
    pub(crate) hs_server: (f64, f64),
}

/// Counts heap allocations over `ops` steady-state seals and `ops` opens (1200-byte
/// payloads) through the C ABI, and per handshake for each side.
pub(crate) fn count_allocs(s: &Settings, cfg: &Configs) -> AllocCounts {
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
pub(crate) struct SideMem {
    pub(crate) rust_requested: f64,
    pub(crate) rust_blocks: f64,
    pub(crate) rust_chunk: f64,
    pub(crate) all_chunk: f64,
    pub(crate) all_blocks: f64,
    pub(crate) mallinfo: f64,
}

pub(crate) fn side_mem(d: Heap, n: usize) -> SideMem {
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

pub(crate) struct MemResult {
    pub(crate) client: SideMem,
    pub(crate) server: SideMem,
    /// Heap left over after everything was freed, per pair (should be ~0).
    pub(crate) residue: f64,
}

/// Creates `n` established pairs, then frees the servers, then the clients, reading the
/// heap after each step: server cost = before - after freeing the servers, and so on.
pub(crate) fn memory_per_session(s: &Settings, cfg: &Configs) -> MemResult {
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
pub(crate) fn memory_per_aead_key(suite: SuiteId, n: usize) -> SideMem {
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
