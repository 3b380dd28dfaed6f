#!/usr/bin/env bash
# Tests the installable package (scripts/package.sh) and the C++17 wrapper (include/gamecrypt.hpp):
#  - the package layout, the SONAME and symlinks, that the stripped shared library exports only
#    gamecrypt_* symbols, the pkg-config and CMake files;
#  - tests/cpp/ (-std=c++17 -Wall -Wextra -Wpedantic -Werror, ASan+UBSan) against the shared
#    library, and again with -fno-exceptions -fno-rtti against the static one;
#  - tests/package/openssl_static.c: the static library and OpenSSL's libcrypto in one program;
#  - examples/cpp/ built through CMake find_package (shared and static targets) and through
#    pkg-config (shared and static), under ASan+UBSan, from a copy of the package in another
#    directory (the package is relocatable).
# Prints the stripped sizes. Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/package-test"
rm -rf "$work"
mkdir -p "$work"
fail() { echo "test-package: $*" >&2; exit 1; }
step() { printf -- '-- %s\n' "$*"; }

# The engine folders are packaged by their own helpers' scripts; here the C/C++ package only.
built=$(scripts/package.sh --no-engine-addons | tail -n1)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
major=${version%%.*}
[ "$built" = "$root/dist/gamecrypt-$version-linux-x86_64" ] || fail "unexpected package path $built"
# Everything below uses a copy elsewhere: nothing may depend on where the package was made.
cp -a "$built" "$work/installed"
pkg="$work/installed"
lib="$pkg/lib"

step "layout"
for f in include/gamecrypt.h include/gamecrypt.hpp lib/libgamecrypt.a lib/pkgconfig/gamecrypt.pc \
    lib/cmake/gamecrypt/gamecryptConfig.cmake lib/cmake/gamecrypt/gamecryptConfigVersion.cmake \
    LICENSE-APACHE LICENSE-MIT README.md "lib/libgamecrypt.so.$version"; do
    [ -f "$pkg/$f" ] || fail "missing $f"
done
cmp -s "$pkg/include/gamecrypt.h" include/gamecrypt.h || fail "packaged header differs from include/gamecrypt.h"
[ "$(readlink "$lib/libgamecrypt.so")" = "libgamecrypt.so.$major" ] || fail "libgamecrypt.so symlink"
[ "$(readlink "$lib/libgamecrypt.so.$major")" = "libgamecrypt.so.$version" ] || fail "libgamecrypt.so.$major symlink"
soname=$(readelf -d "$lib/libgamecrypt.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libgamecrypt.so.$major" ] || fail "SONAME is '$soname'"
echo "SONAME $soname; symlinks libgamecrypt.so -> libgamecrypt.so.$major -> libgamecrypt.so.$version"

step "exported symbols of the shared library"
exported=$(nm -D --defined-only "$lib/libgamecrypt.so.$version" | awk '{print $NF}')
others=$(grep -v '^gamecrypt_' <<<"$exported" || true)
[ -z "$others" ] || fail "the shared library exports more than gamecrypt_*: $(head -5 <<<"$others")"
# Every function the header declares is exported (the testing hook is not in a release build).
declared=$(grep -oE '\bgamecrypt_[a-z0-9_]+\(' include/gamecrypt.h | tr -d '(' | sort -u |
    grep -v '^gamecrypt_testing_')
missing=$(comm -23 <(echo "$declared") <(sort -u <<<"$exported"))
[ -z "$missing" ] || fail "declared but not exported: $missing"
echo "$(wc -l <<<"$exported") symbols, all gamecrypt_*, every declared function among them"
grep -qE '\.debug_|\.symtab' <<<"$(readelf -S "$lib/libgamecrypt.so.$version")" && fail "shared library not stripped"
# The static library defines only gamecrypt_* globally too (packaging/hide-static-symbols.sh).
static_globals=$(nm -g --defined-only "$lib/libgamecrypt.a" 2>/dev/null | awk 'NF == 3 {print $3}')
others=$(grep -v '^gamecrypt_' <<<"$static_globals" || true)
[ -z "$others" ] || fail "the static library defines more than gamecrypt_*: $(head -5 <<<"$others")"
missing=$(comm -23 <(echo "$declared") <(sort -u <<<"$static_globals"))
[ -z "$missing" ] || fail "declared but not in the static library: $missing"
echo "static library: $(wc -l <<<"$static_globals") global symbols, all gamecrypt_*, every declared function among them"

