// The packet path allocates nothing on the managed heap once the caller owns the buffers.
using System;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class AllocationTests
    {
        private static long SealOpen(SessionPair p, byte[] msg, byte[] packet, byte[] plain, int rounds)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            int got;
            ResultCode reason;
            for (int i = 0; i < rounds; i++)
            {
                int n = p.Client.Seal(msg, 0, msg.Length, packet, 0);
                if (!p.Server.TryOpen(packet, 0, n, plain, 0, out got, out reason)) throw new Exception(reason.ToString());
                n = p.Server.Seal(new ReadOnlySpan<byte>(msg), new Span<byte>(packet));
                if (!p.Client.TryOpen(new ReadOnlySpan<byte>(packet, 0, n), new Span<byte>(plain), out got, out reason)) throw new Exception(reason.ToString());
                if (Session.IsHandshakeMessage(new ReadOnlySpan<byte>(packet, 0, n))) throw new Exception("a packet is not a handshake message");
                var s = p.Client.State;
            }
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        [Test]
        public void SealAndOpenAllocateNothing()
        {
            using (var p = new SessionPair())
            {
                byte[] msg = Bytes.Seq(1200), packet = new byte[1200 + Constants.PacketOverhead], plain = new byte[1200];
                SealOpen(p, msg, packet, plain, 100); // JIT, marshalling stubs, first-use checks
                long allocated = SealOpen(p, msg, packet, plain, 10000);
                Assert.AreEqual(0, allocated, "bytes allocated by 40000 packet calls");
                // The counter is live: an allocation is seen.
                long before = GC.GetAllocatedBytesForCurrentThread();
                var garbage = new byte[1000];
                Assert.GreaterOrEqual(GC.GetAllocatedBytesForCurrentThread() - before, 1000L);
                GC.KeepAlive(garbage);
            }
        }
    }
}
