//! The messages of one exchange as JSON lines, through a listener bound with the
//! exchange's generated binding: what the command table's `listen` entries run.

use futures_util::StreamExt;
use serde::Serialize;
use tc_client::Binding;
use tc_client::pulse::Listener;

use crate::failure::Failure;
use crate::output;

/// Listens with binding `B` (the given parts set, constant parts at their constant,
/// the others any value) and prints each message as a JSON line, acknowledged once
/// written; stops after `count` messages, if given.
pub async fn listen_with<B>(
    listener: &Listener,
    parts: Vec<(String, String)>,
    count: Option<u64>,
) -> Result<(), Failure>
where
    B: Binding + Default + Send + 'static,
    B::Message: Serialize,
{
    let defaults = B::default();
    let defaults = defaults.values();
    let values = B::ROUTING_KEY
        .iter()
        .zip(defaults)
        .map(
            |(part, default)| match parts.iter().find(|(name, _)| name == part.name) {
                Some((_, value)) => value.clone(),
                None => default
                    .map(str::to_owned)
                    .unwrap_or_else(|| if part.multiple_words { "#" } else { "*" }.to_owned()),
            },
        )
        .collect();
    let mut messages = listener.listen(B::from_values(values)).await?;
    let mut seen = 0;
    while count.is_none_or(|count| seen < count) {
        let Some(message) = messages.next().await else {
            break;
        };
        let message = message?;
        let line = serde_json::json!({
            "exchange": message.exchange,
            "routingKey": message.routing_key,
            "redelivered": message.redelivered,
            "payload": message.payload,
        });
        output::line(&line.to_string())?;
        message.ack().await?;
        seen += 1;
    }
    Ok(())
}
