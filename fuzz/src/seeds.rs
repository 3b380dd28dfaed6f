//! Seed inputs of every target, built by code: honest keys, boxes, certificates and handshake
//! messages in each target's input layout (see the doc comment of each target), plus a few
//! hand-made edge cases. The key targets also take every key fixture in `tests/data/keys`
//! (written by the openssl CLI).

use crate::boxcheck::{key, ALGS};
use crate::fixtures::{self, write, PAIRS};
use crate::mutate::encode_edits;
use crate::spec;
use gamecrypt::aead::{self, AeadAlgorithm};
use gamecrypt::keys::{KeyType, PublicKey, SigningKey};
use gamecrypt::session::{Mode, Session};

/// The seeds of `target` (panics for an unknown target name, so that a renamed target cannot
/// silently lose its seeds).
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    match target {
        "key_der" => key_der(),
        "key_pem" => key_pem(),
        "box_open" => box_open(),
        "box_password" => box_password(),
        "certificate" => certificate(),
        "session_client_hello" => session_client_hello(),
        "session_server_hello" => session_server_hello(),
        "session_client_finished" => session_client_finished(),
        "session_packets" => session_packets(),
        "session_retry" => session_retry(),
        "session_client_auth" => session_client_auth(),
        _ => panic!("no seeds for target {target:?}"),
    }
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn short(b: &[u8]) -> Vec<u8> {
    assert!(b.len() < 256);
    cat(&[&[b.len() as u8], b])
}

/// Every file of `tests/data/keys` with this extension.
fn fixture_files(ext: &str) -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/keys");
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(ext) {
                if let Ok(bytes) = std::fs::read(e.path()) {
                    out.push((name, bytes));
                }
            }
        }
    }
    out.sort();
    out
}

fn generated_keys() -> Vec<SigningKey> {
    let f = fixtures::get();
    let mut keys = vec![f.server_p256.clone(), f.server_ed25519.clone()];
    for kt in [KeyType::EcdsaP256, KeyType::EcdsaP384, KeyType::Ed25519] {
        keys.push(SigningKey::generate(kt).expect("generate"));
    }
    keys
}

fn key_der() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (name, der) in fixture_files(".der") {
        if name.contains("spki") {
            out.push(cat(&[&[2], &der]));
            // The PKCS#1 RSAPublicKey inside an RSA SPKI (after the 24-byte prefix of a
            // 2048-bit key).
            if name.starts_with("rsa2048") {
                let pkcs1 = &der[24..];
                assert!(PublicKey::from_pkcs1_rsa_der(pkcs1).is_ok(), "PKCS#1 seed");
                out.push(cat(&[&[3], pkcs1]));
            }
        } else if !name.contains(".sig") {
            out.push(cat(&[&[0], &der]));
            out.push(cat(&[&[1], &der]));
        }
    }
    for k in generated_keys() {
        let der = k.to_pkcs8_der().expect("export");
        out.push(cat(&[&[0], &der]));
        out.push(cat(&[&[1], &der]));
        let pk = k.public_key();
        out.push(cat(&[&[2], pk.spki_der()]));
        let kt = pk.key_type() as u8;
        out.push(cat(&[&[4, kt], pk.raw().expect("raw")]));
        if let Ok(c) = pk.raw_compressed() {
            out.push(cat(&[&[4, kt], &c]));
        }
    }
    out
}

fn key_pem() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = fixture_files(".pem").into_iter().map(|(_, b)| b).collect();
    for k in generated_keys() {
        let pem = k.to_pkcs8_pem().expect("export");
        out.push(pem.as_bytes().to_vec());
        out.push(pem.replace('\n', "\r\n").into_bytes());
        let public = k.public_key().to_pem();
        out.push(format!("comment before\n{public}trailing text\n").into_bytes());
    }
    out
}

