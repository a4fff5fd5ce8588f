//! The queue service: tasks, runs, claims, artifacts and task groups.
//!
//! Implemented entries: `createTask`, `task`, `status`, `tasks`, `statuses`,
//! `scheduleTask`, `rerunTask`, `cancelTask`, `claimWork`, `claimTask`,
//! `reclaimTask`, `reportCompleted`, `reportFailed`, `reportException`,
//! `createArtifact`, `finishArtifact`, `getArtifact`, `getLatestArtifact`,
//! `artifact`, `latestArtifact`, `artifactInfo`, `latestArtifactInfo`,
//! `listArtifacts`,
//! `listLatestArtifacts`, `listTaskGroup`, `getTaskGroup`, `sealTaskGroup`,
//! `cancelTaskGroup`, `listDependentTasks`, `pendingTasks`,
//! `taskQueueCounts`.
//!
//! Behaviour follows Taskcluster's queue:
//! - `createTask` fills in the defaults (`taskGroupId` = `taskId`,
//!   `schedulerId` `-`, `projectId` `none`, `priority` `lowest`, `retries` 5,
//!   `expires` = `deadline` + 1 year, ...), accepts `taskQueueId` or
//!   `provisionerId` + `workerType` (and answers both), checks `created`
//!   (±15 min), `deadline` (future, at most 5 days) and `expires`, and is
//!   idempotent: the same definition again answers the current status, a
//!   different one 409. A sealed task group or one with another
//!   `schedulerId` answers 409. Dependencies must exist (400 otherwise) and
//!   not expire before the deadline; a task waits `unscheduled` until all of
//!   them are `completed` (`requires: all-completed`) or resolved in any way
//!   (`all-resolved`), then gets a `pending` run. A dependency that has been
//!   satisfied stays satisfied (as in Taskcluster), even if it is rerun.
//! - runs: `reasonCreated` `scheduled`, `retry`, `task-retry`, `rerun`,
//!   `exception`; claims last 20 minutes (`takenUntil`); an expired claim is
//!   resolved `exception`/`claim-expired` and retried while `retriesLeft`
//!   allows, and a task past its deadline is resolved
//!   `exception`/`deadline-exceeded`. These timeouts are applied lazily, at
//!   the start of each request to the queue.
//! - `reportException` with `worker-shutdown` (new run `retry`) or
//!   `intermittent-task` (new run `task-retry`) retries while `retriesLeft`
//!   > 0 and decrements it; other reasons resolve the task.
//! - `claimWork` never blocks: with no pending task for the queue it answers
//!   an empty list at once (Taskcluster long-polls ~20 s). Pending tasks are
//!   claimed by priority, then in the order they became pending.
//! - claims carry real temporary credentials (named
//!   `task-client/<taskId>/<runId>/on/<workerGroup>/<workerId>/until/<secs>`,
//!   with the task's scopes plus `queue:reclaim-task`, `queue:resolve-task`
//!   and `queue:create-artifact` for the run), signed by the first static
//!   client whose scopes cover them; with no static client at all they are
//!   well-formed but signed with a throw-away key.
//! - artifacts: every storage type. `getArtifact` follows links, redirects
//!   with 303 to a reference's URL, an `s3` artifact's data or an `object`
//!   artifact's data (body `{storageType, url}`), and answers 424 for an
//!   error artifact with the body `{reason, message}` (not Taskcluster's
//!   error shape, as the v106 queue answers it); `artifact`/`latestArtifact` answer the content's
//!   description instead (for `object`: the object's name and credentials
//!   with `object:download:<name>` for one hour). `object` artifacts are
//!   created through the object service (`createArtifact` locks in an
//!   upload of the object `t/<taskId>/<runId>/<name>` in the task's project
//!   and answers its `uploadId` and credentials with
//!   `object:upload:<projectId>:<name>`, valid until the artifact expires or
//!   for a day) and are present, fetchable and announced (`artifact-created`)
//!   only after `finishArtifact` with that `uploadId`, once the object's
//!   upload is finished. `s3` artifacts answer a `putUrl` on the fake (the
//!   `PUT` carries the artifact's `contentType`), valid 45 minutes; they are
//!   present at once, never announced, and cannot be finished. Repeating
//!   `createArtifact` with the same properties is accepted (for `object`,
//!   whose `uploadId` is new every time, it is a conflict), as are
//!   Taskcluster's exceptions (a reference may replace a reference, a link
//!   may replace a reference, `expires` may grow). An expired artifact
//!   answers 410. Listings include artifacts not yet present, as in
//!   Taskcluster; `artifactInfo` does not.
//! - listings page with opaque continuation tokens, 1000 items by default.
//!
//! Pulse: [`Queue::set_publisher`] (or [`Queue::set_publisher_with_cc`])
//! installs a hook called, after the state change, for every message
//! Taskcluster's queue would publish: `task-defined`, `task-pending`,
//! `task-running`, `artifact-created`, `task-completed`, `task-failed`,
//! `task-exception`, `task-group-resolved` and `task-group-sealed`, with the
//! full exchange name (`exchange/taskcluster-queue/v1/task-pending`), the
//! primary routing key (`primary.<taskId>.<runId>.<workerGroup>.<workerId>.
//! <provisionerId>.<workerType>.<schedulerId>.<taskGroupId>._`, `_` for
//! absent words) and the message body of the exchange's schema. Task
//! messages are CC'ed to `route.<route>` for each of the task's routes.
//! Every message is checked against its exchange's schema first, hook or
//! not, as the queue does: one that does not match is not published and
//! the request fails with 500 `InternalServerError` after its state change
//! (v106 fails `finishArtifact` so when an object artifact was created with
//! `contentLength`, which the queue copies into the message).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use super::auth::Signer;
use super::object::Objects;
use crate::authentication::certificate::temporary_credentials;
use crate::error::ApiError;
use crate::references::message_schemas::MessageSchemas;
use crate::service::{Request, Response};
use crate::services::registry::{Entries, Entry};
use crate::storage::{self, Blobs, GetGrant, Owner, PutGrant};
use crate::support::clock::{format_ms, now_ms, parse_time};
use crate::support::json::{required_text, string_list, text_or, time_field};
use crate::support::paging::{Paging, with_token};
use crate::support::sync::lock;

/// Prefix of the queue's exchange names.
pub const EXCHANGE_PREFIX: &str = "exchange/taskcluster-queue/v1/";

const PRIORITIES: [&str; 7] = [
    "highest",
    "very-high",
    "high",
    "medium",
    "low",
    "very-low",
    "lowest",
];
const MINUTE_MS: i64 = 60 * 1000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;
/// How long the `putUrl` of an `s3` artifact stays valid, as in Taskcluster.
const S3_PUT_URL_MS: i64 = 45 * MINUTE_MS;
const CLAIM_TIMEOUT_MS: i64 = 20 * MINUTE_MS;
const DRIFT_MS: i64 = 15 * MINUTE_MS;
const MAX_DEADLINE_MS: i64 = 5 * 24 * 60 * MINUTE_MS;
const MAX_RUNS: usize = 50;
const DEFAULT_PAGE: Option<usize> = Some(1000);

/// A message publisher: exchange, primary routing key, CC routing keys,
/// message.
type PublishFn = dyn Fn(&str, &str, &[String], Value) + Send + Sync;

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
    signer: Signer,
    objects: Arc<Objects>,
    blobs: Arc<Blobs>,
    data: Mutex<QueueData>,
    publisher: Mutex<Option<Arc<PublishFn>>>,
    /// Every message is checked against its exchange's schema first.
    messages: Arc<MessageSchemas>,
}

/// The header naming an artifact answer's storage type.
const STORAGE_TYPE_HEADER: &str = "x-taskcluster-artifact-storage-type";

/// A message to publish once the state lock is released.
struct Event {
    exchange: &'static str,
    routing_key: String,
    cc: Vec<String>,
    message: Value,
}

#[derive(Default)]
struct QueueData {
    tasks: BTreeMap<String, Task>,
    groups: BTreeMap<String, Group>,
    /// taskId to the tasks that depend on it, in creation order.
    dependents: BTreeMap<String, Vec<String>>,
    /// Orders pending runs (and so claims) within a priority.
    seq: u64,
}

struct Task {
    task_id: String,
    /// The definition as `task` answers it (defaults filled in).
    definition: Value,
    provisioner_id: String,
    worker_type: String,
    task_queue_id: String,
    scheduler_id: String,
    project_id: String,
    task_group_id: String,
    priority: String,
    routes: Vec<String>,
    scopes: Vec<String>,
    tags: Value,
    dependencies: Vec<String>,
    all_resolved: bool,
    retries: u64,
    retries_left: u64,
    deadline_ms: i64,
    expires_ms: i64,
    /// Dependencies already satisfied.
    satisfied: BTreeSet<String>,
    runs: Vec<Run>,
    /// Artifacts of each run, by name.
    artifacts: Vec<BTreeMap<String, Artifact>>,
    ever_resolved: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RunState {
    Pending,
    Running,
    Completed,
    Failed,
    Exception,
}

impl RunState {
    fn as_str(self) -> &'static str {
        match self {
            RunState::Pending => "pending",
            RunState::Running => "running",
            RunState::Completed => "completed",
            RunState::Failed => "failed",
            RunState::Exception => "exception",
        }
    }

    fn is_resolved(self) -> bool {
        matches!(
            self,
            RunState::Completed | RunState::Failed | RunState::Exception
        )
    }
}

struct Run {
    state: RunState,
    reason_created: &'static str,
    reason_resolved: Option<String>,
    worker_group: Option<String>,
    worker_id: Option<String>,
    taken_until: Option<i64>,
    scheduled: i64,
    started: Option<i64>,
    resolved: Option<i64>,
    seq: u64,
}

