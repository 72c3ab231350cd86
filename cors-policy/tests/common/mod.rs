//! Shared helpers of the integration tests: building a compiled policy from YAML text.

#![allow(dead_code)]

use cors_policy::model::{
    HostPattern, NameSet, OriginPattern, OriginSet, PortPattern, RegexOrigin, ValidPolicy,
};
use cors_policy::Policy;
use regex_automata::dfa::{dense, StartKind};
use regex_automata::{nfa::thompson, util::syntax, MatchKind};
use serde_yaml::Value;

/// Loads, validates and compiles a one-policy YAML document with
/// [`Policy::from_yaml`]; an invalid test policy fails the test with its diagnostics.
///
/// STOPGAP for regex origins only, until the regex validator (`regex_proof`) is on
/// this branch: a policy with `regex:` goes through a direct YAML -> `ValidPolicy`
/// conversion (DFA built as the validator builds it), then the real
/// `compile::compile`.
pub fn policy(yaml: &str) -> Policy {
    if yaml.contains("regex:") {
        return cors_policy::compile::compile(&valid(yaml));
    }
    match Policy::from_yaml(yaml) {
        Ok(p) => p,
        Err(e) => panic!("test policy is invalid: {e}\n{yaml}"),
    }
}

/// The DFA the validator builds for a regex origin: `\A(?:src)\z` over bytes, anchored
/// start states, all matches.
pub fn regex_dfa(src: &str) -> dense::DFA<Vec<u32>> {
    dense::Builder::new()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .thompson(thompson::Config::new().utf8(false))
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .match_kind(MatchKind::All),
        )
        .build(&format!(r"\A(?:{src})\z"))
        .expect("test regex compiles")
}

fn valid(yaml: &str) -> ValidPolicy {
    let v: Value = serde_yaml::from_str(yaml).expect("test policy is YAML");
    let origins = match &v["origins"] {
        Value::String(s) if s == "*" => OriginSet::Any,
        Value::Sequence(items) => {
            let mut patterns = Vec::new();
            let mut regexes = Vec::new();
            for item in items {
                match item {
                    Value::String(s) => patterns.push(origin(s)),
                    Value::Mapping(_) => {
                        let src = item["regex"].as_str().expect("regex").to_owned();
                        regexes.push(RegexOrigin {
                            dfa: regex_dfa(&src),
                            source: src,
                        });
                    }
                    other => panic!("bad origin {other:?}"),
                }
            }
            OriginSet::List { patterns, regexes }
        }
        other => panic!("bad origins {other:?}"),
    };
    ValidPolicy {
        name: None,
        origins,
        credentials: v["credentials"].as_bool().unwrap_or(false),
        methods: names(&v["methods"], false),
        allow_headers: names(&v["allow_headers"], true),
        expose_headers: names(&v["expose_headers"], true),
        max_age: v["max_age"].as_u64().map(|n| n as u32),
        allow_private_network: v["allow_private_network"].as_bool().unwrap_or(false),
    }
}

fn names(v: &Value, lower: bool) -> NameSet {
    match v {
        Value::Null => NameSet::default(),
        Value::String(s) if s == "*" => NameSet {
            any: true,
            names: vec![],
        },
        Value::Sequence(items) => {
            let mut set = NameSet::default();
            for item in items {
                let s = item.as_str().expect("name");
                if s == "*" {
                    set.any = true;
                } else if lower {
                    set.names.push(s.to_ascii_lowercase());
                } else {
                    set.names.push(s.to_owned());
                }
            }
            set
        }
        other => panic!("bad names {other:?}"),
    }
}

fn origin(s: &str) -> OriginPattern {
    let (scheme, rest) = s.split_once("://").expect("scheme");
    let (host, port) = if let Some(end) = rest.find(']') {
        let (h, p) = rest.split_at(end + 1);
        (h, p.strip_prefix(':'))
    } else {
        match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        }
    };
    OriginPattern {
        scheme: scheme.to_owned(),
        host: match host.strip_prefix("*.") {
            Some(parent) => HostPattern::Subdomains(parent.to_owned()),
            None => HostPattern::Exact(host.to_owned()),
        },
        port: match port {
            None => PortPattern::Default,
            Some("*") => PortPattern::Any,
            Some(p) => PortPattern::Exact(p.parse().expect("port")),
        },
    }
}
