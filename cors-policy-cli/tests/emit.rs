//! `cors-policy emit`: output, refusal of invalid policies with lint's report, exit
//! codes. What the output does on real servers is tested in `cors-policy-tests`
//! (`tests/tests/proxies.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies")
}

fn emit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .arg("emit")
        .args(args)
        .output()
        .expect("run cors-policy")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn prints_the_library_output_for_each_target() {
    let file = examples().join("spa-api.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    let loaded = cors_policy::compiler::load::load_yaml(&yaml);
    let policy = loaded.select(None).unwrap().valid.as_ref().unwrap();
    let path = file.to_str().unwrap();
    for (args, want) in [
        (
            vec!["nginx", path],
            cors_policy::compiler::emit::nginx(
                policy,
                cors_policy::compiler::emit::NginxContext::Server,
            )
            .unwrap(),
        ),
        (
            vec!["nginx", "--context", "server", path],
            cors_policy::compiler::emit::nginx(
                policy,
                cors_policy::compiler::emit::NginxContext::Server,
            )
            .unwrap(),
        ),
        (
            vec!["nginx", "--context", "http", path],
            cors_policy::compiler::emit::nginx(
                policy,
                cors_policy::compiler::emit::NginxContext::Http,
            )
            .unwrap(),
        ),
        (
            vec!["apache", path],
            cors_policy::compiler::emit::apache(policy).unwrap(),
        ),
    ] {
        let out = emit(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), want, "{args:?}");
        assert_eq!(text(&out.stderr), "");
    }
}

#[test]
fn named_policies_and_their_variables() {
    let file = examples().join("multi.yaml");
    let out = emit(&[
        "nginx",
        "--context",
        "http",
        "--policy",
        "partners",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("$cors_partners_origin"));
    let out = emit(&["apache", "--policy", "app", file.to_str().unwrap()]);
    assert!(text(&out.stdout).contains("CORS_APP_ORIGIN"));
    // Several policies and no name: a usage error naming them.
    let out = emit(&["nginx", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("public, app, partners"),
        "{}",
        text(&out.stderr)
    );
    let out = emit(&["nginx", "--policy", "nope", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_policy_with_errors_is_refused_with_lints_report() {
    let file = fixtures().join("errors.yaml");
    let lint = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .arg("lint")
        .arg(&file)
        .output()
        .unwrap();
    for target in ["nginx", "apache"] {
        let out = emit(&[target, file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(text(&out.stdout), "");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with(&text(&lint.stdout)), "{stderr}");
        assert!(
            stderr.ends_with("the policy has errors; nothing emitted\n"),
            "{stderr}"
        );
    }
    // The same for a file that is not YAML at all, and one that is not UTF-8.
    for bad in ["unclosed.yaml", "latin1.yaml"] {
        let out = emit(&["nginx", fixtures().join(bad).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(text(&out.stderr).contains("error[yaml-syntax]"), "{bad}");
    }
    // A named policy with errors, beside valid ones.
    let workspace_multi =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/multi.yaml");
    let out = emit(&[
        "apache",
        "--policy",
        "broken",
        workspace_multi.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let path = examples().join("spa-api.yaml");
    let path = path.to_str().unwrap();
    for args in [
        vec!["apache", "--context", "http", path],
        vec!["nginx", "/no/such/file.yaml"],
        vec!["iis", path],
        vec!["nginx"],
        vec!["nginx", "--context", "location", path],
    ] {
        let out = emit(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
    }
}

#[test]
fn reads_standard_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .args(["emit", "apache", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"origins: [https://a.example.com]\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains(r"https://a\.example\.com"));
}
