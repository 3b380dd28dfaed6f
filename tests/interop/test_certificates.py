"""Certificates (section 8) across the two implementations."""

from __future__ import annotations

import struct

import pytest
from conftest import KEY_TYPE, SUITE_IDS, SUITES, gc, ffi, library_identity, lib_handshake_with_py_client, python_identity

NB = 1_700_000_000
NA = 1_700_086_400
NAME = "eu-1.game.example"
R = ffi.RESULT

KEY_TYPES = [gc.KEY_TYPE_P256, gc.KEY_TYPE_ED25519]
KT_IDS = ["p256", "ed25519"]


@pytest.mark.parametrize("root_type", KEY_TYPES, ids=["root-" + i for i in KT_IDS])
@pytest.mark.parametrize("server_type", KEY_TYPES, ids=["server-" + i for i in KT_IDS])
def test_python_checks_library_certificate(root_type, server_type):
    root = library_identity(root_type)
    server = library_identity(server_type)
    cert = ffi.certificate_issue(root.pkcs8, server.spki, NAME, NB, NA)
    assert len(cert) == (159 if server_type == gc.KEY_TYPE_P256 else 126) + len(NAME)

    parsed = gc.verify_certificate(cert, root.public, NB, NAME)
    assert parsed.key_raw == server.raw
    assert parsed.name == NAME.encode()
    assert (parsed.not_before, parsed.not_after) == (NB, NA) == ffi.certificate_validity(cert)
    assert ffi.certificate_server_name(cert) == NAME.encode()
    assert ffi.certificate_public_key(cert) == server.spki
    assert parsed.root_key_id == gc.fingerprint(root.public)[:8]

    # the layout is deterministic up to the signature (and Ed25519 signatures are
    # deterministic too): Python builds the same bytes
    mine = gc.issue_certificate(root.private, server.public, NAME, NB, NA)
    if root_type == gc.KEY_TYPE_ED25519:
        assert mine == cert
    else:
        assert mine[:-64] == cert[:-64]

    gc.verify_certificate(cert, root.public, NA, NAME)  # both ends inclusive
    gc.verify_certificate(cert, root.public, NB + 5, None)  # no expected name: any name
    cases = [
        (NB - 1, NAME, root.public, "CertificateNotYetValid"),
        (NA + 1, NAME, root.public, "CertificateExpired"),
        (NB, "eu-2.game.example", root.public, "CertificateWrongName"),
        (NB, NAME.upper(), root.public, "CertificateWrongName"),
        (NB, NAME + ".", root.public, "CertificateWrongName"),
        (NB, NAME, python_identity(root_type).public, "CertificateSignatureInvalid"),
        (NB, NAME, python_identity(4 - root_type).public, "CertificateSignatureInvalid"),
    ]
    for now, name, root_pub, err in cases:
        with pytest.raises(gc.GcError) as e:
            gc.verify_certificate(cert, root_pub, now, name)
        assert e.value.name == err
        # the library agrees on the same case (root given as SPKI)
        assert ffi.certificate_verify(cert, gc.spki_der(root_pub), name, now) == R[
            {
                "CertificateNotYetValid": "CERTIFICATE_NOT_YET_VALID",
                "CertificateExpired": "CERTIFICATE_EXPIRED",
                "CertificateWrongName": "CERTIFICATE_WRONG_NAME",
                "CertificateSignatureInvalid": "CERTIFICATE_SIGNATURE_INVALID",
            }[err]
        ]


@pytest.mark.parametrize("root_type", KEY_TYPES, ids=["root-" + i for i in KT_IDS])
@pytest.mark.parametrize("server_type", KEY_TYPES, ids=["server-" + i for i in KT_IDS])
def test_library_checks_python_certificate(root_type, server_type):
    root = python_identity(root_type)
    server = python_identity(server_type)
    cert = gc.issue_certificate(root.private, server.public, NAME, NB, NA)
    assert ffi.certificate_verify(cert, root.spki, NAME, NB) == R["OK"]
    assert ffi.certificate_verify(cert, root.spki, NAME, NA) == R["OK"]
    assert ffi.certificate_verify(cert, root.spki, None, NA) == R["OK"]
    assert ffi.certificate_public_key(cert) == server.spki
    assert ffi.certificate_verify(cert, root.spki, NAME, NB - 1) == R["CERTIFICATE_NOT_YET_VALID"]
    assert ffi.certificate_verify(cert, root.spki, NAME, NA + 1) == R["CERTIFICATE_EXPIRED"]
    assert ffi.certificate_verify(cert, root.spki, "other", NB) == R["CERTIFICATE_WRONG_NAME"]
    other = python_identity(root_type)
    assert ffi.certificate_verify(cert, other.spki, NAME, NB) == R["CERTIFICATE_SIGNATURE_INVALID"]
    # a valid signature, but a root_key_id or root_key_type that names another key
    bad_id = gc.issue_certificate(root.private, server.public, NAME, NB, NA, root_key_id=bytes(8))
    assert ffi.certificate_verify(bad_id, root.spki, NAME, NB) == R["CERTIFICATE_SIGNATURE_INVALID"]
    bad_type = gc.issue_certificate(root.private, server.public, NAME, NB, NA, root_key_type=4 - root_type)
    assert ffi.certificate_verify(bad_type, root.spki, NAME, NB) == R["CERTIFICATE_SIGNATURE_INVALID"]
    # one flipped bit anywhere in the signed part
    for i in range(0, len(cert) - 64, 7):
        t = bytearray(cert)
        t[i] ^= 0x01
        rc = ffi.certificate_verify(bytes(t), root.spki, None, NB)
        assert rc != R["OK"]
        try:
            gc.verify_certificate(bytes(t), root.public, NB, None)
            mine = R["OK"]
        except gc.GcError as e:
            mine = e.code
        assert rc == mine, f"byte {i}"


