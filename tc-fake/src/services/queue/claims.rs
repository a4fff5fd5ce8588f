//! Claims and resolutions: `claimWork`, `claimTask`, `reclaimTask`, the
//! run credentials they carry, and `reportCompleted`/`Failed`/`Exception`.

use serde_json::{Value, json};

use super::model::*;
use crate::authentication::certificate::temporary_credentials;
use crate::error::ApiError;
use crate::service::{Request, Response};
use crate::support::clock::{format_ms, now_ms};
use crate::support::json::{required_text, text_or};

impl Queue {
    /// Temporary credentials for a claimed run, as Taskcluster's queue makes
    /// them.
    pub(super) fn task_credentials(
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
    pub(super) fn issue_credentials(&self, name: &str, expiry_ms: i64, scopes: &[String]) -> Value {
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
    pub(super) fn claim(
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

    pub(super) fn claim_json(&self, task: &Task, run_id: usize) -> Value {
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

    pub(super) fn claim_work(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn claim_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn reclaim_task(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn resolve_task(
        &self,
        request: &Request<'_>,
        target: RunState,
    ) -> Result<Response, ApiError> {
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

    pub(super) fn report_exception(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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
}
