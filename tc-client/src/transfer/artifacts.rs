//! Artifact transfers on [`Queue`]: downloads of every storage type, and
//! `object` artifact uploads in one call.

use std::path::Path;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite};

use super::download::{self, Source};
use super::progress::Reporter;
use super::upload::{self, UploadParams};
use crate::Service as _;
use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::object::Object;
use crate::queue::{
    FinishArtifactRequest, GetArtifactContentResponse, PostArtifactRequest,
    PostArtifactRequestObject, PostArtifactResponse, PostArtifactResponseObject, Queue,
};
use crate::time::Time;

/// The artifact transfer methods of [`Queue`] with options: made by
/// [`Queue::with_progress`].
#[derive(Clone)]
#[must_use]
pub struct ArtifactTransfer<'a> {
    queue: &'a Queue,
    reporter: Reporter,
}

impl std::fmt::Debug for ArtifactTransfer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArtifactTransfer")
            .field("queue", &self.queue)
            .field("progress", &self.reporter.is_set())
            .finish()
    }
}

impl Queue {
    /// The artifact transfer methods of this client, reporting progress to
    /// `progress`, as
    /// [`Object::with_progress`](crate::object::Object::with_progress)
    /// describes.
    pub fn with_progress(
        &self,
        progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static,
    ) -> ArtifactTransfer<'_> {
        ArtifactTransfer {
            queue: self,
            reporter: Reporter::new(Arc::new(progress)),
        }
    }

    fn artifact_transfer(&self) -> ArtifactTransfer<'_> {
        ArtifactTransfer {
            queue: self,
            reporter: Reporter::none(),
        }
    }

    /// Downloads artifact `name` of task `task_id`, run `run_id` (`None`: the
    /// latest run), into memory; answers its bytes and `Content-Type`.
    ///
    /// Every storage type is handled, as the queue's `artifact` /
    /// `latestArtifact` methods describe the content: `object` downloads
    /// through the object service with the credentials the queue gives
    /// (verifying the hashes), `s3` and `reference` fetch their URL
    /// (following redirects; there is no hash to verify), and an `error`
    /// artifact is an [`Error::Artifact`] carrying its `reason` and `message`.
    pub async fn download_artifact_to_buf(
        &self,
        task_id: &str,
        run_id: Option<&str>,
        name: &str,
    ) -> Result<(Vec<u8>, String)> {
        self.artifact_transfer()
            .download_artifact_to_buf(task_id, run_id, name)
            .await
    }

    /// Downloads an artifact (see
    /// [`download_artifact_to_buf`](Self::download_artifact_to_buf)) to the
    /// file at `path`, through a temporary file beside it; answers its
    /// `Content-Type`. On error no file is left behind.
    pub async fn download_artifact_to_file(
        &self,
        task_id: &str,
        run_id: Option<&str>,
        name: &str,
        path: impl AsRef<Path>,
    ) -> Result<String> {
        self.artifact_transfer()
            .download_artifact_to_file(task_id, run_id, name, path)
            .await
    }

    /// Downloads an artifact (see
    /// [`download_artifact_to_buf`](Self::download_artifact_to_buf)) into
    /// `writer`, with the caveats of
    /// [`Object::download_to_writer`](crate::object::Object::download_to_writer);
    /// answers its `Content-Type`.
    pub async fn download_artifact_to_writer<W>(
        &self,
        task_id: &str,
        run_id: Option<&str>,
        name: &str,
        writer: W,
    ) -> Result<String>
    where
        W: AsyncWrite + Unpin + Send,
    {
        self.artifact_transfer()
            .download_artifact_to_writer(task_id, run_id, name, writer)
            .await
    }

    /// Creates artifact `name` of storage type `object` on run `run_id` of
    /// task `task_id` (which the caller must have claimed) and uploads `data`
    /// as its content, in one call.
    ///
    /// `createArtifact`, the upload through the object service (with the
    /// `uploadId`, object name, project and `expires` the queue answered, and
    /// the credentials it gave) and `finishArtifact` each retry on their own
    /// with the same request, so a retry never creates a second artifact.
    /// (The queue refuses a second `createArtifact` of the same `object`
    /// artifact with 409: if its first answer was lost in transit, the call
    /// fails with that [`Error::Api`] rather than create another.) Any
    /// failure is a typed error of the step that failed.
    ///
    /// ```
    /// use std::num::NonZeroU64;
    /// use tc_client::queue::{ClaimWorkRequest, Queue};
    /// use tc_client::{Credentials, Time};
    /// # use tc_client::queue::TaskDefinitionRequest;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let tc = tc_fake::start().await?;
    /// # let (client_id, access_token) = tc.root_credentials();
    /// # let queue = Queue::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
    /// # let task: TaskDefinitionRequest = serde_json::from_value(serde_json::json!({
    /// #     "created": Time::now(), "deadline": Time::from_now("1 hour")?,
    /// #     "taskQueueId": "proj-example/ci", "payload": {},
    /// #     "metadata": {"name": "build", "description": "a build", "owner": "ci@example.com",
    /// #                  "source": "https://example.com/repo"},
    /// # }))?;
    /// # let task_id = tc_client::slugid::nice();
    /// # queue.create_task(&task_id, &task).await?;
    /// // A worker claims the pending task and signs with the task's credentials.
    /// let claim = ClaimWorkRequest::new(NonZeroU64::MIN, "us-east-1".parse()?, "worker-1".parse()?);
    /// let claimed = queue.claim_work("proj-example/ci", &claim).await?.tasks.remove(0);
    /// let c = &claimed.credentials;
    /// let task_credentials =
    ///     Credentials::new(&c.client_id, &c.access_token).with_certificate(&c.certificate);
    /// let worker = Queue::new(Some(task_credentials), tc.root_url())?;
    ///
    /// let run_id = claimed.run_id.to_string();
    /// let expires = Time::from_now("1 day")?;
    /// worker
    ///     .upload_artifact_from_buf(&task_id, &run_id, "public/log.txt", "text/plain", expires, b"ok\n")
    ///     .await?;
    ///
    /// // Read back from the latest run.
    /// let (bytes, content_type) =
    ///     queue.download_artifact_to_buf(&task_id, None, "public/log.txt").await?;
    /// assert_eq!((bytes.as_slice(), content_type.as_str()), (&b"ok\n"[..], "text/plain"));
    /// # Ok(()) }
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_artifact_from_buf(
        &self,
        task_id: &str,
        run_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        data: &[u8],
    ) -> Result<()> {
        self.artifact_transfer()
            .upload_artifact_from_buf(task_id, run_id, name, content_type, expires, data)
            .await
    }

    /// [`upload_artifact_from_buf`](Self::upload_artifact_from_buf) with the
    /// content of the file at `path`, streamed.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_artifact_from_file(
        &self,
        task_id: &str,
        run_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        path: impl AsRef<Path>,
    ) -> Result<()> {
        self.artifact_transfer()
            .upload_artifact_from_file(task_id, run_id, name, content_type, expires, path)
            .await
    }

    /// [`upload_artifact_from_buf`](Self::upload_artifact_from_buf) with
    /// `length` bytes of `reader`, streamed, as
    /// [`Object::upload_from_reader`](crate::object::Object::upload_from_reader)
    /// reads them.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_artifact_from_reader<R>(
        &self,
        task_id: &str,
        run_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        length: u64,
        reader: R,
    ) -> Result<()>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        self.artifact_transfer()
            .upload_artifact_from_reader(
                task_id,
                run_id,
                name,
                content_type,
                expires,
                length,
                reader,
            )
            .await
    }
}

