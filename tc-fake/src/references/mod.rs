//! The reference set the fake serves: every service's API entries and every
//! schema file, read once at start.

pub(crate) mod message_schemas;
pub(crate) mod validation;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tc_codegen::loader::Loader;
use tc_codegen::model;

use crate::fake_error::FakeError;

/// The reference set beside the crate (`tc-fake/references`, a link to the
/// workspace's imported `references/`).
pub(crate) const DEFAULT_REFERENCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/references");

/// One service's API: the model tc-codegen builds from the references.
pub(crate) type ServiceApi = model::Service;

/// One API entry of a service's model.
pub(crate) type Route = model::Entry;

/// Every service's API and every schema file of a reference set.
#[derive(Debug)]
pub(crate) struct References {
    /// By service name.
    pub services: BTreeMap<String, ServiceApi>,
    /// Every JSON file under `schemas/`, by root-relative path
    /// (`/schemas/queue/v1/task.json`).
    pub schemas: BTreeMap<String, Value>,
    /// Every exchange's message schema: full exchange name
    /// (`exchange/taskcluster-queue/v1/task-pending`) → root-relative path.
    pub exchanges: BTreeMap<String, String>,
}

impl References {
    /// Reads the reference set at `root` (the folder holding `references/`
    /// and `schemas/`).
    pub fn load(root: &Path) -> Result<Self, FakeError> {
        let missing = |message: String| FakeError::References {
            path: root.to_path_buf(),
            message,
        };
        if !root.join("references").join("manifest.json").is_file() {
            return Err(missing("there is no references/manifest.json".into()));
        }
        let mut loader = Loader::new(root).map_err(|e| missing(e.to_string()))?;
        let services: BTreeMap<String, ServiceApi> = model::services(&mut loader)
            .map_err(|e| missing(e.to_string()))?
            .into_iter()
            .map(|service| (service.name.clone(), service))
            .collect();
        if services.is_empty() {
            return Err(missing("the manifest lists no api.json".into()));
        }
        let exchanges = services
            .values()
            .flat_map(|service| service.exchanges.iter().flat_map(|e| &e.exchanges))
            .map(|exchange| (exchange.full_name.clone(), exchange.schema.clone()))
            .collect();

        let mut schemas = BTreeMap::new();
        let schema_root = root.join("schemas");
        let mut files = Vec::new();
        collect_json(&schema_root, &mut files)
            .map_err(|e| missing(format!("reading {}: {e}", schema_root.display())))?;
        for path in files {
            let relative = path
                .strip_prefix(root)
                .map_err(|e| missing(e.to_string()))?
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&path)
                .map_err(|e| missing(format!("reading {}: {e}", path.display())))?;
            let value: Value = serde_json::from_slice(&bytes)
                .map_err(|e| missing(format!("{}: {e}", path.display())))?;
            schemas.insert(format!("/{relative}"), value);
        }
        Ok(References {
            services,
            schemas,
            exchanges,
        })
    }
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_imported_set_loads() {
        let refs = References::load(Path::new(crate::references::DEFAULT_REFERENCES)).unwrap();
        assert!(refs.services.contains_key("queue"));
        assert!(refs.services.contains_key("purge-cache"));
        assert!(refs.schemas.contains_key("/schemas/queue/v1/task.json"));
        assert!(refs.services["queue"].entry("createTask").is_some());
        assert_eq!(
            refs.exchanges["exchange/taskcluster-queue/v1/task-defined"],
            "/schemas/queue/v1/task-defined-message.json"
        );
    }
}
