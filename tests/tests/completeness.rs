//! The generated API is complete: every method and every exchange of the
//! imported references (`references/references/<service>/v1/{api,exchanges}.json`).
//!
//! Two complementary checks:
//!
//! - at compile time, `<service>_methods()` name every method of every client
//!   (with its `_url`, `_signed_url` and `_all` siblings) as function items and
//!   `every_exchange` names every binding type, so a missing one fails the build;
//! - at run time, the references are read with serde_json and compared with the
//!   items of `tc_codegen::generate_service`'s expansion, parsed with syn:
//!   nothing missing, nothing extra, argument counts, which methods return
//!   nothing, and each exchange's name and routing key.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tc_client::Binding;

const METHODS: usize = 192;
const EXCHANGES: usize = 36;

fn references() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../references")
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

/// `listRoles2` -> `list_roles2`, `azureTableSAS` -> `azure_table_sas`,
/// `purge-cache` -> `purge_cache`.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' {
            out.push('_');
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `purge-cache` -> `PurgeCache`, `taskDefined` -> `TaskDefined`.
fn upper_camel_case(name: &str) -> String {
    name.split(['-', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

#[test]
fn naming_helpers() {
    assert_eq!(snake_case("listRoles2"), "list_roles2");
    assert_eq!(snake_case("azureTableSAS"), "azure_table_sas");
    assert_eq!(snake_case("awsS3Credentials"), "aws_s3_credentials");
    assert_eq!(snake_case("sentryDSN"), "sentry_dsn");
    assert_eq!(snake_case("lbheartbeat"), "lbheartbeat");
    assert_eq!(snake_case("worker-manager"), "worker_manager");
    assert_eq!(upper_camel_case("worker-manager"), "WorkerManager");
    assert_eq!(upper_camel_case("taskGroupResolved"), "TaskGroupResolved");
}

// ---------------------------------------------------------------------------
// The references

struct ServiceReference {
    /// Directory name (`purge-cache`).
    name: String,
    api: Value,
    exchanges: Option<Value>,
}

impl ServiceReference {
    fn functions(&self) -> impl Iterator<Item = &Value> {
        self.api["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["type"] == "function")
    }

    fn exchange_entries(&self) -> &[Value] {
        self.exchanges
            .as_ref()
            .map_or(&[], |x| x["entries"].as_array().expect("entries"))
    }
}

fn service_references() -> Vec<ServiceReference> {
    let dir = references().join("references");
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
#[derive(Default)]
struct Schemas {
    files: HashMap<String, Value>,
}

impl Schemas {
    /// `file` is absolute in the reference set: `/schemas/queue/v1/task.json`.
    fn file(&mut self, file: &str) -> &Value {
        self.files
            .entry(file.to_owned())
            .or_insert_with(|| read_json(&references().join(file.trim_start_matches('/'))))
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

// ---------------------------------------------------------------------------
// What the references ask for

/// One expected public function of a client: its argument count (receiver
/// included) and, for the API methods themselves, whether it returns `Result<()>`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Signature {
    inputs: usize,
    returns_unit: Option<bool>,
}

fn expected_functions(
    reference: &ServiceReference,
    schemas: &mut Schemas,
) -> BTreeMap<String, Signature> {
    let service_name = reference.api["serviceName"].as_str().expect("serviceName");
    let constructor = |inputs| Signature {
        inputs,
        returns_unit: None,
    };
    let mut out = BTreeMap::from([
        ("new".to_owned(), constructor(2)),
        ("from_env".to_owned(), constructor(0)),
        ("builder".to_owned(), constructor(0)),
    ]);
    for entry in reference.functions() {
        let name = snake_case(entry["name"].as_str().expect("name"));
        let args = strings(&entry["args"]).len();
        let query = strings(&entry["query"]);
        let input = usize::from(entry.get("input").is_some_and(Value::is_string));
        let output = entry["output"].as_str().filter(|o| *o != "blob");
        let has_scopes = entry.get("scopes").is_some_and(|s| !s.is_null());
        let url_inputs = 1 + args + query.len();
        out.insert(
            name.clone(),
            Signature {
                inputs: url_inputs + input,
                returns_unit: Some(output.is_none()),
            },
        );
        out.insert(format!("{name}_url"), constructor(url_inputs));
        if entry["method"] == "get" && has_scopes {
            out.insert(format!("{name}_signed_url"), constructor(url_inputs + 1));
        }
        if let Some(output) = output
            && query.contains(&"continuationToken")
            && schemas.is_list_page(service_name, output)
        {
            out.insert(format!("{name}_all"), constructor(url_inputs - 1 + input));
        }
    }
    out
}

/// One expected exchange binding.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ExchangeItem {
    exchange: String,
    /// `(name, multipleWords)` of every routing-key part, in order.
    parts: Vec<(String, bool)>,
    /// The struct's fields, in order.
    fields: Vec<String>,
}

fn reference_parts(entry: &Value) -> Vec<(String, bool)> {
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

fn expected_exchanges(reference: &ServiceReference) -> BTreeMap<String, ExchangeItem> {
    let Some(exchanges) = &reference.exchanges else {
        return BTreeMap::new();
    };
    let prefix = exchanges["exchangePrefix"]
        .as_str()
        .expect("exchangePrefix");
    reference
        .exchange_entries()
        .iter()
        .map(|entry| {
            let parts = reference_parts(entry);
            let fields = parts.iter().map(|(name, _)| snake_case(name)).collect();
            (
                upper_camel_case(entry["name"].as_str().expect("name")),
                ExchangeItem {
                    exchange: format!("{prefix}{}", entry["exchange"].as_str().expect("exchange")),
                    parts,
                    fields,
                },
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// What the engine generates, read from its expansion with syn

struct Expansion {
    client: String,
    functions: BTreeMap<String, Signature>,
    exchanges: BTreeMap<String, ExchangeItem>,
    /// Exchange struct name -> the path of its `Message` type.
    messages: BTreeMap<String, String>,
    methods_reported: usize,
    exchanges_reported: usize,
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

fn type_path(ty: &syn::Type) -> Option<&syn::Path> {
    match ty {
        syn::Type::Path(p) => Some(&p.path),
        _ => None,
    }
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    type_path(ty)?.segments.last().map(|s| s.ident.to_string())
}

fn trait_name(item: &syn::ItemImpl) -> Option<String> {
    let (path, _) = item.trait_.as_ref()?;
    path.segments.last().map(|s| s.ident.to_string())
}

/// Whether a `-> ::tc_client::Result<()>` signature returns unit.
fn returns_unit(sig: &syn::Signature) -> Option<bool> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return Some(true);
    };
    let segment = type_path(ty)?.segments.last()?;
    if segment.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(syn::Type::Tuple(tuple)) => Some(tuple.elems.is_empty()),
        syn::GenericArgument::Type(_) => Some(false),
        _ => None,
    }
}

fn lit_str(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

fn lit_bool(expr: &syn::Expr) -> Option<bool> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        }) => Some(b.value()),
        _ => None,
    }
}

/// `&[::tc_client::RoutingKeyPart { name: "taskId", multiple_words: false }, ...]`
fn routing_key_parts(expr: &syn::Expr) -> Vec<(String, bool)> {
    let syn::Expr::Reference(reference) = expr else {
        panic!("ROUTING_KEY is not a reference to an array");
    };
    let syn::Expr::Array(array) = &*reference.expr else {
        panic!("ROUTING_KEY is not a reference to an array");
    };
    array
        .elems
        .iter()
        .map(|elem| {
            let syn::Expr::Struct(part) = elem else {
                panic!("a ROUTING_KEY element is not a RoutingKeyPart literal");
            };
            let field = |wanted: &str| {
                part.fields
                    .iter()
                    .find(|f| matches!(&f.member, syn::Member::Named(i) if i == wanted))
                    .map(|f| &f.expr)
                    .unwrap_or_else(|| panic!("RoutingKeyPart without `{wanted}`"))
            };
            (
                lit_str(field("name")).expect("name is a string literal"),
                lit_bool(field("multiple_words")).expect("multiple_words is a bool literal"),
            )
        })
        .collect()
}

fn expansion(service: &str) -> Expansion {
    let generated = tc_codegen::generate_service(&references(), service)
        .unwrap_or_else(|e| panic!("generating {service}: {e}"));
    let methods_reported = generated.report.methods.len();
    let exchanges_reported = generated.report.exchanges.len();
    let file: syn::File = syn::parse2(generated.tokens)
        .unwrap_or_else(|e| panic!("the expansion of {service} does not parse: {e}"));
    let modules: Vec<&syn::ItemMod> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some(m),
            _ => None,
        })
        .collect();
    let [module] = modules.as_slice() else {
        panic!("the expansion of {service} is not one module");
    };
    assert_eq!(
        module.ident,
        snake_case(service),
        "module name of {service}"
    );
    let items = &module.content.as_ref().expect("inline module").1;

    let clients: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if trait_name(i).as_deref() == Some("Service") => {
                last_ident(&i.self_ty)
            }
            _ => None,
        })
        .collect();
    let [client] = clients.as_slice() else {
        panic!("{service}: expected one `impl ::tc_client::Service`, found {clients:?}");
    };

    let mut functions = BTreeMap::new();
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || last_ident(&block.self_ty).as_ref() != Some(client) {
            continue;
        }
        for impl_item in &block.items {
            if let syn::ImplItem::Fn(f) = impl_item
                && matches!(f.vis, syn::Visibility::Public(_))
            {
                let name = f.sig.ident.to_string();
                let is_api_method = !name.ends_with("_url")
                    && !name.ends_with("_all")
                    && !["new", "from_env", "builder"].contains(&name.as_str());
                let signature = Signature {
                    inputs: f.sig.inputs.len(),
                    returns_unit: if is_api_method {
                        returns_unit(&f.sig)
                    } else {
                        None
                    },
                };
                assert!(
                    functions.insert(name.clone(), signature).is_none(),
                    "{service}: `{name}` is defined twice"
                );
            }
        }
    }

    let mut exchanges = BTreeMap::new();
    let mut messages = BTreeMap::new();
    let events = items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "events" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    if let Some(events) = events {
        let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in events {
            if let syn::Item::Struct(s) = item {
                let names = s
                    .fields
                    .iter()
                    .map(|f| f.ident.as_ref().expect("named field").to_string())
                    .collect();
                fields.insert(s.ident.to_string(), names);
            }
        }
        for item in events {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            if trait_name(block).as_deref() != Some("Binding") {
                continue;
            }
            let name = last_ident(&block.self_ty).expect("binding type");
            let mut exchange = None;
            let mut parts = None;
            for impl_item in &block.items {
                match impl_item {
                    syn::ImplItem::Const(c) if c.ident == "EXCHANGE" => {
                        exchange = lit_str(&c.expr);
                    }
                    syn::ImplItem::Const(c) if c.ident == "ROUTING_KEY" => {
                        parts = Some(routing_key_parts(&c.expr));
                    }
                    syn::ImplItem::Type(t) if t.ident == "Message" => {
                        let path = type_path(&t.ty).map(path_text).unwrap_or_default();
                        messages.insert(name.clone(), path);
                    }
                    _ => {}
                }
            }
            let item = ExchangeItem {
                exchange: exchange.unwrap_or_else(|| panic!("{name}: no EXCHANGE literal")),
                parts: parts.unwrap_or_else(|| panic!("{name}: no ROUTING_KEY")),
                fields: fields
                    .remove(&name)
                    .unwrap_or_else(|| panic!("{name}: Binding impl without struct")),
            };
            exchanges.insert(name, item);
        }
        assert!(
            fields.is_empty(),
            "{service}: structs in `events` that are not bindings: {:?}",
            fields.keys()
        );
    }

    Expansion {
        client: client.clone(),
        functions,
        exchanges,
        messages,
        methods_reported,
        exchanges_reported,
    }
}

