"""Retry cookies (docs/PROTOCOL.md section 22) between the Python implementation and the
library: the Python client against a library server with retry on
(gamecrypt_server_config_check_client_hello + gamecrypt_session_new_server_for_address),
whose cookies the Python side recomputes from the reference format of section 22.2; and the
library client against a Python server that answers with its own Retry (reference format or
an opaque cookie of its own)."""

from __future__ import annotations

import os
import struct

import pytest
from conftest import ffi, gc, header_name, library_identity, py_code, python_identity

R = ffi.RESULT
OK = ffi.OK
ADDR = bytes.fromhex("c000020130390000")  # e.g. 192.0.2.1:12345 as the application encodes it
OTHER_ADDR = bytes.fromhex("c000020230390000")
T0 = 1_800_000_005
PERIOD = 10


class Clock:
    def __init__(self, t=T0):
        self.t = t

    def __call__(self):
        return self.t


def lib_retry_config(ident, secret, clock, suites=None, client_auth=None):
    return ffi.ServerConfig(
        ident.pkcs8, suites=suites, retry_period=PERIOD, retry_secret=secret, now=clock, client_auth=client_auth
    )


def core_hash_of(ch: bytes) -> bytes:
    return gc.sha256(gc.parse_client_hello(ch).core)


# ---------------------------------------------------------------------------------------
# Python client, library server


@pytest.mark.parametrize("mode", [gc.DATAGRAM, gc.STREAM])
@pytest.mark.parametrize("offers", [None, [gc.SUITE_P256]], ids=["hybrid-default", "p256-only"])
def test_python_client_through_library_retry(offers, mode):
    """The full exchange: SEND_RETRY (76 bytes, the reference cookie, recomputed by Python
    with the same secret, clock and address), CH2 from the same core with the cookie
    extension, ACCEPT, a session for the address, the handshake over CH2, data."""
    ident = library_identity(gc.KEY_TYPE_P256)
    secret, clock = os.urandom(32), Clock()
    cfg = lib_retry_config(ident, secret, clock)
    client = gc.Client(offers, pinned_key=ident.public, mode=mode)
    ch1 = client.write_handshake()
    action, retry = cfg.check_client_hello(ADDR, ch1)
    assert action == "SEND_RETRY"
    assert len(retry) == 76 == ffi.CONST["GAMECRYPT_RETRY_LEN"] == ffi.lib.gamecrypt_retry_len()
    mine = gc.RetryConfig(secret, PERIOD, now=clock)
    assert retry == gc.build_retry(core_hash_of(ch1), mine.make_cookie(ADDR, core_hash_of(ch1)))
    assert retry[35] == 40 and int.from_bytes(retry[36:44], "big") == T0 // PERIOD
    client.read_handshake(retry)
    assert client.state == gc.NEED_WRITE
    ch2 = client.write_handshake()
    assert ch2.startswith(client.core) and ch2[: len(client.core)] == ch1[: len(client.core)]
    assert gc.parse_client_hello(ch2).extensions == [(gc.EXT_COOKIE, retry[36:])]
    assert len(ch2) == (2048 if offers is None else 1200)
    assert cfg.check_client_hello(ADDR, ch2) == ("ACCEPT", b"")
    server = ffi.Session.server(cfg, mode, address=ADDR)
    server.read_handshake(ch2)
    sh = server.write_handshake()
    assert len(sh) < len(ch2)
    client.read_handshake(sh)  # the transcript is over CH2 (section 22.3)
    server.read_handshake(client.write_handshake())
    assert server.state == "ESTABLISHED"
    assert server.open(client.seal(b"verified")) == b"verified"
    assert client.open(server.seal(b"welcome")) == b"welcome"


def _ch2_with_cookie(client: gc.Client, cookie: bytes) -> bytes:
    return gc.client_hello_with_cookie(client.core, cookie, client.min_len)


