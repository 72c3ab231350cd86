//! `cors-policy lint`.

use clap::Args;

/// Arguments of `cors-policy lint`.
#[derive(Args, Debug)]
pub struct LintArgs {}

/// Runs `lint`; returns the exit code.
pub fn run(args: &LintArgs) -> u8 {
    let _ = args;
    2
}
