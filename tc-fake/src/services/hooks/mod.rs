//! The hooks service.
//!
//! Implemented entries: `listHookGroups`, `listHooks`, `hook`,
//! `getHookStatus`, `createHook`, `updateHook`, `removeHook`, `triggerHook`,
//! `getTriggerToken`, `resetTriggerToken`, `triggerHookWithToken`,
//! `listLastFires`.
//!
//! As in Taskcluster v106: a trigger's payload must match the hook's
//! `triggerSchema` (JSON Schema draft 7, formats checked; otherwise 400
//! `InputError` with the violations); the task template is rendered with
//! JSON-e in the context `{firedBy, payload, taskId, clientId}` (`clientId`
//! only for `triggerHook`); a template rendering to `null` creates nothing
//! and answers `{}`; `created`, `deadline` (1 day), `expires` (1 month) and
//! `taskGroupId` (the taskId) are filled in when the template leaves them
//! out; the task is created in the queue as the role
//! `hook-id:<hookGroupId>/<hookId>` (through the queue's own scope check and
//! validation), and a failure of `createTask` answers 403
//! `InsufficientScopes` (scopes) or 400 `InputError` naming the queue's error.
//! Every fire that reached the template is recorded for `listLastFires` and
//! `getHookStatus`, newest first.
//!
//! Not modelled: schedules are stored but never fire and their cron
//! expressions are not checked (`getHookStatus` gives no
//! `nextScheduledDate`), bindings never fire, and no hook-changed messages are
//! published.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock, Weak};

use serde_json::{Map, Value, json};

use crate::authentication::caller::Caller;
use crate::error::ApiError;
use crate::internal_call::Deployment;
use crate::service::{Request, Response};
use crate::services::registry::{Entries, Entry};
use crate::support::clock::{format_ms, now_ms};
use crate::support::paging::{Paging, with_token};
use crate::support::sync::lock;

mod trigger_schema;

use trigger_schema::{check_payload, check_trigger_schema};

const DAY_MS: i64 = 86_400_000;

/// The client the hooks service calls the queue as.
const HOOKS_CLIENT: &str = "static/taskcluster/hooks";

/// The shape of a slugid, as the hooks service checks a payload's `taskId`.
const SLUGID_PATTERN: &str =
    "^[A-Za-z0-9_-]{8}[Q-T][A-Za-z0-9_-][CGKOSWaeimquy26-][A-Za-z0-9_-]{10}[AQgw]$";

/// The hooks service's state.
pub struct Hooks {
    hooks: Mutex<BTreeMap<(String, String), Hook>>,
    /// The rest of the deployment, for `createTask` and task states; set once
    /// the deployment is assembled.
    deployment: OnceLock<Weak<dyn Deployment>>,
}

struct Hook {
    metadata: Value,
    task: Value,
    bindings: Value,
    schedule: Value,
    trigger_schema: Value,
    trigger_token: String,
    /// Newest first.
    fires: Vec<Fire>,
}

struct Fire {
    fired_by: &'static str,
    task_id: String,
    time_ms: i64,
    /// `Ok(())` for a created task, else the error as the hooks service
    /// records it (a JSON text, or plain text).
    result: Result<(), String>,
}

impl Hook {
    fn definition(&self, group: &str, id: &str) -> Value {
        json!({
            "hookGroupId": group,
            "hookId": id,
            "bindings": self.bindings,
            "metadata": self.metadata,
            "task": self.task,
            "schedule": self.schedule,
            "triggerSchema": self.trigger_schema,
        })
    }
}

impl Default for Hooks {
    fn default() -> Self {
        Self::new()
    }
}

impl Hooks {
    /// No hooks.
    pub fn new() -> Self {
        Hooks {
            hooks: Mutex::new(BTreeMap::new()),
            deployment: OnceLock::new(),
        }
    }

    /// Connects the service to the deployment it creates tasks in.
    pub(crate) fn connect(&self, deployment: Weak<dyn Deployment>) {
        let _ = self.deployment.set(deployment);
    }

