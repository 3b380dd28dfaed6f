//! The session's C ABI, exercised from Rust: the main flow, NULL pointers, short buffers,
//! wrong states, invalid enumerations, certificates and the clock callback.

mod session_support;

use gamecrypt::ffi::certificate::*;
use gamecrypt::ffi::client_config::*;
use gamecrypt::ffi::gamecrypt_result as R;
use gamecrypt::ffi::keys::*;
use gamecrypt::ffi::server_config::*;
use gamecrypt::ffi::session::*;
use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{Mode, Session};
use std::ffi::CStr;
use std::os::raw::c_void;
use std::ptr::{null, null_mut};

/// A key pair as C handles (freed on drop), plus its public encodings for comparisons.
struct Keys {
    sk: *mut gamecrypt_signing_key,
    pk: *mut gamecrypt_public_key,
    spki: Vec<u8>,
    fingerprint: Vec<u8>,
}

impl Drop for Keys {
    fn drop(&mut self) {
        unsafe {
            gamecrypt_signing_key_free(self.sk);
            gamecrypt_public_key_free(self.pk);
        }
    }
}

fn keys(kt: KeyType) -> Keys {
    let k = SigningKey::generate(kt).unwrap();
    let pkcs8 = k.to_pkcs8_der().unwrap();
    let spki = k.public_key().spki_der().to_vec();
    let (mut sk, mut pk) = (null_mut(), null_mut());
    unsafe {
        assert_eq!(
            gamecrypt_signing_key_from_der(pkcs8.as_ptr(), pkcs8.len(), &mut sk),
            R::Ok
        );
        assert_eq!(
            gamecrypt_public_key_from_spki_der(spki.as_ptr(), spki.len(), &mut pk),
            R::Ok
        );
    }
    Keys {
        sk,
        pk,
        spki,
        fingerprint: k.public_key().fingerprint().to_vec(),
    }
}

/// The SubjectPublicKeyInfo DER of a public key handle, which the test then frees.
unsafe fn spki_of(pk: *mut gamecrypt_public_key) -> Vec<u8> {
    let mut der = vec![0u8; 1024];
    let mut len = 0;
    assert_eq!(
        gamecrypt_public_key_to_spki_der(pk, der.as_mut_ptr(), der.len(), &mut len),
        R::Ok
    );
    gamecrypt_public_key_free(pk);
    der.truncate(len);
    der
}

unsafe fn server_config(k: &Keys, cert: Option<&[u8]>) -> *mut gamecrypt_server_config {
    let mut b = null_mut();
    assert_eq!(gamecrypt_server_config_builder_new(k.sk, &mut b), R::Ok);
    if let Some(c) = cert {
        assert_eq!(
            gamecrypt_server_config_builder_set_certificate(b, c.as_ptr(), c.len()),
            R::Ok
        );
    }
    let mut cfg = null_mut();
    assert_eq!(gamecrypt_server_config_builder_build(b, &mut cfg), R::Ok);
    gamecrypt_server_config_builder_free(b);
    cfg
}

unsafe fn pinned_client_config(k: &Keys) -> *mut gamecrypt_client_config {
    let mut b = null_mut();
    assert_eq!(
        gamecrypt_client_config_builder_new_pinned_key(k.pk, &mut b),
        R::Ok
    );
    let mut cfg = null_mut();
    assert_eq!(gamecrypt_client_config_builder_build(b, &mut cfg), R::Ok);
    gamecrypt_client_config_builder_free(b);
    cfg
}

/// Drives both sessions through the handshake the way a C application would: by state.
unsafe fn run_handshake(c: *mut gamecrypt_session, s: *mut gamecrypt_session) {
    let mut buf = vec![0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
    let mut len = 0usize;
    for _ in 0..3 {
        for (from, to) in [(c, s), (s, c)] {
            if gamecrypt_session_get_state(from) == GAMECRYPT_SESSION_STATE_NEED_WRITE {
                assert_eq!(
                    gamecrypt_session_write_handshake(from, buf.as_mut_ptr(), buf.len(), &mut len),
                    R::Ok
                );
                assert!(gamecrypt_session_is_handshake_message(buf.as_ptr(), len));
                assert_eq!(
                    gamecrypt_session_get_state(to),
                    GAMECRYPT_SESSION_STATE_NEED_READ
                );
                assert_eq!(
                    gamecrypt_session_read_handshake(to, buf.as_ptr(), len),
                    R::Ok
                );
            }
        }
    }
    assert_eq!(
        gamecrypt_session_get_state(c),
        GAMECRYPT_SESSION_STATE_ESTABLISHED
    );
    assert_eq!(
        gamecrypt_session_get_state(s),
        GAMECRYPT_SESSION_STATE_ESTABLISHED
    );
}

unsafe fn seal(s: *mut gamecrypt_session, pt: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; pt.len() + GAMECRYPT_PACKET_OVERHEAD];
    let mut len = 0;
    assert_eq!(
        gamecrypt_session_seal(
            s,
            pt.as_ptr(),
            pt.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut len
        ),
        R::Ok
    );
    out.truncate(len);
    out
}

unsafe fn open(s: *mut gamecrypt_session, pkt: &[u8]) -> (R, Vec<u8>) {
    let mut out = vec![0u8; pkt.len()];
    let mut len = 0;
    let r = gamecrypt_session_open(
        s,
        pkt.as_ptr(),
        pkt.len(),
        out.as_mut_ptr(),
        out.len(),
        &mut len,
    );
    out.truncate(if r == R::Ok { len } else { 0 });
    (r, out)
}

