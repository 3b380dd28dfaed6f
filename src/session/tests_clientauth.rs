//! Unit tests of client authentication and retry cookies that need crate internals: the test
//! vectors of `tests/vectors/session_v1_clientauth.json` (fixed randomness) and the proof
//! that a server does no ECDH or signature before a valid cookie.

use super::handshake::{key_schedule, sha256};
use super::suite::{Entropy, FixedEntropy, Group};
use super::tests::unpadded;
use super::transport::traffic_keys;
use super::*;
use crate::keys::SigningKey;
use serde_json::{json, Map, Value};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

const SERVER_ED25519_PKCS8: &str = "302e020100300506032b65700422042060729a2459f71f360a4f7804e1df3980fc632a16d3c6b079bcd1b82eaf01720a";
const CLIENT_ED25519_PKCS8: &str = "302e020100300506032b6570042204209a2f537a25291ddea5a21cefe1c459eee2d4e7892e03fa11c5329a353484ec9d";

/// The inputs of the vectors (the random values are SHA-256 of labels, see the JSON notes).
fn vector_inputs() -> Vec<Value> {
    let token = hex(b"login-ticket v1; account=1234567; server=eu-west-1; exp=1800000600; \x00\x01\x02\xff binary part ok");
    vec![
        json!({
            "name": "client authentication: Ed25519 client key and token, both required, x25519 suite",
            "kind": "client_auth",
            "client_suites": [2],
            "server_suites": [2],
            "trust": "pinned_fingerprint",
            "server_identity_pkcs8": SERVER_ED25519_PKCS8,
            "signature_mode": 2,
            "token_mode": 2,
            "client_key_pkcs8": CLIENT_ED25519_PKCS8,
            "client_token": token,
            "retry_period": null, "retry_secret": null, "now": null, "client_address": null,
            "client_random": "59c43dd33cffc5000a575f1347079d39f4689d24de572e61fe0b640c15dd8795",
            "client_ephemeral_scalars": [{"group": "x25519", "scalar": "36ca0c562af989e5b5ab7cbfbb0525c7d828ff58c51d59abed66961cba5e12ac"}],
            "server_random": "dac79f448cd7f4a1fe437a8596b1b905cebbb6f29018276cfac0e7fe99e6a0ce",
            "server_ephemeral_scalar": "dc35db900d80e396f7cafe4234eeb09beceb600501754cb661455b8f911b3af9",
        }),
        json!({
            "name": "retry: first ClientHello, Retry with cookie, ClientHello with cookie, handshake without client authentication",
            "kind": "retry",
            "client_suites": [2],
            "server_suites": [2],
            "trust": "pinned_fingerprint",
            "server_identity_pkcs8": SERVER_ED25519_PKCS8,
            "signature_mode": 0,
            "token_mode": 0,
            "client_key_pkcs8": null,
            "client_token": null,
            "retry_period": 10,
            "retry_secret": "1078c493e2a6ec9ad854f3f008dabc1d8dbedf7ff6048fb591497090da8a873c",
            "now": 1_800_000_005u64,
            "client_address": "c000020130390000",
            "client_random": "502d4305b5bf5a8550f07fe5556203bc3f50ceee90dbfbaf50045e5cac758aac",
            "client_ephemeral_scalars": [{"group": "x25519", "scalar": "515ba7e7c2dd4612417f0c93a8faa018af926806aeb588bce6e8540de2186901"}],
            "server_random": "2c8feceb5b143e3ff647abd8d142cacafbc40b7d37c63b6e2c36da06e90418f1",
            "server_ephemeral_scalar": "2272ba7dec06962a23a69a9df004a593a5fcbe6cf30ac386e879851a1e928acb",
        }),
    ]
}

