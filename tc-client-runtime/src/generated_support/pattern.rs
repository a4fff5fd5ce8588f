//! A linear-time matcher for the simple patterns most schemas use.
//!
//! Nearly every `pattern` in Taskcluster's schemas is an anchored sequence
//! of character classes with repetition counts (`^[a-zA-Z0-9-_]{1,38}$`,
//! slugids, `^([a-zA-Z0-9-_]*)$`, `^[a-z]([-a-z0-9]{0,36}[a-z0-9])?$`), or
//! a few such sequences to choose from (`^(https?://|ssh://|git@)`). When
//! every variable count in a sequence is decided without looking back (see
//! [`SimplePattern::new`]), one pass over the characters decides a match.
//! tc-codegen compiles those patterns into a [`SimplePattern`] or an
//! [`AnyPattern`] (and leaves the others to `regress`), because checking
//! them is a large share of decoding a response: a task definition holds a
//! dozen constrained strings.

/// One character class repeated between `min` and `max` times.
#[derive(Debug, Clone, Copy)]
pub struct Piece {
    ranges: &'static [(char, char)],
    /// `ascii[c]` is whether the ASCII character `c` is in the class.
    ascii: [bool; 128],
    min: u32,
    max: u32,
}

impl Piece {
    /// The class made of the inclusive `ranges`, repeated `min..=max` times
    /// (`max` is `u32::MAX` for no limit).
    pub const fn new(ranges: &'static [(char, char)], min: u32, max: u32) -> Piece {
        let mut ascii = [false; 128];
        let mut i = 0;
        while i < ranges.len() {
            let (lo, hi) = ranges[i];
            let mut c = lo as u32;
            while c <= hi as u32 && c < 128 {
                ascii[c as usize] = true;
                c += 1;
            }
            i += 1;
        }
        Piece {
            ranges,
            ascii,
            min,
            max,
        }
    }

    #[inline]
    fn contains(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.ascii[c as usize & 127];
        }
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
    }

    #[inline]
    fn contains_ascii(&self, b: u8) -> bool {
        // Only called on ASCII bytes: `& 127` changes nothing but spares
        // the bounds check.
        self.ascii[usize::from(b & 127)]
    }

    const fn is_fixed(&self) -> bool {
        self.min == self.max
    }

    /// Whether no character is in both classes.
    const fn disjoint(&self, other: &Piece) -> bool {
        let mut i = 0;
        while i < self.ranges.len() {
            let (a, b) = self.ranges[i];
            let mut j = 0;
            while j < other.ranges.len() {
                let (c, d) = other.ranges[j];
                if a as u32 <= d as u32 && c as u32 <= b as u32 {
                    return false;
                }
                j += 1;
            }
            i += 1;
        }
        true
    }
}

/// An anchored sequence of [`Piece`]s, optionally anchored at the end too.
#[derive(Debug, Clone, Copy)]
pub struct SimplePattern {
    pieces: &'static [Piece],
    anchored_end: bool,
    /// With `anchored_end`: the pieces from this index on all have a fixed
    /// count (`pieces.len()` when the last one does not).
    fixed_tail: usize,
    /// The characters those pieces take.
    fixed_tail_len: usize,
}

