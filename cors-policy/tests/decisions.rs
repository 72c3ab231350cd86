//! Data-driven decisions: every case of `tests/data/decisions.yaml` (request ->
//! expected status, verdict, reason and EVERY response header in order) against tables
//! built at run time from the policies at the top of that file.

mod common;

use std::collections::BTreeMap;

use cors_policy::engine::{Kind, Request, Values};
use cors_policy::Policy;
use serde_yaml::Value;

const DATA: &str = include_str!("data/decisions.yaml");

/// Expands `{rep:N:T}` (T repeated N times) and `{x:HH}` (the byte 0xHH).
fn expand(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.extend_from_slice(&rest.as_bytes()[..open]);
        let after = &rest[open..];
        if let Some(body) = after.strip_prefix("{rep:") {
            let close = body.find('}').expect("closed {rep}");
            let (n, text) = body[..close].split_once(':').expect("{rep:N:T}");
            let n: usize = n.parse().expect("count");
            out.extend(text.as_bytes().repeat(n));
            rest = &body[close + 1..];
        } else if let Some(body) = after.strip_prefix("{x:") {
            out.push(u8::from_str_radix(&body[..2], 16).expect("hex byte"));
            rest = &body[3..];
        } else {
            out.push(b'{');
            rest = &after[1..];
        }
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a scalar: {other:?}"),
    }
}

/// The header lines of a request key: absent, one string, a list, or {lines, text}.
fn lines(v: Option<&Value>) -> Option<Vec<Vec<u8>>> {
    match v? {
        Value::Sequence(items) => Some(items.iter().map(|i| expand(&scalar(i))).collect()),
        Value::Mapping(m) => {
            let n = m["lines"].as_u64().expect("lines") as usize;
            let text = expand(&scalar(&m["text"]));
            Some(vec![text; n])
        }
        other => Some(vec![expand(&scalar(other))]),
    }
}

fn values<'a>(lines: &'a Option<Vec<&'a [u8]>>) -> Values<'a> {
    match lines {
        None => Values::Absent,
        Some(l) if l.len() == 1 => Values::One(l[0]),
        Some(l) => Values::Many(l),
    }
}

fn borrow(l: &Option<Vec<Vec<u8>>>) -> Option<Vec<&[u8]>> {
    l.as_ref().map(|l| l.iter().map(Vec::as_slice).collect())
}

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
    let data: Value = serde_yaml::from_str(DATA).expect("decisions.yaml parses");
    let mut policies: BTreeMap<String, Policy> = BTreeMap::new();
    for (name, text) in data["policies"].as_mapping().expect("policies") {
        let name = name.as_str().unwrap().to_owned();
        policies.insert(name, common::policy(text.as_str().unwrap()));
    }
    let engines: BTreeMap<&str, _> = policies
        .iter()
        .map(|(n, p)| (n.as_str(), p.engine().expect("tables load")))
        .collect();

    let cases = data["cases"].as_sequence().expect("cases");
    let mut failures = Vec::new();
    let mut used = BTreeMap::<&str, usize>::new();
    for (i, case) in cases.iter().enumerate() {
        let p = case["p"].as_str().expect("p");
        *used.entry(p).or_default() += 1;
        let engine = engines
            .get(p)
            .unwrap_or_else(|| panic!("case {i}: no policy {p}"));
        let method = case
            .get("m")
            .map_or(b"GET".to_vec(), |m| expand(&scalar(m)));
        let origin = lines(case.get("o"));
        let acrm = lines(case.get("acrm"));
        let acrh = lines(case.get("acrh"));
        let pna = case.get("pna").map(|v| vec![expand(&scalar(v))]);
        let (origin_b, acrm_b, acrh_b, pna_b) =
            (borrow(&origin), borrow(&acrm), borrow(&acrh), borrow(&pna));
        let request = Request {
            method: &method,
            origin: values(&origin_b),
            request_method: values(&acrm_b),
            request_headers: values(&acrh_b),
            request_private_network: values(&pna_b),
        };
        let decision = engine.decide(&request);

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
        let origin_text = origin
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
