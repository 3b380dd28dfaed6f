"""Negative interop: the Python side sends tampered, replayed, malformed or downgraded
messages; the library must report the gamecrypt_result code the spec names (codes taken from
include/gamecrypt.h)."""

from __future__ import annotations

import os
import struct

import pytest
from conftest import (
    KEY_TYPE,
    SUITE_IDS,
    SUITES,
    gc,
    ffi,
    lib_handshake_with_py_client,
    lib_handshake_with_py_server,
    library_identity,
    python_identity,
)

R = ffi.RESULT
SPEC_TO_HEADER = {
    name: "".join("_" + c if c.isupper() else c for c in name).lstrip("_").upper()
    for name in gc.SPEC_ERROR_CODES
}


def header_code(spec_name: str) -> int:
    return R[SPEC_TO_HEADER[spec_name]]


def lib_free_handshake(client: gc.Client, server: gc.Server) -> None:
    """Python client against Python server."""
    server.read_handshake(client.write_handshake())
    client.read_handshake(server.write_handshake())
    server.read_handshake(client.write_handshake())


def established(suite, mode):
    """Python client, library server, handshake done."""
    ident = library_identity(KEY_TYPE[suite])
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), mode)
    client = gc.Client([suite], pinned_key=ident.public, mode=mode)
    lib_handshake_with_py_client(client, server)
    return client, server


def flip(data: bytes, i: int, mask: int = 0x01) -> bytes:
    b = bytearray(data)
    b[i] ^= mask
    return bytes(b)


def expect_drop_or_abort(server: ffi.Session, mode: str, pkt: bytes, code: str, good: bytes, good_pt: bytes):
    """Datagram mode: the packet is dropped and the session goes on. Stream mode: fatal."""
    assert ffi.result_of(server.open, pkt) == R[code]
    if mode == gc.DATAGRAM:
        assert server.state == "ESTABLISHED"
        assert server.open(good) == good_pt
    else:
        assert server.state == "FAILED"
        assert ffi.result_of(server.open, good) == R["SESSION_FAILED"]
        assert ffi.result_of(server.seal, b"x") == R["SESSION_FAILED"]


