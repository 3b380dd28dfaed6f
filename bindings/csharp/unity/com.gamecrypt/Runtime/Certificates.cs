// Server certificates: a root key certifies a server key for a name and a validity period.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace GameCrypt
{
    public static unsafe class Certificate
    {
        /// <summary>Issues a certificate (run it where the root key lives, ship the bytes to the server).</summary>
        public static byte[] Issue(SigningKey root, PublicKey serverKey, string serverName, ulong notBefore, ulong notAfter)
        {
            if (root == null) throw new ArgumentNullException("root");
            if (serverKey == null) throw new ArgumentNullException("serverKey");
            byte[] name = Buf.CString(serverName, "serverName");
            byte[] cert = new byte[Constants.CertificateMaxLen];
            UIntPtr len;
            fixed (byte* n = name)
            fixed (byte* o = cert)
            {
                GameCryptException.Check(Native.gamecrypt_certificate_issue(root.Handle, serverKey.Handle, n, notBefore, notAfter, o, Buf.Sz(cert.Length), out len));
            }
            Array.Resize(ref cert, Buf.Len(len));
            return cert;
        }

        /// <summary>Checks a certificate as a root-trusting client does (name optional: null skips
        /// it). False with the reason (a Certificate* code) when it is not acceptable.</summary>
        public static bool Verify(ReadOnlySpan<byte> certificate, PublicKey root, string serverName, ulong now, out ResultCode reason)
        {
            if (root == null) throw new ArgumentNullException("root");
            byte[] name = serverName == null ? null : Buf.CString(serverName, "serverName");
            ResultCode rc;
            fixed (byte* c = &MemoryMarshal.GetReference(certificate))
            fixed (byte* n = name)
            {
                rc = Native.gamecrypt_certificate_verify(c, Buf.Sz(certificate.Length), root.Handle, n, now);
            }
            reason = rc;
            switch (rc)
            {
                case ResultCode.Ok:
                    return true;
                case ResultCode.CertificateMalformed:
                case ResultCode.CertificateSignatureInvalid:
                case ResultCode.CertificateNotYetValid:
                case ResultCode.CertificateExpired:
                case ResultCode.CertificateWrongName:
                    return false;
                default:
                    throw GameCryptException.For(rc);
            }
        }

        public static bool Verify(byte[] certificate, PublicKey root, string serverName, ulong now, out ResultCode reason)
        {
            return Verify(Buf.In(certificate, "certificate"), root, serverName, now, out reason);
        }

        /// <summary>The validity period (unix seconds, inclusive); does not verify.</summary>
        public static void GetValidity(byte[] certificate, out ulong notBefore, out ulong notAfter)
        {
            Buf.In(certificate, "certificate");
            Library.EnsureLoaded();
            fixed (byte* c = certificate)
            {
                GameCryptException.Check(Native.gamecrypt_certificate_validity(c, Buf.Sz(certificate.Length), out notBefore, out notAfter));
            }
        }

        /// <summary>The server name; does not verify.</summary>
        public static string GetServerName(byte[] certificate)
        {
            Buf.In(certificate, "certificate");
            Library.EnsureLoaded();
            byte[] name = Buf.ReadUpTo(255, (byte* o, UIntPtr cap, out UIntPtr len) =>
            {
                fixed (byte* c = certificate)
                {
                    return Native.gamecrypt_certificate_server_name(c, Buf.Sz(certificate.Length), o, cap, out len);
                }
            });
            return Encoding.UTF8.GetString(name);
        }

        /// <summary>The certified server key; does not verify.</summary>
        public static PublicKey GetPublicKey(byte[] certificate)
        {
            Buf.In(certificate, "certificate");
            Library.EnsureLoaded();
            PublicKeyHandle h;
            fixed (byte* c = certificate)
            {
                GameCryptException.Check(Native.gamecrypt_certificate_public_key(c, Buf.Sz(certificate.Length), out h));
            }
            return new PublicKey(h);
        }

        /// <summary>Seconds since 1970 now, for Verify.</summary>
        public static ulong UnixNow()
        {
            return (ulong)(DateTime.UtcNow - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
        }
    }
}
