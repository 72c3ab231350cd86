//! `cors-policy diff`: what NEW grants that OLD did not, and what it revokes.
//!
//! The comparison itself is [`cors_policy::compiler::diff`]; this module pairs the
//! policies of the two files and prints the result.
//!
//! Pairing: with `--policy NAME`, policy NAME of each file (a one-policy file's only
//! policy stands for any name); without it, two one-policy files with each other, and
//! two `policies:` files name by name: a policy only in NEW is *added* (it widens), one
//! only in OLD is *removed* (it narrows). A one-policy file against a `policies:` file
//! needs `--policy NAME`.
//!
//! A file with errors is refused as `lint` would refuse it: its findings rustc-style on
//! stderr, exit 1. Exit status otherwise: 1 with `--deny-widening` when NEW grants
//! anything OLD did not, else 0; 2 for a usage or I/O error.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use cors_policy::compiler::diff::{diff, Change, PolicyDiff};
use cors_policy::compiler::load::LoadedFile;
use cors_policy::compiler::model::ValidPolicy;
use cors_policy::compiler::Severity;
use serde_json::{json, Value};

use crate::check::select_error;
use crate::lint::{lint_bytes, read_input};
use crate::output;
use crate::report;

/// Output formats of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line per change, `+` for what NEW grants, `-` for what it revokes.
    Human,
    /// One JSON object: `{"widened":..,"policies":[..]}`.
    Json,
}

/// Arguments of `cors-policy diff`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Compare only this policy of files with several `policies:`.
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when NEW grants anything OLD did not (for CI on pull requests).
    #[arg(long)]
    pub deny_widening: bool,
    /// The policy file before the change (`-` reads standard input).
    pub old: PathBuf,
    /// The policy file after the change.
    pub new: PathBuf,
}

/// What happened to one policy.
enum Status {
    Changed(PolicyDiff),
    Added,
    Removed,
}

/// One compared policy: its name (none for one-policy files) and what changed.
struct Compared {
    name: Option<String>,
    status: Status,
}

impl Compared {
    fn widens(&self) -> bool {
        match &self.status {
            Status::Changed(d) => !d.widened.is_empty(),
            Status::Added => true,
            Status::Removed => false,
        }
    }
}

/// Why the run stops before comparing: the exit code, its message already printed.
struct Stop(u8);

/// Runs `diff`; returns the exit code.
pub fn run(args: &DiffArgs) -> u8 {
    let compared = match load(args).and_then(|(old, new)| pair(args, &old, &new)) {
        Ok(compared) => compared,
        Err(Stop(code)) => return code,
    };
    let text = match args.format {
        Format::Human => human(&compared),
        Format::Json => json_report(&compared),
    };
    if !output::stdout(&text) {
        return 2;
    }
    let widened = compared.iter().filter(|c| c.widens()).count();
    let narrowed = compared
        .iter()
        .filter(|c| match &c.status {
            Status::Changed(d) => !d.narrowed.is_empty(),
            Status::Removed => true,
            Status::Added => false,
        })
        .count();
    output::info(&format!(
        "compared {} polic{}: {widened} widened, {narrowed} narrowed",
        compared.len(),
        if compared.len() == 1 { "y" } else { "ies" }
    ));
    u8::from(args.deny_widening && widened > 0)
}

/// Reads and lints both files; refuses one with errors as `lint` does.
fn load(args: &DiffArgs) -> Result<(LoadedFile, LoadedFile), Stop> {
    let mut loaded = Vec::new();
    let mut refused = Vec::new();
    for path in [&args.old, &args.new] {
        let (name, read) = read_input(path);
        let bytes = read.map_err(|e| {
            output::error(&format!("{name}: {e}"));
            Stop(2)
        })?;
        let (report, file) = lint_bytes(name, bytes);
        match file {
            Some(file) if !file.diagnostics.has_errors() => loaded.push(file),
            _ => refused.push(report),
        }
    }
    if !refused.is_empty() {
        for r in &mut refused {
            r.diagnostics.retain(|d| d.severity == Severity::Error);
        }
        let _ = report::human::render(&refused, &mut std::io::stderr().lock());
        let names: Vec<&str> = refused.iter().map(|r| r.path.as_str()).collect();
        output::error(&format!(
            "{} ha{} errors; fix {} first (`cors-policy lint`)",
            names.join(" and "),
            if names.len() == 1 { "s" } else { "ve" },
            if names.len() == 1 { "it" } else { "them" }
        ));
        return Err(Stop(1));
    }
    let new = loaded.pop().ok_or(Stop(2))?;
    let old = loaded.pop().ok_or(Stop(2))?;
    Ok((old, new))
}

