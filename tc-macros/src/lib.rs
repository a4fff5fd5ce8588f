//! Procedural macros of tc-client: a thin layer over `tc-codegen`.
//!
//! `taskcluster_service!("queue")` expands into the `queue` module (types,
//! client, events); `taskcluster_schema!("generic-worker/multiuser_posix.json")`
//! into the types of one schema. Both read the references imported into
//! `references/` (next to the invoking crate's manifest, or in its parent
//! folder for a workspace) and emit an `include_bytes!` for every file read,
//! so that editing a reference rebuilds.
//!
//! Most programs never name this crate: `tc-client` invokes the macros once
//! per service (each behind its cargo feature) and re-exports the modules.
//! A crate of its own would use them directly when it wants types for a
//! schema tc-client does not cover, or a deployment with extra services.
//! The generated code names `::tc_client` and `::serde`, so such a crate
//! depends on both:
//!
//! ```ignore
//! // Cargo.toml: tc-client, tc-macros, serde (with "derive")
//! pub mod my_worker {
//!     //! Payload of our own worker.
//!     tc_macros::taskcluster_schema!(
//!         "my-worker/v1/payload.json",
//!         references = "taskcluster-references"
//!     );
//! }
//! ```
//!
//! A reference that cannot be generated (an unresolved `$ref`, a schema
//! typify does not support, a file that is not JSON) is a compile error
//! pointing at the macro's argument, naming the service, the entry and the
//! file or JSON pointer at fault.
//!
//! Every public item of the expansion is documented: descriptions come from
//! the references, and where a schema has none tc-codegen writes a line of
//! its own (the JSON property name and what the schema allows, or the schema
//! file a type comes from), so the expansion can live in a crate that denies
//! `missing_docs`.
#![deny(missing_docs)]

use std::path::PathBuf;

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token};

/// `"name"` or `"name", references = "path"`.
struct Args {
    name: LitStr,
    references: Option<LitStr>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: LitStr = input.parse()?;
        let mut references = None;
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            if key != "references" {
                return Err(syn::Error::new(
                    key.span(),
                    "expected `references = \"path\"`",
                ));
            }
            input.parse::<Token![=]>()?;
            references = Some(input.parse()?);
            input.parse::<Option<Token![,]>>()?;
        }
        Ok(Args { name, references })
    }
}

/// Where the references are: the `references = ".."` argument (relative to
/// the invoking crate's manifest), else `references/` beside the manifest,
/// else `../references` (a workspace member).
fn references_dir(args: &Args) -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    if let Some(path) = &args.references {
        return manifest.join(path.value());
    }
    let local = manifest.join("references");
    if local.join("references").is_dir() {
        return local;
    }
    manifest.join("..").join("references")
}

fn expand(
    input: TokenStream,
    generate: fn(&std::path::Path, &str) -> tc_codegen::Result<tc_codegen::Generated>,
) -> TokenStream {
    let args = match syn::parse::<Args>(input) {
        Ok(args) => args,
        Err(e) => return e.to_compile_error().into(),
    };
    let dir = references_dir(&args);
    match generate(&dir, &args.name.value()) {
        Ok(generated) => {
            let tokens = generated.tokens;
            let sentinels = generated.files.iter().filter_map(|f| {
                let path = f.canonicalize().ok()?;
                let path = path.to_str()?.to_owned();
                Some(quote! { const _: &[u8] = include_bytes!(#path); })
            });
            quote! {
                #tokens
                #(#sentinels)*
            }
            .into()
        }
        Err(e) => syn::Error::new(args.name.span(), e.to_string())
            .to_compile_error()
            .into(),
    }
}

/// Expands one Taskcluster service into `pub mod <service> { ... }`: its
/// types, its client struct (`Queue`, `Auth`, ...) and its `events`.
///
/// The argument is the service name as the references spell it (`"queue"`,
/// `"worker-manager"`); the module is its snake case (`worker_manager`).
/// An optional `references = "path"` (relative to the invoking crate's
/// manifest) names another folder of imported references.
///
/// ```ignore
/// tc_macros::taskcluster_service!("queue");
/// tc_macros::taskcluster_service!("worker-manager", references = "../my-references");
/// ```
#[proc_macro]
pub fn taskcluster_service(input: TokenStream) -> TokenStream {
    expand(input, tc_codegen::generate_service)
}

/// Expands the types of one schema file, relative to `schemas/`, without a
/// module around them (put the invocation inside one). The same optional
/// `references = "path"` argument as [`taskcluster_service!`] applies.
///
/// ```ignore
/// pub mod generic_worker {
///     tc_macros::taskcluster_schema!("generic-worker/multiuser_posix.json");
/// }
/// ```
#[proc_macro]
pub fn taskcluster_schema(input: TokenStream) -> TokenStream {
    expand(input, tc_codegen::generate_schema)
}
