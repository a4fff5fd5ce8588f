//! Why a fake could not start.

use std::path::PathBuf;

/// Why a fake could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FakeError {
    /// The reference set is missing or unreadable.
    #[error(
        "tc-fake cannot load the Taskcluster references at {}: {message} \
         (import them with `cargo xtask references import`)",
        .path.display()
    )]
    References {
        /// The folder that was read.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The listening socket could not be opened.
    #[error("tc-fake cannot listen on 127.0.0.1: {0}")]
    Bind(#[source] std::io::Error),
    /// The builder was given something unusable.
    #[error("tc-fake: {0}")]
    Invalid(String),
}
