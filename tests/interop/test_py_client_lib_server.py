"""Python client (gcsession) against the library's server (C ABI)."""

from __future__ import annotations

import os
import time

import pytest
from conftest import KEY_TYPE, SUITE_IDS, SUITES, gc, ffi, library_identity, lib_handshake_with_py_client

NOW = 1_750_000_000
NAME = "eu-1.game.example"


def lib_server(ident, mode, suites=None, certificate=None):
    return ffi.Session.server(ffi.ServerConfig(ident.pkcs8, suites=suites, certificate=certificate), mode)


def exchange_data(client: gc.Client, server: ffi.Session, mode: str) -> None:
    """Both directions, each side opening the other's packets, with framing checks."""
    # client: ClientFinished was packet 0, so its data starts at 1; the server's at 0
    sizes = [0, 1, 15, 16, 17, 1200, 70000]
    for i, n in enumerate(sizes):
        msg = os.urandom(n)
        pkt = client.seal(msg)
        assert len(pkt) == n + 24
        assert pkt[0] == 0x40 and int.from_bytes(pkt[1:8], "big") == i + 1
        assert server.open(pkt) == msg
        back = os.urandom(n)
        pkt = server.seal(back)
        assert len(pkt) == n + 24
        assert pkt[0] == 0x40 and int.from_bytes(pkt[1:8], "big") == i
        assert client.open(pkt) == back


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_pinned_key(suite, mode):
    ident = library_identity(KEY_TYPE[suite])
    server = lib_server(ident, mode)
    client = gc.Client([suite], pinned_key=ident.public, mode=mode)
    lib_handshake_with_py_client(client, server)
    assert server.suite() == suite
    assert client.suite.code == suite
    assert server.server_public_key() == ident.spki
    exchange_data(client, server, mode)


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_pinned_fingerprint(suite, mode):
    ident = library_identity(KEY_TYPE[suite])
    server = lib_server(ident, mode)
    fp = gc.fingerprint(ident.public)
    client = gc.Client([suite], pinned_fingerprint=fp, mode=mode)
    lib_handshake_with_py_client(client, server)
    exchange_data(client, server, mode)


@pytest.mark.parametrize("root_type", [gc.KEY_TYPE_P256, gc.KEY_TYPE_ED25519], ids=["root-p256", "root-ed25519"])
@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_root_certificate(suite, root_type, mode):
    root = library_identity(root_type)
    ident = library_identity(KEY_TYPE[suite])
    cert = ffi.certificate_issue(root.pkcs8, ident.spki, NAME, NOW - 10, NOW + 10)
    server = lib_server(ident, mode, certificate=cert)
    client = gc.Client([suite], root_key=root.public, server_name=NAME, now=NOW, mode=mode)
    lib_handshake_with_py_client(client, server)
    assert client.certificate.raw == cert
    assert gc.raw_public(client.server_identity) == ident.raw
    exchange_data(client, server, mode)


def test_root_certificate_system_clock():
    root = library_identity(gc.KEY_TYPE_ED25519)
    ident = library_identity(gc.KEY_TYPE_P256)
    now = int(time.time())
    cert = ffi.certificate_issue(root.pkcs8, ident.spki, NAME, now - 3600, now + 3600)
    server = lib_server(ident, "datagram", certificate=cert)
    # no name: any name accepted, only with the explicit opt-out (section 8)
    client = gc.Client(root_key=root.public, dangerous_accept_any_server_name=True)
    lib_handshake_with_py_client(client, server)


@pytest.mark.parametrize(
    "offers, key_suite, expected",
    [
        ([gc.SUITE_P256, gc.SUITE_X25519], gc.SUITE_X25519, gc.SUITE_X25519),
        ([gc.SUITE_X25519, gc.SUITE_P256], gc.SUITE_P256, gc.SUITE_P256),
        ([gc.SUITE_P256, gc.SUITE_X25519], gc.SUITE_P256, gc.SUITE_P256),
    ],
)
def test_suite_selection_follows_client_order(offers, key_suite, expected):
    """Section 5: the first offer the server accepts; both shares in the ClientHello."""
    ident = library_identity(KEY_TYPE[key_suite])
    server = lib_server(ident, "datagram")
    client = gc.Client(offers, pinned_key=ident.public)
    lib_handshake_with_py_client(client, server)
    assert server.suite() == expected == client.suite.code


