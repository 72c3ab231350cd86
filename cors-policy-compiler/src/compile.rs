//! Validated policy -> static matcher tables ([`Policy`]).
//!
//! Everything the request-time engine needs is decided here, once:
//!
//! - exact origins become one sorted table of canonical serializations
//!   (`scheme://host[:port]`), searched by binary search and compared byte for byte;
//! - `*.` and `:*` patterns become [`HostPatternEntry`]s sorted by `(scheme, host)`,
//!   looked up once per dot-suffix of the request's host;
//! - regex DFAs are serialized in this target's endianness ([`DfaBytes::Owned`]), so
//!   the engine only has to validate and borrow them;
//! - every header value that does not echo the request (`Access-Control-Expose-Headers`,
//!   `-Max-Age`, `-Allow-Headers` when it is a fixed list) is joined into its final text.
//!
//! The `cors_policy!` macro embeds this same output as constants, so the two can never
//! disagree about a table's invariants.

use std::borrow::Cow;

use crate::model::{HostPattern, NameSet, OriginSet, ValidPolicy};
use crate::table::{DfaBytes, HostPatternEntry, Policy, RegexEntry, Text};

/// Compiles a validated policy into request-time tables.
pub fn compile(valid: &ValidPolicy) -> Policy {
    let mut exact_origins: Vec<Text> = Vec::new();
    let mut host_patterns: Vec<HostPatternEntry> = Vec::new();
    let mut regexes: Vec<RegexEntry> = Vec::new();
    let any_origin = match &valid.origins {
        OriginSet::Any => true,
        OriginSet::List {
            patterns,
            regexes: regex_origins,
        } => {
            for pattern in patterns {
                if pattern.is_exact() {
                    // The canonical serialization is what a browser sends, byte for byte.
                    exact_origins.push(Cow::Owned(pattern.to_policy_string()));
                } else {
                    let (host, subdomains) = match &pattern.host {
                        HostPattern::Exact(h) => (h.clone(), false),
                        HostPattern::Subdomains(h) => (h.clone(), true),
                    };
                    host_patterns.push(HostPatternEntry {
                        scheme: Cow::Owned(pattern.scheme.clone()),
                        host: Cow::Owned(host),
                        subdomains,
                        port: pattern.port,
                    });
                }
            }
            for regex in regex_origins {
                let (bytes, start) = regex.dfa.to_bytes_native_endian();
                regexes.push(RegexEntry {
                    source: Cow::Owned(regex.source.clone()),
                    dfa: DfaBytes::Owned { bytes, start },
                });
            }
            false
        }
    };
    // Sorted (and deduplicated) so the engine can binary-search them.
    exact_origins.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    exact_origins.dedup();
    host_patterns.sort_unstable();
    host_patterns.dedup();

    let methods = sorted_names(&valid.methods, false);
    let allow_headers = sorted_names(&valid.allow_headers, true);
    let allow_headers_value = allow_headers_value(valid, &allow_headers);
    let expose_headers = expose_headers_value(&valid.expose_headers);

    Policy {
        name: valid.name.clone().map(Cow::Owned),
        any_origin,
        exact_origins: Cow::Owned(exact_origins),
        host_patterns: Cow::Owned(host_patterns),
        regexes: Cow::Owned(regexes),
        credentials: valid.credentials,
        any_method: valid.methods.any,
        methods: Cow::Owned(methods),
        any_header: valid.allow_headers.any,
        allow_headers: Cow::Owned(allow_headers),
        allow_headers_value,
        expose_headers,
        max_age: valid.max_age.map(|s| Cow::Owned(s.to_string())),
        allow_private_network: valid.allow_private_network,
    }
}