def test_library_stateless_decisions():
    """Section 22.4 decision table of the library (and of the Python server with the same
    secret and clock): ACCEPT only for a valid cookie of this address and this core."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    secret, clock = os.urandom(32), Clock()
    cfg = lib_retry_config(ident, secret, clock)
    mine = gc.RetryConfig(secret, PERIOD, now=clock)
    client = gc.Client(pinned_key=ident.public)
    ch1 = client.write_handshake()
    h = core_hash_of(ch1)
    _, retry = cfg.check_client_hello(ADDR, ch1)
    cookie = retry[36:]

    def decide(address, datagram):
        lib = cfg.check_client_hello(address, datagram)[0]
        py = mine.check_client_hello(address, datagram)[0]
        assert lib == py, (lib, py)
        return lib

    good = _ch2_with_cookie(client, cookie)
    assert decide(ADDR, good) == "ACCEPT"
    assert decide(OTHER_ADDR, good) == "DROP"
    assert decide(ADDR + b"\x00", good) == "DROP"
    # cookies made by Python in the reference format are accepted by the library
    assert decide(ADDR, _ch2_with_cookie(client, mine.make_cookie(ADDR, h))) == "ACCEPT"
    wrong_secret = gc.RetryConfig(os.urandom(32), PERIOD, now=clock)
    assert decide(ADDR, _ch2_with_cookie(client, wrong_secret.make_cookie(ADDR, h))) == "DROP"
    # every bit of the cookie matters
    for i in (0, 7, 8, 20, 39):
        bad = bytearray(cookie)
        bad[i] ^= 0x01
        assert decide(ADDR, _ch2_with_cookie(client, bytes(bad))) == "DROP", i
    assert decide(ADDR, _ch2_with_cookie(client, cookie[:39])) == "DROP"
    assert decide(ADDR, _ch2_with_cookie(client, cookie + b"\x00")) == "DROP"
    # the cookie of another ClientHello core (another client's random and shares)
    other = gc.Client(pinned_key=ident.public)
    assert decide(ADDR, _ch2_with_cookie(other, cookie)) == "DROP"
    # other extensions next to the cookie are ignored
    ext = gc.encode_extensions([(0x7777, b"x"), (gc.EXT_COOKIE, cookie)])
    with_other = client.core + struct.pack(">H", len(ext)) + ext
    with_other += bytes(client.min_len - len(with_other))
    assert decide(ADDR, with_other) == "ACCEPT"
    # not a ClientHello (checks 1-4 of section 4): DROP, no Retry
    assert decide(ADDR, b"\x02" + ch1[1:]) == "DROP"
    assert decide(ADDR, ch1[:1199]) == "DROP"
    assert decide(ADDR, ch1[:-1] + b"\x01") == "DROP"
    assert decide(ADDR, b"") == "DROP"
    # lifetime: the cookie's slot and the next one (period .. 2 * period seconds)
    # T0 is 5 s into its slot: the cookie is valid until the end of the next slot
    for dt, verdict in ((-5, "ACCEPT"), (PERIOD - 1, "ACCEPT"), (PERIOD + 4, "ACCEPT"), (PERIOD + 5, "DROP"),
                        (2 * PERIOD, "DROP"), (1000, "DROP"), (-6, "DROP"), (-PERIOD, "DROP")):
        clock.t = T0 + dt
        expected = "ACCEPT" if (T0 + dt) // PERIOD - T0 // PERIOD in (0, 1) else "DROP"
        assert expected == verdict
        assert decide(ADDR, good) == verdict, dt
    clock.t = T0
    # a new first ClientHello gets a new Retry (stateless: the same cookie for the same core
    # and slot)
    assert cfg.check_client_hello(ADDR, ch1) == ("SEND_RETRY", retry)


def test_library_retry_rotation_matches_reference():
    """Section 22.2, rotation: cookies of the previous secret stay valid, one rotation later
    they are dropped; the library's new cookies are the reference cookies of the new
    secret."""
    ident = library_identity(gc.KEY_TYPE_P256)
    s1, s2, s3 = (os.urandom(32) for _ in range(3))
    clock = Clock()
    cfg = lib_retry_config(ident, s1, clock)
    mine = gc.RetryConfig(s1, PERIOD, now=clock)
    client = gc.Client([gc.SUITE_P256], pinned_key=ident.public)
    ch1 = client.write_handshake()
    h = core_hash_of(ch1)
    old = _ch2_with_cookie(client, cfg.check_client_hello(ADDR, ch1)[1][36:])
    cfg.rotate_retry_secret(s2)
    mine.rotate(s2)
    _, retry = cfg.check_client_hello(ADDR, ch1)
    assert retry[36:] == mine.make_cookie(ADDR, h) == struct.pack(">Q", T0 // PERIOD) + gc.RetryConfig.tag(s2, T0 // PERIOD, ADDR, h)
    assert cfg.check_client_hello(ADDR, old)[0] == "ACCEPT"
    assert mine.check_client_hello(ADDR, old)[0] == "ACCEPT"
    cfg.rotate_retry_secret(s3)
    mine.rotate(s3)
    assert cfg.check_client_hello(ADDR, old)[0] == "DROP"
    assert mine.check_client_hello(ADDR, old)[0] == "DROP"
    assert cfg.check_client_hello(ADDR, _ch2_with_cookie(client, retry[36:]))[0] == "ACCEPT"
    cfg.rotate_retry_secret()  # a random secret: s2 becomes "previous and previous" = gone
    assert cfg.check_client_hello(ADDR, _ch2_with_cookie(client, retry[36:]))[0] == "DROP"


def test_library_retry_off_accepts_everything_well_formed():
    ident = library_identity(gc.KEY_TYPE_P256)
    cfg = ffi.ServerConfig(ident.pkcs8)
    client = gc.Client(pinned_key=ident.public)
    ch1 = client.write_handshake()
    assert cfg.check_client_hello(ADDR, ch1) == ("ACCEPT", b"")
    assert cfg.check_client_hello(ADDR, ch1[:1199])[0] == "DROP"
    # a session for an address without retry is an ordinary server session
    server = ffi.Session.server(cfg, "datagram", address=ADDR)
    server.read_handshake(ch1)
    assert server.state == "NEED_WRITE"


def _py_server_outcome(ident, secret, clock, address, ch):
    server = gc.Server(ident.private, retry=gc.RetryConfig(secret, PERIOD, now=clock), address=address)
    return py_code(server.read_handshake, ch)


def test_library_server_session_checks_the_cookie_again():
    """Section 22.5: a server session of a retry configuration aborts with
    RETRY_COOKIE_INVALID for a ClientHello without a valid cookie for its address (or when
    it was created without an address), before suite selection; the Python server agrees."""
    ident = library_identity(gc.KEY_TYPE_P256)
    secret, clock = os.urandom(32), Clock()
    cfg = lib_retry_config(ident, secret, clock)
    client = gc.Client(pinned_key=ident.public)
    ch1 = client.write_handshake()
    ch2 = _ch2_with_cookie(client, cfg.check_client_hello(ADDR, ch1)[1][36:])
    # only-unknown-suites with a missing cookie: the cookie check comes first
    no_suite = gc.build_client_hello(os.urandom(32), [gc.Offer(0x7777, b"")])
    cases = [
        ("address", ADDR, ch2, OK),
        ("other address", OTHER_ADDR, ch2, R["RETRY_COOKIE_INVALID"]),
        ("no address", None, ch2, R["RETRY_COOKIE_INVALID"]),
        ("no cookie", ADDR, ch1, R["RETRY_COOKIE_INVALID"]),
        ("no cookie, no common suite", ADDR, no_suite, R["RETRY_COOKIE_INVALID"]),
        ("malformed first", ADDR, ch2[:1199], R["HANDSHAKE_MALFORMED"]),
    ]
    for what, address, ch, expected in cases:
        server = ffi.Session.server(cfg, "datagram", address=address)
        assert ffi.result_of(server.read_handshake, ch) == expected, what
        assert server.state == ("NEED_WRITE" if expected == OK else "FAILED"), what
        assert _py_server_outcome(ident, secret, clock, address, ch) == expected, what
    clock.t = T0 + 2 * PERIOD  # expired between the check and the session
    server = ffi.Session.server(cfg, "datagram", address=ADDR)
    assert ffi.result_of(server.read_handshake, ch2) == R["RETRY_COOKIE_INVALID"]
    assert _py_server_outcome(ident, secret, clock, ADDR, ch2) == R["RETRY_COOKIE_INVALID"]


def test_late_first_client_hello_is_ignored():
    """Section 22.5: after answering CH2, a late copy of the first ClientHello (same core) is
    WRONG_STATE and changes nothing; an exact copy of CH2 is PACKET_REPLAYED (resend the
    ServerHello); the handshake then completes. Same on the Python server."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    secret, clock = os.urandom(32), Clock()
    cfg = lib_retry_config(ident, secret, clock)
    for lib in (True, False):
        client = gc.Client(pinned_key=ident.public)
        ch1 = client.write_handshake()
        _, retry = cfg.check_client_hello(ADDR, ch1)
        client.read_handshake(retry)
        ch2 = client.write_handshake()
        if lib:
            server = ffi.Session.server(cfg, "datagram", address=ADDR)
            code = lambda f, *a: ffi.result_of(f, *a)  # noqa: E731
        else:
            server = gc.Server(ident.private, retry=gc.RetryConfig(secret, PERIOD, now=clock), address=ADDR)
            code = py_code
        server.read_handshake(ch2)
        sh = server.write_handshake()
        assert code(server.read_handshake, ch1) == R["WRONG_STATE"]
        assert code(server.read_handshake, ch2) == R["PACKET_REPLAYED"]
        assert server.state == "NEED_READ"
        client.read_handshake(sh)
        server.read_handshake(client.write_handshake())
        assert server.state == "ESTABLISHED"


