//! The YAML front end: every code it reports, with its position, the near-misses that
//! must not fire, and the positions it gives to values of every YAML style.

use cors_policy::compiler::raw::{RawList, RawOrigin, RawPolicy};
use cors_policy::compiler::yaml::{parse, ParsedFile};
use cors_policy::compiler::{Diagnostic, Diagnostics, Location, Severity};

fn run(text: &str) -> (ParsedFile, Vec<Diagnostic<Location>>) {
    let mut diags = Diagnostics::new();
    let parsed = parse(text, &mut diags);
    (parsed, diags.into_vec())
}

/// `(code, severity, line, column)` of every finding.
fn findings(text: &str) -> Vec<(&'static str, Severity, usize, usize)> {
    run(text)
        .1
        .iter()
        .map(|d| (d.code.as_str(), d.severity, d.span.line, d.span.column))
        .collect()
}

fn only(text: &str) -> Diagnostic<Location> {
    let (_, diags) = run(text);
    assert_eq!(
        diags.len(),
        1,
        "expected one finding for {text:?}, got {diags:#?}"
    );
    diags.into_iter().next().unwrap()
}

fn clean(text: &str) -> RawPolicy<Location> {
    let (parsed, diags) = run(text);
    assert!(
        diags.is_empty(),
        "unexpected findings for {text:?}: {diags:#?}"
    );
    assert_eq!(parsed.policies.len(), 1);
    assert_eq!(parsed.has_errors, vec![false]);
    parsed.policies.into_iter().next().unwrap()
}

fn loc(line: usize, column: usize, len: usize) -> Location {
    Location { line, column, len }
}

const E: Severity = Severity::Error;

// ---------------------------------------------------------------- positions

#[test]
fn block_policy_positions_of_every_value() {
    let p = clean(
        "origins:\n  - https://app.example.com\n  - \"null\"\n  - 'https://b.example.com'\n  - regex: '^https://a\\.example\\.com$'\ncredentials: true\nmax_age: 600\nallow_private_network: false\n",
    );
    assert!(p.name.is_none());
    assert_eq!(p.span, loc(1, 1, 8));
    let origins = p.origins.unwrap();
    assert_eq!(origins.span, loc(2, 3, 25));
    let RawList::Items(items) = origins.value else {
        panic!("a list")
    };
    assert_eq!(items.len(), 4);
    assert!(
        matches!(&items[0], RawOrigin::Text(t) if t.value == "https://app.example.com" && t.span == loc(2, 5, 23))
    );
    // Quoted scalars: the location covers the quotes.
    assert!(matches!(&items[1], RawOrigin::Text(t) if t.value == "null" && t.span == loc(3, 5, 6)));
    assert!(
        matches!(&items[2], RawOrigin::Text(t) if t.value == "https://b.example.com" && t.span == loc(4, 5, 23))
    );
    assert!(
        matches!(&items[3], RawOrigin::Regex(t) if t.value == "^https://a\\.example\\.com$" && t.span == loc(5, 12, 27))
    );
    let credentials = p.credentials.unwrap();
    assert!(credentials.value);
    assert_eq!(credentials.span, loc(6, 14, 4));
    let max_age = p.max_age.unwrap();
    assert_eq!((max_age.value, max_age.span), (600, loc(7, 10, 3)));
    let pna = p.allow_private_network.unwrap();
    assert_eq!((pna.value, pna.span), (false, loc(8, 24, 5)));
}

#[test]
fn flow_list_and_flow_map_positions() {
    let p = clean("origins: [\"https://a.com\", {regex: '^https://b\\.com$'}]\nmethods: [GET, \"PUT\"]\nallow_headers: ['X-A']\n");
    let origins = p.origins.unwrap();
    assert_eq!(origins.span, loc(1, 10, 46));
    let RawList::Items(items) = origins.value else {
        panic!("a list")
    };
    assert_eq!(items[0].span(), loc(1, 11, 15));
    assert!(matches!(&items[1], RawOrigin::Regex(t) if t.span == loc(1, 36, 18)));
    let methods = p.methods.unwrap();
    assert_eq!(methods.span, loc(2, 10, 12));
    let RawList::Items(methods) = methods.value else {
        panic!("a list")
    };
    assert_eq!(
        methods
            .iter()
            .map(|m| (m.value.as_str(), m.span))
            .collect::<Vec<_>>(),
        vec![("GET", loc(2, 11, 3)), ("PUT", loc(2, 16, 5))]
    );
    let RawList::Items(headers) = p.allow_headers.unwrap().value else {
        panic!("a list")
    };
    assert_eq!(headers[0].span, loc(3, 17, 5));
}

