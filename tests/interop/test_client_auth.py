"""Client authentication (docs/PROTOCOL.md section 21) between the Python implementation
and the library: the Python client (Ed25519 / P-256 client key, token) against a library
server that requires them, and the library client against a Python server that requests
them and checks the signature and the token as section 21.4 says. Crafted ClientFinished
plaintexts get the same verdict from the library server and the Python server."""

from __future__ import annotations

import struct

import pytest
from conftest import (
    KEY_TYPE,
    SUITE_IDS,
    SUITES,
    ffi,
    gc,
    header_name,
    library_identity,
    py_code,
    python_identity,
)

R = ffi.RESULT
OK = ffi.OK
KEY_TYPES = [gc.KEY_TYPE_ED25519, gc.KEY_TYPE_P256]
KEY_IDS = ["client-ed25519", "client-p256"]
MODE_NUM = {"none": 0, "optional": 1, "required": 2}
TOKEN = b"login-ticket v1; account=42; expires=1800000000"


def lib_auth_server(ident, mode="stream", sig="required", tok="required", suites=None):
    """Stream mode by default: a failed check is fatal with its own code (datagram mode drops
    unauthenticated messages, section 12.1)."""
    cfg = ffi.ServerConfig(ident.pkcs8, suites=suites, client_auth=(sig, tok))
    return ffi.Session.server(cfg, mode)


def to_need_accept(client: gc.Client, server: ffi.Session) -> None:
    server.read_handshake(client.write_handshake())
    client.read_handshake(server.write_handshake())
    server.read_handshake(client.write_handshake())
    assert client.state == gc.ESTABLISHED
    assert server.state == "NEED_ACCEPT"


# ---------------------------------------------------------------------------------------
# Python client, library server


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
@pytest.mark.parametrize("client_kt", KEY_TYPES, ids=KEY_IDS)
def test_python_client_credentials_read_by_library_server(client_kt, suite):
    """Both required: the library server reads the client key and token through the C ABI
    in NEED_ACCEPT and accepts; data flows afterwards."""
    ident = library_identity(KEY_TYPE[suite])
    me = python_identity(client_kt)
    server = lib_auth_server(ident, suites=[suite])
    client = gc.Client([suite], pinned_key=ident.public, client_key=me.private, token=TOKEN)
    to_need_accept(client, server)
    # the request is in the signed ServerHello: 6 more bytes
    assert client.auth_request == (2, 2)
    assert client.server_hello.ext_block == bytes.fromhex("0102000202 02".replace(" ", ""))
    p = client.client_finished_plaintext
    assert len(p) == (4 + len(TOKEN)) + (103 if client_kt == gc.KEY_TYPE_ED25519 else 136)
    assert len(client.client_finished) == 24 + len(p)
    key = server.client_public_key()
    assert key.raw() == me.raw
    assert key.spki() == me.spki
    assert key.fingerprint() == gc.fingerprint(me.public)
    assert server.client_token() == TOKEN
    # nothing is sealed or opened before the accept (section 21.5)
    early = client.seal(b"early")
    assert ffi.result_of(server.open, early) == R["WRONG_STATE"]
    assert ffi.result_of(server.seal, b"x") == R["WRONG_STATE"]
    assert ffi.result_of(server.update_keys) == R["WRONG_STATE"]
    server.accept()
    assert server.state == "ESTABLISHED"
    assert ffi.result_of(server.accept) == R["WRONG_STATE"]
    assert server.open(early) == b"early"  # the replay window accepts it now
    assert client.open(server.seal(b"welcome")) == b"welcome"
    # the credentials stay readable
    assert server.client_token() == TOKEN
    assert server.client_public_key().raw() == me.raw


@pytest.mark.parametrize(
    "sig, tok, has_key, has_token",
    [
        ("optional", "optional", False, False),
        ("optional", "optional", True, False),
        ("optional", "optional", False, True),
        ("optional", "none", True, True),
        ("none", "optional", True, True),
        ("required", "optional", True, False),
        ("optional", "required", False, True),
    ],
)
def test_optional_and_partial_modes(sig, tok, has_key, has_token):
    """Section 21.3: a client sends a credential only when the server asks for it and the
    client has it; the server reads none / the token / the key accordingly."""
    ident = library_identity(gc.KEY_TYPE_P256)
    me = python_identity(gc.KEY_TYPE_ED25519)
    server = lib_auth_server(ident, sig=sig, tok=tok)
    client = gc.Client(
        pinned_key=ident.public, client_key=me.private if has_key else None, token=TOKEN if has_token else None
    )
    to_need_accept(client, server)
    assert client.auth_request == (MODE_NUM[sig], MODE_NUM[tok])
    sends_key = has_key and sig != "none"
    sends_token = has_token and tok != "none"
    key = server.client_public_key()
    assert (key.raw() if key else None) == (me.raw if sends_key else None)
    assert server.client_token() == (TOKEN if sends_token else b"")
    expected_len = (4 + len(TOKEN) if sends_token else 0) + (103 if sends_key else 0)
    assert len(client.client_finished_plaintext) == expected_len
    server.accept()
    assert server.open(client.seal(b"in")) == b"in"