fn x25519(scalar: &[u8], peer: &[u8]) -> Vec<u8> {
    use aws_lc_rs::agreement;
    let key = agreement::PrivateKey::from_private_key(&agreement::X25519, scalar).unwrap();
    agreement::agree(
        &key,
        agreement::UnparsedPublicKey::new(&agreement::X25519, peer),
        (),
        |s| Ok(s.to_vec()),
    )
    .unwrap()
}

/// Runs the handshake of one vector and returns every output value.
fn run_vector(v: &Value) -> Map<String, Value> {
    let s = |k: &str| v[k].as_str().unwrap_or_else(|| panic!("missing {k}"));
    let mode = |k: &str| ClientAuthMode::from_code(v[k].as_u64().unwrap() as u32).unwrap();
    let server_key = SigningKey::from_pkcs8_der(&unhex(s("server_identity_pkcs8"))).unwrap();
    let suites = |k: &str| -> Vec<Suite> {
        v[k].as_array()
            .unwrap_or_else(|| panic!("missing {k}"))
            .iter()
            .map(|c| Suite::from_code(c.as_u64().unwrap() as u16).unwrap())
            .collect()
    };
    // The suite lists are inputs (the default lists also have the hybrid suites, which would
    // change both hellos).
    let mut sb = ServerConfig::builder(server_key.clone())
        .unwrap()
        .suites(&suites("server_suites"))
        .unwrap()
        .client_auth(ClientAuthRequest {
            signature: mode("signature_mode"),
            token: mode("token_mode"),
        });
    if let Some(period) = v["retry_period"].as_u64() {
        let now = v["now"].as_u64().unwrap();
        sb = sb
            .retry(period)
            .unwrap()
            .retry_secret(&unhex(s("retry_secret")))
            .unwrap()
            .clock(Arc::new(move || now));
    }
    let server_cfg = sb.build();
    let fp: [u8; 32] = *server_key.public_key().fingerprint();
    let mut cb = ClientConfig::builder(TrustAnchor::PinnedFingerprint(fp))
        .unwrap()
        .suites(&suites("client_suites"))
        .unwrap();
    if let Some(k) = v["client_key_pkcs8"].as_str() {
        cb = cb
            .client_key(SigningKey::from_pkcs8_der(&unhex(k)).unwrap())
            .unwrap();
    }
    if let Some(t) = v["client_token"].as_str() {
        cb = cb.token(&unhex(t)).unwrap();
    }
    let client_cfg = cb.build().unwrap();
    let client_scalar = unhex(v["client_ephemeral_scalars"][0]["scalar"].as_str().unwrap());
    let mut ce = FixedEntropy::new([unhex(s("client_random")), client_scalar.clone()].concat());
    let client = Session::new_client_with(client_cfg, Mode::Stream, &mut ce).unwrap();
    assert!(ce.is_used_up());
    let address = v["client_address"].as_str().map(unhex);
    let server = Session::new_server_with(
        server_cfg.clone(),
        Mode::Stream,
        address.clone(),
        Box::new(FixedEntropy::new(
            [
                unhex(s("server_random")),
                unhex(s("server_ephemeral_scalar")),
            ]
            .concat(),
        )),
    );

    let mut out = Map::new();
    let mut put = |k: &str, b: &[u8]| {
        out.insert(k.to_string(), json!(hex(b)));
    };
    let mut buf = vec![0u8; 4096];
    let n = client.write_handshake(&mut buf).unwrap();
    let mut ch = buf[..n].to_vec();
    if let Some(addr) = &address {
        // Stateless check of the first ClientHello: a Retry.
        let RetryAction::SendRetry(retry) = server_cfg.check_client_hello(addr, &ch).unwrap()
        else {
            panic!("expected a Retry");
        };
        assert!(retry.len() < ch.len());
        put("client_hello_1", &ch);
        let core_len = 1 + 2 + 32 + 1 + 2 + 2 + 32;
        put("client_hello_core_hash", &sha256(&[&ch[..core_len]]));
        put("cookie", &retry[36..]);
        put("retry", &retry);
        client.read_handshake(&retry).unwrap();
        assert_eq!(client.state(), State::NeedWrite);
        let n = client.write_handshake(&mut buf).unwrap();
        ch = buf[..n].to_vec();
        assert_eq!(
            server_cfg.check_client_hello(addr, &ch).unwrap(),
            RetryAction::Accept
        );
    }
    put("client_hello", &ch);
    server.read_handshake(&ch).unwrap();
    let n = server.write_handshake(&mut buf).unwrap();
    let sh = buf[..n].to_vec();
    put("server_hello", &sh);
    client.read_handshake(&sh).unwrap();
    let n = client.write_handshake(&mut buf).unwrap();
    let fin = buf[..n].to_vec();
    server.read_handshake(&fin).unwrap();

    // Values computed outside the session code path.
    let th = sha256(&[unpadded(&ch), &sh[..sh.len() - 64]]);
    put("transcript_hash", &th);
    let share_start = 1 + 2 + 32 + 2 + 1 + 2 + 2;
    let shared = x25519(&client_scalar, &sh[share_start..share_start + 32]);
    put("shared_secret", &shared);
    let sched = key_schedule(&th, shared.as_slice()).unwrap();
    put("c2s_key", &traffic_keys(&sched.c2s_secret).unwrap().key[..]);
    put("c2s_iv", &traffic_keys(&sched.c2s_secret).unwrap().iv[..]);
    put("s2c_key", &traffic_keys(&sched.s2c_secret).unwrap().key[..]);
    put("s2c_iv", &traffic_keys(&sched.s2c_secret).unwrap().iv[..]);
    put("client_finished", &fin);

    if v["kind"] == "client_auth" {
        assert_eq!(server.state(), State::NeedAccept);
        // Open the Finished with the c2s key independently of the session.
        use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
        let key = LessSafeKey::new(
            UnboundKey::new(
                &CHACHA20_POLY1305,
                &traffic_keys(&sched.c2s_secret).unwrap().key[..],
            )
            .unwrap(),
        );
        let mut body = fin[8..].to_vec();
        let pt = key
            .open_in_place(
                Nonce::assume_unique_for_key(*traffic_keys(&sched.c2s_secret).unwrap().iv),
                Aad::from(&fin[..8]),
                &mut body,
            )
            .unwrap()
            .to_vec();
        put("client_finished_plaintext", &pt);
        let signed = [
            b"gamecrypt session v1 client signature\x00".as_slice(),
            &sha256(&[unpadded(&ch), &sh, &pt[..pt.len() - 64]]),
        ]
        .concat();
        put("client_signed_message", &signed);
        let client_pub = server.client_public_key().unwrap().unwrap();
        put("client_public_key", client_pub.raw().unwrap());
        put("client_public_key_fingerprint", client_pub.fingerprint());
        assert_eq!(
            server
                .client_token()
                .unwrap()
                .as_deref()
                .map(|t| t.as_slice()),
            v["client_token"].as_str().map(unhex).as_deref()
        );
        server.accept().unwrap();
    }
    assert_eq!(server.state(), State::Established);

    let mut packets = Vec::new();
    let mut pt = vec![0u8; 256];
    for (dir, plain) in [
        ("c2s", &b"hello server"[..]),
        ("s2c", &b"welcome, player"[..]),
    ] {
        let (sender, receiver) = if dir == "c2s" {
            (&client, &server)
        } else {
            (&server, &client)
        };
        let pn = sender.packets_sent();
        let n = sender.seal(plain, &mut buf).unwrap();
        let m = receiver.open(&buf[..n], &mut pt).unwrap();
        assert_eq!(&pt[..m], plain);
        packets.push(json!({"direction": dir, "packet_number": pn,
            "plaintext": hex(plain), "packet": hex(&buf[..n])}));
    }
    out.insert("packets".into(), json!(packets));
    out
}

