//! Packet protection: tampering, replay, too-old, the seeded lossy-network simulation,
//! stream-mode strictness, and concurrent sealing and opening.

mod session_support;

use gamecrypt::keys::KeyType;
use gamecrypt::session::{limits, Mode, Session, State};
use gamecrypt::Error;
use session_support::*;
use std::collections::{HashMap, HashSet};

#[test]
fn every_bit_flip_of_a_sealed_packet_is_rejected_and_harmless() {
    for kt in [KeyType::EcdsaP256, KeyType::Ed25519] {
        let (c, s) = established(kt, Mode::Datagram);
        // Packet 1 has been delivered already; the tested packet is number 2.
        open(&s, &seal(&c, b"first")).unwrap();
        let pkt = seal(&c, b"a packet to tamper with");
        for bit in 0..pkt.len() * 8 {
            let mut m = pkt.clone();
            m[bit / 8] ^= 1 << (bit % 8);
            let e = open(&s, &m).unwrap_err();
            let expected: &[Error] = if bit < 8 && (0x40..=0x43).contains(&m[0]) {
                // Data turned into close or into the other key phase: the type byte is
                // authenticated (AAD) and the phase selects another key.
                &[Error::PacketAuthFailed]
            } else if bit < 8 {
                &[Error::PacketMalformed] // another type byte
            } else if bit < 64 {
                // Packet number: another number is either already used (replay) or fails
                // authentication (the nonce and the AAD change).
                &[Error::PacketAuthFailed, Error::PacketReplayed]
            } else {
                &[Error::PacketAuthFailed]
            };
            assert!(expected.contains(&e), "bit {bit}: {e:?}");
            assert_eq!(s.state(), State::Established);
        }
        // Truncations.
        for len in 0..pkt.len() {
            assert!(open(&s, &pkt[..len]).is_err(), "len {len}");
        }
        // Nothing was recorded: the genuine packet still opens, once.
        assert_eq!(open(&s, &pkt).unwrap(), b"a packet to tamper with");
        assert_eq!(open(&s, &pkt), Err(Error::PacketReplayed));
    }
}

#[test]
fn reserved_packet_types_are_malformed() {
    let (c, s) = established(KeyType::Ed25519, Mode::Datagram);
    let pkt = seal(&c, b"x");
    for t in [0x00u8, 0x01, 0x02, 0x03, 0x3f, 0x44, 0x47, 0x80, 0xff] {
        let mut m = pkt.clone();
        m[0] = t;
        assert_eq!(open(&s, &m), Err(Error::PacketMalformed), "type {t:#x}");
    }
    // Key phase 1 types are valid since the key update (they select the next keys).
    for t in [0x41u8, 0x43] {
        let mut m = pkt.clone();
        m[0] = t;
        assert_eq!(open(&s, &m), Err(Error::PacketAuthFailed), "type {t:#x}");
    }
    assert_eq!(open(&s, &pkt).unwrap(), b"x");
}

#[test]
fn replay_and_too_old_in_datagram_mode() {
    let (c, s) = established(KeyType::EcdsaP256, Mode::Datagram);
    let first = seal(&c, b"p1");
    assert_eq!(open(&s, &first).unwrap(), b"p1");
    assert_eq!(open(&s, &first), Err(Error::PacketReplayed));
    // Keep one packet back, send REPLAY_WINDOW more.
    let old = seal(&c, b"old");
    let w = limits::REPLAY_WINDOW as usize;
    let mut last = Vec::new();
    for i in 0..w {
        last = seal(&c, &(i as u32).to_be_bytes());
        if i + 1 < w {
            open(&s, &last).unwrap();
        }
    }
    // Exactly at the window edge "old" is still accepted before the last packet arrives...
    // (old = number 2, newest opened = 2 + w - 1 = w + 1: distance w - 1 < w)
    let s_copy = old.clone();
    assert_eq!(open(&s, &s_copy).unwrap(), b"old");
    // ... and a second copy is a replay; after one more packet the first one is too old.
    assert_eq!(open(&s, &old), Err(Error::PacketReplayed));
    open(&s, &last).unwrap();
    assert_eq!(open(&s, &first), Err(Error::PacketTooOld));
    assert_eq!(s.state(), State::Established);
}

