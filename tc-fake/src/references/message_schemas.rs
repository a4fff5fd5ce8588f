//! The schema of every exchange's messages, for checking what the fake
//! publishes as Taskcluster's services do: the queue validates each Pulse
//! message before sending it, and a message that does not match fails the
//! request that caused it (500), after the state change it announces.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use crate::references::validation::Schemas;

/// Exchange schemas of a reference set.
#[derive(Debug)]
pub(crate) struct MessageSchemas {
    schemas: Arc<Schemas>,
    /// Full exchange name (`exchange/taskcluster-queue/v1/task-pending`) →
    /// root-relative schema path (`/schemas/queue/v1/task-pending-message.json`).
    by_exchange: BTreeMap<String, String>,
}

impl MessageSchemas {
    pub fn new(schemas: Arc<Schemas>, by_exchange: BTreeMap<String, String>) -> Self {
        MessageSchemas {
            schemas,
            by_exchange,
        }
    }

    /// Checks `message` against the schema of `exchange`; the error names
    /// the exchange, the schema and every violation.
    pub fn check(&self, exchange: &str, message: &Value) -> Result<(), String> {
        let path = self
            .by_exchange
            .get(exchange)
            .ok_or_else(|| format!("the references define no exchange {exchange}"))?;
        self.schemas
            .validate(path, message)
            .map_err(|violations| format!("a message for {exchange} is not valid: {violations}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::references::References;
    use serde_json::json;

    fn messages() -> MessageSchemas {
        let refs =
            References::load(std::path::Path::new(crate::references::DEFAULT_REFERENCES)).unwrap();
        MessageSchemas::new(Arc::new(Schemas::new(refs.schemas)), refs.exchanges)
    }

    #[test]
    fn exchange_schemas_are_found_and_applied() {
        let messages = messages();
        let exchange = "exchange/taskcluster-queue/v1/artifact-created";
        let error = messages
            .check(exchange, &json!({"version": 1}))
            .unwrap_err();
        assert!(error.contains(exchange), "{error}");
        assert!(error.contains("artifact-created-message.json"), "{error}");
        let unknown = messages
            .check("exchange/nope/v1/x", &json!({}))
            .unwrap_err();
        assert!(unknown.contains("no exchange"), "{unknown}");
    }
}
