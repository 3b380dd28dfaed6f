//! Handshake messages, transcript and key schedule (see `docs/PROTOCOL.md`).

use crate::error::{Error, Result};
use crate::keys::{KeyType, PublicKey};
use crate::session::cert::Certificate;
use crate::session::clientauth::ClientAuthRequest;
use crate::session::config::{ClientConfig, Identity, ServerConfig, TrustAnchor};
use crate::session::retry;
use crate::session::suite::{identity_key_len, server_exchange, Entropy, Ephemeral, Suite};
use crate::sigcheck;
use aws_lc_rs::digest;
use aws_lc_rs::hmac;
use zeroize::Zeroizing;

/// Protocol version 1.
pub(crate) const VERSION: u16 = 0x0001;
/// Message type bytes.
pub(crate) const MSG_CLIENT_HELLO: u8 = 0x01;
pub(crate) const MSG_SERVER_HELLO: u8 = 0x02;
pub(crate) const MSG_CLIENT_FINISHED: u8 = 0x03;
/// A ClientHello is padded with zero bytes to at least this length (anti-amplification).
pub(crate) const CLIENT_HELLO_MIN_LEN: usize = 1200;
/// A ClientHello offering a hybrid suite is padded to at least this length, and a server
/// chooses a hybrid suite only from a ClientHello this long (section 20.2).
pub(crate) const CLIENT_HELLO_MIN_LEN_HYBRID: usize = 2048;
/// No handshake message may be longer than this.
pub(crate) const MAX_HANDSHAKE_LEN: usize = 4096;
/// Most suites a hello may list.
pub(crate) const MAX_SUITES: usize = 16;
pub(crate) const RANDOM_LEN: usize = 32;
/// Length of the server's signature (ECDSA P-256 r||s or Ed25519).
pub(crate) const SIGNATURE_LEN: usize = 64;
/// Identity field types of the ServerHello.
pub(crate) const IDENTITY_RAW_KEY: u8 = 0x01;
pub(crate) const IDENTITY_CERTIFICATE: u8 = 0x02;
/// Domain-separation prefix of the server's handshake signature.
pub(crate) const SERVER_SIGNATURE_CONTEXT: &[u8] = b"gamecrypt session v1 server signature\x00";
/// HKDF labels (info strings).
pub(crate) const LABEL_C2S: &[u8] = b"gamecrypt v1 c2s";
pub(crate) const LABEL_S2C: &[u8] = b"gamecrypt v1 s2c";

/// A bounds-checked big-endian reader; every method returns `None` when out of bytes.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf }
    }
    pub(crate) fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.buf.len() {
            return None;
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Some(head)
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }
    pub(crate) fn u16(&mut self) -> Option<u16> {
        self.bytes(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.bytes(8)?);
        Some(u64::from_be_bytes(a))
    }
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        self.bytes(self.buf.len()).unwrap_or_default()
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
    pub(crate) fn rest_len(&self) -> usize {
        self.buf.len()
    }
}

fn put_u16(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u16).to_be_bytes());
}

/// Parses an extension block (u16 type, u16 length, data)*; duplicates are malformed.
pub(crate) fn parse_extensions(block: &[u8]) -> Option<Vec<(u16, &[u8])>> {
    let mut r = Reader::new(block);
    let mut out: Vec<(u16, &[u8])> = Vec::new();
    while !r.is_empty() {
        let t = r.u16()?;
        let len = r.u16()? as usize;
        let data = r.bytes(len)?;
        if out.iter().any(|(seen, _)| *seen == t) {
            return None;
        }
        out.push((t, data));
    }
    Some(out)
}

/// Are all bytes zero? (An OR over all of them, which the compiler vectorizes: the padding
/// of a ClientHello is about 1,000 bytes.)
fn all_zero(bytes: &[u8]) -> bool {
    bytes.iter().fold(0u8, |acc, &b| acc | b) == 0
}

