//! Unit tests of key update, usage limits, close and the hybrid suites that need crate
//! internals (lowered usage limits, packet-number and key-retention hooks). The C ABI is
//! exercised here too where a lowered limit is needed.

use super::transport::{self, units, Limits};
use super::*;
use crate::keys::{KeyType, SigningKey};

use crate::session_support::established_suite as pair;

use crate::session_support::{open, seal};

fn generation(s: &Session) -> u64 {
    s.key_generation().unwrap()
}

#[test]
fn limits_are_those_of_rfc_9001() {
    assert_eq!(
        Limits::for_suite(Suite::P256EcdsaAes256GcmSha256),
        Limits {
            confidentiality: Some(1 << 23),
            integrity: 1 << 52
        }
    );
    assert_eq!(
        Limits::for_suite(Suite::X25519MlKem768EcdsaP256Aes256GcmSha256),
        Limits::for_suite(Suite::P256EcdsaAes256GcmSha256)
    );
    for s in [
        Suite::X25519Ed25519ChaCha20Poly1305Sha256,
        Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
    ] {
        assert_eq!(
            Limits::for_suite(s),
            Limits {
                confidentiality: None,
                integrity: 1 << 36
            }
        );
    }
    assert_eq!(units(0), 1);
    assert_eq!(units(1), 1);
    assert_eq!(units(65536), 1);
    assert_eq!(units(65537), 2);
    assert_eq!(units(transport::MAX_PAYLOAD_LEN), 256);
}

#[test]
fn key_update_in_stream_mode_from_either_side() {
    for &suite in Suite::all() {
        for client_starts in [true, false] {
            let (c, s) = pair(suite, Mode::Stream);
            let (a, b) = if client_starts { (&c, &s) } else { (&s, &c) };
            assert_eq!(open(a, &seal(b, b"x")).unwrap(), b"x");
            for round in 1..=4u64 {
                let late = seal(b, b"sent before b saw the update");
                let old = seal(a, b"old");
                a.update_keys().unwrap();
                let new = seal(a, b"new");
                assert_eq!(new[0] & 1, (round & 1) as u8);
                assert_eq!(open(b, &old).unwrap(), b"old");
                assert_eq!(open(b, &new).unwrap(), b"new");
                assert_eq!(generation(b), round);
                // In order, a gets b's late packet (previous keys) then b's answer.
                assert!(a.keeps_previous_key());
                assert_eq!(open(a, &late).unwrap(), b"sent before b saw the update");
                assert_eq!(open(a, &seal(b, b"answer")).unwrap(), b"answer");
                // Stream mode: the previous key is erased at the first new packet.
                assert!(!a.keeps_previous_key());
            }
            // Stream mode stays strict: a packet of the previous generation now fails.
            let p = seal(a, b"y");
            let mut wrong_phase = p.clone();
            wrong_phase[0] ^= 1;
            assert_eq!(open(b, &wrong_phase), Err(Error::PacketAuthFailed));
            assert_eq!(b.state(), State::Failed);
        }
    }
}

#[test]
fn previous_key_is_erased_when_the_window_has_passed() {
    let (c, s) = pair(Suite::X25519Ed25519ChaCha20Poly1305Sha256, Mode::Datagram);
    assert_eq!(open(&c, &seal(&s, b"x")).unwrap(), b"x");
    let held_back = seal(&c, b"late");
    c.update_keys().unwrap();
    let first_new = seal(&c, b"n");
    assert_eq!(open(&s, &first_new).unwrap(), b"n");
    assert!(s.keeps_previous_key());
    // The window (1984) has not passed the first new packet yet: still kept.
    for _ in 0..(replay::WINDOW - 2) {
        open(&s, &seal(&c, b"")).unwrap();
    }
    assert!(s.keeps_previous_key());
    open(&s, &seal(&c, b"")).unwrap();
    assert!(!s.keeps_previous_key(), "erased once top + 1 - low >= W");
    // The held-back packet is outside the window anyway.
    assert_eq!(open(&s, &held_back), Err(Error::PacketTooOld));
}

