extends RefCounted
## Tests of the GameCrypt classes in the engine, including interoperability with Godot's own
## Crypto, CryptoKey and HashingContext. Run by run_tests.gd.

var failures: Array[String] = []
var checks := 0


func check(condition: bool, what: String) -> void:
	checks += 1
	if not condition:
		failures.append(what)


func test_hash_matches_known_vectors_and_godot() -> void:
	var abc := "abc".to_utf8_buffer()
	check(
		GameCrypt.hash(GameCrypt.SHA256, abc).hex_encode()
		== "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"sha256(abc)"
	)
	check(GameCrypt.hash(GameCrypt.SHA384, abc).size() == 48, "sha384 length")
	check(
		GameCrypt.hash(GameCrypt.SHA512, abc).hex_encode().begins_with("ddaf35a193617aba"),
		"sha512(abc)"
	)
	var data := GameCrypt.random_bytes(1000)
	var godot_ctx := HashingContext.new()
	godot_ctx.start(HashingContext.HASH_SHA256)
	godot_ctx.update(data)
	check(GameCrypt.hash(GameCrypt.SHA256, data) == godot_ctx.finish(), "same as HashingContext")
	for alg in [GameCrypt.SHA256, GameCrypt.SHA384, GameCrypt.SHA512]:
		var ctx := GameCryptHashingContext.new()
		check(ctx.start(alg) == OK, "start")
		ctx.update(data.slice(0, 300))
		ctx.update(data.slice(300))
		check(ctx.finish() == GameCrypt.hash(alg, data), "streaming equals one-shot %d" % alg)
	check(GameCrypt.hash(99, abc).is_empty(), "unknown algorithm gives an empty array")
	check(GameCrypt.get_last_error() != "", "unknown algorithm leaves a message")
	check(GameCrypt.get_last_error_code() == ERR_INVALID_PARAMETER, "unknown algorithm error")
	var unstarted := GameCryptHashingContext.new()
	check(unstarted.update(abc) == ERR_UNCONFIGURED, "update before start")


func test_hmac_hkdf_pbkdf2() -> void:
	var key := "key".to_utf8_buffer()
	var msg := "The quick brown fox jumps over the lazy dog".to_utf8_buffer()
	var tag := GameCrypt.hmac(GameCrypt.SHA256, key, msg)
	check(
		tag.hex_encode() == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
		"hmac-sha256 vector"
	)
	check(tag == Crypto.new().hmac_digest(HashingContext.HASH_SHA256, key, msg), "same as Godot")
	check(GameCrypt.hmac_verify(GameCrypt.SHA256, key, msg, tag), "hmac_verify")
	var bad := tag.duplicate()
	bad[0] ^= 1
	check(not GameCrypt.hmac_verify(GameCrypt.SHA256, key, msg, bad), "hmac_verify bad tag")
	var ctx := GameCryptHmacContext.new()
	ctx.start(GameCrypt.SHA256, key)
	ctx.update(msg)
	check(ctx.verify(tag), "streaming hmac verify")
	var ikm := PackedByteArray()
	ikm.resize(22)
	ikm.fill(0x0b)
	var okm := GameCrypt.hkdf(
		GameCrypt.SHA256, ikm, "000102030405060708090a0b0c".hex_decode(),
		"f0f1f2f3f4f5f6f7f8f9".hex_decode(), 42
	)
	check(
		okm.hex_encode() == (
			"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
		),
		"RFC 5869 test case 1"
	)
	var dk := GameCrypt.pbkdf2_sha256("password".to_utf8_buffer(), "salt".to_utf8_buffer(), 1, 32)
	check(
		dk.hex_encode() == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
		"PBKDF2 vector"
	)
	check(GameCrypt.pbkdf2_sha256(PackedByteArray(), PackedByteArray(), 0, 32).is_empty(), "0 rounds")


