#!/usr/bin/env bash
# Runs gamecrypt's benchmark harnesses and prints their reports: benches/packet.rs (packet
# seal/open through the C ABI against AWS-LC's own EVP_AEAD_CTX_seal/open: instructions per
# packet under valgrind callgrind, and wall clock) and benches/session/ (packets next to raw
# aws-lc-rs, heap allocations per packet, heap bytes per session, handshakes per second). They
# print figures only; they never fail on speed.
#
# A full run takes about 4 minutes. Run it on a quiet machine: other processes on the
# same cores show up as noise (the report gives the load average and a spread column).
#
# The report is also saved to target/bench/session-<UTC time>.md.
# Knobs (environment): GAMECRYPT_BENCH_BATCH_MS (100), GAMECRYPT_BENCH_BATCHES (5),
# GAMECRYPT_BENCH_ROUNDS (3), GAMECRYPT_BENCH_SESSIONS (1000), GAMECRYPT_BENCH_ALLOC_OPS (10000),
# GAMECRYPT_BENCH_SECTIONS (1234: 1 packets, 2 allocations, 3 memory, 4 handshakes).
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p target/bench
report="target/bench/session-$(date -u +%Y%m%dT%H%M%SZ).md"

# Build first, so that compiling does not overlap the measurements.
cargo bench --bench session --bench packet --no-run --quiet
{
    echo "source: git $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src benches Cargo.toml || echo ' + local changes'); $(rustc --version)"
    cargo bench --bench packet --quiet
    echo
    cargo bench --bench session --quiet
} | tee "$report"
echo
echo "report saved to $report"
