//! Client authentication (PROTOCOL.md section 21): a server that asks for a client signature
//! and/or a token reads an arbitrary or mutated authenticated ClientFinished, sealed under the
//! real c2s key by the reference client of `refclient` (structure-aware: the AEAD always opens
//! unless the fuzzer edits the sealed packet, so the fuzzer works on the plaintext entries).
//!
//! Input: a selector byte: bits 0-1 signature mode and bits 2-3 token mode (each value % 3:
//! none, optional, required), bit 4 the server key type (P-256 with suite 0x0001, Ed25519
//! with 0x0002), bit 7 the session mode. Then a plan byte: bit 0 add a token entry, bit 1 add
//! a signature entry, bit 2 the client key (P-256 or Ed25519), bit 3 re-sign after the edits
//! (the signature over the edited P', so that the fuzzer gets past the signature check with
//! malformed or foreign entries), bit 4 the plaintext is the rest of the input instead,
//! bit 5 edit the sealed packet too, bit 6 accept (else reject) in `NeedAccept`. Then the
//! token (u16 length % 1100, then bytes), the plaintext edits, the packet edits.
//!
//! Expected: exactly the verdict of `spec::server_reads_auth_finished` (section 21.4; without
//! a request, the 24-byte rule of section 10.1). Only an honest plaintext reaches `NeedAccept`:
//! then the session reports the client key (one of the harness's own client keys: a signature
//! cannot be forged) and token of the reference; accept establishes the session (data flows
//! both ways with the reference client's keys), reject returns a close packet that the
//! reference client opens, and every later call is `SessionRejected`. A failed check fails the
//! session for good (`SessionFailed`).
#![no_main]

