//! The HTTP server: accepts connections and answers each request by routing,
//! fault injection, Hawk authentication, the scope check, input validation,
//! the service and output validation, in that order. Data URLs
//! (`/__tc_fake/objects/...`) go to [`crate::http::data_urls`] instead.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Request as HttpRequest, Response as HttpResponse, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::authentication::caller::Caller;
use crate::authentication::hawk_verify::{HawkRequest, authenticate};
use crate::error::ApiError;
use crate::http::compress;
use crate::http::data_urls;
use crate::http::faults::{Fault, Faults, code_of};
use crate::http::router::{self, Matched};
use crate::internal_call::Deployment;
use crate::references::validation::Schemas;
use crate::references::{References, Route};
use crate::service::{Request, Response, default_scope_params};
use crate::services::State;
use crate::storage::DATA_PREFIX;

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub refs: References,
    pub schemas: Arc<Schemas>,
    pub state: State,
    pub faults: Faults,
    pub root_url: String,
    pub started: Instant,
}

/// The bodies the fake answers with.
pub(crate) enum FakeBody {
    /// A whole body.
    Full(Option<Bytes>),
    /// Part of a body, a pause (so the head and that part reach the client),
    /// then an error: hyper closes the connection short of the announced
    /// `Content-Length`.
    Truncated {
        chunk: Option<Bytes>,
        pause: Pin<Box<tokio::time::Sleep>>,
    },
    /// Chunks from a reader (a file on a blocking thread); `remaining` bytes
    /// are still due. An error, or the channel closing early, cuts the
    /// connection.
    Stream {
        rx: tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>,
        remaining: u64,
    },
}

impl Body for FakeBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            FakeBody::Full(chunk) => Poll::Ready(chunk.take().map(|c| Ok(Frame::data(c)))),
            FakeBody::Truncated { chunk, pause } => {
                if let Some(c) = chunk.take() {
                    return Poll::Ready(Some(Ok(Frame::data(c))));
                }
                match pause.as_mut().poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(()) => Poll::Ready(Some(Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "tc-fake: injected connection drop",
                    )))),
                }
            }
            FakeBody::Stream { rx, remaining } => match rx.poll_recv(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    *remaining = remaining.saturating_sub(chunk.len() as u64);
                    Poll::Ready(Some(Ok(Frame::data(chunk))))
                }
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
                Poll::Ready(None) if *remaining == 0 => Poll::Ready(None),
                Poll::Ready(None) => Poll::Ready(Some(Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "tc-fake: the data ended early",
                )))),
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(
            self,
            FakeBody::Full(None) | FakeBody::Stream { remaining: 0, .. }
        )
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            FakeBody::Full(Some(c)) => SizeHint::with_exact(c.len() as u64),
            FakeBody::Full(None) => SizeHint::with_exact(0),
            FakeBody::Truncated { .. } => SizeHint::default(),
            FakeBody::Stream { remaining, .. } => SizeHint::with_exact(*remaining),
        }
    }
}

/// Serves connections from `listener` until the task is aborted; aborting it
/// also ends every open connection.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        tracing::warn!(%error, "tc-fake: accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request: HttpRequest<Incoming>| {
                        let shared = shared.clone();
                        async move {
                            if request.uri().path().starts_with(DATA_PREFIX) {
                                // An error cuts the connection (injected drops).
                                data_urls::handle(&shared, request).await
                            } else {
                                Ok(handle(&shared, request).await)
                            }
                        }
                    });
                    if let Err(error) = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await
                    {
                        tracing::debug!(%error, "tc-fake: connection ended");
                    }
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Answers one request.
pub(crate) async fn handle(
    shared: &Shared,
    request: HttpRequest<Incoming>,
) -> HttpResponse<FakeBody> {
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);

    let Some(matched) = router::route(&shared.refs, &method, &path) else {
        let error = ApiError::not_found(format!(
            "tc-fake: no API entry answers {method} {path} (the route or the method is unknown)"
        ));
        return error_response(&error, "", &json!({}), &json!({}), None);
    };
    let service = matched.service.name.as_str();
    let entry = matched.route.name();
    let params = Value::Object(
        matched
            .args
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    );
    let fail =
        |error: ApiError, payload: &Value| error_response(&error, entry, &params, payload, None);

    match shared.faults.on_request(service, entry) {
        Some(Fault::Fail {
            status,
            retry_after,
        }) => {
            let error = ApiError::new(
                status,
                code_of(status),
                format!("tc-fake: injected failure of {service}.{entry}"),
            );
            tracing::debug!(service, entry, status, "tc-fake: injected failure");
            return error_response(&error, entry, &params, &json!({}), retry_after);
        }
        Some(Fault::Drop) => {
            tracing::debug!(service, entry, "tc-fake: injected connection drop");
            return truncated_response();
        }
        Some(Fault::Delay(duration)) => {
            tracing::debug!(service, entry, ?duration, "tc-fake: injected delay");
            tokio::time::sleep(duration).await;
        }
        None => {}
    }

    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            return fail(
                ApiError::input(format!("cannot read the request body: {e}")),
                &json!({}),
            );
        }
    };
    // Taskcluster's errors repeat the request's body (`{}` without one).
    let payload = serde_json::from_slice::<Value>(&bytes).unwrap_or_else(|_| json!({}));

    let response = match answer(shared, &parts, &matched, query.as_deref(), &bytes) {
        Ok(response) => success_response(shared, matched.route, service, response, |e| {
            fail(e, &payload)
        }),
        Err(error) => fail(error, &payload),
    };
    gzip_if_accepted(response, &parts.headers)
}

