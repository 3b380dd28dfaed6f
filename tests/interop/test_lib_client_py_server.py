"""The library's client (C ABI) against the Python server (gcsession)."""

from __future__ import annotations

import os

import pytest
from conftest import KEY_TYPE, SUITE_IDS, SUITES, gc, ffi, lib_handshake_with_py_server, python_identity

NOW = 1_750_000_000
NAME = "na-3.game.example"
R = ffi.RESULT


def exchange_data(client: ffi.Session, server: gc.Server) -> None:
    sizes = [0, 1, 16, 1199, 65536]
    for i, n in enumerate(sizes):
        msg = os.urandom(n)
        pkt = client.seal(msg)
        assert len(pkt) == n + 24
        assert pkt[0] == 0x40 and int.from_bytes(pkt[1:8], "big") == i + 1
        assert server.open(pkt) == msg
        back = os.urandom(n)
        pkt = server.seal(back)
        assert client.open(pkt) == back


@pytest.mark.parametrize("key_form", ["spki", "raw"])
@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_pinned_key(suite, mode, key_form):
    """The Python server's key exported as SPKI (section 3 prefixes) or raw and imported into
    a library public key handle for the pin."""
    ident = python_identity(KEY_TYPE[suite])
    # the library client offers every suite of the pinned key's type (section 20.3): the
    # Python server accepting only `suite` makes it the negotiated one
    server = gc.Server(ident.private, suites=[suite], mode=mode)
    if key_form == "spki":
        pin = ffi.PublicKey.from_spki(gc.spki_der(ident.public))
    else:
        pin = ffi.PublicKey.from_raw(ident.key_type, gc.raw_public(ident.public))
    client = ffi.Session.client(ffi.ClientConfig.pinned_key(pin), mode)
    lib_handshake_with_py_server(client, server)
    assert client.suite() == suite == server.suite.code
    assert client.server_public_key() == ident.spki
    exchange_data(client, server)


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_pinned_fingerprint(suite, mode):
    ident = python_identity(KEY_TYPE[suite])
    server = gc.Server(ident.private, mode=mode)
    cfg = ffi.ClientConfig.pinned_fingerprint(gc.fingerprint(ident.public), suites=[suite])
    client = ffi.Session.client(cfg, mode)
    lib_handshake_with_py_server(client, server)
    exchange_data(client, server)


@pytest.mark.parametrize(
    "key_type, server_suites, expected",
    [
        (gc.KEY_TYPE_ED25519, None, gc.SUITE_HYBRID_ED25519),
        (gc.KEY_TYPE_P256, None, gc.SUITE_HYBRID_P256),
        (gc.KEY_TYPE_ED25519, [gc.SUITE_X25519], gc.SUITE_X25519),
        (gc.KEY_TYPE_P256, [gc.SUITE_P256], gc.SUITE_P256),
    ],
    ids=["ed25519-default", "p256-default", "ed25519-classic-only", "p256-classic-only"],
)
def test_pinned_fingerprint_default_suites_pick_the_servers(key_type, server_suites, expected):
    """Section 20.3: the library's default offer list is 0x0003, 0x0004, 0x0001, 0x0002 (one
    hybrid share used in both hybrid offers, section 4), 2583 bytes; a Python server with
    its default suites (every suite its key can sign for) negotiates the hybrid suite of its
    key type, a classic-only server the classic one."""
    ident = python_identity(key_type)
    server = gc.Server(ident.private, suites=server_suites)
    client = ffi.Session.client(ffi.ClientConfig.pinned_fingerprint(gc.fingerprint(ident.public)))
    ch = client.write_handshake()
    parsed = gc.parse_client_hello(ch)
    assert [o.suite for o in parsed.offers] == list(gc.DEFAULT_OFFERS)
    assert [len(o.share) for o in parsed.offers] == [1216, 1216, 65, 32]
    assert parsed.offers[0].share == parsed.offers[1].share
    assert parsed.extensions == []
    assert len(ch) == 2583
    server.read_handshake(ch)
    client.read_handshake(server.write_handshake())
    server.read_handshake(client.write_handshake())
    assert client.suite() == expected == server.suite.code
    exchange_data(client, server)


@pytest.mark.parametrize("root_type", [gc.KEY_TYPE_P256, gc.KEY_TYPE_ED25519], ids=["root-p256", "root-ed25519"])
@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_python_certificate_accepted(suite, root_type, mode):
    root = python_identity(root_type)
    ident = python_identity(KEY_TYPE[suite])
    cert = gc.issue_certificate(root.private, ident.public, NAME, NOW - 60, NOW + 60)
    server = gc.Server(ident.private, suites=[suite], certificate=cert, mode=mode)
    cfg = ffi.ClientConfig.root(gc.spki_der(root.public), server_name=NAME, now=NOW)
    client = ffi.Session.client(cfg, mode)
    lib_handshake_with_py_server(client, server)
    assert client.suite() == suite
    assert client.server_public_key() == ident.spki
    exchange_data(client, server)


