//! The published crates that expand references carry the reference set they were
//! generated from: each service crate's `references` (a symlink to the workspace's
//! `references/`) is packaged.

use std::collections::BTreeSet;
use std::process::Command;

use xtask::lock;
use xtask::references::{Layout, workspace_root};

#[test]
fn queue_package_lists_every_reference_file() {
    package_lists_every_reference_file("tc-client-queue", "services/queue");
}

#[test]
fn a_service_package_lists_every_reference_file() {
    package_lists_every_reference_file("tc-client-secrets", "services/secrets");
}

fn package_lists_every_reference_file(package: &str, folder: &str) {
    let root = workspace_root();
    let link = root.join(folder).join("references");
    assert!(
        link.join("references").is_dir(),
        "{} must lead to the imported references (a symlink to ../references, after \
         `cargo xtask references import`)",
        link.display()
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["package", "-p", package, "--list", "--allow-dirty"])
        .current_dir(&root)
        .output()
        .expect("running cargo package --list");
    assert!(out.status.success(), "{out:?}");
    let listed: BTreeSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(listed.contains("src/lib.rs"), "{listed:?}");
    let locked = lock::read(&Layout::workspace().lock_file).unwrap();
    let missing: Vec<&String> = locked
        .keys()
        .filter(|path| !listed.contains(&format!("references/{path}")))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the {package} package: {missing:?}"
    );
}
