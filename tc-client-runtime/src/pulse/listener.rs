//! [`Listener`] and its builder: the queue, its options, and the streams
//! of typed messages it hands out.

use super::errors::stopped;
use super::message::Messages;
use super::protocol::{Command, Route};
use super::session::{Config, Session, run};
use crate::{Binding, Error, Result};
use amqprs::connection::OpenConnectionArguments;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How many messages may be delivered and not yet acknowledged, by default.
pub const DEFAULT_PREFETCH: u16 = 32;

/// Configures a [`Listener`]; made by [`Listener::builder`].
///
/// ```no_run
/// # async fn run() -> tc_client::Result<()> {
/// use std::time::Duration;
/// use tc_client::pulse::Listener;
///
/// let listener = Listener::builder("amqps://me:secret@pulse.example.com", "me", "ci-watcher")
///     .exclusive(true) // gone with the connection; nothing piles up while away
///     .prefetch(8)
///     .reconnect_backoff(Duration::from_millis(500), Duration::from_secs(60))
///     .connect()
///     .await?;
/// assert_eq!(listener.queue_name(), "queue/me/ci-watcher");
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[must_use]
pub struct ListenerBuilder {
    pub(super) amqp_url: String,
    pub(super) queue: String,
    pub(super) exclusive: bool,
    pub(super) prefetch: u16,
    pub(super) min_backoff: Duration,
    pub(super) max_backoff: Duration,
}

impl fmt::Debug for ListenerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListenerBuilder")
            .field("amqp_url", &crate::error::Redacted)
            .field("queue", &self.queue)
            .field("exclusive", &self.exclusive)
            .field("prefetch", &self.prefetch)
            .field("min_backoff", &self.min_backoff)
            .field("max_backoff", &self.max_backoff)
            .finish()
    }
}

impl ListenerBuilder {
    /// An exclusive queue (deleted by the broker when the connection
    /// closes, messages in it lost) instead of a durable one.
    pub fn exclusive(mut self, exclusive: bool) -> Self {
        self.exclusive = exclusive;
        self
    }

    /// How many messages may be delivered and not yet acknowledged
    /// ([`DEFAULT_PREFETCH`]; at least 1).
    pub fn prefetch(mut self, prefetch: u16) -> Self {
        self.prefetch = prefetch.max(1);
        self
    }

    /// The delay before the first reconnection attempt, doubled after every
    /// failed attempt up to `max` (by default 100 ms and 30 s).
    pub fn reconnect_backoff(mut self, min: Duration, max: Duration) -> Self {
        self.min_backoff = min;
        self.max_backoff = max.max(min);
        self
    }

    /// Connects, declares the queue and starts consuming.
    ///
    /// # Errors
    ///
    /// [`Error::Configuration`] for a bad URL, [`Error::Pulse`] when the
    /// first connection or the queue declaration fails (later connection
    /// losses are retried instead).
    ///
    /// # Panics
    ///
    /// When called outside a tokio runtime.
    pub async fn connect(self) -> Result<Listener> {
        crate::client::install_crypto_provider();
        let args = OpenConnectionArguments::try_from(self.amqp_url.as_str())
            .map_err(|e| Error::Configuration(format!("bad AMQP URL: {e}")))?;
        let config = Config {
            args,
            queue: self.queue,
            exclusive: self.exclusive,
            prefetch: self.prefetch,
            min_backoff: self.min_backoff,
            max_backoff: self.max_backoff,
        };
        let session = Session::open(&config, &[]).await?;
        let (commands, rx) = mpsc::unbounded_channel();
        let queue = config.queue.clone();
        tokio::spawn(run(config, rx, session));
        Ok(Listener { commands, queue })
    }
}

/// A Pulse listener: one queue, one connection, any number of bindings.
///
/// Made by [`Listener::connect`] or [`Listener::builder`]; see the
/// [module documentation](crate::pulse).
#[derive(Debug)]
pub struct Listener {
    pub(super) commands: mpsc::UnboundedSender<Command>,
    pub(super) queue: String,
}

impl Listener {
    /// Connects with the defaults: a durable queue
    /// `queue/<pulse_user>/<queue_name>`, prefetch [`DEFAULT_PREFETCH`].
    ///
    /// # Errors
    ///
    /// As [`ListenerBuilder::connect`].
    pub async fn connect(amqp_url: &str, pulse_user: &str, queue_name: &str) -> Result<Listener> {
        Self::builder(amqp_url, pulse_user, queue_name)
            .connect()
            .await
    }

    /// A builder for a listener on the queue `queue/<pulse_user>/<queue_name>`
    /// of the broker at `amqp_url` (`amqps://user:password@host/vhost`).
    pub fn builder(amqp_url: &str, pulse_user: &str, queue_name: &str) -> ListenerBuilder {
        ListenerBuilder {
            amqp_url: amqp_url.to_owned(),
            queue: format!("queue/{pulse_user}/{queue_name}"),
            exclusive: false,
            prefetch: DEFAULT_PREFETCH,
            min_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(30),
        }
    }

    /// The full queue name, `queue/<pulse user>/<name>`.
    pub fn queue_name(&self) -> &str {
        &self.queue
    }

    /// Binds the queue to `binding`'s exchange with its routing-key pattern
    /// and answers the stream of the messages that arrive through it.
    ///
    /// # Errors
    ///
    /// [`Error::Pulse`] when the broker refuses the exchange or the binding,
    /// or the listener has stopped.
    pub async fn listen<B: Binding>(&self, binding: B) -> Result<Messages<B>> {
        let (tx, rx) = mpsc::unbounded_channel();
        let (reply, answer) = oneshot::channel();
        self.send(Command::Bind {
            route: Route {
                exchange: B::EXCHANGE.to_owned(),
                pattern: binding.routing_key_pattern(),
                tx,
            },
            reply,
        })?;
        answer.await.map_err(|_| stopped())??;
        Ok(Messages {
            rx,
            _commands: self.commands.clone(),
            _binding: PhantomData,
        })
    }

    /// Deletes the queue on the broker and stops the listener (for durable
    /// queues that should not outlive their use; an exclusive queue goes
    /// with the connection anyway). The streams end.
    ///
    /// # Errors
    ///
    /// [`Error::Pulse`] when the broker could not be told.
    pub async fn delete_queue(self) -> Result<()> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::DeleteQueue { reply })?;
        answer.await.map_err(|_| stopped())?
    }

    pub(super) fn send(&self, command: Command) -> Result<()> {
        self.commands.send(command).map_err(|_| stopped())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_names_follow_pulse() {
        let builder = Listener::builder("amqp://localhost", "me", "q1");
        assert_eq!(builder.queue, "queue/me/q1");
        assert!(!builder.exclusive);
        assert_eq!(builder.prefetch, DEFAULT_PREFETCH);
        assert!(
            !format!("{builder:?}").contains("amqp://"),
            "the URL may hold a password"
        );
    }

    #[tokio::test]
    async fn bad_urls_are_configuration_errors() {
        let error = Listener::connect("http://localhost", "me", "q")
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Configuration(_)), "{error:?}");
    }

    #[tokio::test]
    async fn amqps_urls_use_rustls_on_ring() {
        // Nothing listens on port 1: the TLS set-up must not panic, the
        // connection must fail as a Pulse error.
        let error = Listener::connect("amqps://u:p@127.0.0.1:1/vhost", "me", "q")
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Pulse(_)), "{error:?}");
    }
}
