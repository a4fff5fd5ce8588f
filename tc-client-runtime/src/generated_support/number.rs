//! JSON numbers of schemas typed `number`, written back the way they came.

use std::fmt;

/// A JSON `number` (a schema's `type: number`): an `f64` that serializes
/// whole values as integers, the way Taskcluster's services write them.
///
/// `serde_json` writes the `f64` `7.0` as `7.0`; a deployment writes `7`.
/// `Number` keeps documents byte-identical across a round trip.
///
/// ```
/// use tc_client::Number;
///
/// let rank: Number = serde_json::from_str("1795514400")?;
/// assert_eq!(rank.get(), 1795514400.0);
/// assert_eq!(serde_json::to_string(&rank)?, "1795514400");
/// assert_eq!(serde_json::to_string(&Number::from(0.25))?, "0.25");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, PartialOrd)]
pub struct Number(pub f64);

/// Whole values up to this size are written as integers (exact in an `f64`).
const MAX_EXACT: f64 = 9_007_199_254_740_992.0; // 2^53

impl Number {
    /// The value.
    pub const fn get(self) -> f64 {
        self.0
    }
}

impl From<f64> for Number {
    fn from(value: f64) -> Self {
        Number(value)
    }
}

impl From<i32> for Number {
    fn from(value: i32) -> Self {
        Number(f64::from(value))
    }
}

impl From<u32> for Number {
    fn from(value: u32) -> Self {
        Number(f64::from(value))
    }
}

impl From<Number> for f64 {
    fn from(value: Number) -> Self {
        value.0
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.0;
        if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_EXACT {
            // Exact: the value is whole and within the range an f64 holds exactly.
            serializer.serialize_i64(value as i64)
        } else {
            serializer.serialize_f64(value)
        }
    }
}

impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        f64::deserialize(deserializer).map(Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_written_as_integers() {
        for (input, output) in [
            ("7", "7"),
            ("7.0", "7"),
            ("-3", "-3"),
            ("0.5", "0.5"),
            ("1e300", "1e+300"),
            ("9007199254740993", "9007199254740992"),
        ] {
            let n: Number = serde_json::from_str(input).unwrap();
            assert_eq!(serde_json::to_string(&n).unwrap(), output, "{input}");
        }
        assert!(serde_json::from_str::<Number>("\"7\"").is_err());
        assert_eq!(Number::from(3).get(), 3.0);
    }
}
