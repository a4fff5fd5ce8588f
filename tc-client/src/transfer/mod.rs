//! Object and artifact transfers: streaming, hash-verified, retried uploads
//! and downloads, like the Go client's object and artifact helpers.
//!
//! The methods live on the service clients:
//!
//! - on [`Object`], [`upload_from_buf`](Object::upload_from_buf),
//!   [`upload_from_file`](Object::upload_from_file),
//!   [`upload_from_reader`](Object::upload_from_reader),
//!   [`download_to_buf`](Object::download_to_buf),
//!   [`download_to_file`](Object::download_to_file) and
//!   [`download_to_writer`](Object::download_to_writer);
//! - on `Queue` (with the `queue` feature), `download_artifact_to_buf`,
//!   `_to_file` and `_to_writer` for a run or the latest run, and
//!   `upload_artifact_from_buf`, `_from_file` and `_from_reader`, which create
//!   an `object` artifact, upload its data and finish it in one call.
//!
//! [`Object::with_progress`] (and `Queue::with_progress`) give the same
//! methods with a [`Progress`] callback.
//!
//! # How transfers behave
//!
//! - **Upload methods.** Objects smaller than [`DATA_INLINE_MAX_SIZE`]
//!   (8 KiB, the threshold of the Go and Python clients) propose both
//!   `dataInline` (the bytes travel base64-encoded inside `createUpload`) and
//!   `putUrl`; larger ones propose `putUrl` only. The service picks.
//! - **Streaming.** Data moves in chunks of at most [`CHUNK_SIZE`]; memory does
//!   not grow with the object's size (except in `*_to_buf`, which collects
//!   the object by definition).
//! - **Hashes.** Uploads compute SHA-256 and SHA-512 in the same pass as the
//!   transfer, on the blocking thread pool (one thread per algorithm, fed
//!   through a bounded queue, so hashing overlaps the network I/O), and send
//!   both in `finishUpload`. `getUrl` downloads verify every hash the service
//!   gives and fail with [`Error::Integrity`](crate::Error::Integrity),
//!   naming the algorithm and the object, on a mismatch (not retried: the
//!   stored data is wrong); a `getUrl` answer with no hash at all is refused.
//!   `simple` downloads and `s3` / `reference` artifacts carry no hashes.
//! - **Retries.** The API calls retry on their own. The data transfer (the
//!   `PUT` to the `putUrl`, the `GET` of a download URL) is retried under the
//!   client's [`RetryPolicy`](crate::RetryPolicy) on 5xx, 429, connection
//!   errors, stalls and truncated bodies (fewer bytes than `Content-Length`),
//!   restarting from the beginning: an upload seeks its reader back to where
//!   it was when the call started; a download clears its buffer or truncates
//!   its temporary file. A `download_*_to_writer` cannot rewind a generic
//!   writer: it retries only while no byte was written to it; a failure after
//!   that is an [`Error::Io`](crate::Error::Io) explaining that the writer
//!   holds a partial download (its source is the error that interrupted it).
//!   An expired `putUrl` / `getUrl` is renewed before a retry.
//! - **Timeouts.** The client's per-attempt timeout (`timeout`, 120 s by
//!   default) is applied to data transfers as a *stall* timeout: an attempt
//!   fails (and is retried) when no byte moved for that long, however long
//!   the whole transfer takes.
//! - **Files.** `download_*_to_file` write to a temporary file beside the
//!   target (`.<name>.tc-partial-<random>`) and rename it over the target at
//!   the end; on any error (or if the future is dropped) the temporary file
//!   is removed, so no partial file is ever left. Local I/O problems are
//!   [`Error::Io`](crate::Error::Io) naming the path.
//! - **Encodings.** Downloads accept gzip, as the other clients do: data
//!   stored compressed (logs, often) is decoded on the way in, and the
//!   hashes are checked on the decoded bytes, which is what they describe. A
//!   truncated compressed body fails the decoder and is retried. Any other
//!   `Content-Encoding` (never asked for) is refused with
//!   [`Error::Decode`](crate::Error::Decode) rather than handed over
//!   undecoded.
//!
//! ```
//! use tc_client::Time;
//! use tc_client::object::Object;
//! # use tc_client::Credentials;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let object = Object::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
//! # let dir = std::env::temp_dir().join(format!("tc-client-doc-{}", tc_client::slugid::nice()));
//! # std::fs::create_dir_all(&dir)?;
//! # let build_zip = dir.join("build.zip");
//! # std::fs::write(&build_zip, vec![7u8; 100_000])?;
//! # let copy_zip = dir.join("copy.zip");
//! // `object` is an `Object` client; `build_zip` and `copy_zip` are paths.
//! let expires = Time::from_now("1 day")?;
//! object
//!     .upload_from_file("my-project", "my/object", "application/zip", expires, &build_zip)
//!     .await?;
//! object
//!     .with_progress(|done, total| eprintln!("{done} of {total:?} bytes"))
//!     .download_to_file("my/object", &copy_zip)
//!     .await?;
//! assert_eq!(std::fs::read(&copy_zip)?, std::fs::read(&build_zip)?);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(()) }
//! ```

