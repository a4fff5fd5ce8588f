//! Simple schema patterns compiled to `tc_client::__private::SimplePattern`
//! (or `AnyPattern`, a choice of them).
//!
//! typify checks a `pattern` with a `regress::Regex` held in a
//! `static PATTERN` inside the string type's `FromStr`. A backtracking match
//! per constrained string is a large share of decoding a response, while
//! nearly every pattern of Taskcluster's schemas is an anchored sequence of
//! character classes, or a choice of a few, that one linear pass decides.
//! [`rewrite`] replaces the `static` of such patterns with a `SimplePattern`
//! or `AnyPattern` of the same meaning (same `find` call); any other pattern
//! keeps `regress`.
//!
//! The subset understood, with ECMAScript's meaning: `^` at the start
//! (required), `$` at the end (optional); literal characters and escaped
//! punctuation; classes `[...]` of characters, ranges, `\xHH` and escaped
//! punctuation (a `-` first, last or after a range is literal), not negated;
//! quantifiers `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`; groups `(...)` with
//! alternatives `|`, unquantified or optional (`?`). Groups are multiplied
//! out into at most [`MAX_ALTERNATIVES`] plain sequences, and each must be
//! decidable in one pass (the rule of `SimplePattern::new`, checked by
//! [`decidable`]). Classes reaching the surrogate range are refused, so that
//! counting characters and counting UTF-16 units agree.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens as _, quote};

/// The most sequences a pattern may expand to.
pub const MAX_ALTERNATIVES: usize = 8;

/// One character class and how many times it repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRun {
    /// The class, as inclusive ranges.
    pub ranges: Vec<(char, char)>,
    /// The fewest repetitions.
    pub min: u32,
    /// The most repetitions (`u32::MAX`: no maximum).
    pub max: u32,
}

impl ClassRun {
    fn disjoint(&self, other: &ClassRun) -> bool {
        self.ranges
            .iter()
            .all(|&(a, b)| other.ranges.iter().all(|&(c, d)| !(a <= d && c <= b)))
    }
}

/// A pattern in the subset: `^(alternative|...)[$]`, each alternative a
/// sequence of class runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    /// The sequences, one per alternative (one when the pattern has no
    /// `|` and no optional group).
    pub alternatives: Vec<Vec<ClassRun>>,
    /// Whether the pattern ends with `$`.
    pub anchored_end: bool,
}

/// `pattern` compiled, or `None` when it is outside the subset.
pub fn compile(pattern: &str) -> Option<Compiled> {
    let body = pattern.strip_prefix('^')?;
    let (body, anchored_end) = match body.strip_suffix('$') {
        // `\$` is a literal dollar, not the anchor.
        Some(rest) if !rest.ends_with('\\') => (rest, true),
        _ => (body, false),
    };
    let chars: Vec<char> = body.chars().collect();
    let mut parser = Parser {
        chars: &chars,
        at: 0,
    };
    let alternatives = parser.alternatives()?;
    if parser.at != chars.len()
        || !alternatives
            .iter()
            .all(|pieces| decidable(pieces, anchored_end))
    {
        return None;
    }
    Some(Compiled {
        alternatives,
        anchored_end,
    })
}

/// Whether one pass decides `pieces`: every run with a variable count is
/// either followed only by fixed runs up to an anchored end (its count is
/// what they leave), or disjoint from the runs after it up to the first
/// that must take a character (its run of characters is its own).
pub fn decidable(pieces: &[ClassRun], anchored_end: bool) -> bool {
    pieces.iter().enumerate().all(|(i, run)| {
        let later = &pieces[i + 1..];
        if run.min == run.max || anchored_end && later.iter().all(|r| r.min == r.max) {
            return true;
        }
        for next in later {
            if !run.disjoint(next) {
                return false;
            }
            if next.min > 0 {
                break;
            }
        }
        true
    })
}

struct Parser<'a> {
    chars: &'a [char],
    at: usize,
}

