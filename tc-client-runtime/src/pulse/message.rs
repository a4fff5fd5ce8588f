//! Typed messages: a delivery decoded for its binding, acknowledged or
//! rejected by the caller, and the stream of one binding's messages.

use super::delivery::{Acker, Delivery};
use super::protocol::Command;
use crate::{Binding, Error, Result};
use futures_core::Stream;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

/// A message of a binding `B`, with its typed payload (`T` is
/// `B::Message`).
pub struct Message<T, B> {
    /// The decoded body.
    pub payload: T,
    /// The routing-key parts the message was published with.
    pub routing: B,
    /// The routing key the message was published with.
    pub routing_key: String,
    /// The exchange it was published on.
    pub exchange: String,
    /// Whether the broker delivered it before (and it was not acknowledged).
    pub redelivered: bool,
    /// The position of the message among all the messages this listener
    /// received, over all its streams and connections: sort by it to restore
    /// the broker's order after merging streams.
    pub sequence: u64,
    pub(super) acker: Acker,
}

impl<T: fmt::Debug, B: fmt::Debug> fmt::Debug for Message<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("exchange", &self.exchange)
            .field("routing_key", &self.routing_key)
            .field("redelivered", &self.redelivered)
            .field("sequence", &self.sequence)
            .field("routing", &self.routing)
            .field("payload", &self.payload)
            .finish_non_exhaustive()
    }
}

impl<T, B> Message<T, B> {
    /// Acknowledges the message: the broker forgets it.
    ///
    /// # Errors
    ///
    /// [`Error::Pulse`] when the connection it came on is gone (the broker
    /// delivers it again).
    pub async fn ack(self) -> Result<()> {
        self.acker.ack().await
    }

    /// Rejects the message: the broker delivers it again (`requeue`) or
    /// drops (or dead-letters) it.
    ///
    /// # Errors
    ///
    /// As [`ack`](Self::ack).
    pub async fn nack(self, requeue: bool) -> Result<()> {
        self.acker.nack(requeue).await
    }
}

/// The stream of one binding's messages, made by [`Listener::listen`](crate::pulse::Listener::listen).
///
/// Each item is a [`Message`] to acknowledge, or an [`Error::PulseDecode`]
/// for a message that did not decode (the stream goes on). To handle
/// several bindings in one loop, map each stream into an enum and merge
/// them:
///
/// ```no_run
/// # #[cfg(feature = "queue")]
/// # async fn run(listener: tc_client::pulse::Listener) -> tc_client::Result<()> {
/// use futures_util::{StreamExt, stream};
/// use tc_client::pulse::Message;
/// use tc_client::queue::events::{TaskCompleted, TaskFailed};
/// use tc_client::queue::{TaskCompletedMessage, TaskFailedMessage};
///
/// enum Event {
///     Completed(Message<TaskCompletedMessage, TaskCompleted>),
///     Failed(Message<TaskFailedMessage, TaskFailed>),
/// }
///
/// let completed = listener.listen(TaskCompleted::default()).await?.map(|m| m.map(Event::Completed));
/// let failed = listener.listen(TaskFailed::default()).await?.map(|m| m.map(Event::Failed));
/// let mut events = stream::select(completed, failed);
/// while let Some(event) = events.next().await {
///     match event? {
///         Event::Completed(message) => message.ack().await?,
///         Event::Failed(message) => {
///             eprintln!("{} failed", message.payload.status.task_id.as_str());
///             message.ack().await?;
///         }
///     }
/// }
/// # Ok(()) }
/// ```
pub struct Messages<B: Binding> {
    pub(super) rx: mpsc::UnboundedReceiver<Delivery>,
    // Keeps the listener's task alive while the stream is.
    pub(super) _commands: mpsc::UnboundedSender<Command>,
    pub(super) _binding: PhantomData<fn() -> B>,
}

impl<B: Binding> fmt::Debug for Messages<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Messages")
            .field("exchange", &B::EXCHANGE)
            .finish_non_exhaustive()
    }
}

impl<B: Binding> Stream for Messages<B> {
    type Item = Result<Message<B::Message, B>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(delivery)) => Poll::Ready(Some(decode::<B>(delivery))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

pub(super) fn decode<B: Binding>(delivery: Delivery) -> Result<Message<B::Message, B>> {
    let decoded = serde_json::from_slice::<B::Message>(&delivery.body)
        .map_err(|e| e.to_string())
        .and_then(|payload| {
            B::parse_routing_key(&delivery.routing_key)
                .map(|routing| (payload, routing))
                .ok_or_else(|| {
                    format!(
                        "routing key {:?} does not have the shape of {}",
                        delivery.routing_key,
                        B::EXCHANGE
                    )
                })
        });
    match decoded {
        Ok((payload, routing)) => Ok(Message {
            payload,
            routing,
            routing_key: delivery.routing_key,
            exchange: delivery.exchange,
            redelivered: delivery.redelivered,
            sequence: delivery.sequence,
            acker: delivery.acker,
        }),
        Err(message) => {
            // Rejected without requeueing, so that it cannot come back forever.
            let acker = delivery.acker;
            tokio::spawn(async move {
                if let Err(e) = acker.nack(false).await {
                    tracing::debug!("pulse: rejecting an undecodable message: {e}");
                }
            });
            Err(Error::PulseDecode {
                exchange: delivery.exchange,
                routing_key: delivery.routing_key,
                body: delivery.body,
                message,
            })
        }
    }
}
