//! Artifacts of every storage type: creation (object uploads through the
//! object service), finishing, redirects, content, info and listings.

use serde_json::{Map, Value, json};

use super::model::*;
use crate::error::ApiError;
use crate::service::{Request, Response};
use crate::storage::{self, GetGrant, Owner, PutGrant};
use crate::support::clock::{format_ms, now_ms};
use crate::support::json::{text_or, time_field};
use crate::support::paging::{Paging, with_token};
use crate::support::sync::lock;

/// The name of an artifact's object on the object service (Taskcluster
/// computes it, never stores it).
pub(super) fn object_name(task_id: &str, run_id: usize, name: &str) -> String {
    format!("t/{task_id}/{run_id}/{name}")
}

/// The artifact names a get of an artifact (following links) reads.
pub(super) fn artifact_names_params(
    queue: &Queue,
    request: &Request<'_>,
    params: &mut Map<String, Value>,
) {
    params.insert("names".into(), json!(queue.artifact_names(request)));
}

impl Queue {
    pub(super) fn create_artifact(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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

    pub(super) fn finish_artifact(&self, request: &Request<'_>) -> Result<Response, ApiError> {
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
    pub(super) fn explicit_run(
        request: &Request<'_>,
        latest: bool,
    ) -> Result<Option<usize>, ApiError> {
        if latest {
            Ok(None)
        } else {
            run_id_arg(request).map(Some)
        }
    }

    /// The run asked for, else the latest one.
    pub(super) fn run_of(task: &Task, explicit_run: Option<usize>) -> Result<usize, ApiError> {
        match explicit_run {
            Some(run_id) => Ok(run_id),
            None => Self::latest_run(task),
        }
    }

    /// The latest run of a task (404 when it has none).
    pub(super) fn latest_run(task: &Task) -> Result<usize, ApiError> {
        task.runs
            .len()
            .checked_sub(1)
            .ok_or_else(|| ApiError::not_found("Task doesn't have any runs"))
    }

    /// The present artifact `name` of a run (the latest without `runId`),
    /// following links: the run, the final name and the artifact.
    pub(super) fn resolve_artifact(
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

    pub(super) fn get_artifact(
        &self,
        request: &Request<'_>,
        latest: bool,
    ) -> Result<Response, ApiError> {
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
    pub(super) fn artifact_content(
        &self,
        request: &Request<'_>,
        latest: bool,
    ) -> Result<Response, ApiError> {
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

    pub(super) fn artifact_info(
        &self,
        request: &Request<'_>,
        latest: bool,
    ) -> Result<Response, ApiError> {
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

    pub(super) fn list_artifacts(
        &self,
        request: &Request<'_>,
        latest: bool,
    ) -> Result<Response, ApiError> {
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

    /// The names a `getArtifact`-like request needs scopes for: the name and
    /// every link target it leads to.
    pub(super) fn artifact_names(&self, request: &Request<'_>) -> Vec<String> {
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
