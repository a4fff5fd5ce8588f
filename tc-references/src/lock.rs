//! `references.lock`: the sha256 of the canonical form of every file in `references/`.
//!
//! One line per file, `<sha256-hex>  <path relative to references/>`, sorted by path,
//! after a header of `#` comment lines. The digest is taken over the file's canonical
//! form ([`crate::canonical`]), so it pins what the document says, not how a server or
//! a folder happened to write it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::error::{Context, Error, Result};

/// Path (relative to `references/`, `/`-separated) to lowercase sha256 hex.
pub type Digests = BTreeMap<String, String>;

/// The hint that ends every lock mismatch.
pub const UPDATE_HINT: &str = "if this is a deliberate bump of the references, run `cargo xtask references update` (or `tc references update`)";

const HEADER: &str = "\
# references.lock: sha256 of the canonical form (parsed, URLs root-relative, keys sorted,
# two-space indentation, final newline) of every file that `cargo xtask references import`
# writes into references/ (paths relative to references/). Import and `cargo xtask
# references check` fail when the files differ from this list. After a deliberate bump of
# the reference set, run `cargo xtask references diff`, then `cargo xtask references
# update`, and commit this file.
";

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut hex = String::with_capacity(64);
    for b in digest.as_ref() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// Parses the text of a lock file.
pub fn parse(text: &str) -> Result<Digests> {
    let mut digests = Digests::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| Error::msg(format!("line {}: {why}: {line:?}", i + 1));
        let (hash, path) = line
            .split_once("  ")
            .ok_or_else(|| bad("expected `<sha256-hex>  <path>`"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(bad("not a lowercase sha256 hex digest"));
        }
        if path.is_empty() {
            return Err(bad("empty path"));
        }
        if digests.insert(path.to_owned(), hash.to_owned()).is_some() {
            return Err(bad("path listed twice"));
        }
    }
    Ok(digests)
}

/// Renders a lock file: header, then one line per file sorted by path.
pub fn render(digests: &Digests) -> String {
    let mut out = String::from(HEADER);
    for (path, hash) in digests {
        let _ = writeln!(out, "{hash}  {path}");
    }
    out
}

/// Reads the lock file at `path`; a missing file is an error that says how to create it.
pub fn read(path: &Path) -> Result<Digests> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::msg(format!(
                "{} does not exist; run `cargo xtask references update` (or `tc references update`) to create it",
                path.display()
            )));
        }
        Err(e) => return Err(Error::msg(format!("reading {}: {e}", path.display()))),
    };
    parse(&text).context(|| format!("parsing {}", path.display()))
}

/// Writes the lock file at `path` (through a temporary file beside it).
pub fn write(path: &Path, digests: &Digests) -> Result<()> {
    let tmp = path.with_extension(format!("lock.tmp-{}", std::process::id()));
    std::fs::write(&tmp, render(digests)).context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::msg(format!("writing {}: {e}", path.display()))
    })
}

/// Compares what was `found` with what the lock `expected`: every differing, missing
/// and unlisted file is named, and the message ends with [`UPDATE_HINT`].
pub fn compare(expected: &Digests, found: &Digests, lock_name: &str) -> Result<()> {
    let problems = mismatches(expected, found, lock_name, &BTreeMap::new(), &|_| None);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(mismatch_error(&problems, lock_name))
    }
}

/// One line per file that differs between `expected` and `found`. `why_missing` may say,
/// per path, where a file that was not found was needed; `where_changed` may say, per
/// path of a file whose digest differs, where its content changed.
pub fn mismatches(
    expected: &Digests,
    found: &Digests,
    lock_name: &str,
    why_missing: &BTreeMap<String, String>,
    where_changed: &dyn Fn(&str) -> Option<String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, hash) in expected {
        match found.get(path) {
            None => {
                let mut p = format!("{path}: listed in {lock_name} but not found");
                if let Some(why) = why_missing.get(path) {
                    let _ = write!(p, " (needed by {why})");
                }
                problems.push(p);
            }
            Some(h) if h != hash => {
                let mut p = format!("{path}: sha256 {h} differs from {hash} in {lock_name}");
                if let Some(place) = where_changed(path) {
                    let _ = write!(p, "; {place}");
                }
                problems.push(p);
            }
            Some(_) => {}
        }
    }
    for path in found.keys().filter(|p| !expected.contains_key(*p)) {
        problems.push(format!("{path}: found but not listed in {lock_name}"));
    }
    problems
}

