//! The object service: uploads and downloads of named, immutable objects.
//!
//! Implemented entries: `createUpload`, `finishUpload`, `startDownload`,
//! `object` and `download`.
//!
//! Behaviour follows Taskcluster's object service (with its S3 backend):
//! - `createUpload` establishes the object's `uploadId`, `projectId` and
//!   `expires` on the first call; repeating it with the same three values is
//!   allowed (to renew a URL or try another method), different values or an
//!   already finished object answer 409. Hashes given here and at
//!   `finishUpload` are recorded; a different value for a recorded algorithm
//!   answers 409. Of the proposed methods, `dataInline` is selected when
//!   offered (the data is stored at once and the answer is
//!   `{"dataInline": true}`), else `putUrl`: a URL on the fake that takes a
//!   `PUT` of the data with the headers listed in the answer
//!   (`Content-Type` and `Content-Length`), valid for 45 minutes and until
//!   the upload is finished. No proposed method: `uploadMethod` is `{}`.
//! - `finishUpload` with the object's `uploadId` makes it downloadable and
//!   immutable; a wrong `uploadId` answers 409, a wrong `projectId` 400. On
//!   a finished object it is idempotent as long as it brings no new or
//!   different hashes (409 otherwise). The fake, like the service, does not
//!   check the data against the hashes: clients verify them on download.
//! - `startDownload` prefers `getUrl` (answering the recorded hashes) over
//!   `simple`; neither accepted: 406 `NoMatchingMethod`. Unknown or
//!   unfinished objects answer 404. Both methods' URLs serve the data
//!   directly (200, or 206 for a `Range` request) with the object's
//!   content type; `download` redirects there with 303.
//! - data lives on disk in the fake's blob directory, never in memory.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::service::{Request, Response};
use crate::services::registry::{Entries, Entry};
use crate::storage::{self, Blobs, GetGrant, Owner, PutGrant};
use crate::support::clock::{format_ms, now_ms, parse_time};
use crate::support::sync::lock;

const MINUTE_MS: i64 = 60 * 1000;
/// How long a `putUrl` stays valid, as with Taskcluster's S3 backend.
const PUT_URL_MS: i64 = 45 * MINUTE_MS;
/// How long a `getUrl` answer says its URL stays valid.
const GET_URL_MS: i64 = 30 * MINUTE_MS;
/// The content type of an object whose upload carried none.
const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// The object service's state.
pub struct Objects {
    blobs: Arc<Blobs>,
    data: Mutex<BTreeMap<String, Object>>,
}

struct Object {
    project_id: String,
    expires_ms: i64,
    /// `Some` while the upload is in progress; `None` once finished.
    upload_id: Option<String>,
    hashes: BTreeMap<String, String>,
    blob: u64,
    content_type: String,
    /// The download token, once finished.
    get_token: Option<String>,
}

fn object_not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("Object \"{name}\" not found"))
}

/// Object names are printable ASCII, space included.
fn check_name(name: &str) -> Result<(), ApiError> {
    if name.is_empty() || !name.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return Err(ApiError::input(format!(
            "object name {name:?} must be printable ASCII (0x20 - 0x7e)"
        )));
    }
    Ok(())
}

