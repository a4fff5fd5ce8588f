// Included from queue/mod.rs under #[cfg(test)]: all of this file is test code.
//! Helpers of the queue's unit tests: a queue with a recording publisher,
//! task definitions, claims and message checks.

mod claims;
mod events;
mod groups;
mod lifecycle;
mod tasks;

use super::model::*;
use super::tasks::*;
use crate::error::ApiError;
use crate::references::message_schemas::MessageSchemas;
use crate::service::{Request, Response};
use crate::services::auth::Auth;
use crate::services::object::Objects;
use crate::services::schema_check;
use crate::services::testing::{call, json, status};
use crate::storage::Blobs;
use crate::support::clock::parse_time;
use crate::support::clock::{format_ms, now_ms};
use crate::support::json::string_list;
use crate::support::sync::lock;
use base64::Engine as _;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

type Published = Arc<Mutex<Vec<(String, String, Vec<String>, Value)>>>;

const QUEUE_TOKEN: &str = "queue-static-token";

/// The reference set's message schemas, read once for all tests.
fn messages() -> Arc<MessageSchemas> {
    static MESSAGES: std::sync::OnceLock<Arc<MessageSchemas>> = std::sync::OnceLock::new();
    MESSAGES
        .get_or_init(|| {
            let refs = crate::references::References::load(std::path::Path::new(
                crate::references::DEFAULT_REFERENCES,
            ))
            .unwrap();
            let schemas = Arc::new(crate::references::validation::Schemas::new(refs.schemas));
            Arc::new(MessageSchemas::new(schemas, refs.exchanges))
        })
        .clone()
}

fn queue() -> (Queue, Published) {
    let auth = Auth::new(
        vec![crate::static_client::StaticClient {
            client_id: "static/taskcluster/queue".into(),
            access_token: QUEUE_TOKEN.into(),
            scopes: vec!["*".into()],
        }],
        vec![],
    );
    let blobs = Arc::new(Blobs::new());
    let objects = Arc::new(Objects::new(blobs.clone()));
    let q = Queue::new(auth.signer(), objects, blobs, messages());
    let published: Published = Arc::default();
    let sink = published.clone();
    q.set_publisher_with_cc(Box::new(move |exchange, key, cc, message| {
        lock(&sink).push((exchange.to_string(), key.to_string(), cc.to_vec(), message));
    }));
    (q, published)
}

fn go(
    q: &Queue,
    name: &str,
    args: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<Value>,
) -> Result<Response, ApiError> {
    call(q, "queue", name, args, query, body)
}

fn definition(extra: Value) -> Value {
    let now = now_ms();
    let mut def = json!({
        "taskQueueId": "prov/worker-type",
        "created": format_ms(now),
        "deadline": format_ms(now + 3_600_000),
        "payload": {"command": ["true"]},
        "metadata": {"name": "t", "description": "d", "owner": "o@example.com", "source": "https://example.com/"},
        "routes": ["index.a.b"],
    });
    if let (Some(map), Some(extra)) = (def.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            map.insert(k.clone(), v.clone());
        }
    }
    def
}

fn create(q: &Queue, task_id: &str, extra: Value) -> Value {
    json(go(
        q,
        "createTask",
        &[("taskId", task_id)],
        &[],
        Some(definition(extra)),
    ))["status"]
        .clone()
}

fn claim_one(q: &Queue) -> Value {
    let claims = json(go(
        q,
        "claimWork",
        &[("taskQueueId", "prov/worker-type")],
        &[],
        Some(json!({
            "workerGroup": "wg", "workerId": "wi", "tasks": 1,
        })),
    ));
    claims["tasks"][0].clone()
}

fn run_args<'a>(task_id: &'a str, run_id: &'a str) -> [(&'a str, &'a str); 2] {
    [("taskId", task_id), ("runId", run_id)]
}

/// Every message matches its exchange's schema.
fn check_messages(published: &Published) {
    let schemas = [
        ("task-defined", "v1/task-defined-message.json#"),
        ("task-pending", "v1/task-pending-message.json#"),
        ("task-running", "v1/task-running-message.json#"),
        ("artifact-created", "v1/artifact-created-message.json#"),
        ("task-completed", "v1/task-completed-message.json#"),
        ("task-failed", "v1/task-failed-message.json#"),
        ("task-exception", "v1/task-exception-message.json#"),
        ("task-group-resolved", "v1/task-group-changed-message.json#"),
        ("task-group-sealed", "v1/task-group-changed-message.json#"),
    ];
    for (exchange, _, _, message) in lock(published).iter() {
        let short = exchange.strip_prefix(EXCHANGE_PREFIX).unwrap();
        let schema = schemas.iter().find(|(e, _)| *e == short).unwrap().1;
        schema_check::validate("queue", schema, message);
    }
}

fn exchanges(published: &Published) -> Vec<String> {
    lock(published)
        .iter()
        .map(|(e, _, _, _)| e.strip_prefix(EXCHANGE_PREFIX).unwrap().to_string())
        .collect()
}
