//! Type generation: typify over the bundled schemas, plus the string enums
//! that tc-codegen emits itself (with an `Unknown` catch-all).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use schemars::schema::{RootSchema, Schema, SchemaObject};
use typify_impl::{CrateVers, TypeDetails, TypeId, TypeSpace, TypeSpaceSettings};

use crate::bundle::{Bundle, StringEnum};
use crate::docs::doc_attrs;
use crate::error::{CodegenError, Location, Result};
use crate::naming::{ident, type_name};

/// Where the Rust type of a schema comes from, which decides how the
/// modules of the expansion name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeOrigin {
    /// A named type generated into the service's module (a struct, enum or
    /// newtype): a module inside it (`events`) names it `super::<Name>`.
    Generated,
    /// `serde_json::Value`: the schema is free-form.
    JsonValue,
    /// Any other type, written the same from every module: an absolute path
    /// (`::tc_client::Time`, `::std::string::String`, `::std::vec::Vec<_>`)
    /// or a primitive.
    Shared,
}

/// The Rust type of a schema and where it comes from.
#[derive(Debug, Clone)]
pub struct RustType {
    /// The type as written in the service's module.
    pub tokens: TokenStream,
    /// Where it comes from.
    pub origin: TypeOrigin,
}

impl RustType {
    /// The type as written from a module inside the service's module.
    pub fn from_child_module(&self) -> TokenStream {
        let tokens = &self.tokens;
        match self.origin {
            TypeOrigin::Generated => quote! { super::#tokens },
            TypeOrigin::JsonValue | TypeOrigin::Shared => tokens.clone(),
        }
    }

    /// The type as written outside the service's module, through `path` (the
    /// module's path, `::tc_client::queue`).
    pub fn from_path(&self, path: &TokenStream) -> TokenStream {
        let tokens = &self.tokens;
        match self.origin {
            TypeOrigin::Generated => quote! { #path::#tokens },
            TypeOrigin::JsonValue | TypeOrigin::Shared => tokens.clone(),
        }
    }

    /// Every identifier the type mentions (its name, or the names inside
    /// a compound type).
    pub fn mentions(&self) -> Vec<String> {
        crate::postpass::evolvable::idents(&self.tokens)
    }
}

impl ToTokens for RustType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.tokens.to_tokens(tokens);
    }
}

/// typify's view of a service's types.
pub struct Types {
    space: TypeSpace,
    /// typify's items, before the post-passes ([`crate::postpass`]).
    pub typified: TokenStream,
    /// The string enums tc-codegen emits itself.
    pub enums: TokenStream,
}

impl Types {
    /// The type of a definition (`TaskDefinitionRequest`).
    pub fn type_of(&mut self, definition: &str, location: &Location) -> Result<RustType> {
        let id = self.id_of(definition, location)?;
        self.rust_type(&id).map_err(|e| typify_error(location, e))
    }

    /// The Rust type of an id, with where it comes from.
    pub fn rust_type(&self, id: &TypeId) -> std::result::Result<RustType, typify_impl::Error> {
        let ty = self.space.get_type(id)?;
        let origin = match ty.details() {
            TypeDetails::Struct(_) | TypeDetails::Enum(_) | TypeDetails::Newtype(_) => {
                TypeOrigin::Generated
            }
            TypeDetails::Builtin("::serde_json::Value") => TypeOrigin::JsonValue,
            _ => TypeOrigin::Shared,
        };
        Ok(RustType {
            tokens: ty.ident(),
            origin,
        })
    }

    /// The id of a definition's type.
    pub fn id_of(&mut self, definition: &str, location: &Location) -> Result<TypeId> {
        let schema = Schema::new_ref(format!("#/definitions/{definition}"));
        guarded(location, || self.space.add_type(&schema))?.map_err(|e| typify_error(location, e))
    }

