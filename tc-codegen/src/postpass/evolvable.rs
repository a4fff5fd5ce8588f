//! The post-pass [`Evolvable`], which lets generated types grow: what a later
//! Taskcluster release adds (a field, an enum value, a union variant) breaks no code
//! written against today's.
//!
//! It reads typify's items (after the doc and pattern passes, with tc-codegen's
//! string enums) and rewrites them:
//!
//! 1. **Struct variants of tagged unions become structs of their own**
//!    (`PostArtifactRequest::Object { .. }` holds a `PostArtifactRequestObject`), so that
//!    they are built like every other struct (below) instead of by a literal that a new
//!    field would break.
//! 2. **Structs are `#[non_exhaustive]`.** Those that callers build (a service's inputs
//!    and what they are made of, every type of a worker payload) get `new(..)` taking
//!    the required fields (in field order) and one chainable setter per optional field;
//!    those whose fields are all optional implement `Default`. Answers and messages are
//!    only decoded: a test that needs one builds it with serde (constructors for them
//!    too would cost build time for nothing callers do with them). A field a release
//!    adds as optional therefore breaks no caller, and one it adds as required fails to
//!    compile where it must be given. Setters take `impl Into<String>` (and `Into<Value>`) for text, any iterator
//!    for lists and maps, and the field's own type otherwise (so that `"x".parse()?`
//!    infers). Everything emitted here is `#[inline]` or generic, so it is compiled only
//!    where it is used.
//! 3. **One-value string enums (schema `const`s) become string enums** with an opaque
//!    `Unknown` (`tc_client::__string_enum!`), like every other string enum.
//! 4. **Unions (typify's tagged and untagged enums) are `#[non_exhaustive]`** and get an
//!    `Unknown(tc_client::UnknownJson)` variant: a tag, or a shape, that this version does
//!    not know decodes into it, is kept as received and serializes back unchanged. A known
//!    tag whose content does not decode is an error, not an `Unknown`. Untagged unions
//!    whose object variants all carry a constant of one property (`method: "simple"`,
//!    `type: "docker-image"`) are decoded by that property, the same way.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::{Attribute, Fields, Item, ItemEnum, ItemStruct, Type, parse_quote};

use super::PostPass;
use crate::error::{CodegenError, Location, Result};

/// Method names a setter must not take: inherent methods shadow trait methods of the
/// same name (`x.clone()` would call the setter), and `new` is the constructor.
const RESERVED_SETTERS: &[&str] = &[
    "new",
    "clone",
    "default",
    "fmt",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "hash",
    "into",
    "from",
    "to_owned",
    "to_string",
    "serialize",
    "deserialize",
    "borrow",
    "as_ref",
    "deref",
    "try_from",
    "try_into",
    "type_id",
];

/// Which structs callers build, and so get setters.
#[derive(Debug, Clone, Copy)]
pub enum Built<'a> {
    /// Every struct (a worker payload: all of it is written by callers).
    All,
    /// The structs reachable from these type names (a service's inputs).
    From(&'a BTreeSet<String>),
}

/// The pass: [`rewrite`] with the structs callers build.
#[derive(Debug, Clone, Copy)]
pub struct Evolvable<'a> {
    /// Which structs get constructors and setters.
    pub built: Built<'a>,
}

impl PostPass for Evolvable<'_> {
    fn name(&self) -> &'static str {
        "evolvable"
    }

    fn apply(&self, tokens: TokenStream, location: &Location) -> Result<TokenStream> {
        rewrite(tokens, location, self.built)
    }
}

/// Every identifier in `tokens` (the names a type mentions).
pub fn idents(tokens: &TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<TokenStream> = vec![tokens.clone()];
    while let Some(stream) = stack.pop() {
        for tree in stream {
            match tree {
                proc_macro2::TokenTree::Ident(ident) => out.push(ident.to_string()),
                proc_macro2::TokenTree::Group(group) => stack.push(group.stream()),
                _ => {}
            }
        }
    }
    out
}

