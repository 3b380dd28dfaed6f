// SafeHandle lifetime: Dispose frees once, the finalizer frees what was never disposed, and any
// use after Dispose is ObjectDisposedException (never a native call on a freed pointer).
using System;
using System.Runtime.CompilerServices;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class HandleTests
    {
        [Test]
        public void DisposeReleasesExactlyOnce()
        {
            SigningKey key = SigningKey.Generate(KeyType.Ed25519);
            long before = System.Threading.Interlocked.Read(ref GameCryptHandle.ReleasedCount);
            key.Dispose();
            key.Dispose();
            Assert.AreEqual(before + 1, System.Threading.Interlocked.Read(ref GameCryptHandle.ReleasedCount));
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Abandon(int count)
        {
            for (int i = 0; i < count; i++)
            {
                SigningKey.Generate(KeyType.Ed25519);
                AeadKey.Generate(Aead.Aes256Gcm);
                new HashContext(HashAlgorithm.Sha256);
                new HmacContext(HashAlgorithm.Sha256, new byte[4]);
            }
        }

        [Test]
        public void FinalizerReleasesAbandonedHandles()
        {
            long before = System.Threading.Interlocked.Read(ref GameCryptHandle.ReleasedCount);
            Abandon(50);
            for (int i = 0; i < 5; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            long released = System.Threading.Interlocked.Read(ref GameCryptHandle.ReleasedCount) - before;
            // Mono's conservative stack scan may keep one or two alive; nearly all must be freed.
            Assert.GreaterOrEqual(released, 190, "finalizers freed " + released + " of 200 handles");
        }

        [Test]
        public void UseAfterDisposeThrowsObjectDisposedException()
        {
            SigningKey sk = SigningKey.Generate(KeyType.EcdsaP256);
            PublicKey pk = sk.GetPublicKey();
            AeadKey ak = AeadKey.Generate(Aead.Chacha20Poly1305);
            var hc = new HashContext(HashAlgorithm.Sha256);
            var mc = new HmacContext(HashAlgorithm.Sha256, new byte[1]);
            var sb = new ServerConfigBuilder(sk);
            ServerConfig sc = sb.Build();
            var cb = ClientConfigBuilder.PinnedKey(pk);
            ClientConfig cc = cb.Build();
            var pair = new SessionPair();
            Session session = pair.Client;

            sk.Dispose(); pk.Dispose(); ak.Dispose(); hc.Dispose(); mc.Dispose();
            sb.Dispose(); sc.Dispose(); cb.Dispose(); cc.Dispose(); session.Dispose();

            Assert.Throws<ObjectDisposedException>(() => sk.Sign(new byte[1]));
            Assert.Throws<ObjectDisposedException>(() => sk.ToPkcs8Der());
            Assert.Throws<ObjectDisposedException>(() => sk.GetPublicKey());
            Assert.Throws<ObjectDisposedException>(() => { var t = sk.Type; });
            Assert.Throws<ObjectDisposedException>(() => pk.Verify(new byte[1], new byte[64]));
            Assert.Throws<ObjectDisposedException>(() => pk.Fingerprint());
            Assert.Throws<ObjectDisposedException>(() => ak.Seal(new byte[1]));
            Assert.Throws<ObjectDisposedException>(() => { var a = ak.Algorithm; });
            Assert.Throws<ObjectDisposedException>(() => hc.Update(new byte[1], 0, 1));
            Assert.Throws<ObjectDisposedException>(() => mc.Finish());
            Assert.Throws<ObjectDisposedException>(() => sb.Build());
            Assert.Throws<ObjectDisposedException>(() => Session.CreateServer(sc));
            Assert.Throws<ObjectDisposedException>(() => cb.Build());
            Assert.Throws<ObjectDisposedException>(() => Session.CreateClient(cc));
            Assert.Throws<ObjectDisposedException>(() => { var s = session.State; });
            Assert.Throws<ObjectDisposedException>(() => session.Seal(new byte[1], 0, 1, new byte[64], 0));
            int got;
            ResultCode reason;
            Assert.Throws<ObjectDisposedException>(() => session.TryOpen(new byte[30], 0, 30, new byte[64], 0, out got, out reason));
            Assert.Throws<ObjectDisposedException>(() => session.Close());
            Assert.Throws<ObjectDisposedException>(() => Certificate.Issue(sk, pk, "x", 1, 2));
            Assert.Throws<ObjectDisposedException>(() => new ServerConfigBuilder(sk));
            // The other side of the pair still works: its session has its own reference to the config.
            Assert.AreEqual(SessionState.Established, pair.Server.State);
            pair.Dispose();
        }

        [Test]
        public void ConfigsOutliveTheirCSharpOwners()
        {
            using (var p = new SessionPair(handshake: false))
            {
                p.ServerConfig.Dispose();
                p.ClientConfig.Dispose();
                SessionPair.Handshake(p.Client, p.Server);
                Assert.IsTrue(p.Client.IsEstablished);
            }
        }
    }
}
