//! Hoisting: which `file#pointer` becomes which definition. Whole files and
//! non-trivial sub-schemas are given a name (from their title, their file or
//! their path), once, and queued until the bundler reshapes them.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

use super::names::Names;
use crate::naming::type_name;

/// A definition named but not reshaped yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pending {
    /// The definition name.
    pub name: String,
    /// The file it is read from.
    pub file: String,
    /// Its JSON pointer in `file` (`""` for the whole file).
    pub pointer: String,
}

/// The definitions named so far.
#[derive(Debug, Default)]
pub(super) struct Definitions {
    /// `file#pointer` -> definition name.
    assigned: BTreeMap<String, String>,
    queue: VecDeque<Pending>,
    /// Every sub-schema (not a whole file) that became a definition.
    hoisted: BTreeSet<String>,
    /// The hoisted sub-schemas of an earlier pass: their inline copies refer
    /// to their definitions.
    shared: BTreeSet<String>,
}

impl Definitions {
    /// Makes the inline copies of `hoisted` nodes refer to their definitions.
    pub fn share(&mut self, hoisted: impl IntoIterator<Item = String>) {
        self.shared.extend(hoisted);
    }

    /// The next definition to reshape.
    pub fn next(&mut self) -> Option<Pending> {
        self.queue.pop_front()
    }

    /// Every sub-schema that became a definition (`file#pointer`).
    pub fn into_hoisted(self) -> BTreeSet<String> {
        self.hoisted
    }

    /// When the node at `file#pointer`, met inline in the definition `def`,
    /// is shared (a definition of its own in an earlier pass) and is not
    /// `def` itself: the name of its definition.
    pub fn shared_copy(
        &mut self,
        names: &mut Names,
        file: &str,
        pointer: &str,
        def: &str,
        node: &Value,
    ) -> Option<String> {
        let key = format!("{file}#{pointer}");
        if !self.shared.contains(&key) || self.assigned.get(&key).map(String::as_str) == Some(def) {
            return None;
        }
        let name = self.assign(names, file, pointer, node);
        (name != def).then_some(name)
    }

    /// Names (once) the definition of `file#pointer` and queues it.
    pub fn assign(
        &mut self,
        names: &mut Names,
        file: &str,
        pointer: &str,
        value: &Value,
    ) -> String {
        self.assign_preferring(names, file, pointer, value, None)
    }

    /// [`Self::assign`], taking `preferred` as the name when it is free.
    pub fn assign_preferring(
        &mut self,
        names: &mut Names,
        file: &str,
        pointer: &str,
        value: &Value,
        preferred: Option<String>,
    ) -> String {
        let key = format!("{file}#{pointer}");
        if let Some(name) = self.assigned.get(&key) {
            return name.clone();
        }
        if let Some(name) = preferred.filter(|n| !names.is_taken(n)) {
            let name = names.unique(name);
            self.queue_as(key, &name, file, pointer);
            return name;
        }
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or(file)
            .trim_end_matches(".json");
        let title = value.get("title").and_then(Value::as_str);
        let name = match title.map(type_name) {
            Some(t) if !names.is_taken(&t) => t,
            _ if pointer.is_empty() => type_name(stem),
            _ => {
                let parent = self
                    .assigned
                    .get(&format!("{file}#"))
                    .cloned()
                    .unwrap_or_else(|| type_name(stem));
                let last = pointer
                    .split('/')
                    .filter(|p| !p.is_empty() && *p != "properties" && *p != "definitions")
                    .map(type_name)
                    .collect::<String>();
                format!("{parent}{last}")
            }
        };
        let name = names.unique(name);
        if !pointer.is_empty() {
            self.hoisted.insert(key.clone());
        }
        self.queue_as(key, &name, file, pointer);
        name
    }

    fn queue_as(&mut self, key: String, name: &str, file: &str, pointer: &str) {
        self.assigned.insert(key, name.to_owned());
        self.queue.push_back(Pending {
            name: name.to_owned(),
            file: file.to_owned(),
            pointer: pointer.to_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const FILE: &str = "/schemas/w/v1/widget-response.json";

    #[test]
    fn files_are_named_by_title_then_file_name() {
        let mut names = Names::default();
        let mut defs = Definitions::default();
        let titled = json!({ "title": "Widget" });
        assert_eq!(defs.assign(&mut names, FILE, "", &titled), "Widget");
        // Once per file#pointer.
        assert_eq!(defs.assign(&mut names, FILE, "", &json!({})), "Widget");
        let other = "/schemas/w/v1/gadget.json";
        // The title is taken: the file name.
        assert_eq!(defs.assign(&mut names, other, "", &titled), "Gadget");
        assert_eq!(
            defs.next(),
            Some(Pending {
                name: "Widget".into(),
                file: FILE.into(),
                pointer: String::new()
            })
        );
        assert_eq!(defs.next().map(|p| p.name), Some("Gadget".into()));
        assert_eq!(defs.next(), None);
        assert!(
            defs.into_hoisted().is_empty(),
            "whole files are not hoisted"
        );
    }

    #[test]
    fn sub_schemas_are_named_after_their_file_and_path() {
        let mut names = Names::default();
        let mut defs = Definitions::default();
        defs.assign(&mut names, FILE, "", &json!({ "title": "Widget" }));
        let pointer = "/properties/shape/definitions/corner";
        assert_eq!(
            defs.assign(&mut names, FILE, pointer, &json!({})),
            "WidgetShapeCorner"
        );
        // A sub-schema of a file that is no definition: the file's stem.
        let other = "/schemas/w/v1/parts.json";
        assert_eq!(
            defs.assign(&mut names, other, "/definitions/bolt", &json!({})),
            "PartsBolt"
        );
        // A preferred name, when free.
        assert_eq!(
            defs.assign_preferring(
                &mut names,
                FILE,
                "/oneOf/0",
                &json!({}),
                Some("Circle".into())
            ),
            "Circle"
        );
        assert_eq!(
            defs.into_hoisted(),
            BTreeSet::from([
                format!("{FILE}#{pointer}"),
                format!("{other}#/definitions/bolt"),
            ]),
            "a preferred name is not recorded as hoisted"
        );
    }

    #[test]
    fn shared_copies_refer_to_their_definition_except_inside_it() {
        let mut names = Names::default();
        let mut defs = Definitions::default();
        let pointer = "/properties/power";
        defs.share([format!("{FILE}#{pointer}")]);
        let node = json!({ "type": "string" });
        assert_eq!(
            defs.shared_copy(&mut names, FILE, "/x", "Widget", &node),
            None
        );
        let name = defs.shared_copy(&mut names, FILE, pointer, "Widget", &node);
        assert_eq!(name.as_deref(), Some("WidgetResponsePower"));
        assert_eq!(
            defs.shared_copy(&mut names, FILE, pointer, "WidgetResponsePower", &node),
            None,
            "the definition itself is reshaped in place"
        );
    }
}
