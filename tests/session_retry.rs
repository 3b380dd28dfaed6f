//! Stateless retry cookies through the public Rust API (docs/PROTOCOL.md section 22): the
//! decision table, expiry, address and ClientHello binding, tampering, rotation, reply sizes.

mod session_support;
use session_support::DROPPED;

use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{
    ClientConfig, Mode, RetryAction, ServerConfig, Session, State, Suite, TrustAnchor,
};
use gamecrypt::Error;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const ADDR: &[u8] = b"\xc0\x00\x02\x01\x30\x39";
const OTHER: &[u8] = b"\xc0\x00\x02\x02\x30\x39";
/// ClientHello core length of a client pinning a P-256 key (one offer: the P-256 suite).
const CORE_LEN: usize = 1 + 2 + 32 + 1 + (2 + 2 + 65);

struct Env {
    now: Arc<AtomicU64>,
    server: Arc<ServerConfig>,
    client: Arc<ClientConfig>,
}

fn env_with(period: u64, rotation: u64, secret: Option<&[u8]>) -> Env {
    let key = SigningKey::generate(KeyType::EcdsaP256).unwrap();
    let now = Arc::new(AtomicU64::new(1_700_000_000));
    let clock = now.clone();
    let mut b = ServerConfig::builder(key.clone())
        .unwrap()
        .retry(period)
        .unwrap()
        .retry_rotation_interval(rotation)
        .unwrap()
        .clock(Arc::new(move || clock.load(Ordering::SeqCst)));
    if let Some(s) = secret {
        b = b.retry_secret(s).unwrap();
    }
    // The classic P-256 suite only, so that the ClientHello has the sizes checked below (the
    // default list also offers the hybrid suite, which pads the ClientHello to 2048 bytes).
    let client = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .suites(&[Suite::P256EcdsaAes256GcmSha256])
        .unwrap()
        .build()
        .unwrap();
    Env {
        now,
        server: b.build(),
        client,
    }
}

fn env() -> Env {
    env_with(10, 0, None)
}

fn write(s: &Session) -> Vec<u8> {
    let mut buf = vec![0u8; 4096];
    let n = s.write_handshake(&mut buf).unwrap();
    buf.truncate(n);
    buf
}

fn retry_of(action: RetryAction) -> Vec<u8> {
    match action {
        RetryAction::SendRetry(r) => r,
        other => panic!("expected a Retry, got {other:?}"),
    }
}

/// A client that followed a Retry: (client, first ClientHello, Retry, second ClientHello).
fn retried(e: &Env, addr: &[u8]) -> (Session, Vec<u8>, Vec<u8>, Vec<u8>) {
    let client = Session::new_client(e.client.clone(), Mode::Datagram).unwrap();
    let ch1 = write(&client);
    let retry = retry_of(e.server.check_client_hello(addr, &ch1).unwrap());
    client.read_handshake(&retry).unwrap();
    assert_eq!(client.state(), State::NeedWrite);
    let ch2 = write(&client);
    (client, ch1, retry, ch2)
}

fn cookie_range() -> std::ops::Range<usize> {
    CORE_LEN + 2 + 4..CORE_LEN + 2 + 4 + 40
}

#[test]
fn full_exchange_with_retry() {
    let e = env();
    let (client, ch1, retry, ch2) = retried(&e, ADDR);
    assert_eq!(retry.len(), 76);
    assert_eq!(retry[0], 0x04);
    assert_eq!(ch1.len(), 1200);
    assert_eq!(ch2.len(), 1200);
    assert_eq!(ch1[..CORE_LEN], ch2[..CORE_LEN], "same core");
    assert_eq!(&ch2[CORE_LEN..CORE_LEN + 6], &[0, 44, 0x01, 0x01, 0, 40]);
    assert_eq!(&ch2[cookie_range()], &retry[36..]);
    assert_eq!(
        e.server.check_client_hello(ADDR, &ch2).unwrap(),
        RetryAction::Accept
    );
    let server = Session::new_server_for_address(e.server.clone(), Mode::Datagram, ADDR).unwrap();
    server.read_handshake(&ch2).unwrap();
    let sh = write(&server);
    assert!(sh.len() < ch2.len());
    client.read_handshake(&sh).unwrap();
    let fin = write(&client);
    server.read_handshake(&fin).unwrap();
    assert_eq!(server.state(), State::Established);
    let mut pkt = [0u8; 64];
    let n = server.seal(b"hello", &mut pkt).unwrap();
    let mut out = [0u8; 64];
    assert_eq!(client.open(&pkt[..n], &mut out), Ok(5));
    // The client resends the second ClientHello; the server sees a duplicate.
    assert_eq!(server.read_handshake(&ch2), Err(Error::WrongState));
}

