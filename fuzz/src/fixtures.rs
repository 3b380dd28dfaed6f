//! Fixed keys, certificates and session configurations, built once per process, and honest
//! handshakes between them.
//!
//! The keys are made from fixed secret scalars so that seeds written by one process (e.g. a
//! certificate body or a re-signed ServerHello body) stay meaningful in the next one.
//! ECDSA signatures are randomized, so certificates issued by a P-256 root differ between
//! processes; nothing relies on their exact bytes.

use crate::spec::Credentials;
use gamecrypt::keys::{KeyType, SigningKey};
use gamecrypt::session::{
    Certificate, ClientAuthMode, ClientAuthRequest, ClientConfig, Mode, ServerConfig, Session,
    State, Suite, TrustAnchor,
};
use std::sync::{Arc, OnceLock};

/// The server name in every certificate, expected by the root-trusting clients that check a
/// name.
pub const SERVER_NAME: &str = "eu-1.game.example";
/// Validity of every certificate (unix seconds, inclusive).
pub const NOT_BEFORE: u64 = 1_700_000_000;
pub const NOT_AFTER: u64 = 2_100_000_000;
/// The clients' clock.
pub const NOW: u64 = 2_000_000_000;

/// SEC1 `ECPrivateKey` for P-256 without the public key: private scalar `[d; 32]`.
fn p256_sec1(d: u8) -> Vec<u8> {
    let mut der = vec![0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20];
    der.extend_from_slice(&[d; 32]);
    der.extend_from_slice(&[
        0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    ]);
    der
}

/// PKCS#8 v1 Ed25519 key (RFC 8410) with seed `[s; 32]`.
fn ed25519_pkcs8(s: u8) -> Vec<u8> {
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(&[s; 32]);
    der
}

/// What a client configuration contains, kept next to it for the reference checks.
#[derive(Clone, Debug)]
pub struct ClientSpec {
    pub anchor: TrustAnchor,
    /// The suites actually offered, in order.
    pub suites: Vec<Suite>,
    pub server_name: Option<&'static str>,
    pub now: u64,
    /// Its client key and token (section 21).
    pub credentials: Credentials,
}

/// A server configuration and its identity key.
pub struct ServerFixture {
    pub config: Arc<ServerConfig>,
    pub key: &'static SigningKey,
    /// The suites it accepts.
    pub suites: Vec<Suite>,
    /// What it asks of clients (signature mode, token mode; (0, 0): nothing).
    pub request: (u8, u8),
}

pub struct ClientFixture {
    pub config: Arc<ClientConfig>,
    pub spec: ClientSpec,
}

pub struct Fixtures {
    pub server_p256: SigningKey,
    pub server_ed25519: SigningKey,
    pub root_p256: SigningKey,
    pub root_ed25519: SigningKey,
    /// Client keys for client authentication (section 21).
    pub client_p256: &'static SigningKey,
    pub client_ed25519: &'static SigningKey,
    /// `certs[server][root]`, index 0 = P-256, 1 = Ed25519.
    pub certs: [[Vec<u8>; 2]; 2],
    pub servers: Vec<ServerFixture>,
    pub clients: Vec<ClientFixture>,
    /// Raw-key servers asking for client authentication, classic suites only: see
    /// [`Fixtures::auth_server`].
    pub auth_servers: Vec<ServerFixture>,
}

/// The token of the clients that have one.
pub const TOKEN: &[u8] = b"login ticket 0123456789";

/// (client, server) index pairs whose handshake succeeds, and the suite they agree on.
pub const PAIRS: [(usize, usize, u16); 13] = [
    (0, 0, 0x0004), // pinned P-256 key, default suites
    (1, 1, 0x0003), // pinned Ed25519 key, default suites
    (2, 0, 0x0004), // pinned fingerprint, P-256, default suites
    (3, 2, 0x0004), // P-256 root, name checked; P-256 server key
    (4, 3, 0x0002), // Ed25519 root, classic suites (X25519 first); Ed25519 server key
    (4, 4, 0x0001), // Ed25519 root; P-256 server key (client prefers X25519)
    (3, 5, 0x0003), // P-256 root; Ed25519 server key
    (5, 1, 0x0002), // pinned fingerprint, Ed25519, classic suites
    (6, 6, 0x0001), // pinned P-256 key, classic suites on both sides
    (7, 7, 0x0002), // pinned Ed25519 key, classic suites on both sides
    (2, 6, 0x0001), // default client offer, classic-only P-256 server
    (8, 8, 0x0004), // client key and token; server asks for both (optional)
    (9, 9, 0x0002), // client key and token; server requires both
];

/// Index in [`PAIRS`] of a classic-suite pair without client authentication per suite code
/// 1..=4 (index 0 unused).
pub const PAIR_OF_SUITE: [usize; 5] = [0, 8, 9, 1, 0];

