//! Keywords typify does not need or mishandles: validation-only keys are
//! dropped, `additionalProperties: true/false` too (responses must accept
//! fields a newer deployment adds), a `const` becomes a one-value `enum`
//! and an untyped enum gets the type of its values.

use serde_json::{Map, Value};

use super::json::json_type;

/// Keys that only validate, and that typify does not need (or mishandles).
const DROPPED_KEYS: &[&str] = &[
    "$schema",
    "$id",
    "id",
    "examples",
    "not",
    "dependencies",
    "propertyNames",
    "uniqueItems",
    "definitions",
    "$comment",
    "readOnly",
    "writeOnly",
];

/// Drops the keys that only validate.
pub(super) fn drop_validation(obj: &mut Map<String, Value>) {
    for key in DROPPED_KEYS {
        obj.remove(*key);
    }
}

/// Drops `additionalProperties: true` and `false` (never
/// `deny_unknown_fields`; a typed map's schema stays).
pub(super) fn open_object(obj: &mut Map<String, Value>) {
    if matches!(obj.get("additionalProperties"), Some(Value::Bool(_))) {
        obj.remove("additionalProperties");
    }
}

/// A `const` is a one-value enum (typify then checks it, and untagged
/// unions can tell their branches apart by it); enum values of one JSON
/// type give an untyped enum that type.
pub(super) fn type_constants(obj: &mut Map<String, Value>) {
    if let Some(constant) = obj.remove("const") {
        obj.insert("enum".into(), Value::Array(vec![constant]));
    }
    if !obj.contains_key("type")
        && let Some(Value::Array(values)) = obj.get("enum")
        && let Some(first) = values.first()
    {
        let ty = json_type(first);
        if values.iter().all(|v| json_type(v) == ty) {
            obj.insert("type".into(), Value::String(ty.into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn apply(f: fn(&mut Map<String, Value>), schema: Value) -> Value {
        let mut obj = schema.as_object().cloned().unwrap_or_default();
        f(&mut obj);
        Value::Object(obj)
    }

    #[test]
    fn validation_only_keys_are_dropped() {
        let schema = json!({
            "$schema": "s", "$id": "i", "id": "i", "examples": [], "not": {},
            "dependencies": {}, "propertyNames": {}, "uniqueItems": true,
            "definitions": {}, "$comment": "c", "readOnly": true, "writeOnly": false,
            "type": "array", "minItems": 1
        });
        assert_eq!(
            apply(drop_validation, schema),
            json!({ "type": "array", "minItems": 1 })
        );
    }

    #[test]
    fn objects_are_open_but_typed_maps_stay() {
        for closed in [true, false] {
            assert_eq!(
                apply(
                    open_object,
                    json!({ "type": "object", "additionalProperties": closed })
                ),
                json!({ "type": "object" })
            );
        }
        let map = json!({ "type": "object", "additionalProperties": { "type": "string" } });
        assert_eq!(apply(open_object, map.clone()), map);
    }

    #[test]
    fn constants_are_one_value_enums_of_their_type() {
        assert_eq!(
            apply(type_constants, json!({ "const": "simple" })),
            json!({ "enum": ["simple"], "type": "string" })
        );
        assert_eq!(
            apply(type_constants, json!({ "enum": [1, 2] })),
            json!({ "enum": [1, 2], "type": "integer" })
        );
        assert_eq!(
            apply(type_constants, json!({ "enum": [1, "a"] })),
            json!({ "enum": [1, "a"] })
        );
        assert_eq!(
            apply(type_constants, json!({ "type": "number", "enum": [1] })),
            json!({ "type": "number", "enum": [1] })
        );
    }
}
