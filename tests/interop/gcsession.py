"""Independent Python implementation of the gamecrypt secure session protocol v1.

Written from docs/PROTOCOL.md alone (no look at the Rust sources), with Python `cryptography`
and the standard library only. Section numbers in comments refer to docs/PROTOCOL.md.

The module is deliberately low level in places (message builders, parsers, key schedule) so
that tests can craft valid, tampered or downgraded messages, and high level in others
(`Client`, `Server`: the state machine of section 12).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

# ---------------------------------------------------------------------------------------
# Errors (section 1: names and numeric codes as written in the spec, in brackets)

SPEC_ERROR_CODES = {
    "BufferTooSmall": 3,
    "WrongState": 300,
    "HandshakeMalformed": 301,
    "UnsupportedVersion": 302,
    "NoCommonSuite": 303,
    "DowngradeDetected": 304,
    "HandshakeSignatureInvalid": 305,
    "PinnedKeyMismatch": 306,
    "FingerprintMismatch": 307,
    "CertificateExpired": 308,
    "CertificateNotYetValid": 309,
    "CertificateWrongName": 310,
    "CertificateSignatureInvalid": 311,
    "CertificateMalformed": 312,
    "SessionFailed": 313,
    "SessionClosed": 314,
    "PacketAuthFailed": 320,
    "PacketReplayed": 321,
    "PacketTooOld": 322,
    "PacketMalformed": 323,
    "PacketOutOfOrder": 324,
    "KeyExhausted": 325,
    "CertificateMissing": 326,
}


class GcError(Exception):
    """A protocol error, named as in the spec."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name
        self.code = SPEC_ERROR_CODES[name]


# ---------------------------------------------------------------------------------------
# Section 3: version, suites, algorithms, encodings

VERSION = 0x0001
SUITE_P256 = 0x0001
SUITE_X25519 = 0x0002
SUITE_HYBRID_RESERVED = 0x11EC

KEY_TYPE_P256 = 1
KEY_TYPE_ED25519 = 3

P256_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

CLIENT_HELLO_MIN = 1200
HANDSHAKE_MAX = 4096
MAX_OFFERS = 16
MAX_SERVER_SUITES = 16
SIG_LEN = 64

SERVER_SIG_CONTEXT = b"gamecrypt session v1 server signature\x00"
CERT_SIG_CONTEXT = b"gamecrypt certificate v1\x00"

MSG_CLIENT_HELLO = 0x01
MSG_SERVER_HELLO = 0x02
MSG_CLIENT_FINISHED = 0x03
PKT_DATA = 0x40
PKT_CLOSE = 0x42

IDENTITY_RAW = 0x01
IDENTITY_CERT = 0x02

HEADER_LEN = 8
TAG_LEN = 16
OVERHEAD = HEADER_LEN + TAG_LEN
MAX_PAYLOAD = 16777216
MAX_PN = (1 << 56) - 1


@dataclass(frozen=True)
class Suite:
    code: int
    group: str  # "p256" | "x25519"
    share_len: int
    key_type: int  # identity key type that signs for this suite
    aead: type


SUITES = {
    SUITE_P256: Suite(SUITE_P256, "p256", 65, KEY_TYPE_P256, AESGCM),
    SUITE_X25519: Suite(SUITE_X25519, "x25519", 32, KEY_TYPE_ED25519, ChaCha20Poly1305),
}

GROUP_SHARE_LEN = {"p256": 65, "x25519": 32}


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def key_type_of(key) -> int:
    if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)):
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError("only P-256")
        return KEY_TYPE_P256
    if isinstance(key, (ed25519.Ed25519PublicKey, ed25519.Ed25519PrivateKey)):
        return KEY_TYPE_ED25519
    raise ValueError("unsupported key")


def raw_public(key) -> bytes:
    """Raw identity public key (section 3)."""
    if isinstance(key, (ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)):
        key = key.public_key()
    if key_type_of(key) == KEY_TYPE_P256:
        return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_from_raw(key_type: int, raw: bytes):
    """Parses a raw public key; raises ValueError when invalid (section 3)."""
    if key_type == KEY_TYPE_P256:
        if len(raw) != 65 or raw[0] != 0x04:
            raise ValueError("P-256 key must be a 65-byte uncompressed point")
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    if key_type == KEY_TYPE_ED25519:
        if len(raw) != 32:
            raise ValueError("Ed25519 key must be 32 bytes")
        return ed25519.Ed25519PublicKey.from_public_bytes(raw)
    raise ValueError("unknown key type")