/// SHA-256 of the concatenation of `parts`.
pub(crate) fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut ctx = digest::Context::new(&digest::SHA256);
    for p in parts {
        ctx.update(p);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// `signed_message` of section 6: the context string, then the transcript hash (70 bytes).
fn server_signed_message(th: &[u8; 32]) -> [u8; 70] {
    let mut m = [0u8; 70];
    m[..SERVER_SIGNATURE_CONTEXT.len()].copy_from_slice(SERVER_SIGNATURE_CONTEXT);
    m[SERVER_SIGNATURE_CONTEXT.len()..].copy_from_slice(th);
    m
}

/// The traffic secrets of the key schedule: the input of the packet protection and of the
/// key update (section 17). The traffic keys are derived from them once, by the send and
/// receive halves (`transport::traffic_keys`).
pub(crate) struct Schedule {
    pub(crate) c2s_secret: Zeroizing<[u8; 32]>,
    pub(crate) s2c_secret: Zeroizing<[u8; 32]>,
}

/// PRK = HKDF-Extract(salt = transcript hash, IKM = shared secret (32 bytes, 64 for the
/// hybrid group)); c2s/s2c secret = HKDF-Expand(PRK, label, 32); key = Expand(secret,
/// "… key", 32); iv = Expand(secret, "… iv", 12).
///
/// Written with HMAC as section 1 allows (HKDF-Expand with L = 32 is one HMAC of
/// `label || 0x01`): the PRK's HMAC key is set up once for both secrets, where aws-lc-rs'
/// HKDF would repeat the extract for each expansion.
pub(crate) fn key_schedule(transcript_hash: &[u8; 32], shared: &[u8]) -> Result<Schedule> {
    let mut prk = Zeroizing::new([0u8; 32]);
    prk.copy_from_slice(
        hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, transcript_hash), shared).as_ref(),
    );
    let prk = hmac::Key::new(hmac::HMAC_SHA256, &prk[..]);
    let expand32 = |label: &[u8]| {
        let mut ctx = hmac::Context::with_key(&prk);
        ctx.update(label);
        ctx.update(&[1]);
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(ctx.sign().as_ref());
        out
    };
    Ok(Schedule {
        c2s_secret: expand32(LABEL_C2S),
        s2c_secret: expand32(LABEL_S2C),
    })
}

/// The client's first flight: the ClientHello and its ephemeral keys.
pub(crate) struct ClientHello {
    pub(crate) bytes: Vec<u8>,
    pub(crate) ephemerals: Vec<Ephemeral>,
    /// Length of the core: every byte before the extension-block length.
    pub(crate) core_len: usize,
    /// The padded minimum length: larger when a hybrid post-quantum suite is offered
    /// (section 20), so that the ServerHello stays smaller than the ClientHello.
    pub(crate) min_len: usize,
}

impl ClientHello {
    /// The ClientHello without its zero padding: what the transcript hashes (section 6).
    pub(crate) fn unpadded(&self) -> &[u8] {
        &self.bytes[..unpadded_len(&self.bytes, self.core_len).unwrap_or(self.bytes.len())]
    }

    /// SHA-256 of the core (what a retry cookie binds).
    pub(crate) fn core_hash(&self) -> [u8; 32] {
        retry::client_hello_core_hash(&self.bytes, self.core_len)
    }

    /// The same core with this extension block, padded again (section 22.3).
    pub(crate) fn with_extensions(&self, ext: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.min_len);
        out.extend_from_slice(&self.bytes[..self.core_len]);
        put_u16(&mut out, ext.len());
        out.extend_from_slice(ext);
        if out.len() < self.min_len {
            out.resize(self.min_len, 0);
        }
        if out.len() > MAX_HANDSHAKE_LEN {
            return Err(Error::HandshakeMalformed);
        }
        Ok(out)
    }
}

