//! Interoperability with the `openssl` command line tool (OpenSSL 3), through the C ABI.
//!
//! Keys written by openssl load in gamecrypt, keys exported by gamecrypt load in openssl, and
//! signatures verify in both directions. The `openssl` binary is required: without it every
//! test here fails (CI installs it).

use gamecrypt::ffi::gamecrypt_result as R;
use gamecrypt::ffi::keys::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicU32, Ordering};

// ---- openssl and a scratch directory ---------------------------------------------------------

/// Runs openssl in `dir`; returns stdout, panics with stderr on failure.
fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = run_openssl(dir, args);
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs openssl in `dir`; returns whether it succeeded (for verification commands).
fn openssl_ok(dir: &Path, args: &[&str]) -> bool {
    run_openssl(dir, args).status.success()
}

fn run_openssl(dir: &Path, args: &[&str]) -> std::process::Output {
    match Command::new("openssl").args(args).current_dir(dir).output() {
        Ok(out) => out,
        Err(e) => panic!(
            "cannot run the `openssl` binary ({e}). These interoperability tests need OpenSSL 3 \
             on the PATH (e.g. `apt-get install openssl`); they are not skipped on purpose."
        ),
    }
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "gamecrypt-openssl-{name}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.0.join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    fn write(&self, name: &str, data: &[u8]) {
        std::fs::write(self.0.join(name), data).unwrap_or_else(|e| panic!("write {name}: {e}"))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---- Thin safe wrappers over the C ABI --------------------------------------------------------

struct Signing(*mut gamecrypt_signing_key);
struct Public(*mut gamecrypt_public_key);

impl Drop for Signing {
    fn drop(&mut self) {
        unsafe { gamecrypt_signing_key_free(self.0) }
    }
}
impl Drop for Public {
    fn drop(&mut self) {
        unsafe { gamecrypt_public_key_free(self.0) }
    }
}

/// Calls an `(out, out_cap, out_len)` export twice: a size query, then the real call.
fn two_step(mut f: impl FnMut(*mut u8, usize, *mut usize) -> R) -> Result<Vec<u8>, R> {
    let mut len = 0usize;
    match f(null_mut(), 0, &mut len) {
        R::BufferTooSmall => {}
        R::Ok if len == 0 => return Ok(Vec::new()),
        other => return Err(other),
    }
    let mut buf = vec![0u8; len];
    let mut written = 0usize;
    match f(buf.as_mut_ptr(), buf.len(), &mut written) {
        R::Ok => {
            buf.truncate(written);
            Ok(buf)
        }
        other => Err(other),
    }
}

impl Signing {
    fn generate(kt: gamecrypt_key_type) -> Signing {
        let mut k = null_mut();
        assert_eq!(unsafe { gamecrypt_signing_key_generate(kt, &mut k) }, R::Ok);
        Signing(k)
    }

    fn from_pem(text: &[u8]) -> Result<Signing, R> {
        let mut k = null_mut();
        match unsafe { gamecrypt_signing_key_from_pem(text.as_ptr().cast(), text.len(), &mut k) } {
            R::Ok => Ok(Signing(k)),
            e => {
                assert!(k.is_null(), "handle written on failure");
                Err(e)
            }
        }
    }

    fn from_der(der: &[u8]) -> Result<Signing, R> {
        let mut k = null_mut();
        match unsafe { gamecrypt_signing_key_from_der(der.as_ptr(), der.len(), &mut k) } {
            R::Ok => Ok(Signing(k)),
            e => Err(e),
        }
    }

    fn key_type(&self) -> gamecrypt_key_type {
        let mut kt = 0;
        assert_eq!(
            unsafe { gamecrypt_signing_key_type(self.0, &mut kt) },
            R::Ok
        );
        kt
    }

    fn public(&self) -> Public {
        let mut p = null_mut();
        assert_eq!(
            unsafe { gamecrypt_signing_key_public_key(self.0, &mut p) },
            R::Ok
        );
        Public(p)
    }

    fn pkcs8_der(&self) -> Vec<u8> {
        two_step(|o, c, l| unsafe { gamecrypt_signing_key_to_pkcs8_der(self.0, o, c, l) }).unwrap()
    }

    fn pkcs8_pem(&self) -> Vec<u8> {
        two_step(|o, c, l| unsafe { gamecrypt_signing_key_to_pkcs8_pem(self.0, o.cast(), c, l) })
            .unwrap()
    }

    fn sign(&self, msg: &[u8], format: gamecrypt_signature_format) -> Vec<u8> {
        let mut cap = 0;
        assert_eq!(
            unsafe { gamecrypt_signing_key_max_signature_len(self.0, format, &mut cap) },
            R::Ok
        );
        let mut sig = vec![0u8; cap];
        let mut len = 0;
        let r = unsafe {
            gamecrypt_signing_key_sign(
                self.0,
                msg.as_ptr(),
                msg.len(),
                format,
                sig.as_mut_ptr(),
                sig.len(),
                &mut len,
            )
        };
        assert_eq!(r, R::Ok);
        sig.truncate(len);
        sig
    }
}

impl Public {
    fn from_pem(text: &[u8]) -> Result<Public, R> {
        let mut p = null_mut();
        match unsafe { gamecrypt_public_key_from_pem(text.as_ptr().cast(), text.len(), &mut p) } {
            R::Ok => Ok(Public(p)),
            e => Err(e),
        }
    }

    fn from_spki_der(der: &[u8]) -> Result<Public, R> {
        let mut p = null_mut();
        match unsafe { gamecrypt_public_key_from_spki_der(der.as_ptr(), der.len(), &mut p) } {
            R::Ok => Ok(Public(p)),
            e => Err(e),
        }
    }

    fn from_raw(kt: gamecrypt_key_type, raw: &[u8]) -> Result<Public, R> {
        let mut p = null_mut();
        match unsafe { gamecrypt_public_key_from_raw(kt, raw.as_ptr(), raw.len(), &mut p) } {
            R::Ok => Ok(Public(p)),
            e => Err(e),
        }
    }

    fn spki_der(&self) -> Vec<u8> {
        two_step(|o, c, l| unsafe { gamecrypt_public_key_to_spki_der(self.0, o, c, l) }).unwrap()
    }

    fn pem(&self) -> Vec<u8> {
        two_step(|o, c, l| unsafe { gamecrypt_public_key_to_pem(self.0, o.cast(), c, l) }).unwrap()
    }

    fn raw(&self) -> Result<Vec<u8>, R> {
        two_step(|o, c, l| unsafe { gamecrypt_public_key_to_raw(self.0, o, c, l) })
    }

    fn raw_compressed(&self) -> Result<Vec<u8>, R> {
        two_step(|o, c, l| unsafe { gamecrypt_public_key_to_raw_compressed(self.0, o, c, l) })
    }

    fn fingerprint(&self) -> Vec<u8> {
        let mut fp = vec![0u8; gamecrypt_public_key_fingerprint_len()];
        assert_eq!(
            unsafe { gamecrypt_public_key_fingerprint(self.0, fp.as_mut_ptr(), fp.len()) },
            R::Ok
        );
        fp
    }

    fn verify(&self, msg: &[u8], sig: &[u8], format: gamecrypt_signature_format) -> R {
        unsafe {
            gamecrypt_public_key_verify(
                self.0,
                msg.as_ptr(),
                msg.len(),
                sig.as_ptr(),
                sig.len(),
                format,
            )
        }
    }
}

// ---- The algorithms and how openssl names them ------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Alg {
    name: &'static str,
    key_type: gamecrypt_key_type,
    genpkey: &'static [&'static str],
    /// `openssl dgst` digest flag; None for Ed25519 (signed with pkeyutl -rawin).
    digest: Option<&'static str>,
}

