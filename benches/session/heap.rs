//! Heap accounting (part of the session benchmark harness, see main.rs).

use super::*;

/// Counting is on only while this is set (never inside timed code).
pub(crate) static TRACK: AtomicBool = AtomicBool::new(false);

/// One set of heap counters.
pub(crate) struct Counters {
    /// Allocation calls (alloc, alloc_zeroed, realloc; malloc, calloc, realloc, memalign...).
    pub(crate) allocs: AtomicU64,
    /// Free calls.
    pub(crate) frees: AtomicU64,
    /// Live blocks (allocations minus frees).
    pub(crate) blocks: AtomicI64,
    /// Live bytes as glibc charges them: usable size of the block + its 8-byte chunk header.
    pub(crate) chunk_bytes: AtomicI64,
    /// Live bytes as requested by the caller (Rust only; the C side does not know it at free).
    pub(crate) requested: AtomicI64,
}

impl Counters {
    pub(crate) const fn new() -> Counters {
        Counters {
            allocs: AtomicU64::new(0),
            frees: AtomicU64::new(0),
            blocks: AtomicI64::new(0),
            chunk_bytes: AtomicI64::new(0),
            requested: AtomicI64::new(0),
        }
    }

    pub(crate) fn snapshot(&self) -> Snap {
        Snap {
            allocs: self.allocs.load(Relaxed) as i64,
            frees: self.frees.load(Relaxed) as i64,
            blocks: self.blocks.load(Relaxed),
            chunk_bytes: self.chunk_bytes.load(Relaxed),
            requested: self.requested.load(Relaxed),
        }
    }

    /// # Safety
    /// `ptr` is NULL or a live glibc heap block.
    pub(crate) unsafe fn added(&self, ptr: *mut c_void, requested: usize) {
        if ptr.is_null() || !TRACK.load(Relaxed) {
            return;
        }
        self.allocs.fetch_add(1, Relaxed);
        self.blocks.fetch_add(1, Relaxed);
        // SAFETY: a live block returned by glibc (caller's contract).
        let usable = unsafe { usable_size(ptr) };
        self.chunk_bytes.fetch_add(usable as i64 + 8, Relaxed);
        self.requested.fetch_add(requested as i64, Relaxed);
    }

    /// # Safety
    /// `ptr` is NULL or a live glibc heap block about to be freed.
    pub(crate) unsafe fn removed(&self, ptr: *mut c_void, requested: usize) {
        if ptr.is_null() || !TRACK.load(Relaxed) {
            return;
        }
        self.frees.fetch_add(1, Relaxed);
        self.blocks.fetch_sub(1, Relaxed);
        // SAFETY: a live block (caller's contract).
        let usable = unsafe { usable_size(ptr) };
        self.chunk_bytes.fetch_sub(usable as i64 + 8, Relaxed);
        self.requested.fetch_sub(requested as i64, Relaxed);
    }
}

/// Difference-friendly copy of a `Counters`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Snap {
    pub(crate) allocs: i64,
    pub(crate) frees: i64,
    pub(crate) blocks: i64,
    pub(crate) chunk_bytes: i64,
    pub(crate) requested: i64,
}

impl std::ops::Sub for Snap {
    type Output = Snap;
    fn sub(self, o: Snap) -> Snap {
        Snap {
            allocs: self.allocs - o.allocs,
            frees: self.frees - o.frees,
            blocks: self.blocks - o.blocks,
            chunk_bytes: self.chunk_bytes - o.chunk_bytes,
            requested: self.requested - o.requested,
        }
    }
}

/// Every Rust heap operation (through the global allocator).
pub(crate) static RUST: Counters = Counters::new();
/// Every C heap operation of the process (Rust's `System` allocator also calls `malloc`).
pub(crate) static ALL: Counters = Counters::new();

/// The counting global allocator: `System` plus the `RUST` counters.
pub(crate) struct CountingAlloc;

