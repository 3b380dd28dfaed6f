//! Runs the independent Python check of the session test vectors
//! (`tests/vectors/check_vectors.py`, Python `cryptography`, written from docs/PROTOCOL.md).
//! Skipped with a message when python3 or the `cryptography` package is not installed.

use std::process::Command;

#[test]
fn python_recomputes_the_session_vectors() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let probe = Command::new("python3")
        .args(["-c", "import cryptography"])
        .output();
    match probe {
        Ok(o) if o.status.success() => {}
        _ => {
            eprintln!("SKIPPED: python3 with the cryptography package is not available");
            return;
        }
    }
    let out = Command::new("python3")
        .arg(format!("{dir}/tests/vectors/check_vectors.py"))
        .arg(format!("{dir}/tests/vectors/session_v1.json"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "check_vectors.py failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("all 3 vectors match the specification"),
        "{stdout}"
    );
}

/// The same independent check for `tests/vectors/session_v1_hardening.json` (key update
/// derivation and packets, hybrid X25519MLKEM768 suites with ML-KEM-768 from `cryptography`).
#[test]
fn python_recomputes_the_hardening_vectors() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let probe = Command::new("python3")
        .args([
            "-c",
            "from cryptography.hazmat.primitives.asymmetric import mlkem",
        ])
        .output();
    match probe {
        Ok(o) if o.status.success() => {}
        _ => {
            eprintln!(
                "SKIPPED: python3 with a cryptography package that has ML-KEM is not available"
            );
            return;
        }
    }
    let out = Command::new("python3")
        .arg(format!("{dir}/tests/vectors/check_vectors.py"))
        .arg(format!("{dir}/tests/vectors/session_v1_hardening.json"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "check_vectors.py failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("all 4 hardening vectors match the specification"),
        "{stdout}"
    );
}

/// The client authentication and retry vectors (`tests/vectors/check_vectors_clientauth.py`,
/// written from docs/PROTOCOL.md sections 21 and 22).
#[test]
fn python_recomputes_the_clientauth_and_retry_vectors() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let probe = Command::new("python3")
        .args(["-c", "import cryptography"])
        .output();
    match probe {
        Ok(o) if o.status.success() => {}
        _ => {
            eprintln!("SKIPPED: python3 with the cryptography package is not available");
            return;
        }
    }
    let out = Command::new("python3")
        .arg(format!("{dir}/tests/vectors/check_vectors_clientauth.py"))
        .arg(format!("{dir}/tests/vectors/session_v1_clientauth.json"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "check_vectors_clientauth.py failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("all 2 client authentication and retry vectors match the specification"),
        "{stdout}"
    );
}