const ALGS: [Alg; 4] = [
    Alg {
        name: "p256",
        key_type: GAMECRYPT_KEY_TYPE_ECDSA_P256,
        genpkey: &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        digest: Some("-sha256"),
    },
    Alg {
        name: "p384",
        key_type: GAMECRYPT_KEY_TYPE_ECDSA_P384,
        genpkey: &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        digest: Some("-sha384"),
    },
    Alg {
        name: "ed25519",
        key_type: GAMECRYPT_KEY_TYPE_ED25519,
        genpkey: &["-algorithm", "ED25519"],
        digest: None,
    },
    Alg {
        name: "rsa2048",
        key_type: GAMECRYPT_KEY_TYPE_RSA,
        genpkey: &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        digest: Some("-sha256"),
    },
];

const PSS: &[&str] = &[
    "-sigopt",
    "rsa_padding_mode:pss",
    "-sigopt",
    "rsa_pss_saltlen:32",
];

/// openssl signs `msg.bin` with `key` into `out`.
fn openssl_sign(dir: &TempDir, alg: Alg, key: &str, out: &str, pss: bool) {
    let mut args: Vec<&str> = match alg.digest {
        Some(d) => vec!["dgst", d, "-sign", key, "-out", out],
        None => vec!["pkeyutl", "-sign", "-rawin", "-inkey", key, "-out", out],
    };
    if pss {
        args.extend_from_slice(PSS);
    }
    args.extend_from_slice(if alg.digest.is_some() {
        &["msg.bin"][..]
    } else {
        &["-in", "msg.bin"][..]
    });
    openssl(dir.path(), &args);
}

