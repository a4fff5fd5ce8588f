//! A local HTTP/1.1 server with scripted answers, for the hostile or broken servers that
//! tc-fake does not play: it accepts connections on 127.0.0.1, reads each request's head,
//! counts the request and hands the connection to the script, which writes the answer.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::AsyncReadExt as _;
use tokio::net::{TcpListener, TcpStream};

/// A running scripted server.
pub struct Scripted {
    /// `http://127.0.0.1:<port>`, to use as a root URL.
    pub root_url: String,
    requests: Arc<AtomicUsize>,
}

impl Scripted {
    /// How many requests have arrived (their heads read).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Starts a server that answers every request with `script`.
pub async fn serve<F, Fut>(script: F) -> Scripted
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root_url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    let script = Arc::new(script);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen = seen.clone();
            let script = script.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                seen.fetch_add(1, Ordering::SeqCst);
                script(socket).await;
            });
        }
    });
    Scripted { root_url, requests }
}
