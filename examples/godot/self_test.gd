extends Node
## Headless self-test (run with: godot --headless --path . -- --self-test). A server and a
## client in one process, each under its own SceneMultiplayer, talk through
## GameCryptMultiplayerPeer: RPCs in every transfer mode and on extra channels both ways, a
## tampered packet rejected while the session goes on, a wrong pin and a wrong login token
## refused, then the save game and the signed level. Prints one PASS or FAIL line and quits
## with 0 or 1.

const GameData := preload("res://game_data.gd")
const Lobby := preload("res://lobby.gd")
const TOKEN := "login-ticket-42"
const TIMEOUT_MS := 10000
const WATCHDOG_S := 150
const KINDS := [
	"reliable", "unreliable", "unreliable_ordered", "reliable_channel_1", "unreliable_channel_2"
]

var _failures: Array[String] = []
var _received: Array = []
var _server_joined: Array[int] = []
var _server_left: Array[int] = []
var _client_connected := false
var _rpcs := 0


func _ready() -> void:
	# A script error inside a coroutine would stop the test without a verdict: a watchdog
	# makes sure that one FAIL line is printed and the engine exits anyway.
	get_tree().create_timer(WATCHDOG_S).timeout.connect(_on_watchdog)
	_run.call_deferred()


func _on_watchdog() -> void:
	print("FAIL gamecrypt godot self-test: no verdict after %d s (%s)" % [
		WATCHDOG_S, "; ".join(_failures) if _failures else "stuck"
	])
	get_tree().quit(1)


func _run() -> void:
	var summary: String = await _run_steps()
	if _failures.is_empty():
		print("PASS gamecrypt godot self-test: " + summary)
		get_tree().quit(0)
	else:
		print("FAIL gamecrypt godot self-test: " + "; ".join(_failures))
		get_tree().quit(1)


func _check(condition: bool, what: String) -> void:
	if not condition:
		_failures.append(what)


func _wait_until(condition: Callable, timeout_ms: int = TIMEOUT_MS) -> bool:
	var start := Time.get_ticks_msec()
	while not condition.call():
		if Time.get_ticks_msec() - start > timeout_ms:
			return false
		await get_tree().process_frame
	return true


func _make_root(root_name: String, peer: MultiplayerPeer) -> Node:
	var root := Node.new()
	root.name = root_name
	var lobby: Node = Lobby.new()
	lobby.name = "Lobby"
	root.add_child(lobby)
	# The server's lobby score reaches every client through a MultiplayerSynchronizer.
	var sync := MultiplayerSynchronizer.new()
	sync.name = "ScoreSync"
	var replication := SceneReplicationConfig.new()
	replication.add_property(NodePath(".:score"))
	sync.replication_config = replication
	sync.root_path = NodePath("..")
	lobby.add_child(sync)
	# The branch's SceneMultiplayer must be set before the branch enters the tree: a
	# MultiplayerSynchronizer registers with the multiplayer API of its path on entering.
	var api := SceneMultiplayer.new()
	get_tree().set_multiplayer(api, NodePath("%s/%s" % [get_tree().root.get_path(), root_name]))
	get_tree().root.add_child(root)
	api.multiplayer_peer = peer
	lobby.received.connect(_on_received.bind(root_name))
	return root


func _on_received(sender: int, kind: String, text: String, side: String) -> void:
	_received.append([side, sender, kind, text])


func _has(side: String, kind: String, text: String) -> bool:
	for r in _received:
		if r[0] == side and r[2] == kind and r[3] == text:
			return true
	return false


func _sender_of(side: String, text: String) -> int:
	for r in _received:
		if r[0] == side and r[3] == text:
			return r[1]
	return -1


func _admit(_peer_id: int, token: PackedByteArray, _client_key: Variant) -> bool:
	return token.get_string_from_utf8() == TOKEN


func _send(lobby: Node, kind: String, text: String) -> void:
	_rpcs += 1
	match kind:
		"reliable":
			lobby.reliable_msg.rpc(text)
		"unreliable":
			lobby.unreliable_msg.rpc(text)
		"unreliable_ordered":
			lobby.ordered_msg.rpc(text)
		"reliable_channel_1":
			lobby.channel_msg.rpc(text)
		"unreliable_channel_2":
			lobby.channel_unreliable_msg.rpc(text)


