// Symmetric keys: sealed boxes (random nonce, self-describing header), password boxes, and raw
// AEAD with an explicit nonce for data exchanged with other systems.
using System;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    /// <summary>An AES-256-GCM or ChaCha20-Poly1305 key. Thread-safe; Dispose zeroes it.</summary>
    public sealed unsafe class AeadKey : IDisposable
    {
        internal readonly AeadKeyHandle Handle;

        private AeadKey(AeadKeyHandle handle) { Handle = handle; }

        /// <summary>A key from 32 bytes (copied; wipe your copy).</summary>
        public static AeadKey FromBytes(Aead alg, ReadOnlySpan<byte> key)
        {
            Library.EnsureLoaded();
            AeadKeyHandle h;
            fixed (byte* k = &MemoryMarshal.GetReference(key))
            {
                GameCryptException.Check(Native.gamecrypt_aead_key_from_bytes(alg, k, Buf.Sz(key.Length), out h));
            }
            return new AeadKey(h);
        }

        public static AeadKey FromBytes(Aead alg, byte[] key) { return FromBytes(alg, Buf.In(key, "key")); }

        /// <summary>A random key that cannot be exported (lives as long as the process).</summary>
        public static AeadKey Generate(Aead alg)
        {
            Library.EnsureLoaded();
            AeadKeyHandle h;
            GameCryptException.Check(Native.gamecrypt_aead_key_generate(alg, out h));
            return new AeadKey(h);
        }

        /// <summary>PBKDF2-HMAC-SHA256(password, salt, iterations): store salt and count. Slow on purpose.</summary>
        public static AeadKey FromPassword(Aead alg, ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, uint iterations)
        {
            Library.EnsureLoaded();
            AeadKeyHandle h;
            fixed (byte* p = &MemoryMarshal.GetReference(password))
            fixed (byte* s = &MemoryMarshal.GetReference(salt))
            {
                GameCryptException.Check(Native.gamecrypt_aead_key_from_password(alg, p, Buf.Sz(password.Length), s, Buf.Sz(salt.Length), iterations, out h));
            }
            return new AeadKey(h);
        }

        public Aead Algorithm { get { return Native.gamecrypt_aead_key_algorithm(Handle); } }

        /// <summary>Seals into a box of plaintext.Length + BoxOverhead bytes; returns its length.</summary>
        public int Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> ad, Span<byte> output)
        {
            UIntPtr len;
            fixed (byte* p = &MemoryMarshal.GetReference(plaintext))
            fixed (byte* a = &MemoryMarshal.GetReference(ad))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_aead_key_seal(Handle, p, Buf.Sz(plaintext.Length), a, Buf.Sz(ad.Length), o, Buf.Sz(output.Length), out len));
            }
            return Buf.Len(len);
        }

        public byte[] Seal(byte[] plaintext, byte[] ad = null)
        {
            ReadOnlySpan<byte> p = Buf.In(plaintext, "plaintext");
            ReadOnlySpan<byte> a = ad == null ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(ad);
            byte[] box = new byte[p.Length + Constants.BoxOverhead];
            Seal(p, a, new Span<byte>(box));
            return box;
        }

        /// <summary>Opens a box: true with the plaintext length, or false with the reason
        /// (OpenFailed, BoxMalformed, BoxUnsupported, BoxKeyMismatch). Bad arguments throw.</summary>
        public bool TryOpen(ReadOnlySpan<byte> box, ReadOnlySpan<byte> ad, Span<byte> output, out int written, out ResultCode reason)
        {
            UIntPtr len;
            ResultCode rc;
            fixed (byte* b = &MemoryMarshal.GetReference(box))
            fixed (byte* a = &MemoryMarshal.GetReference(ad))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                rc = Native.gamecrypt_aead_key_open(Handle, b, Buf.Sz(box.Length), a, Buf.Sz(ad.Length), o, Buf.Sz(output.Length), out len);
            }
            return Boxes.Outcome(rc, len, out written, out reason);
        }

        /// <summary>Opens a box into a new array, or returns null with the reason.</summary>
        public byte[] TryOpen(byte[] box, byte[] ad, out ResultCode reason)
        {
            ReadOnlySpan<byte> b = Buf.In(box, "box");
            ReadOnlySpan<byte> a = ad == null ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(ad);
            byte[] plain = new byte[Math.Max(0, b.Length - Constants.BoxOverhead)];
            int n;
            return TryOpen(b, a, new Span<byte>(plain), out n, out reason) ? plain : null;
        }

        /// <summary>DANGEROUS: raw AEAD with a caller-chosen nonce (never reuse one with a key).
        /// Writes ciphertext || tag; returns its length.</summary>
        public int SealWithNonceDangerous(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> output)
        {
            UIntPtr len;
            fixed (byte* n = &MemoryMarshal.GetReference(nonce))
            fixed (byte* a = &MemoryMarshal.GetReference(ad))
            fixed (byte* p = &MemoryMarshal.GetReference(plaintext))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_aead_key_seal_with_nonce_dangerous(Handle, n, Buf.Sz(nonce.Length), a, Buf.Sz(ad.Length), p, Buf.Sz(plaintext.Length), o, Buf.Sz(output.Length), out len));
            }
            return Buf.Len(len);
        }

        /// <summary>Raw AEAD open of ciphertext || tag with an explicit nonce; false with the reason
        /// (OpenFailed) if it does not authenticate.</summary>
        public bool TryOpenWithNonce(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertextAndTag, Span<byte> output, out int written, out ResultCode reason)
        {
            UIntPtr len;
            ResultCode rc;
            fixed (byte* n = &MemoryMarshal.GetReference(nonce))
            fixed (byte* a = &MemoryMarshal.GetReference(ad))
            fixed (byte* c = &MemoryMarshal.GetReference(ciphertextAndTag))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                rc = Native.gamecrypt_aead_key_open_with_nonce(Handle, n, Buf.Sz(nonce.Length), a, Buf.Sz(ad.Length), c, Buf.Sz(ciphertextAndTag.Length), o, Buf.Sz(output.Length), out len);
            }
            return Boxes.Outcome(rc, len, out written, out reason);
        }

        public void Dispose() { Handle.Dispose(); }
    }

    /// <summary>Boxes sealed with a password (PBKDF2 salt and count stored in the box).</summary>
    public static unsafe class PasswordBox
    {
        public static int Seal(Aead alg, ReadOnlySpan<byte> password, uint iterations, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> ad, Span<byte> output)
        {
            Library.EnsureLoaded();
            UIntPtr len;
            fixed (byte* pw = &MemoryMarshal.GetReference(password))
            fixed (byte* p = &MemoryMarshal.GetReference(plaintext))
            fixed (byte* a = &MemoryMarshal.GetReference(ad))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_box_seal_with_password(alg, pw, Buf.Sz(password.Length), iterations, p, Buf.Sz(plaintext.Length), a, Buf.Sz(ad.Length), o, Buf.Sz(output.Length), out len));
            }
            return Buf.Len(len);
        }

        public static byte[] Seal(Aead alg, byte[] password, uint iterations, byte[] plaintext, byte[] ad = null)
        {
            ReadOnlySpan<byte> pw = Buf.In(password, "password"), p = Buf.In(plaintext, "plaintext");
            ReadOnlySpan<byte> a = ad == null ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(ad);
            byte[] box = new byte[p.Length + Constants.PasswordBoxOverhead];
            Seal(alg, pw, iterations, p, a, new Span<byte>(box));
            return box;
        }

        public static bool TryOpen(ReadOnlySpan<byte> password, ReadOnlySpan<byte> box, ReadOnlySpan<byte> ad, Span<byte> output, out int written, out ResultCode reason)
        {
            Library.EnsureLoaded();
            UIntPtr len;
            ResultCode rc;
            fixed (byte* pw = &MemoryMarshal.GetReference(password))
            fixed (byte* b = &MemoryMarshal.GetReference(box))
            fixed (byte* a = &MemoryMarshal.GetReference(ad))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                rc = Native.gamecrypt_box_open_with_password(pw, Buf.Sz(password.Length), b, Buf.Sz(box.Length), a, Buf.Sz(ad.Length), o, Buf.Sz(output.Length), out len);
            }
            return Boxes.Outcome(rc, len, out written, out reason);
        }

        /// <summary>Opens into a new array, or returns null with the reason.</summary>
        public static byte[] TryOpen(byte[] password, byte[] box, byte[] ad, out ResultCode reason)
        {
            ReadOnlySpan<byte> pw = Buf.In(password, "password"), b = Buf.In(box, "box");
            ReadOnlySpan<byte> a = ad == null ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(ad);
            byte[] plain = new byte[Math.Max(0, b.Length - Constants.PasswordBoxOverhead)];
            int n;
            return TryOpen(pw, b, a, new Span<byte>(plain), out n, out reason) ? plain : null;
        }
    }

    internal static class Boxes
    {
        /// <summary>Authentication and format failures are answers (false); anything else throws.</summary>
        internal static bool Outcome(ResultCode rc, UIntPtr len, out int written, out ResultCode reason)
        {
            reason = rc;
            switch (rc)
            {
                case ResultCode.Ok:
                    written = Buf.Len(len);
                    return true;
                case ResultCode.OpenFailed:
                case ResultCode.BoxMalformed:
                case ResultCode.BoxUnsupported:
                case ResultCode.BoxKeyMismatch:
                    written = 0;
                    return false;
                default:
                    throw GameCryptException.For(rc);
            }
        }
    }
}
