//! What the references ask of the generated API, read from `references/` (the
//! manifest's services, their `api.json` and `exchanges.json`, the output schemas for
//! paging) and named as tc-codegen names things. Shared by the test (`main.rs`, which
//! compares it with the expansion and with the reviewed snapshot `names.txt`) and by the
//! tests crate's build script (`tests/build.rs`), which writes from it the calls that
//! prove every method compiles.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tc_codegen::naming::{snake_name, type_name};

/// Query arguments the generator takes typed (its `query_param`: decimal integers,
/// booleans, a timestamp); every other one takes text.
const TYPED_QUERY: [&str; 5] = [
    "limit",
    "pullRequest",
    "quarantined",
    "includeArchived",
    "since",
];

/// One service's references.
pub struct ServiceReference {
    /// Directory name (`purge-cache`).
    pub name: String,
    pub api: Value,
    pub exchanges: Option<Value>,
}

impl ServiceReference {
    /// The API methods (entries of type `function`).
    pub fn functions(&self) -> impl Iterator<Item = &Value> {
        self.api["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["type"] == "function")
    }

    pub fn exchange_entries(&self) -> &[Value] {
        self.exchanges
            .as_ref()
            .map_or(&[], |x| x["entries"].as_array().expect("entries"))
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run `cargo xtask references import`)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The services of the reference set at `references` (the folder holding `references/`
/// and `schemas/`), by name.
pub fn service_references(references: &Path) -> Vec<ServiceReference> {
    let dir = references.join("references");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| dir.join(name).join("v1/api.json").is_file())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let api = read_json(&dir.join(&name).join("v1/api.json"));
            let exchanges_path = dir.join(&name).join("v1/exchanges.json");
            let exchanges = exchanges_path.is_file().then(|| read_json(&exchanges_path));
            ServiceReference {
                name,
                api,
                exchanges,
            }
        })
        .collect()
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Reads schema files under `references/schemas`, following `$ref`s.
struct Schemas {
    references: PathBuf,
    files: HashMap<String, Value>,
}

impl Schemas {
    /// `file` is absolute in the reference set: `/schemas/queue/v1/task.json`.
    fn file(&mut self, file: &str) -> &Value {
        let references = &self.references;
        self.files
            .entry(file.to_owned())
            .or_insert_with(|| read_json(&references.join(file.trim_start_matches('/'))))
    }

    /// The schema a `$ref` (relative to `base`) points at, with its file.
    fn target(&mut self, base: &str, reference: &str) -> (String, Value) {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if path.is_empty() {
            base.to_owned()
        } else if path.starts_with('/') {
            path.to_owned()
        } else {
            let dir = base.rsplit_once('/').map_or("", |(dir, _)| dir);
            format!("{dir}/{path}")
        };
        let root = self.file(&file);
        let node = if fragment.is_empty() {
            root.clone()
        } else {
            root.pointer(fragment)
                .unwrap_or_else(|| panic!("{file}#{fragment} does not exist"))
                .clone()
        };
        (file, node)
    }

    /// Follows `$ref`s until a schema that is not one.
    fn resolve(&mut self, mut file: String, mut node: Value) -> (String, Value) {
        while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let reference = reference.to_owned();
            (file, node) = self.target(&file, &reference);
        }
        (file, node)
    }

    /// Whether an output schema (`v1/list-artifacts-response.json#`, relative
    /// to `/schemas/<serviceName>/`) is a page of a list: an object with a
    /// `continuationToken` and exactly one array property.
    fn is_list_page(&mut self, service_name: &str, output: &str) -> bool {
        let base = format!("/schemas/{service_name}/");
        let (file, root) = self.target(&base, output);
        let (file, root) = self.resolve(file, root);
        let Some(properties) = root.get("properties").and_then(Value::as_object) else {
            return false;
        };
        if !properties.contains_key("continuationToken") {
            return false;
        }
        let arrays = properties
            .values()
            .filter(|property| {
                let (_, schema) = self.resolve(file.clone(), (*property).clone());
                schema["type"] == "array"
            })
            .count();
        arrays == 1
    }
}

/// One API method as the references describe it, with the Rust name it gets.
#[derive(Debug, Clone)]
pub struct Method {
    /// The reference's name (`listClients`).
    pub entry: String,
    /// The method's name (`list_clients`).
    pub name: String,
    /// Path arguments.
    pub args: usize,
    /// Whether it takes a body.
    pub input: bool,
    /// Whether it answers nothing (no output, or a blob).
    pub unit: bool,
    /// Whether it has `_signed_url` (a GET that needs scopes).
    pub signs: bool,
    /// Whether it has `_all` (a listing paged with `continuationToken`).
    pub pages: bool,
    /// The query arguments, by reference name.
    pub query: Vec<String>,
}

impl Method {
    /// The stem of the siblings (`type_` → `type_url`).
    fn stem(&self) -> &str {
        self.name.trim_end_matches('_')
    }
}