#[test]
fn decision_table() {
    let e = env();
    let (_c, ch1, _retry, ch2) = retried(&e, ADDR);
    let check = |addr: &[u8], d: &[u8]| e.server.check_client_hello(addr, d).unwrap();
    // Not a ClientHello, or a malformed one: drop.
    assert_eq!(check(ADDR, &[]), RetryAction::Drop);
    assert_eq!(check(ADDR, &[0x01; 1300]), RetryAction::Drop);
    assert_eq!(check(ADDR, &ch1[..1199]), RetryAction::Drop);
    let mut sealed = ch1.clone();
    sealed[0] = 0x40;
    assert_eq!(check(ADDR, &sealed), RetryAction::Drop);
    // Right cookie, other address: drop.
    assert_eq!(check(OTHER, &ch2), RetryAction::Drop);
    // Right cookie and address, valid in this slot and the next one, not after.
    assert_eq!(check(ADDR, &ch2), RetryAction::Accept);
    e.now.fetch_add(10, Ordering::SeqCst);
    assert_eq!(check(ADDR, &ch2), RetryAction::Accept);
    e.now.fetch_add(10, Ordering::SeqCst);
    assert_eq!(check(ADDR, &ch2), RetryAction::Drop);
    // A cookie from the future (clock going back) is refused too.
    e.now.fetch_sub(40, Ordering::SeqCst);
    assert_eq!(check(ADDR, &ch2), RetryAction::Drop);
    // Bad address lengths are errors, not decisions.
    assert_eq!(
        e.server.check_client_hello(&[], &ch1),
        Err(Error::InvalidLength)
    );
    assert_eq!(
        e.server.check_client_hello(&[0; 129], &ch1),
        Err(Error::InvalidLength)
    );
    assert!(e.server.check_client_hello(&[0; 128], &ch1).is_ok());
}

