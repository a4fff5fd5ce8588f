//! Shared constrained strings: every property of one name that carries the
//! same `pattern` refers to one newtype definition, named after the property
//! and documented by its pattern, through a placeholder until the bundle is
//! finished.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::json::definition_ref;
use super::names::Names;

/// The prefix of the placeholder definition names of shared strings.
pub(super) const PLACEHOLDER: &str = "__tc_string_";

/// A pattern-constrained string shared by every property of one name that
/// carries the same pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedString {
    /// How many places use it.
    pub uses: usize,
}

#[derive(Debug)]
struct StringSlot {
    placeholder: String,
    /// The property name (as a type name) the slot is for.
    key: String,
    schema: Value,
    uses: usize,
    first_def: String,
}

/// A named shared string.
#[derive(Debug, PartialEq)]
pub(super) struct Named {
    /// The placeholder the schemas refer to.
    pub placeholder: String,
    /// The name it wanted (the property's), before disambiguation.
    pub wanted: String,
    /// The definition name.
    pub name: String,
    /// The definition's schema.
    pub schema: Value,
    /// How it is used.
    pub shared: SharedString,
}

/// The constrained strings met so far, in order.
#[derive(Debug, Default)]
pub(super) struct SharedStrings {
    slots: Vec<StringSlot>,
}

impl SharedStrings {
    /// Records one string constrained by `pattern`, the value of the
    /// property `key` (a type name); answers the reference that replaces it.
    ///
    /// One type per constrained property name: every `workerGroup` shares
    /// `WorkerGroup`; `workerId`, with the same pattern, gets its own
    /// `WorkerId` rather than being merged under another name.
    pub fn record(
        &mut self,
        pattern: Value,
        key: String,
        description: Option<Value>,
        def: &str,
    ) -> Value {
        let schema = json!({ "type": "string", "pattern": pattern });
        let index = match self
            .slots
            .iter()
            .position(|s| s.schema == schema && s.key == key)
        {
            Some(index) => index,
            None => {
                self.slots.push(StringSlot {
                    placeholder: format!("{PLACEHOLDER}{}", self.slots.len()),
                    key,
                    schema,
                    uses: 0,
                    first_def: def.to_owned(),
                });
                self.slots.len() - 1
            }
        };
        let slot = &mut self.slots[index];
        slot.uses += 1;
        definition_ref(&slot.placeholder, description)
    }

    /// Names every shared string (after its property), in the order they
    /// were met; each definition is documented by its pattern.
    pub fn finish(self, names: &mut Names) -> Vec<Named> {
        self.slots
            .into_iter()
            .map(|slot| {
                let by_key = BTreeMap::from([(slot.key.clone(), 1)]);
                let name = names.pick_shared(&BTreeMap::new(), &by_key, &slot.first_def, "String");
                let mut schema = slot.schema;
                if let Some(obj) = schema.as_object_mut()
                    && let Some(pattern) = obj.get("pattern").and_then(Value::as_str)
                {
                    let note = crate::docs::pattern_note(pattern);
                    obj.insert("description".into(), Value::String(note));
                }
                Named {
                    placeholder: slot.placeholder,
                    wanted: slot.key,
                    name,
                    schema,
                    shared: SharedString { uses: slot.uses },
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_type_per_property_name_and_pattern() {
        let mut strings = SharedStrings::default();
        let group = strings.record(json!("^[a-z]+$"), "WorkerGroup".into(), None, "Claim");
        assert_eq!(group, json!({ "$ref": "#/definitions/__tc_string_0" }));
        let again = strings.record(
            json!("^[a-z]+$"),
            "WorkerGroup".into(),
            Some(json!("Its group.")),
            "Run",
        );
        assert_eq!(
            again,
            json!({ "$ref": "#/definitions/__tc_string_0", "description": "Its group." })
        );
        let id = strings.record(json!("^[a-z]+$"), "WorkerId".into(), None, "Claim");
        assert_eq!(id, json!({ "$ref": "#/definitions/__tc_string_1" }));

        let mut names = Names::default();
        names.unique("WorkerId".into());
        let named = strings.finish(&mut names);
        let note = |p: &str| crate::docs::pattern_note(p);
        assert_eq!(
            named,
            vec![
                Named {
                    placeholder: "__tc_string_0".into(),
                    wanted: "WorkerGroup".into(),
                    name: "WorkerGroup".into(),
                    schema: json!({
                        "type": "string",
                        "pattern": "^[a-z]+$",
                        "description": note("^[a-z]+$"),
                    }),
                    shared: SharedString { uses: 2 },
                },
                Named {
                    placeholder: "__tc_string_1".into(),
                    wanted: "WorkerId".into(),
                    name: "ClaimWorkerId".into(),
                    schema: json!({
                        "type": "string",
                        "pattern": "^[a-z]+$",
                        "description": note("^[a-z]+$"),
                    }),
                    shared: SharedString { uses: 1 },
                },
            ]
        );
    }
}
