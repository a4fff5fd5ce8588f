//! The services with state, through the generated clients: a smoke test of the
//! whole pipeline (Hawk, scopes, input validation with defaults, the service,
//! output validation).

use tc_client::Time;
use tc_test_support::{object, root as client, task_definition};

#[tokio::test]
async fn a_task_is_created_and_read_back() {
    use tc_client::queue::Queue;

    let tc = tc_fake::start().await.unwrap();
    let queue: Queue = client(&tc);
    let mut definition = task_definition("test", "proj-test/ci");
    definition.payload = object(serde_json::json!({"command": [["true"]], "maxRunTime": 60}));
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = events.clone();
    tc.on_queue_event(move |exchange, _key, _cc, message| {
        seen.lock().unwrap().push((exchange.to_owned(), message));
    });
    let task_id = tc_client::slugid::nice();
    let status = queue.create_task(&task_id, &definition).await.unwrap();
    let exchanges: Vec<String> = events.lock().unwrap().iter().map(|e| e.0.clone()).collect();
    assert!(
        exchanges.contains(&"exchange/taskcluster-queue/v1/task-defined".to_owned()),
        "{exchanges:?}"
    );
    assert_eq!(status.status.task_id.to_string(), task_id);

    let task = queue.task(&task_id).await.unwrap();
    assert_eq!(task.metadata.name, "test");
    // the defaults of the input schema were filled in
    assert_eq!(task.retries, 5);
    queue.status(&task_id).await.unwrap();
    assert_eq!(tc.requests("queue", "createTask"), 1);

    let error = queue.task("fNDMpOlVQkq4lsh3M3YdwA").await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
}

#[tokio::test]
async fn secrets_are_kept() {
    use tc_client::secrets::{Secret, Secrets};

    let tc = tc_fake::start().await.unwrap();
    let secrets: Secrets = client(&tc);
    let secret = Secret::new(Time::from_now("1 day").unwrap(), [("token", "s3cr3t")]);
    secrets.set("project/x/deploy", &secret).await.unwrap();
    let fetched = secrets.get("project/x/deploy").await.unwrap();
    assert_eq!(fetched.secret["token"], "s3cr3t");
    secrets.remove("project/x/deploy").await.unwrap();
    let error = secrets.get("project/x/deploy").await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
}

#[tokio::test]
async fn the_root_client_holds_star() {
    use tc_client::auth::Auth;

    let tc = tc_fake::start().await.unwrap();
    let auth: Auth = client(&tc);
    let scopes = auth.current_scopes().await.unwrap();
    let scopes: Vec<String> = scopes
        .scopes
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    assert_eq!(scopes, vec!["*".to_owned()]);
}
