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

use cors_policy::compiler::{Diagnostic, Location, Severity};
use unicode_width::UnicodeWidthChar;

use super::FileReport;

/// Characters of a long line shown before the caret.
const BEFORE: usize = 40;
/// Characters of a line shown in all; a longer line is clipped around the caret.
const SHOWN: usize = 120;

/// Writes every finding of every file to `out`.
pub fn render(files: &[FileReport], out: &mut impl Write) -> io::Result<()> {
    let mut first = true;
    for file in files.iter().filter(|f| !f.diagnostics.is_empty()) {
        if !first {
            writeln!(out)?;
        }
        first = false;
        let lines: Vec<&str> = file.source.split('\n').collect();
        let mut cursor = Cursor::default();
        for d in &file.diagnostics {
            one(out, &file.path, &lines, &mut cursor, d)?;
        }
        out.write_all(summary(file).as_bytes())?;
    }
    Ok(())
}

/// Where the last clipped window started: findings come sorted by line and column,
/// so each window is found by walking on from the previous one, never from the start
/// of a long line again.
#[derive(Default)]
struct Cursor {
    line: usize,
    chars: usize,
    bytes: usize,
}

impl Cursor {
    /// The byte offset of character `chars` of `text` (line `line`).
    fn seek(&mut self, line: usize, text: &str, chars: usize) -> usize {
        if line != self.line || chars < self.chars {
            *self = Cursor {
                line,
                chars: 0,
                bytes: 0,
            };
        }
        let rest = &text[self.bytes..];
        let step: usize = rest
            .chars()
            .take(chars - self.chars)
            .map(char::len_utf8)
            .sum();
        self.bytes += step;
        self.chars = chars.min(self.chars + rest[..step].chars().count());
        self.bytes
    }
}

/// One finding, followed by a blank line.
fn one(
    out: &mut impl Write,
    path: &str,
    lines: &[&str],
    cursor: &mut Cursor,
    d: &Diagnostic<Location>,
) -> io::Result<()> {
    let Location { line, column, len } = d.span;
    let pad = " ".repeat(line.to_string().len());
    writeln!(out, "{}[{}]: {}", d.severity, d.code, d.message)?;
    writeln!(out, "{pad}--> {path}:{line}:{column}")?;
    if let Some(source) = line.checked_sub(1).and_then(|i| lines.get(i)) {
        let source = source.trim_end_matches('\r');
        let at = column.saturating_sub(1);
        // The window: from BEFORE characters before the caret, SHOWN characters long.
        let from = at.saturating_sub(BEFORE);
        let start = cursor.seek(line, source, from);
        let window: Vec<char> = source[start..].chars().take(SHOWN + 1).collect();
        let clipped_end = window.len() > SHOWN;
        let window = &window[..window.len().min(SHOWN)];
        let (head, tail) = (
            if from > 0 { "..." } else { "" },
            if clipped_end { "..." } else { "" },
        );
        let shown: Vec<char> = window.iter().map(|&c| printable(c)).collect();
        let width = |cs: &[char]| -> usize { cs.iter().map(|c| c.width().unwrap_or(0)).sum() };
        // A position past the end of the line (an error at end of line) gets one caret
        // just after its last character.
        let caret_at = (at - from).min(shown.len());
        let covered = &shown[caret_at..(caret_at + len).min(shown.len())];
        let indent = head.len() + width(&shown[..caret_at]);
        let carets = width(covered).max(1);
        let text: String = shown.iter().collect();
        writeln!(out, "{pad} |")?;
        writeln!(out, "{}", format!("{line} | {head}{text}{tail}").trim_end())?;
        writeln!(out, "{pad} | {}{}", " ".repeat(indent), "^".repeat(carets))?;
        writeln!(out, "{pad} |")?;
    }
    writeln!(out, "{pad} = help: {}", d.help)?;
    writeln!(out)
}

/// A character safe to print: tabs as one space and control characters as U+FFFD,
/// so the caret line can be measured in display columns.
fn printable(c: char) -> char {
    match c {
        '\t' => ' ',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
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
