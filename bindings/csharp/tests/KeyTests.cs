// Signing and public keys: generate, import, export, sign, verify, fingerprints, error paths.
using System;
using System.IO;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class KeyTests
    {
        private static readonly byte[] Message = Bytes.Of("level-3 payload");

        [TestCase(KeyType.EcdsaP256)]
        [TestCase(KeyType.EcdsaP384)]
        [TestCase(KeyType.Ed25519)]
        public void GenerateSignVerifyRoundTripsThroughEveryFormat(KeyType type)
        {
            using (SigningKey sk = SigningKey.Generate(type))
            using (PublicKey pk = sk.GetPublicKey())
            {
                Assert.AreEqual(type, sk.Type);
                Assert.AreEqual(type, pk.Type);
                byte[] sig = sk.Sign(Message);
                Assert.IsTrue(pk.Verify(Message, sig));
                byte[] tampered = (byte[])Message.Clone();
                tampered[0] ^= 1;
                ResultCode reason;
                Assert.IsFalse(pk.Verify(new ReadOnlySpan<byte>(tampered), new ReadOnlySpan<byte>(sig), SignatureFormat.Default, out reason));
                Assert.AreEqual(ResultCode.SignatureInvalid, reason);
                Assert.IsFalse(pk.Verify(tampered, sig));

                // Export and import again: same public key and fingerprint.
                byte[] der = sk.ToPkcs8Der();
                string pem = sk.ToPkcs8Pem();
                StringAssert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
                using (SigningKey fromDer = SigningKey.FromDer(der))
                using (SigningKey fromPem = SigningKey.FromPem(pem))
                using (PublicKey a = fromDer.GetPublicKey())
                using (PublicKey b = fromPem.GetPublicKey())
                {
                    CollectionAssert.AreEqual(pk.Fingerprint(), a.Fingerprint());
                    CollectionAssert.AreEqual(pk.Fingerprint(), b.Fingerprint());
                    Assert.IsTrue(a.Verify(Message, fromPem.Sign(Message)));
                }
                using (PublicKey spki = PublicKey.FromSpkiDer(pk.ToSpkiDer()))
                using (PublicKey pemKey = PublicKey.FromPem(pk.ToPem()))
                using (PublicKey raw = PublicKey.FromRaw(type, pk.ToRaw()))
                {
                    CollectionAssert.AreEqual(pk.Fingerprint(), spki.Fingerprint());
                    CollectionAssert.AreEqual(pk.Fingerprint(), pemKey.Fingerprint());
                    CollectionAssert.AreEqual(pk.Fingerprint(), raw.Fingerprint());
                    Assert.AreEqual(64, pk.FingerprintHex().Length);
                }
                CollectionAssert.AreEqual(Hash.Digest(HashAlgorithm.Sha256, pk.ToSpkiDer()), pk.Fingerprint());
                if (type != KeyType.Ed25519)
                {
                    byte[] compressed = pk.ToRawCompressed();
                    Assert.AreEqual(type == KeyType.EcdsaP256 ? Constants.P256CompressedPublicKeyLen : Constants.P384CompressedPublicKeyLen, compressed.Length);
                    using (PublicKey c = PublicKey.FromRaw(type, new ReadOnlySpan<byte>(compressed)))
                        CollectionAssert.AreEqual(pk.Fingerprint(), c.Fingerprint());
                    byte[] fixedSig = sk.Sign(Message, SignatureFormat.EcdsaFixed);
                    Assert.AreEqual(type == KeyType.EcdsaP256 ? 64 : 96, fixedSig.Length);
                    Assert.IsTrue(pk.Verify(Message, fixedSig, SignatureFormat.EcdsaFixed));
                    Assert.IsFalse(pk.Verify(Message, fixedSig, SignatureFormat.EcdsaDer));
                    Assert.AreEqual(ResultCode.WrongKeyType, Assert.Throws<GameCryptArgumentException>(() => sk.Sign(Message, SignatureFormat.RsaPssSha256)).Code);
                }
                else
                {
                    Assert.AreEqual(ResultCode.UnsupportedFormat, Assert.Throws<GameCryptArgumentException>(() => pk.ToRawCompressed()).Code);
                    Assert.AreEqual(64, sk.MaxSignatureLength());
                    Assert.AreEqual(ResultCode.WrongKeyType, Assert.Throws<GameCryptArgumentException>(() => pk.Verify(Message, sig, SignatureFormat.EcdsaDer)).Code);
                }
            }
        }

        [Test]
        public void SignIntoSpanAndFromArraySegment()
        {
            using (SigningKey sk = SigningKey.Generate(KeyType.Ed25519))
            using (PublicKey pk = sk.GetPublicKey())
            {
                byte[] padded = new byte[Message.Length + 4];
                Buffer.BlockCopy(Message, 0, padded, 2, Message.Length);
                byte[] sig = sk.Sign(padded, 2, Message.Length);
                ResultCode reason;
                Assert.IsTrue(pk.Verify(padded, 2, Message.Length, sig, SignatureFormat.Default, out reason));
                Assert.AreEqual(ResultCode.Ok, reason);
                Span<byte> buf = new byte[Constants.MaxSignatureLen];
                Assert.AreEqual(64, sk.Sign(new ReadOnlySpan<byte>(Message), buf));
                Assert.IsTrue(pk.Verify(new ReadOnlySpan<byte>(Message), buf.Slice(0, 64)));
                var small = Assert.Throws<GameCryptArgumentException>(() => sk.Sign(new ReadOnlySpan<byte>(Message), new Span<byte>(new byte[10])));
                Assert.AreEqual(ResultCode.BufferTooSmall, small.Code);
                Assert.Throws<ArgumentOutOfRangeException>(() => sk.Sign(padded, 10, 100));
            }
        }

        [Test]
        public void OpensslFixturesVerifyInCSharp()
        {
            byte[] msg = File.ReadAllBytes(Repo.KeyFile("message.txt"));
            using (PublicKey ed = PublicKey.FromPem(File.ReadAllText(Repo.KeyFile("ed25519.spki.pem"))))
                Assert.IsTrue(ed.Verify(msg, File.ReadAllBytes(Repo.KeyFile("ed25519.sig"))));
            using (PublicKey p256 = PublicKey.FromSpkiDer(File.ReadAllBytes(Repo.KeyFile("p256.spki.der"))))
            {
                Assert.IsTrue(p256.Verify(msg, File.ReadAllBytes(Repo.KeyFile("p256.sig.der"))));
                CollectionAssert.AreEqual(File.ReadAllBytes(Repo.KeyFile("p256.fingerprint.bin")), p256.Fingerprint());
            }
            using (PublicKey rsa = PublicKey.FromSpkiDer(File.ReadAllBytes(Repo.KeyFile("rsa2048.spki.der"))))
            {
                Assert.AreEqual(KeyType.Rsa, rsa.Type);
                Assert.IsTrue(rsa.Verify(msg, File.ReadAllBytes(Repo.KeyFile("rsa2048.sig.pss")), SignatureFormat.RsaPssSha256));
                Assert.IsTrue(rsa.Verify(msg, File.ReadAllBytes(Repo.KeyFile("rsa2048.sig.pkcs1")), SignatureFormat.RsaPkcs1Sha256));
                Assert.AreEqual(ResultCode.UnsupportedFormat, Assert.Throws<GameCryptArgumentException>(() => rsa.ToRaw()).Code);
            }
            using (SigningKey rsaKey = SigningKey.FromPem(File.ReadAllText(Repo.KeyFile("rsa2048.pkcs8.pem"))))
            {
                Assert.AreEqual(256, rsaKey.MaxSignatureLength());
                using (PublicKey pk = rsaKey.GetPublicKey()) Assert.IsTrue(pk.Verify(msg, rsaKey.Sign(msg)));
            }
            using (SigningKey sec1 = SigningKey.FromDer(File.ReadAllBytes(Repo.KeyFile("p256.sec1.der"))))
                Assert.AreEqual(KeyType.EcdsaP256, sec1.Type);
            using (SigningKey p384 = SigningKey.FromPem(new ReadOnlySpan<byte>(File.ReadAllBytes(Repo.KeyFile("p384.pkcs8.pem")))))
                Assert.AreEqual(KeyType.EcdsaP384, p384.Type);
            using (PublicKey spkiPem = PublicKey.FromPem(new ReadOnlySpan<byte>(File.ReadAllBytes(Repo.KeyFile("p384.spki.pem")))))
                Assert.AreEqual(KeyType.EcdsaP384, spkiPem.Type);
        }

        [Test]
        public void ImportErrorsAreTypedWithTheLibraryMessage()
        {
            var e1 = Assert.Throws<KeyFormatException>(() => SigningKey.FromDer(new byte[] { 1, 2, 3 }));
            Assert.AreEqual(ResultCode.KeyMalformed, e1.Code);
            StringAssert.StartsWith(GameCryptException.Describe(ResultCode.KeyMalformed), e1.Message);
            Assert.AreEqual(ResultCode.PemMalformed, Assert.Throws<KeyFormatException>(() => SigningKey.FromPem("no pem here")).Code);
            Assert.AreEqual(ResultCode.KeyRejected, Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(File.ReadAllText(Repo.KeyFile("p256.encrypted.pem")))).Code);
            Assert.AreEqual(ResultCode.UnsupportedAlgorithm, Assert.Throws<GameCryptArgumentException>(() => SigningKey.FromPem(File.ReadAllText(Repo.KeyFile("p521.pkcs8.pem")))).Code);
            Assert.AreEqual(ResultCode.KeyRejected, Assert.Throws<KeyFormatException>(() => PublicKey.FromSpkiDer(File.ReadAllBytes(Repo.KeyFile("rsa1024.spki.der")))).Code);
            Assert.AreEqual(ResultCode.UnsupportedAlgorithm, Assert.Throws<GameCryptArgumentException>(() => SigningKey.Generate(KeyType.Rsa)).Code);
            Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => SigningKey.Generate((KeyType)42)).Code);
            Assert.AreEqual(ResultCode.KeyMalformed, Assert.Throws<KeyFormatException>(() => PublicKey.FromRaw(KeyType.Ed25519, new byte[31])).Code);
            Assert.AreEqual(ResultCode.UnsupportedFormat, Assert.Throws<GameCryptArgumentException>(() => PublicKey.FromRaw(KeyType.Rsa, new byte[256])).Code);
            Assert.AreEqual(ResultCode.PemMalformed, Assert.Throws<KeyFormatException>(() => PublicKey.FromPem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n")).Code);
            Assert.Throws<ArgumentNullException>(() => SigningKey.FromPem((string)null));
            Assert.Throws<ArgumentNullException>(() => PublicKey.FromPem((string)null));
            Assert.Throws<ArgumentNullException>(() => SigningKey.FromDer(null));
            Assert.Throws<ArgumentNullException>(() => PublicKey.FromSpkiDer(null));
            Assert.Throws<ArgumentNullException>(() => PublicKey.FromRaw(KeyType.Ed25519, null));
        }
    }
}
