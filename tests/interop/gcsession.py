"""Independent Python implementation of the gamecrypt secure session protocol v1.

Written from docs/PROTOCOL.md alone (no look at the Rust sources), with Python `cryptography`
and the standard library only (plus `mlkem768.py`, a pure-Python FIPS 203 used where
`cryptography` cannot take an expanded ML-KEM key). Section numbers in comments refer to
docs/PROTOCOL.md, sections 1-22 (key update, usage limits, close, hybrid suites, client
authentication and retry cookies included).

The module is deliberately low level in places (message builders, parsers, key schedule) so
that tests can craft valid, tampered or downgraded messages, and high level in others
(`Client`, `Server`: the state machine of section 12).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import time
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

import mlkem768

try:  # ML-KEM-768 in Python `cryptography` (>= 46 with an OpenSSL/AWS-LC backend that has it)
    from cryptography.hazmat.primitives.asymmetric import mlkem as _mlkem

    _mlkem.MLKEM768PrivateKey.generate()
    HAVE_CRYPTOGRAPHY_MLKEM = True
except Exception:  # pragma: no cover - depends on the installed cryptography
    _mlkem = None
    HAVE_CRYPTOGRAPHY_MLKEM = False

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
    "HandshakeMessageDropped": 327,  # section 12.1
    "ServerNameRequired": 328,  # section 8
    "PublicKeyWeak": 106,  # section 3
    "SignContextReserved": 107,  # section 15
    # sections 17-22
    "KeyUpdateBlocked": 400,
    "IntegrityLimitReached": 401,
    "PeerClosed": 402,
    "ClientAuthRequired": 450,
    "ClientAuthInvalid": 451,
    "ClientTokenRequired": 452,
    "SessionRejected": 453,
    "RetryCookieInvalid": 454,
}


class GcError(Exception):
    """A protocol error, named as in the spec."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name
        self.code = SPEC_ERROR_CODES[name]


# ---------------------------------------------------------------------------------------
# Section 3 / 20: version, suites, algorithms, encodings

VERSION = 0x0001
SUITE_P256 = 0x0001
SUITE_X25519 = 0x0002
SUITE_HYBRID_ED25519 = 0x0003  # X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256
SUITE_HYBRID_P256 = 0x0004  # X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256
SUITE_HYBRID_RESERVED = 0x11EC  # reserved, never a suite code (section 3)

# section 20.3: the default client offer list, most preferred first
DEFAULT_OFFERS = (SUITE_HYBRID_ED25519, SUITE_HYBRID_P256, SUITE_P256, SUITE_X25519)

KEY_TYPE_P256 = 1
KEY_TYPE_ED25519 = 3

P256_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

# section 3: weak Ed25519 keys (the 8 small-order points, as listed in the spec)
ED25519_SMALL_ORDER = tuple(
    bytes.fromhex(h)
    for h in (
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    )
)
ED25519_P = 2**255 - 19

# section 12.1: the 8th failed handshake message of a datagram session is fatal
HANDSHAKE_DROP_LIMIT = 8

CLIENT_HELLO_MIN = 1200
CLIENT_HELLO_MIN_HYBRID = 2048  # section 20.2
HANDSHAKE_MAX = 4096
MAX_OFFERS = 16
MAX_SERVER_SUITES = 16
SIG_LEN = 64

SERVER_SIG_CONTEXT = b"gamecrypt session v1 server signature\x00"
CLIENT_SIG_CONTEXT = b"gamecrypt session v1 client signature\x00"  # section 21.3
CERT_SIG_CONTEXT = b"gamecrypt certificate v1\x00"
RETRY_COOKIE_CONTEXT = b"gamecrypt retry cookie v1\x00"  # section 22.2

MSG_CLIENT_HELLO = 0x01
MSG_SERVER_HELLO = 0x02
MSG_CLIENT_FINISHED = 0x03
MSG_RETRY = 0x04
PKT_DATA = 0x40
PKT_DATA_PHASE1 = 0x41
PKT_CLOSE = 0x42
PKT_CLOSE_PHASE1 = 0x43

IDENTITY_RAW = 0x01
IDENTITY_CERT = 0x02

HEADER_LEN = 8
TAG_LEN = 16
OVERHEAD = HEADER_LEN + TAG_LEN
MAX_PAYLOAD = 16777216
MAX_PN = (1 << 56) - 1

# section 21.1
AUTH_NONE = 0
AUTH_OPTIONAL = 1
AUTH_REQUIRED = 2
EXT_CLIENT_AUTH_REQUEST = 0x0102
ENTRY_CLIENT_TOKEN = 0x0103
ENTRY_CLIENT_SIGNATURE = 0x0104
CLIENT_TOKEN_MAX = 1024
CLIENT_FINISHED_MAX = 24 + (4 + CLIENT_TOKEN_MAX) + (4 + 132)  # 1188

# section 22
EXT_COOKIE = 0x0101
RETRY_DEFAULT_PERIOD = 10
RETRY_SECRET_LEN = 32
RETRY_ADDRESS_MAX = 128

# section 18: usage limits
UNIT = 65536
CONFIDENTIALITY_LIMIT_AES = 1 << 23
INTEGRITY_LIMIT = {AESGCM: 1 << 52, ChaCha20Poly1305: 1 << 36}

KEY_UPDATE_LABEL = b"gamecrypt v1 key update"


@dataclass(frozen=True)
class Suite:
    code: int
    group: str  # "p256" | "x25519" | "x25519mlkem768"
    share_len: int  # the client's share
    server_share_len: int  # the server's share
    key_type: int  # identity key type that signs for this suite
    aead: type

    @property
    def hybrid(self) -> bool:
        return self.group == GROUP_HYBRID


GROUP_HYBRID = "x25519mlkem768"

SUITES = {
    SUITE_P256: Suite(SUITE_P256, "p256", 65, 65, KEY_TYPE_P256, AESGCM),
    SUITE_X25519: Suite(SUITE_X25519, "x25519", 32, 32, KEY_TYPE_ED25519, ChaCha20Poly1305),
    SUITE_HYBRID_ED25519: Suite(SUITE_HYBRID_ED25519, GROUP_HYBRID, 1216, 1120, KEY_TYPE_ED25519, ChaCha20Poly1305),
    SUITE_HYBRID_P256: Suite(SUITE_HYBRID_P256, GROUP_HYBRID, 1216, 1120, KEY_TYPE_P256, AESGCM),
}

GROUP_SHARE_LEN = {"p256": 65, "x25519": 32, GROUP_HYBRID: 1216}
GROUP_SERVER_SHARE_LEN = {"p256": 65, "x25519": 32, GROUP_HYBRID: 1120}


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


