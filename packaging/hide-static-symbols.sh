#!/usr/bin/env bash
# Usage: packaging/hide-static-symbols.sh IN.a OUT.a   (GNU binutils: ld, objcopy, ar, nm)
#
# Rewrites a static library made by cargo so that it defines only the gamecrypt_* functions as
# global symbols: a partial link (ld -r) of everything reachable from them (--gc-sections),
# then every other symbol made local (objcopy). A program can then link it next to any other
# library, OpenSSL or another Rust static library (which would clash on rust_eh_personality
# and the compiler builtins), and it is smaller, since unreachable code is dropped. Debug
# information and the LLVM bitcode rustc embeds for LTO are removed.
set -euo pipefail
in=$1 out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
roots=()
for sym in $(nm -g --defined-only "$in" 2>/dev/null | awk 'NF == 3 && $3 ~ /^gamecrypt_/ {print $3}' | sort -u); do
    roots+=(-u "$sym")
done
[ ${#roots[@]} -gt 0 ] || { echo "hide-static-symbols: no gamecrypt_* symbol in $in" >&2; exit 1; }
ld -r --gc-sections "${roots[@]}" --whole-archive "$in" -o "$tmp/gamecrypt.o"
objcopy --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd \
    --wildcard --keep-global-symbol='gamecrypt_*' "$tmp/gamecrypt.o"
rm -f "$out"
ar rcs "$out" "$tmp/gamecrypt.o"
