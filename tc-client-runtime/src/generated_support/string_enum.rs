//! String enums that accept values they do not know.
//!
//! The generator emits `__string_enum!` for every string enum of the schemas:
//! a `#[non_exhaustive]` Rust enum with one variant per known value and an
//! `Unknown` catch-all holding an opaque [`UnknownString`](crate::UnknownString),
//! so that a deployment adding a value never breaks an older client.

/// Defines a string enum with an opaque `Unknown` catch-all.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of tc-client does not know, as it was received.
            Unknown($crate::UnknownString),
        }

        impl $name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown($crate::__private::unknown_string(other)),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_str_with(deserializer, |value| Self::from(value))
            }
        }
    };
}

/// Deserializes a string (borrowed when the input allows) and maps it.
#[doc(hidden)]
pub fn deserialize_str_with<'de, D, T>(deserializer: D, map: fn(&str) -> T) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visit<T>(fn(&str) -> T);
    impl<T> serde::de::Visitor<'_> for Visit<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }
    deserializer.deserialize_str(Visit(map))
}

#[cfg(test)]
mod tests {
    crate::__string_enum! {
        /// A test enum.
        pub enum Color {
            /// Red.
            Red = "red",
            Green = "green",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        let colors: Vec<Color> = serde_json::from_str(r#"["red","green","blue"]"#).unwrap();
        assert_eq!(colors, vec![Color::Red, Color::Green, Color::from("blue")]);
        let Color::Unknown(blue) = &colors[2] else {
            panic!("{:?}", colors[2]);
        };
        assert_eq!(blue.as_str(), "blue");
        assert_eq!(
            serde_json::to_string(&colors).unwrap(),
            r#"["red","green","blue"]"#
        );
        assert_eq!("green".parse::<Color>().unwrap(), Color::Green);
        assert_eq!(Color::Red.to_string(), "red");
        assert!(serde_json::from_str::<Color>("3").is_err());
    }
}
