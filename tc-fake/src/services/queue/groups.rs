//! Task groups: listing, reading, sealing and cancelling them.

use serde_json::{Map, Value, json};

use super::events::group_message;
use super::model::*;
use crate::error::ApiError;
use crate::service::{Request, Response};
use crate::support::paging::{Paging, with_token};
use crate::support::sync::lock;

/// The stored task group's `schedulerId`.
pub(super) fn group_params(queue: &Queue, request: &Request<'_>, params: &mut Map<String, Value>) {
    let data = lock(&queue.data);
    let scheduler_id = request
        .args
        .get("taskGroupId")
        .and_then(|id| data.groups.get(id))
        .map(|g| g.scheduler_id.clone())
        .unwrap_or_default();
    params.insert("schedulerId".into(), json!(scheduler_id));
}

impl Queue {
    pub(super) fn group_not_found(task_group_id: &str) -> ApiError {
        ApiError::not_found(format!("No task-group with taskGroupId: `{task_group_id}`"))
    }

    pub(super) fn list_task_group(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn get_task_group(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let task_group_id = request.arg("taskGroupId")?;
        self.with_data(|data, _, _| {
            data.groups
                .get(task_group_id)
                .map(|g| Response::Json(g.json(task_group_id)))
                .ok_or_else(|| Self::group_not_found(task_group_id))
        })
    }

    pub(super) fn seal_task_group(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn cancel_task_group(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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
}
