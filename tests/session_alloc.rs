//! Once established, sealing and opening packets never allocate (Rust API and C ABI); key
//! boxes and raw AEAD open never allocate either.

use gamecrypt::ffi::gamecrypt_result as R;
use gamecrypt::ffi::session::{gamecrypt_session, gamecrypt_session_open, gamecrypt_session_seal};
use gamecrypt::keys::KeyType;
use gamecrypt::session::{Mode, Session, Suite};

mod session_support;

/// The suite that the default configurations of a `kt` key negotiate.
fn hybrid_suite(kt: KeyType) -> Suite {
    match kt {
        KeyType::EcdsaP256 => Suite::X25519MlKem768EcdsaP256Aes256GcmSha256,
        _ => Suite::X25519MlKem768Ed25519ChaCha20Poly1305Sha256,
    }
}
mod alloc_support;
use alloc_support::count_allocations;

#[test]
fn seal_and_open_do_not_allocate() {
    // The counter works.
    assert_eq!(
        count_allocations(|| drop(std::hint::black_box(vec![1u8; 10]))),
        1
    );
    for (kt, mode) in [
        (KeyType::EcdsaP256, Mode::Datagram),
        (KeyType::Ed25519, Mode::Stream),
    ] {
        // The default configurations of a key of this type negotiate its hybrid suite.
        let (c, s) = session_support::established_suite(hybrid_suite(kt), mode);

        let payload = [0x33u8; 1200];
        let mut packet = vec![0u8; 1300];
        let mut plain = vec![0u8; 1300];
        // Warm up (lazy one-time initialisation in the crypto library is not per packet).
        let n = c.seal(&payload, &mut packet).unwrap();
        s.open(&packet[..n], &mut plain).unwrap();
        let allocations = count_allocations(|| {
            for _ in 0..1000 {
                let n = c.seal(&payload, &mut packet).unwrap();
                let m = s.open(&packet[..n], &mut plain).unwrap();
                assert_eq!(m, payload.len());
                let n = s.seal(&payload[..17], &mut packet).unwrap();
                c.open(&packet[..n], &mut plain).unwrap();
                // In place: the payload is already at the header offset.
                packet[8..8 + payload.len()].copy_from_slice(&payload);
                let n = c.seal_in_place(&mut packet, payload.len()).unwrap();
                assert_eq!(s.open(&packet[..n], &mut plain), Ok(payload.len()));
            }
        });
        assert_eq!(allocations, 0, "{kt:?} {mode:?}");

        // The same through the C ABI.
        let cs = &c as *const Session as *const gamecrypt_session;
        let ss = &s as *const Session as *const gamecrypt_session;
        let allocations = count_allocations(|| {
            for _ in 0..1000 {
                let mut len = 0;
                // SAFETY: valid session pointers (a gamecrypt_session handle points at a
                // Session) and buffers.
                unsafe {
                    assert_eq!(
                        gamecrypt_session_seal(
                            cs,
                            payload.as_ptr(),
                            payload.len(),
                            packet.as_mut_ptr(),
                            packet.len(),
                            &mut len
                        ),
                        R::Ok
                    );
                    let plen = len;
                    assert_eq!(
                        gamecrypt_session_open(
                            ss,
                            packet.as_ptr(),
                            plen,
                            plain.as_mut_ptr(),
                            plain.len(),
                            &mut len
                        ),
                        R::Ok
                    );
                }
            }
        });
        assert_eq!(allocations, 0, "C ABI {kt:?} {mode:?}");
    }
}

/// Hybrid suites (default configurations) and sessions after key updates (in flight
/// across the update, old-phase packets included) seal and open without allocating; only
/// the key update itself may allocate.
#[test]
fn seal_and_open_do_not_allocate_after_key_updates_and_with_hybrid_suites() {
    for (kt, mode) in [
        (KeyType::EcdsaP256, Mode::Stream),
        (KeyType::Ed25519, Mode::Datagram),
    ] {
        // The default configurations of a key of this type negotiate its hybrid suite.
        let (c, s) = session_support::established_suite(hybrid_suite(kt), mode);
        assert!(c.suite().unwrap().is_post_quantum());

        let payload = [0x44u8; 1200];
        let mut packet = vec![0u8; 1300];
        let mut old = vec![0u8; 1300];
        let mut plain = vec![0u8; 1300];
        let n = s.seal(&payload, &mut packet).unwrap();
        c.open(&packet[..n], &mut plain).unwrap();
        for round in 0..3 {
            // A packet of the old generation stays in flight across the update.
            let old_len = s.seal(&payload, &mut old).unwrap();
            c.update_keys().unwrap();
            // Sealing the first packet under the new phase does not allocate ...
            let mut n = 0;
            let allocations = count_allocations(|| n = c.seal(&payload, &mut packet).unwrap());
            assert_eq!(allocations, 0, "first new-phase seal, round {round}");
            assert_eq!(packet[0] & 1, ((round + 1) & 1) as u8);
            // ... opening it makes the server follow (a key update, which may allocate).
            s.open(&packet[..n], &mut plain).unwrap();
            let allocations = count_allocations(|| {
                c.open(&old[..old_len], &mut plain).unwrap();
                for _ in 0..300 {
                    let n = c.seal(&payload, &mut packet).unwrap();
                    s.open(&packet[..n], &mut plain).unwrap();
                    let n = s.seal(&payload[..9], &mut packet).unwrap();
                    c.open(&packet[..n], &mut plain).unwrap();
                }
            });
            assert_eq!(allocations, 0, "{kt:?} {mode:?} round {round}");
        }
        assert_eq!(c.key_generation().unwrap(), 3);
    }
}

