//! The regex rules on a table of regexes: the exact set of codes each one gets, and
//! for every flagged one that its counterexample really proves the finding.

use std::time::{Duration, Instant};

use super::*;
use crate::diagnostic::Code::*;

const PLAIN: RegexContext = RegexContext {
    credentials: false,
    allow_insecure: false,
    allow_public_suffix_wildcards: false,
};
const CREDS: RegexContext = RegexContext {
    credentials: true,
    ..PLAIN
};

/// One row: regex, context, expected codes (in any order), and the domains the
/// regex legitimately names (a dot/unbounded counterexample must lie outside them).
struct Case {
    regex: &'static str,
    ctx: RegexContext,
    codes: &'static [Code],
    named: &'static [&'static str],
}

const fn case(
    regex: &'static str,
    ctx: RegexContext,
    codes: &'static [Code],
    named: &'static [&'static str],
) -> Case {
    Case {
        regex,
        ctx,
        codes,
        named,
    }
}

const ALLOW_PS: RegexContext = RegexContext {
    allow_public_suffix_wildcards: true,
    ..CREDS
};
const ALLOW_HTTP: RegexContext = RegexContext {
    allow_insecure: true,
    ..CREDS
};

const CASES: &[Case] = &[
    // Bounded regexes: no finding, with or without credentials.
    case(r"^https://(eu|us)-[0-9]+\.example\.com$", CREDS, &[], &[]),
    case(r"^https://[a-z0-9-]+\.example\.com$", CREDS, &[], &[]),
    case(r"^https://([a-z0-9-]+\.)*example\.com$", CREDS, &[], &[]),
    case(r"^http://localhost:[0-9]+$", CREDS, &[], &[]),
    case(r"^https://example\.(com|org)$", CREDS, &[], &[]),
    case(r"https://api\.example\.com", CREDS, &[], &[]),
    case(r"^https://(www\.)?example\.com$", CREDS, &[], &[]),
    case(r"^https://.*\.example\.com$", CREDS, &[], &[]),
    case(r"^https://[^.]+\.example\.com$", CREDS, &[], &[]),
    case(
        r"^https://(?:[a-z]+\.)?example\.com(?::\d+)?$",
        CREDS,
        &[],
        &[],
    ),
    case(
        r"^https://api\.example\.com|^https://admin\.example\.com$",
        CREDS,
        &[],
        &[],
    ),
    case(r"^https://[a-z]{3}\.example\.co\.uk$", CREDS, &[], &[]),
    case(
        r"^https?://(localhost|127\.0\.0\.1)(:[0-9]+)?$",
        CREDS,
        &[],
        &[],
    ),
    case(r"(?i)^HTTPS://APP\.EXAMPLE\.COM$", CREDS, &[], &[]),
    case(r"^http://api\.example\.com$", PLAIN, &[], &[]),
    case(r"^http://api\.example\.com$", ALLOW_HTTP, &[], &[]),
    case(r"^https://[a-z0-9-]+\.github\.io$", ALLOW_PS, &[], &[]),
    // Unescaped dots.
    case(
        r"^https://api.example.com$",
        CREDS,
        &[RegexUnescapedDot],
        &["example.com"],
    ),
    case(
        r"^https://www.example.com$",
        PLAIN,
        &[RegexUnescapedDot],
        &["example.com"],
    ),
    case(
        r"^https://api\.example.com$",
        CREDS,
        &[RegexUnescapedDot],
        &["example.com"],
    ),
    // Unbounded hosts.
    case(
        r"^https://.*example\.com$",
        CREDS,
        &[RegexUnboundedHost],
        &["example.com"],
    ),
    case(
        r"^https://example\.com.*$",
        CREDS,
        &[RegexUnboundedHost],
        &["example.com"],
    ),
    case(
        r"^https://[a-z]*example\.com$",
        CREDS,
        &[RegexUnboundedHost],
        &["example.com"],
    ),
    case(
        r"^https://example\.com(\.[a-z]+)?$",
        CREDS,
        &[RegexUnboundedHost],
        &["example.com"],
    ),
    case(
        r"^https://example\.com|https://evil.*$",
        PLAIN,
        &[RegexUnboundedHost],
        &["example.com", "evil"],
    ),
    case(
        r"^https://.*example.com$",
        CREDS,
        &[RegexUnescapedDot, RegexUnboundedHost],
        &["example.com"],
    ),
    // Any origin of a scheme.
    case(r".*", CREDS, &[RegexMatchesAnyOrigin], &[]),
    case(r".*", PLAIN, &[RegexMatchesAnyOrigin], &[]),
    case(r"null|https://.+", PLAIN, &[RegexMatchesAnyOrigin], &[]),
    case(
        r"null|https://[a-z]+\.example\.com",
        CREDS,
        &[NullOrigin],
        &[],
    ),
    case(r"^null$", CREDS, &[NullOrigin], &[]),
    case(r"^https://.+", CREDS, &[RegexMatchesAnyOrigin], &[]),
    case(r"^https://.+", PLAIN, &[RegexMatchesAnyOrigin], &[]),
    case(
        r"^https://[a-z0-9.-]+$",
        CREDS,
        &[RegexMatchesAnyOrigin],
        &[],
    ),
    case(
        r"^https://([a-z0-9-]+\.)*[a-z0-9-]+$",
        PLAIN,
        &[RegexMatchesAnyOrigin],
        &[],
    ),
    case(r"^https?://.*$", PLAIN, &[RegexMatchesAnyOrigin], &[]),
    // Public suffixes.
    case(
        r"^https://[a-z0-9-]+\.github\.io$",
        CREDS,
        &[PublicSuffixWildcard],
        &[],
    ),
    case(
        r"^https://[a-z0-9-]+\.github\.io$",
        PLAIN,
        &[PublicSuffixWildcard],
        &[],
    ),
    case(
        r"^https://[a-z]+\.co\.uk$",
        CREDS,
        &[PublicSuffixWildcard],
        &[],
    ),
    case(r"^https://(.+\.)?com$", CREDS, &[PublicSuffixWildcard], &[]),
    case(
        r"^https://example\.org|https://[a-z0-9-]+\.com$",
        CREDS,
        &[PublicSuffixWildcard],
        &[],
    ),
    // null and insecure origins.
    case(r"null|https://a\.com", PLAIN, &[NullOrigin], &[]),
    case(
        r"^http://api\.example\.com$",
        CREDS,
        &[InsecureOriginWithCredentials],
        &[],
    ),
    case(
        r"^https?://example\.com$",
        CREDS,
        &[InsecureOriginWithCredentials],
        &[],
    ),
    case(
        r"^(https://a\.com|http://b\.com)$",
        CREDS,
        &[InsecureOriginWithCredentials],
        &[],
    ),
    case(
        r"^http://10\.0\.0\.[0-9]{1,3}$",
        CREDS,
        &[InsecureOriginWithCredentials],
        &[],
    ),
    case(r"^http://10\.0\.0\.[0-9]{1,3}$", PLAIN, &[], &[]),
    // Invalid.
    case(r"(?=x)", PLAIN, &[RegexInvalid], &[]),
    case(r"\1", PLAIN, &[RegexInvalid], &[]),
    case(r"^https://(a\.com", PLAIN, &[RegexInvalid], &[]),
    case(r"a)|(b", PLAIN, &[RegexInvalid], &[]),
    case(r"(?u:\b)https://a\.com", PLAIN, &[RegexInvalid], &[]),
    case(r"a{1000}{1000}", PLAIN, &[RegexInvalid], &[]),
    case(r"(a|b)*a(a|b){30}", PLAIN, &[RegexInvalid], &[]),
    case(r"[^\x00-\xff]", PLAIN, &[RegexInvalid], &[]),
    case(r"^https://a\.com\zb", PLAIN, &[RegexInvalid], &[]),
    case(r"^https://example\.com/$", PLAIN, &[RegexInvalid], &[]),
    case(r"", PLAIN, &[RegexInvalid], &[]),
];

