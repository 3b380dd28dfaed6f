"""The spec (docs/PROTOCOL.md), the header (include/gamecrypt.h) and the Python implementation
agree on numbers, encodings and sizes."""

from __future__ import annotations

import os
import re

import pytest
from conftest import ffi, gc, python_identity
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

SPEC = (ffi.REPO / "docs" / "PROTOCOL.md").read_text()


def test_error_codes_in_spec_match_header():
    """Every `Name` [code] pair in the spec is the header's GAMECRYPT_RESULT_NAME = code."""
    pairs = set(re.findall(r"`([A-Z][A-Za-z]+)` \[(\d+)\]", SPEC))
    pairs |= set(re.findall(r"`([A-Z][A-Za-z]+)` \(\[?(\d+)\]?\)", SPEC))
    assert len(pairs) >= 15
    for name, code in pairs:
        header_name = re.sub(r"(?<!^)([A-Z])", r"_\1", name).upper()
        assert ffi.RESULT[header_name] == int(code), name
    # and the table typed into gcsession from the spec
    for name, code in gc.SPEC_ERROR_CODES.items():
        header_name = re.sub(r"(?<!^)([A-Z])", r"_\1", name).upper()
        assert ffi.RESULT[header_name] == code, name


def test_constants_match_header():
    c = ffi.CONST
    assert c["GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256"] == gc.SUITE_P256
    assert c["GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256"] == gc.SUITE_X25519
    assert c["GAMECRYPT_PACKET_HEADER_LEN"] == gc.HEADER_LEN
    assert c["GAMECRYPT_PACKET_TAG_LEN"] == gc.TAG_LEN
    assert c["GAMECRYPT_PACKET_OVERHEAD"] == gc.OVERHEAD == ffi.lib.gamecrypt_packet_overhead()
    assert c["GAMECRYPT_PACKET_MAX_PAYLOAD_LEN"] == gc.MAX_PAYLOAD
    assert c["GAMECRYPT_PACKET_TYPE_DATA"] == gc.PKT_DATA
    assert c["GAMECRYPT_PACKET_TYPE_CLOSE"] == gc.PKT_CLOSE
    assert c["GAMECRYPT_SESSION_MESSAGE_CLIENT_HELLO"] == gc.MSG_CLIENT_HELLO
    assert c["GAMECRYPT_SESSION_MESSAGE_SERVER_HELLO"] == gc.MSG_SERVER_HELLO
    assert c["GAMECRYPT_SESSION_MESSAGE_CLIENT_FINISHED"] == gc.MSG_CLIENT_FINISHED
    assert c["GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN"] == gc.HANDSHAKE_MAX
    assert c["GAMECRYPT_SESSION_REPLAY_WINDOW"] == gc.ReplayWindow.WINDOW
    assert c["GAMECRYPT_SESSION_FINGERPRINT_LEN"] == 32
    assert c["GAMECRYPT_CERTIFICATE_MAX_LEN"] == 159 + 255
    # sections 2, 17, 20-22
    assert c["GAMECRYPT_PACKET_TYPE_DATA_PHASE1"] == gc.PKT_DATA_PHASE1 == gc.packet_type(0, 1)
    assert c["GAMECRYPT_PACKET_TYPE_CLOSE_PHASE1"] == gc.PKT_CLOSE_PHASE1 == gc.packet_type(1, 1)
    assert c["GAMECRYPT_SESSION_MESSAGE_RETRY"] == gc.MSG_RETRY
    assert c["GAMECRYPT_RETRY_LEN"] == len(gc.build_retry(bytes(32), bytes(40))) == 76
    assert c["GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256"] == gc.SUITE_HYBRID_ED25519
    assert c["GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256"] == gc.SUITE_HYBRID_P256


def test_header_defines_only_prefixed_names():
    """Every macro of the public header is GAMECRYPT_-prefixed (the C ABI rule for
    constants); the unprefixed ones leak from Rust internals."""
    text = ffi.HEADER.read_text()
    names = re.findall(r"^#define (\w+)", text, re.M)
    assert [n for n in names if not n.startswith("GAMECRYPT_")] == []


@pytest.mark.parametrize("kt", [gc.KEY_TYPE_P256, gc.KEY_TYPE_ED25519])
def test_spki_prefixes_and_fingerprint(kt):
    """Section 3: the fixed SPKI prefixes equal the DER that `cryptography` writes."""
    for _ in range(5):
        ident = python_identity(kt)
        der = ident.public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        assert gc.spki_der(ident.public) == der
        assert len(der) == (91 if kt == gc.KEY_TYPE_P256 else 44)


def test_hkdf_shortcut_matches_rfc5869():
    """Section 1: HKDF-Expand with L <= 32 is the first L bytes of HMAC(prk, info || 1)."""
    for n in (12, 16, 32):
        prk = os.urandom(32)
        info = os.urandom(16)
        assert gc.hkdf_expand(prk, info, n) == HKDFExpand(hashes.SHA256(), n, info).derive(prk)
    salt, ikm = os.urandom(32), os.urandom(32)
    prk = gc.hkdf_extract(salt, ikm)
    assert gc.hkdf_expand(prk, b"i", 32) == HKDF(hashes.SHA256(), 32, salt, b"i").derive(ikm)