def spki_der(key) -> bytes:
    """SubjectPublicKeyInfo DER built from the prefixes of section 3."""
    kt = key_type_of(key)
    prefix = P256_SPKI_PREFIX if kt == KEY_TYPE_P256 else ED25519_SPKI_PREFIX
    return prefix + raw_public(key)


def fingerprint(key) -> bytes:
    return sha256(spki_der(key))


def sign(private_key, message: bytes) -> bytes:
    """Section 3: ECDSA P-256/SHA-256 as r||s, or pure Ed25519."""
    if key_type_of(private_key) == KEY_TYPE_P256:
        r, s = decode_dss_signature(private_key.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return private_key.sign(message)


def verify(public_key, message: bytes, signature: bytes) -> bool:
    if len(signature) != SIG_LEN:
        return False
    try:
        if key_type_of(public_key) == KEY_TYPE_P256:
            r = int.from_bytes(signature[:32], "big")
            s = int.from_bytes(signature[32:], "big")
            if not (0 < r < P256_ORDER and 0 < s < P256_ORDER):
                return False
            public_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
        else:
            public_key.verify(signature, message)
        return True
    except InvalidSignature:
        return False


# ---------------------------------------------------------------------------------------
# Randomness (the reference order matters only for the test vectors)

Rng = Callable[[int], bytes]


class FixedRng:
    """Hands out a fixed sequence of byte strings; each request must match the next one."""

    def __init__(self, chunks: Sequence[bytes]):
        self.chunks = list(chunks)

    def __call__(self, n: int) -> bytes:
        if not self.chunks:
            raise AssertionError("fixed randomness exhausted")
        chunk = self.chunks.pop(0)
        if len(chunk) != n:
            raise AssertionError(f"fixed randomness: wanted {n} bytes, next chunk has {len(chunk)}")
        return chunk


class Ephemeral:
    """One ephemeral key-exchange key pair for a group, from 32 bytes of randomness."""

    def __init__(self, group: str, scalar: bytes):
        self.group = group
        if group == "p256":
            k = int.from_bytes(scalar, "big")
            if not 0 < k < P256_ORDER:
                raise ValueError("P-256 scalar out of range")
            self.private = ec.derive_private_key(k, ec.SECP256R1())
            self.share = self.private.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        elif group == "x25519":
            self.private = x25519.X25519PrivateKey.from_private_bytes(scalar)
            self.share = self.private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        else:
            raise ValueError(group)

    @classmethod
    def generate(cls, group: str, rng: Rng) -> "Ephemeral":
        while True:
            try:
                return cls(group, rng(32))
            except ValueError:
                if isinstance(rng, FixedRng):
                    raise
                # a random P-256 scalar >= n (probability ~2^-32): draw again

    def exchange(self, peer_share: bytes) -> bytes:
        """ECDH; raises ValueError on an invalid share or an all-zero output (section 3)."""
        if len(peer_share) != GROUP_SHARE_LEN[self.group]:
            raise ValueError("share length")
        if self.group == "p256":
            if peer_share[0] != 0x04:
                raise ValueError("not an uncompressed point")
            peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), peer_share)
            shared = self.private.exchange(ec.ECDH(), peer)
        else:
            peer = x25519.X25519PublicKey.from_public_bytes(peer_share)
            shared = self.private.exchange(peer)  # raises ValueError on all-zero output
        if shared == bytes(32):
            raise ValueError("all-zero ECDH output")
        return shared


# ---------------------------------------------------------------------------------------
# Section 4: ClientHello


@dataclass
class Offer:
    suite: int
    share: bytes


@dataclass
class ClientHello:
    version: int
    client_random: bytes
    offers: list
    extensions: list  # (type, data)
    ext_block: bytes
    raw: bytes


def encode_extensions(exts: Sequence[tuple]) -> bytes:
    return b"".join(struct.pack(">HH", t, len(d)) + d for t, d in exts)


