// Included from services/mod.rs under #[cfg(test)]: all of this file is test code.
//! Helpers shared by the services' unit tests.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;
use tc_codegen::model;
use tc_codegen::reference::ApiEntry;

use crate::authentication::caller::Caller;
use crate::error::ApiError;
use crate::service::{Request, Response};
use crate::services::registry::Entries;

/// The references directory of the workspace.
pub fn references_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("references")
}

/// The API entry `name` of `service`, from the real reference.
pub fn entry(service: &str, name: &str) -> &'static ApiEntry {
    static REFS: OnceLock<BTreeMap<String, model::Service>> = OnceLock::new();
    let refs = REFS.get_or_init(|| {
        let mut loader = tc_codegen::loader::Loader::new(references_dir()).unwrap();
        model::services(&mut loader)
            .unwrap()
            .into_iter()
            .map(|s| (s.name.clone(), s))
            .collect()
    });
    &refs[service]
        .entry(name)
        .unwrap_or_else(|| panic!("no entry {service}.{name}"))
        .reference
}

/// A caller holding `*`.
pub fn root() -> Caller {
    Caller {
        client_id: Some("root".into()),
        scopes: vec!["*".into()],
    }
}

/// Calls `service.entry` with path arguments, query and body; also checks
/// the answer against the entry's output schema.
pub fn call<S: Entries>(
    service: &S,
    svc: &str,
    name: &str,
    args: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<Value>,
) -> Result<Response, ApiError> {
    call_as(service, svc, name, args, query, body, &root())
}

/// Like [`call`], as `caller`.
pub fn call_as<S: Entries>(
    service: &S,
    svc: &str,
    name: &str,
    args: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<Value>,
    caller: &Caller,
) -> Result<Response, ApiError> {
    let entry = entry(svc, name);
    let request = Request {
        service: svc,
        entry,
        args: args
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        query: query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body,
        caller,
        root_url: "http://127.0.0.1:1234",
    };
    let answer = crate::services::registry::answer(service, &request)
        .unwrap_or_else(|| panic!("{svc}.{name} is not implemented"));
    if let Ok(response) = &answer {
        let body = match response {
            Response::Json(v) => Some(v),
            Response::Redirect { body, .. } => Some(body),
            Response::Empty | Response::Status { .. } => None,
        };
        if let (Some(output), Some(body)) = (&entry.output, body) {
            crate::services::schema_check::validate(svc, output, body);
        }
    }
    answer
}

/// The JSON body of an answer (panics on errors and empty answers).
pub fn json(answer: Result<Response, ApiError>) -> Value {
    match answer {
        Ok(Response::Json(v)) => v,
        other => panic!("expected a JSON answer, got {other:?}"),
    }
}

/// The status of an error answer.
pub fn status(answer: Result<Response, ApiError>) -> u16 {
    match answer {
        Err(e) => e.status,
        Ok(other) => panic!("expected an error, got {other:?}"),
    }
}
