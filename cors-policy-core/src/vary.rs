//! Merging `Vary` into an existing value.
//!
//! A CORS layer must add `Origin` (and, for preflights, the request headers it read) to
//! the application's `Vary`, never replace it: dropping the application's names would
//! let a shared cache serve one user's variant to another.

use std::borrow::Cow;

/// Merges the names `add` into an existing `Vary` value.
///
/// Names are compared case-insensitively (ignoring optional whitespace) and never
/// duplicated; a `*` (in `existing` or in `add`) makes the result `*`, which already
/// covers every name. The result borrows `existing` when nothing changes; with no
/// existing value it is the names joined with `", "` (empty when `add` is empty, meaning
/// no `Vary` header is needed).
///
/// ```
/// use cors_policy_core::vary::merge;
///
/// assert_eq!(&*merge(Some(b"Accept-Encoding"), &["Origin"]), b"Accept-Encoding, Origin");
/// assert_eq!(&*merge(Some(b"origin"), &["Origin"]), b"origin");
/// assert_eq!(&*merge(Some(b"*"), &["Origin"]), b"*");
/// assert_eq!(&*merge(None, &["Origin"]), b"Origin");
/// ```
pub fn merge<'a>(existing: Option<&'a [u8]>, add: &[&str]) -> Cow<'a, [u8]> {
    let existing = existing.unwrap_or_default();
    if !has_star(existing) && add.iter().any(|name| name.trim() == "*") {
        return Cow::Borrowed(b"*");
    }
    match merge_lines(|| [existing], add) {
        Some(merged) => Cow::Owned(merged),
        None => Cow::Borrowed(existing),
    }
}

/// Merges the names `add` into a response's `Vary`, given as all its header lines
/// (a response may carry several `Vary` lines, which mean one comma list): `lines`
/// iterates them, and is called once per pass over them (no copy is made).
///
/// Returns `None` when the lines already cover every name (or hold a `*`): leave them
/// as they are, with no allocation. Otherwise returns the one value that replaces
/// every line: the existing items in order, then the missing names (or `*` when `add`
/// holds one). With no existing line the result is `add` joined with `", "`.
///
/// ```
/// use cors_policy_core::vary::merge_lines;
///
/// let lines: [&[u8]; 2] = [b"Accept-Encoding", b"accept-language, "];
/// let merged = merge_lines(|| lines, &["Origin"]).unwrap();
/// assert_eq!(merged, b"Accept-Encoding, accept-language, Origin");
/// let lines: [&[u8]; 2] = [b"Accept-Encoding", b"origin"];
/// assert_eq!(merge_lines(|| lines, &["Origin"]), None);
/// ```
pub fn merge_lines<'a, F, I>(lines: F, add: &[&str]) -> Option<Vec<u8>>
where
    F: Fn() -> I,
    I: IntoIterator<Item = &'a [u8]>,
{
    let present = |name: &[u8]| {
        lines()
            .into_iter()
            .any(|line| items(line).any(|item| item.eq_ignore_ascii_case(name)))
    };
    if lines().into_iter().any(has_star) {
        return None;
    }
    // A name is missing when no line has it and it does not occur earlier in `add`.
    let missing = |i: usize, name: &[u8]| {
        !name.is_empty()
            && !add[..i]
                .iter()
                .any(|n| n.trim().as_bytes().eq_ignore_ascii_case(name))
            && !present(name)
    };
    let star = add.iter().any(|name| name.trim() == "*");
    let mut any_missing = add
        .iter()
        .enumerate()
        .filter(|&(i, name)| missing(i, name.trim().as_bytes()));
    any_missing.next()?;
    if star {
        return Some(b"*".to_vec());
    }
    // The existing items, then the missing names, joined with ", ".
    let pieces = |emit: &mut dyn FnMut(&[u8])| {
        for line in lines() {
            emit(trim_end_list(line));
        }
        for (i, name) in add.iter().enumerate() {
            let name = name.trim().as_bytes();
            if missing(i, name) {
                emit(name);
            }
        }
    };
    // Sized exactly, so that a caller can hand the buffer to `bytes::Bytes` as it is.
    let mut len = 0;
    pieces(&mut |piece| {
        if !piece.is_empty() {
            len += piece.len() + if len == 0 { 0 } else { 2 };
        }
    });
    let mut out = Vec::with_capacity(len);
    pieces(&mut |piece| {
        if !piece.is_empty() {
            if !out.is_empty() {
                out.extend_from_slice(b", ");
            }
            out.extend_from_slice(piece);
        }
    });
    Some(out)
}

