#!/usr/bin/env bash
# Copies the native library builds found under target/ into the Unity package's Plugins/
# folders (the libraries are git-ignored; their .meta files with the importer settings are
# committed). Linux x86_64 always (scripts/test-csharp.sh builds it with
# `cargo build --release --lib`); the others when their cross builds exist:
#   cargo build --release --lib --target <triple>
set -euo pipefail
cd "$(dirname "$0")/../../.."
plugins=bindings/csharp/unity/com.gamecrypt/Plugins
copy() { # <built file> <plugin path>
    if [ -f "$1" ]; then
        cp "$1" "$plugins/$2"
        echo "copied $1 -> $plugins/$2"
    fi
}
[ -f target/release/libgamecrypt.so ] || { echo "build it first: cargo build --release --lib" >&2; exit 1; }
copy target/release/libgamecrypt.so Linux/x86_64/libgamecrypt.so
copy target/x86_64-pc-windows-gnu/release/gamecrypt.dll Windows/x86_64/gamecrypt.dll
copy target/x86_64-pc-windows-msvc/release/gamecrypt.dll Windows/x86_64/gamecrypt.dll
copy target/universal-apple-darwin/release/libgamecrypt.dylib macOS/libgamecrypt.dylib
copy target/aarch64-apple-darwin/release/libgamecrypt.dylib macOS/libgamecrypt.dylib
copy target/aarch64-linux-android/release/libgamecrypt.so Android/arm64-v8a/libgamecrypt.so
copy target/armv7-linux-androideabi/release/libgamecrypt.so Android/armeabi-v7a/libgamecrypt.so
copy target/x86_64-linux-android/release/libgamecrypt.so Android/x86_64/libgamecrypt.so
copy target/aarch64-apple-ios/release/libgamecrypt.a iOS/libgamecrypt.a
