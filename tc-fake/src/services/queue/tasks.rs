//! Tasks: `createTask` and its checks and defaults, reads, listings,
//! scheduling, reruns, cancellation and the pending counts.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::model::*;
use crate::error::ApiError;
use crate::service::{Request, Response};
use crate::support::clock::{format_ms, now_ms, parse_time};
use crate::support::json::{string_list, time_field};
use crate::support::paging::{Paging, with_token};
use crate::support::sync::lock;

pub(super) fn split_task_queue_id(task_queue_id: &str) -> (String, String) {
    match task_queue_id.split_once('/') {
        Some((p, w)) => (p.to_string(), w.to_string()),
        None => (task_queue_id.to_string(), String::new()),
    }
}

/// `expires` by default: the deadline plus one calendar year.
pub(super) fn plus_one_year(ms: i64) -> i64 {
    let Ok(dt) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) else {
        return ms;
    };
    let next = dt
        .replace_year(dt.year() + 1)
        .unwrap_or_else(|_| dt + time::Duration::days(365));
    i64::try_from(next.unix_timestamp_nanos() / 1_000_000).unwrap_or(ms)
}

/// The queue identifiers of a task definition: `(provisionerId, workerType,
/// taskQueueId)`, as Taskcluster accepts them.
pub(super) fn queue_ids(body: &Map<String, Value>) -> Result<(String, String, String), ApiError> {
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
pub(super) fn build_task(
    task_id: &str,
    body: &Map<String, Value>,
    now: i64,
) -> Result<Task, ApiError> {
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
pub(super) fn priorities_at_or_above(priority: &str) -> Vec<String> {
    let index = PRIORITIES
        .iter()
        .position(|p| *p == priority)
        .unwrap_or(PRIORITIES.len() - 1);
    PRIORITIES[..=index].iter().map(|p| p.to_string()).collect()
}

/// The parameters of `createTask`'s expression, with the defaults the
/// queue fills in for fields the definition leaves out.
pub(super) fn create_task_params(
    _: &Queue,
    request: &Request<'_>,
    params: &mut Map<String, Value>,
) {
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
pub(super) fn task_params(queue: &Queue, request: &Request<'_>, params: &mut Map<String, Value>) {
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

impl Queue {
    pub(super) fn create_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn get_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        self.with_data(|data, _, _| Ok(Response::Json(data.task(task_id)?.definition.clone())))
    }

    pub(super) fn status(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_id = request.arg("taskId")?;
        self.with_data(|data, _, _| Ok(data.task(task_id)?.status_response()))
    }

    pub(super) fn tasks_or_statuses(
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

    pub(super) fn schedule_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn rerun_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn cancel_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn list_dependent_tasks(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn queue_counts(
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
}
