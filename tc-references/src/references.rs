//! `references import|update|check|diff`, as `cargo xtask` and `tc references` run them.
//!
//! The reference set is fetched into a temporary folder beside `references/`, checked
//! against `references.lock` (import) or written to it (update), and only then replaces
//! `references/`; on any error `references/` is left as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::canonical;
use crate::error::{Context, Error, Result};
use crate::lock::{self, Changes, Digests};
use crate::reference_diff;
use crate::reference_set::{self, Source};

/// Where the references and their lock live.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The folder the reference set is written to (`<workspace>/references`).
    pub references_dir: PathBuf,
    /// The lock file (`<workspace>/references.lock`).
    pub lock_file: PathBuf,
}

impl Layout {
    /// `references/` and `references.lock` in `root`.
    pub fn in_dir(root: &Path) -> Layout {
        Layout {
            references_dir: root.join("references"),
            lock_file: root.join("references.lock"),
        }
    }

    fn lock_name(&self) -> String {
        self.lock_file.file_name().map_or_else(
            || self.lock_file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// What an import or update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Number of files written to `references/`.
    pub files: usize,
    /// The source, as given.
    pub from: String,
    /// For an update: how the lock changed.
    pub changes: Option<Changes>,
}

/// Fetches the reference set, checks it against the lock and installs it.
pub async fn import(layout: &Layout, source: &Source) -> Result<Summary> {
    let expected = lock::read(&layout.lock_file)?;
    let collected = reference_set::collect(source).await?;
    let found = digests(&collected.files);
    let lock_name = layout.lock_name();
    let where_changed = |path: &str| locate_change(layout, path, &expected, &collected.files);
    let mut problems = lock::mismatches(
        &expected,
        &found,
        &lock_name,
        &collected.missing,
        &where_changed,
    );
    for (path, why) in &collected.missing {
        if !expected.contains_key(path) {
            problems.push(format!(
                "{path}: needed by {why} but not found in {}",
                source.describe()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(lock::mismatch_error(&problems, &lock_name));
    }
    install(layout, &collected.files)?;
    Ok(Summary {
        files: collected.files.len(),
        from: source.describe(),
        changes: None,
    })
}

/// Fetches the reference set, rewrites the lock from it and installs it.
pub async fn update(layout: &Layout, source: &Source) -> Result<Summary> {
    let collected = reference_set::collect(source).await?;
    if !collected.missing.is_empty() {
        let mut msg = format!(
            "the reference set of {} is incomplete: {} file(s) not found:",
            source.describe(),
            collected.missing.len()
        );
        for (path, why) in &collected.missing {
            msg.push_str(&format!("\n  {path} (needed by {why})"));
        }
        return Err(Error::msg(msg));
    }
    let old = if layout.lock_file.exists() {
        lock::read(&layout.lock_file)?
    } else {
        Digests::new()
    };
    let found = digests(&collected.files);
    let changes = lock::changes(&old, &found);
    // Write the files first: if that fails, neither the lock nor references/ changes.
    let staged = Staged::write(&layout.references_dir, &collected.files)?;
    lock::write(&layout.lock_file, &found)?;
    staged.install()?;
    Ok(Summary {
        files: collected.files.len(),
        from: source.describe(),
        changes: Some(changes),
    })
}

/// What importing from `source` would change at API level, against the current
/// `references/` (see [`crate::reference_diff`]).
pub async fn diff(layout: &Layout, source: &Source) -> Result<Vec<reference_diff::Change>> {
    if !layout.references_dir.is_dir() {
        return Err(Error::msg(format!(
            "{} does not exist; run `cargo xtask references import` (or `tc references import`) first: the diff is \
             against the imported set",
            layout.references_dir.display()
        )));
    }
    let old = read_documents(&layout.references_dir)?;
    let collected = reference_set::collect(source).await?;
    let mut new = reference_diff::Documents::new();
    for (path, bytes) in &collected.files {
        new.insert(path.clone(), canonical::parse(path, bytes, None)?);
    }
    Ok(reference_diff::diff(&old, &new))
}

/// Every JSON document under `dir`, by `/`-separated path relative to it.
fn read_documents(dir: &Path) -> Result<reference_diff::Documents> {
    let mut docs = reference_diff::Documents::new();
    for path in lock::hash_dir(dir)?.into_keys() {
        let file = dir.join(&path);
        let bytes = std::fs::read(&file).context(|| format!("reading {}", file.display()))?;
        docs.insert(path.clone(), canonical::parse(&path, &bytes, None)?);
    }
    Ok(docs)
}

/// Compares the current `references/` with the lock; returns the number of files.
pub fn check(layout: &Layout) -> Result<usize> {
    let expected = lock::read(&layout.lock_file)?;
    if !layout.references_dir.is_dir() {
        return Err(Error::msg(format!(
            "{} does not exist; run `cargo xtask references import` (or `tc references import`)",
            layout.references_dir.display()
        )));
    }
    let found = lock::hash_dir(&layout.references_dir)?;
    lock::compare(&expected, &found, &layout.lock_name())?;
    Ok(found.len())
}

/// Where the fetched `path` first differs from the locked content, when `references/`
/// holds a copy of it that matches the lock (the lock itself keeps only digests).
fn locate_change(
    layout: &Layout,
    path: &str,
    expected: &Digests,
    fetched: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    let no_copy = || {
        "references/ holds no copy matching the lock to compare with; `cargo xtask references \
         diff --from <that source>` lists what changed at API level"
            .to_owned()
    };
    let Ok(local) = std::fs::read(layout.references_dir.join(path)) else {
        return Some(no_copy());
    };
    if lock::digest_of(path, &local).ok().as_ref() != expected.get(path) {
        return Some(no_copy());
    }
    let old = canonical::parse(path, &local, None).ok()?;
    let new = canonical::parse(path, fetched.get(path)?, None).ok()?;
    let pointer = canonical::first_difference(&old, &new)?;
    Some(format!(
        "first difference at JSON pointer {} (against references/{path})",
        if pointer.is_empty() {
            "\"\" (the whole document)".to_owned()
        } else {
            pointer
        }
    ))
}

fn digests(files: &BTreeMap<String, Vec<u8>>) -> Digests {
    files
        .iter()
        .map(|(path, bytes)| (path.clone(), lock::sha256_hex(bytes)))
        .collect()
}

fn install(layout: &Layout, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    Staged::write(&layout.references_dir, files)?.install()
}

/// Files written to a temporary folder beside their destination; removed on drop unless
/// installed.
struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
    installed: bool,
}

impl Staged {
    fn write(dest: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Staged> {
        let tmp = sibling(dest, "tmp")?;
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).context(|| format!("removing {}", tmp.display()))?;
        }
        let staged = Staged {
            tmp,
            dest: dest.to_path_buf(),
            installed: false,
        };
        for (path, bytes) in files {
            let file = staged.tmp.join(path);
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))?;
            }
            std::fs::write(&file, bytes).context(|| format!("writing {}", file.display()))?;
        }
        Ok(staged)
    }

    /// Replaces the destination with the temporary folder.
    fn install(mut self) -> Result<()> {
        let old = sibling(&self.dest, "old")?;
        if old.exists() {
            std::fs::remove_dir_all(&old).context(|| format!("removing {}", old.display()))?;
        }
        let had_dest = self.dest.exists();
        if had_dest {
            std::fs::rename(&self.dest, &old)
                .context(|| format!("moving {} aside", self.dest.display()))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.dest) {
            if had_dest {
                let _ = std::fs::rename(&old, &self.dest);
            }
            return Err(Error::msg(format!(
                "moving {} to {}: {e}",
                self.tmp.display(),
                self.dest.display()
            )));
        }
        self.installed = true;
        if had_dest {
            std::fs::remove_dir_all(&old).context(|| format!("removing {}", old.display()))?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.installed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// `<dest>.<what>-<pid>`, beside `dest`.
fn sibling(dest: &Path, what: &str) -> Result<PathBuf> {
    let name = dest
        .file_name()
        .ok_or_else(|| Error::msg(format!("{} has no file name", dest.display())))?;
    let mut name = name.to_os_string();
    name.push(format!(".{what}-{}", std::process::id()));
    Ok(dest.with_file_name(name))
}
