// The engine-independent logic of the Unity sample (Samples~/Demo/Logic), run without Unity.
using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using GameCrypt;
using GameCrypt.Demo;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class SampleTests
    {
        [Test]
        public void SaveGameOpensOnlyWithThePasswordAndInItsSlot()
        {
            using (var dir = new TempDir())
            {
                var store = new SaveGameStore(dir.Path, 1000);
                byte[] state = Bytes.Of("{\"level\":3,\"gold\":99}");
                store.Save("slot1", "pa55", state);
                byte[] data;
                ResultCode reason;
                Assert.IsTrue(store.TryLoad("slot1", "pa55", out data, out reason));
                CollectionAssert.AreEqual(state, data);
                Assert.IsFalse(store.TryLoad("slot1", "wrong", out data, out reason));
                Assert.AreEqual(ResultCode.OpenFailed, reason);
                File.Copy(store.PathOf("slot1"), store.PathOf("slot2"));
                Assert.IsFalse(store.TryLoad("slot2", "pa55", out data, out reason), "a save moved to another slot");
                Assert.AreEqual(ResultCode.OpenFailed, reason);
                Assert.IsFalse(store.TryLoad("slot3", "pa55", out data, out reason));
                File.WriteAllBytes(store.PathOf("slot1"), new byte[3]);
                Assert.IsFalse(store.TryLoad("slot1", "pa55", out data, out reason));
                Assert.AreEqual(ResultCode.BoxMalformed, reason);
                Assert.Throws<ArgumentException>(() => store.PathOf("../evil"));
            }
        }

        [Test]
        public void SignedLevelLoadsOnlyWhenTheStudioSignedIt()
        {
            using (SigningKey studio = SigningKey.Generate(KeyType.Ed25519))
            using (PublicKey studioPk = PublicKey.FromPem(studio.GetPublicKey().ToPem()))
            using (SigningKey modder = SigningKey.Generate(KeyType.Ed25519))
            {
                byte[] level = Bytes.Of("name=Crypt of Keys\nwidth=64\nheight=32\n");
                byte[] file = SignedLevel.Pack(studio, level);
                byte[] got;
                ResultCode reason;
                Assert.IsTrue(SignedLevel.TryUnpack(studioPk, file, out got, out reason));
                Assert.AreEqual("Crypt of Keys", SignedLevel.Parse(got)["name"]);
                Assert.AreEqual("64", SignedLevel.Parse(got)["width"]);
                byte[] tampered = (byte[])file.Clone();
                tampered[tampered.Length - 2] ^= 1;
                Assert.IsFalse(SignedLevel.TryUnpack(studioPk, tampered, out got, out reason));
                Assert.AreEqual(ResultCode.SignatureInvalid, reason);
                Assert.IsNull(got);
                Assert.IsFalse(SignedLevel.TryUnpack(studioPk, SignedLevel.Pack(modder, level), out got, out reason));
                Assert.IsFalse(SignedLevel.TryUnpack(studioPk, new byte[] { 1, 2 }, out got, out reason));
                Assert.IsFalse(SignedLevel.TryUnpack(studioPk, new byte[] { (byte)'G', (byte)'C', (byte)'L', (byte)'V', 0xff, 0xff }, out got, out reason));
            }
        }

        [Test]
        public void ChatRelaysBetweenTwoClientsOnLocalhost()
        {
            using (var server = new ChatServer(0))
            using (var alice = new ChatClient(server.Port, server.Fingerprint))
            using (var bob = new ChatClient(server.Port, server.Fingerprint))
            {
                StringAssert.Contains("listening on 127.0.0.1:" + server.Port, server.Status);
                Assert.AreEqual(64, server.FingerprintHex.Length);
                Run(() => alice.State == ConnectionState.Connected && bob.State == ConnectionState.Connected && server.Players == 2, server, alice, bob);
                StringAssert.Contains(server.FingerprintHex, alice.Status);
                alice.Say("hi bob");
                Run(() => bob.Lines.Count == 1 && alice.Lines.Count == 1, server, alice, bob);
                StringAssert.EndsWith(": hi bob", bob.Lines[0]);
                bob.Leave();
                Run(() => server.Players == 1, server, alice, bob);
                StringAssert.Contains("left (PeerClosed)", server.Log[server.Log.Count - 1]);
                StringAssert.StartsWith("closed: SessionClosed", bob.Status);
            }
            using (var server = new ChatServer(0))
            using (var mallory = new ChatClient(server.Port, new byte[32]))
            {
                Assert.AreEqual("connecting...", mallory.Status);
                Run(() => mallory.State == ConnectionState.Closed, server, mallory);
                StringAssert.StartsWith("closed: FingerprintMismatch", mallory.Status);
            }
        }

        private static void Run(Func<bool> done, ChatServer server, params ChatClient[] clients)
        {
            var sw = Stopwatch.StartNew();
            while (!done())
            {
                if (sw.ElapsedMilliseconds > 5000) Assert.Fail("timed out");
                server.Update();
                foreach (ChatClient c in clients) c.Update();
                Thread.Sleep(1);
            }
        }
    }
}
