"""ctypes binding of the gamecrypt C ABI (include/gamecrypt.h), for the interop tests.

The library comes from $GAMECRYPT_LIB, else target/release/libgamecrypt.so, else
target/debug/libgamecrypt.so (relative to the repository root). Numeric constants and result
codes are read from the header itself, so the tests compare against the documented values.
"""

from __future__ import annotations

import ctypes
import os
import re
from ctypes import (
    POINTER,
    byref,
    c_bool,
    c_char_p,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEADER = REPO / "include" / "gamecrypt.h"


def _parse_header():
    text = HEADER.read_text()
    results = {m[0]: int(m[1]) for m in re.findall(r"GAMECRYPT_RESULT_(\w+) = (\d+)", text)}
    defines = {m[0]: int(m[1]) for m in re.findall(r"#define (\w+) (\d+)\s*$", text, re.M)}
    return results, defines


RESULT, CONST = _parse_header()
RESULT_NAME = {v: k for k, v in RESULT.items()}
OK = RESULT["OK"]

SUITE_P256 = CONST["GAMECRYPT_SUITE_P256_ECDSA_AES256GCM_SHA256"]
SUITE_X25519 = CONST["GAMECRYPT_SUITE_X25519_ED25519_CHACHA20POLY1305_SHA256"]
MODE = {
    "datagram": CONST["GAMECRYPT_SESSION_MODE_DATAGRAM"],
    "stream": CONST["GAMECRYPT_SESSION_MODE_STREAM"],
}
STATE_NAME = {
    CONST[f"GAMECRYPT_SESSION_STATE_{n}"]: n
    for n in ("INVALID", "NEED_WRITE", "NEED_READ", "ESTABLISHED", "FAILED", "CLOSED")
}


def _find_library() -> str:
    env = os.environ.get("GAMECRYPT_LIB")
    if env:
        return env
    for p in (REPO / "target/release/libgamecrypt.so", REPO / "target/debug/libgamecrypt.so"):
        if p.exists():
            return str(p)
    raise FileNotFoundError(
        "libgamecrypt.so not found: set GAMECRYPT_LIB or run `cargo build --release --lib`"
    )


LIB_PATH = _find_library()
lib = ctypes.CDLL(LIB_PATH)

u8p = POINTER(c_uint8)
szp = POINTER(c_size_t)
R = c_uint32  # gamecrypt_result is a C enum: int-sized

CLOCK_FN = ctypes.CFUNCTYPE(c_uint64, c_void_p)


def _sig(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_sig("gamecrypt_result_str", c_char_p, c_uint32)
_sig("gamecrypt_server_config_builder_new", R, u8p, c_size_t, POINTER(c_void_p))
_sig("gamecrypt_server_config_builder_set_certificate", R, c_void_p, u8p, c_size_t)
_sig("gamecrypt_server_config_builder_set_suites", R, c_void_p, POINTER(c_uint32), c_size_t)
_sig("gamecrypt_server_config_builder_build", R, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_server_config_builder_free", None, c_void_p)
_sig("gamecrypt_server_config_free", None, c_void_p)
_sig("gamecrypt_client_config_builder_new_pinned_key", R, u8p, c_size_t, POINTER(c_void_p))
_sig("gamecrypt_client_config_builder_new_pinned_fingerprint", R, u8p, c_size_t, POINTER(c_void_p))
_sig("gamecrypt_client_config_builder_new_root", R, u8p, c_size_t, POINTER(c_void_p))
_sig("gamecrypt_client_config_builder_set_suites", R, c_void_p, POINTER(c_uint32), c_size_t)
_sig("gamecrypt_client_config_builder_set_server_name", R, c_void_p, c_char_p)
_sig("gamecrypt_client_config_builder_set_clock", R, c_void_p, CLOCK_FN, c_void_p)
_sig("gamecrypt_client_config_builder_build", R, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_client_config_builder_free", None, c_void_p)
_sig("gamecrypt_client_config_free", None, c_void_p)
_sig("gamecrypt_session_new_client", R, c_void_p, c_uint32, POINTER(c_void_p))
_sig("gamecrypt_session_new_server", R, c_void_p, c_uint32, POINTER(c_void_p))
_sig("gamecrypt_session_free", None, c_void_p)
_sig("gamecrypt_session_get_state", c_uint32, c_void_p)
_sig("gamecrypt_session_write_handshake", R, c_void_p, u8p, c_size_t, szp)
_sig("gamecrypt_session_read_handshake", R, c_void_p, u8p, c_size_t)
_sig("gamecrypt_session_seal", R, c_void_p, u8p, c_size_t, u8p, c_size_t, szp)
_sig("gamecrypt_session_open", R, c_void_p, u8p, c_size_t, u8p, c_size_t, szp)
_sig("gamecrypt_session_close", R, c_void_p, u8p, c_size_t, szp)
_sig("gamecrypt_session_suite", R, c_void_p, POINTER(c_uint32))
_sig("gamecrypt_session_server_public_key", R, c_void_p, u8p, c_size_t, szp)
_sig("gamecrypt_session_is_handshake_message", c_bool, u8p, c_size_t)
_sig("gamecrypt_packet_overhead", c_size_t)
_sig("gamecrypt_session_max_handshake_len", c_size_t)
_sig(
    "gamecrypt_certificate_issue", R, u8p, c_size_t, u8p, c_size_t, c_char_p, c_uint64, c_uint64,
    u8p, c_size_t, szp,
)
_sig("gamecrypt_certificate_verify", R, u8p, c_size_t, u8p, c_size_t, c_char_p, c_uint64)
_sig("gamecrypt_certificate_validity", R, u8p, c_size_t, POINTER(c_uint64), POINTER(c_uint64))
_sig("gamecrypt_certificate_server_name", R, u8p, c_size_t, u8p, c_size_t, szp)
_sig("gamecrypt_certificate_public_key", R, u8p, c_size_t, u8p, c_size_t, szp)

# Key generation lives in the keys C ABI, which not every build of this branch exports.
HAS_KEYGEN = all(
    hasattr(lib, n)
    for n in (
        "gamecrypt_signing_key_generate",
        "gamecrypt_signing_key_to_pkcs8_der",
        "gamecrypt_signing_key_public_key",
        "gamecrypt_public_key_to_spki_der",
    )
)
if HAS_KEYGEN:
    _sig("gamecrypt_signing_key_generate", R, c_uint32, POINTER(c_void_p))
    _sig("gamecrypt_signing_key_to_pkcs8_der", R, c_void_p, u8p, c_size_t, szp)
    _sig("gamecrypt_signing_key_public_key", R, c_void_p, POINTER(c_void_p))
    _sig("gamecrypt_public_key_to_spki_der", R, c_void_p, u8p, c_size_t, szp)
    _sig("gamecrypt_signing_key_free", None, c_void_p)
    _sig("gamecrypt_public_key_free", None, c_void_p)


class GamecryptError(Exception):
    def __init__(self, code: int, where: str = ""):
        self.code = code
        self.name = RESULT_NAME.get(code, f"UNKNOWN_{code}")
        msg = lib.gamecrypt_result_str(code).decode()
        super().__init__(f"{where}: {self.name} ({code}): {msg}")


def check(code: int, where: str = "") -> None:
    if code != OK:
        raise GamecryptError(code, where)


def _in(data: bytes):
    """(pointer, length) for an input buffer; (NULL, 0) for empty input."""
    if not data:
        return None, 0
    buf = (c_uint8 * len(data)).from_buffer_copy(data)
    return ctypes.cast(buf, u8p), len(data)


def _out(fn, *args, cap: int = 256) -> bytes:
    """Calls fn(*args, out, out_cap, out_len), growing the buffer on BUFFER_TOO_SMALL."""
    n = c_size_t(0)
    while True:
        buf = (c_uint8 * max(cap, 1))()
        rc = fn(*args, ctypes.cast(buf, u8p), cap, byref(n))
        if rc == RESULT["BUFFER_TOO_SMALL"] and n.value > cap:
            cap = n.value
            continue
        check(rc, fn.__name__)
        return bytes(buf[: n.value])


def result_of(f, *args, **kwargs) -> int:
    """Runs f and returns OK or the gamecrypt result code it raised."""
    try:
        f(*args, **kwargs)
        return OK
    except GamecryptError as e:
        return e.code


class _Handle:
    _free = None

    def __init__(self, ptr: c_void_p):
        self.ptr = ptr

    def free(self):
        if self.ptr:
            type(self)._free(self.ptr)
            self.ptr = None

    def __del__(self):
        try:
            self.free()
        except Exception:
            pass


class ServerConfig(_Handle):
    _free = staticmethod(lambda p: lib.gamecrypt_server_config_free(p))

    def __init__(self, identity_pkcs8: bytes, suites=None, certificate: bytes | None = None):
        b = c_void_p()
        p, n = _in(identity_pkcs8)
        check(lib.gamecrypt_server_config_builder_new(p, n, byref(b)), "server_config_builder_new")
        try:
            if suites is not None:
                arr = (c_uint32 * len(suites))(*suites)
                check(lib.gamecrypt_server_config_builder_set_suites(b, arr, len(suites)), "set_suites")
            if certificate is not None:
                p, n = _in(certificate)
                check(lib.gamecrypt_server_config_builder_set_certificate(b, p, n), "set_certificate")
            out = c_void_p()
            check(lib.gamecrypt_server_config_builder_build(b, byref(out)), "server build")
        finally:
            lib.gamecrypt_server_config_builder_free(b)
        super().__init__(out)


class ClientConfig(_Handle):
    _free = staticmethod(lambda p: lib.gamecrypt_client_config_free(p))

    def __init__(self, ptr, clock=None):
        super().__init__(ptr)
        self._clock = clock  # keep the ctypes callback alive

    @classmethod
    def _build(cls, ctor, anchor: bytes, suites=None, server_name=None, now=None):
        b = c_void_p()
        p, n = _in(anchor)
        check(ctor(p, n, byref(b)), ctor.__name__)
        clock = None
        try:
            if suites is not None:
                arr = (c_uint32 * len(suites))(*suites)
                check(lib.gamecrypt_client_config_builder_set_suites(b, arr, len(suites)), "set_suites")
            if server_name is not None:
                if isinstance(server_name, str):
                    server_name = server_name.encode()
                check(lib.gamecrypt_client_config_builder_set_server_name(b, server_name), "set_server_name")
            if now is not None:
                clock = CLOCK_FN(lambda _ctx: now() if callable(now) else now)
                check(lib.gamecrypt_client_config_builder_set_clock(b, clock, None), "set_clock")
            out = c_void_p()
            check(lib.gamecrypt_client_config_builder_build(b, byref(out)), "client build")
        finally:
            lib.gamecrypt_client_config_builder_free(b)
        return cls(out, clock)

    @classmethod
    def pinned_key(cls, spki: bytes, **kw):
        return cls._build(lib.gamecrypt_client_config_builder_new_pinned_key, spki, **kw)

    @classmethod
    def pinned_fingerprint(cls, fp: bytes, **kw):
        return cls._build(lib.gamecrypt_client_config_builder_new_pinned_fingerprint, fp, **kw)

    @classmethod
    def root(cls, spki: bytes, **kw):
        return cls._build(lib.gamecrypt_client_config_builder_new_root, spki, **kw)


class Session(_Handle):
    _free = staticmethod(lambda p: lib.gamecrypt_session_free(p))

    def __init__(self, ptr, config):
        super().__init__(ptr)
        self.config = config  # keeps a clock callback alive

    @classmethod
    def client(cls, config: ClientConfig, mode: str = "datagram"):
        out = c_void_p()
        check(lib.gamecrypt_session_new_client(config.ptr, MODE[mode], byref(out)), "new_client")
        return cls(out, config)

    @classmethod
    def server(cls, config: ServerConfig, mode: str = "datagram"):
        out = c_void_p()
        check(lib.gamecrypt_session_new_server(config.ptr, MODE[mode], byref(out)), "new_server")
        return cls(out, config)

    @property
    def state(self) -> str:
        return STATE_NAME[lib.gamecrypt_session_get_state(self.ptr)]

    def write_handshake(self) -> bytes:
        return _out(lib.gamecrypt_session_write_handshake, self.ptr, cap=lib.gamecrypt_session_max_handshake_len())

    def read_handshake(self, msg: bytes) -> None:
        p, n = _in(msg)
        check(lib.gamecrypt_session_read_handshake(self.ptr, p, n), "read_handshake")

    def seal(self, plaintext: bytes) -> bytes:
        p, n = _in(plaintext)
        return _out(lib.gamecrypt_session_seal, self.ptr, p, n, cap=len(plaintext) + 24)

    def open(self, packet: bytes) -> bytes:
        p, n = _in(packet)
        return _out(lib.gamecrypt_session_open, self.ptr, p, n, cap=max(len(packet), 1))

    def close(self) -> bytes:
        return _out(lib.gamecrypt_session_close, self.ptr, cap=64)

    def suite(self) -> int:
        s = c_uint32()
        check(lib.gamecrypt_session_suite(self.ptr, byref(s)), "suite")
        return s.value

    def server_public_key(self) -> bytes:
        return _out(lib.gamecrypt_session_server_public_key, self.ptr)


def is_handshake_message(data: bytes) -> bool:
    p, n = _in(data)
    return bool(lib.gamecrypt_session_is_handshake_message(p, n))


def certificate_issue(root_pkcs8: bytes, server_spki: bytes, name, not_before: int, not_after: int) -> bytes:
    if isinstance(name, str):
        name = name.encode()
    rp, rn = _in(root_pkcs8)
    sp, sn = _in(server_spki)
    return _out(lib.gamecrypt_certificate_issue, rp, rn, sp, sn, name, not_before, not_after, cap=414)


def certificate_verify(cert: bytes, root_spki: bytes, name, now: int) -> int:
    """Returns the gamecrypt_result code."""
    if isinstance(name, str):
        name = name.encode()
    cp, cn = _in(cert)
    rp, rn = _in(root_spki)
    return lib.gamecrypt_certificate_verify(cp, cn, rp, rn, name, now)


def certificate_validity(cert: bytes):
    nb, na = c_uint64(), c_uint64()
    p, n = _in(cert)
    check(lib.gamecrypt_certificate_validity(p, n, byref(nb), byref(na)), "certificate_validity")
    return nb.value, na.value


def certificate_server_name(cert: bytes) -> bytes:
    p, n = _in(cert)
    return _out(lib.gamecrypt_certificate_server_name, p, n)


def certificate_public_key(cert: bytes) -> bytes:
    p, n = _in(cert)
    return _out(lib.gamecrypt_certificate_public_key, p, n)


KEY_TYPE_P256 = 1
KEY_TYPE_ED25519 = 3


def generate_signing_key(key_type: int):
    """(pkcs8_der, spki_der) of a key generated by the library, or None without the keys ABI."""
    if not HAS_KEYGEN:
        return None
    k = c_void_p()
    check(lib.gamecrypt_signing_key_generate(key_type, byref(k)), "signing_key_generate")
    try:
        pkcs8 = _out(lib.gamecrypt_signing_key_to_pkcs8_der, k)
        pub = c_void_p()
        check(lib.gamecrypt_signing_key_public_key(k, byref(pub)), "signing_key_public_key")
        try:
            spki = _out(lib.gamecrypt_public_key_to_spki_der, pub)
        finally:
            lib.gamecrypt_public_key_free(pub)
    finally:
        lib.gamecrypt_signing_key_free(k)
    return pkcs8, spki
