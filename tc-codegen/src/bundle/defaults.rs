//! Defaults: a schema's `default` is dropped (an optional field stays an
//! `Option`, sent only when set) and mentioned in its description instead.

use serde_json::{Map, Value};

use super::descriptions::append_description;

/// Moves `default` into the description as ``Default: `<value>`.``.
pub(super) fn into_description(obj: &mut Map<String, Value>) {
    if let Some(default) = obj.remove("default") {
        let note = format!("Default: `{default}`.");
        append_description(obj, &note);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn apply(schema: Value) -> Value {
        let mut obj = schema.as_object().cloned().unwrap_or_default();
        into_description(&mut obj);
        Value::Object(obj)
    }

    #[test]
    fn defaults_become_a_sentence_of_the_description() {
        assert_eq!(
            apply(json!({ "type": "integer", "default": 3 })),
            json!({ "type": "integer", "description": "Default: `3`." })
        );
        assert_eq!(
            apply(json!({ "type": "string", "default": "low", "description": "Level.\n" })),
            json!({ "type": "string", "description": "Level.\n\nDefault: `\"low\"`." })
        );
        assert_eq!(
            apply(json!({ "type": "string" })),
            json!({ "type": "string" })
        );
    }
}
