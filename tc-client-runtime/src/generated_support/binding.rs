//! Pulse exchange bindings: exchange names and routing-key patterns.
//!
//! Every exchange of a service reference becomes a struct in the service's
//! `events` module (`tc_client::queue::events::TaskCompleted`) with one
//! `Option<String>` field per routing-key part. Unset parts match anything:
//! `*` for a single word, `#` for a part of several words.

use serde::de::DeserializeOwned;

/// One part of an exchange's routing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoutingKeyPart {
    /// The part's name in the reference (`taskId`).
    pub name: &'static str,
    /// Whether the part may span several dot-separated words.
    pub multiple_words: bool,
}

/// A binding to one Pulse exchange, with some routing-key parts fixed.
///
/// The generator implements it for every struct of the services' `events`
/// modules; a listener (`tc_client::pulse::Listener`, with the `pulse`
/// feature) binds a queue with [`Binding::EXCHANGE`] and
/// [`Binding::routing_key_pattern`], and decodes the messages into
/// [`Binding::Message`].
///
/// ```
/// use tc_client::Binding;
/// use tc_client::queue::events::TaskCompleted;
///
/// // The completions of one task group, whatever the task, run or worker.
/// let binding = TaskCompleted {
///     task_group_id: Some("Ek9rT5vBQS-fkQ3BmH0wLg".into()),
///     ..Default::default()
/// };
/// assert_eq!(binding.exchange(), "exchange/taskcluster-queue/v1/task-completed");
/// // The constant first part is filled in; unset parts are wildcards.
/// assert_eq!(binding.routing_key_pattern(), "primary.*.*.*.*.*.*.*.Ek9rT5vBQS-fkQ3BmH0wLg.#");
///
/// // The routing key of a message, read back into its parts.
/// let key = "primary.fN1SbArXTPSVFNUvaOlinQ.0.wg.wi.proj.linux.-.Ek9rT5vBQS-fkQ3BmH0wLg._";
/// let parts = TaskCompleted::parse_routing_key(key).ok_or("not the exchange's shape")?;
/// assert_eq!(parts.task_id.as_deref(), Some("fN1SbArXTPSVFNUvaOlinQ"));
/// assert_eq!(parts.worker_type.as_deref(), Some("linux"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Binding {
    /// The typed message body published on the exchange.
    type Message: DeserializeOwned;

    /// The full exchange name (`exchange/taskcluster-queue/v1/task-completed`).
    const EXCHANGE: &'static str;

    /// The routing-key parts, in order.
    const ROUTING_KEY: &'static [RoutingKeyPart];

    /// The values of the routing-key parts, in order (`None`: any).
    fn values(&self) -> Vec<Option<&str>>;

    /// Builds a binding from the parts of a routing key, in order.
    fn from_values(values: Vec<String>) -> Self;

    /// The exchange name.
    fn exchange(&self) -> &'static str {
        Self::EXCHANGE
    }

    /// The routing-key pattern: set parts as given, `*` or `#` for unset ones.
    fn routing_key_pattern(&self) -> String {
        routing_key_pattern(Self::ROUTING_KEY, &self.values())
    }

    /// Parses a routing key that a message arrived with into its parts.
    ///
    /// Answers `None` when the key does not have the shape of this exchange.
    fn parse_routing_key(routing_key: &str) -> Option<Self>
    where
        Self: Sized,
    {
        split_routing_key(Self::ROUTING_KEY, routing_key).map(Self::from_values)
    }
}

/// Builds a routing-key pattern from parts and values: a value where one is
/// given, `*` (one word) or `#` (any number of words) where none is.
///
/// ```
/// use tc_client::{RoutingKeyPart, routing_key_pattern};
///
/// let parts = [
///     RoutingKeyPart { name: "taskId", multiple_words: false },
///     RoutingKeyPart { name: "runId", multiple_words: false },
///     RoutingKeyPart { name: "reserved", multiple_words: true },
/// ];
/// assert_eq!(routing_key_pattern(&parts, &[Some("abc"), None, None]), "abc.*.#");
/// ```
pub fn routing_key_pattern(parts: &[RoutingKeyPart], values: &[Option<&str>]) -> String {
    let mut out = String::new();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push('.');
        }
        match values.get(index).copied().flatten() {
            Some(value) => out.push_str(value),
            None if part.multiple_words => out.push('#'),
            None => out.push('*'),
        }
    }
    out
}

/// Splits a concrete routing key into the values of `parts`.
///
/// At most one part may take several words (Taskcluster's references put it
/// last); it takes whatever the other parts leave. Answers `None` when the
/// key has too few words (or, without a several-words part, not exactly one
/// per part).
///
/// ```
/// use tc_client::{RoutingKeyPart, split_routing_key};
///
/// let parts = [
///     RoutingKeyPart { name: "taskId", multiple_words: false },
///     RoutingKeyPart { name: "reserved", multiple_words: true },
/// ];
/// assert_eq!(
///     split_routing_key(&parts, "abc.x.y").as_deref(),
///     Some(&["abc".to_owned(), "x.y".to_owned()][..])
/// );
/// assert_eq!(split_routing_key(&parts[..1], "abc.x"), None);
/// ```
pub fn split_routing_key(parts: &[RoutingKeyPart], routing_key: &str) -> Option<Vec<String>> {
    let words: Vec<&str> = routing_key.split('.').collect();
    let multi = parts.iter().position(|p| p.multiple_words);
    let fixed = parts.len() - usize::from(multi.is_some());
    match multi {
        None if words.len() != parts.len() => None,
        None => Some(words.into_iter().map(str::to_owned).collect()),
        Some(_) if words.len() < fixed => None,
        Some(m) => {
            let tail = parts.len() - m - 1;
            let multi_len = words.len() - fixed;
            let mut values = Vec::with_capacity(parts.len());
            values.extend(words[..m].iter().map(|w| (*w).to_owned()));
            values.push(words[m..m + multi_len].join("."));
            values.extend(words[words.len() - tail..].iter().map(|w| (*w).to_owned()));
            Some(values)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTS: &[RoutingKeyPart] = &[
        RoutingKeyPart {
            name: "kind",
            multiple_words: false,
        },
        RoutingKeyPart {
            name: "taskId",
            multiple_words: false,
        },
        RoutingKeyPart {
            name: "reserved",
            multiple_words: true,
        },
    ];

    #[test]
    fn unset_parts_become_wildcards() {
        assert_eq!(
            routing_key_pattern(PARTS, &[None, Some("abc"), None]),
            "*.abc.#"
        );
        assert_eq!(
            routing_key_pattern(PARTS, &[Some("primary"), None, Some("x.y")]),
            "primary.*.x.y"
        );
    }

    #[test]
    fn routing_keys_split_back_into_parts() {
        assert_eq!(
            split_routing_key(PARTS, "primary.abc.x.y").unwrap(),
            vec!["primary", "abc", "x.y"]
        );
        assert_eq!(
            split_routing_key(PARTS, "primary.abc").unwrap(),
            vec!["primary", "abc", ""]
        );
        assert!(split_routing_key(PARTS, "primary").is_none());
        let single = &PARTS[..2];
        assert!(split_routing_key(single, "a.b.c").is_none());
    }
}
