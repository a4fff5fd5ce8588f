//! The object service and the `object` and `s3` artifact storage types over
//! real HTTP: the generated clients for the API calls, plain reqwest for the
//! data URLs.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use tc_client::object::Object;
use tc_client::queue::Queue;
use tc_client::{Credentials, Time};
use tc_test_support::{
    artifacts_task, client, credentials_of, data, hex, install_crypto_provider, plain, root, typed,
};

const CONTENT_TYPE: &str = "application/x-tc-fake-test";

struct Fixture {
    tc: tc_fake::TcFake,
    object: Object,
    queue: Queue,
    http: reqwest::Client,
}

async fn fixture() -> Fixture {
    install_crypto_provider();
    let tc = tc_fake::start().await.unwrap();
    Fixture {
        object: root(&tc),
        queue: root(&tc),
        http: reqwest::Client::new(),
        tc,
    }
}

fn hashes(bytes: &[u8]) -> Value {
    json!({
        "sha256": hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref()),
        "sha512": hex(ring::digest::digest(&ring::digest::SHA512, bytes).as_ref()),
    })
}

fn expires() -> Value {
    plain(Time::from_now("1 day").unwrap())
}

impl Fixture {
    async fn create_upload(
        &self,
        object: &Object,
        name: &str,
        upload_id: &str,
        expires: &Value,
        methods: Value,
    ) -> tc_client::Result<Value> {
        let request = typed(json!({
            "projectId": "tc-fake-test",
            "uploadId": upload_id,
            "expires": expires,
            "proposedUploadMethods": methods,
        }));
        object.create_upload(name, &request).await.map(plain)
    }

    async fn finish_upload(
        &self,
        object: &Object,
        name: &str,
        upload_id: &str,
        hashes: Value,
    ) -> tc_client::Result<()> {
        let request = typed(json!({
            "projectId": "tc-fake-test",
            "uploadId": upload_id,
            "hashes": hashes,
        }));
        object.finish_upload(name, &request).await
    }

    /// PUTs `bytes` to a `putUrl` answer, with the headers it lists.
    async fn put(&self, put_url: &Value, bytes: &[u8]) -> reqwest::Result<reqwest::Response> {
        let mut request = self.http.put(put_url["url"].as_str().unwrap());
        for (name, value) in put_url["headers"].as_object().unwrap() {
            request = request.header(name, value.as_str().unwrap());
        }
        request.body(bytes.to_vec()).send().await
    }

    /// Uploads `bytes` through `putUrl` and finishes with their hashes.
    async fn put_object(&self, name: &str, bytes: &[u8]) {
        let upload_id = tc_client::slugid::nice();
        let methods =
            json!({"putUrl": {"contentType": CONTENT_TYPE, "contentLength": bytes.len()}});
        let answer = self
            .create_upload(&self.object, name, &upload_id, &expires(), methods)
            .await
            .unwrap();
        let put_url = &answer["uploadMethod"]["putUrl"];
        let response = self.put(put_url, bytes).await.unwrap();
        assert_eq!(response.status(), 200, "{:?}", response.text().await);
        self.finish_upload(&self.object, name, &upload_id, hashes(bytes))
            .await
            .unwrap();
    }

    async fn start_download(&self, name: &str, methods: Value) -> tc_client::Result<Value> {
        let request = typed(json!({ "acceptDownloadMethods": methods }));
        self.object.start_download(name, &request).await.map(plain)
    }

    /// The URL and hashes of a `getUrl` download.
    async fn get_url(&self, name: &str) -> (String, Value) {
        let answer = self
            .start_download(name, json!({"getUrl": true, "simple": true}))
            .await
            .unwrap();
        assert_eq!(answer["method"], "getUrl", "{answer}");
        (
            answer["url"].as_str().unwrap().to_owned(),
            answer["hashes"].clone(),
        )
    }

