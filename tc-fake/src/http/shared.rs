//! What every request handler shares: the references, their schemas, the
//! services' state, the faults to inject, the root URL and the start time.

use std::sync::Arc;

use crate::http::faults::Faults;
use crate::references::References;
use crate::references::validation::Schemas;
use crate::services::State;

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub refs: References,
    pub schemas: Arc<Schemas>,
    pub state: State,
    pub faults: Faults,
    pub root_url: String,
}

#[cfg(test)]
impl Shared {
    /// A deployment on the default references with no clients, for tests.
    pub(crate) fn for_tests() -> Shared {
        let refs =
            References::load(std::path::Path::new(crate::references::DEFAULT_REFERENCES)).unwrap();
        let schemas = Arc::new(Schemas::new(refs.schemas.clone()));
        let messages = Arc::new(crate::references::message_schemas::MessageSchemas::new(
            schemas.clone(),
            refs.exchanges.clone(),
        ));
        let state = State::new(
            Vec::new(),
            Vec::new(),
            Default::default(),
            messages,
            &refs,
            std::time::Instant::now(),
        )
        .unwrap();
        Shared {
            schemas,
            refs,
            state,
            faults: Faults::default(),
            root_url: "http://127.0.0.1:1".into(),
        }
    }
}
