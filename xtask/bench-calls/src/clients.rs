//! The three clients measured, each doing the same two signed requests against the
//! canned server and decoding the answers.

use std::future::Future;

use tc_client::queue::{Queue, TaskDefinitionRequest, TaskDefinitionResponse, TaskStatusResponse};

use crate::Result;
use crate::server::TASK_PATH;

/// The client id and access token every client signs with (the server does not check).
pub const CLIENT_ID: &str = "project/bench/calls";
pub const ACCESS_TOKEN: &str = "bench-calls-access-token-of-44-characters-xx";

/// What every client does. The answers are small facts of the decoded value (routes of
/// the task, runs of the status), checked once, so that decoding cannot be skipped.
pub trait Calls: Send + Sync + 'static {
    /// Its name in the output.
    const NAME: &'static str;

    /// `GET /task/<task_id>`: the number of routes of the task.
    fn get(&self, task_id: &str) -> impl Future<Output = Result<usize>> + Send;

    /// `PUT /task/<task_id>` with the task definition: the number of runs of the status.
    fn put(&self, task_id: &str) -> impl Future<Output = Result<usize>> + Send;
}

/// (a) tc-client: `Queue::task` and `Queue::create_task`.
pub struct TcClient {
    queue: Queue,
    definition: TaskDefinitionRequest,
}

impl TcClient {
    pub fn new(root_url: &str, definition: TaskDefinitionRequest) -> Result<TcClient> {
        let queue = Queue::builder()
            .root_url(root_url)
            .credentials(tc_client::Credentials::new(CLIENT_ID, ACCESS_TOKEN))
            .build()?;
        Ok(TcClient { queue, definition })
    }
}

impl Calls for TcClient {
    const NAME: &'static str = "tc-client";

    async fn get(&self, task_id: &str) -> Result<usize> {
        let task: TaskDefinitionResponse = self.queue.task(task_id).await?;
        Ok(task.routes.len())
    }

    async fn put(&self, task_id: &str) -> Result<usize> {
        let status: TaskStatusResponse = self.queue.create_task(task_id, &self.definition).await?;
        Ok(status.status.runs.len())
    }
}

/// (b) By hand: reqwest, a Hawk header from the `hawk` crate, serde_json into
/// tc-client's typed structs; the base URL, host, port and Hawk key made once.
pub struct HandWritten {
    http: reqwest::Client,
    /// `http://127.0.0.1:<port>/api/queue/v1/task/`.
    base: String,
    /// Where the path starts in `base`.
    path_start: usize,
    host: String,
    port: u16,
    credentials: hawk::Credentials,
    definition: TaskDefinitionRequest,
}

impl HandWritten {
    pub fn new(
        addr: std::net::SocketAddr,
        definition: TaskDefinitionRequest,
    ) -> Result<HandWritten> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let origin = format!("http://{addr}");
        Ok(HandWritten {
            http,
            base: format!("{origin}{TASK_PATH}"),
            path_start: origin.len(),
            host: addr.ip().to_string(),
            port: addr.port(),
            credentials: hawk::Credentials {
                id: CLIENT_ID.to_owned(),
                key: hawk::Key::new(ACCESS_TOKEN, hawk::DigestAlgorithm::Sha256)?,
            },
            definition,
        })
    }

    /// The URL of `task_id`'s task and its `Authorization` header for `method`.
    fn sign(&self, method: &str, task_id: &str) -> Result<(String, String)> {
        let mut url = String::with_capacity(self.base.len() + task_id.len());
        url.push_str(&self.base);
        url.push_str(task_id);
        let header =
            hawk::RequestBuilder::new(method, &self.host, self.port, &url[self.path_start..])
                .request()
                .make_header(&self.credentials)?;
        Ok((url, format!("Hawk {header}")))
    }
}

/// Sends `request`; answers the body of a 2xx answer.
async fn send(request: reqwest::RequestBuilder) -> Result<impl AsRef<[u8]>> {
    let response = request.send().await?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("hand-written: HTTP {status}").into());
    }
    Ok(response.bytes().await?)
}

impl Calls for HandWritten {
    const NAME: &'static str = "hand-written";

    async fn get(&self, task_id: &str) -> Result<usize> {
        let (url, authorization) = self.sign("GET", task_id)?;
        let request = self
            .http
            .get(url)
            .header(reqwest::header::AUTHORIZATION, authorization);
        let body = send(request).await?;
        let task: TaskDefinitionResponse = serde_json::from_slice(body.as_ref())?;
        Ok(task.routes.len())
    }

    async fn put(&self, task_id: &str) -> Result<usize> {
        let (url, authorization) = self.sign("PUT", task_id)?;
        let request = self
            .http
            .put(url)
            .header(reqwest::header::AUTHORIZATION, authorization)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&self.definition)?);
        let body = send(request).await?;
        let status: TaskStatusResponse = serde_json::from_slice(body.as_ref())?;
        Ok(status.status.runs.len())
    }
}

/// (c) The official crate: `Queue::task` and `Queue::createTask`, JSON values in and out.
pub struct Official {
    queue: taskcluster::Queue,
    definition: serde_json::Value,
}

impl Official {
    pub fn new(root_url: &str, definition: serde_json::Value) -> Result<Official> {
        let queue = taskcluster::Queue::new(
            taskcluster::ClientBuilder::new(root_url)
                .credentials(taskcluster::Credentials::new(CLIENT_ID, ACCESS_TOKEN)),
        )?;
        Ok(Official { queue, definition })
    }
}

impl Calls for Official {
    const NAME: &'static str = "official";

    async fn get(&self, task_id: &str) -> Result<usize> {
        let task = self.queue.task(task_id).await?;
        Ok(task["routes"].as_array().map_or(0, Vec::len))
    }

    async fn put(&self, task_id: &str) -> Result<usize> {
        let status = self.queue.createTask(task_id, &self.definition).await?;
        Ok(status["status"]["runs"].as_array().map_or(0, Vec::len))
    }
}
