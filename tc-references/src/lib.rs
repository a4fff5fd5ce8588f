//! The reference tooling of tc-client: fetch a deployment's API references and schemas
//! (from a folder laid out like one, or over HTTP from its root URL) into a canonical
//! `references/` folder, pin their content in a lock file, check a folder against it,
//! and say what a bump changes at API level. `cargo xtask references` (tc-client's
//! workspace) and `tc references` (the CLI, for a user's own crate) both run it.
#![deny(missing_docs)]

pub mod canonical;
pub mod error;
pub mod lock;
pub mod reference_diff;
pub mod reference_set;
pub mod references;

pub use error::{Error, Result};