fn box_open() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (bit, alg) in [(0u8, ALGS[0]), (0x10, ALGS[1])] {
        let k = key(alg);
        for (pt, ad) in [(&b""[..], &b""[..]), (b"save game", b"slot 1")] {
            let sealed = k.seal(pt, ad).expect("seal");
            // Mode 0: the box as is.
            out.push(cat(&[&[bit], &short(ad), &sealed]));
            // Mode 1: an honest box, no edits, then one bit flip.
            let m1 = cat(&[&[bit | 1], &short(ad), &short(pt)]);
            out.push(cat(&[&m1, &encode_edits(&[]), &[0, 0]]));
            out.push(cat(&[&m1, &encode_edits(&[(0, 3, 0)]), &[0, 0]]));
            // Mode 2: raw ciphertext with a 12-byte nonce.
            let nonce = [7u8; 12];
            let ct = k.seal_with_nonce_dangerous(&nonce, ad, pt).expect("seal");
            out.push(cat(&[&[bit | 2, 0], &nonce, &short(ad), &ct]));
            // Mode 3: honest raw ciphertext, no edits.
            out.push(cat(&[
                &[bit | 3],
                &nonce,
                &short(ad),
                &short(pt),
                &[0, 0, 0],
            ]));
        }
    }
    out
}

fn box_password() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let pw = b"hunter2";
    for (bit, alg) in [
        (0u8, AeadAlgorithm::Aes256Gcm),
        (0x10, AeadAlgorithm::ChaCha20Poly1305),
    ] {
        let sealed = aead::seal_with_password(alg, pw, 2, b"secret", b"ad").expect("seal");
        out.push(cat(&[&[bit], &short(pw), &short(b"ad"), &sealed]));
        // Iteration counts refused before any work: 0 and one above the maximum.
        for it in [0, aead::PASSWORD_BOX_MAX_ITERATIONS + 1] {
            let mut b = sealed.clone();
            b[8..12].copy_from_slice(&it.to_be_bytes());
            out.push(cat(&[&[bit], &short(pw), &short(b"ad"), &b]));
        }
        // Mode 1: honest box with 2 iterations, no edits, same password and ad.
        let m1 = cat(&[&[bit | 1, 1], &short(pw), &short(b"ad"), &short(b"secret")]);
        out.push(cat(&[&m1, &encode_edits(&[]), &[0, 0, 0, 0]]));
    }
    out
}

fn certificate() -> Vec<Vec<u8>> {
    let f = fixtures::get();
    let now = fixtures::NOW.to_be_bytes();
    let mut out = Vec::new();
    for server in [KeyType::EcdsaP256, KeyType::Ed25519] {
        for (bit, root) in [(0u8, KeyType::EcdsaP256), (0x10, KeyType::Ed25519)] {
            let cert = f.cert(server, root);
            out.push(cat(&[&[bit], &now, cert]));
            out.push(cat(&[&[bit | 1], &now, &cert[..cert.len() - 64]]));
            // A NUL byte in the name (section 8: malformed), re-signed.
            let name_at = 4 + cert[3] as usize + 17;
            let mut body = cert[..cert.len() - 64].to_vec();
            body[name_at + 2] = 0;
            out.push(cat(&[&[bit | 1], &now, &body]));
        }
    }
    out
}

/// A ClientHello built field by field (PROTOCOL.md section 4).
fn client_hello(offers: &[(u16, &[u8])], extensions: &[(u16, &[u8])]) -> Vec<u8> {
    let mut m = vec![0x01, 0x00, 0x01];
    m.extend_from_slice(&[0x42; 32]);
    m.push(offers.len() as u8);
    for (code, share) in offers {
        m.extend_from_slice(&code.to_be_bytes());
        m.extend_from_slice(&(share.len() as u16).to_be_bytes());
        m.extend_from_slice(share);
    }
    let mut ext = Vec::new();
    for (t, d) in extensions {
        ext.extend_from_slice(&t.to_be_bytes());
        ext.extend_from_slice(&(d.len() as u16).to_be_bytes());
        ext.extend_from_slice(d);
    }
    m.extend_from_slice(&(ext.len() as u16).to_be_bytes());
    m.extend_from_slice(&ext);
    if m.len() < 1200 {
        m.resize(1200, 0);
    }
    m
}

