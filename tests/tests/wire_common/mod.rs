//! Helpers shared by the wire tests (`tests/wire_*.rs`): generated clients
//! pointed at a tc-fake, a task definition, and API errors taken apart.

// Each wire test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod scripted;

use std::num::NonZeroU64;
use std::time::Duration;

use tc_client::queue::{
    ClaimWorkRequest, PostArtifactRequest, PostArtifactRequestReference, Queue,
    TaskDefinitionRequest, TaskMetadata,
};
use tc_client::{ClientBuilder, Credentials, Error, RetryPolicy, Service, Time};
use tc_fake::{TcFake, TcFakeBuilder};

/// The task queue the wire tests create their tasks in.
pub const TASK_QUEUE: &str = "proj-wire/ci";

/// A worker allowed to claim from [`TASK_QUEUE`] (see [`with_worker`]).
pub const WORKER: (&str, &str) = ("project/wire/worker", "worker-token");
pub const WORKER_GROUP: &str = "wire-workers";
pub const WORKER_ID: &str = "w1";

/// The root client's credentials (scope `*`).
pub fn root_creds(tc: &TcFake) -> Credentials {
    let (id, token) = tc.root_credentials();
    Credentials::new(id, token)
}

/// A client of service `S` on `tc`, with `credentials` (or none), that never retries.
pub fn client_as<S: Service>(tc: &TcFake, credentials: Option<Credentials>) -> S {
    client_with::<S>(tc, credentials, RetryPolicy::none())
}

/// A client of service `S` on `tc` with `credentials` and `policy`.
pub fn client_with<S: Service>(
    tc: &TcFake,
    credentials: Option<Credentials>,
    policy: RetryPolicy,
) -> S {
    ClientBuilder::<S>::default()
        .root_url(tc.root_url())
        .credentials(credentials)
        .retry(policy)
        .build()
        .unwrap()
}

/// A client of service `S` signed as the root client, that never retries.
pub fn root<S: Service>(tc: &TcFake) -> S {
    client_as::<S>(tc, Some(root_creds(tc)))
}

/// A retry policy whose backoff is a millisecond or so, for counting attempts.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

/// The fields of an [`Error::Api`] the tests look at.
#[derive(Debug)]
pub struct ApiFailure {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub service_method: String,
    pub attempts: u32,
}

/// Takes an [`Error::Api`] apart; panics on any other error.
pub fn api_failure(error: &Error) -> ApiFailure {
    match error {
        Error::Api {
            status,
            code,
            message,
            service_method,
            attempts,
            ..
        } => ApiFailure {
            status: *status,
            code: code.clone().unwrap_or_default(),
            message: message.clone(),
            service_method: service_method.clone(),
            attempts: *attempts,
        },
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// A task definition for [`TASK_QUEUE`] with `payload`, due in an hour.
pub fn task_definition(
    name: &str,
    payload: serde_json::Map<String, serde_json::Value>,
) -> TaskDefinitionRequest {
    let metadata = TaskMetadata::new(
        format!("{name}: a task of the wire tests"),
        name,
        "wire-tests@example.com",
        "https://github.com/tc-client/tc-client".parse().unwrap(),
    );
    TaskDefinitionRequest::new(
        Time::now(),
        Time::from_now("1 hour").unwrap(),
        metadata,
        payload,
    )
    .expires(Time::from_now("2 days").unwrap())
    .task_queue_id(TASK_QUEUE.parse().unwrap())
}

/// A payload the queue accepts (it does not look inside).
pub fn trivial_payload() -> serde_json::Map<String, serde_json::Value> {
    serde_json::json!({"command": [["true"]], "maxRunTime": 60})
        .as_object()
        .cloned()
        .unwrap()
}

/// Creates a task in [`TASK_QUEUE`] as root; answers its id.
pub async fn create_task(tc: &TcFake) -> String {
    let task_id = tc_client::slugid::nice();
    root::<Queue>(tc)
        .create_task(&task_id, &task_definition("wire", trivial_payload()))
        .await
        .unwrap();
    task_id
}

/// A fake deployment whose `anonymous` role grants nothing (tc-fake's
/// default, like a real deployment's, grants public reads such as
/// `queue:status:*` to every caller): for tests of what a scope guards.
pub fn nothing_public() -> TcFakeBuilder {
    TcFake::builder().anonymous_scopes(Vec::<String>::new())
}

/// A fake that also knows a worker allowed to claim from [`TASK_QUEUE`].
pub fn with_worker(builder: TcFakeBuilder) -> TcFakeBuilder {
    builder.client(
        WORKER.0,
        WORKER.1,
        [
            format!("queue:claim-work:{TASK_QUEUE}"),
            format!("queue:worker-id:{WORKER_GROUP}/{WORKER_ID}"),
        ],
    )
}

/// Creates a task, claims it with `claimWork` as the worker and, signed with
/// the claim's task credentials, creates a `reference` artifact for each of
/// `artifacts` (name, URL). Answers the task id and the run id.
pub async fn claimed_task_with_references(
    tc: &TcFake,
    artifacts: &[(&str, &str)],
) -> (String, String) {
    let task_id = create_task(tc).await;
    let worker: Queue = client_as(tc, Some(Credentials::new(WORKER.0, WORKER.1)));
    let request = ClaimWorkRequest::new(
        NonZeroU64::new(1).unwrap(),
        WORKER_GROUP.parse().unwrap(),
        WORKER_ID.parse().unwrap(),
    );
    let claims = worker.claim_work(TASK_QUEUE, &request).await.unwrap().tasks;
    assert_eq!(claims.len(), 1, "the task just created is pending");
    let claim = &claims[0];
    assert_eq!(claim.status.task_id.as_str(), task_id);
    let run_id = claim.run_id.to_string();

    let as_task: Queue = client_as(tc, Some(Credentials::from(&claim.credentials)));
    for (name, url) in artifacts {
        let request = PostArtifactRequest::Reference(PostArtifactRequestReference::new(
            "text/plain",
            Time::from_now("1 day").unwrap(),
            *url,
        ));
        as_task
            .create_artifact(&task_id, &run_id, name, &request)
            .await
            .unwrap();
    }
    (task_id, run_id)
}