def test_rfc5869_case_1():
    ikm = bytes.fromhex("0b" * 22)
    salt = bytes.fromhex("000102030405060708090a0b0c")
    info = bytes.fromhex("f0f1f2f3f4f5f6f7f8f9")
    prk = gc.hkdf_extract(salt, ikm)
    assert prk.hex() == "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"
    # first 32 of the 42-byte OKM (one HMAC block)
    assert gc.hkdf_expand(prk, info, 32).hex() == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"


def test_signed_message_layout():
    assert len(gc.SERVER_SIG_CONTEXT) == 38
    assert len(gc.server_signed_message(bytes(32))) == 70
    assert gc.CERT_SIG_CONTEXT == b"gamecrypt certificate v1\x00"


def test_python_self_sizes():
    """Section 6 sizes reproduced by the Python implementation alone."""
    for kt, suite, size in ((gc.KEY_TYPE_P256, gc.SUITE_P256, 241), (gc.KEY_TYPE_ED25519, gc.SUITE_X25519, 175)):
        ident = python_identity(kt)
        client = gc.Client([suite], pinned_key=ident.public)
        server = gc.Server(ident.private, suites=[suite])
        server.read_handshake(client.write_handshake())
        assert len(server.write_handshake()) == size
    # largest ServerHello: 16 suites, P-256 certificate with a 255-byte name
    root = python_identity(gc.KEY_TYPE_P256)
    ident = python_identity(gc.KEY_TYPE_P256)
    cert = gc.issue_certificate(root.private, ident.public, "n" * 255, 0, 0)
    adv = [gc.SUITE_P256] + [0x100 + i for i in range(15)]
    server = gc.Server(ident.private, certificate=cert, advertised_suites=adv)
    server.read_handshake(gc.Client([gc.SUITE_P256], pinned_key=ident.public).client_hello)
    assert len(server.write_handshake()) == 620
    # section 6: 626 with the client authentication request (section 21.2)
    server = gc.Server(ident.private, certificate=cert, advertised_suites=adv, signature_mode=1)
    server.read_handshake(gc.Client([gc.SUITE_P256], pinned_key=ident.public).client_hello)
    assert len(server.write_handshake()) == 626
    # section 20.2: 1675 for a hybrid suite (16 suites, P-256 certificate, 255-byte name),
    # 1681 with the request; always below the 2048-byte hybrid ClientHello
    adv = [gc.SUITE_HYBRID_P256] + [0x100 + i for i in range(15)]
    for mode, size in ((0, 1675), (2, 1681)):
        server = gc.Server(ident.private, certificate=cert, advertised_suites=adv, token_mode=mode)
        ch = gc.Client([gc.SUITE_HYBRID_P256], pinned_key=ident.public).client_hello
        assert len(ch) == 2048
        server.read_handshake(ch)
        assert len(server.write_handshake()) == size
    # section 21.3: the largest ClientFinished, 1188 bytes; section 22.1: Retry sizes
    assert gc.CLIENT_FINISHED_MAX == 24 + (4 + 1024) + (4 + 132)
    assert len(gc.build_retry(bytes(32), bytes(255))) == 291


def test_key_update_label_and_generations():
    """Section 17.1: the 23-byte label, and generation n+1 = HKDF-Expand(generation n)."""
    assert gc.KEY_UPDATE_LABEL == b"gamecrypt v1 key update" and len(gc.KEY_UPDATE_LABEL) == 23
    s0 = os.urandom(32)
    s1 = HKDFExpand(hashes.SHA256(), 32, b"gamecrypt v1 key update").derive(s0)
    assert gc.next_secret(s0) == s1 == gc.generation_secret(s0, 1)
    assert gc.generation_secret(s0, 3) == gc.next_secret(gc.next_secret(s1))


def test_nonce_construction():
    iv = bytes(range(12))
    assert gc.packet_nonce(iv, 0) == iv
    pn = 0x00A1B2C3D4E5F6
    n = gc.packet_nonce(iv, pn)
    assert n[:5] == iv[:5]
    assert int.from_bytes(n, "big") == int.from_bytes(iv, "big") ^ pn


@pytest.mark.parametrize("kt", [gc.KEY_TYPE_P256, gc.KEY_TYPE_ED25519])
def test_library_key_encodings_follow_section_3(kt):
    """Raw form, SPKI prefix and fingerprint of section 3, as the library's keys C ABI writes
    them, for library-generated and Python-generated keys."""
    assert ffi.CONST[{gc.KEY_TYPE_P256: "GAMECRYPT_KEY_TYPE_ECDSA_P256", gc.KEY_TYPE_ED25519: "GAMECRYPT_KEY_TYPE_ED25519"}[kt]] == kt
    lib_key = ffi.SigningKey.generate(kt).public_key()
    py_pub = serialization.load_der_public_key(lib_key.spki())
    assert lib_key.raw() == gc.raw_public(py_pub)
    assert lib_key.spki() == gc.spki_der(py_pub)
    assert lib_key.fingerprint() == gc.fingerprint(py_pub)
    py = python_identity(kt)
    k = ffi.PublicKey.from_raw(kt, py.raw)
    assert k.spki() == gc.spki_der(py.public)
    assert k.fingerprint() == gc.fingerprint(py.public)