fn compare<V: PartialEq + Debug>(
    what: &str,
    expected: &BTreeMap<String, V>,
    actual: &BTreeMap<String, V>,
    problems: &mut Vec<String>,
) {
    for (name, want) in expected {
        match actual.get(name) {
            None => problems.push(format!("{what}: `{name}` is missing")),
            Some(got) if got != want => {
                problems.push(format!("{what}: `{name}` is {got:?}, expected {want:?}"));
            }
            Some(_) => {}
        }
    }
    for name in actual.keys().filter(|name| !expected.contains_key(*name)) {
        problems.push(format!("{what}: `{name}` is not in the reference"));
    }
}

// ---------------------------------------------------------------------------
// Runtime checks

#[test]
fn every_method_and_exchange_is_generated() {
    let references = service_references();
    let names: Vec<&str> = references.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "auth",
            "github",
            "hooks",
            "index",
            "notify",
            "object",
            "purge-cache",
            "queue",
            "secrets",
            "web-server",
            "worker-manager"
        ]
    );

    let mut schemas = Schemas::default();
    let mut problems = Vec::new();
    let mut methods = 0;
    let mut exchanges = 0;
    let mut generated_methods = 0;
    let mut generated_exchanges = 0;
    for reference in &references {
        let service = reference.name.as_str();
        let expansion = expansion(service);
        assert_eq!(
            expansion.client,
            upper_camel_case(service),
            "client of {service}"
        );

        let want = expected_functions(reference, &mut schemas);
        compare(
            &format!("{service} method"),
            &want,
            &expansion.functions,
            &mut problems,
        );
        let api_methods = reference.functions().count();
        methods += api_methods;
        generated_methods += reference
            .functions()
            .filter(|e| {
                let name = snake_case(e["name"].as_str().unwrap_or_default());
                expansion.functions.contains_key(&name)
            })
            .count();
        assert_eq!(
            expansion.methods_reported, api_methods,
            "{service}: report.methods"
        );

        let want = expected_exchanges(reference);
        compare(
            &format!("{service} exchange"),
            &want,
            &expansion.exchanges,
            &mut problems,
        );
        exchanges += want.len();
        generated_exchanges += want
            .keys()
            .filter(|name| expansion.exchanges.contains_key(*name))
            .count();
        assert_eq!(
            expansion.exchanges_reported,
            want.len(),
            "{service}: report.exchanges"
        );
        for (name, message) in &expansion.messages {
            if message.contains("serde_json") {
                problems.push(format!(
                    "{service} exchange: `{name}` has an untyped message `{message}`"
                ));
            }
        }
    }
    assert_eq!(methods, METHODS, "API methods in the references");
    assert_eq!(exchanges, EXCHANGES, "exchanges in the references");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(generated_methods, METHODS);
    assert_eq!(generated_exchanges, EXCHANGES);
}