# ---------------------------------------------------------------------------------------
# sealed packets (section 10.4)


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
@pytest.mark.parametrize(
    "where",
    ["ciphertext", "tag", "last-tag-byte", "type-to-close"],
)
def test_tampered_packet(suite, mode, where):
    client, server = established(suite, mode)
    good = client.seal(b"attack at dawn")
    i = {"ciphertext": 8, "tag": len(good) - 16, "last-tag-byte": len(good) - 1, "type-to-close": 0}[where]
    bad = flip(good, i, 0x02 if where == "type-to-close" else 0x80)
    if where == "type-to-close":
        assert bad[0] == 0x42
    expect_drop_or_abort(server, mode, bad, "PACKET_AUTH_FAILED", good, b"attack at dawn")


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_tampered_packet_number(suite, mode):
    """Changing the packet number: datagram mode finds it at decryption (nonce and aad
    change); stream mode already at the order check."""
    client, server = established(suite, mode)
    good = client.seal(b"x")  # pn 1
    ahead = flip(good, 7, 0x02)  # pn 3
    behind = flip(good, 7, 0x01)  # pn 0
    if mode == gc.DATAGRAM:
        assert ffi.result_of(server.open, ahead) == R["PACKET_AUTH_FAILED"]
        # pn 0 is the ClientFinished, already recorded
        assert ffi.result_of(server.open, behind) == R["PACKET_REPLAYED"]
        assert server.open(good) == b"x"
    else:
        expect_drop_or_abort(server, mode, ahead, "PACKET_OUT_OF_ORDER", good, b"x")
        client, server = established(suite, mode)
        good = client.seal(b"x")
        expect_drop_or_abort(server, mode, flip(good, 7, 0x01), "PACKET_REPLAYED", good, b"x")


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_replayed_packet(suite, mode):
    client, server = established(suite, mode)
    p1 = client.seal(b"one")
    assert server.open(p1) == b"one"
    p2 = client.seal(b"two")
    expect_drop_or_abort(server, mode, p1, "PACKET_REPLAYED", p2, b"two")
    if mode == gc.DATAGRAM:
        assert ffi.result_of(server.open, p2) == R["PACKET_REPLAYED"]
        assert ffi.result_of(server.open, p1) == R["PACKET_REPLAYED"]
        assert server.state == "ESTABLISHED"


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_stream_gap_is_fatal(suite):
    client, server = established(suite, gc.STREAM)
    client.seal(b"lost")
    p2 = client.seal(b"two")
    assert ffi.result_of(server.open, p2) == R["PACKET_OUT_OF_ORDER"]
    assert server.state == "FAILED"


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_datagram_window(suite):
    """Section 11: W = 1984 in the library (header constant). A forged packet far ahead does
    not move the window; an authenticated one does."""
    assert ffi.CONST["GAMECRYPT_SESSION_REPLAY_WINDOW"] == gc.ReplayWindow.WINDOW == 1984
    client, server = established(suite, gc.DATAGRAM)
    old = [client.seal(bytes([i])) for i in range(1, 6)]  # pn 1..5, not delivered yet
    client.send_pn = 5 + 1984  # top - pn for pn 5 is exactly W-... see below
    forged = flip(client.seal(b"forged"), 10)
    assert ffi.result_of(server.open, forged) == R["PACKET_AUTH_FAILED"]
    assert server.open(old[0]) == b"\x01"  # window did not move
    client.send_pn = 1 + 1984 + 1  # pn 1986: top - 2 = 1984 >= W -> too old; top - 3 < W
    assert server.open(client.seal(b"top")) == b"top"
    assert ffi.result_of(server.open, old[1]) == R["PACKET_TOO_OLD"]  # pn 2
    assert server.open(old[2]) == b"\x03"  # pn 3: 1983 behind
    assert ffi.result_of(server.open, old[2]) == R["PACKET_REPLAYED"]
    assert ffi.result_of(server.open, old[0]) == R["PACKET_TOO_OLD"]
    assert server.state == "ESTABLISHED"
    # the last packet number 2^56 - 1 is accepted
    client.send_pn = gc.MAX_PN
    assert server.open(client.seal(b"last")) == b"last"
    with pytest.raises(gc.GcError) as e:
        client.seal(b"one too many")
    assert e.value.name == "KeyExhausted"


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
@pytest.mark.parametrize(
    "ptype", [0x41, 0x43, 0x44, 0x47, 0x03, 0x01, 0x00, 0xFF, 0x80]
)
def test_malformed_packet_type(suite, mode, ptype):
    """Section 17.4 step 2: types other than 0x40..0x43 are PACKET_MALFORMED, even when
    correctly sealed under the right key with that type as aad (control packets, a late
    ClientFinished). Key phase 1 (0x41, 0x43) sealed with the generation-0 key is tried
    with the generation-1 keys (low_0 = 0 < packet number 1): PACKET_AUTH_FAILED. The
    Python server reaches the same verdict."""
    client, server = established(suite, mode)
    bad = client._seal(ptype, b"reserved")  # pn 1
    good = gc.seal_packet(client.suite.aead, client.keys.c2s_key, client.keys.c2s_iv, 0x40, 1, b"ok")
    code = "PACKET_AUTH_FAILED" if ptype in (0x41, 0x43) else "PACKET_MALFORMED"
    py = gc.Server(python_identity(KEY_TYPE[suite]).private, mode=mode)
    py_client = gc.Client([suite], pinned_key=py.identity_key.public_key(), mode=mode)
    lib_free_handshake(py_client, py)
    py_bad = py_client._seal(ptype, b"reserved")
    assert _py_outcome(py.open, py_bad) == R[code]
    expect_drop_or_abort(server, mode, bad, code, good, b"ok")


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_malformed_packet_length(suite, mode):
    client, server = established(suite, mode)
    good = client.seal(b"")
    assert len(good) == 24
    expect_drop_or_abort(server, mode, good[:23], "PACKET_MALFORMED", good, b"")


def test_close_packet_content_ignored_and_tampered_close():
    client, server = established(gc.SUITE_P256, gc.DATAGRAM)
    bad_close = flip(client._seal(gc.PKT_CLOSE, b""), 9)
    assert ffi.result_of(server.open, bad_close) == R["PACKET_AUTH_FAILED"]
    assert server.state == "ESTABLISHED"
    # section 10.3: receivers ignore the content of a close packet
    close = client._seal(gc.PKT_CLOSE, b"goodbye, with a reason")
    assert ffi.result_of(server.open, close) == R["PEER_CLOSED"]
    assert server.state == "CLOSED"
    assert ffi.result_of(server.open, close) == R["SESSION_CLOSED"]


# ---------------------------------------------------------------------------------------
# ClientHello (section 4) and ClientFinished (section 10.1) sent to the library server


def ch_with(offers, ext=b"", pad_to=1200, version=1, random=None, padding_byte=0, count=None):
    ch = bytearray([1]) + struct.pack(">H", version) + (random or os.urandom(32))
    ch.append(len(offers) if count is None else count)
    for code, share in offers:
        ch += struct.pack(">HH", code, len(share)) + share
    ch += struct.pack(">H", len(ext)) + ext
    if len(ch) < pad_to:
        ch += bytes([padding_byte]) * (pad_to - len(ch))
    return bytes(ch)


def p256_share():
    return gc.Ephemeral.generate("p256", os.urandom).share


def x25519_share():
    return gc.Ephemeral.generate("x25519", os.urandom).share


