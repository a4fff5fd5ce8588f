//! Configuration from the environment (`<Service>::from_env()`) against
//! tc-fake: missing variables give errors naming them, the credentials
//! variables (certificate included) sign requests, and
//! `TASKCLUSTER_PROXY_URL` sends requests to the proxy unsigned.
//!
//! This file holds a single test on purpose: it changes the process
//! environment, so no other test may run in this binary at the same time.

mod wire_common;

use std::time::Duration;

use tc_client::auth::Auth;
use tc_client::queue::Queue;
use tc_client::{Error, Service};
use wire_common::{api_failure, create_task, root_creds};

const ROOT_URL: &str = "TASKCLUSTER_ROOT_URL";
const PROXY_URL: &str = "TASKCLUSTER_PROXY_URL";
const CLIENT_ID: &str = "TASKCLUSTER_CLIENT_ID";
const ACCESS_TOKEN: &str = "TASKCLUSTER_ACCESS_TOKEN";
const CERTIFICATE: &str = "TASKCLUSTER_CERTIFICATE";
const ALL: [&str; 5] = [ROOT_URL, PROXY_URL, CLIENT_ID, ACCESS_TOKEN, CERTIFICATE];

fn set(name: &str, value: &str) {
    // SAFETY: this binary has exactly one test (this file's), which calls
    // `set` and `unset` only between requests, from the test's own thread,
    // while no other thread of the process reads the environment: the tokio
    // runtime is single-threaded and its idle blocking threads run nothing.
    unsafe { std::env::set_var(name, value) }
}

fn unset(name: &str) {
    // SAFETY: as in `set`.
    unsafe { std::env::remove_var(name) }
}

fn configuration_message(result: Result<Queue, Error>) -> String {
    match result {
        Err(Error::Configuration(message)) => message,
        other => panic!("expected Error::Configuration, got {other:?}"),
    }
}

fn credentials_message(result: Result<Queue, Error>) -> String {
    match result {
        Err(Error::Credentials(message)) => message,
        other => panic!("expected Error::Credentials, got {other:?}"),
    }
}

#[tokio::test]
async fn from_env_names_missing_variables_signs_with_the_credentials_variables_and_proxy_url_sends_unsigned()
 {
    let tc = wire_common::nothing_public().start().await.unwrap();
    let task_id = create_task(&tc).await;
    let root = root_creds(&tc);
    for name in ALL {
        unset(name);
    }

    // No root URL at all.
    let message = configuration_message(Queue::from_env());
    assert!(message.contains(ROOT_URL), "{message}");
    set(ROOT_URL, "");
    let message = configuration_message(Queue::from_env());
    assert!(
        message.contains(ROOT_URL),
        "empty counts as unset: {message}"
    );

    // A root URL and no credentials: unauthenticated.
    set(ROOT_URL, tc.root_url());
    let anonymous = Queue::from_env().unwrap();
    assert!(anonymous.client().credentials().is_none());
    anonymous.ping().await.unwrap();
    let error = anonymous.status(&task_id).await.unwrap_err();
    assert_eq!(api_failure(&error).status, 403, "{error}");

    // Half the credentials: the error names the missing half.
    set(CLIENT_ID, root.client_id());
    let message = credentials_message(Queue::from_env());
    assert!(message.contains(ACCESS_TOKEN), "{message}");
    unset(CLIENT_ID);
    set(ACCESS_TOKEN, root.access_token());
    let message = credentials_message(Queue::from_env());
    assert!(message.contains(CLIENT_ID), "{message}");

    // Both: requests are signed as the root client.
    set(CLIENT_ID, root.client_id());
    let signed = Queue::from_env().unwrap();
    signed.status(&task_id).await.unwrap();
    let scopes = Auth::from_env().unwrap().current_scopes().await.unwrap();
    assert_eq!(scopes.scopes.len(), 1);
    assert_eq!(scopes.scopes[0].as_str(), "*");

    // Temporary credentials: the certificate variable is sent with them.
    let temp_scopes = [
        "auth:current-scopes".to_owned(),
        format!("queue:status:{task_id}"),
    ];
    let temp = root
        .create_temp_creds(Duration::from_secs(600), temp_scopes.clone())
        .unwrap();
    set(ACCESS_TOKEN, temp.access_token());
    set(CERTIFICATE, temp.certificate().unwrap());
    Queue::from_env().unwrap().status(&task_id).await.unwrap();
    let scopes = Auth::from_env().unwrap().current_scopes().await.unwrap();
    let mut scopes: Vec<String> = scopes
        .scopes
        .iter()
        .map(|s| s.as_str().to_owned())
        .filter(|s| s != "assume:anonymous") // every caller holds it
        .collect();
    scopes.sort();
    assert_eq!(scopes, temp_scopes);
    unset(CERTIFICATE);
    set(ACCESS_TOKEN, root.access_token());

    // The proxy URL wins over the root URL and the credentials: requests go
    // to it unsigned, so the fake sees an anonymous caller.
    set(PROXY_URL, tc.root_url());
    let proxied = Queue::from_env().unwrap();
    assert!(proxied.client().credentials().is_none());
    let pings = tc.requests("queue", "ping");
    proxied.ping().await.unwrap();
    assert_eq!(tc.requests("queue", "ping"), pings + 1);
    let error = proxied.status(&task_id).await.unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(
        (failure.status, failure.code.as_str()),
        (403, "InsufficientScopes"),
        "{error}"
    );
    // Even with no root URL at all.
    unset(ROOT_URL);
    Queue::from_env().unwrap().ping().await.unwrap();

    for name in ALL {
        unset(name);
    }
}
