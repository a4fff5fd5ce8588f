//! The data URLs, outside the API routes: `PUT <root>/__tc_fake/objects/put/
//! <token>` uploads a blob, `GET` (or `HEAD`) `<root>/__tc_fake/objects/get/
//! <token>` downloads it, as pre-signed S3 URLs would. Both stream: an
//! upload goes frame by frame to a file, a download is read from its file in
//! chunks of [`CHUNK`] bytes, so memory does not grow with the size.
//!
//! Uploads must carry the `Content-Type` their URL was made for (403
//! otherwise, like a signature mismatch) and a `Content-Length` (411
//! without), equal to the announced length when there is one (400). The
//! upload lands in the blob only once complete. Downloads answer 200 with
//! `Content-Length`, `Content-Type` and `Accept-Ranges: bytes`, or 206 for a
//! single `Range: bytes=a-b` (416 when unsatisfiable).
//!
//! Faults and request counts use the pseudo-entries `__put` and `__get` of
//! the URL's service (`object`, or `queue` for `s3` artifacts); see
//! [`TcFake::fail_next`](crate::TcFake::fail_next).

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request as HttpRequest, Response as HttpResponse, StatusCode};
use serde_json::json;
use tokio::sync::mpsc;

use crate::error::ApiError;
use crate::http::body::FakeBody;
use crate::http::compress;
use crate::http::faults::{Fault, code_of};
use crate::http::responses::error_response;
use crate::http::shared::Shared;
use crate::storage::{DATA_PREFIX, PutGrant};
use crate::support::clock::now_ms;

/// Bytes read from disk per chunk of a download.
pub(crate) const CHUNK: usize = 128 * 1024;
/// Chunks read ahead of the network.
const READ_AHEAD: usize = 4;
/// Frames of an upload queued for the disk.
const WRITE_QUEUE: usize = 16;
/// How long a dropped connection waits, after its partial body, before it
/// is cut (so that part reaches the client).
const DROP_PAUSE: Duration = Duration::from_millis(20);

/// Ends the connection without (the rest of) an answer.
#[derive(Debug)]
pub(crate) struct Abort(&'static str);

impl std::fmt::Display for Abort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tc-fake: {}", self.0)
    }
}

impl std::error::Error for Abort {}

type Answer = Result<HttpResponse<FakeBody>, Abort>;

/// Answers a request whose path starts with [`DATA_PREFIX`].
pub(crate) async fn handle(shared: &Shared, request: HttpRequest<Incoming>) -> Answer {
    let path = request.uri().path().to_owned();
    let rest = path.strip_prefix(DATA_PREFIX).unwrap_or_default();
    match (request.method().clone(), rest.split_once('/')) {
        (Method::PUT, Some(("put", token))) => put(shared, token, request).await,
        (Method::GET | Method::HEAD, Some(("get", token))) => get(shared, token, request).await,
        (method, _) => {
            drain(request.into_body()).await;
            Ok(fail(
                "",
                ApiError::not_found(format!("tc-fake: no data URL answers {method} {path}")),
                None,
            ))
        }
    }
}

fn fail(entry: &str, error: ApiError, retry_after: Option<u64>) -> HttpResponse<FakeBody> {
    error_response(&error, entry, &json!({}), &json!({}), retry_after)
}

fn injected(service: &str, entry: &str, status: u16) -> ApiError {
    ApiError::new(
        status,
        code_of(status),
        format!("tc-fake: injected failure of {service}.{entry}"),
    )
}

