//! A linear-time matcher for the simple patterns most schemas use.
//!
//! Nearly every `pattern` in Taskcluster's schemas is an anchored sequence
//! of character classes with fixed repetition counts, where only the last
//! class may repeat a variable number of times (`^[a-zA-Z0-9-_]{1,38}$`,
//! slugids, `^([a-zA-Z0-9-_]*)$`). Such a pattern needs no backtracking: one
//! pass over the characters decides it. tc-codegen compiles those patterns
//! into a [`SimplePattern`] (and leaves the others to `regress`), because
//! checking them is a large share of decoding a response: a task definition
//! holds a dozen constrained strings.

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
}

/// An anchored pattern: a sequence of [`Piece`]s, all of fixed count except
/// possibly the last, optionally anchored at the end too.
#[derive(Debug, Clone, Copy)]
pub struct SimplePattern {
    pieces: &'static [Piece],
    anchored_end: bool,
}

impl SimplePattern {
    /// `^pieces` (followed by `$` when `anchored_end`).
    pub const fn new(pieces: &'static [Piece], anchored_end: bool) -> SimplePattern {
        SimplePattern {
            pieces,
            anchored_end,
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

    /// [`matches`](Self::matches) for ASCII text: one byte, one character.
    fn matches_ascii(&self, bytes: &[u8]) -> bool {
        // Only called on ASCII bytes: `& 127` changes nothing but spares
        // the bounds check.
        let in_class = |piece: &Piece, b: u8| piece.ascii[usize::from(b & 127)];
        let Some((last, fixed)) = self.pieces.split_last() else {
            return !self.anchored_end || bytes.is_empty();
        };
        let mut at = 0;
        for piece in fixed {
            let end = at + piece.min as usize;
            let Some(run) = bytes.get(at..end) else {
                return false;
            };
            if !run.iter().all(|&b| in_class(piece, b)) {
                return false;
            }
            at = end;
        }
        let rest = &bytes[at..];
        let min = last.min as usize;
        if !self.anchored_end {
            return rest.len() >= min && rest[..min].iter().all(|&b| in_class(last, b));
        }
        rest.len() >= min
            && rest.len() <= last.max as usize
            && rest.iter().all(|&b| in_class(last, b))
    }

    /// [`matches`](Self::matches) for any text, one `char` at a time.
    fn matches_chars(&self, value: &str) -> bool {
        let mut chars = value.chars();
        let Some((last, fixed)) = self.pieces.split_last() else {
            return !self.anchored_end || value.is_empty();
        };
        for piece in fixed {
            for _ in 0..piece.min {
                match chars.next() {
                    Some(c) if piece.contains(c) => {}
                    _ => return false,
                }
            }
        }
        let mut count: u32 = 0;
        if !self.anchored_end {
            // Any prefix will do: the shortest one the last piece allows.
            while count < last.min {
                match chars.next() {
                    Some(c) if last.contains(c) => count += 1,
                    _ => return false,
                }
            }
            return true;
        }
        for c in chars {
            if !last.contains(c) || count == last.max {
                return false;
            }
            count += 1;
        }
        count >= last.min
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALNUM: &[(char, char)] = &[('a', 'z'), ('A', 'Z'), ('0', '9')];
    const DASH: &[(char, char)] = &[('-', '-')];

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
        static PIECES: [Piece; 2] = [
            Piece::new(&[('a', 'z')], 1, 1),
            Piece::new(ALNUM, 0, u32::MAX),
        ];
        let p = SimplePattern::new(&PIECES, false);
        assert!(p.matches("a") && p.matches("a!!") && p.matches("aB3"));
        assert!(!p.matches("") && !p.matches("A") && !p.matches("1a"));
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
    }

    #[test]
    fn an_empty_pattern() {
        assert!(SimplePattern::new(&[], true).matches(""));
        assert!(!SimplePattern::new(&[], true).matches("x"));
        assert!(SimplePattern::new(&[], false).matches("x"));
    }
}