class WeakKeyError(ValueError):
    """A weak Ed25519 key (section 3): PublicKeyWeak wherever a key enters."""


def ed25519_key_is_weak(raw: bytes) -> bool:
    """Section 3: one of the 8 small-order encodings, y >= p, or x = 0 with the sign bit."""
    if raw in ED25519_SMALL_ORDER:
        return True
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    sign = raw[31] >> 7
    return y >= ED25519_P or (sign == 1 and y in (1, ED25519_P - 1))


def public_from_raw(key_type: int, raw: bytes):
    """Parses a raw public key; raises ValueError when invalid (section 3), WeakKeyError for a
    weak Ed25519 key."""
    if key_type == KEY_TYPE_P256:
        if len(raw) != 65 or raw[0] != 0x04:
            raise ValueError("P-256 key must be a 65-byte uncompressed point")
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    if key_type == KEY_TYPE_ED25519:
        if len(raw) != 32:
            raise ValueError("Ed25519 key must be 32 bytes")
        if ed25519_key_is_weak(raw):
            raise WeakKeyError("weak Ed25519 key")
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
    """Section 3: ECDSA P-256/SHA-256 as r||s (low-S: s <= n/2), or pure Ed25519."""
    if key_type_of(private_key) == KEY_TYPE_P256:
        r, s = decode_dss_signature(private_key.sign(message, ec.ECDSA(hashes.SHA256())))
        if s > P256_ORDER // 2:
            s = P256_ORDER - s
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return private_key.sign(message)


def verify(public_key, message: bytes, signature: bytes, low_s: bool = True) -> bool:
    """Section 3; `low_s`: the session's signatures (sections 6, 21.3) must have s <= n/2,
    certificate signatures (section 8) may have either form."""
    if len(signature) != SIG_LEN:
        return False
    try:
        if key_type_of(public_key) == KEY_TYPE_P256:
            r = int.from_bytes(signature[:32], "big")
            s = int.from_bytes(signature[32:], "big")
            if not (0 < r < P256_ORDER and 0 < s < P256_ORDER):
                return False
            if low_s and s > P256_ORDER // 2:
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


def _x25519_exchange(private, peer_share: bytes) -> bytes:
    """X25519 with the all-zero check of section 3; raises ValueError."""
    if len(peer_share) != 32:
        raise ValueError("share length")
    try:
        shared = private.exchange(x25519.X25519PublicKey.from_public_bytes(peer_share))
    except ValueError:
        raise ValueError("all-zero X25519 output") from None
    if shared == bytes(32):
        raise ValueError("all-zero X25519 output")
    return shared


class MlKemKey:
    """The client's ML-KEM-768 key: from a 64-byte seed (then `cryptography` if it has
    ML-KEM) or from an expanded 2400-byte decapsulation key (pure-Python FIPS 203)."""

    def __init__(self, *, seed: Optional[bytes] = None, expanded: Optional[bytes] = None):
        self.seed = seed
        self._lib = None
        if seed is not None:
            if HAVE_CRYPTOGRAPHY_MLKEM:
                self._lib = _mlkem.MLKEM768PrivateKey.from_seed_bytes(seed)
                self.ek = self._lib.public_key().public_bytes_raw()
                self.dk = None
            else:
                self.ek, self.dk = mlkem768.keygen(seed)
        else:
            if expanded is None or not mlkem768.dk_check(expanded):
                raise ValueError("invalid expanded ML-KEM-768 decapsulation key")
            self.dk = expanded
            self.ek = mlkem768.ek_of_dk(expanded)

    def decapsulate(self, ct: bytes) -> bytes:
        if self._lib is not None:
            return self._lib.decapsulate(ct)
        return mlkem768.decaps(self.dk, ct)


def mlkem_encapsulate(ek: bytes):
    """(shared_secret, ciphertext); raises ValueError when ek fails the FIPS 203 check."""
    if not mlkem768.ek_check(ek):
        raise ValueError("ML-KEM-768 encapsulation key check failed")
    if HAVE_CRYPTOGRAPHY_MLKEM:
        return _mlkem.MLKEM768PublicKey.from_public_bytes(ek).encapsulate()
    return mlkem768.encaps(ek, os.urandom(32))


class Ephemeral:
    """The client's ephemeral key-exchange key for a group (sections 3, 4, 20.1)."""

    def __init__(self, group: str, scalar: bytes, mlkem: Optional[MlKemKey] = None):
        self.group = group
        self.mlkem = mlkem
        if group == "p256":
            k = int.from_bytes(scalar, "big")
            if not 0 < k < P256_ORDER:
                raise ValueError("P-256 scalar out of range")
            self.private = ec.derive_private_key(k, ec.SECP256R1())
            self.share = self.private.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        elif group in ("x25519", GROUP_HYBRID):
            self.private = x25519.X25519PrivateKey.from_private_bytes(scalar)
            self.share = self.private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            if group == GROUP_HYBRID:
                if mlkem is None:
                    raise ValueError("hybrid group needs an ML-KEM key")
                self.share = mlkem.ek + self.share  # ek[1184] || x25519[32]
        else:
            raise ValueError(group)

    @classmethod
    def generate(cls, group: str, rng: Rng) -> "Ephemeral":
        mlkem = None
        if group == GROUP_HYBRID:
            # section 20.4, reference randomness: the expanded decapsulation key (2400 bytes),
            # then the X25519 scalar. With real randomness the key comes from a 64-byte seed.
            if isinstance(rng, FixedRng):
                mlkem = MlKemKey(expanded=rng(mlkem768.DK_LEN))
            else:
                mlkem = MlKemKey(seed=rng(mlkem768.SEED_LEN))
        while True:
            try:
                return cls(group, rng(32), mlkem)
            except ValueError:
                if isinstance(rng, FixedRng) or group != "p256":
                    raise
                # a random P-256 scalar >= n (probability ~2^-32): draw again

    def exchange(self, peer_share: bytes) -> bytes:
        """Client side: the shared secret from the server's share; raises ValueError on an
        invalid share or an all-zero (EC)DH output (sections 3, 20.1)."""
        if len(peer_share) != GROUP_SERVER_SHARE_LEN[self.group]:
            raise ValueError("share length")
        if self.group == "p256":
            if peer_share[0] != 0x04:
                raise ValueError("not an uncompressed point")
            peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), peer_share)
            shared = self.private.exchange(ec.ECDH(), peer)
            if shared == bytes(32):
                raise ValueError("all-zero ECDH output")
            return shared
        if self.group == "x25519":
            return _x25519_exchange(self.private, peer_share)
        ct, xs = peer_share[: mlkem768.CT_LEN], peer_share[mlkem768.CT_LEN :]
        ss_x = _x25519_exchange(self.private, xs)
        return self.mlkem.decapsulate(ct) + ss_x


