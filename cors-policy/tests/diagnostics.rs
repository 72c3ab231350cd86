//! Every diagnostic code, through the whole YAML pipeline: one fixture that triggers it
//! and one near-miss that must not.
//!
//! Fixtures live in `tests/fixtures/diagnostics/`. `<code>.yaml` (and `<code>.<variant>.yaml`)
//! declare every finding they must produce, exactly, with comment lines
//! `# expect: <code> <severity> <line>:<column>`. `<code>.near-miss.yaml` must produce
//! no finding at all.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use cors_policy::compiler::load::load_yaml;
use cors_policy::compiler::Code;

type Finding = (String, String, usize, usize);

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("fixture directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn expectations(text: &str) -> BTreeSet<Finding> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# expect:"))
        .map(|rest| {
            let parts: Vec<&str> = rest.split_whitespace().collect();
            let (line, col) = parts[2].split_once(':').expect("line:col");
            (
                parts[0].to_owned(),
                parts[1].to_owned(),
                line.parse().expect("line"),
                col.parse().expect("col"),
            )
        })
        .collect()
}

fn findings(text: &str) -> (BTreeSet<Finding>, String) {
    let loaded = load_yaml(text);
    let mut listing = String::new();
    let set = loaded
        .diagnostics
        .iter()
        .map(|d| {
            listing.push_str(&format!(
                "  {} {} {}:{}  {}\n",
                d.code, d.severity, d.span.line, d.span.column, d.message
            ));
            (
                d.code.as_str().to_owned(),
                d.severity.as_str().to_owned(),
                d.span.line,
                d.span.column,
            )
        })
        .collect();
    (set, listing)
}

#[test]
fn each_fixture_produces_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    for path in fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        let (actual, listing) = findings(&text);
        if name.ends_with(".near-miss.yaml") {
            if !actual.is_empty() {
                failures.push(format!("{name}: near-miss must be clean, got:\n{listing}"));
            }
            continue;
        }
        let expected = expectations(&text);
        assert!(!expected.is_empty(), "{name} declares no expectation");
        if actual != expected {
            failures.push(format!("{name}: expected {expected:?}\n got:\n{listing}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_code_has_a_trigger_and_a_near_miss() {
    let names: BTreeSet<String> = fixtures()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for code in Code::ALL {
        let code = code.as_str();
        assert!(
            names.contains(&format!("{code}.yaml")),
            "no fixture triggers {code}"
        );
        assert!(
            names.contains(&format!("{code}.near-miss.yaml")),
            "no near-miss fixture for {code}"
        );
        let trigger = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/diagnostics")
                .join(format!("{code}.yaml")),
        )
        .unwrap();
        assert!(
            expectations(&trigger).iter().any(|(c, ..)| c == code),
            "{code}.yaml does not expect {code}"
        );
    }
}

#[test]
fn regex_findings_name_a_counterexample_origin() {
    let text = "origins:\n  - regex: '^https://api.example\\.com$'\n";
    let loaded = load_yaml(text);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == Code::RegexUnescapedDot)
        .expect("unescaped dot reported");
    assert!(
        d.message.contains("https://api") && d.message.contains("example.com\""),
        "message should quote the accepted origin: {}",
        d.message
    );
}
