"""Hybrid X25519 + ML-KEM-768 suites 0x0003 / 0x0004 (docs/PROTOCOL.md section 20) between
the Python implementation (ML-KEM-768 from Python `cryptography`, cross-checked against the
pure-Python FIPS 203 of mlkem768.py) and the library. The plain handshakes in both roles and
both modes run in test_py_client_lib_server.py / test_lib_client_py_server.py, which are
parametrized over all four suites; this file covers what is specific to the hybrid group."""

from __future__ import annotations

import os

import mlkem768
import pytest
from conftest import (
    KEY_TYPE,
    ffi,
    gc,
    header_name,
    lib_handshake_with_py_client,
    lib_handshake_with_py_server,
    library_identity,
    py_code,
    python_identity,
)

R = ffi.RESULT
OK = ffi.OK
HYBRID = [gc.SUITE_HYBRID_ED25519, gc.SUITE_HYBRID_P256]
HYBRID_IDS = ["hybrid-ed25519", "hybrid-p256"]

needs_mlkem = pytest.mark.skipif(not gc.HAVE_CRYPTOGRAPHY_MLKEM, reason="cryptography without ML-KEM-768")


@needs_mlkem
def test_pure_python_mlkem_matches_cryptography():
    """The two ML-KEM-768 implementations the tests use agree (FIPS 203): key generation
    from a seed, encapsulation one way and decapsulation the other, implicit rejection,
    and the expanded key layout dk_pke || ek || H(ek) || z."""
    from cryptography.hazmat.primitives.asymmetric import mlkem

    for _ in range(2):
        seed = os.urandom(64)
        ek, dk = mlkem768.keygen(seed)
        lib = mlkem.MLKEM768PrivateKey.from_seed_bytes(seed)
        assert ek == lib.public_key().public_bytes_raw()
        assert len(ek) == 1184 and len(dk) == 2400
        assert dk[1152:2336] == ek and dk[2336:2368] == mlkem768.H(ek) and dk[2368:] == seed[32:]
        ss, ct = lib.public_key().encapsulate()
        assert len(ct) == 1088 and mlkem768.decaps(dk, ct) == ss
        ss2, ct2 = mlkem768.encaps(ek, os.urandom(32))
        assert lib.decapsulate(ct2) == ss2
        bad = bytes([ct[0] ^ 1]) + ct[1:]
        assert mlkem768.decaps(dk, bad) == lib.decapsulate(bad) == mlkem768.J(seed[32:] + bad)
        assert gc.MlKemKey(expanded=dk).decapsulate(ct) == gc.MlKemKey(seed=seed).decapsulate(ct) == ss


def _bad_coefficient(ek: bytes, index: int = 0, value: int = 3329) -> bytes:
    """ek with its 12-bit coefficient `index` set to `value` (>= q fails the FIPS 203 check)."""
    x = int.from_bytes(ek[:1152], "little")
    x &= ~(0xFFF << (12 * index))
    x |= value << (12 * index)
    return x.to_bytes(1152, "little") + ek[1152:]


def test_encapsulation_key_check():
    ek, _ = mlkem768.keygen(os.urandom(64))
    assert mlkem768.ek_check(ek)
    assert mlkem768.ek_check(_bad_coefficient(ek, 5, 3328))
    for idx, val in ((0, 3329), (767, 4095), (300, 3330)):
        assert not mlkem768.ek_check(_bad_coefficient(ek, idx, val))
    assert not mlkem768.ek_check(ek[:-1])


def _hybrid_share(ek=None, x=None):
    if ek is None:
        ek = mlkem768.keygen(os.urandom(64))[0]
    if x is None:
        x = gc.Ephemeral.generate("x25519", os.urandom).share
    return ek + x


def _lib_server_verdict(key_type, ch, suites=None):
    """The library server's and the Python server's codes for a ClientHello."""
    ident = library_identity(key_type)
    lib = ffi.Session.server(ffi.ServerConfig(ident.pkcs8, suites=suites), "datagram")
    rc = ffi.result_of(lib.read_handshake, ch)
    py = gc.Server(ident.private, suites=suites)
    assert py_code(py.read_handshake, ch) == rc
    if rc != OK:
        assert lib.state == "FAILED"
    return rc, lib


