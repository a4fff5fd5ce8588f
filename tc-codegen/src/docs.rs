//! Rustdoc from reference text: descriptions, scope expressions, routes.
//!
//! The docs of the service module, of each method ([`entry_doc`]: title,
//! description, `GET /route`, stability, required scopes) and of the
//! `events` module and its bindings are written from the service model
//! ([`crate::model`]).
//!
//! The expansion is documented item by item, so that tc-client can deny
//! `missing_docs`: where a schema says nothing, a generated line says what
//! is known. A property gets its JSON name and what its schema allows
//! ([`property_note`]), a type the schema file and JSON pointer it comes
//! from ([`source_note`]), a shared constrained string its pattern
//! ([`pattern_note`]); struct fields and enum variants that typify leaves
//! bare get their JSON name or value, or the type they hold (the post-pass
//! [`FillDocs`](crate::postpass::FillDocs)).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::model;

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

/// The doc of a service's module, which holds the client `client_name`.
pub fn service_doc(service: &model::Service, client_name: &str) -> TokenStream {
    let title = if service.title().is_empty() {
        &service.name
    } else {
        service.title()
    };
    doc_attrs(&format!(
        "{title}\n\n{}\n\nThe client is [`{client_name}`].",
        service.description()
    ))
}

/// The doc of an entry's method: title, description, `METHOD /route`,
/// stability and the scopes it requires.
pub fn entry_doc(entry: &model::Entry) -> TokenStream {
    let mut text = String::new();
    if !entry.title().is_empty() {
        text.push_str(&format!("{}\n\n", entry.title().trim()));
    }
    if !entry.description().is_empty() {
        text.push_str(&format!("{}\n\n", entry.description().trim()));
    }
    text.push_str(&format!(
        "`{} {}`",
        entry.method.as_str(),
        entry.route_template()
    ));
    if !entry.stability().is_empty() {
        text.push_str(&format!(" (stability: **{}**)", entry.stability()));
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

/// The doc of a service's `events` module.
pub fn events_doc(exchanges: &model::Exchanges) -> TokenStream {
    doc_attrs(&format!(
        "{}\n\n{}",
        if exchanges.title().is_empty() {
            "Pulse exchanges"
        } else {
            exchanges.title()
        },
        exchanges.description()
    ))
}

/// The doc of an exchange's binding: title, description, the exchange and
/// its routing-key parts.
pub fn exchange_doc(exchange: &model::Exchange) -> TokenStream {
    let parts: Vec<String> = exchange
        .routing_key()
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
    doc_attrs(&format!(
        "{}\n\n{}\n\nExchange `{}`; routing key parts:\n\n{}",
        exchange.title().trim(),
        exchange.description().trim(),
        exchange.full_name,
        parts.join("\n")
    ))
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

/// The doc line of a JSON property whose schema has no description: its name
/// on the wire and what the (original, untransformed) schema allows, such as
/// "JSON property `taskId`: a string of 22 characters matching `^...$`.".
pub fn property_note(name: &str, schema: &Value) -> String {
    match shape(schema, true) {
        Some(shape) => format!("JSON property `{name}`: {shape}."),
        None => format!("JSON property `{name}`."),
    }
}

/// The doc line of a type generated from a schema (or a part of one) that has
/// no description: where it comes from.
pub fn source_note(file: &str, pointer: &str) -> String {
    if pointer.is_empty() {
        format!("Generated from the schema `{file}`.")
    } else {
        format!("Generated from `{pointer}` of the schema `{file}`.")
    }
}

/// The doc line of a shared pattern-constrained string type.
pub fn pattern_note(pattern: &str) -> String {
    format!(
        "A string matching `{pattern}`, checked when it is deserialized or converted with `TryFrom`."
    )
}

/// A short phrase for the values a schema allows (`None` when the schema is a
/// reference, whose type documents itself, or says nothing checkable).
fn shape(schema: &Value, top: bool) -> Option<String> {
    let obj = schema.as_object()?;
    if obj.contains_key("$ref") {
        return None;
    }
    let literal = |v: &Value| match v.as_str() {
        Some(s) => format!("`{s}`"),
        None => format!("`{v}`"),
    };
    if let Some(constant) = obj.get("const") {
        return Some(format!("always {}", literal(constant)));
    }
    if let Some(Value::Array(values)) = obj.get("enum") {
        return Some(match values.as_slice() {
            [one] => format!("always {}", literal(one)),
            few if few.len() <= 4 => format!(
                "one of {}",
                few.iter().map(literal).collect::<Vec<_>>().join(", ")
            ),
            many => format!("one of {} values", many.len()),
        });
    }
    let types: Vec<&str> = match obj.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.is_empty() {
        return if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
            Some("one of several shapes".to_owned())
        } else if obj.contains_key("properties") {
            Some("an object".to_owned())
        } else if top {
            Some("any JSON value".to_owned())
        } else {
            None
        };
    }
    let phrases: Vec<String> = types.iter().map(|t| type_phrase(t, obj, top)).collect();
    Some(phrases.join(" or "))
}

fn type_phrase(ty: &str, obj: &serde_json::Map<String, Value>, top: bool) -> String {
    let num = |key: &str| obj.get(key).filter(|v| v.is_number()).map(Value::to_string);
    // `unit` is singular; "1 character", "2 characters", "1 to 2 characters".
    let range = |min: Option<String>, max: Option<String>, unit: &str| {
        let count = |n: &str| {
            if n == "1" {
                format!("{n} {unit}")
            } else {
                format!("{n} {unit}s")
            }
        };
        match (min, max) {
            (Some(a), Some(b)) if a == b => format!(" of {}", count(&a)),
            (Some(a), Some(b)) => format!(" of {a} to {b} {unit}s"),
            (Some(a), None) => format!(" of at least {}", count(&a)),
            (None, Some(b)) => format!(" of at most {}", count(&b)),
            (None, None) => String::new(),
        }
    };
    match ty {
        "string" => {
            let mut out = "a string".to_owned();
            if let Some(format) = obj.get("format").and_then(Value::as_str) {
                out.push_str(&format!(" in format `{format}`"));
            }
            out.push_str(&range(num("minLength"), num("maxLength"), "character"));
            if let Some(pattern) = obj.get("pattern").and_then(Value::as_str) {
                out.push_str(&format!(" matching `{pattern}`"));
            }
            out
        }
        "integer" | "number" => {
            let mut out = if ty == "integer" {
                "an integer"
            } else {
                "a number"
            }
            .to_owned();
            match (num("minimum"), num("maximum")) {
                (Some(a), Some(b)) => out.push_str(&format!(" from {a} to {b}")),
                (Some(a), None) => out.push_str(&format!(" of at least {a}")),
                (None, Some(b)) => out.push_str(&format!(" of at most {b}")),
                (None, None) => {}
            }
            out
        }
        "boolean" => "a boolean".to_owned(),
        "null" => "`null`".to_owned(),
        "array" => {
            let mut out = "a list".to_owned();
            out.push_str(&range(num("minItems"), num("maxItems"), "item"));
            if obj.get("uniqueItems") == Some(&Value::Bool(true)) {
                out.push_str(" without duplicates");
            }
            if top && let Some(item) = obj.get("items").and_then(|i| shape(i, false)) {
                out.push_str(&format!(", each {item}"));
            }
            out
        }
        "object" => {
            let has_properties = obj
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty());
            match obj.get("additionalProperties") {
                Some(extra @ Value::Object(_)) if !has_properties => {
                    match shape(extra, false).filter(|_| top) {
                        Some(value) => format!("a map from names to values, each {value}"),
                        None => "a map from names to values".to_owned(),
                    }
                }
                _ => "an object".to_owned(),
            }
        }
        other => format!("a JSON {other}"),
    }
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
    fn properties_without_description_say_what_they_allow() {
        let note = |schema| property_note("taskId", &schema);
        assert_eq!(
            note(
                json!({"type": "string", "minLength": 22, "maxLength": 22, "pattern": "^[a-z]+$"})
            ),
            "JSON property `taskId`: a string of 22 characters matching `^[a-z]+$`."
        );
        assert_eq!(
            note(json!({"type": "integer", "minimum": 0, "maximum": 10})),
            "JSON property `taskId`: an integer from 0 to 10."
        );
        assert_eq!(
            note(
                json!({"type": "array", "items": {"type": "string", "format": "uri"}, "uniqueItems": true})
            ),
            "JSON property `taskId`: a list without duplicates, each a string in format `uri`."
        );
        assert_eq!(
            note(json!({"type": ["string", "null"]})),
            "JSON property `taskId`: a string or `null`."
        );
        assert_eq!(
            note(json!({"enum": ["a", "b"]})),
            "JSON property `taskId`: one of `a`, `b`."
        );
        assert_eq!(
            note(json!({"type": "string", "minLength": 1})),
            "JSON property `taskId`: a string of at least 1 character."
        );
        assert_eq!(note(json!({"$ref": "x.json#"})), "JSON property `taskId`.");
        assert_eq!(
            note(json!({"type": "object", "additionalProperties": {"type": "string"}})),
            "JSON property `taskId`: a map from names to values, each a string."
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

#[cfg(test)]
mod model_doc_tests {
    use quote::ToTokens as _;
    use serde_json::json;

    use super::*;
    use crate::model::{Entry, Exchange, HttpMethod, RoutePart};

    fn entry(scopes: Option<Value>) -> Entry {
        let reference = serde_json::from_value(json!({
            "type": "function",
            "name": "getThing",
            "method": "get",
            "route": "/thing/<thingId>",
            "args": ["thingId"],
            "title": " Get a Thing ",
            "description": "Answers the thing.\n",
            "stability": "experimental",
            "scopes": scopes.clone(),
        }))
        .unwrap();
        Entry {
            reference,
            method: HttpMethod::Get,
            route: vec![RoutePart::Literal("/thing/".into()), RoutePart::Arg(0)],
            input: None,
            output: None,
            paged: false,
            redirect: false,
            scopes,
        }
    }

    /// The text of `#[doc = "..."]` attributes, one line each.
    fn text(tokens: TokenStream) -> String {
        use syn::parse::Parser;
        let attrs = syn::Attribute::parse_outer.parse2(tokens).unwrap();
        attrs
            .iter()
            .map(|a| match &a.meta {
                syn::Meta::NameValue(syn::MetaNameValue {
                    value:
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(line),
                            ..
                        }),
                    ..
                }) => line.value(),
                other => panic!("not a doc line: {}", other.to_token_stream()),
            })
            .map(|line| line.strip_prefix(' ').unwrap_or(&line).to_owned())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn entry_docs_come_from_the_model() {
        assert_eq!(
            text(entry_doc(&entry(Some(
                json!({ "AllOf": ["a:b", "c:<thingId>"] })
            )))),
            "Get a Thing\n\nAnswers the thing.\n\n`GET /thing/<thingId>` (stability: **experimental**)\n\nRequired scopes:\n\n- all of:\n  - `a:b`\n  - `c:<thingId>`"
        );
        assert_eq!(
            text(entry_doc(&entry(None))),
            "Get a Thing\n\nAnswers the thing.\n\n`GET /thing/<thingId>` (stability: **experimental**)\n\nNo scopes required."
        );
    }

    #[test]
    fn exchange_docs_list_the_routing_key() {
        let exchange = Exchange {
            reference: serde_json::from_value(json!({
                "exchange": "thing-made",
                "name": "thingMade",
                "title": "Thing Made",
                "description": "A thing was made.",
                "schema": "v1/thing-made.json#",
                "routingKey": [
                    { "name": "routingKeyKind", "summary": "Always `primary`.", "constant": "primary", "multipleWords": false, "required": true },
                    { "name": "thingId", "summary": "The\nthing.", "multipleWords": false, "required": true },
                    { "name": "reserved", "summary": "", "multipleWords": true, "required": false }
                ]
            }))
            .unwrap(),
            full_name: "exchange/things/v1/thing-made".into(),
            schema: "/schemas/things/v1/thing-made.json".into(),
        };
        assert_eq!(
            text(exchange_doc(&exchange)),
            "Thing Made\n\nA thing was made.\n\nExchange `exchange/things/v1/thing-made`; routing key parts:\n\n- `routingKeyKind` (always `primary`, the default): Always `primary`.\n- `thingId`: The thing.\n- `reserved` (several words)"
        );
    }
}
