// Included from services/mod.rs under #[cfg(test)]: all of this file is test code.
//! Validation of answers against the output schemas of the references,
//! with cross-file `$ref`s resolved from the references directory.

use std::sync::OnceLock;

use serde_json::Value;

/// The reference set the unit tests read.
fn references_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(crate::references::DEFAULT_REFERENCES)
}

struct Retriever;

impl jsonschema::Retrieve for Retriever {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = uri.path().as_str();
        let rel = path
            .strip_prefix("/schemas/")
            .ok_or_else(|| format!("unexpected schema uri {uri}"))?;
        let file = references_dir().join("schemas").join(rel);
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let mut value: Value = serde_json::from_str(&text)?;
        strip_meta(&mut value);
        Ok(value)
    }
}

/// Taskcluster's `$schema` points at its own metaschema; validate as
/// draft 6 (what it extends) instead.
fn strip_meta(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.remove("$schema");
    }
}

fn root_uri(service: &str, output: &str) -> String {
    let file = output.trim_end_matches('#');
    format!("https://tc-fake.invalid/schemas/{service}/{file}")
}

/// Panics when `body` does not match the output schema `output` of
/// `service` (`v1/task-status-response.json#`).
pub fn validate(service: &str, output: &str, body: &Value) {
    static CACHE: OnceLock<
        std::sync::Mutex<std::collections::BTreeMap<String, std::sync::Arc<jsonschema::Validator>>>,
    > = OnceLock::new();
    let key = format!("{service}/{output}");
    let cache = CACHE.get_or_init(Default::default);
    let existing = crate::support::sync::lock(cache).get(&key).cloned();
    let validator = match existing {
        Some(v) => v,
        None => {
            let file = references_dir()
                .join("schemas")
                .join(service)
                .join(output.trim_end_matches('#'));
            let text = std::fs::read_to_string(&file).unwrap();
            let mut schema: Value = serde_json::from_str(&text).unwrap();
            strip_meta(&mut schema);
            if let Some(map) = schema.as_object_mut() {
                map.insert("$id".into(), Value::String(root_uri(service, output)));
            }
            let v = std::sync::Arc::new(
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft6)
                    .should_validate_formats(true)
                    .with_retriever(Retriever)
                    .build(&schema)
                    .unwrap_or_else(|e| panic!("schema {key}: {e}")),
            );
            crate::support::sync::lock(cache).insert(key.clone(), v.clone());
            v
        }
    };
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{key}: {errors:?}\nbody: {body:#}");
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn validation_resolves_cross_file_refs() {
        super::validate(
            "queue",
            "v1/task-status-response.json#",
            &json!({"status": {
                "taskId": "fN1SbArXTPSVFNUvaOlinQ", "provisionerId": "p", "workerType": "w", "taskQueueId": "p/w",
                "schedulerId": "-", "projectId": "none", "taskGroupId": "fN1SbArXTPSVFNUvaOlinQ",
                "deadline": "2026-11-24T10:00:00.000Z", "expires": "2027-11-24T10:00:00.000Z",
                "retriesLeft": 5, "state": "unscheduled", "runs": [],
            }}),
        );
    }

    #[test]
    #[should_panic(expected = "task-status-response")]
    fn validation_catches_bad_nested_bodies() {
        super::validate(
            "queue",
            "v1/task-status-response.json#",
            &json!({"status": {
                "taskId": "not a slug", "state": "bogus",
            }}),
        );
    }

    #[test]
    #[should_panic(expected = "scopeset")]
    fn validation_catches_bad_formats() {
        super::validate("auth", "v1/scopeset.json#", &json!({"scopes": ["a", "a"]}));
    }

    #[test]
    #[should_panic(expected = "date-time")]
    fn validation_checks_date_time_formats() {
        super::validate(
            "secrets",
            "v1/secret.json#",
            &json!({"secret": {}, "expires": "tomorrow"}),
        );
    }
}