impl SimplePattern {
    /// `^pieces` (followed by `$` when `anchored_end`).
    ///
    /// Every piece with a variable count must be decided without looking
    /// back, in one of two ways:
    ///
    /// - by length: the end is anchored and every later piece has a fixed
    ///   count, so the piece takes whatever those leave;
    /// - greedily: no character of its class is in the class of a later
    ///   piece up to and including the first one that must take at least
    ///   one character, so the run of its characters can only be its own.
    ///
    /// A pattern that breaks this rule cannot be built: `new` fails to
    /// evaluate (in a `static`, that is a compile error).
    pub const fn new(pieces: &'static [Piece], anchored_end: bool) -> SimplePattern {
        let mut fixed_tail = pieces.len();
        let mut fixed_tail_len = 0usize;
        while fixed_tail > 0 && pieces[fixed_tail - 1].is_fixed() {
            fixed_tail -= 1;
            fixed_tail_len += pieces[fixed_tail].min as usize;
        }
        if !anchored_end {
            fixed_tail = pieces.len();
            fixed_tail_len = 0;
        }
        let mut i = 0;
        while i < pieces.len() {
            let by_length = Self::by_length(anchored_end, fixed_tail, i);
            if !pieces[i].is_fixed() && !by_length {
                let mut j = i + 1;
                while j < pieces.len() {
                    assert!(
                        pieces[i].disjoint(&pieces[j]),
                        "a variable count that needs backtracking"
                    );
                    if pieces[j].min > 0 {
                        break;
                    }
                    j += 1;
                }
            }
            i += 1;
        }
        SimplePattern {
            pieces,
            anchored_end,
            fixed_tail,
            fixed_tail_len,
        }
    }

    /// `Some(())` when `value` matches; shaped like `regress::Regex::find`
    /// so that generated code calls either the same way.
    pub fn find(&self, value: &str) -> Option<()> {
        self.matches(value).then_some(())
    }

    /// Whether `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        if value.is_ascii() {
            self.matches_units(value.as_bytes(), |piece, &b| piece.contains_ascii(b))
        } else {
            // Rare in Taskcluster's constrained strings: counts are in
            // characters, so index them.
            let chars: Vec<char> = value.chars().collect();
            self.matches_units(&chars, |piece, &c| piece.contains(c))
        }
    }

    /// Whether the piece at `index` is decided by length (see [`new`](Self::new)).
    const fn by_length(anchored_end: bool, fixed_tail: usize, index: usize) -> bool {
        anchored_end && index + 1 >= fixed_tail
    }

    /// [`matches`](Self::matches) on `units`, one per character, with
    /// `contains` telling whether a piece's class holds a unit.
    fn matches_units<T>(&self, units: &[T], contains: impl Fn(&Piece, &T) -> bool) -> bool {
        let mut at = 0;
        for (index, piece) in self.pieces.iter().enumerate() {
            let rest = &units[at..];
            let (min, max) = (piece.min as usize, piece.max as usize);
            let exact = if piece.is_fixed() {
                Some(min)
            } else if Self::by_length(self.anchored_end, self.fixed_tail, index) {
                // What the fixed pieces after this one leave.
                match rest.len().checked_sub(self.fixed_tail_len) {
                    Some(count) => Some(count),
                    None => return false,
                }
            } else {
                None
            };
            let count = match exact {
                Some(count) => match rest.get(..count) {
                    Some(run) if run.iter().all(|u| contains(piece, u)) => count,
                    _ => return false,
                },
                // Greedy: the run of the class's characters, up to `max`.
                None => rest
                    .iter()
                    .take(max)
                    .take_while(|u| contains(piece, u))
                    .count(),
            };
            if count < min || count > max {
                return false;
            }
            at += count;
        }
        !self.anchored_end || at == units.len()
    }
}

/// A choice of [`SimplePattern`]s: `^(a|b|c)`, and what an optional group
/// becomes (`^x(yz)?$` is `^x$` or `^xyz$`).
#[derive(Debug, Clone, Copy)]
pub struct AnyPattern {
    alternatives: &'static [SimplePattern],
}

impl AnyPattern {
    /// Matches what any of `alternatives` matches.
    pub const fn new(alternatives: &'static [SimplePattern]) -> AnyPattern {
        AnyPattern { alternatives }
    }

    /// `Some(())` when `value` matches, like [`SimplePattern::find`].
    pub fn find(&self, value: &str) -> Option<()> {
        self.matches(value).then_some(())
    }

    /// Whether `value` matches one of the alternatives.
    pub fn matches(&self, value: &str) -> bool {
        self.alternatives.iter().any(|p| p.matches(value))
    }
}

