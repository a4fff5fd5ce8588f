//! A hook's `triggerSchema`: checked as a schema when the hook is created or
//! updated, and applied to every trigger's payload, with violations worded
//! as the v106 hooks service (ajv 8) words them: `data/branch must be string;
//! data must NOT have additional properties`.

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::error::ApiError;

/// A `triggerSchema` must be a valid JSON schema (draft 7, as the hooks
/// service's ajv checks it) that compiles.
pub(super) fn check_trigger_schema(schema: &Value) -> Result<(), ApiError> {
    let invalid = |lines: Vec<String>| {
        ApiError::input(format!(
            "triggerSchema is not a valid JSON schema:\n{}",
            lines.join("\n")
        ))
    };
    let problems: Vec<String> = jsonschema::draft7::meta::validator()
        .iter_errors(schema)
        .map(|e| {
            format!(
                " * Property {} {}",
                e.instance_path(),
                ajv_message(&e, None)
            )
        })
        .collect();
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    validator(schema)
        .map(drop)
        .map_err(|e| invalid(vec![format!(" * {e}")]))
}

/// Checks a trigger's payload; the error lists every violation as ajv's
/// `errorsText` does (`data<path> <message>`, separated by `; `).
pub(super) fn check_payload(schema: &Value, payload: &Value) -> Result<(), String> {
    let problems: Vec<String> = validator(schema)?
        .iter_errors(payload)
        .map(|e| {
            format!(
                "data{} {}",
                e.instance_path(),
                ajv_message(&e, Some(schema))
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn validator(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// ajv 8's message for a violation (its default English messages); kinds
/// ajv words differently from this list keep the validator's own text. With
/// the `schema`, a list of types is named in its order there, as ajv does.
fn ajv_message(error: &ValidationError<'_>, schema: Option<&Value>) -> String {
    use ValidationErrorKind as Kind;
    match error.kind() {
        Kind::Required { property } => format!(
            "must have required property '{}'",
            property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned)
        ),
        Kind::AdditionalProperties { .. } => "must NOT have additional properties".to_owned(),
        Kind::Type {
            kind: TypeKind::Single(ty),
        } => format!("must be {ty}"),
        Kind::Type {
            kind: TypeKind::Multiple(types),
        } => {
            let listed = schema
                .and_then(|s| s.pointer(&error.schema_path().to_string()))
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).collect::<Vec<_>>());
            let names = listed.unwrap_or_else(|| types.iter().map(|ty| ty.as_str()).collect());
            format!("must be {}", names.join(","))
        }
        Kind::Enum { .. } => "must be equal to one of the allowed values".to_owned(),
        Kind::Constant { .. } => "must be equal to constant".to_owned(),
        Kind::Pattern { pattern } => format!("must match pattern \"{pattern}\""),
        Kind::Format { format } => format!("must match format \"{format}\""),
        Kind::Minimum { limit } => format!("must be >= {limit}"),
        Kind::Maximum { limit } => format!("must be <= {limit}"),
        Kind::ExclusiveMinimum { limit } => format!("must be > {limit}"),
        Kind::ExclusiveMaximum { limit } => format!("must be < {limit}"),
        Kind::MinLength { limit } => format!("must NOT have fewer than {limit} characters"),
        Kind::MaxLength { limit } => format!("must NOT have more than {limit} characters"),
        Kind::MinItems { limit } => format!("must NOT have fewer than {limit} items"),
        Kind::MaxItems { limit } => format!("must NOT have more than {limit} items"),
        Kind::MinProperties { limit } => format!("must NOT have fewer than {limit} properties"),
        Kind::MaxProperties { limit } => format!("must NOT have more than {limit} properties"),
        Kind::UniqueItems => "must NOT have duplicate items".to_owned(),
        Kind::AnyOf { .. } => "must match a schema in anyOf".to_owned(),
        Kind::OneOfNotValid { .. } | Kind::OneOfMultipleValid { .. } => {
            "must match exactly one schema in oneOf".to_owned()
        }
        Kind::Not { .. } => "must NOT be valid".to_owned(),
        Kind::FalseSchema => "boolean schema is false".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn payload_violations_are_worded_as_ajv_words_them() {
        let schema = json!({
            "type": "object",
            "properties": {
                "branch": {"type": "string"},
                "when": {"type": "string", "format": "date-time"},
                "n": {"type": ["integer", "null"], "minimum": 1},
            },
            "required": ["branch"],
            "additionalProperties": false,
        });
        assert_eq!(check_payload(&schema, &json!({"branch": "main"})), Ok(()));
        // the messages the v106 hooks service gave for these payloads
        let error = check_payload(&schema, &json!({"branch": 7, "extra": true})).unwrap_err();
        let mut parts: Vec<&str> = error.split("; ").collect();
        parts.sort_unstable();
        assert_eq!(
            parts,
            [
                "data must NOT have additional properties",
                "data/branch must be string"
            ]
        );
        let error = check_payload(&schema, &json!({"other": 1})).unwrap_err();
        let mut parts: Vec<&str> = error.split("; ").collect();
        parts.sort_unstable();
        assert_eq!(
            parts,
            [
                "data must NOT have additional properties",
                "data must have required property 'branch'"
            ]
        );
        let error =
            check_payload(&schema, &json!({"branch": "b", "when": "soon", "n": 0})).unwrap_err();
        assert!(
            error.contains("data/when must match format \"date-time\""),
            "{error}"
        );
        assert!(error.contains("data/n must be >= 1"), "{error}");
        let error = check_payload(&schema, &json!({"branch": "b", "n": "x"})).unwrap_err();
        assert_eq!(error, "data/n must be integer,null");
    }

    #[test]
    fn trigger_schemas_must_be_schemas() {
        assert!(check_trigger_schema(&json!({"type": "object"})).is_ok());
        let error = check_trigger_schema(&json!({"type": "objekt"})).unwrap_err();
        assert_eq!((error.status, error.code), (400, "InputError"));
        assert!(
            error
                .message
                .starts_with("triggerSchema is not a valid JSON schema:\n * Property /type"),
            "{}",
            error.message
        );
    }
}
