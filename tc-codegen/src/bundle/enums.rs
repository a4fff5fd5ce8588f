//! String enums: every `enum` of two or more strings becomes one shared
//! definition per list of values (emitted by tc-codegen with an `Unknown`
//! catch-all), referred to by a placeholder until the bundle is finished
//! and the enum is named.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::json::definition_ref;
use super::names::Names;

/// The prefix of the placeholder definition names of string enums.
pub(super) const PLACEHOLDER: &str = "__tc_enum_";

/// A string enum hoisted out of the schemas; emitted with an `Unknown` catch-all.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    /// The known values, in schema order.
    pub values: Vec<String>,
    /// The schema's description, if any.
    pub description: Option<String>,
    /// The definition (type) where the enum was first met.
    pub first_used_by: String,
}

#[derive(Debug)]
struct EnumSlot {
    placeholder: String,
    values: Vec<String>,
    description: Option<String>,
    titles: BTreeMap<String, usize>,
    hints: BTreeMap<String, usize>,
    first_def: String,
}

/// A named enum: its placeholder, name, definition schema and emission spec.
#[derive(Debug, PartialEq)]
pub(super) struct Named {
    /// The placeholder the schemas refer to.
    pub placeholder: String,
    /// The definition name.
    pub name: String,
    /// The definition's schema.
    pub schema: Value,
    /// What tc-codegen emits for it.
    pub spec: StringEnum,
}

/// The string enums met so far, in order.
#[derive(Debug, Default)]
pub(super) struct Enums {
    slots: Vec<EnumSlot>,
}

impl Enums {
    /// The values of a string enum worth a type of its own (two or more).
    pub fn values_of(obj: &serde_json::Map<String, Value>) -> Option<Vec<String>> {
        let values: Option<Vec<String>> = obj.get("enum").and_then(Value::as_array).map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        });
        values.filter(|v| v.len() >= 2)
    }

    /// Records one use of the enum of `values` (met as the property `hint`
    /// of the definition `def`, with the schema's title and description);
    /// answers the reference that replaces the schema.
    pub fn record(
        &mut self,
        values: Vec<String>,
        description: Option<Value>,
        title: Option<String>,
        hint: String,
        def: &str,
    ) -> Value {
        let index = match self.slots.iter().position(|s| s.values == values) {
            Some(index) => index,
            None => {
                self.slots.push(EnumSlot {
                    placeholder: format!("{PLACEHOLDER}{}", self.slots.len()),
                    values,
                    description: description
                        .as_ref()
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    titles: BTreeMap::new(),
                    hints: BTreeMap::new(),
                    first_def: def.to_owned(),
                });
                self.slots.len() - 1
            }
        };
        let slot = &mut self.slots[index];
        if let Some(title) = title {
            *slot.titles.entry(title).or_default() += 1;
        }
        *slot.hints.entry(hint).or_default() += 1;
        definition_ref(&slot.placeholder, description)
    }

    /// Names every enum, in the order they were met.
    pub fn finish(self, names: &mut Names) -> Vec<Named> {
        self.slots
            .into_iter()
            .map(|slot| {
                let name = names.pick_shared(&slot.titles, &slot.hints, &slot.first_def, "Kind");
                Named {
                    placeholder: slot.placeholder,
                    name,
                    schema: json!({ "type": "string", "enum": slot.values }),
                    spec: StringEnum {
                        values: slot.values,
                        description: slot.description,
                        first_used_by: slot.first_def,
                    },
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn only_enums_of_two_or_more_strings_count() {
        let of = |v: Value| Enums::values_of(v.as_object().unwrap_or(&Default::default()));
        assert_eq!(
            of(json!({ "enum": ["a", "b"] })),
            Some(strings(&["a", "b"]))
        );
        assert_eq!(of(json!({ "enum": ["a"] })), None);
        assert_eq!(of(json!({ "type": "string" })), None);
    }

    #[test]
    fn one_list_of_values_is_one_enum_named_after_its_uses() {
        let mut enums = Enums::default();
        let first = enums.record(
            strings(&["pending", "done"]),
            Some(json!("The state.")),
            None,
            "state".into(),
            "Task",
        );
        assert_eq!(
            first,
            json!({ "$ref": "#/definitions/__tc_enum_0", "description": "The state." })
        );
        let again = enums.record(
            strings(&["pending", "done"]),
            None,
            None,
            "state".into(),
            "Run",
        );
        assert_eq!(again, json!({ "$ref": "#/definitions/__tc_enum_0" }));
        let other = enums.record(
            strings(&["low", "high"]),
            None,
            Some("Priority".into()),
            "level".into(),
            "Task",
        );
        assert_eq!(other, json!({ "$ref": "#/definitions/__tc_enum_1" }));

        let mut names = Names::default();
        let named = enums.finish(&mut names);
        assert_eq!(
            named,
            vec![
                Named {
                    placeholder: "__tc_enum_0".into(),
                    name: "State".into(),
                    schema: json!({ "type": "string", "enum": ["pending", "done"] }),
                    spec: StringEnum {
                        values: strings(&["pending", "done"]),
                        description: Some("The state.".into()),
                        first_used_by: "Task".into(),
                    },
                },
                Named {
                    placeholder: "__tc_enum_1".into(),
                    name: "Priority".into(),
                    schema: json!({ "type": "string", "enum": ["low", "high"] }),
                    spec: StringEnum {
                        values: strings(&["low", "high"]),
                        description: None,
                        first_used_by: "Task".into(),
                    },
                },
            ]
        );
    }
}
