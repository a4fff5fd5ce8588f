//! `$ref` resolution: a reference is followed through files that are only
//! an alias of another; a trivial sub-path target
//! (`task.json#/properties/priority`) is copied in place; anything else is
//! a definition of its own, referred to as `#/definitions/<Name>`.

use serde_json::{Map, Value};

use crate::error::{CodegenError, Location, Result};
use crate::loader::{Loader, at_pointer, resolve_ref};

/// What a `$ref` points at.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Target {
    /// The root-relative file.
    pub file: String,
    /// The JSON pointer in it (`""`: the whole file).
    pub pointer: String,
    /// The schema there.
    pub schema: Value,
}

/// What to do with a resolved `$ref` and the keys beside it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    /// The target is only a reference: follow that one (relative to the
    /// target's file), with these sibling keys.
    Follow {
        /// The target's `$ref`.
        reference: String,
        /// The siblings, with the target's description when they had none.
        siblings: Map<String, Value>,
    },
    /// Reshape this copy of the target in place.
    Inline(Value),
    /// Refer to the target's definition, with this description.
    Define(Option<Value>),
}

/// Resolves `reference`, met in `base`, and loads its target.
pub(super) fn load(
    loader: &mut Loader,
    location: &Location,
    base: &str,
    reference: &str,
) -> Result<Target> {
    let unresolved = |message: String| CodegenError::UnresolvedRef {
        location: location.clone().into(),
        reference: reference.to_owned(),
        message,
    };
    let (file, pointer) = resolve_ref(base, reference).map_err(unresolved)?;
    let file_value = loader.load(&file, location).map_err(|e| {
        unresolved(match e {
            CodegenError::Read { path, source, .. } => {
                format!("cannot read {}: {source}", path.display())
            }
            CodegenError::Json { message, .. } => {
                format!("{file} is not valid JSON: {message}")
            }
            other => other.to_string(),
        })
    })?;
    let schema = at_pointer(file_value, &pointer)
        .cloned()
        .ok_or_else(|| unresolved(format!("{file} has nothing at #{pointer}")))?;
    Ok(Target {
        file,
        pointer,
        schema,
    })
}

/// Decides how `target`, referred to with `siblings`, is used.
pub(super) fn step(target: &Target, siblings: Map<String, Value>) -> Step {
    if let Some(reference) = alias_target(&target.schema) {
        let mut siblings = siblings;
        if !siblings.contains_key("description")
            && let Some(d) = target.schema.get("description")
        {
            siblings.insert("description".into(), d.clone());
        }
        return Step::Follow {
            reference,
            siblings,
        };
    }
    if !target.pointer.is_empty() && is_trivial(&target.schema) {
        let mut merged = target.schema.as_object().cloned().unwrap_or_default();
        for (key, value) in siblings {
            if key != "default" {
                merged.insert(key, value);
            }
        }
        return Step::Inline(Value::Object(merged));
    }
    Step::Define(siblings.get("description").cloned())
}

/// The `$ref` of a schema that is nothing but a reference (plus docs).
fn alias_target(schema: &Value) -> Option<String> {
    let obj = schema.as_object()?;
    let reference = obj.get("$ref")?.as_str()?;
    obj.keys()
        .all(|k| {
            matches!(
                k.as_str(),
                "$ref" | "description" | "title" | "default" | "$id" | "$schema"
            )
        })
        .then(|| reference.to_owned())
}

/// Small enough to copy into each place that references it.
fn is_trivial(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return true;
    };
    fn has_structure(value: &Value) -> bool {
        match value {
            Value::Object(o) => {
                o.contains_key("$ref")
                    || o.contains_key("properties")
                    || o.contains_key("oneOf")
                    || o.contains_key("anyOf")
                    || o.contains_key("allOf")
                    || o.values().any(has_structure)
            }
            Value::Array(a) => a.iter().any(has_structure),
            _ => false,
        }
    }
    !has_structure(&Value::Object(obj.clone()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn target(pointer: &str, schema: Value) -> Target {
        Target {
            file: "/schemas/w/v1/task.json".into(),
            pointer: pointer.into(),
            schema,
        }
    }

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn aliases_are_followed_with_their_description() {
        let alias = target(
            "",
            json!({ "$id": "x", "$ref": "other.json#", "description": "An alias." }),
        );
        assert_eq!(
            step(&alias, Map::new()),
            Step::Follow {
                reference: "other.json#".into(),
                siblings: map(json!({ "description": "An alias." })),
            }
        );
        let described = map(json!({ "description": "Mine." }));
        assert_eq!(
            step(&alias, described.clone()),
            Step::Follow {
                reference: "other.json#".into(),
                siblings: described,
            }
        );
    }

    #[test]
    fn trivial_sub_path_targets_are_copied_without_the_default() {
        let priority = target(
            "/properties/priority",
            json!({ "type": "string", "enum": ["low", "high"] }),
        );
        let siblings = map(json!({ "description": "Its priority.", "default": "low" }));
        assert_eq!(
            step(&priority, siblings),
            Step::Inline(json!({
                "type": "string",
                "enum": ["low", "high"],
                "description": "Its priority."
            }))
        );
    }

    #[test]
    fn files_and_structured_targets_are_definitions() {
        let siblings = map(json!({ "description": "The task.", "title": "T" }));
        assert_eq!(
            step(&target("", json!({ "type": "string" })), siblings.clone()),
            Step::Define(Some(json!("The task.")))
        );
        let structured = target(
            "/properties/payload",
            json!({ "type": "object", "properties": { "a": {} } }),
        );
        assert_eq!(step(&structured, Map::new()), Step::Define(None));
        let nested = target(
            "/definitions/list",
            json!({ "type": "array", "items": { "$ref": "#/definitions/x" } }),
        );
        assert_eq!(step(&nested, Map::new()), Step::Define(None));
    }
}