fn session_client_hello() -> Vec<Vec<u8>> {
    let f = fixtures::get();
    let mut out = Vec::new();
    let mut hellos = Vec::new();
    for c in &f.clients {
        let s = Session::new_client(c.config.clone(), Mode::Datagram).expect("client");
        hellos.push(write(&s));
    }
    // Shares of a real hello with the default offers (client 2: both hybrid suites, then
    // P-256, then X25519).
    let real = spec::parse_client_hello(&hellos[2]).expect("a real ClientHello");
    let share = |code: u16| -> Vec<u8> {
        real.offers
            .iter()
            .find(|(c, _)| *c == code)
            .expect("offered")
            .1
            .to_vec()
    };
    let (hybrid_share, p256_share, x25519_share) = (share(0x0003), share(0x0001), share(0x0002));
    hellos.push(client_hello(
        &[
            (0x11ec, &[0u8; 16][..]),
            (0x0002, &x25519_share),
            (0x0001, &p256_share),
        ],
        &[(0x1234, b"unknown extension"), (7, b"")],
    ));
    // A hybrid offer in a ClientHello shorter than 2048 bytes (section 20.2), then padded
    // enough; a hybrid offer with a retry cookie extension.
    hellos.push(client_hello(&[(0x0004, &hybrid_share)], &[]));
    let mut padded = client_hello(&[(0x0003, &hybrid_share)], &[]);
    padded.resize(2048, 0);
    hellos.push(padded);
    let mut padded = client_hello(
        &[(0x0004, &hybrid_share), (0x0003, &hybrid_share)],
        &[(0x0101, &[0x33; 40])],
    );
    padded.resize(2100, 0);
    hellos.push(padded);
    // An ML-KEM encapsulation key with a coefficient of q = 3329 (0xd01), which FIPS 203
    // rejects; then one of q - 1.
    for c in [0x0d01u16, 0x0d00] {
        let mut s = hybrid_share.clone();
        s[0] = c as u8;
        s[1] = (s[1] & 0xf0) | (c >> 8) as u8;
        let mut m = client_hello(&[(0x0003, &s), (0x0004, &s)], &[]);
        m.resize(2048, 0);
        hellos.push(m);
    }
    for (s, _) in f.servers.iter().enumerate() {
        for ch in &hellos {
            out.push(cat(&[&[s as u8], ch]));
        }
    }
    out.push(cat(&[&[0x80], &hellos[0]]));
    out
}

/// X25519 shares at the edges of RFC 7748: small order (0, 1, p - 1, p + 1, with and without
/// the ignored top bit), non-canonical (p + 2, i.e. 2), and 9 with the top bit set.
fn x25519_edge_shares() -> Vec<[u8; 32]> {
    let mut out = Vec::new();
    for low in [0x00u8, 0x01, 0xec, 0xee, 0xef, 0x09] {
        let fill = if low >= 0xec { 0xff } else { 0x00 };
        let mut s = [fill; 32];
        s[0] = low;
        s[31] = if low >= 0xec { 0x7f } else { 0x00 };
        out.push(s);
        s[31] |= 0x80;
        out.push(s);
    }
    out
}

