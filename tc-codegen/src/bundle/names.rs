//! The type names of one bundle: every name is taken once, shared enums and
//! strings are named from their titles or the properties that use them, and
//! inline titled objects get titles no other schema has.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::naming::type_name;

/// The names taken so far and the inline titles seen.
#[derive(Debug, Default)]
pub(super) struct Names {
    taken: BTreeSet<String>,
    /// Names that inline titled objects must not take.
    reserved: BTreeSet<String>,
    /// Inline title (as a type name) -> the schema that has it.
    inline_titles: BTreeMap<String, Value>,
}

impl Names {
    /// Keeps `names` from inline titled objects.
    pub fn reserve(&mut self, names: impl IntoIterator<Item = String>) {
        self.reserved.extend(names);
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `base`, or `base2`, `base3`, ... when taken; the answer is taken.
    pub fn unique(&mut self, base: String) -> String {
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// The name of a shared type: its title when all uses agree on one
    /// short title, else the most frequent property name (property hints
    /// before array-item hints), else `fallback`; prefixed by the first
    /// definition that uses it when another type has that name.
    pub fn pick_shared(
        &mut self,
        titles: &BTreeMap<String, usize>,
        hints: &BTreeMap<String, usize>,
        first_def: &str,
        fallback: &str,
    ) -> String {
        let most = |counts: &BTreeMap<String, usize>| {
            counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(name, _)| name.clone())
        };
        let short_title =
            titles.len() == 1 && titles.keys().all(|t| t.split_whitespace().count() <= 4);
        let property_hints: BTreeMap<String, usize> = hints
            .iter()
            .filter(|(h, _)| !h.ends_with("[]"))
            .map(|(h, n)| (h.clone(), *n))
            .collect();
        let base = if short_title {
            most(titles)
        } else if !property_hints.is_empty() {
            most(&property_hints)
        } else {
            most(hints)
        }
        .map(|n| type_name(&n))
        .unwrap_or_else(|| fallback.to_owned());
        if self.taken.contains(&base) && !base.starts_with(first_def) {
            return self.unique(format!("{first_def}{base}"));
        }
        self.unique(base)
    }

    /// Gives an inline titled object (of the definition `def`) a unique
    /// title, so that typify never merges two different schemas that happen
    /// to share a title.
    pub fn dedupe_title(&mut self, obj: &mut Map<String, Value>, def: &str) {
        let Some(title) = obj.get("title").and_then(Value::as_str).map(str::to_owned) else {
            return;
        };
        let name = type_name(&title);
        let content = Value::Object(obj.clone());
        match self.inline_titles.get(&name) {
            Some(existing) if *existing == content => {}
            Some(_) => self.retitle(obj, def, &title),
            None if self.taken.contains(&name) || self.reserved.contains(&name) => {
                self.retitle(obj, def, &title);
            }
            None => {
                self.taken.insert(name.clone());
                self.inline_titles.insert(name, content);
            }
        }
    }

    fn retitle(&mut self, obj: &mut Map<String, Value>, def: &str, title: &str) {
        let renamed = format!("{def} {title}");
        obj.insert("title".into(), Value::String(renamed.clone()));
        self.inline_titles
            .insert(type_name(&renamed), Value::Object(obj.clone()));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
        pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
    }

    #[test]
    fn unique_names_get_a_number() {
        let mut names = Names::default();
        assert_eq!(names.unique("Task".into()), "Task");
        assert_eq!(names.unique("Task".into()), "Task2");
        assert_eq!(names.unique("Task".into()), "Task3");
        assert!(names.is_taken("Task2"));
    }

    #[test]
    fn shared_names_prefer_one_short_title_then_properties() {
        let mut names = Names::default();
        let titles = counts(&[("Run State", 2)]);
        let hints = counts(&[("state", 5)]);
        assert_eq!(
            names.pick_shared(&titles, &hints, "Task", "Kind"),
            "RunState"
        );
        // Two titles disagree: the most frequent property, then by name.
        let titles = counts(&[("A", 1), ("B", 1)]);
        let hints = counts(&[("reason", 2), ("level", 2), ("items[]", 9)]);
        assert_eq!(names.pick_shared(&titles, &hints, "Task", "Kind"), "Level");
        // Only array hints; nothing at all.
        let hints = counts(&[("tag[]", 1)]);
        assert_eq!(
            names.pick_shared(&BTreeMap::new(), &hints, "Task", "Kind"),
            "Tag"
        );
        assert_eq!(
            names.pick_shared(&BTreeMap::new(), &BTreeMap::new(), "Task", "Kind"),
            "Kind"
        );
        // Taken: prefixed by the first definition that uses it.
        let hints = counts(&[("level", 1)]);
        assert_eq!(
            names.pick_shared(&BTreeMap::new(), &hints, "Task", "Kind"),
            "TaskLevel"
        );
        // A long title is a sentence, not a name.
        let titles = counts(&[("the state of the run now", 1)]);
        let hints = counts(&[("phase", 1)]);
        assert_eq!(names.pick_shared(&titles, &hints, "Task", "Kind"), "Phase");
    }

    #[test]
    fn inline_titles_are_deduplicated_by_content() {
        let mut names = Names::default();
        names.reserve(["Reserved".to_owned()]);
        let mut first = json!({ "title": "Owner", "properties": { "a": {} } });
        let mut same = first.clone();
        let mut other = json!({ "title": "Owner", "properties": { "b": {} } });
        let mut reserved = json!({ "title": "Reserved" });
        let mut untitled = json!({ "type": "object" });
        for (value, def) in [
            (&mut first, "Widget"),
            (&mut same, "Gadget"),
            (&mut other, "Gadget"),
            (&mut reserved, "Widget"),
            (&mut untitled, "Widget"),
        ] {
            if let Some(obj) = value.as_object_mut() {
                names.dedupe_title(obj, def);
            }
        }
        assert_eq!(first["title"], "Owner");
        assert_eq!(same["title"], "Owner");
        assert_eq!(other["title"], "Gadget Owner");
        assert_eq!(reserved["title"], "Widget Reserved");
        assert_eq!(untitled, json!({ "type": "object" }));
        assert!(names.is_taken("Owner"));
    }
}
