//! Procedural macros of tc-client: a thin layer over `tc-codegen`.
//!
//! `taskcluster_service!("queue")` expands into the `queue` module (types,
//! client, events); `taskcluster_schema!("generic-worker/multiuser_posix.json")`
//! into the types of one schema. Both read the references imported into
//! `references/` (next to the invoking crate's manifest, or in its parent
//! folder for a workspace) and emit an `include_bytes!` for every file read,
//! so that editing a reference rebuilds.
//!
//! Most programs never name this crate: each service crate of tc-client
//! (`tc-client-queue`, `tc-client-auth`, ...) invokes the macro once, and
//! `tc-client` re-exports the modules, each behind its cargo feature.
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

/// `"name"`, then optional `references = "path"` and `feature = "name"`, in any
/// order.
struct Args {
    name: LitStr,
    references: Option<LitStr>,
    feature: Option<LitStr>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: LitStr = input.parse()?;
        let mut args = Args {
            name,
            references: None,
            feature: None,
        };
        while input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            let slot = match key.to_string().as_str() {
                "references" => &mut args.references,
                "feature" => &mut args.feature,
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        "expected `references = \"path\"` or `feature = \"name\"`",
                    ));
                }
            };
            if slot.replace(value).is_some() {
                return Err(syn::Error::new(
                    key.span(),
                    format!("`{key}` is given twice"),
                ));
            }
        }
        Ok(args)
    }
}

/// Where the references are: the `references = ".."` argument (relative to
/// the invoking crate's manifest, or to its build script's output folder when
/// it starts with `$OUT_DIR`), else `references/` beside the manifest, else
/// `../references` (a workspace member).
fn references_dir(args: &Args) -> syn::Result<PathBuf> {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    if let Some(path) = &args.references {
        let path = path.value();
        if let Some(rest) = path.strip_prefix("$OUT_DIR") {
            let Some(out_dir) = std::env::var_os("OUT_DIR") else {
                return Err(syn::Error::new(
                    args.references
                        .as_ref()
                        .map_or_else(|| args.name.span(), LitStr::span),
                    "`$OUT_DIR` is the folder of the crate's build script, and this crate has none",
                ));
            };
            return Ok(PathBuf::from(out_dir).join(rest.trim_start_matches(['/', '\\'])));
        }
        return Ok(manifest.join(path));
    }
    let local = manifest.join("references");
    if local.join("references").is_dir() {
        return Ok(local);
    }
    Ok(manifest.join("..").join("references"))
}

fn expand(
    input: TokenStream,
    generate: fn(&std::path::Path, &str) -> tc_codegen::Result<tc_codegen::Generated>,
    module: bool,
) -> TokenStream {
    let args = match syn::parse::<Args>(input) {
        Ok(args) => args,
        Err(e) => return e.to_compile_error().into(),
    };
    if let (Some(feature), false) = (&args.feature, module) {
        return syn::Error::new(
            feature.span(),
            "`feature = ..` marks the module of a `taskcluster_service!`; put the \
             attribute on the module around a `taskcluster_schema!` instead",
        )
        .to_compile_error()
        .into();
    }
    let dir = match references_dir(&args) {
        Ok(dir) => dir,
        Err(e) => return e.to_compile_error().into(),
    };
    match generate(&dir, &args.name.value()) {
        Ok(generated) => {
            let tokens = generated.tokens;
            // The feature badge of docs.rs on the module.
            let badge = args
                .feature
                .as_ref()
                .map(|feature| quote! { #[cfg_attr(docsrs, doc(cfg(feature = #feature)))] });
            let sentinels = sentinels(&generated.files);
            quote! {
                #badge
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

/// One `include_bytes!` per file read, so that editing it rebuilds.
fn sentinels(files: &[PathBuf]) -> Vec<proc_macro2::TokenStream> {
    files
        .iter()
        .filter_map(|f| {
            let path = f.canonicalize().ok()?;
            let path = path.to_str()?.to_owned();
            Some(quote! { const _: &[u8] = include_bytes!(#path); })
        })
        .collect()
}

/// Expands one Taskcluster service into `pub mod <service> { ... }`: its
/// types, its client struct (`Queue`, `Auth`, ...) and its `events`.
///
/// The argument is the service name as the references spell it (`"queue"`,
/// `"worker-manager"`); the module is its snake case (`worker_manager`).
/// An optional `references = "path"` (relative to the invoking crate's
/// manifest) names another folder of imported references (a path that starts
/// with `$OUT_DIR` is in the folder of the crate's build script, for
/// references that the build script fetches or writes); an optional
/// `feature = "name"` marks the module as available with that cargo feature
/// only, in documentation built with `--cfg docsrs` (docs.rs), which shows it
/// as a badge.
///
/// ```ignore
/// tc_macros::taskcluster_service!("queue");
/// tc_macros::taskcluster_service!("worker-manager", references = "../my-references");
/// #[cfg(feature = "queue")]
/// tc_macros::taskcluster_service!("queue", feature = "queue");
/// ```
#[proc_macro]
pub fn taskcluster_service(input: TokenStream) -> TokenStream {
    expand(input, tc_codegen::generate_service, true)
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
    expand(input, tc_codegen::generate_schema, false)
}

/// Expands the command table of the `tc` command line: `pub static SERVICES`,
/// one element per service of the references with its entries (endpoint,
/// prose, scopes, the decoder of its input type) and exchanges. tc-cli invokes
/// it once; the items it names are tc-cli's (see `tc_codegen::cli`). The same
/// optional `references = "path"` argument as [`taskcluster_service!`] applies.
///
/// ```ignore
/// tc_macros::taskcluster_cli_table!();
/// ```
#[cfg(feature = "cli")]
#[proc_macro]
pub fn taskcluster_cli_table(input: TokenStream) -> TokenStream {
    let args = if input.is_empty() {
        Args {
            name: LitStr::new("", proc_macro2::Span::call_site()),
            references: None,
            feature: None,
        }
    } else {
        // `references = ".."`: parsed behind a placeholder name.
        let input = proc_macro2::TokenStream::from(input);
        match syn::parse2::<Args>(quote! { "", #input }) {
            Ok(args) if args.feature.is_none() => args,
            Ok(args) => {
                return syn::Error::new(
                    args.feature
                        .as_ref()
                        .map_or_else(proc_macro2::Span::call_site, LitStr::span),
                    "the command table takes `references = \"path\"` only",
                )
                .to_compile_error()
                .into();
            }
            Err(e) => return e.to_compile_error().into(),
        }
    };
    let dir = match references_dir(&args) {
        Ok(dir) => dir,
        Err(e) => return e.to_compile_error().into(),
    };
    match tc_codegen::cli::generate_cli_table(&dir) {
        Ok(generated) => {
            let tokens = generated.tokens;
            let sentinels = sentinels(&generated.files);
            quote! {
                #tokens
                #(#sentinels)*
            }
            .into()
        }
        Err(e) => syn::Error::new(proc_macro2::Span::call_site(), e.to_string())
            .to_compile_error()
            .into(),
    }
}
