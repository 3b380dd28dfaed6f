//! Sessions through the C ABI (part of the session benchmark harness, see main.rs).

use super::*;

pub(crate) fn check(r: gamecrypt_result, what: &str) {
    assert_eq!(r, gamecrypt_result::Ok, "{what}");
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SuiteId {
    P256Aes,
    X25519ChaCha,
    HybridEd25519ChaCha,
    HybridP256Aes,
}

impl SuiteId {
    /// Every suite, each pinned explicitly on both sides (the library's default client offer
    /// puts the hybrid suites first: no figure here depends on that default).
    pub(crate) const ALL: [SuiteId; 4] = [
        SuiteId::P256Aes,
        SuiteId::X25519ChaCha,
        SuiteId::HybridEd25519ChaCha,
        SuiteId::HybridP256Aes,
    ];
    /// The classic suites: one per AEAD. Packet protection does not depend on the key
    /// exchange, so the packet figures use these.
    pub(crate) const CLASSIC: [SuiteId; 2] = [SuiteId::P256Aes, SuiteId::X25519ChaCha];

    pub(crate) fn label(self) -> &'static str {
        self.suite().name()
    }
    pub(crate) fn suite(self) -> Suite {
        match self {
            SuiteId::P256Aes => Suite::P256EcdsaAes256GcmSha256,
            SuiteId::X25519ChaCha => Suite::X25519Ed25519ChaCha20Poly1305Sha256,
            SuiteId::HybridEd25519ChaCha => Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
            SuiteId::HybridP256Aes => Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
        }
    }
    pub(crate) fn hybrid(self) -> bool {
        self.suite().is_post_quantum()
    }
    pub(crate) fn aead_label(self) -> &'static str {
        match self.key_type() {
            KeyType::EcdsaP256 => "AES-256-GCM",
            _ => "ChaCha20-Poly1305",
        }
    }
    pub(crate) fn key_type(self) -> KeyType {
        self.suite().key_type()
    }
    pub(crate) fn code(self) -> gamecrypt_suite {
        gamecrypt_suite::from(self.suite().code())
    }
    pub(crate) fn aead(self) -> &'static aead::Algorithm {
        match self.key_type() {
            KeyType::EcdsaP256 => &aead::AES_256_GCM,
            _ => &aead::CHACHA20_POLY1305,
        }
    }
}

/// Optional features of a configuration pair (the memory section measures each).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Variant {
    /// The client trusts the server key's fingerprint instead of pinning the key itself.
    pub(crate) fingerprint: bool,
    /// The server requires a client signature and a client token (section 21); the client
    /// has a key of the suite's type and a 32-byte token; the server accepts every client.
    pub(crate) client_auth: bool,
    /// The server uses retry cookies (section 22): each handshake starts with the stateless
    /// check, a Retry and a second ClientHello with the cookie.
    pub(crate) retry: bool,
}

impl Variant {
    pub(crate) fn label(self) -> &'static str {
        match (self.fingerprint, self.client_auth, self.retry) {
            (false, false, false) => "pinned key",
            (true, false, false) => "client pins the fingerprint",
            (false, true, false) => "server requires client signature + 32-byte token",
            (false, false, true) => "server uses retry cookies",
            _ => "combined",
        }
    }
}

/// The client's address as the retry check sees it (any stable byte string).
pub(crate) const CLIENT_ADDRESS: [u8; 6] = [127, 0, 0, 1, 0x30, 0x39];

/// A server and a client configuration (C handles) for one suite: the server's identity key
/// is fresh, the client pins it (or its fingerprint).
pub(crate) struct Configs {
    pub(crate) server: *mut gamecrypt_server_config,
    pub(crate) client: *mut gamecrypt_client_config,
    pub(crate) variant: Variant,
}

impl Configs {
    pub(crate) fn new(suite: SuiteId) -> Configs {
        Configs::with(suite, Variant::default())
    }