CH_CASES = {
    # name: (builder, expected spec error)
    "first byte 0x02": (lambda: b"\x02" + ch_with([(1, p256_share())])[1:], "HandshakeMalformed"),
    "version 0x0002": (lambda: ch_with([(1, p256_share())], version=2), "UnsupportedVersion"),
    "version 0x0000": (lambda: ch_with([(1, p256_share())], version=0), "UnsupportedVersion"),
    "short version, 2 bytes": (lambda: b"\x01\x00", "HandshakeMalformed"),
    "1199 bytes": (lambda: ch_with([(1, p256_share())], pad_to=1199), "HandshakeMalformed"),
    "4097 bytes": (lambda: ch_with([(1, p256_share())], pad_to=4097), "HandshakeMalformed"),
    "4096 bytes": (lambda: ch_with([(1, p256_share())], pad_to=4096), None),
    "nonzero padding": (lambda: ch_with([(1, p256_share())], padding_byte=1), "HandshakeMalformed"),
    "zero offers": (lambda: ch_with([]), "HandshakeMalformed"),
    "17 offers": (
        lambda: ch_with([(1, p256_share())] + [(0x100 + i, b"") for i in range(16)]),
        "HandshakeMalformed",
    ),
    "16 offers": (
        lambda: ch_with([(0x100 + i, b"") for i in range(15)] + [(1, p256_share())]),
        None,
    ),
    "offer count beyond data": (lambda: ch_with([(1, p256_share())], count=2, pad_to=0), "HandshakeMalformed"),
    "duplicate suite": (lambda: ch_with([(1, p256_share()), (1, p256_share())]), "HandshakeMalformed"),
    "duplicate unknown suite": (
        lambda: ch_with([(1, p256_share()), (0x99, b""), (0x99, b"")]),
        "HandshakeMalformed",
    ),
    "extension block truncated": (
        lambda: ch_with([(1, p256_share())], ext=struct.pack(">HH", 9, 5) + b"abc"),
        "HandshakeMalformed",
    ),
    "duplicate extension type": (
        lambda: ch_with([(1, p256_share())], ext=struct.pack(">HH", 9, 0) * 2),
        "HandshakeMalformed",
    ),
    "unknown extensions": (
        lambda: ch_with([(1, p256_share())], ext=struct.pack(">HH", 9, 1) + b"x" + struct.pack(">HH", 10, 0)),
        None,
    ),
    "only unknown suites": (lambda: ch_with([(0x11EC, bytes(1216)), (0x0003, b"")]), "NoCommonSuite"),
    "only the other suite": (lambda: ch_with([(2, x25519_share())]), "NoCommonSuite"),
    "P-256 share 64 bytes": (lambda: ch_with([(1, p256_share()[:64])]), "HandshakeMalformed"),
    "P-256 compressed share": (lambda: ch_with([(1, b"\x02" + p256_share()[1:33])]), "HandshakeMalformed"),
    "P-256 share prefix 0x05": (lambda: ch_with([(1, b"\x05" + p256_share()[1:])]), "HandshakeMalformed"),
    "P-256 share off the curve": (lambda: ch_with([(1, flip(p256_share(), 64))]), "HandshakeMalformed"),
    "P-256 share at infinity": (lambda: ch_with([(1, b"\x04" + bytes(64))]), "HandshakeMalformed"),
    # an invalid share in an offer that is not chosen is not checked
    "bad share in unchosen offer": (lambda: ch_with([(2, b"junk"), (1, p256_share())]), None),
}

