//! A crate outside the workspace, as a user writes one: `tc references import` fetches
//! the references into the crate, `tc_macros::taskcluster_service!` generates a service
//! from them, and the program calls it against tc-fake.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{env_of, tc_async};

/// The workspace around tc-cli.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tc-cli is in the workspace")
        .to_path_buf()
}

/// Writes the crate into `dir`: its manifest (path dependencies on this workspace's
/// tc-client and tc-macros, a workspace of its own), the program, and the workspace's
/// lock, so that it builds offline with the versions already downloaded.
fn write_crate(dir: &Path) {
    let ws = workspace();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        r#"[package]
name = "tc-outside"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
tc-client = {{ path = "{ws}/tc-client", default-features = false }}
tc-macros = {{ path = "{ws}/tc-macros" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
regress = "0.12"
tokio = {{ version = "1", features = ["rt-multi-thread", "macros"] }}

# Not a member of the workspace around target/.
[workspace]
"#,
        ws = ws.display()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/outside/program.rs"),
        dir.join("src/main.rs"),
    )
    .unwrap();
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crate_outside_the_workspace_generates_and_calls_its_own_service() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tc-outside");
    let _ = std::fs::remove_dir_all(dir.join("taskcluster-references"));
    let _ = std::fs::remove_file(dir.join("taskcluster-references.lock"));
    write_crate(&dir);

    // The workspace's references/ is laid out like a deployment: import from it.
    let to = dir.join("taskcluster-references");
    let from = workspace().join("references");
    let args = |sub: &str| -> Vec<String> {
        vec![
            "references".into(),
            sub.into(),
            "--from".into(),
            from.display().to_string(),
            "--to".into(),
            to.display().to_string(),
        ]
    };
    let check_args = vec![
        "references".into(),
        "check".into(),
        "--to".into(),
        to.display().to_string(),
    ];
    let first = tc_async(vec![], args("import"), None).await.ok();
    assert!(
        first.stdout.contains("wrote") && first.stdout.contains("taskcluster-references.lock"),
        "{first:?}"
    );
    assert!(to.join("references/secrets/v1/api.json").is_file());
    // Imported again, the lock now checks the set.
    let second = tc_async(vec![], args("import"), None).await.ok();
    assert!(second.stdout.contains("matches"), "{second:?}");
    let check = tc_async(vec![], check_args.clone(), None).await.ok();
    assert!(check.stdout.contains("matches"), "{check:?}");
    let diff = tc_async(vec![], args("diff"), None).await.ok();
    assert_eq!(diff.stdout.trim(), "no API changes", "{diff:?}");

    // A file edited by hand no longer matches its lock.
    let api = to.join("references/secrets/v1/api.json");
    let original = std::fs::read(&api).unwrap();
    std::fs::write(&api, b"{}").unwrap();
    let tampered = tc_async(vec![], check_args.clone(), None).await;
    assert_eq!(tampered.code, 1, "{tampered:?}");
    assert!(
        tampered.stderr.contains("secrets/v1/api.json"),
        "{}",
        tampered.stderr
    );
    std::fs::write(&api, original).unwrap();
    // A deliberate bump rewrites the lock from what is fetched.
    let update = tc_async(vec![], args("update"), None).await.ok();
    assert!(
        update.stdout.starts_with("updated ") && update.stdout.contains("0 changed"),
        "{update:?}"
    );

    let fake = tc_fake::start().await.unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tc-outside-target");
    let env = env_of(&fake);
    let manifest = dir.join("Cargo.toml");
    let output = tokio::task::spawn_blocking(move || {
        let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        command
            .args(["run", "--quiet", "--offline", "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("TASKCLUSTER_PROXY_URL")
            .env_remove("TASKCLUSTER_CERTIFICATE");
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the outside crate failed: {}\n{}",
        stdout,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout.trim(), r#"{"answer":42}"#);
    assert_eq!(fake.requests("secrets", "set"), 1);
    assert_eq!(fake.requests("secrets", "get"), 1);
}
