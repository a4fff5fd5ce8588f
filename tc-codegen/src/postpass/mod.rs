//! The post-passes: named rewrites of the items typify generates, run in a
//! fixed order by [`crate::generate_service`] and [`crate::generate_schema`].
//!
//! 1. [`CleanDocs`] (`clean-docs`): schema markdown made safe for rustdoc;
//! 2. [`FillDocs`] (`fill-docs`): every bare field and variant documented;
//! 3. [`SimplePatterns`] (`simple-patterns`): one-pass pattern checks,
//!    borrowed decoding and telling refusals for constrained strings;
//!
//! then tc-codegen's own string enums are added, and
//!
//! 4. [`Evolvable`] (`evolvable`): structs, enums and unions made to grow
//!    without breaking callers (see [`evolvable`]); the plain structs it
//!    emits are decoded by a compact `Deserialize` impl of tc-codegen's own
//!    instead of serde's derive (see [`struct_decode`]).
//!
//! Each pass is a value implementing [`PostPass`]; [`TYPIFY_OUTPUT`] lists
//! the first three in order.

mod clean_docs;
pub mod evolvable;
mod fill_docs;
mod simple_patterns;
pub mod struct_decode;

use proc_macro2::TokenStream;

pub use clean_docs::{CleanDocs, clean_doc_attrs};
pub use evolvable::{Built, Evolvable};
pub use fill_docs::{FillDocs, fill_missing_docs};
pub use simple_patterns::SimplePatterns;

use crate::error::{Location, Result};

/// A rewrite of generated items.
pub trait PostPass {
    /// The pass's name (`fill-docs`), for reading and for errors.
    fn name(&self) -> &'static str;

    /// Rewrites `tokens` (the items of the service or schema at `location`).
    fn apply(&self, tokens: TokenStream, location: &Location) -> Result<TokenStream>;
}

/// The passes over typify's own output, in the order they run.
pub const TYPIFY_OUTPUT: &[&dyn PostPass] = &[&CleanDocs, &FillDocs, &SimplePatterns];

/// Runs `passes` over `tokens`, in order.
pub fn run(
    passes: &[&dyn PostPass],
    tokens: TokenStream,
    location: &Location,
) -> Result<TokenStream> {
    passes
        .iter()
        .try_fold(tokens, |tokens, pass| pass.apply(tokens, location))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use quote::quote;

    use super::*;

    /// A pass that appends its name, to see the order passes run in.
    struct Mark(&'static str);

    impl PostPass for Mark {
        fn name(&self) -> &'static str {
            self.0
        }

        fn apply(&self, mut tokens: TokenStream, _: &Location) -> Result<TokenStream> {
            let name = self.0;
            tokens.extend(quote!(#name));
            Ok(tokens)
        }
    }

    #[test]
    fn passes_run_in_list_order() {
        let out = run(&[&Mark("a"), &Mark("b")], quote!(x), &Location::default()).unwrap();
        assert_eq!(out.to_string(), quote!(x "a" "b").to_string());
    }

    #[test]
    fn the_passes_over_typify_are_named_in_order() {
        let names: Vec<&str> = TYPIFY_OUTPUT.iter().map(|p| p.name()).collect();
        assert_eq!(names, ["clean-docs", "fill-docs", "simple-patterns"]);
        let set = BTreeSet::new();
        assert_eq!(
            Evolvable {
                built: Built::From(&set)
            }
            .name(),
            "evolvable"
        );
    }
}
