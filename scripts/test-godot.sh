#!/usr/bin/env bash
# The Godot addon (bindings/godot, examples/godot): builds the GDExtension, runs its Rust
# tests, parses and lints every GDScript file with gdtoolkit 4; when GODOT_BIN names a
# Godot 4.3+ binary, also runs the sample's headless self-test and the GDScript tests in it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "-- godot binding: rustfmt and clippy"
(cd bindings/godot && cargo fmt -- --check && cargo clippy --quiet --all-targets -- -D warnings)

echo "-- godot binding: build (bindings/godot/build.sh)"
bindings/godot/build.sh

echo "-- godot binding: Rust tests (engine-free logic)"
(cd bindings/godot && cargo test --quiet)

echo "-- GDScript: gdparse and gdlint"
mapfile -t gd_files < <(git ls-files -- '*.gd')
if [ ${#gd_files[@]} -eq 0 ]; then
    echo "no .gd files found" >&2
    exit 1
fi
gdparse "${gd_files[@]}" >/dev/null
gdlint "${gd_files[@]}"
echo "parsed and linted ${#gd_files[@]} .gd files"

if [ -z "${GODOT_BIN:-}" ] || [ ! -x "${GODOT_BIN}" ]; then
    echo "SKIPPED the in-engine tests: GODOT_BIN does not name a Godot 4.3+ binary (set it to run the sample's self-test and the GDScript tests)"
    exit 0
fi
version="$("$GODOT_BIN" --version 2>/dev/null | tail -1)"
case "$version" in
    4.[3-9]* | 4.[1-9][0-9]* | [5-9].*) ;;
    *) echo "GODOT_BIN is Godot '$version'; the addon needs 4.3 or later" >&2; exit 1 ;;
esac
echo "-- in the engine: Godot $version"

run_godot() { # name, then Godot arguments; prints the output, fails without a PASS line
    local name="$1" log
    shift
    log="$(mktemp)"
    local status=0
    timeout 300 "$GODOT_BIN" --headless --path examples/godot "$@" >"$log" 2>&1 || status=$?
    cat "$log"
    if [ $status -ne 0 ] || ! grep -q '^PASS ' "$log"; then
        echo "$name failed (exit $status)" >&2
        rm -f "$log"
        exit 1
    fi
    rm -f "$log"
}
run_godot "GDScript tests" --script res://tests/run_tests.gd
run_godot "sample self-test" -- --self-test
