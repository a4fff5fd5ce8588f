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
//!   state; everything else answers 501 `NotImplemented`;
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

pub mod caller;
pub mod error;
pub mod service;

mod anonymous;
mod blobs;
mod compress;
mod data_urls;
mod faults;
mod hawk_verify;
mod internal_call;
mod message_schemas;
mod pulse;
mod references;
mod router;
mod scopes;
mod server;
mod services;
mod validation;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use caller::{Caller, ClientRecord, Directory};
pub use error::ApiError;
pub use service::{Request, Response, Service};

pub use crate::anonymous::DEFAULT_ANONYMOUS_SCOPES;
use crate::faults::{Fault, Faults};
use crate::message_schemas::MessageSchemas;
use crate::references::References;
use crate::server::Shared;
use crate::validation::Schemas;

/// The reference set beside the crate (`tc-fake/references`, a link to the
/// workspace's imported `references/`).
pub(crate) const DEFAULT_REFERENCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/references");

/// The client id of the root client every fake has.
pub const ROOT_CLIENT_ID: &str = "static/tc-fake/root";

/// A client the fake knows from the start, like a deployment's static clients.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticClient {
    /// The client id.
    pub client_id: String,
    /// Its access token.
    pub access_token: String,
    /// Its scopes (role-expanded when used).
    pub scopes: Vec<String>,
}

