#!/usr/bin/env python3
"""Independent check of tests/vectors/session_v1_clientauth.json.

Recomputes every value of every vector from its inputs, following docs/PROTOCOL.md sections
4-10, 21 (client authentication) and 22 (retry cookies) only, with the Python `cryptography`
package: the first ClientHello, the cookie and the Retry, the ClientHello with the cookie,
the ServerHello with the client authentication request, the key schedule, the client's
signature, the ClientFinished plaintext and packet, and the data packets. It also checks the
rules of section 22 on the vector (the cookie is refused for another address, another
ClientHello core, or two slots later). Exit status 0 when everything matches.

Usage: python3 tests/vectors/check_vectors_clientauth.py [path/to/session_v1_clientauth.json]
"""

import hashlib
import hmac
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_vectors import (  # noqa: E402  (helpers written from sections 3, 9 and 10)
    CH_MIN, GROUP, SUITE_KEY_TYPE, ecdh, ephemeral, hkdf_expand, hkdf_extract, key_type_code,
    load_private, raw_public, seal, sign, spki, u16, verify,
)
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305  # noqa: E402


def u64(v):
    return struct.pack(">Q", v)


def cookie_for(secret, slot, address, core_hash):
    mac = hmac.new(secret, b"gamecrypt retry cookie v1\x00" + u64(slot) + u16(len(address))
                   + address + core_hash, hashlib.sha256).digest()
    return u64(slot) + mac


def cookie_valid(secret, period, now, address, core_hash, cookie):
    """Section 22.2 (one secret)."""
    if len(cookie) != 40:
        return False
    slot = struct.unpack(">Q", cookie[:8])[0]
    current = now // period
    if slot not in (current, current - 1):
        return False
    return hmac.compare_digest(cookie_for(secret, slot, address, core_hash), cookie)


def pad(msg):
    return msg + bytes(max(0, CH_MIN - len(msg)))


