//! Issue 7, finding 5: the generic sign refuses messages that begin with one of the
//! protocol's signature contexts, so an identity key used for other signatures can never be
//! made to sign a ServerHello, a client authentication or a certificate.

mod session_support;

use gamecrypt::keys::{KeyType, SignatureFormat, SigningKey};
use session_support::*;

const CONTEXTS: [&[u8]; 3] = [
    b"gamecrypt session v1 server signature\x00",
    b"gamecrypt session v1 client signature\x00",
    b"gamecrypt certificate v1\x00",
];

#[test]
fn messages_beginning_with_a_protocol_context_are_refused() {
    for kt in [KeyType::EcdsaP256, KeyType::EcdsaP384, KeyType::Ed25519] {
        let key = SigningKey::generate(kt).unwrap();
        for ctx in CONTEXTS {
            let mut msg = ctx.to_vec();
            msg.extend_from_slice(&[0xab; 32]); // a transcript hash
            assert_eq!(
                key.sign(&msg, SignatureFormat::Default),
                Err(RESERVED_CONTEXT)
            );
            assert_eq!(
                key.sign(ctx, SignatureFormat::Default),
                Err(RESERVED_CONTEXT)
            );
            if kt != KeyType::Ed25519 {
                assert_eq!(
                    key.sign(&msg, SignatureFormat::EcdsaFixed),
                    Err(RESERVED_CONTEXT)
                );
            }
        }
    }
}

#[test]
fn other_messages_are_signed() {
    let key = SigningKey::generate(KeyType::Ed25519).unwrap();
    for msg in [
        &b""[..],
        b"gamecrypt session v1 server signature", // without the zero byte
        b"xgamecrypt session v1 server signature\x00",
        b"gamecrypt certificate v2\x00",
        b"hello",
    ] {
        let sig = key.sign(msg, SignatureFormat::Default).unwrap();
        key.public_key()
            .verify(msg, &sig, SignatureFormat::Default)
            .unwrap();
    }
}
