//! Hybrid post-quantum suites end to end (Rust API and C ABI), their sizes, the
//! anti-amplification rule, invalid ML-KEM shares and downgrade attempts between hybrid and
//! classic suites (docs/PROTOCOL.md section 20); key update over the C ABI.

mod session_support;

use gamecrypt::ffi::client_config::*;
use gamecrypt::ffi::gamecrypt_result as R;
use gamecrypt::ffi::keys::*;
use gamecrypt::ffi::server_config::*;
use gamecrypt::ffi::session::*;
use gamecrypt::keys::{KeyType, SignatureFormat, SigningKey};
use gamecrypt::session::{ClientConfig, Mode, ServerConfig, Session, State, Suite, TrustAnchor};
use gamecrypt::Error;
use session_support::{handshake, open, raw_sign, seal, sh_layout, sha256, unpadded};
use std::ptr::null_mut;
use std::sync::Arc;

const PQ: [Suite; 2] = [
    Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
    Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
];

fn default_server(key: &SigningKey) -> Arc<ServerConfig> {
    ServerConfig::builder(key.clone()).unwrap().build()
}

fn fingerprint_client(key: &SigningKey) -> Arc<ClientConfig> {
    ClientConfig::builder(TrustAnchor::PinnedFingerprint(
        *key.public_key().fingerprint(),
    ))
    .unwrap()
    .build()
    .unwrap()
}

fn resign(ch: &[u8], body: &[u8], key: &SigningKey) -> Vec<u8> {
    let th = sha256(&[unpadded(ch), body]);
    let mut msg = b"gamecrypt session v1 server signature\x00".to_vec();
    msg.extend_from_slice(&th);
    let format = match key.key_type() {
        KeyType::EcdsaP256 => SignatureFormat::EcdsaFixed,
        _ => SignatureFormat::Default,
    };
    let mut out = body.to_vec();
    out.extend(raw_sign(key, &msg, format));
    out
}

/// (suite code, share) of every offer of a ClientHello.
fn offers(ch: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let mut at = 36;
    let mut out = Vec::new();
    for _ in 0..ch[35] {
        let code = u16::from_be_bytes([ch[at], ch[at + 1]]);
        let len = u16::from_be_bytes([ch[at + 2], ch[at + 3]]) as usize;
        out.push((code, ch[at + 4..at + 4 + len].to_vec()));
        at += 4 + len;
    }
    out
}

/// A ClientHello with these offers, no extensions, zero-padded to `len`.
fn client_hello(random_from: &[u8], offers: &[(u16, Vec<u8>)], len: usize) -> Vec<u8> {
    let mut m = random_from[..35].to_vec();
    m.push(offers.len() as u8);
    for (code, share) in offers {
        m.extend(code.to_be_bytes());
        m.extend((share.len() as u16).to_be_bytes());
        m.extend(share);
    }
    m.extend([0, 0]);
    assert!(m.len() <= len);
    m.resize(len, 0);
    m
}

