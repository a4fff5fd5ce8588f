//! The reference set the fake serves: every service's API entries and every
//! schema file, read once at start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tc_codegen::Location;
use tc_codegen::loader::Loader;
use tc_codegen::reference::{ApiEntry, ApiReference, ExchangesReference, Manifest};

use crate::FakeError;

/// One part of an entry's route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Must be exactly this text.
    Literal(String),
    /// A path argument (`<taskId>`).
    Arg(String),
}

/// An API entry with its route split into segments.
#[derive(Debug)]
pub(crate) struct Route {
    pub entry: ApiEntry,
    /// The route's segments after the leading `/` (`/task/<taskId>` →
    /// `[task, <taskId>]`; a trailing `/` gives a final empty literal).
    pub segments: Vec<Segment>,
    /// Upper-case HTTP method.
    pub method: String,
}

/// One service's API.
#[derive(Debug)]
pub(crate) struct ServiceApi {
    pub name: String,
    pub version: String,
    pub routes: Vec<Route>,
}

impl ServiceApi {
    /// The route of the entry called `name`.
    pub fn route(&self, name: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.entry.name == name)
    }
}

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
        let location = Location::default();
        let manifest: Manifest = serde_json::from_value(
            loader
                .load("/references/manifest.json", &location)
                .map_err(|e| missing(e.to_string()))?
                .clone(),
        )
        .map_err(|e| missing(format!("references/manifest.json: {e}")))?;

        let apis: Vec<ApiReference> =
            typed_files(&mut loader, &manifest.references, "/api.json", &missing)?;
        let exchange_refs: Vec<ExchangesReference> = typed_files(
            &mut loader,
            &manifest.references,
            "/exchanges.json",
            &missing,
        )?;

        let mut services = BTreeMap::new();
        for api in apis {
            let routes = api
                .entries
                .into_iter()
                .filter(|entry| entry.kind == "function")
                .map(|entry| Route {
                    segments: split_route(&entry.route),
                    method: entry.method.to_ascii_uppercase(),
                    entry,
                })
                .collect();
            services.insert(
                api.service_name.clone(),
                ServiceApi {
                    name: api.service_name,
                    version: api.api_version,
                    routes,
                },
            );
        }
        if services.is_empty() {
            return Err(missing("the manifest lists no api.json".into()));
        }

        let mut exchanges = BTreeMap::new();
        for reference in exchange_refs {
            for entry in reference.entries {
                exchanges.insert(
                    format!("{}{}", reference.exchange_prefix, entry.exchange),
                    crate::message_schemas::schema_path(&reference.service_name, &entry.schema),
                );
            }
        }

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

/// Every file of `files` whose name ends with `suffix`, read through `loader`
/// and typed.
fn typed_files<T: serde::de::DeserializeOwned>(
    loader: &mut Loader,
    files: &[String],
    suffix: &str,
    missing: &dyn Fn(String) -> FakeError,
) -> Result<Vec<T>, FakeError> {
    let location = Location::default();
    files
        .iter()
        .filter(|f| f.ends_with(suffix))
        .map(|file| {
            let value = loader
                .load(file, &location)
                .map_err(|e| missing(e.to_string()))?
                .clone();
            serde_json::from_value(value).map_err(|e| missing(format!("{file}: {e}")))
        })
        .collect()
}

/// `/task/<taskId>/status` → `[Literal(task), Arg(taskId), Literal(status)]`.
pub(crate) fn split_route(route: &str) -> Vec<Segment> {
    route
        .strip_prefix('/')
        .unwrap_or(route)
        .split('/')
        .map(
            |part| match part.strip_prefix('<').and_then(|p| p.strip_suffix('>')) {
                Some(arg) => Segment::Arg(arg.to_owned()),
                None => Segment::Literal(part.to_owned()),
            },
        )
        .collect()
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
    fn routes_split_into_segments() {
        assert_eq!(
            split_route("/task/<taskId>/status"),
            vec![
                Segment::Literal("task".into()),
                Segment::Arg("taskId".into()),
                Segment::Literal("status".into())
            ]
        );
        assert_eq!(
            split_route("/clients/"),
            vec![
                Segment::Literal("clients".into()),
                Segment::Literal("".into())
            ]
        );
    }

    #[test]
    fn the_imported_set_loads() {
        let refs = References::load(Path::new(crate::DEFAULT_REFERENCES)).unwrap();
        assert!(refs.services.contains_key("queue"));
        assert!(refs.services.contains_key("purge-cache"));
        assert!(refs.schemas.contains_key("/schemas/queue/v1/task.json"));
        assert!(refs.services["queue"].route("createTask").is_some());
    }
}
