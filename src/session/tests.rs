//! Unit tests that need crate internals: the test vectors (fixed randomness), packet-number
//! exhaustion, and the handshake internals.

use super::handshake::{self, key_schedule, sha256};
use super::suite::FixedEntropy;
use super::transport::traffic_keys;
use super::*;
use crate::keys::SigningKey;
pub(super) use crate::session_support::unpadded;
use serde_json::{json, Value};

pub(super) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub(super) fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Fixed inputs of one vector (the scalars are SHA-256 of labels, computed with Python).
struct VectorInput {
    name: &'static str,
    client_suites: &'static [Suite],
    /// The server's accepted suites S (section 5), sent in its ServerHello.
    server_suites: &'static [Suite],
    trust: &'static str,
    server_pkcs8: &'static str,
    /// (root PKCS#8, certificate name, not_before, not_after, now, expected name)
    cert: Option<(&'static str, &'static str, u64, u64, u64, &'static str)>,
    client_random: &'static str,
    client_scalars: &'static [(&'static str, &'static str)],
    server_random: &'static str,
    server_scalar: &'static str,
}

pub(super) const SERVER_P256_PKCS8: &str = "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b020101042017fe6937d23c94b484f93be202ba82e6a41e379b02eb4e8adc460131f38c7310a14403420004ade362c2aa050c0735a69fee8f4f4fd3ba144b368f94ea6edb386d1579910ec82ef4d586ba8dae2c6331e3601584ac7800620c9e277f65d90f1cc93b6da0d698";
pub(super) const SERVER_ED25519_PKCS8: &str = "302e020100300506032b65700422042060729a2459f71f360a4f7804e1df3980fc632a16d3c6b079bcd1b82eaf01720a";
const ROOT_ED25519_PKCS8: &str = "302e020100300506032b6570042204202b6dd71186b8289c7a8246779ea781ba43eef848b486101b2ce234f4348bcac9";

const INPUTS: &[VectorInput] = &[
    VectorInput {
        name: "p256 suite, pinned fingerprint, client offers both suites",
        client_suites: &[
            Suite::P256EcdsaAes256GcmSha256,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256,
        ],
        server_suites: &[Suite::P256EcdsaAes256GcmSha256],
        trust: "pinned_fingerprint",
        server_pkcs8: SERVER_P256_PKCS8,
        cert: None,
        client_random: "c184eb761e926ea23d4097866d02a1bf42a03214906118250d37ed14e155dff9",
        client_scalars: &[
            ("p256", "f3610c4053720b166a0c0adbaf8a25aae98ec281bca1fea2ed29fbd663f25410"),
            ("x25519", "fbbcf36b9da5f12b365536779fa2e994f6ef02f54f8db6a71cefc42050efcdb4"),
        ],
        server_random: "e6d21ab3757390d6b989e13cc6603e25e24ba6d87e570cb7f08a6624957ebafb",
        server_scalar: "d4a221dcee1ec31eb17184abfe2a45bc748aadd2fdbeab230ebe09cb19ad9fa6",
    },
    VectorInput {
        name: "x25519 suite chosen by an Ed25519 server although the client prefers p256, pinned fingerprint",
        client_suites: &[
            Suite::P256EcdsaAes256GcmSha256,
            Suite::X25519Ed25519ChaCha20Poly1305Sha256,
        ],
        server_suites: &[Suite::X25519Ed25519ChaCha20Poly1305Sha256],
        trust: "pinned_fingerprint",
        server_pkcs8: SERVER_ED25519_PKCS8,
        cert: None,
        client_random: "b4fab988fe536be19d199ca7d09e68f3dcb7a29d8cf10cac0c759405a4a9a37b",
        client_scalars: &[
            ("p256", "fb03bb54d911e49345d7ad9651fa888b655f581c0b528ab60f2419f940d90c9f"),
            ("x25519", "0639275404d1b08a720b7b7593ace912ce662a386c9aad4ba1a6823360f432e8"),
        ],
        server_random: "d8570f3f69ef8e786b75ff4b8d0c9f4d8755104dfe6d140fb841652cb58061fb",
        server_scalar: "a169b488b45718a909822ef5a45a9855f40637e44193125f7125bfe8b3a187c5",
    },
    VectorInput {
        name: "x25519 suite, certificate from an Ed25519 root, expected server name",
        client_suites: &[Suite::X25519Ed25519ChaCha20Poly1305Sha256],
        server_suites: &[Suite::X25519Ed25519ChaCha20Poly1305Sha256],
        trust: "root",
        server_pkcs8: SERVER_ED25519_PKCS8,
        cert: Some((
            ROOT_ED25519_PKCS8,
            "eu-west-1.game.example",
            1_700_000_000,
            1_900_000_000,
            1_800_000_000,
            "eu-west-1.game.example",
        )),
        client_random: "38818b004537c535334e9b224b1cabe54c28b27dafc06200b5d6241f2e3c94e3",
        client_scalars: &[(
            "x25519",
            "eb315e36841a41031316fcc56087ecc5f65588ffb6798a73ded7e8e4a32a1a7a",
        )],
        server_random: "3732019f527627c603c512bcbf8dab6b0256a8fde9b432949e092040043d53cd",
        server_scalar: "595f252dc6204f91134b69846a4a0e68babdbc5cd0014f326b019711eeb96727",
    },
];

/// (direction, plaintext) of the sealed packets of every vector, in sealing order per side.
fn vector_packets() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("c2s", b"hello server".to_vec()),
        ("c2s", Vec::new()),
        ("s2c", b"hello client".to_vec()),
        ("s2c", (0u8..100).collect()),
    ]
}