func test_random_and_compare() -> void:
	var a := GameCrypt.random_bytes(32)
	var b := GameCrypt.random_bytes(32)
	check(a.size() == 32 and a != b, "random bytes")
	check(GameCrypt.constant_time_compare(a, a.duplicate()), "equal")
	check(not GameCrypt.constant_time_compare(a, b), "different")
	check(not GameCrypt.constant_time_compare(a, a.slice(0, 31)), "different lengths")
	check(GameCrypt.random_bytes(-1).is_empty(), "negative size")


func test_signing_keys_round_trip() -> void:
	var msg := "level data".to_utf8_buffer()
	for key_type in [
		GameCryptSigningKey.KEY_ECDSA_P256,
		GameCryptSigningKey.KEY_ECDSA_P384,
		GameCryptSigningKey.KEY_ED25519
	]:
		var key := GameCryptSigningKey.generate(key_type)
		check(key != null and key.is_valid(), "generate %d" % key_type)
		var public_key := key.get_public_key()
		var sig := key.sign(msg)
		check(public_key.verify(msg, sig), "verify %d" % key_type)
		check(not public_key.verify("other".to_utf8_buffer(), sig), "wrong message %d" % key_type)
		check(not public_key.verify(msg, PackedByteArray([1, 2, 3])), "garbage signature")
		var again := GameCryptSigningKey.new()
		check(again.load_from_string(key.save_to_string()) == OK, "PEM round trip")
		check(again.get_public_key().equals(public_key), "same key after PEM")
		var from_der := GameCryptSigningKey.new()
		check(from_der.load_from_der(key.save_to_der()) == OK, "DER round trip")
		var pub2 := GameCryptPublicKey.new()
		check(pub2.load_from_string(public_key.save_to_string()) == OK, "public PEM")
		check(pub2.get_fingerprint() == public_key.get_fingerprint(), "same fingerprint")
		check(
			public_key.get_fingerprint() == GameCrypt.hash(GameCrypt.SHA256, public_key.save_to_der()),
			"fingerprint is SHA-256 of the SPKI"
		)
		var raw := GameCryptPublicKey.new()
		check(raw.load_from_raw(key_type, public_key.get_raw()) == OK, "raw round trip")
	var ed := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ED25519)
	var p256 := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ECDSA_P256)
	var fixed := p256.sign(msg, GameCryptSigningKey.SIGNATURE_ECDSA_FIXED)
	check(fixed.size() == 64, "fixed r||s")
	check(
		p256.get_public_key().verify(msg, fixed, GameCryptSigningKey.SIGNATURE_ECDSA_FIXED),
		"verify fixed"
	)
	check(ed.get_public_key().get_raw().size() == 32, "ed25519 raw")
	var empty := GameCryptSigningKey.new()
	check(empty.sign(msg).is_empty(), "empty key cannot sign")
	check(empty.get_last_error().contains("no key"), "message names the problem")
	var broken := GameCryptSigningKey.new()
	check(broken.load_from_string("not a key") == ERR_PARSE_ERROR, "bad PEM")
	check(GameCryptSigningKey.generate(42) == null, "bad key type")


func test_files_through_godot() -> void:
	var key := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ED25519)
	check(key.save("user://test_key.pem") == OK, "save")
	var loaded := GameCryptSigningKey.new()
	check(loaded.load("user://test_key.pem") == OK, "load")
	check(loaded.get_public_key().equals(key.get_public_key()), "same key from file")
	check(loaded.load("user://missing.pem") != OK, "missing file")


