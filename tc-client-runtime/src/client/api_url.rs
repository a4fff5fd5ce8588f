//! Taskcluster URL rules: `<rootUrl>/api/<service>/<version>/<route>`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::client::endpoint::{Endpoint, RouteSegment};
use crate::client::path_arg::PathArg;
use crate::error::{Error, Result};

/// Characters left alone in a path argument: RFC 3986 unreserved, the same set
/// the official clients leave (`encodeURIComponent` minus `!*'()`); `/` is encoded.
const PATH_ARG: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Characters left alone in a query value.
const QUERY_VALUE: &AsciiSet = PATH_ARG;

/// Normalizes a root URL: trims whitespace and trailing slashes, checks the scheme.
pub(crate) fn normalize_root_url(root_url: &str) -> Result<String> {
    let trimmed = root_url.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Err(Error::Configuration("the root URL is empty".into()));
    }
    let parsed = url::Url::parse(trimmed)
        .map_err(|e| Error::Configuration(format!("the root URL {trimmed:?} is not a URL: {e}")))?;
    if parsed.scheme() != "http" && parsed.scheme() != "https" {
        return Err(Error::Configuration(format!(
            "the root URL {trimmed:?} must use http or https"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Configuration(format!(
            "the root URL {trimmed:?} must not carry a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}

/// `url` as errors show it: without its query, fragment and password, which may
/// carry signatures (a bewit, an S3 signature) or secrets.
pub fn shown_url(url: &url::Url) -> String {
    ShownUrl(url).to_string()
}

/// Displays a URL as [`shown_url`] writes it, without copying it first.
pub(crate) struct ShownUrl<'a>(pub &'a url::Url);

impl std::fmt::Display for ShownUrl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Written only when an error is made: a copy is cheap enough then.
        let mut shown = self.0.clone();
        shown.set_query(None);
        shown.set_fragment(None);
        let _ = shown.set_password(None);
        f.write_str(shown.as_str())
    }
}

/// The base URL of a service's API: `<rootUrl>/api/<service>/<version>`.
pub(crate) fn service_base(root_url: &str, service: &str, version: &str) -> String {
    format!("{root_url}/api/{service}/{version}")
}

/// Appends the route of `endpoint`, with `args` percent-encoded, and the query
/// arguments that are set (`query[i]` is the value of `endpoint.query[i]`), to `out`.
pub(crate) fn push_route(
    out: &mut String,
    endpoint: &Endpoint,
    args: &[PathArg<'_>],
    query: &[Option<String>],
) -> Result<()> {
    if args.len() != endpoint.args.len() {
        return Err(Error::InvalidArgument(format!(
            "{}.{} takes {} path argument(s), got {}",
            endpoint.service,
            endpoint.name,
            endpoint.args.len(),
            args.len()
        )));
    }
    for segment in endpoint.segments {
        match *segment {
            RouteSegment::Literal(text) => out.push_str(text),
            RouteSegment::Arg(index) => {
                let value = args[index].as_str();
                if value.is_empty() {
                    return Err(Error::InvalidArgument(format!(
                        "{}.{}: path argument `{}` is empty",
                        endpoint.service, endpoint.name, endpoint.args[index]
                    )));
                }
                out.extend(utf8_percent_encode(value, PATH_ARG));
            }
        }
    }
    if query.len() > endpoint.query.len() {
        return Err(Error::InvalidArgument(format!(
            "{}.{} takes {} query argument(s), got {}",
            endpoint.service,
            endpoint.name,
            endpoint.query.len(),
            query.len()
        )));
    }
    let mut first = true;
    for (name, value) in endpoint.query.iter().zip(query) {
        if let Some(value) = value {
            out.push(if first { '?' } else { '&' });
            first = false;
            out.extend(utf8_percent_encode(name, QUERY_VALUE));
            out.push('=');
            out.extend(utf8_percent_encode(value, QUERY_VALUE));
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::client::endpoint::HttpMethod;

    #[test]
    fn shown_urls_lose_their_secrets() {
        let url = url::Url::parse("https://u:p@h.example/a/b?sig=s3cret#f").unwrap();
        assert_eq!(shown_url(&url), "https://u@h.example/a/b");
    }

    /// `queue.getArtifact`, as the generator writes it (shared with client.rs's tests).
    pub(crate) const GET_ARTIFACT: Endpoint = Endpoint {
        service: "queue",
        name: "getArtifact",
        method: HttpMethod::Get,
        route: "/task/<taskId>/runs/<runId>/artifacts/<name>",
        segments: &[
            RouteSegment::Literal("/task/"),
            RouteSegment::Arg(0),
            RouteSegment::Literal("/runs/"),
            RouteSegment::Arg(1),
            RouteSegment::Literal("/artifacts/"),
            RouteSegment::Arg(2),
        ],
        args: &["taskId", "runId", "name"],
        query: &[],
        needs_scopes: true,
        redirects: false,
    };

    #[test]
    fn root_url_trailing_slashes_are_dropped() {
        assert_eq!(
            normalize_root_url("https://tc.example.com//").unwrap(),
            "https://tc.example.com"
        );
        assert!(normalize_root_url("").is_err());
        assert!(normalize_root_url("ftp://x").is_err());
        assert!(normalize_root_url("not a url").is_err());
    }

    #[test]
    fn path_arguments_are_percent_encoded() {
        let mut url = service_base("https://tc.example.com", "queue", "v1");
        push_route(
            &mut url,
            &GET_ARTIFACT,
            &args(&["abc", "0", "public/build/a b.txt"]),
            &[],
        )
        .unwrap();
        assert_eq!(
            url,
            "https://tc.example.com/api/queue/v1/task/abc/runs/0/artifacts/public%2Fbuild%2Fa%20b.txt"
        );
    }

    /// `queue.getArtifact` with the query arguments of a listing, for the query tests.
    pub(crate) const WITH_QUERY: Endpoint = Endpoint {
        query: &["continuationToken", "limit"],
        ..GET_ARTIFACT
    };

    pub(crate) fn args<'a>(values: &[&'a str]) -> Vec<PathArg<'a>> {
        values.iter().map(|v| PathArg::from(*v)).collect()
    }

    #[test]
    fn query_arguments_only_when_set() {
        let mut url = String::new();
        push_route(
            &mut url,
            &WITH_QUERY,
            &args(&["a", "1", "n"]),
            &[None, Some("10".into())],
        )
        .unwrap();
        assert_eq!(url, "/task/a/runs/1/artifacts/n?limit=10");
        url.clear();
        push_route(
            &mut url,
            &WITH_QUERY,
            &args(&["a", "1", "n"]),
            &[Some("x y&z".into())],
        )
        .unwrap();
        assert_eq!(
            url,
            "/task/a/runs/1/artifacts/n?continuationToken=x%20y%26z"
        );
    }

    #[test]
    fn wrong_argument_count_is_an_error() {
        let mut url = String::new();
        let err = push_route(&mut url, &GET_ARTIFACT, &args(&["a"]), &[]).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)));
        let err = push_route(&mut url, &GET_ARTIFACT, &args(&["a", "", "x"]), &[]).unwrap_err();
        assert!(err.to_string().contains("runId"));
        let err = push_route(
            &mut url,
            &GET_ARTIFACT,
            &args(&["a", "1", "x"]),
            &[Some("1".into())],
        )
        .unwrap_err();
        assert!(err.to_string().contains("query argument"), "{err}");
    }
}