X_CH_CASES = {
    "X25519 share 31 bytes": (lambda: ch_with([(2, x25519_share()[:31])]), "HandshakeMalformed"),
    "X25519 zero share": (lambda: ch_with([(2, bytes(32))]), "HandshakeMalformed"),
    "X25519 low-order share": (
        lambda: ch_with([(2, bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"))]),
        "HandshakeMalformed",
    ),
    "X25519 share 1": (lambda: ch_with([(2, b"\x01" + bytes(31))]), "HandshakeMalformed"),
}


def _check_lib_server_ch(key_type, ch, err):
    ident = library_identity(key_type)
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), "datagram")
    rc = ffi.result_of(server.read_handshake, ch)
    # the Python server reaches the same verdict
    py = gc.Server(ident.private)
    try:
        py.read_handshake(ch)
        mine = None
    except gc.GcError as e:
        mine = e.name
    assert mine == err
    if err is None:
        assert rc == R["OK"]
        assert server.state == "NEED_WRITE"
    else:
        assert rc == header_code(err)
        assert server.state == "FAILED"
        assert ffi.result_of(server.read_handshake, ch) == R["SESSION_FAILED"]


@pytest.mark.parametrize("case", list(CH_CASES))
def test_client_hello_checks_p256(case):
    builder, err = CH_CASES[case]
    _check_lib_server_ch(gc.KEY_TYPE_P256, builder(), err)


@pytest.mark.parametrize("case", list(X_CH_CASES))
def test_client_hello_checks_x25519(case):
    builder, err = X_CH_CASES[case]
    _check_lib_server_ch(gc.KEY_TYPE_ED25519, builder(), err)


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_client_hello_every_byte_flipped(suite):
    """Differential: flip each byte of a Python ClientHello (header, offers, extensions and a
    sample of the padding); the library server and the Python server agree on the verdict."""
    ident = library_identity(KEY_TYPE[suite])
    if gc.SUITES[suite].hybrid:
        # the default offer list: two 1216-byte hybrid shares, then P-256 and X25519
        client = gc.Client(list(gc.DEFAULT_OFFERS), pinned_fingerprint=gc.fingerprint(ident.public))
        ch = client.client_hello
        end = len(client.core) + 2
        share_bytes = set()
        pos = 36
        for o in client.offers:
            share_bytes.update(range(pos + 4, pos + 4 + len(o.share)))
            pos += 4 + len(o.share)
        # every header byte, every 19th share byte (ek coefficients and the X25519 parts)
        positions = [i for i in range(end) if i not in share_bytes or i % 19 == 0]
        positions += [len(ch) - 1]
    else:
        client = gc.Client([gc.SUITE_P256, gc.SUITE_X25519], pinned_key=ident.public)
        ch = client.client_hello
        end = 1 + 2 + 32 + 1 + 4 + 65 + 4 + 32 + 2
        positions = list(range(end)) + list(range(end, len(ch), 97)) + [len(ch) - 1]
    for i in positions:
        for mask in (0x01, 0x80):
            bad = flip(ch, i, mask)
            server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), "datagram")
            rc = ffi.result_of(server.read_handshake, bad)
            py = gc.Server(ident.private)
            try:
                py.read_handshake(bad)
                mine = R["OK"]
            except gc.GcError as e:
                mine = header_code(e.name)
            assert rc == mine, f"byte {i} mask {mask:#x}: library {ffi.RESULT_NAME[rc]}, python {ffi.RESULT_NAME[mine]}"


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_client_finished_checks(suite, mode):
    ident = library_identity(KEY_TYPE[suite])

    def server_waiting_for_cf():
        server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), mode)
        client = gc.Client([suite], pinned_key=ident.public, mode=mode)
        server.read_handshake(client.write_handshake())
        client.read_handshake(server.write_handshake())
        return client, server, client.write_handshake()

    k = lambda c: (c.suite.aead, c.keys.c2s_key, c.keys.c2s_iv)  # noqa: E731
    cases = [
        ("tag flipped", lambda c, cf: flip(cf, 23), "PacketAuthFailed"),
        ("header pn flipped", lambda c, cf: flip(cf, 7), "HandshakeMalformed"),
        ("sealed as pn 1", lambda c, cf: gc.seal_packet(*k(c), 0x03, 1, b""), "HandshakeMalformed"),
        ("non-empty plaintext", lambda c, cf: gc.seal_packet(*k(c), 0x03, 0, b"\x00"), "HandshakeMalformed"),
        ("truncated", lambda c, cf: cf[:23], "HandshakeMalformed"),
        ("s2c key", lambda c, cf: gc.seal_packet(c.suite.aead, c.keys.s2c_key, c.keys.s2c_iv, 0x03, 0, b""), "PacketAuthFailed"),
        ("type 0x04", lambda c, cf: gc.seal_packet(*k(c), 0x04, 0, b""), "HandshakeMalformed"),
        ("another ClientHello", lambda c, cf: gc.Client([suite], pinned_key=ident.public).client_hello, "HandshakeMalformed"),
        ("ServerHello-typed", lambda c, cf: b"\x02" + cf[1:], "HandshakeMalformed"),
    ]
    for what, make, err in cases:
        client, server, cf = server_waiting_for_cf()
        rc = ffi.result_of(server.read_handshake, make(client, cf))
        if mode == gc.DATAGRAM:
            # section 12.1: dropped, nothing changes; the real ClientFinished still works
            assert rc == R["HANDSHAKE_MESSAGE_DROPPED"], what
            assert server.state == "NEED_READ", what
            server.read_handshake(cf)
            assert server.state == "ESTABLISHED", what
            continue
        assert rc == header_code(err), what
        assert server.state == "FAILED", what
    client, server, cf = server_waiting_for_cf()
    server.read_handshake(cf)
    assert server.state == "ESTABLISHED"


# ---------------------------------------------------------------------------------------
# ServerHello (section 7) sent to the library client


def make_sh(ch: bytes, key, suite: int, advertised, share=None, identity_type=gc.IDENTITY_RAW, identity=None,
            ext=b"", version=gc.VERSION, sign_key=None):
    """A correctly signed ServerHello with arbitrary fields."""
    if share is None:
        group = gc.SUITES[suite].group if suite in gc.SUITES else "p256"
        offer = next((o for o in gc.parse_client_hello(ch).offers if o.suite == suite), None)
        if offer is not None:
            share = gc.server_key_exchange(group, offer.share, os.urandom)[0]
        else:
            share = gc.Ephemeral.generate(group, os.urandom).share
    if identity is None:
        identity = gc.raw_public(key)
    body = gc.build_server_hello_body(os.urandom(32), suite, advertised, share, identity_type, identity, ext, version)
    return body + gc.sign(sign_key or key, gc.server_signed_message(gc.transcript_hash(ch, body)))


