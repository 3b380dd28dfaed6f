// The numbers of include/gamecrypt.h, defined once on the C# side. The test
// HeaderConsistencyTests parses the header and checks every enum member and constant here
// against it, both ways (nothing missing, nothing different).
namespace GameCrypt
{
    /// <summary>gamecrypt_result: the outcome of every fallible call.</summary>
    public enum ResultCode : uint
    {
        Ok = 0,
        NullArgument = 1,
        InvalidArgument = 2,
        BufferTooSmall = 3,
        Panic = 4,
        Internal = 5,
        UnsupportedAlgorithm = 6,
        RandomFailed = 7,
        InvalidLength = 8,
        KeyMalformed = 100,
        PemMalformed = 101,
        WrongKeyType = 102,
        SignatureInvalid = 103,
        KeyRejected = 104,
        UnsupportedFormat = 105,
        PublicKeyWeak = 106,
        SignContextReserved = 107,
        OpenFailed = 200,
        BoxMalformed = 201,
        BoxUnsupported = 202,
        ContextFinished = 203,
        MacInvalid = 204,
        BoxKeyMismatch = 205,
        WrongState = 300,
        HandshakeMalformed = 301,
        UnsupportedVersion = 302,
        NoCommonSuite = 303,
        DowngradeDetected = 304,
        HandshakeSignatureInvalid = 305,
        PinnedKeyMismatch = 306,
        FingerprintMismatch = 307,
        CertificateExpired = 308,
        CertificateNotYetValid = 309,
        CertificateWrongName = 310,
        CertificateSignatureInvalid = 311,
        CertificateMalformed = 312,
        SessionFailed = 313,
        SessionClosed = 314,
        PacketAuthFailed = 320,
        PacketReplayed = 321,
        PacketTooOld = 322,
        PacketMalformed = 323,
        PacketOutOfOrder = 324,
        KeyExhausted = 325,
        CertificateMissing = 326,
        HandshakeMessageDropped = 327,
        ServerNameRequired = 328,
        KeyUpdateBlocked = 400,
        IntegrityLimitReached = 401,
        PeerClosed = 402,
        ClientAuthRequired = 450,
        ClientAuthInvalid = 451,
        ClientTokenRequired = 452,
        SessionRejected = 453,
        RetryCookieInvalid = 454,
        UnknownPeer = 500,
        TimeWentBackwards = 501,
        PeerNotConnected = 502,
        QueueFull = 503,
        PeerLimit = 504,
        WrongRole = 505,
        AddressInUse = 506,
        IdleTimeout = 507,
        HandshakeTimeout = 508,
    }

    /// <summary>GAMECRYPT_AEAD_*.</summary>
    public enum Aead : uint
    {
        Aes256Gcm = 1,
        Chacha20Poly1305 = 2,
    }

    /// <summary>GAMECRYPT_KEY_TYPE_*.</summary>
    public enum KeyType : uint
    {
        EcdsaP256 = 1,
        EcdsaP384 = 2,
        Ed25519 = 3,
        Rsa = 4,
    }

    /// <summary>GAMECRYPT_SIGNATURE_*: signature encodings.</summary>
    public enum SignatureFormat : uint
    {
        Default = 0,
        EcdsaDer = 1,
        EcdsaFixed = 2,
        RsaPkcs1Sha256 = 3,
        RsaPssSha256 = 4,
    }

    /// <summary>GAMECRYPT_HASH_*.</summary>
    public enum HashAlgorithm : uint
    {
        Sha256 = 1,
        Sha384 = 2,
        Sha512 = 3,
    }

    /// <summary>GAMECRYPT_SUITE_*: session cipher suites (also the wire codes).</summary>
    public enum Suite : uint
    {
        P256EcdsaAes256gcmSha256 = 1,
        X25519Ed25519Chacha20poly1305Sha256 = 2,
        X25519mlkem768Ed25519Chacha20poly1305Sha256 = 3,
        X25519mlkem768EcdsaP256Aes256gcmSha256 = 4,
    }

    /// <summary>GAMECRYPT_SESSION_MODE_*.</summary>
    public enum SessionMode : uint
    {
        Datagram = 1,
        Stream = 2,
    }

