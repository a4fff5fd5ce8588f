//! Helpers shared by the wire tests (`tests/wire_*.rs`): their task queue and
//! worker, their tasks, and API errors taken apart; the clients of a tc-fake
//! come from tc-test-support, as in the other crates' tests.

// Each wire test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod scripted;

use tc_client::queue::{
    PostArtifactRequest, PostArtifactRequestReference, Queue, TaskDefinitionRequest,
};
use tc_client::{Credentials, Time};
use tc_fake::{TcFake, TcFakeBuilder};
use tc_test_support::{ClaimedTask, Worker, claimed_task};

/// The task queue the wire tests create their tasks in.
pub const TASK_QUEUE: &str = "proj-wire/ci";

/// A worker allowed to claim from [`TASK_QUEUE`] (see [`with_worker`]).
pub const WORKER: (&str, &str) = ("project/wire/worker", "worker-token");
pub const WORKER_GROUP: &str = "wire-workers";
pub const WORKER_ID: &str = "w1";

// The clients of the fake, under the names the wire tests call them by.
#[allow(unused_imports)]
pub use tc_test_support::{
    client as client_as, client_with, nothing_public, quick_retries, root,
    root_credentials as root_creds,
};

#[allow(unused_imports)]
pub use tc_test_support::{ApiFailure, api_failure};

/// A task definition for [`TASK_QUEUE`] with `payload`, due in an hour.
pub fn task_definition(
    name: &str,
    payload: serde_json::Map<String, serde_json::Value>,
) -> TaskDefinitionRequest {
    let mut definition = tc_test_support::task_definition(name, TASK_QUEUE);
    definition.payload = payload;
    definition
}

/// A payload the queue accepts (it does not look inside).
pub fn trivial_payload() -> serde_json::Map<String, serde_json::Value> {
    tc_test_support::object(serde_json::json!({"command": [["true"]], "maxRunTime": 60}))
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
    let worker: Queue = client_as(tc, Some(Credentials::new(WORKER.0, WORKER.1)));
    let worker = Worker {
        queue: &worker,
        group: WORKER_GROUP,
        id: WORKER_ID,
    };
    let definition = task_definition("wire", trivial_payload());
    let ClaimedTask {
        task_id,
        run_id,
        credentials,
    } = claimed_task(
        &root::<Queue>(tc),
        &tc_client::slugid::nice(),
        &definition,
        worker,
    )
    .await;

    let as_task: Queue = client_as(tc, Some(credentials));
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
