//! # cors-policy
//!
//! CORS policies that are validated before they run and compiled into static matcher
//! tables.
//!
//! A policy is written once, in the [`cors_policy!`] macro or in a YAML file. It is
//! validated when the code compiles (or when `cors-policy lint` runs in CI), and
//! compiled into sorted tables, precomputed header values and regex DFAs that the
//! [`engine`] answers requests from with no parsing, allocation or regex compilation.
//!
//! # Start here
//!
//! ```
//! use cors_policy::{cors_policy, engine::Request, Policy};
//!
//! static API: Policy = cors_policy! {
//!     origins: ["https://app.example.com", "https://*.preview.example.com"],
//!     credentials: true,
//!     methods: [PUT, DELETE],
//!     allow_headers: ["content-type"],
//! };
//!
//! let engine = API.engine().expect("tables embedded by the macro are valid");
//! let request = Request::new(b"OPTIONS")
//!     .origin(b"https://pr-7.preview.example.com")
//!     .request_method(b"PUT");
//! assert_eq!(engine.decide(&request).status(), Some(204));
//! ```
//!
//! The same policy from YAML at start-up (feature `compile`):
//!
//! ```
//! let policy = cors_policy::from_yaml("origins: [https://app.example.com]\ncredentials: true\n")?;
//! let engine = policy.engine()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! - `macros` (default): the [`cors_policy!`] macro. It runs the compiler at build time
//!   only and embeds its output.
//! - `compile` (default): the [`compiler`] at run time: [`from_yaml`], the YAML loader,
//!   the validator, the regex proof. Policies built by `cors_policy!` need none of it:
//!   `default-features = false, features = ["macros"]` builds only the tables and the
//!   engine into your binary, with no YAML parser, Public Suffix List or regex compiler.
//! - `tower`: a tower `Layer` + `Service` for axum, hyper (through hyper-util) and
//!   tonic (the `tower` module).
//! - `actix`: an actix-web 4 middleware (the `actix` module).
//! - `http` (implied by both): the framework-agnostic helper the adapters are built on,
//!   for any other server on the `http` crate (the `http` module).
//!
//! The adapters need neither `compile` nor the compiler at run time:
//! `default-features = false, features = ["macros", "tower"]` serves a `cors_policy!`
//! policy with the tables and the engine alone.

pub use cors_policy_core::{engine, table, vary, Policy};

#[cfg(feature = "actix")]
pub mod actix;
#[cfg(feature = "http")]
mod glue;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "http")]
mod log;
#[cfg(feature = "tower")]
pub mod tower;

#[doc(hidden)]
pub use cors_policy_core::__private;

pub use cors_policy_core::engine::{Decision, Engine, Kind, Reason, Request};

/// `cors_policy! { ... }` or `cors_policy!(file = "...")`: a policy validated and
/// compiled at build time, usable in a `static`. See the crate docs.
#[cfg(feature = "macros")]
pub use cors_policy_macros::cors_policy;

/// The compile pipeline: YAML loader, validation rules and diagnostics, regex proofs,
/// the table compiler (the `cors-policy-compiler` crate).
#[cfg(feature = "compile")]
pub use cors_policy_compiler as compiler;

#[cfg(feature = "compile")]
pub use cors_policy_compiler::{from_yaml, from_yaml_named, LoadError};
