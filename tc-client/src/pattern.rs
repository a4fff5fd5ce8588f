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
            let by_length = anchored_end && i + 1 >= fixed_tail;
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
            self.matches_ascii(value.as_bytes())
        } else {
            self.matches_chars(value)
        }
    }

    /// Whether the piece at `index` is decided by length (see [`new`](Self::new)).
    fn by_length(&self, index: usize) -> bool {
        self.anchored_end && index + 1 >= self.fixed_tail
    }

    /// [`matches`](Self::matches) for ASCII text: one byte, one character.
    fn matches_ascii(&self, bytes: &[u8]) -> bool {
        let mut at = 0;
        for (index, piece) in self.pieces.iter().enumerate() {
            let rest = &bytes[at..];
            let count = if piece.is_fixed() {
                piece.min as usize
            } else if self.by_length(index) {
                // What the fixed pieces after this one leave.
                match rest.len().checked_sub(self.fixed_tail_len) {
                    Some(count) if count <= piece.max as usize => count,
                    _ => return false,
                }
            } else {
                rest.iter()
                    .take(piece.max as usize)
                    .take_while(|&&b| piece.contains_ascii(b))
                    .count()
            };
            if count < piece.min as usize {
                return false;
            }
            let Some(run) = rest.get(..count) else {
                return false;
            };
            if !run.iter().all(|&b| piece.contains_ascii(b)) {
                return false;
            }
            at += count;
        }
        !self.anchored_end || at == bytes.len()
    }

    /// [`matches`](Self::matches) for any text, one `char` at a time.
    fn matches_chars(&self, value: &str) -> bool {
        let mut chars = value.chars().peekable();
        let mut left = value.chars().count();
        for (index, piece) in self.pieces.iter().enumerate() {
            let count = if piece.is_fixed() {
                piece.min as usize
            } else if self.by_length(index) {
                match left.checked_sub(self.fixed_tail_len) {
                    Some(count) if count <= piece.max as usize => count,
                    _ => return false,
                }
            } else {
                let mut count = 0usize;
                while count < piece.max as usize && chars.next_if(|&c| piece.contains(c)).is_some()
                {
                    count += 1;
                }
                if count < piece.min as usize {
                    return false;
                }
                left -= count;
                continue;
            };
            if count < piece.min as usize || count > left {
                return false;
            }
            for _ in 0..count {
                match chars.next() {
                    Some(c) if piece.contains(c) => {}
                    _ => return false,
                }
            }
            left -= count;
        }
        !self.anchored_end || left == 0
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