def check(v):
    x = lambda k: bytes.fromhex(v[k])
    server_priv = load_private(v["server_identity_pkcs8"])
    assert v["trust"] == "pinned_fingerprint"

    # ClientHello core (sections 4 and 22.1).
    eph = {e["group"]: ephemeral(e["group"], e["scalar"]) for e in v["client_ephemeral_scalars"]}
    core = bytes([0x01]) + u16(1) + x("client_random") + bytes([len(v["client_suites"])])
    for code in v["client_suites"]:
        share = eph[GROUP[code]][1]
        core += u16(code) + u16(len(share)) + share
    core_hash = hashlib.sha256(core).digest()

    if v["kind"] == "retry":
        ch1 = pad(core + u16(0))
        assert ch1 == x("client_hello_1"), "first client_hello"
        assert core_hash == x("client_hello_core_hash"), "core hash"
        secret, period, now = x("retry_secret"), v["retry_period"], v["now"]
        address = x("client_address")
        cookie = cookie_for(secret, now // period, address, core_hash)
        assert cookie == x("cookie"), "cookie"
        retry = bytes([0x04]) + u16(1) + core_hash + bytes([len(cookie)]) + cookie
        assert retry == x("retry") and len(retry) == 76, "retry"
        assert len(retry) < len(ch1), "no amplification"
        ext = u16(0x0101) + u16(len(cookie)) + cookie
        ch_unpadded = core + u16(len(ext)) + ext  # what the transcript hashes (section 6)
        ch = pad(ch_unpadded)
        # Section 22.2 rules on this cookie.
        assert cookie_valid(secret, period, now, address, core_hash, cookie)
        assert cookie_valid(secret, period, now + period, address, core_hash, cookie)
        assert not cookie_valid(secret, period, now + 2 * period, address, core_hash, cookie)
        assert not cookie_valid(secret, period, now, address + b"\x01", core_hash, cookie)
        assert not cookie_valid(secret, period, now, address, hashlib.sha256(core + b"x").digest(), cookie)
        assert not cookie_valid(bytes(32), period, now, address, core_hash, cookie)
    else:
        ch_unpadded = core + u16(0)
        ch = pad(ch_unpadded)
    assert ch == x("client_hello"), "client_hello"

    # ServerHello with the client authentication request (sections 6 and 21.2).
    server_suites = v["server_suites"]  # S (section 5), a vector input
    assert all(SUITE_KEY_TYPE[c] == key_type_code(server_priv) for c in server_suites)
    suite = next(c for c in v["client_suites"] if c in server_suites)
    group = GROUP[suite]
    s_priv, s_share = ephemeral(group, v["server_ephemeral_scalar"])
    sig_mode, token_mode = v["signature_mode"], v["token_mode"]
    ext = b"" if (sig_mode, token_mode) == (0, 0) else u16(0x0102) + u16(2) + bytes([sig_mode, token_mode])
    identity = raw_public(server_priv)
    sh_body = (bytes([0x02]) + u16(1) + x("server_random") + u16(suite)
               + bytes([len(server_suites)]) + b"".join(u16(c) for c in server_suites)
               + u16(len(s_share)) + s_share + bytes([0x01]) + u16(len(identity)) + identity
               + u16(len(ext)) + ext)
    th = hashlib.sha256(ch_unpadded + sh_body).digest()
    signed = b"gamecrypt session v1 server signature\x00" + th
    sh = sh_body + sign(server_priv, signed)
    assert sh == x("server_hello"), "server_hello"
    assert th == x("transcript_hash"), "transcript hash"
    verify(server_priv.public_key(), signed, sh[-64:])

    # Key schedule (section 9).
    shared = ecdh(group, eph[group][0], s_share)
    assert shared == ecdh(group, s_priv, eph[group][1]) == x("shared_secret"), "shared secret"
    prk = hkdf_extract(th, shared)
    keys = {}
    for d in ("c2s", "s2c"):
        sec = hkdf_expand(prk, b"gamecrypt v1 " + d.encode(), 32)
        keys[d] = (hkdf_expand(sec, b"gamecrypt v1 key", 32), hkdf_expand(sec, b"gamecrypt v1 iv", 12))
        assert keys[d][0] == x(d + "_key") and keys[d][1] == x(d + "_iv"), d + " key/iv"

    # ClientFinished plaintext (section 21.3).
    plaintext = b""
    if token_mode != 0 and v["client_token"] is not None:
        token = x("client_token")
        assert 1 <= len(token) <= 1024
        plaintext += u16(0x0103) + u16(len(token)) + token
    if sig_mode != 0 and v["client_key_pkcs8"] is not None:
        client_priv = load_private(v["client_key_pkcs8"])
        key = raw_public(client_priv)
        key_type = 1 if len(key) == 65 else 3
        plaintext += u16(0x0104) + u16(3 + len(key) + 64) + bytes([key_type]) + u16(len(key)) + key
        client_signed = (b"gamecrypt session v1 client signature\x00"
                         + hashlib.sha256(ch_unpadded + sh + plaintext).digest())
        assert len(client_signed) == 70
        assert client_signed == x("client_signed_message"), "client signed message"
        signature = sign(client_priv, client_signed)
        verify(client_priv.public_key(), client_signed, signature)
        plaintext += signature
        assert key == x("client_public_key"), "client public key"
        assert hashlib.sha256(spki(client_priv)).digest() == x("client_public_key_fingerprint")
    if v["kind"] == "client_auth":
        assert plaintext == x("client_finished_plaintext"), "client_finished plaintext"
    fin = seal(suite, *keys["c2s"], 0x03, 0, plaintext)
    assert fin == x("client_finished"), "client_finished"
    assert len(fin) == 24 + len(plaintext) <= 1188
    # The Finished opens with the c2s key (the server's view).
    nonce = bytes(a ^ b for a, b in zip(keys["c2s"][1], bytes(12)))
    assert ChaCha20Poly1305(keys["c2s"][0]).decrypt(nonce, fin[8:], fin[:8]) == plaintext

    # Data packets (section 10): client from 1, server from 0 (after the accept).
    next_pn = {"c2s": 1, "s2c": 0}
    for p in v["packets"]:
        d = p["direction"]
        assert p["packet_number"] == next_pn[d]
        pkt = seal(suite, *keys[d], 0x40, next_pn[d], bytes.fromhex(p["plaintext"]))
        assert pkt.hex() == p["packet"], f"{d} packet"
        next_pn[d] += 1
    print(f"ok: {v['name']}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "session_v1_clientauth.json")
    with open(path) as f:
        doc = json.load(f)
    assert doc["vectors"], "no vectors"
    for v in doc["vectors"]:
        check(v)
    print(f"all {len(doc['vectors'])} client authentication and retry vectors match the specification")


if __name__ == "__main__":
    main()
