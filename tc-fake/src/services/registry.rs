//! Who answers each entry, registered once by name: the entries every
//! service answers alike (`ping`, `version`, ...), every stateful service's
//! table of [`Entry`]s (the handler and, where the scope expression needs
//! more than the URL and the body, how to find those parameters), and the
//! [`Handler`]s a user's test adds for entries the fake does not model.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{Map, Value, json};
use tc_codegen::model;

use crate::error::ApiError;
use crate::service::{Handler, Request, Response, default_scope_params};

/// Answers one entry of the service whose state is `S`.
pub(crate) type Answer<S> = fn(&S, &Request<'_>) -> Result<Response, ApiError>;

/// Adds the parameters an entry's scope expression needs beyond the path
/// arguments and the body's fields (what Taskcluster's handler reads from
/// its state before checking scopes).
pub(crate) type ScopeParams<S> = fn(&S, &Request<'_>, &mut Map<String, Value>);

/// One row of a service's table.
pub(crate) struct Entry<S> {
    /// The entry's name in the references (`createTask`).
    pub(crate) name: &'static str,
    answer: Answer<S>,
    scope_params: Option<ScopeParams<S>>,
}

impl<S> Entry<S> {
    /// The entry `name`, answered by `answer`.
    pub(crate) const fn new(name: &'static str, answer: Answer<S>) -> Self {
        Entry {
            name,
            answer,
            scope_params: None,
        }
    }

    /// With parameters for its scope expression found by `scope_params`.
    pub(crate) const fn scoped(mut self, scope_params: ScopeParams<S>) -> Self {
        self.scope_params = Some(scope_params);
        self
    }
}

/// The state of a service that answers entries of its own.
pub(crate) trait Entries: Send + Sync + Sized + 'static {
    /// The service's name in the references (`queue`).
    const SERVICE: &'static str;
    /// The entries it answers.
    const ENTRIES: &'static [Entry<Self>];
}

/// The parameters of `entry`'s scope expression for `request`.
fn params_of<S>(state: &S, entry: &Entry<S>, request: &Request<'_>) -> Map<String, Value> {
    let mut params = default_scope_params(request);
    if let Some(scope_params) = entry.scope_params {
        scope_params(state, request, &mut params);
    }
    params
}

/// An entry of a service's table, with that service's state.
struct Bound<S: 'static> {
    state: Arc<S>,
    entry: &'static Entry<S>,
}

impl<S: Send + Sync + 'static> Handler for Bound<S> {
    fn scope_params(&self, request: &Request<'_>) -> Map<String, Value> {
        params_of(&*self.state, self.entry, request)
    }

    fn handle(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        (self.entry.answer)(&self.state, request)
    }
}

/// Every registered handler, by service and entry name.
#[derive(Default)]
pub(crate) struct Registry {
    handlers: BTreeMap<String, BTreeMap<String, Arc<dyn Handler>>>,
}

impl Registry {
    /// Registers every entry of `state`'s table.
    pub(crate) fn add_service<S: Entries>(&mut self, state: &Arc<S>) {
        for entry in S::ENTRIES {
            let bound = Bound {
                state: state.clone(),
                entry,
            };
            self.handlers
                .entry(S::SERVICE.to_owned())
                .or_default()
                .insert(entry.name.to_owned(), Arc::new(bound));
        }
    }

