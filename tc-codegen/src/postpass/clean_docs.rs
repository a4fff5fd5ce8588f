//! The post-pass [`CleanDocs`]: typify copies schema descriptions into
//! `#[doc]` attributes verbatim; this makes them safe for rustdoc with
//! [`docs::clean_markdown`](crate::docs::clean_markdown).

use proc_macro2::TokenStream;

use super::PostPass;
use crate::docs::clean_markdown;
use crate::error::{Location, Result};

/// Cleans every `#[doc = "..."]` of typify's output (see [`clean_doc_attrs`]).
#[derive(Debug, Clone, Copy)]
pub struct CleanDocs;

impl PostPass for CleanDocs {
    fn name(&self) -> &'static str {
        "clean-docs"
    }

    fn apply(&self, tokens: TokenStream, _: &Location) -> Result<TokenStream> {
        Ok(clean_doc_attrs(tokens))
    }
}

/// Applies [`clean_markdown`] to every `#[doc = "..."]` in `tokens` (typify
/// copies schema descriptions verbatim).
pub fn clean_doc_attrs(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, Group, Literal, TokenTree};
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let stream = match inner.as_slice() {
                    [
                        TokenTree::Ident(name),
                        TokenTree::Punct(eq),
                        TokenTree::Literal(lit),
                    ] if group.delimiter() == Delimiter::Bracket
                        && name == "doc"
                        && eq.as_char() == '=' =>
                    {
                        match syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into()) {
                            Ok(text) => {
                                let cleaned = clean_markdown(&text.value());
                                let mut out = TokenStream::new();
                                out.extend([
                                    TokenTree::Ident(name.clone()),
                                    TokenTree::Punct(eq.clone()),
                                    TokenTree::Literal(Literal::string(&cleaned)),
                                ]);
                                out
                            }
                            Err(_) => group.stream(),
                        }
                    }
                    _ => clean_doc_attrs(group.stream()),
                };
                let mut rebuilt = Group::new(group.delimiter(), stream);
                rebuilt.set_span(group.span());
                TokenTree::Group(rebuilt)
            }
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn doc_attributes_are_cleaned_at_any_depth() {
        let tokens = quote! {
            #[doc = "a\n```\nx\n```"]
            pub struct A {
                #[doc = "b\n\n        deep"]
                pub b: u64,
                #[serde(rename = "c")]
                pub c: u64,
            }
        };
        let out = CleanDocs.apply(tokens, &Location::default()).unwrap();
        let expected = quote! {
            #[doc = "a\n```text\nx\n```"]
            pub struct A {
                #[doc = "b\n\n   deep"]
                pub b: u64,
                #[serde(rename = "c")]
                pub c: u64,
            }
        };
        assert_eq!(out.to_string(), expected.to_string());
    }
}
