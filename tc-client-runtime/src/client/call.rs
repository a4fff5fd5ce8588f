//! How a generated method calls its endpoint: the URL (plain or signed),
//! the body encoded, the request sent with retries and re-signing, and the
//! answer decoded or turned into a typed error. The four public functions
//! are reached by generated code through `tc_client::__private`.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::client::Client;
use crate::client::api_url::{ShownUrl, push_route, shown_url};
use crate::client::body_cap::read_capped;
use crate::client::call_site::CallSite;
use crate::client::endpoint::Endpoint;
use crate::client::path_arg::PathArg;
use crate::error::{Error, REQUEST_ID_LINE, Result, excerpt};
use crate::signing::hawk_auth::Signer;

/// The URL of `endpoint` with its arguments.
pub fn endpoint_url(
    client: &Client,
    endpoint: &'static Endpoint,
    args: &[PathArg<'_>],
    query: &[Option<String>],
) -> Result<String> {
    let mut url = client.inner.base.text.clone();
    push_route(&mut url, endpoint, args, query)?;
    Ok(url)
}

/// The URL of `endpoint`, signed with a bewit valid for `ttl`.
pub fn endpoint_signed_url(
    client: &Client,
    endpoint: &'static Endpoint,
    args: &[PathArg<'_>],
    query: &[Option<String>],
    ttl: Duration,
) -> Result<String> {
    let url = endpoint_url(client, endpoint, args, query)?;
    let Some(signer) = client.inner.auth.current() else {
        let why = if client.inner.auth.is_anonymous() {
            "a signed URL needs credentials"
        } else {
            "the credentials source has not been asked yet (await `refresh_credentials` first)"
        };
        return Err(Error::Credentials(format!(
            "{}.{}: {why}",
            endpoint.service, endpoint.name
        )));
    };
    let parsed =
        url::Url::parse(&url).map_err(|e| Error::InvalidArgument(format!("bad URL {url}: {e}")))?;
    Ok(signer.signed_url(&parsed, ttl)?.into())
}

/// Calls `endpoint` and decodes its JSON answer into `O`.
///
/// The URL is made and the body encoded before this returns, so the future
/// borrows neither the arguments nor the input: the generated methods stay
/// plain functions that hand this future back, with no state machine of
/// their own to compile.
pub fn call<'a, I, O>(
    client: &'a Client,
    endpoint: &'static Endpoint,
    args: &[PathArg<'_>],
    query: &[Option<String>],
    input: Option<&I>,
) -> impl Future<Output = Result<O>> + Send + use<'a, I, O>
where
    I: Serialize + ?Sized,
    O: DeserializeOwned,
{
    let prepared = client.prepare(endpoint, args, query, input);
    async move {
        let (url, body) = prepared?;
        let (status, bytes) = client.send(endpoint, &url, body).await?;
        decode_output(endpoint, &url, status, &bytes)
    }
}

/// Calls `endpoint`, ignoring the body of its answer.
pub fn call_no_output<'a, I>(
    client: &'a Client,
    endpoint: &'static Endpoint,
    args: &[PathArg<'_>],
    query: &[Option<String>],
    input: Option<&I>,
) -> impl Future<Output = Result<()>> + Send + use<'a, I>
where
    I: Serialize + ?Sized,
{
    let prepared = client.prepare(endpoint, args, query, input);
    async move {
        let (url, body) = prepared?;
        client.send(endpoint, &url, body).await.map(drop)
    }
}

impl Client {
    /// The request URL and body of a call.
    fn prepare<I: Serialize + ?Sized>(
        &self,
        endpoint: &'static Endpoint,
        args: &[PathArg<'_>],
        query: &[Option<String>],
        input: Option<&I>,
    ) -> Result<(url::Url, Option<Bytes>)> {
        Ok((
            self.request_url(endpoint, args, query)?,
            encode_input(endpoint, input)?,
        ))
    }

    /// Sends a request with retries; answers the status and body of a 2xx
    /// (or 303) response. Runs in a `taskcluster` span (service, method,
    /// attempt, status).
    async fn send(
        &self,
        endpoint: &'static Endpoint,
        url: &url::Url,
        body: Option<Bytes>,
    ) -> Result<(u16, Bytes)> {
        let span = tracing::info_span!(
            "taskcluster",
            service = endpoint.service,
            method = endpoint.name,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        async {
            let signer = self.inner.auth.signer().await?;
            let outcome = self
                .send_signed(endpoint, url, body.as_ref(), signer.as_ref())
                .await;
            let (Err(Error::Api { status: 401, .. }), Some(failed)) = (&outcome, &signer) else {
                return outcome;
            };
            // Temporary credentials the service no longer takes: if the
            // source has newer ones, the request deserves one more try.
            match self.inner.auth.after_unauthorized(failed).await? {
                Some(next) => {
                    tracing::info!(
                        client_id = next.credentials().client_id(),
                        "refused with 401; retrying once with new credentials from the credentials source"
                    );
                    self.send_signed(endpoint, url, body.as_ref(), Some(&next))
                        .await
                }
                None => outcome,
            }
        }
        .instrument(span)
        .await
    }

    /// The URL of `endpoint` with its arguments, as [`endpoint_url`]
    /// writes it, made from the pre-parsed base URL: only the path and query
    /// are parsed (a whole URL parse, host and all, costs more than signing).
    fn request_url(
        &self,
        endpoint: &'static Endpoint,
        args: &[PathArg<'_>],
        query: &[Option<String>],
    ) -> Result<url::Url> {
        let base = &self.inner.base;
        let mut tail = String::with_capacity(base.url.path().len() + 64);
        tail.push_str(base.url.path());
        push_route(&mut tail, endpoint, args, query)?;
        let mut url = base.url.clone();
        // Arguments are percent-encoded: a `?` can only start the query.
        match tail.split_once('?') {
            Some((path, query)) => {
                url.set_path(path);
                url.set_query(Some(query));
            }
            None => url.set_path(&tail),
        }
        Ok(url)
    }

    /// [`send`](Self::send) with one signer, through the retry policy.
    async fn send_signed(
        &self,
        endpoint: &'static Endpoint,
        url: &url::Url,
        body: Option<&Bytes>,
        signer: Option<&Arc<Signer>>,
    ) -> Result<(u16, Bytes)> {
        let policy = &self.inner.retry;
        let site = CallSite {
            service_method: &ServiceMethod(endpoint),
            method: endpoint.method.as_str(),
            url: &ShownUrl(url),
        };
        crate::retry::with_retries(policy, Some(policy.call_deadline()), &site, |attempt| {
            self.attempt(endpoint, &site, url, body, signer, attempt)
        })
        .await
    }

    /// One attempt; on failure also answers the server's `Retry-After`, if any.
    async fn attempt(
        &self,
        endpoint: &'static Endpoint,
        site: &CallSite<'_>,
        url: &url::Url,
        body: Option<&Bytes>,
        signer: Option<&Arc<Signer>>,
        attempt: u32,
    ) -> std::result::Result<(u16, Bytes), (Error, Option<Duration>)> {
        let span = tracing::Span::current();
        span.record("attempt", attempt);
        let mut request = self
            .inner
            .http
            .request(endpoint.method.to_reqwest(), url.clone());
        if let Some(signer) = signer {
            let header = signer
                .authorization_header(endpoint.method.as_str(), url)
                .map_err(|e| (e, None))?;
            request = request.header(reqwest::header::AUTHORIZATION, header);
        }
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let timeout = || site.timeout(attempt);
        let transport = |e: reqwest::Error| {
            let error = if e.is_timeout() {
                timeout()
            } else {
                site.transport(attempt, Box::new(e.without_url()))
            };
            (error, None)
        };
        // The whole exchange, answer body included, under one deadline:
        // one timer, in the future itself, rather than reqwest's boxed one
        // that also wraps every frame of the body.
        let limit = self.inner.max_response_size;
        let exchange = async {
            let response = request.send().await?;
            let status = response.status();
            let retry_after = crate::retry::retry_after(response.headers());
            let location = status
                .is_redirection()
                .then(|| response.headers().get(reqwest::header::LOCATION).cloned())
                .flatten();
            let request_id = (!status.is_success())
                .then(|| response.headers().get(REQUEST_ID).cloned())
                .flatten();
            let body = read_capped(response, limit).await?;
            Ok::<_, reqwest::Error>((status, retry_after, location, request_id, body))
        };
        let (status, retry_after, location, request_id, bytes) =
            tokio::time::timeout(self.inner.timeout, exchange)
                .await
                .map_err(|_| (timeout(), None))?
                .map_err(transport)?;
        let Some(bytes) = bytes else {
            let error = Error::ResponseTooLarge {
                service_method: ServiceMethod(endpoint).to_string(),
                method: endpoint.method.as_str(),
                url: shown_url(url),
                limit,
            };
            return Err((error, None));
        };
        span.record("status", status.as_u16());
        // The entries that answer with a redirect (getArtifact and friends) carry
        // their answer in the 303's body: API clients return that body rather than
        // following the redirect. Any other 3xx is an error naming where it pointed.
        if status.is_success() || (status == reqwest::StatusCode::SEE_OTHER && endpoint.redirects) {
            return Ok((status.as_u16(), bytes));
        }
        let mut error = api_error(endpoint, url, status.as_u16(), &bytes, attempt);
        if status.is_redirection()
            && let Error::Api { message, .. } = &mut error
        {
            // Not the body: a redirect's body may repeat its signed target.
            *message = unexpected_redirect(endpoint, location.as_ref());
        }
        if let (Error::Api { message, .. }, Some(id)) = (&mut error, request_id)
            && let Ok(id) = id.to_str()
        {
            message.push_str(REQUEST_ID_LINE);
            message.push_str(id);
        }
        Err((error, retry_after))
    }
}

/// The header Taskcluster's services name each answer with (lib-app's trace middleware).
const REQUEST_ID: &str = "x-for-request-id";

/// The message of a 3xx that `endpoint` does not answer with: where it pointed,
/// without the query string (which may hold a signature).
fn unexpected_redirect(
    endpoint: &'static Endpoint,
    location: Option<&reqwest::header::HeaderValue>,
) -> String {
    // A Location may be relative, so it is cut as text rather than parsed.
    let target = location
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.split(['?', '#']).next());
    match target {
        Some(target) => format!(
            "a redirect to {target}; {} does not answer with redirects",
            ServiceMethod(endpoint)
        ),
        None => format!(
            "a redirect without a Location; {} does not answer with redirects",
            ServiceMethod(endpoint)
        ),
    }
}

/// `service.method` of an endpoint, written out only when needed (errors
/// and logs).
struct ServiceMethod(&'static Endpoint);

impl fmt::Display for ServiceMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0.service, self.0.name)
    }
}

fn encode_input<I: Serialize + ?Sized>(
    endpoint: &'static Endpoint,
    input: Option<&I>,
) -> Result<Option<Bytes>> {
    input
        .map(|value| {
            // Most bodies fit; a 3 KiB task definition grows it twice, not
            // five times from serde_json's 128 bytes.
            let mut body = Vec::with_capacity(1024);
            serde_json::to_writer(&mut body, value)
                .map(|()| Bytes::from(body))
                .map_err(|e| {
                    Error::InvalidArgument(format!(
                        "{}.{}: cannot encode the request body: {e}",
                        endpoint.service, endpoint.name
                    ))
                })
        })
        .transpose()
}

/// Decodes a JSON answer. The body is checked to be UTF-8 once, in one
/// pass, and then parsed as text: parsing bytes would check every string
/// of the document separately, which costs about a tenth of the decoding
/// of a task definition.
fn decode_output<O: DeserializeOwned>(
    endpoint: &'static Endpoint,
    url: &url::Url,
    status: u16,
    bytes: &[u8],
) -> Result<O> {
    let decode_error = |message: String| {
        let site = CallSite {
            service_method: &ServiceMethod(endpoint),
            method: endpoint.method.as_str(),
            url: &ShownUrl(url),
        };
        site.decode(Some(status), message, excerpt(bytes))
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| decode_error(format!("the body is not UTF-8: {e}")))?;
    serde_json::from_str(text).map_err(|e| decode_error(located::<O>(text, e)))
}

/// The decoder's complaint about `text`, starting with the JSON path of the
/// field that failed (`at status.runs[1].runId: ...`), which a second decode
/// through serde_path_to_error finds. Only failures pay for it. Measured with
/// `cargo xtask bench-calls` on 2026-12-02 (2-core AMD EPYC): tracking the path
/// on every answer put `queue.task` with 64 in flight at 1.137x/1.149x the
/// hand-written client's time (two runs), this way at 0.959x; tc-client's own
/// build (every service, CARGO_INCREMENTAL=0) took 24.2/22.6 s before either,
/// 22.4/24.0 s with this.
#[cold]
fn located<O: DeserializeOwned>(text: &str, error: serde_json::Error) -> String {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, O>(&mut deserializer) {
        Err(tracked) => {
            let path = tracked.path().to_string();
            format!("at {path}: {}", tracked.into_inner())
        }
        // Only trailing characters can fail the first decode and not this one.
        Ok(_) => error.to_string(),
    }
}

/// Taskcluster's JSON error body; the queue's 424 for an error artifact has
/// the artifact's `reason` instead of a `code`.
#[derive(serde::Deserialize)]
struct ErrorBody {
    code: Option<String>,
    reason: Option<String>,
    message: Option<String>,
}

fn api_error(
    endpoint: &'static Endpoint,
    url: &url::Url,
    status: u16,
    body: &[u8],
    attempts: u32,
) -> Error {
    let (code, message) = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(parsed) => (
            parsed.code.or(parsed.reason),
            parsed.message.unwrap_or_else(|| excerpt(body)),
        ),
        Err(_) => (None, excerpt(body)),
    };
    Error::Api {
        status,
        code,
        message,
        service_method: ServiceMethod(endpoint).to_string(),
        method: endpoint.method.as_str(),
        url: shown_url(url),
        attempts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Service as _;
    use crate::client::test_service::Queue;

    #[test]
    fn request_urls_equal_the_parsed_endpoint_urls() {
        static ENDPOINT: Endpoint = crate::client::api_url::tests::WITH_QUERY;
        for root in [
            "https://tc.example.com",
            "http://127.0.0.1:8080/",
            "https://h.example.com/prefix",
        ] {
            let queue = Queue::builder().root_url(root).build().unwrap();
            let client = queue.client();
            for (args, query) in [
                (["abc", "0", "public/build/a b.txt"], None),
                (["a?b", "1", "ü/ä#%"], Some("10")),
                (["x", "2", "../.."], Some("a&b=c ?")),
            ] {
                let args = crate::client::api_url::tests::args(&args);
                let query = [None, query.map(String::from)];
                let expected = endpoint_url(client, &ENDPOINT, &args, &query).unwrap();
                let made = client.request_url(&ENDPOINT, &args, &query).unwrap();
                assert_eq!(made, url::Url::parse(&expected).unwrap(), "{expected}");
                assert_eq!(made.as_str(), expected);
            }
        }
    }
}