def server_key_exchange(group: str, client_share: bytes, rng: Rng, encapsulate=None):
    """Server side of the key exchange (sections 3, 6 randomness order, 20.1): draws the
    server's ephemeral scalar, validates the client's share, and returns (server_share,
    shared). Raises ValueError for an invalid client share. `encapsulate(ek)` may replace
    the (randomized) ML-KEM encapsulation, e.g. to replay a test vector."""
    if len(client_share) != GROUP_SHARE_LEN[group]:
        raise ValueError("share length")
    if group == "p256":
        eph = Ephemeral.generate("p256", rng)
        return eph.share, eph.exchange(client_share)
    eph = Ephemeral("x25519", rng(32))
    if group == "x25519":
        return eph.share, _x25519_exchange(eph.private, client_share)
    ek, xc = client_share[: mlkem768.EK_LEN], client_share[mlkem768.EK_LEN :]
    if not mlkem768.ek_check(ek):
        raise ValueError("ML-KEM-768 encapsulation key check failed")
    ss_x = _x25519_exchange(eph.private, xc)
    ss_m, ct = (encapsulate or mlkem_encapsulate)(ek)
    return ct + eph.share, ss_m + ss_x


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
    core: bytes  # section 22.1: every byte before ext_len

    def extension(self, ext_type: int) -> Optional[bytes]:
        return next((d for t, d in self.extensions if t == ext_type), None)


def encode_extensions(exts: Sequence[tuple]) -> bytes:
    return b"".join(struct.pack(">HH", t, len(d)) + d for t, d in exts)


def client_hello_core(client_random: bytes, offers: Sequence[Offer], version: int = VERSION) -> bytes:
    out = bytearray([MSG_CLIENT_HELLO])
    out += struct.pack(">H", version)
    out += client_random
    out.append(len(offers))
    for o in offers:
        out += struct.pack(">HH", o.suite, len(o.share)) + o.share
    return bytes(out)


def client_hello_min_len(offers: Sequence[Offer]) -> int:
    """Section 4 / 20.2: 2048 bytes when a hybrid suite is offered, else 1200."""
    hybrid = any(o.suite in SUITES and SUITES[o.suite].hybrid for o in offers)
    return CLIENT_HELLO_MIN_HYBRID if hybrid else CLIENT_HELLO_MIN


def build_client_hello(
    client_random: bytes,
    offers: Sequence[Offer],
    ext_block: bytes = b"",
    min_len: Optional[int] = None,
    version: int = VERSION,
) -> bytes:
    out = client_hello_core(client_random, offers, version)
    out += struct.pack(">H", len(ext_block)) + ext_block
    if min_len is None:
        min_len = client_hello_min_len(offers)
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

    def done(self) -> bool:
        return self.pos == len(self.data)


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
        # check 4: suite 0x0000 is invalid (no phantom offers parsed from the zero padding)
        if suite == 0 or any(o.suite == suite for o in offers):
            raise GcError("HandshakeMalformed")
        offers.append(Offer(suite, share))
    core = msg[: r.pos]
    ext_block = r.take(r.u16())
    exts = parse_extensions(ext_block, "HandshakeMalformed")
    if any(r.rest()):
        raise GcError("HandshakeMalformed")
    return ClientHello(version, client_random, offers, exts, ext_block, msg, core)


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
    auth_request: Optional[tuple] = None  # (signature_mode, token_mode), section 21.2

    @property
    def raw(self) -> bytes:
        return self.body + self.signature


def client_auth_request_ext(signature_mode: int, token_mode: int) -> bytes:
    """Section 21.2: the extension block of a server that asks for credentials (6 bytes),
    or empty when it asks for nothing."""
    if signature_mode == AUTH_NONE and token_mode == AUTH_NONE:
        return b""
    return struct.pack(">HHBB", EXT_CLIENT_AUTH_REQUEST, 2, signature_mode, token_mode)


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


def client_hello_unpadded(client_hello: bytes) -> bytes:
    """Section 6: the ClientHello without its zero padding (msg_type through the extension
    block; self-delimiting), what the transcript hashes. The padding only guards against
    amplification: it is checked to be zero (section 4) and not hashed."""
    at = 36
    for _ in range(client_hello[35]):
        at += 4 + struct.unpack(">H", client_hello[at + 2 : at + 4])[0]
    return client_hello[: at + 2 + struct.unpack(">H", client_hello[at : at + 2])[0]]


def transcript_hash(client_hello: bytes, sh_body: bytes) -> bytes:
    """Section 6: SHA-256(CH_unpadded || SH_body)."""
    return sha256(client_hello_unpadded(client_hello) + sh_body)


def server_signed_message(th: bytes) -> bytes:
    return SERVER_SIG_CONTEXT + th


def parse_auth_request(ext_block: bytes) -> Optional[tuple]:
    """Section 21.2 / 7 step 3: empty, or exactly one well-formed client authentication
    request; else HandshakeMalformed."""
    if not ext_block:
        return None
    if len(ext_block) != 6:
        raise GcError("HandshakeMalformed")
    t, n, sm, tm = struct.unpack(">HHBB", ext_block)
    if t != EXT_CLIENT_AUTH_REQUEST or n != 2 or sm > 2 or tm > 2 or (sm == 0 and tm == 0):
        raise GcError("HandshakeMalformed")
    return sm, tm


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
    auth_request = parse_auth_request(ext_block)
    signature = r.take(SIG_LEN)
    return ServerHello(
        version, server_random, suite, server_suites, share, identity_type, identity, ext_block,
        msg[:-SIG_LEN], signature, auth_request,
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
    except WeakKeyError:
        raise GcError("PublicKeyWeak") from None
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
        or not verify(root_public, CERT_SIG_CONTEXT + cert.raw[:-SIG_LEN], cert.signature, low_s=False)
    ):
        raise GcError("CertificateSignatureInvalid")
    if now < cert.not_before:
        raise GcError("CertificateNotYetValid")
    if now > cert.not_after:
        raise GcError("CertificateExpired")
    if server_name is not None and cert.name != server_name:
        raise GcError("CertificateWrongName")
    # server_name None: the client opted out (dangerous_accept_any_server_name, section 8)


def verify_certificate(data: bytes, root_public, now: int, server_name=None) -> Certificate:
    if isinstance(server_name, str):
        server_name = server_name.encode("utf-8")
    cert = parse_certificate(data)
    validate_certificate(cert, root_public, now, server_name)
    return cert


