//! Generated types to and from JSON, for tests that write requests as `json!`.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A generated type from JSON.
pub fn typed<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

/// A generated type as JSON.
pub fn plain<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// A JSON object as the map the generated types hold objects in.
pub fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap()
}