/// Method names of the references, all services together, are the snake_case
/// of the reference names (a sanity check of the helper against the engine's
/// own report).
#[test]
fn report_lists_reference_names() {
    for reference in service_references() {
        let generated = tc_codegen::generate_service(&references(), &reference.name).unwrap();
        let reported: BTreeSet<&str> = generated
            .report
            .methods
            .iter()
            .map(String::as_str)
            .collect();
        let wanted: BTreeSet<&str> = reference
            .functions()
            .filter_map(|e| e["name"].as_str())
            .collect();
        assert_eq!(reported, wanted, "{}", reference.name);
    }
}

// ---------------------------------------------------------------------------
// The real binding types, against the references

struct Checker {
    references: Vec<ServiceReference>,
    checked: usize,
}

impl Checker {
    fn binding<B>(&mut self, service: &str, name: &str)
    where
        B: Binding + Default + PartialEq + Debug,
    {
        let reference = self
            .references
            .iter()
            .find(|r| r.name == service)
            .unwrap_or_else(|| panic!("no service {service}"));
        let prefix = reference.exchanges.as_ref().expect("exchanges")["exchangePrefix"]
            .as_str()
            .expect("exchangePrefix");
        let entry = reference
            .exchange_entries()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("no exchange {service}.{name}"));
        let exchange = format!("{prefix}{}", entry["exchange"].as_str().expect("exchange"));
        assert_eq!(B::EXCHANGE, exchange, "{service}.{name}");
        assert_eq!(B::default().exchange(), exchange, "{service}.{name}");