/// Builds the ClientHello: randomness first, then one ephemeral key per distinct group, in
/// the order the suites are offered.
pub(crate) fn build_client_hello(cfg: &ClientConfig, ent: &mut dyn Entropy) -> Result<ClientHello> {
    let mut random = [0u8; RANDOM_LEN];
    ent.fill(&mut random)?;
    let mut ephemerals: Vec<Ephemeral> = Vec::new();
    for s in &cfg.suites {
        if !ephemerals.iter().any(|e| e.group == s.group()) {
            ephemerals.push(ent.ephemeral(s.group())?);
        }
    }
    let min_len = if cfg.suites.iter().any(|s| s.is_post_quantum()) {
        CLIENT_HELLO_MIN_LEN_HYBRID
    } else {
        CLIENT_HELLO_MIN_LEN
    };
    // One allocation: the core, an empty extension block and the padding (section 4).
    let core_len: usize = 36
        + cfg
            .suites
            .iter()
            .filter_map(|s| ephemerals.iter().find(|e| e.group == s.group()))
            .map(|e| 4 + e.share.len())
            .sum::<usize>();
    let mut out = Vec::with_capacity(min_len.max(core_len + 2));
    out.push(MSG_CLIENT_HELLO);
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&random);
    out.push(cfg.suites.len() as u8);
    for s in &cfg.suites {
        let e = ephemerals
            .iter()
            .find(|e| e.group == s.group())
            .ok_or(Error::Internal)?;
        out.extend_from_slice(&s.code().to_be_bytes());
        put_u16(&mut out, e.share.len());
        out.extend_from_slice(&e.share);
    }
    debug_assert_eq!(out.len(), core_len);
    let core_len = out.len();
    put_u16(&mut out, 0); // no extensions in the first ClientHello
    if out.len() < min_len {
        out.resize(min_len, 0);
    }
    if out.len() > MAX_HANDSHAKE_LEN {
        return Err(Error::Internal);
    }
    Ok(ClientHello {
        bytes: out,
        ephemerals,
        core_len,
        min_len,
    })
}

/// Length of a ClientHello without its zero padding (section 6): the core of `core_len`
/// bytes, the extension-block length and the extension block. `None` if it is incomplete.
pub(crate) fn unpadded_len(client_hello: &[u8], core_len: usize) -> Option<usize> {
    let ext_len = client_hello.get(core_len..core_len + 2)?;
    let len = core_len + 2 + usize::from(u16::from_be_bytes([ext_len[0], ext_len[1]]));
    (len <= client_hello.len()).then_some(len)
}

pub(crate) struct ParsedClientHello<'a> {
    pub(crate) offers: Vec<(u16, &'a [u8])>,
    /// Length of the core: every byte before the extension-block length.
    pub(crate) core_len: usize,
    /// Length without the padding: the core and the extension block (what the transcript
    /// hashes, section 6).
    pub(crate) unpadded_len: usize,
    pub(crate) extensions: Vec<(u16, &'a [u8])>,
}

/// Section 4, server checks 1-4 (no cryptography).
pub(crate) fn parse_client_hello(msg: &[u8]) -> Result<ParsedClientHello<'_>> {
    const M: Error = Error::HandshakeMalformed;
    let mut r = Reader::new(msg);
    if r.u8() != Some(MSG_CLIENT_HELLO) {
        return Err(M);
    }
    if r.u16().ok_or(M)? != VERSION {
        return Err(Error::UnsupportedVersion);
    }
    if msg.len() < CLIENT_HELLO_MIN_LEN || msg.len() > MAX_HANDSHAKE_LEN {
        return Err(M);
    }
    r.bytes(RANDOM_LEN).ok_or(M)?;
    let n = r.u8().ok_or(M)? as usize;
    if n == 0 || n > MAX_SUITES {
        return Err(M);
    }
    let mut offers: Vec<(u16, &[u8])> = Vec::with_capacity(n);
    for _ in 0..n {
        let code = r.u16().ok_or(M)?;
        let len = r.u16().ok_or(M)? as usize;
        let share = r.bytes(len).ok_or(M)?;
        // Suite 0x0000 is invalid: an offer_count larger than the offers sent would otherwise
        // parse the zero padding as 0x0000 offers (section 4, check 4).
        if code == 0 || offers.iter().any(|(c, _)| *c == code) {
            return Err(M);
        }
        offers.push((code, share));
    }
    let core_len = msg.len() - r.rest_len();
    let ext_len = r.u16().ok_or(M)? as usize;
    // Extensions: well-formed unknown ones are ignored (they are signed as part of the
    // transcript); the cookie (section 22) is checked by the caller.
    let extensions = parse_extensions(r.bytes(ext_len).ok_or(M)?).ok_or(M)?;
    let unpadded_len = msg.len() - r.rest_len();
    // The padding is not in the transcript: every byte of it must be zero.
    if !all_zero(r.rest()) {
        return Err(M);
    }
    Ok(ParsedClientHello {
        offers,
        core_len,
        unpadded_len,
        extensions,
    })
}

