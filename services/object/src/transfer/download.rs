//! Downloads: from the object service (`startDownload`, then `getUrl` or
//! `simple`) or from a plain URL (`s3` and `reference` artifacts), streamed
//! into a buffer, a file (through a temporary file) or a writer, verified and
//! retried.

use std::future::Future;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::hashing::{Expected, StreamHasher};
use super::http::{Activity, Attempt, Failure, stall_guard};
use super::progress::Reporter;
use crate::object::{
    DownloadObjectRequest, DownloadObjectResponse, Object, SupportedDownloadMethods,
};
use tc_client::__private::transfer::{CallSite, ShownText, unexpected_answer};
use tc_client::Client;
use tc_client::Service as _;
use tc_client::Time;
use tc_client::{Error, Result};

/// Where downloaded data comes from.
#[doc(hidden)]
pub enum Origin {
    /// An object of the object service.
    Object { object: Object, name: String },
    /// A plain URL, fetched without credentials, following redirects.
    Url {
        client: Client,
        url: String,
        /// Names the download in errors: `queue.s3Artifact`, ...
        service_method: &'static str,
    },
}

pub(crate) async fn to_buf(source: &Origin, reporter: &Reporter) -> Result<(Vec<u8>, String)> {
    let mut dest = BufDest(Vec::new());
    let content_type = fetch(source, &mut dest, reporter).await?;
    Ok((dest.0, content_type))
}

pub(crate) async fn to_file(source: &Origin, path: &Path, reporter: &Reporter) -> Result<String> {
    let mut partial = PartialFile::create(path).await?;
    let content_type = fetch(source, partial.dest(), reporter).await?;
    partial.persist().await?;
    Ok(content_type)
}

pub(crate) async fn to_writer<W>(
    source: &Origin,
    writer: &mut W,
    reporter: &Reporter,
) -> Result<String>
where
    W: AsyncWrite + Unpin + Send,
{
    fetch(source, &mut WriterDest(writer), reporter).await
}

/// Where downloaded bytes go.
pub(crate) trait Sink: Send {
    /// Appends `chunk`.
    fn write(&mut self, chunk: Bytes) -> impl Future<Output = std::io::Result<()>> + Send;
    /// Flushes everything written.
    fn finish(&mut self) -> impl Future<Output = std::io::Result<()>> + Send;
    /// Whether [`rewind`](Self::rewind) can undo writes.
    fn can_rewind(&self) -> bool;
    /// Forgets everything written, for a new attempt.
    fn rewind(&mut self) -> impl Future<Output = std::io::Result<()>> + Send;
    /// Makes room for `length` bytes.
    fn reserve(&mut self, _length: u64) {}
    /// Names the destination in I/O errors.
    fn label(&self) -> String;
}

struct BufDest(Vec<u8>);

impl Sink for BufDest {
    async fn write(&mut self, chunk: Bytes) -> std::io::Result<()> {
        self.0.extend_from_slice(&chunk);
        Ok(())
    }
    async fn finish(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    fn can_rewind(&self) -> bool {
        true
    }
    async fn rewind(&mut self) -> std::io::Result<()> {
        self.0.clear();
        Ok(())
    }
    fn reserve(&mut self, length: u64) {
        if let Ok(length) = usize::try_from(length) {
            let _ = self
                .0
                .try_reserve_exact(length.saturating_sub(self.0.len()));
        }
    }
    fn label(&self) -> String {
        "the buffer".into()
    }
}

struct WriterDest<'a, W>(&'a mut W);

impl<W: AsyncWrite + Unpin + Send> Sink for WriterDest<'_, W> {
    async fn write(&mut self, chunk: Bytes) -> std::io::Result<()> {
        self.0.write_all(&chunk).await
    }
    async fn finish(&mut self) -> std::io::Result<()> {
        self.0.flush().await
    }
    fn can_rewind(&self) -> bool {
        false
    }
    async fn rewind(&mut self) -> std::io::Result<()> {
        Err(std::io::Error::other("a writer cannot be rewound"))
    }
    fn label(&self) -> String {
        "the writer".into()
    }
}

