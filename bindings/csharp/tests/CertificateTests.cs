// Certificates: issue, verify (every refusal), read fields; root-trusting sessions with a clock.
using System;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class CertificateTests
    {
        private const ulong Start = 1800000000, End = 1900000000;

        [Test]
        public void IssueVerifyAndRead()
        {
            using (SigningKey root = SigningKey.Generate(KeyType.Ed25519))
            using (SigningKey server = SigningKey.Generate(KeyType.EcdsaP256))
            using (PublicKey rootPk = root.GetPublicKey())
            using (PublicKey serverPk = server.GetPublicKey())
            using (SigningKey otherRoot = SigningKey.Generate(KeyType.Ed25519))
            using (PublicKey otherRootPk = otherRoot.GetPublicKey())
            {
                byte[] cert = Certificate.Issue(root, serverPk, "eu1.game.example", Start, End);
                Assert.LessOrEqual(cert.Length, Constants.CertificateMaxLen);
                ResultCode reason;
                Assert.IsTrue(Certificate.Verify(cert, rootPk, "eu1.game.example", Start + 10, out reason));
                Assert.IsTrue(Certificate.Verify(new ReadOnlySpan<byte>(cert), rootPk, null, End, out reason));
                Assert.IsFalse(Certificate.Verify(cert, rootPk, "us1.game.example", Start + 10, out reason));
                Assert.AreEqual(ResultCode.CertificateWrongName, reason);
                Assert.IsFalse(Certificate.Verify(cert, rootPk, null, End + 1, out reason));
                Assert.AreEqual(ResultCode.CertificateExpired, reason);
                Assert.IsFalse(Certificate.Verify(cert, rootPk, null, Start - 1, out reason));
                Assert.AreEqual(ResultCode.CertificateNotYetValid, reason);
                Assert.IsFalse(Certificate.Verify(cert, otherRootPk, null, Start, out reason));
                Assert.AreEqual(ResultCode.CertificateSignatureInvalid, reason);
                Assert.IsFalse(Certificate.Verify(new byte[3], rootPk, null, Start, out reason));
                Assert.AreEqual(ResultCode.CertificateMalformed, reason);

                ulong nb, na;
                Certificate.GetValidity(cert, out nb, out na);
                Assert.AreEqual(Start, nb);
                Assert.AreEqual(End, na);
                Assert.AreEqual("eu1.game.example", Certificate.GetServerName(cert));
                using (PublicKey inCert = Certificate.GetPublicKey(cert))
                    CollectionAssert.AreEqual(serverPk.Fingerprint(), inCert.Fingerprint());
                Assert.Throws<CertificateException>(() => Certificate.GetServerName(new byte[2]));
                Assert.Throws<CertificateException>(() => Certificate.GetPublicKey(new byte[2]));
                Assert.Throws<CertificateException>(() => Certificate.GetValidity(new byte[2], out nb, out na));

                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => Certificate.Issue(root, serverPk, "x", End, Start)).Code);
                Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => Certificate.Issue(root, serverPk, "", Start, End)).Code);
                Assert.Throws<ArgumentException>(() => Certificate.Issue(root, serverPk, "a\0b", Start, End));
                Assert.Throws<ArgumentNullException>(() => Certificate.Issue(null, serverPk, "x", Start, End));
                using (SigningKey p384 = SigningKey.Generate(KeyType.EcdsaP384))
                    Assert.AreEqual(ResultCode.WrongKeyType, Assert.Throws<GameCryptArgumentException>(() => Certificate.Issue(p384, serverPk, "x", Start, End)).Code);
                Assert.Greater(Certificate.UnixNow(), 1700000000UL);
            }
        }

        [Test]
        public void RootTrustingSessionChecksTheCertificateAgainstTheClock()
        {
            using (SigningKey root = SigningKey.Generate(KeyType.EcdsaP256))
            using (PublicKey rootPk = root.GetPublicKey())
            using (SigningKey identity = SigningKey.Generate(KeyType.Ed25519))
            using (PublicKey idPk = identity.GetPublicKey())
            {
                byte[] cert = Certificate.Issue(root, idPk, "eu1.game.example", Start, End);
                var clock = new FixedClock(Start + 100);
                using (var sb = new ServerConfigBuilder(identity).SetCertificate(cert).SetSuites(Suite.X25519Ed25519Chacha20poly1305Sha256))
                using (ServerConfig sc = sb.Build())
                using (var cb = ClientConfigBuilder.TrustRoot(rootPk).SetServerName("eu1.game.example").SetClock(clock))
                using (ClientConfig cc = cb.Build())
                {
                    using (Session c = Session.CreateClient(cc))
                    using (Session s = Session.CreateServer(sc))
                    {
                        SessionPair.Handshake(c, s);
                        Assert.AreEqual(Suite.X25519Ed25519Chacha20poly1305Sha256, c.Suite);
                        using (PublicKey seen = c.GetServerPublicKey()) CollectionAssert.AreEqual(idPk.Fingerprint(), seen.Fingerprint());
                    }
                    clock.Now = End + 1;
                    Assert.AreEqual(End + 1, clock.UnixSeconds());
                    using (Session c = Session.CreateClient(cc))
                    using (Session s = Session.CreateServer(sc))
                    {
                        ResultCode reason;
                        Assert.IsTrue(s.ReadHandshake(c.WriteHandshake(), out reason));
                        Assert.IsFalse(c.ReadHandshake(s.WriteHandshake(), out reason));
                        Assert.AreEqual(ResultCode.CertificateExpired, reason);
                        Assert.AreEqual(SessionState.Failed, c.State);
                    }
                    cb.SetClock(null);
                }
                using (var cb = ClientConfigBuilder.PinnedKey(idPk))
                    Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => cb.SetServerName("x")).Code);
                using (var sb = new ServerConfigBuilder(identity))
                {
                    Assert.AreEqual(ResultCode.CertificateMalformed, Assert.Throws<CertificateException>(() => sb.SetCertificate(new byte[4])).Code);
                    using (SigningKey otherId = SigningKey.Generate(KeyType.Ed25519))
                    using (PublicKey otherPk = otherId.GetPublicKey())
                        Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => sb.SetCertificate(Certificate.Issue(root, otherPk, "x", Start, End))).Code);
                }
            }
        }
    }
}
