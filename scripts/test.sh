#!/usr/bin/env bash
# Runs every test suite of gamecrypt. This is the command README.md gives and .ci/run calls.
# It installs what it needs (Debian and PyPI packages) first.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==== %s\n' "$*"; }

step "installing test dependencies"
scripts/install-deps.sh

step "formatting and lints"
cargo fmt --all -- --check
cargo clippy --quiet --all-targets --features testing -- -D warnings

step "the committed header matches the code (build.rs regenerates include/gamecrypt.h)"
cargo build --quiet
if ! git diff --exit-code -- include/gamecrypt.h; then
    echo "include/gamecrypt.h is stale: build and commit the regenerated header" >&2
    exit 1
fi

step "Rust unit, integration, Wycheproof and OpenSSL interoperability tests"
# --nocapture shows the counts that the Wycheproof and interoperability tests print.
cargo test --features testing -- --nocapture

step "C tests (-Werror) under ASan+UBSan and under valgrind"
tests/c/run.sh

step "the demos (what README.md's demo command runs) still behave as they print"
scripts/demo.sh > target/demo.log 2>&1 || { tail -40 target/demo.log >&2; echo "demo failed; see target/demo.log" >&2; exit 1; }
tail -3 target/demo.log

if [ -d tests/interop ]; then
    step "Python interoperability peer against the library through the C ABI"
    cargo build --quiet --release --lib
    GAMECRYPT_LIB="$(pwd)/target/release/libgamecrypt.so" python3 -m pytest -q tests/interop
fi

step "the installable package and the C++ wrapper"; scripts/test-package.sh
step "C# binding: NUnit tests on Mono and the benchmark"; scripts/test-csharp.sh
step "Godot addon: GDExtension build, its Rust tests, GDScript lint; in-engine tests with GODOT_BIN"; scripts/test-godot.sh

if [ -d fuzz ]; then
    step "short fuzz runs"
    scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
fi

step "all test suites passed"
