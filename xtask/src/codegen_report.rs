//! `cargo xtask codegen-report [--json]`: what the generator makes of every service and of
//! the worker payload schemas: methods, exchanges, generated types, and the places whose
//! type fell back to `serde_json::Value`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};
use tc_codegen::Report;

use crate::error::{Error, Result};
use crate::reference_set::WORKER_PAYLOAD_SCHEMAS;

/// Whether a row is a service or a worker payload schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A service of the manifest (`taskcluster_service!`).
    Service,
    /// A worker payload schema (`taskcluster_schema!`).
    Schema,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Schema => "schema",
        }
    }
}

/// One row of the report.
#[derive(Debug, Clone)]
pub struct Row {
    /// Service or schema.
    pub kind: Kind,
    /// What the engine reported.
    pub report: Report,
}

/// The whole report.
#[derive(Debug, Clone, Default)]
pub struct CodegenReport {
    /// Services first (sorted), then the worker payload schemas.
    pub rows: Vec<Row>,
}

/// Sums over every row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Services reported.
    pub services: usize,
    /// Schemas reported.
    pub schemas: usize,
    /// API methods.
    pub methods: usize,
    /// Pulse exchanges.
    pub exchanges: usize,
    /// Named types generated.
    pub types: usize,
    /// Fallbacks to `serde_json::Value` (one per use of a place, as the engine counts).
    pub fallbacks: usize,
}

/// The worker payload schemas, relative to `schemas/`.
pub fn payload_schemas() -> impl Iterator<Item = &'static str> {
    WORKER_PAYLOAD_SCHEMAS
        .iter()
        .map(|s| s.trim_start_matches("/schemas/"))
}

/// Generates every service of the manifest and every worker payload schema from the
/// references in `references`, and collects the engine's reports. The first failure stops
/// it, with the engine's message prefixed by what was being generated.
pub fn collect(references: &Path) -> Result<CodegenReport> {
    let engine = |what: &str, e: tc_codegen::CodegenError| Error::msg(format!("{what}: {e}"));
    let mut rows = Vec::new();
    let services = tc_codegen::services(references).map_err(|e| engine("listing services", e))?;
    for service in services {
        let generated = tc_codegen::generate_service(references, &service)
            .map_err(|e| engine(&format!("service {service}"), e))?;
        rows.push(Row {
            kind: Kind::Service,
            report: generated.report,
        });
    }
    for schema in payload_schemas() {
        let generated = tc_codegen::generate_schema(references, schema)
            .map_err(|e| engine(&format!("schema {schema}"), e))?;
        let mut report = generated.report;
        if report.name.is_empty() {
            report.name = schema.to_owned();
        }
        rows.push(Row {
            kind: Kind::Schema,
            report,
        });
    }
    Ok(CodegenReport { rows })
}

/// The distinct places of `places`, in order of first appearance, with their counts.
fn distinct(places: &[String]) -> Vec<(&str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for place in places {
        match out.iter_mut().find(|(p, _)| *p == place) {
            Some((_, n)) => *n += 1,
            None => out.push((place, 1)),
        }
    }
    out
}