const VECTOR_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/session_v1_clientauth.json"
);

/// Writes `tests/vectors/session_v1_clientauth.json`. Run on purpose only:
/// `cargo test --lib generate_clientauth_vectors -- --ignored`, then check the file with
/// `python3 tests/vectors/check_vectors_clientauth.py`.
#[test]
#[ignore = "generator: rewrites tests/vectors/session_v1_clientauth.json"]
fn generate_clientauth_vectors() {
    let vectors: Vec<Value> = vector_inputs()
        .into_iter()
        .map(|mut v| {
            let outputs = run_vector(&v);
            v.as_object_mut().unwrap().extend(outputs);
            v
        })
        .collect();
    let doc = json!({
        "protocol": "gamecrypt session v1: client authentication (section 21) and retry cookies (section 22)",
        "specification": "docs/PROTOCOL.md",
        "notes": [
            "All byte strings are lowercase hex. Integers are JSON numbers.",
            "Randomness: client_random then the client ephemeral scalar; server_random then the server ephemeral scalar. Each is SHA-256 of an ASCII label (e.g. 'gamecrypt clientauth A client_random'); the client key seed is SHA-256('gamecrypt clientauth vector client ed25519 key').",
            "Every value is exact (Ed25519 signatures are deterministic).",
            "Modes: 0 none, 1 optional, 2 required. client_address is the opaque address string given to the retry check; now is the server clock in unix seconds.",
            "Packets: the client's first data packet is number 1 (its ClientFinished is 0); the server's is 0 and is sealed after the accept.",
            "client_suites and server_suites are the client's offers and the server's accepted suite list S (sections 4 and 5). Every field is described in docs/PROTOCOL.md section 14.",
            "Generated by the ignored test session::tests_clientauth::generate_clientauth_vectors; independently recomputed by tests/vectors/check_vectors_clientauth.py (Python cryptography)."
        ],
        "vectors": vectors,
    });
    std::fs::write(
        VECTOR_PATH,
        serde_json::to_string_pretty(&doc).unwrap() + "\n",
    )
    .unwrap();
}

