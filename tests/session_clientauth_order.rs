//! Reproducer found by the `session_client_auth` fuzz target: the order of the server's
//! ClientFinished checks with client authentication (docs/PROTOCOL.md section 21.4).
//!
//! Section 21.4 checks, in this order: 3. `P` parses exactly into entries (else
//! `HandshakeMalformed`); 4. a required signature is present (`ClientAuthRequired`); 5. a
//! required token is present (`ClientTokenRequired`); 6. the client key is a valid public key
//! and the signature verifies (`ClientAuthInvalid`). The library checks the key's validity
//! while it parses the signature entry, so a `client_signature` entry with an invalid key
//! (a P-256 key whose first byte is not 0x04) is reported as `ClientAuthInvalid` even when
//! `P` has trailing bytes after it (step 3) or a required token is missing (step 5).
//!
//! Both messages are rejected either way (the session fails and nothing is sent), so this is
//! an error-code deviation, not an acceptance bug. Fixed in `src/session/clientauth.rs` (the key
//! is now checked at step 6); these tests keep it fixed.
//!
//! The test drives the server with the shared reference client written from PROTOCOL.md
//! (`session_support::RefClient`, sections 4, 6, 9, 10): an X25519 ClientHello for suite
//! 0x0002, ECDH with aws-lc-rs, the key schedule with gamecrypt's HKDF, and the
//! ClientFinished sealed with ChaCha20-Poly1305 under the c2s key.

mod session_support;
use session_support::{x25519_server, RefClient};

use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{ClientAuthMode, ClientAuthRequest, Mode, State};
use gamecrypt::Error;

/// Runs the handshake with a server that requires a signature and a token, then sends a
/// ClientFinished with plaintext `p`; returns the server's verdict and its state.
fn server_verdict(p: &[u8]) -> (Result<(), Error>, State) {
    let server = x25519_server(
        SigningKey::generate(KeyType::Ed25519).unwrap(),
        |b| {
            b.client_auth(ClientAuthRequest {
                signature: ClientAuthMode::Required,
                token: ClientAuthMode::Required,
            })
        },
        Mode::Datagram,
    );

    // Sections 4, 9 and 10: the reference client's X25519 ClientHello (suite 0x0002), its
    // key schedule and its ClientFinished sealed under the c2s key.
    let client = RefClient::start(&server);

    // Section 6: the server share follows the fixed fields and the suite list; the request
    // extension (section 21.2) asks for both credentials.
    let sh = &client.server_hello;
    let m = usize::from(sh[37]);
    let at = 38 + 2 * m;
    assert_eq!(sh[at..at + 2], [0, 32]);
    assert_eq!(sh[sh.len() - 70..sh.len() - 64], [1, 2, 0, 2, 2, 2]);

    let got = server.read_handshake(&client.finished(p));
    (got, server.state())
}

/// A `client_signature` entry (section 21.3) with a P-256 key whose first byte is 0x05 (not a
/// valid key) and a zero signature.
fn signature_entry_with_invalid_key() -> Vec<u8> {
    let mut e = vec![0x01, 0x04, 0x00, 132, 1, 0x00, 65, 0x05];
    e.extend_from_slice(&[0x11; 64]);
    e.extend_from_slice(&[0; 64]);
    e
}

fn token_entry() -> Vec<u8> {
    vec![0x01, 0x03, 0x00, 0x03, b'a', b'b', b'c']
}

#[test]
fn the_reference_client_reaches_the_plaintext_checks() {
    // Sanity check of the harness: a well-formed plaintext whose signature does not verify
    // passes steps 1-5 and fails at step 6.
    let mut p = token_entry();
    p.extend(signature_entry_with_invalid_key());
    p[7 + 7] = 0x04; // first key byte: still not on the curve
    let (got, state) = server_verdict(&p);
    assert_eq!(got, Err(Error::ClientAuthInvalid));
    assert_eq!(state, State::Failed);
    // An empty plaintext: step 4.
    assert_eq!(server_verdict(&[]).0, Err(Error::ClientAuthRequired));
}

#[test]
fn trailing_bytes_after_a_signature_entry_with_an_invalid_key_are_malformed() {
    let mut p = token_entry();
    p.extend(signature_entry_with_invalid_key());
    p.push(0x00);
    let (got, state) = server_verdict(&p);
    assert_eq!(state, State::Failed);
    assert_eq!(got, Err(Error::HandshakeMalformed), "section 21.4 step 3");
}

#[test]
fn a_missing_required_token_is_reported_before_an_invalid_client_key() {
    let p = signature_entry_with_invalid_key();
    let (got, state) = server_verdict(&p);
    assert_eq!(state, State::Failed);
    assert_eq!(got, Err(Error::ClientTokenRequired), "section 21.4 step 5");
}
