//! Handshake cases (part of the session benchmark harness, see main.rs).

use super::*;

/// Server work only: new session, read ClientHello, write ServerHello (timed); the clients
/// process the ServerHellos and write their ClientFinished (untimed); read ClientFinished,
/// free the session (timed). ClientHellos are generated before, untimed.
pub(crate) struct ServerHandshake<'a> {
    pub(crate) cfg: &'a Configs,
}

impl Case for ServerHandshake<'_> {
    fn run(&mut self, n: u64) -> Duration {
        let n = n as usize;
        let max = GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN;
        let clients: Vec<_> = (0..n).map(|_| new_client(self.cfg)).collect();
        let mut ch = vec![0u8; n * max];
        let mut ch_len = vec![0usize; n];
        for (i, &c) in clients.iter().enumerate() {
            ch_len[i] = write_hs(c, &mut ch[i * max..(i + 1) * max]);
        }
        let mut sh = vec![0u8; n * max];
        let mut sh_len = vec![0usize; n];
        let mut servers = Vec::with_capacity(n);

        let t = Instant::now();
        for i in 0..n {
            let s = new_server(self.cfg);
            read_hs(s, &ch[i * max..i * max + ch_len[i]]);
            sh_len[i] = write_hs(s, &mut sh[i * max..(i + 1) * max]);
            servers.push(s);
        }
        let mut timed = t.elapsed();

        let mut cf = vec![0u8; n * 64];
        let mut cf_len = vec![0usize; n];
        for (i, &c) in clients.iter().enumerate() {
            read_hs(c, &sh[i * max..i * max + sh_len[i]]);
            cf_len[i] = write_hs(c, &mut cf[i * 64..(i + 1) * 64]);
        }

        let t = Instant::now();
        for (i, &s) in servers.iter().enumerate() {
            read_hs(s, &cf[i * 64..i * 64 + cf_len[i]]);
            // SAFETY: live session, freed once.
            unsafe { gamecrypt_session_free(s) };
        }
        timed += t.elapsed();

        for c in clients {
            // SAFETY: live session, freed once.
            unsafe { gamecrypt_session_free(c) };
        }
        timed
    }
}

/// Both sides, every step, including session creation (the client's ephemeral key) and
/// freeing.
pub(crate) struct FullHandshake<'a> {
    pub(crate) cfg: &'a Configs,
    pub(crate) buf: Vec<u8>,
}

impl Case for FullHandshake<'_> {
    fn run(&mut self, n: u64) -> Duration {
        let t = Instant::now();
        for _ in 0..n {
            let (c, s) = handshake_pair(self.cfg, &mut self.buf);
            // SAFETY: live sessions, freed once.
            unsafe {
                gamecrypt_session_free(c);
                gamecrypt_session_free(s);
            }
        }
        t.elapsed()
    }
}

/// The signing half of a raw server identity.
pub(crate) enum RawSigner {
    Ecdsa(signature::EcdsaKeyPair),
    Ed25519(signature::Ed25519KeyPair),
}

/// ML-KEM-768 ciphertext length (FIPS 203).
pub(crate) const MLKEM768_CT_LEN: usize = 1088;
/// The ServerHello ends with a 64-byte signature (fixed r||s or Ed25519), outside the
/// transcript hash.
pub(crate) const SERVER_SIGNATURE_LEN: usize = 64;

/// Raw aws-lc-rs cost of one side's primitives, no encoding (as in the reference figures):
/// server = ephemeral keygen + public key + ECDH + sign(70 bytes) + SHA-256(transcript) + HKDF
/// (extract + 6 expands) + 2 AEAD key setups + seal and open of an empty Finished; client =
/// keygen + public key + ECDH + verify + the same hashing, HKDF, AEAD setups and the seal.
/// Hybrid suites (X25519MLKEM768) add, on the server, parsing the client's ML-KEM-768
/// encapsulation key and one encapsulation; on the client, an ML-KEM-768 key generation, its
/// encapsulation key bytes and one decapsulation. The transcript hashed has the length of
/// the real ClientHello + ServerHello of the suite's configuration.
pub(crate) struct RawSide {
    pub(crate) suite: SuiteId,
    pub(crate) server: bool,
    pub(crate) signer: RawSigner,
    pub(crate) verify_key: Vec<u8>,
    /// The peer's X25519 or P-256 share.
    pub(crate) peer_share: Vec<u8>,
    /// Hybrid, server: a client's ML-KEM-768 encapsulation key.
    pub(crate) peer_ek: Vec<u8>,
    /// Hybrid, client: a server's ML-KEM-768 ciphertext (made for another key: decapsulation
    /// then takes its implicit-rejection path, which costs the same, FIPS 203 is constant
    /// time).
    pub(crate) peer_ct: Vec<u8>,
    pub(crate) signature: Vec<u8>,
    pub(crate) transcript: Vec<u8>,
    pub(crate) rng: rand::SystemRandom,
}

