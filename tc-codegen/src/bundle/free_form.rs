//! Free-form schemas: an object with nothing known about its content, or a
//! schema without any type, is `serde_json::Value` in Rust (and counted as
//! a fallback by `cargo xtask codegen-report`).

use serde_json::{Map, Value};

/// Whether the schema says nothing about its content.
pub(super) fn is_free_form(obj: &Map<String, Value>) -> bool {
    let ty = obj.get("type").and_then(Value::as_str);
    let has_properties = obj
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    let structured = has_properties
        || ["$ref", "oneOf", "anyOf", "allOf", "enum", "const", "items"]
            .iter()
            .any(|k| obj.contains_key(*k));
    let typed_map = obj
        .get("additionalProperties")
        .is_some_and(Value::is_object);
    match ty {
        Some("object") => !structured && !typed_map,
        None => !structured && !typed_map && obj.get("type").is_none(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn free(schema: Value) -> bool {
        is_free_form(schema.as_object().unwrap_or(&Map::new()))
    }

    #[test]
    fn only_schemas_without_content_are_free_form() {
        assert!(free(json!({})));
        assert!(free(json!({ "description": "Anything." })));
        assert!(free(json!({ "type": "object" })));
        assert!(free(json!({ "type": "object", "properties": {} })));
        assert!(!free(
            json!({ "type": "object", "properties": { "a": {} } })
        ));
        assert!(!free(
            json!({ "type": "object", "additionalProperties": { "type": "string" } })
        ));
        assert!(!free(json!({ "$ref": "#/definitions/A" })));
        assert!(!free(json!({ "oneOf": [] })));
        assert!(!free(json!({ "type": "string" })));
        assert!(!free(json!({ "type": ["string", "null"] })));
    }
}
