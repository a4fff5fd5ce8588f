//! `tc listen` against the local RabbitMQ, with tc-fake publishing the queue's messages
//! there as the real queue does.

mod support;

use support::{args, task_json, tc_async, tc_stdin};

const AMQP: &str = "amqp://guest:guest@127.0.0.1:5672";

fn listen_args(queue: &str, task_id: &str, count: &str) -> Vec<String> {
    [
        "listen",
        "queue",
        "task-defined",
        "--routing-key-part",
        &format!("taskId={task_id}"),
        "--queue",
        queue,
        "--count",
        count,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_prints_typed_messages_as_json_lines() {
    if !tc_test_support::broker_available("listen_prints_typed_messages_as_json_lines") {
        return;
    }
    let fake = tc_fake::TcFake::builder()
        .amqp_url(AMQP)
        .start()
        .await
        .unwrap();
    let env = vec![("PULSE_URL".to_owned(), AMQP.to_owned())];
    let queue = format!("tc-cli-test-{}", tc_client::slugid::nice());
    let task_id = tc_client::slugid::nice();
    let other = tc_client::slugid::nice();

    // A named queue outlives its listener: bind it (no message wanted), publish, read.
    tc_async(env.clone(), listen_args(&queue, &task_id, "0"), None)
        .await
        .ok();
    for id in [&other, &task_id] {
        let task = task_json("cli-listen", "proj-cli/listen", None);
        tc_stdin(
            &fake,
            &["api", "queue", "create-task", id, "--input", "-"],
            &task.to_string(),
        )
        .await
        .ok();
    }
    let run = tc_async(env.clone(), listen_args(&queue, &task_id, "1"), None)
        .await
        .ok();
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let message = &lines[0];
    assert_eq!(
        message["exchange"],
        "exchange/taskcluster-queue/v1/task-defined"
    );
    assert_eq!(
        message["payload"]["status"]["taskId"],
        task_id.as_str(),
        "only the bound task: {message}"
    );
    assert!(message["routingKey"].as_str().unwrap().contains(&task_id));

    let bad = tc_async(
        env.clone(),
        args(&[
            "listen",
            "queue",
            "task-defined",
            "--routing-key-part",
            "nope=1",
        ]),
        None,
    )
    .await;
    assert_eq!(bad.code, 2, "{bad:?}");
    let no_url = tc_async(vec![], listen_args(&queue, &task_id, "1"), None).await;
    assert_eq!(no_url.code, 2, "{no_url:?}");
}
