//! # cors-policy-core
//!
//! The runtime half of [cors-policy](https://crates.io/crates/cors-policy): compiled
//! policy tables ([`table::Policy`]) and the request-time [`engine`], which answers from
//! them with no parsing, allocation or regex compilation.
//!
//! Depend on the `cors-policy` crate, which re-exports everything here; this crate
//! exists so that the compiler (`cors-policy-compiler`) and the `cors_policy!` macro can
//! share these types without a dependency cycle, and so that a runtime-only build pulls
//! in no YAML parser, Public Suffix List or regex compiler.

pub mod engine;
pub mod http_token;
pub mod table;
pub mod vary;

#[doc(hidden)]
pub mod __private;

pub use table::Policy;