/// Bytes handed to the file-writing thread at a time.
const FILE_BATCH: usize = 1024 * 1024;
/// Batches queued for the file-writing thread at most.
const FILE_QUEUE: usize = 4;

/// A file written by a blocking-pool thread, fed batches of chunks through a
/// bounded queue: the download goes on while the disk works, without
/// copying the chunks.
pub(crate) struct FileDest {
    /// The file while no thread writes it.
    file: Option<std::fs::File>,
    writer: Option<FileWriter>,
    pending: Vec<Bytes>,
    pending_len: usize,
    /// The target path, named in errors.
    label: String,
}

struct FileWriter {
    batches: mpsc::Sender<Vec<Bytes>>,
    done: JoinHandle<(std::fs::File, std::io::Result<()>)>,
}

fn file_lost() -> std::io::Error {
    std::io::Error::other("the file-writing thread failed")
}

impl FileDest {
    fn new(file: std::fs::File, label: String) -> FileDest {
        FileDest {
            file: Some(file),
            writer: None,
            pending: Vec::new(),
            pending_len: 0,
            label,
        }
    }

    /// Hands the pending chunks to the writing thread (starting it).
    async fn hand_over(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if self.writer.is_none() {
            let mut file = self.file.take().ok_or_else(file_lost)?;
            let (batches, mut receiver) = mpsc::channel::<Vec<Bytes>>(FILE_QUEUE);
            let done = tokio::task::spawn_blocking(move || {
                use std::io::Write;
                while let Some(batch) = receiver.blocking_recv() {
                    for chunk in &batch {
                        if let Err(e) = file.write_all(chunk) {
                            return (file, Err(e));
                        }
                    }
                }
                (file, Ok(()))
            });
            self.writer = Some(FileWriter { batches, done });
        }
        let batch = std::mem::take(&mut self.pending);
        self.pending_len = 0;
        let writer = self.writer.as_ref().ok_or_else(file_lost)?;
        if writer.batches.send(batch).await.is_err() {
            // The thread stopped on an error: get it.
            self.stop().await?;
            return Err(file_lost());
        }
        Ok(())
    }

    /// Waits for the writing thread to write everything handed to it and
    /// takes the file back.
    async fn stop(&mut self) -> std::io::Result<()> {
        let Some(FileWriter { batches, done }) = self.writer.take() else {
            return Ok(());
        };
        drop(batches);
        let (file, outcome) = done.await.map_err(|_| file_lost())?;
        self.file = Some(file);
        outcome
    }
}

impl Sink for FileDest {
    async fn write(&mut self, chunk: Bytes) -> std::io::Result<()> {
        self.pending_len += chunk.len();
        self.pending.push(chunk);
        if self.pending_len >= FILE_BATCH {
            self.hand_over().await?;
        }
        Ok(())
    }
    async fn finish(&mut self) -> std::io::Result<()> {
        self.hand_over().await?;
        self.stop().await
    }
    fn can_rewind(&self) -> bool {
        true
    }
    async fn rewind(&mut self) -> std::io::Result<()> {
        self.pending.clear();
        self.pending_len = 0;
        self.stop().await?;
        let file = self.file.take().ok_or_else(file_lost)?;
        let (file, outcome) = tokio::task::spawn_blocking(move || {
            use std::io::Seek;
            let mut file = file;
            let outcome = file
                .seek(std::io::SeekFrom::Start(0))
                .and_then(|_| file.set_len(0));
            (file, outcome)
        })
        .await
        .map_err(|_| file_lost())?;
        self.file = Some(file);
        outcome
    }
    fn label(&self) -> String {
        self.label.clone()
    }
}

/// A temporary file beside the target (`.<name>.tc-partial-<random>`),
/// removed when dropped unless [`persist`](Self::persist) renamed it over the
/// target.
pub(crate) struct PartialFile {
    temp: PathBuf,
    target: PathBuf,
    dest: Option<FileDest>,
}

