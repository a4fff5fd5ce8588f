//! What the listener's handles tell its task: bind a route (an exchange
//! and a routing-key pattern, with the stream its deliveries go to), or
//! delete the queue.

use super::delivery::Delivery;
use crate::Result;
use tokio::sync::{mpsc, oneshot};

pub(super) struct Route {
    pub(super) exchange: String,
    pub(super) pattern: String,
    pub(super) tx: mpsc::UnboundedSender<Delivery>,
}

pub(super) enum Command {
    Bind {
        route: Route,
        reply: oneshot::Sender<Result<()>>,
    },
    DeleteQueue {
        reply: oneshot::Sender<Result<()>>,
    },
}
