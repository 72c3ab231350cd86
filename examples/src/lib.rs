//! Example policies (`policies/`) and programs (`examples/`).
//!
//! The crate documentation is the repository's README, so that every Rust snippet in
//! it is compiled and run by `cargo test` (as doctests) and stays true.
#![doc = include_str!("../../README.md")]

use std::net::SocketAddr;

/// The address an example server listens on: `--listen ADDR` on the command line, else
/// the `LISTEN` environment variable, else `default`. `127.0.0.1:0` picks a free port;
/// every server prints the address it actually listens on, so that tests and load
/// tools can start it on an ephemeral port.
pub fn listen_addr(default: &str) -> Result<SocketAddr, String> {
    let mut args = std::env::args().skip(1);
    let mut chosen = std::env::var("LISTEN").ok();
    while let Some(arg) = args.next() {
        if arg == "--listen" {
            chosen = Some(
                args.next()
                    .ok_or("--listen needs an address, e.g. 127.0.0.1:0")?,
            );
        } else if let Some(addr) = arg.strip_prefix("--listen=") {
            chosen = Some(addr.to_owned());
        }
    }
    let text = chosen.unwrap_or_else(|| default.to_owned());
    text.parse()
        .map_err(|e| format!("invalid listen address `{text}`: {e}"))
}

/// Logs deny reasons (`tracing`, target `cors_policy`, level `debug`) to stderr when
/// `CORS_DEBUG` is set, so that "why was I refused?" has an answer while trying a
/// policy.
pub fn init_logging() {
    if std::env::var_os("CORS_DEBUG").is_some() {
        tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
            .with_writer(std::io::stderr)
            .init();
    }
}