/// The error for a non-empty list of [`mismatches`], ending with [`UPDATE_HINT`].
pub fn mismatch_error(problems: &[String], lock_name: &str) -> Error {
    let mut msg = format!("{} file(s) do not match {lock_name}:\n", problems.len());
    for p in problems {
        let _ = writeln!(msg, "  {p}");
    }
    msg.push_str(UPDATE_HINT);
    Error::msg(msg)
}

/// Counts of what changed between two locks.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Files the new lock lists and the old one does not.
    pub added: usize,
    /// Files the old lock lists and the new one does not.
    pub removed: usize,
    /// Files both list with different digests.
    pub changed: usize,
}

/// What changed from `old` to `new`.
pub fn changes(old: &Digests, new: &Digests) -> Changes {
    let mut c = Changes::default();
    for (path, hash) in new {
        match old.get(path) {
            None => c.added += 1,
            Some(h) if h != hash => c.changed += 1,
            Some(_) => {}
        }
    }
    c.removed = old.keys().filter(|p| !new.contains_key(*p)).count();
    c
}

/// The digest of a file's canonical form.
pub fn digest_of(path: &str, bytes: &[u8]) -> Result<String> {
    Ok(sha256_hex(&crate::canonical::canonicalize(
        path, bytes, None,
    )?))
}

/// Hashes the canonical form of every file under `dir`, keyed by its `/`-separated path
/// relative to `dir`.
pub fn hash_dir(dir: &Path) -> Result<Digests> {
    let mut digests = Digests::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).context(|| format!("reading {}", d.display()))?;
        for entry in entries {
            let entry = entry.context(|| format!("reading {}", d.display()))?;
            let path = entry.path();
            let ty = entry
                .file_type()
                .context(|| format!("reading {}", path.display()))?;
            if ty.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(dir).map_err(|_| {
                Error::msg(format!("{} is outside {}", path.display(), dir.display()))
            })?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(&path).context(|| format!("reading {}", path.display()))?;
            // A file that is not JSON (a stray one) is hashed as it is: it matches no entry.
            let digest = digest_of(&rel, &bytes).unwrap_or_else(|_| sha256_hex(&bytes));
            digests.insert(rel, digest);
        }
    }
    Ok(digests)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn render_parse_round_trip() {
        let mut d = Digests::new();
        d.insert("schemas/b.json".into(), sha256_hex(b"b"));
        d.insert("references/a.json".into(), sha256_hex(b"a"));
        let text = render(&d);
        assert!(text.starts_with('#'));
        assert_eq!(parse(&text).unwrap(), d);
        let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(body[0].ends_with("  references/a.json"));
    }

    #[test]
    fn parse_rejects_garbage() {
        assert!(parse("nothex  a.json\n").is_err());
        assert!(parse(&format!("{}\n", "0".repeat(64))).is_err());
    }

    #[test]
    fn compare_names_every_problem() {
        let mut expected = Digests::new();
        expected.insert("same".into(), "1".into());
        expected.insert("changed".into(), "2".into());
        expected.insert("missing".into(), "3".into());
        let mut found = Digests::new();
        found.insert("same".into(), "1".into());
        found.insert("changed".into(), "x".into());
        found.insert("extra".into(), "4".into());
        let err = compare(&expected, &found, "references.lock").unwrap_err();
        let msg = err.message();
        assert!(msg.contains("changed: sha256 x differs"), "{msg}");
        assert!(
            msg.contains("missing: listed in references.lock but not found"),
            "{msg}"
        );
        assert!(msg.contains("extra: found but not listed"), "{msg}");
        assert!(msg.ends_with(UPDATE_HINT), "{msg}");
        assert_eq!(
            changes(&expected, &found),
            Changes {
                added: 1,
                removed: 1,
                changed: 1
            }
        );
    }
}
