//! Creating a task with a typed generic-worker payload, then reading its
//! status, as the Go client's create-task example does (without the payload
//! types copied by hand: `tc_client::payloads::generic_worker` is generated
//! from generic-worker's schema).
//!
//! The deadline and expiry come from `Time::from_now` ("3 hours", "1 day"),
//! the task id from `slugid::nice`. The example prints the definition it
//! sends, the state `createTask` answers, then `status` and the payload read
//! back with `task`, decoded into the typed payload again.
//!
//! Without `TASKCLUSTER_ROOT_URL` it runs against tc-fake, started
//! in-process, in task queue `proj-examples/generic-worker`. Against a real
//! deployment the task is really scheduled, so the task queue must be named:
//!
//! ```sh
//! TASKCLUSTER_ROOT_URL=https://tc.example.com \
//! TASKCLUSTER_CLIENT_ID=... TASKCLUSTER_ACCESS_TOKEN=... \
//! TASK_QUEUE_ID=proj-example/generic-worker-linux \
//! cargo run --example create_task
//! ```
//!
//! The client needs `queue:create-task:low:<TASK_QUEUE_ID>`,
//! `queue:scheduler-id:-` and `queue:create-task:project:none` (and
//! `queue:get-task:<taskId>` / `queue:status:<taskId>` where reading is not
//! public).

use std::num::NonZeroU64;

use tc_client::Time;
use tc_client::payloads::generic_worker::{
    Artifact, ArtifactUploadType, FeatureFlags, GenericWorkerPayload,
};
use tc_client::queue::{Queue, TaskDefinitionRequest, TaskMetadata, TaskPriority};
use tc_examples::{BoxError, Deployment, required_env};

/// The task queue of the task on tc-fake.
const FAKE_TASK_QUEUE: &str = "proj-examples/generic-worker";

/// The typed payload: two commands, an environment, an artifact and features.
fn payload() -> Result<GenericWorkerPayload, BoxError> {
    let commands = [
        vec!["/bin/bash".into(), "-c".into(), "echo Hello World!".into()],
        vec![
            "/bin/bash".into(),
            "-c".into(),
            "echo \"$GREETING\" > hello.txt".into(),
        ],
    ];
    let max_run_time = NonZeroU64::new(600).ok_or("the maximum run time is zero")?;
    let hello = Artifact::new("hello.txt", ArtifactUploadType::File)
        .name("public/hello.txt")
        .content_type("text/plain");
    Ok(GenericWorkerPayload::new(commands, max_run_time)
        .env([("GREETING", "hello from tc-client")])
        .artifacts([hello])
        .features(FeatureFlags::new().backing_log(true).live_log(true)))
}

/// The task definition, with `payload` as its payload.
fn task_definition(
    task_queue_id: &str,
    payload: &GenericWorkerPayload,
) -> Result<TaskDefinitionRequest, BoxError> {
    // The queue takes any JSON object as a payload; the typed struct becomes one.
    let payload = tc_client::payloads::to_payload(payload)?;
    let metadata = TaskMetadata::new(
        "Says hello and publishes public/hello.txt",
        "tc-client create_task example",
        "examples@example.com",
        "https://github.com/tc-client/tc-client".parse()?,
    );
    Ok(
        TaskDefinitionRequest::new(Time::now(), Time::from_now("3 hours")?, metadata, payload)
            .expires(Time::from_now("1 day")?)
            .task_queue_id(task_queue_id.parse()?)
            .priority(TaskPriority::Low)
            .retries(5)
            .tags([("example", "create_task")]),
    )
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let deployment = Deployment::start_or_from_env().await?;
    println!("deployment: {}", deployment.describe());
    let task_queue_id = match deployment.fake() {
        Some(_) => FAKE_TASK_QUEUE.to_owned(),
        None => required_env(
            "TASK_QUEUE_ID",
            "the task queue (provisionerId/workerType) of generic-workers to run the task",
        )?,
    };
    let queue: Queue = deployment.client()?;

    let task_id = tc_client::slugid::nice();
    let definition = task_definition(&task_queue_id, &payload()?)?;
    println!("task {task_id} in {task_queue_id}");
    println!("  created:  {}", definition.created);
    println!("  deadline: {} (3 hours from now)", definition.deadline);
    if let Some(expires) = definition.expires {
        println!("  expires:  {expires} (1 day from now)");
    }

    let created = queue.create_task(&task_id, &definition).await?;
    println!("createTask answered state {}", created.status.state);

    let status = queue.status(&task_id).await?.status;
    println!(
        "status: state {}, deadline {}, expires {}, {} run(s), {} retries left",
        status.state,
        status.deadline,
        status.expires,
        status.runs.len(),
        status.retries_left
    );
    for run in &status.runs {
        println!(
            "  run {}: {} ({}, scheduled {})",
            run.run_id, run.state, run.reason_created, run.scheduled
        );
    }

    // The stored payload, decoded into the typed struct again.
    let stored = queue.task(&task_id).await?;
    let read_back: GenericWorkerPayload =
        serde_json::from_value(serde_json::Value::Object(stored.payload))?;
    for command in &read_back.command {
        println!("payload command: {}", command.join(" "));
    }
    println!(
        "payload maxRunTime: {} s, artifacts: {}",
        read_back.max_run_time,
        read_back
            .artifacts
            .iter()
            .filter_map(|a| a.name.as_deref())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("inspect it: {}", queue.task_url(&task_id)?);
    Ok(())
}