#[test]
fn packet_numbers_never_wrap_across_key_updates() {
    let (c, s) = pair(
        Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
        Mode::Datagram,
    );
    assert_eq!(open(&c, &seal(&s, b"x")).unwrap(), b"x");
    c.set_next_packet_number(transport::MAX_PACKET_NUMBER - 1);
    let p = seal(&c, b"a");
    assert_eq!(open(&s, &p).unwrap(), b"a");
    c.update_keys().unwrap();
    let last = seal(&c, b"b");
    assert_eq!(
        &last[..8],
        &[0x41, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
    );
    assert_eq!(open(&s, &last).unwrap(), b"b");
    let mut out = [0u8; 64];
    assert_eq!(c.seal(b"c", &mut out), Err(Error::KeyExhausted));
    // An update does not give new packet numbers.
    assert_eq!(open(&c, &seal(&s, b"y")).unwrap(), b"y");
    c.update_keys().unwrap();
    assert_eq!(c.seal(b"c", &mut out), Err(Error::KeyExhausted));
    assert_eq!(c.state(), State::Established);
}

/// Section 17.1: the next generation's receive keys are derived only when a packet with the
/// other key phase needs them, then kept until the generation changes.
#[test]
fn next_receive_keys_are_derived_lazily_and_kept() {
    for &suite in Suite::all() {
        let (c, s) = pair(suite, Mode::Datagram);
        assert!(!c.derived_next_key() && !s.derived_next_key(), "{suite:?}");
        for _ in 0..3 {
            assert_eq!(open(&s, &seal(&c, b"a")).unwrap(), b"a");
            assert_eq!(open(&c, &seal(&s, b"b")).unwrap(), b"b");
        }
        assert!(!c.derived_next_key() && !s.derived_next_key(), "{suite:?}");

        // A forged packet with the other phase: the server derives the next keys to try it,
        // fails, and keeps them for the following ones.
        let mut forged = seal(&c, b"forged");
        forged[0] ^= 1;
        for _ in 0..3 {
            assert_eq!(open(&s, &forged), Err(Error::PacketAuthFailed));
            assert!(s.derived_next_key(), "{suite:?}");
            assert_eq!(generation(&s), 0);
        }
        assert_eq!(s.state(), State::Established);

        // The peer's update uses the kept keys: they become the current ones.
        c.update_keys().unwrap();
        assert!(
            !c.derived_next_key(),
            "the initiator derived its new keys directly"
        );
        assert_eq!(open(&s, &seal(&c, b"gen 1")).unwrap(), b"gen 1");
        assert_eq!(generation(&s), 1);
        assert!(!s.derived_next_key(), "{suite:?}");
        assert!(s.keeps_previous_key());
        assert_eq!(open(&c, &seal(&s, b"answer")).unwrap(), b"answer");

        // Without a forged packet first, the next keys are derived when the update arrives.
        s.update_keys().unwrap();
        assert_eq!(open(&c, &seal(&s, b"gen 2")).unwrap(), b"gen 2");
        assert_eq!((generation(&c), generation(&s)), (2, 2));
        assert!(!c.derived_next_key() && !s.derived_next_key());
        assert_eq!(open(&s, &seal(&c, b"ok")).unwrap(), b"ok");
    }
}

/// Memory per established session (docs/PERFORMANCE.md): no handshake state is kept inline
/// in a `Session`; the bounds are those of a 64-bit target.
#[cfg(target_pointer_width = "64")]
#[test]
fn established_session_keeps_no_handshake_state_inline() {
    assert!(std::mem::size_of::<Handshake>() <= 16);
    assert!(std::mem::size_of::<OnceLock<Box<ClientCredentials>>>() <= 16);
    assert!(
        std::mem::size_of::<Session>() <= 640,
        "Session is {} bytes",
        std::mem::size_of::<Session>()
    );
}

/// A client that pins the server key keeps the configured key object, not a copy parsed
/// from the ServerHello (docs/PERFORMANCE.md: memory per session).
#[test]
fn client_keeps_the_pinned_key_object() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let pinned = key.public_key().clone();
    let scfg = ServerConfig::builder(key.clone()).unwrap().build();
    let ccfg = ClientConfig::builder(TrustAnchor::PinnedKey(pinned.clone()))
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
    let received = c.server_public_key().unwrap();
    assert_eq!(received, pinned);
    assert!(received.same_object(&pinned));
}
