//! The secrets service.
//!
//! Implemented entries: `set`, `get`, `remove`, `list`.
//!
//! An expired secret is kept until it is set again or removed: `get`
//! answers 410 `ResourceExpired` for it (as Taskcluster does for a recently
//! expired secret, before its cleanup job deletes it) and `list` still names
//! it. `list` pages by name, 1000 names per page by default.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::error::ApiError;
use crate::service::{Request, Response};
use crate::services::registry::{Entries, Entry};
use crate::support::clock::{format_ms, now_ms};
use crate::support::json::time_field;
use crate::support::paging::{Paging, with_token};
use crate::support::sync::lock;

/// The secrets service's state.
pub struct Secrets {
    secrets: Mutex<BTreeMap<String, StoredSecret>>,
}

struct StoredSecret {
    secret: Value,
    expires_ms: i64,
}

impl Default for Secrets {
    fn default() -> Self {
        Self::new()
    }
}

impl Secrets {
    /// No secrets.
    pub fn new() -> Self {
        Secrets {
            secrets: Mutex::new(BTreeMap::new()),
        }
    }

    fn set(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let name = request.arg("name")?;
        let body = request.body_object()?;
        let expires_ms = time_field(body, "expires")?;
        let secret = body
            .get("secret")
            .filter(|v| v.is_object())
            .cloned()
            .ok_or_else(|| ApiError::input("`secret` must be an object"))?;
        lock(&self.secrets).insert(name.to_string(), StoredSecret { secret, expires_ms });
        Ok(Response::Empty)
    }

    fn get(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let name = request.arg("name")?;
        let secrets = lock(&self.secrets);
        let stored = secrets
            .get(name)
            .ok_or_else(|| ApiError::not_found("Secret not found"))?;
        if stored.expires_ms <= now_ms() {
            return Err(ApiError::new(
                410,
                "ResourceExpired",
                "The requested resource has expired.",
            ));
        }
        Ok(Response::Json(json!({
            "secret": stored.secret,
            "expires": format_ms(stored.expires_ms),
        })))
    }

    fn remove(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let name = request.arg("name")?;
        lock(&self.secrets).remove(name);
        Ok(Response::Empty)
    }

    fn list(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let paging = Paging::from_query(&request.query, Some(1000), Some(1000))?;
        let names: Vec<String> = lock(&self.secrets).keys().cloned().collect();
        let (page, token) = paging.apply(names);
        Ok(Response::Json(with_token(
            json!({ "secrets": page }),
            token,
        )))
    }
}

impl Entries for Secrets {
    const SERVICE: &'static str = "secrets";
    const ENTRIES: &'static [Entry<Self>] = &[
        Entry::new("set", Secrets::set),
        Entry::new("get", Secrets::get),
        Entry::new("remove", Secrets::remove),
        Entry::new("list", Secrets::list),
    ];
}

#[cfg(test)]
mod tests;
