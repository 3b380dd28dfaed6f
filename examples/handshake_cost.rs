//! Cost of one complete session handshake (both sides) against the raw primitives it needs
//! (ephemeral ECDH on both sides, one server signature, one client verification; for the
//! hybrid suite also ML-KEM-768 key generation, encapsulation key parsing, encapsulation and
//! decapsulation). Prints wall-clock figures; for instruction counts run it under callgrind
//! and collect only the measured loops:
//!
//! ```text
//! cargo build --release --example handshake_cost
//! valgrind --tool=callgrind --toggle-collect='*measured_*' --callgrind-out-file=/tmp/cg.%p \
//!     target/release/examples/handshake_cost handshake p256 50
//! valgrind --tool=callgrind --toggle-collect='*measured_*' --callgrind-out-file=/tmp/cg.%p \
//!     target/release/examples/handshake_cost raw p256 50
//! ```
//!
//! SHA-256 work per run (a block costs ~2,115 instructions under valgrind, which runs aws-lc's
//! AVX code, not SHA-NI): `callgrind_annotate --inclusive=no /tmp/cg.<pid> | grep sha256_block`.
//!
//! Arguments: `handshake|raw|both` (default both), `p256|x25519|hybrid` (default p256; hybrid
//! is X25519MLKEM768 + Ed25519 + ChaCha20-Poly1305), iterations.

#[path = "../tests/session_support/mod.rs"]
mod session_support;

use aws_lc_rs::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey};
use aws_lc_rs::kem::{DecapsulationKey, EncapsulationKey, ML_KEM_768};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as sig, EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{ClientConfig, Mode, ServerConfig, Session, Suite};
use std::hint::black_box;
use std::time::Instant;

/// One handshake between fresh sessions of these configurations.
#[inline(never)]
fn measured_handshakes(
    ccfg: &std::sync::Arc<ClientConfig>,
    scfg: &std::sync::Arc<ServerConfig>,
    n: u32,
) {
    let mut buf = vec![0u8; 4096];
    for _ in 0..n {
        let c = Session::new_client(ccfg.clone(), Mode::Datagram).unwrap();
        let s = Session::new_server(scfg.clone(), Mode::Datagram);
        let len = c.write_handshake(&mut buf).unwrap();
        s.read_handshake(&buf[..len]).unwrap();
        let len = s.write_handshake(&mut buf).unwrap();
        c.read_handshake(&buf[..len]).unwrap();
        let len = c.write_handshake(&mut buf).unwrap();
        s.read_handshake(&buf[..len]).unwrap();
        black_box((c, s));
    }
}

/// The primitives of one handshake through aws-lc-rs directly: two ephemeral keys, two
/// agreements, one signature over a 70-byte message and its verification.
#[inline(never)]
fn measured_raw(p256: bool, hybrid: bool, der: &[u8], n: u32) {
    let rng = SystemRandom::new();
    let (group, msg) = if p256 {
        (&agreement::ECDH_P256, [7u8; 70])
    } else {
        (&agreement::X25519, [7u8; 70])
    };
    let ecdsa =
        p256.then(|| EcdsaKeyPair::from_pkcs8(&sig::ECDSA_P256_SHA256_FIXED_SIGNING, der).unwrap());
    let ed = (!p256).then(|| Ed25519KeyPair::from_pkcs8(der).unwrap());
    for _ in 0..n {
        if hybrid {
            // ML-KEM-768: the client's key pair, the server parses the encapsulation key and
            // encapsulates, the client decapsulates.
            let dk = DecapsulationKey::generate(&ML_KEM_768).unwrap();
            let ek_bytes = dk.encapsulation_key().unwrap().key_bytes().unwrap();
            let ek = EncapsulationKey::new(&ML_KEM_768, ek_bytes.as_ref()).unwrap();
            let (ct, ss_server) = ek.encapsulate().unwrap();
            let ss_client = dk.decapsulate(ct).unwrap();
            black_box((ss_server.as_ref()[0], ss_client.as_ref()[0]));
        }
        let client = EphemeralPrivateKey::generate(group, &rng).unwrap();
        let client_pub = client.compute_public_key().unwrap();
        let server = EphemeralPrivateKey::generate(group, &rng).unwrap();
        let server_pub = server.compute_public_key().unwrap();
        let s1 = agreement::agree_ephemeral(
            server,
            UnparsedPublicKey::new(group, client_pub.as_ref()),
            (),
            |k| Ok(black_box(k[0])),
        )
        .unwrap();
        let signature = match (&ecdsa, &ed) {
            (Some(k), _) => k.sign(&rng, &msg).unwrap().as_ref().to_vec(),
            (_, Some(k)) => k.sign(&msg).as_ref().to_vec(),
            _ => unreachable!(),
        };
        let (alg, public): (&dyn sig::VerificationAlgorithm, Vec<u8>) = match (&ecdsa, &ed) {
            (Some(k), _) => (
                &sig::ECDSA_P256_SHA256_FIXED,
                k.public_key().as_ref().to_vec(),
            ),
            (_, Some(k)) => (&sig::ED25519, k.public_key().as_ref().to_vec()),
            _ => unreachable!(),
        };
        sig::UnparsedPublicKey::new(alg, &public)
            .verify(&msg, &signature)
            .unwrap();
        let s2 = agreement::agree_ephemeral(
            client,
            UnparsedPublicKey::new(group, server_pub.as_ref()),
            (),
            |k| Ok(black_box(k[0])),
        )
        .unwrap();
        black_box((s1, s2));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map(String::as_str).unwrap_or("both");
    let group = args.get(2).map(String::as_str).unwrap_or("p256");
    let (p256, hybrid) = (group == "p256", group == "hybrid");
    let n: u32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200);
    let (kt, suite) = if p256 {
        (KeyType::EcdsaP256, Suite::P256EcdsaAes256GcmSha256)
    } else if hybrid {
        (
            KeyType::Ed25519,
            Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
        )
    } else {
        (KeyType::Ed25519, Suite::X25519Ed25519ChaCha20Poly1305Sha256)
    };
    // The session pair's configurations (pinned key, exactly this suite); the raw
    // primitives sign with a key of the same type.
    let (scfg, ccfg) = session_support::suite_configs(suite);
    let der = SigningKey::generate(kt).unwrap().to_pkcs8_der().unwrap();
    if what == "handshake" || what == "both" {
        let t = Instant::now();
        measured_handshakes(&ccfg, &scfg, n);
        let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!("{suite:?}: handshake (both sides) {us:.1} us");
    }
    if what == "raw" || what == "both" {
        let t = Instant::now();
        measured_raw(p256, hybrid, &der, n);
        let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!("{suite:?}: raw primitives (2 ECDH keygen+agree, sign, verify) {us:.1} us");
    }
}