#[test]
fn hybrid_suites_are_offered_first_and_work_in_both_modes() {
    for (kt, suite, sh_len) in [
        (KeyType::Ed25519, PQ[0], 1265),
        (KeyType::EcdsaP256, PQ[1], 1298),
    ] {
        for mode in [Mode::Datagram, Mode::Stream] {
            let key = SigningKey::generate(kt).unwrap();
            let c = Session::new_client(fingerprint_client(&key), mode).unwrap();
            let s = Session::new_server(default_server(&key), mode);
            let t = handshake(&c, &s);
            assert_eq!(c.suite().unwrap(), suite);
            assert_eq!(s.suite().unwrap(), suite);
            // Sizes of section 20.2: all four default offers, the 1216-byte share twice.
            assert_eq!(t.client_hello.len(), 2583);
            let o = offers(&t.client_hello);
            let codes: Vec<u16> = o.iter().map(|x| x.0).collect();
            assert_eq!(codes, [3, 4, 1, 2]);
            assert_eq!(o[0].1.len(), 1216);
            assert_eq!(o[0].1, o[1].1, "one share per group");
            assert_eq!(t.server_hello.len(), sh_len);
            assert!(t.server_hello.len() < t.client_hello.len());
            let l = sh_layout(&t.server_hello);
            let share_len =
                u16::from_be_bytes([t.server_hello[l.share_len], t.server_hello[l.share_len + 1]]);
            assert_eq!(share_len, 1120);
            for i in 0..40u32 {
                let msg = i.to_be_bytes().repeat(i as usize * 7);
                assert_eq!(open(&s, &seal(&c, &msg)).unwrap(), msg);
                assert_eq!(open(&c, &seal(&s, &msg)).unwrap(), msg);
                if i % 10 == 9 {
                    (if i % 20 == 9 { &c } else { &s }).update_keys().unwrap();
                }
            }
            // The last update (by the server) has not reached the client yet.
            assert_eq!(s.key_generation().unwrap(), 4);
            assert_eq!(c.key_generation().unwrap(), 3);
            let mut close = [0u8; 24];
            assert_eq!(s.close(&mut close), Ok(24));
            assert_eq!(open(&c, &close), Err(Error::PeerClosed));
            assert_eq!(c.state(), State::Closed);
        }
    }
}

#[test]
fn a_hybrid_client_hello_is_padded_to_2048_and_shorter_ones_are_refused() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    // A pinned Ed25519 key: offers 3 then 2 (1294 bytes of content).
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .build()
        .unwrap();
    let c = Session::new_client(ccfg, Mode::Datagram).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    assert_eq!(n, 2048);
    let ch = buf[..n].to_vec();
    for len in [1294, 1300, 2047] {
        let s = Session::new_server(default_server(&key), Mode::Datagram);
        assert_eq!(
            s.read_handshake(&ch[..len]),
            Err(Error::HandshakeMalformed),
            "len {len}"
        );
    }
    // A server that does not choose a hybrid suite keeps the v1 rule (1200).
    let classic = ServerConfig::builder(key.clone())
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
        .build();
    let s = Session::new_server(classic, Mode::Datagram);
    s.read_handshake(&ch[..1300]).unwrap();
    assert_eq!(
        s.suite().unwrap(),
        Suite::X25519Ed25519ChaCha20Poly1305Sha256
    );
    // The exact length is accepted.
    let s = Session::new_server(default_server(&key), Mode::Datagram);
    s.read_handshake(&ch).unwrap();
    assert_eq!(s.suite().unwrap(), PQ[0]);
}

#[test]
fn invalid_hybrid_shares_are_malformed() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let c = Session::new_client(fingerprint_client(&key), Mode::Stream).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    let ch = buf[..n].to_vec();
    let o = offers(&ch);
    let pq_only = |share: Vec<u8>| client_hello(&ch, &[(3, share)], 2048);
    // Genuine share: accepted.
    let s = Session::new_server(default_server(&key), Mode::Datagram);
    s.read_handshake(&pq_only(o[0].1.clone())).unwrap();
    // An ML-KEM coefficient >= q (first 12 bits all ones): FIPS 203 key check.
    let mut bad = o[0].1.clone();
    bad[0] = 0xff;
    bad[1] |= 0x0f;
    let s = Session::new_server(default_server(&key), Mode::Datagram);
    assert_eq!(
        s.read_handshake(&pq_only(bad)),
        Err(Error::HandshakeMalformed)
    );
    // A low-order X25519 part (all zero).
    let mut bad = o[0].1.clone();
    bad[1184..].fill(0);
    let s = Session::new_server(default_server(&key), Mode::Datagram);
    assert_eq!(
        s.read_handshake(&pq_only(bad)),
        Err(Error::HandshakeMalformed)
    );
    // Wrong lengths.
    for len in [1215, 1217, 32, 1184] {
        let s = Session::new_server(default_server(&key), Mode::Datagram);
        let mut share = o[0].1.clone();
        share.resize(len, 7);
        assert_eq!(
            s.read_handshake(&pq_only(share)),
            Err(Error::HandshakeMalformed),
            "len {len}"
        );
    }
}

