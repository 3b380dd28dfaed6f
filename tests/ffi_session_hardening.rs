//! C ABI tests of key update, usage limits and close that need a test hook (lowered usage
//! limits, `Session::set_limits_for_test`, in `testing` builds): the exports are called on
//! sessions built with the Rust API. Also: every call, Rust and C, on a closed or failed
//! session.

mod session_support;

use gamecrypt::error::Error;
use gamecrypt::ffi::gamecrypt_result as R;
use gamecrypt::ffi::session as ffi;
use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{Mode, ServerConfig, Session, State, Suite};

fn raw(s: &Session) -> *const ffi::gamecrypt_session {
    (s as *const Session).cast()
}

/// An established pair negotiating exactly `suite`.
fn pair(suite: Suite, mode: Mode) -> (Session, Session) {
    session_support::established_suite(suite, mode)
}

/// Every session export on a dead session returns the code of `expected`.
fn assert_every_export_returns(sess: &Session, expected: Error) {
    let mut buf = vec![0u8; 4096];
    let raw = raw(sess);
    let code = R::from(expected);
    let mut len = 0usize;
    let mut g = 0u64;
    // SAFETY: `raw` points at a live Session; every buffer is valid for its length.
    unsafe {
        assert_eq!(
            ffi::gamecrypt_session_seal(
                raw,
                buf.as_ptr(),
                1,
                buf.as_mut_ptr().add(100),
                100,
                &mut len
            ),
            code
        );
        let pkt = [0x41u8; 40];
        assert_eq!(
            ffi::gamecrypt_session_open(raw, pkt.as_ptr(), 40, buf.as_mut_ptr(), 100, &mut len),
            code
        );
        assert_eq!(ffi::gamecrypt_session_update_keys(raw), code);
        assert_eq!(ffi::gamecrypt_session_key_generation(raw, &mut g), code);
        assert_eq!(
            ffi::gamecrypt_session_close(raw, buf.as_mut_ptr(), 100, &mut len),
            code
        );
        assert_eq!(
            ffi::gamecrypt_session_write_handshake(raw, buf.as_mut_ptr(), 4096, &mut len),
            code
        );
        assert_eq!(
            ffi::gamecrypt_session_read_handshake(raw, buf.as_ptr(), 1200),
            code
        );
        let mut suite = 0;
        assert_eq!(ffi::gamecrypt_session_suite(raw, &mut suite), code);
        let mut pk = std::ptr::null_mut();
        assert_eq!(ffi::gamecrypt_session_server_public_key(raw, &mut pk), code);
    }
}

#[test]
fn c_abi_key_update_generation_and_automatic_update() {
    let (c, s) = pair(
        Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
        Mode::Datagram,
    );
    let (cr, sr) = (raw(&c), raw(&s));
    let mut g = 99u64;
    let mut buf = [0u8; 128];
    let mut pt = [0u8; 128];
    let mut len = 0usize;
    // SAFETY: the handles point at live Sessions; every buffer is valid for its length.
    unsafe {
        assert_eq!(
            ffi::gamecrypt_session_update_keys(std::ptr::null()),
            R::NullArgument
        );
        assert_eq!(
            ffi::gamecrypt_session_key_generation(std::ptr::null(), &mut g),
            R::NullArgument
        );
        assert_eq!(
            ffi::gamecrypt_session_key_generation(cr, std::ptr::null_mut()),
            R::NullArgument
        );
        assert_eq!(ffi::gamecrypt_session_key_generation(cr, &mut g), R::Ok);
        assert_eq!(g, 0);
        // The client has not opened anything from the server yet.
        assert_eq!(ffi::gamecrypt_session_update_keys(cr), R::KeyUpdateBlocked);
        assert_eq!(ffi::gamecrypt_session_update_keys(sr), R::Ok);
        assert_eq!(ffi::gamecrypt_session_key_generation(sr, &mut g), R::Ok);
        assert_eq!(g, 1);
        assert_eq!(ffi::gamecrypt_session_update_keys(sr), R::KeyUpdateBlocked);
        // SAFETY (closure): as above.
        let seal = |sess, msg: &[u8], out: &mut [u8; 128], len: &mut usize| {
            ffi::gamecrypt_session_seal(sess, msg.as_ptr(), msg.len(), out.as_mut_ptr(), 128, len)
        };
        assert_eq!(seal(sr, b"phase 1", &mut buf, &mut len), R::Ok);
        assert_eq!(buf[0], ffi::GAMECRYPT_PACKET_TYPE_DATA_PHASE1);
        assert_eq!(
            ffi::gamecrypt_session_open(cr, buf.as_ptr(), len, pt.as_mut_ptr(), 128, &mut len),
            R::Ok
        );
        assert_eq!(&pt[..len], b"phase 1");
        assert_eq!(ffi::gamecrypt_session_key_generation(cr, &mut g), R::Ok);
        assert_eq!(g, 1);
        // Automatic update through the C ABI with a lowered limit 4 (threshold 3): the client
        // followed the server's update, so its generation-1 key has sealed nothing yet.
        c.set_limits_for_test(Some(4), u64::MAX);
        let mut types = Vec::new();
        for _ in 0..4 {
            assert_eq!(seal(cr, b"d", &mut buf, &mut len), R::Ok);
            types.push(buf[0]);
            assert_eq!(
                ffi::gamecrypt_session_open(sr, buf.as_ptr(), len, pt.as_mut_ptr(), 128, &mut len),
                R::Ok
            );
        }
        assert_eq!(types, [0x41, 0x41, 0x41, 0x40]);
        assert_eq!(ffi::gamecrypt_session_key_generation(sr, &mut g), R::Ok);
        assert_eq!(g, 2);
        // Blocked at the limit until the server answers.
        for _ in 0..3 {
            assert_eq!(seal(cr, b"d", &mut buf, &mut len), R::Ok);
        }
        assert_eq!(seal(cr, b"d", &mut buf, &mut len), R::KeyUpdateBlocked);
        // Close under phase 0 of generation 2, reported as PEER_CLOSED.
        assert_eq!(
            ffi::gamecrypt_session_close(sr, buf.as_mut_ptr(), 128, &mut len),
            R::Ok
        );
        assert_eq!(buf[0], ffi::GAMECRYPT_PACKET_TYPE_CLOSE);
        assert_eq!(
            ffi::gamecrypt_session_open(cr, buf.as_ptr(), len, pt.as_mut_ptr(), 128, &mut len),
            R::PeerClosed
        );
        assert_eq!(ffi::gamecrypt_session_update_keys(cr), R::SessionClosed);
    }
}

