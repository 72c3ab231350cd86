//! # cors-policy
//!
//! CORS policies that are validated before they run and compiled into static matcher
//! tables.
//!
//! A policy is written once, in YAML or in the `cors_policy!` macro of the
//! `cors-policy-macros` crate, and goes through one pipeline whatever its source:
//!
//! 1. a front end turns it into a [`raw::RawPolicy`] with a span on every value
//!    ([`yaml`] for files, the macro for Rust tokens);
//! 2. [`validate`] checks every rule and reports every finding at once as
//!    [`diagnostic::Diagnostic`]s, producing a typed [`model::ValidPolicy`];
//! 3. [`compile`] turns it into a [`Policy`]: sorted tables, precomputed header values
//!    and serialized regex DFAs;
//! 4. at request time, an [`engine::Engine`] answers from those tables with no parsing,
//!    allocation or regex compilation.
//!
//! The macro runs steps 1 to 3 at compile time and embeds the tables in the binary;
//! [`Policy::from_yaml`] runs them at start-up.

#[doc(hidden)]
pub mod codegen;
pub mod compile;
pub mod diagnostic;
pub mod engine;
mod http_token;
pub mod load;
pub mod model;
pub mod origin;
pub mod public_suffix;
pub mod raw;
pub(crate) mod regex_proof;
pub mod table;
pub mod validate;
pub mod vary;
pub mod yaml;

#[doc(hidden)]
pub mod __private;

pub use diagnostic::{Code, Diagnostic, Diagnostics, Location, Severity};
pub use load::LoadError;
pub use table::Policy;
