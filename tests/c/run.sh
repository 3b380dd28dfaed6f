#!/usr/bin/env bash
# Builds the C tests in tests/c/ against the generated header and the Rust library, with
# -Wall -Wextra -Wpedantic -Werror, and runs each of them twice: once under AddressSanitizer +
# UndefinedBehaviorSanitizer, once under valgrind memcheck (zero errors, zero leaks).
#
# The library is built with the `testing` feature, which adds gamecrypt_testing_panic_next_call()
# so that a test can prove that a panic inside an export comes back as GAMECRYPT_RESULT_PANIC.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build="$root/tests/c/build"
mkdir -p "$build"

cargo build --quiet --features testing --lib
libdir="$root/target/debug"
# Keep a private copy: a later cargo build without the feature must not swap the library under us.
cp "$libdir/libgamecrypt.so" "$build/libgamecrypt.so"

cflags=(-std=c11 -g -O1 -Wall -Wextra -Wpedantic -Werror -DGAMECRYPT_TESTING -I"$root/include" -I"$root/tests/c")
ldflags=(-L"$build" -Wl,-rpath,"$build" -lgamecrypt -lpthread -ldl -lm)

tests=()
for src in "$root"/tests/c/test_*.c; do
    name=$(basename "$src" .c)
    tests+=("$name")
    gcc "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
        "$src" -o "$build/$name.asan" "${ldflags[@]}"
    gcc "${cflags[@]}" "$src" -o "$build/$name.plain" "${ldflags[@]}"
done

status=0
for name in "${tests[@]}"; do
    echo "== $name under ASan + UBSan"
    # detect_leaks: LeakSanitizer also checks the C side's frees of every handle and buffer.
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
        "$build/$name.asan"; then
        echo "FAILED: $name under ASan/UBSan"; status=1
    fi
    echo "== $name under valgrind memcheck"
    if ! valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --track-origins=yes \
        "$build/$name.plain"; then
        echo "FAILED: $name under valgrind"; status=1
    fi
done
exit $status