/// The `hashes` field of a body as algorithm → value.
fn hashes_of(body: &Map<String, Value>) -> BTreeMap<String, String> {
    body.get("hashes")
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Adds `new` to the recorded hashes; a different value for a recorded
/// algorithm is a conflict (and nothing is added).
fn add_hashes(
    recorded: &mut BTreeMap<String, String>,
    new: BTreeMap<String, String>,
) -> Result<(), ApiError> {
    if new
        .iter()
        .any(|(algo, hash)| recorded.get(algo).is_some_and(|h| h != hash))
    {
        return Err(ApiError::conflict(
            "Content hash already exists with a different value",
        ));
    }
    recorded.extend(new);
    Ok(())
}

impl Objects {
    /// An empty object service keeping its data in `blobs`.
    pub(crate) fn new(blobs: Arc<Blobs>) -> Self {
        Objects {
            blobs,
            data: Mutex::new(BTreeMap::new()),
        }
    }

    /// Starts (or repeats) the upload of `name` with no upload method, as
    /// the queue does for an `object` artifact: locks in the upload's
    /// `uploadId`, `projectId` and `expires`.
    pub(crate) fn lock_in_upload(
        &self,
        name: &str,
        project_id: &str,
        upload_id: &str,
        expires_ms: i64,
    ) -> Result<(), ApiError> {
        let mut data = lock(&self.data);
        self.begin(&mut data, name, project_id, upload_id, expires_ms)
            .map(|_| ())
    }

    /// Whether `name` exists and its upload is finished.
    pub(crate) fn is_finished(&self, name: &str) -> bool {
        lock(&self.data)
            .get(name)
            .is_some_and(|o| o.upload_id.is_none())
    }

    /// The URL serving the data of the finished object `name`.
    pub(crate) fn data_url(&self, root_url: &str, name: &str) -> Option<String> {
        let data = lock(&self.data);
        let token = data.get(name)?.get_token.as_deref()?;
        Some(storage::get_url(root_url, token))
    }

    /// Creates the object on the first call, checks a repeated one; answers
    /// the object.
    fn begin<'d>(
        &self,
        data: &'d mut BTreeMap<String, Object>,
        name: &str,
        project_id: &str,
        upload_id: &str,
        expires_ms: i64,
    ) -> Result<&'d mut Object, ApiError> {
        check_name(name)?;
        let object = data.entry(name.to_string()).or_insert_with(|| Object {
            project_id: project_id.to_string(),
            expires_ms,
            upload_id: Some(upload_id.to_string()),
            hashes: BTreeMap::new(),
            blob: self.blobs.new_blob(),
            content_type: DEFAULT_CONTENT_TYPE.to_string(),
            get_token: None,
        });
        let same = object.upload_id.as_deref() == Some(upload_id)
            && object.project_id == project_id
            && object.expires_ms == expires_ms;
        if !same {
            let why = match &object.upload_id {
                None => "its upload is finished".to_string(),
                Some(id) if id != upload_id => "with another uploadId".to_string(),
                Some(_) if object.project_id != project_id => {
                    format!("with projectId {}", object.project_id)
                }
                Some(_) => format!("with expires {}", format_ms(object.expires_ms)),
            };
            return Err(ApiError::conflict(format!("Object already exists ({why})")));
        }
        Ok(object)
    }

    fn create_upload(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let name = request.arg("name")?;
        let body = request.body_object()?;
        let field = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or_default();
        let (project_id, upload_id, expires) =
            (field("projectId"), field("uploadId"), field("expires"));
        let expires_ms = parse_time(expires, "expires")?;
        let methods = body
            .get("proposedUploadMethods")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();

        // Decode before touching any state: bad data changes nothing.
        let inline = match methods.get("dataInline") {
            Some(method) => {
                let content_type = method["contentType"].as_str().unwrap_or_default();
                let text = method["objectData"].as_str().unwrap_or_default();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map_err(|_| ApiError::input("Invalid base64 objectData"))?;
                Some((content_type.to_string(), bytes))
            }
            None => None,
        };
        let put = match (&inline, methods.get("putUrl")) {
            (None, Some(method)) => {
                let content_type = method["contentType"].as_str().unwrap_or_default();
                let length = method["contentLength"].as_i64().unwrap_or(-1);
                let length = u64::try_from(length).map_err(|_| {
                    ApiError::input(format!(
                        "putUrl.contentLength must be a length in bytes, not {length}"
                    ))
                })?;
                Some((content_type.to_string(), length))
            }
            _ => None,
        };

        let mut data = lock(&self.data);
        let object = self.begin(&mut data, name, project_id, upload_id, expires_ms)?;
        add_hashes(&mut object.hashes, hashes_of(body))?;

        let upload_method = if let Some((content_type, bytes)) = inline {
            self.blobs
                .write(object.blob, &bytes)
                .map_err(|e| ApiError::internal(format!("tc-fake cannot store data: {e}")))?;
            object.content_type = content_type;
            json!({ "dataInline": true })
        } else if let Some((content_type, length)) = put {
            let expires_ms = now_ms() + PUT_URL_MS;
            let token = self.blobs.grant_put(PutGrant {
                owner: Owner::Object,
                blob: object.blob,
                content_type: content_type.clone(),
                content_length: Some(length),
                expires_ms,
            });
            object.content_type = content_type.clone();
            json!({ "putUrl": {
                "url": storage::put_url(request.root_url, &token),
                "expires": format_ms(expires_ms),
                "headers": {
                    "Content-Type": content_type,
                    "Content-Length": length.to_string(),
                },
            }})
        } else {
            json!({})
        };
        Ok(Response::Json(json!({
            "projectId": project_id,
            "uploadId": upload_id,
            "expires": expires,
            "uploadMethod": upload_method,
        })))
    }

    fn finish_upload(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let name = request.arg("name")?;
        let body = request.body_object()?;
        let field = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or_default();
        let (project_id, upload_id) = (field("projectId"), field("uploadId"));
        let hashes = hashes_of(body);

        let mut data = lock(&self.data);
        let object = data.get_mut(name).ok_or_else(|| object_not_found(name))?;
        if object.project_id != project_id {
            return Err(ApiError::input(format!(
                "Object \"{name}\" does not have projectId {project_id}"
            )));
        }
        let Some(pending) = &object.upload_id else {
            // Already finished: idempotent, as long as nothing new comes.
            for (algo, hash) in &hashes {
                match object.hashes.get(algo) {
                    None => {
                        return Err(ApiError::conflict(format!(
                            "Object \"{name}\" is already finished, but without hash algorithm {algo}"
                        )));
                    }
                    Some(h) if h != hash => {
                        return Err(ApiError::conflict(format!(
                            "Object \"{name}\" is already finished, but with a different hash for algorithm {algo}"
                        )));
                    }
                    Some(_) => {}
                }
            }
            return Ok(Response::Empty);
        };
        if pending != upload_id {
            return Err(ApiError::conflict(format!(
                "Object \"{name}\" does not have uploadId {upload_id}"
            )));
        }
        add_hashes(&mut object.hashes, hashes)?;
        object.upload_id = None;
        self.blobs.revoke_puts(object.blob);
        object.get_token = Some(self.blobs.grant_get(GetGrant {
            owner: Owner::Object,
            blob: object.blob,
            content_type: object.content_type.clone(),
        }));
        Ok(Response::Empty)
    }

    /// The finished object `name` (404 otherwise).
    fn finished<'d>(
        data: &'d BTreeMap<String, Object>,
        name: &str,
    ) -> Result<&'d Object, ApiError> {
        data.get(name)
            .filter(|o| o.upload_id.is_none())
            .ok_or_else(|| object_not_found(name))
    }

    fn start_download(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let name = request.arg("name")?;
        let body = request.body_object()?;
        let accepted = |method: &str| {
            body.get("acceptDownloadMethods")
                .and_then(|m| m.get(method))
                .is_some_and(|v| v == &Value::Bool(true))
        };
        let data = lock(&self.data);
        let object = Self::finished(&data, name)?;
        let url = storage::get_url(
            request.root_url,
            object.get_token.as_deref().unwrap_or_default(),
        );
        if accepted("getUrl") {
            Ok(Response::Json(json!({
                "method": "getUrl",
                "url": url,
                "expires": format_ms(now_ms() + GET_URL_MS),
                "hashes": object.hashes,
            })))
        } else if accepted("simple") {
            Ok(Response::Json(json!({ "method": "simple", "url": url })))
        } else {
            Err(ApiError::new(
                406,
                "NoMatchingMethod",
                "Object supports methods getUrl, simple",
            ))
        }
    }

    fn metadata(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let name = request.arg("name")?;
        let data = lock(&self.data);
        let object = Self::finished(&data, name)?;
        Ok(Response::Json(json!({
            "projectId": object.project_id,
            "expires": format_ms(object.expires_ms),
            "hashes": object.hashes,
        })))
    }

    fn download(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let name = request.arg("name")?;
        let data = lock(&self.data);
        let object = Self::finished(&data, name)?;
        let url = storage::get_url(
            request.root_url,
            object.get_token.as_deref().unwrap_or_default(),
        );
        Ok(Response::Redirect {
            location: url,
            body: json!({}),
            headers: Vec::new(),
        })
    }
}

impl Entries for Objects {
    const SERVICE: &'static str = "object";
    const ENTRIES: &'static [Entry<Self>] = &[
        Entry::new("createUpload", Objects::create_upload),
        Entry::new("finishUpload", Objects::finish_upload),
        Entry::new("startDownload", Objects::start_download),
        Entry::new("object", Objects::metadata),
        Entry::new("download", Objects::download),
    ];
}

#[cfg(test)]
mod tests;