/// The message of a constrained string that its type refuses: the type, the value
/// (its first 100 characters, quoted) and the reason typify gives
/// (`doesn't match pattern ...`, `longer than 38 characters`).
///
/// ```
/// let message = tc_client::__private::refused("TaskId", "not an id!", "doesn't match pattern \"^x$\"");
/// assert_eq!(message, "\"not an id!\" is not a valid TaskId (doesn't match pattern \"^x$\")");
/// ```
pub fn refused(type_name: &str, value: &str, reason: &str) -> String {
    const SHOWN: usize = 100;
    match value.char_indices().nth(SHOWN) {
        Some((end, _)) => format!(
            "{:?}... ({} characters) is not a valid {type_name} ({reason})",
            &value[..end],
            value.chars().count()
        ),
        None => format!("{value:?} is not a valid {type_name} ({reason})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALNUM: &[(char, char)] = &[('a', 'z'), ('A', 'Z'), ('0', '9')];
    const DASH: &[(char, char)] = &[('-', '-')];
    const LOWER: &[(char, char)] = &[('a', 'z')];
    const LOWER_DIGIT: &[(char, char)] = &[('a', 'z'), ('0', '9')];
    const LOWER_DIGIT_DASH: &[(char, char)] = &[('-', '-'), ('a', 'z'), ('0', '9')];

    #[test]
    fn fixed_pieces_then_a_variable_one() {
        // ^[a-zA-Z0-9]{2}-[a-zA-Z0-9]{1,3}$
        static PIECES: [Piece; 3] = [
            Piece::new(ALNUM, 2, 2),
            Piece::new(DASH, 1, 1),
            Piece::new(ALNUM, 1, 3),
        ];
        let p = SimplePattern::new(&PIECES, true);
        for good in ["ab-c", "a1-xyz", "ZZ-9"] {
            assert!(p.matches(good), "{good}");
        }
        for bad in [
            "", "ab", "ab-", "ab-wxyz", "a-bc", "abc-d", "ab_c", "ab-c ", "äb-c",
        ] {
            assert!(!p.matches(bad), "{bad}");
        }
        assert!(p.find("ab-c").is_some() && p.find("ab").is_none());
    }

    #[test]
    fn without_an_end_anchor_a_prefix_is_enough() {
        // ^[a-z][a-zA-Z0-9]*
        static PIECES: [Piece; 2] = [Piece::new(LOWER, 1, 1), Piece::new(ALNUM, 0, u32::MAX)];
        let p = SimplePattern::new(&PIECES, false);
        assert!(p.matches("a") && p.matches("a!!") && p.matches("aB3"));
        assert!(!p.matches("") && !p.matches("A") && !p.matches("1a"));

        // ^[a-z]{1,3}: a longer run still has a matching prefix.
        static BOUNDED: [Piece; 1] = [Piece::new(LOWER, 1, 3)];
        let p = SimplePattern::new(&BOUNDED, false);
        assert!(p.matches("a") && p.matches("abcd") && p.matches("abcdé"));
        assert!(!p.matches("") && !p.matches("1abc") && !p.matches("éa"));
    }

    #[test]
    fn a_variable_piece_before_fixed_ones_takes_what_they_leave() {
        // ^[a-z][-a-z0-9]{0,3}[a-z0-9]$: the middle overlaps the end.
        static PIECES: [Piece; 3] = [
            Piece::new(LOWER, 1, 1),
            Piece::new(LOWER_DIGIT_DASH, 0, 3),
            Piece::new(LOWER_DIGIT, 1, 1),
        ];
        let p = SimplePattern::new(&PIECES, true);
        for good in ["ab", "a9", "a-b", "a--9", "a---9"] {
            assert!(p.matches(good), "{good}");
        }
        for bad in ["a", "a-", "a----9", "1ab", "a-b-", "aé9", "a-\u{e9}"] {
            assert!(!p.matches(bad), "{bad}");
        }
    }

    #[test]
    fn a_variable_piece_before_a_disjoint_one_is_greedy() {
        // ^[a-z0-9]{1,4}/[a-z]+[=]{0,2}$
        static PIECES: [Piece; 4] = [
            Piece::new(LOWER_DIGIT, 1, 4),
            Piece::new(&[('/', '/')], 1, 1),
            Piece::new(LOWER, 1, u32::MAX),
            Piece::new(&[('=', '=')], 0, 2),
        ];
        let p = SimplePattern::new(&PIECES, true);
        for good in ["a/b", "a1b2/xyz", "ab/c=", "ab/c==", "0/z"] {
            assert!(p.matches(good), "{good}");
        }
        for bad in ["/b", "abcde/x", "a/", "a/b===", "a/b=c", "a/1", "a/bé"] {
            assert!(!p.matches(bad), "{bad}");
        }
    }

    #[test]
    fn text_beyond_ascii_takes_the_char_path() {
        static PIECES: [Piece; 2] = [
            Piece::new(&[('a', 'z'), ('é', 'é')], 2, 2),
            Piece::new(&[('0', '9'), ('€', '€')], 0, 2),
        ];
        let p = SimplePattern::new(&PIECES, true);
        for good in ["éa", "ab€", "éé1€", "ab"] {
            assert!(p.matches(good), "{good}");
        }
        for bad in ["é", "aé€€€", "ab1€1", "a€"] {
            assert!(!p.matches(bad), "{bad}");
        }
        // ^[é]{1,3}-[a-z€]{0,2}[a-z]$ on text beyond ASCII.
        static MORE: [Piece; 4] = [
            Piece::new(&[('é', 'é')], 1, 3),
            Piece::new(DASH, 1, 1),
            Piece::new(&[('a', 'z'), ('€', '€')], 0, 2),
            Piece::new(LOWER, 1, 1),
        ];
        let p = SimplePattern::new(&MORE, true);
        for good in ["é-a", "ééé-€€a", "é-€a"] {
            assert!(p.matches(good), "{good}");
        }
        for bad in ["éééé-a", "é-€", "é-€€€a", "-a", "é-a€"] {
            assert!(!p.matches(bad), "{bad}");
        }
    }

    #[test]
    fn an_empty_pattern() {
        assert!(SimplePattern::new(&[], true).matches(""));
        assert!(!SimplePattern::new(&[], true).matches("x"));
        assert!(SimplePattern::new(&[], false).matches("x"));
    }

    #[test]
    fn any_of_several() {
        // ^(https?://|git@)
        static HTTP: [Piece; 3] = [
            Piece::new(&[('h', 'h')], 1, 1),
            Piece::new(&[('s', 's')], 0, 1),
            Piece::new(&[(':', ':')], 1, 1),
        ];
        static GIT: [Piece; 1] = [Piece::new(&[('@', '@')], 1, 1)];
        static ANY: [SimplePattern; 2] = [
            SimplePattern::new(&HTTP, false),
            SimplePattern::new(&GIT, false),
        ];
        let p = AnyPattern::new(&ANY);
        for good in ["h:", "hs:x", "@", "@@"] {
            assert!(p.matches(good), "{good}");
        }
        for bad in ["", "hss:", "x@", "h"] {
            assert!(!p.matches(bad), "{bad}");
        }
        assert!(p.find("@").is_some() && p.find("").is_none());
    }

    #[test]
    #[should_panic(expected = "backtracking")]
    fn a_pattern_that_would_need_backtracking_is_refused() {
        // ^[a-z]*[a-z0-9]x$: the first run may have to give characters back.
        static PIECES: [Piece; 3] = [
            Piece::new(LOWER, 0, u32::MAX),
            Piece::new(LOWER_DIGIT, 1, u32::MAX),
            Piece::new(&[('x', 'x')], 1, 1),
        ];
        let _ = SimplePattern::new(&PIECES, true);
    }
}