/// What the server keeps of the ClientHello it answered to recognize a retransmitted copy
/// (section 12) without keeping the message: its lengths and the transcript hash, which
/// covers its unpadded part (the padding is all zero, checked).
pub(crate) struct AnsweredHello {
    len: usize,
    unpadded_len: usize,
    transcript_hash: [u8; 32],
}

impl AnsweredHello {
    /// Length of the answered ClientHello without its padding.
    pub(crate) fn unpadded_len(&self) -> usize {
        self.unpadded_len
    }

    /// Is `msg` a byte-identical copy of the answered ClientHello, whose ServerHello is
    /// `server_hello`? (Same length, same unpadded part, all-zero padding.)
    pub(crate) fn is_copy(&self, msg: &[u8], server_hello: &[u8]) -> bool {
        msg.len() == self.len
            && all_zero(&msg[self.unpadded_len..])
            && server_hello.len() >= SIGNATURE_LEN
            && sha256(&[
                &msg[..self.unpadded_len],
                &server_hello[..server_hello.len() - SIGNATURE_LEN],
            ]) == self.transcript_hash
    }
}

/// What the server has after reading a ClientHello.
pub(crate) struct ServerFlight {
    pub(crate) server_hello: Vec<u8>,
    /// SHA-256 of the ClientHello core (what a retry cookie binds); only computed for a
    /// retry-enabled server (zero otherwise: nothing reads it then).
    pub(crate) client_hello_core: [u8; 32],
    /// The answered ClientHello, by which a retransmitted copy is recognized.
    pub(crate) answered: AnsweredHello,
    pub(crate) suite: Suite,
    pub(crate) schedule: Schedule,
}

/// Server: validates the ClientHello, chooses the suite (the first one in the client's
/// order that the server accepts), and builds the signed ServerHello and the keys.
pub(crate) fn server_respond(
    cfg: &ServerConfig,
    client_hello: &[u8],
    client_address: Option<&[u8]>,
    ent: &mut dyn Entropy,
) -> Result<ServerFlight> {
    let ch = parse_client_hello(client_hello)?;
    // One pass of SHA-256 over the unpadded ClientHello gives its core hash (retry only) and
    // the first part of the transcript hash; the zero padding is not hashed (section 6).
    let mut transcript = digest::Context::new(&digest::SHA256);
    transcript.update(&client_hello[..ch.core_len]);
    let mut client_hello_core = [0u8; 32];
    if cfg.retry.is_some() {
        client_hello_core.copy_from_slice(transcript.clone().finish().as_ref());
    }
    check_retry_cookie(cfg, &ch, client_address, &client_hello_core)?;
    transcript.update(&client_hello[ch.core_len..ch.unpadded_len]);
    let (suite, client_share) = choose_suite(cfg, &ch, client_hello.len())?;
    let mut random = [0u8; RANDOM_LEN];
    ent.fill(&mut random)?;
    let (server_share, shared) = server_exchange(suite.group(), client_share, ent)?;
    let mut sh = server_hello_body(cfg, suite, &random, &server_share);
    transcript.update(&sh);
    let mut th = [0u8; 32];
    th.copy_from_slice(transcript.finish().as_ref());
    append_signature(cfg, suite, &th, &mut sh)?;
    let schedule = key_schedule(&th, &shared)?;
    Ok(ServerFlight {
        client_hello_core,
        answered: AnsweredHello {
            len: client_hello.len(),
            unpadded_len: ch.unpadded_len,
            transcript_hash: th,
        },
        server_hello: sh,
        suite,
        schedule,
    })
}