#[test]
fn main_flow_both_suites_both_modes() {
    // Default configurations choose the hybrid post-quantum suite of the key type.
    for (kt, suite) in [
        (
            KeyType::EcdsaP256,
            GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256,
        ),
        (
            KeyType::Ed25519,
            GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256,
        ),
    ] {
        for mode in [
            GAMECRYPT_SESSION_MODE_DATAGRAM,
            GAMECRYPT_SESSION_MODE_STREAM,
        ] {
            let k = keys(kt);
            unsafe {
                let scfg = server_config(&k, None);
                let ccfg = pinned_client_config(&k);
                let (mut c, mut s) = (null_mut(), null_mut());
                assert_eq!(gamecrypt_session_new_client(ccfg, mode, &mut c), R::Ok);
                assert_eq!(gamecrypt_session_new_server(scfg, mode, &mut s), R::Ok);
                // Configurations may be freed while sessions live.
                gamecrypt_client_config_free(ccfg);
                gamecrypt_server_config_free(scfg);
                run_handshake(c, s);
                let mut got = 0;
                assert_eq!(gamecrypt_session_suite(c, &mut got), R::Ok);
                assert_eq!(got, suite);
                assert_eq!(gamecrypt_session_suite(s, &mut got), R::Ok);
                assert_eq!(got, suite);
                let mut len = 0;
                let mut pk = null_mut();
                assert_eq!(gamecrypt_session_server_public_key(c, &mut pk), R::Ok);
                assert_eq!(spki_of(pk), k.spki);
                assert_eq!(gamecrypt_session_server_public_key(s, &mut pk), R::Ok);
                assert_eq!(spki_of(pk), k.spki);
                for i in 0..20u8 {
                    let p = seal(c, &[i; 30]);
                    assert_eq!(p[0], GAMECRYPT_PACKET_TYPE_DATA);
                    assert!(!gamecrypt_session_is_handshake_message(p.as_ptr(), p.len()));
                    assert_eq!(open(s, &p), (R::Ok, vec![i; 30]));
                    let p = seal(s, &[i; 3]);
                    assert_eq!(open(c, &p), (R::Ok, vec![i; 3]));
                }
                // Close: the peer learns it from the close packet.
                let mut close = [0u8; GAMECRYPT_PACKET_OVERHEAD];
                assert_eq!(
                    gamecrypt_session_close(c, close.as_mut_ptr(), close.len(), &mut len),
                    R::Ok
                );
                assert_eq!(len, GAMECRYPT_PACKET_OVERHEAD);
                assert_eq!(close[0], GAMECRYPT_PACKET_TYPE_CLOSE);
                assert_eq!(open(s, &close).0, R::PeerClosed);
                assert_eq!(
                    gamecrypt_session_get_state(s),
                    GAMECRYPT_SESSION_STATE_CLOSED
                );
                assert_eq!(
                    gamecrypt_session_get_state(c),
                    GAMECRYPT_SESSION_STATE_CLOSED
                );
                gamecrypt_session_free(c);
                gamecrypt_session_free(s);
            }
        }
    }
}