impl PartialFile {
    /// Creates the temporary file for `target`; a missing directory or any
    /// other problem is an [`Error::Io`] naming `target`.
    pub(crate) async fn create(target: &Path) -> Result<PartialFile> {
        let label = target.display().to_string();
        let Some(file_name) = target.file_name() else {
            return Err(Error::Io {
                path: label,
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "the path does not name a file",
                ),
            });
        };
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let temp = dir.join(format!(
            ".{}.tc-partial-{}",
            file_name.to_string_lossy(),
            tc_client::slugid::v4()
        ));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .await
            .map_err(|source| Error::Io {
                path: label.clone(),
                source,
            })?;
        let file = file.into_std().await;
        Ok(PartialFile {
            temp,
            target: target.to_owned(),
            dest: Some(FileDest::new(file, label)),
        })
    }

    pub(crate) fn dest(&mut self) -> &mut FileDest {
        self.dest
            .as_mut()
            .expect("the file is open until persisted") // ok: only persist() takes it, consuming self
    }

    /// The temporary file's path.
    #[cfg(test)]
    pub(crate) fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Flushes and closes the temporary file and renames it over the target.
    pub(crate) async fn persist(mut self) -> Result<()> {
        let io = |source| Error::Io {
            path: self.target.display().to_string(),
            source,
        };
        if let Some(mut dest) = self.dest.take() {
            dest.finish().await.map_err(io)?;
            // Every write is done: closing waits for nothing.
            drop(dest);
        }
        tokio::fs::rename(&self.temp, &self.target)
            .await
            .map_err(io)?;
        // Renamed: nothing to remove any more.
        self.temp = PathBuf::new();
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        drop(self.dest.take());
        if !self.temp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// How to fetch the data: the URL and what to check.
#[derive(Debug, Clone)]
struct Plan {
    url: String,
    /// When `url` stops working (`getUrl`): renewed before a later retry.
    expires: Option<Time>,
    /// The hashes to verify (`getUrl`); `None`: nothing to verify.
    expected: Option<Expected>,
    /// Whether redirects are followed (not for `getUrl`, whose spec forbids it).
    follow: bool,
    service_method: &'static str,
}

/// Downloads `source` into `dest`; answers the `Content-Type`.
pub(crate) async fn fetch<D: Sink>(
    source: &Origin,
    dest: &mut D,
    reporter: &Reporter,
) -> Result<String> {
    match source {
        Origin::Object { object, name } => {
            let plan = start_download(object, name).await?;
            let renew = Some((object, name.as_str()));
            Download {
                client: object.client(),
                renew,
                reporter,
            }
            .run(plan, dest)
            .await
        }
        Origin::Url {
            client,
            url,
            service_method,
        } => {
            let plan = Plan {
                url: url.clone(),
                expires: None,
                expected: None,
                follow: true,
                service_method,
            };
            Download {
                client,
                renew: None,
                reporter,
            }
            .run(plan, dest)
            .await
        }
    }
}

/// Calls `startDownload`, accepting `getUrl` and, failing that, `simple`.
async fn start_download(object: &Object, name: &str) -> Result<Plan> {
    let request =
        DownloadObjectRequest::new(SupportedDownloadMethods::new().get_url(true).simple(true));
    let plan = match object.start_download(name, &request).await? {
        DownloadObjectResponse::GetUrlDownloadResponse(answer) => {
            let expected = Expected {
                what: format!("object {name:?}"),
                sha256: answer.hashes.sha256.map(String::from),
                sha512: answer.hashes.sha512.map(String::from),
            };
            if expected.is_empty() {
                return Err(Error::Integrity(format!(
                    "the object service gave no sha256 or sha512 hash for object {name:?}: \
                     its data cannot be verified"
                )));
            }
            Plan {
                url: answer.url,
                expires: Some(answer.expires),
                expected: Some(expected),
                follow: false,
                service_method: "object.getUrl",
            }
        }
        DownloadObjectResponse::SimpleDownloadResponse(answer) => Plan {
            url: answer.url,
            expires: None,
            expected: None,
            follow: true,
            service_method: "object.simple",
        },
        other => {
            return Err(unexpected_answer(
                "object.startDownload",
                "PUT",
                object.start_download_url(name),
                format!(
                    "the object service answered a download method for {name:?} that this \
                     version of tc-client does not know, although it was not offered"
                ),
                serde_json::to_string(&other).unwrap_or_default(),
            ));
        }
    };
    Ok(plan)
}

/// One download, retried.
struct Download<'a> {
    client: &'a Client,
    /// The object and name whose `startDownload` renews an expired URL.
    renew: Option<(&'a Object, &'a str)>,
    reporter: &'a Reporter,
}

