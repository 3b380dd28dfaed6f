// GameCryptClient and GameCryptServer over UdpClient on 127.0.0.1: handshake, data both ways,
// several clients, the authenticated close, a wrong pinned key, a handshake timeout.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Threading;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class NetTests
    {
        internal static List<ConnectionEvent> Drain(UdpConnectionBase endpoint)
        {
            var list = new List<ConnectionEvent>();
            ConnectionEvent e;
            while (endpoint.TryGetEvent(out e)) list.Add(e);
            return list;
        }

        /// <summary>Runs both loops until `done` or 5 s; collects every event.</summary>
        internal static void Pump(Func<bool> done, List<ConnectionEvent> serverEvents, List<ConnectionEvent> clientEvents, GameCryptServer server, params GameCryptClient[] clients)
        {
            var sw = Stopwatch.StartNew();
            while (!done())
            {
                if (sw.ElapsedMilliseconds > 5000) Assert.Fail("timed out");
                if (server != null)
                {
                    server.Update();
                    serverEvents.AddRange(Drain(server));
                }
                foreach (GameCryptClient c in clients)
                {
                    c.Update();
                    clientEvents.AddRange(Drain(c));
                }
                Thread.Sleep(1);
            }
        }

        [Test]
        public void ClientsConnectChatAndCloseOverLoopbackUdp()
        {
            using (var p = new SessionPair(KeyType.Ed25519, handshake: false))
            using (var server = new GameCryptServer(p.ServerConfig, IPAddress.Loopback, 0))
            using (var a = new GameCryptClient(p.ClientConfig, new IPEndPoint(IPAddress.Loopback, server.LocalPort)))
            using (var b = new GameCryptClient(p.ClientConfig, new IPEndPoint(IPAddress.Loopback, server.LocalPort), new ConnectionOptions { HandshakeRetransmitMs = 100 }))
            {
                var se = new List<ConnectionEvent>();
                var ce = new List<ConnectionEvent>();
                Assert.AreEqual(ConnectionState.Connecting, a.State);
                Assert.IsNull(a.ServerFingerprint);
                Pump(() => a.State == ConnectionState.Connected && b.State == ConnectionState.Connected && server.PeerCount == 2
                    && se.FindAll(e => e.Kind == ConnectionEventKind.Connected).Count == 2, se, ce, server, a, b);
                using (PublicKey idPk = p.Identity.GetPublicKey())
                    CollectionAssert.AreEqual(idPk.Fingerprint(), a.ServerFingerprint);
                Assert.AreEqual(Suite.X25519mlkem768Ed25519Chacha20poly1305Sha256, a.Suite);
                Assert.AreEqual(2, ce.FindAll(e => e.Kind == ConnectionEventKind.Connected).Count);
                StringAssert.StartsWith("Connected", ce[0].ToString());
                Assert.AreNotEqual(0, a.LocalPort);

                a.Send(Bytes.Of("hello from a"));
                b.Send(new ReadOnlySpan<byte>(Bytes.Of("hello from b")));
                Pump(() => se.FindAll(e => e.Kind == ConnectionEventKind.Data).Count == 2, se, ce, server, a, b);
                ConnectionEvent fromA = se.Find(e => e.Kind == ConnectionEventKind.Data && System.Text.Encoding.UTF8.GetString(e.Data) == "hello from a");
                Assert.IsNotNull(fromA);
                Assert.AreEqual(a.LocalPort, fromA.Address.Port);
                StringAssert.StartsWith("Data", fromA.ToString());

                server.Send(fromA.Peer, Bytes.Of("only for a"));
                server.Broadcast(Bytes.Of("for everyone"));
                Pump(() => ce.FindAll(e => e.Kind == ConnectionEventKind.Data).Count == 3, se, ce, server, a, b);

                a.Disconnect();
                Assert.AreEqual(ConnectionState.Closed, a.State);
                Pump(() => se.Exists(e => e.Kind == ConnectionEventKind.Closed), se, ce, server, a, b);
                ConnectionEvent closed = se.Find(e => e.Kind == ConnectionEventKind.Closed);
                Assert.AreEqual(ResultCode.PeerClosed, closed.Reason);
                Assert.AreEqual(EndpointCloseReason.PeerClosed, closed.CloseReason);
                Assert.AreEqual(fromA.Peer, closed.Peer);
                StringAssert.StartsWith("Closed", closed.ToString());
                Assert.AreEqual(1, server.PeerCount);

                ulong bPeer = se.Find(e => e.Kind == ConnectionEventKind.Data && e.Peer != fromA.Peer).Peer;
                server.Disconnect(bPeer);
                Pump(() => b.State == ConnectionState.Closed, se, ce, server, a, b);
                Assert.AreEqual(ResultCode.PeerClosed, ce.FindLast(e => e.Kind == ConnectionEventKind.Closed).Reason);
                Assert.Throws<GameCryptArgumentException>(() => server.Send(bPeer, Bytes.Of("gone")));
                Assert.Throws<GameCryptArgumentException>(() => server.Send(bPeer, new ReadOnlySpan<byte>(Bytes.Of("gone"))));
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => b.Send(Bytes.Of("x"))).Code, "the peer id is gone");
                Assert.AreEqual(EndpointCloseReason.Local, ce.Find(e => e.Kind == ConnectionEventKind.Closed).CloseReason, "a's own Disconnect");
                Assert.Greater(server.Stats.DatagramsReceived, 0UL);
            }
        }

        [Test]
        public void WrongPinnedKeyNeverConnectsAndSilenceTimesOut()
        {
            using (var p = new SessionPair(KeyType.EcdsaP256, handshake: false))
            using (var cb = ClientConfigBuilder.PinnedFingerprint(new byte[32]))
            using (ClientConfig wrongPin = cb.Build())
            using (var server = new GameCryptServer(p.ServerConfig, IPAddress.Loopback, 0))
            using (var client = new GameCryptClient(wrongPin, new IPEndPoint(IPAddress.Loopback, server.LocalPort)))
            {
                var se = new List<ConnectionEvent>();
                var ce = new List<ConnectionEvent>();
                Pump(() => client.State == ConnectionState.Closed, se, ce, server, client);
                ConnectionEvent failed = ce.Find(e => e.Kind == ConnectionEventKind.Closed);
                Assert.AreEqual(ResultCode.FingerprintMismatch, failed.Reason);
                Assert.AreEqual(EndpointCloseReason.Failed, failed.CloseReason);
                Assert.Catch<GameCryptException>(() => client.Send(Bytes.Of("x")));
            }
            using (var p = new SessionPair(KeyType.EcdsaP256, handshake: false))
            using (var silent = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
            using (var client = new GameCryptClient(p.ClientConfig, (IPEndPoint)silent.Client.LocalEndPoint, new ConnectionOptions { HandshakeTimeoutMs = 300, HandshakeRetransmitMs = 50, KeepaliveIntervalMs = 100, IdleTimeoutMs = 1000, MaxPeers = 4, MaxDataLen = 600 }))
            {
                var ce = new List<ConnectionEvent>();
                Pump(() => client.State == ConnectionState.Closed, new List<ConnectionEvent>(), ce, null, client);
                Assert.AreEqual(EndpointCloseReason.HandshakeTimeout, ce[0].CloseReason);
                Assert.Greater(silent.Available, 0, "the ClientHello was sent");
                Assert.Greater(client.Stats.HandshakeResends, 0UL, "and resent");
            }
        }

        [Test]
        public void ServerChecksClientCredentialsThenAcceptsOrRejects()
        {
            using (SigningKey id = SigningKey.Generate(KeyType.EcdsaP256))
            using (PublicKey idPk = id.GetPublicKey())
            using (SigningKey player = SigningKey.Generate(KeyType.EcdsaP256))
            using (PublicKey playerPk = player.GetPublicKey())
            using (var sb = new ServerConfigBuilder(id).SetClientAuth(ClientAuthMode.Required, ClientAuthMode.Optional))
            using (ServerConfig sc = sb.Build())
            using (var cb = ClientConfigBuilder.PinnedKey(idPk).SetClientKey(player).SetToken(Bytes.Of("login-ticket")))
            using (ClientConfig cc = cb.Build())
            using (var server = new GameCryptServer(sc, IPAddress.Loopback, 0))
            using (var welcome = new GameCryptClient(cc, new IPEndPoint(IPAddress.Loopback, server.LocalPort)))
            using (var banned = new GameCryptClient(cc, new IPEndPoint(IPAddress.Loopback, server.LocalPort)))
            {
                var se = new List<ConnectionEvent>();
                var ce = new List<ConnectionEvent>();
                Pump(() => se.FindAll(e => e.Kind == ConnectionEventKind.ClientCredentials).Count == 2, se, ce, server, welcome, banned);
                foreach (ConnectionEvent creds in se.FindAll(e => e.Kind == ConnectionEventKind.ClientCredentials))
                {
                    StringAssert.StartsWith("ClientCredentials", creds.ToString());
                    CollectionAssert.AreEqual(playerPk.Fingerprint(), server.GetClientFingerprint(creds.Peer));
                    CollectionAssert.AreEqual(Bytes.Of("login-ticket"), server.GetClientToken(creds.Peer));
                    if (creds.Address.Port == welcome.LocalPort) server.Accept(creds.Peer);
                    else server.Reject(creds.Peer);
                }
                Pump(() => welcome.State == ConnectionState.Connected && banned.State == ConnectionState.Closed, se, ce, server, welcome, banned);
                Assert.AreEqual(EndpointCloseReason.Rejected, ce.Find(e => e.Kind == ConnectionEventKind.Closed).CloseReason);
                CollectionAssert.AreEqual(playerPk.Fingerprint(), se.Find(e => e.Kind == ConnectionEventKind.Connected).Fingerprint);
                Assert.AreEqual(1, server.PeerCount);
            }
        }

        [Test]
        public void BadArgumentsAndABusyPortLeakNothing()
        {
            using (var p = new SessionPair(handshake: false))
            using (var first = new GameCryptServer(p.ServerConfig, IPAddress.Loopback, 0))
            {
                Assert.Throws<ArgumentNullException>(() => new GameCryptClient(null, new IPEndPoint(IPAddress.Loopback, 1)));
                Assert.Throws<ArgumentNullException>(() => new GameCryptClient(p.ClientConfig, null));
                Assert.Throws<ArgumentNullException>(() => new GameCryptServer(null, IPAddress.Loopback, 0));
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => new GameCryptServer(p.ServerConfig, IPAddress.Loopback, 0, new ConnectionOptions { HandshakeRetransmitMs = 1 })).Code);
                GC.Collect();
                GC.WaitForPendingFinalizers(); // nothing else is released while we count
                long before = System.Threading.Interlocked.Read(ref GameCryptHandle.ReleasedCount);
                Assert.Throws<System.Net.Sockets.SocketException>(() => new GameCryptServer(p.ServerConfig, IPAddress.Loopback, first.LocalPort));
                // The settings and the endpoint made before the bind failed are freed at once.
                Assert.AreEqual(before + 2, System.Threading.Interlocked.Read(ref GameCryptHandle.ReleasedCount));
            }
        }

        [Test]
        public void DisposedEndpointThrowsObjectDisposed()
        {
            using (var p = new SessionPair(handshake: false))
            {
                var server = new GameCryptServer(p.ServerConfig, IPAddress.Loopback, 0);
                var client = new GameCryptClient(p.ClientConfig, new IPEndPoint(IPAddress.Loopback, server.LocalPort));
                server.Dispose();
                client.Dispose();
                client.Dispose();
                Assert.Throws<ObjectDisposedException>(() => server.Update());
                Assert.Throws<ObjectDisposedException>(() => client.Send(Bytes.Of("x")));
                Assert.Throws<ObjectDisposedException>(() => client.Disconnect());
            }
        }
    }
}