def build_client_hello(
    client_random: bytes,
    offers: Sequence[Offer],
    ext_block: bytes = b"",
    min_len: int = CLIENT_HELLO_MIN,
    version: int = VERSION,
) -> bytes:
    out = bytearray([MSG_CLIENT_HELLO])
    out += struct.pack(">H", version)
    out += client_random
    out.append(len(offers))
    for o in offers:
        out += struct.pack(">HH", o.suite, len(o.share)) + o.share
    out += struct.pack(">H", len(ext_block)) + ext_block
    if len(out) < min_len:
        out += bytes(min_len - len(out))
    return bytes(out)


class _Reader:
    def __init__(self, data: bytes, err: str):
        self.data = data
        self.pos = 0
        self.err = err

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise GcError(self.err)
        b = self.data[self.pos : self.pos + n]
        self.pos += n
        return b

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return struct.unpack(">H", self.take(2))[0]

    def u64(self) -> int:
        return struct.unpack(">Q", self.take(8))[0]

    def rest(self) -> bytes:
        return self.take(len(self.data) - self.pos)


def parse_extensions(block: bytes, err: str) -> list:
    r = _Reader(block, err)
    exts = []
    seen = set()
    while r.pos < len(block):
        t = r.u16()
        n = r.u16()
        d = r.take(n)
        if t in seen:
            raise GcError(err)
        seen.add(t)
        exts.append((t, d))
    return exts


def parse_client_hello(msg: bytes) -> ClientHello:
    """Server checks 1-4 of section 4."""
    if len(msg) < 1 or msg[0] != MSG_CLIENT_HELLO:
        raise GcError("HandshakeMalformed")
    if len(msg) < 3:
        raise GcError("HandshakeMalformed")
    version = struct.unpack(">H", msg[1:3])[0]
    if version != VERSION:
        raise GcError("UnsupportedVersion")
    if not CLIENT_HELLO_MIN <= len(msg) <= HANDSHAKE_MAX:
        raise GcError("HandshakeMalformed")
    r = _Reader(msg, "HandshakeMalformed")
    r.take(3)
    client_random = r.take(32)
    count = r.u8()
    if not 1 <= count <= MAX_OFFERS:
        raise GcError("HandshakeMalformed")
    offers = []
    for _ in range(count):
        suite = r.u16()
        share = r.take(r.u16())
        if any(o.suite == suite for o in offers):
            raise GcError("HandshakeMalformed")
        offers.append(Offer(suite, share))
    ext_block = r.take(r.u16())
    exts = parse_extensions(ext_block, "HandshakeMalformed")
    if any(r.rest()):
        raise GcError("HandshakeMalformed")
    return ClientHello(version, client_random, offers, exts, ext_block, msg)


def select_suite(offers: Sequence[Offer], accepted: Sequence[int]) -> Optional[Offer]:
    """Section 5: the first offer in the client's order whose suite the server accepts."""
    for o in offers:
        if o.suite in accepted:
            return o
    return None


# ---------------------------------------------------------------------------------------
# Section 6: ServerHello


@dataclass
class ServerHello:
    version: int
    server_random: bytes
    suite: int
    server_suites: list
    share: bytes
    identity_type: int
    identity: bytes
    ext_block: bytes
    body: bytes
    signature: bytes


def build_server_hello_body(
    server_random: bytes,
    suite: int,
    server_suites: Sequence[int],
    share: bytes,
    identity_type: int,
    identity: bytes,
    ext_block: bytes = b"",
    version: int = VERSION,
) -> bytes:
    out = bytearray([MSG_SERVER_HELLO])
    out += struct.pack(">H", version)
    out += server_random
    out += struct.pack(">H", suite)
    out.append(len(server_suites))
    for s in server_suites:
        out += struct.pack(">H", s)
    out += struct.pack(">H", len(share)) + share
    out.append(identity_type)
    out += struct.pack(">H", len(identity)) + identity
    out += struct.pack(">H", len(ext_block)) + ext_block
    return bytes(out)


def transcript_hash(client_hello: bytes, sh_body: bytes) -> bytes:
    return sha256(client_hello + sh_body)


def server_signed_message(th: bytes) -> bytes:
    return SERVER_SIG_CONTEXT + th


