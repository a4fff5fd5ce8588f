//! Uploads to the object service: `createUpload` negotiating `dataInline` or
//! `putUrl`, a streamed and hashed `PUT`, then `finishUpload` with the hashes.

use std::io::SeekFrom;
use std::path::Path;

use base64::Engine as _;
use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt};
use tokio::sync::mpsc;

use super::hashing::{Digests, StreamHasher, digest};
use super::http::{Activity, Attempt, Failure, stall_guard};
use super::progress::Reporter;
use super::source::{Source, SourceKind};
use super::{CHUNK_SIZE, DATA_INLINE_MAX_SIZE};
use crate::object::{
    CreateUploadRequest, DataInlineUploadRequest, FinishUploadRequest, Object, ObjectContentHashes,
    ProposedUploadMethods, PutUrlUploadRequest, PutUrlUploadResponse,
};
use tc_client::__private::transfer::{CallSite, ShownText, unexpected_answer};
use tc_client::Service as _;
use tc_client::Time;
use tc_client::{Error, Result};

/// What names an upload, as `createUpload` takes it.
#[doc(hidden)]
pub struct UploadParams<'a> {
    pub project_id: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub expires: Time,
    pub upload_id: &'a str,
}

/// Chunks queued between the reader and the HTTP body at most.
const BODY_QUEUE: usize = 2;

/// The service method named in errors of the data `PUT`.
const PUT_URL: &str = "object.putUrl";

/// Uploads `source` as `params` name it; answers the digests of what was sent.
#[doc(hidden)]
pub async fn upload_source(
    object: &Object,
    params: &UploadParams<'_>,
    source: Source<'_>,
    reporter: &Reporter,
) -> Result<Digests> {
    match source.kind {
        SourceKind::Bytes(data) => {
            let mut reader = std::io::Cursor::new(data);
            let length = data.len() as u64;
            upload_reader(object, params, length, &mut reader, "the buffer", reporter).await
        }
        SourceKind::File(path) => {
            let (mut file, length) = open_file(&path).await?;
            let label = path.display().to_string();
            upload_reader(object, params, length, &mut file, &label, reporter).await
        }
        SourceKind::Reader { mut reader, length } => {
            upload_reader(object, params, length, &mut reader, "the reader", reporter).await
        }
    }
}

/// Opens the file at `path` for an upload; answers it and its length.
async fn open_file(path: &Path) -> Result<(tokio::fs::File, u64)> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let file = tokio::fs::File::open(path).await.map_err(io)?;
    let metadata = file.metadata().await.map_err(io)?;
    if !metadata.is_file() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    Ok((file, metadata.len()))
}