func test_interop_with_godot_crypto_keys() -> void:
	var crypto := Crypto.new()
	var msg := "signed by Godot".to_utf8_buffer()
	var digest := GameCrypt.hash(GameCrypt.SHA256, msg)
	var godot_key := crypto.generate_rsa(2048)
	var ours := GameCryptSigningKey.new()
	check(ours.load_from_string(godot_key.save_to_string()) == OK, "CryptoKey private PEM")
	check(ours.get_key_type() == GameCryptSigningKey.KEY_RSA, "RSA")
	var godot_sig := crypto.sign(HashingContext.HASH_SHA256, digest, godot_key)
	check(ours.get_public_key().verify(msg, godot_sig), "we verify Godot's signature")
	var our_sig := ours.sign(msg)
	check(crypto.verify(HashingContext.HASH_SHA256, digest, our_sig, godot_key), "Godot verifies ours")
	var pub := GameCryptPublicKey.new()
	check(pub.load_from_string(godot_key.save_to_string(true)) == OK, "CryptoKey public PEM")
	check(pub.verify(msg, godot_sig), "public key from Godot verifies")
	var ec := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ECDSA_P256)
	var back := CryptoKey.new()
	check(back.load_from_string(ec.save_to_string()) == OK, "Godot reads our PKCS#8 key")
	var ec_sig := crypto.sign(HashingContext.HASH_SHA256, digest, back)
	check(ec.get_public_key().verify(msg, ec_sig), "we verify Godot's ECDSA signature")


func test_sealed_boxes() -> void:
	var key := GameCryptSecretKey.new()
	check(key.generate() == OK, "generate")
	var ad := "slot 1".to_utf8_buffer()
	var box := key.seal("secret".to_utf8_buffer(), ad)
	check(key.open(box, ad).get_string_from_utf8() == "secret", "open")
	check(key.open(box).is_empty(), "other associated data")
	var tampered := box.duplicate()
	tampered[tampered.size() - 1] ^= 1
	check(key.open(tampered, ad).is_empty(), "tampered box")
	check(key.get_last_error() != "", "tampered box leaves a message")
	var other := GameCryptSecretKey.new()
	other.load_from_bytes(key.to_bytes(), GameCrypt.CHACHA20_POLY1305)
	check(other.open(box, ad).is_empty(), "key bytes under another algorithm")
	var same := GameCryptSecretKey.new()
	check(same.load_from_bytes(key.to_bytes()) == OK, "load_from_bytes")
	check(same.open(box, ad).get_string_from_utf8() == "secret", "same bytes open it")
	check(same.load_from_bytes(PackedByteArray([1, 2])) != OK, "short key")
	var pw_box := GameCrypt.seal_with_password("pw", "save".to_utf8_buffer(), ad, 1000)
	check(GameCrypt.open_with_password("pw", pw_box, ad).get_string_from_utf8() == "save", "pw")
	check(GameCrypt.open_with_password("wrong", pw_box, ad).is_empty(), "wrong password")
	check(GameCrypt.open_with_password("pw", PackedByteArray([1]), ad).is_empty(), "garbage box")


func test_certificates() -> void:
	var root := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ED25519)
	var server := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ECDSA_P256)
	var now := int(Time.get_unix_time_from_system())
	var cert := GameCryptCertificate.issue(
		root, server.get_public_key(), "eu1.example.com", now - 60, now + 3600
	)
	check(cert != null, "issue")
	check(cert.verify(root.get_public_key(), "eu1.example.com", now), "verify")
	check(not cert.verify(root.get_public_key(), "us1.example.com", now), "wrong name")
	check(not cert.verify(root.get_public_key(), "", now + 7200), "expired")
	check(not cert.verify(server.get_public_key(), "", now), "wrong root")
	var copy := GameCryptCertificate.new()
	check(copy.load_from_bytes(cert.to_bytes()) == OK, "bytes round trip")
	check(copy.get_server_name() == "eu1.example.com", "name")
	check(copy.get_public_key().equals(server.get_public_key()), "certified key")
	check(copy.load_from_bytes(PackedByteArray([1, 2, 3])) == ERR_PARSE_ERROR, "malformed")