fn suite_code_list(suites: &[Suite]) -> Vec<u16> {
    suites.iter().map(|s| s.code()).collect()
}

/// Builds both configurations and sessions of a vector from its JSON description.
pub(super) fn sessions_from_json(v: &Value) -> (Session, Session, Option<Vec<u8>>) {
    let s = |k: &str| v[k].as_str().unwrap_or_else(|| panic!("missing {k}"));
    let server_key = SigningKey::from_pkcs8_der(&unhex(s("server_identity_pkcs8"))).unwrap();
    // Every vector lists the server's accepted suites (docs/PROTOCOL.md section 14).
    let server_suites: Vec<Suite> = v["server_suites"]
        .as_array()
        .expect("missing server_suites")
        .iter()
        .map(|c| Suite::from_code(c.as_u64().unwrap() as u16).unwrap())
        .collect();
    let mut server_builder = ServerConfig::builder(server_key.clone())
        .unwrap()
        .suites(&server_suites)
        .unwrap();
    let mut cert = None;
    if v["root_pkcs8"].is_string() {
        let root = SigningKey::from_pkcs8_der(&unhex(s("root_pkcs8"))).unwrap();
        let c = Certificate::issue(
            &root,
            server_key.public_key(),
            s("certificate_name"),
            v["certificate_not_before"].as_u64().unwrap(),
            v["certificate_not_after"].as_u64().unwrap(),
        )
        .unwrap();
        server_builder = server_builder.certificate(c.as_bytes()).unwrap();
        cert = Some(c.as_bytes().to_vec());
    }
    let server_cfg = server_builder.build();
    let anchor = match s("trust") {
        "pinned_key" => TrustAnchor::PinnedKey(server_key.public_key().clone()),
        "pinned_fingerprint" => {
            let fp = unhex(s("server_identity_fingerprint"));
            TrustAnchor::PinnedFingerprint(fp.try_into().unwrap())
        }
        "root" => {
            let root = SigningKey::from_pkcs8_der(&unhex(s("root_pkcs8"))).unwrap();
            TrustAnchor::Root(root.public_key().clone())
        }
        other => panic!("unknown trust {other}"),
    };
    let suites: Vec<Suite> = v["client_suites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Suite::from_code(c.as_u64().unwrap() as u16).unwrap())
        .collect();
    let mut client_builder = ClientConfig::builder(anchor)
        .unwrap()
        .suites(&suites)
        .unwrap();
    if let Some(name) = v["expected_server_name"].as_str() {
        client_builder = client_builder.server_name(name).unwrap();
    } else if s("trust") == "root" {
        client_builder = client_builder.dangerous_accept_any_server_name().unwrap();
    }
    if let Some(now) = v["now"].as_u64() {
        client_builder = client_builder.clock(Arc::new(move || now));
    }
    let client_cfg = client_builder.build().unwrap();

    let mut client_entropy = unhex(s("client_random"));
    for e in v["client_ephemeral_scalars"].as_array().unwrap() {
        client_entropy.extend(unhex(e["scalar"].as_str().unwrap()));
    }
    let mut ce = FixedEntropy::new(client_entropy);
    let client = Session::new_client_with(client_cfg, Mode::Stream, &mut ce).unwrap();
    assert!(ce.is_used_up(), "client used exactly the given randomness");
    let mut server_entropy = unhex(s("server_random"));
    server_entropy.extend(unhex(s("server_ephemeral_scalar")));
    let server = Session::new_server_with(
        server_cfg,
        Mode::Stream,
        None,
        Box::new(FixedEntropy::new(server_entropy)),
    );
    (client, server, cert)
}

pub(super) fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    use aws_lc_rs::hmac;
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), msg)
        .as_ref()
        .to_vec()
}

/// Independent ECDH for the vector file (aws-lc directly, not the session code path).
fn ecdh(group: &str, scalar: &[u8], peer: &[u8]) -> Vec<u8> {
    use aws_lc_rs::agreement;
    let alg = if group == "p256" {
        &agreement::ECDH_P256
    } else {
        &agreement::X25519
    };
    let key = agreement::PrivateKey::from_private_key(alg, scalar).unwrap();
    agreement::agree(
        &key,
        agreement::UnparsedPublicKey::new(alg, peer),
        (),
        |s| Ok(s.to_vec()),
    )
    .unwrap()
}

