//! The pipeline every API request goes through: route, injected fault,
//! query check, Hawk authentication, scope check (before or after the body,
//! as Taskcluster orders them), input validation with defaults, the handler,
//! and the check of its answer against the output schema. Calls from one
//! fake service to another ([`Deployment`]) enter at the scope check.

use std::collections::BTreeMap;
use std::time::SystemTime;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header;
use hyper::{Request as HttpRequest, Response as HttpResponse, StatusCode};
use serde_json::{Map, Value, json};

use crate::authentication::caller::Caller;
use crate::authentication::hawk_verify::{HawkRequest, authenticate};
use crate::error::ApiError;
use crate::http::body::FakeBody;
use crate::http::faults::{Fault, code_of};
use crate::http::responses::{
    error_response, gzip_if_accepted, json_response, truncated_response, with_headers,
};
use crate::http::router::{self, Matched};
use crate::http::shared::Shared;
use crate::http::trace;
use crate::internal_call::Deployment;
use crate::references::Route;
use crate::service::{Request, Response, default_scope_params};
use crate::services::Answerer;

/// Answers one request, with the trace and request ids of a real deployment.
pub(crate) async fn handle(
    shared: &Shared,
    request: HttpRequest<Incoming>,
) -> HttpResponse<FakeBody> {
    let trace_id = trace::trace_id(&request);
    trace::with_ids(answer_request(shared, request).await, &trace_id)
}

/// Answers one request.
async fn answer_request(shared: &Shared, request: HttpRequest<Incoming>) -> HttpResponse<FakeBody> {
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
    let answerer = shared.state.answerer(service_name, &entry.name);
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
        check_scopes(answerer, &request)?;
    }
    if let (Some(file), Some(body)) = (&route.input, request.body.as_mut()) {
        shared.schemas.apply_defaults(file, body);
        shared
            .schemas
            .validate(file, body)
            .map_err(ApiError::validation)?;
    }
    if !early {
        check_scopes(answerer, &request)?;
    }

    answerer
        .and_then(|a| a.answer(&request))
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
        crate::authentication::caller::Directory::expand(&*self.state.auth, scopes)
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
        &*shared.state.auth,
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

fn check_scopes(answerer: Option<Answerer<'_>>, request: &Request<'_>) -> Result<(), ApiError> {
    let Some(expr) = &request.entry.scopes else {
        return Ok(());
    };
    let params: Map<String, Value> = match answerer {
        Some(answerer) => answerer.scope_params(request),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::body::json_of as body_of;

    fn shared() -> Shared {
        Shared::for_tests()
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
