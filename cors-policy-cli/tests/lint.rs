//! `cors-policy lint`, run as a process: exit codes, the three output formats, and
//! malformed, missing and non-UTF-8 files.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// `(file, code, severity, line, column)`.
type Finding = (String, String, String, u64, u64);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `cors-policy lint ARGS` from the fixtures directory.
fn lint(args: &[&str]) -> Run {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run cors-policy");
    let run = Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stdout.contains("panicked"),
        "cors-policy panicked on {args:?}:\n{}",
        run.stderr
    );
    run
}

fn json(args: &[&str]) -> (i32, Value) {
    let run = lint(args);
    let value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    (run.code, value)
}

/// `(file, code, severity, line, column)` of every finding, from the JSON output.
fn findings(args: &[&str]) -> (i32, Vec<Finding>) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, value) = json(&all);
    let list = value["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (code, list)
}

fn f(file: &str, code: &str, severity: &str, line: u64, column: u64) -> Finding {
    (
        file.to_owned(),
        code.to_owned(),
        severity.to_owned(),
        line,
        column,
    )
}

// ---------------------------------------------------------------- exit codes

#[test]
fn clean_file_exits_0_with_only_the_summary_on_stderr() {
    let run = lint(&["clean.yaml"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "",
            "cors-policy: linted 1 file: 0 errors, 0 warnings, 0 notes\n"
        )
    );
}

