//! Peer addresses as keys of the peer table: up to 30 bytes (every IPv4 and IPv6 `sockaddr`)
//! are stored inline, so a look-up reads the table's own memory and no second heap block.

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

    #[inline]
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            AddrKey::Inline(len, bytes) => &bytes[..*len as usize],
            AddrKey::Heap(b) => b,
        }
    }
}

impl PartialEq for AddrKey {
    fn eq(&self, other: &Self) -> bool {
        addr_eq(self.as_slice(), other.as_slice())
    }
}

impl Eq for AddrKey {}

#[inline(always)]
fn u64_at(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default())
}

#[inline(always)]
fn u128_at(b: &[u8], i: usize) -> u128 {
    u128::from_le_bytes(b[i..i + 16].try_into().unwrap_or_default())
}

/// Equality of two addresses without a `memcmp` call for the usual `sockaddr` sizes
/// (overlapping word loads from both ends).
#[inline(always)]
pub(crate) fn addr_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        8..=16 => u64_at(a, 0) == u64_at(b, 0) && u64_at(a, n - 8) == u64_at(b, n - 8),
        17..=32 => u128_at(a, 0) == u128_at(b, 0) && u128_at(a, n - 16) == u128_at(b, n - 16),
        _ => a == b,
    }
}

/// Copies an address into `dst` (of the same length) without a `memcpy` call for the usual
/// `sockaddr` sizes (overlapping word moves from both ends).
#[inline(always)]
pub(crate) fn addr_copy(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    match n {
        8..=16 if dst.len() == n => {
            dst[..8].copy_from_slice(&src[..8]);
            dst[n - 8..].copy_from_slice(&src[n - 8..]);
        }
        17..=32 if dst.len() == n => {
            dst[..16].copy_from_slice(&src[..16]);
            dst[n - 16..].copy_from_slice(&src[n - 16..]);
        }
        _ => dst.copy_from_slice(src),
    }
}

/// A keyed hash for the peer table: each endpoint draws a random 128-bit key, so an attacker
/// who chooses source addresses cannot aim at one bucket (as with SipHash in `RandomState`),
/// at a fraction of SipHash's cost for a 16-to-28-byte `sockaddr` (folded 64x64->128-bit
/// multiplications, as in foldhash and wyhash).
#[derive(Clone, Debug)]
struct KeyedHash {
    key: [u64; 2],
}

impl KeyedHash {
    fn new() -> KeyedHash {
        let mut seed = [0u8; 16];
        if aws_lc_rs::rand::fill(&mut seed).is_err() {
            // Never expected; fall back to the standard library's random keys.
            let s = std::collections::hash_map::RandomState::new();
            let a = std::hash::BuildHasher::hash_one(&s, 1u64);
            let b = std::hash::BuildHasher::hash_one(&s, 2u64);
            seed[..8].copy_from_slice(&a.to_le_bytes());
            seed[8..].copy_from_slice(&b.to_le_bytes());
        }
        // Odd multipliers never lose the low bit.
        KeyedHash {
            key: [u64_at(&seed, 0) | 1, u64_at(&seed, 8) | 1],
        }
    }

    /// The keyed hash of an address (its length included).
    #[inline(always)]
    fn hash(&self, bytes: &[u8]) -> u64 {
        let [k0, k1] = self.key;
        let n = bytes.len();
        let mut state = k0 ^ k1.rotate_left(32) ^ (n as u64);
        if (8..=16).contains(&n) {
            // One block without a loop or padding (`sockaddr_in`): two overlapping words
            // cover every byte, and for one length they determine the address.
            let block = fold(state ^ u64_at(bytes, 0) ^ k0, u64_at(bytes, n - 8) ^ k1);
            return fold(block.rotate_left(23), k0);
        }
        let mut chunks = bytes.chunks_exact(16);
        for c in &mut chunks {
            state = fold(state ^ u64_at(c, 0) ^ k0, u64_at(c, 8) ^ k1).rotate_left(23);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 16];
            buf[..rest.len()].copy_from_slice(rest);
            state = fold(state ^ u64_at(&buf, 0) ^ k0, u64_at(&buf, 8) ^ k1).rotate_left(23);
        }
        fold(state, k0)
    }
}

#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// The peer table's index: address -> slot, open addressing with linear probing. Each entry
/// is one `u64`: 32 bits of the address's keyed hash (which also give its home position, so
/// the table grows and deletes without hashing an address again) and the slot index + 1
/// (0: empty). The addresses themselves live in the peers; the caller compares them.
/// At most half full; deletion shifts later entries back (no tombstones).
#[derive(Debug)]
pub(crate) struct AddrTable {
    hash: KeyedHash,
    entries: Vec<u64>,
    len: usize,
}

