//! A client session that wrote its ClientHello reading an arbitrary ServerHello, compared with
//! the reference verdict of PROTOCOL.md section 7 (`spec::server_hello`).
//!
//! Input: a byte choosing the client configuration and a server key (one of
//! `fixtures::PAIRS`, low 6 bits), the re-sign mode (bit 6) and the session mode (bit 7); then
//! the ServerHello. The clients offer the default suites (hybrid first), classic suites only,
//! and some have a client key and token for client authentication requests (section 21).
//!
//! A message starting with 0x04 is a Retry (section 22.3), checked against the reference too.
//!
//! In re-sign mode the input is the ServerHello *without* its signature, and the harness signs
//! it with the pair's server identity key over this client's transcript, as a server would.
//! This lets the fuzzer get past the signature check to the trust, certificate and key-share
//! checks. The server's signature cannot be forged, so whatever the client accepts must carry
//! the pinned / certified key.
#![no_main]

use gamecrypt::session::{Mode, Session, State};
use gamecrypt::Error;
use gamecrypt_fuzz::fixtures::{self, write, PAIRS};
use gamecrypt_fuzz::{spec, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: gamecrypt_fuzz::init("session_server_hello"), |data: &[u8]| {
    let f = fixtures::get();
    let mut input = Input::new(data);
    let sel = input.u8();
    let (c, s, _) = PAIRS[usize::from(sel & 0x3f) % PAIRS.len()];
    let fx = &f.clients[c];
    let signer = f.servers[s].key;
    let mode = if sel & 0x80 == 0 { Mode::Datagram } else { Mode::Stream };

    let client = Session::new_client(fx.config.clone(), mode).expect("new_client");
    let ch = write(&client);
    let sh = if sel & 0x40 != 0 {
        let body = input.rest();
        let th = spec::transcript_hash(&ch, body);
        let signed = [spec::SERVER_SIGNATURE_CONTEXT, th.as_ref()].concat();
        let sig = spec::protocol_sign(signer, &signed);
        [body, &sig].concat()
    } else {
        input.rest().to_vec()
    };

    let got = client.read_handshake(&sh);
    if sh.first() == Some(&0x04) {
        // A Retry (section 22.3); the session_retry target covers it in depth.
        match (got, spec::client_reads_retry(&sh, &ch)) {
            (Err(e), Err(_)) if mode == Mode::Datagram => {
                // Section 12.1: a bad Retry is dropped in datagram mode.
                assert_eq!(e, spec::DROPPED);
                assert_eq!(client.state(), State::NeedRead);
            }
            (Err(e), Err(x)) => {
                assert_eq!(e, x, "wrong error for a Retry");
                assert_eq!(client.state(), State::Failed);
            }
            (Ok(()), Ok(cookie)) => {
                assert_eq!(client.state(), State::NeedWrite);
                assert_eq!(Ok(write(&client)), spec::client_hello_with_cookie(&ch, cookie));
            }
            (got, expected) => panic!("Retry: library {got:?}, reference {expected:?}"),
        }
        return;
    }
    let expected = spec::server_hello(&sh, &ch, &fx.spec);
    match (got, expected) {
        (Err(e), Err(x)) if mode == Mode::Datagram && spec::server_hello_failure_dropped(x) => {
            // Section 12.1: dropped, nothing changes.
            assert_eq!(e, spec::DROPPED, "expected a drop of {x:?}");
            assert_eq!(client.state(), State::NeedRead);
        }
        (Err(e), Err(x)) => {
            assert_eq!(e, x, "wrong error");
            assert_eq!(client.state(), State::Failed);
            assert_eq!(client.read_handshake(&sh), Err(Error::SessionFailed));
        }
        (Ok(()), Ok(accepted)) => {
            assert_eq!(client.state(), State::NeedWrite);
            assert_eq!(client.suite(), Ok(accepted.suite));
            let key = client.server_public_key().unwrap();
            assert_eq!(key, accepted.server_key);
            // Nothing but the real server's key is ever accepted.
            assert!(
                key == *f.server_p256.public_key() || key == *f.server_ed25519.public_key(),
                "accepted a key that is not a fixture server key"
            );
            // Section 21.3: the ClientFinished plaintext the request calls for.
            let p = spec::client_finished_plaintext(accepted.request, &fx.spec.credentials, &ch, &sh);
            let cf = write(&client);
            assert_eq!(cf.len(), 24 + p.len());
            assert_eq!(cf[..8], [3, 0, 0, 0, 0, 0, 0, 0]);
            assert_eq!(client.state(), State::Established);
            assert_eq!(client.read_handshake(&sh), Err(Error::WrongState));
        }
        (got, expected) => panic!("library {got:?}, reference {expected:?}"),
    }
});