def predict_client(ch: bytes, offers, sh: bytes, **trust) -> int:
    """The code a client that sent `ch` must report for `sh`: checks 1-8 of section 7 run by
    the Python implementation, then step 9's share validity with a throwaway key."""
    observer = gc.Client.observer(ch, offers, **trust)
    try:
        parsed, suite, _, _, _ = observer.check_server_hello(sh)
    except gc.GcError as e:
        return header_code(e.name)
    try:
        gc.Ephemeral.generate(suite.group, os.urandom).exchange(parsed.share)
    except ValueError:
        return R["HANDSHAKE_MALFORMED"]
    return R["OK"]


def lib_client(anchor_ident=None, suites=None, root=None, fp=None):
    """A library client in stream mode, where every failed check is fatal with its own code
    (in datagram mode it is a drop, section 12.1)."""
    if root is not None:
        cfg = ffi.ClientConfig.root(
            root.spki, suites=suites, now=1_800_000_000, dangerous_accept_any_server_name=True
        )
    elif fp is not None:
        cfg = ffi.ClientConfig.pinned_fingerprint(fp, suites=suites)
    else:
        cfg = ffi.ClientConfig.pinned_key(anchor_ident.spki, suites=suites)
    return ffi.Session.client(cfg, "stream")


def test_downgraded_suite_choice():
    """Section 7 check 4: a correctly signed ServerHello that does not follow section 5."""
    p = python_identity(gc.KEY_TYPE_P256)
    e = python_identity(gc.KEY_TYPE_ED25519)
    fp = gc.fingerprint(e.public)
    both = [gc.SUITE_P256, gc.SUITE_X25519]

    # 1. a server that ignores the client's preference: S contains P-256, chosen X25519
    client = lib_client(fp=fp, suites=both)
    server = gc.Server(e.private, suites=[gc.SUITE_X25519], advertised_suites=both, force_suite=gc.SUITE_X25519)
    server.read_handshake(client.write_handshake())
    assert ffi.result_of(client.read_handshake, server.write_handshake()) == R["DOWNGRADE_DETECTED"]
    assert client.state == "FAILED"

    # 2. the same with the S order reversed (S order plays no role)
    client = lib_client(fp=fp, suites=both)
    ch = client.write_handshake()
    sh = make_sh(ch, e.private, gc.SUITE_X25519, [gc.SUITE_X25519, gc.SUITE_P256])
    assert ffi.result_of(client.read_handshake, sh) == R["DOWNGRADE_DETECTED"]

    # 3. a suite the client did not offer (and S lists only it)
    client = lib_client(p, suites=[gc.SUITE_P256])
    ch = client.write_handshake()
    sh = make_sh(ch, p.private, gc.SUITE_X25519, [gc.SUITE_X25519])
    assert ffi.result_of(client.read_handshake, sh) == R["DOWNGRADE_DETECTED"]

    # 4. the chosen suite is missing from S
    client = lib_client(p, suites=[gc.SUITE_P256])
    ch = client.write_handshake()
    sh = make_sh(ch, p.private, gc.SUITE_P256, [gc.SUITE_X25519])
    assert ffi.result_of(client.read_handshake, sh) == R["DOWNGRADE_DETECTED"]

    # 5. an unknown suite code chosen and advertised
    client = lib_client(p)
    ch = client.write_handshake()
    sh = make_sh(ch, p.private, 0x11EC, [0x11EC], share=bytes(1120))
    assert ffi.result_of(client.read_handshake, sh) == R["DOWNGRADE_DETECTED"]

    # the honest answer to the same client works
    client = lib_client(fp=fp, suites=both)
    server = gc.Server(e.private)
    lib_handshake_with_py_server(client, server)
    assert client.suite() == gc.SUITE_X25519


