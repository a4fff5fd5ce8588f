//! What answers an entry: the request a handler gets, the answer it gives,
//! and the traits a user's test implements to answer entries the fake does
//! not model ([`Handler`] for one entry, [`Service`] for a whole service).

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use tc_codegen::reference::ApiEntry;

use crate::authentication::caller::Caller;
use crate::error::ApiError;

/// One routed, authenticated request.
#[derive(Debug)]
pub struct Request<'a> {
    /// Service name (`queue`).
    pub service: &'a str,
    /// The API entry it matched.
    pub entry: &'a ApiEntry,
    /// Path arguments, percent-decoded.
    pub args: BTreeMap<String, String>,
    /// Query arguments, percent-decoded.
    pub query: BTreeMap<String, String>,
    /// The JSON body (already validated against the input schema).
    pub body: Option<Value>,
    /// Who is calling.
    pub caller: &'a Caller,
    /// The fake's root URL (for URLs in answers).
    pub root_url: &'a str,
}

impl Request<'_> {
    /// The path argument `name` (400 `InputError` when the route has none).
    ///
    /// # Errors
    ///
    /// When the entry's route has no such argument.
    pub fn arg(&self, name: &str) -> Result<&str, ApiError> {
        self.args
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| ApiError::input(format!("missing path argument `{name}`")))
    }

    /// The request body as a JSON object (400 `InputError` when there is none).
    ///
    /// # Errors
    ///
    /// When the request has no body, or one that is not an object.
    pub fn body_object(&self) -> Result<&Map<String, Value>, ApiError> {
        match &self.body {
            Some(Value::Object(map)) => Ok(map),
            _ => Err(ApiError::input("a JSON object body is required")),
        }
    }
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A JSON body with status 200 (validated against the output schema).
    Json(Value),
    /// 200 with `{}` (entries without output).
    Empty,
    /// A 303 to `location`, with a JSON body (validated like `Json`).
    Redirect {
        /// The `Location` header.
        location: String,
        /// The body.
        body: Value,
        /// More headers (`x-taskcluster-artifact-storage-type`, ...).
        headers: Vec<(String, String)>,
    },
    /// An answer in a shape of its own, sent as it is (not checked against
    /// the output schema): the queue's 424 for an error artifact, whose body
    /// is `{reason, message}` rather than Taskcluster's error shape.
    Status {
        /// The HTTP status.
        status: u16,
        /// The JSON body.
        body: Value,
        /// More headers.
        headers: Vec<(String, String)>,
    },
}

/// The answer of one entry the fake does not model, registered by name with
/// [`TcFakeBuilder::handle`](crate::TcFakeBuilder::handle). Requests reach
/// it routed, authenticated, scope-checked and validated; its answer is
/// checked against the entry's output schema.
///
/// Any `Fn(&Request) -> Result<Response, ApiError>` is a handler whose scope
/// parameters are [`default_scope_params`].
pub trait Handler: Send + Sync {
    /// The parameters the entry's scope expression is evaluated with. The
    /// default is the path arguments plus the body's top-level fields.
    fn scope_params(&self, request: &Request<'_>) -> Map<String, Value> {
        default_scope_params(request)
    }

    /// Answers a request.
    ///
    /// # Errors
    ///
    /// The error answer to send (Taskcluster's error shape).
    fn handle(&self, request: &Request<'_>) -> Result<Response, ApiError>;
}

impl<F> Handler for F
where
    F: Fn(&Request<'_>) -> Result<Response, ApiError> + Send + Sync,
{
    fn handle(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        self(request)
    }
}

/// A whole service the fake has no state for, given with
/// [`TcFakeBuilder::service`](crate::TcFakeBuilder::service). Entries it
/// does not know answer 501.
pub trait Service: Send + Sync {
    /// The parameters the entry's scope expression is evaluated with. The
    /// default is the path arguments plus the body's top-level fields.
    fn scope_params(&self, request: &Request<'_>) -> Map<String, Value> {
        default_scope_params(request)
    }

    /// Handles a request; `None` when the fake does not implement the entry.
    fn handle(&self, request: &Request<'_>) -> Option<Result<Response, ApiError>>;
}

/// Path arguments and the body's top-level fields, for scope expressions.
pub fn default_scope_params(request: &Request<'_>) -> Map<String, Value> {
    let mut params = Map::new();
    if let Some(Value::Object(body)) = &request.body {
        for (key, value) in body {
            params.insert(key.clone(), value.clone());
        }
    }
    for (key, value) in &request.args {
        params.insert(key.clone(), Value::String(value.clone()));
    }
    params
}