@pytest.mark.parametrize("suite", HYBRID, ids=HYBRID_IDS)
def test_server_checks_the_hybrid_client_share(suite):
    """Section 20.1 validity and section 4 check 6, on the library server and the Python
    server alike."""
    kt = KEY_TYPE[suite]
    ek, _ = mlkem768.keygen(os.urandom(64))
    x = gc.Ephemeral.generate("x25519", os.urandom).share
    low_order = bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")

    def ch(share, min_len=2048, extra=()):
        return gc.build_client_hello(os.urandom(32), [gc.Offer(suite, share), *extra], min_len=min_len)

    cases = [
        ("valid", ch(ek + x), None),
        ("coefficient q", ch(_bad_coefficient(ek, 0) + x), "HandshakeMalformed"),
        ("coefficient 4095 at the end", ch(_bad_coefficient(ek, 767, 4095) + x), "HandshakeMalformed"),
        ("coefficient q - 1", ch(_bad_coefficient(ek, 10, 3328) + x), None),
        ("1215 bytes", ch((ek + x)[:-1]), "HandshakeMalformed"),
        ("1217 bytes", ch(ek + x + b"\x00"), "HandshakeMalformed"),
        ("classic X25519 share", ch(x), "HandshakeMalformed"),
        ("zero X25519 part", ch(ek + bytes(32)), "HandshakeMalformed"),
        ("low-order X25519 part", ch(ek + low_order), "HandshakeMalformed"),
        ("ClientHello 2047 bytes", ch(ek + x, min_len=2047), "HandshakeMalformed"),
        ("ClientHello 1258 bytes (no padding)", ch(ek + x, min_len=0), "HandshakeMalformed"),
    ]
    for name, msg, err in cases:
        rc, _ = _lib_server_verdict(kt, msg)
        assert rc == (OK if err is None else R[header_name(err)]), name
    assert len(cases[-1][1]) == 1258


def test_short_client_hello_with_hybrid_offer_and_classic_server():
    """A ClientHello under 2048 bytes offering a hybrid suite is fine for a server that does
    not accept hybrid suites (check 6 concerns the chosen suite only); a server that accepts
    the hybrid suite chooses it (section 5) and then rejects the short message, it does not
    fall back to the classic offer."""
    x_share = gc.Ephemeral.generate("x25519", os.urandom).share
    short = gc.build_client_hello(
        os.urandom(32),
        [gc.Offer(gc.SUITE_HYBRID_ED25519, _hybrid_share()), gc.Offer(gc.SUITE_X25519, x_share)],
        min_len=1200,
    )
    assert len(short) == 1294
    rc, lib = _lib_server_verdict(gc.KEY_TYPE_ED25519, short, suites=[gc.SUITE_X25519])
    assert rc == OK
    assert lib.suite() == gc.SUITE_X25519
    rc, _ = _lib_server_verdict(gc.KEY_TYPE_ED25519, short)
    assert rc == R["HANDSHAKE_MALFORMED"]
    # an invalid encapsulation key in an offer that is not chosen is not examined (G5)
    bad = gc.build_client_hello(
        os.urandom(32),
        [gc.Offer(gc.SUITE_HYBRID_ED25519, _bad_coefficient(_hybrid_share(), 0)), gc.Offer(gc.SUITE_X25519, x_share)],
    )
    rc, lib = _lib_server_verdict(gc.KEY_TYPE_ED25519, bad, suites=[gc.SUITE_X25519])
    assert rc == OK


def test_hybrid_offers_with_different_shares():
    """Section 4 says a client uses one share per group; a ClientHello whose two hybrid
    offers carry different shares is not rejected: the server uses the chosen offer's
    share (observed on both implementations; the spec has no server check, see G5)."""
    a, b = _hybrid_share(), _hybrid_share()
    ch = gc.build_client_hello(os.urandom(32), [gc.Offer(3, a), gc.Offer(4, b)])
    rc, lib = _lib_server_verdict(gc.KEY_TYPE_P256, ch)
    assert rc == OK and lib.suite() == gc.SUITE_HYBRID_P256


@pytest.mark.parametrize("suite", HYBRID, ids=HYBRID_IDS)
def test_library_client_checks_the_server_share(suite):
    """Section 7 step 5 (1120 bytes) and 20.1 (the X25519 part), and ML-KEM implicit
    rejection: a modified ciphertext under a valid signature is accepted by the client but
    gives other keys, so the server rejects its ClientFinished."""
    ident = python_identity(KEY_TYPE[suite])

    def attempt(mangle):
        client = ffi.Session.client(ffi.ClientConfig.pinned_key(ident.spki, suites=[suite]), "stream")
        server = gc.Server(ident.private, suites=[suite], mode=gc.STREAM)
        ch = client.write_handshake()
        server.read_handshake(ch)
        sh = gc.parse_server_hello(server.write_handshake())
        share = mangle(sh.share)
        body = gc.build_server_hello_body(
            sh.server_random, sh.suite, sh.server_suites, share, sh.identity_type, sh.identity, sh.ext_block
        )
        msg = body + gc.sign(ident.private, gc.server_signed_message(gc.transcript_hash(ch, body)))
        return client, server, ffi.result_of(client.read_handshake, msg)

    for mangle, err in (
        (lambda s: s[:-1], "HANDSHAKE_MALFORMED"),
        (lambda s: s + b"\x00", "HANDSHAKE_MALFORMED"),
        (lambda s: s[1088:], "HANDSHAKE_MALFORMED"),
        (lambda s: s[:1088] + bytes(32), "HANDSHAKE_MALFORMED"),
    ):
        _, _, rc = attempt(mangle)
        assert rc == R[err]
    client, server, rc = attempt(lambda s: s)
    assert rc == OK
    server.read_handshake(client.write_handshake())
    client, server, rc = attempt(lambda s: bytes([s[0] ^ 1]) + s[1:])
    assert rc == OK  # decapsulation never fails
    assert py_code(server.read_handshake, client.write_handshake()) == R["PACKET_AUTH_FAILED"]


