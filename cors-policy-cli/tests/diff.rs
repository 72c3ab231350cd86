//! `cors-policy diff`, run as a process: pairing of policies, output formats, exit codes.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Writes `files` into a fresh directory and runs `cors-policy diff ARGS` there.
fn diff(files: &[(&str, &str)], args: &[&str]) -> Run {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cors-policy-diff-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write fixture");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .arg("diff")
        .args(args)
        .current_dir(&dir)
        .output()
        .expect("run cors-policy");
    let _ = std::fs::remove_dir_all(PathBuf::from(&dir));
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

const OLD: &str = "origins:\n  - regex: '^https://(eu|us)-[0-6]+\\.partner\\.example\\.com$'\n";
const NEW: &str = "origins:\n  - regex: '^https://(eu|us)-[0-9]+\\.partner\\.example\\.com$'\ncredentials: true\n";

#[test]
fn widening_is_shown_and_fails_only_with_deny_widening() {
    let files = [("old.yaml", OLD), ("new.yaml", NEW)];
    let run = diff(&files, &["old.yaml", "new.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "+ origins: now also allows https://eu-7.partner.example.com, https://eu-8.partner.example.com, https://eu-9.partner.example.com (through regex ^https://(eu|us)-[0-9]+\\.partner\\.example\\.com$)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("+ credentials: now true"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr,
        "cors-policy: compared 1 policy: 1 widened, 0 narrowed\n"
    );
    assert_eq!(
        diff(&files, &["--deny-widening", "old.yaml", "new.yaml"]).code,
        1
    );
    // The other way round, everything is revoked: nothing widened.
    let back = diff(&files, &["--deny-widening", "new.yaml", "old.yaml"]);
    assert_eq!(back.code, 0);
    assert!(
        back.stdout.contains("- credentials: now false"),
        "{}",
        back.stdout
    );
    let same = diff(&files, &["--deny-widening", "old.yaml", "old.yaml"]);
    assert_eq!(
        (same.code, same.stdout.as_str()),
        (0, "the policy: grants the same\n")
    );
}

#[test]
fn json_lists_each_policy_and_change() {
    let run = diff(
        &[("old.yaml", OLD), ("new.yaml", NEW)],
        &["--format", "json", "old.yaml", "new.yaml"],
    );
    let value: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(value["widened"], true);
    let policy = &value["policies"][0];
    assert_eq!(policy["status"], "changed");
    assert_eq!(policy["name"], Value::Null);
    assert_eq!(policy["widened"][0]["field"], "origins");
    assert_eq!(
        policy["widened"][0]["items"][0],
        "https://eu-7.partner.example.com"
    );
    assert_eq!(policy["widened"][1]["field"], "credentials");
    assert_eq!(policy["narrowed"], serde_json::json!([]));
}

#[test]
fn policies_files_are_compared_name_by_name() {
    let old = "policies:\n  public: { origins: \"*\", methods: [GET] }\n  app: { origins: [https://app.example.com] }\n  gone: { origins: [https://old.example.com] }\n";
    let new = "policies:\n  public: { origins: \"*\", methods: [GET] }\n  app: { origins: [https://app.example.com, https://admin.example.com] }\n  fresh: { origins: [https://new.example.com] }\n";
    let files = [("old.yaml", old), ("new.yaml", new)];
    let run = diff(&files, &["old.yaml", "new.yaml"]);
    assert_eq!(
        run.stdout,
        "policy `public`: grants the same\n\
         policy `app`:\n  + origins: now also allows https://admin.example.com\n\
         policy `gone`: removed (only in OLD): everything it allowed is revoked\n\
         policy `fresh`: added (only in NEW): everything it allows is new\n"
    );
    assert_eq!(
        diff(&files, &["--deny-widening", "old.yaml", "new.yaml"]).code,
        1
    );
    let one = diff(
        &files,
        &[
            "--deny-widening",
            "--policy",
            "public",
            "old.yaml",
            "new.yaml",
        ],
    );
    assert_eq!(
        (one.code, one.stdout.as_str()),
        (0, "policy `public`: grants the same\n")
    );
    // A one-policy file against a `policies:` file needs a name.
    let mixed = [
        ("one.yaml", "origins: [https://app.example.com]\n"),
        ("all.yaml", new),
    ];
    let run = diff(&mixed, &["one.yaml", "all.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--policy NAME"), "{}", run.stderr);
    let run = diff(
        &mixed,
        &["--deny-widening", "--policy", "app", "one.yaml", "all.yaml"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("https://admin.example.com"),
        "{}",
        run.stdout
    );
    let run = diff(&files, &["--policy", "nope", "old.yaml", "new.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no policy named `nope`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_with_errors_is_refused_as_lint_refuses_it() {
    let broken = "origins: [\"*\"]\ncredentials: true\n";
    let run = diff(
        &[("old.yaml", OLD), ("bad.yaml", broken)],
        &["old.yaml", "bad.yaml"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("error[credentials-with-wildcard-origin]")
            && run.stderr.contains(" --> bad.yaml:")
            && run.stderr.contains("cors-policy: bad.yaml has errors"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let files = [("old.yaml", OLD)];
    assert_eq!(diff(&files, &["old.yaml"]).code, 2);
    assert_eq!(diff(&files, &["--nope", "old.yaml", "old.yaml"]).code, 2);
    assert_eq!(
        diff(&files, &["--format", "xml", "old.yaml", "old.yaml"]).code,
        2
    );
    let run = diff(&files, &["old.yaml", "missing.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("cors-policy: missing.yaml: "),
        "{}",
        run.stderr
    );
}
