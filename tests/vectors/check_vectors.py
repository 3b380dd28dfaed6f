#!/usr/bin/env python3
"""Independent check of tests/vectors/session_v1.json.

Recomputes every value of every vector from its inputs, following docs/PROTOCOL.md only, with
the Python `cryptography` package (OpenSSL): message encodings, certificate, ECDH, transcript
hash, HKDF key schedule, ClientFinished and sealed packets. ECDSA signatures (randomized) are
verified instead of compared. Exit status 0 when everything matches.

Usage: python3 tests/vectors/check_vectors.py [path/to/session_v1.json]
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
    ch += bytes(max(0, CH_MIN - len(ch)))
    assert ch == x("client_hello"), "client_hello"

    # Suite selection (section 5): the server accepts the suites of its key type.
    server_suites = [P256_SUITE] if key_type_code(server_priv) == 1 else [X25519_SUITE]
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
    th = hashlib.sha256(ch + sh_body).digest()
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


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "session_v1.json")
    with open(path) as f:
        doc = json.load(f)
    assert doc["vectors"], "no vectors"
    for v in doc["vectors"]:
        check(v)
    print(f"all {len(doc['vectors'])} vectors match the specification")


if __name__ == "__main__":
    main()