/// Authentication, scopes, input validation and the answer itself.
fn answer(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
    matched: &Matched<'_>,
    query: Option<&str>,
    body: &[u8],
) -> Result<Response, ApiError> {
    let route = matched.route;
    let entry = &route.reference;
    let service_name = matched.service.name.as_str();

    let query_args = router::parse_query(query);
    if let Some(unknown) = query_args
        .keys()
        .find(|k| *k != "bewit" && !entry.query.contains(k))
    {
        return Err(ApiError::new(
            400,
            "InvalidRequestArguments",
            format!(
                "unknown query-string parameter {unknown:?} for {service_name}.{} (it takes: {})",
                entry.name,
                entry.query.join(", ")
            ),
        ));
    }

    let caller = authenticate_request(shared, parts)?;

    let body = match &entry.input {
        Some(_) => {
            let text = if body.iter().all(u8::is_ascii_whitespace) {
                &b"{}"[..]
            } else {
                body
            };
            Some(serde_json::from_slice::<Value>(text).map_err(|e| {
                ApiError::new(
                    400,
                    "MalformedPayload",
                    format!("the request body is not valid JSON: {e}"),
                )
            })?)
        }
        None => None,
    };

    dispatch(
        shared,
        service_name,
        route,
        matched.args.clone(),
        query_args,
        body,
        &caller,
    )
}

/// The scope check, input validation and the answer of an authenticated
/// request (over HTTP, or a call from another service).
fn dispatch(
    shared: &Shared,
    service_name: &str,
    route: &Route,
    args: BTreeMap<String, String>,
    query: BTreeMap<String, String>,
    body: Option<Value>,
    caller: &Caller,
) -> Result<Response, ApiError> {
    let entry = &route.reference;
    let service = shared.state.service(service_name);
    let mut request = Request {
        service: service_name,
        entry,
        args,
        query,
        body,
        caller,
        root_url: &shared.root_url,
    };

    // Like Taskcluster, an expression that needs only URL arguments is checked
    // before the body is looked at; one that needs body fields, after validation.
    let early = entry.scopes.as_ref().is_some_and(|expr| {
        scope_params_of(expr)
            .iter()
            .all(|p| request.args.contains_key(p))
    });
    if early {
        check_scopes(service, &request)?;
    }
    if let (Some(file), Some(body)) = (&route.input, request.body.as_mut()) {
        shared.schemas.apply_defaults(file, body);
        shared
            .schemas
            .validate(file, body)
            .map_err(ApiError::validation)?;
    }
    if !early {
        check_scopes(service, &request)?;
    }

    if let Some(response) = core_answer(shared, route) {
        return Ok(response);
    }
    service
        .and_then(|s| s.handle(&request))
        .unwrap_or_else(|| Err(ApiError::not_implemented(service_name, &entry.name)))
}

impl Deployment for Shared {
    fn call(
        &self,
        service: &str,
        entry: &str,
        args: BTreeMap<String, String>,
        body: Option<Value>,
        caller: &Caller,
    ) -> Result<Response, ApiError> {
        let route = self
            .refs
            .services
            .get(service)
            .and_then(|api| api.entry(entry))
            .ok_or_else(|| {
                ApiError::internal(format!(
                    "tc-fake bug: a call to {service}.{entry}, which the references do not have"
                ))
            })?;
        let body = match (&route.input, body) {
            (Some(_), None) => Some(json!({})),
            (_, body) => body,
        };
        let response = dispatch(self, service, route, args, BTreeMap::new(), body, caller)?;
        match &response {
            Response::Json(body) | Response::Redirect { body, .. } => {
                check_output(self, route, service, body)?;
            }
            Response::Empty | Response::Status { .. } => {}
        }
        Ok(response)
    }

