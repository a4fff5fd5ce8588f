//! A tour of the generated API.
//!
//! Without `TASKCLUSTER_ROOT_URL` it works offline: it builds a typed task
//! definition with a typed generic-worker payload, prints it as the JSON the
//! queue would receive, and prints the URLs the client would call. With
//! `TASKCLUSTER_ROOT_URL` (and optionally credentials) set, it also pings the
//! queue of that deployment and reads the status of `TASK_ID` when given.

use std::time::Duration;

use tc_client::payloads::generic_worker::GenericWorkerPayload;
use tc_client::queue::{Queue, TaskDefinitionRequest, TaskMetadata, TaskPriority};
use tc_client::{Service, Time};

fn task_definition() -> Result<TaskDefinitionRequest, Box<dyn std::error::Error>> {
    // The payload is typed too: generic-worker's schema, generated.
    let payload = GenericWorkerPayload {
        command: vec![vec!["echo".into(), "hello from tc-client".into()]],
        max_run_time: std::num::NonZeroU64::new(600).ok_or("max run time is zero")?,
        env: [("LANG".to_string(), "C.UTF-8".to_string())].into(),
        artifacts: Vec::new(),
        features: None,
        logs: None,
        mounts: Vec::new(),
        on_exit_status: None,
        os_groups: Vec::new(),
        superseder_url: None,
        taskcluster_proxy_interface: None,
    };
    let payload = match serde_json::to_value(&payload)? {
        serde_json::Value::Object(map) => map,
        _ => return Err("a payload is a JSON object".into()),
    };
    Ok(TaskDefinitionRequest {
        created: Time::now(),
        deadline: Time::from_now("1 day")?,
        expires: Some(Time::from_now("1 week")?),
        metadata: TaskMetadata {
            name: "tc-client tour".into(),
            description: "A task built with typed structs".into(),
            owner: "tour@example.com".into(),
            source: "https://github.com/tc-client/tc-client".parse()?,
        },
        payload,
        task_queue_id: Some("proj-example/ci".parse()?),
        priority: Some(TaskPriority::Low),
        dependencies: Vec::new(),
        extra: Default::default(),
        project_id: None,
        provisioner_id: None,
        requires: None,
        retries: Some(2),
        routes: Vec::new(),
        scheduler_id: None,
        scopes: Vec::new(),
        tags: Default::default(),
        task_group_id: None,
        worker_type: None,
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
