// Included from client/mod.rs under #[cfg(test)]: all of this file is test code.
//! A service for the unit tests of the client: it names itself `queue`, so that
//! its URLs are the queue's, without the generated queue (a crate of its own).

use super::builder::ClientBuilder;
use super::endpoint::{Endpoint, RouteSegment};
use super::{Client, Service};
use crate::error::Result;

/// `queue.ping`.
static PING: Endpoint = Endpoint {
    route: "/ping",
    name: "ping",
    segments: &[RouteSegment::Literal("/ping")],
    args: &[],
    ..crate::client::api_url::tests::GET_ARTIFACT
};

/// A client of the `queue` service with no methods.
pub(crate) struct Queue {
    client: Client,
}

impl Queue {
    /// A builder, as the generated `Queue::builder()`.
    pub(crate) fn builder() -> ClientBuilder<Queue> {
        ClientBuilder::default()
    }

    /// The URL of `ping`, as the generated `Queue::ping_url()`.
    pub(crate) fn ping_url(&self) -> Result<String> {
        crate::client::call::endpoint_url(&self.client, &PING, &[], &[])
    }
}

impl Service for Queue {
    const NAME: &'static str = "queue";
    const API_VERSION: &'static str = "v1";

    fn from_client(client: Client) -> Self {
        Queue { client }
    }

    fn client(&self) -> &Client {
        &self.client
    }
}