    fn deployment(&self) -> Result<std::sync::Arc<dyn Deployment>, ApiError> {
        self.deployment
            .get()
            .and_then(Weak::upgrade)
            .ok_or_else(|| ApiError::internal("tc-fake: the hooks service has no queue"))
    }

    fn ids(request: &Request<'_>) -> Result<(String, String), ApiError> {
        Ok((
            request.arg("hookGroupId")?.to_owned(),
            request.arg("hookId")?.to_owned(),
        ))
    }

    fn list_hook_groups(&self) -> Response {
        let mut groups: Vec<String> = lock(&self.hooks).keys().map(|(g, _)| g.clone()).collect();
        groups.dedup();
        Response::Json(json!({ "groups": groups }))
    }

    fn list_hooks(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let group = request.arg("hookGroupId")?;
        let hooks: Vec<Value> = lock(&self.hooks)
            .iter()
            .filter(|((g, _), _)| g == group)
            .map(|((g, id), hook)| hook.definition(g, id))
            .collect();
        if hooks.is_empty() {
            return Err(ApiError::not_found("No such group"));
        }
        Ok(Response::Json(json!({ "hooks": hooks })))
    }

    fn hook(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let (group, id) = Self::ids(request)?;
        let hooks = lock(&self.hooks);
        let hook = hooks
            .get(&(group.clone(), id.clone()))
            .ok_or_else(no_such_hook)?;
        Ok(Response::Json(hook.definition(&group, &id)))
    }

    fn status(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let key = Self::ids(request)?;
        let hooks = lock(&self.hooks);
        let hook = hooks.get(&key).ok_or_else(no_such_hook)?;
        let last_fire = match hook.fires.first() {
            None => json!({ "result": "no-fire" }),
            Some(fire) => match &fire.result {
                Ok(()) => json!({
                    "result": "success",
                    "taskId": fire.task_id,
                    "time": format_ms(fire.time_ms),
                }),
                Err(error) => json!({
                    "result": "error",
                    "error": serde_json::from_str::<Map<String, Value>>(error)
                        .map_or_else(|_| json!({ "message": error }), Value::Object),
                    "time": format_ms(fire.time_ms),
                }),
            },
        };
        Ok(Response::Json(json!({ "lastFire": last_fire })))
    }

