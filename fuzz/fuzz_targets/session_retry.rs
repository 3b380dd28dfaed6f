//! Retry cookies (PROTOCOL.md section 22), both sides.
//!
//! First byte, bit 0 chooses the part:
//!
//! **0: a client reads a Retry** after writing its ClientHello (client fixture chosen by bits
//! 1-4). The next byte chooses the Retry: 0 = arbitrary bytes (the rest of the input); 1 = a
//! Retry built by the reference for this ClientHello's core with a fuzzer-chosen cookie, then
//! edited; 2 = the real Retry of a retry-enabled server (`check_client_hello`), then edited.
//! Expected: the verdict of `spec::client_reads_retry` (section 22.3); on acceptance the client
//! writes exactly the reference CH2 (same core, cookie extension, padding), ignores a second
//! Retry (`WrongState`, nothing changes), and, if the Retry was the server's unchanged one,
//! the server session for that address answers CH2 and the handshake completes.
//!
//! **1: the server's stateless check** `ServerConfig::check_client_hello` on a datagram and
//! an address. The configuration is built per input with a known secret (optionally rotated
//! to a second known one), a period and a fixed clock, or without retry. The datagram is
//! arbitrary or a real client's ClientHello carrying a cookie computed by the reference for a
//! fuzzer-chosen secret, slot and address, then edited. Expected: exactly the action of
//! `spec::check_client_hello` (section 22.4: DROP, ACCEPT only for a valid cookie, SEND_RETRY
//! with the reference Retry bytes, always smaller than the datagram), `InvalidLength` for an
//! address of 0 or more than 128 bytes; never a panic. A session created for the address
//! then reads the datagram: ACCEPTed ones get the suite choice of sections 4-5 (and a
//! ServerHello smaller than the datagram), well-formed ones without a valid cookie
//! `RetryCookieInvalid` (section 22.5).
#![no_main]

use gamecrypt::session::{limits, Mode, RetryAction, ServerConfig, Session, State};
use gamecrypt::Error;
use gamecrypt_fuzz::fixtures::{self, write};
use gamecrypt_fuzz::mutate::apply_edits;
use gamecrypt_fuzz::spec::{self, Action, RetryServer};
use gamecrypt_fuzz::{cabi, Input};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

const SECRET_A: [u8; 32] = [0xa5; 32];
const SECRET_B: [u8; 32] = [0x5a; 32];
const ADDRESS: &[u8] = b"198.51.100.7:40000";

fuzz_target!(init: gamecrypt_fuzz::init("session_retry"), |data: &[u8]| {
    let mut input = Input::new(data);
    let sel = input.u8();
    if sel & 1 == 0 {
        client_part(sel, &mut input);
    } else {
        server_part(sel, &mut input);
    }
});

/// A retry-enabled server configuration with a known secret and clock.
fn retry_config(
    key_ed25519: bool,
    period: u64,
    now: u64,
    rotated: bool,
) -> (Arc<ServerConfig>, RetryServer) {
    let f = fixtures::get();
    let key = if key_ed25519 {
        &f.server_ed25519
    } else {
        &f.server_p256
    };
    let config = ServerConfig::builder(key.clone())
        .expect("builder")
        .retry(period)
        .expect("retry")
        .retry_secret(&SECRET_A)
        .expect("retry secret")
        .clock(Arc::new(move || now))
        .build();
    let mut model = RetryServer {
        current: SECRET_A,
        previous: None,
        period,
        now,
    };
    if rotated {
        config.rotate_retry_secret_to(&SECRET_B).expect("rotate");
        model = RetryServer {
            current: SECRET_B,
            previous: Some(SECRET_A),
            ..model
        };
    }
    (config, model)
}