fn session_server_hello() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for pair in 0..PAIRS.len() {
        let fl = fixtures::flight(pair, Mode::Datagram);
        let sh = &fl.server_hello;
        out.push(cat(&[&[pair as u8], sh]));
        let body = &sh[..sh.len() - 64];
        out.push(cat(&[&[pair as u8 | 0x40], body]));
        // The same body with edge-case X25519 shares (PROTOCOL.md section 6 layout: the share
        // follows the suite list).
        let share_at = 38 + 2 * usize::from(body[37]) + 2;
        // The X25519 part of a hybrid share is its last 32 bytes (section 20.1).
        let x25519_at = match body[share_at - 2..share_at] {
            [0, 32] => Some(share_at),
            [0x04, 0x60] => Some(share_at + 1088),
            _ => None,
        };
        if let Some(at) = x25519_at {
            for share in x25519_edge_shares() {
                let mut b = body.to_vec();
                b[at..at + 32].copy_from_slice(&share);
                out.push(cat(&[&[pair as u8 | 0x40], &b]));
            }
        }
    }
    out
}

fn session_client_finished() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for pair in [0u8, 1, 3, 8, 11, 12] {
        out.push(cat(&[
            &[pair],
            &[0],
            &[3, 0, 0, 0, 0, 0, 0, 0],
            &[0x55; 16],
        ]));
        out.push(cat(&[&[pair], &[1], &encode_edits(&[])]));
        out.push(cat(&[&[pair | 0x80], &[1], &encode_edits(&[(0, 20, 0)])]));
        out.push(cat(&[&[pair], &[2], &encode_edits(&[])]));
    }
    out
}

fn session_packets() -> Vec<Vec<u8>> {
    // Operation bytes: (op << 1) | side, side 0 = the client sends.
    const SEAL: u8 = 0;
    const DELIVER: u8 = 2 << 1;
    const EDITED: u8 = 3 << 1;
    const RAW: u8 = 4 << 1;
    const CLOSE: u8 = 5 << 1;
    const UPDATE: u8 = 6 << 1;
    let script = cat(&[
        &[SEAL],
        &short(b"hello server"),
        &[DELIVER, 1],
        &[SEAL | 1],
        &short(b"hello client"),
        &[DELIVER | 1, 0],
        &[DELIVER, 1], // replay
        &[SEAL],
        &short(b"two"),
        &[SEAL],
        &short(b"three"),
        &[DELIVER, 3, DELIVER, 2], // reordered
        &[EDITED, 2],
        &encode_edits(&[(0, 9, 1)]),
        &[DELIVER | 0x80, 2], // short buffer
        &[DELIVER, 0],        // the ClientFinished
        &[RAW, 0, 24],
        &[0x40; 24],
        &[CLOSE | 1, DELIVER | 1, 1],
    ]);
    // Key updates (section 17): the server updates at once (its generation 0 is confirmed by
    // the ClientFinished), the client follows on the first phase-1 packet; a late phase-0
    // packet still opens; the client updates again, the server follows; close under phase 0.
    let updates = cat(&[
        &[UPDATE], // client: blocked (generation 0 not confirmed)
        &[SEAL],
        &short(b"old phase"),
        &[UPDATE | 1], // server: generation 1
        &[SEAL | 1],
        &short(b"phase one"),
        &[DELIVER | 1, 0], // client moves to generation 1
        &[SEAL],
        &short(b"answer"),
        &[DELIVER, 2], // server: current keys, confirmed
        &[DELIVER, 1], // server: late phase-0 packet, previous keys
        &[UPDATE],     // client: generation 2
        &[SEAL],
        &short(b"phase zero again"),
        &[DELIVER, 3], // server: next keys, generation 2
        &[UPDATE | 1], // server: blocked? no: confirmed by that packet: generation 3
        &[SEAL | 1],
        &short(b"three"),
        &[DELIVER | 1, 1],
        &[CLOSE, DELIVER, 4],
    ]);
    let mut out = Vec::new();
    for sel in [0u8, 1, 2, 3, 0x80, 0x81, 0x82, 0x83] {
        out.push(cat(&[&[sel], &script]));
        out.push(cat(&[&[sel], &updates]));
    }
    out
}

