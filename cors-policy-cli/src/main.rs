//! The `cors-policy` command: lint, check, diff, emit and serve CORS policies, and
//! print the policy file's JSON Schema.
//!
//! Each subcommand is a module with its own arguments and documentation; `--help`
//! lists exactly the subcommands below, from their doc comments.
//!
//! Exit codes follow ripgrep's discipline: 0 for success, 1 for findings or a denied
//! request, 2 for usage and I/O errors. Errors go to stderr as `cors-policy: ...`; a
//! closed stdout pipe is not an error.

mod check;
mod diff;
mod emit;
mod lint;
mod output;
mod policy_file;
mod report;
mod schema;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Validate CORS policy files and see what they allow.
#[derive(Parser, Debug)]
#[command(name = "cors-policy", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate policy files and report every finding, rustc-style.
    Lint(lint::LintArgs),
    /// Show what a policy answers to one request, and why.
    Check(check::CheckArgs),
    /// Print nginx or Apache configuration that enforces a policy.
    Emit(emit::EmitArgs),
    /// Serve a small API behind the tower adapter with this policy, to try it from a
    /// browser: every path answers 200 `{"ok":true}` with `X-Request-Id: 1`.
    Serve(serve::ServeArgs),
    /// Show what NEW grants that OLD did not, and what it revokes.
    Diff(diff::DiffArgs),
    /// Print the JSON Schema of the policy file format, for editors.
    Schema(schema::SchemaArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are not errors; everything else is a usage error.
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Emit(args) => emit::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Schema(args) => schema::run(&args),
    };
    ExitCode::from(code)
}
