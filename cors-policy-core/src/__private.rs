//! Items used only by `cors_policy!` output. Not part of the public API.

/// The version of the table layout and of the DFA serialization the macro embeds.
/// Macro output asserts it equals the runtime's at compile time.
pub const FORMAT_VERSION: u32 = 1;

/// Fails compilation (in a `const`) when the macro that generated a policy was built
/// against another table layout than the `cors-policy` crate the user links.
pub const fn assert_format_version(macro_version: u32) {
    assert!(
        macro_version == FORMAT_VERSION,
        "cors_policy! and the runtime disagree on the table format: use one cors-policy version"
    );
}

pub use regex_automata::util::wire::AlignAs;

/// `Cow`, named by an absolute path in macro output.
pub use std::borrow::Cow;

use crate::table::Policy;

/// The value a failed `cors_policy!` expands to after its `compile_error!`s, so that the
/// user sees the policy's errors and no cascade of type errors. Allows nothing.
pub const ERROR_STUB: Policy = Policy {
    name: None,
    any_origin: false,
    exact_origins: Cow::Borrowed(&[]),
    host_patterns: Cow::Borrowed(&[]),
    regexes: Cow::Borrowed(&[]),
    credentials: false,
    any_method: false,
    methods: Cow::Borrowed(&[]),
    any_header: false,
    allow_headers: Cow::Borrowed(&[]),
    allow_headers_value: None,
    expose_headers: None,
    max_age: None,
    allow_private_network: false,
};
