//! Struct decoding: structs get a `Deserialize` impl of tc-codegen's own
//! instead of serde's derive. [`Evolvable`](super::Evolvable) calls [`decode`]
//! on each struct it emits, so the items are parsed once for both.
//!
//! serde's derive writes, for every struct, a field enum with three key
//! visitors, a sequence visitor (JSON never sends a struct as an array) and a
//! map visitor that spells each field's handling out in full. In the
//! expansion of all services that was 62k of tc-client's 153k lines and the
//! larger part of its type and borrow checking (`-Z time-passes`). The impl
//! written here names each field three times (its slot, its key, its value)
//! and leaves the rest to `tc_client::__private::{FieldKey, field, required,
//! skip_value}`, which are compiled once. What is decoded, and the errors, are
//! those of the derive: unknown keys ignored, `duplicate field`, `missing
//! field` unless the type decodes from nothing (`Option`), `#[serde(default)]`
//! and `#[serde(default = "path")]` honoured.
//!
//! Only plain structs are rewritten: named fields, no generics, no container
//! `#[serde(..)]`, and field attributes among `rename`, `default` and
//! `skip_serializing_if`. Anything else keeps serde's derive.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt as _;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Fields, ItemStruct, Lit, Meta, Path, Token};

/// Gives `item` tc-codegen's `Deserialize` impl when it is a plain struct (see
/// the module): takes `Deserialize` out of its derives and answers the impl;
/// `None` leaves the struct to serde's derive, unchanged.
pub fn decode(item: &mut ItemStruct) -> Option<TokenStream> {
    let plan = plan(item)?;
    drop_deserialize_derive(item);
    Some(emit(&item.ident, &plan))
}

/// How one field is decoded.
struct FieldPlan {
    ident: syn::Ident,
    /// The JSON property name.
    key: String,
    ty: syn::Type,
    missing: Missing,
}

/// What a field that is not in the map becomes.
enum Missing {
    /// What its type decodes from nothing (`None`), else `missing field`.
    Required,
    /// `Default::default()`.
    Default,
    /// The function the attribute names.
    DefaultWith(Path),
}

/// The fields of a struct this pass can decode, or `None` to leave it to serde.
fn plan(item: &ItemStruct) -> Option<Vec<FieldPlan>> {
    if !item.generics.params.is_empty()
        || !derives_deserialize(&item.attrs)
        || item.attrs.iter().any(|a| a.path().is_ident("serde"))
    {
        return None;
    }
    let Fields::Named(fields) = &item.fields else {
        return None;
    };
    let mut plans = Vec::with_capacity(fields.named.len());
    for field in &fields.named {
        let ident = field.ident.clone()?;
        let mut key = ident.unraw().to_string();
        let mut missing = Missing::Required;
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let metas = attr
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()?;
            for meta in metas {
                match &meta {
                    Meta::Path(p) if p.is_ident("default") => missing = Missing::Default,
                    Meta::NameValue(nv) if nv.path.is_ident("rename") => key = lit_str(&nv.value)?,
                    Meta::NameValue(nv) if nv.path.is_ident("default") => {
                        missing = Missing::DefaultWith(syn::parse_str(&lit_str(&nv.value)?).ok()?);
                    }
                    Meta::NameValue(nv) if nv.path.is_ident("skip_serializing_if") => {}
                    _ => return None,
                }
            }
        }
        plans.push(FieldPlan {
            ident,
            key,
            ty: field.ty.clone(),
            missing,
        });
    }
    Some(plans)
}