impl AddrTable {
    pub(crate) fn new() -> AddrTable {
        AddrTable {
            hash: KeyedHash::new(),
            entries: Vec::new(),
            len: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The tag (32 bits of the keyed hash) of an address, for `find`, `insert` and `remove`.
    #[inline(always)]
    pub(crate) fn tag(&self, addr: &[u8]) -> u32 {
        (self.hash.hash(addr) >> 32) as u32
    }

    /// The slot whose tag is `tag` and for which `is_addr(slot)` holds.
    #[inline(always)]
    pub(crate) fn find(&self, tag: u32, mut is_addr: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.entries.is_empty() {
            return None;
        }
        let mask = self.entries.len() - 1;
        let mut pos = tag as usize & mask;
        loop {
            let e = self.entries[pos];
            if e == 0 {
                return None;
            }
            if (e >> 32) as u32 == tag {
                let slot = (e as u32).wrapping_sub(1);
                if is_addr(slot) {
                    return Some(slot);
                }
            }
            pos = (pos + 1) & mask;
        }
    }

    /// A hint: starts fetching the table entry where a look-up of `tag` begins.
    #[inline(always)]
    pub(crate) fn prefetch(&self, tag: u32) {
        let mask = self.entries.len().wrapping_sub(1);
        if let Some(e) = self.entries.get(tag as usize & mask) {
            super::hint::prefetch(e);
        }
    }

    /// The first slot entered under `tag`, whatever its address: a hint for prefetching.
    #[inline(always)]
    pub(crate) fn first(&self, tag: u32) -> Option<u32> {
        self.find(tag, |_| true)
    }

    /// Adds `slot` under `tag` (the caller made sure the address is not in the table).
    pub(crate) fn insert(&mut self, tag: u32, slot: u32) {
        if (self.len + 1) * 2 > self.entries.len() {
            let size = (self.entries.len() * 2).max(16);
            let old = std::mem::replace(&mut self.entries, vec![0; size]);
            for e in old.into_iter().filter(|&e| e != 0) {
                self.place(e);
            }
        }
        self.place((u64::from(tag) << 32) | u64::from(slot + 1));
        self.len += 1;
    }

    fn place(&mut self, e: u64) {
        let mask = self.entries.len() - 1;
        let mut pos = (e >> 32) as usize & mask;
        while self.entries[pos] != 0 {
            pos = (pos + 1) & mask;
        }
        self.entries[pos] = e;
    }

    /// Removes `slot`, entered under `tag`.
    pub(crate) fn remove(&mut self, tag: u32, slot: u32) {
        if self.entries.is_empty() {
            return;
        }
        let mask = self.entries.len() - 1;
        let want = (u64::from(tag) << 32) | u64::from(slot + 1);
        let mut pos = tag as usize & mask;
        loop {
            match self.entries[pos] {
                0 => return,
                e if e == want => break,
                _ => pos = (pos + 1) & mask,
            }
        }
        // Backward shift: move up each later entry of the run that may live at `hole`.
        let mut hole = pos;
        let mut next = (pos + 1) & mask;
        loop {
            let e = self.entries[next];
            if e == 0 {
                break;
            }
            let home = (e >> 32) as usize & mask;
            // `e` may move to `hole` if its home is not cyclically in (hole, next].
            if (next.wrapping_sub(home) & mask) >= (next.wrapping_sub(hole) & mask) {
                self.entries[hole] = e;
                hole = next;
            }
            next = (next + 1) & mask;
        }
        self.entries[hole] = 0;
        self.len -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inserts and removes against a reference map, with tags forced into few home positions
    /// (long runs that wrap around the table), so that every backward shift is exercised.
    #[test]
    fn table_agrees_with_a_reference_map() {
        let mut t = AddrTable::new();
        let mut reference: std::collections::HashMap<u32, u32> = Default::default();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for step in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let slot = (x % 300) as u32;
            // Few distinct homes, high bits varied: collisions of home and of tag alike.
            let tag = (((x >> 20) as u32) & 0xffff_0000) | ((x >> 40) as u32 & 3) | 0xfff0;
            match reference.get(&slot) {
                Some(&old) if step % 3 != 0 => {
                    t.remove(old, slot);
                    reference.remove(&slot);
                }
                Some(_) => {}
                None => {
                    t.insert(tag, slot);
                    reference.insert(slot, tag);
                }
            }
            assert_eq!(t.len(), reference.len());
            if step % 97 == 0 {
                for s in 0..300u32 {
                    let found = reference.get(&s).map(|&tag| t.find(tag, |c| c == s));
                    assert_eq!(found.flatten(), reference.get(&s).map(|_| s), "slot {s}");
                }
            }
        }
        for (&slot, &tag) in &reference {
            assert_eq!(t.find(tag, |c| c == slot), Some(slot));
        }
    }

    #[test]
    fn addresses_compare_by_length_and_every_byte() {
        for n in 1..=40usize {
            let a: Vec<u8> = (0..n as u8).collect();
            assert!(addr_eq(&a, &a.clone()));
            assert!(!addr_eq(&a, &a[..n - 1]));
            for i in 0..n {
                let mut b = a.clone();
                b[i] ^= 0x80;
                assert!(!addr_eq(&a, &b), "length {n}, byte {i}");
            }
        }
        for n in 1..=40usize {
            let a: Vec<u8> = (1..=n as u8).collect();
            let mut b = vec![0u8; n];
            addr_copy(&mut b, &a);
            assert_eq!(a, b, "length {n}");
        }
        let h = KeyedHash::new();
        assert_ne!(h.hash(&[1, 2, 3]), h.hash(&[1, 2, 3, 0]));
    }
}
