//! The index service.
//!
//! Implemented entries: `insertTask`, `findTask`, `deleteTask`,
//! `listNamespaces`, `listTasks`, `findTasksAtIndex`, `findArtifactFromTask`.
//!
//! As in Taskcluster: an index path `a.b.c` is the task `c` in namespace
//! `a.b`; inserting creates the parent namespaces, whose expiry is the
//! latest expiry of what they hold rounded up to the next midnight (UTC
//! here); an insert with a lower rank than the existing entry leaves it in
//! place and answers the existing entry (200); expired entries are not
//! found, listed or ranked against. `findArtifactFromTask` redirects (303) to
//! the queue's `getLatestArtifact` URL with the artifact name
//! percent-encoded, signed with a bewit (15 minutes) by a static client that
//! holds `queue:get-artifact:<name>` (Taskcluster leaves public artifacts
//! unsigned; a signed URL works for them too). Listings page 1000 entries by
//! default.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{Map, Value, json};

use super::auth::Signer;
use crate::error::ApiError;
use crate::service::{Request, Response};
use crate::services::registry::{Entries, Entry};
use crate::support::clock::{format_ms, now_ms};
use crate::support::json::{required_text, string_list, time_field};
use crate::support::paging::{Paging, with_token};
use crate::support::sync::lock;
use crate::support::url::encode_component;

const DAY_MS: i64 = 86_400_000;

/// The index service's state.
pub struct Index {
    signer: Signer,
    data: Mutex<IndexData>,
}

#[derive(Default)]
struct IndexData {
    /// `(namespace, name)` to the indexed task.
    tasks: BTreeMap<(String, String), Indexed>,
    /// `(parent, name)` to the namespace's expiry.
    namespaces: BTreeMap<(String, String), i64>,
}

#[derive(Clone)]
struct Indexed {
    rank: Value,
    task_id: String,
    data: Value,
    expires_ms: i64,
}

/// `a.b.c` to (`a.b`, `c`); `c` to (``, `c`).
fn split_path(path: &str) -> (String, String) {
    match path.rsplit_once('.') {
        Some((namespace, name)) => (namespace.to_string(), name.to_string()),
        None => (String::new(), path.to_string()),
    }
}

fn join_path(namespace: &str, name: &str) -> String {
    if namespace.is_empty() || name.is_empty() {
        format!("{namespace}{name}")
    } else {
        format!("{namespace}.{name}")
    }
}

fn task_json(namespace: &str, name: &str, task: &Indexed) -> Value {
    json!({
        "namespace": join_path(namespace, name),
        "taskId": task.task_id,
        "rank": task.rank,
        "data": task.data,
        "expires": format_ms(task.expires_ms),
    })
}