def parse_server_hello(msg: bytes) -> ServerHello:
    """Client checks 1-3 of section 7."""
    if len(msg) < 1 or msg[0] != MSG_SERVER_HELLO:
        raise GcError("HandshakeMalformed")
    if len(msg) < 3:
        raise GcError("HandshakeMalformed")
    version = struct.unpack(">H", msg[1:3])[0]
    if version != VERSION:
        raise GcError("UnsupportedVersion")
    if len(msg) > HANDSHAKE_MAX:
        raise GcError("HandshakeMalformed")
    r = _Reader(msg, "HandshakeMalformed")
    r.take(3)
    server_random = r.take(32)
    suite = r.u16()
    m = r.u8()
    if not 1 <= m <= MAX_SERVER_SUITES:
        raise GcError("HandshakeMalformed")
    server_suites = [r.u16() for _ in range(m)]
    if len(set(server_suites)) != m:
        raise GcError("HandshakeMalformed")
    share = r.take(r.u16())
    identity_type = r.u8()
    identity = r.take(r.u16())
    ext_len = r.u16()
    ext_block = r.take(ext_len)
    if len(msg) - r.pos != SIG_LEN:
        raise GcError("HandshakeMalformed")
    if ext_len != 0:
        raise GcError("HandshakeMalformed")
    signature = r.take(SIG_LEN)
    return ServerHello(
        version, server_random, suite, server_suites, share, identity_type, identity, ext_block,
        msg[:-SIG_LEN], signature,
    )


# ---------------------------------------------------------------------------------------
# Section 8: certificate


@dataclass
class Certificate:
    key_type: int
    key_raw: bytes
    key: object
    not_before: int
    not_after: int
    name: bytes
    root_key_type: int
    root_key_id: bytes
    signature: bytes
    raw: bytes


def issue_certificate(
    root_private, server_public, name: bytes | str, not_before: int, not_after: int,
    root_key_type: Optional[int] = None, root_key_id: Optional[bytes] = None,
) -> bytes:
    if isinstance(name, str):
        name = name.encode("utf-8")
    kt = key_type_of(server_public)
    raw = raw_public(server_public)
    rkt = key_type_of(root_private) if root_key_type is None else root_key_type
    rid = fingerprint(root_private.public_key())[:8] if root_key_id is None else root_key_id
    body = (
        bytes([0x01, kt]) + struct.pack(">H", len(raw)) + raw
        + struct.pack(">QQ", not_before, not_after)
        + bytes([len(name)]) + name + bytes([rkt]) + rid
    )
    return body + sign(root_private, CERT_SIG_CONTEXT + body)


def parse_certificate(data: bytes) -> Certificate:
    """Any failure: CertificateMalformed (section 8)."""
    r = _Reader(data, "CertificateMalformed")
    if r.u8() != 0x01:
        raise GcError("CertificateMalformed")
    kt = r.u8()
    key_len = r.u16()
    if (kt, key_len) not in ((KEY_TYPE_P256, 65), (KEY_TYPE_ED25519, 32)):
        raise GcError("CertificateMalformed")
    key_raw = r.take(key_len)
    try:
        key = public_from_raw(kt, key_raw)
    except ValueError:
        raise GcError("CertificateMalformed") from None
    nb = r.u64()
    na = r.u64()
    if nb > na:
        raise GcError("CertificateMalformed")
    name_len = r.u8()
    if name_len < 1:
        raise GcError("CertificateMalformed")
    name = r.take(name_len)
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        raise GcError("CertificateMalformed") from None
    rkt = r.u8()
    if rkt not in (KEY_TYPE_P256, KEY_TYPE_ED25519):
        raise GcError("CertificateMalformed")
    rid = r.take(8)
    sig = r.take(SIG_LEN)
    if r.pos != len(data):
        raise GcError("CertificateMalformed")
    return Certificate(kt, key_raw, key, nb, na, name, rkt, rid, sig, data)


def validate_certificate(cert: Certificate, root_public, now: int, server_name: Optional[bytes]) -> None:
    """Validation steps 1-3 of section 8."""
    if (
        cert.root_key_type != key_type_of(root_public)
        or cert.root_key_id != fingerprint(root_public)[:8]
        or not verify(root_public, CERT_SIG_CONTEXT + cert.raw[:-SIG_LEN], cert.signature)
    ):
        raise GcError("CertificateSignatureInvalid")
    if now < cert.not_before:
        raise GcError("CertificateNotYetValid")
    if now > cert.not_after:
        raise GcError("CertificateExpired")
    if server_name is not None and cert.name != server_name:
        raise GcError("CertificateWrongName")


