//! Just enough DER reading to tell key encodings apart before aws-lc parses them for real.
//!
//! Only the outer structure is read here (which algorithm, which container); every key is then
//! fully parsed and validated by aws-lc. Anything that is not well-formed DER with definite,
//! minimal lengths and one-byte tags is `Error::KeyMalformed`.

use crate::error::{Error, Result};

pub const TAG_INTEGER: u8 = 0x02;
pub const TAG_BIT_STRING: u8 = 0x03;
pub const TAG_OCTET_STRING: u8 = 0x04;
pub const TAG_NULL: u8 = 0x05;
pub const TAG_OID: u8 = 0x06;
pub const TAG_SEQUENCE: u8 = 0x30;
/// `[0]` constructed (EC parameters in SEC1, attributes in PKCS#8).
pub const TAG_CONTEXT_0: u8 = 0xa0;

/// OID content bytes.
pub mod oid {
    /// id-ecPublicKey, 1.2.840.10045.2.1
    pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    /// prime256v1 / secp256r1, 1.2.840.10045.3.1.7
    pub const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    /// secp384r1, 1.3.132.0.34
    pub const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
    /// id-Ed25519, 1.3.101.112
    pub const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
    /// rsaEncryption, 1.2.840.113549.1.1.1
    pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
}

/// A cursor over DER elements.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The tag of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// Reads one element: its tag and its content bytes.
    pub fn read_any(&mut self) -> Result<(u8, &'a [u8])> {
        let (&tag, rest) = self.data.split_first().ok_or(Error::KeyMalformed)?;
        if tag & 0x1f == 0x1f {
            return Err(Error::KeyMalformed); // multi-byte tags never appear in keys
        }
        let (&first, rest) = rest.split_first().ok_or(Error::KeyMalformed)?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return Err(Error::KeyMalformed); // indefinite, absurd or truncated
            }
            let (bytes, rest) = rest.split_at(n);
            if bytes[0] == 0 {
                return Err(Error::KeyMalformed); // not minimal
            }
            let len = bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err(Error::KeyMalformed); // long form for a short length
            }
            (len, rest)
        };
        if rest.len() < len {
            return Err(Error::KeyMalformed);
        }
        let (content, rest) = rest.split_at(len);
        self.data = rest;
        Ok((tag, content))
    }

    /// Reads one element that must have `tag`.
    pub fn read(&mut self, tag: u8) -> Result<&'a [u8]> {
        match self.read_any()? {
            (t, content) if t == tag => Ok(content),
            _ => Err(Error::KeyMalformed),
        }
    }

    /// Reads an element with `tag` if it comes next.
    pub fn read_optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>> {
        if self.peek_tag() == Some(tag) {
            self.read(tag).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a small non-negative INTEGER (a version number).
    pub fn read_small_uint(&mut self) -> Result<u8> {
        match self.read(TAG_INTEGER)? {
            [v] if *v < 0x80 => Ok(*v),
            _ => Err(Error::KeyMalformed),
        }
    }

    /// Fails unless everything was read.
    pub fn finish(&self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::KeyMalformed)
        }
    }
}

/// The single SEQUENCE that makes up all of `der`, as a reader over its content.
pub fn outer_sequence(der: &[u8]) -> Result<Reader<'_>> {
    let mut r = Reader::new(der);
    let content = r.read(TAG_SEQUENCE)?;
    r.finish()?;
    Ok(Reader::new(content))
}

/// An `AlgorithmIdentifier`: the algorithm OID and the raw parameters element, if any.
pub struct AlgorithmIdentifier<'a> {
    pub oid: &'a [u8],
    /// Tag and content of the parameters.
    pub params: Option<(u8, &'a [u8])>,
}

pub fn read_algorithm_identifier<'a>(r: &mut Reader<'a>) -> Result<AlgorithmIdentifier<'a>> {
    let mut alg = Reader::new(r.read(TAG_SEQUENCE)?);
    let oid = alg.read(TAG_OID)?;
    let params = if alg.is_empty() {
        None
    } else {
        Some(alg.read_any()?)
    };
    alg.finish()?;
    Ok(AlgorithmIdentifier { oid, params })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let mut r = Reader::new(&[0x04, 0x02, 0xaa, 0xbb, 0x05, 0x00]);
        assert_eq!(r.read(TAG_OCTET_STRING).unwrap(), &[0xaa, 0xbb]);
        assert_eq!(r.read(TAG_NULL).unwrap(), &[] as &[u8]);
        assert!(r.is_empty());

        let mut long = vec![0x04, 0x81, 0x80];
        long.extend_from_slice(&[7u8; 0x80]);
        assert_eq!(
            Reader::new(&long).read(TAG_OCTET_STRING).unwrap().len(),
            0x80
        );

        let mut two = vec![0x04, 0x82, 0x01, 0x00];
        two.extend_from_slice(&[7u8; 0x100]);
        assert_eq!(
            Reader::new(&two).read(TAG_OCTET_STRING).unwrap().len(),
            0x100
        );
    }

    #[test]
    fn rejects_bad_encodings() {
        for bad in [
            &[][..],                            // nothing
            &[0x04],                            // no length
            &[0x04, 0x03, 0x00],                // truncated content
            &[0x04, 0x80, 0x00, 0x00],          // indefinite length
            &[0x04, 0x81, 0x05, 1, 2, 3, 4, 5], // long form for a short length
            &[0x04, 0x82, 0x00, 0x81],          // leading zero in the length
            &[0x04, 0x85, 1, 1, 1, 1, 1],       // five length bytes
            &[0x1f, 0x81, 0x01, 0x00],          // multi-byte tag
        ] {
            assert_eq!(
                Reader::new(bad).read_any().map(|_| ()),
                Err(Error::KeyMalformed),
                "{bad:02x?}"
            );
        }
        assert_eq!(
            Reader::new(&[0x05, 0x00]).read(TAG_OCTET_STRING),
            Err(Error::KeyMalformed)
        );
        // Trailing bytes after the outer sequence.
        assert_eq!(
            outer_sequence(&[0x30, 0x00, 0x00]).map(|_| ()),
            Err(Error::KeyMalformed)
        );
        // Versions: only small non-negative integers.
        assert_eq!(Reader::new(&[0x02, 0x01, 0x01]).read_small_uint(), Ok(1));
        assert_eq!(
            Reader::new(&[0x02, 0x01, 0xff]).read_small_uint(),
            Err(Error::KeyMalformed)
        );
        assert_eq!(
            Reader::new(&[0x02, 0x02, 0x00, 0x01]).read_small_uint(),
            Err(Error::KeyMalformed)
        );
    }

    #[test]
    fn reads_algorithm_identifiers() {
        // SEQUENCE { OID ecPublicKey, OID prime256v1 } as written by OpenSSL.
        let der = [
            0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
            0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
        ];
        let alg = read_algorithm_identifier(&mut Reader::new(&der)).unwrap();
        assert_eq!(alg.oid, oid::EC_PUBLIC_KEY);
        assert_eq!(alg.params, Some((TAG_OID, oid::P256)));
        // SEQUENCE { OID Ed25519 } (RFC 8410: no parameters).
        let ed = [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];
        let alg = read_algorithm_identifier(&mut Reader::new(&ed)).unwrap();
        assert_eq!(alg.oid, oid::ED25519);
        assert!(alg.params.is_none());
        // Two parameter elements.
        let bad = [
            0x30, 0x09, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x05, 0x00, 0x05, 0x00,
        ];
        assert!(read_algorithm_identifier(&mut Reader::new(&bad)).is_err());
    }
}
