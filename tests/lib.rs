//! Integration tests of tc-client; the tests live in `tests/tests/`.
