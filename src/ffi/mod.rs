//! The C ABI: the only `unsafe extern "C"` code in gamecrypt.
//!
//! Every export is thin: it checks its pointers, turns them into safe Rust values with the
//! helpers below, calls the safe core, and writes its outputs only on success. Every body runs
//! inside [`ffi_result`] or [`panic_boundary`], so no panic ever unwinds into the engine.
//!
//! Conventions (see also the header comment in `cbindgen.toml`):
//! - Handles are opaque structs (`pub struct gamecrypt_x { _private: [u8; 0] }`, which cbindgen
//!   emits as an incomplete type) that point at a `Box` of the core type, via [`Handle`].
//! - Enumerations passed *in* from C are plain `uint32_t` typedefs with named constants, so that
//!   any integer a caller passes is safe to check; results passed *out* are `gamecrypt_result`.
//! - `(NULL, 0)` is an empty input buffer; `(NULL, n > 0)` is `NULL_ARGUMENT`.
//! - Output buffers are `(out, out_cap, out_len)`: too small gives `BUFFER_TOO_SMALL` with the
//!   needed length in `*out_len` and nothing else written. Outputs never overlap inputs.

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)] // documented per function in the header

use crate::error::{Error, Result};
use std::panic::{catch_unwind, AssertUnwindSafe};

// Declaration order is the order of the header (cbindgen reads the modules in this order).
pub mod aead;
pub mod certificate;
pub mod client_config;
pub mod endpoint;
pub mod keys;
pub mod primitives;
pub mod result;
pub mod server_config;
pub mod session;
pub mod version;

pub use result::gamecrypt_result;

/// Runs `f`, turning a panic into `on_panic`. For exports that do not return a result code.
pub(crate) fn panic_boundary<T>(on_panic: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(on_panic)
}

/// Runs a fallible export body behind the panic boundary and maps the outcome to a code.
/// Inlined into each export (one call less per packet on the seal/open path).
#[inline(always)]
pub(crate) fn ffi_result(f: impl FnOnce() -> Result<()>) -> gamecrypt_result {
    match catch_unwind(AssertUnwindSafe(|| {
        testing::maybe_panic();
        f()
    })) {
        Ok(Ok(())) => gamecrypt_result::Ok,
        Ok(Err(e)) => e.into(),
        Err(_) => gamecrypt_result::Panic,
    }
}

/// A C-visible opaque handle type and the Rust value behind it.
pub(crate) trait Handle: Sized {
    type Inner;

    /// Moves `inner` to the heap and gives the C caller a pointer to it.
    fn into_raw(inner: Self::Inner) -> *mut Self {
        Box::into_raw(Box::new(inner)).cast()
    }

    /// Borrows the value behind a handle; NULL is `NULL_ARGUMENT`.
    ///
    /// # Safety
    /// `ptr` is NULL or was returned by `into_raw` for this type and not freed yet.
    unsafe fn try_ref<'a>(ptr: *const Self) -> Result<&'a Self::Inner> {
        // SAFETY: by the caller's contract the pointer came from Box<Self::Inner>.
        unsafe { ptr.cast::<Self::Inner>().as_ref() }.ok_or(Error::NullArgument)
    }

    /// Mutably borrows the value behind a handle; NULL is `NULL_ARGUMENT`.
    ///
    /// # Safety
    /// As for `try_ref`, and no other reference to it is alive.
    unsafe fn try_mut<'a>(ptr: *mut Self) -> Result<&'a mut Self::Inner> {
        // SAFETY: as above.
        unsafe { ptr.cast::<Self::Inner>().as_mut() }.ok_or(Error::NullArgument)
    }

    /// Frees a handle; NULL is fine.
    ///
    /// # Safety
    /// `ptr` is NULL or was returned by `into_raw` for this type and not freed yet.
    unsafe fn free(ptr: *mut Self) {
        if !ptr.is_null() {
            // SAFETY: by the caller's contract the pointer came from Box::into_raw.
            drop(unsafe { Box::from_raw(ptr.cast::<Self::Inner>()) });
        }
    }
}

/// An input buffer (of bytes, or of `len` values of a C struct): `(NULL, 0)` is empty,
/// `(NULL, n > 0)` is `NULL_ARGUMENT`, a pointer not aligned for `T` is `INVALID_ARGUMENT`.
///
/// # Safety
/// A non-NULL `ptr` points at `len` readable values that stay valid for `'a`.
pub(crate) unsafe fn input<'a, T>(ptr: *const T, len: usize) -> Result<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::NullArgument);
    }
    if (ptr as usize) % std::mem::align_of::<T>() != 0 {
        return Err(Error::InvalidArgument);
    }
    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(Error::InvalidLength);
    }
    // SAFETY: non-NULL, length checked, validity by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// An input buffer and an output buffer `(out, cap, out_len)` that it must not overlap: the
