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
mod tests {
    use super::*;
    use crate::services::testing::{call, json, status};

    fn go(
        s: &Secrets,
        name: &str,
        args: &[(&str, &str)],
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<Response, ApiError> {
        call(s, "secrets", name, args, query, body)
    }

    #[test]
    fn set_get_remove() {
        let s = Secrets::new();
        assert_eq!(status(go(&s, "get", &[("name", "a/b")], &[], None)), 404);
        let expires = format_ms(now_ms() + 60_000);
        let answer = go(
            &s,
            "set",
            &[("name", "a/b")],
            &[],
            Some(json!({"secret": {"k": "v"}, "expires": expires})),
        );
        assert!(matches!(answer, Ok(Response::Empty)));
        let got = json(go(&s, "get", &[("name", "a/b")], &[], None));
        assert_eq!(got, json!({"secret": {"k": "v"}, "expires": expires}));
        // Overwrite.
        go(
            &s,
            "set",
            &[("name", "a/b")],
            &[],
            Some(json!({"secret": {"k": 2}, "expires": expires})),
        )
        .unwrap();
        assert_eq!(
            json(go(&s, "get", &[("name", "a/b")], &[], None))["secret"]["k"],
            2
        );
        assert!(matches!(
            go(&s, "remove", &[("name", "a/b")], &[], None),
            Ok(Response::Empty)
        ));
        assert!(matches!(
            go(&s, "remove", &[("name", "a/b")], &[], None),
            Ok(Response::Empty)
        ));
        assert_eq!(status(go(&s, "get", &[("name", "a/b")], &[], None)), 404);
    }

    #[test]
    fn expired_secrets_answer_410() {
        let s = Secrets::new();
        let past = format_ms(now_ms() - 1000);
        go(
            &s,
            "set",
            &[("name", "old")],
            &[],
            Some(json!({"secret": {}, "expires": past})),
        )
        .unwrap();
        let err = go(&s, "get", &[("name", "old")], &[], None).unwrap_err();
        assert_eq!((err.status, err.code), (410, "ResourceExpired"));
        // Setting it again revives it.
        let future = format_ms(now_ms() + 60_000);
        go(
            &s,
            "set",
            &[("name", "old")],
            &[],
            Some(json!({"secret": {"x": 1}, "expires": future})),
        )
        .unwrap();
        assert_eq!(
            json(go(&s, "get", &[("name", "old")], &[], None))["secret"]["x"],
            1
        );
    }

    #[test]
    fn list_pages() {
        let s = Secrets::new();
        let expires = format_ms(now_ms() + 60_000);
        for i in 0..8 {
            go(
                &s,
                "set",
                &[("name", &format!("s{i}"))],
                &[],
                Some(json!({"secret": {}, "expires": expires})),
            )
            .unwrap();
        }
        let mut names = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut query = vec![("limit", "3")];
            if let Some(t) = &token {
                query.push(("continuationToken", t.as_str()));
            }
            let page = json(go(&s, "list", &[], &query, None));
            pages += 1;
            names.extend(
                page["secrets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string()),
            );
            match page.get("continuationToken") {
                Some(t) => token = Some(t.as_str().unwrap().to_string()),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(names, (0..8).map(|i| format!("s{i}")).collect::<Vec<_>>());
        assert_eq!(
            status(go(&s, "list", &[], &[("continuationToken", "bad!")], None)),
            400
        );
    }
}
