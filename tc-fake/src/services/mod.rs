//! The services that keep state: auth, queue, object, secrets, index and hooks.
//!
//! [`State`] owns one of each. The router finds a service by name with
//! [`State::service`] and calls [`Service::handle`]; entries a service does
//! not implement answer `None` (the router turns that into a 501).
//!
//! Shared conventions:
//! - timestamps are kept as milliseconds since the epoch and written as
//!   Taskcluster writes them (`2026-11-24T10:00:00.000Z`);
//! - continuation tokens are opaque strings (the offset of the next item);
//!   a page holds at most `limit` items and the last page has no
//!   `continuationToken` field at all;
//! - the state of each service sits behind a mutex; a poisoned lock is
//!   recovered rather than propagated.

pub mod auth;
pub mod hooks;
pub mod index;
pub mod object;
pub mod queue;
pub mod secrets;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::blobs::Blobs;
use crate::error::ApiError;
use crate::message_schemas::MessageSchemas;
use crate::service::{Request, Service};

/// The state of the whole fake deployment.
pub struct State {
    /// Clients and roles.
    pub auth: auth::Auth,
    /// Tasks, runs, artifacts and task groups.
    pub queue: queue::Queue,
    /// Objects.
    pub object: Arc<object::Objects>,
    /// The data of objects and `s3` artifacts, on disk.
    pub(crate) blobs: Arc<Blobs>,
    /// Secrets.
    pub secrets: secrets::Secrets,
    /// The task index.
    pub index: index::Index,
    /// Hooks and their fires.
    pub hooks: hooks::Hooks,
    /// Services the caller implements ([`TcFakeBuilder::service`](crate::TcFakeBuilder::service)).
    pub(crate) own: BTreeMap<String, Box<dyn Service>>,
}

impl State {
    /// A fresh deployment knowing these static clients (read-only, never
    /// expiring), roles (`(roleId, scopes)`) and services the caller
    /// implements.
    pub(crate) fn new(
        static_clients: Vec<crate::StaticClient>,
        roles: Vec<(String, Vec<String>)>,
        own: BTreeMap<String, Box<dyn Service>>,
        messages: Arc<MessageSchemas>,
    ) -> Self {
        let auth = auth::Auth::new(static_clients, roles);
        let signer = auth.signer();
        let blobs = Arc::new(Blobs::new());
        let object = Arc::new(object::Objects::new(blobs.clone()));
        State {
            queue: queue::Queue::new(signer.clone(), object.clone(), blobs.clone(), messages),
            index: index::Index::new(signer),
            secrets: secrets::Secrets::new(),
            hooks: hooks::Hooks::new(),
            object,
            blobs,
            auth,
            own,
        }
    }

    /// The service with this name (`auth`, `queue`, `object`, `secrets`,
    /// `index`, `hooks`, or one the caller implements).
    pub fn service(&self, name: &str) -> Option<&dyn Service> {
        match name {
            "auth" => Some(&self.auth),
            "queue" => Some(&self.queue),
            "object" => Some(&*self.object),
            "secrets" => Some(&self.secrets),
            "index" => Some(&self.index),
            "hooks" => Some(&self.hooks),
            _ => self.own.get(name).map(|service| &**service),
        }
    }

    /// The services that keep state of their own.
    pub(crate) const STATEFUL: [&str; 6] = ["auth", "queue", "object", "secrets", "index", "hooks"];
}

/// Locks a mutex, recovering the data of a poisoned one.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Now, in milliseconds since the epoch.
pub(crate) fn now_ms() -> i64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

/// Milliseconds since the epoch as Taskcluster writes them
/// (`2026-11-24T10:00:00.000Z`). Out-of-range values are clamped to the
/// years 0000..=9999.
pub(crate) fn format_ms(ms: i64) -> String {
    const MIN: i64 = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
    const MAX: i64 = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    let ms = ms.clamp(MIN, MAX);
    let dt = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.millisecond()
    )
}