def _lib_client_outcome(cfg, server: gc.Server) -> int:
    """The library client's verdict in stream mode, where a failed check is fatal with its
    own code (datagram mode drops the ServerHello instead, section 12.1)."""
    client = ffi.Session.client(cfg, "stream")
    server.read_handshake(client.write_handshake())
    rc = ffi.result_of(client.read_handshake, server.write_handshake())
    if rc != R["OK"]:
        assert client.state == "FAILED"
        assert ffi.result_of(client.write_handshake) == R["SESSION_FAILED"]
    return rc


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_python_certificate_rejected(suite):
    root = python_identity(gc.KEY_TYPE_P256)
    ident = python_identity(KEY_TYPE[suite])
    root_spki = gc.spki_der(root.public)

    def outcome(cert, name=NAME, now=NOW, anchor=root_spki):
        server = gc.Server(ident.private, certificate=cert)
        return _lib_client_outcome(ffi.ClientConfig.root(anchor, server_name=name, now=now), server)

    good = gc.issue_certificate(root.private, ident.public, NAME, NOW, NOW + 100)
    assert outcome(good) == R["OK"]
    assert outcome(good, now=NOW + 100) == R["OK"]
    assert outcome(good, now=NOW + 101) == R["CERTIFICATE_EXPIRED"]
    assert outcome(good, now=NOW - 1) == R["CERTIFICATE_NOT_YET_VALID"]
    assert outcome(good, name="NA-3.game.example") == R["CERTIFICATE_WRONG_NAME"]
    other_root = python_identity(gc.KEY_TYPE_ED25519)
    assert outcome(good, anchor=other_root.spki) == R["CERTIFICATE_SIGNATURE_INVALID"]
    forged = gc.issue_certificate(other_root.private, ident.public, NAME, NOW, NOW + 100)
    assert outcome(forged) == R["CERTIFICATE_SIGNATURE_INVALID"]
    # a certificate for another server key: the server's signature is made with its own key
    stranger = python_identity(KEY_TYPE[suite])
    assert outcome(gc.issue_certificate(root.private, stranger.public, NAME, NOW, NOW)) == R[
        "HANDSHAKE_SIGNATURE_INVALID"
    ]
    # a certificate whose key type does not match the suite
    wrong_type = python_identity(4 - KEY_TYPE[suite])
    assert outcome(gc.issue_certificate(root.private, wrong_type.public, NAME, NOW, NOW)) == R[
        "HANDSHAKE_MALFORMED"
    ]
    # garbage as certificate
    assert outcome(good[:-1]) == R["CERTIFICATE_MALFORMED"]
    # no certificate at all
    assert outcome(None) == R["CERTIFICATE_MISSING"]


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_pinned_mismatch(suite):
    ident = python_identity(KEY_TYPE[suite])
    other = python_identity(KEY_TYPE[suite])
    server = gc.Server(ident.private)
    assert _lib_client_outcome(ffi.ClientConfig.pinned_key(other.spki), server) == R["PINNED_KEY_MISMATCH"]
    server = gc.Server(ident.private)
    cfg = ffi.ClientConfig.pinned_fingerprint(gc.fingerprint(other.public), suites=[suite])
    assert _lib_client_outcome(cfg, server) == R["FINGERPRINT_MISMATCH"]
    # with a pin, a certificate is not validated, its key is used (section 7, step 8)
    root = python_identity(gc.KEY_TYPE_P256)
    expired = gc.issue_certificate(root.private, ident.public, "whatever", 1, 2)
    server = gc.Server(ident.private, certificate=expired)
    assert _lib_client_outcome(ffi.ClientConfig.pinned_key(ident.spki), server) == R["OK"]


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_stream_order_enforced_by_python_server(suite):
    """The Python server's stream mode against the library client: order matters."""
    ident = python_identity(KEY_TYPE[suite])
    server = gc.Server(ident.private, mode="stream")
    client = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki), "stream")
    lib_handshake_with_py_server(client, server)
    client.seal(b"1")  # lost
    p2 = client.seal(b"2")
    with pytest.raises(gc.GcError) as e:
        server.open(p2)
    assert e.value.name == "PacketOutOfOrder"
    assert server.state == gc.FAILED


def test_datagram_retransmission_python_server():
    """Section 13 with a Python server: the library client's ClientHello is resent
    byte-identically; the Python server answers PacketReplayed and resends its ServerHello."""
    ident = python_identity(gc.KEY_TYPE_P256)
    server = gc.Server(ident.private)
    client = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki))
    ch = client.write_handshake()
    assert ffi.result_of(client.write_handshake) == R["WRONG_STATE"]
    server.read_handshake(ch)
    sh = server.write_handshake()
    with pytest.raises(gc.GcError) as e:
        server.read_handshake(ch)
    assert e.value.name == "PacketReplayed"
    client.read_handshake(sh)
    assert ffi.result_of(client.read_handshake, sh) == R["WRONG_STATE"]
    cf = client.write_handshake()
    assert len(cf) == 24 and cf[:8] == b"\x03" + bytes(7)
    server.read_handshake(cf)
    with pytest.raises(gc.GcError) as e:
        server.read_handshake(cf)
    assert e.value.name == "WrongState"
    assert client.open(server.seal(b"first")) == b"first"
