"""The library's connection endpoint (C ABI, docs/ENDPOINT.md) against the Python peer: the
endpoint adds no wire format (keep-alive is an empty data packet), so a plain gcsession client
or server talks to it."""

from __future__ import annotations

import pytest
from conftest import CLASSIC_IDS, CLASSIC_SUITES, KEY_TYPE, gc, ffi, library_identity, python_identity

PY_ADDR = b"python-peer:1"
LIB_ADDR = b"library:2"


def one(transmits, addr):
    assert len(transmits) == 1, transmits
    assert transmits[0][0] == addr
    return transmits[0][1]


@pytest.mark.parametrize("suite", CLASSIC_SUITES, ids=CLASSIC_IDS)
def test_python_client_library_server_endpoint(suite):
    ident = library_identity(KEY_TYPE[suite])
    ep = ffi.Endpoint.server(ffi.ServerConfig(ident.pkcs8, suites=[suite]))
    client = gc.Client([suite], pinned_key=ident.public)
    ch = client.write_handshake()
    ep.receive(0, PY_ADDR, ch)
    sh = one(ep.transmits(), PY_ADDR)
    ep.receive(1, PY_ADDR, ch)  # a retransmitted ClientHello gets the same ServerHello
    assert one(ep.transmits(), PY_ADDR) == sh
    client.read_handshake(sh)
    ep.receive(2, PY_ADDR, client.write_handshake())
    [(name, peer, _)] = ep.events()
    assert name == "CONNECTED"
    # The server's confirmation is an empty data packet.
    assert client.open(one(ep.transmits(), PY_ADDR)) == b""
    ep.receive(3, PY_ADDR, client.seal(b"hello endpoint"))
    assert ep.events() == [("DATA", peer, b"hello endpoint")]
    ep.send(4, peer, b"hello python")
    assert client.open(one(ep.transmits(), PY_ADDR)) == b"hello python"
    # A keep-alive after the quiet interval (default 1000 ms) is an empty data packet.
    ep.handle_timeout(1004)
    assert client.open(one(ep.transmits(), PY_ADDR)) == b""
    ep.receive(1005, PY_ADDR, client.close())
    assert ep.events() == [("CLOSED", peer, "PEER_CLOSED")]


@pytest.mark.parametrize("suite", CLASSIC_SUITES, ids=CLASSIC_IDS)
def test_library_client_endpoint_python_server(suite):
    ident = python_identity(KEY_TYPE[suite])
    cfg = ffi.ClientConfig.pinned_key(ident.spki, suites=[suite])
    ep = ffi.Endpoint.client(cfg)
    server = gc.Server(ident.private, suites=[suite])
    peer = ep.connect(0, PY_ADDR)
    ch = one(ep.transmits(), PY_ADDR)
    ep.handle_timeout(250)  # the first retransmission: the same bytes
    assert one(ep.transmits(), PY_ADDR) == ch
    server.read_handshake(ch)
    ep.receive(260, PY_ADDR, server.write_handshake())
    server.read_handshake(one(ep.transmits(), PY_ADDR))
    assert server.state == gc.ESTABLISHED
    assert ep.events() == []  # connected only once the server's first packet arrives
    ep.receive(261, PY_ADDR, server.seal(b"welcome"))
    events = ep.events()
    assert [e[0] for e in events] == ["CONNECTED", "DATA"]
    assert events[0][2] == gc.fingerprint(ident.public)
    assert events[1] == ("DATA", peer, b"welcome")
    ep.send(262, peer, b"thanks")
    assert server.open(one(ep.transmits(), PY_ADDR)) == b"thanks"
    ep.close(263, peer)
    closes = ep.transmits()
    assert len(closes) == 3 and len({c[1] for c in closes}) == 1  # identical copies
    assert ep.events() == [("CLOSED", peer, "LOCAL")]
    with pytest.raises(gc.GcError):
        server.open(closes[0][1])  # PeerClosed
    assert server.state == gc.CLOSED