step "every C handle has a C++ owner, every C function a C++ caller"
for handle in $(sed -n 's/^typedef struct \(gamecrypt_[a-z_]*\) \1;/\1/p' include/gamecrypt.h); do
    grep -q "detail::Handle<$handle, ${handle}_free>" include/gamecrypt.hpp || fail "no C++ class owns $handle"
done
# Not wrapped: the functions that only repeat a constant of the header (the wrapper uses the
# constants), the length queries the wrapper answers itself, and the testing hook.
unwrapped=$(grep -oE '^[a-z_ ]*\b(size_t|uint32_t) (gamecrypt_[a-z0-9_]+)\(void\);' include/gamecrypt.h |
    grep -oE 'gamecrypt_[a-z0-9_]+' || true)
unwrapped+=" gamecrypt_hash_len gamecrypt_hkdf_max_output_len gamecrypt_public_key_raw_len"
unwrapped+=" gamecrypt_public_key_raw_compressed_len gamecrypt_signature_max_len gamecrypt_testing_panic_next_call"
for fn in $declared; do
    grep -qw "$fn" <<<"$unwrapped" && continue
    grep -qw "$fn" include/gamecrypt.hpp || fail "gamecrypt.hpp does not wrap $fn"
done
echo "ok"

cxxflags=(-std=c++17 -g -O1 -Wall -Wextra -Wpedantic -Werror -I"$pkg/include")
# shellcheck disable=SC2054
sanitize=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
native=$(sed -n 's/^Libs.private: //p' "$lib/pkgconfig/gamecrypt.pc")
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

step "tests/cpp against the shared library (ASan+UBSan)"
g++ "${cxxflags[@]}" "${sanitize[@]}" tests/cpp/test_wrapper.cpp -o "$work/test_wrapper" \
    -L"$lib" -Wl,-rpath,"$lib" -lgamecrypt
grep -q "libgamecrypt.so.$major => $lib/" <<<"$(ldd "$work/test_wrapper")" || fail "test not linked to the package"
"$work/test_wrapper"

step "tests/cpp with -fno-exceptions -fno-rtti against the static library (ASan+UBSan)"
# shellcheck disable=SC2086
g++ "${cxxflags[@]}" "${sanitize[@]}" -fno-exceptions -fno-rtti tests/cpp/test_wrapper.cpp \
    -o "$work/test_wrapper_static" "$lib/libgamecrypt.a" $native
grep -q libgamecrypt <<<"$(ldd "$work/test_wrapper_static")" && fail "static test linked the shared library"
"$work/test_wrapper_static"

step "the static library with OpenSSL's libcrypto in one program"
# shellcheck disable=SC2086
gcc -std=c11 -O1 -Wall -Wextra -Wpedantic -Werror -I"$pkg/include" tests/package/openssl_static.c \
    -o "$work/openssl_static" "$lib/libgamecrypt.a" -lcrypto $native
grep -q libcrypto <<<"$(ldd "$work/openssl_static")" || fail "not linked to OpenSSL's libcrypto"
"$work/openssl_static"

step "a panic inside an export is still caught through a static library with hidden symbols"
# The panic boundary unwinds through rust_eh_personality, which hide-static-symbols.sh makes
# local: tests/c/test_basics.c (panic injection included) against a testing build so treated.
cargo build --quiet --features testing --lib
packaging/hide-static-symbols.sh "${CARGO_TARGET_DIR:-target}/debug/libgamecrypt.a" "$work/libgamecrypt_testing.a"
# shellcheck disable=SC2086
gcc -std=c11 -g -O1 -Wall -Wextra -Wpedantic -Werror -DGAMECRYPT_TESTING -Iinclude -Itests/c \
    tests/c/test_basics.c -o "$work/test_basics_static" "$work/libgamecrypt_testing.a" $native
GAMECRYPT_TEST_DATA="$root/tests/data" RUST_BACKTRACE=0 "$work/test_basics_static" 2>"$work/test_basics.log" ||
    { cat "$work/test_basics.log"; fail "test_basics against the static library"; }