    /// Registers the entries every Taskcluster service answers alike
    /// (`ping`, `lbheartbeat`, `heartbeat`, `version`), for those of
    /// `service`'s entries that are them; `ping`'s uptime counts from
    /// `started`.
    pub(crate) fn add_core(&mut self, service: &model::Service, started: Instant) {
        for entry in &service.entries {
            let reference = &entry.reference;
            let handler: Arc<dyn Handler> =
                match (reference.name.as_str(), reference.route.as_str()) {
                    ("ping", "/ping") => Arc::new(move |_: &Request<'_>| {
                        Ok(Response::Json(json!({
                            "alive": true,
                            "uptime": started.elapsed().as_secs_f64(),
                        })))
                    }),
                    ("lbheartbeat", "/__lbheartbeat__") | ("heartbeat", "/__heartbeat__") => {
                        Arc::new(|_: &Request<'_>| Ok(Response::Json(json!({}))))
                    }
                    ("version", "/__version__") => Arc::new(|_: &Request<'_>| {
                        Ok(Response::Json(json!({
                            "source": "https://github.com/tc-client/tc-client",
                            "version": env!("CARGO_PKG_VERSION"),
                            "commit": "tc-fake",
                            "build": "tc-fake",
                        })))
                    }),
                    _ => continue,
                };
            self.handlers
                .entry(service.name.clone())
                .or_default()
                .insert(reference.name.clone(), handler);
        }
    }

    /// Registers `handler` for `service.entry`; an error when the entry
    /// already has one.
    pub(crate) fn add(
        &mut self,
        service: &str,
        entry: &str,
        handler: Arc<dyn Handler>,
    ) -> Result<(), String> {
        let entries = self.handlers.entry(service.to_owned()).or_default();
        if entries.contains_key(entry) {
            return Err(format!(
                "{service}.{entry} is answered by tc-fake already and cannot be replaced"
            ));
        }
        entries.insert(entry.to_owned(), handler);
        Ok(())
    }

    /// The handler of `service.entry`, if one is registered.
    pub(crate) fn get(&self, service: &str, entry: &str) -> Option<&dyn Handler> {
        self.handlers
            .get(service)
            .and_then(|entries| entries.get(entry))
            .map(|handler| &**handler)
    }
}

/// The row of `S`'s table for `request`'s entry, for unit tests.
#[cfg(test)]
fn entry_of<S: Entries>(request: &Request<'_>) -> Option<&'static Entry<S>> {
    S::ENTRIES
        .iter()
        .find(|entry| entry.name == request.entry.name)
}

/// Answers `request` from `state`'s table (`None`: not in it), for unit tests.
#[cfg(test)]
pub(crate) fn answer<S: Entries>(
    state: &S,
    request: &Request<'_>,
) -> Option<Result<Response, ApiError>> {
    entry_of::<S>(request).map(|entry| (entry.answer)(state, request))
}

/// The scope parameters `state`'s table finds for `request`, for unit tests.
#[cfg(test)]
pub(crate) fn scope_params<S: Entries>(state: &S, request: &Request<'_>) -> Map<String, Value> {
    match entry_of::<S>(request) {
        Some(entry) => params_of(state, entry, request),
        None => default_scope_params(request),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::authentication::caller::Caller;

    struct Counter;

    fn double(_: &Counter, request: &Request<'_>) -> Result<Response, ApiError> {
        let n = request
            .arg("n")?
            .parse::<i64>()
            .map_err(|_| ApiError::input("n"))?;
        Ok(Response::Json(json!({ "n": n * 2 })))
    }

    impl Entries for Counter {
        const SERVICE: &'static str = "counter";
        const ENTRIES: &'static [Entry<Self>] =
            &[Entry::new("double", double).scoped(|_, request, params| {
                params.insert("doubled".into(), json!(request.args.len()));
            })];
    }

    #[test]
    fn entries_are_found_by_name_and_cannot_be_registered_twice() {
        let mut registry = Registry::default();
        registry.add_service(&Arc::new(Counter));
        let entry = crate::services::testing::entry("queue", "task");
        let caller = Caller::default();
        let request = Request {
            service: "counter",
            entry,
            args: [("n".to_owned(), "21".to_owned())].into(),
            query: BTreeMap::new(),
            body: None,
            caller: &caller,
            root_url: "http://127.0.0.1:1",
        };
        let handler = registry.get("counter", "double").unwrap();
        assert_eq!(
            handler.handle(&request).unwrap(),
            Response::Json(json!({"n": 42}))
        );
        assert_eq!(handler.scope_params(&request)["doubled"], json!(1));
        assert_eq!(handler.scope_params(&request)["n"], json!("21"));
        assert!(registry.get("counter", "triple").is_none());
        assert!(registry.get("queue", "double").is_none());

        let again = registry.add(
            "counter",
            "double",
            Arc::new(Bound {
                state: Arc::new(Counter),
                entry: &Counter::ENTRIES[0],
            }),
        );
        assert!(again.unwrap_err().contains("counter.double"));
    }
}
