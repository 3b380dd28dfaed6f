//! Runs the independent Python checks of the session test vectors (`tests/vectors/*.py`,
//! Python `cryptography`, written from docs/PROTOCOL.md). Without python3 or `cryptography`
//! they are skipped with a message on a developer machine, and fail in CI (`CI` is set), where
//! the test command installs both.

use std::process::Command;

/// Runs `script` on `vectors` (both under tests/vectors/) once `probe` imports, and checks
/// that it exits 0 and prints `expected`.
fn python_check(probe: &str, script: &str, vectors: &str, expected: &str) {
    let dir = env!("CARGO_MANIFEST_DIR");
    let available = Command::new("python3")
        .args(["-c", probe])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        let msg = format!("python3 cannot run `{probe}` (install the cryptography package)");
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED: {msg}");
        return;
    }
    let out = Command::new("python3")
        .arg(format!("{dir}/tests/vectors/{script}"))
        .arg(format!("{dir}/tests/vectors/{vectors}"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(expected), "{stdout}");
}

#[test]
fn python_recomputes_the_session_vectors() {
    python_check(
        "import cryptography",
        "check_vectors.py",
        "session_v1.json",
        "all 3 vectors match the specification",
    );
}

/// Key update derivation and packets, hybrid X25519MLKEM768 suites with ML-KEM-768 from
/// `cryptography`.
#[test]
fn python_recomputes_the_hardening_vectors() {
    python_check(
        "from cryptography.hazmat.primitives.asymmetric import mlkem",
        "check_vectors.py",
        "session_v1_hardening.json",
        "all 4 hardening vectors match the specification",
    );
}

/// The client authentication and retry vectors (docs/PROTOCOL.md sections 21 and 22).
#[test]
fn python_recomputes_the_clientauth_and_retry_vectors() {
    python_check(
        "import cryptography",
        "check_vectors_clientauth.py",
        "session_v1_clientauth.json",
        "all 2 client authentication and retry vectors match the specification",
    );
}
