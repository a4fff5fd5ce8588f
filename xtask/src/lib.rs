//! Project tasks of tc-client, run as `cargo xtask <task>` (see `main.rs`).

pub mod bench_build;
pub mod bench_calls;
pub mod bench_pulse;
pub mod bench_transfer;
pub mod canonical;
pub mod codegen_report;
pub mod error;
pub mod expand;
pub mod lock;
pub mod reference_diff;
pub mod reference_set;
pub mod references;
pub mod tools;

pub use error::{Error, Result};
