//! C ABI for the keys module (in progress).
