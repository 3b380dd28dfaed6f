"""Key update (docs/PROTOCOL.md section 17), usage limits (18) and close (19) between the
Python implementation and the library, with the library in either role. Every packet a side
seals under generation n is checked by the Python side against the keys of section 17.1
derived independently from the generation-0 traffic secrets."""

from __future__ import annotations

import pytest
from conftest import Peer, established_pair, ffi, gc, lib_handshake_with_py_client, library_identity, python_identity

R = ffi.RESULT
OK = ffi.OK
ROLES = ["server", "client"]  # the library's role
ROLE_IDS = ["lib-server", "lib-client"]
CLASSIC = [gc.SUITE_P256, gc.SUITE_X25519]
CLASSIC_IDS = ["p256", "x25519"]


def direction(peer: Peer) -> str:
    return "c2s" if peer.role == "client" else "s2c"


_GEN0 = {}  # id(python session) -> (generation-0 KeySchedule, AEAD), kept across close


def _gen0(py):
    if py.keys is not None:
        _GEN0[id(py)] = (py.keys, py.suite.aead)
    return _GEN0[id(py)]


def keys_of_generation(py, d: str, n: int):
    """Section 17.1: key_d[n], iv_d[n] from secret_d[0] (the section 9 traffic secret)."""
    return gc.traffic_keys(gc.generation_secret(getattr(_gen0(py)[0], f"{d}_secret"), n))


def assert_generation(py, sender: Peer, pkt: bytes, n: int, kind: int = 0) -> None:
    """The packet is sealed under generation n of the sender's direction, and under no
    neighbouring generation; its type byte carries kind and key phase n mod 2."""
    assert pkt[0] == 0x40 | (kind << 1) | (n & 1), f"type {pkt[0]:#x} for generation {n}"
    d = direction(sender)
    aead = _gen0(py)[1]
    gc.open_packet(aead, *keys_of_generation(py, d, n), pkt)
    for other in (n - 1, n + 1, n + 2):
        if other >= 0:
            with pytest.raises(gc.GcError):
                gc.open_packet(aead, *keys_of_generation(py, d, other), pkt)


def confirm(c: Peer, s: Peer) -> None:
    """One packet each way: both sides know the peer uses the current generation."""
    for p in (c, s):
        if not p.is_lib:
            _gen0(p.s)
    assert c.open(s.seal(b"s")) == b"s"
    assert s.open(c.seal(b"c")) == b"c"


@pytest.mark.parametrize("mode", [gc.DATAGRAM, gc.STREAM])
@pytest.mark.parametrize("suite", CLASSIC, ids=CLASSIC_IDS)
@pytest.mark.parametrize("lib_role", ROLES, ids=ROLE_IDS)
def test_updates_started_by_both_sides(lib_role, suite, mode):
    """Six updates, started by the client, the server, and twice in a row by each; the
    peer follows when it opens the first packet of the new phase (17.4) and answers in it."""
    c, s, py = established_pair(lib_role, suite, mode)
    confirm(c, s)
    for n, who in enumerate(["c", "s", "c", "c", "s", "s"], start=1):
        updater, other = (c, s) if who == "c" else (s, c)
        assert updater.update() == OK
        assert updater.generation == n and other.generation == n - 1
        pkt = updater.seal(b"update %d" % n)
        assert_generation(py, updater, pkt, n)
        assert other.open(pkt) == b"update %d" % n
        assert other.generation == n
        back = other.seal(b"answer %d" % n)
        assert_generation(py, other, back, n)
        assert updater.open(back) == b"answer %d" % n
    # the Python side holds exactly the section 17.1 secrets of generation 6
    d_send = direction(Peer(py, "client" if isinstance(py, gc.Client) else "server"))
    d_recv = "s2c" if d_send == "c2s" else "c2s"
    assert py.send_secret == gc.generation_secret(getattr(py.keys, f"{d_send}_secret"), 6)
    assert py.recv_next_secret == gc.generation_secret(getattr(py.keys, f"{d_recv}_secret"), 7)
    assert py.recv_current == keys_of_generation(py, d_recv, 6)


