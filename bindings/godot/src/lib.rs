//! Godot 4 GDExtension for gamecrypt (godot-rust, `api-4-3`): thin `RefCounted` classes over
//! the gamecrypt Rust core and `GameCryptMultiplayerPeer`, an encrypted MultiplayerPeer over
//! Godot's ENet. The core owns every check; these classes only convert.

use godot::prelude::*;

mod crypto;
mod endpoint;
mod errors;
mod keys;
pub mod link;
mod peer;
mod session;

struct GameCryptExtension;

#[gdextension]
unsafe impl ExtensionLibrary for GameCryptExtension {}
