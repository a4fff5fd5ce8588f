//! `oneOf` / `anyOf` unions: branches that only constrain are dropped, a
//! `null` union is a nullable type, one described object among free-form
//! ones is that object; otherwise untyped branches get the parent's type,
//! a union of strings is a string, and every branch gets a title (its name
//! as a variant). The object branches of an untagged union become named
//! structs of their own (decided here, hoisted by the bundler).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::free_form::is_free_form;
use super::{constrained, enums};
use crate::naming::type_name;

/// What is left to do with a union once its shape is known.
#[derive(Debug, PartialEq)]
pub(super) enum Plan {
    /// Nothing: the union was dropped or merged into its parent.
    Done,
    /// Reshape each branch, then [`finish`].
    Branches {
        /// The branches, as the schema has them.
        branches: Vec<Value>,
        /// The parent's `type`, which untyped branches inherit.
        parent_type: Option<Value>,
        /// Whether every branch fixes one property to a constant (an
        /// internally tagged enum, whose branches stay inline).
        tagged: bool,
    },
}

/// Takes the union `key` out of `obj` and decides its shape.
pub(super) fn plan(obj: &mut Map<String, Value>, key: &str) -> Plan {
    let Some(Value::Array(branches)) = obj.remove(key) else {
        return Plan::Done;
    };
    // Branches that only add constraints on the parent's own properties.
    let constraint_only = |b: &Value| {
        b.as_object().is_some_and(|o| {
            o.keys().all(|k| {
                matches!(
                    k.as_str(),
                    "required"
                        | "format"
                        | "pattern"
                        | "minLength"
                        | "maxLength"
                        | "minimum"
                        | "maximum"
                        | "description"
                        | "title"
                        | "not"
                )
            })
        })
    };
    if branches.iter().all(constraint_only) {
        return Plan::Done;
    }
    // `null` or one thing: a nullable thing.
    let non_null: Vec<&Value> = branches
        .iter()
        .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
        .collect();
    if branches.len() == 2
        && non_null.len() == 1
        && non_null[0].get("$ref").is_none()
        && let Some(Value::String(ty)) = non_null[0].get("type").cloned()
    {
        let other = non_null[0].as_object().cloned().unwrap_or_default();
        merge_into(obj, other);
        obj.insert("type".into(), json!([ty, "null"]));
        return Plan::Done;
    }
    // One described object among free-form ones: that object, every
    // property optional (anything else is accepted too).
    let structured: Vec<&Value> = branches
        .iter()
        .filter(|b| {
            b.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty())
        })
        .collect();
    let free = branches
        .iter()
        .filter(|b| b.as_object().is_some_and(is_free_form))
        .count();
    if structured.len() == 1 && free + 1 == branches.len() {
        let mut only = structured[0].as_object().cloned().unwrap_or_default();
        if free > 0 {
            only.remove("required");
        }
        merge_into(obj, only);
        return Plan::Done;
    }
    Plan::Branches {
        parent_type: obj.get("type").cloned(),
        tagged: is_tagged(&branches),
        branches,
    }
}

/// Whether a branch becomes a named struct that its variant wraps (instead
/// of an anonymous struct variant): an inline object with properties in an
/// untagged union.
pub(super) fn is_variant_struct(tagged: bool, branch: &Value) -> bool {
    !tagged
        && branch.get("$ref").is_none()
        && branch
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
}

/// The name a variant struct of the definition `def` would like: its title,
/// else the definition's name and the branch's.
pub(super) fn preferred_name(branch: &Value, def: &str) -> Option<String> {
    branch
        .get("title")
        .and_then(Value::as_str)
        .map(type_name)
        .or_else(|| {
            branch
                .as_object()
                .and_then(branch_title)
                .map(|t| format!("{def}{}", type_name(&t)))
        })
}

/// Gives an untyped branch (not a reference) the parent's type.
pub(super) fn inherit_type(branch: &mut Value, parent_type: Option<&Value>) {
    if let (Some(ty), Some(b)) = (parent_type, branch.as_object_mut())
        && !b.contains_key("type")
        && !b.contains_key("$ref")
    {
        b.insert("type".into(), ty.clone());
    }
}

