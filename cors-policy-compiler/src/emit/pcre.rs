//! PCRE text for nginx and Apache, printed from typed values, never pasted from a
//! policy.
//!
//! Both servers match with PCRE, whose defaults differ from regex-automata's in ways
//! that change what a regex accepts: `$` also matches before a final newline, `.`,
//! `\d`, `\w` and `\b` depend on compile flags (UTF, UCP, DOTALL), and Apache turns on
//! `DOTALL` by default. So nothing here relies on them:
//!
//! - every byte is printed as itself only when it is an ASCII letter or digit (or one
//!   of `/ : _`, which mean nothing in PCRE or in either server's quoting); `.` and `-`
//!   as `\.` and `\-`; anything else as `\xHH`. No `"`, `\\`, `$`, `{` or `;` ever
//!   reaches a config file, so no quoting rule of nginx (`\t`, `\n`, `$var`) or Apache
//!   (`${VAR}`) can change the pattern;
//! - classes are explicit byte ranges, case-sensitive;
//! - anchors are `\A` and `\z`; look-arounds replace `\b` and the multi-line anchors;
//! - a regex origin is printed from the syntax tree it was proved on
//!   ([`crate::regex_proof::parse`]), with capture groups made non-capturing.
//!
//! Whether a pattern means the same in PCRE as in the engine is tested on real nginx
//! and Apache (the `proxies` tests of `cors-policy-tests`), not argued here.

use std::fmt::Write as _;

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::EmitError;
use crate::model::{HostPattern, OriginPattern, PortPattern};
use crate::table::default_port;

/// PCRE's largest repetition count.
const MAX_REPEAT: u32 = 65_535;

/// The longest `Origin` the engine considers (`engine::limits::MAX_ORIGIN_LEN`).
pub(crate) const MAX_ORIGIN_LEN: usize = cors_policy_core::engine::limits::MAX_ORIGIN_LEN;

/// Every request an allowed `Origin` must pass first, as the engine checks it: 1 to
/// [`MAX_ORIGIN_LEN`] visible ASCII bytes, and not `null`. A look-ahead, so it can
/// prefix any origin pattern.
pub(crate) fn origin_gate() -> String {
    format!(r"(?=[\x21-\x7e]{{1,{MAX_ORIGIN_LEN}}}\z)(?!null\z)")
}

/// One byte outside a class.
pub(crate) fn byte(out: &mut String, b: u8) {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b':' | b'_' => out.push(b as char),
        b'.' => out.push_str(r"\."),
        b'-' => out.push_str(r"\-"),
        _ => {
            let _ = write!(out, r"\x{b:02x}");
        }
    }
}

/// A literal string.
pub(crate) fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for b in text.bytes() {
        byte(&mut out, b);
    }
    out
}

/// A literal matched without regard to ASCII case, spelled out as classes (`[Xx]`)
/// rather than with `(?i)`, whose meaning depends on PCRE's UTF and UCP flags.
pub(crate) fn literal_ignore_case(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphabetic() {
            let _ = write!(
                out,
                "[{}{}]",
                b.to_ascii_uppercase() as char,
                b.to_ascii_lowercase() as char
            );
        } else {
            byte(&mut out, b);
        }
    }
    out
}

/// One byte inside a class: letters and digits as themselves, the rest as `\xHH`.
fn class_byte(out: &mut String, b: u8) {
    if b.is_ascii_alphanumeric() {
        out.push(b as char);
    } else {
        let _ = write!(out, r"\x{b:02x}");
    }
}

/// A class of byte ranges; `(?!)` (never matches) when empty.
fn class(out: &mut String, ranges: &[(u8, u8)]) {
    match ranges {
        [] => out.push_str("(?!)"),
        [(a, b)] if a == b => byte(out, *a),
        _ => {
            out.push('[');
            for &(a, b) in ranges {
                class_byte(out, a);
                if b > a {
                    if b > a + 1 {
                        out.push('-');
                    }
                    class_byte(out, b);
                }
            }
            out.push(']');
        }
    }
}

/// An HTTP token character (RFC 9110 `tchar`).
pub(crate) const TCHAR: &str = r"[\x21\x23-\x27\x2a\x2b\x2d\x2e0-9A-Z\x5e-\x7a\x7c\x7e]";

/// Bytes of a `*.` label as the engine accepts them: `a-z`, `0-9`, `-` and `_`.
const LABEL: &str = r"[0-9a-z\x2d\x5f]++";

/// A port as browsers serialize it (1 to 65535, no leading zero), except `default`.
fn port(default: Option<u16>) -> String {
    let range = "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(?![0-9])";
    match default {
        Some(d) => format!("(?!{d}(?![0-9])){range}"),
        None => range.to_owned(),
    }
}

