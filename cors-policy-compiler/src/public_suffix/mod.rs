//! Public suffixes (`com`, `co.uk`, `github.io`, `s3.amazonaws.com`, ...): the Public
//! Suffix List's algorithm (<https://publicsuffix.org/list/>) over the list in
//! `rules.txt`, ICANN and private sections alike.
//!
//! The algorithm, as browsers apply it to cookies:
//! - a rule `a.b` makes `a.b` a public suffix; a wildcard rule `*.b` makes every `x.b`
//!   one; an exception rule `!x.b` makes `x.b` registrable again (it wins over all);
//! - the prevailing rule is the matching one with the most labels; when none matches,
//!   the default rule `*` makes the last label a public suffix (`np` is one: the list
//!   only has `*.np`; so is an unlisted TLD such as `internal`).
//!
//! Special-use names (RFC 6761, RFC 8375, ICANN's `internal`) are never public
//! suffixes here: nobody can register a name under `localhost`, `test` or
//! `home.arpa` on the public Internet, so `*.localhost` trusts no stranger.
//!
//! The list is embedded (not fetched): a policy lints the same way on every machine,
//! and the answer of a build never depends on the network.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The rules, one a line (`//` comments), punycode for Unicode labels.
const RULES: &str = include_str!("rules.txt");

/// Names nobody can register on the public Internet: never public suffixes.
const SPECIAL_USE: &[&str] = &[
    "localhost",
    "test",
    "example",
    "invalid",
    "local",
    "internal",
    "home.arpa",
];

struct List {
    /// `a.b` rules.
    normal: HashSet<&'static str>,
    /// `b` for each `*.b` rule.
    wildcard: HashSet<&'static str>,
    /// `x.b` for each `!x.b` rule.
    exception: HashSet<&'static str>,
    /// For each name, the rules strictly below it (`s3.amazonaws.com` and
    /// `*.compute.amazonaws.com` are below `amazonaws.com` and `com`). Exception rules
    /// are left out: being below is about where suffixes are, and an exception is not one.
    below: HashMap<&'static str, Vec<&'static str>>,
}

fn list() -> &'static List {
    static LIST: OnceLock<List> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list = List {
            normal: HashSet::new(),
            wildcard: HashSet::new(),
            exception: HashSet::new(),
            below: HashMap::new(),
        };
        for rule in RULES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
        {
            if let Some(x) = rule.strip_prefix('!') {
                list.exception.insert(x);
                continue;
            }
            match rule.strip_prefix("*.") {
                Some(b) => list.wildcard.insert(b),
                None => list.normal.insert(rule),
            };
            for (i, _) in rule.match_indices('.') {
                list.below.entry(&rule[i + 1..]).or_default().push(rule);
            }
        }
        // The plainest example first: fewest labels, then shortest.
        for rules in list.below.values_mut() {
            rules.sort_by_key(|r| (r.matches('.').count(), r.len(), *r));
        }
        list
    })
}

/// `host` without its trailing dot (`example.com.` is the same DNS name as
/// `example.com`).
fn dns_name(host: &str) -> &str {
    host.strip_suffix('.').unwrap_or(host)
}

fn is_special_use(name: &str) -> bool {
    SPECIAL_USE
        .iter()
        .any(|s| name == *s || name.ends_with(&format!(".{s}")))
}

/// The public suffix of `host` (a lower-case DNS name, trailing dot allowed and
/// ignored), by the list's algorithm; `None` for a special-use name or an empty label.
pub fn public_suffix(host: &str) -> Option<&str> {
    let name = dns_name(host);
    if name.is_empty() || name.split('.').any(str::is_empty) || is_special_use(name) {
        return None;
    }
    let list = list();
    // Every dot-suffix of `name`, longest first: `a.b.c`, `b.c`, `c`.
    let suffixes =
        std::iter::once(name).chain(name.match_indices('.').map(|(i, _)| &name[i + 1..]));
    // An exception rule `!x.b` matching makes `b` the public suffix, whatever else matches.
    if let Some(x) = suffixes.clone().find(|s| list.exception.contains(s)) {
        return x.split_once('.').map(|(_, parent)| parent);
    }
    for s in suffixes {
        let wildcard = s
            .split_once('.')
            .is_some_and(|(_, parent)| list.wildcard.contains(parent));
        if list.normal.contains(s) || wildcard {
            return Some(s);
        }
    }
    // The default rule `*`: the last label.
    Some(name.rsplit('.').next().unwrap_or(name))
}