#[test]
fn columns_count_characters_not_bytes() {
    let p = clean("# é ü\norigins: [\"https://ü.example\", \"https://b.com\"]\n");
    let RawList::Items(items) = p.origins.unwrap().value else {
        panic!("a list")
    };
    assert_eq!(items[0].span(), loc(2, 11, 19));
    assert_eq!(items[1].span(), loc(2, 32, 15));
}

#[test]
fn wildcards_whole_value_and_inside_a_list() {
    let p = clean("origins: \"*\"\nmethods: '*'\nallow_headers: [\"*\"]\nexpose_headers: \"*\"\n");
    let origins = p.origins.unwrap();
    assert_eq!(origins.value, RawList::Wildcard(loc(1, 10, 3)));
    assert_eq!(p.methods.unwrap().value, RawList::Wildcard(loc(2, 10, 3)));
    // "*" inside a list stays an item: the validator decides what it means there.
    match p.allow_headers.unwrap().value {
        RawList::Items(items) => {
            assert_eq!(items.len(), 1);
            assert_eq!(
                (items[0].value.as_str(), items[0].span),
                ("*", loc(3, 17, 3))
            );
        }
        other => panic!("expected items, got {other:?}"),
    }
    assert!(matches!(
        p.expose_headers.unwrap().value,
        RawList::Wildcard(_)
    ));
}

#[test]
fn plain_star_origin_item_stays_an_item() {
    let p = clean("origins:\n  - \"*\"\n");
    assert!(matches!(p.origins.unwrap().value, RawList::Items(v) if v.len() == 1));
}

#[test]
fn policies_file_names_spans_and_order() {
    let text = "policies:\n  public: { origins: \"*\", methods: [GET] }\n  app:\n    origins: [https://app.example.com]\n    credentials: true\n  a-b_9: {origins: [https://c.com]}\n";
    let (parsed, diags) = run(text);
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(parsed.multi);
    assert_eq!(parsed.has_errors, vec![false, false, false]);
    let names: Vec<_> = parsed
        .policies
        .iter()
        .map(|p| {
            let n = p.name.as_ref().unwrap();
            (n.value.as_str(), n.span, p.span)
        })
        .collect();
    assert_eq!(
        names,
        vec![
            ("public", loc(2, 3, 6), loc(2, 3, 6)),
            ("app", loc(3, 3, 3), loc(3, 3, 3)),
            ("a-b_9", loc(6, 3, 5), loc(6, 3, 5)),
        ]
    );
    let app = &parsed.policies[1];
    assert_eq!(app.credentials.as_ref().unwrap().span, loc(5, 18, 4));
    let RawList::Items(items) = &app.origins.as_ref().unwrap().value else {
        panic!("a list")
    };
    assert_eq!(items[0].span(), loc(4, 15, 23));
    assert_eq!(
        parsed.policies[0].origins.as_ref().unwrap().value,
        RawList::Wildcard(loc(2, 22, 3))
    );
}

#[test]
fn anchors_and_aliases_are_followed() {
    let p = clean(
        "x-common: &m [GET, PUT]\n"
            .replace("x-common", "methods")
            .as_str(),
    );
    assert!(matches!(p.methods.unwrap().value, RawList::Items(v) if v.len() == 2));
    let (parsed, diags) = run("policies:\n  a: &p {origins: [https://a.com]}\n  b: *p\n");
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(parsed.policies.len(), 2);
    // An alias has no positions inside: its values point at the alias itself.
    let b = &parsed.policies[1];
    assert_eq!(b.origins.as_ref().unwrap().span, loc(3, 6, 2));
}

#[test]
fn windows_line_endings() {
    let p = clean("origins:\r\n  - https://a.com\r\nmax_age: 5\r\n");
    assert_eq!(p.max_age.unwrap().span, loc(3, 10, 1));
}

