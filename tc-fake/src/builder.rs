//! [`TcFakeBuilder`]: the clients, roles, anonymous scopes, references,
//! AMQP broker and user services of a fake, and its start.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use tokio::net::TcpListener;

use crate::authentication::anonymous::DEFAULT_ANONYMOUS_SCOPES;
use crate::fake::TcFake;
use crate::fake_error::FakeError;
use crate::http::faults::Faults;
use crate::http::server;
use crate::http::shared::Shared;
use crate::references::message_schemas::MessageSchemas;
use crate::references::validation::Schemas;
use crate::references::{DEFAULT_REFERENCES, References};
use crate::service::{Handler, Service};
use crate::static_client::{ROOT_CLIENT_ID, StaticClient};
use crate::{internal_call, pulse, services};

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
    handlers: Vec<(String, String, Arc<dyn Handler>)>,
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
            .field(
                "handlers",
                &self
                    .handlers
                    .iter()
                    .map(|(service, entry, _)| format!("{service}.{entry}"))
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

    /// Answers `service.entry` (names as in the references: `"queue"`,
    /// `"listWorkers"`), an entry the fake does not model and answers 501
    /// for, with `handler`. Requests reach it as they reach the fake's own
    /// handlers: routed, Hawk-authenticated, checked against the entry's
    /// scope expression (with [`Handler::scope_params`]) and validated
    /// against its input schema; its answer is checked against the output
    /// schema. Any closure `Fn(&Request) -> Result<Response, ApiError>` is a
    /// handler.
    ///
    /// [`start`](Self::start) fails when the references have no such entry,
    /// the fake answers it already (`ping`, `createTask`, ...), or it is
    /// given twice.
    ///
    /// ```
    /// use serde_json::json;
    /// use tc_fake::{Request, Response};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let tc = tc_fake::TcFake::builder()
    ///     .handle("purge-cache", "allPurgeRequests", |_: &Request<'_>| {
    ///         Ok(Response::Json(json!({
    ///             "requests": [{
    ///                 "provisionerId": "proj", "workerType": "ci", "cacheName": "cargo",
    ///                 "before": "2026-12-01T00:00:00.000Z",
    ///             }],
    ///         })))
    ///     })
    ///     .start()
    ///     .await?;
    /// let (client_id, access_token) = tc.root_credentials();
    /// let purge = tc_client::purge_cache::PurgeCache::new(
    ///     Some(tc_client::Credentials::new(client_id, access_token)),
    ///     tc.root_url(),
    /// )?;
    /// let all = purge.all_purge_requests().await?;
    /// assert_eq!(all.requests[0].cache_name, "cargo");
    /// # Ok(()) }
    /// ```
    pub fn handle(
        mut self,
        service: impl Into<String>,
        entry: impl Into<String>,
        handler: impl Handler + 'static,
    ) -> Self {
        self.handlers
            .push((service.into(), entry.into(), Arc::new(handler)));
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

        for (service, entry, _) in &self.handlers {
            let known = refs
                .services
                .get(service)
                .is_some_and(|api| api.entry(entry).is_some());
            if !known {
                return Err(FakeError::Invalid(format!(
                    "{service}.{entry} is not an entry of the references at {}",
                    root.display()
                )));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (service, entry, _) in &self.handlers {
            if !seen.insert((service, entry)) {
                return Err(FakeError::Invalid(format!(
                    "a handler for {service}.{entry} is given twice"
                )));
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
        let state = services::State::new(
            clients,
            roles,
            services::UserAnswers {
                handlers: self.handlers,
                services: own,
            },
            messages,
            &refs,
            Instant::now(),
        )
        .map_err(FakeError::Invalid)?;
        let shared = Arc::new(Shared {
            schemas,
            refs,
            state,
            faults: Faults::default(),
            root_url: root_url.clone(),
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

impl TcFake {
    /// A builder for a fake with more clients, roles or other references.
    pub fn builder() -> TcFakeBuilder {
        TcFakeBuilder::default()
    }
}
