//! A typed async client for [Taskcluster](https://taskcluster.net).
//!
//! Every API method, every Pulse exchange and every schema of a Taskcluster
//! deployment is generated at compile time from the deployment's API
//! references by the `taskcluster_service!` macro: one module per service
//! ([`queue`], [`auth`], [`object`], ...) holding the service's types, its
//! client struct and an `events` module of exchange bindings. The rest of
//! the crate is the runtime those modules call: credentials and Hawk
//! signing, retries, signed URLs, timestamps, paging, object and artifact
//! transfers, and a Pulse listener.
//!
//! The examples below run as tests against [tc-fake], an in-process fake
//! deployment; the lines that start it are hidden. Replace its root URL and
//! credentials with your deployment's, or use `from_env`.
//!
//! # Making a client
//!
//! Every service has a client struct ([`queue::Queue`], [`auth::Auth`],
//! [`secrets::Secrets`], ...) made in one of three ways:
//!
//! - `Queue::from_env()` reads the variables every Taskcluster tool reads:
//!   `TASKCLUSTER_ROOT_URL` (or `TASKCLUSTER_PROXY_URL`, inside a task that
//!   runs a taskcluster-proxy), `TASKCLUSTER_CLIENT_ID`,
//!   `TASKCLUSTER_ACCESS_TOKEN` and, for temporary credentials,
//!   `TASKCLUSTER_CERTIFICATE`;
//! - `Queue::new(credentials, root_url)` takes them as arguments (`None`
//!   makes unauthenticated requests);
//! - `Queue::builder()` answers a [`ClientBuilder`] for everything else:
//!   retries, timeouts, authorized scopes, a proxy, a `reqwest::Client` of
//!   your own, credentials that rotate.
//!
//! Clients are cheap to clone: clones share their connections.
//!
//! ```
//! use std::time::Duration;
//! use tc_client::queue::Queue;
//! use tc_client::{Credentials, RetryPolicy};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let root_url = tc.root_url();
//! let credentials = Credentials::new(client_id, access_token);
//! let queue = Queue::builder()
//!     .root_url(root_url)
//!     .credentials(credentials)
//!     .retry(RetryPolicy::default().max_retries(3))
//!     .timeout(Duration::from_secs(30))
//!     .build()?;
//! queue.ping().await?;
//! # Ok(()) }
//! ```
//!
//! # Calling methods
//!
//! A method is the snake case of its reference name (`createTask` is
//! `create_task`). Its path arguments are `&str` (a `&String` or a generated
//! id such as `&TaskId` coerces), except run ids, which are also taken as the
//! integers the queue's types hold (see [`PathArg`]); its request body (if
//! any) is a reference to a generated
//! struct and its answer another (or `()`); the method's documentation quotes
//! the reference: route, stability and the scopes it needs.
//!
//! The generated types are built to survive a Taskcluster release that adds
//! to them:
//!
//! - a struct is `#[non_exhaustive]`; one that callers build (a request and
//!   what it is made of, a worker payload) is made by `new(..)`, which takes
//!   its required fields (in field order), then one setter per optional
//!   field, by name, and is `Default` when all its fields are optional. A
//!   field a release adds as optional therefore breaks no code, and one it
//!   adds as required fails to compile where it has to be given. Answers and
//!   messages are only decoded (a test builds one with serde);
//! - optional fields are `Option`s (or empty `Vec`s and maps); constrained
//!   strings are newtypes that check their pattern when parsed
//!   (`"proj-example/ci".parse()?`);
//! - enums are `#[non_exhaustive]` and keep what they do not know: string
//!   enums in an opaque [`UnknownString`], unions in an [`UnknownJson`], both
//!   written back unchanged (see [`UnknownJson`]).
//!
//! ```
//! use tc_client::queue::{Queue, State, TaskDefinitionRequest, TaskMetadata};
//! use tc_client::{Credentials, Time};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! let queue = Queue::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
//! let metadata = TaskMetadata::new(
//!     "A task made by the tour of tc-client", // description
//!     "hello",                                // name
//!     "me@example.com",                       // owner
//!     "https://example.com/ci".parse()?,      // source
//! );
//! let payload = tc_client::serde_json::Map::new();
//! let task = TaskDefinitionRequest::new(Time::now(), Time::from_now("2 hours")?, metadata, payload)
//!     .expires(Time::from_now("1 week")?)
//!     .task_queue_id("proj-example/ci".parse()?)
//!     .tags([("kind", "tour")]);
//! let task_id = tc_client::slugid::nice();
//! let created = queue.create_task(&task_id, &task).await?;
//! assert_eq!(created.status.state, State::Pending);
//!
//! let status = queue.status(&task_id).await?.status;
//! assert_eq!(status.task_queue_id.as_str(), "proj-example/ci");
//! assert_eq!(status.runs.len(), 1);
//! # Ok(()) }
//! ```
//!
//! Query arguments are set by name on the call a method answers, which is
//! then awaited (it implements [`IntoFuture`]); a
//! page size is a number:
//!
//! ```
//! # use tc_client::{Credentials, secrets::Secrets};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let secrets = Secrets::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
//! let page = secrets.list().limit(10).await?;
//! assert!(page.secrets.len() <= 10);
//! let first = secrets.list().await?; // no query argument set
//! assert_eq!(first.continuation_token, None);
//! # Ok(()) }
//! ```
//!
//! Each method also has `<method>_url`, the URL it calls, and GET methods
//! that need scopes have `<method>_signed_url` ([below](#signed-urls)).
//!
//! # Errors
//!
//! Every call answers a [`Result`] whose error is the one [`Error`] enum:
//!
//! - [`Error::Api`]: the service answered an error status; it carries the
//!   status, Taskcluster's error code (`ResourceNotFound`,
//!   `InsufficientScopes`, ...), the message, the method, the URL and the
//!   number of attempts ([`Error::status`] and [`Error::code`] read them);
//! - [`Error::Transport`] and [`Error::Timeout`]: no answer, after the
//!   retries;
//! - [`Error::Decode`]: an answer that does not match the reference's
//!   schema; its message starts with the JSON path of the field that failed
//!   (`at status.runs[1].runId: ...`);
//! - [`Error::Credentials`], [`Error::Configuration`] and
//!   [`Error::InvalidArgument`]: refused before anything was sent;
//! - [`Error::Integrity`], [`Error::Artifact`] and [`Error::Io`]: from the
//!   transfers;
//! - [`Error::Pulse`] and [`Error::PulseDecode`]: from the Pulse listener.
//!
//! The errors of a call (API, response too large, transport, timeout,
//! decode) name its service method, HTTP method and URL; URLs in errors
//! never carry their query string, where bewits and signatures live.
//!
//! Errors never carry an access token, a certificate or a bewit.
//!
//! ```
//! use tc_client::Error;
//! # use tc_client::{Credentials, queue::Queue};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let queue = Queue::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
//! match queue.status("fN1SbArXTPSVFNUvaOlinQ").await {
//!     Err(Error::Api { status: 404, code, .. }) => {
//!         assert_eq!(code.as_deref(), Some("ResourceNotFound"));
//!     }
//!     other => panic!("expected a 404, got {other:?}"),
//! }
//! # Ok(()) }
//! ```
//!
//! # Retries
//!
//! Calls are retried, with exponential backoff and jitter, on what
//! [`Error::is_retryable`] calls retryable: 5xx and 429 answers (honouring
//! `Retry-After`), connection errors and timeouts. By default a call makes
//! up to 6 attempts, starting 100 ms apart; [`RetryPolicy`] changes that,
//! and [`RetryPolicy::none`] turns retries off. The per-attempt timeout is
//! [`DEFAULT_TIMEOUT`] unless [`ClientBuilder::timeout`] says otherwise.
//!
//! ```
//! use std::time::Duration;
//! use tc_client::RetryPolicy;
//! # use tc_client::{Credentials, queue::Queue};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let credentials = Credentials::new(client_id, access_token);
//! let queue = Queue::builder()
//!     .root_url(tc.root_url())
//!     .credentials(credentials.clone())
//!     .retry(RetryPolicy::default().base_delay(Duration::from_millis(10)))
//!     .build()?;
//! tc.fail_next("queue", "ping", 2, 503); // the next two pings answer 503
//! queue.ping().await?; // succeeds on the third attempt
//! assert_eq!(tc.requests("queue", "ping"), 3);
//!
//! let impatient = Queue::builder()
//!     .root_url(tc.root_url())
//!     .credentials(credentials)
//!     .retry(RetryPolicy::none())
//!     .build()?;
//! tc.fail_next("queue", "ping", 1, 503);
//! let error = impatient.ping().await.unwrap_err();
//! assert_eq!(error.status(), Some(503));
//! assert!(error.is_retryable());
//! # Ok(()) }
//! ```
//!
//! # Credentials
//!
//! [`Credentials`] hold a client id and an access token, plus a certificate
//! for temporary credentials. Permanent credentials can mint temporary ones
//! locally, without calling the auth service:
//! [`Credentials::create_temp_creds`] (same client id, fewer scopes, an
//! expiry) and [`Credentials::create_named_temp_creds`] (a client id of
//! their own, which the issuer needs `auth:create-client:<name>` for);
//! [`Credentials::temp_creds_builder`] sets every input of the certificate.
//! [`ClientBuilder::authorized_scopes`] narrows any credentials further, per
//! client. Long-running programs can give the builder a
//! [`CredentialsSource`] instead of fixed credentials
//! ([`ClientBuilder::credentials_source`]): it is asked again before the
//! credentials it answered expire.
//!
//! ```
//! use std::time::Duration;
//! use tc_client::secrets::Secrets;
//! use tc_client::{Credentials, Time};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let root_url = tc.root_url();
//! let permanent = Credentials::new(client_id, access_token);
//! let admin = Secrets::new(Some(permanent.clone()), root_url)?;
//! let mut value = serde_json::Map::new();
//! value.insert("password".into(), "hunter2".into());
//! let secret = tc_client::secrets::Secret::new(Time::from_now("1 day")?, value);
//! admin.set("project/ci/db", &secret).await?;
//! admin.set("project/other/db", &secret).await?;
//!
//! // One hour of access to the project's secrets, nothing else.
//! let temp = permanent.create_temp_creds(Duration::from_secs(3600), ["secrets:get:project/ci/*"])?;
//! let job = Secrets::new(Some(temp), root_url)?;
//! assert_eq!(job.get("project/ci/db").await?.secret["password"], "hunter2");
//! let refused = job.get("project/other/db").await.unwrap_err();
//! assert_eq!(refused.code(), Some("InsufficientScopes"));
//! # Ok(()) }
//! ```
//!
//! # Signed URLs
//!
//! `<method>_signed_url(.., ttl)` answers the URL of a GET method with a
//! bewit: anyone holding it can fetch that one URL, without credentials,
//! until `ttl` has passed (a browser, `curl`, a worker without
//! credentials). `<method>_url` answers the unsigned URL.
//!
//! ```
//! use std::time::Duration;
//! # use tc_client::{Credentials, Time, secrets::{Secret, Secrets}};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let secrets = Secrets::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
//! # let value = serde_json::json!({"token": "abc"}).as_object().cloned().unwrap_or_default();
//! # secrets.set("project/ci/token", &Secret::new(Time::from_now("1 day")?, value)).await?;
//! let url = secrets.get_signed_url("project/ci/token", Duration::from_secs(300))?;
//! assert!(url.contains("bewit="));
//! let body = reqwest::get(&url).await?.error_for_status()?.text().await?;
//! assert!(body.contains("abc"));
//! # Ok(()) }
//! ```
//!
//! # Paging
//!
//! Listings that answer a `continuationToken` have a `<method>_all`
//! companion: a [`Stream`](https://docs.rs/futures-core/0.3/futures_core/stream/trait.Stream.html) of every item of every
//! page, fetched lazily as the stream is polled. Its arguments are the
//! method's path arguments and body; with query arguments, set them on the
//! call and end with `.all()`.
//!
//! ```
//! use futures_util::TryStreamExt;
//! # use tc_client::{Credentials, Time, secrets::{Secret, Secrets}};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let secrets = Secrets::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
//! # for name in ["a", "b", "c"] {
//! #     let secret = Secret::new(Time::from_now("1 day")?, serde_json::Map::new());
//! #     secrets.set(&format!("project/ci/{name}"), &secret).await?;
//! # }
//! // Three secrets exist; pages of at most two names each.
//! let names: Vec<String> = secrets.list().limit(2).all().try_collect().await?;
//! assert_eq!(names.len(), 3);
//! assert_eq!(tc.requests("secrets", "list"), 2);
//! # Ok(()) }
//! ```
//!
//! # Objects and artifacts
//!
//! With the `object` feature (on by default), the [`object::Object`] client
//! moves data in one call each way, streamed, hashed, retried and never
//! leaving a partial file: `upload_object(project, name, expires, source)` and
//! `download_object(name, destination)`, a source being bytes, a file or a
//! reader and a destination a buffer, a file or a writer, options (content
//! type, progress, ...) set by name. [`queue::Queue`] gets the same for
//! artifacts (`upload_artifact` creates an `object` artifact and uploads it;
//! `download_artifact` handles every storage type). The [`transfer`]
//! module tells how they behave.
//!
//! ```
//! use tc_client::transfer::{from_bytes, to_buffer};
//! use tc_client::{Time, object::Object};
//! # use tc_client::Credentials;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let object = Object::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
//! let expires = Time::from_now("1 day")?;
//! object
//!     .upload_object("my-project", "builds/notes.txt", expires, from_bytes(b"hello"))
//!     .content_type("text/plain")
//!     .await?;
//! let notes = object.download_object("builds/notes.txt", to_buffer()).await?;
//! assert_eq!((notes.data.as_slice(), notes.content_type.as_str()), (&b"hello"[..], "text/plain"));
//! # Ok(()) }
//! ```
//!
//! # Pulse
//!
//! Each service module has an `events` module with one binding struct per
//! exchange (`queue::events::TaskCompleted`, ...): its fields are the
//! routing-key parts, `None` matching anything, and its [`Binding`]
//! implementation names the exchange and the typed message. With the
//! `pulse` feature, `tc_client::pulse::Listener` consumes them from a
//! RabbitMQ (Pulse) queue as typed streams; see the `pulse` module.
//!
//! ```no_run
//! # #[cfg(feature = "pulse")]
//! # async fn listen(amqp_url: &str) -> tc_client::Result<()> {
//! use futures_util::StreamExt;
//! use tc_client::pulse::Listener;
//! use tc_client::queue::events::TaskFailed;
//!
//! let listener = Listener::connect(amqp_url, "my-pulse-user", "failures").await?;
//! let binding = TaskFailed { provisioner_id: Some("proj-example".into()), ..Default::default() };
//! let mut failures = listener.listen(binding).await?;
//! while let Some(message) = failures.next().await {
//!     let message = message?;
//!     println!("task {} failed", message.payload.status.task_id.as_str());
//!     message.ack().await?;
//! }
//! # Ok(()) }
//! ```
//!
//! # Worker payloads
//!
//! A task's `payload` is free-form to the queue, but the workers have
//! schemas: with the `payloads` feature, [`payloads::generic_worker`] (and
//! its `insecure_posix` and `multiuser_windows` siblings) and
//! [`payloads::docker_worker`] hold their types, and [`payloads::to_payload`]
//! turns one into the task's payload map:
//!
//! ```
//! use std::num::NonZeroU64;
//! use tc_client::payloads::generic_worker::GenericWorkerPayload;
//!
//! let command = [vec!["echo".into(), "hello".into()]];
//! let payload = GenericWorkerPayload::new(command, NonZeroU64::try_from(600)?)
//!     .env([("LANG", "C.UTF-8")]);
//! let map = tc_client::payloads::to_payload(&payload)?;
//! assert_eq!(map["maxRunTime"], 600);
//! // `map` is what `TaskDefinitionRequest::payload` takes.
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Timestamps, numbers and ids
//!
//! [`Time`] is a Taskcluster timestamp (UTC, milliseconds, written
//! `2026-11-24T10:00:00.000Z`); [`Time::from_now`] reads the `fromNow`
//! expressions of the other clients. [`Number`] is a JSON `number` written
//! back as it came. [`slugid::nice`] makes task ids.
//!
//! ```
//! use tc_client::Time;
//!
//! let deadline = Time::from_now("2 days 3 hours")?;
//! assert!(deadline > Time::now());
//! let task_id = tc_client::slugid::nice();
//! assert_eq!(task_id.len(), 22);
//! # Ok::<(), tc_client::Error>(())
//! ```
//!
//! # Cargo features
//!
//! | feature | brings |
//! |---|---|
//! | `auth`, `github`, `hooks`, `index`, `notify`, `purge-cache`, `queue`, `secrets`, `web-server`, `worker-manager` | the service's module: types, client, `events` |
//! | `object` | the object service's module, plus the [`transfer`] helpers on `Object` (and on `Queue` with `queue`) |
//! | `payloads` | [`payloads`]: generic-worker's and docker-worker's payload types |
//! | `pulse` (off by default) | `pulse`: the Pulse listener, on amqprs |
//!
//! Everything but `pulse` is on by default. A program that only talks to the
//! queue compiles only the queue:
//! `tc-client = { version = "0.1", default-features = false, features = ["queue"] }`.
//!
//! # Testing
//!
//! [tc-fake] serves a whole deployment on `127.0.0.1` from the same
//! references, with Hawk checks, scope checks, schema validation, state for
//! auth, queue, secrets, index and objects, and injectable faults: point a
//! client at its root URL in your tests, as these examples do.
//!
//! [tc-fake]: https://docs.rs/tc-fake
//!
//! # Crates
//!
//! tc-client is this crate's face: its runtime is `tc-client-runtime`, every service
//! is a crate of its own (`tc-client-queue`, `tc-client-auth`, ...; the object service
//! and the transfers `tc-client-object`, the worker payloads `tc-client-payloads`),
//! all re-exported here under the names above, so that they compile side by side.
//! Programs depend on tc-client only.
#![deny(missing_docs)]
#![warn(rust_2018_idioms)]
// docs.rs marks what each cargo feature brings.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc(inline)]
pub use tc_client_runtime::*;

