//! The generated API is complete: every method and every exchange of the
//! imported references (`references/references/<service>/v1/{api,exchanges}.json`).
//!
//! Two complementary checks:
//!
//! - at compile time, `<service>_methods()` call every method of every client
//!   (with its `_url`, `_signed_url` and `_all` siblings, and every query
//!   argument's setter) with arguments of the right kinds, never run, and
//!   `every_exchange` names every binding type, so a missing one fails the build;
//! - at run time, the references are read with serde_json and compared with the
//!   items of `tc_codegen::generate_service`'s expansion, parsed with syn:
//!   nothing missing, nothing extra, argument counts, which methods answer
//!   nothing, the methods of each call with query arguments, and each
//!   exchange's name and routing key.

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
/// included) and, for the API methods themselves, whether they answer
/// `Result<()>` and, for those with query arguments, the methods of the call
/// they answer (one setter per query argument, `url`, and `signed_url` and
/// `all` where the method has them).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Signature {
    inputs: usize,
    returns_unit: Option<bool>,
    call: Option<BTreeSet<String>>,
}

fn expected_functions(
    reference: &ServiceReference,
    schemas: &mut Schemas,
) -> BTreeMap<String, Signature> {
    let service_name = reference.api["serviceName"].as_str().expect("serviceName");
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
    for entry in reference.functions() {
        let name = snake_case(entry["name"].as_str().expect("name"));
        let args = strings(&entry["args"]).len();
        let query = strings(&entry["query"]);
        let input = usize::from(entry.get("input").is_some_and(Value::is_string));
        let output = entry["output"].as_str().filter(|o| *o != "blob");
        let signs = entry["method"] == "get" && entry.get("scopes").is_some_and(|s| !s.is_null());
        let pages = output.is_some_and(|output| {
            query.contains(&"continuationToken") && schemas.is_list_page(service_name, output)
        });
        let url_inputs = 1 + args;
        let call = (!query.is_empty()).then(|| {
            let mut methods: BTreeSet<String> = query.iter().map(|q| snake_case(q)).collect();
            methods.insert("url".to_owned());
            if signs {
                methods.insert("signed_url".to_owned());
            }
            if pages {
                methods.insert("all".to_owned());
            }
            methods
        });
        out.insert(
            name.clone(),
            Signature {
                inputs: url_inputs + input,
                returns_unit: Some(output.is_none()),
                call,
            },
        );
        out.insert(format!("{name}_url"), constructor(url_inputs));
        if signs {
            out.insert(format!("{name}_signed_url"), constructor(url_inputs + 1));
        }
        if pages {
            out.insert(format!("{name}_all"), constructor(url_inputs + input));
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

/// The `Output` of a `-> impl Future<Output = ..> + ..` signature.
fn future_output(sig: &syn::Signature) -> Option<&syn::Type> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let syn::Type::ImplTrait(bounds) = &**ty else {
        return None;
    };
    bounds.bounds.iter().find_map(|bound| {
        let syn::TypeParamBound::Trait(t) = bound else {
            return None;
        };
        let segment = t.path.segments.last()?;
        let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
            return None;
        };
        args.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::AssocType(a) if a.ident == "Output" => Some(&a.ty),
            _ => None,
        })
    })
}

/// The call type a method answers (`-> calls::ListArtifacts<'a>`).
fn call_type(sig: &syn::Signature) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let path = type_path(ty)?;
    (path.segments.first()?.ident == "calls")
        .then(|| path.segments.last().map(|s| s.ident.to_string()))?
}

