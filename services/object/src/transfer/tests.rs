// Included from mod.rs under #[cfg(test)]: all of this file is test code.
//! Transfers against a canned HTTP server: one scripted reply per connection
//! (every reply closes its connection), every request recorded.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use super::hashing::digest;
use super::{from_file, from_reader, to_buffer, to_file, to_writer};
use crate::object::Object;
use tc_client::{Error, RetryPolicy, Time};

#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
}

impl Request {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

enum Reply {
    /// A complete response.
    Full {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// A 200 whose `Content-Length` promises `declared` bytes; the
    /// connection closes after `body`.
    Cut { declared: usize, body: Vec<u8> },
    /// A 303 to this location.
    Redirect(String),
}

fn json_reply(value: Value) -> Reply {
    Reply::Full {
        status: 200,
        content_type: "application/json",
        body: value.to_string().into_bytes(),
    }
}

fn data_reply(body: &[u8]) -> Reply {
    Reply::Full {
        status: 200,
        content_type: "application/x-test",
        body: body.to_vec(),
    }
}

fn status_reply(status: u16) -> Reply {
    Reply::Full {
        status,
        content_type: "text/plain",
        body: b"no".to_vec(),
    }
}

struct Canned {
    root_url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Canned {
    fn bind() -> (TcpListener, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let root_url = format!("http://{}", listener.local_addr().unwrap());
        (listener, root_url)
    }

    /// Serves `replies` on `listener`, one per connection, in order.
    fn serve(listener: TcpListener, replies: Vec<Reply>) -> Canned {
        let root_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for reply in replies {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let request = read_request(&mut stream);
                seen.lock().unwrap().push(request);
                let mut extra = String::new();
                let (status, content_type, declared, body) = match reply {
                    Reply::Full {
                        status,
                        content_type,
                        body,
                    } => (status, content_type, body.len(), body),
                    Reply::Cut { declared, body } => (200, "application/x-test", declared, body),
                    Reply::Redirect(location) => {
                        extra = format!("Location: {location}\r\n");
                        (303, "text/plain", 0, Vec::new())
                    }
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n{extra}\
                     Content-Length: {declared}\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
                let _ = stream.flush();
            }
        });
        Canned { root_url, requests }
    }