#[test]
fn a_modified_ml_kem_ciphertext_is_detected_by_the_signature() {
    let key = SigningKey::generate(KeyType::EcdsaP256).unwrap();
    let c = Session::new_client(fingerprint_client(&key), Mode::Stream).unwrap();
    let s = Session::new_server(default_server(&key), Mode::Datagram);
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    s.read_handshake(&buf[..n]).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    let mut sh = buf[..n].to_vec();
    let l = sh_layout(&sh);
    sh[l.share_len + 2 + 500] ^= 0x20; // inside the ML-KEM ciphertext
    assert_eq!(c.read_handshake(&sh), Err(Error::HandshakeSignatureInvalid));
}

#[test]
fn stripping_the_hybrid_offers_is_detected() {
    for kt in [KeyType::Ed25519, KeyType::EcdsaP256] {
        let key = SigningKey::generate(kt).unwrap();
        let classic = if kt == KeyType::Ed25519 { 2u16 } else { 1 };
        let c = Session::new_client(fingerprint_client(&key), Mode::Stream).unwrap();
        let mut buf = vec![0u8; 4096];
        let n = c.write_handshake(&mut buf).unwrap();
        let ch = buf[..n].to_vec();
        // The MITM forwards a ClientHello with only the classic offers (same length).
        let stripped: Vec<(u16, Vec<u8>)> = offers(&ch)
            .into_iter()
            .filter(|(code, _)| *code <= 2)
            .collect();
        let stripped = client_hello(&ch, &stripped, ch.len());
        let s = Session::new_server(default_server(&key), Mode::Datagram);
        s.read_handshake(&stripped).unwrap();
        assert_eq!(u32::from(s.suite().unwrap().code()), u32::from(classic));
        let n = s.write_handshake(&mut buf).unwrap();
        let sh = buf[..n].to_vec();
        // (a) As is: the server lists a hybrid suite the client prefers.
        assert_eq!(c.read_handshake(&sh), Err(Error::DowngradeDetected));
        // (b) Also removing the hybrid suite from the server's list breaks the signature.
        let c = Session::new_client(fingerprint_client(&key), Mode::Stream).unwrap();
        let n = c.write_handshake(&mut buf).unwrap();
        let ch = buf[..n].to_vec();
        let stripped: Vec<(u16, Vec<u8>)> = offers(&ch)
            .into_iter()
            .filter(|(code, _)| *code <= 2)
            .collect();
        let s = Session::new_server(default_server(&key), Mode::Datagram);
        s.read_handshake(&client_hello(&ch, &stripped, ch.len()))
            .unwrap();
        let n = s.write_handshake(&mut buf).unwrap();
        let sh = buf[..n].to_vec();
        let l = sh_layout(&sh);
        assert_eq!(sh[l.suite_count], 2);
        let mut edited = sh[..l.suite_count].to_vec();
        edited.push(1);
        edited.extend(classic.to_be_bytes());
        edited.extend(&sh[l.share_len..]);
        assert_eq!(
            c.read_handshake(&edited),
            Err(Error::HandshakeSignatureInvalid)
        );
        assert_eq!(c.state(), State::Failed);
    }
}

