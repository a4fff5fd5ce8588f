//! The generation engine of tc-client.
//!
//! Reads a deployment's API references (as imported into `references/` by
//! `cargo xtask references import`) and turns one service into Rust: its
//! types (through typify, after the pre-passes of [`bundle`] and before the
//! named post-passes of [`postpass`], the last of which lets them grow
//! without breaking callers), a client struct with one method per API entry ([`methods`]),
//! and an `events` module with one binding per Pulse exchange ([`exchanges`]).
//!
//! The `tc-macros` crate is a thin wrapper over [`generate_service`] and
//! [`generate_schema`]; xtask uses the same functions to write expansions
//! and reports.
#![deny(missing_docs)]

pub mod bundle;
#[cfg(feature = "cli")]
pub mod cli;
pub mod contain;
pub mod docs;
pub mod error;
pub mod exchanges;
pub mod loader;
pub mod methods;
pub mod model;
pub mod naming;
pub mod patterns;
pub mod postpass;
pub mod reference;
pub mod types;
pub mod validate;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

pub use error::{CodegenError, Location, Result};

use crate::bundle::Bundler;
use crate::loader::Loader;
use crate::naming::{ident, snake_name};
use crate::postpass::Built;
use crate::types::Types;

/// The result of generating one service or schema.
#[derive(Debug)]
pub struct Generated {
    /// The Rust items.
    pub tokens: TokenStream,
    /// Every file read, for rebuild tracking.
    pub files: Vec<PathBuf>,
    /// Counts for `cargo xtask codegen-report`.
    pub report: Report,
}

/// What was generated for one service.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Service (or schema) name.
    pub name: String,
    /// API entries, by reference name.
    pub methods: Vec<String>,
    /// Exchanges, by reference name.
    pub exchanges: Vec<String>,
    /// Named types generated.
    pub types: usize,
    /// Places that fell back to `serde_json::Value` (`file#pointer`).
    pub fallbacks: Vec<String>,
}

/// The services the manifest lists an `api.json` for, sorted.
pub fn services(references: &Path) -> Result<Vec<String>> {
    model::service_names(&mut Loader::new(references)?)
}

/// Generates the module of one service: `pub mod <service> { types, client, events }`.
pub fn generate_service(references: &Path, service: &str) -> Result<Generated> {
    let mut loader = Loader::new(references)?;
    let location = Location {
        service: service.to_owned(),
        ..Location::default()
    };
    let model = model::service(&mut loader, service)?;
    let Resolved {
        bundle,
        mut types,
        methods,
        exchange_defs,
    } = resolve(&mut loader, service, &model, &location)?;
    // Setters for what callers build: the inputs and what they are made of.
    let inputs: std::collections::BTreeSet<String> = methods
        .iter()
        .filter_map(|m| m.input.as_ref())
        .flat_map(types::RustType::mentions)
        .collect();
    let type_tokens = post_process(&mut types, Built::From(&inputs), &location)?;
    let mut bindings = Vec::new();
    for (exchange, def) in &exchange_defs {
        let at = Location {
            entry: Some(exchange.name().to_owned()),
            ..location.clone()
        };
        let message = types.type_of(def, &at)?;
        bindings.push(exchanges::Exchange { exchange, message });
    }

    let names = types.names();
    let client_name = naming::client_name(service, &names);
    let client_ident = ident(&client_name);
    let mut type_names = names.clone();
    type_names.insert(client_name.clone());
    let client = methods::client(&model, &client_ident, &methods, &type_names);
    let events = match &model.exchanges {
        Some(exchanges) => exchanges::events(exchanges, &bindings),
        None => TokenStream::new(),
    };
    let module = ident(&snake_name(service));
    let module_doc = docs::service_doc(&model, &client_name);
    let tokens = quote! {
        #module_doc
        pub mod #module {
            #![allow(
                clippy::all,
                clippy::pedantic,
                rustdoc::all,
                unused_imports,
                irrefutable_let_patterns
            )]
            #type_tokens
            #client
            #events
        }
    };
    let report = Report {
        name: service.to_owned(),
        methods: methods.iter().map(|m| m.entry.name().to_owned()).collect(),
        exchanges: bindings
            .iter()
            .map(|b| b.exchange.name().to_owned())
            .collect(),
        types: types.named_count() + bundle.enums.len(),
        fallbacks: bundle.fallbacks.clone(),
    };
    let files = loader.files_read().map(Path::to_path_buf).collect();
    Ok(Generated {
        tokens,
        files,
        report,
    })
}

/// A service's types, generated once, with what its entries and exchanges
/// are made of.
pub(crate) struct Resolved<'m> {
    pub(crate) bundle: bundle::Bundle,
    pub(crate) types: Types,
    /// One per entry, in the model's order.
    pub(crate) methods: Vec<methods::Method<'m>>,
    /// Exchange, message definition.
    pub(crate) exchange_defs: Vec<(&'m model::Exchange, String)>,
}

