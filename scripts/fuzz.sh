#!/usr/bin/env bash
# Runs every cargo-fuzz target for N seconds (default 20). Installs cargo-fuzz if needed.
# A crash fails the script; libFuzzer prints its execution counts ("stat::number_of_executed_units").
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cd fuzz
targets=$(cargo fuzz list)
cargo fuzz build -O $targets >/dev/null 2>&1 || cargo fuzz build -O
for t in $targets; do
    mkdir -p "corpus/$t"
    echo "== fuzzing $t for ${seconds}s"
    cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -print_final_stats=1 2>&1 \
        | grep -E 'stat::number_of_executed_units|Done [0-9]+ runs|ERROR|panicked|SUMMARY' || true
    # cargo fuzz exits non-zero and leaves an artifact on a crash.
    if ls "artifacts/$t"/crash-* "artifacts/$t"/leak-* "artifacts/$t"/oom-* >/dev/null 2>&1; then
        echo "fuzz target $t found a crash: see fuzz/artifacts/$t" >&2
        exit 1
    fi
done