grep -c 'injected panic' "$work/test_basics.log" | xargs echo "injected panics caught:"

step "examples/cpp through CMake find_package(gamecrypt) (shared and static targets)"
cmake -S examples/cpp -B "$work/cmake" -DCMAKE_PREFIX_PATH="$pkg" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS="${sanitize[*]}" -DCMAKE_EXE_LINKER_FLAGS="${sanitize[*]}" >"$work/cmake.log" ||
    { cat "$work/cmake.log"; fail "cmake configure"; }
cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "cmake build"; }
grep -q "NEEDED.*\[libgamecrypt.so.$major\]" <<<"$(readelf -d "$work/cmake/demo_shared")" || fail "demo_shared NEEDED"
grep -q "NEEDED.*libgamecrypt" <<<"$(readelf -d "$work/cmake/demo_static")" && fail "demo_static needs the .so"
"$work/cmake/demo_shared"
"$work/cmake/demo_static" >/dev/null
echo "demo_static: same run, ok"
# A version the package does not satisfy is refused.
mkdir -p "$work/cmake-v"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(v NONE)\nfind_package(gamecrypt %s REQUIRED)\n' \
    "$((major + 1)).0" >"$work/cmake-v/CMakeLists.txt"
if cmake -S "$work/cmake-v" -B "$work/cmake-v/build" -DCMAKE_PREFIX_PATH="$pkg" >/dev/null 2>&1; then
    fail "find_package accepted version $((major + 1)).0"
fi

step "examples/cpp through pkg-config (shared and static)"
# Not exported: aws-lc-sys's build script reruns when PKG_CONFIG_PATH changes, and the
# package.sh run below (and the next test run) would rebuild AWS-LC.
pc() { PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config "$@"; }
[ "$(pc --modversion gamecrypt)" = "$version" ] || fail "pkg-config version"
[ "$(pc --variable=libdir gamecrypt)" -ef "$lib" ] || fail "pkg-config libdir is not the package's"
# shellcheck disable=SC2046
g++ "${cxxflags[@]}" "${sanitize[@]}" examples/cpp/main.cpp -o "$work/pc_shared" \
    $(pc --cflags --libs gamecrypt) -Wl,-rpath,"$(pc --variable=libdir gamecrypt)"
static_libs=$(pc --static --libs gamecrypt)
# shellcheck disable=SC2046,SC2086
g++ "${cxxflags[@]}" "${sanitize[@]}" examples/cpp/main.cpp -o "$work/pc_static" \
    $(pc --cflags gamecrypt) ${static_libs/-lgamecrypt/-l:libgamecrypt.a}
grep -q libgamecrypt <<<"$(ldd "$work/pc_static")" && fail "pc_static linked the shared library"
"$work/pc_shared" >/dev/null
"$work/pc_static" >/dev/null
echo "pc_shared and pc_static: ok"

step "the Unity package in the package, when bindings/ has one"
if ls -d bindings/csharp/unity/*/ >/dev/null 2>&1; then
    # The crate is fresh now: this only lays the package out again (without the Godot build).
    with_unity=$(scripts/package.sh --no-godot --out "$work/with-unity" 2>/dev/null | tail -n1)
    unity_lib=$(ls "$with_unity"/unity/*/Plugins/Linux/x86_64/libgamecrypt.so)
    cmp -s "$unity_lib" "$built/lib/libgamecrypt.so.$version" || fail "Unity plugin is not the package's library"
    echo "ok: ${unity_lib#"$with_unity"/}"
else
    echo "none in this tree"
fi

step "sizes (Linux x86-64, release)"
size() { stat -c %s "$1"; }
release="${CARGO_TARGET_DIR:-target}/release"
printf '%-34s %10s bytes (unstripped in target/release: %s)\n' \
    "lib/libgamecrypt.so.$version" "$(size "$lib/libgamecrypt.so.$version")" "$(size "$release/libgamecrypt.so")" \
    "lib/libgamecrypt.a" "$(size "$lib/libgamecrypt.a")" "$(size "$release/libgamecrypt.a")"
echo "package tests passed"
