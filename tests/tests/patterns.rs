//! tc-codegen compiles simple schema patterns into
//! `tc_client::__private::SimplePattern` instead of a `regress::Regex`. This
//! checks, for every pattern of the imported references that it compiles,
//! that both agree on many strings: random ones over the pattern's own
//! characters and their neighbours, strings built to match, and those
//! strings with one character changed, dropped or added.

use std::path::Path;

use tc_client::__private::{AnyPattern, Piece, SimplePattern};
use tc_codegen::patterns::{ClassRun, Compiled};

/// Every `pattern` in the schemas under `dir`.
fn patterns_in(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            patterns_in(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            collect(&value, out);
        }
    }
}

fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(p)) = map.get("pattern") {
                out.push(p.clone());
            }
            map.values().for_each(|v| collect(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// What generated code holds for `compiled`, built at run time.
fn leak(compiled: &Compiled) -> AnyPattern {
    let sequences: Vec<SimplePattern> = compiled
        .alternatives
        .iter()
        .map(|runs| {
            let pieces: Vec<Piece> = runs
                .iter()
                .map(|run| {
                    Piece::new(
                        Box::leak(run.ranges.clone().into_boxed_slice()),
                        run.min,
                        run.max,
                    )
                })
                .collect();
            SimplePattern::new(Box::leak(pieces.into_boxed_slice()), compiled.anchored_end)
        })
        .collect();
    AnyPattern::new(Box::leak(sequences.into_boxed_slice()))
}

/// Characters worth trying for `compiled`: the ends of its ranges, their
/// neighbours, a middle one, and a few outsiders.
fn alphabet(compiled: &Compiled) -> Vec<char> {
    let mut chars = vec![
        'a', 'Z', '0', '-', '_', '/', '.', ' ', '~', '\u{7f}', 'é', '\n', '😀', '$',
    ];
    for run in compiled.alternatives.iter().flatten() {
        for &(lo, hi) in &run.ranges {
            let (lo, hi) = (u32::from(lo), u32::from(hi));
            for c in [lo.saturating_sub(1), lo, (lo + hi) / 2, hi, hi + 1] {
                chars.extend(char::from_u32(c));
            }
        }
    }
    chars
}

/// A string `compiled` should match, built piece by piece from one of its
/// alternatives.
fn matching(compiled: &Compiled, rng: &mut Rng) -> String {
    let mut s = String::new();
    let runs = &compiled.alternatives[rng.below(compiled.alternatives.len())];
    for ClassRun { ranges, min, max } in runs {
        let extra = if max > min {
            rng.below(((max - min).min(6) + 1) as usize) as u32
        } else {
            0
        };
        for _ in 0..min + extra {
            let (lo, hi) = ranges[rng.below(ranges.len())];
            let span = u32::from(hi) - u32::from(lo) + 1;
            s.extend(char::from_u32(
                u32::from(lo) + rng.below(span as usize) as u32,
            ));
        }
    }
    s
}

fn mutate(s: &str, alphabet: &[char], rng: &mut Rng) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let at = rng.below(chars.len() + 1);
    match rng.below(3) {
        0 if at < chars.len() => chars[at] = alphabet[rng.below(alphabet.len())],
        1 if at < chars.len() => {
            chars.remove(at);
        }
        _ => chars.insert(at, alphabet[rng.below(alphabet.len())]),
    }
    chars.into_iter().collect()
}

#[test]
fn compiled_patterns_agree_with_regress() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../references/schemas");
    let mut patterns = Vec::new();
    patterns_in(&root, &mut patterns);
    patterns.sort();
    patterns.dedup();
    assert!(patterns.len() > 20, "patterns found: {patterns:?}");

    let mut compiled_count = 0;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for pattern in &patterns {
        let Some(compiled) = tc_codegen::patterns::compile(pattern) else {
            continue;
        };
        compiled_count += 1;
        let simple = leak(&compiled);
        let regex = regress::Regex::new(pattern).unwrap();
        let alphabet = alphabet(&compiled);
        let mut cases: Vec<String> = vec![String::new()];
        for _ in 0..2000 {
            let len = rng.below(72);
            cases.push(
                (0..len)
                    .map(|_| alphabet[rng.below(alphabet.len())])
                    .collect(),
            );
        }
        for _ in 0..1000 {
            let good = matching(&compiled, &mut rng);
            assert!(simple.matches(&good), "{pattern} should match {good:?}");
            cases.push(mutate(&good, &alphabet, &mut rng));
            cases.push(good);
        }
        let mut matched = 0;
        for case in &cases {
            let expected = regress::Regex::find(&regex, case).is_some();
            assert_eq!(simple.matches(case), expected, "{pattern} on {case:?}");
            matched += usize::from(expected);
        }
        assert!(matched >= 1000, "{pattern}: only {matched} matching cases");
    }
    // Nearly all of Taskcluster's patterns are in the subset.
    assert!(
        compiled_count * 10 >= patterns.len() * 9,
        "{compiled_count} of {}",
        patterns.len()
    );
}

#[test]
fn a_refused_constrained_string_names_its_type_and_the_value() {
    let error = "not/a task id"
        .parse::<tc_client::queue::TaskId>()
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(r#""not/a task id" is not a valid TaskId (doesn't match pattern "^"#),
        "{error}"
    );
    // Decoding says the same, where serde_json found it.
    let error = serde_json::from_str::<tc_client::queue::TaskId>(r#""x""#)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(r#""x" is not a valid TaskId (doesn't match pattern"#),
        "{error}"
    );
    // A long value is cut to its first 100 characters.
    let long = "a".repeat(300);
    let error = long
        .parse::<tc_client::queue::TaskId>()
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(&format!(
            "{:?}... (300 characters) is not a valid TaskId",
            "a".repeat(100)
        )),
        "{error}"
    );
}
