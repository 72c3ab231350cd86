//! The JSON Schema (draft 2020-12) of the policy file format, for editors.
//!
//! With it, yaml-language-server (VS Code's YAML extension, Neovim, JetBrains IDEs)
//! completes keys, shows each key's documentation and flags unknown keys and values
//! of the wrong type while the file is typed. It describes the shape of the format
//! only; every rule (canonical origins, forbidden headers, regex proofs, ...) is
//! checked by `cors-policy lint`. The file is `policy.schema.json` at the root of this
//! crate; `cors-policy schema` prints it, and a test keeps its keys equal to
//! [`crate::raw::POLICY_KEYS`].

/// The schema, as JSON text.
pub const POLICY_SCHEMA: &str = include_str!("../policy.schema.json");