#[test]
fn the_summary_counts_files_and_findings_in_every_format() {
    for format in ["human", "json", "sarif"] {
        let run = lint(&[
            "--format",
            format,
            "clean.yaml",
            "errors.yaml",
            "warnings.yaml",
        ]);
        assert_eq!(
            run.stderr, "cors-policy: linted 3 files: 3 errors, 1 warning, 0 notes\n",
            "{format}"
        );
    }
    let run = lint(&["errors.yaml", "no-such-file.yaml"]);
    assert!(
        run.stderr
            .ends_with("cors-policy: linted 1 of 2 files: 3 errors, 0 warnings, 0 notes\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_exit_1() {
    assert_eq!(lint(&["errors.yaml"]).code, 1);
    assert_eq!(lint(&["clean.yaml", "errors.yaml"]).code, 1);
}

#[test]
fn warnings_pass_unless_denied() {
    let run = lint(&["warnings.yaml"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("warning[duplicate-entry]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("warning: warnings.yaml: 1 warning emitted\n"),
        "{}",
        run.stdout
    );
    assert_eq!(lint(&["--deny-warnings", "warnings.yaml"]).code, 1);
}

#[test]
fn notes_never_fail() {
    assert_eq!(lint(&["notes.yaml"]).code, 0);
    let run = lint(&["--deny-warnings", "notes.yaml"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("note[redundant-safelisted-method]"));
}

#[test]
fn usage_errors_exit_2() {
    let run = lint(&[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("FILE"), "{}", run.stderr);
    assert_eq!(lint(&["--format", "xml", "clean.yaml"]).code, 2);
    assert_eq!(lint(&["--nope", "clean.yaml"]).code, 2);
}

#[test]
fn missing_file_exits_2_and_the_others_are_still_linted() {
    let run = lint(&["no-such-file.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("cors-policy: no-such-file.yaml: No such file"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    let run = lint(&["errors.yaml", "no-such-file.yaml"]);
    assert_eq!(run.code, 2, "an I/O error wins over findings");
    assert!(
        run.stdout.contains("errors.yaml: 3 errors emitted"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_directory_is_an_io_error() {
    let run = lint(&["."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("cors-policy: .: "), "{}", run.stderr);
}

// ---------------------------------------------------------------- human format

#[test]
fn human_caret_rendering_exact() {
    let run = lint(&["credentials-yes.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        r#"error[invalid-value]: `credentials` must be `true` or `false`, found the string "yes"
 --> credentials-yes.yaml:2:14
  |
2 | credentials: "yes"
  |              ^^^^^
  |
  = help: write `credentials: true` (no quotes)

error: credentials-yes.yaml: 1 error emitted
"#
    );
}

#[test]
fn human_findings_sorted_by_line_and_column_with_summary() {
    let run = lint(&["errors.yaml"]);
    let positions: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix(" --> errors.yaml:"))
        .collect();
    assert_eq!(positions, vec!["2:5", "4:14", "5:10"]);
    assert!(run.stdout.contains("error[null-origin]"));
    assert!(
        run.stdout.contains("2 |   - \"null\"\n  |     ^^^^^^\n"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .ends_with("error: errors.yaml: 3 errors emitted\n"));
}

#[test]
fn human_several_files_in_command_line_order() {
    let run = lint(&["warnings.yaml", "clean.yaml", "errors.yaml"]);
    assert_eq!(run.code, 1);
    let summaries: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains(" emitted"))
        .collect();
    assert_eq!(
        summaries,
        vec![
            "warning: warnings.yaml: 1 warning emitted",
            "error: errors.yaml: 3 errors emitted"
        ]
    );
    assert!(!run.stdout.contains("clean.yaml"));
}

#[test]
fn human_wide_gutter_for_long_files() {
    let dir = std::env::temp_dir().join(format!("cors-policy-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("long.yaml");
    let mut text = "origins: [https://app.example.com]\n".to_owned();
    text.push_str(&"# filler\n".repeat(10));
    text.push_str("credentials: \"yes\"\n");
    std::fs::write(&path, text).unwrap();
    let run = lint(&[path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(run.stdout.contains("  --> "), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("\n   |\n12 | credentials: \"yes\"\n   |              ^^^^^\n"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------- json format

#[test]
fn json_shape_is_exact() {
    let run = lint(&["--format", "json", "credentials-yes.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "{\"diagnostics\":[{\"code\":\"invalid-value\",\"severity\":\"error\",\"message\":\"`credentials` must be `true` or `false`, found the string \\\"yes\\\"\",\"file\":\"credentials-yes.yaml\",\"line\":2,\"column\":14,\"help\":\"write `credentials: true` (no quotes)\"}]}\n"
    );
    let (_, value) = json(&["--format", "json", "errors.yaml", "warnings.yaml"]);
    let object = value.as_object().unwrap();
    assert_eq!(object.keys().collect::<Vec<_>>(), vec!["diagnostics"]);
    for d in value["diagnostics"].as_array().unwrap() {
        let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            vec!["code", "column", "file", "help", "line", "message", "severity"]
        );
    }
}

#[test]
fn json_one_object_for_all_files_and_empty_when_clean() {
    let (code, list) = findings(&["warnings.yaml", "clean.yaml", "errors.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        list,
        vec![
            f("warnings.yaml", "duplicate-entry", "warning", 2, 16),
            f("errors.yaml", "null-origin", "error", 2, 5),
            f("errors.yaml", "invalid-value", "error", 4, 14),
            f("errors.yaml", "invalid-value", "error", 5, 10),
        ]
    );
    let run = lint(&["--format", "json", "clean.yaml"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "{\"diagnostics\":[]}\n")
    );
}

// ---------------------------------------------------------------- sarif format

#[test]
fn sarif_shape() {
    let (code, log) = json(&["--format", "sarif", "errors.yaml", "warnings.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "cors-policy");
    let rule_ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rule_ids,
        vec!["invalid-value", "null-origin", "duplicate-entry"]
    );
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let first = &results[0];
    assert_eq!(first["ruleId"], "null-origin");
    assert_eq!(first["level"], "error");
    assert_eq!(
        rule_ids[first["ruleIndex"].as_u64().unwrap() as usize],
        "null-origin"
    );
    assert!(first["message"]["text"]
        .as_str()
        .unwrap()
        .contains("\"null\""));
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "errors.yaml");
    assert_eq!(location["region"]["startLine"], 2);
    assert_eq!(location["region"]["startColumn"], 5);
    assert_eq!(location["region"]["endColumn"], 11);
    let last = &results[3];
    assert_eq!(
        (last["ruleId"].as_str(), last["level"].as_str()),
        (Some("duplicate-entry"), Some("warning"))
    );
    assert_eq!(
        last["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "warnings.yaml"
    );
}

#[test]
fn sarif_clean_run_has_no_results() {
    let (code, log) = json(&["--format", "sarif", "clean.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn sarif_note_level() {
    let (_, log) = json(&["--format", "sarif", "notes.yaml"]);
    assert_eq!(log["runs"][0]["results"][0]["level"], "note");
}

// ---------------------------------------------------------------- malformed files

#[test]
fn malformed_yaml_is_located_and_exits_1() {
    let (code, list) = findings(&[
        "bad-indent.yaml",
        "unclosed.yaml",
        "top-level-list.yaml",
        "binary-junk.yaml",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        list,
        vec![
            f("bad-indent.yaml", "yaml-syntax", "error", 3, 2),
            f("unclosed.yaml", "yaml-syntax", "error", 1, 10),
            f("top-level-list.yaml", "invalid-value", "error", 1, 1),
            f("binary-junk.yaml", "yaml-syntax", "error", 2, 1),
        ]
    );
}

#[test]
fn binary_junk_is_rendered_safely() {
    let run = lint(&["binary-junk.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("U+0001"), "{}", run.stdout);
    // Control characters never reach the terminal.
    assert!(
        !run.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        run.stdout
    );
}

#[test]
fn non_utf8_file_is_a_located_yaml_syntax_error() {
    let (code, list) = findings(&["latin1.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(list, vec![f("latin1.yaml", "yaml-syntax", "error", 3, 16)]);
    let run = lint(&["latin1.yaml"]);
    assert!(
        run.stdout.contains("not valid UTF-8 (byte 0xe9)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("3 |   - https://caf\u{fffd}.example.com\n  |                ^\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn multi_policy_file_front_end_findings() {
    let (code, list) = findings(&["multi.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        list,
        vec![
            f("multi.yaml", "invalid-value", "error", 3, 3),
            f("multi.yaml", "unknown-key", "error", 3, 46),
        ]
    );
}

#[test]
fn random_files_never_panic() {
    let dir = std::env::temp_dir().join(format!("cors-policy-lint-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut paths = Vec::new();
    for i in 0..40 {
        let mut bytes =
            b"policies:\n  a: {origins: [https://a.com, \"null\"], methods: [PUT]}\n".to_vec();
        for _ in 0..(i % 6 + 1) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % bytes.len();
            bytes[at] = (state >> 32) as u8;
        }
        let path = dir.join(format!("f{i}.yaml"));
        std::fs::write(&path, &bytes).unwrap();
        paths.push(path.to_string_lossy().into_owned());
    }
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    for format in ["human", "json", "sarif"] {
        let mut all = vec!["--format", format];
        all.extend_from_slice(&args);
        let run = lint(&all);
        assert!(
            run.code == 0 || run.code == 1,
            "{format}: exit {}: {}",
            run.code,
            run.stderr
        );
        if format != "human" {
            serde_json::from_str::<Value>(&run.stdout).expect("valid JSON");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn dash_reads_standard_input() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .args(["lint", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run cors-policy");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"origins:\n  - https://a.example.com/\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["file"], "<stdin>");
    assert_eq!(d["code"], "origin-with-path");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(5))
    );
}

/// Writes `text` to a fresh temporary file and returns its path.
fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cors-policy-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// 20,000 findings on one 460 KB line: each shows the line clipped around its caret,
/// so the output grows with the findings, not with findings × line length.
#[test]
fn long_lines_are_clipped_around_the_caret() {
    let line = format!(
        "origins: [{}]\n",
        vec!["https://a.example.com"; 20_001].join(", ")
    );
    let path = temp_file("one-line.yaml", &line);
    let run = lint(&[path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.matches("warning[duplicate-entry]").count(),
        20_000
    );
    assert!(
        run.stdout.len() < 20_000 * 600,
        "{} bytes",
        run.stdout.len()
    );
    let longest = run.stdout.lines().map(str::len).max().unwrap();
    assert!(longest < 300, "a line of {longest} bytes");
    // The last finding: its caret under its own value, after the clipped start.
    let tail: Vec<&str> = run.stdout.lines().rev().take(8).collect();
    let (source, carets) = (tail[5], tail[4]);
    assert!(
        source.starts_with("1 | ...") && source.ends_with("com]"),
        "{source}"
    );
    let at = carets.find('^').unwrap();
    assert_eq!(
        &source[at..at + 21],
        "https://a.example.com",
        "{source}\n{carets}"
    );
}

/// Carets are placed in display columns: a double-width character before the value
/// takes two.
#[test]
fn carets_after_double_width_characters() {
    let path = temp_file("wide.yaml", "origins: [\"https://例え.jp\", \"null\"]\n");
    let run = lint(&[path.to_str().unwrap()]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("error[null-origin]"))
        .unwrap();
    let (source, carets) = (lines[i + 3], lines[i + 4]);
    assert_eq!(source, "1 | origins: [\"https://例え.jp\", \"null\"]");
    // `"null"` starts after 27 characters, two of which are double-width.
    assert_eq!(carets, format!("  | {}^^^^^^", " ".repeat(29)));
}
