//! A Pulse listener: typed messages of Taskcluster's exchanges from an AMQP
//! 0-9-1 broker (RabbitMQ), on [amqprs](https://docs.rs/amqprs); `amqps://`
//! URLs use rustls on ring. Behind the `pulse` feature.
//!
//! ```no_run
//! # #[cfg(feature = "queue")]
//! # async fn run(amqp_url: &str, task_id: String) -> tc_client::Result<()> {
//! use futures_util::StreamExt;
//! use tc_client::queue::events::TaskCompleted;
//!
//! let listener = tc_client::pulse::Listener::connect(amqp_url, "my-user", "my-queue").await?;
//! let binding = TaskCompleted { task_id: Some(task_id), ..Default::default() };
//! let mut messages = listener.listen(binding).await?;
//! while let Some(message) = messages.next().await {
//!     let message = message?;
//!     println!("{:?} completed", message.payload.status.task_id);
//!     message.ack().await?;
//! }
//! # Ok(()) }
//! ```
//!
//! # Pulse's conventions
//!
//! - The queue is `queue/<pulse user>/<name>`; it is durable by default
//!   (it outlives the connection, so messages not yet acknowledged are
//!   delivered again after a reconnect), or exclusive
//!   ([`ListenerBuilder::exclusive`]): deleted by the broker when the
//!   connection closes, so whatever was in it is lost when the connection
//!   drops, and the listener starts over with an empty queue.
//! - Exchanges are topic exchanges named as the references name them
//!   ([`Binding::EXCHANGE`](crate::Binding::EXCHANGE), `exchange/taskcluster-queue/v1/task-completed`).
//!   On Pulse they exist; the listener first declares an exchange passively
//!   and, when the broker does not know it (a plain RabbitMQ, in tests),
//!   declares it as a durable topic exchange.
//! - Messages are acknowledged by hand ([`Message::ack`], [`Message::nack`]);
//!   at most `prefetch` ([`DEFAULT_PREFETCH`]) are unacknowledged at once.
//!
//! # Several bindings
//!
//! Every [`Listener::listen`] adds a binding to the same queue and answers a
//! stream of its own, typed by the binding's exchange: a message goes to the
//! first stream whose exchange is the message's and whose routing-key
//! pattern matches its routing key (to the first stream of that exchange
//! when none matches, as with messages that reached the queue through a CC
//! routing key). Merge streams with `futures_util::stream::select` after
//! mapping them into an enum of your own when one loop should see them all.
//! Keep every stream polled: messages wait in memory until their stream
//! takes them. Messages that arrive before any stream of their exchange
//! exists (a durable queue still holding messages when the listener
//! connects) are held, unacknowledged, and handed to the first such stream
//! [`Listener::listen`] opens. Messages of an exchange that no stream asks
//! for within [`HOLD_LIMIT`] (bindings left on a durable queue by an earlier
//! run) are acknowledged and dropped.
//!
//! # Undecodable messages
//!
//! A message whose body is not the exchange's schema (or whose routing key
//! does not have the exchange's shape) surfaces as
//! [`Error::PulseDecode`](crate::Error::PulseDecode) carrying the raw body,
//! and the stream goes on. Such a message is rejected without requeueing
//! (the broker drops it or dead-letters it), so it cannot come back forever.
//!
//! # Connection loss
//!
//! The listener notices a lost connection (a network failure, or the broker
//! closing the connection or the channel), reconnects with exponential
//! backoff ([`ListenerBuilder::reconnect_backoff`]), declares the queue
//! again, binds every binding again and goes on consuming. Messages that
//! were delivered but not acknowledged are delivered again by the broker
//! (with [`Message::redelivered`] set): handling must be idempotent.
//! Acknowledging a message of the lost connection fails with
//! [`Error::Pulse`](crate::Error::Pulse); the message comes again.
//! The streams end only when the listener and all of them are dropped.

mod delivery;
mod errors;
mod listener;
mod message;
mod protocol;
mod session;
mod topic;

pub use listener::{DEFAULT_PREFETCH, Listener, ListenerBuilder};
pub use message::{Message, Messages};
pub use session::HOLD_LIMIT;
pub use topic::topic_matches;
