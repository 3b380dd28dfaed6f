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
SUITE_HYBRID_ED25519 = CONST["GAMECRYPT_SUITE_X25519MLKEM768_ED25519_CHACHA20POLY1305_SHA256"]
SUITE_HYBRID_P256 = CONST["GAMECRYPT_SUITE_X25519MLKEM768_ECDSA_P256_AES256GCM_SHA256"]
AUTH_MODE = {
    "none": CONST["GAMECRYPT_CLIENT_AUTH_NONE"],
    "optional": CONST["GAMECRYPT_CLIENT_AUTH_OPTIONAL"],
    "required": CONST["GAMECRYPT_CLIENT_AUTH_REQUIRED"],
}
RETRY_ACTION_NAME = {
    CONST[f"GAMECRYPT_RETRY_ACTION_{n}"]: n for n in ("ACCEPT", "SEND_RETRY", "DROP")
}
MODE = {
    "datagram": CONST["GAMECRYPT_SESSION_MODE_DATAGRAM"],
    "stream": CONST["GAMECRYPT_SESSION_MODE_STREAM"],
}
STATE_NAME = {
    CONST[f"GAMECRYPT_SESSION_STATE_{n}"]: n
    for n in ("INVALID", "NEED_WRITE", "NEED_READ", "ESTABLISHED", "FAILED", "CLOSED", "NEED_ACCEPT")
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
_sig("gamecrypt_server_config_builder_new", R, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_server_config_builder_set_certificate", R, c_void_p, u8p, c_size_t)
_sig("gamecrypt_server_config_builder_set_suites", R, c_void_p, POINTER(c_uint32), c_size_t)
_sig("gamecrypt_server_config_builder_build", R, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_server_config_builder_free", None, c_void_p)
_sig("gamecrypt_server_config_free", None, c_void_p)
_sig("gamecrypt_client_config_builder_new_pinned_key", R, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_client_config_builder_new_pinned_fingerprint", R, u8p, c_size_t, POINTER(c_void_p))
_sig("gamecrypt_client_config_builder_new_root", R, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_client_config_builder_set_suites", R, c_void_p, POINTER(c_uint32), c_size_t)
_sig("gamecrypt_client_config_builder_set_server_name", R, c_void_p, c_char_p)
_sig("gamecrypt_client_config_builder_dangerous_accept_any_server_name", R, c_void_p)
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
_sig("gamecrypt_session_server_public_key", R, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_session_is_handshake_message", c_bool, u8p, c_size_t)
_sig("gamecrypt_packet_overhead", c_size_t)
_sig("gamecrypt_session_max_handshake_len", c_size_t)
_sig(
    "gamecrypt_certificate_issue", R, c_void_p, c_void_p, c_char_p, c_uint64, c_uint64, u8p, c_size_t, szp
)
_sig("gamecrypt_certificate_verify", R, u8p, c_size_t, c_void_p, c_char_p, c_uint64)
_sig("gamecrypt_certificate_validity", R, u8p, c_size_t, POINTER(c_uint64), POINTER(c_uint64))
_sig("gamecrypt_certificate_server_name", R, u8p, c_size_t, u8p, c_size_t, szp)
_sig("gamecrypt_certificate_public_key", R, u8p, c_size_t, POINTER(c_void_p))

_sig("gamecrypt_signing_key_generate", R, c_uint32, POINTER(c_void_p))
_sig("gamecrypt_signing_key_from_der", R, u8p, c_size_t, POINTER(c_void_p))
_sig("gamecrypt_signing_key_to_pkcs8_der", R, c_void_p, u8p, c_size_t, szp)
_sig("gamecrypt_signing_key_public_key", R, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_signing_key_free", None, c_void_p)
_sig("gamecrypt_public_key_from_spki_der", R, u8p, c_size_t, POINTER(c_void_p))
_sig("gamecrypt_public_key_from_raw", R, c_uint32, u8p, c_size_t, POINTER(c_void_p))
_sig("gamecrypt_public_key_to_spki_der", R, c_void_p, u8p, c_size_t, szp)
_sig("gamecrypt_public_key_to_raw", R, c_void_p, u8p, c_size_t, szp)
_sig("gamecrypt_public_key_fingerprint", R, c_void_p, u8p, c_size_t)
_sig("gamecrypt_public_key_free", None, c_void_p)

# sections 17-22: key update, client authentication, retry
_sig("gamecrypt_session_update_keys", R, c_void_p)
_sig("gamecrypt_session_key_generation", R, c_void_p, POINTER(c_uint64))
_sig("gamecrypt_server_config_builder_set_client_auth", R, c_void_p, c_uint32, c_uint32)
_sig("gamecrypt_server_config_builder_set_retry", R, c_void_p, c_uint64)
_sig("gamecrypt_server_config_builder_set_retry_rotation", R, c_void_p, c_uint64)
_sig("gamecrypt_server_config_builder_set_retry_secret", R, c_void_p, u8p, c_size_t)
_sig("gamecrypt_server_config_builder_set_clock", R, c_void_p, CLOCK_FN, c_void_p)
_sig(
    "gamecrypt_server_config_check_client_hello",
    R, c_void_p, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t, szp, POINTER(c_uint32),
)
_sig("gamecrypt_server_config_rotate_retry_secret", R, c_void_p)
_sig("gamecrypt_server_config_rotate_retry_secret_to", R, c_void_p, u8p, c_size_t)
_sig("gamecrypt_session_new_server_for_address", R, c_void_p, c_uint32, u8p, c_size_t, POINTER(c_void_p))
_sig("gamecrypt_client_config_builder_set_client_key", R, c_void_p, c_void_p)
_sig("gamecrypt_client_config_builder_set_token", R, c_void_p, u8p, c_size_t)
_sig("gamecrypt_session_client_public_key", R, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_session_client_token", R, c_void_p, u8p, c_size_t, szp)
_sig("gamecrypt_session_release_client_credentials", R, c_void_p)
_sig("gamecrypt_session_accept", R, c_void_p)
_sig("gamecrypt_session_reject", R, c_void_p, u8p, c_size_t, szp)
_sig("gamecrypt_retry_len", c_size_t)
_sig("gamecrypt_retry_secret_len", c_size_t)
_sig("gamecrypt_client_address_max_len", c_size_t)
_sig("gamecrypt_client_token_max_len", c_size_t)

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


KEY_TYPE_P256 = CONST["GAMECRYPT_KEY_TYPE_ECDSA_P256"]
KEY_TYPE_ED25519 = CONST["GAMECRYPT_KEY_TYPE_ED25519"]


class PublicKey(_Handle):
    """gamecrypt_public_key handle."""

    _free = staticmethod(lambda p: lib.gamecrypt_public_key_free(p))

    @classmethod
    def from_spki(cls, der: bytes) -> "PublicKey":
        out = c_void_p()
        p, n = _in(der)
        check(lib.gamecrypt_public_key_from_spki_der(p, n, byref(out)), "public_key_from_spki_der")
        return cls(out)

    @classmethod
    def from_raw(cls, key_type: int, raw: bytes) -> "PublicKey":
        out = c_void_p()
        p, n = _in(raw)
        check(lib.gamecrypt_public_key_from_raw(key_type, p, n, byref(out)), "public_key_from_raw")
        return cls(out)

    def spki(self) -> bytes:
        return _out(lib.gamecrypt_public_key_to_spki_der, self.ptr, cap=128)

    def raw(self) -> bytes:
        return _out(lib.gamecrypt_public_key_to_raw, self.ptr, cap=128)

    def fingerprint(self) -> bytes:
        buf = (c_uint8 * 32)()
        check(lib.gamecrypt_public_key_fingerprint(self.ptr, ctypes.cast(buf, u8p), 32), "fingerprint")
        return bytes(buf)


class SigningKey(_Handle):
    """gamecrypt_signing_key handle."""

    _free = staticmethod(lambda p: lib.gamecrypt_signing_key_free(p))

    @classmethod
    def generate(cls, key_type: int) -> "SigningKey":
        out = c_void_p()
        check(lib.gamecrypt_signing_key_generate(key_type, byref(out)), "signing_key_generate")
        return cls(out)

    @classmethod
    def from_der(cls, der: bytes) -> "SigningKey":
        out = c_void_p()
        p, n = _in(der)
        check(lib.gamecrypt_signing_key_from_der(p, n, byref(out)), "signing_key_from_der")
        return cls(out)

    def pkcs8(self) -> bytes:
        return _out(lib.gamecrypt_signing_key_to_pkcs8_der, self.ptr, cap=256)

    def public_key(self) -> PublicKey:
        out = c_void_p()
        check(lib.gamecrypt_signing_key_public_key(self.ptr, byref(out)), "signing_key_public_key")
        return PublicKey(out)


def _signing_key(k) -> SigningKey:
    """A SigningKey handle, or PKCS#8 DER bytes imported into one."""
    return k if isinstance(k, SigningKey) else SigningKey.from_der(k)


def _public_key(k) -> PublicKey:
    """A PublicKey handle, or SubjectPublicKeyInfo DER bytes imported into one."""
    return k if isinstance(k, PublicKey) else PublicKey.from_spki(k)


class ServerConfig(_Handle):
    _free = staticmethod(lambda p: lib.gamecrypt_server_config_free(p))

    def __init__(
        self,
        identity,
        suites=None,
        certificate: bytes | None = None,
        client_auth: tuple | None = None,
        retry_period: int | None = None,
        retry_secret: bytes | None = None,
        retry_rotation: int | None = None,
        now=None,
    ):
        """identity: a SigningKey or PKCS#8 DER. client_auth: (signature_mode, token_mode),
        each "none" / "optional" / "required" or a number. now: int or callable (the retry
        clock)."""
        b = c_void_p()
        key = _signing_key(identity)
        check(lib.gamecrypt_server_config_builder_new(key.ptr, byref(b)), "server_config_builder_new")
        self._clock = None
        try:
            if suites is not None:
                arr = (c_uint32 * len(suites))(*suites)
                check(lib.gamecrypt_server_config_builder_set_suites(b, arr, len(suites)), "set_suites")
            if certificate is not None:
                p, n = _in(certificate)
                check(lib.gamecrypt_server_config_builder_set_certificate(b, p, n), "set_certificate")
            if client_auth is not None:
                sm, tm = (AUTH_MODE.get(m, m) for m in client_auth)
                check(lib.gamecrypt_server_config_builder_set_client_auth(b, sm, tm), "set_client_auth")
            if retry_period is not None:
                check(lib.gamecrypt_server_config_builder_set_retry(b, retry_period), "set_retry")
            if retry_secret is not None:
                p, n = _in(retry_secret)
                check(lib.gamecrypt_server_config_builder_set_retry_secret(b, p, n), "set_retry_secret")
            if retry_rotation is not None:
                check(lib.gamecrypt_server_config_builder_set_retry_rotation(b, retry_rotation), "set_retry_rotation")
            if now is not None:
                self._clock = CLOCK_FN(lambda _ctx: now() if callable(now) else now)
                check(lib.gamecrypt_server_config_builder_set_clock(b, self._clock, None), "server set_clock")
            out = c_void_p()
            check(lib.gamecrypt_server_config_builder_build(b, byref(out)), "server build")
        finally:
            lib.gamecrypt_server_config_builder_free(b)
        super().__init__(out)

    def check_client_hello(self, address: bytes, datagram: bytes):
        """(action name, retry bytes): ACCEPT / SEND_RETRY / DROP (section 22.4)."""
        ap, an = _in(address)
        dp, dn = _in(datagram)
        action = c_uint32(0)
        out = _out(
            lambda *a: lib.gamecrypt_server_config_check_client_hello(self.ptr, ap, an, dp, dn, *a, byref(action)),
            cap=lib.gamecrypt_retry_len(),
        )
        return RETRY_ACTION_NAME[action.value], out

    def rotate_retry_secret(self, secret: bytes | None = None) -> None:
        if secret is None:
            check(lib.gamecrypt_server_config_rotate_retry_secret(self.ptr), "rotate_retry_secret")
        else:
            p, n = _in(secret)
            check(lib.gamecrypt_server_config_rotate_retry_secret_to(self.ptr, p, n), "rotate_retry_secret_to")


class ClientConfig(_Handle):
    _free = staticmethod(lambda p: lib.gamecrypt_client_config_free(p))

    def __init__(self, ptr, clock=None):
        super().__init__(ptr)
        self._clock = clock  # keep the ctypes callback alive

    @classmethod
    def _build(
        cls, ctor, anchor, suites=None, server_name=None, now=None, client_key=None, token=None,
        dangerous_accept_any_server_name=False,
    ):
        b = c_void_p()
        if ctor is lib.gamecrypt_client_config_builder_new_pinned_fingerprint:
            p, n = _in(anchor)
            check(ctor(p, n, byref(b)), ctor.__name__)
        else:
            key = _public_key(anchor)
            check(ctor(key.ptr, byref(b)), ctor.__name__)
        clock = None
        try:
            if suites is not None:
                arr = (c_uint32 * len(suites))(*suites)
                check(lib.gamecrypt_client_config_builder_set_suites(b, arr, len(suites)), "set_suites")
            if server_name is not None:
                if isinstance(server_name, str):
                    server_name = server_name.encode()
                check(lib.gamecrypt_client_config_builder_set_server_name(b, server_name), "set_server_name")
            if dangerous_accept_any_server_name:
                check(
                    lib.gamecrypt_client_config_builder_dangerous_accept_any_server_name(b),
                    "dangerous_accept_any_server_name",
                )
            if now is not None:
                clock = CLOCK_FN(lambda _ctx: now() if callable(now) else now)
                check(lib.gamecrypt_client_config_builder_set_clock(b, clock, None), "set_clock")
            if client_key is not None:
                k = _signing_key(client_key)
                check(lib.gamecrypt_client_config_builder_set_client_key(b, k.ptr), "set_client_key")
            if token is not None:
                p, n = _in(token)
                check(lib.gamecrypt_client_config_builder_set_token(b, p, n), "set_token")
            out = c_void_p()
            check(lib.gamecrypt_client_config_builder_build(b, byref(out)), "client build")
        finally:
            lib.gamecrypt_client_config_builder_free(b)
        return cls(out, clock)

    @classmethod
    def pinned_key(cls, spki, **kw):
        """spki: a PublicKey or SubjectPublicKeyInfo DER."""
        return cls._build(lib.gamecrypt_client_config_builder_new_pinned_key, spki, **kw)

    @classmethod
    def pinned_fingerprint(cls, fp: bytes, **kw):
        return cls._build(lib.gamecrypt_client_config_builder_new_pinned_fingerprint, fp, **kw)

    @classmethod
    def root(cls, spki, **kw):
        """spki: a PublicKey or SubjectPublicKeyInfo DER."""
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
    def server(cls, config: ServerConfig, mode: str = "datagram", address: bytes | None = None):
        out = c_void_p()
        if address is None:
            check(lib.gamecrypt_session_new_server(config.ptr, MODE[mode], byref(out)), "new_server")
        else:
            p, n = _in(address)
            check(
                lib.gamecrypt_session_new_server_for_address(config.ptr, MODE[mode], p, n, byref(out)),
                "new_server_for_address",
            )
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
        """The server identity key as SubjectPublicKeyInfo DER."""
        out = c_void_p()
        check(lib.gamecrypt_session_server_public_key(self.ptr, byref(out)), "server_public_key")
        return PublicKey(out).spki()

    def update_keys(self) -> None:
        check(lib.gamecrypt_session_update_keys(self.ptr), "update_keys")

    def key_generation(self) -> int:
        g = c_uint64()
        check(lib.gamecrypt_session_key_generation(self.ptr, byref(g)), "key_generation")
        return g.value

    def client_public_key(self):
        """The client's key as a PublicKey handle, or None when it sent no signature."""
        out = c_void_p()
        check(lib.gamecrypt_session_client_public_key(self.ptr, byref(out)), "client_public_key")
        return PublicKey(out) if out.value else None

    def client_token(self) -> bytes:
        return _out(lib.gamecrypt_session_client_token, self.ptr, cap=lib.gamecrypt_client_token_max_len())

    def accept(self) -> None:
        check(lib.gamecrypt_session_accept(self.ptr), "accept")

    def release_client_credentials(self) -> None:
        check(lib.gamecrypt_session_release_client_credentials(self.ptr), "release_client_credentials")

    def reject(self) -> bytes:
        return _out(lib.gamecrypt_session_reject, self.ptr, cap=64)


def is_handshake_message(data: bytes) -> bool:
    p, n = _in(data)
    return bool(lib.gamecrypt_session_is_handshake_message(p, n))


def certificate_issue(root, server_key, name, not_before: int, not_after: int) -> bytes:
    """root: SigningKey or PKCS#8 DER; server_key: PublicKey or SPKI DER."""
    if isinstance(name, str):
        name = name.encode()
    r = _signing_key(root)
    k = _public_key(server_key)
    return _out(lib.gamecrypt_certificate_issue, r.ptr, k.ptr, name, not_before, not_after, cap=414)


def certificate_verify(cert: bytes, root, name, now: int) -> int:
    """root: PublicKey or SPKI DER. Returns the gamecrypt_result code."""
    if isinstance(name, str):
        name = name.encode()
    k = _public_key(root)
    cp, cn = _in(cert)
    return lib.gamecrypt_certificate_verify(cp, cn, k.ptr, name, now)


def certificate_validity(cert: bytes):
    nb, na = c_uint64(), c_uint64()
    p, n = _in(cert)
    check(lib.gamecrypt_certificate_validity(p, n, byref(nb), byref(na)), "certificate_validity")
    return nb.value, na.value


def certificate_server_name(cert: bytes) -> bytes:
    p, n = _in(cert)
    return _out(lib.gamecrypt_certificate_server_name, p, n)


def certificate_public_key(cert: bytes) -> bytes:
    """The certificate's server key as SubjectPublicKeyInfo DER."""
    p, n = _in(cert)
    out = c_void_p()
    check(lib.gamecrypt_certificate_public_key(p, n, byref(out)), "certificate_public_key")
    return PublicKey(out).spki()


def generate_signing_key(key_type: int):
    """(pkcs8_der, spki_der) of a key generated by the library."""
    k = SigningKey.generate(key_type)
    return k.pkcs8(), k.public_key().spki()


# The connection endpoint (docs/ENDPOINT.md)
class EndpointEvent(ctypes.Structure):
    _fields_ = [
        ("kind", c_uint32),
        ("close_reason", c_uint32),
        ("peer", c_uint64),
        ("suite", c_uint32),
        ("code", R),
        ("has_fingerprint", c_bool),
        ("fingerprint", c_uint8 * 32),
        ("data_len", c_size_t),
    ]


EVENT_NAME = {
    CONST[f"GAMECRYPT_ENDPOINT_EVENT_{n}"]: n
    for n in ("NONE", "CONNECTED", "DATA", "CLIENT_CREDENTIALS", "CLOSED")
}
CLOSE_NAME = {
    CONST[f"GAMECRYPT_ENDPOINT_CLOSE_{n}"]: n
    for n in ("PEER_CLOSED", "IDLE_TIMEOUT", "HANDSHAKE_TIMEOUT", "REJECTED", "FAILED", "LOCAL", "REPLACED")
}

_sig("gamecrypt_endpoint_new_client", R, c_void_p, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_endpoint_new_server", R, c_void_p, c_void_p, POINTER(c_void_p))
_sig("gamecrypt_endpoint_free", None, c_void_p)
_sig("gamecrypt_endpoint_connect", R, c_void_p, c_uint64, u8p, c_size_t, POINTER(c_uint64))
_sig("gamecrypt_endpoint_receive", R, c_void_p, c_uint64, u8p, c_size_t, u8p, c_size_t)
_sig("gamecrypt_endpoint_handle_timeout", R, c_void_p, c_uint64)
_sig(
    "gamecrypt_endpoint_poll_transmit", R, c_void_p, u8p, c_size_t, szp, u8p, c_size_t, szp
)
_sig("gamecrypt_endpoint_poll_event", R, c_void_p, POINTER(EndpointEvent), u8p, c_size_t, szp)
_sig("gamecrypt_endpoint_send", R, c_void_p, c_uint64, c_uint64, u8p, c_size_t)
_sig("gamecrypt_endpoint_close", R, c_void_p, c_uint64, c_uint64)


class Endpoint(_Handle):
    """A client or server endpoint; events are (name, peer, data or close reason)."""

    _free = staticmethod(lambda p: lib.gamecrypt_endpoint_free(p))

    def __init__(self, ptr, config):
        super().__init__(ptr)
        self.config = config

    @classmethod
    def client(cls, config: ClientConfig):
        out = c_void_p()
        check(lib.gamecrypt_endpoint_new_client(config.ptr, None, byref(out)), "endpoint_new_client")
        return cls(out, config)

    @classmethod
    def server(cls, config: ServerConfig):
        out = c_void_p()
        check(lib.gamecrypt_endpoint_new_server(config.ptr, None, byref(out)), "endpoint_new_server")
        return cls(out, config)

    def connect(self, now: int, addr: bytes) -> int:
        peer = c_uint64()
        p, n = _in(addr)
        check(lib.gamecrypt_endpoint_connect(self.ptr, now, p, n, byref(peer)), "connect")
        return peer.value

    def receive(self, now: int, addr: bytes, datagram: bytes) -> None:
        ap, an = _in(addr)
        dp, dn = _in(datagram)
        check(lib.gamecrypt_endpoint_receive(self.ptr, now, ap, an, dp, dn), "receive")

    def handle_timeout(self, now: int) -> None:
        check(lib.gamecrypt_endpoint_handle_timeout(self.ptr, now), "handle_timeout")

    def transmits(self):
        """Every queued datagram as (addr, bytes)."""
        out = []
        while True:
            addr = (c_uint8 * 128)()
            buf = (c_uint8 * 65536)()
            alen, dlen = c_size_t(0), c_size_t(0)
            check(
                lib.gamecrypt_endpoint_poll_transmit(
                    self.ptr, ctypes.cast(addr, u8p), 128, byref(alen),
                    ctypes.cast(buf, u8p), 65536, byref(dlen),
                ),
                "poll_transmit",
            )
            if dlen.value == 0:
                return out
            out.append((bytes(addr[: alen.value]), bytes(buf[: dlen.value])))

    def events(self):
        out = []
        while True:
            ev = EndpointEvent()
            buf = (c_uint8 * 65536)()
            n = c_size_t(0)
            check(lib.gamecrypt_endpoint_poll_event(self.ptr, byref(ev), ctypes.cast(buf, u8p), 65536, byref(n)), "poll_event")
            name = EVENT_NAME[ev.kind]
            if name == "NONE":
                return out
            if name == "DATA":
                out.append((name, ev.peer, bytes(buf[: n.value])))
            elif name == "CLOSED":
                out.append((name, ev.peer, CLOSE_NAME[ev.close_reason]))
            elif name == "CONNECTED":
                out.append((name, ev.peer, bytes(ev.fingerprint) if ev.has_fingerprint else None))
            else:
                out.append((name, ev.peer, None))

    def send(self, now: int, peer: int, data: bytes) -> None:
        p, n = _in(data)
        check(lib.gamecrypt_endpoint_send(self.ptr, now, peer, p, n), "send")

    def close(self, now: int, peer: int) -> None:
        check(lib.gamecrypt_endpoint_close(self.ptr, now, peer), "close")
