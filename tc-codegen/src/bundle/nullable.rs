//! Nullable scalars: `type: ["string", "null"]` (or any one type and
//! `null`) becomes `anyOf: [<the schema as that type>, {type: null}]`, so
//! that the non-null branch goes through the same reshaping as any schema
//! of its type (times, numbers, enums, patterns) and typify makes it an
//! `Option` of that.

use serde_json::{Map, Value, json};

/// Splits a schema typed `[T, "null"]`: `obj` keeps only its description
/// and the returned schema is `obj` typed `T` alone (description included,
/// for the type it may become). `None` for any other type.
pub(super) fn split(obj: &mut Map<String, Value>) -> Option<Map<String, Value>> {
    let Some(Value::Array(types)) = obj.get("type") else {
        return None;
    };
    let [one, other] = types.as_slice() else {
        return None;
    };
    let non_null = match (one.as_str(), other.as_str()) {
        (Some("null"), Some(t)) | (Some(t), Some("null")) if t != "null" => t.to_owned(),
        _ => return None,
    };
    let mut inner = std::mem::take(obj);
    inner.insert("type".into(), Value::String(non_null));
    if let Some(description) = inner.get("description") {
        obj.insert("description".into(), description.clone());
    }
    Some(inner)
}

/// The union of `branch` (already reshaped) and `null`, under `outer`.
pub(super) fn union(mut outer: Map<String, Value>, branch: Value) -> Value {
    outer.insert("anyOf".into(), json!([branch, { "type": "null" }]));
    Value::Object(outer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn a_type_and_null_split_into_the_type_and_a_union() {
        let mut obj = map(json!({
            "type": ["string", "null"], "format": "date-time", "description": "When.",
        }));
        let inner = split(&mut obj).unwrap();
        assert_eq!(
            Value::Object(inner.clone()),
            json!({ "type": "string", "format": "date-time", "description": "When." })
        );
        assert_eq!(
            Value::Object(obj.clone()),
            json!({ "description": "When." })
        );
        assert_eq!(
            union(obj, Value::Object(inner)),
            json!({
                "description": "When.",
                "anyOf": [
                    { "type": "string", "format": "date-time", "description": "When." },
                    { "type": "null" },
                ],
            })
        );
        let mut reversed = map(json!({ "type": ["null", "number"] }));
        assert_eq!(
            Value::Object(split(&mut reversed).unwrap()),
            json!({ "type": "number" })
        );
    }

    #[test]
    fn other_types_are_left_alone() {
        for schema in [
            json!({ "type": "string" }),
            json!({ "type": ["string", "integer"] }),
            json!({ "type": ["string", "integer", "null"] }),
            json!({ "type": ["null"] }),
            json!({ "type": ["null", "null"] }),
        ] {
            let mut obj = map(schema.clone());
            assert!(split(&mut obj).is_none());
            assert_eq!(Value::Object(obj), schema);
        }
    }
}