#[test]
fn clientauth_vectors_are_reproduced() {
    let doc: Value = serde_json::from_str(include_str!(
        "../../tests/vectors/session_v1_clientauth.json"
    ))
    .unwrap();
    let vectors = doc["vectors"].as_array().unwrap();
    let inputs = vector_inputs();
    assert_eq!(vectors.len(), inputs.len());
    for (v, input) in vectors.iter().zip(&inputs) {
        for (k, val) in input.as_object().unwrap() {
            assert_eq!(&v[k], val, "input {k} of {}", input["name"]);
        }
        let outputs = run_vector(v);
        for (k, val) in &outputs {
            assert_eq!(&v[k], val, "{k} of {}", input["name"]);
        }
        let expected_keys = v.as_object().unwrap().len() - input.as_object().unwrap().len();
        assert_eq!(outputs.len(), expected_keys, "every output is checked");
    }
}

/// Counts what a server session draws: a server that generated no ephemeral key did no ECDH
/// and no signature (both come after it in `server_respond`).
struct CountingEntropy(Arc<std::sync::atomic::AtomicUsize>);

impl Entropy for CountingEntropy {
    fn fill(&mut self, out: &mut [u8]) -> Result<()> {
        self.0.fetch_add(1, Ordering::SeqCst);
        suite::SystemEntropy::new().fill(out)
    }
    fn ephemeral(&mut self, group: Group) -> Result<suite::Ephemeral> {
        self.0.fetch_add(1, Ordering::SeqCst);
        suite::SystemEntropy::new().ephemeral(group)
    }
}

fn retry_pair(now: Arc<std::sync::atomic::AtomicU64>) -> (Arc<ServerConfig>, Arc<ClientConfig>) {
    let key = SigningKey::generate(crate::keys::KeyType::Ed25519).unwrap();
    let scfg = ServerConfig::builder(key.clone())
        .unwrap()
        .retry(10)
        .unwrap()
        .clock(Arc::new(move || now.load(Ordering::SeqCst)))
        .build();
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .build()
        .unwrap();
    (scfg, ccfg)
}