#[test]
fn a_server_choosing_classic_over_a_preferred_hybrid_suite_is_a_downgrade() {
    // The real server key, honestly listing both suites but choosing the classic one.
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let c = Session::new_client(fingerprint_client(&key), Mode::Stream).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    let ch = buf[..n].to_vec();
    let classic_only = ServerConfig::builder(key.clone())
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
        .build();
    let s = Session::new_server(classic_only, Mode::Datagram);
    s.read_handshake(&ch).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    let sh = buf[..n].to_vec();
    let l = sh_layout(&sh);
    let mut body = sh[..l.suite_count].to_vec();
    body.extend([2, 0, 3, 0, 2]); // server_suites = [3, 2]
    body.extend(&sh[l.share_len..sh.len() - 64]);
    let forged = resign(&ch, &body, &key);
    assert_eq!(c.read_handshake(&forged), Err(Error::DowngradeDetected));
    // Unmodified, a classic-only server is a legitimate choice.
    let c = Session::new_client(fingerprint_client(&key), Mode::Stream).unwrap();
    let classic_only = ServerConfig::builder(key.clone())
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
        .build();
    let s = Session::new_server(classic_only, Mode::Datagram);
    handshake(&c, &s);
    assert_eq!(
        c.suite().unwrap(),
        Suite::X25519Ed25519ChaCha20Poly1305Sha256
    );
    // A hybrid-only client and a classic-only server have nothing in common.
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .suites(&[PQ[0]])
        .unwrap()
        .build()
        .unwrap();
    let c = Session::new_client(ccfg, Mode::Datagram).unwrap();
    let n = c.write_handshake(&mut buf).unwrap();
    let classic_only = ServerConfig::builder(key.clone())
        .unwrap()
        .suites(&[Suite::X25519Ed25519ChaCha20Poly1305Sha256])
        .unwrap()
        .build();
    let s = Session::new_server(classic_only, Mode::Datagram);
    assert_eq!(s.read_handshake(&buf[..n]), Err(Error::NoCommonSuite));
}

/// The whole flow through the C ABI with the hybrid suite constants, in both modes:
/// handshake, data, key updates from both sides, old-phase packets, close under phase 1.
#[test]
fn c_abi_hybrid_suites_and_key_update() {
    for (kt, suite) in [
        (
            KeyType::Ed25519,
            GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256,
        ),
        (
            KeyType::EcdsaP256,
            GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256,
        ),
    ] {
        for mode in [
            GAMECRYPT_SESSION_MODE_DATAGRAM,
            GAMECRYPT_SESSION_MODE_STREAM,
        ] {
            // SAFETY: every handle comes from the library and is freed once; every buffer is
            // valid for the length passed.
            unsafe { c_flow(kt, suite, mode) }
        }
    }
}