/// Puts the reshaped branches back as `key`: a union of strings is a
/// string; otherwise the parent loses its type and every branch without a
/// title or reference gets one (unique in the union).
pub(super) fn finish(
    obj: &mut Map<String, Value>,
    key: &str,
    mut branches: Vec<Value>,
    had_type: bool,
) {
    if branches.iter().all(is_stringish) {
        obj.insert("type".into(), Value::String("string".into()));
        return;
    }
    if had_type {
        obj.remove("type");
    }
    // Every branch gets a name: its title, the value of a constant
    // property, its first required property, or its type.
    let mut used = BTreeSet::new();
    for (i, branch) in branches.iter_mut().enumerate() {
        let Some(b) = branch.as_object_mut() else {
            continue;
        };
        if b.contains_key("$ref") || b.contains_key("title") {
            continue;
        }
        let mut title = branch_title(b).unwrap_or_else(|| format!("Option {}", i + 1));
        if !used.insert(type_name(&title)) {
            title = format!("{title} {}", i + 1);
        }
        b.insert("title".into(), Value::String(title));
    }
    obj.insert(key.into(), Value::Array(branches));
}

/// A reshaped branch that is a string (or a shared enum or string).
fn is_stringish(branch: &Value) -> bool {
    if branch.get("type").and_then(Value::as_str) == Some("string") {
        return true;
    }
    if branch.get("const").is_some_and(Value::is_string) {
        return true;
    }
    branch
        .get("$ref")
        .and_then(Value::as_str)
        .is_some_and(|r| r.contains(constrained::PLACEHOLDER) || r.contains(enums::PLACEHOLDER))
}

