//! Issue 7, handshakes: heap allocations per side per handshake (Rust allocator; aws-lc's own
//! C allocations are not seen here, see benches/session.rs), counted per call: at most 20 per
//! side. Prints the figures; `cargo test --test sec_handshake_alloc -- --nocapture`.

use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{ClientConfig, Mode, ServerConfig, Session, Suite, TrustAnchor};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static COUNT: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        COUNT.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        COUNT.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn counted<T>(side: &mut u64, f: impl FnOnce() -> T) -> T {
    let before = COUNT.with(|n| n.get());
    let r = f();
    *side += COUNT.with(|n| n.get()) - before;
    r
}

/// (client, server) allocations of one complete handshake with a pinned-key client.
fn handshake_allocations(suite: Suite) -> (u64, u64) {
    let key = SigningKey::generate(suite.key_type()).unwrap();
    let scfg = ServerConfig::builder(key.clone())
        .unwrap()
        .suites(&[suite])
        .unwrap()
        .build();
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .suites(&[suite])
        .unwrap()
        .build()
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let (mut c, mut s) = (0, 0);
    let client = counted(&mut c, || {
        Session::new_client(ccfg, Mode::Datagram).unwrap()
    });
    let server = counted(&mut s, || Session::new_server(scfg, Mode::Datagram));
    let n = counted(&mut c, || client.write_handshake(&mut buf).unwrap());
    counted(&mut s, || server.read_handshake(&buf[..n]).unwrap());
    let n = counted(&mut s, || server.write_handshake(&mut buf).unwrap());
    counted(&mut c, || client.read_handshake(&buf[..n]).unwrap());
    let n = counted(&mut c, || client.write_handshake(&mut buf).unwrap());
    counted(&mut s, || server.read_handshake(&buf[..n]).unwrap());
    (c, s)
}

#[test]
fn handshake_allocations_per_side() {
    assert_eq!(
        KeyType::Ed25519,
        Suite::X25519Ed25519ChaCha20Poly1305Sha256.key_type()
    );
    for &suite in Suite::all() {
        let (c, s) = handshake_allocations(suite);
        println!("{suite:?}: client {c} allocations, server {s} allocations (Rust heap)");
        // Issue 7 target: at most 20 per side (here the Rust heap; aws-lc's own C
        // allocations are counted by benches/session.rs).
        assert!(c > 0 && s > 0);
        assert!(c <= 20 && s <= 20, "{suite:?}: client {c}, server {s}");
    }
}
