//! `cargo xtask references diff`: what a bump of the reference set changes at API level,
//! and which of those changes break code written against the current set.
//!
//! The two sets are compared document by document:
//!
//! - API references: methods added or removed; for a method in both, its HTTP method and
//!   path arguments, its query arguments, its input and output schemas, its scopes;
//! - exchange references: exchanges added or removed; their routing-key parts and message
//!   schemas;
//! - schemas: fields added (optional or required) or removed, fields made required or
//!   optional, enum values and `oneOf`/`anyOf` alternatives added or removed, types,
//!   `const` values, `$ref` targets and titles (a title names a generated type) changed.
//!
//! Whether a change breaks callers follows from what tc-client generates: request types
//! take their required fields in `new(..)` and the rest by setter, response types and
//! enums are `#[non_exhaustive]` and keep values they do not know, query arguments are
//! setters of a method's call. So an added optional field, method, query argument, enum
//! value or union alternative breaks nobody; a removed one, a changed type, a field that
//! becomes required (or stops being required) does; a required field added to a schema
//! that is (part of) a request does, since `new(..)` takes one more argument.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::canonical::push_token;
use crate::reference_set;

/// A reference set: root-relative paths without the leading `/`
/// (`references/queue/v1/api.json`) to parsed documents.
pub type Documents = BTreeMap<String, Value>;

/// One change between two reference sets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Where: `queue`, `queue.createTask`, `queue/exchanges.taskDefined` or
    /// `schemas/queue/v1/task.json#/properties/priority`.
    pub place: String,
    /// What changed, in a few words.
    pub what: String,
    /// Whether code written against the old set may stop compiling or decoding.
    pub breaks: bool,
}

impl Change {
    fn new(place: impl Into<String>, what: impl Into<String>, breaks: bool) -> Change {
        Change {
            place: place.into(),
            what: what.into(),
            breaks,
        }
    }
}

/// Every change from `old` to `new`, sorted by place.
pub fn diff(old: &Documents, new: &Documents) -> Vec<Change> {
    let mut changes = Vec::new();
    let paths: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let requests = request_schemas(new);
    for path in paths {
        let (a, b) = (old.get(path), new.get(path));
        if let Some(rest) = path.strip_prefix("references/") {
            let service = rest.split('/').next().unwrap_or(rest);
            if path.ends_with("/api.json") {
                api(service, a, b, &mut changes);
            } else if path.ends_with("/exchanges.json") {
                exchanges(service, a, b, &mut changes);
            }
        } else if path.starts_with("schemas/") {
            match (a, b) {
                (Some(a), Some(b)) => {
                    let mut walk = SchemaWalk {
                        file: path,
                        requests: &requests,
                        changes: &mut changes,
                    };
                    walk.node(&mut String::new(), a, b);
                }
                (None, Some(_)) => changes.push(Change::new(path.as_str(), "schema added", false)),
                (Some(_), None) => {
                    changes.push(Change::new(path.as_str(), "schema removed", false));
                }
                (None, None) => {}
            }
        }
    }
    changes.sort();
    changes
}

/// Renders `changes` as text, a line each, and a summary line.
pub fn render(changes: &[Change]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("no API changes\n");
        return out;
    }
    for change in changes {
        let verdict = if change.breaks {
            "BREAKS callers"
        } else {
            "compatible"
        };
        let _ = writeln!(out, "{verdict:<15} {}: {}", change.place, change.what);
    }
    let breaking = changes.iter().filter(|c| c.breaks).count();
    let _ = writeln!(
        out,
        "{} change(s), {breaking} of them break callers",
        changes.len()
    );
    out
}

fn entries(doc: Option<&Value>) -> BTreeMap<&str, &Value> {
    doc.and_then(|d| d.get("entries"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e.get("name")?.as_str()?, e)))
        .collect()
}

fn strings(value: Option<&Value>) -> Vec<&str> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn text<'a>(entry: &'a Value, key: &str) -> &'a str {
    entry.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn api(service: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    match (old, new) {
        (None, Some(_)) => out.push(Change::new(service, "service added", false)),
        (Some(_), None) => out.push(Change::new(service, "service removed", true)),
        _ => {}
    }
    let (old, new) = (entries(old), entries(new));
    for (name, entry) in &new {
        let Some(before) = old.get(name) else {
            let what = format!(
                "method added ({} {})",
                text(entry, "method").to_uppercase(),
                text(entry, "route")
            );
            out.push(Change::new(service, what, false));
            continue;
        };
        method(&format!("{service}.{name}"), before, entry, out);
    }
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        out.push(Change::new(
            service,
            format!("method `{name}` removed"),
            true,
        ));
    }
}

