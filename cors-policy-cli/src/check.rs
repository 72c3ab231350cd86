//! `cors-policy check`.

use clap::Args;

/// Arguments of `cors-policy check`.
#[derive(Args, Debug)]
pub struct CheckArgs {}

/// Runs `check`; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let _ = args;
    2
}
