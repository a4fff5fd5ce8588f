//! The reference set of a deployment: the manifest, every reference document it lists,
//! and every schema those documents need, transitively.
//!
//! Paths are root-relative (`/references/queue/v1/api.json`, `/schemas/queue/v1/task.json`),
//! as a deployment serves them under its root URL.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use tokio::task::JoinSet;

use crate::canonical;
use crate::error::{Error, Result};

/// The manifest: the root of the reference set.
pub const MANIFEST: &str = "/references/manifest.json";

/// Payload schemas of the standard workers, imported whether or not a reference names them.
pub const WORKER_PAYLOAD_SCHEMAS: [&str; 4] = [
    "/schemas/generic-worker/insecure_posix.json",
    "/schemas/generic-worker/multiuser_posix.json",
    "/schemas/generic-worker/multiuser_windows.json",
    "/schemas/docker-worker/v1/payload.json",
];

/// How many files are fetched at once.
const MAX_IN_FLIGHT: usize = 8;
/// Timeout of one HTTP request, connection included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Where reference files come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A directory laid out like a deployment (`references/`, `schemas/`).
    Dir(PathBuf),
    /// A deployment's root URL (no trailing slash).
    Http {
        /// The root URL.
        root_url: String,
        /// The HTTP client fetching from it.
        client: reqwest::Client,
    },
}

impl Source {
    /// `http://` and `https://` arguments are root URLs, anything else a directory.
    pub fn parse(from: &str) -> Result<Source> {
        if from.starts_with("http://") || from.starts_with("https://") {
            Source::http(from)
        } else {
            Ok(Source::Dir(PathBuf::from(from)))
        }
    }

    /// A deployment at `root_url`, fetched with a timeout.
    pub fn http(root_url: &str) -> Result<Source> {
        // reqwest is built without a crypto provider: install ring's (an error only means
        // that one is installed already).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(|e| Error::msg(format!("building an HTTP client: {}", error_chain(&e))))?;
        Ok(Source::Http {
            root_url: root_url.trim_end_matches('/').to_owned(),
            client,
        })
    }

    /// The directory or root URL, for messages.
    pub fn describe(&self) -> String {
        match self {
            Source::Dir(dir) => dir.display().to_string(),
            Source::Http { root_url, .. } => root_url.clone(),
        }
    }

    /// The root URL of a deployment (whose absolute URLs are rewritten root-relative).
    pub fn root_url(&self) -> Option<&str> {
        match self {
            Source::Dir(_) => None,
            Source::Http { root_url, .. } => Some(root_url),
        }
    }

    /// The bytes of the root-relative `path` (`/schemas/queue/v1/task.json`), as served.
    pub async fn fetch(&self, path: &str) -> Result<Vec<u8>> {
        match self.fetch_if_exists(path).await? {
            Some(bytes) => Ok(bytes),
            None => Err(Error::msg(format!(
                "{path}: not found in {}",
                self.describe()
            ))),
        }
    }

    /// Like [`Source::fetch`], with `Ok(None)` when the file does not exist (HTTP 404).
    pub async fn fetch_if_exists(&self, path: &str) -> Result<Option<Vec<u8>>> {
        if !path.starts_with('/') || path.split('/').any(|s| s == "..") {
            return Err(Error::msg(format!("invalid reference path {path:?}")));
        }
        match self {
            Source::Dir(dir) => {
                let file = dir.join(&path[1..]);
                match std::fs::read(&file) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(Error::msg(format!("reading {}: {e}", file.display()))),
                }
            }
            Source::Http { root_url, client } => {
                let url = format!("{root_url}{path}");
                let response = client
                    .get(&url)
                    .send()
                    .await
                    .map_err(|e| Error::msg(format!("fetching {url}: {}", error_chain(&e))))?;
                let status = response.status();
                if status == reqwest::StatusCode::NOT_FOUND {
                    return Ok(None);
                }
                if !status.is_success() {
                    return Err(Error::msg(format!("fetching {url}: HTTP {status}")));
                }
                let body = response
                    .bytes()
                    .await
                    .map_err(|e| Error::msg(format!("fetching {url}: {}", error_chain(&e))))?;
                Ok(Some(body.to_vec()))
            }
        }
    }
}

