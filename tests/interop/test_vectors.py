"""tests/vectors/session_v1.json reproduced by the independent Python implementation from its
fixed inputs (section 14): every deterministic byte exactly; ECDSA signatures by verification."""

from __future__ import annotations

import json

import pytest
from conftest import ffi, gc
from cryptography.hazmat.primitives import serialization

VECTORS_FILE = ffi.REPO / "tests" / "vectors" / "session_v1.json"

if not VECTORS_FILE.exists():
    pytest.skip(f"{VECTORS_FILE} not present", allow_module_level=True)

DOC = json.loads(VECTORS_FILE.read_text())
VECTORS = DOC["vectors"]


def h(x):
    return None if x is None else bytes.fromhex(x)


def test_file_covers_both_suites():
    assert DOC["protocol"] == "gamecrypt session v1"
    assert {v["suite"] for v in VECTORS} == {gc.SUITE_P256, gc.SUITE_X25519}


def v1_handshake(v):
    """Reproduces the handshake of a session_v1.json vector with the Python client and
    server from its fixed inputs, checking every value on the way; returns (client, server),
    both established."""
    identity = serialization.load_der_private_key(h(v["server_identity_pkcs8"]), None)
    assert gc.raw_public(identity) == h(v["server_identity_public"])
    assert gc.spki_der(identity.public_key()) == h(v["server_identity_spki"])
    assert gc.fingerprint(identity.public_key()) == h(v["server_identity_fingerprint"])

    # --- certificate (section 8)
    root = None
    cert = h(v["certificate"])
    if cert is not None:
        root = serialization.load_der_private_key(h(v["root_pkcs8"]), None)
        assert gc.raw_public(root) == h(v["root_public"])
        mine = gc.issue_certificate(
            root, identity.public_key(), v["certificate_name"],
            v["certificate_not_before"], v["certificate_not_after"],
        )
        if gc.key_type_of(root) == gc.KEY_TYPE_ED25519:
            assert mine == cert
        else:
            assert mine[:-64] == cert[:-64]
        gc.verify_certificate(cert, root.public_key(), v["now"], v["expected_server_name"])
        # and the library accepts the file's certificate
        rc = ffi.certificate_verify(cert, gc.spki_der(root.public_key()), v["expected_server_name"], v["now"])
        assert rc == ffi.RESULT["OK"]

    # --- client: fixed randomness (section 4): client_random, then one scalar per group
    scalars = v["client_ephemeral_scalars"]
    groups = []
    for code in v["client_suites"]:
        g = gc.SUITES[code].group
        if g not in groups:
            groups.append(g)
    assert [s["group"] for s in scalars] == groups
    trust = {
        "pinned_fingerprint": dict(pinned_fingerprint=h(v["server_identity_fingerprint"])),
        "pinned_key": dict(pinned_key=identity.public_key()),
        "root": dict(root_key=root.public_key() if root else None),
    }[v["trust"]]
    client = gc.Client(
        v["client_suites"],
        rng=gc.FixedRng([h(v["client_random"])] + [h(s["scalar"]) for s in scalars]),
        server_name=v["expected_server_name"],
        now=v["now"],
        dangerous_accept_any_server_name=v["trust"] == "root" and v["expected_server_name"] is None,
        **trust,
    )
    assert client.write_handshake() == h(v["client_hello"])

    # --- server: server_random, then the ephemeral scalar (section 6)
    # the server's accepted suites S are a vector input (section 14, SPEC_GAPS.md G12)
    server = gc.Server(
        identity,
        suites=v["server_suites"],
        certificate=cert,
        rng=gc.FixedRng([h(v["server_random"]), h(v["server_ephemeral_scalar"])]),
    )
    server.read_handshake(h(v["client_hello"]))
    my_sh = server.write_handshake()
    sh = h(v["server_hello"])
    assert my_sh[:-64] == sh[:-64]
    if v["server_hello_signature_exact"]:
        assert my_sh == sh
    else:
        assert gc.key_type_of(identity) == gc.KEY_TYPE_P256
    th = gc.transcript_hash(h(v["client_hello"]), sh[:-64])
    assert th == h(v["transcript_hash"])
    assert gc.verify(identity.public_key(), gc.server_signed_message(th), sh[-64:])

    # --- the client processes the file's ServerHello
    client.read_handshake(sh)
    assert client.suite.code == v["suite"]
    assert client.shared == h(v["shared_secret"])
    assert client.transcript_hash == h(v["transcript_hash"])
    ks = client.keys
    for name in ("prk", "c2s_secret", "s2c_secret", "c2s_key", "c2s_iv", "s2c_key", "s2c_iv"):
        assert getattr(ks, name) == h(v[name]), name
    assert server.keys == ks
    cf = client.write_handshake()
    assert cf == h(v["client_finished"])
    server.read_handshake(cf)
    return client, server


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_reproduce_vector(v):
    client, server = v1_handshake(v)

    # --- packets, in file order
    sides = {"c2s": (client, server), "s2c": (server, client)}
    for p in v["packets"]:
        sender, receiver = sides[p["direction"]]
        pkt = h(p["packet"])
        assert int.from_bytes(pkt[1:8], "big") == p["packet_number"]
        if p["type"] == "data":
            assert sender.seal(h(p["plaintext"])) == pkt
            assert receiver.open(pkt) == h(p["plaintext"])
        else:
            assert p["type"] == "close"
            assert sender.close() == pkt
            with pytest.raises(gc.GcError) as e:
                receiver.open(pkt)
            assert e.value.name == "PeerClosed"


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_rejections(v):
    """The file's `rejections` (section 14.1): the Python peer refuses each message with the
    named error, and so does the library through the C ABI (stream mode, where nothing is
    dropped)."""
    identity = serialization.load_der_private_key(h(v["server_identity_pkcs8"]), None)
    assert v["rejections"]
    for r in v["rejections"]:
        msg = h(r["message"])
        if r["to"] == "server":
            with pytest.raises(gc.GcError) as e:
                gc.parse_client_hello(msg)
            assert e.value.name == r["error"], r["name"]
            lib = ffi.Session.server(ffi.ServerConfig(h(v["server_identity_pkcs8"])), "stream")
        else:
            trust = {
                "pinned_fingerprint": dict(pinned_fingerprint=h(v["server_identity_fingerprint"])),
                "pinned_key": dict(pinned_key=identity.public_key()),
            }[v["trust"]]
            observer = gc.Client.observer(h(v["client_hello"]), v["client_suites"], **trust)
            with pytest.raises(gc.GcError) as e:
                observer.check_server_hello(msg)
            assert e.value.name == r["error"], r["name"]
            if v["trust"] == "pinned_fingerprint":
                cfg = ffi.ClientConfig.pinned_fingerprint(h(v["server_identity_fingerprint"]), suites=v["client_suites"])
            else:
                cfg = ffi.ClientConfig.pinned_key(h(v["server_identity_spki"]), suites=v["client_suites"])
            lib = ffi.Session.client(cfg, "stream")
            lib.write_handshake()  # its own ClientHello: the same error (another transcript)
        header = "".join("_" + c if c.isupper() else c for c in r["error"]).lstrip("_").upper()
        assert ffi.result_of(lib.read_handshake, msg) == ffi.RESULT[header], r["name"]
