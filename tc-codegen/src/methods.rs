//! The client struct of a service and one method per API entry.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::docs::{doc_attrs, render_scopes};
use crate::error::{CodegenError, Location, Result};
use crate::naming::{ident, snake_name};
use crate::reference::{ApiEntry, ApiReference};
use crate::types::Types;

/// What the generator knows about one entry once its types are resolved.
pub struct Method<'a> {
    /// The reference entry.
    pub entry: &'a ApiEntry,
    /// The Rust input type, if any.
    pub input: Option<TokenStream>,
    /// The Rust output type, if any.
    pub output: Option<TokenStream>,
    /// The items and field of a `continuationToken` listing, if any.
    pub paging: Option<Paging>,
}

/// How to walk the pages of a listing.
pub struct Paging {
    /// The type of one item.
    pub item: TokenStream,
    /// The field of the page that holds the items.
    pub field: syn::Ident,
    /// Whether that field is an `Option<_>`.
    pub optional: bool,
    /// Whether the list is a newtype around a `Vec` (`.0`).
    pub newtype: bool,
}

/// Finds the paging shape of an output type: a `continuation_token` field and
/// exactly one list field.
pub fn paging_of(
    types: &mut Types,
    output_def: &str,
    location: &Location,
) -> Result<Option<Paging>> {
    let id = types.id_of(output_def, location)?;
    let Some(props) = types.struct_fields(&id) else {
        return Ok(None);
    };
    if !props.iter().any(|(name, _)| name == "continuation_token") {
        return Ok(None);
    }
    let lists: Vec<(String, typify_impl::TypeId, bool, bool)> = props
        .iter()
        .filter_map(|(name, id)| {
            types
                .list_item(id)
                .map(|(inner, optional, newtype)| (name.clone(), inner, optional, newtype))
        })
        .collect();
    let [(name, inner, optional, newtype)] = lists.as_slice() else {
        return Ok(None);
    };
    let item = types.ident_of(inner).ok_or_else(|| CodegenError::Invalid {
        location: location.clone().into(),
        message: format!("the items of `{name}` have no type"),
    })?;
    Ok(Some(Paging {
        item,
        field: ident(name),
        optional: *optional,
        newtype: *newtype,
    }))
}

/// Emits the client struct and its methods.
pub fn client(
    reference: &ApiReference,
    client_name: &syn::Ident,
    methods: &[Method<'_>],
) -> TokenStream {
    let service = &reference.service_name;
    let version = &reference.api_version;
    let struct_doc = format!(
        " Client of the {} (`{service}` {version}).\n\n Build one with [`{client_name}::new`], [`{client_name}::from_env`] or [`{client_name}::builder`].",
        if reference.title.is_empty() {
            service
        } else {
            &reference.title
        },
    );
    let endpoints = methods.iter().map(|m| endpoint_const(service, m.entry));
    let fns = methods.iter().map(method_fns);
    quote! {
        #[doc = #struct_doc]
        #[derive(Clone, Debug)]
        pub struct #client_name {
            client: ::tc_client::Client,
        }

        impl ::tc_client::Service for #client_name {
            const NAME: &'static str = #service;
            const API_VERSION: &'static str = #version;
            fn from_client(client: ::tc_client::Client) -> Self {
                Self { client }
            }
            fn client(&self) -> &::tc_client::Client {
                &self.client
            }
        }

        impl #client_name {
            /// A client for the deployment at `root_url`; `None` credentials
            /// make unauthenticated requests.
            pub fn new(
                credentials: ::std::option::Option<::tc_client::Credentials>,
                root_url: &str,
            ) -> ::tc_client::Result<Self> {
                Self::builder().root_url(root_url).credentials(credentials).build()
            }

            /// A client configured from `TASKCLUSTER_ROOT_URL` (or
            /// `TASKCLUSTER_PROXY_URL`), `TASKCLUSTER_CLIENT_ID`,
            /// `TASKCLUSTER_ACCESS_TOKEN` and `TASKCLUSTER_CERTIFICATE`.
            pub fn from_env() -> ::tc_client::Result<Self> {
                Self::builder().from_env()?.build()
            }

            /// A builder for every other setting (retries, timeouts, ...).
            pub fn builder() -> ::tc_client::ClientBuilder<Self> {
                ::tc_client::ClientBuilder::default()
            }

            #(#fns)*
        }

        #[allow(non_upper_case_globals)]
        mod endpoints {
            #(#endpoints)*
        }
    }
}

