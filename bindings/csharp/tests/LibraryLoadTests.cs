// Loading the native library: found in the plugin folder, a clear message naming that folder
// when it is missing, and a mismatch between library and binding refused.
using System;
using System.Diagnostics;
using System.IO;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class LibraryLoadTests
    {
        private static int Probe(string libraryPath, out string output)
        {
            string exe = Path.Combine(Repo.Root, "target/csharp/LoadProbe.exe");
            using (var dir = new TempDir())
            {
                // Run from a copy so that nothing next to the executable can be found by accident.
                File.Copy(exe, dir.File("LoadProbe.exe"));
                File.Copy(Path.Combine(Repo.Root, "target/csharp/GameCrypt.dll"), dir.File("GameCrypt.dll"));
                var psi = new ProcessStartInfo("mono", "\"" + dir.File("LoadProbe.exe") + "\"")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    WorkingDirectory = dir.Path,
                };
                psi.EnvironmentVariables["LD_LIBRARY_PATH"] = libraryPath;
                using (Process p = Process.Start(psi))
                {
                    output = p.StandardOutput.ReadToEnd();
                    p.WaitForExit();
                    return p.ExitCode;
                }
            }
        }

        [Test]
        public void FoundInThePluginFolder()
        {
            string output;
            Assert.AreEqual(0, Probe(Path.Combine(Repo.CsharpDir, "unity/com.gamecrypt/Plugins/Linux/x86_64"), out output), output);
            StringAssert.Contains("loaded " + Constants.VersionString, output);
        }

        [Test]
        public void MissingLibraryNamesThePluginFolder()
        {
            string output;
            Assert.AreEqual(3, Probe("/nonexistent", out output), output);
            StringAssert.Contains("Plugins/Linux/x86_64/libgamecrypt.so", output);
            StringAssert.Contains("cargo build --release --lib", output);
        }

        [Test]
        public void AMismatchedConstantIsRefused()
        {
            Library.Same("GAMECRYPT_PACKET_OVERHEAD", 24, Constants.PacketOverhead);
            var e = Assert.Throws<LibraryMismatchException>(() => Library.Same("GAMECRYPT_PACKET_OVERHEAD", 25, Constants.PacketOverhead));
            StringAssert.Contains("GAMECRYPT_PACKET_OVERHEAD is 25 in the native library but 24 in the C# binding", e.Message);
        }
    }
}
