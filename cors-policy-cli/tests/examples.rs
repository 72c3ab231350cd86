//! The example policies behave as the README says: the realistic ones lint clean, the
//! broken one shows many codes at once, each with its source line and caret.

use std::path::{Path, PathBuf};
use std::process::Command;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies")
}

fn lint(files: &[PathBuf]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .arg("lint")
        .args(files)
        .output()
        .expect("run cors-policy");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn realistic_examples_lint_clean() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    let (code, stdout, stderr) = lint(&files);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "cors-policy: linted {} files: 0 errors, 0 warnings, 0 notes\n",
            files.len()
        )
    );
}

#[test]
fn broken_example_shows_its_findings_with_carets() {
    let (code, stdout, _) = lint(&[examples().join("broken/everything-wrong.yaml")]);
    assert_eq!(code, 1);
    for expected in [
        "error[credentials-with-wildcard-origin]",
        "error[null-origin]",
        "error[origin-with-path]",
        "error[non-canonical-origin]",
        "error[public-suffix-wildcard]",
        "error[insecure-origin-with-credentials]",
        "error[regex-unescaped-dot]: regex accepts \"https://apixexample.com\"",
        "error[regex-unbounded-host]: regex accepts \"https://evilexample.com\"",
        "error[forbidden-method]",
        "error[invalid-method]",
        "error[forbidden-request-header]",
        "error[response-header-in-allow-headers]",
        "error[expose-all-with-credentials]",
        "error[max-age-out-of-range]",
        "error[unknown-key]",
        "note[redundant-safelisted-method]",
        " --> ",
        "  |     ^^^^^^^^^^^^^^^^^^^^^^^^\n",
        "= help: did you mean `credentials`?",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}
