//! `cargo xtask references diff` on the bump test's gizmos reference sets
//! (`tests/bump/fixtures`): v2 adds what a Taskcluster release may add, and the
//! v2 that makes a request field required breaks callers.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use xtask::reference_diff::render;
use xtask::reference_set::Source;
use xtask::references::{self, Layout};

#[path = "../../tests/bump/fixture.rs"]
mod fixture;

/// The fixture `version` written out in a folder of its own under the test's
/// temporary folder.
fn fixture_dir(version: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bump/fixtures");
    let dest = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("xtask-diff")
        .join(format!("{version}-{}-{n}", std::process::id()));
    fixture::write_fixture(&fixtures, version, &dest).unwrap();
    dest
}

/// What `references diff --from <to>` prints with `from` imported.
async fn diff(from: &str, to: &str) -> String {
    let layout = Layout {
        references_dir: fixture_dir(from),
        lock_file: PathBuf::from("unused.lock"),
    };
    let changes = references::diff(&layout, &Source::Dir(fixture_dir(to)))
        .await
        .unwrap();
    render(&changes)
}

#[tokio::test]
async fn a_release_that_adds_breaks_no_caller() {
    let text = diff("v1", "v2").await;
    let expected = [
        "compatible      gizmos: method added (DELETE /gizmos/<gizmoId>)",
        "compatible      gizmos: exchange `gizmoRetired` added",
        "compatible      gizmos.listGizmos: query argument `state` added",
        "compatible      schemas/gizmos/v1/create-gizmo-request.json#/properties/color: optional field added",
        "compatible      schemas/gizmos/v1/gizmo.json#/properties/power: 1 `oneOf` alternative(s) added",
        "compatible      schemas/gizmos/v1/gizmo.json#/properties/state: enum value \"retired\" added",
        "compatible      schemas/gizmos/v1/gizmo.json#/properties/weight: required field added",
        "7 change(s), 0 of them break callers",
    ];
    for line in expected {
        assert!(text.contains(line), "`{line}` is not in:\n{text}");
    }
    assert_eq!(text.lines().count(), expected.len(), "{text}");
}

#[tokio::test]
async fn a_field_made_required_breaks_callers() {
    let text = diff("v2", "v2-required").await;
    assert_eq!(
        text,
        "BREAKS callers  schemas/gizmos/v1/create-gizmo-request.json#/properties/color: field made required\n\
         1 change(s), 1 of them break callers\n"
    );
    // And going back from v2 to v1 removes what v2 added.
    let back = diff("v2", "v1").await;
    assert!(
        back.contains("BREAKS callers  gizmos: method `deleteGizmo` removed"),
        "{back}"
    );
    assert!(
        back.contains("BREAKS callers  gizmos.listGizmos: query argument `state` removed"),
        "{back}"
    );
}