#[test]
fn empty_lists_and_maps_are_the_validators_business() {
    let p = clean("origins: []\nmethods: []\n");
    assert_eq!(p.origins.unwrap().value, RawList::Items(vec![]));
    let (parsed, diags) = run("policies:\n  app: {}\n");
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(parsed.policies[0].origins.is_none());
}

// ---------------------------------------------------------------- yaml-syntax

#[test]
fn yaml_syntax_bad_indentation() {
    let d = only("origins:\n  - https://a.com\n credentials: true\n");
    assert_eq!((d.code.as_str(), d.severity), ("yaml-syntax", E));
    assert_eq!(d.span.line, 3);
}

#[test]
fn yaml_syntax_unclosed_bracket() {
    let d = only("origins: [https://a.com\ncredentials: true\n");
    assert_eq!(d.code.as_str(), "yaml-syntax");
    assert!(d.span.line >= 2, "{d:?}");
    assert!(d.message.contains("flow sequence"), "{}", d.message);
    assert!(
        !d.message.contains("at line 3 column"),
        "position duplicated: {}",
        d.message
    );
}

#[test]
fn yaml_syntax_unclosed_at_end_of_file_points_at_the_opening() {
    assert_eq!(
        findings("origins: [https://a.com\n"),
        vec![("yaml-syntax", E, 1, 10)]
    );
    assert_eq!(
        findings("origins: {a: b\n\n"),
        vec![("yaml-syntax", E, 1, 10)]
    );
    assert_eq!(
        findings("origins:\n  - \"https://a.com\n"),
        vec![("yaml-syntax", E, 2, 5)]
    );
}

#[test]
fn yaml_syntax_tab_indentation() {
    let d = only("origins:\n\t- https://a.com\n");
    assert_eq!(
        (d.code.as_str(), d.span.line, d.span.column),
        ("yaml-syntax", 2, 1)
    );
}

#[test]
fn yaml_syntax_binary_junk() {
    let d = only("origins: [\"https://a.com\"]\n\u{1}\u{2}\u{7f}junk\n");
    assert_eq!((d.code.as_str(), d.span.line), ("yaml-syntax", 2));
}

#[test]
fn yaml_syntax_duplicate_key_points_at_the_second() {
    let got = findings("origins: [https://a.com]\ncredentials: true\norigins: \"*\"\n");
    assert_eq!(got, vec![("yaml-syntax", E, 3, 1)]);
    let d = only("origins: [https://a.com]\norigins: \"*\"\n");
    assert!(
        d.message.contains("duplicate key `origins`") && d.message.contains("line 1"),
        "{}",
        d.message
    );
    // Inside a named policy too.
    assert_eq!(
        findings("policies:\n  a: {origins: [https://a.com], methods: [GET], methods: [PUT]}\n"),
        vec![("yaml-syntax", E, 2, 49)]
    );
}

#[test]
fn yaml_syntax_duplicate_key_marks_the_policy_unusable() {
    let (parsed, _) = run("origins: [https://a.com]\ncredentials: false\ncredentials: true\n");
    assert_eq!(parsed.has_errors, vec![true]);
}

#[test]
fn yaml_syntax_several_documents() {
    let (parsed, diags) = run("origins: [https://a.com]\n---\norigins: \"*\"\n");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code.as_str(), "yaml-syntax");
    assert_eq!(diags[0].span, loc(2, 1, 3));
    assert!(diags[0].message.contains("more than one YAML document"));
    assert_eq!(parsed.has_errors, vec![true]);
}

#[test]
fn explicit_document_markers_are_one_document() {
    clean("---\norigins: [https://a.com]\n...\n");
}

// ---------------------------------------------------------------- invalid-value

#[test]
fn invalid_value_credentials_string() {
    let d = only("origins: [https://a.com]\ncredentials: \"yes\"\n");
    assert_eq!(
        (d.code.as_str(), d.severity, d.span),
        ("invalid-value", E, loc(2, 14, 5))
    );
    assert!(
        d.message.contains("`credentials`") && d.message.contains("\"yes\""),
        "{}",
        d.message
    );
    assert_eq!(d.help, "write `credentials: true` (no quotes)");
    // Plain `yes` is a string in YAML 1.2 too.
    assert_eq!(
        findings("origins: [https://a.com]\ncredentials: yes\n"),
        vec![("invalid-value", E, 2, 14)]
    );
}