#[test]
fn every_tampered_cookie_bit_and_foreign_cookies_are_dropped() {
    let e = env();
    let (_c, _ch1, _retry, ch2) = retried(&e, ADDR);
    for bit in cookie_range().start * 8..cookie_range().end * 8 {
        let mut m = ch2.clone();
        m[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(
            e.server.check_client_hello(ADDR, &m).unwrap(),
            RetryAction::Drop,
            "bit {bit}"
        );
    }
    // The cookie of one ClientHello in another client's ClientHello: drop.
    let (_c2, _, _, other_ch2) = retried(&e, ADDR);
    let mut swapped = other_ch2.clone();
    swapped[cookie_range()].copy_from_slice(&ch2[cookie_range()]);
    assert_eq!(
        e.server.check_client_hello(ADDR, &swapped).unwrap(),
        RetryAction::Drop
    );
    // A changed core (e.g. another client_random) with the original cookie: drop.
    let mut m = ch2.clone();
    m[10] ^= 1;
    assert_eq!(
        e.server.check_client_hello(ADDR, &m).unwrap(),
        RetryAction::Drop
    );
    // A cookie of another server: drop.
    let e2 = env();
    assert_eq!(
        e2.server.check_client_hello(ADDR, &ch2).unwrap(),
        RetryAction::Drop
    );
}

#[test]
fn server_sessions_refuse_a_client_hello_without_a_valid_cookie() {
    let e = env();
    let (_c, ch1, _retry, ch2) = retried(&e, ADDR);
    let fresh = |addr: &[u8]| {
        Session::new_server_for_address(e.server.clone(), Mode::Datagram, addr).unwrap()
    };
    for (addr, msg) in [(ADDR, &ch1), (OTHER, &ch2)] {
        let s = fresh(addr);
        assert_eq!(s.read_handshake(msg), Err(Error::RetryCookieInvalid));
        assert_eq!(s.state(), State::Failed);
    }
    // Created without an address: nothing passes.
    let s = Session::new_server(e.server.clone(), Mode::Datagram);
    assert_eq!(s.read_handshake(&ch2), Err(Error::RetryCookieInvalid));
    assert_eq!(
        Session::new_server_for_address(e.server.clone(), Mode::Datagram, &[]).err(),
        Some(Error::InvalidLength)
    );
}

#[test]
fn secret_rotation_keeps_cookies_for_one_rotation() {
    let e = env();
    let (_c, _, _, ch2) = retried(&e, ADDR);
    e.server.rotate_retry_secret().unwrap();
    assert_eq!(
        e.server.check_client_hello(ADDR, &ch2).unwrap(),
        RetryAction::Accept
    );
    // New cookies use the new secret and are valid.
    let (_c, _, _, fresh) = retried(&e, ADDR);
    assert_eq!(
        e.server.check_client_hello(ADDR, &fresh).unwrap(),
        RetryAction::Accept
    );
    e.server.rotate_retry_secret().unwrap();
    assert_eq!(
        e.server.check_client_hello(ADDR, &ch2).unwrap(),
        RetryAction::Drop
    );
    assert_eq!(
        e.server.check_client_hello(ADDR, &fresh).unwrap(),
        RetryAction::Accept
    );
    e.server.rotate_retry_secret().unwrap();
    assert_eq!(
        e.server.check_client_hello(ADDR, &fresh).unwrap(),
        RetryAction::Drop
    );
}

#[test]
fn shared_secrets_and_given_rotation() {
    let secret = [5u8; 32];
    let a = env_with(10, 0, Some(&secret));
    let b = env_with(10, 0, Some(&secret));
    b.now.store(a.now.load(Ordering::SeqCst), Ordering::SeqCst);
    let (_c, _, _, ch2) = retried(&a, ADDR);
    assert_eq!(
        b.server.check_client_hello(ADDR, &ch2).unwrap(),
        RetryAction::Accept
    );
    let next = [6u8; 32];
    a.server.rotate_retry_secret_to(&next).unwrap();
    b.server.rotate_retry_secret_to(&next).unwrap();
    let (_c, _, _, ch2) = retried(&a, ADDR);
    assert_eq!(
        b.server.check_client_hello(ADDR, &ch2).unwrap(),
        RetryAction::Accept
    );
    assert_eq!(
        a.server.rotate_retry_secret_to(&[0; 31]),
        Err(Error::InvalidLength)
    );
}

#[test]
fn automatic_rotation() {
    let secret = [9u8; 32];
    // Same secret, one rotating every 20 s, one never: they agree until the first rotation.
    let rot = env_with(10, 20, Some(&secret));
    let fixed = env_with(10, 0, Some(&secret));
    let t0 = rot.now.load(Ordering::SeqCst);
    fixed.now.store(t0, Ordering::SeqCst);
    let (_c, _, _, ch2) = retried(&rot, ADDR); // first use starts the clock of the secret
    assert_eq!(
        fixed.server.check_client_hello(ADDR, &ch2).unwrap(),
        RetryAction::Accept
    );
    for e in [&rot, &fixed] {
        e.now.store(t0 + 19, Ordering::SeqCst);
    }
    let (_c, _, _, before) = retried(&rot, ADDR);
    assert_eq!(
        fixed.server.check_client_hello(ADDR, &before).unwrap(),
        RetryAction::Accept
    );
    for e in [&rot, &fixed] {
        e.now.store(t0 + 21, Ordering::SeqCst);
    }
    let (_c, _, _, after) = retried(&rot, ADDR);
    assert_eq!(
        fixed.server.check_client_hello(ADDR, &after).unwrap(),
        RetryAction::Drop,
        "the rotating server has a new secret"
    );
    assert_eq!(
        rot.server.check_client_hello(ADDR, &after).unwrap(),
        RetryAction::Accept
    );
    // The cookie made just before the rotation is still valid (previous secret).
    assert_eq!(
        rot.server.check_client_hello(ADDR, &before).unwrap(),
        RetryAction::Accept
    );
}

#[test]
fn builder_options_are_validated() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let b = ServerConfig::builder(key).unwrap();
    assert_eq!(b.clone().retry(3601).err(), Some(Error::InvalidArgument));
    assert_eq!(
        b.clone().retry_rotation_interval(100).err(),
        Some(Error::InvalidArgument),
        "retry is off"
    );
    assert_eq!(
        b.clone().retry_secret(&[0; 32]).err(),
        Some(Error::InvalidArgument)
    );
    let on = b.clone().retry(10).unwrap();
    assert_eq!(
        on.clone().retry_rotation_interval(19).err(),
        Some(Error::InvalidArgument)
    );
    assert!(on.clone().retry_rotation_interval(20).is_ok());
    assert_eq!(
        on.clone().retry_secret(&[0; 33]).err(),
        Some(Error::InvalidLength)
    );
    assert_eq!(
        on.clone()
            .retry_rotation_interval(20)
            .unwrap()
            .retry(11)
            .err(),
        Some(Error::InvalidArgument)
    );
    assert_eq!(on.build().retry_period(), Some(10));
    let off = on_off(b);
    assert_eq!(off.retry_period(), None);
    assert_eq!(off.rotate_retry_secret(), Err(Error::InvalidArgument));
}

