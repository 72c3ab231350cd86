//! The hosts a regex is entitled to accept: the domains it names (read off its
//! witnesses and off the literal text of the regex), loopback, and public suffixes
//! found wildcarded (reported or allowed), so that they are not reported twice.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Repetition};

use super::automaton::Dfa;
use super::build_dfa;
use super::shapes::{self, label, OCTET, PORT};
use crate::public_suffix;

/// `host` without its trailing dot.
pub(crate) fn dns_name(host: &str) -> &str {
    host.strip_suffix('.').unwrap_or(host)
}

/// Whether `host` is a canonical dotted-quad IPv4 address.
pub(crate) fn is_ipv4(host: &str) -> bool {
    host.parse::<std::net::Ipv4Addr>()
        .is_ok_and(|ip| ip.to_string() == host)
}

/// Whether `host` is loopback: `localhost` and names under it (trailing dot or not),
/// 127.0.0.0/8, `[::1]`. Plain HTTP on these cannot be intercepted, and nobody else
/// can serve a page from them.
pub(crate) fn is_loopback(host: &str) -> bool {
    crate::origin::is_loopback_host(dns_name(host))
}

/// Whether `host` is `domain` or a subdomain of it (trailing dots ignored).
pub(crate) fn is_same_or_subdomain(host: &str, domain: &str) -> bool {
    let host = dns_name(host);
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// A domain a regex names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Named {
    /// A registrable domain (or a name that has none, such as a special-use name or an
    /// IPv6 literal); it and its subdomains are in scope.
    Domain(String),
    /// A host that is itself a public suffix (`github.io`, `com`): only that host,
    /// since the names under it belong to strangers.
    Exact(String),
    /// An IPv4 witness names its /24 (`10.0.0.`), so a regex over a range of
    /// addresses is not flagged for the addresses it was written for.
    Ipv4Net(String),
}

impl Named {
    /// What a witness host names.
    pub fn of(host: &str) -> Named {
        if is_ipv4(host) {
            let net = &host[..host.rfind('.').map_or(0, |i| i + 1)];
            return Named::Ipv4Net(net.to_owned());
        }
        let name = dns_name(host);
        if name.starts_with('[') {
            return Named::Domain(name.to_owned());
        }
        if public_suffix::is_public_suffix(name) {
            return Named::Exact(name.to_owned());
        }
        if let Some(r) = public_suffix::registrable_domain(name) {
            return Named::Domain(r.to_owned());
        }
        // A special-use name (`corp.internal`): its last two labels, as the list's
        // default rule would.
        let start = name.rmatch_indices('.').nth(1).map_or(0, |(i, _)| i + 1);
        Named::Domain(name[start..].to_owned())
    }

    fn describe(&self) -> String {
        match self {
            Named::Domain(d) | Named::Exact(d) => d.clone(),
            Named::Ipv4Net(net) => format!("{net}0/24"),
        }
    }
}

/// The registrable domains spelled out in the regex's text: every literal the regex's
/// matches can end with (regex-syntax's suffix extraction, which expands alternations
/// and classes of up to 4 bytes), read as a host. `(brand1|brand2)\.com` spells `brand1.com` and
/// `brand2.com`, however the DFA merged the branches. A literal that starts inside a
/// label keeps that label when it starts with a letter or digit (`.*example\.com`
/// spells `example.com`), not when it starts with `-` (`[a-z]+-team\.vercel\.app`
/// spells no name under `vercel.app`).
pub(crate) fn spelled(hir: &Hir) -> Vec<String> {
    let mut extractor = Extractor::new();
    extractor
        .kind(ExtractKind::Suffix)
        // Small classes only: `[12]` may stand for `1|2`, `[0-9]` stands for a digit.
        .limit_class(4)
        .limit_repeat(16)
        .limit_literal_len(300)
        .limit_total(4096);
    let hir = dots_as_written(hir);
    let seq = extractor.extract(&hir);
    let mut texts: Vec<&[u8]> = seq
        .literals()
        .into_iter()
        .flatten()
        .map(|l| l.as_bytes())
        .collect();
    // Every literal run as written, too: `example\.com(\.[a-z]+)?` spells `example.com`
    // though no match needs to end with it.
    let mut stack = vec![&hir];
    while let Some(h) = stack.pop() {
        match h.kind() {
            HirKind::Literal(l) => texts.push(&l.0),
            HirKind::Repetition(r) => stack.push(&r.sub),
            HirKind::Capture(c) => stack.push(&c.sub),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => stack.extend(subs),
            _ => {}
        }
    }
    let mut out: Vec<String> = Vec::new();
    for lit in texts {
        // `(?i)` literals come in every case: names are lower case.
        let Ok(text) = std::str::from_utf8(lit).map(str::to_ascii_lowercase) else {
            continue;
        };
        let text = text.as_str();
        let (host, whole) = match text.rsplit_once("://") {
            Some((_, rest)) => (rest, true),
            None => (text, false),
        };
        let host = host.split([':', '/']).next().unwrap_or("");
        let host = match host.strip_prefix('.') {
            Some(rest) => rest,
            None if !whole && !host.starts_with(|c: char| c.is_ascii_alphanumeric()) => {
                host.split_once('.').map_or("", |(_, rest)| rest)
            }
            None => host,
        };
        let host = dns_name(host);
        let numeric = host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()));
        if host.is_empty() || numeric || !host.contains('.') {
            continue;
        }
        if let Some(r) = public_suffix::registrable_domain(host) {
            if !out.iter().any(|o| o == r) {
                out.push(r.to_owned());
            }
        }
    }
    out
}

