#!/bin/sh
# Regenerates the key fixtures of the unit tests in src/keys.rs with the openssl CLI (3.x).
# The fixtures are independent references: gamecrypt never wrote any of them.
set -eu
cd "$(dirname "$0")"
msg=message.txt
printf 'gamecrypt fixture message\n' > $msg

# Private keys as openssl writes them.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.pkcs8.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.pkcs8.pem
openssl genpkey -algorithm ED25519 -out ed25519.pkcs8.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.pkcs8.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pkcs8.pem
openssl ec -in p256.pkcs8.pem -out p256.sec1.pem
openssl ec -in p384.pkcs8.pem -out p384.sec1.pem
openssl ec -in p256.sec1.pem -no_public -out p256.sec1-nopub.pem
openssl ec -in p256.sec1.pem -param_enc explicit -out p256.sec1-explicit.pem
openssl rsa -in rsa2048.pkcs8.pem -traditional -out rsa2048.pkcs1.pem
# DER forms. Note: `openssl pkey -outform DER` writes the traditional form, not PKCS#8.
openssl pkcs8 -topk8 -nocrypt -in p256.pkcs8.pem -outform DER -out p256.pkcs8.der
openssl ec -in p256.sec1.pem -outform DER -out p256.sec1.der
openssl ec -in p384.sec1.pem -outform DER -out p384.sec1.der
openssl rsa -in rsa2048.pkcs1.pem -traditional -outform DER -out rsa2048.pkcs1.der
openssl pkcs8 -topk8 -nocrypt -in rsa2048.pkcs8.pem -outform DER -out rsa2048.pkcs8.der
openssl pkcs8 -topk8 -nocrypt -in ed25519.pkcs8.pem -outform DER -out ed25519.pkcs8.der
# Encrypted keys (must be refused).
openssl pkcs8 -topk8 -in p256.pkcs8.pem -v2 aes-256-cbc -passout pass:fixture -out p256.encrypted.pem
openssl ec -in p256.sec1.pem -aes128 -passout pass:fixture -out p256.sec1-encrypted.pem
# Keys of algorithms gamecrypt does not support.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out secp256k1.pkcs8.pem
openssl ec -in secp256k1.pkcs8.pem -out secp256k1.sec1.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out p521.pkcs8.pem
openssl genpkey -algorithm X25519 -out x25519.pkcs8.pem
openssl pkey -in secp256k1.pkcs8.pem -pubout -out secp256k1.spki.pem
openssl pkey -in x25519.pkcs8.pem -pubout -out x25519.spki.pem

# Public keys.
for k in p256 p384 ed25519 rsa2048 rsa1024; do
  openssl pkey -in $k.pkcs8.pem -pubout -out $k.spki.pem
  openssl pkey -in $k.pkcs8.pem -pubout -outform DER -out $k.spki.der
  openssl dgst -sha256 -binary -out $k.fingerprint.bin $k.spki.der
done
openssl ec -in p256.sec1.pem -pubout -conv_form compressed -outform DER -out p256.spki-compressed.der
openssl ec -in p384.sec1.pem -pubout -conv_form compressed -outform DER -out p384.spki-compressed.der
openssl rsa -in rsa2048.pkcs8.pem -RSAPublicKey_out -out rsa2048.pkcs1-public.pem

# Signatures over message.txt.
openssl dgst -sha256 -sign p256.pkcs8.pem -out p256.sig.der $msg
openssl dgst -sha384 -sign p384.pkcs8.pem -out p384.sig.der $msg
openssl dgst -sha256 -sign rsa2048.pkcs8.pem -out rsa2048.sig.pkcs1 $msg
openssl dgst -sha256 -sign rsa2048.pkcs8.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -out rsa2048.sig.pss $msg
openssl pkeyutl -sign -rawin -inkey ed25519.pkcs8.pem -in $msg -out ed25519.sig

# ed25519.rfc8410-v2.pem is not generated: it is the PKCS#8 v2 (OneAsymmetricKey) example of
# RFC 8410 section 10.3, with attributes and the public key 19bf4409...66e1.
