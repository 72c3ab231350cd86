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
/// use cors_policy::vary::merge;
///
/// assert_eq!(&*merge(Some(b"Accept-Encoding"), &["Origin"]), b"Accept-Encoding, Origin");
/// assert_eq!(&*merge(Some(b"origin"), &["Origin"]), b"origin");
/// assert_eq!(&*merge(Some(b"*"), &["Origin"]), b"*");
/// assert_eq!(&*merge(None, &["Origin"]), b"Origin");
/// ```
pub fn merge<'a>(existing: Option<&'a [u8]>, add: &[&str]) -> Cow<'a, [u8]> {
    let existing = existing.unwrap_or_default();
    let has_star = |s: &[u8]| items(s).any(|item| item == b"*");
    if has_star(existing) {
        return Cow::Borrowed(existing);
    }
    if add.iter().any(|name| name.trim() == "*") {
        return Cow::Borrowed(b"*");
    }
    let mut out: Option<Vec<u8>> = None;
    for (i, name) in add.iter().enumerate() {
        let name = name.trim().as_bytes();
        if name.is_empty() {
            continue;
        }
        let present = |s: &[u8]| items(s).any(|item| item.eq_ignore_ascii_case(name));
        // Skip a name already in the value or earlier in `add`.
        let earlier = add[..i]
            .iter()
            .any(|n| n.trim().as_bytes().eq_ignore_ascii_case(name));
        if earlier || present(existing) {
            continue;
        }
        let buf = out.get_or_insert_with(|| {
            let trimmed = trim_end_list(existing);
            let mut v = Vec::with_capacity(trimmed.len() + 64);
            v.extend_from_slice(trimmed);
            v
        });
        if !buf.is_empty() {
            buf.extend_from_slice(b", ");
        }
        buf.extend_from_slice(name);
    }
    match out {
        Some(v) => Cow::Owned(v),
        None => Cow::Borrowed(existing),
    }
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

    #[test]
    fn nothing_to_add_borrows() {
        assert_eq!(m(Some("Accept"), &[]), ("Accept".into(), true));
        assert_eq!(m(None, &[]), (String::new(), true));
    }
}
