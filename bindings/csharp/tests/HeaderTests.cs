// The C# side against include/gamecrypt.h: every code, enum value and constant, both ways; every
// exported function has exactly one DllImport; every public method is exercised by some test.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using GameCrypt;
using NUnit.Framework;

namespace GameCrypt.Tests
{
    [TestFixture]
    public class HeaderTests
    {
        // C# enum -> the header prefix of its values (after GAMECRYPT_, without underscores).
        private static readonly Dictionary<Type, string> EnumPrefix = new Dictionary<Type, string>
        {
            { typeof(ResultCode), "RESULT" },
            { typeof(Aead), "AEAD" },
            { typeof(KeyType), "KEYTYPE" },
            { typeof(SignatureFormat), "SIGNATURE" },
            { typeof(HashAlgorithm), "HASH" },
            { typeof(Suite), "SUITE" },
            { typeof(SessionMode), "SESSIONMODE" },
            { typeof(SessionState), "SESSIONSTATE" },
            { typeof(ClientAuthMode), "CLIENTAUTH" },
            { typeof(RetryAction), "RETRYACTION" },
            { typeof(EndpointEventKind), "ENDPOINTEVENT" },
            { typeof(EndpointCloseReason), "ENDPOINTCLOSE" },
            { typeof(EndpointPeerState), "ENDPOINTPEER" },
        };

        private static string Normalize(string headerName)
        {
            return headerName.Substring("GAMECRYPT_".Length).Replace("_", "");
        }

        /// <summary>Every numeric GAMECRYPT_* macro and gamecrypt_result value, by normalized name.</summary>
        private static Dictionary<string, ulong> HeaderNumbers(out string versionString)
        {
            string text = File.ReadAllText(Repo.Header);
            var numbers = new Dictionary<string, ulong>();
            foreach (Match m in Regex.Matches(text, @"^#define (GAMECRYPT_\w+) (\d+|UINT64_MAX)\s*$", RegexOptions.Multiline))
                numbers.Add(Normalize(m.Groups[1].Value), m.Groups[2].Value == "UINT64_MAX" ? ulong.MaxValue : ulong.Parse(m.Groups[2].Value));
            foreach (Match m in Regex.Matches(text, @"^\s+(GAMECRYPT_RESULT_\w+) = (\d+),", RegexOptions.Multiline))
                numbers.Add(Normalize(m.Groups[1].Value), ulong.Parse(m.Groups[2].Value));
            versionString = Regex.Match(text, "#define GAMECRYPT_VERSION_STRING \"([^\"]+)\"").Groups[1].Value;
            Assert.Greater(numbers.Count, 100, "the header parser found too little");
            return numbers;
        }

        private static Dictionary<string, ulong> ManagedNumbers()
        {
            var managed = new Dictionary<string, ulong>();
            foreach (var kv in EnumPrefix)
                foreach (object v in Enum.GetValues(kv.Key))
                    managed.Add(kv.Value + Enum.GetName(kv.Key, v).ToUpperInvariant(), Convert.ToUInt64(v));
            foreach (FieldInfo f in typeof(Constants).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (!f.IsLiteral || f.Name == "VersionNumber") continue; // VersionNumber: the number gamecrypt_version_number() returns
                if (f.FieldType == typeof(int)) managed.Add(f.Name.ToUpperInvariant(), (ulong)(int)f.GetRawConstantValue());
                else if (f.FieldType == typeof(ulong)) managed.Add(f.Name.ToUpperInvariant(), (ulong)f.GetRawConstantValue());
            }
            return managed;
        }

        [Test]
        public void EveryResultCodeEnumValueAndConstantMatchesTheHeader()
        {
            string version;
            Dictionary<string, ulong> header = HeaderNumbers(out version);
            Dictionary<string, ulong> managed = ManagedNumbers();
            var problems = new List<string>();
            foreach (var kv in managed)
            {
                ulong h;
                if (!header.TryGetValue(kv.Key, out h)) problems.Add("C# " + kv.Key + " is not in the header");
                else if (h != kv.Value) problems.Add(kv.Key + ": C# " + kv.Value + ", header " + h);
            }
            foreach (var kv in header)
                if (!managed.ContainsKey(kv.Key)) problems.Add("header GAMECRYPT_" + kv.Key + " (normalized) has no C# definition");
            Assert.IsEmpty(problems, string.Join("\n", problems.ToArray()));
            Assert.AreEqual(version, Constants.VersionString);
        }