/// Reads and discards a request body (so that an early answer reaches a
/// client still sending).
async fn drain(mut body: Incoming) {
    while let Some(frame) = body.frame().await {
        if frame.is_err() {
            break;
        }
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn put(shared: &Shared, token: &str, request: HttpRequest<Incoming>) -> Answer {
    const ENTRY: &str = "__put";
    let (parts, body) = request.into_parts();
    let blobs = &shared.state.blobs;
    let Some(grant) = blobs.put_grant(token) else {
        drain(body).await;
        return Ok(fail(
            ENTRY,
            ApiError::new(
                403,
                "AccessDenied",
                "tc-fake: this upload URL is unknown, or no longer valid because the upload is finished",
            ),
            None,
        ));
    };
    let service = grant.owner.service();
    let expected = header_str(&parts.headers, header::CONTENT_LENGTH).and_then(|v| v.parse().ok());

    match shared.faults.on_request(service, ENTRY) {
        Some(Fault::Fail {
            status,
            retry_after,
        }) => {
            tracing::debug!(service, status, "tc-fake: injected failure of an upload");
            drain(body).await;
            return Ok(fail(ENTRY, injected(service, ENTRY, status), retry_after));
        }
        Some(Fault::Drop) => {
            tracing::debug!(
                service,
                "tc-fake: injected connection drop during an upload"
            );
            // Take about half of the body, then cut the connection.
            let half = expected.unwrap_or(0) / 2;
            if half > 0
                && let Ok(temp) = blobs.upload_path()
            {
                let _ = receive(body, temp.clone(), Some(half)).await;
                let _ = std::fs::remove_file(&temp);
            }
            return Err(Abort("injected connection drop during an upload"));
        }
        Some(Fault::Delay(duration)) => tokio::time::sleep(duration).await,
        None => {}
    }

    let expected = match check_put(&grant, &parts.headers, expected) {
        Ok(length) => length,
        Err(error) => {
            drain(body).await;
            return Ok(fail(ENTRY, error, None));
        }
    };
    let temp = match blobs.upload_path() {
        Ok(temp) => temp,
        Err(e) => {
            drain(body).await;
            return Ok(fail(
                ENTRY,
                ApiError::internal(format!("tc-fake cannot store data: {e}")),
                None,
            ));
        }
    };
    let received = receive(body, temp.clone(), None).await;
    let stored = match received {
        Ok(n) if n == expected => blobs.commit_upload(token, &grant, &temp),
        Ok(n) => Err(ApiError::input(format!(
            "tc-fake: the upload carried {n} bytes, not the {expected} of its Content-Length"
        ))),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&temp);
    match stored {
        Ok(()) => {
            let mut response = HttpResponse::new(FakeBody::Full(None));
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(0u64));
            Ok(response)
        }
        Err(error) => Ok(fail(ENTRY, error, None)),
    }
}

/// What a `PUT` must carry; answers its length.
fn check_put(grant: &PutGrant, headers: &HeaderMap, length: Option<u64>) -> Result<u64, ApiError> {
    if now_ms() > grant.expires_ms {
        return Err(ApiError::new(
            403,
            "AccessDenied",
            "tc-fake: this upload URL has expired; ask for a new one",
        ));
    }
    let content_type = header_str(headers, header::CONTENT_TYPE).unwrap_or_default();
    if content_type != grant.content_type {
        return Err(ApiError::new(
            403,
            "SignatureDoesNotMatch",
            format!(
                "tc-fake: this upload URL needs the header Content-Type: {:?}, not {content_type:?}",
                grant.content_type
            ),
        ));
    }
    let Some(length) = length else {
        return Err(ApiError::new(
            411,
            "MissingContentLength",
            "tc-fake: an upload needs a Content-Length header",
        ));
    };
    if let Some(announced) = grant.content_length
        && announced != length
    {
        return Err(ApiError::input(format!(
            "tc-fake: this upload URL takes {announced} bytes (Content-Length: {announced}), not {length}"
        )));
    }
    Ok(length)
}

/// Streams a request body to `temp` (all of it, or at least `stop_after`
/// bytes); answers how many bytes were written.
async fn receive(
    mut body: Incoming,
    temp: PathBuf,
    stop_after: Option<u64>,
) -> Result<u64, ApiError> {
    let (tx, mut rx) = mpsc::channel::<Bytes>(WRITE_QUEUE);
    let writer = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let file = std::fs::File::create(&temp)?;
        let mut out = std::io::BufWriter::with_capacity(CHUNK, file);
        while let Some(chunk) = rx.blocking_recv() {
            out.write_all(&chunk)?;
        }
        out.flush()
    });
    let mut received = 0u64;
    let mut failure = None;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => {
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                received += data.len() as u64;
                if tx.send(data).await.is_err() {
                    break; // the writer failed; its error says why
                }
                if stop_after.is_some_and(|n| received >= n) {
                    break;
                }
            }
            Err(e) => {
                failure = Some(ApiError::input(format!(
                    "tc-fake: the upload body was cut short: {e}"
                )));
                break;
            }
        }
    }
    drop(tx);
    match writer.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            return Err(ApiError::internal(format!(
                "tc-fake cannot store data: {e}"
            )));
        }
        Err(e) => {
            return Err(ApiError::internal(format!(
                "tc-fake: the writer failed: {e}"
            )));
        }
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(received),
    }
}