#[test]
fn server_does_no_key_exchange_before_a_valid_cookie() {
    let now = Arc::new(std::sync::atomic::AtomicU64::new(1_000_000));
    let (scfg, ccfg) = retry_pair(now.clone());
    let addr = b"10.0.0.1:5000";
    let client = Session::new_client(ccfg, Mode::Datagram).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = client.write_handshake(&mut buf).unwrap();
    let ch1 = buf[..n].to_vec();

    let spent = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let session_for = |addr: &[u8]| {
        Session::new_server_with(
            scfg.clone(),
            Mode::Datagram,
            Some(addr.to_vec()),
            Box::new(CountingEntropy(spent.clone())),
        )
    };
    // A session given the cookie-less ClientHello anyway refuses it before any ECDH.
    let s = session_for(addr);
    assert_eq!(s.read_handshake(&ch1), Err(Error::RetryCookieInvalid));
    assert_eq!(s.state(), State::Failed);
    // Likewise a session without address.
    let s = Session::new_server_with(
        scfg.clone(),
        Mode::Datagram,
        None,
        Box::new(CountingEntropy(spent.clone())),
    );
    assert_eq!(s.read_handshake(&ch1), Err(Error::RetryCookieInvalid));
    assert_eq!(spent.load(Ordering::SeqCst), 0);

    let RetryAction::SendRetry(retry) = scfg.check_client_hello(addr, &ch1).unwrap() else {
        panic!("expected Retry")
    };
    client.read_handshake(&retry).unwrap();
    let n = client.write_handshake(&mut buf).unwrap();
    let ch2 = buf[..n].to_vec();
    // Valid cookie, wrong address: still no ECDH.
    let s = session_for(b"10.0.0.2:5000");
    assert_eq!(s.read_handshake(&ch2), Err(Error::RetryCookieInvalid));
    // Expired: two slots later.
    now.fetch_add(20, Ordering::SeqCst);
    let s = session_for(addr);
    assert_eq!(s.read_handshake(&ch2), Err(Error::RetryCookieInvalid));
    assert_eq!(spent.load(Ordering::SeqCst), 0);
    now.fetch_sub(20, Ordering::SeqCst);
    // The right address in time: now the server works (random + ephemeral key).
    let s = session_for(addr);
    s.read_handshake(&ch2).unwrap();
    assert_eq!(spent.load(Ordering::SeqCst), 2);
}

/// A server (with this request) that answered a client whose ECDH scalar is known, and the
/// client's c2s sending half derived independently: seals any ClientFinished plaintext.
struct Crafted {
    server: Session,
    ch: Vec<u8>,
    sh: Vec<u8>,
    send: transport::SendHalf,
}

fn crafted(req: ClientAuthRequest) -> Crafted {
    let server_key = SigningKey::generate(crate::keys::KeyType::Ed25519).unwrap();
    let scfg = ServerConfig::builder(server_key.clone())
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
        .client_auth(req)
        .build();
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedKey(server_key.public_key().clone()))
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
        .build()
        .unwrap();
    let scalar = [7u8; 32];
    let mut ce = FixedEntropy::new([[1u8; 32], scalar].concat());
    let client = Session::new_client_with(ccfg, Mode::Datagram, &mut ce).unwrap();
    let server = Session::new_server(scfg, Mode::Datagram);
    let mut buf = vec![0u8; 4096];
    let n = client.write_handshake(&mut buf).unwrap();
    let ch = buf[..n].to_vec();
    server.read_handshake(&ch).unwrap();
    let n = server.write_handshake(&mut buf).unwrap();
    let sh = buf[..n].to_vec();
    let share_start = 1 + 2 + 32 + 2 + 1 + 2 + 2;
    let shared = x25519(&scalar, &sh[share_start..share_start + 32]);
    let th = sha256(&[unpadded(&ch), &sh[..sh.len() - 64]]);
    let sched = key_schedule(&th, shared.as_slice()).unwrap();
    let send = transport::SendHalf::new(
        Suite::X25519Ed25519ChaCha20Poly1305Sha256,
        &sched.c2s_secret,
    )
    .unwrap();
    Crafted {
        server,
        ch,
        sh,
        send,
    }
}