fn outside(host: &str, named: &[&str]) -> bool {
    !named
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

#[test]
fn table() {
    assert!(CASES.len() >= 25);
    let mut failures = Vec::new();
    for c in CASES {
        let started = Instant::now();
        let (dfa, findings) = analyze(c.regex, &c.ctx);
        let elapsed = started.elapsed();
        assert!(
            elapsed < Duration::from_secs(5),
            "{:?} took {elapsed:?}",
            c.regex
        );
        let mut got: Vec<Code> = findings.iter().map(|f| f.code).collect();
        got.sort();
        let mut want = c.codes.to_vec();
        want.sort();
        if got != want {
            failures.push(format!("{:?}: want {want:?}, got {findings:#?}", c.regex));
            continue;
        }
        assert_eq!(dfa.is_none(), want.contains(&RegexInvalid), "{:?}", c.regex);
        for f in &findings {
            assert!(!f.message.contains('\n') && !f.help.contains('\n'), "{f:?}");
            assert!(!f.help.is_empty(), "{f:?}");
            let severity = match f.code {
                RegexMatchesAnyOrigin | PublicSuffixWildcard if !c.ctx.credentials => {
                    Severity::Warning
                }
                _ => Severity::Error,
            };
            assert_eq!(f.severity, severity, "{:?}: {f:?}", c.regex);
            if f.code == RegexInvalid {
                assert!(f.counterexample.is_none());
                continue;
            }
            // Every other finding names the origin that proves it, in its message.
            let cx = f.counterexample.as_deref().expect("counterexample");
            assert!(f.message.contains(&format!("{cx:?}")), "{f:?}");
            let dfa = dfa.as_ref().unwrap();
            assert!(
                dfa_accepts(dfa, cx.as_bytes()),
                "{:?} rejects {cx}",
                c.regex
            );
            let check_origin = |cx: &str| {
                let o = Origin::parse(cx).unwrap_or_else(|| panic!("{cx} is not an origin"));
                assert!(!o.host.is_empty() && !o.host.contains('/'));
                o
            };
            match f.code {
                NullOrigin => assert_eq!(cx, "null"),
                RegexUnescapedDot | RegexUnboundedHost => {
                    let o = check_origin(cx);
                    assert!(outside(&o.host, c.named), "{cx} inside {:?}", c.named);
                }
                InsecureOriginWithCredentials => {
                    let o = check_origin(cx);
                    assert_eq!(o.scheme, "http");
                    assert!(o.host != "localhost" && !o.host.starts_with("127."));
                }
                PublicSuffixWildcard => {
                    let o = check_origin(cx);
                    let r = public_suffix::registrable_domain(&o.host).unwrap();
                    assert!(public_suffix::is_public_suffix(
                        r.split_once('.').unwrap().1
                    ));
                }
                RegexMatchesAnyOrigin => {
                    check_origin(cx);
                }
                other => panic!("unexpected code {other}"),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn messages_name_the_counterexample_and_the_fix() {
    let (_, f) = analyze(r"^https://api.example.com$", &CREDS);
    assert_eq!(
        f[0].message,
        r#"regex accepts "https://apixexample.com": a "." in the host matches any character, not only a dot"#
    );
    assert_eq!(f[0].help, r"escape the dot: api\.example\.com");

    let (_, f) = analyze(r"^https://.*example\.com$", &CREDS);
    assert_eq!(
        f[0].counterexample.as_deref(),
        Some("https://evilexample.com")
    );
    let (_, f) = analyze(r"^https://example\.com.*$", &CREDS);
    assert_eq!(
        f[0].counterexample.as_deref(),
        Some("https://example.com.evil.com")
    );
    let (_, f) = analyze(r"^https://[a-z0-9-]+\.github\.io$", &CREDS);
    assert_eq!(
        f[0].counterexample.as_deref(),
        Some("https://evil.github.io")
    );

    let (_, f) = analyze(r"(?=x)", &PLAIN);
    assert!(f[0].message.contains("look-around"), "{}", f[0].message);
    let (_, f) = analyze(r"\1", &PLAIN);
    assert!(f[0].message.contains("backreferences"), "{}", f[0].message);
    let (_, f) = analyze(r"a{1000}{1000}", &PLAIN);
    assert!(f[0].message.contains("exceeded limit"), "{}", f[0].message);
}

#[test]
fn whole_origin_match_whatever_the_anchors() {
    for src in [
        r"https://a\.com",
        r"^https://a\.com",
        r"https://a\.com$",
        r"(?x) https://a\.com  # trailing comment",
        r"(?m)^https://a\.com$",
    ] {
        let dfa = build_dfa(src).unwrap();
        assert!(dfa_accepts(&dfa, b"https://a.com"), "{src}");
        for bad in [
            "https://a.com.evil.com",
            "xhttps://a.com",
            "https://a.com\n",
            "\nhttps://a.com",
        ] {
            assert!(!dfa_accepts(&dfa, bad.as_bytes()), "{src} accepts {bad:?}");
        }
    }
}

#[test]
fn bytes_not_unicode() {
    // `.` is one byte, so the DFA never needs UTF-8 and never quits on non-ASCII.
    let dfa = build_dfa(r"^https://.\.example\.com$").unwrap();
    assert!(dfa_accepts(&dfa, b"https://\xff.example.com"));
    assert!(!dfa_accepts(&dfa, "https://é.example.com".as_bytes()));
}

#[test]
fn serialized_dfa_matches_the_same() {
    let dfa = build_dfa(r"^https://(eu|us)-[0-9]+\.example\.com$").unwrap();
    let (bytes, pad) = dfa.to_bytes_native_endian();
    let (back, _) = dense::DFA::from_bytes(&bytes[pad..]).unwrap();
    for (origin, want) in [
        ("https://eu-1.example.com", true),
        ("https://us-42.example.com", true),
        ("https://eu-.example.com", false),
        ("https://eu-1.example.com.evil.com", false),
    ] {
        assert_eq!(dfa_accepts(&back, origin.as_bytes()), want, "{origin}");
    }
}

#[test]
fn hostile_regexes_stop_quickly() {
    for src in [
        r"a{1000}{1000}",
        r"(a|b)*a(a|b){40}",
        r"((((((((((a*)*)*)*)*)*)*)*)*)*)*",
        &"(".repeat(500),
        &format!(
            "^https://({})$",
            (0..3000)
                .map(|i| format!("h{i}\\.example\\.com"))
                .collect::<Vec<_>>()
                .join("|")
        ),
    ] {
        let started = Instant::now();
        let mut diags = Diagnostics::<()>::new();
        let _ = check_regex(src, (), &PLAIN, &mut diags);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{src:.40} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn check_regex_reports_at_the_span() {
    let mut diags = Diagnostics::<u32>::new();
    let dfa = check_regex(r"^https://api.example.com$", 7, &CREDS, &mut diags);
    assert!(dfa.is_some());
    let all = diags.into_vec();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].code, all[0].span), (RegexUnescapedDot, 7));

    let mut diags = Diagnostics::<u32>::new();
    assert!(check_regex(r"(?=x)", 3, &CREDS, &mut diags).is_none());
    assert_eq!(diags.into_vec()[0].code, RegexInvalid);

    let mut diags = Diagnostics::<()>::new();
    assert!(check_regex(
        r"^https://(eu|us)-[0-9]+\.example\.com$",
        (),
        &CREDS,
        &mut diags
    )
    .is_some());
    assert!(diags.is_empty());
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn domain() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec("[a-z][a-z0-9]{0,5}", 1..3),
            prop::sample::select(vec!["com", "org", "net", "co.uk", "io", "de"]),
        )
            .prop_map(|(labels, tld)| format!("{}.{tld}", labels.join(".")))
            // A generated name can itself be a public suffix (`eu.com` is one), where a
            // subdomain wildcard is rightly reported.
            .prop_filter("a registrable domain, not a public suffix", |d| {
                !crate::public_suffix::is_public_suffix(d)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Regexes written the safe way (escaped, whole labels) never get a finding.
        #[test]
        fn escaped_domains_pass(d in domain(), form in 0..4usize) {
            let e = regex_syntax::escape(&d);
            let src = match form {
                0 => format!("^https://{e}$"),
                1 => format!(r"^https://([a-z0-9-]+\.)*{e}$"),
                2 => format!("^https://{e}(:[0-9]+)?$"),
                _ => format!(r"^https://(www|api|eu-[0-9]+)\.{e}$"),
            };
            let (dfa, findings) = analyze(&src, &CREDS);
            prop_assert!(findings.is_empty(), "{src}: {findings:?}");
            let plain = format!("https://{d}");
            prop_assert!(form == 3 || dfa_accepts(&dfa.unwrap(), plain.as_bytes()));
        }

        /// The last dot left unescaped is always caught, with a counterexample outside
        /// the domain that the DFA accepts.
        #[test]
        fn unescaped_last_dot_is_caught(d in domain()) {
            let e = regex_syntax::escape(&d);
            let i = e.rfind(r"\.").unwrap();
            let src = format!("^https://{}.{}$", &e[..i], &e[i + 2..]);
            let (dfa, findings) = analyze(&src, &PLAIN);
            let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
            prop_assert_eq!(codes, vec![RegexUnescapedDot], "{}", src);
            let cx = findings[0].counterexample.clone().unwrap();
            prop_assert!(dfa_accepts(&dfa.unwrap(), cx.as_bytes()));
            let host = Origin::parse(&cx).unwrap().host;
            let subdomain_suffix = format!(".{d}");
            prop_assert!(host != d && !host.ends_with(&subdomain_suffix), "{}", cx);
        }

        /// Arbitrary regex text never panics, and every counterexample reported is an
        /// origin the DFA accepts (or `null`).
        #[test]
        fn any_regex_text_is_handled(
            src in r"(\^?https?://)?[a-z.*+?|()\\^$\[\]{}0-9-]{0,14}\$?"
        ) {
            let (dfa, findings) = analyze(&src, &CREDS);
            for f in &findings {
                prop_assert!(!f.message.contains('\n'));
                if let Some(cx) = &f.counterexample {
                    let dfa = dfa.as_ref().unwrap();
                    prop_assert!(dfa_accepts(dfa, cx.as_bytes()), "{src}: {cx}");
                    prop_assert!(cx == "null" || Origin::parse(cx).is_some(), "{src}: {cx}");
                }
            }
            if findings.iter().any(|f| f.code == RegexInvalid) {
                prop_assert!(dfa.is_none());
            }
        }
    }
}

/// Inputs that once broke something, found by the property tests.
#[test]
fn regressions() {
    // The shortest completion once looked one step past a pair that cannot accept
    // (an overflow in debug builds, where the macro runs).
    let (dfa, findings) = analyze("http://()0.", &CREDS);
    let dfa = dfa.expect("compiles");
    assert!(!findings.is_empty());
    for f in &findings {
        let cx = f.counterexample.as_deref().expect("counterexample");
        assert!(dfa_accepts(&dfa, cx.as_bytes()), "{cx}");
    }
}

/// Found by the property test above: `eu.com` is a public suffix (PSL private section),
/// so a subdomain wildcard on it is a public-suffix wildcard.
#[test]
fn wildcard_under_a_private_section_suffix_is_reported() {
    let ctx = RegexContext {
        credentials: true,
        allow_insecure: false,
        allow_public_suffix_wildcards: false,
    };
    let mut diags = Diagnostics::<()>::new();
    let dfa = check_regex(r"^https://([a-z0-9-]+\.)*eu\.com$", (), &ctx, &mut diags);
    assert!(dfa.is_some());
    let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::PublicSuffixWildcard]);
}