fn on_off(b: gamecrypt::session::ServerConfigBuilder) -> Arc<ServerConfig> {
    b.retry(10).unwrap().retry(0).unwrap().build()
}

#[test]
fn without_retry_every_well_formed_client_hello_is_accepted() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    let server = ServerConfig::builder(key.clone()).unwrap().build();
    let client = ClientConfig::builder(TrustAnchor::PinnedKey(key.public_key().clone()))
        .unwrap()
        .build()
        .unwrap();
    let ch = write(&Session::new_client(client, Mode::Datagram).unwrap());
    assert_eq!(
        server.check_client_hello(ADDR, &ch).unwrap(),
        RetryAction::Accept
    );
    assert_eq!(
        server.check_client_hello(ADDR, &ch[..100]).unwrap(),
        RetryAction::Drop
    );
    let s = Session::new_server_for_address(server, Mode::Datagram, ADDR).unwrap();
    s.read_handshake(&ch).unwrap();
}

#[test]
fn no_reply_to_an_unverified_client_is_larger_than_its_datagram() {
    let e = env();
    let mut seed = 0x1234_5678_9abc_def0u64;
    let mut rnd = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (_c, ch1, _retry, ch2) = retried(&e, ADDR);
    let mut datagrams = vec![ch1.clone(), ch2.clone()];
    for _ in 0..2000 {
        let len = (rnd() % 1500) as usize;
        let mut d: Vec<u8> = (0..len).map(|_| rnd() as u8).collect();
        if rnd() % 2 == 0 && !d.is_empty() {
            d[0] = 0x01;
        }
        if rnd() % 4 == 0 {
            // A real ClientHello with some bytes changed or cut.
            d = ch1.clone();
            let i = (rnd() as usize) % d.len();
            d[i] ^= rnd() as u8;
            d.truncate(1100 + (rnd() as usize) % 200);
        }
        datagrams.push(d);
    }
    let mut retries = 0;
    for d in &datagrams {
        if let RetryAction::SendRetry(r) = e.server.check_client_hello(ADDR, d).unwrap() {
            assert!(r.len() < d.len(), "{} >= {}", r.len(), d.len());
            assert!(d.len() >= 1200);
            retries += 1;
        }
    }
    assert!(retries >= 1);
}

