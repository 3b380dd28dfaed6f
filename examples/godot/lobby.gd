extends Node
## The lobby: chat and test messages as RPCs. The same node path exists on every peer.

signal received(sender: int, kind: String, text: String)

var messages: Array[String] = []
## Replicated from the server by a MultiplayerSynchronizer (see self_test.gd).
var score := 0


## Chat: a client calls post.rpc(text); the server relays it to everyone.
@rpc("any_peer", "call_local", "reliable")
func post(text: String) -> void:
	var sender := multiplayer.get_remote_sender_id()
	messages.append("%d: %s" % [sender, text])
	received.emit(sender, "chat", text)


@rpc("any_peer", "call_remote", "reliable")
func reliable_msg(text: String) -> void:
	received.emit(multiplayer.get_remote_sender_id(), "reliable", text)


@rpc("any_peer", "call_remote", "unreliable")
func unreliable_msg(text: String) -> void:
	received.emit(multiplayer.get_remote_sender_id(), "unreliable", text)


@rpc("any_peer", "call_remote", "unreliable_ordered")
func ordered_msg(text: String) -> void:
	received.emit(multiplayer.get_remote_sender_id(), "unreliable_ordered", text)


@rpc("any_peer", "call_remote", "reliable", 1)
func channel_msg(text: String) -> void:
	received.emit(multiplayer.get_remote_sender_id(), "reliable_channel_1", text)


@rpc("any_peer", "call_remote", "unreliable", 2)
func channel_unreliable_msg(text: String) -> void:
	received.emit(multiplayer.get_remote_sender_id(), "unreliable_channel_2", text)
