extends Control
## The sample: host or join an encrypted lobby (GameCryptMultiplayerPeer), chat through @rpc,
## see the server key's fingerprint and the connection state, seal a save game with a
## password and load it back, and check a downloaded level's signature before using it.
## With "-- --self-test" it runs the headless self-test instead (self_test.gd).

const GameData := preload("res://game_data.gd")
const Lobby := preload("res://lobby.gd")
const SelfTest := preload("res://self_test.gd")
const PORT := 7443
const SERVER_KEY_PATH := "user://server_key.pem"
const SAVE_PATH := "user://savegame.bin"

var _peer: GameCryptMultiplayerPeer
var _lobby: Node
var _status: Label
var _fingerprint: LineEdit
var _address: LineEdit
var _chat_log: TextEdit
var _chat_input: LineEdit
var _password: LineEdit
var _output: Label
var _gold := 100
var _publisher := GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ED25519)


func _ready() -> void:
	if "--self-test" in OS.get_cmdline_user_args():
		add_child(SelfTest.new())
		return
	_lobby = Lobby.new()
	_lobby.name = "Lobby"
	add_child(_lobby)
	_lobby.received.connect(_on_lobby_message)
	_build_ui()
	multiplayer.connected_to_server.connect(func() -> void: _show_state("connected (handshake done)"))
	multiplayer.connection_failed.connect(
		func() -> void: _show_state("connection failed: " + _peer.get_last_error())
	)
	multiplayer.server_disconnected.connect(func() -> void: _show_state("server disconnected"))
	multiplayer.peer_connected.connect(func(id: int) -> void: _add_line("* peer %d joined" % id))
	multiplayer.peer_disconnected.connect(func(id: int) -> void: _add_line("* peer %d left" % id))
	_fingerprint.text = _server_key().get_public_key().get_fingerprint_hex()


func _build_ui() -> void:
	var box := VBoxContainer.new()
	box.set_anchors_and_offsets_preset(Control.PRESET_FULL_RECT)
	add_child(box)
	var row := HBoxContainer.new()
	box.add_child(row)
	row.add_child(_button("Host", _host))
	_address = LineEdit.new()
	_address.text = "127.0.0.1"
	_address.custom_minimum_size.x = 160
	row.add_child(_address)
	row.add_child(_button("Join", _join))
	_status = Label.new()
	_status.text = "not connected"
	row.add_child(_status)
	var fp_row := HBoxContainer.new()
	box.add_child(fp_row)
	var fp_label := Label.new()
	fp_label.text = "Server key fingerprint:"
	fp_row.add_child(fp_label)
	_fingerprint = LineEdit.new()
	_fingerprint.size_flags_horizontal = Control.SIZE_EXPAND_FILL
	fp_row.add_child(_fingerprint)
	_chat_log = TextEdit.new()
	_chat_log.editable = false
	_chat_log.size_flags_vertical = Control.SIZE_EXPAND_FILL
	box.add_child(_chat_log)
	var chat_row := HBoxContainer.new()
	box.add_child(chat_row)
	_chat_input = LineEdit.new()
	_chat_input.size_flags_horizontal = Control.SIZE_EXPAND_FILL
	_chat_input.text_submitted.connect(func(_t: String) -> void: _send_chat())
	chat_row.add_child(_chat_input)
	chat_row.add_child(_button("Send", _send_chat))
	var save_row := HBoxContainer.new()
	box.add_child(save_row)
	_password = LineEdit.new()
	_password.placeholder_text = "save password"
	_password.secret = true
	_password.custom_minimum_size.x = 160
	save_row.add_child(_password)
	save_row.add_child(_button("Save game", _save_game))
	save_row.add_child(_button("Load game", _load_game))
	save_row.add_child(_button("Download level", _download_level))
	_output = Label.new()
	box.add_child(_output)


func _button(text: String, action: Callable) -> Button:
	var b := Button.new()
	b.text = text
	b.pressed.connect(action)
	return b


## The host's identity key, kept in user:// so that joining players can pin it.
func _server_key() -> GameCryptSigningKey:
	var key := GameCryptSigningKey.new()
	if FileAccess.file_exists(SERVER_KEY_PATH) and key.load(SERVER_KEY_PATH) == OK:
		return key
	key = GameCryptSigningKey.generate(GameCryptSigningKey.KEY_ED25519)
	key.save(SERVER_KEY_PATH)
	return key


func _host() -> void:
	var config := GameCryptServerConfig.new()
	var key := _server_key()
	config.set_identity(key)
	_peer = GameCryptMultiplayerPeer.new()
	if _peer.create_server(PORT, config) != OK:
		_show_state("cannot host: " + _peer.get_last_error())
		return
	multiplayer.multiplayer_peer = _peer
	_fingerprint.text = key.get_public_key().get_fingerprint_hex()
	_show_state("hosting on port %d" % PORT)


func _join() -> void:
	var config := GameCryptClientConfig.new()
	if config.pin_fingerprint(_fingerprint.text.strip_edges().hex_decode()) != OK:
		_show_state("enter the server's 64-digit key fingerprint")
		return
	_peer = GameCryptMultiplayerPeer.new()
	if _peer.create_client(_address.text, PORT, config) != OK:
		_show_state("cannot join: " + _peer.get_last_error())
		return
	multiplayer.multiplayer_peer = _peer
	_show_state("connecting (handshake)...")


func _send_chat() -> void:
	if _peer == null or _chat_input.text.is_empty():
		return
	_lobby.post.rpc(_chat_input.text)
	_chat_input.clear()


func _on_lobby_message(sender: int, kind: String, text: String) -> void:
	if kind == "chat":
		_add_line("%d: %s" % [sender, text])


func _add_line(line: String) -> void:
	_chat_log.text += line + "\n"


func _show_state(text: String) -> void:
	_status.text = text


func _save_game() -> void:
	_gold += 10
	var sealed := GameData.seal_save({"gold": _gold}, _password.text)
	if sealed.is_empty():
		_output.text = "not saved: " + GameCrypt.get_last_error()
		return
	var file := FileAccess.open(SAVE_PATH, FileAccess.WRITE)
	file.store_buffer(sealed)
	_output.text = "saved %d gold, sealed with the password (%d bytes)" % [_gold, sealed.size()]


func _load_game() -> void:
	var state: Variant = GameData.open_save(FileAccess.get_file_as_bytes(SAVE_PATH), _password.text)
	if state == null:
		_output.text = "cannot load: wrong password or damaged file"
		return
	_gold = int(state.get("gold", 0))
	_output.text = "loaded: %d gold" % _gold


func _download_level() -> void:
	# Stands for an HTTP download of a level the publisher signed in its build pipeline.
	var download := GameData.sign_level({"name": "Crypt 2", "enemies": 7}, _publisher)
	var level: Variant = GameData.load_level(download, _publisher.get_public_key())
	if level == null:
		_output.text = "level rejected: bad signature"
	else:
		_output.text = "level '%s' verified, %d enemies" % [level["name"], int(level["enemies"])]
