//! The canned server: HTTP/1.1 with keep-alive on 127.0.0.1, on one thread, run in a
//! child process (`bench-calls --serve`) so that the benchmark process's CPU time is the
//! clients' alone.
//!
//! - `GET /api/queue/v1/task/<taskId>` answers the task definition of `task.json`;
//! - `PUT /api/queue/v1/task/<taskId>` (its body read and dropped) answers the task
//!   status of `status.json`;
//! - anything else answers 404 with a Taskcluster-style error body.
//!
//! A request without a Hawk `Authorization` header answers 401, a `PUT` without a body
//! 400, so that every client is seen to sign and send; the signature itself is not
//! verified (the answers are precomputed bytes). The child prints
//! `listening <addr>` on its standard output once bound, and exits when its standard
//! input closes (the parent ended, whichever way).

use std::io::{BufRead as _, Write as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use crate::{BoxError, Result};

/// The path prefix of the two routes.
pub const TASK_PATH: &str = "/api/queue/v1/task/";

/// The largest request head accepted.
const MAX_HEAD: usize = 64 * 1024;

/// The three precomputed answers.
struct Answers {
    task: Vec<u8>,
    status: Vec<u8>,
    not_found: Vec<u8>,
    unsigned: Vec<u8>,
    no_body: Vec<u8>,
}

fn response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json; charset=utf-8\r\n\
         content-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

impl Answers {
    fn new(task: &[u8], status: &[u8]) -> Answers {
        Answers {
            task: response("200 OK", task),
            status: response("200 OK", status),
            not_found: response(
                "404 Not Found",
                br#"{"code":"ResourceNotFound","message":"no such route in the bench-calls server"}"#,
            ),
            unsigned: response(
                "401 Unauthorized",
                br#"{"code":"AuthenticationFailed","message":"no Hawk authorization header"}"#,
            ),
            no_body: response(
                "400 Bad Request",
                br#"{"code":"MalformedPayload","message":"no task definition"}"#,
            ),
        }
    }
}

/// What a complete request in a buffer is: its length (head and body) and its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Task,
    Status,
    NotFound,
    Unsigned,
    NoBody,
}

/// Parses the request at the start of `buf`: `Ok(None)` while it is incomplete.
fn parse(buf: &[u8]) -> Result<Option<(usize, Route)>> {
    let Some(head_end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        if buf.len() > MAX_HEAD {
            return Err("request head too large".into());
        }
        return Ok(None);
    };
    let head = std::str::from_utf8(&buf[..head_end])?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default();
    let path = request_line.next().unwrap_or_default();
    let mut content_length = 0usize;
    let mut signed = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("content-length") {
            content_length = value.trim().parse()?;
        } else if name.eq_ignore_ascii_case("authorization") {
            signed = value.trim_start().starts_with("Hawk id=");
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err("chunked request bodies are not supported".into());
        }
    }
    let total = head_end + 4 + content_length;
    if buf.len() < total {
        return Ok(None);
    }
    let task = path
        .strip_prefix(TASK_PATH)
        .is_some_and(|id| !id.is_empty() && !id.contains(['/', '?']));
    let route = match (method, task) {
        _ if !signed => Route::Unsigned,
        ("GET", true) => Route::Task,
        ("PUT", true) if content_length == 0 => Route::NoBody,
        ("PUT", true) => Route::Status,
        _ => Route::NotFound,
    };
    Ok(Some((total, route)))
}

async fn connection(mut stream: TcpStream, answers: Arc<Answers>) -> Result<()> {
    stream.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    loop {
        let mut start = 0;
        while let Some((len, route)) = parse(&buf[start..])? {
            let answer = match route {
                Route::Task => &answers.task,
                Route::Status => &answers.status,
                Route::NotFound => &answers.not_found,
                Route::Unsigned => &answers.unsigned,
                Route::NoBody => &answers.no_body,
            };
            stream.write_all(answer).await?;
            start += len;
        }
        buf.drain(..start);
        if stream.read_buf(&mut buf).await? == 0 {
            return Ok(());
        }
    }
}

/// A client that went away mid-connection (at the end of the run) is not worth a word.
fn is_disconnect(e: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset};
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|e| matches!(e.kind(), BrokenPipe | ConnectionAborted | ConnectionReset))
}

/// `bench-calls --serve`: serves until standard input closes.
pub fn serve(task: &[u8], status: &[u8]) -> Result<()> {
    crate::pin_to_cpu(1);
    let answers = Arc::new(Answers::new(task, status));
    // The parent holds our standard input: when it goes, so do we.
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().lock().read_until(0, &mut sink);
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening {addr}")?;
        out.flush()?;
        drop(out);
        loop {
            let (stream, _) = listener.accept().await?;
            let answers = Arc::clone(&answers);
            tokio::spawn(async move {
                if let Err(e) = connection(stream, answers).await
                    && !is_disconnect(&*e)
                {
                    eprintln!("bench-calls server: {e}");
                }
            });
        }
    })
}

/// The server child process; ended when dropped.
pub struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Server {
    /// Starts this program again with `--serve` and waits until it listens.
    pub fn start() -> Result<Server> {
        let exe = std::env::current_exe()?;
        let mut child = Command::new(exe)
            .arg("--serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take();
        let addr = match first_line(&mut child) {
            Ok(addr) => addr,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
        Ok(Server { child, stdin, addr })
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

fn first_line(child: &mut Child) -> Result<SocketAddr> {
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| BoxError::from("the server's stdout"))?;
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let addr = line
        .trim()
        .strip_prefix("listening ")
        .ok_or_else(|| format!("the server said {line:?}, not `listening <addr>`"))?;
    Ok(addr.parse()?)
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_requests() {
        let get = b"GET /api/queue/v1/task/abc HTTP/1.1\r\nhost: x\r\n\
                    authorization: Hawk id=\"c\", mac=\"m\"\r\n\r\n";
        assert_eq!(parse(get).unwrap(), Some((get.len(), Route::Task)));
        assert_eq!(parse(&get[..get.len() - 1]).unwrap(), None);
        let put = b"PUT /api/queue/v1/task/abc HTTP/1.1\r\nContent-Length: 2\r\n\
                    Authorization: Hawk id=\"c\"\r\n\r\n{}GET";
        assert_eq!(parse(put).unwrap(), Some((put.len() - 3, Route::Status)));
        assert_eq!(parse(&put[..put.len() - 4]).unwrap(), None);
        let empty = b"PUT /api/queue/v1/task/abc HTTP/1.1\r\nAuthorization: Hawk id=\"c\"\r\n\r\n";
        assert_eq!(parse(empty).unwrap(), Some((empty.len(), Route::NoBody)));
        let other = b"GET /api/queue/v1/ping HTTP/1.1\r\nAuthorization: Hawk id=\"c\"\r\n\r\n";
        assert_eq!(parse(other).unwrap(), Some((other.len(), Route::NotFound)));
        let unsigned = b"GET /api/queue/v1/task/abc HTTP/1.1\r\n\r\n";
        assert_eq!(
            parse(unsigned).unwrap(),
            Some((unsigned.len(), Route::Unsigned))
        );
        assert!(parse(b"PUT / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n").is_err());
    }
}