mod download;
mod hashing;
mod http;
mod progress;
mod upload;

#[cfg(feature = "queue")]
mod artifacts;
#[cfg(test)]
mod tests;

#[cfg(feature = "queue")]
pub use artifacts::ArtifactTransfer;
pub use progress::Progress;

use std::path::Path;

use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite};

use crate::object::Object;
use crate::{Result, Time};
use progress::Reporter;

/// Objects smaller than this many bytes are proposed as `dataInline` (as
/// well as `putUrl`); the service accepts inline data of at most 8 KiB.
pub const DATA_INLINE_MAX_SIZE: u64 = 8192;

/// The largest chunk a transfer reads or hashes at a time.
pub const CHUNK_SIZE: usize = 256 * 1024;

/// The object transfer methods of [`Object`] with options: made by
/// [`Object::with_progress`].
#[derive(Clone)]
#[must_use]
pub struct ObjectTransfer<'a> {
    object: &'a Object,
    reporter: Reporter,
}

impl std::fmt::Debug for ObjectTransfer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectTransfer")
            .field("object", &self.object)
            .field("progress", &self.reporter.is_set())
            .finish()
    }
}

impl Object {
    /// The transfer methods of this client, reporting progress to `progress`.
    ///
    /// `progress(done, total)` is called with `done = 0` when each attempt of
    /// the data transfer starts (a retry starts again from 0), then after
    /// each chunk; `total` is the object's size when known (always for
    /// uploads; for downloads, when the server sends a `Content-Length`).
    /// It is called from the transfer's task and should return quickly.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use tc_client::{Time, object::Object};
    /// # use tc_client::Credentials;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let tc = tc_fake::start().await?;
    /// # let (client_id, access_token) = tc.root_credentials();
    /// # let object = Object::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
    /// let data = vec![0u8; 1 << 20]; // 1 MiB: four chunks
    /// let moved = Arc::new(AtomicU64::new(0));
    /// let seen = moved.clone();
    /// object
    ///     .with_progress(move |done, total| {
    ///         assert_eq!(total, Some(1 << 20));
    ///         seen.store(done, Ordering::Relaxed);
    ///     })
    ///     .upload_from_buf("my-project", "zeros", "application/octet-stream", Time::from_now("1 hour")?, &data)
    ///     .await?;
    /// assert_eq!(moved.load(Ordering::Relaxed), 1 << 20);
    /// # Ok(()) }
    /// ```
    pub fn with_progress(
        &self,
        progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static,
    ) -> ObjectTransfer<'_> {
        ObjectTransfer {
            object: self,
            reporter: Reporter::new(std::sync::Arc::new(progress)),
        }
    }

    fn transfer(&self) -> ObjectTransfer<'_> {
        ObjectTransfer {
            object: self,
            reporter: Reporter::none(),
        }
    }

    /// Uploads `data` as object `name` of project `project_id`, expiring at
    /// `expires`, with a fresh random `uploadId`.
    ///
    /// See the [`transfer`](crate::transfer) module for how the upload
    /// method is chosen, hashed and retried.
    pub async fn upload_from_buf(
        &self,
        project_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        data: &[u8],
    ) -> Result<()> {
        self.transfer()
            .upload_from_buf(project_id, name, content_type, expires, data)
            .await
    }

    /// Uploads the file at `path` as object `name`, streaming it.
    ///
    /// A file that cannot be opened or read is an [`Error::Io`](crate::Error::Io)
    /// naming `path`.
    pub async fn upload_from_file(
        &self,
        project_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        path: impl AsRef<Path>,
    ) -> Result<()> {
        self.transfer()
            .upload_from_file(project_id, name, content_type, expires, path)
            .await
    }

    /// Uploads exactly `length` bytes read from `reader`, starting at its
    /// current position, as object `name`, streaming them.
    ///
    /// A retry seeks `reader` back to the position it had when the call
    /// started. A reader that ends before `length` bytes is an
    /// [`Error::Io`](crate::Error::Io); bytes past `length` are not read.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_from_reader<R>(
        &self,
        project_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        length: u64,
        reader: R,
    ) -> Result<()>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        self.transfer()
            .upload_from_reader(project_id, name, content_type, expires, length, reader)
            .await
    }

    /// Downloads object `name` into memory; answers its bytes and the
    /// `Content-Type` it was served with (empty if none).
    pub async fn download_to_buf(&self, name: &str) -> Result<(Vec<u8>, String)> {
        self.transfer().download_to_buf(name).await
    }

    /// Downloads object `name` to the file at `path` (replacing it), through
    /// a temporary file beside it; answers the `Content-Type` it was served
    /// with (empty if none). On error no file is left behind.
    pub async fn download_to_file(&self, name: &str, path: impl AsRef<Path>) -> Result<String> {
        self.transfer().download_to_file(name, path).await
    }

    /// Downloads object `name` into `writer`; answers the `Content-Type` it
    /// was served with (empty if none).
    ///
    /// The data is verified only once it has all been written: on an
    /// [`Error::Integrity`](crate::Error::Integrity) the writer has received
    /// bytes that must be discarded. A failed attempt is retried only if it
    /// wrote nothing yet (a writer cannot be rewound).
    pub async fn download_to_writer<W>(&self, name: &str, writer: W) -> Result<String>
    where
        W: AsyncWrite + Unpin + Send,
    {
        self.transfer().download_to_writer(name, writer).await
    }
}

