//! No module of a workspace crate imports another that imports it back,
//! directly or around a longer circle. The graph is read from the sources as
//! text: a module depends on every module a `crate::…` or `super::…` path in
//! it names (in `use` lines, groups included, and in code), unit-test modules
//! at the end of a file left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates whose module graphs are checked.
const CRATES: &[&str] = &[
    "tc-codegen",
    "tc-macros",
    "tc-client-runtime",
    "services/object",
    "services/queue",
    "tc-client",
    "tc-fake",
    "tc-cli",
    "test-support",
    "xtask",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_owned()
}

/// Every `.rs` file under `dir`, with its module path (`client::call`; the
/// crate root is the empty path).
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, src: &Path, out: &mut BTreeMap<String, PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, src, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    parts.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    parts.pop();
                }
                out.insert(parts.join("::"), path);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, src, &mut out);
    out
}

/// The code of a file without comments and without its trailing unit tests.
fn code_of(text: &str) -> String {
    let tests = [
        "#[cfg(test)]\nmod tests",
        "#[cfg(test)]\npub(crate) mod tests",
    ];
    let text = match tests.iter().filter_map(|marker| text.find(marker)).min() {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest module of `known` that `path` (segments from the crate root)
/// starts with.
fn resolve(path: &[&str], known: &BTreeMap<String, PathBuf>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|candidate| known.contains_key(candidate))
}

/// The paths (`crate::a::b`, `super::c`) written in `code`, each as its
/// words, groups (`crate::a::{b, c::d}`) spelled out one level deep.
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !(is_word(bytes[i - 1]) || bytes[i - 1] == b'$');
        let head = ["crate::", "super::"]
            .into_iter()
            .find(|h| starts_word && bytes[i..].starts_with(h.as_bytes()));
        let Some(head) = head else {
            i += 1;
            continue;
        };
        let mut words = vec![head.trim_end_matches("::").to_owned()];
        let mut j = i + head.len();
        loop {
            if bytes[j..].starts_with(b"{") {
                let close = code[j..].find('}').map_or(code.len(), |c| j + c);
                for item in code[j + 1..close].split(',') {
                    let mut spelled = words.clone();
                    let path = item.split_whitespace().next().unwrap_or("");
                    spelled.extend(
                        path.split("::")
                            .filter(|w| !w.is_empty() && *w != "{" && *w != "self")
                            .map(str::to_owned),
                    );
                    out.push(spelled);
                }
                j = close;
                break;
            }
            let start = j;
            while j < bytes.len() && is_word(bytes[j]) {
                j += 1;
            }
            if j > start {
                words.push(code[start..j].to_owned());
            }
            if j > start && bytes[j..].starts_with(b"::") {
                j += 2;
                continue;
            }
            // `super::*` imports the module itself; `super::#name` (in a
            // `quote!`) is no path at all.
            if j > start || bytes[j..].starts_with(b"*") {
                out.push(words);
            }
            break;
        }
        i = j.max(i + 1);
    }
    out
}

/// Which modules each module depends on.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let known = modules(src);
    let mut edges = BTreeMap::new();
    for (module, file) in &known {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let here: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
        let mut targets = BTreeSet::new();
        for words in paths(&code) {
            let mut absolute: Vec<&str> = Vec::new();
            let mut rest = words.iter().map(String::as_str).peekable();
            match rest.next() {
                Some("crate") => {}
                Some("super") => {
                    absolute.extend(&here[..here.len().saturating_sub(1)]);
                    while rest.peek() == Some(&"super") {
                        rest.next();
                        absolute.pop();
                    }
                }
                _ => continue,
            }
            absolute.extend(rest);
            let target = resolve(&absolute, &known).unwrap_or_default();
            if target != *module {
                targets.insert(target);
            }
        }
        edges.insert(module.clone(), targets);
    }
    edges
}

/// The circles of `edges` (strongly connected parts of more than one module).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Kosaraju: finish order on the graph, then components on its reverse.
    fn visit(
        v: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        seen: &mut BTreeSet<String>,
        order: &mut Vec<String>,
    ) {
        if !seen.insert(v.to_owned()) {
            return;
        }
        for w in edges.get(v).into_iter().flatten() {
            visit(w, edges, seen, order);
        }
        order.push(v.to_owned());
    }
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    for v in edges.keys() {
        visit(v, edges, &mut seen, &mut order);
    }
    let mut reverse: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (v, ws) in edges {
        for w in ws {
            reverse.entry(w.clone()).or_default().insert(v.clone());
        }
    }
    let mut assigned = BTreeSet::new();
    let mut out = Vec::new();
    for v in order.iter().rev() {
        let mut component = Vec::new();
        visit(v, &reverse, &mut assigned, &mut component);
        if component.len() > 1 {
            component.sort();
            out.push(component);
        }
    }
    out
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let mut found = Vec::new();
    for name in CRATES {
        let src = workspace().join(name).join("src");
        for circle in circles(&graph(&src)) {
            let shown: Vec<String> = circle
                .iter()
                .map(|m| {
                    if m.is_empty() {
                        "<crate root>".to_owned()
                    } else {
                        m.clone()
                    }
                })
                .collect();
            found.push(format!("{name}: {}", shown.join(" <-> ")));
        }
    }
    assert!(
        found.is_empty(),
        "modules that import each other:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_reader_sees_imports_groups_and_circles() {
    let dir = std::env::temp_dir().join(format!("tc-module-graph-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::write(dir.join("lib.rs"), "mod a;\nmod b;\nmod c;\n").unwrap();
    std::fs::write(
        dir.join("a/mod.rs"),
        "mod inner;\nuse crate::{b::Thing, c};\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("a/inner.rs"),
        "fn f() { super::super::c::g() }\nfn q() { quote! { super::#ty } }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.rs"),
        "// crate::a is only a comment\nmacro_rules! m { () => { $crate::a::x() } }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("c.rs"),
        "pub fn g() { crate::a::inner::h() }\n#[cfg(test)]\nmod tests { use crate::b; }\n",
    )
    .unwrap();
    let edges = graph(&dir);
    assert_eq!(edges["a"], BTreeSet::from(["b".to_owned(), "c".to_owned()]));
    assert!(
        edges[""].is_empty(),
        "`mod` lines are not imports: {:?}",
        edges[""]
    );
    assert_eq!(edges["a::inner"], BTreeSet::from(["c".to_owned()]));
    assert!(edges["b"].is_empty(), "{:?}", edges["b"]);
    assert_eq!(edges["c"], BTreeSet::from(["a::inner".to_owned()]));
    assert_eq!(
        circles(&edges),
        vec![vec!["a::inner".to_owned(), "c".to_owned()]]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
