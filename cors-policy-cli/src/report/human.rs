//! rustc-style output: each finding with its source line and a caret under the value,
//! then one summary line per file that has findings. Clean files print nothing.
//!
//! ```text
//! error[null-origin]: "null" is never a safe origin
//!  --> policies/bad.yaml:3:5
//!   |
//! 3 |   - "null"
//!   |     ^^^^^^
//!   |
//!   = help: remove it
//! ```

use std::fmt::Write;

use cors_policy::compiler::{Diagnostic, Location, Severity};

use super::FileReport;

/// Renders every finding of every file.
pub fn render(files: &[FileReport]) -> String {
    let mut blocks = Vec::new();
    for file in files.iter().filter(|f| !f.diagnostics.is_empty()) {
        let lines: Vec<&str> = file.source.split('\n').collect();
        let mut out = String::new();
        for d in &file.diagnostics {
            one(&mut out, &file.path, &lines, d);
        }
        out.push_str(&summary(file));
        blocks.push(out);
    }
    blocks.join("\n")
}

/// One finding, followed by a blank line.
fn one(out: &mut String, path: &str, lines: &[&str], d: &Diagnostic<Location>) {
    let Location { line, column, len } = d.span;
    let pad = " ".repeat(line.to_string().len());
    let _ = writeln!(out, "{}[{}]: {}", d.severity, d.code, d.message);
    let _ = writeln!(out, "{pad}--> {path}:{line}:{column}");
    if let Some(source) = line.checked_sub(1).and_then(|i| lines.get(i)) {
        let shown = printable(source);
        let width = shown.chars().count();
        // A position past the end of the line (an error at end of line) gets one caret
        // just after its last character.
        let start = column.saturating_sub(1).min(width);
        let carets = len.min(width.saturating_sub(start)).max(1);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{}", format!("{line} | {shown}").trim_end());
        let _ = writeln!(out, "{pad} | {}{}", " ".repeat(start), "^".repeat(carets));
        let _ = writeln!(out, "{pad} |");
    }
    let _ = writeln!(out, "{pad} = help: {}", d.help);
    out.push('\n');
}

/// A source line safe to print: no carriage return, tabs as one space and control
/// characters as U+FFFD, so each character keeps one column under the caret.
fn printable(line: &str) -> String {
    line.trim_end_matches('\r')
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// `error: FILE: 3 errors, 1 warning emitted`, named after the worst severity.
fn summary(file: &FileReport) -> String {
    let count = |s: Severity| file.diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, notes) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
    );
    let level = if errors > 0 {
        Severity::Error
    } else if warnings > 0 {
        Severity::Warning
    } else {
        Severity::Note
    };
    let parts: Vec<String> = [(errors, "error"), (warnings, "warning"), (notes, "note")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}{}", if n == 1 { "" } else { "s" }))
        .collect();
    format!("{level}: {}: {} emitted\n", file.path, parts.join(", "))
}