impl ObjectTransfer<'_> {
    /// [`Object::upload_from_buf`], reporting progress.
    pub async fn upload_from_buf(
        &self,
        project_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        data: &[u8],
    ) -> Result<()> {
        let upload_id = crate::slugid::nice();
        let params = upload::UploadParams {
            project_id,
            name,
            content_type,
            expires,
            upload_id: &upload_id,
        };
        upload::upload_buf(self.object, &params, data, &self.reporter).await
    }

    /// [`Object::upload_from_file`], reporting progress.
    pub async fn upload_from_file(
        &self,
        project_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        path: impl AsRef<Path>,
    ) -> Result<()> {
        let upload_id = crate::slugid::nice();
        let params = upload::UploadParams {
            project_id,
            name,
            content_type,
            expires,
            upload_id: &upload_id,
        };
        upload::upload_file(self.object, &params, path.as_ref(), &self.reporter).await
    }

    /// [`Object::upload_from_reader`], reporting progress.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_from_reader<R>(
        &self,
        project_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        length: u64,
        mut reader: R,
    ) -> Result<()>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        let upload_id = crate::slugid::nice();
        let params = upload::UploadParams {
            project_id,
            name,
            content_type,
            expires,
            upload_id: &upload_id,
        };
        upload::upload_reader(
            self.object,
            &params,
            length,
            &mut reader,
            "the reader",
            &self.reporter,
        )
        .await
    }

    /// [`Object::download_to_buf`], reporting progress.
    pub async fn download_to_buf(&self, name: &str) -> Result<(Vec<u8>, String)> {
        download::to_buf(&self.source(name), &self.reporter).await
    }

    /// [`Object::download_to_file`], reporting progress.
    pub async fn download_to_file(&self, name: &str, path: impl AsRef<Path>) -> Result<String> {
        download::to_file(&self.source(name), path.as_ref(), &self.reporter).await
    }

    /// [`Object::download_to_writer`], reporting progress.
    pub async fn download_to_writer<W>(&self, name: &str, mut writer: W) -> Result<String>
    where
        W: AsyncWrite + Unpin + Send,
    {
        download::to_writer(&self.source(name), &mut writer, &self.reporter).await
    }

    fn source(&self, name: &str) -> download::Source {
        download::Source::Object {
            object: self.object.clone(),
            name: name.to_owned(),
        }
    }
}
