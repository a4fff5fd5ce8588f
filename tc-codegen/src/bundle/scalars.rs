//! Scalars that tc-client types itself: `format: date-time` strings are
//! [`TIME_TYPE`], `number`s [`NUMBER_TYPE`] (through typify's `x-rust-type`).

use serde_json::{Map, Value, json};

/// The crate generated code names timestamps from.
pub const TIME_TYPE: &str = "tc_client::Time";

/// The type of schemas typed `number` (an `f64` that writes whole values as integers).
pub const NUMBER_TYPE: &str = "tc_client::Number";

fn rust_type(path: &str) -> Value {
    json!({ "crate": "tc-client", "version": "*", "path": path })
}

/// Makes a `date-time` string a [`TIME_TYPE`] (its title would name a
/// newtype); answers whether it was one.
pub(super) fn time(obj: &mut Map<String, Value>) -> bool {
    if obj.get("format").and_then(Value::as_str) != Some("date-time") {
        return false;
    }
    obj.insert("x-rust-type".into(), rust_type(TIME_TYPE));
    obj.remove("title");
    true
}

/// Makes a schema typed `number` (and not an enum) a [`NUMBER_TYPE`].
pub(super) fn number(obj: &mut Map<String, Value>) {
    if obj.get("type").and_then(Value::as_str) == Some("number") && !obj.contains_key("enum") {
        obj.insert("x-rust-type".into(), rust_type(NUMBER_TYPE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn date_times_are_tc_client_times() {
        let mut obj = map(json!({ "type": "string", "format": "date-time", "title": "Created" }));
        assert!(time(&mut obj));
        assert_eq!(
            Value::Object(obj),
            json!({
                "type": "string",
                "format": "date-time",
                "x-rust-type": { "crate": "tc-client", "version": "*", "path": "tc_client::Time" }
            })
        );
        let mut plain = map(json!({ "type": "string", "format": "uri" }));
        assert!(!time(&mut plain));
        assert_eq!(
            Value::Object(plain),
            json!({ "type": "string", "format": "uri" })
        );
    }

    #[test]
    fn numbers_are_tc_client_numbers_unless_enumerated() {
        let mut obj = map(json!({ "type": "number", "minimum": 0 }));
        number(&mut obj);
        assert_eq!(
            Value::Object(obj),
            json!({
                "type": "number",
                "minimum": 0,
                "x-rust-type": { "crate": "tc-client", "version": "*", "path": "tc_client::Number" }
            })
        );
        for schema in [
            json!({ "type": "number", "enum": [1.5, 2.5] }),
            json!({ "type": "integer" }),
        ] {
            let mut obj = map(schema.clone());
            number(&mut obj);
            assert_eq!(Value::Object(obj), schema);
        }
    }
}
