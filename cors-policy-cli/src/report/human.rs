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
//!
//! Output is written finding by finding (never built whole), and a long source line
//! is shown only around its caret, so the output of a file grows with its findings,
//! not with findings × line length.

use std::io::{self, Write};

use cors_policy::compiler::{Diagnostic, Excerpts, Location, Severity};

use super::FileReport;

/// Writes every finding of every file to `out`.
pub fn render(files: &[FileReport], out: &mut impl Write) -> io::Result<()> {
    let mut first = true;
    for file in files.iter().filter(|f| !f.diagnostics.is_empty()) {
        if !first {
            writeln!(out)?;
        }
        first = false;
        let mut excerpts = Excerpts::new(&file.source);
        for d in &file.diagnostics {
            one(out, &file.path, &mut excerpts, d)?;
        }
        out.write_all(summary(file).as_bytes())?;
    }
    Ok(())
}

/// One finding, followed by a blank line.
fn one(
    out: &mut impl Write,
    path: &str,
    excerpts: &mut Excerpts<'_>,
    d: &Diagnostic<Location>,
) -> io::Result<()> {
    let Location { line, column, .. } = d.span;
    let pad = " ".repeat(line.to_string().len());
    writeln!(out, "{}[{}]: {}", d.severity, d.code, d.message)?;
    writeln!(out, "{pad}--> {path}:{line}:{column}")?;
    if let Some(excerpt) = excerpts.excerpt(&d.span) {
        writeln!(out, "{pad} |")?;
        writeln!(out, "{}", format!("{line} | {}", excerpt.line).trim_end())?;
        writeln!(out, "{pad} | {}", excerpt.carets)?;
        writeln!(out, "{pad} |")?;
    }
    writeln!(out, "{pad} = help: {}", d.help)?;
    writeln!(out)
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