    fn expand(&self, scopes: &[String]) -> Vec<String> {
        crate::authentication::caller::Directory::expand(&self.state.auth, scopes)
    }
}

fn authenticate_request(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
) -> Result<Caller, ApiError> {
    let host_header = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let (host, port) = split_host(host_header, &shared.root_url);
    let authorization = match parts.headers.get(header::AUTHORIZATION) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| ApiError::authentication("the Authorization header is not ASCII"))?,
        ),
        None => None,
    };
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path(), |pq| pq.as_str());
    authenticate(
        &shared.state.auth,
        &HawkRequest {
            method: parts.method.as_str(),
            host: &host,
            port,
            path_and_query,
            authorization,
        },
        SystemTime::now(),
    )
}

/// `127.0.0.1:8080` → (`127.0.0.1`, 8080); without a port, the fake's own.
fn split_host(host_header: &str, root_url: &str) -> (String, u16) {
    let own_port = root_url
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or(80);
    if host_header.is_empty() {
        return ("127.0.0.1".to_owned(), own_port);
    }
    // `[::1]:8080`
    if let Some(rest) = host_header.strip_prefix('[')
        && let Some((ip, tail)) = rest.split_once(']')
    {
        let port = tail
            .strip_prefix(':')
            .and_then(|p| p.parse().ok())
            .unwrap_or(80);
        return (ip.to_owned(), port);
    }
    match host_header.rsplit_once(':') {
        Some((host, port)) => match port.parse() {
            Ok(port) => (host.to_owned(), port),
            Err(_) => (host_header.to_owned(), 80),
        },
        None => (host_header.to_owned(), 80),
    }
}

fn check_scopes(
    service: Option<&dyn crate::service::Service>,
    request: &Request<'_>,
) -> Result<(), ApiError> {
    let Some(expr) = &request.entry.scopes else {
        return Ok(());
    };
    let params: Map<String, Value> = match service {
        Some(service) => service.scope_params(request),
        None => default_scope_params(request),
    };
    // Parameters neither the URL, the body nor the service provide are what
    // Taskcluster's handler would compute from its state: without that state
    // the fake cannot decide, and does not implement the entry.
    let mut missing: Vec<String> = scope_params_of(expr)
        .into_iter()
        .filter(|p| !params.contains_key(p))
        .collect();
    missing.dedup();
    if !missing.is_empty() {
        return Err(ApiError::new(
            501,
            "NotImplemented",
            format!(
                "tc-fake does not implement {}.{} (its scope expression needs {} that tc-fake cannot compute)",
                request.service,
                request.entry.name,
                missing.join(", ")
            ),
        ));
    }
    // A template that does not render (a parameter of the wrong type) is a
    // server error in Taskcluster, not missing scopes.
    crate::authentication::scopes::render(expr, &params).map_err(|message| {
        ApiError::internal(format!(
            "cannot evaluate the scope expression of {}.{}: {message}",
            request.service, request.entry.name
        ))
    })?;
    crate::authentication::scopes::evaluate(expr, &params, &request.caller.scopes)
        .map_err(ApiError::insufficient_scopes)
}