/// Whether openssl accepts `sig` over `msg` with the public key PEM `public`.
fn openssl_verifies(
    dir: &TempDir,
    alg: Alg,
    public: &str,
    msg: &str,
    sig: &str,
    pss: bool,
) -> bool {
    let mut args: Vec<&str> = match alg.digest {
        Some(d) => vec!["dgst", d, "-verify", public, "-signature", sig],
        None => vec![
            "pkeyutl", "-verify", "-pubin", "-inkey", public, "-rawin", "-sigfile", sig, "-in",
        ],
    };
    if pss {
        args.extend_from_slice(PSS);
    }
    args.push(msg);
    openssl_ok(dir.path(), &args)
}

const MESSAGE: &[u8] = b"gamecrypt <-> openssl interop message\n";

// ---- Tests ---------------------------------------------------------------------------------

#[test]
fn openssl_genpkey_keys_load_and_signatures_verify_both_ways() {
    for alg in ALGS {
        let dir = TempDir::new(alg.name);
        let p = dir.path();
        dir.write("msg.bin", MESSAGE);
        dir.write("other.bin", b"another message\n");
        let mut args = vec!["genpkey"];
        args.extend_from_slice(alg.genpkey);
        args.extend_from_slice(&["-out", "key.pem"]);
        openssl(p, &args);
        openssl(p, &["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"]);
        let spki = openssl(p, &["pkey", "-in", "key.pem", "-pubout", "-outform", "DER"]);
        dir.write("pub.der", &spki);
        let fingerprint = openssl(p, &["dgst", "-sha256", "-binary", "pub.der"]);
        assert_eq!(fingerprint.len(), 32);

        // PEM (PKCS#8) and both DER forms openssl writes load, with openssl's public key.
        let key = Signing::from_pem(&dir.read("key.pem")).expect(alg.name);
        let pkcs8_der = openssl(
            p,
            &[
                "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER",
            ],
        );
        let traditional_der = openssl(p, &["pkey", "-in", "key.pem", "-outform", "DER"]);
        for (form, der) in [("pkcs8", &pkcs8_der), ("traditional", &traditional_der)] {
            let k = Signing::from_der(der).unwrap_or_else(|e| panic!("{} {form}: {e:?}", alg.name));
            assert_eq!(k.public().spki_der(), spki, "{} {form}", alg.name);
        }
        assert_eq!(key.key_type(), alg.key_type);
        let public = key.public();
        assert_eq!(public.spki_der(), spki, "{}", alg.name);
        assert_eq!(public.fingerprint(), fingerprint, "{}", alg.name);
        let openssl_public = Public::from_pem(&dir.read("pub.pem")).unwrap();
        assert_eq!(openssl_public.spki_der(), spki);

        // gamecrypt signs, openssl verifies (and rejects another message).
        let mut formats = vec![(GAMECRYPT_SIGNATURE_DEFAULT, false)];
        if alg.key_type == GAMECRYPT_KEY_TYPE_RSA {
            formats.push((GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256, false));
            formats.push((GAMECRYPT_SIGNATURE_RSA_PSS_SHA256, true));
        }
        if alg.digest.is_some() && alg.key_type != GAMECRYPT_KEY_TYPE_RSA {
            formats.push((GAMECRYPT_SIGNATURE_ECDSA_DER, false));
        }
        for &(format, pss) in &formats {
            for round in 0..3 {
                let sig = key.sign(MESSAGE, format);
                dir.write("ours.sig", &sig);
                assert!(
                    openssl_verifies(&dir, alg, "pub.pem", "msg.bin", "ours.sig", pss),
                    "{} format {format} round {round}: openssl rejected our signature",
                    alg.name
                );
                assert!(
                    !openssl_verifies(&dir, alg, "pub.pem", "other.bin", "ours.sig", pss),
                    "{} format {format}: openssl accepted a signature over another message",
                    alg.name
                );
            }
        }

        // openssl signs, gamecrypt verifies (with the key loaded from openssl's PEM).
        for &(format, pss) in &formats {
            openssl_sign(&dir, alg, "key.pem", "theirs.sig", pss);
            let sig = dir.read("theirs.sig");
            assert_eq!(
                openssl_public.verify(MESSAGE, &sig, format),
                R::Ok,
                "{} {format}",
                alg.name
            );
            assert_eq!(
                public.verify(MESSAGE, &sig, format),
                R::Ok,
                "{} {format}",
                alg.name
            );
            assert_eq!(
                openssl_public.verify(b"another message\n", &sig, format),
                R::SignatureInvalid,
                "{} {format}",
                alg.name
            );
            let mut bad = sig.clone();
            let last = bad.len() - 1;
            bad[last] ^= 0x01;
            assert_eq!(
                openssl_public.verify(MESSAGE, &bad, format),
                R::SignatureInvalid
            );
        }
        if alg.key_type == GAMECRYPT_KEY_TYPE_RSA {
            // A PSS signature is not a PKCS#1 v1.5 signature.
            openssl_sign(&dir, alg, "key.pem", "pss.sig", true);
            let sig = dir.read("pss.sig");
            assert_eq!(
                public.verify(MESSAGE, &sig, GAMECRYPT_SIGNATURE_RSA_PKCS1_SHA256),
                R::SignatureInvalid
            );
        }
    }
}