impl Crafted {
    fn finish(mut self, pt: &[u8]) -> (Session, Result<()>) {
        let mut fin = vec![0u8; pt.len() + transport::OVERHEAD];
        self.send
            .seal_typed(handshake::MSG_CLIENT_FINISHED, pt, &mut fin)
            .unwrap();
        let r = self.server.read_handshake(&fin);
        (self.server, r)
    }
}

fn entry(t: u16, data: &[u8]) -> Vec<u8> {
    [
        &t.to_be_bytes()[..],
        &(data.len() as u16).to_be_bytes(),
        data,
    ]
    .concat()
}

/// `prefix` followed by a signature entry of `key` signed over `(ch, sh)`.
fn signed(prefix: &[u8], key: &SigningKey, ch: &[u8], sh: &[u8]) -> Vec<u8> {
    let raw = key.public_key().raw().unwrap();
    let kt = if raw.len() == 65 { 1u8 } else { 3 };
    let mut pt = prefix.to_vec();
    pt.extend_from_slice(&0x0104u16.to_be_bytes());
    pt.extend_from_slice(&((3 + raw.len() + 64) as u16).to_be_bytes());
    pt.push(kt);
    pt.extend_from_slice(&(raw.len() as u16).to_be_bytes());
    pt.extend_from_slice(raw);
    let msg = [
        b"gamecrypt session v1 client signature\x00".as_slice(),
        &sha256(&[unpadded(ch), sh, &pt]),
    ]
    .concat();
    let format = if kt == 1 {
        crate::keys::SignatureFormat::EcdsaFixed
    } else {
        crate::keys::SignatureFormat::Default
    };
    pt.extend_from_slice(&key.sign_protocol(&msg, format).unwrap());
    pt
}

const REQUIRED_BOTH: ClientAuthRequest = ClientAuthRequest {
    signature: ClientAuthMode::Required,
    token: ClientAuthMode::Required,
};

