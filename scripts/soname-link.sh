#!/usr/bin/env bash
# Usage: scripts/soname-link.sh DIR
# On Linux the shared library's SONAME is libgamecrypt.so.<major> (build.rs), so a program
# linked with -lgamecrypt looks for that name at run time. Cargo writes only libgamecrypt.so:
# this adds the SONAME symlink next to it in DIR (the package has it from scripts/package.sh).
set -euo pipefail
dir=$1
soname=$(readelf -d "$dir/libgamecrypt.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ -n "$soname" ] && [ "$soname" != libgamecrypt.so ]; then
    ln -sfn libgamecrypt.so "$dir/$soname"
fi
