#!/usr/bin/env bash
# Runs cargo-fuzz targets for N seconds each (default 20): `scripts/fuzz.sh [SECONDS] [TARGET...]`
# (all targets when none is named). Installs cargo-fuzz if needed.
#
# Fails (exit 1) when the build fails, when a target crashes, leaks, times out on one input
# (10 s), runs out of memory, or reports no executions. Each run gets a fresh artifact
# directory, so crash files left by older runs can neither fail nor pass this one; on a
# failure the new artifacts are also copied to fuzz/artifacts/<target>/ for `cargo fuzz run`.
# Each target writes its generated seeds into fuzz/corpus/<target>/ before it starts
# (GAMECRYPT_FUZZ_SEED_DIR, see fuzz/src/lib.rs); the corpus grows across runs.
#
# Reproduce a crash:  cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -O -a TARGET path/to/crash-file
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-20}
shift || true
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
# cargo-fuzz needs nightly features (sanitizers); this lets a stable toolchain provide them.
export RUSTC_BOOTSTRAP=1
# Release build with debug assertions (integer overflow checks included) and AddressSanitizer.
flags=(-O -a)

if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets found" >&2; exit 1; }

echo "== building ${#targets[@]} fuzz targets"
if ! cargo fuzz build "${flags[@]}"; then
    echo "fuzz targets failed to build" >&2
    exit 1
fi

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/gamecrypt-fuzz.XXXXXX")
failed=()
summary=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "$run_dir/artifacts/$t"
    log="$run_dir/$t.log"
    echo "== fuzzing $t for ${seconds}s"
    rc=0
    GAMECRYPT_FUZZ_SEED_DIR="$PWD/corpus/$t" \
        cargo fuzz run "${flags[@]}" "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$run_dir/artifacts/$t/" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
    corpus=$(find "corpus/$t" -type f | wc -l)
    artifacts=$(find "$run_dir/artifacts/$t" -type f | wc -l)
    status=ok
    if [ "$rc" -ne 0 ] || [ "$artifacts" -ne 0 ] || [ -z "$execs" ] || [ "$execs" -eq 0 ]; then
        status=FAILED
        failed+=("$t")
        echo "---- $t: exit code $rc, ${artifacts} artifact(s); end of its log ($log):" >&2
        tail -n 60 "$log" >&2
        if [ "$artifacts" -ne 0 ]; then
            mkdir -p "artifacts/$t"
            cp "$run_dir/artifacts/$t"/* "artifacts/$t/"
            echo "---- artifacts copied to fuzz/artifacts/$t/:" >&2
            ls "$run_dir/artifacts/$t" >&2
        fi
    fi
    summary+=("$(printf '%-26s %-7s %12s executions %7s corpus files' "$t" "$status" "${execs:-0}" "$corpus")")
done

echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]} (logs in $run_dir)" >&2
    exit 1
fi
rm -rf "$run_dir"
