//! C ABI for the aead module (in progress).