/// Section 22.5: a retry-enabled server only answers a ClientHello whose cookie is valid for
/// the client's address (checked before any ECDH or signature). `core_hash` is the SHA-256
/// of the ClientHello core.
fn check_retry_cookie(
    cfg: &ServerConfig,
    ch: &ParsedClientHello<'_>,
    client_address: Option<&[u8]>,
    core_hash: &[u8; 32],
) -> Result<()> {
    let Some(state) = cfg.retry.as_deref() else {
        return Ok(());
    };
    let addr = client_address.ok_or(Error::RetryCookieInvalid)?;
    let cookie = ch
        .extensions
        .iter()
        .find(|(t, _)| *t == retry::EXT_COOKIE)
        .ok_or(Error::RetryCookieInvalid)?
        .1;
    if !state.verify_cookie(cfg.now()?, addr, core_hash, cookie)? {
        return Err(Error::RetryCookieInvalid);
    }
    Ok(())
}

/// Section 4 checks 5-6: the first offer in the client's order that the server accepts
/// (section 5), with a share of the group's length, and a hybrid suite only from a
/// ClientHello of at least 2048 bytes. Returns the suite and the client's share.
fn choose_suite<'a>(
    cfg: &ServerConfig,
    ch: &ParsedClientHello<'a>,
    client_hello_len: usize,
) -> Result<(Suite, &'a [u8])> {
    let (suite, client_share) = ch
        .offers
        .iter()
        .find_map(|(code, share)| {
            Suite::from_code(*code)
                .filter(|s| cfg.suites.contains(s))
                .map(|s| (s, *share))
        })
        .ok_or(Error::NoCommonSuite)?;
    if client_share.len() != suite.group().share_len() {
        return Err(Error::HandshakeMalformed);
    }
    if suite.is_post_quantum() && client_hello_len < CLIENT_HELLO_MIN_LEN_HYBRID {
        return Err(Error::HandshakeMalformed);
    }
    Ok((suite, client_share))
}

/// The ServerHello without its signature (`SH_body`, section 6).
fn server_hello_body(
    cfg: &ServerConfig,
    suite: Suite,
    random: &[u8; RANDOM_LEN],
    server_share: &[u8],
) -> Vec<u8> {
    let mut sh = Vec::with_capacity(512);
    sh.push(MSG_SERVER_HELLO);
    sh.extend_from_slice(&VERSION.to_be_bytes());
    sh.extend_from_slice(random);
    sh.extend_from_slice(&suite.code().to_be_bytes());
    sh.push(cfg.suites.len() as u8);
    for s in &cfg.suites {
        sh.extend_from_slice(&s.code().to_be_bytes());
    }
    put_u16(&mut sh, server_share.len());
    sh.extend_from_slice(server_share);
    match &cfg.identity {
        Identity::RawKey(raw) => {
            sh.push(IDENTITY_RAW_KEY);
            put_u16(&mut sh, raw.len());
            sh.extend_from_slice(raw);
        }
        Identity::Certificate(c) => {
            sh.push(IDENTITY_CERTIFICATE);
            put_u16(&mut sh, c.as_bytes().len());
            sh.extend_from_slice(c.as_bytes());
        }
    }
    let ext = cfg.client_auth.extension(); // empty unless client auth is configured
    put_u16(&mut sh, ext.len());
    sh.extend_from_slice(&ext);
    sh
}

/// Signs the transcript hash `th` with the server's identity key and appends the signature
/// to `sh` (section 6).
fn append_signature(
    cfg: &ServerConfig,
    suite: Suite,
    th: &[u8; 32],
    sh: &mut Vec<u8>,
) -> Result<()> {
    let signature = cfg
        .key
        .sign_protocol(&server_signed_message(th), suite.signature_format())?;
    if signature.len() != SIGNATURE_LEN {
        return Err(Error::Internal);
    }
    sh.extend_from_slice(&signature);
    if sh.len() > MAX_HANDSHAKE_LEN {
        return Err(Error::Internal);
    }
    Ok(())
}

