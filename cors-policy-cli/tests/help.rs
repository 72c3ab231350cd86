//! `--help` tells the truth: every subcommand it lists exists and documents itself.

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cors-policy"))
        .args(args)
        .output()
        .expect("run cors-policy");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
    )
}

/// The subcommands listed under `Commands:` in the top-level help.
fn listed(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn every_listed_subcommand_runs_its_own_help() {
    let (code, help) = run(&["--help"]);
    assert_eq!(code, 0);
    let commands = listed(&help);
    assert!(commands.contains(&"lint".to_owned()), "{help}");
    for command in &commands {
        let (code, own) = run(&[command, "--help"]);
        assert_eq!(code, 0, "{command} --help");
        assert!(
            own.contains(&format!("Usage: cors-policy {command}")),
            "{command}: {own}"
        );
    }
    // The summary names no subcommand, so it stays true as subcommands come and go.
    let about = help.lines().next().unwrap_or_default();
    for command in &commands {
        assert!(!about.contains(command.as_str()), "{about}");
    }
}

#[test]
fn schema_prints_the_json_schema_of_the_policy_format() {
    let (code, out) = run(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["properties"]["origins"].is_object(), "{out}");
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../cors-policy-compiler/policy.schema.json");
    assert_eq!(out, std::fs::read_to_string(file).expect("schema file"));
}

#[test]
fn the_pre_commit_hook_runs_a_subcommand_that_exists() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(manifest).expect(".pre-commit-hooks.yaml");
    let entries: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
        .collect();
    assert_eq!(entries, ["cors-policy lint"]);
    let (_, help) = run(&["--help"]);
    for entry in entries {
        let command = entry.split_whitespace().nth(1).expect("a subcommand");
        assert!(listed(&help).iter().any(|c| c == command), "{entry}");
    }
}
