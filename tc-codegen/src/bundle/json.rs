//! Small helpers over `serde_json` values that several reshapings share: a
//! value's JSON type, local `#/definitions/` references and their renaming.
//! A leaf: it uses nothing else of the bundle.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The JSON schema type of a value (`integer` for whole numbers).
pub(super) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `{"$ref": "#/definitions/<name>"}`, with `description` when given.
pub(super) fn definition_ref(name: &str, description: Option<Value>) -> Value {
    let mut out = Map::new();
    out.insert(
        "$ref".into(),
        Value::String(format!("#/definitions/{name}")),
    );
    if let Some(description) = description {
        out.insert("description".into(), description);
    }
    Value::Object(out)
}

/// Rewrites every `#/definitions/<old>` reference in `value` whose `<old>`
/// is a key of `renames` to `#/definitions/<new>`.
pub(super) fn rename_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    match value {
        Value::Object(obj) => {
            if let Some(Value::String(reference)) = obj.get_mut("$ref")
                && let Some(placeholder) = reference.strip_prefix("#/definitions/")
                && let Some(name) = renames.get(placeholder)
            {
                *reference = format!("#/definitions/{name}");
            }
            for child in obj.values_mut() {
                rename_refs(child, renames);
            }
        }
        Value::Array(items) => {
            for child in items {
                rename_refs(child, renames);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_types_tell_integers_from_numbers() {
        let types: Vec<&str> = [
            json!(null),
            json!(true),
            json!(3),
            json!(-3),
            json!(1.5),
            json!("x"),
            json!([]),
            json!({}),
        ]
        .iter()
        .map(json_type)
        .collect();
        assert_eq!(
            types,
            [
                "null", "boolean", "integer", "integer", "number", "string", "array", "object"
            ]
        );
    }

    #[test]
    fn definition_refs_carry_an_optional_description() {
        assert_eq!(
            definition_ref("Task", None),
            json!({ "$ref": "#/definitions/Task" })
        );
        assert_eq!(
            definition_ref("Task", Some(json!("The task."))),
            json!({ "$ref": "#/definitions/Task", "description": "The task." })
        );
    }

    #[test]
    fn renaming_rewrites_only_renamed_local_refs_at_any_depth() {
        let mut schema = json!({
            "properties": {
                "a": { "$ref": "#/definitions/__x" },
                "b": { "items": [{ "$ref": "#/definitions/__x" }, { "$ref": "#/definitions/Kept" }] },
                "c": { "$ref": "other.json#/definitions/__x" }
            }
        });
        let renames = BTreeMap::from([("__x".to_owned(), "Name".to_owned())]);
        rename_refs(&mut schema, &renames);
        assert_eq!(
            schema,
            json!({
                "properties": {
                    "a": { "$ref": "#/definitions/Name" },
                    "b": { "items": [{ "$ref": "#/definitions/Name" }, { "$ref": "#/definitions/Kept" }] },
                    "c": { "$ref": "other.json#/definitions/__x" }
                }
            })
        );
    }
}