/// What the client has after accepting a ServerHello.
pub(crate) struct ClientResult {
    pub(crate) auth_request: ClientAuthRequest,
    pub(crate) suite: Suite,
    pub(crate) server_key: PublicKey,
    pub(crate) schedule: Schedule,
}

/// Client: checks the ServerHello completely, in the order of section 7 (steps 1-9).
pub(crate) fn client_process(
    cfg: &ClientConfig,
    hello: &ClientHello,
    msg: &[u8],
) -> Result<ClientResult> {
    let sh = ServerHelloFields::parse(msg)?; // steps 1-3
    let suite = check_downgrade(cfg, &sh)?; // step 4
    let eph = hello
        .ephemerals
        .iter()
        .find(|e| e.group == suite.group())
        .ok_or(Error::Internal)?;
    if sh.share.len() != suite.group().server_share_len() {
        return Err(Error::HandshakeMalformed); // step 5
    }
    let (server_key, certificate) = identity_key(cfg, suite, sh.identity_type, sh.identity)?; // 6
    let th = sha256(&[hello.unpadded(), sh.body]);
    verify_server_signature(&server_key, suite, &th, sh.signature)?; // step 7
    let server_key = check_trust(cfg, server_key, certificate.as_ref())?; // step 8
    let shared = eph.agree(sh.share)?; // step 9
    let schedule = key_schedule(&th, &shared)?;
    Ok(ClientResult {
        auth_request: sh.auth_request,
        suite,
        server_key,
        schedule,
    })
}

/// The fields of a ServerHello that passed steps 1-3 of section 7.
struct ServerHelloFields<'a> {
    chosen: u16,
    suites: [u16; MAX_SUITES],
    suite_count: usize,
    share: &'a [u8],
    identity_type: u8,
    identity: &'a [u8],
    auth_request: ClientAuthRequest,
    /// `SH_body`: everything before the signature.
    body: &'a [u8],
    signature: &'a [u8],
}