impl std::fmt::Debug for StaticClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticClient")
            .field("client_id", &self.client_id)
            .field("access_token", &"<redacted>")
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// Why a fake could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FakeError {
    /// The reference set is missing or unreadable.
    #[error(
        "tc-fake cannot load the Taskcluster references at {}: {message} \
         (import them with `cargo xtask references import`)",
        .path.display()
    )]
    References {
        /// The folder that was read.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The listening socket could not be opened.
    #[error("tc-fake cannot listen on 127.0.0.1: {0}")]
    Bind(#[source] std::io::Error),
    /// The builder was given something unusable.
    #[error("tc-fake: {0}")]
    Invalid(String),
}

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

/// Configures a fake deployment; made by [`TcFake::builder`].
#[derive(Default)]
#[must_use]
pub struct TcFakeBuilder {
    clients: Vec<StaticClient>,
    roles: Vec<(String, Vec<String>)>,
    anonymous_scopes: Option<Vec<String>>,
    references: Option<PathBuf>,
    amqp_url: Option<String>,
    services: Vec<(String, Box<dyn Service>)>,
}

impl std::fmt::Debug for TcFakeBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcFakeBuilder")
            .field("clients", &self.clients)
            .field("roles", &self.roles)
            .field("anonymous_scopes", &self.anonymous_scopes)
            .field("references", &self.references)
            .field("amqp_url", &self.amqp_url)
            .field(
                "services",
                &self
                    .services
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl TcFakeBuilder {
    /// Publishes the queue's Pulse messages (`task-defined`, `task-pending`,
    /// `task-running`, `artifact-created`, `task-completed`, `task-failed`,
    /// `task-exception`, `task-group-resolved`, ...) to the AMQP broker at
    /// `url` (`amqp://guest:guest@127.0.0.1:5672`), as Taskcluster's queue
    /// does: on topic exchanges named as in the references
    /// (`exchange/taskcluster-queue/v1/task-pending`, declared durable when
    /// missing), with the primary routing key, the CC routing keys
    /// (`route.<route>`) in the `CC` header and the JSON body of the
    /// exchange's schema. Messages are published in order by a background
    /// task, shortly after the call that caused them; a lost connection is
    /// opened again. [`TcFake::on_queue_event`] replaces this publisher.
    pub fn amqp_url(mut self, url: impl Into<String>) -> Self {
        self.amqp_url = Some(url.into());
        self
    }

    /// Adds a static client (besides the root client).
    pub fn client<S: Into<String>>(
        mut self,
        client_id: impl Into<String>,
        access_token: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.clients.push(StaticClient {
            client_id: client_id.into(),
            access_token: access_token.into(),
            scopes: scopes.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Adds a role: `assume:<role_id>` expands to `scopes`.
    pub fn role<S: Into<String>>(
        mut self,
        role_id: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.roles
            .push((role_id.into(), scopes.into_iter().map(Into::into).collect()));
        self
    }

    /// The scopes of the `anonymous` role, which every request gets (with
    /// credentials or without, as a deployment grants `assume:anonymous` to
    /// every caller). The default is [`DEFAULT_ANONYMOUS_SCOPES`], upstream's
    /// public reads; give none for a deployment where nothing is public.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use tc_client::queue::Queue;
    ///
    /// let private = tc_fake::TcFake::builder()
    ///     .anonymous_scopes(Vec::<String>::new())
    ///     .start()
    ///     .await?;
    /// let anonymous = Queue::new(None, private.root_url())?;
    /// let error = anonymous.task("fXw1aV5SSQKkzdtKdR3FwQ").await.unwrap_err();
    /// assert_eq!(error.status(), Some(403));
    /// # Ok(()) }
    /// ```
    pub fn anonymous_scopes<S: Into<String>>(
        mut self,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.anonymous_scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Answers the entries of `name`, a service of the references without
    /// state of its own in the fake (not `auth`, `queue`, `object`, `secrets`,
    /// `index` or `hooks`), with `service`: the fake still routes,
    /// authenticates, checks scopes and validates the request, then hands it
    /// over, and validates the answer against the entry's output schema.
    /// Entries the service answers `None` for answer 501, as before.
    ///
    /// ```
    /// use serde_json::json;
    /// use tc_fake::{ApiError, Request, Response, Service};
    ///
    /// struct Notify;
    ///
    /// impl Service for Notify {
    ///     fn handle(&self, request: &Request<'_>) -> Option<Result<Response, ApiError>> {
    ///         match request.entry.name.as_str() {
    ///             "listDenylist" => Some(Ok(Response::Json(json!({
    ///                 "addresses": [{"notificationType": "email", "notificationAddress": "x@example.com"}],
    ///             })))),
    ///             _ => None,
    ///         }
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let tc = tc_fake::TcFake::builder().service("notify", Notify).start().await?;
    /// let (client_id, access_token) = tc.root_credentials();
    /// let notify = tc_client::notify::Notify::new(
    ///     Some(tc_client::Credentials::new(client_id, access_token)),
    ///     tc.root_url(),
    /// )?;
    /// let denied = notify.list_denylist().await?;
    /// assert_eq!(denied.addresses.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn service(mut self, name: impl Into<String>, service: impl Service + 'static) -> Self {
        self.services.push((name.into(), Box::new(service)));
        self
    }

    /// Serves the reference set at `path` (a folder holding `references/` and
    /// `schemas/`, as `cargo xtask references import` writes it) instead of
    /// the one beside the crate.
    pub fn references(mut self, path: impl Into<PathBuf>) -> Self {
        self.references = Some(path.into());
        self
    }

    /// Starts the server on `127.0.0.1:0`, on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// When the references are missing (run `cargo xtask references import`),
    /// a client id is given twice, the socket cannot be opened, or the AMQP
    /// broker of [`amqp_url`](Self::amqp_url) cannot be reached.
    ///
    /// # Panics
    ///
    /// When called outside a tokio runtime.
    pub async fn start(self) -> Result<TcFake, FakeError> {
        let root = self
            .references
            .unwrap_or_else(|| PathBuf::from(DEFAULT_REFERENCES));
        let refs = References::load(&root)?;
        let mut own = std::collections::BTreeMap::new();
        for (name, service) in self.services {
            if services::State::STATEFUL.contains(&name.as_str()) {
                return Err(FakeError::Invalid(format!(
                    "service {name} keeps state of its own in tc-fake and cannot be replaced"
                )));
            }
            if !refs.services.contains_key(&name) {
                return Err(FakeError::Invalid(format!(
                    "service {name} is not in the references at {}",
                    root.display()
                )));
            }
            if own.insert(name.clone(), service).is_some() {
                return Err(FakeError::Invalid(format!("service {name} is given twice")));
            }
        }

        let mut roles = self.roles;
        match (
            roles.iter().any(|(id, _)| id == "anonymous"),
            self.anonymous_scopes,
        ) {
            (true, Some(_)) => {
                return Err(FakeError::Invalid(
                    "the anonymous role is given twice (role and anonymous_scopes)".into(),
                ));
            }
            (true, None) => {}
            (false, scopes) => roles.push((
                "anonymous".to_owned(),
                scopes.unwrap_or_else(|| {
                    DEFAULT_ANONYMOUS_SCOPES
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect()
                }),
            )),
        }

        let root_token = format!("{}{}", slugid::v4(), slugid::v4());
        let mut clients = vec![StaticClient {
            client_id: ROOT_CLIENT_ID.to_owned(),
            access_token: root_token.clone(),
            scopes: vec!["*".to_owned()],
        }];
        for client in self.clients {
            if clients.iter().any(|c| c.client_id == client.client_id) {
                return Err(FakeError::Invalid(format!(
                    "client {} is given twice",
                    client.client_id
                )));
            }
            clients.push(client);
        }

        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(FakeError::Bind)?;
        let port = listener.local_addr().map_err(FakeError::Bind)?.port();
        let root_url = format!("http://127.0.0.1:{port}");

        let schemas = Arc::new(Schemas::new(refs.schemas.clone()));
        let messages = Arc::new(MessageSchemas::new(schemas.clone(), refs.exchanges.clone()));
        let shared = Arc::new(Shared {
            schemas,
            refs,
            state: services::State::new(clients, roles, own, messages),
            faults: Faults::default(),
            root_url: root_url.clone(),
            started: Instant::now(),
        });
        let weak = Arc::downgrade(&shared);
        let deployment: std::sync::Weak<dyn internal_call::Deployment> = weak;
        shared.state.hooks.connect(deployment);
        if let Some(url) = &self.amqp_url {
            let outgoing = pulse::start(url).await?;
            shared.state.queue.set_publisher_with_cc(Box::new(
                move |exchange, key, cc, message| {
                    let _ = outgoing.send(pulse::Outgoing {
                        exchange: exchange.to_owned(),
                        routing_key: key.to_owned(),
                        cc: cc.to_vec(),
                        body: serde_json::to_vec(&message).unwrap_or_default(),
                    });
                },
            ));
        }
        let task = tokio::spawn(server::serve(listener, shared.clone()));
        tracing::debug!(%root_url, "tc-fake: serving");
        Ok(TcFake {
            root_url,
            root_token,
            shared,
            task,
        })
    }
}

/// A running fake deployment; the server stops when this is dropped.
pub struct TcFake {
    root_url: String,
    root_token: String,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for TcFake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcFake")
            .field("root_url", &self.root_url)
            .finish_non_exhaustive()
    }
}

impl Drop for TcFake {
    fn drop(&mut self) {
        self.task.abort();
        self.shared.state.blobs.remove_all();
    }
}

impl TcFake {
    /// A builder for a fake with more clients, roles or other references.
    pub fn builder() -> TcFakeBuilder {
        TcFakeBuilder::default()
    }

    /// The root URL, `http://127.0.0.1:<port>`.
    pub fn root_url(&self) -> &str {
        &self.root_url
    }

    /// The root client's id ([`ROOT_CLIENT_ID`]) and access token (random for
    /// every fake); the client has scope `*`.
    pub fn root_credentials(&self) -> (String, String) {
        (ROOT_CLIENT_ID.to_owned(), self.root_token.clone())
    }

    /// Answers the next `n` requests of `service`'s `entry` (reference names:
    /// `"queue"`, `"createTask"`) with a Taskcluster-shaped error of this
    /// `status`, before authentication.
    ///
    /// Faults queued for one entry apply in the order they were added.
    ///
    /// The data URLs are the pseudo-entries `"__put"` and `"__get"` of
    /// `"object"` (object data) and `"queue"` (`s3` artifacts); a failed
    /// upload is read to its end first, so the client sees the answer.
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn fail_next(&self, service: &str, entry: &str, n: usize, status: u16) {
        self.add_fault(
            service,
            entry,
            Fault::Fail {
                status,
                retry_after: None,
            },
            n,
        );
    }

    /// Like [`fail_next`](Self::fail_next), with a `Retry-After: <secs>` header
    /// (typically with status 429).
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn fail_next_with_retry_after(
        &self,
        service: &str,
        entry: &str,
        n: usize,
        status: u16,
        retry_after_secs: u64,
    ) {
        self.add_fault(
            service,
            entry,
            Fault::Fail {
                status,
                retry_after: Some(retry_after_secs),
            },
            n,
        );
    }

    /// For the next `n` requests of the entry: answers 200 with a
    /// `Content-Length` of 4096, sends a few bytes of body and closes the
    /// connection, so the client sees a truncated body.
    ///
    /// On a data URL (`"__get"`): answers 200 (or 206) with the full
    /// `Content-Length`, sends the first half of the data and closes the
    /// connection (empty data: closes it before answering). On `"__put"`:
    /// reads about half of the upload, then closes the connection without
    /// an answer; nothing is stored.
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn drop_connection_next(&self, service: &str, entry: &str, n: usize) {
        self.add_fault(service, entry, Fault::Drop, n);
    }

    /// Waits `delay` before handling each of the next `n` requests of the
    /// entry (which are then answered normally), for client timeout tests.
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn delay_next(&self, service: &str, entry: &str, n: usize, delay: Duration) {
        self.add_fault(service, entry, Fault::Delay(delay), n);
    }

    /// Serves the next `n` downloads from data URLs (`GET`, object data and
    /// `s3` artifacts alike) with one byte flipped, in the middle of the
    /// bytes served, so that they no longer match the hashes the object
    /// service recorded; empty data is served as one byte, `X`. For
    /// integrity tests. Counted across all data URLs; [`clear_faults`]
    /// forgets the rest.
    ///
    /// [`clear_faults`]: Self::clear_faults
    pub fn corrupt_next_download(&self, n: usize) {
        self.shared.faults.corrupt_next(n);
    }

    /// From now on (`on`), serves downloads from data URLs gzip-encoded
    /// (`Content-Encoding: gzip`) whenever the request accepts gzip, as S3 and
    /// GCS serve data stored compressed; the hashes the object service gives
    /// still describe the decoded bytes. Ranges and `HEAD` are served as they
    /// are. Faults still apply: a dropped connection cuts the compressed body,
    /// a corruption changes the data before it is compressed.
    pub fn serve_downloads_gzipped(&self, on: bool) {
        self.shared.faults.set_gzip(on);
    }

    /// The directory holding the object and artifact data of this fake
    /// (`<temp>/tc-fake-<pid>-<n>`, created on the first upload), removed
    /// when the fake is dropped.
    pub fn data_dir(&self) -> &Path {
        self.shared.state.blobs.dir()
    }

    /// Calls `hook` for every Pulse message the fake queue publishes (as
    /// Taskcluster's queue would: `task-defined`, `task-pending`, ...), with
    /// the full exchange name (`exchange/taskcluster-queue/v1/task-pending`),
    /// the primary routing key, the CC routing keys (`route.<route>` for each
    /// of the task's routes) and the message. Replaces any earlier hook.
    pub fn on_queue_event(
        &self,
        hook: impl Fn(&str, &str, &[String], serde_json::Value) + Send + Sync + 'static,
    ) {
        self.shared
            .state
            .queue
            .set_publisher_with_cc(Box::new(hook));
    }

    /// Forgets every fault not yet applied, download corruptions included.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// How many requests matched `service`'s `entry` so far, failed and
    /// faulted ones included (one per attempt of a retrying client).
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn requests(&self, service: &str, entry: &str) -> usize {
        self.check_entry(service, entry);
        self.shared.faults.requests(service, entry)
    }

    /// The folder of the reference set the fakes serve by default.
    pub fn default_references() -> &'static Path {
        Path::new(DEFAULT_REFERENCES)
    }

    fn add_fault(&self, service: &str, entry: &str, fault: Fault, n: usize) {
        self.check_entry(service, entry);
        self.shared.faults.add(service, entry, fault, n);
    }

    fn check_entry(&self, service: &str, entry: &str) {
        if matches!(service, "object" | "queue") && matches!(entry, "__put" | "__get") {
            return;
        }
        let Some(api) = self.shared.refs.services.get(service) else {
            panic!(
                "tc-fake: no service {service:?} in the references (known: {})",
                self.shared
                    .refs
                    .services
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        assert!(
            api.entry(entry).is_some(),
            "tc-fake: {service} has no entry {entry:?} (entries are named as in the references, like \"createTask\"; data URLs are \"__put\" and \"__get\" of \"object\" and \"queue\")"
        );
    }
}