/// Parses an RFC 3339 date-time into milliseconds since the epoch (400 when
/// it is not one; `what` names the field in the message).
pub(crate) fn parse_time(value: &str, what: &str) -> Result<i64, ApiError> {
    let dt = time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
        .map_err(|e| {
            ApiError::input(format!("`{what}` is not a valid date-time ({value}): {e}"))
        })?;
    i64::try_from(dt.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| ApiError::input(format!("`{what}` is out of range ({value})")))
}

/// A string field of a JSON object, or `default` when it is missing or not a
/// string.
pub(crate) fn text_or(body: &Map<String, Value>, key: &str, default: &str) -> String {
    body.get(key)
        .and_then(Value::as_str)
        .unwrap_or(default)
        .to_string()
}

/// A string field of a JSON object that must be there (400 when missing).
pub(crate) fn required_text(body: &Map<String, Value>, key: &str) -> Result<String, ApiError> {
    body.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| ApiError::input(format!("`{key}` is required")))
}

/// Reads a date-time field of a JSON object (400 when missing or invalid).
pub(crate) fn time_field(body: &Map<String, Value>, key: &str) -> Result<i64, ApiError> {
    match body.get(key).and_then(Value::as_str) {
        Some(value) => parse_time(value, key),
        None => Err(ApiError::input(format!("`{key}` is required"))),
    }
}

/// The request body as a JSON object (400 when there is none).
pub(crate) fn body_object<'a>(
    request: &'a Request<'_>,
) -> Result<&'a Map<String, Value>, ApiError> {
    match &request.body {
        Some(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::input("a JSON object body is required")),
    }
}

/// A path argument (400 when the router did not supply it).
pub(crate) fn arg<'a>(request: &'a Request<'_>, name: &str) -> Result<&'a str, ApiError> {
    request
        .args
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| ApiError::input(format!("missing path argument `{name}`")))
}

/// A JSON array of strings as a `Vec` (anything else: empty).
pub(crate) fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Removes duplicates, keeping the first occurrence of each item.
pub(crate) fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .into_iter()
        .filter(|s| seen.insert(s.clone()))
        .collect()
}

/// One page of a listing: where it starts and how many items it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    /// Index of the first item.
    pub offset: usize,
    /// Maximum number of items; `None`: all of them.
    pub limit: Option<usize>,
}

impl Paging {
    /// Reads `continuationToken` and `limit` from the query. `default_limit`
    /// applies when `limit` is absent or zero (`None`: no limit); any limit
    /// is capped at `max_limit` when one is given.
    pub(crate) fn from_query(
        query: &BTreeMap<String, String>,
        default_limit: Option<usize>,
        max_limit: Option<usize>,
    ) -> Result<Paging, ApiError> {
        let offset = match query.get("continuationToken") {
            Some(token) => decode_token(token)?,
            None => 0,
        };
        let limit = match query.get("limit") {
            Some(text) => {
                let n: usize = text
                    .parse()
                    .map_err(|_| ApiError::input(format!("invalid limit `{text}`")))?;
                if n == 0 { default_limit } else { Some(n) }
            }
            None => default_limit,
        };
        let limit = match (limit, max_limit) {
            (Some(n), Some(max)) => Some(n.min(max)),
            (None, Some(max)) => Some(max),
            (limit, None) => limit,
        };
        Ok(Paging { offset, limit })
    }

    /// The items of this page and the token of the next one, if any.
    pub(crate) fn apply<T>(self, items: Vec<T>) -> (Vec<T>, Option<String>) {
        let total = items.len();
        let start = self.offset.min(total);
        let end = match self.limit {
            Some(limit) => start.saturating_add(limit).min(total),
            None => total,
        };
        let page: Vec<T> = items.into_iter().skip(start).take(end - start).collect();
        let token = (end < total).then(|| encode_token(end));
        (page, token)
    }
}

/// Continuation tokens: the offset, opaque to callers.
fn encode_token(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

fn decode_token(token: &str) -> Result<usize, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("offset:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| ApiError::input(format!("invalid continuationToken `{token}`")))
}

/// Adds `continuationToken` to a listing body when there is a next page.
pub(crate) fn with_token(mut body: Value, token: Option<String>) -> Value {
    if let (Some(token), Some(map)) = (token, body.as_object_mut()) {
        map.insert("continuationToken".into(), Value::String(token));
    }
    body
}

/// Percent-encodes one URL path component as JavaScript's
/// `encodeURIComponent` does (what the Taskcluster clients use for path
/// arguments).
pub(crate) fn encode_component(text: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'!')
        .remove(b'~')
        .remove(b'*')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')');
    percent_encoding::utf8_percent_encode(text, SET).to_string()
}