def test_mitm_strips_preferred_offer():
    """Section 15, downgrade 1: a MITM removes the client's preferred suite from the
    ClientHello; the server signs the modified transcript, so the client's signature check
    fails (HANDSHAKE_SIGNATURE_INVALID)."""
    p = python_identity(gc.KEY_TYPE_P256)
    e = python_identity(gc.KEY_TYPE_ED25519)
    root = python_identity(gc.KEY_TYPE_P256)
    client = ffi.Session.client(
        ffi.ClientConfig.root(
            root.spki, suites=[gc.SUITE_X25519, gc.SUITE_P256], now=100, server_name="s"
        ),
        "stream",
    )
    ch = client.write_handshake()
    parsed = gc.parse_client_hello(ch)
    stripped = gc.build_client_hello(parsed.client_random, [o for o in parsed.offers if o.suite != gc.SUITE_X25519])
    cert = gc.issue_certificate(root.private, p.public, "s", 0, 1000)
    server = gc.Server(p.private, certificate=cert)  # accepts P-256 only
    server.read_handshake(stripped)
    assert ffi.result_of(client.read_handshake, server.write_handshake()) == R["HANDSHAKE_SIGNATURE_INVALID"]
    # control: without the MITM, X25519 would have been negotiated with an Ed25519 server
    client = ffi.Session.client(
        ffi.ClientConfig.root(
            root.spki, suites=[gc.SUITE_X25519, gc.SUITE_P256], now=100, server_name="s"
        ),
        "stream",
    )
    server = gc.Server(e.private, certificate=gc.issue_certificate(root.private, e.public, "s", 0, 1000))
    lib_handshake_with_py_server(client, server)
    assert client.suite() == gc.SUITE_X25519


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_crafted_server_hellos(suite):
    """Correctly signed ServerHellos that break one rule of section 7 each."""
    ident = python_identity(KEY_TYPE[suite])
    other = python_identity(4 - KEY_TYPE[suite])
    slen = gc.SUITES[suite].server_share_len

    def run(**kw):
        client = lib_client(ident, suites=[suite])
        ch = client.write_handshake()
        sh = make_sh(ch, ident.private, suite, [suite], **kw)
        rc = ffi.result_of(client.read_handshake, sh)
        assert rc == predict_client(ch, [suite], sh, pinned_key=ident.public)
        return rc

    assert run() == R["OK"]
    assert run(version=0x0000) == R["UNSUPPORTED_VERSION"]
    assert run(version=0x0002) == R["UNSUPPORTED_VERSION"]
    assert run(ext=struct.pack(">HH", 1, 0)) == R["HANDSHAKE_MALFORMED"]
    assert run(share=bytes(slen - 1)) == R["HANDSHAKE_MALFORMED"]
    assert run(share=bytes(slen + 1)) == R["HANDSHAKE_MALFORMED"]
    assert run(identity_type=0x03) == R["HANDSHAKE_MALFORMED"]
    assert run(identity_type=0x00) == R["HANDSHAKE_MALFORMED"]
    assert run(identity=gc.raw_public(ident.private) + b"\x00") == R["HANDSHAKE_MALFORMED"]
    # the other suite's key type as raw identity (signed with that key)
    assert run(identity=other.raw, sign_key=other.private) == R["HANDSHAKE_MALFORMED"]
    # a certificate (any root: not validated with a pin) for the other key type
    root = python_identity(gc.KEY_TYPE_P256)
    wrong_cert = gc.issue_certificate(root.private, other.public, "n", 0, 1)
    assert run(identity_type=gc.IDENTITY_CERT, identity=wrong_cert, sign_key=other.private) == R["HANDSHAKE_MALFORMED"]
    good_cert = gc.issue_certificate(root.private, ident.public, "n", 0, 1)
    assert run(identity_type=gc.IDENTITY_CERT, identity=good_cert) == R["OK"]
    assert run(identity_type=gc.IDENTITY_CERT, identity=good_cert + b"\x00") == R["CERTIFICATE_MALFORMED"]
    # signed by another key of the right type: signature fine, pin mismatch
    stranger = python_identity(KEY_TYPE[suite])
    assert run(identity=stranger.raw, sign_key=stranger.private) == R["PINNED_KEY_MISMATCH"]
    # identity key and signing key differ
    assert run(sign_key=stranger.private) == R["HANDSHAKE_SIGNATURE_INVALID"]
    if suite == gc.SUITE_P256:
        assert run(share=flip(gc.Ephemeral.generate("p256", os.urandom).share, 64)) == R["HANDSHAKE_MALFORMED"]
        assert run(share=b"\x04" + bytes(64)) == R["HANDSHAKE_MALFORMED"]
        assert run(identity=flip(ident.raw, 64)) == R["HANDSHAKE_MALFORMED"]
    elif suite == gc.SUITE_X25519:
        assert run(share=bytes(32)) == R["HANDSHAKE_MALFORMED"]  # all-zero ECDH output
        assert run(share=b"\x01" + bytes(31)) == R["HANDSHAKE_MALFORMED"]
    else:
        # section 20.1: an all-zero X25519 part; the ML-KEM ciphertext never fails
        assert run(share=os.urandom(1088) + bytes(32)) == R["HANDSHAKE_MALFORMED"]
        assert run(share=os.urandom(1088) + b"\x01" + bytes(31)) == R["HANDSHAKE_MALFORMED"]
        assert run(share=os.urandom(1088) + gc.Ephemeral.generate("x25519", os.urandom).share) == R["OK"]
        # a classic share length for a hybrid suite
        assert run(share=gc.Ephemeral.generate("x25519", os.urandom).share) == R["HANDSHAKE_MALFORMED"]
    # structural: suite count 0 / 17 / duplicated
    client = lib_client(ident, suites=[suite])
    ch = client.write_handshake()
    assert ffi.result_of(client.read_handshake, make_sh(ch, ident.private, suite, [])) == R["HANDSHAKE_MALFORMED"]
    for adv in ([suite] * 2, [suite] + [0x100 + i for i in range(16)]):
        client = lib_client(ident, suites=[suite])
        ch = client.write_handshake()
        assert ffi.result_of(client.read_handshake, make_sh(ch, ident.private, suite, adv)) == R["HANDSHAKE_MALFORMED"]
    client = lib_client(ident, suites=[suite])
    ch = client.write_handshake()
    adv16 = [suite] + [0x100 + i for i in range(15)]
    sh = make_sh(ch, ident.private, suite, adv16)
    assert ffi.result_of(client.read_handshake, sh) == R["OK"]