def _resign(root_private, body: bytes) -> bytes:
    return body + gc.sign(root_private, gc.CERT_SIG_CONTEXT + body)


def _body(kt, key, nb, na, name, rkt, rid, fmt=0x01, key_len=None):
    return (
        bytes([fmt, kt]) + struct.pack(">H", len(key) if key_len is None else key_len) + key
        + struct.pack(">QQ", nb, na) + bytes([len(name)]) + name + bytes([rkt]) + rid
    )


def test_malformed_certificates_rejected_alike():
    """Section 8 parsing: every malformed (but correctly signed) certificate is
    CERTIFICATE_MALFORMED in both implementations."""
    root = python_identity(gc.KEY_TYPE_ED25519)
    server = python_identity(gc.KEY_TYPE_P256)
    rid = gc.fingerprint(root.public)[:8]
    raw = server.raw
    ed_raw = python_identity(gc.KEY_TYPE_ED25519).raw
    off_curve = b"\x04" + bytes(31) + b"\x01" + bytes(32)
    bodies = {
        "format 2": _body(1, raw, NB, NA, b"n", 3, rid, fmt=2),
        "key type 2": _body(2, raw, NB, NA, b"n", 3, rid),
        "key type 1 with 32-byte key": _body(1, ed_raw, NB, NA, b"n", 3, rid),
        "key type 3 with 65-byte key": _body(3, raw, NB, NA, b"n", 3, rid),
        "compressed point": _body(1, b"\x02" + raw[1:33] + bytes(32), NB, NA, b"n", 3, rid),
        "point off the curve": _body(1, off_curve, NB, NA, b"n", 3, rid),
        "not_before > not_after": _body(1, raw, NA, NB, b"n", 3, rid),
        "empty name": _body(1, raw, NB, NA, b"", 3, rid),
        "bad UTF-8 name": _body(1, raw, NB, NA, b"\xff\xfe", 3, rid),
        "root key type 2": _body(1, raw, NB, NA, b"n", 2, rid),
    }
    for what, body in bodies.items():
        cert = _resign(root.private, body)
        assert ffi.certificate_verify(cert, root.spki, None, NB) == R["CERTIFICATE_MALFORMED"], what
        with pytest.raises(gc.GcError) as e:
            gc.verify_certificate(cert, root.public, NB)
        assert e.value.name == "CertificateMalformed", what
    good = _resign(root.private, _body(1, raw, NB, NA, b"n", 3, rid))
    assert ffi.certificate_verify(good, root.spki, None, NB) == R["OK"]
    for what, cert in {
        "trailing byte": good + b"\x00",
        "truncated": good[:-1],
        "empty": b"",
        "key_len larger than the data": _resign(root.private, _body(1, raw, NB, NA, b"n", 3, rid, key_len=300)),
    }.items():
        assert ffi.certificate_verify(cert, root.spki, None, NB) == R["CERTIFICATE_MALFORMED"], what
        with pytest.raises(gc.GcError) as e:
            gc.verify_certificate(cert, root.public, NB)
        assert e.value.name == "CertificateMalformed", what


@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
@pytest.mark.parametrize(
    "now, name, err",
    [
        (NA + 1, NAME, "CertificateExpired"),
        (NB - 1, NAME, "CertificateNotYetValid"),
        (NB, "eu-2.game.example", "CertificateWrongName"),
        (NA, NAME, None),
    ],
    ids=["expired", "not-yet-valid", "wrong-name", "valid-last-second"],
)
def test_python_client_rejects_library_server_certificate(suite, now, name, err):
    """In the handshake: the Python client's outcome on the library server's certificate."""
    root = library_identity(gc.KEY_TYPE_P256)
    ident = library_identity(KEY_TYPE[suite])
    cert = ffi.certificate_issue(root.pkcs8, ident.spki, NAME, NB, NA)
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8, certificate=cert), "datagram")
    client = gc.Client([suite], root_key=root.public, server_name=name, now=now, mode=gc.STREAM)
    if err is None:
        lib_handshake_with_py_client(client, server)
        return
    server.read_handshake(client.write_handshake())
    with pytest.raises(gc.GcError) as e:
        client.read_handshake(server.write_handshake())
    assert e.value.name == err
    assert client.state == gc.FAILED


def test_python_client_root_trust_needs_certificate():
    root = library_identity(gc.KEY_TYPE_P256)
    ident = library_identity(gc.KEY_TYPE_P256)
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), "datagram")  # raw key only
    client = gc.Client(root_key=root.public, now=NB, server_name=NAME, mode=gc.STREAM)
    server.read_handshake(client.write_handshake())
    with pytest.raises(gc.GcError) as e:
        client.read_handshake(server.write_handshake())
    assert e.value.name == "CertificateMissing"