    /// The fields (Rust names) of a struct type.
    pub fn struct_fields(&self, id: &TypeId) -> Option<Vec<(String, TypeId)>> {
        let ty = self.space.get_type(id).ok()?;
        match ty.details() {
            TypeDetails::Struct(details) => Some(
                details
                    .properties()
                    .map(|(name, id)| (name.to_owned(), id))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// How a list field holds its items: the item type, whether the field is
    /// an `Option`, and whether the list is wrapped in a newtype (`.0`).
    pub fn list_item(&self, id: &TypeId) -> Option<(TypeId, bool, bool)> {
        let ty = self.space.get_type(id).ok()?;
        match ty.details() {
            TypeDetails::Option(inner) => {
                let (item, _, newtype) = self.plain_list(&inner)?;
                Some((item, true, newtype))
            }
            _ => {
                let (item, _, newtype) = self.plain_list(id)?;
                Some((item, false, newtype))
            }
        }
    }

    fn plain_list(&self, id: &TypeId) -> Option<(TypeId, bool, bool)> {
        let ty = self.space.get_type(id).ok()?;
        match ty.details() {
            TypeDetails::Vec(item) => Some((item, false, false)),
            TypeDetails::Newtype(newtype) => {
                let inner = self.space.get_type(&newtype.inner()).ok()?;
                match inner.details() {
                    TypeDetails::Vec(item) => Some((item, false, true)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The Rust type of an id.
    pub fn ident_of(&self, id: &TypeId) -> Option<TokenStream> {
        self.space.get_type(id).ok().map(|t| t.ident())
    }

    /// How many named types typify generated.
    pub fn named_count(&self) -> usize {
        self.space
            .iter_types()
            .filter(|t| {
                matches!(
                    t.details(),
                    TypeDetails::Struct(_) | TypeDetails::Enum(_) | TypeDetails::Newtype(_)
                )
            })
            .count()
    }

    /// The names of every named type typify generated.
    pub fn names(&self) -> BTreeSet<String> {
        self.space
            .iter_types()
            .filter(|t| {
                matches!(
                    t.details(),
                    TypeDetails::Struct(_) | TypeDetails::Enum(_) | TypeDetails::Newtype(_)
                )
            })
            .map(|t| t.name())
            .collect()
    }
}

fn typify_error(location: &Location, error: impl std::fmt::Display) -> CodegenError {
    CodegenError::Typify {
        location: location.clone().into(),
        message: error.to_string(),
    }
}

/// Runs `f`, turning a panic into a typed error (typify may panic on schemas
/// it does not support); see [`crate::contain`].
fn guarded<T>(location: &Location, f: impl FnOnce() -> T) -> Result<T> {
    crate::contain::contained(f).map_err(|message| CodegenError::Typify {
        location: location.clone().into(),
        message: format!("typify panicked: {message}"),
    })
}

/// Generates every type of `bundle`.
pub fn generate(bundle: &Bundle, location: &Location) -> Result<Types> {
    let mut settings = TypeSpaceSettings::default();
    settings
        .with_crate("tc-client", CrateVers::Any, None)
        .with_map_type("::std::collections::BTreeMap");
    for name in bundle.enums.keys() {
        settings.with_replacement(name, name, std::iter::empty());
    }
    let mut definitions = schemars::Map::new();
    for (name, value) in &bundle.definitions {
        let schema: Schema =
            serde_json::from_value(value.clone()).map_err(|e| CodegenError::Invalid {
                location: Box::new(Location {
                    entry: Some(name.clone()),
                    ..location.clone()
                }),
                message: format!("the bundled schema is not a JSON schema: {e}"),
            })?;
        definitions.insert(name.clone(), schema);
    }
    let root = RootSchema {
        meta_schema: None,
        schema: SchemaObject::default(),
        definitions,
    };
    let mut space = TypeSpace::new(&settings);
    let located = |message: &str| {
        // Point at the definition the message names, when it names one.
        let source = bundle
            .sources
            .iter()
            .filter(|(name, _)| message.contains(name.as_str()))
            .max_by_key(|(name, _)| name.len());
        match source {
            Some((_, (file, pointer))) => Location {
                file: Some(file.clone()),
                pointer: Some(pointer.clone()),
                ..location.clone()
            },
            None => location.clone(),
        }
    };
    let relocate = |e: CodegenError| match e {
        CodegenError::Typify { message, .. } => CodegenError::Typify {
            location: Box::new(located(&message)),
            message,
        },
        other => other,
    };
    guarded(location, || space.add_root_schema(root))
        .map_err(relocate)?
        .map_err(|e| relocate(typify_error(location, e)))?;
    let typified = guarded(location, || space.to_stream()).map_err(relocate)?;
    let enums = bundle.enums.iter().map(|(name, e)| string_enum(name, e));
    Ok(Types {
        space,
        typified,
        enums: quote! { #(#enums)* },
    })
}

/// A string enum with an `Unknown(String)` catch-all.
fn string_enum(name: &str, spec: &StringEnum) -> TokenStream {
    let docs = match spec.description.as_deref() {
        Some(description) => doc_attrs(description),
        None => {
            let text = format!(
                " A string that is one of the values below; a value added to the schema later is kept in `Unknown`.\n\n First used by `{}`.",
                spec.first_used_by
            );
            quote! { #[doc = #text] }
        }
    };
    let mut used = BTreeSet::new();
    let variants = spec.values.iter().enumerate().map(|(i, value)| {
        let mut variant = if value.is_empty() {
            "Empty".to_owned()
        } else {
            type_name(value)
        };
        if variant == "Unknown" {
            variant.push_str("Value");
        }
        if !used.insert(variant.clone()) {
            variant = format!("{variant}{i}");
            used.insert(variant.clone());
        }
        let variant = ident(&variant);
        let doc = format!("`{value}`");
        quote! { #[doc = #doc] #variant = #value, }
    });
    let name = ident(name);
    quote! {
        ::tc_client::__string_enum! {
            #docs
            pub enum #name { #(#variants)* }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn bundle() -> Bundle {
        let mut bundle = Bundle::default();
        bundle.definitions.insert(
            "Thing".into(),
            json!({
                "type": "object",
                "required": ["free", "at"],
                "properties": {
                    "a": { "type": "string" },
                    "free": {},
                    "at": {
                        "type": "string",
                        "x-rust-type": { "crate": "tc-client", "version": "*", "path": "tc_client::Time" }
                    }
                }
            }),
        );
        bundle
            .definitions
            .insert("Anything".into(), json!({ "description": "Free-form." }));
        bundle
    }

    #[test]
    fn a_typify_panic_is_a_typed_error() {
        let location = Location {
            service: "w".into(),
            ..Location::default()
        };
        let error = guarded(&location, || -> () { panic!("unsupported schema") }).unwrap_err();
        match error {
            CodegenError::Typify {
                location: at,
                message,
            } => {
                assert_eq!(*at, location);
                assert_eq!(message, "typify panicked: unsupported schema");
            }
            other => panic!("not a typify error: {other}"),
        }
        assert_eq!(guarded(&location, || 1).unwrap(), 1);
    }

    #[test]
    fn types_know_where_they_come_from() {
        let location = Location::default();
        let mut types = generate(&bundle(), &location).unwrap();
        let thing = types.type_of("Thing", &location).unwrap();
        assert_eq!(thing.origin, TypeOrigin::Generated);
        assert_eq!(thing.to_token_stream().to_string(), "Thing");
        assert_eq!(thing.from_child_module().to_string(), "super :: Thing");
        assert_eq!(thing.mentions(), ["Thing"]);

        // A definition is always a named type of this module (a free-form
        // one a newtype of `Value`); a property's type may be a shared one.
        let anything = types.type_of("Anything", &location).unwrap();
        assert_eq!(anything.origin, TypeOrigin::Generated);
        let id = types.id_of("Thing", &location).unwrap();
        let fields = types.struct_fields(&id).unwrap();
        let (_, free) = fields.iter().find(|(name, _)| name == "free").unwrap();
        let free = types.rust_type(free).unwrap();
        assert_eq!(free.origin, TypeOrigin::JsonValue);
        assert_eq!(
            free.from_child_module().to_string(),
            ":: serde_json :: Value"
        );

        let (_, at) = fields.iter().find(|(name, _)| name == "at").unwrap();
        let when = types.rust_type(at).unwrap();
        assert_eq!(when.origin, TypeOrigin::Shared);
        assert_eq!(when.from_child_module().to_string(), ":: tc_client :: Time");
    }
}