def test_retry_with_client_authentication():
    """Section 21.3: the client signature covers the ClientHello the server answered, CH2
    with the cookie."""
    ident = library_identity(gc.KEY_TYPE_P256)
    me = python_identity(gc.KEY_TYPE_ED25519)
    secret, clock = os.urandom(32), Clock()
    cfg = lib_retry_config(ident, secret, clock, client_auth=("required", "required"))
    client = gc.Client(pinned_key=ident.public, client_key=me.private, token=b"ticket")
    ch1 = client.write_handshake()
    client.read_handshake(cfg.check_client_hello(ADDR, ch1)[1])
    ch2 = client.write_handshake()
    server = ffi.Session.server(cfg, "datagram", address=ADDR)
    server.read_handshake(ch2)
    client.read_handshake(server.write_handshake())
    server.read_handshake(client.write_handshake())
    assert server.state == "NEED_ACCEPT"
    assert server.client_public_key().raw() == me.raw
    assert server.client_token() == b"ticket"
    server.accept()
    # the same signature computed over the first ClientHello is refused
    client2 = gc.Client(pinned_key=ident.public, client_key=me.private, token=b"ticket")
    ch1b = client2.write_handshake()
    client2.read_handshake(cfg.check_client_hello(ADDR, ch1b)[1])
    server2 = ffi.Session.server(cfg, "datagram", address=ADDR)
    server2.read_handshake(client2.write_handshake())
    sh2 = server2.write_handshake()
    client2.read_handshake(sh2)
    p = gc.build_client_auth_plaintext(ch1b, sh2, b"ticket", me.private)
    assert ffi.result_of(server2.read_handshake, client2.reseal_client_finished(p)) == R["CLIENT_AUTH_INVALID"]


