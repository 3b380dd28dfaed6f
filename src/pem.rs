//! PEM text (RFC 7468) for keys: find and decode one block, encode one block.
//!
//! Decoding is deliberately small and strict where it matters:
//! - text before, between and after blocks is ignored (comments, `EC PARAMETERS` blocks...);
//! - lines may end in LF or CRLF, and surrounding spaces or tabs on a line are ignored;
//! - the first block whose label the caller accepts is decoded; later blocks are not looked at;
//! - its body must be canonical, padded standard base64 (split over lines of any length);
//! - RFC 1421 headers are only recognised to reject encrypted keys (`Proc-Type: 4,ENCRYPTED`);
//!   any other header is an error, as is a block without its END line.
//!
//! Decoded bytes and the intermediate base64 text are zeroed when dropped: they may be a
//! private key.

use crate::error::{Error, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use zeroize::Zeroizing;

/// The largest PEM text accepted (1 MiB). Larger input is `Error::InvalidLength`.
pub const MAX_PEM_LEN: usize = 1 << 20;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// Finds the first block whose label is in `accepted` and returns that label and the decoded
/// bytes.
///
/// A block labelled with one of `rejected` before it (e.g. `ENCRYPTED PRIVATE KEY`) or an
/// accepted block with a `Proc-Type: 4,ENCRYPTED` header is `Error::KeyRejected`. No accepted
/// block, a truncated block or bad base64 is `Error::PemMalformed`.
pub fn decode<'l>(
    text: &[u8],
    accepted: &[&'l str],
    rejected: &[&str],
) -> Result<(&'l str, Zeroizing<Vec<u8>>)> {
    if text.len() > MAX_PEM_LEN {
        return Err(Error::InvalidLength);
    }
    // C callers may count the NUL terminator of their string in the length.
    let mut text = text;
    while let Some(rest) = text.strip_suffix(b"\0") {
        text = rest;
    }
    let mut lines = text.split(|&b| b == b'\n').map(trim);
    while let Some(line) = lines.next() {
        let Some(label) = begin_label(line)? else {
            continue; // text outside any block
        };
        let body = block_body(&mut lines, label)?;
        if let Some(&found) = accepted.iter().find(|l| l.as_bytes() == label) {
            return Ok((found, decode_body(&body)?));
        }
        if rejected.iter().any(|l| l.as_bytes() == label) {
            return Err(Error::KeyRejected);
        }
    }
    Err(Error::PemMalformed)
}

/// Encodes `der` as one PEM block with lines of 64 characters and LF line endings, ending in a
/// newline. The whole text is built in one allocation of the exact size (and zeroed on drop),
/// so no copy of a secret is left behind by reallocation.
pub fn encode(label: &str, der: &[u8]) -> Zeroizing<String> {
    let b64_len = base64::encoded_len(der.len(), true).unwrap_or(usize::MAX);
    let mut b64 = Zeroizing::new(vec![0u8; b64_len]);
    let written = STANDARD.encode_slice(der, &mut b64[..]).unwrap_or_default();
    let b64 = &b64[..written];
    let total = BEGIN.len()
        + label.len()
        + DASHES.len()
        + 1
        + b64.len()
        + b64.len().div_ceil(64)
        + END.len()
        + label.len()
        + DASHES.len()
        + 1;
    let mut out = Zeroizing::new(String::with_capacity(total));
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in b64.chunks(64) {
        // base64 output is ASCII.
        for &c in chunk {
            out.push(char::from(c));
        }
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    debug_assert_eq!(out.len(), total);
    out
}

fn trim(line: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r');
    let start = line.iter().position(|b| !is_space(b)).unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    &line[start..end]
}

/// `Some(label)` for a BEGIN line, `None` for any other line; a broken BEGIN line is an error.
fn begin_label(line: &[u8]) -> Result<Option<&[u8]>> {
    let Some(rest) = line.strip_prefix(BEGIN) else {
        if line.starts_with(b"-----BEGIN") {
            return Err(Error::PemMalformed);
        }
        return Ok(None);
    };
    let label = rest.strip_suffix(DASHES).ok_or(Error::PemMalformed)?;
    // RFC 7468: printable characters, spaces and hyphens, neither at either end.
    let edge_ok = |b: Option<&u8>| b.is_some_and(|&b| b != b'-' && b != b' ');
    let valid = edge_ok(label.first())
        && edge_ok(label.last())
        && label.iter().all(|&b| b.is_ascii_graphic() || b == b' ');
    if !valid {
        return Err(Error::PemMalformed);
    }
    Ok(Some(label))
}

/// Collects the lines of a block up to its END line.
fn block_body<'t>(
    lines: &mut impl Iterator<Item = &'t [u8]>,
    label: &[u8],
) -> Result<Vec<&'t [u8]>> {
    let mut body = Vec::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix(END) {
            return match rest.strip_suffix(DASHES) {
                Some(end_label) if end_label == label => Ok(body),
                _ => Err(Error::PemMalformed),
            };
        }
        if line.starts_with(b"-----") {
            return Err(Error::PemMalformed); // a BEGIN inside a block, or a broken END
        }
        body.push(line);
    }
    Err(Error::PemMalformed) // no END line
}