#[test]
fn sec1_and_pkcs1_keys_from_openssl_load() {
    let dir = TempDir::new("sec1");
    let p = dir.path();
    for (curve, kt) in [
        ("prime256v1", GAMECRYPT_KEY_TYPE_ECDSA_P256),
        ("secp384r1", GAMECRYPT_KEY_TYPE_ECDSA_P384),
    ] {
        // `ecparam -genkey` writes an EC PARAMETERS block before the key: it must be skipped.
        openssl(
            p,
            &["ecparam", "-name", curve, "-genkey", "-out", "ecparam.pem"],
        );
        let text = dir.read("ecparam.pem");
        assert!(String::from_utf8_lossy(&text).contains("BEGIN EC PARAMETERS"));
        openssl(p, &["ec", "-in", "ecparam.pem", "-out", "sec1.pem"]);
        let sec1_der = openssl(p, &["ec", "-in", "ecparam.pem", "-outform", "DER"]);
        let spki = openssl(
            p,
            &["ec", "-in", "ecparam.pem", "-pubout", "-outform", "DER"],
        );
        // SEC1 without the public key (it is recomputed).
        openssl(
            p,
            &[
                "ec",
                "-in",
                "ecparam.pem",
                "-no_public",
                "-out",
                "nopub.pem",
            ],
        );
        for (name, key) in [
            ("ecparam -genkey", Signing::from_pem(&text)),
            ("ec PEM", Signing::from_pem(&dir.read("sec1.pem"))),
            ("ec DER", Signing::from_der(&sec1_der)),
            ("ec -no_public", Signing::from_pem(&dir.read("nopub.pem"))),
        ] {
            let key = key.unwrap_or_else(|e| panic!("{curve} {name}: {e:?}"));
            assert_eq!(key.key_type(), kt, "{curve} {name}");
            assert_eq!(key.public().spki_der(), spki, "{curve} {name}");
        }
    }
    // RSA PKCS#1 ("RSA PRIVATE KEY"), PEM and DER.
    openssl(
        p,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "rsa.pem",
        ],
    );
    openssl(
        p,
        &["rsa", "-in", "rsa.pem", "-traditional", "-out", "rsa1.pem"],
    );
    let pkcs1_der = openssl(
        p,
        &["rsa", "-in", "rsa.pem", "-traditional", "-outform", "DER"],
    );
    let spki = openssl(p, &["pkey", "-in", "rsa.pem", "-pubout", "-outform", "DER"]);
    let text = dir.read("rsa1.pem");
    assert!(String::from_utf8_lossy(&text).contains("BEGIN RSA PRIVATE KEY"));
    for key in [Signing::from_pem(&text), Signing::from_der(&pkcs1_der)] {
        let key = key.unwrap();
        assert_eq!(key.key_type(), GAMECRYPT_KEY_TYPE_RSA);
        assert_eq!(key.public().spki_der(), spki);
    }
}

