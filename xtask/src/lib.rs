//! Project tasks of tc-client, run as `cargo xtask <task>` (see `main.rs`).

pub mod error;
pub mod lock;
pub mod reference_set;
pub mod references;

pub use error::{Error, Result};