fn idx(kt: KeyType) -> usize {
    match kt {
        KeyType::EcdsaP256 => 0,
        _ => 1,
    }
}

impl Fixtures {
    pub fn server_key(&self, kt: KeyType) -> &SigningKey {
        [&self.server_p256, &self.server_ed25519][idx(kt)]
    }

    pub fn root_key(&self, kt: KeyType) -> &SigningKey {
        [&self.root_p256, &self.root_ed25519][idx(kt)]
    }

    pub fn cert(&self, server: KeyType, root: KeyType) -> &[u8] {
        &self.certs[idx(server)][idx(root)]
    }

    /// A raw-key server of this key type asking for (signature mode, token mode).
    pub fn auth_server(&self, kt: KeyType, request: (u8, u8)) -> &ServerFixture {
        let (s, t) = request;
        &self.auth_servers[9 * idx(kt) + 3 * usize::from(s % 3) + usize::from(t % 3)]
    }
}

static FIXTURES: OnceLock<Fixtures> = OnceLock::new();

/// The fixtures of this process.
pub fn get() -> &'static Fixtures {
    FIXTURES.get_or_init(build)
}

fn mode(m: u8) -> ClientAuthMode {
    match m {
        0 => ClientAuthMode::None,
        1 => ClientAuthMode::Optional,
        _ => ClientAuthMode::Required,
    }
}

fn build() -> Fixtures {
    let key = |der: Vec<u8>| SigningKey::from_der(&der).expect("fixture key");
    let server_p256 = key(p256_sec1(0x11));
    let server_ed25519 = key(ed25519_pkcs8(0x22));
    let root_p256 = key(p256_sec1(0x33));
    let root_ed25519 = key(ed25519_pkcs8(0x44));
    // The fixtures live for the whole process: leak one copy of each key so that the configs
    // can hand out `&'static` references.
    let leak = |k: SigningKey| -> &'static SigningKey { Box::leak(Box::new(k)) };
    let client_p256 = leak(key(p256_sec1(0x55)));
    let client_ed25519 = leak(key(ed25519_pkcs8(0x66)));
    let issue = |server: &SigningKey, root: &SigningKey| {
        Certificate::issue(
            root,
            server.public_key(),
            SERVER_NAME,
            NOT_BEFORE,
            NOT_AFTER,
        )
        .expect("issue a fixture certificate")
        .as_bytes()
        .to_vec()
    };
    let certs = [
        [
            issue(&server_p256, &root_p256),
            issue(&server_p256, &root_ed25519),
        ],
        [
            issue(&server_ed25519, &root_p256),
            issue(&server_ed25519, &root_ed25519),
        ],
    ];
    let mut f = Fixtures {
        server_p256,
        server_ed25519,
        root_p256,
        root_ed25519,
        client_p256,
        client_ed25519,
        certs,
        servers: Vec::new(),
        clients: Vec::new(),
        auth_servers: Vec::new(),
    };
    let server = |key: &'static SigningKey,
                  cert: Option<&[u8]>,
                  suites: Option<&[Suite]>,
                  request: (u8, u8)| {
        let mut b = ServerConfig::builder(key.clone()).expect("server config");
        if let Some(c) = cert {
            b = b.certificate(c).expect("server certificate");
        }
        if let Some(s) = suites {
            b = b.suites(s).expect("server suites");
        }
        b = b.client_auth(ClientAuthRequest {
            signature: mode(request.0),
            token: mode(request.1),
        });
        let config = b.build();
        let suites = config.suites().to_vec();
        ServerFixture {
            config,
            key,
            suites,
            request,
        }
    };
    let p256 = leak(f.server_p256.clone());
    let ed = leak(f.server_ed25519.clone());
    let classic_p256 = [Suite::P256EcdsaAes256GcmSha256];
    let classic_ed = [Suite::X25519Ed25519ChaCha20Poly1305Sha256];
    f.servers = vec![
        server(p256, None, None, (0, 0)),
        server(ed, None, None, (0, 0)),
        server(
            p256,
            Some(f.cert(KeyType::EcdsaP256, KeyType::EcdsaP256)),
            None,
            (0, 0),
        ),
        server(
            ed,
            Some(f.cert(KeyType::Ed25519, KeyType::Ed25519)),
            None,
            (0, 0),
        ),
        server(
            p256,
            Some(f.cert(KeyType::EcdsaP256, KeyType::Ed25519)),
            None,
            (0, 0),
        ),
        server(
            ed,
            Some(f.cert(KeyType::Ed25519, KeyType::EcdsaP256)),
            None,
            (0, 0),
        ),
        server(p256, None, Some(&classic_p256), (0, 0)),
        server(ed, None, Some(&classic_ed), (0, 0)),
        server(p256, None, None, (1, 1)),
        server(ed, None, Some(&classic_ed), (2, 2)),
    ];
    for (key, suites) in [(p256, &classic_p256[..]), (ed, &classic_ed[..])] {
        for s in 0..3 {
            for t in 0..3 {
                f.auth_servers.push(server(key, None, Some(suites), (s, t)));
            }
        }
    }
    let all = Suite::all().to_vec();
    let x_first = vec![
        Suite::X25519Ed25519ChaCha20Poly1305Sha256,
        Suite::P256EcdsaAes256GcmSha256,
    ];
    let p_first = vec![
        Suite::P256EcdsaAes256GcmSha256,
        Suite::X25519Ed25519ChaCha20Poly1305Sha256,
    ];
    let clock: gamecrypt::session::Clock = Arc::new(|| NOW);
    let client = |anchor: TrustAnchor,
                  suites: &[Suite],
                  name: Option<&'static str>,
                  credentials: Credentials| {
        let mut b = ClientConfig::builder(anchor.clone())
            .expect("client config")
            .suites(suites)
            .expect("client suites")
            .clock(clock.clone());
        if let Some(n) = name {
            b = b.server_name(n).expect("server name");
        } else if matches!(anchor, TrustAnchor::Root(_)) {
            // A root client without a name: the explicit opt-out (PROTOCOL.md section 8).
            b = b.dangerous_accept_any_server_name().expect("any name");
        }
        if let Some(k) = credentials.key {
            b = b.client_key(k.clone()).expect("client key");
        }
        if let Some(t) = &credentials.token {
            b = b.token(t).expect("client token");
        }
        let config = b.build().expect("client config build");
        let spec = ClientSpec {
            anchor,
            suites: config.suites().to_vec(),
            server_name: name,
            now: NOW,
            credentials,
        };
        ClientFixture { config, spec }
    };
    let none = Credentials::default;
    let with = |key: &'static SigningKey| Credentials {
        key: Some(key),
        token: Some(TOKEN.to_vec()),
    };
    let pin = |k: &SigningKey| TrustAnchor::PinnedKey(k.public_key().clone());
    let fp = |k: &SigningKey| TrustAnchor::PinnedFingerprint(*k.public_key().fingerprint());
    f.clients = vec![
        client(pin(p256), &all, None, none()),
        client(pin(ed), &all, None, none()),
        client(fp(p256), &all, None, none()),
        client(
            TrustAnchor::Root(f.root_p256.public_key().clone()),
            &all,
            Some(SERVER_NAME),
            none(),
        ),
        client(
            TrustAnchor::Root(f.root_ed25519.public_key().clone()),
            &x_first,
            None,
            none(),
        ),
        client(fp(ed), &x_first, None, none()),
        client(pin(p256), &classic_p256, None, none()),
        client(pin(ed), &classic_ed, None, none()),
        client(fp(p256), &all, None, with(client_ed25519)),
        client(fp(ed), &p_first, None, with(client_p256)),
    ];
    f
}

