//! The queue's data: tasks, runs, artifacts, task groups and the
//! constants of Taskcluster's queue, with the error answers they share.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::references::message_schemas::MessageSchemas;
use crate::service::{Request, Response};
use crate::services::auth::Signer;
use crate::services::object::Objects;
use crate::storage::Blobs;
use crate::support::clock::{format_ms, now_ms};
use crate::support::sync::lock;

/// Prefix of the queue's exchange names.
pub const EXCHANGE_PREFIX: &str = "exchange/taskcluster-queue/v1/";

pub(super) const PRIORITIES: [&str; 7] = [
    "highest",
    "very-high",
    "high",
    "medium",
    "low",
    "very-low",
    "lowest",
];

pub(super) const MINUTE_MS: i64 = 60 * 1000;

pub(super) const HOUR_MS: i64 = 60 * MINUTE_MS;

pub(super) const DAY_MS: i64 = 24 * HOUR_MS;

/// How long the `putUrl` of an `s3` artifact stays valid, as in Taskcluster.
pub(super) const S3_PUT_URL_MS: i64 = 45 * MINUTE_MS;

pub(super) const CLAIM_TIMEOUT_MS: i64 = 20 * MINUTE_MS;

pub(super) const DRIFT_MS: i64 = 15 * MINUTE_MS;

pub(super) const MAX_DEADLINE_MS: i64 = 5 * 24 * 60 * MINUTE_MS;

pub(super) const MAX_RUNS: usize = 50;

pub(super) const DEFAULT_PAGE: Option<usize> = Some(1000);

/// A message publisher: exchange, primary routing key, CC routing keys,
/// message.
pub(super) type PublishFn = dyn Fn(&str, &str, &[String], Value) + Send + Sync;

/// The Pulse hook of [`Queue::set_publisher`]: called with the exchange's
/// full name, the primary routing key and the message.
#[allow(
    dead_code,
    reason = "the simple form of the hook; the server installs the CC form"
)]
pub type Publisher = Box<dyn Fn(&str, &str, Value) + Send + Sync>;

/// The Pulse hook of [`Queue::set_publisher_with_cc`]: called with the
/// exchange's full name, the primary routing key, the CC routing keys and
/// the message.
pub type CcPublisher = Box<dyn Fn(&str, &str, &[String], Value) + Send + Sync>;

/// The queue's state.
pub struct Queue {
    pub(super) signer: Signer,
    pub(super) objects: Arc<Objects>,
    pub(super) blobs: Arc<Blobs>,
    pub(super) data: Mutex<QueueData>,
    pub(super) publisher: Mutex<Option<Arc<PublishFn>>>,
    /// Every message is checked against its exchange's schema first.
    pub(super) messages: Arc<MessageSchemas>,
}

/// The header naming an artifact answer's storage type.
pub(super) const STORAGE_TYPE_HEADER: &str = "x-taskcluster-artifact-storage-type";

/// A message to publish once the state lock is released.
pub(super) struct Event {
    pub(super) exchange: &'static str,
    pub(super) routing_key: String,
    pub(super) cc: Vec<String>,
    pub(super) message: Value,
}

#[derive(Default)]
pub(super) struct QueueData {
    pub(super) tasks: BTreeMap<String, Task>,
    pub(super) groups: BTreeMap<String, Group>,
    /// taskId to the tasks that depend on it, in creation order.
    pub(super) dependents: BTreeMap<String, Vec<String>>,
    /// Orders pending runs (and so claims) within a priority.
    pub(super) seq: u64,
}

pub(super) struct Task {
    pub(super) task_id: String,
    /// The definition as `task` answers it (defaults filled in).
    pub(super) definition: Value,
    pub(super) provisioner_id: String,
    pub(super) worker_type: String,
    pub(super) task_queue_id: String,
    pub(super) scheduler_id: String,
    pub(super) project_id: String,
    pub(super) task_group_id: String,
    pub(super) priority: String,
    pub(super) routes: Vec<String>,
    pub(super) scopes: Vec<String>,
    pub(super) tags: Value,
    pub(super) dependencies: Vec<String>,
    pub(super) all_resolved: bool,
    pub(super) retries: u64,
    pub(super) retries_left: u64,
    pub(super) deadline_ms: i64,
    pub(super) expires_ms: i64,
    /// Dependencies already satisfied.
    pub(super) satisfied: BTreeSet<String>,
    pub(super) runs: Vec<Run>,
    /// Artifacts of each run, by name.
    pub(super) artifacts: Vec<BTreeMap<String, Artifact>>,
    pub(super) ever_resolved: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum RunState {
    Pending,
    Running,
    Completed,
    Failed,
    Exception,
}

impl RunState {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            RunState::Pending => "pending",
            RunState::Running => "running",
            RunState::Completed => "completed",
            RunState::Failed => "failed",
            RunState::Exception => "exception",
        }
    }

    pub(super) fn is_resolved(self) -> bool {
        matches!(
            self,
            RunState::Completed | RunState::Failed | RunState::Exception
        )
    }
}

