//! The JSON Schema of the policy format agrees with the loader: every example policy
//! is valid under it, the broken examples' unknown keys and wrong types are flagged by
//! it too, and its keys are exactly the language's.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cors_policy_compiler::load::load_yaml;
use cors_policy_compiler::raw::POLICY_KEYS;
use cors_policy_compiler::schema::POLICY_SCHEMA;
use cors_policy_compiler::{Code, Severity};
use serde_json::Value;

fn schema() -> Value {
    serde_json::from_str(POLICY_SCHEMA).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema is a valid draft 2020-12 schema")
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies")
}

fn as_json(text: &str) -> Value {
    serde_yaml::from_str(text).expect("YAML that serde_yaml reads")
}

/// The top-level keys the schema flags: where an error's instance path starts, or the
/// unexpected names of an `additionalProperties` error at the root.
fn keys_flagged_by_schema(instance: &Value) -> BTreeSet<String> {
    let validator = validator();
    let mut keys = BTreeSet::new();
    for error in validator.iter_errors(instance) {
        let path = error.instance_path().to_string();
        match path.trim_start_matches('/').split('/').next() {
            Some(key) if !key.is_empty() => {
                keys.insert(key.to_owned());
            }
            _ => {
                if let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } =
                    error.kind()
                {
                    keys.extend(unexpected.iter().cloned());
                } else {
                    keys.insert(format!("<root: {error}>"));
                }
            }
        }
    }
    keys
}

/// The top-level key of the line a finding points at (or of the nearest key above).
fn key_of_line(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[..line]
        .iter()
        .rev()
        .find(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .and_then(|l| l.split(':').next())
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn every_example_policy_is_valid_under_the_schema() {
    let validator = validator();
    let files = yaml_files(&examples());
    assert!(files.len() >= 4, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read example");
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    }
}

#[test]
fn the_broken_examples_unknown_keys_and_wrong_types_are_flagged_by_the_schema() {
    let files = yaml_files(&examples().join("broken"));
    assert!(files.len() >= 2, "{files:?}");
    let mut shape_findings = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read example");
        let loaded = load_yaml(&text);
        let by_lint = |codes: &[Code]| -> BTreeSet<String> {
            loaded
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error && codes.contains(&d.code))
                .map(|d| key_of_line(&text, d.span.line))
                .collect()
        };
        let shape = by_lint(&[Code::UnknownKey, Code::InvalidValue]);
        let any_error = by_lint(Code::ALL);
        let flagged = keys_flagged_by_schema(&as_json(&text));
        shape_findings += shape.len();
        // What the front end reports as a wrong key or type, the editor shows too ...
        assert!(
            shape.is_subset(&flagged),
            "{}: lint {shape:?}, schema {flagged:?}",
            file.display()
        );
        // ... and the schema flags nothing that lint would accept.
        assert!(
            flagged.is_subset(&any_error),
            "{}: schema {flagged:?}, lint errors on {any_error:?}",
            file.display()
        );
    }
    assert!(
        shape_findings >= 5,
        "the broken examples lost their wrong types"
    );
}

#[test]
fn the_schema_keys_are_the_languages_keys() {
    let schema = schema();
    let keys = |object: &Value| -> Vec<String> {
        object
            .as_object()
            .expect("properties object")
            .keys()
            .cloned()
            .collect()
    };
    let language: BTreeSet<String> = POLICY_KEYS.iter().map(|k| (*k).to_owned()).collect();
    let policy: BTreeSet<String> = keys(&schema["$defs"]["policy"]["properties"])
        .into_iter()
        .collect();
    assert_eq!(policy, language, "a named policy's keys");
    let mut top_level = language.clone();
    top_level.insert("policies".to_owned());
    let root: BTreeSet<String> = keys(&schema["properties"]).into_iter().collect();
    assert_eq!(root, top_level, "a file's top-level keys");
    for key in POLICY_KEYS {
        assert!(
            schema["$defs"][*key]["description"].is_string(),
            "{key} has no description for editors to show"
        );
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects_and_accepts_both_file_shapes() {
    let validator = validator();
    let valid = |yaml: &str| validator.is_valid(&as_json(yaml));
    assert!(valid("origins: [https://a.example.com]\n"));
    assert!(valid("origins: \"*\"\nmethods: \"*\"\n"));
    assert!(valid(
        "origins:\n  - regex: '^https://a\\.example\\.com$'\nmax_age: 600\n"
    ));
    assert!(valid(
        "policies:\n  app: { origins: [https://a.example.com], credentials: true }\n"
    ));
    for invalid in [
        "credentials: true\n",                                      // no origins
        "origins: []\n",                                            // empty list
        "origins: [https://a.example.com]\nmax_age: -1\n",          // out of range
        "origins: [{regex: x, extra: 1}]\n",                        // unknown item key
        "policies:\n  App: { origins: \"*\" }\n",                   // bad name
        "policies:\n  app: { origins: \"*\" }\norigins: \"*\"\n",   // both shapes
        "policies:\n  app: { origins: \"*\", credential: true }\n", // nested unknown key
    ] {
        assert!(!valid(invalid), "{invalid}");
        assert!(load_yaml(invalid).diagnostics.has_errors(), "{invalid}");
    }
}