    pub(crate) fn with(suite: SuiteId, variant: Variant) -> Configs {
        let key = SigningKey::generate(suite.key_type()).expect("key generation");
        let pkcs8 = key.to_pkcs8_der().expect("PKCS#8 export");
        let spki = key.public_key().spki_der();
        let fingerprint = key.public_key().fingerprint().to_vec();
        let client_pkcs8 = SigningKey::generate(suite.key_type())
            .and_then(|k| k.to_pkcs8_der())
            .expect("client key");
        let token = [0x7au8; 32];
        let mut identity = std::ptr::null_mut();
        let mut client_key = std::ptr::null_mut();
        let mut server_key = std::ptr::null_mut();
        let mut sb = std::ptr::null_mut();
        let mut server = std::ptr::null_mut();
        let mut cb = std::ptr::null_mut();
        let mut client = std::ptr::null_mut();
        let code = [suite.code()];
        // SAFETY: valid buffers and out-pointers; handles are used as documented.
        unsafe {
            check(
                gamecrypt_signing_key_from_der(pkcs8.as_ptr(), pkcs8.len(), &mut identity),
                "identity key",
            );
            check(
                gamecrypt_public_key_from_spki_der(spki.as_ptr(), spki.len(), &mut server_key),
                "server public key",
            );
            check(
                gamecrypt_server_config_builder_new(identity, &mut sb),
                "server builder",
            );
            check(
                gamecrypt_server_config_builder_set_suites(sb, code.as_ptr(), 1),
                "server suites",
            );
            if variant.client_auth {
                check(
                    gamecrypt_server_config_builder_set_client_auth(
                        sb,
                        GAMECRYPT_CLIENT_AUTH_REQUIRED,
                        GAMECRYPT_CLIENT_AUTH_REQUIRED,
                    ),
                    "client auth",
                );
            }
            if variant.retry {
                check(
                    gamecrypt_server_config_builder_set_retry(
                        sb,
                        GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS,
                    ),
                    "retry",
                );
            }
            check(
                gamecrypt_server_config_builder_build(sb, &mut server),
                "server config",
            );
            gamecrypt_server_config_builder_free(sb);
            if variant.fingerprint {
                check(
                    gamecrypt_client_config_builder_new_pinned_fingerprint(
                        fingerprint.as_ptr(),
                        fingerprint.len(),
                        &mut cb,
                    ),
                    "client builder",
                );
            } else {
                check(
                    gamecrypt_client_config_builder_new_pinned_key(server_key, &mut cb),
                    "client builder",
                );
            }
            check(
                gamecrypt_client_config_builder_set_suites(cb, code.as_ptr(), 1),
                "client suites",
            );
            if variant.client_auth {
                check(
                    gamecrypt_signing_key_from_der(
                        client_pkcs8.as_ptr(),
                        client_pkcs8.len(),
                        &mut client_key,
                    ),
                    "client key",
                );
                check(
                    gamecrypt_client_config_builder_set_client_key(cb, client_key),
                    "client key",
                );
                check(
                    gamecrypt_client_config_builder_set_token(cb, token.as_ptr(), token.len()),
                    "client token",
                );
                gamecrypt_signing_key_free(client_key);
            }
            check(
                gamecrypt_client_config_builder_build(cb, &mut client),
                "client config",
            );
            gamecrypt_client_config_builder_free(cb);
            // The configurations keep their own references to the keys.
            gamecrypt_signing_key_free(identity);
            gamecrypt_public_key_free(server_key);
        }
        Configs {
            server,
            client,
            variant,
        }
    }
}

impl Drop for Configs {
    fn drop(&mut self) {
        // SAFETY: handles created in `new`, freed once.
        unsafe {
            gamecrypt_server_config_free(self.server);
            gamecrypt_client_config_free(self.client);
        }
    }
}

pub(crate) const MODE: gamecrypt_session_mode = GAMECRYPT_SESSION_MODE_DATAGRAM;