/// Writes `tests/vectors/session_v1.json`. Run on purpose only:
/// `cargo test --lib generate_session_vectors -- --ignored`, then check the file with
/// `python3 tests/vectors/check_vectors.py`.
#[test]
#[ignore = "generator: rewrites tests/vectors/session_v1.json"]
fn generate_session_vectors() {
    let mut out = Vec::new();
    for input in INPUTS {
        let server_key = SigningKey::from_pkcs8_der(&unhex(input.server_pkcs8)).unwrap();
        let mut v = json!({
            "name": input.name,
            "client_suites": suite_code_list(input.client_suites),
            "server_suites": suite_code_list(input.server_suites),
            "trust": input.trust,
            "server_identity_pkcs8": input.server_pkcs8,
            "server_identity_public": hex(server_key.public_key().raw().unwrap()),
            "server_identity_spki": hex(server_key.public_key().spki_der()),
            "server_identity_fingerprint": hex(server_key.public_key().fingerprint()),
            "root_pkcs8": null, "root_public": null, "certificate": null,
            "certificate_name": null, "certificate_not_before": null, "certificate_not_after": null,
            "now": null, "expected_server_name": null,
            "client_random": input.client_random,
            "client_ephemeral_scalars": input.client_scalars.iter()
                .map(|(g, s)| json!({"group": g, "scalar": s})).collect::<Vec<_>>(),
            "server_random": input.server_random,
            "server_ephemeral_scalar": input.server_scalar,
        });
        if let Some((root, name, nb, na, now, expected)) = input.cert {
            let root_key = SigningKey::from_pkcs8_der(&unhex(root)).unwrap();
            v["root_pkcs8"] = json!(root);
            v["root_public"] = json!(hex(root_key.public_key().raw().unwrap()));
            v["certificate_name"] = json!(name);
            v["certificate_not_before"] = json!(nb);
            v["certificate_not_after"] = json!(na);
            v["now"] = json!(now);
            v["expected_server_name"] = json!(expected);
        }
        let (client, server, cert) = sessions_from_json(&v);
        if let Some(c) = cert {
            v["certificate"] = json!(hex(&c));
        }
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
        let suite = client.suite().unwrap();

        // Intermediate values, computed outside the session.
        let th = sha256(&[unpadded(&ch), &sh[..sh.len() - 64]]);
        let share_start = 1 + 2 + 32 + 2 + 1 + 2 * usize::from(sh[37]) + 2;
        let server_share = &sh[share_start..share_start + suite.group().share_len()];
        let group = if suite == Suite::P256EcdsaAes256GcmSha256 {
            "p256"
        } else {
            "x25519"
        };
        let scalar = input
            .client_scalars
            .iter()
            .find(|(g, _)| *g == group)
            .unwrap()
            .1;
        let shared = ecdh(group, &unhex(scalar), server_share);
        let prk = hmac_sha256(&th, &shared);
        let sched = key_schedule(&th, &shared).unwrap();

        let mut packets = Vec::new();
        for (dir, pt) in vector_packets() {
            let sender = if dir == "c2s" { &client } else { &server };
            let pn = sender.packets_sent();
            let n = sender.seal(&pt, &mut buf).unwrap();
            packets.push(
                json!({"direction": dir, "type": "data", "packet_number": pn,
                "plaintext": hex(&pt), "packet": hex(&buf[..n])}),
            );
        }
        let pn = client.packets_sent();
        let n = client.close(&mut buf).unwrap();
        packets.push(
            json!({"direction": "c2s", "type": "close", "packet_number": pn,
            "plaintext": "", "packet": hex(&buf[..n])}),
        );

        v["suite"] = json!(suite.code());
        v["client_hello"] = json!(hex(&ch));
        v["server_hello"] = json!(hex(&sh));
        v["server_hello_signature_exact"] = json!(suite != Suite::P256EcdsaAes256GcmSha256);
        v["transcript_hash"] = json!(hex(&th));
        v["shared_secret"] = json!(hex(&shared));
        v["prk"] = json!(hex(&prk));
        v["c2s_secret"] = json!(hex(&sched.c2s_secret[..]));
        v["s2c_secret"] = json!(hex(&sched.s2c_secret[..]));
        v["c2s_key"] = json!(hex(&traffic_keys(&sched.c2s_secret).unwrap().key[..]));
        v["c2s_iv"] = json!(hex(&traffic_keys(&sched.c2s_secret).unwrap().iv[..]));
        v["s2c_key"] = json!(hex(&traffic_keys(&sched.s2c_secret).unwrap().key[..]));
        v["s2c_iv"] = json!(hex(&traffic_keys(&sched.s2c_secret).unwrap().iv[..]));
        v["client_finished"] = json!(hex(&fin));
        v["packets"] = json!(packets);
        v["rejections"] = json!(vector_rejections(&ch, &sh, suite, v["trust"] == "root"));
        out.push(v);
    }
    let doc = json!({
        "protocol": "gamecrypt session v1",
        "specification": "docs/PROTOCOL.md",
        "notes": [
            "All byte strings are lowercase hex. Integers are JSON numbers.",
            "Client randomness is consumed as: client_random, then the client_ephemeral_scalars in order. Server: server_random, then server_ephemeral_scalar.",
            "When server_hello_signature_exact is false (ECDSA), the last 64 bytes of server_hello are one valid randomized low-S signature (s <= n/2, PROTOCOL.md section 3): verify it, do not compare it. Every other value is exact; the key schedule does not use the signature bytes.",
            "The certificate (when present) is issued by root_pkcs8 for the server identity key; with an Ed25519 root it is exact.",
            "server_suites is the server's accepted suite list S (sections 5 and 6), an input like client_suites. Every field is described in docs/PROTOCOL.md section 14.",
            "rejections: messages derived from this vector's that the receiver (to: server = in NEED_READ for the ClientHello, to: client = after writing this vector's client_hello, stream mode) must refuse with error (a name of docs/PROTOCOL.md): an offer_count beyond the offers (section 4 check 4), an Ed25519 raw key of small order with the signature R = identity, S = 0 (sections 3 and 7 step 6), the high-S form of an ECDSA signature (section 3).",
            "Generated by the ignored test session::tests::generate_session_vectors; independently recomputed by tests/vectors/check_vectors.py (Python cryptography)."
        ],
        "vectors": out,
    });
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/session_v1.json");
    std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
}

