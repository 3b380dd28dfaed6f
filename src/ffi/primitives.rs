//! C ABI for the primitives module (in progress).
