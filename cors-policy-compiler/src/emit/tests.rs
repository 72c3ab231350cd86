//! Shape tests of the emitted text. Whether it behaves like the engine is tested on
//! real nginx and Apache (`tests/tests/proxies.rs` of `cors-policy-tests`).

use super::*;
use crate::load::load_yaml;

fn policy(yaml: &str) -> ValidPolicy {
    let file = load_yaml(yaml);
    assert!(!file.diagnostics.has_errors(), "{:?}", file.diagnostics);
    file.select(None).unwrap().valid.clone().unwrap()
}

#[test]
fn nginx_never_puts_add_header_in_if_and_always_uses_always() {
    let p = policy("origins: [https://a.example.com, https://*.example.org]\ncredentials: true\nmethods: [PUT]\nallow_headers: [X-Trace]\nexpose_headers: [X-Id]\nmax_age: 60\n");
    let server = nginx(&p, NginxContext::Server).unwrap();
    let mut in_if = false;
    for line in server.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if line.starts_with("if ") {
            in_if = true;
        }
        if in_if {
            assert!(!line.contains("add_header"), "{line}");
            assert!(
                line.starts_with("if ") || line.trim() == "}" || line.trim().starts_with("return "),
                "{line}"
            );
        }
        if line.trim() == "}" {
            in_if = false;
        }
        if line.starts_with("add_header") {
            assert!(line.contains(" always;"), "{line}");
        }
    }
    assert_eq!(
        server
            .matches("add_header Access-Control-Allow-Origin")
            .count(),
        1
    );
    assert!(server.contains("# proxy_hide_header Access-Control-Allow-Origin;"));
}

#[test]
fn nginx_hashes_exact_origins_and_anchors_rules() {
    let p = policy("origins: [https://a.example.com, https://b.example.com, http://localhost:*]\n");
    let http = nginx(&p, NginxContext::Http).unwrap();
    assert!(http.contains("    \"https://a.example.com\" \"https://a.example.com\";"));
    let rule = http
        .lines()
        .find(|l| l.contains("localhost") && l.contains('~'))
        .unwrap();
    assert!(
        rule.contains(r#""~\A(?="#) && rule.contains(r#"\z" 1;"#),
        "{rule}"
    );
    // No `$` anchor (PCRE's matches before a final newline), no `.` wildcard.
    for line in http.lines().filter(|l| l.contains("\"~")) {
        let pattern = line.split('"').nth(1).unwrap();
        assert!(!pattern.contains('$'), "{line}");
        assert!(!pattern.replace(r"\.", "").contains('.'), "{line}");
    }
}

#[test]
fn large_lists_get_hash_sizes_and_apache_tries() {
    let origins: Vec<String> = (0..1000)
        .map(|i| format!("https://app-{i:04}.example.com"))
        .collect();
    let p = policy(&format!("origins: [{}]\n", origins.join(", ")));
    let http = nginx(&p, NginxContext::Http).unwrap();
    assert!(http.contains("map_hash_bucket_size"));
    let apache = apache(&p).unwrap();
    let lines: Vec<&str> = apache
        .lines()
        .filter(|l| l.starts_with("SetEnvIf Origin"))
        .collect();
    assert!(lines.len() < 10, "{} trie lines", lines.len());
    assert!(lines.iter().all(|l| l.len() < 9_000));
}

#[test]
fn apache_uses_always_and_set_for_cors_headers() {
    let file = load_yaml("policies:\n  app-1: { origins: [https://a.example.com], credentials: true, methods: [PUT] }\n");
    let p2 = file.select(Some("app-1")).unwrap().valid.clone().unwrap();
    let text = apache(&p2).unwrap();
    assert!(text.starts_with("# cors-policy: policy \"app-1\""));
    assert!(text.contains("# Modules: mod_setenvif, mod_rewrite, mod_headers"));
    for line in text.lines().filter(|l| l.starts_with("Header ")) {
        assert!(
            line.starts_with("Header always set Access-Control-")
                || line.starts_with("Header always merge Vary"),
            "{line}"
        );
    }
    assert!(text.contains("CORS_APP_1_ORIGIN"));
    assert!(!text.contains("SetEnvIfNoCase"));
}

#[test]
fn nginx_refuses_a_dollar_in_a_value() {
    let p = policy("origins: [https://a.example.com]\nexpose_headers: [x-$id]\n");
    let err = nginx(&p, NginxContext::Http).unwrap_err();
    assert!(err.to_string().contains('$'), "{err}");
}
