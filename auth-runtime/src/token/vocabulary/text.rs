//! Words for the vocabulary's messages, in `const fn`s so the attribute's checks can write
//! them during constant evaluation: a fixed-size [`Message`], "did you mean" by edit
//! distance, the names of JSON types.

use super::ClaimType;

/// The longest message; a longer one ends with `…`.
const CAPACITY: usize = 1024;
/// Names longer than this get no suggestion (the distance table is fixed-size).
const LONGEST: usize = 64;

/// A message written during constant evaluation.
pub struct Message {
    buf: [u8; CAPACITY],
    len: usize,
    full: bool,
}

impl Message {
    pub(crate) const fn new() -> Self {
        Self {
            buf: [0; CAPACITY],
            len: 0,
            full: false,
        }
    }

    /// The message as text.
    pub const fn as_str(&self) -> &str {
        match core::str::from_utf8(self.buf.split_at(self.len).0) {
            Ok(s) => s,
            Err(_) => "the vocabulary refused this name",
        }
    }

    /// Appends `s`; past the capacity, the message ends with `…` on a character boundary.
    pub(crate) const fn push(mut self, s: &str) -> Self {
        const ELLIPSIS: &[u8] = "…".as_bytes();
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() && !self.full {
            let starts_char = bytes[i] & 0xC0 != 0x80;
            if starts_char && self.len + 4 + ELLIPSIS.len() > CAPACITY {
                let mut j = 0;
                while j < ELLIPSIS.len() {
                    self.buf[self.len] = ELLIPSIS[j];
                    self.len += 1;
                    j += 1;
                }
                self.full = true;
            } else {
                self.buf[self.len] = bytes[i];
                self.len += 1;
            }
            i += 1;
        }
        self
    }

    /// Appends `` `name` ``, or `` `"name"` `` when `quoted`.
    pub(crate) const fn name(self, name: &str, quoted: bool) -> Self {
        if quoted {
            self.push("`\"").push(name).push("\"`")
        } else {
            self.push("`").push(name).push("`")
        }
    }

    /// Appends the names, comma-separated, or `none` when there are none.
    pub(crate) const fn names(mut self, names: &[&str], quoted: bool) -> Self {
        if names.is_empty() {
            return self.push("none");
        }
        let mut i = 0;
        while i < names.len() {
            if i > 0 {
                self = self.push(", ");
            }
            self = self.name(names[i], quoted);
            i += 1;
        }
        self
    }

    /// Appends ` (did you mean `x`?)` when a candidate is a likely typo of `input`.
    pub(crate) const fn hint(self, input: &str, candidates: &[&str], quoted: bool) -> Self {
        match closest(input, candidates) {
            Some(c) => self.push(" (did you mean ").name(c, quoted).push("?)"),
            None => self,
        }
    }
}

/// Byte-wise equality, for `const fn`s.
pub(crate) const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `names` holds `name`.
pub(crate) const fn contains(names: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < names.len() {
        if eq(names[i], name) {
            return true;
        }
        i += 1;
    }
    false
}

/// The candidate closest to `input`, if close enough to be a likely typo: at most a third
/// of its length in edits (one at least), as the attribute's own suggestions.
pub(crate) const fn closest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<&'a str> = None;
    let mut best_distance = usize::MAX;
    let mut i = 0;
    while i < candidates.len() {
        let c = candidates[i];
        if let Some(d) = distance(input.as_bytes(), c.as_bytes()) {
            let limit = if c.len() / 3 > 1 { c.len() / 3 } else { 1 };
            if d > 0 && d <= limit && d < best_distance {
                best = Some(c);
                best_distance = d;
            }
        }
        i += 1;
    }
    best
}

/// Levenshtein distance counting a swap of neighbours as one edit (optimal string
/// alignment), on bytes; `None` for names longer than [`LONGEST`].
const fn distance(a: &[u8], b: &[u8]) -> Option<usize> {
    if a.len() > LONGEST || b.len() > LONGEST {
        return None;
    }
    let mut before = [0usize; LONGEST + 1];
    let mut previous = [0usize; LONGEST + 1];
    let mut current = [0usize; LONGEST + 1];
    let mut j = 0;
    while j <= b.len() {
        previous[j] = j;
        j += 1;
    }
    let mut i = 1;
    while i <= a.len() {
        current[0] = i;
        let mut j = 1;
        while j <= b.len() {
            let cost = if a[i - 1] == b[j - 1] { 0 } else { 1 };
            let mut best = min(
                min(previous[j] + 1, current[j - 1] + 1),
                previous[j - 1] + cost,
            );
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = min(best, before[j - 2] + 1);
            }
            current[j] = best;
            j += 1;
        }
        before = previous;
        previous = current;
        i += 1;
    }
    Some(previous[b.len()])
}

const fn min(a: usize, b: usize) -> usize {
    if a < b { a } else { b }
}

/// `a string`, `an integer`, `an array`...
pub(crate) const fn type_name(ty: &ClaimType) -> &'static str {
    match ty {
        ClaimType::String => "a string",
        ClaimType::Integer => "an integer",
        ClaimType::Number => "a number",
        ClaimType::Bool => "a bool",
        ClaimType::Array(_) => "an array",
        ClaimType::Map(_) => "a map",
        ClaimType::Any => "any JSON value",
    }
}

/// ` of strings`, ` of integers`...: what an array of `item` holds.
pub(crate) const fn item_name(item: &ClaimType) -> &'static str {
    match item {
        ClaimType::String => " of strings",
        ClaimType::Integer => " of integers",
        ClaimType::Number => " of numbers",
        ClaimType::Bool => " of bools",
        ClaimType::Array(_) => " of arrays",
        ClaimType::Map(_) => " of maps",
        ClaimType::Any => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_follow_the_attributes_rule() {
        let scopes = ["users:read", "users:write", "admin"];
        assert_eq!(closest("users:raed", &scopes), Some("users:read"));
        assert_eq!(closest("admn", &scopes), Some("admin"));
        assert_eq!(closest("billing", &scopes), None);
        assert_eq!(closest("admin", &scopes), None);
        assert_eq!(closest(&"x".repeat(100), &scopes), None);
    }

    #[test]
    fn messages_list_names_and_stop_at_their_capacity() {
        let m = Message::new()
            .push("expected ")
            .names(&["a", "b"], true)
            .hint("c", &["a"], false);
        assert_eq!(m.as_str(), "expected `\"a\"`, `\"b\"` (did you mean `a`?)");
        let long = "é".repeat(CAPACITY);
        let m = Message::new().push(&long);
        assert!(m.as_str().ends_with('…') && m.as_str().len() <= CAPACITY);
        assert_eq!(Message::new().names(&[], false).as_str(), "none");
    }
}
