//! Engine tests that need a policy compiled from a [`ValidPolicy`]: regex and pattern
//! lookups through the compiled tables, and the table checks of `Policy::engine`.

use std::borrow::Cow;

use regex_automata::dfa::dense;
use regex_automata::dfa::StartKind;
use regex_automata::MatchKind;

use crate::model::{HostPattern, NameSet, OriginPattern, OriginSet, RegexOrigin, ValidPolicy};
use crate::table::{DfaBytes, PortPattern};
use cors_policy_core::engine::{Decision, Engine, TableError};

fn dfa(src: &str) -> dense::DFA<Vec<u32>> {
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .match_kind(MatchKind::All),
        )
        .build(src)
        .unwrap()
}

fn valid(patterns: Vec<OriginPattern>, regexes: &[&str]) -> ValidPolicy {
    ValidPolicy {
        name: None,
        origins: OriginSet::List {
            patterns,
            regexes: regexes
                .iter()
                .map(|s| RegexOrigin {
                    source: s.to_string(),
                    dfa: dfa(s),
                })
                .collect(),
        },
        credentials: true,
        methods: NameSet {
            any: false,
            names: vec!["PUT".into()],
        },
        allow_headers: NameSet {
            any: false,
            names: vec!["x-a".into()],
        },
        expose_headers: NameSet::default(),
        max_age: None,
        allow_private_network: false,
    }
}

fn pat(scheme: &str, host: HostPattern, port: PortPattern) -> OriginPattern {
    OriginPattern {
        scheme: scheme.into(),
        host,
        port,
    }
}

#[test]
fn regex_full_match_is_whole_origin() {
    let policy =
        crate::compile::compile(&valid(vec![], &[r"https://(eu|us)-[0-9]+\.example\.com"]));
    let engine = policy.engine().unwrap();
    assert!(engine.is_origin_allowed(b"https://eu-1.example.com"));
    assert!(engine.is_origin_allowed(b"https://us-42.example.com"));
    assert!(!engine.is_origin_allowed(b"https://eu-1.example.com.evil.com"));
    assert!(!engine.is_origin_allowed(b"xhttps://eu-1.example.com"));
    assert!(!engine.is_origin_allowed(b"https://eu-.example.com"));
}

#[test]
fn pattern_lookup_walks_suffixes() {
    let policy = crate::compile::compile(&valid(
        vec![
            pat(
                "https",
                HostPattern::Subdomains("example.com".into()),
                PortPattern::Default,
            ),
            pat(
                "https",
                HostPattern::Subdomains("example.com".into()),
                PortPattern::Exact(8443),
            ),
            pat(
                "http",
                HostPattern::Exact("localhost".into()),
                PortPattern::Any,
            ),
            pat(
                "https",
                HostPattern::Subdomains("dev.example.org".into()),
                PortPattern::Any,
            ),
        ],
        &[],
    ));
    let e = policy.engine().unwrap();
    for ok in [
        &b"https://a.example.com"[..],
        b"https://a.b.example.com",
        b"https://a.example.com:8443",
        b"http://localhost",
        b"http://localhost:3000",
        b"https://x.dev.example.org",
        b"https://x.dev.example.org:1",
    ] {
        assert!(e.is_origin_allowed(ok), "{}", String::from_utf8_lossy(ok));
    }
    for bad in [
        &b"https://example.com"[..],
        b"https://a.example.com:9000",
        b"https://a.example.com:443",
        b"http://a.example.com",
        b"https://evilexample.com",
        b"https://a.example.com.evil.com",
        b"https://.example.com",
        b"https://a..example.com",
        b"https://A.example.com",
        b"https://a_.example.com.evil.com",
        b"http://localhost.evil.com",
        b"http://localhost:80",
        b"https://dev.example.org",
        b"https://example.org",
    ] {
        assert!(
            !e.is_origin_allowed(bad),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn corrupt_dfa_bytes_are_a_table_error() {
    let mut policy = crate::compile::compile(&valid(vec![], &["https://a\\.com"]));
    let mut bytes = policy.regexes[0].dfa.as_bytes().to_vec();
    let len = bytes.len();
    bytes[len / 2] ^= 0xff;
    bytes[len / 3] ^= 0xff;
    policy.regexes.to_mut()[0].dfa = DfaBytes::aligned_copy(&bytes);
    // Either the header or the transition table check catches it; never a panic.
    let truncated = DfaBytes::aligned_copy(&bytes[..len / 2]);
    let mut policy2 = policy.clone();
    policy2.regexes.to_mut()[0].dfa = truncated;
    assert!(matches!(policy2.engine(), Err(TableError::Dfa { .. })));
    let err = policy2.engine().unwrap_err().to_string();
    assert!(err.contains("https://a\\.com"), "{err}");
    let _ = policy.engine();
}

#[test]
fn unanchored_dfa_is_refused() {
    let mut policy = crate::compile::compile(&valid(vec![], &[]));
    let unanchored = dense::Builder::new()
        .configure(dense::Config::new().start_kind(StartKind::Unanchored))
        .build("a")
        .unwrap();
    let (bytes, start) = unanchored.to_bytes_native_endian();
    policy.regexes = Cow::Owned(vec![crate::table::RegexEntry {
        source: Cow::Borrowed("a"),
        dfa: DfaBytes::Owned { bytes, start },
    }]);
    assert!(matches!(
        policy.engine(),
        Err(TableError::UnanchoredDfa { .. })
    ));
}

#[test]
fn unsorted_tables_are_refused() {
    let mut policy = crate::compile::compile(&valid(vec![], &[]));
    policy.exact_origins = Cow::Owned(vec!["https://b.com".into(), "https://a.com".into()]);
    assert!(matches!(
        policy.engine(),
        Err(TableError::Unsorted {
            table: "exact_origins"
        })
    ));
    let mut policy = crate::compile::compile(&valid(vec![], &[]));
    policy.allow_headers = Cow::Owned(vec!["X-A".into()]);
    assert!(matches!(
        policy.engine(),
        Err(TableError::Unsorted {
            table: "allow_headers"
        })
    ));
}

#[test]
fn engine_and_decision_are_shareable() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine<'static>>();
    send_sync::<Decision<'static>>();
    send_sync::<crate::table::Policy>();
}

#[test]
fn vary_value_is_the_joined_static_names() {
    let policy = crate::compile::compile(&valid(vec![], &[]));
    let engine = policy.engine().unwrap();
    let request = cors_policy_core::engine::Request::new(b"GET");
    let d = engine.decide(&request);
    assert_eq!(d.vary(), ["Origin"]);
    assert_eq!(d.vary_value(), Some("Origin"));
    let last = d.headers().last().unwrap();
    assert_eq!((last.name, last.value), ("vary", b"Origin".as_slice()));
}