/// Whether a `Vary` value holds `*`.
fn has_star(value: &[u8]) -> bool {
    items(value).any(|item| item == b"*")
}

/// The non-empty items of a comma list, trimmed.
fn items(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.split(|&b| b == b',')
        .map(crate::engine::trim_ows)
        .filter(|i| !i.is_empty())
}

/// `s` without trailing whitespace and commas, so appending `", name"` stays clean.
fn trim_end_list(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., b' ' | b'\t' | b','] = s {
        s = rest;
    }
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(existing: Option<&str>, add: &[&str]) -> (String, bool) {
        let out = merge(existing.map(str::as_bytes), add);
        let borrowed = matches!(out, Cow::Borrowed(_));
        (String::from_utf8(out.into_owned()).unwrap(), borrowed)
    }

    #[test]
    fn appends_missing_names_in_order() {
        assert_eq!(
            m(
                Some("Accept-Encoding"),
                &["Origin", "Access-Control-Request-Method"]
            ),
            (
                "Accept-Encoding, Origin, Access-Control-Request-Method".into(),
                false
            )
        );
        assert_eq!(m(None, &["Origin", "X"]), ("Origin, X".into(), false));
        assert_eq!(m(Some(""), &["Origin"]), ("Origin".into(), false));
        assert_eq!(m(Some("a, "), &["Origin"]), ("a, Origin".into(), false));
    }

    #[test]
    fn never_duplicates_case_insensitively() {
        assert_eq!(m(Some("ORIGIN"), &["Origin"]), ("ORIGIN".into(), true));
        assert_eq!(
            m(Some("accept , origin"), &["Origin", "Accept"]),
            ("accept , origin".into(), true)
        );
        assert_eq!(
            m(Some("accept"), &["Origin", "origin"]),
            ("accept, Origin".into(), false)
        );
    }

    #[test]
    fn star_stays_star() {
        assert_eq!(m(Some("*"), &["Origin"]), ("*".into(), true));
        assert_eq!(
            m(Some("accept, *"), &["Origin"]),
            ("accept, *".into(), true)
        );
        assert_eq!(m(Some("accept"), &["*"]), ("*".into(), true));
    }

    fn lines(existing: &[&str], add: &[&str]) -> Option<String> {
        merge_lines(|| existing.iter().map(|l| l.as_bytes()), add)
            .map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn merges_across_every_line() {
        // Origin on the second line: nothing to do.
        assert_eq!(lines(&["Accept-Encoding", " origin "], &["Origin"]), None);
        assert_eq!(lines(&["Accept", "*"], &["Origin"]), None);
        assert_eq!(
            lines(&["Accept-Encoding", "", "X-A, "], &["Origin"]),
            Some("Accept-Encoding, X-A, Origin".into())
        );
        assert_eq!(
            lines(
                &["a", "Origin"],
                &["Origin", "Access-Control-Request-Method"]
            ),
            Some("a, Origin, Access-Control-Request-Method".into())
        );
        assert_eq!(lines(&[], &["Origin"]), Some("Origin".into()));
        assert_eq!(lines(&["a", "b"], &["*"]), Some("*".into()));
        assert_eq!(lines(&["a"], &[]), None);
    }

    #[test]
    fn nothing_to_add_borrows() {
        assert_eq!(m(Some("Accept"), &[]), ("Accept".into(), true));
        assert_eq!(m(None, &[]), (String::new(), true));
    }
}
