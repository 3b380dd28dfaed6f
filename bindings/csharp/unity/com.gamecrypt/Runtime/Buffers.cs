// Conversions shared by every wrapper: argument checks for (array, offset, count), size_t, and
// reading a variable-length output (learn the length, allocate, write).
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace GameCrypt
{
    internal unsafe delegate ResultCode NativeWriter(byte* output, UIntPtr capacity, out UIntPtr written);

    internal static unsafe class Buf
    {
        internal static UIntPtr Sz(int n) { return (UIntPtr)(uint)n; }

        internal static int Len(UIntPtr n) { return checked((int)(ulong)n); }

        internal static ReadOnlySpan<byte> In(byte[] array, string name)
        {
            if (array == null) throw new ArgumentNullException(name);
            return new ReadOnlySpan<byte>(array);
        }

        internal static ReadOnlySpan<byte> In(byte[] array, int offset, int count, string name)
        {
            CheckRange(array, offset, count, name);
            return new ReadOnlySpan<byte>(array, offset, count);
        }

        internal static Span<byte> Out(byte[] array, int offset, string name)
        {
            if (array == null) throw new ArgumentNullException(name);
            if (offset < 0 || offset > array.Length) throw new ArgumentOutOfRangeException("offset");
            return new Span<byte>(array, offset, array.Length - offset);
        }

        internal static void CheckRange(byte[] array, int offset, int count, string name)
        {
            if (array == null) throw new ArgumentNullException(name);
            if (offset < 0 || offset > array.Length) throw new ArgumentOutOfRangeException("offset");
            if (count < 0 || count > array.Length - offset) throw new ArgumentOutOfRangeException("count");
        }

        /// <summary>Calls a writer with no buffer to learn the length, then with a buffer of that length.</summary>
        internal static byte[] ReadAll(NativeWriter writer)
        {
            UIntPtr needed;
            ResultCode rc = writer(null, UIntPtr.Zero, out needed);
            if (rc == ResultCode.Ok) return new byte[0];
            if (rc != ResultCode.BufferTooSmall) throw GameCryptException.For(rc);
            byte[] result = new byte[Len(needed)];
            UIntPtr written;
            fixed (byte* p = result)
            {
                GameCryptException.Check(writer(p, needed, out written));
            }
            if (Len(written) != result.Length) Array.Resize(ref result, Len(written));
            return result;
        }

        /// <summary>Calls a writer with a buffer of a known maximum size and trims it.</summary>
        internal static byte[] ReadUpTo(int max, NativeWriter writer)
        {
            byte[] result = new byte[max];
            UIntPtr written;
            fixed (byte* p = result)
            {
                GameCryptException.Check(writer(p, Sz(max), out written));
            }
            if (Len(written) != max) Array.Resize(ref result, Len(written));
            return result;
        }

        /// <summary>UTF-8 bytes with a terminating NUL, for `const char*` arguments.</summary>
        internal static byte[] CString(string s, string name)
        {
            if (s == null) throw new ArgumentNullException(name);
            if (s.IndexOf('\0') >= 0) throw new ArgumentException("a NUL character cannot be passed to the C library", name);
            byte[] utf8 = Encoding.UTF8.GetBytes(s);
            byte[] z = new byte[utf8.Length + 1];
            Buffer.BlockCopy(utf8, 0, z, 0, utf8.Length);
            return z;
        }

        internal static void Wipe(byte[] secret)
        {
            if (secret != null) Array.Clear(secret, 0, secret.Length);
        }
    }
}
