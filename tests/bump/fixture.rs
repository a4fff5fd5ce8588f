//! The gizmos reference sets of the bump test, each stored as one file,
//! `tests/bump/fixtures/gizmos-<version>.fixture.json` (`{"files": {"<path>":
//! <JSON>, ...}}`), and written out as a reference folder where a build
//! script or a test needs one (the project tracks no JSON under a
//! `references/` folder). Included with `#[path]` by tc-bump's build
//! script, tc-bump's tests and xtask's diff test.

use std::path::Path;

/// Writes the fixture `version` (`v1`, `v2`, `v2-required`) of the folder
/// `fixtures` (`tests/bump/fixtures`) as a reference folder at `dest`,
/// replacing what is there.
pub fn write_fixture(fixtures: &Path, version: &str, dest: &Path) -> Result<(), String> {
    let source = fixtures.join(format!("gizmos-{version}.fixture.json"));
    let text = std::fs::read_to_string(&source)
        .map_err(|e| format!("reading {}: {e}", source.display()))?;
    let fixture: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", source.display()))?;
    let files = fixture["files"]
        .as_object()
        .ok_or_else(|| format!("{}: no `files` object", source.display()))?;
    if dest.exists() {
        std::fs::remove_dir_all(dest).map_err(|e| format!("removing {}: {e}", dest.display()))?;
    }
    for (path, document) in files {
        let file = dest.join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(document).map_err(|e| e.to_string())?;
        std::fs::write(&file, text).map_err(|e| format!("writing {}: {e}", file.display()))?;
    }
    Ok(())
}
