//! A typed worker payload as the JSON object a task definition holds.

use serde::Serialize;

use crate::error::{Error, Result};

/// `payload` as the JSON object `TaskDefinitionRequest::payload` takes.
///
/// The queue treats a task's payload as free-form, so the task definition
/// holds a `serde_json` map; the worker that runs the task has a schema for
/// it, whose types are in `tc_client::payloads::generic_worker` and
/// `docker_worker`. This serializes any of them (or
/// any other `Serialize` value that is written as an object).
///
/// Fails with [`Error::InvalidArgument`] when `payload` cannot be serialized
/// or is not written as a JSON object.
///
/// ```
/// use std::num::NonZeroU64;
/// use tc_client::payloads::{generic_worker::GenericWorkerPayload, to_payload};
///
/// let command = [vec!["echo".into(), "hello".into()]];
/// let payload = GenericWorkerPayload::new(command, NonZeroU64::try_from(600)?)
///     .env([("LANG", "C.UTF-8")]);
/// let map = to_payload(&payload)?;
/// assert_eq!(map["maxRunTime"], 600);
/// assert_eq!(map["command"][0][1], "hello");
///
/// // A value that is not an object is refused.
/// assert!(to_payload(&[1, 2, 3]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_payload<T: Serialize + ?Sized>(
    payload: &T,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    match serde_json::to_value(payload) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(other) => Err(Error::InvalidArgument(format!(
            "a task payload must be a JSON object, not {}",
            kind(&other)
        ))),
        Err(e) => Err(Error::InvalidArgument(format!(
            "cannot encode the task payload: {e}"
        ))),
    }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_pass_and_everything_else_is_named_in_the_error() {
        let map = to_payload(&serde_json::json!({"image": "ubuntu"})).unwrap();
        assert_eq!(map["image"], "ubuntu");
        for (value, named) in [
            (serde_json::json!(null), "null"),
            (serde_json::json!("x"), "a string"),
            (serde_json::json!([1]), "an array"),
            (serde_json::json!(1.5), "a number"),
        ] {
            match to_payload(&value) {
                Err(Error::InvalidArgument(message)) => {
                    assert!(message.ends_with(named), "{message}")
                }
                other => panic!("{value}: {other:?}"),
            }
        }
        // A map with non-string keys cannot be encoded at all.
        let odd: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert!(matches!(to_payload(&odd), Err(Error::InvalidArgument(_))));
    }
}
