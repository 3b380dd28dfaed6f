#!/usr/bin/env python3
"""Independent check of tests/vectors/session_v1.json.

Recomputes every value of every vector from its inputs, following docs/PROTOCOL.md only, with
the Python `cryptography` package (OpenSSL): message encodings, certificate, ECDH, transcript
hash, HKDF key schedule, ClientFinished and sealed packets. ECDSA signatures (randomized) are
verified instead of compared. Exit status 0 when everything matches.

Also checks tests/vectors/session_v1_hardening.json (key update: every generation's secrets,
keys and packets from the v1 traffic secrets; hybrid suites: ML-KEM-768 with `cryptography`
(OpenSSL) plus a pure-Python FIPS 203 key generation from the seed).

Usage: python3 tests/vectors/check_vectors.py [path/to/session_v1.json | path/to/session_v1_hardening.json]
"""

import hashlib
import hmac
import json
import os
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

P256_SUITE, X25519_SUITE = 0x0001, 0x0002
GROUP = {P256_SUITE: "p256", X25519_SUITE: "x25519"}
# Identity key type code (section 3) each suite needs: 1 = ECDSA P-256, 3 = Ed25519.
SUITE_KEY_TYPE = {0x0001: 1, 0x0002: 3, 0x0003: 3, 0x0004: 1}
CH_MIN = 1200


def u16(v):
    return struct.pack(">H", v)


def u64(v):
    return struct.pack(">Q", v)


def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand(prk, info, length):
    assert length <= 32
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()[:length]


def load_private(pkcs8_hex):
    return serialization.load_der_private_key(bytes.fromhex(pkcs8_hex), password=None)


def raw_public(key):
    pub = key.public_key()
    if isinstance(pub, ec.EllipticCurvePublicKey):
        return pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def spki(key):
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_type_code(key):
    return 1 if isinstance(key, ec.EllipticCurvePrivateKey) else 3


def verify(pub, message, sig):
    """Verifies a 64-byte gamecrypt signature (ECDSA r||s or Ed25519)."""
    if isinstance(pub, ec.EllipticCurvePublicKey):
        der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
        pub.verify(der, message, ec.ECDSA(hashes.SHA256()))
    else:
        pub.verify(sig, message)


def sign(priv, message):
    if isinstance(priv, ed25519.Ed25519PrivateKey):
        return priv.sign(message)
    raise ValueError("only deterministic (Ed25519) signatures are recomputed")


def ephemeral(group, scalar_hex):
    scalar = bytes.fromhex(scalar_hex)
    if group == "p256":
        priv = ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())
        share = priv.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    else:
        priv = x25519.X25519PrivateKey.from_private_bytes(scalar)
        share = priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return priv, share


def ecdh(group, priv, peer_share):
    if group == "p256":
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), peer_share)
        return priv.exchange(ec.ECDH(), peer)
    return priv.exchange(x25519.X25519PublicKey.from_public_bytes(peer_share))


def aead(suite, key):
    return AESGCM(key) if suite == P256_SUITE else ChaCha20Poly1305(key)


def seal(suite, key, iv, ptype, pn, plaintext):
    header = bytes([ptype]) + pn.to_bytes(7, "big")
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    return header + aead(suite, key).encrypt(nonce, plaintext, header)


# ---- ML-KEM-768 key generation from its seed (FIPS 203, Algorithms 13 and 16) ----
# Needed because the reference implementation (aws-lc) takes the expanded 2400-byte
# decapsulation key while Python `cryptography` only loads the 64-byte seed: this derives the
# expanded key from the seed, and the check compares its encapsulation key with the one
# `cryptography` (OpenSSL) derives from the same seed.

MLKEM_Q, MLKEM_K, MLKEM_ETA1 = 3329, 3, 2


def _bitrev7(i):
    return int(f"{i:07b}"[::-1], 2)


_ZETAS = [pow(17, _bitrev7(i), MLKEM_Q) for i in range(128)]


def _ntt(f):
    f, i, length = list(f), 1, 128
    while length >= 2:
        for start in range(0, 256, 2 * length):
            z = _ZETAS[i]
            i += 1
            for j in range(start, start + length):
                t = z * f[j + length] % MLKEM_Q
                f[j + length] = (f[j] - t) % MLKEM_Q
                f[j] = (f[j] + t) % MLKEM_Q
        length //= 2
    return f