## Runs a handshake between two GameCryptSession objects; returns [client, server].
func _handshake(
	client_config: GameCryptClientConfig, server_config: GameCryptServerConfig,
	mode := GameCryptSession.MODE_DATAGRAM
) -> Array:
	var client := GameCryptSession.new()
	var server := GameCryptSession.new()
	check(client.start_client(client_config, mode) == OK, "start_client")
	check(server.start_server(server_config, mode) == OK, "start_server")
	server.read_handshake(client.write_handshake())
	client.read_handshake(server.write_handshake())
	if client.get_state() == GameCryptSession.STATE_NEED_WRITE:
		server.read_handshake(client.write_handshake())
	return [client, server]


func test_sessions() -> void:
	var key := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ED25519)
	var server_config := GameCryptServerConfig.new()
	server_config.set_identity(key)
	var client_config := GameCryptClientConfig.new()
	client_config.pin_public_key(key.get_public_key())
	var pair := _handshake(client_config, server_config)
	var client: GameCryptSession = pair[0]
	var server: GameCryptSession = pair[1]
	check(client.is_established() and server.is_established(), "established")
	check(client.get_suite_name() != "", "suite")
	var packet := client.seal("hi".to_utf8_buffer())
	check(server.open(packet).get_string_from_utf8() == "hi", "open")
	check(server.open(packet).is_empty(), "replay dropped")
	var tampered := client.seal("x".to_utf8_buffer())
	tampered[tampered.size() - 1] ^= 1
	check(server.open(tampered).is_empty(), "tampered dropped")
	check(server.is_established(), "datagram session goes on")
	check(
		server.open(client.seal("again".to_utf8_buffer())).get_string_from_utf8() == "again",
		"later packets still open"
	)
	var bye := client.close()
	server.open(bye)
	check(server.get_state() == GameCryptSession.STATE_CLOSED, "close reaches the server")

	var wrong := GameCryptClientConfig.new()
	wrong.pin_fingerprint(GameCrypt.random_bytes(32))
	# Datagram mode: a ServerHello that fails its checks could be forged by anyone, so the
	# client drops it and keeps waiting for the real one; it never gets established.
	var dropped := GameCryptSession.new()
	check(dropped.start_client(wrong) == OK, "start_client")
	var wrong_server := GameCryptSession.new()
	check(wrong_server.start_server(server_config) == OK, "start_server")
	wrong_server.read_handshake(dropped.write_handshake())
	check(
		dropped.read_handshake(wrong_server.write_handshake()) == ERR_INVALID_DATA,
		"datagram: a ServerHello under the wrong key is dropped"
	)
	check(GameCrypt.get_last_result_code() == 327, "datagram: HandshakeMessageDropped")
	check(dropped.get_state() == GameCryptSession.STATE_NEED_READ, "datagram: still waits")
	check(dropped.seal("x".to_utf8_buffer()).is_empty(), "datagram: no session with it")
	# Stream mode: the same mismatch is fatal.
	var bad_pair := _handshake(wrong, server_config, GameCryptSession.MODE_STREAM)
	check(bad_pair[0].get_state() == GameCryptSession.STATE_FAILED, "stream: wrong pin fails")
	check(GameCrypt.get_last_error_code() == ERR_UNAUTHORIZED, "pin mismatch is unauthorized")


func test_session_client_token() -> void:
	var key := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ECDSA_P256)
	var server_config := GameCryptServerConfig.new()
	server_config.set_identity(key)
	server_config.set_client_auth(
		GameCryptServerConfig.AUTH_NONE, GameCryptServerConfig.AUTH_REQUIRED
	)
	var client_config := GameCryptClientConfig.new()
	client_config.pin_fingerprint(key.get_public_key().get_fingerprint())
	client_config.set_token("ticket".to_utf8_buffer())
	var pair := _handshake(client_config, server_config)
	var server: GameCryptSession = pair[1]
	check(server.get_state() == GameCryptSession.STATE_NEED_ACCEPT, "server waits for accept")
	check(server.get_client_token().get_string_from_utf8() == "ticket", "token")
	check(server.accept() == OK and server.is_established(), "accept")
	var no_token := GameCryptClientConfig.new()
	no_token.pin_fingerprint(key.get_public_key().get_fingerprint())
	var refused := _handshake(no_token, server_config)
	check(not refused[1].is_established(), "no token, no session")
	var empty := GameCryptSession.new()
	check(empty.seal("x".to_utf8_buffer()).is_empty(), "unstarted session")