@pytest.mark.parametrize("trust", ["pinned-key", "fingerprint", "root"])
@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_tampered_server_hello_every_byte(suite, trust):
    """Differential: a genuine Python ServerHello with each byte flipped (and every
    truncation): the library client reports exactly the code that checks 1-8 of section 7,
    run by the Python client on the same bytes, predict."""
    if gc.SUITES[suite].hybrid and trust != "pinned-key":
        pytest.skip("the trust checks are those of the classic suites; one trust anchor suffices for the hybrid share")
    ident = python_identity(KEY_TYPE[suite])
    root = python_identity(gc.KEY_TYPE_ED25519)
    now = 1_800_000_000
    cert = None
    if trust == "root":
        cert = gc.issue_certificate(root.private, ident.public, "srv", now - 1, now + 1)

    def new_client():
        if trust == "pinned-key":
            return lib_client(ident, suites=[suite]), dict(pinned_key=ident.public)
        if trust == "fingerprint":
            return lib_client(fp=gc.fingerprint(ident.public), suites=[suite]), dict(
                pinned_fingerprint=gc.fingerprint(ident.public)
            )
        cfg = ffi.ClientConfig.root(root.spki, suites=[suite], server_name="srv", now=now)
        return ffi.Session.client(cfg, "stream"), dict(root_key=root.public, server_name="srv", now=now)

    def fresh():
        """A new library client and a genuine Python ServerHello answering it."""
        client, trust_kw = new_client()
        ch = client.write_handshake()
        server = gc.Server(ident.private, certificate=cert)
        server.read_handshake(ch)
        return client, server.write_handshake(), gc.Client.observer(ch, [suite], **trust_kw)

    def predicted(observer, msg):
        try:
            observer.check_server_hello(msg)
            return R["OK"]
        except gc.GcError as e:
            return header_code(e.name)

    _, sh, _ = fresh()
    n = len(sh)
    positions = range(n)
    if gc.SUITES[suite].hybrid:
        # every byte outside the 1120-byte share, every 17th byte inside it
        share_at = 1 + 2 + 32 + 2 + 1 + 2 * len(gc.parse_server_hello(sh).server_suites) + 2
        positions = [i for i in range(n) if not share_at <= i < share_at + 1120 or i % 17 == 0]
    variants = [("flip", i, 0x01) for i in positions] + [("flip", i, 0x80) for i in positions[::3]]
    variants += [("truncate", i, 0) for i in positions] + [("append", n, 0)]
    seen = set()
    for kind, i, mask in variants:
        client, sh, observer = fresh()
        if kind == "flip":
            msg = flip(sh, i, mask)
        elif kind == "truncate":
            msg = sh[:i]
        else:
            msg = sh + b"\x00"
        rc = ffi.result_of(client.read_handshake, msg)
        exp = predicted(observer, msg)
        assert rc == exp, f"{kind} {i} {mask:#x}: library {ffi.RESULT_NAME[rc]}, spec {ffi.RESULT_NAME[exp]}"
        seen.add(ffi.RESULT_NAME[rc])
    assert {"HANDSHAKE_SIGNATURE_INVALID", "HANDSHAKE_MALFORMED", "UNSUPPORTED_VERSION"} <= seen
    if trust == "root":
        assert "CERTIFICATE_MALFORMED" in seen


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_replay_window_differential(suite):
    """Random packet numbers (genuine, forged, duplicated, far behind, far ahead) sent to the
    library server; its verdicts equal those of the Python window model of section 11
    (RFC 6479, 32 x 64 bits, W = 1984)."""
    import random

    rnd = random.Random(1234 + suite)
    client, server = established(suite, gc.DATAGRAM)
    model = gc.ReplayWindow()
    model.record(0)  # the ClientFinished
    sent = {}
    for step in range(3000):
        r = rnd.random()
        if r < 0.45:
            pn = model.top + rnd.randint(1, 70)
        elif r < 0.55:
            pn = model.top + rnd.randint(1, 5000)
        elif r < 0.85 and sent:
            pn = rnd.choice(list(sent))  # maybe a duplicate
        else:
            pn = max(0, model.top - rnd.randint(1900, 2100))
        forged = rnd.random() < 0.1
        if pn in sent and not forged:
            pkt = sent[pn]
        else:
            client.send_pn = pn
            pkt = client.seal(pn.to_bytes(8, "big"))
            if forged:
                pkt = flip(pkt, 12)
            else:
                sent[pn] = pkt
        try:
            model.check(pn)
            expected = R["PACKET_AUTH_FAILED"] if forged else R["OK"]
        except gc.GcError as e:
            expected = header_code(e.name)
        rc = ffi.result_of(server.open, pkt)
        assert rc == expected, f"step {step} pn {pn} top {model.top}"
        if rc == R["OK"]:
            model.record(pn)
    assert server.state == "ESTABLISHED"


