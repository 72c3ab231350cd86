//! Data-driven decisions: every case of `tests/data/decisions.yaml` (request ->
//! expected status, verdict, reason and EVERY response header in order) against tables
//! built at run time from the policies at the top of that file.

mod common;
#[path = "data/decision_table.rs"]
mod decision_table;

use std::collections::BTreeMap;

use cors_policy::engine::{Kind, Request};
use cors_policy::Policy;
use decision_table::scalar;
use serde_yaml::Value;

fn header_name(abbr: &str) -> &'static str {
    match abbr {
        "acao" => "access-control-allow-origin",
        "acac" => "access-control-allow-credentials",
        "acam" => "access-control-allow-methods",
        "acah" => "access-control-allow-headers",
        "acma" => "access-control-max-age",
        "acapn" => "access-control-allow-private-network",
        "aceh" => "access-control-expose-headers",
        "vary" => "vary",
        other => panic!("unknown header abbreviation {other}"),
    }
}

fn vary_value(v: &str) -> String {
    let names: Option<Vec<&str>> = v
        .chars()
        .map(|c| match c {
            'O' => Some("Origin"),
            'M' => Some("Access-Control-Request-Method"),
            'H' => Some("Access-Control-Request-Headers"),
            'P' => Some("Access-Control-Request-Private-Network"),
            _ => None,
        })
        .collect();
    names.map_or_else(|| v.to_owned(), |n| n.join(", "))
}

#[test]
fn decisions_table() {
    let table = decision_table::Table::load();
    let mut policies: BTreeMap<String, Policy> = BTreeMap::new();
    for (name, text) in table.policies() {
        policies.insert(name.to_owned(), common::policy(text));
    }
    let engines: BTreeMap<&str, _> = policies
        .iter()
        .map(|(n, p)| (n.as_str(), p.engine().expect("tables load")))
        .collect();

    let cases = table.cases();
    let mut failures = Vec::new();
    let mut used = BTreeMap::<&str, usize>::new();
    for (i, row) in cases.iter().enumerate() {
        let (p, case) = (row.policy, row.row);
        *used.entry(p).or_default() += 1;
        let engine = engines
            .get(p)
            .unwrap_or_else(|| panic!("case {i}: no policy {p}"));
        let lines = row.request.borrowed();
        let request = lines.request();
        let decision = engine.decide(&request);
        // Adapters prepare every static value once: none may be missing from the list.
        for h in decision.headers() {
            if let cors_policy::engine::Source::Static(text) = h.source {
                assert!(
                    cors_policy::engine::STATIC_VALUES.contains(&text),
                    "case {i}: static value {text:?} is not in STATIC_VALUES"
                );
                assert_eq!(text.as_bytes(), h.value, "case {i}");
            }
        }

        let want = scalar(&case["want"]);
        let (kind, allowed, status) = match want.as_str() {
            "204" => (Kind::Preflight, true, Some(204)),
            "403" => (Kind::Preflight, false, Some(403)),
            "allow" => (Kind::Actual, true, None),
            "deny" => (Kind::Actual, false, None),
            "pass" => (Kind::NotCors, false, None),
            other => panic!("case {i}: bad want {other}"),
        };
        let mut problems = Vec::new();
        if decision.kind() != kind {
            problems.push(format!("kind {:?}, want {kind:?}", decision.kind()));
        }
        if decision.is_allowed() != allowed {
            problems.push(format!("allowed {}, want {allowed}", decision.is_allowed()));
        }
        if decision.status() != status {
            problems.push(format!("status {:?}, want {status:?}", decision.status()));
        }
        if decision.reason().is_denial() == allowed && kind != Kind::NotCors {
            problems.push(format!(
                "reason `{}` contradicts the verdict",
                decision.reason()
            ));
        }
        if let Some(want_reason) = case.get("reason") {
            let got = decision.reason().to_string();
            let want_reason = scalar(want_reason);
            if !got.contains(&want_reason) {
                problems.push(format!("reason `{got}` lacks `{want_reason}`"));
            }
        }
        let origin_text = row
            .request
            .origin
            .as_ref()
            .and_then(|o| o.first())
            .map(|o| String::from_utf8_lossy(o).into_owned());
        let mut expected: Vec<(String, String)> = Vec::new();
        for (k, v) in case["h"].as_mapping().expect("h") {
            let name = header_name(k.as_str().unwrap());
            let values: Vec<String> = match v {
                Value::Sequence(items) => items.iter().map(scalar).collect(),
                v => vec![scalar(v)],
            };
            for value in values {
                let value = match (name, value.as_str()) {
                    (_, "=o") => origin_text.clone().expect("=o needs an origin"),
                    ("vary", v) => vary_value(v),
                    _ => value,
                };
                expected.push((name.to_owned(), value));
            }
        }
        let got: Vec<(String, String)> = decision
            .headers()
            .map(|h| {
                (
                    h.name.to_owned(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect();
        if got != expected {
            problems.push(format!(
                "headers\n      got  {got:?}\n      want {expected:?}"
            ));
        }
        // `vary()` names and the `vary` header agree.
        let vary_header = got
            .iter()
            .find(|(n, _)| n == "vary")
            .map(|(_, v)| v.clone());
        let joined = decision.vary().join(", ");
        if vary_header.unwrap_or_default() != joined {
            problems.push(format!("vary() {joined:?} differs from the header"));
        }
        if !problems.is_empty() {
            let shown: String = format!("{case:?}").chars().take(300).collect();
            failures.push(format!("case {i} {shown}\n    {}", problems.join("\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    assert_eq!(
        used.len(),
        policies.len(),
        "every policy has cases: {used:?}"
    );
}

/// The engine's answer never depends on anything but the inputs: the same request twice
/// gives the same decision, and a cloned policy gives the same answers.
#[test]
fn cloned_policies_answer_alike() {
    let policy = common::policy(
        "origins: [https://a.example.com, https://*.b.example.com, {regex: '^https://c[0-9]\\.example\\.com$'}]\n",
    );
    let copy = policy.clone();
    let (e1, e2) = (policy.engine().unwrap(), copy.engine().unwrap());
    for origin in [
        &b"https://a.example.com"[..],
        b"https://x.b.example.com",
        b"https://c7.example.com",
        b"https://c77.example.com",
        b"https://b.example.com",
    ] {
        let r = Request::new(b"GET").origin(origin);
        assert_eq!(e1.decide(&r).is_allowed(), e2.decide(&r).is_allowed());
        assert_eq!(
            e1.decide(&r).headers().collect::<Vec<_>>(),
            e2.decide(&r).headers().collect::<Vec<_>>()
        );
    }
    assert!(e1.is_origin_allowed(b"https://c7.example.com"));
    assert!(!e1.is_origin_allowed(b"https://c77.example.com"));
}
