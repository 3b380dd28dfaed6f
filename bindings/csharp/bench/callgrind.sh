#!/usr/bin/env bash
# Instruction counts of the C# packet path against the C loop (callgrind), per seal + open of a
# 1200-byte packet: each loop is run with N and with 0 packets after the same warm-up, and the
# difference is divided by N (so start-up, JIT and the handshake cancel out).
# Run scripts/test-csharp.sh first (it builds target/csharp). Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/../../.."
build=target/csharp
export LD_LIBRARY_PATH="$build:bindings/csharp/unity/com.gamecrypt/Plugins/Linux/x86_64"
n=${1:-5000}
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null mono --optimize=all "$build/GameCrypt.Bench.exe" "$1" "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
echo "callgrind, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $n packets of 1200 bytes"
for mode in c managed; do
    with=$(count "$n" "$mode")
    without=$(count 0 "$mode")
    echo "$mode: $(( (with - without) / n )) instructions per seal + open"
done
