//! Sealed packets between an established client and server (PROTOCOL.md sections 10.4, 11,
//! 12, 17 and 19), in datagram or stream mode, against a reference model of both endpoints
//! that includes key updates.
//!
//! Input: a byte choosing the suite (bits 0-1: suite code 1 + value, each with its own
//! client/server pair) and the mode (bit 7), then operations until the input ends. Each
//! operation byte: bit 0 = which side acts (0: the client sends / the server receives), bit 7
//! = open into a buffer one byte too small, bits 1-6 = the operation: 0-1 seal a payload;
//! 2 deliver an honest packet (any earlier one: duplicates and reordering included); 3 deliver
//! an honest packet edited by the fuzzer; 4 deliver arbitrary bytes; 5 close (sends an
//! authenticated close packet); 6 start a key update.
//!
//! The model knows every honest packet and the generation it was sealed under, and keeps each
//! endpoint's key generation `g`, `low_g` and whether it still holds the previous generation's
//! keys (section 17.4), so it predicts the exact result of every call: the key phase of every
//! sealed packet, `KeyUpdateBlocked` for an update before the current generation is confirmed,
//! malformed header, buffer too small, replay / too old / out of order, which receive keys
//! (previous, current, next) authenticate a packet and whether it moves the receiver to the
//! next generation, authentication failure (anything that is not byte-identical to an honest
//! packet, or an honest packet of a generation the receiver has no candidate key for), the
//! payload, or the close (`PeerClosed`); whether an error is fatal (stream) or only drops the
//! packet (datagram); and that a failed or closed session answers every call with
//! `SessionFailed` / `SessionClosed`. After every operation both sessions report the model's
//! key generation.
#![no_main]

use gamecrypt::session::{limits, Mode, Session, State};
use gamecrypt::Error;
use gamecrypt_fuzz::fixtures::{self, PAIR_OF_SUITE};
use gamecrypt_fuzz::mutate::apply_edits;
use gamecrypt_fuzz::Input;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Life {
    Live,
    Failed,
    Closed,
}

struct Sent {
    bytes: Vec<u8>,
    payload: Vec<u8>,
    /// The sender's key generation when it sealed it.
    generation: u64,
}

enum Replay {
    Window { top: u64, seen: BTreeSet<u64> },
    Stream { next: u64 },
}

struct Side {
    session: Session,
    life: Life,
    /// Packets this side sealed (the client's ClientFinished included).
    sent: Vec<Sent>,
    /// Its next packet number.
    next_pn: u64,
    /// Its receiving state.
    replay: Replay,
    /// Key generation `g` (both directions, section 17.1).
    generation: u64,
    /// `low_g` (section 17.2).
    low: Option<u64>,
    /// Are the receive keys of `g - 1` still kept?
    previous: bool,
}

impl Side {
    fn dead_error(&self) -> Option<Error> {
        match self.life {
            Life::Live => None,
            Life::Failed => Some(Error::SessionFailed),
            Life::Closed => Some(Error::SessionClosed),
        }
    }

    /// Section 17.3 steps 1-3.
    fn start_update(&mut self) {
        self.generation += 1;
        self.low = None;
        self.previous = true;
    }

    fn check_generation(&self) {
        let expected = match self.dead_error() {
            Some(e) => Err(e),
            None => Ok(self.generation),
        };
        assert_eq!(self.session.key_generation(), expected, "key generation");
    }
}

