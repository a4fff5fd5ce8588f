//! The post-pass [`SimplePatterns`]: the constrained strings of typify's
//! output check their pattern with a one-pass
//! `tc_client::__private::SimplePattern` (compiled by
//! [`patterns::compile`](crate::patterns::compile)) instead of `regress`
//! where the pattern allows it, decode without an intermediate `String`,
//! and name the type and value they refuse.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens as _, quote};

use super::PostPass;
use crate::error::{Location, Result};
use crate::patterns::{ClassRun, Compiled, compile};

/// Rewrites the constrained strings of typify's output (the module docs say how).
#[derive(Debug, Clone, Copy)]
pub struct SimplePatterns;

impl PostPass for SimplePatterns {
    fn name(&self) -> &'static str {
        "simple-patterns"
    }

    fn apply(&self, tokens: TokenStream, _: &Location) -> Result<TokenStream> {
        Ok(rewrite(tokens))
    }
}

/// The item `static PATTERN: SimplePattern = ...;` (or `AnyPattern`) for
/// `compiled`.
fn simple_static(compiled: &Compiled) -> TokenStream {
    let anchored_end = compiled.anchored_end;
    let sequence = |pieces: &[ClassRun]| {
        let pieces = pieces.iter().map(|ClassRun { ranges, min, max }| {
            let ranges = ranges.iter().map(|(lo, hi)| quote!((#lo, #hi)));
            quote!(::tc_client::__private::Piece::new(&[#(#ranges),*], #min, #max))
        });
        quote!(::tc_client::__private::SimplePattern::new(&[#(#pieces),*], #anchored_end))
    };
    match compiled.alternatives.as_slice() {
        [one] => {
            let one = sequence(one);
            quote!(static PATTERN: ::tc_client::__private::SimplePattern = #one;)
        }
        several => {
            let several = several.iter().map(|pieces| sequence(pieces));
            quote! {
                static PATTERN: ::tc_client::__private::AnyPattern =
                    ::tc_client::__private::AnyPattern::new(&[#(#several),*]);
            }
        }
    }
}

/// `tokens` with every `static PATTERN` whose regular expression is in the
/// subset replaced by a `SimplePattern`, constrained strings decoded
/// without an intermediate `String`, and their errors naming the type and the
/// value refused.
///
/// typify's `FromStr` of a constrained string fails with a fixed text
/// (`Err("doesn't match pattern \"^...$\"".into())`), which says neither what
/// was refused nor as what: it becomes
/// `Err(::tc_client::__private::refused("TaskId", value, "doesn't match ...").into())`.
///
/// typify decodes a constrained string with
/// `String::deserialize(deserializer)?.parse()`: an owned copy of the text,
/// then another made by `FromStr`. Reading it as a borrowed `&str` instead
/// (serde_json lends it straight from the input when it has no escapes)
/// leaves one allocation per string.
pub fn rewrite(tokens: TokenStream) -> TokenStream {
    let owned_then_parsed: Vec<TokenTree> =
        quote!(::std::string::String::deserialize(deserializer)?.parse())
            .into_iter()
            .collect();
    rewrite_with(tokens, &owned_then_parsed, None)
}

/// The name of the type of a `FromStr for <name> { .. }` ending at `trees[i]`
/// (the brace group).
fn from_str_for(trees: &[TokenTree], i: usize) -> Option<String> {
    let is_ident = |t: &TokenTree, name: &str| matches!(t, TokenTree::Ident(id) if id == name);
    let TokenTree::Group(body) = &trees[i] else {
        return None;
    };
    if body.delimiter() != Delimiter::Brace || i < 3 {
        return None;
    }
    match (&trees[i - 3], &trees[i - 2], &trees[i - 1]) {
        (from_str, for_, TokenTree::Ident(name))
            if is_ident(from_str, "FromStr") && is_ident(for_, "for") =>
        {
            Some(name.to_string())
        }
        _ => None,
    }
}

/// Inside the `FromStr` of `type_name`: `stream` rewritten when it is the
/// `"<reason>".into()` of an `Err(..)`.
fn refusal(stream: &TokenStream, type_name: &str) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = stream.clone().into_iter().collect();
    let [
        TokenTree::Literal(reason),
        TokenTree::Punct(dot),
        TokenTree::Ident(into),
        TokenTree::Group(args),
    ] = trees.as_slice()
    else {
        return None;
    };
    if dot.as_char() != '.' || into != "into" || !args.stream().is_empty() {
        return None;
    }
    syn::parse2::<syn::LitStr>(reason.clone().into_token_stream()).ok()?;
    Some(quote!(::tc_client::__private::refused(#type_name, value, #reason).into()))
}

fn rewrite_with(
    tokens: TokenStream,
    owned_then_parsed: &[TokenTree],
    from_str_of: Option<&str>,
) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        if let Some((end, compiled)) = pattern_static(&trees, i) {
            out.extend(simple_static(&compiled));
            i = end + 1;
            continue;
        }
        if starts_with(&trees[i..], owned_then_parsed) {
            out.extend(quote! {
                ::tc_client::__private::deserialize_str_with(
                    deserializer,
                    <Self as ::std::str::FromStr>::from_str,
                )?
            });
            i += owned_then_parsed.len();
            continue;
        }
        out.push(match &trees[i] {
            TokenTree::Group(group) => {
                let is_err = i > 0 && matches!(&trees[i - 1], TokenTree::Ident(id) if id == "Err");
                let inner = match from_str_of {
                    Some(name) if is_err && group.delimiter() == Delimiter::Parenthesis => {
                        refusal(&group.stream(), name)
                    }
                    _ => None,
                };
                let name = from_str_for(&trees, i);
                let inner = inner.unwrap_or_else(|| {
                    rewrite_with(
                        group.stream(),
                        owned_then_parsed,
                        name.as_deref().or(from_str_of),
                    )
                });
                let mut rewritten = Group::new(group.delimiter(), inner);
                rewritten.set_span(group.span());
                TokenTree::Group(rewritten)
            }
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// Whether `trees` begins with the tokens of `prefix` (compared as text).
fn starts_with(trees: &[TokenTree], prefix: &[TokenTree]) -> bool {
    trees.len() >= prefix.len()
        && trees.iter().zip(prefix).all(|(a, b)| match (a, b) {
            (TokenTree::Ident(a), TokenTree::Ident(b)) => a == b,
            (TokenTree::Punct(a), TokenTree::Punct(b)) => a.as_char() == b.as_char(),
            (TokenTree::Group(a), TokenTree::Group(b)) => {
                a.delimiter() == b.delimiter() && a.stream().to_string() == b.stream().to_string()
            }
            _ => false,
        })
}

/// At `trees[i]`, a `static PATTERN ... ;` whose pattern compiles: the
/// index of its `;` and the compiled pattern.
fn pattern_static(trees: &[TokenTree], i: usize) -> Option<(usize, Compiled)> {
    let is_ident = |t: &TokenTree, name: &str| matches!(t, TokenTree::Ident(id) if id == name);
    if !is_ident(&trees[i], "static") || !is_ident(trees.get(i + 1)?, "PATTERN") {
        return None;
    }
    let end = i + trees[i..]
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))?;
    let pattern = first_string(trees[i..end].iter().cloned().collect())?;
    compile(&pattern).map(|compiled| (end, compiled))
}

/// The value of the first string literal in `tokens`, at any depth.
fn first_string(tokens: TokenStream) -> Option<String> {
    tokens.into_iter().find_map(|tree| match tree {
        TokenTree::Literal(literal) => syn::parse2::<syn::LitStr>(literal.into_token_stream())
            .ok()
            .map(|s| s.value()),
        TokenTree::Group(group) => first_string(group.stream()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_static_is_replaced_only_when_the_pattern_compiles() {
        let simple = quote! {
            fn from_str(value: &str) -> Result<Self, E> {
                static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                    ::std::sync::LazyLock::new(|| { ::regress::Regex::new("^[a-z]{2}$").unwrap() });
                if PATTERN.find(value).is_none() { return Err("no".into()); }
                Ok(Self(value.to_string()))
            }
        };
        let out = rewrite(simple).to_string();
        assert!(out.contains("SimplePattern :: new"), "{out}");
        assert!(!out.contains("regress"), "{out}");
        assert!(out.contains("PATTERN . find (value)"), "{out}");

        let deserialize = quote! {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::std::string::String::deserialize(deserializer)?
                    .parse()
                    .map_err(|e: self::error::ConversionError| {
                        <D::Error as ::serde::de::Error>::custom(e.to_string())
                    })
            }
        };
        let out = rewrite(deserialize).to_string();
        assert!(out.contains("deserialize_str_with (deserializer , < Self as :: std :: str :: FromStr > :: from_str ,) ? . map_err"), "{out}");
        assert!(!out.contains("String :: deserialize"), "{out}");

        let choice = quote! {
            static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                ::std::sync::LazyLock::new(|| { ::regress::Regex::new("^(a|bc?)$").unwrap() });
        };
        let out = rewrite(choice).to_string();
        assert!(
            out.contains("static PATTERN : :: tc_client :: __private :: AnyPattern"),
            "{out}"
        );
        assert_eq!(out.matches("SimplePattern :: new").count(), 2, "{out}");

        let complex = quote! {
            static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                ::std::sync::LazyLock::new(|| { ::regress::Regex::new("^(ab)*$").unwrap() });
        };
        let out = rewrite(complex.clone()).to_string();
        assert_eq!(out, complex.to_string());
    }
}