impl RawSide {
    pub(crate) fn new(suite: SuiteId, server: bool, transcript_len: usize) -> RawSide {
        let rng = rand::SystemRandom::new();
        let kx = kx_alg(suite);
        let peer = agreement::PrivateKey::generate(kx).expect("keygen");
        let peer_share = peer.compute_public_key().expect("share").as_ref().to_vec();
        let (mut peer_ek, mut peer_ct) = (Vec::new(), Vec::new());
        if suite.hybrid() {
            let dk = kem::DecapsulationKey::generate(&kem::ML_KEM_768).expect("ML-KEM keygen");
            let ek = dk.encapsulation_key().expect("ek");
            peer_ek = ek.key_bytes().expect("ek bytes").as_ref().to_vec();
            let (ct, _) = ek.encapsulate().expect("encapsulate");
            peer_ct = ct.as_ref().to_vec();
            assert_eq!(peer_ct.len(), MLKEM768_CT_LEN);
        }
        let msg = [7u8; 70];
        let (signer, verify_key, signature) = match suite.key_type() {
            KeyType::EcdsaP256 => {
                let k =
                    signature::EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)
                        .expect("ecdsa keygen");
                use signature::KeyPair;
                let pk = k.public_key().as_ref().to_vec();
                let sig = k.sign(&rng, &msg).expect("sign").as_ref().to_vec();
                (RawSigner::Ecdsa(k), pk, sig)
            }
            _ => {
                let k = signature::Ed25519KeyPair::generate().expect("ed25519 keygen");
                use signature::KeyPair;
                let pk = k.public_key().as_ref().to_vec();
                let sig = k.sign(&msg).as_ref().to_vec();
                (RawSigner::Ed25519(k), pk, sig)
            }
        };
        RawSide {
            suite,
            server,
            signer,
            verify_key,
            peer_share,
            peer_ek,
            peer_ct,
            signature,
            transcript: vec![1u8; transcript_len],
            rng,
        }
    }

    pub(crate) fn one(&self) {
        let kx = kx_alg(self.suite);
        // Hybrid: the ML-KEM part first (client: key generation; server: encapsulation).
        let mut kem_ss = [0u8; 32];
        if self.suite.hybrid() {
            if self.server {
                let ek =
                    kem::EncapsulationKey::new(&kem::ML_KEM_768, &self.peer_ek).expect("ek parse");
                let (ct, ss) = ek.encapsulate().expect("encapsulate");
                black_box(ct.as_ref());
                kem_ss.copy_from_slice(ss.as_ref());
            } else {
                let dk = kem::DecapsulationKey::generate(&kem::ML_KEM_768).expect("ML-KEM keygen");
                let ek = dk.encapsulation_key().expect("ek");
                black_box(ek.key_bytes().expect("ek bytes").as_ref());
                let ss = dk
                    .decapsulate(kem::Ciphertext::from(&self.peer_ct[..]))
                    .expect("decapsulate");
                kem_ss.copy_from_slice(ss.as_ref());
            }
        }
        let eph = agreement::PrivateKey::generate(kx).expect("keygen");
        black_box(eph.compute_public_key().expect("share"));
        let shared = agreement::agree(
            &eph,
            agreement::UnparsedPublicKey::new(kx, &self.peer_share),
            (),
            |s| {
                let mut k = [0u8; 64];
                k[..32].copy_from_slice(&kem_ss);
                k[32..].copy_from_slice(s);
                Ok(k)
            },
        )
        .expect("agree");
        let shared = if self.suite.hybrid() {
            &shared[..]
        } else {
            &shared[32..]
        };
        let th = digest::digest(&digest::SHA256, &self.transcript);
        let msg = [7u8; 70];
        if self.server {
            match &self.signer {
                RawSigner::Ecdsa(k) => black_box(k.sign(&self.rng, &msg).expect("sign")),
                RawSigner::Ed25519(k) => black_box(k.sign(&msg)),
            };
        } else {
            let alg: &dyn signature::VerificationAlgorithm = match self.suite.key_type() {
                KeyType::EcdsaP256 => &signature::ECDSA_P256_SHA256_FIXED,
                _ => &signature::ED25519,
            };
            signature::UnparsedPublicKey::new(alg, &self.verify_key)
                .verify(&msg, &self.signature)
                .expect("verify");
        }
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, th.as_ref()).extract(shared);
        let mut keys = [[0u8; 32]; 6];
        for (i, k) in keys.iter_mut().enumerate() {
            let info = [&[i as u8][..]];
            let okm = prk.expand(&info, hkdf::HKDF_SHA256).expect("expand");
            okm.fill(k).expect("fill");
        }
        let send = LessSafeKey::new(UnboundKey::new(self.suite.aead(), &keys[2]).expect("key"));
        let recv = LessSafeKey::new(UnboundKey::new(self.suite.aead(), &keys[4]).expect("key"));
        let (nonce, aad) = raw_nonce(0);
        let mut fin = [0u8; 16];
        let tag = send
            .seal_in_place_separate_tag(nonce, Aad::from(aad), &mut [])
            .expect("seal");
        fin.copy_from_slice(tag.as_ref());
        if self.server {
            let (nonce, aad) = raw_nonce(0);
            // Stands for opening the client's Finished (the raw server cannot have one made
            // under its fresh key in advance): it opens the 16-byte tag just sealed.
            let ok = send.open_in_place(nonce, Aad::from(aad), &mut fin).is_ok();
            assert!(ok, "raw Finished open");
        }
        black_box((&send, &recv));
    }
}

impl Case for RawSide {
    fn run(&mut self, n: u64) -> Duration {
        let t = Instant::now();
        for _ in 0..n {
            self.one();
        }
        t.elapsed()
    }
}

/// The elliptic-curve group (X25519 for the hybrid suites).
pub(crate) fn kx_alg(suite: SuiteId) -> &'static agreement::Algorithm {
    match suite {
        SuiteId::P256Aes => &agreement::ECDH_P256,
        _ => &agreement::X25519,
    }
}