/// Whether `::tc_client::Result<()>` is `Result` of unit.
fn returns_unit(ty: &syn::Type) -> Option<bool> {
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

    // The call types: their public methods, and the `Output` of their `IntoFuture`.
    let mut calls: BTreeMap<String, (BTreeSet<String>, Option<bool>)> = BTreeMap::new();
    let call_items = items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "calls" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    for item in call_items.into_iter().flatten() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let name = last_ident(&block.self_ty).expect("call type");
        let entry = calls.entry(name).or_default();
        for impl_item in &block.items {
            match impl_item {
                syn::ImplItem::Fn(f) if matches!(f.vis, syn::Visibility::Public(_)) => {
                    entry.0.insert(f.sig.ident.to_string());
                }
                syn::ImplItem::Type(t) if t.ident == "Output" => entry.1 = returns_unit(&t.ty),
                _ => {}
            }
        }
    }

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
                    && !["new", "from_env", "builder", "root_url"].contains(&name.as_str());
                let call = call_type(&f.sig).map(|name| {
                    calls
                        .get(&name)
                        .cloned()
                        .unwrap_or_else(|| panic!("{service}: `{name}` has no methods"))
                });
                let signature = Signature {
                    inputs: f.sig.inputs.len(),
                    returns_unit: match (&call, is_api_method) {
                        (Some((_, unit)), true) => *unit,
                        (None, true) => future_output(&f.sig).and_then(returns_unit),
                        _ => None,
                    },
                    call: call.map(|(methods, _)| methods),
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
// Compile-time checks: every method called, never run. A missing or renamed
// method, or one that takes other arguments, fails the build of this test.

/// A value of any type, for the arguments of calls that are never made.
fn any<T>() -> T {
    unreachable!("the calls of the compile-time checks are never made")
}

#[test]
fn every_method_compiles_with_its_arguments() {
    let _ = auth_methods;
    let _ = github_methods;
    let _ = hooks_methods;
    let _ = index_methods;
    let _ = notify_methods;
    let _ = object_methods;
    let _ = purge_cache_methods;
    let _ = queue_methods;
    let _ = secrets_methods;
    let _ = web_server_methods;
    let _ = worker_manager_methods;
}

/// Every method of `auth`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn auth_methods(c: &tc_client::auth::Auth) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (
        c.list_clients(),
        c.list_clients_url(),
        c.list_clients_signed_url(any()),
        c.list_clients_all(),
        c.list_clients()
            .prefix("x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.client("x"),
        c.client_url("x"),
        c.client_signed_url("x", any()),
    );
    let _ = (c.create_client("x", any()), c.create_client_url("x"));
    let _ = (
        c.get_entity_history("x", "x"),
        c.get_entity_history_url("x", "x"),
        c.get_entity_history_signed_url("x", "x", any()),
        c.get_entity_history_all("x", "x"),
        c.get_entity_history("x", "x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.list_audit_history("x"),
        c.list_audit_history_url("x"),
        c.list_audit_history_signed_url("x", any()),
        c.list_audit_history_all("x"),
        c.list_audit_history("x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (c.reset_access_token("x"), c.reset_access_token_url("x"));
    let _ = (c.update_client("x", any()), c.update_client_url("x"));
    let _ = (c.enable_client("x"), c.enable_client_url("x"));
    let _ = (c.disable_client("x"), c.disable_client_url("x"));
    let _ = (c.delete_client("x"), c.delete_client_url("x"));
    let _ = (
        c.list_roles(),
        c.list_roles_url(),
        c.list_roles_signed_url(any()),
    );
    let _ = (
        c.list_roles2(),
        c.list_roles2_url(),
        c.list_roles2_signed_url(any()),
        c.list_roles2_all(),
        c.list_roles2().continuation_token("x").limit(any()).url(),
    );
    let _ = (
        c.list_role_ids(),
        c.list_role_ids_url(),
        c.list_role_ids_signed_url(any()),
        c.list_role_ids_all(),
        c.list_role_ids().continuation_token("x").limit(any()).url(),
    );
    let _ = (c.role("x"), c.role_url("x"), c.role_signed_url("x", any()));
    let _ = (c.create_role("x", any()), c.create_role_url("x"));
    let _ = (c.update_role("x", any()), c.update_role_url("x"));
    let _ = (c.delete_role("x"), c.delete_role_url("x"));
    let _ = (c.expand_scopes(any()), c.expand_scopes_url());
    let _ = (
        c.current_scopes(),
        c.current_scopes_url(),
        c.current_scopes_signed_url(any()),
    );
    let _ = (
        c.aws_s3_credentials("x", "x", "x"),
        c.aws_s3_credentials_url("x", "x", "x"),
        c.aws_s3_credentials_signed_url("x", "x", "x", any()),
        c.aws_s3_credentials("x", "x", "x").format("x").url(),
    );
    let _ = (
        c.azure_accounts(),
        c.azure_accounts_url(),
        c.azure_accounts_signed_url(any()),
    );
    let _ = (
        c.azure_tables("x"),
        c.azure_tables_url("x"),
        c.azure_tables_signed_url("x", any()),
        c.azure_tables_all("x"),
        c.azure_tables("x").continuation_token("x").url(),
    );
    let _ = (
        c.azure_table_sas("x", "x", "x"),
        c.azure_table_sas_url("x", "x", "x"),
        c.azure_table_sas_signed_url("x", "x", "x", any()),
    );
    let _ = (
        c.azure_containers("x"),
        c.azure_containers_url("x"),
        c.azure_containers_signed_url("x", any()),
        c.azure_containers_all("x"),
        c.azure_containers("x").continuation_token("x").url(),
    );
    let _ = (
        c.azure_container_sas("x", "x", "x"),
        c.azure_container_sas_url("x", "x", "x"),
        c.azure_container_sas_signed_url("x", "x", "x", any()),
    );
    let _ = (
        c.sentry_dsn("x"),
        c.sentry_dsn_url("x"),
        c.sentry_dsn_signed_url("x", any()),
    );
    let _ = (
        c.websocktunnel_token("x", "x"),
        c.websocktunnel_token_url("x", "x"),
        c.websocktunnel_token_signed_url("x", "x", any()),
    );
    let _ = (
        c.gcp_credentials("x", "x"),
        c.gcp_credentials_url("x", "x"),
        c.gcp_credentials_signed_url("x", "x", any()),
    );
    let _ = (
        c.github_repo_token("x", "x", any()),
        c.github_repo_token_url("x", "x"),
    );
    let _ = (c.authenticate_hawk(any()), c.authenticate_hawk_url());
    let _ = (c.test_authenticate(any()), c.test_authenticate_url());
    let _ = (c.test_authenticate_get(), c.test_authenticate_get_url());
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `github`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn github_methods(c: &tc_client::github::Github) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (
        c.builds(),
        c.builds_url(),
        c.builds_signed_url(any()),
        c.builds_all(),
        c.builds()
            .continuation_token("x")
            .limit(any())
            .organization("x")
            .repository("x")
            .sha("x")
            .pull_request(any())
            .url(),
    );
    let _ = (
        c.cancel_builds("x", "x"),
        c.cancel_builds_url("x", "x"),
        c.cancel_builds("x", "x").sha("x").pull_request(any()).url(),
    );
    let _ = (
        c.badge("x", "x", "x"),
        c.badge_url("x", "x", "x"),
        c.badge_signed_url("x", "x", "x", any()),
    );
    let _ = (
        c.repository("x", "x"),
        c.repository_url("x", "x"),
        c.repository_signed_url("x", "x", any()),
    );
    let _ = (
        c.latest("x", "x", "x"),
        c.latest_url("x", "x", "x"),
        c.latest_signed_url("x", "x", "x", any()),
    );
    let _ = (
        c.create_status("x", "x", "x", any()),
        c.create_status_url("x", "x", "x"),
    );
    let _ = (
        c.create_comment("x", "x", "x", any()),
        c.create_comment_url("x", "x", "x"),
    );
    let _ = (
        c.render_taskcluster_yml(any()),
        c.render_taskcluster_yml_url(),
    );
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `hooks`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn hooks_methods(c: &tc_client::hooks::Hooks) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (
        c.list_hook_groups(),
        c.list_hook_groups_url(),
        c.list_hook_groups_signed_url(any()),
    );
    let _ = (
        c.list_hooks("x"),
        c.list_hooks_url("x"),
        c.list_hooks_signed_url("x", any()),
    );
    let _ = (
        c.hook("x", "x"),
        c.hook_url("x", "x"),
        c.hook_signed_url("x", "x", any()),
    );
    let _ = (
        c.get_hook_status("x", "x"),
        c.get_hook_status_url("x", "x"),
        c.get_hook_status_signed_url("x", "x", any()),
    );
    let _ = (c.create_hook("x", "x", any()), c.create_hook_url("x", "x"));
    let _ = (c.update_hook("x", "x", any()), c.update_hook_url("x", "x"));
    let _ = (c.remove_hook("x", "x"), c.remove_hook_url("x", "x"));
    let _ = (
        c.trigger_hook("x", "x", any()),
        c.trigger_hook_url("x", "x"),
    );
    let _ = (
        c.get_trigger_token("x", "x"),
        c.get_trigger_token_url("x", "x"),
        c.get_trigger_token_signed_url("x", "x", any()),
    );
    let _ = (
        c.reset_trigger_token("x", "x"),
        c.reset_trigger_token_url("x", "x"),
    );
    let _ = (
        c.trigger_hook_with_token("x", "x", "x", any()),
        c.trigger_hook_with_token_url("x", "x", "x"),
    );
    let _ = (
        c.list_last_fires("x", "x"),
        c.list_last_fires_url("x", "x"),
        c.list_last_fires_signed_url("x", "x", any()),
        c.list_last_fires_all("x", "x"),
        c.list_last_fires("x", "x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `index`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn index_methods(c: &tc_client::index::Index) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (
        c.find_task("x"),
        c.find_task_url("x"),
        c.find_task_signed_url("x", any()),
    );
    let _ = (
        c.find_tasks_at_index(any()),
        c.find_tasks_at_index_url(),
        c.find_tasks_at_index_all(any()),
        c.find_tasks_at_index(any())
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.list_namespaces("x"),
        c.list_namespaces_url("x"),
        c.list_namespaces_signed_url("x", any()),
        c.list_namespaces_all("x"),
        c.list_namespaces("x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.list_tasks("x"),
        c.list_tasks_url("x"),
        c.list_tasks_signed_url("x", any()),
        c.list_tasks_all("x"),
        c.list_tasks("x").continuation_token("x").limit(any()).url(),
    );
    let _ = (c.insert_task("x", any()), c.insert_task_url("x"));
    let _ = (c.delete_task("x"), c.delete_task_url("x"));
    let _ = (
        c.find_artifact_from_task("x", "x"),
        c.find_artifact_from_task_url("x", "x"),
        c.find_artifact_from_task_signed_url("x", "x", any()),
    );
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `notify`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn notify_methods(c: &tc_client::notify::Notify) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (c.email(any()), c.email_url());
    let _ = (c.pulse(any()), c.pulse_url());
    let _ = (c.matrix(any()), c.matrix_url());
    let _ = (c.slack(any()), c.slack_url());
    let _ = (c.add_denylist_address(any()), c.add_denylist_address_url());
    let _ = (
        c.delete_denylist_address(any()),
        c.delete_denylist_address_url(),
    );
    let _ = (
        c.list_denylist(),
        c.list_denylist_url(),
        c.list_denylist_signed_url(any()),
        c.list_denylist_all(),
        c.list_denylist().continuation_token("x").limit(any()).url(),
    );
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `object`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn object_methods(c: &tc_client::object::Object) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (c.create_upload("x", any()), c.create_upload_url("x"));
    let _ = (c.finish_upload("x", any()), c.finish_upload_url("x"));
    let _ = (c.start_download("x", any()), c.start_download_url("x"));
    let _ = (
        c.object("x"),
        c.object_url("x"),
        c.object_signed_url("x", any()),
    );
    let _ = (
        c.download("x"),
        c.download_url("x"),
        c.download_signed_url("x", any()),
    );
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `purge-cache`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn purge_cache_methods(c: &tc_client::purge_cache::PurgeCache) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (c.purge_cache("x", any()), c.purge_cache_url("x"));
    let _ = (
        c.all_purge_requests(),
        c.all_purge_requests_url(),
        c.all_purge_requests_signed_url(any()),
        c.all_purge_requests_all(),
        c.all_purge_requests()
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.purge_requests("x"),
        c.purge_requests_url("x"),
        c.purge_requests_signed_url("x", any()),
        c.purge_requests("x").since(any()).url(),
    );
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `queue`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn queue_methods(c: &tc_client::queue::Queue) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (c.task("x"), c.task_url("x"), c.task_signed_url("x", any()));
    let _ = (
        c.tasks(any()),
        c.tasks_url(),
        c.tasks_all(any()),
        c.tasks(any()).continuation_token("x").limit(any()).url(),
    );
    let _ = (
        c.statuses(any()),
        c.statuses_url(),
        c.statuses_all(any()),
        c.statuses(any()).continuation_token("x").limit(any()).url(),
    );
    let _ = (
        c.status("x"),
        c.status_url("x"),
        c.status_signed_url("x", any()),
    );
    let _ = (
        c.list_task_group("x"),
        c.list_task_group_url("x"),
        c.list_task_group_signed_url("x", any()),
        c.list_task_group_all("x"),
        c.list_task_group("x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (c.cancel_task_group("x"), c.cancel_task_group_url("x"));
    let _ = (
        c.get_task_group("x"),
        c.get_task_group_url("x"),
        c.get_task_group_signed_url("x", any()),
    );
    let _ = (c.seal_task_group("x"), c.seal_task_group_url("x"));
    let _ = (
        c.list_dependent_tasks("x"),
        c.list_dependent_tasks_url("x"),
        c.list_dependent_tasks_signed_url("x", any()),
        c.list_dependent_tasks_all("x"),
        c.list_dependent_tasks("x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (c.create_task("x", any()), c.create_task_url("x"));
    let _ = (c.schedule_task("x"), c.schedule_task_url("x"));
    let _ = (c.rerun_task("x"), c.rerun_task_url("x"));
    let _ = (c.cancel_task("x"), c.cancel_task_url("x"));
    let _ = (
        c.change_task_priority("x", any()),
        c.change_task_priority_url("x"),
    );
    let _ = (
        c.change_task_group_priority("x", any()),
        c.change_task_group_priority_url("x"),
    );
    let _ = (c.claim_work("x", any()), c.claim_work_url("x"));
    let _ = (c.claim_task("x", "x", any()), c.claim_task_url("x", "x"));
    let _ = (c.reclaim_task("x", "x"), c.reclaim_task_url("x", "x"));
    let _ = (
        c.report_completed("x", "x"),
        c.report_completed_url("x", "x"),
    );
    let _ = (c.report_failed("x", "x"), c.report_failed_url("x", "x"));
    let _ = (
        c.report_exception("x", "x", any()),
        c.report_exception_url("x", "x"),
    );
    let _ = (
        c.create_artifact("x", "x", "x", any()),
        c.create_artifact_url("x", "x", "x"),
    );
    let _ = (
        c.finish_artifact("x", "x", "x", any()),
        c.finish_artifact_url("x", "x", "x"),
    );
    let _ = (
        c.get_artifact("x", "x", "x"),
        c.get_artifact_url("x", "x", "x"),
        c.get_artifact_signed_url("x", "x", "x", any()),
    );
    let _ = (
        c.get_latest_artifact("x", "x"),
        c.get_latest_artifact_url("x", "x"),
        c.get_latest_artifact_signed_url("x", "x", any()),
    );
    let _ = (
        c.list_artifacts("x", "x"),
        c.list_artifacts_url("x", "x"),
        c.list_artifacts_signed_url("x", "x", any()),
        c.list_artifacts_all("x", "x"),
        c.list_artifacts("x", "x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.list_latest_artifacts("x"),
        c.list_latest_artifacts_url("x"),
        c.list_latest_artifacts_signed_url("x", any()),
        c.list_latest_artifacts_all("x"),
        c.list_latest_artifacts("x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.artifact_info("x", "x", "x"),
        c.artifact_info_url("x", "x", "x"),
        c.artifact_info_signed_url("x", "x", "x", any()),
    );
    let _ = (
        c.latest_artifact_info("x", "x"),
        c.latest_artifact_info_url("x", "x"),
        c.latest_artifact_info_signed_url("x", "x", any()),
    );
    let _ = (
        c.artifact("x", "x", "x"),
        c.artifact_url("x", "x", "x"),
        c.artifact_signed_url("x", "x", "x", any()),
    );
    let _ = (
        c.latest_artifact("x", "x"),
        c.latest_artifact_url("x", "x"),
        c.latest_artifact_signed_url("x", "x", any()),
    );
    let _ = (
        c.list_provisioners(),
        c.list_provisioners_url(),
        c.list_provisioners_signed_url(any()),
        c.list_provisioners_all(),
        c.list_provisioners()
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.get_provisioner("x"),
        c.get_provisioner_url("x"),
        c.get_provisioner_signed_url("x", any()),
    );
    let _ = (
        c.pending_tasks("x"),
        c.pending_tasks_url("x"),
        c.pending_tasks_signed_url("x", any()),
    );
    let _ = (
        c.task_queue_counts("x"),
        c.task_queue_counts_url("x"),
        c.task_queue_counts_signed_url("x", any()),
    );
    let _ = (
        c.list_pending_tasks("x"),
        c.list_pending_tasks_url("x"),
        c.list_pending_tasks_signed_url("x", any()),
        c.list_pending_tasks_all("x"),
        c.list_pending_tasks("x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.list_claimed_tasks("x"),
        c.list_claimed_tasks_url("x"),
        c.list_claimed_tasks_signed_url("x", any()),
        c.list_claimed_tasks_all("x"),
        c.list_claimed_tasks("x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.list_worker_types("x"),
        c.list_worker_types_url("x"),
        c.list_worker_types_signed_url("x", any()),
        c.list_worker_types_all("x"),
        c.list_worker_types("x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.get_worker_type("x", "x"),
        c.get_worker_type_url("x", "x"),
        c.get_worker_type_signed_url("x", "x", any()),
    );
    let _ = (
        c.list_task_queues(),
        c.list_task_queues_url(),
        c.list_task_queues_signed_url(any()),
        c.list_task_queues_all(),
        c.list_task_queues()
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.get_task_queue("x"),
        c.get_task_queue_url("x"),
        c.get_task_queue_signed_url("x", any()),
    );
    let _ = (
        c.list_workers("x", "x"),
        c.list_workers_url("x", "x"),
        c.list_workers_signed_url("x", "x", any()),
        c.list_workers_all("x", "x"),
        c.list_workers("x", "x")
            .continuation_token("x")
            .limit(any())
            .quarantined(any())
            .url(),
    );
    let _ = (
        c.get_worker("x", "x", "x", "x"),
        c.get_worker_url("x", "x", "x", "x"),
        c.get_worker_signed_url("x", "x", "x", "x", any()),
    );
    let _ = (
        c.quarantine_worker("x", "x", "x", "x", any()),
        c.quarantine_worker_url("x", "x", "x", "x"),
    );
    let _ = (
        c.declare_worker("x", "x", "x", "x", any()),
        c.declare_worker_url("x", "x", "x", "x"),
    );
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `secrets`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn secrets_methods(c: &tc_client::secrets::Secrets) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (c.set("x", any()), c.set_url("x"));
    let _ = (c.remove("x"), c.remove_url("x"));
    let _ = (c.get("x"), c.get_url("x"), c.get_signed_url("x", any()));
    let _ = (
        c.list(),
        c.list_url(),
        c.list_signed_url(any()),
        c.list_all(),
        c.list().continuation_token("x").limit(any()).url(),
    );
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `web-server`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn web_server_methods(c: &tc_client::web_server::WebServer) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (c.task_group_profile("x"), c.task_group_profile_url("x"));
    let _ = (c.task_profile("x"), c.task_profile_url("x"));
    let _ = (c.heartbeat(), c.heartbeat_url());
}

/// Every method of `worker-manager`, called with arguments of the right kinds.
#[allow(clippy::too_many_lines)]
fn worker_manager_methods(c: &tc_client::worker_manager::WorkerManager) {
    let _ = (c.ping(), c.ping_url());
    let _ = (c.lbheartbeat(), c.lbheartbeat_url());
    let _ = (c.version(), c.version_url());
    let _ = (
        c.list_providers(),
        c.list_providers_url(),
        c.list_providers_signed_url(any()),
        c.list_providers_all(),
        c.list_providers()
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.create_worker_pool("x", any()),
        c.create_worker_pool_url("x"),
    );
    let _ = (
        c.update_worker_pool("x", any()),
        c.update_worker_pool_url("x"),
    );
    let _ = (c.delete_worker_pool("x"), c.delete_worker_pool_url("x"));
    let _ = (
        c.list_worker_pool_launch_configs("x"),
        c.list_worker_pool_launch_configs_url("x"),
        c.list_worker_pool_launch_configs_signed_url("x", any()),
        c.list_worker_pool_launch_configs_all("x"),
        c.list_worker_pool_launch_configs("x")
            .continuation_token("x")
            .limit(any())
            .include_archived(any())
            .url(),
    );
    let _ = (
        c.worker_pool_stats("x"),
        c.worker_pool_stats_url("x"),
        c.worker_pool_stats_signed_url("x", any()),
    );
    let _ = (
        c.worker_pool("x"),
        c.worker_pool_url("x"),
        c.worker_pool_signed_url("x", any()),
    );
    let _ = (
        c.list_worker_pools(),
        c.list_worker_pools_url(),
        c.list_worker_pools_signed_url(any()),
        c.list_worker_pools_all(),
        c.list_worker_pools()
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.list_worker_pools_stats(),
        c.list_worker_pools_stats_url(),
        c.list_worker_pools_stats_signed_url(any()),
        c.list_worker_pools_stats_all(),
        c.list_worker_pools_stats()
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.report_worker_error("x", any()),
        c.report_worker_error_url("x"),
    );
    let _ = (
        c.worker_pool_error_stats(),
        c.worker_pool_error_stats_url(),
        c.worker_pool_error_stats_signed_url(any()),
        c.worker_pool_error_stats().worker_pool_id("x").url(),
    );
    let _ = (
        c.list_worker_pool_errors("x"),
        c.list_worker_pool_errors_url("x"),
        c.list_worker_pool_errors_signed_url("x", any()),
        c.list_worker_pool_errors_all("x"),
        c.list_worker_pool_errors("x")
            .continuation_token("x")
            .limit(any())
            .launch_config_id("x")
            .error_id("x")
            .url(),
    );
    let _ = (
        c.list_workers_for_worker_group("x", "x"),
        c.list_workers_for_worker_group_url("x", "x"),
        c.list_workers_for_worker_group_signed_url("x", "x", any()),
        c.list_workers_for_worker_group_all("x", "x"),
        c.list_workers_for_worker_group("x", "x")
            .continuation_token("x")
            .limit(any())
            .url(),
    );
    let _ = (
        c.worker("x", "x", "x"),
        c.worker_url("x", "x", "x"),
        c.worker_signed_url("x", "x", "x", any()),
    );
    let _ = (
        c.create_worker("x", "x", "x", any()),
        c.create_worker_url("x", "x", "x"),
    );
    let _ = (
        c.update_worker("x", "x", "x", any()),
        c.update_worker_url("x", "x", "x"),
    );
    let _ = (
        c.remove_worker("x", "x", "x"),
        c.remove_worker_url("x", "x", "x"),
    );
    let _ = (
        c.should_worker_terminate("x", "x", "x"),
        c.should_worker_terminate_url("x", "x", "x"),
        c.should_worker_terminate_signed_url("x", "x", "x", any()),
    );
    let _ = (
        c.list_workers_for_worker_pool("x"),
        c.list_workers_for_worker_pool_url("x"),
        c.list_workers_for_worker_pool_signed_url("x", any()),
        c.list_workers_for_worker_pool_all("x"),
        c.list_workers_for_worker_pool("x")
            .continuation_token("x")
            .limit(any())
            .launch_config_id("x")
            .state("x")
            .url(),
    );
    let _ = (c.register_worker(any()), c.register_worker_url());
    let _ = (c.reregister_worker(any()), c.reregister_worker_url());
    let _ = (
        c.list_workers("x", "x"),
        c.list_workers_url("x", "x"),
        c.list_workers_signed_url("x", "x", any()),
        c.list_workers_all("x", "x"),
        c.list_workers("x", "x")
            .continuation_token("x")
            .limit(any())
            .launch_config_id("x")
            .quarantined(any())
            .worker_state("x")
            .url(),
    );
    let _ = (
        c.get_worker("x", "x", "x", "x"),
        c.get_worker_url("x", "x", "x", "x"),
        c.get_worker_signed_url("x", "x", "x", "x", any()),
    );
    let _ = (c.heartbeat(), c.heartbeat_url());
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