#[cfg(feature = "auth")]
#[doc(inline)]
pub use tc_client_auth::auth;
#[cfg(feature = "github")]
#[doc(inline)]
pub use tc_client_github::github;
#[cfg(feature = "hooks")]
#[doc(inline)]
pub use tc_client_hooks::hooks;
#[cfg(feature = "index")]
#[doc(inline)]
pub use tc_client_index::index;
#[cfg(feature = "notify")]
#[doc(inline)]
pub use tc_client_notify::notify;
#[cfg(feature = "object")]
#[doc(inline)]
pub use tc_client_object::object;
#[cfg(feature = "payloads")]
#[doc(inline)]
pub use tc_client_payloads::payloads;
#[cfg(feature = "queue")]
#[doc(inline)]
pub use tc_client_queue::queue;

#[cfg(feature = "object")]
#[cfg_attr(docsrs, doc(cfg(feature = "object")))]
pub mod transfer;
#[cfg(feature = "purge-cache")]
#[doc(inline)]
pub use tc_client_purge_cache::purge_cache;
#[cfg(feature = "secrets")]
#[doc(inline)]
pub use tc_client_secrets::secrets;
#[cfg(feature = "web-server")]
#[doc(inline)]
pub use tc_client_web_server::web_server;
#[cfg(feature = "worker-manager")]
#[doc(inline)]
pub use tc_client_worker_manager::worker_manager;

/// The examples of README.md, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
