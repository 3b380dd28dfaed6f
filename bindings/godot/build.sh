#!/usr/bin/env bash
# Builds the gamecrypt GDExtension for this machine (Linux), puts the library into
# addons/gamecrypt/bin/ under the name gamecrypt.gdextension gives it, and copies the addon
# into the sample project examples/godot (with the .godot/extension_list.cfg that a Godot
# without the editor needs to load it).
#
#   bindings/godot/build.sh            debug library   (used by debug builds of Godot)
#   bindings/godot/build.sh --release  release library (used by release export templates)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

profile=debug
cargo_flags=(--lib)
if [ "${1:-}" = "--release" ]; then
    profile=release
    cargo_flags+=(--release)
fi
case "$(uname -m)" in
    x86_64) arch=x86_64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

cargo build --quiet "${cargo_flags[@]}"
lib="addons/gamecrypt/bin/libgamecrypt_godot.linux.$profile.$arch.so"
cp "target/$profile/libgamecrypt_godot.so" "$lib"
echo "built $lib"

sample="$here/../../examples/godot"
rm -rf "$sample/addons/gamecrypt"
mkdir -p "$sample/addons" "$sample/.godot"
cp -r addons/gamecrypt "$sample/addons/gamecrypt"
echo "res://addons/gamecrypt/gamecrypt.gdextension" > "$sample/.godot/extension_list.cfg"
echo "copied the addon into examples/godot/addons/gamecrypt"
