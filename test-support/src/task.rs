//! The task definition of the tests, and a task with a claimed run.

use std::num::NonZeroU64;
use std::time::Duration;

use tc_client::queue::{ClaimWorkRequest, Queue, TaskDefinitionRequest, TaskMetadata};
use tc_client::{Credentials, Time};

/// The `source` of every test task.
pub const SOURCE: &str = "https://github.com/tc-client/tc-client";

/// The task definition of the tests: `name` (its metadata's name) in `task_queue_id`,
/// with an empty payload (no worker runs it), created now and due in an hour. Every
/// other field is left to the queue's defaults (`expires` a year after the deadline,
/// `retries`, `projectId` `none`, ...); set them on the answer.
pub fn task_definition(name: &str, task_queue_id: &str) -> TaskDefinitionRequest {
    let metadata = TaskMetadata::new(
        format!("{name}: a task of tc-client's tests"),
        name,
        "tests@example.com",
        SOURCE.parse().unwrap(),
    );
    let created = Time::now();
    TaskDefinitionRequest::new(
        created,
        created + Duration::from_secs(3600),
        metadata,
        serde_json::Map::new(),
    )
    .task_queue_id(task_queue_id.parse().unwrap())
}

/// Who claims a task: a queue client allowed to `claimWork` from the task's queue as
/// worker `group/id`.
#[derive(Debug, Clone, Copy)]
pub struct Worker<'a> {
    /// Signed with the worker's credentials.
    pub queue: &'a Queue,
    /// Its worker group.
    pub group: &'a str,
    /// Its worker id.
    pub id: &'a str,
}

impl<'a> Worker<'a> {
    /// The caller of `queue` as worker `wg/wi`.
    pub fn new(queue: &'a Queue) -> Worker<'a> {
        Worker {
            queue,
            group: "wg",
            id: "wi",
        }
    }
}

/// A task with a claimed run.
#[derive(Debug, Clone)]
pub struct ClaimedTask {
    /// The task's id.
    pub task_id: String,
    /// The claimed run's id (`0`).
    pub run_id: String,
    /// The claim's task credentials (temporary; they may create artifacts on the run).
    pub credentials: Credentials,
}

/// Creates task `task_id` from `definition` with `queue`, then claims it with
/// `claimWork` from its task queue as `worker`. The task queue must hold no other
/// pending task: the claim must be this task's.
pub async fn claimed_task(
    queue: &Queue,
    task_id: &str,
    definition: &TaskDefinitionRequest,
    worker: Worker<'_>,
) -> ClaimedTask {
    queue.create_task(task_id, definition).await.unwrap();
    let task_queue_id = definition
        .task_queue_id
        .as_ref()
        .expect("a definition with a task queue id");
    let request = ClaimWorkRequest::new(
        NonZeroU64::MIN,
        worker.group.parse().unwrap(),
        worker.id.parse().unwrap(),
    );
    let claims = worker
        .queue
        .claim_work(task_queue_id.as_str(), &request)
        .await
        .unwrap()
        .tasks;
    assert_eq!(claims.len(), 1, "the task just created is pending");
    let claim = &claims[0];
    assert_eq!(claim.status.task_id.as_str(), task_id);
    ClaimedTask {
        run_id: claim.run_id.to_string(),
        credentials: Credentials::from(&claim.credentials),
        task_id: task_id.to_owned(),
    }
}

/// A run to hang artifacts on: a task named `artifacts` of project `project_id` in
/// `task_queue_id`, created and claimed (as worker `wg/wi`) by the caller of `queue`.
pub async fn artifacts_task(queue: &Queue, project_id: &str, task_queue_id: &str) -> ClaimedTask {
    let definition =
        task_definition("artifacts", task_queue_id).project_id(project_id.parse().unwrap());
    let task_id = tc_client::slugid::nice();
    claimed_task(queue, &task_id, &definition, Worker::new(queue)).await
}
