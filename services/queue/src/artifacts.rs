//! Artifact transfers on [`Queue`]: downloads of every storage type, and
//! `object` artifact uploads in one call.

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;

use crate::queue::{
    FinishArtifactRequest, GetArtifactContentResponse, PostArtifactRequest,
    PostArtifactRequestObject, PostArtifactResponse, Queue,
};
use tc_client::__private::BoxFuture;
use tc_client::__private::transfer::unexpected_answer;
use tc_client::Credentials;
use tc_client::PathArg;
use tc_client::Service as _;
use tc_client::Time;
use tc_client::{Error, Result};
use tc_client_object::object::Object;
use tc_client_object::transfer::__for_artifacts::{
    DEFAULT_CONTENT_TYPE, Origin, Receiving, Reporter, UploadParams, downloaded, upload_source,
};
use tc_client_object::transfer::{Destination, Downloaded, Source, Uploaded};

impl Queue {
    /// Creates artifact `name` of storage type `object` on run `run_id` of
    /// task `task_id` (which the caller must have claimed) and uploads
    /// `source` as its content, in one call; set the content type (default
    /// `application/octet-stream`), the expiry or a progress callback on the
    /// answered request, then await it.
    ///
    /// Without [`expires`](ArtifactUpload::expires) the artifact expires with
    /// its task (the queue refuses one that outlives it): the task is read
    /// with `queue.task`, which needs `queue:get-task:<taskId>`; deployments
    /// give that scope to everyone through their `anonymous` role.
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
    /// use tc_client::transfer::{from_bytes, to_buffer};
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
    /// let worker = Queue::new(Some(Credentials::from(&claimed.credentials)), tc.root_url())?;
    ///
    /// worker
    ///     .upload_artifact(&task_id, claimed.run_id, "public/log.txt", from_bytes(b"ok\n"))
    ///     .content_type("text/plain")
    ///     .expires(Time::from_now("1 day")?)
    ///     .await?;
    ///
    /// // Read back from the latest run.
    /// let log = queue.download_artifact(&task_id, "public/log.txt", to_buffer()).await?;
    /// assert_eq!((log.data.as_slice(), log.content_type.as_str()), (&b"ok\n"[..], "text/plain"));
    /// # Ok(()) }
    /// ```
    pub fn upload_artifact<'a>(
        &'a self,
        task_id: impl Into<PathArg<'a>>,
        run_id: impl Into<PathArg<'a>>,
        name: impl Into<PathArg<'a>>,
        source: impl Into<Source<'a>>,
    ) -> ArtifactUpload<'a> {
        ArtifactUpload {
            queue: self,
            task_id: task_id.into(),
            run_id: run_id.into(),
            name: name.into(),
            source: source.into(),
            content_type: None,
            expires: None,
            reporter: Reporter::none(),
        }
    }

    /// Downloads artifact `name` of task `task_id` into `destination`, from
    /// the latest run unless [`run_id`](ArtifactDownload::run_id) names one;
    /// set a progress callback on the answered request, then await it.
    ///
    /// Every storage type is handled, as the queue's `artifact` /
    /// `latestArtifact` methods describe the content: `object` downloads
    /// through the object service with the credentials the queue gives
    /// (verifying the hashes), `s3` and `reference` fetch their URL
    /// (following redirects; there is no hash to verify), and an `error`
    /// artifact is an [`Error::Artifact`] carrying its `reason` and `message`.
    pub fn download_artifact<'a, D: Destination + 'a>(
        &'a self,
        task_id: impl Into<PathArg<'a>>,
        name: impl Into<PathArg<'a>>,
        destination: D,
    ) -> ArtifactDownload<'a, D> {
        ArtifactDownload {
            queue: self,
            task_id: task_id.into(),
            run_id: None,
            name: name.into(),
            destination,
            reporter: Reporter::none(),
        }
    }
}

/// The upload of an `object` artifact: made by [`Queue::upload_artifact`],
/// awaited.
#[must_use = "an upload does nothing until it is awaited"]
pub struct ArtifactUpload<'a> {
    queue: &'a Queue,
    task_id: PathArg<'a>,
    run_id: PathArg<'a>,
    name: PathArg<'a>,
    source: Source<'a>,
    content_type: Option<String>,
    expires: Option<Time>,
    reporter: Reporter,
}

impl fmt::Debug for ArtifactUpload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArtifactUpload")
            .field("task_id", &self.task_id)
            .field("run_id", &self.run_id)
            .field("name", &self.name)
            .field("source", &self.source)
            .field("content_type", &self.content_type)
            .field("expires", &self.expires)
            .field("progress", &self.reporter.is_set())
            .finish_non_exhaustive()
    }
}

impl ArtifactUpload<'_> {
    /// The `Content-Type` the artifact is served with.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// When the artifact expires (default: when the task does, see
    /// [`Queue::upload_artifact`]).
    pub fn expires(mut self, expires: Time) -> Self {
        self.expires = Some(expires);
        self
    }

    /// Reports progress to `progress` (see [`Progress`](tc_client_object::transfer::Progress)).
    pub fn progress(mut self, progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.reporter = Reporter::new(Arc::new(progress));
        self
    }
}

