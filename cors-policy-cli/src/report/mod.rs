//! Renderers of `lint` findings: rustc-style text, JSON and SARIF.
//!
//! Each renderer takes every linted file at once and returns the whole output, so a
//! format that is one document (JSON, SARIF) covers all files.

pub mod human;
pub mod json;
pub mod sarif;

use cors_policy::compiler::{Diagnostic, Location};

/// The findings of one linted file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as the user wrote it.
    pub path: String,
    /// The file's text (lossily decoded when it was not UTF-8), for source snippets.
    pub source: String,
    /// Its findings, sorted by line and column.
    pub diagnostics: Vec<Diagnostic<Location>>,
}