def verify_certificate(data: bytes, root_public, now: int, server_name=None) -> Certificate:
    if isinstance(server_name, str):
        server_name = server_name.encode("utf-8")
    cert = parse_certificate(data)
    validate_certificate(cert, root_public, now, server_name)
    return cert


# ---------------------------------------------------------------------------------------
# Section 9: key schedule


def hkdf_extract(salt: bytes, ikm: bytes) -> bytes:
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand(prk: bytes, info: bytes, length: int) -> bytes:
    assert length <= 32
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()[:length]


@dataclass
class KeySchedule:
    prk: bytes
    c2s_secret: bytes
    s2c_secret: bytes
    c2s_key: bytes
    c2s_iv: bytes
    s2c_key: bytes
    s2c_iv: bytes


def key_schedule(shared: bytes, th: bytes) -> KeySchedule:
    prk = hkdf_extract(th, shared)
    c2s = hkdf_expand(prk, b"gamecrypt v1 c2s", 32)
    s2c = hkdf_expand(prk, b"gamecrypt v1 s2c", 32)
    return KeySchedule(
        prk, c2s, s2c,
        hkdf_expand(c2s, b"gamecrypt v1 key", 32), hkdf_expand(c2s, b"gamecrypt v1 iv", 12),
        hkdf_expand(s2c, b"gamecrypt v1 key", 32), hkdf_expand(s2c, b"gamecrypt v1 iv", 12),
    )


# ---------------------------------------------------------------------------------------
# Section 10: sealed packets


def packet_header(ptype: int, pn: int) -> bytes:
    return bytes([ptype]) + pn.to_bytes(7, "big")


def packet_nonce(iv: bytes, pn: int) -> bytes:
    return bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))


def seal_packet(aead_cls, key: bytes, iv: bytes, ptype: int, pn: int, plaintext: bytes) -> bytes:
    header = packet_header(ptype, pn)
    return header + aead_cls(key).encrypt(packet_nonce(iv, pn), plaintext, header)


def open_packet(aead_cls, key: bytes, iv: bytes, packet: bytes) -> bytes:
    """AEAD open only (no framing checks); raises GcError('PacketAuthFailed')."""
    header = packet[:HEADER_LEN]
    pn = int.from_bytes(packet[1:HEADER_LEN], "big")
    try:
        return aead_cls(key).decrypt(packet_nonce(iv, pn), packet[HEADER_LEN:], header)
    except InvalidTag:
        raise GcError("PacketAuthFailed") from None


# ---------------------------------------------------------------------------------------
# Section 11: anti-replay window (RFC 6479, 32 blocks of 64 bits)