#[test]
fn invalid_value_leaves_the_policy_marked() {
    let (parsed, _) = run("origins: [https://a.com]\ncredentials: \"yes\"\n");
    assert_eq!(parsed.has_errors, vec![true]);
    assert!(parsed.policies[0].credentials.is_none());
    assert!(parsed.policies[0].origins.is_some());
}

#[test]
fn invalid_value_max_age_duration() {
    let d = only("origins: [https://a.com]\nmax_age: 10m\n");
    assert_eq!((d.code.as_str(), d.span), ("invalid-value", loc(2, 10, 3)));
    assert!(d.message.contains("`max_age`"));
    assert_eq!(d.help, "write the number of seconds: `max_age: 600`");
    assert_eq!(
        findings("max_age: 1.5\norigins: \"*\"\n"),
        vec![("invalid-value", E, 1, 10)]
    );
    assert_eq!(
        findings("max_age: \"600\"\norigins: \"*\"\n"),
        vec![("invalid-value", E, 1, 10)]
    );
}

#[test]
fn invalid_value_map_where_a_list_belongs() {
    let d = only("origins:\n  app: https://a.com\n");
    assert_eq!(
        (d.code.as_str(), d.span.line, d.span.column),
        ("invalid-value", 2, 3)
    );
    assert!(d.message.contains("found a mapping"), "{}", d.message);
    assert_eq!(
        findings("origins: \"*\"\nmethods: {GET: true}\n"),
        vec![("invalid-value", E, 2, 10)]
    );
}

#[test]
fn invalid_value_list_at_top_level() {
    let d = only("- origins: [https://a.com]\n");
    assert_eq!(
        (d.code.as_str(), d.span.line, d.span.column),
        ("invalid-value", 1, 1)
    );
    assert!(d.message.contains("found a list"));
    assert_eq!(
        findings("just a string\n"),
        vec![("invalid-value", E, 1, 1)]
    );
}

#[test]
fn invalid_value_empty_document() {
    for text in ["", "\n\n", "# nothing here\n", "---\n", "~\n"] {
        assert_eq!(findings(text), vec![("invalid-value", E, 1, 1)], "{text:?}");
        assert!(run(text).0.policies.is_empty());
    }
}

#[test]
fn invalid_value_origins_number_and_empty() {
    assert_eq!(findings("origins: 5\n"), vec![("invalid-value", E, 1, 10)]);
    let d = only("origins:\ncredentials: true\n");
    assert_eq!((d.code.as_str(), d.span), ("invalid-value", loc(1, 1, 7)));
    assert!(d.message.contains("found nothing"), "{}", d.message);
}

#[test]
fn invalid_value_single_origin_string_is_still_checked() {
    let (parsed, diags) = run("origins: https://a.com\n");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].help, "write a list: `origins: [https://a.com]`");
    // Passed on as a list of one, so the validator checks it (and no `no-origins`).
    let RawList::Items(items) = &parsed.policies[0].origins.as_ref().unwrap().value else {
        panic!("a list")
    };
    assert_eq!(items.len(), 1);
}

#[test]
fn invalid_value_bad_list_items() {
    let got =
        findings("origins:\n  - 5\n  - null\n  - [https://a.com]\n  - https://ok.com\n  - {}\n");
    assert_eq!(
        got,
        vec![
            ("invalid-value", E, 2, 5),
            ("invalid-value", E, 3, 5),
            ("invalid-value", E, 4, 5),
            ("invalid-value", E, 6, 5),
        ]
    );
    let d = &run("origins: [null]\n").1[0];
    assert_eq!(d.help, "quote it to make it a string: `- \"null\"`");
    // Good items survive next to bad ones.
    let (parsed, _) = run("origins: [5, https://ok.com]\n");
    assert!(
        matches!(&parsed.policies[0].origins.as_ref().unwrap().value, RawList::Items(v) if v.len() == 1)
    );
    assert_eq!(
        findings("origins: \"*\"\nmethods: [GET, 5, true]\n"),
        vec![("invalid-value", E, 2, 16), ("invalid-value", E, 2, 19)]
    );
}

