//! Memory prefetch hints for [`super::Endpoint::receive_batch`]: while one datagram is
//! processed, the peer-table entries and the peers of the next ones are fetched into the
//! cache, so that at many peers their cache misses overlap instead of following one another.
//!
//! A prefetch reads nothing the program sees and never faults (on any address), so this
//! function is safe to call with any reference; its two `unsafe` blocks (the intrinsic calls)
//! are the only ones of the core outside `ffi`. On targets other than x86_64 it does nothing.
#![allow(unsafe_code)]

/// Starts loading the cache lines of `*value` (a hint; no effect on results).
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let start = value as *const T as *const i8;
        let size = std::mem::size_of::<T>();
        // One address in each 64-byte line the value covers (a loop of constant length,
        // unrolled): every 64th byte from its start, and its last byte (which is in a line of
        // its own when the value does not start a line; else a repeat, which costs nothing).
        let mut offset = 0;
        while offset < size {
            // SAFETY: `prefetcht0` is a hint: it does not fault on any address and has no
            // effect the program can observe; SSE is part of the x86_64 baseline.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(start.wrapping_add(offset)) };
            offset += 64;
        }
        if size > 0 {
            // SAFETY: as above.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(start.wrapping_add(size - 1)) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
