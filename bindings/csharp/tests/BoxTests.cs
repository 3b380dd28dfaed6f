// Key boxes, password boxes and raw AEAD: round trips, every refusal reason, error paths.
using System;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class BoxTests
    {
        private const uint FastIterations = 1000; // tests only: real data uses Pbkdf2.RecommendedIterations

        [TestCase(Aead.Aes256Gcm)]
        [TestCase(Aead.Chacha20Poly1305)]
        public void KeyBoxRoundTripAndRefusals(Aead alg)
        {
            byte[] keyBytes = SecureRandom.Bytes(32);
            using (AeadKey key = AeadKey.FromBytes(alg, keyBytes))
            using (AeadKey other = AeadKey.Generate(alg))
            {
                Assert.AreEqual(alg, key.Algorithm);
                byte[] plain = Bytes.Seq(100), ad = Bytes.Of("slot-1");
                byte[] box = key.Seal(plain, ad);
                Assert.AreEqual(plain.Length + Constants.BoxOverhead, box.Length);
                ResultCode reason;
                CollectionAssert.AreEqual(plain, key.TryOpen(box, ad, out reason));
                Assert.AreEqual(ResultCode.Ok, reason);

                Assert.IsNull(key.TryOpen(box, Bytes.Of("slot-2"), out reason));
                Assert.AreEqual(ResultCode.OpenFailed, reason);
                Assert.IsNull(other.TryOpen(box, ad, out reason));
                Assert.AreEqual(ResultCode.OpenFailed, reason);
                byte[] tampered = (byte[])box.Clone();
                tampered[tampered.Length - 1] ^= 1;
                Assert.IsNull(key.TryOpen(tampered, ad, out reason));
                Assert.AreEqual(ResultCode.OpenFailed, reason);
                Assert.IsNull(key.TryOpen(new byte[5], ad, out reason));
                Assert.AreEqual(ResultCode.BoxMalformed, reason);
                byte[] unknownVersion = (byte[])box.Clone();
                unknownVersion[4] = 0x7f;
                Assert.IsNull(key.TryOpen(unknownVersion, ad, out reason));
                Assert.AreEqual(ResultCode.BoxUnsupported, reason);
                using (AeadKey otherAlg = AeadKey.Generate(alg == Aead.Aes256Gcm ? Aead.Chacha20Poly1305 : Aead.Aes256Gcm))
                {
                    Assert.IsNull(otherAlg.TryOpen(box, ad, out reason));
                    Assert.AreEqual(ResultCode.BoxKeyMismatch, reason);
                }

                // Span overloads, empty associated data, too small output (throws: a bad argument).
                Span<byte> sealedSpan = new byte[plain.Length + Constants.BoxOverhead];
                Assert.AreEqual(sealedSpan.Length, key.Seal(new ReadOnlySpan<byte>(plain), ReadOnlySpan<byte>.Empty, sealedSpan));
                Span<byte> opened = new byte[plain.Length];
                int n;
                Assert.IsTrue(key.TryOpen(sealedSpan, ReadOnlySpan<byte>.Empty, opened, out n, out reason));
                Assert.AreEqual(plain.Length, n);
                CollectionAssert.AreEqual(plain, opened.ToArray());
                Assert.AreEqual(ResultCode.BufferTooSmall, Assert.Throws<GameCryptArgumentException>(() => key.Seal(new ReadOnlySpan<byte>(plain), ReadOnlySpan<byte>.Empty, new Span<byte>(new byte[10]))).Code);
                Assert.AreEqual(ResultCode.BufferTooSmall, Assert.Throws<GameCryptArgumentException>(() => { int m; ResultCode r; key.TryOpen(new ReadOnlySpan<byte>(box), new ReadOnlySpan<byte>(ad), new Span<byte>(new byte[3]), out m, out r); }).Code);
                Assert.AreEqual(0, key.TryOpen(key.Seal(new byte[0]), null, out reason).Length);
            }
            Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => AeadKey.FromBytes(alg, new byte[31])).Code);
            Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => AeadKey.FromBytes((Aead)0, new byte[32])).Code);
            Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => AeadKey.Generate((Aead)3)).Code);
        }

        [Test]
        public void PasswordBoxRoundTripAndRefusals()
        {
            byte[] pw = Bytes.Of("correct horse"), save = Bytes.Of("{\"level\":7,\"gold\":120}"), ad = Bytes.Of("save-slot-1");
            byte[] box = PasswordBox.Seal(Aead.Aes256Gcm, pw, FastIterations, save, ad);
            Assert.AreEqual(save.Length + Constants.PasswordBoxOverhead, box.Length);
            ResultCode reason;
            CollectionAssert.AreEqual(save, PasswordBox.TryOpen(pw, box, ad, out reason));
            Assert.IsNull(PasswordBox.TryOpen(Bytes.Of("wrong"), box, ad, out reason));
            Assert.AreEqual(ResultCode.OpenFailed, reason);
            Assert.IsNull(PasswordBox.TryOpen(pw, box, Bytes.Of("save-slot-2"), out reason));
            Assert.AreEqual(ResultCode.OpenFailed, reason);
            Assert.IsNull(PasswordBox.TryOpen(pw, new byte[10], ad, out reason));
            Assert.AreEqual(ResultCode.BoxMalformed, reason);
            byte[] hostile = (byte[])box.Clone();
            hostile[8] = hostile[9] = hostile[10] = hostile[11] = 0xff; // 4 billion iterations
            Assert.IsNull(PasswordBox.TryOpen(pw, hostile, ad, out reason));
            Assert.AreEqual(ResultCode.BoxUnsupported, reason);
            using (AeadKey key = AeadKey.Generate(Aead.Aes256Gcm))
            {
                Assert.IsNull(key.TryOpen(box, ad, out reason));
                Assert.AreEqual(ResultCode.BoxKeyMismatch, reason, "a password box is not a key box");
                Assert.IsNull(PasswordBox.TryOpen(pw, key.Seal(save, ad), ad, out reason));
                Assert.AreEqual(ResultCode.BoxKeyMismatch, reason);
            }
            Span<byte> boxSpan = new byte[save.Length + Constants.PasswordBoxOverhead];
            PasswordBox.Seal(Aead.Chacha20Poly1305, new ReadOnlySpan<byte>(pw), FastIterations, new ReadOnlySpan<byte>(save), ReadOnlySpan<byte>.Empty, boxSpan);
            Span<byte> outSpan = new byte[save.Length];
            int n;
            Assert.IsTrue(PasswordBox.TryOpen(new ReadOnlySpan<byte>(pw), boxSpan, ReadOnlySpan<byte>.Empty, outSpan, out n, out reason));
            Assert.AreEqual(save.Length, n);
            Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => PasswordBox.Seal(Aead.Aes256Gcm, new byte[0], FastIterations, save)).Code);
            Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => PasswordBox.Seal(Aead.Aes256Gcm, pw, Constants.PasswordBoxMaxIterations + 1u, save)).Code);
            Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<GameCryptArgumentException>(() => PasswordBox.TryOpen(new byte[0], box, ad, out reason)).Code);
        }

        [Test]
        public void KeyFromPasswordIsDeterministic()
        {
            byte[] salt = SecureRandom.Bytes(16);
            using (AeadKey a = AeadKey.FromPassword(Aead.Aes256Gcm, Bytes.Of("pw"), salt, FastIterations))
            using (AeadKey b = AeadKey.FromPassword(Aead.Aes256Gcm, Bytes.Of("pw"), salt, FastIterations))
            {
                ResultCode reason;
                CollectionAssert.AreEqual(Bytes.Of("x"), b.TryOpen(a.Seal(Bytes.Of("x")), null, out reason));
            }
            Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => AeadKey.FromPassword(Aead.Aes256Gcm, Bytes.Of("pw"), new byte[8], FastIterations)).Code);
        }

        [Test]
        public void RawAeadRfc8439Vector()
        {
            // RFC 8439 section 2.8.2 (ChaCha20-Poly1305 AEAD).
            byte[] key = new byte[32];
            for (int i = 0; i < 32; i++) key[i] = (byte)(0x80 + i);
            byte[] nonce = { 0x07, 0, 0, 0, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47 };
            byte[] ad = { 0x50, 0x51, 0x52, 0x53, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7 };
            byte[] plain = Bytes.Of("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
            using (AeadKey k = AeadKey.FromBytes(Aead.Chacha20Poly1305, key))
            {
                byte[] ct = new byte[plain.Length + 16];
                Assert.AreEqual(ct.Length, k.SealWithNonceDangerous(new ReadOnlySpan<byte>(nonce), new ReadOnlySpan<byte>(ad), new ReadOnlySpan<byte>(plain), new Span<byte>(ct)));
                Assert.AreEqual("1ae10b594f09e26a7e902ecbd0600691", Hex.Encode(new ArraySegment<byte>(ct, ct.Length - 16, 16).ToArray()));
                Assert.AreEqual("d31a8d34648e60db7b86afbc53ef7ec2", Hex.Encode(new ArraySegment<byte>(ct, 0, 16).ToArray()));
                byte[] back = new byte[plain.Length];
                int n;
                ResultCode reason;
                Assert.IsTrue(k.TryOpenWithNonce(new ReadOnlySpan<byte>(nonce), new ReadOnlySpan<byte>(ad), new ReadOnlySpan<byte>(ct), new Span<byte>(back), out n, out reason));
                CollectionAssert.AreEqual(plain, back);
                ct[0] ^= 1;
                Assert.IsFalse(k.TryOpenWithNonce(new ReadOnlySpan<byte>(nonce), new ReadOnlySpan<byte>(ad), new ReadOnlySpan<byte>(ct), new Span<byte>(back), out n, out reason));
                Assert.AreEqual(ResultCode.OpenFailed, reason);
                Assert.AreEqual(ResultCode.InvalidLength, Assert.Throws<GameCryptArgumentException>(() => k.SealWithNonceDangerous(new ReadOnlySpan<byte>(new byte[11]), ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty, new Span<byte>(new byte[16]))).Code);
            }
        }
    }
}