impl<'a> IntoFuture for ArtifactUpload<'a> {
    type Output = Result<Uploaded>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    // Inline: compiled in the crates that await it, not here with every transfer.
    #[inline]
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

impl ArtifactUpload<'_> {
    /// `createArtifact`, the object upload, `finishArtifact`.
    async fn run(self) -> Result<Uploaded> {
        let queue = self.queue;
        let (task_id, run_id, name) = (&self.task_id, &self.run_id, &self.name);
        let expires = match self.expires {
            Some(expires) => expires,
            None => {
                // The queue answers the expiry it filled in; were it missing, the
                // deadline, which comes before it, is as long as is safe.
                let task = queue.task(task_id.as_str()).await?;
                task.expires.unwrap_or(task.deadline)
            }
        };
        let content_type = self.content_type.as_deref().unwrap_or(DEFAULT_CONTENT_TYPE);
        // Without `contentLength`: the queue copies it into the artifact-created
        // message, whose schema forbids it, and then fails `finishArtifact` with 500
        // (seen on a real v106 deployment).
        let request =
            PostArtifactRequest::Object(PostArtifactRequestObject::new(content_type, expires));
        let answer = queue
            .create_artifact(task_id.as_str(), run_id.as_str(), name.as_str(), &request)
            .await?;
        let PostArtifactResponse::Object(created) = answer else {
            return Err(unexpected_answer(
                "queue.createArtifact",
                "POST",
                queue.create_artifact_url(task_id.as_str(), run_id.as_str(), name.as_str()),
                format!(
                    "the queue did not answer an object artifact request for {name:?} with \
                     storageType object"
                ),
                serde_json::to_string(&answer).unwrap_or_default(),
            ));
        };
        let object: Object = tc_client::__private::transfer::sibling(
            queue.client(),
            Some(Credentials::from(created.credentials)),
        )?;
        let params = UploadParams {
            project_id: &created.project_id,
            name: &created.name,
            content_type,
            expires: created.expires,
            upload_id: &created.upload_id,
        };
        let digests = upload_source(&object, &params, self.source, &self.reporter).await?;
        queue
            .finish_artifact(
                task_id.as_str(),
                run_id.as_str(),
                name.as_str(),
                &FinishArtifactRequest::new(created.upload_id),
            )
            .await?;
        Ok(Uploaded::from(digests))
    }
}

/// The download of an artifact: made by [`Queue::download_artifact`], awaited.
#[must_use = "a download does nothing until it is awaited"]
pub struct ArtifactDownload<'a, D> {
    queue: &'a Queue,
    task_id: PathArg<'a>,
    run_id: Option<PathArg<'a>>,
    name: PathArg<'a>,
    destination: D,
    reporter: Reporter,
}

impl<D> fmt::Debug for ArtifactDownload<'_, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArtifactDownload")
            .field("task_id", &self.task_id)
            .field("run_id", &self.run_id)
            .field("name", &self.name)
            .field("progress", &self.reporter.is_set())
            .finish_non_exhaustive()
    }
}

impl<'a, D> ArtifactDownload<'a, D> {
    /// Downloads the artifact of run `run_id` rather than of the latest run.
    pub fn run_id(mut self, run_id: impl Into<PathArg<'a>>) -> Self {
        self.run_id = Some(run_id.into());
        self
    }

    /// Reports progress to `progress` (see [`Progress`](tc_client_object::transfer::Progress)).
    pub fn progress(mut self, progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.reporter = Reporter::new(Arc::new(progress));
        self
    }
}

impl<'a, D: Destination + 'a> IntoFuture for ArtifactDownload<'a, D> {
    type Output = Result<Downloaded<D::Output>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    // Inline: compiled in the crates that await it, not here with every transfer.
    #[inline]
    fn into_future(self) -> Self::IntoFuture {
        let origin = resolve(self.queue, self.task_id, self.run_id, self.name);
        let received = self.destination.receive(Receiving {
            origin: Box::pin(origin),
            reporter: self.reporter,
        });
        Box::pin(async move {
            let (data, content_type) = received.await?;
            Ok(downloaded(content_type, data))
        })
    }
}

/// Asks the queue where the artifact's content is.
async fn resolve(
    queue: &Queue,
    task_id: PathArg<'_>,
    run_id: Option<PathArg<'_>>,
    name: PathArg<'_>,
) -> Result<Origin> {
    let (task_id, name) = (task_id.as_str(), name.as_str());
    let content = match &run_id {
        Some(run_id) => queue.artifact(task_id, run_id.as_str(), name).await?,
        None => queue.latest_artifact(task_id, name).await?,
    };
    let run = run_id.as_ref().map_or("latest", PathArg::as_str);
    let client = queue.client();
    Ok(match content {
        GetArtifactContentResponse::Object(object) => Origin::Object {
            object: tc_client::__private::transfer::sibling::<Object>(
                client,
                Some(Credentials::from(object.credentials)),
            )?,
            name: object.name.into(),
        },
        GetArtifactContentResponse::S3(s3) => Origin::Url {
            client: client.clone(),
            url: s3.url,
            service_method: "queue.s3Artifact",
        },
        GetArtifactContentResponse::Reference(reference) => Origin::Url {
            client: client.clone(),
            url: reference.url,
            service_method: "queue.referenceArtifact",
        },
        GetArtifactContentResponse::Error(error) => {
            return Err(Error::Artifact {
                artifact: format!("{task_id}/{run}/{name}"),
                reason: error.reason,
                message: error.message,
            });
        }
        other => {
            let (service_method, url) = match &run_id {
                Some(run_id) => (
                    "queue.artifact",
                    queue.artifact_url(task_id, run_id.as_str(), name),
                ),
                None => (
                    "queue.latestArtifact",
                    queue.latest_artifact_url(task_id, name),
                ),
            };
            return Err(unexpected_answer(
                service_method,
                "GET",
                url,
                format!(
                    "artifact {task_id}/{run}/{name} has a storage type this version of \
                     tc-client does not know"
                ),
                serde_json::to_string(&other).unwrap_or_default(),
            ));
        }
    })
}
