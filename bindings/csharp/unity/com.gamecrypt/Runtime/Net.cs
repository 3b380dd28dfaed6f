// GameCryptClient and GameCryptServer: secure connections over System.Net.Sockets.UdpClient on
// the endpoint (Endpoint.cs, docs/ENDPOINT.md), driven by Update() from the game loop (no
// threads of their own). Events come out of TryGetEvent(): Connected (suite, fingerprint),
// Data, ClientCredentials (server with client authentication), Closed (reason and code).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GameCrypt
{
    public enum ConnectionEventKind
    {
        Connected,
        Data,
        ClientCredentials,
        Closed,
    }

    /// <summary>Something that happened to a connection.</summary>
    public sealed class ConnectionEvent
    {
        internal ConnectionEvent() { }

        public ConnectionEventKind Kind { get; internal set; }
        /// <summary>The peer's id (server: one per client; client: the server).</summary>
        public ulong Peer { get; internal set; }
        public IPEndPoint Address { get; internal set; }
        /// <summary>Data: the received message.</summary>
        public byte[] Data { get; internal set; }
        /// <summary>Connected: the negotiated suite.</summary>
        public Suite Suite { get; internal set; }
        /// <summary>Connected: SHA-256 fingerprint of the peer's key (client: the server's key;
        /// server: the client's key with client authentication, else null).</summary>
        public byte[] Fingerprint { get; internal set; }
        /// <summary>Closed: why.</summary>
        public EndpointCloseReason CloseReason { get; internal set; }
        /// <summary>Closed: the result code behind the reason (e.g. FingerprintMismatch for Failed).</summary>
        public ResultCode Reason { get; internal set; }

        public override string ToString()
        {
            switch (Kind)
            {
                case ConnectionEventKind.Connected: return "Connected peer " + Peer + " (" + Suite + ")";
                case ConnectionEventKind.Data: return "Data from peer " + Peer + " (" + Data.Length + " bytes)";
                case ConnectionEventKind.ClientCredentials: return "ClientCredentials of peer " + Peer;
                default: return "Closed peer " + Peer + ": " + CloseReason + " (" + Reason + ")";
            }
        }
    }

    public enum ConnectionState
    {
        Connecting,
        Connected,
        Closed,
    }

    /// <summary>Timings and limits (milliseconds); see docs/ENDPOINT.md for the ranges.</summary>
    public sealed class ConnectionOptions
    {
        public ulong HandshakeRetransmitMs = 250;
        /// <summary>The longest interval the doubling retransmission reaches.</summary>
        public ulong HandshakeRetransmitMaxMs = 2000;
        public ulong HandshakeTimeoutMs = 10000;
        public ulong KeepaliveIntervalMs = 1000;
        public ulong IdleTimeoutMs = 10000;
        public int MaxPeers = 1024;
        public int MaxDataLen = 1200;

        internal EndpointSettings ToSettings()
        {
            var s = new EndpointSettings();
            try
            {
                return s.HandshakeResendInitialMs(HandshakeRetransmitMs).HandshakeResendMaxMs(HandshakeRetransmitMaxMs).HandshakeTimeoutMs(HandshakeTimeoutMs)
                    .KeepaliveIntervalMs(KeepaliveIntervalMs).IdleTimeoutMs(IdleTimeoutMs)
                    .MaxPeers(MaxPeers).MaxHandshakes(Math.Min(MaxPeers, 128)).MaxDataLen(MaxDataLen);
            }
            catch
            {
                s.Dispose();
                throw;
            }
        }
    }

    /// <summary>The socket loop shared by client and server.</summary>
    public abstract class UdpConnectionBase : IDisposable
    {
        internal readonly UdpClient Udp;
        internal readonly Endpoint Endpoint;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Queue<ConnectionEvent> _events = new Queue<ConnectionEvent>();
        private readonly byte[] _address = new byte[Constants.EndpointAddressMaxLen];
        // What arrived since the last Update, given to the endpoint in batches of BatchSize.
        private const int BatchSize = 32;
        private readonly DatagramBatch _batch = new DatagramBatch();
        private readonly byte[] _datagram;
        private readonly byte[] _data;
        private bool _disposed;

        /// <summary>Takes ownership of `endpoint` (disposed here if the socket cannot be bound).</summary>
        internal UdpConnectionBase(Endpoint endpoint, IPEndPoint bind, ConnectionOptions options)
        {
            options = options ?? new ConnectionOptions();
            Endpoint = endpoint;
            try
            {
                Udp = new UdpClient(bind.AddressFamily);
                // Mono sets SO_REUSEADDR on new sockets, which would let a second server share
                // the port and receive part of its datagrams: bind exclusively.
                Udp.Client.ExclusiveAddressUse = true;
                Udp.Client.Bind(bind);
            }
            catch
            {
                if (Udp != null) Udp.Close();
                endpoint.Dispose();
                throw;
            }
            _datagram = new byte[Math.Max(Constants.SessionMaxHandshakeLen, options.MaxDataLen + Constants.PacketOverhead)];
            _data = new byte[Math.Max(1, options.MaxDataLen)];
        }

        private void ReceiveBatch(ulong now)
        {
            if (_batch.Count == 0) return;
            try
            {
                Endpoint.ReceiveBatch(now, _batch);
            }
            finally
            {
                _batch.Clear();
            }
        }

        internal ulong NowMs { get { return (ulong)_clock.ElapsedMilliseconds; } }

        /// <summary>The local UDP port.</summary>
        public int LocalPort { get { return ((IPEndPoint)Udp.Client.LocalEndPoint).Port; } }

        /// <summary>The endpoint's counters (datagrams, drops, resends, keep-alives...).</summary>
        public EndpointStats Stats { get { ThrowIfDisposed(); return Endpoint.Stats; } }

        public bool TryGetEvent(out ConnectionEvent e)
        {
            if (_events.Count > 0)
            {
                e = _events.Dequeue();
                return true;
            }
            e = null;
            return false;
        }

        /// <summary>Receives what arrived, runs the timers (retransmission, keep-alive, timeouts),
        /// sends what is due and collects the events. Call it every frame; it never blocks.</summary>
        public void Update()
        {
            ThrowIfDisposed();
            ulong now = NowMs;
            while (Udp.Available > 0)
            {
                IPEndPoint from = null;
                byte[] datagram;
                try
                {
                    datagram = Udp.Receive(ref from);
                }
                catch (SocketException)
                {
                    continue; // e.g. ICMP port unreachable after an earlier send
                }
                int n = AddressCodec.Encode(from, _address);
                _batch.Add(new ReadOnlySpan<byte>(_address, 0, n), new ReadOnlySpan<byte>(datagram));
                if (_batch.Count == BatchSize) ReceiveBatch(now);
            }
            ReceiveBatch(now);
            Endpoint.HandleTimeout(now);
            EndpointEvent ev;
            while (Endpoint.PollEvent(out ev, new Span<byte>(_data)))
            {
                var e = new ConnectionEvent { Peer = ev.Peer, Address = AddressOf(ev.Peer) };
                switch (ev.Kind)
                {
                    case EndpointEventKind.Connected:
                        e.Kind = ConnectionEventKind.Connected;
                        e.Suite = ev.Suite;
                        e.Fingerprint = ev.Fingerprint();
                        break;
                    case EndpointEventKind.Data:
                        e.Kind = ConnectionEventKind.Data;
                        e.Data = new ArraySegment<byte>(_data, 0, ev.DataLength).ToArray();
                        break;
                    case EndpointEventKind.ClientCredentials:
                        e.Kind = ConnectionEventKind.ClientCredentials;
                        break;
                    default:
                        e.Kind = ConnectionEventKind.Closed;
                        e.CloseReason = ev.CloseReason;
                        e.Reason = ev.Code;
                        break;
                }
                OnEvent(e);
                _events.Enqueue(e);
            }
            Flush();
        }

        internal virtual IPEndPoint AddressOf(ulong peer) { return null; }

        internal virtual void OnEvent(ConnectionEvent e) { }

        /// <summary>Sends every datagram the endpoint has queued.</summary>
        internal void Flush()
        {
            int al, dl;
            while (Endpoint.PollTransmit(new Span<byte>(_address), out al, new Span<byte>(_datagram), out dl))
            {
                try
                {
                    Udp.Send(_datagram, dl, AddressCodec.Decode(_address, al));
                }
                catch (SocketException)
                {
                    // UDP: a failed send is a lost datagram; the endpoint's timers handle it.
                }
            }
        }

        internal void SendTo(ulong peer, ReadOnlySpan<byte> data)
        {
            ThrowIfDisposed();
            Endpoint.Send(NowMs, peer, data);
            Flush();
        }

        internal void CloseLocally(ulong peer)
        {
            ThrowIfDisposed();
            Endpoint.Close(NowMs, peer);
            Flush();
        }

        internal void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(GetType().Name);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Endpoint.Dispose();
            Udp.Close();
        }
    }

    /// <summary>The client side: one connection to one server.</summary>
    public sealed class GameCryptClient : UdpConnectionBase
    {
        private readonly ulong _peer;
        private readonly IPEndPoint _server;
        private ConnectionState _state = ConnectionState.Connecting;

        public GameCryptClient(ClientConfig config, IPEndPoint server, ConnectionOptions options = null)
            : base(NewEndpoint(config, null, options), AnyAddressFor(server), options)
        {
            _server = server;
            var address = new byte[Constants.EndpointAddressMaxLen];
            int n = AddressCodec.Encode(server, address);
            _peer = Endpoint.Connect(NowMs, new ReadOnlySpan<byte>(address, 0, n));
            Flush();
        }

        private static IPEndPoint AnyAddressFor(IPEndPoint server)
        {
            if (server == null) throw new ArgumentNullException("server");
            return new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        }

        /// <summary>A client endpoint for `client`, or a server endpoint for `server`.</summary>
        internal static Endpoint NewEndpoint(ClientConfig client, ServerConfig server, ConnectionOptions options)
        {
            using (EndpointSettings settings = (options ?? new ConnectionOptions()).ToSettings())
                return server != null ? Endpoint.CreateServer(server, settings) : Endpoint.CreateClient(client, settings);
        }

        public ConnectionState State { get { return _state; } }

        /// <summary>The server key's fingerprint once connected, else null.</summary>
        public byte[] ServerFingerprint { get; private set; }

        public Suite? Suite { get; private set; }

        internal override IPEndPoint AddressOf(ulong peer) { return _server; }

        internal override void OnEvent(ConnectionEvent e)
        {
            if (e.Kind == ConnectionEventKind.Connected)
            {
                _state = ConnectionState.Connected;
                Suite = e.Suite;
                ServerFingerprint = e.Fingerprint;
            }
            else if (e.Kind == ConnectionEventKind.Closed)
            {
                _state = ConnectionState.Closed;
            }
        }

        /// <summary>Seals and sends `data` to the server (only when connected).</summary>
        public void Send(ReadOnlySpan<byte> data) { SendTo(_peer, data); }

        public void Send(byte[] data) { Send(Buf.In(data, "data")); }

        /// <summary>Sends the authenticated close; the Closed event (Local) follows on the next Update.</summary>
        public void Disconnect()
        {
            ThrowIfDisposed();
            if (_state == ConnectionState.Closed) return;
            CloseLocally(_peer);
            _state = ConnectionState.Closed;
        }
    }

    /// <summary>The server side: one peer per client address.</summary>
    public sealed class GameCryptServer : UdpConnectionBase
    {
        // Every peer the application knows of (from ClientCredentials or Connected until Closed),
        // and those of them that are connected.
        private readonly Dictionary<ulong, IPEndPoint> _known = new Dictionary<ulong, IPEndPoint>();
        private readonly HashSet<ulong> _connected = new HashSet<ulong>();
        private readonly List<ulong> _broadcast = new List<ulong>();

        /// <summary>Listens on `address`:`port` (port 0 picks a free one: see LocalPort).</summary>
        public GameCryptServer(ServerConfig config, IPAddress address, int port, ConnectionOptions options = null)
            : base(GameCryptClient.NewEndpoint(null, ServerFor(config), options), new IPEndPoint(address, port), options) { }

        private static ServerConfig ServerFor(ServerConfig config)
        {
            if (config == null) throw new ArgumentNullException("config");
            return config;
        }

        /// <summary>Connected peers.</summary>
        public int PeerCount { get { return _connected.Count; } }

        internal override IPEndPoint AddressOf(ulong peer)
        {
            IPEndPoint ep;
            if (_known.TryGetValue(peer, out ep)) return ep;
            // A peer the application hears of for the first time (Connected, ClientCredentials).
            byte[] raw = Endpoint.GetPeerAddress(peer);
            ep = AddressCodec.Decode(raw, raw.Length);
            _known.Add(peer, ep);
            return ep;
        }

        internal override void OnEvent(ConnectionEvent e)
        {
            if (e.Kind == ConnectionEventKind.Connected)
            {
                _connected.Add(e.Peer);
            }
            else if (e.Kind == ConnectionEventKind.Closed)
            {
                _connected.Remove(e.Peer);
                _known.Remove(e.Peer);
            }
        }

        public void Send(ulong peer, ReadOnlySpan<byte> data) { SendTo(peer, data); }

        public void Send(ulong peer, byte[] data) { Send(peer, Buf.In(data, "data")); }

        /// <summary>Sends `data` to every connected peer.</summary>
        public void Broadcast(byte[] data)
        {
            ThrowIfDisposed();
            _broadcast.Clear();
            _broadcast.AddRange(_connected);
            foreach (ulong peer in _broadcast) Endpoint.Send(NowMs, peer, new ReadOnlySpan<byte>(data));
            Flush();
        }

        /// <summary>Server with client authentication, after ClientCredentials: the client's key
        /// fingerprint (null if it sent none) and token.</summary>
        public byte[] GetClientFingerprint(ulong peer) { ThrowIfDisposed(); return Endpoint.GetPeerFingerprint(peer); }

        public byte[] GetClientToken(ulong peer) { ThrowIfDisposed(); return Endpoint.GetPeerClientToken(peer); }

        public void Accept(ulong peer)
        {
            ThrowIfDisposed();
            Endpoint.Accept(NowMs, peer);
            Flush();
        }

        public void Reject(ulong peer)
        {
            ThrowIfDisposed();
            Endpoint.Reject(NowMs, peer);
            Flush();
        }

        /// <summary>Sends the authenticated close to a peer; its Closed event (Local) follows.</summary>
        public void Disconnect(ulong peer) { CloseLocally(peer); }
    }

    /// <summary>IP endpoints as the opaque address bytes of the endpoint: the 16-byte IPv6 form
    /// (IPv4 mapped) and the port, big-endian.</summary>
    internal static class AddressCodec
    {
        internal const int Length = 18;

        internal static int Encode(IPEndPoint ep, byte[] output)
        {
            byte[] ip = ep.Address.AddressFamily == AddressFamily.InterNetwork ? ep.Address.MapToIPv6().GetAddressBytes() : ep.Address.GetAddressBytes();
            Buffer.BlockCopy(ip, 0, output, 0, 16);
            output[16] = (byte)(ep.Port >> 8);
            output[17] = (byte)ep.Port;
            return Length;
        }

        internal static IPEndPoint Decode(byte[] address, int length)
        {
            if (length != Length) throw new ArgumentException("not an address made by AddressCodec");
            var ip = new byte[16];
            Buffer.BlockCopy(address, 0, ip, 0, 16);
            var a = new IPAddress(ip);
            if (a.IsIPv4MappedToIPv6) a = a.MapToIPv4();
            return new IPEndPoint(a, (address[16] << 8) | address[17]);
        }
    }
}