        let parts = reference_parts(entry);
        let generated: Vec<(String, bool)> = B::ROUTING_KEY
            .iter()
            .map(|p| (p.name.to_owned(), p.multiple_words))
            .collect();
        assert_eq!(generated, parts, "{service}.{name} routing key");

        // Nothing set: a constant part is its constant, the others `*` for
        // single words and `#` for several.
        let constants: Vec<Option<&str>> = entry["routingKey"]
            .as_array()
            .expect("routingKey")
            .iter()
            .map(|part| part.get("constant").and_then(Value::as_str))
            .collect();
        let wildcards: Vec<&str> = parts
            .iter()
            .zip(&constants)
            .map(|((_, multiple), constant)| match constant {
                Some(constant) => constant,
                None if *multiple => "#",
                None => "*",
            })
            .collect();
        assert_eq!(
            B::default().routing_key_pattern(),
            wildcards.join("."),
            "{service}.{name} pattern"
        );

        // A concrete routing key parses into the binding that matches exactly it.
        let words: Vec<String> = entry["routingKey"]
            .as_array()
            .expect("routingKey")
            .iter()
            .enumerate()
            .map(|(i, part)| match part["constant"].as_str() {
                Some(constant) => constant.to_owned(),
                None if part["multipleWords"] == true => format!("w{i}.more.words"),
                None => format!("w{i}"),
            })
            .collect();
        let key = words.join(".");
        let parsed = B::parse_routing_key(&key)
            .unwrap_or_else(|| panic!("{service}.{name}: {key} does not parse"));
        assert_eq!(parsed.routing_key_pattern(), key, "{service}.{name}");
        assert_eq!(
            parsed.values(),
            words.iter().map(|w| Some(w.as_str())).collect::<Vec<_>>()
        );
        assert_ne!(parsed, B::default());

        let message = std::any::type_name::<B::Message>();
        assert!(
            !message.contains("serde_json"),
            "{service}.{name}: untyped message {message}"
        );
        self.checked += 1;
    }
}

#[test]
fn binding_types_match_the_references() {
    let mut check = Checker {
        references: service_references(),
        checked: 0,
    };
    every_exchange(&mut check);
    assert_eq!(check.checked, EXCHANGES);
}

#[test]
fn a_few_bindings_by_hand() {
    use tc_client::queue::events::{TaskCompleted, TaskDefined};
    use tc_client::queue::{TaskCompletedMessage, TaskDefinedMessage};

    const EXCHANGE: &str = <TaskCompleted as Binding>::EXCHANGE;
    assert_eq!(EXCHANGE, "exchange/taskcluster-queue/v1/task-completed");
    assert_eq!(
        TaskCompleted::EXCHANGE,
        "exchange/taskcluster-queue/v1/task-completed"
    );
    let names: Vec<&str> = <TaskCompleted as Binding>::ROUTING_KEY
        .iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(
        names,
        [
            "routingKeyKind",
            "taskId",
            "runId",
            "workerGroup",
            "workerId",
            "provisionerId",
            "workerType",
            "schedulerId",
            "taskGroupId",
            "reserved"
        ]
    );
    assert!(TaskCompleted::ROUTING_KEY[9].multiple_words);
    assert!(!TaskCompleted::ROUTING_KEY[1].multiple_words);

    let binding = TaskCompleted {
        task_id: Some("fN1SbArXTPSVFNUvaOlinQ".into()),
        ..Default::default()
    };
    assert_eq!(
        binding.routing_key_pattern(),
        "primary.fN1SbArXTPSVFNUvaOlinQ.*.*.*.*.*.*.*.#"
    );
    let binding = TaskDefined {
        routing_key_kind: Some("primary".into()),
        provisioner_id: Some("proj-releng".into()),
        worker_type: Some("b-linux".into()),
        ..Default::default()
    };
    assert_eq!(
        binding.routing_key_pattern(),
        "primary.*.*.*.*.proj-releng.b-linux.*.*.#"
    );

    // The message types are the typed schemas, not `serde_json::Value`.
    fn message_of<B: Binding>() -> &'static str {
        std::any::type_name::<B::Message>()
    }
    assert_eq!(
        message_of::<TaskCompleted>(),
        std::any::type_name::<TaskCompletedMessage>()
    );
    assert_eq!(
        message_of::<TaskDefined>(),
        std::any::type_name::<TaskDefinedMessage>()
    );
    let _: fn(&tc_client::worker_manager::events::WorkerRunning) -> String =
        Binding::routing_key_pattern;
    assert_eq!(
        tc_client::notify::events::Notify::EXCHANGE,
        "exchange/taskcluster-notify/v1/notification"
    );
    assert_eq!(
        tc_client::hooks::events::HookCreated::EXCHANGE,
        "exchange/taskcluster-hooks/v1/hook-created"
    );
}