# ---------------------------------------------------------------------------------------
# Section 9 / 17.1: key schedule and key generations


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


def traffic_keys(secret: bytes):
    """(key, iv) of a traffic secret (sections 9, 17.1)."""
    return hkdf_expand(secret, b"gamecrypt v1 key", 32), hkdf_expand(secret, b"gamecrypt v1 iv", 12)


def next_secret(secret: bytes) -> bytes:
    """secret_d[n+1] = HKDF-Expand(secret_d[n], "gamecrypt v1 key update", 32) (section 17.1)."""
    return hkdf_expand(secret, KEY_UPDATE_LABEL, 32)


def generation_secret(secret0: bytes, n: int) -> bytes:
    s = secret0
    for _ in range(n):
        s = next_secret(s)
    return s


def key_schedule(shared: bytes, th: bytes) -> KeySchedule:
    prk = hkdf_extract(th, shared)
    c2s = hkdf_expand(prk, b"gamecrypt v1 c2s", 32)
    s2c = hkdf_expand(prk, b"gamecrypt v1 s2c", 32)
    return KeySchedule(prk, c2s, s2c, *traffic_keys(c2s), *traffic_keys(s2c))


# ---------------------------------------------------------------------------------------
# Section 10: sealed packets


def packet_header(ptype: int, pn: int) -> bytes:
    return bytes([ptype]) + pn.to_bytes(7, "big")


def packet_nonce(iv: bytes, pn: int) -> bytes:
    return bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))


def packet_type(kind: int, generation: int) -> int:
    """Section 2 / 17.1: 0x40 | (kind << 1) | (generation mod 2)."""
    return 0x40 | (kind << 1) | (generation & 1)


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