/// Whether every branch fixes the same property to a constant (typify then
/// makes an internally tagged enum, which needs the branches inline).
fn is_tagged(branches: &[Value]) -> bool {
    let constant_props = |b: &Value| -> BTreeSet<String> {
        b.get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .filter(|(_, s)| {
                        s.get("const").is_some()
                            || s.get("enum")
                                .and_then(Value::as_array)
                                .is_some_and(|v| v.len() == 1)
                    })
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut sets = branches.iter().map(constant_props);
    let Some(first) = sets.next() else {
        return false;
    };
    let common = sets.fold(first, |acc, s| acc.intersection(&s).cloned().collect());
    !common.is_empty()
}

/// Merges a union branch into its parent; the parent's description wins.
fn merge_into(obj: &mut Map<String, Value>, branch: Map<String, Value>) {
    for (key, value) in branch {
        if key == "description" && obj.contains_key("description") {
            continue;
        }
        if key == "title" {
            continue;
        }
        obj.insert(key, value);
    }
}

/// A branch's name: the value of a constant property, its first required
/// property, its first property, or its type.
fn branch_title(branch: &Map<String, Value>) -> Option<String> {
    let props = branch.get("properties").and_then(Value::as_object);
    if let Some(props) = props {
        for schema in props.values() {
            if let Some(Value::String(c)) = schema.get("const") {
                return Some(c.clone());
            }
            if let Some(Value::Array(values)) = schema.get("enum")
                && let [Value::String(only)] = values.as_slice()
            {
                return Some(only.clone());
            }
        }
        if let Some(first) = branch
            .get("required")
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .and_then(Value::as_str)
        {
            return Some(first.to_owned());
        }
        if let Some(first) = props.keys().next() {
            return Some(first.clone());
        }
    }
    match branch.get("type") {
        Some(Value::String(ty)) => Some(ty.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    fn planned(schema: Value) -> (Plan, Value) {
        let mut obj = map(schema);
        let plan = plan(&mut obj, "oneOf");
        (plan, Value::Object(obj))
    }

    #[test]
    fn constraint_only_unions_are_dropped() {
        let (plan, obj) = planned(json!({
            "type": "object",
            "oneOf": [{ "required": ["a"] }, { "required": ["b"], "description": "B." }]
        }));
        assert_eq!((plan, obj), (Plan::Done, json!({ "type": "object" })));
    }

    #[test]
    fn a_null_union_is_a_nullable_type() {
        let (plan, obj) = planned(json!({
            "description": "Who.",
            "oneOf": [
                { "type": "null" },
                { "type": "string", "title": "Name", "description": "A name.", "maxLength": 9 }
            ]
        }));
        assert_eq!(plan, Plan::Done);
        assert_eq!(
            obj,
            json!({ "description": "Who.", "type": ["string", "null"], "maxLength": 9 })
        );
    }

    #[test]
    fn one_object_among_free_form_ones_is_that_object_all_optional() {
        let (plan, obj) = planned(json!({
            "oneOf": [
                { "type": "object" },
                { "type": "object", "required": ["a"], "properties": { "a": { "type": "string" } } }
            ]
        }));
        assert_eq!(plan, Plan::Done);
        assert_eq!(
            obj,
            json!({ "type": "object", "properties": { "a": { "type": "string" } } })
        );
    }

    #[test]
    fn other_unions_are_reshaped_branch_by_branch() {
        let circle = json!({ "properties": { "kind": { "const": "circle" }, "r": {} } });
        let square = json!({ "properties": { "kind": { "enum": ["square"] }, "side": {} } });
        let (plan, obj) = planned(json!({
            "type": "object",
            "oneOf": [circle.clone(), square.clone()]
        }));
        assert_eq!(
            plan,
            Plan::Branches {
                branches: vec![circle.clone(), square],
                parent_type: Some(json!("object")),
                tagged: true,
            }
        );
        assert_eq!(obj, json!({ "type": "object" }));
        assert!(!is_variant_struct(true, &circle));
        assert!(is_variant_struct(false, &circle));
        assert!(!is_variant_struct(false, &json!({ "type": "string" })));
        assert_eq!(preferred_name(&circle, "Shape"), Some("ShapeCircle".into()));
        assert_eq!(
            preferred_name(&json!({ "title": "round thing" }), "Shape"),
            Some("RoundThing".into())
        );
        assert_eq!(preferred_name(&json!({}), "Shape"), None);

        let mut untyped = json!({ "properties": {} });
        inherit_type(&mut untyped, Some(&json!("object")));
        assert_eq!(untyped, json!({ "properties": {}, "type": "object" }));
        let mut reference = json!({ "$ref": "#/definitions/A" });
        inherit_type(&mut reference, Some(&json!("object")));
        assert_eq!(reference, json!({ "$ref": "#/definitions/A" }));
    }

    #[test]
    fn finished_unions_collapse_strings_and_title_their_branches() {
        let mut obj = map(json!({ "type": "string" }));
        finish(
            &mut obj,
            "anyOf",
            vec![
                json!({ "type": "string" }),
                json!({ "$ref": "#/definitions/__tc_enum_0" }),
                json!({ "$ref": "#/definitions/__tc_string_3" }),
            ],
            true,
        );
        assert_eq!(Value::Object(obj), json!({ "type": "string" }));

        let mut obj = map(json!({ "type": "object" }));
        finish(
            &mut obj,
            "oneOf",
            vec![
                json!({ "type": "object", "required": ["size"], "properties": { "size": {} } }),
                json!({ "type": "object", "properties": { "size": {} } }),
                json!({ "$ref": "#/definitions/Circle" }),
                json!({ "type": "integer" }),
                json!({}),
                json!({ "title": "Kept" }),
            ],
            true,
        );
        assert_eq!(
            Value::Object(obj),
            json!({
                "oneOf": [
                    { "type": "object", "required": ["size"], "properties": { "size": {} }, "title": "size" },
                    { "type": "object", "properties": { "size": {} }, "title": "size 2" },
                    { "$ref": "#/definitions/Circle" },
                    { "type": "integer", "title": "integer" },
                    { "title": "Option 5" },
                    { "title": "Kept" },
                ]
            })
        );
    }
}
