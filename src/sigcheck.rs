//! Signature hygiene shared by the key API and the session (docs/PROTOCOL.md section 15):
//! weak Ed25519 public keys, low-S ECDSA signatures, and the signature contexts that only the
//! protocol itself may sign.

use crate::der;
use crate::error::{Error, Result};

/// The code of a weak (small-order or non-canonical) Ed25519 public key.
pub(crate) const WEAK_KEY: Error = Error::PublicKeyWeak;
/// The code of a message that the generic sign call refuses (it begins with a protocol
/// signature context).
pub(crate) const RESERVED_CONTEXT: Error = Error::SignContextReserved;

/// The 8 points of small order of edwards25519, in their canonical encodings (y little-endian,
/// the top bit is the sign of x): the identity (y = 1), the point of order 2 (y = p - 1), the
/// two points of order 4 (y = 0) and the four points of order 8. A key equal to one of them
/// verifies a forged signature (R = the same point, S = 0 or similar) for every message.
pub(crate) const ED25519_SMALL_ORDER_KEYS: [[u8; 32]; 8] = {
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut order2 = [0xffu8; 32];
    order2[0] = 0xec;
    order2[31] = 0x7f;
    let zero = [0u8; 32];
    let mut zero_neg = [0u8; 32];
    zero_neg[31] = 0x80;
    let order8_a: [u8; 32] = [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ];
    let order8_b: [u8; 32] = [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ];
    let mut order8_a_neg = order8_a;
    order8_a_neg[31] |= 0x80;
    let mut order8_b_neg = order8_b;
    order8_b_neg[31] |= 0x80;
    [
        identity,
        order2,
        zero,
        zero_neg,
        order8_a,
        order8_a_neg,
        order8_b,
        order8_b_neg,
    ]
};

/// Is this 32-byte Ed25519 public key weak: one of the 8 small-order points, a non-canonical
/// encoding (y >= p = 2^255 - 19), or x = 0 with the sign bit set (y = 1 or y = p - 1 with the
/// top bit: a second encoding of a small-order point)?
pub(crate) fn ed25519_key_is_weak(raw: &[u8]) -> bool {
    let Ok(key) = <&[u8; 32]>::try_from(raw) else {
        return true;
    };
    if ED25519_SMALL_ORDER_KEYS.iter().any(|k| k == key) {
        return true;
    }
    let mut y = *key;
    let sign = y[31] & 0x80 != 0;
    y[31] &= 0x7f;
    // y >= p: the top 31 bytes are all ones (0x7f for the last) and the first is >= 0xed.
    let non_canonical = y[0] >= 0xed && y[1..31].iter().all(|&b| b == 0xff) && y[31] == 0x7f;
    // x = 0 happens only for y = 1 and y = p - 1; the sign bit must then be clear.
    let mut one = [0u8; 32];
    one[0] = 1;
    let mut p_minus_1 = [0xffu8; 32];
    p_minus_1[0] = 0xec;
    p_minus_1[31] = 0x7f;
    let negative_zero = sign && (y == one || y == p_minus_1);
    non_canonical || negative_zero
}

/// `Err(WEAK_KEY)` for a weak Ed25519 public key (see [`ed25519_key_is_weak`]).
pub(crate) fn check_ed25519_key(raw: &[u8]) -> Result<()> {
    if ed25519_key_is_weak(raw) {
        return Err(WEAK_KEY);
    }
    Ok(())
}

/// The signature contexts of the protocol (docs/PROTOCOL.md sections 6, 8 and 21.3). Only the
/// library signs messages that begin with one of them; the generic sign call refuses them.
pub(crate) const PROTOCOL_CONTEXTS: [&[u8]; 3] = [
    crate::session::handshake::SERVER_SIGNATURE_CONTEXT,
    crate::session::clientauth::CLIENT_SIGNATURE_CONTEXT,
    crate::session::cert::CERT_SIGNATURE_CONTEXT,
];

/// `Err(RESERVED_CONTEXT)` when `message` begins with a protocol signature context.
pub(crate) fn check_not_protocol_message(message: &[u8]) -> Result<()> {
    if PROTOCOL_CONTEXTS.iter().any(|c| message.starts_with(c)) {
        return Err(RESERVED_CONTEXT);
    }
    Ok(())
}

/// The order n of P-256, big-endian.
const P256_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
/// The order n of P-384, big-endian.
const P384_N: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

/// The order n of P-256 (big-endian), for the test vectors.
#[cfg(test)]
pub(crate) fn p256_order() -> [u8; 32] {
    P256_N
}

/// The curve order for a scalar length (32: P-256, 48: P-384).
fn order(len: usize) -> Option<&'static [u8]> {
    match len {
        32 => Some(&P256_N),
        48 => Some(&P384_N),
        _ => None,
    }
}

