//! An input checked against its entry's generated request type before anything is sent.
//!
//! The generated types ignore keys they do not know (a newer deployment may add
//! fields), which is right for answers but would let a typo in an input through
//! unnoticed. So an input is decoded into the type (a wrong type or a missing
//! required field fails there, with its JSON path), encoded again, and every key
//! of the input that the round trip lost is refused as unknown.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `value` into `T` and answers `T` encoded again, or says what is wrong
/// and where (`metadata.owner: missing field`).
pub fn check<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, String> {
    let decoded: T = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.into_inner().to_string()
        } else {
            format!("at {path}: {}", e.into_inner())
        }
    })?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    let mut unknown = Vec::new();
    lost_keys(&value, &encoded, &mut String::new(), &mut unknown);
    match unknown.first() {
        None => Ok(encoded),
        Some(first) if unknown.len() == 1 => Err(format!("unknown field `{first}`")),
        Some(_) => Err(format!(
            "unknown fields {}",
            unknown
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The paths of the keys of `input` that `kept` does not have. A `null`, `[]` or
/// `{}` value may be lost: the types leave out absent options and empty lists and
/// maps when they encode, which the services read the same way.
fn lost_keys(input: &Value, kept: &Value, path: &mut String, lost: &mut Vec<String>) {
    match (input, kept) {
        (Value::Object(input), Value::Object(kept)) => {
            for (key, value) in input {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                match kept.get(key) {
                    Some(kept) => lost_keys(value, kept, path, lost),
                    None if is_empty(value) => {}
                    None => lost.push(path.clone()),
                }
                path.truncate(len);
            }
        }
        (Value::Array(input), Value::Array(kept)) => {
            for (i, (value, kept)) in input.iter().zip(kept).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                lost_keys(value, kept, path, lost);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// `null`, `[]` or `{}`.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize)]
    struct Inner {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    struct Outer {
        count: u32,
        items: Vec<Inner>,
    }

    #[test]
    fn a_good_input_comes_back_encoded() {
        let value = serde_json::json!({"count": 1, "items": [{"name": "a", "note": null}]});
        let checked = check::<Outer>(value).unwrap();
        assert_eq!(
            checked,
            serde_json::json!({"count": 1, "items": [{"name": "a"}]})
        );
    }

    #[test]
    fn unknown_keys_are_named_with_their_path() {
        let value =
            serde_json::json!({"count": 1, "extra": 2, "items": [{"name": "a", "nmae": "b"}]});
        let error = check::<Outer>(value).unwrap_err();
        assert_eq!(error, "unknown fields `extra`, `items[0].nmae`");
    }

    #[test]
    fn wrong_types_and_missing_fields_name_the_field() {
        let error = check::<Outer>(serde_json::json!({"count": "one", "items": []})).unwrap_err();
        assert!(
            error.starts_with("at count: invalid type: string \"one\""),
            "{error}"
        );
        let error = check::<Outer>(serde_json::json!({"count": 1, "items": [{}]})).unwrap_err();
        assert!(error.contains("missing field `name`"), "{error}");
    }
}
