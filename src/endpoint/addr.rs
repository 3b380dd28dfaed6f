//! Peer addresses as keys of the peer table: up to 30 bytes (every IPv4 and IPv6 `sockaddr`)
//! are stored inline, so a look-up reads the table's own memory and no second heap block.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

const INLINE: usize = 30;

#[derive(Clone, Debug)]
pub(crate) enum AddrKey {
    Inline(u8, [u8; INLINE]),
    Heap(Box<[u8]>),
}

impl AddrKey {
    pub(crate) fn new(addr: &[u8]) -> AddrKey {
        if addr.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..addr.len()].copy_from_slice(addr);
            AddrKey::Inline(addr.len() as u8, bytes)
        } else {
            AddrKey::Heap(addr.into())
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            AddrKey::Inline(len, bytes) => &bytes[..*len as usize],
            AddrKey::Heap(b) => b,
        }
    }
}

// Hash, Eq and Borrow agree with `[u8]`'s, so the table is searched with a plain `&[u8]`.
impl Hash for AddrKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state)
    }
}

impl PartialEq for AddrKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for AddrKey {}

impl Borrow<[u8]> for AddrKey {
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

/// A keyed hash for the peer table: each endpoint draws a random 128-bit key, so an attacker
/// who chooses source addresses cannot aim at one bucket (as with SipHash in `RandomState`),
/// at a fraction of SipHash's cost for a 16-to-28-byte `sockaddr` (folded 64x64->128-bit
/// multiplications, as in foldhash and wyhash).
#[derive(Clone, Debug)]
pub(crate) struct KeyedHash {
    key: [u64; 2],
}

impl KeyedHash {
    pub(crate) fn new() -> KeyedHash {
        let mut seed = [0u8; 16];
        if aws_lc_rs::rand::fill(&mut seed).is_err() {
            // Never expected; fall back to the standard library's random keys.
            let s = std::collections::hash_map::RandomState::new();
            let a = std::hash::BuildHasher::hash_one(&s, 1u64);
            let b = std::hash::BuildHasher::hash_one(&s, 2u64);
            seed[..8].copy_from_slice(&a.to_le_bytes());
            seed[8..].copy_from_slice(&b.to_le_bytes());
        }
        let k0 = u64::from_le_bytes(seed[..8].try_into().unwrap_or_default());
        let k1 = u64::from_le_bytes(seed[8..].try_into().unwrap_or_default());
        // Odd multipliers never lose the low bit.
        KeyedHash {
            key: [k0 | 1, k1 | 1],
        }
    }
}

impl std::hash::BuildHasher for KeyedHash {
    type Hasher = FoldHasher;
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher {
            state: self.key[0] ^ self.key[1].rotate_left(32),
            key: self.key,
        }
    }
}

fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

pub(crate) struct FoldHasher {
    state: u64,
    key: [u64; 2],
}

impl Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(16);
        for c in &mut chunks {
            let a = u64::from_le_bytes(c[..8].try_into().unwrap_or_default());
            let b = u64::from_le_bytes(c[8..].try_into().unwrap_or_default());
            self.state = fold(self.state ^ a ^ self.key[0], b ^ self.key[1]).rotate_left(23);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 16];
            buf[..rest.len()].copy_from_slice(rest);
            let a = u64::from_le_bytes(buf[..8].try_into().unwrap_or_default());
            let b = u64::from_le_bytes(buf[8..].try_into().unwrap_or_default());
            self.state = fold(self.state ^ a ^ self.key[0], b ^ self.key[1]).rotate_left(23);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.state = fold(self.state ^ n as u64, self.key[1]);
    }

    fn finish(&self) -> u64 {
        fold(self.state, self.key[0])
    }
}
