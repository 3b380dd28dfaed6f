#!/usr/bin/env bash
# Installs what the test suites need on a bare Debian machine with the Rust toolchain.
# Idempotent and quick when everything is already there.
set -euo pipefail

missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -e /usr/lib/x86_64-linux-gnu/libasan.so.8 ] || ls /usr/lib/gcc/*/*/libasan.so >/dev/null 2>&1 || missing+=(libasan8)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-pip)
# The package test (scripts/test-package.sh): C++ tests, CMake and pkg-config consumers, and a
# program that links the static library together with OpenSSL's libcrypto.
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
[ -e /usr/include/openssl/sha.h ] || missing+=(libssl-dev)
# The C# binding's tests (scripts/test-csharp.sh): Mono's compiler and runtime, NUnit 2.6.
command -v mcs >/dev/null 2>&1 || missing+=(mono-devel)
command -v nunit-console >/dev/null 2>&1 || missing+=(nunit-console)
ls /usr/lib/cli/nunit.framework-2.6*/nunit.framework.dll >/dev/null 2>&1 || missing+=(libnunit-cil-dev)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The interoperability peer is written against the `cryptography` package.
if ! python3 -c 'import cryptography, pytest' >/dev/null 2>&1; then
    echo "installing Python packages: cryptography pytest"
    python3 -m pip install --quiet --disable-pip-version-check "cryptography>=42" pytest \
        || python3 -m pip install --quiet --break-system-packages "cryptography>=42" pytest
fi

# gdtoolkit 4 parses and lints the Godot addon's GDScript (scripts/test-godot.sh).
if ! command -v gdlint >/dev/null 2>&1 || ! gdlint --version 2>/dev/null | grep -q ' 4\.'; then
    echo "installing Python package: gdtoolkit 4"
    python3 -m pip install --quiet --disable-pip-version-check "gdtoolkit>=4,<5" \
        || python3 -m pip install --quiet --break-system-packages "gdtoolkit>=4,<5"
fi

rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt || true