/// The names of the structs and enums `roots` reach through field and variant
/// types.
fn reachable(items: &[Item], roots: &BTreeSet<String>) -> BTreeSet<String> {
    let mut mentions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in items {
        let (name, fields): (String, Vec<&syn::Field>) = match item {
            Item::Struct(s) => (s.ident.to_string(), s.fields.iter().collect()),
            Item::Enum(e) => (
                e.ident.to_string(),
                e.variants.iter().flat_map(|v| v.fields.iter()).collect(),
            ),
            _ => continue,
        };
        let names = fields
            .iter()
            .flat_map(|f| idents(&f.ty.to_token_stream()))
            .collect();
        mentions.insert(name, names);
    }
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = roots.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        if let Some(names) = mentions.get(&name)
            && seen.insert(name)
        {
            pending.extend(names.iter().cloned());
        }
    }
    seen
}

/// Rewrites typify's `tokens` (see the module docs); `built` says which
/// structs get setters.
pub fn rewrite(tokens: TokenStream, location: &Location, built: Built<'_>) -> Result<TokenStream> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::Invalid {
        location: location.clone().into(),
        message: format!("typify's output does not parse: {e}"),
    })?;
    let mut items = file.items;
    let mut names: BTreeSet<String> = items.iter().filter_map(item_name).collect();

    split_tagged_variants(&mut items, &mut names);
    let built_types = match built {
        Built::All => None,
        Built::From(roots) => Some(reachable(&items, roots)),
    };
    let consts = const_enums(&items);
    let structs: BTreeMap<String, ItemStruct> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if is_serde(&s.attrs) => Some((s.ident.to_string(), s.clone())),
            _ => None,
        })
        .collect();

    let mut out = TokenStream::new();
    let mut dropped_impls: BTreeSet<String> = BTreeSet::new();
    for item in &items {
        if let Item::Enum(e) = item
            && consts.contains_key(&e.ident.to_string())
        {
            dropped_impls.insert(e.ident.to_string());
        }
    }
    for item in items {
        match item {
            Item::Struct(mut s) if is_serde(&s.attrs) && matches!(s.fields, Fields::Named(_)) => {
                let setters = built_types
                    .as_ref()
                    .is_none_or(|built| built.contains(&s.ident.to_string()));
                // What callers build gets `new` and setters; answers and messages
                // are only decoded (and built with serde where a test needs one).
                let extra = if setters {
                    struct_api(&s)
                } else {
                    TokenStream::new()
                };
                s.attrs.push(parse_quote!(#[non_exhaustive]));
                let decoded = super::struct_decode::decode(&mut s);
                s.to_tokens(&mut out);
                out.extend(extra);
                out.extend(decoded);
            }
            Item::Enum(e) if consts.contains_key(&e.ident.to_string()) => {
                out.extend(string_enum(&e));
            }
            Item::Enum(e) if is_serde(&e.attrs) => {
                out.extend(union(e, &structs, &consts));
            }
            Item::Impl(i) if is_dropped_impl(&i, &dropped_impls) => {}
            other => other.to_tokens(&mut out),
        }
    }
    Ok(out)
}

fn item_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// Whether the item derives serde's traits (typify's data types do; its error type and
/// helper modules do not).
fn is_serde(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive") && a.meta.to_token_stream().to_string().contains("serde")
    })
}

/// `key = "value"` inside the item's `#[serde(..)]` attributes.
fn serde_value(attrs: &[Attribute], key: &str) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                let value: syn::LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// A bare word (`untagged`, `default`) inside `#[serde(..)]`.
fn serde_flag(attrs: &[Attribute], flag: &str) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(flag) {
                found = true;
            }
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

fn docs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("doc")).collect()
}

/// The JSON name of a field or variant: its `rename`, else its identifier.
fn json_name(attrs: &[Attribute], ident: &syn::Ident) -> String {
    serde_value(attrs, "rename")
        .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned())
}

/// The last segment of a type path and its generic arguments (`Option`, `[T]`).
fn path_parts(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let args = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((last.ident.to_string(), args))
}

// --- 1. struct variants of tagged unions ---------------------------------------------

