//! `cargo xtask references`: imports from a directory and over HTTP, against the committed
//! `references.lock`, into temporary folders (the workspace's own `references/` is never
//! touched).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use xtask::canonical;
use xtask::lock::{self, UPDATE_HINT};
use xtask::reference_set::Source;
use xtask::references::{self, Layout};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/taskcluster-api")
}

/// The committed lock at the workspace root.
fn committed_lock() -> PathBuf {
    references::workspace_root().join("references.lock")
}

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("xtask-test-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// `references/` in this folder, checked against the committed lock.
    fn layout(&self) -> Layout {
        Layout {
            references_dir: self.0.join("references"),
            lock_file: committed_lock(),
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the shared reference folder, to damage.
fn shared_copy(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    copy_dir(&shared(), &dir.path().join("src"));
    dir
}

/// Entries of a folder (names only), to see that a failed import left it alone.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// --- a tiny static file server that behaves like a deployment ---------------------------

/// Serves `dir` on 127.0.0.1 as a live deployment serves its references: JSON bodies
/// rewritten by [`as_deployment_serves`].
async fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    let root_url = root.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(handle(stream, dir.clone(), root_url.clone()));
        }
    });
    root
}

async fn handle(mut stream: TcpStream, dir: PathBuf, root_url: String) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
        if request.len() > 64 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&request);
    let mut parts = head.lines().next().unwrap_or_default().split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = target.split('?').next().unwrap_or("");
    let (status, body) = if method != "GET" {
        ("405 Method Not Allowed", b"GET only\n".to_vec())
    } else if !path.starts_with('/') || path.split('/').any(|s| s == "..") {
        ("400 Bad Request", b"bad path\n".to_vec())
    } else {
        match std::fs::read(dir.join(&path[1..])) {
            Ok(bytes) if path.ends_with(".json") => {
                ("200 OK", as_deployment_serves(&bytes, &root_url))
            }
            Ok(bytes) => ("200 OK", bytes),
            Err(_) => ("404 Not Found", b"not found\n".to_vec()),
        }
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes()).await;
    let _ = stream.write_all(&body).await;
    let _ = stream.shutdown().await;
}

/// The document as a live deployment serves it: `JSON.stringify(doc, null, 2)` of the
/// document with absolute URLs, which means two-space indentation, raw UTF-8 (no `\uXXXX`
/// escapes), no newline at the end, and the service's own key order, here the reverse of
/// the folder's.
fn as_deployment_serves(bytes: &[u8], root_url: &str) -> Vec<u8> {
    let doc: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let mut out = String::new();
    stringify(&doc, 0, root_url, &mut out);
    out.into_bytes()
}

fn stringify(value: &serde_json::Value, depth: usize, root_url: &str, out: &mut String) {
    use serde_json::Value;
    let pad = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    match value {
        Value::String(s) if s.starts_with("/schemas/") || s.starts_with("/references/") => {
            out.push_str(&serde_json::to_string(&format!("{root_url}{s}")).unwrap());
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { "," });
                pad(out, depth + 1);
                stringify(item, depth + 1, root_url, out);
            }
            pad(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (key, item)) in map.iter().rev().enumerate() {
                out.push_str(if i == 0 { "" } else { "," });
                pad(out, depth + 1);
                out.push_str(&serde_json::to_string(key).unwrap());
                out.push_str(": ");
                stringify(item, depth + 1, root_url, out);
            }
            pad(out, depth);
            out.push('}');
        }
        // serde_json writes scalars (and `[]`, `{}`) as JSON.stringify does: strings with
        // only the escapes JSON needs, so non-ASCII text stays raw.
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

// --- tests ------------------------------------------------------------------------------

#[tokio::test]
async fn import_from_directory_matches_lock() {
    let tmp = TempDir::new("dir");
    let layout = tmp.layout();
    let summary = references::import(&layout, &Source::Dir(shared()))
        .await
        .unwrap();
    let expected = lock::read(&committed_lock()).unwrap();
    assert_eq!(summary.files, expected.len());
    // Everything the lock lists, and the standard workers' payload schemas in particular.
    for schema in [
        "schemas/generic-worker/insecure_posix.json",
        "schemas/generic-worker/multiuser_posix.json",
        "schemas/generic-worker/multiuser_windows.json",
        "schemas/docker-worker/v1/payload.json",
        "references/manifest.json",
        "references/queue/v1/api.json",
        "schemas/queue/v1/task.json",
    ] {
        assert!(expected.contains_key(schema), "{schema} not in the lock");
        assert!(layout.references_dir.join(schema).is_file(), "{schema}");
    }
    // A directory import writes each file's canonical form: the same JSON, sorted keys,
    // raw UTF-8 and a final newline.
    for path in expected.keys() {
        let written = std::fs::read(layout.references_dir.join(path)).unwrap();
        let original = std::fs::read(shared().join(path)).unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&written).unwrap(),
            serde_json::from_slice::<serde_json::Value>(&original).unwrap(),
            "{path}"
        );
        assert_eq!(
            written,
            canonical::canonicalize(path, &written, None).unwrap(),
            "{path}"
        );
        assert!(written.ends_with(b"}\n"), "{path}");
    }
    // The shared folder escapes some non-ASCII text; the canonical form does not.
    let exchanges = "references/queue/v1/exchanges.json";
    let original = std::fs::read_to_string(shared().join(exchanges)).unwrap();
    assert!(original.contains("\\u"));
    let written = std::fs::read_to_string(layout.references_dir.join(exchanges)).unwrap();
    assert!(!written.contains("\\u"), "{written}");
    assert_eq!(references::check(&layout).unwrap(), expected.len());
    // No temporary folder is left behind.
    assert_eq!(listing(tmp.path()), ["references"]);
}

