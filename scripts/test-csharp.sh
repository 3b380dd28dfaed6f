#!/usr/bin/env bash
# The C# binding (bindings/csharp): builds the release library, copies it into the Unity
# package's Plugins/Linux/x86_64 folder (git-ignored), compiles the binding, the sample and the
# tests with Mono's mcs (C# 7.2), builds the C cross-language peer with gcc, runs the NUnit 2.6
# tests with nunit-console, then the benchmark (figures only, no pass/fail on speed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
pkg="$root/bindings/csharp/unity/com.gamecrypt"
tests="$root/bindings/csharp/tests"
build="$root/target/csharp"
mkdir -p "$build"

cargo build --quiet --release --lib
bindings/csharp/unity/copy-native.sh > /dev/null
# Every file and folder of the Unity package has its .meta file (importer settings, stable GUIDs).
python3 bindings/csharp/unity/meta.py --check

mcs_flags=(-langversion:7.2 -unsafe -warnaserror -nologo -debug)
nunit=$(ls /usr/lib/cli/nunit.framework-2.6*/nunit.framework.dll | head -1)

# The binding: the same sources the Unity package ships.
mcs "${mcs_flags[@]}" -target:library -out:"$build/GameCrypt.dll" "$pkg"/Runtime/*.cs
# The sample: its engine-independent logic, then its MonoBehaviours against the compile-time
# stand-in of UnityEngine (tests/UnityEngineStandIn.cs; it only proves the scripts compile).
mcs "${mcs_flags[@]}" -target:library -out:"$build/GameCrypt.Demo.dll" -r:"$build/GameCrypt.dll" "$pkg"/Samples~/Demo/Logic/*.cs
mcs "${mcs_flags[@]}" -target:library -out:"$build/UnityEngine.dll" "$tests/UnityEngineStandIn.cs"
mcs "${mcs_flags[@]}" -target:library -out:"$build/GameCrypt.Demo.Behaviours.dll" -r:"$build/GameCrypt.dll" \
    -r:"$build/GameCrypt.Demo.dll" -r:"$build/UnityEngine.dll" "$pkg"/Samples~/Demo/*.cs
mcs "${mcs_flags[@]}" -target:library -out:"$build/GameCrypt.Tests.dll" -r:"$build/GameCrypt.dll" \
    -r:"$build/GameCrypt.Demo.dll" -r:"$nunit" -r:System.Core.dll "$tests"/*Tests.cs "$tests/TestSupport.cs"
mcs "${mcs_flags[@]}" -target:exe -out:"$build/LoadProbe.exe" -r:"$build/GameCrypt.dll" "$tests/LoadProbe.cs"
mcs "${mcs_flags[@]}" -target:exe -out:"$build/GameCrypt.Bench.exe" -r:"$build/GameCrypt.dll" "$root"/bindings/csharp/bench/*.cs
# Programs linked with -lgamecrypt look for the SONAME (libgamecrypt.so.0) at run time: give
# them that name in the build folder, pointing at the plugin, and an rpath to it.
ln -sfn "$pkg/Plugins/Linux/x86_64/libgamecrypt.so" "$build/libgamecrypt.so"
"$root/scripts/soname-link.sh" "$build"
gcc -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC -I"$root/include" "$root/bindings/csharp/bench/bench_loop.c" \
    -o "$build/libgamecrypt_bench.so" -L"$build" -Wl,-rpath,"$build" -lgamecrypt

# The C side of the cross-language tests (the Rust core through the C ABI).
gcc -std=c11 -O1 -Wall -Wextra -Werror -I"$root/include" "$tests/cpeer.c" -o "$build/cpeer" \
    -L"$build" -Wl,-rpath,"$build" -lgamecrypt

# Mono finds libgamecrypt.so in the package's plugin folder, as Unity's player would.
export LD_LIBRARY_PATH="$pkg/Plugins/Linux/x86_64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GAMECRYPT_REPO="$root" GAMECRYPT_CPEER="$build/cpeer"
cp "$nunit" "$build/"
(cd "$build" && MONO_ENV_OPTIONS=--debug nunit-console -nologo -labels -xml="$build/TestResult.xml" "$build/GameCrypt.Tests.dll" > "$build/nunit.log" 2>&1) \
    || { grep -v '^\*\*\*\*\*' "$build/nunit.log" | tail -80 >&2; echo "C# tests failed; see target/csharp/nunit.log" >&2; exit 1; }
grep -E '^Tests run:' "$build/nunit.log"

# The benchmark, with Mono's default thread suspend mode, then with the preemptive one (which
# makes each P/Invoke transition about 10 times cheaper on this Mono; see bindings/csharp/README.md).
export LD_LIBRARY_PATH="$build:$LD_LIBRARY_PATH"
mono --optimize=all "$build/GameCrypt.Bench.exe" "${CSHARP_BENCH_PACKETS:-20000}"
MONO_THREADS_SUSPEND=preemptive mono --optimize=all "$build/GameCrypt.Bench.exe" "${CSHARP_BENCH_PACKETS:-20000}"
