// Random, hashing, HMAC, HKDF, PBKDF2, constant-time compare: known answers and error paths.
using System;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class PrimitiveTests
    {
        private static byte[] H(string hex)
        {
            var b = new byte[hex.Length / 2];
            for (int i = 0; i < b.Length; i++) b[i] = Convert.ToByte(hex.Substring(i * 2, 2), 16);
            return b;
        }

        [Test]
        public void LibraryVersionMatchesAndSizesAreChecked()
        {
            Library.EnsureLoaded();
            Assert.AreEqual(Constants.VersionString, Library.NativeVersion);
            Assert.AreEqual(Library.NativeVersion, Library.ManagedVersion);
            StringAssert.Contains("x86_64", Library.PlatformFolder);
        }

        [Test]
        public void MissingLibraryMessageNamesThePlatformFolder()
        {
            string msg = Library.MissingLibraryMessage();
            StringAssert.Contains("Plugins/Linux/x86_64/libgamecrypt.so", msg);
        }

        [Test]
        public void RandomFillsAndDiffers()
        {
            byte[] a = SecureRandom.Bytes(32), b = SecureRandom.Bytes(32);
            Assert.AreEqual(32, a.Length);
            CollectionAssert.AreNotEqual(a, b);
            var c = new byte[40];
            SecureRandom.Fill(c, 4, 32);
            CollectionAssert.AreEqual(new byte[4], new ArraySegment<byte>(c, 0, 4));
            CollectionAssert.AreEqual(new byte[4], new ArraySegment<byte>(c, 36, 4));
            SecureRandom.Fill(Span<byte>.Empty);
            Assert.AreEqual(0, SecureRandom.Bytes(0).Length);
            Assert.Throws<ArgumentOutOfRangeException>(() => SecureRandom.Bytes(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => SecureRandom.Fill(c, 30, 32));
            Assert.Throws<ArgumentNullException>(() => SecureRandom.Fill(null, 0, 0));
        }

        [Test]
        public void HashKnownAnswers()
        {
            byte[] abc = Bytes.Of("abc");
            CollectionAssert.AreEqual(H("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), Hash.Digest(HashAlgorithm.Sha256, abc));
            CollectionAssert.AreEqual(H("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"), Hash.Digest(HashAlgorithm.Sha384, abc));
            Assert.AreEqual(64, Hash.Digest(HashAlgorithm.Sha512, abc).Length);
            CollectionAssert.AreEqual(Hash.Digest(HashAlgorithm.Sha256, abc), Hash.Digest(HashAlgorithm.Sha256, Bytes.Of("xabcx"), 1, 3));
            Assert.AreEqual(32, Hash.Length(HashAlgorithm.Sha256));
            var e = Assert.Throws<GameCryptArgumentException>(() => Hash.Digest(HashAlgorithm.Sha256, new ReadOnlySpan<byte>(abc), new Span<byte>(new byte[16])));
            Assert.AreEqual(ResultCode.BufferTooSmall, e.Code);
            StringAssert.Contains("too small", e.Message);
            var bad = Assert.Throws<GameCryptArgumentException>(() => Hash.Digest((HashAlgorithm)9, abc));
            Assert.AreEqual(ResultCode.InvalidArgument, bad.Code);
            Assert.Throws<ArgumentNullException>(() => Hash.Digest(HashAlgorithm.Sha256, null));
        }

        [Test]
        public void StreamingHashEqualsOneShotAndIsSpentAfterFinish()
        {
            byte[] data = Bytes.Seq(1000);
            using (var ctx = new HashContext(HashAlgorithm.Sha384))
            {
                Assert.AreEqual(HashAlgorithm.Sha384, ctx.Algorithm);
                ctx.Update(data, 0, 10);
                ctx.Update(new ReadOnlySpan<byte>(data, 10, 990));
                var tooSmall = Assert.Throws<GameCryptArgumentException>(() => ctx.Finish(new Span<byte>(new byte[10])));
                Assert.AreEqual(ResultCode.BufferTooSmall, tooSmall.Code);
                CollectionAssert.AreEqual(Hash.Digest(HashAlgorithm.Sha384, data), ctx.Finish());
                var spent = Assert.Throws<ContextFinishedException>(() => ctx.Update(data, 0, 1));
                Assert.AreEqual(ResultCode.ContextFinished, spent.Code);
            }
            Assert.Throws<GameCryptArgumentException>(() => new HashContext((HashAlgorithm)0));
        }

        [Test]
        public void HmacRfc4231Case2AndVerify()
        {
            byte[] key = Bytes.Of("Jefe"), data = Bytes.Of("what do ya want for nothing?");
            byte[] expected = H("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
            CollectionAssert.AreEqual(expected, Hmac.Sign(HashAlgorithm.Sha256, key, data));
            Assert.IsTrue(Hmac.Verify(HashAlgorithm.Sha256, key, data, expected));
            byte[] wrong = (byte[])expected.Clone();
            wrong[0] ^= 1;
            ResultCode reason;
            Assert.IsFalse(Hmac.Verify(HashAlgorithm.Sha256, key, data, wrong, out reason));
            Assert.AreEqual(ResultCode.MacInvalid, reason);
            Assert.IsFalse(Hmac.Verify(HashAlgorithm.Sha256, key, data, new ArraySegment<byte>(expected, 0, 16).ToArray()), "truncated tag");
            Assert.Throws<GameCryptArgumentException>(() => Hmac.Verify((HashAlgorithm)7, key, data, expected));
            Span<byte> tag = new byte[32];
            Assert.AreEqual(32, Hmac.Sign(HashAlgorithm.Sha256, key, data, tag));

            using (var ctx = new HmacContext(HashAlgorithm.Sha256, key))
            {
                Assert.AreEqual(HashAlgorithm.Sha256, ctx.Algorithm);
                ctx.Update(data, 0, 4);
                ctx.Update(new ReadOnlySpan<byte>(data, 4, data.Length - 4));
                CollectionAssert.AreEqual(expected, ctx.Finish());
                Assert.Throws<ContextFinishedException>(() => ctx.Finish());
            }
            using (var ctx = new HmacContext(HashAlgorithm.Sha256, new ReadOnlySpan<byte>(key)))
            {
                ctx.Update(data, 0, data.Length);
                Assert.IsTrue(ctx.Verify(expected));
                ResultCode r;
                Assert.Throws<ContextFinishedException>(() => ctx.Verify(new ReadOnlySpan<byte>(expected), out r));
            }
            using (var ctx = new HmacContext(HashAlgorithm.Sha256, key))
            {
                ctx.Update(data, 0, data.Length);
                Assert.IsFalse(ctx.Verify(new ReadOnlySpan<byte>(wrong), out reason));
                Assert.AreEqual(ResultCode.MacInvalid, reason);
                Assert.AreEqual(32, Hash.Length(ctx.Algorithm));
            }
            using (var ctx = new HmacContext(HashAlgorithm.Sha512, key))
            {
                Span<byte> t = new byte[64];
                Assert.AreEqual(64, ctx.Finish(t));
            }
        }

        [Test]
        public void HkdfRfc5869Case1()
        {
            byte[] ikm = H("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), salt = H("000102030405060708090a0b0c"), info = H("f0f1f2f3f4f5f6f7f8f9");
            byte[] prk = Hkdf.Extract(HashAlgorithm.Sha256, salt, ikm);
            CollectionAssert.AreEqual(H("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"), prk);
            byte[] okm = H("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
            CollectionAssert.AreEqual(okm, Hkdf.Expand(HashAlgorithm.Sha256, prk, info, 42));
            CollectionAssert.AreEqual(okm, Hkdf.Derive(HashAlgorithm.Sha256, salt, ikm, info, 42));
            Span<byte> prk2 = new byte[32];
            Assert.AreEqual(32, Hkdf.Extract(HashAlgorithm.Sha256, salt, ikm, prk2));
            Assert.AreEqual(8160, Hkdf.MaxOutputLength(HashAlgorithm.Sha256));
            var tooLong = Assert.Throws<GameCryptArgumentException>(() => Hkdf.Expand(HashAlgorithm.Sha256, prk, info, 8161));
            Assert.AreEqual(ResultCode.InvalidLength, tooLong.Code);
            Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => Hkdf.Derive(HashAlgorithm.Sha256, salt, ikm, info, 0)).Code);
            Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => Hkdf.Expand(HashAlgorithm.Sha256, new byte[16], info, 10)).Code);
            Assert.Throws<ArgumentOutOfRangeException>(() => Hkdf.Derive(HashAlgorithm.Sha256, salt, ikm, info, -1));
        }

        [Test]
        public void Pbkdf2Rfc7914Vector()
        {
            // RFC 7914 section 11: PBKDF2-HMAC-SHA256("passwd", "salt", 1, 64).
            byte[] dk = Pbkdf2.DeriveSha256(Bytes.Of("passwd"), Bytes.Of("salt"), 1, 64);
            CollectionAssert.AreEqual(H("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"), dk);
            Assert.AreEqual(600000u, Pbkdf2.RecommendedIterations);
            Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => Pbkdf2.DeriveSha256(Bytes.Of("p"), Bytes.Of("salt"), 0, 32)).Code);
            Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => Pbkdf2.DeriveSha256(Bytes.Of("p"), Bytes.Of("salt"), 1, 0)).Code);
        }

        [Test]
        public void ConstantTimeCompare()
        {
            Assert.IsTrue(ConstantTime.AreEqual(Bytes.Of("token"), Bytes.Of("token")));
            Assert.IsFalse(ConstantTime.AreEqual(Bytes.Of("token"), Bytes.Of("tokeN")));
            Assert.IsFalse(ConstantTime.AreEqual(Bytes.Of("token"), Bytes.Of("token!")));
            Assert.IsTrue(ConstantTime.AreEqual(ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty));
            Assert.Throws<ArgumentNullException>(() => ConstantTime.AreEqual(null, new byte[0]));
        }

        [Test]
        public void ExceptionsCarryTheLibraryMessageAndMapToOneHierarchy()
        {
            Assert.IsInstanceOf<GameCryptArgumentException>(GameCryptException.For(ResultCode.NullArgument));
            Assert.IsInstanceOf<KeyFormatException>(GameCryptException.For(ResultCode.PemMalformed));
            Assert.IsInstanceOf<AuthenticationFailedException>(GameCryptException.For(ResultCode.OpenFailed));
            Assert.IsInstanceOf<CertificateException>(GameCryptException.For(ResultCode.CertificateExpired));
            Assert.IsInstanceOf<SessionException>(GameCryptException.For(ResultCode.PacketReplayed));
            Assert.IsInstanceOf<SessionException>(GameCryptException.For(ResultCode.RetryCookieInvalid));
            Assert.IsInstanceOf<GameCryptInternalException>(GameCryptException.For(ResultCode.Panic));
            Assert.IsInstanceOf<ContextFinishedException>(GameCryptException.For(ResultCode.ContextFinished));
            foreach (ResultCode code in Enum.GetValues(typeof(ResultCode)))
            {
                if (code == ResultCode.Ok) continue;
                GameCryptException e = GameCryptException.For(code);
                Assert.AreEqual(code, e.Code);
                StringAssert.StartsWith(GameCryptException.Describe(code), e.Message);
            }
            Assert.IsInstanceOf<Exception>(new LibraryMismatchException("x"));
            Assert.AreEqual(ResultCode.InvalidArgument, new GameCryptException(ResultCode.InvalidArgument, "m").Code);
            // Applications may throw them too (e.g. from their own wrappers): each keeps code and message.
            var made = new GameCryptException[]
            {
                new GameCryptArgumentException(ResultCode.InvalidLength, "a"),
                new KeyFormatException(ResultCode.KeyMalformed, "b"),
                new AuthenticationFailedException(ResultCode.OpenFailed, "c"),
                new ContextFinishedException(ResultCode.ContextFinished, "d"),
                new CertificateException(ResultCode.CertificateExpired, "e"),
                new SessionException(ResultCode.WrongState, "f"),
                new GameCryptInternalException(ResultCode.Internal, "g"),
            };
            Assert.AreEqual("abcdefg", string.Concat(Array.ConvertAll(made, x => x.Message)));
            Assert.AreEqual(ResultCode.Internal, made[6].Code);
        }

        [Test]
        public void HexEncodes()
        {
            Assert.AreEqual("00ff10", Hex.Encode(new byte[] { 0, 255, 16 }));
            Assert.Throws<ArgumentNullException>(() => Hex.Encode(null));
        }
    }
}
