//! Example policies (`policies/`) and programs (`examples/`).
//!
//! The crate documentation is the repository's README, so that every Rust snippet in
//! it is compiled and run by `cargo test` (as doctests) and stays true.
#![doc = include_str!("../../README.md")]