    async fn get(&self, url: &str) -> (reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self.http.get(url).send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap().to_vec();
        (status, headers, body)
    }
}

#[tokio::test]
async fn data_inline_round_trip() {
    let f = fixture().await;
    let upload_id = tc_client::slugid::nice();
    let answer = f
        .create_upload(
            &f.object,
            "inline/hello.txt",
            &upload_id,
            &expires(),
            json!({
                "dataInline": {"contentType": "text/plain", "objectData": "aGVsbG8="},
                "putUrl": {"contentType": "text/plain", "contentLength": 5},
            }),
        )
        .await
        .unwrap();
    assert_eq!(
        answer["uploadMethod"],
        json!({"dataInline": true}),
        "{answer}"
    );
    assert_eq!(answer["uploadId"], json!(upload_id));
    f.finish_upload(&f.object, "inline/hello.txt", &upload_id, hashes(b"hello"))
        .await
        .unwrap();

    let (url, got_hashes) = f.get_url("inline/hello.txt").await;
    assert_eq!(got_hashes, hashes(b"hello"));
    let (status, headers, body) = f.get(&url).await;
    assert_eq!(status, 200);
    assert_eq!(body, b"hello");
    assert_eq!(headers["content-type"], "text/plain");
    assert_eq!(headers["content-length"], "5");

    let metadata = plain(f.object.object("inline/hello.txt").await.unwrap());
    assert_eq!(metadata["projectId"], "tc-fake-test");
    assert_eq!(metadata["hashes"], hashes(b"hello"));
    assert_eq!(f.tc.requests("object", "__get"), 1);
}

#[tokio::test]
async fn put_url_round_trips_of_1_mib_and_0_bytes() {
    let f = fixture().await;
    for (name, bytes) in [
        ("sizes/1MiB", data(1024 * 1024)),
        ("sizes/empty", Vec::new()),
        ("sizes/one", vec![7]),
    ] {
        let upload_id = tc_client::slugid::nice();
        let methods =
            json!({"putUrl": {"contentType": CONTENT_TYPE, "contentLength": bytes.len()}});
        let answer = f
            .create_upload(&f.object, name, &upload_id, &expires(), methods)
            .await
            .unwrap();
        let put_url = &answer["uploadMethod"]["putUrl"];
        assert_eq!(
            put_url["headers"],
            json!({"Content-Type": CONTENT_TYPE, "Content-Length": bytes.len().to_string()}),
            "{answer}"
        );
        let url = put_url["url"].as_str().unwrap();
        assert!(
            url.starts_with(&format!("{}/__tc_fake/objects/put/", f.tc.root_url())),
            "{url}"
        );
        assert!(put_url["expires"].is_string());
        assert_eq!(f.put(put_url, &bytes).await.unwrap().status(), 200);
        // not downloadable before finishUpload
        let error = f
            .start_download(name, json!({"getUrl": true}))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(404), "{error}");
        f.finish_upload(&f.object, name, &upload_id, hashes(&bytes))
            .await
            .unwrap();

        let (url, got_hashes) = f.get_url(name).await;
        assert_eq!(
            got_hashes,
            hashes(&bytes),
            "the hashes sent at finishUpload"
        );
        let (status, headers, body) = f.get(&url).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], CONTENT_TYPE);
        assert_eq!(headers["content-length"], bytes.len().to_string().as_str());
        assert_eq!(body.len(), bytes.len());
        assert!(body == bytes, "{name}: the bytes differ");
    }
    // the data lives on disk, in the fake's own directory, until it is dropped
    let dir = f.tc.data_dir().to_owned();
    assert!(dir.starts_with(std::env::temp_dir()), "{}", dir.display());
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(files, 3, "one file per object, no leftovers");
    drop(f);
    assert!(!dir.exists(), "{} is removed with the fake", dir.display());
}

