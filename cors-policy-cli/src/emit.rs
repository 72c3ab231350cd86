//! `cors-policy emit nginx|apache`: print server configuration enforcing a policy.
//!
//! Exit status: 0 printed; 1 the policy has errors (every finding of the file on
//! stderr, exactly as `lint` prints them) or cannot be expressed in the target's
//! configuration; 2 usage or I/O error, or no such policy in the file.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use cors_policy::compiler::emit::{self, NginxContext};
use cors_policy::compiler::load::load_yaml;

use crate::output;
use crate::{lint, report};

/// The server to write configuration for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// nginx: `server {}`/`location {}` directives, or `--context http` for `http {}`.
    Nginx,
    /// Apache httpd: directives for `<VirtualHost>`, `<Directory>` or `.htaccess`.
    Apache,
}

/// Where nginx output goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Context {
    /// Inside `server {}` or `location {}` (the default).
    Server,
    /// At `http {}` level: the `map` blocks the server part reads.
    Http,
}

/// Arguments of `cors-policy emit`.
#[derive(Args, Debug)]
pub struct EmitArgs {
    /// The server to write configuration for.
    #[arg(value_enum)]
    pub target: Target,
    /// The policy to use, in a file with several `policies:`.
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
    /// nginx only: `http` prints what goes in `http {}` (map blocks).
    #[arg(long, value_enum)]
    pub context: Option<Context>,
    /// The policy file (YAML); `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Runs `emit`; returns the exit code.
pub fn run(args: &EmitArgs) -> u8 {
    if args.target == Target::Apache && args.context.is_some() {
        output::error("--context applies to nginx only");
        return 2;
    }
    let (name, read) = lint::read_input(&args.file);
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => {
            output::error(&format!("{name}: {e}"));
            return 2;
        }
    };
    let refuse = |bytes: Vec<u8>| {
        // The same report `lint` prints, on stderr.
        let report = lint::lint_bytes(name.clone(), bytes).0;
        let _ = report::human::render(&[report], &mut std::io::stderr().lock());
        output::error(&format!("{name}: the policy has errors; nothing emitted"));
        1
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return refuse(bytes);
    };
    let file = load_yaml(text);
    let chosen = match file.select(args.policy.as_deref()) {
        Ok(chosen) => chosen,
        // A file too broken to hold a policy is reported like any other error.
        Err(_) if file.policies.is_empty() && file.diagnostics.has_errors() => {
            return refuse(bytes)
        }
        Err(e) => {
            output::error(&format!("{name}: {e}"));
            return 2;
        }
    };
    let Some(valid) = &chosen.valid else {
        return refuse(bytes);
    };
    let emitted = match args.target {
        Target::Nginx => {
            let context = match args.context {
                Some(Context::Http) => NginxContext::Http,
                Some(Context::Server) | None => NginxContext::Server,
            };
            emit::nginx(valid, context)
        }
        Target::Apache => emit::apache(valid),
    };
    match emitted {
        Ok(text) => {
            if output::stdout(&text) {
                0
            } else {
                2
            }
        }
        Err(e) => {
            output::error(&format!("{name}: {e}"));
            1
        }
    }
}
