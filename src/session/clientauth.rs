//! Client authentication (docs/PROTOCOL.md section 21): the server's request (a ServerHello
//! extension) and the ClientFinished plaintext (an opaque token and a client signature).

use crate::error::{Error, Result};
use crate::keys::{KeyType, PublicKey, SignatureFormat, SigningKey};
use crate::session::handshake::{sha256, Reader, MSG_CLIENT_FINISHED, SIGNATURE_LEN};
use crate::session::suite::identity_key_len;
use crate::session::transport::{self, RecvHalf, SendHalf};
use crate::sigcheck;
use zeroize::Zeroizing;

/// ServerHello extension type of the client authentication request.
pub(crate) const EXT_CLIENT_AUTH_REQUEST: u16 = 0x0102;
/// ClientFinished plaintext entry: the client's opaque token.
pub(crate) const ENTRY_CLIENT_TOKEN: u16 = 0x0103;
/// ClientFinished plaintext entry: the client's public key and signature.
pub(crate) const ENTRY_CLIENT_SIGNATURE: u16 = 0x0104;
/// Longest client token.
pub const CLIENT_TOKEN_MAX_LEN: usize = 1024;
/// Domain-separation prefix of the client's signature (37 ASCII characters and a zero byte).
pub(crate) const CLIENT_SIGNATURE_CONTEXT: &[u8] = b"gamecrypt session v1 client signature\x00";
/// Largest ClientFinished plaintext: token entry + signature entry with a P-256 key.
pub(crate) const MAX_FINISHED_PLAINTEXT: usize =
    4 + CLIENT_TOKEN_MAX_LEN + 4 + 3 + crate::keys::P256_PUBLIC_KEY_LEN + SIGNATURE_LEN;

/// Whether the server asks for a credential. [`ClientAuthMode::code`] is the C constant
/// `GAMECRYPT_CLIENT_AUTH_*` and the wire value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ClientAuthMode {
    /// Not requested; the client must not send it. Code 0.
    #[default]
    None,
    /// Requested; a client that has it sends it, a client without it may go on. Code 1.
    Optional,
    /// Required; a client without it fails the handshake. Code 2.
    Required,
}

impl ClientAuthMode {
    /// The C constant and wire value of this mode.
    pub const fn code(self) -> u32 {
        match self {
            ClientAuthMode::None => 0,
            ClientAuthMode::Optional => 1,
            ClientAuthMode::Required => 2,
        }
    }

    /// The mode with this C constant (unknown: `InvalidArgument`).
    pub fn from_code(code: u32) -> Result<ClientAuthMode> {
        match code {
            0 => Ok(ClientAuthMode::None),
            1 => Ok(ClientAuthMode::Optional),
            2 => Ok(ClientAuthMode::Required),
            _ => Err(Error::InvalidArgument),
        }
    }
}

/// What a server asks of its clients: a signature and/or a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct ClientAuthRequest {
    /// A client signature over the transcript with the client's own key.
    pub signature: ClientAuthMode,
    /// An opaque token (login ticket) from the game's backend.
    pub token: ClientAuthMode,
}

impl ClientAuthRequest {
    /// True when the server asks for nothing (protocol v1 behaviour, no extension).
    pub fn is_none(&self) -> bool {
        self.signature == ClientAuthMode::None && self.token == ClientAuthMode::None
    }

    /// The ServerHello extension entry (type, length, data), empty when nothing is asked.
    pub(crate) fn extension(&self) -> Vec<u8> {
        if self.is_none() {
            return Vec::new();
        }
        let mut e = Vec::with_capacity(6);
        e.extend_from_slice(&EXT_CLIENT_AUTH_REQUEST.to_be_bytes());
        e.extend_from_slice(&2u16.to_be_bytes());
        e.push(self.signature.code() as u8);
        e.push(self.token.code() as u8);
        e
    }

    /// Client side: the ServerHello extension block (already split into entries).
    pub(crate) fn from_extensions(ext: &[(u16, &[u8])]) -> Result<ClientAuthRequest> {
        const M: Error = Error::HandshakeMalformed;
        let mut req = ClientAuthRequest::default();
        for (t, data) in ext {
            if *t != EXT_CLIENT_AUTH_REQUEST || data.len() != 2 {
                return Err(M);
            }
            req.signature = ClientAuthMode::from_code(u32::from(data[0])).map_err(|_| M)?;
            req.token = ClientAuthMode::from_code(u32::from(data[1])).map_err(|_| M)?;
            if req.is_none() {
                return Err(M);
            }
        }
        Ok(req)
    }
}

