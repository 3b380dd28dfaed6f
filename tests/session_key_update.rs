//! Key update, usage limits and close through the public Rust API (docs/PROTOCOL.md sections
//! 17 and 18), for every suite. The limits are lowered with `Session::set_limits_for_test`
//! (`testing` builds). Tests that need crate internals stay in src/session/tests_hardening.rs.

mod session_support;

use gamecrypt::session::*;
use gamecrypt::Error;
use session_support::{established_suite as pair, open, seal};

const SUITES: [Suite; 4] = [
    Suite::P256EcdsaAes256GcmSha256,
    Suite::X25519Ed25519ChaCha20Poly1305Sha256,
    Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
    Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
];

fn generation(s: &Session) -> u64 {
    s.key_generation().unwrap()
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