#[test]
fn null_pointers() {
    let k = keys(KeyType::Ed25519);
    unsafe {
        let mut b = null_mut();
        assert_eq!(
            gamecrypt_server_config_builder_new(null(), &mut b),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_server_config_builder_new(k.sk, null_mut()),
            R::NullArgument
        );
        let p384 = keys(KeyType::EcdsaP384);
        assert_eq!(
            gamecrypt_server_config_builder_new(p384.sk, &mut b),
            R::WrongKeyType
        );
        assert!(b.is_null());
        assert_eq!(
            gamecrypt_server_config_builder_set_certificate(null_mut(), null(), 0),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_suites(null_mut(), null(), 0),
            R::NullArgument
        );
        let mut cfg = null_mut();
        assert_eq!(
            gamecrypt_server_config_builder_build(null(), &mut cfg),
            R::NullArgument
        );
        let mut cb = null_mut();
        assert_eq!(
            gamecrypt_client_config_builder_new_pinned_key(null(), &mut cb),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_client_config_builder_new_pinned_fingerprint(null(), 32, &mut cb),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_client_config_builder_new_root(null(), &mut cb),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_client_config_builder_set_server_name(null_mut(), c"x".as_ptr()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_client_config_builder_set_clock(null_mut(), None, null_mut()),
            R::NullArgument
        );
        let mut ccfg = null_mut();
        assert_eq!(
            gamecrypt_client_config_builder_build(null(), &mut ccfg),
            R::NullArgument
        );
        let mut s = null_mut();
        assert_eq!(
            gamecrypt_session_new_client(null(), GAMECRYPT_SESSION_MODE_DATAGRAM, &mut s),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_new_server(null(), GAMECRYPT_SESSION_MODE_DATAGRAM, &mut s),
            R::NullArgument
        );
        let mut len = 0;
        let mut buf = [0u8; 64];
        assert_eq!(
            gamecrypt_session_write_handshake(null(), buf.as_mut_ptr(), 64, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_read_handshake(null(), buf.as_ptr(), 64),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_seal(
                null(),
                buf.as_ptr(),
                1,
                buf.as_mut_ptr().add(8),
                40,
                &mut len
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_open(
                null(),
                buf.as_ptr(),
                30,
                buf.as_mut_ptr().add(32),
                30,
                &mut len
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_close(null(), buf.as_mut_ptr(), 64, &mut len),
            R::NullArgument
        );
        let mut suite = 0;
        assert_eq!(gamecrypt_session_suite(null(), &mut suite), R::NullArgument);
        let mut pk = null_mut();
        assert_eq!(
            gamecrypt_session_server_public_key(null(), &mut pk),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_get_state(null()),
            GAMECRYPT_SESSION_STATE_INVALID
        );
        assert!(!gamecrypt_session_is_handshake_message(null(), 0));
        assert!(!gamecrypt_session_is_handshake_message(null(), 5));

        // With a real session: NULL buffers and out-pointers.
        let scfg = server_config(&k, None);
        let ccfg = pinned_client_config(&k);
        let mut c = null_mut();
        assert_eq!(
            gamecrypt_session_new_client(ccfg, GAMECRYPT_SESSION_MODE_DATAGRAM, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_new_client(ccfg, GAMECRYPT_SESSION_MODE_DATAGRAM, &mut c),
            R::Ok
        );
        assert_eq!(
            gamecrypt_session_write_handshake(c, null_mut(), 10, &mut len),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_write_handshake(c, buf.as_mut_ptr(), 64, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_read_handshake(c, null(), 10),
            R::NullArgument
        );
        assert_eq!(gamecrypt_session_suite(c, null_mut()), R::NullArgument);
        // Still usable afterwards.
        assert_eq!(
            gamecrypt_session_get_state(c),
            GAMECRYPT_SESSION_STATE_NEED_WRITE
        );
        gamecrypt_session_free(c);
        gamecrypt_client_config_free(ccfg);
        gamecrypt_server_config_free(scfg);
        // Freeing NULL is fine.
        gamecrypt_session_free(null_mut());
        gamecrypt_server_config_free(null_mut());
        gamecrypt_client_config_free(null_mut());
        gamecrypt_server_config_builder_free(null_mut());
        gamecrypt_client_config_builder_free(null_mut());
    }
}

#[test]
fn short_buffers_report_the_needed_length() {
    let k = keys(KeyType::EcdsaP256);
    unsafe {
        let scfg = server_config(&k, None);
        let ccfg = pinned_client_config(&k);
        let (mut c, mut s) = (null_mut(), null_mut());
        assert_eq!(
            gamecrypt_session_new_client(ccfg, GAMECRYPT_SESSION_MODE_STREAM, &mut c),
            R::Ok
        );
        assert_eq!(
            gamecrypt_session_new_server(scfg, GAMECRYPT_SESSION_MODE_STREAM, &mut s),
            R::Ok
        );
        let mut len = 0;
        let mut small = [0u8; 10];
        assert_eq!(
            gamecrypt_session_write_handshake(c, small.as_mut_ptr(), small.len(), &mut len),
            R::BufferTooSmall
        );
        assert_eq!(len, 2048, "a ClientHello with a hybrid offer");
        // Size query with (NULL, 0).
        len = 0;
        assert_eq!(
            gamecrypt_session_write_handshake(c, null_mut(), 0, &mut len),
            R::BufferTooSmall
        );
        assert_eq!(len, 2048, "a ClientHello with a hybrid offer");
        assert_eq!(
            gamecrypt_session_get_state(c),
            GAMECRYPT_SESSION_STATE_NEED_WRITE
        );
        run_handshake(c, s);
        let pt = [1u8; 100];
        let mut out = [0u8; 123];
        assert_eq!(
            gamecrypt_session_seal(
                c,
                pt.as_ptr(),
                pt.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut len
            ),
            R::BufferTooSmall
        );
        assert_eq!(len, 124);
        let pkt = seal(c, &pt);
        let mut pt_out = [0u8; 99];
        assert_eq!(
            gamecrypt_session_open(
                s,
                pkt.as_ptr(),
                pkt.len(),
                pt_out.as_mut_ptr(),
                99,
                &mut len
            ),
            R::BufferTooSmall
        );
        assert_eq!(len, 100);
        // Nothing consumed, even in stream mode.
        assert_eq!(open(s, &pkt), (R::Ok, pt.to_vec()));
        assert_eq!(
            gamecrypt_session_server_public_key(c, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_close(c, small.as_mut_ptr(), small.len(), &mut len),
            R::BufferTooSmall
        );
        assert_eq!(len, 24);
        assert_eq!(
            gamecrypt_session_get_state(c),
            GAMECRYPT_SESSION_STATE_ESTABLISHED
        );
        // Output overlapping the input is refused.
        let mut both = vec![0u8; 200];
        let p = both.as_mut_ptr();
        assert_eq!(
            gamecrypt_session_seal(c, p, 50, p.add(10), 100, &mut len),
            R::InvalidArgument
        );
        gamecrypt_session_free(c);
        gamecrypt_session_free(s);
        gamecrypt_client_config_free(ccfg);
        gamecrypt_server_config_free(scfg);
    }
}

#[test]
fn wrong_states_invalid_values_and_failed_sessions() {
    let k = keys(KeyType::Ed25519);
    unsafe {
        let scfg = server_config(&k, None);
        let ccfg = pinned_client_config(&k);
        let mut c = null_mut();
        assert_eq!(
            gamecrypt_session_new_client(ccfg, 0, &mut c),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_session_new_client(ccfg, 3, &mut c),
            R::InvalidArgument
        );
        assert!(c.is_null(), "no handle written on error");
        assert_eq!(
            gamecrypt_session_new_client(ccfg, GAMECRYPT_SESSION_MODE_STREAM, &mut c),
            R::Ok
        );
        let mut len = 0;
        let mut buf = [0u8; 64];
        let pt = [0u8; 4];
        assert_eq!(
            gamecrypt_session_seal(c, pt.as_ptr(), 4, buf.as_mut_ptr(), 64, &mut len),
            R::WrongState
        );
        // WRONG_STATE wins over BUFFER_TOO_SMALL.
        assert_eq!(
            gamecrypt_session_seal(c, pt.as_ptr(), 4, null_mut(), 0, &mut len),
            R::WrongState
        );
        let mut suite = 0;
        assert_eq!(gamecrypt_session_suite(c, &mut suite), R::WrongState);
        let mut pk = null_mut();
        assert_eq!(
            gamecrypt_session_server_public_key(c, &mut pk),
            R::WrongState
        );
        assert!(pk.is_null());
        assert_eq!(
            gamecrypt_session_read_handshake(c, buf.as_ptr(), 10),
            R::WrongState
        );
        // Make it fail: a garbage ServerHello.
        let mut hs = vec![0u8; 4096];
        assert_eq!(
            gamecrypt_session_write_handshake(c, hs.as_mut_ptr(), hs.len(), &mut len),
            R::Ok
        );
        assert_eq!(
            gamecrypt_session_read_handshake(c, [2u8].as_ptr(), 1),
            R::HandshakeMalformed
        );
        assert_eq!(
            gamecrypt_session_get_state(c),
            GAMECRYPT_SESSION_STATE_FAILED
        );
        assert_eq!(
            gamecrypt_session_write_handshake(c, hs.as_mut_ptr(), hs.len(), &mut len),
            R::SessionFailed
        );
        assert_eq!(
            gamecrypt_session_seal(c, pt.as_ptr(), 4, buf.as_mut_ptr(), 64, &mut len),
            R::SessionFailed
        );
        assert_eq!(open(c, &[0x40; 30]).0, R::SessionFailed);
        assert_eq!(
            gamecrypt_session_close(c, buf.as_mut_ptr(), 64, &mut len),
            R::SessionFailed
        );
        assert_eq!(gamecrypt_session_suite(c, &mut suite), R::SessionFailed);
        gamecrypt_session_free(c);

        // Unknown suites and empty lists.
        let mut b = null_mut();
        assert_eq!(gamecrypt_server_config_builder_new(k.sk, &mut b), R::Ok);
        let bad = [99u32];
        assert_eq!(
            gamecrypt_server_config_builder_set_suites(b, bad.as_ptr(), 1),
            R::InvalidArgument
        );
        let big = [0x1_0002u32];
        assert_eq!(
            gamecrypt_server_config_builder_set_suites(b, big.as_ptr(), 1),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_suites(b, bad.as_ptr(), 0),
            R::InvalidArgument
        );
        let p256_only = [GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256];
        assert_eq!(
            gamecrypt_server_config_builder_set_suites(b, p256_only.as_ptr(), 1),
            R::WrongKeyType
        );
        let ok = [GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256];
        assert_eq!(
            gamecrypt_server_config_builder_set_suites(b, ok.as_ptr(), 1),
            R::Ok
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_certificate(b, b"junk".as_ptr(), 4),
            R::CertificateMalformed
        );
        gamecrypt_server_config_builder_free(b);
        let mut cb = null_mut();
        assert_eq!(
            gamecrypt_client_config_builder_new_pinned_fingerprint(
                k.fingerprint.as_ptr(),
                31,
                &mut cb
            ),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_client_config_builder_new_pinned_key(keys(KeyType::EcdsaP384).pk, &mut cb),
            R::WrongKeyType
        );
        assert!(cb.is_null());
        assert_eq!(
            gamecrypt_client_config_builder_new_pinned_fingerprint(
                k.fingerprint.as_ptr(),
                32,
                &mut cb
            ),
            R::Ok
        );
        assert_eq!(
            gamecrypt_client_config_builder_set_server_name(cb, c"srv".as_ptr()),
            R::InvalidArgument
        );
        let both = [
            GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256,
            GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256,
        ];
        assert_eq!(
            gamecrypt_client_config_builder_set_suites(cb, both.as_ptr(), 2),
            R::Ok
        );
        let dup = [1u32, 1];
        assert_eq!(
            gamecrypt_client_config_builder_set_suites(cb, dup.as_ptr(), 2),
            R::InvalidArgument
        );
        let mut fp_cfg = null_mut();
        assert_eq!(
            gamecrypt_client_config_builder_build(cb, &mut fp_cfg),
            R::Ok
        );
        gamecrypt_client_config_builder_free(cb);
        // The fingerprint client works against the server.
        let (mut c, mut s) = (null_mut(), null_mut());
        assert_eq!(
            gamecrypt_session_new_client(fp_cfg, GAMECRYPT_SESSION_MODE_DATAGRAM, &mut c),
            R::Ok
        );
        assert_eq!(
            gamecrypt_session_new_server(scfg, GAMECRYPT_SESSION_MODE_DATAGRAM, &mut s),
            R::Ok
        );
        run_handshake(c, s);
        // Datagram errors do not end the session.
        assert_eq!(open(s, &[0x40; 30]).0, R::PacketAuthFailed);
        let p = seal(c, b"x");
        assert_eq!(open(s, &p).0, R::Ok);
        assert_eq!(open(s, &p).0, R::PacketReplayed);
        assert_eq!(open(s, &[0x40; 3]).0, R::PacketMalformed);
        assert_eq!(
            gamecrypt_session_get_state(s),
            GAMECRYPT_SESSION_STATE_ESTABLISHED
        );
        gamecrypt_session_free(c);
        gamecrypt_session_free(s);
        gamecrypt_client_config_free(fp_cfg);
        gamecrypt_client_config_free(ccfg);
        gamecrypt_server_config_free(scfg);
    }
}

extern "C" fn fixed_clock(ctx: *mut c_void) -> u64 {
    // SAFETY: the tests pass a pointer to a live u64.
    unsafe { *(ctx as *const u64) }
}

#[test]
fn certificates_and_the_clock_callback() {
    let root = keys(KeyType::Ed25519);
    let server = keys(KeyType::EcdsaP256);
    unsafe {
        let mut cert = vec![0u8; GAMECRYPT_CERTIFICATE_MAX_LEN];
        let mut len = 0;
        let mut tiny = [0u8; 8];
        assert_eq!(
            gamecrypt_certificate_issue(
                root.sk,
                server.pk,
                c"eu-1".as_ptr(),
                100,
                200,
                tiny.as_mut_ptr(),
                tiny.len(),
                &mut len
            ),
            R::BufferTooSmall
        );
        assert_eq!(len, 159 + 4);
        assert_eq!(
            gamecrypt_certificate_issue(
                root.sk,
                server.pk,
                c"eu-1".as_ptr(),
                200,
                100,
                cert.as_mut_ptr(),
                cert.len(),
                &mut len
            ),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_certificate_issue(
                root.sk,
                server.pk,
                null(),
                100,
                200,
                cert.as_mut_ptr(),
                cert.len(),
                &mut len
            ),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_certificate_issue(
                root.sk,
                server.pk,
                c"eu-1".as_ptr(),
                100,
                200,
                cert.as_mut_ptr(),
                cert.len(),
                &mut len
            ),
            R::Ok
        );
        cert.truncate(len);
        let verify = |name: Option<&CStr>, now| {
            gamecrypt_certificate_verify(
                cert.as_ptr(),
                cert.len(),
                root.pk,
                name.map_or(null(), |n| n.as_ptr()),
                now,
            )
        };
        assert_eq!(verify(Some(c"eu-1"), 150), R::Ok);
        assert_eq!(verify(None, 150), R::Ok);
        assert_eq!(verify(Some(c"eu-2"), 150), R::CertificateWrongName);
        assert_eq!(verify(Some(c"eu-1"), 99), R::CertificateNotYetValid);
        assert_eq!(verify(Some(c"eu-1"), 201), R::CertificateExpired);
        assert_eq!(
            gamecrypt_certificate_verify(cert.as_ptr(), cert.len(), server.pk, null(), 150),
            R::CertificateSignatureInvalid
        );
        assert_eq!(
            gamecrypt_certificate_verify(cert.as_ptr(), 10, root.pk, null(), 150),
            R::CertificateMalformed
        );
        let (mut nb, mut na) = (0u64, 0u64);
        assert_eq!(
            gamecrypt_certificate_validity(cert.as_ptr(), cert.len(), &mut nb, &mut na),
            R::Ok
        );
        assert_eq!((nb, na), (100, 200));
        assert_eq!(
            gamecrypt_certificate_validity(cert.as_ptr(), cert.len(), null_mut(), &mut na),
            R::NullArgument
        );
        let mut out = [0u8; 128];
        assert_eq!(
            gamecrypt_certificate_server_name(
                cert.as_ptr(),
                cert.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut len
            ),
            R::Ok
        );
        assert_eq!(&out[..len], b"eu-1");
        let mut pk = null_mut();
        assert_eq!(
            gamecrypt_certificate_public_key(cert.as_ptr(), cert.len(), &mut pk),
            R::Ok
        );
        assert_eq!(spki_of(pk), server.spki);
        assert_eq!(
            gamecrypt_certificate_public_key(cert.as_ptr(), 10, &mut pk),
            R::CertificateMalformed
        );

        // A root-trusting client with an application clock.
        let scfg = server_config(&server, Some(&cert));
        for (now, expected) in [
            (150u64, R::Ok),
            (201, R::CertificateExpired),
            (50, R::CertificateNotYetValid),
        ] {
            let now_box = Box::new(now);
            let mut cb = null_mut();
            assert_eq!(
                gamecrypt_client_config_builder_new_root(root.pk, &mut cb),
                R::Ok
            );
            assert_eq!(
                gamecrypt_client_config_builder_set_server_name(cb, c"eu-1".as_ptr()),
                R::Ok
            );
            assert_eq!(
                gamecrypt_client_config_builder_set_server_name(cb, c"".as_ptr()),
                R::InvalidLength
            );
            assert_eq!(
                gamecrypt_client_config_builder_set_clock(
                    cb,
                    Some(fixed_clock),
                    &*now_box as *const u64 as *mut c_void
                ),
                R::Ok
            );
            let mut ccfg = null_mut();
            assert_eq!(gamecrypt_client_config_builder_build(cb, &mut ccfg), R::Ok);
            gamecrypt_client_config_builder_free(cb);
            let (mut c, mut s) = (null_mut(), null_mut());
            assert_eq!(
                gamecrypt_session_new_client(ccfg, GAMECRYPT_SESSION_MODE_STREAM, &mut c),
                R::Ok
            );
            assert_eq!(
                gamecrypt_session_new_server(scfg, GAMECRYPT_SESSION_MODE_DATAGRAM, &mut s),
                R::Ok
            );
            let mut buf = vec![0u8; 4096];
            assert_eq!(
                gamecrypt_session_write_handshake(c, buf.as_mut_ptr(), buf.len(), &mut len),
                R::Ok
            );
            assert_eq!(
                gamecrypt_session_read_handshake(s, buf.as_ptr(), len),
                R::Ok
            );
            assert_eq!(
                gamecrypt_session_write_handshake(s, buf.as_mut_ptr(), buf.len(), &mut len),
                R::Ok
            );
            assert_eq!(
                gamecrypt_session_read_handshake(c, buf.as_ptr(), len),
                expected
            );
            gamecrypt_session_free(c);
            gamecrypt_session_free(s);
            gamecrypt_client_config_free(ccfg);
            drop(now_box);
        }
        gamecrypt_server_config_free(scfg);
    }
}

#[test]
fn size_functions_match_the_constants() {
    assert_eq!(gamecrypt_packet_overhead(), GAMECRYPT_PACKET_OVERHEAD);
    assert_eq!(
        GAMECRYPT_PACKET_OVERHEAD,
        GAMECRYPT_PACKET_HEADER_LEN + GAMECRYPT_PACKET_TAG_LEN
    );
    assert_eq!(
        gamecrypt_packet_max_payload_len(),
        GAMECRYPT_PACKET_MAX_PAYLOAD_LEN
    );
    assert_eq!(
        gamecrypt_session_max_handshake_len(),
        GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN
    );
    assert_eq!(
        gamecrypt_session_fingerprint_len(),
        GAMECRYPT_SESSION_FINGERPRINT_LEN
    );
    assert_eq!(
        gamecrypt_certificate_max_len(),
        GAMECRYPT_CERTIFICATE_MAX_LEN
    );
    const { assert!(GAMECRYPT_PACKET_OVERHEAD <= 24) };
}

/// An established pair (session_support, the one pair helper) seen as C handles; the
/// sessions live in `pair` (no gamecrypt_session_free).
fn handles(pair: &(Session, Session)) -> (*mut gamecrypt_session, *mut gamecrypt_session) {
    let raw = |s: &Session| s as *const Session as *mut gamecrypt_session;
    (raw(&pair.0), raw(&pair.1))
}

fn rust_mode(mode: gamecrypt_session_mode) -> Mode {
    Mode::from_code(mode).unwrap()
}

/// The core owns the order of the checks: a short output buffer does not hide a malformed
/// packet (same code as the Rust API), whatever the mode.
#[test]
fn open_checks_the_packet_before_the_output_buffer() {
    let kt = KeyType::Ed25519;
    for mode in [
        GAMECRYPT_SESSION_MODE_DATAGRAM,
        GAMECRYPT_SESSION_MODE_STREAM,
    ] {
        unsafe {
            let pair = session_support::established(kt, rust_mode(mode));
            let (c, s) = handles(&pair);
            let mut p = seal(c, &[7u8; 40]);
            p[0] = 0x44; // reserved type byte
            for cap in [0usize, 10, 100] {
                let mut out = vec![0u8; cap];
                let mut len = 12345;
                let r = gamecrypt_session_open(
                    s,
                    p.as_ptr(),
                    p.len(),
                    if cap == 0 {
                        null_mut()
                    } else {
                        out.as_mut_ptr()
                    },
                    cap,
                    &mut len,
                );
                if mode == GAMECRYPT_SESSION_MODE_DATAGRAM {
                    assert_eq!(r, R::PacketMalformed, "cap {cap}");
                    assert_eq!(len, 12345, "out_len is only written on success");
                } else {
                    // Stream mode: malformed is fatal (the first call), then the session is dead.
                    let expected = if cap == 0 {
                        R::PacketMalformed
                    } else {
                        R::SessionFailed
                    };
                    assert_eq!(r, expected, "cap {cap}");
                    assert_eq!(
                        gamecrypt_session_get_state(s),
                        GAMECRYPT_SESSION_STATE_FAILED
                    );
                }
            }
            // A short buffer with a well-formed packet stays BUFFER_TOO_SMALL, not fatal.
            if mode == GAMECRYPT_SESSION_MODE_DATAGRAM {
                p[0] = GAMECRYPT_PACKET_TYPE_DATA;
                let mut len = 0;
                assert_eq!(
                    gamecrypt_session_open(s, p.as_ptr(), p.len(), null_mut(), 0, &mut len),
                    R::BufferTooSmall
                );
                assert_eq!(len, 40);
                assert_eq!(open(s, &p), (R::Ok, vec![7u8; 40]));
            }
        }
    }
}

/// docs/PROTOCOL.md section 10.4 step 1: a packet longer than the largest payload plus the
/// overhead is malformed, which is fatal in stream mode, whatever the output buffer (it used
/// to be BUFFER_TOO_SMALL with a request for 16,777,217 bytes, the session still established).
#[test]
fn an_oversized_packet_is_malformed_and_fatal_in_stream_mode() {
    let kt = KeyType::EcdsaP256;
    let big = vec![
        GAMECRYPT_PACKET_TYPE_DATA;
        GAMECRYPT_PACKET_MAX_PAYLOAD_LEN + GAMECRYPT_PACKET_OVERHEAD + 1
    ];
    for mode in [
        GAMECRYPT_SESSION_MODE_DATAGRAM,
        GAMECRYPT_SESSION_MODE_STREAM,
    ] {
        unsafe {
            let pair = session_support::established(kt, rust_mode(mode));
            let (c, s) = handles(&pair);
            let mut out = vec![0u8; 64];
            let mut len = 0;
            assert_eq!(
                gamecrypt_session_open(
                    s,
                    big.as_ptr(),
                    big.len(),
                    out.as_mut_ptr(),
                    out.len(),
                    &mut len
                ),
                R::PacketMalformed
            );
            assert_eq!(len, 0, "no length is requested for a malformed packet");
            let state = gamecrypt_session_get_state(s);
            if mode == GAMECRYPT_SESSION_MODE_STREAM {
                assert_eq!(state, GAMECRYPT_SESSION_STATE_FAILED);
            } else {
                assert_eq!(state, GAMECRYPT_SESSION_STATE_ESTABLISHED);
                let p = seal(c, b"still fine");
                assert_eq!(open(s, &p), (R::Ok, b"still fine".to_vec()));
            }
        }
    }
}

/// The same input gives the same error through C and Rust, whatever the output buffer.
#[test]
fn seal_checks_length_before_the_output_buffer() {
    unsafe {
        let pair = session_support::established(KeyType::Ed25519, Mode::Datagram);
        let (c, _) = handles(&pair);
        let big = vec![0u8; GAMECRYPT_PACKET_MAX_PAYLOAD_LEN + 1];
        let mut len = 0;
        assert_eq!(
            gamecrypt_session_seal(c, big.as_ptr(), big.len(), null_mut(), 0, &mut len),
            R::InvalidLength
        );
        assert_eq!(len, 0);
        let mut small = [0u8; 10];
        assert_eq!(
            gamecrypt_session_seal(
                c,
                big.as_ptr(),
                5,
                small.as_mut_ptr(),
                small.len(),
                &mut len
            ),
            R::BufferTooSmall
        );
        assert_eq!(len, 5 + GAMECRYPT_PACKET_OVERHEAD);
        assert_eq!(
            gamecrypt_session_seal_in_place(c, null_mut(), 0, big.len(), &mut len),
            R::InvalidLength
        );
    }
}

#[test]
fn seal_in_place_matches_seal_and_checks_like_it() {
    for kt in [KeyType::EcdsaP256, KeyType::Ed25519] {
        unsafe {
            let pair = session_support::established(kt, Mode::Stream);
            let (c, s) = handles(&pair);
            for n in [0usize, 1, 64, 1200] {
                let payload: Vec<u8> = (0..n).map(|i| i as u8).collect();
                let mut buf = vec![0xAAu8; n + GAMECRYPT_PACKET_OVERHEAD + 3];
                buf[GAMECRYPT_PACKET_HEADER_LEN..GAMECRYPT_PACKET_HEADER_LEN + n]
                    .copy_from_slice(&payload);
                // Size query and short buffer: the needed length, the buffer untouched.
                let mut len = 0;
                assert_eq!(
                    gamecrypt_session_seal_in_place(c, null_mut(), 0, n, &mut len),
                    R::BufferTooSmall
                );
                assert_eq!(len, n + GAMECRYPT_PACKET_OVERHEAD);
                let before = buf.clone();
                assert_eq!(
                    gamecrypt_session_seal_in_place(
                        c,
                        buf.as_mut_ptr(),
                        n + GAMECRYPT_PACKET_OVERHEAD - 1,
                        n,
                        &mut len
                    ),
                    R::BufferTooSmall
                );
                assert_eq!(buf, before);
                assert_eq!(
                    gamecrypt_session_seal_in_place(c, buf.as_mut_ptr(), buf.len(), n, &mut len),
                    R::Ok
                );
                assert_eq!(len, n + GAMECRYPT_PACKET_OVERHEAD);
                assert_eq!(buf[0], GAMECRYPT_PACKET_TYPE_DATA);
                assert_eq!(&buf[len..], &[0xAA; 3], "nothing written past the packet");
                if n >= 16 {
                    assert_ne!(&buf[GAMECRYPT_PACKET_HEADER_LEN..][..n], &payload[..]);
                }
                assert_eq!(open(s, &buf[..len]), (R::Ok, payload.clone()));
                // The next packet from seal() follows in the same packet-number space.
                let p = seal(c, &payload);
                assert_eq!(open(s, &p), (R::Ok, payload));
            }
            assert_eq!(
                gamecrypt_session_seal_in_place(s, null_mut(), 0, 0, null_mut()),
                R::NullArgument
            );
            assert_eq!(
                gamecrypt_session_seal_in_place(null(), null_mut(), 0, 0, &mut 0),
                R::NullArgument
            );
            let mut len = 0;
            let mut close = [0u8; GAMECRYPT_PACKET_OVERHEAD];
            assert_eq!(
                gamecrypt_session_close(c, close.as_mut_ptr(), close.len(), &mut len),
                R::Ok
            );
            let mut buf = [0u8; 64];
            assert_eq!(
                gamecrypt_session_seal_in_place(c, buf.as_mut_ptr(), buf.len(), 8, &mut len),
                R::SessionClosed
            );
        }
    }
}

/// The same packet gives the same result through the Rust API and the C ABI, whatever the
/// output buffer (datagram mode: none of these failures changes the session).
#[test]
fn rust_and_c_give_the_same_error_for_the_same_input() {
    let pair = session_support::established(KeyType::EcdsaP256, Mode::Datagram);
    let (_, s) = handles(&pair);
    let good = session_support::seal(&pair.0, &[9u8; 40]);
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![GAMECRYPT_PACKET_TYPE_DATA; 23],
        good[..good.len() - 1].to_vec(),
    ];
    for t in [0x00u8, 0x3f, 0x44, 0x80, 0xff] {
        let mut p = good.clone();
        p[0] = t;
        inputs.push(p);
    }
    let mut forged = good.clone();
    forged[12] ^= 1;
    inputs.push(forged);
    for input in &inputs {
        for cap in [0usize, 1, 15, 16, 39, 40, 100] {
            let mut rust_out = vec![0u8; cap];
            let rust = pair.1.open(input, &mut rust_out);
            let mut c_out = vec![0u8; cap];
            let mut len = 0;
            let c = unsafe {
                gamecrypt_session_open(
                    s,
                    if input.is_empty() {
                        null()
                    } else {
                        input.as_ptr()
                    },
                    input.len(),
                    if cap == 0 {
                        null_mut()
                    } else {
                        c_out.as_mut_ptr()
                    },
                    cap,
                    &mut len,
                )
            };
            let expected = match rust {
                Ok(_) => R::Ok,
                Err(e) => R::from(e),
            };
            assert_eq!(
                c,
                expected,
                "input {:02x?}.. len {} cap {cap}",
                &input[..input.len().min(2)],
                input.len()
            );
            assert_ne!(c, R::Ok);
        }
    }
    // The genuine packet still opens (nothing above changed the session).
    assert_eq!(
        session_support::open(&pair.1, &good).unwrap(),
        vec![9u8; 40]
    );
}

/// The packet exports take a short path when every pointer is set and the buffers do not
/// overlap; every other case goes through the checks one by one. Both give the same answer
/// at the edges: buffers that touch are fine, one shared byte is INVALID_ARGUMENT, an empty
/// input may point anywhere (even into the output), an empty output may be NULL.
#[test]
fn packet_buffers_that_touch_overlap_or_are_empty() {
    unsafe {
        let pair = session_support::established(KeyType::EcdsaP256, Mode::Datagram);
        let (c, s) = handles(&pair);
        let pt = [0x33u8; 20];
        let n = pt.len() + GAMECRYPT_PACKET_OVERHEAD;
        let mut arena = vec![0u8; 4 * n];
        let base = arena.as_mut_ptr();
        let mut len = 0;
        // Plaintext right before the packet, then right after it: both fine.
        std::ptr::copy_nonoverlapping(pt.as_ptr(), base, pt.len());
        let r = gamecrypt_session_seal(c, base, pt.len(), base.add(pt.len()), n, &mut len);
        assert_eq!((r, len), (R::Ok, n));
        let first = std::slice::from_raw_parts(base.add(pt.len()), n).to_vec();
        std::ptr::copy_nonoverlapping(pt.as_ptr(), base.add(n), pt.len());
        let r = gamecrypt_session_seal(c, base.add(n), pt.len(), base, n, &mut len);
        assert_eq!((r, len), (R::Ok, n));
        let second = std::slice::from_raw_parts(base, n).to_vec();
        // One shared byte, either end: refused, nothing written.
        len = 777;
        for (p, o) in [(base.add(n - 1), base), (base, base.add(pt.len() - 1))] {
            let r = gamecrypt_session_seal(c, p, pt.len(), o, n, &mut len);
            assert_eq!((r, len), (R::InvalidArgument, 777));
        }
        // An empty plaintext inside the output buffer, or NULL: a packet with no payload.
        for p in [base.add(5), null()] {
            let r = gamecrypt_session_seal(c, p, 0, base, n, &mut len);
            assert_eq!((r, len), (R::Ok, GAMECRYPT_PACKET_OVERHEAD));
            let empty = std::slice::from_raw_parts(base, GAMECRYPT_PACKET_OVERHEAD).to_vec();
            assert_eq!(open(s, &empty), (R::Ok, vec![]));
        }
        // An empty output: NULL or not, BUFFER_TOO_SMALL with the needed length.
        for o in [null_mut(), base.add(3 * n)] {
            len = 0;
            let r = gamecrypt_session_seal(c, pt.as_ptr(), pt.len(), o, 0, &mut len);
            assert_eq!((r, len), (R::BufferTooSmall, n));
        }
        // Open: the output overlapping the packet by one byte is refused (the packet is
        // still unopened), touching it is fine.
        let mut two = vec![0u8; 2 * n];
        two[..n].copy_from_slice(&first);
        let p2 = two.as_mut_ptr();
        len = 777;
        let r = gamecrypt_session_open(s, p2, n, p2.add(n - 1), pt.len(), &mut len);
        assert_eq!((r, len), (R::InvalidArgument, 777));
        let r = gamecrypt_session_open(s, p2, n, p2.add(n), pt.len(), &mut len);
        assert_eq!((r, len), (R::Ok, pt.len()));
        assert_eq!(&two[n..n + pt.len()], &pt[..]);
        assert_eq!(open(s, &second), (R::Ok, pt.to_vec()));
        // NULL out_len with good buffers: NULL_ARGUMENT, as before the short path.
        let r = gamecrypt_session_seal(c, pt.as_ptr(), pt.len(), base, n, null_mut());
        assert_eq!(r, R::NullArgument);
    }
}