/// One exchange as the references describe it, with the binding type it gets.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The reference's name (`taskDefined`).
    pub entry: String,
    /// The binding type (`TaskDefined`).
    pub name: String,
    /// The full exchange name.
    pub exchange: String,
    /// `(name, multipleWords)` of every routing-key part, in order.
    pub parts: Vec<(String, bool)>,
}

/// One service: its module, client, methods and exchanges.
#[derive(Debug, Clone)]
pub struct Service {
    /// Directory name (`purge-cache`).
    pub name: String,
    /// Module of tc-client (`purge_cache`).
    pub module: String,
    /// The client type (`PurgeCache`).
    pub client: String,
    pub methods: Vec<Method>,
    pub exchanges: Vec<Exchange>,
}

/// `(name, multipleWords)` of every routing-key part of an exchange entry.
pub fn reference_parts(entry: &Value) -> Vec<(String, bool)> {
    entry["routingKey"]
        .as_array()
        .expect("routingKey")
        .iter()
        .map(|part| {
            (
                part["name"].as_str().expect("name").to_owned(),
                part["multipleWords"].as_bool().expect("multipleWords"),
            )
        })
        .collect()
}

/// Every service of the reference set at `references`, by name.
pub fn services(references: &Path) -> Vec<Service> {
    let mut schemas = Schemas {
        references: references.to_owned(),
        files: HashMap::new(),
    };
    service_references(references)
        .iter()
        .map(|reference| service(reference, &mut schemas))
        .collect()
}

fn service(reference: &ServiceReference, schemas: &mut Schemas) -> Service {
    let service_name = reference.api["serviceName"].as_str().expect("serviceName");
    let methods = reference
        .functions()
        .map(|entry| {
            let name = entry["name"].as_str().expect("name");
            let query: Vec<String> = strings(&entry["query"])
                .into_iter()
                .map(str::to_owned)
                .collect();
            let output = entry["output"].as_str().filter(|o| *o != "blob");
            let pages = output.is_some_and(|output| {
                query.iter().any(|q| q == "continuationToken")
                    && schemas.is_list_page(service_name, output)
            });
            Method {
                entry: name.to_owned(),
                name: snake_name(name),
                args: strings(&entry["args"]).len(),
                input: entry.get("input").is_some_and(Value::is_string),
                unit: output.is_none(),
                signs: entry["method"] == "get"
                    && entry.get("scopes").is_some_and(|s| !s.is_null()),
                pages,
                query,
            }
        })
        .collect();
    let exchanges = reference.exchanges.as_ref().map_or_else(Vec::new, |x| {
        let prefix = x["exchangePrefix"].as_str().expect("exchangePrefix");
        reference
            .exchange_entries()
            .iter()
            .map(|entry| {
                let name = entry["name"].as_str().expect("name");
                Exchange {
                    entry: name.to_owned(),
                    name: type_name(name),
                    exchange: format!("{prefix}{}", entry["exchange"].as_str().expect("exchange")),
                    parts: reference_parts(entry),
                }
            })
            .collect()
    });
    Service {
        name: reference.name.clone(),
        module: snake_name(&reference.name),
        client: type_name(&reference.name),
        methods,
        exchanges,
    }
}

/// One expected public function of a client: its argument count (receiver
/// included) and, for the API methods themselves, whether they answer
/// `Result<()>` and, for those with query arguments, the methods of the call
/// they answer (one setter per query argument, `url`, and `signed_url` and
/// `all` where the method has them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub inputs: usize,
    pub returns_unit: Option<bool>,
    pub call: Option<BTreeSet<String>>,
}

/// One expected exchange binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeItem {
    pub exchange: String,
    /// `(name, multipleWords)` of every routing-key part, in order.
    pub parts: Vec<(String, bool)>,
    /// The struct's fields, in order.
    pub fields: Vec<String>,
}

impl Service {
    /// Every public function of the client, by name.
    pub fn expected_functions(&self) -> BTreeMap<String, Signature> {
        let constructor = |inputs| Signature {
            inputs,
            returns_unit: None,
            call: None,
        };
        let mut out = BTreeMap::from([
            ("new".to_owned(), constructor(2)),
            ("from_env".to_owned(), constructor(0)),
            ("builder".to_owned(), constructor(0)),
            ("root_url".to_owned(), constructor(1)),
        ]);
        for method in &self.methods {
            let url_inputs = 1 + method.args;
            let input = usize::from(method.input);
            let call = (!method.query.is_empty()).then(|| {
                let mut methods: BTreeSet<String> =
                    method.query.iter().map(|q| snake_name(q)).collect();
                methods.insert("url".to_owned());
                if method.signs {
                    methods.insert("signed_url".to_owned());
                }
                if method.pages {
                    methods.insert("all".to_owned());
                }
                methods
            });
            out.insert(
                method.name.clone(),
                Signature {
                    inputs: url_inputs + input,
                    returns_unit: Some(method.unit),
                    call,
                },
            );
            let stem = method.stem();
            out.insert(format!("{stem}_url"), constructor(url_inputs));
            if method.signs {
                out.insert(format!("{stem}_signed_url"), constructor(url_inputs + 1));
            }
            if method.pages {
                out.insert(format!("{stem}_all"), constructor(url_inputs + input));
            }
        }
        out
    }