/// Uploads `length` bytes of `reader` (from its current position); `label`
/// names the reader in I/O errors.
async fn upload_reader<R>(
    object: &Object,
    params: &UploadParams<'_>,
    length: u64,
    reader: &mut R,
    label: &str,
    reporter: &Reporter,
) -> Result<Digests>
where
    R: AsyncRead + AsyncSeek + Unpin + Send,
{
    let invalid = |what: &str, value: &str, e: &dyn std::fmt::Display| {
        Error::InvalidArgument(format!("{what} {value:?}: {e}"))
    };
    let project_id: crate::object::ProjectId = params
        .project_id
        .parse()
        .map_err(|e| invalid("project id", params.project_id, &e))?;
    let upload_id: crate::object::UploadId = params
        .upload_id
        .parse()
        .map_err(|e| invalid("upload id", params.upload_id, &e))?;
    let content_length = i64::try_from(length)
        .map_err(|_| Error::InvalidArgument(format!("length {length} is too large")))?;
    let io = |source| Error::Io {
        path: label.to_owned(),
        source,
    };
    let start = reader.stream_position().await.map_err(io)?;

    // Small data is read now and proposed inline as well.
    let inline = if proposes_inline(length) {
        let mut data = vec![0; length as usize];
        reader.read_exact(&mut data).await.map_err(io)?;
        Some(data)
    } else {
        None
    };
    let mut request = CreateUploadRequest::new(
        params.expires,
        project_id.clone(),
        proposal(content_length, params.content_type, inline.as_deref()),
        upload_id.clone(),
    );
    let created = object.create_upload(params.name, &request).await?;
    // Renewing an expired URL proposes `putUrl` alone.
    request.proposed_upload_methods.data_inline = None;

    let method = created.upload_method;
    let digests = match (method.data_inline, method.put_url, inline) {
        (Some(true), _, Some(data)) => {
            reporter.report(0, Some(length));
            reporter.report(length, Some(length));
            digest(&data)
        }
        (_, Some(put), Some(data)) => {
            let upload = PutUpload {
                object,
                name: params.name,
                renew: &request,
                length,
                start: 0,
                label,
                reporter,
            };
            upload
                .run(put, &mut std::io::Cursor::new(&data[..]))
                .await?
        }
        (_, Some(put), None) => {
            let upload = PutUpload {
                object,
                name: params.name,
                renew: &request,
                length,
                start,
                label,
                reporter,
            };
            upload.run(put, reader).await?
        }
        _ => {
            return Err(unexpected_answer(
                "object.createUpload",
                "PUT",
                object.create_upload_url(params.name),
                format!(
                    "the object service accepted none of the proposed upload methods for {:?}",
                    params.name
                ),
                String::new(),
            ));
        }
    };

    let parse = |what: &str, e: &dyn std::fmt::Display| {
        Error::InvalidArgument(format!("computed {what} is not valid: {e}"))
    };
    let hashes = ObjectContentHashes::new()
        .sha256(digests.sha256.parse().map_err(|e| parse("sha256", &e))?)
        .sha512(digests.sha512.parse().map_err(|e| parse("sha512", &e))?);
    let finish = FinishUploadRequest::new(project_id, upload_id).hashes(hashes);
    object.finish_upload(params.name, &finish).await?;
    Ok(digests)
}

/// Whether an object of `length` bytes is proposed as `dataInline`.
fn proposes_inline(length: u64) -> bool {
    length < DATA_INLINE_MAX_SIZE
}

/// The upload methods proposed: `putUrl`, and `dataInline` when the data is
/// given (small data).
fn proposal(
    content_length: i64,
    content_type: &str,
    inline: Option<&[u8]>,
) -> ProposedUploadMethods {
    let methods = ProposedUploadMethods::new()
        .put_url(PutUrlUploadRequest::new(content_length, content_type));
    match inline {
        Some(data) => methods.data_inline(DataInlineUploadRequest::new(
            content_type,
            base64::engine::general_purpose::STANDARD.encode(data),
        )),
        None => methods,
    }
}

/// One `putUrl` upload, retried.
struct PutUpload<'a> {
    object: &'a Object,
    name: &'a str,
    /// The `createUpload` request that renews an expired URL.
    renew: &'a CreateUploadRequest,
    length: u64,
    /// Where the data starts in the reader.
    start: u64,
    label: &'a str,
    reporter: &'a Reporter,
}

