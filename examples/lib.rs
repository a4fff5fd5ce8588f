//! Runnable examples of tc-client; see the `[[example]]` entries of Cargo.toml.
//!
//! This library holds what several examples share: choosing between tc-fake
//! (started in-process) and the deployment of `TASKCLUSTER_ROOT_URL`, reading
//! the inputs an example takes from the environment, and, against tc-fake,
//! making a task with a claimed run to hang artifacts on.

use std::num::NonZeroU64;

use tc_client::queue::{ClaimWorkRequest, Queue, TaskDefinitionRequest, TaskMetadata};
use tc_client::{ClientBuilder, Credentials, Service, Time};
use tc_fake::TcFake;

/// The error type of the examples.
pub type BoxError = Box<dyn std::error::Error>;

/// Where an example runs: tc-fake, started in-process, when
/// `TASKCLUSTER_ROOT_URL` is unset; else the deployment it names, with the
/// credentials of `TASKCLUSTER_CLIENT_ID`, `TASKCLUSTER_ACCESS_TOKEN` and
/// `TASKCLUSTER_CERTIFICATE`.
#[derive(Debug)]
pub struct Deployment {
    fake: Option<TcFake>,
    root_url: String,
    credentials: Option<Credentials>,
}

impl Deployment {
    /// Starts tc-fake, or reads the deployment from the environment when
    /// `TASKCLUSTER_ROOT_URL` is set.
    ///
    /// # Errors
    ///
    /// When tc-fake cannot start (its references are missing: run `cargo
    /// xtask references import`) or the credentials variables are
    /// inconsistent.
    pub async fn start_or_from_env() -> Result<Deployment, BoxError> {
        match non_empty_env("TASKCLUSTER_ROOT_URL") {
            Some(root_url) => Ok(Deployment {
                fake: None,
                root_url,
                credentials: Credentials::from_env_optional()?,
            }),
            None => {
                let fake = tc_fake::start().await?;
                let (client_id, access_token) = fake.root_credentials();
                Ok(Deployment {
                    root_url: fake.root_url().to_owned(),
                    credentials: Some(Credentials::new(client_id, access_token)),
                    fake: Some(fake),
                })
            }
        }
    }

    /// The fake deployment, when the example runs against tc-fake.
    pub fn fake(&self) -> Option<&TcFake> {
        self.fake.as_ref()
    }

    /// The root URL of the deployment.
    pub fn root_url(&self) -> &str {
        &self.root_url
    }

    /// The credentials the example signs with: tc-fake's root client (scope
    /// `*`), or those of the environment (none when unset).
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The credentials, or an error explaining which variables to set.
    ///
    /// # Errors
    ///
    /// Against a real deployment without `TASKCLUSTER_CLIENT_ID` and
    /// `TASKCLUSTER_ACCESS_TOKEN`.
    pub fn require_credentials(&self) -> Result<&Credentials, BoxError> {
        self.credentials.as_ref().ok_or_else(|| {
            "this example needs credentials: set TASKCLUSTER_CLIENT_ID and TASKCLUSTER_ACCESS_TOKEN"
                .into()
        })
    }

    /// One line naming the deployment, printed first by every example.
    pub fn describe(&self) -> String {
        match &self.fake {
            Some(_) => format!("tc-fake (in-process) at {}", self.root_url),
            None => format!("{} (TASKCLUSTER_ROOT_URL)", self.root_url),
        }
    }

    /// A builder of a client of service `S` for this deployment, signing
    /// with [`credentials`](Self::credentials).
    pub fn builder<S: Service>(&self) -> ClientBuilder<S> {
        ClientBuilder::<S>::default()
            .root_url(&self.root_url)
            .credentials(self.credentials.clone())
    }

    /// A client of service `S` for this deployment, signing with
    /// [`credentials`](Self::credentials).
    ///
    /// # Errors
    ///
    /// When the root URL is not a URL.
    pub fn client<S: Service>(&self) -> Result<S, BoxError> {
        Ok(self.builder::<S>().build()?)
    }
}

/// The value of environment variable `name`, when set and not empty.
pub fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The value of environment variable `name`, or an error saying what it is
/// for.
///
/// # Errors
///
/// When the variable is unset or empty: the message names it and carries
/// `purpose`.
pub fn required_env(name: &str, purpose: &str) -> Result<String, BoxError> {
    non_empty_env(name).ok_or_else(|| {
        format!("against a real deployment, set {name}: {purpose} (unset TASKCLUSTER_ROOT_URL to run against tc-fake)").into()
    })
}

/// A task of the examples with a claimed run, as a worker would hold it.
#[derive(Debug)]
pub struct ClaimedRun {
    /// The task's id.
    pub task_id: String,
    /// The claimed run (`"0"`).
    pub run_id: String,
    /// When the task expires: its artifacts may not outlive it.
    pub expires: Time,
    /// A queue client signed with the claim's temporary task credentials,
    /// which may create artifacts on the run.
    pub worker: Queue,
}

/// A task definition in `task_queue_id` whose payload is left empty (no
/// worker runs it); due in an hour, expiring in a day.
///
/// # Errors
///
/// When `task_queue_id` is not a task queue id.
pub fn bare_task(name: &str, task_queue_id: &str) -> Result<TaskDefinitionRequest, BoxError> {
    let metadata = TaskMetadata::new(
        format!("a task of tc-client's {name} example"),
        name,
        "examples@example.com",
        "https://github.com/tc-client/tc-client".parse()?,
    );
    let payload = serde_json::Map::new();
    Ok(
        TaskDefinitionRequest::new(Time::now(), Time::from_now("1 hour")?, metadata, payload)
            .expires(Time::from_now("1 day")?)
            .task_queue_id(task_queue_id.parse()?),
    )
}

/// Creates a task named `name` in a task queue of its own with `queue`, then
/// claims it with `claimWork` (as a worker would): answers the task, its run
/// and a client with the claim's task credentials.
///
/// # Errors
///
/// When a call fails, or the claim does not answer the task just created.
pub async fn create_and_claim_task(
    deployment: &Deployment,
    queue: &Queue,
    name: &str,
) -> Result<ClaimedRun, BoxError> {
    // A task queue nobody else uses, so the claim can only get this task.
    let task_queue_id = format!(
        "proj-examples/q{}",
        tc_client::slugid::nice()
            .to_lowercase()
            .replace(['_', '-'], "")
    );
    let task_id = tc_client::slugid::nice();
    let definition = bare_task(name, &task_queue_id)?;
    let expires = definition.expires.unwrap_or(definition.deadline);
    queue.create_task(&task_id, &definition).await?;
    let claims = queue
        .claim_work(
            &task_queue_id,
            &ClaimWorkRequest::new(
                NonZeroU64::MIN,
                "example-workers".parse()?,
                "worker-1".parse()?,
            ),
        )
        .await?
        .tasks;
    let claim = claims
        .into_iter()
        .find(|claim| claim.status.task_id.as_str() == task_id)
        .ok_or("claimWork did not answer the task just created")?;
    let worker = deployment
        .builder::<Queue>()
        .credentials(Credentials::from(&claim.credentials))
        .build()?;
    Ok(ClaimedRun {
        task_id,
        run_id: claim.run_id.to_string(),
        expires,
        worker,
    })
}
