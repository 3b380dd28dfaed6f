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
                case ResultCode.PublicKeyWeak:
                    return new PublicKeyWeakException(code, msg);
                case ResultCode.SignContextReserved:
                    return new SignContextReservedException(code, msg);
                case ResultCode.ServerNameRequired:
                    return new ServerNameRequiredException(code, msg);
                case ResultCode.UnknownPeer:
                    return new UnknownPeerException(code, msg);
                case ResultCode.TimeWentBackwards:
                    return new TimeWentBackwardsException(code, msg);
                case ResultCode.PeerNotConnected:
                    return new PeerNotConnectedException(code, msg);
                case ResultCode.QueueFull:
                    return new QueueFullException(code, msg);
                case ResultCode.PeerLimit:
                    return new PeerLimitException(code, msg);
                case ResultCode.WrongRole:
                    return new WrongRoleException(code, msg);
                case ResultCode.AddressInUse:
                    return new AddressInUseException(code, msg);
                case ResultCode.IdleTimeout:
                case ResultCode.HandshakeTimeout:
                    // Only the codes of CLOSED events (why a peer ended); no call returns them.
                    return new EndpointException(code, msg);
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
                    // HandshakeMessageDropped lands here too, but Session.ReadHandshake returns
                    // it as an outcome (HandshakeOutcome.Dropped), never as an exception.
                    if ((uint)code >= 500) return new EndpointException(code, msg);
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

    /// <summary>A weak Ed25519 public key (small order or non-canonical): signatures could be
    /// forged for it, so it is refused wherever a public key enters.</summary>
    public class PublicKeyWeakException : KeyFormatException
    {
        public PublicKeyWeakException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>The message to sign begins with a signature context of the gamecrypt protocol:
    /// the generic sign refuses it (an identity key can never be made to sign a handshake).</summary>
    public class SignContextReservedException : GameCryptArgumentException
    {
        public SignContextReservedException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>A root-trusting client configuration without the expected server name (set it
    /// with SetServerName, or call DangerousAcceptAnyServerName).</summary>
    public class ServerNameRequiredException : GameCryptArgumentException
    {
        public ServerNameRequiredException(ResultCode code, string message) : base(code, message) { }
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

    /// <summary>A session or handshake error (codes 300 to 499).</summary>
    public class SessionException : GameCryptException
    {
        public SessionException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>An endpoint refusal (codes 500 and above); nothing changed in the endpoint.
    /// Subclasses name the codes a call can return.</summary>
    public class EndpointException : GameCryptException
    {
        public EndpointException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>The peer id is not a peer of this endpoint: it never was, or the peer ended.</summary>
    public class UnknownPeerException : EndpointException
    {
        public UnknownPeerException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>The time passed is earlier than the time of an earlier call.</summary>
    public class TimeWentBackwardsException : EndpointException
    {
        public TimeWentBackwardsException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>The peer is not connected yet (handshake in progress or waiting for accept).</summary>
    public class PeerNotConnectedException : EndpointException
    {
        public PeerNotConnectedException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>The transmit queue is full: send what PollTransmit gives, then try again.</summary>
    public class QueueFullException : EndpointException
    {
        public QueueFullException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>The endpoint holds as many peers as its settings allow.</summary>
    public class PeerLimitException : EndpointException
    {
        public PeerLimitException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>A client call on a server endpoint or the reverse.</summary>
    public class WrongRoleException : EndpointException
    {
        public WrongRoleException(ResultCode code, string message) : base(code, message) { }
    }

    /// <summary>The endpoint already has a peer with this address.</summary>
    public class AddressInUseException : EndpointException
    {
        public AddressInUseException(ResultCode code, string message) : base(code, message) { }
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
