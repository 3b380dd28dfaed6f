#!/usr/bin/env bash
# Builds the gamecrypt library (cargo, release), builds the C demo against it with gcc, and runs
# the demo. Everything it makes goes to examples/c/build/ (git-ignored): the demo binary and the
# files the demo writes (keys, saves).
#
#   examples/c/build.sh           build and run
#   CC=clang examples/c/build.sh  another compiler
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$here/build"
mkdir -p "$build"

echo "== cargo build --release (libgamecrypt)"
cargo build --release --lib --manifest-path "$root/Cargo.toml"
libdir="${CARGO_TARGET_DIR:-$root/target}/release"
"$root/scripts/soname-link.sh" "$libdir"

# Link against the shared library (libgamecrypt.so) and remember where it is (rpath), so the
# demo runs without installing anything. To link statically instead, use
# "$libdir/libgamecrypt.a" -lpthread -ldl -lm in place of -L/-l/-rpath.
echo "== ${CC:-gcc} demo.c"
"${CC:-gcc}" -std=c11 -O2 -Wall -Wextra -Wpedantic -Werror \
    -I"$root/include" "$here/demo.c" -o "$build/demo" \
    -L"$libdir" -Wl,-rpath,"$libdir" -lgamecrypt

echo "== running the demo"
"$build/demo" "$build"