/// Why a download into a writer was not retried: wraps the error that
/// interrupted it.
#[derive(Debug)]
struct Interrupted {
    written: u64,
    error: Error,
}

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the download failed after {} bytes were written, and the destination cannot be \
             rewound to retry it (it holds a partial download): {}",
            self.written, self.error
        )
    }
}

impl std::error::Error for Interrupted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

struct State<'d, D> {
    plan: Plan,
    dest: &'d mut D,
    /// Bytes written to `dest` since it was last rewound.
    written: u64,
}

impl Download<'_> {
    async fn run<D: Sink>(&self, plan: Plan, dest: &mut D) -> Result<String> {
        let service_method = plan.service_method;
        let first_url = plan.url.clone();
        let site = CallSite {
            service_method: &service_method,
            method: "GET",
            url: &ShownText(&first_url),
        };
        let state = tokio::sync::Mutex::new(State {
            plan,
            dest,
            written: 0,
        });
        let policy = tc_client::__private::transfer::retry_policy(self.client);
        tc_client::__private::transfer::with_retries(
            policy,
            policy.get_deadline(),
            &site,
            |number| {
                let state = &state;
                async move {
                    let mut guard = state.lock().await;
                    let state = &mut *guard;
                    if state.written > 0 {
                        let label = state.dest.label();
                        state.dest.rewind().await.map_err(|source| {
                            (
                                Error::Io {
                                    path: label,
                                    source,
                                },
                                None,
                            )
                        })?;
                        state.written = 0;
                    }
                    if number > 1
                        && let (Some(expires), Some((object, name))) =
                            (state.plan.expires, self.renew)
                        && expires <= Time::now()
                    {
                        state.plan = start_download(object, name).await.map_err(|e| (e, None))?;
                    }
                    let url = state.plan.url.clone();
                    let attempt = Attempt {
                        service_method: state.plan.service_method,
                        method: "GET",
                        url: &url,
                        number,
                    };
                    let outcome = self.get_once(&attempt, state).await;
                    match outcome {
                        Err((error, _))
                            if error.is_retryable()
                                && state.written > 0
                                && !state.dest.can_rewind() =>
                        {
                            let path = state.dest.label();
                            let written = state.written;
                            let source = std::io::Error::other(Interrupted { written, error });
                            Err((Error::Io { path, source }, None))
                        }
                        outcome => outcome,
                    }
                }
            },
        )
        .await
    }

    async fn get_once<D: Sink>(
        &self,
        attempt: &Attempt<'_>,
        state: &mut State<'_, D>,
    ) -> Result<String, Failure> {
        let plan = &state.plan;
        let activity = Activity::default();
        let mut hasher = plan.expected.as_ref().map(|_| StreamHasher::start());
        let written = &mut state.written;
        let dest = &mut *state.dest;
        let reporter = self.reporter;
        let exchange = async {
            let (url, mut response) = attempt
                .get(
                    tc_client::__private::transfer::http(self.client),
                    &plan.url,
                    plan.follow,
                )
                .await?;
            activity.bump();
            if !response.status().is_success() {
                return Err(attempt.status_error("GET", &url, response).await);
            }
            let status = response.status().as_u16();
            let headers = response.headers();
            // reqwest decodes gzip (and then drops the header and the length,
            // which described the encoded body); anything left is a coding
            // nobody asked for.
            if let Some(encoding) = headers.get(reqwest::header::CONTENT_ENCODING)
                && !encoding.as_bytes().eq_ignore_ascii_case(b"identity")
            {
                let message = format!(
                    "the data is served with Content-Encoding {encoding:?}, which tc-client does not decode"
                );
                return Err((attempt.decode(Some(status), message, String::new()), None));
            }
            let content_type = headers
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let total = response.content_length();
            if let Some(total) = total {
                dest.reserve(total);
            }
            let label = dest.label();
            let io = |source| {
                let path = label.clone();
                (Error::Io { path, source }, None)
            };
            reporter.report(0, total);
            let mut done = 0u64;
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| (attempt.transport(e), None))?
            {
                activity.bump();
                if chunk.is_empty() {
                    continue;
                }
                if let Some(hasher) = hasher.as_mut() {
                    hasher.update(&chunk).await;
                }
                let len = chunk.len() as u64;
                *written += len;
                dest.write(chunk).await.map_err(io)?;
                done += len;
                reporter.report(done, total);
            }
            if let Some(total) = total
                && done != total
            {
                let e = std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("the body ended after {done} of its {total} bytes"),
                );
                return Err((attempt.transport_io(e), None));
            }
            dest.finish().await.map_err(io)?;
            Ok(content_type)
        };
        let timeout = tc_client::__private::transfer::timeout(self.client);
        let content_type = stall_guard(exchange, timeout, &activity, || attempt.timeout()).await?;
        if let (Some(hasher), Some(expected)) = (hasher, &plan.expected) {
            let digests = hasher.finish().await.map_err(|e| (e, None))?;
            expected.verify(&digests).map_err(|e| (e, None))?;
        }
        Ok(content_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tc-client-{tag}-{}", tc_client::slugid::v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn a_partial_file_is_removed_unless_persisted() {
        let dir = temp_dir("partial");
        let target = dir.join("out.bin");

        let mut partial = PartialFile::create(&target).await.unwrap();
        let temp = partial.temp_path().to_owned();
        let name = temp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".out.bin.tc-partial-"), "{name}");
        partial
            .dest()
            .write(Bytes::from_static(b"half of it"))
            .await
            .unwrap();
        assert!(temp.exists());
        drop(partial); // an error, or a dropped future
        assert_eq!(entries(&dir), Vec::<String>::new());

        let mut partial = PartialFile::create(&target).await.unwrap();
        partial
            .dest()
            .write(Bytes::from_static(b"first try"))
            .await
            .unwrap();
        partial.dest().rewind().await.unwrap();
        partial
            .dest()
            .write(Bytes::from_static(b"all of it"))
            .await
            .unwrap();
        partial.persist().await.unwrap();
        assert_eq!(entries(&dir), vec!["out.bin".to_owned()]);
        assert_eq!(std::fs::read(&target).unwrap(), b"all of it");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_missing_directory_is_an_io_error_naming_the_path() {
        let dir = temp_dir("missing");
        let target = dir.join("no/such/dir/out.bin");
        let err = PartialFile::create(&target).await.err().unwrap();
        match &err {
            Error::Io { path, source } => {
                assert_eq!(path, &target.display().to_string());
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("no/such/dir/out.bin"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_failed_download_to_a_file_leaves_nothing() {
        // A URL source on a closed port: every attempt fails to connect.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let queue = crate::object::Object::builder()
            .root_url(format!("http://127.0.0.1:{port}"))
            .retry(tc_client::RetryPolicy::none())
            .build()
            .unwrap();
        let source = Origin::Url {
            client: queue.client().clone(),
            url: format!("http://127.0.0.1:{port}/data"),
            service_method: "queue.s3Artifact",
        };
        let dir = temp_dir("failed");
        let target = dir.join("out.bin");
        let err = to_file(&source, &target, &Reporter::none())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        assert_eq!(entries(&dir), Vec::<String>::new());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn buffers_and_writers_rewind_as_documented() {
        let mut buf = BufDest(Vec::new());
        buf.write(Bytes::from_static(b"abc")).await.unwrap();
        assert!(buf.can_rewind());
        buf.rewind().await.unwrap();
        assert!(buf.0.is_empty());

        let mut out = Vec::new();
        let mut writer = WriterDest(&mut out);
        writer.write(Bytes::from_static(b"abc")).await.unwrap();
        assert!(!writer.can_rewind());
        assert!(writer.rewind().await.is_err());
    }
}