/// Messages derived from a vector that must be refused (docs/PROTOCOL.md sections 3, 4 and
/// 7), written into the vector file: `{to, name, message, error}`.
fn vector_rejections(ch: &[u8], sh: &[u8], suite: Suite, certificate: bool) -> Vec<Value> {
    let mut out = Vec::new();
    let mut extra_offer = ch.to_vec();
    extra_offer[35] += 1;
    out.push(
        json!({"to": "server", "name": "offer_count one beyond the offers (section 4 check 4)",
        "message": hex(&extra_offer), "error": "HandshakeMalformed"}),
    );
    if suite.key_type() == crate::keys::KeyType::Ed25519 && !certificate {
        let at = 38 + 2 * usize::from(sh[37]);
        let id = at + 2 + usize::from(u16::from_be_bytes([sh[at], sh[at + 1]])) + 3;
        for (i, weak) in crate::sigcheck::ED25519_SMALL_ORDER_KEYS.iter().enumerate() {
            let mut m = sh.to_vec();
            m[id..id + 32].copy_from_slice(weak);
            let n = m.len();
            m[n - 64..].copy_from_slice(&[0u8; 64]);
            m[n - 64] = 1; // R = the identity point, S = 0
            out.push(json!({"to": "client",
                "name": format!("small-order Ed25519 server key {i} with a forged signature (sections 3, 7 step 6)"),
                "message": hex(&m), "error": "PublicKeyWeak"}));
        }
    }
    if suite.key_type() == crate::keys::KeyType::EcdsaP256 {
        // s := n - s: the other (high-S) form of the vector's low-S signature.
        let mut m = sh.to_vec();
        let n = m.len();
        let mut s = [0u8; 32];
        s.copy_from_slice(&m[n - 32..]);
        assert!(crate::sigcheck::fixed_is_low_s(&m[n - 64..]));
        let order = crate::sigcheck::p256_order();
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let mut d = i16::from(order[i]) - i16::from(s[i]) - borrow;
            borrow = i16::from(d < 0);
            if d < 0 {
                d += 256;
            }
            m[n - 32 + i] = d as u8;
        }
        out.push(
            json!({"to": "client", "name": "the high-S form of the server's signature (section 3)",
            "message": hex(&m), "error": "HandshakeSignatureInvalid"}),
        );
    }
    out
}

#[test]
fn session_vector_rejections_are_reproduced() {
    let doc: Value =
        serde_json::from_str(include_str!("../../tests/vectors/session_v1.json")).unwrap();
    let mut count = 0;
    for v in doc["vectors"].as_array().unwrap() {
        for r in v["rejections"].as_array().unwrap() {
            let m = unhex(r["message"].as_str().unwrap());
            let expected = Error::ALL
                .iter()
                .copied()
                .find(|e| format!("{e:?}") == r["error"].as_str().unwrap())
                .unwrap();
            let (client, server, _) = sessions_from_json(v);
            let mut buf = vec![0u8; 4096];
            client.write_handshake(&mut buf).unwrap();
            let got = if r["to"] == "server" {
                server.read_handshake(&m)
            } else {
                client.read_handshake(&m)
            };
            assert_eq!(got, Err(expected), "{}", r["name"]);
            count += 1;
        }
    }
    assert!(count >= 11, "{count} rejections");
}

