//! Descriptions: every generated item gets a doc. A property without a
//! description gets one from [`docs::property_note`](crate::docs::property_note),
//! an inline object (a named type) and a definition one from
//! [`docs::source_note`](crate::docs::source_note); notes are appended to
//! or put before what the schema says.

use serde_json::{Map, Value};

/// Appends `note` as a paragraph of the description (or sets it).
pub(super) fn append_description(obj: &mut Map<String, Value>, note: &str) {
    let text = match obj.get("description").and_then(Value::as_str) {
        Some(existing) => format!("{}\n\n{note}", existing.trim_end()),
        None => note.to_owned(),
    };
    obj.insert("description".into(), Value::String(text));
}

/// Puts a generated note first in a description that came only from the
/// schema's `default` (or sets it when there is none); a description from a
/// referenced schema is left alone.
pub(super) fn prepend_description(obj: &mut Map<String, Value>, note: &str) {
    let text = match obj.get("description").and_then(Value::as_str) {
        None => note.to_owned(),
        Some(existing) if existing.starts_with("Default: `") => format!("{note}\n\n{existing}"),
        Some(_) => return,
    };
    obj.insert("description".into(), Value::String(text));
}

/// The note of a property whose (original) schema has no description: its
/// JSON name and what it allows. Read before reshaping drops constraints
/// such as lengths and formats.
pub(super) fn property_note(name: &str, schema: &Value) -> Option<String> {
    (schema.is_object() && schema.get("description").is_none())
        .then(|| crate::docs::property_note(name, schema))
}

/// Documents an inline object with properties (it becomes a named type) by
/// where it comes from, unless it has a description or is a branch of a
/// union (a variant, documented by how it is written).
pub(super) fn inline_object(obj: &mut Map<String, Value>, file: &str, pointer: &str, branch: bool) {
    if !branch
        && !obj.contains_key("description")
        && obj
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
    {
        let note = crate::docs::source_note(file, pointer);
        obj.insert("description".into(), Value::String(note));
    }
}

/// The root of a definition: its title goes (the definition name is the
/// type's) and a missing description says where it comes from.
pub(super) fn definition_root(schema: &mut Value, file: &str, pointer: &str) {
    if let Some(obj) = schema.as_object_mut() {
        obj.remove("title");
        if !obj.contains_key("description") {
            let note = crate::docs::source_note(file, pointer);
            obj.insert("description".into(), Value::String(note));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn notes_are_appended_or_put_before_a_default() {
        let mut obj = map(json!({ "description": "Text.\n\n" }));
        append_description(&mut obj, "More.");
        assert_eq!(obj["description"], "Text.\n\nMore.");
        let mut obj = map(json!({}));
        append_description(&mut obj, "More.");
        assert_eq!(obj["description"], "More.");

        let mut obj = map(json!({ "description": "Default: `3`." }));
        prepend_description(&mut obj, "JSON property `n`.");
        assert_eq!(obj["description"], "JSON property `n`.\n\nDefault: `3`.");
        let mut obj = map(json!({ "description": "From the target." }));
        prepend_description(&mut obj, "JSON property `n`.");
        assert_eq!(obj["description"], "From the target.");
        let mut obj = map(json!({}));
        prepend_description(&mut obj, "JSON property `n`.");
        assert_eq!(obj["description"], "JSON property `n`.");
    }

    #[test]
    fn only_undescribed_properties_get_a_note() {
        assert_eq!(
            property_note("n", &json!({ "type": "integer" })),
            Some(crate::docs::property_note(
                "n",
                &json!({ "type": "integer" })
            ))
        );
        assert_eq!(property_note("n", &json!({ "description": "N." })), None);
        assert_eq!(property_note("n", &json!(true)), None);
    }

    #[test]
    fn inline_objects_and_definitions_say_where_they_come_from() {
        let file = "/schemas/w/v1/a.json";
        let note = crate::docs::source_note(file, "/properties/o");
        let object = json!({ "properties": { "a": {} } });
        let mut obj = map(object.clone());
        inline_object(&mut obj, file, "/properties/o", false);
        assert_eq!(obj["description"], note.as_str());
        let mut branch = map(object.clone());
        inline_object(&mut branch, file, "/oneOf/0", true);
        assert_eq!(Value::Object(branch), object);
        let mut empty = map(json!({ "properties": {} }));
        inline_object(&mut empty, file, "/properties/o", false);
        assert!(!empty.contains_key("description"));

        let mut root = json!({ "title": "A", "type": "object" });
        definition_root(&mut root, file, "");
        assert_eq!(
            root,
            json!({ "type": "object", "description": crate::docs::source_note(file, "") })
        );
        let mut described = json!({ "title": "A", "description": "An A." });
        definition_root(&mut described, file, "");
        assert_eq!(described, json!({ "description": "An A." }));
    }
}