/// same as [`input`] then [`OutBuf::new`], with one short test for the usual case (every
/// pointer non-NULL, both lengths at most `isize::MAX`, no overlap) before the checks one
/// by one. For the packet exports, where the checks are a noticeable part of the cost.
///
/// # Safety
/// As for [`input`] and [`OutBuf::new`].
#[inline(always)]
pub(crate) unsafe fn input_and_out<'a>(
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> Result<(&'a [u8], OutBuf<'a>)> {
    let (in_start, out_start) = (in_ptr as usize, out as usize);
    if !in_ptr.is_null()
        && !out.is_null()
        && !out_len.is_null()
        && (in_len | cap) <= isize::MAX as usize
        && (in_start.wrapping_add(in_len) <= out_start || out_start.wrapping_add(cap) <= in_start)
    {
        // SAFETY: non-NULL pointers, lengths checked, validity by the caller's contract; the
        // buffers do not overlap (an empty one at any address is fine).
        let (input, out_len) =
            unsafe { (std::slice::from_raw_parts(in_ptr, in_len), &mut *out_len) };
        return Ok((
            input,
            OutBuf {
                ptr: out,
                cap,
                out_len,
            },
        ));
    }
    // SAFETY: by the caller's contract.
    let input = unsafe { input(in_ptr, in_len) }?;
    // SAFETY: by the caller's contract.
    let out = unsafe { OutBuf::new(out, cap, out_len, &[input]) }?;
    Ok((input, out))
}

/// A NUL-terminated string input; NULL is `NULL_ARGUMENT`, bad UTF-8 is `INVALID_ARGUMENT`.
///
/// # Safety
/// A non-NULL `ptr` points at a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn input_str<'a>(ptr: *const std::os::raw::c_char) -> Result<&'a str> {
    if ptr.is_null() {
        return Err(Error::NullArgument);
    }
    // SAFETY: by the caller's contract.
    unsafe { std::ffi::CStr::from_ptr(ptr) }
        .to_str()
        .map_err(|_| Error::InvalidArgument)
}

/// A caller's output buffer `(out, out_cap, out_len)`.
pub(crate) struct OutBuf<'a> {
    ptr: *mut u8,
    cap: usize,
    out_len: &'a mut usize,
}

impl<'a> OutBuf<'a> {
    /// Checks the pointers of an output buffer. `out_len` is required; `out` may be NULL only
    /// when `out_cap` is 0 (a size query). `inputs` are the call's input buffers, which the
    /// output must not overlap.
    ///
    /// # Safety
    /// A non-NULL `ptr` points at `cap` writable bytes; a non-NULL `out_len` is writable.
    pub(crate) unsafe fn new(
        ptr: *mut u8,
        cap: usize,
        out_len: *mut usize,
        inputs: &[&[u8]],
    ) -> Result<OutBuf<'a>> {
        // SAFETY: by the caller's contract.
        let out_len = unsafe { out_len.as_mut() }.ok_or(Error::NullArgument)?;
        if cap > 0 && ptr.is_null() {
            return Err(Error::NullArgument);
        }
        if cap > isize::MAX as usize {
            return Err(Error::InvalidLength);
        }
        if cap > 0 {
            let (out_start, out_end) = (ptr as usize, ptr as usize + cap);
            for input in inputs.iter().filter(|i| !i.is_empty()) {
                let (in_start, in_end) = (
                    input.as_ptr() as usize,
                    input.as_ptr() as usize + input.len(),
                );
                if in_start < out_end && out_start < in_end {
                    return Err(Error::InvalidArgument);
                }
            }
        }
        Ok(OutBuf { ptr, cap, out_len })
    }

    /// Fails with `BUFFER_TOO_SMALL` (reporting `needed`) unless the buffer holds `needed` bytes.
    pub(crate) fn reserve(&mut self, needed: usize) -> Result<()> {
        if self.cap < needed {
            *self.out_len = needed;
            return Err(Error::BufferTooSmall);
        }
        Ok(())
    }

    /// Copies `data` into the buffer and sets `*out_len`, or reports the needed length.
    pub(crate) fn write(mut self, data: &[u8]) -> Result<()> {
        self.reserve(data.len())?;
        if !data.is_empty() {
            // SAFETY: reserve checked the capacity; new() checked the pointer and overlap.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr, data.len()) };
        }
        *self.out_len = data.len();
        Ok(())
    }

    /// Hands the whole buffer to the core, which makes every check in its own order: `f`
    /// returns how many bytes it wrote, which becomes `*out_len`. When `f` fails with
    /// `BufferTooSmall`, `needed()` is reported in `*out_len` (the core checked everything
    /// that comes before the buffer, so it is defined). Nothing else is written on failure.
    #[inline]
    pub(crate) fn fill(
        self,
        needed: impl FnOnce() -> usize,
        f: impl FnOnce(&mut [u8]) -> Result<usize>,
    ) -> Result<()> {
        let buf: &mut [u8] = if self.cap == 0 {
            &mut []
        } else {
            // SAFETY: new() checked the pointer, the capacity and the overlap.
            unsafe { std::slice::from_raw_parts_mut(self.ptr, self.cap) }
        };
        match f(buf) {
            Ok(written) => {
                debug_assert!(written <= self.cap);
                *self.out_len = written;
                Ok(())
            }
            Err(Error::BufferTooSmall) => {
                *self.out_len = needed();
                Err(Error::BufferTooSmall)
            }
            Err(e) => Err(e),
        }
    }

    /// Lets `f` fill at most `max_len` bytes of the buffer; `f` returns how many it wrote.
    /// Nothing is reported as written unless `f` succeeds.
    pub(crate) fn write_with(
        mut self,
        max_len: usize,
        f: impl FnOnce(&mut [u8]) -> Result<usize>,
    ) -> Result<()> {
        self.reserve(max_len)?;
        let buf: &mut [u8] = if max_len == 0 {
            &mut []
        } else {
            // SAFETY: reserve checked the capacity; new() checked the pointer and overlap.
            unsafe { std::slice::from_raw_parts_mut(self.ptr, max_len) }
        };
        let written = f(buf)?;
        debug_assert!(written <= max_len);
        *self.out_len = written;
        Ok(())
    }
}