/// The `<param>` names a scope expression uses.
fn scope_params_of(expr: &Value) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => {
                let mut rest = s.as_str();
                while let Some(start) = rest.find('<') {
                    let Some(len) = rest[start..].find('>') else {
                        break;
                    };
                    out.push(rest[start + 1..start + len].to_owned());
                    rest = &rest[start + len + 1..];
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            Value::Object(map) => {
                // {"for": "x", "in": "param", "each": "...<x>..."}
                if let (Some(Value::String(var)), Some(Value::String(param))) =
                    (map.get("for"), map.get("in"))
                {
                    out.push(param.clone());
                    let mut inner = Vec::new();
                    if let Some(each) = map.get("each") {
                        walk(each, &mut inner);
                    }
                    out.extend(inner.into_iter().filter(|p| p != var));
                    return;
                }
                // {"if": "param", "then": ...}: an absent flag counts as false
                map.iter()
                    .filter(|(k, _)| k.as_str() != "if")
                    .for_each(|(_, v)| walk(v, out));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(expr, &mut out);
    out
}

/// What the core answers for every service: `ping`, `lbheartbeat`,
/// `version`, `heartbeat`.
fn core_answer(shared: &Shared, route: &Route) -> Option<Response> {
    let entry = &route.reference;
    let body = match (entry.name.as_str(), entry.route.as_str()) {
        ("ping", "/ping") => json!({
            "alive": true,
            "uptime": shared.started.elapsed().as_secs_f64(),
        }),
        ("lbheartbeat", "/__lbheartbeat__") | ("heartbeat", "/__heartbeat__") => json!({}),
        ("version", "/__version__") => json!({
            "source": "https://github.com/tc-client/tc-client",
            "version": env!("CARGO_PKG_VERSION"),
            "commit": "tc-fake",
            "build": "tc-fake",
        }),
        _ => return None,
    };
    Some(Response::Json(body))
}

/// Checks an answer's body against the entry's output schema (a failure is a
/// bug of the fake).
fn check_output(
    shared: &Shared,
    route: &Route,
    service: &str,
    body: &Value,
) -> Result<(), ApiError> {
    let Some(file) = &route.output else {
        return Ok(());
    };
    shared.schemas.validate(file, body).map_err(|message| {
        tracing::error!(
            service,
            entry = %route.name(),
            %message,
            "tc-fake bug: an answer does not match its output schema"
        );
        ApiError::internal(format!(
            "tc-fake bug: the answer of {service}.{} does not match its output schema: {message}",
            route.name()
        ))
    })
}

/// Renders a service's answer, validating its body against the output schema.
fn success_response(
    shared: &Shared,
    route: &Route,
    service: &str,
    response: Response,
    fail: impl FnOnce(ApiError) -> HttpResponse<FakeBody>,
) -> HttpResponse<FakeBody> {
    let check = |body: &Value| check_output(shared, route, service, body);
    match response {
        Response::Json(body) => match check(&body) {
            Ok(()) => json_response(StatusCode::OK, &body),
            Err(e) => fail(e),
        },
        // Taskcluster answers entries without output with 200 and `{}`.
        Response::Empty => json_response(StatusCode::OK, &serde_json::json!({})),
        Response::Redirect {
            location,
            body,
            headers,
        } => match check(&body) {
            Ok(()) => {
                let response = json_response(StatusCode::SEE_OTHER, &body);
                let headers = std::iter::once(("location", location.as_str()))
                    .chain(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                with_headers(response, headers).unwrap_or_else(fail)
            }
            Err(e) => fail(e),
        },
        Response::Status {
            status,
            body,
            headers,
        } => match StatusCode::from_u16(status) {
            Ok(status) => {
                let response = json_response(status, &body);
                let headers = headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
                with_headers(response, headers).unwrap_or_else(fail)
            }
            Err(_) => fail(ApiError::internal(format!(
                "tc-fake bug: an answer with status {status}"
            ))),
        },
    }
}

/// Adds headers to an answer (an invalid one is a bug of the fake).
fn with_headers<'h>(
    mut response: HttpResponse<FakeBody>,
    headers: impl IntoIterator<Item = (&'h str, &'h str)>,
) -> Result<HttpResponse<FakeBody>, ApiError> {
    for (name, value) in headers {
        let bad = || {
            ApiError::internal(format!(
                "tc-fake bug: an invalid header {name}: {value:?} on an answer"
            ))
        };
        let name = header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad())?;
        let value = HeaderValue::from_str(value).map_err(|_| bad())?;
        response.headers_mut().insert(name, value);
    }
    Ok(response)
}

/// `response` gzip-encoded when the request accepts it and its body is
/// large enough ([`compress::gzip_answer`]). Like Taskcluster's services, a
/// JSON answer says it varies with `Accept-Encoding` either way.
fn gzip_if_accepted(
    mut response: HttpResponse<FakeBody>,
    request_headers: &hyper::HeaderMap,
) -> HttpResponse<FakeBody> {
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    let FakeBody::Full(Some(bytes)) = response.body() else {
        return response;
    };
    if let Some(compressed) = compress::gzip_answer(bytes, request_headers) {
        let length = compressed.len() as u64;
        *response.body_mut() = FakeBody::Full(Some(Bytes::from(compressed)));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    response
}

fn json_response(status: StatusCode, body: &Value) -> HttpResponse<FakeBody> {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = HttpResponse::new(FakeBody::Full(Some(Bytes::from(bytes))));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Taskcluster's error shape, with `Retry-After` when given.
pub(crate) fn error_response(
    error: &ApiError,
    entry: &str,
    params: &Value,
    payload: &Value,
    retry_after: Option<u64>,
) -> HttpResponse<FakeBody> {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = json_response(status, &error.body(entry, params, payload));
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// 200 with a `Content-Length` of 4096, of which only a few bytes come.
fn truncated_response() -> HttpResponse<FakeBody> {
    let chunk = Bytes::from_static(b"{\"tc-fake\": \"this connection is dropped mid-body");
    let mut response = HttpResponse::new(FakeBody::Truncated {
        chunk: Some(chunk),
        pause: Box::pin(tokio::time::sleep(std::time::Duration::from_millis(20))),
    });
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(4096u64));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> Shared {
        let refs =
            References::load(std::path::Path::new(crate::references::DEFAULT_REFERENCES)).unwrap();
        let schemas = Arc::new(Schemas::new(refs.schemas.clone()));
        let messages = Arc::new(crate::references::message_schemas::MessageSchemas::new(
            schemas.clone(),
            refs.exchanges.clone(),
        ));
        Shared {
            schemas,
            refs,
            state: State::new(Vec::new(), Vec::new(), Default::default(), messages),
            faults: Faults::default(),
            root_url: "http://127.0.0.1:1".into(),
            started: Instant::now(),
        }
    }

    fn body_of(response: HttpResponse<FakeBody>) -> Value {
        match response.into_body() {
            FakeBody::Full(Some(bytes)) => serde_json::from_slice(&bytes).unwrap(),
            _ => panic!("not a whole body"),
        }
    }

    #[test]
    fn answers_are_validated_against_the_output_schema() {
        let shared = shared();
        let entry = shared.refs.services["queue"].entry("status").unwrap();
        let fail = |e: ApiError| error_response(&e, "status", &json!({}), &json!({}), None);

        let bad = success_response(&shared, entry, "queue", Response::Json(json!({})), fail);
        assert_eq!(bad.status(), 500);
        let body = body_of(bad);
        assert_eq!(body["code"], "InternalServerError");
        let message = body["message"].as_str().unwrap();
        assert!(message.contains("tc-fake bug"), "{message}");
        assert!(
            message.contains("\"status\" is a required property"),
            "{message}"
        );

        let redirect = success_response(
            &shared,
            entry,
            "queue",
            Response::Redirect {
                location: "http://x/".into(),
                body: json!({"nope": 1}),
                headers: Vec::new(),
            },
            fail,
        );
        assert_eq!(redirect.status(), 500);

        let empty = success_response(&shared, entry, "queue", Response::Empty, fail);
        assert_eq!(empty.status(), 200);

        let ping = shared.refs.services["queue"].entry("ping").unwrap();
        let ok = success_response(
            &shared,
            ping,
            "queue",
            Response::Json(json!({"a": 1})),
            fail,
        );
        assert_eq!(ok.status(), 200);
        assert_eq!(
            ok.headers()[header::CONTENT_TYPE],
            "application/json; charset=utf-8"
        );
    }

    #[test]
    fn errors_have_taskclusters_shape() {
        let error = ApiError::insufficient_scopes("you lack queue:x");
        let response = error_response(
            &error,
            "createTask",
            &json!({"taskId": "a"}),
            &json!({"priority": "high"}),
            Some(3),
        );
        assert_eq!(response.status(), 403);
        assert_eq!(response.headers()[header::RETRY_AFTER], "3");
        let body = body_of(response);
        assert_eq!(body["code"], "InsufficientScopes");
        let time = body["requestInfo"]["time"].as_str().unwrap();
        assert_eq!(
            body["message"],
            format!(
                "you lack queue:x\n\n---\n\n* method:     createTask\n* errorCode:  \
                 InsufficientScopes\n* statusCode: 403\n* time:       {time}"
            )
        );
        assert_eq!(body["requestInfo"]["method"], "createTask");
        assert_eq!(body["requestInfo"]["params"]["taskId"], "a");
        assert_eq!(body["requestInfo"]["payload"]["priority"], "high");
        assert!(body["requestInfo"].get("httpMethod").is_none());
    }

    #[test]
    fn hosts_split() {
        assert_eq!(
            split_host("127.0.0.1:4242", "http://127.0.0.1:1"),
            ("127.0.0.1".into(), 4242)
        );
        assert_eq!(
            split_host("", "http://127.0.0.1:1234"),
            ("127.0.0.1".into(), 1234)
        );
        assert_eq!(split_host("example.com", "x"), ("example.com".into(), 80));
        assert_eq!(split_host("[::1]:99", "x"), ("::1".into(), 99));
    }

    #[test]
    fn scope_parameters_are_found() {
        let expr = json!({"AllOf": [
            "queue:create-task:<priority>:<taskQueueId>",
            {"for": "scope", "in": "scopes", "each": "<scope>"},
            {"if": "private", "then": "secrets:get:<name>"},
            "x"
        ]});
        assert_eq!(
            scope_params_of(&expr),
            vec!["priority", "taskQueueId", "scopes", "name"]
        );
    }
}
