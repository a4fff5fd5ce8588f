//! Building HTTP answers: JSON bodies, Taskcluster's error shape, extra
//! headers, gzip when the client accepts it, and the truncated answer of an
//! injected connection drop.

use bytes::Bytes;
use hyper::Response as HttpResponse;
use hyper::StatusCode;
use hyper::header::{self, HeaderValue};
use serde_json::Value;

use crate::error::ApiError;
use crate::http::body::FakeBody;
use crate::http::compress;

/// Adds headers to an answer (an invalid one is a bug of the fake).
pub(crate) fn with_headers<'h>(
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
pub(crate) fn gzip_if_accepted(
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

pub(crate) fn json_response(status: StatusCode, body: &Value) -> HttpResponse<FakeBody> {
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
pub(crate) fn truncated_response() -> HttpResponse<FakeBody> {
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
    use serde_json::json;

    use super::*;
    use crate::http::body::json_of as body_of;

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
}