async fn get(shared: &Shared, token: &str, request: HttpRequest<Incoming>) -> Answer {
    const ENTRY: &str = "__get";
    let head = request.method() == Method::HEAD;
    let blobs = &shared.state.blobs;
    let Some(grant) = blobs.get_grant(token) else {
        return Ok(fail(
            ENTRY,
            ApiError::not_found("tc-fake: this download URL is unknown"),
            None,
        ));
    };
    let service = grant.owner.service();
    let mut drop_connection = false;
    match shared.faults.on_request(service, ENTRY) {
        Some(Fault::Fail {
            status,
            retry_after,
        }) => {
            tracing::debug!(service, status, "tc-fake: injected failure of a download");
            return Ok(fail(ENTRY, injected(service, ENTRY, status), retry_after));
        }
        Some(Fault::Drop) => drop_connection = true,
        Some(Fault::Delay(duration)) => tokio::time::sleep(duration).await,
        None => {}
    }

    let path = blobs.path(grant.blob);
    let len = match std::fs::metadata(&path) {
        Ok(meta) => meta.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(fail(
                ENTRY,
                ApiError::not_found("tc-fake: no data was uploaded to this URL (NoSuchKey)"),
                None,
            ));
        }
        Err(e) => {
            return Ok(fail(
                ENTRY,
                ApiError::internal(format!("tc-fake cannot read data: {e}")),
                None,
            ));
        }
    };
    let range = match header_str(request.headers(), header::RANGE) {
        Some(spec) => match parse_range(spec, len) {
            Ok(range) => range,
            Err(()) => {
                let mut response = fail(
                    ENTRY,
                    ApiError::new(
                        416,
                        "InvalidRange",
                        format!(
                            "tc-fake: the range {spec:?} is not satisfiable (the data has {len} bytes)"
                        ),
                    ),
                    None,
                );
                if let Ok(value) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    response.headers_mut().insert(header::CONTENT_RANGE, value);
                }
                return Ok(response);
            }
        },
        None => None,
    };
    let (start, count) = range.unwrap_or((0, len));
    // A corruption is spent on a download that completes, not a dropped one.
    let corrupt = !head && !drop_connection && shared.faults.take_corruption();
    if corrupt {
        tracing::debug!(service, "tc-fake: serving corrupted data");
    }
    if !head && range.is_none() && shared.faults.gzip() && compress::accepts_gzip(request.headers())
    {
        return gzipped(path, &grant.content_type, corrupt, drop_connection).await;
    }

    let served = if corrupt && count == 0 { 1 } else { count };
    if drop_connection {
        tracing::debug!(
            service,
            "tc-fake: injected connection drop during a download"
        );
        if served == 0 || head {
            return Err(Abort("injected connection drop before a download"));
        }
    }
    let body = if head || served == 0 {
        FakeBody::Full(None)
    } else if corrupt && count == 0 {
        // Nothing to flip: serve a byte the (empty) data does not have.
        FakeBody::Full(Some(Bytes::from_static(b"X")))
    } else {
        let send = if drop_connection { count / 2 } else { count };
        stream_file(
            path,
            start,
            count,
            send,
            corrupt.then_some(count / 2),
            drop_connection,
        )
    };
    let mut response = HttpResponse::new(body);
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        let end = (start + count).saturating_sub(1);
        if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
            response.headers_mut().insert(header::CONTENT_RANGE, value);
        }
    }
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(served));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(value) = HeaderValue::from_str(&grant.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    Ok(response)
}

/// The data at `path`, gzip-encoded: whole, with `corrupt` one byte of the
/// data changed first, or with `drop_connection` cut halfway.
async fn gzipped(
    path: PathBuf,
    content_type: &str,
    corrupt: bool,
    drop_connection: bool,
) -> Answer {
    let compressed = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
        use std::io::Write as _;
        let mut data = std::fs::read(&path)?;
        if corrupt {
            let middle = data.len() / 2;
            match data.get_mut(middle) {
                Some(byte) => *byte ^= 0xff,
                None => data.push(b'X'),
            }
        }
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&data)?;
        encoder.finish()
    })
    .await;
    let compressed = match compressed {
        Ok(Ok(bytes)) => Bytes::from(bytes),
        Ok(Err(e)) => {
            return Ok(fail(
                "__get",
                ApiError::internal(format!("tc-fake cannot read data: {e}")),
                None,
            ));
        }
        Err(e) => {
            return Ok(fail(
                "__get",
                ApiError::internal(format!("tc-fake cannot compress data: {e}")),
                None,
            ));
        }
    };
    let length = compressed.len() as u64;
    let body = if drop_connection {
        FakeBody::Truncated {
            chunk: Some(compressed.slice(..compressed.len() / 2)),
            pause: Box::pin(tokio::time::sleep(Duration::from_millis(50))),
        }
    } else {
        FakeBody::Full(Some(compressed))
    };
    let mut response = HttpResponse::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    Ok(response)
}