/// Pairs the policies of the two files and compares each pair.
fn pair(args: &DiffArgs, old: &LoadedFile, new: &LoadedFile) -> Result<Vec<Compared>, Stop> {
    let valid = |file: &LoadedFile, which: &PathBuf, name: Option<&str>| {
        // A one-policy file's policy stands for any name.
        let name = if file.multi { name } else { None };
        file.select(name)
            .map_err(|e| usage(&select_error(&which.display().to_string(), &e)))
            .and_then(|p| {
                p.valid
                    .clone()
                    .ok_or_else(|| usage("internal: invalid policy"))
            })
    };
    if let Some(name) = &args.policy {
        let (o, n) = (
            valid(old, &args.old, Some(name))?,
            valid(new, &args.new, Some(name))?,
        );
        return Ok(vec![changed(Some(name.clone()), &o, &n)]);
    }
    match (old.multi, new.multi) {
        (false, false) => Ok(vec![changed(
            None,
            &valid(old, &args.old, None)?,
            &valid(new, &args.new, None)?,
        )]),
        (true, true) => {
            let named = |file: &LoadedFile| -> Vec<(String, ValidPolicy)> {
                file.policies
                    .iter()
                    .filter_map(|p| Some((p.name.clone()?, p.valid.clone()?)))
                    .collect()
            };
            let (old, new) = (named(old), named(new));
            let mut out = Vec::new();
            for (name, o) in &old {
                match new.iter().find(|(n, _)| n == name) {
                    Some((_, n)) => out.push(changed(Some(name.clone()), o, n)),
                    None => out.push(Compared {
                        name: Some(name.clone()),
                        status: Status::Removed,
                    }),
                }
            }
            for (name, _) in new.iter().filter(|(n, _)| !old.iter().any(|(o, _)| o == n)) {
                out.push(Compared {
                    name: Some(name.clone()),
                    status: Status::Added,
                });
            }
            Ok(out)
        }
        _ => Err(usage(&format!(
            "one file holds one policy and the other several ({}); choose one with --policy NAME",
            if old.multi { names(old) } else { names(new) }
        ))),
    }
}

fn names(file: &LoadedFile) -> String {
    let names: Vec<&str> = file
        .policies
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    names.join(", ")
}

fn usage(message: &str) -> Stop {
    output::error(message);
    Stop(2)
}

fn changed(name: Option<String>, old: &ValidPolicy, new: &ValidPolicy) -> Compared {
    Compared {
        name,
        status: Status::Changed(diff(old, new)),
    }
}

/// `policy app:` then `  + origins: now also allows a, b (through ...)` lines.
fn human(compared: &[Compared]) -> String {
    let mut out = String::new();
    for c in compared {
        let label = match &c.name {
            Some(name) => format!("policy `{name}`"),
            None => "the policy".to_owned(),
        };
        match &c.status {
            Status::Added => {
                let _ = writeln!(
                    out,
                    "{label}: added (only in NEW): everything it allows is new"
                );
            }
            Status::Removed => {
                let _ = writeln!(
                    out,
                    "{label}: removed (only in OLD): everything it allowed is revoked"
                );
            }
            Status::Changed(d) if d.is_empty() => {
                let _ = writeln!(out, "{label}: grants the same");
            }
            Status::Changed(d) => {
                let _ = writeln!(out, "{label}:");
                for (sign, change) in d
                    .widened
                    .iter()
                    .map(|c| ('+', c))
                    .chain(d.narrowed.iter().map(|c| ('-', c)))
                {
                    let _ = writeln!(out, "  {sign} {}", line(change));
                }
            }
        }
    }
    out
}

/// `origins: now also allows https://a.example.com, ... (through https://*.example.com)`.
fn line(c: &Change) -> String {
    let mut out = format!("{}: {}", c.field, c.summary);
    if !c.items.is_empty() {
        let _ = write!(out, " {}", c.items.join(", "));
    }
    if let Some(via) = &c.via {
        let _ = write!(out, " (through {via})");
    }
    out
}

/// `{"widened":bool,"policies":[{"name":..,"status":..,"widened":[..],"narrowed":[..]}]}`.
fn json_report(compared: &[Compared]) -> String {
    let changes = |list: &[Change]| -> Value {
        list.iter()
            .map(|c| {
                json!({
                    "field": c.field.as_str(),
                    "summary": c.summary,
                    "items": c.items,
                    "via": c.via,
                })
            })
            .collect()
    };
    let policies: Vec<Value> = compared
        .iter()
        .map(|c| {
            let (status, widened, narrowed) = match &c.status {
                Status::Added => ("added", json!([]), json!([])),
                Status::Removed => ("removed", json!([]), json!([])),
                Status::Changed(d) if d.is_empty() => ("unchanged", json!([]), json!([])),
                Status::Changed(d) => ("changed", changes(&d.widened), changes(&d.narrowed)),
            };
            json!({
                "name": c.name,
                "status": status,
                "widens": c.widens(),
                "widened": widened,
                "narrowed": narrowed,
            })
        })
        .collect();
    let mut text = json!({
        "widened": compared.iter().any(Compared::widens),
        "policies": policies,
    })
    .to_string();
    text.push('\n');
    text
}