#[test]
fn c_abi_update_before_established_is_wrong_state() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let scfg = ServerConfig::builder(key.clone()).unwrap().build();
    let s = Session::new_server(scfg, Mode::Datagram);
    let sr = raw(&s);
    let mut g = 0;
    // SAFETY: the handles point at live Sessions; every buffer is valid for its length.
    unsafe {
        assert_eq!(ffi::gamecrypt_session_update_keys(sr), R::WrongState);
        assert_eq!(
            ffi::gamecrypt_session_key_generation(sr, &mut g),
            R::WrongState
        );
    }
    assert_eq!(s.update_keys(), Err(Error::WrongState));
    assert_eq!(s.state(), State::NeedRead);
}

const SUITES: [Suite; 4] = [
    Suite::P256EcdsaAes256GcmSha256,
    Suite::X25519Ed25519ChaCha20Poly1305Sha256,
    Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
    Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
];

use session_support::{open, seal};

/// Every call on a dead session returns `expected`.
fn assert_every_call_returns(sess: &Session, expected: Error) {
    let mut buf = vec![0u8; 4096];
    assert_eq!(sess.write_handshake(&mut buf), Err(expected));
    assert_eq!(sess.read_handshake(&[0x01; 1200]), Err(expected));
    assert_eq!(sess.read_handshake(&[0x03; 24]), Err(expected));
    assert_eq!(sess.pending_handshake_len(), Err(expected));
    assert_eq!(sess.seal(b"x", &mut buf), Err(expected));
    assert_eq!(sess.open(&[0x40; 40], &mut buf), Err(expected));
    assert_eq!(sess.close(&mut buf), Err(expected));
    assert_eq!(sess.update_keys(), Err(expected));
    assert_eq!(sess.key_generation(), Err(expected));
    assert_eq!(sess.suite(), Err(expected));
    assert_eq!(sess.server_public_key().map(|_| ()), Err(expected));
    assert_eq!(sess.packets_sent(), 0, "keys erased");
    assert_every_export_returns(sess, expected);
}

#[test]
fn every_call_after_close_or_failure() {
    for suite in SUITES {
        // Local close after an update.
        let (c, s) = pair(suite, Mode::Datagram);
        assert_eq!(open(&c, &seal(&s, b"x")).unwrap(), b"x");
        c.update_keys().unwrap();
        let mut close = [0u8; 24];
        c.close(&mut close).unwrap();
        assert_every_call_returns(&c, Error::SessionClosed);
        // Closed by the peer.
        let mut out = [0u8; 8];
        assert_eq!(s.open(&close, &mut out), Err(Error::PeerClosed));
        assert_every_call_returns(&s, Error::SessionClosed);
        // Failed: stream mode bad packet; datagram mode integrity limit.
        let (c, s) = pair(suite, Mode::Stream);
        let mut p = seal(&c, b"x");
        p[0] ^= 1;
        assert_eq!(open(&s, &p), Err(Error::PacketAuthFailed));
        assert_every_call_returns(&s, Error::SessionFailed);
        let (c, s) = pair(suite, Mode::Datagram);
        s.set_limits_for_test(None, 1);
        let mut p = seal(&c, b"x");
        p[20] ^= 1;
        assert_eq!(open(&s, &p), Err(Error::IntegrityLimitReached));
        assert_every_call_returns(&s, Error::SessionFailed);
        drop(c);
    }
}
