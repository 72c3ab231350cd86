//! `cors-policy serve` on an ephemeral loopback port: the answers a client sees, the
//! same headers `check --format json` prints for the same request, policies with
//! errors refused, deny reasons logged with `--verbose`, and the real-browser suite.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::POLICY;
use cors_policy_tests::browser;
use cors_policy_tests::process::ServerProcess;
use cors_policy_tests::wire::{request, RawResponse};
use serde_json::Value;

const MULTI: &str = "\
policies:
  public:
    origins: \"*\"
    methods: [PUT]
  app:
    origins: [https://app.example.com]
";

/// Writes `text` to a fresh file named after the test and returns its path.
fn file(name: &str, text: &str) -> PathBuf {
    common::file("serve", name, text)
}

/// A running `cors-policy serve`, killed when dropped.
struct Server;

impl Server {
    /// Starts `serve ARGS --listen 127.0.0.1:0` and waits for its address line.
    fn start(args: &[&str]) -> ServerProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cors-policy"));
        command
            .arg("serve")
            .args(args)
            .args(["--listen", "127.0.0.1:0"]);
        ServerProcess::start(command)
    }
}

/// `cors-policy check --format json ARGS`, parsed.
fn check(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .arg("check")
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("the binary runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `check`'s `headers` as pairs.
fn check_headers(v: &Value) -> Vec<(String, String)> {
    v["headers"]
        .as_array()
        .expect("headers is a list")
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_owned(),
                pair[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn assert_app_answered(res: &RawResponse) {
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.body, r#"{"ok":true}"#);
    assert_eq!(res.all("x-request-id"), ["1"]);
    assert_eq!(res.all("content-type"), ["application/json"]);
}

#[test]
fn actual_requests_get_the_headers_check_prints() {
    let f = file("actual.yaml", POLICY);
    let path = f.to_str().unwrap();
    let server = Server::start(&[path]);
    for origin in [
        "https://app.example.com",
        "https://a.example.org",
        "https://evil.example.com",
    ] {
        let res = request(server.addr, "GET", "/any/path?q=1", &[("Origin", origin)]);
        assert_app_answered(&res);
        let expected = check(&[path, "--origin", origin]);
        assert_eq!(res.cors_headers(), check_headers(&expected), "{origin}");
        let allowed = expected["allowed"].as_bool().unwrap();
        assert_eq!(
            res.all("access-control-allow-origin").first().copied(),
            allowed.then_some(origin),
            "{origin}"
        );
    }
    // A PUT from a denied origin still reaches the application: only preflights are
    // answered by the layer.
    let res = request(server.addr, "PUT", "/x", &[("Origin", "https://evil.com")]);
    assert_app_answered(&res);
    assert_eq!(res.all("access-control-allow-origin"), Vec::<&str>::new());
    // Not a CORS request: untouched but for Vary.
    let res = request(server.addr, "GET", "/", &[]);
    assert_app_answered(&res);
    assert_eq!(res.cors_headers(), [("vary".into(), "Origin".into())]);
}

#[test]
fn preflights_are_answered_without_the_application() {
    let f = file("preflight.yaml", POLICY);
    let path = f.to_str().unwrap();
    let server = Server::start(&[path]);
    let cases: [(&str, &str, &[&str], u16); 4] = [
        (
            "https://app.example.com",
            "PUT",
            &["x-trace", "content-type"],
            204,
        ),
        ("https://b.example.org", "PUT", &[], 204),
        ("https://app.example.com", "DELETE", &[], 403),
        ("https://app.example.com", "PUT", &["x-secret"], 403),
    ];
    for (origin, method, names, status) in cases {
        let mut sorted = names.to_vec();
        sorted.sort_unstable();
        let acrh = sorted.join(",");
        let mut headers = vec![
            ("Origin", origin),
            ("Access-Control-Request-Method", method),
        ];
        if !names.is_empty() {
            headers.push(("Access-Control-Request-Headers", &acrh));
        }
        let res = request(server.addr, "OPTIONS", "/items/1", &headers);
        let mut args = vec![path, "--origin", origin, "--method", method, "--preflight"];
        for name in names {
            args.extend(["--header", name]);
        }
        let expected = check(&args);
        assert_eq!(res.status, status, "{origin} {method} {names:?}: {res:?}");
        assert_eq!(expected["status"], status, "{expected}");
        assert_eq!(res.cors_headers(), check_headers(&expected), "{args:?}");
        // The application never saw it.
        assert!(res.all("x-request-id").is_empty(), "{res:?}");
        assert_eq!(res.body, "");
    }
}

#[test]
fn a_plain_options_request_reaches_the_application() {
    let f = file("options.yaml", POLICY);
    let path = f.to_str().unwrap();
    let server = Server::start(&[path]);
    let origin = "https://app.example.com";
    let res = request(server.addr, "OPTIONS", "/", &[("Origin", origin)]);
    assert_app_answered(&res);
    let expected = check(&[path, "--origin", origin, "--method", "OPTIONS"]);
    assert_eq!(res.cors_headers(), check_headers(&expected));
    assert_eq!(res.all("access-control-allow-origin"), [origin]);
}

#[test]
fn a_named_policy_is_selected_with_policy() {
    let f = file("multi.yaml", MULTI);
    let path = f.to_str().unwrap();
    let server = Server::start(&["--policy", "public", path]);
    let res = request(
        server.addr,
        "GET",
        "/",
        &[("Origin", "https://any.example")],
    );
    assert_app_answered(&res);
    assert_eq!(res.all("access-control-allow-origin"), ["*"]);

    let out = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .args(["serve", path, "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a name is required");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("cors-policy: ") && err.contains("public"),
        "{err}"
    );
}

#[test]
fn a_policy_with_errors_is_refused_as_lint_reports_it() {
    let f = file(
        "errors.yaml",
        "origins: [\"null\", https://a.com/]\ncredentials: yes\n",
    );
    let path = f.to_str().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .args(["serve", path, "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing served, no address printed");
    let err = String::from_utf8_lossy(&out.stderr);
    let lint = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .args(["lint", path])
        .output()
        .unwrap();
    let lint = String::from_utf8_lossy(&lint.stdout);
    // What lint prints, then one closing line.
    assert!(lint.contains("error[null-origin]"), "{lint}");
    assert!(lint.contains("error[origin-with-path]"), "{lint}");
    assert!(err.starts_with(&*lint), "stderr:\n{err}\nlint:\n{lint}");
    assert!(
        err.trim_end()
            .ends_with("the policy has errors; refusing to use it"),
        "{err}"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .args(["serve", "/no/such/policy.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn verbose_logs_why_a_request_was_denied() {
    let f = file("verbose.yaml", POLICY);
    let path = f.to_str().unwrap();
    let denied = [("Origin", "https://evil.example.com")];
    let allowed = [("Origin", "https://app.example.com")];

    let quiet = Server::start(&[path]);
    request(quiet.addr, "GET", "/", &denied);
    assert_eq!(quiet.stop(), "", "without --verbose nothing is logged");

    let verbose = Server::start(&["--verbose", path]);
    request(verbose.addr, "GET", "/", &allowed);
    request(verbose.addr, "GET", "/", &denied);
    let log = verbose.stop();
    let reason = check(&[path, "--origin", "https://evil.example.com"])["reason"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        log.lines().count(),
        1,
        "one line, for the denied request: {log}"
    );
    assert!(
        log.contains("DEBUG") && log.contains(&reason) && log.contains("evil.example.com"),
        "{log}"
    );
}

#[test]
fn a_real_browser_gets_the_verdicts_of_the_policy() {
    let server = Server::start(&[browser::POLICY_FILE]);
    browser::assert_verdicts(
        &format!("http://localhost:{}", server.addr.port()),
        &browser::fixture_verdicts(),
    );
}

/// The hostile-socket suite (`cors_policy_tests::hostile`): requests no browser sends,
/// on raw TCP; bounded answers, no CORS header on a denial, and the server still
/// answering a burst of ordinary requests correctly afterwards.
#[test]
fn hostile_sockets_get_bounded_answers_and_the_server_stays_up() {
    let f = file("hostile.yaml", POLICY);
    let server = Server::start(&[f.to_str().unwrap()]);
    let report = cors_policy_tests::hostile::run(
        &cors_policy_tests::hostile::Target {
            name: "cors-policy serve",
            addr: server.addr,
            allowed: "https://app.example.com",
            method: "PUT",
            header: "x-trace",
            path: "/any",
        },
        200,
    );
    println!("cors-policy serve: {report}");
    for line in &report.details {
        println!("  {line}");
    }
}
