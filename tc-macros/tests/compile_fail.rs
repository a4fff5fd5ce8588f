//! The macro's diagnostics, pinned: each `tests/ui/*.rs` invokes
//! `taskcluster_service!` on a fixture of `tc-codegen/tests/fixtures/` that
//! cannot generate, and its `.stderr` holds the expected error. After a
//! deliberate change of a message, rewrite them with
//! `TRYBUILD=overwrite cargo test -p tc-macros --test compile_fail` and review.
//!
//! The test first lays out the fixtures at `<target>/tmp/tc-fixtures/<name>/`
//! (`fixture_set::materialize`). trybuild compiles the ui files in a crate of
//! its own at `<target>/tests/trybuild/tc-macros/`, which is the
//! `CARGO_MANIFEST_DIR` the macro resolves `references = "..."` against; the
//! ui files climb from there to `<target>` (`../../../tmp/tc-fixtures/<name>`).
//! The `.stderr` files show those paths below `$WORKSPACE/target`, so they
//! hold while the target directory is the workspace's `target/`; with another
//! one (a `CARGO_TARGET_DIR` elsewhere) the test says so and checks nothing.

use std::path::{Path, PathBuf};

#[path = "../../tc-codegen/tests/fixture_set/mod.rs"]
mod fixture_set;

/// Whether this test runs from `<workspace>/target`.
fn target_is_in_workspace() -> bool {
    let workspace_target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let (Ok(expected), Ok(exe)) = (
        workspace_target.canonicalize(),
        std::env::current_exe().and_then(|p| p.canonicalize()),
    ) else {
        return false;
    };
    exe.ancestors().any(|dir| dir == expected)
}

#[test]
fn diagnostics_are_pinned() {
    if !target_is_in_workspace() {
        eprintln!(
            "skipped: the expected diagnostics show paths below <workspace>/target, \
             and this build uses another target directory"
        );
        return;
    }
    for fixture in [
        "widgets",
        "bad-json",
        "bad-ref",
        "bad-ref-file",
        "missing-file",
    ] {
        fixture_set::materialize(fixture);
    }
    let ui = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let cases = trybuild::TestCases::new();
    for case in [
        "missing_references",
        "missing_file",
        "bad_json",
        "unknown_service",
        "bad_ref",
        "bad_ref_file",
    ] {
        cases.compile_fail(ui.join(format!("{case}.rs")));
    }
}