# ---------------------------------------------------------------------------------------
# library client, Python server


@pytest.mark.parametrize("mode", [gc.DATAGRAM, gc.STREAM])
@pytest.mark.parametrize(
    "retry_cfg",
    [lambda: gc.RetryConfig(os.urandom(32), PERIOD, now=T0)] + [lambda n=n: gc.OpaqueRetry(n) for n in (1, 17, 255)],
    ids=["reference-40", "opaque-1", "opaque-17", "opaque-255"],
)
@pytest.mark.parametrize("suites", [None, [gc.SUITE_HYBRID_ED25519], [gc.SUITE_X25519]], ids=["default", "hybrid-only", "x25519-only"])
def test_library_client_follows_python_retry(suites, retry_cfg, mode):
    """The library client echoes any cookie (1..255 bytes, the server's private format) in
    CH2 = CH_core || u16(4 + n) || 01 01 || u16(n) || cookie || zeros, padded to the
    minimum of section 4 (2048 with a hybrid offer), and completes the handshake over CH2."""
    ident = python_identity(gc.KEY_TYPE_ED25519)
    retry = retry_cfg()
    client = ffi.Session.client(ffi.ClientConfig.pinned_fingerprint(gc.fingerprint(ident.public), suites=suites), mode)
    ch1 = client.write_handshake()
    action, msg = retry.check_client_hello(ADDR, ch1)
    assert action == gc.SEND_RETRY
    cookie = msg[36:]
    client.read_handshake(msg)
    assert client.state == "NEED_WRITE"
    ch2 = client.write_handshake()
    parsed1 = gc.parse_client_hello(ch1)
    min_len = 2048 if suites != [gc.SUITE_X25519] else 1200
    assert ch2 == gc.client_hello_with_cookie(parsed1.core, cookie, min_len)
    assert retry.check_client_hello(ADDR, ch2)[0] == gc.ACCEPT
    server = gc.Server(ident.private, retry=retry, address=ADDR, mode=mode)
    server.read_handshake(ch2)
    client.read_handshake(server.write_handshake())
    server.read_handshake(client.write_handshake())
    assert server.open(client.seal(b"hi")) == b"hi"
    assert client.open(server.seal(b"ho")) == b"ho"


