"""tests/vectors/session_v1_hardening.json (docs/PROTOCOL.md sections 17 and 20.4)
reproduced by the independent Python implementation from its fixed inputs: the key update
sequences byte for byte, and the hybrid handshakes with every deterministic value exact (the
ML-KEM ciphertext and ECDSA signatures checked by decapsulation / verification)."""

from __future__ import annotations

import json

import mlkem768
import pytest
from conftest import ffi, gc
from cryptography.hazmat.primitives import serialization
from test_vectors import VECTORS as V1_VECTORS
from test_vectors import h, v1_handshake

FILE = ffi.REPO / "tests" / "vectors" / "session_v1_hardening.json"
if not FILE.exists():
    pytest.skip(f"{FILE} not present", allow_module_level=True)

DOC = json.loads(FILE.read_text())
KEY_UPDATE = DOC["key_update"]
HYBRID = DOC["hybrid"]


def check_generation_table(table, c2s0: bytes, s2c0: bytes) -> None:
    """generations[n] against section 17.1 from the generation-0 secrets."""
    for n, g in enumerate(table):
        assert g["generation"] == n
        for d, s0 in (("c2s", c2s0), ("s2c", s2c0)):
            secret = gc.generation_secret(s0, n)
            assert h(g[f"{d}_secret"]) == secret, (n, d)
            key, iv = gc.traffic_keys(secret)
            assert h(g[f"{d}_key"]) == key and h(g[f"{d}_iv"]) == iv, (n, d)


def test_file_shape():
    assert DOC["protocol"].startswith("gamecrypt session v1")
    assert {v["suite"] for v in HYBRID} == {gc.SUITE_HYBRID_ED25519, gc.SUITE_HYBRID_P256}
    assert len(KEY_UPDATE) >= 1


@pytest.mark.parametrize("v", KEY_UPDATE, ids=[v["name"] for v in KEY_UPDATE])
def test_key_update_vector(v):
    base = next(b for b in V1_VECTORS if b["name"] == v["base_vector"])
    assert v["suite"] == base["suite"]
    client, server = v1_handshake(base)
    check_generation_table(v["generations"], h(base["c2s_secret"]), h(base["s2c_secret"]))
    sides = {"client": client, "server": server}
    seen_close = False
    for e in v["events"]:
        if e["event"] == "update":
            sides[e["by"]].update_keys()
            continue
        assert e["event"] == "packet"
        sender, receiver = (client, server) if e["direction"] == "c2s" else (server, client)
        n = e["generation"]
        gen = v["generations"][n]
        pkt = h(e["packet"])
        assert sender.generation == n
        assert sender.send_secret == h(gen[f"{e['direction']}_secret"])
        assert int.from_bytes(pkt[1:8], "big") == e["packet_number"] == sender.send_pn
        if e["type"] == "data":
            assert pkt[0] == 0x40 | (n & 1)
            assert sender.seal(h(e["plaintext"])) == pkt
            assert receiver.open(pkt) == h(e["plaintext"])
            assert receiver.generation == n
        else:
            assert e["type"] == "close" and pkt[0] == 0x42 | (n & 1)
            assert sender.close() == pkt
            with pytest.raises(gc.GcError) as err:
                receiver.open(pkt)
            assert err.value.name == "PeerClosed"
            seen_close = True
    assert seen_close


@pytest.mark.parametrize("v", HYBRID, ids=[v["name"] for v in HYBRID])
def test_hybrid_vector(v):
    seed, dk = h(v["client_mlkem_seed"]), h(v["client_mlkem_dk"])
    # section 20.4: the expanded key is the FIPS 203 key of the seed (pure-Python keygen)
    ek, dk2 = mlkem768.keygen(seed)
    assert dk2 == dk and mlkem768.dk_check(dk)
    ct, ss_m = h(v["mlkem_ciphertext"]), h(v["mlkem_shared_secret"])
    assert mlkem768.decaps(dk, ct) == ss_m
    if gc.HAVE_CRYPTOGRAPHY_MLKEM:
        assert gc.MlKemKey(seed=seed).decapsulate(ct) == ss_m
        assert gc.MlKemKey(seed=seed).ek == ek

    identity = serialization.load_der_private_key(h(v["server_identity_pkcs8"]), None)
    assert gc.raw_public(identity) == h(v["server_identity_public"])
    fp = gc.fingerprint(identity.public_key())
    assert fp == h(v["server_identity_fingerprint"])
    assert v["trust"] == "pinned_fingerprint"

    # client randomness: client_random, the expanded ML-KEM key, the hybrid X25519 scalar,
    # then the classic scalars in order of first appearance (sections 4, 20.4)
    scalars = v["client_ephemeral_scalars"]
    rng = gc.FixedRng(
        [h(v["client_random"]), dk, h(v["client_hybrid_x25519_scalar"])] + [h(s["scalar"]) for s in scalars]
    )
    client = gc.Client(v["client_suites"], pinned_fingerprint=fp, rng=rng)
    assert [s["group"] for s in scalars] == [g for g in client.ephemerals if g != gc.GROUP_HYBRID]
    ch = client.write_handshake()
    assert ch == h(v["client_hello"])
    offers = gc.parse_client_hello(ch).offers
    hybrid_shares = {o.share for o in offers if gc.SUITES[o.suite].hybrid}
    assert len(hybrid_shares) == 1 and next(iter(hybrid_shares))[:1184] == ek

    # server: server_random, then its X25519 scalar; the encapsulation replays the file's
    def encapsulate(ek_seen):
        assert ek_seen == ek
        return ss_m, ct

    server = gc.Server(
        identity,
        suites=v["server_suites"],
        rng=gc.FixedRng([h(v["server_random"]), h(v["server_x25519_scalar"])]),
        encapsulate=encapsulate,
    )
    server.read_handshake(ch)
    my_sh = server.write_handshake()
    sh = h(v["server_hello"])
    assert my_sh[:-64] == sh[:-64]
    if gc.key_type_of(identity) == gc.KEY_TYPE_ED25519:
        assert my_sh == sh
    th = gc.transcript_hash(ch, sh[:-64])
    assert th == h(v["transcript_hash"])
    assert gc.verify(identity.public_key(), gc.server_signed_message(th), sh[-64:])
    assert server.shared == h(v["shared_secret"])

    client.read_handshake(sh)
    assert client.suite.code == v["suite"]
    assert client.shared == h(v["shared_secret"]) == ss_m + h(v["x25519_shared_secret"])
    assert client.keys.prk == h(v["prk"])
    check_generation_table(v["generations"], client.keys.c2s_secret, client.keys.s2c_secret)
    assert server.keys == client.keys
    cf = client.write_handshake()
    assert cf == h(v["client_finished"])
    server.read_handshake(cf)
    sides = {"c2s": (client, server), "s2c": (server, client)}
    for p in v["packets"]:
        sender, receiver = sides[p["direction"]]
        pkt = h(p["packet"])
        assert int.from_bytes(pkt[1:8], "big") == p["packet_number"]
        assert p["type"] == "data"
        assert sender.seal(h(p["plaintext"])) == pkt
        assert receiver.open(pkt) == h(p["plaintext"])