/// A fresh client session (its ClientHello is ready).
pub(crate) fn new_client(cfg: &Configs) -> *mut gamecrypt_session {
    let mut c = std::ptr::null_mut();
    // SAFETY: valid config handle and out-pointer.
    check(
        unsafe { gamecrypt_session_new_client(cfg.client, MODE, &mut c) },
        "new client",
    );
    c
}

/// A fresh server session (for `CLIENT_ADDRESS` when the server uses retry cookies).
pub(crate) fn new_server(cfg: &Configs) -> *mut gamecrypt_session {
    let mut s = std::ptr::null_mut();
    // SAFETY: valid config handle, address and out-pointer.
    let r = unsafe {
        if cfg.variant.retry {
            gamecrypt_session_new_server_for_address(
                cfg.server,
                MODE,
                CLIENT_ADDRESS.as_ptr(),
                CLIENT_ADDRESS.len(),
                &mut s,
            )
        } else {
            gamecrypt_session_new_server(cfg.server, MODE, &mut s)
        }
    };
    check(r, "new server");
    s
}

/// The stateless retry check of a datagram from `CLIENT_ADDRESS`: (action, Retry length).
pub(crate) fn check_client_hello(cfg: &Configs, datagram: &[u8], retry: &mut [u8]) -> (u32, usize) {
    let (mut len, mut action) = (0, 0);
    // SAFETY: valid config handle, buffers and out-pointers.
    let r = unsafe {
        gamecrypt_server_config_check_client_hello(
            cfg.server,
            CLIENT_ADDRESS.as_ptr(),
            CLIENT_ADDRESS.len(),
            datagram.as_ptr(),
            datagram.len(),
            retry.as_mut_ptr(),
            retry.len(),
            &mut len,
            &mut action,
        )
    };
    check(r, "check ClientHello");
    (action, len)
}

/// Writes `session`'s next handshake message into `buf`; returns its length.
pub(crate) fn write_hs(session: *mut gamecrypt_session, buf: &mut [u8]) -> usize {
    let mut n = 0;
    // SAFETY: live session, valid buffer.
    check(
        unsafe { gamecrypt_session_write_handshake(session, buf.as_mut_ptr(), buf.len(), &mut n) },
        "write handshake",
    );
    n
}

pub(crate) fn read_hs(session: *mut gamecrypt_session, msg: &[u8]) {
    // SAFETY: live session, valid buffer.
    check(
        unsafe { gamecrypt_session_read_handshake(session, msg.as_ptr(), msg.len()) },
        "read handshake",
    );
}

/// Runs the complete handshake of a new client and a new server; returns (client, server).
/// With retry cookies it starts with the stateless check, the Retry and the second
/// ClientHello; with client authentication the server accepts the client at the end.
pub(crate) fn handshake_pair(
    cfg: &Configs,
    buf: &mut [u8],
) -> (*mut gamecrypt_session, *mut gamecrypt_session) {
    let c = new_client(cfg);
    let mut n = write_hs(c, buf);
    if cfg.variant.retry {
        let mut retry = [0u8; GAMECRYPT_RETRY_LEN];
        let (action, len) = check_client_hello(cfg, &buf[..n], &mut retry);
        assert_eq!(action, GAMECRYPT_RETRY_ACTION_SEND_RETRY);
        read_hs(c, &retry[..len]);
        n = write_hs(c, buf);
        let (action, _) = check_client_hello(cfg, &buf[..n], &mut retry);
        assert_eq!(action, GAMECRYPT_RETRY_ACTION_ACCEPT);
    }
    let s = new_server(cfg);
    read_hs(s, &buf[..n]);
    let n = write_hs(s, buf);
    read_hs(c, &buf[..n]);
    let n = write_hs(c, buf);
    read_hs(s, &buf[..n]);
    if cfg.variant.client_auth {
        // SAFETY: live session.
        check(unsafe { gamecrypt_session_accept(s) }, "accept");
    }
    (c, s)
}

