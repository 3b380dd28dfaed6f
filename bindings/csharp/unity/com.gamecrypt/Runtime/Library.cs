// First-use checks: the native library is found, and its version and size constants are the
// ones this binding was written for. Every public entry point that creates something calls
// Library.EnsureLoaded(); after the first success it is one static bool test.
using System;
using System.IO;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    public static class Library
    {
        private static volatile bool s_loaded;
        private static readonly object s_lock = new object();

        /// <summary>The native library's version string (gamecrypt_version()).</summary>
        public static string NativeVersion
        {
            get { EnsureLoaded(); return Marshal.PtrToStringAnsi(Native.gamecrypt_version()); }
        }

        /// <summary>The version this binding was written for.</summary>
        public static string ManagedVersion { get { return Constants.VersionString; } }

        /// <summary>Loads the library and checks it; throws DllNotFoundException naming the
        /// platform folder if it is missing, LibraryMismatchException if it does not match.</summary>
        public static void EnsureLoaded()
        {
            if (s_loaded) return;
            lock (s_lock)
            {
                if (s_loaded) return;
                CheckNative();
                s_loaded = true;
            }
        }

        private static void CheckNative()
        {
            uint number;
            try
            {
                number = Native.gamecrypt_version_number();
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException(MissingLibraryMessage(), e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new DllNotFoundException(MissingLibraryMessage() + " (a library was found but it is not gamecrypt)", e);
            }
            string native = Marshal.PtrToStringAnsi(Native.gamecrypt_version());
            if (number != Constants.VersionNumber || native != Constants.VersionString)
                throw new LibraryMismatchException("native gamecrypt " + native + " (" + number + ") does not match the C# binding "
                    + Constants.VersionString + " (" + Constants.VersionNumber + "): use the library and the binding of the same release");
            Same("GAMECRYPT_AEAD_KEY_LEN", (ulong)Native.gamecrypt_aead_key_len(), Constants.AeadKeyLen);
            Same("GAMECRYPT_AEAD_NONCE_LEN", (ulong)Native.gamecrypt_aead_nonce_len(), Constants.AeadNonceLen);
            Same("GAMECRYPT_AEAD_TAG_LEN", (ulong)Native.gamecrypt_aead_tag_len(), Constants.AeadTagLen);
            Same("GAMECRYPT_BOX_OVERHEAD", (ulong)Native.gamecrypt_box_overhead(), Constants.BoxOverhead);
            Same("GAMECRYPT_PASSWORD_BOX_OVERHEAD", (ulong)Native.gamecrypt_password_box_overhead(), Constants.PasswordBoxOverhead);
            Same("GAMECRYPT_PASSWORD_SALT_LEN", (ulong)Native.gamecrypt_password_salt_len(), Constants.PasswordSaltLen);
            Same("GAMECRYPT_PASSWORD_BOX_MAX_ITERATIONS", Native.gamecrypt_password_box_max_iterations(), Constants.PasswordBoxMaxIterations);
            Same("GAMECRYPT_FINGERPRINT_LEN", (ulong)Native.gamecrypt_public_key_fingerprint_len(), Constants.FingerprintLen);
            Same("GAMECRYPT_P256_PUBLIC_KEY_LEN", (ulong)Native.gamecrypt_public_key_raw_len(KeyType.EcdsaP256), Constants.P256PublicKeyLen);
            Same("GAMECRYPT_P384_PUBLIC_KEY_LEN", (ulong)Native.gamecrypt_public_key_raw_len(KeyType.EcdsaP384), Constants.P384PublicKeyLen);
            Same("GAMECRYPT_ED25519_PUBLIC_KEY_LEN", (ulong)Native.gamecrypt_public_key_raw_len(KeyType.Ed25519), Constants.Ed25519PublicKeyLen);
            Same("GAMECRYPT_P256_COMPRESSED_PUBLIC_KEY_LEN", (ulong)Native.gamecrypt_public_key_raw_compressed_len(KeyType.EcdsaP256), Constants.P256CompressedPublicKeyLen);
            Same("GAMECRYPT_P384_COMPRESSED_PUBLIC_KEY_LEN", (ulong)Native.gamecrypt_public_key_raw_compressed_len(KeyType.EcdsaP384), Constants.P384CompressedPublicKeyLen);
            Same("GAMECRYPT_ED25519_SIGNATURE_LEN", (ulong)Native.gamecrypt_signature_max_len(KeyType.Ed25519, SignatureFormat.Default), Constants.Ed25519SignatureLen);
            Same("GAMECRYPT_P256_FIXED_SIGNATURE_LEN", (ulong)Native.gamecrypt_signature_max_len(KeyType.EcdsaP256, SignatureFormat.EcdsaFixed), Constants.P256FixedSignatureLen);
            Same("GAMECRYPT_P384_FIXED_SIGNATURE_LEN", (ulong)Native.gamecrypt_signature_max_len(KeyType.EcdsaP384, SignatureFormat.EcdsaFixed), Constants.P384FixedSignatureLen);
            Same("GAMECRYPT_P256_MAX_DER_SIGNATURE_LEN", (ulong)Native.gamecrypt_signature_max_len(KeyType.EcdsaP256, SignatureFormat.EcdsaDer), Constants.P256MaxDerSignatureLen);
            Same("GAMECRYPT_P384_MAX_DER_SIGNATURE_LEN", (ulong)Native.gamecrypt_signature_max_len(KeyType.EcdsaP384, SignatureFormat.EcdsaDer), Constants.P384MaxDerSignatureLen);
            Same("GAMECRYPT_MAX_SIGNATURE_LEN", (ulong)Native.gamecrypt_signature_max_len_any(), Constants.MaxSignatureLen);
            Same("GAMECRYPT_SHA256_LEN", (ulong)Native.gamecrypt_hash_len(HashAlgorithm.Sha256), Constants.Sha256Len);
            Same("GAMECRYPT_SHA384_LEN", (ulong)Native.gamecrypt_hash_len(HashAlgorithm.Sha384), Constants.Sha384Len);
            Same("GAMECRYPT_SHA512_LEN", (ulong)Native.gamecrypt_hash_len(HashAlgorithm.Sha512), Constants.Sha512Len);
            Same("GAMECRYPT_PBKDF2_RECOMMENDED_ITERATIONS", Native.gamecrypt_pbkdf2_recommended_iterations(), Constants.Pbkdf2RecommendedIterations);
            Same("GAMECRYPT_PACKET_OVERHEAD", (ulong)Native.gamecrypt_packet_overhead(), Constants.PacketOverhead);
            Same("GAMECRYPT_PACKET_MAX_PAYLOAD_LEN", (ulong)Native.gamecrypt_packet_max_payload_len(), Constants.PacketMaxPayloadLen);
            Same("GAMECRYPT_SESSION_MAX_HANDSHAKE_LEN", (ulong)Native.gamecrypt_session_max_handshake_len(), Constants.SessionMaxHandshakeLen);
            Same("GAMECRYPT_SESSION_FINGERPRINT_LEN", (ulong)Native.gamecrypt_session_fingerprint_len(), Constants.SessionFingerprintLen);
            Same("GAMECRYPT_CERTIFICATE_MAX_LEN", (ulong)Native.gamecrypt_certificate_max_len(), Constants.CertificateMaxLen);
            Same("GAMECRYPT_RETRY_LEN", (ulong)Native.gamecrypt_retry_len(), Constants.RetryLen);
            Same("GAMECRYPT_RETRY_SECRET_LEN", (ulong)Native.gamecrypt_retry_secret_len(), Constants.RetrySecretLen);
            Same("GAMECRYPT_CLIENT_ADDRESS_MAX_LEN", (ulong)Native.gamecrypt_client_address_max_len(), Constants.ClientAddressMaxLen);
            Same("GAMECRYPT_CLIENT_TOKEN_MAX_LEN", (ulong)Native.gamecrypt_client_token_max_len(), Constants.ClientTokenMaxLen);
        }

        internal static void Same(string name, ulong native, int managed)
        {
            if (native != (ulong)managed)
                throw new LibraryMismatchException(name + " is " + native + " in the native library but " + managed
                    + " in the C# binding: use the library and the binding of the same release");
        }

        /// <summary>Where the native library belongs for the running platform (Unity package layout).</summary>
        public static string PlatformFolder
        {
            get
            {
#if UNITY_ANDROID && !UNITY_EDITOR
                return IntPtr.Size == 8 ? "Plugins/Android/arm64-v8a/libgamecrypt.so (or x86_64)" : "Plugins/Android/armeabi-v7a/libgamecrypt.so";
#elif UNITY_IOS && !UNITY_EDITOR
                return "Plugins/iOS/libgamecrypt.a (linked statically)";
#else
                if (Environment.OSVersion.Platform == PlatformID.Win32NT) return "Plugins/Windows/x86_64/gamecrypt.dll";
                if (Environment.OSVersion.Platform == PlatformID.MacOSX || Directory.Exists("/System/Library/CoreServices"))
                    return "Plugins/macOS/libgamecrypt.dylib";
                return "Plugins/Linux/x86_64/libgamecrypt.so";
#endif
            }
        }

        internal static string MissingLibraryMessage()
        {
            return "the gamecrypt native library was not found: it belongs in the package's " + PlatformFolder
                + " (outside Unity: next to the executable or on the library path, e.g. LD_LIBRARY_PATH); "
                + "build it with `cargo build --release --lib`";
        }
    }
}