    /// Every exchange binding, by type name.
    pub fn expected_exchanges(&self) -> BTreeMap<String, ExchangeItem> {
        self.exchanges
            .iter()
            .map(|exchange| {
                let item = ExchangeItem {
                    exchange: exchange.exchange.clone(),
                    parts: exchange.parts.clone(),
                    fields: exchange.parts.iter().map(|(p, _)| snake_name(p)).collect(),
                };
                (exchange.name.clone(), item)
            })
            .collect()
    }
}

/// The names of the generated API, as reviewed in `names.txt`: per service its module
/// and client; per method the reference's name, the method and its siblings, its
/// argument count and query setters; per exchange the reference's name, the binding
/// type, the exchange and the routing-key parts. Names only, never the references' prose.
pub fn snapshot(services: &[Service]) -> String {
    let mut out = String::new();
    for service in services {
        let _ = writeln!(
            out,
            "service {} module {} client {}",
            service.name, service.module, service.client
        );
        for m in &service.methods {
            let stem = m.stem();
            let mut siblings = vec![format!("{stem}_url")];
            if m.signs {
                siblings.push(format!("{stem}_signed_url"));
            }
            if m.pages {
                siblings.push(format!("{stem}_all"));
            }
            let _ = write!(
                out,
                "  method {} {}(args {}{}) -> {}; {}",
                m.entry,
                m.name,
                m.args,
                if m.input { ", body" } else { "" },
                if m.unit { "()" } else { "value" },
                siblings.join(" ")
            );
            if !m.query.is_empty() {
                let setters: Vec<String> = m.query.iter().map(|q| snake_name(q)).collect();
                let _ = write!(out, "; query {}", setters.join(" "));
            }
            out.push('\n');
        }
        for x in &service.exchanges {
            let parts: Vec<String> = x
                .parts
                .iter()
                .map(|(name, multiple)| format!("{name}{}", if *multiple { "#" } else { "" }))
                .collect();
            let _ = writeln!(
                out,
                "  exchange {} {} {} key {}",
                x.entry,
                x.name,
                x.exchange,
                parts.join(".")
            );
        }
    }
    out
}

/// The compile-time proof, as Rust source: per service a function calling every method
/// of its client (with its `_url`, `_signed_url` and `_all` siblings, and every query
/// setter) with arguments of the right kinds, never run; `every_service_methods`
/// naming them all; `every_exchange`, checking every binding type with a `Checker`.
pub fn calls_source(services: &[Service]) -> String {
    let mut out = String::from("// Written by tests/build.rs from the references.\n\n");
    for service in services {
        let _ = writeln!(
            out,
            "/// Every method of `{}`, called with arguments of the right kinds.\n\
             #[allow(clippy::too_many_lines)]\n\
             fn {}_methods(c: &::tc_client::{}::{}) {{",
            service.name, service.module, service.module, service.client
        );
        for m in &service.methods {
            let args = vec!["\"x\""; m.args];
            let with_input = {
                let mut a = args.clone();
                if m.input {
                    a.push("any()");
                }
                a.join(", ")
            };
            let stem = m.stem();
            let mut calls = vec![
                format!("c.{}({with_input})", m.name),
                format!("c.{stem}_url({})", args.join(", ")),
            ];
            if m.signs {
                let mut a = args.clone();
                a.push("any()");
                calls.push(format!("c.{stem}_signed_url({})", a.join(", ")));
            }
            if m.pages {
                calls.push(format!("c.{stem}_all({with_input})"));
            }
            if !m.query.is_empty() {
                let setters: String = m
                    .query
                    .iter()
                    .map(|q| {
                        let value = if TYPED_QUERY.contains(&q.as_str()) {
                            "any()"
                        } else {
                            "\"x\""
                        };
                        format!(".{}({value})", snake_name(q))
                    })
                    .collect();
                calls.push(format!("c.{}({with_input}){setters}.url()", m.name));
            }
            let _ = writeln!(out, "    let _ = ({});", calls.join(", "));
        }
        out.push_str("}\n\n");
    }
    out.push_str("/// Every client's function above.\nfn every_service_methods() {\n");
    for service in services {
        let _ = writeln!(out, "    let _ = {}_methods;", service.module);
    }
    out.push_str("}\n\n/// Every binding type, checked against its reference.\nfn every_exchange(check: &mut Checker) {\n");
    for service in services {
        for x in &service.exchanges {
            let _ = writeln!(
                out,
                "    check.binding::<::tc_client::{}::events::{}>({:?}, {:?});",
                service.module, x.name, service.name, x.entry
            );
        }
    }
    out.push_str("}\n");
    out
}
