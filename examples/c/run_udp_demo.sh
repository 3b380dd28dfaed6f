#!/usr/bin/env bash
# Builds the library (cargo build --release) and the UDP demo (udp_server.c, udp_client.c on
# the connection endpoint), then runs it once per server key type, with and without simulated
# loss: the server in the background on a free port of 127.0.0.1, three clients at once
# against it. Fails (non-zero) if any program fails, if the server did not drop the clients'
# tampered and replayed datagrams, or (lossy runs) if no handshake message was sent again.
# Every step is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build="$root/examples/c/build"
mkdir -p "$build"
clients=3

cargo build --release --lib --quiet
# A private copy: a later cargo build must not swap the library under the programs.
cp "$root/target/release/libgamecrypt.so" "$build/libgamecrypt.so"
"$root/scripts/soname-link.sh" "$build"

cflags=(-std=c11 -O2 -g -Wall -Wextra -Wpedantic -Werror -I"$root/include")
ldflags=(-L"$build" -Wl,-rpath,"$build" -lgamecrypt -lpthread -ldl -lm)
for prog in udp_server udp_client; do
    gcc "${cflags[@]}" "$root/examples/c/$prog.c" -o "$build/$prog" "${ldflags[@]}"
done

status=0
for variant in "p256" "ed25519" "p256 --lose-some" "ed25519 --lose-some"; do
    read -r key lossy <<<"$variant"
    echo "=== UDP demo: server identity $key, $clients clients${lossy:+, $lossy}"
    run=$(mktemp -d "$build/run.XXXXXX")
    timeout 30 "$build/udp_server" "$key" "$run" "$clients" ${lossy:+"$lossy"} &
    server=$!
    for _ in $(seq 100); do
        [[ -s $run/port ]] && break
        kill -0 "$server" 2>/dev/null || break
        sleep 0.05
    done
    if [[ ! -s $run/port ]]; then
        echo "FAILED: the server did not start"
        kill "$server" 2>/dev/null || true
        wait "$server" || true
        status=1
        continue
    fi
    pids=()
    for i in $(seq "$clients"); do
        timeout 30 "$build/udp_client" "$(cat "$run/port")" "$run/server_key.pub.pem" $((2 + i)) &
        pids+=($!)
    done
    failed=0
    for pid in "${pids[@]}"; do
        wait "$pid" || failed=$((failed + 1))
    done
    if [[ $failed -ne 0 ]]; then
        echo "FAILED: $failed clients failed"; status=1
        kill "$server" 2>/dev/null || true # only the process we started
    fi
    wait "$server" || { echo "FAILED: server exited with $?"; status=1; }
    dropped=$(sed -n 's/.*dropped \([0-9]*\) bad or replayed.*/\1/p' "$run/server.log")
    if [[ -z $dropped || $dropped -lt $((2 * clients)) ]]; then
        echo "FAILED: the server dropped ${dropped:-no} bad datagrams (expected at least $((2 * clients)))"
        status=1
    fi
    resent=$(sed -n 's/.*resent \([0-9]*\) handshake messages.*/\1/p' "$run/server.log")
    if [[ -n $lossy && ( -z $resent || $resent -eq 0 ) ]]; then
        echo "FAILED: no handshake retransmission in the lossy run"; status=1
    fi
    rm -rf "$run"
done

if [[ $status -eq 0 ]]; then
    echo "UDP demo: OK"
fi
exit $status
