// Included from mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of the object service: upload and download negotiation, hashes and expiry.

use super::*;
use crate::services::testing::{call, json, status};

const SHA256: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

fn objects() -> Objects {
    Objects::new(Arc::new(Blobs::new()))
}

fn go(o: &Objects, entry: &str, name: &str, body: Option<Value>) -> Result<Response, ApiError> {
    call(o, "object", entry, &[("name", name)], &[], body)
}

fn create(upload_id: &str, methods: Value) -> Value {
    json!({
        "projectId": "proj",
        "uploadId": upload_id,
        "expires": "2100-01-01T00:00:00.000Z",
        "proposedUploadMethods": methods,
    })
}

fn token_of(url: &str) -> &str {
    url.rsplit('/').next().unwrap()
}

#[test]
fn inline_upload_finish_and_download() {
    let o = objects();
    let id = slugid::nice();
    let answer = json(go(
        &o,
        "createUpload",
        "a/b c",
        Some(create(
            &id,
            json!({"dataInline": {"contentType": "text/plain", "objectData": "aGVsbG8="}}),
        )),
    ));
    assert_eq!(answer["uploadMethod"], json!({"dataInline": true}));
    assert_eq!(answer["uploadId"], json!(id));
    assert_eq!(answer["expires"], "2100-01-01T00:00:00.000Z");
    // not downloadable before it is finished
    assert_eq!(status(go(&o, "object", "a/b c", None)), 404);
    let accept_all = json!({"acceptDownloadMethods": {"simple": true, "getUrl": true}});
    assert_eq!(
        status(go(&o, "startDownload", "a/b c", Some(accept_all.clone()))),
        404
    );
    assert!(!o.is_finished("a/b c"));

    let finish = json!({"projectId": "proj", "uploadId": id, "hashes": {"sha256": SHA256}});
    assert_eq!(
        go(&o, "finishUpload", "a/b c", Some(finish.clone())).unwrap(),
        Response::Empty
    );
    assert!(o.is_finished("a/b c"));
    // idempotent
    assert_eq!(
        go(&o, "finishUpload", "a/b c", Some(finish)).unwrap(),
        Response::Empty
    );
    let meta = json(go(&o, "object", "a/b c", None));
    assert_eq!(meta["hashes"], json!({"sha256": SHA256}));
    assert_eq!(meta["projectId"], "proj");

    let download = json(go(&o, "startDownload", "a/b c", Some(accept_all)));
    assert_eq!(download["method"], "getUrl");
    assert_eq!(download["hashes"]["sha256"], SHA256);
    let url = download["url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:1234/__tc_fake/objects/get/"));
    let grant = o.blobs.get_grant(token_of(url)).unwrap();
    assert_eq!(grant.content_type, "text/plain");
    assert_eq!(std::fs::read(o.blobs.path(grant.blob)).unwrap(), b"hello");

    let simple = json(go(
        &o,
        "startDownload",
        "a/b c",
        Some(json!({"acceptDownloadMethods": {"simple": true}})),
    ));
    assert_eq!(simple, json!({"method": "simple", "url": url}));
    assert_eq!(
        status(go(
            &o,
            "startDownload",
            "a/b c",
            Some(json!({"acceptDownloadMethods": {}}))
        )),
        406
    );
    assert_eq!(
        go(&o, "download", "a/b c", None).unwrap(),
        Response::Redirect {
            location: url.to_string(),
            body: json!({}),
            headers: Vec::new(),
        }
    );
    assert_eq!(o.data_url("http://127.0.0.1:1234", "a/b c").unwrap(), url);
}

