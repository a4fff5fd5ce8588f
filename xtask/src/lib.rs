//! Project tasks of tc-client, run as `cargo xtask <task>` (see `main.rs`).

pub mod bench;
pub mod canonical;
pub mod codegen_report;
pub mod error;
pub mod expand;
pub mod lock;
pub mod reference_diff;
pub mod reference_set;
pub mod references;

pub use error::{Error, Result};
