//! Taskcluster's error answers.

use serde_json::{Value, json};

/// An error answer: status, Taskcluster error code and message.
///
/// Rendered as Taskcluster renders them: `{"code", "message", "requestInfo"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Taskcluster's error code (`ResourceNotFound`, `InsufficientScopes`, ...).
    pub code: &'static str,
    /// Human message.
    pub message: String,
}

impl ApiError {
    /// Any error.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 `InputError`.
    pub fn input(message: impl Into<String>) -> Self {
        Self::new(400, "InputError", message)
    }

    /// 400 `InputValidationError` (the body does not match the input schema).
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(400, "InputValidationError", message)
    }

    /// 401 `AuthenticationFailed`.
    pub fn authentication(message: impl Into<String>) -> Self {
        Self::new(401, "AuthenticationFailed", message)
    }

    /// 403 `InsufficientScopes`.
    pub fn insufficient_scopes(message: impl Into<String>) -> Self {
        Self::new(403, "InsufficientScopes", message)
    }

    /// 404 `ResourceNotFound`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "ResourceNotFound", message)
    }

    /// 409 `RequestConflict`.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(409, "RequestConflict", message)
    }

    /// 501 `NotImplemented`: the fake has no state for this endpoint.
    pub fn not_implemented(service: &str, entry: &str) -> Self {
        Self::new(
            501,
            "NotImplemented",
            format!("tc-fake does not implement {service}.{entry}"),
        )
    }

    /// 500 `InternalServerError` (also what fault injection answers by default).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalServerError", message)
    }

    /// 500 `InternalServerError` for a failure inside the service, written as
    /// Taskcluster's services write it outside production: a fresh incident
    /// id, then what went wrong.
    pub fn internal_incident(problem: &str) -> Self {
        Self::internal(format!(
            "Internal Server Error, incidentId {}. Error (not shown in production):\n```\n{problem}\n```",
            incident_id()
        ))
    }

    /// The JSON body, as Taskcluster writes it: the message followed by a
    /// `---` block naming the entry, error code, status and time, and
    /// `requestInfo` with the entry's name, its path arguments and the
    /// request's body.
    pub fn body(&self, entry: &str, params: &Value, payload: &Value) -> Value {
        let time = tc_time_now();
        let message = format!(
            "{}\n\n---\n\n* method:     {entry}\n* errorCode:  {}\n* statusCode: {}\n* time:       {time}",
            self.message, self.code, self.status
        );
        json!({
            "code": self.code,
            "message": message,
            "requestInfo": {
                "method": entry,
                "params": params,
                "payload": payload,
                "time": time,
            }
        })
    }
}

/// A random (version 4) UUID, as Taskcluster names incidents.
fn incident_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Now, as Taskcluster writes timestamps.
pub(crate) fn tc_time_now() -> String {
    let now = time::OffsetDateTime::now_utc();
    let millis = now.millisecond();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        millis
    )
}
