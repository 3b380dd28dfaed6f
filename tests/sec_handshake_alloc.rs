//! Issue 7, handshakes: heap allocations per side per handshake (Rust allocator; aws-lc's own
//! C allocations are not seen here, see benches/session.rs), counted per call: at most 20 per
//! side. Prints the figures; `cargo test --test sec_handshake_alloc -- --nocapture`.

mod session_support;
use session_support::{handshake_steps, suite_configs, Side};

mod alloc_support;
use alloc_support::{count_allocations, counted};

use gamecrypt::keys::KeyType;
use gamecrypt::session::{Mode, Session, Suite};

/// (client, server) allocations of one complete handshake with a pinned-key client.
fn handshake_allocations(suite: Suite) -> (u64, u64) {
    let (scfg, ccfg) = suite_configs(suite);
    let (client, mut c) = counted(|| Session::new_client(ccfg, Mode::Datagram).unwrap());
    let (server, mut s) = counted(|| Session::new_server(scfg, Mode::Datagram));
    handshake_steps(&client, &server, |side, call| {
        let n = count_allocations(call);
        match side {
            Side::Client => c += n,
            Side::Server => s += n,
        }
    });
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
