"""Pure-Python ML-KEM-768 (FIPS 203), for the interop tests only.

Python `cryptography` has ML-KEM-768 but takes private keys only as the 64-byte seed `d || z`,
while the reference randomness of docs/PROTOCOL.md section 20.4 hands the client its
2400-byte *expanded* decapsulation key. This module implements FIPS 203 directly (hashlib's
SHA3 / SHAKE and integer arithmetic, algorithm numbers of FIPS 203 in the comments) so that
the tests can decapsulate with an expanded key, check an expanded key against its seed, and
run the encapsulation key check of FIPS 203 section 7.2. It is slow (tens of milliseconds per
operation) and not constant time: never use it outside tests. The live handshakes use
`cryptography`; `tests/interop/test_hybrid.py` cross-checks the two.
"""

from __future__ import annotations

import hashlib

N = 256
Q = 3329
K = 3
ETA1 = 2
ETA2 = 2
DU = 10
DV = 4

EK_LEN = 384 * K + 32  # 1184
DK_LEN = 768 * K + 96  # 2400
CT_LEN = 32 * (DU * K + DV)  # 1088
SEED_LEN = 64
SS_LEN = 32


def _bitrev7(i: int) -> int:
    return int(f"{i:07b}"[::-1], 2)


ZETAS = [pow(17, _bitrev7(i), Q) for i in range(128)]
GAMMAS = [pow(17, 2 * _bitrev7(i) + 1, Q) for i in range(128)]


# --- hash functions (section 4.1)


def G(c: bytes):
    h = hashlib.sha3_512(c).digest()
    return h[:32], h[32:]


def H(s: bytes) -> bytes:
    return hashlib.sha3_256(s).digest()


def J(s: bytes) -> bytes:
    return hashlib.shake_256(s).digest(32)


def PRF(eta: int, s: bytes, b: int) -> bytes:
    return hashlib.shake_256(s + bytes([b])).digest(64 * eta)


# --- encodings (algorithms 5, 6) and compression (section 4.2.1)


def byte_encode(f, d: int) -> bytes:
    x = 0
    for i, a in enumerate(f):
        x |= (a % (1 << d)) << (i * d)
    return x.to_bytes(32 * d, "little")


def byte_decode(b: bytes, d: int):
    x = int.from_bytes(b, "little")
    m = (1 << d) - 1
    f = [(x >> (i * d)) & m for i in range(N)]
    if d == 12:
        f = [a % Q for a in f]
    return f


