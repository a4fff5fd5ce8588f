//! The canonical form of a reference document: what `references/` holds and what
//! `references.lock` pins.
//!
//! A deployment serves its documents as `JSON.stringify(doc, null, 2)` writes them (its
//! own key order, no trailing newline, raw UTF-8, absolute URLs); a folder of the same
//! release may hold them with another key order, `\uXXXX` escapes and a trailing
//! newline. Both parse to the same JSON once the deployment's root URL is taken off its
//! URLs, and both are written back here the same way:
//!
//! - the deployment's absolute URLs (`"<rootUrl>/schemas/..."`, `"<rootUrl>/references/..."`)
//!   become root-relative (`"/schemas/..."`), in every string that starts with one;
//! - object keys are sorted (by their UTF-8 bytes), whatever order the source had;
//! - numbers with an integral value (`1.0`) are written as integers (`1`), as JavaScript
//!   writes them; other numbers in the shortest form that reads back the same;
//! - strings escape only what JSON requires (`"`, `\`, control characters); everything
//!   else is raw UTF-8;
//! - two-space indentation, `"key": value`, `[]` and `{}` for empty containers, and one
//!   newline at the end.
//!
//! The key sort is done here, not left to `serde_json::Map`, whose order depends on a
//! cargo feature (`preserve_order`) that any crate in a build may turn on.

use std::fmt::Write as _;

use serde_json::Value;

use crate::error::{Error, Result};

/// Parses `bytes` (the document at root-relative `path`, for messages) and answers its
/// JSON with the URLs of `root_url` made root-relative.
pub fn parse(path: &str, bytes: &[u8], root_url: Option<&str>) -> Result<Value> {
    let mut value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::msg(format!("{path}: invalid JSON: {e}")))?;
    if let Some(root_url) = root_url {
        relativize(&mut value, root_url.trim_end_matches('/'));
    }
    Ok(value)
}

/// The canonical bytes of a document (see the module docs).
pub fn to_bytes(value: &Value) -> Vec<u8> {
    let mut out = String::with_capacity(4096);
    write_value(&mut out, value, 0);
    out.push('\n');
    out.into_bytes()
}

/// Parses and writes back in one step.
pub fn canonicalize(path: &str, bytes: &[u8], root_url: Option<&str>) -> Result<Vec<u8>> {
    Ok(to_bytes(&parse(path, bytes, root_url)?))
}

/// Rewrites every string that starts with `<root_url>/schemas/` or
/// `<root_url>/references/` to start with `/` instead.
fn relativize(value: &mut Value, root_url: &str) {
    match value {
        Value::String(text) => {
            if let Some(rest) = text.strip_prefix(root_url)
                && (rest.starts_with("/schemas/") || rest.starts_with("/references/"))
            {
                *text = rest.to_owned();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| relativize(v, root_url)),
        Value::Object(map) => map.values_mut().for_each(|v| relativize(v, root_url)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item, depth + 1);
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

/// Integers as integers; a float with an integral value that an f64 holds exactly
/// (below 2^53) as the integer JavaScript would print; other floats as serde_json writes
/// them (the shortest form that parses back to the same f64).
fn write_number(out: &mut String, n: &serde_json::Number) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if let Some(f) = n.as_f64().filter(|_| n.is_f64())
        && f.fract() == 0.0
        && f.abs() < EXACT
    {
        // In range and integral: the cast is exact. `-0.0` prints as `0`, as in JS.
        let _ = write!(out, "{}", f as i64);
        return;
    }
    let _ = write!(out, "{n}");
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The JSON pointer (RFC 6901) of the first place where `a` and `b` differ, in
/// canonical order (object keys sorted, then array indices), or `None` when they are
/// equal. A key present in only one of them is the place.
pub fn first_difference(a: &Value, b: &Value) -> Option<String> {
    let mut pointer = String::new();
    first_difference_at(a, b, &mut pointer).then_some(pointer)
}

fn first_difference_at(a: &Value, b: &Value, pointer: &mut String) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort_by(|p, q| p.as_bytes().cmp(q.as_bytes()));
            keys.dedup();
            for key in keys {
                let len = pointer.len();
                push_token(pointer, key);
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) if !first_difference_at(p, q, pointer) => {}
                    _ => return true,
                }
                pointer.truncate(len);
            }
            false
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let len = pointer.len();
                let _ = write!(pointer, "/{i}");
                match (x.get(i), y.get(i)) {
                    (Some(p), Some(q)) if !first_difference_at(p, q, pointer) => {}
                    _ => return true,
                }
                pointer.truncate(len);
            }
            false
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() != y.as_f64(),
        _ => a != b,
    }
}

/// Appends `/<token>` with `~` and `/` escaped as RFC 6901 says.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorted_two_space_raw_utf8_with_a_final_newline() {
        let bytes = br#"{"z": [1.0, 2.5, -0.0, {}], "a": "caf\u00e9 \"q\" \\ \u0001", "m": {"y": [], "x": null}}"#;
        let out = String::from_utf8(canonicalize("/t.json", bytes, None).unwrap()).unwrap();
        assert_eq!(
            out,
            "{\n  \"a\": \"café \\\"q\\\" \\\\ \\u0001\",\n  \"m\": {\n    \"x\": null,\n    \"y\": []\n  },\n  \"z\": [\n    1,\n    2.5,\n    0,\n    {}\n  ]\n}\n"
        );
        // Writing the canonical form again changes nothing.
        assert_eq!(
            canonicalize("/t.json", out.as_bytes(), None).unwrap(),
            out.as_bytes()
        );
    }

    #[test]
    fn only_urls_of_the_deployment_become_root_relative() {
        let doc = json!({
            "$schema": "https://tc.example.com/schemas/common/metaschema.json#",
            "refs": ["https://tc.example.com/references/x.json", "https://tc.example.com/other"],
            "text": "see https://tc.example.com/schemas/x",
        });
        let bytes = serde_json::to_vec(&doc).unwrap();
        let value = parse("/d.json", &bytes, Some("https://tc.example.com/")).unwrap();
        assert_eq!(
            value,
            json!({
                "$schema": "/schemas/common/metaschema.json#",
                "refs": ["/references/x.json", "https://tc.example.com/other"],
                "text": "see https://tc.example.com/schemas/x",
            })
        );
    }

    #[test]
    fn the_first_difference_is_named_by_its_pointer() {
        let a = json!({"a": 1, "p": {"x/y": [1, {"d": "old"}], "z~": 2}});
        let mut b = a.clone();
        assert_eq!(first_difference(&a, &b), None);
        b["p"]["x/y"][1]["d"] = json!("new");
        assert_eq!(first_difference(&a, &b).as_deref(), Some("/p/x~1y/1/d"));
        b = a.clone();
        b["p"]["z~"] = json!(3);
        assert_eq!(first_difference(&a, &b).as_deref(), Some("/p/z~0"));
        b = a.clone();
        b["b"] = json!(true);
        assert_eq!(first_difference(&a, &b).as_deref(), Some("/b"));
        // 1 and 1.0 are the same number.
        assert_eq!(first_difference(&json!([1]), &json!([1.0])), None);
        assert_eq!(
            first_difference(&json!([1]), &json!([1, 2])).as_deref(),
            Some("/1")
        );
    }

    #[test]
    fn malformed_json_names_the_file() {
        let err = canonicalize("/schemas/x.json", b"{", None).unwrap_err();
        assert!(
            err.message().starts_with("/schemas/x.json: invalid JSON"),
            "{err}"
        );
    }
}
