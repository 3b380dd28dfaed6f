// Benchmark of the packet path (not a test): seal + open of 1200-byte packets through the C#
// binding on Mono, against the same calls made by a C loop through the C ABI in the same
// process (bench_loop.c), on the same pair of sessions. Prints packets per second of each, the
// ratio, and the managed bytes allocated per packet. Each round runs both loops back to back so
// that load from other processes hits both alike; the median of the per-round ratios counts.
using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using GameCrypt;

internal static unsafe class Bench
{
    [DllImport("gamecrypt_bench", CallingConvention = CallingConvention.Cdecl)]
    private static extern uint gc_bench_seal_open(IntPtr tx, IntPtr rx, byte* msg, UIntPtr msgLen, byte* packet, UIntPtr packetCap, byte* plain, UIntPtr plainCap, int count);

    private const int Payload = 1200;

    private static string Cpu()
    {
        try
        {
            foreach (string line in File.ReadAllLines("/proc/cpuinfo"))
                if (line.StartsWith("model name")) return line.Substring(line.IndexOf(':') + 1).Trim();
        }
        catch (IOException) { }
        return "unknown CPU";
    }

    private static int Main(string[] args)
    {
        int packets = args.Length > 0 ? int.Parse(args[0]) : 20000;
        // "managed" or "c": only that loop, once, after the warm-up (for instruction counts under
        // callgrind: run with N and with 0 packets and divide the difference by N).
        string only = args.Length > 1 ? args[1] : null;
        const int rounds = 41; // short rounds, so that some of each fall in quiet moments of a shared machine
        var msg = new byte[Payload];
        var packet = new byte[Payload + Constants.PacketOverhead];
        var plain = new byte[Payload];
        SecureRandom.Fill(msg, 0, msg.Length);

        using (SigningKey id = SigningKey.Generate(KeyType.EcdsaP256))
        using (PublicKey pk = id.GetPublicKey())
        using (var sb = new ServerConfigBuilder(id).SetSuites(Suite.P256EcdsaAes256gcmSha256))
        using (ServerConfig sc = sb.Build())
        using (var cb = ClientConfigBuilder.PinnedKey(pk).SetSuites(Suite.P256EcdsaAes256gcmSha256))
        using (ClientConfig cc = cb.Build())
        using (Session client = Session.CreateClient(cc))
        using (Session server = Session.CreateServer(sc))
        {
            Handshake(client, server);
            IntPtr tx = client.Handle.DangerousGetHandle(), rx = server.Handle.DangerousGetHandle();

            // Warm up both paths (JIT, marshalling stubs, caches).
            Managed(client, server, msg, packet, plain, 1000);
            CLoop(tx, rx, msg, packet, plain, 1000);

            if (only != null)
            {
                if (only == "managed") Managed(client, server, msg, packet, plain, packets);
                else CLoop(tx, rx, msg, packet, plain, packets);
                Console.WriteLine("{0}: {1} packets", only, packets);
                return 0;
            }

            var managedRates = new double[rounds];
            var cRates = new double[rounds];
            var ratios = new double[rounds];
            long allocated = 0;
            var sw = new Stopwatch();
            for (int r = 0; r < rounds; r++)
            {
                // Each round runs both loops back to back (in alternating order), so that the two
                // see the same load; the ratio of the pair is one sample.
                for (int half = 0; half < 2; half++)
                {
                    if ((half == 0) == (r % 2 == 0))
                    {
                        sw.Restart();
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        Managed(client, server, msg, packet, plain, packets);
                        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                        managedRates[r] = packets / sw.Elapsed.TotalSeconds;
                    }
                    else
                    {
                        sw.Restart();
                        CLoop(tx, rx, msg, packet, plain, packets);
                        cRates[r] = packets / sw.Elapsed.TotalSeconds;
                    }
                }
                ratios[r] = managedRates[r] / cRates[r];
                KeepKeysFresh(client, server, packet, plain);
            }
            GC.KeepAlive(client);
            GC.KeepAlive(server);

            double mC = Median(cRates), mManaged = Median(managedRates);
            Console.WriteLine("C# binding benchmark: seal + open of one {0}-byte packet (AES-256-GCM session), CPU: {1}", Payload, Cpu());
            Console.WriteLine("  runtime: {0}, MONO_THREADS_SUSPEND={1}", RuntimeName(), Environment.GetEnvironmentVariable("MONO_THREADS_SUSPEND") ?? "(default)");
            Console.WriteLine("  {0} rounds of {1} packets, each round both loops back to back; medians", rounds, packets);
            Console.WriteLine("  C loop through the C ABI (same process): {0,10:F0} packets/s  {1,6:F0} MB/s", mC, mC * Payload / 1e6);
            Console.WriteLine("  C# Session.Seal + Session.TryOpen:        {0,10:F0} packets/s  {1,6:F0} MB/s", mManaged, mManaged * Payload / 1e6);
            Array.Sort(ratios);
            Console.WriteLine("  ratio C# / C: median {0:F1}% (quartiles {1:F1}%-{2:F1}%; target >= 85%)",
                Median(ratios) * 100, ratios[rounds / 4] * 100, ratios[3 * rounds / 4] * 100);
            Console.WriteLine("  managed bytes allocated per packet: {0:F3} (target 0; {1} bytes over {2} packets)",
                (double)allocated / ((long)packets * rounds), allocated, (long)packets * rounds);
        }
        return 0;
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private static string RuntimeName()
    {
        Type mono = Type.GetType("Mono.Runtime");
        if (mono == null) return ".NET " + Environment.Version;
        var display = mono.GetMethod("GetDisplayName", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
        return "Mono " + (display == null ? "?" : display.Invoke(null, null));
    }

    private static void Handshake(Session client, Session server)
    {
        ResultCode reason;
        byte[] m = client.WriteHandshake();
        if (!server.ReadHandshake(m, 0, m.Length, out reason)) throw new Exception("ClientHello: " + reason);
        m = server.WriteHandshake();
        if (!client.ReadHandshake(m, 0, m.Length, out reason)) throw new Exception("ServerHello: " + reason);
        m = client.WriteHandshake();
        if (!server.ReadHandshake(m, 0, m.Length, out reason)) throw new Exception("ClientFinished: " + reason);
    }

    private static void Managed(Session tx, Session rx, byte[] msg, byte[] packet, byte[] plain, int count)
    {
        int got;
        ResultCode reason;
        for (int i = 0; i < count; i++)
        {
            int n = tx.Seal(msg, 0, msg.Length, packet, 0);
            if (!rx.TryOpen(packet, 0, n, plain, 0, out got, out reason)) throw new Exception(reason.ToString());
        }
    }

    private static void CLoop(IntPtr tx, IntPtr rx, byte[] msg, byte[] packet, byte[] plain, int count)
    {
        fixed (byte* m = msg)
        fixed (byte* p = packet)
        fixed (byte* o = plain)
        {
            uint rc = gc_bench_seal_open(tx, rx, m, (UIntPtr)(uint)msg.Length, p, (UIntPtr)(uint)packet.Length, o, (UIntPtr)(uint)plain.Length, count);
            if (rc != 0) throw new Exception("C loop: " + (ResultCode)rc);
        }
    }

    /// <summary>An empty packet back, so that an automatic key update is never blocked.</summary>
    private static void KeepKeysFresh(Session client, Session server, byte[] packet, byte[] plain)
    {
        int got;
        ResultCode reason;
        int n = server.Seal(ReadOnlySpan<byte>.Empty, new Span<byte>(packet));
        if (!client.TryOpen(packet, 0, n, plain, 0, out got, out reason)) throw new Exception(reason.ToString());
    }
}