fn session_retry() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for client in [0u8, 1, 4, 7, 8] {
        let c = client << 1;
        // Part 0: arbitrary bytes; a reference Retry with a 40-byte cookie, unedited and with
        // its version changed; the server's real Retry, unedited (the handshake completes).
        out.push(cat(&[&[c, 0], &[4, 0, 1], &[0; 33]]));
        out.push(cat(&[&[c, 1], &short(&[7; 40]), &encode_edits(&[])]));
        out.push(cat(&[
            &[c, 1],
            &short(&[7; 40]),
            &encode_edits(&[(2, 2, 2)]),
        ]));
        out.push(cat(&[&[c, 1], &short(&[]), &encode_edits(&[])]));
        out.push(cat(&[&[c | 0x80, 2, 1], &encode_edits(&[])]));
        out.push(cat(&[&[c, 2, 0], &encode_edits(&[(1, 40, 1)])]));
    }
    // Part 1: a real ClientHello without a cookie (SEND_RETRY), with a valid cookie of the
    // current and the previous slot and secret (ACCEPT), with a foreign address, a future
    // slot, a truncated cookie (DROP); retry off; arbitrary bytes.
    let period = [0u8, 9]; // period 10
    for sel in [0x01u8, 0x05, 0x09, 0x0d, 0x03] {
        for choice in [0x03u8, 0x00, 0x24, 0x20, 0x30, 0x80, 0x02] {
            let mut s = cat(&[&[sel], &period, &[0], &short(&[]), &[2, choice]]);
            match choice {
                0x80 => s.extend(short(b"203.0.113.9:1")),
                0x02 => s.push(39),
                _ => {}
            }
            s.extend(encode_edits(&[]));
            out.push(s);
        }
    }
    out.push(cat(&[&[0x11], &period, &[0], &short(&[]), &[1; 1300]]));
    // The C ABI with a Retry buffer one byte too small.
    out.push(cat(&[
        &[0x21],
        &period,
        &[0],
        &short(&[]),
        &[2, 3],
        &encode_edits(&[]),
        &[75],
    ]));
    out
}

fn session_client_auth() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // Requests (signature mode | token mode << 2): both required, both optional, none,
    // signature only, token only; both key types; both session modes.
    for request in [0x0au8, 0x05, 0x00, 0x02, 0x08] {
        for sel in [request, request | 0x10, request | 0x90] {
            // Honest, accepted, with a P-256 and an Ed25519 client key, the default token.
            out.push(cat(&[&[sel, 0x43], &[0, 0], &encode_edits(&[])]));
            out.push(cat(&[&[sel, 0x47], &[0, 0], &encode_edits(&[])]));
            // Rejected; the token only; the signature only; nothing.
            out.push(cat(&[&[sel, 0x03], &[0, 0], &encode_edits(&[])]));
            out.push(cat(&[&[sel, 0x41], &[0, 3], b"abc", &encode_edits(&[])]));
            out.push(cat(&[&[sel, 0x46], &[0, 0], &encode_edits(&[])]));
            out.push(cat(&[&[sel, 0x40], &[0, 0], &encode_edits(&[])]));
        }
    }
    // A changed key type byte, re-signed; a flipped signature bit; a 1024-byte token; a
    // plaintext given as is (two entries out of order); an edited packet.
    let sel = 0x0a;
    out.push(cat(&[&[sel, 0x4b], &[0, 0], &encode_edits(&[(2, 27, 3)])]));
    out.push(cat(&[&[sel, 0x43], &[0, 0], &encode_edits(&[(0, 100, 0)])]));
    out.push(cat(&[
        &[sel, 0x43],
        &[4, 0],
        &[0x77; 1024],
        &encode_edits(&[]),
    ]));
    out.push(cat(&[
        &[sel, 0x50],
        &[0, 0],
        &[1, 4, 0, 1, 9, 1, 3, 0, 1, 9],
    ]));
    out.push(cat(&[
        &[sel, 0x63],
        &[0, 0],
        &encode_edits(&[]),
        &encode_edits(&[(1, 3, 1)]),
    ]));
    out
}
