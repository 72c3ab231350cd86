//! The real-browser suite (`cors_policy_tests::browser`, headless Chromium) against the
//! configuration `cors-policy emit` writes, on real nginx and Apache in front of the
//! trivial application: the browser itself must allow and block exactly what the
//! suite expects of every backend.

use cors_policy::compiler::emit::{self, NginxContext};
use cors_policy::compiler::load::load_yaml;
use cors_policy_tests::browser;
use cors_policy_tests::servers::{require_tool, Apache, ApacheContext, Nginx};

fn policy() -> cors_policy::compiler::model::ValidPolicy {
    let text = std::fs::read_to_string(browser::POLICY_FILE).expect("the suite's policy");
    let file = load_yaml(&text);
    file.select(None)
        .expect("one policy")
        .valid
        .clone()
        .expect("the suite's policy is valid")
}

#[test]
fn nginx_in_a_real_browser() {
    let Some(nginx) = require_tool("nginx") else {
        return;
    };
    let policy = policy();
    let http = emit::nginx(&policy, NginxContext::Http).unwrap();
    let server = emit::nginx(&policy, NginxContext::Server).unwrap();
    let running = Nginx {
        http_part: &http,
        server_part: &server,
        server_block: None,
    }
    .start(&nginx)
    .expect("nginx starts");
    browser::assert_verdicts(
        &format!("http://localhost:{}", running.addr.port()),
        &browser::fixture_verdicts(),
    );
}

#[test]
fn apache_in_a_real_browser() {
    let Some(apache) = require_tool("apache2") else {
        return;
    };
    let snippet = emit::apache(&policy()).unwrap();
    let running = Apache {
        snippet: &snippet,
        context: ApacheContext::VirtualHost,
        virtual_host: None,
    }
    .start(&apache)
    .expect("apache2 starts");
    browser::assert_verdicts(
        &format!("http://localhost:{}", running.addr.port()),
        &browser::fixture_verdicts(),
    );
}