#[test]
fn session_vectors_are_reproduced() {
    let doc: Value =
        serde_json::from_str(include_str!("../../tests/vectors/session_v1.json")).unwrap();
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), INPUTS.len());
    for v in vectors {
        let s = |k: &str| unhex(v[k].as_str().unwrap_or_else(|| panic!("missing {k}")));
        let (client, server, cert) = sessions_from_json(v);
        if v["certificate"].is_string() {
            assert_eq!(cert.unwrap(), s("certificate"), "certificate");
        }
        let exact_signature = v["server_hello_signature_exact"].as_bool().unwrap();
        let mut buf = vec![0u8; 4096];

        // ClientHello: exact.
        let n = client.write_handshake(&mut buf).unwrap();
        assert_eq!(hex(&buf[..n]), hex(&s("client_hello")), "client_hello");
        server.read_handshake(&buf[..n]).unwrap();

        // ServerHello: exact except a randomized ECDSA signature.
        let sh = s("server_hello");
        let n = server.write_handshake(&mut buf).unwrap();
        if exact_signature {
            assert_eq!(hex(&buf[..n]), hex(&sh), "server_hello");
        } else {
            assert_eq!(n, sh.len());
            assert_eq!(
                hex(&buf[..n - 64]),
                hex(&sh[..sh.len() - 64]),
                "server_hello body"
            );
        }
        // The client accepts the vector's ServerHello (so its signature verifies) ...
        client.read_handshake(&sh).unwrap();
        assert_eq!(
            u64::from(client.suite().unwrap().code()),
            v["suite"].as_u64().unwrap()
        );
        // ... and derives the keys: its Finished is exact and opens at the server, whose own
        // ServerHello had another signature (the keys do not depend on it).
        let n = client.write_handshake(&mut buf).unwrap();
        assert_eq!(
            hex(&buf[..n]),
            hex(&s("client_finished")),
            "client_finished"
        );
        server.read_handshake(&buf[..n]).unwrap();

        // Key schedule from the vector's transcript hash and ECDH output.
        let th = sha256(&[unpadded(&s("client_hello")), &sh[..sh.len() - 64]]);
        assert_eq!(hex(&th), hex(&s("transcript_hash")));
        let shared: [u8; 32] = s("shared_secret").try_into().unwrap();
        let sched = key_schedule(&th, &shared).unwrap();
        assert_eq!(hex(&sched.c2s_secret[..]), hex(&s("c2s_secret")));
        assert_eq!(hex(&sched.s2c_secret[..]), hex(&s("s2c_secret")));
        assert_eq!(
            hex(&traffic_keys(&sched.c2s_secret).unwrap().key[..]),
            hex(&s("c2s_key"))
        );
        assert_eq!(
            hex(&traffic_keys(&sched.c2s_secret).unwrap().iv[..]),
            hex(&s("c2s_iv"))
        );
        assert_eq!(
            hex(&traffic_keys(&sched.s2c_secret).unwrap().key[..]),
            hex(&s("s2c_key"))
        );
        assert_eq!(
            hex(&traffic_keys(&sched.s2c_secret).unwrap().iv[..]),
            hex(&s("s2c_iv"))
        );
        assert_eq!(hex(&hmac_sha256(&th, &shared)), hex(&s("prk")));

        // Packets: exact bytes, and they open at the peer.
        let mut pt = vec![0u8; 4096];
        for p in v["packets"].as_array().unwrap() {
            let dir = p["direction"].as_str().unwrap();
            let (sender, receiver) = if dir == "c2s" {
                (&client, &server)
            } else {
                (&server, &client)
            };
            let plaintext = unhex(p["plaintext"].as_str().unwrap());
            let packet = unhex(p["packet"].as_str().unwrap());
            assert_eq!(sender.packets_sent(), p["packet_number"].as_u64().unwrap());
            if p["type"] == "close" {
                let n = sender.close(&mut buf).unwrap();
                assert_eq!(hex(&buf[..n]), hex(&packet), "close packet");
                assert_eq!(receiver.open(&packet, &mut pt), Err(Error::PeerClosed));
                // The peer's close ends the receiver as `close` does: keys erased.
                assert_eq!(receiver.packets_sent(), 0);
                assert!(!receiver.keeps_previous_key());
                assert_eq!(receiver.seal(b"x", &mut buf), Err(Error::SessionClosed));
            } else {
                let n = sender.seal(&plaintext, &mut buf).unwrap();
                assert_eq!(hex(&buf[..n]), hex(&packet), "{dir} packet");
                let m = receiver.open(&packet, &mut pt).unwrap();
                assert_eq!(&pt[..m], &plaintext[..]);
            }
        }
        assert_eq!(client.state(), State::Closed);
        assert_eq!(server.state(), State::Closed);
    }
}

/// An established pair with the default configurations of an Ed25519 key (which negotiate
/// the hybrid Ed25519 suite).
fn established(mode: Mode) -> (Session, Session) {
    crate::session_support::established_suite(
        Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
        mode,
    )
}

