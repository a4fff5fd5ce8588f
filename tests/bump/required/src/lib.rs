//! See `tests/required.rs`.