## Sends one message of [param kind] from [param from_side]; unreliable modes may lose a
## packet, so they are sent again until one arrives.
func _exchange(lobby: Node, from_side: String, kind: String, expected_sender: int) -> void:
	var to_side := "Server" if from_side == "Client" else "Client"
	var text := "%s says %s %d" % [from_side, kind, randi()]
	for _attempt in 10:
		_send(lobby, kind, text)
		if await _wait_until(_has.bind(to_side, kind, text), 1000):
			_check(
				_sender_of(to_side, text) == expected_sender,
				"%s: wrong sender %d" % [kind, _sender_of(to_side, text)]
			)
			return
		if kind.begins_with("reliable"):
			break
	_failures.append("%s from %s never arrived" % [kind, from_side])


func _refused_client(port: int, config: GameCryptClientConfig, what: String) -> void:
	var joined_before := _server_joined.size()
	var peer := GameCryptMultiplayerPeer.new()
	if peer.create_client("127.0.0.1", port, config, 2) != OK:
		_failures.append("%s: create_client failed: %s" % [what, peer.get_last_error()])
		return
	var status_of := func() -> int:
		peer.poll()
		return peer.get_connection_status()
	var refused: bool = await _wait_until(
		func() -> bool: return status_of.call() == MultiplayerPeer.CONNECTION_DISCONNECTED
	)
	_check(refused, "%s: the client was not refused" % what)
	_check(_server_joined.size() == joined_before, "%s: the server counted it as connected" % what)
	print("  refused as expected (%s): %s" % [what, peer.get_last_error()])
	peer.close()