#[test]
fn exported_keys_load_in_openssl() {
    let rsa_dir = TempDir::new("rsa-src");
    openssl(
        rsa_dir.path(),
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "rsa.pem",
        ],
    );
    let rsa = Signing::from_pem(&rsa_dir.read("rsa.pem")).unwrap();
    let keys = [
        (ALGS[0], Signing::generate(GAMECRYPT_KEY_TYPE_ECDSA_P256)),
        (ALGS[1], Signing::generate(GAMECRYPT_KEY_TYPE_ECDSA_P384)),
        (ALGS[2], Signing::generate(GAMECRYPT_KEY_TYPE_ED25519)),
        (ALGS[3], rsa),
    ];
    for (alg, key) in keys {
        let dir = TempDir::new(alg.name);
        let p = dir.path();
        dir.write("msg.bin", MESSAGE);
        let public = key.public();
        let spki = public.spki_der();

        // Private key: PKCS#8 PEM and DER load in `openssl pkey` with the same public key.
        let pem = key.pkcs8_pem();
        assert!(pem.starts_with(b"-----BEGIN PRIVATE KEY-----\n"));
        assert!(pem.ends_with(b"-----END PRIVATE KEY-----\n"));
        assert!(!pem.contains(&0), "no NUL in PEM output");
        dir.write("ours.pem", &pem);
        dir.write("ours.der", &key.pkcs8_der());
        assert_eq!(
            openssl(
                p,
                &["pkey", "-in", "ours.pem", "-pubout", "-outform", "DER"]
            ),
            spki,
            "{}",
            alg.name
        );
        assert_eq!(
            openssl(
                p,
                &["pkey", "-inform", "DER", "-in", "ours.der", "-pubout", "-outform", "DER"]
            ),
            spki,
            "{}",
            alg.name
        );
        // openssl re-encodes our DER to the same DER (we write canonical PKCS#8).
        assert_eq!(
            openssl(
                p,
                &[
                    "pkcs8", "-topk8", "-nocrypt", "-inform", "DER", "-in", "ours.der", "-outform",
                    "DER"
                ]
            ),
            key.pkcs8_der(),
            "{}",
            alg.name
        );
        match alg.key_type {
            GAMECRYPT_KEY_TYPE_ECDSA_P256 | GAMECRYPT_KEY_TYPE_ECDSA_P384 => {
                // `ec -check` fails unless the point matches the private scalar.
                openssl(p, &["ec", "-in", "ours.pem", "-check", "-noout"]);
                // openssl's own compressed and uncompressed points are ours.
                let unc = openssl(p, &["ec", "-in", "ours.pem", "-pubout", "-outform", "DER"]);
                let raw = public.raw().unwrap();
                assert_eq!(&unc[unc.len() - raw.len()..], &raw[..]);
                let comp = openssl(
                    p,
                    &[
                        "ec",
                        "-in",
                        "ours.pem",
                        "-pubout",
                        "-conv_form",
                        "compressed",
                        "-outform",
                        "DER",
                    ],
                );
                let point = public.raw_compressed().unwrap();
                assert_eq!(
                    &comp[comp.len() - point.len()..],
                    &point[..],
                    "{}",
                    alg.name
                );
            }
            GAMECRYPT_KEY_TYPE_RSA => {
                let check = openssl(p, &["rsa", "-in", "ours.pem", "-check", "-noout"]);
                assert!(String::from_utf8_lossy(&check).contains("RSA key ok"));
            }
            _ => {}
        }

        // Public key PEM and DER load in openssl.
        dir.write("ours.pub.pem", &public.pem());
        dir.write("ours.pub.der", &spki);
        assert_eq!(
            openssl(
                p,
                &["pkey", "-pubin", "-in", "ours.pub.pem", "-outform", "DER"]
            ),
            spki
        );
        assert_eq!(
            openssl(
                p,
                &[
                    "pkey",
                    "-pubin",
                    "-inform",
                    "DER",
                    "-in",
                    "ours.pub.der",
                    "-outform",
                    "PEM"
                ]
            ),
            public.pem()
        );

        // openssl signs with our exported private key; we verify with our public key.
        openssl_sign(&dir, alg, "ours.pem", "theirs.sig", false);
        assert_eq!(
            public.verify(
                MESSAGE,
                &dir.read("theirs.sig"),
                GAMECRYPT_SIGNATURE_DEFAULT
            ),
            R::Ok,
            "{}",
            alg.name
        );
        // And verifies our signatures with our exported public key.
        dir.write("ours.sig", &key.sign(MESSAGE, GAMECRYPT_SIGNATURE_DEFAULT));
        assert!(openssl_verifies(
            &dir,
            alg,
            "ours.pub.pem",
            "msg.bin",
            "ours.sig",
            false
        ));
    }
}