        [Test]
        public void ResultCodesAreTheSixtyOrSoOfTheHeaderAndEachHasALibraryMessage()
        {
            foreach (ResultCode code in Enum.GetValues(typeof(ResultCode)))
            {
                string msg = GameCryptException.Describe(code);
                Assert.IsNotEmpty(msg);
                Assert.AreNotEqual("unknown gamecrypt result code", msg, code.ToString());
            }
            Assert.AreEqual("unknown gamecrypt result code", GameCryptException.Describe((ResultCode)99999));
        }

        [Test]
        public void EveryHeaderFunctionHasExactlyOneDllImport()
        {
            string text = File.ReadAllText(Repo.Header);
            var header = new HashSet<string>();
            foreach (Match m in Regex.Matches(text, @"^[a-z][\w\s\*]*?\b(gamecrypt_\w+)\(", RegexOptions.Multiline))
                if (!m.Groups[1].Value.StartsWith("gamecrypt_testing_")) header.Add(m.Groups[1].Value);
            Assert.Greater(header.Count, 100);
            var imports = typeof(Native).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
                .Where(m => m.GetCustomAttributes(typeof(DllImportAttribute), false).Length > 0)
                .Select(m => m.Name).ToList();
            Assert.AreEqual(imports.Count, imports.Distinct().Count(), "a function is imported twice");
            var missing = header.Except(imports).ToList();
            var extra = imports.Except(header).ToList();
            Assert.IsEmpty(missing, "not imported: " + string.Join(", ", missing.ToArray()));
            Assert.IsEmpty(extra, "imported but not in the header: " + string.Join(", ", extra.ToArray()));
            foreach (MethodInfo m in typeof(Native).GetMethods(BindingFlags.NonPublic | BindingFlags.Static))
            {
                var attr = (DllImportAttribute)m.GetCustomAttributes(typeof(DllImportAttribute), false).FirstOrDefault();
                if (attr == null) continue;
                Assert.AreEqual(CallingConvention.Cdecl, attr.CallingConvention, m.Name);
                foreach (ParameterInfo p in m.GetParameters())
                    Assert.IsFalse(p.ParameterType.Name.StartsWith("Span") || p.ParameterType.Name.StartsWith("ReadOnlySpan") || p.ParameterType == typeof(string),
                        m.Name + " has a Span or string parameter");
                Assert.AreNotEqual(typeof(string), m.ReturnType, m.Name + " returns string (Mono would free the static C string)");
            }
        }

        [Test]
        public void EveryPublicMethodAndPropertyIsUsedByATest()
        {
            string tests = string.Join("\n", Directory.GetFiles(Path.Combine(Repo.CsharpDir, "tests"), "*.cs").Select(File.ReadAllText).ToArray());
            var unused = new List<string>();
            foreach (Type t in typeof(Session).Assembly.GetExportedTypes())
            {
                if (t.IsEnum || typeof(Delegate).IsAssignableFrom(t)) continue;
                foreach (MemberInfo m in t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    string name;
                    if (m is MethodInfo && !((MethodInfo)m).IsSpecialName) name = "\\." + m.Name + "\\b";
                    else if (m is PropertyInfo) name = "\\." + m.Name + "\\b";
                    else if (m is ConstructorInfo) name = "new " + t.Name + "\\b";
                    else continue;
                    if (t == typeof(Constants) || m.Name == "ToString") continue;
                    if (!Regex.IsMatch(tests, name)) unused.Add(t.Name + "." + m.Name);
                }
            }
            Assert.IsEmpty(unused.Distinct().ToList(), "public members no test uses: " + string.Join(", ", unused.Distinct().ToArray()));
        }
    }
}
