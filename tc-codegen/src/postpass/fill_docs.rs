//! The post-pass [`FillDocs`]: every struct field and enum variant that
//! typify leaves without a doc gets one (its JSON name or value, or the
//! type it holds), so that tc-client can deny `missing_docs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::PostPass;
use crate::error::{Location, Result};

/// Documents bare fields and variants (see [`fill_missing_docs`]).
#[derive(Debug, Clone, Copy)]
pub struct FillDocs;

impl PostPass for FillDocs {
    fn name(&self) -> &'static str {
        "fill-docs"
    }

    fn apply(&self, tokens: TokenStream, _: &Location) -> Result<TokenStream> {
        Ok(fill_missing_docs(tokens))
    }
}

/// Gives every struct field and enum variant in `tokens` (typify's output)
/// that has no doc a generated one. A field gets its JSON name (typify moves
/// the description of a property whose schema becomes a named type onto that
/// type); a variant gets how it is written in JSON (its
/// `#[serde(rename = "...")]` or its name) or, in an untagged enum, the type
/// it holds.
pub fn fill_missing_docs(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    // Whether the item being read so far carries `#[serde(untagged)]`.
    let mut untagged = false;
    let mut i = 0;
    while i < trees.len() {
        match (&trees[i], trees.get(i + 1), trees.get(i + 2)) {
            (TokenTree::Ident(kw), Some(TokenTree::Ident(_)), Some(TokenTree::Group(body)))
                if (kw == "enum" || kw == "struct") && body.delimiter() == Delimiter::Brace =>
            {
                let inner = if kw == "enum" {
                    variants_with_docs(body.stream(), untagged)
                } else {
                    fields_with_docs(body.stream())
                };
                let mut rebuilt = Group::new(Delimiter::Brace, inner);
                rebuilt.set_span(body.span());
                out.extend([
                    trees[i].clone(),
                    trees[i + 1].clone(),
                    TokenTree::Group(rebuilt),
                ]);
                untagged = false;
                i += 3;
                continue;
            }
            (TokenTree::Group(group), _, _) if group.delimiter() == Delimiter::Brace => {
                let mut rebuilt = Group::new(Delimiter::Brace, fill_missing_docs(group.stream()));
                rebuilt.set_span(group.span());
                out.push(TokenTree::Group(rebuilt));
                untagged = false;
            }
            (TokenTree::Group(group), _, _) if group.delimiter() == Delimiter::Bracket => {
                let text = group.stream().to_string();
                if text.starts_with("serde") && text.contains("untagged") {
                    untagged = true;
                }
                out.push(trees[i].clone());
            }
            (TokenTree::Punct(p), _, _) if p.as_char() == ';' => {
                untagged = false;
                out.push(trees[i].clone());
            }
            (tree, _, _) => out.push(tree.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// Splits the body of a struct or enum at its top-level commas (commas inside
/// `<...>` belong to a type).
fn split_members(body: TokenStream) -> Vec<Vec<proc_macro2::TokenTree>> {
    use proc_macro2::TokenTree;
    let mut members: Vec<Vec<TokenTree>> = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut depth = 0usize;
    for tree in body {
        let comma = match &tree {
            TokenTree::Punct(p) if p.as_char() == '<' => {
                depth += 1;
                false
            }
            TokenTree::Punct(p) if p.as_char() == '>' => {
                depth = depth.saturating_sub(1);
                false
            }
            TokenTree::Punct(p) => p.as_char() == ',' && depth == 0,
            _ => false,
        };
        current.push(tree);
        if comma {
            members.push(std::mem::take(&mut current));
        }
    }
    members.push(current);
    members
}

/// What the leading attributes of a field or variant say.
struct MemberAttrs {
    /// Where the attributes end.
    end: usize,
    has_doc: bool,
    rename: Option<String>,
    flatten: bool,
}

fn member_attrs(member: &[proc_macro2::TokenTree]) -> MemberAttrs {
    use proc_macro2::{Delimiter, TokenTree};
    let mut attrs = MemberAttrs {
        end: 0,
        has_doc: false,
        rename: None,
        flatten: false,
    };
    while let (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(attr))) =
        (member.get(attrs.end), member.get(attrs.end + 1))
    {
        if hash.as_char() != '#' || attr.delimiter() != Delimiter::Bracket {
            break;
        }
        let mut inner = attr.stream().into_iter();
        match inner.next() {
            Some(TokenTree::Ident(name)) if name == "doc" => attrs.has_doc = true,
            Some(TokenTree::Ident(name)) if name == "serde" => {
                if let Some(TokenTree::Group(args)) = inner.next() {
                    let args = args.stream();
                    attrs.flatten |= args
                        .clone()
                        .into_iter()
                        .any(|t| matches!(&t, TokenTree::Ident(i) if i == "flatten"));
                    attrs.rename = attrs.rename.or_else(|| serde_rename(args));
                }
            }
            _ => {}
        }
        attrs.end += 2;
    }
    attrs
}

/// The fields of one struct body (named fields), each given a doc if it has
/// none.
fn fields_with_docs(body: TokenStream) -> TokenStream {
    use proc_macro2::TokenTree;
    let mut out = TokenStream::new();
    for field in split_members(body) {
        let attrs = member_attrs(&field);
        let name = field[attrs.end..].iter().find_map(|t| match t {
            TokenTree::Ident(i) if i != "pub" => Some(i.to_string()),
            _ => None,
        });
        if let (false, Some(name)) = (attrs.has_doc, name) {
            let text = if attrs.flatten {
                " The properties not named by the other fields.".to_owned()
            } else {
                let json = attrs
                    .rename
                    .unwrap_or_else(|| name.trim_start_matches("r#").to_owned());
                format!(" JSON property `{json}`.")
            };
            out.extend(quote! { #[doc = #text] });
        }
        out.extend(field);
    }
    out
}

/// The variants of one enum body, each given a doc if it has none (and the
/// fields of struct variants too).
fn variants_with_docs(body: TokenStream, untagged: bool) -> TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let mut out = TokenStream::new();
    for mut variant in split_members(body) {
        let attrs = member_attrs(&variant);
        let Some(TokenTree::Ident(name)) = variant.get(attrs.end).cloned() else {
            out.extend(variant);
            continue;
        };
        let payload = variant.get(attrs.end + 1).cloned();
        if let Some(TokenTree::Group(fields)) = &payload
            && fields.delimiter() == Delimiter::Brace
        {
            let mut rebuilt = Group::new(Delimiter::Brace, fields_with_docs(fields.stream()));
            rebuilt.set_span(fields.span());
            variant[attrs.end + 1] = TokenTree::Group(rebuilt);
        }
        if !attrs.has_doc {
            let text = match payload {
                Some(TokenTree::Group(ty))
                    if untagged && ty.delimiter() == Delimiter::Parenthesis =>
                {
                    format!(" The value, when it is {}.", type_mention(ty.stream()))
                }
                _ => {
                    let wire = attrs.rename.unwrap_or_else(|| name.to_string());
                    format!(" Written `{wire}` in JSON.")
                }
            };
            out.extend(quote! { #[doc = #text] });
        }
        out.extend(variant);
    }
    out
}

/// The string of `rename = "..."` in the arguments of a `#[serde(...)]`.
fn serde_rename(args: TokenStream) -> Option<String> {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = args.into_iter().collect();
    trees.windows(3).find_map(|w| match w {
        [
            TokenTree::Ident(key),
            TokenTree::Punct(eq),
            TokenTree::Literal(lit),
        ] if key == "rename" && eq.as_char() == '=' => {
            syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into())
                .ok()
                .map(|s| s.value())
        }
        _ => None,
    })
}

/// A type in prose: a link for a type of the same module, code otherwise.
fn type_mention(ty: TokenStream) -> String {
    let text: String = ty.to_string().split_whitespace().collect();
    let simple = text
        .replace("::std::string::", "")
        .replace("::std::vec::", "")
        .replace("::std::collections::", "")
        .replace("::std::option::", "")
        .replace("::std::boxed::", "")
        .replace("::serde_json::", "serde_json::")
        .replace("::tc_client::", "tc_client::");
    let plain = simple.chars().all(|c| c.is_alphanumeric() || c == '_');
    let local = plain && !matches!(simple.as_str(), "String" | "bool" | "i64" | "u64" | "f64");
    let article = if simple.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    if local {
        format!("{article} [`{simple}`]")
    } else {
        format!("{article} `{simple}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_variants_without_docs_get_one() {
        let tokens = quote! {
            pub struct Claim {
                ///Kept.
                pub kept: u64,
                #[serde(rename = "taskId")]
                pub task_id: ::std::collections::BTreeMap<::std::string::String, u64>,
                pub r#type: Kind,
            }
            #[serde(untagged)]
            pub enum Image { String(::std::string::String), Named(NamedImage), }
            pub enum Tagged {
                #[serde(rename = "object")]
                Object { credentials: Creds },
                Reference,
            }
        };
        let out = fill_missing_docs(tokens).to_string();
        for expected in [
            "# [doc = \" JSON property `taskId`.\"] # [serde (rename = \"taskId\")] pub task_id",
            "# [doc = \" JSON property `type`.\"] pub r#type",
            "# [doc = \" The value, when it is a `String`.\"] String",
            "# [doc = \" The value, when it is a [`NamedImage`].\"] Named",
            "# [doc = \" Written `object` in JSON.\"] # [serde (rename = \"object\")] Object",
            "# [doc = \" JSON property `credentials`.\"] credentials",
            "# [doc = \" Written `Reference` in JSON.\"] Reference",
        ] {
            assert!(out.contains(expected), "{expected}\nnot in\n{out}");
        }
        assert_eq!(out.matches("Kept.").count(), 1);
        assert!(!out.contains("JSON property `kept`"));
    }
}
