//! # cors-policy-compiler
//!
//! The compile half of [cors-policy](https://crates.io/crates/cors-policy), shared by the
//! `cors_policy!` macro, the `cors-policy` CLI and run-time loading. Depend on the
//! `cors-policy` crate (feature `compile`, on by default), which re-exports this crate as
//! `cors_policy::compiler`.
//!
//! One pipeline for every source of a policy:
//!
//! 1. a front end turns it into a [`raw::RawPolicy`] with a span on every value
//!    ([`yaml`] for files, the macro for Rust tokens);
//! 2. [`validate`] checks every rule and reports every finding at once as
//!    [`diagnostic::Diagnostic`]s, producing a typed [`model::ValidPolicy`];
//! 3. [`compile`](mod@compile) turns it into a [`Policy`]: sorted tables, precomputed
//!    header values and serialized regex DFAs, which the engine of `cors-policy-core`
//!    answers requests from.
//!
//! The macro runs these steps at compile time and embeds the tables in the binary
//! ([`codegen`]); [`from_yaml`] runs them at start-up.
//!
//! Beside the pipeline, for tools: [`diff`](mod@diff) compares two validated policies
//! (what one grants that the other does not, origins compared as languages), and
//! [`schema`] holds the JSON Schema of the file format for editors.

#[doc(hidden)]
pub mod codegen;
pub mod compile;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod load;
pub mod model;
pub mod origin;
pub mod public_suffix;
pub mod raw;
pub(crate) mod regex_proof;
pub mod schema;
pub mod validate;
pub mod yaml;

#[cfg(test)]
mod engine_tests;

// The runtime types the compiler produces, under the paths the pipeline uses.
use cors_policy_core::{http_token, table};

pub use cors_policy_core::Policy;
pub use diagnostic::{Code, Diagnostic, Diagnostics, Excerpts, Location, Severity};
pub use load::{from_yaml, from_yaml_named, LoadError};
