//! String schemas: a `date-time` is a timestamp, two or more values a
//! shared enum, a `pattern` a shared constrained string; length limits are
//! dropped, and a plain string loses the title and format that would make
//! typify invent a newtype.

use serde_json::{Map, Value};

use super::constrained::SharedStrings;
use super::context::Ctx;
use super::enums::Enums;
use super::scalars;
use crate::naming::type_name;

/// Whether the (already normalized) schema is a string: typed `string`, or
/// untyped with only string values.
pub(super) fn is_string(obj: &Map<String, Value>) -> bool {
    obj.get("type").and_then(Value::as_str) == Some("string")
        || (obj.get("type").is_none()
            && obj
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|v| v.iter().all(Value::is_string)))
}

/// Reshapes a string schema met at `ctx`.
pub(super) fn reshape(
    mut obj: Map<String, Value>,
    ctx: &Ctx<'_>,
    enums: &mut Enums,
    strings: &mut SharedStrings,
) -> Value {
    let description = obj.get("description").cloned();
    let title = obj.get("title").and_then(Value::as_str).map(str::to_owned);
    if scalars::time(&mut obj) {
        return Value::Object(obj);
    }
    if let Some(values) = Enums::values_of(&obj) {
        let hint = ctx.hint.clone().unwrap_or_else(|| ctx.def.to_owned());
        return enums.record(values, description, title, hint, ctx.def);
    }
    obj.remove("minLength");
    obj.remove("maxLength");
    if let Some(pattern) = obj.get("pattern").cloned() {
        let key = ctx
            .hint
            .as_deref()
            .map(|h| type_name(h.trim_end_matches("[]")))
            .unwrap_or_else(|| ctx.def.to_owned());
        return strings.record(pattern, key, description, ctx.def);
    }
    // A plain string: a title would only make typify invent a newtype.
    obj.remove("title");
    obj.remove("format");
    Value::Object(obj)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn reshaped(schema: Value, hint: Option<&str>) -> (Value, Enums, SharedStrings) {
        let ctx = Ctx {
            file: "/schemas/w/v1/a.json",
            pointer: "/properties/x".into(),
            hint: hint.map(str::to_owned),
            def: "Widget",
        };
        let mut enums = Enums::default();
        let mut strings = SharedStrings::default();
        let obj = schema.as_object().cloned().unwrap_or_default();
        let out = reshape(obj, &ctx, &mut enums, &mut strings);
        (out, enums, strings)
    }

    #[test]
    fn strings_are_told_from_other_schemas() {
        let is = |v: Value| is_string(v.as_object().unwrap_or(&Map::new()));
        assert!(is(json!({ "type": "string" })));
        assert!(is(json!({ "enum": ["a", "b"] })));
        assert!(!is(json!({ "enum": ["a", 1] })));
        assert!(!is(json!({ "type": "integer", "enum": [1] })));
    }

    #[test]
    fn plain_strings_lose_title_format_and_lengths() {
        let (out, ..) = reshaped(
            json!({
                "type": "string", "title": "Name", "format": "uri",
                "minLength": 1, "maxLength": 9, "description": "A name."
            }),
            Some("name"),
        );
        assert_eq!(out, json!({ "type": "string", "description": "A name." }));
    }

    #[test]
    fn enums_patterns_and_times_are_replaced() {
        let (out, enums, _) = reshaped(
            json!({ "type": "string", "enum": ["a", "b"], "description": "One." }),
            Some("level"),
        );
        assert_eq!(
            out,
            json!({ "$ref": "#/definitions/__tc_enum_0", "description": "One." })
        );
        let named = enums.finish(&mut Default::default());
        assert_eq!(named[0].name, "Level");

        let (out, _, strings) = reshaped(
            json!({ "type": "string", "pattern": "^[a-z]+$", "maxLength": 22 }),
            Some("workerIds[]"),
        );
        assert_eq!(out, json!({ "$ref": "#/definitions/__tc_string_0" }));
        let named = strings.finish(&mut Default::default());
        assert_eq!(named[0].name, "WorkerIds");

        let (out, ..) = reshaped(
            json!({ "type": "string", "format": "date-time", "maxLength": 30 }),
            None,
        );
        assert_eq!(
            out,
            json!({
                "type": "string",
                "format": "date-time",
                "maxLength": 30,
                "x-rust-type": { "crate": "tc-client", "version": "*", "path": "tc_client::Time" }
            })
        );
    }
}
