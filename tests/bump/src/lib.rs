//! The gizmos service of the bump test, generated as tc-client generates a service, at
//! each version of its made-up reference set (`fixtures/gizmos-<version>.fixture.json`):
//! `v2` adds to `v1` what a Taskcluster release may add (an optional request field, a
//! response field, a string-enum value, a tagged-union variant, a query argument, a
//! method, an exchange), and `v2_required` makes the optional `color` of a request
//! required.
//!
//! The user's code (`user.rs`, written against v1) lives in other crates, as a user's
//! does: `tests/bump.rs` compiles it against `v1` and `v2` and runs it against tc-fake,
//! and the `tc-bump-required` package beside this one compiles it against `v2_required`,
//! where it must fail.
#![deny(missing_docs)]

/// Generated from `fixtures/gizmos-v1.fixture.json`.
pub mod v1 {
    tc_macros::taskcluster_service!("gizmos", references = "$OUT_DIR/v1");
}

/// Generated from `fixtures/gizmos-v2.fixture.json`.
pub mod v2 {
    tc_macros::taskcluster_service!("gizmos", references = "$OUT_DIR/v2");
}

/// Generated from `fixtures/gizmos-v2-required.fixture.json`.
pub mod v2_required {
    tc_macros::taskcluster_service!("gizmos", references = "$OUT_DIR/v2-required");
}
