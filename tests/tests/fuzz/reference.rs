//! A naive reference of the request-time contract (policy-spec §4 and the engine's
//! documented limits), written from the documents and sharing no code with the
//! engine: origins as plain string logic, regexes through the `regex` crate on the
//! whole origin, header lists split by hand.

use regex::Regex;

use crate::spec::{List, OriginEntry, Spec};

// The engine's documented bounds on hostile input: numbers of the contract, not logic.
use cors_policy::engine::limits::{
    MAX_METHOD_LEN, MAX_ORIGIN_LEN, MAX_REQUEST_HEADERS_LEN, MAX_REQUEST_HEADER_ITEMS,
    MAX_REQUEST_HEADER_LINES,
};

#[derive(Debug)]
enum Port {
    Default,
    Exact(String),
    Any,
}

#[derive(Debug)]
enum Rule {
    Exact(String),
    Pattern {
        scheme: String,
        host: String,
        subdomains: bool,
        port: Port,
    },
    Regex(Regex),
}

/// A validated policy, as the reference understands it.
#[derive(Debug)]
pub struct RefPolicy {
    pub any_origin: bool,
    rules: Vec<Rule>,
    pub credentials: bool,
    pub any_method: bool,
    pub methods: Vec<String>,
    pub any_header: bool,
    /// Lower-case.
    pub headers: Vec<String>,
    /// `*` among them, and the lower-case names.
    pub expose: Option<(bool, Vec<String>)>,
    pub max_age: Option<i64>,
    pub private_network: bool,
}

impl RefPolicy {
    /// The reference reading of a spec that validated.
    pub fn new(spec: &Spec) -> RefPolicy {
        let mut any_origin = false;
        let mut rules = Vec::new();
        match &spec.origins {
            List::Any => any_origin = true,
            List::Items(items) => {
                for item in items {
                    match item {
                        OriginEntry::Text(t) if t == "*" => any_origin = true,
                        OriginEntry::Text(t) => rules.push(rule(t)),
                        OriginEntry::Regex(r) => rules.push(Rule::Regex(
                            Regex::new(&format!("^(?:{r})$")).expect("a validated regex"),
                        )),
                    }
                }
            }
        }
        // `"*"`, or `*` among the names: any, besides the names listed.
        let list = |l: &Option<List<String>>| match l {
            None => (false, Vec::new()),
            Some(List::Any) => (true, Vec::new()),
            Some(List::Items(v)) => (
                v.iter().any(|n| n == "*"),
                v.iter().filter(|n| *n != "*").cloned().collect(),
            ),
        };
        let (any_method, methods) = list(&spec.methods);
        let (any_header, headers) = list(&spec.allow_headers);
        let headers = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
        let expose = match list(&spec.expose_headers) {
            (false, v) if v.is_empty() => None,
            (any, v) => Some((any, v.iter().map(|h| h.to_ascii_lowercase()).collect())),
        };
        RefPolicy {
            any_origin,
            rules,
            credentials: spec.credentials == Some(true),
            any_method,
            methods,
            any_header,
            headers,
            expose,
            max_age: spec.max_age,
            private_network: spec.allow_private_network == Some(true),
        }
    }

    /// Whether one `Origin` value is allowed by the origin rules.
    pub fn origin_allowed(&self, origin: &[u8]) -> bool {
        if self.any_origin {
            return true;
        }
        if origin.len() > MAX_ORIGIN_LEN || origin == b"null" || origin.is_empty() {
            return false;
        }
        // Only visible ASCII can be a serialized origin.
        if !origin.iter().all(|b| (b'!'..=b'~').contains(b)) {
            return false;
        }
        let origin = std::str::from_utf8(origin).unwrap();
        self.rules.iter().any(|r| rule_matches(r, origin))
    }
}

/// A validated (so canonical) origin text as a rule.
fn rule(text: &str) -> Rule {
    if !text.contains('*') {
        return Rule::Exact(text.to_owned());
    }
    let (scheme, rest) = text.split_once("://").unwrap();
    let (subdomains, rest) = match rest.strip_prefix("*.") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (host, port) = split_host_port(rest);
    let port = match port {
        None => Port::Default,
        Some("*") => Port::Any,
        Some(p) => Port::Exact(p.to_owned()),
    };
    Rule::Pattern {
        scheme: scheme.to_owned(),
        host: host.to_owned(),
        subdomains,
        port,
    }
}

