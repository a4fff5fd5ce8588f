//! The Pulse messages of the queue: publishers, and each message checked
//! against its exchange's schema before it goes out.

use std::sync::Arc;

use serde_json::{Value, json};

use super::model::*;
use crate::error::ApiError;
use crate::support::sync::lock;

pub(super) fn group_message(group: &Group, group_id: &str) -> Value {
    let mut message = group.json(group_id);
    if let Some(map) = message.as_object_mut() {
        map.insert("version".into(), json!(1));
    }
    message
}

impl Queue {
    /// Installs the Pulse hook: called with the exchange's full name, the
    /// primary routing key and the message, for every message the queue
    /// publishes (see the module documentation). Replaces any earlier hook.
    #[allow(
        dead_code,
        reason = "the simple form of the hook; the server installs the CC form"
    )]
    pub fn set_publisher(&self, publisher: Publisher) {
        let hook: Arc<PublishFn> =
            Arc::new(move |exchange, key, _cc, message| publisher(exchange, key, message));
        *lock(&self.publisher) = Some(hook);
    }

    /// Like [`Queue::set_publisher`], also passing the CC routing keys
    /// (`route.<route>` for each of the task's routes) that an AMQP publisher
    /// puts in the message's `CC` header.
    pub fn set_publisher_with_cc(&self, publisher: CcPublisher) {
        *lock(&self.publisher) = Some(Arc::from(publisher));
    }

    /// Publishes `events` in order, each checked against its exchange's
    /// schema first, as Taskcluster's queue does (with or without a hook
    /// installed). The first message that does not match is not published,
    /// nor any after it, and the request fails with a 500: the state change
    /// it announces has been made, as in the real queue, whose database is
    /// written before it publishes.
    pub(super) fn publish(&self, events: Vec<Event>) -> Result<(), ApiError> {
        if events.is_empty() {
            return Ok(());
        }
        let hook = lock(&self.publisher).clone();
        for event in events {
            let exchange = format!("{EXCHANGE_PREFIX}{}", event.exchange);
            if let Err(problem) = self.messages.check(&exchange, &event.message) {
                tracing::error!("tc-fake: queue: {problem}");
                return Err(ApiError::internal_incident(&problem));
            }
            if let Some(hook) = &hook {
                hook(&exchange, &event.routing_key, &event.cc, event.message);
            }
        }
        Ok(())
    }
}
