//! Object and artifact transfers against tc-fake: round trips through every
//! pair of upload and download methods, integrity, faults, and the four
//! artifact storage types.
#![cfg(all(feature = "object", feature = "queue"))]

use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use ring::digest::{Context as Digest, SHA256};
use serde_json::json;
use tc_client::object::Object;
use tc_client::queue::Queue;
use tc_client::transfer::{
    Downloaded, from_bytes, from_file, from_reader, to_buffer, to_file, to_writer,
};
use tc_client::{ClientBuilder, Error, RetryPolicy, Service, Time};
use tc_test_support::{
    artifacts_task, client_with, data, fill, hex, install_crypto_provider, root_credentials, typed,
};
use tokio::io::{AsyncSeekExt, AsyncWrite};

const CONTENT_TYPE: &str = "application/x-tc-client-test";
const MIB: usize = 1024 * 1024;

struct Fixture {
    tc: tc_fake::TcFake,
    object: Object,
    queue: Queue,
    dir: TempDir,
}

fn retry() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(5))
}

async fn fixture() -> Fixture {
    install_crypto_provider();
    let tc = tc_fake::start().await.unwrap();
    let root = root_credentials(&tc);
    Fixture {
        object: client_with(&tc, root.clone(), retry()),
        queue: client_with(&tc, root, retry()),
        tc,
        dir: TempDir::new(),
    }
}

fn expires() -> Time {
    Time::from_now("1 day").unwrap()
}

fn unique(prefix: &str) -> String {
    format!("{prefix}/{}", tc_client::slugid::nice())
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("tc-client-transfer-{}", tc_client::slugid::v4()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The SHA-256 (hex) and length of some data.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Summary {
    sha256: String,
    length: u64,
}

fn summary(bytes: &[u8]) -> Summary {
    Summary {
        sha256: hex(ring::digest::digest(&SHA256, bytes).as_ref()),
        length: bytes.len() as u64,
    }
}

/// Writes `len` deterministic bytes to `path` after `prefix` junk bytes, a
/// MiB at a time; answers their summary.
fn write_source(path: &Path, prefix: usize, len: usize) -> Summary {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    file.write_all(&vec![0xEE; prefix]).unwrap();
    let mut digest = Digest::new(&SHA256);
    let mut chunk = vec![0; MIB];
    let mut at = 0;
    while at < len {
        let n = MIB.min(len - at);
        fill(at as u64, &mut chunk[..n]);
        digest.update(&chunk[..n]);
        file.write_all(&chunk[..n]).unwrap();
        at += n;
    }
    file.flush().unwrap();
    Summary {
        sha256: hex(digest.finish().as_ref()),
        length: len as u64,
    }
}

fn file_summary(path: &Path) -> Summary {
    use std::io::Read;
    let mut file = std::fs::File::open(path).unwrap();
    let mut digest = Digest::new(&SHA256);
    let mut chunk = vec![0; MIB];
    let mut length = 0;
    loop {
        let n = file.read(&mut chunk).unwrap();
        if n == 0 {
            break;
        }
        digest.update(&chunk[..n]);
        length += n as u64;
    }
    Summary {
        sha256: hex(digest.finish().as_ref()),
        length,
    }
}

/// A writer that keeps only the hash of what it is given.
impl std::fmt::Debug for HashWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashWriter")
    }
}

struct HashWriter {
    digest: Digest,
    length: u64,
}

impl HashWriter {
    fn new() -> HashWriter {
        HashWriter {
            digest: Digest::new(&SHA256),
            length: 0,
        }
    }

    fn summary(self) -> Summary {
        Summary {
            sha256: hex(self.digest.finish().as_ref()),
            length: self.length,
        }
    }
}

impl AsyncWrite for HashWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        this.digest.update(buf);
        this.length += buf.len() as u64;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Uploads `len` bytes through each upload method, then downloads each
