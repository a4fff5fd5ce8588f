//! The object service's upload and download requests, on [`Object`].

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;

use super::destination::Destination;
use super::download::Origin;
use super::progress::Reporter;
use super::sealed::Receiving;
use super::source::Source;
use super::upload::{self, UploadParams};
use super::{Downloaded, Uploaded};
use crate::object::Object;
use tc_client::__private::BoxFuture;
use tc_client::Result;
use tc_client::Time;

/// The content type an upload gets unless one is set.
#[doc(hidden)]
pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

impl Object {
    /// Uploads `source` as object `name` of project `project_id`, expiring at
    /// `expires`; set the content type (default `application/octet-stream`),
    /// the upload id (default: a fresh one) or a progress callback on the
    /// answered request, then await it.
    ///
    /// See the [`transfer`](crate::transfer) module for how the upload
    /// method is chosen, hashed and retried.
    ///
    /// ```
    /// use tc_client::object::Object;
    /// use tc_client::transfer::{from_bytes, to_buffer};
    /// use tc_client::Time;
    /// # use tc_client::Credentials;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let tc = tc_fake::start().await?;
    /// # let (client_id, access_token) = tc.root_credentials();
    /// # let object = Object::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
    /// let expires = Time::from_now("1 day")?;
    /// let sent = object
    ///     .upload_object("my-project", "builds/notes.txt", expires, from_bytes(b"hello"))
    ///     .content_type("text/plain")
    ///     .await?;
    /// assert_eq!(sent.size, 5);
    /// let got = object.download_object("builds/notes.txt", to_buffer()).await?;
    /// assert_eq!((got.data.as_slice(), got.content_type.as_str()), (&b"hello"[..], "text/plain"));
    /// # Ok(()) }
    /// ```
    pub fn upload_object<'a>(
        &'a self,
        project_id: &'a str,
        name: &'a str,
        expires: Time,
        source: impl Into<Source<'a>>,
    ) -> ObjectUpload<'a> {
        ObjectUpload {
            object: self,
            project_id,
            name,
            expires,
            source: source.into(),
            content_type: None,
            upload_id: None,
            reporter: Reporter::none(),
        }
    }

    /// Downloads object `name` into `destination`; set a progress callback
    /// on the answered request, then await it.
    ///
    /// Every hash the service gives is verified (see the
    /// [`transfer`](crate::transfer) module).
    pub fn download_object<'a, D: Destination + 'a>(
        &'a self,
        name: &'a str,
        destination: D,
    ) -> ObjectDownload<'a, D> {
        ObjectDownload {
            object: self,
            name,
            destination,
            reporter: Reporter::none(),
        }
    }
}

/// An upload to the object service: made by [`Object::upload_object`], awaited.
#[must_use = "an upload does nothing until it is awaited"]
pub struct ObjectUpload<'a> {
    object: &'a Object,
    project_id: &'a str,
    name: &'a str,
    expires: Time,
    source: Source<'a>,
    content_type: Option<String>,
    upload_id: Option<String>,
    reporter: Reporter,
}

impl fmt::Debug for ObjectUpload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectUpload")
            .field("project_id", &self.project_id)
            .field("name", &self.name)
            .field("expires", &self.expires)
            .field("source", &self.source)
            .field("content_type", &self.content_type)
            .field("progress", &self.reporter.is_set())
            .finish_non_exhaustive()
    }
}

impl ObjectUpload<'_> {
    /// The `Content-Type` the object is stored with.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The `uploadId` of the upload (a fresh slug id by default), to resume
    /// one that failed after `createUpload`.
    pub fn upload_id(mut self, upload_id: impl Into<String>) -> Self {
        self.upload_id = Some(upload_id.into());
        self
    }

    /// Reports progress to `progress` (see [`Progress`](super::Progress)).
    pub fn progress(mut self, progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.reporter = Reporter::new(Arc::new(progress));
        self
    }
}

impl<'a> IntoFuture for ObjectUpload<'a> {
    type Output = Result<Uploaded>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    // Inline: compiled in the crates that await it, not here with every transfer.
    #[inline]
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let upload_id = self.upload_id.unwrap_or_else(tc_client::slugid::nice);
            let params = UploadParams {
                project_id: self.project_id,
                name: self.name,
                content_type: self.content_type.as_deref().unwrap_or(DEFAULT_CONTENT_TYPE),
                expires: self.expires,
                upload_id: &upload_id,
            };
            upload::upload_source(self.object, &params, self.source, &self.reporter)
                .await
                .map(Uploaded::from)
        })
    }
}

/// A download from the object service: made by [`Object::download_object`], awaited.
#[must_use = "a download does nothing until it is awaited"]
pub struct ObjectDownload<'a, D> {
    object: &'a Object,
    name: &'a str,
    destination: D,
    reporter: Reporter,
}

impl<D> fmt::Debug for ObjectDownload<'_, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectDownload")
            .field("name", &self.name)
            .field("progress", &self.reporter.is_set())
            .finish_non_exhaustive()
    }
}

impl<D> ObjectDownload<'_, D> {
    /// Reports progress to `progress` (see [`Progress`](super::Progress)).
    pub fn progress(mut self, progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.reporter = Reporter::new(Arc::new(progress));
        self
    }
}

impl<'a, D: Destination + 'a> IntoFuture for ObjectDownload<'a, D> {
    type Output = Result<Downloaded<D::Output>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    // Inline: compiled in the crates that await it, not here with every transfer.
    #[inline]
    fn into_future(self) -> Self::IntoFuture {
        let origin = Origin::Object {
            object: self.object.clone(),
            name: self.name.to_owned(),
        };
        let received = self.destination.receive(Receiving {
            origin: Box::pin(std::future::ready(Ok(origin))),
            reporter: self.reporter,
        });
        Box::pin(async move {
            let (data, content_type) = received.await?;
            Ok(Downloaded { content_type, data })
        })
    }
}
