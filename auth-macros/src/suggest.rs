//! "did you mean" for near misses.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(input, c), *c))
        .filter(|(d, c)| *d > 0 && *d <= (c.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A message suffix: ` (did you mean `x`?)`, or nothing.
pub(crate) fn hint(input: &str, candidates: &[&str], quote: bool) -> String {
    match did_you_mean(input, candidates) {
        Some(c) if quote => format!(" (did you mean `\"{c}\"`?)"),
        Some(c) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

/// Levenshtein distance, counting a swap of two neighbours as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Names as a message lists them: `` `a`, `b`, `c` ``.
pub(crate) fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A string as the user wrote it, quotes and escapes included.
pub(crate) fn quote_str(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_suggested() {
        assert_eq!(
            did_you_mean("refesh", &["auth", "refresh"]),
            Some("refresh")
        );
        assert_eq!(did_you_mean("fersh", &["fresh", "optional"]), Some("fresh"));
        assert_eq!(
            did_you_mean("cookies", &["header", "cookie", "query"]),
            Some("cookie")
        );
        assert_eq!(did_you_mean("scop", &["scope", "claims"]), Some("scope"));
    }

    #[test]
    fn far_words_and_exact_matches_are_not() {
        assert_eq!(did_you_mean("bearer", &["auth", "refresh"]), None);
        assert_eq!(did_you_mean("kind", &["kind"]), None);
        assert_eq!(hint("zzz", &["kind"], false), "");
    }
}