def test_unknown_suites_and_extensions_are_ignored():
    """Section 4, check 4: unknown suite codes (e.g. the reserved hybrid) and unknown
    extensions are ignored but covered by the transcript."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    server = lib_server(ident, "stream")
    hybrid = gc.Offer(gc.SUITE_HYBRID_RESERVED, os.urandom(1216))
    client = gc.Client(
        [gc.SUITE_X25519],
        pinned_key=ident.public,
        mode="stream",
        ext_block=gc.encode_extensions([(0x7777, b"future"), (0x0001, b"")]),
        extra_offers=[hybrid, gc.Offer(0xBEEF, b"")],
    )
    assert len(client.client_hello) > 1200
    lib_handshake_with_py_client(client, server)
    exchange_data(client, server, "stream")


def test_client_hello_sizes():
    """Section 4: 1200 bytes minimum (zero padding) without a hybrid offer; section 6: the
    ServerHello is 241 bytes with one P-256 server suite, 2 more per further suite (the
    library server's default list has the two suites of its P-256 key, section 20.3)."""
    ident = library_identity(gc.KEY_TYPE_P256)
    for server_suites, sh_len in (([gc.SUITE_P256], 241), (None, 243)):
        server = lib_server(ident, "datagram", suites=server_suites)
        client = gc.Client([gc.SUITE_P256, gc.SUITE_X25519], pinned_key=ident.public)
        assert len(client.client_hello) == 1200
        lib_handshake_with_py_client(client, server)
        # the ServerHello is smaller than the ClientHello (no amplification)
        assert len(server_hello_of(client)) == sh_len
        assert sorted(client.server_hello.server_suites) == sorted(server_suites or [gc.SUITE_P256, gc.SUITE_HYBRID_P256])


def test_hybrid_client_hello_sizes():
    """Sections 4, 20.2: with a hybrid offer the ClientHello is padded to 2048 bytes; the
    Python default offer list (section 20.3, pinned Ed25519 key: 0x0003 and 0x0002) gives
    36 + 1220 + 36 + 2 = 1294 bytes of content, padded to 2048; the ServerHello of a
    hybrid suite is 1229 + 2M + identity_len bytes."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    client = gc.Client(pinned_key=ident.public)
    assert client.offer_suites == [gc.SUITE_HYBRID_ED25519, gc.SUITE_X25519]
    assert len(client.client_hello) == 2048
    server = lib_server(ident, "datagram")
    lib_handshake_with_py_client(client, server)
    assert server.suite() == gc.SUITE_HYBRID_ED25519
    assert len(server_hello_of(client)) == 1229 + 2 * 2 + 32 == 1265


def server_hello_of(client: gc.Client) -> bytes:
    return client.server_hello.body + client.server_hello.signature


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_server_hello_sizes_with_certificate(suite):
    """Section 6 sizes with one server suite: 335 + n (P-256 key) or 269 + n (Ed25519 key)
    with a certificate; section 20.2 for the hybrid suites: 1229 + 2M + identity_len."""
    root = library_identity(gc.KEY_TYPE_P256)
    ident = library_identity(KEY_TYPE[suite])
    name = "x" * 255
    cert = ffi.certificate_issue(root.pkcs8, ident.spki, name, NOW, NOW)
    assert len(cert) == (159 if KEY_TYPE[suite] == gc.KEY_TYPE_P256 else 126) + 255
    server = lib_server(ident, "datagram", suites=[suite], certificate=cert)
    client = gc.Client([suite], root_key=root.public, now=NOW, server_name=name)
    lib_handshake_with_py_client(client, server)
    if gc.SUITES[suite].hybrid:
        expected = 1229 + 2 + len(cert)
    else:
        expected = (335 if suite == gc.SUITE_P256 else 269) + 255
    assert len(server_hello_of(client)) == expected
    assert len(server_hello_of(client)) < len(client.client_hello)


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_close_both_ways(suite, mode):
    ident = library_identity(KEY_TYPE[suite])
    # Python closes: the library reports SESSION_CLOSED and is CLOSED
    server = lib_server(ident, mode)
    client = gc.Client([suite], pinned_key=ident.public, mode=mode)
    lib_handshake_with_py_client(client, server)
    assert server.open(client.seal(b"bye?")) == b"bye?"
    pkt = client.close()
    assert len(pkt) == 24 and pkt[0] == 0x42
    # section 19: PEER_CLOSED for the close packet, then SESSION_CLOSED for every call
    assert ffi.result_of(server.open, pkt) == ffi.RESULT["PEER_CLOSED"]
    assert server.state == "CLOSED"
    assert ffi.result_of(server.open, pkt) == ffi.RESULT["SESSION_CLOSED"]
    assert ffi.result_of(server.seal, b"x") == ffi.RESULT["SESSION_CLOSED"]
    assert ffi.result_of(server.close) == ffi.RESULT["SESSION_CLOSED"]
    # the library closes: Python opens its close packet
    server = lib_server(ident, mode)
    client = gc.Client([suite], pinned_key=ident.public, mode=mode)
    lib_handshake_with_py_client(client, server)
    pkt = server.close()
    assert len(pkt) == 24 and pkt[0] == 0x42
    with pytest.raises(gc.GcError) as e:
        client.open(pkt)
    assert e.value.name == "PeerClosed"
    assert client.state == gc.CLOSED
    with pytest.raises(gc.GcError) as e:
        client.open(pkt)
    assert e.value.name == "SessionClosed"
    assert ffi.result_of(server.seal, b"x") == ffi.RESULT["SESSION_CLOSED"]


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_datagram_reordering_and_loss(suite):
    """Section 11: reordered and missing packets are fine in datagram mode."""
    ident = library_identity(KEY_TYPE[suite])
    server = lib_server(ident, "datagram")
    client = gc.Client([suite], pinned_key=ident.public)
    lib_handshake_with_py_client(client, server)
    pkts = [(i, client.seal(bytes([i]) * i)) for i in range(40)]
    order = [5, 1, 0, 39, 2, 20, 3, 38, 10]  # 4, 6..9 ... are "lost"
    for i in order:
        assert server.open(pkts[i][1]) == bytes([i]) * i
    back = [server.seal(bytes([i])) for i in range(10)]
    for i in [9, 0, 5, 1]:
        assert client.open(back[i]) == bytes([i])
    # a packet far ahead moves the window; still inside it
    client.send_pn = 1000
    assert server.open(client.seal(b"far")) == b"far"
    assert server.open(pkts[7][1]) == bytes([7]) * 7


def test_datagram_retransmissions():
    """Section 13 with a library server: duplicate ClientHello -> PACKET_REPLAYED (resend the
    same ServerHello), data before the ClientFinished -> WRONG_STATE, duplicate ClientFinished
    after establishment -> WRONG_STATE."""
    ident = library_identity(gc.KEY_TYPE_P256)
    server = lib_server(ident, "datagram")
    client = gc.Client(pinned_key=ident.public)
    ch = client.write_handshake()
    server.read_handshake(ch)
    sh = server.write_handshake()
    assert ffi.result_of(server.read_handshake, ch) == ffi.RESULT["PACKET_REPLAYED"]
    assert server.state == "NEED_READ"
    client.read_handshake(sh)  # the saved ServerHello still works
    cf = client.write_handshake()
    early = client.seal(b"early data")
    assert ffi.result_of(server.open, early) == ffi.RESULT["WRONG_STATE"]
    server.read_handshake(cf)
    assert ffi.result_of(server.read_handshake, cf) == ffi.RESULT["WRONG_STATE"]
    assert ffi.result_of(server.read_handshake, ch) == ffi.RESULT["WRONG_STATE"]
    assert server.state == "ESTABLISHED"
    # the early packet was "lost": the client sends its data as a new packet
    assert server.open(client.seal(b"again")) == b"again"
    # the early packet number 1 is still acceptable (never recorded)
    assert server.open(early) == b"early data"


def test_is_handshake_message():
    assert ffi.is_handshake_message(bytes([gc.MSG_CLIENT_HELLO]) + bytes(10))
    assert ffi.is_handshake_message(bytes([gc.MSG_CLIENT_FINISHED]))
    assert ffi.is_handshake_message(b"\x3f")
    assert not ffi.is_handshake_message(b"\x40")
    assert not ffi.is_handshake_message(b"\x42" + bytes(23))
    assert not ffi.is_handshake_message(b"")