/// A fixed-size output (a digest, a fingerprint): `out_len` must be at least `N`.
///
/// # Safety
/// A non-NULL `ptr` points at `cap` writable bytes.
pub(crate) unsafe fn write_fixed(ptr: *mut u8, cap: usize, data: &[u8]) -> Result<()> {
    if ptr.is_null() {
        return Err(Error::NullArgument);
    }
    if cap < data.len() {
        return Err(Error::BufferTooSmall);
    }
    // SAFETY: non-NULL and large enough by the checks above.
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), ptr, data.len()) };
    Ok(())
}

/// Checks an out-pointer for a value (a new handle, a flag) before any work is done.
///
/// # Safety
/// A non-NULL `ptr` is writable.
pub(crate) unsafe fn out_ptr<'a, T>(ptr: *mut T) -> Result<&'a mut T> {
    // SAFETY: by the caller's contract.
    unsafe { ptr.as_mut() }.ok_or(Error::NullArgument)
}

/// Fault injection for the panic-boundary tests; compiled only with the `testing` feature.
pub mod testing {
    #[cfg(feature = "testing")]
    use std::sync::atomic::{AtomicBool, Ordering};

    #[cfg(feature = "testing")]
    static PANIC_NEXT: AtomicBool = AtomicBool::new(false);

    /// Testing builds only: makes the next fallible gamecrypt call panic inside its body, to
    /// prove that the panic is caught and reported as `GAMECRYPT_RESULT_PANIC`.
    #[cfg(feature = "testing")]
    #[no_mangle]
    pub extern "C" fn gamecrypt_testing_panic_next_call() {
        PANIC_NEXT.store(true, Ordering::SeqCst);
    }

    #[inline]
    pub(crate) fn maybe_panic() {
        #[cfg(feature = "testing")]
        if PANIC_NEXT.swap(false, Ordering::SeqCst) {
            panic!("gamecrypt testing: injected panic");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `input` of bytes and of C structs: (NULL, 0) is empty, NULL with a length is
    /// NULL_ARGUMENT, a misaligned struct pointer INVALID_ARGUMENT, a length whose bytes pass
    /// `isize::MAX` INVALID_LENGTH.
    #[test]
    fn input_checks_null_alignment_and_length() {
        let words = [7u64; 4];
        let base = words.as_ptr();
        // SAFETY: every pointer below is either rejected or points at readable values.
        unsafe {
            assert_eq!(input(base, 4).map(<[u64]>::len), Ok(4));
            assert_eq!(input::<u64>(std::ptr::null(), 0).map(<[u64]>::len), Ok(0));
            assert_eq!(
                input::<u64>(std::ptr::null(), 1).err(),
                Some(Error::NullArgument)
            );
            let odd = (base as *const u8).wrapping_add(1) as *const u64;
            assert_eq!(input(odd, 1).err(), Some(Error::InvalidArgument));
            assert_eq!(
                input(base, usize::MAX / 8).err(),
                Some(Error::InvalidLength)
            );
            let bytes = [1u8, 2, 3];
            assert_eq!(input(bytes.as_ptr().wrapping_add(1), 2), Ok(&bytes[1..]));
        }
    }
}