fn method(place: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let mut push = |what: String, breaks| out.push(Change::new(place, what, breaks));
    if text(old, "method") != text(new, "method") {
        push(
            format!(
                "HTTP method {} -> {}",
                text(old, "method").to_uppercase(),
                text(new, "method").to_uppercase()
            ),
            false,
        );
    }
    let (old_args, new_args) = (strings(old.get("args")), strings(new.get("args")));
    if old_args != new_args {
        push(format!("path arguments {old_args:?} -> {new_args:?}"), true);
    } else if text(old, "route") != text(new, "route") {
        push(
            format!("route {} -> {}", text(old, "route"), text(new, "route")),
            false,
        );
    }
    let (old_query, new_query) = (strings(old.get("query")), strings(new.get("query")));
    for q in new_query.iter().filter(|q| !old_query.contains(q)) {
        push(format!("query argument `{q}` added"), false);
    }
    for q in old_query.iter().filter(|q| !new_query.contains(q)) {
        push(format!("query argument `{q}` removed"), true);
    }
    for key in ["input", "output"] {
        let (a, b) = (text(old, key), text(new, key));
        if a != b {
            let show = |s: &str| {
                if s.is_empty() {
                    "none".to_owned()
                } else {
                    s.to_owned()
                }
            };
            push(format!("{key} {} -> {}", show(a), show(b)), true);
        }
    }
    if old.get("scopes") != new.get("scopes") {
        push("required scopes changed".to_owned(), false);
    }
    if text(old, "stability") != text(new, "stability") {
        push(
            format!(
                "stability {} -> {}",
                text(old, "stability"),
                text(new, "stability")
            ),
            false,
        );
    }
}

fn exchanges(service: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    let (old, new) = (entries(old), entries(new));
    let place = |name: &str| format!("{service}/exchanges.{name}");
    for (name, entry) in &new {
        let Some(before) = old.get(name) else {
            out.push(Change::new(
                service,
                format!("exchange `{name}` added"),
                false,
            ));
            continue;
        };
        let parts = |e: &Value| -> Vec<String> {
            e.get("routingKey")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| Some(p.get("name")?.as_str()?.to_owned()))
                .collect()
        };
        let (a, b) = (parts(before), parts(entry));
        for p in b.iter().filter(|p| !a.contains(p)) {
            out.push(Change::new(
                place(name),
                format!("routing-key part `{p}` added"),
                false,
            ));
        }
        for p in a.iter().filter(|p| !b.contains(p)) {
            out.push(Change::new(
                place(name),
                format!("routing-key part `{p}` removed"),
                true,
            ));
        }
        let common_a: Vec<&String> = a.iter().filter(|p| b.contains(p)).collect();
        let common_b: Vec<&String> = b.iter().filter(|p| a.contains(p)).collect();
        if common_a != common_b {
            out.push(Change::new(
                place(name),
                "routing-key parts reordered",
                false,
            ));
        }
        if text(before, "schema") != text(entry, "schema") {
            out.push(Change::new(
                place(name),
                format!(
                    "message schema {} -> {}",
                    text(before, "schema"),
                    text(entry, "schema")
                ),
                true,
            ));
        }
        if text(before, "exchange") != text(entry, "exchange") {
            out.push(Change::new(
                place(name),
                format!(
                    "exchange name {} -> {}",
                    text(before, "exchange"),
                    text(entry, "exchange")
                ),
                false,
            ));
        }
    }
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        out.push(Change::new(
            service,
            format!("exchange `{name}` removed"),
            true,
        ));
    }
}

