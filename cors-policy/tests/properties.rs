//! Property tests of the compiled origin matcher.
//!
//! 1. Scanner probes (security-and-spec.md §1e: prefix, suffix, substring, dot
//!    replacement, special characters, backtick, scheme downgrade, `null`, default and
//!    other ports, upper case, trailing dot or slash, third-party hosts) built from
//!    every allowed origin of fixture policies are denied unless the policy really
//!    allows them, as decided by a deliberately naive reference matcher.
//! 2. On random policies and random origins, the compiled matcher (sorted tables,
//!    suffix walk, DFAs) agrees with that reference matcher.
//!
//! The reference is plain string logic, written from the documented semantics and
//! sharing no code with the engine.

mod common;

use cors_policy::compiler::public_suffix::registrable_domain;
use cors_policy::engine::{Request, Values};
use proptest::prelude::*;

/// One configured origin, as the reference sees it.
#[derive(Clone, Debug)]
enum Rule {
    /// `scheme://host[:port]`, compared as a string.
    Exact(String),
    /// `scheme://[*.]host[:port|:*]`.
    Pattern {
        scheme: String,
        host: String,
        subdomains: bool,
        /// `None` = default port, `Some(None)` = any port, `Some(Some(p))` = port p.
        port: Option<Option<u16>>,
    },
    /// A regex, with a hand-written equivalent.
    Regex(&'static str, fn(&str) -> bool),
}

impl Rule {
    fn yaml(&self) -> String {
        match self {
            Rule::Exact(s) => format!("  - \"{s}\"\n"),
            Rule::Pattern {
                scheme,
                host,
                subdomains,
                port,
            } => {
                let star = if *subdomains { "*." } else { "" };
                let port = match port {
                    None => String::new(),
                    Some(None) => ":*".into(),
                    Some(Some(p)) => format!(":{p}"),
                };
                format!("  - \"{scheme}://{star}{host}{port}\"\n")
            }
            Rule::Regex(src, _) => format!("  - regex: '{src}'\n"),
        }
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

/// The naive reference: does `rules` allow `origin`?
fn reference(rules: &[Rule], origin: &str) -> bool {
    if origin == "null" || origin.len() > 4096 {
        return false;
    }
    if origin.is_empty() || !origin.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return false;
    }
    rules.iter().any(|rule| match rule {
        Rule::Exact(s) => origin == s,
        Rule::Regex(_, f) => f(origin),
        Rule::Pattern {
            scheme,
            host,
            subdomains,
            port,
        } => {
            let Some(rest) = origin.strip_prefix(&format!("{scheme}://")) else {
                return false;
            };
            // Split off a port: everything after the first ':'.
            let (h, p) = match rest.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (rest, None),
            };
            let port_ok = match p {
                None => matches!(port, None | Some(None)),
                Some(text) => {
                    // Only the canonical spelling of a non-default port.
                    let Ok(n) = text.parse::<u16>() else {
                        return false;
                    };
                    if n.to_string() != text || Some(n) == default_port(scheme) {
                        return false;
                    }
                    matches!(port, Some(None)) || *port == Some(Some(n))
                }
            };
            let host_ok = if *subdomains {
                match h.strip_suffix(&format!(".{host}")) {
                    Some(prefix) => {
                        !prefix.is_empty()
                            && prefix.split('.').all(|label| {
                                !label.is_empty()
                                    && label.chars().all(|c| {
                                        c.is_ascii_lowercase()
                                            || c.is_ascii_digit()
                                            || c == '-'
                                            || c == '_'
                                    })
                            })
                    }
                    None => false,
                }
            } else {
                h == host
            };
            port_ok && host_ok
        }
    })
}

/// `^https://(eu|us)-[0-9]+\.example\.com$`, by hand.
fn regex_eu_us(o: &str) -> bool {
    let Some(rest) = o.strip_prefix("https://") else {
        return false;
    };
    let Some(rest) = rest.strip_suffix(".example.com") else {
        return false;
    };
    let Some(digits) = rest
        .strip_prefix("eu-")
        .or_else(|| rest.strip_prefix("us-"))
    else {
        return false;
    };
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// `^https://pr-[0-9]{1,4}\.preview\.example\.dev$`, by hand.
fn regex_preview(o: &str) -> bool {
    let Some(rest) = o.strip_prefix("https://pr-") else {
        return false;
    };
    let Some(digits) = rest.strip_suffix(".preview.example.dev") else {
        return false;
    };
    (1..=4).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

/// A regex source and its hand-written equivalent.
type RegexFixture = (&'static str, fn(&str) -> bool);

const REGEXES: [RegexFixture; 2] = [
    (r"^https://(eu|us)-[0-9]+\.example\.com$", regex_eu_us),
    (
        r"^https://pr-[0-9]{1,4}\.preview\.example\.dev$",
        regex_preview,
    ),
];

fn compile(rules: &[Rule]) -> cors_policy::Policy {
    let mut yaml = String::from("origins:\n");
    for r in rules {
        yaml.push_str(&r.yaml());
    }
    common::policy(&yaml)
}

/// Fixture policies for the scanner probes.
fn fixtures() -> Vec<Vec<Rule>> {
    let exact = |s: &str| Rule::Exact(s.to_owned());
    let pattern = |scheme: &str, host: &str, subdomains, port| Rule::Pattern {
        scheme: scheme.into(),
        host: host.into(),
        subdomains,
        port,
    };
    vec![
        vec![exact("https://www.example.com")],
        vec![exact("https://foo.com"), exact("https://bar.com")],
        vec![
            exact("https://app.example.co.uk"),
            exact("https://api.example.com:8443"),
            exact("http://localhost:3000"),
        ],
        vec![pattern("https", "example.com", true, None)],
        vec![
            pattern("https", "corp.example.net", true, Some(None)),
            pattern("http", "localhost", false, Some(None)),
        ],
        vec![
            Rule::Regex(REGEXES[0].0, REGEXES[0].1),
            exact("https://static.example.org"),
        ],
        vec![Rule::Regex(REGEXES[1].0, REGEXES[1].1)],
    ]
}

/// Allowed origins to mutate: each exact origin, and instances of each pattern/regex.
fn samples(rules: &[Rule], label: &str) -> Vec<String> {
    rules
        .iter()
        .flat_map(|r| match r {
            Rule::Exact(s) => vec![s.clone()],
            Rule::Pattern {
                scheme,
                host,
                subdomains,
                port,
            } => {
                let h = if *subdomains {
                    format!("{label}.{host}")
                } else {
                    host.clone()
                };
                match port {
                    None => vec![format!("{scheme}://{h}")],
                    Some(None) => vec![format!("{scheme}://{h}"), format!("{scheme}://{h}:3000")],
                    Some(Some(p)) => vec![format!("{scheme}://{h}:{p}")],
                }
            }
            Rule::Regex(_, f) => [
                "https://eu-1.example.com",
                "https://pr-42.preview.example.dev",
            ]
            .into_iter()
            .filter(|o| f(o))
            .map(String::from)
            .collect(),
        })
        .collect()
}

const SPECIAL: [&str; 24] = [
    "_", "-", "\"", "{", "}", "+", "^", "%60", "!", "~", "`", ";", "|", "&", "'", "(", ")", "*",
    ",", "$", "=", "%0b", ".", "@",
];

/// The probes of security-and-spec.md §1e for one allowed origin `S://N`.
fn probes(origin: &str, rand: &str, attacker: &str) -> Vec<String> {
    let (scheme, netloc) = origin.split_once("://").unwrap();
    let host = netloc.split(':').next().unwrap();
    let reg = registrable_domain(host).unwrap_or(host);
    let s = scheme;
    let mut p = vec![
        format!("{s}://{attacker}"),
        "null".to_owned(),
        format!("{s}://{host}.{attacker}"),
        format!("{s}://{netloc}.{attacker}"),
        format!("{s}://localhost.{attacker}"),
        format!("{s}://evil{host}"),
        format!("{s}://evil{reg}"),
        format!("{s}://d3v{netloc}"),
        format!("{s}://definitelynot{reg}"),
        format!("{s}://{rand}{reg}"),
        format!("{s}://{}", &reg[1..]),
        format!("{s}://{}", &reg[..reg.len() - 1]),
        format!("{s}://evil.{host}"),
        format!("{s}://{rand}.{reg}"),
        format!("http://{host}"),
        format!("http://{rand}.{reg}"),
        format!("http://s{reg}"),
        format!("{s}://{host}`.{attacker}"),
        format!("{s}://{host}:443"),
        format!("{s}://{host}:80"),
        format!("{s}://{host}:8443"),
        format!("{s}://{netloc}:1"),
        origin.to_ascii_uppercase(),
        format!("{}://{netloc}", s.to_ascii_uppercase()),
        format!("{s}://{}", netloc.to_ascii_uppercase()),
        format!("{origin}."),
        format!("{origin}/"),
        format!("{origin}/path"),
        format!("{s}://{host}.:{}", netloc.split(':').nth(1).unwrap_or("1")),
        format!(" {origin}"),
        format!("{origin} "),
        format!("{origin}\r\n"),
        format!("{s}://user@{netloc}"),
        format!("{s}://{netloc}@{attacker}"),
        "https://whatever.github.io".into(),
        "http://jsbin.com".into(),
        "https://codepen.io".into(),
        "https://jsfiddle.net".into(),
        "http://www.webdevout.net".into(),
        "https://repl.it".into(),
    ];
    for c in SPECIAL {
        p.push(format!("{s}://{host}{c}.{attacker}"));
        p.push(format!("{s}://{host}.{c}.{attacker}"));
    }
    // Each dot replaced, one at a time and all at once.
    for (i, _) in host.match_indices('.') {
        for r in ["x", "a"] {
            let mut h = host.to_owned();
            h.replace_range(i..i + 1, r);
            p.push(format!("{s}://{h}"));
        }
    }
    p.push(format!("{s}://{}", host.replace('.', "a")));
    p
}

/// Decides through the full engine (an actual request), and checks that the quick
/// entry point agrees.
fn engine_allows(engine: &cors_policy::engine::Engine<'_>, origin: &str) -> bool {
    let request = Request::new(b"GET").origins(Values::One(origin.as_bytes()));
    let decision = engine.decide(&request);
    assert_eq!(
        decision.is_allowed(),
        engine.is_origin_allowed(origin.as_bytes())
    );
    if decision.is_allowed() {
        // The allowed answer echoes the origin byte for byte.
        let acao = decision.headers().next().unwrap();
        assert_eq!(acao.name, "access-control-allow-origin");
        assert_eq!(acao.value, origin.as_bytes());
    }
    decision.is_allowed()
}

#[test]
fn scanner_probes_of_fixtures_are_denied_unless_really_allowed() {
    let mut checked = 0;
    for rules in fixtures() {
        let policy = compile(&rules);
        let engine = policy.engine().unwrap();
        for origin in samples(&rules, "www") {
            assert!(
                engine_allows(&engine, &origin),
                "sample {origin} must be allowed"
            );
            for probe in probes(&origin, "r4nd", "evil.com") {
                let want = reference(&rules, &probe);
                assert_eq!(
                    engine_allows(&engine, &probe),
                    want,
                    "probe {probe:?} of {origin} under {rules:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked}");
}

#[test]
fn ghsa_vhxv_fg4m_p2w8_two_origins_never_combine() {
    let rules = vec![
        Rule::Exact("https://foo.com".into()),
        Rule::Exact("https://bar.com".into()),
    ];
    let policy = compile(&rules);
    let engine = policy.engine().unwrap();
    assert!(engine_allows(&engine, "https://foo.com"));
    assert!(engine_allows(&engine, "https://bar.com"));
    for o in [
        "https://barfoo.com",
        "https://foobar.com",
        "https://foo.combar.com",
        "https://foo.com.bar.com",
        "https://bar.com,https://foo.com",
    ] {
        assert!(!engine_allows(&engine, o), "{o}");
    }
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_owned()),
        Just("b".to_owned()),
        Just("ab".to_owned()),
        Just("foo".to_owned()),
        Just("bar".to_owned()),
        Just("x-y".to_owned()),
        "[a-z0-9]{1,3}",
    ]
}

fn domain() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(label(), 0..3),
        prop_oneof![Just("com"), Just("org"), Just("example.com")],
    )
        .prop_map(|(labels, tld)| {
            let mut d = labels.join(".");
            if !d.is_empty() {
                d.push('.');
            }
            d.push_str(tld);
            d
        })
}

fn scheme() -> impl Strategy<Value = String> {
    prop_oneof![Just("https".to_owned()), Just("http".to_owned())]
}

fn rule() -> impl Strategy<Value = Rule> {
    prop_oneof![
        4 => (scheme(), domain(), prop_oneof![Just(None), Just(Some(8080u16)), Just(Some(3000))])
            .prop_map(|(s, d, p)| Rule::Exact(match p {
                None => format!("{s}://{d}"),
                Some(p) => format!("{s}://{d}:{p}"),
            })),
        3 => (
            scheme(),
            domain(),
            any::<bool>(),
            prop_oneof![Just(None), Just(Some(None)), Just(Some(Some(8080u16)))],
        )
            .prop_filter("a pattern has a wildcard", |(_, _, sub, port)| *sub || *port == Some(None))
            .prop_map(|(scheme, host, subdomains, port)| Rule::Pattern { scheme, host, subdomains, port }),
        1 => (0..REGEXES.len()).prop_map(|i| Rule::Regex(REGEXES[i].0, REGEXES[i].1)),
    ]
}

/// Random origins: well-formed ones over the same small alphabet (so they often hit
/// the policy), mangled ones, and raw junk.
fn origin_near(rules: Vec<Rule>) -> impl Strategy<Value = (Vec<Rule>, String)> {
    let samples: Vec<String> = samples(&rules, "ab");
    let n = samples.len().max(1);
    let port = prop_oneof![
        Just(String::new()),
        Just(":8080".to_owned()),
        Just(":3000".to_owned()),
        Just(":443".to_owned()),
        Just(":80".to_owned()),
        Just(":08080".to_owned()),
        Just(":".to_owned()),
        Just(":99999".to_owned()),
    ];
    let junk = prop_oneof![
        Just(""),
        Just("/"),
        Just("."),
        Just("%60"),
        Just("`"),
        Just("_"),
        Just("A"),
    ];
    let built =
        (scheme(), domain(), port, junk).prop_map(|(s, d, p, j)| format!("{s}://{d}{p}{j}"));
    let sub = (label(), 0..n).prop_map({
        let samples = samples.clone();
        move |(l, i)| {
            let base = samples.get(i).cloned().unwrap_or_default();
            base.replacen("://", &format!("://{l}."), 1)
        }
    });
    let sample = (0..n).prop_map({
        let samples = samples.clone();
        move |i| samples.get(i).cloned().unwrap_or_default()
    });
    let raw = "[a-z:/.*_A-Z0-9-]{0,30}";
    (
        Just(rules),
        prop_oneof![3 => built, 3 => sub, 2 => sample, 1 => raw],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn compiled_matcher_agrees_with_reference(
        (rules, origins) in prop::collection::vec(rule(), 1..8)
            .prop_flat_map(|rules| {
                let one = origin_near(rules.clone()).prop_map(|(_, o)| o);
                (Just(rules), prop::collection::vec(one, 1..24))
            })
    ) {
        let policy = compile(&rules);
        let engine = policy.engine().unwrap();
        for origin in &origins {
            prop_assert_eq!(
                engine_allows(&engine, origin),
                reference(&rules, origin),
                "origin {:?} under {:?}",
                origin,
                rules
            );
        }
    }

    #[test]
    fn probes_of_random_policies_agree_with_reference(
        rules in prop::collection::vec(rule(), 1..6),
        rand in "[a-z0-9]{1,8}",
        attacker in "[a-z]{1,8}\\.(com|net)",
    ) {
        let policy = compile(&rules);
        let engine = policy.engine().unwrap();
        for origin in samples(&rules, &rand) {
            prop_assert!(engine_allows(&engine, &origin), "sample {} under {:?}", origin, rules);
            for probe in probes(&origin, &rand, &attacker) {
                prop_assert_eq!(
                    engine_allows(&engine, &probe),
                    reference(&rules, &probe),
                    "probe {:?} of {} under {:?}",
                    probe,
                    origin,
                    rules
                );
            }
        }
    }
}
