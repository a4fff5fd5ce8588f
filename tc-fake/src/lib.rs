//! An in-process fake Taskcluster deployment for tests and examples.
//!
//! `tc_fake::start().await?` serves every service of the API references that
//! tc-client is generated from, on `http://127.0.0.1:<port>`, on the caller's
//! tokio runtime:
//!
//! - every entry is routed (`/api/<service>/<version>/<route>`); unknown routes
//!   and methods answer 404 in Taskcluster's error shape;
//! - requests are Hawk-verified (bewits on GET too) against the fake's clients
//!   and their role-expanded scopes, and checked against the entry's scope
//!   expression (403 `InsufficientScopes`);
//! - request bodies are validated against the entry's input schema (400
//!   `InputValidationError`), with the schema's defaults filled in, and the
//!   fake's own answers against the output schema;
//! - `ping`, `lbheartbeat`, `version` and `heartbeat` answer for every service;
//!   auth, queue, object, secrets, index and hooks (its triggers render the
//!   JSON-e template into a queue task created as the hook's role) keep real
//!   state; everything else answers 501 `NotImplemented`, unless a test
//!   answers the entry itself ([`TcFakeBuilder::handle`], behind the same
//!   Hawk, scope and schema checks);
//! - object data and the data of `s3` artifacts are kept on disk, in a
//!   temporary directory removed when the fake is dropped
//!   ([`TcFake::data_dir`]), and move through data URLs on the fake (see
//!   below);
//! - faults can be injected per entry ([`TcFake::fail_next`],
//!   [`TcFake::drop_connection_next`], [`TcFake::delay_next`]), data URLs
//!   included, downloads can be corrupted ([`TcFake::corrupt_next_download`]),
//!   and requests are counted ([`TcFake::requests`]).
//!
//! The server stops when the [`TcFake`] is dropped.
//!
//! # Using it in your tests
//!
//! Add tc-fake as a dev-dependency next to tc-client, and start one fake per
//! test, inside the test's tokio runtime (`#[tokio::test]`; the default
//! current-thread flavor is enough). Every fake has its own port, state and
//! temporary directory, so tests run in parallel without seeing each other.
//! It has one client from the start, [`ROOT_CLIENT_ID`] with scope `*`
//! ([`TcFake::root_credentials`]); [`TcFake::builder`] adds clients with the
//! scopes your code should have, and roles, so that a missing scope fails
//! the test as it would fail in production.
//!
//! Point the code under test at [`TcFake::root_url`] (as `TASKCLUSTER_ROOT_URL`,
//! or through a client's `new` / `builder`), run it, then check what it did:
//! through the services' own read methods, [`TcFake::requests`] for how many
//! calls (and retries) an entry received, and [`TcFake::on_queue_event`] for
//! the Pulse messages the queue would have published.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use tc_client::queue::{Queue, State, TaskDefinitionRequest};
//! use tc_client::secrets::Secrets;
//! use tc_client::{Credentials, Time};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // In a #[tokio::test]:
//! let tc = tc_fake::TcFake::builder()
//!     .client("project/ci", "ci-access-token-0123456789", ["assume:project:ci"])
//!     .role("project:ci", ["queue:*", "secrets:get:project/ci/*"])
//!     .start()
//!     .await?;
//! let credentials = Credentials::new("project/ci", "ci-access-token-0123456789");
//! let queue = Queue::new(Some(credentials.clone()), tc.root_url())?;
//! let secrets = Secrets::new(Some(credentials), tc.root_url())?;
//!
//! // Scopes are checked as the deployment checks them.
//! let refused = secrets.get("project/other/password").await.unwrap_err();
//! assert_eq!(refused.code(), Some("InsufficientScopes"));
//!
//! // Record the Pulse messages of the queue instead of publishing them.
//! let exchanges = Arc::new(Mutex::new(Vec::new()));
//! let sink = exchanges.clone();
//! tc.on_queue_event(move |exchange, _routing_key, _cc, _message| {
//!     if let Ok(mut seen) = sink.lock() {
//!         seen.push(exchange.to_owned());
//!     }
//! });
//!
//! // Queue, index, auth, secrets and objects keep state.
//! let task: TaskDefinitionRequest = serde_json::from_value(serde_json::json!({
//!     "created": Time::now(),
//!     "deadline": Time::from_now("1 hour")?,
//!     "taskQueueId": "proj-example/ci",
//!     "payload": {},
//!     "metadata": {
//!         "name": "test task", "description": "made by a test",
//!         "owner": "ci@example.com", "source": "https://example.com/repo",
//!     },
//! }))?;
//! let task_id = tc_client::slugid::nice();
//! queue.create_task(&task_id, &task).await?;
//! assert_eq!(queue.status(&task_id).await?.status.state, State::Pending);
//!
//! // A flaky deployment: two 500s, which the client retries through.
//! tc.fail_next("queue", "status", 2, 500);
//! queue.status(&task_id).await?;
//! assert_eq!(tc.requests("queue", "status"), 4); // 1 + (2 failed + 1)
//!
//! let exchanges = exchanges.lock().map_err(|_| "a recording callback panicked")?;
//! assert!(exchanges.contains(&"exchange/taskcluster-queue/v1/task-pending".to_owned()));
//! # Ok(()) }
//! ```
//!
//! Entries are named as in the references (`"createTask"`, not
//! `create_task`). Without any setup, `tc_fake::start()` is enough:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), tc_fake::FakeError> {
//! let tc = tc_fake::start().await?;
//! let (client_id, access_token) = tc.root_credentials(); // scope `*`
//! assert_eq!(client_id, tc_fake::ROOT_CLIENT_ID);
//! assert!(tc.root_url().starts_with("http://127.0.0.1:"));
//! # let _ = access_token;
//! # Ok(()) }
//! ```
//!
//! The fake reads the reference set it was built beside (imported with
//! `cargo xtask references import`); [`TcFakeBuilder::references`] serves
//! another. [`TcFakeBuilder::amqp_url`] publishes the queue's messages to a
//! real RabbitMQ, for tests of Pulse consumers.
//!
//! # Objects and artifacts
//!
//! The object service negotiates uploads (`dataInline`, preferred when
//! offered, or `putUrl`) and downloads (`getUrl`, preferred, with the hashes
//! recorded at `createUpload`/`finishUpload`, or `simple`). Its URLs point at
//! the fake itself, like pre-signed S3 URLs:
//!
//! - `PUT <root>/__tc_fake/objects/put/<token>` takes the data, with the
//!   headers the `putUrl` answer lists (`Content-Type` and `Content-Length`);
//!   valid 45 minutes and until `finishUpload`;
//! - `GET <root>/__tc_fake/objects/get/<token>` serves it with its
//!   `Content-Type` and `Content-Length` (a single `Range` answers 206).
//!
//! Queue artifacts of storage type `object` work as in Taskcluster:
//! `createArtifact` answers the object's `name` (`t/<taskId>/<runId>/<name>`),
//! `projectId` (the task's), `uploadId`, `expires` and temporary
//! `credentials` holding `object:upload:<projectId>:<name>`; the caller
//! uploads with those (same `uploadId`, `projectId` and `expires`), then
//! calls `finishArtifact` with the `uploadId`. `getArtifact` answers 303 to
//! the object's data URL (body `{storageType, url}`); `artifact` answers
//! `{storageType: "object", name, credentials}` (`object:download:<name>`,
//! one hour). Storage type `s3` answers a `putUrl` (on the fake, with the
//! artifact's `contentType`) and `getArtifact` redirects to the data.
//!
//! Data URLs count as the pseudo-entries `__put` and `__get` of their
//! service: `("object", "__put")` and `("object", "__get")` for objects,
//! `("queue", "__put")` and `("queue", "__get")` for `s3` artifacts, for
//! [`TcFake::fail_next`], [`TcFake::drop_connection_next`],
//! [`TcFake::delay_next`] and [`TcFake::requests`].
//!
//! # Order of the checks, and where the fake is stricter than Taskcluster
//!
//! A request is routed (404), counted and given its injected fault, if any;
//! its query string is checked against the entry's (400
//! `InvalidRequestArguments`); it is authenticated (401). As in Taskcluster, a
//! scope expression that needs only URL arguments is checked before the body
//! is read, one that needs body fields after the body is validated (400
//! `MalformedPayload` or `InputValidationError`, then 403). An expression
//! needing parameters that only a service's state could provide answers 501
//! for services without state.
//!
//! Taskcluster authenticates lazily and lets bad credentials through on
//! entries without scopes (`ping`, `version`, `heartbeat`, ...); the fake
//! rejects them with 401 on every entry, so signing bugs show up wherever
//! they happen. Entries without output answer 204 with an empty body.
#![deny(missing_docs)]

mod authentication;
mod builder;
mod error;
mod fake;
mod fake_error;
mod http;
mod internal_call;
mod pulse;
mod references;
mod service;
mod services;
mod static_client;
mod storage;
mod support;

pub use crate::authentication::anonymous::DEFAULT_ANONYMOUS_SCOPES;
pub use crate::authentication::caller::Caller;
pub use crate::builder::TcFakeBuilder;
pub use crate::error::ApiError;
pub use crate::fake::TcFake;
pub use crate::fake_error::FakeError;
pub use crate::service::{Handler, Request, Response, Service, default_scope_params};
pub use crate::static_client::{ROOT_CLIENT_ID, StaticClient};

/// Starts a fake deployment with the default configuration: the references
/// beside the crate and one static client, [`ROOT_CLIENT_ID`] with scope `*`
/// and a random access token ([`TcFake::root_credentials`]).
///
/// # Errors
///
/// When the references are missing (run `cargo xtask references import`) or
/// the socket cannot be opened.
pub async fn start() -> Result<TcFake, FakeError> {
    TcFake::builder().start().await
}
