//! A scope expression (the references' JSON: strings, `AllOf`, `AnyOf`,
//! `for`/`in`/`each`, `if`/`then`/`else`) as indented text for `--help`.

use serde_json::Value;

/// The expression written as indented lines, or `None` when it needs no scopes.
pub fn describe(expression: &str) -> Option<String> {
    if expression.is_empty() {
        return None;
    }
    let value: Value = serde_json::from_str(expression).ok()?;
    let mut text = String::new();
    write(&value, 1, &mut text);
    Some(text)
}

fn write(value: &Value, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    match value {
        Value::String(scope) => out.push_str(&format!("{indent}{scope}\n")),
        Value::Object(map) => {
            if let Some(Value::Array(all)) = map.get("AllOf") {
                out.push_str(&format!("{indent}all of:\n"));
                all.iter().for_each(|v| write(v, depth + 1, out));
            } else if let Some(Value::Array(any)) = map.get("AnyOf") {
                out.push_str(&format!("{indent}any of:\n"));
                any.iter().for_each(|v| write(v, depth + 1, out));
            } else if let (Some(var), Some(within), Some(each)) =
                (map.get("for"), map.get("in"), map.get("each"))
            {
                let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                out.push_str(&format!(
                    "{indent}for each {} in {}: {}\n",
                    text(var),
                    text(within),
                    text(each)
                ));
            } else if let (Some(condition), Some(then)) = (map.get("if"), map.get("then")) {
                let condition = condition
                    .as_str()
                    .map_or_else(|| condition.to_string(), str::to_owned);
                out.push_str(&format!("{indent}if {condition}:\n"));
                write(then, depth + 1, out);
                if let Some(otherwise) = map.get("else") {
                    out.push_str(&format!("{indent}else:\n"));
                    write(otherwise, depth + 1, out);
                }
            } else {
                out.push_str(&format!("{indent}{value}\n"));
            }
        }
        other => out.push_str(&format!("{indent}{other}\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_expressions_are_indented() {
        let text = describe(
            r#"{"AllOf":["queue:create-task:<taskQueueId>",{"AnyOf":["a",{"for":"route","in":"routes","each":"queue:route:<route>"}]},{"if":"private","then":"b"}]}"#,
        )
        .unwrap();
        assert_eq!(
            text,
            "  all of:\n    queue:create-task:<taskQueueId>\n    any of:\n      a\n      for each route in routes: queue:route:<route>\n    if private:\n      b\n"
        );
        assert_eq!(describe(""), None);
    }
}
