//! A server session reading an arbitrary ClientHello, compared with the reference verdict of
//! PROTOCOL.md section 4/5 (`spec::client_hello`).
//!
//! Input: a byte choosing the server configuration (raw key or certificate, P-256 or Ed25519)
//! and the mode (bit 7), then the ClientHello.
//!
//! The servers include the default suite lists (hybrid X25519MLKEM768 suites first, chosen only
//! from a ClientHello of at least 2048 bytes, section 20.2), classic-only lists, certificates,
//! and client authentication requests (section 21.2).
//!
//! On acceptance the ServerHello is checked: smaller than the ClientHello (anti-amplification)
//! and at most 626 bytes (classic suites) or 1681 bytes (hybrid suites); accepted by the
//! reference client rules of section 7 for a client that offered what this ClientHello offered,
//! pins this server's key and has a client key and token (which covers the suite choice, the
//! signature over the transcript, the key share and the client authentication request). A byte-identical copy of
//! the ClientHello is then answered with `PacketReplayed` and changes nothing (section 12).
//! On rejection the session is failed for good.
#![no_main]

use gamecrypt::session::{Mode, Session, State, Suite, TrustAnchor};
use gamecrypt::Error;
use gamecrypt_fuzz::fixtures::{self, write, ClientSpec};
use gamecrypt_fuzz::spec::{self, Credentials};
use gamecrypt_fuzz::Input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: gamecrypt_fuzz::init("session_client_hello"), |data: &[u8]| {
    let f = fixtures::get();
    let mut input = Input::new(data);
    let sel = input.u8();
    let fx = &f.servers[usize::from(sel & 0x7f) % f.servers.len()];
    let mode = if sel & 0x80 == 0 { Mode::Datagram } else { Mode::Stream };
    let ch = input.rest();

    let server = Session::new_server(fx.config.clone(), mode);
    let got = server.read_handshake(ch);
    let expected = spec::client_hello(ch, &fx.suites);
    match (got, expected) {
        (Err(e), Err(x)) => {
            assert_eq!(e, x, "wrong error");
            assert_eq!(server.state(), State::Failed);
            assert_eq!(server.read_handshake(ch), Err(Error::SessionFailed));
            assert_eq!(server.pending_handshake_len(), Err(Error::SessionFailed));
        }
        (Ok(()), Ok(suite)) => {
            assert_eq!(server.state(), State::NeedWrite);
            assert_eq!(server.suite(), Ok(suite));
            assert_eq!(&server.server_public_key().unwrap(), fx.key.public_key());
            let sh = write(&server);
            assert_eq!(server.state(), State::NeedRead);
            assert!(
                sh.len() < ch.len() && sh.len() <= spec::server_hello_max_len(suite),
                "ServerHello of {} bytes for a ClientHello of {}",
                sh.len(),
                ch.len()
            );
            let client = ClientSpec {
                anchor: TrustAnchor::PinnedKey(fx.key.public_key().clone()),
                suites: offered_suites(ch),
                server_name: None,
                now: fixtures::NOW,
                credentials: Credentials {
                    key: Some(f.client_ed25519),
                    token: Some(fixtures::TOKEN.to_vec()),
                },
            };
            let accepted = spec::server_hello(&sh, ch, &client).expect("reference client rejects the ServerHello");
            assert_eq!(accepted.suite, suite);
            let request = (fx.request != (0, 0)).then_some(fx.request);
            assert_eq!(accepted.request, request);
            // A retransmitted ClientHello.
            assert_eq!(server.read_handshake(ch), Err(Error::PacketReplayed));
            assert_eq!(server.state(), State::NeedRead);
            assert_eq!(server.pending_handshake_len(), Err(Error::WrongState));
        }
        (got, expected) => panic!("library {got:?}, reference {expected:?}"),
    }
});

/// The known suites of a well-formed ClientHello, in its order.
fn offered_suites(ch: &[u8]) -> Vec<Suite> {
    let mut out = Vec::new();
    let n = usize::from(ch[35]);
    let mut at = 36;
    for _ in 0..n {
        let code = u16::from_be_bytes([ch[at], ch[at + 1]]);
        let len = usize::from(u16::from_be_bytes([ch[at + 2], ch[at + 3]]));
        if let Some(s) = Suite::from_code(code) {
            out.push(s);
        }
        at += 4 + len;
    }
    out
}