#[test]
fn openssl_public_keys_load_in_every_form() {
    let dir = TempDir::new("pub");
    let p = dir.path();
    for (curve, kt, raw_len, compressed_len) in [
        ("P-256", GAMECRYPT_KEY_TYPE_ECDSA_P256, 65, 33),
        ("P-384", GAMECRYPT_KEY_TYPE_ECDSA_P384, 97, 49),
    ] {
        let curve_opt = format!("ec_paramgen_curve:{curve}");
        openssl(
            p,
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                &curve_opt,
                "-out",
                "k.pem",
            ],
        );
        let spki = openssl(p, &["pkey", "-in", "k.pem", "-pubout", "-outform", "DER"]);
        let pem = openssl(p, &["pkey", "-in", "k.pem", "-pubout"]);
        let comp_der = openssl(
            p,
            &[
                "ec",
                "-in",
                "k.pem",
                "-pubout",
                "-conv_form",
                "compressed",
                "-outform",
                "DER",
            ],
        );
        let comp_pem = openssl(
            p,
            &["ec", "-in", "k.pem", "-pubout", "-conv_form", "compressed"],
        );
        assert!(comp_der.len() < spki.len());
        let reference = Public::from_spki_der(&spki).unwrap();
        let forms = [
            ("pem", Public::from_pem(&pem)),
            ("compressed der", Public::from_spki_der(&comp_der)),
            ("compressed pem", Public::from_pem(&comp_pem)),
            ("raw", Public::from_raw(kt, &spki[spki.len() - raw_len..])),
            (
                "raw compressed",
                Public::from_raw(kt, &comp_der[comp_der.len() - compressed_len..]),
            ),
        ];
        for (name, pk) in forms {
            let pk = pk.unwrap_or_else(|e| panic!("{curve} {name}: {e:?}"));
            assert_eq!(pk.spki_der(), spki, "{curve} {name}: stored canonically");
            assert_eq!(pk.fingerprint(), reference.fingerprint());
        }
        assert_eq!(reference.pem(), pem, "{curve}: same PEM text as openssl");
    }
    // Ed25519 and RSA (SubjectPublicKeyInfo and PKCS#1 RSAPublicKey).
    openssl(p, &["genpkey", "-algorithm", "ED25519", "-out", "ed.pem"]);
    let spki = openssl(p, &["pkey", "-in", "ed.pem", "-pubout", "-outform", "DER"]);
    let ed = Public::from_pem(&openssl(p, &["pkey", "-in", "ed.pem", "-pubout"])).unwrap();
    assert_eq!(ed.spki_der(), spki);
    assert_eq!(ed.raw().unwrap(), &spki[spki.len() - 32..]);
    assert_eq!(ed.raw_compressed().unwrap_err(), R::UnsupportedFormat);
    openssl(
        p,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:3072",
            "-out",
            "rsa.pem",
        ],
    );
    let spki = openssl(p, &["pkey", "-in", "rsa.pem", "-pubout", "-outform", "DER"]);
    let pkcs1 = openssl(p, &["rsa", "-in", "rsa.pem", "-RSAPublicKey_out"]);
    assert!(String::from_utf8_lossy(&pkcs1).contains("BEGIN RSA PUBLIC KEY"));
    for pk in [Public::from_spki_der(&spki), Public::from_pem(&pkcs1)] {
        let pk = pk.unwrap();
        assert_eq!(pk.spki_der(), spki);
        assert_eq!(pk.raw().unwrap_err(), R::UnsupportedFormat);
    }
}

