//! A minimal client written from `docs/PROTOCOL.md` alone (sections 4, 7 and 9): it builds its
//! own ClientHello offering one classic suite, checks the ServerHello with the reference rules
//! of [`crate::spec`], and derives the traffic keys itself. Targets use it to seal arbitrary
//! ClientFinished plaintexts under the real c2s key (structure-aware fuzzing of section 21.4)
//! and to talk to the server afterwards. ECDH is aws-lc-rs's (a primitive).

use crate::fixtures::ClientSpec;
use crate::spec::{self, Accepted, Group, PacketKey};
use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey};
use gamecrypt::primitives::random_bytes;
use gamecrypt::session::Suite;
use gamecrypt::Error;

pub struct RefClient {
    pub suite: Suite,
    ephemeral: PrivateKey,
    pub client_hello: Vec<u8>,
}

/// What the reference client knows after a ServerHello it accepted.
pub struct Handshake {
    pub accepted: Accepted,
    pub c2s_secret: [u8; 32],
    pub s2c_secret: [u8; 32],
}

impl Handshake {
    pub fn c2s(&self) -> PacketKey {
        PacketKey::new(self.accepted.suite, &self.c2s_secret)
    }
    pub fn s2c(&self) -> PacketKey {
        PacketKey::new(self.accepted.suite, &self.s2c_secret)
    }
}

fn algorithm(suite: Suite) -> &'static agreement::Algorithm {
    match spec::group(suite) {
        Group::P256 => &agreement::ECDH_P256,
        Group::X25519 => &agreement::X25519,
        Group::Hybrid => panic!("the reference client offers classic suites only"),
    }
}

impl RefClient {
    /// A ClientHello (section 4) offering only `suite` (a classic suite), with these
    /// extensions, padded to 1200 bytes.
    pub fn new(suite: Suite, extensions: &[(u16, &[u8])]) -> RefClient {
        let ephemeral = PrivateKey::generate(algorithm(suite)).expect("ephemeral key");
        let share = ephemeral.compute_public_key().expect("public share");
        let mut random = [0u8; 32];
        random_bytes(&mut random).expect("random");
        let mut m = vec![0x01, 0x00, 0x01];
        m.extend_from_slice(&random);
        m.push(1);
        m.extend_from_slice(&suite.code().to_be_bytes());
        m.extend_from_slice(&(share.as_ref().len() as u16).to_be_bytes());
        m.extend_from_slice(share.as_ref());
        let ext: Vec<u8> = extensions
            .iter()
            .flat_map(|(t, d)| [&t.to_be_bytes()[..], &(d.len() as u16).to_be_bytes(), d].concat())
            .collect();
        m.extend_from_slice(&(ext.len() as u16).to_be_bytes());
        m.extend_from_slice(&ext);
        if m.len() < 1200 {
            m.resize(1200, 0);
        }
        RefClient {
            suite,
            ephemeral,
            client_hello: m,
        }
    }

    /// Section 7 (with `spec` as the trust configuration; its suite list is replaced by the
    /// one suite offered) and section 9.
    pub fn read_server_hello(&self, sh: &[u8], spec: &ClientSpec) -> Result<Handshake, Error> {
        let spec = ClientSpec {
            suites: vec![self.suite],
            ..spec.clone()
        };
        let accepted = spec::server_hello(sh, &self.client_hello, &spec)?;
        // The share sits after the fixed fields and the server's suite list (section 6).
        let m = usize::from(sh[37]);
        let at = 38 + 2 * m;
        let len = usize::from(u16::from_be_bytes([sh[at], sh[at + 1]]));
        let share = &sh[at + 2..at + 2 + len];
        let shared = agreement::agree(
            &self.ephemeral,
            UnparsedPublicKey::new(algorithm(self.suite), share),
            Error::HandshakeMalformed,
            |k| Ok(k.to_vec()),
        )?;
        let th = spec::transcript_hash(&self.client_hello, &sh[..sh.len() - 64]);
        let (c2s_secret, s2c_secret) = spec::traffic_secrets(&shared, th.as_ref());
        Ok(Handshake {
            accepted,
            c2s_secret,
            s2c_secret,
        })
    }
}
