//! `tc api`: every method reachable, help from the references, inputs checked before
//! anything is sent, paging, output forms and exit codes, against tc-fake.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use support::{Run, task_json, tc, tc_stdin};

/// Every `function` entry of every service's API reference, read from the files.
fn reference_methods() -> Vec<(String, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("references");
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root.join("references/manifest.json"))
            .expect("the manifest (run `cargo xtask references import`)"),
    )
    .unwrap();
    let mut services = Vec::new();
    for reference in manifest["references"].as_array().unwrap() {
        let path = reference.as_str().unwrap();
        if !path.ends_with("/api.json") {
            continue;
        }
        let api: serde_json::Value = serde_json::from_slice(
            &std::fs::read(root.join(path.trim_start_matches('/'))).unwrap(),
        )
        .unwrap();
        let service = api["serviceName"].as_str().unwrap().to_owned();
        let methods = api["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "function")
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect();
        services.push((service, methods));
    }
    services
}

/// The subcommand of a method: its name in kebab case, as heck writes it.
fn kebab(name: &str) -> String {
    heck::ToKebabCase::to_kebab_case(name)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_method_of_every_service_is_a_subcommand() {
    let fake = tc_fake::start().await.unwrap();
    let services = reference_methods();
    let total: usize = services.iter().map(|(_, m)| m.len()).sum();
    assert_eq!(total, 192, "the v106 references have 192 methods");
    for (service, methods) in &services {
        let help = tc(&fake, &["api", service, "--help"]).await.ok();
        let listed: BTreeSet<&str> = help
            .stdout
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        for method in methods {
            let name = kebab(method);
            assert!(
                listed.contains(name.as_str()),
                "{service} {name} is not listed: {}",
                help.stdout
            );
            let run = tc(&fake, &["api", service, &name, "--help"]).await.ok();
            assert!(
                run.stdout.contains("Required scopes"),
                "{service} {name}: {}",
                run.stdout
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn help_shows_what_the_reference_says() {
    let fake = tc_fake::start().await.unwrap();
    let top = tc(&fake, &["api", "--help"]).await.ok();
    assert!(
        top.stdout.contains("worker-manager") && top.stdout.contains("Queue Service"),
        "{}",
        top.stdout
    );
    let queue = tc(&fake, &["api", "queue", "--help"]).await.ok();
    assert!(
        queue.stdout.contains("create-task") && queue.stdout.contains("Create New Task"),
        "{}",
        queue.stdout
    );
    let create = tc(&fake, &["api", "queue", "create-task", "--help"])
        .await
        .ok();
    for expected in [
        "Create New Task",
        "PUT /task/<taskId>",
        "stability: stable",
        "queue:create-task:project:<projectId>",
        "/schemas/queue/v1/create-task-request.json",
        "this is an **idempotent** operation",
        "<taskId>",
        "--input <FILE|->",
    ] {
        assert!(
            create.stdout.contains(expected),
            "no {expected:?} in {}",
            create.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_task_is_created_from_stdin_and_read_back() {
    let fake = tc_fake::start().await.unwrap();
    let task_id = tc_client::slugid::nice();
    let definition = task_json("cli-create", "proj-cli/create", None);
    let created = tc_stdin(
        &fake,
        &["api", "queue", "create-task", &task_id, "--input", "-"],
        &definition.to_string(),
    )
    .await
    .ok();
    let status = created.json();
    assert_eq!(status["status"]["taskId"], task_id.as_str());
    assert_eq!(status["status"]["state"], "pending");
    // Not a terminal: one compact line.
    assert_eq!(created.stdout.lines().count(), 1, "{}", created.stdout);

    let file = tempfile_with(&definition.to_string());
    let again = tc(
        &fake,
        &[
            "api",
            "queue",
            "create-task",
            &task_id,
            "--input",
            file.to_str().unwrap(),
        ],
    )
    .await
    .ok();
    assert_eq!(
        again.json()["status"]["taskId"],
        task_id.as_str(),
        "createTask is idempotent"
    );

    let read = tc(&fake, &["api", "queue", "task", &task_id]).await.ok();
    assert_eq!(read.json()["metadata"]["name"], "cli-create");
    assert_eq!(fake.requests("queue", "createTask"), 2);
}

fn tempfile_with(text: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("tc-cli-input-{}.json", tc_client::slugid::nice()));
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_input_is_refused_before_anything_is_sent() {
    let fake = tc_fake::start().await.unwrap();
    let task_id = tc_client::slugid::nice();
    let good = task_json("cli-invalid", "proj-cli/invalid", None);

    let mut unknown = good.clone();
    unknown["metadata"]["ownr"] = "x".into();
    let mut wrong_type = good.clone();
    wrong_type["retries"] = "five".into();
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("metadata");
    for (input, names) in [
        (unknown, "unknown field `metadata.ownr`"),
        (wrong_type, "at retries: invalid type: string \"five\""),
        (missing, "missing field `metadata`"),
    ] {
        let run = tc_stdin(
            &fake,
            &["api", "queue", "create-task", &task_id, "--input", "-"],
            &input.to_string(),
        )
        .await;
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains(names),
            "{names:?} not in {}",
            run.stderr
        );
        assert!(run.stderr.contains("queue.createTask"), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    let not_json = tc_stdin(
        &fake,
        &["api", "queue", "create-task", &task_id, "--input", "-"],
        "{",
    )
    .await;
    assert_eq!(not_json.code, 2, "{not_json:?}");
    assert_eq!(
        fake.requests("queue", "createTask"),
        0,
        "nothing reached the fake"
    );

    // The same input without the mistakes is sent.
    tc_stdin(
        &fake,
        &["api", "queue", "create-task", &task_id, "--input", "-"],
        &good.to_string(),
    )
    .await
    .ok();
    assert_eq!(fake.requests("queue", "createTask"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn all_walks_every_page() {
    let fake = tc_fake::start().await.unwrap();
    let group = tc_client::slugid::nice();
    for i in 0..3 {
        let task = task_json(&format!("cli-page-{i}"), "proj-cli/pages", Some(&group));
        tc_stdin(
            &fake,
            &[
                "api",
                "queue",
                "create-task",
                &tc_client::slugid::nice(),
                "--input",
                "-",
            ],
            &task.to_string(),
        )
        .await
        .ok();
    }
    let page = tc(
        &fake,
        &[
            "api",
            "queue",
            "list-task-group",
            &group,
            "--query",
            "limit=1",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(page["tasks"].as_array().unwrap().len(), 1);
    assert!(page["continuationToken"].is_string());

    let all = tc(
        &fake,
        &[
            "api",
            "queue",
            "list-task-group",
            &group,
            "--query",
            "limit=1",
            "--all",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(all["tasks"].as_array().unwrap().len(), 3, "{all}");
    assert!(all.get("continuationToken").is_none());
    assert_eq!(fake.requests("queue", "listTaskGroup"), 1 + 3);

    let bad = tc(
        &fake,
        &[
            "api",
            "queue",
            "list-task-group",
            &group,
            "--query",
            "limti=1",
        ],
    )
    .await;
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(
        bad.stderr.contains("continuationToken, limit"),
        "{}",
        bad.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn compact_and_pretty_output() {
    let fake = tc_fake::start().await.unwrap();
    let pinged = tc(&fake, &["api", "queue", "ping"]).await.ok();
    assert!(pinged.stdout.is_empty(), "ping answers nothing: {pinged:?}");
    let run = tc(&fake, &["api", "auth", "list-roles", "--compact"])
        .await
        .ok();
    assert_eq!(run.stdout.lines().count(), 1);
    run.json();
}

fn assert_exit(run: &Run, code: i32, needle: &str) {
    assert_eq!(run.code, code, "{run:?}");
    assert!(
        run.stderr.contains(needle),
        "{needle:?} not in {}",
        run.stderr
    );
    assert_eq!(
        run.stderr.trim_end().lines().count(),
        1,
        "one line: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_tell_the_failures_apart() {
    let fake = tc_fake::start().await.unwrap();
    let absent = tc_client::slugid::nice();
    let not_found = tc(&fake, &["api", "queue", "task", &absent]).await;
    assert_exit(&not_found, 3, "queue.task: 404 ResourceNotFound:");
    assert!(!not_found.stderr.contains("---"), "{}", not_found.stderr);
    // The request id the service named its answer with ends the line.
    let id = not_found
        .stderr
        .trim_end()
        .rsplit_once("(request id ")
        .map(|(_, id)| id.trim_end_matches(')'));
    assert_eq!(id.map(str::len), Some(36), "{}", not_found.stderr);

    let scopes = tc(
        &fake,
        &[
            "--authorized-scopes",
            "queue:nothing",
            "api",
            "secrets",
            "get",
            "a/secret",
        ],
    )
    .await;
    assert_exit(&scopes, 3, "secrets.get: 403 InsufficientScopes:");

    fake.fail_next("queue", "task", 10, 500);
    let server = tc(&fake, &["api", "queue", "task", &absent]).await;
    assert_exit(&server, 4, "queue.task: 500");

    let closed = tc(
        &fake,
        &[
            "--root-url",
            "http://127.0.0.1:9",
            "api",
            "queue",
            "task",
            &absent,
        ],
    )
    .await;
    assert_exit(&closed, 5, "transport error");

    let usage = tc(&fake, &["api", "queue", "no-such-method"]).await;
    assert_eq!(usage.code, 2, "{usage:?}");
}