/// A single `bytes=` range of data of `len` bytes as (start, count);
/// `Ok(None)` when the header is not one the fake honours (the whole data
/// is served, as HTTP allows), `Err` when unsatisfiable.
fn parse_range(spec: &str, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(ranges) = spec.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if ranges.contains(',') {
        return Ok(None);
    }
    let Some((first, last)) = ranges.trim().split_once('-') else {
        return Ok(None);
    };
    let (first, last) = (first.trim(), last.trim());
    let (start, end) = if first.is_empty() {
        // the last N bytes
        let Ok(n) = last.parse::<u64>() else {
            return Ok(None);
        };
        if n == 0 {
            return Err(());
        }
        (len.saturating_sub(n), len.saturating_sub(1))
    } else {
        let Ok(start) = first.parse::<u64>() else {
            return Ok(None);
        };
        let end = if last.is_empty() {
            len.saturating_sub(1)
        } else {
            match last.parse::<u64>() {
                Ok(end) if end >= start => end.min(len.saturating_sub(1)),
                _ => return Ok(None),
            }
        };
        (start, end)
    };
    if start >= len {
        return Err(());
    }
    Ok(Some((start, end - start + 1)))
}

/// A body reading `count` bytes of `path` from `start` on a blocking
/// thread, [`READ_AHEAD`] chunks ahead. Only `send` bytes come; when they
/// are fewer, or with `abort`, the body then fails (hyper cuts the
/// connection). `corrupt_at` flips the byte at that offset of the range.
fn stream_file(
    path: PathBuf,
    start: u64,
    count: u64,
    send: u64,
    corrupt_at: Option<u64>,
    abort: bool,
) -> FakeBody {
    let (tx, rx) = mpsc::channel(READ_AHEAD);
    tokio::task::spawn_blocking(move || {
        let read = || -> std::io::Result<bool> {
            let mut file = std::fs::File::open(&path)?;
            file.seek(SeekFrom::Start(start))?;
            let mut sent = 0u64;
            while sent < send {
                let n = CHUNK.min(usize::try_from(send - sent).unwrap_or(CHUNK));
                let mut chunk = BytesMut::zeroed(n);
                file.read_exact(&mut chunk)?;
                if let Some(at) = corrupt_at
                    && (sent..sent + n as u64).contains(&at)
                {
                    chunk[usize::try_from(at - sent).unwrap_or(0)] ^= 0xff;
                }
                if tx.blocking_send(Ok(chunk.freeze())).is_err() {
                    return Ok(false); // the client is gone
                }
                sent += n as u64;
            }
            Ok(true)
        };
        match read() {
            Ok(true) if abort => {
                std::thread::sleep(DROP_PAUSE);
                let _ = tx.blocking_send(Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "tc-fake: injected connection drop",
                )));
            }
            Ok(_) => {}
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
            }
        }
    });
    FakeBody::Stream {
        rx,
        remaining: count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse() {
        assert_eq!(parse_range("bytes=0-9", 100), Ok(Some((0, 10))));
        assert_eq!(parse_range("bytes=90-", 100), Ok(Some((90, 10))));
        assert_eq!(parse_range("bytes=90-200", 100), Ok(Some((90, 10))));
        assert_eq!(parse_range("bytes=-10", 100), Ok(Some((90, 10))));
        assert_eq!(parse_range("bytes=-200", 100), Ok(Some((0, 100))));
        assert_eq!(parse_range("bytes=100-", 100), Err(()));
        assert_eq!(parse_range("bytes=0-", 0), Err(()));
        assert_eq!(parse_range("bytes=-0", 100), Err(()));
        assert_eq!(parse_range("bytes=5-2", 100), Ok(None));
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Ok(None));
        assert_eq!(parse_range("items=0-1", 100), Ok(None));
    }
}