def test_no_request_means_v1_messages():
    """Without a request the ServerHello has no extension and the ClientFinished is 24 bytes
    even when the client has a key and a token (section 21)."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), "datagram")
    me = python_identity(gc.KEY_TYPE_P256)
    client = gc.Client(pinned_key=ident.public, client_key=me.private, token=TOKEN)
    server.read_handshake(client.write_handshake())
    client.read_handshake(server.write_handshake())
    assert client.server_hello.ext_block == b"" and client.auth_request is None
    cf = client.write_handshake()
    assert len(cf) == 24
    server.read_handshake(cf)
    assert server.state == "ESTABLISHED"
    assert ffi.result_of(server.client_public_key) == R["WRONG_STATE"]


def test_reject_sends_close_and_later_calls_are_rejected():
    """Section 21.5: reject writes a close packet (0x42, s2c packet number 0, 24 bytes); the
    client sees PeerClosed; the server reports SESSION_REJECTED for every later call."""
    ident = library_identity(gc.KEY_TYPE_P256)
    me = python_identity(gc.KEY_TYPE_P256)
    server = lib_auth_server(ident)
    client = gc.Client(pinned_key=ident.public, client_key=me.private, token=TOKEN)
    to_need_accept(client, server)
    close = server.reject()
    assert len(close) == 24 and close[:8] == b"\x42" + bytes(7)
    with pytest.raises(gc.GcError) as e:
        client.open(close)
    assert e.value.name == "PeerClosed"
    for f, args in (
        (server.accept, ()), (server.reject, ()), (server.client_token, ()), (server.client_public_key, ()),
        (server.seal, (b"x",)), (server.open, (close,)), (server.read_handshake, (b"\x01",)),
    ):
        assert ffi.result_of(f, *args) == R["SESSION_REJECTED"], f
    # the Python server's reject gives the same packet shape and state
    py_server = gc.Server(python_identity(gc.KEY_TYPE_P256).private, signature_mode=2, token_mode=2)
    c2 = gc.Client(pinned_key=py_server.identity_key.public_key(), client_key=me.private, token=TOKEN)
    py_server.read_handshake(c2.write_handshake())
    c2.read_handshake(py_server.write_handshake())
    py_server.read_handshake(c2.write_handshake())
    assert py_server.state == gc.NEED_ACCEPT
    close2 = py_server.reject()
    assert len(close2) == 24 and close2[:8] == b"\x42" + bytes(7)
    assert py_code(py_server.seal, b"x") == R["SESSION_REJECTED"]


def test_python_client_cannot_meet_the_request():
    """Section 21.3: the client aborts before sending anything."""
    ident = library_identity(gc.KEY_TYPE_P256)
    for sig, tok, key, token, err in (
        ("required", "none", None, TOKEN, "ClientAuthRequired"),
        ("none", "required", python_identity(1).private, None, "ClientTokenRequired"),
        ("required", "required", None, None, "ClientAuthRequired"),
    ):
        server = lib_auth_server(ident, sig=sig, tok=tok)
        client = gc.Client(pinned_key=ident.public, client_key=key, token=token)
        server.read_handshake(client.write_handshake())
        with pytest.raises(gc.GcError) as e:
            client.read_handshake(server.write_handshake())
        assert e.value.name == err
        assert client.state == gc.FAILED


# crafted ClientFinished plaintexts: (name, builder(client, key, other_key) -> P, expected)
def _ch_sh(c: gc.Client):
    return c.client_hello, c.server_hello.raw


def _sig_entry(c, key, prefix=b"", **kw):
    ch, sh = _ch_sh(c)
    return gc.signature_entry(ch, sh, prefix, key, **kw)


def _tok(t=TOKEN):
    return gc.token_entry(t)


CRAFTED = [
    ("valid", lambda c, k, o: _tok() + _sig_entry(c, k, _tok()), None),
    ("empty", lambda c, k, o: b"", "ClientAuthRequired"),
    ("token only", lambda c, k, o: _tok(), "ClientAuthRequired"),
    ("signature only", lambda c, k, o: _sig_entry(c, k), "ClientTokenRequired"),
    ("signed by another key", lambda c, k, o: _tok() + _sig_entry(c, k, _tok(), sign_with=o), "ClientAuthInvalid"),
    ("signature over P' without the token", lambda c, k, o: _tok() + _sig_entry(c, k), "ClientAuthInvalid"),
    (
        "signature over the ServerHello body only",
        lambda c, k, o: _tok() + gc.signature_entry(c.client_hello, c.server_hello.body, _tok(), k),
        "ClientAuthInvalid",
    ),
    (
        "signature over the server transcript hash (CH || SH_body)",
        lambda c, k, o: _tok() + _sig_entry(
            c, k, _tok(),
            signature=gc.sign(k, gc.CLIENT_SIG_CONTEXT + c.transcript_hash),
        ),
        "ClientAuthInvalid",
    ),
    (
        "server signature context",
        lambda c, k, o: _tok() + _sig_entry(
            c, k, _tok(),
            signature=gc.sign(
                k,
                gc.SERVER_SIG_CONTEXT
                + gc.sha256(gc.client_hello_unpadded(c.client_hello) + c.server_hello.raw + _tok() + _sig_entry(c, k, _tok())[:-64]),
            ),
        ),
        "ClientAuthInvalid",
    ),
    ("zero signature", lambda c, k, o: _tok() + _sig_entry(c, k, _tok(), signature=bytes(64)), "ClientAuthInvalid"),
    ("signature first, then token", lambda c, k, o: _sig_entry(c, k) + _tok(), "HandshakeMalformed"),
    ("token twice", lambda c, k, o: _tok() + _tok(b"x") + _sig_entry(c, k, _tok() + _tok(b"x")), "HandshakeMalformed"),
    ("empty token", lambda c, k, o: _tok(b"") + _sig_entry(c, k, _tok(b"")), "HandshakeMalformed"),
    ("1024-byte token", lambda c, k, o: _tok(bytes(1024)) + _sig_entry(c, k, _tok(bytes(1024))), None),
    ("1025-byte token", lambda c, k, o: _tok(bytes(1025)) + _sig_entry(c, k, _tok(bytes(1025))), "HandshakeMalformed"),
    (
        "unknown entry type 0x0105 after the signature",
        lambda c, k, o: _tok() + _sig_entry(c, k, _tok()) + struct.pack(">HH", 0x0105, 0),
        "HandshakeMalformed",
    ),
    (
        "unknown entry type 0x0100 first",
        lambda c, k, o: struct.pack(">HH", 0x0100, 1) + b"x" + _tok() + _sig_entry(c, k, struct.pack(">HH", 0x0100, 1) + b"x" + _tok()),
        "HandshakeMalformed",
    ),
    ("trailing byte", lambda c, k, o: _tok() + _sig_entry(c, k, _tok()) + b"\x00", "HandshakeMalformed"),
    ("truncated entry header", lambda c, k, o: _tok() + b"\x01", "HandshakeMalformed"),
    ("signature entry one byte short", lambda c, k, o: (_tok() + _sig_entry(c, k, _tok()))[:-1], "HandshakeMalformed"),
    (
        "key type 2",
        lambda c, k, o: _tok() + _sig_entry(c, k, _tok(), key_type=2),
        "HandshakeMalformed",
    ),
    (
        "key type of the other algorithm",
        lambda c, k, o: _tok() + _sig_entry(c, k, _tok(), key_type=4 - gc.key_type_of(k)),
        "HandshakeMalformed",
    ),
    (
        "key of the right length that is not a valid key",
        lambda c, k, o: _tok() + _sig_entry(
            c, k, _tok(),
            key_raw=(b"\x04" + bytes(64)) if gc.key_type_of(k) == gc.KEY_TYPE_P256 else gc.raw_public(o)[:31] + b"\xff",
        ),
        "ClientAuthInvalid",
    ),
]


def _crafted_outcomes(client_kt, builder):
    """The same crafted plaintext (built for each handshake) sent to the library server and
    to the Python server, both requiring key and token."""
    me = python_identity(client_kt)
    other = python_identity(client_kt)
    ident = library_identity(gc.KEY_TYPE_ED25519)
    lib_server = lib_auth_server(ident)
    c1 = gc.Client(pinned_key=ident.public, client_key=me.private, token=TOKEN)
    lib_server.read_handshake(c1.write_handshake())
    c1.read_handshake(lib_server.write_handshake())
    cf = c1.reseal_client_finished(builder(c1, me.private, other.private))
    lib_rc = ffi.result_of(lib_server.read_handshake, cf)
    lib_state = lib_server.state

    py_server = gc.Server(ident.private, signature_mode=2, token_mode=2, mode=gc.STREAM)
    c2 = gc.Client(pinned_key=ident.public, client_key=me.private, token=TOKEN)
    py_server.read_handshake(c2.write_handshake())
    c2.read_handshake(py_server.write_handshake())
    cf2 = c2.reseal_client_finished(builder(c2, me.private, other.private))
    py_rc = py_code(py_server.read_handshake, cf2)
    return lib_rc, lib_state, py_rc, py_server


@pytest.mark.parametrize("client_kt", KEY_TYPES, ids=KEY_IDS)
@pytest.mark.parametrize("case", CRAFTED, ids=[c[0] for c in CRAFTED])
def test_crafted_client_finished(case, client_kt):
    """Section 21.4: checks 3 (structure), 4, 5 (required credentials), 6 (key and
    signature) in this order; library server and Python server agree."""
    name, builder, err = case
    lib_rc, lib_state, py_rc, py_server = _crafted_outcomes(client_kt, builder)
    expected = OK if err is None else R[header_name(err)]
    assert lib_rc == expected, f"library {ffi.RESULT_NAME[lib_rc]}"
    assert py_rc == expected, f"python {ffi.RESULT_NAME[py_rc]}"
    assert lib_state == ("NEED_ACCEPT" if err is None else "FAILED")
    assert py_server.state == (gc.NEED_ACCEPT if err is None else gc.FAILED)


def test_client_finished_length_and_header_checks():
    """Section 21.4 check 1: 24..1188 bytes, type 0x03, packet number 0; check 2: the AEAD."""
    ident = library_identity(gc.KEY_TYPE_P256)
    me = python_identity(gc.KEY_TYPE_P256)

    def outcome(make):
        server = lib_auth_server(ident, sig="optional", tok="optional")
        client = gc.Client(pinned_key=ident.public, client_key=me.private, token=TOKEN)
        server.read_handshake(client.write_handshake())
        client.read_handshake(server.write_handshake())
        return ffi.result_of(server.read_handshake, make(client))

    k = lambda c: (c.suite.aead, c.keys.c2s_key, c.keys.c2s_iv)  # noqa: E731
    # the largest valid ClientFinished: 1024-byte token and a P-256 signature, 1188 bytes
    def largest(c):
        p = gc.build_client_auth_plaintext(c.client_hello, c.server_hello.raw, bytes(1024), me.private)
        cf = c.reseal_client_finished(p)
        assert len(cf) == 1188
        return cf
    assert outcome(largest) == OK
    assert outcome(lambda c: c.client_finished) == OK
    assert outcome(lambda c: gc.seal_packet(*k(c), 0x03, 0, bytes(1189 - 24))) == R["HANDSHAKE_MALFORMED"]
    assert outcome(lambda c: c.client_finished[:23]) == R["HANDSHAKE_MALFORMED"]
    assert outcome(lambda c: gc.seal_packet(*k(c), 0x03, 1, c.client_finished_plaintext)) == R["HANDSHAKE_MALFORMED"]
    assert outcome(lambda c: b"\x40" + c.client_finished[1:]) == R["HANDSHAKE_MALFORMED"]
    flipped = lambda c: c.client_finished[:-1] + bytes([c.client_finished[-1] ^ 1])  # noqa: E731
    assert outcome(flipped) == R["PACKET_AUTH_FAILED"]
    # an empty P is fine when both are optional
    assert outcome(lambda c: c.reseal_client_finished(b"")) == OK


# ---------------------------------------------------------------------------------------
# library client, Python server


def lib_auth_client(server_ident, client_key=None, token=None, suites=None, mode="stream"):
    cfg = ffi.ClientConfig.pinned_key(server_ident.spki, suites=suites, client_key=client_key, token=token)
    return ffi.Session.client(cfg, mode)


@pytest.mark.parametrize("mode", [gc.DATAGRAM, gc.STREAM])
@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
@pytest.mark.parametrize("client_kt", KEY_TYPES, ids=KEY_IDS)
def test_library_client_credentials_checked_by_python_server(client_kt, suite, mode):
    """The library client signs exactly as section 21.3 says: the Python server checks the
    signature over SHA-256(CH || SH || P') and reads the token; an Ed25519 client key
    (deterministic signatures) gives byte for byte the plaintext Python computes."""
    ident = python_identity(KEY_TYPE[suite])
    me = python_identity(client_kt)
    server = gc.Server(ident.private, suites=[suite], signature_mode=2, token_mode=2, mode=mode)
    client = lib_auth_client(ident, client_key=me.pkcs8, token=TOKEN, mode=mode)
    server.read_handshake(client.write_handshake())
    sh = server.write_handshake()
    client.read_handshake(sh)
    cf = client.write_handshake()
    assert client.state == "ESTABLISHED"
    server.read_handshake(cf)
    assert server.state == gc.NEED_ACCEPT
    assert server.client_token == TOKEN
    assert gc.raw_public(server.client_public_key) == me.raw
    assert len(cf) == 24 + 4 + len(TOKEN) + (103 if client_kt == gc.KEY_TYPE_ED25519 else 136)
    plaintext = gc.open_packet(server.suite.aead, server.keys.c2s_key, server.keys.c2s_iv, cf)
    if client_kt == gc.KEY_TYPE_ED25519:
        assert plaintext == gc.build_client_auth_plaintext(server.client_hello.raw, sh, TOKEN, me.private)
    # data sent by the client before the accept waits
    early = client.seal(b"early")
    assert py_code(server.open, early) == R["WRONG_STATE"]
    server.accept()
    assert server.open(early) == b"early"
    assert client.open(server.seal(b"welcome")) == b"welcome"


def test_library_generated_client_key():
    """A client key generated by the library (gamecrypt_signing_key_generate)."""
    ident = python_identity(gc.KEY_TYPE_ED25519)
    for kt in KEY_TYPES:
        key = ffi.SigningKey.generate(kt)
        server = gc.Server(ident.private, signature_mode=2)
        client = lib_auth_client(ident, client_key=key)
        lib_handshake_to_need_accept(client, server)
        assert gc.raw_public(server.client_public_key) == key.public_key().raw()
        assert server.client_token is None
        server.accept()


def lib_handshake_to_need_accept(client: ffi.Session, server: gc.Server) -> bytes:
    server.read_handshake(client.write_handshake())
    client.read_handshake(server.write_handshake())
    cf = client.write_handshake()
    server.read_handshake(cf)
    assert server.state == gc.NEED_ACCEPT
    return cf


@pytest.mark.parametrize(
    "sig, tok, has_key, has_token, sent_key, sent_token",
    [
        (1, 1, False, False, False, False),
        (1, 0, True, True, True, False),
        (0, 1, True, True, False, True),
        (2, 1, True, False, True, False),
        (1, 2, False, True, False, True),
    ],
)
def test_library_client_optional_modes(sig, tok, has_key, has_token, sent_key, sent_token):
    ident = python_identity(gc.KEY_TYPE_P256)
    me = python_identity(gc.KEY_TYPE_P256)
    server = gc.Server(ident.private, signature_mode=sig, token_mode=tok)
    client = lib_auth_client(ident, client_key=me.pkcs8 if has_key else None, token=TOKEN if has_token else None)
    cf = lib_handshake_to_need_accept(client, server)
    assert (server.client_public_key is not None) == sent_key
    assert server.client_token == (TOKEN if sent_token else None)
    assert len(cf) == 24 + (4 + len(TOKEN) if sent_token else 0) + (136 if sent_key else 0)
    server.accept()
    assert server.open(client.seal(b"ok")) == b"ok"


def test_library_client_cannot_meet_the_request():
    """Section 21.3 on the library client: CLIENT_AUTH_REQUIRED before CLIENT_TOKEN_REQUIRED;
    the client aborts (FAILED) before sending a ClientFinished."""
    ident = python_identity(gc.KEY_TYPE_ED25519)
    me = python_identity(gc.KEY_TYPE_ED25519)
    for sig, tok, key, token, err in (
        (2, 0, None, TOKEN, "CLIENT_AUTH_REQUIRED"),
        (0, 2, me.pkcs8, None, "CLIENT_TOKEN_REQUIRED"),
        (2, 2, None, None, "CLIENT_AUTH_REQUIRED"),
        (2, 2, me.pkcs8, None, "CLIENT_TOKEN_REQUIRED"),
    ):
        server = gc.Server(ident.private, signature_mode=sig, token_mode=tok)
        client = lib_auth_client(ident, client_key=key, token=token)
        server.read_handshake(client.write_handshake())
        assert ffi.result_of(client.read_handshake, server.write_handshake()) == R[err]
        assert client.state == "FAILED"
        assert ffi.result_of(client.write_handshake) == R["SESSION_FAILED"]


@pytest.mark.parametrize(
    "ext, ok",
    [
        (gc.client_auth_request_ext(2, 2), True),
        (gc.client_auth_request_ext(0, 1), True),
        (gc.client_auth_request_ext(1, 0), True),
        (struct.pack(">HHBB", 0x0102, 2, 0, 0), False),
        (struct.pack(">HHBB", 0x0102, 2, 3, 0), False),
        (struct.pack(">HHBB", 0x0102, 2, 1, 3), False),
        (struct.pack(">HHBBB", 0x0102, 3, 1, 1, 0), False),
        (struct.pack(">HHB", 0x0102, 1, 1), False),
        (struct.pack(">HHBB", 0x0103, 2, 1, 1), False),
        (gc.client_auth_request_ext(1, 1) + struct.pack(">HH", 0x0200, 0), False),
        (struct.pack(">HH", 0x0200, 0) + gc.client_auth_request_ext(1, 1), False),
        (gc.client_auth_request_ext(1, 1) * 2, False),
    ],
)
def test_request_parsing_by_library_client(ext, ok):
    """Section 21.2 / 7 step 3: the client accepts an empty extension block or exactly one
    well-formed request (len 2, modes 0..2, not both 0); anything else is
    HANDSHAKE_MALFORMED, although correctly signed."""
    ident = python_identity(gc.KEY_TYPE_P256)
    me = python_identity(gc.KEY_TYPE_P256)
    server = gc.Server(ident.private, signature_mode=1, token_mode=1, extension_block=ext)
    client = lib_auth_client(ident, client_key=me.pkcs8, token=TOKEN)
    ch = client.write_handshake()
    server.read_handshake(ch)
    sh = server.write_handshake()
    rc = ffi.result_of(client.read_handshake, sh)
    assert rc == (OK if ok else R["HANDSHAKE_MALFORMED"])
    observer = gc.Client.observer(ch, [o.suite for o in gc.parse_client_hello(ch).offers], pinned_key=ident.public)
    assert py_code(observer.check_server_hello, sh) == rc


def test_python_server_rejects_library_client():
    ident = python_identity(gc.KEY_TYPE_P256)
    me = python_identity(gc.KEY_TYPE_ED25519)
    server = gc.Server(ident.private, token_mode=2)
    client = lib_auth_client(ident, client_key=me.pkcs8, token=b"expired ticket")
    lib_handshake_to_need_accept(client, server)
    assert server.client_token == b"expired ticket"
    assert server.client_public_key is None  # not asked for
    early = client.seal(b"hello?")
    close = server.reject()
    assert ffi.result_of(client.open, close) == R["PEER_CLOSED"]
    assert client.state == "CLOSED"
    assert py_code(server.open, early) == R["SESSION_REJECTED"]


def test_client_signature_binds_the_server_hello():
    """Section 21.6, binding: a signature made for one handshake does not verify in another
    (fresh randoms and shares), even with the same client key and server."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    me = python_identity(gc.KEY_TYPE_ED25519)
    first = gc.Client(pinned_key=ident.public, client_key=me.private, token=TOKEN)
    s1 = lib_auth_server(ident)
    to_need_accept(first, s1)
    replayed_p = first.client_finished_plaintext
    s2 = lib_auth_server(ident)
    second = gc.Client(pinned_key=ident.public, client_key=me.private, token=TOKEN)
    s2.read_handshake(second.write_handshake())
    second.read_handshake(s2.write_handshake())
    assert ffi.result_of(s2.read_handshake, second.reseal_client_finished(replayed_p)) == R["CLIENT_AUTH_INVALID"]


def test_constants():
    assert ffi.CONST["GAMECRYPT_CLIENT_TOKEN_MAX_LEN"] == gc.CLIENT_TOKEN_MAX == ffi.lib.gamecrypt_client_token_max_len()
    assert [ffi.AUTH_MODE[m] for m in ("none", "optional", "required")] == [0, 1, 2]
    assert ffi.CONST["GAMECRYPT_SESSION_STATE_NEED_ACCEPT"] == 6
    assert len(gc.CLIENT_SIG_CONTEXT) == 38 and gc.CLIENT_SIG_CONTEXT != gc.SERVER_SIG_CONTEXT
    assert gc.CLIENT_FINISHED_MAX == 1188