/// The lengths of the ClientHello and the ServerHello of one handshake with `cfg`.
pub(crate) fn hello_sizes(cfg: &Configs) -> (usize, usize) {
    let mut buf = vec![0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
    let c = new_client(cfg);
    let s = new_server(cfg);
    let ch = write_hs(c, &mut buf);
    read_hs(s, &buf[..ch]);
    let sh = write_hs(s, &mut buf);
    // SAFETY: live sessions, freed once.
    unsafe {
        gamecrypt_session_free(c);
        gamecrypt_session_free(s);
    }
    (ch, sh)
}

/// An established client/server pair, freed on drop.
pub(crate) struct Pair {
    pub(crate) client: *mut gamecrypt_session,
    pub(crate) server: *mut gamecrypt_session,
}

impl Pair {
    pub(crate) fn new(cfg: &Configs) -> Pair {
        let mut buf = vec![0u8; GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN];
        let (client, server) = handshake_pair(cfg, &mut buf);
        // SAFETY: live sessions.
        unsafe {
            assert_eq!(
                gamecrypt_session_get_state(client),
                GAMECRYPT_SESSION_STATE_ESTABLISHED
            );
            assert_eq!(
                gamecrypt_session_get_state(server),
                GAMECRYPT_SESSION_STATE_ESTABLISHED
            );
        }
        Pair { client, server }
    }
}

impl Pair {
    /// One empty packet each way (untimed). A sender may start a key update only once a
    /// packet from its peer opened under its current key generation (docs/PROTOCOL.md
    /// sections 17.3 and 18); with one-way traffic, an AES-256-GCM sender would stop with
    /// KEY_UPDATE_BLOCKED after 2^23 packets. The timed cases call this between batches or
    /// chunks, as an application's return traffic would.
    pub(crate) fn exchange(&self) {
        let mut pkt = [0u8; GAMECRYPT_PACKET_OVERHEAD];
        let mut out = [0u8; 1];
        for (from, to) in [(self.client, self.server), (self.server, self.client)] {
            let mut len = 0;
            // SAFETY: live sessions, valid non-overlapping buffers.
            unsafe {
                check(
                    gamecrypt_session_seal(
                        from,
                        std::ptr::null(),
                        0,
                        pkt.as_mut_ptr(),
                        pkt.len(),
                        &mut len,
                    ),
                    "exchange seal",
                );
                check(
                    gamecrypt_session_open(to, pkt.as_ptr(), len, out.as_mut_ptr(), 0, &mut len),
                    "exchange open",
                );
            }
        }
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        // SAFETY: sessions created in `new`, freed once.
        unsafe {
            gamecrypt_session_free(self.client);
            gamecrypt_session_free(self.server);
        }
    }
}

pub(crate) type SealFn = unsafe extern "C" fn(
    *const gamecrypt_session,
    *const u8,
    usize,
    *mut u8,
    usize,
    *mut usize,
) -> gamecrypt_result;

/// The C ABI functions as opaque function pointers: each call is a real call, as from C.
pub(crate) fn seal_fn() -> SealFn {
    black_box(gamecrypt_session_seal as SealFn)
}
pub(crate) fn open_fn() -> SealFn {
    black_box(gamecrypt_session_open as SealFn)
}

/// Room for the packets an open batch consumes, sealed just before the timed opens.
pub(crate) const CHUNK_BYTES: usize = 256 * 1024;

/// Two buffers in one allocation, placed so that the data area of the second starts half a
/// page (2048 bytes modulo 4096) after the first. Buffers allocated back to back can end up
/// at a distance that is a multiple of 4096 plus a few bytes; on this machine's CPU (AMD Zen 3)
/// glibc's `memcpy` of 16 KB then takes ~6 us instead of ~0.2 us (4K aliasing in `rep movsb`),
/// which would be measured as "gamecrypt overhead" although it is an accident of placement.
pub(crate) struct TwoBuffers {
    pub(crate) mem: Vec<u8>,
    pub(crate) a_len: usize,
    pub(crate) b_start: usize,
    pub(crate) b_len: usize,
}

impl TwoBuffers {
    /// `b_data` is where the interesting data starts inside the second buffer (the packet
    /// header length for a sealed packet).
    pub(crate) fn new(a_len: usize, b_len: usize, b_data: usize) -> TwoBuffers {
        let b_start = a_len.next_multiple_of(4096) + 2048 - b_data;
        TwoBuffers {
            mem: vec![0; b_start + b_len],
            a_len,
            b_start,
            b_len,
        }
    }

    pub(crate) fn split(&mut self) -> (&mut [u8], &mut [u8]) {
        let (a, b) = self.mem.split_at_mut(self.b_start);
        (&mut a[..self.a_len], &mut b[..self.b_len])
    }
}

/// `gamecrypt_session_seal` from the client, `size`-byte payloads, into one output buffer.
pub(crate) struct GcSeal {
    pub(crate) pair: Pair,
    pub(crate) seal: SealFn,
    /// Plaintext, then the packet buffer.
    pub(crate) bufs: TwoBuffers,
}

impl GcSeal {
    pub(crate) fn new(cfg: &Configs, size: usize) -> GcSeal {
        let mut bufs = TwoBuffers::new(
            size,
            size + GAMECRYPT_PACKET_OVERHEAD,
            GAMECRYPT_PACKET_HEADER_LEN,
        );
        bufs.split().0.fill(0x5a);
        GcSeal {
            pair: Pair::new(cfg),
            seal: seal_fn(),
            bufs,
        }
    }
}

impl Case for GcSeal {
    fn run(&mut self, n: u64) -> Duration {
        self.pair.exchange();
        let (seal, s) = (self.seal, self.pair.client);
        let (pt, out) = self.bufs.split();
        let mut len = 0;
        let t = Instant::now();
        for _ in 0..n {
            // SAFETY: live session, valid non-overlapping buffers.
            let r = unsafe {
                seal(
                    s,
                    pt.as_ptr(),
                    pt.len(),
                    out.as_mut_ptr(),
                    out.len(),
                    &mut len,
                )
            };
            if r != gamecrypt_result::Ok {
                panic!("seal: {r:?}");
            }
        }
        let e = t.elapsed();
        black_box(&out);
        e
    }
}

/// `gamecrypt_session_open` on the server of packets the client sealed just before
/// (untimed) in chunks of at most `CHUNK_BYTES`: each opened packet is fresh and in order.
pub(crate) struct GcOpen {
    pub(crate) pair: Pair,
    pub(crate) seal: SealFn,
    pub(crate) open: SealFn,
    pub(crate) plaintext: Vec<u8>,
    /// The chunk of sealed packets, then the plaintext output buffer.
    pub(crate) bufs: TwoBuffers,
}

impl GcOpen {
    pub(crate) fn new(cfg: &Configs, size: usize) -> GcOpen {
        let pkt = size + GAMECRYPT_PACKET_OVERHEAD;
        let per_chunk = (CHUNK_BYTES / pkt).max(1);
        GcOpen {
            pair: Pair::new(cfg),
            seal: seal_fn(),
            open: open_fn(),
            plaintext: vec![0x5a; size],
            bufs: TwoBuffers::new(per_chunk * pkt, size, 0),
        }
    }
}

impl Case for GcOpen {
    fn run(&mut self, n: u64) -> Duration {
        let pkt = self.plaintext.len() + GAMECRYPT_PACKET_OVERHEAD;
        let (c, s, seal, open) = (self.pair.client, self.pair.server, self.seal, self.open);
        let pt = &self.plaintext;
        let (chunk, out) = self.bufs.split();
        let per_chunk = (chunk.len() / pkt) as u64;
        let mut total = Duration::ZERO;
        let mut left = n;
        while left > 0 {
            self.pair.exchange();
            let k = left.min(per_chunk) as usize;
            for slot in chunk.chunks_exact_mut(pkt).take(k) {
                let mut len = 0;
                // SAFETY: live session, valid non-overlapping buffers.
                let r = unsafe {
                    seal(
                        c,
                        pt.as_ptr(),
                        pt.len(),
                        slot.as_mut_ptr(),
                        slot.len(),
                        &mut len,
                    )
                };
                assert_eq!(r, gamecrypt_result::Ok, "seal");
            }
            let t = Instant::now();
            for p in chunk.chunks_exact(pkt).take(k) {
                let mut len = 0;
                // SAFETY: live session, valid non-overlapping buffers.
                let r = unsafe {
                    open(
                        s,
                        p.as_ptr(),
                        p.len(),
                        out.as_mut_ptr(),
                        out.len(),
                        &mut len,
                    )
                };
                if r != gamecrypt_result::Ok {
                    panic!("open: {r:?}");
                }
            }
            total += t.elapsed();
            black_box(&out);
            left -= k as u64;
        }
        total
    }
}

/// An established pair made with the safe Rust API (no C ABI), for the overhead breakdown.
pub(crate) fn rust_pair(suite: SuiteId) -> (Session, Session) {
    session_support::established_suite(suite.suite(), Mode::Datagram)
}

/// One empty packet each way with the Rust API (see `Pair::exchange`).
pub(crate) fn exchange(client: &Session, server: &Session) {
    let mut pkt = [0u8; GAMECRYPT_PACKET_OVERHEAD];
    let mut out = [0u8; 0];
    for (from, to) in [(client, server), (server, client)] {
        let n = from.seal(&[], &mut pkt).expect("exchange seal");
        to.open(&pkt[..n], &mut out).expect("exchange open");
    }
}

/// `Session::seal` (Rust API), laid out like `GcSeal`.
pub(crate) struct RustSeal {
    pub(crate) client: Session,
    pub(crate) server: Session,
    pub(crate) bufs: TwoBuffers,
}

impl Case for RustSeal {
    fn run(&mut self, n: u64) -> Duration {
        exchange(&self.client, &self.server);
        let (pt, out) = self.bufs.split();
        let t = Instant::now();
        for _ in 0..n {
            if let Err(e) = self.client.seal(pt, out) {
                panic!("seal: {e:?}");
            }
        }
        let e = t.elapsed();
        black_box(&out);
        e
    }
}

/// `Session::open` (Rust API) of packets sealed just before, chunked like `GcOpen`.
pub(crate) struct RustOpen {
    pub(crate) client: Session,
    pub(crate) server: Session,
    pub(crate) plaintext: Vec<u8>,
    pub(crate) bufs: TwoBuffers,
}

impl Case for RustOpen {
    fn run(&mut self, n: u64) -> Duration {
        let pkt = self.plaintext.len() + GAMECRYPT_PACKET_OVERHEAD;
        let (chunk, out) = self.bufs.split();
        let per_chunk = (chunk.len() / pkt) as u64;
        let mut total = Duration::ZERO;
        let mut left = n;
        while left > 0 {
            exchange(&self.client, &self.server);
            let k = left.min(per_chunk) as usize;
            for slot in chunk.chunks_exact_mut(pkt).take(k) {
                self.client.seal(&self.plaintext, slot).expect("seal");
            }
            let t = Instant::now();
            for p in chunk.chunks_exact(pkt).take(k) {
                if let Err(e) = self.server.open(p, out) {
                    panic!("open: {e:?}");
                }
            }
            total += t.elapsed();
            black_box(&out);
            left -= k as u64;
        }
        total
    }
}

/// Raw aws-lc-rs: the same AEAD, a counter nonce, an 8-byte AAD.
pub(crate) fn raw_key(suite: SuiteId) -> LessSafeKey {
    let mut k = [0u8; 32];
    rand::fill(&mut k).expect("random");
    LessSafeKey::new(UnboundKey::new(suite.aead(), &k).expect("key"))
}

pub(crate) fn raw_nonce(ctr: u64) -> (Nonce, [u8; 8]) {
    let mut n = [0u8; 12];
    n[4..].copy_from_slice(&ctr.to_be_bytes());
    let mut aad = ctr.to_be_bytes();
    aad[0] = 0x40;
    (Nonce::assume_unique_for_key(n), aad)
}

/// `LessSafeKey::seal_in_place_separate_tag`, in place in one buffer.
pub(crate) struct RawSeal {
    pub(crate) key: LessSafeKey,
    pub(crate) buf: Vec<u8>,
    pub(crate) ctr: u64,
}

impl Case for RawSeal {
    fn run(&mut self, n: u64) -> Duration {
        let t = Instant::now();
        for _ in 0..n {
            let (nonce, aad) = raw_nonce(self.ctr);
            self.ctr += 1;
            let tag = self
                .key
                .seal_in_place_separate_tag(nonce, Aad::from(aad), &mut self.buf)
                .expect("raw seal");
            black_box(&tag);
        }
        t.elapsed()
    }
}

/// What gamecrypt's seal does to the bytes, without the session: copy the plaintext behind an
/// 8-byte header in the packet buffer, seal it in place there, copy the tag after it.
pub(crate) struct RawCopySeal {
    pub(crate) key: LessSafeKey,
    /// Plaintext, then the packet buffer (laid out like `GcSeal`).
    pub(crate) bufs: TwoBuffers,
    pub(crate) ctr: u64,
}

impl Case for RawCopySeal {
    fn run(&mut self, n: u64) -> Duration {
        let (pt, out) = self.bufs.split();
        let size = pt.len();
        let t = Instant::now();
        for _ in 0..n {
            let (nonce, aad) = raw_nonce(self.ctr);
            self.ctr += 1;
            let (head, rest) = out.split_at_mut(GAMECRYPT_PACKET_HEADER_LEN);
            let (body, tag_out) = rest.split_at_mut(size);
            head.copy_from_slice(&aad);
            body.copy_from_slice(pt);
            let tag = self
                .key
                .seal_in_place_separate_tag(nonce, Aad::from(aad), body)
                .expect("raw seal");
            tag_out.copy_from_slice(tag.as_ref());
        }
        let e = t.elapsed();
        black_box(&out);
        e
    }
}

/// `LessSafeKey::open_in_place` of ciphertext||tag sealed just before (untimed), chunked
/// like `GcOpen`.
pub(crate) struct RawOpen {
    pub(crate) key: LessSafeKey,
    pub(crate) size: usize,
    pub(crate) chunk: Vec<u8>,
    pub(crate) ctr: u64,
}

impl RawOpen {
    pub(crate) fn new(suite: SuiteId, size: usize) -> RawOpen {
        let slot = size + aead::MAX_TAG_LEN;
        let per_chunk = (CHUNK_BYTES / (size + GAMECRYPT_PACKET_OVERHEAD)).max(1);
        RawOpen {
            key: raw_key(suite),
            size,
            chunk: vec![0; per_chunk * slot],
            ctr: 0,
        }
    }
}

impl Case for RawOpen {
    fn run(&mut self, n: u64) -> Duration {
        let slot = self.size + aead::MAX_TAG_LEN;
        let per_chunk = (self.chunk.len() / slot) as u64;
        let mut total = Duration::ZERO;
        let mut left = n;
        while left > 0 {
            let k = left.min(per_chunk) as usize;
            let first = self.ctr;
            for (i, s) in self.chunk.chunks_exact_mut(slot).take(k).enumerate() {
                let (nonce, aad) = raw_nonce(first + i as u64);
                let (body, tag_out) = s.split_at_mut(self.size);
                body.fill(0x5a);
                let tag = self
                    .key
                    .seal_in_place_separate_tag(nonce, Aad::from(aad), body)
                    .expect("raw seal");
                tag_out.copy_from_slice(tag.as_ref());
            }
            let t = Instant::now();
            for (i, s) in self.chunk.chunks_exact_mut(slot).take(k).enumerate() {
                let (nonce, aad) = raw_nonce(first + i as u64);
                let pt = self
                    .key
                    .open_in_place(nonce, Aad::from(aad), s)
                    .expect("raw open");
                black_box(pt);
            }
            total += t.elapsed();
            self.ctr += k as u64;
            left -= k as u64;
        }
        total
    }
}
