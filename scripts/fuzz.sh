#!/usr/bin/env bash
# Runs cargo-fuzz targets for N seconds each (default 20): `scripts/fuzz.sh [SECONDS] [TARGET...]`
# (all targets when none is named), as many at once as there are cores (FUZZ_JOBS overrides).
# Installs cargo-fuzz if needed.
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

# Runs one target; writes its summary line to $run_dir/$t.summary and "ok"/"FAILED" to
# $run_dir/$t.status, its report (on failure) to $run_dir/$t.report.
run_target() {
    local t=$1
    mkdir -p "corpus/$t" "$run_dir/artifacts/$t"
    local log="$run_dir/$t.log"
    local rc=0
    GAMECRYPT_FUZZ_SEED_DIR="$PWD/corpus/$t" \
        cargo fuzz run "${flags[@]}" "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$run_dir/artifacts/$t/" >"$log" 2>&1 || rc=$?
    local execs corpus artifacts status=ok
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
    corpus=$(find "corpus/$t" -type f | wc -l)
    artifacts=$(find "$run_dir/artifacts/$t" -type f | wc -l)
    if [ "$rc" -ne 0 ] || [ "$artifacts" -ne 0 ] || [ -z "$execs" ] || [ "$execs" -eq 0 ]; then
        status=FAILED
        {
            echo "---- $t: exit code $rc, ${artifacts} artifact(s); end of its log ($log):"
            tail -n 60 "$log"
            if [ "$artifacts" -ne 0 ]; then
                mkdir -p "artifacts/$t"
                cp "$run_dir/artifacts/$t"/* "artifacts/$t/"
                echo "---- artifacts copied to fuzz/artifacts/$t/:"
                ls "$run_dir/artifacts/$t"
            fi
        } >"$run_dir/$t.report"
    fi
    echo "$status" >"$run_dir/$t.status"
    printf '%-26s %-7s %12s executions %7s corpus files\n' "$t" "$status" "${execs:-0}" "$corpus" \
        >"$run_dir/$t.summary"
}

# One target per core at a time (FUZZ_JOBS overrides), so that CI's short run stays short:
# each target still gets $seconds of one core.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] || jobs=1
running=0
for t in "${targets[@]}"; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    echo "== fuzzing $t for ${seconds}s"
    run_target "$t" &
    running=$((running + 1))
done
wait || true

failed=()
echo "== summary (${seconds}s per target, $jobs at a time)"
for t in "${targets[@]}"; do
    cat "$run_dir/$t.summary" 2>/dev/null || printf '%-26s %-7s (no result)\n' "$t" FAILED
    if [ "$(cat "$run_dir/$t.status" 2>/dev/null)" != ok ]; then
        failed+=("$t")
    fi
done
for t in "${failed[@]}"; do
    cat "$run_dir/$t.report" >&2 2>/dev/null || true
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]} (logs in $run_dir)" >&2
    exit 1
fi
rm -rf "$run_dir"
