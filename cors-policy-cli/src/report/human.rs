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
        let mut out = String::new();
        for d in &file.diagnostics {
            one(&mut out, &file.path, &file.source, d);
        }
        out.push_str(&summary(file));
        blocks.push(out);
    }
    blocks.join("\n")
}

/// One finding, followed by a blank line.
fn one(out: &mut String, path: &str, source: &str, d: &Diagnostic<Location>) {
    let Location { line, column, .. } = d.span;
    let pad = " ".repeat(line.to_string().len());
    let _ = writeln!(out, "{}[{}]: {}", d.severity, d.code, d.message);
    let _ = writeln!(out, "{pad}--> {path}:{line}:{column}");
    if let Some(excerpt) = d.span.excerpt(source) {
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{}", format!("{line} | {}", excerpt.line).trim_end());
        let _ = writeln!(out, "{pad} | {}", excerpt.carets);
        let _ = writeln!(out, "{pad} |");
    }
    let _ = writeln!(out, "{pad} = help: {}", d.help);
    out.push('\n');
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
