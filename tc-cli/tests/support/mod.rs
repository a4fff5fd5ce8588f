//! Test code: runs the built `tc` binary against a tc-fake deployment.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

use tc_fake::TcFake;

/// What one run of `tc` did.
#[derive(Debug)]
pub struct Run {
    /// Its exit code.
    pub code: i32,
    /// What it wrote to stdout.
    pub stdout: String,
    /// What it wrote to stderr.
    pub stderr: String,
}

impl Run {
    /// Stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    /// Asserts the run succeeded.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "tc failed: {self:?}");
        self
    }
}

/// The environment of a caller of `tc` with the fake's root credentials.
pub fn env_of(tc: &TcFake) -> Vec<(String, String)> {
    let (client_id, access_token) = tc.root_credentials();
    vec![
        ("TASKCLUSTER_ROOT_URL".into(), tc.root_url().to_owned()),
        ("TASKCLUSTER_CLIENT_ID".into(), client_id),
        ("TASKCLUSTER_ACCESS_TOKEN".into(), access_token),
    ]
}

/// Runs `tc args...` with `env` (and nothing of the test's own Taskcluster
/// variables), feeding `stdin`; blocking, so call it off the runtime's threads
/// ([`tc_async`]).
pub fn tc_with(env: &[(String, String)], args: &[&str], stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tc"));
    command
        .args(args)
        .env_remove("TASKCLUSTER_ROOT_URL")
        .env_remove("TASKCLUSTER_CLIENT_ID")
        .env_remove("TASKCLUSTER_ACCESS_TOKEN")
        .env_remove("TASKCLUSTER_CERTIFICATE")
        .env_remove("TASKCLUSTER_PROXY_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("tc starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("stdin written");
    }
    drop(input);
    let output = child.wait_with_output().expect("tc ends");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// [`tc_with`] on the blocking pool, so that the fake keeps answering.
pub async fn tc_async(env: Vec<(String, String)>, args: Vec<String>, stdin: Option<String>) -> Run {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tc_with(&env, &args, stdin.as_deref())
    })
    .await
    .expect("the run of tc ends")
}

/// `tc args...` as the fake's root client.
pub async fn tc(fake: &TcFake, args: &[&str]) -> Run {
    tc_async(
        env_of(fake),
        args.iter().map(|a| a.to_string()).collect(),
        None,
    )
    .await
}

/// `tc args...` as the fake's root client, `stdin` on its standard input.
pub async fn tc_stdin(fake: &TcFake, args: &[&str], stdin: &str) -> Run {
    tc_async(
        env_of(fake),
        args.iter().map(|a| a.to_string()).collect(),
        Some(stdin.to_owned()),
    )
    .await
}

/// A task definition in JSON, as a user writes one: in task queue `queue`, group
/// `group`, created now, due in an hour.
pub fn task_json(name: &str, queue: &str, group: Option<&str>) -> serde_json::Value {
    let now = tc_client::Time::now();
    let deadline = tc_client::Time::from_now("1 hour").expect("a duration");
    let mut task = serde_json::json!({
        "taskQueueId": queue,
        "created": now.to_string(),
        "deadline": deadline.to_string(),
        "payload": {},
        "metadata": {
            "name": name,
            "description": "a task of tc-cli's tests",
            "owner": "tests@example.com",
            "source": "https://github.com/tc-client/tc-client"
        }
    });
    if let Some(group) = group {
        task["taskGroupId"] = serde_json::Value::String(group.to_owned());
    }
    task
}

/// Owned arguments for [`tc_async`].
pub fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| (*a).to_owned()).collect()
}