#[test]
fn packet_numbers_never_wrap() {
    for mode in [Mode::Datagram, Mode::Stream] {
        let (c, s) = established(mode);
        let max = transport::MAX_PACKET_NUMBER;
        c.set_next_packet_number(max);
        if mode == Mode::Stream {
            // The stream receiver expects 1; jump it too by a datagram-free route: only check
            // the sender side here.
            let mut out = [0u8; 64];
            let n = c.seal(b"last", &mut out).unwrap();
            assert_eq!(&out[1..8], &[0xff; 7], "packet number 2^56-1 on the wire");
            assert_eq!(n, 28);
        } else {
            let mut out = [0u8; 64];
            let mut pt = [0u8; 64];
            let n = c.seal(b"last", &mut out).unwrap();
            assert_eq!(&out[1..8], &[0xff; 7]);
            assert_eq!(s.open(&out[..n], &mut pt).unwrap(), 4);
        }
        let mut out = [0u8; 64];
        assert_eq!(c.seal(b"more", &mut out), Err(Error::KeyExhausted));
        assert_eq!(c.seal(b"more", &mut out), Err(Error::KeyExhausted));
        // Exhaustion is not a failure: receiving still works, and close sends nothing.
        assert_eq!(c.state(), State::Established);
        let n = s.seal(b"still", &mut out).unwrap();
        let mut pt = [0u8; 64];
        assert_eq!(c.open(&out[..n], &mut pt).unwrap(), 5);
        assert_eq!(c.close(&mut out).unwrap(), 0);
        assert_eq!(c.state(), State::Closed);
    }
}

#[test]
fn server_hello_sizes_match_the_specification() {
    for (kt, raw_len, cert_len) in [
        (crate::keys::KeyType::EcdsaP256, 241, 335),
        (crate::keys::KeyType::Ed25519, 175, 269),
    ] {
        let key = SigningKey::generate(kt).unwrap();
        let root = SigningKey::generate(crate::keys::KeyType::Ed25519).unwrap();
        let cert = Certificate::issue(&root, key.public_key(), "abc", 0, 10).unwrap();
        for (with_cert, expected) in [(false, raw_len), (true, cert_len + 3)] {
            let classic: Vec<Suite> = Suite::all()
                .iter()
                .copied()
                .filter(|s| !s.is_post_quantum())
                .collect();
            let mut b = ServerConfig::builder(key.clone())
                .unwrap()
                .suites(&[classic[if kt == crate::keys::KeyType::EcdsaP256 {
                    0
                } else {
                    1
                }]])
                .unwrap();
            if with_cert {
                b = b.certificate(cert.as_bytes()).unwrap();
            }
            let ccfg = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
                .unwrap()
                .suites(&classic)
                .unwrap()
                .build()
                .unwrap();
            let c = Session::new_client(ccfg, Mode::Datagram).unwrap();
            let s = Session::new_server(b.build(), Mode::Datagram);
            let mut buf = [0u8; 4096];
            let n = c.write_handshake(&mut buf).unwrap();
            assert_eq!(n, handshake::CLIENT_HELLO_MIN_LEN);
            s.read_handshake(&buf[..n]).unwrap();
            assert_eq!(s.write_handshake(&mut buf).unwrap(), expected);
        }
    }
}

fn vector_docs() -> Vec<Value> {
    let doc: Value =
        serde_json::from_str(include_str!("../../tests/vectors/session_v1.json")).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

/// Flipping any single bit of the ClientHello never lets a handshake complete: either the
/// server rejects it, or (for bits the server cannot check, like the randoms and key shares)
/// the client rejects the ServerHello because the signed transcript differs.
#[test]
fn every_client_hello_bit_flip_is_rejected() {
    for v in vector_docs() {
        let ch = unhex(v["client_hello"].as_str().unwrap());
        let mut server_rejects = 0;
        let mut client_rejects = 0;
        for bit in 0..ch.len() * 8 {
            let mut m = ch.clone();
            m[bit / 8] ^= 1 << (bit % 8);
            let (client, server, _) = sessions_from_json(&v);
            let mut buf = vec![0u8; 4096];
            client.write_handshake(&mut buf).unwrap();
            match server.read_handshake(&m) {
                Err(e) => {
                    assert!(
                        matches!(
                            e,
                            Error::HandshakeMalformed
                                | Error::UnsupportedVersion
                                | Error::NoCommonSuite
                        ),
                        "bit {bit}: {e:?}"
                    );
                    assert_eq!(server.state(), State::Failed);
                    server_rejects += 1;
                }
                Ok(()) => {
                    let n = server.write_handshake(&mut buf).unwrap();
                    let e = client.read_handshake(&buf[..n]).unwrap_err();
                    assert!(
                        matches!(
                            e,
                            Error::HandshakeSignatureInvalid | Error::DowngradeDetected
                        ),
                        "bit {bit}: {e:?}"
                    );
                    assert_eq!(client.state(), State::Failed);
                    client_rejects += 1;
                }
            }
        }
        // Most bits are checked by the server (padding, lengths...), the randoms and shares
        // by the client's signature check.
        assert!(server_rejects > 0 && client_rejects > 0);
    }
}

#[test]
fn every_server_hello_bit_flip_is_rejected() {
    for v in vector_docs() {
        let sh = unhex(v["server_hello"].as_str().unwrap());
        for bit in 0..sh.len() * 8 {
            let mut m = sh.clone();
            m[bit / 8] ^= 1 << (bit % 8);
            let (client, _server, _) = sessions_from_json(&v);
            let mut buf = vec![0u8; 4096];
            client.write_handshake(&mut buf).unwrap();
            let e = client.read_handshake(&m).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::HandshakeMalformed
                        | Error::UnsupportedVersion
                        | Error::DowngradeDetected
                        | Error::HandshakeSignatureInvalid
                        | Error::CertificateMalformed
                ),
                "bit {bit}: {e:?}"
            );
            assert_eq!(client.state(), State::Failed);
            assert_eq!(client.seal(b"x", &mut buf), Err(Error::SessionFailed));
        }
        // Truncated or extended ServerHellos are rejected too.
        for len in [0, 1, 3, 35, sh.len() - 65, sh.len() - 1] {
            let (client, _server, _) = sessions_from_json(&v);
            let mut buf = vec![0u8; 4096];
            client.write_handshake(&mut buf).unwrap();
            assert!(client.read_handshake(&sh[..len]).is_err(), "len {len}");
        }
        let (client, _server, _) = sessions_from_json(&v);
        let mut buf = vec![0u8; 4096];
        client.write_handshake(&mut buf).unwrap();
        let mut longer = sh.clone();
        longer.push(0);
        assert_eq!(
            client.read_handshake(&longer),
            Err(Error::HandshakeMalformed)
        );
    }
}