impl CodegenReport {
    /// Sums over every row.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for row in &self.rows {
            match row.kind {
                Kind::Service => t.services += 1,
                Kind::Schema => t.schemas += 1,
            }
            t.methods += row.report.methods.len();
            t.exchanges += row.report.exchanges.len();
            t.types += row.report.types;
            t.fallbacks += row.report.fallbacks.len();
        }
        t
    }

    /// The report for people: a table, the fallback places per service, and totals.
    pub fn to_text(&self) -> String {
        let totals = self.totals();
        let name_width = self
            .rows
            .iter()
            .map(|r| r.report.name.len())
            .chain(["name".len(), "total".len()])
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        let line = |out: &mut String, name: &str, cells: [&dyn std::fmt::Display; 4]| {
            let _ = writeln!(
                out,
                "{name:<name_width$}  {:>7}  {:>9}  {:>5}  {:>9}",
                cells[0], cells[1], cells[2], cells[3]
            );
        };
        line(
            &mut out,
            "name",
            [&"methods", &"exchanges", &"types", &"fallbacks"],
        );
        let rule = "-".repeat(name_width + 2 + 7 + 2 + 9 + 2 + 5 + 2 + 9);
        let _ = writeln!(out, "{rule}");
        for row in &self.rows {
            let r = &row.report;
            // Schemas have no methods or exchanges: a dash, not a misleading zero.
            let (methods, exchanges): (&dyn std::fmt::Display, &dyn std::fmt::Display) =
                match row.kind {
                    Kind::Service => (&r.methods.len(), &r.exchanges.len()),
                    Kind::Schema => (&"-", &"-"),
                };
            line(
                &mut out,
                &r.name,
                [methods, exchanges, &r.types, &r.fallbacks.len()],
            );
        }
        let _ = writeln!(out, "{rule}");
        line(
            &mut out,
            "total",
            [
                &totals.methods,
                &totals.exchanges,
                &totals.types,
                &totals.fallbacks,
            ],
        );

        let _ = writeln!(
            out,
            "\nfallbacks to serde_json::Value (file#pointer), per service:"
        );
        if totals.fallbacks == 0 {
            let _ = writeln!(out, "  (none)");
        }
        for row in self.rows.iter().filter(|r| !r.report.fallbacks.is_empty()) {
            let _ = writeln!(
                out,
                "  {} ({}):",
                row.report.name,
                row.report.fallbacks.len()
            );
            // A place reached from several roots (a request and a response sharing a
            // sub-schema) is listed once, with the number of uses.
            for (place, uses) in distinct(&row.report.fallbacks) {
                if uses == 1 {
                    let _ = writeln!(out, "    {place}");
                } else {
                    let _ = writeln!(out, "    {place} ({uses} uses)");
                }
            }
        }

        let _ = writeln!(
            out,
            "\ntotals: {} services, {} schemas, {} methods, {} exchanges, {} types, {} fallbacks",
            totals.services,
            totals.schemas,
            totals.methods,
            totals.exchanges,
            totals.types,
            totals.fallbacks
        );
        out
    }

    /// The report for programs.
    pub fn to_json(&self) -> Value {
        let totals = self.totals();
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let r = &row.report;
                json!({
                    "name": r.name,
                    "kind": row.kind.as_str(),
                    "methods": r.methods.len(),
                    "exchanges": r.exchanges.len(),
                    "types": r.types,
                    "fallbacks": r.fallbacks.len(),
                    "method_names": r.methods,
                    "exchange_names": r.exchanges,
                    "fallback_places": r.fallbacks,
                })
            })
            .collect();
        json!({
            "rows": rows,
            "totals": {
                "services": totals.services,
                "schemas": totals.schemas,
                "methods": totals.methods,
                "exchanges": totals.exchanges,
                "types": totals.types,
                "fallbacks": totals.fallbacks,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CodegenReport {
        CodegenReport {
            rows: vec![
                Row {
                    kind: Kind::Service,
                    report: Report {
                        name: "queue".into(),
                        methods: vec!["ping".into(), "task".into()],
                        exchanges: vec!["task-defined".into()],
                        types: 7,
                        fallbacks: vec![
                            "/schemas/queue/v1/x.json#/properties/extra".into(),
                            "/schemas/queue/v1/y.json#/properties/z".into(),
                            "/schemas/queue/v1/x.json#/properties/extra".into(),
                        ],
                    },
                },
                Row {
                    kind: Kind::Service,
                    report: Report {
                        name: "purge-cache".into(),
                        methods: vec!["ping".into()],
                        ..Report::default()
                    },
                },
                Row {
                    kind: Kind::Schema,
                    report: Report {
                        name: "docker-worker/v1/payload.json".into(),
                        types: 3,
                        ..Report::default()
                    },
                },
            ],
        }
    }

    #[test]
    fn totals_sum_rows() {
        assert_eq!(
            sample().totals(),
            Totals {
                services: 2,
                schemas: 1,
                methods: 3,
                exchanges: 1,
                types: 10,
                fallbacks: 3,
            }
        );
    }

    #[test]
    fn text_has_table_places_and_totals() {
        let text = sample().to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("name "), "{text}");
        assert!(lines[0].ends_with("fallbacks"), "{text}");
        assert!(
            lines
                .iter()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["queue", "2", "1", "7", "3"]),
            "{text}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.split_whitespace().collect::<Vec<_>>()
                    == ["docker-worker/v1/payload.json", "-", "-", "3", "0"]),
            "{text}"
        );
        assert!(
            text.contains(
                "  queue (3):\n    /schemas/queue/v1/x.json#/properties/extra (2 uses)\n    \
                 /schemas/queue/v1/y.json#/properties/z\n"
            ),
            "{text}"
        );
        assert!(!text.contains("purge-cache ("), "{text}");
        assert!(text.contains("3 methods, 1 exchanges, 10 types, 3 fallbacks"));
    }

    #[test]
    fn json_has_counts_names_and_totals() {
        let v = sample().to_json();
        assert_eq!(v["totals"]["methods"], 3);
        assert_eq!(v["rows"][0]["name"], "queue");
        assert_eq!(v["rows"][0]["kind"], "service");
        assert_eq!(v["rows"][0]["method_names"][1], "task");
        assert_eq!(v["rows"][2]["kind"], "schema");
    }
}