    /// The definition in a create or update request, with the URL's ids.
    fn requested_definition<'r>(
        request: &'r Request<'_>,
        group: &str,
        id: &str,
    ) -> Result<&'r Map<String, Value>, ApiError> {
        let body = request.body_object()?;
        if body
            .get("hookGroupId")
            .is_some_and(|g| g.as_str() != Some(group))
        {
            return Err(ApiError::input("Hook Group Ids do not match"));
        }
        if body.get("hookId").is_some_and(|h| h.as_str() != Some(id)) {
            return Err(ApiError::input("Hook Ids do not match"));
        }
        let schema = body.get("triggerSchema").cloned().unwrap_or(json!({}));
        check_trigger_schema(&schema)?;
        Ok(body)
    }

    fn create(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let (group, id) = Self::ids(request)?;
        let body = Self::requested_definition(request, &group, &id)?;
        let field = |name: &str, default: Value| body.get(name).cloned().unwrap_or(default);
        let hook = Hook {
            metadata: field("metadata", json!({})),
            task: field("task", json!({})),
            bindings: field("bindings", json!([])),
            schedule: field("schedule", json!([])),
            trigger_schema: field("triggerSchema", json!({})),
            trigger_token: slugid::nice(),
            fires: Vec::new(),
        };
        let mut answer = body.clone();
        answer.insert("hookGroupId".into(), json!(group));
        answer.insert("hookId".into(), json!(id));
        let answer = Value::Object(answer);
        let mut hooks = lock(&self.hooks);
        let key = (group.clone(), id.clone());
        match hooks.get(&key) {
            // As upstream compares them: the request (defaults filled in) with
            // the stored definition, which always has `bindings`, so a repeated
            // request without them conflicts too.
            Some(existing) if existing.definition(&group, &id) != answer => {
                return Err(ApiError::conflict(format!(
                    "hook `{group}/{id}` already exists."
                )));
            }
            Some(_) => {}
            None => {
                hooks.insert(key, hook);
            }
        }
        Ok(Response::Json(answer))
    }

    fn update(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let (group, id) = Self::ids(request)?;
        let body = Self::requested_definition(request, &group, &id)?;
        let mut hooks = lock(&self.hooks);
        let hook = hooks
            .get_mut(&(group.clone(), id.clone()))
            .ok_or_else(no_such_hook)?;
        let field =
            |name: &str, default: &Value| body.get(name).cloned().unwrap_or(default.clone());
        hook.metadata = field("metadata", &hook.metadata);
        hook.task = field("task", &hook.task);
        hook.bindings = field("bindings", &hook.bindings);
        hook.schedule = field("schedule", &json!([]));
        hook.trigger_schema = field("triggerSchema", &json!({}));
        Ok(Response::Json(hook.definition(&group, &id)))
    }

    fn remove(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let key = Self::ids(request)?;
        lock(&self.hooks).remove(&key);
        Ok(Response::Json(json!({})))
    }

    fn token(&self, request: &Request<'_>, reset: bool) -> Result<Response, ApiError> {
        let key = Self::ids(request)?;
        let mut hooks = lock(&self.hooks);
        let hook = hooks.get_mut(&key).ok_or_else(no_such_hook)?;
        if reset {
            hook.trigger_token = slugid::nice();
        }
        Ok(Response::Json(json!({ "token": hook.trigger_token })))
    }

    fn trigger_with_token(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let key = Self::ids(request)?;
        let token = request.arg("token")?;
        let matches = lock(&self.hooks)
            .get(&key)
            .ok_or_else(no_such_hook)?
            .trigger_token
            == token;
        if !matches {
            return Err(ApiError::authentication("invalid hook token"));
        }
        self.trigger(request, "triggerHookWithToken", None)
    }

    /// Fires a hook: checks the payload, renders the template and creates
    /// the task as the hook's role.
    fn trigger(
        &self,
        request: &Request<'_>,
        fired_by: &'static str,
        client_id: Option<&str>,
    ) -> Result<Response, ApiError> {
        let (group, id) = Self::ids(request)?;
        let (template, trigger_schema) = {
            let hooks = lock(&self.hooks);
            let hook = hooks
                .get(&(group.clone(), id.clone()))
                .ok_or_else(no_such_hook)?;
            (hook.task.clone(), hook.trigger_schema.clone())
        };
        let payload = request.body.clone().unwrap_or_else(|| json!({}));
        check_payload(&trigger_schema, &payload).map_err(ApiError::input)?;
        let task_id = match payload.get("taskId") {
            None | Some(Value::Null) => slugid::nice(),
            Some(Value::String(text)) if is_slugid(text) => text.clone(),
            Some(other) => {
                let shown = other
                    .as_str()
                    .map_or_else(|| other.to_string(), str::to_owned);
                return Err(ApiError::input(format!("Invalid taskId format: {shown}")));
            }
        };
        let mut context = json!({
            "firedBy": fired_by,
            "payload": payload,
            "taskId": task_id,
        });
        if let (Some(client_id), Some(map)) = (client_id, context.as_object_mut()) {
            map.insert("clientId".into(), json!(client_id));
        }
        let now = now_ms();
        let fire = |result: Result<(), String>| Fire {
            fired_by,
            task_id: task_id.clone(),
            time_ms: now,
            result,
        };

        let task = match json_e::render(&template, &context) {
            Ok(Value::Null) => return Ok(Response::Json(json!({}))),
            Ok(Value::Object(task)) => Ok(complete_task(task, &task_id, now)),
            Ok(other) => Err(format!(
                "the task template rendered to {other}, not an object"
            )),
            Err(e) => Err(e.to_string()),
        };
        let task = match task {
            Ok(task) => task,
            Err(error) => {
                self.record(&group, &id, fire(Err(error.clone())));
                return Err(ApiError::input(format!("While firing hook:\n\n{error}")));
            }
        };

        let deployment = self.deployment()?;
        let role = format!("hook-id:{group}/{id}");
        let caller = Caller {
            client_id: Some(HOOKS_CLIENT.to_owned()),
            scopes: deployment.expand(&[format!("assume:{role}")]),
        };
        let args = BTreeMap::from([("taskId".to_owned(), task_id.clone())]);
        let created = deployment.call("queue", "createTask", args, Some(task.clone()), &caller);
        match created {
            Ok(_) => {
                self.record(&group, &id, fire(Ok(())));
                Ok(Response::Json(json!({
                    "taskId": task_id,
                    "status": { "taskId": task_id },
                })))
            }
            Err(error) => {
                let body = error.body("createTask", &json!({ "taskId": task_id }), &task);
                let message = body["message"].as_str().unwrap_or_default().to_owned();
                let recorded = json!({
                    "name": "Error",
                    "message": message,
                    "code": error.code,
                    "statusCode": error.status,
                    "body": body,
                });
                // Upstream records it as `JSON.stringify(.., null, 2)` writes it.
                let recorded = serde_json::to_string_pretty(&recorded)
                    .unwrap_or_else(|_| recorded.to_string());
                self.record(&group, &id, fire(Err(recorded)));
                Err(if error.code == "InsufficientScopes" {
                    ApiError::insufficient_scopes(format!(
                        "The role `{role}` does not have sufficient scopes to create the task:\n\n{message}"
                    ))
                } else {
                    ApiError::input(format!(
                        "While calling createTask: {}\n\n{message}",
                        error.code
                    ))
                })
            }
        }
    }

    fn record(&self, group: &str, id: &str, fire: Fire) {
        if let Some(hook) = lock(&self.hooks).get_mut(&(group.to_owned(), id.to_owned())) {
            hook.fires.insert(0, fire);
        }
    }

    fn list_last_fires(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let (group, id) = Self::ids(request)?;
        let paging = Paging::from_query(&request.query, Some(1000), Some(1000))?;
        let fires: Vec<(String, &'static str, i64, Result<(), String>)> = lock(&self.hooks)
            .get(&(group.clone(), id.clone()))
            .map(|hook| {
                hook.fires
                    .iter()
                    .map(|f| (f.task_id.clone(), f.fired_by, f.time_ms, f.result.clone()))
                    .collect()
            })
            .unwrap_or_default();
        if fires.is_empty() {
            return Err(ApiError::not_found("No such hook or never fired"));
        }
        let (page, token) = paging.apply(fires);
        let deployment = self.deployment()?;
        let last_fires: Vec<Value> = page
            .into_iter()
            .map(|(task_id, fired_by, time_ms, result)| {
                json!({
                    "hookGroupId": group,
                    "hookId": id,
                    "firedBy": fired_by,
                    "taskId": task_id,
                    "taskCreateTime": format_ms(time_ms),
                    "result": if result.is_ok() { "success" } else { "error" },
                    "error": result.err().unwrap_or_default(),
                    "taskState": task_state(&*deployment, &task_id),
                })
            })
            .collect();
        Ok(Response::Json(with_token(
            json!({ "lastFires": last_fires }),
            token,
        )))
    }
}

