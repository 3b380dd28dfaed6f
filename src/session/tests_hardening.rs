//! Unit tests of key update, usage limits, close and the hybrid suites that need crate
//! internals (lowered usage limits, packet-number and key-retention hooks). The C ABI is
//! exercised here too where a lowered limit is needed.

use super::transport::{self, units, Limits};
use super::*;
use crate::keys::{KeyType, SigningKey};

const SUITES: [Suite; 4] = [
    Suite::P256EcdsaAes256GcmSha256,
    Suite::X25519Ed25519ChaCha20Poly1305Sha256,
    Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
    Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
];

use crate::session_support::established_suite as pair;

fn seal(s: &Session, pt: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; pt.len() + 24];
    let n = s.seal(pt, &mut out).unwrap();
    out.truncate(n);
    out
}

fn open(s: &Session, pkt: &[u8]) -> Result<Vec<u8>> {
    let mut out = vec![0u8; pkt.len()];
    let n = s.open(pkt, &mut out)?;
    out.truncate(n);
    Ok(out)
}

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

/// Key update started by `initiator` with packets of the old generation still in flight in
/// both directions, delivered out of order across the update (datagram mode).
#[test]
fn key_update_from_either_side_with_reordered_packets_in_flight() {
    for suite in SUITES {
        for client_starts in [true, false] {
            let (c, s) = pair(suite, Mode::Datagram);
            let (a, b) = if client_starts { (&c, &s) } else { (&s, &c) };
            // b's first packet confirms generation 0 at a (the server is confirmed by the
            // client's Finished already).
            assert_eq!(open(a, &seal(b, b"hi")).unwrap(), b"hi");
            let old_a: Vec<Vec<u8>> = (0..3u8).map(|i| seal(a, &[i; 5])).collect();
            let old_b: Vec<Vec<u8>> = (0..3u8).map(|i| seal(b, &[0x10 + i; 5])).collect();
            assert!(old_a.iter().all(|p| p[0] == 0x40));
            a.update_keys().unwrap();
            assert_eq!(generation(a), 1);
            assert_eq!(generation(b), 0);
            // A second update before the peer answered under generation 1 is refused and
            // changes nothing.
            assert_eq!(a.update_keys(), Err(Error::KeyUpdateBlocked));
            assert_eq!(generation(a), 1);
            let new_a: Vec<Vec<u8>> = (0..3u8).map(|i| seal(a, &[0x20 + i; 5])).collect();
            assert!(new_a.iter().all(|p| p[0] == 0x41), "key phase 1");
            // Packet numbers continue across the update.
            let pn = |p: &[u8]| u64::from_be_bytes([0, p[1], p[2], p[3], p[4], p[5], p[6], p[7]]);
            assert_eq!(pn(&new_a[0]), pn(&old_a[2]) + 1);
            // b receives: new, old, new, old, new, old.
            for (p, pt) in [
                (&new_a[1], [0x21u8; 5]),
                (&old_a[0], [0; 5]),
                (&new_a[0], [0x20; 5]),
                (&old_a[2], [2; 5]),
                (&new_a[2], [0x22; 5]),
                (&old_a[1], [1; 5]),
            ] {
                assert_eq!(open(b, p).unwrap(), pt);
                assert_eq!(generation(b), 1, "b follows at the first new packet");
            }
            // Replays are still caught across generations.
            assert_eq!(open(b, &new_a[1]), Err(Error::PacketReplayed));
            assert_eq!(open(b, &old_a[0]), Err(Error::PacketReplayed));
            // b's answer is under generation 1; a still opens b's late generation-0 packets
            // (before and after the answer).
            let answer = seal(b, b"answer");
            assert_eq!(answer[0], 0x41);
            assert_eq!(open(a, &old_b[2]).unwrap(), [0x12; 5]);
            assert_eq!(open(a, &answer).unwrap(), b"answer");
            assert_eq!(open(a, &old_b[0]).unwrap(), [0x10; 5]);
            assert_eq!(open(a, &old_b[1]).unwrap(), [0x11; 5]);
            // Now a is confirmed and may update again; b too.
            a.update_keys().unwrap();
            assert_eq!(generation(a), 2);
            let p = seal(a, b"gen 2");
            assert_eq!(p[0], 0x40);
            assert_eq!(open(b, &p).unwrap(), b"gen 2");
            assert_eq!(generation(b), 2);
            assert_eq!(open(a, &seal(b, b"ok")).unwrap(), b"ok");
            b.update_keys().unwrap();
            assert_eq!(open(a, &seal(b, b"gen 3")).unwrap(), b"gen 3");
            assert_eq!((generation(a), generation(b)), (3, 3));
        }
    }
}

