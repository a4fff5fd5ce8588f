//! Reads reference and schema files from an imported `references/` folder,
//! remembering every file read (the macro tracks them for rebuilds).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{CodegenError, Location, Result};

/// A reference set on disk, laid out as a deployment serves it
/// (`references/...`, `schemas/...`).
#[derive(Debug)]
pub struct Loader {
    root: PathBuf,
    cache: BTreeMap<String, Value>,
    read: BTreeSet<PathBuf>,
}

impl Loader {
    /// Opens the reference set at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        if !root.join("references").join("manifest.json").is_file() {
            return Err(CodegenError::NoReferences(root));
        }
        Ok(Loader {
            root,
            cache: BTreeMap::new(),
            read: BTreeSet::new(),
        })
    }

    /// The folder the set lives in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every file read so far.
    pub fn files_read(&self) -> impl Iterator<Item = &Path> {
        self.read.iter().map(PathBuf::as_path)
    }

    /// The file behind a root-relative path (`/schemas/queue/v1/task.json`).
    pub fn path_of(&self, file: &str) -> PathBuf {
        self.root.join(file.trim_start_matches('/'))
    }

    /// Loads (once) and answers the JSON of a root-relative file.
    pub fn load(&mut self, file: &str, location: &Location) -> Result<&Value> {
        if !self.cache.contains_key(file) {
            let path = self.path_of(file);
            let bytes = std::fs::read(&path).map_err(|source| CodegenError::Read {
                location: location.clone().into(),
                path: path.clone(),
                source,
            })?;
            self.read.insert(path.clone());
            let value: Value = serde_json::from_slice(&bytes).map_err(|e| CodegenError::Json {
                location: Box::new(Location {
                    file: Some(file.to_owned()),
                    ..location.clone()
                }),
                path: path.clone(),
                message: e.to_string(),
            })?;
            self.cache.insert(file.to_owned(), value);
        }
        self.cache.get(file).ok_or_else(|| CodegenError::Invalid {
            location: location.clone().into(),
            message: format!("{file} vanished from the cache"),
        })
    }
}

/// Splits a `$ref` (relative to the file `base`) into the root-relative file
/// and the JSON pointer (`""` for the whole file).
pub fn resolve_ref(base: &str, reference: &str) -> std::result::Result<(String, String), String> {
    let (file_part, pointer) = match reference.split_once('#') {
        Some((file, pointer)) => (file, pointer),
        None => (reference, ""),
    };
    if file_part.contains("://") {
        return Err("references to other hosts are not supported".into());
    }
    let file = if file_part.is_empty() {
        base.to_owned()
    } else if file_part.starts_with('/') {
        file_part.to_owned()
    } else {
        let dir = base.rsplit_once('/').map_or("", |(dir, _)| dir);
        let mut parts: Vec<&str> = dir.split('/').collect();
        for piece in file_part.split('/') {
            match piece {
                "." | "" => {}
                ".." => {
                    if parts.len() <= 1 {
                        return Err("the path climbs above the root".into());
                    }
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        parts.join("/")
    };
    Ok((file, pointer.to_owned()))
}

/// The value at a JSON pointer.
pub fn at_pointer<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() || pointer == "/" {
        return Some(value);
    }
    value.pointer(pointer)
}

/// The schema file of an API entry's `input`/`output` or an exchange's
/// `schema` (`v1/task.json#` relative to `/schemas/<service>/`).
pub fn schema_file(service: &str, relative: &str) -> String {
    let relative = relative.split('#').next().unwrap_or(relative);
    if relative.starts_with('/') {
        relative.to_owned()
    } else {
        format!("/schemas/{service}/{relative}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_resolve_like_urls() {
        let base = "/schemas/queue/v1/create-task-request.json";
        assert_eq!(
            resolve_ref(base, "task.json#/properties/priority").unwrap(),
            (
                "/schemas/queue/v1/task.json".into(),
                "/properties/priority".into()
            )
        );
        assert_eq!(
            resolve_ref(base, "#/definitions/x").unwrap(),
            (base.into(), "/definitions/x".into())
        );
        assert_eq!(
            resolve_ref(base, "./task.json#").unwrap(),
            ("/schemas/queue/v1/task.json".into(), "".into())
        );
        assert_eq!(
            resolve_ref(base, "../../common/a.json").unwrap(),
            ("/schemas/common/a.json".into(), "".into())
        );
        assert!(resolve_ref(base, "http://json-schema.org/draft-06/schema#").is_err());
    }
}