#[tokio::test]
async fn simple_downloads_and_the_download_redirect() {
    let f = fixture().await;
    let bytes = data(100_000);
    f.put_object("simple/data.bin", &bytes).await;
    let answer = f
        .start_download("simple/data.bin", json!({"simple": true}))
        .await
        .unwrap();
    assert_eq!(answer["method"], "simple", "{answer}");
    assert!(answer.get("hashes").is_none(), "{answer}");
    let (status, _, body) = f.get(answer["url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert!(body == bytes);

    // download: 303 to the data, which reqwest follows (signed URL: no Hawk header)
    let signed = f
        .object
        .download_signed_url("simple/data.bin", Duration::from_secs(60))
        .unwrap();
    let (status, headers, body) = f.get(&signed).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], CONTENT_TYPE);
    assert!(body == bytes);
    assert_eq!(f.tc.requests("object", "download"), 1);

    // no acceptable method
    let error = f
        .start_download("simple/data.bin", json!({}))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(406), "{error}");
    // unknown objects
    let error = f
        .start_download("simple/nope", json!({"simple": true}))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
}

#[tokio::test]
async fn ranges_are_served() {
    let f = fixture().await;
    let bytes = data(1000);
    f.put_object("range", &bytes).await;
    let (url, _) = f.get_url("range").await;
    let response = f
        .http
        .get(&url)
        .header("Range", "bytes=100-")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 206);
    assert_eq!(response.headers()["content-range"], "bytes 100-999/1000");
    assert_eq!(response.bytes().await.unwrap(), bytes[100..]);
    let head = f.http.head(&url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], "1000");
    assert_eq!(head.headers()["accept-ranges"], "bytes");
    assert!(head.bytes().await.unwrap().is_empty());
    let response = f
        .http
        .get(&url)
        .header("Range", "bytes=1000-")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 416);
}

#[tokio::test]
async fn create_upload_is_idempotent_and_finish_checks_the_upload_id() {
    let f = fixture().await;
    let upload_id = tc_client::slugid::nice();
    let expires = expires();
    let methods = json!({"putUrl": {"contentType": CONTENT_TYPE, "contentLength": 3}});
    let first = f
        .create_upload(&f.object, "idem", &upload_id, &expires, methods.clone())
        .await
        .unwrap();
    // the same parameters again: fine, with a fresh URL (e.g. to renew it)
    let second = f
        .create_upload(&f.object, "idem", &upload_id, &expires, methods.clone())
        .await
        .unwrap();
    assert_eq!(first["uploadId"], second["uploadId"]);
    let (first_url, second_url) = (
        &first["uploadMethod"]["putUrl"],
        &second["uploadMethod"]["putUrl"],
    );
    assert_ne!(first_url["url"], second_url["url"]);
    // another uploadId: refused
    let other = tc_client::slugid::nice();
    let error = f
        .create_upload(&f.object, "idem", &other, &expires, methods.clone())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409), "{error}");

    // either URL uploads
    assert_eq!(f.put(first_url, b"abc").await.unwrap().status(), 200);
    assert_eq!(f.put(second_url, b"abc").await.unwrap().status(), 200);

    // finishing with a wrong uploadId: refused, and nothing finished
    let error = f
        .finish_upload(&f.object, "idem", &other, hashes(b"abc"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409), "{error}");
    let error = f.object.object("idem").await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");

    f.finish_upload(&f.object, "idem", &upload_id, hashes(b"abc"))
        .await
        .unwrap();
    // finishUpload is idempotent
    f.finish_upload(&f.object, "idem", &upload_id, hashes(b"abc"))
        .await
        .unwrap();
    // the object is immutable now: its upload URLs are revoked ...
    let response = f.put(first_url, b"xyz").await.unwrap();
    assert_eq!(response.status(), 403);
    // ... and it cannot be uploaded again
    let error = f
        .create_upload(&f.object, "idem", &upload_id, &expires, methods)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409), "{error}");
    let (url, _) = f.get_url("idem").await;
    assert_eq!(f.get(&url).await.2, b"abc");
}

