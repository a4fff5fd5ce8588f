//! `cargo xtask references ...` in this workspace: tc-references' commands on the
//! workspace's own `references/` and `references.lock`, from `../shared` by default.

use std::path::{Path, PathBuf};

pub use tc_references::references::*;

use crate::error::{Error, Result};
use crate::reference_set::Source;

/// The workspace's own `references/` and `references.lock`.
pub fn workspace_layout() -> Layout {
    Layout::in_dir(&workspace_root())
}

/// The workspace root: the parent of xtask's manifest directory.
pub fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    let xtask = std::fs::canonicalize(xtask).unwrap_or_else(|_| xtask.to_path_buf());
    xtask
        .parent()
        .map_or_else(|| xtask.clone(), Path::to_path_buf)
}

/// The source when no `--from` is given: `<workspace>/../shared/taskcluster-api` when it
/// exists, else the deployment at `$TASKCLUSTER_ROOT_URL`.
pub fn default_source(workspace_root: &Path) -> Result<Source> {
    let shared = workspace_root.join("../shared/taskcluster-api");
    if shared.is_dir() {
        return Ok(Source::Dir(shared));
    }
    match std::env::var("TASKCLUSTER_ROOT_URL") {
        Ok(url) if !url.trim().is_empty() => Source::http(url.trim()),
        _ => Err(Error::msg(format!(
            "no reference source: pass `--from <dir|root-url>`, or set TASKCLUSTER_ROOT_URL, \
             or provide {}",
            shared.display()
        ))),
    }
}
