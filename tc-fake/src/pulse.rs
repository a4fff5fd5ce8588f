//! Publishing the queue's Pulse messages to an AMQP broker
//! ([`TcFakeBuilder::amqp_url`](crate::TcFakeBuilder::amqp_url)).
//!
//! The queue's hook hands every message to a task that publishes them in
//! order: on the exchange the references name
//! (`exchange/taskcluster-queue/v1/task-pending`, declared as a durable topic
//! exchange first), with the primary routing key, the CC routing keys in the
//! `CC` header (RabbitMQ's sender-selected distribution, as Taskcluster
//! does), persistent, `application/json`. A lost connection is opened again.

use std::collections::BTreeSet;
use std::time::Duration;

use amqprs::channel::{BasicPublishArguments, Channel, ExchangeDeclareArguments};
use amqprs::connection::{Connection, OpenConnectionArguments};
use amqprs::{BasicProperties, FieldArray, FieldTable, FieldValue};
use tokio::sync::mpsc;

use crate::fake_error::FakeError;

/// One message to publish.
pub(crate) struct Outgoing {
    pub exchange: String,
    pub routing_key: String,
    pub cc: Vec<String>,
    pub body: Vec<u8>,
}

struct Link {
    connection: Connection,
    channel: Channel,
    declared: BTreeSet<String>,
}

async fn open(args: &OpenConnectionArguments) -> Result<Link, amqprs::error::Error> {
    let connection = Connection::open(args).await?;
    let channel = connection.open_channel(None).await?;
    Ok(Link {
        connection,
        channel,
        declared: BTreeSet::new(),
    })
}

/// Connects to the broker and starts the publishing task; answers the
/// sender the queue's hook feeds.
pub(crate) async fn start(amqp_url: &str) -> Result<mpsc::UnboundedSender<Outgoing>, FakeError> {
    let args = OpenConnectionArguments::try_from(amqp_url)
        .map_err(|e| FakeError::Invalid(format!("bad AMQP URL: {e}")))?;
    let link = open(&args)
        .await
        .map_err(|e| FakeError::Invalid(format!("cannot connect to the AMQP broker: {e}")))?;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(run(args, link, rx));
    Ok(tx)
}

async fn run(args: OpenConnectionArguments, link: Link, mut rx: mpsc::UnboundedReceiver<Outgoing>) {
    let mut link = Some(link);
    while let Some(message) = rx.recv().await {
        for attempt in 0..10u32 {
            if link.is_none() {
                match open(&args).await {
                    Ok(l) => link = Some(l),
                    Err(e) => {
                        tracing::warn!("tc-fake: reconnecting to the AMQP broker: {e}");
                        tokio::time::sleep(Duration::from_millis(100 << attempt.min(5))).await;
                        continue;
                    }
                }
            }
            let Some(current) = link.as_mut() else {
                continue;
            };
            match publish(current, &message).await {
                Ok(()) => break,
                Err(e) => {
                    tracing::warn!("tc-fake: publishing to {}: {e}", message.exchange);
                    if let Some(old) = link.take() {
                        let _ = old.connection.close().await;
                    }
                }
            }
        }
    }
    if let Some(link) = link {
        let _ = link.channel.close().await;
        let _ = link.connection.close().await;
    }
}

async fn publish(link: &mut Link, message: &Outgoing) -> Result<(), amqprs::error::Error> {
    if !link.connection.is_open() || !link.channel.is_open() {
        return Err(amqprs::error::Error::ChannelUseError(
            "the connection is closed".to_owned(),
        ));
    }
    if !link.declared.contains(&message.exchange) {
        let mut declare = ExchangeDeclareArguments::new(&message.exchange, "topic");
        declare.durable = true;
        link.channel.exchange_declare(declare).await?;
        link.declared.insert(message.exchange.clone());
    }
    let mut properties = BasicProperties::default();
    properties
        .with_content_type("application/json")
        .with_persistence(true);
    if !message.cc.is_empty() {
        let values: Vec<FieldValue> = message
            .cc
            .iter()
            .map(|k| FieldValue::from(k.as_str()))
            .collect();
        let array = FieldArray::try_from(values)
            .map_err(|e| amqprs::error::Error::ChannelUseError(format!("CC header: {e}")))?;
        let mut headers = FieldTable::new();
        headers.insert(
            "CC".try_into().expect("a short string"), // ok: a 2-byte constant always fits a short string
            FieldValue::A(array),
        );
        properties.with_headers(headers);
    }
    link.channel
        .basic_publish(
            properties,
            message.body.clone(),
            BasicPublishArguments::new(&message.exchange, &message.routing_key),
        )
        .await
}