impl PutUpload<'_> {
    /// PUTs the data to `put`'s URL under the retry policy; answers its digests.
    async fn run<R>(&self, put: PutUrlUploadResponse, reader: &mut R) -> Result<Digests>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        let client = self.object.client();
        let first_url = put.url.clone();
        let site = CallSite {
            service_method: &PUT_URL,
            method: "PUT",
            url: &ShownText(&first_url),
        };
        let state = tokio::sync::Mutex::new((put, reader));
        let policy = tc_client::__private::transfer::retry_policy(client);
        tc_client::__private::transfer::with_retries(
            policy,
            policy.get_deadline(),
            &site,
            |number| {
                let state = &state;
                async move {
                    let mut guard = state.lock().await;
                    let (put, reader) = &mut *guard;
                    if number > 1 && put.expires <= Time::now() {
                        *put = self.renew().await?;
                    }
                    let url = put.url.clone();
                    let attempt = Attempt {
                        service_method: PUT_URL,
                        method: "PUT",
                        url: &url,
                        number,
                    };
                    self.put_once(&attempt, put, &mut **reader).await
                }
            },
        )
        .await
    }

    /// Calls `createUpload` again for a fresh URL.
    async fn renew(&self) -> Result<PutUrlUploadResponse, Failure> {
        let created = self
            .object
            .create_upload(self.name, self.renew)
            .await
            .map_err(|e| (e, None))?;
        created.upload_method.put_url.ok_or_else(|| {
            let message = "createUpload did not renew the putUrl".to_owned();
            let url = self.object.create_upload_url(self.name);
            let error =
                unexpected_answer("object.createUpload", "PUT", url, message, String::new());
            (error, None)
        })
    }

    async fn put_once<R>(
        &self,
        attempt: &Attempt<'_>,
        put: &PutUrlUploadResponse,
        reader: &mut R,
    ) -> Result<Digests, Failure>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        let io = |source| {
            let error = Error::Io {
                path: self.label.to_owned(),
                source,
            };
            (error, None)
        };
        reader.seek(SeekFrom::Start(self.start)).await.map_err(io)?;
        let url = attempt.parse_url(&put.url).map_err(|e| (e, None))?;
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &put.headers {
            let bad = |e: &dyn std::fmt::Display| {
                let message = format!("bad header {name:?} in the putUrl answer: {e}");
                (attempt.decode(None, message, String::new()), None)
            };
            let name =
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| bad(&e))?;
            let value = reqwest::header::HeaderValue::from_str(value).map_err(|e| bad(&e))?;
            headers.insert(name, value);
        }
        // The body is a stream: say its length, once.
        headers
            .entry(reqwest::header::CONTENT_LENGTH)
            .or_insert_with(|| self.length.into());

        let (sender, receiver) = mpsc::channel::<std::io::Result<Bytes>>(BODY_QUEUE);
        let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|item| (item, receiver))
        });
        let http = tc_client::__private::transfer::http(self.object.client());
        let send = http
            .put(url.clone())
            .headers(headers)
            .body(reqwest::Body::wrap_stream(stream))
            .send();

        let activity = Activity::default();
        let mut hasher = StreamHasher::start();
        let exchange = async {
            let produce = produce(
                reader,
                self.length,
                sender,
                &mut hasher,
                &activity,
                self.reporter,
            );
            let mut produce = std::pin::pin!(produce);
            let mut send = std::pin::pin!(send);
            let mut produced = false;
            let response = loop {
                tokio::select! {
                    biased;
                    outcome = &mut produce, if !produced => match outcome {
                        Ok(()) => produced = true,
                        Err(e) => return Err(io(e)),
                    },
                    response = &mut send => break response,
                }
            };
            let response = response.map_err(|e| (attempt.transport(e), None))?;
            activity.bump();
            if !response.status().is_success() {
                return Err(attempt.status_error("PUT", &url, response).await);
            }
            Ok(())
        };
        let timeout = tc_client::__private::transfer::timeout(self.object.client());
        stall_guard(exchange, timeout, &activity, || attempt.timeout()).await?;

        let digests = hasher.finish().await.map_err(|e| (e, None))?;
        if digests.length != self.length {
            let e = std::io::Error::new(
                std::io::ErrorKind::WriteZero,
                format!(
                    "the server answered after {} of {} bytes were sent",
                    digests.length, self.length
                ),
            );
            return Err((attempt.transport_io(e), None));
        }
        Ok(digests)
    }
}

/// Reads `length` bytes of `reader` in chunks, handing each to the hasher and
/// then to the request body. Stops quietly if the request is over (its
/// outcome then tells what happened); a read error also aborts the body.
async fn produce<R>(
    reader: &mut R,
    length: u64,
    body: mpsc::Sender<std::io::Result<Bytes>>,
    hasher: &mut StreamHasher,
    activity: &Activity,
    reporter: &Reporter,
) -> std::io::Result<()>
where
    R: AsyncRead + Unpin + Send,
{
    reporter.report(0, Some(length));
    let mut sent = 0u64;
    while sent < length {
        let chunk = match read_chunk(reader, sent, length).await {
            Ok(chunk) => chunk,
            Err(e) => {
                let _ = body
                    .send(Err(std::io::Error::new(e.kind(), e.to_string())))
                    .await;
                return Err(e);
            }
        };
        hasher.update(&chunk).await;
        sent += chunk.len() as u64;
        if body.send(Ok(chunk)).await.is_err() {
            return Ok(());
        }
        activity.bump();
        reporter.report(sent, Some(length));
    }
    Ok(())
}