unsafe fn c_flow(kt: KeyType, suite: gamecrypt_suite, mode: gamecrypt_session_mode) {
    let key = SigningKey::generate(kt).unwrap();
    let der = key.to_pkcs8_der().unwrap();
    let pub_der = key.public_key().spki_der().to_vec();
    // SAFETY: the caller's contract (valid handles and buffers) holds for every call below.
    unsafe {
        let mut sk = null_mut();
        assert_eq!(
            gamecrypt_signing_key_from_der(der.as_ptr(), der.len(), &mut sk),
            R::Ok
        );
        let mut pk = null_mut();
        assert_eq!(
            gamecrypt_public_key_from_spki_der(pub_der.as_ptr(), pub_der.len(), &mut pk),
            R::Ok
        );
        let mut sb = null_mut();
        assert_eq!(gamecrypt_server_config_builder_new(sk, &mut sb), R::Ok);
        assert_eq!(
            gamecrypt_server_config_builder_set_suites(sb, &suite, 1),
            R::Ok
        );
        let mut scfg = null_mut();
        assert_eq!(gamecrypt_server_config_builder_build(sb, &mut scfg), R::Ok);
        let mut cb = null_mut();
        assert_eq!(
            gamecrypt_client_config_builder_new_pinned_key(pk, &mut cb),
            R::Ok
        );
        let offer = [suite, GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256];
        assert_eq!(
            gamecrypt_client_config_builder_set_suites(cb, offer.as_ptr(), 2),
            R::Ok
        );
        let mut ccfg = null_mut();
        assert_eq!(gamecrypt_client_config_builder_build(cb, &mut ccfg), R::Ok);
        let (mut c, mut s) = (null_mut(), null_mut());
        assert_eq!(gamecrypt_session_new_client(ccfg, mode, &mut c), R::Ok);
        assert_eq!(gamecrypt_session_new_server(scfg, mode, &mut s), R::Ok);
        let mut buf = vec![0u8; 4096];
        let mut len = 0usize;
        let mut g = 0u64;
        assert_eq!(gamecrypt_session_update_keys(c), R::WrongState);
        assert_eq!(gamecrypt_session_key_generation(c, &mut g), R::WrongState);
        // Handshake.
        let mut step = |from: *mut gamecrypt_session, to: *mut gamecrypt_session| {
            assert_eq!(
                gamecrypt_session_write_handshake(from, buf.as_mut_ptr(), buf.len(), &mut len),
                R::Ok
            );
            assert_eq!(
                gamecrypt_session_read_handshake(to, buf.as_ptr(), len),
                R::Ok
            );
            len
        };
        assert_eq!(step(c, s), 2048);
        assert!(step(s, c) > 1200);
        step(c, s);
        let mut got = 0;
        assert_eq!(gamecrypt_session_suite(c, &mut got), R::Ok);
        assert_eq!(got, suite);
        let seal = |sess: *mut gamecrypt_session, msg: &[u8]| -> Vec<u8> {
            let mut out = vec![0u8; msg.len() + GAMECRYPT_PACKET_OVERHEAD];
            let mut n = 0;
            assert_eq!(
                gamecrypt_session_seal(
                    sess,
                    msg.as_ptr(),
                    msg.len(),
                    out.as_mut_ptr(),
                    out.len(),
                    &mut n
                ),
                R::Ok
            );
            out.truncate(n);
            out
        };
        let open = |sess: *mut gamecrypt_session, pkt: &[u8]| -> (R, Vec<u8>) {
            let mut out = vec![0u8; pkt.len()];
            let mut n = 0;
            let r = gamecrypt_session_open(
                sess,
                pkt.as_ptr(),
                pkt.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut n,
            );
            out.truncate(n);
            (r, out)
        };
        assert_eq!(open(c, &seal(s, b"s0")), (R::Ok, b"s0".to_vec()));
        let old = seal(s, b"old");
        assert_eq!(gamecrypt_session_update_keys(c), R::Ok);
        assert_eq!(gamecrypt_session_update_keys(c), R::KeyUpdateBlocked);
        let p = seal(c, b"c1");
        assert_eq!(p[0], GAMECRYPT_PACKET_TYPE_DATA_PHASE1);
        assert_eq!(open(s, &p), (R::Ok, b"c1".to_vec()));
        assert_eq!(gamecrypt_session_key_generation(s, &mut g), R::Ok);
        assert_eq!(g, 1);
        assert_eq!(open(c, &old), (R::Ok, b"old".to_vec()));
        assert_eq!(open(c, &seal(s, b"s1")), (R::Ok, b"s1".to_vec()));
        assert_eq!(gamecrypt_session_update_keys(s), R::Ok);
        assert_eq!(open(c, &seal(s, b"s2")), (R::Ok, b"s2".to_vec()));
        assert_eq!(open(s, &seal(c, b"c2")), (R::Ok, b"c2".to_vec()));
        assert_eq!(gamecrypt_session_update_keys(c), R::Ok);
        assert_eq!(gamecrypt_session_key_generation(c, &mut g), R::Ok);
        assert_eq!(g, 3);
        let mut close = [0u8; GAMECRYPT_PACKET_OVERHEAD];
        assert_eq!(
            gamecrypt_session_close(c, close.as_mut_ptr(), close.len(), &mut len),
            R::Ok
        );
        assert_eq!(close[0], GAMECRYPT_PACKET_TYPE_CLOSE_PHASE1);
        assert_eq!(open(s, &close).0, R::PeerClosed);
        assert_eq!(open(s, &close).0, R::SessionClosed);
        assert_eq!(gamecrypt_session_update_keys(s), R::SessionClosed);
        assert_eq!(
            gamecrypt_session_key_generation(s, &mut g),
            R::SessionClosed
        );
        gamecrypt_session_free(c);
        gamecrypt_session_free(s);
        gamecrypt_client_config_free(ccfg);
        gamecrypt_server_config_free(scfg);
        gamecrypt_client_config_builder_free(cb);
        gamecrypt_server_config_builder_free(sb);
        gamecrypt_public_key_free(pk);
        gamecrypt_signing_key_free(sk);
    }
}