/// The parts of schema files that requests are made of, as `(file, JSON pointer)`:
/// every entry's `input` (a whole file) and what those reach through `$ref`
/// (a file, or the part of one a sub-path `$ref` names), transitively.
fn request_schemas(docs: &Documents) -> BTreeSet<(String, String)> {
    let mut pending: Vec<(String, String)> = Vec::new();
    for (path, doc) in docs {
        if !(path.starts_with("references/") && path.ends_with("/api.json")) {
            continue;
        }
        let Some(service) = doc.get("serviceName").and_then(Value::as_str) else {
            continue;
        };
        for entry in entries(Some(doc)).values() {
            let input = text(entry, "input");
            if input.is_empty() {
                continue;
            }
            if let Ok(Some(file)) = reference_set::resolve(&format!("/schemas/{service}/"), input) {
                pending.push((file[1..].to_owned(), String::new()));
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some((path, pointer)) = pending.pop() {
        if !seen.insert((path.clone(), pointer.clone())) {
            continue;
        }
        let Some(node) = docs.get(&path).and_then(|doc| doc.pointer(&pointer)) else {
            continue;
        };
        let mut refs = Vec::new();
        collect_refs(node, &mut refs);
        for reference in refs {
            let Ok(Some(file)) = reference_set::resolve(&format!("/{path}"), reference) else {
                continue;
            };
            let fragment = reference.split_once('#').map_or("", |(_, f)| f);
            pending.push((file[1..].to_owned(), fragment.to_owned()));
        }
    }
    seen
}

/// Every string `$ref` below `value`.
fn collect_refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(s)) => out.push(s),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Whether the node at `pointer` of `file` is part of a request.
fn in_request(requests: &BTreeSet<(String, String)>, file: &str, pointer: &str) -> bool {
    requests.iter().any(|(path, root)| {
        path == file
            && pointer
                .strip_prefix(root.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Compares two versions of one schema file, node by node.
struct SchemaWalk<'a> {
    file: &'a str,
    /// The parts of schema files that requests are made of.
    requests: &'a BTreeSet<(String, String)>,
    changes: &'a mut Vec<Change>,
}

impl SchemaWalk<'_> {
    fn push(&mut self, pointer: &str, what: String, breaks: bool) {
        self.changes.push(Change::new(
            format!("{}#{pointer}", self.file),
            what,
            breaks,
        ));
    }

    fn node(&mut self, pointer: &mut String, old: &Value, new: &Value) {
        let (Some(a), Some(b)) = (old.as_object(), new.as_object()) else {
            return;
        };
        for key in ["type", "const", "$ref", "format"] {
            if a.get(key) != b.get(key) {
                let show =
                    |v: Option<&Value>| v.map_or_else(|| "none".to_owned(), Value::to_string);
                let what = format!("{key} {} -> {}", show(a.get(key)), show(b.get(key)));
                self.push(pointer, what, true);
            }
        }
        if a.get("title") != b.get("title") {
            self.push(
                pointer,
                "title changed (it names the generated type)".to_owned(),
                true,
            );
        }
        self.enum_values(pointer, a.get("enum"), b.get("enum"));
        self.properties(pointer, a, b);
        for key in ["oneOf", "anyOf", "allOf"] {
            self.alternatives(pointer, key, a.get(key), b.get(key));
        }
        for key in ["items", "additionalProperties", "not"] {
            if let (Some(x), Some(y)) = (a.get(key), b.get(key)) {
                let len = pointer.len();
                push_token(pointer, key);
                self.node(pointer, x, y);
                pointer.truncate(len);
            }
        }
        if let (Some(Value::Object(x)), Some(Value::Object(y))) =
            (a.get("definitions"), b.get("definitions"))
        {
            for (name, def) in y {
                let len = pointer.len();
                push_token(pointer, "definitions");
                push_token(pointer, name);
                match x.get(name) {
                    Some(before) => self.node(pointer, before, def),
                    None => self.push(pointer, "definition added".to_owned(), false),
                }
                pointer.truncate(len);
            }
            for name in x.keys().filter(|n| !y.contains_key(*n)) {
                let len = pointer.len();
                push_token(pointer, "definitions");
                push_token(pointer, name);
                self.push(pointer, "definition removed".to_owned(), true);
                pointer.truncate(len);
            }
        }
    }

    fn enum_values(&mut self, pointer: &str, old: Option<&Value>, new: Option<&Value>) {
        let values = |v: Option<&Value>| -> Vec<Value> {
            v.and_then(Value::as_array).cloned().unwrap_or_default()
        };
        let (a, b) = (values(old), values(new));
        for v in b.iter().filter(|v| !a.contains(v)) {
            self.push(pointer, format!("enum value {v} added"), false);
        }
        for v in a.iter().filter(|v| !b.contains(v)) {
            self.push(pointer, format!("enum value {v} removed"), true);
        }
    }

    fn properties(
        &mut self,
        pointer: &mut String,
        a: &serde_json::Map<String, Value>,
        b: &serde_json::Map<String, Value>,
    ) {
        let empty = serde_json::Map::new();
        let props = |m: &'_ serde_json::Map<String, Value>| -> serde_json::Map<String, Value> {
            m.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_else(|| empty.clone())
        };
        let (old, new) = (props(a), props(b));
        let (old_required, new_required) = (strings(a.get("required")), strings(b.get("required")));
        for (name, schema) in &new {
            let len = pointer.len();
            push_token(pointer, "properties");
            push_token(pointer, name);
            let required = new_required.contains(&name.as_str());
            match old.get(name) {
                None if required => {
                    let request = in_request(self.requests, self.file, pointer);
                    let what = if request {
                        "required field added (a request: `new(..)` takes it)"
                    } else {
                        "required field added"
                    };
                    self.push(pointer, what.to_owned(), request);
                }
                None => self.push(pointer, "optional field added".to_owned(), false),
                Some(before) => {
                    match (old_required.contains(&name.as_str()), required) {
                        (false, true) => {
                            self.push(pointer, "field made required".to_owned(), true);
                        }
                        (true, false) => {
                            self.push(pointer, "field made optional".to_owned(), true);
                        }
                        _ => {}
                    }
                    self.node(pointer, before, schema);
                }
            }
            pointer.truncate(len);
        }
        for name in old.keys().filter(|n| !new.contains_key(*n)) {
            let len = pointer.len();
            push_token(pointer, "properties");
            push_token(pointer, name);
            self.push(pointer, "field removed".to_owned(), true);
            pointer.truncate(len);
        }
    }

    fn alternatives(
        &mut self,
        pointer: &mut String,
        key: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        let list = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
        let (a, b) = (list(old), list(new));
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            let len = pointer.len();
            push_token(pointer, key);
            push_token(pointer, &i.to_string());
            self.node(pointer, x, y);
            pointer.truncate(len);
        }
        if b.len() > a.len() {
            self.push(
                pointer,
                format!("{} `{key}` alternative(s) added", b.len() - a.len()),
                key == "allOf",
            );
        } else if a.len() > b.len() {
            self.push(
                pointer,
                format!("{} `{key}` alternative(s) removed", a.len() - b.len()),
                true,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(api: Value, schema: Value) -> Documents {
        [
            ("references/w/v1/api.json".to_owned(), api),
            ("schemas/w/v1/req.json".to_owned(), schema),
        ]
        .into()
    }

    #[test]
    fn classifies_what_breaks_callers() {
        let api = |query: Value, extra: bool| {
            let mut entries = vec![json!({"name": "make", "type": "function", "method": "put",
                "route": "/w/<id>", "args": ["id"], "query": query, "input": "v1/req.json#"})];
            if extra {
                entries.push(json!({"name": "list", "type": "function", "method": "get",
                    "route": "/ws", "args": [], "query": []}));
            }
            json!({"serviceName": "w", "entries": entries})
        };
        let old = set(
            api(json!(["limit"]), false),
            json!({"type": "object", "required": ["a"], "properties": {
                "a": {"type": "string"}, "b": {"type": "string", "enum": ["x", "y"]},
                "c": {"type": "integer"}}}),
        );
        let new = set(
            api(json!(["limit", "since"]), true),
            json!({"type": "object", "required": ["a", "c", "d"], "properties": {
                "a": {"type": "string"}, "b": {"type": "string", "enum": ["x", "y", "z"]},
                "c": {"type": "integer"}, "d": {"type": "boolean"}, "e": {"type": "string"}}}),
        );
        let text = render(&diff(&old, &new));
        let expected = [
            "compatible      w: method added (GET /ws)",
            "compatible      w.make: query argument `since` added",
            "compatible      schemas/w/v1/req.json#/properties/b: enum value \"z\" added",
            "BREAKS callers  schemas/w/v1/req.json#/properties/c: field made required",
            "BREAKS callers  schemas/w/v1/req.json#/properties/d: required field added (a request: `new(..)` takes it)",
            "compatible      schemas/w/v1/req.json#/properties/e: optional field added",
            "6 change(s), 2 of them break callers",
        ];
        for line in expected {
            assert!(text.contains(line), "{line}\nnot in\n{text}");
        }
        assert_eq!(text.lines().count(), expected.len(), "{text}");
        // The other way round, everything that was added is removed, which breaks.
        let back = diff(&new, &old);
        assert!(
            back.iter()
                .any(|c| c.what == "method `list` removed" && c.breaks)
        );
        assert!(back.iter().any(|c| c.what == "field removed" && c.breaks));
        assert!(diff(&old, &old).is_empty());
        assert_eq!(render(&[]), "no API changes\n");
    }
}