/// What the server learned from an authenticated ClientFinished.
#[derive(Clone, Default)]
pub(crate) struct ClientCredentials {
    pub(crate) key: Option<PublicKey>,
    pub(crate) token: Option<Zeroizing<Vec<u8>>>,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a bearer credential: show only its length.
        f.debug_struct("ClientCredentials")
            .field("key", &self.key)
            .field("token_len", &self.token.as_ref().map(|t| t.len()))
            .finish()
    }
}

/// The 70-byte message the client signs: context || SHA-256(CH || SH || plaintext before
/// the signature), where CH is the ClientHello without its padding (section 21.3).
fn signed_message(client_hello: &[u8], server_hello: &[u8], before_signature: &[u8]) -> Vec<u8> {
    let h = sha256(&[client_hello, server_hello, before_signature]);
    [CLIENT_SIGNATURE_CONTEXT, &h].concat()
}

fn signature_format(kt: KeyType) -> SignatureFormat {
    match kt {
        KeyType::EcdsaP256 => SignatureFormat::EcdsaFixed,
        _ => SignatureFormat::Default,
    }
}

fn key_type_code(kt: KeyType) -> Result<u8> {
    match kt {
        KeyType::EcdsaP256 => Ok(1),
        KeyType::Ed25519 => Ok(3),
        _ => Err(Error::WrongKeyType),
    }
}

/// Client: the sealed ClientFinished (sections 10.1 and 21.3): the plaintext for this
/// request sealed under the c2s key as packet number 0 with type 0x03. Fails with
/// `ClientAuthRequired` / `ClientTokenRequired` when the server requires what the client
/// does not have.
pub(crate) fn seal_finished(
    send: &mut SendHalf,
    req: &ClientAuthRequest,
    key: Option<&SigningKey>,
    token: Option<&[u8]>,
    client_hello: &[u8],
    server_hello: &[u8],
) -> Result<Vec<u8>> {
    if req.signature == ClientAuthMode::Required && key.is_none() {
        return Err(Error::ClientAuthRequired);
    }
    if req.token == ClientAuthMode::Required && token.is_none() {
        return Err(Error::ClientTokenRequired);
    }
    let mut pt = Zeroizing::new(Vec::new());
    if let (Some(t), true) = (token, req.token != ClientAuthMode::None) {
        pt.extend_from_slice(&ENTRY_CLIENT_TOKEN.to_be_bytes());
        pt.extend_from_slice(&(t.len() as u16).to_be_bytes());
        pt.extend_from_slice(t);
    }
    if let (Some(k), true) = (key, req.signature != ClientAuthMode::None) {
        let raw = k.public_key().raw()?;
        pt.extend_from_slice(&ENTRY_CLIENT_SIGNATURE.to_be_bytes());
        pt.extend_from_slice(&((3 + raw.len() + SIGNATURE_LEN) as u16).to_be_bytes());
        pt.push(key_type_code(k.key_type())?);
        pt.extend_from_slice(&(raw.len() as u16).to_be_bytes());
        pt.extend_from_slice(raw);
        let msg = signed_message(client_hello, server_hello, &pt);
        let sig = k.sign_protocol(&msg, signature_format(k.key_type()))?;
        if sig.len() != SIGNATURE_LEN {
            return Err(Error::Internal);
        }
        pt.extend_from_slice(&sig);
    }
    let mut finished = vec![0u8; pt.len() + transport::OVERHEAD];
    send.seal_typed(MSG_CLIENT_FINISHED, &pt, &mut finished)?;
    Ok(finished)
}

/// Server: sections 10.1 and 21.4 steps 1-2: the ClientFinished's layout (type 0x03, packet
/// number 0; exactly header + tag without client authentication) and its AEAD under the
/// c2s key of generation 0, key phase 0. Returns the plaintext (empty without client
/// authentication).
pub(crate) fn open_finished(
    recv: &mut RecvHalf,
    msg: &[u8],
    client_auth: bool,
) -> Result<Zeroizing<Vec<u8>>> {
    let max = if client_auth {
        transport::OVERHEAD + MAX_FINISHED_PLAINTEXT
    } else {
        transport::OVERHEAD
    };
    if msg.len() < transport::OVERHEAD || msg.len() > max {
        return Err(Error::HandshakeMalformed);
    }
    let (ptype, pn) = transport::parse_header(msg).map_err(|_| Error::HandshakeMalformed)?;
    if ptype != MSG_CLIENT_FINISHED || pn != 0 {
        return Err(Error::HandshakeMalformed);
    }
    let mut pt = Zeroizing::new(vec![0u8; msg.len() - transport::OVERHEAD]);
    recv.open(msg, 0, pn, &mut pt)?; // generation 0, key phase 0
    Ok(pt)
}