use gamecrypt::keys::KeyType;
use gamecrypt::session::{limits, Mode, Session, State, Suite, TrustAnchor};
use gamecrypt::Error;
use gamecrypt_fuzz::fixtures::{self, write, ClientSpec};
use gamecrypt_fuzz::mutate::apply_edits;
use gamecrypt_fuzz::refclient::RefClient;
use gamecrypt_fuzz::spec::{self, ClientIdentity, Credentials};
use gamecrypt_fuzz::Input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: gamecrypt_fuzz::init("session_client_auth"), |data: &[u8]| {
    let f = fixtures::get();
    let mut input = Input::new(data);
    let sel = input.u8();
    let request = (sel % 4 % 3, (sel >> 2) % 4 % 3);
    let (kt, suite) = if sel & 0x10 == 0 {
        (KeyType::EcdsaP256, Suite::P256EcdsaAes256GcmSha256)
    } else {
        (KeyType::Ed25519, Suite::X25519Ed25519ChaCha20Poly1305Sha256)
    };
    let mode = if sel & 0x80 == 0 { Mode::Datagram } else { Mode::Stream };
    let fx = f.auth_server(kt, request);
    assert_eq!(fx.request, request);

    // The handshake up to the ClientFinished, with the reference client.
    let server = Session::new_server(fx.config.clone(), mode);
    let client = RefClient::new(suite, &[]);
    let ch = client.client_hello.clone();
    server.read_handshake(&ch).expect("server reads the reference ClientHello");
    let sh = write(&server);
    let spec_client = ClientSpec {
        anchor: TrustAnchor::PinnedKey(fx.key.public_key().clone()),
        suites: vec![suite],
        server_name: None,
        now: fixtures::NOW,
        // The plan decides what the ClientFinished carries; the reference client does not
        // stop at section 21.3's checks.
        credentials: Credentials {
            key: Some(f.client_ed25519),
            token: Some(fixtures::TOKEN.to_vec()),
        },
    };
    let hs = client
        .read_server_hello(&sh, &spec_client)
        .expect("the reference client accepts the ServerHello");
    let asked = (request != (0, 0)).then_some(request);
    assert_eq!(hs.accepted.request, asked);
    let c2s = hs.c2s();

    // The ClientFinished plaintext.
    let plan = input.u8();
    let client_key = if plan & 4 == 0 { f.client_p256 } else { f.client_ed25519 };
    let token_len = usize::from(input.u16() % 1100);
    let token = match input.bytes(token_len) {
        [] => fixtures::TOKEN,
        t => t,
    };
    let p = if plan & 0x10 != 0 {
        input.rest().to_vec()
    } else {
        let creds = Credentials {
            key: (plan & 2 != 0).then_some(client_key),
            token: (plan & 1 != 0).then(|| token.to_vec()),
        };
        // Every entry the plan asks for, whatever the request (mode none included).
        let mut p = spec::client_finished_plaintext(Some((1, 1)), &creds, &ch, &sh);
        apply_edits(&mut p, &mut input);
        if plan & 8 != 0 && p.len() >= 64 {
            let n = p.len() - 64;
            let signed = spec::client_signed_message(&ch, &sh, &p[..n]);
            let sig = spec::protocol_sign(client_key, &signed);
            p[n..].copy_from_slice(&sig);
        }
        p
    };
    let mut msg = c2s.seal(0x03, 0, &p);
    if plan & 0x20 != 0 {
        apply_edits(&mut msg, &mut input);
    }

    let got = server.read_handshake(&msg);
    if mode == Mode::Datagram && spec::finished_dropped(&msg, &c2s, asked.is_some()) {
        // Section 12.1: not authenticated: dropped, nothing changes.
        assert_eq!(got, Err(spec::DROPPED));
        assert_eq!(server.state(), State::NeedRead);
        return;
    }
    let expected = match asked {
        Some(r) => spec::server_reads_auth_finished(&msg, &c2s, r, &ch, &sh),
        // Section 10.1.
        None if msg.len() != 24 || msg[..8] != [3, 0, 0, 0, 0, 0, 0, 0] => {
            Err(Error::HandshakeMalformed)
        }
        None => match c2s.open(&msg) {
            Some(_) => Ok(ClientIdentity { key: None, token: None }),
            None => Err(Error::PacketAuthFailed),
        },
    };
    let identity = match (got, expected) {
        (Err(e), Err(x)) => {
            assert_eq!(e, x, "wrong error; plaintext {p:02x?}, packet {msg:02x?}");
            assert_eq!(server.state(), State::Failed);
            assert_eq!(server.read_handshake(&msg), Err(Error::SessionFailed));
            assert_eq!(server.accept(), Err(Error::SessionFailed));
            return;
        }
        (Ok(()), Ok(identity)) => identity,
        (got, expected) => panic!("library {got:?}, reference {expected:?}"),
    };
    if asked.is_none() {
        assert_eq!(server.state(), State::Established);
        exchange(&server, &hs);
        return;
    }
    // Section 21.5.
    assert_eq!(server.state(), State::NeedAccept);
    if let Some(k) = &identity.key {
        assert!(
            k == f.client_p256.public_key() || k == f.client_ed25519.public_key(),
            "a client key that the harness never signed with"
        );
    }
    assert_eq!(server.client_public_key(), Ok(identity.key.clone()));
    let token = server.client_token().expect("client_token");
    assert_eq!(token.as_deref().map(|t| &t[..]), identity.token.as_deref());
    let mut out = [0u8; 64];
    assert_eq!(server.seal(b"x", &mut out), Err(Error::WrongState));
    assert_eq!(server.read_handshake(&msg), Err(Error::WrongState));
    if plan & 0x40 != 0 {
        server.accept().expect("accept");
        assert_eq!(server.state(), State::Established);
        assert_eq!(server.client_public_key(), Ok(identity.key));
        exchange(&server, &hs);
    } else {
        let mut close = [0u8; limits::PACKET_OVERHEAD];
        assert_eq!(server.reject(&mut close), Ok(close.len()));
        assert_eq!(close[..8], [0x42, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(hs.s2c().open(&close).as_deref(), Some(&[][..]), "the reject close packet");
        assert_eq!(server.state(), State::Failed);
        assert_eq!(server.accept(), Err(Error::SessionRejected));
        assert_eq!(server.seal(b"x", &mut out), Err(Error::SessionRejected));
        assert_eq!(server.reject(&mut close), Err(Error::SessionRejected));
    }
});

/// Data both ways between the server and the reference client (c2s packet number 1, s2c 0).
fn exchange(server: &Session, hs: &gamecrypt_fuzz::refclient::Handshake) {
    let packet = hs.c2s().seal(0x40, 1, b"ping");
    let mut out = [0u8; 64];
    assert_eq!(server.open(&packet, &mut out), Ok(4));
    assert_eq!(&out[..4], b"ping");
    let n = server.seal(b"pong", &mut out).expect("seal");
    assert_eq!(out[..8], [0x40, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(hs.s2c().open(&out[..n]).as_deref(), Some(&b"pong"[..]));
}
