// The connection endpoint (docs/ENDPOINT.md): sans-IO, it owns handshake retransmission and
// timeouts, keep-alive, the idle timeout, the authenticated close and the server's peer table.
// The application passes the time, received datagrams and their addresses, and sends what
// PollTransmit gives. GameCryptClient/GameCryptServer (Net.cs) drive it with a UdpClient.
using System;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    /// <summary>gamecrypt_endpoint_event, as the C library writes it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EndpointEvent
    {
        public EndpointEventKind Kind;
        public EndpointCloseReason CloseReason;
        public ulong Peer;
        public Suite Suite;
        public ResultCode Code;
        private byte _hasFingerprint;
        private fixed byte _fingerprint[Constants.FingerprintLen];
        private UIntPtr _dataLen;

        public bool HasFingerprint { get { return _hasFingerprint != 0; } }

        /// <summary>CONNECTED: the peer key's fingerprint (a new array), or null.</summary>
        public byte[] Fingerprint()
        {
            if (_hasFingerprint == 0) return null;
            var f = new byte[Constants.FingerprintLen];
            fixed (byte* src = _fingerprint) Marshal.Copy((IntPtr)src, f, 0, f.Length);
            return f;
        }

        public int DataLength { get { return (int)(ulong)_dataLen; } }
    }

    /// <summary>gamecrypt_endpoint_stats.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct EndpointStats
    {
        public ulong Peers;
        public ulong Handshakes;
        public ulong DatagramsReceived;
        public ulong DatagramsSent;
        public ulong DroppedStray;
        public ulong DroppedInvalid;
        public ulong Refused;
        public ulong RetriesSent;
        public ulong HandshakesFailed;
        public ulong HandshakeResends;
        public ulong KeepalivesSent;
        public ulong QueueOverflows;
    }

    /// <summary>gamecrypt_endpoint_datagram: one datagram of a batch, as the C library reads it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct NativeDatagram
    {
        internal byte* Addr;
        internal UIntPtr AddrLen;
        internal byte* Data;
        internal UIntPtr DataLen;
    }

    /// <summary>Received datagrams gathered for Endpoint.ReceiveBatch: Add copies each datagram and
    /// its address into one reusable buffer, Clear empties it. Once it has grown to its working
    /// size it allocates nothing. The endpoint checks the addresses (at ReceiveBatch).</summary>
    public sealed class DatagramBatch
    {
        private struct Entry
        {
            internal int AddrOffset, AddrLength, DataOffset, DataLength;
        }

        private byte[] _bytes = new byte[4096];
        private Entry[] _entries = new Entry[16];
        private NativeDatagram[] _native = new NativeDatagram[16];
        private int _used, _count;

        /// <summary>The number of datagrams added since the last Clear.</summary>
        public int Count { get { return _count; } }

        /// <summary>Adds a copy of `datagram`, received from `address`.</summary>
        public void Add(ReadOnlySpan<byte> address, ReadOnlySpan<byte> datagram)
        {
            int need = checked(_used + address.Length + datagram.Length);
            if (need > _bytes.Length) Array.Resize(ref _bytes, Math.Max(need, _bytes.Length * 2));
            if (_count == _entries.Length)
            {
                Array.Resize(ref _entries, _count * 2);
                Array.Resize(ref _native, _count * 2);
            }
            address.CopyTo(new Span<byte>(_bytes, _used, address.Length));
            datagram.CopyTo(new Span<byte>(_bytes, _used + address.Length, datagram.Length));
            _entries[_count] = new Entry { AddrOffset = _used, AddrLength = address.Length, DataOffset = _used + address.Length, DataLength = datagram.Length };
            _used = need;
            _count++;
        }

        /// <summary>Forgets every datagram (the buffers are kept).</summary>
        public void Clear()
        {
            _used = 0;
            _count = 0;
        }

        internal unsafe ResultCode ReceiveInto(EndpointHandle endpoint, ulong nowMs)
        {
            fixed (byte* b = _bytes)
            fixed (NativeDatagram* n = _native)
            {
                for (int i = 0; i < _count; i++)
                {
                    n[i].Addr = b + _entries[i].AddrOffset;
                    n[i].AddrLen = Buf.Sz(_entries[i].AddrLength);
                    n[i].Data = b + _entries[i].DataOffset;
                    n[i].DataLen = Buf.Sz(_entries[i].DataLength);
                }
                return Native.gamecrypt_endpoint_receive_batch(endpoint, nowMs, n, Buf.Sz(_count));
            }
        }
    }

    /// <summary>Timings and limits of an endpoint (docs/ENDPOINT.md section 3); copied at creation.</summary>
    public sealed class EndpointSettings : IDisposable
    {
        internal readonly EndpointConfigHandle Handle;

        public EndpointSettings()
        {
            Library.EnsureLoaded();
            GameCryptException.Check(Native.gamecrypt_endpoint_config_new(out Handle));
        }

        public EndpointSettings HandshakeResendInitialMs(ulong ms) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_handshake_resend_initial_ms(Handle, ms)); return this; }
        public EndpointSettings HandshakeResendMaxMs(ulong ms) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_handshake_resend_max_ms(Handle, ms)); return this; }
        public EndpointSettings HandshakeTimeoutMs(ulong ms) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_handshake_timeout_ms(Handle, ms)); return this; }
        public EndpointSettings KeepaliveIntervalMs(ulong ms) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_keepalive_interval_ms(Handle, ms)); return this; }
        public EndpointSettings IdleTimeoutMs(ulong ms) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_idle_timeout_ms(Handle, ms)); return this; }
        public EndpointSettings MaxPeers(int n) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_max_peers(Handle, Buf.Sz(n))); return this; }
        public EndpointSettings MaxHandshakes(int n) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_max_handshakes(Handle, Buf.Sz(n))); return this; }
        public EndpointSettings MaxDataLen(int n) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_max_data_len(Handle, Buf.Sz(n))); return this; }
        public EndpointSettings CloseCopies(uint n) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_close_copies(Handle, n)); return this; }
        public EndpointSettings MaxQueuedBytes(int n) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_max_queued_bytes(Handle, Buf.Sz(n))); return this; }
        public EndpointSettings MaxPendingEvents(int n) { GameCryptException.Check(Native.gamecrypt_endpoint_config_set_max_pending_events(Handle, Buf.Sz(n))); return this; }

        public void Dispose() { Handle.Dispose(); }
    }

    /// <summary>A client or server endpoint. One thread at a time.</summary>
    public sealed unsafe class Endpoint : IDisposable
    {
        private readonly EndpointHandle _handle;

        private Endpoint(EndpointHandle handle) { _handle = handle; }

        public static Endpoint CreateClient(ClientConfig config, EndpointSettings settings = null)
        {
            if (config == null) throw new ArgumentNullException("config");
            Library.EnsureLoaded();
            EndpointHandle h;
            if (settings != null)
                GameCryptException.Check(Native.gamecrypt_endpoint_new_client(config.Handle, settings.Handle, out h));
            else
                using (var defaults = new EndpointSettings())
                    GameCryptException.Check(Native.gamecrypt_endpoint_new_client(config.Handle, defaults.Handle, out h));
            return new Endpoint(h);
        }

        public static Endpoint CreateServer(ServerConfig config, EndpointSettings settings = null)
        {
            if (config == null) throw new ArgumentNullException("config");
            Library.EnsureLoaded();
            EndpointHandle h;
            if (settings != null)
                GameCryptException.Check(Native.gamecrypt_endpoint_new_server(config.Handle, settings.Handle, out h));
            else
                using (var defaults = new EndpointSettings())
                    GameCryptException.Check(Native.gamecrypt_endpoint_new_server(config.Handle, defaults.Handle, out h));
            return new Endpoint(h);
        }

        /// <summary>Client: starts a connection to the server at `address` (opaque bytes); returns its peer id.</summary>
        public ulong Connect(ulong nowMs, ReadOnlySpan<byte> address)
        {
            ulong peer;
            fixed (byte* a = &MemoryMarshal.GetReference(address))
            {
                GameCryptException.Check(Native.gamecrypt_endpoint_connect(_handle, nowMs, a, Buf.Sz(address.Length), out peer));
            }
            return peer;
        }

        /// <summary>A datagram that arrived from `address`.</summary>
        public void Receive(ulong nowMs, ReadOnlySpan<byte> address, ReadOnlySpan<byte> datagram)
        {
            fixed (byte* a = &MemoryMarshal.GetReference(address))
            fixed (byte* d = &MemoryMarshal.GetReference(datagram))
            {
                GameCryptException.Check(Native.gamecrypt_endpoint_receive(_handle, nowMs, a, Buf.Sz(address.Length), d, Buf.Sz(datagram.Length)));
            }
        }

        /// <summary>Receive of each datagram of `batch` in order (docs/ENDPOINT.md section 1, Batch
        /// receive): the same events and counters, and faster for a server with many peers. Every
        /// datagram is checked first: on an error (a typed exception) nothing changes. The batch is
        /// left as it is; Clear it to reuse it.</summary>
        public void ReceiveBatch(ulong nowMs, DatagramBatch batch)
        {
            if (batch == null) throw new ArgumentNullException("batch");
            GameCryptException.Check(batch.ReceiveInto(_handle, nowMs));
        }

        public void HandleTimeout(ulong nowMs) { GameCryptException.Check(Native.gamecrypt_endpoint_handle_timeout(_handle, nowMs)); }

        /// <summary>When to call HandleTimeout next (ms), or null when no timer runs.</summary>
        public ulong? NextDeadline
        {
            get
            {
                ulong ms;
                GameCryptException.Check(Native.gamecrypt_endpoint_next_deadline(_handle, out ms));
                return ms == Constants.EndpointNoDeadline ? (ulong?)null : ms;
            }
        }

        /// <summary>The next datagram to send: false when none waits.</summary>
        public bool PollTransmit(Span<byte> address, out int addressLength, Span<byte> datagram, out int datagramLength)
        {
            UIntPtr al, dl;
            fixed (byte* a = &MemoryMarshal.GetReference(address))
            fixed (byte* d = &MemoryMarshal.GetReference(datagram))
            {
                GameCryptException.Check(Native.gamecrypt_endpoint_poll_transmit(_handle, a, Buf.Sz(address.Length), out al, d, Buf.Sz(datagram.Length), out dl));
            }
            addressLength = Buf.Len(al);
            datagramLength = Buf.Len(dl);
            return datagramLength > 0;
        }

        /// <summary>The next event (a DATA event's message goes to `data`): false when none waits.</summary>
        public bool PollEvent(out EndpointEvent e, Span<byte> data)
        {
            UIntPtr len;
            e = default(EndpointEvent);
            fixed (EndpointEvent* ev = &e)
            fixed (byte* d = &MemoryMarshal.GetReference(data))
            {
                GameCryptException.Check(Native.gamecrypt_endpoint_poll_event(_handle, ev, d, Buf.Sz(data.Length), out len));
            }
            return e.Kind != EndpointEventKind.None;
        }

        public void Send(ulong nowMs, ulong peer, ReadOnlySpan<byte> data)
        {
            fixed (byte* d = &MemoryMarshal.GetReference(data))
            {
                GameCryptException.Check(Native.gamecrypt_endpoint_send(_handle, nowMs, peer, d, Buf.Sz(data.Length)));
            }
        }

        public void Close(ulong nowMs, ulong peer) { GameCryptException.Check(Native.gamecrypt_endpoint_close(_handle, nowMs, peer)); }
        public void Accept(ulong nowMs, ulong peer) { GameCryptException.Check(Native.gamecrypt_endpoint_accept(_handle, nowMs, peer)); }
        public void Reject(ulong nowMs, ulong peer) { GameCryptException.Check(Native.gamecrypt_endpoint_reject(_handle, nowMs, peer)); }

        public byte[] GetPeerAddress(ulong peer)
        {
            return Buf.ReadUpTo(Constants.EndpointAddressMaxLen, (byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_endpoint_get_peer_address(_handle, peer, o, cap, out len));
        }

        public EndpointPeerState GetPeerState(ulong peer)
        {
            EndpointPeerState s;
            GameCryptException.Check(Native.gamecrypt_endpoint_get_peer_state(_handle, peer, out s));
            return s;
        }

        public Suite GetPeerSuite(ulong peer)
        {
            Suite s;
            GameCryptException.Check(Native.gamecrypt_endpoint_get_peer_suite(_handle, peer, out s));
            return s;
        }

        /// <summary>The peer key's fingerprint, or null when it has none (a server without client keys).</summary>
        public byte[] GetPeerFingerprint(ulong peer)
        {
            byte[] f = Buf.ReadUpTo(Constants.FingerprintLen, (byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_endpoint_get_peer_fingerprint(_handle, peer, o, cap, out len));
            return f.Length == 0 ? null : f;
        }

        public byte[] GetPeerClientToken(ulong peer)
        {
            return Buf.ReadUpTo(Constants.ClientTokenMaxLen, (byte* o, UIntPtr cap, out UIntPtr len) => Native.gamecrypt_endpoint_get_peer_client_token(_handle, peer, o, cap, out len));
        }

        public EndpointStats Stats
        {
            get
            {
                EndpointStats s;
                GameCryptException.Check(Native.gamecrypt_endpoint_get_stats(_handle, out s));
                return s;
            }
        }

        public void Dispose() { _handle.Dispose(); }
    }
}