/// Whether `domain` (lower-case, trailing dot ignored) is itself a public suffix.
///
/// Why the list and not "one label": `*.co.uk` and `*.github.io` let anyone register a
/// matching origin just as `*.com` does.
pub fn is_public_suffix(domain: &str) -> bool {
    public_suffix(domain).is_some_and(|s| s == dns_name(domain))
}

/// The registrable domain (eTLD+1) of `host`, e.g. `example.co.uk` for
/// `www.example.co.uk` (trailing dot ignored, and not returned); `None` for a public
/// suffix itself, a special-use name, or a malformed name.
pub fn registrable_domain(host: &str) -> Option<&str> {
    let name = dns_name(host);
    let suffix = public_suffix(name)?;
    if suffix.len() == name.len() {
        return None;
    }
    let rest = &name[..name.len() - suffix.len() - 1];
    let start = rest.rfind('.').map_or(0, |i| i + 1);
    Some(&name[start..])
}

/// The rules strictly below `domain`, as written in the list (`s3.amazonaws.com`,
/// `*.compute.amazonaws.com`), fewest labels and shortest first: a `*.domain` pattern, or a regex accepting every
/// subdomain of `domain`, accepts names that strangers register under them.
pub fn suffixes_below(domain: &str) -> &'static [&'static str] {
    list()
        .below
        .get(dns_name(domain))
        .map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_suffixes() {
        for s in [
            "com",
            "co.uk",
            "github.io",
            "io",
            "np",
            "com.np",
            "anything.np",
            "internalx",
            "s3.amazonaws.com",
            "foo.kawasaki.jp",
            "vercel.app",
            "com.",
        ] {
            assert!(is_public_suffix(s), "{s}");
        }
        for s in [
            "example.com",
            "example.co.uk",
            "user.github.io",
            "localhost",
            "a.localhost",
            "internal",
            "test",
            "home.arpa",
            "city.kawasaki.jp",
            "amazonaws.com",
            "evil.com.np",
            "",
            "a..com",
        ] {
            assert!(!is_public_suffix(s), "{s}");
        }
    }

    #[test]
    fn registrable() {
        let r = registrable_domain;
        assert_eq!(r("www.example.co.uk"), Some("example.co.uk"));
        assert_eq!(r("a.b.example.com"), Some("example.com"));
        assert_eq!(r("a.b.example.com."), Some("example.com"));
        assert_eq!(r("me.github.io"), Some("me.github.io"));
        assert_eq!(r("evil.com.np"), Some("evil.com.np"));
        assert_eq!(r("x.evil.com.np"), Some("evil.com.np"));
        assert_eq!(r("a.city.kawasaki.jp"), Some("city.kawasaki.jp"));
        assert_eq!(r("a.b.foo.kawasaki.jp"), Some("b.foo.kawasaki.jp"));
        assert_eq!(
            r("attacker.s3.amazonaws.com"),
            Some("attacker.s3.amazonaws.com")
        );
        assert_eq!(r("x.corp.internalx"), Some("corp.internalx"));
        assert_eq!(r("com"), None);
        assert_eq!(r("a.localhost"), None);
    }

    #[test]
    fn below() {
        assert!(suffixes_below("amazonaws.com").contains(&"s3.amazonaws.com"));
        assert!(suffixes_below("kawasaki.jp").contains(&"*.kawasaki.jp"));
        assert!(!suffixes_below("kawasaki.jp").contains(&"!city.kawasaki.jp"));
        assert!(suffixes_below("example.com").is_empty());
        assert!(!suffixes_below("com").is_empty());
    }

    /// The embedded list and algorithm agree with the `psl` crate (built from the same
    /// snapshot, by other code) on a name under every rule of the list.
    #[test]
    fn agrees_with_the_psl_crate() {
        let mut checked = 0;
        for rule in RULES
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
        {
            let name = rule.trim_start_matches('!').replace('*', "wild");
            for host in [format!("a.b.{name}"), format!("b.{name}"), name.clone()] {
                let theirs = psl::domain_str(&host)
                    .filter(|_| psl::suffix(host.as_bytes()).is_some_and(|s| s.is_known()));
                let ours = registrable_domain(&host);
                if is_special_use(&host)
                    || (theirs.is_none() && ours.is_some() && !rule.contains('.'))
                {
                    continue; // a bare TLD: the default rule, which psl does not call known
                }
                assert_eq!(ours, theirs, "{host} (rule {rule})");
                checked += 1;
            }
        }
        assert!(checked > 25_000, "{checked}");
    }
}