fn endpoint_const(service: &str, entry: &ApiEntry) -> TokenStream {
    let name_ident = format_ident!("{}", entry.name);
    let name = &entry.name;
    let route = &entry.route;
    let method = match entry.method.as_str() {
        "post" => quote!(Post),
        "put" => quote!(Put),
        "delete" => quote!(Delete),
        "patch" => quote!(Patch),
        _ => quote!(Get),
    };
    let segments = route_segments(&entry.route, &entry.args)
        .into_iter()
        .map(|s| match s {
            Segment::Literal(text) => quote!(::tc_client::RouteSegment::Literal(#text)),
            Segment::Arg(i) => quote!(::tc_client::RouteSegment::Arg(#i)),
        });
    let args = &entry.args;
    let query = &entry.query;
    let needs_scopes = entry.scopes.is_some();
    quote! {
        pub(super) static #name_ident: ::tc_client::Endpoint = ::tc_client::Endpoint {
            service: #service,
            name: #name,
            method: ::tc_client::HttpMethod::#method,
            route: #route,
            segments: &[#(#segments),*],
            args: &[#(#args),*],
            query: &[#(#query),*],
            needs_scopes: #needs_scopes,
        };
    }
}

/// A piece of a route.
#[derive(Debug, PartialEq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// Index into the entry's args.
    Arg(usize),
}

/// Splits `/task/<taskId>/runs/<runId>` into literals and argument slots.
pub fn route_segments(route: &str, args: &[String]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = route;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if let Some(index) = args.iter().position(|a| a == name) {
            if start > 0 {
                out.push(Segment::Literal(rest[..start].to_owned()));
            }
            out.push(Segment::Arg(index));
        } else {
            out.push(Segment::Literal(rest[..start + len + 1].to_owned()));
        }
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Segment::Literal(rest.to_owned()));
    }
    out
}

fn method_doc(entry: &ApiEntry) -> TokenStream {
    let mut text = String::new();
    if !entry.title.is_empty() {
        text.push_str(&format!("{}\n\n", entry.title.trim()));
    }
    if !entry.description.is_empty() {
        text.push_str(&format!("{}\n\n", entry.description.trim()));
    }
    text.push_str(&format!(
        "`{} {}`",
        entry.method.to_uppercase(),
        entry.route
    ));
    if !entry.stability.is_empty() {
        text.push_str(&format!(" (stability: **{}**)", entry.stability));
    }
    text.push_str("\n\n");
    match &entry.scopes {
        Some(scopes) => {
            text.push_str("Required scopes:\n\n");
            text.push_str(&render_scopes(scopes));
        }
        None => text.push_str("No scopes required."),
    }
    doc_attrs(&text)
}

fn method_fns(method: &Method<'_>) -> TokenStream {
    let entry = method.entry;
    let fn_name = ident(&snake_name(&entry.name));
    let url_name = format_ident!("{}_url", fn_name.to_string().trim_end_matches('_'));
    let signed_name = format_ident!("{}_signed_url", fn_name.to_string().trim_end_matches('_'));
    let endpoint = format_ident!("{}", entry.name);
    let docs = method_doc(entry);

    let arg_idents: Vec<syn::Ident> = entry.args.iter().map(|a| ident(&snake_name(a))).collect();
    let query_idents: Vec<syn::Ident> = entry.query.iter().map(|q| ident(&snake_name(q))).collect();
    let query_names = &entry.query;
    let params = quote! {
        #(#arg_idents: &str,)*
        #(#query_idents: ::std::option::Option<&str>,)*
    };
    let args_slice = quote! { &[#(#arg_idents),*] };
    let query_slice = quote! { &[#((#query_names, #query_idents)),*] };

    let (input_param, input_arg) = match &method.input {
        Some(ty) => (
            quote! { payload: &#ty, },
            quote! { ::std::option::Option::Some(payload) },
        ),
        None => (quote! {}, quote! { ::std::option::Option::None::<&()> }),
    };
    let call = match &method.output {
        Some(ty) => quote! {
            pub async fn #fn_name(&self, #params #input_param) -> ::tc_client::Result<#ty> {
                self.client
                    .call(&endpoints::#endpoint, #args_slice, #query_slice, #input_arg)
                    .await
            }
        },
        None => quote! {
            pub async fn #fn_name(&self, #params #input_param) -> ::tc_client::Result<()> {
                self.client
                    .call_no_output(&endpoints::#endpoint, #args_slice, #query_slice, #input_arg)
                    .await
            }
        },
    };
    let url_doc = format!(" The URL of [`Self::{fn_name}`].");
    let url_fn = quote! {
        #[doc = #url_doc]
        pub fn #url_name(&self, #params) -> ::tc_client::Result<::std::string::String> {
            self.client.endpoint_url(&endpoints::#endpoint, #args_slice, #query_slice)
        }
    };
    let signed_fn = if entry.method == "get" && entry.scopes.is_some() {
        let doc = format!(
            " The URL of [`Self::{fn_name}`], signed with a bewit valid for `ttl`: it works without credentials until then."
        );
        quote! {
            #[doc = #doc]
            pub fn #signed_name(
                &self,
                #params
                ttl: ::std::time::Duration,
            ) -> ::tc_client::Result<::std::string::String> {
                self.client.endpoint_signed_url(&endpoints::#endpoint, #args_slice, #query_slice, ttl)
            }
        }
    } else {
        quote! {}
    };
    let paging_fn = match (&method.paging, &method.output) {
        (Some(paging), Some(output)) => paging_fn(entry, &fn_name, paging, output, &method.input),
        _ => quote! {},
    };
    quote! {
        #docs
        #call
        #url_fn
        #signed_fn
        #paging_fn
    }
}

fn paging_fn(
    entry: &ApiEntry,
    fn_name: &syn::Ident,
    paging: &Paging,
    output: &TokenStream,
    input: &Option<TokenStream>,
) -> TokenStream {
    let all_name = format_ident!("{}_all", fn_name.to_string().trim_end_matches('_'));
    let arg_idents: Vec<syn::Ident> = entry.args.iter().map(|a| ident(&snake_name(a))).collect();
    let other_query: Vec<syn::Ident> = entry
        .query
        .iter()
        .filter(|q| *q != "continuationToken")
        .map(|q| ident(&snake_name(q)))
        .collect();
    let call_query = entry.query.iter().map(|q| {
        if q == "continuationToken" {
            quote! { __token.as_deref() }
        } else {
            let q = ident(&snake_name(q));
            quote! { #q }
        }
    });
    let (input_param, input_arg) = match input {
        Some(ty) => (quote! { payload: &'a #ty, }, quote! { payload }),
        None => (quote! {}, quote! {}),
    };
    let item = &paging.item;
    let field = &paging.field;
    let take = match (paging.optional, paging.newtype) {
        (false, false) => quote! { __page.#field },
        (true, false) => quote! { __page.#field.unwrap_or_default() },
        (false, true) => quote! { __page.#field.0 },
        (true, true) => quote! { __page.#field.map(|list| list.0).unwrap_or_default() },
    };
    let doc = format!(
        " Every item of [`Self::{fn_name}`] across all pages, fetched lazily as the stream is polled."
    );
    quote! {
        #[doc = #doc]
        pub fn #all_name<'a>(
            &'a self,
            #(#arg_idents: &'a str,)*
            #(#other_query: ::std::option::Option<&'a str>,)*
            #input_param
        ) -> impl ::tc_client::__private::Stream<Item = ::tc_client::Result<#item>> + 'a {
            ::tc_client::__private::paginate(
                move |__token: ::std::option::Option<::std::string::String>| async move {
                    self.#fn_name(#(#arg_idents,)* #(#call_query,)* #input_arg).await
                },
                |__page: #output| (#take, __page.continuation_token),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_split_into_segments() {
        let args = vec!["taskId".to_owned(), "runId".to_owned()];
        assert_eq!(
            route_segments("/task/<taskId>/runs/<runId>/artifacts", &args),
            vec![
                Segment::Literal("/task/".into()),
                Segment::Arg(0),
                Segment::Literal("/runs/".into()),
                Segment::Arg(1),
                Segment::Literal("/artifacts".into()),
            ]
        );
        assert_eq!(
            route_segments("/ping", &[]),
            vec![Segment::Literal("/ping".into())]
        );
    }
}