class ReplayWindow:
    BLOCKS = 32
    BITS = 64
    WINDOW = (BLOCKS - 1) * BITS  # 1984

    def __init__(self):
        self.top = 0
        self.bitmap = [0] * self.BLOCKS

    def _pos(self, pn: int):
        return (pn // self.BITS) % self.BLOCKS, pn % self.BITS

    def check(self, pn: int) -> None:
        if pn > self.top:
            return
        if self.top - pn >= self.WINDOW:
            raise GcError("PacketTooOld")
        block, bit = self._pos(pn)
        if self.bitmap[block] >> bit & 1:
            raise GcError("PacketReplayed")

    def record(self, pn: int) -> None:
        if pn > self.top:
            cur = self.top // self.BITS
            new = pn // self.BITS
            diff = min(new - cur, self.BLOCKS)
            for i in range(1, diff + 1):
                self.bitmap[(cur + i) % self.BLOCKS] = 0
            self.top = pn
        block, bit = self._pos(pn)
        self.bitmap[block] |= 1 << bit


# ---------------------------------------------------------------------------------------
# Section 12: sessions

NEED_WRITE = "NEED_WRITE"
NEED_READ = "NEED_READ"
ESTABLISHED = "ESTABLISHED"
FAILED = "FAILED"
CLOSED = "CLOSED"

DATAGRAM = "datagram"
STREAM = "stream"


class _Session:
    def __init__(self, mode: str, rng: Optional[Rng]):
        if mode not in (DATAGRAM, STREAM):
            raise ValueError(mode)
        self.mode = mode
        self.rng = rng or os.urandom
        self.state = None
        self.suite: Optional[Suite] = None
        self.keys: Optional[KeySchedule] = None
        self.send_pn = 0
        self.window = ReplayWindow()
        self.next_expected = 0
        self.transcript_hash: Optional[bytes] = None
        self.shared: Optional[bytes] = None

    # -- helpers
    def _check_alive(self):
        if self.state == FAILED:
            raise GcError("SessionFailed")
        if self.state == CLOSED:
            raise GcError("SessionClosed")

    def _abort(self, err: GcError):
        self.state = FAILED
        self._erase()
        raise err

    def _erase(self):
        self.keys = None
        self.shared = None

    def _send_keys(self):
        raise NotImplementedError

    def _recv_keys(self):
        raise NotImplementedError

    def _seal(self, ptype: int, plaintext: bytes) -> bytes:
        if self.send_pn > MAX_PN:
            raise GcError("KeyExhausted")
        key, iv = self._send_keys()
        pkt = seal_packet(self.suite.aead, key, iv, ptype, self.send_pn, plaintext)
        self.send_pn += 1
        return pkt

    # -- section 10 / 12 public API
    def seal(self, plaintext: bytes) -> bytes:
        self._check_alive()
        if self.state != ESTABLISHED:
            raise GcError("WrongState")
        if len(plaintext) > MAX_PAYLOAD:
            raise ValueError("plaintext too long")
        return self._seal(PKT_DATA, plaintext)

    def close(self) -> bytes:
        """Writes a close packet when established (empty bytes during the handshake)."""
        self._check_alive()
        pkt = b""
        if self.state == ESTABLISHED:
            pkt = self._seal(PKT_CLOSE, b"")
        self.state = CLOSED
        self._erase()
        return pkt

    def open(self, packet: bytes) -> bytes:
        """Section 10.4. Returns the plaintext of a data packet; a close packet raises
        GcError('SessionClosed') after closing the session."""
        self._check_alive()
        if self.state != ESTABLISHED:
            raise GcError("WrongState")
        try:
            if len(packet) < OVERHEAD or len(packet) > MAX_PAYLOAD + OVERHEAD:
                raise GcError("PacketMalformed")
            ptype = packet[0]
            if ptype not in (PKT_DATA, PKT_CLOSE):
                raise GcError("PacketMalformed")
            pn = int.from_bytes(packet[1:HEADER_LEN], "big")
            if self.mode == DATAGRAM:
                self.window.check(pn)
            else:
                if pn < self.next_expected:
                    raise GcError("PacketReplayed")
                if pn > self.next_expected:
                    raise GcError("PacketOutOfOrder")
            key, iv = self._recv_keys()
            plaintext = open_packet(self.suite.aead, key, iv, packet)
        except GcError as e:
            if self.mode == STREAM:
                self._abort(e)
            raise
        if self.mode == DATAGRAM:
            self.window.record(pn)
        else:
            self.next_expected = pn + 1
        if ptype == PKT_CLOSE:
            self.state = CLOSED
            self._erase()
            raise GcError("SessionClosed")
        return plaintext


class Client(_Session):
    """Client session: NEED_WRITE -> write -> NEED_READ -> read -> NEED_WRITE -> write -> ESTABLISHED."""

    def __init__(
        self,
        suites: Sequence[int] = (SUITE_P256, SUITE_X25519),
        *,
        pinned_key=None,
        pinned_fingerprint: Optional[bytes] = None,
        root_key=None,
        server_name: Optional[bytes | str] = None,
        now: Optional[Callable[[], int] | int] = None,
        mode: str = DATAGRAM,
        rng: Optional[Rng] = None,
        ext_block: bytes = b"",
        extra_offers: Sequence[Offer] = (),
    ):
        super().__init__(mode, rng)
        if sum(x is not None for x in (pinned_key, pinned_fingerprint, root_key)) != 1:
            raise ValueError("exactly one trust anchor")
        self.pinned_key = pinned_key
        self.pinned_fingerprint = pinned_fingerprint
        self.root_key = root_key
        self.server_name = server_name.encode() if isinstance(server_name, str) else server_name
        self.now = now
        self.offer_suites = list(suites)
        # section 4, randomness order: client_random, then one scalar per group in order of
        # first appearance in the offers
        self.client_random = self.rng(32)
        self.ephemerals: dict = {}
        offers = []
        for code in self.offer_suites:
            s = SUITES[code]
            if s.group not in self.ephemerals:
                self.ephemerals[s.group] = Ephemeral.generate(s.group, self.rng)
            offers.append(Offer(code, self.ephemerals[s.group].share))
        offers.extend(extra_offers)
        self.client_hello = build_client_hello(self.client_random, offers, ext_block)
        self.server_hello: Optional[ServerHello] = None
        self.server_identity = None
        self.certificate: Optional[Certificate] = None
        self.client_finished: Optional[bytes] = None
        self.state = NEED_WRITE
        self._wrote_hello = False

    def _send_keys(self):
        return self.keys.c2s_key, self.keys.c2s_iv

    def _recv_keys(self):
        return self.keys.s2c_key, self.keys.s2c_iv

    def _now(self) -> int:
        if self.now is None:
            import time

            return int(time.time())
        return self.now() if callable(self.now) else self.now

    def write_handshake(self) -> bytes:
        self._check_alive()
        if self.state != NEED_WRITE:
            raise GcError("WrongState")
        if not self._wrote_hello:
            self._wrote_hello = True
            self.state = NEED_READ
            return self.client_hello
        self.state = ESTABLISHED
        return self.client_finished

    def read_handshake(self, msg: bytes) -> None:
        self._check_alive()
        if self.state != NEED_READ:
            raise GcError("WrongState")
        try:
            self._process_server_hello(msg)
        except GcError as e:
            self._abort(e)
        self.state = NEED_WRITE

    @classmethod
    def observer(cls, client_hello: bytes, offer_suites: Sequence[int], **trust) -> "Client":
        """A client that did not make `client_hello` (it has no ephemeral private keys) but can
        run checks 1-8 of section 7 on a ServerHello answering it: used to predict how any
        client that sent `client_hello` must react to a given ServerHello."""
        c = cls(offer_suites, **trust)
        c.client_hello = client_hello
        c.ephemerals = {}
        return c

    def check_server_hello(self, msg: bytes):
        """Checks 1-8 of section 7 (no state change). Returns (sh, suite, identity, cert, th)."""
        sh = parse_server_hello(msg)  # checks 1-3
        # 4. downgrade check
        expected = next((c for c in self.offer_suites if c in sh.server_suites), None)
        if expected is None or sh.suite != expected:
            raise GcError("DowngradeDetected")
        suite = SUITES[sh.suite]
        # 5.
        if len(sh.share) != suite.share_len:
            raise GcError("HandshakeMalformed")
        # 6. identity
        cert = None
        if sh.identity_type == IDENTITY_RAW:
            try:
                identity = public_from_raw(suite.key_type, sh.identity)
            except ValueError:
                raise GcError("HandshakeMalformed") from None
        elif sh.identity_type == IDENTITY_CERT:
            cert = parse_certificate(sh.identity)
            if cert.key_type != suite.key_type:
                raise GcError("HandshakeMalformed")
            identity = cert.key
        else:
            raise GcError("HandshakeMalformed")
        # 7. signature
        th = transcript_hash(self.client_hello, sh.body)
        if not verify(identity, server_signed_message(th), sh.signature):
            raise GcError("HandshakeSignatureInvalid")
        # 8. trust
        if self.pinned_key is not None:
            if key_type_of(self.pinned_key) != suite.key_type or raw_public(self.pinned_key) != raw_public(identity):
                raise GcError("PinnedKeyMismatch")
        elif self.pinned_fingerprint is not None:
            if fingerprint(identity) != self.pinned_fingerprint:
                raise GcError("FingerprintMismatch")
        else:
            if cert is None:
                raise GcError("CertificateMissing")
            validate_certificate(cert, self.root_key, self._now(), self.server_name)
        return sh, suite, identity, cert, th

    def _process_server_hello(self, msg: bytes) -> None:
        sh, suite, identity, cert, th = self.check_server_hello(msg)
        # 9. ECDH
        try:
            shared = self.ephemerals[suite.group].exchange(sh.share)
        except ValueError:
            raise GcError("HandshakeMalformed") from None
        self.suite = suite
        self.server_hello = sh
        self.server_identity = identity
        self.certificate = cert
        self.transcript_hash = th
        self.shared = shared
        self.keys = key_schedule(shared, th)
        self.client_finished = self._seal(MSG_CLIENT_FINISHED, b"")
        # stream mode: the first s2c packet is number 0
        self.next_expected = 0


class Server(_Session):
    """Server session: NEED_READ -> read CH -> NEED_WRITE -> write SH -> NEED_READ -> read CF."""

    def __init__(
        self,
        identity_key,
        *,
        suites: Optional[Sequence[int]] = None,
        certificate: Optional[bytes] = None,
        mode: str = DATAGRAM,
        rng: Optional[Rng] = None,
        force_suite: Optional[int] = None,
        advertised_suites: Optional[Sequence[int]] = None,
    ):
        super().__init__(mode, rng)
        self.identity_key = identity_key
        kt = key_type_of(identity_key)
        if suites is None:
            suites = [c for c, s in SUITES.items() if s.key_type == kt]
        self.accepted = list(suites)
        self.certificate = certificate
        self.force_suite = force_suite  # test hook: a server that ignores section 5
        self.advertised = list(advertised_suites) if advertised_suites is not None else self.accepted
        self.state = NEED_READ
        self.client_hello: Optional[ClientHello] = None
        self.server_hello: Optional[bytes] = None
        self._answered = False

    def _send_keys(self):
        return self.keys.s2c_key, self.keys.s2c_iv

    def _recv_keys(self):
        return self.keys.c2s_key, self.keys.c2s_iv

    def read_handshake(self, msg: bytes) -> None:
        self._check_alive()
        if self.state != NEED_READ:
            raise GcError("WrongState")
        if not self._answered:
            try:
                self._process_client_hello(msg)
            except GcError as e:
                self._abort(e)
            self.state = NEED_WRITE
            return
        if msg == self.client_hello.raw:
            raise GcError("PacketReplayed")
        try:
            self._process_client_finished(msg)
        except GcError as e:
            self._abort(e)
        self.state = ESTABLISHED

    def write_handshake(self) -> bytes:
        self._check_alive()
        if self.state != NEED_WRITE:
            raise GcError("WrongState")
        self.state = NEED_READ
        return self.server_hello

    def _process_client_hello(self, msg: bytes) -> None:
        ch = parse_client_hello(msg)
        offer = select_suite(ch.offers, self.accepted)
        if offer is None:
            raise GcError("NoCommonSuite")
        if self.force_suite is not None:
            offer = next(o for o in ch.offers if o.suite == self.force_suite)
        suite = SUITES[offer.suite]
        # section 6 randomness order: server_random, then the ephemeral scalar
        server_random = self.rng(32)
        eph = Ephemeral.generate(suite.group, self.rng)
        try:
            shared = eph.exchange(offer.share)
        except ValueError:
            raise GcError("HandshakeMalformed") from None
        if self.certificate is not None:
            identity_type, identity = IDENTITY_CERT, self.certificate
        else:
            identity_type, identity = IDENTITY_RAW, raw_public(self.identity_key)
        body = build_server_hello_body(
            server_random, offer.suite, self.advertised, eph.share, identity_type, identity
        )
        th = transcript_hash(msg, body)
        self.server_hello = body + sign(self.identity_key, server_signed_message(th))
        self.client_hello = ch
        self.suite = suite
        self.transcript_hash = th
        self.shared = shared
        self.keys = key_schedule(shared, th)
        self._answered = True

    def _process_client_finished(self, msg: bytes) -> None:
        if len(msg) != OVERHEAD or msg[0] != MSG_CLIENT_FINISHED or msg[1:HEADER_LEN] != bytes(7):
            raise GcError("HandshakeMalformed")
        open_packet(self.suite.aead, self.keys.c2s_key, self.keys.c2s_iv, msg)
        self.window.record(0)
        self.next_expected = 1