impl Run {
    fn pending(reason_created: &'static str, now: i64, seq: u64) -> Run {
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

    fn resolve(&mut self, state: RunState, reason: &str, now: i64) {
        self.state = state;
        self.reason_resolved = Some(reason.to_string());
        self.resolved = Some(now);
    }
}

#[derive(Clone, PartialEq)]
struct Artifact {
    storage_type: String,
    content_type: String,
    expires_ms: i64,
    /// As Taskcluster stores them: what a repeated `createArtifact` must
    /// match (`uploadId` of an unfinished `object` artifact, the `prefix` of
    /// an `s3` one, ...).
    details: Value,
    /// `object` artifacts are present once finished; others at once.
    present: bool,
    /// The size the worker reported, if any.
    content_length: Option<u64>,
    /// The data of an `s3` artifact and its download token.
    blob: Option<(u64, String)>,
}

struct Group {
    scheduler_id: String,
    expires_ms: i64,
    sealed_ms: Option<i64>,
    members: Vec<String>,
}

impl Group {
    fn json(&self, task_group_id: &str) -> Value {
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
    fn json(&self, name: &str) -> Value {
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

/// The name of an artifact's object on the object service (Taskcluster
/// computes it, never stores it).
fn object_name(task_id: &str, run_id: usize, name: &str) -> String {
    format!("t/{task_id}/{run_id}/{name}")
}

fn task_not_found(task_id: &str) -> ApiError {
    ApiError::not_found(format!(
        "Task `{task_id}` not found. Are you sure it was created?"
    ))
}

fn run_not_found(task_id: &str, run_id: usize) -> ApiError {
    ApiError::not_found(format!("Run {run_id} not found on task `{task_id}`."))
}

fn resolved_conflict(task_id: &str, run_id: usize) -> ApiError {
    ApiError::conflict(format!(
        "Run {run_id} on task `{task_id}` is resolved or not running."
    ))
}

fn deadline_conflict(task: &Task, what: &str) -> ApiError {
    ApiError::conflict(format!(
        "Task `{}` can't be {what} past its deadline of {}.",
        task.task_id,
        format_ms(task.deadline_ms)
    ))
}

fn run_id_arg(request: &Request<'_>) -> Result<usize, ApiError> {
    let text = request.arg("runId")?;
    text.parse()
        .map_err(|_| ApiError::input(format!("runId `{text}` is not a run number")))
}

fn split_task_queue_id(task_queue_id: &str) -> (String, String) {
    match task_queue_id.split_once('/') {
        Some((p, w)) => (p.to_string(), w.to_string()),
        None => (task_queue_id.to_string(), String::new()),
    }
}

/// `expires` by default: the deadline plus one calendar year.
fn plus_one_year(ms: i64) -> i64 {
    let Ok(dt) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) else {
        return ms;
    };
    let next = dt
        .replace_year(dt.year() + 1)
        .unwrap_or_else(|_| dt + time::Duration::days(365));
    i64::try_from(next.unix_timestamp_nanos() / 1_000_000).unwrap_or(ms)
}

impl Task {
    fn state(&self) -> &'static str {
        self.runs
            .last()
            .map(|r| r.state.as_str())
            .unwrap_or("unscheduled")
    }

    fn last_state(&self) -> Option<RunState> {
        self.runs.last().map(|r| r.state)
    }

    fn status_json(&self) -> Value {
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

    fn status_response(&self) -> Response {
        Response::Json(json!({ "status": self.status_json() }))
    }

    fn priority_rank(&self) -> usize {
        PRIORITIES
            .iter()
            .position(|p| *p == self.priority)
            .unwrap_or(PRIORITIES.len())
    }

    /// Adds a pending run; returns its id.
    fn add_pending_run(&mut self, reason: &'static str, now: i64, seq: &mut u64) -> usize {
        *seq += 1;
        self.runs.push(Run::pending(reason, now, *seq));
        self.artifacts.push(BTreeMap::new());
        self.runs.len() - 1
    }

    /// A message about this task on `exchange` (which takes `runId` and, when
    /// `worker` and the run has one, the worker's identity).
    fn event(
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

    fn pending_event(&self, run_id: usize) -> Event {
        self.event("task-pending", Some(run_id), false, true, vec![])
    }

    fn exception_event(&self, run_id: usize) -> Event {
        self.event("task-exception", Some(run_id), true, true, vec![])
    }

    fn artifacts_of(&self, run_id: usize) -> Option<&BTreeMap<String, Artifact>> {
        self.artifacts.get(run_id)
    }
}

impl QueueData {
    fn task(&self, task_id: &str) -> Result<&Task, ApiError> {
        self.tasks
            .get(task_id)
            .ok_or_else(|| task_not_found(task_id))
    }

    fn task_mut(&mut self, task_id: &str) -> Result<&mut Task, ApiError> {
        self.tasks
            .get_mut(task_id)
            .ok_or_else(|| task_not_found(task_id))
    }

    /// Applies the timeouts that Taskcluster's background jobs apply: claims
    /// expire, deadlines pass.
    fn tick(&mut self, now: i64, events: &mut Vec<Event>) {
        let ids: Vec<String> = self.tasks.keys().cloned().collect();
        for id in ids {
            let mut resolved = false;
            {
                let QueueData { tasks, seq, .. } = self;
                let Some(task) = tasks.get_mut(&id) else {
                    continue;
                };
                let last = task.last_state();
                let unresolved = !last.is_some_and(RunState::is_resolved);
                if unresolved && task.deadline_ms <= now {
                    match task.runs.last_mut() {
                        Some(run) => run.resolve(RunState::Exception, "deadline-exceeded", now),
                        None => {
                            let run_id = task.add_pending_run("exception", now, seq);
                            task.runs[run_id].resolve(
                                RunState::Exception,
                                "deadline-exceeded",
                                now,
                            );
                        }
                    }
                    events.push(task.exception_event(task.runs.len() - 1));
                    resolved = true;
                } else if last == Some(RunState::Running)
                    && task
                        .runs
                        .last()
                        .and_then(|r| r.taken_until)
                        .is_some_and(|t| t <= now)
                {
                    let run_id = task.runs.len() - 1;
                    task.runs[run_id].resolve(RunState::Exception, "claim-expired", now);
                    events.push(task.exception_event(run_id));
                    if task.retries_left > 0 {
                        task.retries_left -= 1;
                        let new_run = task.add_pending_run("retry", now, seq);
                        events.push(task.pending_event(new_run));
                    } else {
                        resolved = true;
                    }
                }
            }
            if resolved {
                self.on_resolved(&id, now, events);
            }
        }
    }

    /// Bookkeeping after a task is resolved (no new run follows): its
    /// dependents may become pending, its group may be resolved.
    fn on_resolved(&mut self, task_id: &str, now: i64, events: &mut Vec<Event>) {
        let (state, group_id) = match self.tasks.get_mut(task_id) {
            Some(task) => {
                task.ever_resolved = true;
                (task.last_state(), task.task_group_id.clone())
            }
            None => return,
        };
        let dependents = self.dependents.get(task_id).cloned().unwrap_or_default();
        let QueueData { tasks, seq, .. } = self;
        for dependent_id in dependents {
            let Some(dependent) = tasks.get_mut(&dependent_id) else {
                continue;
            };
            let satisfies = match state {
                Some(RunState::Completed) => true,
                Some(RunState::Failed | RunState::Exception) => dependent.all_resolved,
                _ => false,
            };
            if !satisfies {
                continue;
            }
            dependent.satisfied.insert(task_id.to_string());
            let unblocked = dependent
                .dependencies
                .iter()
                .all(|d| dependent.satisfied.contains(d));
            if dependent.runs.is_empty() && unblocked && dependent.deadline_ms > now {
                let run_id = dependent.add_pending_run("scheduled", now, seq);
                events.push(dependent.pending_event(run_id));
            }
        }
        if let Some(group) = self.groups.get(&group_id) {
            let active = group
                .members
                .iter()
                .any(|m| self.tasks.get(m).is_some_and(|t| !t.ever_resolved));
            if !active {
                events.push(Event {
                    exchange: "task-group-resolved",
                    routing_key: format!("primary.{group_id}.{}._", group.scheduler_id),
                    cc: vec![],
                    message: group_message(group, &group_id),
                });
            }
        }
    }

    /// Cancels an unresolved task; `false` when it was already resolved.
    fn cancel(&mut self, task_id: &str, now: i64, events: &mut Vec<Event>) -> bool {
        {
            let QueueData { tasks, seq, .. } = self;
            let Some(task) = tasks.get_mut(task_id) else {
                return false;
            };
            match task.last_state() {
                Some(state) if state.is_resolved() => return false,
                Some(_) => {
                    if let Some(run) = task.runs.last_mut() {
                        run.resolve(RunState::Exception, "canceled", now);
                    }
                }
                None => {
                    let run_id = task.add_pending_run("exception", now, seq);
                    task.runs[run_id].resolve(RunState::Exception, "canceled", now);
                }
            }
            events.push(task.exception_event(task.runs.len() - 1));
        }
        self.on_resolved(task_id, now, events);
        true
    }
}

fn group_message(group: &Group, group_id: &str) -> Value {
    let mut message = group.json(group_id);
    if let Some(map) = message.as_object_mut() {
        map.insert("version".into(), json!(1));
    }
    message
}

/// The queue identifiers of a task definition: `(provisionerId, workerType,
/// taskQueueId)`, as Taskcluster accepts them.
fn queue_ids(body: &Map<String, Value>) -> Result<(String, String, String), ApiError> {
    let get = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    match (get("provisionerId"), get("workerType"), get("taskQueueId")) {
        (Some(p), Some(w), Some(q)) => {
            if format!("{p}/{w}") != q {
                return Err(ApiError::input(
                    "taskQueueId must match \"provisionerId/workerType\"",
                ));
            }
            Ok((p, w, q))
        }
        (Some(p), Some(w), None) => {
            let q = format!("{p}/{w}");
            Ok((p, w, q))
        }
        (_, _, Some(q)) => {
            let (p, w) = split_task_queue_id(&q);
            Ok((p, w, q))
        }
        _ => Err(ApiError::input(
            "at least a provisionerId and a workerType or a taskQueueId must be provided",
        )),
    }
}

/// What `createTask` makes of a request body: the task (without runs) or
/// the error Taskcluster answers.
fn build_task(task_id: &str, body: &Map<String, Value>, now: i64) -> Result<Task, ApiError> {
    let (provisioner_id, worker_type, task_queue_id) = queue_ids(body)?;
    let text = |k: &str, default: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string()
    };
    let scheduler_id = text("schedulerId", "-");
    let project_id = text("projectId", "none");
    let task_group_id = text("taskGroupId", task_id);
    let priority = text("priority", "lowest");
    let requires = text("requires", "all-completed");
    let routes = string_list(body.get("routes"));
    let scopes = string_list(body.get("scopes"));
    let dependencies = string_list(body.get("dependencies"));
    let retries = body.get("retries").and_then(Value::as_u64).unwrap_or(5);
    let tags = body.get("tags").cloned().unwrap_or_else(|| json!({}));
    let extra = body.get("extra").cloned().unwrap_or_else(|| json!({}));
    let payload = body.get("payload").cloned().unwrap_or_else(|| json!({}));
    let metadata = body.get("metadata").cloned().unwrap_or_else(|| json!({}));

    let created = time_field(body, "created")?;
    let deadline = time_field(body, "deadline")?;
    if created < now - DRIFT_MS {
        return Err(ApiError::input(
            "`created` cannot be in the past (max 15min drift)",
        ));
    }
    if created > now + DRIFT_MS {
        return Err(ApiError::input(
            "`created` cannot be in the future (max 15min drift)",
        ));
    }
    if created > deadline {
        return Err(ApiError::input(
            "`deadline` cannot be earlier than `created`",
        ));
    }
    if deadline < now {
        return Err(ApiError::input("`deadline` cannot be in the past"));
    }
    if deadline - now > MAX_DEADLINE_MS + DRIFT_MS {
        return Err(ApiError::input(
            "`deadline` cannot be more than 5 days into the future",
        ));
    }
    let expires = match body.get("expires").and_then(Value::as_str) {
        Some(text) => parse_time(text, "expires")?,
        None => plus_one_year(deadline),
    };
    if deadline > expires {
        return Err(ApiError::input("`expires` cannot be before `deadline`"));
    }
    if scopes.iter().any(|s| s.ends_with("**")) {
        return Err(ApiError::input("scopes must not end with `**`"));
    }

    let definition = json!({
        "provisionerId": provisioner_id,
        "workerType": worker_type,
        "taskQueueId": task_queue_id,
        "schedulerId": scheduler_id,
        "projectId": project_id,
        "taskGroupId": task_group_id,
        "dependencies": dependencies,
        "requires": requires,
        "routes": routes,
        "priority": priority,
        "retries": retries,
        "created": format_ms(created),
        "deadline": format_ms(deadline),
        "expires": format_ms(expires),
        "scopes": scopes,
        "payload": payload,
        "metadata": metadata,
        "tags": tags,
        "extra": extra,
    });
    Ok(Task {
        task_id: task_id.to_string(),
        definition,
        provisioner_id,
        worker_type,
        task_queue_id,
        scheduler_id,
        project_id,
        task_group_id,
        priority,
        routes,
        scopes,
        tags,
        dependencies,
        all_resolved: requires == "all-resolved",
        retries,
        retries_left: retries,
        deadline_ms: deadline,
        expires_ms: expires,
        satisfied: BTreeSet::new(),
        runs: Vec::new(),
        artifacts: Vec::new(),
        ever_resolved: false,
    })
}

/// The priorities whose `queue:create-task:<priority>:..` scope allows
/// creating a task of `priority`: that one and every higher one.
fn priorities_at_or_above(priority: &str) -> Vec<String> {
    let index = PRIORITIES
        .iter()
        .position(|p| *p == priority)
        .unwrap_or(PRIORITIES.len() - 1);
    PRIORITIES[..=index].iter().map(|p| p.to_string()).collect()
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

    /// Installs the Pulse hook: called with the exchange's full name, the
    /// primary routing key and the message, for every message the queue
    /// publishes (see the module documentation). Replaces any earlier hook.
    #[allow(
        dead_code,
        reason = "the simple form of the hook; the server installs the CC form"
    )]
    pub fn set_publisher(&self, publisher: Publisher) {
        let hook: Arc<PublishFn> =
            Arc::new(move |exchange, key, _cc, message| publisher(exchange, key, message));
        *lock(&self.publisher) = Some(hook);
    }