#[test]
fn key_update_in_stream_mode_from_either_side() {
    for suite in SUITES {
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

/// The initiator has not heard the peer under the new generation, and the peer already
/// started the next one (its answer under the intermediate generation was lost): both
/// candidate keys are tried and the session follows.
#[test]
fn peer_updating_again_before_its_answer_arrived_is_followed() {
    let (c, s) = pair(Suite::P256EcdsaAes256GcmSha256, Mode::Datagram);
    assert_eq!(open(&c, &seal(&s, b"x")).unwrap(), b"x");
    let late0 = seal(&s, b"gen 0 late");
    c.update_keys().unwrap();
    assert_eq!(open(&s, &seal(&c, b"1")).unwrap(), b"1");
    let _lost = seal(&s, b"gen 1 answer, lost");
    s.update_keys().unwrap();
    let p = seal(&s, b"gen 2");
    assert_eq!(p[0], 0x40);
    assert_eq!(open(&c, &p).unwrap(), b"gen 2");
    assert_eq!(generation(&c), 2);
    assert_eq!(open(&s, &seal(&c, b"ok")).unwrap(), b"ok");
    // The generation-0 packet can no longer be opened (only one previous generation).
    assert_eq!(open(&c, &late0), Err(Error::PacketAuthFailed));
    assert_eq!(c.state(), State::Established);
}

#[test]
fn simultaneous_updates_meet_in_the_same_generation() {
    let (c, s) = pair(Suite::X25519Ed25519ChaCha20Poly1305Sha256, Mode::Datagram);
    assert_eq!(open(&c, &seal(&s, b"x")).unwrap(), b"x");
    c.update_keys().unwrap();
    s.update_keys().unwrap();
    let pc = seal(&c, b"from c");
    let ps = seal(&s, b"from s");
    assert_eq!(open(&s, &pc).unwrap(), b"from c");
    assert_eq!(open(&c, &ps).unwrap(), b"from s");
    assert_eq!((generation(&c), generation(&s)), (1, 1));
    c.update_keys().unwrap();
    assert_eq!(open(&s, &seal(&c, b"2")).unwrap(), b"2");
    assert_eq!(generation(&s), 2);
}

#[test]
fn every_bit_flip_of_a_phase_1_packet_is_rejected() {
    for suite in SUITES {
        let (c, s) = pair(suite, Mode::Datagram);
        assert_eq!(open(&c, &seal(&s, b"x")).unwrap(), b"x");
        c.update_keys().unwrap();
        let pkt = seal(&c, b"phase one payload");
        assert_eq!(pkt[0], 0x41);
        s.set_limits_for_test(None, u64::MAX);
        for bit in 0..pkt.len() * 8 {
            let mut m = pkt.clone();
            m[bit / 8] ^= 1 << (bit % 8);
            let e = open(&s, &m).unwrap_err();
            let ok = match bit {
                0..=7 if !(0x40..=0x43).contains(&m[0]) => e == Error::PacketMalformed,
                8..=63 => matches!(e, Error::PacketAuthFailed | Error::PacketReplayed),
                _ => e == Error::PacketAuthFailed,
            };
            assert!(ok, "{suite:?} bit {bit}: {e:?}");
            assert_eq!(
                generation(&s),
                0,
                "a forged packet never moves the generation"
            );
            assert_eq!(s.state(), State::Established);
        }
        assert_eq!(open(&s, &pkt).unwrap(), b"phase one payload");
        assert_eq!(generation(&s), 1);
    }
}

#[test]
fn automatic_update_at_the_confidentiality_limit() {
    for mode in [Mode::Datagram, Mode::Stream] {
        let (c, s) = pair(Suite::P256EcdsaAes256GcmSha256, mode);
        // Limit 8 units: update threshold at 6. The client's Finished used one unit.
        c.set_limits_for_test(Some(8), u64::MAX);
        s.set_limits_for_test(Some(8), u64::MAX);
        assert_eq!(open(&c, &seal(&s, b"confirm")).unwrap(), b"confirm");
        let mut gens = Vec::new();
        for _ in 0..6 {
            let p = seal(&c, b"data");
            gens.push(p[0] & 1);
            assert_eq!(open(&s, &p).unwrap(), b"data");
        }
        // Units used before each seal: 1,2,3,4,5 (< 6 after adding), then 6 + 1 > 6.
        assert_eq!(gens, [0, 0, 0, 0, 0, 1]);
        assert_eq!((generation(&c), generation(&s)), (1, 1));
        // Not confirmed yet: the next threshold passes without an update, up to the limit.
        for _ in 0..7 {
            open(&s, &seal(&c, b"more")).unwrap();
        }
        assert_eq!(generation(&c), 1);
        let sent = c.packets_sent();
        let mut out = [0u8; 64];
        assert_eq!(c.seal(b"over", &mut out), Err(Error::KeyUpdateBlocked));
        assert_eq!(c.packets_sent(), sent, "nothing sealed");
        assert_eq!(c.state(), State::Established);
        // Close is always possible... but first: a packet from the server unblocks.
        assert_eq!(open(&c, &seal(&s, b"answer")).unwrap(), b"answer");
        let p = seal(&c, b"over");
        assert_eq!(p[0], 0x40, "generation 2");
        assert_eq!(open(&s, &p).unwrap(), b"over");
        // Large packets count one unit per 64 KiB: 3 units each (used: 1 so far).
        let big = vec![7u8; 2 * 65536 + 1];
        assert_eq!(open(&s, &seal(&c, &big)).unwrap(), big); // 4
        assert_eq!(open(&s, &seal(&c, &big)).unwrap(), big); // 7: blocked update, below 8
        assert_eq!(generation(&c), 2);
        let mut out = vec![0u8; big.len() + 24];
        assert_eq!(c.seal(&big, &mut out), Err(Error::KeyUpdateBlocked)); // 10 > 8
                                                                          // A close packet is always sealed.
        assert_eq!(open(&c, &seal(&s, b"a")).unwrap(), b"a");
        assert_eq!(open(&s, &seal(&c, &big)).unwrap(), big);
        assert_eq!(generation(&c), 3);
        let mut close = [0u8; 24];
        c.set_limits_for_test(Some(1), u64::MAX);
        assert_eq!(c.close(&mut close), Ok(24));
        assert_eq!(close[0], 0x43);
        assert_eq!(s.open(&close, &mut out), Err(Error::PeerClosed));
    }
}

#[test]
fn chacha_suites_never_update_automatically() {
    let (c, s) = pair(Suite::X25519Ed25519ChaCha20Poly1305Sha256, Mode::Datagram);
    for _ in 0..100 {
        open(&s, &seal(&c, b"x")).unwrap();
        open(&c, &seal(&s, b"y")).unwrap();
    }
    assert_eq!(generation(&c), 0);
}

#[test]
fn integrity_limit_fails_the_session() {
    for mode in [Mode::Datagram, Mode::Stream] {
        let (c, s) = pair(Suite::P256EcdsaAes256GcmSha256, mode);
        s.set_limits_for_test(None, 5);
        let mut pkts: Vec<Vec<u8>> = (0..8).map(|_| seal(&c, b"data")).collect();
        if mode == Mode::Stream {
            // Stream mode already fails at the first forgery.
            pkts[0][12] ^= 1;
            assert_eq!(open(&s, &pkts[0]), Err(Error::PacketAuthFailed));
            assert_eq!(s.state(), State::Failed);
            continue;
        }
        // Failures count across all keys and never reset: 4 forgeries are tolerated ...
        for p in &mut pkts[..4] {
            p[12] ^= 1;
            assert_eq!(open(&s, p), Err(Error::PacketAuthFailed));
        }
        assert_eq!(open(&s, &pkts[7]).unwrap(), b"data");
        // ... the fifth ends the session.
        pkts[4][12] ^= 1;
        assert_eq!(open(&s, &pkts[4]), Err(Error::IntegrityLimitReached));
        assert_eq!(s.state(), State::Failed);
        assert_eq!(open(&s, &pkts[5]), Err(Error::SessionFailed));
    }
    // With two candidate keys (unconfirmed update), each failed attempt counts.
    let (c, s) = pair(Suite::X25519Ed25519ChaCha20Poly1305Sha256, Mode::Datagram);
    assert_eq!(open(&c, &seal(&s, b"x")).unwrap(), b"x");
    c.update_keys().unwrap();
    c.set_limits_for_test(None, 4);
    let mut p = seal(&s, b"gen 0");
    p[10] ^= 1;
    assert_eq!(open(&c, &p), Err(Error::PacketAuthFailed)); // previous and next: 2
    assert_eq!(open(&c, &p), Err(Error::IntegrityLimitReached)); // 4
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

#[test]
fn close_after_updates_from_either_side() {
    for suite in SUITES {
        for (gens, client_closes) in [(1u64, true), (1, false), (2, true), (2, false)] {
            let (c, s) = pair(suite, Mode::Datagram);
            assert_eq!(open(&c, &seal(&s, b"x")).unwrap(), b"x");
            for _ in 0..gens {
                c.update_keys().unwrap();
                open(&s, &seal(&c, b"u")).unwrap();
                open(&c, &seal(&s, b"v")).unwrap();
            }
            let (a, b) = if client_closes { (&c, &s) } else { (&s, &c) };
            let mut close = [0u8; 24];
            assert_eq!(a.close(&mut close), Ok(24));
            assert_eq!(close[0], 0x42 | (gens & 1) as u8);
            // A forged close does nothing; the real one closes.
            let mut forged = close;
            forged[9] ^= 1;
            let mut out = [0u8; 8];
            assert_eq!(b.open(&forged, &mut out), Err(Error::PacketAuthFailed));
            assert_eq!(b.state(), State::Established);
            assert_eq!(b.open(&close, &mut out), Err(Error::PeerClosed));
            assert_eq!(b.state(), State::Closed);
            assert_eq!(b.open(&close, &mut out), Err(Error::SessionClosed));
        }
    }
}

/// Section 17.1: the next generation's receive keys are derived only when a packet with the
/// other key phase needs them, then kept until the generation changes.
#[test]
fn next_receive_keys_are_derived_lazily_and_kept() {
    for suite in SUITES {
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