def _py_outcome(f, *args):
    try:
        f(*args)
        return R["OK"]
    except gc.GcError as e:
        return header_code(e.name)


@pytest.mark.parametrize("mode", [gc.DATAGRAM, gc.STREAM])
def test_wrong_message_for_the_step(mode):
    """A message of the wrong kind for the handshake step (section 4 check 1, section 7
    check 1, section 10.1 check 1) aborts with HANDSHAKE_MALFORMED in both implementations
    (in datagram mode the ServerHello and ClientFinished steps drop it instead, section
    12.1); a byte-identical ClientHello copy is PACKET_REPLAYED in both modes (section 12)."""
    waiting = R["HANDSHAKE_MALFORMED"] if mode == gc.STREAM else R["HANDSHAKE_MESSAGE_DROPPED"]
    ident = python_identity(gc.KEY_TYPE_P256)
    junk = [b"", b"\x00" * 1200, b"\x02" + bytes(1199), b"\x03" + bytes(23), b"\x3f" * 1200, b"\x40" + bytes(30)]
    for m in junk:
        lib = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), mode)
        py = gc.Server(ident.private, mode=mode)
        assert ffi.result_of(lib.read_handshake, m) == _py_outcome(py.read_handshake, m) == R["HANDSHAKE_MALFORMED"]
        assert lib.state == "FAILED" and py.state == gc.FAILED
    for m in junk[:2] + [b"\x01" + bytes(1199), b"\x03" + bytes(23), b"\x40" + bytes(30)]:
        lib = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki), mode)
        lib.write_handshake()
        py = gc.Client(pinned_key=ident.public, mode=mode)
        py.write_handshake()
        assert ffi.result_of(lib.read_handshake, m) == _py_outcome(py.read_handshake, m) == waiting
    # the server waiting for the ClientFinished
    for m in [b"", b"\x40" + bytes(23), b"\x02" + bytes(240)]:
        lib = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), mode)
        py = gc.Server(ident.private, mode=mode)
        client = gc.Client(pinned_key=ident.public, mode=mode)
        ch = client.write_handshake()
        lib.read_handshake(ch)
        lib.write_handshake()
        py.read_handshake(ch)
        py.write_handshake()
        assert ffi.result_of(lib.read_handshake, m) == _py_outcome(py.read_handshake, m) == waiting
    lib = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), mode)
    py = gc.Server(ident.private, mode=mode)
    lib.read_handshake(ch)
    py.read_handshake(ch)
    # a copy before the ServerHello was written: wrong state, nothing changes
    assert ffi.result_of(lib.read_handshake, ch) == _py_outcome(py.read_handshake, ch) == R["WRONG_STATE"]
    lib.write_handshake()
    py.write_handshake()
    assert ffi.result_of(lib.read_handshake, ch) == _py_outcome(py.read_handshake, ch) == R["PACKET_REPLAYED"]
    assert lib.state == "NEED_READ" and py.state == gc.NEED_READ


def test_ecdsa_high_s_server_hello_is_rejected():
    """Section 3, low-S rule: the server signs with s <= n/2; (r, n - s), the other form of
    the same signature, is HANDSHAKE_SIGNATURE_INVALID in both implementations, and the
    low-S original is accepted."""
    ident = python_identity(gc.KEY_TYPE_P256)
    client = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki), "stream")
    ch = client.write_handshake()
    server = gc.Server(ident.private)
    server.read_handshake(ch)
    sh = server.write_handshake()
    offers = [o.suite for o in gc.parse_client_hello(ch).offers]
    assert offers == [gc.SUITE_HYBRID_P256, gc.SUITE_P256]  # pinned P-256 key (section 20.3)
    s = int.from_bytes(sh[-32:], "big")
    assert s <= gc.P256_ORDER // 2  # the Python server signs low-S
    other = sh[:-32] + (gc.P256_ORDER - s).to_bytes(32, "big")
    assert predict_client(ch, offers, other, pinned_key=ident.public) == R["HANDSHAKE_SIGNATURE_INVALID"]
    assert predict_client(ch, offers, sh, pinned_key=ident.public) == R["OK"]
    assert ffi.result_of(client.read_handshake, sh) == R["OK"]
    cf = client.write_handshake()
    server.read_handshake(cf)
    assert server.open(client.seal(b"fine")) == b"fine"
    # r = 0, s = 0, s = n: invalid for both
    for mangle in (
        lambda m: m[:-64] + bytes(32) + m[-32:],
        lambda m: m[:-32] + bytes(32),
        lambda m: m[:-32] + gc.P256_ORDER.to_bytes(32, "big"),
    ):
        c2 = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki), "stream")
        ch2 = c2.write_handshake()
        srv2 = gc.Server(ident.private)
        srv2.read_handshake(ch2)
        bad = mangle(srv2.write_handshake())
        assert predict_client(ch2, offers, bad, pinned_key=ident.public) == R[
            "HANDSHAKE_SIGNATURE_INVALID"
        ]
        assert ffi.result_of(c2.read_handshake, bad) == R["HANDSHAKE_SIGNATURE_INVALID"]
