//! The secure session (in progress).