fn client_part(sel: u8, input: &mut Input<'_>) {
    let f = fixtures::get();
    let fx = &f.clients[usize::from(sel >> 1 & 0xf) % f.clients.len()];
    let mode = if sel & 0x80 == 0 {
        Mode::Datagram
    } else {
        Mode::Stream
    };
    let client = Session::new_client(fx.config.clone(), mode).expect("new_client");
    let ch = write(&client);
    let core = spec::parse_client_hello(&ch)
        .expect("the client's own ClientHello")
        .core
        .to_vec();
    let how = input.u8() % 3;
    let mut server_retry = None;
    let retry = match how {
        0 => input.rest().to_vec(),
        1 => {
            let cookie = input.short_bytes();
            let mut r = spec::retry_message(&core, cookie);
            apply_edits(&mut r, input);
            r
        }
        _ => {
            // A server whose key matches the client's trust anchor (any works for the Retry).
            let (config, _) = retry_config(input.bool(), 10, fixtures::NOW, false);
            let Ok(RetryAction::SendRetry(r)) = config.check_client_hello(ADDRESS, &ch) else {
                panic!("no Retry for a real ClientHello");
            };
            let mut edited = r.clone();
            apply_edits(&mut edited, input);
            server_retry = Some((config, r));
            edited
        }
    };

    let got = client.read_handshake(&retry);
    let expected = if retry.first() == Some(&0x04) {
        spec::client_reads_retry(&retry, &ch)
    } else {
        // Anything else is read as a ServerHello, which cannot be valid here.
        spec::server_hello(&retry, &ch, &fx.spec).map(|_| &[][..])
    };
    let cookie = match (got, expected) {
        (Err(e), Err(x)) if mode == Mode::Datagram && spec::server_hello_failure_dropped(x) => {
            // Section 12.1: a bad Retry or ServerHello is dropped in datagram mode.
            assert_eq!(e, spec::DROPPED, "expected a drop of {x:?}");
            assert_eq!(client.state(), State::NeedRead);
            return;
        }
        (Err(e), Err(x)) => {
            assert_eq!(e, x, "wrong error");
            assert_eq!(client.state(), State::Failed);
            assert_eq!(client.read_handshake(&retry), Err(Error::SessionFailed));
            return;
        }
        (Ok(()), Ok(cookie)) => cookie,
        (got, expected) => panic!("library {got:?}, reference {expected:?}"),
    };
    assert_eq!(client.state(), State::NeedWrite);
    let ch2 = write(&client);
    assert_eq!(
        Ok(&ch2),
        spec::client_hello_with_cookie(&ch, cookie).as_ref(),
        "CH2"
    );
    assert_eq!(client.state(), State::NeedRead);
    // At most one Retry per session.
    assert_eq!(client.read_handshake(&retry), Err(Error::WrongState));
    assert_eq!(client.state(), State::NeedRead);
    assert_eq!(client.pending_handshake_len(), Err(Error::WrongState));

    if let Some((config, r)) = server_retry {
        if r == retry {
            assert_eq!(
                config.check_client_hello(ADDRESS, &ch2),
                Ok(RetryAction::Accept)
            );
            let server = Session::new_server_for_address(config, mode, ADDRESS).expect("server");
            // Any v1 suite list works; the client's trust decides if the handshake completes.
            match server.read_handshake(&ch2) {
                Ok(()) => {
                    let sh = write(&server);
                    assert!(sh.len() < ch2.len());
                    let ours = spec::server_hello(&sh, &ch2, &fx.spec);
                    let got = client.read_handshake(&sh);
                    match (got, ours) {
                        // Section 12.1: in datagram mode a ServerHello that fails its checks
                        // is dropped and nothing changes.
                        (Err(e), Err(x))
                            if mode == Mode::Datagram && spec::server_hello_failure_dropped(x) =>
                        {
                            assert_eq!(e, spec::DROPPED, "expected a drop of {x:?}");
                            assert_eq!(client.state(), State::NeedRead);
                        }
                        (got, ours) => {
                            assert_eq!(got, ours.map(|_| ()), "client reads the ServerHello to CH2")
                        }
                    }
                }
                Err(e) => assert_eq!(e, Error::NoCommonSuite),
            }
        }
    }
}

