//! Project tasks of tc-client, run as `cargo xtask <task>` (see `main.rs`).

pub mod bench;
pub mod codegen_report;
pub mod expand;
pub mod references;

// The reference tooling lives in tc-references (tc-cli runs it too); its modules keep
// their paths here.
pub use tc_references::{Error, Result, canonical, error, lock, reference_diff, reference_set};