/// The names of a set, sorted bytewise and deduplicated; header names lower-cased
/// (methods keep their case: they are compared case-sensitively).
fn sorted_names(set: &NameSet, lower: bool) -> Vec<Text> {
    let mut names: Vec<Text> = set
        .names
        .iter()
        .filter(|n| n.as_str() != "*")
        .map(|n| {
            Cow::Owned(if lower {
                n.to_ascii_lowercase()
            } else {
                n.clone()
            })
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The fixed `Access-Control-Allow-Headers` value, when there is one (see
/// [`Policy::allow_headers_value`]).
fn allow_headers_value(valid: &ValidPolicy, sorted: &[Text]) -> Option<Text> {
    if valid.allow_headers.any {
        if valid.credentials {
            // `*` is a literal name for credentialed requests: the engine echoes.
            return None;
        }
        // `*` never covers `authorization` (Fetch's "CORS non-wildcard request-header
        // name"), so a listed `authorization` must be named beside it.
        let with_auth = sorted.iter().any(|n| n == "authorization");
        return Some(Cow::Borrowed(if with_auth {
            "*, authorization"
        } else {
            "*"
        }));
    }
    if sorted.is_empty() {
        return None;
    }
    Some(Cow::Owned(join_in_written_order(
        &valid.allow_headers,
        true,
    )))
}

/// The `Access-Control-Expose-Headers` value, if any.
fn expose_headers_value(set: &NameSet) -> Option<Text> {
    if set.any {
        let rest = join_in_written_order(set, true);
        return Some(if rest.is_empty() {
            Cow::Borrowed("*")
        } else {
            Cow::Owned(format!("*, {rest}"))
        });
    }
    let joined = join_in_written_order(set, true);
    (!joined.is_empty()).then_some(Cow::Owned(joined))
}

/// The names of a set joined with `", "` in the order written, without duplicates or `*`.
fn join_in_written_order(set: &NameSet, lower: bool) -> String {
    let mut seen: Vec<String> = Vec::new();
    for name in &set.names {
        let name = if lower {
            name.to_ascii_lowercase()
        } else {
            name.clone()
        };
        if name != "*" && !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OriginPattern, PortPattern, RegexOrigin};
    use regex_automata::dfa::dense;

    fn names(any: bool, names: &[&str]) -> NameSet {
        NameSet {
            any,
            names: names.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn pattern(scheme: &str, host: HostPattern, port: PortPattern) -> OriginPattern {
        OriginPattern {
            scheme: scheme.into(),
            host,
            port,
        }
    }

    fn base() -> ValidPolicy {
        ValidPolicy {
            name: Some("api".into()),
            origins: OriginSet::List {
                patterns: vec![
                    pattern(
                        "https",
                        HostPattern::Exact("b.example.com".into()),
                        PortPattern::Default,
                    ),
                    pattern(
                        "https",
                        HostPattern::Exact("a.example.com".into()),
                        PortPattern::Exact(8443),
                    ),
                    pattern(
                        "https",
                        HostPattern::Subdomains("example.org".into()),
                        PortPattern::Default,
                    ),
                    pattern(
                        "http",
                        HostPattern::Exact("localhost".into()),
                        PortPattern::Any,
                    ),
                    pattern(
                        "https",
                        HostPattern::Exact("b.example.com".into()),
                        PortPattern::Default,
                    ),
                ],
                regexes: vec![RegexOrigin {
                    source: "^https://x\\.example\\.net$".into(),
                    dfa: dense::DFA::new("^https://x\\.example\\.net$").unwrap(),
                }],
            },
            credentials: true,
            methods: names(false, &["PUT", "DELETE", "patch", "PUT"]),
            allow_headers: names(false, &["X-Trace", "Content-Type", "x-trace"]),
            expose_headers: names(false, &["X-Request-Id", "ETag"]),
            max_age: Some(600),
            allow_private_network: true,
        }
    }

    #[test]
    fn tables_are_sorted_deduplicated_and_canonical() {
        let p = compile(&base());
        assert_eq!(p.name.as_deref(), Some("api"));
        assert!(!p.any_origin);
        let exact: Vec<&str> = p.exact_origins.iter().map(|s| s.as_ref()).collect();
        assert_eq!(
            exact,
            ["https://a.example.com:8443", "https://b.example.com"]
        );
        assert_eq!(p.host_patterns.len(), 2);
        assert_eq!(p.host_patterns[0].scheme, "http");
        assert_eq!(p.host_patterns[0].host, "localhost");
        assert!(!p.host_patterns[0].subdomains);
        assert_eq!(p.host_patterns[0].port, PortPattern::Any);
        assert_eq!(p.host_patterns[1].host, "example.org");
        assert!(p.host_patterns[1].subdomains);
        let methods: Vec<&str> = p.methods.iter().map(|s| s.as_ref()).collect();
        assert_eq!(methods, ["DELETE", "PUT", "patch"]);
        let headers: Vec<&str> = p.allow_headers.iter().map(|s| s.as_ref()).collect();
        assert_eq!(headers, ["content-type", "x-trace"]);
        assert_eq!(
            p.allow_headers_value.as_deref(),
            Some("x-trace, content-type")
        );
        assert_eq!(p.expose_headers.as_deref(), Some("x-request-id, etag"));
        assert_eq!(p.max_age.as_deref(), Some("600"));
        assert_eq!(p.regexes.len(), 1);
        assert_eq!(p.regexes[0].source, "^https://x\\.example\\.net$");
        assert_eq!(p.regexes[0].dfa.as_bytes().as_ptr() as usize % 4, 0);
    }

    #[test]
    fn wildcard_header_values() {
        let mut v = base();
        v.credentials = false;
        v.allow_headers = names(true, &[]);
        v.expose_headers = names(true, &[]);
        let p = compile(&v);
        assert_eq!(p.allow_headers_value.as_deref(), Some("*"));
        assert_eq!(p.expose_headers.as_deref(), Some("*"));

        v.allow_headers = names(true, &["Authorization"]);
        let p = compile(&v);
        assert_eq!(p.allow_headers_value.as_deref(), Some("*, authorization"));

        // With credentials `*` is literal: no fixed value, the engine echoes.
        v.credentials = true;
        let p = compile(&v);
        assert_eq!(p.allow_headers_value, None);
        assert!(p.any_header);
    }

    #[test]
    fn any_origin_and_empty_lists() {
        let v = ValidPolicy {
            name: None,
            origins: OriginSet::Any,
            credentials: false,
            methods: NameSet::default(),
            allow_headers: NameSet::default(),
            expose_headers: NameSet::default(),
            max_age: None,
            allow_private_network: false,
        };
        let p = compile(&v);
        assert!(p.any_origin);
        assert!(p.exact_origins.is_empty() && p.host_patterns.is_empty());
        assert_eq!(p.allow_headers_value, None);
        assert_eq!(p.expose_headers, None);
        assert_eq!(p.max_age, None);
    }

    #[test]
    fn cloned_dfa_bytes_stay_aligned_and_equal() {
        let p = compile(&base());
        for _ in 0..16 {
            let q = p.clone();
            let (a, b) = (p.regexes[0].dfa.as_bytes(), q.regexes[0].dfa.as_bytes());
            assert!(a == b, "the copy differs");
            assert_eq!(b.as_ptr() as usize % 4, 0);
        }
    }
}