#[tokio::test]
async fn uploads_need_the_listed_headers() {
    let f = fixture().await;
    let upload_id = tc_client::slugid::nice();
    let methods = json!({"putUrl": {"contentType": CONTENT_TYPE, "contentLength": 4}});
    let answer = f
        .create_upload(&f.object, "headers", &upload_id, &expires(), methods)
        .await
        .unwrap();
    let url = answer["uploadMethod"]["putUrl"]["url"].as_str().unwrap();

    let wrong_type = f
        .http
        .put(url)
        .header("Content-Type", "text/plain")
        .body("abcd")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 403);
    let body: Value = serde_json::from_slice(&wrong_type.bytes().await.unwrap()).unwrap();
    assert!(
        body["message"].as_str().unwrap().contains(CONTENT_TYPE),
        "{body}"
    );

    let wrong_length = f
        .http
        .put(url)
        .header("Content-Type", CONTENT_TYPE)
        .body("abcde")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_length.status(), 400);

    // a chunked body, without Content-Length
    let path = url.strip_prefix(f.tc.root_url()).unwrap().to_owned();
    let addr = f.tc.root_url().strip_prefix("http://").unwrap().to_owned();
    let answer = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {CONTENT_TYPE}\r\n\
             Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 411"), "{answer}");

    let unknown = f
        .http
        .put(format!("{}/__tc_fake/objects/put/nope", f.tc.root_url()))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 403);
    assert_eq!(
        f.tc.requests("object", "__put"),
        3,
        "unknown tokens are not counted"
    );
}

#[tokio::test]
async fn faults_on_the_upload_url() {
    let f = fixture().await;
    let bytes = data(300_000);
    let upload_id = tc_client::slugid::nice();
    let methods = json!({"putUrl": {"contentType": CONTENT_TYPE, "contentLength": bytes.len()}});
    let answer = f
        .create_upload(&f.object, "faulty-put", &upload_id, &expires(), methods)
        .await
        .unwrap();
    let put_url = &answer["uploadMethod"]["putUrl"];

    f.tc.fail_next("object", "__put", 1, 503);
    f.tc.drop_connection_next("object", "__put", 1);
    f.tc.delay_next("object", "__put", 1, Duration::from_millis(200));

    let failed = f.put(put_url, &bytes).await.unwrap();
    assert_eq!(failed.status(), 503);
    let body: Value = serde_json::from_slice(&failed.bytes().await.unwrap()).unwrap();
    assert_eq!(body["code"], "InternalServerError", "{body}");

    let dropped = f.put(put_url, &bytes).await;
    assert!(dropped.is_err(), "{dropped:?}");
    // neither left anything behind
    let files = std::fs::read_dir(f.tc.data_dir())
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 0);

    let started = Instant::now();
    let delayed = f.put(put_url, &bytes).await.unwrap();
    assert_eq!(delayed.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(f.tc.requests("object", "__put"), 3);

    f.finish_upload(&f.object, "faulty-put", &upload_id, hashes(&bytes))
        .await
        .unwrap();
    let (url, _) = f.get_url("faulty-put").await;
    assert!(f.get(&url).await.2 == bytes);
}