#[test]
fn server_enforces_required_credentials_and_checks_every_field() {
    use crate::keys::KeyType;
    let ed = SigningKey::generate(KeyType::Ed25519).unwrap();
    let p256 = SigningKey::generate(KeyType::EcdsaP256).unwrap();
    let token = entry(0x0103, b"ticket");
    type Case = (&'static str, Box<dyn Fn(&[u8], &[u8]) -> Vec<u8>>, Error);
    let cases: Vec<Case> = vec![
        (
            "empty",
            Box::new(|_, _| Vec::new()),
            Error::ClientAuthRequired,
        ),
        (
            "token only",
            Box::new(|_, _| entry(0x0103, b"ticket")),
            Error::ClientAuthRequired,
        ),
        (
            "signature only",
            Box::new({
                let ed = ed.clone();
                move |ch, sh| signed(&[], &ed, ch, sh)
            }),
            Error::ClientTokenRequired,
        ),
        (
            "signature before token",
            Box::new({
                let ed = ed.clone();
                move |ch, sh| [signed(&[], &ed, ch, sh), entry(0x0103, b"ticket")].concat()
            }),
            Error::HandshakeMalformed,
        ),
        (
            "token twice",
            Box::new(|_, _| [entry(0x0103, b"a"), entry(0x0103, b"b")].concat()),
            Error::HandshakeMalformed,
        ),
        (
            "unknown entry",
            Box::new(|_, _| [entry(0x0103, b"a"), entry(0x0105, b"x")].concat()),
            Error::HandshakeMalformed,
        ),
        (
            "empty token",
            Box::new(|_, _| entry(0x0103, b"")),
            Error::HandshakeMalformed,
        ),
        (
            "token of 1025 bytes",
            Box::new(|_, _| entry(0x0103, &[9u8; 1025])),
            Error::HandshakeMalformed,
        ),
        (
            "truncated entry",
            Box::new(|_, _| entry(0x0103, b"ticket")[..7].to_vec()),
            Error::HandshakeMalformed,
        ),
        (
            "trailing byte after the signature",
            Box::new({
                let ed = ed.clone();
                let token = token.clone();
                move |ch, sh| [signed(&token, &ed, ch, sh), vec![0]].concat()
            }),
            Error::HandshakeMalformed,
        ),
        (
            "unknown key type",
            Box::new({
                let ed = ed.clone();
                let token = token.clone();
                move |ch, sh| {
                    let mut pt = signed(&token, &ed, ch, sh);
                    pt[token.len() + 4] = 2;
                    pt
                }
            }),
            Error::HandshakeMalformed,
        ),
        (
            "key type does not match the key length",
            Box::new({
                let ed = ed.clone();
                let token = token.clone();
                move |ch, sh| {
                    let mut pt = signed(&token, &ed, ch, sh);
                    pt[token.len() + 4] = 1;
                    pt
                }
            }),
            Error::HandshakeMalformed,
        ),
        (
            "bad signature",
            Box::new({
                let ed = ed.clone();
                let token = token.clone();
                move |ch, sh| {
                    let mut pt = signed(&token, &ed, ch, sh);
                    let last = pt.len() - 1;
                    pt[last] ^= 1;
                    pt
                }
            }),
            Error::ClientAuthInvalid,
        ),
        (
            "signature over another ServerHello",
            Box::new({
                let ed = ed.clone();
                let token = token.clone();
                move |ch, sh| {
                    let mut other = sh.to_vec();
                    other[5] ^= 1;
                    signed(&token, &ed, ch, &other)
                }
            }),
            Error::ClientAuthInvalid,
        ),
        (
            "signature made by another key",
            Box::new({
                let ed = ed.clone();
                let token = token.clone();
                move |ch, sh| {
                    let other = SigningKey::generate(KeyType::Ed25519).unwrap();
                    let mut pt = signed(&token, &other, ch, sh);
                    let k = token.len() + 7;
                    pt[k..k + 32].copy_from_slice(ed.public_key().raw().unwrap());
                    pt
                }
            }),
            Error::ClientAuthInvalid,
        ),
        (
            "P-256 key that is not on the curve",
            Box::new({
                let p256 = p256.clone();
                let token = token.clone();
                move |ch, sh| {
                    let mut pt = signed(&token, &p256, ch, sh);
                    let k = token.len() + 7;
                    pt[k + 64] ^= 1;
                    pt
                }
            }),
            Error::ClientAuthInvalid,
        ),
    ];
    for (name, make, expected) in &cases {
        let c = crafted(REQUIRED_BOTH);
        let pt = make(&c.ch, &c.sh);
        let (server, r) = c.finish(&pt);
        assert_eq!(r, Err(*expected), "{name}");
        assert_eq!(server.state(), State::Failed, "{name}");
        assert_eq!(server.client_public_key(), Err(Error::SessionFailed));
    }
    // The well-formed ones pass, with either key type.
    for key in [&ed, &p256] {
        let c = crafted(REQUIRED_BOTH);
        let pt = signed(&token, key, &c.ch, &c.sh);
        let (server, r) = c.finish(&pt);
        r.unwrap();
        assert_eq!(server.state(), State::NeedAccept);
        assert_eq!(
            server.client_public_key().unwrap().as_ref(),
            Some(key.public_key())
        );
        assert_eq!(
            server.client_token().unwrap().unwrap().as_slice(),
            b"ticket"
        );
    }
}

#[test]
fn entries_that_were_not_requested_are_refused() {
    let ed = SigningKey::generate(crate::keys::KeyType::Ed25519).unwrap();
    let sig_only = ClientAuthRequest {
        signature: ClientAuthMode::Optional,
        token: ClientAuthMode::None,
    };
    let c = crafted(sig_only);
    let pt = entry(0x0103, b"ticket");
    assert_eq!(c.finish(&pt).1, Err(Error::HandshakeMalformed));
    let token_only = ClientAuthRequest {
        signature: ClientAuthMode::None,
        token: ClientAuthMode::Optional,
    };
    let c = crafted(token_only);
    let pt = signed(&[], &ed, &c.ch, &c.sh);
    assert_eq!(c.finish(&pt).1, Err(Error::HandshakeMalformed));
    // Optional and absent: fine, nothing to read.
    let c = crafted(token_only);
    let (server, r) = c.finish(&[]);
    r.unwrap();
    assert_eq!(server.client_token().unwrap(), None);
    assert_eq!(server.client_public_key().unwrap(), None);
}

fn vector_sessions(v: &Value) -> (Session, Session) {
    // run_vector builds the same deterministic sessions; rebuild them here without running.
    let s = |k: &str| v[k].as_str().unwrap();
    let server_key = SigningKey::from_pkcs8_der(&unhex(s("server_identity_pkcs8"))).unwrap();
    let mode = |k: &str| ClientAuthMode::from_code(v[k].as_u64().unwrap() as u32).unwrap();
    let scfg = ServerConfig::builder(server_key.clone())
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
        .client_auth(ClientAuthRequest {
            signature: mode("signature_mode"),
            token: mode("token_mode"),
        })
        .build();
    let fp: [u8; 32] = *server_key.public_key().fingerprint();
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedFingerprint(fp))
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
        .build()
        .unwrap();
    let scalar = unhex(v["client_ephemeral_scalars"][0]["scalar"].as_str().unwrap());
    let mut ce = FixedEntropy::new([unhex(s("client_random")), scalar].concat());
    let client = Session::new_client_with(ccfg, Mode::Stream, &mut ce).unwrap();
    let server = Session::new_server_with(
        scfg,
        Mode::Stream,
        None,
        Box::new(FixedEntropy::new(
            [
                unhex(s("server_random")),
                unhex(s("server_ephemeral_scalar")),
            ]
            .concat(),
        )),
    );
    (client, server)
}