@pytest.mark.parametrize("lib_role", ROLES, ids=ROLE_IDS)
def test_key_update_blocked_rule(lib_role):
    """Section 17.3: an update only when the current generation is confirmed (a packet from
    the peer authenticated under it); otherwise KEY_UPDATE_BLOCKED and nothing changes. The
    Python side applies the same rule at the same points."""
    c, s, py = established_pair(lib_role, gc.SUITE_P256, gc.DATAGRAM)
    # the client's generation 0 is confirmed by the first packet it opens from the server
    assert c.update() == R["KEY_UPDATE_BLOCKED"] and c.generation == 0
    # the server's by the ClientFinished
    assert s.update() == OK and s.generation == 1
    assert s.update() == R["KEY_UPDATE_BLOCKED"] and s.generation == 1
    # a late generation-0 packet from the client opens (previous keys) but confirms nothing
    late = c.seal(b"late")
    assert late[0] == 0x40
    assert s.open(late) == b"late" and s.generation == 1
    assert s.update() == R["KEY_UPDATE_BLOCKED"]
    assert c.update() == R["KEY_UPDATE_BLOCKED"]
    # the server's generation-1 packet moves the client, and confirms generation 1 there
    assert c.open(s.seal(b"g1")) == b"g1" and c.generation == 1
    assert s.update() == R["KEY_UPDATE_BLOCKED"]
    assert c.update() == OK and c.generation == 2
    assert c.update() == R["KEY_UPDATE_BLOCKED"]
    # the client's generation-2 packet moves the server to 2 and confirms it there
    pkt = c.seal(b"g2")
    assert_generation(py, c, pkt, 2)
    assert s.open(pkt) == b"g2" and s.generation == 2
    assert s.update() == OK and s.generation == 3
    assert c.open(s.seal(b"g3")) == b"g3" and c.generation == 3
    # blocked is not fatal: data still flows both ways
    assert s.open(c.seal(b"still")) == b"still"
    assert c.state == s.state == "ESTABLISHED"


def test_key_update_wrong_state_and_after_close():
    """Before the handshake ends: WRONG_STATE; after close: SESSION_CLOSED, for the update
    and the generation query (section 19), on both implementations."""
    ident = library_identity(gc.KEY_TYPE_ED25519)
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8), "datagram")
    client = gc.Client([gc.SUITE_X25519], pinned_key=ident.public)
    assert ffi.result_of(server.update_keys) == R["WRONG_STATE"]
    assert ffi.result_of(server.key_generation) == R["WRONG_STATE"]
    assert Peer(client, "client").update() == R["WRONG_STATE"]
    lib_handshake_with_py_client(client, server)
    assert server.key_generation() == 0
    server.close()
    for f in (server.update_keys, server.key_generation, server.suite, server.server_public_key):
        assert ffi.result_of(f) == R["SESSION_CLOSED"], f
    client.close()
    assert Peer(client, "client").update() == R["SESSION_CLOSED"]


@pytest.mark.parametrize("suite", CLASSIC, ids=CLASSIC_IDS)
@pytest.mark.parametrize("updater_is_lib", [True, False], ids=["lib-updates", "py-updates"])
@pytest.mark.parametrize("lib_role", ROLES, ids=ROLE_IDS)
def test_old_phase_packets_in_flight(lib_role, updater_is_lib, suite):
    """Datagram mode, section 17.4: packets of the previous generation still in flight, in
    both directions and in any order around the switch, open with the previous keys."""
    c, s, py = established_pair(lib_role, suite, gc.DATAGRAM)
    confirm(c, s)
    updater, other = (c, s) if c.is_lib == updater_is_lib else (s, c)
    own_old = updater.seal(b"own old")  # the updater's last generation-0 packet
    peer_old = [other.seal(b"peer old %d" % i) for i in range(3)]  # the peer's, in flight
    assert updater.update() == OK
    new = updater.seal(b"new")
    assert_generation(py, updater, new, 1)
    # a late packet of the peer arrives first: low_1 is none, the previous keys open it
    assert updater.open(peer_old[1]) == b"peer old 1"
    assert updater.generation == 1
    # the peer learns the update from `new`, then gets the updater's older packet
    assert other.open(new) == b"new" and other.generation == 1
    assert other.open(own_old) == b"own old"
    assert other.generation == 1
    answer = other.seal(b"answer")
    assert_generation(py, other, answer, 1)
    assert updater.open(answer) == b"answer"
    # older than low_1: the previous keys are still kept (datagram mode, within W)
    assert updater.open(peer_old[2]) == b"peer old 2"
    assert updater.open(peer_old[0]) == b"peer old 0"
    assert updater.code("open", peer_old[0]) == R["PACKET_REPLAYED"]
    assert other.code("open", own_old) == R["PACKET_REPLAYED"]
    assert updater.generation == other.generation == 1
    confirm(c, s)