pub(super) struct Run {
    pub(super) state: RunState,
    pub(super) reason_created: &'static str,
    pub(super) reason_resolved: Option<String>,
    pub(super) worker_group: Option<String>,
    pub(super) worker_id: Option<String>,
    pub(super) taken_until: Option<i64>,
    pub(super) scheduled: i64,
    pub(super) started: Option<i64>,
    pub(super) resolved: Option<i64>,
    pub(super) seq: u64,
}

impl Run {
    pub(super) fn pending(reason_created: &'static str, now: i64, seq: u64) -> Run {
        Run {
            state: RunState::Pending,
            reason_created,
            reason_resolved: None,
            worker_group: None,
            worker_id: None,
            taken_until: None,
            scheduled: now,
            started: None,
            resolved: None,
            seq,
        }
    }

    pub(super) fn resolve(&mut self, state: RunState, reason: &str, now: i64) {
        self.state = state;
        self.reason_resolved = Some(reason.to_string());
        self.resolved = Some(now);
    }
}

#[derive(Clone, PartialEq)]
pub(super) struct Artifact {
    pub(super) storage_type: String,
    pub(super) content_type: String,
    pub(super) expires_ms: i64,
    /// As Taskcluster stores them: what a repeated `createArtifact` must
    /// match (`uploadId` of an unfinished `object` artifact, the `prefix` of
    /// an `s3` one, ...).
    pub(super) details: Value,
    /// `object` artifacts are present once finished; others at once.
    pub(super) present: bool,
    /// The size the worker reported, if any.
    pub(super) content_length: Option<u64>,
    /// The data of an `s3` artifact and its download token.
    pub(super) blob: Option<(u64, String)>,
}

pub(super) struct Group {
    pub(super) scheduler_id: String,
    pub(super) expires_ms: i64,
    pub(super) sealed_ms: Option<i64>,
    pub(super) members: Vec<String>,
}

impl Group {
    pub(super) fn json(&self, task_group_id: &str) -> Value {
        let mut body = json!({
            "taskGroupId": task_group_id,
            "schedulerId": self.scheduler_id,
            "expires": format_ms(self.expires_ms),
        });
        if let (Some(sealed), Some(map)) = (self.sealed_ms, body.as_object_mut()) {
            map.insert("sealed".into(), Value::String(format_ms(sealed)));
        }
        body
    }
}

impl Artifact {
    pub(super) fn json(&self, name: &str) -> Value {
        let mut body = json!({
            "storageType": self.storage_type,
            "name": name,
            "expires": format_ms(self.expires_ms),
            "contentType": self.content_type,
        });
        if let (Some(length), Some(map)) = (self.content_length, body.as_object_mut()) {
            map.insert("contentLength".into(), json!(length));
        }
        body
    }
}

pub(super) fn task_not_found(task_id: &str) -> ApiError {
    ApiError::not_found(format!(
        "Task `{task_id}` not found. Are you sure it was created?"
    ))
}

pub(super) fn run_not_found(task_id: &str, run_id: usize) -> ApiError {
    ApiError::not_found(format!("Run {run_id} not found on task `{task_id}`."))
}

pub(super) fn resolved_conflict(task_id: &str, run_id: usize) -> ApiError {
    ApiError::conflict(format!(
        "Run {run_id} on task `{task_id}` is resolved or not running."
    ))
}

pub(super) fn deadline_conflict(task: &Task, what: &str) -> ApiError {
    ApiError::conflict(format!(
        "Task `{}` can't be {what} past its deadline of {}.",
        task.task_id,
        format_ms(task.deadline_ms)
    ))
}

pub(super) fn run_id_arg(request: &Request<'_>) -> Result<usize, ApiError> {
    let text = request.arg("runId")?;
    text.parse()
        .map_err(|_| ApiError::input(format!("runId `{text}` is not a run number")))
}

