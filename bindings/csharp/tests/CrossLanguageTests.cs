// C# against C (the Rust core through include/gamecrypt.h, built by gcc into the cpeer helper):
// keys made on one side verify on the other, boxes sealed on one side open on the other.
using System;
using System.IO;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class CrossLanguageTests
    {
        [TestCase(KeyType.EcdsaP256)]
        [TestCase(KeyType.EcdsaP384)]
        [TestCase(KeyType.Ed25519)]
        public void KeyMadeInCSharpVerifiesInC(KeyType type)
        {
            using (var dir = new TempDir())
            using (SigningKey sk = SigningKey.Generate(type))
            using (PublicKey pk = sk.GetPublicKey())
            {
                byte[] msg = Bytes.Of("signed in C#, checked in C");
                File.WriteAllBytes(dir.File("spki.der"), pk.ToSpkiDer());
                File.WriteAllBytes(dir.File("msg"), msg);
                File.WriteAllBytes(dir.File("sig"), sk.Sign(msg));
                Assert.AreEqual(0, CPeer.Run("verify", dir.File("spki.der"), dir.File("msg"), dir.File("sig")));
                msg[0] ^= 1;
                File.WriteAllBytes(dir.File("msg"), msg);
                Assert.AreEqual(1, CPeer.Run("verify", dir.File("spki.der"), dir.File("msg"), dir.File("sig")), "C must refuse a changed message");
            }
        }

        [TestCase(KeyType.EcdsaP256)]
        [TestCase(KeyType.Ed25519)]
        public void KeyMadeInCVerifiesInCSharp(KeyType type)
        {
            using (var dir = new TempDir())
            {
                byte[] msg = Bytes.Of("signed in C, checked in C#");
                File.WriteAllBytes(dir.File("msg"), msg);
                Assert.AreEqual(0, CPeer.Run("keygen", ((uint)type).ToString(), dir.File("msg"), dir.File("spki.der"), dir.File("sig")));
                using (PublicKey pk = PublicKey.FromSpkiDer(File.ReadAllBytes(dir.File("spki.der"))))
                {
                    Assert.AreEqual(type, pk.Type);
                    byte[] sig = File.ReadAllBytes(dir.File("sig"));
                    Assert.IsTrue(pk.Verify(msg, sig));
                    msg[1] ^= 1;
                    Assert.IsFalse(pk.Verify(msg, sig));
                }
            }
        }

        [Test]
        public void BoxSealedByTheCoreOpensInCSharpAndBack()
        {
            using (var dir = new TempDir())
            {
                byte[] keyBytes = SecureRandom.Bytes(32), plain = Bytes.Seq(777);
                File.WriteAllBytes(dir.File("key"), keyBytes);
                File.WriteAllBytes(dir.File("plain"), plain);
                Assert.AreEqual(0, CPeer.Run("seal", dir.File("key"), "slot-7", dir.File("plain"), dir.File("box")));
                using (AeadKey key = AeadKey.FromBytes(Aead.Aes256Gcm, keyBytes))
                {
                    ResultCode reason;
                    CollectionAssert.AreEqual(plain, key.TryOpen(File.ReadAllBytes(dir.File("box")), Bytes.Of("slot-7"), out reason));
                    Assert.IsNull(key.TryOpen(File.ReadAllBytes(dir.File("box")), Bytes.Of("slot-8"), out reason));

                    File.WriteAllBytes(dir.File("box2"), key.Seal(plain, Bytes.Of("slot-9")));
                    Assert.AreEqual(0, CPeer.Run("open", dir.File("key"), "slot-9", dir.File("box2"), dir.File("plain2")));
                    CollectionAssert.AreEqual(plain, File.ReadAllBytes(dir.File("plain2")));
                    Assert.AreEqual(1, CPeer.Run("open", dir.File("key"), "slot-1", dir.File("box2"), dir.File("plain3")));
                }
                Assert.AreEqual(0, CPeer.Run("pwseal", "hunter2", "1000", dir.File("plain"), dir.File("pwbox")));
                ResultCode r;
                CollectionAssert.AreEqual(plain, PasswordBox.TryOpen(Bytes.Of("hunter2"), File.ReadAllBytes(dir.File("pwbox")), null, out r));
            }
        }
    }
}