fuzz_target!(init: gamecrypt_fuzz::init("session_packets"), |data: &[u8]| {
    let mut input = Input::new(data);
    let sel = input.u8();
    let mode = if sel & 0x80 == 0 { Mode::Datagram } else { Mode::Stream };
    let fl = fixtures::established(PAIR_OF_SUITE[1 + usize::from(sel & 3)], mode);
    let (server_replay, client_replay) = match mode {
        // The server has received the ClientFinished (number 0).
        Mode::Datagram => (
            Replay::Window { top: 0, seen: BTreeSet::from([0]) },
            Replay::Window { top: 0, seen: BTreeSet::new() },
        ),
        Mode::Stream => (Replay::Stream { next: 1 }, Replay::Stream { next: 0 }),
    };
    let mut sides = [
        Side {
            session: fl.client,
            life: Life::Live,
            sent: vec![Sent { bytes: fl.client_finished, payload: Vec::new(), generation: 0 }],
            next_pn: 1,
            replay: client_replay,
            generation: 0,
            // The client's generation 0 is confirmed by the first packet it opens.
            low: None,
            previous: false,
        },
        Side {
            session: fl.server,
            life: Life::Live,
            sent: Vec::new(),
            next_pn: 0,
            replay: server_replay,
            generation: 0,
            // The ClientFinished confirmed generation 0 (section 17.2).
            low: Some(0),
            previous: false,
        },
    ];

    let mut ops = 0;
    while !input.is_empty() && ops < 64 {
        ops += 1;
        let op = input.u8();
        let from = usize::from(op & 1);
        let small = op & 0x80 != 0;
        let (a, b) = sides.split_at_mut(1);
        let (sender, receiver) = if from == 0 { (&mut a[0], &mut b[0]) } else { (&mut b[0], &mut a[0]) };
        match (op >> 1) & 0x3f {
            0 | 1 => {
                let payload = input.short_bytes();
                let mut out = vec![0u8; payload.len() + limits::PACKET_OVERHEAD];
                let got = sender.session.seal(payload, &mut out);
                match sender.dead_error() {
                    Some(e) => assert_eq!(got, Err(e)),
                    None => {
                        assert_eq!(got, Ok(out.len()));
                        assert_eq!(out[0], 0x40 | (sender.generation & 1) as u8, "key phase");
                        assert_eq!(out[1..8], sender.next_pn.to_be_bytes()[1..]);
                        sender.next_pn += 1;
                        let generation = sender.generation;
                        sender.sent.push(Sent { bytes: out, payload: payload.to_vec(), generation });
                    }
                }
            }
            2..=4 => {
                let kind = (op >> 1) & 0x3f;
                let packet = if kind == 4 {
                    let n = usize::from(input.u16() % 2048);
                    input.bytes(n).to_vec()
                } else {
                    let i = usize::from(input.u8());
                    let mut p = if sender.sent.is_empty() {
                        Vec::new()
                    } else {
                        sender.sent[i % sender.sent.len()].bytes.clone()
                    };
                    if kind == 3 {
                        apply_edits(&mut p, &mut input);
                    }
                    p
                };
                deliver(receiver, &sender.sent, &packet, small, mode);
                // A fatal error or a close on one side ends that Session object only; the
                // peer learns about it only through a close packet.
            }
            5 => {
                let mut out = [0u8; limits::PACKET_OVERHEAD];
                let got = sender.session.close(&mut out);
                match sender.dead_error() {
                    Some(e) => assert_eq!(got, Err(e)),
                    None => {
                        assert_eq!(got, Ok(out.len()));
                        assert_eq!(out[0], 0x42 | (sender.generation & 1) as u8, "key phase");
                        assert_eq!(out[1..8], sender.next_pn.to_be_bytes()[1..]);
                        sender.next_pn += 1;
                        let generation = sender.generation;
                        sender.sent.push(Sent { bytes: out.to_vec(), payload: Vec::new(), generation });
                        sender.life = Life::Closed;
                    }
                }
                let state = if sender.life == Life::Failed { State::Failed } else { State::Closed };
                assert_eq!(sender.session.state(), state);
            }
            6 => {
                let got = sender.session.update_keys();
                match sender.dead_error() {
                    Some(e) => assert_eq!(got, Err(e)),
                    // Section 17.3: only once the current generation is confirmed.
                    None if sender.low.is_none() => assert_eq!(got, Err(Error::KeyUpdateBlocked)),
                    None => {
                        assert_eq!(got, Ok(()));
                        sender.start_update();
                    }
                }
            }
            _ => {}
        }
        sender.check_generation();
        receiver.check_generation();
    }
});

/// Which receive keys a packet is tried with (section 17.4).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Keys {
    Previous,
    Current,
    Next,
}