    /// <summary>GAMECRYPT_SESSION_STATE_*.</summary>
    public enum SessionState : uint
    {
        Invalid = 0,
        NeedWrite = 1,
        NeedRead = 2,
        Established = 3,
        Failed = 4,
        Closed = 5,
        NeedAccept = 6,
    }

    /// <summary>GAMECRYPT_CLIENT_AUTH_*.</summary>
    public enum ClientAuthMode : uint
    {
        None = 0,
        Optional = 1,
        Required = 2,
    }

    /// <summary>GAMECRYPT_RETRY_ACTION_*.</summary>
    public enum RetryAction : uint
    {
        Accept = 1,
        SendRetry = 2,
        Drop = 3,
    }

    /// <summary>GAMECRYPT_ENDPOINT_EVENT_*.</summary>
    public enum EndpointEventKind : uint
    {
        None = 0,
        Connected = 1,
        Data = 2,
        ClientCredentials = 3,
        Closed = 4,
    }

    /// <summary>GAMECRYPT_ENDPOINT_CLOSE_*: why a peer ended.</summary>
    public enum EndpointCloseReason : uint
    {
        PeerClosed = 1,
        IdleTimeout = 2,
        HandshakeTimeout = 3,
        Rejected = 4,
        Failed = 5,
        Local = 6,
        Replaced = 7,
    }

    /// <summary>GAMECRYPT_ENDPOINT_PEER_*.</summary>
    public enum EndpointPeerState : uint
    {
        Handshake = 1,
        AwaitingAccept = 2,
        Connected = 3,
    }

    /// <summary>The GAMECRYPT_* size and limit macros of the header this binding was written for.</summary>
    public static class Constants
    {
        public const int VersionMajor = 0;
        public const int VersionMinor = 1;
        public const int VersionPatch = 0;
        public const int AeadKeyLen = 32;
        public const int AeadNonceLen = 12;
        public const int AeadTagLen = 16;
        public const int BoxOverhead = 36;
        public const int PasswordBoxOverhead = 56;
        public const int PasswordSaltLen = 16;
        public const int PasswordBoxMaxIterations = 10000000;
        public const int FingerprintLen = 32;
        public const int Ed25519PublicKeyLen = 32;
        public const int P256PublicKeyLen = 65;
        public const int P256CompressedPublicKeyLen = 33;
        public const int P384PublicKeyLen = 97;
        public const int P384CompressedPublicKeyLen = 49;
        public const int Ed25519SignatureLen = 64;
        public const int P256FixedSignatureLen = 64;
        public const int P384FixedSignatureLen = 96;
        public const int P256MaxDerSignatureLen = 72;
        public const int P384MaxDerSignatureLen = 104;
        public const int MaxSignatureLen = 1024;
        public const int Sha256Len = 32;
        public const int Sha384Len = 48;
        public const int Sha512Len = 64;
        public const int HashMaxLen = 64;
        public const int Pbkdf2RecommendedIterations = 600000;
        public const int PacketHeaderLen = 8;
        public const int PacketTagLen = 16;
        public const int PacketOverhead = 24;
        public const int PacketMaxPayloadLen = 16777216;
        public const int PacketTypeData = 64;
        public const int PacketTypeClose = 66;
        public const int PacketTypeDataPhase1 = 65;
        public const int PacketTypeClosePhase1 = 67;
        public const int SessionMessageClientHello = 1;
        public const int SessionMessageServerHello = 2;
        public const int SessionMessageClientFinished = 3;
        public const int SessionMessageRetry = 4;
        public const int SessionMaxHandshakeLen = 4096;
        public const int SessionReplayWindow = 1984;
        public const int SessionFingerprintLen = 32;
        public const int CertificateMaxLen = 414;
        public const int RetryLen = 76;
        public const int RetrySecretLen = 32;
        public const int ClientAddressMaxLen = 128;
        public const int ClientTokenMaxLen = 1024;
        public const int RetryDefaultPeriodSecs = 10;
        public const int EndpointAddressMaxLen = 128;
        public const ulong EndpointNoDeadline = ulong.MaxValue;

        /// <summary>GAMECRYPT_VERSION_STRING.</summary>
        public const string VersionString = "0.1.0";
        /// <summary>What gamecrypt_version_number() returns for this version.</summary>
        public const uint VersionNumber = VersionMajor * 10000 + VersionMinor * 100 + VersionPatch;
    }
}
