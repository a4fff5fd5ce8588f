//! The reference sets written for the tests, each stored as one file,
//! `tc-codegen/tests/fixtures/<name>.fixture.json`, and laid out as a
//! folder tree (`references/manifest.json`, `references/<svc>/v1/api.json`,
//! `schemas/<svc>/v1/*.json`) when a test needs it. The project never
//! tracks JSON under a `references/` folder (see the before-stop hook), so
//! the trees exist only below the target directory.
//!
//! A fixture file holds `{"files": {"<relative path>": <JSON>, ...},
//! "raw": {"<relative path>": "<exact text>", ...}}`: `files` are written
//! pretty-printed, `raw` byte for byte (for the malformed JSON that the
//! error tests need).
//!
//! Shared by the test crates that need fixtures, each with
//! `#[path = ".../tc-codegen/tests/fixture_set/mod.rs"] mod fixture_set;`
//! (a folder, so that cargo does not take it for a test crate of its own); the
//! `env!` calls below expand in the including crate.

use std::collections::BTreeMap;
use std::fs;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The folder holding the materialized fixtures: `<target>/tmp/tc-fixtures`.
fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("tc-fixtures")
}

/// The tc-codegen crate: the including crate itself or its sibling.
fn tc_codegen_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if manifest.file_name().is_some_and(|n| n == "tc-codegen") {
        manifest.to_path_buf()
    } else {
        manifest.join("../tc-codegen")
    }
}

/// Lays out the fixture `name` at `<target>/tmp/tc-fixtures/<name>/` and
/// returns that folder. A tree already there with the same content is
/// reused; otherwise the tree is written into a fresh folder and renamed
/// into place, so test threads and processes running at once never see a
/// half-written tree.
pub fn materialize(name: &str) -> PathBuf {
    let source = tc_codegen_dir()
        .join("tests/fixtures")
        .join(format!("{name}.fixture.json"));
    let wanted = read_fixture(&source);
    let root = fixtures_root();
    let dest = root.join(name);
    if tree_matches(&dest, &wanted) {
        return dest;
    }
    fs::create_dir_all(&root).unwrap_or_else(|e| panic!("cannot create {}: {e}", root.display()));

    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let unique = |kind: &str| {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        root.join(format!(".{name}.{kind}.{}.{n}", std::process::id()))
    };
    let staging = unique("new");
    remove_tree(&staging);
    write_tree(&staging, &wanted);

    for _ in 0..10 {
        match fs::rename(&staging, &dest) {
            Ok(()) => return dest,
            Err(e) if dest.exists() => {
                if tree_matches(&dest, &wanted) {
                    // Another thread or process got there first.
                    remove_tree(&staging);
                    return dest;
                }
                // A stale tree (an older version of the fixture): move it
                // aside, then try again.
                let stale = unique("old");
                match fs::rename(&dest, &stale) {
                    Ok(()) => remove_tree(&stale),
                    Err(e2) if e2.kind() == ErrorKind::NotFound => {}
                    Err(e2) => panic!(
                        "cannot replace {} (rename to it: {e}; moving it aside: {e2})",
                        dest.display()
                    ),
                }
            }
            Err(e) => panic!(
                "cannot rename {} to {}: {e}",
                staging.display(),
                dest.display()
            ),
        }
    }
    panic!(
        "cannot put fixture `{name}` in place at {}: it keeps changing",
        dest.display()
    )
}

/// The files of a fixture file: relative path to exact content.
fn read_fixture(source: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let shown = source.display();
    let text = fs::read_to_string(source).unwrap_or_else(|e| panic!("cannot read {shown}: {e}"));
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("malformed JSON in {shown}: {e}"));
    let Some(object) = value.as_object() else {
        panic!("{shown}: expected an object with `files` and `raw`");
    };
    if let Some(key) = object.keys().find(|k| *k != "files" && *k != "raw") {
        panic!("{shown}: unexpected key `{key}` (only `files` and `raw`)");
    }
    let section = |key: &str| match object.get(key) {
        None => Default::default(),
        Some(serde_json::Value::Object(map)) => map.clone(),
        Some(_) => panic!("{shown}: `{key}` is not an object"),
    };

    let mut tree = BTreeMap::new();
    let mut add = |rel: &str, bytes: Vec<u8>| {
        let path = Path::new(rel);
        let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
        if rel.is_empty() || !plain {
            panic!("{shown}: `{rel}` is not a plain relative path");
        }
        if tree.insert(path.to_path_buf(), bytes).is_some() {
            panic!("{shown}: `{rel}` is given twice");
        }
    };
    for (rel, json) in section("files") {
        let text = serde_json::to_string_pretty(&json)
            .unwrap_or_else(|e| panic!("{shown}: cannot print `{rel}`: {e}"));
        add(&rel, format!("{text}\n").into_bytes());
    }
    for (rel, text) in section("raw") {
        let Some(text) = text.as_str() else {
            panic!("{shown}: raw `{rel}` is not a string");
        };
        add(&rel, text.as_bytes().to_vec());
    }
    tree
}

fn write_tree(dir: &Path, tree: &BTreeMap<PathBuf, Vec<u8>>) {
    for (rel, bytes) in tree {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

/// Whether `dir` holds exactly the files of `tree`, with the same content.
fn tree_matches(dir: &Path, tree: &BTreeMap<PathBuf, Vec<u8>>) -> bool {
    let mut found = BTreeMap::new();
    collect_files(dir, Path::new(""), &mut found).is_ok() && found == *tree
}

fn collect_files(
    dir: &Path,
    rel: &Path,
    found: &mut BTreeMap<PathBuf, Vec<u8>>,
) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let rel = rel.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            collect_files(&entry.path(), &rel, found)?;
        } else {
            found.insert(rel, fs::read(entry.path())?);
        }
    }
    Ok(())
}

fn remove_tree(dir: &Path) {
    match fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => panic!("cannot remove {}: {e}", dir.display()),
    }
}
