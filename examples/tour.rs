//! A tour of the generated API.
//!
//! Without `TASKCLUSTER_ROOT_URL` it works offline: it builds a typed task
//! definition with a typed generic-worker payload, prints it as the JSON the
//! queue would receive, and prints the URLs the client would call. With
//! `TASKCLUSTER_ROOT_URL` (and optionally credentials) set, it also pings the
//! queue of that deployment and reads the status of `TASK_ID` when given.

use std::time::Duration;

use tc_client::payloads::generic_worker::GenericWorkerPayload;
use tc_client::queue::{Queue, TaskDefinitionRequest, TaskMetadata};
use tc_client::{Service, Time};

fn task_definition() -> Result<TaskDefinitionRequest, Box<dyn std::error::Error>> {
    let payload: GenericWorkerPayload = serde_json::from_value(serde_json::json!({
        "command": [["echo", "hello from tc-client"]],
        "maxRunTime": 600
    }))?;
    let payload = match serde_json::to_value(&payload)? {
        serde_json::Value::Object(map) => map,
        _ => return Err("a payload is a JSON object".into()),
    };
    let metadata: TaskMetadata = serde_json::from_value(serde_json::json!({
        "name": "tc-client tour",
        "description": "A task built with typed structs",
        "owner": "tour@example.com",
        "source": "https://github.com/tc-client/tc-client"
    }))?;
    Ok(TaskDefinitionRequest {
        created: Time::now(),
        deadline: Time::from_now("1 day")?,
        expires: Some(Time::from_now("1 week")?),
        metadata,
        payload,
        task_queue_id: Some("proj-example/ci".parse()?),
        ..serde_json::from_value(serde_json::json!({
            "created": Time::now(), "deadline": Time::now(),
            "metadata": {"name": "", "description": "", "owner": "a@b.c", "source": "https://x"},
            "payload": {}
        }))?
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let task = task_definition()?;
    println!("task definition:\n{}", serde_json::to_string_pretty(&task)?);

    let task_id = tc_client::slugid::nice();
    let root_url = std::env::var("TASKCLUSTER_ROOT_URL").ok();
    let queue = match &root_url {
        Some(_) => Queue::from_env()?,
        None => Queue::new(None, "https://tc.example.com")?,
    };
    println!("createTask URL: {}", queue.create_task_url(&task_id)?);
    println!("task status URL: {}", queue.status_url(&task_id)?);
    let signing = Queue::new(
        Some(tc_client::Credentials::new(
            "tour-client",
            "not-a-real-token",
        )),
        queue.client().root_url(),
    )?;
    println!(
        "signed artifact URL: {}",
        signing.get_latest_artifact_signed_url(
            &task_id,
            "public/logs/live.log",
            Duration::from_secs(600)
        )?
    );

    if root_url.is_some() {
        queue.ping().await?;
        println!("queue answers ping");
        if let Ok(existing) = std::env::var("TASK_ID") {
            let status = queue.status(&existing).await?;
            println!("status of {existing}: {:?}", status.status.state);
        }
    }
    Ok(())
}
