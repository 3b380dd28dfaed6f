"""Section 6: the transcript hashes the ClientHello without its zero padding.

A peer that receives the same ClientHello with more padding than was sent signs and derives
what the sender computes, in both directions between the library and the Python peer; a
non-zero padding byte is still refused (section 4, check 4).
"""

from __future__ import annotations

import pytest
from conftest import KEY_TYPE, SUITE_IDS, SUITES, gc, ffi, library_identity, python_identity

EXTRA = 700  # more zero padding; the longest ClientHello stays within 4096 bytes


def padded_more(ch: bytes) -> bytes:
    assert len(ch) + EXTRA <= gc.HANDSHAKE_MAX
    return ch + bytes(EXTRA)


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_library_server_ignores_padding(suite, mode):
    ident = library_identity(KEY_TYPE[suite])
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8, suites=[suite]), mode)
    client = gc.Client([suite], pinned_key=ident.public, mode=mode)
    ch = client.write_handshake()
    assert gc.client_hello_unpadded(ch) != ch
    server.read_handshake(padded_more(ch))
    client.read_handshake(server.write_handshake())  # signed over the unpadded ClientHello
    server.read_handshake(client.write_handshake())
    assert server.state == "ESTABLISHED"
    assert server.open(client.seal(b"same keys")) == b"same keys"
    assert client.open(server.seal(b"both ways")) == b"both ways"


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_python_server_ignores_padding(suite, mode):
    ident = python_identity(KEY_TYPE[suite])
    server = gc.Server(ident.private, suites=[suite], mode=mode)
    pin = ffi.PublicKey.from_raw(ident.key_type, gc.raw_public(ident.public))
    client = ffi.Session.client(ffi.ClientConfig.pinned_key(pin), mode)
    server.read_handshake(padded_more(client.write_handshake()))
    client.read_handshake(server.write_handshake())
    server.read_handshake(client.write_handshake())
    assert client.state == "ESTABLISHED" and server.state == gc.ESTABLISHED
    assert server.open(client.seal(b"same keys")) == b"same keys"


@pytest.mark.parametrize("where", ["first", "last"])
def test_nonzero_padding_is_refused(where, mode):
    suite = SUITES[0]
    ident = library_identity(KEY_TYPE[suite])
    ch = bytearray(gc.Client([suite], pinned_key=ident.public, mode=mode).write_handshake())
    ch[len(gc.client_hello_unpadded(bytes(ch))) if where == "first" else -1] = 1
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8, suites=[suite]), mode)
    with pytest.raises(ffi.GamecryptError) as e:
        server.read_handshake(bytes(ch))
    assert e.value.name == "HANDSHAKE_MALFORMED"
    with pytest.raises(gc.GcError) as e:
        gc.Server(python_identity(KEY_TYPE[suite]).private, suites=[suite], mode=mode).read_handshake(bytes(ch))
    assert e.value.name == "HandshakeMalformed"
