//! The client struct of a service and one method per API entry, emitted
//! from the service model ([`model::Service`], [`model::Entry`]) and the
//! Rust types of the entries' schemas.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use crate::docs::entry_doc;
use crate::error::{CodegenError, Location, Result};
use crate::model::{self, HttpMethod, RoutePart};
use crate::naming::{ident, snake_name, type_name};
use crate::types::{RustType, Types};

/// What the generator knows about one entry once its types are resolved.
pub struct Method<'a> {
    /// The entry in the service model.
    pub entry: &'a model::Entry,
    /// The Rust input type, if any.
    pub input: Option<RustType>,
    /// The Rust output type, if any.
    pub output: Option<RustType>,
    /// The items and field of a `continuationToken` listing, if any.
    pub paging: Option<Paging>,
}

impl Method<'_> {
    /// The output type, `()` for an entry without one.
    fn output_tokens(&self) -> TokenStream {
        self.output
            .as_ref()
            .map_or_else(|| quote!(()), ToTokens::to_token_stream)
    }
}

/// How to walk the pages of a listing.
pub struct Paging {
    /// The type of one item.
    pub item: RustType,
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
    let item = types.rust_type(inner).map_err(|e| CodegenError::Invalid {
        location: location.clone().into(),
        message: format!("the items of `{name}` have no type: {e}"),
    })?;
    Ok(Some(Paging {
        item,
        field: ident(name),
        optional: *optional,
        newtype: *newtype,
    }))
}

/// Emits the client struct of `service` and its methods.
pub fn client(
    service: &model::Service,
    client_name: &syn::Ident,
    methods: &[Method<'_>],
    type_names: &BTreeSet<String>,
) -> TokenStream {
    let version = &service.version;
    let struct_doc = format!(
        " Client of the {} (`{}` {version}).\n\n Build one with [`{client_name}::new`], [`{client_name}::from_env`] or [`{client_name}::builder`].",
        if service.title().is_empty() {
            &service.name
        } else {
            service.title()
        },
        service.name,
    );
    let service = &service.name;
    let endpoints = methods.iter().map(|m| endpoint_const(service, m.entry));
    let fns = methods.iter().map(|m| method_fns(m, type_names));
    let calls: Vec<TokenStream> = methods
        .iter()
        .filter(|m| !m.entry.query().is_empty())
        .map(|m| call_type(client_name, m, type_names))
        .collect();
    let calls = if calls.is_empty() {
        TokenStream::new()
    } else {
        let doc = format!(
            " The calls of [`{client_name}`]'s methods that take query arguments: each has a setter per query argument and is awaited (`IntoFuture`)."
        );
        quote! {
            #[doc = #doc]
            pub mod calls {
                use super::*;

                #(#calls)*
            }
        }
    };
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

            /// The deployment's root URL, without a trailing slash.
            #[inline]
            pub fn root_url(&self) -> &str {
                self.client.root_url()
            }

            #(#fns)*
        }

        #[allow(non_upper_case_globals)]
        mod endpoints {
            #(#endpoints)*
        }

        #calls
    }
}

fn endpoint_const(service: &str, entry: &model::Entry) -> TokenStream {
    let name_ident = format_ident!("{}", entry.name());
    let value = endpoint_value(service, entry);
    quote! {
        pub(super) static #name_ident: ::tc_client::Endpoint = #value;
    }
}

