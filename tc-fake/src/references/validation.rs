//! JSON-schema validation of request and response bodies, with the schemas of
//! the reference set.
//!
//! One validator per schema file, compiled on first use and cached. Every
//! schema gets the absolute base URI `https://tc-fake.invalid<path>` (its `$id`,
//! `/schemas/<service>/v1/<file>.json#`, resolved against that host), so the
//! relative `$ref`s of the references (`task.json#`, `#/definitions/x`,
//! `../../common/...`) resolve through an in-memory retriever over every file of
//! `schemas/`; nothing is fetched from the network. The references declare
//! `$schema: /schemas/common/metaschema.json#`, Taskcluster's name for draft 06,
//! so validation uses draft 06 throughout.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use jsonschema::{Draft, Retrieve, Uri, Validator};
use serde_json::Value;

/// The scheme and host every schema's URI is given.
const BASE: &str = "https://tc-fake.invalid";

/// The `$schema` of draft 06, written in place of Taskcluster's metaschemas.
const DRAFT_06: &str = "http://json-schema.org/draft-06/schema#";

/// The schemas of a reference set and their compiled validators.
pub(crate) struct Schemas {
    files: Arc<BTreeMap<String, Value>>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas")
            .field("files", &self.files.len())
            .finish_non_exhaustive()
    }
}

