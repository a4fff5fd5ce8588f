//! `cargo xtask codegen-report` and `cargo xtask expand` on the workspace's imported
//! references (`cargo xtask references import` first).

use std::path::PathBuf;
use std::process::Command;

use xtask::codegen_report;
use xtask::expand::{self, Target};
use xtask::references;

fn references() -> PathBuf {
    let dir = references::workspace_layout().references_dir;
    assert!(
        dir.join("references").is_dir(),
        "{} is missing: run `cargo xtask references import` first",
        dir.display()
    );
    dir
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("running xtask")
}

#[test]
fn report_counts_every_method_and_exchange() {
    let report = codegen_report::collect(&references()).unwrap();
    let totals = report.totals();
    assert_eq!(totals.methods, 192);
    assert_eq!(totals.exchanges, 36);
    assert_eq!(totals.schemas, 4);
    assert!(totals.services >= 11, "{totals:?}");
    let names: Vec<&str> = report.rows.iter().map(|r| r.report.name.as_str()).collect();
    for name in [
        "queue",
        "auth",
        "generic-worker/multiuser_posix.json",
        "generic-worker/insecure_posix.json",
        "generic-worker/multiuser_windows.json",
        "docker-worker/v1/payload.json",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let queue = report
        .rows
        .iter()
        .find(|r| r.report.name == "queue")
        .unwrap();
    assert!(queue.report.methods.iter().any(|m| m == "createTask"));
    assert!(queue.report.exchanges.iter().any(|e| e == "taskCompleted"));
    // Every fallback place is `file#pointer`.
    for row in &report.rows {
        for place in &row.report.fallbacks {
            assert!(
                place.starts_with("/schemas/") && place.contains(".json#"),
                "{place}"
            );
        }
    }
    let text = report.to_text();
    assert!(text.contains(" 192 methods, 36 exchanges, "), "{text}");
}

#[test]
fn report_command_prints_text_and_json() {
    let out = xtask(&["codegen-report", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["totals"]["methods"], 192);
    assert_eq!(json["totals"]["exchanges"], 36);
    assert_eq!(json["rows"].as_array().unwrap().len(), 15);

    let out = xtask(&["codegen-report"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("name "), "{text}");
    assert!(text.contains("totals: "), "{text}");
}

#[test]
fn expand_queue_has_the_client() {
    let source = expand::expand(&references(), &Target::Service("queue".into())).unwrap();
    assert!(source.contains("pub mod queue {"), "no module");
    assert!(source.contains("pub struct Queue "), "no client struct");
    assert!(source.contains("pub mod events {"), "no events");
}

#[test]
fn expand_schema_has_the_payload() {
    let source = expand::expand(
        &references(),
        &Target::Schema("generic-worker/multiuser_posix.json".into()),
    )
    .unwrap();
    assert!(source.contains("pub struct "), "{source}");
}

#[test]
fn expand_command_writes_a_file_and_fails_on_unknown_services() {
    let out_file = std::env::temp_dir().join(format!(
        "xtask-test-{}-expand/purge-cache.rs",
        std::process::id()
    ));
    let out = xtask(&["expand", "purge-cache", "--out", out_file.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let written = std::fs::read_to_string(&out_file).unwrap();
    let _ = std::fs::remove_dir_all(out_file.parent().unwrap());
    assert!(written.contains("pub struct PurgeCache "), "{written}");

    let out = xtask(&["expand", "no-such-service"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("unknown service `no-such-service`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("queue"),
        "lists the known services: {stderr}"
    );
}