/// Temporary credentials (certificate version 1) issued by `issuer`, exactly
/// as the Taskcluster clients make them: `name` makes them named (with
/// `issuer` in the certificate).
pub(crate) fn temporary_credentials(
    issuer_id: &str,
    issuer_token: &str,
    name: Option<&str>,
    start_ms: i64,
    expiry_ms: i64,
    scopes: &[String],
) -> Value {
    let seed = format!("{}{}", slugid::v4(), slugid::v4());
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, issuer_token.as_bytes());
    let mut text = String::from("version:1\n");
    if let Some(name) = name {
        text.push_str(&format!("clientId:{name}\nissuer:{issuer_id}\n"));
    }
    text.push_str(&format!(
        "seed:{seed}\nstart:{start_ms}\nexpiry:{expiry_ms}\nscopes:\n"
    ));
    text.push_str(&scopes.join("\n"));
    let signature = base64::engine::general_purpose::STANDARD
        .encode(ring::hmac::sign(&key, text.as_bytes()).as_ref());
    let access_token = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(ring::hmac::sign(&key, seed.as_bytes()).as_ref());
    let mut certificate = json!({
        "version": 1,
        "scopes": scopes,
        "start": start_ms,
        "expiry": expiry_ms,
        "seed": seed,
        "signature": signature,
    });
    if let (Some(_), Some(map)) = (name, certificate.as_object_mut()) {
        map.insert("issuer".into(), Value::String(issuer_id.to_string()));
    }
    json!({
        "clientId": name.unwrap_or(issuer_id),
        "accessToken": access_token,
        "certificate": certificate.to_string(),
    })
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers shared by the services' unit tests.

    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    use serde_json::Value;
    use tc_codegen::model;
    use tc_codegen::reference::ApiEntry;

    use crate::caller::Caller;
    use crate::error::ApiError;
    use crate::service::{Request, Response, Service};

    /// The references directory of the workspace.
    pub fn references_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("references")
    }

    /// The API entry `name` of `service`, from the real reference.
    pub fn entry(service: &str, name: &str) -> &'static ApiEntry {
        static REFS: OnceLock<BTreeMap<String, model::Service>> = OnceLock::new();
        let refs = REFS.get_or_init(|| {
            let mut loader = tc_codegen::loader::Loader::new(references_dir()).unwrap();
            model::services(&mut loader)
                .unwrap()
                .into_iter()
                .map(|s| (s.name.clone(), s))
                .collect()
        });
        &refs[service]
            .entry(name)
            .unwrap_or_else(|| panic!("no entry {service}.{name}"))
            .reference
    }

    /// A caller holding `*`.
    pub fn root() -> Caller {
        Caller {
            client_id: Some("root".into()),
            scopes: vec!["*".into()],
        }
    }

    /// Calls `service.entry` with path arguments, query and body; also checks
    /// the answer against the entry's output schema.
    pub fn call(
        service: &dyn Service,
        svc: &str,
        name: &str,
        args: &[(&str, &str)],
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<Response, ApiError> {
        call_as(service, svc, name, args, query, body, &root())
    }

    /// Like [`call`], as `caller`.
    pub fn call_as(
        service: &dyn Service,
        svc: &str,
        name: &str,
        args: &[(&str, &str)],
        query: &[(&str, &str)],
        body: Option<Value>,
        caller: &Caller,
    ) -> Result<Response, ApiError> {
        let entry = entry(svc, name);
        let request = Request {
            service: svc,
            entry,
            args: args
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body,
            caller,
            root_url: "http://127.0.0.1:1234",
        };
        let answer = service
            .handle(&request)
            .unwrap_or_else(|| panic!("{svc}.{name} is not implemented"));
        if let Ok(response) = &answer {
            let body = match response {
                Response::Json(v) => Some(v),
                Response::Redirect { body, .. } => Some(body),
                Response::Empty | Response::Status { .. } => None,
            };
            if let (Some(output), Some(body)) = (&entry.output, body) {
                super::schema_check::validate(svc, output, body);
            }
        }
        answer
    }

    /// The JSON body of an answer (panics on errors and empty answers).
    pub fn json(answer: Result<Response, ApiError>) -> Value {
        match answer {
            Ok(Response::Json(v)) => v,
            other => panic!("expected a JSON answer, got {other:?}"),
        }
    }

    /// The status of an error answer.
    pub fn status(answer: Result<Response, ApiError>) -> u16 {
        match answer {
            Err(e) => e.status,
            Ok(other) => panic!("expected an error, got {other:?}"),
        }
    }
}