#[test]
fn too_old_boundary() {
    let (c, s) = established(KeyType::Ed25519, Mode::Datagram);
    let w = limits::REPLAY_WINDOW;
    // Client data starts at packet number 1.
    let pkts: Vec<Vec<u8>> = (0..w + 2).map(|i| seal(&c, &i.to_be_bytes())).collect();
    let newest = pkts.len() - 1; // packet number w + 2
    open(&s, &pkts[newest]).unwrap();
    // pn = newest_pn - w is too old, pn = newest_pn - w + 1 is accepted.
    // pkts[i] has packet number i + 1.
    assert_eq!(open(&s, &pkts[1]), Err(Error::PacketTooOld)); // pn 2 = (w+2) - w
    assert_eq!(open(&s, &pkts[2]).unwrap(), 2u64.to_be_bytes()); // pn 3
    assert_eq!(open(&s, &pkts[0]), Err(Error::PacketTooOld));
}

/// Thousands of datagrams with loss, reordering and duplication: every delivered packet opens
/// exactly once with the right content; every extra copy is reported as a replay (or too old
/// when it arrives after the window moved on); nothing else ever fails.
#[test]
fn seeded_lossy_network_simulation() {
    for (seed, max_delay) in [(1u64, 200usize), (2, 600), (3, 3000), (0xdead_beef, 1500)] {
        let (c, s) = established(KeyType::Ed25519, Mode::Datagram);
        let mut rng = Rng(seed);
        const N: usize = 5000;
        // (delivery time, sequence, packet index)
        let mut schedule: Vec<(usize, usize, usize)> = Vec::new();
        let mut packets = Vec::with_capacity(N);
        for i in 0..N {
            let payload = format!("packet {i} {}", "x".repeat(i % 50));
            packets.push((payload.clone(), seal(&c, payload.as_bytes())));
            if rng.below(10) == 0 {
                continue; // lost
            }
            let copies = if rng.below(8) == 0 {
                1 + rng.below(3)
            } else {
                1
            };
            for _ in 0..copies {
                let at = i + rng.below(max_delay as u64) as usize;
                schedule.push((at, schedule.len(), i));
            }
        }
        schedule.sort();
        // Model of the receiver: newest packet number, set of opened numbers.
        let w = limits::REPLAY_WINDOW;
        let mut opened: HashMap<usize, usize> = HashMap::new();
        let mut top: u64 = 0;
        let (mut replays, mut too_old) = (0, 0);
        let mut out = vec![0u8; 256];
        for &(_, _, i) in &schedule {
            let pn = i as u64 + 1; // the Finished was number 0
            let result = s.open(&packets[i].1, &mut out);
            let expected = if top >= pn && top - pn >= w {
                Err(Error::PacketTooOld)
            } else if opened.contains_key(&i) {
                Err(Error::PacketReplayed)
            } else {
                Ok(packets[i].0.len())
            };
            assert_eq!(result, expected, "seed {seed} packet {i}");
            match result {
                Ok(n) => {
                    assert_eq!(&out[..n], packets[i].0.as_bytes());
                    *opened.entry(i).or_default() += 1;
                    top = top.max(pn);
                }
                Err(Error::PacketReplayed) => replays += 1,
                Err(Error::PacketTooOld) => too_old += 1,
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert!(opened.values().all(|&n| n == 1));
        let delivered: HashSet<usize> = schedule.iter().map(|&(_, _, i)| i).collect();
        assert!(replays > 0, "duplicates were exercised");
        if max_delay <= w as usize {
            // Nothing can fall out of the window: every delivered packet opened once.
            assert_eq!(too_old, 0);
            assert_eq!(opened.len(), delivered.len());
        } else {
            assert!(too_old > 0, "late packets were exercised");
        }
        assert_eq!(s.state(), State::Established);
    }
}

#[test]
fn stream_mode_rejects_gaps_reorders_and_replays_fatally() {
    type Case = fn(&Session, &Session) -> Error;
    let cases: [(&str, Case); 5] = [
        ("gap", |c, s| {
            let _lost = seal(c, b"1");
            let second = seal(c, b"2");
            open(s, &second).unwrap_err()
        }),
        ("reorder", |c, s| {
            let first = seal(c, b"1");
            let second = seal(c, b"2");
            let e = open(s, &second).unwrap_err();
            assert_eq!(open(s, &first), Err(Error::SessionFailed));
            e
        }),
        ("replay", |c, s| {
            let first = seal(c, b"1");
            open(s, &first).unwrap();
            open(s, &first).unwrap_err()
        }),
        ("forgery", |c, s| {
            let mut p = seal(c, b"1");
            let last = p.len() - 1;
            p[last] ^= 0x80;
            open(s, &p).unwrap_err()
        }),
        ("malformed", |_c, s| open(s, &[0x40; 10]).unwrap_err()),
    ];
    let expected = [
        Error::PacketOutOfOrder,
        Error::PacketOutOfOrder,
        Error::PacketReplayed,
        Error::PacketAuthFailed,
        Error::PacketMalformed,
    ];
    for ((name, case), want) in cases.iter().zip(expected) {
        for (receiver_is_server, kt) in [(true, KeyType::EcdsaP256), (false, KeyType::Ed25519)] {
            let (c, s) = established(kt, Mode::Stream);
            let (tx, rx) = if receiver_is_server {
                (&c, &s)
            } else {
                (&s, &c)
            };
            assert_eq!(case(tx, rx), want, "{name}");
            assert_eq!(rx.state(), State::Failed, "{name}");
            assert_eq!(open(rx, &seal(tx, b"more")), Err(Error::SessionFailed));
            // The sender is unaffected (it learns of the failure from its transport).
            assert_eq!(tx.state(), State::Established);
        }
    }
    // In order, everything opens.
    let (c, s) = established(KeyType::Ed25519, Mode::Stream);
    for i in 0..1000u32 {
        assert_eq!(
            open(&s, &seal(&c, &i.to_le_bytes())).unwrap(),
            i.to_le_bytes()
        );
    }
}

#[test]
fn datagram_errors_never_end_the_session() {
    let (c, s) = established(KeyType::EcdsaP256, Mode::Datagram);
    let mut out = [0u8; 64];
    assert_eq!(s.open(&[], &mut out), Err(Error::PacketMalformed));
    assert_eq!(s.open(&[0x40; 23], &mut out), Err(Error::PacketMalformed));
    assert_eq!(s.open(&[0x40; 40], &mut out), Err(Error::PacketAuthFailed));
    let p = seal(&c, b"ok");
    open(&s, &p).unwrap();
    assert_eq!(open(&s, &p), Err(Error::PacketReplayed));
    assert_eq!(open(&s, &seal(&c, b"still ok")).unwrap(), b"still ok");
    assert_eq!(s.state(), State::Established);
}

#[test]
fn failed_open_leaves_no_plaintext_in_the_output() {
    let (c, s) = established(KeyType::EcdsaP256, Mode::Datagram);
    let mut p = seal(&c, &[0x5a; 64]);
    let last = p.len() - 1;
    p[last] ^= 1;
    let mut out = [0xeeu8; 64];
    assert_eq!(s.open(&p, &mut out), Err(Error::PacketAuthFailed));
    assert!(
        out.iter().all(|&b| b == 0 || b == 0xee),
        "no decrypted bytes left behind"
    );
    assert!(!out.contains(&0x5a));
}

/// One thread seals while another opens, on both sessions at once.
#[test]
fn concurrent_seal_and_open() {
    use std::sync::mpsc::channel;
    for mode in [Mode::Datagram, Mode::Stream] {
        let (c, s) = established(KeyType::Ed25519, mode);
        const N: u32 = 5000;
        let (c2s_tx, c2s_rx) = channel::<Vec<u8>>();
        let (s2c_tx, s2c_rx) = channel::<Vec<u8>>();
        std::thread::scope(|scope| {
            let (c, s) = (&c, &s);
            scope.spawn(move || {
                for i in 0..N {
                    c2s_tx.send(seal(c, &i.to_be_bytes())).unwrap();
                }
            });
            scope.spawn(move || {
                for i in 0..N {
                    s2c_tx.send(seal(s, &(i ^ 0xffff).to_be_bytes())).unwrap();
                }
            });
            scope.spawn(move || {
                for i in 0..N {
                    let p = c2s_rx.recv().unwrap();
                    assert_eq!(open(s, &p).unwrap(), i.to_be_bytes());
                }
            });
            scope.spawn(move || {
                for i in 0..N {
                    let p = s2c_rx.recv().unwrap();
                    assert_eq!(open(c, &p).unwrap(), (i ^ 0xffff).to_be_bytes());
                }
            });
        });
        assert_eq!(c.packets_sent(), u64::from(N) + 1);
        assert_eq!(s.packets_sent(), u64::from(N));
    }
}

#[test]
fn sessions_and_configs_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Session>();
    check::<gamecrypt::session::ClientConfig>();
    check::<gamecrypt::session::ServerConfig>();
}

#[test]
fn seal_in_place_gives_packets_that_open_and_checks_like_seal() {
    for mode in [Mode::Datagram, Mode::Stream] {
        let (c, s) = established(KeyType::EcdsaP256, mode);
        let mut out = vec![0u8; 2048];
        for n in [0usize, 5, 64, 1200] {
            let payload: Vec<u8> = (0..n).map(|i| (i * 3) as u8).collect();
            let mut buf = vec![0u8; n + limits::PACKET_OVERHEAD];
            buf[limits::HEADER_LEN..limits::HEADER_LEN + n].copy_from_slice(&payload);
            let short = buf.len() - 1;
            let before = buf.clone();
            assert_eq!(
                c.seal_in_place(&mut buf[..short], n),
                Err(Error::BufferTooSmall)
            );
            assert_eq!(buf, before, "nothing written on error");
            let len = c.seal_in_place(&mut buf, n).unwrap();
            assert_eq!(len, n + limits::PACKET_OVERHEAD);
            assert_eq!(s.open(&buf, &mut out), Ok(n));
            assert_eq!(&out[..n], &payload[..]);
        }
        assert_eq!(
            c.seal_in_place(&mut [0u8; 8], limits::MAX_PAYLOAD_LEN + 1),
            Err(Error::InvalidLength)
        );
        c.close(&mut [0u8; 64]).unwrap();
        assert_eq!(
            c.seal_in_place(&mut [0u8; 64], 8),
            Err(Error::SessionClosed)
        );
        assert_eq!(c.state(), State::Closed);
    }
}

#[test]
fn finished_is_packet_zero_and_data_starts_at_one() {
    let (c, s) = established(KeyType::Ed25519, Mode::Datagram);
    assert_eq!(c.packets_sent(), 1);
    assert_eq!(s.packets_sent(), 0);
    let mut out = [0u8; 64];
    c.seal(b"x", &mut out).unwrap();
    assert_eq!(&out[..8], &[0x40, 0, 0, 0, 0, 0, 0, 1]);
    s.seal(b"x", &mut out).unwrap();
    assert_eq!(&out[..8], &[0x40, 0, 0, 0, 0, 0, 0, 0]);
}
