/*
 * Baseline of the C# benchmark: the same seal + open of one packet as the C# loop, called
 * directly through the C ABI in a C loop, on the same sessions, in the same process.
 */
#include "gamecrypt.h"

#include <stddef.h>
#include <stdint.h>

uint32_t gc_bench_seal_open(const gamecrypt_session *tx, const gamecrypt_session *rx, const uint8_t *msg,
                            size_t msg_len, uint8_t *packet, size_t packet_cap, uint8_t *plain, size_t plain_cap,
                            int32_t count) {
    for (int32_t i = 0; i < count; i++) {
        size_t n = 0, m = 0;
        gamecrypt_result rc = gamecrypt_session_seal(tx, msg, msg_len, packet, packet_cap, &n);
        if (rc != GAMECRYPT_RESULT_OK) return (uint32_t)rc;
        rc = gamecrypt_session_open(rx, packet, n, plain, plain_cap, &m);
        if (rc != GAMECRYPT_RESULT_OK) return (uint32_t)rc;
    }
    return 0;
}
