// Client and server configurations and their builders.
using System;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    /// <summary>Builds a ServerConfig around the server's identity key (ECDSA P-256 or Ed25519).</summary>
    public sealed unsafe class ServerConfigBuilder : IDisposable
    {
        private readonly ServerConfigBuilderHandle _handle;

        public ServerConfigBuilder(SigningKey identity)
        {
            if (identity == null) throw new ArgumentNullException("identity");
            Library.EnsureLoaded();
            GameCryptException.Check(Native.gamecrypt_server_config_builder_new(identity.Handle, out _handle));
        }

        /// <summary>Sends this certificate (from Certificate.Issue) instead of the bare key.</summary>
        public ServerConfigBuilder SetCertificate(byte[] certificate)
        {
            Buf.In(certificate, "certificate");
            fixed (byte* c = certificate)
            {
                GameCryptException.Check(Native.gamecrypt_server_config_builder_set_certificate(_handle, c, Buf.Sz(certificate.Length)));
            }
            return this;
        }

        public ServerConfigBuilder SetSuites(params Suite[] suites)
        {
            if (suites == null) throw new ArgumentNullException("suites");
            uint* s = stackalloc uint[Math.Max(1, suites.Length)];
            for (int i = 0; i < suites.Length; i++) s[i] = (uint)suites[i];
            GameCryptException.Check(Native.gamecrypt_server_config_builder_set_suites(_handle, s, Buf.Sz(suites.Length)));
            return this;
        }

        public ServerConfigBuilder SetClientAuth(ClientAuthMode signature, ClientAuthMode token)
        {
            GameCryptException.Check(Native.gamecrypt_server_config_builder_set_client_auth(_handle, signature, token));
            return this;
        }

        /// <summary>Stateless retry cookies with slots of `periodSecs` (0 turns retry off).</summary>
        public ServerConfigBuilder SetRetry(ulong periodSecs)
        {
            GameCryptException.Check(Native.gamecrypt_server_config_builder_set_retry(_handle, periodSecs));
            return this;
        }

        public ServerConfigBuilder SetRetryRotation(ulong intervalSecs)
        {
            GameCryptException.Check(Native.gamecrypt_server_config_builder_set_retry_rotation(_handle, intervalSecs));
            return this;
        }

        public ServerConfigBuilder SetRetrySecret(byte[] secret)
        {
            Buf.In(secret, "secret");
            fixed (byte* s = secret)
            {
                GameCryptException.Check(Native.gamecrypt_server_config_builder_set_retry_secret(_handle, s, Buf.Sz(secret.Length)));
            }
            return this;
        }

        /// <summary>Retry slots from this clock instead of the system clock (null: system clock).</summary>
        public ServerConfigBuilder SetClock(IUnixClock clock)
        {
            if (clock == null)
                GameCryptException.Check(Native.gamecrypt_server_config_builder_set_clock(_handle, null, IntPtr.Zero));
            else
                GameCryptException.Check(Native.gamecrypt_server_config_builder_set_clock(_handle, ClockBridge.Trampoline, ClockBridge.Pin(clock)));
            return this;
        }

        public ServerConfig Build()
        {
            ServerConfigHandle h;
            GameCryptException.Check(Native.gamecrypt_server_config_builder_build(_handle, out h));
            return new ServerConfig(h);
        }

        public void Dispose() { _handle.Dispose(); }
    }

    /// <summary>An immutable server configuration, shareable by sessions and threads.</summary>
    public sealed unsafe class ServerConfig : IDisposable
    {
        internal readonly ServerConfigHandle Handle;

        internal ServerConfig(ServerConfigHandle handle) { Handle = handle; }

        /// <summary>Decides statelessly what to do with a datagram from an address without a session.
        /// For SendRetry, `retryLength` bytes of `retry` go back to the sender.</summary>
        public RetryAction CheckClientHello(ReadOnlySpan<byte> clientAddress, ReadOnlySpan<byte> datagram, Span<byte> retry, out int retryLength)
        {
            UIntPtr len;
            RetryAction action;
            fixed (byte* a = &MemoryMarshal.GetReference(clientAddress))
            fixed (byte* d = &MemoryMarshal.GetReference(datagram))
            fixed (byte* r = &MemoryMarshal.GetReference(retry))
            {
                GameCryptException.Check(Native.gamecrypt_server_config_check_client_hello(Handle, a, Buf.Sz(clientAddress.Length), d, Buf.Sz(datagram.Length), r, Buf.Sz(retry.Length), out len, out action));
            }
            retryLength = Buf.Len(len);
            return action;
        }

        public void RotateRetrySecret()
        {
            GameCryptException.Check(Native.gamecrypt_server_config_rotate_retry_secret(Handle));
        }

        public void RotateRetrySecretTo(byte[] secret)
        {
            Buf.In(secret, "secret");
            fixed (byte* s = secret)
            {
                GameCryptException.Check(Native.gamecrypt_server_config_rotate_retry_secret_to(Handle, s, Buf.Sz(secret.Length)));
            }
        }

        public void Dispose() { Handle.Dispose(); }
    }

    /// <summary>Builds a ClientConfig: pick how the server is trusted (pinned key, pinned
    /// fingerprint, or a root key with certificates), then optional settings.</summary>
    public sealed unsafe class ClientConfigBuilder : IDisposable
    {
        private readonly ClientConfigBuilderHandle _handle;

        private ClientConfigBuilder(ClientConfigBuilderHandle handle) { _handle = handle; }

        public static ClientConfigBuilder PinnedKey(PublicKey serverKey)
        {
            if (serverKey == null) throw new ArgumentNullException("serverKey");
            Library.EnsureLoaded();
            ClientConfigBuilderHandle h;
            GameCryptException.Check(Native.gamecrypt_client_config_builder_new_pinned_key(serverKey.Handle, out h));
            return new ClientConfigBuilder(h);
        }

        public static ClientConfigBuilder PinnedFingerprint(ReadOnlySpan<byte> fingerprint)
        {
            Library.EnsureLoaded();
            ClientConfigBuilderHandle h;
            fixed (byte* f = &MemoryMarshal.GetReference(fingerprint))
            {
                GameCryptException.Check(Native.gamecrypt_client_config_builder_new_pinned_fingerprint(f, Buf.Sz(fingerprint.Length), out h));
            }
            return new ClientConfigBuilder(h);
        }

        public static ClientConfigBuilder PinnedFingerprint(byte[] fingerprint) { return PinnedFingerprint(Buf.In(fingerprint, "fingerprint")); }

        public static ClientConfigBuilder TrustRoot(PublicKey rootKey)
        {
            if (rootKey == null) throw new ArgumentNullException("rootKey");
            Library.EnsureLoaded();
            ClientConfigBuilderHandle h;
            GameCryptException.Check(Native.gamecrypt_client_config_builder_new_root(rootKey.Handle, out h));
            return new ClientConfigBuilder(h);
        }

        public ClientConfigBuilder SetSuites(params Suite[] suites)
        {
            if (suites == null) throw new ArgumentNullException("suites");
            uint* s = stackalloc uint[Math.Max(1, suites.Length)];
            for (int i = 0; i < suites.Length; i++) s[i] = (uint)suites[i];
            GameCryptException.Check(Native.gamecrypt_client_config_builder_set_suites(_handle, s, Buf.Sz(suites.Length)));
            return this;
        }

        public ClientConfigBuilder SetServerName(string serverName)
        {
            byte[] name = Buf.CString(serverName, "serverName");
            fixed (byte* n = name)
            {
                GameCryptException.Check(Native.gamecrypt_client_config_builder_set_server_name(_handle, n));
            }
            return this;
        }

        /// <summary>Certificate checks against this clock instead of the system clock (null: system clock).</summary>
        public ClientConfigBuilder SetClock(IUnixClock clock)
        {
            if (clock == null)
                GameCryptException.Check(Native.gamecrypt_client_config_builder_set_clock(_handle, null, IntPtr.Zero));
            else
                GameCryptException.Check(Native.gamecrypt_client_config_builder_set_clock(_handle, ClockBridge.Trampoline, ClockBridge.Pin(clock)));
            return this;
        }

        public ClientConfigBuilder SetClientKey(SigningKey clientKey)
        {
            if (clientKey == null) throw new ArgumentNullException("clientKey");
            GameCryptException.Check(Native.gamecrypt_client_config_builder_set_client_key(_handle, clientKey.Handle));
            return this;
        }

        public ClientConfigBuilder SetToken(byte[] token)
        {
            Buf.In(token, "token");
            fixed (byte* t = token)
            {
                GameCryptException.Check(Native.gamecrypt_client_config_builder_set_token(_handle, t, Buf.Sz(token.Length)));
            }
            return this;
        }

        public ClientConfig Build()
        {
            ClientConfigHandle h;
            GameCryptException.Check(Native.gamecrypt_client_config_builder_build(_handle, out h));
            return new ClientConfig(h);
        }

        public void Dispose() { _handle.Dispose(); }
    }

    /// <summary>An immutable client configuration, shareable by sessions and threads.</summary>
    public sealed class ClientConfig : IDisposable
    {
        internal readonly ClientConfigHandle Handle;

        internal ClientConfig(ClientConfigHandle handle) { Handle = handle; }

        public void Dispose() { Handle.Dispose(); }
    }
}
