//! The C ABI of client authentication and retry cookies, exercised from Rust: the UDP server
//! flow (check, Retry, session for the address, NEED_ACCEPT, accept/reject), NULL pointers,
//! short buffers, invalid enumerations, rotation, constants and the server clock callback.

use gamecrypt::ffi::client_config::*;
use gamecrypt::ffi::gamecrypt_result as R;
use gamecrypt::ffi::keys::*;
use gamecrypt::ffi::server_config::*;
use gamecrypt::ffi::session::*;
use gamecrypt::keys::{KeyType, SigningKey};
use std::os::raw::c_void;
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicU64, Ordering};

const ADDR: &[u8] = b"198.51.100.7:27015";

unsafe fn signing_key(kt: KeyType) -> (*mut gamecrypt_signing_key, SigningKey) {
    let k = SigningKey::generate(kt).unwrap();
    let der = k.to_pkcs8_der().unwrap();
    let mut sk = null_mut();
    assert_eq!(
        gamecrypt_signing_key_from_der(der.as_ptr(), der.len(), &mut sk),
        R::Ok
    );
    (sk, k)
}

unsafe fn public_of(k: &SigningKey) -> *mut gamecrypt_public_key {
    let spki = k.public_key().spki_der();
    let mut pk = null_mut();
    assert_eq!(
        gamecrypt_public_key_from_spki_der(spki.as_ptr(), spki.len(), &mut pk),
        R::Ok
    );
    pk
}

extern "C" fn test_clock(ctx: *mut c_void) -> u64 {
    // SAFETY: the tests pass a pointer to a live AtomicU64.
    unsafe { &*(ctx as *const AtomicU64) }.load(Ordering::SeqCst)
}

struct Configs {
    server: *mut gamecrypt_server_config,
    client: *mut gamecrypt_client_config,
    client_key: SigningKey,
}

impl Drop for Configs {
    fn drop(&mut self) {
        unsafe {
            gamecrypt_server_config_free(self.server);
            gamecrypt_client_config_free(self.client);
        }
    }
}

/// Server with signature and token modes, retry (period 10 s on `clock`); client with an
/// Ed25519 key and `token`.
unsafe fn configs(sig: u32, tok: u32, token: Option<&[u8]>, clock: &AtomicU64) -> Configs {
    let (server_sk, server_key) = signing_key(KeyType::EcdsaP256);
    let mut sb = null_mut();
    assert_eq!(
        gamecrypt_server_config_builder_new(server_sk, &mut sb),
        R::Ok
    );
    gamecrypt_signing_key_free(server_sk);
    assert_eq!(
        gamecrypt_server_config_builder_set_client_auth(sb, sig, tok),
        R::Ok
    );
    assert_eq!(gamecrypt_server_config_builder_set_retry(sb, 10), R::Ok);
    assert_eq!(
        gamecrypt_server_config_builder_set_clock(
            sb,
            Some(test_clock),
            clock as *const AtomicU64 as *mut c_void
        ),
        R::Ok
    );
    let mut server = null_mut();
    assert_eq!(
        gamecrypt_server_config_builder_build(sb, &mut server),
        R::Ok
    );
    gamecrypt_server_config_builder_free(sb);

    let pk = public_of(&server_key);
    let mut cb = null_mut();
    assert_eq!(
        gamecrypt_client_config_builder_new_pinned_key(pk, &mut cb),
        R::Ok
    );
    gamecrypt_public_key_free(pk);
    let (client_sk, client_key) = signing_key(KeyType::Ed25519);
    assert_eq!(
        gamecrypt_client_config_builder_set_client_key(cb, client_sk),
        R::Ok
    );
    gamecrypt_signing_key_free(client_sk);
    if let Some(t) = token {
        assert_eq!(
            gamecrypt_client_config_builder_set_token(cb, t.as_ptr(), t.len()),
            R::Ok
        );
    }
    let mut client = null_mut();
    assert_eq!(
        gamecrypt_client_config_builder_build(cb, &mut client),
        R::Ok
    );
    gamecrypt_client_config_builder_free(cb);
    Configs {
        server,
        client,
        client_key,
    }
}

