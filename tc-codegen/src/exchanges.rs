//! The `events` module: one binding struct per Pulse exchange, emitted from
//! the service model ([`model::Exchanges`]) and the message types.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{doc_attrs, events_doc, exchange_doc};
use crate::model;
use crate::naming::{ident, snake_name, type_name};
use crate::types::RustType;

/// One exchange with its resolved message type.
pub struct Exchange<'a> {
    /// The exchange in the service model.
    pub exchange: &'a model::Exchange,
    /// The Rust message type (as written in the service's module).
    pub message: RustType,
}

/// Emits `pub mod events { ... }`.
pub fn events(exchanges: &model::Exchanges, bindings: &[Exchange<'_>]) -> TokenStream {
    let module_doc = events_doc(exchanges);
    let structs = bindings.iter().map(binding);
    quote! {
        #module_doc
        pub mod events {
            #(#structs)*
        }
    }
}

fn binding(exchange: &Exchange<'_>) -> TokenStream {
    let model = exchange.exchange;
    let routing_key = model.routing_key();
    let name = ident(&type_name(model.name()));
    let full = &model.full_name;
    let docs = exchange_doc(model);
    let fields: Vec<syn::Ident> = routing_key
        .iter()
        .map(|p| ident(&snake_name(&p.name)))
        .collect();
    let field_docs = routing_key.iter().map(|p| {
        let text = if p.summary.is_empty() {
            format!("Routing key part `{}` (`None` matches any value).", p.name)
        } else {
            p.summary.clone()
        };
        doc_attrs(&text)
    });
    // A constant part (`routingKeyKind`: `primary`) is its constant when unset.
    let values = routing_key
        .iter()
        .zip(&fields)
        .map(|(part, field)| match &part.constant {
            Some(constant) => {
                quote! { ::std::option::Option::Some(self.#field.as_deref().unwrap_or(#constant)) }
            }
            None => quote! { self.#field.as_deref() },
        });
    let part_names = routing_key.iter().map(|p| &p.name);
    let multi = routing_key.iter().map(|p| p.multiple_words);
    // The binding lives in `events`, inside the service's module.
    let message = exchange.message.from_child_module();
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::types::TypeOrigin;

    fn exchange() -> model::Exchange {
        model::Exchange {
            reference: serde_json::from_value(json!({
                "exchange": "thing-made",
                "name": "thingMade",
                "schema": "v1/thing-made.json#",
                "routingKey": [
                    { "name": "routingKeyKind", "constant": "primary", "multipleWords": false, "required": true },
                    { "name": "thingId", "multipleWords": false, "required": true }
                ]
            }))
            .unwrap(),
            full_name: "exchange/things/v1/thing-made".into(),
            schema: "/schemas/things/v1/thing-made.json".into(),
        }
    }

    #[test]
    fn bindings_name_generated_messages_from_inside_events() {
        let exchange = exchange();
        let message = |tokens: TokenStream, origin| Exchange {
            exchange: &exchange,
            message: RustType { tokens, origin },
        };
        let generated = binding(&message(quote!(ThingMessage), TypeOrigin::Generated)).to_string();
        assert!(
            generated.contains("type Message = super :: ThingMessage ;"),
            "{generated}"
        );
        assert!(generated.contains("pub struct ThingMade"), "{generated}");
        assert!(
            generated
                .contains("const EXCHANGE : & 'static str = \"exchange/things/v1/thing-made\""),
            "{generated}"
        );
        assert!(
            generated.contains("self . routing_key_kind . as_deref () . unwrap_or (\"primary\")"),
            "{generated}"
        );
        let free =
            binding(&message(quote!(::serde_json::Value), TypeOrigin::JsonValue)).to_string();
        assert!(
            free.contains("type Message = :: serde_json :: Value ;"),
            "{free}"
        );
    }
}
