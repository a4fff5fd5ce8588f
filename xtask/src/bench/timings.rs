//! Reading a `cargo build --timings` report: the units it compiled, the longest
//! one, and the critical path through the package graph.
//!
//! cargo writes `target/cargo-timings/cargo-timing.html` with the units as JSON
//! (`const UNIT_DATA = [...]`): name, version, target (`""` for a library,
//! `" build-script"`, `" build-script (run)"`, ...), duration in seconds,
//! and, for rustc units, where the front end (whose end is when dependents may
//! start, from the metadata) gave way to code generation. The report does not hold
//! the dependency graph; `cargo metadata` does, at the level of packages. The
//! critical path is the longest chain of packages by that graph, each adding its
//! units' time: a package waits for the metadata of a library it depends on and
//! for the whole of a proc-macro or build dependency (a proc macro waits for the
//! whole of each of its dependencies, and the binary, being linked, for the whole
//! of every package). It is a property of the
//! graph and the unit times, not of how cargo happened to order the units on
//! this machine's cores.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Error, Result};

/// One unit of a timing report.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// The target, as cargo words it (`""` for a library, `" build-script (run)"`).
    pub target: String,
    /// Seconds the unit took.
    pub duration: f64,
    /// Seconds from the unit's start until its front end ended (its metadata was
    /// ready), when the report says.
    pub frontend: Option<f64>,
}

impl Unit {
    /// `name version` and the target when it is not the library.
    pub fn label(&self) -> String {
        let target = self.target.trim();
        if target.is_empty() {
            format!("{} {}", self.name, self.version)
        } else {
            format!("{} {} ({target})", self.name, self.version)
        }
    }
}

/// The units of the report `html`.
///
/// # Errors
///
/// When the report has no unit data or it is not the JSON cargo writes.
pub fn read_units(html: &str) -> Result<Vec<Unit>> {
    const MARK: &str = "const UNIT_DATA = ";
    let start = html
        .find(MARK)
        .map(|i| i + MARK.len())
        .ok_or_else(|| Error::msg("the timing report has no `const UNIT_DATA`"))?;
    let rest = &html[start..];
    let end = rest
        .find("];")
        .map(|i| i + 1)
        .ok_or_else(|| Error::msg("the timing report's UNIT_DATA does not end"))?;
    let data: Vec<Value> = serde_json::from_str(&rest[..end])
        .map_err(|e| Error::msg(format!("the timing report's UNIT_DATA: {e}")))?;
    data.iter().map(unit).collect()
}

fn unit(value: &Value) -> Result<Unit> {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let number = |key: &str| value.get(key).and_then(Value::as_f64);
    let frontend = value
        .get("sections")
        .and_then(Value::as_array)
        .and_then(|sections| {
            sections.iter().find_map(|section| {
                (section.get(0)?.as_str()? == "frontend")
                    .then(|| section.get(1)?.get("end")?.as_f64())?
            })
        });
    Ok(Unit {
        name: text("name").ok_or_else(|| Error::msg(format!("a unit without a name: {value}")))?,
        version: text("version").unwrap_or_default(),
        target: text("target").unwrap_or_default(),
        duration: number("duration")
            .ok_or_else(|| Error::msg(format!("a unit without a duration: {value}")))?,
        frontend,
    })
}

/// The unit that took longest.
pub fn longest(units: &[Unit]) -> Option<&Unit> {
    units
        .iter()
        .max_by(|a, b| a.duration.total_cmp(&b.duration))
}

/// The packages of a build and what each needs before it can start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// `(name, version)` of each package, by package id.
    pub packages: BTreeMap<String, (String, String)>,
    /// By package id: `(dependency id, whole)`, where `whole` says the package
    /// waits for all of the dependency (a proc macro or a build dependency), not
    /// only its metadata.
    pub deps: BTreeMap<String, Vec<(String, bool)>>,
    /// The root package (the binary built).
    pub root: Option<String>,
}

