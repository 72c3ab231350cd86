//! The `cors_policy!` macro: a CORS policy validated at compile time and embedded as
//! static matcher tables.
//!
//! Use it through the `cors-policy` crate (feature `macros`, on by default), as
//! `cors_policy::cors_policy!`: its output names `::cors_policy` paths.
//!
//! ```
//! use cors_policy_macros::cors_policy;
//!
//! static API: cors_policy::Policy = cors_policy! {
//!     origins: [
//!         "https://app.example.com",
//!         "https://*.example.net",
//!         regex(r"^https://(eu|us)-[0-9]+\.example\.com$"),
//!     ],
//!     credentials: true,
//!     methods: [GET, POST, PUT],
//!     allow_headers: ["authorization", "content-type"],
//!     max_age: 600,
//! };
//! # assert!(API.credentials());
//! ```
//!
//! From a YAML file (one policy, or one named policy of a `policies:` file):
//!
//! ```text
//! static FROM_FILE: cors_policy::Policy = cors_policy!(file = "policies/api.yaml");
//! static NAMED: cors_policy::Policy = cors_policy!(file = "policies/all.yaml", policy = "app");
//! ```
//!
//! This crate is glue. It turns its input into a `cors_policy_compiler::raw::RawPolicy` (inline
//! form) or reads a YAML file (`file = ...`), and leaves every rule to the
//! `cors-policy-compiler` crate: `validate`, `compile` and `codegen` are the same code the YAML
//! loader and the CLI run.
//!
//! # Errors
//!
//! Every error of the policy is reported at once, each as a compile error starting with
//! its diagnostic code (`[null-origin] ...`) and ending with a `= help:` line. In the
//! inline form the error points at the offending token; in the file form at the path
//! literal, with `file:line:column` in the message. After errors the macro expands to a
//! placeholder policy so no cascade of type errors follows.
//!
//! # Warnings and notes
//!
//! A proc macro cannot emit a warning on stable Rust. Warning-severity findings (e.g.
//! `duplicate-entry`, `public-suffix-wildcard` without credentials) are surfaced as a use
//! of a `#[deprecated]` item spanned on the offending token, which rustc reports as a
//! `deprecated` warning carrying the `[code] message`. `#[allow(deprecated)]` on the
//! item holding the policy silences them; `#![deny(warnings)]` turns them into errors,
//! like `cors-policy lint --deny-warnings`. Notes are not shown: run `cors-policy lint`.
//!
//! # Files
//!
//! The path of `file = "..."` is relative to the directory of the crate's `Cargo.toml`
//! (`CARGO_MANIFEST_DIR`); absolute paths are refused, since they only work on one
//! machine. The environment variable `CORS_POLICY_MANIFEST_DIR`, when set, replaces
//! `CARGO_MANIFEST_DIR` (for test harnesses such as trybuild, which build in another
//! directory). The expansion `include_bytes!`s the file so the crate is rebuilt when
//! it changes.

mod expand;
mod file;
#[cfg(test)]
mod fuzz_tables;
mod inline;
mod span;

use proc_macro::TokenStream;

/// Builds a `cors_policy::Policy` at compile time from an inline policy or a YAML file.
///
/// The result is a constant expression: use it in a `static`, a `const` or anywhere an
/// expression of type `cors_policy::Policy` is expected. See the crate documentation
/// for the syntax and the error format.
#[proc_macro]
pub fn cors_policy(input: TokenStream) -> TokenStream {
    expand::cors_policy(input.into()).into()
}
