//! The listener's task: one connection at a time (queue declared, routes
//! bound, deliveries dispatched to their streams), reconnecting with the
//! crate's backoff when it is lost.

use super::delivery::{Acker, Delivery};
use super::errors::amqp;
use super::protocol::{Command, Route};
use super::topic::topic_matches;
use crate::backoff::Backoff;
use crate::{Error, Result};
use amqprs::channel::{
    BasicConsumeArguments, BasicQosArguments, Channel, ExchangeDeclareArguments,
    QueueBindArguments, QueueDeclareArguments, QueueDeleteArguments,
};
use amqprs::connection::{Connection, OpenConnectionArguments};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::mpsc;

// ----- the listener's task -----

pub(super) struct Config {
    pub(super) args: OpenConnectionArguments,
    pub(super) queue: String,
    pub(super) exclusive: bool,
    pub(super) prefetch: u16,
    pub(super) min_backoff: Duration,
    pub(super) max_backoff: Duration,
}

/// How long a message waits for a stream of its exchange before it is dropped.
pub const HOLD_LIMIT: Duration = Duration::from_secs(10);

/// A delivery that arrived before any stream of its exchange.
pub(super) struct Held {
    pub(super) delivery: Delivery,
    pub(super) since: tokio::time::Instant,
}

pub(super) struct Session {
    pub(super) connection: Connection,
    pub(super) channel: Channel,
    pub(super) consumer: mpsc::UnboundedReceiver<amqprs::channel::ConsumerMessage>,
}

impl Session {
    pub(super) async fn open(config: &Config, routes: &[Route]) -> Result<Session> {
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

    pub(super) async fn close(self) {
        // Errors mean the connection is gone already.
        let _ = self.connection.close().await;
    }
}

/// Makes sure `route`'s exchange exists and binds the queue to it.
pub(super) async fn bind(
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

pub(super) enum End {
    Stop,
    Lost,
}

pub(super) async fn run(
    config: Config,
    mut commands: mpsc::UnboundedReceiver<Command>,
    mut session: Session,
) {
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
pub(super) async fn serve(
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
pub(super) async fn dispatch(
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

pub(super) async fn handle(
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
