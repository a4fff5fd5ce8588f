//! Rustdoc from reference text: descriptions, scope expressions, routes.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// Makes reference markdown safe for rustdoc: code fences without a language
/// become `text` (so they are not compiled as doctests) and deep indentation,
/// which markdown would read as an indented Rust code block, is reduced.
pub fn clean_markdown(text: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for line in text.replace('\t', "    ").lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            if !in_fence && rest.trim().is_empty() {
                out.push_str("```text\n");
            } else {
                out.push_str(trimmed);
                out.push('\n');
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            // Four spaces would make an indented (Rust) code block, except
            // for list items, whose nesting needs the indentation.
            let indent = line.len() - trimmed.len();
            let list_item = trimmed.starts_with("- ")
                || trimmed.starts_with("* ")
                || trimmed.starts_with("+ ")
                || trimmed
                    .split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            let keep = if list_item { indent } else { indent.min(3) };
            out.push_str(&" ".repeat(keep));
            out.push_str(trimmed);
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// `#[doc = "..."]` attributes for a text (nothing for an empty text).
pub fn doc_attrs(text: &str) -> TokenStream {
    let text = clean_markdown(text);
    if text.is_empty() {
        return TokenStream::new();
    }
    let lines = text.lines().map(|l| format!(" {l}"));
    quote! { #(#[doc = #lines])* }
}

/// Renders a scope expression as a markdown list.
pub fn render_scopes(expression: &Value) -> String {
    let mut out = String::new();
    render_into(expression, 0, &mut out);
    out
}

fn render_into(expression: &Value, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    match expression {
        Value::String(scope) => out.push_str(&format!("{pad}- `{scope}`\n")),
        Value::Object(obj) => {
            if let Some(Value::Array(all)) = obj.get("AllOf") {
                out.push_str(&format!("{pad}- all of:\n"));
                for e in all {
                    render_into(e, depth + 1, out);
                }
            } else if let Some(Value::Array(any)) = obj.get("AnyOf") {
                out.push_str(&format!("{pad}- any of:\n"));
                for e in any {
                    render_into(e, depth + 1, out);
                }
            } else if let (Some(each), Some(Value::String(var)), Some(Value::String(list))) =
                (obj.get("each"), obj.get("for"), obj.get("in"))
            {
                let each = each.as_str().unwrap_or_default();
                out.push_str(&format!("{pad}- `{each}` for each `{var}` in `{list}`\n"));
            } else if let (Some(Value::String(cond)), Some(then)) = (obj.get("if"), obj.get("then"))
            {
                out.push_str(&format!("{pad}- if `{cond}`:\n"));
                render_into(then, depth + 1, out);
                if let Some(otherwise) = obj.get("else") {
                    out.push_str(&format!("{pad}- otherwise:\n"));
                    render_into(otherwise, depth + 1, out);
                }
            } else {
                out.push_str(&format!("{pad}- `{expression}`\n"));
            }
        }
        other => out.push_str(&format!("{pad}- `{other}`\n")),
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
    use super::*;
    use serde_json::json;

    #[test]
    fn scopes_render_as_nested_lists() {
        let expr = json!({"AllOf": [
            "queue:create-task:project:<projectId>",
            {"AnyOf": [{"each": "queue:route:<route>", "for": "route", "in": "routes"}]},
            {"if": "private", "then": "a:b"}
        ]});
        assert_eq!(
            render_scopes(&expr),
            "- all of:\n  - `queue:create-task:project:<projectId>`\n  - any of:\n    - `queue:route:<route>` for each `route` in `routes`\n  - if `private`:\n    - `a:b`\n"
        );
    }

    #[test]
    fn code_fences_are_not_doctests() {
        assert_eq!(clean_markdown("a\n```\nx\n```"), "a\n```text\nx\n```");
        assert_eq!(clean_markdown("```js\nx\n```"), "```js\nx\n```");
        assert_eq!(clean_markdown("a\n\n        code"), "a\n\n   code");
        assert_eq!(clean_markdown("- a\n    - b"), "- a\n    - b");
    }
}