/// An error and its sources, `: `-separated (reqwest's Display alone hides the cause).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Resolves the URL reference `reference` found in the document at root-relative `base`
/// (a file, or a directory when it ends with `/`). The fragment is dropped. `Ok(None)`
/// for absolute URLs (other hosts); an error for paths outside `/schemas/` and
/// `/references/`.
pub fn resolve(base: &str, reference: &str) -> Result<Option<String>> {
    let without_fragment = reference.split('#').next().unwrap_or_default();
    if without_fragment.is_empty() {
        return Ok(Some(base.to_owned()));
    }
    if without_fragment.starts_with("//") || has_scheme(without_fragment) {
        return Ok(None);
    }
    let joined = if without_fragment.starts_with('/') {
        without_fragment.to_owned()
    } else {
        let dir = &base[..base.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{without_fragment}")
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let path = format!("/{}", segments.join("/"));
    if !(path.starts_with("/schemas/") || path.starts_with("/references/")) || path.ends_with('/') {
        return Err(Error::msg(format!(
            "{reference:?} in {base} resolves to {path}, which is not a file under /schemas/ or /references/"
        )));
    }
    Ok(Some(path))
}

/// RFC 3986: `scheme ":"` with scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The root-relative paths the document at `path` needs: for the manifest, the documents it
/// lists; for a reference document, the schemas of its entries (`input`, `output`,
/// `schema`, relative to `/schemas/<serviceName>/`); for a schema, every `$ref`; for all,
/// `$schema`.
pub fn dependencies(path: &str, doc: &Value) -> Result<Vec<String>> {
    let mut deps = Vec::new();
    let mut add = |base: &str, reference: &str| -> Result<()> {
        if let Some(p) = resolve(base, reference)? {
            deps.push(p);
        }
        Ok(())
    };
    if !path.starts_with("/schemas/")
        && let Some(schema) = doc.get("$schema").and_then(Value::as_str)
    {
        add(path, schema)?;
    }
    if path == MANIFEST {
        let refs = doc
            .get("references")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::msg(format!("{path}: no `references` array")))?;
        for r in refs {
            let r = r
                .as_str()
                .ok_or_else(|| Error::msg(format!("{path}: a reference is not a string: {r}")))?;
            add(path, r)?;
        }
    } else if path.starts_with("/references/") {
        let entries = doc.get("entries").and_then(Value::as_array);
        for entry in entries.into_iter().flatten() {
            for key in ["input", "output", "schema"] {
                let Some(schema) = entry.get(key).and_then(Value::as_str) else {
                    continue;
                };
                let service = doc
                    .get("serviceName")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        Error::msg(format!(
                            "{path}: an entry has `{key}` but the document has no `serviceName`"
                        ))
                    })?;
                add(&format!("/schemas/{service}/"), schema)?;
            }
        }
    } else {
        let mut refs = Vec::new();
        schema_refs(doc, &mut refs);
        for r in refs {
            add(path, r)?;
        }
    }
    Ok(deps)
}

/// Every string `$ref` and nested `$schema` in a schema.
fn schema_refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref" | "$schema", Value::String(s)) => out.push(s),
                    _ => schema_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| schema_refs(v, out)),
        _ => {}
    }
}

/// A fetched reference set. Paths are relative to the root (`references/manifest.json`,
/// `schemas/queue/v1/task.json`), as in `references.lock`.
#[derive(Debug, Default)]
pub struct Collected {
    /// The canonical bytes (see [`crate::canonical`]) of every file found.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files that were needed but not found, with the document that needed them.
    pub missing: BTreeMap<String, String>,
}