impl Entries for Hooks {
    const SERVICE: &'static str = "hooks";
    const ENTRIES: &'static [Entry<Self>] = &[
        Entry::new("listHookGroups", |s: &Hooks, _| Ok(s.list_hook_groups())),
        Entry::new("listHooks", Hooks::list_hooks),
        Entry::new("hook", Hooks::hook),
        Entry::new("getHookStatus", Hooks::status),
        Entry::new("createHook", Hooks::create),
        Entry::new("updateHook", Hooks::update),
        Entry::new("removeHook", Hooks::remove),
        Entry::new("triggerHook", |s: &Hooks, request| {
            let client_id = request.caller.client_id.as_deref();
            s.trigger(request, "triggerHook", client_id)
        }),
        Entry::new("getTriggerToken", |s: &Hooks, request| {
            s.token(request, false)
        }),
        Entry::new("resetTriggerToken", |s: &Hooks, request| {
            s.token(request, true)
        }),
        Entry::new("triggerHookWithToken", Hooks::trigger_with_token),
        Entry::new("listLastFires", Hooks::list_last_fires),
    ];
}

fn no_such_hook() -> ApiError {
    ApiError::not_found("No such hook")
}

fn is_slugid(text: &str) -> bool {
    // The schema validator's regex engine, rather than a second one.
    static PATTERN: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    PATTERN
        .get_or_init(|| jsonschema::validator_for(&json!({ "pattern": SLUGID_PATTERN })).ok())
        .as_ref()
        .is_some_and(|pattern| pattern.is_valid(&json!(text)))
}