fn decode_body(body: &[&[u8]]) -> Result<Zeroizing<Vec<u8>>> {
    let mut rest = body;
    // RFC 1421 headers ("Name: value" lines, then an empty line) only appear in legacy
    // OpenSSL files, where they mean the key is encrypted.
    if body.first().is_some_and(|l| l.contains(&b':')) {
        let blank = body
            .iter()
            .position(|l| l.is_empty())
            .ok_or(Error::PemMalformed)?;
        let encrypted = body[..blank].iter().any(|l| {
            let upper = l.to_ascii_uppercase();
            upper.starts_with(b"PROC-TYPE:") && upper.windows(9).any(|w| w == b"ENCRYPTED")
        });
        if encrypted {
            return Err(Error::KeyRejected);
        }
        return Err(Error::PemMalformed);
    }
    // Blank lines are tolerated only at the ends of the body.
    while let Some((first, tail)) = rest.split_first() {
        if !first.is_empty() {
            break;
        }
        rest = tail;
    }
    while let Some((last, head)) = rest.split_last() {
        if !last.is_empty() {
            break;
        }
        rest = head;
    }
    let len: usize = rest.iter().map(|l| l.len()).sum();
    if len == 0 {
        return Err(Error::PemMalformed);
    }
    let mut b64 = Zeroizing::new(Vec::with_capacity(len));
    for line in rest {
        if line.is_empty() {
            return Err(Error::PemMalformed);
        }
        b64.extend_from_slice(line);
    }
    let mut out = Zeroizing::new(vec![0u8; base64::decoded_len_estimate(b64.len())]);
    let n = STANDARD
        .decode_slice(&b64[..], &mut out[..])
        .map_err(|_| Error::PemMalformed)?;
    out.truncate(n);
    if out.is_empty() {
        return Err(Error::PemMalformed);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCEPT: &[&str] = &["PRIVATE KEY", "EC PRIVATE KEY"];
    const REJECT: &[&str] = &["ENCRYPTED PRIVATE KEY"];

    fn dec(text: &str) -> Result<(&'static str, Vec<u8>)> {
        decode(text.as_bytes(), ACCEPT, REJECT).map(|(l, d)| (l, d.to_vec()))
    }

    #[test]
    fn decodes_a_plain_block() {
        // "hello" in base64 (RFC 4648 alphabet) is aGVsbG8=.
        let got = dec("-----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END PRIVATE KEY-----\n");
        assert_eq!(got, Ok(("PRIVATE KEY", b"hello".to_vec())));
    }

    #[test]
    fn skips_surrounding_text_other_blocks_and_accepts_crlf() {
        let text = "Key for server 1\r\n\
                    -----BEGIN EC PARAMETERS-----\r\n\
                    BggqhkjOPQMBBw==\r\n\
                    -----END EC PARAMETERS-----\r\n\
                    some comment\r\n\
                    \t-----BEGIN EC PRIVATE KEY-----  \r\n\
                    aGVs\r\n\
                    bG8=\r\n\
                    -----END EC PRIVATE KEY-----\r\n\
                    -----BEGIN PRIVATE KEY-----\r\n\
                    d29ybGQ=\r\n\
                    -----END PRIVATE KEY-----";
        assert_eq!(dec(text), Ok(("EC PRIVATE KEY", b"hello".to_vec())));
    }

    #[test]
    fn a_terminating_nul_is_ignored() {
        let text = "-----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END PRIVATE KEY-----\0";
        assert_eq!(dec(text), Ok(("PRIVATE KEY", b"hello".to_vec())));
        // But not a NUL inside the text.
        let inner = "-----BEGIN PRIVATE KEY-----\naGVs\0bG8=\n-----END PRIVATE KEY-----\n";
        assert_eq!(dec(inner), Err(Error::PemMalformed));
    }

    #[test]
    fn first_accepted_block_wins_even_after_an_unaccepted_one() {
        let text = "-----BEGIN PUBLIC KEY-----\nd29ybGQ=\n-----END PUBLIC KEY-----\n\
                    -----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END PRIVATE KEY-----\n";
        assert_eq!(dec(text), Ok(("PRIVATE KEY", b"hello".to_vec())));
    }

    #[test]
    fn wrong_label_only_is_pem_malformed() {
        let text = "-----BEGIN PUBLIC KEY-----\naGVsbG8=\n-----END PUBLIC KEY-----\n";
        assert_eq!(dec(text), Err(Error::PemMalformed));
        let cert = "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n";
        assert_eq!(dec(cert), Err(Error::PemMalformed));
    }

    #[test]
    fn empty_and_garbage_are_pem_malformed() {
        assert_eq!(dec(""), Err(Error::PemMalformed));
        assert_eq!(dec("\n\n\r\n"), Err(Error::PemMalformed));
        assert_eq!(dec("not a pem file at all"), Err(Error::PemMalformed));
        assert_eq!(
            decode(&[0xff, 0xfe, 0x00, 0x80, b'\n', 0x01], ACCEPT, REJECT).map(|_| ()),
            Err(Error::PemMalformed)
        );
        // An accepted block with an empty body.
        assert_eq!(
            dec("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"),
            Err(Error::PemMalformed)
        );
        assert_eq!(
            dec("-----BEGIN PRIVATE KEY-----\n\n\n-----END PRIVATE KEY-----\n"),
            Err(Error::PemMalformed)
        );
    }

    #[test]
    fn missing_or_mismatched_end_is_pem_malformed() {
        assert_eq!(
            dec("-----BEGIN PRIVATE KEY-----\naGVsbG8=\n"),
            Err(Error::PemMalformed)
        );
        assert_eq!(
            dec("-----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END EC PRIVATE KEY-----\n"),
            Err(Error::PemMalformed)
        );
        assert_eq!(
            dec("-----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END PRIVATE KEY\n"),
            Err(Error::PemMalformed)
        );
        // A second BEGIN before the END.
        assert_eq!(
            dec("-----BEGIN PRIVATE KEY-----\naGVs\n-----BEGIN PRIVATE KEY-----\nbG8=\n-----END PRIVATE KEY-----\n"),
            Err(Error::PemMalformed)
        );
        // A skipped block without END also breaks the file.
        assert_eq!(
            dec("-----BEGIN PUBLIC KEY-----\naGVsbG8=\n"),
            Err(Error::PemMalformed)
        );
        // Broken BEGIN lines.
        assert_eq!(
            dec("-----BEGIN PRIVATE KEY\naGVsbG8=\n-----END PRIVATE KEY-----\n"),
            Err(Error::PemMalformed)
        );
        assert_eq!(
            dec("-----BEGIN-----\naGVsbG8=\n-----END-----\n"),
            Err(Error::PemMalformed)
        );
    }

    #[test]
    fn bad_base64_is_pem_malformed() {
        for body in [
            "aGVsbG8",      // missing padding
            "aGVsbG8==",    // too much padding
            "aGVs bG8=",    // space inside a line
            "aGVs\nbG8*",   // character outside the alphabet
            "aGVsbG9=",     // non-canonical trailing bits ("hello" is aGVsbG8=)
            "aGVs\n\nbG8=", // blank line inside the body
            "aGVsbG8=aGVs", // data after padding
            "aGVsbG8_",     // URL-safe alphabet
        ] {
            let text = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n");
            assert_eq!(dec(&text), Err(Error::PemMalformed), "{body:?}");
        }
    }

    #[test]
    fn encrypted_keys_are_rejected() {
        let pkcs8 =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\naGVsbG8=\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(dec(pkcs8), Err(Error::KeyRejected));
        let legacy = "-----BEGIN EC PRIVATE KEY-----\n\
                      Proc-Type: 4,ENCRYPTED\n\
                      DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\
                      \n\
                      aGVsbG8=\n\
                      -----END EC PRIVATE KEY-----\n";
        assert_eq!(dec(legacy), Err(Error::KeyRejected));
        // Any other header is not something we understand.
        let other = "-----BEGIN EC PRIVATE KEY-----\nComment: hi\n\naGVsbG8=\n-----END EC PRIVATE KEY-----\n";
        assert_eq!(dec(other), Err(Error::PemMalformed));
        let unterminated = "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\naGVsbG8=\n-----END EC PRIVATE KEY-----\n";
        assert_eq!(dec(unterminated), Err(Error::PemMalformed));
    }

    #[test]
    fn huge_input_is_refused_without_work() {
        let mut text = String::from("-----BEGIN PRIVATE KEY-----\n");
        while text.len() <= MAX_PEM_LEN {
            text.push_str("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n");
        }
        text.push_str("-----END PRIVATE KEY-----\n");
        assert_eq!(dec(&text), Err(Error::InvalidLength));
        // Just under the limit, a large body still decodes.
        let body_lines = (MAX_PEM_LEN - 100) / 65;
        let mut ok = String::from("-----BEGIN PRIVATE KEY-----\n");
        for _ in 0..body_lines {
            ok.push_str("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n");
        }
        ok.push_str("-----END PRIVATE KEY-----\n");
        let (_, der) = dec(&ok).unwrap();
        assert_eq!(der.len(), body_lines * 48);
        assert!(der.iter().all(|&b| b == b'A'));
    }

    #[test]
    fn encode_wraps_at_64_and_round_trips() {
        let data: Vec<u8> = (0..=255u8).collect();
        let text = encode("PUBLIC KEY", &data);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "-----BEGIN PUBLIC KEY-----");
        assert_eq!(*lines.last().unwrap(), "-----END PUBLIC KEY-----");
        assert!(text.ends_with("-----\n"));
        // 256 bytes -> 344 base64 characters -> 5 full lines and one of 24.
        let body = &lines[1..lines.len() - 1];
        assert_eq!(body.len(), 6);
        assert!(body[..5].iter().all(|l| l.len() == 64));
        assert_eq!(body[5].len(), 24);
        let (label, back) = decode(text.as_bytes(), &["PUBLIC KEY"], &[]).unwrap();
        assert_eq!(label, "PUBLIC KEY");
        assert_eq!(&back[..], &data[..]);
        // RFC 4648 test vector: "foobar" is Zm9vYmFy.
        assert_eq!(
            &*encode("X", b"foobar"),
            "-----BEGIN X-----\nZm9vYmFy\n-----END X-----\n"
        );
    }
}