    fn object(&self) -> Object {
        Object::builder()
            .root_url(&self.root_url)
            .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
            .build()
            .unwrap()
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn read_request(stream: &mut std::net::TcpStream) -> Request {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).unwrap_or(0) == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let length: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    let _ = stream.read_exact(&mut body);
    Request { method, path, body }
}

/// A server whose first reply answers `startDownload` with a `getUrl` on
/// itself carrying the hashes of `data`, then `data_replies`.
fn object_server(data: &[u8], data_replies: Vec<Reply>) -> Canned {
    let (listener, root_url) = Canned::bind();
    let d = digest(data);
    let mut replies = vec![json_reply(json!({
        "method": "getUrl",
        "url": format!("{root_url}/data/blob?signature=s3cret"),
        "expires": "2099-01-01T00:00:00.000Z",
        "hashes": {"sha256": d.sha256, "sha512": d.sha512},
    }))];
    replies.extend(data_replies);
    Canned::serve(listener, replies)
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tc-client-canned-{}", tc_client::slugid::v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_corrupted_object_fails_with_integrity_and_leaves_no_file() {
    let server = object_server(b"hello world", vec![data_reply(b"hello worle")]);
    let dir = temp_dir();
    let err = server
        .object()
        .download_object("some/object", to_file(dir.join("out")))
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Integrity(_)), "{err:?}");
    assert!(message.contains("sha256"), "{message}");
    assert!(message.contains("\"some/object\""), "{message}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    // Not retried: the stored data is wrong.
    assert_eq!(server.requests().len(), 2);
    let start = &server.requests()[0];
    assert_eq!(
        (start.method.as_str(), start.path.as_str()),
        ("PUT", "/api/object/v1/start-download/some%2Fobject")
    );
    assert_eq!(
        start.json(),
        json!({"acceptDownloadMethods": {"getUrl": true, "simple": true}})
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_truncated_body_is_retried_from_the_start() {
    let data = b"0123456789abcdef";
    let server = object_server(
        data,
        vec![
            Reply::Cut {
                declared: data.len(),
                body: data[..5].to_vec(),
            },
            status_reply(503),
            data_reply(data),
        ],
    );
    let object = server.object();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    let got = object
        .download_object("o", to_buffer())
        .progress(move |done, total| seen.lock().unwrap().push((done, total)))
        .await
        .unwrap();
    assert_eq!(got.data, data);
    assert_eq!(got.content_type, "application/x-test");
    assert_eq!(server.requests().len(), 4);
    let calls = calls.lock().unwrap().clone();
    let total = Some(data.len() as u64);
    // The first attempt got 5 bytes, then a retry started again from 0.
    assert_eq!(calls.first(), Some(&(0, total)));
    assert_eq!(calls.last(), Some(&(data.len() as u64, total)));
    let restarts = calls.iter().filter(|(done, _)| *done == 0).count();
    assert_eq!(restarts, 2, "{calls:?}");
}

#[tokio::test]
async fn a_writer_is_not_rewound_once_written_to() {
    let data = b"0123456789abcdef";
    let server = object_server(
        data,
        vec![
            Reply::Cut {
                declared: data.len(),
                body: data[..5].to_vec(),
            },
            data_reply(data),
        ],
    );
    let mut out = Vec::new();
    let err = server
        .object()
        .download_object("o", to_writer(&mut out))
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(&err, Error::Io { path, .. } if path == "the writer"),
        "{err:?}"
    );
    assert!(message.contains("cannot be rewound"), "{message}");
    assert!(message.contains("after 5 bytes"), "{message}");
    assert_eq!(server.requests().len(), 2, "no retry");

    // Failures before the first byte are retried.
    let server = object_server(data, vec![status_reply(500), data_reply(data)]);
    let got = server
        .object()
        .download_object("o", to_writer(Vec::new()))
        .await
        .unwrap();
    assert_eq!(got.data, data, "the writer is handed back");
    assert_eq!(got.content_type, "application/x-test");
}

#[tokio::test]
async fn a_download_refuses_unverifiable_get_url_answers() {
    let (listener, root_url) = Canned::bind();
    let server = Canned::serve(
        listener,
        vec![json_reply(json!({
            "method": "getUrl",
            "url": format!("{root_url}/data"),
            "expires": "2099-01-01T00:00:00.000Z",
            "hashes": {},
        }))],
    );
    let err = server
        .object()
        .download_object("o", to_buffer())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Integrity(_)), "{err:?}");
}

#[tokio::test]
async fn simple_downloads_follow_redirects_without_hashes() {
    let (listener, root_url) = Canned::bind();
    let server = Canned::serve(
        listener,
        vec![
            json_reply(json!({"method": "simple", "url": format!("{root_url}/data")})),
            Reply::Redirect("/elsewhere/data".into()),
            data_reply(b"simple data"),
        ],
    );
    let got = server
        .object()
        .download_object("o", to_buffer())
        .await
        .unwrap();
    assert_eq!(got.data, b"simple data");
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths[1..], ["/data", "/elsewhere/data"]);
}

fn create_upload_answer(upload_method: Value) -> Reply {
    json_reply(json!({
        "expires": "2099-01-01T00:00:00.000Z",
        "projectId": "proj",
        "uploadId": tc_client::slugid::nice(),
        "uploadMethod": upload_method,
    }))
}