def compress(x: int, d: int) -> int:
    return ((x << d) + Q // 2) // Q % (1 << d)


def decompress(y: int, d: int) -> int:
    return (y * Q + (1 << (d - 1))) >> d


# --- sampling (algorithms 7, 8)


def sample_ntt(b: bytes):
    stream = hashlib.shake_128(b).digest(3 * 280)
    a = []
    pos = 0
    while len(a) < N:
        if pos + 3 > len(stream):
            stream = hashlib.shake_128(b).digest(len(stream) * 2)
        c0, c1, c2 = stream[pos], stream[pos + 1], stream[pos + 2]
        pos += 3
        d1 = c0 + 256 * (c1 % 16)
        d2 = (c1 // 16) + 16 * c2
        if d1 < Q:
            a.append(d1)
        if d2 < Q and len(a) < N:
            a.append(d2)
    return a


def sample_cbd(b: bytes, eta: int):
    bits = int.from_bytes(b, "little")
    f = []
    for i in range(N):
        x = sum((bits >> (2 * i * eta + j)) & 1 for j in range(eta))
        y = sum((bits >> (2 * i * eta + eta + j)) & 1 for j in range(eta))
        f.append((x - y) % Q)
    return f


# --- NTT (algorithms 9-12)


def ntt(f):
    f = list(f)
    i = 1
    length = 128
    while length >= 2:
        for start in range(0, N, 2 * length):
            z = ZETAS[i]
            i += 1
            for j in range(start, start + length):
                t = z * f[j + length] % Q
                f[j + length] = (f[j] - t) % Q
                f[j] = (f[j] + t) % Q
        length //= 2
    return f


def ntt_inv(f):
    f = list(f)
    i = 127
    length = 2
    while length <= 128:
        for start in range(0, N, 2 * length):
            z = ZETAS[i]
            i -= 1
            for j in range(start, start + length):
                t = f[j]
                f[j] = (t + f[j + length]) % Q
                f[j + length] = z * (f[j + length] - t) % Q
        length *= 2
    return [a * 3303 % Q for a in f]


def mul_ntt(a, b):
    c = [0] * N
    for i in range(128):
        a0, a1, b0, b1 = a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1]
        c[2 * i] = (a0 * b0 + a1 * b1 * GAMMAS[i]) % Q
        c[2 * i + 1] = (a0 * b1 + a1 * b0) % Q
    return c


def _add(a, b):
    return [(x + y) % Q for x, y in zip(a, b)]


def _sub(a, b):
    return [(x - y) % Q for x, y in zip(a, b)]


def _matrix(rho: bytes):
    """A_hat[i][j] = SampleNTT(rho || j || i)."""
    return [[sample_ntt(rho + bytes([j, i])) for j in range(K)] for i in range(K)]


# --- K-PKE (algorithms 13-15)


def kpke_keygen(d: bytes):
    rho, sigma = G(d + bytes([K]))
    a = _matrix(rho)
    n = 0
    s = []
    for _ in range(K):
        s.append(sample_cbd(PRF(ETA1, sigma, n), ETA1))
        n += 1
    e = []
    for _ in range(K):
        e.append(sample_cbd(PRF(ETA1, sigma, n), ETA1))
        n += 1
    s_hat = [ntt(p) for p in s]
    e_hat = [ntt(p) for p in e]
    t_hat = []
    for i in range(K):
        acc = e_hat[i]
        for j in range(K):
            acc = _add(acc, mul_ntt(a[i][j], s_hat[j]))
        t_hat.append(acc)
    ek = b"".join(byte_encode(t, 12) for t in t_hat) + rho
    dk = b"".join(byte_encode(p, 12) for p in s_hat)
    return ek, dk


def kpke_encrypt(ek: bytes, m: bytes, r: bytes) -> bytes:
    t_hat = [byte_decode(ek[384 * i : 384 * (i + 1)], 12) for i in range(K)]
    rho = ek[384 * K :]
    a = _matrix(rho)
    n = 0
    y = []
    for _ in range(K):
        y.append(sample_cbd(PRF(ETA1, r, n), ETA1))
        n += 1
    e1 = []
    for _ in range(K):
        e1.append(sample_cbd(PRF(ETA2, r, n), ETA2))
        n += 1
    e2 = sample_cbd(PRF(ETA2, r, n), ETA2)
    y_hat = [ntt(p) for p in y]
    u = []
    for i in range(K):
        acc = [0] * N
        for j in range(K):
            acc = _add(acc, mul_ntt(a[j][i], y_hat[j]))  # A transposed
        u.append(_add(ntt_inv(acc), e1[i]))
    mu = [decompress(b, 1) for b in byte_decode(m, 1)]
    acc = [0] * N
    for i in range(K):
        acc = _add(acc, mul_ntt(t_hat[i], y_hat[i]))
    v = _add(_add(ntt_inv(acc), e2), mu)
    c1 = b"".join(byte_encode([compress(x, DU) for x in p], DU) for p in u)
    c2 = byte_encode([compress(x, DV) for x in v], DV)
    return c1 + c2


def kpke_decrypt(dk_pke: bytes, c: bytes) -> bytes:
    c1, c2 = c[: 32 * DU * K], c[32 * DU * K :]
    u = [[decompress(x, DU) for x in byte_decode(c1[32 * DU * i : 32 * DU * (i + 1)], DU)] for i in range(K)]
    v = [decompress(x, DV) for x in byte_decode(c2, DV)]
    s_hat = [byte_decode(dk_pke[384 * i : 384 * (i + 1)], 12) for i in range(K)]
    acc = [0] * N
    for i in range(K):
        acc = _add(acc, mul_ntt(s_hat[i], ntt(u[i])))
    w = _sub(v, ntt_inv(acc))
    return byte_encode([compress(x, 1) for x in w], 1)


# --- ML-KEM (algorithms 16-18, key checks of section 7)


def keygen(seed: bytes):
    """(ek, dk) from the 64-byte seed d || z (ML-KEM.KeyGen_internal)."""
    assert len(seed) == SEED_LEN
    d, z = seed[:32], seed[32:]
    ek, dk_pke = kpke_keygen(d)
    return ek, dk_pke + ek + H(ek) + z


def ek_check(ek: bytes) -> bool:
    """FIPS 203 section 7.2: length, and every 12-bit coefficient below q."""
    if len(ek) != EK_LEN:
        return False
    x = int.from_bytes(ek[: 384 * K], "little")
    return all((x >> (12 * i)) & 0xFFF < Q for i in range(N * K))


def dk_check(dk: bytes) -> bool:
    """FIPS 203 section 7.3 hash check of an expanded decapsulation key."""
    return len(dk) == DK_LEN and H(dk[384 * K : 768 * K + 32]) == dk[768 * K + 32 : 768 * K + 64]


def ek_of_dk(dk: bytes) -> bytes:
    return dk[384 * K : 768 * K + 32]


def encaps(ek: bytes, m: bytes):
    """(shared_secret, ciphertext) with the 32-byte randomness m (ML-KEM.Encaps_internal)."""
    shared, r = G(m + H(ek))
    return shared, kpke_encrypt(ek, m, r)


def decaps(dk: bytes, c: bytes) -> bytes:
    """ML-KEM.Decaps_internal, with implicit rejection."""
    assert len(dk) == DK_LEN and len(c) == CT_LEN
    dk_pke = dk[: 384 * K]
    ek = dk[384 * K : 768 * K + 32]
    h = dk[768 * K + 32 : 768 * K + 64]
    z = dk[768 * K + 64 :]
    m2 = kpke_decrypt(dk_pke, c)
    shared, r2 = G(m2 + h)
    rejected = J(z + c)
    if kpke_encrypt(ek, m2, r2) != c:
        return rejected
    return shared
