// One exception hierarchy, mapped from gamecrypt_result in one place (GameCryptException.For).
// Every exception carries the code and the library's own message (gamecrypt_result_str).
using System;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    /// <summary>Base of every error the library reports.</summary>
    public class GameCryptException : Exception
    {
        public ResultCode Code { get; private set; }

        public GameCryptException(ResultCode code, string message) : base(message) { Code = code; }

        /// <summary>The library's English description of a code (gamecrypt_result_str).</summary>
        public static string Describe(ResultCode code)
        {
            Library.EnsureLoaded();
            return Marshal.PtrToStringAnsi(Native.gamecrypt_result_str((uint)code));
        }

        /// <summary>The exception type for a code: the single mapping of the binding.</summary>
        public static GameCryptException For(ResultCode code)
        {
            string msg = Describe(code) + " (" + code + ")";
            switch (code)
            {
                case ResultCode.NullArgument:
                case ResultCode.InvalidArgument:
                case ResultCode.BufferTooSmall:
                case ResultCode.InvalidLength:
                case ResultCode.UnsupportedAlgorithm:
                case ResultCode.UnsupportedFormat:
                case ResultCode.WrongKeyType:
                    return new GameCryptArgumentException(code, msg);
                case ResultCode.KeyMalformed:
                case ResultCode.PemMalformed:
                case ResultCode.KeyRejected:
                    return new KeyFormatException(code, msg);
                case ResultCode.SignatureInvalid:
                case ResultCode.OpenFailed:
                case ResultCode.BoxMalformed:
                case ResultCode.BoxUnsupported:
                case ResultCode.BoxKeyMismatch:
                case ResultCode.MacInvalid:
                    return new AuthenticationFailedException(code, msg);
                case ResultCode.ContextFinished:
                    return new ContextFinishedException(code, msg);
                case ResultCode.CertificateExpired:
                case ResultCode.CertificateNotYetValid:
                case ResultCode.CertificateWrongName:
                case ResultCode.CertificateSignatureInvalid:
                case ResultCode.CertificateMalformed:
                case ResultCode.CertificateMissing:
                    return new CertificateException(code, msg);
                case ResultCode.Panic:
                case ResultCode.Internal:
                case ResultCode.RandomFailed:
                    return new GameCryptInternalException(code, msg);
                default:
                    if ((uint)code >= 300) return new SessionException(code, msg);
                    return new GameCryptException(code, msg);
            }
        }

        internal static void Check(ResultCode code)
        {
            if (code != ResultCode.Ok) throw For(code);
        }
    }

    /// <summary>A bad argument: NULL, unknown value, wrong length, too small buffer, wrong key type.</summary>
    public class GameCryptArgumentException : GameCryptException
    {
        public GameCryptArgumentException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>Key bytes or text that cannot be imported.</summary>
    public class KeyFormatException : GameCryptException
    {
        public KeyFormatException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>Data that does not verify or authenticate (only from the throwing variants).</summary>
    public class AuthenticationFailedException : GameCryptException
    {
        public AuthenticationFailedException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>A streaming hash or HMAC that was already finished.</summary>
    public class ContextFinishedException : GameCryptException
    {
        public ContextFinishedException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>A certificate that is malformed, expired, not yet valid, for another name or root.</summary>
    public class CertificateException : GameCryptException
    {
        public CertificateException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>A session or handshake error (codes 300 and above).</summary>
    public class SessionException : GameCryptException
    {
        public SessionException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>A bug caught at the C boundary, a crypto library or random generator failure.</summary>
    public class GameCryptInternalException : GameCryptException
    {
        public GameCryptInternalException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>The native library does not match this binding (version or size constants).</summary>
    public class LibraryMismatchException : Exception
    {
        public LibraryMismatchException(string message) : base(message) { }
    }
}
