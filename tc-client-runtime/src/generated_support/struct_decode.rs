//! The shared half of the generated structs' `Deserialize` impls.
//!
//! tc-codegen writes one `Deserialize` impl per struct that names its fields
//! once and hands each step to the functions here: which field a key is
//! ([`FieldKey`]), storing a value once ([`field`]), passing over an unknown
//! key ([`skip_value`]) and what a missing field decodes to ([`required`]).
//! serde's derive writes all of that out again for every struct (a field enum,
//! three key visitors, a sequence visitor); in `cargo build --timings` of the
//! all-services build that text was 40% of tc-client's expansion and the
//! larger part of its type checking. Decoding answers the same: unknown keys
//! are ignored, a key given twice is `duplicate field`, a missing field is
//! `missing field` unless its type decodes from nothing (`Option`), and
//! errors name the field (serde_path_to_error sees the same key calls).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// Decodes a map key into the index of the field it names in the slice, or
/// the slice's length for a key no field has.
#[derive(Clone, Copy, Debug)]
pub struct FieldKey(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldKey {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.index(key.as_bytes()))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self.index(key))
    }
}

impl FieldKey {
    fn index(self, key: &[u8]) -> usize {
        self.0
            .iter()
            .position(|name| name.as_bytes() == key)
            .unwrap_or(self.0.len())
    }
}

/// Decodes the value of the field `name` into `slot`; a second value for the
/// same field is an error, as with serde's derive.
///
/// # Errors
///
/// `duplicate field` or the value's own decoding error.
pub fn field<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads past the value of a key that names no field.
///
/// # Errors
///
/// When the value is not well-formed.
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// The value of a field after the whole map is read: the one decoded, or
/// what the field's type makes of no value at all (`None` for an `Option`),
/// else `missing field`.
///
/// # Errors
///
/// `missing field` for a type that needs a value.
pub fn required<'de, T, E>(slot: Option<T>, name: &'static str) -> Result<T, E>
where
    T: de::Deserialize<'de>,
    E: de::Error,
{
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing {
            name,
            error: PhantomData,
        }),
    }
}

/// A deserializer of a field that is not there: an `Option` decodes it as
/// `None`, anything else fails with `missing field`.
struct Missing<E> {
    name: &'static str,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.name))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct decoded the way tc-codegen writes it.
    #[derive(Debug, PartialEq)]
    struct Pair {
        name: String,
        count: Option<u32>,
        tags: Vec<String>,
    }

    impl<'de> de::Deserialize<'de> for Pair {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            const FIELDS: &[&str] = &["name", "count", "tags"];
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Pair;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("struct Pair")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pair, A::Error> {
                    let mut f0: Option<String> = None;
                    let mut f1: Option<Option<u32>> = None;
                    let mut f2: Option<Vec<String>> = None;
                    while let Some(key) = map.next_key_seed(FieldKey(FIELDS))? {
                        match key {
                            0 => field(&mut map, &mut f0, FIELDS[0])?,
                            1 => field(&mut map, &mut f1, FIELDS[1])?,
                            2 => field(&mut map, &mut f2, FIELDS[2])?,
                            _ => skip_value(&mut map)?,
                        }
                    }
                    Ok(Pair {
                        name: required(f0, FIELDS[0])?,
                        count: required(f1, FIELDS[1])?,
                        tags: f2.unwrap_or_default(),
                    })
                }
            }
            deserializer.deserialize_struct("Pair", FIELDS, V)
        }
    }

    fn decode(json: &str) -> Result<Pair, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn fields_decode_in_any_order_and_unknown_keys_are_ignored() {
        let pair = decode(r#"{"tags":["a"],"other":{"x":[1,2]},"count":3,"name":"n"}"#).unwrap();
        assert_eq!(
            pair,
            Pair {
                name: "n".into(),
                count: Some(3),
                tags: vec!["a".into()],
            }
        );
    }

    #[test]
    fn missing_options_are_none_and_defaults_fill_in() {
        let pair = decode(r#"{"name":"n"}"#).unwrap();
        assert_eq!(pair.count, None);
        assert!(pair.tags.is_empty());
        assert_eq!(decode(r#"{"name":"n","count":null}"#).unwrap().count, None);
    }

    #[test]
    fn errors_say_what_serde_derive_says() {
        assert_eq!(
            decode(r#"{"count":1}"#).unwrap_err(),
            "missing field `name` at line 1 column 11"
        );
        assert_eq!(
            decode(r#"{"name":"a","name":"b"}"#).unwrap_err(),
            "duplicate field `name` at line 1 column 18"
        );
        assert_eq!(
            decode(r#"{"name":7}"#).unwrap_err(),
            "invalid type: integer `7`, expected a string at line 1 column 9"
        );
        assert_eq!(
            decode(r#"["n"]"#).unwrap_err(),
            "invalid type: sequence, expected struct Pair at line 1 column 1"
        );
    }

    #[test]
    fn serde_path_to_error_names_the_field() {
        let json = r#"{"name":"n","count":"three"}"#;
        let mut de = serde_json::Deserializer::from_str(json);
        let err = serde_path_to_error::deserialize::<_, Pair>(&mut de).unwrap_err();
        assert_eq!(err.path().to_string(), "count");
    }

    #[test]
    fn keys_decode_from_a_json_value_too() {
        let value = serde_json::json!({"name": "n", "count": 2});
        let pair: Pair = serde_json::from_value(value).unwrap();
        assert_eq!(pair.count, Some(2));
    }
}
