//! `tc references import|update|check|diff [--from <dir|root-url>] [--to DIR]`: the
//! reference tooling of tc-client's workspace (tc-references, which `cargo xtask
//! references` runs too), for a crate that generates a deployment of its own with
//! `tc_macros::taskcluster_service!(.., references = "DIR")`.
//!
//! The references go to `DIR` (default `references`) and their lock to `DIR.lock`
//! beside it; commit the lock, not the folder.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use tc_references::reference_set::Source;
use tc_references::references::{self, Layout};

use crate::failure::Failure;
use crate::output;
use crate::settings::Settings;

/// `tc references ...`.
#[derive(Debug, Subcommand)]
pub enum ReferencesCommand {
    /// Fetch the references into DIR, checked against DIR.lock (written on the first import)
    Import(Where),
    /// Fetch the references into DIR and rewrite DIR.lock from them (a deliberate bump)
    Update(Where),
    /// Check DIR against DIR.lock
    Check {
        /// The references folder
        #[arg(long, default_value = "references")]
        to: PathBuf,
    },
    /// What fetching again would change at API level, and which changes break code
    Diff(Where),
}

/// Where references come from and go.
#[derive(Debug, Args)]
pub struct Where {
    /// A folder laid out like a deployment (`references/`, `schemas/`) or a root URL;
    /// the deployment of --root-url or TASKCLUSTER_ROOT_URL without it
    #[arg(long)]
    from: Option<String>,
    /// The references folder
    #[arg(long, default_value = "references")]
    to: PathBuf,
}

/// The folder `to` and its lock, `to` with `.lock` added, beside it.
fn layout(to: &Path) -> Layout {
    let mut lock = to.as_os_str().to_owned();
    lock.push(".lock");
    Layout {
        references_dir: to.to_path_buf(),
        lock_file: PathBuf::from(lock),
    }
}

fn source(from: Option<&str>, settings: &Settings) -> Result<Source, Failure> {
    let from = from
        .map(str::to_owned)
        .or_else(|| settings.root_url.clone())
        .or_else(|| {
            std::env::var("TASKCLUSTER_ROOT_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
        })
        .ok_or_else(|| {
            Failure::Usage(
                "no reference source: give --from <dir|root-url>, --root-url or TASKCLUSTER_ROOT_URL"
                    .to_owned(),
            )
        })?;
    Source::parse(from.trim()).map_err(|e| Failure::Usage(e.to_string()))
}

fn failed(error: tc_references::Error) -> Failure {
    Failure::Other(error.to_string())
}

/// Runs `tc references ...`.
pub async fn run(command: &ReferencesCommand, settings: &Settings) -> Result<(), Failure> {
    match command {
        ReferencesCommand::Import(place) => {
            let layout = layout(&place.to);
            let source = source(place.from.as_deref(), settings)?;
            if !layout.lock_file.exists() {
                // The first import has no lock to check against: it writes one.
                let summary = references::update(&layout, &source).await.map_err(failed)?;
                return output::line(&format!(
                    "imported {} files from {} into {}; wrote {} (commit it)",
                    summary.files,
                    summary.from,
                    layout.references_dir.display(),
                    layout.lock_file.display()
                ));
            }
            let summary = references::import(&layout, &source).await.map_err(failed)?;
            output::line(&format!(
                "imported {} files from {} into {} (matches {})",
                summary.files,
                summary.from,
                layout.references_dir.display(),
                layout.lock_file.display()
            ))
        }
        ReferencesCommand::Update(place) => {
            let layout = layout(&place.to);
            let source = source(place.from.as_deref(), settings)?;
            let summary = references::update(&layout, &source).await.map_err(failed)?;
            let changes = summary.changes.unwrap_or_default();
            output::line(&format!(
                "updated {}: {} files from {} ({} added, {} removed, {} changed); imported into {}",
                layout.lock_file.display(),
                summary.files,
                summary.from,
                changes.added,
                changes.removed,
                changes.changed,
                layout.references_dir.display()
            ))
        }
        ReferencesCommand::Check { to } => {
            let layout = layout(to);
            let files = references::check(&layout).map_err(failed)?;
            output::line(&format!(
                "{} matches {} ({files} files)",
                layout.references_dir.display(),
                layout.lock_file.display()
            ))
        }
        ReferencesCommand::Diff(place) => {
            let layout = layout(&place.to);
            let source = source(place.from.as_deref(), settings)?;
            let changes = references::diff(&layout, &source).await.map_err(failed)?;
            output::line(tc_references::reference_diff::render(&changes).trim_end())
        }
    }
}