#[tokio::test]
async fn a_large_upload_goes_through_put_url_retried_and_hashed() {
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    let (listener, root_url) = Canned::bind();
    let server = Canned::serve(
        listener,
        vec![
            create_upload_answer(json!({"putUrl": {
                "url": format!("{root_url}/put/blob?signature=s3cret"),
                "expires": "2099-01-01T00:00:00.000Z",
                "headers": {"Content-Type": "application/x-test"},
            }})),
            status_reply(500),
            status_reply(200),
            json_reply(json!({})),
        ],
    );
    let object = server.object();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    let sent = object
        .upload_object(
            "proj",
            "big/object",
            Time::from_now("1 day").unwrap(),
            &data,
        )
        .content_type("application/x-test")
        .progress(move |done, total| seen.lock().unwrap().push((done, total)))
        .await
        .unwrap();
    assert_eq!(sent.size, 300_000);
    let requests = server.requests();
    let summary: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("PUT", "/api/object/v1/upload/big%2Fobject"),
            ("PUT", "/put/blob?signature=s3cret"),
            ("PUT", "/put/blob?signature=s3cret"),
            ("POST", "/api/object/v1/finish-upload/big%2Fobject"),
        ]
    );
    let create = requests[0].json();
    assert_eq!(
        create["proposedUploadMethods"],
        json!({"putUrl": {"contentLength": 300_000, "contentType": "application/x-test"}})
    );
    assert_eq!(requests[1].body, data, "the failed attempt sent everything");
    assert_eq!(
        requests[2].body, data,
        "the retry started again from the start"
    );
    let finish = requests[3].json();
    let d = digest(&data);
    assert_eq!(
        finish["hashes"],
        json!({"sha256": d.sha256, "sha512": d.sha512})
    );
    assert_eq!((sent.sha256, sent.sha512), (d.sha256, d.sha512));
    assert_eq!(finish["uploadId"], create["uploadId"]);
    assert_eq!(finish["projectId"], "proj");
    let calls = calls.lock().unwrap().clone();
    let total = Some(300_000);
    assert_eq!(calls.first(), Some(&(0, total)));
    assert_eq!(calls.last(), Some(&(300_000, total)));
    assert_eq!(calls.iter().filter(|(done, _)| *done == 0).count(), 2);
}

#[tokio::test]
async fn a_small_upload_goes_inline_when_the_service_agrees() {
    let server = Canned::serve(
        Canned::bind().0,
        vec![
            create_upload_answer(json!({"dataInline": true})),
            json_reply(json!({})),
        ],
    );
    server
        .object()
        .upload_object("proj", "small", Time::from_now("1 day").unwrap(), b"abc")
        .content_type("text/plain")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let create = requests[0].json();
    assert_eq!(
        create["proposedUploadMethods"]["dataInline"],
        json!({"contentType": "text/plain", "objectData": "YWJj"})
    );
    assert_eq!(create["projectId"], "proj");
    let d = digest(b"abc");
    assert_eq!(
        requests[1].json()["hashes"],
        json!({"sha256": d.sha256, "sha512": d.sha512})
    );
}

#[tokio::test]
async fn an_upload_from_a_missing_file_names_it() {
    let server = Canned::serve(Canned::bind().0, vec![]);
    let path = temp_dir().join("missing.bin");
    let err = server
        .object()
        .upload_object("proj", "o", Time::now(), from_file(&path))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io { path: p, .. } if *p == path.display().to_string()),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_short_reader_fails_the_upload_without_finishing_it() {
    let (listener, root_url) = Canned::bind();
    let server = Canned::serve(
        listener,
        vec![
            create_upload_answer(json!({"putUrl": {
                "url": format!("{root_url}/put"),
                "expires": "2099-01-01T00:00:00.000Z",
                "headers": {},
            }})),
            status_reply(200),
        ],
    );
    let reader = std::io::Cursor::new(vec![7u8; 10_000]);
    let err = server
        .object()
        .upload_object("proj", "o", Time::now(), from_reader(reader, 20_000))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io { path, .. } if path == "the reader"),
        "{err:?}"
    );
    assert!(err.to_string().contains("10000 of the 20000"), "{err}");
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path.contains("finish-upload"))
    );
}