fn server_part(sel: u8, input: &mut Input<'_>) {
    let f = fixtures::get();
    let mode = if sel & 0x80 == 0 {
        Mode::Datagram
    } else {
        Mode::Stream
    };
    let retry_on = sel & 2 == 0;
    let period = 1 + u64::from(input.u16()) % 3600;
    let now = match input.u8() % 4 {
        0 => fixtures::NOW,
        1 => input.u64(),
        2 => u64::from(input.u8()),
        _ => u64::MAX - u64::from(input.u8()),
    };
    let (config, model) = if retry_on {
        retry_config(sel & 4 != 0, period, now, sel & 8 != 0)
    } else {
        (
            f.servers[if sel & 4 != 0 { 1 } else { 0 }].config.clone(),
            RetryServer {
                current: SECRET_A,
                previous: None,
                period,
                now,
            },
        )
    };
    let address = match input.short_bytes() {
        [] => ADDRESS,
        a if a == b"\x00" => &[],
        a => a,
    };
    let datagram = if sel & 0x10 != 0 {
        input.rest().to_vec()
    } else {
        // A real ClientHello, with a cookie made by the reference for a chosen secret, slot
        // and address (or without a cookie).
        let fx = &f.clients[usize::from(input.u8()) % f.clients.len()];
        let client = Session::new_client(fx.config.clone(), Mode::Datagram).expect("client");
        let ch = write(&client);
        let choice = input.u8();
        let mut dg = if choice & 3 == 3 {
            ch
        } else {
            let core = spec::parse_client_hello(&ch)
                .expect("own ClientHello")
                .core
                .to_vec();
            let secret = match choice >> 2 & 3 {
                0 | 3 => SECRET_A,
                1 => SECRET_B,
                _ => [input.u8(); 32],
            };
            let slot = now / period;
            let slot = match choice >> 4 & 7 {
                0 | 1 => slot,
                2 => slot.wrapping_sub(1),
                3 => slot.wrapping_add(1),
                4 => slot.wrapping_sub(2),
                5 => u64::MAX,
                _ => input.u64(),
            };
            let cookie_address = if choice & 0x80 == 0 {
                address
            } else {
                input.short_bytes()
            };
            let cookie = spec::cookie(&secret, slot, cookie_address, &core);
            let cookie = if choice & 3 == 2 {
                &cookie[..input.u8() as usize % 41]
            } else {
                &cookie[..]
            };
            spec::client_hello_with_cookie(&ch, cookie).expect("CH2")
        };
        apply_edits(&mut dg, input);
        dg
    };

    let got = config.check_client_hello(address, &datagram);
    let expected = spec::check_client_hello(retry_on.then_some(&model), address, &datagram);
    if retry_on {
        // The same through the C ABI, with an output buffer that may be too small.
        let key = if sel & 4 != 0 {
            &f.server_ed25519
        } else {
            &f.server_p256
        };
        let der = key.to_pkcs8_der().expect("export");
        let rotated = (sel & 8 != 0).then_some(&SECRET_B[..]);
        let c = cabi::RetryConfig::new(&der, period, &SECRET_A, now, rotated);
        let cap = if sel & 0x20 != 0 {
            usize::from(input.u8())
        } else {
            limits::RETRY_LEN
        };
        let (code, action, n, bytes) = c.check_client_hello(address, &datagram, cap);
        match &got {
            Err(e) => assert_eq!((code, action), (e.code(), 0), "C ABI error"),
            Ok(RetryAction::SendRetry(r)) if cap < r.len() => {
                assert_eq!(
                    (code, action, n),
                    (Error::BufferTooSmall.code(), 0, r.len()),
                    "C ABI short buffer"
                );
            }
            Ok(a) => {
                assert_eq!((code, action), (0, a.code()), "C ABI action");
                let retry: &[u8] = if let RetryAction::SendRetry(r) = a {
                    r
                } else {
                    &[]
                };
                assert_eq!((n, &bytes[..]), (retry.len(), retry), "C ABI Retry bytes");
            }
        }
    }
    match (&got, &expected) {
        (Err(e), Err(x)) => {
            assert_eq!(e, x);
            return;
        }
        (Ok(RetryAction::Accept), Ok(Action::Accept))
        | (Ok(RetryAction::Drop), Ok(Action::Drop)) => {}
        (Ok(RetryAction::SendRetry(r)), Ok(Action::SendRetry(x))) => {
            assert_eq!(r, x, "Retry bytes");
            assert!(
                r.len() < datagram.len(),
                "a Retry not smaller than the datagram"
            );
        }
        (got, expected) => panic!("library {got:?}, reference {expected:?}"),
    }

    // A session for this address reads the datagram (section 22.5).
    let Ok(hello) = spec::parse_client_hello(&datagram) else {
        return;
    };
    let server = Session::new_server_for_address(config, mode, address).expect("session");
    let cookie_ok = !retry_on
        || hello
            .cookie()
            .is_some_and(|c| model.cookie_valid(c, address, hello.core));
    let suites = server_suites(sel);
    let expected = if cookie_ok {
        spec::choose_suite(&hello, &suites)
    } else {
        Err(Error::RetryCookieInvalid)
    };
    match (server.read_handshake(&datagram), expected) {
        (Err(e), Err(x)) => {
            assert_eq!(e, x, "session for the address");
            assert_eq!(server.state(), State::Failed);
        }
        (Ok(()), Ok(suite)) => {
            assert_eq!(server.suite(), Ok(suite));
            let sh = write(&server);
            assert!(
                sh.len() < datagram.len(),
                "ServerHello not smaller than the ClientHello"
            );
        }
        (got, expected) => panic!("session: library {got:?}, reference {expected:?}"),
    }
}

/// The suites of the server of `server_part` (the default list of its key type).
fn server_suites(sel: u8) -> Vec<gamecrypt::session::Suite> {
    let f = fixtures::get();
    f.servers[if sel & 4 != 0 { 1 } else { 0 }].suites.clone()
}
