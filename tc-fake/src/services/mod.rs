//! The services that keep state: auth, queue, object, secrets, index and hooks.
//!
//! [`State`] owns one of each. The router finds a service by name with
//! [`State::service`] and calls [`Service::handle`]; entries a service does
//! not implement answer `None` (the router turns that into a 501).
//!
//! Shared conventions:
//! - timestamps are kept as milliseconds since the epoch and written as
//!   Taskcluster writes them (`2026-11-24T10:00:00.000Z`);
//! - continuation tokens are opaque strings (the offset of the next item);
//!   a page holds at most `limit` items and the last page has no
//!   `continuationToken` field at all;
//! - the state of each service sits behind a mutex; a poisoned lock is
//!   recovered rather than propagated.

pub mod auth;
pub mod hooks;
pub mod index;
pub mod object;
pub mod queue;
pub mod secrets;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::references::message_schemas::MessageSchemas;
use crate::service::Service;
use crate::storage::Blobs;

/// The state of the whole fake deployment.
pub struct State {
    /// Clients and roles.
    pub auth: auth::Auth,
    /// Tasks, runs, artifacts and task groups.
    pub queue: queue::Queue,
    /// Objects.
    pub object: Arc<object::Objects>,
    /// The data of objects and `s3` artifacts, on disk.
    pub(crate) blobs: Arc<Blobs>,
    /// Secrets.
    pub secrets: secrets::Secrets,
    /// The task index.
    pub index: index::Index,
    /// Hooks and their fires.
    pub hooks: hooks::Hooks,
    /// Services the caller implements ([`TcFakeBuilder::service`](crate::TcFakeBuilder::service)).
    pub(crate) own: BTreeMap<String, Box<dyn Service>>,
}

impl State {
    /// A fresh deployment knowing these static clients (read-only, never
    /// expiring), roles (`(roleId, scopes)`) and services the caller
    /// implements.
    pub(crate) fn new(
        static_clients: Vec<crate::static_client::StaticClient>,
        roles: Vec<(String, Vec<String>)>,
        own: BTreeMap<String, Box<dyn Service>>,
        messages: Arc<MessageSchemas>,
    ) -> Self {
        let auth = auth::Auth::new(static_clients, roles);
        let signer = auth.signer();
        let blobs = Arc::new(Blobs::new());
        let object = Arc::new(object::Objects::new(blobs.clone()));
        State {
            queue: queue::Queue::new(signer.clone(), object.clone(), blobs.clone(), messages),
            index: index::Index::new(signer),
            secrets: secrets::Secrets::new(),
            hooks: hooks::Hooks::new(),
            object,
            blobs,
            auth,
            own,
        }
    }

    /// The service with this name (`auth`, `queue`, `object`, `secrets`,
    /// `index`, `hooks`, or one the caller implements).
    pub fn service(&self, name: &str) -> Option<&dyn Service> {
        match name {
            "auth" => Some(&self.auth),
            "queue" => Some(&self.queue),
            "object" => Some(&*self.object),
            "secrets" => Some(&self.secrets),
            "index" => Some(&self.index),
            "hooks" => Some(&self.hooks),
            _ => self.own.get(name).map(|service| &**service),
        }
    }

    /// The services that keep state of their own.
    pub(crate) const STATEFUL: [&str; 6] = ["auth", "queue", "object", "secrets", "index", "hooks"];
}

#[cfg(test)]
pub(crate) mod schema_check;
#[cfg(test)]
pub(crate) mod testing;
