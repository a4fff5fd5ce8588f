//! The trace and request ids every answer of a real deployment carries: lib-app's
//! trace middleware sets `x-for-trace-id` (the caller's `x-taskcluster-trace-id`, or a
//! new v4 UUID) and `x-for-request-id` (a new v4 UUID) on every response of the API.

use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Request as HttpRequest, Response as HttpResponse};

/// The header a caller names its trace with.
const TRACE_REQUEST: &str = "x-taskcluster-trace-id";
/// The answer's trace id.
const TRACE_ANSWER: &str = "x-for-trace-id";
/// The answer's request id.
const REQUEST_ID: &str = "x-for-request-id";

/// The trace id of a request: its `x-taskcluster-trace-id`, or a new one.
pub(crate) fn trace_id<B>(request: &HttpRequest<B>) -> String {
    request
        .headers()
        .get(TRACE_REQUEST)
        .and_then(|v| v.to_str().ok())
        .map_or_else(uuid_v4, str::to_owned)
}

/// `response` with its trace id and a new request id.
pub(crate) fn with_ids<B>(mut response: HttpResponse<B>, trace_id: &str) -> HttpResponse<B> {
    let headers: &mut HeaderMap = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(trace_id) {
        headers.insert(TRACE_ANSWER, value);
    }
    if let Ok(value) = HeaderValue::from_str(&uuid_v4()) {
        headers.insert(REQUEST_ID, value);
    }
    response
}

/// A random (version 4) UUID in its text form.
fn uuid_v4() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v4_uuids_and_traces_are_kept() {
        let id = uuid_v4();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        assert_ne!(uuid_v4(), id);

        let request = HttpRequest::builder()
            .header(TRACE_REQUEST, "my-trace")
            .body(())
            .unwrap();
        let response = with_ids(HttpResponse::new(()), &trace_id(&request));
        assert_eq!(response.headers()[TRACE_ANSWER], "my-trace");
        assert_eq!(response.headers()[REQUEST_ID].len(), 36);
    }
}