/// Bundles the schemas of `model` and generates their types, resolving each
/// entry's input and output type (read by [`generate_service`] and by
/// `cli::generate_cli_table`).
pub(crate) fn resolve<'m>(
    loader: &mut Loader,
    service: &str,
    model: &'m model::Service,
    location: &Location,
) -> Result<Resolved<'m>> {
    // Bundle twice: the first pass finds the shared type names, which the
    // second pass keeps free of inline titled objects, and the nodes that
    // become definitions of their own, whose inline copies the second pass
    // refers to them.
    let first = bundle_service(loader, service, model, None)?;
    let BundledService {
        bundle,
        entry_defs,
        exchange_defs,
    } = bundle_service(loader, service, model, Some(first.bundle))?;
    let mut types = types::generate(&bundle, location)?;

    let mut methods = Vec::new();
    for (entry, input, output) in &entry_defs {
        let at = Location {
            entry: Some(entry.name().to_owned()),
            ..location.clone()
        };
        let input_ty = match input {
            Some(def) => Some(types.type_of(def, &at)?),
            None => None,
        };
        let (output_ty, paging) = match output {
            Some(def) => {
                let ty = types.type_of(def, &at)?;
                let paging = if entry.paged {
                    methods::paging_of(&mut types, def, &at)?
                } else {
                    None
                };
                (Some(ty), paging)
            }
            None => (None, None),
        };
        methods.push(methods::Method {
            entry,
            input: input_ty,
            output: output_ty,
            paging,
        });
    }
    Ok(Resolved {
        bundle,
        types,
        methods,
        exchange_defs,
    })
}

/// typify's items through the post-passes over its output
/// ([`postpass::TYPIFY_OUTPUT`], in order), then with tc-codegen's string
/// enums through [`postpass::Evolvable`] (`built` says which structs get
/// constructors and setters; its structs decode as [`postpass::struct_decode`] writes).
fn post_process(types: &mut Types, built: Built<'_>, location: &Location) -> Result<TokenStream> {
    let typified = postpass::run(
        postpass::TYPIFY_OUTPUT,
        std::mem::take(&mut types.typified),
        location,
    )?;
    let enums = std::mem::take(&mut types.enums);
    postpass::run(
        &[&postpass::Evolvable { built }],
        quote! { #typified #enums },
        location,
    )
}

/// A service's bundle and the definitions of its entries and exchanges.
struct BundledService<'m> {
    bundle: bundle::Bundle,
    /// Entry, input definition, output definition.
    entry_defs: Vec<(&'m model::Entry, Option<String>, Option<String>)>,
    /// Exchange, message definition.
    exchange_defs: Vec<(&'m model::Exchange, String)>,
}

fn bundle_service<'m>(
    loader: &mut Loader,
    service: &str,
    model: &'m model::Service,
    first: Option<bundle::Bundle>,
) -> Result<BundledService<'m>> {
    let mut bundler = Bundler::new(loader, service);
    if let Some(first) = first {
        bundler.reserve(first.wanted_names);
        bundler.share(first.hoisted);
    }
    let mut entry_defs = Vec::new();
    for entry in &model.entries {
        let name = Some(entry.name());
        let input = match &entry.input {
            Some(file) => Some(bundler.add_root(file, name)?),
            None => None,
        };
        let output = match &entry.output {
            Some(file) => Some(bundler.add_root(file, name)?),
            None => None,
        };
        entry_defs.push((entry, input, output));
    }
    let mut exchange_defs = Vec::new();
    for exchange in model.exchanges.iter().flat_map(|e| &e.exchanges) {
        let def = bundler.add_root(&exchange.schema, Some(exchange.name()))?;
        exchange_defs.push((exchange, def));
    }
    Ok(BundledService {
        bundle: bundler.finish()?,
        entry_defs,
        exchange_defs,
    })
}

/// Generates the types of one schema file (`generic-worker/multiuser_posix.json`,
/// relative to `schemas/`), for worker payloads. The items are emitted
/// without a module around them.
pub fn generate_schema(references: &Path, schema: &str) -> Result<Generated> {
    let mut loader = Loader::new(references)?;
    let file = format!("/schemas/{}", schema.trim_start_matches('/'));
    let location = Location {
        service: schema.to_owned(),
        file: Some(file.clone()),
        ..Location::default()
    };
    let bundle_schema =
        |loader: &mut Loader, first: Option<bundle::Bundle>| -> Result<bundle::Bundle> {
            let mut bundler = Bundler::new(loader, schema);
            if let Some(first) = first {
                bundler.reserve(first.wanted_names);
                bundler.share(first.hoisted);
            }
            bundler.add_root(&file, None)?;
            bundler.add_file_definitions(&file)?;
            bundler.finish()
        };
    let first = bundle_schema(&mut loader, None)?;
    let bundle = bundle_schema(&mut loader, Some(first))?;
    let mut types = types::generate(&bundle, &location)?;
    // A schema of its own is a worker payload: built by callers, all of it.
    let tokens = post_process(&mut types, Built::All, &location)?;
    let report = Report {
        name: schema.to_owned(),
        types: types.named_count() + bundle.enums.len(),
        fallbacks: bundle.fallbacks.clone(),
        ..Report::default()
    };
    let files = loader.files_read().map(Path::to_path_buf).collect();
    Ok(Generated {
        tokens,
        files,
        report,
    })
}

/// Formats generated tokens as Rust source (for `cargo xtask expand` and the
/// golden tests).
#[cfg(feature = "pretty")]
pub fn pretty(tokens: &TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens.clone()).map_err(|e| CodegenError::Invalid {
        location: Box::default(),
        message: format!("generated code does not parse: {e}"),
    })?;
    Ok(prettyplease::unparse(&file))
}