def _retry_variants(ch: bytes):
    """(name, Retry bytes, expected spec error) answering `ch`."""
    h = core_hash_of(ch)
    good = gc.build_retry(h, b"cookie")
    return [
        ("valid", good, None),
        ("wrong hash", gc.build_retry(bytes(32), b"cookie"), "HandshakeMalformed"),
        ("hash of the whole ClientHello", gc.build_retry(gc.sha256(ch), b"cookie"), "HandshakeMalformed"),
        ("version 2", gc.build_retry(h, b"cookie", version=2), "UnsupportedVersion"),
        ("version 0", gc.build_retry(h, b"cookie", version=0), "UnsupportedVersion"),
        ("cookie_len 0", good[:35] + b"\x00", "HandshakeMalformed"),
        ("one byte more", good + b"\x00", "HandshakeMalformed"),
        ("one byte less", good[:-1], "HandshakeMalformed"),
        ("35 bytes", good[:35], "HandshakeMalformed"),
        ("type byte only", b"\x04", "HandshakeMalformed"),
        ("3 bytes", good[:3], "HandshakeMalformed"),
        ("255-byte cookie", gc.build_retry(h, bytes(255)), None),
    ]


@pytest.mark.parametrize("idx", range(12))
def test_retry_checks_library_and_python_clients(idx):
    """Section 22.3 client checks, on the library client and the Python client alike (stream
    mode: fatal; datagram mode drops a bad Retry, section 12.1)."""
    ident = python_identity(gc.KEY_TYPE_P256)
    lib = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki), "stream")
    py = gc.Client(pinned_key=ident.public, mode=gc.STREAM)
    lib_ch, py_ch = lib.write_handshake(), py.write_handshake()
    name, lib_retry, err = _retry_variants(lib_ch)[idx]
    _, py_retry, _ = _retry_variants(py_ch)[idx]
    expected = OK if err is None else R[header_name(err)]
    assert ffi.result_of(lib.read_handshake, lib_retry) == expected, name
    assert py_code(py.read_handshake, py_retry) == expected, name
    assert lib.state == ("NEED_WRITE" if err is None else "FAILED")


