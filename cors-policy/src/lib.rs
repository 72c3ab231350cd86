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
//!
//! # Crate features
//!
//! - `compile` (default): steps 1 to 3, i.e. the YAML loader, the validator, the regex
//!   proof and the compiler. Policies built by `cors_policy!` need none of it at run
//!   time: with `default-features = false` this crate is only the tables and the
//!   engine, and pulls in no YAML parser, no Public Suffix List and no regex compiler
//!   (regex-automata's search half only).

#[cfg(feature = "compile")]
#[doc(hidden)]
pub mod codegen;
#[cfg(feature = "compile")]
pub mod compile;
pub mod diagnostic;
#[cfg(feature = "compile")]
pub mod emit;
pub mod engine;
mod http_token;
#[cfg(feature = "compile")]
pub mod load;
#[cfg(feature = "compile")]
pub mod model;
#[cfg(feature = "compile")]
pub mod origin;
#[cfg(feature = "compile")]
pub mod public_suffix;
#[cfg(feature = "compile")]
pub mod raw;
#[cfg(feature = "compile")]
pub(crate) mod regex_proof;
pub mod table;
#[cfg(feature = "compile")]
pub mod validate;
pub mod vary;
#[cfg(feature = "compile")]
pub mod yaml;

#[doc(hidden)]
pub mod __private;

pub use diagnostic::{Code, Diagnostic, Diagnostics, Location, Severity};
#[cfg(feature = "compile")]
pub use load::LoadError;
pub use table::Policy;