impl<'a> ServerHelloFields<'a> {
    /// Section 7 steps 1-3: type, version, length, complete fields, distinct server suites,
    /// exactly 64 signature bytes, and an extension block that is empty or one client
    /// authentication request (section 21.2).
    fn parse(msg: &'a [u8]) -> Result<ServerHelloFields<'a>> {
        const M: Error = Error::HandshakeMalformed;
        let mut r = Reader::new(msg);
        if r.u8() != Some(MSG_SERVER_HELLO) {
            return Err(M);
        }
        if r.u16().ok_or(M)? != VERSION {
            return Err(Error::UnsupportedVersion);
        }
        if msg.len() > MAX_HANDSHAKE_LEN {
            return Err(M);
        }
        r.bytes(RANDOM_LEN).ok_or(M)?;
        let chosen = r.u16().ok_or(M)?;
        let suite_count = r.u8().ok_or(M)? as usize;
        if suite_count == 0 || suite_count > MAX_SUITES {
            return Err(M);
        }
        let mut suites = [0u16; MAX_SUITES];
        for i in 0..suite_count {
            let code = r.u16().ok_or(M)?;
            if suites[..i].contains(&code) {
                return Err(M);
            }
            suites[i] = code;
        }
        let share_len = r.u16().ok_or(M)? as usize;
        let share = r.bytes(share_len).ok_or(M)?;
        let identity_type = r.u8().ok_or(M)?;
        let identity_len = r.u16().ok_or(M)? as usize;
        let identity = r.bytes(identity_len).ok_or(M)?;
        let ext_len = r.u16().ok_or(M)? as usize;
        let ext = r.bytes(ext_len).ok_or(M)?;
        let signature = r.rest();
        if signature.len() != SIGNATURE_LEN {
            return Err(M);
        }
        // The only ServerHello extension is the client authentication request (section 21.2).
        let auth_request = ClientAuthRequest::from_extensions(&parse_extensions(ext).ok_or(M)?)?;
        Ok(ServerHelloFields {
            chosen,
            suites,
            suite_count,
            share,
            identity_type,
            identity,
            auth_request,
            body: &msg[..msg.len() - SIGNATURE_LEN],
            signature,
        })
    }
}

/// Section 7 step 4, downgrade protection: the chosen suite must be the first suite of the
/// client's preference list that the server says it supports (the list is signed, step 7).
fn check_downgrade(cfg: &ClientConfig, sh: &ServerHelloFields<'_>) -> Result<Suite> {
    let server_suites = &sh.suites[..sh.suite_count];
    let expected = cfg
        .suites
        .iter()
        .copied()
        .find(|s| server_suites.contains(&s.code()));
    match expected {
        Some(s) if s.code() == sh.chosen => Ok(s),
        _ => Err(Error::DowngradeDetected),
    }
}

/// Section 7 step 6: the server identity key (and its certificate, if it sent one).
fn identity_key(
    cfg: &ClientConfig,
    suite: Suite,
    identity_type: u8,
    identity: &[u8],
) -> Result<(PublicKey, Option<Certificate>)> {
    const M: Error = Error::HandshakeMalformed;
    let key_type = suite.key_type();
    match identity_type {
        IDENTITY_RAW_KEY => {
            if Some(identity.len()) != identity_key_len(key_type)
                || (key_type == KeyType::EcdsaP256 && identity[0] != 0x04)
            {
                return Err(M);
            }
            let key = match &cfg.anchor {
                // The pinned key's own bytes: already validated, so not parsed, re-encoded
                // and fingerprinted again (the same key as `from_raw` would give).
                TrustAnchor::PinnedKey(pin)
                    if pin.key_type() == key_type && pin.raw() == Ok(identity) =>
                {
                    pin.clone()
                }
                // A weak Ed25519 key keeps its own code; any other invalid key is malformed.
                _ => PublicKey::from_raw(key_type, identity).map_err(|e| {
                    if e == sigcheck::WEAK_KEY {
                        e
                    } else {
                        M
                    }
                })?,
            };
            Ok((key, None))
        }
        IDENTITY_CERTIFICATE => {
            let cert = Certificate::parse(identity)?;
            if cert.public_key().key_type() != key_type {
                return Err(M);
            }
            Ok((cert.public_key().clone(), Some(cert)))
        }
        _ => Err(M),
    }
}

/// Section 7 step 7: the server's signature over the transcript hash `th`; ECDSA signatures
/// must be low-S (section 6: the signature is not malleable).
fn verify_server_signature(
    server_key: &PublicKey,
    suite: Suite,
    th: &[u8; 32],
    signature: &[u8],
) -> Result<()> {
    if suite.key_type() == KeyType::EcdsaP256 && !sigcheck::fixed_is_low_s(signature) {
        return Err(Error::HandshakeSignatureInvalid);
    }
    server_key
        .verify(
            &server_signed_message(th),
            signature,
            suite.signature_format(),
        )
        .map_err(|_| Error::HandshakeSignatureInvalid)
}

/// Section 7 step 8: the identity key against the client's one trust anchor. Returns the key
/// the session keeps.
fn check_trust(
    cfg: &ClientConfig,
    server_key: PublicKey,
    certificate: Option<&Certificate>,
) -> Result<PublicKey> {
    match &cfg.anchor {
        TrustAnchor::PinnedKey(pin) => {
            if *pin != server_key {
                return Err(Error::PinnedKeyMismatch);
            }
            // The same key: keep a reference to the configured one (an `Arc`), so that the
            // established session does not hold a second copy of it.
            Ok(pin.clone())
        }
        TrustAnchor::PinnedFingerprint(fp) => {
            if fp != server_key.fingerprint() {
                return Err(Error::FingerprintMismatch);
            }
            Ok(server_key)
        }
        TrustAnchor::Root(root) => {
            let cert = certificate.ok_or(Error::CertificateMissing)?;
            cert.verify(root, cfg.server_name.as_deref(), cfg.now()?)?;
            Ok(server_key)
        }
    }
}
