// Levels signed by the studio and checked by the game before they are parsed. A signed level
// file is "GCLV" | signature length (2 bytes, big-endian) | signature | level bytes; the
// signature covers "GCLV" | level bytes. Engine-independent: tested by NUnit.
using System;
using System.Collections.Generic;
using System.Text;
using GameCrypt;

namespace GameCrypt.Demo
{
    public static class SignedLevel
    {
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("GCLV");

        private static byte[] SignedPart(byte[] level, int offset, int count)
        {
            var m = new byte[Magic.Length + count];
            Buffer.BlockCopy(Magic, 0, m, 0, Magic.Length);
            Buffer.BlockCopy(level, offset, m, Magic.Length, count);
            return m;
        }

        /// <summary>Studio side (offline, where the key lives).</summary>
        public static byte[] Pack(SigningKey studioKey, byte[] level)
        {
            byte[] sig = studioKey.Sign(SignedPart(level, 0, level.Length));
            var file = new byte[Magic.Length + 2 + sig.Length + level.Length];
            Buffer.BlockCopy(Magic, 0, file, 0, Magic.Length);
            file[4] = (byte)(sig.Length >> 8);
            file[5] = (byte)sig.Length;
            Buffer.BlockCopy(sig, 0, file, 6, sig.Length);
            Buffer.BlockCopy(level, 0, file, 6 + sig.Length, level.Length);
            return file;
        }

        /// <summary>Game side: the level bytes only if the studio signed exactly this file.</summary>
        public static bool TryUnpack(PublicKey studioKey, byte[] file, out byte[] level, out ResultCode reason)
        {
            level = null;
            if (file == null || file.Length < 6 || file[0] != Magic[0] || file[1] != Magic[1] || file[2] != Magic[2] || file[3] != Magic[3])
            {
                reason = ResultCode.SignatureInvalid;
                return false;
            }
            int sigLen = (file[4] << 8) | file[5];
            if (6 + sigLen > file.Length)
            {
                reason = ResultCode.SignatureInvalid;
                return false;
            }
            int levelLen = file.Length - 6 - sigLen;
            var sig = new byte[sigLen];
            Buffer.BlockCopy(file, 6, sig, 0, sigLen);
            if (!studioKey.Verify(new ReadOnlySpan<byte>(SignedPart(file, 6 + sigLen, levelLen)), new ReadOnlySpan<byte>(sig), SignatureFormat.Default, out reason))
                return false;
            level = new byte[levelLen];
            Buffer.BlockCopy(file, 6 + sigLen, level, 0, levelLen);
            return true;
        }

        /// <summary>A level is "key=value" lines; parsed only after the signature checked out.</summary>
        public static Dictionary<string, string> Parse(byte[] level)
        {
            var fields = new Dictionary<string, string>();
            foreach (string line in Encoding.UTF8.GetString(level).Split('\n'))
            {
                int eq = line.IndexOf('=');
                if (eq > 0) fields[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim();
            }
            return fields;
        }
    }
}