    /// Like [`Queue::set_publisher`], also passing the CC routing keys
    /// (`route.<route>` for each of the task's routes) that an AMQP publisher
    /// puts in the message's `CC` header.
    pub fn set_publisher_with_cc(&self, publisher: CcPublisher) {
        *lock(&self.publisher) = Some(Arc::from(publisher));
    }

    /// Publishes `events` in order, each checked against its exchange's
    /// schema first, as Taskcluster's queue does (with or without a hook
    /// installed). The first message that does not match is not published,
    /// nor any after it, and the request fails with a 500: the state change
    /// it announces has been made, as in the real queue, whose database is
    /// written before it publishes.
    fn publish(&self, events: Vec<Event>) -> Result<(), ApiError> {
        if events.is_empty() {
            return Ok(());
        }
        let hook = lock(&self.publisher).clone();
        for event in events {
            let exchange = format!("{EXCHANGE_PREFIX}{}", event.exchange);
            if let Err(problem) = self.messages.check(&exchange, &event.message) {
                tracing::error!("tc-fake: queue: {problem}");
                return Err(ApiError::internal_incident(&problem));
            }
            if let Some(hook) = &hook {
                hook(&exchange, &event.routing_key, &event.cc, event.message);
            }
        }
        Ok(())
    }

    /// Temporary credentials for a claimed run, as Taskcluster's queue makes
    /// them.
    fn task_credentials(
        &self,
        task: &Task,
        run_id: usize,
        worker_group: &str,
        worker_id: &str,
        taken_until: i64,
    ) -> Value {
        let mut scopes = vec![
            format!("queue:reclaim-task:{}/{run_id}", task.task_id),
            format!("queue:resolve-task:{}/{run_id}", task.task_id),
            format!("queue:create-artifact:{}/{run_id}", task.task_id),
        ];
        scopes.extend(task.scopes.iter().cloned());
        let secs = taken_until as f64 / 1000.0;
        let name = format!(
            "task-client/{}/{run_id}/on/{worker_group}/{worker_id}/until/{secs}",
            task.task_id
        );
        self.issue_credentials(&name, taken_until, &scopes)
    }

    /// Named temporary credentials holding `scopes` until `expiry_ms`,
    /// signed by the first static client that may issue them (with none at
    /// all: well-formed, signed with a throw-away key).
    fn issue_credentials(&self, name: &str, expiry_ms: i64, scopes: &[String]) -> Value {
        let mut wanted = scopes.to_vec();
        wanted.push(format!("auth:create-client:{name}"));
        let (issuer, token) = self.signer.issuer(&wanted).unwrap_or_else(|| {
            (
                "static/taskcluster/queue".to_string(),
                format!("{}{}", slugid::v4(), slugid::v4()),
            )
        });
        temporary_credentials(&issuer, &token, Some(name), now_ms(), expiry_ms, scopes)
    }

    /// Claims `run_id` of `task` for a worker: the claim body.
    fn claim(
        &self,
        task: &mut Task,
        run_id: usize,
        worker_group: &str,
        worker_id: &str,
        now: i64,
        events: &mut Vec<Event>,
    ) -> Value {
        let taken_until = (now + CLAIM_TIMEOUT_MS + 999) / 1000 * 1000;
        if let Some(run) = task.runs.get_mut(run_id) {
            run.state = RunState::Running;
            run.worker_group = Some(worker_group.to_string());
            run.worker_id = Some(worker_id.to_string());
            run.taken_until = Some(taken_until);
            run.started = Some(now);
        }
        events.push(task.event(
            "task-running",
            Some(run_id),
            true,
            true,
            vec![("takenUntil", json!(format_ms(taken_until)))],
        ));
        self.claim_json(task, run_id)
    }

    fn claim_json(&self, task: &Task, run_id: usize) -> Value {
        let run = &task.runs[run_id.min(task.runs.len().saturating_sub(1))];
        let worker_group = run.worker_group.clone().unwrap_or_default();
        let worker_id = run.worker_id.clone().unwrap_or_default();
        let taken_until = run.taken_until.unwrap_or_else(now_ms);
        json!({
            "status": task.status_json(),
            "runId": run_id,
            "workerGroup": worker_group,
            "workerId": worker_id,
            "takenUntil": format_ms(taken_until),
            "task": task.definition,
            "credentials": self.task_credentials(task, run_id, &worker_group, &worker_id, taken_until),
        })
    }

    /// Runs `f` on the state after applying timeouts, then publishes what it
    /// produced.
    fn with_data<T>(
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

    fn create_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let body = request.body_object()?;
        let now = now_ms();
        let mut task = build_task(task_id, body, now)?;
        self.with_data(|data, now, events| {
            if let Some(existing) = data.tasks.get(task_id) {
                if existing.definition == task.definition {
                    return Ok(existing.status_response());
                }
                return Err(ApiError::conflict(format!(
                    "taskId `{task_id}` already used by another task.\nThis could be the result of faulty idempotency!"
                )));
            }
            if let Some(group) = data.groups.get(&task.task_group_id) {
                if group.scheduler_id != task.scheduler_id {
                    return Err(ApiError::conflict(format!(
                        "Task group `{}` contains tasks with a schedulerId other than `{}`. All tasks in the \
                         same task-group must have the same schedulerId.",
                        task.task_group_id, task.scheduler_id
                    )));
                }
                if group.sealed_ms.is_some() {
                    return Err(ApiError::conflict(format!(
                        "Task group `{}` is sealed and does not accept new tasks.",
                        task.task_group_id
                    )));
                }
            }
            let mut missing = Vec::new();
            let mut expiring = Vec::new();
            for dep in task.dependencies.iter().filter(|d| *d != task_id) {
                match data.tasks.get(dep) {
                    None => missing.push(dep.clone()),
                    Some(required) if task.deadline_ms > required.expires_ms => expiring.push(dep.clone()),
                    Some(required) => {
                        let satisfied = match required.last_state() {
                            Some(RunState::Completed) => true,
                            Some(RunState::Failed | RunState::Exception) => task.all_resolved,
                            _ => false,
                        };
                        if satisfied {
                            task.satisfied.insert(dep.clone());
                        }
                    }
                }
            }
            if !missing.is_empty() || !expiring.is_empty() {
                let mut message = String::new();
                if !missing.is_empty() {
                    message.push_str("`task.dependencies` references non-existing tasks: \n");
                    for id in &missing {
                        message.push_str(&format!(" * {id}\n"));
                    }
                    message.push_str("All taskIds in `task.dependencies` **must** exist\nbefore the task is created.\n");
                }
                if !expiring.is_empty() {
                    message.push_str("`task.dependencies` references tasks that expires\nbefore `task.deadline` this is not allowed, see tasks: \n");
                    for id in &expiring {
                        message.push_str(&format!(" * {id},\n"));
                    }
                }
                return Err(ApiError::input(message));
            }

            let group = data.groups.entry(task.task_group_id.clone()).or_insert_with(|| Group {
                scheduler_id: task.scheduler_id.clone(),
                expires_ms: task.expires_ms,
                sealed_ms: None,
                members: Vec::new(),
            });
            group.expires_ms = group.expires_ms.max(task.expires_ms);
            group.members.push(task_id.to_string());
            for dep in &task.dependencies {
                data.dependents.entry(dep.clone()).or_default().push(task_id.to_string());
            }
            events.push(task.event("task-defined", None, false, true, vec![]));
            if task.dependencies.iter().all(|d| task.satisfied.contains(d)) {
                let run_id = task.add_pending_run("scheduled", now, &mut data.seq);
                events.push(task.pending_event(run_id));
            }
            let response = task.status_response();
            data.tasks.insert(task_id.to_string(), task);
            Ok(response)
        })
    }

    fn get_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        self.with_data(|data, _, _| Ok(Response::Json(data.task(task_id)?.definition.clone())))
    }

    fn status(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        self.with_data(|data, _, _| Ok(data.task(task_id)?.status_response()))
    }

    fn tasks_or_statuses(
        &self,
        request: &Request<'_>,
        statuses: bool,
    ) -> Result<Response, ApiError> {
        let paging = Paging::from_query(&request.query, DEFAULT_PAGE, DEFAULT_PAGE)?;
        let ids = request
            .body
            .as_ref()
            .map(|b| string_list(b.get("taskIds")))
            .unwrap_or_default();
        self.with_data(|data, _, _| {
            let found: Vec<Value> = ids
                .iter()
                .filter_map(|id| data.tasks.get(id))
                .map(|t| {
                    if statuses {
                        json!({ "taskId": t.task_id, "status": t.status_json() })
                    } else {
                        json!({ "taskId": t.task_id, "task": t.definition })
                    }
                })
                .collect();
            let (page, token) = paging.apply(found);
            let key = if statuses { "statuses" } else { "tasks" };
            let mut body = Map::new();
            body.insert(key.to_string(), Value::Array(page));
            Ok(Response::Json(with_token(Value::Object(body), token)))
        })
    }

