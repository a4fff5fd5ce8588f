//! The command table of the `tc` command line: for every service its client
//! type, and for every entry its endpoint, prose, scopes and the Rust type its
//! input decodes into, read from the same model as the generated clients.
//!
//! The table is data plus one monomorphic function pointer per entry with an
//! input (the CLI's decoder, instantiated at the entry's request type): the
//! command line is built from it at run time, so the 192 methods cost no code
//! of their own beyond that.

use std::path::Path;

use quote::quote;

use crate::error::{Location, Result};
use crate::loader::Loader;
use crate::methods::endpoint_value;
use crate::naming::{client_name, command_name, ident, snake_name, type_name};
use crate::{Generated, Report, model, resolve};

/// Emits `pub static SERVICES: &[ServiceCommand]`, one element per service of
/// the references, sorted by name.
///
/// The expansion names items the invoking module must have in scope:
/// `ServiceCommand`, `EntryCommand`, `ExchangeCommand` (structs with the fields
/// written here), `Settings::client::<S>` (a `fn(&Settings) -> Result<Client>`
/// for a service type `S`), `check::<T>` (a `fn(Value) -> Result<Value, _>`
/// decoding an input into `T`) and `listen::<B>` (a listener for binding `B`).
pub fn generate_cli_table(references: &Path) -> Result<Generated> {
    let mut loader = Loader::new(references)?;
    let mut services = Vec::new();
    let mut reports = Vec::new();
    for name in model::service_names(&mut loader)? {
        let location = Location {
            service: name.clone(),
            ..Location::default()
        };
        let service = model::service(&mut loader, &name)?;
        let resolved = resolve(&mut loader, &name, &service, &location)?;
        let module = ident(&snake_name(&name));
        let path = quote!(::tc_client::#module);
        let client = ident(&client_name(&name, &resolved.types.names()));
        let entries = resolved.methods.iter().map(|method| {
            let entry = method.entry;
            let endpoint = endpoint_value(&name, entry);
            let command = command_name(entry.name());
            let title = entry.title();
            let description = entry.description();
            let stability = entry.stability();
            // The same nested list as the generated method's docs.
            let scopes = entry
                .scopes
                .as_ref()
                .map(crate::docs::render_scopes)
                .unwrap_or_default();
            let input_schema = entry.input.as_deref().unwrap_or_default();
            let output_schema = entry.output.as_deref().unwrap_or_default();
            let paged = entry.paged;
            let check = match &method.input {
                Some(ty) => {
                    let ty = ty.from_path(&path);
                    quote!(::std::option::Option::Some(check::<#ty>))
                }
                None => quote!(::std::option::Option::None),
            };
            quote! {
                EntryCommand {
                    command: #command,
                    endpoint: #endpoint,
                    title: #title,
                    description: #description,
                    stability: #stability,
                    scopes: #scopes,
                    input_schema: #input_schema,
                    output_schema: #output_schema,
                    paged: #paged,
                    check: #check,
                }
            }
        });
        let exchanges = resolved.exchange_defs.iter().map(|(exchange, _)| {
            let command = command_name(exchange.name());
            let title = exchange.title();
            let description = exchange.description();
            let binding = ident(&type_name(exchange.name()));
            let parts = exchange.routing_key().iter().map(|p| &p.name);
            quote! {
                ExchangeCommand {
                    command: #command,
                    title: #title,
                    description: #description,
                    routing_key: &[#(#parts),*],
                    listen: listen::<#path::events::#binding>,
                }
            }
        });
        let version = &service.version;
        let title = service.title();
        let description = service.description();
        services.push(quote! {
            ServiceCommand {
                name: #name,
                api_version: #version,
                title: #title,
                description: #description,
                client: Settings::client::<#path::#client>,
                entries: &[#(#entries),*],
                exchanges: &[#(#exchanges),*],
            }
        });
        reports.push(name);
    }
    let tokens = quote! {
        /// Every service of the references, with its entries and exchanges.
        pub static SERVICES: &[ServiceCommand] = &[#(#services),*];
    };
    let files = loader.files_read().map(Path::to_path_buf).collect();
    Ok(Generated {
        tokens,
        files,
        report: Report {
            name: reports.join(","),
            ..Report::default()
        },
    })
}
