//! A tour of the generated API.
//!
//! Without `TASKCLUSTER_ROOT_URL` it starts tc-fake, the in-process fake
//! deployment, and against it creates a task with a typed generic-worker
//! payload, reads it back and signs an artifact URL. With
//! `TASKCLUSTER_ROOT_URL` (and credentials) set, it pings that deployment's
//! queue and reads the status of `TASK_ID` when given.

use std::time::Duration;

use tc_client::payloads::generic_worker::GenericWorkerPayload;
use tc_client::queue::{Queue, TaskDefinitionRequest, TaskMetadata, TaskPriority};
use tc_client::{Credentials, Service, Time};

fn task_definition() -> Result<TaskDefinitionRequest, Box<dyn std::error::Error>> {
    // The payload is typed too: generic-worker's schema, generated. Required
    // fields go to `new`, the others are set by name.
    let command = [vec!["echo".into(), "hello from tc-client".into()]];
    let max_run_time = std::num::NonZeroU64::new(600).ok_or("max run time is zero")?;
    let payload = GenericWorkerPayload::new(command, max_run_time).env([("LANG", "C.UTF-8")]);
    let payload = tc_client::payloads::to_payload(&payload)?;
    let metadata = TaskMetadata::new(
        "A task built with typed structs",
        "tc-client tour",
        "tour@example.com",
        "https://github.com/tc-client/tc-client".parse()?,
    );
    Ok(
        TaskDefinitionRequest::new(Time::now(), Time::from_now("1 day")?, metadata, payload)
            .expires(Time::from_now("1 week")?)
            .task_queue_id("proj-example/ci".parse()?)
            .priority(TaskPriority::Low)
            .retries(2),
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A real deployment when TASKCLUSTER_ROOT_URL is set; else tc-fake, in-process.
    let (fake, queue) = match std::env::var("TASKCLUSTER_ROOT_URL") {
        Ok(_) => (None, Queue::from_env()?),
        Err(_) => {
            let fake = tc_fake::start().await?;
            let (client_id, access_token) = fake.root_credentials();
            let queue = Queue::new(
                Some(Credentials::new(client_id, access_token)),
                fake.root_url(),
            )?;
            (Some(fake), queue)
        }
    };
    println!("deployment: {}", queue.client().root_url());
    queue.ping().await?;
    println!("queue answers ping");

    let task_id = tc_client::slugid::nice();
    println!("createTask URL: {}", queue.create_task_url(&task_id)?);
    if fake.is_some() {
        // Only against the fake: a real deployment would get a task nobody runs.
        let task = task_definition()?;
        let status = queue.create_task(&task_id, &task).await?;
        println!("created task {task_id}: {}", status.status.state);
        let stored = queue.task(&task_id).await?;
        println!(
            "its payload, read back:\n{}",
            serde_json::to_string_pretty(&stored.payload)?
        );
    } else if let Ok(existing) = std::env::var("TASK_ID") {
        let status = queue.status(&existing).await?;
        println!("status of {existing}: {}", status.status.state);
    }
    if queue.client().credentials().is_some() {
        let url = queue.get_latest_artifact_signed_url(
            &task_id,
            "public/logs/live.log",
            Duration::from_secs(600),
        )?;
        println!("signed artifact URL (10 minutes): {url}");
    }
    Ok(())
}
