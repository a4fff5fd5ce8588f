//! The HTTP server: accepts connections and hands each request to the API
//! [`pipeline`](crate::http::pipeline), or to the
//! [data URLs](crate::http::data_urls) under `/__tc_fake/`.

use std::sync::Arc;

use hyper::Request as HttpRequest;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::http::shared::Shared;
use crate::http::{data_urls, pipeline};
use crate::storage::DATA_PREFIX;

/// Serves connections from `listener` until the task is aborted; aborting it
/// also ends every open connection.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        tracing::warn!(%error, "tc-fake: accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request: HttpRequest<Incoming>| {
                        let shared = shared.clone();
                        async move {
                            if request.uri().path().starts_with(DATA_PREFIX) {
                                // An error cuts the connection (injected drops).
                                data_urls::handle(&shared, request).await
                            } else {
                                Ok(pipeline::handle(&shared, request).await)
                            }
                        }
                    });
                    if let Err(error) = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await
                    {
                        tracing::debug!(%error, "tc-fake: connection ended");
                    }
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}
