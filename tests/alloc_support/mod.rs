//! A counting global allocator for the allocation tests (tests/session_alloc.rs,
//! tests/endpoint_alloc.rs, tests/sec_handshake_alloc.rs, tests/sec_memory.rs):
//! `mod alloc_support;` installs it for the test crate. It counts the allocations made on
//! this thread inside [`count_allocations`] / [`counted`], and always tracks the bytes this
//! thread has requested and not yet freed ([`live_bytes`]).
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<u64> = const { Cell::new(0) };
    /// Bytes requested and not yet freed by this thread.
    static LIVE: Cell<i64> = const { Cell::new(0) };
}

fn count_one() {
    if COUNTING.with(|c| c.get()) {
        COUNT.with(|n| n.set(n.get() + 1));
    }
}

fn add_live(bytes: i64) {
    LIVE.with(|n| n.set(n.get() + bytes));
}

// SAFETY: forwards to the system allocator; only counts calls made on this thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        add_live(layout.size() as i64);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add_live(-(layout.size() as i64));
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        add_live(new_size as i64 - layout.size() as i64);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What `f` returns, and the allocations (and reallocations) it makes on this thread.
pub fn counted<T>(f: impl FnOnce() -> T) -> (T, u64) {
    COUNT.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    (r, COUNT.with(|n| n.get()))
}

/// The allocations (and reallocations) `f` makes on this thread.
pub fn count_allocations(f: impl FnOnce()) -> u64 {
    counted(f).1
}

/// The Rust heap bytes this thread has requested and not yet freed (a running balance: take
/// differences).
pub fn live_bytes() -> i64 {
    LIVE.with(|n| n.get())
}
