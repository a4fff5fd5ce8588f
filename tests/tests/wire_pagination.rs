//! The generated `_all` helpers walk every page of a `continuationToken`
//! listing as one `Stream`, over real HTTP against tc-fake.

mod wire_common;

use futures_util::StreamExt;
use tc_client::auth::{Auth, CreateClientRequest};
use tc_client::queue::Queue;
use tc_client::secrets::{Secret, Secrets};
use tc_client::{Credentials, Time};
use tc_fake::TcFake;
use wire_common::{
    claimed_task_with_references, client_as, client_with, quick_retries, root, with_worker,
};

/// A fake holding secrets `project/wire/s0` .. `s<n-1>`.
async fn fake_with_secrets(n: usize) -> (TcFake, Vec<String>) {
    let tc = tc_fake::start().await.unwrap();
    let admin: Secrets = root(&tc);
    let mut names = Vec::new();
    for i in 0..n {
        let name = format!("project/wire/s{i}");
        let secret = Secret::new(Time::from_now("1 day").unwrap(), serde_json::Map::new());
        admin.set(&name, &secret).await.unwrap();
        names.push(name);
    }
    names.sort();
    (tc, names)
}

#[tokio::test]
async fn secrets_list_all_walks_four_pages_of_two_and_yields_all_seven_names() {
    let (tc, expected) = fake_with_secrets(7).await;
    let secrets: Secrets = root(&tc);
    let mut names: Vec<String> = secrets
        .list()
        .limit(2)
        .all()
        .map(|item| item.unwrap())
        .collect()
        .await;
    names.sort();
    assert_eq!(names, expected);
    assert_eq!(tc.requests("secrets", "list"), 4, "pages of 2, 2, 2 and 1");

    // Without a limit the fake's default page holds them all.
    let all: Vec<_> = secrets.list_all().collect().await;
    assert_eq!(all.len(), 7);
    assert_eq!(tc.requests("secrets", "list"), 5);
}

#[tokio::test]
async fn the_walk_is_lazy_and_a_page_that_fails_once_midway_is_retried() {
    let (tc, expected) = fake_with_secrets(7).await;
    let secrets: Secrets = client_with(&tc, Some(wire_common::root_creds(&tc)), quick_retries());
    let stream = secrets.list().limit(2).all();
    futures_util::pin_mut!(stream);

    let mut names = Vec::new();
    for _ in 0..2 {
        names.push(stream.next().await.unwrap().unwrap());
    }
    assert_eq!(
        tc.requests("secrets", "list"),
        1,
        "only the first page so far"
    );

    tc.fail_next("secrets", "list", 1, 500);
    while let Some(item) = stream.next().await {
        names.push(item.unwrap());
    }
    names.sort();
    assert_eq!(names, expected);
    assert_eq!(tc.requests("secrets", "list"), 5, "4 pages + 1 retry");
}

#[tokio::test]
async fn a_page_failing_with_a_client_error_ends_the_walk_with_that_error() {
    let (tc, _) = fake_with_secrets(7).await;
    let secrets: Secrets = client_with(&tc, Some(wire_common::root_creds(&tc)), quick_retries());
    let stream = secrets.list().limit(3).all();
    futures_util::pin_mut!(stream);
    for _ in 0..3 {
        stream.next().await.unwrap().unwrap();
    }
    tc.fail_next("secrets", "list", 1, 400);
    let error = stream.next().await.unwrap().unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");
    assert!(
        stream.next().await.is_none(),
        "the stream ends after the error"
    );
    assert_eq!(tc.requests("secrets", "list"), 2);
}

#[tokio::test]
async fn auth_list_clients_all_walks_three_pages_of_clients_under_a_prefix() {
    let tc = TcFake::builder()
        .client("project/lister", "lister-token", ["auth:list-clients"])
        .start()
        .await
        .unwrap();
    let admin: Auth = root(&tc);
    let mut expected = Vec::new();
    for i in 0..5 {
        let id = format!("project/wire/c{i}");
        let request =
            CreateClientRequest::new(format!("client {i}"), Time::from_now("1 day").unwrap());
        admin.create_client(&id, &request).await.unwrap();
        expected.push(id);
    }
    let lister: Auth = client_as(
        &tc,
        Some(Credentials::new("project/lister", "lister-token")),
    );
    let mut ids: Vec<String> = lister
        .list_clients()
        .prefix("project/wire/")
        .limit(2)
        .all()
        .map(|client| client.unwrap().client_id.as_str().to_owned())
        .collect()
        .await;
    ids.sort();
    assert_eq!(
        ids, expected,
        "the prefix leaves out project/lister and root"
    );
    assert_eq!(tc.requests("auth", "listClients"), 3, "pages of 2, 2 and 1");
}

#[tokio::test]
async fn queue_list_artifacts_all_walks_three_pages_of_a_runs_artifacts() {
    let tc = with_worker(TcFake::builder()).start().await.unwrap();
    let artifacts: Vec<(String, String)> = (0..5)
        .map(|i| {
            (
                format!("public/wire/a{i}.txt"),
                format!("https://artifacts.example.com/a{i}.txt"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = artifacts
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str()))
        .collect();
    let (task_id, run_id) = claimed_task_with_references(&tc, &refs).await;

    let queue: Queue = root(&tc);
    let mut names: Vec<String> = queue
        .list_artifacts(&task_id, &run_id)
        .limit(2)
        .all()
        .map(|artifact| {
            let artifact = artifact.unwrap();
            assert_eq!(artifact.storage_type.as_str(), "reference");
            artifact.name
        })
        .collect()
        .await;
    names.sort();
    let expected: Vec<String> = artifacts.into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, expected);
    assert_eq!(
        tc.requests("queue", "listArtifacts"),
        3,
        "pages of 2, 2 and 1"
    );
}