func _run_steps() -> String:
	var server_key := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ED25519)
	var server_config := GameCryptServerConfig.new()
	_check(server_config.set_identity(server_key) == OK, "set_identity")
	_check(
		server_config.set_client_auth(
			GameCryptServerConfig.AUTH_NONE, GameCryptServerConfig.AUTH_REQUIRED
		) == OK,
		"set_client_auth"
	)
	var server_peer := GameCryptMultiplayerPeer.new()
	server_peer.set_auth_callback(_admit)
	if server_peer.create_server(0, server_config, 8, 2) != OK:
		_failures.append("create_server: " + server_peer.get_last_error())
		return ""
	var port: int = server_peer.get_host().get_local_port()
	var server_root := _make_root("Server", server_peer)
	var server_api := get_tree().get_multiplayer(server_root.get_path())
	server_api.peer_connected.connect(func(id: int) -> void: _server_joined.append(id))
	server_api.peer_disconnected.connect(func(id: int) -> void: _server_left.append(id))

	var fingerprint := server_key.get_public_key().get_fingerprint()
	var client_config := GameCryptClientConfig.new()
	_check(client_config.pin_fingerprint(fingerprint) == OK, "pin_fingerprint")
	_check(client_config.set_token(TOKEN.to_utf8_buffer()) == OK, "set_token")
	var client_peer := GameCryptMultiplayerPeer.new()
	if client_peer.create_client("127.0.0.1", port, client_config, 2) != OK:
		_failures.append("create_client: " + client_peer.get_last_error())
		return ""
	_check(
		client_peer.get_connection_status() == MultiplayerPeer.CONNECTION_CONNECTING,
		"the client must be CONNECTING before its handshake"
	)
	var client_root := _make_root("Client", client_peer)
	var client_api := get_tree().get_multiplayer(client_root.get_path())
	client_api.connected_to_server.connect(func() -> void: _client_connected = true)

	var connected: bool = await _wait_until(
		func() -> bool: return _client_connected and _server_joined.size() == 1
	)
	if not connected:
		_failures.append(
			"no connection (client: %s)" % client_peer.get_last_error()
		)
		return ""
	var client_id := client_peer.get_unique_id()
	_check(_server_joined[0] == client_id, "the server sees another client id")
	_check(
		client_peer.get_server_public_key().get_fingerprint() == fingerprint,
		"the client's server key is not the pinned one"
	)
	_check(server_peer.get_peer_token(client_id).get_string_from_utf8() == TOKEN, "token")
	print("  connected: client %d, suite %s, server key %s" % [
		client_id,
		client_peer.get_peer_suite_name(1),
		server_key.get_public_key().get_fingerprint_hex().substr(0, 16)
	])

	var server_lobby := server_root.get_node("Lobby")
	var client_lobby := client_root.get_node("Lobby")
	for kind in KINDS:
		await _exchange(client_lobby, "Client", kind, client_id)
		await _exchange(server_lobby, "Server", kind, 1)
	print("  %d RPCs sent in %d transfer modes and channels, both ways" % [_rpcs, KINDS.size()])

	server_lobby.score = 4242
	var synced: bool = await _wait_until(func() -> bool: return client_lobby.score == 4242)
	_check(synced, "MultiplayerSynchronizer did not replicate the score")

	client_lobby.post.rpc("hello lobby")
	var chatted: bool = await _wait_until(
		func() -> bool: return ("%d: hello lobby" % client_id) in server_lobby.messages
	)
	_check(chatted, "lobby chat did not reach the server")

	var rejected_before := server_peer.get_rejected_packet_count()
	client_peer.tamper_next_packet()
	client_lobby.reliable_msg.rpc("tampered")
	client_lobby.reliable_msg.rpc("after tampering")
	var went_on: bool = await _wait_until(_has.bind("Server", "reliable", "after tampering"))
	_check(went_on, "the session did not go on after a tampered packet")
	_check(not _has("Server", "reliable", "tampered"), "a tampered packet was delivered")
	_check(
		server_peer.get_rejected_packet_count() == rejected_before + 1,
		"rejected packets: %d" % (server_peer.get_rejected_packet_count() - rejected_before)
	)
	_check(
		client_peer.get_connection_status() == MultiplayerPeer.CONNECTION_CONNECTED,
		"the client dropped after the tampered packet"
	)
	print("  tampered packet rejected (%d), session went on" % server_peer.get_rejected_packet_count())

	var wrong_pin := GameCryptClientConfig.new()
	wrong_pin.pin_fingerprint(GameCrypt.random_bytes(32))
	wrong_pin.set_token(TOKEN.to_utf8_buffer())
	await _refused_client(port, wrong_pin, "wrong pinned fingerprint")
	var wrong_token := GameCryptClientConfig.new()
	wrong_token.pin_public_key(server_key.get_public_key())
	wrong_token.set_token("forged-ticket".to_utf8_buffer())
	await _refused_client(port, wrong_token, "wrong login token")

	var sealed := GameData.seal_save({"level": 3, "gold": 120}, "correct horse", 1000)
	var loaded: Variant = GameData.open_save(sealed, "correct horse")
	_check(loaded is Dictionary and int(loaded.get("gold", 0)) == 120, "save game round trip")
	_check(GameData.open_save(sealed, "wrong password") == null, "wrong password opened the save")
	var publisher := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ECDSA_P256)
	var download := GameData.sign_level({"name": "Crypt 1", "enemies": 4}, publisher)
	var level: Variant = GameData.load_level(download, publisher.get_public_key())
	_check(level is Dictionary and str(level.get("name", "")) == "Crypt 1", "signed level")
	var forged := download.duplicate()
	forged["data"] = Marshalls.raw_to_base64(
		JSON.stringify({"name": "Crypt 1", "enemies": 0}).to_utf8_buffer()
	)
	_check(GameData.load_level(forged, publisher.get_public_key()) == null, "forged level loaded")

	client_peer.close()
	var left: bool = await _wait_until(func() -> bool: return client_id in _server_left)
	_check(left, "the server did not see the client leave")
	server_peer.close()
	return (
		"%d RPCs in %d modes/channels both ways, MultiplayerSynchronizer replicated, "
		+ "tampered packet rejected and session went on, wrong pin and wrong token refused, "
		+ "save game and signed level checked"
	) % [_rpcs, KINDS.size()]