@pytest.mark.parametrize("lib_role", ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize("updater_is_lib", [True, False], ids=["lib-updates", "py-updates"])
def test_answer_lost_then_peer_updates_again(lib_role, updater_is_lib):
    """Section 17.4, the case "low_g none: previous keys, then next keys": the peer answered
    the update and at once started the next one, but the answer was lost; the updater opens
    the peer's generation-2 packet with its next keys and follows. The lost generation-1
    answer arriving afterwards opens with the previous keys; a generation-0 packet then
    fails authentication (g - 2)."""
    c, s, py = established_pair(lib_role, gc.SUITE_X25519, gc.DATAGRAM)
    confirm(c, s)
    updater, other = (c, s) if c.is_lib == updater_is_lib else (s, c)
    ancient = other.seal(b"generation 0")
    assert updater.update() == OK
    assert other.open(updater.seal(b"u1")) == b"u1" and other.generation == 1
    lost = other.seal(b"lost answer")
    assert_generation(py, other, lost, 1)
    assert other.update() == OK and other.generation == 2
    g2 = other.seal(b"generation 2")
    assert_generation(py, other, g2, 2)
    assert updater.generation == 1
    assert updater.open(g2) == b"generation 2"
    assert updater.generation == 2
    assert updater.open(lost) == b"lost answer"
    assert updater.code("open", ancient) == R["PACKET_AUTH_FAILED"]
    assert updater.state == "ESTABLISHED"
    # the updater answers in generation 2
    back = updater.seal(b"back")
    assert_generation(py, updater, back, 2)
    assert other.open(back) == b"back"


@pytest.mark.parametrize("lib_role", ROLES, ids=ROLE_IDS)
def test_simultaneous_updates(lib_role):
    """Section 17.3: both endpoints start an update at the same time and end in the same
    generation (each opens the other's packet with its current keys)."""
    c, s, py = established_pair(lib_role, gc.SUITE_P256, gc.DATAGRAM)
    confirm(c, s)
    assert c.update() == OK and s.update() == OK
    pc, ps = c.seal(b"from c"), s.seal(b"from s")
    assert_generation(py, c, pc, 1)
    assert_generation(py, s, ps, 1)
    assert s.open(pc) == b"from c" and c.open(ps) == b"from s"
    assert c.generation == s.generation == 1
    assert c.update() == OK and s.update() == OK  # both confirmed generation 1
    assert s.open(c.seal(b"x")) == b"x" and c.open(s.seal(b"y")) == b"y"
    assert c.generation == s.generation == 2


@pytest.mark.parametrize("closer_is_lib", [True, False], ids=["lib-closes", "py-closes"])
@pytest.mark.parametrize("mode", [gc.DATAGRAM, gc.STREAM])
@pytest.mark.parametrize("lib_role", ROLES, ids=ROLE_IDS)
def test_close_under_phase_1(lib_role, mode, closer_is_lib):
    """Section 19: after an update the close packet has type 0x43 (generation 1) or 0x42
    (generation 3 has phase 1 too: 0x43); the receiver reports PEER_CLOSED, then
    SESSION_CLOSED for every call."""
    c, s, py = established_pair(lib_role, gc.SUITE_P256, mode)
    confirm(c, s)
    closer, other = (c, s) if c.is_lib == closer_is_lib else (s, c)
    for _ in range(3):  # to generation 3, started by the closer's peer
        assert other.update() == OK
        assert closer.open(other.seal(b"u")) == b"u"
        assert other.open(closer.seal(b"a")) == b"a"
    assert closer.generation == 3
    close = closer.close()
    assert len(close) == 24
    assert_generation(py, closer, close, 3, kind=1)
    assert close[0] == 0x43
    assert other.code("open", close) == R["PEER_CLOSED"]
    assert other.state == closer.state == "CLOSED"
    for peer in (closer, other):
        assert peer.code("open", close) == R["SESSION_CLOSED"]
        assert peer.code("seal", b"x") == R["SESSION_CLOSED"]
        assert peer.update() == R["SESSION_CLOSED"]
        assert peer.code("close") == R["SESSION_CLOSED"]


@pytest.mark.parametrize("lib_role", ROLES, ids=ROLE_IDS)
def test_late_close_of_the_previous_generation(lib_role):
    """Section 17.4: "A close packet of any generation closes the session": a close sealed
    under generation 0 (0x42) reaches a peer that has moved to generation 1."""
    for closer_is_lib in (True, False):
        c, s, py = established_pair(lib_role, gc.SUITE_X25519, gc.DATAGRAM)
        confirm(c, s)
        closer, other = (c, s) if c.is_lib == closer_is_lib else (s, c)
        assert other.update() == OK
        switch = other.seal(b"switch")  # not yet delivered
        close = closer.close()
        assert_generation(py, closer, close, 0, kind=1)
        assert other.code("open", close) == R["PEER_CLOSED"]
        assert other.code("open", switch) == R["SESSION_CLOSED"]


def test_tampered_key_phase_bit():
    """Flipping the key phase bit (0x40 <-> 0x41) changes the AAD: the receiver tries the
    other generation's keys and the packet fails authentication; nothing moves."""
    c, s, py = established_pair("server", gc.SUITE_P256, gc.DATAGRAM)
    confirm(c, s)
    good = c.seal(b"data")
    bad = bytes([good[0] ^ 1]) + good[1:]
    assert s.code("open", bad) == R["PACKET_AUTH_FAILED"]
    assert s.generation == 0
    assert s.open(good) == b"data"
    assert s.update() == OK
    good = s.seal(b"data")
    assert c.code("open", bytes([good[0] ^ 1]) + good[1:]) == R["PACKET_AUTH_FAILED"]
    assert c.generation == 0
    assert c.open(good) == b"data" and c.generation == 1


@pytest.mark.parametrize("lib_role", ROLES, ids=ROLE_IDS)
def test_python_usage_limit_updates_followed_by_the_library(lib_role):
    """Section 18 with a small confidentiality limit on the Python sender (C = 8 units):
    above C - C/4 = 6 units it updates by itself when allowed; at C without confirmation it
    refuses with KeyUpdateBlocked; a close is always sealed. The library follows every
    automatic update. Units: max(1, ceil(n / 65536))."""
    c, s, py = established_pair(lib_role, gc.SUITE_P256, gc.DATAGRAM, confidentiality_limit=8)
    lib = c if c.is_lib else s
    me = s if c.is_lib else c
    assert gc.units_of(0) == gc.units_of(65536) == 1 and gc.units_of(65537) == 2
    assert lib.open(me.seal(b"")) == b""  # server side: generation 0 confirmed by the CF
    assert me.open(lib.seal(b"confirm")) == b"confirm"
    big = bytes(65537)  # 2 units
    for _ in range(2):
        assert lib.open(me.seal(big)) == big
    assert py.units == 1 + 4 and py.generation == 0
    assert lib.open(me.seal(b"x")) == b"x"  # 6 units: not above 6
    assert py.generation == 0
    pkt = me.seal(b"y")  # 6 + 1 > 6: automatic update
    assert py.generation == 1 and py.units == 1
    assert_generation(py, me, pkt, 1)
    assert lib.open(pkt) == b"y" and lib.generation == 1
    # no answer yet: generation 1 is not confirmed, so no second update; at C: blocked
    for _ in range(5):
        assert lib.open(me.seal(b"z")) == b"z"
    assert py.units == 6
    assert lib.open(me.seal(big)) == big  # 8 units = C: still allowed
    assert me.code("seal", b"w") == R["KEY_UPDATE_BLOCKED"]
    assert py.generation == 1 and py.state == gc.ESTABLISHED
    # the library's answer confirms generation 1: the next seal updates again
    assert me.open(lib.seal(b"answer")) == b"answer"
    pkt = me.seal(b"w")
    assert py.generation == 2
    assert_generation(py, me, pkt, 2)
    assert lib.open(pkt) == b"w" and lib.generation == 2
    # blocked again at C, but a close is always sealed
    for _ in range(7):
        lib.open(me.seal(b"f"))
    assert me.code("seal", b"f") == R["KEY_UPDATE_BLOCKED"]
    close = me.close()
    assert close[0] == 0x42
    assert lib.code("open", close) == R["PEER_CLOSED"]


def test_library_packet_numbers_continue_across_updates():
    """Section 17.1: one packet number counter per direction for the whole session."""
    c, s, py = established_pair("client", gc.SUITE_X25519, gc.STREAM)
    confirm(c, s)
    numbers = []
    for i in range(4):
        assert c.update() == OK
        for _ in range(2):
            pkt = c.seal(b"n")
            numbers.append(int.from_bytes(pkt[1:8], "big"))
            assert s.open(pkt) == b"n"
        assert c.open(s.seal(b"ok")) == b"ok"
    assert numbers == list(range(2, 10))  # CF 0, first data 1 (confirm)


@pytest.mark.parametrize("suite", [gc.SUITE_HYBRID_ED25519, gc.SUITE_HYBRID_P256], ids=["hybrid-ed25519", "hybrid-p256"])
def test_key_update_after_hybrid_handshake(suite):
    for lib_role in ROLES:
        c, s, py = established_pair(lib_role, suite, gc.DATAGRAM)
        confirm(c, s)
        assert s.update() == OK
        pkt = s.seal(b"pq")
        assert_generation(py, s, pkt, 1)
        assert c.open(pkt) == b"pq" and c.generation == 1


def test_python_integrity_limit_counts_every_candidate():
    """Section 18, receiver (Python side; the library's limits 2^36 / 2^52 cannot be reached
    in a test): every failed AEAD attempt counts, two for a packet tried with the previous
    and the next keys (17.4, low_g none); at the limit the session fails."""
    c, s, py = established_pair("client", gc.SUITE_X25519, gc.DATAGRAM, integrity_limit=3)
    confirm(c, s)
    assert s.update() == OK  # Python server at generation 1, low_1 none
    forged = c.seal(b"f")  # phase 0, the library client is still at generation 0
    forged = forged[:-1] + bytes([forged[-1] ^ 1])
    assert s.code("open", forged) == R["PACKET_AUTH_FAILED"]
    assert py.failed_opens == 2 and py.state == gc.ESTABLISHED
    forged2 = c.seal(b"g")
    forged2 = forged2[:-1] + bytes([forged2[-1] ^ 1])
    assert s.code("open", forged2) == R["INTEGRITY_LIMIT_REACHED"]
    assert py.state == gc.FAILED
    assert s.code("open", c.seal(b"h")) == R["SESSION_FAILED"]


def test_close_in_need_accept_writes_nothing():
    """Section 19 allows a close packet once established; a server in NEED_ACCEPT that
    closes instead of rejecting writes nothing and is CLOSED (library and Python alike,
    like a close during the handshake; see SPEC_GAPS.md)."""
    ident = library_identity(gc.KEY_TYPE_P256)
    server = ffi.Session.server(ffi.ServerConfig(ident.pkcs8, client_auth=("optional", "optional")), "datagram")
    client = gc.Client(pinned_key=ident.public)
    server.read_handshake(client.write_handshake())
    client.read_handshake(server.write_handshake())
    server.read_handshake(client.write_handshake())
    assert server.state == "NEED_ACCEPT"
    assert server.close() == b""
    assert server.state == "CLOSED"
    assert ffi.result_of(server.accept) == R["SESSION_CLOSED"]
    py = gc.Server(python_identity(gc.KEY_TYPE_P256).private, signature_mode=1)
    c2 = gc.Client(pinned_key=py.identity_key.public_key())
    py.read_handshake(c2.write_handshake())
    c2.read_handshake(py.write_handshake())
    py.read_handshake(c2.write_handshake())
    assert py.close() == b"" and py.state == gc.CLOSED
