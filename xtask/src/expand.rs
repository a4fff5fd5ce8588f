//! `cargo xtask expand <service>` and `cargo xtask expand --schema <file>`: the formatted
//! expansion of one `taskcluster_service!` or `taskcluster_schema!`, for reading.

use std::path::Path;

use crate::error::{Context, Error, Result};

/// What to expand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A service of the manifest (`queue`), as `taskcluster_service!("queue")` expands it.
    Service(String),
    /// A schema file relative to `schemas/` (`generic-worker/multiuser_posix.json`), as
    /// `taskcluster_schema!` expands it.
    Schema(String),
}

impl Target {
    /// `taskcluster_service!("queue")` or `taskcluster_schema!("…")`.
    pub fn describe(&self) -> String {
        match self {
            Target::Service(s) => format!("taskcluster_service!({s:?})"),
            Target::Schema(s) => format!("taskcluster_schema!({s:?})"),
        }
    }
}

/// The formatted Rust source that `target` expands to, generated from the references in
/// `references` (a folder holding `references/` and `schemas/`). Errors are the engine's
/// messages.
pub fn expand(references: &Path, target: &Target) -> Result<String> {
    let generated = match target {
        Target::Service(service) => tc_codegen::generate_service(references, service),
        Target::Schema(schema) => tc_codegen::generate_schema(references, schema),
    }
    .map_err(|e| Error::msg(e.to_string()))?;
    tc_codegen::pretty(&generated.tokens).map_err(|e| Error::msg(e.to_string()))
}

/// Writes `source` to `out`, creating its folder if needed.
pub fn write(out: &Path, source: &str) -> Result<()> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(out, source).context(|| format!("writing {}", out.display()))
}