/// Reads the next chunk of at most [`CHUNK_SIZE`] bytes, `sent` of `length`
/// having been read.
async fn read_chunk<R>(reader: &mut R, sent: u64, length: u64) -> std::io::Result<Bytes>
where
    R: AsyncRead + Unpin + Send,
{
    let want = (length - sent).min(CHUNK_SIZE as u64) as usize;
    let mut buf = BytesMut::with_capacity(want);
    while buf.len() < want {
        let left = (want - buf.len()) as u64;
        if (&mut *reader).take(left).read_buf(&mut buf).await? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!(
                    "the data ended after {} of the {length} bytes to upload",
                    sent + buf.len() as u64
                ),
            ));
        }
    }
    Ok(buf.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_objects_are_proposed_inline_too() {
        assert!(proposes_inline(0));
        assert!(proposes_inline(1));
        assert!(proposes_inline(8191));
        assert!(!proposes_inline(8192));
        assert!(!proposes_inline(100 << 20));

        let small = proposal(3, "text/plain", Some(b"abc"));
        let json = serde_json::to_value(&small).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "dataInline": {"contentType": "text/plain", "objectData": "YWJj"},
                "putUrl": {"contentLength": 3, "contentType": "text/plain"},
            })
        );
        let large = proposal(8192, "application/zip", None);
        let json = serde_json::to_value(&large).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"putUrl": {"contentLength": 8192, "contentType": "application/zip"}})
        );
    }

    #[tokio::test]
    async fn producing_hashes_reports_progress_and_feeds_the_body() {
        let data: Vec<u8> = (0..(CHUNK_SIZE + 100)).map(|i| (i % 251) as u8).collect();
        let length = data.len() as u64;
        let (sender, mut receiver) = mpsc::channel::<std::io::Result<Bytes>>(BODY_QUEUE);
        let collect = tokio::spawn(async move {
            let mut body = Vec::new();
            while let Some(chunk) = receiver.recv().await {
                body.extend_from_slice(&chunk.unwrap());
            }
            body
        });
        let (reporter, calls) = crate::transfer::progress::tests::recording();
        let mut hasher = StreamHasher::start();
        let activity = Activity::default();
        let mut reader = std::io::Cursor::new(&data[..]);
        produce(
            &mut reader,
            length,
            sender,
            &mut hasher,
            &activity,
            &reporter,
        )
        .await
        .unwrap();
        assert_eq!(collect.await.unwrap(), data);
        assert_eq!(hasher.finish().await.unwrap(), digest(&data));
        let total = Some(length);
        assert_eq!(
            *calls.lock().unwrap(),
            vec![(0, total), (CHUNK_SIZE as u64, total), (length, total)]
        );
    }

    #[tokio::test]
    async fn a_short_reader_aborts_the_body() {
        let (sender, mut receiver) = mpsc::channel(BODY_QUEUE);
        let mut hasher = StreamHasher::start();
        let mut reader = std::io::Cursor::new(&b"abc"[..]);
        let err = produce(
            &mut reader,
            10,
            sender,
            &mut hasher,
            &Activity::default(),
            &Reporter::none(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
        // The body ends with an error, not quietly short.
        assert!(receiver.recv().await.unwrap().is_err());
    }

    #[tokio::test]
    async fn chunks_cover_exactly_the_length() {
        let data: Vec<u8> = (0..(CHUNK_SIZE * 2 + 5)).map(|i| i as u8).collect();
        let mut reader = std::io::Cursor::new(&data[..]);
        let mut sent = 0u64;
        let length = data.len() as u64 - 3; // bytes past the length stay unread
        let mut got = Vec::new();
        while sent < length {
            let chunk = read_chunk(&mut reader, sent, length).await.unwrap();
            assert!(chunk.len() <= CHUNK_SIZE);
            sent += chunk.len() as u64;
            got.extend_from_slice(&chunk);
        }
        assert_eq!(got, data[..length as usize]);

        let mut short = std::io::Cursor::new(&data[..10]);
        let err = read_chunk(&mut short, 0, 20).await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
        assert!(
            err.to_string().contains("after 10 of the 20 bytes"),
            "{err}"
        );
    }
}