def units_of(n: int) -> int:
    """Section 18: a packet with an n-byte plaintext uses max(1, ceil(n / 65536)) units."""
    return max(1, -(-n // UNIT))


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
# Section 21: client authentication inside the ClientFinished


def client_signed_message(ch: bytes, sh: bytes, p_prefix: bytes) -> bytes:
    """Section 21.3: the context, a zero byte and SHA-256(CH_unpadded || SH || P')."""
    return CLIENT_SIG_CONTEXT + sha256(client_hello_unpadded(ch) + sh + p_prefix)


def token_entry(token: bytes) -> bytes:
    """A `client_token` entry (section 21.3)."""
    return struct.pack(">HH", ENTRY_CLIENT_TOKEN, len(token)) + token


def signature_entry(
    ch: bytes,
    sh: bytes,
    prefix: bytes,
    key,
    *,
    sign_with=None,
    key_type: Optional[int] = None,
    key_raw: Optional[bytes] = None,
    signature: Optional[bytes] = None,
) -> bytes:
    """A `client_signature` entry following the entries `prefix` (section 21.3): the
    signature covers SHA-256(CH || SH || prefix || type, len, key_type, key_len, key). The
    keyword overrides craft invalid entries for tests."""
    kt = key_type_of(key) if key_type is None else key_type
    raw = raw_public(key) if key_raw is None else key_raw
    head = struct.pack(">HHBH", ENTRY_CLIENT_SIGNATURE, 3 + len(raw) + SIG_LEN, kt, len(raw)) + raw
    if signature is None:
        signature = sign(sign_with or key, client_signed_message(ch, sh, prefix + head))
    return head + signature


def build_client_auth_plaintext(ch: bytes, sh: bytes, token: Optional[bytes] = None, key=None, **overrides) -> bytes:
    """The ClientFinished plaintext P of section 21.3: the token entry, then the signature
    entry (always last)."""
    p = token_entry(token) if token is not None else b""
    if key is not None:
        p += signature_entry(ch, sh, p, key, **overrides)
    return p


@dataclass
class ClientCredentials:
    token: Optional[bytes]
    key_type: Optional[int]
    key_raw: Optional[bytes]
    key: object  # public key object, or None
    signature: Optional[bytes]
    p_prefix: Optional[bytes]  # P' of section 21.3


def parse_client_auth_plaintext(p: bytes, signature_mode: int, token_mode: int) -> ClientCredentials:
    """Section 21.4, check 3 (structure); HandshakeMalformed on any failure."""
    r = _Reader(p, "HandshakeMalformed")
    last_type = -1
    token = None
    sig = None
    while not r.done():
        start = r.pos
        t = r.u16()
        n = r.u16()
        data = r.take(n)
        if t <= last_type:
            raise GcError("HandshakeMalformed")
        last_type = t
        if t == ENTRY_CLIENT_TOKEN and token_mode != AUTH_NONE and 1 <= n <= CLIENT_TOKEN_MAX:
            token = data
        elif t == ENTRY_CLIENT_SIGNATURE and signature_mode != AUTH_NONE:
            if not r.done():
                raise GcError("HandshakeMalformed")
            if n < 3:
                raise GcError("HandshakeMalformed")
            kt = data[0]
            kl = struct.unpack(">H", data[1:3])[0]
            if (kt, kl) not in ((KEY_TYPE_P256, 65), (KEY_TYPE_ED25519, 32)) or n != 3 + kl + SIG_LEN:
                raise GcError("HandshakeMalformed")
            sig = (kt, data[3 : 3 + kl], data[3 + kl :], p[: start + 4 + 3 + kl])
        else:
            raise GcError("HandshakeMalformed")
    if sig is None:
        return ClientCredentials(token, None, None, None, None, None)
    kt, raw, signature, prefix = sig
    return ClientCredentials(token, kt, raw, None, signature, prefix)


# ---------------------------------------------------------------------------------------
# Section 22: retry cookies


def parse_retry(msg: bytes) -> tuple:
    """Section 22.3 client checks except the hash: (client_hello_hash, cookie)."""
    if len(msg) < 3 or msg[0] != MSG_RETRY:
        raise GcError("HandshakeMalformed")
    if struct.unpack(">H", msg[1:3])[0] != VERSION:
        raise GcError("UnsupportedVersion")
    if len(msg) < 36 or msg[35] < 1 or len(msg) != 36 + msg[35]:
        raise GcError("HandshakeMalformed")
    return msg[3:35], msg[36:]


def build_retry(core_hash: bytes, cookie: bytes, version: int = VERSION) -> bytes:
    assert 1 <= len(cookie) <= 255
    return bytes([MSG_RETRY]) + struct.pack(">H", version) + core_hash + bytes([len(cookie)]) + cookie


def client_hello_with_cookie(core: bytes, cookie: bytes, min_len: int) -> bytes:
    """Section 22.3: CH2 = CH_core || u16(4 + cookie_len) || 01 01 || u16(cookie_len) ||
    cookie || zeros."""
    ext = struct.pack(">HH", EXT_COOKIE, len(cookie)) + cookie
    out = core + struct.pack(">H", len(ext)) + ext
    if len(out) < min_len:
        out += bytes(min_len - len(out))
    return out


ACCEPT = "ACCEPT"
SEND_RETRY = "SEND_RETRY"
DROP = "DROP"


class RetryConfig:
    """A server's retry cookies (section 22.2, the reference format): a current and a
    previous 32-byte secret, time slots of `period` seconds, `now` a clock (callable or
    int). Subclasses may use another cookie format (it is the server's private matter)."""

    def __init__(self, secret: Optional[bytes] = None, period: int = RETRY_DEFAULT_PERIOD, now=None):
        if not 1 <= period <= 3600:
            raise ValueError("period")
        self.current = secret if secret is not None else os.urandom(RETRY_SECRET_LEN)
        if len(self.current) != RETRY_SECRET_LEN:
            raise ValueError("secret length")
        self.previous: Optional[bytes] = None
        self.period = period
        self.now = now

    def _now(self) -> int:
        if self.now is None:
            return int(time.time())
        return self.now() if callable(self.now) else self.now

    def rotate(self, new_secret: Optional[bytes] = None) -> None:
        self.previous = self.current
        self.current = new_secret if new_secret is not None else os.urandom(RETRY_SECRET_LEN)

    @staticmethod
    def tag(secret: bytes, slot: int, address: bytes, core_hash: bytes) -> bytes:
        msg = RETRY_COOKIE_CONTEXT + struct.pack(">QH", slot, len(address)) + address + core_hash
        return hmac.new(secret, msg, hashlib.sha256).digest()

    def make_cookie(self, address: bytes, core_hash: bytes) -> bytes:
        slot = self._now() // self.period
        return struct.pack(">Q", slot) + self.tag(self.current, slot, address, core_hash)

    def cookie_valid(self, cookie: bytes, address: bytes, core_hash: bytes) -> bool:
        if len(cookie) != 40:
            return False
        slot = struct.unpack(">Q", cookie[:8])[0]
        now_slot = self._now() // self.period
        if slot not in (now_slot, now_slot - 1):
            return False
        ok = False
        for secret in (self.current, self.previous):
            if secret is not None and hmac.compare_digest(cookie[8:], self.tag(secret, slot, address, core_hash)):
                ok = True
        return ok

    def check_client_hello(self, address: bytes, datagram: bytes):
        """Section 22.4, the stateless decision: (ACCEPT | SEND_RETRY | DROP, retry bytes)."""
        if not 1 <= len(address) <= RETRY_ADDRESS_MAX:
            raise ValueError("address length")
        try:
            ch = parse_client_hello(datagram)
        except GcError:
            return DROP, b""
        cookie = ch.extension(EXT_COOKIE)
        core_hash = sha256(ch.core)
        if cookie is None:
            return SEND_RETRY, build_retry(core_hash, self.make_cookie(address, core_hash))
        if self.cookie_valid(cookie, address, core_hash):
            return ACCEPT, b""
        return DROP, b""


class OpaqueRetry(RetryConfig):
    """Another cookie format: random opaque cookies of any length remembered by the server
    (a server's private choice, section 22.2); used against the library client."""

    def __init__(self, cookie_len: int = 17):
        super().__init__()
        self.cookie_len = cookie_len
        self.issued = {}

    def make_cookie(self, address: bytes, core_hash: bytes) -> bytes:
        c = os.urandom(self.cookie_len)
        self.issued[c] = (address, core_hash)
        return c

    def cookie_valid(self, cookie: bytes, address: bytes, core_hash: bytes) -> bool:
        return self.issued.get(cookie) == (address, core_hash)


# ---------------------------------------------------------------------------------------
# Section 12: sessions (with key update 17, usage limits 18, close 19)

NEED_WRITE = "NEED_WRITE"
NEED_READ = "NEED_READ"
ESTABLISHED = "ESTABLISHED"
FAILED = "FAILED"
CLOSED = "CLOSED"
NEED_ACCEPT = "NEED_ACCEPT"  # section 21.5
REJECTED = "REJECTED"  # section 21.5: every later call is SessionRejected

DATAGRAM = "datagram"
STREAM = "stream"


class _Session:
    # which secret of KeySchedule this side sends with / receives with
    _send_dir = ""
    _recv_dir = ""

    def __init__(
        self,
        mode: str,
        rng: Optional[Rng],
        confidentiality_limit: Optional[int] = None,
        integrity_limit: Optional[int] = None,
    ):
        if mode not in (DATAGRAM, STREAM):
            raise ValueError(mode)
        self.mode = mode
        self.rng = rng or os.urandom
        self.state = None
        self.suite: Optional[Suite] = None
        self.keys: Optional[KeySchedule] = None  # generation 0 (section 9)
        self.send_pn = 0
        self.window = ReplayWindow()
        self.next_expected = 0
        self.transcript_hash: Optional[bytes] = None
        self.shared: Optional[bytes] = None
        # section 17.1: what an endpoint keeps
        self.generation = 0
        self.send_secret: Optional[bytes] = None
        self.send_key: Optional[bytes] = None
        self.send_iv: Optional[bytes] = None
        self.recv_current = None  # (key, iv) of generation g
        self.recv_next = None  # (key, iv) of g + 1
        self.recv_previous = None  # (key, iv) of g - 1, while kept
        self.recv_next_secret: Optional[bytes] = None  # receive secret of g + 1
        self.low: Optional[int] = None  # low_g of section 17.2
        # section 18
        self.units = 0
        self.failed_opens = 0
        self.handshake_drops = 0  # section 12.1
        self._conf_limit = confidentiality_limit
        self._integ_limit = integrity_limit

    # -- helpers
    def _check_alive(self):
        if self.state == FAILED:
            raise GcError("SessionFailed")
        if self.state == CLOSED:
            raise GcError("SessionClosed")
        if self.state == REJECTED:
            raise GcError("SessionRejected")

    def _abort(self, err: GcError):
        self.state = FAILED
        self._erase()
        raise err

    def _drop_or_abort(self, err: GcError):
        """Section 12.1: datagram mode drops a failed handshake message (nothing changes)
        up to the 8th, which aborts with its own error; stream mode aborts."""
        if self.mode == DATAGRAM:
            self.handshake_drops += 1
            if self.handshake_drops < HANDSHAKE_DROP_LIMIT:
                raise GcError("HandshakeMessageDropped")
        self._abort(err)

    def _erase(self):
        self.keys = None
        self.shared = None
        self.send_secret = self.send_key = self.send_iv = None
        self.recv_current = self.recv_next = self.recv_previous = self.recv_next_secret = None

    def _install_keys(self, ks: KeySchedule) -> None:
        """Generation 0 (section 17.1)."""
        self.keys = ks
        send = getattr(ks, f"{self._send_dir}_secret")
        recv = getattr(ks, f"{self._recv_dir}_secret")
        self.generation = 0
        self.send_secret = send
        self.send_key, self.send_iv = traffic_keys(send)
        self.recv_current = traffic_keys(recv)
        self.recv_next_secret = next_secret(recv)
        self.recv_next = traffic_keys(self.recv_next_secret)
        self.recv_previous = None
        self.low = None
        self.units = 0

    def _next_generation(self) -> None:
        """Steps 1-3 of section 17.3."""
        self.generation += 1
        self.recv_previous = self.recv_current
        self.recv_current = self.recv_next
        self.recv_next_secret = next_secret(self.recv_next_secret)
        self.recv_next = traffic_keys(self.recv_next_secret)
        self.low = None
        self.send_secret = next_secret(self.send_secret)
        self.send_key, self.send_iv = traffic_keys(self.send_secret)
        self.units = 0

    @property
    def confidentiality_limit(self) -> Optional[int]:
        if self._conf_limit is not None:
            return self._conf_limit
        return CONFIDENTIALITY_LIMIT_AES if self.suite.aead is AESGCM else None

    @property
    def integrity_limit(self) -> int:
        return self._integ_limit if self._integ_limit is not None else INTEGRITY_LIMIT[self.suite.aead]

    def _seal(self, ptype: int, plaintext: bytes) -> bytes:
        """Seals with the current send key and the next packet number, whatever `ptype`
        says (tests use it to craft packets)."""
        if self.send_pn > MAX_PN:
            raise GcError("KeyExhausted")
        pkt = seal_packet(self.suite.aead, self.send_key, self.send_iv, ptype, self.send_pn, plaintext)
        self.send_pn += 1
        return pkt

    # -- public API (sections 10, 12, 17-19)
    def update_keys(self) -> None:
        """Section 17.3: start a key update."""
        self._check_alive()
        if self.state != ESTABLISHED:
            raise GcError("WrongState")
        if self.low is None:
            raise GcError("KeyUpdateBlocked")
        self._next_generation()

    def seal(self, plaintext: bytes) -> bytes:
        self._check_alive()
        if self.state != ESTABLISHED:
            raise GcError("WrongState")
        if len(plaintext) > MAX_PAYLOAD:
            raise ValueError("plaintext too long")
        if self.send_pn > MAX_PN:
            raise GcError("KeyExhausted")
        limit = self.confidentiality_limit
        c = units_of(len(plaintext))
        if limit is not None:
            # section 18, sender
            if self.units + c > limit - limit // 4 and self.low is not None:
                self._next_generation()
            if self.units + c > limit:
                raise GcError("KeyUpdateBlocked")
        pkt = self._seal(packet_type(0, self.generation), plaintext)
        self.units += c
        return pkt

    def close(self) -> bytes:
        """Writes a close packet when established (empty bytes otherwise), section 19."""
        self._check_alive()
        pkt = b""
        if self.state == ESTABLISHED:
            pkt = self._seal(packet_type(1, self.generation), b"")
        self.state = CLOSED
        self._erase()
        return pkt

    def _candidates(self, phase: int, pn: int):
        """Section 17.4, step 4: the receive keys to try, in order."""
        if phase == self.generation & 1:
            return [("current", self.recv_current)]
        if self.low is not None:
            if pn > self.low:
                return [("next", self.recv_next)]
            if self.recv_previous is None:
                raise GcError("PacketTooOld")
            return [("previous", self.recv_previous)]
        cands = [("previous", self.recv_previous)] if self.recv_previous is not None else []
        return cands + [("next", self.recv_next)]

    def open(self, packet: bytes) -> bytes:
        """Sections 10.4 / 17.4. Returns the plaintext of a data packet; a close packet
        closes the session and raises GcError('PeerClosed') (section 19)."""
        self._check_alive()
        if self.state != ESTABLISHED:
            raise GcError("WrongState")
        try:
            if len(packet) < OVERHEAD or len(packet) > MAX_PAYLOAD + OVERHEAD:
                raise GcError("PacketMalformed")
            ptype = packet[0]
            if not PKT_DATA <= ptype <= PKT_CLOSE_PHASE1:
                raise GcError("PacketMalformed")
            kind, phase = (ptype >> 1) & 1, ptype & 1
            pn = int.from_bytes(packet[1:HEADER_LEN], "big")
            if self.mode == DATAGRAM:
                self.window.check(pn)
            else:
                if pn < self.next_expected:
                    raise GcError("PacketReplayed")
                if pn > self.next_expected:
                    raise GcError("PacketOutOfOrder")
            used = None
            for name, (key, iv) in self._candidates(phase, pn):
                try:
                    plaintext = open_packet(self.suite.aead, key, iv, packet)
                    used = name
                    break
                except GcError:
                    self.failed_opens += 1
                    if self.failed_opens >= self.integrity_limit:
                        self.state = FAILED
                        self._erase()
                        raise GcError("IntegrityLimitReached") from None
            if used is None:
                raise GcError("PacketAuthFailed")
        except GcError as e:
            if self.mode == STREAM and self.state != FAILED:
                self._abort(e)
            raise
        # step 5: record, then the key update bookkeeping
        if self.mode == DATAGRAM:
            self.window.record(pn)
        else:
            self.next_expected = pn + 1
        if used == "current":
            self.low = pn if self.low is None else min(self.low, pn)
        elif used == "next":
            self._next_generation()
            self.low = pn
        if self.recv_previous is not None and self.low is not None:
            if self.mode == STREAM or self.window.top + 1 - self.low >= ReplayWindow.WINDOW:
                self.recv_previous = None
        if kind == 1:
            self.state = CLOSED
            self._erase()
            raise GcError("PeerClosed")
        return plaintext


class Client(_Session):
    """Client session: NEED_WRITE -> write -> NEED_READ -> read -> NEED_WRITE -> write ->
    ESTABLISHED; a Retry read in NEED_READ goes back to NEED_WRITE once (section 22.3)."""

    _send_dir = "c2s"
    _recv_dir = "s2c"

    def __init__(
        self,
        suites: Optional[Sequence[int]] = None,
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
        client_key=None,
        token: Optional[bytes] = None,
        min_len: Optional[int] = None,
        dangerous_accept_any_server_name: bool = False,
        **limits,
    ):
        super().__init__(mode, rng, **limits)
        if sum(x is not None for x in (pinned_key, pinned_fingerprint, root_key)) != 1:
            raise ValueError("exactly one trust anchor")
        if root_key is not None and server_name is None and not dangerous_accept_any_server_name:
            raise GcError("ServerNameRequired")  # section 8: root trust needs the name
        if token is not None and not 1 <= len(token) <= CLIENT_TOKEN_MAX:
            raise ValueError("token length")
        if client_key is not None:
            key_type_of(client_key)
        self.pinned_key = pinned_key
        self.pinned_fingerprint = pinned_fingerprint
        self.root_key = root_key
        self.server_name = server_name.encode() if isinstance(server_name, str) else server_name
        self.now = now
        self.client_key = client_key
        self.token = token
        if suites is None:
            # section 20.3: the default list; with a pinned key only that key type's suites
            suites = [
                c for c in DEFAULT_OFFERS
                if pinned_key is None or SUITES[c].key_type == key_type_of(pinned_key)
            ]
        self.offer_suites = list(suites)
        # section 4, randomness order: client_random, then one key per group in order of
        # first appearance in the offers (section 20.4 for the hybrid group)
        self.client_random = self.rng(32)
        self.ephemerals: dict = {}
        offers = []
        for code in self.offer_suites:
            s = SUITES[code]
            if s.group not in self.ephemerals:
                self.ephemerals[s.group] = Ephemeral.generate(s.group, self.rng)
            offers.append(Offer(code, self.ephemerals[s.group].share))
        offers.extend(extra_offers)
        self.offers = offers
        self.min_len = min_len if min_len is not None else client_hello_min_len(offers)
        self.client_hello = build_client_hello(self.client_random, offers, ext_block, self.min_len)
        self.core = client_hello_core(self.client_random, offers)
        self.first_client_hello = self.client_hello
        self.retry: Optional[bytes] = None
        self.cookie: Optional[bytes] = None
        self.server_hello: Optional[ServerHello] = None
        self.server_identity = None
        self.certificate: Optional[Certificate] = None
        self.auth_request: Optional[tuple] = None
        self.client_finished_plaintext: Optional[bytes] = None
        self.client_finished: Optional[bytes] = None
        self.state = NEED_WRITE

    def _now(self) -> int:
        if self.now is None:
            return int(time.time())
        return self.now() if callable(self.now) else self.now

    def write_handshake(self) -> bytes:
        self._check_alive()
        if self.state != NEED_WRITE:
            raise GcError("WrongState")
        if self.client_finished is None:
            self.state = NEED_READ
            return self.client_hello
        self.state = ESTABLISHED
        return self.client_finished

    def read_handshake(self, msg: bytes) -> None:
        self._check_alive()
        if self.state != NEED_READ:
            raise GcError("WrongState")
        if msg[:1] == bytes([MSG_RETRY]):
            if self.retry is not None:
                raise GcError("WrongState")  # section 22.3: at most one Retry
            try:
                self._process_retry(msg)
            except GcError as e:
                self._drop_or_abort(e)
            self.state = NEED_WRITE
            return
        try:
            sh, suite, identity, cert, th = self.check_server_hello(msg)
            shared = self._exchange(sh, suite)
        except GcError as e:
            self._drop_or_abort(e)  # section 12.1: anyone can send a ServerHello
        self._process_server_hello(msg, sh, suite, identity, cert, th, shared)
        self.state = NEED_WRITE

    def _process_retry(self, msg: bytes) -> None:
        """Section 22.3."""
        core_hash, cookie = parse_retry(msg)
        if core_hash != sha256(self.core):
            raise GcError("HandshakeMalformed")
        ch2 = client_hello_with_cookie(self.core, cookie, self.min_len)
        if len(ch2) > HANDSHAKE_MAX:
            raise GcError("HandshakeMalformed")
        self.retry = msg
        self.cookie = cookie
        self.client_hello = ch2

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
        if len(sh.share) != suite.server_share_len:
            raise GcError("HandshakeMalformed")
        # 6. identity
        cert = None
        if sh.identity_type == IDENTITY_RAW:
            try:
                identity = public_from_raw(suite.key_type, sh.identity)
            except WeakKeyError:
                raise GcError("PublicKeyWeak") from None
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

    def _exchange(self, sh, suite) -> bytes:
        """Section 7 step 9: (EC)DH / hybrid key exchange."""
        try:
            return self.ephemerals[suite.group].exchange(sh.share)
        except ValueError:
            raise GcError("HandshakeMalformed") from None

    def _process_server_hello(self, msg: bytes, sh, suite, identity, cert, th, shared) -> None:
        """After checks 1-9 of section 7 passed: section 21.3 and the keys."""
        # section 21.3: can the client supply what is required? (the request is
        # authenticated: a failure here is fatal in both modes)
        plaintext = b""
        if sh.auth_request is not None:
            sig_mode, token_mode = sh.auth_request
            if sig_mode == AUTH_REQUIRED and self.client_key is None:
                self._abort(GcError("ClientAuthRequired"))
            if token_mode == AUTH_REQUIRED and self.token is None:
                self._abort(GcError("ClientTokenRequired"))
            plaintext = build_client_auth_plaintext(
                self.client_hello,
                msg,
                token=self.token if token_mode != AUTH_NONE else None,
                key=self.client_key if sig_mode != AUTH_NONE else None,
            )
        self.suite = suite
        self.server_hello = sh
        self.server_identity = identity
        self.certificate = cert
        self.auth_request = sh.auth_request
        self.transcript_hash = th
        self.shared = shared
        self._install_keys(key_schedule(shared, th))
        self.client_finished_plaintext = plaintext
        self.client_finished = self._seal(MSG_CLIENT_FINISHED, plaintext)
        # stream mode: the first s2c packet is number 0
        self.next_expected = 0

    def reseal_client_finished(self, plaintext: bytes) -> bytes:
        """Test hook: replaces the ClientFinished to send by one with another plaintext
        (type 0x03, packet number 0, generation-0 c2s key)."""
        self.client_finished_plaintext = plaintext
        self.client_finished = seal_packet(
            self.suite.aead, self.keys.c2s_key, self.keys.c2s_iv, MSG_CLIENT_FINISHED, 0, plaintext
        )
        return self.client_finished


class Server(_Session):
    """Server session: NEED_READ -> read CH -> NEED_WRITE -> write SH -> NEED_READ -> read CF
    -> ESTABLISHED (or NEED_ACCEPT with client authentication, section 21.5)."""

    _send_dir = "s2c"
    _recv_dir = "c2s"

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
        signature_mode: int = AUTH_NONE,
        token_mode: int = AUTH_NONE,
        retry: Optional[RetryConfig] = None,
        address: Optional[bytes] = None,
        encapsulate=None,
        extension_block: Optional[bytes] = None,
        **limits,
    ):
        super().__init__(mode, rng, **limits)
        self.identity_key = identity_key
        kt = key_type_of(identity_key)
        if suites is None:
            # section 20.3: every suite the identity key can sign for
            suites = [c for c, s in SUITES.items() if s.key_type == kt]
        self.accepted = list(suites)
        self.certificate = certificate
        self.force_suite = force_suite  # test hook: a server that ignores section 5
        self.advertised = list(advertised_suites) if advertised_suites is not None else self.accepted
        if signature_mode not in (0, 1, 2) or token_mode not in (0, 1, 2):
            raise ValueError("mode")
        self.signature_mode = signature_mode
        self.token_mode = token_mode
        self.retry = retry
        self.address = address
        self.encapsulate = encapsulate  # test hook: fixed ML-KEM encapsulation
        self.extension_block = extension_block  # test hook: another ServerHello extension block
        self.state = NEED_READ
        self.client_hello: Optional[ClientHello] = None
        self.server_hello: Optional[bytes] = None
        self.credentials: Optional[ClientCredentials] = None
        self._answered = False

    @property
    def requests_auth(self) -> bool:
        return self.signature_mode != AUTH_NONE or self.token_mode != AUTH_NONE

    @property
    def client_public_key(self):
        return None if self.credentials is None else self.credentials.key

    @property
    def client_token(self) -> Optional[bytes]:
        return None if self.credentials is None else self.credentials.token

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
        if self.retry is not None and msg[:1] == bytes([MSG_CLIENT_HELLO]) and msg.startswith(self.client_hello.core):
            raise GcError("WrongState")  # section 22.5: a late first ClientHello
        if (
            self.mode == DATAGRAM
            and len(msg) >= OVERHEAD
            and PKT_DATA <= msg[0] <= PKT_CLOSE_PHASE1
        ):
            # section 12.1: a data or close packet while waiting for the ClientFinished
            raise GcError("HandshakeMessageDropped")
        try:
            p = self._open_client_finished(msg)
        except GcError as e:
            self._drop_or_abort(e)  # section 12.1: before the AEAD, anyone can send it
        try:
            self._process_client_finished(p)
        except GcError as e:
            self._abort(e)
        self.state = NEED_ACCEPT if self.requests_auth else ESTABLISHED

    def write_handshake(self) -> bytes:
        self._check_alive()
        if self.state != NEED_WRITE:
            raise GcError("WrongState")
        self.state = NEED_READ
        return self.server_hello

    def _process_client_hello(self, msg: bytes) -> None:
        ch = parse_client_hello(msg)  # checks 1-4
        if self.retry is not None:  # section 22.5
            cookie = ch.extension(EXT_COOKIE)
            if (
                self.address is None
                or cookie is None
                or not self.retry.cookie_valid(cookie, self.address, sha256(ch.core))
            ):
                raise GcError("RetryCookieInvalid")
        offer = select_suite(ch.offers, self.accepted)
        if offer is None:
            raise GcError("NoCommonSuite")
        if self.force_suite is not None:
            offer = next(o for o in ch.offers if o.suite == self.force_suite)
        suite = SUITES[offer.suite]
        # section 6 randomness order: server_random, then the ephemeral scalar
        server_random = self.rng(32)
        try:
            share, shared = server_key_exchange(suite.group, offer.share, self.rng, self.encapsulate)
        except ValueError:
            raise GcError("HandshakeMalformed") from None
        if suite.hybrid and len(msg) < CLIENT_HELLO_MIN_HYBRID:
            raise GcError("HandshakeMalformed")
        if self.certificate is not None:
            identity_type, identity = IDENTITY_CERT, self.certificate
        else:
            identity_type, identity = IDENTITY_RAW, raw_public(self.identity_key)
        body = build_server_hello_body(
            server_random, offer.suite, self.advertised, share, identity_type, identity,
            client_auth_request_ext(self.signature_mode, self.token_mode)
            if self.extension_block is None
            else self.extension_block,
        )
        th = transcript_hash(msg, body)
        self.server_hello = body + sign(self.identity_key, server_signed_message(th))
        self.client_hello = ch
        self.suite = suite
        self.transcript_hash = th
        self.shared = shared
        self._install_keys(key_schedule(shared, th))
        self._answered = True

    def _open_client_finished(self, msg: bytes) -> bytes:
        """Section 10.1 / 21.4 steps 1-2: layout and AEAD; returns the plaintext."""
        max_len = CLIENT_FINISHED_MAX if self.requests_auth else OVERHEAD
        if (
            not OVERHEAD <= len(msg) <= max_len
            or msg[0] != MSG_CLIENT_FINISHED
            or msg[1:HEADER_LEN] != bytes(7)
        ):
            raise GcError("HandshakeMalformed")
        return open_packet(self.suite.aead, self.keys.c2s_key, self.keys.c2s_iv, msg)

    def _process_client_finished(self, p: bytes) -> None:
        """The opened ClientFinished plaintext `p` (section 21.4 steps 3-6)."""
        if self.requests_auth:  # section 21.4
            creds = parse_client_auth_plaintext(p, self.signature_mode, self.token_mode)
            if self.signature_mode == AUTH_REQUIRED and creds.key_raw is None:
                raise GcError("ClientAuthRequired")
            if self.token_mode == AUTH_REQUIRED and creds.token is None:
                raise GcError("ClientTokenRequired")
            if creds.key_raw is not None:
                try:
                    creds.key = public_from_raw(creds.key_type, creds.key_raw)
                except WeakKeyError:
                    raise GcError("PublicKeyWeak") from None
                except ValueError:
                    raise GcError("ClientAuthInvalid") from None
                message = client_signed_message(self.client_hello.raw, self.server_hello, creds.p_prefix)
                if not verify(creds.key, message, creds.signature):
                    raise GcError("ClientAuthInvalid")
            self.credentials = creds
        self.window.record(0)
        self.next_expected = 1
        self.low = 0  # section 17.2: the ClientFinished confirms generation 0

    def accept(self) -> None:
        """Section 21.5."""
        self._check_alive()
        if self.state != NEED_ACCEPT:
            raise GcError("WrongState")
        self.state = ESTABLISHED

    def reject(self, send_close: bool = True) -> bytes:
        """Section 21.5: ends the session; returns the close packet (s2c packet number 0)
        to send, or nothing."""
        self._check_alive()
        if self.state != NEED_ACCEPT:
            raise GcError("WrongState")
        pkt = self._seal(packet_type(1, 0), b"") if send_close else b""
        self.state = REJECTED
        self._erase()
        return pkt