fn split_tagged_variants(items: &mut Vec<Item>, names: &mut BTreeSet<String>) {
    let mut added = Vec::new();
    for item in items.iter_mut() {
        let Item::Enum(e) = item else { continue };
        if serde_value(&e.attrs, "tag").is_none() || !is_serde(&e.attrs) {
            continue;
        }
        let derive: Vec<Attribute> = e
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("derive"))
            .cloned()
            .collect();
        for variant in e.variants.iter_mut() {
            let Fields::Named(named) = &variant.fields else {
                continue;
            };
            let mut name = format!("{}{}", e.ident, variant.ident);
            while names.contains(&name) {
                name.push_str("Variant");
            }
            names.insert(name.clone());
            let ident = syn::Ident::new(&name, Span::call_site());
            let mut fields = named.clone();
            for field in fields.named.iter_mut() {
                field.vis = parse_quote!(pub);
            }
            let variant_docs = docs(&variant.attrs);
            added.push(Item::Struct(parse_quote! {
                #(#variant_docs)*
                #(#derive)*
                pub struct #ident #fields
            }));
            variant.fields = Fields::Unnamed(parse_quote!((#ident)));
            let doc = format!(" The value, when it is a [`{name}`].");
            variant.attrs.retain(|a| !a.path().is_ident("doc"));
            variant.attrs.insert(0, parse_quote!(#[doc = #doc]));
        }
    }
    items.extend(added);
}

// --- 2. structs --------------------------------------------------------------------

/// How a setter or constructor takes a value of some type.
struct Taking {
    /// The parameter type.
    param: TokenStream,
    /// The expression turning parameter `v` into the field's value (`None`: `v` itself).
    convert: Option<TokenStream>,
}

/// Whether values of `ty` are taken as `impl Into<ty>`: text and JSON, which callers
/// hold as `&str`, numbers and the like. Other types are taken as themselves, so that
/// `"proj/ci".parse()?` and `Time::from_now(..)?` infer.
fn taken_by_into(ty: &Type) -> bool {
    matches!(
        path_parts(ty).map(|(name, _)| name).as_deref(),
        Some("String" | "Value")
    )
}

fn element(ty: &Type) -> TokenStream {
    if taken_by_into(ty) {
        quote!(impl ::std::convert::Into<#ty>)
    } else {
        quote!(#ty)
    }
}

fn into_if(ty: &Type, expr: TokenStream) -> TokenStream {
    if taken_by_into(ty) {
        quote!(::std::convert::Into::into(#expr))
    } else {
        expr
    }
}

fn taking(ty: &Type) -> Taking {
    match path_parts(ty) {
        Some((name, args)) if name == "Vec" && args.len() == 1 => {
            let item = element(args[0]);
            let convert = if taken_by_into(args[0]) {
                quote!(v.into_iter().map(::std::convert::Into::into).collect())
            } else {
                quote!(v.into_iter().collect())
            };
            Taking {
                param: quote!(impl ::std::iter::IntoIterator<Item = #item>),
                convert: Some(convert),
            }
        }
        Some((name, args)) if (name == "BTreeMap" || name == "Map") && args.len() == 2 => {
            let (key, value) = (element(args[0]), element(args[1]));
            let (k, v) = (into_if(args[0], quote!(k)), into_if(args[1], quote!(v)));
            Taking {
                param: quote!(impl ::std::iter::IntoIterator<Item = (#key, #value)>),
                convert: Some(quote!(v.into_iter().map(|(k, v)| (#k, #v)).collect())),
            }
        }
        _ if taken_by_into(ty) => Taking {
            param: element(ty),
            convert: Some(quote!(::std::convert::Into::into(v))),
        },
        _ => Taking {
            param: quote!(#ty),
            convert: None,
        },
    }
}

/// `new(..)`, the setters and, when every field is optional, `Default`.
fn struct_api(s: &ItemStruct) -> TokenStream {
    let Fields::Named(named) = &s.fields else {
        return TokenStream::new();
    };
    let name = &s.ident;
    let mut params = Vec::new();
    let mut conversions = Vec::new();
    let mut inits = Vec::new();
    let mut required_names = Vec::new();
    let mut setters = Vec::new();
    for field in &named.named {
        let Some(ident) = &field.ident else { continue };
        let option_inner = match path_parts(&field.ty) {
            Some((n, args)) if n == "Option" && args.len() == 1 => Some(args[0]),
            _ => None,
        };
        let optional = option_inner.is_some() || serde_flag(&field.attrs, "default");
        if !optional {
            let Taking { param, convert } = taking(&field.ty);
            let arg = format_ident!("{}", ident.to_string().trim_start_matches("r#"));
            params.push(quote!(#arg: #param));
            // Conversions before the literal: a call inside a struct literal makes the
            // compiler write an unwinding path that drops every field before it, which
            // costs more than the whole constructor otherwise.
            if let Some(convert) = convert {
                conversions.push(quote!(let #arg = { let v = #arg; #convert };));
            }
            inits.push(if *ident == arg {
                quote!(#ident)
            } else {
                quote!(#ident: #arg)
            });
            required_names.push(format!("`{}`", json_name(&field.attrs, ident)));
            continue;
        }
        inits.push(if option_inner.is_some() {
            quote!(#ident: ::std::option::Option::None)
        } else {
            quote!(#ident: ::std::default::Default::default())
        });
        let plain = ident.to_string().trim_start_matches("r#").to_owned();
        let setter = if RESERVED_SETTERS.contains(&plain.as_str()) {
            format_ident!("with_{plain}")
        } else {
            ident.clone()
        };
        let Taking { param, convert } = taking(option_inner.unwrap_or(&field.ty));
        let value = convert.unwrap_or_else(|| quote!(v));
        let value = match option_inner {
            Some(_) => quote!(::std::option::Option::Some(#value)),
            None => value,
        };
        let doc = format!(" Sets `{}`.", json_name(&field.attrs, ident));
        setters.push(quote! {
            #[doc = #doc]
            #[inline]
            pub fn #setter(mut self, v: #param) -> Self {
                self.#ident = #value;
                self
            }
        });
    }
    let new_doc = if required_names.is_empty() {
        " A value with every field unset; the setters set them.".to_owned()
    } else {
        format!(
            " A value with its required fields ({}); the setters set the others.",
            required_names.join(", ")
        )
    };
    let default = if required_names.is_empty() && !derives(&s.attrs, "Default") {
        quote! {
            impl ::std::default::Default for #name {
                #[inline]
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        TokenStream::new()
    };
    let allow = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            #[doc = #new_doc]
            #[inline]
            #allow
            pub fn new(#(#params),*) -> Self {
                #(#conversions)*
                Self { #(#inits),* }
            }
            #(#setters)*
        }
        #default
    }
}

fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.meta
                .to_token_stream()
                .into_iter()
                .any(|t| matches!(&t, proc_macro2::TokenTree::Group(g) if g.stream().into_iter().any(|t| t.to_string() == name)))
    })
}

// --- 3. one-value string enums -----------------------------------------------------

/// Enums of unit variants only, by name, with each variant's JSON value.
fn const_enums(items: &[Item]) -> BTreeMap<String, Vec<String>> {
    items
        .iter()
        .filter_map(|item| {
            let Item::Enum(e) = item else { return None };
            if !is_serde(&e.attrs) || e.variants.iter().any(|v| !matches!(v.fields, Fields::Unit)) {
                return None;
            }
            let values = e
                .variants
                .iter()
                .map(|v| json_name(&v.attrs, &v.ident))
                .collect();
            Some((e.ident.to_string(), values))
        })
        .collect()
}

fn string_enum(e: &ItemEnum) -> TokenStream {
    let enum_docs = docs(&e.attrs);
    let name = &e.ident;
    let variants = e.variants.iter().map(|v| {
        let value = json_name(&v.attrs, &v.ident);
        let variant_docs = docs(&v.attrs);
        let ident = &v.ident;
        quote!(#(#variant_docs)* #ident = #value,)
    });
    quote! {
        ::tc_client::__string_enum! {
            #(#enum_docs)*
            pub enum #name { #(#variants)* }
        }
    }
}

/// typify's `Display`, `FromStr` and `TryFrom` for an enum that became a string enum
/// (which has its own).
fn is_dropped_impl(i: &syn::ItemImpl, dropped: &BTreeSet<String>) -> bool {
    let Type::Path(self_ty) = &*i.self_ty else {
        return false;
    };
    let Some(last) = self_ty.path.segments.last() else {
        return false;
    };
    dropped.contains(&last.ident.to_string()) && i.trait_.is_some()
}

// --- 4. unions ---------------------------------------------------------------------

/// One object variant of a discriminated union: the constant that picks it, the
/// variant and the type it holds.
struct Case {
    value: String,
    variant: syn::Ident,
    ty: TokenStream,
}

/// The property whose constant tells the object variants of an untagged union apart,
/// with each variant's value, when there is one.
fn discriminator(
    e: &ItemEnum,
    structs: &BTreeMap<String, ItemStruct>,
    consts: &BTreeMap<String, Vec<String>>,
) -> Option<(String, Vec<Case>)> {
    let mut property: Option<String> = None;
    let mut cases = Vec::new();
    for variant in &e.variants {
        let Fields::Unnamed(fields) = &variant.fields else {
            return None;
        };
        let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
            return None;
        };
        let Some((type_name, _)) = path_parts(&field.ty) else {
            continue;
        };
        let Some(s) = structs.get(&type_name) else {
            continue;
        };
        let Fields::Named(named) = &s.fields else {
            return None;
        };
        let constant = named.named.iter().find_map(|f| {
            let (ty, _) = path_parts(&f.ty)?;
            let values = consts.get(&ty)?;
            let [value] = values.as_slice() else {
                return None;
            };
            let ident = f.ident.as_ref()?;
            Some((json_name(&f.attrs, ident), value.clone()))
        });
        let (prop, value) = constant?;
        if property.get_or_insert_with(|| prop.clone()) != &prop {
            return None;
        }
        if cases.iter().any(|case: &Case| case.value == value) {
            return None;
        }
        let ty = &field.ty;
        cases.push(Case {
            value,
            variant: variant.ident.clone(),
            ty: quote!(#ty),
        });
    }
    (cases.len() >= 2).then(|| (property.unwrap_or_default(), cases))
}

fn union(
    mut e: ItemEnum,
    structs: &BTreeMap<String, ItemStruct>,
    consts: &BTreeMap<String, Vec<String>>,
) -> TokenStream {
    let tag = serde_value(&e.attrs, "tag");
    if tag.is_none() && !serde_flag(&e.attrs, "untagged") {
        // Externally tagged: not something typify makes of these schemas.
        return e.to_token_stream();
    }
    let name = e.ident.clone();
    let by_tag: Option<(String, TokenStream)> = match &tag {
        Some(tag) => {
            let known: Vec<String> = e
                .variants
                .iter()
                .map(|v| json_name(&v.attrs, &v.ident))
                .collect();
            Some((
                tag.clone(),
                quote! {
                    match tag {
                        #(#known)|* => ::std::option::Option::Some(Self::deserialize(value)),
                        _ => ::std::option::Option::None,
                    }
                },
            ))
        }
        None => discriminator(&e, structs, consts).map(|(property, cases)| {
            let arms = cases.iter().map(|Case { value, variant, ty }| {
                quote! {
                    #value => ::std::option::Option::Some(
                        <#ty as ::serde::Deserialize>::deserialize(value).map(Self::#variant)
                    ),
                }
            });
            (
                property,
                quote! {
                    match tag {
                        #(#arms)*
                        _ => ::std::option::Option::None,
                    }
                },
            )
        }),
    };
    let mut unknown = "Unknown".to_owned();
    while e.variants.iter().any(|v| v.ident == unknown) {
        unknown.push_str("Value");
    }
    let unknown = syn::Ident::new(&unknown, Span::call_site());
    e.variants.push(parse_quote! {
        /// A value this version of tc-client does not know, kept as it was received.
        #[serde(skip)]
        #unknown(::tc_client::UnknownJson)
    });
    e.attrs.push(parse_quote!(#[serde(remote = "Self")]));
    e.attrs.push(parse_quote!(#[non_exhaustive]));
    let (tag_arg, by_tag_fn) = match by_tag {
        Some((property, body)) => (
            quote!(::std::option::Option::Some(#property)),
            quote!(|tag: &str, value: &::tc_client::__private::serde_json::Value| #body),
        ),
        None => (
            quote!(::std::option::Option::None),
            quote!(|_: &str, _: &::tc_client::__private::serde_json::Value| {
                ::std::option::Option::None
            }),
        ),
    };
    quote! {
        #e
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                    known => Self::serialize(known, serializer),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::tc_client::__private::decode_union(
                    deserializer,
                    #tag_arg,
                    #by_tag_fn,
                    |value| Self::deserialize(value),
                    Self::#unknown,
                )
            }
        }
    }
}