/// The next generation's receive keys are derived lazily (docs/PROTOCOL.md section 17.1)
/// and kept: the first packet with the other key phase may allocate (it derives them), a
/// flood of forged packets with that phase does not (one derivation, not one per packet).
#[test]
fn forged_other_phase_packets_derive_the_next_keys_once() {
    for kt in [KeyType::EcdsaP256, KeyType::Ed25519] {
        // The default configurations of a key of this type negotiate its hybrid suite.
        let (c, s) = session_support::established_suite(hybrid_suite(kt), Mode::Datagram);

        let mut plain = vec![0u8; 1300];
        let mut packet = vec![0u8; 1300];
        let n = c.seal(&[0x55u8; 1200], &mut packet).unwrap();
        s.open(&packet[..n], &mut plain).unwrap();
        let n = c.seal(&[0x55u8; 1200], &mut packet).unwrap();
        let mut forged = packet[..n].to_vec();
        forged[0] ^= 1; // the other key phase
        let first = count_allocations(|| {
            assert_eq!(
                s.open(&forged, &mut plain),
                Err(gamecrypt::Error::PacketAuthFailed)
            );
        });
        assert!(first > 0, "{kt:?}: the first one derives the next keys");
        let flood = count_allocations(|| {
            for i in 0..1000u32 {
                forged[8 + (i as usize % 1000)] ^= 1;
                assert_eq!(
                    s.open(&forged, &mut plain),
                    Err(gamecrypt::Error::PacketAuthFailed)
                );
            }
        });
        assert_eq!(flood, 0, "{kt:?}: the next keys are kept");
        // The genuine packet still opens; nothing changed.
        assert_eq!(s.open(&packet[..n], &mut plain), Ok(1200));
        assert_eq!(s.key_generation().unwrap(), 0);
    }
}

#[test]
fn key_boxes_and_raw_open_do_not_allocate() {
    use gamecrypt::aead::{AeadAlgorithm, AeadKey, BOX_OVERHEAD};
    use gamecrypt::ffi::aead::*;
    for alg in [AeadAlgorithm::Aes256Gcm, AeadAlgorithm::ChaCha20Poly1305] {
        let key = AeadKey::from_bytes(alg, &[7u8; 32]).unwrap();
        let pt = [0x5au8; 1200];
        let ad = b"save slot 3";
        let mut sealed = vec![0u8; pt.len() + BOX_OVERHEAD];
        let mut out = vec![0u8; pt.len()];
        let nonce = [9u8; 12];
        let mut raw = vec![0u8; pt.len() + 16];
        // Warm up (the RNG sets up its per-thread state on first use).
        key.seal_into(&pt, ad, &mut sealed).unwrap();
        let n = key
            .seal_with_nonce_dangerous_into(&nonce, ad, &pt, &mut raw)
            .unwrap();
        let allocs = count_allocations(|| {
            for _ in 0..10 {
                assert_eq!(key.seal_into(&pt, ad, &mut sealed), Ok(sealed.len()));
                assert_eq!(key.open_into(&sealed, ad, &mut out), Ok(pt.len()));
                assert_eq!(out, pt);
                assert_eq!(
                    key.open_with_nonce_into(&nonce, ad, &raw[..n], &mut out),
                    Ok(pt.len())
                );
                // Failures do not allocate either.
                assert!(key.open_into(&sealed, b"other", &mut out).is_err());
                assert!(key
                    .open_with_nonce_into(&[0u8; 12], ad, &raw[..n], &mut out)
                    .is_err());
            }
        });
        assert_eq!(allocs, 0, "{alg:?}");

        // The same through the C ABI.
        let alg_code = match alg {
            AeadAlgorithm::Aes256Gcm => GAMECRYPT_AEAD_AES_256_GCM,
            _ => GAMECRYPT_AEAD_CHACHA20_POLY1305,
        };
        let mut handle = std::ptr::null_mut();
        let key_bytes = [7u8; 32];
        unsafe {
            assert_eq!(
                gamecrypt_aead_key_from_bytes(alg_code, key_bytes.as_ptr(), 32, &mut handle),
                R::Ok
            );
        }
        let allocs = count_allocations(|| unsafe {
            for _ in 0..10 {
                let mut len = 0;
                assert_eq!(
                    gamecrypt_aead_key_seal(
                        handle,
                        pt.as_ptr(),
                        pt.len(),
                        ad.as_ptr(),
                        ad.len(),
                        sealed.as_mut_ptr(),
                        sealed.len(),
                        &mut len
                    ),
                    R::Ok
                );
                assert_eq!(
                    gamecrypt_aead_key_open(
                        handle,
                        sealed.as_ptr(),
                        sealed.len(),
                        ad.as_ptr(),
                        ad.len(),
                        out.as_mut_ptr(),
                        out.len(),
                        &mut len
                    ),
                    R::Ok
                );
                assert_eq!(
                    gamecrypt_aead_key_open_with_nonce(
                        handle,
                        nonce.as_ptr(),
                        nonce.len(),
                        ad.as_ptr(),
                        ad.len(),
                        raw.as_ptr(),
                        n,
                        out.as_mut_ptr(),
                        out.len(),
                        &mut len
                    ),
                    R::Ok
                );
                assert_eq!(len, pt.len());
            }
        });
        assert_eq!(allocs, 0, "{alg:?} through the C ABI");
        assert_eq!(out, pt);
        unsafe { gamecrypt_aead_key_free(handle) };
    }
}