/// An `*.`/`:*` (or exact) origin pattern, as the engine matches it; no anchors.
pub(crate) fn origin_pattern(p: &OriginPattern) -> String {
    let mut out = literal(&p.scheme);
    out.push_str("://");
    match &p.host {
        HostPattern::Exact(host) => out.push_str(&literal(host)),
        HostPattern::Subdomains(parent) => {
            // The engine matches `*.parent` only when the whole host is labels of
            // `a-z0-9-_`; a parent that is not (none passes validation) matches nothing.
            let dns = parent.split('.').all(|l| {
                !l.is_empty()
                    && l.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                    })
            });
            if !dns {
                return "(?!)".to_owned();
            }
            let _ = write!(out, r"(?:{LABEL}\.)+{}", literal(parent));
        }
    }
    match p.port {
        PortPattern::Default => {}
        PortPattern::Exact(n) => {
            let _ = write!(out, ":{n}");
        }
        PortPattern::Any => {
            let _ = write!(out, "(?::{})?", port(default_port(p.scheme.as_bytes())));
        }
    }
    out
}

/// A set of strings as a prefix trie (`https://(?:a\.com|b\.com)` shares
/// `https://`), so PCRE's work per subject is about its length, not the set's size.
/// No anchors; the strings must be distinct.
pub(crate) fn trie(strings: &[&str]) -> String {
    let mut sorted: Vec<&[u8]> = strings.iter().map(|s| s.as_bytes()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = String::new();
    trie_node(&mut out, &sorted, 0);
    out
}

/// Prints the strings of `set` (sorted, sharing their first `depth` bytes) from
/// `depth` on.
fn trie_node(out: &mut String, set: &[&[u8]], depth: usize) {
    // The strings that end here, and groups of the rest by their next byte.
    let ends = set.first().is_some_and(|s| s.len() == depth);
    let rest = if ends { &set[1..] } else { set };
    let mut groups: Vec<&[&[u8]]> = Vec::new();
    let mut start = 0;
    for i in 1..=rest.len() {
        if i == rest.len() || rest[i][depth] != rest[start][depth] {
            groups.push(&rest[start..i]);
            start = i;
        }
    }
    if groups.is_empty() {
        // Only the string that ends here.
        return;
    }
    if groups.len() == 1 && !ends {
        let group = groups[0];
        // Follow the common prefix of the whole group.
        let common = common_prefix(group, depth);
        for &b in &group[0][depth..common] {
            byte(out, b);
        }
        trie_node(out, group, common);
        return;
    }
    out.push_str("(?:");
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        let common = common_prefix(group, depth);
        for &b in &group[0][depth..common] {
            byte(out, b);
        }
        trie_node(out, group, common);
    }
    if ends {
        // The empty branch last: it only matches when nothing longer does.
        out.push('|');
    }
    out.push(')');
}

/// How many bytes all strings of a (sorted) group share; at least `depth + 1`.
fn common_prefix(group: &[&[u8]], depth: usize) -> usize {
    let (first, last) = (group[0], group[group.len() - 1]);
    let mut n = depth;
    while n < first.len() && n < last.len() && first[n] == last[n] {
        n += 1;
    }
    n
}

/// A regex origin, printed from its syntax tree; no anchors of its own beyond those
/// in the tree (the caller wraps it in `\A...\z`).
pub(crate) fn regex(hir: &Hir) -> Result<String, EmitError> {
    let mut out = String::new();
    print(&mut out, hir)?;
    Ok(out)
}

/// Word bytes for `\b` in ASCII mode: `[0-9A-Za-z_]`.
const WORD: &str = "[0-9A-Z_a-z]";

fn look(out: &mut String, look: Look) -> Result<(), EmitError> {
    let w = WORD;
    let text = match look {
        Look::Start => r"\A".to_owned(),
        Look::End => r"\z".to_owned(),
        Look::StartLF => r"(?:\A|(?<=\x0a))".to_owned(),
        Look::EndLF => r"(?:\z|(?=\x0a))".to_owned(),
        Look::StartCRLF => r"(?:\A|(?<=\x0a)|(?<=\x0d)(?!\x0a))".to_owned(),
        Look::EndCRLF => r"(?:\z|(?=\x0d)|(?<!\x0d)(?=\x0a))".to_owned(),
        Look::WordAscii => format!("(?:(?<={w})(?!{w})|(?<!{w})(?={w}))"),
        Look::WordAsciiNegate => format!("(?:(?<={w})(?={w})|(?<!{w})(?!{w}))"),
        Look::WordStartAscii => format!("(?<!{w})(?={w})"),
        Look::WordEndAscii => format!("(?<={w})(?!{w})"),
        Look::WordStartHalfAscii => format!("(?<!{w})"),
        Look::WordEndHalfAscii => format!("(?!{w})"),
        other => {
            // Unicode word boundaries need Unicode mode, which regex origins never use.
            return Err(EmitError::Unsupported(format!("the assertion {other:?}")));
        }
    };
    out.push_str(&text);
    Ok(())
}

