#!/usr/bin/env bash
# Builds the release library and lays out the installable package
# dist/gamecrypt-<version>-<platform>/ for C and C++ engines:
#
#   include/            gamecrypt.h (C) and gamecrypt.hpp (header-only C++17 wrapper)
#   lib/                the stripped shared library (Linux: libgamecrypt.so.<version> with the
#                       SONAME libgamecrypt.so.<major> and the usual symlinks) and the static
#                       library (Linux: only gamecrypt_* global); lib/pkgconfig/gamecrypt.pc and
#                       lib/cmake/gamecrypt/gamecrypt{Config,ConfigVersion}.cmake
#                       (gamecrypt::gamecrypt = shared, gamecrypt::gamecrypt_static), both
#                       relocatable and listing the system libraries the static library needs
#   bin/                the DLL (Windows)
#   LICENSE-APACHE, LICENSE-MIT, README.md
#   godot/addons/gamecrypt/, unity/<package>/
#                       the Godot addon and the Unity package of bindings/, with the libraries
#                       of this build, when they exist in the tree (skipped with a message if not)
#
# Usage: scripts/package.sh [--platform PLATFORM] [--out DIR] [--no-engine-addons | --no-godot]
#   PLATFORM  linux-x86_64 (the default), windows-x86_64-msvc, windows-x86_64-gnu,
#             macos-universal, android, ios. docs/PLATFORMS.md gives the toolchains each needs;
#             only linux-x86_64 is built and tested by scripts/test-package.sh.
#   --out DIR the parent directory of the package (default: dist/, git-ignored)
#   --no-engine-addons  leave out the Godot addon and the Unity package (no Godot build)
#   --no-godot          leave out only the Godot addon
# Prints the package directory on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

platform=linux-x86_64
out="$root/dist"
addons=1
godot=1
while [ $# -gt 0 ]; do
    case "$1" in
        --platform) platform=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --no-engine-addons) addons=0; godot=0; shift ;;
        --no-godot) godot=0; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "package.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

case "$platform" in
    linux-x86_64 | windows-x86_64-msvc | windows-x86_64-gnu | macos-universal | android | ios) ;;
    *) echo "package.sh: unknown platform $platform (see --help)" >&2; exit 2 ;;
esac

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
IFS=. read -r major minor _ <<<"$version"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$out"
pkg="$(cd "$out" && pwd)/gamecrypt-$version-$platform"
log() { printf '== %s\n' "$*" >&2; }

# cargo_build TRIPLE [CARGO-PREFIX...]: builds the release cdylib and staticlib for TRIPLE
# ("host" = this machine, into target/release) and sets $rel (the output directory) and
# $native_libs (what the static library needs, as rustc prints it).
cargo_build() {
    local triple=$1
    shift
    local target_args=()
    rel="$target_dir/release"
    if [ "$triple" != host ]; then
        target_args=(--target "$triple")
        rel="$target_dir/$triple/release"
    fi
    # cargo-ndk passes --target itself.
    [ "${1:-}" != ndk ] || target_args=()
    log "cargo ${*:+$* }rustc --release --lib ${target_args[*]}"
    local notes
    # The build's messages go on to our stderr through the inherited descriptor (`tee
    # /dev/stderr` would open it again and truncate a log file that stderr is redirected to).
    notes=$(cargo "$@" rustc --release --lib "${target_args[@]}" -- --print native-static-libs 2>&1 |
        tee >(cat >&2) | sed -n 's/.*note: native-static-libs: //p' | tail -n1)
    if [ -z "$notes" ]; then
        # The crate was fresh and cargo replayed its last compilation's messages, from a
        # plain `cargo build` without the note: compile this crate (only) once more.
        touch "$root/src/lib.rs"
        notes=$(cargo "$@" rustc --release --lib "${target_args[@]}" -- --print native-static-libs 2>&1 |
            sed -n 's/.*note: native-static-libs: //p' | tail -n1)
    fi
    [ -n "$notes" ] || { echo "package.sh: rustc printed no native-static-libs" >&2; exit 1; }
    native_libs=$notes
}