## Delivers every queued datagram of [param from] to [param to] (optionally flipping a bit of
## the first one) and returns how many moved.
func _pump(
	from: GameCryptEndpoint, to: GameCryptEndpoint, from_addr: PackedByteArray, now: int,
	tamper_first := false
) -> int:
	var moved := 0
	while true:
		var t := from.poll_transmit()
		if t.is_empty():
			break
		var datagram: PackedByteArray = t[1]
		if tamper_first and moved == 0:
			datagram[datagram.size() - 1] ^= 1
		to.receive(now, from_addr, datagram)
		moved += 1
	return moved


func _events(endpoint: GameCryptEndpoint) -> Array:
	var out := []
	while true:
		var e := endpoint.poll_event()
		if e.is_empty():
			return out
		out.append(e)
	return out


func test_endpoint() -> void:
	var key := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ED25519)
	var server_config := GameCryptServerConfig.new()
	server_config.set_identity(key)
	var client_config := GameCryptClientConfig.new()
	client_config.pin_fingerprint(key.get_public_key().get_fingerprint())
	var server := GameCryptEndpoint.new()
	var client := GameCryptEndpoint.new()
	check(server.configure({"idle_timeout_ms": 30000}) == OK, "configure")
	check(server.configure({"no_such_setting": 1}) == ERR_INVALID_PARAMETER, "unknown setting")
	check(server.start_server(server_config) == OK, "start_server")
	check(client.start_client(client_config) == OK, "start_client")
	check(server.is_server() and not client.is_server(), "roles")
	var server_addr := "server:7000".to_utf8_buffer()
	var client_addr := "client:5000".to_utf8_buffer()
	var now := 1000
	var peer := client.connect_to(now, server_addr)
	check(peer != 0, "connect_to")
	var client_events := []
	var server_events := []
	for _round in 4:
		_pump(client, server, client_addr, now)
		_pump(server, client, server_addr, now)
		client_events += _events(client)
		server_events += _events(server)
	check(client_events.size() == 1 and client_events[0]["type"] == "connected", "client connected")
	check(
		client_events[0].get("fingerprint", PackedByteArray()) == key.get_public_key().get_fingerprint(),
		"the client sees the server's fingerprint"
	)
	check(server_events.size() == 1 and server_events[0]["type"] == "connected", "server connected")
	var server_peer: int = server_events[0]["peer"]
	check(client.send(now, peer, "hello".to_utf8_buffer()) == OK, "send")
	_pump(client, server, client_addr, now)
	var got := _events(server)
	check(got.size() == 1 and got[0]["data"].get_string_from_utf8() == "hello", "data arrives")
	check(client.send(now, peer, "forged".to_utf8_buffer()) == OK, "send 2")
	_pump(client, server, client_addr, now, true)
	check(_events(server).is_empty(), "a tampered datagram is dropped")
	check(server.send(now, server_peer, "still here".to_utf8_buffer()) == OK, "server sends")
	_pump(server, client, server_addr, now)
	got = _events(client)
	check(got.size() == 1 and got[0]["data"].get_string_from_utf8() == "still here", "goes on")
	check(client.send(now, 12345, "x".to_utf8_buffer()) != OK, "unknown peer")
	check(client.close_peer(now, peer) == OK, "close")
	_pump(client, server, client_addr, now)
	got = _events(server)
	check(
		got.size() == 1 and got[0]["type"] == "closed" and got[0]["reason"] == "peer_closed",
		"the server sees the close"
	)
	check(GameCryptEndpoint.new().send(0, 1, PackedByteArray()) == ERR_UNCONFIGURED, "unstarted")