#[test]
fn put_urls_repeats_and_conflicts() {
    let o = objects();
    let id = slugid::nice();
    let put = json!({"putUrl": {"contentType": "application/x-tar", "contentLength": 3}});
    let first = json(go(
        &o,
        "createUpload",
        "obj",
        Some(create(&id, put.clone())),
    ));
    let method = &first["uploadMethod"]["putUrl"];
    assert_eq!(
        method["headers"],
        json!({"Content-Type": "application/x-tar", "Content-Length": "3"})
    );
    let url = method["url"].as_str().unwrap();
    let grant = o.blobs.put_grant(token_of(url)).unwrap();
    assert_eq!(grant.content_length, Some(3));
    assert_eq!(grant.owner, Owner::Object);

    // the same parameters again: a fresh URL for the same object
    let again = json(go(
        &o,
        "createUpload",
        "obj",
        Some(create(&id, put.clone())),
    ));
    let url2 = again["uploadMethod"]["putUrl"]["url"].as_str().unwrap();
    assert_ne!(url, url2);
    assert_eq!(o.blobs.put_grant(token_of(url2)).unwrap().blob, grant.blob);

    // another uploadId, projectId or expires: conflict
    let other = slugid::nice();
    assert_eq!(
        status(go(
            &o,
            "createUpload",
            "obj",
            Some(create(&other, put.clone()))
        )),
        409
    );
    let mut body = create(&id, put.clone());
    body["projectId"] = json!("other");
    assert_eq!(status(go(&o, "createUpload", "obj", Some(body))), 409);
    let mut body = create(&id, put.clone());
    body["expires"] = json!("2100-01-02T00:00:00.000Z");
    assert_eq!(status(go(&o, "createUpload", "obj", Some(body))), 409);

    // hashes: added, never changed
    let mut body = create(&id, json!({}));
    body["hashes"] = json!({"sha256": SHA256});
    assert_eq!(
        json(go(&o, "createUpload", "obj", Some(body)))["uploadMethod"],
        json!({})
    );
    let other_hash = "0".repeat(64);
    let wrong = json!({"projectId": "proj", "uploadId": id, "hashes": {"sha256": other_hash}});
    assert_eq!(status(go(&o, "finishUpload", "obj", Some(wrong))), 409);

    // finishing: the right uploadId and projectId only
    let wrong_id = json!({"projectId": "proj", "uploadId": other});
    assert_eq!(status(go(&o, "finishUpload", "obj", Some(wrong_id))), 409);
    let wrong_project = json!({"projectId": "nope", "uploadId": id});
    assert_eq!(
        status(go(&o, "finishUpload", "obj", Some(wrong_project))),
        400
    );
    assert_eq!(
        status(go(
            &o,
            "finishUpload",
            "missing",
            Some(json!({"projectId": "proj", "uploadId": id}))
        )),
        404
    );
    let finish =
        json!({"projectId": "proj", "uploadId": id, "hashes": {"sha512": "a".repeat(128)}});
    go(&o, "finishUpload", "obj", Some(finish)).unwrap();
    // the PUT URLs are revoked and the object is immutable
    assert_eq!(o.blobs.put_grant(token_of(url)), None);
    assert_eq!(o.blobs.put_grant(token_of(url2)), None);
    assert_eq!(
        status(go(&o, "createUpload", "obj", Some(create(&id, put)))),
        409
    );
    let meta = json(go(&o, "object", "obj", None));
    assert_eq!(
        meta["hashes"],
        json!({"sha256": SHA256, "sha512": "a".repeat(128)})
    );
    // finishing again with a hash it does not have: conflict
    let more = json!({"projectId": "proj", "uploadId": id, "hashes": {"md5": "x"}});
    assert_eq!(status(go(&o, "finishUpload", "obj", Some(more))), 409);
    let fewer = json!({"projectId": "proj", "uploadId": id, "hashes": {"sha256": SHA256}});
    assert_eq!(
        go(&o, "finishUpload", "obj", Some(fewer)).unwrap(),
        Response::Empty
    );
}

#[test]
fn bad_inline_data_and_lengths_are_refused() {
    let o = objects();
    let id = slugid::nice();
    let bad = json!({"dataInline": {"contentType": "text/plain", "objectData": "not base64!"}});
    assert_eq!(
        status(go(&o, "createUpload", "x", Some(create(&id, bad)))),
        400
    );
    let negative = json!({"putUrl": {"contentType": "text/plain", "contentLength": -1}});
    assert_eq!(
        status(go(&o, "createUpload", "x", Some(create(&id, negative)))),
        400
    );
    let inline = json!({"dataInline": {"contentType": "text/plain", "objectData": ""}});
    assert_eq!(
        status(go(
            &o,
            "createUpload",
            "caf\u{e9}",
            Some(create(&id, inline))
        )),
        400
    );
    // the queue's lock-in
    o.lock_in_upload("t/a/0/b", "proj", &id, 5).unwrap();
    o.lock_in_upload("t/a/0/b", "proj", &id, 5).unwrap();
    assert_eq!(
        o.lock_in_upload("t/a/0/b", "proj", &slugid::nice(), 5)
            .unwrap_err()
            .status,
        409
    );
    assert_eq!(o.data_url("http://x", "t/a/0/b"), None);
}
