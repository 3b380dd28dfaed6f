//! Generates `include/gamecrypt.h` from `src/ffi/` with cbindgen.
//!
//! The header is committed; CI regenerates it and fails when the committed copy is stale.
//! The version macros come from Cargo.toml, so the header can never disagree with the crate.
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