impl ArtifactTransfer<'_> {
    /// [`Queue::download_artifact_to_buf`], reporting progress.
    pub async fn download_artifact_to_buf(
        &self,
        task_id: &str,
        run_id: Option<&str>,
        name: &str,
    ) -> Result<(Vec<u8>, String)> {
        let source = self.resolve(task_id, run_id, name).await?;
        download::to_buf(&source, &self.reporter).await
    }

    /// [`Queue::download_artifact_to_file`], reporting progress.
    pub async fn download_artifact_to_file(
        &self,
        task_id: &str,
        run_id: Option<&str>,
        name: &str,
        path: impl AsRef<Path>,
    ) -> Result<String> {
        let source = self.resolve(task_id, run_id, name).await?;
        download::to_file(&source, path.as_ref(), &self.reporter).await
    }

    /// [`Queue::download_artifact_to_writer`], reporting progress.
    pub async fn download_artifact_to_writer<W>(
        &self,
        task_id: &str,
        run_id: Option<&str>,
        name: &str,
        mut writer: W,
    ) -> Result<String>
    where
        W: AsyncWrite + Unpin + Send,
    {
        let source = self.resolve(task_id, run_id, name).await?;
        download::to_writer(&source, &mut writer, &self.reporter).await
    }

    /// [`Queue::upload_artifact_from_buf`], reporting progress.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_artifact_from_buf(
        &self,
        task_id: &str,
        run_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        data: &[u8],
    ) -> Result<()> {
        let mut reader = std::io::Cursor::new(data);
        let length = data.len() as u64;
        let artifact = Artifact {
            task_id,
            run_id,
            name,
            content_type,
            expires,
        };
        self.upload(&artifact, length, &mut reader, "the buffer")
            .await
    }

    /// [`Queue::upload_artifact_from_file`], reporting progress.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_artifact_from_file(
        &self,
        task_id: &str,
        run_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        path: impl AsRef<Path>,
    ) -> Result<()> {
        let path = path.as_ref();
        let (mut file, length) = upload::open_file(path).await?;
        let artifact = Artifact {
            task_id,
            run_id,
            name,
            content_type,
            expires,
        };
        let label = path.display().to_string();
        self.upload(&artifact, length, &mut file, &label).await
    }

    /// [`Queue::upload_artifact_from_reader`], reporting progress.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_artifact_from_reader<R>(
        &self,
        task_id: &str,
        run_id: &str,
        name: &str,
        content_type: &str,
        expires: Time,
        length: u64,
        mut reader: R,
    ) -> Result<()>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        let artifact = Artifact {
            task_id,
            run_id,
            name,
            content_type,
            expires,
        };
        self.upload(&artifact, length, &mut reader, "the reader")
            .await
    }

    /// Asks the queue where the artifact's content is.
    async fn resolve(&self, task_id: &str, run_id: Option<&str>, name: &str) -> Result<Source> {
        let content = match run_id {
            Some(run_id) => self.queue.artifact(task_id, run_id, name).await?,
            None => self.queue.latest_artifact(task_id, name).await?,
        };
        let client = self.queue.client();
        Ok(match content {
            GetArtifactContentResponse::Object(object) => Source::Object {
                object: client.sibling::<Object>(Some(Credentials::from(object.credentials)))?,
                name: object.name.into(),
            },
            GetArtifactContentResponse::S3(s3) => Source::Url {
                client: client.clone(),
                url: s3.url,
                service_method: "queue.s3Artifact",
            },
            GetArtifactContentResponse::Reference(reference) => Source::Url {
                client: client.clone(),
                url: reference.url,
                service_method: "queue.referenceArtifact",
            },
            GetArtifactContentResponse::Error(error) => {
                return Err(Error::Artifact {
                    artifact: format!("{task_id}/{}/{name}", run_id.unwrap_or("latest")),
                    reason: error.reason,
                    message: error.message,
                });
            }
            other => {
                return Err(Error::Decode {
                    service_method: "queue.artifact".into(),
                    message: format!(
                        "artifact {task_id}/{}/{name} has a storage type this version of \
                         tc-client does not know",
                        run_id.unwrap_or("latest")
                    ),
                    excerpt: serde_json::to_string(&other).unwrap_or_default(),
                });
            }
        })
    }

    /// createArtifact, the object upload, finishArtifact.
    async fn upload<R>(
        &self,
        artifact: &Artifact<'_>,
        length: u64,
        reader: &mut R,
        label: &str,
    ) -> Result<()>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        let Artifact {
            task_id,
            run_id,
            name,
            content_type,
            expires,
        } = *artifact;
        let mut object = PostArtifactRequestObject::new(content_type, expires);
        object.content_length = Some(length);
        let request = PostArtifactRequest::Object(object);
        let answer = self
            .queue
            .create_artifact(task_id, run_id, name, &request)
            .await?;
        let PostArtifactResponse::Object(PostArtifactResponseObject {
            credentials,
            expires,
            name: object_name,
            project_id,
            upload_id,
            ..
        }) = answer
        else {
            return Err(Error::Decode {
                service_method: "queue.createArtifact".into(),
                message: format!(
                    "the queue did not answer an object artifact request for {name:?} with \
                     storageType object"
                ),
                excerpt: serde_json::to_string(&answer).unwrap_or_default(),
            });
        };
        let object: Object = self
            .queue
            .client()
            .sibling(Some(Credentials::from(credentials)))?;
        let params = UploadParams {
            project_id: &project_id,
            name: &object_name,
            content_type,
            expires,
            upload_id: &upload_id,
        };
        upload::upload_reader(&object, &params, length, reader, label, &self.reporter).await?;
        self.queue
            .finish_artifact(task_id, run_id, name, &FinishArtifactRequest { upload_id })
            .await
    }
}

/// What names an artifact to create.
#[derive(Clone, Copy)]
struct Artifact<'a> {
    task_id: &'a str,
    run_id: &'a str,
    name: &'a str,
    content_type: &'a str,
    expires: Time,
}