#[cfg(test)]
pub(crate) mod schema_check {
    //! Validation of answers against the output schemas of the references,
    //! with cross-file `$ref`s resolved from the references directory.

    use std::sync::OnceLock;

    use serde_json::Value;

    struct Retriever;

    impl jsonschema::Retrieve for Retriever {
        fn retrieve(
            &self,
            uri: &jsonschema::Uri<String>,
        ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
            let path = uri.path().as_str();
            let rel = path
                .strip_prefix("/schemas/")
                .ok_or_else(|| format!("unexpected schema uri {uri}"))?;
            let file = super::testing::references_dir().join("schemas").join(rel);
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let mut value: Value = serde_json::from_str(&text)?;
            strip_meta(&mut value);
            Ok(value)
        }
    }

    /// Taskcluster's `$schema` points at its own metaschema; validate as
    /// draft 6 (what it extends) instead.
    fn strip_meta(value: &mut Value) {
        if let Some(map) = value.as_object_mut() {
            map.remove("$schema");
        }
    }

    fn root_uri(service: &str, output: &str) -> String {
        let file = output.trim_end_matches('#');
        format!("https://tc-fake.invalid/schemas/{service}/{file}")
    }

    /// Panics when `body` does not match the output schema `output` of
    /// `service` (`v1/task-status-response.json#`).
    pub fn validate(service: &str, output: &str, body: &Value) {
        static CACHE: OnceLock<
            std::sync::Mutex<
                std::collections::BTreeMap<String, std::sync::Arc<jsonschema::Validator>>,
            >,
        > = OnceLock::new();
        let key = format!("{service}/{output}");
        let cache = CACHE.get_or_init(Default::default);
        let existing = super::lock(cache).get(&key).cloned();
        let validator = match existing {
            Some(v) => v,
            None => {
                let file = super::testing::references_dir()
                    .join("schemas")
                    .join(service)
                    .join(output.trim_end_matches('#'));
                let text = std::fs::read_to_string(&file).unwrap();
                let mut schema: Value = serde_json::from_str(&text).unwrap();
                strip_meta(&mut schema);
                if let Some(map) = schema.as_object_mut() {
                    map.insert("$id".into(), Value::String(root_uri(service, output)));
                }
                let v = std::sync::Arc::new(
                    jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft6)
                        .should_validate_formats(true)
                        .with_retriever(Retriever)
                        .build(&schema)
                        .unwrap_or_else(|e| panic!("schema {key}: {e}")),
                );
                super::lock(cache).insert(key.clone(), v.clone());
                v
            }
        };
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{key}: {errors:?}\nbody: {body:#}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_in_taskcluster_format() {
        let ms = parse_time("2026-11-24T10:00:00Z", "t").unwrap();
        assert_eq!(format_ms(ms), "2026-11-24T10:00:00.000Z");
        let ms = parse_time("2026-11-24T11:00:00.123+01:00", "t").unwrap();
        assert_eq!(format_ms(ms), "2026-11-24T10:00:00.123Z");
        assert_eq!(parse_time("yesterday", "t").unwrap_err().status, 400);
        assert_eq!(format_ms(i64::MAX), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn paging_walks_pages_and_rejects_bad_tokens() {
        let items: Vec<u32> = (0..7).collect();
        let mut query = BTreeMap::new();
        query.insert("limit".to_string(), "3".to_string());
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let paging = Paging::from_query(&query, Some(1000), Some(1000)).unwrap();
            let (page, token) = paging.apply(items.clone());
            assert!(page.len() <= 3);
            seen.extend(page);
            pages += 1;
            match token {
                Some(t) => query.insert("continuationToken".into(), t),
                None => break,
            };
        }
        assert_eq!(pages, 3);
        assert_eq!(seen, items);
        query.insert("continuationToken".into(), "garbage".into());
        assert_eq!(
            Paging::from_query(&query, None, None).unwrap_err().status,
            400
        );
        let mut query = BTreeMap::new();
        query.insert("limit".to_string(), "x".to_string());
        assert!(Paging::from_query(&query, None, None).is_err());
    }

    #[test]
    fn encode_component_matches_encode_uri_component() {
        assert_eq!(
            encode_component("public/build a.tar.gz"),
            "public%2Fbuild%20a.tar.gz"
        );
        assert_eq!(encode_component("a-b_c.d!~*'()"), "a-b_c.d!~*'()");
    }

    #[test]
    fn temporary_credentials_match_the_reference_algorithm() {
        let creds = temporary_credentials(
            "issuer",
            "secret",
            Some("named"),
            1000,
            2000,
            &["a".into(), "b".into()],
        );
        assert_eq!(creds["clientId"], "named");
        let cert: Value = serde_json::from_str(creds["certificate"].as_str().unwrap()).unwrap();
        assert_eq!(cert["issuer"], "issuer");
        assert_eq!(cert["version"], 1);
        let seed = cert["seed"].as_str().unwrap();
        assert_eq!(seed.len(), 44);
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"secret");
        let text = format!(
            "version:1\nclientId:named\nissuer:issuer\nseed:{seed}\nstart:1000\nexpiry:2000\nscopes:\na\nb"
        );
        let sig = base64::engine::general_purpose::STANDARD
            .encode(ring::hmac::sign(&key, text.as_bytes()).as_ref());
        assert_eq!(cert["signature"], Value::String(sig));
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(ring::hmac::sign(&key, seed.as_bytes()).as_ref());
        assert_eq!(creds["accessToken"], Value::String(token));
        let unnamed = temporary_credentials("issuer", "secret", None, 1000, 2000, &[]);
        assert_eq!(unnamed["clientId"], "issuer");
        let cert: Value = serde_json::from_str(unnamed["certificate"].as_str().unwrap()).unwrap();
        assert!(cert.get("issuer").is_none());
    }
}

