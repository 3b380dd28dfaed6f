//! C ABI tests of key update, usage limits and close that need crate internals (lowered
//! usage limits): the exports are called on sessions built with the Rust API.

use crate::error::Error;
use crate::ffi::gamecrypt_result as R;
use crate::ffi::session as ffi;
use crate::keys::{KeyType, SigningKey};
use crate::session::{ClientConfig, Mode, ServerConfig, Session, State, Suite, TrustAnchor};

fn raw(s: &Session) -> *const ffi::gamecrypt_session {
    (s as *const Session).cast()
}

/// An established pair negotiating exactly `suite`.
fn pair(suite: Suite) -> (Session, Session) {
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
    let c = Session::new_client(ccfg, Mode::Datagram).unwrap();
    let s = Session::new_server(scfg, Mode::Datagram);
    let mut buf = vec![0u8; 4096];
    let n = c.write_handshake(&mut buf).unwrap();
    s.read_handshake(&buf[..n]).unwrap();
    let n = s.write_handshake(&mut buf).unwrap();
    c.read_handshake(&buf[..n]).unwrap();
    let n = c.write_handshake(&mut buf).unwrap();
    s.read_handshake(&buf[..n]).unwrap();
    (c, s)
}

/// Every session export on a dead session returns the code of `expected`.
pub(crate) fn assert_every_export_returns(sess: &Session, expected: Error) {
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
    let (c, s) = pair(Suite::X25519MlKem768EcdsaP256Aes256GcmSha256);
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
