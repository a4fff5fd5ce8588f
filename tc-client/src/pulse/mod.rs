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
//!   ([`Binding::EXCHANGE`], `exchange/taskcluster-queue/v1/task-completed`).
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
//! [`Error::PulseDecode`] carrying the raw body,
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
//! [`Error::Pulse`]; the message comes again.
//! The streams end only when the listener and all of them are dropped.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use amqprs::channel::{
    BasicAckArguments, BasicConsumeArguments, BasicNackArguments, BasicQosArguments, Channel,
    ExchangeDeclareArguments, QueueBindArguments, QueueDeclareArguments, QueueDeleteArguments,
};
use amqprs::connection::{Connection, OpenConnectionArguments};
use futures_core::Stream;
use tokio::sync::{mpsc, oneshot};

use crate::backoff::Backoff;
use crate::{Binding, Error, Result};

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
    amqp_url: String,
    queue: String,
    exclusive: bool,
    prefetch: u16,
    min_backoff: Duration,
    max_backoff: Duration,
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
/// [module documentation](self).
#[derive(Debug)]
pub struct Listener {
    commands: mpsc::UnboundedSender<Command>,
    queue: String,
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

    fn send(&self, command: Command) -> Result<()> {
        self.commands.send(command).map_err(|_| stopped())
    }
}

fn stopped() -> Error {
    Error::Pulse("the listener has stopped".to_owned())
}

fn amqp(what: &str) -> impl FnOnce(amqprs::error::Error) -> Error + '_ {
    move |e| Error::Pulse(format!("{what}: {e}"))
}

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
    acker: Acker,
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

struct Acker {
    channel: Channel,
    tag: u64,
}

impl Acker {
    async fn ack(&self) -> Result<()> {
        self.check_open()?;
        self.channel
            .basic_ack(BasicAckArguments::new(self.tag, false))
            .await
            .map_err(amqp("ack"))
    }

    async fn nack(&self, requeue: bool) -> Result<()> {
        self.check_open()?;
        self.channel
            .basic_nack(BasicNackArguments::new(self.tag, false, requeue))
            .await
            .map_err(amqp("nack"))
    }

    fn check_open(&self) -> Result<()> {
        if self.channel.is_open() && self.channel.is_connection_open() {
            Ok(())
        } else {
            Err(Error::Pulse(
                "the connection the message came on is gone; the broker delivers it again"
                    .to_owned(),
            ))
        }
    }
}

/// The stream of one binding's messages, made by [`Listener::listen`].
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
    rx: mpsc::UnboundedReceiver<Delivery>,
    // Keeps the listener's task alive while the stream is.
    _commands: mpsc::UnboundedSender<Command>,
    _binding: PhantomData<fn() -> B>,
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