#[tokio::test]
async fn faults_on_the_download_url() {
    let f = fixture().await;
    let bytes = data(1024 * 1024);
    f.put_object("faulty-get", &bytes).await;
    let (url, _) = f.get_url("faulty-get").await;

    f.tc.fail_next_with_retry_after("object", "__get", 1, 429, 2);
    f.tc.drop_connection_next("object", "__get", 1);
    f.tc.delay_next("object", "__get", 1, Duration::from_millis(200));

    let failed = f.http.get(&url).send().await.unwrap();
    assert_eq!(failed.status(), 429);
    assert_eq!(failed.headers()["retry-after"], "2");

    // the full length is announced, about half of it comes, then the connection drops
    let dropped = f.http.get(&url).send().await.unwrap();
    assert_eq!(dropped.status(), 200);
    assert_eq!(dropped.content_length(), Some(bytes.len() as u64));
    let mut dropped = dropped;
    let mut received = Vec::new();
    let error = loop {
        match dropped.chunk().await {
            Ok(Some(chunk)) => received.extend_from_slice(&chunk),
            Ok(None) => panic!("the body ended normally after {} bytes", received.len()),
            Err(e) => break e,
        }
    };
    assert!(
        !received.is_empty() && received.len() < bytes.len(),
        "{error}"
    );
    assert!(
        received[..] == bytes[..received.len()],
        "a prefix of the data"
    );

    let started = Instant::now();
    let (status, _, body) = f.get(&url).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(status, 200);
    assert!(body == bytes);
    assert_eq!(f.tc.requests("object", "__get"), 3);

    // a dropped connection on empty data: no answer at all
    f.put_object("faulty-empty", b"").await;
    let (url, _) = f.get_url("faulty-empty").await;
    f.tc.drop_connection_next("object", "__get", 1);
    assert!(f.http.get(&url).send().await.is_err());
    assert_eq!(f.get(&url).await.2, b"");
}

#[tokio::test]
async fn corrupted_downloads_do_not_match_the_hashes() {
    let f = fixture().await;
    let bytes = data(200_000);
    f.put_object("corrupt", &bytes).await;
    f.put_object("corrupt-empty", b"").await;

    f.tc.corrupt_next_download(2);
    let (url, recorded) = f.get_url("corrupt").await;
    assert_eq!(recorded, hashes(&bytes));
    let (status, headers, body) = f.get(&url).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-length"], bytes.len().to_string().as_str());
    assert_eq!(body.len(), bytes.len());
    assert_ne!(
        hashes(&body),
        recorded,
        "served bytes differ from the hashes"
    );
    let differing = body.iter().zip(&bytes).filter(|(a, b)| a != b).count();
    assert_eq!(differing, 1);

    let (empty_url, recorded) = f.get_url("corrupt-empty").await;
    let (_, _, body) = f.get(&empty_url).await;
    assert_eq!(body, b"X");
    assert_ne!(hashes(&body), recorded);

    // the next downloads are intact again
    assert!(f.get(&url).await.2 == bytes);
    assert_eq!(f.get(&empty_url).await.2, b"");

    f.tc.corrupt_next_download(1);
    f.tc.clear_faults();
    assert!(f.get(&url).await.2 == bytes);
}

/// A task with a claimed run: (taskId, the claim's credentials).
async fn claimed_task(f: &Fixture) -> (String, Credentials) {
    let claimed = artifacts_task(&f.queue, "tc-fake-project", "proj-test/objects").await;
    (claimed.task_id, claimed.credentials)
}