def test_downgrade_from_hybrid_is_detected():
    """Section 20.3: a server that accepts the hybrid suite the client prefers but chooses a
    classic one: DOWNGRADE_DETECTED; a MITM that removes the hybrid offers:
    HANDSHAKE_SIGNATURE_INVALID (the server signed the modified ClientHello)."""
    ident = python_identity(gc.KEY_TYPE_ED25519)
    fp = gc.fingerprint(ident.public)
    client = ffi.Session.client(ffi.ClientConfig.pinned_fingerprint(fp), "stream")
    server = gc.Server(ident.private, force_suite=gc.SUITE_X25519)
    server.read_handshake(client.write_handshake())
    assert ffi.result_of(client.read_handshake, server.write_handshake()) == R["DOWNGRADE_DETECTED"]
    client = ffi.Session.client(ffi.ClientConfig.pinned_fingerprint(fp), "stream")
    parsed = gc.parse_client_hello(client.write_handshake())
    stripped = gc.build_client_hello(parsed.client_random, [o for o in parsed.offers if o.suite in (1, 2)])
    # a classic-only server (S = {0x0002}) signs the stripped ClientHello: signature check
    server = gc.Server(ident.private, suites=[gc.SUITE_X25519])
    server.read_handshake(stripped)
    assert server.suite.code == gc.SUITE_X25519
    assert ffi.result_of(client.read_handshake, server.write_handshake()) == R["HANDSHAKE_SIGNATURE_INVALID"]
    # a server that also accepts 0x0003 lists it in S: the downgrade check fires first
    client = ffi.Session.client(ffi.ClientConfig.pinned_fingerprint(fp), "stream")
    parsed = gc.parse_client_hello(client.write_handshake())
    stripped = gc.build_client_hello(parsed.client_random, [o for o in parsed.offers if o.suite in (1, 2)])
    server = gc.Server(ident.private)
    server.read_handshake(stripped)
    assert ffi.result_of(client.read_handshake, server.write_handshake()) == R["DOWNGRADE_DETECTED"]


@pytest.mark.parametrize("suite", HYBRID, ids=HYBRID_IDS)
def test_shared_secret_is_mlkem_then_x25519(suite):
    """Section 20.1: shared = ss_mlkem || ss_x25519 (64 bytes) is the HKDF-Extract IKM. The
    Python client decapsulates the library server's ciphertext and the keys match (data
    flows); the order is checked against the components."""
    ident = library_identity(KEY_TYPE[suite])
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8, suites=[suite]), "datagram")
    client = gc.Client([suite], pinned_key=ident.public)
    lib_handshake_with_py_client(client, server)
    eph = client.ephemerals[gc.GROUP_HYBRID]
    ct, xs = client.server_hello.share[:1088], client.server_hello.share[1088:]
    ss_m = eph.mlkem.decapsulate(ct)
    from cryptography.hazmat.primitives.asymmetric import x25519

    ss_x = eph.private.exchange(x25519.X25519PublicKey.from_public_bytes(xs))
    assert client.shared == ss_m + ss_x and len(client.shared) == 64
    assert server.open(client.seal(b"pq")) == b"pq"
    assert client.open(server.seal(b"qp")) == b"qp"
    # and the library client against the Python server
    pident = python_identity(KEY_TYPE[suite])
    pserver = gc.Server(pident.private, suites=[suite])
    lclient = ffi.Session.client(ffi.ClientConfig.pinned_key(pident.spki))
    lib_handshake_with_py_server(lclient, pserver)
    assert lclient.suite() == suite
    assert pserver.open(lclient.seal(b"pq")) == b"pq"


def test_sizes():
    """Section 20.2 sizes, from the library's messages."""
    for kt, suite, sh_len in ((gc.KEY_TYPE_ED25519, 3, 1265), (gc.KEY_TYPE_P256, 4, 1298)):
        ident = python_identity(kt)
        client = ffi.Session.client(ffi.ClientConfig.pinned_fingerprint(gc.fingerprint(ident.public)))
        ch = client.write_handshake()
        assert len(ch) == 2583
        server = gc.Server(ident.private)  # the two default suites of its key (20.3)
        server.read_handshake(ch)
        sh = server.write_handshake()
        assert len(sh) == sh_len
        client.read_handshake(sh)
        assert client.suite() == suite
    ident = library_identity(gc.KEY_TYPE_P256)
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), "datagram")
    client = gc.Client(pinned_fingerprint=gc.fingerprint(ident.public))
    assert len(client.client_hello) == 2583
    server.read_handshake(client.write_handshake())
    assert len(server.write_handshake()) == 1298
    # only hybrid offers: 36 + 1220 + 2 bytes of content, padded to 2048
    c = gc.Client([3], pinned_fingerprint=b"\x00" * 32)
    assert len(c.core) + 2 == 36 + 1220 + 2 == 1258 and len(c.client_hello) == 2048


def test_constants():
    c = ffi.CONST
    assert c["GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256"] == gc.SUITE_HYBRID_ED25519
    assert c["GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256"] == gc.SUITE_HYBRID_P256
    assert gc.SUITE_HYBRID_RESERVED not in gc.SUITES
