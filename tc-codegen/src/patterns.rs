//! Simple schema patterns compiled to `tc_client::__private::SimplePattern`
//! (or `AnyPattern`, a choice of them).
//!
//! typify checks a `pattern` with a `regress::Regex` held in a
//! `static PATTERN` inside the string type's `FromStr`. A backtracking match
//! per constrained string is a large share of decoding a response, while
//! nearly every pattern of Taskcluster's schemas is an anchored sequence of
//! character classes, or a choice of a few, that one linear pass decides.
//! The post-pass [`SimplePatterns`](crate::postpass::SimplePatterns)
//! replaces the `static` of such patterns with a `SimplePattern`
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
}