/// The package graph of `cargo metadata --format-version 1` output (dev
/// dependencies left out).
///
/// # Errors
///
/// When it is not cargo's metadata JSON.
pub fn read_graph(metadata: &str) -> Result<Graph> {
    let value: Value = serde_json::from_str(metadata)
        .map_err(|e| Error::msg(format!("cargo metadata output: {e}")))?;
    let mut graph = Graph::default();
    let mut proc_macros = BTreeSet::new();
    for package in value["packages"].as_array().into_iter().flatten() {
        let (Some(id), Some(name), Some(version)) = (
            package["id"].as_str(),
            package["name"].as_str(),
            package["version"].as_str(),
        ) else {
            continue;
        };
        graph
            .packages
            .insert(id.to_owned(), (name.to_owned(), version.to_owned()));
        let is_proc_macro = package["targets"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|t| {
                t["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|k| k == "proc-macro"))
            });
        if is_proc_macro {
            proc_macros.insert(id.to_owned());
        }
    }
    let resolve = &value["resolve"];
    graph.root = resolve["root"].as_str().map(str::to_owned);
    for node in resolve["nodes"].as_array().into_iter().flatten() {
        let Some(id) = node["id"].as_str() else {
            continue;
        };
        let mut deps = Vec::new();
        for dep in node["deps"].as_array().into_iter().flatten() {
            let Some(pkg) = dep["pkg"].as_str() else {
                continue;
            };
            let kinds: Vec<&Value> = dep["dep_kinds"].as_array().into_iter().flatten().collect();
            let normal = kinds.iter().any(|k| k["kind"].is_null());
            let build = kinds.iter().any(|k| k["kind"] == "build");
            if !normal && !build {
                continue;
            }
            // A proc macro is linked, so it needs its dependencies whole, as does
            // a build script; a library needs only their metadata.
            let whole = build || proc_macros.contains(pkg) || proc_macros.contains(id);
            deps.push((pkg.to_owned(), whole));
        }
        graph.deps.insert(id.to_owned(), deps);
    }
    Ok(graph)
}

/// A chain of packages, each waiting on the one before.
#[derive(Debug, Clone, PartialEq)]
pub struct CriticalPath {
    /// Seconds from the start of the first package to the end of the last.
    pub seconds: f64,
    /// `(label, seconds its units took)`, first to last.
    pub steps: Vec<(String, f64)>,
}

/// Time per package: `(all its units, until its library's metadata)`.
fn package_times(units: &[Unit]) -> BTreeMap<(String, String), (f64, f64)> {
    let mut by_target: BTreeMap<(String, String, String), (f64, f64)> = BTreeMap::new();
    for unit in units {
        let key = (unit.name.clone(), unit.version.clone(), unit.target.clone());
        let rmeta = unit.frontend.unwrap_or(unit.duration);
        // A package built twice (for the host and the target) is built side by side:
        // the longer one counts.
        let entry = by_target.entry(key).or_insert((0.0, 0.0));
        if unit.duration > entry.0 {
            *entry = (unit.duration, rmeta);
        }
    }
    let mut out: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for ((name, version, target), (duration, rmeta)) in by_target {
        let entry = out.entry((name, version)).or_insert((0.0, 0.0));
        // Build script compile and run come before the library; the library's
        // metadata comes `rmeta` into the library.
        if target.trim().is_empty() {
            entry.1 += rmeta;
        } else {
            entry.1 += duration;
        }
        entry.0 += duration;
    }
    out
}

/// The critical path of `graph` with the unit times of `units`, ending at the
/// graph's root.
pub fn critical_path(graph: &Graph, units: &[Unit]) -> Option<CriticalPath> {
    let times = package_times(units);
    let time_of = |id: &str| {
        graph
            .packages
            .get(id)
            .and_then(|key| times.get(key))
            .copied()
            .unwrap_or((0.0, 0.0))
    };
    // Longest finish (whole, metadata) of each package, with the dependency it waited on.
    let mut memo: BTreeMap<String, (f64, f64, Option<String>)> = BTreeMap::new();
    let root = graph.root.clone()?;
    // Iterative depth-first post-order (the graph is a DAG: cargo refuses cycles).
    let mut stack: Vec<(String, bool)> = vec![(root.clone(), false)];
    let mut visiting = BTreeSet::new();
    while let Some((id, expanded)) = stack.pop() {
        if memo.contains_key(&id) {
            continue;
        }
        let deps = graph.deps.get(&id).cloned().unwrap_or_default();
        if !expanded {
            if !visiting.insert(id.clone()) {
                continue;
            }
            stack.push((id.clone(), true));
            for (dep, _) in &deps {
                if !memo.contains_key(dep) {
                    stack.push((dep.clone(), false));
                }
            }
            continue;
        }
        let mut ready = 0.0_f64;
        let mut waited = None;
        if id == root {
            // The binary is linked: every package must be whole.
            for (dep, finish) in &memo {
                if finish.0 > ready {
                    ready = finish.0;
                    waited = Some(dep.clone());
                }
            }
        }
        for (dep, whole) in &deps {
            let (full, meta, _) = memo.get(dep).cloned().unwrap_or((0.0, 0.0, None));
            let at = if *whole { full } else { meta };
            if at > ready {
                ready = at;
                waited = Some(dep.clone());
            }
        }
        let (all, until_meta) = time_of(&id);
        memo.insert(id, (ready + all, ready + until_meta, waited));
    }
    let mut steps = Vec::new();
    let mut cursor = Some(root.clone());
    while let Some(id) = cursor {
        let (name, version) = graph.packages.get(&id).cloned().unwrap_or_default();
        steps.push((format!("{name} {version}"), time_of(&id).0));
        cursor = memo.get(&id).and_then(|m| m.2.clone());
    }
    steps.reverse();
    let seconds = memo.get(&root).map_or(0.0, |m| m.0);
    Some(CriticalPath { seconds, steps })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTML: &str = r#"<script>
const UNIT_DATA = [
  {"i":0,"name":"syn","version":"3.0.0","mode":"todo","target":"","features":[],"start":0.5,"duration":3.0,"unblocked_units":[],"unblocked_rmeta_units":[],"sections":[["frontend",{"start":0.0,"end":2.0}],["codegen",{"start":2.0,"end":3.0}]]},
  {"i":1,"name":"derive","version":"1.0.0","mode":"todo","target":"","features":[],"start":3.5,"duration":1.0,"unblocked_units":[],"unblocked_rmeta_units":[],"sections":null},
  {"i":2,"name":"runtime","version":"1.0.0","mode":"todo","target":" build-script","features":[],"start":0.5,"duration":0.5,"unblocked_units":[],"unblocked_rmeta_units":[],"sections":null},
  {"i":3,"name":"runtime","version":"1.0.0","mode":"todo","target":" build-script (run)","features":[],"start":1.0,"duration":0.25,"unblocked_units":[],"unblocked_rmeta_units":[],"sections":null},
  {"i":4,"name":"runtime","version":"1.0.0","mode":"todo","target":"","features":[],"start":1.25,"duration":4.0,"unblocked_units":[],"unblocked_rmeta_units":[],"sections":[["frontend",{"start":0.0,"end":1.0}],["codegen",{"start":1.0,"end":4.0}]]},
  {"i":5,"name":"app","version":"0.0.0","mode":"todo","target":" app \"bin\"","features":[],"start":5.25,"duration":0.5,"unblocked_units":[],"unblocked_rmeta_units":[],"sections":null}
];
</script>"#;

    fn metadata() -> String {
        let dep = |pkg: &str, kind: Value| serde_json::json!({"name": pkg, "pkg": pkg, "dep_kinds": [{"kind": kind, "target": null}]});
        let lib = serde_json::json!([{"kind": ["lib"]}]);
        serde_json::json!({
            "packages": [
                {"id": "syn", "name": "syn", "version": "3.0.0", "targets": lib},
                {"id": "derive", "name": "derive", "version": "1.0.0", "targets": [{"kind": ["proc-macro"]}]},
                {"id": "runtime", "name": "runtime", "version": "1.0.0", "targets": lib},
                {"id": "tests-only", "name": "tests-only", "version": "1.0.0", "targets": lib},
                {"id": "app", "name": "app", "version": "0.0.0", "targets": [{"kind": ["bin"]}]},
            ],
            "resolve": {
                "root": "app",
                "nodes": [
                    {"id": "syn", "deps": []},
                    {"id": "derive", "deps": [dep("syn", Value::Null)]},
                    {"id": "runtime", "deps": [dep("derive", Value::Null)]},
                    {"id": "tests-only", "deps": []},
                    {"id": "app", "deps": [dep("runtime", Value::Null), dep("tests-only", Value::from("dev"))]},
                ]
            }
        })
        .to_string()
    }

    #[test]
    fn units_are_read_with_their_front_end() {
        let units = read_units(HTML).unwrap();
        assert_eq!(units.len(), 6);
        assert_eq!(units[0].frontend, Some(2.0));
        assert_eq!(units[1].frontend, None);
        assert_eq!(units[3].label(), "runtime 1.0.0 (build-script (run))");
        assert_eq!(units[0].label(), "syn 3.0.0");
        assert_eq!(longest(&units).unwrap().label(), "runtime 1.0.0");
    }

    #[test]
    fn a_report_without_units_is_an_error() {
        assert!(read_units("<html></html>").is_err());
        assert!(read_units("const UNIT_DATA = [{\"name\": 1}];").is_err());
    }

    #[test]
    fn the_critical_path_follows_proc_macros_whole_and_libraries_to_their_metadata() {
        let graph = read_graph(&metadata()).unwrap();
        assert_eq!(graph.deps["app"], vec![("runtime".to_owned(), false)]);
        assert_eq!(graph.deps["runtime"], vec![("derive".to_owned(), true)]);
        assert_eq!(graph.deps["derive"], vec![("syn".to_owned(), true)]);
        let path = critical_path(&graph, &read_units(HTML).unwrap()).unwrap();
        // derive, a proc macro, waits for all of syn (3.0) and takes 1.0; runtime
        // waits for all of derive (4.0) and takes 4.75 with its build script; the
        // binary is linked once runtime is whole (8.75) and takes 0.5.
        assert!((path.seconds - 9.25).abs() < 1e-9, "{path:?}");
        let names: Vec<&str> = path.steps.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["syn 3.0.0", "derive 1.0.0", "runtime 1.0.0", "app 0.0.0"]
        );
        assert_eq!(path.steps[2].1, 4.75);
    }
}