// SAFETY: every method forwards to `System` unchanged; the counters only observe.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        // SAFETY: `p` is NULL or a fresh glibc block (System uses malloc/posix_memalign).
        unsafe { RUST.added(p.cast(), layout.size()) };
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        // SAFETY: as in `alloc`.
        unsafe { RUST.added(p.cast(), layout.size()) };
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is live until the call below.
        unsafe { RUST.removed(ptr.cast(), layout.size()) };
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` is live until the call below.
        unsafe { RUST.removed(ptr.cast(), layout.size()) };
        // Counted as one free + one allocation; undo the free count so that `allocs`
        // counts calls and `frees` only real frees.
        if TRACK.load(Relaxed) {
            RUST.frees.fetch_sub(1, Relaxed);
        }
        // SAFETY: forwarded unchanged.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            // The old block is still there.
            // SAFETY: `ptr` is still live.
            unsafe { RUST.added(ptr.cast(), layout.size()) };
            if TRACK.load(Relaxed) {
                RUST.allocs.fetch_sub(1, Relaxed);
            }
        } else {
            // SAFETY: a fresh glibc block.
            unsafe { RUST.added(p.cast(), new_size) };
        }
        p
    }
}

#[global_allocator]
pub(crate) static GLOBAL: CountingAlloc = CountingAlloc;

/// The usable size glibc gave a block (0 where that cannot be asked).
///
/// # Safety
/// `ptr` is a live heap block.
pub(crate) unsafe fn usable_size(ptr: *mut c_void) -> usize {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: a live block (the caller's contract).
        unsafe { libc::malloc_usable_size(ptr) }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        let _ = ptr;
        0
    }
}

/// Whether the C heap (aws-lc's allocations) is counted: only with glibc, whose allocator the
/// interposer below forwards to. Elsewhere the "all" and `mallinfo2` columns stay 0.
pub(crate) const C_HEAP_COUNTED: bool = cfg!(all(target_os = "linux", target_env = "gnu"));

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod interposer {
    // The C heap interposer. An executable that defines `malloc` and friends replaces glibc's for
    // the whole process (glibc supports this, see "Replacing malloc" in its manual); these
    // forward to glibc's own implementation, exported as `__libc_*`, so behaviour is unchanged.
    use super::{ALL, TRACK};
    use std::os::raw::c_void;
    use std::sync::atomic::Ordering::Relaxed;

    extern "C" {
        fn __libc_malloc(size: usize) -> *mut c_void;
        fn __libc_calloc(n: usize, size: usize) -> *mut c_void;
        fn __libc_realloc(ptr: *mut c_void, size: usize) -> *mut c_void;
        fn __libc_free(ptr: *mut c_void);
        fn __libc_memalign(align: usize, size: usize) -> *mut c_void;
    }

    /// Interposed `malloc` (counts into `ALL`).
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
        // SAFETY: glibc's malloc.
        let p = unsafe { __libc_malloc(size) };
        // SAFETY: NULL or a fresh block.
        unsafe { ALL.added(p, size) };
        p
    }

    /// Interposed `calloc`.
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn calloc(n: usize, size: usize) -> *mut c_void {
        // SAFETY: glibc's calloc.
        let p = unsafe { __libc_calloc(n, size) };
        // SAFETY: NULL or a fresh block.
        unsafe { ALL.added(p, n.saturating_mul(size)) };
        p
    }

    /// Interposed `realloc` (a free of the old block plus an allocation of the new one).
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
        let tracking = TRACK.load(Relaxed);
        let old_usable = if ptr.is_null() || !tracking {
            0
        } else {
            // SAFETY: `ptr` is a live block (the caller's contract for realloc).
            unsafe { libc::malloc_usable_size(ptr) }
        };
        // SAFETY: glibc's realloc.
        let p = unsafe { __libc_realloc(ptr, size) };
        if !tracking || (p.is_null() && size != 0) {
            return p; // failed: the old block is unchanged
        }
        if !ptr.is_null() {
            ALL.frees.fetch_add(1, Relaxed);
            ALL.blocks.fetch_sub(1, Relaxed);
            ALL.chunk_bytes.fetch_sub(old_usable as i64 + 8, Relaxed);
        }
        // SAFETY: NULL (realloc(ptr, 0) freed the block) or a live block.
        unsafe { ALL.added(p, size) };
        p
    }

    /// Interposed `free`.
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn free(ptr: *mut c_void) {
        // SAFETY: `ptr` is NULL or live (the caller's contract for free).
        unsafe { ALL.removed(ptr, 0) };
        // SAFETY: glibc's free.
        unsafe { __libc_free(ptr) }
    }

    /// Interposed `posix_memalign` (Rust's `System` uses it for alignments above 16).
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn posix_memalign(
        out: *mut *mut c_void,
        align: usize,
        size: usize,
    ) -> i32 {
        if align < std::mem::size_of::<usize>() || !align.is_power_of_two() {
            return libc::EINVAL;
        }
        // SAFETY: glibc's memalign with a valid alignment.
        let p = unsafe { __libc_memalign(align, size) };
        if p.is_null() {
            return libc::ENOMEM;
        }
        // SAFETY: a fresh block.
        unsafe { ALL.added(p, size) };
        // SAFETY: `out` is writable (the caller's contract for posix_memalign).
        unsafe { *out = p };
        0
    }

    /// Interposed `aligned_alloc`.
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn aligned_alloc(align: usize, size: usize) -> *mut c_void {
        // SAFETY: glibc's memalign.
        let p = unsafe { __libc_memalign(align, size) };
        // SAFETY: NULL or a fresh block.
        unsafe { ALL.added(p, size) };
        p
    }

    /// Interposed `memalign`.
    ///
    /// # Safety
    /// The contract of the C function of the same name.
    #[no_mangle]
    pub unsafe extern "C" fn memalign(align: usize, size: usize) -> *mut c_void {
        // SAFETY: glibc's memalign.
        let p = unsafe { __libc_memalign(align, size) };
        // SAFETY: NULL or a fresh block.
        unsafe { ALL.added(p, size) };
        p
    }
}

/// Rust, all-heap and glibc (`mallinfo2`: in-use bytes of every arena plus mmapped blocks)
/// views of the heap at one moment.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Heap {
    pub(crate) rust: Snap,
    pub(crate) all: Snap,
    pub(crate) mallinfo: i64,
}

impl std::ops::Sub for Heap {
    type Output = Heap;
    fn sub(self, o: Heap) -> Heap {
        Heap {
            rust: self.rust - o.rust,
            all: self.all - o.all,
            mallinfo: self.mallinfo - o.mallinfo,
        }
    }
}

pub(crate) fn heap() -> Heap {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    let mallinfo = {
        // SAFETY: mallinfo2 has no preconditions.
        let mi = unsafe { libc::mallinfo2() };
        (mi.uordblks + mi.hblkhd) as i64
    };
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let mallinfo = 0;
    Heap {
        rust: RUST.snapshot(),
        all: ALL.snapshot(),
        mallinfo,
    }
}