// ---------------------------------------------------------------------------
// Compile-time checks: every method as a function item. A missing or
// renamed method fails the build of this test.

#[test]
fn every_method_is_a_function_item() {
    auth_methods();
    github_methods();
    hooks_methods();
    index_methods();
    notify_methods();
    object_methods();
    purge_cache_methods();
    queue_methods();
    secrets_methods();
    web_server_methods();
    worker_manager_methods();
}

/// Every method of `auth`, as function items.
fn auth_methods() {
    use tc_client::auth::Auth as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (
        C::list_clients,
        C::list_clients_url,
        C::list_clients_signed_url,
        C::list_clients_all,
    );
    let _ = (C::client, C::client_url, C::client_signed_url);
    let _ = (C::create_client, C::create_client_url);
    let _ = (
        C::get_entity_history,
        C::get_entity_history_url,
        C::get_entity_history_signed_url,
        C::get_entity_history_all,
    );
    let _ = (
        C::list_audit_history,
        C::list_audit_history_url,
        C::list_audit_history_signed_url,
        C::list_audit_history_all,
    );
    let _ = (C::reset_access_token, C::reset_access_token_url);
    let _ = (C::update_client, C::update_client_url);
    let _ = (C::enable_client, C::enable_client_url);
    let _ = (C::disable_client, C::disable_client_url);
    let _ = (C::delete_client, C::delete_client_url);
    let _ = (C::list_roles, C::list_roles_url, C::list_roles_signed_url);
    let _ = (
        C::list_roles2,
        C::list_roles2_url,
        C::list_roles2_signed_url,
        C::list_roles2_all,
    );
    let _ = (
        C::list_role_ids,
        C::list_role_ids_url,
        C::list_role_ids_signed_url,
        C::list_role_ids_all,
    );
    let _ = (C::role, C::role_url, C::role_signed_url);
    let _ = (C::create_role, C::create_role_url);
    let _ = (C::update_role, C::update_role_url);
    let _ = (C::delete_role, C::delete_role_url);
    let _ = (C::expand_scopes, C::expand_scopes_url);
    let _ = (
        C::current_scopes,
        C::current_scopes_url,
        C::current_scopes_signed_url,
    );
    let _ = (
        C::aws_s3_credentials,
        C::aws_s3_credentials_url,
        C::aws_s3_credentials_signed_url,
    );
    let _ = (
        C::azure_accounts,
        C::azure_accounts_url,
        C::azure_accounts_signed_url,
    );
    let _ = (
        C::azure_tables,
        C::azure_tables_url,
        C::azure_tables_signed_url,
        C::azure_tables_all,
    );
    let _ = (
        C::azure_table_sas,
        C::azure_table_sas_url,
        C::azure_table_sas_signed_url,
    );
    let _ = (
        C::azure_containers,
        C::azure_containers_url,
        C::azure_containers_signed_url,
        C::azure_containers_all,
    );
    let _ = (
        C::azure_container_sas,
        C::azure_container_sas_url,
        C::azure_container_sas_signed_url,
    );
    let _ = (C::sentry_dsn, C::sentry_dsn_url, C::sentry_dsn_signed_url);
    let _ = (
        C::websocktunnel_token,
        C::websocktunnel_token_url,
        C::websocktunnel_token_signed_url,
    );
    let _ = (
        C::gcp_credentials,
        C::gcp_credentials_url,
        C::gcp_credentials_signed_url,
    );
    let _ = (C::github_repo_token, C::github_repo_token_url);
    let _ = (C::authenticate_hawk, C::authenticate_hawk_url);
    let _ = (C::test_authenticate, C::test_authenticate_url);
    let _ = (C::test_authenticate_get, C::test_authenticate_get_url);
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `github`, as function items.
fn github_methods() {
    use tc_client::github::Github as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (
        C::builds,
        C::builds_url,
        C::builds_signed_url,
        C::builds_all,
    );
    let _ = (C::cancel_builds, C::cancel_builds_url);
    let _ = (C::badge, C::badge_url, C::badge_signed_url);
    let _ = (C::repository, C::repository_url, C::repository_signed_url);
    let _ = (C::latest, C::latest_url, C::latest_signed_url);
    let _ = (C::create_status, C::create_status_url);
    let _ = (C::create_comment, C::create_comment_url);
    let _ = (C::render_taskcluster_yml, C::render_taskcluster_yml_url);
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `hooks`, as function items.
fn hooks_methods() {
    use tc_client::hooks::Hooks as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (
        C::list_hook_groups,
        C::list_hook_groups_url,
        C::list_hook_groups_signed_url,
    );
    let _ = (C::list_hooks, C::list_hooks_url, C::list_hooks_signed_url);
    let _ = (C::hook, C::hook_url, C::hook_signed_url);
    let _ = (
        C::get_hook_status,
        C::get_hook_status_url,
        C::get_hook_status_signed_url,
    );
    let _ = (C::create_hook, C::create_hook_url);
    let _ = (C::update_hook, C::update_hook_url);
    let _ = (C::remove_hook, C::remove_hook_url);
    let _ = (C::trigger_hook, C::trigger_hook_url);
    let _ = (
        C::get_trigger_token,
        C::get_trigger_token_url,
        C::get_trigger_token_signed_url,
    );
    let _ = (C::reset_trigger_token, C::reset_trigger_token_url);
    let _ = (C::trigger_hook_with_token, C::trigger_hook_with_token_url);
    let _ = (
        C::list_last_fires,
        C::list_last_fires_url,
        C::list_last_fires_signed_url,
        C::list_last_fires_all,
    );
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `index`, as function items.
fn index_methods() {
    use tc_client::index::Index as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (C::find_task, C::find_task_url, C::find_task_signed_url);
    let _ = (
        C::find_tasks_at_index,
        C::find_tasks_at_index_url,
        C::find_tasks_at_index_all,
    );
    let _ = (
        C::list_namespaces,
        C::list_namespaces_url,
        C::list_namespaces_signed_url,
        C::list_namespaces_all,
    );
    let _ = (
        C::list_tasks,
        C::list_tasks_url,
        C::list_tasks_signed_url,
        C::list_tasks_all,
    );
    let _ = (C::insert_task, C::insert_task_url);
    let _ = (C::delete_task, C::delete_task_url);
    let _ = (
        C::find_artifact_from_task,
        C::find_artifact_from_task_url,
        C::find_artifact_from_task_signed_url,
    );
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `notify`, as function items.
fn notify_methods() {
    use tc_client::notify::Notify as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (C::email, C::email_url);
    let _ = (C::pulse, C::pulse_url);
    let _ = (C::matrix, C::matrix_url);
    let _ = (C::slack, C::slack_url);
    let _ = (C::add_denylist_address, C::add_denylist_address_url);
    let _ = (C::delete_denylist_address, C::delete_denylist_address_url);
    let _ = (
        C::list_denylist,
        C::list_denylist_url,
        C::list_denylist_signed_url,
        C::list_denylist_all,
    );
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `object`, as function items.
fn object_methods() {
    use tc_client::object::Object as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (C::create_upload, C::create_upload_url);
    let _ = (C::finish_upload, C::finish_upload_url);
    let _ = (C::start_download, C::start_download_url);
    let _ = (C::object, C::object_url, C::object_signed_url);
    let _ = (C::download, C::download_url, C::download_signed_url);
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `purge-cache`, as function items.
fn purge_cache_methods() {
    use tc_client::purge_cache::PurgeCache as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (C::purge_cache, C::purge_cache_url);
    // `C::all_purge_requests_all` is missing (engine problem; the runtime check reports it).
    let _ = (
        C::all_purge_requests,
        C::all_purge_requests_url,
        C::all_purge_requests_signed_url,
    );
    let _ = (
        C::purge_requests,
        C::purge_requests_url,
        C::purge_requests_signed_url,
    );
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `queue`, as function items.
fn queue_methods() {
    use tc_client::queue::Queue as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (C::task, C::task_url, C::task_signed_url);
    let _ = (C::tasks, C::tasks_url, C::tasks_all);
    let _ = (C::statuses, C::statuses_url, C::statuses_all);
    let _ = (C::status, C::status_url, C::status_signed_url);
    let _ = (
        C::list_task_group,
        C::list_task_group_url,
        C::list_task_group_signed_url,
        C::list_task_group_all,
    );
    let _ = (C::cancel_task_group, C::cancel_task_group_url);
    let _ = (
        C::get_task_group,
        C::get_task_group_url,
        C::get_task_group_signed_url,
    );
    let _ = (C::seal_task_group, C::seal_task_group_url);
    let _ = (
        C::list_dependent_tasks,
        C::list_dependent_tasks_url,
        C::list_dependent_tasks_signed_url,
        C::list_dependent_tasks_all,
    );
    let _ = (C::create_task, C::create_task_url);
    let _ = (C::schedule_task, C::schedule_task_url);
    let _ = (C::rerun_task, C::rerun_task_url);
    let _ = (C::cancel_task, C::cancel_task_url);
    let _ = (C::change_task_priority, C::change_task_priority_url);
    let _ = (
        C::change_task_group_priority,
        C::change_task_group_priority_url,
    );
    let _ = (C::claim_work, C::claim_work_url);
    let _ = (C::claim_task, C::claim_task_url);
    let _ = (C::reclaim_task, C::reclaim_task_url);
    let _ = (C::report_completed, C::report_completed_url);
    let _ = (C::report_failed, C::report_failed_url);
    let _ = (C::report_exception, C::report_exception_url);
    let _ = (C::create_artifact, C::create_artifact_url);
    let _ = (C::finish_artifact, C::finish_artifact_url);
    let _ = (
        C::get_artifact,
        C::get_artifact_url,
        C::get_artifact_signed_url,
    );
    let _ = (
        C::get_latest_artifact,
        C::get_latest_artifact_url,
        C::get_latest_artifact_signed_url,
    );
    let _ = (
        C::list_artifacts,
        C::list_artifacts_url,
        C::list_artifacts_signed_url,
        C::list_artifacts_all,
    );
    let _ = (
        C::list_latest_artifacts,
        C::list_latest_artifacts_url,
        C::list_latest_artifacts_signed_url,
        C::list_latest_artifacts_all,
    );
    let _ = (
        C::artifact_info,
        C::artifact_info_url,
        C::artifact_info_signed_url,
    );
    let _ = (
        C::latest_artifact_info,
        C::latest_artifact_info_url,
        C::latest_artifact_info_signed_url,
    );
    let _ = (C::artifact, C::artifact_url, C::artifact_signed_url);
    let _ = (
        C::latest_artifact,
        C::latest_artifact_url,
        C::latest_artifact_signed_url,
    );
    let _ = (
        C::list_provisioners,
        C::list_provisioners_url,
        C::list_provisioners_signed_url,
        C::list_provisioners_all,
    );
    let _ = (
        C::get_provisioner,
        C::get_provisioner_url,
        C::get_provisioner_signed_url,
    );
    let _ = (
        C::pending_tasks,
        C::pending_tasks_url,
        C::pending_tasks_signed_url,
    );
    let _ = (
        C::task_queue_counts,
        C::task_queue_counts_url,
        C::task_queue_counts_signed_url,
    );
    let _ = (
        C::list_pending_tasks,
        C::list_pending_tasks_url,
        C::list_pending_tasks_signed_url,
        C::list_pending_tasks_all,
    );
    let _ = (
        C::list_claimed_tasks,
        C::list_claimed_tasks_url,
        C::list_claimed_tasks_signed_url,
        C::list_claimed_tasks_all,
    );
    let _ = (
        C::list_worker_types,
        C::list_worker_types_url,
        C::list_worker_types_signed_url,
        C::list_worker_types_all,
    );
    let _ = (
        C::get_worker_type,
        C::get_worker_type_url,
        C::get_worker_type_signed_url,
    );
    let _ = (
        C::list_task_queues,
        C::list_task_queues_url,
        C::list_task_queues_signed_url,
        C::list_task_queues_all,
    );
    let _ = (
        C::get_task_queue,
        C::get_task_queue_url,
        C::get_task_queue_signed_url,
    );
    let _ = (
        C::list_workers,
        C::list_workers_url,
        C::list_workers_signed_url,
        C::list_workers_all,
    );
    let _ = (C::get_worker, C::get_worker_url, C::get_worker_signed_url);
    let _ = (C::quarantine_worker, C::quarantine_worker_url);
    let _ = (C::declare_worker, C::declare_worker_url);
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `secrets`, as function items.
fn secrets_methods() {
    use tc_client::secrets::Secrets as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (C::set, C::set_url);
    let _ = (C::remove, C::remove_url);
    let _ = (C::get, C::get_url, C::get_signed_url);
    let _ = (C::list, C::list_url, C::list_signed_url, C::list_all);
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `web-server`, as function items.
fn web_server_methods() {
    use tc_client::web_server::WebServer as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (C::task_group_profile, C::task_group_profile_url);
    let _ = (C::task_profile, C::task_profile_url);
    let _ = (C::heartbeat, C::heartbeat_url);
}

/// Every method of `worker-manager`, as function items.
fn worker_manager_methods() {
    use tc_client::worker_manager::WorkerManager as C;
    let _ = (C::ping, C::ping_url);
    let _ = (C::lbheartbeat, C::lbheartbeat_url);
    let _ = (C::version, C::version_url);
    let _ = (
        C::list_providers,
        C::list_providers_url,
        C::list_providers_signed_url,
        C::list_providers_all,
    );
    let _ = (C::create_worker_pool, C::create_worker_pool_url);
    let _ = (C::update_worker_pool, C::update_worker_pool_url);
    let _ = (C::delete_worker_pool, C::delete_worker_pool_url);
    let _ = (
        C::list_worker_pool_launch_configs,
        C::list_worker_pool_launch_configs_url,
        C::list_worker_pool_launch_configs_signed_url,
        C::list_worker_pool_launch_configs_all,
    );
    let _ = (
        C::worker_pool_stats,
        C::worker_pool_stats_url,
        C::worker_pool_stats_signed_url,
    );
    let _ = (
        C::worker_pool,
        C::worker_pool_url,
        C::worker_pool_signed_url,
    );
    let _ = (
        C::list_worker_pools,
        C::list_worker_pools_url,
        C::list_worker_pools_signed_url,
        C::list_worker_pools_all,
    );
    let _ = (
        C::list_worker_pools_stats,
        C::list_worker_pools_stats_url,
        C::list_worker_pools_stats_signed_url,
        C::list_worker_pools_stats_all,
    );
    let _ = (C::report_worker_error, C::report_worker_error_url);
    let _ = (
        C::worker_pool_error_stats,
        C::worker_pool_error_stats_url,
        C::worker_pool_error_stats_signed_url,
    );
    let _ = (
        C::list_worker_pool_errors,
        C::list_worker_pool_errors_url,
        C::list_worker_pool_errors_signed_url,
        C::list_worker_pool_errors_all,
    );
    let _ = (
        C::list_workers_for_worker_group,
        C::list_workers_for_worker_group_url,
        C::list_workers_for_worker_group_signed_url,
        C::list_workers_for_worker_group_all,
    );
    let _ = (C::worker, C::worker_url, C::worker_signed_url);
    let _ = (C::create_worker, C::create_worker_url);
    let _ = (C::update_worker, C::update_worker_url);
    let _ = (C::remove_worker, C::remove_worker_url);
    let _ = (
        C::should_worker_terminate,
        C::should_worker_terminate_url,
        C::should_worker_terminate_signed_url,
    );
    let _ = (
        C::list_workers_for_worker_pool,
        C::list_workers_for_worker_pool_url,
        C::list_workers_for_worker_pool_signed_url,
        C::list_workers_for_worker_pool_all,
    );
    let _ = (C::register_worker, C::register_worker_url);
    let _ = (C::reregister_worker, C::reregister_worker_url);
    let _ = (
        C::list_workers,
        C::list_workers_url,
        C::list_workers_signed_url,
        C::list_workers_all,
    );
    let _ = (C::get_worker, C::get_worker_url, C::get_worker_signed_url);
    let _ = (C::heartbeat, C::heartbeat_url);
}

fn every_exchange(check: &mut Checker) {
    check.binding::<tc_client::auth::events::ClientCreated>("auth", "clientCreated");
    check.binding::<tc_client::auth::events::ClientUpdated>("auth", "clientUpdated");
    check.binding::<tc_client::auth::events::ClientDeleted>("auth", "clientDeleted");
    check.binding::<tc_client::auth::events::RoleCreated>("auth", "roleCreated");
    check.binding::<tc_client::auth::events::RoleUpdated>("auth", "roleUpdated");
    check.binding::<tc_client::auth::events::RoleDeleted>("auth", "roleDeleted");
    check.binding::<tc_client::github::events::PullRequest>("github", "pullRequest");
    check.binding::<tc_client::github::events::Push>("github", "push");
    check.binding::<tc_client::github::events::Release>("github", "release");
    check.binding::<tc_client::github::events::Rerun>("github", "rerun");
    check.binding::<tc_client::github::events::TaskGroupCreationRequested>(
        "github",
        "taskGroupCreationRequested",
    );
    check.binding::<tc_client::hooks::events::HookCreated>("hooks", "hookCreated");
    check.binding::<tc_client::hooks::events::HookUpdated>("hooks", "hookUpdated");
    check.binding::<tc_client::hooks::events::HookDeleted>("hooks", "hookDeleted");
    check.binding::<tc_client::notify::events::Notify>("notify", "notify");
    check.binding::<tc_client::queue::events::TaskDefined>("queue", "taskDefined");
    check.binding::<tc_client::queue::events::TaskPending>("queue", "taskPending");
    check.binding::<tc_client::queue::events::TaskRunning>("queue", "taskRunning");
    check.binding::<tc_client::queue::events::ArtifactCreated>("queue", "artifactCreated");
    check.binding::<tc_client::queue::events::TaskCompleted>("queue", "taskCompleted");
    check.binding::<tc_client::queue::events::TaskFailed>("queue", "taskFailed");
    check.binding::<tc_client::queue::events::TaskException>("queue", "taskException");
    check.binding::<tc_client::queue::events::TaskGroupResolved>("queue", "taskGroupResolved");
    check.binding::<tc_client::queue::events::TaskGroupSealed>("queue", "taskGroupSealed");
    check.binding::<tc_client::queue::events::TaskPriorityChanged>("queue", "taskPriorityChanged");
    check.binding::<tc_client::queue::events::TaskGroupPriorityChanged>(
        "queue",
        "taskGroupPriorityChanged",
    );
    check.binding::<tc_client::worker_manager::events::WorkerPoolCreated>(
        "worker-manager",
        "workerPoolCreated",
    );
    check.binding::<tc_client::worker_manager::events::WorkerPoolUpdated>(
        "worker-manager",
        "workerPoolUpdated",
    );
    check.binding::<tc_client::worker_manager::events::WorkerPoolError>(
        "worker-manager",
        "workerPoolError",
    );
    check.binding::<tc_client::worker_manager::events::WorkerRequested>(
        "worker-manager",
        "workerRequested",
    );
    check.binding::<tc_client::worker_manager::events::WorkerRunning>(
        "worker-manager",
        "workerRunning",
    );
    check.binding::<tc_client::worker_manager::events::WorkerStopped>(
        "worker-manager",
        "workerStopped",
    );
    check.binding::<tc_client::worker_manager::events::WorkerRemoved>(
        "worker-manager",
        "workerRemoved",
    );
    check.binding::<tc_client::worker_manager::events::LaunchConfigCreated>(
        "worker-manager",
        "launchConfigCreated",
    );
    check.binding::<tc_client::worker_manager::events::LaunchConfigUpdated>(
        "worker-manager",
        "launchConfigUpdated",
    );
    check.binding::<tc_client::worker_manager::events::LaunchConfigArchived>(
        "worker-manager",
        "launchConfigArchived",
    );
}