/// Server: parses and checks the opened ClientFinished plaintext (section 21.4).
pub(crate) fn check_finished_plaintext(
    req: &ClientAuthRequest,
    pt: &[u8],
    client_hello: &[u8],
    server_hello: &[u8],
) -> Result<ClientCredentials> {
    const M: Error = Error::HandshakeMalformed;
    let mut creds = ClientCredentials::default();
    // Parsed in step 3, checked in step 6 (section 21.4): (key type, raw key, signature,
    // length of the signed prefix of the plaintext).
    let mut signature: Option<(KeyType, &[u8], &[u8], usize)> = None;
    let mut r = Reader::new(pt);
    let mut last_type = 0u16;
    while !r.is_empty() {
        if signature.is_some() {
            return Err(M); // the signature entry is the last one
        }
        let start = pt.len() - r.rest_len();
        let t = r.u16().ok_or(M)?;
        let len = r.u16().ok_or(M)? as usize;
        let data = r.bytes(len).ok_or(M)?;
        if t <= last_type {
            return Err(M);
        }
        last_type = t;
        match t {
            ENTRY_CLIENT_TOKEN if req.token != ClientAuthMode::None => {
                if data.is_empty() || data.len() > CLIENT_TOKEN_MAX_LEN {
                    return Err(M);
                }
                creds.token = Some(Zeroizing::new(data.to_vec()));
            }
            ENTRY_CLIENT_SIGNATURE if req.signature != ClientAuthMode::None => {
                let mut d = Reader::new(data);
                let kt = match d.u8().ok_or(M)? {
                    1 => KeyType::EcdsaP256,
                    3 => KeyType::Ed25519,
                    _ => return Err(M),
                };
                let key_len = d.u16().ok_or(M)? as usize;
                if Some(key_len) != identity_key_len(kt) {
                    return Err(M);
                }
                let raw = d.bytes(key_len).ok_or(M)?;
                let sig = d.bytes(SIGNATURE_LEN).ok_or(M)?;
                if !d.is_empty() {
                    return Err(M);
                }
                let signed_len = start + 4 + data.len() - SIGNATURE_LEN;
                signature = Some((kt, raw, sig, signed_len));
            }
            _ => return Err(M),
        }
    }
    if req.signature == ClientAuthMode::Required && signature.is_none() {
        return Err(Error::ClientAuthRequired);
    }
    if req.token == ClientAuthMode::Required && creds.token.is_none() {
        return Err(Error::ClientTokenRequired);
    }
    if let Some((kt, raw, sig, signed_len)) = signature {
        // Step 6: the key is a valid public key of its type, then the signature verifies.
        if kt == KeyType::EcdsaP256 && raw[0] != 0x04 {
            return Err(Error::ClientAuthInvalid);
        }
        let key = PublicKey::from_raw(kt, raw).map_err(|e| {
            if e == sigcheck::WEAK_KEY {
                e
            } else {
                Error::ClientAuthInvalid
            }
        })?;
        // ECDSA signatures must be low-S (section 21.3).
        if kt == KeyType::EcdsaP256 && !sigcheck::fixed_is_low_s(sig) {
            return Err(Error::ClientAuthInvalid);
        }
        let msg = signed_message(client_hello, server_hello, &pt[..signed_len]);
        key.verify(&msg, sig, signature_format(key.key_type()))
            .map_err(|_| Error::ClientAuthInvalid)?;
        creds.key = Some(key);
    }
    Ok(creds)
}

#[cfg(test)]
mod debug_tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let creds = ClientCredentials {
            key: None,
            token: Some(Zeroizing::new(b"SECRET-LOGIN-TICKET".to_vec())),
        };
        let text = format!("{creds:?}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(!text.contains("83, 69, 67"), "{text}"); // the bytes as a list
        assert!(text.contains("token_len: Some(19)"), "{text}");
    }
}
