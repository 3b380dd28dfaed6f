// Random bytes, hashing (one-shot and streaming), HMAC, HKDF, PBKDF2, constant-time compare.
using System;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    /// <summary>Cryptographically secure random bytes.</summary>
    public static unsafe class SecureRandom
    {
        public static void Fill(Span<byte> output)
        {
            Library.EnsureLoaded();
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_random_bytes(o, Buf.Sz(output.Length)));
            }
        }

        public static void Fill(byte[] output, int offset, int count)
        {
            Buf.CheckRange(output, offset, count, "output");
            Fill(new Span<byte>(output, offset, count));
        }

        public static byte[] Bytes(int count)
        {
            if (count < 0) throw new ArgumentOutOfRangeException("count");
            byte[] b = new byte[count];
            Fill(new Span<byte>(b));
            return b;
        }
    }

    /// <summary>SHA-256/384/512, in one call.</summary>
    public static unsafe class Hash
    {
        /// <summary>The digest length of `alg` (also its HMAC tag and HKDF PRK length).</summary>
        public static int Length(HashAlgorithm alg)
        {
            Library.EnsureLoaded();
            int n = Buf.Len(Native.gamecrypt_hash_len(alg));
            if (n == 0) throw GameCryptException.For(ResultCode.InvalidArgument);
            return n;
        }

        /// <summary>Writes the digest of `data` to `output`; returns its length.</summary>
        public static int Digest(HashAlgorithm alg, ReadOnlySpan<byte> data, Span<byte> output)
        {
            Library.EnsureLoaded();
            UIntPtr len;
            fixed (byte* d = &MemoryMarshal.GetReference(data))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_hash_digest(alg, d, Buf.Sz(data.Length), o, Buf.Sz(output.Length), out len));
            }
            return Buf.Len(len);
        }

        public static byte[] Digest(HashAlgorithm alg, byte[] data) { return Digest(alg, data, 0, data == null ? 0 : data.Length); }

        public static byte[] Digest(HashAlgorithm alg, byte[] data, int offset, int count)
        {
            ReadOnlySpan<byte> d = Buf.In(data, offset, count, "data");
            byte[] digest = new byte[Length(alg)];
            Digest(alg, d, new Span<byte>(digest));
            return digest;
        }
    }

    /// <summary>A streaming hash for data fed in pieces. Not thread-safe.</summary>
    public sealed unsafe class HashContext : IDisposable
    {
        private readonly HashContextHandle _handle;
        public HashAlgorithm Algorithm { get; private set; }

        public HashContext(HashAlgorithm alg)
        {
            Library.EnsureLoaded();
            GameCryptException.Check(Native.gamecrypt_hash_context_new(alg, out _handle));
            Algorithm = alg;
        }

        public void Update(ReadOnlySpan<byte> data)
        {
            fixed (byte* d = &MemoryMarshal.GetReference(data))
            {
                GameCryptException.Check(Native.gamecrypt_hash_context_update(_handle, d, Buf.Sz(data.Length)));
            }
        }

        public void Update(byte[] data, int offset, int count) { Update(Buf.In(data, offset, count, "data")); }

        /// <summary>Writes the digest; afterwards the context is spent (ContextFinishedException).</summary>
        public int Finish(Span<byte> output)
        {
            UIntPtr len;
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_hash_context_finish(_handle, o, Buf.Sz(output.Length), out len));
            }
            return Buf.Len(len);
        }

        public byte[] Finish()
        {
            byte[] digest = new byte[Hash.Length(Algorithm)];
            Finish(new Span<byte>(digest));
            return digest;
        }

        public void Dispose() { _handle.Dispose(); }
    }

    /// <summary>HMAC (RFC 2104) in one call.</summary>
    public static unsafe class Hmac
    {
        public static int Sign(HashAlgorithm alg, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> tag)
        {
            Library.EnsureLoaded();
            UIntPtr len;
            fixed (byte* k = &MemoryMarshal.GetReference(key))
            fixed (byte* d = &MemoryMarshal.GetReference(data))
            fixed (byte* t = &MemoryMarshal.GetReference(tag))
            {
                GameCryptException.Check(Native.gamecrypt_hmac_sign(alg, k, Buf.Sz(key.Length), d, Buf.Sz(data.Length), t, Buf.Sz(tag.Length), out len));
            }
            return Buf.Len(len);
        }

        public static byte[] Sign(HashAlgorithm alg, byte[] key, byte[] data)
        {
            ReadOnlySpan<byte> k = Buf.In(key, "key"), d = Buf.In(data, "data");
            byte[] tag = new byte[Hash.Length(alg)];
            Sign(alg, k, d, new Span<byte>(tag));
            return tag;
        }

        /// <summary>Checks a full-length tag in constant time: false (reason MacInvalid) if it is wrong.</summary>
        public static bool Verify(HashAlgorithm alg, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> tag, out ResultCode reason)
        {
            Library.EnsureLoaded();
            ResultCode rc;
            fixed (byte* k = &MemoryMarshal.GetReference(key))
            fixed (byte* d = &MemoryMarshal.GetReference(data))
            fixed (byte* t = &MemoryMarshal.GetReference(tag))
            {
                rc = Native.gamecrypt_hmac_verify(alg, k, Buf.Sz(key.Length), d, Buf.Sz(data.Length), t, Buf.Sz(tag.Length));
            }
            reason = rc;
            if (rc == ResultCode.Ok) return true;
            if (rc == ResultCode.MacInvalid) return false;
            throw GameCryptException.For(rc);
        }

        public static bool Verify(HashAlgorithm alg, byte[] key, byte[] data, byte[] tag)
        {
            ResultCode ignored;
            return Verify(alg, Buf.In(key, "key"), Buf.In(data, "data"), Buf.In(tag, "tag"), out ignored);
        }
    }

    /// <summary>A streaming HMAC. Not thread-safe; its key state is zeroed on Dispose.</summary>
    public sealed unsafe class HmacContext : IDisposable
    {
        private readonly HmacContextHandle _handle;
        public HashAlgorithm Algorithm { get; private set; }

        public HmacContext(HashAlgorithm alg, ReadOnlySpan<byte> key)
        {
            Library.EnsureLoaded();
            fixed (byte* k = &MemoryMarshal.GetReference(key))
            {
                GameCryptException.Check(Native.gamecrypt_hmac_context_new(alg, k, Buf.Sz(key.Length), out _handle));
            }
            Algorithm = alg;
        }

        public HmacContext(HashAlgorithm alg, byte[] key) : this(alg, Buf.In(key, "key")) { }

        public void Update(ReadOnlySpan<byte> data)
        {
            fixed (byte* d = &MemoryMarshal.GetReference(data))
            {
                GameCryptException.Check(Native.gamecrypt_hmac_context_update(_handle, d, Buf.Sz(data.Length)));
            }
        }

        public void Update(byte[] data, int offset, int count) { Update(Buf.In(data, offset, count, "data")); }

        public int Finish(Span<byte> tag)
        {
            UIntPtr len;
            fixed (byte* t = &MemoryMarshal.GetReference(tag))
            {
                GameCryptException.Check(Native.gamecrypt_hmac_context_finish(_handle, t, Buf.Sz(tag.Length), out len));
            }
            return Buf.Len(len);
        }

        public byte[] Finish()
        {
            byte[] tag = new byte[Hash.Length(Algorithm)];
            Finish(new Span<byte>(tag));
            return tag;
        }

        /// <summary>Finishes and checks `tag` in constant time; the context is spent either way.</summary>
        public bool Verify(ReadOnlySpan<byte> tag, out ResultCode reason)
        {
            ResultCode rc;
            fixed (byte* t = &MemoryMarshal.GetReference(tag))
            {
                rc = Native.gamecrypt_hmac_context_verify(_handle, t, Buf.Sz(tag.Length));
            }
            reason = rc;
            if (rc == ResultCode.Ok) return true;
            if (rc == ResultCode.MacInvalid) return false;
            throw GameCryptException.For(rc);
        }

        public bool Verify(byte[] tag)
        {
            ResultCode ignored;
            return Verify(Buf.In(tag, "tag"), out ignored);
        }

        public void Dispose() { _handle.Dispose(); }
    }

    /// <summary>HKDF (RFC 5869).</summary>
    public static unsafe class Hkdf
    {
        public static int MaxOutputLength(HashAlgorithm alg)
        {
            Library.EnsureLoaded();
            return Buf.Len(Native.gamecrypt_hkdf_max_output_len(alg));
        }

        public static int Extract(HashAlgorithm alg, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk)
        {
            Library.EnsureLoaded();
            UIntPtr len;
            fixed (byte* s = &MemoryMarshal.GetReference(salt))
            fixed (byte* i = &MemoryMarshal.GetReference(ikm))
            fixed (byte* o = &MemoryMarshal.GetReference(prk))
            {
                GameCryptException.Check(Native.gamecrypt_hkdf_extract(alg, s, Buf.Sz(salt.Length), i, Buf.Sz(ikm.Length), o, Buf.Sz(prk.Length), out len));
            }
            return Buf.Len(len);
        }

        public static byte[] Extract(HashAlgorithm alg, byte[] salt, byte[] ikm)
        {
            ReadOnlySpan<byte> s = Buf.In(salt, "salt"), i = Buf.In(ikm, "ikm");
            byte[] prk = new byte[Hash.Length(alg)];
            Extract(alg, s, i, new Span<byte>(prk));
            return prk;
        }

        /// <summary>Fills all of `output` (1 to MaxOutputLength bytes).</summary>
        public static void Expand(HashAlgorithm alg, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output)
        {
            Library.EnsureLoaded();
            fixed (byte* p = &MemoryMarshal.GetReference(prk))
            fixed (byte* i = &MemoryMarshal.GetReference(info))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_hkdf_expand(alg, p, Buf.Sz(prk.Length), i, Buf.Sz(info.Length), o, Buf.Sz(output.Length)));
            }
        }

        public static byte[] Expand(HashAlgorithm alg, byte[] prk, byte[] info, int length)
        {
            ReadOnlySpan<byte> p = Buf.In(prk, "prk"), i = Buf.In(info, "info");
            if (length < 0) throw new ArgumentOutOfRangeException("length");
            byte[] o = new byte[length];
            Expand(alg, p, i, new Span<byte>(o));
            return o;
        }

        /// <summary>Extract-then-expand into all of `output`.</summary>
        public static void Derive(HashAlgorithm alg, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> info, Span<byte> output)
        {
            Library.EnsureLoaded();
            fixed (byte* s = &MemoryMarshal.GetReference(salt))
            fixed (byte* k = &MemoryMarshal.GetReference(ikm))
            fixed (byte* i = &MemoryMarshal.GetReference(info))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_hkdf_derive(alg, s, Buf.Sz(salt.Length), k, Buf.Sz(ikm.Length), i, Buf.Sz(info.Length), o, Buf.Sz(output.Length)));
            }
        }

        public static byte[] Derive(HashAlgorithm alg, byte[] salt, byte[] ikm, byte[] info, int length)
        {
            ReadOnlySpan<byte> s = Buf.In(salt, "salt"), k = Buf.In(ikm, "ikm"), i = Buf.In(info, "info");
            if (length < 0) throw new ArgumentOutOfRangeException("length");
            byte[] o = new byte[length];
            Derive(alg, s, k, i, new Span<byte>(o));
            return o;
        }
    }

    /// <summary>PBKDF2-HMAC-SHA256 (RFC 8018). Slow on purpose: call it off the main thread.</summary>
    public static unsafe class Pbkdf2
    {
        public static uint RecommendedIterations
        {
            get { Library.EnsureLoaded(); return Native.gamecrypt_pbkdf2_recommended_iterations(); }
        }

        public static void DeriveSha256(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, uint iterations, Span<byte> output)
        {
            Library.EnsureLoaded();
            fixed (byte* p = &MemoryMarshal.GetReference(password))
            fixed (byte* s = &MemoryMarshal.GetReference(salt))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_pbkdf2_sha256_derive(p, Buf.Sz(password.Length), s, Buf.Sz(salt.Length), iterations, o, Buf.Sz(output.Length)));
            }
        }

        public static byte[] DeriveSha256(byte[] password, byte[] salt, uint iterations, int length)
        {
            ReadOnlySpan<byte> p = Buf.In(password, "password"), s = Buf.In(salt, "salt");
            if (length < 0) throw new ArgumentOutOfRangeException("length");
            byte[] o = new byte[length];
            DeriveSha256(p, s, iterations, new Span<byte>(o));
            return o;
        }
    }

    /// <summary>Comparison whose time does not depend on the contents (for tokens and secrets).</summary>
    public static unsafe class ConstantTime
    {
        public static bool AreEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            Library.EnsureLoaded();
            fixed (byte* pa = &MemoryMarshal.GetReference(a))
            fixed (byte* pb = &MemoryMarshal.GetReference(b))
            {
                return Native.gamecrypt_constant_time_eq(pa, Buf.Sz(a.Length), pb, Buf.Sz(b.Length));
            }
        }

        public static bool AreEqual(byte[] a, byte[] b) { return AreEqual(Buf.In(a, "a"), Buf.In(b, "b")); }
    }
}