/// Fetches the whole reference set from `source`, in canonical form. A missing manifest
/// is an error; other missing files are listed in [`Collected::missing`].
pub async fn collect(source: &Source) -> Result<Collected> {
    let mut collected = Collected::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut pending: VecDeque<(String, String)> = VecDeque::new();
    seen.insert(MANIFEST.to_owned());
    pending.push_back((MANIFEST.to_owned(), String::new()));
    for schema in WORKER_PAYLOAD_SCHEMAS {
        seen.insert(schema.to_owned());
        pending.push_back((schema.to_owned(), "the worker payload schemas".to_owned()));
    }
    let mut tasks = JoinSet::new();
    loop {
        while tasks.len() < MAX_IN_FLIGHT {
            let Some((path, referrer)) = pending.pop_front() else {
                break;
            };
            let source = source.clone();
            tasks.spawn(async move {
                let result = source.fetch_if_exists(&path).await;
                (path, referrer, result)
            });
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let (path, referrer, result) =
            joined.map_err(|e| Error::msg(format!("a fetch task failed: {e}")))?;
        let Some(bytes) = result? else {
            if path == MANIFEST {
                return Err(Error::msg(format!(
                    "{MANIFEST} not found in {}: not a Taskcluster deployment or reference directory",
                    source.describe()
                )));
            }
            collected.missing.insert(path[1..].to_owned(), referrer);
            continue;
        };
        let from = |e: Error| Error::msg(format!("{e} (from {})", source.describe()));
        let doc = canonical::parse(&path, &bytes, source.root_url()).map_err(from)?;
        let deps = dependencies(&path, &doc).map_err(from)?;
        for dep in deps {
            if seen.insert(dep.clone()) {
                pending.push_back((dep, path.clone()));
            }
        }
        collected
            .files
            .insert(path[1..].to_owned(), canonical::to_bytes(&doc));
    }
    Ok(collected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_urls() {
        let r = |base, reference| resolve(base, reference).unwrap();
        let base = "/schemas/queue/v1/x.json";
        assert_eq!(
            r(base, "task.json#/properties/priority").as_deref(),
            Some("/schemas/queue/v1/task.json")
        );
        assert_eq!(r(base, "#/definitions/x").as_deref(), Some(base));
        assert_eq!(
            r(base, "./a.json#").as_deref(),
            Some("/schemas/queue/v1/a.json")
        );
        assert_eq!(
            r(base, "../../common/m.json#").as_deref(),
            Some("/schemas/common/m.json")
        );
        assert_eq!(
            r(base, "/schemas/common/metaschema.json#").as_deref(),
            Some("/schemas/common/metaschema.json")
        );
        assert_eq!(r(base, "http://json-schema.org/draft-06/schema#"), None);
        assert_eq!(
            r("/schemas/queue/", "v1/create-task-request.json#").as_deref(),
            Some("/schemas/queue/v1/create-task-request.json")
        );
        assert!(resolve(base, "/etc/passwd").is_err());
        assert!(resolve(base, "../../../../etc/passwd").is_err());
    }

    #[test]
    fn finds_dependencies() {
        let api = serde_json::json!({"$schema": "/schemas/common/api-reference-v0.json#", "serviceName": "queue",
            "entries": [{"input": "v1/a.json#", "output": "v1/b.json#"}, {"name": "ping"}]});
        assert_eq!(
            dependencies("/references/queue/v1/api.json", &api).unwrap(),
            [
                "/schemas/common/api-reference-v0.json",
                "/schemas/queue/v1/a.json",
                "/schemas/queue/v1/b.json"
            ]
        );
        let schema = serde_json::json!({"$schema": "/schemas/common/metaschema.json#",
            "properties": {"$ref": {"type": "string"}, "p": {"$ref": "task.json#/properties/x"},
            "q": {"items": [{"$ref": "#/definitions/y"}]}}});
        assert_eq!(
            dependencies("/schemas/queue/v1/x.json", &schema).unwrap(),
            [
                "/schemas/common/metaschema.json",
                "/schemas/queue/v1/task.json",
                "/schemas/queue/v1/x.json"
            ]
        );
    }
}
