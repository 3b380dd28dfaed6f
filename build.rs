//! Generates `include/gamecrypt.h` from `src/ffi/` with cbindgen.
//!
//! The header is committed; CI regenerates it and fails when the committed copy is stale.
//! The version macros come from Cargo.toml, so the header can never disagree with the crate.

use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=src/lib.rs");
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
