// Helpers shared by the tests: repository paths, the C peer, handshakes between two sessions.
using System;
using System.Diagnostics;
using System.IO;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    internal static class Repo
    {
        /// <summary>The repository root: GAMECRYPT_REPO (set by scripts/test-csharp.sh) or the
        /// nearest parent of the working directory holding include/gamecrypt.h.</summary>
        internal static string Root
        {
            get
            {
                string env = Environment.GetEnvironmentVariable("GAMECRYPT_REPO");
                if (!string.IsNullOrEmpty(env)) return env;
                for (string d = Directory.GetCurrentDirectory(); d != null; d = Path.GetDirectoryName(d))
                    if (File.Exists(Path.Combine(d, "include/gamecrypt.h"))) return d;
                throw new InvalidOperationException("repository root not found: set GAMECRYPT_REPO");
            }
        }

        internal static string Header { get { return Path.Combine(Root, "include/gamecrypt.h"); } }

        internal static string KeyFile(string name) { return Path.Combine(Root, "tests/data/keys", name); }

        internal static string CsharpDir { get { return Path.Combine(Root, "bindings/csharp"); } }
    }

    /// <summary>The C peer (bindings/csharp/tests/cpeer.c) built by the test script.</summary>
    internal static class CPeer
    {
        internal static int Run(params string[] args)
        {
            string exe = Environment.GetEnvironmentVariable("GAMECRYPT_CPEER");
            if (string.IsNullOrEmpty(exe)) Assert.Fail("GAMECRYPT_CPEER is not set: run scripts/test-csharp.sh");
            var psi = new ProcessStartInfo(exe, string.Join(" ", Array.ConvertAll(args, a => "\"" + a + "\"")))
            {
                UseShellExecute = false,
                RedirectStandardError = true,
            };
            using (Process p = Process.Start(psi))
            {
                string err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode == 2) Assert.Fail("cpeer " + string.Join(" ", args) + ": " + err);
                return p.ExitCode;
            }
        }
    }

    internal sealed class TempDir : IDisposable
    {
        internal readonly string Path;
        internal TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gamecrypt-cs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }
        internal string File(string name) { return System.IO.Path.Combine(Path, name); }
        public void Dispose() { Directory.Delete(Path, true); }
    }

    /// <summary>A server identity, configurations and a pair of sessions driven to Established.</summary>
    internal sealed class SessionPair : IDisposable
    {
        internal readonly SigningKey Identity;
        internal readonly ServerConfig ServerConfig;
        internal readonly ClientConfig ClientConfig;
        internal readonly Session Client;
        internal readonly Session Server;

        internal SessionPair(KeyType type = KeyType.EcdsaP256, SessionMode mode = SessionMode.Datagram, bool handshake = true)
        {
            Identity = SigningKey.Generate(type);
            using (var sb = new ServerConfigBuilder(Identity)) ServerConfig = sb.Build();
            using (PublicKey pk = Identity.GetPublicKey())
            using (var cb = ClientConfigBuilder.PinnedKey(pk)) ClientConfig = cb.Build();
            Client = Session.CreateClient(ClientConfig, mode);
            Server = Session.CreateServer(ServerConfig, mode);
            if (handshake) Handshake(Client, Server);
        }

        /// <summary>Carries handshake messages until neither side has anything to write.</summary>
        internal static void Handshake(Session client, Session server)
        {
            ResultCode reason;
            Assert.AreEqual(SessionState.NeedWrite, client.State);
            Assert.IsTrue(server.ReadHandshake(client.WriteHandshake(), out reason), "ClientHello: " + reason);
            Assert.AreEqual(SessionState.NeedWrite, server.State);
            Assert.IsTrue(client.ReadHandshake(server.WriteHandshake(), out reason), "ServerHello: " + reason);
            Assert.AreEqual(SessionState.NeedWrite, client.State);
            byte[] finished = client.WriteHandshake();
            Assert.AreEqual(SessionState.Established, client.State);
            if (server.ReadHandshake(finished, out reason))
                return;
            Assert.Fail("ClientFinished: " + reason);
        }

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
            ClientConfig.Dispose();
            ServerConfig.Dispose();
            Identity.Dispose();
        }
    }

    internal static class Bytes
    {
        internal static byte[] Of(string s) { return System.Text.Encoding.UTF8.GetBytes(s); }
        internal static byte[] Seq(int n)
        {
            var b = new byte[n];
            for (int i = 0; i < n; i++) b[i] = (byte)(i * 7 + 3);
            return b;
        }
    }

    internal static class SessionExt
    {
        internal static bool ReadHandshake(this Session s, byte[] msg, out ResultCode reason)
        {
            return s.ReadHandshake(msg, 0, msg.Length, out reason);
        }
    }
}