#[test]
fn every_client_finished_bit_flip_is_rejected() {
    for v in vector_docs() {
        let ch = unhex(v["client_hello"].as_str().unwrap());
        let fin = unhex(v["client_finished"].as_str().unwrap());
        for bit in 0..fin.len() * 8 {
            let mut m = fin.clone();
            m[bit / 8] ^= 1 << (bit % 8);
            let (_client, server, _) = sessions_from_json(&v);
            let mut buf = vec![0u8; 4096];
            server.read_handshake(&ch).unwrap();
            server.write_handshake(&mut buf).unwrap();
            let e = server.read_handshake(&m).unwrap_err();
            let expected = if bit < 64 {
                Error::HandshakeMalformed
            } else {
                Error::PacketAuthFailed
            };
            assert_eq!(e, expected, "bit {bit}");
            assert_eq!(server.state(), State::Failed);
        }
        // The genuine one is accepted by a fresh server.
        let (_client, server, _) = sessions_from_json(&v);
        let mut buf = vec![0u8; 4096];
        server.read_handshake(&ch).unwrap();
        server.write_handshake(&mut buf).unwrap();
        server.read_handshake(&fin).unwrap();
        assert_eq!(server.state(), State::Established);
    }
}

/// The transcript covers the ClientHello without its zero padding (section 6): a server that
/// receives the same ClientHello with more padding signs and derives exactly what the client
/// that sent the shorter one computes, so the client accepts its ServerHello and the keys
/// agree. (With the padding in the transcript the signature check fails.) A non-zero padding
/// byte is still refused.
#[test]
fn padding_is_not_in_the_transcript() {
    for v in vector_docs() {
        let (client, _, _) = sessions_from_json(&v);
        let (_, server, _) = sessions_from_json(&v);
        let mut buf = vec![0u8; 4096];
        let n = client.write_handshake(&mut buf).unwrap();
        let ch = buf[..n].to_vec();
        let unpadded_len = unpadded(&ch).len();
        assert!(unpadded_len < n, "the vector's ClientHello is padded");

        // Non-zero padding: refused wherever the byte is.
        for at in [unpadded_len, n - 1] {
            let (_, s, _) = sessions_from_json(&v);
            let mut bad = ch.clone();
            bad[at] = 1;
            assert_eq!(s.read_handshake(&bad), Err(Error::HandshakeMalformed));
        }

        // The same ClientHello with 700 more zero bytes of padding.
        let mut longer = ch.clone();
        longer.resize(n + 700, 0);
        server.read_handshake(&longer).unwrap();
        let n = server.write_handshake(&mut buf).unwrap();
        let sh = buf[..n].to_vec();
        let th = sha256(&[unpadded(&ch), &sh[..sh.len() - 64]]);
        if v["transcript_hash"].is_string() {
            // Same randomness as the vector: the same transcript hash as its own ClientHello.
            assert_eq!(hex(&th), v["transcript_hash"].as_str().unwrap());
        }
        client.read_handshake(&sh).unwrap();
        let n = client.write_handshake(&mut buf).unwrap();
        server.read_handshake(&buf[..n]).unwrap();
        assert_eq!(server.state(), State::Established);
        let n = client.seal(b"same keys", &mut buf).unwrap();
        let mut out = vec![0u8; n];
        let m = server.open(&buf[..n], &mut out).unwrap();
        assert_eq!(&out[..m], b"same keys");

        // A copy of the answered ClientHello with other padding is not a retransmission of
        // it (section 12: only a byte-identical copy is): it is taken for the ClientFinished.
        let (_, s, _) = sessions_from_json(&v);
        s.read_handshake(&longer).unwrap();
        s.write_handshake(&mut buf).unwrap();
        assert_eq!(s.read_handshake(&longer), Err(Error::PacketReplayed));
        assert_eq!(s.read_handshake(&ch), Err(Error::HandshakeMalformed));
    }
}

