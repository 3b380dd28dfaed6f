//! Test vectors of key update and of the hybrid suites (`tests/vectors/session_v1_hardening.json`,
//! docs/PROTOCOL.md sections 17 and 20): generator (ignored test) and exact reproduction.
//! `tests/vectors/check_vectors.py` recomputes every value independently (Python
//! `cryptography`, which has ML-KEM-768, plus a pure-Python ML-KEM key generation from the
//! seed because aws-lc only loads the expanded decapsulation key).

use super::handshake::{key_schedule, sha256};
use super::suite::FixedEntropy;
use super::tests::{
    hex, hmac_sha256, sessions_from_json, unhex, unpadded, SERVER_ED25519_PKCS8, SERVER_P256_PKCS8,
};
use super::transport::{next_secret, traffic_keys, SendHalf};
use super::*;
use crate::keys::SigningKey;
use serde_json::{json, Value};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/session_v1_hardening.json"
);

fn v1_vectors() -> Vec<Value> {
    let doc: Value =
        serde_json::from_str(include_str!("../../tests/vectors/session_v1.json")).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

fn label_bytes(label: &str) -> Vec<u8> {
    sha256(&[label.as_bytes()]).to_vec()
}

/// One step of the key update scenario.
enum Step {
    Update(&'static str),
    Data(&'static str, &'static [u8]),
    Close(&'static str),
}

/// Updates by both sides, a packet under each generation in both directions, and a close
/// under key phase 1 (generation 3).
const SCENARIO: &[Step] = &[
    Step::Data("s2c", b"s0"),
    Step::Update("client"),
    Step::Data("c2s", b"c1"),
    Step::Data("s2c", b"s1"),
    Step::Update("server"),
    Step::Data("s2c", b"s2"),
    Step::Data("c2s", b"c2"),
    Step::Update("client"),
    Step::Close("c2s"),
];

/// Runs the scenario on an established pair; returns the events as JSON.
fn run_scenario(client: &Session, server: &Session) -> Vec<Value> {
    let mut events = Vec::new();
    let mut buf = vec![0u8; 256];
    let mut pt = vec![0u8; 256];
    for step in SCENARIO {
        match step {
            Step::Update(by) => {
                let who = if *by == "client" { client } else { server };
                who.update_keys().unwrap();
                events.push(json!({"event": "update", "by": by}));
            }
            Step::Data(dir, _) | Step::Close(dir) => {
                let close = matches!(step, Step::Close(_));
                let (tx, rx) = if *dir == "c2s" {
                    (client, server)
                } else {
                    (server, client)
                };
                let generation = tx.key_generation().unwrap();
                let pn = tx.packets_sent();
                let plaintext = msg_of(step);
                let n = if close {
                    tx.close(&mut buf).unwrap()
                } else {
                    tx.seal(plaintext, &mut buf).unwrap()
                };
                if close {
                    assert_eq!(rx.open(&buf[..n], &mut pt), Err(Error::PeerClosed));
                } else {
                    let m = rx.open(&buf[..n], &mut pt).unwrap();
                    assert_eq!(&pt[..m], plaintext);
                    assert_eq!(rx.key_generation().unwrap(), generation);
                }
                events.push(json!({"event": "packet", "direction": dir,
                    "type": if close { "close" } else { "data" },
                    "generation": generation, "packet_number": pn,
                    "plaintext": hex(plaintext), "packet": hex(&buf[..n])}));
            }
        }
    }
    events
}

fn msg_of(step: &Step) -> &[u8] {
    match step {
        Step::Data(_, m) => m,
        _ => &[],
    }
}

fn generations(c2s0: &[u8], s2c0: &[u8], count: usize) -> Vec<Value> {
    let mut c2s: [u8; 32] = c2s0.try_into().unwrap();
    let mut s2c: [u8; 32] = s2c0.try_into().unwrap();
    let mut out = Vec::new();
    for g in 0..count {
        let (kc, ks) = (traffic_keys(&c2s).unwrap(), traffic_keys(&s2c).unwrap());
        out.push(json!({"generation": g,
            "c2s_secret": hex(&c2s), "c2s_key": hex(&kc.key[..]), "c2s_iv": hex(&kc.iv[..]),
            "s2c_secret": hex(&s2c), "s2c_key": hex(&ks.key[..]), "s2c_iv": hex(&ks.iv[..])}));
        c2s = *next_secret(&c2s).unwrap();
        s2c = *next_secret(&s2c).unwrap();
    }
    out
}

fn established_from_v1(v: &Value) -> (Session, Session) {
    let (client, server, _) = sessions_from_json(v);
    let mut buf = vec![0u8; 4096];
    let n = client.write_handshake(&mut buf).unwrap();
    server.read_handshake(&buf[..n]).unwrap();
    let n = server.write_handshake(&mut buf).unwrap();
    client.read_handshake(&buf[..n]).unwrap();
    let n = client.write_handshake(&mut buf).unwrap();
    server.read_handshake(&buf[..n]).unwrap();
    (client, server)
}

/// Fixed inputs of a hybrid vector (all derived from labels with SHA-256 / SHA-512).
fn hybrid_inputs(suite: Suite) -> Value {
    let (tag, pkcs8, server_suites) = if suite.key_type() == crate::keys::KeyType::Ed25519 {
        ("ed25519", SERVER_ED25519_PKCS8, vec![3, 2])
    } else {
        ("p256", SERVER_P256_PKCS8, vec![4, 1])
    };
    let l = |what: &str| hex(&label_bytes(&format!("gamecrypt hardening {tag} {what}")));
    let seed = [
        label_bytes(&format!("gamecrypt hardening {tag} mlkem d")),
        label_bytes(&format!("gamecrypt hardening {tag} mlkem z")),
    ]
    .concat();
    let key = SigningKey::from_pkcs8_der(&unhex(pkcs8)).unwrap();
    json!({
        "name": format!("{} chosen from the default offer list, pinned fingerprint", suite.name()),
        "suite": suite.code(),
        "client_suites": [3, 4, 1, 2],
        "server_suites": server_suites,
        "trust": "pinned_fingerprint",
        "server_identity_pkcs8": pkcs8,
        "server_identity_public": hex(key.public_key().raw().unwrap()),
        "server_identity_fingerprint": hex(key.public_key().fingerprint()),
        "client_random": l("client random"),
        "client_mlkem_seed": hex(&seed),
        "client_hybrid_x25519_scalar": l("client hybrid x25519"),
        "client_ephemeral_scalars": [
            {"group": "p256", "scalar": l("client p256")},
            {"group": "x25519", "scalar": l("client x25519")}
        ],
        "server_random": l("server random"),
        "server_x25519_scalar": l("server x25519"),
    })
}

/// Client and server of a hybrid vector with the fixed randomness. The client takes:
/// client_random, the expanded ML-KEM key, the hybrid X25519 scalar, then the classic
/// scalars in order of first appearance (P-256, X25519). The server: server_random, then
/// its X25519 scalar (its ML-KEM encapsulation is randomized).
fn hybrid_sessions(v: &Value) -> (Session, Session) {
    let s = |k: &str| unhex(v[k].as_str().unwrap_or_else(|| panic!("missing {k}")));
    let key = SigningKey::from_pkcs8_der(&s("server_identity_pkcs8")).unwrap();
    let codes = |k: &str| -> Vec<Suite> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|c| Suite::from_code(c.as_u64().unwrap() as u16).unwrap())
            .collect()
    };
    let scfg = ServerConfig::builder(key.clone())
        .unwrap()
        .suites(&codes("server_suites"))
        .unwrap()
        .build();
    let fp: [u8; 32] = s("server_identity_fingerprint").try_into().unwrap();
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedFingerprint(fp))
        .unwrap()
        .suites(&codes("client_suites"))
        .unwrap()
        .build()
        .unwrap();
    let mut ent = s("client_random");
    ent.extend(s("client_mlkem_dk"));
    ent.extend(s("client_hybrid_x25519_scalar"));
    for e in v["client_ephemeral_scalars"].as_array().unwrap() {
        ent.extend(unhex(e["scalar"].as_str().unwrap()));
    }
    let mut ce = FixedEntropy::new(ent);
    let client = Session::new_client_with(ccfg, Mode::Datagram, &mut ce).unwrap();
    assert!(ce.is_used_up());
    let mut se = s("server_random");
    se.extend(s("server_x25519_scalar"));
    let server =
        Session::new_server_with(scfg, Mode::Datagram, None, Box::new(FixedEntropy::new(se)));
    (client, server)
}

