//! The commands of `tc`, one file each; `api`, `signed-url` and `listen` are built from
//! the command table, the others are written once.

pub mod api;
pub mod artifact;
pub mod creds;
pub mod group;
pub mod listen;
pub mod object;
pub mod progress;
pub mod references;
pub mod signed_url;
pub mod simple;
pub mod task;