/// Fills in what the hooks service adds to a rendered task.
fn complete_task(mut task: Map<String, Value>, task_id: &str, now: i64) -> Value {
    let mut default = |key: &str, value: Value| {
        let missing = task
            .get(key)
            .is_none_or(|v| v.is_null() || v.as_str() == Some(""));
        if missing {
            task.insert(key.to_owned(), value);
        }
    };
    default("created", json!(format_ms(now)));
    default("deadline", json!(format_ms(now + DAY_MS)));
    default("expires", json!(format_ms(add_month(now))));
    default("taskGroupId", json!(task_id));
    Value::Object(task)
}

/// One calendar month later, as `fromNow('1 month')` counts it (the same
/// day of the next month, clamped to its length).
fn add_month(ms: i64) -> i64 {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) else {
        return ms + 30 * DAY_MS;
    };
    let (year, month) = match at.month() {
        time::Month::December => (at.year() + 1, time::Month::January),
        month => (at.year(), month.next()),
    };
    let day = at.day().min(month.length(year));
    time::Date::from_calendar_date(year, month, day)
        .map(|date| at.replace_date(date))
        .map_or(ms + 30 * DAY_MS, |later| {
            i64::try_from(later.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
        })
}

/// The state of a fired task in the queue (`unknown` when it has none).
/// Taskcluster's hooks service reads it from the queue's tables, so it needs
/// no scopes of the caller.
fn task_state(deployment: &dyn Deployment, task_id: &str) -> String {
    let args = BTreeMap::from([("taskId".to_owned(), task_id.to_owned())]);
    let service = Caller {
        client_id: Some(HOOKS_CLIENT.to_owned()),
        scopes: vec!["*".to_owned()],
    };
    match deployment.call("queue", "status", args, None, &service) {
        Ok(Response::Json(answer)) => answer["status"]["state"]
            .as_str()
            .unwrap_or("unknown")
            .to_owned(),
        _ => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_later_keeps_the_day_or_the_months_last() {
        let at = |text: &str| crate::support::clock::parse_time(text, "t").unwrap();
        assert_eq!(
            format_ms(add_month(at("2026-01-31T10:00:00.000Z"))),
            "2026-02-28T10:00:00.000Z"
        );
        assert_eq!(
            format_ms(add_month(at("2026-12-03T08:00:00.500Z"))),
            "2027-01-03T08:00:00.500Z"
        );
    }

    #[test]
    fn slugids_are_recognised() {
        assert!(is_slugid(&slugid::nice()));
        assert!(is_slugid(&slugid::v4()));
        assert!(!is_slugid("not-a-slug"));
    }

    #[test]
    fn rendered_tasks_get_the_hooks_defaults() {
        let now = crate::support::clock::parse_time("2026-12-03T08:00:00.000Z", "t").unwrap();
        let task = complete_task(
            json!({"created": "2026-01-01T00:00:00.000Z", "taskGroupId": ""})
                .as_object()
                .unwrap()
                .clone(),
            "abc",
            now,
        );
        assert_eq!(task["created"], "2026-01-01T00:00:00.000Z");
        assert_eq!(task["deadline"], "2026-12-04T08:00:00.000Z");
        assert_eq!(task["expires"], "2027-01-03T08:00:00.000Z");
        assert_eq!(task["taskGroupId"], "abc");
    }
}
