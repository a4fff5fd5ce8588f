//! The published crates that expand references carry the references they are
//! generated from: each service crate packages, through its `references` symlink to
//! the workspace's `references/`, the manifest, its own API reference and schemas, and
//! no other service's.

use std::collections::BTreeSet;
use std::process::Command;

use xtask::lock;
use xtask::references::{self, workspace_root};

#[test]
fn the_queue_package_lists_its_reference_files() {
    package_lists_its_reference_files("queue", "secrets");
}

#[test]
fn the_secrets_package_lists_its_reference_files() {
    package_lists_its_reference_files("secrets", "queue");
}

/// The package of `service` lists every locked file of that service (and the
/// manifest), and none of `other`'s.
fn package_lists_its_reference_files(service: &str, other: &str) {
    let package = format!("tc-client-{service}");
    let folder = format!("services/{service}");
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
        .args(["package", "-p", &package, "--list", "--allow-dirty"])
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
    let locked = lock::read(&references::workspace_layout().lock_file).unwrap();
    let of = |name: &str, path: &str| {
        path.starts_with(&format!("references/{name}/"))
            || path.starts_with(&format!("schemas/{name}/"))
    };
    let missing: Vec<&String> = locked
        .keys()
        .filter(|path| of(service, path) || path.as_str() == "references/manifest.json")
        .filter(|path| !listed.contains(&format!("references/{path}")))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the {package} package: {missing:?}"
    );
    assert!(
        locked.keys().any(|path| of(service, path)),
        "the lock names no file of {service}"
    );
    let foreign: Vec<&String> = listed
        .iter()
        .filter(|path| {
            path.strip_prefix("references/")
                .is_some_and(|rest| of(other, rest))
        })
        .collect();
    assert!(
        foreign.is_empty(),
        "{other}'s files in the {package} package: {foreign:?}"
    );
}
