// A secure session (sans-IO): the handshake, then sealing and opening packets. The packet path
// (Seal, TryOpen with caller buffers) pins with `fixed` and allocates nothing.
using System;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    /// <summary>One client or server session. Sealing and opening may run on two threads at once;
    /// Dispose must not race with other calls (as gamecrypt_session_free in the C API).</summary>
    public sealed unsafe class Session : IDisposable
    {
        private readonly SessionHandle _handle;

        private Session(SessionHandle handle) { _handle = handle; }

        /// <summary>For the benchmark's C-loop baseline (same process, same session).</summary>
        internal SessionHandle Handle { get { return _handle; } }

        /// <summary>A client session; its ClientHello is ready (state NeedWrite).</summary>
        public static Session CreateClient(ClientConfig config, SessionMode mode = SessionMode.Datagram)
        {
            if (config == null) throw new ArgumentNullException("config");
            SessionHandle h;
            GameCryptException.Check(Native.gamecrypt_session_new_client(config.Handle, mode, out h));
            return new Session(h);
        }

        /// <summary>A server session waiting for a ClientHello (state NeedRead).</summary>
        public static Session CreateServer(ServerConfig config, SessionMode mode = SessionMode.Datagram)
        {
            if (config == null) throw new ArgumentNullException("config");
            SessionHandle h;
            GameCryptException.Check(Native.gamecrypt_session_new_server(config.Handle, mode, out h));
            return new Session(h);
        }

        /// <summary>A server session for the client at this address (with retry cookies).</summary>
        public static Session CreateServerForAddress(ServerConfig config, SessionMode mode, ReadOnlySpan<byte> clientAddress)
        {
            if (config == null) throw new ArgumentNullException("config");
            SessionHandle h;
            fixed (byte* a = &MemoryMarshal.GetReference(clientAddress))
            {
                GameCryptException.Check(Native.gamecrypt_session_new_server_for_address(config.Handle, mode, a, Buf.Sz(clientAddress.Length), out h));
            }
            return new Session(h);
        }

        /// <summary>True when `data` is a handshake message (first byte below 0x40), false for packets.</summary>
        public static bool IsHandshakeMessage(ReadOnlySpan<byte> data)
        {
            Library.EnsureLoaded();
            fixed (byte* d = &MemoryMarshal.GetReference(data))
            {
                return Native.gamecrypt_session_is_handshake_message(d, Buf.Sz(data.Length));
            }
        }

        public SessionState State { get { return Native.gamecrypt_session_get_state(_handle); } }

        public bool IsEstablished { get { return State == SessionState.Established; } }

        /// <summary>Writes the next handshake message to send; returns its length.</summary>
        public int WriteHandshake(Span<byte> output)
        {
            UIntPtr len;
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_session_write_handshake(_handle, o, Buf.Sz(output.Length), out len));
            }
            return Buf.Len(len);
        }

        public byte[] WriteHandshake()
        {
            return Buf.ReadUpTo(Constants.SessionMaxHandshakeLen, (byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_session_write_handshake(_handle, o, cap, out len));
        }

        /// <summary>Reads a handshake message from the peer. False with the reason when it is
        /// refused: WrongState and PacketReplayed change nothing (a late duplicate), every other
        /// reason failed the session. Only bad arguments throw.</summary>
        public bool ReadHandshake(ReadOnlySpan<byte> message, out ResultCode reason)
        {
            ResultCode rc;
            fixed (byte* m = &MemoryMarshal.GetReference(message))
            {
                rc = Native.gamecrypt_session_read_handshake(_handle, m, Buf.Sz(message.Length));
            }
            return Answer(rc, out reason);
        }

        public bool ReadHandshake(byte[] message, int offset, int count, out ResultCode reason)
        {
            return ReadHandshake(Buf.In(message, offset, count, "message"), out reason);
        }

        /// <summary>Seals `plaintext` into `output` (plaintext + PacketOverhead bytes); returns the
        /// packet length. Allocates nothing.</summary>
        public int Seal(ReadOnlySpan<byte> plaintext, Span<byte> output)
        {
            fixed (byte* p = &MemoryMarshal.GetReference(plaintext))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                return SealPinned(p, plaintext.Length, o, output.Length);
            }
        }

        public int Seal(byte[] plaintext, int offset, int count, byte[] output, int outputOffset)
        {
            Buf.CheckRange(plaintext, offset, count, "plaintext");
            Buf.CheckRange(output, outputOffset, 0, "output");
            fixed (byte* p = plaintext)
            fixed (byte* o = output)
            {
                return SealPinned(p + offset, count, o + outputOffset, output.Length - outputOffset);
            }
        }

        /// <summary>Opens a packet into `output` (packet - PacketOverhead bytes). False with the
        /// reason when the packet is refused (PacketAuthFailed, PacketReplayed, ... ; PeerClosed
        /// for the peer's close); check State afterwards. Only bad arguments throw. Allocates nothing.</summary>
        public bool TryOpen(ReadOnlySpan<byte> packet, Span<byte> output, out int written, out ResultCode reason)
        {
            fixed (byte* p = &MemoryMarshal.GetReference(packet))
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                return OpenPinned(p, packet.Length, o, output.Length, out written, out reason);
            }
        }

        public bool TryOpen(byte[] packet, int offset, int count, byte[] output, int outputOffset, out int written, out ResultCode reason)
        {
            Buf.CheckRange(packet, offset, count, "packet");
            Buf.CheckRange(output, outputOffset, 0, "output");
            fixed (byte* p = packet)
            fixed (byte* o = output)
            {
                return OpenPinned(p + offset, count, o + outputOffset, output.Length - outputOffset, out written, out reason);
            }
        }

        private int SealPinned(byte* plaintext, int length, byte* output, int capacity)
        {
            UIntPtr len;
            ResultCode rc = Native.gamecrypt_session_seal(Raw(), plaintext, (UIntPtr)(uint)length, output, (UIntPtr)(uint)capacity, &len);
            GC.KeepAlive(_handle);
            if (rc != ResultCode.Ok) throw GameCryptException.For(rc);
            return (int)(ulong)len;
        }

        private bool OpenPinned(byte* packet, int length, byte* output, int capacity, out int written, out ResultCode reason)
        {
            UIntPtr len = UIntPtr.Zero;
            ResultCode rc = Native.gamecrypt_session_open(Raw(), packet, (UIntPtr)(uint)length, output, (UIntPtr)(uint)capacity, &len);
            GC.KeepAlive(_handle);
            written = rc == ResultCode.Ok ? (int)(ulong)len : 0;
            return Answer(rc, out reason);
        }

        /// <summary>The native pointer for the packet path (see Native.cs): ObjectDisposedException
        /// after Dispose; the caller keeps the handle alive (GC.KeepAlive) until the call returned.</summary>
        private IntPtr Raw()
        {
            if (_handle.IsClosed) throw new ObjectDisposedException("Session");
            return _handle.DangerousGetHandle();
        }

        /// <summary>Codes below 100 are misuse of the API (throw); the others are answers about the data.</summary>
        private static bool Answer(ResultCode rc, out ResultCode reason)
        {
            reason = rc;
            if (rc == ResultCode.Ok) return true;
            if ((uint)rc < 100) throw GameCryptException.For(rc);
            return false;
        }

        /// <summary>Closes the session; when established writes the close packet to send (else 0 bytes).</summary>
        public int Close(Span<byte> output)
        {
            UIntPtr len;
            fixed (byte* o = &MemoryMarshal.GetReference(output))
            {
                GameCryptException.Check(Native.gamecrypt_session_close(_handle, o, Buf.Sz(output.Length), out len));
            }
            return Buf.Len(len);
        }

        public byte[] Close()
        {
            return Buf.ReadUpTo(Constants.PacketOverhead, (byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_session_close(_handle, o, cap, out len));
        }

        /// <summary>The negotiated suite (after the hellos).</summary>
        public Suite Suite
        {
            get
            {
                Suite s;
                GameCryptException.Check(Native.gamecrypt_session_suite(_handle, out s));
                return s;
            }
        }

        /// <summary>The server's identity key (for the client: the one the trust check accepted).</summary>
        public PublicKey GetServerPublicKey()
        {
            PublicKeyHandle h;
            GameCryptException.Check(Native.gamecrypt_session_server_public_key(_handle, out h));
            return new PublicKey(h);
        }

        /// <summary>Moves both directions to the next key generation.</summary>
        public void UpdateKeys() { GameCryptException.Check(Native.gamecrypt_session_update_keys(_handle)); }

        public ulong KeyGeneration
        {
            get
            {
                ulong g;
                GameCryptException.Check(Native.gamecrypt_session_key_generation(_handle, out g));
                return g;
            }
        }

        /// <summary>Server with client authentication: the client's proven key, or null if it sent none.</summary>
        public PublicKey GetClientPublicKey()
        {
            PublicKeyHandle h;
            GameCryptException.Check(Native.gamecrypt_session_client_public_key(_handle, out h));
            if (h.IsInvalid)
            {
                h.Dispose();
                return null;
            }
            return new PublicKey(h);
        }

        /// <summary>Server with client authentication: the client's token (empty if it sent none).</summary>
        public byte[] GetClientToken()
        {
            return Buf.ReadUpTo(Constants.ClientTokenMaxLen, (byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_session_client_token(_handle, o, cap, out len));
        }

        /// <summary>Server in NeedAccept: let the client in.</summary>
        public void Accept() { GameCryptException.Check(Native.gamecrypt_session_accept(_handle)); }

        /// <summary>Server in NeedAccept: refuse the client; returns the close packet to send.</summary>
        public byte[] Reject()
        {
            return Buf.ReadUpTo(Constants.PacketOverhead, (byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_session_reject(_handle, o, cap, out len));
        }

        public void Dispose() { _handle.Dispose(); }
    }
}