fn print(out: &mut String, hir: &Hir) -> Result<(), EmitError> {
    match hir.kind() {
        HirKind::Empty => {}
        HirKind::Literal(lit) => {
            for &b in lit.0.iter() {
                byte(out, b);
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let ranges: Vec<(u8, u8)> = c.ranges().iter().map(|r| (r.start(), r.end())).collect();
            class(out, &ranges);
        }
        HirKind::Class(Class::Unicode(c)) => {
            // Only reachable for ASCII-only classes; anything wider is refused.
            let mut ranges = Vec::new();
            for r in c.ranges() {
                let (a, b) = (u32::from(r.start()), u32::from(r.end()));
                if b > 0x7f {
                    return Err(EmitError::Unsupported("a non-ASCII class".to_owned()));
                }
                ranges.push((a as u8, b as u8));
            }
            class(out, &ranges);
        }
        HirKind::Look(l) => look(out, *l)?,
        HirKind::Repetition(rep) => {
            if rep.min > MAX_REPEAT || rep.max.is_some_and(|m| m > MAX_REPEAT) {
                return Err(EmitError::Unsupported(format!(
                    "a repetition count over {MAX_REPEAT}"
                )));
            }
            out.push_str("(?:");
            print(out, &rep.sub)?;
            out.push(')');
            match (rep.min, rep.max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (n, None) => {
                    let _ = write!(out, "{{{n},}}");
                }
                (n, Some(m)) if n == m => {
                    let _ = write!(out, "{{{n}}}");
                }
                (n, Some(m)) => {
                    let _ = write!(out, "{{{n},{m}}}");
                }
            }
        }
        HirKind::Capture(cap) => {
            out.push_str("(?:");
            print(out, &cap.sub)?;
            out.push(')');
        }
        HirKind::Concat(subs) => {
            for sub in subs {
                print(out, sub)?;
            }
        }
        HirKind::Alternation(subs) => {
            out.push_str("(?:");
            for (i, sub) in subs.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                print(out, sub)?;
            }
            out.push(')');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hir(src: &str) -> Hir {
        crate::regex_proof::parse(src).unwrap()
    }

    #[test]
    fn bytes_are_escaped_for_both_servers() {
        assert_eq!(
            literal("https://a-b.example.com:8443"),
            r"https://a\-b\.example\.com:8443"
        );
        assert_eq!(literal("a\"$\\{;}"), r"a\x22\x24\x5c\x7b\x3b\x7d");
        assert_eq!(literal_ignore_case("X-Id"), r"[Xx]\-[Ii][Dd]");
    }

    #[test]
    fn regexes_print_without_ambiguous_constructs() {
        assert_eq!(
            regex(&hir(r"^https://(eu|us)-[0-9]+\.example\.com$")).unwrap(),
            r"\Ahttps://(?:(?:eu|us))\-(?:[0-9])+\.example\.com\z"
        );
        // `.` (any byte but \n) and `(?i)` become explicit classes.
        assert_eq!(regex(&hir(r"(?i)a.")).unwrap(), r"[Aa][\x00-\x09\x0b-\xff]");
        assert_eq!(regex(&hir(r"\d")).unwrap(), "[0-9]");
        assert!(regex(&hir(r"\b")).unwrap().contains("(?<="));
        assert_eq!(regex(&hir(r"[^\x00-\xff]")).unwrap(), "(?!)");
    }

    #[test]
    fn origin_patterns() {
        let p = crate::origin::parse_origin("https://*.example.com").unwrap();
        assert_eq!(
            origin_pattern(&p),
            r"https://(?:[0-9a-z\x2d\x5f]++\.)+example\.com"
        );
        let p = crate::origin::parse_origin("http://localhost:*").unwrap();
        assert!(origin_pattern(&p).starts_with(r"http://localhost(?::(?!80(?![0-9]))"));
    }

    #[test]
    fn tries_share_prefixes() {
        assert_eq!(
            trie(&["https://a.com", "https://b.com"]),
            r"https://(?:a\.com|b\.com)"
        );
        assert_eq!(trie(&["ab", "abc", "abd"]), "ab(?:c|d|)");
        assert_eq!(trie(&["x"]), "x");
    }
}
