//! Finds the API entry of a request path: `/api/<service>/<version>/<route>`.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

use tc_codegen::model::Component;

use crate::references::{References, Route, ServiceApi};

/// A request path matched to an entry.
#[derive(Debug)]
pub(crate) struct Matched<'r> {
    pub service: &'r ServiceApi,
    pub route: &'r Route,
    /// Path arguments, percent-decoded.
    pub args: BTreeMap<String, String>,
}

/// The entry that answers `method` (upper case) on the raw (still
/// percent-encoded) `path`, if any.
///
/// Segments are matched on the raw path split by `/`, so an argument holding
/// a `/` must come encoded as `%2F` (as every Taskcluster client sends it).
/// Like Taskcluster, a trailing `<name>` argument (artifact, secret and object
/// names) also takes a raw `/`: that is tried only when nothing matches exactly.
pub(crate) fn route<'r>(refs: &'r References, method: &str, path: &str) -> Option<Matched<'r>> {
    let rest = path.strip_prefix("/api/")?;
    let mut parts = rest.splitn(3, '/');
    let service = refs.services.get(parts.next()?)?;
    if parts.next()? != service.version {
        return None;
    }
    let segments: Vec<&str> = parts.next()?.split('/').collect();
    let candidates = || {
        service
            .entries
            .iter()
            .filter(|r| r.method.as_str() == method)
    };
    for route in candidates() {
        if let Some(args) = match_exact(&route.components(), &segments) {
            return Some(Matched {
                service,
                route,
                args,
            });
        }
    }
    for route in candidates() {
        if let Some(args) = match_greedy_name(&route.components(), &segments) {
            return Some(Matched {
                service,
                route,
                args,
            });
        }
    }
    None
}

fn match_exact(route: &[Component<'_>], path: &[&str]) -> Option<BTreeMap<String, String>> {
    if route.len() != path.len() {
        return None;
    }
    let mut args = BTreeMap::new();
    for (segment, raw) in route.iter().zip(path) {
        match segment {
            Component::Literal(text) => {
                if text != raw {
                    return None;
                }
            }
            Component::Arg(name) => {
                if raw.is_empty() {
                    return None;
                }
                args.insert((*name).to_owned(), decode(raw));
            }
        }
    }
    Some(args)
}

fn match_greedy_name(route: &[Component<'_>], path: &[&str]) -> Option<BTreeMap<String, String>> {
    let (Component::Arg(last), head) = route.split_last()? else {
        return None;
    };
    if *last != "name" || path.len() <= route.len() {
        return None;
    }
    let mut args = match_exact(head, &path[..head.len()])?;
    let tail = &path[head.len()..];
    if tail.iter().any(|s| s.is_empty()) {
        return None;
    }
    let value = tail.iter().map(|s| decode(s)).collect::<Vec<_>>().join("/");
    args.insert((*last).to_owned(), value);
    Some(args)
}

fn decode(raw: &str) -> String {
    percent_decode_str(raw).decode_utf8_lossy().into_owned()
}

/// The query string's parameters, percent-decoded (`+` is a space).
pub(crate) fn parse_query(query: Option<&str>) -> BTreeMap<String, String> {
    query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn refs() -> References {
        References::load(Path::new(crate::references::DEFAULT_REFERENCES)).unwrap()
    }

    fn entry<'r>(refs: &'r References, method: &str, path: &str) -> Option<(String, Matched<'r>)> {
        route(refs, method, path).map(|m| (format!("{}.{}", m.service.name, m.route.name()), m))
    }

    #[test]
    fn routes_match_by_segments_and_method() {
        let refs = refs();
        let (name, m) = entry(&refs, "GET", "/api/queue/v1/task/abc/status").unwrap();
        assert_eq!(name, "queue.status");
        assert_eq!(m.args["taskId"], "abc");
        assert_eq!(
            entry(&refs, "PUT", "/api/queue/v1/task/abc").unwrap().0,
            "queue.createTask"
        );
        assert_eq!(
            entry(&refs, "GET", "/api/queue/v1/task/abc").unwrap().0,
            "queue.task"
        );
        assert_eq!(
            entry(&refs, "GET", "/api/auth/v1/clients/").unwrap().0,
            "auth.listClients"
        );
        assert_eq!(
            entry(&refs, "GET", "/api/purge-cache/v1/ping").unwrap().0,
            "purge-cache.ping"
        );
        // method mismatch, unknown service, wrong version, unknown route
        assert!(entry(&refs, "DELETE", "/api/queue/v1/ping").is_none());
        assert!(entry(&refs, "GET", "/api/nope/v1/ping").is_none());
        assert!(entry(&refs, "GET", "/api/queue/v2/ping").is_none());
        assert!(entry(&refs, "GET", "/api/queue/v1/nope").is_none());
        assert!(entry(&refs, "GET", "/api/queue/v1/task/").is_none());
        assert!(entry(&refs, "GET", "/queue/v1/ping").is_none());
    }

    #[test]
    fn arguments_are_percent_decoded() {
        let refs = refs();
        let (name, m) = entry(
            &refs,
            "GET",
            "/api/queue/v1/task/abc/runs/0/artifacts/public%2Fbuild%2Fa%20b.txt",
        )
        .unwrap();
        assert_eq!(name, "queue.getArtifact");
        assert_eq!(m.args["name"], "public/build/a b.txt");
        assert_eq!(m.args["runId"], "0");
        let (name, m) = entry(&refs, "GET", "/api/secrets/v1/secret/project%2Fx%3Ay").unwrap();
        assert_eq!(name, "secrets.get");
        assert_eq!(m.args["name"], "project/x:y");
    }

    #[test]
    fn a_trailing_name_takes_raw_slashes() {
        let refs = refs();
        let (name, m) = entry(
            &refs,
            "GET",
            "/api/queue/v1/task/abc/artifacts/public/logs/live.log",
        )
        .unwrap();
        assert_eq!(name, "queue.getLatestArtifact");
        assert_eq!(m.args["name"], "public/logs/live.log");
        // exact matches win
        let (name, _) = entry(&refs, "GET", "/api/queue/v1/task/abc/runs/0/artifacts").unwrap();
        assert_eq!(name, "queue.listArtifacts");
    }

    #[test]
    fn queries_are_decoded() {
        let q = parse_query(Some("limit=5&continuationToken=a%2Fb+c&bewit=x"));
        assert_eq!(q["limit"], "5");
        assert_eq!(q["continuationToken"], "a/b c");
        assert!(parse_query(None).is_empty());
    }
}
