//! The `events` module: one binding struct per Pulse exchange.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::doc_attrs;
use crate::model;
use crate::naming::{ident, snake_name, type_name};
use crate::reference::ExchangesReference;

/// One exchange with its resolved message type.
pub struct Exchange<'a> {
    /// The exchange in the service model.
    pub exchange: &'a model::Exchange,
    /// The Rust message type (a path from inside `events`).
    pub message: TokenStream,
}

/// Emits `pub mod events { ... }`.
pub fn events(reference: &ExchangesReference, exchanges: &[Exchange<'_>]) -> TokenStream {
    let module_doc = doc_attrs(&format!(
        "{}\n\n{}",
        if reference.title.is_empty() {
            "Pulse exchanges"
        } else {
            &reference.title
        },
        reference.description
    ));
    let structs = exchanges.iter().map(binding);
    quote! {
        #module_doc
        pub mod events {
            #(#structs)*
        }
    }
}

fn binding(exchange: &Exchange<'_>) -> TokenStream {
    let entry = &exchange.exchange.reference;
    let name = ident(&type_name(&entry.name));
    let full = &exchange.exchange.full_name;
    let pattern_doc: Vec<String> = entry
        .routing_key
        .iter()
        .map(|p| {
            let mut line = format!("- `{}`", p.name);
            if p.multiple_words {
                line.push_str(" (several words)");
            }
            if let Some(c) = &p.constant {
                line.push_str(&format!(" (always `{c}`, the default)"));
            }
            if !p.summary.is_empty() {
                line.push_str(": ");
                line.push_str(&p.summary.replace('\n', " "));
            }
            line
        })
        .collect();
    let docs = doc_attrs(&format!(
        "{}\n\n{}\n\nExchange `{full}`; routing key parts:\n\n{}",
        entry.title.trim(),
        entry.description.trim(),
        pattern_doc.join("\n")
    ));
    let fields: Vec<syn::Ident> = entry
        .routing_key
        .iter()
        .map(|p| ident(&snake_name(&p.name)))
        .collect();
    let field_docs = entry.routing_key.iter().map(|p| {
        let text = if p.summary.is_empty() {
            format!("Routing key part `{}` (`None` matches any value).", p.name)
        } else {
            p.summary.clone()
        };
        doc_attrs(&text)
    });
    // A constant part (`routingKeyKind`: `primary`) is its constant when unset.
    let values = entry
        .routing_key
        .iter()
        .zip(&fields)
        .map(|(part, field)| match &part.constant {
            Some(constant) => {
                quote! { ::std::option::Option::Some(self.#field.as_deref().unwrap_or(#constant)) }
            }
            None => quote! { self.#field.as_deref() },
        });
    let part_names = entry.routing_key.iter().map(|p| &p.name);
    let multi = entry.routing_key.iter().map(|p| p.multiple_words);
    let message = &exchange.message;
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct #name {
            #(
                #field_docs
                pub #fields: ::std::option::Option<::std::string::String>,
            )*
        }

        impl ::tc_client::Binding for #name {
            type Message = #message;
            const EXCHANGE: &'static str = #full;
            const ROUTING_KEY: &'static [::tc_client::RoutingKeyPart] = &[
                #(::tc_client::RoutingKeyPart { name: #part_names, multiple_words: #multi },)*
            ];
            fn values(&self) -> ::std::vec::Vec<::std::option::Option<&str>> {
                ::std::vec![#(#values),*]
            }
            fn from_values(values: ::std::vec::Vec<::std::string::String>) -> Self {
                let mut values = values.into_iter();
                Self {
                    #(#fields: values.next(),)*
                }
            }
        }
    }
}