/// Is the big-endian scalar `s` (the curve's length) greater than n / 2 (a "high-S" value)?
/// `2 * s > n`, computed without big integers: compare s with floor(n / 2) byte by byte.
fn is_high(s: &[u8], n: &[u8]) -> bool {
    // floor(n / 2), big-endian, compared on the fly.
    let mut carry = 0u8;
    for (i, &nb) in n.iter().enumerate() {
        let half = (nb >> 1) | carry;
        carry = (nb & 1) << 7;
        match s[i].cmp(&half) {
            core::cmp::Ordering::Greater => return true,
            core::cmp::Ordering::Less => return false,
            core::cmp::Ordering::Equal => {}
        }
    }
    false
}

/// `s = n - s` in place (big-endian, same length as n; s < n).
fn negate(s: &mut [u8], n: &[u8]) {
    let mut borrow = 0i16;
    for i in (0..n.len()).rev() {
        let mut d = i16::from(n[i]) - i16::from(s[i]) - borrow;
        borrow = 0;
        if d < 0 {
            d += 256;
            borrow = 1;
        }
        s[i] = d as u8;
    }
}

/// Is a fixed-length `r || s` ECDSA signature low-S (s <= n / 2)? Any other length: false.
pub(crate) fn fixed_is_low_s(sig: &[u8]) -> bool {
    let half = sig.len() / 2;
    match order(half) {
        Some(n) if sig.len() == 2 * half => !is_high(&sig[half..], n),
        _ => false,
    }
}

/// Turns a fixed-length `r || s` signature into its low-S form (s := n - s when s > n / 2).
pub(crate) fn normalize_fixed(sig: &mut [u8]) -> Result<()> {
    let half = sig.len() / 2;
    let n = order(half).ok_or(Error::Internal)?;
    if is_high(&sig[half..], n) {
        negate(&mut sig[half..], n);
    }
    Ok(())
}

/// Turns a DER `SEQUENCE { r, s }` signature on the curve with `scalar_len`-byte scalars into
/// its low-S form (re-encoded; unchanged when already low-S).
pub(crate) fn normalize_der(sig: Vec<u8>, scalar_len: usize) -> Result<Vec<u8>> {
    let n = order(scalar_len).ok_or(Error::Internal)?;
    let (r, s) = {
        let mut seq = der::outer_sequence(&sig).map_err(|_| Error::Internal)?;
        let r = seq.read(der::TAG_INTEGER).map_err(|_| Error::Internal)?;
        let s = seq.read(der::TAG_INTEGER).map_err(|_| Error::Internal)?;
        seq.finish().map_err(|_| Error::Internal)?;
        (r.to_vec(), s.to_vec())
    };
    let mut fixed_s = vec![0u8; scalar_len];
    let digits = strip_zeros(&s);
    if digits.len() > scalar_len {
        return Err(Error::Internal);
    }
    fixed_s[scalar_len - digits.len()..].copy_from_slice(digits);
    if !is_high(&fixed_s, n) {
        return Ok(sig);
    }
    negate(&mut fixed_s, n);
    let mut body = Vec::with_capacity(sig.len());
    push_integer(&mut body, strip_zeros(&r));
    push_integer(&mut body, strip_zeros(&fixed_s));
    let mut out = Vec::with_capacity(body.len() + 2);
    out.push(0x30);
    out.push(body.len() as u8); // at most 2 * (2 + 49) = 102 < 128: short form
    out.extend_from_slice(&body);
    Ok(out)
}

fn strip_zeros(v: &[u8]) -> &[u8] {
    let i = v.iter().position(|&b| b != 0).unwrap_or(v.len());
    &v[i..]
}

/// Appends a DER INTEGER with these (non-negative, leading-zero-free) big-endian digits.
fn push_integer(out: &mut Vec<u8>, digits: &[u8]) {
    let pad = digits.first().map_or(true, |&b| b & 0x80 != 0);
    out.push(der::TAG_INTEGER);
    out.push((digits.len() + usize::from(pad)) as u8);
    if pad {
        out.push(0);
    }
    out.extend_from_slice(digits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_order_is_low_and_one_more_is_high() {
        // floor(n / 2) for P-256.
        let mut half = P256_N;
        let mut carry = 0u8;
        for b in half.iter_mut() {
            let nb = *b;
            *b = (nb >> 1) | carry;
            carry = (nb & 1) << 7;
        }
        assert!(!is_high(&half, &P256_N));
        let mut above = half;
        above[31] += 1; // the last byte of floor(n/2) is 0xa8: no carry
        assert!(is_high(&above, &P256_N));
        let mut neg = above;
        negate(&mut neg, &P256_N);
        assert!(!is_high(&neg, &P256_N));
        negate(&mut neg, &P256_N);
        assert_eq!(neg, above);
    }

    #[test]
    fn weak_ed25519_keys() {
        for k in ED25519_SMALL_ORDER_KEYS {
            assert!(ed25519_key_is_weak(&k));
        }
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert!(ed25519_key_is_weak(&p)); // y = p
        p[0] = 0xee;
        assert!(ed25519_key_is_weak(&p)); // y = p + 1
        p[31] = 0xff;
        assert!(ed25519_key_is_weak(&p));
        let mut ok = [0x11u8; 32];
        ok[31] = 0x22;
        assert!(!ed25519_key_is_weak(&ok));
    }
}