unsafe fn write(s: *mut gamecrypt_session) -> Vec<u8> {
    let mut buf = vec![0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
    let mut len = 0;
    assert_eq!(
        gamecrypt_session_write_handshake(s, buf.as_mut_ptr(), buf.len(), &mut len),
        R::Ok
    );
    buf.truncate(len);
    buf
}

unsafe fn check(cfg: *const gamecrypt_server_config, addr: &[u8], d: &[u8]) -> (u32, Vec<u8>) {
    let mut out = vec![0u8; GAMECRYPT_RETRY_LEN];
    let mut len = usize::MAX;
    let mut action = 0;
    assert_eq!(
        gamecrypt_server_config_check_client_hello(
            cfg,
            addr.as_ptr(),
            addr.len(),
            d.as_ptr(),
            d.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut len,
            &mut action
        ),
        R::Ok
    );
    out.truncate(len);
    (action, out)
}

/// The UDP server flow up to the server's NEED_ACCEPT; returns (client, server).
unsafe fn to_need_accept(c: &Configs) -> (*mut gamecrypt_session, *mut gamecrypt_session) {
    let mut client = null_mut();
    assert_eq!(
        gamecrypt_session_new_client(c.client, GAMECRYPT_SESSION_MODE_DATAGRAM, &mut client),
        R::Ok
    );
    let ch1 = write(client);
    let (action, retry) = check(c.server, ADDR, &ch1);
    assert_eq!(action, GAMECRYPT_RETRY_ACTION_SEND_RETRY);
    assert_eq!(retry.len(), GAMECRYPT_RETRY_LEN);
    assert!(retry.len() < ch1.len());
    assert_eq!(retry[0], GAMECRYPT_SESSION_MESSAGE_RETRY);
    assert!(gamecrypt_session_is_handshake_message(
        retry.as_ptr(),
        retry.len()
    ));
    assert_eq!(
        gamecrypt_session_read_handshake(client, retry.as_ptr(), retry.len()),
        R::Ok
    );
    assert_eq!(
        gamecrypt_session_get_state(client),
        GAMECRYPT_SESSION_STATE_NEED_WRITE
    );
    let ch2 = write(client);
    let (action, out) = check(c.server, ADDR, &ch2);
    assert_eq!((action, out.len()), (GAMECRYPT_RETRY_ACTION_ACCEPT, 0));
    let mut server = null_mut();
    assert_eq!(
        gamecrypt_session_new_server_for_address(
            c.server,
            GAMECRYPT_SESSION_MODE_DATAGRAM,
            ADDR.as_ptr(),
            ADDR.len(),
            &mut server
        ),
        R::Ok
    );
    assert_eq!(
        gamecrypt_session_read_handshake(server, ch2.as_ptr(), ch2.len()),
        R::Ok
    );
    let sh = write(server);
    assert_eq!(
        gamecrypt_session_read_handshake(client, sh.as_ptr(), sh.len()),
        R::Ok
    );
    let fin = write(client);
    assert_eq!(
        gamecrypt_session_get_state(client),
        GAMECRYPT_SESSION_STATE_ESTABLISHED
    );
    assert_eq!(
        gamecrypt_session_read_handshake(server, fin.as_ptr(), fin.len()),
        R::Ok
    );
    assert_eq!(
        gamecrypt_session_get_state(server),
        GAMECRYPT_SESSION_STATE_NEED_ACCEPT
    );
    (client, server)
}

unsafe fn seal(s: *mut gamecrypt_session, pt: &[u8]) -> (R, Vec<u8>) {
    let mut out = vec![0u8; pt.len() + GAMECRYPT_PACKET_OVERHEAD];
    let mut len = 0;
    let r = gamecrypt_session_seal(
        s,
        pt.as_ptr(),
        pt.len(),
        out.as_mut_ptr(),
        out.len(),
        &mut len,
    );
    out.truncate(len);
    (r, out)
}

unsafe fn open(s: *mut gamecrypt_session, pkt: &[u8]) -> (R, Vec<u8>) {
    let mut out = vec![0u8; pkt.len()];
    let mut len = 0;
    let r = gamecrypt_session_open(
        s,
        pkt.as_ptr(),
        pkt.len(),
        out.as_mut_ptr(),
        out.len(),
        &mut len,
    );
    out.truncate(if r == R::Ok { len } else { 0 });
    (r, out)
}

#[test]
fn udp_server_flow_with_retry_client_auth_and_accept() {
    let clock = AtomicU64::new(1_750_000_000);
    let token = b"backend-ticket:player=42".to_vec();
    unsafe {
        let c = configs(
            GAMECRYPT_CLIENT_AUTH_REQUIRED,
            GAMECRYPT_CLIENT_AUTH_REQUIRED,
            Some(&token),
            &clock,
        );
        let (client, server) = to_need_accept(&c);

        // The client's key: compare its fingerprint as an account database would.
        let mut pk = null_mut();
        assert_eq!(gamecrypt_session_client_public_key(server, &mut pk), R::Ok);
        assert!(!pk.is_null());
        let mut fp = [0u8; 32];
        assert_eq!(
            gamecrypt_public_key_fingerprint(pk, fp.as_mut_ptr(), 32),
            R::Ok
        );
        assert_eq!(&fp, c.client_key.public_key().fingerprint());
        gamecrypt_public_key_free(pk);

        // The token: size query, short buffer, then the bytes.
        let mut len = 0;
        assert_eq!(
            gamecrypt_session_client_token(server, null_mut(), 0, &mut len),
            R::BufferTooSmall
        );
        assert_eq!(len, token.len());
        let mut small = vec![0u8; token.len() - 1];
        assert_eq!(
            gamecrypt_session_client_token(server, small.as_mut_ptr(), small.len(), &mut len),
            R::BufferTooSmall
        );
        let mut buf = vec![0u8; GAMECRYPT_CLIENT_TOKEN_MAX_LEN];
        assert_eq!(
            gamecrypt_session_client_token(server, buf.as_mut_ptr(), buf.len(), &mut len),
            R::Ok
        );
        assert_eq!(&buf[..len], &token[..]);

        // No data before the accept.
        let (r, early) = seal(client, b"early");
        assert_eq!(r, R::Ok);
        assert_eq!(open(server, &early).0, R::WrongState);
        assert_eq!(seal(server, b"x").0, R::WrongState);
        assert_eq!(gamecrypt_session_accept(server), R::Ok);
        assert_eq!(
            gamecrypt_session_get_state(server),
            GAMECRYPT_SESSION_STATE_ESTABLISHED
        );
        assert_eq!(gamecrypt_session_accept(server), R::WrongState);
        assert_eq!(open(server, &early), (R::Ok, b"early".to_vec()));
        let (r, p) = seal(server, b"welcome");
        assert_eq!(r, R::Ok);
        assert_eq!(open(client, &p), (R::Ok, b"welcome".to_vec()));
        // Still readable after the accept.
        assert_eq!(gamecrypt_session_client_public_key(server, &mut pk), R::Ok);
        gamecrypt_public_key_free(pk);
        gamecrypt_session_free(client);
        gamecrypt_session_free(server);
    }
}

#[test]
fn reject_gives_a_close_packet_and_session_rejected() {
    let clock = AtomicU64::new(1_750_000_000);
    unsafe {
        let c = configs(
            GAMECRYPT_CLIENT_AUTH_OPTIONAL,
            GAMECRYPT_CLIENT_AUTH_OPTIONAL,
            None,
            &clock,
        );
        let (client, server) = to_need_accept(&c);
        // No token: success with an empty output.
        let mut len = 99;
        assert_eq!(
            gamecrypt_session_client_token(server, null_mut(), 0, &mut len),
            R::Ok
        );
        assert_eq!(len, 0);
        let mut close = [0u8; GAMECRYPT_PACKET_OVERHEAD];
        assert_eq!(
            gamecrypt_session_reject(server, close.as_mut_ptr(), 10, &mut len),
            R::BufferTooSmall
        );
        assert_eq!(len, GAMECRYPT_PACKET_OVERHEAD);
        assert_eq!(
            gamecrypt_session_get_state(server),
            GAMECRYPT_SESSION_STATE_NEED_ACCEPT
        );
        assert_eq!(
            gamecrypt_session_reject(server, close.as_mut_ptr(), close.len(), &mut len),
            R::Ok
        );
        assert_eq!(len, GAMECRYPT_PACKET_OVERHEAD);
        assert_eq!(close[0], GAMECRYPT_PACKET_TYPE_CLOSE);
        assert_eq!(
            gamecrypt_session_get_state(server),
            GAMECRYPT_SESSION_STATE_FAILED
        );
        assert_eq!(gamecrypt_session_accept(server), R::SessionRejected);
        let mut pk = null_mut();
        assert_eq!(
            gamecrypt_session_client_public_key(server, &mut pk),
            R::SessionRejected
        );
        assert!(pk.is_null());
        assert_eq!(open(client, &close).0, R::PeerClosed);
        gamecrypt_session_free(client);
        gamecrypt_session_free(server);
    }
}

#[test]
fn missing_required_token_and_clear_codes() {
    let clock = AtomicU64::new(1_750_000_000);
    unsafe {
        let c = configs(
            GAMECRYPT_CLIENT_AUTH_NONE,
            GAMECRYPT_CLIENT_AUTH_REQUIRED,
            None,
            &clock,
        );
        let mut client = null_mut();
        assert_eq!(
            gamecrypt_session_new_client(c.client, GAMECRYPT_SESSION_MODE_STREAM, &mut client),
            R::Ok
        );
        let ch1 = write(client);
        let (_, retry) = check(c.server, ADDR, &ch1);
        assert_eq!(
            gamecrypt_session_read_handshake(client, retry.as_ptr(), retry.len()),
            R::Ok
        );
        let ch2 = write(client);
        let mut server = null_mut();
        assert_eq!(
            gamecrypt_session_new_server_for_address(
                c.server,
                GAMECRYPT_SESSION_MODE_STREAM,
                ADDR.as_ptr(),
                ADDR.len(),
                &mut server
            ),
            R::Ok
        );
        assert_eq!(
            gamecrypt_session_read_handshake(server, ch2.as_ptr(), ch2.len()),
            R::Ok
        );
        let sh = write(server);
        assert_eq!(
            gamecrypt_session_read_handshake(client, sh.as_ptr(), sh.len()),
            R::ClientTokenRequired
        );
        assert_eq!(
            gamecrypt_session_get_state(client),
            GAMECRYPT_SESSION_STATE_FAILED
        );
        // The codes have messages.
        for code in [450u32, 451, 452, 453, 454] {
            let s = std::ffi::CStr::from_ptr(gamecrypt::ffi::result::gamecrypt_result_str(code));
            assert_ne!(s.to_str().unwrap(), "unknown gamecrypt result code");
        }
        gamecrypt_session_free(client);
        gamecrypt_session_free(server);
    }
}

#[test]
fn retry_checks_through_the_c_abi() {
    let clock = AtomicU64::new(1_750_000_000);
    unsafe {
        let c = configs(
            GAMECRYPT_CLIENT_AUTH_NONE,
            GAMECRYPT_CLIENT_AUTH_NONE,
            None,
            &clock,
        );
        let mut client = null_mut();
        assert_eq!(
            gamecrypt_session_new_client(c.client, GAMECRYPT_SESSION_MODE_DATAGRAM, &mut client),
            R::Ok
        );
        let ch1 = write(client);
        let mut out = [0u8; GAMECRYPT_RETRY_LEN];
        let (mut len, mut action) = (0usize, 0u32);
        // Short buffer for a Retry: BUFFER_TOO_SMALL, action not written.
        assert_eq!(
            gamecrypt_server_config_check_client_hello(
                c.server,
                ADDR.as_ptr(),
                ADDR.len(),
                ch1.as_ptr(),
                ch1.len(),
                out.as_mut_ptr(),
                10,
                &mut len,
                &mut action
            ),
            R::BufferTooSmall
        );
        assert_eq!((len, action), (GAMECRYPT_RETRY_LEN, 0));
        // NULL pointers and bad lengths.
        let call = |cfg: *const gamecrypt_server_config,
                    addr: *const u8,
                    addr_len: usize,
                    d: *const u8,
                    d_len: usize,
                    out_len: *mut usize,
                    action: *mut u32| {
            let mut o = [0u8; GAMECRYPT_RETRY_LEN];
            gamecrypt_server_config_check_client_hello(
                cfg,
                addr,
                addr_len,
                d,
                d_len,
                o.as_mut_ptr(),
                o.len(),
                out_len,
                action,
            )
        };
        let (l, a) = (&mut len as *mut usize, &mut action as *mut u32);
        assert_eq!(
            call(
                null(),
                ADDR.as_ptr(),
                ADDR.len(),
                ch1.as_ptr(),
                ch1.len(),
                l,
                a
            ),
            R::NullArgument
        );
        assert_eq!(
            call(c.server, null(), 4, ch1.as_ptr(), ch1.len(), l, a),
            R::NullArgument
        );
        assert_eq!(
            call(c.server, ADDR.as_ptr(), ADDR.len(), null(), 5, l, a),
            R::NullArgument
        );
        assert_eq!(
            call(
                c.server,
                ADDR.as_ptr(),
                ADDR.len(),
                ch1.as_ptr(),
                ch1.len(),
                null_mut(),
                a
            ),
            R::NullArgument
        );
        assert_eq!(
            call(
                c.server,
                ADDR.as_ptr(),
                ADDR.len(),
                ch1.as_ptr(),
                ch1.len(),
                l,
                null_mut()
            ),
            R::NullArgument
        );
        assert_eq!(
            call(c.server, ADDR.as_ptr(), 0, ch1.as_ptr(), ch1.len(), l, a),
            R::InvalidLength
        );
        let long = [0u8; GAMECRYPT_CLIENT_ADDRESS_MAX_LEN + 1];
        assert_eq!(
            call(
                c.server,
                long.as_ptr(),
                long.len(),
                ch1.as_ptr(),
                ch1.len(),
                l,
                a
            ),
            R::InvalidLength
        );
        // An empty datagram is a DROP, not an error.
        assert_eq!(
            check(c.server, ADDR, &[]),
            (GAMECRYPT_RETRY_ACTION_DROP, vec![])
        );

        let (_, retry) = check(c.server, ADDR, &ch1);
        assert_eq!(
            gamecrypt_session_read_handshake(client, retry.as_ptr(), retry.len()),
            R::Ok
        );
        assert_eq!(
            gamecrypt_session_read_handshake(client, retry.as_ptr(), retry.len()),
            R::WrongState
        );
        let ch2 = write(client);
        assert_eq!(check(c.server, ADDR, &ch2).0, GAMECRYPT_RETRY_ACTION_ACCEPT);
        assert_eq!(
            check(c.server, b"203.0.113.9:1", &ch2).0,
            GAMECRYPT_RETRY_ACTION_DROP
        );
        // Expiry through the clock callback.
        clock.fetch_add(20, Ordering::SeqCst);
        assert_eq!(check(c.server, ADDR, &ch2).0, GAMECRYPT_RETRY_ACTION_DROP);
        clock.fetch_sub(20, Ordering::SeqCst);
        // Rotation: one keeps the cookie, two drop it.
        assert_eq!(gamecrypt_server_config_rotate_retry_secret(c.server), R::Ok);
        assert_eq!(check(c.server, ADDR, &ch2).0, GAMECRYPT_RETRY_ACTION_ACCEPT);
        let secret = [3u8; GAMECRYPT_RETRY_SECRET_LEN];
        assert_eq!(
            gamecrypt_server_config_rotate_retry_secret_to(c.server, secret.as_ptr(), 31),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_server_config_rotate_retry_secret_to(c.server, secret.as_ptr(), secret.len()),
            R::Ok
        );
        assert_eq!(check(c.server, ADDR, &ch2).0, GAMECRYPT_RETRY_ACTION_DROP);
        assert_eq!(
            gamecrypt_server_config_rotate_retry_secret(null()),
            R::NullArgument
        );

        // A session for another address refuses the ClientHello before any key exchange.
        let mut s = null_mut();
        assert_eq!(
            gamecrypt_session_new_server_for_address(
                c.server,
                GAMECRYPT_SESSION_MODE_DATAGRAM,
                ADDR.as_ptr(),
                0,
                &mut s
            ),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_session_new_server_for_address(
                c.server,
                9,
                ADDR.as_ptr(),
                ADDR.len(),
                &mut s
            ),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_session_new_server_for_address(
                c.server,
                GAMECRYPT_SESSION_MODE_DATAGRAM,
                ADDR.as_ptr(),
                ADDR.len(),
                null_mut()
            ),
            R::NullArgument
        );
        assert!(s.is_null());
        gamecrypt_session_free(client);
    }
}

#[test]
fn builder_setters_validate_their_arguments() {
    unsafe {
        let (sk, _) = signing_key(KeyType::Ed25519);
        let mut sb = null_mut();
        assert_eq!(gamecrypt_server_config_builder_new(sk, &mut sb), R::Ok);
        assert_eq!(
            gamecrypt_server_config_builder_set_client_auth(sb, 3, 0),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_client_auth(sb, 0, 7),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_client_auth(null_mut(), 0, 0),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_retry_rotation(sb, 100),
            R::InvalidArgument,
            "retry is off"
        );
        let secret = [1u8; 32];
        assert_eq!(
            gamecrypt_server_config_builder_set_retry_secret(sb, secret.as_ptr(), 32),
            R::InvalidArgument,
            "retry is off"
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_retry(sb, 3601),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_retry(sb, GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS),
            R::Ok
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_retry_rotation(sb, 19),
            R::InvalidArgument
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_retry_rotation(sb, 600),
            R::Ok
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_retry_secret(sb, secret.as_ptr(), 31),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_retry_secret(sb, null(), 32),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_retry_secret(sb, secret.as_ptr(), 32),
            R::Ok
        );
        assert_eq!(
            gamecrypt_server_config_builder_set_clock(sb, None, null_mut()),
            R::Ok
        );
        // A configuration without retry: rotation is INVALID_ARGUMENT, checks ACCEPT.
        assert_eq!(gamecrypt_server_config_builder_set_retry(sb, 0), R::Ok);
        let mut cfg = null_mut();
        assert_eq!(gamecrypt_server_config_builder_build(sb, &mut cfg), R::Ok);
        assert_eq!(
            gamecrypt_server_config_rotate_retry_secret(cfg),
            R::InvalidArgument
        );
        gamecrypt_server_config_free(cfg);
        gamecrypt_server_config_builder_free(sb);
        gamecrypt_signing_key_free(sk);

        // Client side.
        let (_, server_key) = signing_key(KeyType::Ed25519);
        let pk = public_of(&server_key);
        let mut cb = null_mut();
        assert_eq!(
            gamecrypt_client_config_builder_new_pinned_key(pk, &mut cb),
            R::Ok
        );
        gamecrypt_public_key_free(pk);
        assert_eq!(
            gamecrypt_client_config_builder_set_token(cb, null(), 0),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_client_config_builder_set_token(cb, null(), 3),
            R::NullArgument
        );
        let big = vec![0u8; GAMECRYPT_CLIENT_TOKEN_MAX_LEN + 1];
        assert_eq!(
            gamecrypt_client_config_builder_set_token(cb, big.as_ptr(), big.len()),
            R::InvalidLength
        );
        assert_eq!(
            gamecrypt_client_config_builder_set_token(cb, big.as_ptr(), big.len() - 1),
            R::Ok
        );
        let (p384, _) = signing_key(KeyType::EcdsaP384);
        assert_eq!(
            gamecrypt_client_config_builder_set_client_key(cb, p384),
            R::WrongKeyType
        );
        assert_eq!(
            gamecrypt_client_config_builder_set_client_key(cb, null()),
            R::NullArgument
        );
        gamecrypt_signing_key_free(p384);
        gamecrypt_client_config_builder_free(cb);
    }
}

#[test]
fn session_calls_check_their_arguments_and_state() {
    unsafe {
        let mut pk = null_mut();
        assert_eq!(
            gamecrypt_session_client_public_key(null(), &mut pk),
            R::NullArgument
        );
        let mut len = 0;
        assert_eq!(
            gamecrypt_session_client_token(null(), null_mut(), 0, &mut len),
            R::NullArgument
        );
        assert_eq!(gamecrypt_session_accept(null()), R::NullArgument);
        assert_eq!(
            gamecrypt_session_reject(null(), null_mut(), 0, &mut len),
            R::NullArgument
        );
        // A fresh server session: everything is WRONG_STATE; reject writes nothing.
        let (sk, _) = signing_key(KeyType::Ed25519);
        let mut sb = null_mut();
        assert_eq!(gamecrypt_server_config_builder_new(sk, &mut sb), R::Ok);
        let mut cfg = null_mut();
        assert_eq!(gamecrypt_server_config_builder_build(sb, &mut cfg), R::Ok);
        let mut s = null_mut();
        assert_eq!(
            gamecrypt_session_new_server(cfg, GAMECRYPT_SESSION_MODE_DATAGRAM, &mut s),
            R::Ok
        );
        assert_eq!(
            gamecrypt_session_client_public_key(s, null_mut()),
            R::NullArgument
        );
        assert_eq!(
            gamecrypt_session_client_public_key(s, &mut pk),
            R::WrongState
        );
        assert_eq!(
            gamecrypt_session_client_token(s, null_mut(), 0, &mut len),
            R::WrongState
        );
        assert_eq!(gamecrypt_session_accept(s), R::WrongState);
        assert_eq!(
            gamecrypt_session_reject(s, null_mut(), 0, &mut len),
            R::WrongState
        );
        assert_eq!(
            gamecrypt_session_get_state(s),
            GAMECRYPT_SESSION_STATE_NEED_READ
        );
        gamecrypt_session_free(s);
        gamecrypt_server_config_free(cfg);
        gamecrypt_server_config_builder_free(sb);
        gamecrypt_signing_key_free(sk);
    }
}

#[test]
fn constants_and_their_functions_agree() {
    assert_eq!(gamecrypt_retry_len(), GAMECRYPT_RETRY_LEN);
    assert_eq!(gamecrypt_retry_len(), 76);
    assert_eq!(gamecrypt_retry_secret_len(), 32);
    assert_eq!(gamecrypt_client_address_max_len(), 128);
    assert_eq!(gamecrypt_client_token_max_len(), 1024);
    assert_eq!(GAMECRYPT_SESSION_STATE_NEED_ACCEPT, 6);
}
