//! `cors-policy check`: the binary's JSON, human output and exit codes.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::POLICY;
use serde_json::{json, Value};

const MULTI: &str = "\
policies:
  public:
    origins: \"*\"
  app:
    origins: [https://app.example.com]
";

/// Writes `text` to a fresh file named after the test and returns its path.
fn file(name: &str, text: &str) -> PathBuf {
    common::file("check", name, text)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .arg("check")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn allowed_actual_request_json() {
    let f = file("actual.yaml", POLICY);
    let out = run(&[
        "--format",
        "json",
        f.to_str().unwrap(),
        "--origin",
        "https://app.example.com",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(v["allowed"], json!(true));
    assert_eq!(v["kind"], json!("actual"));
    assert!(
        v.get("status").is_none(),
        "no status for an actual request: {v}"
    );
    assert_eq!(v["reason"], json!("the origin is listed"));
    assert_eq!(
        v["headers"],
        json!([
            ["access-control-allow-origin", "https://app.example.com"],
            ["access-control-allow-credentials", "true"],
            ["access-control-expose-headers", "x-request-id"],
            ["vary", "Origin"]
        ])
    );
    // Keys in the order of the spec.
    let text = String::from_utf8(out.stdout).unwrap();
    let pos = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
    assert!(
        pos("allowed") < pos("kind")
            && pos("kind") < pos("reason")
            && pos("reason") < pos("headers")
    );
}

#[test]
fn allowed_preflight_json() {
    let f = file("preflight.yaml", POLICY);
    let out = run(&[
        "--format",
        "json",
        f.to_str().unwrap(),
        "--origin",
        "https://a.example.org",
        "--method",
        "PUT",
        "--header",
        "X-Trace",
        "--header",
        "content-type",
        "--preflight",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(v["allowed"], json!(true));
    assert_eq!(v["kind"], json!("preflight"));
    assert_eq!(v["status"], json!(204));
    assert_eq!(
        v["headers"],
        json!([
            ["access-control-allow-origin", "https://a.example.org"],
            ["access-control-allow-credentials", "true"],
            ["access-control-allow-methods", "PUT"],
            ["access-control-allow-headers", "x-trace, content-type"],
            ["access-control-max-age", "600"],
            [
                "vary",
                "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
            ]
        ])
    );
}

#[test]
fn denied_requests_exit_1() {
    let f = file("denied.yaml", POLICY);
    let path = f.to_str().unwrap();
    let out = run(&["--format", "json", path, "--origin", "https://evil.com"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["allowed"], json!(false));
    assert_eq!(
        v["reason"],
        json!("the origin is not allowed by the policy")
    );
    assert_eq!(v["headers"], json!([["vary", "Origin"]]));

    let out = run(&[
        "--format",
        "json",
        path,
        "--origin",
        "https://app.example.com",
        "--method",
        "DELETE",
        "--preflight",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["status"], json!(403));
    assert!(v["reason"].as_str().unwrap().contains("`DELETE`"), "{v}");
    assert_eq!(
        v["headers"],
        json!([[
            "vary",
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
        ]])
    );

    let out = run(&[
        "--format",
        "json",
        path,
        "--origin",
        "https://app.example.com",
        "--header",
        "x-other",
        "--preflight",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(json_of(&out)["reason"]
        .as_str()
        .unwrap()
        .contains("`x-other`"));
}

#[test]
fn human_output() {
    let f = file("human.yaml", POLICY);
    let path = f.to_str().unwrap();
    let out = run(&[
        path,
        "--origin",
        "https://app.example.com",
        "--method",
        "PUT",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("allowed: actual request: the origin is listed\n"),
        "{text}"
    );
    assert!(
        text.contains("  access-control-allow-origin: https://app.example.com\n"),
        "{text}"
    );
    assert!(text.contains("add --preflight"), "{text}");

    let out = run(&[path, "--origin", "null", "--preflight"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("denied: preflight (403): the origin `null` is never allowed"),
        "{text}"
    );
}

#[test]
fn named_policies() {
    let f = file("multi.yaml", MULTI);
    let path = f.to_str().unwrap();
    let out = run(&[
        "--policy",
        "public",
        "--format",
        "json",
        path,
        "--origin",
        "https://x.test",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json_of(&out)["headers"],
        json!([["access-control-allow-origin", "*"]])
    );
    let out = run(&[
        "--policy",
        "app",
        "--format",
        "json",
        path,
        "--origin",
        "https://x.test",
    ]);
    assert_eq!(out.status.code(), Some(1));

    // No name for a multi-policy file, or an unknown name: usage error.
    let out = run(&[path, "--origin", "https://x.test"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("several policies: public, app")
            && stderr.contains("choose one with --policy NAME"),
        "{stderr}"
    );
    let out = run(&["--policy", "nope", path, "--origin", "https://x.test"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no policy named `nope`"));
}

#[test]
fn errors_exit_2() {
    // Missing file.
    let out = run(&["/nonexistent/policy.yaml", "--origin", "https://a.com"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("cors-policy: cannot read"));
    assert!(out.stdout.is_empty());

    // Invalid policy: its error diagnostics on stderr, nothing on stdout.
    let f = file("invalid.yaml", "origins: \"*\"\ncredentials: true\n");
    let out = run(&[f.to_str().unwrap(), "--origin", "https://a.com"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("credentials-with-wildcard-origin"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    // Usage: --origin is required.
    let f = file("usage.yaml", POLICY);
    let out = run(&[f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

/// Each dangerous policy of the adversarial review (issue 9), several variants per
/// class: `check` refuses to answer for it (exit 2, the finding on stderr), so the
/// attacker's origin is never allowed.
#[test]
fn dangerous_policies_are_refused_whatever_the_variant() {
    let cases: &[(&str, &str, &str)] = &[
        // Trailing-dot hosts.
        (
            "origins: [{regex: '^https://(app\\.example\\.com|[a-z0-9.-]*example\\.com\\.)$'}]\ncredentials: true\n",
            "https://evilexample.com.",
            "regex-unbounded-host",
        ),
        (
            "origins: [{regex: '^https?://app\\.example\\.com\\.$'}]\ncredentials: true\n",
            "http://app.example.com.",
            "insecure-origin-with-credentials",
        ),
        // Suffixes from wildcard rules, patterns and regexes.
        ("origins: [https://*.np]\ncredentials: true\n", "https://evil.com.np", "public-suffix-wildcard"),
        ("origins: [https://*.com.np]\ncredentials: true\n", "https://evil.com.np", "public-suffix-wildcard"),
        (
            "origins: [{regex: '^https://[a-z]+\\.foo\\.kawasaki\\.jp$'}]\ncredentials: true\n",
            "https://evil.foo.kawasaki.jp",
            "public-suffix-wildcard",
        ),
        // Suffixes below the parent.
        ("origins: [https://*.amazonaws.com]\ncredentials: true\n", "https://attacker.s3.amazonaws.com", "public-suffix-wildcard"),
        (
            "origins: [{regex: '^https://([a-z0-9-]+\\.)*amazonaws\\.com$'}]\ncredentials: true\n",
            "https://attacker.s3.amazonaws.com",
            "public-suffix-wildcard",
        ),
        // Hosting-provider previews.
        (
            "origins: [{regex: '^https://my-app-[a-z0-9-]+-myteam\\.vercel\\.app$'}]\ncredentials: true\n",
            "https://my-app-evil-myteam.vercel.app",
            "public-suffix-wildcard",
        ),
        // Private Network Access with matchers open to strangers.
        ("origins: [{regex: '^https?://.+$'}]\nallow_private_network: true\n", "https://evil.com", "private-network-with-wildcard-origin"),
        (
            "origins: [https://*.github.io]\nallow_private_network: true\ndangerously_allow_public_suffix_wildcards: true\n",
            "https://evil.github.io",
            "private-network-with-wildcard-origin",
        ),
        // Past the analysis budget.
        (
            "origins: [{regex: '^https://(a|b)*a(a|b){12}\\.x{60}\\.y{60}\\.z{50}\\.example\\.com$'}]\n",
            "https://app.example.com",
            "regex-invalid",
        ),
    ];
    for (i, (policy, origin, code)) in cases.iter().enumerate() {
        let f = file(&format!("dangerous-{i}.yaml"), policy);
        let out = run(&[f.to_str().unwrap(), "--origin", origin]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{policy}: {stderr}");
        assert!(stderr.contains(&format!("[{code}]")), "{policy}: {stderr}");
        assert!(out.stdout.is_empty(), "{policy}");
    }
}

/// The false positives of the review now load, and answer as the proof says.
#[test]
fn named_alternatives_and_loopback_regexes_load_and_answer() {
    let cases: &[(&str, &str, u8)] = &[
        (
            "origins: [{regex: '^https://(brand1|brand2)\\.com$'}]\ncredentials: true\n",
            "https://brand2.com",
            0,
        ),
        (
            "origins: [{regex: '^https://(brand1|brand2)\\.com$'}]\ncredentials: true\n",
            "https://brand3.com",
            1,
        ),
        (
            "origins: [{regex: '^http://[a-z0-9-]+\\.localhost(:[0-9]+)?$'}]\ncredentials: true\n",
            "http://app.localhost:3000",
            0,
        ),
        (
            "origins: [{regex: '^http://127\\.0\\.0\\.[0-9]+(:[0-9]+)?$'}]\ncredentials: true\n",
            "http://127.0.0.9:8080",
            0,
        ),
        (
            "origins: [{regex: '^http://127\\.0\\.0\\.[0-9]+(:[0-9]+)?$'}]\ncredentials: true\n",
            "http://128.0.0.1",
            1,
        ),
        // Trailing dots: a regex that names the dotted host allows it...
        (
            "origins: [{regex: '^https://app\\.example\\.com\\.?$'}]\n",
            "https://app.example.com.",
            0,
        ),
        // ...a pattern never does (it matches names as browsers send them for the
        // configured host, and the engine compares labels exactly).
        (
            "origins: [https://*.example.com]\n",
            "https://a.example.com.",
            1,
        ),
        (
            "origins: [https://*.example.com]\n",
            "https://a.example.com",
            0,
        ),
        (
            "origins: [https://app.example.com]\n",
            "https://app.example.com.",
            1,
        ),
    ];
    for (i, (policy, origin, want)) in cases.iter().enumerate() {
        let f = file(&format!("loads-{i}.yaml"), policy);
        let out = run(&[f.to_str().unwrap(), "--origin", origin]);
        assert_eq!(
            out.status.code(),
            Some(i32::from(*want)),
            "{policy} {origin}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_policy_name_on_a_single_policy_file_says_it_has_one_unnamed_policy() {
    let f = file("single-named.yaml", POLICY);
    let out = run(&[
        "--policy",
        "app",
        f.to_str().unwrap(),
        "--origin",
        "https://app.example.com",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("one unnamed policy"), "{stderr}");
}
