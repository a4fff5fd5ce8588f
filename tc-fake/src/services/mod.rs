//! The services that keep state: auth, queue, object, secrets, index and hooks.
//!
//! [`State`] owns one of each, and the [`Registry`] of who answers each
//! entry: every service's table of entries, then the handlers a user's test
//! added. The pipeline asks [`State::answerer`]; an entry nobody answers is
//! a 501.
//!
//! Shared conventions:
//! - timestamps are kept as milliseconds since the epoch and written as
//!   Taskcluster writes them (`2026-11-24T10:00:00.000Z`);
//! - continuation tokens are opaque strings (the offset of the next item);
//!   a page holds at most `limit` items and the last page has no
//!   `continuationToken` field at all;
//! - the state of each service sits behind a mutex; a poisoned lock is
//!   recovered rather than propagated.

pub(crate) mod auth;
pub(crate) mod hooks;
pub(crate) mod index;
pub(crate) mod object;
pub(crate) mod queue;
pub(crate) mod registry;
pub(crate) mod secrets;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::references::References;
use crate::references::message_schemas::MessageSchemas;
use crate::service::{Handler, Request, Response, Service};
use crate::static_client::StaticClient;
use crate::storage::Blobs;
use registry::Registry;

/// What a user's test adds: handlers by entry and whole services by name.
#[derive(Default)]
pub(crate) struct UserAnswers {
    /// `(service, entry, handler)`.
    pub(crate) handlers: Vec<(String, String, Arc<dyn Handler>)>,
    /// Services without state of their own in the fake.
    pub(crate) services: BTreeMap<String, Box<dyn Service>>,
}

/// The state of the whole fake deployment.
pub(crate) struct State {
    /// Clients and roles.
    pub(crate) auth: Arc<auth::Auth>,
    /// Tasks, runs, artifacts and task groups.
    pub(crate) queue: Arc<queue::Queue>,
    /// The data of objects and `s3` artifacts, on disk.
    pub(crate) blobs: Arc<Blobs>,
    /// Hooks and their fires.
    pub(crate) hooks: Arc<hooks::Hooks>,
    /// Who answers each entry.
    registry: Registry,
    /// Services the caller implements ([`TcFakeBuilder::service`](crate::TcFakeBuilder::service)).
    own: BTreeMap<String, Box<dyn Service>>,
}

/// Who answers an entry.
#[derive(Clone, Copy)]
pub(crate) enum Answerer<'a> {
    /// A handler registered for the entry.
    Entry(&'a dyn Handler),
    /// A whole service of the user's, which may not know the entry.
    Service(&'a dyn Service),
}

impl Answerer<'_> {
    /// The parameters of the entry's scope expression.
    pub(crate) fn scope_params(self, request: &Request<'_>) -> Map<String, Value> {
        match self {
            Answerer::Entry(handler) => handler.scope_params(request),
            Answerer::Service(service) => service.scope_params(request),
        }
    }

    /// The answer; `None` when a user's service does not know the entry.
    pub(crate) fn answer(self, request: &Request<'_>) -> Option<Result<Response, ApiError>> {
        match self {
            Answerer::Entry(handler) => Some(handler.handle(request)),
            Answerer::Service(service) => service.handle(request),
        }
    }
}

impl State {
    /// A fresh deployment of the services of `references`, started at
    /// `started`, knowing these static clients (read-only, never expiring),
    /// roles (`(roleId, scopes)`) and what the user's test answers; an
    /// error when a user's handler is for an entry the fake answers already.
    pub(crate) fn new(
        static_clients: Vec<StaticClient>,
        roles: Vec<(String, Vec<String>)>,
        user: UserAnswers,
        messages: Arc<MessageSchemas>,
        references: &References,
        started: Instant,
    ) -> Result<Self, String> {
        let auth = Arc::new(auth::Auth::new(static_clients, roles));
        let signer = auth.signer();
        let blobs = Arc::new(Blobs::new());
        let object = Arc::new(object::Objects::new(blobs.clone()));
        let queue = Arc::new(queue::Queue::new(
            signer.clone(),
            object.clone(),
            blobs.clone(),
            messages,
        ));
        let index = Arc::new(index::Index::new(signer));
        let secrets = Arc::new(secrets::Secrets::new());
        let hooks = Arc::new(hooks::Hooks::new());

        let mut registry = Registry::default();
        for service in references.services.values() {
            registry.add_core(service, started);
        }
        registry.add_service(&auth);
        registry.add_service(&queue);
        registry.add_service(&object);
        registry.add_service(&index);
        registry.add_service(&secrets);
        registry.add_service(&hooks);
        for (service, entry, handler) in user.handlers {
            registry.add(&service, &entry, handler)?;
        }
        Ok(State {
            auth,
            queue,
            blobs,
            hooks,
            registry,
            own: user.services,
        })
    }

    /// Who answers `service.entry`, if anyone.
    pub(crate) fn answerer(&self, service: &str, entry: &str) -> Option<Answerer<'_>> {
        match self.registry.get(service, entry) {
            Some(handler) => Some(Answerer::Entry(handler)),
            None => self
                .own
                .get(service)
                .map(|service| Answerer::Service(&**service)),
        }
    }

    /// The services that keep state of their own.
    pub(crate) const STATEFUL: [&str; 6] = ["auth", "queue", "object", "secrets", "index", "hooks"];
}

#[cfg(test)]
pub(crate) mod schema_check;
#[cfg(test)]
pub(crate) mod testing;
