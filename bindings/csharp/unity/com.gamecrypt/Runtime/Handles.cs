// One SafeHandle subclass per C handle type. ReleaseHandle calls the matching _free exactly once
// (from Dispose, or from the finalizer when the owner was never disposed); the free functions
// zero secret material. The marshaller refuses a closed handle with ObjectDisposedException, so
// a use after Dispose never reaches native code.
using System;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    internal abstract class GameCryptHandle : SafeHandle
    {
        protected GameCryptHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        /// <summary>Number of native handles freed so far (all types); read by the tests.</summary>
        internal static long ReleasedCount;

        protected sealed override bool ReleaseHandle()
        {
            Free(handle);
            System.Threading.Interlocked.Increment(ref ReleasedCount);
            return true;
        }

        protected abstract void Free(IntPtr h);
    }

    internal sealed class AeadKeyHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_aead_key_free(h); }
    }

    internal sealed class SigningKeyHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_signing_key_free(h); }
    }

    internal sealed class PublicKeyHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_public_key_free(h); }
    }

    internal sealed class HashContextHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_hash_context_free(h); }
    }

    internal sealed class HmacContextHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_hmac_context_free(h); }
    }

    internal sealed class ServerConfigBuilderHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_server_config_builder_free(h); }
    }

    internal sealed class ServerConfigHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_server_config_free(h); }
    }

    internal sealed class ClientConfigBuilderHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_client_config_builder_free(h); }
    }

    internal sealed class ClientConfigHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_client_config_free(h); }
    }

    internal sealed class SessionHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_session_free(h); }
    }

    internal sealed class EndpointConfigHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_endpoint_config_free(h); }
    }

    internal sealed class EndpointHandle : GameCryptHandle
    {
        protected override void Free(IntPtr h) { Native.gamecrypt_endpoint_free(h); }
    }
}
