extends RefCounted
## Save games sealed with a password, and downloadable levels whose signature is checked
## before use. Loaded with preload("res://game_data.gd") (the sample uses no class_name).

const SAVE_AD := "gamecrypt-sample save v1"


## Seals [param state] with [param password]; [param iterations] 0 means the recommended count.
static func seal_save(state: Dictionary, password: String, iterations: int = 0) -> PackedByteArray:
	var plain := JSON.stringify(state).to_utf8_buffer()
	return GameCrypt.seal_with_password(password, plain, SAVE_AD.to_utf8_buffer(), iterations)


## The saved state, or null for a wrong password or a tampered file.
static func open_save(sealed: PackedByteArray, password: String) -> Variant:
	var plain := GameCrypt.open_with_password(password, sealed, SAVE_AD.to_utf8_buffer())
	if plain.is_empty():
		return null
	return JSON.parse_string(plain.get_string_from_utf8())


## What the publisher's build pipeline does: the level and its signature, ready to download.
static func sign_level(level: Dictionary, publisher: GameCryptSigningKey) -> Dictionary:
	var data := JSON.stringify(level).to_utf8_buffer()
	return {
		"data": Marshalls.raw_to_base64(data),
		"signature": Marshalls.raw_to_base64(publisher.sign(data)),
	}


## What the game does with a download: the level, or null when the signature does not verify.
static func load_level(download: Dictionary, publisher_key: GameCryptPublicKey) -> Variant:
	var data := Marshalls.base64_to_raw(str(download.get("data", "")))
	var signature := Marshalls.base64_to_raw(str(download.get("signature", "")))
	if data.is_empty() or not publisher_key.verify(data, signature):
		return null
	return JSON.parse_string(data.get_string_from_utf8())