#[tokio::test]
async fn object_artifacts_go_through_the_object_service() {
    let f = fixture().await;
    let announced = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = announced.clone();
    f.tc.on_queue_event(move |exchange, _, _, message| {
        if exchange.ends_with("/artifact-created") {
            sink.lock()
                .unwrap()
                .push(message["artifact"]["name"].clone());
        }
    });
    let (task_id, task_credentials) = claimed_task(&f).await;
    let worker_queue: Queue = client(&f.tc, task_credentials);
    let name = "public/build/target.tar.gz";
    let bytes = data(256 * 1024 + 7);

    let expires = plain(Time::from_now("2 days").unwrap());
    let request = typed(json!({
        "storageType": "object", "contentType": "application/gzip", "expires": expires,
    }));
    let created = plain(
        worker_queue
            .create_artifact(&task_id, "0", name, &request)
            .await
            .unwrap(),
    );
    assert_eq!(created["storageType"], "object", "{created}");
    let object_name = format!("t/{task_id}/0/{name}");
    assert_eq!(created["name"], json!(object_name));
    assert_eq!(created["projectId"], "tc-fake-project");
    assert_eq!(created["expires"], expires);
    let upload_id = created["uploadId"].as_str().unwrap().to_owned();
    let credentials = credentials_of(&created["credentials"]);
    assert!(
        credentials
            .client_id()
            .starts_with(&format!("artifact-upload/{task_id}/0/on/wg/wi")),
        "{}",
        credentials.client_id()
    );
    // a second createArtifact of an object artifact is refused, as in Taskcluster
    let error = worker_queue
        .create_artifact(&task_id, "0", name, &request)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409), "{error}");

    // not present yet: neither fetched nor described, but listed
    let error = f.queue.get_artifact(&task_id, "0", name).await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
    let error = f
        .queue
        .artifact_info(&task_id, "0", name)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
    let listed = plain(f.queue.list_artifacts(&task_id, "0").await.unwrap());
    assert_eq!(listed["artifacts"][0]["name"], name, "{listed}");
    assert_eq!(listed["artifacts"][0]["storageType"], "object");
    // finishing before the object is uploaded: refused
    let finish = typed(json!({"uploadId": upload_id}));
    let error = worker_queue
        .finish_artifact(&task_id, "0", name, &finish)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");

    // upload with the credentials createArtifact answered, reusing its
    // uploadId, projectId and expires
    let uploader: Object = client(&f.tc, credentials.clone());
    let methods =
        json!({"putUrl": {"contentType": "application/gzip", "contentLength": bytes.len()}});
    let request = typed(json!({
        "projectId": created["projectId"], "uploadId": upload_id, "expires": created["expires"],
        "proposedUploadMethods": methods,
    }));
    let answer = plain(
        uploader
            .create_upload(&object_name, &request)
            .await
            .unwrap(),
    );
    let response = f
        .put(&answer["uploadMethod"]["putUrl"], &bytes)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // the credentials hold this object only
    let error = uploader
        .create_upload("t/other/0/name", &request)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(403), "{error}");
    let request = typed(json!({
        "projectId": created["projectId"], "uploadId": upload_id, "hashes": hashes(&bytes),
    }));
    uploader
        .finish_upload(&object_name, &request)
        .await
        .unwrap();

    // finishArtifact: the uploadId must match, then the artifact is present
    let wrong = typed(json!({"uploadId": tc_client::slugid::nice()}));
    let error = worker_queue
        .finish_artifact(&task_id, "0", name, &wrong)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");
    assert!(
        announced.lock().unwrap().is_empty(),
        "not announced before finishArtifact"
    );
    worker_queue
        .finish_artifact(&task_id, "0", name, &finish)
        .await
        .unwrap();
    assert_eq!(*announced.lock().unwrap(), [json!(name)]);
    // idempotent (and announced again, at least once)
    worker_queue
        .finish_artifact(&task_id, "0", name, &finish)
        .await
        .unwrap();
    assert_eq!(announced.lock().unwrap().len(), 2);
    let info = plain(f.queue.artifact_info(&task_id, "0", name).await.unwrap());
    assert_eq!(info["storageType"], "object", "{info}");
    assert_eq!(info["contentType"], "application/gzip");
    assert!(info.get("contentLength").is_none(), "{info}");

    // getArtifact: 303 to the data, the JSON body carries the URL
    let got = plain(f.queue.get_artifact(&task_id, "0", name).await.unwrap());
    assert_eq!(got["storageType"], "object", "{got}");
    let (status, headers, body) = f.get(got["url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/gzip");
    assert!(body == bytes);
    let latest = plain(f.queue.get_latest_artifact(&task_id, name).await.unwrap());
    assert_eq!(latest["url"], got["url"]);

    // artifact (content): the object's name and download credentials
    let content = plain(f.queue.artifact(&task_id, "0", name).await.unwrap());
    assert_eq!(content["storageType"], "object", "{content}");
    assert_eq!(content["name"], json!(object_name));
    let downloader: Object = client(&f.tc, credentials_of(&content["credentials"]));
    let request = typed(json!({"acceptDownloadMethods": {"getUrl": true}}));
    let download = plain(
        downloader
            .start_download(&object_name, &request)
            .await
            .unwrap(),
    );
    assert_eq!(download["hashes"], hashes(&bytes));
    assert!(f.get(download["url"].as_str().unwrap()).await.2 == bytes);
    let error = downloader.object("t/other/0/name").await.unwrap_err();
    assert_eq!(error.status(), Some(403), "{error}");
}