/// `hir` with every class that holds `.` among other bytes read as a literal dot: an
/// unescaped `.` meta-character names the dot its author meant (the probes report it
/// separately), so `api.example.com` spells `example.com`.
fn dots_as_written(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Bytes(c))
            if c.ranges().len() > 1 || c.ranges().first().is_some_and(|r| r.start() != r.end()) =>
        {
            if c.ranges()
                .iter()
                .any(|r| (r.start()..=r.end()).contains(&b'.'))
            {
                Hir::literal(*b".")
            } else {
                hir.clone()
            }
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(dots_as_written(&r.sub)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(dots_as_written(&c.sub)),
            ..c.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(dots_as_written).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(dots_as_written).collect()),
        _ => hir.clone(),
    }
}

/// The hosts a regex is entitled to accept.
#[derive(Default)]
pub(crate) struct Scope {
    /// Named by witnesses and by the regex's text.
    pub named: Vec<Named>,
    seen: std::collections::HashSet<Named>,
    /// Public suffixes found wildcarded: everything under them is reported already.
    pub covered_suffixes: Vec<String>,
}

impl Scope {
    /// Adds a name once.
    pub fn add(&mut self, n: Named) {
        if self.seen.insert(n.clone()) {
            self.named.push(n);
        }
    }

    /// Whether `host` is in scope: a hash lookup per dot-suffix of the host, so that
    /// probing stays linear however many domains the regex names.
    pub fn contains(&self, host: &str) -> bool {
        if is_loopback(host) {
            return true;
        }
        let name = dns_name(host);
        if is_ipv4(name) {
            let net = &name[..name.rfind('.').map_or(0, |i| i + 1)];
            return self.seen.contains(&Named::Ipv4Net(net.to_owned()));
        }
        if self.seen.contains(&Named::Exact(name.to_owned())) {
            return true;
        }
        std::iter::once(name)
            .chain(name.match_indices('.').map(|(i, _)| &name[i + 1..]))
            .any(|s| {
                self.seen.contains(&Named::Domain(s.to_owned()))
                    || self.covered_suffixes.iter().any(|p| p == s)
            })
    }

    /// The named registrable domains (what `*.`-style scope extends below).
    pub fn domains(&self) -> impl Iterator<Item = &str> {
        self.named.iter().filter_map(|n| match n {
            Named::Domain(d) => Some(d.as_str()),
            _ => None,
        })
    }

    /// The DFA of every origin (any scheme, any canonical port) whose host is in scope.
    pub fn dfa(&self) -> Result<Dfa, String> {
        let esc = |s: &str| regex_syntax::escape(s);
        let mut domains: Vec<String> = Vec::new();
        let mut alternatives = vec![shapes::loopback_host()];
        for n in &self.named {
            match n {
                Named::Domain(d) => domains.push(esc(d)),
                Named::Exact(d) => alternatives.push(format!(r"{}\.?", esc(d))),
                Named::Ipv4Net(net) => alternatives.push(format!("{}{OCTET}", esc(net))),
            }
        }
        domains.extend(self.covered_suffixes.iter().map(|p| esc(p)));
        if !domains.is_empty() {
            alternatives.push(format!(r"(?:{}\.)*(?:{})\.?", label(), domains.join("|")));
        }
        build_dfa(&format!(
            r"[a-z][a-z0-9+.\-]*://(?:{}){PORT}",
            alternatives.join("|")
        ))
    }

    /// "not example.com or a subdomain of it" / "not one of a.com, b.org or their
    /// subdomains".
    pub fn describe(&self) -> String {
        let mut names: Vec<String> = self.named.iter().map(Named::describe).collect();
        names.dedup();
        match names.len() {
            0 => "not a domain the regex names".to_owned(),
            1 => format!("not {} or a subdomain of it", names[0]),
            2 => format!("not one of {}, {} or their subdomains", names[0], names[1]),
            n => format!(
                "not one of {}, {}, {} other domains or their subdomains",
                names[0],
                names[1],
                n - 2
            ),
        }
    }
}