fn decode<B: Binding>(delivery: Delivery) -> Result<Message<B::Message, B>> {
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

/// Whether an AMQP topic pattern (`*` one word, `#` any number) matches a
/// routing key.
///
/// ```
/// use tc_client::pulse::topic_matches;
///
/// assert!(topic_matches("primary.*.0.#", "primary.fN1SbArXTPSVFNUvaOlinQ.0.wg.wi"));
/// assert!(topic_matches("route.index.#", "route.index"));
/// assert!(!topic_matches("primary.*", "primary.a.b"));
/// ```
pub fn topic_matches(pattern: &str, routing_key: &str) -> bool {
    fn go(pattern: &[&str], key: &[&str]) -> bool {
        match pattern.split_first() {
            None => key.is_empty(),
            Some((&"#", rest)) => (0..=key.len()).any(|skip| go(rest, &key[skip..])),
            Some((word, rest)) => match key.split_first() {
                Some((k, key_rest)) => (*word == "*" || word == k) && go(rest, key_rest),
                None => false,
            },
        }
    }
    let pattern: Vec<&str> = pattern.split('.').collect();
    let key: Vec<&str> = if routing_key.is_empty() {
        Vec::new()
    } else {
        routing_key.split('.').collect()
    };
    go(&pattern, &key)
}

// ----- the listener's task -----

struct Config {
    args: OpenConnectionArguments,
    queue: String,
    exclusive: bool,
    prefetch: u16,
    min_backoff: Duration,
    max_backoff: Duration,
}

struct Route {
    exchange: String,
    pattern: String,
    tx: mpsc::UnboundedSender<Delivery>,
}

enum Command {
    Bind {
        route: Route,
        reply: oneshot::Sender<Result<()>>,
    },
    DeleteQueue {
        reply: oneshot::Sender<Result<()>>,
    },
}

/// How long a message waits for a stream of its exchange before it is dropped.
pub const HOLD_LIMIT: Duration = Duration::from_secs(10);

/// A delivery that arrived before any stream of its exchange.
struct Held {
    delivery: Delivery,
    since: tokio::time::Instant,
}

struct Delivery {
    exchange: String,
    routing_key: String,
    body: Vec<u8>,
    redelivered: bool,
    sequence: u64,
    acker: Acker,
}

struct Session {
    connection: Connection,
    channel: Channel,
    consumer: mpsc::UnboundedReceiver<amqprs::channel::ConsumerMessage>,
}

impl Session {
    async fn open(config: &Config, routes: &[Route]) -> Result<Session> {
        let connection = Connection::open(&config.args)
            .await
            .map_err(amqp("connecting"))?;
        let channel = connection
            .open_channel(None)
            .await
            .map_err(amqp("opening a channel"))?;
        channel
            .basic_qos(BasicQosArguments::new(0, config.prefetch, false))
            .await
            .map_err(amqp("setting the prefetch"))?;
        let mut declare = QueueDeclareArguments::new(&config.queue);
        declare
            .durable(!config.exclusive)
            .exclusive(config.exclusive)
            .auto_delete(false);
        channel
            .queue_declare(declare)
            .await
            .map_err(amqp("declaring the queue"))?;
        for route in routes {
            bind(&connection, &channel, &config.queue, route).await?;
        }
        let mut consume = BasicConsumeArguments::new(&config.queue, "");
        consume.manual_ack(true);
        let (_, consumer) = channel
            .basic_consume_rx(consume)
            .await
            .map_err(amqp("consuming"))?;
        Ok(Session {
            connection,
            channel,
            consumer,
        })
    }

    async fn close(self) {
        // Errors mean the connection is gone already.
        let _ = self.connection.close().await;
    }
}

/// Makes sure `route`'s exchange exists and binds the queue to it.
async fn bind(
    connection: &Connection,
    channel: &Channel,
    queue: &str,
    route: &Route,
) -> Result<()> {
    // A failed declaration closes its channel: use throw-away ones.
    let passive = connection
        .open_channel(None)
        .await
        .map_err(amqp("opening a channel"))?;
    let mut args = ExchangeDeclareArguments::new(&route.exchange, "topic");
    args.passive = true;
    if passive.exchange_declare(args).await.is_ok() {
        let _ = passive.close().await;
    } else {
        let active = connection
            .open_channel(None)
            .await
            .map_err(amqp("opening a channel"))?;
        let mut args = ExchangeDeclareArguments::new(&route.exchange, "topic");
        args.durable = true;
        active
            .exchange_declare(args)
            .await
            .map_err(amqp(&format!("declaring exchange {}", route.exchange)))?;
        let _ = active.close().await;
    }
    channel
        .queue_bind(QueueBindArguments::new(
            queue,
            &route.exchange,
            &route.pattern,
        ))
        .await
        .map_err(|e| {
            Error::Pulse(format!(
                "binding {queue} to {} with {}: {e}",
                route.exchange, route.pattern
            ))
        })
}

enum End {
    Stop,
    Lost,
}

async fn run(config: Config, mut commands: mpsc::UnboundedReceiver<Command>, mut session: Session) {
    let mut routes: Vec<Route> = Vec::new();
    let mut pending: VecDeque<Command> = VecDeque::new();
    let mut sequence = 0u64;
    loop {
        let end = serve(
            &config,
            &mut commands,
            &mut pending,
            &mut session,
            &mut routes,
            &mut sequence,
        )
        .await;
        session.close().await;
        if let End::Stop = end {
            return;
        }
        tracing::warn!(queue = %config.queue, "pulse: connection lost, reconnecting");
        // The API retries' backoff, without jitter: each failed reconnect
        // doubles the wait, from `min_backoff` up to `max_backoff`.
        let backoff = Backoff {
            base: config.min_backoff,
            factor: 2.0,
            jitter: 0.0,
            max: config.max_backoff,
        };
        let mut failures = 0;
        session = loop {
            tokio::select! {
                () = tokio::time::sleep(backoff.delay(failures, 0.0)) => {}
                command = commands.recv() => match command {
                    Some(command) => { pending.push_back(command); continue; }
                    None => return,
                },
            }
            routes.retain(|r| !r.tx.is_closed());
            match Session::open(&config, &routes).await {
                Ok(session) => break session,
                Err(e) => {
                    tracing::warn!(queue = %config.queue, "pulse: reconnecting failed: {e}");
                    failures = failures.saturating_add(1);
                }
            }
        };
        tracing::info!(queue = %config.queue, "pulse: reconnected");
    }
}

/// Serves one connection until it is lost or the listener stops.
async fn serve(
    config: &Config,
    commands: &mut mpsc::UnboundedReceiver<Command>,
    pending: &mut VecDeque<Command>,
    session: &mut Session,
    routes: &mut Vec<Route>,
    sequence: &mut u64,
) -> End {
    // Deliveries of this connection waiting for a stream; on a lost
    // connection they are dropped unacknowledged, and the broker redelivers.
    let mut held: VecDeque<Held> = VecDeque::new();
    while let Some(command) = pending.pop_front() {
        if let Some(end) = handle(config, session, routes, &mut held, command).await {
            return end;
        }
    }
    let mut check = tokio::time::interval(Duration::from_millis(500));
    loop {
        tokio::select! {
            message = session.consumer.recv() => match message {
                Some(message) => {
                    *sequence += 1;
                    dispatch(session, routes, &mut held, message, *sequence).await;
                }
                None => return End::Lost,
            },
            command = commands.recv() => match command {
                Some(command) => {
                    if let Some(end) = handle(config, session, routes, &mut held, command).await {
                        return end;
                    }
                }
                None => return End::Stop,
            },
            _ = session.connection.listen_network_io_failure() => return End::Lost,
            _ = check.tick() => {
                if !session.connection.is_open() || !session.channel.is_open() {
                    return End::Lost;
                }
                while held.front().is_some_and(|h| h.since.elapsed() >= HOLD_LIMIT) {
                    if let Some(stale) = held.pop_front() {
                        tracing::debug!(
                            exchange = %stale.delivery.exchange,
                            routing_key = %stale.delivery.routing_key,
                            "pulse: no stream for this message; dropped"
                        );
                        let _ = stale.delivery.acker.ack().await;
                    }
                }
            }
        }
    }
}

/// Hands a delivery to the first stream that wants it.
async fn dispatch(
    session: &Session,
    routes: &mut Vec<Route>,
    held: &mut VecDeque<Held>,
    message: amqprs::channel::ConsumerMessage,
    sequence: u64,
) {
    let (Some(deliver), Some(body)) = (message.deliver, message.content) else {
        return;
    };
    let exchange = deliver.exchange().clone();
    let routing_key = deliver.routing_key().clone();
    routes.retain(|r| !r.tx.is_closed());
    let route = routes
        .iter()
        .find(|r| r.exchange == exchange && topic_matches(&r.pattern, &routing_key))
        .or_else(|| routes.iter().find(|r| r.exchange == exchange));
    let acker = Acker {
        channel: session.channel.clone(),
        tag: deliver.delivery_tag(),
    };
    let delivery = Delivery {
        exchange,
        routing_key,
        body,
        redelivered: deliver.redelivered(),
        sequence,
        acker,
    };
    let Some(route) = route else {
        // No stream yet: hold it until `listen` opens one (or HOLD_LIMIT passes).
        held.push_back(Held {
            delivery,
            since: tokio::time::Instant::now(),
        });
        return;
    };
    if let Err(mpsc::error::SendError(delivery)) = route.tx.send(delivery) {
        // The stream went away meanwhile: let the broker deliver it again.
        let _ = delivery.acker.nack(true).await;
    }
}

async fn handle(
    config: &Config,
    session: &Session,
    routes: &mut Vec<Route>,
    held: &mut VecDeque<Held>,
    command: Command,
) -> Option<End> {
    match command {
        Command::Bind { route, reply } => {
            let result = bind(&session.connection, &session.channel, &config.queue, &route).await;
            if result.is_ok() {
                // Held messages of this exchange go to the new stream, in order.
                let mut keep = VecDeque::with_capacity(held.len());
                while let Some(waiting) = held.pop_front() {
                    if waiting.delivery.exchange != route.exchange {
                        keep.push_back(waiting);
                    } else if let Err(mpsc::error::SendError(delivery)) =
                        route.tx.send(waiting.delivery)
                    {
                        let _ = delivery.acker.nack(true).await;
                    }
                }
                *held = keep;
                routes.push(route);
            }
            let _ = reply.send(result);
            None
        }
        Command::DeleteQueue { reply } => {
            let result = session
                .channel
                .queue_delete(QueueDeleteArguments::new(&config.queue))
                .await
                .map(|_| ())
                .map_err(amqp("deleting the queue"));
            let _ = reply.send(result);
            Some(End::Stop)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_patterns() {
        assert!(topic_matches("a.*.#", "a.b"));
        assert!(topic_matches("a.*.#", "a.b.c.d"));
        assert!(!topic_matches("a.*.#", "a"));
        assert!(topic_matches("#.d", "a.b.c.d"));
        assert!(!topic_matches("a.*", "a.b.c"));
        assert!(topic_matches("#", "anything.at.all"));
    }

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