/// The system entropy pool (section 4's randomness, drawn 64 bytes at a time): no bytes are
/// handed out twice, a request larger than the pool goes to the generator directly, and an
/// X25519 ephemeral from the pool is a working key pair.
#[test]
fn system_entropy_pool_hands_out_each_byte_once() {
    use super::suite::{Entropy, Group, SystemEntropy};
    let mut e = SystemEntropy::new();
    let (mut a, mut b, mut c) = ([0u8; 32], [0u8; 32], [0u8; 32]);
    e.fill(&mut a).unwrap();
    e.fill(&mut b).unwrap(); // the second half of the same 64-byte draw
    e.fill(&mut c).unwrap(); // a new draw
    assert!(a != b && b != c && a != c);
    assert!(a != [0; 32] && b != [0; 32] && c != [0; 32]);
    let mut big = [0u8; 100];
    e.fill(&mut big).unwrap();
    assert!(big[..50] != [0u8; 50] && big[50..] != [0u8; 50]);
    // A random, then an X25519 key from the rest of the pool: ECDH with a peer agrees.
    let mut r = [0u8; 32];
    e.fill(&mut r).unwrap();
    let eph = e.ephemeral(Group::X25519).unwrap();
    let peer = SystemEntropy::new().ephemeral(Group::X25519).unwrap();
    assert_eq!(
        &eph.agree(&peer.share).unwrap()[..],
        &peer.agree(&eph.share).unwrap()[..]
    );
}

/// `open_exclusive` / `seal_exclusive` (the endpoint's lock-free packet path) give the same
/// results and changes as `open` / `seal`: errors that change nothing, a key update started
/// by the peer, one started near the usage limit, the peer's close.
#[test]
fn exclusive_packet_path_matches_the_locked_one() {
    let (c, mut s) =
        crate::session_support::established_suite(Suite::P256EcdsaAes256GcmSha256, Mode::Datagram);
    let (mut pkt, mut pt) = ([0u8; 96], [0u8; 96]);
    let n = c.seal(b"hello", &mut pkt).unwrap();
    assert_eq!(
        s.open_exclusive(&pkt[..n], &mut pt[..4]),
        Err(Error::BufferTooSmall)
    );
    assert_eq!(
        s.open_exclusive(&pkt[..3], &mut pt),
        Err(Error::PacketMalformed)
    );
    assert_eq!(s.open_exclusive(&pkt[..n], &mut pt), Ok(5));
    assert_eq!(&pt[..5], b"hello");
    assert_eq!(
        s.open_exclusive(&pkt[..n], &mut pt),
        Err(Error::PacketReplayed)
    );
    assert_eq!(
        s.seal_exclusive(b"x", &mut pkt[..10]),
        Err(Error::BufferTooSmall)
    );
    let n = s.seal_exclusive(b"confirm", &mut pkt).unwrap();
    assert_eq!(c.open(&pkt[..n], &mut pt), Ok(7));
    // The peer updates: the next packet it seals carries phase 1; the exclusive open
    // follows, and so does the send side.
    c.update_keys().unwrap();
    let n = c.seal(b"next", &mut pkt).unwrap();
    assert_eq!(pkt[0], 0x41);
    assert_eq!(s.open_exclusive(&pkt[..n], &mut pt), Ok(4));
    assert_eq!(s.key_generation(), Ok(1));
    let n = s.seal_exclusive(b"back", &mut pkt).unwrap();
    assert_eq!(pkt[0], 0x41);
    assert_eq!(c.open(&pkt[..n], &mut pt), Ok(4));
    // Near the usage limit the exclusive seal starts the update itself (threshold 6 of 8).
    s.set_limits_for_test(Some(8), u64::MAX);
    let mut phases = Vec::new();
    for _ in 0..7 {
        let n = s.seal_exclusive(b"data", &mut pkt).unwrap();
        phases.push(pkt[0] & 1);
        assert_eq!(c.open(&pkt[..n], &mut pt), Ok(4));
    }
    assert_eq!(phases, [1, 1, 1, 1, 1, 0, 0]);
    assert_eq!((s.key_generation(), c.key_generation()), (Ok(2), Ok(2)));
    // A forgery is dropped; the peer's close ends the session.
    let n = c.seal(b"forged", &mut pkt).unwrap();
    pkt[n - 1] ^= 1;
    assert_eq!(
        s.open_exclusive(&pkt[..n], &mut pt),
        Err(Error::PacketAuthFailed)
    );
    let n = c.close(&mut pkt).unwrap();
    assert_eq!(s.open_exclusive(&pkt[..n], &mut pt), Err(Error::PeerClosed));
    assert_eq!(s.state(), State::Closed);
    assert_eq!(
        s.seal_exclusive(b"late", &mut pkt),
        Err(Error::SessionClosed)
    );
    assert_eq!(
        s.open_exclusive(&pkt[..n], &mut pt),
        Err(Error::SessionClosed)
    );
}
