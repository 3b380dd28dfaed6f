// Save games sealed with the player's password. The slot name is the associated data, so a
// save copied into another slot does not open. Engine-independent: tested by NUnit.
using System;
using System.IO;
using GameCrypt;

namespace GameCrypt.Demo
{
    public sealed class SaveGameStore
    {
        private readonly string _directory;
        private readonly uint _iterations;

        /// <param name="iterations">PBKDF2 iterations; Pbkdf2.RecommendedIterations for real saves.</param>
        public SaveGameStore(string directory, uint iterations)
        {
            if (directory == null) throw new ArgumentNullException("directory");
            _directory = directory;
            _iterations = iterations;
            Directory.CreateDirectory(directory);
        }

        public string PathOf(string slot)
        {
            foreach (char c in slot)
                if (!char.IsLetterOrDigit(c) && c != '-' && c != '_') throw new ArgumentException("slot names are letters, digits, - and _", "slot");
            return Path.Combine(_directory, slot + ".save");
        }

        /// <summary>Seals and writes a save (slow on purpose: PBKDF2; call it off the main thread).</summary>
        public void Save(string slot, string password, byte[] data)
        {
            byte[] box = PasswordBox.Seal(Aead.Aes256Gcm, System.Text.Encoding.UTF8.GetBytes(password), _iterations, data, System.Text.Encoding.UTF8.GetBytes(slot));
            string path = PathOf(slot), tmp = path + ".tmp";
            File.WriteAllBytes(tmp, box);
            if (File.Exists(path)) File.Delete(path);
            File.Move(tmp, path);
        }

        /// <summary>Reads and opens a save: false with the reason for a wrong password, a save of
        /// another slot or a damaged file (OpenFailed, BoxMalformed...), or a missing file (NullArgument).</summary>
        public bool TryLoad(string slot, string password, out byte[] data, out ResultCode reason)
        {
            string path = PathOf(slot);
            data = null;
            if (!File.Exists(path))
            {
                reason = ResultCode.NullArgument;
                return false;
            }
            data = PasswordBox.TryOpen(System.Text.Encoding.UTF8.GetBytes(password), File.ReadAllBytes(path), System.Text.Encoding.UTF8.GetBytes(slot), out reason);
            return data != null;
        }
    }
}
