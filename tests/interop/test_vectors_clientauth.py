"""tests/vectors/session_v1_clientauth.json (docs/PROTOCOL.md sections 21, 22) reproduced
byte for byte by the independent Python implementation from its fixed inputs (every value is
exact: Ed25519 signatures are deterministic)."""

from __future__ import annotations

import json

import pytest
from conftest import ffi, gc
from cryptography.hazmat.primitives import serialization
from test_vectors import h

FILE = ffi.REPO / "tests" / "vectors" / "session_v1_clientauth.json"
if not FILE.exists():
    pytest.skip(f"{FILE} not present", allow_module_level=True)

DOC = json.loads(FILE.read_text())
VECTORS = DOC["vectors"]


def test_file_shape():
    assert {v["kind"] for v in VECTORS} == {"client_auth", "retry"}


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_reproduce_vector(v):
    identity = serialization.load_der_private_key(h(v["server_identity_pkcs8"]), None)
    assert v["trust"] == "pinned_fingerprint"
    client_key = None
    if v["client_key_pkcs8"] is not None:
        client_key = serialization.load_der_private_key(h(v["client_key_pkcs8"]), None)
        assert gc.raw_public(client_key) == h(v["client_public_key"])
        assert gc.fingerprint(client_key.public_key()) == h(v["client_public_key_fingerprint"])
    token = h(v["client_token"])
    scalars = v["client_ephemeral_scalars"]
    client = gc.Client(
        v["client_suites"],
        pinned_fingerprint=gc.fingerprint(identity.public_key()),
        rng=gc.FixedRng([h(v["client_random"])] + [h(s["scalar"]) for s in scalars]),
        client_key=client_key,
        token=token,
    )
    retry = None
    address = h(v["client_address"])
    if v["kind"] == "retry":
        retry = gc.RetryConfig(h(v["retry_secret"]), v["retry_period"], now=v["now"])
        ch1 = client.write_handshake()
        assert ch1 == h(v["client_hello_1"])
        assert gc.sha256(client.core) == h(v["client_hello_core_hash"])
        action, msg = retry.check_client_hello(address, ch1)
        assert action == gc.SEND_RETRY
        assert msg == h(v["retry"])
        assert msg[36:] == h(v["cookie"]) and len(msg) == 76
        client.read_handshake(msg)
        assert client.state == gc.NEED_WRITE
    ch = client.write_handshake()
    assert ch == h(v["client_hello"])
    if retry is not None:
        assert retry.check_client_hello(address, ch) == (gc.ACCEPT, b"")

    # the server's accepted suites S are a vector input (section 14, SPEC_GAPS.md G12)
    server = gc.Server(
        identity,
        suites=v["server_suites"],
        rng=gc.FixedRng([h(v["server_random"]), h(v["server_ephemeral_scalar"])]),
        signature_mode=v["signature_mode"],
        token_mode=v["token_mode"],
        retry=retry,
        address=address,
    )
    server.read_handshake(ch)
    sh = server.write_handshake()
    assert sh == h(v["server_hello"])
    assert server.transcript_hash == h(v["transcript_hash"])
    assert server.shared == h(v["shared_secret"])
    client.read_handshake(sh)
    assert client.shared == h(v["shared_secret"])
    for name in ("c2s_key", "c2s_iv", "s2c_key", "s2c_iv"):
        assert getattr(client.keys, name) == h(v[name]), name
    cf = client.write_handshake()
    assert cf == h(v["client_finished"])
    if v["kind"] == "client_auth":
        p = client.client_finished_plaintext
        assert p == h(v["client_finished_plaintext"])
        assert gc.client_signed_message(ch, sh, p[:-64]) == h(v["client_signed_message"])
    else:
        assert len(cf) == 24
    server.read_handshake(cf)
    if server.requests_auth:
        assert server.state == gc.NEED_ACCEPT
        assert server.client_token == token
        assert gc.raw_public(server.client_public_key) == h(v["client_public_key"])
        server.accept()
    assert server.state == gc.ESTABLISHED
    sides = {"c2s": (client, server), "s2c": (server, client)}
    for pk in v["packets"]:
        sender, receiver = sides[pk["direction"]]
        pkt = h(pk["packet"])
        assert int.from_bytes(pkt[1:8], "big") == pk["packet_number"]
        assert sender.seal(h(pk["plaintext"])) == pkt
        assert receiver.open(pkt) == h(pk["plaintext"])


@pytest.mark.parametrize("v", [v for v in VECTORS if v["kind"] == "retry"], ids=lambda v: v["name"])
def test_library_stateless_check_reproduces_the_retry(v):
    """The library's stateless check, with the vector's secret, period and clock, answers the
    vector's first ClientHello with exactly the vector's Retry and accepts its CH2."""
    cfg = ffi.ServerConfig(
        h(v["server_identity_pkcs8"]), retry_period=v["retry_period"], retry_secret=h(v["retry_secret"]), now=v["now"]
    )
    address = h(v["client_address"])
    assert cfg.check_client_hello(address, h(v["client_hello_1"])) == ("SEND_RETRY", h(v["retry"]))
    assert cfg.check_client_hello(address, h(v["client_hello"])) == ("ACCEPT", b"")
    session = ffi.Session.server(cfg, "datagram", address=address)
    session.read_handshake(h(v["client_hello"]))
    assert session.state == "NEED_WRITE"
