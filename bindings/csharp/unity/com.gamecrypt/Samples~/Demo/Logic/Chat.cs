// The chat of the sample: a relay server and a client over GameCryptServer/GameCryptClient,
// with the text the UI shows (state, server fingerprint, lines). Engine-independent: the
// MonoBehaviours call Update() every frame, the NUnit tests call it in a loop.
using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using GameCrypt;

namespace GameCrypt.Demo
{
    public sealed class ChatServer : IDisposable
    {
        private readonly SigningKey _identity;
        private readonly ServerConfig _config;
        private readonly GameCryptServer _server;
        public readonly List<string> Log = new List<string>();

        /// <summary>A relay on 127.0.0.1:`port` (0: any free port) with a fresh identity key.</summary>
        public ChatServer(int port)
        {
            _identity = SigningKey.Generate(KeyType.Ed25519);
            using (var b = new ServerConfigBuilder(_identity)) _config = b.Build();
            _server = new GameCryptServer(_config, IPAddress.Loopback, port);
            using (PublicKey pk = _identity.GetPublicKey()) Fingerprint = pk.Fingerprint();
        }

        public int Port { get { return _server.LocalPort; } }
        public byte[] Fingerprint { get; private set; }
        public string FingerprintHex { get { return Hex.Encode(Fingerprint); } }
        public int Players { get { return _server.PeerCount; } }
        public string Status { get { return "listening on 127.0.0.1:" + Port + ", " + Players + " player(s)"; } }

        public void Update()
        {
            _server.Update();
            ConnectionEvent e;
            while (_server.TryGetEvent(out e))
            {
                switch (e.Kind)
                {
                    case ConnectionEventKind.Connected:
                        Log.Add("player " + e.Peer + " joined (" + e.Suite + ")");
                        break;
                    case ConnectionEventKind.Data:
                        string line = "player " + e.Peer + ": " + Encoding.UTF8.GetString(e.Data);
                        Log.Add(line);
                        _server.Broadcast(Encoding.UTF8.GetBytes(line));
                        break;
                    case ConnectionEventKind.Closed:
                        Log.Add("player " + e.Peer + " left (" + e.Reason + ")");
                        break;
                }
            }
        }

        public void Dispose()
        {
            _server.Dispose();
            _config.Dispose();
            _identity.Dispose();
        }
    }

    public sealed class ChatClient : IDisposable
    {
        private readonly ClientConfig _config;
        private readonly GameCryptClient _client;
        public readonly List<string> Lines = new List<string>();

        /// <summary>Connects to 127.0.0.1:`port`, trusting only the server key with this fingerprint.</summary>
        public ChatClient(int port, byte[] pinnedFingerprint)
        {
            using (var b = ClientConfigBuilder.PinnedFingerprint(pinnedFingerprint)) _config = b.Build();
            _client = new GameCryptClient(_config, new IPEndPoint(IPAddress.Loopback, port));
        }

        public ConnectionState State { get { return _client.State; } }
        public string ClosedReason { get; private set; }

        public string Status
        {
            get
            {
                switch (_client.State)
                {
                    case ConnectionState.Connecting: return "connecting...";
                    case ConnectionState.Connected: return "connected, " + _client.Suite + ", server key " + Hex.Encode(_client.ServerFingerprint);
                    default: return "closed: " + ClosedReason;
                }
            }
        }

        public void Update()
        {
            _client.Update();
            ConnectionEvent e;
            while (_client.TryGetEvent(out e))
            {
                if (e.Kind == ConnectionEventKind.Data) Lines.Add(Encoding.UTF8.GetString(e.Data));
                else if (e.Kind == ConnectionEventKind.Closed) ClosedReason = e.Reason + ": " + GameCryptException.Describe(e.Reason);
            }
        }

        public void Say(string text) { _client.Send(Encoding.UTF8.GetBytes(text)); }

        public void Leave() { _client.Disconnect(); }

        public void Dispose()
        {
            _client.Dispose();
            _config.Dispose();
        }
    }
}