#[test]
fn retry_bit_flips_are_rejected_by_the_client_or_end_in_a_drop() {
    let e = env();
    for bit in 0..76 * 8 {
        // A fresh client for every flip (a failed client stays failed).
        let c = Session::new_client(e.client.clone(), Mode::Datagram).unwrap();
        let ch = write(&c);
        let mut r = retry_of(e.server.check_client_hello(ADDR, &ch).unwrap());
        r[bit / 8] ^= 1 << (bit % 8);
        let byte = bit / 8;
        let result = c.read_handshake(&r);
        if byte >= 36 {
            // Cookie bytes are opaque to the client: it follows, the server drops.
            result.unwrap();
            let ch2 = write(&c);
            assert_eq!(
                e.server.check_client_hello(ADDR, &ch2).unwrap(),
                RetryAction::Drop,
                "bit {bit}"
            );
        } else {
            // Datagram mode: a Retry that fails its checks is dropped (section 12.1).
            assert_eq!(result, Err(DROPPED), "bit {bit}");
            assert_eq!(c.state(), State::NeedRead);
        }
    }
}

#[test]
fn a_client_follows_at_most_one_retry_and_only_while_waiting() {
    let e = env();
    let client = Session::new_client(e.client.clone(), Mode::Datagram).unwrap();
    // Before sending its ClientHello.
    let ch1 = {
        let probe = Session::new_client(e.client.clone(), Mode::Datagram).unwrap();
        write(&probe)
    };
    let foreign = retry_of(e.server.check_client_hello(ADDR, &ch1).unwrap());
    assert_eq!(client.read_handshake(&foreign), Err(Error::WrongState));
    let ch = write(&client);
    // A Retry for another ClientHello: the echoed hash does not match.
    let c2 = Session::new_client(e.client.clone(), Mode::Stream).unwrap();
    let other = write(&c2);
    assert_ne!(other[..CORE_LEN], ch1[..CORE_LEN]);
    assert_eq!(c2.read_handshake(&foreign), Err(Error::HandshakeMalformed));
    // Its own Retry: followed once; a second copy is a late duplicate.
    let retry = retry_of(e.server.check_client_hello(ADDR, &ch).unwrap());
    client.read_handshake(&retry).unwrap();
    let ch2 = write(&client);
    assert_eq!(client.read_handshake(&retry), Err(Error::WrongState));
    assert_eq!(client.state(), State::NeedRead);
    // The server answers the cookie-less first ClientHello with a Retry again, but for the
    // ClientHello with the cookie: accept.
    assert_eq!(
        e.server.check_client_hello(ADDR, &ch2).unwrap(),
        RetryAction::Accept
    );
}

#[test]
fn checks_and_rotations_from_many_threads() {
    let e = env();
    let (_c, _, _, ch2) = retried(&e, ADDR);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..200 {
                    let a = e.server.check_client_hello(ADDR, &ch2).unwrap();
                    assert!(matches!(a, RetryAction::Accept | RetryAction::Drop));
                }
            });
        }
        s.spawn(|| {
            for _ in 0..50 {
                e.server.rotate_retry_secret().unwrap();
            }
        });
    });
    let (_c, _, _, fresh) = retried(&e, ADDR);
    assert_eq!(
        e.server.check_client_hello(ADDR, &fresh).unwrap(),
        RetryAction::Accept
    );
}

#[test]
fn a_late_first_client_hello_does_not_break_the_server_session() {
    let e = env();
    let (client, ch1, _retry, ch2) = retried(&e, ADDR);
    let server = Session::new_server_for_address(e.server.clone(), Mode::Datagram, ADDR).unwrap();
    server.read_handshake(&ch2).unwrap();
    let sh = write(&server);
    // Routed by address to the existing session: ignored, nothing changes.
    assert_eq!(server.read_handshake(&ch1), Err(Error::WrongState));
    assert_eq!(server.read_handshake(&ch2), Err(Error::PacketReplayed));
    assert_eq!(server.state(), State::NeedRead);
    client.read_handshake(&sh).unwrap();
    let fin = write(&client);
    server.read_handshake(&fin).unwrap();
    assert_eq!(server.state(), State::Established);
    // Another client's ClientHello is dropped (datagram mode, section 12.1).
    let (_c2, other, _, _) = retried(&e, ADDR);
    let s2 = Session::new_server_for_address(e.server.clone(), Mode::Datagram, ADDR).unwrap();
    s2.read_handshake(&ch2).unwrap();
    write(&s2);
    assert_eq!(s2.read_handshake(&other), Err(DROPPED));
    assert_eq!(s2.state(), State::NeedRead);
}