fn lit_str(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// The paths of a `#[derive(..)]`, or `None` for another attribute.
fn derive_paths(attr: &Attribute) -> Option<Punctuated<Path, Token![,]>> {
    if !attr.path().is_ident("derive") {
        return None;
    }
    attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
        .ok()
}

fn is_deserialize(path: &Path) -> bool {
    path.segments
        .last()
        .is_some_and(|s| s.ident == "Deserialize")
}

fn derives_deserialize(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter_map(derive_paths)
        .any(|paths| paths.iter().any(is_deserialize))
}

/// Takes `Deserialize` out of the struct's derives (dropping a derive left empty).
fn drop_deserialize_derive(item: &mut ItemStruct) {
    item.attrs.retain_mut(|attr| {
        let Some(paths) = derive_paths(attr) else {
            return true;
        };
        if !paths.iter().any(is_deserialize) {
            return true;
        }
        let kept: Vec<&Path> = paths.iter().filter(|p| !is_deserialize(p)).collect();
        if kept.is_empty() {
            return false;
        }
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        true
    });
}

/// The `Deserialize` impl of struct `name`.
fn emit(name: &syn::Ident, fields: &[FieldPlan]) -> TokenStream {
    let private = quote!(::tc_client::__private);
    let expecting = format!("struct {name}");
    let name_str = name.to_string();
    let keys = fields.iter().map(|f| &f.key);
    let slots: Vec<syn::Ident> = (0..fields.len()).map(|i| format_ident!("__f{i}")).collect();
    let indexes = 0..fields.len();
    let types = fields.iter().map(|f| &f.ty);
    let values = fields.iter().zip(&slots).enumerate().map(|(i, (f, slot))| {
        let ident = &f.ident;
        let value = match &f.missing {
            Missing::Required => quote!(#private::required(#slot, __FIELDS[#i])?),
            Missing::Default => quote!(#slot.unwrap_or_default()),
            Missing::DefaultWith(path) => quote!(#slot.unwrap_or_else(#path)),
        };
        quote!(#ident: #value)
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                const __FIELDS: &[&str] = &[#(#keys),*];
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, __f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        __f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut __map: __A,
                    ) -> ::std::result::Result<#name, __A::Error> {
                        #(let mut #slots: ::std::option::Option<#types> = ::std::option::Option::None;)*
                        while let ::std::option::Option::Some(__key) =
                            ::serde::de::MapAccess::next_key_seed(&mut __map, #private::FieldKey(__FIELDS))?
                        {
                            match __key {
                                #(#indexes => #private::field(&mut __map, &mut #slots, __FIELDS[#indexes])?,)*
                                _ => #private::skip_value(&mut __map)?,
                            }
                        }
                        ::std::result::Result::Ok(#name { #(#values,)* })
                    }
                }
                ::serde::Deserializer::deserialize_struct(__deserializer, #name_str, __FIELDS, __Visitor)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    /// The struct and the impl `decode` makes of `tokens`, as text.
    fn run(tokens: TokenStream) -> String {
        let mut item: ItemStruct = syn::parse2(tokens).unwrap();
        let decoded = decode(&mut item).unwrap_or_default();
        let mut out = item.into_token_stream();
        out.extend(decoded);
        out.to_string()
    }

    #[test]
    fn a_plain_struct_loses_the_derive_and_gets_an_impl() {
        let out = run(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub struct Run {
                #[serde(rename = "runId")]
                pub run_id: i64,
                #[serde(default, skip_serializing_if = "Vec::is_empty")]
                pub tags: Vec<String>,
                #[serde(default = "defaults::retries")]
                pub retries: i64,
                pub r#type: Option<String>,
            }
        });
        assert!(
            out.contains("# [derive (:: serde :: Serialize , Clone , Debug)]"),
            "{out}"
        );
        assert!(
            out.contains("impl < 'de > :: serde :: Deserialize < 'de > for Run"),
            "{out}"
        );
        assert!(
            out.contains(r#"& ["runId" , "tags" , "retries" , "type"]"#),
            "{out}"
        );
        assert!(out.contains("tags : __f1 . unwrap_or_default ()"), "{out}");
        assert!(
            out.contains("retries : __f2 . unwrap_or_else (defaults :: retries)"),
            "{out}"
        );
        assert!(
            out.contains("r#type : :: tc_client :: __private :: required (__f3"),
            "{out}"
        );
        assert!(out.contains("\"struct Run\""), "{out}");
    }

    #[test]
    fn what_it_cannot_decode_keeps_serdes_derive() {
        for item in [
            quote! { #[derive(::serde::Deserialize)] #[serde(deny_unknown_fields)] pub struct A { pub a: i64 } },
            quote! { #[derive(::serde::Deserialize)] pub struct B { #[serde(flatten)] pub rest: Map } },
            quote! { #[derive(::serde::Deserialize)] #[serde(transparent)] pub struct C(pub String); },
            quote! { #[derive(::serde::Deserialize)] pub struct D<T> { pub t: T } },
            quote! { #[derive(::serde::Serialize)] pub struct F { pub a: i64 } },
        ] {
            let mut parsed: ItemStruct = syn::parse2(item).unwrap();
            let before = parsed.to_token_stream().to_string();
            assert!(decode(&mut parsed).is_none(), "{before}");
            assert_eq!(parsed.to_token_stream().to_string(), before);
        }
    }

    #[test]
    fn a_derive_of_deserialize_alone_goes_away() {
        let out = run(quote! {
            #[derive(::serde::Deserialize)]
            pub struct Only { pub a: i64 }
        });
        assert!(!out.contains("derive"), "{out}");
        assert!(out.contains("Deserialize < 'de > for Only"), "{out}");
    }
}