impl Task {
    pub(super) fn state(&self) -> &'static str {
        self.runs
            .last()
            .map(|r| r.state.as_str())
            .unwrap_or("unscheduled")
    }

    pub(super) fn last_state(&self) -> Option<RunState> {
        self.runs.last().map(|r| r.state)
    }

    pub(super) fn status_json(&self) -> Value {
        let runs: Vec<Value> = self
            .runs
            .iter()
            .enumerate()
            .map(|(run_id, run)| {
                let mut map = Map::new();
                map.insert("runId".into(), json!(run_id));
                map.insert("state".into(), json!(run.state.as_str()));
                map.insert("reasonCreated".into(), json!(run.reason_created));
                if let Some(reason) = &run.reason_resolved {
                    map.insert("reasonResolved".into(), json!(reason));
                }
                if let Some(wg) = &run.worker_group {
                    map.insert("workerGroup".into(), json!(wg));
                }
                if let Some(wid) = &run.worker_id {
                    map.insert("workerId".into(), json!(wid));
                }
                if let Some(t) = run.taken_until {
                    map.insert("takenUntil".into(), json!(format_ms(t)));
                }
                map.insert("scheduled".into(), json!(format_ms(run.scheduled)));
                if let Some(t) = run.started {
                    map.insert("started".into(), json!(format_ms(t)));
                }
                if let Some(t) = run.resolved {
                    map.insert("resolved".into(), json!(format_ms(t)));
                }
                Value::Object(map)
            })
            .collect();
        json!({
            "taskId": self.task_id,
            "provisionerId": self.provisioner_id,
            "workerType": self.worker_type,
            "taskQueueId": self.task_queue_id,
            "schedulerId": self.scheduler_id,
            "projectId": self.project_id,
            "taskGroupId": self.task_group_id,
            "priority": self.priority,
            "deadline": format_ms(self.deadline_ms),
            "expires": format_ms(self.expires_ms),
            "retriesLeft": self.retries_left,
            "state": self.state(),
            "runs": runs,
        })
    }

    pub(super) fn status_response(&self) -> Response {
        Response::Json(json!({ "status": self.status_json() }))
    }

    pub(super) fn priority_rank(&self) -> usize {
        PRIORITIES
            .iter()
            .position(|p| *p == self.priority)
            .unwrap_or(PRIORITIES.len())
    }

    /// Adds a pending run; returns its id.
    pub(super) fn add_pending_run(
        &mut self,
        reason: &'static str,
        now: i64,
        seq: &mut u64,
    ) -> usize {
        *seq += 1;
        self.runs.push(Run::pending(reason, now, *seq));
        self.artifacts.push(BTreeMap::new());
        self.runs.len() - 1
    }

    /// A message about this task on `exchange` (which takes `runId` and, when
    /// `worker` and the run has one, the worker's identity).
    pub(super) fn event(
        &self,
        exchange: &'static str,
        run_id: Option<usize>,
        worker: bool,
        tags: bool,
        extra: Vec<(&str, Value)>,
    ) -> Event {
        let run = run_id.and_then(|id| self.runs.get(id));
        let (wg, wid) = match run {
            Some(run) if worker => (run.worker_group.clone(), run.worker_id.clone()),
            _ => (None, None),
        };
        let mut message = Map::new();
        message.insert("version".into(), json!(1));
        message.insert("status".into(), self.status_json());
        if let Some(id) = run_id {
            message.insert("runId".into(), json!(id));
        }
        if let (Some(wg), Some(wid)) = (&wg, &wid) {
            message.insert("workerGroup".into(), json!(wg));
            message.insert("workerId".into(), json!(wid));
        }
        if tags {
            message.insert("task".into(), json!({ "tags": self.tags }));
        }
        for (key, value) in extra {
            message.insert(key.into(), value);
        }
        let word = |w: Option<String>| w.unwrap_or_else(|| "_".into());
        let routing_key = format!(
            "primary.{}.{}.{}.{}.{}.{}.{}.{}._",
            self.task_id,
            word(run_id.map(|id| id.to_string())),
            word(wg),
            word(wid),
            self.provisioner_id,
            self.worker_type,
            self.scheduler_id,
            self.task_group_id
        );
        Event {
            exchange,
            routing_key,
            cc: self.routes.iter().map(|r| format!("route.{r}")).collect(),
            message: Value::Object(message),
        }
    }

    pub(super) fn pending_event(&self, run_id: usize) -> Event {
        self.event("task-pending", Some(run_id), false, true, vec![])
    }

    pub(super) fn exception_event(&self, run_id: usize) -> Event {
        self.event("task-exception", Some(run_id), true, true, vec![])
    }

    pub(super) fn artifacts_of(&self, run_id: usize) -> Option<&BTreeMap<String, Artifact>> {
        self.artifacts.get(run_id)
    }
}

impl Queue {
    /// An empty queue; `signer` issues task credentials, `objects` keeps
    /// the data of `object` artifacts and `blobs` that of `s3` ones.
    pub(crate) fn new(
        signer: Signer,
        objects: Arc<Objects>,
        blobs: Arc<Blobs>,
        messages: Arc<MessageSchemas>,
    ) -> Self {
        Queue {
            signer,
            objects,
            blobs,
            data: Mutex::new(QueueData::default()),
            publisher: Mutex::new(None),
            messages,
        }
    }

    /// Runs `f` on the state after applying timeouts, then publishes what it
    /// produced.
    pub(super) fn with_data<T>(
        &self,
        f: impl FnOnce(&mut QueueData, i64, &mut Vec<Event>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let now = now_ms();
        let mut events = Vec::new();
        let result = {
            let mut data = lock(&self.data);
            data.tick(now, &mut events);
            f(&mut data, now, &mut events)
        };
        self.publish(events)?;
        result
    }
}
