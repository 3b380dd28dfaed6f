// GameCryptClient and GameCryptServer: a secure connection over System.Net.Sockets.UdpClient,
// driven by Update() from the game loop (no threads of its own). Events come out of
// TryGetEvent(): Connected (suite and server fingerprint), Data, Closed (with the reason).
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
        Closed,
    }

    /// <summary>Something that happened to a connection.</summary>
    public sealed class ConnectionEvent
    {
        internal ConnectionEvent() { }

        public ConnectionEventKind Kind { get; internal set; }
        /// <summary>The peer (server side; always 1 on the client).</summary>
        public long Peer { get; internal set; }
        public IPEndPoint Address { get; internal set; }
        /// <summary>Data: the received plaintext.</summary>
        public byte[] Data { get; internal set; }
        /// <summary>Connected: the negotiated suite.</summary>
        public Suite Suite { get; internal set; }
        /// <summary>Connected: SHA-256 fingerprint of the server's identity key.</summary>
        public byte[] ServerFingerprint { get; internal set; }
        /// <summary>Closed: why (PeerClosed, SessionClosed for a timeout or a local close, or the error).</summary>
        public ResultCode Reason { get; internal set; }

        public override string ToString()
        {
            switch (Kind)
            {
                case ConnectionEventKind.Connected: return "Connected peer " + Peer + " (" + Suite + ")";
                case ConnectionEventKind.Data: return "Data from peer " + Peer + " (" + Data.Length + " bytes)";
                default: return "Closed peer " + Peer + ": " + Reason;
            }
        }
    }

    public enum ConnectionState
    {
        Connecting,
        Connected,
        Closed,
    }

    /// <summary>Timings shared by client and server (milliseconds).</summary>
    public sealed class ConnectionOptions
    {
        public int HandshakeRetransmitMs = 250;
        public int HandshakeTimeoutMs = 5000;
        public int MaxDatagram = 1400;
    }

    /// <summary>One connection's session, its last handshake message (resent on loss) and timers.</summary>
    internal sealed class Link : IDisposable
    {
        internal readonly long Id;
        internal readonly IPEndPoint Address;
        internal readonly Session Session;
        internal byte[] LastHandshake;
        internal long LastHandshakeSentMs;
        internal readonly long StartedMs;
        internal bool AnnouncedConnected;

        internal Link(long id, IPEndPoint address, Session session, long now)
        {
            Id = id;
            Address = address;
            Session = session;
            StartedMs = now;
        }

        public void Dispose() { Session.Dispose(); }
    }

    /// <summary>Shared socket loop of client and server.</summary>
    public abstract class UdpConnectionBase : IDisposable
    {
        internal readonly UdpClient Udp;
        internal readonly ConnectionOptions Options;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Queue<ConnectionEvent> _events = new Queue<ConnectionEvent>();
        internal readonly byte[] SendBuffer;
        internal readonly byte[] PlainBuffer;
        private bool _disposed;

        internal UdpConnectionBase(UdpClient udp, ConnectionOptions options)
        {
            Udp = udp;
            Options = options ?? new ConnectionOptions();
            SendBuffer = new byte[Options.MaxDatagram + Constants.SessionMaxHandshakeLen];
            PlainBuffer = new byte[65536];
        }

        internal long NowMs { get { return _clock.ElapsedMilliseconds; } }

        /// <summary>The local UDP port.</summary>
        public int LocalPort { get { return ((IPEndPoint)Udp.Client.LocalEndPoint).Port; } }

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

        internal void Emit(ConnectionEvent e) { _events.Enqueue(e); }

        /// <summary>Receives what arrived, resends lost handshake messages, fires timeouts.
        /// Call it every frame; it never blocks.</summary>
        public void Update()
        {
            ThrowIfDisposed();
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
                    continue; // e.g. ICMP port unreachable from an earlier send
                }
                OnDatagram(from, datagram);
            }
            OnTimers(NowMs);
        }

        internal abstract void OnDatagram(IPEndPoint from, byte[] datagram);
        internal abstract void OnTimers(long now);

        internal void SendRaw(IPEndPoint to, byte[] data, int length)
        {
            try
            {
                Udp.Send(data, length, to);
            }
            catch (SocketException)
            {
                // UDP: a failed send is a lost datagram; retransmission and timeouts handle it.
            }
        }

        /// <summary>Handles a handshake message for a link; returns false when the link failed.</summary>
        internal bool Handshake(Link link, byte[] datagram)
        {
            ResultCode reason;
            bool ok = link.Session.ReadHandshake(new ReadOnlySpan<byte>(datagram), out reason);
            if (!ok)
            {
                if (reason == ResultCode.WrongState || reason == ResultCode.PacketReplayed)
                {
                    // A duplicate: the peer missed our last message, send it again.
                    if (link.LastHandshake != null) SendRaw(link.Address, link.LastHandshake, link.LastHandshake.Length);
                    return true;
                }
                Close(link, reason);
                return false;
            }
            Pump(link);
            return true;
        }

        /// <summary>Writes and sends what the session has to send; announces an established link.</summary>
        internal void Pump(Link link)
        {
            if (link.Session.State == SessionState.NeedWrite)
            {
                link.LastHandshake = link.Session.WriteHandshake();
                link.LastHandshakeSentMs = NowMs;
                SendRaw(link.Address, link.LastHandshake, link.LastHandshake.Length);
            }
            if (link.Session.State == SessionState.Established && !link.AnnouncedConnected)
            {
                link.AnnouncedConnected = true;
                byte[] fingerprint;
                using (PublicKey key = link.Session.GetServerPublicKey()) fingerprint = key.Fingerprint();
                Suite suite = link.Session.Suite;
                OnEstablished(suite, fingerprint);
                Emit(new ConnectionEvent { Kind = ConnectionEventKind.Connected, Peer = link.Id, Address = link.Address, Suite = suite, ServerFingerprint = fingerprint });
            }
        }

        internal virtual void OnEstablished(Suite suite, byte[] fingerprint) { }

        internal void Packet(Link link, byte[] datagram)
        {
            if (link.Session.State == SessionState.NeedRead)
            {
                // Data before our handshake finished: the peer's last handshake message was lost.
                if (link.LastHandshake != null) SendRaw(link.Address, link.LastHandshake, link.LastHandshake.Length);
                return;
            }
            int n;
            ResultCode reason;
            if (link.Session.TryOpen(datagram, 0, datagram.Length, PlainBuffer, 0, out n, out reason))
            {
                if (n == 0) return; // keep-alive
                byte[] data = new byte[n];
                Buffer.BlockCopy(PlainBuffer, 0, data, 0, n);
                Emit(new ConnectionEvent { Kind = ConnectionEventKind.Data, Peer = link.Id, Address = link.Address, Data = data });
                return;
            }
            SessionState state = link.Session.State;
            if (state == SessionState.Closed || state == SessionState.Failed) Close(link, reason);
            // Anything else (a forgery, a replay, a late packet) is dropped quietly.
        }

        internal void SendData(Link link, ReadOnlySpan<byte> data)
        {
            int n = link.Session.Seal(data, new Span<byte>(SendBuffer));
            SendRaw(link.Address, SendBuffer, n);
        }

        internal void CloseLocally(Link link)
        {
            SessionState state = link.Session.State;
            if (state != SessionState.Closed && state != SessionState.Failed)
            {
                byte[] close = link.Session.Close();
                if (close.Length > 0) SendRaw(link.Address, close, close.Length);
            }
            Close(link, ResultCode.SessionClosed);
        }

        internal virtual void Close(Link link, ResultCode reason)
        {
            Emit(new ConnectionEvent { Kind = ConnectionEventKind.Closed, Peer = link.Id, Address = link.Address, Reason = reason });
        }

        internal void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(GetType().Name);
        }

        protected virtual void DisposeLinks() { }

        public void Dispose()
        {
            if (_disposed) return;
            DisposeLinks();
            _disposed = true;
            Udp.Close();
        }
    }

    /// <summary>The client side: connects to one server.</summary>
    public sealed class GameCryptClient : UdpConnectionBase
    {
        private Link _link;
        private ConnectionState _state = ConnectionState.Connecting;

        public GameCryptClient(ClientConfig config, IPEndPoint server, ConnectionOptions options = null)
            : base(new UdpClient(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0)), options)
        {
            if (config == null) throw new ArgumentNullException("config");
            _link = new Link(1, server, Session.CreateClient(config, SessionMode.Datagram), NowMs);
            Pump(_link);
        }

        public ConnectionState State { get { return _state; } }

        /// <summary>The server key's fingerprint once connected, else null.</summary>
        public byte[] ServerFingerprint { get; private set; }

        public Suite? Suite { get; private set; }

        internal override void OnDatagram(IPEndPoint from, byte[] datagram)
        {
            if (_state == ConnectionState.Closed || !from.Equals(_link.Address) || datagram.Length == 0) return;
            if (Session.IsHandshakeMessage(new ReadOnlySpan<byte>(datagram)))
                Handshake(_link, datagram);
            else
                Packet(_link, datagram);
        }

        internal override void OnTimers(long now)
        {
            if (_state != ConnectionState.Connecting) return;
            if (now - _link.StartedMs > Options.HandshakeTimeoutMs)
            {
                Close(_link, ResultCode.SessionClosed);
                return;
            }
            if (_link.Session.State == SessionState.NeedRead && now - _link.LastHandshakeSentMs >= Options.HandshakeRetransmitMs)
            {
                SendRaw(_link.Address, _link.LastHandshake, _link.LastHandshake.Length);
                _link.LastHandshakeSentMs = now;
            }
        }

        /// <summary>Seals and sends `data` to the server (only when connected).</summary>
        public void Send(ReadOnlySpan<byte> data)
        {
            ThrowIfDisposed();
            SendData(_link, data);
        }

        public void Send(byte[] data) { Send(Buf.In(data, "data")); }

        /// <summary>Sends the authenticated close and closes.</summary>
        public void Disconnect()
        {
            ThrowIfDisposed();
            if (_state != ConnectionState.Closed) CloseLocally(_link);
        }

        internal override void Close(Link link, ResultCode reason)
        {
            if (_state == ConnectionState.Closed) return;
            _state = ConnectionState.Closed;
            base.Close(link, reason);
        }

        internal override void OnEstablished(Suite suite, byte[] fingerprint)
        {
            _state = ConnectionState.Connected;
            Suite = suite;
            ServerFingerprint = fingerprint;
        }

        protected override void DisposeLinks() { _link.Dispose(); }
    }

    /// <summary>The server side: one session per client address.</summary>
    public sealed class GameCryptServer : UdpConnectionBase
    {
        private readonly ServerConfig _config;
        private readonly Dictionary<IPEndPoint, Link> _byAddress = new Dictionary<IPEndPoint, Link>();
        private readonly Dictionary<long, Link> _byId = new Dictionary<long, Link>();
        private readonly List<Link> _expired = new List<Link>();
        private long _nextId = 1;

        /// <summary>Listens on `address`:`port` (port 0 picks a free one: see LocalPort).</summary>
        public GameCryptServer(ServerConfig config, IPAddress address, int port, ConnectionOptions options = null)
            : base(new UdpClient(new IPEndPoint(address, port)), options)
        {
            if (config == null) throw new ArgumentNullException("config");
            _config = config;
        }

        public int PeerCount { get { return _byId.Count; } }

        internal override void OnDatagram(IPEndPoint from, byte[] datagram)
        {
            if (datagram.Length == 0) return;
            Link link;
            bool handshake = Session.IsHandshakeMessage(new ReadOnlySpan<byte>(datagram));
            if (!_byAddress.TryGetValue(from, out link))
            {
                if (!handshake || datagram[0] != Constants.SessionMessageClientHello) return; // stray datagram
                link = new Link(_nextId++, from, Session.CreateServer(_config, SessionMode.Datagram), NowMs);
                _byAddress.Add(from, link);
                _byId.Add(link.Id, link);
            }
            if (handshake)
                Handshake(link, datagram);
            else
                Packet(link, datagram);
        }

        internal override void OnTimers(long now)
        {
            foreach (Link link in _byId.Values)
                if (!link.AnnouncedConnected && now - link.StartedMs > Options.HandshakeTimeoutMs) _expired.Add(link);
            foreach (Link link in _expired) Close(link, ResultCode.SessionClosed);
            _expired.Clear();
        }

        public void Send(long peer, ReadOnlySpan<byte> data)
        {
            ThrowIfDisposed();
            SendData(Find(peer), data);
        }

        public void Send(long peer, byte[] data) { Send(peer, Buf.In(data, "data")); }

        /// <summary>Sends `data` to every connected peer.</summary>
        public void Broadcast(byte[] data)
        {
            ThrowIfDisposed();
            foreach (Link link in _byId.Values)
                if (link.Session.IsEstablished) SendData(link, new ReadOnlySpan<byte>(data));
        }

        public void Disconnect(long peer)
        {
            ThrowIfDisposed();
            CloseLocally(Find(peer));
        }

        private Link Find(long peer)
        {
            Link link;
            if (!_byId.TryGetValue(peer, out link)) throw new GameCryptArgumentException(ResultCode.InvalidArgument, "unknown peer " + peer);
            return link;
        }

        internal override void Close(Link link, ResultCode reason)
        {
            if (!_byId.Remove(link.Id)) return;
            _byAddress.Remove(link.Address);
            base.Close(link, reason);
            link.Dispose();
        }

        protected override void DisposeLinks()
        {
            foreach (Link link in _byId.Values) link.Dispose();
            _byId.Clear();
            _byAddress.Clear();
        }
    }
}
