"""Issue 7 rules across both implementations (docs/PROTOCOL.md sections 3, 4, 8, 12.1, 15):
weak Ed25519 keys, datagram drops, the low-S rule, the root-name rule and offer 0x0000."""

from __future__ import annotations

import os

import pytest
from conftest import ffi, gc, library_identity, python_identity

R = ffi.RESULT
OK = R["OK"]


def py_code(f, *args) -> int:
    try:
        f(*args)
    except gc.GcError as e:
        return e.code
    return OK


IDENTITY_KEY = bytes.fromhex("0100000000000000000000000000000000000000000000000000000000000000")
FORGED = bytes([1]) + bytes(63)  # R = identity, S = 0: valid for every message under IDENTITY_KEY


@pytest.mark.parametrize("weak", gc.ED25519_SMALL_ORDER, ids=[w.hex()[:8] for w in gc.ED25519_SMALL_ORDER])
def test_weak_ed25519_keys_are_refused_by_both(weak):
    # key import (library) and the Python parser
    assert ffi.result_of(ffi.PublicKey.from_raw, gc.KEY_TYPE_ED25519, weak) == R["PUBLIC_KEY_WEAK"]
    assert gc.ed25519_key_is_weak(weak)
    with pytest.raises(gc.WeakKeyError):
        gc.public_from_raw(gc.KEY_TYPE_ED25519, weak)


def test_forged_server_hello_with_the_identity_key():
    """A ServerHello whose raw key is the identity point, signed by the universal forgery:
    the library client (fingerprint pinned to that key) and the Python client refuse it with
    PUBLIC_KEY_WEAK (section 7 step 6) in stream mode and drop it in datagram mode."""
    fp = gc.sha256(gc.ED25519_SPKI_PREFIX + IDENTITY_KEY)
    for mode in (gc.STREAM, gc.DATAGRAM):
        lib = ffi.Session.client(
            ffi.ClientConfig.pinned_fingerprint(fp, suites=[gc.SUITE_X25519]), mode
        )
        py = gc.Client([gc.SUITE_X25519], pinned_fingerprint=fp, mode=mode)
        for client, code in ((lib, ffi.result_of), (py, py_code)):
            ch = client.write_handshake()
            offer = gc.parse_client_hello(ch).offers[0]
            share = gc.server_key_exchange("x25519", offer.share, os.urandom)[0]
            body = gc.build_server_hello_body(
                os.urandom(32), gc.SUITE_X25519, [gc.SUITE_X25519], share, gc.IDENTITY_RAW, IDENTITY_KEY, b""
            )
            expected = R["PUBLIC_KEY_WEAK"] if mode == gc.STREAM else R["HANDSHAKE_MESSAGE_DROPPED"]
            assert code(client.read_handshake, body + FORGED) == expected


def test_datagram_drops_then_the_real_handshake_completes():
    """Section 12.1, both directions: the Python client drops a spoofed ServerHello, the
    library server drops a spoofed ClientFinished; the real messages still complete."""
    ident = library_identity(gc.KEY_TYPE_P256)
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), "datagram")
    client = gc.Client([gc.SUITE_P256], pinned_key=ident.public, mode=gc.DATAGRAM)
    server.read_handshake(client.write_handshake())
    sh = server.write_handshake()
    bad = sh[:-1] + bytes([sh[-1] ^ 1])
    assert py_code(client.read_handshake, bad) == R["HANDSHAKE_MESSAGE_DROPPED"]
    assert client.state == gc.NEED_READ
    client.read_handshake(sh)
    cf = client.write_handshake()
    garbage = b"\x03" + bytes(7) + os.urandom(16)
    assert ffi.result_of(server.read_handshake, garbage) == R["HANDSHAKE_MESSAGE_DROPPED"]
    assert server.state == "NEED_READ"
    # a data packet before the ClientFinished: dropped, not counted
    for _ in range(gc.HANDSHAKE_DROP_LIMIT + 2):
        assert ffi.result_of(server.read_handshake, client.seal(b"early")) == R["HANDSHAKE_MESSAGE_DROPPED"]
    server.read_handshake(cf)
    assert server.state == "ESTABLISHED"
    assert server.open(client.seal(b"hi")) == b"hi"


def test_the_eighth_failed_message_is_fatal_in_both():
    ident = python_identity(gc.KEY_TYPE_ED25519)
    lib = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki, suites=[gc.SUITE_X25519]), "datagram")
    py = gc.Client([gc.SUITE_X25519], pinned_key=ident.public, mode=gc.DATAGRAM)
    for client, code in ((lib, ffi.result_of), (py, py_code)):
        client.write_handshake()
        for _ in range(gc.HANDSHAKE_DROP_LIMIT - 1):
            assert code(client.read_handshake, b"\x02") == R["HANDSHAKE_MESSAGE_DROPPED"]
        assert code(client.read_handshake, b"\x02") == R["HANDSHAKE_MALFORMED"]
    assert lib.state == "FAILED" and py.state == gc.FAILED


def test_high_s_client_signature_is_refused_by_the_library_server():
    """Section 21.4 step 6: a P-256 client signature with s > n/2 is CLIENT_AUTH_INVALID; the
    Python client's (low-S) signature is accepted."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    me = python_identity(gc.KEY_TYPE_P256)
    for high in (False, True):
        cfg = ffi.ServerConfig(ident.pkcs8, client_auth=("required", "none"))
        server = ffi.Session.server(cfg, "stream")
        client = gc.Client(pinned_key=ident.public, client_key=me.private, mode=gc.STREAM)
        server.read_handshake(client.write_handshake())
        client.read_handshake(server.write_handshake())
        p = client.client_finished_plaintext
        s = int.from_bytes(p[-32:], "big")
        assert s <= gc.P256_ORDER // 2
        if high:
            p = p[:-32] + (gc.P256_ORDER - s).to_bytes(32, "big")
        cf = client.reseal_client_finished(p)
        expected = R["CLIENT_AUTH_INVALID"] if high else OK
        assert ffi.result_of(server.read_handshake, cf) == expected


def test_root_trust_needs_the_server_name_in_both():
    root = python_identity(gc.KEY_TYPE_ED25519)
    assert ffi.result_of(ffi.ClientConfig.root, root.spki) == R["SERVER_NAME_REQUIRED"]
    assert py_code(lambda: gc.Client(root_key=root.public)) == R["SERVER_NAME_REQUIRED"]
    ffi.ClientConfig.root(root.spki, dangerous_accept_any_server_name=True)
    gc.Client(root_key=root.public, dangerous_accept_any_server_name=True)


def test_offer_count_beyond_the_offers_is_malformed_in_both():
    """Section 4 check 4: the zero padding does not parse as a 0x0000 offer."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    client = gc.Client([gc.SUITE_X25519], pinned_key=ident.public)
    ch = bytearray(client.write_handshake())
    assert ch[35] == 1
    ch[35] = 2
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), "stream")
    assert ffi.result_of(server.read_handshake, bytes(ch)) == R["HANDSHAKE_MALFORMED"]
    assert py_code(gc.parse_client_hello, bytes(ch)) == R["HANDSHAKE_MALFORMED"]
