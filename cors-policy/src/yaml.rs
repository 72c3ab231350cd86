//! The YAML front end: text -> [`RawPolicy`]s with a [`Location`] on every value.

use crate::diagnostic::{Diagnostics, Location};
use crate::raw::RawPolicy;

/// The policies of one YAML file, as written.
#[derive(Debug)]
pub struct ParsedFile {
    /// One policy for a single-policy file; the named ones of a `policies:` file.
    pub policies: Vec<RawPolicy<Location>>,
    /// Whether the file used `policies:`.
    pub multi: bool,
}

/// Parses a policy file, reporting syntax errors, type errors and unknown keys.
pub fn parse(text: &str, diags: &mut Diagnostics<Location>) -> ParsedFile {
    let _ = (text, diags);
    todo!("yaml::parse")
}
