//! Sealed packets between an established client and server (PROTOCOL.md sections 10.4, 11
//! and 12), in datagram or stream mode, against a reference model of the receiver.
//!
//! Input: a byte choosing the suite (bit 0) and the mode (bit 7), then operations until the
//! input ends. Each operation byte: bit 0 = which side acts (0: the client sends / the server
//! receives), bit 7 = open into a buffer one byte too small, bits 1-6 = the operation:
//! 0-1 seal a payload; 2 deliver an honest packet (any earlier one: duplicates and reordering
//! included); 3 deliver an honest packet edited by the fuzzer; 4 deliver arbitrary bytes;
//! 5 close (sends an authenticated close packet).
//!
//! The model knows every honest packet, so it predicts the exact result of every `open`:
//! malformed header, buffer too small, replay / too old / out of order, authentication
//! failure (anything that is not byte-identical to an honest packet), the payload, or the
//! close; whether the error is fatal (stream) or only drops the packet (datagram); and that
//! a failed or closed session answers every call with `SessionFailed` / `SessionClosed`.
#![no_main]

use gamecrypt::session::{limits, Mode, Session, State};
use gamecrypt::Error;
use gamecrypt_fuzz::fixtures;
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
}

impl Side {
    fn dead_error(&self) -> Option<Error> {
        match self.life {
            Life::Live => None,
            Life::Failed => Some(Error::SessionFailed),
            Life::Closed => Some(Error::SessionClosed),
        }
    }
}

fuzz_target!(init: gamecrypt_fuzz::init("session_packets"), |data: &[u8]| {
    let mut input = Input::new(data);
    let sel = input.u8();
    let mode = if sel & 0x80 == 0 { Mode::Datagram } else { Mode::Stream };
    let fl = fixtures::established(usize::from(sel & 1), mode);
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
            sent: vec![Sent { bytes: fl.client_finished, payload: Vec::new() }],
            next_pn: 1,
            replay: client_replay,
        },
        Side {
            session: fl.server,
            life: Life::Live,
            sent: Vec::new(),
            next_pn: 0,
            replay: server_replay,
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
                        assert_eq!(out[0], 0x40);
                        assert_eq!(out[1..8], sender.next_pn.to_be_bytes()[1..]);
                        sender.next_pn += 1;
                        sender.sent.push(Sent { bytes: out, payload: payload.to_vec() });
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
                        assert_eq!(out[0], 0x42);
                        assert_eq!(out[1..8], sender.next_pn.to_be_bytes()[1..]);
                        sender.next_pn += 1;
                        sender.sent.push(Sent { bytes: out.to_vec(), payload: Vec::new() });
                        sender.life = Life::Closed;
                    }
                }
                let state = if sender.life == Life::Failed { State::Failed } else { State::Closed };
                assert_eq!(sender.session.state(), state);
            }
            _ => {}
        }
    }
});

/// The expected result of opening `packet`, per PROTOCOL.md 10.4 and 11, and the model update.
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
        || (packet[0] != 0x40 && packet[0] != 0x42)
    {
        return expect_error(rx, got, Error::PacketMalformed, mode);
    }
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
    // 4: only a byte-identical honest packet authenticates.
    let genuine = honest.iter().find(|s| s.bytes == packet);
    let outcome: Result<(), Error> = match (replay_error, genuine) {
        (Some(e), _) => Err(e),
        (None, None) => Err(Error::PacketAuthFailed),
        (None, Some(_)) => Ok(()),
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
    match outcome {
        Err(e) => expect_error(rx, got, e, mode),
        Ok(()) => {
            let sent = genuine.unwrap();
            // 5: record the number.
            match &mut rx.replay {
                Replay::Window { top, seen } => {
                    *top = (*top).max(pn);
                    seen.insert(pn);
                }
                Replay::Stream { next } => *next = pn + 1,
            }
            if packet[0] == 0x42 {
                assert_eq!(
                    got,
                    Err(Error::SessionClosed),
                    "an authenticated close packet"
                );
                rx.life = Life::Closed;
                assert_eq!(rx.session.state(), State::Closed);
            } else {
                assert_eq!(got, Ok(sent.payload.len()), "a genuine, fresh packet");
                assert_eq!(out[..sent.payload.len()], sent.payload[..]);
            }
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
