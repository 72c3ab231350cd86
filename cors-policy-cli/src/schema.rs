//! `cors-policy schema`: print the JSON Schema (draft 2020-12) of the policy file
//! format, for editors: save it next to the policies and point yaml-language-server
//! at it with `# yaml-language-server: $schema=./cors-policy.schema.json`.

use clap::Args;
use cors_policy::compiler::schema::POLICY_SCHEMA;

use crate::output;

/// Arguments of `cors-policy schema` (none).
#[derive(Args, Debug)]
pub struct SchemaArgs {}

/// Runs `schema`; returns the exit code.
pub fn run(_: &SchemaArgs) -> u8 {
    if output::stdout(POLICY_SCHEMA) {
        0
    } else {
        2
    }
}