/// The next handshake message of `s` (which must have one).
pub fn write(s: &Session) -> Vec<u8> {
    let n = s
        .pending_handshake_len()
        .expect("pending handshake message");
    let mut out = vec![0u8; n];
    let w = s.write_handshake(&mut out).expect("write_handshake");
    assert_eq!(w, n);
    out
}

/// An honest handshake stopped just before the server reads the ClientFinished.
pub struct Flight {
    pub client: Session,
    pub server: Session,
    pub client_hello: Vec<u8>,
    pub server_hello: Vec<u8>,
    pub client_finished: Vec<u8>,
}

/// Runs pair `pair` (an index into [`PAIRS`]) until the client has written its ClientFinished
/// (client established, server waiting for the Finished).
pub fn flight(pair: usize, mode: Mode) -> Flight {
    let f = get();
    let (c, s, suite) = PAIRS[pair % PAIRS.len()];
    let client = Session::new_client(f.clients[c].config.clone(), mode).expect("new_client");
    let server = Session::new_server(f.servers[s].config.clone(), mode);
    let client_hello = write(&client);
    server
        .read_handshake(&client_hello)
        .expect("server reads an honest ClientHello");
    let server_hello = write(&server);
    client
        .read_handshake(&server_hello)
        .expect("client reads an honest ServerHello");
    let client_finished = write(&client);
    assert_eq!(client.state(), State::Established);
    assert_eq!(client.suite().map(|s| s.code()), Ok(suite), "pair {pair}");
    assert_eq!(server.state(), State::NeedRead);
    Flight {
        client,
        server,
        client_hello,
        server_hello,
        client_finished,
    }
}

/// An established pair (the server has read the honest ClientFinished).
pub fn established(pair: usize, mode: Mode) -> Flight {
    let fl = flight(pair, mode);
    fl.server
        .read_handshake(&fl.client_finished)
        .expect("server reads an honest ClientFinished");
    if fl.server.state() == State::NeedAccept {
        fl.server.accept().expect("accept");
    }
    assert_eq!(fl.server.state(), State::Established);
    fl
}