/// The real v106 queue copies an object artifact's optional `contentLength`
/// into its artifact-created message, whose schema forbids it, and answers
/// `finishArtifact` with 500 (the artifact is then present, unannounced):
/// the fake checks every message against its exchange's schema the same way.
#[tokio::test]
async fn an_artifact_created_message_off_its_schema_fails_the_request() {
    let f = fixture().await;
    let announced = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = announced.clone();
    f.tc.on_queue_event(move |exchange, _, _, message| {
        sink.lock().unwrap().push((exchange.to_owned(), message));
    });
    let (task_id, task_credentials) = claimed_task(&f).await;
    let worker_queue: Queue = client(&f.tc, task_credentials);
    let name = "public/with-length.bin";
    let bytes = data(1000);
    let request = typed(json!({
        "storageType": "object", "contentType": "application/octet-stream",
        "expires": plain(Time::from_now("1 day").unwrap()), "contentLength": bytes.len(),
    }));
    let created = plain(
        worker_queue
            .create_artifact(&task_id, "0", name, &request)
            .await
            .unwrap(),
    );
    let uploader: Object = client(&f.tc, credentials_of(&created["credentials"]));
    let object_name = created["name"].as_str().unwrap().to_owned();
    let upload_id = created["uploadId"].as_str().unwrap().to_owned();
    let data_inline = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let upload = typed(json!({
        "projectId": created["projectId"], "uploadId": upload_id, "expires": created["expires"],
        "proposedUploadMethods": {"dataInline": {"contentType": "application/octet-stream",
                                                  "objectData": data_inline}},
    }));
    uploader.create_upload(&object_name, &upload).await.unwrap();
    let finish_upload = typed(json!({
        "projectId": created["projectId"], "uploadId": upload_id, "hashes": hashes(&bytes),
    }));
    uploader
        .finish_upload(&object_name, &finish_upload)
        .await
        .unwrap();
    let before = announced.lock().unwrap().len();

    let finish = typed(json!({"uploadId": upload_id}));
    let error = worker_queue
        .finish_artifact(&task_id, "0", name, &finish)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(500), "{error}");
    assert_eq!(error.code(), Some("InternalServerError"), "{error}");
    let text = error.to_string();
    assert!(text.contains("incidentId"), "{text}");
    assert!(text.contains("artifact-created-message.json"), "{text}");
    assert!(text.contains("contentLength"), "{text}");
    assert_eq!(
        announced.lock().unwrap().len(),
        before,
        "nothing is published"
    );
    // As on the real queue, the artifact was made present before the failure.
    let info = plain(f.queue.artifact_info(&task_id, "0", name).await.unwrap());
    assert_eq!(info["contentLength"], bytes.len(), "{info}");
}