    fn schedule_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        self.with_data(|data, now, events| {
            let QueueData { tasks, seq, .. } = data;
            let task = tasks
                .get_mut(task_id)
                .ok_or_else(|| task_not_found(task_id))?;
            if task.runs.is_empty() {
                if task.deadline_ms <= now {
                    return Err(deadline_conflict(task, "scheduled"));
                }
                let run_id = task.add_pending_run("scheduled", now, seq);
                events.push(task.pending_event(run_id));
            }
            Ok(task.status_response())
        })
    }

    fn rerun_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        self.with_data(|data, now, events| {
            let QueueData { tasks, seq, .. } = data;
            let task = tasks
                .get_mut(task_id)
                .ok_or_else(|| task_not_found(task_id))?;
            if task.deadline_ms < now {
                return Err(deadline_conflict(task, "rescheduled"));
            }
            if matches!(
                task.last_state(),
                Some(RunState::Pending | RunState::Running)
            ) {
                return Ok(task.status_response());
            }
            if task.runs.len() >= MAX_RUNS {
                return Err(ApiError::conflict(format!(
                    "Maximum number of runs reached ({MAX_RUNS})."
                )));
            }
            task.retries_left = task.retries;
            let run_id = task.add_pending_run("rerun", now, seq);
            events.push(task.pending_event(run_id));
            Ok(task.status_response())
        })
    }

    fn cancel_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        self.with_data(|data, now, events| {
            let task = data.task(task_id)?;
            if task.deadline_ms < now {
                return Err(deadline_conflict(task, "canceled"));
            }
            data.cancel(task_id, now, events);
            Ok(data.task(task_id)?.status_response())
        })
    }

    fn claim_work(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_queue_id = request.arg("taskQueueId")?;
        let body = request.body_object()?;
        let worker_group = text_or(body, "workerGroup", "");
        let worker_id = text_or(body, "workerId", "");
        let count = body
            .get("tasks")
            .and_then(Value::as_u64)
            .unwrap_or(1)
            .clamp(1, 32) as usize;
        self.with_data(|data, now, events| {
            let mut candidates: Vec<(usize, u64, String, usize)> = data
                .tasks
                .values()
                .filter(|t| {
                    t.task_queue_id == task_queue_id && t.last_state() == Some(RunState::Pending)
                })
                .filter_map(|t| {
                    let run_id = t.runs.len() - 1;
                    t.runs
                        .last()
                        .map(|r| (t.priority_rank(), r.seq, t.task_id.clone(), run_id))
                })
                .collect();
            candidates.sort();
            let mut claims = Vec::new();
            for (_, _, task_id, run_id) in candidates.into_iter().take(count) {
                if let Some(task) = data.tasks.get_mut(&task_id) {
                    claims.push(self.claim(task, run_id, &worker_group, &worker_id, now, events));
                }
            }
            Ok(Response::Json(json!({ "tasks": claims })))
        })
    }

    fn claim_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let run_id = run_id_arg(request)?;
        let body = request.body_object()?;
        let worker_group = text_or(body, "workerGroup", "");
        let worker_id = text_or(body, "workerId", "");
        self.with_data(|data, now, events| {
            let task = data.task_mut(task_id)?;
            if task.deadline_ms <= now {
                return Err(deadline_conflict(task, "claimed"));
            }
            let run = task
                .runs
                .get(run_id)
                .ok_or_else(|| run_not_found(task_id, run_id))?;
            let last = run_id + 1 == task.runs.len();
            match run.state {
                RunState::Pending if last => Ok(Response::Json(self.claim(
                    task,
                    run_id,
                    &worker_group,
                    &worker_id,
                    now,
                    events,
                ))),
                RunState::Running
                    if last
                        && run.worker_group.as_deref() == Some(worker_group.as_str())
                        && run.worker_id.as_deref() == Some(worker_id.as_str()) =>
                {
                    Ok(Response::Json(self.claim_json(task, run_id)))
                }
                _ => Err(ApiError::conflict(format!(
                    "Run {run_id} was already claimed by another worker."
                ))),
            }
        })
    }

    fn reclaim_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let run_id = run_id_arg(request)?;
        self.with_data(|data, now, _| {
            let task = data.task_mut(task_id)?;
            if run_id >= task.runs.len() {
                return Err(run_not_found(task_id, run_id));
            }
            if task.deadline_ms <= now {
                return Err(deadline_conflict(task, "reclaimed"));
            }
            if run_id + 1 != task.runs.len() || task.runs[run_id].state != RunState::Running {
                return Err(resolved_conflict(task_id, run_id));
            }
            let taken_until = now + CLAIM_TIMEOUT_MS;
            task.runs[run_id].taken_until = Some(taken_until);
            let run = &task.runs[run_id];
            let worker_group = run.worker_group.clone().unwrap_or_default();
            let worker_id = run.worker_id.clone().unwrap_or_default();
            Ok(Response::Json(json!({
                "status": task.status_json(),
                "runId": run_id,
                "workerGroup": worker_group,
                "workerId": worker_id,
                "takenUntil": format_ms(taken_until),
                "credentials": self.task_credentials(task, run_id, &worker_group, &worker_id, taken_until),
            })))
        })
    }

    fn resolve_task(&self, request: &Request<'_>, target: RunState) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let run_id = run_id_arg(request)?;
        self.with_data(|data, now, events| {
            let task = data.task_mut(task_id)?;
            let run = task
                .runs
                .get_mut(run_id)
                .ok_or_else(|| run_not_found(task_id, run_id))?;
            if run.state == target {
                return Ok(task.status_response());
            }
            if run.state != RunState::Running {
                return Err(ApiError::conflict(format!(
                    "Run {run_id} of task `{task_id}` is not running or {}.",
                    target.as_str()
                )));
            }
            run.resolve(target, target.as_str(), now);
            let exchange = if target == RunState::Completed {
                "task-completed"
            } else {
                "task-failed"
            };
            events.push(task.event(exchange, Some(run_id), true, true, vec![]));
            let response = task.status_response();
            data.on_resolved(task_id, now, events);
            Ok(response)
        })
    }

    fn report_exception(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let run_id = run_id_arg(request)?;
        let body = request.body_object()?;
        let reason = required_text(body, "reason")?;
        self.with_data(|data, now, events| {
            let QueueData { tasks, seq, .. } = data;
            let task = tasks
                .get_mut(task_id)
                .ok_or_else(|| task_not_found(task_id))?;
            let runs = task.runs.len();
            let run = task
                .runs
                .get_mut(run_id)
                .ok_or_else(|| run_not_found(task_id, run_id))?;
            if run.state == RunState::Exception
                && run.reason_resolved.as_deref() == Some(reason.as_str())
                && runs <= run_id + 2
            {
                return Ok(task.status_response());
            }
            if run.state != RunState::Running {
                return Err(resolved_conflict(task_id, run_id));
            }
            run.resolve(RunState::Exception, &reason, now);
            events.push(task.exception_event(run_id));
            let retry_reason = match reason.as_str() {
                "worker-shutdown" => Some("retry"),
                "intermittent-task" => Some("task-retry"),
                _ => None,
            };
            match retry_reason {
                Some(reason_created) if task.retries_left > 0 => {
                    task.retries_left -= 1;
                    let new_run = task.add_pending_run(reason_created, now, seq);
                    events.push(task.pending_event(new_run));
                    Ok(task.status_response())
                }
                _ => {
                    let response = task.status_response();
                    data.on_resolved(task_id, now, events);
                    Ok(response)
                }
            }
        })
    }

    fn create_artifact(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let run_id = run_id_arg(request)?;
        let name = request.arg("name")?;
        let body = request.body_object()?;
        let storage_type = text_or(body, "storageType", "");
        let expires_ms = time_field(body, "expires")?;
        let content_type = text_or(body, "contentType", "application/binary");
        let content_length = body.get("contentLength").and_then(Value::as_u64);
        let details = match storage_type.as_str() {
            "reference" => json!({ "url": body.get("url").cloned().unwrap_or(Value::Null) }),
            "link" => json!({ "artifact": body.get("artifact").cloned().unwrap_or(Value::Null) }),
            "error" => json!({
                "reason": body.get("reason").cloned().unwrap_or(Value::Null),
                "message": body.get("message").cloned().unwrap_or(Value::Null),
            }),
            // A fresh uploadId every time: as in Taskcluster, an object
            // artifact cannot be created twice.
            "object" => json!({ "uploadId": slugid::nice() }),
            "s3" => json!({ "bucket": "tc-fake", "prefix": format!("{task_id}/{run_id}/{name}") }),
            other => return Err(ApiError::input(format!("unknown storageType `{other}`"))),
        };
        self.with_data(|data, now, events| {
            if expires_ms < now - DRIFT_MS {
                return Err(ApiError::input("Expires must be in the future"));
            }
            let task = data.tasks.get_mut(task_id).ok_or_else(|| ApiError::input("Task not found"))?;
            let run = task.runs.get(run_id).ok_or_else(|| ApiError::input("Run not found"))?;
            let (Some(worker_group), Some(worker_id)) = (run.worker_group.clone(), run.worker_id.clone()) else {
                return Err(ApiError::input("Run was not claimed by a worker and so no artifacts can exist"));
            };
            if expires_ms > task.expires_ms {
                return Err(ApiError::input(format!(
                    "Artifact expires ({}) after the task expiration {} (task.expires < expires) - this is not \
                     allowed, artifacts may not expire after the task they belong to expires",
                    format_ms(expires_ms),
                    format_ms(task.expires_ms)
                )));
            }
            if run.state != RunState::Running {
                let recent_exception =
                    run.state == RunState::Exception && run.resolved.is_some_and(|r| r > now - 25 * MINUTE_MS);
                if !recent_exception {
                    return Err(ApiError::conflict(format!(
                        "Artifacts cannot be created for a task after it is resolved, unless it is resolved \
                         'exception', and even in this case only up to 25 min past resolution.This to ensure \
                         that artifacts have been uploaded before a task is 'completed' and output is consumed \
                         by a dependent task\n\nTask status: {}",
                        task.status_json()
                    )));
                }
            }
            let mut artifact = Artifact {
                storage_type: storage_type.clone(),
                content_type,
                expires_ms,
                details,
                present: storage_type != "object",
                content_length,
                blob: None,
            };
            let project_id = task.project_id.clone();
            let Some(artifacts) = task.artifacts.get_mut(run_id) else {
                return Err(ApiError::input("Run not found"));
            };
            if let Some(original) = artifacts.get(name) {
                let compatible = (artifact.storage_type == "link" || original.content_type == artifact.content_type)
                    && original.expires_ms <= artifact.expires_ms
                    && if original.storage_type == artifact.storage_type {
                        original.details == artifact.details || artifact.storage_type == "reference"
                    } else {
                        original.storage_type == "reference" && artifact.storage_type == "link"
                    };
                if !compatible {
                    return Err(ApiError::conflict(format!(
                        "Artifact already exists with different properties, and none of the allowed exceptions \
                         apply: {}",
                        json!({
                            "storageType": original.storage_type,
                            "contentType": original.content_type,
                            "expires": format_ms(original.expires_ms),
                        })
                    )));
                }
                // Taskcluster updates the storage type, details and expiry
                // of the existing artifact and keeps the rest.
                artifact.content_type = original.content_type.clone();
                artifact.content_length = original.content_length;
                artifact.present = original.present;
                artifact.blob = original.blob.clone();
            }
            let object = object_name(task_id, run_id, name);
            if storage_type == "object" {
                // Lock in the upload on the object service, as Taskcluster does.
                let upload_id = artifact.details["uploadId"].as_str().unwrap_or_default();
                self.objects.lock_in_upload(&object, &project_id, upload_id, expires_ms)?;
            }
            if storage_type == "s3" && artifact.blob.is_none() {
                let blob = self.blobs.new_blob();
                let token = self.blobs.grant_get(GetGrant {
                    owner: Owner::Queue,
                    blob,
                    content_type: artifact.content_type.clone(),
                });
                artifact.blob = Some((blob, token));
            }
            let answer = match storage_type.as_str() {
                "object" => {
                    let client_id = format!("artifact-upload/{task_id}/{run_id}/on/{worker_group}/{worker_id}");
                    let expiry = expires_ms.min(now + DAY_MS);
                    let scopes = [format!("object:upload:{project_id}:{object}")];
                    json!({
                        "storageType": "object",
                        "name": object,
                        "projectId": project_id,
                        "uploadId": artifact.details["uploadId"],
                        "expires": format_ms(expires_ms),
                        "credentials": self.issue_credentials(&client_id, expiry, &scopes),
                    })
                }
                "s3" => {
                    let put_expires = now + S3_PUT_URL_MS;
                    let blob = artifact.blob.as_ref().map_or(0, |(blob, _)| *blob);
                    let token = self.blobs.grant_put(PutGrant {
                        owner: Owner::Queue,
                        blob,
                        content_type: artifact.content_type.clone(),
                        content_length: None,
                        expires_ms: put_expires,
                    });
                    json!({
                        "storageType": "s3",
                        "contentType": artifact.content_type,
                        "expires": format_ms(put_expires),
                        "putUrl": storage::put_url(request.root_url, &token),
                    })
                }
                _ => json!({ "storageType": storage_type }),
            };
            let summary = artifact.json(name);
            let announce = artifact.present && storage_type != "s3";
            artifacts.insert(name.to_string(), artifact);
            if announce {
                events.push(task.event("artifact-created", Some(run_id), true, false, vec![("artifact", summary)]));
            }
            Ok(Response::Json(answer))
        })
    }

    fn finish_artifact(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let run_id = run_id_arg(request)?;
        let name = request.arg("name")?;
        let upload_id = text_or(request.body_object()?, "uploadId", "");
        self.with_data(|data, _, events| {
            let not_found = || {
                ApiError::not_found(format!(
                    "Artifact with taskId `{task_id}`, runId {run_id}, name `{name}` not found"
                ))
            };
            let task = data.tasks.get_mut(task_id).ok_or_else(not_found)?;
            let artifact = task
                .artifacts
                .get_mut(run_id)
                .and_then(|a| a.get_mut(name))
                .ok_or_else(not_found)?;
            if artifact.storage_type != "object" {
                return Err(ApiError::input("Only object artifacts can be finished"));
            }
            // Finishing again is idempotent (and announces the artifact
            // again, at-least-once).
            if !artifact.present {
                if artifact.details["uploadId"].as_str() != Some(upload_id.as_str()) {
                    return Err(ApiError::input(
                        "given uploadId does not match that for the artifact",
                    ));
                }
                if !self
                    .objects
                    .is_finished(&object_name(task_id, run_id, name))
                {
                    return Err(ApiError::input(
                        "Object storing artifact data does not exist",
                    ));
                }
                artifact.present = true;
                artifact.details = json!({});
            }
            let summary = artifact.json(name);
            events.push(task.event(
                "artifact-created",
                Some(run_id),
                true,
                false,
                vec![("artifact", summary)],
            ));
            Ok(Response::Empty)
        })
    }

    /// The `runId` argument, or `None` for the `latest*` entries (which have none).
    fn explicit_run(request: &Request<'_>, latest: bool) -> Result<Option<usize>, ApiError> {
        if latest {
            Ok(None)
        } else {
            run_id_arg(request).map(Some)
        }
    }

    /// The run asked for, else the latest one.
    fn run_of(task: &Task, explicit_run: Option<usize>) -> Result<usize, ApiError> {
        match explicit_run {
            Some(run_id) => Ok(run_id),
            None => Self::latest_run(task),
        }
    }

    /// The latest run of a task (404 when it has none).
    fn latest_run(task: &Task) -> Result<usize, ApiError> {
        task.runs
            .len()
            .checked_sub(1)
            .ok_or_else(|| ApiError::not_found("Task doesn't have any runs"))
    }

    /// The present artifact `name` of a run (the latest without `runId`),
    /// following links: the run, the final name and the artifact.
    fn resolve_artifact(
        &self,
        request: &Request<'_>,
        latest: bool,
    ) -> Result<(String, usize, String, Artifact), ApiError> {
        let task_id = request.arg("taskId")?;
        let name = request.arg("name")?;
        let explicit_run = Self::explicit_run(request, latest)?;
        self.with_data(|data, now, _| {
            let task = data
                .tasks
                .get(task_id)
                .ok_or_else(|| ApiError::not_found("Task not found"))?;
            let run_id = Self::run_of(task, explicit_run)?;
            let artifacts = task
                .artifacts_of(run_id)
                .ok_or_else(|| run_not_found(task_id, run_id))?;
            let mut current = name.to_string();
            let mut seen = vec![current.clone()];
            loop {
                let artifact = artifacts
                    .get(&current)
                    .filter(|a| a.present)
                    .ok_or_else(|| ApiError::not_found("Artifact not found"))?;
                if artifact.expires_ms < now {
                    return Err(ApiError::new(410, "ResourceExpired", "Artifact expired"));
                }
                if artifact.storage_type != "link" {
                    return Ok((task_id.to_string(), run_id, current, artifact.clone()));
                }
                let target = artifact.details["artifact"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                if seen.contains(&target) {
                    return Err(ApiError::input("Artifact leads to a link cycle"));
                }
                seen.push(target.clone());
                current = target;
            }
        })
    }

    fn get_artifact(&self, request: &Request<'_>, latest: bool) -> Result<Response, ApiError> {
        let (task_id, run_id, name, artifact) = self.resolve_artifact(request, latest)?;
        let url = match artifact.storage_type.as_str() {
            "reference" => artifact.details["url"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            "object" => self
                .objects
                .data_url(request.root_url, &object_name(&task_id, run_id, &name))
                .ok_or_else(|| ApiError::not_found("Object does not exist."))?,
            "s3" => {
                let token = artifact.blob.as_ref().map_or("", |(_, t)| t.as_str());
                storage::get_url(request.root_url, token)
            }
            // As the v106 queue answers it: 424, the artifact's reason and
            // message as the whole body, and the storage type header.
            "error" => {
                return Ok(Response::Status {
                    status: 424,
                    body: json!({
                        "reason": artifact.details["reason"],
                        "message": artifact.details["message"],
                    }),
                    headers: vec![(
                        "x-taskcluster-artifact-storage-type".to_owned(),
                        "error".to_owned(),
                    )],
                });
            }
            other => {
                return Err(ApiError::internal(format!(
                    "Unknown artifact storageType: {other}"
                )));
            }
        };
        // Taskcluster names the storage type of every artifact answer.
        Ok(Response::Redirect {
            location: url.clone(),
            body: json!({ "storageType": artifact.storage_type, "url": url }),
            headers: vec![(
                STORAGE_TYPE_HEADER.to_owned(),
                artifact.storage_type.clone(),
            )],
        })
    }

    /// `artifact` and `latestArtifact`: how to get the content.
    fn artifact_content(&self, request: &Request<'_>, latest: bool) -> Result<Response, ApiError> {
        let (task_id, run_id, name, artifact) = self.resolve_artifact(request, latest)?;
        let storage_type = artifact.storage_type.as_str();
        let body = match storage_type {
            "object" => {
                let object = object_name(&task_id, run_id, &name);
                let client_id = format!("artifact-download/{task_id}/{run_id}/{name}");
                let scopes = [format!("object:download:{object}")];
                json!({
                    "storageType": "object",
                    "name": object,
                    "credentials": self.issue_credentials(&client_id, now_ms() + HOUR_MS, &scopes),
                })
            }
            "s3" => {
                let token = artifact.blob.as_ref().map_or("", |(_, t)| t.as_str());
                json!({ "storageType": "s3", "url": storage::get_url(request.root_url, token) })
            }
            "reference" => json!({ "storageType": "reference", "url": artifact.details["url"] }),
            "error" => json!({
                "storageType": "error",
                "reason": artifact.details["reason"],
                "message": artifact.details["message"],
            }),
            other => {
                return Err(ApiError::internal(format!(
                    "Unknown artifact storageType: {other}"
                )));
            }
        };
        Ok(Response::Json(body))
    }

    fn artifact_info(&self, request: &Request<'_>, latest: bool) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let name = request.arg("name")?;
        let explicit_run = Self::explicit_run(request, latest)?;
        self.with_data(|data, _, _| {
            let task = data
                .tasks
                .get(task_id)
                .ok_or_else(|| ApiError::not_found("Task not found"))?;
            let run_id = Self::run_of(task, explicit_run)?;
            task.artifacts_of(run_id)
                .and_then(|a| a.get(name))
                .filter(|a| a.present)
                .map(|a| Response::Json(a.json(name)))
                .ok_or_else(|| ApiError::not_found("Artifact not found"))
        })
    }

    fn list_artifacts(&self, request: &Request<'_>, latest: bool) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let explicit_run = Self::explicit_run(request, latest)?;
        let paging = Paging::from_query(&request.query, DEFAULT_PAGE, DEFAULT_PAGE)?;
        self.with_data(|data, _, _| {
            let task = data
                .tasks
                .get(task_id)
                .ok_or_else(|| ApiError::not_found("Task not found"))?;
            let latest_run = Self::latest_run(task)?;
            let run_id = explicit_run.unwrap_or(latest_run);
            let artifacts = task.artifacts_of(run_id).ok_or_else(|| {
                ApiError::not_found(format!(
                    "Task with taskId: `{task_id}` has no run with runId: {run_id}"
                ))
            })?;
            let all: Vec<Value> = artifacts.iter().map(|(name, a)| a.json(name)).collect();
            let (page, token) = paging.apply(all);
            Ok(Response::Json(with_token(
                json!({ "artifacts": page }),
                token,
            )))
        })
    }

    fn group_not_found(task_group_id: &str) -> ApiError {
        ApiError::not_found(format!("No task-group with taskGroupId: `{task_group_id}`"))
    }

    fn list_task_group(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_group_id = request.arg("taskGroupId")?;
        let paging = Paging::from_query(&request.query, DEFAULT_PAGE, DEFAULT_PAGE)?;
        self.with_data(|data, _, _| {
            let group = data
                .groups
                .get(task_group_id)
                .ok_or_else(|| Self::group_not_found(task_group_id))?;
            let (page, token) = paging.apply(group.members.clone());
            let tasks: Vec<Value> = page
                .iter()
                .filter_map(|id| data.tasks.get(id))
                .map(|t| json!({ "task": t.definition, "status": t.status_json() }))
                .collect();
            let mut body = group.json(task_group_id);
            if let Some(map) = body.as_object_mut() {
                map.insert("tasks".into(), Value::Array(tasks));
            }
            Ok(Response::Json(with_token(body, token)))
        })
    }

    fn get_task_group(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_group_id = request.arg("taskGroupId")?;
        self.with_data(|data, _, _| {
            data.groups
                .get(task_group_id)
                .map(|g| Response::Json(g.json(task_group_id)))
                .ok_or_else(|| Self::group_not_found(task_group_id))
        })
    }

    fn seal_task_group(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_group_id = request.arg("taskGroupId")?;
        self.with_data(|data, now, events| {
            let group = data
                .groups
                .get_mut(task_group_id)
                .ok_or_else(|| Self::group_not_found(task_group_id))?;
            if group.sealed_ms.is_none() {
                group.sealed_ms = Some(now);
                events.push(Event {
                    exchange: "task-group-sealed",
                    routing_key: format!("primary.{task_group_id}.{}._", group.scheduler_id),
                    cc: vec![],
                    message: group_message(group, task_group_id),
                });
            }
            Ok(Response::Json(group.json(task_group_id)))
        })
    }

    fn cancel_task_group(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_group_id = request.arg("taskGroupId")?;
        self.with_data(|data, now, events| {
            let group = data
                .groups
                .get(task_group_id)
                .ok_or_else(|| Self::group_not_found(task_group_id))?;
            if group.sealed_ms.is_none() {
                return Err(ApiError::conflict(format!(
                    "Cannot cancel unsealed task group: `{task_group_id}`"
                )));
            }
            let members = group.members.clone();
            let mut cancelled = Vec::new();
            for id in &members {
                if data.cancel(id, now, events) {
                    cancelled.push(id.clone());
                }
            }
            Ok(Response::Json(json!({
                "taskGroupId": task_group_id,
                "taskGroupSize": members.len(),
                "cancelledCount": cancelled.len(),
                "taskIds": cancelled,
            })))
        })
    }

    fn list_dependent_tasks(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        let paging = Paging::from_query(&request.query, DEFAULT_PAGE, DEFAULT_PAGE)?;
        self.with_data(|data, _, _| {
            if !data.tasks.contains_key(task_id) {
                return Err(ApiError::not_found(format!(
                    "Task with taskId: `{task_id}` was not found"
                )));
            }
            let dependents = data.dependents.get(task_id).cloned().unwrap_or_default();
            let (page, token) = paging.apply(dependents);
            let tasks: Vec<Value> = page
                .iter()
                .filter_map(|id| data.tasks.get(id))
                .map(|t| json!({ "task": t.definition, "status": t.status_json() }))
                .collect();
            Ok(Response::Json(with_token(
                json!({ "taskId": task_id, "tasks": tasks }),
                token,
            )))
        })
    }

    fn queue_counts(
        &self,
        request: &Request<'_>,
        with_claimed: bool,
    ) -> Result<Response, ApiError> {
        let task_queue_id = request.arg("taskQueueId")?;
        let (provisioner_id, worker_type) = split_task_queue_id(task_queue_id);
        self.with_data(|data, _, _| {
            let count = |state: RunState| {
                data.tasks
                    .values()
                    .filter(|t| t.task_queue_id == task_queue_id && t.last_state() == Some(state))
                    .count()
            };
            let mut body = json!({
                "provisionerId": provisioner_id,
                "workerType": worker_type,
                "taskQueueId": task_queue_id,
                "pendingTasks": count(RunState::Pending),
            });
            if let (true, Some(map)) = (with_claimed, body.as_object_mut()) {
                map.insert("claimedTasks".into(), json!(count(RunState::Running)));
            }
            Ok(Response::Json(body))
        })
    }

    /// The names a `getArtifact`-like request needs scopes for: the name and
    /// every link target it leads to.
    fn artifact_names(&self, request: &Request<'_>) -> Vec<String> {
        let Some(name) = request.args.get("name") else {
            return vec![];
        };
        let mut names = vec![name.clone()];
        let Some(task_id) = request.args.get("taskId") else {
            return names;
        };
        let data = lock(&self.data);
        let Some(task) = data.tasks.get(task_id) else {
            return names;
        };
        let run_id = match request.args.get("runId") {
            Some(text) => match text.parse::<usize>() {
                Ok(id) => id,
                Err(_) => return names,
            },
            None => match task.runs.len().checked_sub(1) {
                Some(id) => id,
                None => return names,
            },
        };
        let Some(artifacts) = task.artifacts_of(run_id) else {
            return names;
        };
        let mut current = name.clone();
        while let Some(artifact) = artifacts.get(&current) {
            if artifact.storage_type != "link" {
                break;
            }
            let target = artifact.details["artifact"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if names.contains(&target) {
                break;
            }
            names.push(target.clone());
            current = target;
        }
        names
    }
}

/// The parameters of `createTask`'s expression, with the defaults the
/// queue fills in for fields the definition leaves out.
fn create_task_params(_: &Queue, request: &Request<'_>, params: &mut Map<String, Value>) {
    let task_id = request.args.get("taskId").cloned().unwrap_or_default();
    let body = request.body.as_ref().and_then(Value::as_object);
    let get = |k: &str| {
        body.and_then(|b| b.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (provisioner_id, worker_type, task_queue_id) =
        body.and_then(|b| queue_ids(b).ok()).unwrap_or_default();
    let priority = get("priority").unwrap_or_else(|| "lowest".into());
    let mut set = |key: &str, value: Value| {
        params.insert(key.to_string(), value);
    };
    set("priorities", json!(priorities_at_or_above(&priority)));
    set(
        "scopes",
        json!(string_list(body.and_then(|b| b.get("scopes")))),
    );
    set(
        "routes",
        json!(string_list(body.and_then(|b| b.get("routes")))),
    );
    set(
        "schedulerId",
        json!(get("schedulerId").unwrap_or_else(|| "-".into())),
    );
    set(
        "projectId",
        json!(get("projectId").unwrap_or_else(|| "none".into())),
    );
    set(
        "taskGroupId",
        json!(get("taskGroupId").unwrap_or_else(|| task_id.clone())),
    );
    set("provisionerId", json!(provisioner_id));
    set("workerType", json!(worker_type));
    set("taskQueueId", json!(task_queue_id));
}

/// The stored task's ids, for expressions on an existing task.
fn task_params(queue: &Queue, request: &Request<'_>, params: &mut Map<String, Value>) {
    let task_id = request.args.get("taskId").cloned().unwrap_or_default();
    let data = lock(&queue.data);
    let task = data.tasks.get(&task_id);
    let field = |f: fn(&Task) -> &String| json!(task.map(f).cloned().unwrap_or_default());
    params.insert("schedulerId".into(), field(|t| &t.scheduler_id));
    params.insert("taskGroupId".into(), field(|t| &t.task_group_id));
    params.insert("projectId".into(), field(|t| &t.project_id));
    params.insert("provisionerId".into(), field(|t| &t.provisioner_id));
    params.insert("workerType".into(), field(|t| &t.worker_type));
    params.insert("taskQueueId".into(), field(|t| &t.task_queue_id));
}

/// The stored task group's `schedulerId`.
fn group_params(queue: &Queue, request: &Request<'_>, params: &mut Map<String, Value>) {
    let data = lock(&queue.data);
    let scheduler_id = request
        .args
        .get("taskGroupId")
        .and_then(|id| data.groups.get(id))
        .map(|g| g.scheduler_id.clone())
        .unwrap_or_default();
    params.insert("schedulerId".into(), json!(scheduler_id));
}

/// The artifact names a get of an artifact (following links) reads.
fn artifact_names_params(queue: &Queue, request: &Request<'_>, params: &mut Map<String, Value>) {
    params.insert("names".into(), json!(queue.artifact_names(request)));
}

impl Entries for Queue {
    const SERVICE: &'static str = "queue";
    const ENTRIES: &'static [Entry<Self>] = &[
        Entry::new("createTask", Queue::create_task).scoped(create_task_params),
        Entry::new("task", Queue::get_task),
        Entry::new("status", Queue::status),
        Entry::new("tasks", |s: &Queue, request| {
            s.tasks_or_statuses(request, false)
        }),
        Entry::new("statuses", |s: &Queue, request| {
            s.tasks_or_statuses(request, true)
        }),
        Entry::new("scheduleTask", Queue::schedule_task).scoped(task_params),
        Entry::new("rerunTask", Queue::rerun_task).scoped(task_params),
        Entry::new("cancelTask", Queue::cancel_task).scoped(task_params),
        Entry::new("claimWork", Queue::claim_work),
        Entry::new("claimTask", Queue::claim_task).scoped(task_params),
        Entry::new("reclaimTask", Queue::reclaim_task),
        Entry::new("reportCompleted", |s: &Queue, request| {
            s.resolve_task(request, RunState::Completed)
        }),
        Entry::new("reportFailed", |s: &Queue, request| {
            s.resolve_task(request, RunState::Failed)
        }),
        Entry::new("reportException", Queue::report_exception),
        Entry::new("createArtifact", Queue::create_artifact),
        Entry::new("finishArtifact", Queue::finish_artifact),
        Entry::new("getArtifact", |s: &Queue, request| {
            s.get_artifact(request, false)
        })
        .scoped(artifact_names_params),
        Entry::new("getLatestArtifact", |s: &Queue, request| {
            s.get_artifact(request, true)
        })
        .scoped(artifact_names_params),
        Entry::new("artifactInfo", |s: &Queue, request| {
            s.artifact_info(request, false)
        }),
        Entry::new("latestArtifactInfo", |s: &Queue, request| {
            s.artifact_info(request, true)
        }),
        Entry::new("artifact", |s: &Queue, request| {
            s.artifact_content(request, false)
        })
        .scoped(artifact_names_params),
        Entry::new("latestArtifact", |s: &Queue, request| {
            s.artifact_content(request, true)
        })
        .scoped(artifact_names_params),
        Entry::new("listArtifacts", |s: &Queue, request| {
            s.list_artifacts(request, false)
        }),
        Entry::new("listLatestArtifacts", |s: &Queue, request| {
            s.list_artifacts(request, true)
        }),
        Entry::new("listTaskGroup", Queue::list_task_group),
        Entry::new("getTaskGroup", Queue::get_task_group),
        Entry::new("sealTaskGroup", Queue::seal_task_group).scoped(group_params),
        Entry::new("cancelTaskGroup", Queue::cancel_task_group).scoped(group_params),
        Entry::new("listDependentTasks", Queue::list_dependent_tasks),
        Entry::new("pendingTasks", |s: &Queue, request| {
            s.queue_counts(request, false)
        }),
        Entry::new("taskQueueCounts", |s: &Queue, request| {
            s.queue_counts(request, true)
        }),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::auth::Auth;
    use crate::services::schema_check;
    use crate::services::testing::{call, json, status};
    use base64::Engine as _;

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

    #[test]
    fn task_lifecycle_with_claims_artifacts_and_messages() {
        let (q, published) = queue();
        let task_id = slugid::nice();
        let status0 = create(
            &q,
            &task_id,
            json!({"priority": "high", "scopes": ["secrets:get:x"]}),
        );
        assert_eq!(status0["state"], "pending");
        assert_eq!(status0["runs"][0]["reasonCreated"], "scheduled");
        assert_eq!(status0["provisionerId"], "prov");
        assert_eq!(status0["workerType"], "worker-type");
        assert_eq!(status0["retriesLeft"], 5);

        // Idempotent; a different definition conflicts.
        let def = definition(json!({"priority": "high", "scopes": ["secrets:get:x"]}));
        let mut same = def.clone();
        same["created"] = status0["runs"][0]["scheduled"].clone();
        let task = json(go(&q, "task", &[("taskId", &task_id)], &[], None));
        same["created"] = task["created"].clone();
        same["deadline"] = task["deadline"].clone();
        assert_eq!(
            json(go(
                &q,
                "createTask",
                &[("taskId", &task_id)],
                &[],
                Some(same.clone())
            ))["status"],
            status0
        );
        same["priority"] = json!("low");
        assert_eq!(
            status(go(
                &q,
                "createTask",
                &[("taskId", &task_id)],
                &[],
                Some(same)
            )),
            409
        );

        // Defaults filled in.
        assert_eq!(task["taskGroupId"], task_id.as_str());
        assert_eq!(task["schedulerId"], "-");
        assert_eq!(task["projectId"], "none");
        assert_eq!(task["requires"], "all-completed");
        assert_eq!(task["retries"], 5);
        assert_eq!(task["tags"], json!({}));
        assert_eq!(
            task["expires"],
            format_ms(plus_one_year(
                parse_time(task["deadline"].as_str().unwrap(), "d").unwrap()
            ))
        );

        let counts = json(go(
            &q,
            "taskQueueCounts",
            &[("taskQueueId", "prov/worker-type")],
            &[],
            None,
        ));
        assert_eq!(
            (
                counts["pendingTasks"].as_u64(),
                counts["claimedTasks"].as_u64()
            ),
            (Some(1), Some(0))
        );

        // Claim.
        let claim = claim_one(&q);
        assert_eq!(claim["runId"], 0);
        assert_eq!(claim["status"]["state"], "running");
        assert_eq!(claim["task"]["priority"], "high");
        let taken_until = parse_time(claim["takenUntil"].as_str().unwrap(), "t").unwrap();
        assert!((taken_until - now_ms() - CLAIM_TIMEOUT_MS).abs() < 5_000);
        let creds = &claim["credentials"];
        let client_id = creds["clientId"].as_str().unwrap();
        assert!(
            client_id.starts_with(&format!("task-client/{task_id}/0/on/wg/wi/until/")),
            "{client_id}"
        );
        let cert: Value = serde_json::from_str(creds["certificate"].as_str().unwrap()).unwrap();
        assert_eq!(cert["issuer"], "static/taskcluster/queue");
        assert_eq!(cert["expiry"].as_i64(), Some(taken_until));
        let scopes = string_list(cert.get("scopes"));
        assert!(scopes.contains(&format!("queue:resolve-task:{task_id}/0")));
        assert!(scopes.contains(&"secrets:get:x".to_string()));
        let text = format!(
            "version:1\nclientId:{client_id}\nissuer:static/taskcluster/queue\nseed:{}\nstart:{}\nexpiry:{}\nscopes:\n{}",
            cert["seed"].as_str().unwrap(),
            cert["start"],
            cert["expiry"],
            scopes.join("\n")
        );
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, QUEUE_TOKEN.as_bytes());
        let sig = base64::engine::general_purpose::STANDARD
            .encode(ring::hmac::sign(&key, text.as_bytes()).as_ref());
        assert_eq!(cert["signature"], Value::String(sig));
        // Nothing left to claim.
        assert_eq!(
            json(go(
                &q,
                "claimWork",
                &[("taskQueueId", "prov/worker-type")],
                &[],
                Some(json!({
                    "workerGroup": "wg", "workerId": "wi", "tasks": 4,
                }))
            ))["tasks"],
            json!([])
        );

        let reclaim = json(go(&q, "reclaimTask", &run_args(&task_id, "0"), &[], None));
        assert_eq!(reclaim["workerId"], "wi");
        assert_eq!(
            status(go(&q, "reclaimTask", &run_args(&task_id, "1"), &[], None)),
            404
        );

        // Artifacts.
        let expires = format_ms(now_ms() + 3_600_000);
        let created = json(go(
            &q,
            "createArtifact",
            &[
                ("taskId", &task_id),
                ("runId", "0"),
                ("name", "public/log.txt"),
            ],
            &[],
            Some(json!({
                "storageType": "reference", "url": "https://example.com/log.txt", "contentType": "text/plain", "expires": expires,
            })),
        ));
        assert_eq!(created, json!({"storageType": "reference"}));
        json(go(
            &q,
            "createArtifact",
            &[
                ("taskId", &task_id),
                ("runId", "0"),
                ("name", "public/missing"),
            ],
            &[],
            Some(json!({
                "storageType": "error", "reason": "file-missing-on-worker", "message": "no such file", "expires": expires,
            })),
        ));
        json(go(
            &q,
            "createArtifact",
            &[
                ("taskId", &task_id),
                ("runId", "0"),
                ("name", "public/link"),
            ],
            &[],
            Some(json!({
                "storageType": "link", "artifact": "public/log.txt", "expires": expires,
            })),
        ));
        // Repeat: fine; changing an error artifact: conflict; reference may change its URL.
        json(go(
            &q,
            "createArtifact",
            &[
                ("taskId", &task_id),
                ("runId", "0"),
                ("name", "public/log.txt"),
            ],
            &[],
            Some(json!({
                "storageType": "reference", "url": "https://example.com/log2.txt", "contentType": "text/plain", "expires": expires,
            })),
        ));
        assert_eq!(
            status(go(
                &q,
                "createArtifact",
                &[
                    ("taskId", &task_id),
                    ("runId", "0"),
                    ("name", "public/missing")
                ],
                &[],
                Some(json!({
                    "storageType": "error", "reason": "file-missing-on-worker", "message": "other", "expires": expires,
                }))
            )),
            409
        );
        let object = json!({
            "storageType": "object", "contentType": "text/plain", "expires": expires,
        });
        let obj_args = [
            ("taskId", task_id.as_str()),
            ("runId", "0"),
            ("name", "obj"),
        ];
        let created = json(go(
            &q,
            "createArtifact",
            &obj_args,
            &[],
            Some(object.clone()),
        ));
        assert_eq!(created["name"], json!(format!("t/{task_id}/0/obj")));
        assert_eq!(created["projectId"], "none");
        assert_eq!(created["expires"], json!(expires));
        // each call would lock in another uploadId: a repeat is a conflict
        assert_eq!(
            status(go(&q, "createArtifact", &obj_args, &[], Some(object))),
            409
        );
        // not present (and not announced) until finished
        assert_eq!(status(go(&q, "getArtifact", &obj_args, &[], None)), 404);
        assert_eq!(status(go(&q, "artifactInfo", &obj_args, &[], None)), 404);
        let finish = json!({"uploadId": created["uploadId"]});
        assert_eq!(
            status(go(&q, "finishArtifact", &obj_args, &[], Some(finish))),
            400,
            "the object is not uploaded"
        );

        let get = go(
            &q,
            "getArtifact",
            &[
                ("taskId", &task_id),
                ("runId", "0"),
                ("name", "public/log.txt"),
            ],
            &[],
            None,
        )
        .unwrap();
        assert_eq!(
            get,
            Response::Redirect {
                location: "https://example.com/log2.txt".into(),
                body: json!({"storageType": "reference", "url": "https://example.com/log2.txt"}),
                headers: vec![(STORAGE_TYPE_HEADER.to_owned(), "reference".to_owned())],
            }
        );
        let via_link = go(
            &q,
            "getLatestArtifact",
            &[("taskId", &task_id), ("name", "public/link")],
            &[],
            None,
        )
        .unwrap();
        assert!(
            matches!(via_link, Response::Redirect { ref location, .. } if location == "https://example.com/log2.txt")
        );
        let missing = go(
            &q,
            "getLatestArtifact",
            &[("taskId", &task_id), ("name", "public/missing")],
            &[],
            None,
        )
        .unwrap();
        assert_eq!(
            missing,
            Response::Status {
                status: 424,
                body: json!({"reason": "file-missing-on-worker", "message": "no such file"}),
                headers: vec![("x-taskcluster-artifact-storage-type".into(), "error".into())],
            }
        );
        assert_eq!(
            status(go(
                &q,
                "getArtifact",
                &[("taskId", &task_id), ("runId", "0"), ("name", "nope")],
                &[],
                None
            )),
            404
        );
        assert_eq!(
            status(go(
                &q,
                "getArtifact",
                &[("taskId", &task_id), ("runId", "3"), ("name", "nope")],
                &[],
                None
            )),
            404
        );
        let info = json(go(
            &q,
            "latestArtifactInfo",
            &[("taskId", &task_id), ("name", "public/missing")],
            &[],
            None,
        ));
        assert_eq!(info["contentType"], "application/binary");
        assert_eq!(
            status(go(
                &q,
                "finishArtifact",
                &[
                    ("taskId", &task_id),
                    ("runId", "0"),
                    ("name", "public/link")
                ],
                &[],
                Some(json!({"uploadId": slugid::nice()}))
            )),
            400
        );

        // Scope parameters of getArtifact follow links.
        let caller = crate::services::testing::root();
        let request = Request {
            service: "queue",
            entry: crate::services::testing::entry("queue", "getLatestArtifact"),
            args: [("taskId", task_id.as_str()), ("name", "public/link")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            query: Default::default(),
            body: None,
            caller: &caller,
            root_url: "http://x",
        };
        assert_eq!(
            crate::services::registry::scope_params(&q, &request)["names"],
            json!(["public/link", "public/log.txt"])
        );

        // Resolve.
        let done = json(go(
            &q,
            "reportCompleted",
            &run_args(&task_id, "0"),
            &[],
            None,
        ));
        assert_eq!(done["status"]["state"], "completed");
        assert_eq!(done["status"]["runs"][0]["reasonResolved"], "completed");
        // Idempotent, but not failed afterwards, and no more artifacts or reclaims.
        json(go(
            &q,
            "reportCompleted",
            &run_args(&task_id, "0"),
            &[],
            None,
        ));
        assert_eq!(
            status(go(&q, "reportFailed", &run_args(&task_id, "0"), &[], None)),
            409
        );
        assert_eq!(
            status(go(&q, "reclaimTask", &run_args(&task_id, "0"), &[], None)),
            409
        );
        assert_eq!(
            status(go(
                &q,
                "createArtifact",
                &[("taskId", &task_id), ("runId", "0"), ("name", "late")],
                &[],
                Some(json!({
                    "storageType": "reference", "url": "https://example.com/", "contentType": "text/plain", "expires": expires,
                }))
            )),
            409
        );

        check_messages(&published);
        assert_eq!(
            exchanges(&published),
            [
                "task-defined",
                "task-pending",
                "task-running",
                "artifact-created",
                "artifact-created",
                "artifact-created",
                "artifact-created",
                "task-completed",
                "task-group-resolved",
            ]
        );
        let messages = lock(&published);
        let (exchange, key, cc, _) = &messages[2];
        assert_eq!(exchange, "exchange/taskcluster-queue/v1/task-running");
        assert_eq!(
            key,
            &format!("primary.{task_id}.0.wg.wi.prov.worker-type.-.{task_id}._")
        );
        assert_eq!(cc, &vec!["route.index.a.b".to_string()]);
        assert_eq!(
            messages[0].1,
            format!("primary.{task_id}._._._.prov.worker-type.-.{task_id}._")
        );
        assert_eq!(messages[8].1, format!("primary.{task_id}.-._"));
    }

    #[test]
    fn create_task_validation_and_scope_params() {
        let (q, _) = queue();
        let task_id = slugid::nice();
        let mut def = definition(json!({}));
        def.as_object_mut().unwrap().remove("taskQueueId");
        assert_eq!(
            status(go(
                &q,
                "createTask",
                &[("taskId", &task_id)],
                &[],
                Some(def.clone())
            )),
            400
        );
        def["provisionerId"] = json!("p");
        def["workerType"] = json!("w");
        def["taskQueueId"] = json!("p/other");
        assert_eq!(
            status(go(
                &q,
                "createTask",
                &[("taskId", &task_id)],
                &[],
                Some(def.clone())
            )),
            400
        );
        let past = definition(json!({"deadline": format_ms(now_ms() - 1000)}));
        assert_eq!(
            status(go(
                &q,
                "createTask",
                &[("taskId", &task_id)],
                &[],
                Some(past)
            )),
            400
        );
        let far = definition(json!({"deadline": format_ms(now_ms() + 6 * 86_400_000)}));
        assert_eq!(
            status(go(
                &q,
                "createTask",
                &[("taskId", &task_id)],
                &[],
                Some(far)
            )),
            400
        );
        let old = definition(json!({"created": format_ms(now_ms() - 3_600_000)}));
        assert_eq!(
            status(go(
                &q,
                "createTask",
                &[("taskId", &task_id)],
                &[],
                Some(old)
            )),
            400
        );
        let missing_dep = definition(json!({"dependencies": [slugid::nice()]}));
        assert_eq!(
            status(go(
                &q,
                "createTask",
                &[("taskId", &task_id)],
                &[],
                Some(missing_dep)
            )),
            400
        );
        assert_eq!(
            status(go(&q, "status", &[("taskId", &task_id)], &[], None)),
            404
        );

        let caller = crate::services::testing::root();
        let mut body =
            definition(json!({"priority": "high", "schedulerId": "sched", "projectId": "proj"}));
        body.as_object_mut().unwrap().remove("taskQueueId");
        body["provisionerId"] = json!("p");
        body["workerType"] = json!("w");
        let request = Request {
            service: "queue",
            entry: crate::services::testing::entry("queue", "createTask"),
            args: [("taskId".to_string(), task_id.clone())]
                .into_iter()
                .collect(),
            query: Default::default(),
            body: Some(body),
            caller: &caller,
            root_url: "http://x",
        };
        let params = crate::services::registry::scope_params(&q, &request);
        assert_eq!(
            params["priorities"],
            json!(["highest", "very-high", "high"])
        );
        assert_eq!(params["taskQueueId"], "p/w");
        assert_eq!(params["taskGroupId"], task_id.as_str());
        assert_eq!(params["scopes"], json!([]));
        assert_eq!(params["routes"], json!(["index.a.b"]));
        let expr = crate::services::testing::entry("queue", "createTask")
            .scopes
            .clone()
            .unwrap();
        let have = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let base = [
            "queue:route:index.a.b",
            "queue:create-task:project:proj",
            "queue:scheduler-id:sched",
        ];
        let mut with_higher = have(&base);
        with_higher.push("queue:create-task:highest:p/w".into());
        assert!(crate::authentication::scopes::evaluate(&expr, &params, &with_higher).is_ok());
        let mut with_lower = have(&base);
        with_lower.push("queue:create-task:low:p/w".into());
        assert!(crate::authentication::scopes::evaluate(&expr, &params, &with_lower).is_err());

        // Task-derived parameters.
        let created = create(
            &q,
            &task_id,
            json!({"schedulerId": "sched", "projectId": "proj"}),
        );
        assert_eq!(created["schedulerId"], "sched");
        let request = Request {
            entry: crate::services::testing::entry("queue", "cancelTask"),
            body: None,
            ..request
        };
        let params = crate::services::registry::scope_params(&q, &request);
        assert_eq!(
            (
                params["schedulerId"].as_str(),
                params["taskGroupId"].as_str(),
                params["projectId"].as_str()
            ),
            (Some("sched"), Some(task_id.as_str()), Some("proj"))
        );
        assert!(
            crate::authentication::scopes::evaluate(
                crate::services::testing::entry("queue", "cancelTask")
                    .scopes
                    .as_ref()
                    .unwrap(),
                &params,
                &[format!("queue:cancel-task:sched/{task_id}/{task_id}")]
            )
            .is_ok()
        );
    }

    #[test]
    fn dependencies_schedule_dependents() {
        let (q, published) = queue();
        let (a, b, c, d) = (
            slugid::nice(),
            slugid::nice(),
            slugid::nice(),
            slugid::nice(),
        );
        create(&q, &a, json!({}));
        let group = json!(a);
        assert_eq!(
            create(&q, &b, json!({"dependencies": [a], "taskGroupId": group}))["state"],
            "unscheduled"
        );
        assert_eq!(
            create(
                &q,
                &c,
                json!({"dependencies": [a], "requires": "all-resolved", "taskGroupId": group})
            )["state"],
            "unscheduled"
        );
        let deps = json(go(&q, "listDependentTasks", &[("taskId", &a)], &[], None));
        assert_eq!(deps["tasks"].as_array().unwrap().len(), 2);
        let page = json(go(
            &q,
            "listDependentTasks",
            &[("taskId", &a)],
            &[("limit", "1")],
            None,
        ));
        assert_eq!(page["tasks"][0]["status"]["taskId"], b.as_str());
        assert!(page.get("continuationToken").is_some());

        // A fails: only the all-resolved dependent runs.
        let claim = claim_one(&q);
        assert_eq!(claim["status"]["taskId"], a.as_str());
        json(go(&q, "reportFailed", &run_args(&a, "0"), &[], None));
        assert_eq!(
            json(go(&q, "status", &[("taskId", &b)], &[], None))["status"]["state"],
            "unscheduled"
        );
        assert_eq!(
            json(go(&q, "status", &[("taskId", &c)], &[], None))["status"]["state"],
            "pending"
        );

        // A rerun and completed: B runs now.
        assert_eq!(
            json(go(&q, "rerunTask", &[("taskId", &a)], &[], None))["status"]["runs"][1]["reasonCreated"],
            "rerun"
        );
        let claim = claim_one(&q);
        let claimed = claim["status"]["taskId"].as_str().unwrap().to_string();
        let other = claim_one(&q);
        let other_id = other["status"]["taskId"].as_str().unwrap().to_string();
        let run_of = |id: &str| if id == a { "1" } else { "0" };
        json(go(
            &q,
            "reportCompleted",
            &run_args(&claimed, run_of(&claimed)),
            &[],
            None,
        ));
        json(go(
            &q,
            "reportCompleted",
            &run_args(&other_id, run_of(&other_id)),
            &[],
            None,
        ));
        assert_eq!(
            json(go(&q, "status", &[("taskId", &b)], &[], None))["status"]["state"],
            "pending"
        );

        // Self-dependency waits for scheduleTask.
        assert_eq!(
            create(&q, &d, json!({"dependencies": [d]}))["state"],
            "unscheduled"
        );
        assert_eq!(
            json(go(&q, "scheduleTask", &[("taskId", &d)], &[], None))["status"]["state"],
            "pending"
        );
        assert_eq!(
            json(go(&q, "scheduleTask", &[("taskId", &d)], &[], None))["status"]["runs"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        check_messages(&published);
    }

    #[test]
    fn exceptions_retries_cancel_and_timeouts() {
        let (q, published) = queue();
        let t = slugid::nice();
        create(&q, &t, json!({"retries": 1}));
        claim_one(&q);
        let s = json(go(
            &q,
            "reportException",
            &run_args(&t, "0"),
            &[],
            Some(json!({"reason": "worker-shutdown"})),
        ))["status"]
            .clone();
        assert_eq!(s["state"], "pending");
        assert_eq!(s["retriesLeft"], 0);
        assert_eq!(s["runs"][1]["reasonCreated"], "retry");
        // Repeat is idempotent.
        json(go(
            &q,
            "reportException",
            &run_args(&t, "0"),
            &[],
            Some(json!({"reason": "worker-shutdown"})),
        ));
        claim_one(&q);
        let s = json(go(
            &q,
            "reportException",
            &run_args(&t, "1"),
            &[],
            Some(json!({"reason": "intermittent-task"})),
        ))["status"]
            .clone();
        assert_eq!(s["state"], "exception");
        assert_eq!(s["runs"].as_array().unwrap().len(), 2);
        assert_eq!(
            status(go(
                &q,
                "reportException",
                &run_args(&t, "1"),
                &[],
                Some(json!({"reason": "malformed-payload"}))
            )),
            409
        );
        assert_eq!(
            status(go(&q, "reportCompleted", &run_args(&t, "7"), &[], None)),
            404
        );
        assert_eq!(
            status(go(
                &q,
                "reportCompleted",
                &run_args(&slugid::nice(), "0"),
                &[],
                None
            )),
            404
        );

        // Cancel: unscheduled gets an exception run, pending is resolved; idempotent.
        let (u, p) = (slugid::nice(), slugid::nice());
        create(&q, &u, json!({"dependencies": [u]}));
        let s = json(go(&q, "cancelTask", &[("taskId", &u)], &[], None))["status"].clone();
        assert_eq!(
            (
                s["state"].as_str(),
                s["runs"][0]["reasonCreated"].as_str(),
                s["runs"][0]["reasonResolved"].as_str()
            ),
            (Some("exception"), Some("exception"), Some("canceled"))
        );
        create(&q, &p, json!({}));
        let s = json(go(&q, "cancelTask", &[("taskId", &p)], &[], None))["status"].clone();
        assert_eq!(s["runs"][0]["reasonResolved"], "canceled");
        assert_eq!(
            json(go(&q, "cancelTask", &[("taskId", &p)], &[], None))["status"],
            s
        );
        assert_eq!(
            status(go(
                &q,
                "cancelTask",
                &[("taskId", &slugid::nice())],
                &[],
                None
            )),
            404
        );

        // Claim expiry (retried) and deadline (resolved), applied lazily.
        let (e, x) = (slugid::nice(), slugid::nice());
        create(&q, &e, json!({}));
        claim_one(&q);
        create(&q, &x, json!({}));
        {
            let mut data = lock(&q.data);
            if let Some(run) = data.tasks.get_mut(&e).and_then(|t| t.runs.last_mut()) {
                run.taken_until = Some(now_ms() - 1);
            }
            if let Some(task) = data.tasks.get_mut(&x) {
                task.deadline_ms = now_ms() - 1;
            }
        }
        let s = json(go(&q, "status", &[("taskId", &e)], &[], None))["status"].clone();
        assert_eq!(
            (
                s["runs"][0]["reasonResolved"].as_str(),
                s["runs"][1]["reasonCreated"].as_str(),
                s["state"].as_str()
            ),
            (Some("claim-expired"), Some("retry"), Some("pending"))
        );
        let s = json(go(&q, "status", &[("taskId", &x)], &[], None))["status"].clone();
        assert_eq!(
            (s["state"].as_str(), s["runs"][0]["reasonResolved"].as_str()),
            (Some("exception"), Some("deadline-exceeded"))
        );
        assert_eq!(
            status(go(&q, "rerunTask", &[("taskId", &x)], &[], None)),
            409
        );
        check_messages(&published);
    }

    #[test]
    fn task_groups_and_listings_page() {
        let (q, published) = queue();
        let group = slugid::nice();
        let mut ids = Vec::new();
        for _ in 0..7 {
            let id = slugid::nice();
            create(&q, &id, json!({"taskGroupId": group, "schedulerId": "s"}));
            ids.push(id);
        }
        let mut token: Option<String> = None;
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let mut query = vec![("limit", "3")];
            if let Some(t) = &token {
                query.push(("continuationToken", t.as_str()));
            }
            let page = json(go(
                &q,
                "listTaskGroup",
                &[("taskGroupId", &group)],
                &query,
                None,
            ));
            pages += 1;
            assert_eq!(page["schedulerId"], "s");
            for t in page["tasks"].as_array().unwrap() {
                seen.push(t["status"]["taskId"].as_str().unwrap().to_string());
            }
            match page.get("continuationToken") {
                Some(t) => token = Some(t.as_str().unwrap().to_string()),
                None => break,
            }
        }
        assert_eq!((pages, &seen), (3, &ids));
        assert_eq!(
            status(go(
                &q,
                "listTaskGroup",
                &[("taskGroupId", &slugid::nice())],
                &[],
                None
            )),
            404
        );
        assert_eq!(
            status(go(
                &q,
                "createTask",
                &[("taskId", &slugid::nice())],
                &[],
                Some(definition(json!({"taskGroupId": group})))
            )),
            409
        );

        let statuses = json(go(
            &q,
            "statuses",
            &[],
            &[("limit", "2")],
            Some(json!({"taskIds": [ids[0], "nope", ids[1], ids[2]]})),
        ));
        assert_eq!(statuses["statuses"].as_array().unwrap().len(), 2);
        assert!(statuses.get("continuationToken").is_some());
        let tasks = json(go(
            &q,
            "tasks",
            &[],
            &[],
            Some(json!({"taskIds": [ids[3]]})),
        ));
        assert_eq!(tasks["tasks"][0]["task"]["schedulerId"], "s");

        // Artifacts of one run, paged.
        let claim = claim_one(&q);
        let task_id = claim["status"]["taskId"].as_str().unwrap().to_string();
        let expires = format_ms(now_ms() + 3_600_000);
        for i in 0..7 {
            json(go(
                &q,
                "createArtifact",
                &[
                    ("taskId", &task_id),
                    ("runId", "0"),
                    ("name", &format!("a/{i}")),
                ],
                &[],
                Some(json!({
                    "storageType": "reference", "url": "https://example.com/", "contentType": "text/plain", "expires": expires,
                })),
            ));
        }
        for entry in ["listArtifacts", "listLatestArtifacts"] {
            let mut token: Option<String> = None;
            let mut names = Vec::new();
            let mut pages = 0;
            loop {
                let mut query = vec![("limit", "3")];
                if let Some(t) = &token {
                    query.push(("continuationToken", t.as_str()));
                }
                let page = json(go(&q, entry, &run_args(&task_id, "0"), &query, None));
                pages += 1;
                names.extend(
                    page["artifacts"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| a["name"].as_str().unwrap().to_string()),
                );
                match page.get("continuationToken") {
                    Some(t) => token = Some(t.as_str().unwrap().to_string()),
                    None => break,
                }
            }
            assert_eq!(pages, 3);
            assert_eq!(names, (0..7).map(|i| format!("a/{i}")).collect::<Vec<_>>());
        }
        assert_eq!(
            status(go(&q, "listArtifacts", &run_args(&task_id, "5"), &[], None)),
            404
        );

        // Seal, then cancel the rest.
        assert_eq!(
            status(go(
                &q,
                "cancelTaskGroup",
                &[("taskGroupId", &group)],
                &[],
                None
            )),
            409
        );
        let sealed = json(go(
            &q,
            "sealTaskGroup",
            &[("taskGroupId", &group)],
            &[],
            None,
        ));
        assert!(sealed.get("sealed").is_some());
        assert_eq!(
            json(go(
                &q,
                "getTaskGroup",
                &[("taskGroupId", &group)],
                &[],
                None
            )),
            sealed
        );
        assert_eq!(
            status(go(
                &q,
                "createTask",
                &[("taskId", &slugid::nice())],
                &[],
                Some(definition(
                    json!({"taskGroupId": group, "schedulerId": "s"})
                ))
            )),
            409
        );
        let cancelled = json(go(
            &q,
            "cancelTaskGroup",
            &[("taskGroupId", &group)],
            &[],
            None,
        ));
        assert_eq!(
            (
                cancelled["taskGroupSize"].as_u64(),
                cancelled["cancelledCount"].as_u64()
            ),
            (Some(7), Some(7))
        );
        let pending = json(go(
            &q,
            "pendingTasks",
            &[("taskQueueId", "prov/worker-type")],
            &[],
            None,
        ));
        assert_eq!(pending["pendingTasks"], 0);
        check_messages(&published);
        let all = exchanges(&published);
        assert_eq!(
            all.iter().filter(|e| *e == "task-group-resolved").count(),
            1
        );
        assert_eq!(all.iter().filter(|e| *e == "task-group-sealed").count(), 1);
    }

    #[test]
    fn claim_task_and_priorities() {
        let (q, _) = queue();
        let (low, high) = (slugid::nice(), slugid::nice());
        create(&q, &low, json!({"priority": "low"}));
        create(&q, &high, json!({"priority": "very-high"}));
        let first = claim_one(&q);
        assert_eq!(first["status"]["taskId"], high.as_str());
        let body = json!({"workerGroup": "wg", "workerId": "other"});
        let claimed = json(go(
            &q,
            "claimTask",
            &run_args(&low, "0"),
            &[],
            Some(body.clone()),
        ));
        assert_eq!(claimed["workerId"], "other");
        // Same worker again: same claim; another worker: conflict.
        json(go(&q, "claimTask", &run_args(&low, "0"), &[], Some(body)));
        assert_eq!(
            status(go(
                &q,
                "claimTask",
                &run_args(&low, "0"),
                &[],
                Some(json!({"workerGroup": "wg", "workerId": "x"}))
            )),
            409
        );
        assert_eq!(
            status(go(
                &q,
                "claimTask",
                &run_args(&low, "4"),
                &[],
                Some(json!({"workerGroup": "wg", "workerId": "x"}))
            )),
            404
        );
        // Without a publisher nothing breaks.
        let blobs = Arc::new(Blobs::new());
        let objects = Arc::new(Objects::new(blobs.clone()));
        let bare = Queue::new(
            Auth::new(vec![], vec![]).signer(),
            objects,
            blobs,
            messages(),
        );
        let t = slugid::nice();
        create(&bare, &t, json!({}));
        let claim = claim_one(&bare);
        assert_eq!(
            claim["credentials"]["clientId"]
                .as_str()
                .unwrap()
                .split('/')
                .next(),
            Some("task-client")
        );
    }

    #[test]
    fn set_publisher_gets_exchange_key_and_message() {
        let (q, _) = queue();
        let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let sink = seen.clone();
        q.set_publisher(Box::new(move |exchange, key, message| {
            assert_eq!(message["version"], 1);
            lock(&sink).push((exchange.to_string(), key.to_string()));
        }));
        let t = slugid::nice();
        create(&q, &t, json!({}));
        let seen = lock(&seen);
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[1].0, "exchange/taskcluster-queue/v1/task-pending");
        assert_eq!(
            seen[1].1,
            format!("primary.{t}.0._._.prov.worker-type.-.{t}._")
        );
    }
}
