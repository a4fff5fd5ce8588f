//! The written commands of `tc` (task, group, artifact, object, creds, signed-url,
//! from-now, slugid, completions) run as a user runs them, against tc-fake.

mod support;

use support::{args, task_json, tc, tc_async, tc_stdin};
use tc_client::queue::Queue;
use tc_client::transfer::from_bytes;

async fn create(fake: &tc_fake::TcFake, name: &str, queue: &str, group: Option<&str>) -> String {
    let task_id = tc_client::slugid::nice();
    let task = task_json(name, queue, group);
    tc_stdin(
        fake,
        &["api", "queue", "create-task", &task_id, "--input", "-"],
        &task.to_string(),
    )
    .await
    .ok();
    task_id
}

#[tokio::test(flavor = "multi_thread")]
async fn task_commands() {
    let fake = tc_fake::start().await.unwrap();
    let task_id = create(&fake, "cli-task", "proj-cli/task", None).await;

    let status = tc(&fake, &["task", "status", &task_id]).await.ok().json();
    assert_eq!(status["status"]["state"], "pending");
    let definition = tc(&fake, &["task", "def", &task_id]).await.ok().json();
    assert_eq!(definition["metadata"]["name"], "cli-task");

    let completed = tc(&fake, &["task", "complete", &task_id]).await.ok().json();
    assert_eq!(completed["status"]["state"], "completed", "{completed}");
    assert_eq!(completed["status"]["runs"][0]["workerGroup"], "tc-cli");

    let rerun = tc(&fake, &["task", "rerun", &task_id]).await.ok().json();
    assert_eq!(
        rerun["status"]["runs"].as_array().unwrap().len(),
        2,
        "{rerun}"
    );
    let cancelled = tc(&fake, &["task", "cancel", &task_id]).await.ok().json();
    assert_eq!(cancelled["status"]["state"], "exception", "{cancelled}");

    let retriggered = tc(&fake, &["task", "retrigger", &task_id])
        .await
        .ok()
        .json();
    let new_id = retriggered["status"]["taskId"].as_str().unwrap().to_owned();
    assert_ne!(new_id, task_id);
    assert_eq!(retriggered["status"]["state"], "pending");
    let copy = tc(&fake, &["task", "def", &new_id]).await.ok().json();
    assert_eq!(copy["metadata"], definition["metadata"]);
    assert_eq!(copy["taskGroupId"], definition["taskGroupId"]);

    let absent = tc(&fake, &["task", "status", &tc_client::slugid::nice()]).await;
    assert_eq!(absent.code, 3, "{absent:?}");
    assert!(
        absent
            .stderr
            .starts_with("tc: queue.status: 404 ResourceNotFound:"),
        "{}",
        absent.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn artifacts_and_logs() {
    let fake = tc_fake::start().await.unwrap();
    let queue: Queue = tc_test_support::root(&fake);
    let claimed = tc_test_support::artifacts_task(&queue, "proj-cli", "proj-cli/artifacts").await;
    let worker: Queue = tc_test_support::client(&fake, claimed.credentials.clone());
    let expires = tc_client::Time::from_now("1 day").unwrap();
    for (name, body) in [
        ("public/logs/live.log", &b"line one\nline two\n"[..]),
        ("public/build/out.bin", &[7u8; 3000][..]),
    ] {
        worker
            .upload_artifact(&claimed.task_id, &claimed.run_id, name, from_bytes(body))
            .content_type("text/plain")
            .expires(expires)
            .await
            .unwrap();
    }
    let listed = tc(&fake, &["task", "artifacts", &claimed.task_id])
        .await
        .ok()
        .json();
    let names: Vec<&str> = listed["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{listed}");
    assert!(names.contains(&"public/build/out.bin"));

    // An entry that answers with a redirect: its 303's body is the answer.
    let redirect = tc(
        &fake,
        &[
            "api",
            "queue",
            "get-latest-artifact",
            &claimed.task_id,
            "public/build/out.bin",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(redirect["storageType"], "object", "{redirect}");
    assert!(
        redirect["url"].as_str().unwrap().starts_with("http"),
        "{redirect}"
    );
    let log = tc(&fake, &["task", "log", &claimed.task_id]).await.ok();
    assert_eq!(log.stdout, "line one\nline two\n");

    let dir = std::env::temp_dir().join(format!("tc-cli-artifact-{}", tc_client::slugid::nice()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("out.bin");
    let path = file.to_str().unwrap();
    tc(
        &fake,
        &[
            "artifact",
            "download",
            &claimed.task_id,
            "public/build/out.bin",
            "-o",
            path,
        ],
    )
    .await
    .ok();
    assert_eq!(std::fs::read(&file).unwrap(), vec![7u8; 3000]);

    // A download that fails its check leaves no file behind.
    fake.corrupt_next_download(1);
    let broken = dir.join("broken.bin");
    let run = tc(
        &fake,
        &[
            "artifact",
            "download",
            &claimed.task_id,
            "public/build/out.bin",
            "-o",
            broken.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!broken.exists(), "no partial file");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "only the verified download is there"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn objects_up_and_down() {
    let fake = tc_fake::start().await.unwrap();
    let dir = std::env::temp_dir().join(format!("tc-cli-object-{}", tc_client::slugid::nice()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("in.bin");
    let data = tc_test_support::data(100_000);
    std::fs::write(&source, &data).unwrap();
    let sent = tc(
        &fake,
        &[
            "object",
            "upload",
            "proj-cli",
            "cli/object.bin",
            source.to_str().unwrap(),
            "--content-type",
            "application/x-test",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(sent["size"], 100_000);
    let target = dir.join("out.bin");
    let got = tc(
        &fake,
        &[
            "object",
            "download",
            "cli/object.bin",
            "-o",
            target.to_str().unwrap(),
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(got["contentType"], "application/x-test");
    assert_eq!(std::fs::read(&target).unwrap(), data);
}

#[tokio::test(flavor = "multi_thread")]
async fn group_commands() {
    let fake = tc_fake::start().await.unwrap();
    let group = tc_client::slugid::nice();
    let first = create(&fake, "cli-group-1", "proj-cli/group", Some(&group)).await;
    create(&fake, "cli-group-2", "proj-cli/group", Some(&group)).await;
    tc(&fake, &["task", "complete", &first]).await.ok();

    let listed = tc(&fake, &["group", "list", &group]).await.ok().json();
    assert_eq!(listed["tasks"].as_array().unwrap().len(), 2, "{listed}");
    let status = tc(&fake, &["group", "status", &group]).await.ok().json();
    assert_eq!(
        status["states"],
        serde_json::json!({"completed": 1, "pending": 1}),
        "{status}"
    );

    // The queue cancels only a sealed group.
    let unsealed = tc(&fake, &["group", "cancel", &group]).await;
    assert_eq!(unsealed.code, 3, "{unsealed:?}");
    assert!(
        unsealed.stderr.contains("queue.cancelTaskGroup: 409"),
        "{}",
        unsealed.stderr
    );
    tc(&fake, &["api", "queue", "seal-task-group", &group])
        .await
        .ok();
    let cancelled = tc(&fake, &["group", "cancel", &group]).await.ok().json();
    assert_eq!(cancelled["cancelledCount"], 1, "{cancelled}");
    let after = tc(&fake, &["group", "status", &group]).await.ok().json();
    assert_eq!(
        after["states"],
        serde_json::json!({"completed": 1, "exception": 1}),
        "{after}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn temporary_credentials_work_from_their_export_lines() {
    let fake = tc_fake::start().await.unwrap();
    let run = tc(
        &fake,
        &[
            "creds",
            "temp",
            "--scope",
            "secrets:get:cli/*",
            "--ttl",
            "1h",
        ],
    )
    .await
    .ok();
    let mut env = vec![(
        "TASKCLUSTER_ROOT_URL".to_owned(),
        fake.root_url().to_owned(),
    )];
    for line in run.stdout.lines() {
        let (name, value) = line
            .strip_prefix("export ")
            .unwrap()
            .split_once('=')
            .unwrap();
        let value = value
            .strip_prefix('\'')
            .unwrap()
            .strip_suffix('\'')
            .unwrap()
            .replace(r"'\''", "'");
        env.push((name.to_owned(), value));
    }
    assert_eq!(
        env.len(),
        4,
        "client id, access token, certificate: {}",
        run.stdout
    );
    let scopes = tc_async(env.clone(), args(&["api", "auth", "current-scopes"]), None)
        .await
        .ok()
        .json();
    let scopes: Vec<&str> = scopes["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(scopes.contains(&"secrets:get:cli/*"), "{scopes:?}");
    assert!(
        !scopes.contains(&"*"),
        "narrower than the issuer: {scopes:?}"
    );
    // Allowed to read the secret (it does not exist), not to write one.
    let read = tc_async(env.clone(), args(&["api", "secrets", "get", "cli/x"]), None).await;
    assert_eq!(read.code, 3, "{read:?}");
    assert!(
        read.stderr.contains("404 ResourceNotFound"),
        "{}",
        read.stderr
    );

    let named = tc(
        &fake,
        &[
            "creds",
            "temp",
            "--scope",
            "queue:get-task:*",
            "--name",
            "cli/named",
            "--ttl",
            "10m",
        ],
    )
    .await
    .ok();
    assert!(
        named
            .stdout
            .contains("export TASKCLUSTER_CLIENT_ID='cli/named'"),
        "{}",
        named.stdout
    );

    let no_creds = tc_async(vec![], args(&["creds", "temp", "--scope", "a"]), None).await;
    assert_eq!(no_creds.code, 2, "{no_creds:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_urls_work_without_credentials() {
    let fake = tc_fake::start().await.unwrap();
    let expires = tc_client::Time::from_now("1 day").unwrap();
    let secret = serde_json::json!({"secret": {"token": "s3cr3t"}, "expires": expires.to_string()});
    tc_stdin(
        &fake,
        &["api", "secrets", "set", "cli/signed", "--input", "-"],
        &secret.to_string(),
    )
    .await
    .ok();

    let url = tc(
        &fake,
        &["signed-url", "secrets", "get", "cli/signed", "--ttl", "10m"],
    )
    .await
    .ok();
    let url = url.stdout.trim();
    assert!(url.contains("bewit="), "{url}");
    let answer = reqwest::get(url).await.unwrap().error_for_status().unwrap();
    let body: serde_json::Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(body["secret"]["token"], "s3cr3t");
    let unsigned = reqwest::get(url.split('?').next().unwrap()).await.unwrap();
    assert_eq!(unsigned.status(), 403);

    let anonymous = tc_async(
        vec![("TASKCLUSTER_ROOT_URL".into(), fake.root_url().into())],
        args(&["signed-url", "secrets", "get", "cli/signed"]),
        None,
    )
    .await;
    assert_eq!(anonymous.code, 2, "{anonymous:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_commands() {
    let fake = tc_fake::start().await.unwrap();
    let later = tc(&fake, &["from-now", "1 hour"]).await.ok();
    let later: tc_client::Time = later.stdout.trim().parse().unwrap();
    let expected = tc_client::Time::from_now("1 hour").unwrap();
    assert!((expected.unix_millis() - later.unix_millis()).abs() < 10_000);
    let earlier = tc(&fake, &["from-now", "-2 days"]).await.ok();
    assert!(earlier.stdout.trim().parse::<tc_client::Time>().unwrap() < tc_client::Time::now());
    let bad = tc(&fake, &["from-now", "soon"]).await;
    assert_eq!(bad.code, 2, "{bad:?}");

    let nice = tc(&fake, &["slugid"]).await.ok();
    let nice = nice.stdout.trim();
    assert_eq!(nice.len(), 22);
    let uuid = tc(&fake, &["slugid", "decode", nice]).await.ok();
    assert_eq!(uuid.stdout.trim().len(), 36);
    let again = tc(&fake, &["slugid", "encode", uuid.stdout.trim()])
        .await
        .ok();
    assert_eq!(again.stdout.trim(), nice);
    assert_eq!(tc(&fake, &["slugid", "decode", "not-a-slug"]).await.code, 2);

    let bash = tc(&fake, &["completions", "bash"]).await.ok();
    assert!(
        bash.stdout.contains("complete") && bash.stdout.contains("create-task"),
        "{}",
        &bash.stdout[..200]
    );
}

/// `command` run by `script`, on a pseudo-terminal of its own (util-linux's `script`,
/// part of every Debian system): what a user at a terminal sees, `\r\n` line ends.
async fn on_a_terminal(fake: &tc_fake::TcFake, command: String) -> String {
    let env = support::env_of(fake);
    let output = tokio::task::spawn_blocking(move || {
        let mut script = std::process::Command::new("script");
        script.args(["-qec", &command, "/dev/null"]);
        for (name, value) in env {
            script.env(name, value);
        }
        script.output().expect("script runs")
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_answers_are_pretty_and_transfers_draw_a_bar() {
    let fake = tc_fake::start().await.unwrap();
    let tc = env!("CARGO_BIN_EXE_tc");
    let roles = on_a_terminal(&fake, format!("{tc} api auth list-roles")).await;
    assert!(roles.starts_with("[\n  {\n"), "pretty JSON: {roles}");
    let compact = on_a_terminal(&fake, format!("{tc} api auth list-roles --compact")).await;
    assert_eq!(compact.trim_end().lines().count(), 1, "{compact}");

    let dir = std::env::temp_dir().join(format!("tc-cli-tty-{}", tc_client::slugid::nice()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("in.bin");
    let data = tc_test_support::data(3 << 20);
    std::fs::write(&source, &data).unwrap();
    let upload = on_a_terminal(
        &fake,
        format!(
            "{tc} object upload proj-cli cli/tty.bin {}",
            source.display()
        ),
    )
    .await;
    assert!(upload.contains("\"size\": 3145728"), "{upload}");
    let target = dir.join("out.bin");
    let download = on_a_terminal(
        &fake,
        format!("{tc} object download cli/tty.bin -o {}", target.display()),
    )
    .await;
    // indicatif draws on stderr, the same terminal here, and clears the bar at the end.
    assert!(
        download.contains("\x1b["),
        "the bar's terminal codes: {download:?}"
    );
    assert!(download.contains("\"contentType\""), "{download}");
    assert_eq!(std::fs::read(&target).unwrap(), data);
}
