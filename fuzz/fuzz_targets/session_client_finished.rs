//! A server that answered an honest ClientHello reading an arbitrary ClientFinished
//! (PROTOCOL.md sections 10.1 and 12).
//!
//! Input: a byte choosing the pair (`fixtures::PAIRS`, low 3 bits) and the mode (bit 7); a
//! byte choosing what to send: 0 = arbitrary bytes (the rest of the input), 1 = the honest
//! ClientFinished edited by the fuzzer, 2 = the ClientHello edited by the fuzzer.
//!
//! Expected: the honest ClientFinished establishes the session (with client authentication
//! (section 21): reaches `NeedAccept`, then accept establishes it) and both sides then exchange
//! packets; an exact copy of the ClientHello is `PacketReplayed` and changes nothing; anything
//! else fails the session with `HandshakeMalformed` (not 24 bytes — 24 to 1188 bytes with
//! client authentication, section 21.4 —, not type 3, packet number not 0) or
//! `PacketAuthFailed`.
#![no_main]

use gamecrypt::session::{Mode, Session, State};
use gamecrypt::Error;
use gamecrypt_fuzz::fixtures::{self, Flight, PAIRS};
use gamecrypt_fuzz::mutate::apply_edits;
use gamecrypt_fuzz::{spec, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: gamecrypt_fuzz::init("session_client_finished"), |data: &[u8]| {
    let mut input = Input::new(data);
    let sel = input.u8();
    let mode = if sel & 0x80 == 0 { Mode::Datagram } else { Mode::Stream };
    let pair = usize::from(sel & 0x7f) % PAIRS.len();
    let fl = fixtures::flight(pair, mode);
    let auth = fixtures::get().servers[PAIRS[pair].1].request != (0, 0);
    let msg = match input.u8() % 3 {
        0 => input.rest().to_vec(),
        1 => {
            let mut m = fl.client_finished.clone();
            apply_edits(&mut m, &mut input);
            m
        }
        _ => {
            let mut m = fl.client_hello.clone();
            apply_edits(&mut m, &mut input);
            m
        }
    };

    let got = fl.server.read_handshake(&msg);
    if msg == fl.client_hello {
        assert_eq!(got, Err(Error::PacketReplayed));
        assert_eq!(fl.server.state(), State::NeedRead);
        fl.server
            .read_handshake(&fl.client_finished)
            .expect("the honest ClientFinished after a retransmitted ClientHello");
        exchange(&fl, auth);
    } else if msg == fl.client_finished {
        assert_eq!(got, Ok(()));
        exchange(&fl, auth);
    } else if mode == Mode::Datagram {
        // Section 12.1: dropped, nothing changes; the honest ClientFinished still completes.
        assert_eq!(got, Err(spec::DROPPED));
        assert_eq!(fl.server.state(), State::NeedRead);
        fl.server
            .read_handshake(&fl.client_finished)
            .expect("the honest ClientFinished after a dropped message");
        exchange(&fl, auth);
    } else {
        let len_ok = if auth { (24..=1188).contains(&msg.len()) } else { msg.len() == 24 };
        let expected = if !len_ok || msg[..8] != [3, 0, 0, 0, 0, 0, 0, 0] {
            Error::HandshakeMalformed
        } else {
            Error::PacketAuthFailed
        };
        assert_eq!(got, Err(expected));
        assert_eq!(fl.server.state(), State::Failed);
        assert_eq!(fl.server.read_handshake(&fl.client_finished), Err(Error::SessionFailed));
        let mut out = [0u8; 64];
        assert_eq!(fl.server.seal(b"x", &mut out), Err(Error::SessionFailed));
    }
});

/// Both directions work once established; a late duplicate ClientFinished is `WrongState`.
fn exchange(fl: &Flight, auth: bool) {
    if auth {
        assert_eq!(fl.server.state(), State::NeedAccept);
        let mut out = [0u8; 64];
        assert_eq!(fl.server.seal(b"x", &mut out), Err(Error::WrongState));
        fl.server.accept().expect("accept");
    }
    assert_eq!(fl.server.state(), State::Established);
    roundtrip(&fl.client, &fl.server, b"ping");
    roundtrip(&fl.server, &fl.client, b"pong");
    assert_eq!(
        fl.server.read_handshake(&fl.client_finished),
        Err(Error::WrongState)
    );
}

fn roundtrip(from: &Session, to: &Session, msg: &[u8]) {
    let mut packet = [0u8; 64];
    let n = from.seal(msg, &mut packet).expect("seal");
    let mut out = [0u8; 64];
    let m = to.open(&packet[..n], &mut out).expect("open");
    assert_eq!(&out[..m], msg);
}
