//! What the integration tests of tc-client, tc-fake and the tests crate share, written
//! once: generated clients pointed at a [`tc_fake::TcFake`], credentials, the task
//! definition of the tests, a task with a claimed run, test data, API errors taken
//! apart and the broker check of the Pulse tests.
//!
//! A dev-dependency only (`publish = false`): it panics where a test would fail.

pub mod broker;
pub mod client;
pub mod data;
pub mod errors;
pub mod json;
pub mod task;

pub use broker::broker_available;
pub use client::{
    client, client_with, credentials_of, install_crypto_provider, nothing_public, quick_retries,
    root, root_credentials,
};
pub use data::{data, fill, hex};
pub use errors::{ApiFailure, api_failure};
pub use json::{object, plain, typed};
pub use task::{ClaimedTask, Worker, artifacts_task, claimed_task, task_definition};
