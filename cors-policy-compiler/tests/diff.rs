//! `diff`: what one version of a policy grants that the other does not, field by field,
//! origins compared as languages.

use cors_policy_compiler::diff::{diff, Field, PolicyDiff};
use cors_policy_compiler::load::load_yaml;
use cors_policy_compiler::model::ValidPolicy;

fn policy(yaml: &str) -> ValidPolicy {
    let file = load_yaml(yaml);
    let errors: Vec<String> = file
        .diagnostics
        .iter()
        .filter(|d| d.severity == cors_policy_compiler::Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{yaml}: {errors:?}");
    file.policies[0].valid.clone().expect("valid policy")
}

fn compare(old: &str, new: &str) -> PolicyDiff {
    diff(&policy(old), &policy(new))
}

/// `(field, items)` of each change.
fn summary(changes: &[cors_policy_compiler::diff::Change]) -> Vec<(Field, Vec<String>)> {
    changes.iter().map(|c| (c.field, c.items.clone())).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// `old` -> `new` widens `field` (with these items) and nothing else; `new` -> `old`
/// narrows exactly the same.
fn widens(old: &str, new: &str, field: Field, items: &[&str]) {
    let items = strings(items);
    let d = compare(old, new);
    assert_eq!(
        summary(&d.widened),
        [(field, items.clone())],
        "{old} -> {new}: {d:#?}"
    );
    assert!(d.narrowed.is_empty(), "{old} -> {new}: {d:#?}");
    let back = compare(new, old);
    assert_eq!(
        summary(&back.narrowed),
        [(field, items)],
        "{new} -> {old}: {back:#?}"
    );
    assert!(back.widened.is_empty(), "{new} -> {old}: {back:#?}");
}

const BASE: &str = "origins: [https://app.example.com]\n";

#[test]
fn every_field_widens_one_way_and_narrows_the_other() {
    widens(
        BASE,
        "origins: [https://app.example.com, https://admin.example.com]\n",
        Field::Origins,
        &["https://admin.example.com"],
    );
    widens(
        BASE,
        &format!("{BASE}credentials: true\n"),
        Field::Credentials,
        &[],
    );
    widens(
        &format!("{BASE}methods: [PUT]\n"),
        &format!("{BASE}methods: [PUT, DELETE]\n"),
        Field::Methods,
        &["DELETE"],
    );
    widens(
        &format!("{BASE}methods: [PUT]\n"),
        &format!("{BASE}methods: \"*\"\n"),
        Field::Methods,
        &[],
    );
    widens(
        &format!("{BASE}allow_headers: [x-a]\n"),
        &format!("{BASE}allow_headers: [x-a, authorization]\n"),
        Field::AllowHeaders,
        &["authorization"],
    );
    widens(
        &format!("{BASE}allow_headers: [x-a]\n"),
        &format!("{BASE}allow_headers: \"*\"\n"),
        Field::AllowHeaders,
        &[],
    );
    widens(
        BASE,
        &format!("{BASE}expose_headers: [x-request-id]\n"),
        Field::ExposeHeaders,
        &["x-request-id"],
    );
    widens(
        &format!("{BASE}expose_headers: [x-request-id]\n"),
        &format!("{BASE}expose_headers: \"*\"\n"),
        Field::ExposeHeaders,
        &[],
    );
    widens(
        &format!("{BASE}max_age: 60\n"),
        &format!("{BASE}max_age: 600\n"),
        Field::MaxAge,
        &[],
    );
    // An omitted max_age is Fetch's 5 seconds.
    widens(BASE, &format!("{BASE}max_age: 6\n"), Field::MaxAge, &[]);
    widens(
        BASE,
        &format!("{BASE}allow_private_network: true\n"),
        Field::PrivateNetwork,
        &[],
    );
    widens(
        "origins: [https://app.example.com]\n",
        "origins: \"*\"\n",
        Field::Origins,
        &[],
    );
}

#[test]
fn patterns_widen_with_example_origins() {
    let d = compare(
        BASE,
        "origins: [https://app.example.com, https://*.example.com]\n",
    );
    assert_eq!(d.widened.len(), 1, "{d:#?}");
    let change = &d.widened[0];
    assert_eq!(change.via.as_deref(), Some("https://*.example.com"));
    assert_eq!(
        change.items,
        [
            "https://a.example.com",
            "https://b.example.com",
            "https://c.example.com"
        ]
    );
    // Any port, including none: the new ports, never the old origin.
    let d = compare(
        "origins: [http://localhost]\n",
        "origins: [\"http://localhost:*\"]\n",
    );
    assert_eq!(
        summary(&d.widened),
        [(
            Field::Origins,
            vec![
                "http://localhost:1".to_owned(),
                "http://localhost:2".to_owned(),
                "http://localhost:3".to_owned()
            ]
        )]
    );
    assert!(d.narrowed.is_empty(), "{d:#?}");
}

#[test]
fn regex_pairs_whose_difference_is_one_origin() {
    for (old, new, only) in [
        (
            r"^https://(eu|us)\.example\.com$",
            r"^https://(eu|us|ap)\.example\.com$",
            "https://ap.example.com",
        ),
        (
            r"^https://app[0-8]\.example\.com$",
            r"^https://app[0-9]\.example\.com$",
            "https://app9.example.com",
        ),
        (
            r"^https://(eu|us)-[0-9]+\.partner\.example\.com$",
            r"^https://((eu|us)-[0-9]+|eu-x)\.partner\.example\.com$",
            "https://eu-x.partner.example.com",
        ),
    ] {
        let old = format!("origins:\n  - regex: '{old}'\n");
        let new = format!("origins:\n  - regex: '{new}'\n");
        let d = compare(&old, &new);
        assert_eq!(
            summary(&d.widened),
            [(Field::Origins, vec![only.to_owned()])],
            "{new}"
        );
        assert!(d.narrowed.is_empty(), "{d:#?}");
        let back = compare(&new, &old);
        assert_eq!(
            summary(&back.narrowed),
            [(Field::Origins, vec![only.to_owned()])]
        );
        assert!(back.widened.is_empty(), "{back:#?}");
    }
    // A regex that now also accepts one exact origin of the old list is no widening.
    let d = compare(
        "origins:\n  - https://ap.example.com\n  - regex: '^https://(eu|us)\\.example\\.com$'\n",
        "origins:\n  - regex: '^https://(eu|us|ap)\\.example\\.com$'\n",
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn the_same_languages_written_differently_report_no_difference() {
    for (a, b) in [
        (
            "origins: [https://a.example.com, https://b.example.com]\n",
            "origins:\n  - regex: '^https://(a|b)\\.example\\.com$'\n",
        ),
        (
            "origins: [https://b.example.com, https://a.example.com, https://a.example.com]\n",
            "origins: [https://a.example.com, https://b.example.com]\n",
        ),
        (
            "origins: [https://*.example.com]\n",
            "origins:\n  - regex: '^https://([a-z0-9_-]+\\.)+example\\.com$'\n",
        ),
        (
            "origins: [https://*.example.com, https://x.example.com]\n",
            "origins: [https://*.example.com]\n",
        ),
        (
            "origins: [\"http://localhost:*\"]\n",
            "origins:\n  - http://localhost\n  - regex: '^http://localhost:[0-9]+$'\n",
        ),
        (
            "origins: [https://a.example.com]\nmethods: [PUT, GET, HEAD]\nallow_headers: [x-a, accept]\nexpose_headers: [x-b, content-type]\n",
            "origins: [https://a.example.com]\nmethods: [PUT]\nallow_headers: [x-a]\nexpose_headers: [x-b]\n",
        ),
        (
            "origins: [https://a.example.com]\nmax_age: 5\n",
            "origins: [https://a.example.com]\n",
        ),
        ("origins: \"*\"\n", "origins: \"*\"\nmethods: []\n"),
        (
            "origins: [https://a.example.com]\nallow_headers: \"*\"\n",
            "origins: [https://a.example.com]\nallow_headers: [\"*\", x-a]\n",
        ),
    ] {
        assert!(compare(a, b).is_empty(), "{a} vs {b}: {:#?}", compare(a, b));
        assert!(compare(b, a).is_empty(), "{b} vs {a}: {:#?}", compare(b, a));
    }
}

#[test]
fn widening_and_narrowing_at_once_are_both_reported() {
    let d = compare(
        "origins: [https://old.example.com]\nmethods: [PUT]\n",
        "origins: [https://new.example.com]\nmethods: [DELETE]\n",
    );
    assert_eq!(
        summary(&d.widened),
        [
            (Field::Origins, vec!["https://new.example.com".to_owned()]),
            (Field::Methods, vec!["DELETE".to_owned()])
        ]
    );
    assert_eq!(
        summary(&d.narrowed),
        [
            (Field::Origins, vec!["https://old.example.com".to_owned()]),
            (Field::Methods, vec!["PUT".to_owned()])
        ]
    );
}

#[test]
fn a_pattern_over_listed_origins_shows_only_origins_not_listed_before() {
    let d = compare(
        "origins: [https://a.example.com, https://b.example.com]\n",
        "origins: [https://*.example.com]\n",
    );
    assert_eq!(
        summary(&d.widened),
        [(
            Field::Origins,
            strings(&[
                "https://c.example.com",
                "https://d.example.com",
                "https://e.example.com"
            ])
        )]
    );
    assert!(d.narrowed.is_empty(), "{d:#?}");
}

#[test]
fn a_thousand_exact_origins_are_compared_exactly() {
    let list: String = (0..1000)
        .map(|i| format!("  - https://app{i}.example.com\n"))
        .collect();
    let old = format!("origins:\n{list}");
    let new = format!("origins:\n  - https://*.example.com\n{list}  - https://extra.example.org\n");
    assert!(compare(&old, &old).is_empty());
    let d = compare(&old, &new);
    assert_eq!(
        summary(&d.widened),
        [
            (
                Field::Origins,
                strings(&[
                    "https://a.example.com",
                    "https://b.example.com",
                    "https://c.example.com"
                ])
            ),
            (Field::Origins, vec!["https://extra.example.org".to_owned()]),
        ]
    );
    assert!(d.narrowed.is_empty(), "{d:#?}");
    let back = compare(&new, &old);
    assert_eq!(back.narrowed.len(), 2, "{back:#?}");
    assert!(back.widened.is_empty(), "{back:#?}");
}