#[tokio::test]
async fn import_from_a_live_deployment_matches_the_lock_and_the_folder_import() {
    let root = serve(shared()).await;
    let source = Source::http(&root).unwrap();
    // The server writes what a deployment writes: absolute URLs, two-space indentation,
    // no final newline, raw UTF-8, its own key order.
    let manifest = source.fetch("/references/manifest.json").await.unwrap();
    let manifest = String::from_utf8(manifest).unwrap();
    assert!(
        manifest.contains(&format!("\"{root}/references/queue/v1/api.json\"")),
        "{manifest}"
    );
    assert!(
        manifest.starts_with("{\n  \"") && manifest.ends_with('}'),
        "{manifest}"
    );
    let served = source
        .fetch("/references/queue/v1/exchanges.json")
        .await
        .unwrap();
    assert!(!String::from_utf8(served).unwrap().contains("\\u"));

    let over_http = TempDir::new("http");
    let summary = references::import(&over_http.layout(), &source)
        .await
        .unwrap();
    assert_eq!(summary.from, root);
    let locked = lock::read(&committed_lock()).unwrap();
    assert_eq!(summary.files, locked.len());

    let from_dir = TempDir::new("http-dir");
    references::import(&from_dir.layout(), &Source::Dir(shared()))
        .await
        .unwrap();
    // Byte for byte the same files.
    for path in locked.keys() {
        assert_eq!(
            std::fs::read(over_http.layout().references_dir.join(path)).unwrap(),
            std::fs::read(from_dir.layout().references_dir.join(path)).unwrap(),
            "{path}"
        );
    }
    assert_eq!(
        references::check(&over_http.layout()).unwrap(),
        summary.files
    );
}

/// A copy of the shared folder in which one description of `queue.createTask`'s request
/// schema says something else.
fn changed_description(name: &str) -> TempDir {
    let src = shared_copy(name);
    let schema = src
        .path()
        .join("src/schemas/queue/v1/create-task-request.json");
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&schema).unwrap()).unwrap();
    doc["properties"]["priority"]["description"] = "A new description.".into();
    std::fs::write(&schema, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    src
}

#[tokio::test]
async fn a_changed_description_served_live_is_refused_naming_the_file_and_pointer() {
    let src = changed_description("changed-live");
    // references/ holds the locked set, as it does once a release has been imported.
    let layout = src.layout();
    references::import(&layout, &Source::Dir(shared()))
        .await
        .unwrap();
    let before = lock::hash_dir(&layout.references_dir).unwrap();

    let root = serve(src.path().join("src")).await;
    let err = references::import(&layout, &Source::http(&root).unwrap())
        .await
        .unwrap_err();
    let msg = err.message();
    assert!(
        msg.contains("schemas/queue/v1/create-task-request.json: sha256"),
        "{msg}"
    );
    assert!(
        msg.contains("first difference at JSON pointer /properties/priority/description"),
        "{msg}"
    );
    assert_eq!(msg.matches(": sha256").count(), 1, "{msg}");
    assert!(msg.ends_with(UPDATE_HINT), "{msg}");
    // references/ is untouched and no temporary folder is left.
    assert_eq!(lock::hash_dir(&layout.references_dir).unwrap(), before);
    assert_eq!(listing(src.path()), ["references", "src"]);
}

#[tokio::test]
async fn whitespace_and_escapes_alone_are_no_difference() {
    let src = shared_copy("reformatted");
    let schema = src.path().join("src/schemas/queue/v1/task.json");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&schema).unwrap()).unwrap();
    // One line, every non-ASCII character escaped.
    let escaped: String = serde_json::to_string(&doc)
        .unwrap()
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("\\u{:04x}", u32::from(c))
            }
        })
        .collect();
    assert_ne!(escaped.as_bytes(), canonical::to_bytes(&doc));
    std::fs::write(&schema, escaped).unwrap();
    let layout = src.layout();
    references::import(&layout, &Source::Dir(src.path().join("src")))
        .await
        .unwrap();
    assert_eq!(
        std::fs::read(layout.references_dir.join("schemas/queue/v1/task.json")).unwrap(),
        canonical::to_bytes(&doc)
    );
}