/// object through each download method: every pair, compared by hash.
async fn round_trips(len: usize) {
    let f = fixture().await;
    let source = f.dir.path("source.bin");
    let expected = write_source(&source, 0, len);
    let prefixed = f.dir.path("prefixed.bin");
    assert_eq!(write_source(&prefixed, 7, len), expected);

    let mut names = Vec::new();
    // from a buffer
    let name = unique(&format!("round-trip/{len}/buf"));
    let bytes = std::fs::read(&source).unwrap();
    f.object
        .upload_object("tc-client-test", &name, expires(), from_bytes(&bytes))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();
    drop(bytes);
    names.push(name);
    // from a file
    let name = unique(&format!("round-trip/{len}/file"));
    f.object
        .upload_object("tc-client-test", &name, expires(), from_file(&source))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();
    names.push(name);
    // from a reader, starting at its position
    let name = unique(&format!("round-trip/{len}/reader"));
    let mut reader = tokio::fs::File::open(&prefixed).await.unwrap();
    reader.seek(std::io::SeekFrom::Start(7)).await.unwrap();
    f.object
        .upload_object(
            "tc-client-test",
            &name,
            expires(),
            from_reader(reader, len as u64),
        )
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();
    names.push(name);

    for name in &names {
        let Downloaded {
            data: bytes,
            content_type,
            ..
        } = f.object.download_object(name, to_buffer()).await.unwrap();
        assert_eq!(summary(&bytes), expected, "{name} to a buffer");
        assert_eq!(content_type, CONTENT_TYPE);
        drop(bytes);

        let out = f.dir.path("out.bin");
        let content_type = f
            .object
            .download_object(name, to_file(&out))
            .await
            .unwrap()
            .content_type;
        assert_eq!(file_summary(&out), expected, "{name} to a file");
        assert_eq!(content_type, CONTENT_TYPE);
        std::fs::remove_file(&out).unwrap();

        let mut writer = HashWriter::new();
        let content_type = f
            .object
            .download_object(name, to_writer(&mut writer))
            .await
            .unwrap()
            .content_type;
        assert_eq!(writer.summary(), expected, "{name} to a writer");
        assert_eq!(content_type, CONTENT_TYPE);
    }
    // Nothing left behind but the sources.
    assert_eq!(f.dir.entries(), ["prefixed.bin", "source.bin"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trips_of_0_bytes() {
    round_trips(0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trips_of_1_byte() {
    round_trips(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trips_of_1_mib() {
    round_trips(MIB).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trips_of_100_mib() {
    round_trips(100 * MIB).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upload_method_depends_on_the_size() {
    let f = fixture().await;
    // Below 8 KiB: dataInline, no PUT to a data URL.
    let small = data(8191);
    let name = unique("inline");
    f.object
        .upload_object("tc-client-test", &name, expires(), from_bytes(&small))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();
    assert_eq!(f.tc.requests("object", "__put"), 0);
    assert_eq!(
        f.object
            .download_object(&name, to_buffer())
            .await
            .unwrap()
            .data,
        small
    );
    // From 8 KiB: putUrl.
    let large = data(8192);
    let name = unique("put");
    f.object
        .upload_object("tc-client-test", &name, expires(), from_bytes(&large))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();
    assert_eq!(f.tc.requests("object", "__put"), 1);
    assert_eq!(
        f.object
            .download_object(&name, to_buffer())
            .await
            .unwrap()
            .data,
        large
    );
    // Both carry both hashes.
    for name in [&name] {
        let metadata = serde_json::to_value(f.object.object(name).await.unwrap()).unwrap();
        assert!(metadata["hashes"]["sha256"].is_string(), "{metadata}");
        assert!(metadata["hashes"]["sha512"].is_string(), "{metadata}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupted_object_fails_with_integrity_and_leaves_no_file() {
    let f = fixture().await;
    let bytes = data(MIB);
    let name = unique("corrupt");
    f.object
        .upload_object("tc-client-test", &name, expires(), from_bytes(&bytes))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();

    f.tc.corrupt_next_download(1);
    let err = f
        .object
        .download_object(&name, to_file(f.dir.path("out.bin")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Integrity(_)), "{err:?}");
    assert!(err.to_string().contains(&name), "{err}");
    assert_eq!(f.dir.entries(), Vec::<String>::new(), "no file is left");

    f.tc.corrupt_next_download(1);
    let err = f
        .object
        .download_object(&name, to_buffer())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Integrity(_)), "{err:?}");
    f.tc.corrupt_next_download(1);
    let err = f
        .object
        .download_object(&name, to_writer(HashWriter::new()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Integrity(_)), "{err:?}");

    // The stored data is fine: the next download succeeds.
    let out = f.dir.path("out.bin");
    f.object
        .download_object(&name, to_file(&out))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), bytes);

    // Even an empty object: the fake serves one byte.
    let name = unique("corrupt-empty");
    f.object
        .upload_object("tc-client-test", &name, expires(), from_bytes(b""))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();
    f.tc.corrupt_next_download(1);
    let err = f
        .object
        .download_object(&name, to_buffer())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Integrity(_)), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_download_is_retried_and_complete() {
    let f = fixture().await;
    let source = f.dir.path("source.bin");
    let expected = write_source(&source, 0, 5 * MIB + 3);
    let name = unique("dropped");
    f.object
        .upload_object("tc-client-test", &name, expires(), from_file(&source))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();

    let before = f.tc.requests("object", "__get");
    f.tc.drop_connection_next("object", "__get", 2);
    let out = f.dir.path("out.bin");
    f.object
        .download_object(&name, to_file(&out))
        .await
        .unwrap();
    assert_eq!(file_summary(&out), expected);
    assert_eq!(f.tc.requests("object", "__get") - before, 3);

    f.tc.drop_connection_next("object", "__get", 1);
    f.tc.fail_next("object", "__get", 1, 503);
    let Downloaded { data: bytes, .. } =
        f.object.download_object(&name, to_buffer()).await.unwrap();
    assert_eq!(summary(&bytes), expected);

    // A writer: retried while nothing was written; a drop mid-body is not.
    f.tc.fail_next("object", "__get", 2, 500);
    let mut writer = HashWriter::new();
    f.object
        .download_object(&name, to_writer(&mut writer))
        .await
        .unwrap();
    assert_eq!(writer.summary(), expected);
    f.tc.drop_connection_next("object", "__get", 1);
    let err = f
        .object
        .download_object(&name, to_writer(HashWriter::new()))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("cannot be rewound"), "{err}");

    // Out of retries: the last error, and no file.
    let object: Object = ClientBuilder::default()
        .root_url(f.tc.root_url())
        .credentials(f.object.client().credentials())
        .retry(retry().max_retries(1))
        .build()
        .unwrap();
    f.tc.drop_connection_next("object", "__get", 2);
    let err = object
        .download_object(&name, to_file(&out))
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    // The earlier download is still there, untouched.
    assert_eq!(file_summary(&out), expected);
    assert_eq!(f.dir.entries(), ["out.bin", "source.bin"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_uploads_are_retried_from_the_start() {
    let f = fixture().await;
    let source = f.dir.path("source.bin");
    let expected = write_source(&source, 0, 3 * MIB);
    let name = unique("upload-faults");
    f.tc.fail_next("object", "__put", 1, 500);
    f.tc.drop_connection_next("object", "__put", 1);
    f.object
        .upload_object("tc-client-test", &name, expires(), from_file(&source))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();
    assert_eq!(f.tc.requests("object", "__put"), 3);
    let Downloaded { data: bytes, .. } =
        f.object.download_object(&name, to_buffer()).await.unwrap();
    assert_eq!(summary(&bytes), expected);

    // A 4xx is not retried.
    let name = unique("upload-refused");
    f.tc.fail_next("object", "__put", 1, 403);
    let err = f
        .object
        .upload_object("tc-client-test", &name, expires(), from_file(&source))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn io_errors_name_the_path() {
    let f = fixture().await;
    let name = unique("paths");
    f.object
        .upload_object("tc-client-test", &name, expires(), from_bytes(b"abc"))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();
    let missing = f.dir.path("no/such/dir/out.bin");
    let err = f
        .object
        .download_object(&name, to_file(&missing))
        .await
        .unwrap_err();
    match &err {
        Error::Io { path, source } => {
            assert_eq!(path, &missing.display().to_string());
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("no/such/dir/out.bin"), "{err}");

    let absent = f.dir.path("absent.bin");
    let err = f
        .object
        .upload_object(
            "tc-client-test",
            &unique("x"),
            expires(),
            from_file(&absent),
        )
        .content_type(CONTENT_TYPE)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io { path, .. } if *path == absent.display().to_string()),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_reported() {
    let f = fixture().await;
    let bytes = data(MIB + 5);
    let total = Some(bytes.len() as u64);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    let progress = move |done, total| seen.lock().unwrap().push((done, total));
    let object = &f.object;
    let name = unique("progress");
    object
        .upload_object("tc-client-test", &name, expires(), from_bytes(&bytes))
        .content_type(CONTENT_TYPE)
        .progress(progress.clone())
        .await
        .unwrap();
    let uploaded = std::mem::take(&mut *calls.lock().unwrap());
    assert_eq!(uploaded.first(), Some(&(0, total)));
    assert_eq!(uploaded.last(), Some(&(bytes.len() as u64, total)));
    assert!(
        uploaded.windows(2).all(|w| w[0].0 <= w[1].0),
        "{uploaded:?}"
    );

    object
        .download_object(&name, to_buffer())
        .progress(progress)
        .await
        .unwrap();
    let downloaded = std::mem::take(&mut *calls.lock().unwrap());
    assert_eq!(downloaded.first(), Some(&(0, total)));
    assert_eq!(downloaded.last(), Some(&(bytes.len() as u64, total)));
    assert!(downloaded.len() > 2, "{downloaded:?}");
}

// ---------------------------------------------------------------------------
// Artifacts

/// A task with a claimed run: its id and a queue client with the claim's credentials.
async fn claimed_task(f: &Fixture) -> (String, Queue) {
    // Each test has its own fake: one queue is enough.
    let claimed = artifacts_task(&f.queue, "tc-client-test", "proj-test/transfers").await;
    let queue = client_with(&f.tc, claimed.credentials, retry());
    (claimed.task_id, queue)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_artifact_without_an_expiry_expires_with_its_task() {
    let f = fixture().await;
    let (task_id, _worker) = claimed_task(&f).await;
    // Root may read the task; the queue filled in its expiry.
    let task_expires = f.queue.task(&task_id).await.unwrap().expires.unwrap();
    let sent = f
        .queue
        .upload_artifact(&task_id, 0, "public/notes.txt", from_bytes(b"notes"))
        .await
        .unwrap();
    assert_eq!(sent.size, 5);
    let info = f
        .queue
        .latest_artifact_info(&task_id, "public/notes.txt")
        .await
        .unwrap();
    assert_eq!(info.expires, task_expires);
    assert_eq!(info.content_type, "application/octet-stream");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_artifact_uploads_in_one_call_and_downloads_from_the_latest_run() {
    let f = fixture().await;
    let (task_id, worker) = claimed_task(&f).await;
    let source = f.dir.path("source.bin");
    let expected = write_source(&source, 0, 2 * MIB + 11);
    let name = "public/build/target.bin";
    // tc-fake checks each message against its exchange's schema before
    // handing it on, as the queue does: one arriving here is schema-valid.
    let announced = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = announced.clone();
    f.tc.on_queue_event(move |exchange, _, _, message| {
        if exchange.ends_with("/artifact-created") {
            sink.lock().unwrap().push(message);
        }
    });
    let before = f.tc.requests("queue", "createArtifact");
    f.tc.fail_next("object", "__put", 1, 502);
    worker
        .upload_artifact(&task_id, "0", name, from_file(&source))
        .content_type(CONTENT_TYPE)
        .expires(expires())
        .await
        .unwrap();
    assert_eq!(f.tc.requests("queue", "createArtifact") - before, 1);
    let messages = announced.lock().unwrap().clone();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["artifact"]["name"], name);
    assert_eq!(messages[0]["artifact"]["storageType"], "object");
    assert!(messages[0]["artifact"].get("contentLength").is_none());
    let info =
        serde_json::to_value(f.queue.latest_artifact_info(&task_id, name).await.unwrap()).unwrap();
    assert_eq!(info["storageType"], "object", "{info}");
    assert_eq!(info["contentType"], CONTENT_TYPE);

    let Downloaded {
        data: bytes,
        content_type,
        ..
    } = f
        .queue
        .download_artifact(&task_id, name, to_buffer())
        .await
        .unwrap();
    assert_eq!(summary(&bytes), expected);
    assert_eq!(content_type, CONTENT_TYPE);
    let out = f.dir.path("out.bin");
    f.queue
        .download_artifact(&task_id, name, to_file(&out))
        .run_id("0")
        .await
        .unwrap();
    assert_eq!(file_summary(&out), expected);
    let mut writer = HashWriter::new();
    f.queue
        .download_artifact(&task_id, name, to_writer(&mut writer))
        .await
        .unwrap();
    assert_eq!(writer.summary(), expected);

    // Small ones go inline; readers and progress work too.
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    worker
        .upload_artifact(
            &task_id,
            "0",
            "public/small.txt",
            from_reader(std::io::Cursor::new(b"hello".to_vec()), 5),
        )
        .content_type("text/plain")
        .expires(expires())
        .progress(move |done, total| seen.lock().unwrap().push((done, total)))
        .await
        .unwrap();
    assert_eq!(calls.lock().unwrap().last(), Some(&(5, Some(5))));
    worker
        .upload_artifact(&task_id, "0", "public/empty", from_bytes(b""))
        .content_type("text/plain")
        .expires(expires())
        .await
        .unwrap();
    let Downloaded {
        data: bytes,
        content_type,
        ..
    } = f
        .queue
        .download_artifact(&task_id, "public/small.txt", to_buffer())
        .run_id("0")
        .await
        .unwrap();
    assert_eq!(
        (bytes.as_slice(), content_type.as_str()),
        (&b"hello"[..], "text/plain")
    );
    let Downloaded { data: bytes, .. } = f
        .queue
        .download_artifact(&task_id, "public/empty", to_buffer())
        .await
        .unwrap();
    assert!(bytes.is_empty());

    // A corrupted artifact download is an integrity error, leaving no file.
    f.tc.corrupt_next_download(1);
    let corrupt_out = f.dir.path("corrupt.bin");
    let err = f
        .queue
        .download_artifact(&task_id, name, to_file(&corrupt_out))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Integrity(_)), "{err:?}");
    assert!(!corrupt_out.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_storage_type_downloads() {
    let f = fixture().await;
    let (task_id, worker) = claimed_task(&f).await;
    let bytes = data(300_000);

    // object
    worker
        .upload_artifact(&task_id, "0", "public/object.bin", from_bytes(&bytes))
        .content_type(CONTENT_TYPE)
        .expires(expires())
        .await
        .unwrap();

    // s3: created by hand, its data PUT with plain HTTP
    let request =
        typed(json!({"storageType": "s3", "contentType": "text/plain", "expires": expires()}));
    let created = serde_json::to_value(
        worker
            .create_artifact(&task_id, "0", "public/s3.log", &request)
            .await
            .unwrap(),
    )
    .unwrap();
    let response = reqwest::Client::new()
        .put(created["putUrl"].as_str().unwrap())
        .header("Content-Type", "text/plain")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // reference: to a signed object-service download URL, which redirects to the data
    let object_name = format!("t/{task_id}/0/public/object.bin");
    let url = f
        .object
        .download_signed_url(&object_name, Duration::from_secs(600))
        .unwrap();
    let request = typed(json!({
        "storageType": "reference", "contentType": "text/html", "expires": expires(), "url": url,
    }));
    worker
        .create_artifact(&task_id, "0", "public/reference.bin", &request)
        .await
        .unwrap();

    // error
    let request = typed(json!({
        "storageType": "error", "expires": expires(),
        "reason": "file-missing-on-worker", "message": "no such file: report.html",
    }));
    worker
        .create_artifact(&task_id, "0", "public/report.html", &request)
        .await
        .unwrap();

    for (name, content_type) in [
        ("public/object.bin", CONTENT_TYPE),
        ("public/s3.log", "text/plain"),
        ("public/reference.bin", CONTENT_TYPE),
    ] {
        for run_id in [None, Some("0")] {
            let download = f.queue.download_artifact(&task_id, name, to_buffer());
            let download = match run_id {
                Some(run_id) => download.run_id(run_id),
                None => download,
            };
            let Downloaded {
                data: got,
                content_type: got_type,
                ..
            } = download.await.unwrap();
            assert!(got == bytes, "{name} ({run_id:?}) to a buffer");
            assert_eq!(got_type, content_type, "{name}");
        }
        let out = f.dir.path("out.bin");
        f.queue
            .download_artifact(&task_id, name, to_file(&out))
            .await
            .unwrap();
        assert_eq!(file_summary(&out), summary(&bytes), "{name} to a file");
        let mut writer = HashWriter::new();
        f.queue
            .download_artifact(&task_id, name, to_writer(&mut writer))
            .run_id("0")
            .await
            .unwrap();
        assert_eq!(writer.summary(), summary(&bytes), "{name} to a writer");
    }

    // s3 data survives a dropped connection too
    f.tc.drop_connection_next("queue", "__get", 1);
    let Downloaded { data: got, .. } = f
        .queue
        .download_artifact(&task_id, "public/s3.log", to_buffer())
        .await
        .unwrap();
    assert!(got == bytes);

    // an error artifact is a typed error, and leaves no file
    let out = f.dir.path("report.html");
    let err = f
        .queue
        .download_artifact(&task_id, "public/report.html", to_file(&out))
        .await
        .unwrap_err();
    match &err {
        Error::Artifact {
            artifact,
            reason,
            message,
        } => {
            assert_eq!(artifact, &format!("{task_id}/latest/public/report.html"));
            assert_eq!(reason, "file-missing-on-worker");
            assert_eq!(message, "no such file: report.html");
        }
        other => panic!("{other:?}"),
    }
    assert!(!out.exists());
    let err = f
        .queue
        .download_artifact(&task_id, "public/report.html", to_buffer())
        .run_id("0")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Artifact { .. }), "{err:?}");

    // a missing artifact is the queue's 404
    let err = f
        .queue
        .download_artifact(&task_id, "public/nothing", to_buffer())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_encoded_data_is_decoded_then_verified() {
    use tc_client::object::{
        DownloadObjectRequest, DownloadObjectResponse, SupportedDownloadMethods,
    };

    let f = fixture().await;
    let bytes = data(3 * MIB + 17);
    let name = unique("gzip");
    f.object
        .upload_object("tc-client-test", &name, expires(), from_bytes(&bytes))
        .content_type(CONTENT_TYPE)
        .await
        .unwrap();
    f.tc.serve_downloads_gzipped(true);

    // The fake does serve it compressed to a client that accepts gzip.
    let request = DownloadObjectRequest::new(SupportedDownloadMethods::new().get_url(true));
    let DownloadObjectResponse::GetUrlDownloadResponse(answer) =
        f.object.start_download(&name, &request).await.unwrap()
    else {
        panic!("getUrl expected");
    };
    let raw = reqwest::Client::builder()
        .no_gzip()
        .build()
        .unwrap()
        .get(answer.url.as_str())
        .header(reqwest::header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()[reqwest::header::CONTENT_ENCODING], "gzip");
    let compressed = raw.bytes().await.unwrap();
    assert_ne!(compressed.len(), bytes.len());

    // tc-client decodes it and checks the hashes on the decoded bytes.
    let Downloaded {
        data: got,
        content_type,
        ..
    } = f.object.download_object(&name, to_buffer()).await.unwrap();
    assert_eq!(content_type, CONTENT_TYPE);
    assert_eq!(summary(&got), summary(&bytes));
    let out = f.dir.path("out.bin");
    f.object
        .download_object(&name, to_file(&out))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), bytes);

    // A compressed body cut short fails the decoder and is retried.
    let before = f.tc.requests("object", "__get");
    f.tc.drop_connection_next("object", "__get", 1);
    let Downloaded { data: got, .. } = f.object.download_object(&name, to_buffer()).await.unwrap();
    assert_eq!(summary(&got), summary(&bytes));
    assert_eq!(f.tc.requests("object", "__get") - before, 2);

    // Wrong data, well compressed: the hashes catch it.
    f.tc.corrupt_next_download(1);
    let err = f
        .object
        .download_object(&name, to_file(&out))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Integrity(_)), "{err:?}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        bytes,
        "the earlier file is untouched"
    );

    // Artifacts too: an object artifact through the queue.
    let (task_id, as_task) = claimed_task(&f).await;
    as_task
        .upload_artifact(&task_id, "0", "public/logs/live.log", from_bytes(&bytes))
        .content_type("text/plain")
        .expires(expires())
        .await
        .unwrap();
    let Downloaded { data: got, .. } = f
        .queue
        .download_artifact(&task_id, "public/logs/live.log", to_buffer())
        .await
        .unwrap();
    assert_eq!(summary(&got), summary(&bytes));
}