fn rank_of(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

impl IndexData {
    fn live(&self, namespace: &str, name: &str, now: i64) -> Option<&Indexed> {
        self.tasks
            .get(&(namespace.to_string(), name.to_string()))
            .filter(|t| t.expires_ms > now)
    }

    /// Creates or extends the namespaces holding `namespace` itself.
    fn ensure_namespace(&mut self, namespace: &str, expires_ms: i64) {
        if namespace.is_empty() {
            return;
        }
        let rounded = (expires_ms.div_euclid(DAY_MS) + 1) * DAY_MS;
        let parts: Vec<&str> = namespace.split('.').collect();
        for i in 0..parts.len() {
            let key = (parts[..i].join("."), parts[i].to_string());
            let entry = self.namespaces.entry(key).or_insert(rounded);
            if *entry < rounded {
                *entry = rounded;
            }
        }
    }
}

impl Index {
    /// An empty index; `signer` signs the artifact URLs it redirects to.
    pub(crate) fn new(signer: Signer) -> Self {
        Index {
            signer,
            data: Mutex::new(IndexData::default()),
        }
    }

    fn namespace_arg(request: &Request<'_>) -> String {
        request.args.get("namespace").cloned().unwrap_or_default()
    }

    fn insert_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let (namespace, name) = split_path(&Self::namespace_arg(request));
        let body = request.body_object()?;
        let expires_ms = time_field(body, "expires")?;
        let task_id = required_text(body, "taskId")?;
        let rank = body
            .get("rank")
            .filter(|v| v.is_number())
            .cloned()
            .ok_or_else(|| ApiError::input("`rank` must be a number"))?;
        let data = body.get("data").cloned().unwrap_or_else(|| json!({}));
        let now = now_ms();
        let mut index = lock(&self.data);
        if let Some(existing) = index.live(&namespace, &name, now)
            && rank_of(&existing.rank) > rank_of(&rank)
        {
            return Ok(Response::Json(task_json(&namespace, &name, existing)));
        }
        let task = Indexed {
            rank,
            task_id,
            data,
            expires_ms,
        };
        index.ensure_namespace(&namespace, expires_ms);
        let body = task_json(&namespace, &name, &task);
        index.tasks.insert((namespace, name), task);
        Ok(Response::Json(body))
    }

    fn find_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let (namespace, name) = split_path(request.arg("indexPath")?);
        let index = lock(&self.data);
        index
            .live(&namespace, &name, now_ms())
            .map(|t| Response::Json(task_json(&namespace, &name, t)))
            .ok_or_else(|| ApiError::not_found("Indexed task not found"))
    }

    fn delete_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let (namespace, name) = split_path(&Self::namespace_arg(request));
        lock(&self.data).tasks.remove(&(namespace, name));
        Ok(Response::Empty)
    }

    fn list_namespaces(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let paging = Paging::from_query(&request.query, Some(1000), Some(1000))?;
        let parent = Self::namespace_arg(request);
        let now = now_ms();
        let index = lock(&self.data);
        let all: Vec<Value> = index
            .namespaces
            .iter()
            .filter(|((p, _), expires)| *p == parent && **expires > now)
            .map(|((p, name), expires)| {
                json!({
                    "namespace": join_path(p, name),
                    "name": name,
                    "expires": format_ms(*expires),
                })
            })
            .collect();
        let (page, token) = paging.apply(all);
        Ok(Response::Json(with_token(
            json!({ "namespaces": page }),
            token,
        )))
    }

    fn list_tasks(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let paging = Paging::from_query(&request.query, Some(1000), Some(1000))?;
        let namespace = Self::namespace_arg(request);
        let now = now_ms();
        let index = lock(&self.data);
        let all: Vec<Value> = index
            .tasks
            .iter()
            .filter(|((ns, _), t)| *ns == namespace && t.expires_ms > now)
            .map(|((ns, name), t)| task_json(ns, name, t))
            .collect();
        let (page, token) = paging.apply(all);
        Ok(Response::Json(with_token(json!({ "tasks": page }), token)))
    }

    fn find_tasks_at_index(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let paging = Paging::from_query(&request.query, Some(1000), Some(1000))?;
        let body = request.body_object()?;
        let paths = string_list(body.get("indexes"));
        let now = now_ms();
        let index = lock(&self.data);
        let found: Vec<Value> = paths
            .iter()
            .filter_map(|path| {
                let (namespace, name) = split_path(path);
                index
                    .live(&namespace, &name, now)
                    .map(|t| task_json(&namespace, &name, t))
            })
            .collect();
        let (page, token) = paging.apply(found);
        Ok(Response::Json(with_token(json!({ "tasks": page }), token)))
    }

    fn find_artifact_from_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let (namespace, name) = split_path(request.arg("indexPath")?);
        let artifact = request.arg("name")?;
        let task_id = {
            let index = lock(&self.data);
            index
                .live(&namespace, &name, now_ms())
                .map(|t| t.task_id.clone())
                .ok_or_else(|| ApiError::not_found("Indexed task not found"))?
        };
        let url = format!(
            "{}/api/queue/v1/task/{}/artifacts/{}",
            request.root_url.trim_end_matches('/'),
            encode_component(&task_id),
            encode_component(artifact)
        );
        let location = self.sign(&url, artifact).unwrap_or(url);
        Ok(Response::Redirect {
            location,
            body: json!({}),
            headers: Vec::new(),
        })
    }

    /// `url` with a bewit valid for 15 minutes, signed by a static client
    /// that may read the artifact; `None` when there is no static client.
    fn sign(&self, url: &str, artifact: &str) -> Option<String> {
        let (client_id, token) = self
            .signer
            .issuer(&[format!("queue:get-artifact:{artifact}")])?;
        let parsed = url::Url::parse(url).ok()?;
        let credentials = hawk::Credentials {
            id: client_id,
            key: hawk::Key::new(token.as_bytes(), hawk::SHA256).ok()?,
        };
        let expiry = std::time::SystemTime::now() + std::time::Duration::from_secs(15 * 60);
        let request = hawk::RequestBuilder::from_url("GET", &parsed)
            .ok()?
            .request();
        let bewit = request.make_bewit(&credentials, expiry).ok()?;
        let mut signed = parsed.clone();
        signed
            .query_pairs_mut()
            .append_pair("bewit", &bewit.to_str());
        Some(signed.to_string())
    }
}

/// `indexPaths` of `findTasksAtIndex`: the index paths of the body.
fn index_paths(_: &Index, request: &Request<'_>, params: &mut Map<String, Value>) {
    let paths = request
        .body
        .as_ref()
        .map(|b| string_list(b.get("indexes")))
        .unwrap_or_default();
    params.insert("indexPaths".into(), json!(paths));
}

/// `namespace`, empty for the root namespace (a route without it).
fn namespace_default(_: &Index, _: &Request<'_>, params: &mut Map<String, Value>) {
    params
        .entry("namespace")
        .or_insert_with(|| Value::String(String::new()));
}

impl Entries for Index {
    const SERVICE: &'static str = "index";
    const ENTRIES: &'static [Entry<Self>] = &[
        Entry::new("insertTask", Index::insert_task).scoped(namespace_default),
        Entry::new("findTask", Index::find_task),
        Entry::new("deleteTask", Index::delete_task).scoped(namespace_default),
        Entry::new("listNamespaces", Index::list_namespaces).scoped(namespace_default),
        Entry::new("listTasks", Index::list_tasks).scoped(namespace_default),
        Entry::new("findTasksAtIndex", Index::find_tasks_at_index).scoped(index_paths),
        Entry::new("findArtifactFromTask", Index::find_artifact_from_task),
    ];
}

#[cfg(test)]
mod tests;
