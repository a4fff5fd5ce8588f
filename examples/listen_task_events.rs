//! Listening to the queue's Pulse events, as the Go client's AMQP example does.
//!
//! Without `TASKCLUSTER_ROOT_URL` it starts tc-fake publishing to the AMQP broker
//! of `PULSE_URL` (default `amqp://guest:guest@127.0.0.1:5672`, a local
//! RabbitMQ), listens to task-defined, task-pending, task-running and
//! task-completed for a task group it makes up, creates two tasks in that group,
//! claims and completes them, and prints the 8 events as they arrive (30 s at
//! most). The queue is exclusive and deleted at the end.
//!
//! With `TASKCLUSTER_ROOT_URL` set, it listens to task-completed on the broker of
//! `PULSE_URL` as `PULSE_USER` for 60 s and prints what comes.

use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tc_client::pulse::{Listener, Messages};
use tc_client::queue::events::{TaskCompleted, TaskDefined, TaskPending, TaskRunning};
use tc_client::queue::{ClaimWorkRequest, Queue, TaskDefinitionRequest, TaskMetadata};
use tc_client::{Binding, Credentials, Time};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const DEFAULT_PULSE_URL: &str = "amqp://guest:guest@127.0.0.1:5672";

fn task(task_group_id: &str, task_queue_id: &str) -> Result<TaskDefinitionRequest, BoxError> {
    let metadata = TaskMetadata::new(
        "a task of the listen_task_events example",
        "listen_task_events",
        "example@example.com",
        "https://github.com/tc-client/tc-client".parse()?,
    );
    let payload = tc_client::serde_json::Map::new();
    Ok(
        TaskDefinitionRequest::new(Time::now(), Time::from_now("1 hour")?, metadata, payload)
            .expires(Time::from_now("1 day")?)
            .task_queue_id(task_queue_id.parse()?)
            .task_group_id(task_group_id.parse()?),
    )
}

/// One event: its name and task id.
type Event = tc_client::Result<(&'static str, String)>;

/// The events of one binding's stream, each acknowledged once read.
fn named<B>(
    messages: Messages<B>,
    name: &'static str,
    task_id: fn(&B::Message) -> String,
) -> BoxStream<'static, Event>
where
    B: Binding + Send + 'static,
    B::Message: Send,
{
    messages
        .then(move |message| async move {
            let message = message?;
            let id = task_id(&message.payload);
            message.ack().await?;
            Ok((name, id))
        })
        .boxed()
}

/// Against a real deployment: task-completed messages for a minute.
async fn listen_real(pulse_url: &str) -> Result<(), BoxError> {
    let user = std::env::var("PULSE_USER").map_err(|_| "PULSE_USER is not set")?;
    let listener = Listener::builder(pulse_url, &user, &tc_client::slugid::nice())
        .exclusive(true)
        .connect()
        .await?;
    let mut completed = listener.listen(TaskCompleted::default()).await?;
    let deadline = tokio::time::sleep(Duration::from_secs(60));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            () = &mut deadline => break,
            message = completed.next() => match message {
                Some(Ok(message)) => {
                    println!("task-completed {}", message.payload.status.task_id.as_str());
                    message.ack().await?;
                }
                Some(Err(e)) => eprintln!("skipped a message: {e}"),
                None => break,
            },
        }
    }
    drop(completed);
    listener.delete_queue().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let pulse_url = std::env::var("PULSE_URL").unwrap_or_else(|_| DEFAULT_PULSE_URL.to_owned());
    if std::env::var_os("TASKCLUSTER_ROOT_URL").is_some() {
        return listen_real(&pulse_url).await;
    }

    let fake = tc_fake::TcFake::builder()
        .amqp_url(&pulse_url)
        .start()
        .await?;
    let (client_id, access_token) = fake.root_credentials();
    let queue = Queue::new(
        Some(Credentials::new(client_id, access_token)),
        fake.root_url(),
    )?;

    // An exclusive queue: the broker deletes it when the connection closes.
    let listener = Listener::builder(
        &pulse_url,
        "tc-client-example",
        &format!("listen-task-events-{}", tc_client::slugid::nice()),
    )
    .exclusive(true)
    .connect()
    .await?;
    let task_group_id = tc_client::slugid::nice();
    let group = Some(task_group_id.clone());
    let streams = vec![
        named(
            listener
                .listen(TaskDefined {
                    task_group_id: group.clone(),
                    ..Default::default()
                })
                .await?,
            "task-defined",
            |m| m.status.task_id.to_string(),
        ),
        named(
            listener
                .listen(TaskPending {
                    task_group_id: group.clone(),
                    ..Default::default()
                })
                .await?,
            "task-pending",
            |m| m.status.task_id.to_string(),
        ),
        named(
            listener
                .listen(TaskRunning {
                    task_group_id: group.clone(),
                    ..Default::default()
                })
                .await?,
            "task-running",
            |m| m.status.task_id.to_string(),
        ),
        named(
            listener
                .listen(TaskCompleted {
                    task_group_id: group.clone(),
                    ..Default::default()
                })
                .await?,
            "task-completed",
            |m| m.status.task_id.to_string(),
        ),
    ];
    let mut events = futures_util::stream::select_all(streams);
    println!(
        "listening on {} for task group {task_group_id}",
        listener.queue_name()
    );

    // Two tasks of the group, claimed and completed as a worker would.
    let task_queue_id = format!(
        "proj-example/t{}",
        tc_client::slugid::nice().to_lowercase().replace('_', "-")
    );
    let mut task_ids = Vec::new();
    for _ in 0..2 {
        let task_id = tc_client::slugid::nice();
        queue
            .create_task(&task_id, &task(&task_group_id, &task_queue_id)?)
            .await?;
        task_ids.push(task_id);
    }
    let claimed = queue
        .claim_work(
            &task_queue_id,
            &ClaimWorkRequest::new(
                std::num::NonZeroU64::new(2).ok_or("zero tasks")?,
                "example-workers".parse()?,
                "worker-1".parse()?,
            ),
        )
        .await?
        .tasks;
    for claim in &claimed {
        queue
            .report_completed(&claim.status.task_id, claim.run_id)
            .await?;
    }

    let mut seen = 0;
    let wait = tokio::time::timeout(Duration::from_secs(30), async {
        while seen < 2 * 4 {
            match events.next().await {
                Some(Ok((event, task_id))) => {
                    println!("{event} {task_id}");
                    seen += 1;
                }
                Some(Err(e)) => eprintln!("skipped a message: {e}"),
                None => break,
            }
        }
    })
    .await;
    drop(events);
    listener.delete_queue().await?;
    match wait {
        Ok(()) if seen == 8 => {
            println!("saw all {seen} events of tasks {}", task_ids.join(", "));
            Ok(())
        }
        _ => Err(format!("saw {seen} of 8 events within 30 s").into()),
    }
}