#[test]
fn invalid_value_regex_not_a_string() {
    assert_eq!(
        findings("origins:\n  - regex: 5\n"),
        vec![("invalid-value", E, 2, 12)]
    );
    assert_eq!(
        findings("origins:\n  - regex: [a, b]\n"),
        vec![("invalid-value", E, 2, 12)]
    );
}

#[test]
fn invalid_value_policy_names() {
    assert_eq!(
        findings("policies:\n  App: {origins: [https://a.com]}\n  my.api: {origins: [https://a.com]}\n  \"\": {origins: [https://a.com]}\n"),
        vec![("invalid-value", E, 2, 3), ("invalid-value", E, 3, 3), ("invalid-value", E, 4, 3)]
    );
    let d = only("policies:\n  App: {origins: [https://a.com]}\n");
    assert_eq!(d.help, "rename it, e.g. `app`");
    // The body of a badly named policy is still read.
    let (parsed, _) = run("policies:\n  App: {origins: [https://a.com]}\n");
    assert_eq!(parsed.policies.len(), 1);
    assert_eq!(parsed.has_errors, vec![true]);
}

#[test]
fn invalid_value_policies_mixed_with_top_level_keys() {
    let (parsed, diags) = run("origins: \"*\"\npolicies:\n  a: {origins: [https://a.com]}\n");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        (
            diags[0].code.as_str(),
            diags[0].span.line,
            diags[0].span.column
        ),
        ("invalid-value", 1, 1)
    );
    assert!(parsed.multi);
    assert_eq!(parsed.has_errors, vec![true]);
}

#[test]
fn invalid_value_empty_or_wrong_policies() {
    assert_eq!(
        findings("policies: {}\n"),
        vec![("invalid-value", E, 1, 11)]
    );
    assert_eq!(findings("policies:\n"), vec![("invalid-value", E, 1, 1)]);
    assert_eq!(
        findings("policies: [a, b]\n"),
        vec![("invalid-value", E, 1, 11)]
    );
    assert_eq!(
        findings("policies:\n  a: [https://a.com]\n"),
        vec![("invalid-value", E, 2, 6)]
    );
    assert_eq!(
        findings("policies:\n  a:\n"),
        vec![("invalid-value", E, 2, 3)]
    );
}

#[test]
fn invalid_value_non_string_key() {
    assert_eq!(
        findings("origins: \"*\"\n5: x\n"),
        vec![("invalid-value", E, 2, 1)]
    );
}

#[test]
fn invalid_value_custom_tag() {
    let d = only("origins: \"*\"\ncredentials: !secret true\n");
    assert_eq!(d.code.as_str(), "invalid-value");
    assert!(d.message.contains("tagged `!secret`"), "{}", d.message);
}

// ---------------------------------------------------------------- unknown-key

#[test]
fn unknown_key_with_did_you_mean() {
    let d = only("origins: \"*\"\ncredential: true\n");
    assert_eq!((d.code.as_str(), d.span), ("unknown-key", loc(2, 1, 10)));
    assert_eq!(d.help, "did you mean `credentials`?");
    let d = only("origins: \"*\"\nfoo: 1\n");
    assert!(
        d.help.starts_with("the keys are: origins, credentials"),
        "{}",
        d.help
    );
}

#[test]
fn unknown_key_inside_regex_item() {
    let got = run("origins:\n  - regex: '^https://a\\.com$'\n    flags: i\n");
    assert_eq!(got.1.len(), 1);
    assert_eq!(
        (
            got.1[0].code.as_str(),
            got.1[0].span.line,
            got.1[0].span.column
        ),
        ("unknown-key", 3, 5)
    );
    // The regex itself is still kept.
    assert!(
        matches!(&got.0.policies[0].origins.as_ref().unwrap().value, RawList::Items(v) if v.len() == 1)
    );
    let d = only("origins:\n  - regexp: '^https://a\\.com$'\n");
    assert_eq!(
        (d.code.as_str(), d.help.as_str()),
        ("unknown-key", "did you mean `regex`?")
    );
}