#[test]
fn encrypted_small_and_foreign_keys_from_openssl_are_refused() {
    let dir = TempDir::new("refused");
    let p = dir.path();
    openssl(
        p,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "k.pem",
        ],
    );
    let encrypted = openssl(
        p,
        &[
            "pkcs8",
            "-topk8",
            "-in",
            "k.pem",
            "-v2",
            "aes-256-cbc",
            "-passout",
            "pass:secret",
        ],
    );
    assert_eq!(Signing::from_pem(&encrypted).err(), Some(R::KeyRejected));
    let legacy = openssl(
        p,
        &["ec", "-in", "k.pem", "-aes128", "-passout", "pass:secret"],
    );
    assert!(String::from_utf8_lossy(&legacy).contains("Proc-Type: 4,ENCRYPTED"));
    assert_eq!(Signing::from_pem(&legacy).err(), Some(R::KeyRejected));

    openssl(
        p,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:1024",
            "-out",
            "small.pem",
        ],
    );
    assert_eq!(
        Signing::from_pem(&dir.read("small.pem")).err(),
        Some(R::KeyRejected)
    );
    let small_pub = openssl(p, &["pkey", "-in", "small.pem", "-pubout"]);
    assert_eq!(Public::from_pem(&small_pub).err(), Some(R::KeyRejected));

    for args in [
        &[
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:secp256k1",
        ][..],
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"][..],
        &["-algorithm", "X25519"][..],
        &["-algorithm", "ED448"][..],
    ] {
        let mut a = vec!["genpkey"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["-out", "foreign.pem"]);
        openssl(p, &a);
        assert_eq!(
            Signing::from_pem(&dir.read("foreign.pem")).err(),
            Some(R::UnsupportedAlgorithm),
            "{args:?}"
        );
        let public = openssl(p, &["pkey", "-in", "foreign.pem", "-pubout"]);
        assert_eq!(
            Public::from_pem(&public).err(),
            Some(R::UnsupportedAlgorithm),
            "{args:?}"
        );
    }
    // A public key is not a private key, and the other way round.
    let public = openssl(p, &["pkey", "-in", "k.pem", "-pubout"]);
    assert_eq!(Signing::from_pem(&public).err(), Some(R::PemMalformed));
    assert_eq!(
        Public::from_pem(&dir.read("k.pem")).err(),
        Some(R::PemMalformed)
    );
}
