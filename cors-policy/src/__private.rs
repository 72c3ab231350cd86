//! Items used only by `cors_policy!` output. Not part of the public API.

/// The version of the table layout and of the DFA serialization the macro embeds.
/// Macro output asserts it equals the runtime's at compile time.
pub const FORMAT_VERSION: u32 = 1;

/// Fails compilation (in a `const`) when the macro that generated a policy was built
/// against another table layout than the `cors-policy` crate the user links.
pub const fn assert_format_version(macro_version: u32) {
    assert!(
        macro_version == FORMAT_VERSION,
        "cors-policy-macros and cors-policy disagree on the table format: use the same version of both crates"
    );
}

pub use regex_automata::util::wire::AlignAs;