def test_second_retry_is_wrong_state():
    """Section 22.3: at most one Retry per session: a later one is WRONG_STATE and changes
    nothing (in NEED_READ after CH2 and in NEED_WRITE before it); a Retry after the
    ServerHello too."""
    ident = python_identity(gc.KEY_TYPE_ED25519)
    for lib in (True, False):
        if lib:
            client = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki))
            code = lambda f, *a: ffi.result_of(f, *a)  # noqa: E731
        else:
            client = gc.Client(pinned_key=ident.public)
            code = py_code
        ch1 = client.write_handshake()
        h = core_hash_of(ch1)
        client.read_handshake(gc.build_retry(h, b"first"))
        assert code(client.read_handshake, gc.build_retry(h, b"second")) == R["WRONG_STATE"]
        ch2 = client.write_handshake()
        assert gc.parse_client_hello(ch2).extension(gc.EXT_COOKIE) == b"first"
        assert code(client.read_handshake, gc.build_retry(h, b"second")) == R["WRONG_STATE"]
        assert code(client.read_handshake, gc.build_retry(bytes(32), b"garbage")) == R["WRONG_STATE"]
        assert client.state == "NEED_READ"
        server = gc.Server(ident.private, retry=gc.OpaqueRetry(), address=ADDR)
        server.retry.issued[b"first"] = (ADDR, h)
        server.read_handshake(ch2)
        client.read_handshake(server.write_handshake())
        assert code(client.read_handshake, gc.build_retry(h, b"third")) == R["WRONG_STATE"]
        server.read_handshake(client.write_handshake())
        assert server.state == gc.ESTABLISHED


def test_server_hello_answering_the_first_client_hello_after_a_retry():
    """A ServerHello that answers CH1 (e.g. from a server without retry racing one with it)
    after the client switched to CH2 fails the signature check: the transcript is CH2."""
    ident = python_identity(gc.KEY_TYPE_P256)
    client = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki), "stream")
    ch1 = client.write_handshake()
    client.read_handshake(gc.build_retry(core_hash_of(ch1), b"c"))
    client.write_handshake()
    server = gc.Server(ident.private)
    server.read_handshake(ch1)
    assert ffi.result_of(client.read_handshake, server.write_handshake()) == R["HANDSHAKE_SIGNATURE_INVALID"]


def test_constants():
    c = ffi.CONST
    assert c["GAMECRYPT_SESSION_MESSAGE_RETRY"] == gc.MSG_RETRY
    assert c["GAMECRYPT_RETRY_SECRET_LEN"] == gc.RETRY_SECRET_LEN == ffi.lib.gamecrypt_retry_secret_len()
    assert c["GAMECRYPT_CLIENT_ADDRESS_MAX_LEN"] == gc.RETRY_ADDRESS_MAX == ffi.lib.gamecrypt_client_address_max_len()
    assert c["GAMECRYPT_RETRY_DEFAULT_PERIOD_SECS"] == gc.RETRY_DEFAULT_PERIOD
    assert ffi.is_handshake_message(b"\x04" + bytes(75))


def test_same_core_client_hello_without_retry_is_a_bad_client_finished():
    """The 22.5 rule is for retry sessions (G22): a server without retry that waits for the
    ClientFinished and gets a ClientHello with the same core but other extensions aborts
    with HANDSHAKE_MALFORMED (section 10.1 check 1) in stream mode, library and Python alike
    (datagram mode drops it, section 12.1)."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    for lib in (True, False):
        client = gc.Client(pinned_key=ident.public)
        ch = client.write_handshake()
        other = gc.client_hello_with_cookie(client.core, b"c" * 40, client.min_len)
        if lib:
            server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), "stream")
            code = lambda f, *a: ffi.result_of(f, *a)  # noqa: E731
        else:
            server = gc.Server(ident.private, mode=gc.STREAM)
            code = py_code
        server.read_handshake(ch)
        server.write_handshake()
        assert code(server.read_handshake, other) == R["HANDSHAKE_MALFORMED"]
        assert server.state == "FAILED"