def _mul_ntt(f, g):
    h = [0] * 256
    for i in range(128):
        gamma = pow(17, 2 * _bitrev7(i) + 1, MLKEM_Q)
        a0, a1, b0, b1 = f[2 * i], f[2 * i + 1], g[2 * i], g[2 * i + 1]
        h[2 * i] = (a0 * b0 + a1 * b1 * gamma) % MLKEM_Q
        h[2 * i + 1] = (a0 * b1 + a1 * b0) % MLKEM_Q
    return h


def _sample_ntt(seed):
    b = hashlib.shake_128(seed).digest(3 * 672)
    a, i = [], 0
    while len(a) < 256:
        c0, c1, c2 = b[i], b[i + 1], b[i + 2]
        i += 3
        d1, d2 = c0 + 256 * (c1 % 16), c1 // 16 + 16 * c2
        if d1 < MLKEM_Q:
            a.append(d1)
        if d2 < MLKEM_Q and len(a) < 256:
            a.append(d2)
    return a


def _cbd(b, eta):
    bits = [(b[i // 8] >> (i % 8)) & 1 for i in range(len(b) * 8)]
    return [(sum(bits[2 * i * eta + j] for j in range(eta))
             - sum(bits[2 * i * eta + eta + j] for j in range(eta))) % MLKEM_Q for i in range(256)]


def _encode12(f):
    out = bytearray()
    for i in range(0, 256, 2):
        a, b = f[i], f[i + 1]
        out += bytes([a & 0xFF, (a >> 8) | ((b & 0xF) << 4), b >> 4])
    return bytes(out)


def mlkem768_keygen(seed):
    """(ek, expanded dk) of ML-KEM-768 from the 64-byte seed d || z."""
    d, z = seed[:32], seed[32:]
    g = hashlib.sha3_512(d + bytes([MLKEM_K])).digest()
    rho, sigma = g[:32], g[32:]
    a = [[_sample_ntt(rho + bytes([j, i])) for j in range(MLKEM_K)] for i in range(MLKEM_K)]
    prf = lambda n: hashlib.shake_256(sigma + bytes([n])).digest(64 * MLKEM_ETA1)
    s = [_ntt(_cbd(prf(i), MLKEM_ETA1)) for i in range(MLKEM_K)]
    e = [_ntt(_cbd(prf(MLKEM_K + i), MLKEM_ETA1)) for i in range(MLKEM_K)]
    t = []
    for i in range(MLKEM_K):
        acc = e[i]
        for j in range(MLKEM_K):
            acc = [(x + y) % MLKEM_Q for x, y in zip(acc, _mul_ntt(a[i][j], s[j]))]
        t.append(acc)
    ek = b"".join(_encode12(x) for x in t) + rho
    dk = b"".join(_encode12(x) for x in s) + ek + hashlib.sha3_256(ek).digest() + z
    return ek, dk


def check(v):
    name = v["name"]
    x = lambda k: bytes.fromhex(v[k])
    server_priv = load_private(v["server_identity_pkcs8"])
    assert raw_public(server_priv) == x("server_identity_public"), "server public key"
    assert spki(server_priv) == x("server_identity_spki"), "server spki"
    assert hashlib.sha256(spki(server_priv)).digest() == x("server_identity_fingerprint"), "fingerprint"

    # Certificate (section 8).
    identity_type, identity = 0x01, raw_public(server_priv)
    if v["certificate"] is not None:
        root = load_private(v["root_pkcs8"])
        assert raw_public(root) == x("root_public")
        name_b = v["certificate_name"].encode()
        body = (bytes([0x01, key_type_code(server_priv)]) + u16(len(identity)) + identity
                + u64(v["certificate_not_before"]) + u64(v["certificate_not_after"])
                + bytes([len(name_b)]) + name_b
                + bytes([key_type_code(root)]) + hashlib.sha256(spki(root)).digest()[:8])
        cert = x("certificate")
        assert cert[:-64] == body, "certificate body"
        cert_msg = b"gamecrypt certificate v1\x00" + body
        verify(root.public_key(), cert_msg, cert[-64:])
        if isinstance(root, ed25519.Ed25519PrivateKey):
            assert sign(root, cert_msg) == cert[-64:], "certificate signature (Ed25519 is deterministic)"
        assert v["certificate_not_before"] <= v["now"] <= v["certificate_not_after"]
        assert v["expected_server_name"] == v["certificate_name"]
        identity_type, identity = 0x02, cert

    # ClientHello (section 4).
    eph = {}
    for e in v["client_ephemeral_scalars"]:
        eph[e["group"]] = ephemeral(e["group"], e["scalar"])
    ch = bytes([0x01]) + u16(1) + x("client_random") + bytes([len(v["client_suites"])])
    for code in v["client_suites"]:
        share = eph[GROUP[code]][1]
        ch += u16(code) + u16(len(share)) + share
    ch += u16(0)
    ch_unpadded = ch  # what the transcript hashes: no zero padding (section 6)
    ch += bytes(max(0, CH_MIN - len(ch)))
    assert ch == x("client_hello"), "client_hello"

    # Suite selection (section 5): the server's accepted suites S are a vector input; each
    # must match the server's identity key type.
    server_suites = v["server_suites"]
    assert 1 <= len(server_suites) <= 16 and len(set(server_suites)) == len(server_suites)
    assert all(SUITE_KEY_TYPE[c] == key_type_code(server_priv) for c in server_suites)
    suite = next(c for c in v["client_suites"] if c in server_suites)
    assert suite == v["suite"], "suite"
    group = GROUP[suite]

    # ServerHello (section 6).
    s_priv, s_share = ephemeral(group, v["server_ephemeral_scalar"])
    sh_body = (bytes([0x02]) + u16(1) + x("server_random") + u16(suite)
               + bytes([len(server_suites)]) + b"".join(u16(c) for c in server_suites)
               + u16(len(s_share)) + s_share
               + bytes([identity_type]) + u16(len(identity)) + identity + u16(0))
    sh = x("server_hello")
    assert sh[:-64] == sh_body, "server_hello body"
    th = hashlib.sha256(ch_unpadded + sh_body).digest()
    assert th == x("transcript_hash"), "transcript hash"
    signed = b"gamecrypt session v1 server signature\x00" + th
    assert len(signed) == 70
    verify(server_priv.public_key(), signed, sh[-64:])
    if v["server_hello_signature_exact"]:
        assert sign(server_priv, signed) == sh[-64:], "server signature"

    # ECDH from both sides and the key schedule (section 9).
    shared = ecdh(group, eph[group][0], s_share)
    assert shared == ecdh(group, s_priv, eph[group][1])
    assert shared == x("shared_secret"), "shared secret"
    prk = hkdf_extract(th, shared)
    assert prk == x("prk"), "prk"
    secrets = {}
    for d in ("c2s", "s2c"):
        sec = hkdf_expand(prk, b"gamecrypt v1 " + d.encode(), 32)
        assert sec == x(d + "_secret"), d + " secret"
        key = hkdf_expand(sec, b"gamecrypt v1 key", 32)
        iv = hkdf_expand(sec, b"gamecrypt v1 iv", 12)
        assert key == x(d + "_key") and iv == x(d + "_iv"), d + " key/iv"
        secrets[d] = (key, iv)

    # ClientFinished (section 10.1).
    fin = seal(suite, *secrets["c2s"], 0x03, 0, b"")
    assert len(fin) == 24 and fin == x("client_finished"), "client_finished"

    # Packets (section 10): c2s numbers continue after the Finished, s2c start at 0.
    next_pn = {"c2s": 1, "s2c": 0}
    for p in v["packets"]:
        d = p["direction"]
        assert p["packet_number"] == next_pn[d]
        ptype = 0x40 if p["type"] == "data" else 0x42
        pkt = seal(suite, *secrets[d], ptype, next_pn[d], bytes.fromhex(p["plaintext"]))
        assert pkt.hex() == p["packet"], f"{d} packet {next_pn[d]}"
        next_pn[d] += 1
    print(f"ok: {name}")


# ---- session_v1_hardening.json: key update (section 17) and hybrid suites (section 20) ----

HYBRID_SUITES = (0x0003, 0x0004)
GROUP.update({0x0003: "x25519mlkem768", 0x0004: "x25519mlkem768"})
CH_MIN_HYBRID = 2048


def next_secret(secret):
    return hkdf_expand(secret, b"gamecrypt v1 key update", 32)


def check_key_update(v, v1):
    """Recomputes every generation from the v1 traffic secrets and every packet."""
    base = v1[v["base_vector"]]
    suite = base["suite"]
    assert v["suite"] == suite
    sec = {"c2s": bytes.fromhex(base["c2s_secret"]), "s2c": bytes.fromhex(base["s2c_secret"])}
    keys = []
    for g in v["generations"]:
        k = {}
        for d in ("c2s", "s2c"):
            key = hkdf_expand(sec[d], b"gamecrypt v1 key", 32)
            iv = hkdf_expand(sec[d], b"gamecrypt v1 iv", 12)
            assert g[d + "_secret"] == sec[d].hex(), f"generation {g['generation']} {d} secret"
            assert g[d + "_key"] == key.hex() and g[d + "_iv"] == iv.hex(), f"{d} key/iv"
            k[d] = (key, iv)
            sec[d] = next_secret(sec[d])
        keys.append(k)
    assert keys[0]["c2s"][0].hex() == base["c2s_key"], "generation 0 is the v1 key schedule"
    # Replay the events: one generation for both directions at each endpoint; packet numbers
    # continue (c2s after the ClientFinished at 1, s2c at 0).
    gen = {"client": 0, "server": 0}
    next_pn = {"c2s": 1, "s2c": 0}
    closed = False
    for e in v["events"]:
        assert not closed, "nothing after a close"
        if e["event"] == "update":
            gen[e["by"]] += 1
            continue
        d = e["direction"]
        sender, receiver = ("client", "server") if d == "c2s" else ("server", "client")
        g = gen[sender]
        assert e["generation"] == g and e["packet_number"] == next_pn[d]
        kind = 1 if e["type"] == "close" else 0
        ptype = 0x40 | (kind << 1) | (g & 1)
        pkt = seal(suite, *keys[g][d], ptype, next_pn[d], bytes.fromhex(e["plaintext"]))
        assert pkt.hex() == e["packet"], f"{d} packet {next_pn[d]} (generation {g})"
        # The receiver opens it with its current or next generation and follows.
        assert g in (gen[receiver], gen[receiver] + 1)
        gen[receiver] = g
        next_pn[d] += 1
        closed = kind == 1
    assert closed
    print(f"ok: {v['name']}")


def check_hybrid(v):
    from cryptography.hazmat.primitives.asymmetric import mlkem

    x = lambda k: bytes.fromhex(v[k])
    server_priv = load_private(v["server_identity_pkcs8"])
    assert raw_public(server_priv) == x("server_identity_public")
    assert hashlib.sha256(spki(server_priv)).digest() == x("server_identity_fingerprint")
    # ML-KEM-768 key: expanded key from the seed, checked against OpenSSL's key from the seed.
    seed = x("client_mlkem_seed")
    ek, dk = mlkem768_keygen(seed)
    assert dk == x("client_mlkem_dk"), "expanded decapsulation key"
    kem = mlkem.MLKEM768PrivateKey.from_seed_bytes(seed)
    assert kem.public_key().public_bytes_raw() == ek, "ML-KEM encapsulation key (OpenSSL)"
    hx_priv, hx_pub = ephemeral("x25519", v["client_hybrid_x25519_scalar"])
    shares = {"x25519mlkem768": ek + hx_pub}
    privs = {}
    for e in v["client_ephemeral_scalars"]:
        privs[e["group"]], shares[e["group"]] = ephemeral(e["group"], e["scalar"])
    assert len(shares["x25519mlkem768"]) == 1216
    # ClientHello: the hybrid share in both hybrid offers, padded to 2048 (section 20.2).
    ch = bytes([0x01]) + u16(1) + x("client_random") + bytes([len(v["client_suites"])])
    for code in v["client_suites"]:
        share = shares[GROUP[code]]
        ch += u16(code) + u16(len(share)) + share
    ch += u16(0)
    ch_unpadded = ch  # what the transcript hashes (section 6)
    minimum = CH_MIN_HYBRID if any(c in HYBRID_SUITES for c in v["client_suites"]) else CH_MIN
    ch += bytes(max(0, minimum - len(ch)))
    assert ch == x("client_hello"), "client_hello"
    suite = next(c for c in v["client_suites"] if c in v["server_suites"])
    assert suite == v["suite"] and suite in HYBRID_SUITES
    # ServerHello: exact except the randomized ML-KEM ciphertext (and ECDSA signature).
    ct = x("mlkem_ciphertext")
    assert len(ct) == 1088
    sx_priv, sx_pub = ephemeral("x25519", v["server_x25519_scalar"])
    identity = raw_public(server_priv)
    sh_body = (bytes([0x02]) + u16(1) + x("server_random") + u16(suite)
               + bytes([len(v["server_suites"])]) + b"".join(u16(c) for c in v["server_suites"])
               + u16(1120) + ct + sx_pub
               + bytes([0x01]) + u16(len(identity)) + identity + u16(0))
    sh = x("server_hello")
    assert sh[:-64] == sh_body, "server_hello body"
    assert len(sh) < len(ch), "anti-amplification"
    th = hashlib.sha256(ch_unpadded + sh_body).digest()
    assert th == x("transcript_hash")
    verify(server_priv.public_key(), b"gamecrypt session v1 server signature\x00" + th, sh[-64:])
    if isinstance(server_priv, ed25519.Ed25519PrivateKey):
        assert sign(server_priv, b"gamecrypt session v1 server signature\x00" + th) == sh[-64:]
    # Shared secret: ML-KEM (OpenSSL decapsulation) || X25519, both sides for X25519.
    ss_k = kem.decapsulate(ct)
    assert ss_k == x("mlkem_shared_secret"), "ML-KEM shared secret"
    ss_x = hx_priv.exchange(x25519.X25519PublicKey.from_public_bytes(sx_pub))
    assert ss_x == sx_priv.exchange(x25519.X25519PublicKey.from_public_bytes(hx_pub))
    assert ss_x == x("x25519_shared_secret")
    shared = ss_k + ss_x
    assert shared == x("shared_secret") and len(shared) == 64
    prk = hkdf_extract(th, shared)
    assert prk == x("prk")
    g0 = v["generations"][0]
    keys = {}
    for d in ("c2s", "s2c"):
        sec = hkdf_expand(prk, b"gamecrypt v1 " + d.encode(), 32)
        key, iv = hkdf_expand(sec, b"gamecrypt v1 key", 32), hkdf_expand(sec, b"gamecrypt v1 iv", 12)
        assert (g0[d + "_secret"], g0[d + "_key"], g0[d + "_iv"]) == (sec.hex(), key.hex(), iv.hex())
        keys[d] = (key, iv)
    assert seal(suite_aead(suite), *keys["c2s"], 0x03, 0, b"") == x("client_finished")
    next_pn = {"c2s": 1, "s2c": 0}
    for p in v["packets"]:
        d = p["direction"]
        assert p["packet_number"] == next_pn[d]
        pkt = seal(suite_aead(suite), *keys[d], 0x40, next_pn[d], bytes.fromhex(p["plaintext"]))
        assert pkt.hex() == p["packet"], f"{d} packet {next_pn[d]}"
        next_pn[d] += 1
    print(f"ok: {v['name']}")


def suite_aead(suite):
    """The suite code whose AEAD `aead()` understands (0x0001 AES-256-GCM, 0x0002 ChaCha)."""
    return P256_SUITE if suite in (0x0001, 0x0004) else X25519_SUITE


def check_hardening(doc, path):
    v1_path = os.path.join(os.path.dirname(path), "session_v1.json")
    with open(v1_path) as f:
        v1 = {b["name"]: b for b in json.load(f)["vectors"]}
    assert doc["key_update"] and doc["hybrid"], "no vectors"
    for v in doc["key_update"]:
        check_key_update(v, v1)
    for v in doc["hybrid"]:
        check_hybrid(v)
    n = len(doc["key_update"]) + len(doc["hybrid"])
    print(f"all {n} hardening vectors match the specification")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--mlkem-dk":
        # Helper for the vector generator: the expanded decapsulation key of a seed.
        print(mlkem768_keygen(bytes.fromhex(sys.argv[2]))[1].hex())
        return
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "session_v1.json")
    with open(path) as f:
        doc = json.load(f)
    if "key_update" in doc:
        check_hardening(doc, path)
        return
    assert doc["vectors"], "no vectors"
    for v in doc["vectors"]:
        check(v)
    print(f"all {len(doc['vectors'])} vectors match the specification")


if __name__ == "__main__":
    main()