# The system libraries as CMake link items: -lfoo and foo.lib become foo; MSVC's
# /defaultlib: entries are left to the consumer's CRT choice; -framework X stays one item.
cmake_libs() {
    local items=() words=() i=0
    read -r -a words <<<"$1"
    while [ $i -lt ${#words[@]} ]; do
        local w=${words[$i]}
        case "$w" in
            -framework) items+=("-framework ${words[$((i + 1))]}"); i=$((i + 1)) ;;
            -l:*) items+=("$w") ;;
            -l*) items+=("${w#-l}") ;;
            *.lib) items+=("${w%.lib}") ;;
            /defaultlib:*) ;;
            *) items+=("$w") ;;
        esac
        i=$((i + 1))
    done
    local IFS=';'
    echo "${items[*]}"
}

# fill TEMPLATE DEST KEY=VALUE...: replaces @KEY@ in packaging/TEMPLATE.
fill() {
    local template=$1 dest=$2 expr=()
    shift 2
    for kv in "$@"; do
        local value=${kv#*=}
        value=${value//\\/\\\\}
        value=${value//|/\\|}
        value=${value//&/\\&}
        expr+=(-e "s|@${kv%%=*}@|$value|g")
    done
    mkdir -p "$(dirname "$dest")"
    sed "${expr[@]}" "$root/packaging/$template" >"$dest"
    if grep -q '@[A-Z_]*@' "$dest"; then
        echo "package.sh: unfilled placeholder in $dest" >&2
        exit 1
    fi
}

# write_configs LIBDIR STATIC SHARED IMPLIB SONAME POINTER_SIZE: the pkg-config and CMake files
# (paths relative to the package root).
write_configs() {
    local libdir=$1 static=$2 shared=$3 implib=$4 soname=$5 pointer_size=$6
    case "$libdir" in
        *'$'*) ;; # a CMake variable in the path (Android): one .pc per ABI, written by the caller
        *) fill gamecrypt.pc.in "$pkg/$libdir/pkgconfig/gamecrypt.pc" \
            "LIBDIR=$libdir" "VERSION=$version" "NATIVE_LIBS=$native_libs" ;;
    esac
    fill gamecryptConfig.cmake.in "$pkg/lib/cmake/gamecrypt/gamecryptConfig.cmake" \
        "VERSION=$version" "VERSION_MAJOR_MINOR=$major.$minor" "STATIC_LOCATION=$static" \
        "SHARED_LOCATION=$shared" "SHARED_IMPLIB=$implib" "SHARED_SONAME=$soname" \
        "CMAKE_NATIVE_LIBS=$(cmake_libs "$native_libs")"
    fill gamecryptConfigVersion.cmake.in "$pkg/lib/cmake/gamecrypt/gamecryptConfigVersion.cmake" \
        "VERSION=$version" "VERSION_MAJOR=$major" "VERSION_MINOR=$minor" "POINTER_SIZE=$pointer_size"
}

rm -rf "$pkg"
mkdir -p "$pkg/include" "$pkg/lib"
cp include/gamecrypt.h include/gamecrypt.hpp "$pkg/include/"
cp LICENSE-APACHE LICENSE-MIT README.md "$pkg/"

# Engine folders: where this platform's library goes inside them (set below).
unity_dir="" unity_lib="" godot_key="" godot_triple="" godot_lib=""
godot_name=$(sed -n 's/^name = "\(.*\)"$/\1/p' bindings/godot/Cargo.toml 2>/dev/null | head -n1 | tr - _ || true)
built=()

# ---- Everything platform-specific is in this one block. ----
case "$platform" in
    linux-x86_64)
        [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { echo "package.sh: build linux-x86_64 on Linux x86-64" >&2; exit 1; }
        cargo_build host
        so="libgamecrypt.so.$version" soname="libgamecrypt.so.$major"
        strip --strip-unneeded -o "$pkg/lib/$so" "$rel/libgamecrypt.so"
        got=$(readelf -d "$pkg/lib/$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
        [ "$got" = "$soname" ] || { echo "package.sh: SONAME is '$got', expected $soname (build.rs)" >&2; exit 1; }
        ln -s "$so" "$pkg/lib/$soname"
        ln -s "$soname" "$pkg/lib/libgamecrypt.so"
        # Only gamecrypt_* global, no debug info, no LLVM bitcode (see the script).
        packaging/hide-static-symbols.sh "$rel/libgamecrypt.a" "$pkg/lib/libgamecrypt.a"
        write_configs lib lib/libgamecrypt.a "lib/$so" "" "$soname" 8
        unity_dir=Plugins/Linux/x86_64 unity_lib="lib/$so:libgamecrypt.so"
        godot_key='linux\.[a-z]*\.x86_64' godot_triple=host godot_lib="lib$godot_name.so"
        ;;
    windows-x86_64-msvc | windows-x86_64-gnu)
        if [ "$platform" = windows-x86_64-msvc ]; then
            triple=x86_64-pc-windows-msvc implib=gamecrypt.dll.lib static=gamecrypt.lib
        else
            triple=x86_64-pc-windows-gnu implib=libgamecrypt.dll.a static=libgamecrypt.a
        fi
        cargo_build "$triple"
        mkdir -p "$pkg/bin"
        cp "$rel/gamecrypt.dll" "$pkg/bin/"
        cp "$rel/$implib" "$rel/$static" "$pkg/lib/"
        [ ! -f "$rel/gamecrypt.pdb" ] || cp "$rel/gamecrypt.pdb" "$pkg/bin/"
        write_configs lib "lib/$static" bin/gamecrypt.dll "lib/$implib" "" 8
        unity_dir=Plugins/Windows/x86_64 unity_lib=bin/gamecrypt.dll:gamecrypt.dll
        godot_key='windows\.[a-z]*\.x86_64' godot_triple=$triple godot_lib="$godot_name.dll"
        ;;
    macos-universal)
        export MACOSX_DEPLOYMENT_TARGET="${MACOSX_DEPLOYMENT_TARGET:-11.0}"
        for triple in x86_64-apple-darwin aarch64-apple-darwin; do
            cargo_build "$triple"
            built+=("$rel")
        done
        lipo -create -output "$pkg/lib/libgamecrypt.dylib" "${built[0]}/libgamecrypt.dylib" "${built[1]}/libgamecrypt.dylib"
        lipo -create -output "$pkg/lib/libgamecrypt.a" "${built[0]}/libgamecrypt.a" "${built[1]}/libgamecrypt.a"
        strip -x "$pkg/lib/libgamecrypt.dylib"
        strip -S "$pkg/lib/libgamecrypt.a"
        write_configs lib lib/libgamecrypt.a lib/libgamecrypt.dylib "" "" 8
        unity_dir=Plugins/macOS unity_lib=lib/libgamecrypt.dylib:libgamecrypt.dylib
        ;;
    android)
        : "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to the Android NDK (docs/PLATFORMS.md)}"
        strip_tool=$(ls "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-strip | head -n1)
        for abi in arm64-v8a armeabi-v7a x86_64; do
            case $abi in
                arm64-v8a) triple=aarch64-linux-android ;;
                armeabi-v7a) triple=armv7-linux-androideabi ;;
                x86_64) triple=x86_64-linux-android ;;
            esac
            cargo_build "$triple" ndk -t "$abi" --platform "${ANDROID_API:-21}"
            mkdir -p "$pkg/lib/$abi"
            "$strip_tool" --strip-unneeded -o "$pkg/lib/$abi/libgamecrypt.so" "$rel/libgamecrypt.so"
            "$strip_tool" --strip-debug -o "$pkg/lib/$abi/libgamecrypt.a" "$rel/libgamecrypt.a"
            fill gamecrypt.pc.in "$pkg/lib/$abi/pkgconfig/gamecrypt.pc" \
                "LIBDIR=lib/$abi" "VERSION=$version" "NATIVE_LIBS=$native_libs"
            sed -i 's|^prefix=${pcfiledir}/../..$|prefix=${pcfiledir}/../../..|' "$pkg/lib/$abi/pkgconfig/gamecrypt.pc"
        done
        # One CMake package for the three ABIs: the NDK toolchain file sets ANDROID_ABI.
        write_configs 'lib/${ANDROID_ABI}' 'lib/${ANDROID_ABI}/libgamecrypt.a' \
            'lib/${ANDROID_ABI}/libgamecrypt.so' "" libgamecrypt.so ""
        unity_dir=Plugins/Android unity_lib=android
        ;;
    ios)
        export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-13.0}"
        for triple in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
            cargo_build "$triple"
            mkdir -p "$target_dir/ios-package/$triple"
            strip -S -o "$target_dir/ios-package/$triple/libgamecrypt.a" "$rel/libgamecrypt.a"
        done
        mkdir -p "$target_dir/ios-package/simulator"
        lipo -create -output "$target_dir/ios-package/simulator/libgamecrypt.a" \
            "$target_dir/ios-package/aarch64-apple-ios-sim/libgamecrypt.a" \
            "$target_dir/ios-package/x86_64-apple-ios/libgamecrypt.a"
        xcodebuild -create-xcframework \
            -library "$target_dir/ios-package/aarch64-apple-ios/libgamecrypt.a" -headers "$pkg/include" \
            -library "$target_dir/ios-package/simulator/libgamecrypt.a" -headers "$pkg/include" \
            -output "$pkg/lib/gamecrypt.xcframework"
        unity_dir=Plugins/iOS unity_lib="$target_dir/ios-package/aarch64-apple-ios/libgamecrypt.a:libgamecrypt.a"
        ;;
    *) echo "package.sh: unknown platform $platform (see --help)" >&2; exit 2 ;;