/// Offsets in a ServerHello: start of the server share.
fn share_start(sh: &[u8]) -> usize {
    1 + 2 + 32 + 2 + 1 + 2 * usize::from(sh[37]) + 2
}

const HYBRID_PACKETS: &[(&str, &[u8])] = &[
    ("c2s", b"hello post-quantum server"),
    ("c2s", b""),
    ("s2c", b"hello post-quantum client"),
];

/// Writes `tests/vectors/session_v1_hardening.json`. Run on purpose only:
/// `cargo test --lib generate_hardening_vectors -- --ignored`, then
/// `python3 tests/vectors/check_vectors.py tests/vectors/session_v1_hardening.json`.
#[test]
#[ignore = "generator: rewrites tests/vectors/session_v1_hardening.json"]
fn generate_hardening_vectors() {
    let mut key_updates = Vec::new();
    for base in v1_vectors().iter().take(2) {
        let (client, server) = established_from_v1(base);
        let events = run_scenario(&client, &server);
        let s = |k: &str| unhex(base[k].as_str().unwrap());
        key_updates.push(json!({
            "name": format!("key updates after: {}", base["name"].as_str().unwrap()),
            "base_vector": base["name"],
            "suite": base["suite"],
            "generations": generations(&s("c2s_secret"), &s("s2c_secret"), 4),
            "events": events,
        }));
    }
    let mut hybrid = Vec::new();
    for suite in [
        Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
        Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
    ] {
        let mut v = hybrid_inputs(suite);
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/check_vectors.py"
        );
        let out = std::process::Command::new("python3")
            .args([
                script,
                "--mlkem-dk",
                v["client_mlkem_seed"].as_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        v["client_mlkem_dk"] = json!(String::from_utf8(out.stdout).unwrap().trim());
        let (client, server) = hybrid_sessions(&v);
        let mut buf = vec![0u8; 4096];
        let n = client.write_handshake(&mut buf).unwrap();
        let ch = buf[..n].to_vec();
        server.read_handshake(&ch).unwrap();
        let n = server.write_handshake(&mut buf).unwrap();
        let sh = buf[..n].to_vec();
        client.read_handshake(&sh).unwrap();
        let n = client.write_handshake(&mut buf).unwrap();
        let fin = buf[..n].to_vec();
        server.read_handshake(&fin).unwrap();
        let at = share_start(&sh);
        let ct = &sh[at..at + 1088];
        let server_x = &sh[at + 1088..at + 1120];
        let dk = aws_lc_rs::kem::DecapsulationKey::new(
            &aws_lc_rs::kem::ML_KEM_768,
            &unhex(v["client_mlkem_dk"].as_str().unwrap()),
        )
        .unwrap();
        let ss_k = dk.decapsulate(ct.into()).unwrap().as_ref().to_vec();
        let x_priv = aws_lc_rs::agreement::PrivateKey::from_private_key(
            &aws_lc_rs::agreement::X25519,
            &unhex(v["client_hybrid_x25519_scalar"].as_str().unwrap()),
        )
        .unwrap();
        let ss_x = aws_lc_rs::agreement::agree(
            &x_priv,
            aws_lc_rs::agreement::UnparsedPublicKey::new(&aws_lc_rs::agreement::X25519, server_x),
            (),
            |s| Ok(s.to_vec()),
        )
        .unwrap();
        let shared = [ss_k.clone(), ss_x.clone()].concat();
        let th = sha256(&[unpadded(&ch), &sh[..sh.len() - 64]]);
        let sched = key_schedule(&th, &shared).unwrap();
        let mut packets = Vec::new();
        for (dir, pt) in HYBRID_PACKETS {
            let tx = if *dir == "c2s" { &client } else { &server };
            let pn = tx.packets_sent();
            let n = tx.seal(pt, &mut buf).unwrap();
            packets.push(
                json!({"direction": dir, "type": "data", "packet_number": pn,
                "plaintext": hex(pt), "packet": hex(&buf[..n])}),
            );
        }
        v["client_hello"] = json!(hex(&ch));
        v["server_hello"] = json!(hex(&sh));
        v["mlkem_ciphertext"] = json!(hex(ct));
        v["mlkem_shared_secret"] = json!(hex(&ss_k));
        v["x25519_shared_secret"] = json!(hex(&ss_x));
        v["shared_secret"] = json!(hex(&shared));
        v["transcript_hash"] = json!(hex(&th));
        v["prk"] = json!(hex(&hmac_sha256(&th, &shared)));
        v["generations"] = json!(generations(&sched.c2s_secret[..], &sched.s2c_secret[..], 1));
        v["client_finished"] = json!(hex(&fin));
        v["packets"] = json!(packets);
        hybrid.push(v);
    }
    let doc = json!({
        "protocol": "gamecrypt session v1: key update, hybrid post-quantum suites",
        "specification": "docs/PROTOCOL.md sections 17 and 20",
        "notes": [
            "All byte strings are lowercase hex. Integers are JSON numbers.",
            "key_update: each vector continues the v1 vector named base_vector (tests/vectors/session_v1.json) after its handshake, in datagram mode. generations[n] holds the secrets, keys and ivs of generation n (generation 0 = the v1 traffic secrets). events are applied in order: 'update' = that side starts a key update; 'packet' = that direction seals it (packet numbers continue across updates) and the peer opens it at once.",
            "hybrid: the client's ML-KEM-768 key is client_mlkem_seed (d || z, 64 bytes) and client_mlkem_dk its expanded 2400-byte decapsulation key. Client randomness is consumed as: client_random, client_mlkem_dk, client_hybrid_x25519_scalar, then client_ephemeral_scalars in order. Server: server_random, then server_x25519_scalar; the server's ML-KEM encapsulation is randomized.",
            "hybrid: server_hello is one valid sample: its ML-KEM ciphertext (mlkem_ciphertext) and, for ECDSA, its (low-S) signature are randomized: verify (decapsulate, check the signature), do not compare. Every other value, including all keys derived from this server_hello, is exact.",
            "Generated by the ignored test session::tests_vectors_hardening::generate_hardening_vectors; independently recomputed by tests/vectors/check_vectors.py (Python cryptography)."
        ],
        "key_update": key_updates,
        "hybrid": hybrid,
    });
    std::fs::write(PATH, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
}

fn doc() -> Value {
    serde_json::from_str(include_str!(
        "../../tests/vectors/session_v1_hardening.json"
    ))
    .unwrap()
}

#[test]
fn key_update_vectors_are_reproduced() {
    let doc = doc();
    let bases = v1_vectors();
    let vectors = doc["key_update"].as_array().unwrap();
    assert_eq!(vectors.len(), 2);
    for v in vectors {
        let base = bases
            .iter()
            .find(|b| b["name"] == v["base_vector"])
            .unwrap();
        let s = |k: &str| unhex(base[k].as_str().unwrap());
        assert_eq!(
            generations(&s("c2s_secret"), &s("s2c_secret"), 4),
            v["generations"].as_array().unwrap().clone()
        );
        let (client, server) = established_from_v1(base);
        assert_eq!(
            run_scenario(&client, &server),
            v["events"].as_array().unwrap().clone()
        );
        assert_eq!(client.state(), State::Closed);
        assert_eq!(server.state(), State::Closed);
    }
}

#[test]
fn hybrid_vectors_are_reproduced() {
    let doc = doc();
    let vectors = doc["hybrid"].as_array().unwrap();
    assert_eq!(vectors.len(), 2);
    for v in vectors {
        let s = |k: &str| unhex(v[k].as_str().unwrap_or_else(|| panic!("missing {k}")));
        let (client, server) = hybrid_sessions(v);
        let mut buf = vec![0u8; 4096];
        // ClientHello: exact.
        let n = client.write_handshake(&mut buf).unwrap();
        assert_eq!(hex(&buf[..n]), hex(&s("client_hello")));
        assert_eq!(n, 2583);
        // The server's own ServerHello: exact outside the ML-KEM ciphertext and signature.
        server.read_handshake(&buf[..n]).unwrap();
        let n = server.write_handshake(&mut buf).unwrap();
        let sh = s("server_hello");
        assert_eq!(n, sh.len());
        let at = share_start(&sh);
        assert_eq!(hex(&buf[..at]), hex(&sh[..at]));
        assert_eq!(
            hex(&buf[at + 1088..n - 64]),
            hex(&sh[at + 1088..sh.len() - 64])
        );
        assert_eq!(hex(&sh[at..at + 1088]), hex(&s("mlkem_ciphertext")));
        // The client accepts the vector's ServerHello and derives the vector's keys: its
        // Finished and packets are exact (aws-lc decapsulation with the expanded key gives
        // the ML-KEM secret that Python derives from the seed).
        client.read_handshake(&sh).unwrap();
        assert_eq!(
            u64::from(client.suite().unwrap().code()),
            v["suite"].as_u64().unwrap()
        );
        let n = client.write_handshake(&mut buf).unwrap();
        assert_eq!(hex(&buf[..n]), hex(&s("client_finished")));
        let th = sha256(&[unpadded(&s("client_hello")), &sh[..sh.len() - 64]]);
        assert_eq!(hex(&th), hex(&s("transcript_hash")));
        let shared = s("shared_secret");
        assert_eq!(shared.len(), 64);
        assert_eq!(
            shared,
            [s("mlkem_shared_secret"), s("x25519_shared_secret")].concat()
        );
        let sched = key_schedule(&th, &shared).unwrap();
        assert_eq!(
            generations(&sched.c2s_secret[..], &sched.s2c_secret[..], 1),
            v["generations"].as_array().unwrap().clone()
        );
        let suite = client.suite().unwrap();
        let mut s2c = SendHalf::new(suite, &sched.s2c_secret).unwrap();
        let mut pt = vec![0u8; 256];
        for p in v["packets"].as_array().unwrap() {
            let plaintext = unhex(p["plaintext"].as_str().unwrap());
            let packet = unhex(p["packet"].as_str().unwrap());
            if p["direction"] == "c2s" {
                assert_eq!(client.packets_sent(), p["packet_number"].as_u64().unwrap());
                let n = client.seal(&plaintext, &mut buf).unwrap();
                assert_eq!(hex(&buf[..n]), hex(&packet));
            } else {
                assert_eq!(
                    s2c.next_packet_number(),
                    p["packet_number"].as_u64().unwrap()
                );
                let n = s2c.seal(0, &plaintext, &mut buf).unwrap();
                assert_eq!(hex(&buf[..n]), hex(&packet));
                let m = client.open(&packet, &mut pt).unwrap();
                assert_eq!(&pt[..m], &plaintext[..]);
            }
        }
    }
}