#[tokio::test]
async fn a_changed_schema_without_a_local_copy_fails_naming_it_and_leaves_references_alone() {
    let src = changed_description("tampered");
    let layout = src.layout();
    std::fs::create_dir_all(&layout.references_dir).unwrap();
    std::fs::write(layout.references_dir.join("previous"), "kept").unwrap();

    let err = references::import(&layout, &Source::Dir(src.path().join("src")))
        .await
        .unwrap_err();
    let msg = err.message();
    assert!(
        msg.contains("schemas/queue/v1/create-task-request.json: sha256"),
        "{msg}"
    );
    assert!(
        msg.contains("references/ holds no copy matching the lock"),
        "{msg}"
    );
    assert_eq!(msg.matches(": sha256").count(), 1, "{msg}");
    assert!(msg.ends_with(UPDATE_HINT), "{msg}");
    // The existing references/ is untouched and the temporary folder is gone.
    assert_eq!(listing(&layout.references_dir), ["previous"]);
    assert_eq!(listing(src.path()), ["references", "src"]);
}

#[tokio::test]
async fn missing_schema_fails_naming_it() {
    let src = shared_copy("missing");
    std::fs::remove_file(src.path().join("src/schemas/queue/v1/task-run.json")).unwrap();
    let layout = src.layout();
    let err = references::import(&layout, &Source::Dir(src.path().join("src")))
        .await
        .unwrap_err();
    let msg = err.message();
    assert!(
        msg.contains("schemas/queue/v1/task-run.json: listed in references.lock but not found"),
        "{msg}"
    );
    assert!(msg.ends_with(UPDATE_HINT), "{msg}");
    assert!(!layout.references_dir.exists());
    assert_eq!(listing(src.path()), ["src"]);
}

#[tokio::test]
async fn missing_worker_payload_schema_fails_naming_it() {
    let src = shared_copy("missing-payload");
    std::fs::remove_file(src.path().join("src/schemas/docker-worker/v1/payload.json")).unwrap();
    let err = references::import(&src.layout(), &Source::Dir(src.path().join("src")))
        .await
        .unwrap_err();
    let msg = err.message();
    assert!(
        msg.contains("schemas/docker-worker/v1/payload.json: listed in references.lock"),
        "{msg}"
    );
    assert!(msg.ends_with(UPDATE_HINT), "{msg}");
}

#[tokio::test]
async fn missing_lock_fails_with_update_hint() {
    let tmp = TempDir::new("no-lock");
    let layout = Layout::in_dir(tmp.path());
    let err = references::import(&layout, &Source::Dir(shared()))
        .await
        .unwrap_err();
    let msg = err.message();
    assert!(msg.contains("references.lock does not exist"), "{msg}");
    assert!(msg.contains("cargo xtask references update"), "{msg}");
    assert!(!layout.references_dir.exists());
}

#[tokio::test]
async fn update_writes_the_committed_lock_then_import_and_check_pass() {
    let tmp = TempDir::new("update");
    let layout = Layout::in_dir(tmp.path());
    let summary = references::update(&layout, &Source::Dir(shared()))
        .await
        .unwrap();
    let changes = summary.changes.unwrap();
    assert_eq!(changes.added, summary.files);
    assert_eq!((changes.removed, changes.changed), (0, 0));
    assert_eq!(
        std::fs::read_to_string(&layout.lock_file).unwrap(),
        std::fs::read_to_string(committed_lock()).unwrap(),
        "references.lock is out of date with the shared references"
    );
    references::import(&layout, &Source::Dir(shared()))
        .await
        .unwrap();
    assert_eq!(references::check(&layout).unwrap(), summary.files);

    // A second update changes nothing; a tampered references/ fails `check`.
    let again = references::update(&layout, &Source::Dir(shared()))
        .await
        .unwrap();
    assert_eq!(again.changes.unwrap(), lock::Changes::default());
    std::fs::write(
        layout.references_dir.join("schemas/queue/v1/task.json"),
        "{}",
    )
    .unwrap();
    std::fs::write(layout.references_dir.join("stray.json"), "{}").unwrap();
    let msg = references::check(&layout).unwrap_err().to_string();
    assert!(msg.contains("schemas/queue/v1/task.json: sha256"), "{msg}");
    assert!(msg.contains("stray.json: found but not listed"), "{msg}");
    assert!(msg.ends_with(UPDATE_HINT), "{msg}");
}

#[tokio::test]
async fn http_errors_name_the_url() {
    // Nothing listens on a port just released.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let root = format!("http://127.0.0.1:{port}");
    let tmp = TempDir::new("refused");
    let err = references::import(&tmp.layout(), &Source::http(&root).unwrap())
        .await
        .unwrap_err();
    let msg = err.message();
    assert!(
        msg.contains(&format!("{root}/references/manifest.json")),
        "{msg}"
    );

    // A server without references is not a deployment.
    let empty = TempDir::new("empty");
    let root = serve(empty.path().to_path_buf()).await;
    let err = references::import(&tmp.layout(), &Source::http(&root).unwrap())
        .await
        .unwrap_err();
    let msg = err.message();
    assert!(msg.contains("/references/manifest.json not found"), "{msg}");
    assert!(msg.contains(&root), "{msg}");
}