#[test]
fn every_authenticated_client_finished_bit_flip_is_rejected() {
    let doc: Value = serde_json::from_str(include_str!(
        "../../tests/vectors/session_v1_clientauth.json"
    ))
    .unwrap();
    let v = &doc["vectors"][0];
    assert_eq!(v["kind"], "client_auth");
    let ch = unhex(v["client_hello"].as_str().unwrap());
    let fin = unhex(v["client_finished"].as_str().unwrap());
    let mut buf = vec![0u8; 4096];
    for bit in 0..fin.len() * 8 {
        let mut m = fin.clone();
        m[bit / 8] ^= 1 << (bit % 8);
        let (_client, server) = vector_sessions(v);
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
    // Truncated or extended: malformed or not authentic.
    for m in [&fin[..fin.len() - 1], &[&fin[..], &[0]].concat()[..]] {
        let (_client, server) = vector_sessions(v);
        server.read_handshake(&ch).unwrap();
        server.write_handshake(&mut buf).unwrap();
        assert_eq!(server.read_handshake(m), Err(Error::PacketAuthFailed));
    }
    let (_client, server) = vector_sessions(v);
    server.read_handshake(&ch).unwrap();
    server.write_handshake(&mut buf).unwrap();
    server.read_handshake(&fin).unwrap();
    assert_eq!(server.state(), State::NeedAccept);
}