#[test]
fn unknown_key_top_level() {
    assert_eq!(
        findings("policies:\n  a: {origins: [https://a.com]}\nversion: 2\n"),
        vec![("unknown-key", E, 3, 1)]
    );
    let d = only("polices:\n  a: {origins: [https://a.com]}\n");
    assert_eq!(
        (d.code.as_str(), d.help.as_str()),
        ("unknown-key", "did you mean `policies`?")
    );
    assert_eq!(
        findings("policies:\n  a: {origins: [https://a.com], method: [GET]}\n"),
        vec![("unknown-key", E, 2, 33)]
    );
}

#[test]
fn unknown_key_merge_key_is_explained() {
    let d = only("policies:\n  base: &b {origins: [https://a.com]}\n  app:\n    <<: *b\n    credentials: true\n");
    assert_eq!((d.code.as_str(), d.span), ("unknown-key", loc(4, 5, 2)));
    assert!(d.message.contains("merge keys"), "{}", d.message);
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused_cleanly() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("origins: *a9\n");
    let d = only(&text);
    assert_eq!(d.code.as_str(), "yaml-syntax");
    assert!(d.help.starts_with("simplify"), "{}", d.help);
    let deep = format!("origins: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    assert_eq!(only(&deep).code.as_str(), "yaml-syntax");
}

// ---------------------------------------------------------------- max_age

#[test]
fn max_age_beyond_i64_is_out_of_range() {
    for (text, col) in [
        ("max_age: 9223372036854775808\n", 10),
        ("max_age: 99999999999999999999\n", 10),
        ("max_age: 340282366920938463463374607431768211456999\n", 10),
        ("max_age: -9223372036854775809\n", 10),
    ] {
        let full = format!("origins: \"*\"\n{text}");
        let d = only(&full);
        assert_eq!(
            (d.code.as_str(), d.severity, d.span.line, d.span.column),
            ("max-age-out-of-range", E, 2, col),
            "{text}"
        );
    }
}

#[test]
fn max_age_in_i64_goes_to_the_validator() {
    // Negative and huge-but-fitting values are the validator's to judge.
    assert_eq!(
        clean("origins: \"*\"\nmax_age: -5\n")
            .max_age
            .unwrap()
            .value,
        -5
    );
    assert_eq!(
        clean("origins: \"*\"\nmax_age: 9223372036854775807\n")
            .max_age
            .unwrap()
            .value,
        i64::MAX
    );
    assert_eq!(
        clean("origins: \"*\"\nmax_age: 0\n").max_age.unwrap().value,
        0
    );
    assert_eq!(
        clean("origins: \"*\"\nmax_age: 0x10\n")
            .max_age
            .unwrap()
            .value,
        16
    );
}

// ---------------------------------------------------------------- near misses

#[test]
fn near_misses_that_must_not_fire() {
    clean("origins: [\"null\"]\n");
    clean("origins: \"*\"\ncredentials: false\nallow_private_network: true\ndangerously_allow_insecure_origins: false\ndangerously_allow_public_suffix_wildcards: false\n");
    clean("origins: ['*']\nmethods: ['*', GET]\n");
    clean("# a comment\norigins: [https://a.com] # trailing\n");
    clean("origins:\n- https://a.com\n");
    clean("\u{feff}origins: [https://a.com]\n");
    clean("origins: [https://a.com]\nallow_headers: [Content-Type, \"5\"]\n");
    clean("origins:\n  - >-\n    https://a.com\n");
}

#[test]
fn every_error_is_collected() {
    let got = findings(
        "origins: 5\ncredentials: \"yes\"\nmax_age: 10m\nmethod: [GET]\nexpose_headers: {a: b}\n",
    );
    assert_eq!(
        got,
        vec![
            ("invalid-value", E, 1, 10),
            ("invalid-value", E, 2, 14),
            ("invalid-value", E, 3, 10),
            ("unknown-key", E, 4, 1),
            ("invalid-value", E, 5, 17),
        ]
    );
}

// ---------------------------------------------------------------- never panics

#[test]
fn malformed_inputs_never_panic_and_always_locate() {
    let inputs = [
        "origins: [",
        "origins: {",
        "origins: \"",
        "origins: '",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "a: &a [*a]",
        "a: *nope",
        "!!binary foo",
        "origins: !!int x",
        "? [a]\n: b",
        "? a\n? a",
        "%YAML 1.2\n---\norigins: [a]",
        "%FOO\n",
        "origins: |\n  a\n b",
        "origins:\n  - a\n - b",
        "\u{0}",
        "origins: [a]\n\u{0}",
        "---\n---\n---",
        "...\n",
        ": :",
        "- - - -",
        "{a: [}]",
        "origins: [a, b]]",
        "\"\\uD800\"",
        "origins: \"\\x\"",
        "\t",
        "a:\n  b:\n    c:\n      d: [1, {e: f}]",
        "policies:\n  a: *x",
        "policies: {a: {origins: [{regex: {}}]}}",
        "policies: {a: {origins: [{regex: '', regex: ''}]}}",
        "max_age: .inf\norigins: \"*\"",
        "max_age: .nan\norigins: \"*\"",
        "max_age: -.inf\norigins: \"*\"",
        "max_age: 1e400\norigins: \"*\"",
        "max_age: ~\norigins: \"*\"",
    ];
    for text in inputs {
        check_never_panics(text);
    }
}

fn check_never_panics(text: &str) {
    let lines = text.split('\n').count().max(1);
    let (_, diags) = run(text);
    for d in &diags {
        assert!(
            d.span.line >= 1 && d.span.line <= lines + 1,
            "{text:?}: {d:?}"
        );
        assert!(d.span.column >= 1 && d.span.len >= 1, "{text:?}: {d:?}");
        assert!(
            !d.message.is_empty() && !d.help.is_empty(),
            "{text:?}: {d:?}"
        );
    }
}

/// A small deterministic generator, so a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_bytes_and_mutations_never_panic() {
    let seed_text = "policies:\n  app:\n    origins:\n      - https://app.example.com\n      - regex: '^https://a\\.b$'\n    credentials: true\n    methods: [GET, \"PUT\"]\n    max_age: 600\n  pub: { origins: \"*\" }\n";
    let alphabet = b" \t\n-:[]{}'\"*#&!|>?,%@`\\\r0a";
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..1500 {
        // Mutations of a valid file: the likeliest shapes of real mistakes.
        let mut bytes = seed_text.as_bytes().to_vec();
        for _ in 0..(rng.next() % 4 + 1) {
            let at = (rng.next() as usize) % (bytes.len() + 1);
            match rng.next() % 3 {
                0 if at < bytes.len() => {
                    bytes.remove(at);
                }
                1 if at < bytes.len() => {
                    bytes[at] = alphabet[(rng.next() as usize) % alphabet.len()]
                }
                _ => bytes.insert(at, alphabet[(rng.next() as usize) % alphabet.len()]),
            }
        }
        check_never_panics(&String::from_utf8_lossy(&bytes));
        // Random bytes.
        let n = (rng.next() % 64) as usize;
        let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
        check_never_panics(&String::from_utf8_lossy(&junk));
    }
}

// ---------------------------------------------------------------- through load_yaml

#[test]
fn a_policy_with_a_front_end_error_is_never_used() {
    // `credentials: "yes"` is left out of the raw policy; without the front end's flag
    // the validator would accept a policy silently without credentials.
    let file = cors_policy::compiler::load::load_yaml(
        "policies:\n  good: {origins: [https://a.com]}\n  bad: {origins: [https://a.com], credentials: \"yes\"}\n",
    );
    let valid: Vec<_> = file
        .policies
        .iter()
        .map(|p| (p.name.as_deref(), p.valid.is_some()))
        .collect();
    assert_eq!(valid, vec![(Some("good"), true), (Some("bad"), false)]);
    let single = cors_policy::compiler::load::load_yaml("origins: [https://a.com]\nmax_age: 10m\n");
    assert!(single.policies[0].valid.is_none());
    assert!(matches!(
        cors_policy::from_yaml("origins: [https://a.com]\ncredentials: \"yes\"\n"),
        Err(cors_policy::LoadError::Invalid(_))
    ));
}