#[tokio::test]
async fn s3_artifacts_are_served_by_the_fake() {
    let f = fixture().await;
    let (task_id, task_credentials) = claimed_task(&f).await;
    let worker_queue: Queue = client(&f.tc, task_credentials);
    let name = "public/logs/live.log";
    let bytes = data(70_000);
    let expires = plain(Time::from_now("2 days").unwrap());
    let request = typed(json!({
        "storageType": "s3", "contentType": "text/plain", "expires": expires,
    }));
    let created = plain(
        worker_queue
            .create_artifact(&task_id, "0", name, &request)
            .await
            .unwrap(),
    );
    assert_eq!(created["storageType"], "s3", "{created}");
    assert_eq!(created["contentType"], "text/plain");
    let put_url = created["putUrl"].as_str().unwrap();
    assert!(put_url.starts_with(&format!("{}/__tc_fake/objects/put/", f.tc.root_url())));
    // the same request again is fine (a fresh URL), as in Taskcluster
    let again = plain(
        worker_queue
            .create_artifact(&task_id, "0", name, &request)
            .await
            .unwrap(),
    );
    assert_ne!(again["putUrl"], created["putUrl"]);

    // present at once, but no data yet
    let got = plain(f.queue.get_artifact(&task_id, "0", name).await.unwrap());
    assert_eq!(got["storageType"], "s3", "{got}");
    let data_url = got["url"].as_str().unwrap().to_owned();
    assert_eq!(f.get(&data_url).await.0, 404);

    f.tc.fail_next("queue", "__put", 1, 500);
    let put = |url: &str| {
        f.http
            .put(url)
            .header("Content-Type", "text/plain")
            .body(bytes.clone())
            .send()
    };
    assert_eq!(put(put_url).await.unwrap().status(), 500);
    assert_eq!(put(put_url).await.unwrap().status(), 200);
    assert_eq!(f.tc.requests("queue", "__put"), 2);
    // the URL stays valid: uploading again replaces the data
    assert_eq!(
        put(again["putUrl"].as_str().unwrap())
            .await
            .unwrap()
            .status(),
        200
    );

    let (status, headers, body) = f.get(&data_url).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/plain");
    assert!(body == bytes);

    // following the redirect from a signed getArtifact URL
    let signed = f
        .queue
        .get_artifact_signed_url(&task_id, "0", name, Duration::from_secs(60))
        .unwrap();
    assert!(f.get(&signed).await.2 == bytes);

    let content = plain(f.queue.latest_artifact(&task_id, name).await.unwrap());
    assert_eq!(content, json!({"storageType": "s3", "url": data_url}));
    f.tc.drop_connection_next("queue", "__get", 1);
    let response = f.http.get(&data_url).send().await.unwrap();
    assert!(response.bytes().await.is_err());
    assert_eq!(f.tc.requests("queue", "__get"), 4);

    // s3 artifacts cannot be finished
    let finish = typed(json!({"uploadId": tc_client::slugid::nice()}));
    let error = worker_queue
        .finish_artifact(&task_id, "0", name, &finish)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");
}

#[tokio::test]
async fn reference_and_error_artifacts_answer_their_content() {
    let f = fixture().await;
    let (task_id, task_credentials) = claimed_task(&f).await;
    let worker_queue: Queue = client(&f.tc, task_credentials);
    let expires = plain(Time::from_now("2 days").unwrap());
    let reference = typed(json!({
        "storageType": "reference", "contentType": "text/html", "expires": expires,
        "url": "https://example.com/report.html",
    }));
    worker_queue
        .create_artifact(&task_id, "0", "public/report.html", &reference)
        .await
        .unwrap();
    let error = typed(json!({
        "storageType": "error", "expires": expires,
        "reason": "file-missing-on-worker", "message": "no report",
    }));
    worker_queue
        .create_artifact(&task_id, "0", "public/missing", &error)
        .await
        .unwrap();
    let content = plain(
        f.queue
            .artifact(&task_id, "0", "public/report.html")
            .await
            .unwrap(),
    );
    assert_eq!(
        content,
        json!({"storageType": "reference", "url": "https://example.com/report.html"})
    );
    let content = plain(
        f.queue
            .artifact(&task_id, "0", "public/missing")
            .await
            .unwrap(),
    );
    assert_eq!(
        content,
        json!({"storageType": "error", "reason": "file-missing-on-worker", "message": "no report"})
    );
    let failure = f
        .queue
        .get_artifact(&task_id, "0", "public/missing")
        .await
        .unwrap_err();
    assert_eq!(failure.status(), Some(424), "{failure}");
}