/// The expected result of opening `packet`, per PROTOCOL.md 10.4, 11 and 17.4, and the model
/// update.
fn deliver(rx: &mut Side, honest: &[Sent], packet: &[u8], small: bool, mode: Mode) {
    // A buffer one byte too small exists only for a non-empty payload.
    let small = small && packet.len() > limits::PACKET_OVERHEAD;
    let cap = if small {
        packet.len().saturating_sub(limits::PACKET_OVERHEAD + 1)
    } else {
        packet.len()
    };
    let mut out = vec![0u8; cap];
    let got = rx.session.open(packet, &mut out);

    if let Some(e) = rx.dead_error() {
        assert_eq!(got, Err(e));
        return;
    }
    // 1-2: header.
    if packet.len() < limits::PACKET_OVERHEAD
        || packet.len() - limits::PACKET_OVERHEAD > limits::MAX_PAYLOAD_LEN
        || !(0x40..=0x43).contains(&packet[0])
    {
        return expect_error(rx, got, Error::PacketMalformed, mode);
    }
    let phase = u64::from(packet[0] & 1);
    let close = packet[0] & 2 != 0;
    let mut pn = [0u8; 8];
    pn[1..].copy_from_slice(&packet[1..8]);
    let pn = u64::from_be_bytes(pn);
    // 3: replay check, before decryption.
    let replay_error = match &rx.replay {
        Replay::Window { top, seen } => {
            if pn > *top {
                None
            } else if top - pn >= limits::REPLAY_WINDOW {
                Some(Error::PacketTooOld)
            } else if seen.contains(&pn) {
                Some(Error::PacketReplayed)
            } else {
                None
            }
        }
        Replay::Stream { next } => match pn.cmp(next) {
            std::cmp::Ordering::Less => Some(Error::PacketReplayed),
            std::cmp::Ordering::Greater => Some(Error::PacketOutOfOrder),
            std::cmp::Ordering::Equal => None,
        },
    };
    // 4: the candidate keys of section 17.4, in order.
    let g = rx.generation;
    let candidates: Result<Vec<(Keys, u64)>, Error> = if phase == g & 1 {
        Ok(vec![(Keys::Current, g)])
    } else {
        match rx.low {
            Some(low) if pn > low => Ok(vec![(Keys::Next, g + 1)]),
            Some(_) if rx.previous => Ok(vec![(Keys::Previous, g - 1)]),
            Some(_) => Err(Error::PacketTooOld),
            None if rx.previous => Ok(vec![(Keys::Previous, g - 1), (Keys::Next, g + 1)]),
            None => Ok(vec![(Keys::Next, g + 1)]),
        }
    };
    // Only a byte-identical honest packet authenticates, and only with its generation's keys.
    let genuine = honest.iter().find(|s| s.bytes == packet);
    let outcome: Result<(&Sent, Keys), Error> = match (replay_error, candidates) {
        (Some(e), _) | (None, Err(e)) => Err(e),
        (None, Ok(c)) => genuine
            .and_then(|s| {
                c.iter()
                    .find(|(_, gen)| *gen == s.generation)
                    .map(|(k, _)| (s, *k))
            })
            .ok_or(Error::PacketAuthFailed),
    };
    // The output buffer: the specification leaves open where it is checked; it is never fatal
    // and changes nothing. A packet that would open must report it.
    if small {
        if got == Err(Error::BufferTooSmall) {
            assert_eq!(rx.session.state(), State::Established);
            return;
        }
        assert!(
            outcome.is_err(),
            "a genuine packet opened into a short buffer: {got:?}"
        );
    }
    let (sent, keys) = match outcome {
        Err(e) => return expect_error(rx, got, e, mode),
        Ok(o) => o,
    };
    // 5: record the number.
    let top = match &mut rx.replay {
        Replay::Window { top, seen } => {
            *top = (*top).max(pn);
            seen.insert(pn);
            *top
        }
        Replay::Stream { next } => {
            *next = pn + 1;
            pn
        }
    };
    if close {
        assert_eq!(got, Err(Error::PeerClosed), "an authenticated close packet");
        rx.life = Life::Closed;
        assert_eq!(rx.session.state(), State::Closed);
        return;
    }
    assert_eq!(
        got,
        Ok(sent.payload.len()),
        "a genuine, fresh packet ({keys:?} keys)"
    );
    assert_eq!(out[..sent.payload.len()], sent.payload[..]);
    // Section 17.4 step 5.
    match keys {
        Keys::Current => rx.low = Some(rx.low.map_or(pn, |l| l.min(pn))),
        Keys::Previous => {}
        Keys::Next => {
            rx.start_update();
            rx.low = Some(pn);
        }
    }
    if let Some(low) = rx.low {
        let stream = matches!(rx.replay, Replay::Stream { .. });
        if stream || top + 1 - low >= limits::REPLAY_WINDOW {
            rx.previous = false;
        }
    }
}

fn expect_error(rx: &mut Side, got: Result<usize, Error>, e: Error, mode: Mode) {
    assert_eq!(got, Err(e));
    if mode == Mode::Stream {
        rx.life = Life::Failed;
        assert_eq!(rx.session.state(), State::Failed);
    } else {
        assert_eq!(rx.session.state(), State::Established);
    }
}
