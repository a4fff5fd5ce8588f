//! The generated API is complete: every method and every exchange of the
//! imported references (`references/references/<service>/v1/{api,exchanges}.json`),
//! under the names reviewed in `names.txt`.
//!
//! What the references ask for is read once, in `expected.rs` (shared with the
//! tests crate's build script), and checked three ways:
//!
//! - at compile time, the build script writes from it a function per service
//!   calling every method of its client (with its `_url`, `_signed_url` and
//!   `_all` siblings, and every query argument's setter) with arguments of the
//!   right kinds, never run, and `every_exchange` naming every binding type, so
//!   a missing or renamed one fails the build;
//! - at run time, it is compared with the items of `tc_codegen::generate_service`'s
//!   expansion, parsed with syn: nothing missing, nothing extra, argument counts,
//!   which methods answer nothing, the methods of each call with query arguments,
//!   and each exchange's name and routing key; the binding types are checked
//!   against the references;
//! - its names (services, entries, methods, exchanges, types; never the
//!   references' prose) are compared with the snapshot `names.txt` reviewed into
//!   git, so that any change of naming shows in review (`EXPECTORATE=overwrite
//!   cargo test -p tc-tests --test completeness` rewrites it).

// Shared with the build script, which uses the rest of it.
#[allow(dead_code)]
mod expected;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::PathBuf;

use serde_json::Value;
use tc_client::Binding;

use expected::{ExchangeItem, ServiceReference, Signature, reference_parts, service_references};

fn references() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../references")
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

fn expansion(service: &str, module_name: &str) -> Expansion {
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
    assert_eq!(module.ident, module_name, "module name of {service}");
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
    let services = expected::services(&references());
    let references = service_references(&references());
    let mut problems = Vec::new();
    let mut methods = 0;
    let mut exchanges = 0;
    let mut generated_methods = 0;
    let mut generated_exchanges = 0;
    for service in &services {
        let name = service.name.as_str();
        let expansion = expansion(name, &service.module);
        assert_eq!(expansion.client, service.client, "client of {name}");

        let want = service.expected_functions();
        compare(
            &format!("{name} method"),
            &want,
            &expansion.functions,
            &mut problems,
        );
        methods += service.methods.len();
        generated_methods += service
            .methods
            .iter()
            .filter(|m| expansion.functions.contains_key(&m.name))
            .count();
        assert_eq!(
            expansion.methods_reported,
            service.methods.len(),
            "{name}: report.methods"
        );

        let want = service.expected_exchanges();
        compare(
            &format!("{name} exchange"),
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
            "{name}: report.exchanges"
        );
        for (exchange, message) in &expansion.messages {
            if message.contains("serde_json") {
                problems.push(format!(
                    "{name} exchange: `{exchange}` has an untyped message `{message}`"
                ));
            }
        }
    }
    let in_references: usize = references.iter().map(|r| r.functions().count()).sum();
    assert_eq!(methods, in_references, "API methods in the references");
    let in_references: usize = references.iter().map(|r| r.exchange_entries().len()).sum();
    assert_eq!(exchanges, in_references, "exchanges in the references");
    assert!(methods > 0 && exchanges > 0, "the references are empty");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(generated_methods, methods);
    assert_eq!(generated_exchanges, exchanges);
}

/// The names of the generated API are the reviewed ones (`names.txt`), and the
/// snapshot holds names only: no line of the references' prose.
#[test]
fn the_names_are_the_reviewed_snapshot() {
    let services = expected::services(&references());
    let snapshot = expected::snapshot(&services);
    for line in snapshot.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert!(
            matches!(words.first(), Some(&("service" | "method" | "exchange"))),
            "not a line of names: {line:?}"
        );
        assert!(
            line.chars()
                .all(|c| c.is_ascii_alphanumeric() || " _-/.#();,>()".contains(c)),
            "not a line of names: {line:?}"
        );
    }
    let methods = snapshot
        .lines()
        .filter(|l| l.trim_start().starts_with("method "))
        .count();
    let exchanges = snapshot
        .lines()
        .filter(|l| l.trim_start().starts_with("exchange "))
        .count();
    let references = service_references(&references());
    assert_eq!(
        methods,
        references
            .iter()
            .map(|r| r.functions().count())
            .sum::<usize>()
    );
    assert_eq!(
        exchanges,
        references
            .iter()
            .map(|r| r.exchange_entries().len())
            .sum::<usize>()
    );
    expectorate::assert_contents("tests/completeness/names.txt", &snapshot);
}

/// Method names of the references, all services together, are the names of
/// the engine's own report.
#[test]
fn report_lists_reference_names() {
    for reference in service_references(&references()) {
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
    let references = service_references(&references());
    let exchanges: usize = references.iter().map(|r| r.exchange_entries().len()).sum();
    let mut check = Checker {
        references,
        checked: 0,
    };
    every_exchange(&mut check);
    assert_eq!(check.checked, exchanges);
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
// Compile-time checks: every method called, never run (the functions written
// by the build script from the references). A missing or renamed method, or one
// that takes other arguments, fails the build of this test.

/// A value of any type, for the arguments of calls that are never made.
fn any<T>() -> T {
    unreachable!("the calls of the compile-time checks are never made")
}

#[test]
fn every_method_compiles_with_its_arguments() {
    let _ = every_service_methods;
}

include!(concat!(env!("OUT_DIR"), "/completeness_calls.rs"));