#[cfg(test)]
mod schema_check_tests {
    use serde_json::json;

    #[test]
    fn validation_resolves_cross_file_refs() {
        super::schema_check::validate(
            "queue",
            "v1/task-status-response.json#",
            &json!({"status": {
                "taskId": "fN1SbArXTPSVFNUvaOlinQ", "provisionerId": "p", "workerType": "w", "taskQueueId": "p/w",
                "schedulerId": "-", "projectId": "none", "taskGroupId": "fN1SbArXTPSVFNUvaOlinQ",
                "deadline": "2026-11-24T10:00:00.000Z", "expires": "2027-11-24T10:00:00.000Z",
                "retriesLeft": 5, "state": "unscheduled", "runs": [],
            }}),
        );
    }

    #[test]
    #[should_panic(expected = "task-status-response")]
    fn validation_catches_bad_nested_bodies() {
        super::schema_check::validate(
            "queue",
            "v1/task-status-response.json#",
            &json!({"status": {
                "taskId": "not a slug", "state": "bogus",
            }}),
        );
    }

    #[test]
    #[should_panic(expected = "scopeset")]
    fn validation_catches_bad_formats() {
        super::schema_check::validate("auth", "v1/scopeset.json#", &json!({"scopes": ["a", "a"]}));
    }

    #[test]
    #[should_panic(expected = "date-time")]
    fn validation_checks_date_time_formats() {
        super::schema_check::validate(
            "secrets",
            "v1/secret.json#",
            &json!({"secret": {}, "expires": "tomorrow"}),
        );
    }
}
