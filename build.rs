//! Generates `include/gamecrypt.h` from `src/ffi/` with cbindgen.
//!
//! The header is committed; CI regenerates it and fails when the committed copy is stale.
//! The version macros come from Cargo.toml, so the header can never disagree with the crate.
//!
//! It also sets the shared library's platform link options (SONAME, exported symbols): the
//! only platform-specific part of the build, in `shared_library_link_args()`.
//!
//! The `gamecrypt_result` enum comes from the error table in `src/error.rs` (cbindgen does not
//! expand macros, so this script reads the table and writes the enum itself).

use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=src/lib.rs");
    println!("cargo:rerun-if-changed=src/error.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=Cargo.toml");
    shared_library_link_args();

    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml must parse");
    let version = |name: &str| env::var(name).expect("cargo sets the version variables");
    if let Some(text) = config.after_includes.as_mut() {
        *text = text
            .replace("@MAJOR@", &version("CARGO_PKG_VERSION_MAJOR"))
            .replace("@MINOR@", &version("CARGO_PKG_VERSION_MINOR"))
            .replace("@PATCH@", &version("CARGO_PKG_VERSION_PATCH"))
            .replace("@VERSION@", &version("CARGO_PKG_VERSION"));
        let errors = std::fs::read_to_string(crate_dir.join("src").join("error.rs"))
            .expect("src/error.rs is readable");
        text.push_str(&result_enum(&errors));
    }

    match cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
    {
        // write_to_file leaves the file untouched when the content is the same.
        Ok(bindings) => {
            bindings.write_to_file(crate_dir.join("include").join("gamecrypt.h"));
        }
        // A syntax error is reported by rustc with a better message; keep the old header.
        Err(cbindgen::Error::ParseSyntaxError { .. }) => {}
        Err(e) => panic!("cbindgen failed: {e:?}"),
    }
}

/// Link options of the shared library (cdylib) that depend on the target platform.
///
/// Linux: the SONAME carries the major version (`libgamecrypt.so.0`; scripts/package.sh adds
/// the `libgamecrypt.so.<version>` file and the symlinks), and a version script exports only
/// `gamecrypt_*` (nothing of the Rust runtime or of AWS-LC). macOS and iOS: the install name
/// is `@rpath/libgamecrypt.dylib`. Android: an unversioned SONAME and 16 KiB page alignment.
/// Windows needs nothing here (a DLL exports only what rustc marks for export).
fn shared_library_link_args() {
    let os = env::var("CARGO_CFG_TARGET_OS").expect("cargo sets the target OS");
    match os.as_str() {
        "linux" => {
            let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
            let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
            let script = out_dir.join("gamecrypt.map");
            std::fs::write(&script, "{\n  global: gamecrypt_*;\n  local: *;\n};\n")
                .expect("OUT_DIR is writable");
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libgamecrypt.so.{major}");
            println!(
                "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
                script.display()
            );
        }
        "android" => {
            // Android loads the library by file name; 16 KiB pages are required by Google Play
            // for apps targeting Android 15.
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libgamecrypt.so");
            println!("cargo:rustc-cdylib-link-arg=-Wl,-z,max-page-size=16384");
        }
        "macos" | "ios" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libgamecrypt.dylib");
        }
        _ => {}
    }
}

/// The C `gamecrypt_result` enum, from the entries of `error_table!` in `src/error.rs`: doc
/// lines (`/// ...`), entries (`Name = code => "message",`) and plain comments (skipped).
fn result_enum(error_rs: &str) -> String {
    let start = error_rs
        .find("macro_rules! error_table")
        .expect("src/error.rs defines error_table");
    let mut out = String::from(
        "\n/**\n * The result of every fallible gamecrypt function.\n *\n \
         * Values are explicit and never reused (a retired code stays reserved). \
         `GAMECRYPT_RESULT_OK`\n * is 0; every error has the same number as in the Rust \
         `gamecrypt::Error`.\n * `gamecrypt_result_str()` gives a static message for any value.\n \
         */\ntypedef enum {\n  /**\n   * Success.\n   */\n  GAMECRYPT_RESULT_OK = 0,\n",
    );
    let mut doc: Vec<&str> = Vec::new();
    let mut entries = 0;
    for line in error_rs[start..].lines().map(str::trim) {
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.strip_prefix(' ').unwrap_or(text));
        } else if let Some((name, rest)) = line.split_once(" = ") {
            let code = rest
                .split_once(" => ")
                .expect("entry: Name = code => \"message\",")
                .0;
            assert!(
                code.parse::<u32>().is_ok(),
                "bad code in error table: {line}"
            );
            out.push_str("  /**\n");
            for d in doc.drain(..) {
                out.push_str(format!("   * {d}").trim_end());
                out.push('\n');
            }
            out.push_str(&format!(
                "   */\n  GAMECRYPT_RESULT_{} = {code},\n",
                screaming(name)
            ));
            entries += 1;
        } else if line == "};" {
            break;
        }
    }
    assert!(entries > 0, "no entries found in the error table");
    out.push_str("} gamecrypt_result;");
    out
}

/// `BufferTooSmall` -> `BUFFER_TOO_SMALL`.
fn screaming(name: &str) -> String {
    let mut s = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(c.to_ascii_uppercase());
    }
    s
}
