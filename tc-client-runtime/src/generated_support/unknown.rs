//! Values a newer deployment may send that this version of tc-client does not know.
//!
//! Every generated enum has an `Unknown` variant: string enums hold an
//! [`UnknownString`], unions (tagged or not) an [`UnknownJson`]. Both keep the value as
//! it was received, so it serializes back unchanged, and neither can be built by hand:
//! a value that a later release makes known can then never hide in an `Unknown` built
//! by a program, and `State::from("x")` always gives the variant `"x"` decodes to.
//!
//! ```
//! use tc_client::queue::State;
//!
//! let state: State = serde_json::from_str("\"paused\"")?;
//! match &state {
//!     State::Running => println!("running"),
//!     State::Unknown(value) => assert_eq!(value.as_str(), "paused"),
//!     other => println!("{other}"),
//! }
//! assert_eq!(serde_json::to_string(&state)?, "\"paused\"");
//! assert_eq!(State::from("paused"), state);
//! assert_eq!(State::from("running"), State::Running);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A string enum value this version of tc-client does not know, as it was received.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownString(String);

impl UnknownString {
    /// The value as written on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnknownString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A union value (a tag, or a shape) this version of tc-client does not know, as it was
/// received.
///
/// ```
/// use tc_client::queue::GetArtifactContentResponse;
///
/// let answer = r#"{"storageType": "carrier-pigeon", "loft": "north"}"#;
/// let decoded: GetArtifactContentResponse = serde_json::from_str(answer)?;
/// let GetArtifactContentResponse::Unknown(unknown) = &decoded else {
///     panic!("a storage type tc-client does not know");
/// };
/// assert_eq!(unknown.as_json()["loft"], "north");
/// assert_eq!(
///     serde_json::to_value(&decoded)?,
///     serde_json::from_str::<serde_json::Value>(answer)?,
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct UnknownJson(Value);

impl UnknownJson {
    /// The value as received.
    pub fn as_json(&self) -> &Value {
        &self.0
    }
}

impl fmt::Debug for UnknownJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl Serialize for UnknownJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// The `Unknown` of a generated string enum (for `__string_enum!`).
#[doc(hidden)]
pub fn unknown_string(value: &str) -> UnknownString {
    UnknownString(value.to_owned())
}

/// Decodes a generated union.
///
/// The value is read into JSON first. When `tag` names the property that tells the
/// variants apart and the value has it as a string, `by_tag` decodes the variant of that
/// tag: a tag it does not know (`None`) is kept as `unknown`, and a known tag whose
/// content fails to decode is an error. Otherwise `in_order` (serde's derive, trying the
/// variants in order) decodes it, and a value that fits no variant is kept as `unknown`.
#[doc(hidden)]
pub fn decode_union<'de, D, T>(
    deserializer: D,
    tag: Option<&'static str>,
    by_tag: fn(&str, &Value) -> Option<Result<T, serde_json::Error>>,
    in_order: fn(&Value) -> Result<T, serde_json::Error>,
    unknown: fn(UnknownJson) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    let tagged = tag.and_then(|tag| value.get(tag)).and_then(Value::as_str);
    if let Some(name) = tagged {
        return match by_tag(name, &value) {
            Some(decoded) => decoded.map_err(<D::Error as serde::de::Error>::custom),
            None => Ok(unknown(UnknownJson(value))),
        };
    }
    match in_order(&value) {
        Ok(decoded) => Ok(decoded),
        Err(_) => Ok(unknown(UnknownJson(value))),
    }
}
