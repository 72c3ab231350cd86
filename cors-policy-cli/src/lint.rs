//! `cors-policy lint`: validate policy files and report every finding.
//!
//! Every file named is read and linted, even after one could not be read: a missing
//! file is reported on stderr (`cors-policy: PATH: ...`) and makes the exit status 2,
//! but the findings of the other files are still printed, in the order the files were
//! named (ripgrep does the same). Within a file, findings are sorted by line and column.
//!
//! Exit status: 2 if any file could not be read (or stdout failed), else 1 if any
//! finding fails (an error; a warning too with `--deny-warnings`; a note never), else 0.
//! The human format is quiet about clean files, like clippy.
//!
//! Whatever the format, one summary line closes the run on stderr, also when every
//! file is clean, so a run that found nothing is told apart from one that linted
//! nothing: `cors-policy: linted 4 files: 0 errors, 0 warnings, 1 note`.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use cors_policy::compiler::load::{load_yaml, LoadedFile};
use cors_policy::compiler::{Code, Diagnostic, Location, Severity};

use crate::output;
use crate::report::{self, FileReport};

/// Output formats of `lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line and a caret.
    Human,
    /// One JSON object: `{"diagnostics":[...]}`.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// Arguments of `cors-policy lint`.
#[derive(Args, Debug)]
pub struct LintArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The policy files to lint; `-` reads standard input (shown as `<stdin>`).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Runs `lint`; returns the exit code.
pub fn run(args: &LintArgs) -> u8 {
    let mut io_failed = false;
    let mut reports = Vec::new();
    for path in &args.files {
        let (name, read) = read_input(path);
        match read {
            Ok(bytes) => reports.push(lint_bytes(name, bytes).0),
            Err(e) => {
                output::error(&format!("{name}: {e}"));
                io_failed = true;
            }
        }
    }
    let printed = match args.format {
        Format::Human => output::stdout_with(|out| report::human::render(&reports, out)),
        Format::Json => output::stdout(&report::json::render(&reports)),
        Format::Sarif => output::stdout(&report::sarif::render(&reports)),
    };
    output::info(&summary(args.files.len(), &reports));
    let fails = reports.iter().flat_map(|r| &r.diagnostics).any(|d| {
        d.severity == Severity::Error || (args.deny_warnings && d.severity == Severity::Warning)
    });
    if io_failed || !printed {
        2
    } else if fails {
        1
    } else {
        0
    }
}

/// `linted 4 files: 2 errors, 1 warning, 0 notes` (`linted 3 of 4 files` when some
/// could not be read).
fn summary(named: usize, reports: &[FileReport]) -> String {
    let count = |severity: Severity| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let files = if reports.len() == named {
        plural(named, "file")
    } else {
        format!("{} of {}", reports.len(), plural(named, "file"))
    };
    format!(
        "linted {files}: {}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Note), "note"),
    )
}

/// Reads a named file, or standard input for `-`; returns the name to report.
pub(crate) fn read_input(path: &Path) -> (String, std::io::Result<Vec<u8>>) {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        let read = std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes);
        return ("<stdin>".to_owned(), read);
    }
    (path.display().to_string(), std::fs::read(path))
}

/// Lints the contents of one file: its report (also what `emit` and `serve` print when
/// they refuse a file), and the loaded file when it is UTF-8 (for the commands that go
/// on to use its policies).
pub(crate) fn lint_bytes(path: String, bytes: Vec<u8>) -> (FileReport, Option<LoadedFile>) {
    let (source, mut diagnostics, loaded) = match String::from_utf8(bytes) {
        Ok(text) => {
            let loaded = load_yaml(&text);
            let diagnostics = loaded.diagnostics.iter().cloned().collect();
            (text, diagnostics, Some(loaded))
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            // Why: YAML files are UTF-8; guessing another encoding could change what an
            // origin or header name says.
            let diagnostic = Diagnostic {
                code: Code::YamlSyntax,
                severity: Severity::Error,
                message: format!(
                    "the file is not valid UTF-8 (byte 0x{:02x})",
                    bytes.get(valid).copied().unwrap_or(0)
                ),
                help: "save the file as UTF-8".to_owned(),
                span: Location::at(line, column),
            };
            (
                String::from_utf8_lossy(bytes).into_owned(),
                vec![diagnostic],
                None,
            )
        }
    };
    // Stable: findings at the same position keep the order they were reported in.
    diagnostics.sort_by_key(|d| (d.span.line, d.span.column));
    let report = FileReport {
        path,
        source,
        diagnostics,
    };
    (report, loaded)
}
