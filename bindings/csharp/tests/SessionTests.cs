// Sessions in C#: handshakes for every suite, packets both ways, refusals, close, key update,
// client authentication, retry cookies, configuration errors.
using System;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class SessionTests
    {
        [TestCase(KeyType.EcdsaP256, Suite.P256EcdsaAes256gcmSha256)]
        [TestCase(KeyType.EcdsaP256, Suite.X25519mlkem768EcdsaP256Aes256gcmSha256)]
        [TestCase(KeyType.Ed25519, Suite.X25519Ed25519Chacha20poly1305Sha256)]
        [TestCase(KeyType.Ed25519, Suite.X25519mlkem768Ed25519Chacha20poly1305Sha256)]
        public void HandshakeAndPacketsBothWaysForEverySuite(KeyType type, Suite suite)
        {
            using (SigningKey id = SigningKey.Generate(type))
            using (PublicKey idPk = id.GetPublicKey())
            using (var sb = new ServerConfigBuilder(id).SetSuites(suite))
            using (ServerConfig sc = sb.Build())
            using (var cb = ClientConfigBuilder.PinnedFingerprint(idPk.Fingerprint()).SetSuites(suite))
            using (ClientConfig cc = cb.Build())
            using (Session client = Session.CreateClient(cc, SessionMode.Datagram))
            using (Session server = Session.CreateServer(sc, SessionMode.Datagram))
            {
                Assert.AreEqual(SessionState.NeedWrite, client.State);
                Assert.AreEqual(SessionState.NeedRead, server.State);
                Assert.IsFalse(client.IsEstablished);
                SessionPair.Handshake(client, server);
                Assert.IsTrue(server.IsEstablished);
                Assert.AreEqual(suite, client.Suite);
                Assert.AreEqual(suite, server.Suite);
                using (PublicKey seen = client.GetServerPublicKey()) CollectionAssert.AreEqual(idPk.Fingerprint(), seen.Fingerprint());

                byte[] packet = new byte[1200 + Constants.PacketOverhead], plain = new byte[1200];
                byte[] msg = Bytes.Seq(1200);
                for (int i = 0; i < 5; i++)
                {
                    int n = client.Seal(msg, 0, msg.Length, packet, 0);
                    Assert.AreEqual(msg.Length + Constants.PacketOverhead, n);
                    Assert.IsFalse(Session.IsHandshakeMessage(new ReadOnlySpan<byte>(packet, 0, n)));
                    int got;
                    ResultCode reason;
                    Assert.IsTrue(server.TryOpen(packet, 0, n, plain, 0, out got, out reason), reason.ToString());
                    Assert.AreEqual(1200, got);
                    CollectionAssert.AreEqual(msg, plain);
                    int back = server.Seal(new ReadOnlySpan<byte>(msg, 0, 10), new Span<byte>(packet));
                    Assert.IsTrue(client.TryOpen(new ReadOnlySpan<byte>(packet, 0, back), new Span<byte>(plain), out got, out reason));
                    Assert.AreEqual(10, got);
                }
            }
        }

        [Test]
        public void RefusedPacketsReturnFalseWithTheReasonAndTheDatagramSessionGoesOn()
        {
            using (var p = new SessionPair())
            {
                byte[] packet = new byte[100], plain = new byte[100];
                int n = p.Client.Seal(Bytes.Of("hello"), 0, 5, packet, 0);
                int got;
                ResultCode reason;
                Assert.IsTrue(p.Server.TryOpen(packet, 0, n, plain, 0, out got, out reason));
                Assert.IsFalse(p.Server.TryOpen(packet, 0, n, plain, 0, out got, out reason));
                Assert.AreEqual(ResultCode.PacketReplayed, reason);
                Assert.AreEqual(0, got);
                n = p.Client.Seal(Bytes.Of("hello"), 0, 5, packet, 0);
                packet[n - 1] ^= 1;
                Assert.IsFalse(p.Server.TryOpen(packet, 0, n, plain, 0, out got, out reason));
                Assert.AreEqual(ResultCode.PacketAuthFailed, reason);
                Assert.IsFalse(p.Server.TryOpen(packet, 0, 3, plain, 0, out got, out reason));
                Assert.AreEqual(ResultCode.PacketMalformed, reason);
                Assert.AreEqual(SessionState.Established, p.Server.State);

                // Bad arguments throw instead.
                n = p.Client.Seal(Bytes.Of("hello"), 0, 5, packet, 0);
                Assert.AreEqual(ResultCode.BufferTooSmall, Assert.Throws<GameCryptArgumentException>(() => p.Server.TryOpen(packet, 0, n, new byte[2], 0, out got, out reason)).Code);
                Assert.AreEqual(ResultCode.BufferTooSmall, Assert.Throws<GameCryptArgumentException>(() => p.Client.Seal(Bytes.Of("hello"), 0, 5, new byte[10], 0)).Code);
                Assert.Throws<ArgumentOutOfRangeException>(() => p.Client.Seal(Bytes.Of("hello"), 3, 5, packet, 0));
                Assert.Throws<ArgumentOutOfRangeException>(() => p.Client.Seal(Bytes.Of("hello"), 0, 5, packet, 101));
                Assert.Throws<ArgumentNullException>(() => p.Server.TryOpen(null, 0, 0, plain, 0, out got, out reason));
                Assert.AreEqual(ResultCode.WrongState, Assert.Throws<SessionException>(() => p.Client.WriteHandshake()).Code);
                Assert.IsFalse(p.Client.ReadHandshake(new byte[] { 2, 0, 0 }, out reason));
                Assert.AreEqual(ResultCode.WrongState, reason);
            }
        }

        [Test]
        public void StreamModeOutOfOrderIsFatal()
        {
            using (var p = new SessionPair(KeyType.Ed25519, SessionMode.Stream))
            {
                byte[] first = new byte[64], second = new byte[64], plain = new byte[64];
                int n1 = p.Client.Seal(Bytes.Of("one"), 0, 3, first, 0);
                int n2 = p.Client.Seal(Bytes.Of("two"), 0, 3, second, 0);
                int got;
                ResultCode reason;
                Assert.IsFalse(p.Server.TryOpen(second, 0, n2, plain, 0, out got, out reason));
                Assert.AreEqual(ResultCode.PacketOutOfOrder, reason);
                Assert.AreEqual(SessionState.Failed, p.Server.State);
                Assert.IsFalse(p.Server.TryOpen(first, 0, n1, plain, 0, out got, out reason));
                Assert.AreEqual(ResultCode.SessionFailed, reason);
                Assert.AreEqual(ResultCode.SessionFailed, Assert.Throws<SessionException>(() => p.Server.Seal(ReadOnlySpan<byte>.Empty, new Span<byte>(plain))).Code);
            }
        }

        [Test]
        public void CloseGivesPeerClosedAndKeyUpdateMovesGenerations()
        {
            using (var p = new SessionPair())
            {
                Assert.AreEqual(0UL, p.Client.KeyGeneration);
                byte[] packet = new byte[64], plain = new byte[64];
                int got;
                ResultCode reason;
                // A key update needs a packet from the peer under the current keys first.
                int n = p.Server.Seal(Bytes.Of("x"), 0, 1, packet, 0);
                Assert.IsTrue(p.Client.TryOpen(packet, 0, n, plain, 0, out got, out reason));
                p.Client.UpdateKeys();
                Assert.AreEqual(1UL, p.Client.KeyGeneration);
                Assert.AreEqual(ResultCode.KeyUpdateBlocked, Assert.Throws<SessionException>(() => p.Client.UpdateKeys()).Code);
                n = p.Client.Seal(Bytes.Of("y"), 0, 1, packet, 0);
                Assert.AreEqual(Constants.PacketTypeDataPhase1, packet[0]);
                Assert.IsTrue(p.Server.TryOpen(packet, 0, n, plain, 0, out got, out reason));
                Assert.AreEqual(1UL, p.Server.KeyGeneration);

                Span<byte> close = new byte[Constants.PacketOverhead];
                Assert.AreEqual(Constants.PacketOverhead, p.Client.Close(close));
                Assert.AreEqual(SessionState.Closed, p.Client.State);
                Assert.IsFalse(p.Server.TryOpen(close, new Span<byte>(plain), out got, out reason));
                Assert.AreEqual(ResultCode.PeerClosed, reason);
                Assert.AreEqual(SessionState.Closed, p.Server.State);
                Assert.AreEqual(ResultCode.SessionClosed, Assert.Throws<SessionException>(() => p.Client.Close()).Code);
                Assert.AreEqual(ResultCode.SessionClosed, Assert.Throws<SessionException>(() => { var s = p.Server.Suite; }).Code);
            }
            using (var p = new SessionPair(handshake: false))
            {
                Assert.AreEqual(0, p.Client.Close().Length, "nothing to send when closed during the handshake");
                Assert.AreEqual(ResultCode.WrongState, Assert.Throws<SessionException>(() => { var g = p.Server.KeyGeneration; }).Code);
                Assert.AreEqual(ResultCode.WrongState, Assert.Throws<SessionException>(() => p.Server.UpdateKeys()).Code);
                Assert.AreEqual(ResultCode.WrongState, Assert.Throws<SessionException>(() => p.Server.GetServerPublicKey()).Code);
            }
        }

        [Test]
        public void PinnedFingerprintMismatchFailsTheHandshake()
        {
            using (SigningKey id = SigningKey.Generate(KeyType.EcdsaP256))
            using (var sb = new ServerConfigBuilder(id))
            using (ServerConfig sc = sb.Build())
            using (var cb = ClientConfigBuilder.PinnedFingerprint(new ReadOnlySpan<byte>(new byte[32])))
            using (ClientConfig cc = cb.Build())
            using (Session c = Session.CreateClient(cc))
            using (Session s = Session.CreateServer(sc))
            {
                ResultCode reason;
                Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason), reason.ToString());
                Assert.IsFalse(c.ReadHandshake(s.WriteHandshake(), out reason));
                Assert.AreEqual(ResultCode.FingerprintMismatch, reason);
                Assert.AreEqual(SessionState.Failed, c.State);
                Assert.IsFalse(s.ReadHandshake(new byte[] { 1 }, out reason));
            }
            Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => ClientConfigBuilder.PinnedFingerprint(new byte[31])).Code);
        }

        [Test]
        public void ConfigurationErrors()
        {
            using (SigningKey ed = SigningKey.Generate(KeyType.Ed25519))
            using (SigningKey p384 = SigningKey.Generate(KeyType.EcdsaP384))
            using (PublicKey p384Pk = p384.GetPublicKey())
            using (var sb = new ServerConfigBuilder(ed))
            {
                Assert.AreEqual(ResultCode.WrongKeyType, Assert.Throws<GameCryptArgumentException>(() => sb.SetSuites(Suite.P256EcdsaAes256gcmSha256)).Code);
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => sb.SetSuites()).Code);
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => sb.SetSuites((Suite)99)).Code);
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => sb.SetClientAuth((ClientAuthMode)7, ClientAuthMode.None)).Code);
                Assert.AreEqual(ResultCode.WrongKeyType, Assert.Throws<GameCryptArgumentException>(() => new ServerConfigBuilder(p384)).Code);
                Assert.AreEqual(ResultCode.WrongKeyType, Assert.Throws<GameCryptArgumentException>(() => ClientConfigBuilder.PinnedKey(p384Pk)).Code);
                Assert.AreEqual(ResultCode.WrongKeyType, Assert.Throws<GameCryptArgumentException>(() => ClientConfigBuilder.TrustRoot(p384Pk)).Code);
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => sb.SetRetry(3601)).Code);
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => sb.SetRetryRotation(100)).Code, "retry is off");
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => sb.SetRetrySecret(new byte[32])).Code, "retry is off");
                using (ServerConfig noRetry = sb.Build())
                    Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => noRetry.RotateRetrySecret()).Code);
                using (PublicKey edPk = ed.GetPublicKey())
                using (var cb = ClientConfigBuilder.PinnedKey(edPk))
                {
                    Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => cb.SetSuites(Suite.P256EcdsaAes256gcmSha256, Suite.P256EcdsaAes256gcmSha256)).Code);
                    cb.SetSuites(Suite.P256EcdsaAes256gcmSha256);
                    Assert.AreEqual(ResultCode.WrongKeyType, Assert.Throws<GameCryptArgumentException>(() => cb.Build()).Code);
                    Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => cb.SetToken(new byte[0])).Code);
                    Assert.AreEqual(ResultCode.WrongKeyType, Assert.Throws<GameCryptArgumentException>(() => cb.SetClientKey(p384)).Code);
                }
                Assert.Throws<ArgumentNullException>(() => Session.CreateClient(null));
                Assert.Throws<ArgumentNullException>(() => Session.CreateServer(null));
                Assert.Throws<ArgumentNullException>(() => new ServerConfigBuilder(null));
            }
        }

        [Test]
        public void ClientAuthenticationAcceptAndReject()
        {
            using (SigningKey id = SigningKey.Generate(KeyType.Ed25519))
            using (PublicKey idPk = id.GetPublicKey())
            using (SigningKey player = SigningKey.Generate(KeyType.EcdsaP256))
            using (PublicKey playerPk = player.GetPublicKey())
            using (var sb = new ServerConfigBuilder(id).SetClientAuth(ClientAuthMode.Required, ClientAuthMode.Optional))
            using (ServerConfig sc = sb.Build())
            using (var cb = ClientConfigBuilder.PinnedKey(idPk).SetClientKey(player).SetToken(Bytes.Of("ticket-42")))
            using (ClientConfig cc = cb.Build())
            using (var bareCb = ClientConfigBuilder.PinnedKey(idPk))
            using (ClientConfig bare = bareCb.Build())
            {
                ResultCode reason;
                using (Session c = Session.CreateClient(cc))
                using (Session s = Session.CreateServer(sc))
                {
                    Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason), reason.ToString());
                    Assert.IsTrue(c.ReadHandshake(s.WriteHandshake(), out reason), reason.ToString());
                    Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason), reason.ToString());
                    Assert.AreEqual(SessionState.NeedAccept, s.State);
                    using (PublicKey proven = s.GetClientPublicKey()) CollectionAssert.AreEqual(playerPk.Fingerprint(), proven.Fingerprint());
                    CollectionAssert.AreEqual(Bytes.Of("ticket-42"), s.GetClientToken());
                    s.Accept();
                    Assert.AreEqual(SessionState.Established, s.State);
                    Assert.AreEqual(ResultCode.WrongState, Assert.Throws<SessionException>(() => s.Accept()).Code);
                }
                using (Session c = Session.CreateClient(cc))
                using (Session s = Session.CreateServer(sc))
                {
                    Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason), reason.ToString());
                    Assert.IsTrue(c.ReadHandshake(s.WriteHandshake(), out reason), reason.ToString());
                    Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason), reason.ToString());
                    byte[] rejection = s.Reject();
                    Assert.AreEqual(Constants.PacketOverhead, rejection.Length);
                    int got;
                    Assert.IsFalse(c.TryOpen(rejection, 0, rejection.Length, new byte[8], 0, out got, out reason));
                    Assert.AreEqual(ResultCode.PeerClosed, reason);
                    Assert.AreEqual(ResultCode.SessionRejected, Assert.Throws<SessionException>(() => s.GetClientToken()).Code);
                }
                using (Session c = Session.CreateClient(bare))
                using (Session s = Session.CreateServer(sc))
                {
                    Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason), reason.ToString());
                    // A client without a key learns it from the ServerHello and stops there.
                    Assert.IsFalse(c.ReadHandshake(s.WriteHandshake(), out reason));
                    Assert.AreEqual(ResultCode.ClientAuthRequired, reason);
                    Assert.AreEqual(SessionState.Failed, c.State);
                }
            }
            using (var p = new SessionPair())
            {
                Assert.AreEqual(ResultCode.WrongState, Assert.Throws<SessionException>(() => p.Server.GetClientPublicKey()).Code);
            }
        }

        [Test]
        public void OptionalClientKeyAbsentGivesNull()
        {
            using (SigningKey id = SigningKey.Generate(KeyType.EcdsaP256))
            using (PublicKey idPk = id.GetPublicKey())
            using (var sb = new ServerConfigBuilder(id).SetClientAuth(ClientAuthMode.Optional, ClientAuthMode.None))
            using (ServerConfig sc = sb.Build())
            using (var cb = ClientConfigBuilder.PinnedKey(idPk))
            using (ClientConfig cc = cb.Build())
            using (Session c = Session.CreateClient(cc))
            using (Session s = Session.CreateServer(sc))
            {
                ResultCode reason;
                Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason), reason.ToString());
                Assert.IsTrue(c.ReadHandshake(s.WriteHandshake(), out reason), reason.ToString());
                Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason), reason.ToString());
                Assert.IsNull(s.GetClientPublicKey());
                Assert.AreEqual(0, s.GetClientToken().Length);
            }
        }

        [Test]
        public void RetryCookiesStatelessCheckThenSessionForTheAddress()
        {
            var clock = new FixedClock(1800000000);
            byte[] secret = SecureRandom.Bytes(Constants.RetrySecretLen);
            using (SigningKey id = SigningKey.Generate(KeyType.EcdsaP256))
            using (PublicKey idPk = id.GetPublicKey())
            using (var sb = new ServerConfigBuilder(id).SetRetry(Constants.RetryDefaultPeriodSecs).SetRetryRotation(600).SetRetrySecret(secret).SetClock(clock))
            using (ServerConfig sc = sb.Build())
            using (var cb = ClientConfigBuilder.PinnedKey(idPk))
            using (ClientConfig cc = cb.Build())
            using (Session c = Session.CreateClient(cc))
            {
                byte[] addr = Bytes.Of("127.0.0.1:5000");
                byte[] hello = c.WriteHandshake();
                byte[] retry = new byte[Constants.RetryLen];
                int len;
                Assert.AreEqual(RetryAction.SendRetry, sc.CheckClientHello(new ReadOnlySpan<byte>(addr), new ReadOnlySpan<byte>(hello), new Span<byte>(retry), out len));
                Assert.AreEqual(Constants.RetryLen, len);
                Assert.AreEqual(Constants.SessionMessageRetry, retry[0]);
                ResultCode reason;
                Assert.IsTrue(c.ReadHandshake(retry, 0, len, out reason), reason.ToString());
                Assert.AreEqual(SessionState.NeedWrite, c.State);
                byte[] hello2 = c.WriteHandshake();
                Assert.AreEqual(RetryAction.Accept, sc.CheckClientHello(new ReadOnlySpan<byte>(addr), new ReadOnlySpan<byte>(hello2), new Span<byte>(retry), out len));
                Assert.AreEqual(0, len);
                Assert.AreEqual(RetryAction.Drop, sc.CheckClientHello(new ReadOnlySpan<byte>(Bytes.Of("10.0.0.9:1")), new ReadOnlySpan<byte>(hello2), new Span<byte>(retry), out len), "a cookie for another address");
                Assert.AreEqual(RetryAction.Drop, sc.CheckClientHello(new ReadOnlySpan<byte>(addr), new ReadOnlySpan<byte>(new byte[] { 0x40, 1, 2 }), new Span<byte>(retry), out len));
                using (Session s = Session.CreateServerForAddress(sc, SessionMode.Datagram, new ReadOnlySpan<byte>(addr)))
                {
                    Assert.IsTrue(s.ReadHandshake(hello2, out reason), reason.ToString());
                    Assert.IsTrue(c.ReadHandshake(s.WriteHandshake(), out reason), reason.ToString());
                    Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason), reason.ToString());
                    Assert.IsTrue(s.IsEstablished);
                }
                using (Session wrongAddr = Session.CreateServerForAddress(sc, SessionMode.Datagram, new ReadOnlySpan<byte>(Bytes.Of("10.0.0.9:1"))))
                {
                    Assert.IsFalse(wrongAddr.ReadHandshake(hello2, out reason));
                    Assert.AreEqual(ResultCode.RetryCookieInvalid, reason);
                }
                sc.RotateRetrySecret();
                sc.RotateRetrySecretTo(SecureRandom.Bytes(Constants.RetrySecretLen));
                Assert.AreEqual(RetryAction.Drop, sc.CheckClientHello(new ReadOnlySpan<byte>(addr), new ReadOnlySpan<byte>(hello2), new Span<byte>(retry), out len), "two rotations retire the secret");
                Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => sc.RotateRetrySecretTo(new byte[5])).Code);
                Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => Session.CreateServerForAddress(sc, SessionMode.Datagram, ReadOnlySpan<byte>.Empty)).Code);
            }
        }
    }
}