esac
# ---- End of the platform-specific block. ----

# The Unity package: the C# sources as they are, with this build's library in Plugins/.
unity_pkg=$(ls -d bindings/csharp/unity/*/ 2>/dev/null | head -n1 || true)
if [ "$addons" = 0 ]; then
    log "Unity package: left out (--no-engine-addons)"
elif [ -z "$unity_pkg" ] || [ -z "$unity_dir" ]; then
    log "Unity package: skipped (no bindings/csharp/unity/<package>/ in this tree)"
else
    name=$(basename "$unity_pkg")
    log "Unity package $name: library into $unity_dir"
    mkdir -p "$pkg/unity"
    cp -R "$unity_pkg" "$pkg/unity/$name"
    # Libraries a local build left in the tree (git-ignored) are not this package's.
    find "$pkg/unity/$name/Plugins" -type f ! -name '*.meta' -delete 2>/dev/null || true
    if [ "$unity_lib" = android ]; then
        for abi in arm64-v8a armeabi-v7a x86_64; do
            mkdir -p "$pkg/unity/$name/$unity_dir/$abi"
            cp "$pkg/lib/$abi/libgamecrypt.so" "$pkg/unity/$name/$unity_dir/$abi/"
        done
    else
        src=${unity_lib%%:*}
        [ "${src#/}" != "$src" ] || src="$pkg/$src"
        mkdir -p "$pkg/unity/$name/$unity_dir"
        cp -L "$src" "$pkg/unity/$name/$unity_dir/${unity_lib##*:}"
    fi
fi

# The Godot addon: its files as they are, with the GDExtension library built from
# bindings/godot (release) for this platform at the paths its .gdextension names for this
# platform (the debug entry too, so that the editor loads it). Libraries a local build left
# in the tree are not copied.
addon=bindings/godot/addons/gamecrypt
if [ "$godot" = 0 ]; then
    log "Godot addon: left out (--no-engine-addons or --no-godot)"
elif [ ! -d "$addon" ]; then
    log "Godot addon: skipped (no $addon/ in this tree)"
else
    mkdir -p "$pkg/godot/addons"
    cp -R "$addon" "$pkg/godot/addons/"
    find "$pkg/godot/addons/gamecrypt" -type f \( -name '*.so' -o -name '*.dll' -o -name '*.dylib' -o -name '*.a' \) -delete
    gdext=$(ls "$addon"/*.gdextension 2>/dev/null | head -n1 || true)
    entries=""
    [ -z "$gdext" ] || [ -z "$godot_key" ] ||
        entries=$(sed -n "s|^${godot_key}[ ]*=[ ]*\"res://addons/gamecrypt/\(.*\)\"|\1|p" "$gdext")
    if [ -z "$entries" ] || [ -z "$godot_name" ] || [ -z "$godot_lib" ]; then
        log "Godot addon: copied without a library (no bindings/godot/Cargo.toml, no ${godot_key:-entry for this platform} in ${gdext:-a .gdextension}, or this platform's GDExtension is built by hand: docs/PLATFORMS.md)"
    else
        log "Godot addon: building bindings/godot (release) for $godot_key"
        godot_args=(build --release --lib --manifest-path bindings/godot/Cargo.toml)
        godot_out="$root/bindings/godot/target/release"
        if [ "$godot_triple" != host ]; then
            godot_args+=(--target "$godot_triple")
            godot_out="$root/bindings/godot/target/$godot_triple/release"
        fi
        cargo "${godot_args[@]}" >&2
        for entry in $entries; do
            mkdir -p "$pkg/godot/addons/gamecrypt/$(dirname "$entry")"
            cp "$godot_out/$godot_lib" "$pkg/godot/addons/gamecrypt/$entry"
            [ "$platform" != linux-x86_64 ] || strip --strip-unneeded "$pkg/godot/addons/gamecrypt/$entry"
            log "Godot addon: $entry"
        done
    fi
fi

log "package: $pkg"
echo "$pkg"
