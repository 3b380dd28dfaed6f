#!/usr/bin/env bash
# Builds the library (cargo build --release) and the UDP demo (udp_server.c, udp_client.c),
# then runs it once per suite: the server in the background on a free port of 127.0.0.1, the
# client against it. Fails (non-zero) if either program fails, or if the server did not reject
# the client's tampered and replayed datagrams. Every step is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build="$root/examples/c/build"
mkdir -p "$build"

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
# The last two runs simulate lost datagrams on the server side to show the retransmissions.
for variant in "p256" "ed25519" "p256 --lose-some" "ed25519 --lose-some"; do
    read -r key lossy <<<"$variant"
    echo "=== UDP demo: server identity $key${lossy:+, $lossy}"
    run=$(mktemp -d "$build/run.XXXXXX")
    timeout 30 "$build/udp_server" "$key" "$run" ${lossy:+"$lossy"} &
    server=$!

    # The server writes its port once it is bound (and its public key before that).
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

    client_rc=0
    timeout 30 "$build/udp_client" "$(cat "$run/port")" "$run/server_key.pub.pem" 5 || client_rc=$?
    if [[ $client_rc -ne 0 ]]; then
        # The server would wait for its idle timeout; stop it (only the process we started).
        kill "$server" 2>/dev/null || true
    fi
    server_rc=0
    wait "$server" || server_rc=$?

    if [[ $client_rc -ne 0 ]]; then
        echo "FAILED: client exited with $client_rc"; status=1
    fi
    if [[ $server_rc -ne 0 ]]; then
        echo "FAILED: server exited with $server_rc"; status=1
    fi
    for code in PACKET_AUTH_FAILED PACKET_REPLAYED; do
        if ! grep -q "REJECTED: $code" "$run/server.log"; then
            echo "FAILED: the server log shows no datagram rejected with $code"; status=1
        fi
    done
    if [[ -n $lossy ]] && ! grep -q "resending it" "$run/server.log"; then
        echo "FAILED: no ServerHello retransmission in the lossy run"; status=1
    fi
    rm -rf "$run"
done

if [[ $status -eq 0 ]]; then
    echo "UDP demo: OK"
fi
exit $status
