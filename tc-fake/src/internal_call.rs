//! Calls from one fake service to another, as a Taskcluster service calls
//! another over HTTP (the hooks service creating a task in the queue).
//!
//! A call runs the same scope check, input validation (with defaults),
//! handler and output check as a request over HTTP, for a [`Caller`] the
//! calling service chooses; it is not counted in
//! [`TcFake::requests`](crate::TcFake::requests) and faults are not injected
//! into it.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::authentication::caller::Caller;
use crate::error::ApiError;
use crate::service::Response;

/// The fake deployment as one service sees the others.
pub(crate) trait Deployment: Send + Sync {
    /// Calls `service.entry` with these path arguments and body as `caller`.
    fn call(
        &self,
        service: &str,
        entry: &str,
        args: BTreeMap<String, String>,
        body: Option<Value>,
        caller: &Caller,
    ) -> Result<Response, ApiError>;

    /// Expands scopes through the deployment's roles.
    fn expand(&self, scopes: &[String]) -> Vec<String>;
}