impl Schemas {
    /// The schema files, by root-relative path (`/schemas/queue/v1/task.json`).
    pub fn new(files: BTreeMap<String, Value>) -> Self {
        let files = files
            .into_iter()
            .map(|(path, mut value)| {
                if let Some(object) = value.as_object_mut()
                    && object
                        .get("$schema")
                        .and_then(Value::as_str)
                        .is_some_and(|s| !s.starts_with("http://json-schema.org/"))
                {
                    object.insert("$schema".into(), Value::String(DRAFT_06.into()));
                }
                (path, value)
            })
            .collect();
        Schemas {
            files: Arc::new(files),
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// The validator of a schema file (compiled once).
    pub fn validator(&self, path: &str) -> Result<Arc<Validator>, String> {
        if let Some(v) = self.lock().get(path) {
            return Ok(v.clone());
        }
        let schema = self
            .files
            .get(path)
            .ok_or_else(|| format!("no schema file {path} in the references"))?;
        let validator = jsonschema::options()
            .with_draft(Draft::Draft6)
            .with_base_uri(format!("{BASE}{path}"))
            .with_retriever(MemoryRetriever(self.files.clone()))
            .build(schema)
            .map_err(|e| format!("cannot compile {path}: {e}"))?;
        let validator = Arc::new(validator);
        self.lock().insert(path.to_owned(), validator.clone());
        Ok(validator)
    }

    /// Validates `instance` against the schema file `path`; the error lists
    /// every violation with its location.
    pub fn validate(&self, path: &str, instance: &Value) -> Result<(), String> {
        let validator = self.validator(path)?;
        let mut errors = validator.iter_errors(instance).peekable();
        if errors.peek().is_none() {
            return Ok(());
        }
        let mut message = format!("Schema validation failed against {path}:");
        for error in errors {
            let at = error.instance_path().to_string();
            let at = if at.is_empty() { "/".to_owned() } else { at };
            let _ = write!(message, "\n  * at {at}: {error}");
        }
        Err(message)
    }

    /// Fills in the `default`s the schema gives for missing properties, as
    /// Taskcluster's validator (ajv with `useDefaults`) does: through
    /// `properties`, `items`, `allOf` and `$ref`s, not inside `anyOf`/`oneOf`.
    pub fn apply_defaults(&self, path: &str, instance: &mut Value) {
        if let Some(schema) = self.files.get(path) {
            self.defaults_at(path, schema, instance, 0);
        }
    }

    fn defaults_at(&self, file: &str, schema: &Value, instance: &mut Value, depth: usize) {
        if depth > 32 {
            return;
        }
        let Some(schema) = schema.as_object() else {
            return;
        };
        if let Some(Value::String(reference)) = schema.get("$ref") {
            if let Some((target_file, target)) = self.resolve(file, reference) {
                self.defaults_at(&target_file, target, instance, depth + 1);
            }
            // Draft 06: siblings of `$ref` are ignored.
            return;
        }
        if let Some(Value::Array(all)) = schema.get("allOf") {
            for sub in all {
                self.defaults_at(file, sub, instance, depth + 1);
            }
        }
        match instance {
            Value::Object(object) => {
                if let Some(Value::Object(properties)) = schema.get("properties") {
                    for (name, sub) in properties {
                        if !object.contains_key(name)
                            && let Some(default) = self.default_of(file, sub, depth)
                        {
                            object.insert(name.clone(), default);
                        }
                        if let Some(value) = object.get_mut(name) {
                            self.defaults_at(file, sub, value, depth + 1);
                        }
                    }
                }
            }
            Value::Array(items) => match schema.get("items") {
                Some(sub @ Value::Object(_)) => {
                    for item in items {
                        self.defaults_at(file, sub, item, depth + 1);
                    }
                }
                Some(Value::Array(subs)) => {
                    for (item, sub) in items.iter_mut().zip(subs) {
                        self.defaults_at(file, sub, item, depth + 1);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }

    /// The `default` of a property schema (following `$ref`s).
    fn default_of(&self, file: &str, schema: &Value, depth: usize) -> Option<Value> {
        if depth > 32 {
            return None;
        }
        let object = schema.as_object()?;
        if let Some(Value::String(reference)) = object.get("$ref") {
            let (target_file, target) = self.resolve(file, reference)?;
            return self.default_of(&target_file, target, depth + 1);
        }
        object.get("default").cloned()
    }

    fn resolve(&self, file: &str, reference: &str) -> Option<(String, &Value)> {
        let (target_file, pointer) = tc_codegen::loader::resolve_ref(file, reference).ok()?;
        let document = self.files.get(&target_file)?;
        let target = tc_codegen::loader::at_pointer(document, &pointer)?;
        Some((target_file, target))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Validator>>> {
        self.validators
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Serves `https://tc-fake.invalid/schemas/...` from the loaded files.
struct MemoryRetriever(Arc<BTreeMap<String, Value>>);

impl Retrieve for MemoryRetriever {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let text = uri.as_str();
        let path = text
            .strip_prefix(BASE)
            .ok_or_else(|| format!("tc-fake resolves only its own schemas, not {text}"))?;
        let path = path.split('#').next().unwrap_or(path);
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| format!("no schema file {path} in the references").into())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;
    use crate::references::References;

    fn schemas() -> Schemas {
        let refs = References::load(Path::new(crate::references::DEFAULT_REFERENCES)).unwrap();
        Schemas::new(refs.schemas)
    }

    #[test]
    fn every_schema_compiles() {
        let schemas = schemas();
        let paths: Vec<String> = schemas.files.keys().cloned().collect();
        let mut failures = Vec::new();
        for path in paths {
            if let Err(e) = schemas.validator(&path) {
                failures.push(e);
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn cross_file_refs_validate() {
        let schemas = schemas();
        let path = "/schemas/queue/v1/create-task-request.json";
        let error = schemas.validate(path, &json!({})).unwrap_err();
        assert!(
            error.contains("\"payload\" is a required property"),
            "{error}"
        );
        // `priority` is a $ref into task.json; a bad value is caught through it.
        let mut task = json!({
            "taskQueueId": "proj/worker",
            "schedulerId": "-",
            "taskGroupId": "fNDMpOlVQkq4lsh3M3YdwA",
            "created": "2024-01-01T00:00:00.000Z",
            "deadline": "2024-01-02T00:00:00.000Z",
            "payload": {},
            "metadata": {
                "name": "t", "description": "d",
                "owner": "me@example.com", "source": "https://example.com"
            }
        });
        schemas.validate(path, &task).unwrap();
        let mut late = task.clone();
        late["created"] = json!("yesterday");
        let error = schemas.validate(path, &late).unwrap_err();
        assert!(error.contains("/created"), "formats are checked: {error}");
        task["priority"] = json!("urgent-ish");
        let error = schemas.validate(path, &task).unwrap_err();
        assert!(error.contains("/priority"), "{error}");
    }

    #[test]
    fn defaults_are_filled_in() {
        let schemas = schemas();
        let mut task = json!({"payload": {}, "metadata": {}});
        schemas.apply_defaults("/schemas/queue/v1/create-task-request.json", &mut task);
        assert_eq!(task["priority"], json!("lowest"), "{task}");
        assert_eq!(task["retries"], json!(5), "{task}");
    }

    #[test]
    fn nothing_is_fetched_from_elsewhere() {
        let retriever = MemoryRetriever(Arc::new(BTreeMap::new()));
        let uri = jsonschema::uri::from_str("http://json-schema.org/draft-06/schema").unwrap();
        assert!(retriever.retrieve(&uri).is_err());
    }
}
