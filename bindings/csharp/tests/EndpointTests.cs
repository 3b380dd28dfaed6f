// The endpoint API itself, without sockets: datagrams are carried between a client and a server
// endpoint in memory, with a virtual clock.
using System;
using System.Collections.Generic;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class EndpointTests
    {
        private static readonly byte[] ClientAddr = Bytes.Of("10.0.0.2:4000"), ServerAddr = Bytes.Of("10.0.0.1:7777");

        /// <summary>Moves every queued datagram from one endpoint to the other until both are quiet;
        /// returns the events of each side.</summary>
        private static void Carry(ulong now, Endpoint client, Endpoint server, List<EndpointEvent> clientEvents, List<EndpointEvent> serverEvents, List<byte[]> serverData = null)
        {
            var addr = new byte[Constants.EndpointAddressMaxLen];
            var dgram = new byte[Constants.SessionMaxHandshakeLen];
            var data = new byte[2000];
            bool moved = true;
            while (moved)
            {
                moved = false;
                int al, dl;
                while (client.PollTransmit(new Span<byte>(addr), out al, new Span<byte>(dgram), out dl))
                {
                    CollectionAssert.AreEqual(ServerAddr, new ArraySegment<byte>(addr, 0, al));
                    server.Receive(now, new ReadOnlySpan<byte>(ClientAddr), new ReadOnlySpan<byte>(dgram, 0, dl));
                    moved = true;
                }
                while (server.PollTransmit(new Span<byte>(addr), out al, new Span<byte>(dgram), out dl))
                {
                    client.Receive(now, new ReadOnlySpan<byte>(ServerAddr), new ReadOnlySpan<byte>(dgram, 0, dl));
                    moved = true;
                }
                EndpointEvent e;
                while (client.PollEvent(out e, new Span<byte>(data))) clientEvents.Add(e);
                while (server.PollEvent(out e, new Span<byte>(data)))
                {
                    serverEvents.Add(e);
                    if (e.Kind == EndpointEventKind.Data && serverData != null) serverData.Add(new ArraySegment<byte>(data, 0, e.DataLength).ToArray());
                }
            }
        }

        [Test]
        public void ConnectExchangeCloseInMemory()
        {
            using (var p = new SessionPair(KeyType.EcdsaP256, handshake: false))
            using (var settings = new EndpointSettings().HandshakeResendInitialMs(100).HandshakeResendMaxMs(400).HandshakeTimeoutMs(5000)
                .KeepaliveIntervalMs(500).IdleTimeoutMs(3000).MaxPeers(8).MaxHandshakes(4).MaxDataLen(1000).CloseCopies(2)
                .MaxQueuedBytes(1 << 20).MaxPendingEvents(64))
            using (Endpoint client = Endpoint.CreateClient(p.ClientConfig, settings))
            using (Endpoint server = Endpoint.CreateServer(p.ServerConfig))
            {
                var ce = new List<EndpointEvent>();
                var se = new List<EndpointEvent>();
                var got = new List<byte[]>();
                ulong peer = client.Connect(0, new ReadOnlySpan<byte>(ServerAddr));
                Assert.AreEqual(EndpointPeerState.Handshake, client.GetPeerState(peer));
                Assert.AreEqual(ResultCode.PeerNotConnected, Assert.Throws<PeerNotConnectedException>(() => client.Send(0, peer, new ReadOnlySpan<byte>(Bytes.Of("early")))).Code);
                Assert.IsNotNull(client.NextDeadline);
                Carry(1, client, server, ce, se, got);

                EndpointEvent connected = ce.Find(e => e.Kind == EndpointEventKind.Connected);
                Assert.AreEqual(peer, connected.Peer);
                Assert.IsTrue(connected.HasFingerprint);
                using (PublicKey idPk = p.Identity.GetPublicKey())
                {
                    CollectionAssert.AreEqual(idPk.Fingerprint(), connected.Fingerprint());
                    CollectionAssert.AreEqual(idPk.Fingerprint(), client.GetPeerFingerprint(peer));
                }
                Assert.AreEqual(Suite.X25519mlkem768EcdsaP256Aes256gcmSha256, connected.Suite);
                EndpointEvent onServer = se.Find(e => e.Kind == EndpointEventKind.Connected);
                Assert.IsFalse(onServer.HasFingerprint);
                Assert.IsNull(onServer.Fingerprint());
                Assert.IsNull(server.GetPeerFingerprint(onServer.Peer), "no client key");
                Assert.AreEqual(ResultCode.WrongState, Assert.Throws<SessionException>(() => server.GetPeerClientToken(onServer.Peer)).Code, "no client authentication");
                CollectionAssert.AreEqual(ClientAddr, server.GetPeerAddress(onServer.Peer));
                Assert.AreEqual(EndpointPeerState.Connected, server.GetPeerState(onServer.Peer));
                Assert.AreEqual(connected.Suite, server.GetPeerSuite(onServer.Peer));

                client.Send(2, peer, new ReadOnlySpan<byte>(Bytes.Of("move north")));
                Carry(2, client, server, ce, se, got);
                Assert.AreEqual(1, got.Count);
                CollectionAssert.AreEqual(Bytes.Of("move north"), got[0]);
                Assert.AreEqual(10, se.Find(e => e.Kind == EndpointEventKind.Data).DataLength);

                Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => client.Send(3, peer, new ReadOnlySpan<byte>(new byte[1001]))).Code);
                Assert.AreEqual(ResultCode.UnknownPeer, Assert.Throws<UnknownPeerException>(() => client.Send(3, peer + 12345, ReadOnlySpan<byte>.Empty)).Code);
                Assert.AreEqual(ResultCode.TimeWentBackwards, Assert.Throws<TimeWentBackwardsException>(() => client.HandleTimeout(1)).Code);
                Assert.AreEqual(ResultCode.TimeWentBackwards, Assert.Throws<TimeWentBackwardsException>(() => client.Send(1, peer, ReadOnlySpan<byte>.Empty)).Code);
                Assert.AreEqual(ResultCode.TimeWentBackwards, Assert.Throws<TimeWentBackwardsException>(() => server.Receive(1, new ReadOnlySpan<byte>(ClientAddr), new ReadOnlySpan<byte>(new byte[] { 0x40 }))).Code);
                Assert.AreEqual(ResultCode.WrongRole, Assert.Throws<WrongRoleException>(() => server.Connect(3, new ReadOnlySpan<byte>(ServerAddr))).Code, "connect on a server");
                Assert.AreEqual(ResultCode.UnknownPeer, Assert.Throws<UnknownPeerException>(() => server.GetPeerAddress(peer + 999)).Code);
                Assert.AreEqual(ResultCode.UnknownPeer, Assert.Throws<UnknownPeerException>(() => server.GetPeerSuite(peer + 999)).Code);
                Assert.AreEqual(ResultCode.UnknownPeer, Assert.Throws<UnknownPeerException>(() => server.Close(3, peer + 999)).Code);
                Assert.AreEqual(ResultCode.UnknownPeer, Assert.Throws<UnknownPeerException>(() => server.Accept(3, peer + 999)).Code);

                // A small data buffer: the event stays queued and the needed length is reported.
                client.Send(4, peer, new ReadOnlySpan<byte>(Bytes.Of("a longer message")));
                var addr = new byte[Constants.EndpointAddressMaxLen];
                var dgram = new byte[2000];
                int al, dl;
                Assert.IsTrue(client.PollTransmit(new Span<byte>(addr), out al, new Span<byte>(dgram), out dl));
                server.Receive(4, new ReadOnlySpan<byte>(ClientAddr), new ReadOnlySpan<byte>(dgram, 0, dl));
                EndpointEvent ev;
                Assert.AreEqual(ResultCode.BufferTooSmall, Assert.Throws<GameCryptArgumentException>(() => { EndpointEvent x; server.PollEvent(out x, new Span<byte>(new byte[3])); }).Code);
                Assert.IsTrue(server.PollEvent(out ev, new Span<byte>(new byte[100])));
                Assert.AreEqual(EndpointEventKind.Data, ev.Kind);

                server.HandleTimeout(5);
                EndpointStats stats = server.Stats;
                Assert.GreaterOrEqual(stats.DatagramsReceived, 3UL);
                Assert.AreEqual(1UL, stats.Peers);

                client.Close(6, peer);
                Carry(6, client, server, ce, se);
                Assert.AreEqual(EndpointCloseReason.Local, ce.FindLast(e => e.Kind == EndpointEventKind.Closed).CloseReason);
                EndpointEvent closed = se.FindLast(e => e.Kind == EndpointEventKind.Closed);
                Assert.AreEqual(EndpointCloseReason.PeerClosed, closed.CloseReason);
                Assert.AreEqual(ResultCode.PeerClosed, closed.Code);
                Assert.AreEqual(0UL, server.Stats.Peers);
            }
        }

        private static string Numbered(int i) { return "message " + i + new string('.', 150); }

        [Test]
        public void ReceiveBatchIsReceiveOfEachInOrder()
        {
            using (var p = new SessionPair(KeyType.Ed25519, handshake: false))
            using (Endpoint client = Endpoint.CreateClient(p.ClientConfig))
            using (Endpoint server = Endpoint.CreateServer(p.ServerConfig))
            {
                var ce = new List<EndpointEvent>();
                var se = new List<EndpointEvent>();
                ulong peer = client.Connect(0, new ReadOnlySpan<byte>(ServerAddr));
                Carry(1, client, server, ce, se);
                Assert.IsTrue(ce.Exists(e => e.Kind == EndpointEventKind.Connected));

                // 40 messages (past the batch's first 16 entries and 4096 bytes) and, in the
                // middle, a datagram from an unknown address.
                var batch = new DatagramBatch();
                var addr = new byte[Constants.EndpointAddressMaxLen];
                var dgram = new byte[2000];
                int al, dl;
                for (int i = 0; i < 40; i++)
                {
                    client.Send(2, peer, new ReadOnlySpan<byte>(Bytes.Of(Numbered(i))));
                    Assert.IsTrue(client.PollTransmit(new Span<byte>(addr), out al, new Span<byte>(dgram), out dl));
                    batch.Add(new ReadOnlySpan<byte>(ClientAddr), new ReadOnlySpan<byte>(dgram, 0, dl));
                    if (i == 20) batch.Add(new ReadOnlySpan<byte>(Bytes.Of("10.9.9.9:1")), new ReadOnlySpan<byte>(dgram, 0, dl));
                }
                Assert.AreEqual(41, batch.Count);

                // Bad arguments: an exception, and nothing is taken.
                EndpointStats before = server.Stats;
                var bad = new DatagramBatch();
                bad.Add(new ReadOnlySpan<byte>(ClientAddr), new ReadOnlySpan<byte>(dgram, 0, dl));
                bad.Add(ReadOnlySpan<byte>.Empty, new ReadOnlySpan<byte>(dgram, 0, dl));
                Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => server.ReceiveBatch(2, bad)).Code);
                Assert.AreEqual(ResultCode.TimeWentBackwards, Assert.Throws<TimeWentBackwardsException>(() => server.ReceiveBatch(0, batch)).Code);
                Assert.Throws<ArgumentNullException>(() => server.ReceiveBatch(2, null));
                Assert.AreEqual(before.DatagramsReceived, server.Stats.DatagramsReceived);

                server.ReceiveBatch(2, batch);
                EndpointStats after = server.Stats;
                Assert.AreEqual(before.DatagramsReceived + 41, after.DatagramsReceived);
                Assert.AreEqual(before.DroppedStray + 1, after.DroppedStray);
                var data = new byte[2000];
                EndpointEvent ev;
                for (int i = 0; i < 40; i++)
                {
                    Assert.IsTrue(server.PollEvent(out ev, new Span<byte>(data)));
                    Assert.AreEqual(EndpointEventKind.Data, ev.Kind);
                    CollectionAssert.AreEqual(Bytes.Of(Numbered(i)), new ArraySegment<byte>(data, 0, ev.DataLength));
                }
                Assert.IsFalse(server.PollEvent(out ev, new Span<byte>(data)));

                // Cleared, the batch is empty and can be used again.
                batch.Clear();
                Assert.AreEqual(0, batch.Count);
                server.ReceiveBatch(3, batch);
                Assert.AreEqual(after.DatagramsReceived, server.Stats.DatagramsReceived);
                client.Send(3, peer, new ReadOnlySpan<byte>(Bytes.Of("again")));
                Assert.IsTrue(client.PollTransmit(new Span<byte>(addr), out al, new Span<byte>(dgram), out dl));
                batch.Add(new ReadOnlySpan<byte>(ClientAddr), new ReadOnlySpan<byte>(dgram, 0, dl));
                server.ReceiveBatch(3, batch);
                Assert.IsTrue(server.PollEvent(out ev, new Span<byte>(data)));
                CollectionAssert.AreEqual(Bytes.Of("again"), new ArraySegment<byte>(data, 0, ev.DataLength));
            }
        }

        [Test]
        public void IdleTimeoutClosesASilentPeer()
        {
            using (var p = new SessionPair(KeyType.Ed25519, handshake: false))
            using (var settings = new EndpointSettings().KeepaliveIntervalMs(100).IdleTimeoutMs(1000))
            using (Endpoint client = Endpoint.CreateClient(p.ClientConfig, settings))
            using (Endpoint server = Endpoint.CreateServer(p.ServerConfig, settings))
            {
                var ce = new List<EndpointEvent>();
                var se = new List<EndpointEvent>();
                ulong peer = client.Connect(0, new ReadOnlySpan<byte>(ServerAddr));
                Carry(0, client, server, ce, se);
                Assert.IsTrue(ce.Exists(e => e.Kind == EndpointEventKind.Connected));
                // The server goes silent: the client's idle timer runs out at 1000 ms.
                EndpointEvent e2;
                client.HandleTimeout(999);
                while (client.PollEvent(out e2, Span<byte>.Empty)) ce.Add(e2);
                Assert.IsFalse(ce.Exists(e => e.Kind == EndpointEventKind.Closed));
                Assert.Greater(client.Stats.KeepalivesSent, 0UL, "keep-alives went out meanwhile");
                client.HandleTimeout(1000);
                while (client.PollEvent(out e2, Span<byte>.Empty)) ce.Add(e2);
                EndpointEvent idle = ce.FindLast(e => e.Kind == EndpointEventKind.Closed);
                Assert.AreEqual(EndpointCloseReason.IdleTimeout, idle.CloseReason);
                Assert.AreEqual(ResultCode.IdleTimeout, idle.Code);
                Assert.AreEqual(ResultCode.UnknownPeer, Assert.Throws<UnknownPeerException>(() => client.GetPeerState(peer)).Code, "the peer ended");
            }
        }

        [Test]
        public void ClientCredentialsAcceptAndReject()
        {
            using (SigningKey id = SigningKey.Generate(KeyType.Ed25519))
            using (PublicKey idPk = id.GetPublicKey())
            using (SigningKey player = SigningKey.Generate(KeyType.Ed25519))
            using (PublicKey playerPk = player.GetPublicKey())
            using (var sb = new ServerConfigBuilder(id).SetClientAuth(ClientAuthMode.Required, ClientAuthMode.Required))
            using (ServerConfig sc = sb.Build())
            using (var cb = ClientConfigBuilder.PinnedKey(idPk).SetClientKey(player).SetToken(Bytes.Of("ticket")))
            using (ClientConfig cc = cb.Build())
            {
                for (int round = 0; round < 2; round++)
                {
                    using (Endpoint client = Endpoint.CreateClient(cc))
                    using (Endpoint server = Endpoint.CreateServer(sc))
                    {
                        var ce = new List<EndpointEvent>();
                        var se = new List<EndpointEvent>();
                        ulong peer = client.Connect(0, new ReadOnlySpan<byte>(ServerAddr));
                        Carry(0, client, server, ce, se);
                        EndpointEvent creds = se.Find(e => e.Kind == EndpointEventKind.ClientCredentials);
                        Assert.AreEqual(EndpointPeerState.AwaitingAccept, server.GetPeerState(creds.Peer));
                        CollectionAssert.AreEqual(playerPk.Fingerprint(), server.GetPeerFingerprint(creds.Peer));
                        CollectionAssert.AreEqual(Bytes.Of("ticket"), server.GetPeerClientToken(creds.Peer));
                        Assert.IsFalse(ce.Exists(e => e.Kind == EndpointEventKind.Connected));
                        if (round == 0)
                        {
                            server.Accept(1, creds.Peer);
                            Carry(1, client, server, ce, se);
                            Assert.IsTrue(ce.Exists(e => e.Kind == EndpointEventKind.Connected));
                            CollectionAssert.AreEqual(playerPk.Fingerprint(), se.Find(e => e.Kind == EndpointEventKind.Connected).Fingerprint());
                            Assert.AreEqual(ResultCode.WrongState, Assert.Throws<SessionException>(() => server.Reject(2, creds.Peer)).Code);
                        }
                        else
                        {
                            server.Reject(1, creds.Peer);
                            Carry(1, client, server, ce, se);
                            Assert.AreEqual(EndpointCloseReason.Rejected, ce.Find(e => e.Kind == EndpointEventKind.Closed).CloseReason);
                            Assert.AreEqual(EndpointCloseReason.Rejected, se.Find(e => e.Kind == EndpointEventKind.Closed).CloseReason);
                            Assert.AreEqual(ResultCode.SessionRejected, se.Find(e => e.Kind == EndpointEventKind.Closed).Code);
                        }
                        Assert.AreEqual(peer, ce[ce.Count - 1].Peer);
                    }
                }
            }
        }

        [Test]
        public void SettingsAreCheckedAndTheEndpointPathAllocatesNothing()
        {
            using (var s = new EndpointSettings())
            {
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => s.HandshakeResendInitialMs(5)).Code);
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => s.MaxPeers(0)).Code);
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => s.CloseCopies(11)).Code);
                s.KeepaliveIntervalMs(5000).IdleTimeoutMs(1000);
                using (var p = new SessionPair(handshake: false))
                    Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => Endpoint.CreateClient(p.ClientConfig, s)).Code, "keep-alive must be shorter than the idle timeout");
            }
            using (var p = new SessionPair(handshake: false))
            using (Endpoint client = Endpoint.CreateClient(p.ClientConfig))
            using (Endpoint server = Endpoint.CreateServer(p.ServerConfig))
            {
                var ce = new List<EndpointEvent>();
                var se = new List<EndpointEvent>();
                ulong peer = client.Connect(0, new ReadOnlySpan<byte>(ServerAddr));
                Carry(0, client, server, ce, se);
                var msg = Bytes.Seq(1000);
                var addr = new byte[Constants.EndpointAddressMaxLen];
                var dgram = new byte[1200 + Constants.PacketOverhead];
                var data = new byte[1200];
                Func<int, long> run = rounds =>
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < rounds; i++)
                    {
                        int al, dl;
                        EndpointEvent e;
                        client.Send(10, peer, new ReadOnlySpan<byte>(msg));
                        while (client.PollTransmit(new Span<byte>(addr), out al, new Span<byte>(dgram), out dl))
                            server.Receive(10, new ReadOnlySpan<byte>(ClientAddr), new ReadOnlySpan<byte>(dgram, 0, dl));
                        while (server.PollEvent(out e, new Span<byte>(data))) { }
                    }
                    return GC.GetAllocatedBytesForCurrentThread() - before;
                };
                run(200);
                Assert.AreEqual(0, run(2000), "managed bytes allocated by 2000 endpoint send/transmit/receive/event rounds");
            }
        }

        [Test]
        public void UseAfterDisposeIsObjectDisposed()
        {
            using (var p = new SessionPair(handshake: false))
            {
                Endpoint ep = Endpoint.CreateServer(p.ServerConfig);
                var s = new EndpointSettings();
                ep.Dispose();
                s.Dispose();
                Assert.Throws<ObjectDisposedException>(() => ep.HandleTimeout(1));
                Assert.Throws<ObjectDisposedException>(() => { var d = ep.NextDeadline; });
                Assert.Throws<ObjectDisposedException>(() => s.MaxPeers(3));
                Assert.Throws<ObjectDisposedException>(() => Endpoint.CreateClient(p.ClientConfig, s));
                Assert.Throws<ArgumentNullException>(() => Endpoint.CreateServer(null));
            }
        }
    
        [Test]
        public void ConnectRefusesABusyAddressAndThePeerLimitAndTheHandshakeTimesOut()
        {
            using (var p = new SessionPair(handshake: false))
            using (var settings = new EndpointSettings().MaxPeers(2).MaxHandshakes(2).HandshakeTimeoutMs(2000))
            using (Endpoint client = Endpoint.CreateClient(p.ClientConfig, settings))
            {
                ulong first = client.Connect(0, new ReadOnlySpan<byte>(ServerAddr));
                Assert.AreEqual(ResultCode.AddressInUse, Assert.Throws<AddressInUseException>(() => client.Connect(0, new ReadOnlySpan<byte>(ServerAddr))).Code);
                client.Connect(0, new ReadOnlySpan<byte>(Bytes.Of("10.0.0.3:7777")));
                Assert.AreEqual(ResultCode.PeerLimit, Assert.Throws<PeerLimitException>(() => client.Connect(0, new ReadOnlySpan<byte>(Bytes.Of("10.0.0.4:7777")))).Code);
                Assert.AreEqual(2UL, client.Stats.Peers, "nothing changed on error");
                // No server answers: both handshakes end at 2000 ms with the HandshakeTimeout code.
                client.HandleTimeout(2000);
                var closed = new List<EndpointEvent>();
                EndpointEvent e;
                while (client.PollEvent(out e, Span<byte>.Empty)) if (e.Kind == EndpointEventKind.Closed) closed.Add(e);
                Assert.AreEqual(2, closed.Count);
                Assert.AreEqual(EndpointCloseReason.HandshakeTimeout, closed.Find(x => x.Peer == first).CloseReason);
                Assert.AreEqual(ResultCode.HandshakeTimeout, closed.Find(x => x.Peer == first).Code);
                // The slots are free again.
                client.Connect(2001, new ReadOnlySpan<byte>(ServerAddr));
            }
        }

        [Test]
        public void AFullTransmitQueueIsQueueFullUntilItIsTaken()
        {
            using (var p = new SessionPair(handshake: false))
            using (var settings = new EndpointSettings().MaxQueuedBytes(65536))
            using (Endpoint client = Endpoint.CreateClient(p.ClientConfig, settings))
            using (Endpoint server = Endpoint.CreateServer(p.ServerConfig))
            {
                var ce = new List<EndpointEvent>();
                var se = new List<EndpointEvent>();
                ulong peer = client.Connect(0, new ReadOnlySpan<byte>(ServerAddr));
                Carry(0, client, server, ce, se);
                Assert.IsTrue(ce.Exists(x => x.Kind == EndpointEventKind.Connected));
                byte[] msg = Bytes.Seq(1000);
                int sent = 0;
                QueueFullException full = null;
                for (int i = 0; i < 200 && full == null; i++)
                {
                    try
                    {
                        client.Send(1, peer, new ReadOnlySpan<byte>(msg));
                        sent++;
                    }
                    catch (QueueFullException ex)
                    {
                        full = ex;
                    }
                }
                Assert.IsNotNull(full, "65,536 queued bytes hold fewer than 200 packets of 1,024 bytes");
                Assert.AreEqual(ResultCode.QueueFull, full.Code);
                Assert.Greater(sent, 30);
                // Taking the queued datagrams makes room again.
                var got = new List<byte[]>();
                Carry(1, client, server, ce, se, got);
                Assert.AreEqual(sent, got.Count);
                client.Send(2, peer, new ReadOnlySpan<byte>(msg));
            }
        }
    }
}