/// `host[:port]`, with an IPv6 literal's colons inside its brackets.
fn split_host_port(rest: &str) -> (&str, Option<&str>) {
    let host_end = if rest.starts_with('[') {
        rest.find(']').map_or(rest.len(), |i| i + 1)
    } else {
        rest.find(':').unwrap_or(rest.len())
    };
    let (host, tail) = rest.split_at(host_end);
    match tail.strip_prefix(':') {
        Some(port) => (host, Some(port)),
        None if tail.is_empty() => (host, None),
        // Something after an IPv6 literal that is not a port: never a match.
        None => ("", None),
    }
}

fn rule_matches(rule: &Rule, origin: &str) -> bool {
    match rule {
        Rule::Exact(s) => origin == s,
        Rule::Regex(re) => re.is_match(origin),
        Rule::Pattern {
            scheme,
            host,
            subdomains,
            port,
        } => {
            let Some(rest) = origin.strip_prefix(&format!("{scheme}://")) else {
                return false;
            };
            let (h, p) = split_host_port(rest);
            if h.is_empty() {
                return false;
            }
            let default = match scheme.as_str() {
                "http" | "ws" => Some(80),
                "https" | "wss" => Some(443),
                "ftp" => Some(21),
                _ => None,
            };
            // A port as a browser writes it: digits, no leading zero, in range, never
            // the scheme's default.
            let canonical = |p: &str| {
                p.parse::<u16>()
                    .is_ok_and(|n| n.to_string() == p && n != 0 && Some(n) != default)
            };
            let port_ok = match (port, p) {
                (Port::Default, None) | (Port::Any, None) => true,
                (Port::Any, Some(p)) => canonical(p),
                (Port::Exact(want), Some(p)) => p == want,
                _ => false,
            };
            let host_ok = if *subdomains {
                h.strip_suffix(host.as_str())
                    .and_then(|prefix| prefix.strip_suffix('.'))
                    .is_some_and(|labels| {
                        labels.split('.').all(|l| {
                            !l.is_empty()
                                && l.bytes().all(|b| {
                                    b.is_ascii_lowercase()
                                        || b.is_ascii_digit()
                                        || b == b'-'
                                        || b == b'_'
                                })
                        })
                    })
            } else {
                h == host
            };
            port_ok && host_ok
        }
    }
}

/// RFC 9110 tchar.
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b))
}

/// Trims spaces and tabs.
pub fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', r @ ..] = s {
        s = r;
    }
    while let [r @ .., b' ' | b'\t'] = s {
        s = r;
    }
    s
}

/// The names of `Access-Control-Request-Headers` (every line; `None` = too many
/// lines), lower-cased, or `Err(())` when the list is malformed or over a limit.
pub fn requested_headers(lines: Option<&[&[u8]]>) -> Result<Vec<String>, ()> {
    let lines = lines.ok_or(())?;
    if lines.len() > MAX_REQUEST_HEADER_LINES
        || lines.iter().map(|l| l.len()).sum::<usize>() > MAX_REQUEST_HEADERS_LEN
    {
        return Err(());
    }
    let mut names = Vec::new();
    for line in lines {
        for item in line.split(|&b| b == b',').map(trim) {
            if item.is_empty() {
                continue;
            }
            if !is_token(item) {
                return Err(());
            }
            names.push(String::from_utf8(item.to_ascii_lowercase()).unwrap());
        }
    }
    if names.len() > MAX_REQUEST_HEADER_ITEMS {
        return Err(());
    }
    Ok(names)
}

impl RefPolicy {
    /// Whether the requested method may be used (`Access-Control-Request-Method`).
    pub fn method_allowed(&self, method: &[u8]) -> bool {
        method.len() <= MAX_METHOD_LEN
            && is_token(method)
            && (matches!(method, b"GET" | b"HEAD" | b"POST")
                || self.any_method
                || self.methods.iter().any(|m| m.as_bytes() == method))
    }

    /// Whether every requested name may be sent.
    pub fn headers_allowed(&self, names: &[String]) -> bool {
        names
            .iter()
            .all(|n| self.headers.contains(n) || (self.any_header && n != "authorization"))
    }
}
