//! C ABI for the session module (in progress).