/// The `::tc_client::Endpoint` of an entry, as a constant expression (the
/// generated clients and the CLI's command table both hold one per entry).
pub fn endpoint_value(service: &str, entry: &model::Entry) -> TokenStream {
    let name = entry.name();
    let route = entry.route_template();
    let method = format_ident!(
        "{}",
        match entry.method {
            HttpMethod::Get => "Get",
            HttpMethod::Post => "Post",
            HttpMethod::Put => "Put",
            HttpMethod::Delete => "Delete",
            HttpMethod::Patch => "Patch",
        }
    );
    let segments = entry.route.iter().map(|part| match part {
        RoutePart::Literal(text) => quote!(::tc_client::RouteSegment::Literal(#text)),
        RoutePart::Arg(i) => quote!(::tc_client::RouteSegment::Arg(#i)),
    });
    let args = entry.args();
    let query = entry.query();
    let needs_scopes = entry.needs_scopes();
    let redirects = entry.redirect;
    quote! {
        ::tc_client::Endpoint {
            service: #service,
            name: #name,
            method: ::tc_client::HttpMethod::#method,
            route: #route,
            segments: &[#(#segments),*],
            args: &[#(#args),*],
            query: &[#(#query),*],
            needs_scopes: #needs_scopes,
            redirects: #redirects,
        }
    }
}

/// How a query argument is taken: the parameter type and how it becomes text.
///
/// The references name query arguments without a type; the services check them with
/// patterns (upstream's `api.js`): `limit` and `pullRequest` are decimal integers,
/// `quarantined` and `includeArchived` are `true` or `false`, `since` is a timestamp.
/// Every other one is text.
fn query_param(name: &str) -> (TokenStream, TokenStream) {
    match name {
        "limit" | "pullRequest" => (quote!(u64), quote!(::std::string::ToString::to_string(&v))),
        "quarantined" | "includeArchived" => {
            (quote!(bool), quote!(::std::string::ToString::to_string(&v)))
        }
        "since" => (
            quote!(::tc_client::Time),
            quote!(::std::string::ToString::to_string(&v)),
        ),
        _ => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(::std::convert::Into::into(v)),
        ),
    }
}

/// The methods of one entry: the call (an `async fn`, or for an entry with query
/// arguments a function answering its call, whose setters take them), `_url`,
/// `_signed_url` (GET entries that need scopes) and `_all` (listings).
fn method_fns(method: &Method<'_>, type_names: &BTreeSet<String>) -> TokenStream {
    let entry = method.entry;
    let base = snake_name(entry.name());
    let fn_name = ident(&base);
    let stem = base.trim_end_matches('_');
    let url_name = format_ident!("{stem}_url");
    let signed_name = format_ident!("{stem}_signed_url");
    let endpoint = format_ident!("{}", entry.name());
    let docs = entry_doc(entry);

    let arg_idents: Vec<syn::Ident> = entry.args().iter().map(|a| ident(&snake_name(a))).collect();
    // Run ids are what the queue's types hold (an `i64`) or text; every other
    // argument is text, and `&TaskId`, `&String` coerce to it. (One generic
    // parameter per argument cost a quarter of a second of tc-client's build.)
    let param_types = entry.args().iter().map(|a| {
        if a == "runId" {
            quote!(impl ::std::convert::Into<::tc_client::PathArg<'a>>)
        } else {
            quote!(&'a str)
        }
    });
    let params = quote! { #(#arg_idents: #param_types,)* };
    let args_array = quote! { [#(::std::convert::Into::into(#arg_idents)),*] };

    let (input_param, input_arg) = match &method.input {
        Some(ty) => (
            quote! { payload: &'a #ty, },
            quote! { ::std::option::Option::Some(payload) },
        ),
        None => (quote! {}, quote! { ::std::option::Option::None::<&()> }),
    };
    let output = method.output_tokens();
    let call_fn = if method.output.is_some() {
        quote!(call)
    } else {
        quote!(call_no_output)
    };

    let call = if entry.query().is_empty() {
        quote! {
            #docs
            #[inline]
            pub fn #fn_name<'a>(
                &'a self,
                #params
                #input_param
            ) -> impl ::std::future::Future<Output = ::tc_client::Result<#output>> + Send + 'a {
                ::tc_client::__private::#call_fn(&self.client, &endpoints::#endpoint, &#args_array, &[], #input_arg)
            }
        }
    } else {
        let call_type = ident(&call_type_name(entry, type_names));
        let input_field = method.input.as_ref().map(|_| quote!(payload,));
        quote! {
            #docs
            ///
            /// Its query arguments are set on the answered call, which is then awaited.
            #[inline]
            pub fn #fn_name<'a>(&'a self, #params #input_param) -> calls::#call_type<'a> {
                calls::#call_type {
                    client: &self.client,
                    args: #args_array,
                    query: ::std::default::Default::default(),
                    #input_field
                }
            }
        }
    };
    let url_doc = format!(" The URL of [`Self::{fn_name}`] (without query arguments).");
    let lifetime = (!entry.args().is_empty()).then(|| quote!(<'a>));
    let url_fn = quote! {
        #[doc = #url_doc]
        #[inline]
        pub fn #url_name #lifetime(&self, #params) -> ::tc_client::Result<::std::string::String> {
            ::tc_client::__private::endpoint_url(&self.client, &endpoints::#endpoint, &#args_array, &[])
        }
    };
    let signed_fn = if signs(entry) {
        let doc = format!(
            " The URL of [`Self::{fn_name}`], signed with a bewit valid for `ttl`: it works without credentials until then."
        );
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #signed_name #lifetime(
                &self,
                #params
                ttl: ::std::time::Duration,
            ) -> ::tc_client::Result<::std::string::String> {
                ::tc_client::__private::endpoint_signed_url(&self.client, &endpoints::#endpoint, &#args_array, &[], ttl)
            }
        }
    } else {
        quote! {}
    };
    let all_fn = match (&method.paging, entry.query().is_empty()) {
        (Some(paging), false) => {
            let all_name = format_ident!("{stem}_all");
            let item = &paging.item;
            let doc = format!(
                " Every item of [`Self::{fn_name}`] across all pages, fetched lazily as the stream is polled (`self.{fn_name}(..).all()`)."
            );
            let input_arg = method.input.as_ref().map(|_| quote!(payload));
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #all_name<'a>(
                    &'a self,
                    #params
                    #input_param
                ) -> impl ::tc_client::__private::Stream<Item = ::tc_client::Result<#item>> + 'a {
                    self.#fn_name(#(#arg_idents,)* #input_arg).all()
                }
            }
        }
        _ => quote! {},
    };
    quote! {
        #call
        #url_fn
        #signed_fn
        #all_fn
    }
}

/// The name of an entry's call type: the entry's, unless a schema type has it.
fn call_type_name(entry: &model::Entry, type_names: &BTreeSet<String>) -> String {
    let name = type_name(entry.name());
    if type_names.contains(&name) {
        format!("{name}Call")
    } else {
        name
    }
}

/// Whether an entry gets `_signed_url`: a GET that needs scopes.
fn signs(entry: &model::Entry) -> bool {
    entry.method == HttpMethod::Get && entry.needs_scopes()
}

/// The call type of an entry with query arguments (in the service's `calls` module):
/// its path arguments and body, one setter per query argument, `url`, `signed_url`,
/// `all` for listings, and `IntoFuture`.
pub fn call_type(
    client_name: &syn::Ident,
    method: &Method<'_>,
    type_names: &BTreeSet<String>,
) -> TokenStream {
    let entry = method.entry;
    let fn_name = ident(&snake_name(entry.name()));
    let call_type = ident(&call_type_name(entry, type_names));
    let endpoint = format_ident!("{}", entry.name());
    let n_args = entry.args().len();
    let n_query = entry.query().len();
    let output = method.output_tokens();
    let call_fn = if method.output.is_some() {
        quote!(call)
    } else {
        quote!(call_no_output)
    };
    let (input_field, input_arg) = match &method.input {
        Some(ty) => (
            quote!(pub(super) payload: &'a #ty,),
            quote!(::std::option::Option::Some(self.payload)),
        ),
        None => (quote!(), quote!(::std::option::Option::None::<&()>)),
    };
    let setters = entry.query().iter().enumerate().map(|(i, name)| {
        let setter = ident(&snake_name(name));
        let (param, convert) = query_param(name);
        let doc = format!(" Sets the query argument `{name}`.");
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #setter(mut self, v: #param) -> Self {
                self.query[#i] = ::std::option::Option::Some(#convert);
                self
            }
        }
    });
    let signed = signs(entry).then(|| {
        quote! {
            /// This call's URL, query arguments included, signed with a bewit valid for
            /// `ttl`: it works without credentials until then.
            #[inline]
            pub fn signed_url(&self, ttl: ::std::time::Duration) -> ::tc_client::Result<::std::string::String> {
                ::tc_client::__private::endpoint_signed_url(self.client, &super::endpoints::#endpoint, &self.args, &self.query, ttl)
            }
        }
    });
    let all = method.paging.as_ref().map(|paging| {
        let token = entry
            .query()
            .iter()
            .position(|q| q == "continuationToken")
            .unwrap_or_default();
        let item = &paging.item;
        let field = &paging.field;
        let take = match (paging.optional, paging.newtype) {
            (false, false) => quote! { page.#field },
            (true, false) => quote! { page.#field.unwrap_or_default() },
            (false, true) => quote! { page.#field.0 },
            (true, true) => quote! { page.#field.map(|list| list.0).unwrap_or_default() },
        };
        quote! {
            /// Every item of every page, from this call's page on, fetched lazily as
            /// the stream is polled.
            #[inline]
            pub fn all(mut self) -> impl ::tc_client::__private::Stream<Item = ::tc_client::Result<#item>> + 'a {
                let first = self.query[#token].take();
                ::tc_client::__private::paginate(
                    first,
                    move |token: ::std::option::Option<::std::string::String>| {
                        let mut call = self.clone();
                        call.query[#token] = token;
                        ::std::future::IntoFuture::into_future(call)
                    },
                    |page: #output| (#take, page.continuation_token),
                )
            }
        }
    });
    let doc = format!(
        " The call of [`{client_name}::{fn_name}`](super::{client_name}::{fn_name}): set its query arguments, then `.await` it."
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        #[must_use = "a call does nothing until it is awaited"]
        pub struct #call_type<'a> {
            pub(super) client: &'a ::tc_client::Client,
            pub(super) args: [::tc_client::PathArg<'a>; #n_args],
            pub(super) query: [::std::option::Option<::std::string::String>; #n_query],
            #input_field
        }

        impl<'a> #call_type<'a> {
            #(#setters)*

            /// This call's URL, query arguments included.
            #[inline]
            pub fn url(&self) -> ::tc_client::Result<::std::string::String> {
                ::tc_client::__private::endpoint_url(self.client, &super::endpoints::#endpoint, &self.args, &self.query)
            }

            #signed
            #all
        }

        impl<'a> ::std::future::IntoFuture for #call_type<'a> {
            type Output = ::tc_client::Result<#output>;
            type IntoFuture = ::tc_client::__private::BoxFuture<'a, Self::Output>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(
                    ::tc_client::__private::#call_fn(self.client, &super::endpoints::#endpoint, &self.args, &self.query, #input_arg)
                )
            }
        }
    }
}
