//! The services with state, through the generated clients: a smoke test of the
//! whole pipeline (Hawk, scopes, input validation with defaults, the service,
//! output validation).

use std::time::Duration;

use tc_client::{ClientBuilder, Credentials, RetryPolicy, Service, Time};

fn client<S: Service>(tc: &tc_fake::TcFake) -> S {
    let (id, token) = tc.root_credentials();
    ClientBuilder::<S>::default()
        .root_url(tc.root_url())
        .credentials(Credentials::new(id, token))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_task_is_created_and_read_back() {
    use tc_client::queue::{Queue, TaskDefinitionRequest, TaskMetadata};

    let tc = tc_fake::start().await.unwrap();
    let queue: Queue = client(&tc);
    let created = Time::now();
    let definition = TaskDefinitionRequest {
        created,
        deadline: created + Duration::from_secs(3600),
        expires: None,
        dependencies: Vec::new(),
        extra: serde_json::Map::new(),
        metadata: TaskMetadata {
            description: "a test task".into(),
            name: "test".into(),
            owner: "nobody@example.com".into(),
            source: "https://github.com/tc-client/tc-client".parse().unwrap(),
        },
        payload: serde_json::json!({"command": [["true"]], "maxRunTime": 60})
            .as_object()
            .cloned()
            .unwrap(),
        priority: None,
        project_id: None,
        provisioner_id: None,
        requires: None,
        retries: None,
        routes: Vec::new(),
        scheduler_id: None,
        scopes: Vec::new(),
        tags: Default::default(),
        task_group_id: None,
        task_queue_id: Some("proj-test/ci".parse().unwrap()),
        worker_type: None,
    };
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
    let secret = Secret {
        expires: Time::from_now("1 day").unwrap(),
        secret: serde_json::json!({"token": "s3cr3t"})
            .as_object()
            .cloned()
            .unwrap(),
    };
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
