// Signing keys (ECDSA P-256/P-384, Ed25519, RSA import) and public keys.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace GameCrypt
{
    /// <summary>A private key that signs. Dispose it to free and zero the key material.</summary>
    public sealed unsafe class SigningKey : IDisposable
    {
        internal readonly SigningKeyHandle Handle;

        private SigningKey(SigningKeyHandle handle) { Handle = handle; }

        /// <summary>A new random key (ECDSA P-256, P-384 or Ed25519; RSA keys can only be imported).</summary>
        public static SigningKey Generate(KeyType type)
        {
            Library.EnsureLoaded();
            SigningKeyHandle h;
            GameCryptException.Check(Native.gamecrypt_signing_key_generate(type, out h));
            return new SigningKey(h);
        }

        /// <summary>Imports an unencrypted PKCS#8, SEC1 or PKCS#1 DER key.</summary>
        public static SigningKey FromDer(ReadOnlySpan<byte> der)
        {
            Library.EnsureLoaded();
            SigningKeyHandle h;
            fixed (byte* p = &MemoryMarshal.GetReference(der))
            {
                GameCryptException.Check(Native.gamecrypt_signing_key_from_der(p, Buf.Sz(der.Length), out h));
            }
            return new SigningKey(h);
        }

        public static SigningKey FromDer(byte[] der) { return FromDer(Buf.In(der, "der")); }

        /// <summary>Imports the first PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block of a PEM text.</summary>
        public static SigningKey FromPem(string pem)
        {
            if (pem == null) throw new ArgumentNullException("pem");
            byte[] text = Encoding.UTF8.GetBytes(pem);
            try
            {
                return FromPem(new ReadOnlySpan<byte>(text));
            }
            finally
            {
                Buf.Wipe(text);
            }
        }

        public static SigningKey FromPem(ReadOnlySpan<byte> pem)
        {
            Library.EnsureLoaded();
            SigningKeyHandle h;
            fixed (byte* p = &MemoryMarshal.GetReference(pem))
            {
                GameCryptException.Check(Native.gamecrypt_signing_key_from_pem(p, Buf.Sz(pem.Length), out h));
            }
            return new SigningKey(h);
        }

        public KeyType Type
        {
            get
            {
                KeyType t;
                GameCryptException.Check(Native.gamecrypt_signing_key_type(Handle, out t));
                return t;
            }
        }

        /// <summary>Unencrypted PKCS#8 DER: the private key; wipe the array after use.</summary>
        public byte[] ToPkcs8Der()
        {
            return Buf.ReadAll((byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_signing_key_to_pkcs8_der(Handle, o, cap, out len));
        }

        /// <summary>A PEM PRIVATE KEY block (PKCS#8).</summary>
        public string ToPkcs8Pem()
        {
            byte[] text = Buf.ReadAll((byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_signing_key_to_pkcs8_pem(Handle, o, cap, out len));
            try
            {
                return Encoding.ASCII.GetString(text);
            }
            finally
            {
                Buf.Wipe(text);
            }
        }

        /// <summary>A new, independent handle to this key's public key.</summary>
        public PublicKey GetPublicKey()
        {
            PublicKeyHandle h;
            GameCryptException.Check(Native.gamecrypt_signing_key_public_key(Handle, out h));
            return new PublicKey(h);
        }

        /// <summary>The output capacity Sign needs in this format.</summary>
        public int MaxSignatureLength(SignatureFormat format = SignatureFormat.Default)
        {
            UIntPtr n;
            GameCryptException.Check(Native.gamecrypt_signing_key_max_signature_len(Handle, format, out n));
            return Buf.Len(n);
        }

        /// <summary>Signs a message (not a digest) into `signature`; returns the signature's length.</summary>
        public int Sign(ReadOnlySpan<byte> message, Span<byte> signature, SignatureFormat format = SignatureFormat.Default)
        {
            UIntPtr len;
            fixed (byte* m = &MemoryMarshal.GetReference(message))
            fixed (byte* s = &MemoryMarshal.GetReference(signature))
            {
                GameCryptException.Check(Native.gamecrypt_signing_key_sign(Handle, m, Buf.Sz(message.Length), format, s, Buf.Sz(signature.Length), out len));
            }
            return Buf.Len(len);
        }

        public byte[] Sign(byte[] message, SignatureFormat format = SignatureFormat.Default)
        {
            return Sign(message, 0, message == null ? 0 : message.Length, format);
        }

        public byte[] Sign(byte[] message, int offset, int count, SignatureFormat format = SignatureFormat.Default)
        {
            ReadOnlySpan<byte> m = Buf.In(message, offset, count, "message");
            byte[] sig = new byte[MaxSignatureLength(format)];
            int n = Sign(m, new Span<byte>(sig), format);
            if (n != sig.Length) Array.Resize(ref sig, n);
            return sig;
        }

        public void Dispose() { Handle.Dispose(); }
    }

    /// <summary>A public key that verifies signatures.</summary>
    public sealed unsafe class PublicKey : IDisposable
    {
        internal readonly PublicKeyHandle Handle;

        internal PublicKey(PublicKeyHandle handle) { Handle = handle; }

        /// <summary>Imports a SubjectPublicKeyInfo DER.</summary>
        public static PublicKey FromSpkiDer(ReadOnlySpan<byte> der)
        {
            Library.EnsureLoaded();
            PublicKeyHandle h;
            fixed (byte* p = &MemoryMarshal.GetReference(der))
            {
                GameCryptException.Check(Native.gamecrypt_public_key_from_spki_der(p, Buf.Sz(der.Length), out h));
            }
            return new PublicKey(h);
        }

        public static PublicKey FromSpkiDer(byte[] der) { return FromSpkiDer(Buf.In(der, "der")); }

        /// <summary>Imports the first PUBLIC KEY or RSA PUBLIC KEY block of a PEM text.</summary>
        public static PublicKey FromPem(string pem)
        {
            if (pem == null) throw new ArgumentNullException("pem");
            return FromPem(new ReadOnlySpan<byte>(Encoding.UTF8.GetBytes(pem)));
        }

        public static PublicKey FromPem(ReadOnlySpan<byte> pem)
        {
            Library.EnsureLoaded();
            PublicKeyHandle h;
            fixed (byte* p = &MemoryMarshal.GetReference(pem))
            {
                GameCryptException.Check(Native.gamecrypt_public_key_from_pem(p, Buf.Sz(pem.Length), out h));
            }
            return new PublicKey(h);
        }

        /// <summary>Imports a raw key: an X9.62 point for ECDSA (compressed or not), 32 bytes for Ed25519.</summary>
        public static PublicKey FromRaw(KeyType type, ReadOnlySpan<byte> raw)
        {
            Library.EnsureLoaded();
            PublicKeyHandle h;
            fixed (byte* p = &MemoryMarshal.GetReference(raw))
            {
                GameCryptException.Check(Native.gamecrypt_public_key_from_raw(type, p, Buf.Sz(raw.Length), out h));
            }
            return new PublicKey(h);
        }

        public static PublicKey FromRaw(KeyType type, byte[] raw) { return FromRaw(type, Buf.In(raw, "raw")); }

        public KeyType Type
        {
            get
            {
                KeyType t;
                GameCryptException.Check(Native.gamecrypt_public_key_type(Handle, out t));
                return t;
            }
        }

        public byte[] ToSpkiDer()
        {
            return Buf.ReadAll((byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_public_key_to_spki_der(Handle, o, cap, out len));
        }

        public string ToPem()
        {
            return Encoding.ASCII.GetString(Buf.ReadAll((byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_public_key_to_pem(Handle, o, cap, out len)));
        }

        /// <summary>The uncompressed point (ECDSA) or the 32 key bytes (Ed25519); RSA has none.</summary>
        public byte[] ToRaw()
        {
            return Buf.ReadAll((byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_public_key_to_raw(Handle, o, cap, out len));
        }

        /// <summary>The compressed point of an ECDSA key.</summary>
        public byte[] ToRawCompressed()
        {
            return Buf.ReadAll((byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_public_key_to_raw_compressed(Handle, o, cap, out len));
        }

        /// <summary>SHA-256 of the SubjectPublicKeyInfo DER (32 bytes).</summary>
        public byte[] Fingerprint()
        {
            byte[] f = new byte[Constants.FingerprintLen];
            Fingerprint(new Span<byte>(f));
            return f;
        }

        public void Fingerprint(Span<byte> output)
        {
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_public_key_fingerprint(Handle, o, Buf.Sz(output.Length)));
            }
        }

        /// <summary>The fingerprint as lowercase hex, e.g. for showing to a player.</summary>
        public string FingerprintHex() { return Hex.Encode(Fingerprint()); }

        /// <summary>True only for a valid signature; false with the reason (SignatureInvalid)
        /// otherwise. An unknown format or one that does not fit the key throws.</summary>
        public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, SignatureFormat format, out ResultCode reason)
        {
            ResultCode rc;
            fixed (byte* m = &MemoryMarshal.GetReference(message))
            fixed (byte* s = &MemoryMarshal.GetReference(signature))
            {
                rc = Native.gamecrypt_public_key_verify(Handle, m, Buf.Sz(message.Length), s, Buf.Sz(signature.Length), format);
            }
            reason = rc;
            if (rc == ResultCode.Ok) return true;
            if (rc == ResultCode.SignatureInvalid) return false;
            throw GameCryptException.For(rc);
        }

        public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, SignatureFormat format = SignatureFormat.Default)
        {
            ResultCode ignored;
            return Verify(message, signature, format, out ignored);
        }

        public bool Verify(byte[] message, byte[] signature, SignatureFormat format = SignatureFormat.Default)
        {
            return Verify(Buf.In(message, "message"), Buf.In(signature, "signature"), format);
        }

        public bool Verify(byte[] message, int offset, int count, byte[] signature, SignatureFormat format, out ResultCode reason)
        {
            return Verify(Buf.In(message, offset, count, "message"), Buf.In(signature, "signature"), format, out reason);
        }

        public void Dispose() { Handle.Dispose(); }
    }

    /// <summary>Lowercase hex, for fingerprints in UIs and logs.</summary>
    public static class Hex
    {
        public static string Encode(byte[] data)
        {
            if (data == null) throw new ArgumentNullException("data");
            var sb = new StringBuilder(data.Length * 2);
            foreach (byte b in data) sb.Append(b.ToString("x2"));
            return sb.ToString();
        }
    }
}
