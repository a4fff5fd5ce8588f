//! Runnable examples of tc-client; see the `[[example]]` entries of Cargo.toml.