impl Parser<'_> {
    /// Alternatives separated by `|`, up to a `)` or the end (neither
    /// taken): the sequences they expand to.
    fn alternatives(&mut self) -> Option<Vec<Vec<ClassRun>>> {
        let mut all = Vec::new();
        loop {
            all.extend(self.sequence()?);
            if all.len() > MAX_ALTERNATIVES {
                return None;
            }
            if self.peek() != Some('|') {
                return Some(all);
            }
            self.at += 1;
        }
    }

    /// One alternative, up to a `|`, a `)` or the end: the sequences it
    /// expands to (several when it holds groups with alternatives or
    /// optional groups).
    fn sequence(&mut self) -> Option<Vec<Vec<ClassRun>>> {
        let mut sequences = vec![Vec::new()];
        while let Some(c) = self.peek() {
            let choices = match c {
                '|' | ')' => break,
                '(' => {
                    self.at += 1;
                    let mut inner = self.alternatives()?;
                    if self.next()? != ')' {
                        return None;
                    }
                    match self.peek() {
                        Some('?') => {
                            self.at += 1;
                            inner.push(Vec::new());
                        }
                        Some('*' | '+' | '{') => return None,
                        _ => {}
                    }
                    // A lazy `??` is outside the subset.
                    if matches!(self.peek(), Some('?' | '*' | '+' | '{')) {
                        return None;
                    }
                    inner
                }
                _ => {
                    let ranges = self.atom()?;
                    let (min, max) = self.quantifier()?;
                    vec![vec![ClassRun { ranges, min, max }]]
                }
            };
            let mut next = Vec::with_capacity(sequences.len() * choices.len());
            for head in &sequences {
                for tail in &choices {
                    next.push(head.iter().chain(tail).cloned().collect());
                }
            }
            if next.len() > MAX_ALTERNATIVES {
                return None;
            }
            sequences = next;
        }
        Some(sequences)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    /// A literal character or a class, as ranges.
    fn atom(&mut self) -> Option<Vec<(char, char)>> {
        let ranges = match self.next()? {
            '[' => self.class()?,
            '\\' => {
                let c = self.escape()?;
                vec![(c, c)]
            }
            '.' | '*' | '+' | '?' | '{' | '}' | '|' | '^' | '$' | ']' => return None,
            c => vec![(c, c)],
        };
        if ranges.iter().any(|&(_, hi)| u32::from(hi) >= 0xD800) {
            return None;
        }
        Some(ranges)
    }

    /// The escape after a `\`: `\xHH` or escaped punctuation (`\d`, `\w`,
    /// `\b` and the like are outside the subset).
    fn escape(&mut self) -> Option<char> {
        match self.next()? {
            'x' => {
                let hex: String = [self.next()?, self.next()?].iter().collect();
                u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
            }
            c if c.is_ascii_punctuation() => Some(c),
            _ => None,
        }
    }

    /// The rest of a class after `[`, up to and including `]`.
    fn class(&mut self) -> Option<Vec<(char, char)>> {
        if self.peek() == Some('^') {
            return None;
        }
        let mut ranges = Vec::new();
        loop {
            let lo = match self.next()? {
                ']' if !ranges.is_empty() => return Some(ranges),
                ']' => return None,
                '\\' => self.escape()?,
                '[' => return None,
                c => c,
            };
            // `lo-hi`, unless the `-` is the last character of the class.
            if self.peek() == Some('-') && self.chars.get(self.at + 1) != Some(&']') {
                self.at += 1;
                let hi = match self.next()? {
                    '\\' => self.escape()?,
                    '[' | ']' => return None,
                    c => c,
                };
                if hi < lo {
                    return None;
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
    }

    /// The quantifier after an atom, as (min, max); (1, 1) when none.
    fn quantifier(&mut self) -> Option<(u32, u32)> {
        let bounds = match self.peek() {
            Some('*') => (0, u32::MAX),
            Some('+') => (1, u32::MAX),
            Some('?') => (0, 1),
            Some('{') => {
                let close = self.chars[self.at..].iter().position(|&c| c == '}')?;
                let inner: String = self.chars[self.at + 1..self.at + close].iter().collect();
                self.at += close;
                let (min, max) = match inner.split_once(',') {
                    None => {
                        let n = inner.parse().ok()?;
                        (n, n)
                    }
                    Some((min, "")) => (min.parse().ok()?, u32::MAX),
                    Some((min, max)) => (min.parse().ok()?, max.parse().ok()?),
                };
                if max < min || max == u32::MAX && !inner.ends_with(',') {
                    return None;
                }
                (min, max)
            }
            _ => return Some((1, 1)),
        };
        self.at += 1;
        // A lazy quantifier (`*?`) is outside the subset.
        if matches!(self.peek(), Some('?' | '*' | '+' | '{')) {
            return None;
        }
        Some(bounds)
    }
}

/// The item `static PATTERN: SimplePattern = ...;` (or `AnyPattern`) for
/// `compiled`.
fn simple_static(compiled: &Compiled) -> TokenStream {
    let anchored_end = compiled.anchored_end;
    let sequence = |pieces: &[ClassRun]| {
        let pieces = pieces.iter().map(|ClassRun { ranges, min, max }| {
            let ranges = ranges.iter().map(|(lo, hi)| quote!((#lo, #hi)));
            quote!(::tc_client::__private::Piece::new(&[#(#ranges),*], #min, #max))
        });
        quote!(::tc_client::__private::SimplePattern::new(&[#(#pieces),*], #anchored_end))
    };
    match compiled.alternatives.as_slice() {
        [one] => {
            let one = sequence(one);
            quote!(static PATTERN: ::tc_client::__private::SimplePattern = #one;)
        }
        several => {
            let several = several.iter().map(|pieces| sequence(pieces));
            quote! {
                static PATTERN: ::tc_client::__private::AnyPattern =
                    ::tc_client::__private::AnyPattern::new(&[#(#several),*]);
            }
        }
    }
}

/// `tokens` with every `static PATTERN` whose regular expression is in the
/// subset replaced by a `SimplePattern`, constrained strings decoded
/// without an intermediate `String`, and their errors naming the type and the
/// value refused.
///
/// typify's `FromStr` of a constrained string fails with a fixed text
/// (`Err("doesn't match pattern \"^...$\"".into())`), which says neither what
/// was refused nor as what: it becomes
/// `Err(::tc_client::__private::refused("TaskId", value, "doesn't match ...").into())`.
///
/// typify decodes a constrained string with
/// `String::deserialize(deserializer)?.parse()`: an owned copy of the text,
/// then another made by `FromStr`. Reading it as a borrowed `&str` instead
/// (serde_json lends it straight from the input when it has no escapes)
/// leaves one allocation per string.
pub fn rewrite(tokens: TokenStream) -> TokenStream {
    let owned_then_parsed: Vec<TokenTree> =
        quote!(::std::string::String::deserialize(deserializer)?.parse())
            .into_iter()
            .collect();
    rewrite_with(tokens, &owned_then_parsed, None)
}

/// The name of the type of a `FromStr for <name> { .. }` ending at `trees[i]`
/// (the brace group).
fn from_str_for(trees: &[TokenTree], i: usize) -> Option<String> {
    let is_ident = |t: &TokenTree, name: &str| matches!(t, TokenTree::Ident(id) if id == name);
    let TokenTree::Group(body) = &trees[i] else {
        return None;
    };
    if body.delimiter() != Delimiter::Brace || i < 3 {
        return None;
    }
    match (&trees[i - 3], &trees[i - 2], &trees[i - 1]) {
        (from_str, for_, TokenTree::Ident(name))
            if is_ident(from_str, "FromStr") && is_ident(for_, "for") =>
        {
            Some(name.to_string())
        }
        _ => None,
    }
}

/// Inside the `FromStr` of `type_name`: `stream` rewritten when it is the
/// `"<reason>".into()` of an `Err(..)`.
fn refusal(stream: &TokenStream, type_name: &str) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = stream.clone().into_iter().collect();
    let [
        TokenTree::Literal(reason),
        TokenTree::Punct(dot),
        TokenTree::Ident(into),
        TokenTree::Group(args),
    ] = trees.as_slice()
    else {
        return None;
    };
    if dot.as_char() != '.' || into != "into" || !args.stream().is_empty() {
        return None;
    }
    syn::parse2::<syn::LitStr>(reason.clone().into_token_stream()).ok()?;
    Some(quote!(::tc_client::__private::refused(#type_name, value, #reason).into()))
}

fn rewrite_with(
    tokens: TokenStream,
    owned_then_parsed: &[TokenTree],
    from_str_of: Option<&str>,
) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        if let Some((end, compiled)) = pattern_static(&trees, i) {
            out.extend(simple_static(&compiled));
            i = end + 1;
            continue;
        }
        if starts_with(&trees[i..], owned_then_parsed) {
            out.extend(quote! {
                ::tc_client::__private::deserialize_str_with(
                    deserializer,
                    <Self as ::std::str::FromStr>::from_str,
                )?
            });
            i += owned_then_parsed.len();
            continue;
        }
        out.push(match &trees[i] {
            TokenTree::Group(group) => {
                let is_err = i > 0 && matches!(&trees[i - 1], TokenTree::Ident(id) if id == "Err");
                let inner = match from_str_of {
                    Some(name) if is_err && group.delimiter() == Delimiter::Parenthesis => {
                        refusal(&group.stream(), name)
                    }
                    _ => None,
                };
                let name = from_str_for(&trees, i);
                let inner = inner.unwrap_or_else(|| {
                    rewrite_with(
                        group.stream(),
                        owned_then_parsed,
                        name.as_deref().or(from_str_of),
                    )
                });
                let mut rewritten = Group::new(group.delimiter(), inner);
                rewritten.set_span(group.span());
                TokenTree::Group(rewritten)
            }
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// Whether `trees` begins with the tokens of `prefix` (compared as text).
fn starts_with(trees: &[TokenTree], prefix: &[TokenTree]) -> bool {
    trees.len() >= prefix.len()
        && trees.iter().zip(prefix).all(|(a, b)| match (a, b) {
            (TokenTree::Ident(a), TokenTree::Ident(b)) => a == b,
            (TokenTree::Punct(a), TokenTree::Punct(b)) => a.as_char() == b.as_char(),
            (TokenTree::Group(a), TokenTree::Group(b)) => {
                a.delimiter() == b.delimiter() && a.stream().to_string() == b.stream().to_string()
            }
            _ => false,
        })
}

/// At `trees[i]`, a `static PATTERN ... ;` whose pattern compiles: the
/// index of its `;` and the compiled pattern.
fn pattern_static(trees: &[TokenTree], i: usize) -> Option<(usize, Compiled)> {
    let is_ident = |t: &TokenTree, name: &str| matches!(t, TokenTree::Ident(id) if id == name);
    if !is_ident(&trees[i], "static") || !is_ident(trees.get(i + 1)?, "PATTERN") {
        return None;
    }
    let end = i + trees[i..]
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))?;
    let pattern = first_string(trees[i..end].iter().cloned().collect())?;
    compile(&pattern).map(|compiled| (end, compiled))
}

/// The value of the first string literal in `tokens`, at any depth.
fn first_string(tokens: TokenStream) -> Option<String> {
    tokens.into_iter().find_map(|tree| match tree {
        TokenTree::Literal(literal) => syn::parse2::<syn::LitStr>(literal.into_token_stream())
            .ok()
            .map(|s| s.value()),
        TokenTree::Group(group) => first_string(group.stream()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Run = (Vec<(char, char)>, u32, u32);

    fn alternatives(pattern: &str) -> Vec<Vec<Run>> {
        compile(pattern)
            .unwrap_or_else(|| panic!("{pattern} compiles"))
            .alternatives
            .into_iter()
            .map(|pieces| {
                pieces
                    .into_iter()
                    .map(|run| (run.ranges, run.min, run.max))
                    .collect()
            })
            .collect()
    }

    fn pieces(pattern: &str) -> Vec<Run> {
        let mut all = alternatives(pattern);
        assert_eq!(all.len(), 1, "{pattern}: {all:?}");
        all.remove(0)
    }

    const M: u32 = u32::MAX;

    #[test]
    fn the_usual_patterns_compile() {
        assert_eq!(
            pieces("^([a-zA-Z0-9-_]*)$"),
            [(
                vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('-', '-'), ('_', '_')],
                0,
                M
            )]
        );
        assert_eq!(pieces("^[ -~]*$"), [(vec![(' ', '~')], 0, M)]);
        assert_eq!(pieces("^[\\x20-\\x7e]+$"), [(vec![(' ', '~')], 1, M)]);
        assert_eq!(
            pieces("^v[0-9]+$"),
            [(vec![('v', 'v')], 1, 1), (vec![('0', '9')], 1, M)]
        );
        let slugid =
            pieces("^[A-Za-z0-9_-]{8}[Q-T][A-Za-z0-9_-][CGKOSWaeimquy26-][A-Za-z0-9_-]{10}[AQgw]$");
        assert_eq!(slugid.len(), 6);
        assert_eq!(slugid[1], (vec![('Q', 'T')], 1, 1));
        assert_eq!(slugid[4].1, 10);
        // `.-_` is a range, as ECMAScript reads it.
        assert_eq!(
            pieces("^[a-z][a-z0-9.-_]*")[1].0,
            [('a', 'z'), ('0', '9'), ('.', '_')]
        );
        assert!(!compile("^[a-z][a-zA-Z0-9_]*").unwrap().anchored_end);
        assert_eq!(pieces("^[-a-zA-Z0-9]{1,39}$")[0].0[0], ('-', '-'));
        assert_eq!(pieces("^a\\.b$")[1], (vec![('.', '.')], 1, 1));
    }

    #[test]
    fn groups_become_alternatives() {
        const LOWER: (char, char) = ('a', 'z');
        let worker_type = alternatives("^[a-z]([-a-z0-9]{0,36}[a-z0-9])?$");
        assert_eq!(worker_type.len(), 2);
        assert_eq!(worker_type[1], [(vec![LOWER], 1, 1)]);
        assert_eq!(
            worker_type[0],
            [
                (vec![LOWER], 1, 1),
                (vec![('-', '-'), LOWER, ('0', '9')], 0, 36),
                (vec![LOWER, ('0', '9')], 1, 1)
            ]
        );
        let source = compile("^(https?://|ssh://|git@)").unwrap();
        assert!(!source.anchored_end);
        assert_eq!(source.alternatives.len(), 3);
        assert_eq!(
            source.alternatives[0][4],
            (vec![('s', 's')], 0, 1).into_run()
        );
        assert_eq!(source.alternatives[2].len(), 4);
        // Two variable runs, the first greedy (`=` is not in its class).
        assert_eq!(pieces("^[A-Za-z0-9/+]+[=]{0,2}$").len(), 2);
        // A variable run before fixed ones up to the end takes what they leave.
        assert_eq!(pieces("^[a-z]*[a-z0-9]x$").len(), 3);
        // Nested groups multiply out.
        assert_eq!(alternatives("^a(b(c|d)?)?$").len(), 4);
    }

    trait IntoRun {
        fn into_run(self) -> ClassRun;
    }

    impl IntoRun for Run {
        fn into_run(self) -> ClassRun {
            ClassRun {
                ranges: self.0,
                min: self.1,
                max: self.2,
            }
        }
    }

    #[test]
    fn everything_else_is_left_to_regress() {
        for pattern in [
            "[-a-z0-9]+",                 // not anchored at the start
            "^[a-z]*[a-z0-9]+x$",         // needs backtracking
            "^[a-z]+[=]?[a-z]$",          // needs backtracking
            "^(ab)*$",                    // repeated group
            "^(ab){2}$",                  // repeated group
            "^(ab)??$",                   // lazy
            "^(?:ab)$",                   // group syntax
            "^(a|b|c)(d|e|f)$",           // too many alternatives
            "^(a|b$",                     // unbalanced
            "^a)|(b$",                    // unbalanced
            "^[^a-z]+$",                  // negated class
            "^\\d+$",                     // class escape
            "^.*$",                       // any character
            "^a+?$",                      // lazy
            "^[\\u{10000}-\\u{10ffff}]$", // not in the subset
            "^[a-z]{3,1}$",               // reversed bounds
            "^[]$",                       // empty class
        ] {
            assert_eq!(compile(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn the_static_is_replaced_only_when_the_pattern_compiles() {
        let simple = quote! {
            fn from_str(value: &str) -> Result<Self, E> {
                static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                    ::std::sync::LazyLock::new(|| { ::regress::Regex::new("^[a-z]{2}$").unwrap() });
                if PATTERN.find(value).is_none() { return Err("no".into()); }
                Ok(Self(value.to_string()))
            }
        };
        let out = rewrite(simple).to_string();
        assert!(out.contains("SimplePattern :: new"), "{out}");
        assert!(!out.contains("regress"), "{out}");
        assert!(out.contains("PATTERN . find (value)"), "{out}");

        let deserialize = quote! {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::std::string::String::deserialize(deserializer)?
                    .parse()
                    .map_err(|e: self::error::ConversionError| {
                        <D::Error as ::serde::de::Error>::custom(e.to_string())
                    })
            }
        };
        let out = rewrite(deserialize).to_string();
        assert!(out.contains("deserialize_str_with (deserializer , < Self as :: std :: str :: FromStr > :: from_str ,) ? . map_err"), "{out}");
        assert!(!out.contains("String :: deserialize"), "{out}");

        let choice = quote! {
            static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                ::std::sync::LazyLock::new(|| { ::regress::Regex::new("^(a|bc?)$").unwrap() });
        };
        let out = rewrite(choice).to_string();
        assert!(
            out.contains("static PATTERN : :: tc_client :: __private :: AnyPattern"),
            "{out}"
        );
        assert_eq!(out.matches("SimplePattern :: new").count(), 2, "{out}");

        let complex = quote! {
            static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                ::std::sync::LazyLock::new(|| { ::regress::Regex::new("^(ab)*$").unwrap() });
        };
        let out = rewrite(complex.clone()).to_string();
        assert_eq!(out, complex.to_string());
    }
}
